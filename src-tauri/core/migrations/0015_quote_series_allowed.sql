-- #22: number_series admits the quotes (and the prepayment requests that come next, so the
-- table's SQL is rewritten once), the way 0008 did; the runner bumps schema_version before the
-- next migration, which can then insert the series (a CHECK rewritten in sqlite_schema is not
-- seen by the transaction that rewrote it).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (id IN (''invoice'', ''credit_note'', ''act''))', 'CHECK (id IN (''invoice'', ''credit_note'', ''act'', ''quote'', ''prepayment''))')
 WHERE type = 'table' AND name = 'number_series';
PRAGMA writable_schema = OFF;
