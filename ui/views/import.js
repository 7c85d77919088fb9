// Import from CSV: customers (with opening balances) or unbilled services.
// Choose a file → Rust reads it (encoding, delimiter, columns) and checks every row → the user
// fixes the mapping or the options until nothing is wrong → one all-or-nothing import.
import { h, clear, toast, confirmDialog, filePicker } from '../components/dom.js';

const FIELD_LABELS = {
  name: 'customer.name', contactPerson: 'customer.contactPerson', address: 'customer.address', country: 'customer.country',
  email: 'customer.email', phone: 'customer.phone', taxId: 'customer.taxId', currency: 'customer.currency', language: 'customer.language',
  transitDays: 'customer.transitDays', notes: 'customer.notes', openingBalance: 'import.openingBalance', openingDate: 'import.openingDate',
  customer: 'customer.pick', serviceDate: 'charge.serviceDate', description: 'charge.description', quantity: 'charge.quantity',
  unit: 'charge.unit', unitPrice: 'charge.unitPrice', taxRate: 'charge.taxRate',
};

/** Bytes → base64 without blowing the call stack on big files. */
export function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function select(id, label, options, value, onchange) {
  const el = h('select', { id, onchange }, options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
  return h('div', { class: 'field' }, h('label', { for: id }, label), el);
}

export async function mount(root, ctx) {
  const { t, api, route } = ctx;
  const kind = route.id === 'charges' ? 'charges' : 'customers';
  const title = t(kind === 'charges' ? 'import.titleCharges' : 'import.titleCustomers');
  const { el: filePick, input: fileInput } = filePicker({ id: 'import-file', accept: '.csv,.txt,text/csv,text/plain' });
  const options = h('div', { class: 'form-grid', id: 'import-options' });
  const mappingBox = h('div', { id: 'import-mapping' });
  const summary = h('p', { class: 'lead', id: 'import-summary', 'aria-live': 'polite' });
  const problemsBox = h('div', { id: 'import-problems-box' });
  const previewBox = h('div', { class: 'table-wrap', id: 'import-preview' });
  const progress = h('progress', { id: 'import-progress', hidden: true, 'aria-label': t('import.running') });
  const runButton = h('button', { type: 'button', class: 'primary', id: 'import-run', disabled: true }, t('import.run'));
  const back = kind === 'charges' ? 'unbilled' : 'customers';

  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, title), h('a', { href: `#/${back}`, class: 'button secondary' }, t('action.close'))),
    h('section', { class: 'card' },
      h('p', { class: 'hint' }, t(kind === 'charges' ? 'import.hintCharges' : 'import.hintCustomers')),
      h('div', { class: 'field wide' }, h('label', { for: 'import-file' }, t('import.file')), filePick)),
    h('section', { class: 'card', id: 'import-step2', hidden: true },
      h('h2', {}, t('import.check')), summary, problemsBox,
      h('div', { class: 'actions' }, runButton, progress), previewBox, options, mappingBox));

  const opts = { delimiter: '', encoding: 'auto', decimalSeparator: '', dateOrder: 'dmy' };
  let data = null;
  let mapping = null; // null: let Rust map from the headers
  let last = null;

  function args() {
    const a = { kind, dataBase64: data, encoding: opts.encoding, dateOrder: opts.dateOrder };
    if (opts.delimiter) a.delimiter = opts.delimiter;
    if (opts.decimalSeparator) a.decimalSeparator = opts.decimalSeparator;
    if (mapping) a.mapping = mapping;
    return a;
  }

  function fieldLabel(key) { return t(FIELD_LABELS[key] || key); }

  function render(p) {
    last = p;
    root.querySelector('#import-step2').hidden = false;
    clear(options).append(
      select('import-delimiter', t('import.delimiter'), [
        { value: '', label: t('import.auto', { value: p.delimiter === '\t' ? 'Tab' : p.delimiter }) }, { value: ';', label: ';' }, { value: ',', label: ',' }, { value: '\t', label: 'Tab' }, { value: '|', label: '|' },
      ], opts.delimiter, (e) => { opts.delimiter = e.target.value; mapping = null; refresh(); }),
      select('import-encoding', t('import.encoding'), [
        { value: 'auto', label: t('import.auto', { value: p.encoding }) }, { value: 'utf-8', label: 'UTF-8' }, { value: 'windows-1251', label: 'Windows-1251' },
      ], opts.encoding, (e) => { opts.encoding = e.target.value; refresh(); }),
      select('import-decimal', t('import.decimal'), [
        { value: '', label: p.decimalSeparator ? t('import.auto', { value: p.decimalSeparator === ',' ? '1 234,50' : '1,234.50' }) : t('import.decimalUnknown') },
        { value: ',', label: '1 234,50' }, { value: '.', label: '1,234.50' },
      ], opts.decimalSeparator, (e) => { opts.decimalSeparator = e.target.value; refresh(); }),
      select('import-dates', t('import.dateOrder'), [{ value: 'dmy', label: '27.11.2026, 27/11/2026' }, { value: 'mdy', label: '11/27/2026' }], opts.dateOrder,
        (e) => { opts.dateOrder = e.target.value; refresh(); }));
    if (p.needsDecimalChoice) options.append(h('p', { class: 'wide field-error', role: 'alert' }, t('error.csv.ambiguousDecimal')));

    // Column mapping: one select per field of ours, listing the file's columns.
    const columns = [{ value: '', label: t('import.notImported') }, ...p.headers.map((name, i) => ({ value: i, label: name || t('import.column', { n: i + 1 }) }))];
    clear(mappingBox).append(h('h3', {}, t('import.mapping')), h('div', { class: 'form-grid' }, p.fields.map((f) => {
      const s = select(`map-${f.key}`, fieldLabel(f.key) + (f.required ? ' *' : ''), columns, f.column ?? '', (e) => {
        mapping = Object.fromEntries(last.fields.map((x) => [x.key, x.column]));
        mapping[f.key] = e.target.value === '' ? null : Number(e.target.value);
        refresh();
      });
      s.querySelector('select').dataset.field = f.key;
      return s;
    })));

    summary.textContent = t('import.summary', { rows: p.rowCount, ready: p.readyCount, problems: p.problemCount });
    clear(problemsBox);
    if (p.problemCount) {
      problemsBox.append(h('h3', { id: 'import-problems-title' }, t('import.problems', { n: p.problemCount })),
        h('ul', { class: 'problems', id: 'import-problems', 'aria-labelledby': 'import-problems-title' }, p.problems.map((x) => h('li', {},
          h('strong', {}, t('import.line', { n: x.line })), ' · ',
          x.column ? t('import.inColumn', { column: x.column }) : fieldLabel(x.field), ': ', t(x.message),
          x.value ? h('span', { class: 'muted' }, ` («${x.value}»)`) : null))),
        p.problemCount > p.problems.length ? h('p', { class: 'hint' }, t('import.moreProblems', { n: p.problemCount - p.problems.length })) : '');
    }
    const mapped = p.fields.filter((f) => f.column !== null && f.column !== undefined);
    clear(previewBox).append(h('table', { class: 'data' },
      h('caption', {}, t('import.previewCaption', { n: p.preview.length })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('import.lineCol')), mapped.map((f) => h('th', { scope: 'col' }, fieldLabel(f.key))))),
      h('tbody', {}, p.preview.map((r) => h('tr', { class: r.problems.length ? 'row-problem' : '' },
        h('td', {}, String(r.line)), mapped.map((f) => h('td', {}, r.values[f.key] ?? '')))))));
    runButton.disabled = !p.ready;
  }

  async function refresh() {
    if (!data) return;
    try {
      render(await api.importPreview(args()));
    } catch (err) {
      summary.textContent = t(err.key);
      root.querySelector('#import-step2').hidden = false;
      runButton.disabled = true;
    }
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => { data = toBase64(reader.result); mapping = null; refresh(); };
    reader.onerror = () => toast(t('error.csv.unreadable'), 'error');
    reader.readAsArrayBuffer(file);
  });

  runButton.addEventListener('click', async () => {
    if (!last || !last.ready) return;
    const ok = await confirmDialog(title, t('import.confirm', { n: last.rowCount }), t('import.run'));
    if (!ok) return;
    runButton.disabled = true;
    progress.hidden = false;
    try {
      const r = await api.importCsv(args());
      toast(kind === 'charges' ? t('import.doneCharges', { n: r.charges }) : t('import.doneCustomers', { n: r.customers, m: r.openingBalances }));
      ctx.navigate(back);
    } catch (err) {
      toast(t(err.key), 'error');
      await refresh();
    } finally {
      progress.hidden = true;
    }
  });
}
