// One invoice: the editor for drafts (lines, live totals from Rust, purpose, issue) and the
// read-only view of an issued invoice (sending log: mailed / emailed / received).
import { h, clear, field, formValues, showError, clearErrors, modal, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, formatDate, isoToday, fileName } from '../format.js';
import { statusPill, table, vatRatesList } from './shared.js';
import { customerPicker } from './charges.js';
import { LANGUAGES, currentLanguage } from '../i18n.js';
import { openRecordPayment, openReversePayment } from './payments.js';
import { openPreview } from '../components/preview.js';
import { actState, actTable, saveActPdf } from './acts.js';
import { invoiceCreditBanner, invoiceAdvanceBanner, offerCreditAfterIssue } from './credit.js';

export async function mount(root, ctx) {
  const { route } = ctx;
  if (route.id === 'new' || !route.id) return editor(root, ctx, null, route.params.customer ? Number(route.params.customer) : null);
  const inv = await ctx.api.getInvoice(Number(route.id));
  if (inv.status === 'draft') return editor(root, ctx, inv, inv.customerId);
  return issuedView(root, ctx, inv);
}

const LINE_FIELDS = ['description', 'quantity', 'unit', 'unitPrice', 'discountPercent', 'taxRate'];

async function editor(root, ctx, draft, customerId) {
  const { t, api, state } = ctx;
  const terms = await api.terms(currentLanguage());
  let lines = draft ? draft.lines.map((l) => ({ chargeId: l.chargeId, description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, discountPercent: l.discountPercent, taxRate: l.taxRate })) : [];
  const picker = customerPicker(ctx, { id: 'invoice-customer', selected: customerId });
  const unbilledBox = h('div', { class: 'unbilled-box', 'aria-live': 'polite' });
  const linesBody = h('tbody', {});
  const totalsBox = h('div', { class: 'totals', id: 'invoice-totals', 'aria-live': 'polite' });
  const purposeHint = h('p', { class: 'hint', id: 'purpose-default' });
  const form = h('form', { class: 'invoice-form', novalidate: true, id: 'invoice-form' },
    h('div', { class: 'form-grid' },
      picker.el,
      field({ name: 'termsId', label: t('invoice.terms'), type: 'select', value: draft?.termsId ?? '', options: [{ value: '', label: t('invoice.termsCustomer') }, ...terms.map((x) => ({ value: x.id, label: x.name }))] }),
      field({ name: 'language', label: t('invoice.language'), type: 'select', value: draft?.language ?? '', options: [{ value: '', label: t('invoice.languageCustomer') }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))] }),
      field({ name: 'serviceFrom', label: t('invoice.serviceFrom'), type: 'date', value: draft?.serviceFrom ?? '' }),
      field({ name: 'serviceTo', label: t('invoice.serviceTo'), type: 'date', value: draft?.serviceTo ?? '' })),
    h('h2', {}, t('invoice.unbilledForCustomer')), unbilledBox,
    h('h2', {}, t('invoice.lines')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data lines-table' },
      h('thead', {}, h('tr', {}, ['line.description', 'line.quantity', 'line.unit', 'line.unitPrice', 'line.discount', 'line.taxRate', 'line.amount'].map((k) => h('th', { scope: 'col' }, t(k))), h('th', {}, h('span', { class: 'visually-hidden' }, t('action.remove'))))),
      linesBody)),
    h('button', { type: 'button', class: 'secondary', id: 'add-line', onclick: () => { lines.push({ description: '', quantity: '1', unit: '', unitPrice: '', discountPercent: '', taxRate: state.profile.defaultTaxRate }); renderLines(true); } }, t('invoice.addLine')),
    h('div', { class: 'form-grid' },
      field({ name: 'discountPercent', label: t('invoice.discount'), inputmode: 'decimal', value: draft && draft.discountPercent !== '0' ? draft.discountPercent : '' }),
      field({ name: 'pricesIncludeTax', label: t('invoice.pricesIncludeTax'), type: 'checkbox', value: draft ? draft.pricesIncludeTax : state.profile.pricesIncludeTax }),
      h('div', { class: 'field wide' }, field({ name: 'purpose', label: t('invoice.purpose'), type: 'textarea', rows: 2, value: draft?.purpose ?? '' }), purposeHint),
      field({ name: 'notes', label: t('invoice.notes'), type: 'textarea', rows: 2, wide: true, value: draft?.notes ?? '' })),
    totalsBox,
    h('div', { class: 'actions' },
      draft ? h('button', { type: 'button', class: 'danger', id: 'invoice-delete', onclick: onDelete }, t('invoice.deleteDraft')) : null,
      h('button', { type: 'submit', class: 'secondary', id: 'invoice-save' }, t('invoice.saveDraft')),
      h('button', { type: 'button', class: 'secondary', id: 'invoice-preview', onclick: onPreview }, t('invoice.preview')),
      h('button', { type: 'button', class: 'primary', id: 'invoice-issue', onclick: onIssue }, t('invoice.issue'))));
  root.append(h('header', { class: 'page-head' }, h('h1', {}, draft ? t('invoice.editDraft') : t('invoice.newTitle')), draft ? statusPill('draft') : null,
    draft && draft.fromQuote ? h('p', { class: 'muted', id: 'invoice-from-quote' }, t(draft.fromQuote.kind === 'prepayment' ? 'invoice.fromPrepayment' : 'invoice.fromQuote', { number: draft.fromQuote.number })) : null), form);

  function renderLines(focusLast) {
    clear(linesBody);
    lines.forEach((l, i) => {
      const cells = LINE_FIELDS.map((f) => {
        const label = `${t(`line.${f === 'discountPercent' ? 'discount' : f}`)} ${i + 1}`;
        const input = f === 'description'
          ? h('textarea', { rows: 1, value: l[f] ?? '', 'aria-label': label })
          : h('input', { type: 'text', value: l[f] ?? '', inputmode: f === 'unit' ? undefined : 'decimal', list: f === 'taxRate' ? vatRatesList() : undefined, 'aria-label': label });
        input.dataset.field = `lines[${i}].${f}`;
        input.id = `line-${i}-${f}`;
        input.addEventListener('input', () => { l[f] = input.value; schedulePreview(); });
        return h('td', { class: `col-${f}` }, input);
      });
      const amount = h('td', { class: 'num line-amount' });
      linesBody.append(h('tr', {}, cells, amount, h('td', {}, h('button', {
        type: 'button', class: 'icon-button', 'aria-label': t('invoice.removeLine', { n: i + 1 }),
        onclick: () => { lines.splice(i, 1); renderLines(); renderUnbilled(); },
      }, '×'))));
    });
    if (focusLast) linesBody.querySelector('tr:last-child textarea')?.focus();
    schedulePreview();
  }

  let unbilledRows = [];
  async function loadUnbilled() {
    const cid = picker.value();
    unbilledRows = cid ? (await api.unbilled({ customerId: cid })).rows.filter((r) => !r.onDraft || (draft && r.invoiceId === draft.id)) : [];
    renderUnbilled();
  }
  function renderUnbilled() {
    clear(unbilledBox);
    const free = unbilledRows.filter((r) => !lines.some((l) => l.chargeId === r.id));
    if (!picker.value()) { unbilledBox.append(h('p', { class: 'muted' }, t('invoice.pickCustomerFirst'))); return; }
    if (!free.length) { unbilledBox.append(h('p', { class: 'muted' }, t('invoice.noUnbilled'))); return; }
    unbilledBox.append(h('ul', { class: 'plain-list' }, free.map((r) => h('li', {},
      h('button', { type: 'button', class: 'secondary small', onclick: () => { lines.push({ chargeId: r.id, description: r.description, quantity: r.quantity, unit: r.unit, unitPrice: r.unitPrice, discountPercent: '', taxRate: r.taxRate }); renderLines(); renderUnbilled(); } }, t('invoice.addCharge')),
      ' ', formatDate(r.serviceDate), ' — ', r.description, ' · ', formatMoney(r.amount, r.currency), ' · ', t('unbilled.age', { n: r.ageDays })))),
    h('button', { type: 'button', class: 'secondary', id: 'add-all-unbilled', onclick: () => { for (const r of free) lines.push({ chargeId: r.id, description: r.description, quantity: r.quantity, unit: r.unit, unitPrice: r.unitPrice, discountPercent: '', taxRate: r.taxRate }); renderLines(); renderUnbilled(); } }, t('invoice.addAllUnbilled')));
  }

  function args() {
    const v = formValues(form);
    return {
      customerId: picker.value(),
      termsId: v.termsId ? Number(v.termsId) : null,
      language: v.language || null,
      serviceFrom: v.serviceFrom || null,
      serviceTo: v.serviceTo || null,
      discountPercent: v.discountPercent || null,
      pricesIncludeTax: v.pricesIncludeTax,
      purpose: v.purpose,
      notes: v.notes,
      lines: lines.map((l) => ({ ...l, chargeId: l.chargeId || null })),
    };
  }

  let previewTimer;
  let previewSeq = 0;
  function schedulePreview() { clearTimeout(previewTimer); previewTimer = setTimeout(preview, 150); }
  // An error shown on the form stays: a preview still on its way must not clear it.
  function formError(err) { clearTimeout(previewTimer); previewSeq += 1; showError(form, err); }
  async function preview() {
    const mine = ++previewSeq;
    if (!picker.value()) { clear(totalsBox); return; }
    try {
      const p = await api.previewInvoice({ ...args(), id: draft?.id });
      if (mine !== previewSeq) return;
      // Errors from saving or issuing stay until the next save or issue: a preview that
      // comes back (after a customer or a line loaded) must not hide one just shown.
      const tt = p.totals;
      linesBody.querySelectorAll('.line-amount').forEach((td, i) => { td.textContent = formatMoney(tt.lineAmounts[i], tt.currency); });
      purposeHint.textContent = t('invoice.purposeDefault', { text: p.purposeDefault });
      clear(totalsBox).append(totalsTable(t, tt), h('p', { class: 'terms-sentence' }, p.termsSentence));
    } catch (err) {
      if (mine !== previewSeq) return;
      clear(totalsBox).append(h('p', { class: 'field-error' }, t(err.key)));
    }
  }

  async function save() {
    clearErrors(form);
    const a = args();
    // The revision loaded: a draft changed meanwhile on another desktop is not overwritten.
    if (draft) return api.updateInvoice({ ...a, id: draft.id, expectedRevision: draft.revision || undefined });
    return api.createInvoice(a);
  }

  form.addEventListener('input', (e) => { if (!e.target.closest('.lines-table')) schedulePreview(); });
  picker.select.addEventListener('change', () => { loadUnbilled(); schedulePreview(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const saved = await save();
      toast(t('invoice.draftSaved'));
      draft = saved;
      history.replaceState(null, '', `#/invoice/${saved.id}`);
    } catch (err) { formError(err); }
  });
  async function onPreview() {
    // The preview is of the saved draft: save first, like issuing does.
    try { draft = await save(); history.replaceState(null, '', `#/invoice/${draft.id}`); } catch (err) { formError(err); return; }
    try { await openPreview(api, { kind: 'invoice', id: draft.id }); } catch (err) { toast(t(err.key), 'error'); }
  }
  async function onIssue() {
    // An invoice without lines is refused here, before anything is saved (the core refuses it too).
    if (!lines.some((l) => String(l.description || '').trim() !== '')) {
      formError({ key: 'error.emptyInvoice', field: 'lines' });
      return;
    }
    let saved;
    try { saved = await save(); draft = saved; history.replaceState(null, '', `#/invoice/${saved.id}`); } catch (err) { formError(err); return; }
    const ok = await confirmDialog(t('invoice.issueConfirmTitle'), t('invoice.issueConfirm', { total: formatMoney(saved.totals.total, saved.currency) }), t('invoice.issue'));
    if (!ok) return;
    try {
      const issued = await api.issueInvoice(saved.id, undefined, saved.revision || undefined);
      toast(t('invoice.issued', { number: issued.number }));
      // The customer has credit (an overpayment, a payment before this invoice): offer it now.
      await offerCreditAfterIssue(ctx, issued);
      ctx.navigate(`invoice/${issued.id}`);
    } catch (err) { formError(err); }
  }
  async function onDelete() {
    if (!(await confirmDialog(t('invoice.deleteDraft'), t('invoice.deleteConfirm'), t('action.delete')))) return;
    await api.deleteInvoice(draft.id);
    toast(t('invoice.deleted'));
    ctx.navigate('invoices');
  }

  renderLines();
  await picker.load();
  await loadUnbilled();
  if (!draft && customerId && unbilledRows.length && !lines.length) {
    // Coming from "invoice it": start with everything unbilled for this customer.
    for (const r of unbilledRows) lines.push({ chargeId: r.id, description: r.description, quantity: r.quantity, unit: r.unit, unitPrice: r.unitPrice, discountPercent: '', taxRate: r.taxRate });
    renderLines();
    renderUnbilled();
  }
}

