-- #22: prepayment requests and advances. A prepayment request ("счёт на оплату" before the
-- work) is kept with the quotes (lines, its own gapless series, posts nothing); a payment
-- against it is an advance received: a liability per customer (account 2150), not revenue,
-- until it is applied to the invoice for the work (a settlement of kind 'advance') or paid
-- back. settlements' kind CHECK only widens, so its SQL is rewritten in sqlite_schema as
-- 0008 and 0012 did (nothing in this migration writes an 'advance' settlement).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
       'kind TEXT NOT NULL CHECK (kind IN (''payment'', ''credit'', ''discount'', ''credit_note'', ''write_off'', ''reversal''))',
       'kind TEXT NOT NULL CHECK (kind IN (''payment'', ''credit'', ''discount'', ''credit_note'', ''write_off'', ''reversal'', ''advance''))')
 WHERE type = 'table' AND name = 'settlements';
PRAGMA writable_schema = OFF;

INSERT INTO number_series (id, format, next_number, yearly) VALUES ('prepayment', 'PP-{YYYY}-{N:4}', 1, 1);
INSERT INTO accounts (id, code, name_key, kind) VALUES (11, '2150', 'account.advances', 'liability');

ALTER TABLE quotes ADD COLUMN kind TEXT NOT NULL DEFAULT 'quote' CHECK (kind IN ('quote', 'prepayment'));
-- A prepayment request made from an accepted quote.
ALTER TABLE quotes ADD COLUMN from_quote_id INTEGER REFERENCES quotes (id);
CREATE INDEX quotes_by_kind ON quotes (kind, status);

-- Money received before the work: Dr Cash/Bank, Cr Advances received (the customer).
CREATE TABLE advances (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    prepayment_id INTEGER REFERENCES quotes (id),
    received_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'bank', 'card', 'other')),
    reference TEXT NOT NULL DEFAULT '',
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE INDEX advances_by_customer ON advances (customer_id);
CREATE INDEX advances_by_prepayment ON advances (prepayment_id);

-- What became of advances: applied to an invoice (Dr Advances, Cr Receivables) or paid back
-- (Dr Advances, Cr Cash/Bank).
CREATE TABLE advance_uses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('applied', 'refunded')),
    invoice_id INTEGER REFERENCES invoices (id),
    used_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method TEXT CHECK (method IN ('cash', 'bank', 'card', 'other')),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL,
    CHECK ((kind = 'applied') = (invoice_id IS NOT NULL))
);
CREATE INDEX advance_uses_by_customer ON advance_uses (customer_id);
CREATE INDEX advance_uses_by_invoice ON advance_uses (invoice_id);

CREATE TRIGGER advances_no_update BEFORE UPDATE ON advances BEGIN SELECT RAISE(ABORT, 'append-only: advances cannot be changed'); END;
CREATE TRIGGER advances_no_delete BEFORE DELETE ON advances BEGIN SELECT RAISE(ABORT, 'append-only: advances cannot be deleted'); END;
CREATE TRIGGER advance_uses_no_update BEFORE UPDATE ON advance_uses BEGIN SELECT RAISE(ABORT, 'append-only: advance uses cannot be changed'); END;
CREATE TRIGGER advance_uses_no_delete BEFORE DELETE ON advance_uses BEGIN SELECT RAISE(ABORT, 'append-only: advance uses cannot be deleted'); END;
