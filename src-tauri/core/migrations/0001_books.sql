-- Esep schema v1: profile, terms, customers, charges, invoices, sending log, the journal.
-- Money is INTEGER minor units next to a currency code. Rates and quantities are decimal TEXT
-- (never summed by SQLite). Dates are ISO TEXT 'YYYY-MM-DD'.

CREATE TABLE payment_terms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'net', 'after_receipt', 'eom', 'proximo')),
    days INTEGER NOT NULL DEFAULT 0 CHECK (days BETWEEN 0 AND 3650),
    day_of_month INTEGER CHECK (day_of_month BETWEEN 1 AND 31),
    cutoff_day INTEGER CHECK (cutoff_day BETWEEN 1 AND 31),
    discount_percent TEXT,
    discount_days INTEGER CHECK (discount_days BETWEEN 0 AND 3650),
    preset INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0
);

INSERT INTO payment_terms (id, name, kind, days, day_of_month, cutoff_day, discount_percent, discount_days, preset) VALUES
    (1, 'Due on receipt', 'receipt', 0, NULL, NULL, NULL, NULL, 1),
    (2, 'Net 7', 'net', 7, NULL, NULL, NULL, NULL, 1),
    (3, 'Net 14', 'net', 14, NULL, NULL, NULL, NULL, 1),
    (4, 'Net 15', 'net', 15, NULL, NULL, NULL, NULL, 1),
    (5, 'Net 30', 'net', 30, NULL, NULL, NULL, NULL, 1),
    (6, 'Net 60', 'net', 60, NULL, NULL, NULL, NULL, 1),
    (7, '15 days after receipt', 'after_receipt', 15, NULL, NULL, NULL, NULL, 1),
    (8, 'EOM 10', 'proximo', 0, 10, NULL, NULL, NULL, 1),
    (9, '2/10 Net 30', 'net', 30, NULL, NULL, '2', 10, 1);

CREATE TABLE business_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    tax_ids TEXT NOT NULL DEFAULT '',
    bank_account TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    bank_bic TEXT NOT NULL DEFAULT '',
    bank_kbe TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    default_terms_id INTEGER NOT NULL REFERENCES payment_terms (id),
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
    thank_you TEXT NOT NULL DEFAULT '',
    logo BLOB,
    logo_mime TEXT,
    unbilled_warn_days INTEGER NOT NULL DEFAULT 7,
    default_tax_rate TEXT NOT NULL DEFAULT '0',
    prices_include_tax INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- Gapless number series. `format` uses {YYYY}, {YY} and {N:w} (w = zero padding).
CREATE TABLE number_series (
    id TEXT PRIMARY KEY CHECK (id IN ('invoice', 'credit_note')),
    format TEXT NOT NULL,
    next_number INTEGER NOT NULL CHECK (next_number >= 1)
);
INSERT INTO number_series (id, format, next_number) VALUES
    ('invoice', 'INV-{YYYY}-{N:4}', 1),
    ('credit_note', 'CN-{YYYY}-{N:4}', 1);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    contact_person TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    terms_id INTEGER REFERENCES payment_terms (id),
    language TEXT CHECK (language IN ('kk', 'ru', 'en')),
    transit_days INTEGER NOT NULL DEFAULT 3 CHECK (transit_days BETWEEN 0 AND 365),
    notes TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX customers_by_name ON customers (name_fold);

-- The chart of accounts. The user never needs to see it.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('asset', 'liability', 'equity', 'income', 'expense'))
);
INSERT INTO accounts (id, code, name_key, kind) VALUES
    (1, '1000', 'account.cash', 'asset'),
    (2, '1010', 'account.bank', 'asset'),
    (3, '1100', 'account.receivables', 'asset'),
    (4, '2100', 'account.customerCredit', 'liability'),
    (5, '2200', 'account.taxPayable', 'liability'),
    (6, '3900', 'account.openingBalance', 'equity'),
    (7, '4000', 'account.sales', 'income'),
    (8, '4100', 'account.lateFees', 'income'),
    (9, '4900', 'account.discountsGiven', 'expense'),
    (10, '6900', 'account.badDebts', 'expense');

