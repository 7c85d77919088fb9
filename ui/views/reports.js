// Reports: ageing (table and bar chart), revenue per month (chart and table), statements and
// the accountant's exports. Charts are SVG built from core data, readable without colour
// (patterns and labels), with the figures always in a table too.
import { h, clear, toast, dateInput, dateValue } from '../components/dom.js';
import { formatMoney, formatNumber, formatDate, isoToday, fileName, formatMonth } from '../format.js';
import { customerPicker } from './charges.js';
import { pagerControls } from './shared.js';
import { currentLanguage } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/**
 * A horizontal or vertical bar chart of [label, decimalString] with values printed on the bars.
 * @param {string} title
 * @param {Array<[string, string]>} rows
 * @param {string} currency
 * @param {{id?: string}} [options]
 */
export function barChart(title, rows, currency, { id } = {}) {
  const values = rows.map(([, v]) => Number(v)); // display only: bar lengths, never money arithmetic
  const max = Math.max(1, ...values.map(Math.abs));
  const w = 640; const barH = 26; const gap = 8; const labelW = 150;
  const height = rows.length * (barH + gap) + 10;
  const svg = s('svg', { viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': title, class: 'chart', id });
  rows.forEach(([label, v], i) => {
    const y = i * (barH + gap) + 5;
    const len = Math.max(0, (Math.abs(Number(v)) / max) * (w - labelW - 150));
    svg.append(s('text', { x: 0, y: y + barH * 0.68, class: 'chart-label' }, label));
    svg.append(s('rect', { x: labelW, y, width: len, height: barH, class: `chart-bar chart-bar-${i % 5}` }));
    svg.append(s('text', { x: labelW + len + 6, y: y + barH * 0.68, class: 'chart-value' }, formatMoney(v, currency)));
  });
  return svg;
}

export async function mount(root, ctx) {
  const { t, api, state } = ctx;
  // A big shop has thousands of customers with something open: a page at a time, the most
  // overdue first; the totals (and the chart) always cover everyone.
  const PAGE = 50;
  const aq = { sort: 'overdue', limit: PAGE, offset: 0 };
  let [ageing, dash] = await Promise.all([api.ageing(aq), api.dashboard()]);
  const cur = state.profile.currency;
  const tot = ageing.totals.find((x) => x.currency === cur) || ageing.totals[0];
  const buckets = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'];
  root.append(h('header', { class: 'page-head' }, h('h1', {}, t('nav.reports'))));
  // Ageing.
  const ageingSection = h('section', { class: 'card', id: 'ageing' }, h('h2', {}, t('reports.ageing', { date: formatDate(ageing.asOf) })));
  if (tot) ageingSection.append(barChart(t('reports.ageingChart'), buckets.map((b) => [t(`doc.bucket.${b}`), tot[b]]), tot.currency, { id: 'ageing-chart' }));
  const sorts = [['overdue', t('reports.sortOverdue')], ['owed', t('reports.sortOwed')], ['customer', t('reports.sortCustomer')]];
  const sortSel = h('select', { id: 'ageing-sort' }, sorts.map(([k, label]) => h('option', { value: k }, label)));
  const body = h('tbody', {});
  const pager = h('div', { class: 'pager', id: 'ageing-pager' });
  ageingSection.append(h('div', { class: 'field inline' }, h('label', { for: 'ageing-sort' }, t('reports.sortBy')), sortSel),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'ageing-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('invoices.customer')), buckets.map((b) => h('th', { class: 'num' }, t(`doc.bucket.${b}`))), h('th', { class: 'num' }, t('reports.total')), h('th', { class: 'num' }, t('reports.credit')))),
      body,
      h('tfoot', {}, ageing.totals.map((r) => h('tr', {}, h('th', {}, t('reports.total')), buckets.map((b) => h('td', { class: 'num' }, formatNumber(r[b]))), h('td', { class: 'num', id: 'ageing-total' }, formatMoney(r.total, r.currency)), h('td', { class: 'num' }, formatNumber(r.credit))))))),
    pager);
  function renderAgeing() {
    clear(body).append(...ageing.rows.map((r) => h('tr', {}, h('td', {}, h('a', { href: `#/customers/${r.customerId}` }, r.customerName)), buckets.map((b) => h('td', { class: 'num' }, formatNumber(r[b]))), h('td', { class: 'num' }, formatMoney(r.total, r.currency)), h('td', { class: 'num' }, formatNumber(r.credit)))));
    clear(pager).append(...pagerControls({ offset: aq.offset, page: PAGE, total: ageing.rowsTotal }, loadAgeing));
  }
  async function loadAgeing(offset) {
    try {
      ageing = await api.ageing({ ...aq, offset });
      aq.offset = offset;
      renderAgeing();
      body.scrollIntoView?.({ block: 'nearest' });
    } catch (err) { toast(t(err.key), 'error'); }
  }
  sortSel.addEventListener('change', () => { aq.sort = sortSel.value; loadAgeing(0); });
  renderAgeing();
  root.append(ageingSection);
  // Revenue.
  root.append(h('section', { class: 'card', id: 'revenue' }, h('h2', {}, t('reports.revenue')),
    barChart(t('reports.revenue'), dash.revenue.map((m) => [formatMonth(m.month), m.net]), dash.currency, { id: 'revenue-chart' }),
    h('details', {}, h('summary', {}, t('reports.asTable')), h('table', { class: 'data' }, h('tbody', {}, dash.revenue.map((m) => h('tr', {}, h('th', {}, formatMonth(m.month)), h('td', { class: 'num' }, formatMoney(m.net, dash.currency)))))))));
  // Statement.
  const picker = customerPicker(ctx, { id: 'statement-customer', label: t('reports.statementFor') });
  const from = dateInput({ id: 'statement-from', name: 'from', value: `${isoToday().slice(0, 4)}-01-01` });
  const to = dateInput({ id: 'statement-to', name: 'to', value: isoToday() });
  root.append(h('section', { class: 'card form-grid', id: 'statement' }, h('h2', { class: 'wide' }, t('reports.statement')), picker.el,
    h('div', { class: 'field' }, h('label', { for: 'statement-from' }, t('reports.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'statement-to' }, t('reports.to')), to),
    h('div', { class: 'actions wide' }, h('button', {
      type: 'button', class: 'primary', id: 'statement-pdf', onclick: async () => {
        try {
          const r = await api.savePdf({ kind: 'statement', id: picker.value(), from: dateValue(from), to: dateValue(to) });
          if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
        } catch (err) { toast(t(err.key), 'error'); }
      },
    }, t('reports.statementPdf')))));
  picker.load();
  // Exports: the journal for the accountant's tools, and CSV files for Excel. Kazakh and
  // Russian Excel expects ';' and decimal commas, English Excel ',' and decimal points.
  const excelPick = h('select', { id: 'export-delimiter' },
    h('option', { value: ';', selected: currentLanguage() !== 'en' }, t('reports.delimiterSemicolon')),
    h('option', { value: ',', selected: currentLanguage() === 'en' }, t('reports.delimiterComma')));
  const exp = async (kind) => {
    try {
      const r = await api.saveExport(kind, kind === 'hledger' ? {} : { delimiter: excelPick.value });
      if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) }));
    } catch (err) { toast(t(err.key), 'error'); }
  };
  const button = (kind, key) => h('button', { type: 'button', class: 'secondary', id: `export-${kind}`, onclick: () => exp(kind) }, t(key));
  root.append(h('section', { class: 'card', id: 'exports' }, h('h2', {}, t('reports.exports')), h('p', { class: 'hint' }, t('reports.exportsHint')),
    h('div', { class: 'toolbar' }, button('hledger', 'reports.exportHledger'), button('journal', 'reports.exportCsv'),
      h('button', { type: 'button', class: 'secondary', onclick: () => api.savePdf({ kind: 'calibration' }).then((r) => !r.cancelled && toast(t('pdf.saved', { path: fileName(r.path) }))) }, t('reports.calibration'))),
    h('h3', {}, t('reports.csvFiles')),
    h('div', { class: 'field' }, h('label', { for: 'export-delimiter' }, t('reports.delimiter')), excelPick),
    h('div', { class: 'toolbar' }, button('customers', 'reports.exportCustomers'), button('invoices', 'reports.exportInvoices'), button('invoice_lines', 'reports.exportLines'),
      button('payments', 'reports.exportPayments'), button('ageing', 'reports.exportAgeing'))));
}
