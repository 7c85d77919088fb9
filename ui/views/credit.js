// A customer's credit (an overpayment, a payment recorded before its invoice): shown as its own
// line, used on an open invoice in one step, or paid back. The core does the arithmetic and
// refuses more than is available.
import { h, field, formValues, showError, modal, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, isoToday } from '../format.js';
import { isZeroAmount } from './shared.js';


/** Uses the credit on one invoice (or the oldest open ones); resolves true when it was used. */
export async function useCredit(ctx, customerId, invoiceId) {
  const { t, api } = ctx;
  try {
    const r = await api.applyCredit({ customerId, invoiceId });
    toast(t('credit.applied', { amount: formatMoney(r.applied, r.currency), left: formatMoney(r.creditLeft, r.currency) }));
    return true;
  } catch (err) {
    toast(t(err.key), 'error');
    return false;
  }
}

/** The banner on an open invoice whose customer has credit: use it here, in one step. */
export function invoiceCreditBanner(ctx, inv, done) {
  const { t } = ctx;
  if (isZeroAmount(inv.customerCredit) || isZeroAmount(inv.open)) return '';
  return h('div', { class: 'banner banner-ok', id: 'credit-offer' },
    h('span', {}, t('credit.offer', { amount: formatMoney(inv.customerCredit, inv.currency) })), ' ',
    h('button', { type: 'button', class: 'primary small', id: 'use-credit', onclick: async () => { if (await useCredit(ctx, inv.customerId, inv.id)) done(); } }, t('credit.useHere')));
}

/** Just after issuing: the customer has credit, so ask whether to use it on this invoice. */
export async function offerCreditAfterIssue(ctx, inv) {
  const { t } = ctx;
  if (isZeroAmount(inv.customerCredit) || isZeroAmount(inv.open)) return false;
  const yes = await confirmDialog(t('credit.title'), t('credit.offerOnIssue', { amount: formatMoney(inv.customerCredit, inv.currency), number: inv.number }), t('credit.useHere'));
  return yes ? useCredit(ctx, inv.customerId, inv.id) : false;
}

/** The customer's balance in its parts, with what can be done about a credit. */
export function customerCreditBlock(ctx, c, done) {
  const { t } = ctx;
  if (isZeroAmount(c.credit)) return '';
  const hasOpen = c.invoices.some((i) => i.status !== 'draft' && i.status !== 'paid');
  return h('div', { class: 'banner banner-ok credit-block', id: 'customer-credit' },
    h('p', {}, isZeroAmount(c.owed) ? t('credit.only', { credit: formatMoney(c.credit, c.currency) }) : t('credit.parts', { owed: formatMoney(c.owed, c.currency), credit: formatMoney(c.credit, c.currency) })),
    isZeroAmount(c.creditAvailable) ? null : h('div', { class: 'toolbar' },
      hasOpen ? h('button', { type: 'button', class: 'primary small', id: 'use-credit-all', onclick: async () => { if (await useCredit(ctx, c.id)) done(); } }, t('credit.useOnOpen')) : null,
      h('button', { type: 'button', class: 'secondary small', id: 'refund-credit', onclick: () => openRefund(ctx, c, done) }, t('credit.refund'))));
}

/** Pays (part of) the credit back, in cash or by bank; the core refuses more than is available. */
export function openRefund(ctx, c, done) {
  const { t, api } = ctx;
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'refund-form' },
    h('p', { class: 'wide hint' }, t('credit.refundHint', { amount: formatMoney(c.creditAvailable, c.currency) })),
    field({ name: 'amount', label: t('payment.amount'), inputmode: 'decimal', value: c.creditAvailable, required: true }),
    field({ name: 'date', label: t('payment.date'), type: 'date', value: isoToday(), required: true }),
    field({ name: 'method', label: t('payment.method'), type: 'select', value: 'bank', options: ['bank', 'cash', 'card', 'other'].map((m) => ({ value: m, label: t(`method.${m}`) })) }),
    field({ name: 'reference', label: t('payment.reference') }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'refund-save' }, t('credit.refund'))));
  const m = modal(t('credit.refundTitle'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.refundCredit({ ...formValues(form), customerId: c.id });
      m.close();
      toast(t('credit.refunded'));
      done();
    } catch (err) { showError(form, err); }
  });
}

/** The advance the customer paid before the work, offered on the invoice for it (#22). */
export function invoiceAdvanceBanner(ctx, inv, done) {
  const { t, api } = ctx;
  if (isZeroAmount(inv.customerAdvance) || isZeroAmount(inv.open)) return '';
  return h('div', { class: 'banner banner-ok', id: 'advance-offer' },
    h('span', {}, t('advance.offer', { amount: formatMoney(inv.customerAdvance, inv.currency) })), ' ',
    h('button', {
      type: 'button', class: 'primary small', id: 'apply-advance', onclick: async () => {
        try {
          const r = await api.applyAdvance({ invoiceId: inv.id });
          toast(t('advance.applied', { amount: formatMoney(r.amount, r.currency) }));
          done();
        } catch (err) { toast(t(err.key), 'error'); }
      },
    }, t('advance.applyHere')));
}