function totalsTable(t, tt) {
  const cur = tt.currency;
  const rows = [[t('totals.subtotal'), tt.subtotal]];
  if (tt.discount !== '0' && !/^0[.,]?0*$/.test(tt.discount)) rows.push([t('totals.discount'), `-${tt.discount}`]);
  for (const r of tt.rates || []) {
    if (r.rate && r.rate !== '0') rows.push([tt.pricesIncludeTax ? t('totals.taxIncluded', { rate: r.rate }) : t('totals.tax', { rate: r.rate }), r.tax]);
  }
  return h('table', { class: 'totals-table' }, h('tbody', {},
    rows.map(([label, v]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, formatMoney(v, cur)))),
    h('tr', { class: 'grand' }, h('th', { scope: 'row' }, t('totals.total')), h('td', { class: 'num', id: 'invoice-total' }, formatMoney(tt.total, cur)))));
}

async function issuedView(root, ctx, inv) {
  const { t, api } = ctx;
  const reload = async () => { clear(root); await issuedView(root, ctx, await api.getInvoice(inv.id)); };
  async function pdf(mode) {
    try {
      let r;
      if (mode === 'print') r = await api.openPdf({ kind: 'invoice', id: inv.id });
      else if (mode === 'email') {
        r = await api.savePdf({ kind: 'invoice', id: inv.id, email: true, mailTo: inv.customer?.email || '', subject: t('invoice.emailSubject', { number: inv.number }), body: t('invoice.emailBody', { number: inv.number, total: formatMoney(inv.totals.total, inv.currency) }) });
        // It counts as emailed (and may start its due-date clock) once the owner says it left.
        if (!r.cancelled && await confirmDialog(t('invoice.emailSentTitle'), t('invoice.emailSentQuestion', { number: inv.number }), t('invoice.emailSentYes'))) {
          await api.recordSending({ invoiceId: inv.id, kind: 'email' });
        }
      } else r = await api.savePdf({ kind: 'invoice', id: inv.id });
      if (!r.cancelled) { toast(t('pdf.saved', { path: fileName(r.path) })); if (mode !== 'print') reload(); }
    } catch (err) { toast(t(err.key), 'error'); }
  }
  // The act of completed works (form Р-1): made once, from the issued invoice; then printed again.
  const [acts, history] = await Promise.all([api.listActs(inv.id).catch(() => []), api.invoiceHistory(inv.id).catch(() => ({ events: [] }))]);
  async function act() {
    try {
      const a = acts[0] || await api.createAct(inv.id);
      if (!acts[0]) toast(t('act.made', { number: a.number }));
      const written = await saveActPdf(ctx, a);
      if (!acts[0] || written) reload();
    } catch (err) { toast(t(err.key), 'error'); }
  }
  const dueText = inv.dueDate ? formatDate(inv.dueDate) : (inv.awaitingReceipt ? t('invoice.dueAfterReceipt') : '—');
  root.append(
    h('header', { class: 'page-head' }, h('h1', { id: 'invoice-number' }, t('invoice.title', { number: inv.number })), statusPill(inv.status),
      inv.fromQuote ? h('p', { class: 'muted', id: 'invoice-from-quote' }, t(inv.fromQuote.kind === 'prepayment' ? 'invoice.fromPrepayment' : 'invoice.fromQuote', { number: inv.fromQuote.number })) : null),
    invoiceAdvanceBanner(ctx, inv, reload),
    invoiceCreditBanner(ctx, inv, reload),
    h('div', { class: 'toolbar', id: 'document-actions' },
      h('button', { type: 'button', class: 'primary', id: 'save-pdf', onclick: () => pdf('save') }, t('invoice.savePdf')),
      h('button', { type: 'button', class: 'secondary', id: 'print-pdf', onclick: () => pdf('print') }, t('invoice.print')),
      h('button', { type: 'button', class: 'secondary', id: 'preview-pdf', onclick: () => openPreview(api, { kind: 'invoice', id: inv.id }).catch((err) => toast(t(err.key), 'error')) }, t('invoice.preview')),
      h('button', { type: 'button', class: 'secondary', id: 'email-pdf', onclick: () => pdf('email') }, t('invoice.email')),
      h('button', { type: 'button', class: 'secondary', id: 'act-pdf', onclick: act }, t('invoice.act')),
      inv.status !== 'paid' ? h('button', { type: 'button', class: 'primary', id: 'record-payment', onclick: () => openRecordPayment(ctx, inv.customerId, reload, inv.id) }, t('payment.record')) : null,
      inv.status !== 'paid' ? h('button', { type: 'button', class: 'secondary', id: 'credit-note', onclick: () => correctionDialog(ctx, inv, 'credit', reload) }, t('invoice.creditNote')) : null,
      inv.status !== 'paid' ? h('button', { type: 'button', class: 'secondary', id: 'write-off', onclick: () => correctionDialog(ctx, inv, 'writeoff', reload) }, t('invoice.writeOff')) : null),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'secondary', id: 'mark-mailed', onclick: () => sendDialog(ctx, inv, 'post', reload) }, t('invoice.markMailed')),
      h('button', { type: 'button', class: 'secondary', id: 'mark-emailed', onclick: () => sendDialog(ctx, inv, 'email', reload) }, t('invoice.markEmailed')),
      h('button', { type: 'button', class: 'secondary', id: 'mark-received', onclick: () => sendDialog(ctx, inv, 'received', reload) }, t('invoice.markReceived'))),
    h('div', { class: 'invoice-meta card' },
      h('dl', {},
        h('dt', {}, t('invoice.customer')), h('dd', {}, h('a', { href: `#/customers/${inv.customerId}` }, inv.customer?.name || inv.customerName)),
        h('dt', {}, t('invoice.issueDate')), h('dd', {}, formatDate(inv.issueDate)),
        h('dt', {}, t('invoice.dueDate')), h('dd', { id: 'invoice-due' }, dueText),
        h('dt', {}, t('invoice.terms')), h('dd', {}, inv.terms?.sentence || ''),
        inv.serviceFrom ? [h('dt', {}, t('invoice.servicePeriod')), h('dd', {}, formatDate(inv.serviceFrom), inv.serviceTo && inv.serviceTo !== inv.serviceFrom ? ` – ${formatDate(inv.serviceTo)}` : '')] : null,
        h('dt', {}, t('invoice.purpose')), h('dd', { class: 'purpose', id: 'invoice-purpose' }, inv.purpose),
        h('dt', {}, t('invoices.open')), h('dd', { id: 'invoice-open' }, formatMoney(inv.open, inv.currency)),
        acts[0] ? [h('dt', {}, t('invoice.act')), h('dd', { id: 'invoice-act' }, t('invoice.actMade', { number: acts[0].number, date: formatDate(acts[0].date) }), ' · ', actState(t, acts[0]))] : null)),
    h('div', { class: 'table-wrap' }, table([
      { label: '№', key: 'position' },
      { label: t('line.description'), key: 'description' },
      { label: t('line.quantity'), num: true, render: (l) => `${l.quantity} ${l.unit}` },
      { label: t('line.unitPrice'), num: true, render: (l) => formatMoney(l.unitPrice, inv.currency) },
      { label: t('line.discount'), num: true, render: (l) => (l.discountPercent !== '0' ? `${l.discountPercent}%` : '') },
      { label: t('line.taxRate'), num: true, render: (l) => `${l.taxRate}%` },
      { label: t('line.amount'), num: true, render: (l) => formatMoney(l.amount, inv.currency) },
    ], inv.lines)),
    h('div', { class: 'totals' }, totalsTable(t, { ...inv.totals, rates: (inv.totals.rates || []).map((r) => ({ rate: r.rate, tax: r.tax })) })),
    inv.sends.length ? '' : h('p', { class: 'muted', id: 'sending-log' }, t('invoice.notSentYet')),
    h('h2', {}, t('invoice.history')),
    historyList(ctx, history, inv, reload),
    acts.length ? h('section', { id: 'invoice-acts' }, h('h2', {}, t('customers.acts')), h('div', { class: 'table-wrap' }, actTable(ctx, acts, reload))) : '');
}

