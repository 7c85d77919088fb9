// Generated from the commands' request types (Rust: esep_core::req, api::COMMANDS and the
// shell's commands); `ESEP_BLESS=1 cargo test --test surface` rewrites it. Do not edit.

/** Each command's arguments, by command name. */
export interface Requests {
  /** Schema version, today's date, whether the profile is set up, and (unless check: false) the books' health */
  app_status: Record<string, unknown>;
  /** The message catalogue of a language */
  get_catalogue: Record<string, unknown>;
  /** The business profile, or null before setup */
  get_profile: Record<string, unknown>;
  /** Create or replace the business profile */
  save_profile: Record<string, unknown>;
  /** The window envelope and the printer offset in mm (from the calibration page) */
  save_envelope: Record<string, unknown>;
  /** Store the business logo, or the signer's signature or the seal (PNG or JPEG, at most 512 KB); without data, remove it */
  set_logo: Record<string, unknown>;
  /** ISO 4217 currencies with their minor units */
  list_currencies: Record<string, unknown>;
  /** Whether an identifier is well formed (as the form is typed): {ok, message}, by the same rules saving applies */
  check_identifier: Record<string, unknown>;
  /** Payment terms (presets and own) with their sentences */
  list_terms: Record<string, unknown>;
  /** Create or change user-defined payment terms */
  save_terms: Record<string, unknown>;
  /** Number series: format, next number */
  get_series: Record<string, unknown>;
  /** Number format; starting number while unused */
  set_series: Record<string, unknown>;
  /** Add a customer */
  create_customer: Record<string, unknown>;
  /** Change a customer */
  update_customer: Record<string, unknown>;
  /** A customer with balance, invoices and unbilled charges */
  get_customer: Record<string, unknown>;
  /** Find customers by name (prefix, then substring) */
  search_customers: Record<string, unknown>;
  /** Archive (or restore) a customer */
  archive_customer: Record<string, unknown>;
  /** Delete a customer without history */
  delete_customer: Record<string, unknown>;
  /** What the customer owed when the shop moved in */
  set_opening_balance: Record<string, unknown>;
  /** Record a service or charge before invoicing */
  record_charge: {
    customerId: number;
    /** YYYY-MM-DD */
    serviceDate: string;
    /** text, trimmed */
    description: string;
    /** a decimal string from 0 to 1000000000, at most 6 decimals (or a JSON integer) */
    quantity?: string | number;
    /** text, trimmed */
    unit?: string;
    /** a decimal string from 0 to 1000000000000, at most 6 decimals (or a JSON integer) */
    unitPrice: string | number;
    /** a decimal string from 0 to 100, at most 4 decimals (or a JSON integer) */
    taxRate?: string | number;
  };
  /** Change an unbilled charge */
  update_charge: {
    id: number;
    /** YYYY-MM-DD */
    serviceDate: string;
    /** text, trimmed */
    description: string;
    /** a decimal string from 0 to 1000000000, at most 6 decimals (or a JSON integer) */
    quantity?: string | number;
    /** text, trimmed */
    unit?: string;
    /** a decimal string from 0 to 1000000000000, at most 6 decimals (or a JSON integer) */
    unitPrice: string | number;
    /** a decimal string from 0 to 100, at most 4 decimals (or a JSON integer) */
    taxRate?: string | number;
  };
  /** Delete an unbilled charge */
  delete_charge: {
    /** The record. */
    id: number;
  };
  /** Unbilled charges, oldest first, with ages */
  list_unbilled: {
    /** One customer's, or everyone's. */
    customerId?: number;
    /** At most 5,000 (the default). */
    limit?: number;
    offset?: number;
  };
  /** Create a draft invoice */
  create_invoice: Record<string, unknown>;
  /** Replace a draft's content */
  update_invoice: Record<string, unknown>;
  /** Delete a draft */
  delete_invoice: Record<string, unknown>;
  /** The laid-out pages of a document (mm, measured text) for the preview; drafts show as DRAFT */
  document_layout: Record<string, unknown>;
  /** Live totals of a draft, nothing written */
  preview_invoice: Record<string, unknown>;
  /** One invoice with lines, totals, due date and sending log */
  get_invoice: Record<string, unknown>;
  /** A page of invoices */
  list_invoices: Record<string, unknown>;
  /** Issue a draft: next gapless number, posted to the books, immutable */
  issue_invoice: Record<string, unknown>;
  /** Log that an invoice was mailed, emailed, saved or received */
  record_sending: Record<string, unknown>;
  /** Journal entries with postings */
  get_journal: Record<string, unknown>;
  /** Balances per account and currency */
  trial_balance: Record<string, unknown>;
  /** Every violated invariant of the books */
  check_books: Record<string, unknown>;
  /** Record a payment: oldest due first, or as chosen; surplus becomes credit; discrepancies recorded */
  record_payment: Record<string, unknown>;
  /** How a payment would be allocated, nothing written */
  suggest_allocation: Record<string, unknown>;
  /** A payment with allocations, discrepancy and settled invoices */
  get_payment: Record<string, unknown>;
  /** Payments, newest first */
  list_payments: Record<string, unknown>;
  /** Payments that did not match what was due */
  list_discrepancies: Record<string, unknown>;
  /** Use a customer's credit on open invoices */
  apply_credit: Record<string, unknown>;
  /** Take back a mistyped payment by a reversing entry (with the reason); what it settled is open again */
  reverse_payment: Record<string, unknown>;
  /** Pay a customer's credit back */
  refund_credit: Record<string, unknown>;
  /** Credit (part of) an issued invoice; own gapless series */
  create_credit_note: Record<string, unknown>;
  /** One credit note */
  get_credit_note: Record<string, unknown>;
  /** The act of completed works (form Р-1) for an issued invoice or a selection of one customer's services: numbered, frozen; one per invoice */
  create_act: Record<string, unknown>;
  /** One act of completed works with its frozen content */
  get_act: Record<string, unknown>;
  /** The acts made for an invoice or a customer, with their sending logs */
  list_acts: Record<string, unknown>;
  /** Log that an act left the shop, or that its signed copy came back */
  record_act_sending: Record<string, unknown>;
  /** An invoice's whole life in date order, each event with the document to print again */
  invoice_history: Record<string, unknown>;
  /** Write off a bad debt */
  write_off: Record<string, unknown>;
  /** Grace days, spacing, late fee, texts */
  get_reminder_settings: Record<string, unknown>;
  /** Change the reminder settings */
  save_reminder_settings: Record<string, unknown>;
  /** Invoices to mail and reminders due today, by customer (a page of customers) */
  list_to_send: Record<string, unknown>;
  /** Record the next reminder of an overdue invoice */
  record_reminder: Record<string, unknown>;
  /** Reminders sent for an invoice */
  list_reminders: Record<string, unknown>;
  /** Statement of account for a period */
  statement: Record<string, unknown>;
  /** What is open, by days past due, per customer (all, or a page) */
  ageing: Record<string, unknown>;
  /** Outstanding, overdue, collected, unbilled, reminders, revenue by month */
  dashboard: Record<string, unknown>;
  /** The journal as an hledger file or CSV */
  export_journal: Record<string, unknown>;
  /** Read a CSV file: detected format, column mapping, every row's problems; nothing written */
  import_preview: Record<string, unknown>;
  /** Import customers (with opening balances) or unbilled services: all rows or none */
  import_csv: Record<string, unknown>;
  /** A CSV file (UTF-8 with BOM) for Excel or the accountant */
  export_csv: Record<string, unknown>;
  /** Read a bank statement (1C client-bank exchange, MT940, camt.053, a bank's CSV): lines already there are not added again; autoConfirm confirms exact matches */
  import_statement: Record<string, unknown>;
  /** What a statement file is before importing it: a CSV's columns, the mapping in use (saved for the bank, or from the headers) and its first rows; nothing written */
  read_statement: Record<string, unknown>;
  /** Imported statements with their balances against their lines and the books' bank account */
  list_bank_statements: Record<string, unknown>;
  /** Bank lines (by default incoming ones to confirm, with what each most likely pays and why) */
  list_bank_transactions: Record<string, unknown>;
  /** An incoming bank line becomes the customer's payment (oldest due first without allocations) */
  confirm_bank_transaction: Record<string, unknown>;
  /** A bank line that is not a customer payment, with the reason */
  set_aside_bank_transaction: Record<string, unknown>;
  /** Put a set-aside bank line back to be confirmed */
  restore_bank_transaction: Record<string, unknown>;
  /** Create or change a recurring invoice schedule (changes apply from the next period) */
  save_recurring: Record<string, unknown>;
  /** Recurring schedules with their next date and the drafts they made */
  list_recurring: Record<string, unknown>;
  /** One recurring schedule */
  get_recurring: Record<string, unknown>;
  /** Pause a schedule (its periods are skipped) or resume it */
  pause_recurring: Record<string, unknown>;
  /** No period after today (a schedule that made nothing is removed) */
  end_recurring: Record<string, unknown>;
  /** Create or change a draft quote (a commercial offer): posts nothing */
  save_quote: Record<string, unknown>;
  /** Number a quote or a prepayment request (each its own gapless series); a quote is valid 30 days, a request payable in 10, unless said */
  issue_quote: Record<string, unknown>;
  /** One quote with lines, totals and its state (expired past its validity) */
  get_quote: Record<string, unknown>;
  /** Quotes and prepayment requests, newest first */
  list_quotes: Record<string, unknown>;
  /** Log that a quote was sent, or the customer's answer */
  decide_quote: Record<string, unknown>;
  /** An accepted quote becomes a draft invoice with its lines (once) */
  quote_to_invoice: Record<string, unknown>;
  /** Delete a draft quote */
  delete_quote: Record<string, unknown>;
  /** Create or change a draft prepayment request (a request to pay before the work): posts nothing */
  save_prepayment: Record<string, unknown>;
  /** An accepted quote becomes a draft prepayment request with its lines (once) */
  prepayment_from_quote: Record<string, unknown>;
  /** Money received before the work: an advance (a liability, not revenue), against a prepayment request or not */
  record_advance: Record<string, unknown>;
  /** Use the customer's advance on the invoice for the work */
  apply_advance: Record<string, unknown>;
  /** Pay an unused advance back */
  refund_advance: Record<string, unknown>;
  /** Make every period due up to today, of every schedule, exactly once (the app runs it on opening and daily) */
  run_recurring: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  app_info: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  save_pdf: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  open_pdf: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  save_batch_pdf: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  save_export: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  backup_now: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  list_backups: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  restore_backup: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  save_copy: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  books_health: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  open_sample: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  leave_sample: Record<string, unknown>;
  /** A command of the shell (window, files, dialogs) */
  startup_mark: Record<string, unknown>;
}
