-- Esep schema v2: payments and what settles an invoice, customer credit and refunds,
-- discrepancies, credit notes, write-offs, reminders.

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    received_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'bank', 'card', 'other')),
    reference TEXT NOT NULL DEFAULT '',
    -- Part of the payment kept as the customer's credit (overpayment).
    credit_minor INTEGER NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE INDEX payments_by_customer ON payments (customer_id, received_on);

-- What reduces an open item (an issued invoice or an opening balance): a payment, applied
-- credit, an early-payment discount, a credit note or a write-off. Always positive.
CREATE TABLE settlements (
    id INTEGER PRIMARY KEY,
    item_type TEXT NOT NULL CHECK (item_type IN ('invoice', 'opening')),
    item_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'credit', 'discount', 'credit_note', 'write_off')),
    source_id INTEGER,
    settled_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE INDEX settlements_by_item ON settlements (item_type, item_id, settled_on);
CREATE INDEX settlements_by_source ON settlements (kind, source_id);

-- Money paid back out of a customer's credit.
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    refunded_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'bank', 'card', 'other')),
    reference TEXT NOT NULL DEFAULT '',
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);

-- A payment that did not match what was due: the basis of the polite notice.
CREATE TABLE payment_discrepancies (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('under', 'over')),
    due_minor INTEGER NOT NULL,
    received_minor INTEGER NOT NULL,
    difference_minor INTEGER NOT NULL CHECK (difference_minor > 0),
    next_step TEXT NOT NULL CHECK (next_step IN ('remainder_open', 'kept_as_credit')),
    invoice_ids TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);

CREATE TABLE credit_notes (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    series TEXT NOT NULL REFERENCES number_series (id),
    seq INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    issue_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL CHECK (total_minor > 0),
    lines_json TEXT NOT NULL DEFAULT '[]',
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX credit_notes_by_series_seq ON credit_notes (series, seq);

CREATE TABLE write_offs (
    id INTEGER PRIMARY KEY,
    item_type TEXT NOT NULL CHECK (item_type IN ('invoice', 'opening')),
    item_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    written_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);

CREATE TABLE reminder_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    grace_days INTEGER NOT NULL DEFAULT 3 CHECK (grace_days BETWEEN 0 AND 365),
    spacing_days INTEGER NOT NULL DEFAULT 14 CHECK (spacing_days BETWEEN 1 AND 365),
    fee_kind TEXT NOT NULL DEFAULT 'none' CHECK (fee_kind IN ('none', 'fixed', 'interest')),
    fee_fixed_minor INTEGER NOT NULL DEFAULT 0 CHECK (fee_fixed_minor >= 0),
    interest_percent TEXT NOT NULL DEFAULT '0',
    text_1 TEXT NOT NULL DEFAULT '',
    text_2 TEXT NOT NULL DEFAULT '',
    text_3 TEXT NOT NULL DEFAULT ''
);
INSERT INTO reminder_settings (id) VALUES (1);

-- A reminder re-sends a copy of the invoice (same number and date) with the open balance.
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    sent_on TEXT NOT NULL,
    open_minor INTEGER NOT NULL,
    fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    fee_entry_id INTEGER REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE INDEX reminders_by_invoice ON reminders (invoice_id, level);

-- Open items: issued invoices (plus confirmed late fees) and positive opening balances.
CREATE VIEW receivable_items AS
    SELECT 'invoice' AS item_type, i.id AS item_id, i.customer_id, i.currency, i.number AS label, i.issue_date AS item_date,
           i.total_minor + COALESCE((SELECT SUM(r.fee_minor) FROM reminders r WHERE r.invoice_id = i.id), 0) AS amount_minor
    FROM invoices i WHERE i.status = 'issued'
    UNION ALL
    SELECT 'opening', o.id, o.customer_id, o.currency, o.reference, o.as_of, o.amount_minor
    FROM opening_balances o WHERE o.amount_minor > 0;

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'append-only: payments cannot be changed'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'append-only: payments cannot be deleted'); END;
CREATE TRIGGER settlements_no_update BEFORE UPDATE ON settlements BEGIN SELECT RAISE(ABORT, 'append-only: settlements cannot be changed'); END;
CREATE TRIGGER settlements_no_delete BEFORE DELETE ON settlements BEGIN SELECT RAISE(ABORT, 'append-only: settlements cannot be deleted'); END;
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds BEGIN SELECT RAISE(ABORT, 'append-only: refunds cannot be changed'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds BEGIN SELECT RAISE(ABORT, 'append-only: refunds cannot be deleted'); END;
CREATE TRIGGER discrepancies_no_update BEFORE UPDATE ON payment_discrepancies BEGIN SELECT RAISE(ABORT, 'append-only: discrepancies cannot be changed'); END;
CREATE TRIGGER discrepancies_no_delete BEFORE DELETE ON payment_discrepancies BEGIN SELECT RAISE(ABORT, 'append-only: discrepancies cannot be deleted'); END;
CREATE TRIGGER credit_notes_no_update BEFORE UPDATE ON credit_notes BEGIN SELECT RAISE(ABORT, 'append-only: credit notes cannot be changed'); END;
CREATE TRIGGER credit_notes_no_delete BEFORE DELETE ON credit_notes BEGIN SELECT RAISE(ABORT, 'append-only: credit notes cannot be deleted'); END;
CREATE TRIGGER write_offs_no_update BEFORE UPDATE ON write_offs BEGIN SELECT RAISE(ABORT, 'append-only: write-offs cannot be changed'); END;
CREATE TRIGGER write_offs_no_delete BEFORE DELETE ON write_offs BEGIN SELECT RAISE(ABORT, 'append-only: write-offs cannot be deleted'); END;
CREATE TRIGGER reminders_no_update BEFORE UPDATE ON reminders BEGIN SELECT RAISE(ABORT, 'append-only: reminders cannot be changed'); END;
CREATE TRIGGER reminders_no_delete BEFORE DELETE ON reminders BEGIN SELECT RAISE(ABORT, 'append-only: reminders cannot be deleted'); END;