/** The invoice's life in date order; each document it produced can be printed again. */
function historyList(ctx, history, inv, done) {
  const { t, api } = ctx;
  const what = (e) => {
    const d = e.detail || {};
    switch (e.kind) {
      case 'issued': return t('history.issued', { number: d.number });
      case 'sent_post': return `${t('history.sentPost')}${d.expectedReceipt ? ` · ${t('send.expected', { date: formatDate(d.expectedReceipt) })}` : ''}${d.note ? ` · ${d.note}` : ''}`;
      case 'sent_email': return `${t('history.sentEmail')}${d.note ? ` · ${d.note}` : ''}`;
      case 'saved_pdf': return `${t('history.savedPdf')}${d.note ? ` · ${d.note}` : ''}`;
      case 'received': return `${t('history.received')}${d.note ? ` · ${d.note}` : ''}`;
      case 'reminder': return `${t('history.reminder')}: ${t(`reminder.level${d.level}`)}${e.amount ? ` · ${t('history.lateFee', { amount: formatMoney(e.amount, history.currency) })}` : ''}`;
      case 'payment': return `${t('history.payment')}${d.method ? ` (${t(`method.${d.method}`)})` : ''}${d.reference ? ` · ${d.reference}` : ''}`;
      case 'discount': return t('history.discount');
      case 'credit_applied': return t('history.creditApplied');
      case 'advance_applied': return t('history.advanceApplied');
      case 'payment_reversed': return `${t('history.paymentReversed')} · ${d.reason}`;
      case 'credit_note': return `${t('history.creditNote', { number: d.number })} · ${d.reason}`;
      case 'write_off': return `${t('history.writeOff')} · ${d.reason}`;
      case 'notice': return t(d.direction === 'over' ? 'history.noticeOver' : 'history.noticeUnder');
      case 'act': return t('history.act', { number: d.number });
      default: return e.kind;
    }
  };
  const money = (e) => (e.amount && e.kind !== 'reminder' ? formatMoney(e.amount, history.currency) : '');
  const reprint = async (doc) => {
    try {
      const r = await api.savePdf(doc);
      if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
    } catch (err) { toast(t(err.key), 'error'); }
  };
  if (!history.events.length) return h('p', { class: 'muted', id: 'invoice-history' }, t('invoice.notSentYet'));
  return h('ol', { class: 'plain-list history', id: 'invoice-history' }, history.events.map((e) => h('li', { class: `history-${e.kind}` },
    h('span', { class: 'history-date nowrap' }, formatDate(e.date)),
    h('span', { class: 'history-what' }, what(e)),
    h('span', { class: 'num history-amount' }, money(e)),
    h('span', { class: 'row-actions' },
      e.document ? h('button', { type: 'button', class: 'secondary small', onclick: () => reprint(e.document), 'aria-label': `${t('history.print')}: ${what(e)}` }, t('history.print')) : '',
      e.kind === 'payment' && !e.detail.reversed ? h('button', {
        type: 'button', class: 'secondary small reverse-payment',
        onclick: async () => openReversePayment(ctx, await api.getPayment(e.detail.paymentId), done),
      }, t('payment.reverse')) : ''))));
}

