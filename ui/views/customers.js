// Customers: search as you type, detail with balance and invoices, create/edit/archive,
// opening balance.
import { h, clear, field, formValues, showError, clearErrors, modal, toast, liveCheck } from '../components/dom.js';
import { formatMoney, formatDate, isoToday } from '../format.js';
import { statusPill, table } from './shared.js';
import { openRecordCharge } from './charges.js';
import { actTable, openActForServices } from './acts.js';
import { recurringSection } from './recurring.js';
import { quotesSection } from './quotes.js';
import { customerCreditBlock } from './credit.js';
import { paymentsTable } from './payments.js';
import { LANGUAGES, currentLanguage } from '../i18n.js';

export async function mount(root, ctx) {
  const { t, route } = ctx;
  const listPane = h('section', { class: 'list-pane', 'aria-label': t('customers.list') });
  const detail = h('section', { class: 'detail-pane', id: 'customer-detail', 'aria-live': 'polite' });
  const search = h('input', { type: 'search', id: 'customer-search', placeholder: t('customers.searchPlaceholder'), autocomplete: 'off' });
  const archived = h('input', { type: 'checkbox', id: 'customer-archived' });
  const results = h('ul', { class: 'pick-list', id: 'customer-results', role: 'list' });
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  listPane.append(
    h('div', { class: 'list-head' },
      h('label', { for: 'customer-search' }, t('customers.search')), search,
      h('div', { class: 'field-check' }, archived, h('label', { for: 'customer-archived' }, t('customers.showArchived'))),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'primary', id: 'customer-new', onclick: () => ctx.navigate('customers/new') }, t('customers.new')),
        h('a', { href: '#/import/customers', class: 'button secondary', id: 'customer-import' }, t('import.customersLink')))),
    count, results);
  root.append(h('header', { class: 'page-head' }, h('h1', {}, t('nav.customers'))), h('div', { class: 'split' }, listPane, detail));

  let seq = 0;
  async function refreshList() {
    const mine = ++seq;
    const res = await ctx.api.searchCustomers({ query: search.value, includeArchived: archived.checked, limit: 50 });
    if (mine !== seq) return; // a newer keystroke won
    count.textContent = t('customers.count', { n: res.total });
    // One change to the list per answer (rows built off the page, then swapped in).
    results.replaceChildren(...res.rows.map((c) => h('li', {}, h('a', {
      href: `#/customers/${c.id}`, class: String(c.id) === route.id ? 'active' : '', 'aria-current': String(c.id) === route.id ? 'true' : undefined,
    }, h('span', { class: 'name' }, c.name), c.archived ? h('span', { class: 'pill pill-archived' }, t('customers.archived')) : null,
    h('span', { class: 'num muted' }, formatMoney(c.balance, c.currency))))));
  }
  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refreshList, 80); });
  archived.addEventListener('change', refreshList);
  await refreshList();

  if (route.id === 'new') await showForm(detail, ctx, null, refreshList);
  else if (route.id) await showDetail(detail, ctx, Number(route.id), refreshList);
  else detail.append(h('p', { class: 'muted empty' }, t('customers.pick')));
  if (!route.id) search.focus();
}

