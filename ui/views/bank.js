// Bank: statements in, payments matched. The owner imports the bank's statement (1C
// client-bank exchange, MT940 or camt.053); Rust reads it, keeps every line once, and proposes
// for each incoming line which customer and invoices it pays and why. The owner confirms (one
// key: Enter on the line), changes the allocation, or sets the line aside with a reason.
import { h, clear, toast, modal, field, formValues, showError, clearErrors, filePicker } from '../components/dom.js';
import { formatMoney, formatDate } from '../format.js';
import { toBase64 } from './import.js';
import { showOutcome } from './payments.js';

/** "line:12" or "line:12:Сумма" → the line and the tag, for messages about the file. */
function fileError(t, err) {
  const m = /^line:(\d+)(?::(.+))?$/.exec(err.field || '');
  const what = t(err.key);
  if (!m) return what;
  return m[2] ? t('bank.errorAtTag', { line: m[1], tag: m[2].replace(/^amount$/, t('bank.amount')), message: what }) : t('bank.errorAt', { line: m[1], message: what });
}

/** Text with its document numbers ("INV-2026-0016", "2026/42") kept whole on one line. */
function keepNumbers(text) {
  return String(text).split(/([\p{L}\d]+(?:[-/.][\p{L}\d]+)+)/u).map((part, i) => (i % 2 && /\d/.test(part) ? h('span', { class: 'nowrap' }, part) : part));
}

function reasonText(t, r, currency) {
  const p = { ...(r.params || {}) };
  if (p.amount) p.amount = formatMoney(p.amount, currency);
  if (p.n) p.n = Number(p.n);
  return t(r.key, p);
}

