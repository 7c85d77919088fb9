-- #16: one mechanism for every number series, with an optional yearly restart; unit prices
-- finer than the currency.

-- A yearly series restarts at 1 every January (INV-2027-0001 follows INV-2026-0412).
ALTER TABLE number_series ADD COLUMN yearly INTEGER NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1));
-- The year next_number counts in (a yearly series, once it has numbered something).
ALTER TABLE number_series ADD COLUMN counter_year INTEGER;
-- The year a document's number restarted with, or 0 in a series that runs on.
ALTER TABLE invoices ADD COLUMN series_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credit_notes ADD COLUMN series_year INTEGER NOT NULL DEFAULT 0;
DROP INDEX invoices_by_series_seq;
CREATE UNIQUE INDEX invoices_by_series_seq ON invoices (series, series_year, seq) WHERE seq IS NOT NULL;
DROP INDEX credit_notes_by_series_seq;
CREATE UNIQUE INDEX credit_notes_by_series_seq ON credit_notes (series, series_year, seq);
-- Books that have numbered nothing yet restart every year, the usual practice in Kazakhstan;
-- books already counting on keep doing so (Settings can turn the restart on).
UPDATE number_series SET yearly = 1
 WHERE (format LIKE '%{YYYY}%' OR format LIKE '%{YY}%')
   AND NOT EXISTS (SELECT 1 FROM invoices WHERE seq IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM credit_notes);

-- A unit price with more decimals than the currency (0.125 ₸ per gram, 19.995 $ per kWh):
-- unit_price_minor then holds the price × 10^unit_price_scale. NULL, as in every row written
-- before, means the currency's own minor units.
ALTER TABLE charges ADD COLUMN unit_price_scale INTEGER CHECK (unit_price_scale BETWEEN 0 AND 6);
ALTER TABLE invoice_lines ADD COLUMN unit_price_scale INTEGER CHECK (unit_price_scale BETWEEN 0 AND 6);
DROP INDEX charges_unbilled;
CREATE INDEX charges_unbilled ON charges (invoice_id, service_date, id, customer_id, currency, unit_price_minor, quantity, unit_price_scale);