async function showDetail(pane, ctx, id, refreshList) {
  const { t, api } = ctx;
  const [c, acts, payments, schedules, quotes] = await Promise.all([api.getCustomer(id), api.listCustomerActs(id), api.listPayments({ customerId: id, limit: 20 }),
    api.listRecurring({ customerId: id }), api.listQuotes({ customerId: id })]);
  clear(pane);
  const reload = async () => { await refreshList(); await showDetail(pane, ctx, id, refreshList); };
  pane.append(
    h('div', { class: 'detail-head' },
      h('div', {}, h('h2', { id: 'customer-title' }, c.name), c.archived ? h('span', { class: 'pill pill-archived' }, t('customers.archived')) : null,
        h('p', { class: 'address' }, c.address), c.email ? h('p', { class: 'muted' }, c.email) : null),
      h('div', { class: 'balance' }, h('p', { class: 'tile-label' }, t('customers.balance')), h('p', { class: 'tile-value', id: 'customer-balance' }, formatMoney(c.balance, c.currency)))),
    customerCreditBlock(ctx, c, reload),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', onclick: () => ctx.navigate(`invoice/new?customer=${id}`), disabled: c.archived }, t('action.newInvoice')),
      h('button', { type: 'button', class: 'secondary', onclick: () => openRecordCharge(ctx, id, reload), disabled: c.archived }, t('action.recordCharge')),
      h('button', { type: 'button', class: 'secondary', id: 'customer-edit', onclick: () => showForm(pane, ctx, c, refreshList) }, t('action.edit')),
      h('button', { type: 'button', class: 'secondary', onclick: () => openOpeningBalance(ctx, c, reload) }, t('customers.openingBalance')),
      h('button', {
        type: 'button', class: 'secondary', onclick: async () => {
          await api.archiveCustomer(id, !c.archived);
          toast(c.archived ? t('customers.restored') : t('customers.archivedToast'));
          reload();
        },
      }, c.archived ? t('customers.restore') : t('customers.archive'))),
    h('h3', {}, t('customers.unbilled')),
    c.unbilled.length ? h('div', { class: 'table-wrap' }, table([
      { label: t('unbilled.date'), render: (r) => formatDate(r.serviceDate), nowrap: true },
      { label: t('unbilled.description'), key: 'description' },
      { label: t('unbilled.ageCol'), render: (r) => t('unbilled.age', { n: r.ageDays }) },
      { label: t('unbilled.amount'), num: true, render: (r) => formatMoney(r.amount, r.currency) },
      { label: t('customers.acts'), render: (r) => (r.actNumber ? t('act.onAct', { number: r.actNumber })
        : h('button', { type: 'button', class: 'secondary small edit-charge', onclick: () => openRecordCharge(ctx, id, reload, r) }, t('action.edit'))) },
    ], c.unbilled)) : h('p', { class: 'muted' }, t('home.nothingUnbilled')),
    c.unbilledCount > c.unbilled.length ? h('p', { class: 'muted', id: 'unbilled-shown' }, t('customers.shownOf', { shown: c.unbilled.length, total: c.unbilledCount, list: t('nav.unbilled') })) : '',
    c.unbilled.some((r) => !r.actNumber) ? h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'secondary', id: 'act-for-services', onclick: () => openActForServices(ctx, c, reload) }, t('customers.actForServices'))) :'',
    h('h3', {}, t('customers.invoices')),
    c.invoices.length ? h('div', { class: 'table-wrap' }, table([
      { label: t('invoices.number'), render: (r) => r.number || t('status.draft'), nowrap: true },
      { label: t('invoices.date'), render: (r) => formatDate(r.issueDate), nowrap: true },
      { label: t('invoices.due'), render: (r) => (r.dueDate ? formatDate(r.dueDate) : '—'), nowrap: true },
      { label: t('invoices.status'), render: (r) => statusPill(r.status) },
      { label: t('invoices.total'), num: true, render: (r) => formatMoney(r.total, r.currency) },
    ], c.invoices, { onRow: (r) => ctx.navigate(`invoice/${r.id}`), rowLabel: (r) => r.number || t('status.draft') })) : h('p', { class: 'muted' }, t('customers.noInvoices')),
    c.invoiceCount > c.invoices.length ? h('p', { class: 'muted', id: 'invoices-shown' }, t('customers.shownOf', { shown: c.invoices.length, total: c.invoiceCount, list: t('nav.invoices') })) : '',
    quotesSection(ctx, c, quotes, reload),
    recurringSection(ctx, c, schedules, reload),
    payments.rows.length ? h('section', {}, h('h3', {}, t('customers.payments')), h('div', { class: 'table-wrap' }, paymentsTable(ctx, payments.rows, reload))) : '',
    acts.length ? h('section', { id: 'customer-acts' }, h('h3', {}, t('customers.acts')), h('div', { class: 'table-wrap' }, actTable(ctx, acts, reload))) : '');
}

