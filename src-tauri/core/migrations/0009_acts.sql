-- #20: the act of completed works (АВР, form Р-1), made from an issued invoice. Numbered in its
-- own gapless series, immutable once made; it posts nothing (the invoice did).
INSERT INTO number_series (id, format, next_number, yearly) VALUES ('act', 'АВР-{YYYY}-{N:4}', 1, 1);

CREATE TABLE acts (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL REFERENCES number_series (id) CHECK (series = 'act'),
    series_year INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    issue_date TEXT NOT NULL,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    -- kk, ru, or kk+ru (both languages on one form, as official forms often are).
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'kk+ru')),
    -- What the act says, frozen when it is made: the parties and the lines (JSON).
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX acts_by_series_seq ON acts (series, series_year, seq);
CREATE INDEX acts_by_invoice ON acts (invoice_id);

CREATE TRIGGER acts_immutable_update BEFORE UPDATE ON acts BEGIN
    SELECT RAISE(ABORT, 'an act of completed works is never changed');
END;
CREATE TRIGGER acts_immutable_delete BEFORE DELETE ON acts BEGIN
    SELECT RAISE(ABORT, 'an act of completed works is never deleted');
END;