function sendDialog(ctx, inv, kind, done) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'send-form' },
    field({ name: 'date', label: t(`send.date.${kind}`), type: 'date', value: isoToday(), required: true }),
    field({ name: 'note', label: t('send.note'), wide: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'send-save' }, t('action.save'))));
  const m = modal(t(`send.title.${kind}`), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.recordSending({ ...formValues(form), invoiceId: inv.id, kind });
      m.close();
      toast(t('send.saved'));
      done();
    } catch (err) { showError(form, err); }
  });
}

function correctionDialog(ctx, inv, kind, done) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true, id: `${kind}-form` },
    h('p', { class: 'wide hint' }, t(kind === 'credit' ? 'correction.creditHint' : 'correction.writeOffHint', { open: formatMoney(inv.open, inv.currency) })),
    field({ name: 'amount', label: t('correction.amount'), inputmode: 'decimal', value: inv.open }),
    field({ name: 'reason', label: t('correction.reason'), required: true, wide: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: `${kind}-save` }, t('action.save'))));
  const m = modal(t(kind === 'credit' ? 'invoice.creditNote' : 'invoice.writeOff'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const v = formValues(form);
      if (kind === 'credit') {
        const cn = await api.createCreditNote({ invoiceId: inv.id, ...v });
        toast(t('correction.creditDone', { number: cn.number }));
        await api.savePdf({ kind: 'credit_note', id: cn.id }).catch(() => {});
      } else {
        await api.writeOff({ invoiceId: inv.id, ...v });
        toast(t('correction.writeOffDone'));
      }
      m.close();
      done();
    } catch (err) { showError(form, err); }
  });
}
