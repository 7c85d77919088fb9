-- #22: recurring invoices. A schedule per customer (lines, terms, language, how often, from
-- when, until when or how many times, issued by itself or left as a draft to review). Each
-- period generated is a row of recurring_runs keyed by (schedule, period number): a period
-- is never generated twice, and periods are counted from the start, so none is skipped when
-- the app was closed for months. A generated draft the owner deletes leaves its period done.
CREATE TABLE recurring_schedules (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'quarterly', 'yearly')),
    every_n INTEGER NOT NULL DEFAULT 1 CHECK (every_n BETWEEN 1 AND 52),
    day_of_month INTEGER CHECK (day_of_month BETWEEN 1 AND 31),
    start_date TEXT NOT NULL,
    end_date TEXT,
    max_count INTEGER CHECK (max_count BETWEEN 1 AND 1000),
    auto_issue INTEGER NOT NULL DEFAULT 0 CHECK (auto_issue IN (0, 1)),
    -- Paused from this day: periods dated from it on are skipped until resumed.
    paused_from TEXT,
    terms_id INTEGER REFERENCES payment_terms (id),
    language TEXT CHECK (language IN ('kk', 'ru', 'en')),
    purpose TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX recurring_by_customer ON recurring_schedules (customer_id);

CREATE TABLE recurring_lines (
    schedule_id INTEGER NOT NULL REFERENCES recurring_schedules (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    unit_price_scale INTEGER,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate TEXT NOT NULL DEFAULT '0',
    PRIMARY KEY (schedule_id, position)
);

CREATE TABLE recurring_runs (
    schedule_id INTEGER NOT NULL REFERENCES recurring_schedules (id),
    period INTEGER NOT NULL CHECK (period >= 0),
    period_date TEXT NOT NULL,
    -- NULL: skipped while paused, or the draft was deleted.
    invoice_id INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (schedule_id, period)
);
CREATE INDEX recurring_runs_by_invoice ON recurring_runs (invoice_id);
CREATE TRIGGER recurring_runs_no_delete BEFORE DELETE ON recurring_runs
BEGIN SELECT RAISE(ABORT, 'append-only: a generated period cannot be removed'); END;
