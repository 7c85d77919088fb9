// Home: what is owed, what is late, what is still unbilled, what to send today.
import { h } from '../components/dom.js';
import { formMoneyOr, isZeroAmount } from './shared.js';
import { formatDate, formatMonth } from '../format.js';
import { barChart } from './reports.js';

/** The home page's questions. Every figure is computed in Rust (the dashboard command); the
 * page only shows them. "To send": the oldest 20 open invoices never mailed or emailed (a
 * page, not the whole to-send list: on a big shop that list is thousands of rows). At start-up
 * app.js asks them before the shell is drawn (`ctx.early`), off the cold start's critical path. */
export function load(api) {
  return Promise.all([api.dashboard(), api.unbilled({ limit: 8 }), api.listInvoices({ status: 'draft', limit: 1 }), api.listInvoices({ status: 'unsent', sort: 'date', desc: false, limit: 20 })]);
}

export async function mount(root, ctx) {
  const { t, api, state } = ctx;
  const [dash, unbilled, drafts, unsent] = await (ctx.early || load(api));
  performance.mark('esep-home-data');
  const cur = dash.currency;
  const toSend = unsent.rows.map((r) => ({ invoiceId: r.id, number: r.number, customerName: r.customerName }));
  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, t('home.title')), h('p', { class: 'muted' }, t('home.today', { date: formatDate(state.status.today) }))),
    h('section', { class: 'tiles', 'aria-label': t('home.figures') },
      tile(t('home.outstanding'), formMoneyOr(dash.outstanding, cur), t('home.invoicesCount', { n: dash.openCount }), 'outstanding', '', '#/invoices?status=unpaid'),
      tile(t('home.overdue'), formMoneyOr(dash.overdue, cur), t('home.invoicesCount', { n: dash.overdueCount }), 'overdue', dash.overdueCount > 0 ? 'warn' : '', '#/invoices?status=overdue'),
      tile(t('home.unbilled'), formMoneyOr(dash.unbilled, cur), dash.unbilledCount ? t('home.oldest', { n: dash.oldestUnbilledDays }) : t('home.nothingUnbilled'), 'unbilled', unbilled.staleCount ? 'warn' : '', '#/unbilled'),
      tile(t('home.collected'), formMoneyOr(dash.collectedThisMonth, dash.currency), t('home.collectedHint'), 'collected', '', '#/reports'),
      tile(t('home.remindersDue'), String(dash.remindersDue), t('home.toMailCount', { n: dash.toMail }), 'reminders', dash.remindersDue ? 'warn' : '', '#/tosend'),
      tile(t('home.drafts'), String(drafts.total), t('home.draftsHint'), 'drafts', '', '#/invoices?status=draft')),
    // What to send today agrees with the tiles: the reminders due are part of it.
    h('section', { class: 'card', id: 'home-to-send' }, h('h2', {}, h('a', { href: '#/tosend' }, t('home.toSend'))),
      dash.awaitingPrepaymentCount ? h('p', { id: 'home-prepayments' }, t('home.awaitingPrepayment', { n: dash.awaitingPrepaymentCount, amount: formMoneyOr(dash.awaitingPrepayment, cur) })) : '',
      dash.recurringDrafts ? h('p', { id: 'home-recurring' }, h('a', { href: '#/invoices?status=draft' }, t('home.recurringDrafts', { n: dash.recurringDrafts }))) : '',
      dash.bankToConfirm ? h('p', { id: 'home-bank-to-confirm' }, h('a', { href: '#/bank' }, t('home.bankToConfirm', { n: dash.bankToConfirm }))) : '',
      dash.remindersDue ? h('p', { id: 'home-reminders-due' }, h('a', { href: '#/tosend' }, t('home.remindersWaiting', { n: dash.remindersDue }))) : '',
      toSend.length ? h('ul', { class: 'plain-list' }, toSend.slice(0, 20).map((r) => h('li', {}, h('a', { href: `#/invoice/${r.invoiceId}` }, r.number), ' — ', r.customerName, ' · ', t('home.awaitingSend'))))
        : (dash.remindersDue || dash.bankToConfirm || dash.recurringDrafts ? '' : h('p', { class: 'muted' }, t('home.nothingToSend')))),
    h('section', { class: 'card' }, h('h2', {}, t('home.unbilledTitle')),
      unbilled.count ? h('ul', { class: 'plain-list' }, unbilled.rows.slice(0, 8).map((r) => h('li', { class: r.stale ? 'stale' : '' },
        h('a', { href: `#/invoice/new?customer=${r.customerId}` }, r.customerName), ' — ', r.description, ' · ',
        t('unbilled.age', { n: r.ageDays }))))
        : h('p', { class: 'muted' }, t('home.nothingUnbilled'))),
    // The revenue chart comes after the to-do lists; a year without revenue is one line.
    h('section', { class: 'card' }, h('h2', {}, t('reports.revenue')),
      dash.revenue.some((m) => !isZeroAmount(m.net)) ? barChart(t('reports.revenue'), dash.revenue.map((m) => [formatMonth(m.month), m.net]), dash.currency, { id: 'home-revenue' })
        : h('p', { class: 'muted', id: 'home-revenue' }, t('home.noRevenue'))),
  );
}

/** A figure that leads to its list (the whole tile is the link). */
function tile(label, value, sub, id, extra, href) {
  return h('a', { class: `tile ${extra}`, id: `tile-${id}`, href }, h('p', { class: 'tile-label' }, label), h('p', { class: 'tile-value' }, value), h('p', { class: 'tile-sub' }, sub));
}
