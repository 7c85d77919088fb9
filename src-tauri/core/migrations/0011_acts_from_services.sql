-- #20: an act of completed works can also be made from a selection of one customer's services
-- (not only from an issued invoice), so its invoice becomes optional; the services an act
-- covers are kept (a service is on one act at most); and an act has its own sending log, like
-- an invoice (two copies go to the customer: one comes back signed).
CREATE TABLE acts_new (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL REFERENCES number_series (id) CHECK (series = 'act'),
    series_year INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    issue_date TEXT NOT NULL,
    -- The invoice it was made from; NULL when made from a selection of services.
    invoice_id INTEGER REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    -- kk, ru, or kk+ru (both languages on one form, as official forms often are).
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'kk+ru')),
    -- What the act says, frozen when it is made: the parties and the lines (JSON).
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO acts_new (id, series, series_year, seq, number, issue_date, invoice_id, customer_id, language, content, created_at)
    SELECT id, series, series_year, seq, number, issue_date, invoice_id, customer_id, language, content, created_at FROM acts;
DROP TRIGGER acts_immutable_update;
DROP TRIGGER acts_immutable_delete;
DROP TABLE acts;
ALTER TABLE acts_new RENAME TO acts;
CREATE UNIQUE INDEX acts_by_series_seq ON acts (series, series_year, seq);
CREATE INDEX acts_by_invoice ON acts (invoice_id);
CREATE INDEX acts_by_customer ON acts (customer_id);
CREATE TRIGGER acts_immutable_update BEFORE UPDATE ON acts BEGIN
    SELECT RAISE(ABORT, 'an act of completed works is never changed');
END;
CREATE TRIGGER acts_immutable_delete BEFORE DELETE ON acts BEGIN
    SELECT RAISE(ABORT, 'an act of completed works is never deleted');
END;

-- The recorded services an act covers: each on one act at most.
CREATE TABLE act_charges (
    act_id INTEGER NOT NULL REFERENCES acts (id),
    charge_id INTEGER NOT NULL UNIQUE REFERENCES charges (id)
);
CREATE INDEX act_charges_by_act ON act_charges (act_id);
CREATE TRIGGER act_charges_immutable_update BEFORE UPDATE ON act_charges BEGIN
    SELECT RAISE(ABORT, 'an act of completed works is never changed');
END;
CREATE TRIGGER act_charges_immutable_delete BEFORE DELETE ON act_charges BEGIN
    SELECT RAISE(ABORT, 'an act of completed works is never deleted');
END;
INSERT INTO act_charges (act_id, charge_id)
    SELECT a.id, l.charge_id FROM acts a JOIN invoice_lines l ON l.invoice_id = a.invoice_id WHERE l.charge_id IS NOT NULL;

-- Each time an act leaves the shop (post, email, saved PDF) or its signed copy comes back.
CREATE TABLE act_sends (
    id INTEGER PRIMARY KEY,
    act_id INTEGER NOT NULL REFERENCES acts (id),
    kind TEXT NOT NULL CHECK (kind IN ('post', 'email', 'pdf', 'signed')),
    sent_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX act_sends_by_act ON act_sends (act_id);
