// Repeat billing: a customer's recurring invoice schedules (every N weeks, monthly on day D,
// quarterly, yearly), made into drafts (or issued) by Rust when Esep opens and once a day.
import { h, clear, field, formValues, showError, clearErrors, modal, toast, confirmDialog } from '../components/dom.js';
import { formatMoney, formatDate, isoToday } from '../format.js';
import { vatRatesList } from './shared.js';

/** "Monthly on day 1", "Every 2 weeks", … in the user's language. */
export function ruleText(t, s) {
  if (s.frequency === 'weekly') return s.every === 1 ? t('recurring.rule.everyWeek') : t('recurring.rule.weekly', { n: s.every });
  const day = s.dayOfMonth ?? Number(s.startDate.slice(8, 10));
  if (s.frequency === 'monthly') return s.every === 1 ? t('recurring.rule.monthly', { day }) : t('recurring.rule.months', { n: s.every, day });
  return t(`recurring.rule.${s.frequency}`, { day });
}

function stateText(t, s) {
  if (s.ended) return t('recurring.ended');
  if (s.paused) return t('recurring.paused');
  return s.nextDate ? t('recurring.next', { date: formatDate(s.nextDate) }) : '';
}

/** Lines to bill (description, quantity, unit price, tax rate) edited in place in `lines`:
 * the schedule form's and the quote form's. */
export function lineEditor(t, lines, prefix) {
  const rates = vatRatesList();
  const box = h('div', { class: 'wide', id: `${prefix}-lines` });
  function draw() {
    clear(box).append(h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, [t('line.description'), t('line.quantity'), t('line.unitPrice'), t('line.taxRate'), ''].map((x) => h('th', {}, x)))),
      h('tbody', {}, lines.map((l, i) => h('tr', {},
        h('td', {}, h('input', { 'data-field': `lines[${i}].description`, value: l.description, 'aria-label': t('line.description'), oninput: (e) => { l.description = e.target.value; } })),
        h('td', {}, h('input', { 'data-field': `lines[${i}].quantity`, value: l.quantity, inputmode: 'decimal', size: 5, 'aria-label': t('line.quantity'), oninput: (e) => { l.quantity = e.target.value; } })),
        h('td', {}, h('input', { 'data-field': `lines[${i}].unitPrice`, value: l.unitPrice, inputmode: 'decimal', size: 10, 'aria-label': t('line.unitPrice'), oninput: (e) => { l.unitPrice = e.target.value; } })),
        h('td', {}, h('input', { 'data-field': `lines[${i}].taxRate`, value: l.taxRate, inputmode: 'decimal', size: 4, list: rates, 'aria-label': t('line.taxRate'), oninput: (e) => { l.taxRate = e.target.value; } })),
        h('td', {}, lines.length > 1 ? h('button', { type: 'button', class: 'icon-button', 'aria-label': t('action.remove'), onclick: () => { lines.splice(i, 1); draw(); } }, '×') : ''))))),
    h('button', { type: 'button', class: 'secondary small', id: `${prefix}-add-line`, onclick: () => { lines.push({ description: '', quantity: '1', unitPrice: '', taxRate: '' }); draw(); } }, t('invoice.addLine')));
  }
  draw();
  return box;
}

/** The lines as the core takes them (empty optional fields left out). */
export function linesArgs(lines) {
  return lines.map((l) => ({ description: l.description, quantity: l.quantity || undefined, unitPrice: l.unitPrice, taxRate: l.taxRate || undefined }));
}

