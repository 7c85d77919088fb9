// Recording a payment: the allocation Rust suggests (oldest due first, early discounts), then
// the exact outcome — remainder open or credit kept — with the polite notice and the thank-you
// receipt offered as PDFs.
import { h, clear, field, formValues, showError, clearErrors, modal, toast } from '../components/dom.js';
import { formatMoney, formatDate, isoToday, fileName } from '../format.js';

export function openRecordPayment(ctx, customerId, done, invoiceId) {
  const { t, api } = ctx;
  const suggestion = h('div', { class: 'suggestion', id: 'payment-suggestion', 'aria-live': 'polite' });
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'payment-form' },
    field({ name: 'amount', label: t('payment.amount'), inputmode: 'decimal', required: true }),
    field({ name: 'date', label: t('payment.date'), type: 'date', value: isoToday(), required: true }),
    field({ name: 'method', label: t('payment.method'), type: 'select', value: 'bank', options: ['bank', 'cash', 'card', 'other'].map((m) => ({ value: m, label: t(`method.${m}`) })) }),
    field({ name: 'reference', label: t('payment.reference') }),
    h('div', { class: 'wide' }, suggestion),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'payment-save' }, t('payment.record'))));
  const m = modal(t('payment.title'), form, { wide: true });
  let timer;
  async function suggest() {
    const v = formValues(form);
    if (!v.amount) { clear(suggestion); return; }
    try {
      const s = await api.suggestAllocation({ customerId, amount: v.amount, date: v.date || undefined });
      clearErrors(form);
      clear(suggestion).append(
        h('h3', {}, t('payment.allocation')),
        h('table', { class: 'data' }, h('thead', {}, h('tr', {}, [t('invoices.number'), t('invoices.due'), t('invoices.open'), t('payment.allocate')].map((x) => h('th', {}, x)))),
          h('tbody', {}, s.items.map((r) => h('tr', {},
            h('td', {}, r.label || t('doc.kind.opening')), h('td', {}, r.dueDate ? formatDate(r.dueDate) : '—'),
            h('td', { class: 'num' }, formatMoney(r.open, s.currency)),
            h('td', { class: 'num' }, formatMoney(r.allocate, s.currency), r.discount !== '0.00' && r.discount !== '0' ? h('span', { class: 'pill pill-paid' }, t('payment.discount', { amount: formatMoney(r.discount, s.currency) })) : null))))),
        s.unallocated !== '0.00' && s.unallocated !== '0' ? h('p', { class: 'banner banner-ok' }, t('payment.surplus', { amount: formatMoney(s.unallocated, s.currency) })) : '');
    } catch (err) { showError(form, err); }
  }
  form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(suggest, 200); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      const p = await api.recordPayment({ ...v, customerId, invoiceIds: invoiceId ? [invoiceId] : undefined });
      m.close();
      toast(t('payment.saved'));
      showOutcome(ctx, p, done);
    } catch (err) { showError(form, err); }
  });
}

/** After a payment: what happened, exactly, and the documents to send. */
export function showOutcome(ctx, p, done) {
  const { t, api } = ctx;
  const d = p.discrepancy;
  const save = async (doc) => {
    try {
      const r = await api.savePdf(doc);
      if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
    } catch (err) { toast(t(err.key), 'error'); }
  };
  const body = h('div', { class: 'outcome', id: 'payment-outcome' },
    h('p', { class: 'lead' }, t('payment.received', { amount: formatMoney(p.amount, p.currency), date: formatDate(p.date) })),
    d ? h('div', { class: `banner ${d.kind === 'under' ? 'banner-warn' : 'banner-ok'}`, id: 'discrepancy' },
      h('p', {}, t(d.kind === 'under' ? 'payment.under' : 'payment.over', { due: formatMoney(d.due, p.currency), received: formatMoney(d.received, p.currency), difference: formatMoney(d.difference, p.currency) })),
      h('button', { type: 'button', class: 'secondary', id: 'print-notice', onclick: () => save({ kind: 'notice', id: d.id }) }, t('payment.printNotice'))) : null,
    p.settledInvoiceIds.length ? h('div', { class: 'banner banner-ok', id: 'settled' },
      h('p', {}, t('payment.settled', { n: p.settledInvoiceIds.length })),
      h('button', { type: 'button', class: 'secondary', id: 'print-receipt', onclick: () => save({ kind: 'receipt', id: p.id }) }, t('payment.printReceipt'))) : null,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => m.close() }, t('action.close'))));
  const m = modal(t('payment.outcome'), body, { onClose: done });
}

/** Takes back a mistyped payment (a reversing entry with the reason), then offers to record it
 * again as it really was. Nothing is deleted: the payment and its reversal both stay. */
export function openReversePayment(ctx, payment, done) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'reverse-form' },
    h('p', { class: 'wide hint' }, t('payment.reverseHint')),
    h('p', { class: 'wide' }, t('payment.received', { amount: formatMoney(payment.amount, payment.currency), date: formatDate(payment.date) })),
    field({ name: 'reason', label: t('payment.reverseReason'), required: true, wide: true }),
    field({ name: 'date', label: t('payment.reverseDate'), type: 'date', value: payment.date, required: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'reverse-save' }, t('payment.reverseTitle'))));
  const m = modal(t('payment.reverseTitle'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.reversePayment({ ...formValues(form), id: payment.id });
      m.close();
      toast(t('payment.reversedToast'));
      done();
      openRecordPayment(ctx, payment.customerId, done);
    } catch (err) { showError(form, err); }
  });
}

/** A customer's recent payments: receipt, state, and a reversal for a mistyped one. */
export function paymentsTable(ctx, payments, done) {
  const { t, api } = ctx;
  const receipt = async (p) => {
    try {
      const r = await api.savePdf({ kind: 'receipt', id: p.id });
      if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
    } catch (err) { toast(t(err.key), 'error'); }
  };
  return h('table', { class: 'data', id: 'customer-payments' },
    h('thead', {}, h('tr', {}, [t('payment.date'), t('payment.amount'), t('payment.method'), t('payment.reference'), ''].map((x, i) => h('th', { scope: 'col', class: i === 1 ? 'num' : '' }, x)))),
    h('tbody', {}, payments.map((p) => h('tr', { class: p.reversed ? 'reversed' : '' },
      h('td', { class: 'nowrap' }, formatDate(p.date)),
      h('td', { class: 'num' }, formatMoney(p.amount, p.currency)),
      h('td', {}, t(`method.${p.method}`)),
      h('td', {}, p.reference, p.reversed ? h('span', { class: 'muted' }, ` · ${t('payment.reversed', { date: formatDate(p.reversed.date), reason: p.reversed.reason })}`) : ''),
      h('td', {}, h('span', { class: 'row-actions' },
        h('button', { type: 'button', class: 'secondary small', onclick: () => receipt(p) }, t('history.print')),
        p.reversed ? '' : h('button', { type: 'button', class: 'secondary small reverse-payment', onclick: () => openReversePayment(ctx, p, done) }, t('payment.reverse'))))))));
}
