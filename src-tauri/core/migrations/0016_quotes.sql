-- #22: quotes (commercial offers): their own gapless yearly series; a quote posts nothing.
INSERT INTO number_series (id, format, next_number, yearly) VALUES ('quote', 'Q-{YYYY}-{N:4}', 1, 1);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'accepted', 'declined')),
    series TEXT REFERENCES number_series (id),
    series_year INTEGER,
    seq INTEGER,
    number TEXT UNIQUE,
    issue_date TEXT,
    valid_until TEXT,
    sent_on TEXT,
    decided_on TEXT,
    currency TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
    prices_include_tax INTEGER NOT NULL DEFAULT 0,
    discount_percent TEXT NOT NULL DEFAULT '0',
    notes TEXT NOT NULL DEFAULT '',
    subtotal_minor INTEGER NOT NULL DEFAULT 0,
    discount_minor INTEGER NOT NULL DEFAULT 0,
    tax_minor INTEGER NOT NULL DEFAULT 0,
    total_minor INTEGER NOT NULL DEFAULT 0,
    customer_snapshot TEXT,
    -- The invoice it became (both ways: the invoice page names its quote).
    invoice_id INTEGER UNIQUE REFERENCES invoices (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK (valid_until IS NULL OR issue_date IS NULL OR valid_until >= issue_date)
);
CREATE UNIQUE INDEX quotes_by_seq ON quotes (series, series_year, seq) WHERE seq IS NOT NULL;
CREATE INDEX quotes_by_customer ON quotes (customer_id);

CREATE TABLE quote_lines (
    quote_id INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    unit_price_minor INTEGER NOT NULL,
    unit_price_scale INTEGER,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate TEXT NOT NULL DEFAULT '0',
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (quote_id, position)
);
-- What a numbered quote offered never changes.
CREATE TRIGGER quote_lines_fixed_update BEFORE UPDATE ON quote_lines
WHEN (SELECT status FROM quotes WHERE id = OLD.quote_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued quote cannot be changed'); END;
CREATE TRIGGER quote_lines_fixed_delete BEFORE DELETE ON quote_lines
WHEN (SELECT status FROM quotes WHERE id = OLD.quote_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued quote cannot be changed'); END;
CREATE TRIGGER quote_lines_fixed_insert BEFORE INSERT ON quote_lines
WHEN (SELECT status FROM quotes WHERE id = NEW.quote_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued quote cannot be changed'); END;
CREATE TRIGGER quotes_fixed BEFORE UPDATE OF customer_id, number, seq, issue_date, currency, total_minor, subtotal_minor, tax_minor, discount_minor ON quotes
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued quote cannot be changed'); END;
CREATE TRIGGER quotes_no_delete BEFORE DELETE ON quotes WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'append-only: an issued quote cannot be deleted'); END;
