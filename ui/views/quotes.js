// Quotes on the customer page: a price agreed before the work. Draft → numbered (printed,
// sent) → accepted or declined; expired past its validity. An accepted quote becomes a draft
// invoice in one click. Rust keeps the rules; this only shows them.
import { h, field, formValues, showError, clearErrors, modal, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, formatDate, fileName, isoToday } from '../format.js';
import { lineEditor, linesArgs } from './recurring.js';
import { isZeroAmount } from './shared.js';

const PILL = { draft: 'draft', issued: 'partly_paid', accepted: 'paid', declined: 'archived', expired: 'overdue', paid: 'paid', partly_paid: 'partly_paid' };

/** The status in words: a quote's, or a prepayment request's (declined reads "cancelled"). */
function statusText(t, q) {
  return t(q.kind === 'prepayment' ? `prepayment.status.${q.status}` : `quote.status.${q.status}`);
}

export function quotesSection(ctx, c, quotes, reload) {
  const { t, api } = ctx;
  const act = (f) => async () => { try { await f(); reload(); } catch (err) { toast(t(err.key), 'error'); } };
  const pdf = (q) => async () => {
    try {
      const r = await api.savePdf({ kind: q.kind, id: q.id });
      if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
    } catch (err) { toast(t(err.key), 'error'); }
  };
  const b = (label, onclick, cls = 'secondary small') => h('button', { type: 'button', class: cls, onclick }, label);
  const toInvoice = (q) => (q.invoiceId ? h('a', { href: `#/invoice/${q.invoiceId}` }, q.invoiceNumber || t('quote.invoiceDraft'))
    : b(t('quote.toInvoice'), async () => {
      try { const inv = await api.quoteToInvoice(q.id); ctx.navigate(`invoice/${inv.id}`); } catch (err) { toast(t(err.key), 'error'); }
    }, 'primary small'));
  const draftButtons = (q) => [b(t('action.edit'), () => openQuote(ctx, c, reload, q)), b(t('quote.issue'), act(() => api.issueQuote({ id: q.id }))),
    b(t('action.delete'), act(async () => { if (await confirmDialog(t('quote.deleteTitle'), t('quote.deleteText'), t('action.delete'))) await api.deleteQuote(q.id); }))];
  const buttons = (q) => {
    if (q.status === 'draft') return draftButtons(q);
    if (q.kind === 'prepayment') {
      if (q.status === 'declined') return [b(t('quote.pdf'), pdf(q))];
      return [b(t('quote.pdf'), pdf(q)), q.status === 'paid' ? '' : b(t('advance.record'), () => openAdvance(ctx, c, reload, q), 'primary small'), toInvoice(q),
        !isZeroAmount(q.received) ? '' : b(t('prepayment.cancel'), act(() => api.decideQuote(q.id, 'declined')))];
    }
    switch (q.status) {
      case 'issued':
        return [b(t('quote.pdf'), pdf(q)), q.sentOn ? '' : b(t('quote.markSent'), act(() => api.decideQuote(q.id, 'sent'))),
          b(t('quote.accepted'), act(() => api.decideQuote(q.id, 'accepted'))), b(t('quote.declined'), act(() => api.decideQuote(q.id, 'declined')))];
      case 'expired':
        return [b(t('quote.pdf'), pdf(q)), b(t('quote.declined'), act(() => api.decideQuote(q.id, 'declined')))];
      case 'accepted':
        return [b(t('quote.pdf'), pdf(q)), toInvoice(q),
          quotes.some((x) => x.fromQuoteId === q.id) ? '' : b(t('prepayment.fromQuote'), act(() => api.prepaymentFromQuote(q.id)))];
      default:
        return [b(t('quote.pdf'), pdf(q))];
    }
  };
  const held = !isZeroAmount(c.advance);
  return h('section', { id: 'customer-quotes' },
    h('h3', {}, t('quote.title')),
    held ? h('p', { class: 'banner banner-ok', id: 'customer-advance' }, t('advance.held', { amount: formatMoney(c.advance, c.currency) }), ' ',
      b(t('advance.refund'), () => openRefundAdvance(ctx, c, reload))) : '',
    quotes.length ? h('ul', { class: 'plain-list recurring-list quote-list' }, quotes.map((q) => h('li', { 'data-id': q.id, 'data-kind': q.kind },
      h('span', { class: 'muted' }, t(q.kind === 'prepayment' ? 'prepayment.label' : 'quote.label')),
      h('strong', { class: 'nowrap' }, q.number || t('status.draft')), ' · ',
      h('span', { class: 'nowrap' }, formatMoney(q.total, q.currency)), ' · ',
      h('span', { class: `pill pill-${PILL[q.status]}` }, statusText(t, q)),
      q.kind === 'prepayment' && !isZeroAmount(q.received) ? h('span', { class: 'muted' }, t('prepayment.received', { amount: formatMoney(q.received, q.currency) })) : '',
      q.validUntil && q.status !== 'paid' ? h('span', { class: 'muted' }, t(q.kind === 'prepayment' ? 'prepayment.payBy' : 'quote.validUntil', { date: formatDate(q.validUntil) })) : '',
      h('span', { class: 'recurring-actions' }, buttons(q))))) : h('p', { class: 'muted' }, t('quote.none')),
    c.archived ? '' : h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'secondary', id: 'quote-new', onclick: () => openQuote(ctx, c, reload) }, t('quote.new')),
      h('button', { type: 'button', class: 'secondary', id: 'prepayment-new', onclick: () => openQuote(ctx, c, reload, null, 'prepayment') }, t('prepayment.new'))));
}

