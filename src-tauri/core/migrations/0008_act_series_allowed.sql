-- #20: number_series admits the acts of completed works. Its id CHECK was written with the two
-- series of 0001; SQLite cannot ALTER a CHECK, and rebuilding the table would break the
-- invoices' and credit notes' foreign keys to it inside this transaction. SQLite's documented
-- way for a constraint that only widens (https://sqlite.org/lang_altertable.html, "otheralter"):
-- rewrite the table's SQL in sqlite_schema; the migration runner then bumps schema_version so
-- every connection reads the new definition. The data on disk does not change.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (id IN (''invoice'', ''credit_note''))', 'CHECK (id IN (''invoice'', ''credit_note'', ''act''))')
 WHERE type = 'table' AND name = 'number_series';
PRAGMA writable_schema = OFF;
