// Services and charges before invoicing: the record dialog (Alt+N from anywhere) and the
// unbilled list, oldest first, with how long each has waited.
import { h, clear, field, formValues, showError, clearErrors, modal, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, formatDate, isoToday } from '../format.js';
import { table, pagerControls, VAT_RATES } from './shared.js';

/**
 * A search box plus a listbox of matching customers; returns {el, value()}.
 * @param {any} ctx
 * @param {{id?: string, selected?: any, label?: string}} [options]
 */
export function customerPicker(ctx, { id = 'customer-pick', selected = null, label } = {}) {
  const { t, api } = ctx;
  const input = h('input', { type: 'search', id: `${id}-search`, autocomplete: 'off', placeholder: t('customers.searchPlaceholder') });
  const select = h('select', { id, size: 5, class: 'listbox' });
  select.dataset.field = 'customerId';
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  select.setAttribute('aria-describedby', `${id}-error`);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    const res = await api.searchCustomers({ query: input.value, limit: 200 });
    if (mine !== seq) return;
    const keep = select.value || (selected ? String(selected) : '');
    clear(select);
    for (const c of res.rows) select.append(h('option', { value: c.id, selected: String(c.id) === keep }, `${c.name} (${c.currency})`));
    if (!select.value && select.options.length === 1) select.selectedIndex = 0;
    select.dispatchEvent(new Event('change'));
  }
  input.addEventListener('input', load);
  input.addEventListener('keydown', (e) => { if (e.key === 'ArrowDown') { e.preventDefault(); select.focus(); if (select.selectedIndex < 0) select.selectedIndex = 0; } });
  const el = h('div', { class: 'field wide' },
    h('label', { for: `${id}-search` }, label || t('customer.pick'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), input,
    h('label', { for: id, class: 'visually-hidden' }, t('customer.pickList')), select, err);
  return { el, select, load, value: () => (select.value ? Number(select.value) : null) };
}

/** The "record a service or charge" dialog; with `charge`, the same form edits it (while it is
 * on no issued invoice nor act) and offers to delete it. */
export function openRecordCharge(ctx, customerId, done, charge = null) {
  const { t, api, state } = ctx;
  const picker = charge ? null : customerPicker(ctx, { id: 'charge-customer', selected: customerId });
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'charge-form' },
    picker ? picker.el : h('p', { class: 'wide' }, charge.customerName),
    field({ name: 'serviceDate', label: t('charge.serviceDate'), type: 'date', value: charge?.serviceDate ?? isoToday(), required: true }),
    field({ name: 'description', label: t('charge.description'), required: true, wide: true, value: charge?.description }),
    field({ name: 'quantity', label: t('charge.quantity'), inputmode: 'decimal', value: charge?.quantity ?? '1' }),
    field({ name: 'unit', label: t('charge.unit'), placeholder: t('charge.unitPlaceholder'), value: charge?.unit }),
    field({ name: 'unitPrice', label: t('charge.unitPrice'), inputmode: 'decimal', required: true, value: charge?.unitPrice }),
    field({ name: 'taxRate', label: t('charge.taxRate'), inputmode: 'decimal', value: charge?.taxRate ?? state.profile.defaultTaxRate, list: VAT_RATES }),
    h('div', { class: 'actions wide' },
      charge ? h('button', { type: 'button', class: 'secondary danger', id: 'charge-delete', onclick: onDelete }, t('action.delete')) : '',
      h('button', { type: 'submit', class: 'primary', id: 'charge-save' }, t('action.save'))));
  const m = modal(t(charge ? 'charge.editTitle' : 'charge.title'), form);
  picker?.load();
  async function onDelete() {
    m.close();
    if (!(await confirmDialog(t('charge.deleteTitle'), t('charge.deleteConfirm', { description: charge.description }), t('action.delete')))) return;
    try {
      await api.deleteCharge(charge.id);
      toast(t('charge.deleted'));
      if (done) done();
    } catch (err) { toast(t(err.key), 'error'); }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      if (charge) await api.updateCharge({ ...formValues(form), id: charge.id });
      else await api.recordCharge({ ...formValues(form), customerId: picker.value() });
      m.close();
      toast(t('charge.saved'));
      if (done) done();
    } catch (err) {
      showError(form, err);
    }
  });
}

const PAGE = 100;

export async function mount(root, ctx) {
  const { t, api } = ctx;
  let offset = 0;
  let res = await api.unbilled({ limit: PAGE, offset });
  const body = h('div', { id: 'unbilled-rows' });
  const pager = h('div', { class: 'pager', id: 'unbilled-pager' });
  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, t('nav.unbilled')),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'primary', onclick: () => openRecordCharge(ctx, null, () => ctx.refresh()) }, t('action.recordCharge')),
        h('a', { href: '#/import/charges', class: 'button secondary', id: 'charges-import' }, t('import.chargesLink')))),
    h('p', { class: 'lead' }, res.count ? t('unbilled.summary', { n: res.count, days: res.oldestAgeDays, warn: res.warnDays }) : t('home.nothingUnbilled')),
    body, pager);
  // The count and the oldest age are over everything; the table shows a page (oldest first).
  function render() {
    clear(body).append(res.count ? table([
      { label: t('unbilled.date'), render: (r) => formatDate(r.serviceDate) },
      { label: t('unbilled.customer'), key: 'customerName' },
      { label: t('unbilled.description'), key: 'description' },
      { label: t('unbilled.ageCol'), render: (r) => h('span', { class: r.stale ? 'stale' : '' }, t('unbilled.age', { n: r.ageDays }), r.stale ? h('span', { class: 'pill pill-overdue' }, t('unbilled.late')) : null) },
      { label: t('unbilled.amount'), num: true, render: (r) => formatMoney(r.amount, r.currency) },
      { label: h('span', { class: 'visually-hidden' }, t('act.actions')), render: (r) => h('span', { class: 'row-actions' },
        r.onDraft ? h('a', { href: `#/invoice/${r.invoiceId}`, class: 'nowrap' }, t('unbilled.onDraft')) : h('a', { href: `#/invoice/new?customer=${r.customerId}`, class: 'nowrap' }, t('unbilled.invoiceIt')),
        r.actNumber ? '' : h('button', { type: 'button', class: 'secondary small edit-charge', onclick: () => openRecordCharge(ctx, r.customerId, () => ctx.refresh(), r) }, t('action.edit'))) },
    ], res.rows, { caption: t('nav.unbilled') }) : '');
    clear(pager).append(...pagerControls({ offset, page: PAGE, total: res.count }, turn));
  }
  async function turn(to) {
    try {
      res = await api.unbilled({ limit: PAGE, offset: to });
      offset = to;
      render();
      body.scrollIntoView?.({ block: 'start' }); // the new page from its first row
    } catch (err) { toast(t(err.key), 'error'); }
  }
  render();
}
