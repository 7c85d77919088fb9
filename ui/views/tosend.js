// To send today: invoices not yet mailed and reminders due, grouped by customer; reminders
// are printed in one batch with a progress bar, and the next reminder date stays visible.
import { h, clear, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, formatDate, isoToday, fileName } from '../format.js';
import { onPdfProgress } from '../api.js';
import { pagerControls } from './shared.js';

const PAGE = 50;

export async function mount(root, ctx) {
  const { t, api } = ctx;
  let offset = Number(ctx.route?.params?.offset || 0);
  let res = await api.toSend({ offset, limit: PAGE });
  const progress = h('progress', { id: 'batch-progress', max: 1, value: 0, hidden: true, 'aria-label': t('tosend.progress') });
  root.append(h('header', { class: 'page-head' }, h('h1', {}, t('nav.tosend')),
    res.remindersDue ? h('button', { type: 'button', class: 'primary', id: 'remind-all', onclick: remindAll }, t('tosend.remindAll', { n: res.remindersDue })) : null), progress);
  root.append(h('p', { class: 'lead' }, [t('tosend.summaryMail', { n: res.toMail }), t('tosend.summaryReminders', { n: res.remindersDue }), t('tosend.summaryRules', { grace: res.settings.graceDays, spacing: res.settings.spacingDays })].join(' ')));
  if (!res.groupsTotal && !res.acts.length) root.append(h('p', { class: 'muted empty', id: 'nothing-to-send' }, t('tosend.nothing')));
  // A big shop has thousands of customers with something to send: a page of them at a time.
  const groups = h('div', { id: 'send-groups' });
  const pager = h('div', { class: 'pager', id: 'send-pager' });
  root.append(groups, pager);
  render();
  if (res.acts.length) {
    root.append(h('section', { class: 'card', id: 'acts-to-send' },
      h('header', { class: 'section-head' }, h('h2', {}, t('tosend.actsTitle')),
        h('button', { type: 'button', class: 'primary', id: 'print-acts', onclick: printActs }, t('tosend.printActs', { n: res.acts.length }))),
      h('ul', { class: 'plain-list' }, res.acts.map((a) => h('li', {}, a.number, ' · ', formatDate(a.date), ' · ',
        h('a', { href: `#/customers/${a.customerId}` }, a.customerName),
        a.invoiceId ? [' · ', h('a', { href: `#/invoice/${a.invoiceId}` }, t('act.forInvoice', { number: a.invoiceNumber }))] : '')))));
  }
  if (res.waiting.length) {
    root.append(h('section', { class: 'card' }, h('h2', {}, t('tosend.waitingTitle')),
      h('ul', { class: 'plain-list', id: 'waiting' }, res.waiting.map((r) => h('li', {}, h('a', { href: `#/invoice/${r.invoiceId}` }, r.number), ' · ', t(`reminder.level${r.level}`), ' ', t('tosend.nextOn', { date: formatDate(r.nextOn) })))),
      res.waitingTotal > res.waiting.length ? h('p', { class: 'muted' }, t('tosend.waitingMore', { n: res.waitingTotal - res.waiting.length })) : null));
  }

  function render() {
    clear(groups).append(...res.groups.map((g) => h('section', { class: 'card group' }, h('h2', {}, h('a', { href: `#/customers/${g.customerId}` }, g.customerName)),
      g.toMail.length ? h('ul', { class: 'plain-list' }, g.toMail.map((i) => h('li', {},
        h('a', { href: `#/invoice/${i.invoiceId}` }, i.number), ' · ', formatMoney(i.open, i.currency), ' · ', t('tosend.notSent'), ' ',
        h('button', { type: 'button', class: 'secondary small', onclick: () => printAndMark(i.invoiceId) }, t('tosend.printAndMark'))))) : null,
      g.reminders.length ? h('ul', { class: 'plain-list' }, g.reminders.map((r) => h('li', { class: 'reminder-due' },
        h('a', { href: `#/invoice/${r.invoiceId}` }, r.number), ' · ', t(`reminder.level${r.level}`), ' · ', t('tosend.overdueBy', { n: r.daysOverdue }), ' · ', formatMoney(r.open, r.currency), ' ',
        h('button', { type: 'button', class: 'secondary small', onclick: () => remindOne(r) }, t('tosend.remind'))))) : null)));
    clear(pager).append(...pagerControls({ offset, page: PAGE, total: res.groupsTotal, range: 'tosend.customersRange' }, turn));
  }
  async function turn(to) {
    try {
      res = await api.toSend({ offset: to, limit: PAGE });
      offset = to;
      render();
      groups.scrollIntoView?.({ block: 'start' });
    } catch (err) { toast(t(err.key), 'error'); }
  }

  async function printAndMark(invoiceId) {
    try {
      await api.openPdf({ kind: 'invoice', id: invoiceId });
      await api.recordSending({ invoiceId, kind: 'post' });
      toast(t('send.saved'));
      ctx.refresh();
    } catch (err) { toast(t(err.key), 'error'); }
  }
  async function remindOne(r) {
    const fee = r.proposedFee && r.proposedFee !== '0.00' && r.proposedFee !== '0';
    const applyFee = fee ? await confirmDialog(t('tosend.feeTitle'), t('tosend.feeQuestion', { amount: formatMoney(r.proposedFee, r.currency) }), t('tosend.addFee')) : false;
    try {
      const rec = await api.recordReminder({ invoiceId: r.invoiceId, applyFee });
      const out = await api.savePdf({ kind: 'reminder', id: rec.id });
      if (!out.cancelled) toast(t('pdf.saved', { path: fileName(out.path) }));
      ctx.refresh();
    } catch (err) { toast(t(err.key), 'error'); }
  }
  // Every act not yet handed over, in one PDF (two copies each); they count as handed over
  // once the owner has seen the list and confirmed, and the file was written.
  async function printActs() {
    const list = h('div', {}, h('p', {}, t('tosend.actsConfirm')),
      h('ul', { class: 'plain-list', id: 'acts-confirm-list' }, res.acts.map((a) => h('li', {}, `${a.number} · ${a.customerName}`))));
    if (!(await confirmDialog(t('tosend.actsTitle'), list, t('tosend.printActs', { n: res.acts.length })))) return;
    try {
      progress.hidden = false;
      progress.max = res.acts.length;
      const stop = await onPdfProgress((p) => { progress.value = p.done; progress.max = p.total; });
      const out = await api.saveBatchPdf(res.acts.map((a) => ({ kind: 'act', id: a.id })), `${t('file.acts')}-${isoToday()}.pdf`);
      stop();
      progress.hidden = true;
      if (out.cancelled) return;
      for (const a of res.acts) await api.recordActSending({ actId: a.id, kind: 'post' });
      toast(t('pdf.saved', { path: fileName(out.path) }));
      ctx.refresh();
    } catch (err) { toast(t(err.key), 'error'); }
  }
  async function remindAll() {
    // Every reminder due, on every page.
    const ids = [];
    try {
      // Shown first: each reminder that will be recorded (a final notice among them) and printed.
      const { due } = await api.toSend({ limit: 1, dueIds: true });
      const list = h('div', {}, h('p', {}, t('tosend.remindConfirm')),
        h('ul', { class: 'plain-list', id: 'reminders-confirm-list' }, due.map((d) => h('li', { class: d.level === 3 ? 'final-notice' : '' },
          `${d.number} · ${d.customerName} · ${t(`reminder.level${d.level}`)}`))));
      if (!(await confirmDialog(t('tosend.remindAllTitle'), list, t('tosend.remindAll', { n: due.length })))) return;
      for (const d of due) ids.push((await api.recordReminder({ invoiceId: d.invoiceId })).id);
      progress.hidden = false;
      progress.max = ids.length;
      const stop = await onPdfProgress((p) => { progress.value = p.done; progress.max = p.total; });
      const out = await api.saveBatchPdf(ids.map((id) => ({ kind: 'reminder', id })), `${t('file.reminders')}-${isoToday()}.pdf`);
      stop();
      if (!out.cancelled) toast(t('pdf.saved', { path: fileName(out.path) }));
      ctx.refresh();
    } catch (err) { toast(t(err.key), 'error'); }
  }
}
