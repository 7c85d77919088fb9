// The only module that knows command names and calls Tauri's invoke.
// Every rejection becomes an ApiError {code, message, field}: message is a translation key.

const tauriInvoke = window.__TAURI__ && window.__TAURI__.core && window.__TAURI__.core.invoke;

export class ApiError extends Error {
  constructor(payload) {
    const p = payload && typeof payload === 'object' ? payload : { code: 'internal', message: 'error.internal', detail: String(payload) };
    super(p.message || 'error.internal');
    this.code = p.code || 'internal';
    this.key = p.message || 'error.internal';
    this.field = p.field || null;
    this.detail = p.detail || null;
  }
}

/** @typedef {import('./commands').Requests} Requests */

/**
 * Calls a command with its arguments, as the Rust request type declares them (tsc checks it).
 * @template {keyof Requests} K
 * @param {K} command
 * @param {Requests[K]} [args]
 * @returns {Promise<any>}
 */
async function call(command, args) {
  if (!tauriInvoke) throw new ApiError({ code: 'internal', message: 'error.internal', detail: 'not running inside Esep' });
  try {
    return await tauriInvoke(command, args ?? {});
  } catch (e) {
    throw new ApiError(e);
  }
}

export const api = {
  appInfo: () => call('app_info'),
  connectServer: (/** @type {Requests['connect_server']} */ c) => call('connect_server', c),
  disconnectServer: () => call('disconnect_server'),
  startupMark: (label) => call('startup_mark', { label }),
  appStatus: () => call('app_status', { check: false }),
  booksHealth: () => call('books_health'),
  catalogue: (language) => call('get_catalogue', { language }),
  getProfile: () => call('get_profile'),
  saveProfile: (/** @type {Requests['save_profile']} */ p) => call('save_profile', p),
  saveEnvelope: (/** @type {Requests['save_envelope']} */ e) => call('save_envelope', e),
  setImage: (kind, dataBase64) => call('set_logo', dataBase64 ? { kind, dataBase64 } : { kind }),
  currencies: () => call('list_currencies'),
  checkIdentifier: (kind, value, country) => call('check_identifier', country === undefined ? { kind, value } : { kind, value, country }),
  terms: (language) => call('list_terms', { language }),
  saveTerms: (/** @type {Requests['save_terms']} */ t) => call('save_terms', t),
  series: () => call('get_series'),
  setSeries: (/** @type {Requests['set_series']} */ s) => call('set_series', s),
  createCustomer: (/** @type {Requests['create_customer']} */ c) => call('create_customer', c),
  updateCustomer: (/** @type {Requests['update_customer']} */ c) => call('update_customer', c),
  getCustomer: (id) => call('get_customer', { id }),
  searchCustomers: (/** @type {Requests['search_customers']} */ q) => call('search_customers', q),
  archiveCustomer: (id, archived) => call('archive_customer', { id, archived }),
  deleteCustomer: (id) => call('delete_customer', { id }),
  setOpeningBalance: (/** @type {Requests['set_opening_balance']} */ a) => call('set_opening_balance', a),
  recordCharge: (/** @type {Requests['record_charge']} */ c) => call('record_charge', c),
  updateCharge: (/** @type {Requests['update_charge']} */ c) => call('update_charge', c),
  deleteCharge: (id) => call('delete_charge', { id }),
  unbilled: (/** @type {Requests['list_unbilled']} */ q = {}) => call('list_unbilled', q),
  createInvoice: (/** @type {Requests['create_invoice']} */ d) => call('create_invoice', d),
  updateInvoice: (/** @type {Requests['update_invoice']} */ d) => call('update_invoice', d),
  deleteInvoice: (id) => call('delete_invoice', { id }),
  previewInvoice: (/** @type {Requests['preview_invoice']} */ d) => call('preview_invoice', d),
  documentLayout: (/** @type {Requests['document_layout']} */ doc) => call('document_layout', doc),
  getInvoice: (id) => call('get_invoice', { id }),
  listInvoices: (/** @type {Requests['list_invoices']} */ q) => call('list_invoices', q),
  issueInvoice: (id, issueDate, expectedRevision) => call('issue_invoice', { id, issueDate, expectedRevision }),
  createAct: (invoiceId) => call('create_act', { invoiceId }),
  /** An act of completed works for a selection of one customer's services. */
  createActForServices: (customerId, chargeIds) => call('create_act', { customerId, chargeIds }),
  listActs: (invoiceId) => call('list_acts', { invoiceId }),
  listCustomerActs: (customerId) => call('list_acts', { customerId }),
  recordActSending: (/** @type {Requests['record_act_sending']} */ args) => call('record_act_sending', args),
  invoiceHistory: (id) => call('invoice_history', { id }),
  recordSending: (/** @type {Requests['record_sending']} */ s) => call('record_sending', s),
  journal: (/** @type {Requests['get_journal']} */ q) => call('get_journal', q),
  trialBalance: (asOf) => call('trial_balance', asOf ? { asOf } : {}),
  checkBooks: () => call('check_books'),
  recordPayment: (/** @type {Requests['record_payment']} */ p) => call('record_payment', p),
  suggestAllocation: (/** @type {Requests['suggest_allocation']} */ q) => call('suggest_allocation', q),
  getPayment: (id) => call('get_payment', { id }),
  listPayments: (/** @type {Requests['list_payments']} */ q) => call('list_payments', q),
  discrepancies: (customerId) => call('list_discrepancies', customerId ? { customerId } : {}),
  applyCredit: (/** @type {Requests['apply_credit']} */ a) => call('apply_credit', a),
  refundCredit: (/** @type {Requests['refund_credit']} */ a) => call('refund_credit', a),
  reversePayment: (/** @type {Requests['reverse_payment']} */ a) => call('reverse_payment', a),
  createCreditNote: (/** @type {Requests['create_credit_note']} */ a) => call('create_credit_note', a),
  writeOff: (/** @type {Requests['write_off']} */ a) => call('write_off', a),
  reminderSettings: () => call('get_reminder_settings'),
  saveReminderSettings: (/** @type {Requests['save_reminder_settings']} */ s) => call('save_reminder_settings', s),
  toSend: (/** @type {Requests['list_to_send']} */ q = {}) => call('list_to_send', q),
  recordReminder: (/** @type {Requests['record_reminder']} */ a) => call('record_reminder', a),
  reminders: (invoiceId) => call('list_reminders', { invoiceId }),
  statement: (/** @type {Requests['statement']} */ q) => call('statement', q),
  ageing: (/** @type {Requests['ageing']} */ q = {}) => call('ageing', q),
  dashboard: () => call('dashboard'),
  savePdf: (/** @type {Requests['save_pdf']} */ doc) => call('save_pdf', doc),
  openPdf: (/** @type {Requests['open_pdf']} */ doc) => call('open_pdf', doc),
  saveBatchPdf: (items, fileName) => call('save_batch_pdf', { items, fileName }),
  saveExport: (kind, opts = {}) => call('save_export', { kind, ...opts }),
  importPreview: (/** @type {Requests['import_preview']} */ a) => call('import_preview', a),
  importCsv: (/** @type {Requests['import_csv']} */ a) => call('import_csv', a),
  importStatement: (/** @type {Requests['import_statement']} */ a) => call('import_statement', a),
  readStatement: (/** @type {Requests['read_statement']} */ a) => call('read_statement', a),
  bankStatements: () => call('list_bank_statements'),
  bankTransactions: (/** @type {Requests['list_bank_transactions']} */ q = {}) => call('list_bank_transactions', q),
  confirmBankTransaction: (/** @type {Requests['confirm_bank_transaction']} */ a) => call('confirm_bank_transaction', a),
  setAsideBankTransaction: (id, reason) => call('set_aside_bank_transaction', { id, reason }),
  restoreBankTransaction: (id) => call('restore_bank_transaction', { id }),
  saveRecurring: (/** @type {Requests['save_recurring']} */ a) => call('save_recurring', a),
  listRecurring: (/** @type {Requests['list_recurring']} */ q = {}) => call('list_recurring', q),
  getRecurring: (id) => call('get_recurring', { id }),
  pauseRecurring: (id, paused) => call('pause_recurring', { id, paused }),
  endRecurring: (id) => call('end_recurring', { id }),
  runRecurring: () => call('run_recurring'),
  saveQuote: (/** @type {Requests['save_quote']} */ a) => call('save_quote', a),
  issueQuote: (/** @type {Requests['issue_quote']} */ a) => call('issue_quote', a),
  getQuote: (id) => call('get_quote', { id }),
  listQuotes: (/** @type {Requests['list_quotes']} */ q = {}) => call('list_quotes', q),
  decideQuote: (id, decision, date) => call('decide_quote', { id, decision, date }),
  quoteToInvoice: (id) => call('quote_to_invoice', { id }),
  deleteQuote: (id) => call('delete_quote', { id }),
  savePrepayment: (/** @type {Requests['save_prepayment']} */ a) => call('save_prepayment', a),
  prepaymentFromQuote: (id) => call('prepayment_from_quote', { id }),
  recordAdvance: (/** @type {Requests['record_advance']} */ a) => call('record_advance', a),
  applyAdvance: (/** @type {Requests['apply_advance']} */ a) => call('apply_advance', a),
  refundAdvance: (/** @type {Requests['refund_advance']} */ a) => call('refund_advance', a),
  backupNow: () => call('backup_now'),
  listBackups: () => call('list_backups'),
  restoreBackup: (name) => call('restore_backup', name ? { name } : {}),
  saveCopy: () => call('save_copy'),
  openSample: (language) => call('open_sample', { language }),
  leaveSample: () => call('leave_sample'),
};

/** Subscribes to batch progress events ({done, total}); returns an unsubscribe function. */
export async function onPdfProgress(f) {
  const ev = window.__TAURI__ && window.__TAURI__.event;
  if (!ev) return () => {};
  return ev.listen('pdf-progress', (e) => f(e.payload));
}
