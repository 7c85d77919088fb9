// Home: what is owed, what is late, what is still unbilled, what to send today.
import { h } from '../components/dom.js';
import { formMoneyOr } from './shared.js';
import { formatDate } from '../format.js';
import { barChart } from './reports.js';

export async function mount(root, ctx) {
  const { t, api, state } = ctx;
  const cur = state.profile.currency;
  const [dash, unpaid, overdue, unbilled, drafts] = await Promise.all([
    api.dashboard(),
    api.listInvoices({ status: 'unpaid', limit: 500, sort: 'due', desc: false }),
    api.listInvoices({ status: 'overdue', limit: 500, sort: 'due', desc: false }),
    api.unbilled(),
    api.listInvoices({ status: 'draft', limit: 100 }),
  ]);
  const sum = (rows) => sumDecimals(rows.filter((r) => r.currency === cur).map((r) => r.open));
  const unbilledSum = sumDecimals(unbilled.rows.filter((r) => r.currency === cur).map((r) => r.amount));
  const toSend = unpaid.rows.filter((r) => r.status !== 'draft' && !r.dueDate);
  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, t('home.title')), h('p', { class: 'muted' }, t('home.today', { date: formatDate(state.status.today) }))),
    h('section', { class: 'tiles', 'aria-label': t('home.figures') },
      tile(t('home.outstanding'), formMoneyOr(sum(unpaid.rows), cur), t('home.invoicesCount', { n: unpaid.total }), 'outstanding'),
      tile(t('home.overdue'), formMoneyOr(sum(overdue.rows), cur), t('home.invoicesCount', { n: overdue.total }), 'overdue', overdue.total > 0 ? 'warn' : ''),
      tile(t('home.unbilled'), formMoneyOr(unbilledSum, cur), unbilled.count ? t('home.oldest', { n: unbilled.oldestAgeDays }) : t('home.nothingUnbilled'), 'unbilled', unbilled.staleCount ? 'warn' : ''),
      tile(t('home.collected'), formMoneyOr(dash.collectedThisMonth, dash.currency), t('home.collectedHint'), 'collected'),
      tile(t('home.remindersDue'), String(dash.remindersDue), t('home.toMailCount', { n: dash.toMail }), 'reminders', dash.remindersDue ? 'warn' : ''),
      tile(t('home.drafts'), String(drafts.total), t('home.draftsHint'), 'drafts')),
    h('section', { class: 'card' }, h('h2', {}, t('reports.revenue')), barChart(t('reports.revenue'), dash.revenue.map((m) => [m.month, m.net]), dash.currency, { id: 'home-revenue' })),
    h('section', { class: 'card' }, h('h2', {}, t('home.toSend')),
      toSend.length ? h('ul', { class: 'plain-list' }, toSend.slice(0, 20).map((r) => h('li', {}, h('a', { href: `#/invoice/${r.id}` }, r.number), ' — ', r.customerName, ' · ', t('home.awaitingSend'))))
        : h('p', { class: 'muted' }, t('home.nothingToSend'))),
    h('section', { class: 'card' }, h('h2', {}, t('home.unbilledTitle')),
      unbilled.count ? h('ul', { class: 'plain-list' }, unbilled.rows.slice(0, 8).map((r) => h('li', { class: r.stale ? 'stale' : '' },
        h('a', { href: `#/invoice/new?customer=${r.customerId}` }, r.customerName), ' — ', r.description, ' · ',
        t('unbilled.age', { n: r.ageDays }))))
        : h('p', { class: 'muted' }, t('home.nothingUnbilled'))),
  );
}

function tile(label, value, sub, id, extra = '') {
  return h('div', { class: `tile ${extra}`, id: `tile-${id}` }, h('p', { class: 'tile-label' }, label), h('p', { class: 'tile-value' }, value), h('p', { class: 'tile-sub' }, sub));
}

/** Adds decimal strings exactly (as scaled BigInts) — display only; the books are in Rust. */
export function sumDecimals(values) {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, (String(v).split('.')[1] || '').length);
  let total = 0n;
  for (const v of values) {
    const [i, f = ''] = String(v).replace('-', '').split('.');
    const n = BigInt(i + f.padEnd(scale, '0'));
    total += String(v).startsWith('-') ? -n : n;
  }
  const neg = total < 0n;
  const s = (neg ? -total : total).toString().padStart(scale + 1, '0');
  return (neg ? '-' : '') + (scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s);
}