export async function mount(root, ctx) {
  const { t, api } = ctx;
  const { el: filePick, input: fileInput } = filePicker({ id: 'bank-file', accept: '.txt,.xml,.sta,.mt940,.940,text/plain,application/xml' });
  const auto = h('input', { type: 'checkbox', id: 'bank-auto' });
  auto.checked = localStorage.getItem('esep.bankAutoConfirm') === '1';
  auto.addEventListener('change', () => localStorage.setItem('esep.bankAutoConfirm', auto.checked ? '1' : '0'));
  const result = h('div', { id: 'bank-result', 'aria-live': 'polite' });
  const progress = h('progress', { id: 'bank-progress', hidden: true, 'aria-label': t('bank.reading') });
  const inbox = h('section', { class: 'card', id: 'bank-inbox' });
  const statements = h('section', { class: 'card', id: 'bank-statements' });
  const aside = h('section', { class: 'card', id: 'bank-aside' });

  root.append(
    h('header', { class: 'page-head' }, h('h1', {}, t('bank.title'))),
    h('section', { class: 'card' },
      h('h2', {}, t('bank.import')),
      h('p', { class: 'hint' }, t('bank.importHint')),
      h('div', { class: 'field wide' }, h('label', { for: 'bank-file' }, t('bank.file')), filePick),
      h('div', { class: 'field field-check' }, auto, h('label', { for: 'bank-auto' }, t('bank.autoConfirm'))),
      progress, result),
    inbox, statements, aside);

  const mapBox = h('div', { id: 'bank-mapping' });
  result.before(mapBox);

  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    const reader = new FileReader();
    progress.hidden = false;
    clear(result);
    clear(mapBox);
    reader.onload = async () => {
      const data = toBase64(reader.result);
      try {
        const r = await api.readStatement({ dataBase64: data });
        // A bank's CSV whose columns were not mapped for this bank yet: once, by the owner.
        if (r.format === 'csv' && !r.saved) mapColumns(data, file.name, r);
        else await run({ dataBase64: data, fileName: file.name });
      } catch (err) {
        failed(err);
      } finally {
        progress.hidden = true;
        fileInput.value = '';
      }
    };
    reader.readAsArrayBuffer(file);
  });

  function failed(err) {
    clear(result).append(h('p', { class: 'banner banner-warn', id: 'bank-error', role: 'alert' }, fileError(t, err)));
  }

  async function run(args) {
    try {
      const r = await api.importStatement({ ...args, autoConfirm: auto.checked || undefined });
      clear(mapBox);
      showImported(r);
      await refresh();
    } catch (err) { failed(err); }
  }

  /** Which column is which, with the first rows as read; remembered for this bank's layout. */
  function mapColumns(data, name, first) {
    const opts = { mapping: { ...first.mapping }, decimalSeparator: '', dateOrder: 'dmy' };
    const status = h('p', { id: 'bank-map-status', 'aria-live': 'polite' });
    const runButton = h('button', { type: 'button', class: 'primary', id: 'bank-map-run' }, t('import.run'));
    const columns = first.headers.map((c, i) => ({ value: String(i), label: c || t('import.column', { n: i + 1 }) }));
    const pick = (id, label, options, value, onchange) => h('div', { class: 'field' }, h('label', { for: id }, label),
      h('select', { id, onchange }, options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label))));
    const selects = first.fields.map((f) => pick(`bank-map-${f}`, t(`bank.field.${f}`), [{ value: '', label: t('import.notImported') }, ...columns], opts.mapping[f],
      (e) => { if (e.target.value === '') delete opts.mapping[f]; else opts.mapping[f] = Number(e.target.value); check(); }));
    const preview = h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'bank-map-preview' },
      h('caption', {}, t('import.previewCaption', { n: first.rows.length })),
      h('thead', {}, h('tr', {}, first.headers.map((c, i) => h('th', { scope: 'col' }, c || t('import.column', { n: i + 1 }))))),
      h('tbody', {}, first.rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
    const args = () => ({ dataBase64: data, fileName: name, mapping: opts.mapping, dateOrder: opts.dateOrder, decimalSeparator: opts.decimalSeparator || undefined });
    async function check() {
      try {
        const r = await api.readStatement(args());
        runButton.disabled = !!r.problem;
        const problem = r.problem && { key: r.problem.message, field: r.problem.field };
        clear(status).append(problem ? h('span', { class: 'field-error' }, fileError(t, problem)) : t('bank.readsAs', { n: r.lines, from: formatDate(r.from), to: formatDate(r.to) }));
      } catch (err) { runButton.disabled = true; clear(status).append(h('span', { class: 'field-error' }, fileError(t, err))); }
    }
    runButton.addEventListener('click', () => run(args()));
    clear(mapBox).append(h('div', { class: 'bank-map' },
      h('h3', {}, t('bank.mapTitle')), h('p', { class: 'hint' }, t('bank.mapHint')),
      h('div', { class: 'form-grid' }, selects,
        pick('bank-map-decimal', t('import.decimal'), [{ value: '', label: t('bank.decimalAuto') }, { value: ',', label: '1 234,50' }, { value: '.', label: '1,234.50' }], '',
          (e) => { opts.decimalSeparator = e.target.value; check(); }),
        pick('bank-map-dates', t('import.dateOrder'), [{ value: 'dmy', label: '27.11.2026, 27/11/2026' }, { value: 'mdy', label: '11/27/2026' }], 'dmy',
          (e) => { opts.dateOrder = e.target.value; check(); })),
      preview, status, h('div', { class: 'actions' }, runButton)));
    check();
  }

  function showImported(r) {
    const parts = [t('bank.imported', { n: r.lines }), t('bank.added', { n: r.added })];
    if (r.already.length) parts.push(t('bank.already', { n: r.already.length, lines: r.already.join(', ') }));
    if (r.autoConfirmed) parts.push(t('bank.autoConfirmed', { n: r.autoConfirmed }));
    clear(result).append(h('p', { class: 'banner banner-ok', id: 'bank-summary' }, parts.join(' ')));
  }

  async function refresh() {
    const [list, stmts, setAside] = await Promise.all([api.bankTransactions({ limit: 200 }), api.bankStatements(), api.bankTransactions({ state: 'ignored', limit: 200 })]);
    drawInbox(list);
    drawStatements(stmts);
    drawAside(setAside);
  }

  function drawInbox(list) {
    clear(inbox).append(h('h2', {}, t('bank.toConfirm', { n: list.total })));
    if (!list.items.length) {
      inbox.append(h('p', { class: 'muted', id: 'bank-nothing' }, t('bank.nothingToConfirm')));
      return;
    }
    inbox.append(h('p', { class: 'hint' }, t('bank.keysHint')));
    const rows = list.items.map((tx) => {
      const p = tx.proposal;
      const confirmButton = h('button', { type: 'button', class: 'primary', disabled: !p, onclick: () => confirm(tx) }, t('bank.confirm'));
      const tr = h('tr', { 'data-id': tx.id, tabindex: 0, class: 'bank-line' },
        h('td', { class: 'nowrap' }, formatDate(tx.date), h('br'), h('span', { class: 'muted' }, t('bank.age', { n: tx.ageDays }))),
        h('td', {}, tx.counterparty || '—', tx.counterpartyId ? h('div', { class: 'muted' }, tx.counterpartyId) : ''),
        h('td', { class: 'num nowrap' }, formatMoney(tx.amount, tx.currency)),
        h('td', {}, keepNumbers(tx.purpose)),
        h('td', { class: 'proposal' }, p ? [
          h('strong', {}, p.customerName), ' ',
          h('span', { class: `pill pill-${p.confidence === 'high' ? 'paid' : p.confidence === 'medium' ? 'partly_paid' : 'draft'}` }, t(`bank.confidence.${p.confidence}`)),
          p.prepaymentNumber ? h('div', {}, t('bank.advanceAgainst', { number: p.prepaymentNumber }))
            : p.allocations.length ? h('div', {}, p.allocations.map((a, i) => [i ? ' · ' : '', h('span', { class: 'nowrap' }, `${a.number}: ${formatMoney(a.amount, tx.currency)}`)])) : h('div', {}, t('bank.oldestFirst')),
          h('ul', { class: 'reasons muted' }, p.reasons.map((r) => h('li', {}, keepNumbers(reasonText(t, r, tx.currency))))),
        ] : h('p', { class: 'muted' }, t('bank.noProposal')),
        h('div', { class: 'bank-actions' },
          confirmButton,
          h('button', { type: 'button', class: 'secondary', onclick: () => change(tx) }, t('bank.change')),
          h('button', { type: 'button', class: 'secondary', onclick: () => setAsideDialog(tx) }, t('bank.setAside')))));
      tr.addEventListener('keydown', (e) => {
        if (e.target !== tr) return;
        if (e.key === 'Enter' && p) { e.preventDefault(); confirm(tx); }
      });
      return tr;
    });
    inbox.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'bank-lines' },
      h('thead', {}, h('tr', {}, [t('bank.date'), t('bank.payer'), t('bank.amount'), t('bank.purpose'), t('bank.proposal')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows))));
  }

  async function confirm(tx, customerId, allocations) {
    const p = tx.proposal;
    try {
      const r = await api.confirmBankTransaction({
        id: tx.id,
        customerId: customerId ?? p.customerId,
        allocations: allocations ?? (customerId === undefined && p && p.allocations.length ? p.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })) : undefined),
        // The proposal as it was (an advance against a prepayment request), unless changed.
        prepaymentId: customerId === undefined && p && p.prepaymentId ? p.prepaymentId : undefined,
      });
      toast(t('bank.confirmed', { name: r.transaction.customerName }));
      await refresh();
      // A payment that differs from what was due gets its outcome (the notice to send); an exact
      // one only a message, so Enter goes on to the next line.
      if (r.payment && r.payment.discrepancy) showOutcome(ctx, r.payment, () => {});
      const next = inbox.querySelector('tr.bank-line');
      if (next) next.focus();
    } catch (err) { toast(t(err.key), 'error'); }
  }

  /** Another customer, or other invoices: the customer's open invoices with amounts to fill. */
  async function change(tx) {
    const customers = await api.searchCustomers({ query: '', limit: 500 });
    const list = customers.rows;
    const pick = h('select', { id: 'bank-customer', name: 'customerId', 'data-field': 'customerId' },
      h('option', { value: '' }, t('bank.pickCustomer')),
      list.map((c) => h('option', { value: c.id, selected: tx.proposal && tx.proposal.customerId === c.id }, c.name)));
    const invoicesBox = h('div', { id: 'bank-invoices', class: 'wide' });
    const form = h('form', { class: 'form-grid', novalidate: true, id: 'bank-change-form' },
      h('p', { class: 'wide' }, t('bank.changeLead', { amount: formatMoney(tx.amount, tx.currency), date: formatDate(tx.date), payer: tx.counterparty || '—' })),
      h('div', { class: 'field wide' }, h('label', { for: 'bank-customer' }, t('bank.customer')), pick),
      invoicesBox,
      h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'bank-change-save' }, t('bank.confirm'))));
    const m = modal(t('bank.changeTitle'), form, { wide: true });
    async function load() {
      clear(invoicesBox);
      if (!pick.value) return;
      let s;
      try {
        s = await api.suggestAllocation({ customerId: Number(pick.value), amount: tx.amount, date: tx.date });
      } catch (err) { showError(form, err); return; }
      const proposed = tx.proposal && tx.proposal.customerId === Number(pick.value) ? tx.proposal.allocations : null;
      const items = s.items.filter((r) => r.itemType === 'invoice');
      if (!items.length) { invoicesBox.append(h('p', { class: 'muted' }, t('bank.noOpenInvoices'))); return; }
      invoicesBox.append(h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, [t('invoices.number'), t('invoices.due'), t('invoices.open'), t('payment.allocate')].map((x) => h('th', {}, x)))),
        h('tbody', {}, items.map((r, i) => {
          const given = proposed ? proposed.find((a) => a.invoiceId === r.itemId) : null;
          const value = proposed ? (given ? given.amount : '') : (r.allocate && !/^0+(\.0+)?$/.test(r.allocate) ? r.allocate : '');
          return h('tr', {},
            h('td', {}, r.label || t('doc.kind.opening')), h('td', {}, r.dueDate ? formatDate(r.dueDate) : '—'),
            h('td', { class: 'num' }, formatMoney(r.open, s.currency)),
            h('td', {}, h('input', { id: `bank-alloc-${i}`, 'data-field': `alloc-${r.itemId}`, value, inputmode: 'decimal', autocomplete: 'off', 'aria-label': t('bank.allocateTo', { number: r.label }) })));
        }))));
    }
    pick.addEventListener('change', load);
    await load();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!pick.value) { showError(form, { field: 'customerId', key: 'error.required' }); return; }
      const v = formValues(form);
      const allocations = Object.entries(v).filter(([k, a]) => k.startsWith('alloc-') && a && !/^0+([.,]0*)?$/.test(a)).map(([k, a]) => ({ invoiceId: Number(k.slice(6)), amount: a }));
      m.close();
      await confirm(tx, Number(pick.value), allocations.length ? allocations : undefined);
    });
  }

  function setAsideDialog(tx) {
    const form = h('form', { class: 'form-grid', novalidate: true, id: 'bank-aside-form' },
      h('p', { class: 'wide hint' }, t('bank.setAsideHint')),
      field({ name: 'reason', label: t('bank.reason'), required: true, wide: true }),
      h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'bank-aside-save' }, t('bank.setAsideSave'))));
    const m = modal(t('bank.setAsideTitle'), form);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      try {
        await api.setAsideBankTransaction(tx.id, formValues(form).reason);
        m.close();
        await refresh();
      } catch (err) { showError(form, err); }
    });
  }

  function drawStatements(list) {
    clear(statements).append(h('h2', {}, t('bank.statements')));
    if (!list.length) { statements.append(h('p', { class: 'muted' }, t('bank.noStatements'))); return; }
    const money = (a, s) => (a == null ? '—' : formatMoney(a, s.currency));
    statements.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'bank-statement-list' },
      h('thead', {}, h('tr', {}, [t('bank.statement'), t('bank.opening'), t('bank.moneyIn'), t('bank.moneyOut'), t('bank.closing'), t('bank.books'), t('bank.difference')]
        .map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, list.map((s) => h('tr', { 'data-id': s.statementId },
        h('td', {}, s.fileName || t(`bank.format.${s.format}`), h('div', { class: 'muted' }, s.from && s.to ? `${formatDate(s.from)} – ${formatDate(s.to)}` : ''),
          h('div', { class: 'muted' }, t('bank.counts', { matched: s.matched, toConfirm: s.toConfirm, aside: s.setAside, out: s.moneyOutLines })),
          h('button', { type: 'button', class: 'secondary statement-lines', onclick: () => showLines(s) }, t('bank.showLines'))),
        h('td', { class: 'num nowrap' }, money(s.opening, s)),
        h('td', { class: 'num nowrap' }, money(s.moneyIn, s)),
        h('td', { class: 'num nowrap' }, money(s.moneyOut, s)),
        h('td', { class: 'num nowrap' }, money(s.closing, s),
          s.linesAgree === false ? h('div', { class: 'pill pill-overdue' }, t('bank.linesDisagree', { computed: money(s.computedClosing, s) })) : ''),
        h('td', { class: 'num nowrap' }, money(s.booksBalance, s)),
        h('td', { class: 'num nowrap' }, money(s.difference, s))))))),
    h('p', { class: 'hint' }, t('bank.differenceHint')));
  }

  /** A statement's own lines, in and out, each with what became of it. */
  async function showLines(s) {
    const list = await api.bankTransactions({ state: 'all', statementId: s.statementId, limit: 1000 });
    const state = (tx) => (tx.state === 'matched' ? t('bank.state.matched', { name: tx.customerName || '' })
      : tx.state === 'ignored' ? t('bank.state.ignored', { reason: tx.ignoreReason })
        : tx.direction === 'out' ? t('bank.state.out') : t('bank.state.new'));
    const body = h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'bank-statement-lines' },
      h('thead', {}, h('tr', {}, [t('bank.date'), t('bank.payer'), t('bank.moneyIn'), t('bank.moneyOut'), t('bank.purpose'), t('bank.state')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, list.items.map((tx) => h('tr', {},
        h('td', { class: 'nowrap' }, formatDate(tx.date)),
        h('td', {}, tx.counterparty || '—'),
        h('td', { class: 'num nowrap' }, tx.direction === 'in' ? formatMoney(tx.amount, tx.currency) : ''),
        h('td', { class: 'num nowrap' }, tx.direction === 'out' ? formatMoney(tx.amount, tx.currency) : ''),
        h('td', {}, keepNumbers(tx.purpose)),
        h('td', {}, state(tx)))))));
    modal(s.fileName || t(`bank.format.${s.format}`), body, { wide: true });
  }

  function drawAside(list) {
    clear(aside);
    if (!list.items.length) { aside.hidden = true; return; }
    aside.hidden = false;
    aside.append(h('h2', {}, t('bank.setAsideList')),
      h('ul', { class: 'plain-list' }, list.items.map((tx) => h('li', {},
        `${formatDate(tx.date)} · ${tx.counterparty || '—'} · ${formatMoney(tx.amount, tx.currency)} — ${tx.ignoreReason} `,
        h('button', { type: 'button', class: 'secondary', onclick: async () => { await api.restoreBankTransaction(tx.id); await refresh(); } }, t('bank.restore'))))));
  }

  await refresh();
}
