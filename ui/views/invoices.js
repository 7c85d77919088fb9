// The invoice list: filters, sorting and paging (the core returns one page at a time).
import { h, clear } from '../components/dom.js';
import { formatMoney, formatDate } from '../format.js';
import { statusPill, table, pagerControls } from './shared.js';

const PAGE = 50;

export async function mount(root, ctx) {
  const { t, api, route } = ctx;
  const q = { status: route.params.status || 'all', sort: route.params.sort || 'date', desc: route.params.desc !== 'false', query: route.params.q || '', offset: Number(route.params.offset || 0) };
  const status = h('select', { id: 'inv-status' }, ['all', 'draft', 'unpaid', 'unsent', 'open', 'partly_paid', 'overdue', 'paid'].map((s) => h('option', { value: s, selected: s === q.status }, t(`filter.${s}`))));
  const sort = h('select', { id: 'inv-sort' }, ['date', 'number', 'due', 'total', 'customer'].map((s) => h('option', { value: s, selected: s === q.sort }, t(`sort.${s}`))));
  const search = h('input', { type: 'search', id: 'inv-search', value: q.query, placeholder: t('invoices.searchPlaceholder') });
  const body = h('div', { class: 'table-wrap' });
  const pager = h('div', { class: 'pager' });
  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, t('nav.invoices')), h('button', { type: 'button', class: 'primary', onclick: () => ctx.navigate('invoice/new') }, t('action.newInvoice'))),
    h('div', { class: 'filters' },
      h('label', { for: 'inv-status' }, t('invoices.filterStatus')), status,
      h('label', { for: 'inv-sort' }, t('invoices.sortBy')), sort,
      h('label', { for: 'inv-search' }, t('invoices.search')), search),
    body, pager);

  async function load() {
    const res = await api.listInvoices({ ...q, limit: PAGE });
    clear(body).append(res.rows.length ? table([
      { label: t('invoices.number'), render: (r) => r.number || h('em', {}, t('status.draft')), nowrap: true },
      { label: t('invoices.customer'), key: 'customerName' },
      { label: t('invoices.date'), render: (r) => formatDate(r.issueDate || r.createdAt.slice(0, 10)), nowrap: true },
      { label: t('invoices.due'), render: (r) => (r.dueDate ? formatDate(r.dueDate) : (r.status === 'draft' ? '' : t('invoices.dueUnknown'))), nowrap: true },
      { label: t('invoices.status'), render: (r) => statusPill(r.status) },
      { label: t('invoices.total'), num: true, render: (r) => formatMoney(r.total, r.currency) },
      { label: t('invoices.open'), num: true, render: (r) => (r.status === 'draft' ? '' : formatMoney(r.open, r.currency)) },
    ], res.rows, { onRow: (r) => ctx.navigate(`invoice/${r.id}`), rowLabel: (r) => `${r.number || t('status.draft')} ${r.customerName}` }) : h('p', { class: 'muted empty' }, t('invoices.none')));
    clear(pager).append(...pagerControls({ offset: q.offset, page: PAGE, total: res.total, always: true }, (to) => { q.offset = to; load(); }));
  }
  status.addEventListener('change', () => { q.status = status.value; q.offset = 0; load(); });
  sort.addEventListener('change', () => { q.sort = sort.value; q.offset = 0; load(); });
  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { q.query = search.value; q.offset = 0; load(); }, 120); });
  await load();
}
