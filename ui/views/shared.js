// Small helpers shared by views.
import { formatMoney } from '../format.js';
import { h } from '../components/dom.js';
import { t } from '../i18n.js';

/** Whether a decimal string from the core is zero ("0", "0.00", "-0.000", or nothing). */
export function isZeroAmount(a) {
  return !a || /^-?0*(\.0*)?$/.test(a);
}

export function formMoneyOr(amount, currency) {
  return formatMoney(amount || '0', currency);
}

/** A status pill: draft, open, partly_paid, paid, overdue. */
export function statusPill(status) {
  return h('span', { class: `pill pill-${status}` }, t(`status.${status}`));
}

/** Previous · "from–to of total" · Next for a list the core returns a page at a time;
 * `go(offset)` loads a page. Nothing when everything fits on one page, unless `always`.
 * `range` is the catalogue key of the middle text ({from}, {to}, {total}). */
export function pagerControls({ offset, page, total, always = false, range = 'pager.range' }, go) {
  if (!always && total <= page) return [];
  return [
    h('button', { type: 'button', class: 'secondary', disabled: offset === 0, onclick: () => go(Math.max(0, offset - page)) }, t('pager.prev')),
    h('span', {}, t(range, { from: total ? offset + 1 : 0, to: Math.min(offset + page, total), total })),
    h('button', { type: 'button', class: 'secondary', disabled: offset + page >= total, onclick: () => go(offset + page) }, t('pager.next')),
  ];
}

/** A simple table from columns [{key,label,render,num}] and rows. */
/** A column's cell class: figures right-aligned; numbers and dates never broken inside. */
function cellClass(c) {
  return [c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
}

/**
 * @param {any[]} columns
 * @param {any[]} rows
 * @param {{caption?: string, onRow?: (row: any) => void, rowLabel?: (row: any) => string}} [options]
 */
export function table(columns, rows, { caption, onRow, rowLabel } = {}) {
  return h('table', { class: 'data' },
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: cellClass(c) }, c.label)))),
    h('tbody', {}, rows.map((r) => {
      const tr = h('tr', {}, columns.map((c) => h('td', { class: cellClass(c) }, c.render ? c.render(r) : String(r[c.key] ?? ''))));
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

/** Kazakhstan's VAT rates since 1 January 2026 (16 % base, 10 % and 5 % reduced, 0 %), offered
 * as suggestions wherever a rate is typed; any other rate can still be typed. */
export const VAT_RATES = ['16', '10', '5', '0'].map((r) => ({ value: r }));

/** The id of one page-wide <datalist> of VAT_RATES, for inputs made outside `field()` (the
 * invoice lines). It lives in <body>, outside any form: WebKitWebDriver's element text hangs
 * on a form that holds a datalist. */
export function vatRatesList() {
  if (!document.getElementById('vat-rates')) document.body.append(h('datalist', { id: 'vat-rates' }, VAT_RATES.map((o) => h('option', { value: o.value }))));
  return 'vat-rates';
}
