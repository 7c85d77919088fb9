-- Schema version 3: derived state per issued invoice, for speed on a large shop (#9), and the
-- user's envelope preset and printer offset (#5).

ALTER TABLE business_profile ADD COLUMN envelope TEXT NOT NULL DEFAULT 'din5008b' CHECK (envelope IN ('din5008a', 'din5008b', 'us10'));
-- Offsets in tenths of a millimetre (exact), right and down; at most 15 mm either way.
ALTER TABLE business_profile ADD COLUMN envelope_dx_tenths INTEGER NOT NULL DEFAULT 0 CHECK (envelope_dx_tenths BETWEEN -150 AND 150);
ALTER TABLE business_profile ADD COLUMN envelope_dy_tenths INTEGER NOT NULL DEFAULT 0 CHECK (envelope_dy_tenths BETWEEN -150 AND 150);
--
-- Its due date as known now (for "N days after receipt" terms, from the sending log), what
-- it amounts to (total + confirmed late fees) and what has settled it so far. Maintained by
-- triggers in the same transaction as the facts it summarises (issue, sending log,
-- settlements, reminders — all append-only), and compared with those facts by check_books.
-- Nothing reads it for history: reports "as of" a past date still use the facts, and use
-- this table only to skip invoices that were settled for good before that date.

CREATE TABLE invoice_state (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL,
    due_date TEXT,
    amount_minor INTEGER NOT NULL,
    settled_minor INTEGER NOT NULL DEFAULT 0,
    last_settled_on TEXT
);
-- Open invoices by due date: the overdue list, "unpaid sorted by due", the dashboard.
CREATE INDEX invoice_state_open_by_due ON invoice_state (due_date) WHERE amount_minor > settled_minor;
CREATE INDEX invoice_state_by_customer ON invoice_state (customer_id);
CREATE INDEX invoice_state_by_last_settled ON invoice_state (last_settled_on);

-- Lookups that scanned whole tables once the shop had history (found by the 100k bench).
CREATE INDEX payment_discrepancies_by_payment ON payment_discrepancies (payment_id);
CREATE INDEX credit_notes_by_invoice ON credit_notes (invoice_id);
CREATE INDEX credit_notes_by_entry ON credit_notes (entry_id);
CREATE INDEX opening_balances_by_customer ON opening_balances (customer_id);

-- When an invoice is due as far as the books know: its due date, or for "N days after
-- receipt" terms the receipt (logged, else expected from the posting or email) plus N days.
-- The one definition, used by the triggers below and by check_books.
CREATE VIEW invoice_due AS
SELECT i.id AS invoice_id,
       COALESCE(i.due_date, CASE WHEN i.after_receipt_days IS NOT NULL THEN date((SELECT COALESCE(
           MAX(CASE WHEN s.kind = 'received' THEN s.sent_on END),
           MIN(CASE WHEN s.kind IN ('post', 'email') THEN s.expected_receipt END))
         FROM invoice_sends s WHERE s.invoice_id = i.id), '+' || i.after_receipt_days || ' days') END) AS due_date
FROM invoices i;

INSERT INTO invoice_state (invoice_id, customer_id, currency, due_date, amount_minor, settled_minor, last_settled_on)
SELECT i.id, i.customer_id, i.currency,
       (SELECT d.due_date FROM invoice_due d WHERE d.invoice_id = i.id),
       i.total_minor + COALESCE((SELECT SUM(r.fee_minor) FROM reminders r WHERE r.invoice_id = i.id), 0),
       COALESCE((SELECT SUM(x.amount_minor) FROM settlements x WHERE x.item_type = 'invoice' AND x.item_id = i.id), 0),
       (SELECT MAX(x.settled_on) FROM settlements x WHERE x.item_type = 'invoice' AND x.item_id = i.id)
FROM invoices i WHERE i.status = 'issued';

CREATE TRIGGER invoice_state_on_issue AFTER UPDATE OF status ON invoices
WHEN OLD.status = 'draft' AND NEW.status = 'issued'
BEGIN
    INSERT INTO invoice_state (invoice_id, customer_id, currency, due_date, amount_minor, settled_minor, last_settled_on)
    SELECT i.id, i.customer_id, i.currency,
           (SELECT d.due_date FROM invoice_due d WHERE d.invoice_id = i.id),
           i.total_minor, 0, NULL
    FROM invoices i WHERE i.id = NEW.id;
END;

CREATE TRIGGER invoice_state_on_send AFTER INSERT ON invoice_sends
BEGIN
    UPDATE invoice_state SET due_date = (SELECT d.due_date FROM invoice_due d WHERE d.invoice_id = NEW.invoice_id)
    WHERE invoice_id = NEW.invoice_id;
END;

CREATE TRIGGER invoice_state_on_settlement AFTER INSERT ON settlements
WHEN NEW.item_type = 'invoice'
BEGIN
    UPDATE invoice_state SET settled_minor = settled_minor + NEW.amount_minor,
        last_settled_on = CASE WHEN last_settled_on IS NULL OR NEW.settled_on > last_settled_on THEN NEW.settled_on ELSE last_settled_on END
    WHERE invoice_id = NEW.item_id;
END;

CREATE TRIGGER invoice_state_on_fee AFTER INSERT ON reminders
WHEN NEW.fee_minor <> 0
BEGIN
    UPDATE invoice_state SET amount_minor = amount_minor + NEW.fee_minor WHERE invoice_id = NEW.invoice_id;
END;
