-- #19: a mistyped payment is corrected without deleting history: it is reversed by an entry
-- (with a reason), and recorded again. The reversal takes back what the payment settled, as
-- settlements of kind 'reversal' with negative amounts (its own payment's allocations stay as
-- they were). SQLite cannot ALTER a CHECK; both CHECKs only widen, so the table's SQL is
-- rewritten in sqlite_schema as 0008 did (the migration runner bumps schema_version).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
       'kind TEXT NOT NULL CHECK (kind IN (''payment'', ''credit'', ''discount'', ''credit_note'', ''write_off''))',
       'kind TEXT NOT NULL CHECK (kind IN (''payment'', ''credit'', ''discount'', ''credit_note'', ''write_off'', ''reversal''))'),
       'amount_minor INTEGER NOT NULL CHECK (amount_minor > 0)',
       'amount_minor INTEGER NOT NULL CHECK (amount_minor > 0 OR (kind = ''reversal'' AND amount_minor < 0))')
 WHERE type = 'table' AND name = 'settlements';
PRAGMA writable_schema = OFF;

-- One reversal per payment, never changed or deleted.
CREATE TABLE payment_reversals (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    reversed_on TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason <> ''),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
);
CREATE TRIGGER payment_reversals_no_update BEFORE UPDATE ON payment_reversals BEGIN SELECT RAISE(ABORT, 'append-only: reversals cannot be changed'); END;
CREATE TRIGGER payment_reversals_no_delete BEFORE DELETE ON payment_reversals BEGIN SELECT RAISE(ABORT, 'append-only: reversals cannot be deleted'); END;