/** The customer page's section: each schedule with what it bills, its rhythm and its state. */
export function recurringSection(ctx, c, schedules, reload) {
  const { t, api } = ctx;
  return h('section', { id: 'customer-recurring' },
    h('h3', {}, t('recurring.title')),
    schedules.length ? h('ul', { class: 'plain-list recurring-list' }, schedules.map((s) => h('li', { 'data-id': s.id },
      h('strong', {}, s.lines.map((l) => l.description).join('; ')), ' · ',
      h('span', { class: 'nowrap' }, formatMoney(s.total, s.currency)), ' · ', ruleText(t, s), ' · ',
      h('span', { class: 'muted' }, stateText(t, s)),
      s.autoIssue ? h('span', { class: 'pill pill-paid' }, t('recurring.autoIssue')) : '',
      s.drafts.length ? [' ', h('a', { href: `#/invoice/${s.drafts[0]}` }, t('recurring.draftsWaiting', { n: s.drafts.length }))] : '',
      s.ended ? '' : h('span', { class: 'recurring-actions' },
        h('button', { type: 'button', class: 'secondary small', onclick: () => openSchedule(ctx, c, reload, s) }, t('action.edit')),
        h('button', {
          type: 'button', class: 'secondary small', onclick: async () => {
            try { await api.pauseRecurring(s.id, !s.paused); toast(t(s.paused ? 'recurring.resumed' : 'recurring.pausedToast')); reload(); } catch (err) { toast(t(err.key), 'error'); }
          },
        }, t(s.paused ? 'recurring.resume' : 'recurring.pause')),
        h('button', {
          type: 'button', class: 'secondary small', onclick: async () => {
            if (!(await confirmDialog(t('recurring.endTitle'), t('recurring.endText'), t('recurring.end')))) return;
            try { await api.endRecurring(s.id); reload(); } catch (err) { toast(t(err.key), 'error'); }
          },
        }, t('recurring.end')))))) : h('p', { class: 'muted' }, t('recurring.none')),
    c.archived ? '' : h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'secondary', id: 'recurring-new', onclick: () => openSchedule(ctx, c, reload) }, t('recurring.new'))));
}

/** The schedule form: lines, rhythm, from when, until when or how many times, issued or not. */
export function openSchedule(ctx, c, done, s) {
  const { t, api } = ctx;
  const lines = (s ? s.lines : [{ description: '', quantity: '1', unitPrice: '', taxRate: '' }]).map((l) => ({ ...l }));
  const linesBox = lineEditor(t, lines, 'recurring');
  const frequencies = ['monthly', 'weekly', 'quarterly', 'yearly'].map((f) => ({ value: f, label: t(`recurring.frequency.${f}`) }));
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'recurring-form' },
    h('p', { class: 'wide hint' }, t('recurring.hint')),
    linesBox,
    field({ name: 'frequency', label: t('recurring.frequency'), type: 'select', value: s ? s.frequency : 'monthly', options: frequencies }),
    field({ name: 'every', label: t('recurring.every'), inputmode: 'numeric', value: s ? String(s.every) : '1' }),
    field({ name: 'dayOfMonth', label: t('recurring.dayOfMonth'), inputmode: 'numeric', value: s && s.dayOfMonth ? String(s.dayOfMonth) : '', hint: t('recurring.dayHint') }),
    field({ name: 'startDate', label: t('recurring.start'), type: 'date', value: s ? s.startDate : isoToday(), required: true }),
    field({ name: 'endDate', label: t('recurring.endDate'), type: 'date', value: s && s.endDate ? s.endDate : '' }),
    field({ name: 'count', label: t('recurring.count'), inputmode: 'numeric', value: s && s.count ? String(s.count) : '' }),
    field({ name: 'autoIssue', label: t('recurring.autoIssueLabel'), type: 'checkbox', value: s ? s.autoIssue : false, wide: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'recurring-save' }, t('action.save'))));
  const m = modal(t(s ? 'recurring.editTitle' : 'recurring.newTitle', { name: c.name }), form, { wide: true });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const num = (x) => (x === '' ? undefined : /^\d+$/.test(x) ? Number(x) : x);
    try {
      await api.saveRecurring({
        id: s ? s.id : undefined,
        customerId: c.id,
        lines: linesArgs(lines),
        frequency: v.frequency,
        every: num(v.every),
        dayOfMonth: v.frequency === 'weekly' ? undefined : num(v.dayOfMonth),
        startDate: v.startDate || undefined,
        endDate: v.endDate || undefined,
        count: num(v.count),
        autoIssue: v.autoIssue,
        termsId: s ? s.termsId ?? undefined : undefined,
        language: s ? s.language ?? undefined : undefined,
        purpose: s ? s.purpose || undefined : undefined,
        notes: s ? s.notes || undefined : undefined,
      });
      m.close();
      // What is due already is made at once.
      const r = await api.runRecurring();
      toast(r.generated.length ? t('recurring.made', { n: r.generated.length }) : t('recurring.saved'));
      done();
    } catch (err) { showError(form, err); }
  });
}