async function showForm(pane, ctx, c, refreshList) {
  const { t, api, state } = ctx;
  const [currencies, terms] = await Promise.all([api.currencies(), api.terms(currentLanguage())]);
  clear(pane);
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'customer-form' },
    h('h2', { class: 'wide' }, c ? t('customers.edit') : t('customers.new')),
    field({ name: 'name', label: t('customer.name'), required: true, wide: true, value: c?.name }),
    field({ name: 'contactPerson', label: t('customer.contactPerson'), value: c?.contactPerson }),
    field({ name: 'email', label: t('customer.email'), type: 'email', value: c?.email }),
    field({ name: 'address', label: t('customer.address'), type: 'textarea', rows: 4, wide: true, value: c?.address, hint: t('customer.addressHint') }),
    field({ name: 'country', label: t('customer.country'), value: c?.country }),
    field({ name: 'phone', label: t('customer.phone'), type: 'tel', value: c?.phone }),
    field({ name: 'taxId', label: t('customer.taxId'), value: c?.taxId, hint: t('customer.taxIdHint') }),
    field({ name: 'contractNumber', label: t('customer.contractNumber'), value: c?.contractNumber }),
    field({ name: 'contractDate', label: t('customer.contractDate'), type: 'date', value: c?.contractDate ?? '' }),
    field({ name: 'currency', label: t('customer.currency'), type: 'select', value: c?.currency || state.profile.currency, options: currencies.map((x) => ({ value: x.code, label: x.code })) }),
    field({ name: 'termsId', label: t('customer.terms'), type: 'select', value: c?.termsId ?? '', options: [{ value: '', label: t('customer.termsDefault') }, ...terms.map((x) => ({ value: x.id, label: x.name }))] }),
    field({ name: 'language', label: t('customer.language'), type: 'select', value: c?.language ?? '', options: [{ value: '', label: t('customer.languageDefault') }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))] }),
    field({ name: 'transitDays', label: t('customer.transitDays'), inputmode: 'numeric', value: c?.transitDays ?? 3, hint: t('customer.transitHint') }),
    field({ name: 'notes', label: t('customer.notes'), type: 'textarea', rows: 2, wide: true, value: c?.notes }),
    h('div', { class: 'actions wide' },
      h('button', { type: 'button', class: 'secondary', onclick: () => (c ? ctx.navigate(`customers/${c.id}`) : ctx.navigate('customers')) }, t('action.cancel')),
      h('button', { type: 'submit', class: 'primary', id: 'customer-save' }, t('action.save'))));
  // A customer in Kazakhstan (or with no country given) is identified by its БИН/ИИН.
  liveCheck(form, { email: 'email' }, api.checkIdentifier);
  const taxId = form.querySelector('[data-field="taxId"]');
  const country = form.querySelector('[data-field="country"]');
  liveCheck(form, { taxId: 'bin' }, (kind, value) => api.checkIdentifier(kind, value, country.value));
  country.addEventListener('change', () => taxId.dispatchEvent(new Event('change')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const args = { ...v, contractDate: v.contractDate || null, termsId: v.termsId ? Number(v.termsId) : null, language: v.language || null, transitDays: v.transitDays };
    try {
      const saved = c ? await api.updateCustomer({ ...args, id: c.id }) : await api.createCustomer(args);
      toast(t('customers.saved'));
      await refreshList();
      ctx.navigate(`customers/${saved.id}`);
    } catch (err) {
      showError(form, err);
    }
  });
  pane.append(form);
  form.querySelector('[data-field="name"]').focus();
}

function openOpeningBalance(ctx, c, done) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true },
    h('p', { class: 'wide hint' }, t('customers.openingHint')),
    field({ name: 'amount', label: t('customers.openingAmount', { currency: c.currency }), inputmode: 'decimal', required: true }),
    field({ name: 'asOf', label: t('customers.openingAsOf'), type: 'date', value: isoToday(), required: true }),
    field({ name: 'reference', label: t('customers.openingReference'), wide: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary' }, t('action.save'))));
  const m = modal(t('customers.openingBalance'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.setOpeningBalance({ ...formValues(form), customerId: c.id });
      m.close();
      toast(t('customers.saved'));
      done();
    } catch (err) {
      showError(form, err);
    }
  });
}
