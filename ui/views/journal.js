// For the accountant: the journal (debits and credits) and the trial balance.
import { h } from '../components/dom.js';
import { formatMoney, formatDate } from '../format.js';
import { table } from './shared.js';

export async function mount(root, ctx) {
  const { t, api } = ctx;
  const [tb, journal, check] = await Promise.all([api.trialBalance(), api.journal({ limit: 100 }), api.checkBooks()]);
  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, t('nav.journal'))),
    h('p', { class: check.ok ? 'banner banner-ok' : 'banner banner-error', id: 'books-check', role: 'status' }, check.ok ? t('journal.booksOk') : t('app.booksProblem', { n: check.problems.length })),
    check.ok ? '' : h('ul', {}, check.problems.map((p) => h('li', {}, `${p.rule}: ${p.detail}`))),
    h('h2', {}, t('journal.trialBalance', { date: formatDate(tb.asOf) })),
    table([
      { label: t('journal.account'), render: (r) => `${r.account} ${t(r.accountName)}` },
      { label: t('journal.debit'), num: true, render: (r) => (r.debit !== '0.00' && r.debit !== '0' ? formatMoney(r.debit, r.currency) : '') },
      { label: t('journal.credit'), num: true, render: (r) => (r.credit !== '0.00' && r.credit !== '0' ? formatMoney(r.credit, r.currency) : '') },
    ], tb.rows, { caption: t('journal.trialBalance', { date: tb.asOf }) }),
    h('h2', {}, t('journal.entries', { n: journal.total })),
    table([
      { label: t('journal.date'), render: (e) => formatDate(e.date) },
      // Described in the user's language (the stored memo, in English, is the tooltip).
      { label: t('journal.memo'), render: (e) => h('span', { title: e.memo }, describe(t, e)) },
      { label: t('journal.postings'), render: (e) => h('ul', { class: 'postings' }, e.postings.map((p) => h('li', {}, `${p.debit ? t('journal.dr') : t('journal.cr')} ${p.account} ${t(p.accountName)}${p.customerName ? ` · ${p.customerName}` : ''}`, h('span', { class: 'num' }, formatMoney(p.amount.replace('-', ''), p.currency))))) },
    ], journal.rows));
}

/** An entry in words: its kind, its document, its customer ("Счёт INV-2026-0001 · ТОО «Север»"). */
function describe(t, e) {
  const customer = e.postings.find((p) => p.customerName)?.customerName;
  return [t(`doc.kind.${e.kind}`), e.document].filter(Boolean).join(' ') + (customer ? ` · ${customer}` : '');
}
