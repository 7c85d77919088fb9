-- #21: bank statements in, payments matched. A statement is kept with what it said (account,
-- period, balances); each of its lines is a bank transaction under a stable key, so the same
-- line read again (the same file, or an overlapping statement) is not added twice. A
-- transaction is new until the owner confirms it as a customer's payment (then it points at
-- that payment, or at the advance it was received as) or sets it aside as not a customer payment (with a reason). Nothing here posts
-- to the books by itself: a confirmed transaction posts through its payment.
CREATE TABLE bank_statements (
    id INTEGER PRIMARY KEY,
    format TEXT NOT NULL CHECK (format IN ('1c', 'mt940', 'camt053', 'csv')),
    file_name TEXT NOT NULL DEFAULT '',
    account TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    date_from TEXT,
    date_to TEXT,
    opening_minor INTEGER,
    closing_minor INTEGER,
    line_count INTEGER NOT NULL CHECK (line_count >= 0),
    added_count INTEGER NOT NULL CHECK (added_count >= 0),
    imported_at TEXT NOT NULL
);

CREATE TABLE bank_transactions (
    id INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES bank_statements (id),
    tx_key TEXT NOT NULL UNIQUE,
    file_line INTEGER NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    booked_on TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    counterparty TEXT NOT NULL DEFAULT '',
    counterparty_id TEXT NOT NULL DEFAULT '',
    counterparty_account TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    knp TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'matched', 'ignored')),
    payment_id INTEGER UNIQUE REFERENCES payments (id),
    -- Or the advance it was received as, against a prepayment request (#22; table in 0017).
    advance_id INTEGER UNIQUE REFERENCES advances (id),
    ignore_reason TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    created_at TEXT NOT NULL,
    CHECK ((state = 'matched') = (payment_id IS NOT NULL OR advance_id IS NOT NULL)),
    CHECK (payment_id IS NULL OR advance_id IS NULL),
    CHECK ((state = 'ignored') = (ignore_reason <> ''))
);
CREATE INDEX bank_transactions_by_state ON bank_transactions (state, booked_on);
CREATE INDEX bank_transactions_by_statement ON bank_transactions (statement_id);
CREATE INDEX bank_transactions_by_payer ON bank_transactions (counterparty_account) WHERE counterparty_account <> '';
-- What a line said never changes; only its state (and what decided it) does.
CREATE TRIGGER bank_transactions_fixed BEFORE UPDATE OF statement_id, tx_key, file_line, account, booked_on, direction, amount_minor, currency,
    counterparty, counterparty_id, counterparty_account, purpose, reference, knp ON bank_transactions
BEGIN SELECT RAISE(ABORT, 'append-only: a bank line cannot be changed'); END;
CREATE TRIGGER bank_transactions_no_delete BEFORE DELETE ON bank_transactions
BEGIN SELECT RAISE(ABORT, 'append-only: bank lines cannot be deleted'); END;
CREATE TRIGGER bank_statements_no_update BEFORE UPDATE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'append-only: statements cannot be changed'); END;
CREATE TRIGGER bank_statements_no_delete BEFORE DELETE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'append-only: statements cannot be deleted'); END;

-- The columns the owner chose once for a bank's CSV export, by the export's headers: the
-- next statement from that bank imports in one click.
CREATE TABLE bank_csv_layouts (
    signature TEXT PRIMARY KEY,
    mapping TEXT NOT NULL,
    delimiter TEXT NOT NULL,
    decimal_separator TEXT,
    date_order TEXT NOT NULL DEFAULT 'dmy' CHECK (date_order IN ('dmy', 'mdy')),
    saved_at TEXT NOT NULL
);