CREATE TABLE journal_entries (
    id INTEGER PRIMARY KEY,
    entry_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    memo TEXT NOT NULL,
    source_type TEXT,
    source_id INTEGER,
    reverses INTEGER REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE INDEX journal_by_date ON journal_entries (entry_date);
CREATE INDEX journal_by_source ON journal_entries (source_type, source_id);

-- Debits positive, credits negative. Every entry sums to zero per currency.
CREATE TABLE postings (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    customer_id INTEGER REFERENCES customers (id),
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    tax_rate TEXT
);
CREATE INDEX postings_by_entry ON postings (entry_id);
CREATE INDEX postings_by_account ON postings (account_id, customer_id);
CREATE INDEX postings_by_customer ON postings (customer_id, account_id);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'issued')),
    series TEXT REFERENCES number_series (id),
    seq INTEGER,
    number TEXT UNIQUE,
    issue_date TEXT,
    due_date TEXT,
    currency TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
    terms_id INTEGER REFERENCES payment_terms (id),
    terms_json TEXT NOT NULL,
    -- Days after receipt for 'after_receipt' terms; then due_date is derived from the sending log.
    after_receipt_days INTEGER,
    prices_include_tax INTEGER NOT NULL DEFAULT 0,
    discount_percent TEXT NOT NULL DEFAULT '0',
    purpose TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    service_from TEXT,
    service_to TEXT,
    customer_snapshot TEXT,
    seller_snapshot TEXT,
    subtotal_minor INTEGER NOT NULL DEFAULT 0,
    discount_minor INTEGER NOT NULL DEFAULT 0,
    tax_minor INTEGER NOT NULL DEFAULT 0,
    total_minor INTEGER NOT NULL DEFAULT 0,
    entry_id INTEGER REFERENCES journal_entries (id),
    content_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (status = 'draft' OR (seq IS NOT NULL AND number IS NOT NULL AND issue_date IS NOT NULL AND entry_id IS NOT NULL))
);
CREATE UNIQUE INDEX invoices_by_series_seq ON invoices (series, seq) WHERE seq IS NOT NULL;
CREATE INDEX invoices_by_customer ON invoices (customer_id, status);
CREATE INDEX invoices_by_status_due ON invoices (status, due_date);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    charge_id INTEGER,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    unit_price_minor INTEGER NOT NULL,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate TEXT NOT NULL DEFAULT '0',
    amount_minor INTEGER NOT NULL
);
CREATE INDEX invoice_lines_by_invoice ON invoice_lines (invoice_id, position);

-- Services and charges recorded before they are invoiced.
CREATE TABLE charges (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    service_date TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    unit_price_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    tax_rate TEXT NOT NULL DEFAULT '0',
    invoice_id INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX charges_unbilled ON charges (invoice_id, service_date);
CREATE INDEX charges_by_customer ON charges (customer_id);

-- Each time an invoice leaves the shop (post, email, saved PDF) or is known to be received.
CREATE TABLE invoice_sends (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    kind TEXT NOT NULL CHECK (kind IN ('post', 'email', 'pdf', 'received')),
    sent_on TEXT NOT NULL,
    expected_receipt TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX invoice_sends_by_invoice ON invoice_sends (invoice_id);

-- Opening balances brought in from a notebook or another tool, one open item each.
CREATE TABLE opening_balances (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    as_of TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);

-- Append-only, enforced by the database itself.
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'append-only: journal entries cannot be changed'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'append-only: journal entries cannot be deleted'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'append-only: postings cannot be changed'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'append-only: postings cannot be deleted'); END;
CREATE TRIGGER invoices_issued_no_update BEFORE UPDATE ON invoices WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued invoice cannot be changed'); END;
CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued invoice cannot be deleted'); END;
CREATE TRIGGER invoice_lines_issued_no_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued invoice cannot get lines'); END;
CREATE TRIGGER invoice_lines_issued_no_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: lines of an issued invoice cannot be changed'); END;
CREATE TRIGGER invoice_lines_issued_no_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: lines of an issued invoice cannot be deleted'); END;
CREATE TRIGGER charges_billed_no_change BEFORE UPDATE ON charges
WHEN OLD.invoice_id IS NOT NULL AND (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: a billed charge cannot be changed'); END;
CREATE TRIGGER charges_billed_no_delete BEFORE DELETE ON charges
WHEN OLD.invoice_id IS NOT NULL AND (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'append-only: a billed charge cannot be deleted'); END;
CREATE TRIGGER invoice_sends_no_update BEFORE UPDATE ON invoice_sends
BEGIN SELECT RAISE(ABORT, 'append-only: the sending log cannot be changed'); END;
CREATE TRIGGER invoice_sends_no_delete BEFORE DELETE ON invoice_sends
BEGIN SELECT RAISE(ABORT, 'append-only: the sending log cannot be deleted'); END;
CREATE TRIGGER opening_balances_no_update BEFORE UPDATE ON opening_balances
BEGIN SELECT RAISE(ABORT, 'append-only: opening balances cannot be changed'); END;
CREATE TRIGGER opening_balances_no_delete BEFORE DELETE ON opening_balances
BEGIN SELECT RAISE(ABORT, 'append-only: opening balances cannot be deleted'); END;
