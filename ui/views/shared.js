// Small helpers shared by views.
import { formatMoney } from '../format.js';
import { h } from '../components/dom.js';
import { t } from '../i18n.js';

export function formMoneyOr(amount, currency) {
  return formatMoney(amount || '0', currency);
}

/** A status pill: draft, open, partly_paid, paid, overdue. */
export function statusPill(status) {
  return h('span', { class: `pill pill-${status}` }, t(`status.${status}`));
}

/** A simple table from columns [{key,label,render,num}] and rows. */
export function table(columns, rows, { caption, onRow, rowLabel } = {}) {
  return h('table', { class: 'data' },
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label)))),
    h('tbody', {}, rows.map((r) => {
      const tr = h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : '' }, c.render ? c.render(r) : String(r[c.key] ?? ''))));
      if (onRow) {
        tr.tabIndex = 0;
        tr.classList.add('clickable');
        if (rowLabel) tr.setAttribute('aria-label', rowLabel(r));
        tr.addEventListener('click', () => onRow(r));
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onRow(r); });
      }
      return tr;
    })));
}
