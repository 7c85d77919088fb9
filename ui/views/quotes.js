// Quotes on the customer page: a price agreed before the work. Draft → numbered (printed,
// sent) → accepted or declined; expired past its validity. An accepted quote becomes a draft
// invoice in one click. Rust keeps the rules; this only shows them.
import { h, field, formValues, showError, clearErrors, modal, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, formatDate, fileName } from '../format.js';
import { lineEditor, linesArgs } from './recurring.js';

const PILL = { draft: 'draft', issued: 'partly_paid', accepted: 'paid', declined: 'archived', expired: 'overdue' };

export function quotesSection(ctx, c, quotes, reload) {
  const { t, api } = ctx;
  const act = (f) => async () => { try { await f(); reload(); } catch (err) { toast(t(err.key), 'error'); } };
  const pdf = (q) => async () => {
    try {
      const r = await api.savePdf({ kind: 'quote', id: q.id });
      if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
    } catch (err) { toast(t(err.key), 'error'); }
  };
  const buttons = (q) => {
    const b = (label, onclick, cls = 'secondary small') => h('button', { type: 'button', class: cls, onclick }, label);
    switch (q.status) {
      case 'draft':
        return [b(t('action.edit'), () => openQuote(ctx, c, reload, q)), b(t('quote.issue'), act(() => api.issueQuote({ id: q.id }))),
          b(t('action.delete'), act(async () => { if (await confirmDialog(t('quote.deleteTitle'), t('quote.deleteText'), t('action.delete'))) await api.deleteQuote(q.id); }))];
      case 'issued':
        return [b(t('quote.pdf'), pdf(q)), q.sentOn ? '' : b(t('quote.markSent'), act(() => api.decideQuote(q.id, 'sent'))),
          b(t('quote.accepted'), act(() => api.decideQuote(q.id, 'accepted'))), b(t('quote.declined'), act(() => api.decideQuote(q.id, 'declined')))];
      case 'expired':
        return [b(t('quote.pdf'), pdf(q)), b(t('quote.declined'), act(() => api.decideQuote(q.id, 'declined')))];
      case 'accepted':
        return [b(t('quote.pdf'), pdf(q)), q.invoiceId ? h('a', { href: `#/invoice/${q.invoiceId}` }, q.invoiceNumber || t('quote.invoiceDraft'))
          : b(t('quote.toInvoice'), async () => {
            try { const inv = await api.quoteToInvoice(q.id); ctx.navigate(`invoice/${inv.id}`); } catch (err) { toast(t(err.key), 'error'); }
          }, 'primary small')];
      default:
        return [b(t('quote.pdf'), pdf(q))];
    }
  };
  return h('section', { id: 'customer-quotes' },
    h('h3', {}, t('quote.title')),
    quotes.length ? h('ul', { class: 'plain-list recurring-list quote-list' }, quotes.map((q) => h('li', { 'data-id': q.id },
      h('strong', { class: 'nowrap' }, q.number || t('status.draft')), ' · ',
      h('span', { class: 'nowrap' }, formatMoney(q.total, q.currency)), ' · ',
      h('span', { class: `pill pill-${PILL[q.status]}` }, t(`quote.status.${q.status}`)),
      q.validUntil ? h('span', { class: 'muted' }, t('quote.validUntil', { date: formatDate(q.validUntil) })) : '',
      h('span', { class: 'recurring-actions' }, buttons(q))))) : h('p', { class: 'muted' }, t('quote.none')),
    c.archived ? '' : h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'secondary', id: 'quote-new', onclick: () => openQuote(ctx, c, reload) }, t('quote.new'))));
}

/** A draft quote's lines and notes. */
export function openQuote(ctx, c, done, q) {
  const { t, api } = ctx;
  const lines = (q ? q.lines : [{ description: '', quantity: '1', unitPrice: '', taxRate: '' }]).map((l) => ({ ...l }));
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'quote-form' },
    h('p', { class: 'wide hint' }, t('quote.hint')),
    lineEditor(t, lines, 'quote'),
    field({ name: 'notes', label: t('quote.notes'), type: 'textarea', value: q ? q.notes : '', wide: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'quote-save' }, t('action.save'))));
  const m = modal(t(q ? 'quote.editTitle' : 'quote.newTitle', { name: c.name }), form, { wide: true });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      await api.saveQuote({ id: q ? q.id : undefined, customerId: c.id, lines: linesArgs(lines), notes: v.notes || undefined });
      m.close();
      toast(t('quote.saved'));
      done();
    } catch (err) { showError(form, err); }
  });
}
