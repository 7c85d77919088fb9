// Generated from the commands' request types (Rust: esep_core::req, api::COMMANDS and the
// shell's commands); `ESEP_BLESS=1 cargo test --test surface` rewrites it. Do not edit.

/** Each command's arguments, by command name. */
export interface Requests {
  /** Schema version, today's date, whether the profile is set up, and (unless check: false) the books' health */
  app_status: {
    /** Check the books too (true when left out; the app checks them in the background). */
    check?: boolean;
  };
  /** The message catalogue of a language */
  get_catalogue: {
    /** English when left out. */
    language?: "kk" | "ru" | "en";
  };
  /** The business profile, or null before setup */
  get_profile: Record<string, never>;
  /** Create or replace the business profile */
  save_profile: {
    name: string;
    /** ISO 4217 code of the home currency. */
    currency: string;
    /** A language of the window and of documents: a request names it `kk|ru|en`. */
    language: "kk" | "ru" | "en";
    /** The terms new invoices get (7 when left out). */
    defaultTermsId?: number;
    address?: string;
    country?: string;
    /** Free text: tax numbers printed under the name. */
    taxIds?: string;
    /** IBAN (checked when it looks like one) or a local account number. */
    bankAccount?: string;
    bankName?: string;
    bankBic?: string;
    /** Beneficiary code (Кбе). */
    bankKbe?: string;
    email?: string;
    phone?: string;
    thankYou?: string;
    /** After how many days an unbilled service is flagged (7 when left out). */
    unbilledWarnDays?: number;
    /** 0 when left out. */
    defaultTaxRate?: string | number;
    pricesIncludeTax?: boolean;
    /** БИН/ИИН, checked. */
    bin?: string;
    /** Default payment purpose code (КНП), checked. */
    knp?: string;
    vatPayer?: boolean;
    vatRegistration?: string;
    signerName?: string;
    signerPosition?: string;
    /** `kz` by default for a shop in Kazakhstan. */
    invoiceLayout?: "standard" | "kz";
  };
  /** The window envelope and the printer offset in mm (from the calibration page) */
  save_envelope: {
    /** A window envelope preset. */
    preset: "din5008a" | "din5008b" | "us10";
    /** mm to the right, at most 15 either way, 0.1 mm steps (0 when left out). */
    offsetX?: string | number;
    /** mm down, at most 15 either way, 0.1 mm steps (0 when left out). */
    offsetY?: string | number;
  };
  /** Store the business logo, or the signer's signature or the seal (PNG or JPEG, at most 512 KB); without data, remove it */
  set_logo: {
    /** PNG or JPEG, base64, at most 512 KB; left out, the image is removed. */
    dataBase64?: string;
    /** `logo` when left out. */
    kind?: "logo" | "signature" | "seal";
  };
  /** ISO 4217 currencies with their minor units */
  list_currencies: Record<string, never>;
  /** Whether an identifier is well formed (as the form is typed): {ok, message}, by the same rules saving applies */
  check_identifier: {
    /** The identifiers a form checks as they are typed. */
    kind: "bin" | "iban" | "bic" | "kbe" | "knp" | "email";
    /** Empty is fine: every identifier is optional. */
    value?: string;
    /** A customer's tax ID is a БИН/ИИН only in Kazakhstan. */
    country?: string;
  };
  /** Payment terms (presets and own) with their sentences */
  list_terms: {
    /** The language of the presets' names and the sentences (English when left out). */
    language?: "kk" | "ru" | "en";
  };
  /** Create or change user-defined payment terms */
  save_terms: {
    /** The terms to change; new terms when left out. */
    id?: number;
    name: string;
    /** The kinds of payment terms. */
    kind: "receipt" | "net" | "after_receipt" | "eom" | "proximo";
    /** For `net`, `after_receipt`, `eom` (0 when left out). */
    days?: number;
    /** For `proximo`. */
    dayOfMonth?: number;
    /** For `proximo`: issued after this day, due a month later. */
    cutoffDay?: number;
    /** An early-payment discount (none when left out or 0). */
    discountPercent?: string | number;
    /** Days the discount holds; required with a discount. */
    discountDays?: number;
  };
  /** Number series: format, next number */
  get_series: Record<string, never>;
  /** Number format; starting number while unused */
  set_series: {
    /** A number series. */
    id: "invoice" | "credit_note" | "act" | "quote" | "prepayment";
    /** Exactly one `{N}` or `{N:width}`; `{YYYY}`, `{YY}` for the year. */
    format: string;
    /** Only while the series has numbered nothing. */
    nextNumber?: number;
    /** Restart at 1 every year (unchanged when left out). */
    yearly?: boolean;
  };
  /** Add a customer */
  create_customer: {
    name: string;
    contactPerson?: string;
    address?: string;
    country?: string;
    email?: string;
    phone?: string;
    /** In Kazakhstan a БИН/ИИН (checked); elsewhere any tax number. */
    taxId?: string;
    /** ISO 4217; the profile's currency when left out. Fixed once the customer has history. */
    currency?: string;
    termsId?: number;
    /** The language of the customer's documents. */
    language?: "kk" | "ru" | "en";
    /** Days the post takes to reach the customer (3 when left out). */
    transitDays?: number;
    notes?: string;
    contractNumber?: string;
    /** At most a year ahead. */
    contractDate?: string;
  };
  /** Change a customer */
  update_customer: {
    id: number;
    name: string;
    contactPerson?: string;
    address?: string;
    country?: string;
    email?: string;
    phone?: string;
    /** In Kazakhstan a БИН/ИИН (checked); elsewhere any tax number. */
    taxId?: string;
    /** ISO 4217; the profile's currency when left out. Fixed once the customer has history. */
    currency?: string;
    termsId?: number;
    /** The language of the customer's documents. */
    language?: "kk" | "ru" | "en";
    /** Days the post takes to reach the customer (3 when left out). */
    transitDays?: number;
    notes?: string;
    contractNumber?: string;
    /** At most a year ahead. */
    contractDate?: string;
  };
  /** A customer with balance, invoices and unbilled charges */
  get_customer: {
    /** The record. */
    id: number;
  };
  /** Find customers by name (prefix, then substring) */
  search_customers: {
    /** Part of the name, any case, any script; every customer when left out. */
    query?: string;
    includeArchived?: boolean;
    /** 50 when left out. */
    limit?: number;
    offset?: number;
  };
  /** Archive (or restore) a customer */
  archive_customer: {
    id: number;
    /** `false` restores the customer (true when left out). */
    archived?: boolean;
  };
  /** Delete a customer without history */
  delete_customer: {
    /** The record. */
    id: number;
  };
  /** What the customer owed when the shop moved in */
  set_opening_balance: {
    customerId: number;
    /** Negative: credit in the customer's favour. Not zero; exact in the customer's currency. */
    amount: string | number;
    /** Not in the future. */
    asOf: string;
    reference?: string;
  };
  /** Record a service or charge before invoicing */
  record_charge: {
    customerId: number;
    serviceDate: string;
    description: string;
    quantity?: string | number;
    unit?: string;
    unitPrice: string | number;
    taxRate?: string | number;
  };
  /** Change an unbilled charge */
  update_charge: {
    id: number;
    serviceDate: string;
    description: string;
    quantity?: string | number;
    unit?: string;
    unitPrice: string | number;
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
  create_invoice: {
    customerId: number;
    lines?: Array<{
      /** A recorded service of the customer to bill; the line's own fields replace the service's. */
      chargeId?: number;
      /** Required without `chargeId`. */
      description?: string;
      /** 1 when left out (the service's with `chargeId`). */
      quantity?: string | number;
      unit?: string;
      /** Required without `chargeId`; up to 6 decimals whatever the currency (the line is rounded). */
      unitPrice?: string | number;
      discountPercent?: string | number;
      /** The profile's default VAT rate when left out (the service's with `chargeId`). */
      taxRate?: string | number;
    }>;
    /** Recorded services, each on a line of its own after `lines` (one already on a line is skipped). */
    chargeIds?: Array<number>;
    /** Off the whole invoice. */
    discountPercent?: string | number;
    /** The profile's setting when left out. */
    pricesIncludeTax?: boolean;
    /** The purpose of payment; made from the lines when the invoice is issued if left out. */
    purpose?: string;
    notes?: string;
    /** The service period; the recorded services' dates when left out. */
    serviceFrom?: string;
    serviceTo?: string;
    /** The customer's terms (else the profile's) when left out. */
    termsId?: number;
    /** The customer's language (else the profile's) when left out. */
    language?: "kk" | "ru" | "en";
  };
  /** Replace a draft's content */
  update_invoice: {
    /** The draft. */
    id: number;
    customerId: number;
    lines?: Array<{
      /** A recorded service of the customer to bill; the line's own fields replace the service's. */
      chargeId?: number;
      /** Required without `chargeId`. */
      description?: string;
      /** 1 when left out (the service's with `chargeId`). */
      quantity?: string | number;
      unit?: string;
      /** Required without `chargeId`; up to 6 decimals whatever the currency (the line is rounded). */
      unitPrice?: string | number;
      discountPercent?: string | number;
      /** The profile's default VAT rate when left out (the service's with `chargeId`). */
      taxRate?: string | number;
    }>;
    /** Recorded services, each on a line of its own after `lines` (one already on a line is skipped). */
    chargeIds?: Array<number>;
    /** Off the whole invoice. */
    discountPercent?: string | number;
    /** The profile's setting when left out. */
    pricesIncludeTax?: boolean;
    /** The purpose of payment; made from the lines when the invoice is issued if left out. */
    purpose?: string;
    notes?: string;
    /** The service period; the recorded services' dates when left out. */
    serviceFrom?: string;
    serviceTo?: string;
    /** The customer's terms (else the profile's) when left out. */
    termsId?: number;
    /** The customer's language (else the profile's) when left out. */
    language?: "kk" | "ru" | "en";
    /** The draft's `revision` as the editor loaded it: when another desktop has changed the draft since, the save is refused (`error.draftChangedElsewhere`) instead of silently overwriting their work. Left out, the save always replaces the draft. */
    expectedRevision?: string;
  };
  /** Delete a draft */
  delete_invoice: {
    /** The record. */
    id: number;
  };
  /** The laid-out pages of a document (mm, measured text) for the preview; drafts show as DRAFT */
  document_layout: {
    /** The kinds of document: `notice` is the letter about a payment that did not match what was due, `calibration` the envelope calibration page (the only one without an id). */
    kind: "invoice" | "reminder" | "notice" | "receipt" | "statement" | "credit_note" | "act" | "calibration" | "quote" | "prepayment";
    /** The document (for a statement, the customer); every kind but `calibration` needs it. */
    id?: number;
    /** A statement's period. */
    from?: string;
    to?: string;
    /** The profile's envelope when left out. */
    envelope?: "din5008a" | "din5008b" | "us10";
  };
  /** Live totals of a draft, nothing written */
  preview_invoice: {
    /** The draft being edited (its own services may be on it). */
    id?: number;
    customerId: number;
    lines?: Array<{
      /** A recorded service of the customer to bill; the line's own fields replace the service's. */
      chargeId?: number;
      /** Required without `chargeId`. */
      description?: string;
      /** 1 when left out (the service's with `chargeId`). */
      quantity?: string | number;
      unit?: string;
      /** Required without `chargeId`; up to 6 decimals whatever the currency (the line is rounded). */
      unitPrice?: string | number;
      discountPercent?: string | number;
      /** The profile's default VAT rate when left out (the service's with `chargeId`). */
      taxRate?: string | number;
    }>;
    /** Recorded services, each on a line of its own after `lines` (one already on a line is skipped). */
    chargeIds?: Array<number>;
    /** Off the whole invoice. */
    discountPercent?: string | number;
    /** The profile's setting when left out. */
    pricesIncludeTax?: boolean;
    /** The purpose of payment; made from the lines when the invoice is issued if left out. */
    purpose?: string;
    notes?: string;
    /** The service period; the recorded services' dates when left out. */
    serviceFrom?: string;
    serviceTo?: string;
    /** The customer's terms (else the profile's) when left out. */
    termsId?: number;
    /** The customer's language (else the profile's) when left out. */
    language?: "kk" | "ru" | "en";
  };
  /** One invoice with lines, totals, due date and sending log */
  get_invoice: {
    /** The record. */
    id: number;
  };
  /** A page of invoices */
  list_invoices: {
    /** `all` when left out; `issued` is all but drafts, `unsent` the open ones never mailed, e-mailed or received ("to mail"). */
    status?: "all" | "draft" | "open" | "partly_paid" | "paid" | "overdue" | "issued" | "unpaid" | "unsent";
    customerId?: number;
    /** Issued (a draft: created) on or after. */
    from?: string;
    to?: string;
    /** Part of the number or of the customer's name. */
    query?: string;
    /** `date` when left out. */
    sort?: "number" | "date" | "due" | "total" | "customer" | "status";
    /** Newest first (true) when left out. */
    desc?: boolean;
    /** 50 when left out. */
    limit?: number;
    offset?: number;
  };
  /** Issue a draft: next gapless number, posted to the books, immutable */
  issue_invoice: {
    /** The draft. */
    id: number;
    /** Today when left out; never in the future. */
    issueDate?: string;
    /** The draft's `revision` as the window shows it: refused when another desktop has changed the draft since (what is issued is what the user saw). */
    expectedRevision?: string;
  };
  /** Log that an invoice was mailed, emailed, saved or received */
  record_sending: {
    invoiceId: number;
    /** Posted (arrives after the customer's transit days), e-mailed, saved as PDF, or received. */
    kind: "post" | "email" | "pdf" | "received";
    /** Today when left out; not before the issue date nor in the future. */
    date?: string;
    note?: string;
  };
  /** Journal entries with postings */
  get_journal: {
    from?: string;
    to?: string;
    /** 100 when left out. */
    limit?: number;
    offset?: number;
  };
  /** Balances per account and currency */
  trial_balance: {
    /** Today when left out. */
    asOf?: string;
  };
  /** Every violated invariant of the books */
  check_books: Record<string, never>;
  /** Record a payment: oldest due first, or as chosen; surplus becomes credit; discrepancies recorded */
  record_payment: {
    customerId: number;
    /** In the customer's currency, within its minor units. */
    amount: string | number;
    /** Today when left out; never in the future. */
    date?: string;
    /** Bank when left out. */
    method?: "cash" | "bank" | "card" | "other";
    reference?: string;
    /** When given, it must be the customer's currency. */
    currency?: string;
    /** The invoices the payment is meant for (oldest due first among them); every open item when left out. */
    invoiceIds?: Array<number>;
    /** Explicit allocations; they take precedence over `invoiceIds`. */
    allocations?: Array<{
      invoiceId: number;
      amount: string | number;
    }>;
  };
  /** How a payment would be allocated, nothing written */
  suggest_allocation: {
    customerId: number;
    /** 0 when left out (then only the open items and the credit are shown). */
    amount?: string | number;
    /** Today when left out. */
    date?: string;
  };
  /** A payment with allocations, discrepancy and settled invoices */
  get_payment: {
    /** The record. */
    id: number;
  };
  /** Payments, newest first */
  list_payments: {
    /** One customer's, or everyone's. */
    customerId?: number;
    /** Received on or after. */
    from?: string;
    /** Received on or before. */
    to?: string;
    /** At most 500; 50 when left out. */
    limit?: number;
    offset?: number;
  };
  /** Payments that did not match what was due */
  list_discrepancies: {
    /** One customer's, or everyone's. */
    customerId?: number;
  };
  /** Use a customer's credit on open invoices */
  apply_credit: {
    customerId: number;
    /** One invoice, or the oldest open ones when left out. */
    invoiceId?: number;
    /** All the credit available (up to what is open) when left out. */
    amount?: string | number;
    /** Today when left out. */
    date?: string;
  };
  /** Take back a mistyped payment by a reversing entry (with the reason); what it settled is open again */
  reverse_payment: {
    /** The payment. */
    id: number;
    reason: string;
    /** The payment's own date when left out; not before it, not in the future. */
    date?: string;
  };
  /** Pay a customer's credit back */
  refund_credit: {
    customerId: number;
    /** At most the credit available on the date. */
    amount: string | number;
    /** Today when left out. */
    date?: string;
    /** Bank when left out. */
    method?: "cash" | "bank" | "card" | "other";
    reference?: string;
  };
  /** Credit (part of) an issued invoice; own gapless series */
  create_credit_note: {
    invoiceId: number;
    reason: string;
    /** Today when left out; not in the future. */
    date?: string;
    /** Everything still open when neither this nor `lines` is given. */
    amount?: string | number;
    /** Lines to credit (by quantity) instead of an amount. */
    lines?: Array<{
      /** The invoice's line. */
      lineId: number;
      /** All of the line's quantity when left out; at most that. */
      quantity?: string | number;
    }>;
  };
  /** One credit note */
  get_credit_note: {
    /** The record. */
    id: number;
  };
  /** The act of completed works (form Р-1) for an issued invoice or a selection of one customer's services: numbered, frozen; one per invoice */
  create_act: {
    /** The issued invoice the act is for (then no `chargeIds`). */
    invoiceId?: number;
    /** Without `invoiceId`: the customer whose services it covers. */
    customerId?: number;
    /** Without `invoiceId`: the recorded services it covers, billed or not. */
    chargeIds?: Array<number>;
    /** The invoice's date, or the last service's, by default; never before the last act's. */
    date?: string;
    /** The customer's language when it is kk or ru, else Russian. */
    language?: "kk" | "ru" | "kk+ru";
  };
  /** One act of completed works with its frozen content */
  get_act: {
    /** The record. */
    id: number;
  };
  /** The acts made for an invoice or a customer, with their sending logs */
  list_acts: {
    /** The invoice's act (one at most). */
    invoiceId?: number;
    /** Without `invoiceId`: the customer's acts. */
    customerId?: number;
  };
  /** Log that an act left the shop, or that its signed copy came back */
  record_act_sending: {
    actId: number;
    /** Posted, e-mailed, saved as PDF, or the customer's signed copy came back. */
    kind: "post" | "email" | "pdf" | "signed";
    /** Today when left out; not before the act's date nor in the future. */
    date?: string;
    note?: string;
  };
  /** An invoice's whole life in date order, each event with the document to print again */
  invoice_history: {
    /** The record. */
    id: number;
  };
  /** Write off a bad debt */
  write_off: {
    invoiceId: number;
    reason: string;
    /** Today when left out; not in the future. */
    date?: string;
    /** Everything still open when left out. */
    amount?: string | number;
  };
  /** Grace days, spacing, late fee, texts */
  get_reminder_settings: Record<string, never>;
  /** Change the reminder settings */
  save_reminder_settings: {
    /** Days after the due date before the first reminder; 3 when left out. */
    graceDays?: number;
    /** Days between reminders; 14 when left out. */
    spacingDays?: number;
    /** None when left out. */
    feeKind?: "none" | "fixed" | "interest";
    /** The fixed fee, in the home currency. */
    feeFixed?: string | number;
    /** Yearly interest on the open amount for the days late. */
    interestPercent?: string | number;
    /** Own text of the friendly reminder (the standard one when left out). */
    text1?: string;
    /** Own text of the second notice. */
    text2?: string;
    /** Own text of the final notice. */
    text3?: string;
  };
  /** Invoices to mail and reminders due today, by customer (a page of customers) */
  list_to_send: {
    /** Customers on the page: at most 1,000, 50 when left out. */
    limit?: number;
    offset?: number;
    /** Also every reminder due (`dueIds`, `due`), for "remind all". */
    dueIds?: boolean;
  };
  /** Record the next reminder of an overdue invoice */
  record_reminder: {
    invoiceId: number;
    /** Today when left out. */
    date?: string;
    /** Post the proposed late fee. */
    applyFee?: boolean;
  };
  /** Reminders sent for an invoice */
  list_reminders: {
    invoiceId: number;
  };
  /** Statement of account for a period */
  statement: {
    customerId: number;
    /** The 1st of January of `to`'s year when left out. */
    from?: string;
    /** Today when left out. */
    to?: string;
  };
  /** What is open, by days past due, per customer (all, or a page) */
  ageing: {
    /** Today when left out. */
    asOf?: string;
    /** How the ageing rows are ordered. */
    sort?: "customer" | "owed" | "overdue";
    /** Every row when left out. */
    limit?: number;
    offset?: number;
  };
  /** Outstanding, overdue, collected, unbilled, reminders, revenue by month */
  dashboard: Record<string, never>;
  /** The journal as an hledger file or CSV */
  export_journal: {
    /** The journal's export formats: a plain-text hledger journal (the default) or CSV. */
    format?: "hledger" | "csv";
    /** From the first entry when left out. */
    from?: string;
    /** To the last entry when left out. */
    to?: string;
  };
  /** Read a CSV file: detected format, column mapping, every row's problems; nothing written */
  import_preview: {
    /** What a CSV file holds. */
    kind: "customers" | "charges";
    /** The file, base64 (at most 32 MB). */
    dataBase64: string;
    /** The column (from 0) of each field; without it, columns are found from the headers. */
    mapping?: Record<string, number>;
    /** Detected from the header line when left out. */
    delimiter?: "," | ";" | "\t" | "|";
    /** A file's text encoding: detected (`auto`, the default) or forced. */
    encoding?: "auto" | "utf-8" | "windows-1251";
    /** What the file's amounts agree on when left out. */
    decimalSeparator?: "," | ".";
    /** How `27/11/2026`-style dates are read (dotted dates are always day first). */
    dateOrder?: "dmy" | "mdy";
    /** The date of opening balances without their own (today when left out). */
    asOf?: string;
  };
  /** Import customers (with opening balances) or unbilled services: all rows or none */
  import_csv: {
    /** What a CSV file holds. */
    kind: "customers" | "charges";
    /** The file, base64 (at most 32 MB). */
    dataBase64: string;
    /** The column (from 0) of each field; without it, columns are found from the headers. */
    mapping?: Record<string, number>;
    /** Detected from the header line when left out. */
    delimiter?: "," | ";" | "\t" | "|";
    /** A file's text encoding: detected (`auto`, the default) or forced. */
    encoding?: "auto" | "utf-8" | "windows-1251";
    /** What the file's amounts agree on when left out. */
    decimalSeparator?: "," | ".";
    /** How `27/11/2026`-style dates are read (dotted dates are always day first). */
    dateOrder?: "dmy" | "mdy";
    /** The date of opening balances without their own (today when left out). */
    asOf?: string;
  };
  /** A CSV file (UTF-8 with BOM) for Excel or the accountant */
  export_csv: {
    /** What a CSV export holds. */
    kind: "customers" | "invoices" | "invoice_lines" | "payments" | "ageing" | "journal";
    /** `,` when left out. */
    delimiter?: "," | ";";
    /** The ageing's date (today when left out). */
    asOf?: string;
    /** The journal's period. */
    from?: string;
    to?: string;
  };
  /** Read a bank statement (1C client-bank exchange, MT940, camt.053, a bank's CSV): lines already there are not added again; autoConfirm confirms exact matches */
  import_statement: {
    /** The file, base64 (at most 20 MB). */
    dataBase64: string;
    fileName?: string;
    /** Confirm the lines that match exactly (number, payer and amount). */
    autoConfirm?: boolean;
    /** A CSV's column (from 0) of each field; the layout saved for the bank, else the headers, when left out. */
    mapping?: Record<string, number>;
    /** A CSV file's field delimiter. */
    delimiter?: "," | ";" | "\t" | "|";
    /** The decimal separator of a file's amounts. */
    decimalSeparator?: "," | ".";
    /** How `27/11/2026`-style dates are read (dotted dates are always day first). */
    dateOrder?: "dmy" | "mdy";
    /** A file's text encoding: detected (`auto`, the default) or forced. */
    encoding?: "auto" | "utf-8" | "windows-1251";
  };
  /** What a statement file is before importing it: a CSV's columns, the mapping in use (saved for the bank, or from the headers) and its first rows; nothing written */
  read_statement: {
    /** The file, base64 (at most 20 MB). */
    dataBase64: string;
    fileName?: string;
    /** Confirm the lines that match exactly (number, payer and amount). */
    autoConfirm?: boolean;
    /** A CSV's column (from 0) of each field; the layout saved for the bank, else the headers, when left out. */
    mapping?: Record<string, number>;
    /** A CSV file's field delimiter. */
    delimiter?: "," | ";" | "\t" | "|";
    /** The decimal separator of a file's amounts. */
    decimalSeparator?: "," | ".";
    /** How `27/11/2026`-style dates are read (dotted dates are always day first). */
    dateOrder?: "dmy" | "mdy";
    /** A file's text encoding: detected (`auto`, the default) or forced. */
    encoding?: "auto" | "utf-8" | "windows-1251";
  };
  /** Imported statements with their balances against their lines and the books' bank account */
  list_bank_statements: Record<string, never>;
  /** Bank lines (by default incoming ones to confirm, with what each most likely pays and why) */
  list_bank_transactions: {
    /** Which bank lines to list: `new` incoming lines to confirm (the default), `matched`, `ignored` (set aside), `out` (money out), `all`. */
    state?: "new" | "matched" | "ignored" | "out" | "all";
    /** One statement's lines, or every statement's. */
    statementId?: number;
    /** 100 when left out. */
    limit?: number;
    offset?: number;
  };
  /** An incoming bank line becomes the customer's payment (oldest due first without allocations) */
  confirm_bank_transaction: {
    /** The bank line. */
    id: number;
    customerId: number;
    /** Oldest due first when left out. */
    allocations?: Array<{
      invoiceId: number;
      /** In the customer's currency (its decimals). */
      amount: string | number;
    }>;
    /** Received as an advance against this prepayment request (then no allocations). */
    prepaymentId?: number;
  };
  /** A bank line that is not a customer payment, with the reason */
  set_aside_bank_transaction: {
    /** The bank line. */
    id: number;
    reason: string;
  };
  /** Put a set-aside bank line back to be confirmed */
  restore_bank_transaction: {
    /** The record. */
    id: number;
  };
  /** Create or change a recurring invoice schedule (changes apply from the next period) */
  save_recurring: {
    /** The schedule to change; a new one when left out. */
    id?: number;
    customerId: number;
    /** At least one. */
    lines?: Array<{
      description: string;
      /** 1 when left out. */
      quantity?: string | number;
      unit?: string;
      /** Up to 6 decimals whatever the currency. */
      unitPrice: string | number;
      discountPercent?: string | number;
      /** The profile's default VAT rate when left out. */
      taxRate?: string | number;
    }>;
    /** How often a schedule makes an invoice. */
    frequency: "weekly" | "monthly" | "quarterly" | "yearly";
    /** Every N weeks (at most 52) or periods (at most 12); 1 when left out. */
    every?: number;
    /** The start date's day when left out; clamped to the month's end. */
    dayOfMonth?: number;
    startDate: string;
    /** No period after it. */
    endDate?: string;
    /** At most this many periods. */
    count?: number;
    /** Issue each period's invoice by itself (a draft to review otherwise). */
    autoIssue?: boolean;
    /** The customer's terms (or the profile's) when left out. */
    termsId?: number;
    /** The customer's language (or the profile's) when left out. */
    language?: "kk" | "ru" | "en";
    purpose?: string;
    notes?: string;
  };
  /** Recurring schedules with their next date and the drafts they made */
  list_recurring: {
    /** One customer's, or everyone's. */
    customerId?: number;
  };
  /** One recurring schedule */
  get_recurring: {
    /** The record. */
    id: number;
  };
  /** Pause a schedule (its periods are skipped) or resume it */
  pause_recurring: {
    id: number;
    /** False resumes; true when left out. */
    paused?: boolean;
  };
  /** No period after today (a schedule that made nothing is removed) */
  end_recurring: {
    /** The record. */
    id: number;
  };
  /** Create or change a draft quote (a commercial offer): posts nothing */
  save_quote: {
    /** The draft to change; a new one when left out. */
    id?: number;
    customerId: number;
    /** At least one. */
    lines?: Array<{
      description: string;
      /** 1 when left out. */
      quantity?: string | number;
      unit?: string;
      /** Up to 6 decimals whatever the currency (the line is rounded). */
      unitPrice: string | number;
      discountPercent?: string | number;
      /** The profile's default VAT rate when left out. */
      taxRate?: string | number;
    }>;
    /** Off the whole quote. */
    discountPercent?: string | number;
    /** The profile's setting when left out. */
    pricesIncludeTax?: boolean;
    notes?: string;
    /** The customer's language (else the profile's) when left out. */
    language?: "kk" | "ru" | "en";
  };
  /** Number a quote or a prepayment request (each its own gapless series); a quote is valid 30 days, a request payable in 10, unless said */
  issue_quote: {
    id: number;
    /** Today when left out; never in the future. */
    issueDate?: string;
    /** A quote: 30 days after the issue date when left out; a prepayment request: payable in 10. */
    validUntil?: string;
  };
  /** One quote with lines, totals and its state (expired past its validity) */
  get_quote: {
    /** The record. */
    id: number;
  };
  /** Quotes and prepayment requests, newest first */
  list_quotes: {
    customerId?: number;
    /** Both kinds when left out. */
    kind?: "quote" | "prepayment";
  };
  /** Log that a quote was sent, or the customer's answer */
  decide_quote: {
    id: number;
    /** A prepayment request is never accepted (it is paid). */
    decision: "sent" | "accepted" | "declined";
    /** Today when left out; not before the issue date nor in the future. */
    date?: string;
  };
  /** An accepted quote becomes a draft invoice with its lines (once) */
  quote_to_invoice: {
    /** The record. */
    id: number;
  };
  /** Delete a draft quote */
  delete_quote: {
    /** The record. */
    id: number;
  };
  /** Create or change a draft prepayment request (a request to pay before the work): posts nothing */
  save_prepayment: {
    /** The draft to change; a new one when left out. */
    id?: number;
    customerId: number;
    /** At least one. */
    lines?: Array<{
      description: string;
      /** 1 when left out. */
      quantity?: string | number;
      unit?: string;
      /** Up to 6 decimals whatever the currency (the line is rounded). */
      unitPrice: string | number;
      discountPercent?: string | number;
      /** The profile's default VAT rate when left out. */
      taxRate?: string | number;
    }>;
    /** Off the whole quote. */
    discountPercent?: string | number;
    /** The profile's setting when left out. */
    pricesIncludeTax?: boolean;
    notes?: string;
    /** The customer's language (else the profile's) when left out. */
    language?: "kk" | "ru" | "en";
  };
  /** An accepted quote becomes a draft prepayment request with its lines (once) */
  prepayment_from_quote: {
    /** The record. */
    id: number;
  };
  /** Money received before the work: an advance (a liability, not revenue), against a prepayment request or not */
  record_advance: {
    /** The prepayment request it pays; its customer's, and by default what it still asks for. */
    prepaymentId?: number;
    /** Required without a prepayment request; with one, it must be the request's customer. */
    customerId?: number;
    /** What the request still asks for when left out. */
    amount?: string | number;
    /** Today when left out. */
    date?: string;
    /** Bank when left out. */
    method?: "cash" | "bank" | "card" | "other";
    reference?: string;
  };
  /** Use the customer's advance on the invoice for the work */
  apply_advance: {
    invoiceId: number;
    /** When given, it must be the invoice's customer. */
    customerId?: number;
    /** As much as is held and open when left out. */
    amount?: string | number;
    /** Today when left out. */
    date?: string;
  };
  /** Pay an unused advance back */
  refund_advance: {
    customerId: number;
    /** All that is held when left out. */
    amount?: string | number;
    /** Today when left out. */
    date?: string;
    /** Bank when left out. */
    method?: "cash" | "bank" | "card" | "other";
  };
  /** Make every period due up to today, of every schedule, exactly once (the app runs it on opening and daily) */
  run_recurring: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  app_info: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  save_pdf: {
    /** The kinds of document: `notice` is the letter about a payment that did not match what was due, `calibration` the envelope calibration page (the only one without an id). */
    kind: "invoice" | "reminder" | "notice" | "receipt" | "statement" | "credit_note" | "act" | "calibration" | "quote" | "prepayment";
    /** The document (for a statement, the customer); every kind but `calibration` needs it. */
    id?: number;
    /** A statement's period. */
    from?: string;
    to?: string;
    /** The window envelopes a letter can be laid out for. */
    envelope?: "din5008a" | "din5008b" | "us10";
    /** Also open the mail client with the PDF's folder. */
    email?: boolean;
    /** The customer's address (`to` is a statement's period end). */
    mailTo?: string;
    subject?: string;
    body?: string;
  };
  /** A command of the shell (window, files, dialogs) */
  open_pdf: {
    /** The kinds of document: `notice` is the letter about a payment that did not match what was due, `calibration` the envelope calibration page (the only one without an id). */
    kind: "invoice" | "reminder" | "notice" | "receipt" | "statement" | "credit_note" | "act" | "calibration" | "quote" | "prepayment";
    /** The document (for a statement, the customer); every kind but `calibration` needs it. */
    id?: number;
    /** A statement's period. */
    from?: string;
    to?: string;
    /** The window envelopes a letter can be laid out for. */
    envelope?: "din5008a" | "din5008b" | "us10";
    /** Also open the mail client with the PDF's folder. */
    email?: boolean;
    /** The customer's address (`to` is a statement's period end). */
    mailTo?: string;
    subject?: string;
    body?: string;
  };
  /** A command of the shell (window, files, dialogs) */
  save_batch_pdf: {
    items?: Array<{
      /** The kinds of document: `notice` is the letter about a payment that did not match what was due, `calibration` the envelope calibration page (the only one without an id). */
      kind: "invoice" | "reminder" | "notice" | "receipt" | "statement" | "credit_note" | "act" | "calibration" | "quote" | "prepayment";
      /** The document (for a statement, the customer); every kind but `calibration` needs it. */
      id?: number;
      /** A statement's period. */
      from?: string;
      to?: string;
      /** The profile's envelope when left out. */
      envelope?: "din5008a" | "din5008b" | "us10";
    }>;
    /** A file name, never a path; `.pdf` is added. */
    fileName?: string;
  };
  /** A command of the shell (window, files, dialogs) */
  save_export: {
    /** The hledger journal when left out. */
    kind?: "hledger" | "journal" | "customers" | "invoices" | "invoice_lines" | "payments" | "ageing";
    /** An export's delimiter: `,` with decimal points, or `;` with decimal commas. */
    delimiter?: "," | ";";
    asOf?: string;
    from?: string;
    to?: string;
  };
  /** A command of the shell (window, files, dialogs) */
  backup_now: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  list_backups: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  restore_backup: {
    name?: string;
  };
  /** A command of the shell (window, files, dialogs) */
  save_copy: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  books_health: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  open_sample: {
    /** English when left out. */
    language?: "kk" | "ru" | "en";
  };
  /** A command of the shell (window, files, dialogs) */
  leave_sample: Record<string, never>;
  /** A command of the shell (window, files, dialogs) */
  startup_mark: {
    label: string;
  };
  /** A command of the shell (window, files, dialogs) */
  connect_server: {
    /** The server's name or address. */
    host: string;
    /** 5432 when left out. */
    port?: number;
    /** The shop's database (`esep-cli server init --database`). */
    database: string;
    /** The person's login on the server. */
    user: string;
    password?: string;
    /** Keep the password in the OS keychain (else it is asked for each time the books open). */
    remember?: boolean;
  };
  /** A command of the shell (window, files, dialogs) */
  disconnect_server: Record<string, never>;
}