/** Money received before the work: by default what the request still asks for. */
function openAdvance(ctx, c, done, q) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'advance-form' },
    h('p', { class: 'wide hint' }, t('advance.hint')),
    field({ name: 'amount', label: t('payment.amount'), inputmode: 'decimal', value: q.open || '', required: true }),
    field({ name: 'date', label: t('payment.date'), type: 'date', value: isoToday(), required: true }),
    field({ name: 'method', label: t('payment.method'), type: 'select', value: 'bank', options: ['bank', 'cash', 'card', 'other'].map((m) => ({ value: m, label: t(`method.${m}`) })) }),
    field({ name: 'reference', label: t('payment.reference') }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'advance-save' }, t('advance.record'))));
  const m = modal(t('advance.title', { number: q.number }), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      const r = await api.recordAdvance({ prepaymentId: q.id, amount: v.amount, date: v.date || undefined, method: v.method, reference: v.reference || undefined });
      m.close();
      toast(t('advance.recorded', { amount: formatMoney(r.amount, r.currency) }));
      done();
    } catch (err) { showError(form, err); }
  });
}

/** An advance not used, paid back. */
function openRefundAdvance(ctx, c, done) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'advance-refund-form' },
    field({ name: 'amount', label: t('payment.amount'), inputmode: 'decimal', value: c.advance, required: true }),
    field({ name: 'date', label: t('payment.date'), type: 'date', value: isoToday(), required: true }),
    field({ name: 'method', label: t('payment.method'), type: 'select', value: 'bank', options: ['bank', 'cash', 'card', 'other'].map((m) => ({ value: m, label: t(`method.${m}`) })) }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'advance-refund-save' }, t('advance.refund'))));
  const m = modal(t('advance.refundTitle'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      await api.refundAdvance({ customerId: c.id, amount: v.amount, date: v.date || undefined, method: v.method });
      m.close();
      done();
    } catch (err) { showError(form, err); }
  });
}

/** A draft quote's (or prepayment request's) lines and notes. */
export function openQuote(ctx, c, done, q, kindGiven) {
  const kind = q ? q.kind : (kindGiven || 'quote');
  const { t, api } = ctx;
  const lines = (q ? q.lines : [{ description: '', quantity: '1', unitPrice: '', taxRate: '' }]).map((l) => ({ ...l }));
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'quote-form' },
    h('p', { class: 'wide hint' }, t(kind === 'prepayment' ? 'prepayment.hint' : 'quote.hint')),
    lineEditor(t, lines, 'quote'),
    field({ name: 'notes', label: t('quote.notes'), type: 'textarea', value: q ? q.notes : '', wide: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'quote-save' }, t('action.save'))));
  const m = modal(t(kind === 'prepayment' ? 'prepayment.title' : (q ? 'quote.editTitle' : 'quote.newTitle'), { name: c.name }), form, { wide: true });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      const save = kind === 'prepayment' ? api.savePrepayment : api.saveQuote;
      await save({ id: q ? q.id : undefined, customerId: c.id, lines: linesArgs(lines), notes: v.notes || undefined });
      m.close();
      toast(t('quote.saved'));
      done();
    } catch (err) { showError(form, err); }
  });
}
