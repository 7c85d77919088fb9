// Acts of completed works (form Р-1): made from an issued invoice or from a selection of one
// customer's services; printed in two copies (one for each side); their sending log says
// whether they were handed over and whether the signed copy came back.
import { h, modal, toast, showError } from '../components/dom.js';
import { formatDate, formatMoney, fileName } from '../format.js';
import { table } from './shared.js';

/** Where an act stands, from its sending log: signed copy back, handed over, or not yet. */
export function actState(t, a) {
  const sends = a.sends || [];
  const signed = sends.find((s) => s.kind === 'signed');
  if (signed) return t('act.state.signed', { date: formatDate(signed.date) });
  const out = sends.filter((s) => s.kind === 'post' || s.kind === 'email').pop();
  if (out) return t(`act.state.${out.kind}`, { date: formatDate(out.date) });
  return t('act.notSent');
}

/** Saves an act's PDF (two copies) and logs it; resolves true when a file was written. */
export async function saveActPdf(ctx, a) {
  const { t, api } = ctx;
  const r = await api.savePdf({ kind: 'act', id: a.id });
  if (r.cancelled) return false;
  await api.recordActSending({ actId: a.id, kind: 'pdf' });
  toast(t('pdf.saved', { path: fileName(r.path) }));
  return true;
}

/** The acts as a table with their state and what can be done next. */
export function actTable(ctx, acts, reload, { id = 'acts-table' } = {}) {
  const { t, api } = ctx;
  const mark = async (a, kind) => {
    try {
      await api.recordActSending({ actId: a.id, kind });
      toast(t('send.saved'));
      reload();
    } catch (err) { toast(t(err.key), 'error'); }
  };
  const el = table([
    { label: t('act.number'), key: 'number', nowrap: true },
    { label: t('invoices.date'), render: (a) => formatDate(a.date), nowrap: true },
    { label: t('act.source'), render: (a) => (a.invoiceId ? h('a', { href: `#/invoice/${a.invoiceId}` }, t('act.forInvoice', { number: a.invoiceNumber })) : t('act.forServices')) },
    { label: t('act.stateCol'), render: (a) => h('span', { class: 'act-state' }, actState(t, a)) },
    {
      label: h('span', { class: 'visually-hidden' }, t('act.actions')),
      render: (a) => h('span', { class: 'row-actions' },
        h('button', { type: 'button', class: 'secondary small', onclick: () => saveActPdf(ctx, a).then((w) => w && reload()).catch((err) => toast(t(err.key), 'error')) }, t('act.pdf')),
        a.sends?.some((s) => s.kind === 'post' || s.kind === 'email' || s.kind === 'signed') ? null
          : h('button', { type: 'button', class: 'secondary small', onclick: () => mark(a, 'post') }, t('act.markSent')),
        a.sends?.some((s) => s.kind === 'signed') ? null
          : h('button', { type: 'button', class: 'secondary small', onclick: () => mark(a, 'signed') }, t('act.markSigned'))),
    },
  ], acts, { caption: t('customers.acts') });
  el.id = id;
  return el;
}

/** A dialog to make one act for a selection of the customer's services not yet on an act. */
export function openActForServices(ctx, customer, done) {
  const { t, api } = ctx;
  const free = customer.unbilled.filter((r) => !r.actNumber);
  const boxes = free.map((r) => h('input', { type: 'checkbox', value: r.id, checked: true, id: `act-charge-${r.id}` }));
  const list = h('ul', { class: 'plain-list check-list', id: 'act-services' }, free.map((r, i) => h('li', {}, boxes[i],
    h('label', { for: boxes[i].id }, `${formatDate(r.serviceDate)} · ${r.description} · ${formatMoney(r.amount, r.currency)}`))));
  const anchor = h('span', { 'data-field': 'chargeIds', tabindex: '-1' });
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'act-form' },
    h('p', { class: 'wide hint' }, t('act.pickHint')), h('div', { class: 'wide' }, anchor, list),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'act-save' }, t('act.make'))));
  const m = modal(t('customers.actForServices'), form, { wide: true });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chargeIds = boxes.filter((b) => b.checked).map((b) => Number(b.value));
    try {
      const a = await api.createActForServices(customer.id, chargeIds);
      m.close();
      toast(t('act.made', { number: a.number }));
      await saveActPdf(ctx, a).catch(() => {});
      done();
    } catch (err) { showError(form, { ...err, field: err.field?.startsWith('chargeIds') ? 'chargeIds' : err.field }); }
  });
}
