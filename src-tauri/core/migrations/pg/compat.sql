-- SQLite functions the app's SQL (and the schema's invoice_due view) calls, provided on
-- PostgreSQL under the same names with SQLite's semantics, so those statements run unchanged.
-- Load this file before 0017_schema.sql (the invoice_due view calls date()). Idempotent: it
-- can be run again on every start. Everything is created in the current schema (normally
-- public); every function was checked against SQLite 3.40 (compare_schema.py --compat).
--
-- What is here and why (NOTES.md lists what a function cannot cover):
--   date(text [, modifier ...])  invoice_due view: date(x, '+N days').
--   instr(text, text)            customers.rs, invoices.rs: instr(c.name_fold, ?1) > 0.
--   max(a, b) / min(a, b)        SQLite's two-argument scalars (none used today; kept so that a
--                                future query does not have to know). PostgreSQL accepts a plain
--                                function named max with two arguments beside the one-argument
--                                aggregate; both resolve as expected (checked).
--   sum(bigint) -> bigint        OPT-IN, see its comment: SQLite's SUM of integers is an integer,
--                                PostgreSQL's is NUMERIC, which an i64 reader refuses.
-- Not provided, because the app does not call them: ifnull, julianday, strftime, datetime,
-- printf, group_concat, total. json_each cannot keep SQLite's semantics (NOTES.md).

-- date(time-value [, modifier ...]) -> 'YYYY-MM-DD', as SQLite computes it.
--
-- Made to match the SQLite the app bundles (3.54.1, from libsqlite3-sys 0.40; older SQLite
-- differs on days past the month's end and on 24:xx times).
--
-- Time values: 'YYYY-MM-DD', optionally followed by spaces/'T' and 'HH:MM[:SS[.fff]]' and a
-- time zone ('Z' or ±HH:MM; a non-zero offset converts to UTC, as SQLite does). Like SQLite, a
-- day up to 31 is accepted in any month and normalised (date('2026-02-30') = '2026-03-02').
-- Malformed values give NULL, as in SQLite.
--
-- Modifiers (case-insensitive, as in SQLite):
--   '[+|-]N day[s]' | 'N month[s]' | 'N year[s]' with a whole N (SQLite's number syntax: '5',
--       '+005', '5.0', '1e1'). Months and years keep the day and let it overflow, exactly like
--       SQLite: date('2026-01-31', '+1 months') = '2026-03-03', and
--       date('2024-02-29', '+1 years') = '2025-03-01'.
--   'start of month' | 'start of year' | 'start of day'.
-- A modifier SQLite rejects gives NULL (SQLite's answer). A modifier SQLite accepts but that is
-- not implemented here (fractional N, hours/minutes/seconds, 'weekday N', 'localtime', 'utc',
-- 'unixepoch', 'ceiling', 'floor', '±HH:MM', '±YYYY-MM-DD', ...) and the time values 'now', a
-- bare time or a Julian day number raise an error instead of giving a silently different
-- answer; so do years before 0001, which SQLite has (0000, negative years). A result after
-- 9999-12-31 is NULL, as in SQLite.
--
-- date() with ONE argument: PostgreSQL reads date('2026-01-05') with a literal (or an untyped
-- parameter) as a cast to its date type, not as this function; date(text_column) is this one.
-- The app has no one-argument date().
CREATE OR REPLACE FUNCTION date(value text, VARIADIC modifiers text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    p text[];
    y integer;
    mo integer;
    d integer;
    tod interval := interval '0';   -- time of day, kept for whole-day arithmetic (may be 24:00)
    ts timestamp;
    modifier text;
    m text;
    num text;
    unit text;
    r numeric;
    n bigint;
    k integer;
BEGIN
    IF value ~* '^\s*now\s*$' OR value ~ '^\s*[0-9]+(\.[0-9]*)?\s*$' OR value ~ '^\s*[0-9]{2}:'
       OR value ~ '^-[0-9]{4}-' THEN
        RAISE EXCEPTION 'compat date(): time value % is not supported on PostgreSQL', quote_literal(value);
    END IF;
    -- SQLite's parseYyyyMmDd: exact digit counts, month 1-12, day 1-31, then spaces and 'T's,
    -- then nothing or HH:MM[:SS[.f]] [Z|±HH:MM] with trailing spaces.
    p := regexp_match(value,
        '^([0-9]{4})-([0-9]{2})-([0-9]{2})[\s T]*'
        '(?:([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]+)?)?\s*(?:([zZ])|([+-])([0-9]{2}):([0-9]{2}))?\s*)?$');
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    y := p[1]::integer;
    mo := p[2]::integer;
    d := p[3]::integer;
    IF mo NOT BETWEEN 1 AND 12 OR d NOT BETWEEN 1 AND 31 THEN
        RETURN NULL;
    END IF;
    IF y < 1 THEN
        RAISE EXCEPTION 'compat date(): year 0000 is not supported on PostgreSQL';
    END IF;
    IF p[4] IS NOT NULL THEN
        -- Hours 0-24 (24 only as 24:00:00, the next midnight), minutes and seconds 0-59.
        IF p[4]::integer > 24 OR p[5]::integer > 59 OR COALESCE(p[6], '0')::integer > 59
           OR (p[4] = '24' AND (p[5] <> '00' OR COALESCE(p[6], '00') <> '00' OR COALESCE(p[7], '.0') !~ '^\.0+$')) THEN
            RETURN NULL;
        END IF;
        tod := make_interval(hours => p[4]::integer, mins => p[5]::integer,
                             secs => (COALESCE(p[6], '0') || COALESCE(p[7], ''))::double precision);
        k := 0;
        IF p[9] IS NOT NULL THEN
            IF p[10]::integer > 14 OR p[11]::integer > 59 THEN
                RETURN NULL;
            END IF;
            k := (p[10]::integer * 60 + p[11]::integer) * CASE p[9] WHEN '-' THEN -1 ELSE 1 END;
        END IF;
        IF k <> 0 OR p[4] = '24' THEN
            -- A non-zero offset (converted to UTC) or 24:00: SQLite reads the day back from the
            -- Julian day at once, normalised.
            ts := make_date(y, mo, 1) + (d - 1) + tod - make_interval(mins => k);
            y := extract(year FROM ts)::integer;
            mo := extract(month FROM ts)::integer;
            d := extract(day FROM ts)::integer;
            tod := ts - date_trunc('day', ts);
        END IF;
    END IF;

    FOREACH modifier IN ARRAY modifiers LOOP
        IF modifier IS NULL THEN
            RETURN NULL;
        END IF;
        m := lower(modifier);
        IF m LIKE 'start of %' THEN
            CASE substr(m, 10)
                WHEN 'month' THEN d := 1;
                WHEN 'year' THEN mo := 1; d := 1;
                WHEN 'day' THEN NULL;
                ELSE RETURN NULL;
            END CASE;
            tod := interval '0';
        ELSIF m ~ '^[+-]?[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN
            -- SQLite 3.43+: '±YYYY-MM-DD[ HH:MM[:SS]]' shifts by years, months and days.
            RAISE EXCEPTION 'compat date(): modifier % is not supported on PostgreSQL', quote_literal(modifier);
        ELSIF m ~ '^[+0-9-]' THEN
            -- SQLite: the number runs to the first space or ':'; then spaces; then the unit.
            num := substring(m FROM '^[^\s:]*');
            IF substr(m, length(num) + 1, 1) = ':' THEN
                RAISE EXCEPTION 'compat date(): modifier % is not supported on PostgreSQL', quote_literal(modifier);
            END IF;
            IF num !~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$' THEN
                RETURN NULL;
            END IF;
            unit := regexp_replace(substr(m, length(num) + 1), '^\s*', '');
            IF length(unit) > 10 OR length(unit) < 3 THEN
                RETURN NULL;
            END IF;
            IF right(unit, 1) = 's' THEN
                unit := left(unit, -1);
            END IF;
            IF unit NOT IN ('day', 'month', 'year', 'hour', 'minute', 'second') THEN
                RETURN NULL;
            END IF;
            r := num::numeric;
            IF unit IN ('hour', 'minute', 'second') OR r <> trunc(r) THEN
                RAISE EXCEPTION 'compat date(): modifier % is not supported on PostgreSQL', quote_literal(modifier);
            END IF;
            -- SQLite's limits per unit (beyond them the modifier is an error: NULL).
            IF abs(r) >= (CASE unit WHEN 'day' THEN 5373485 WHEN 'month' THEN 176546 ELSE 14713 END) THEN
                RETURN NULL;
            END IF;
            n := r::bigint;
            IF unit = 'month' THEN
                mo := mo + n::integer;
                k := CASE WHEN mo > 0 THEN (mo - 1) / 12 ELSE (mo - 12) / 12 END;
                y := y + k;
                mo := mo - k * 12;
                n := 0;
            ELSIF unit = 'year' THEN
                y := y + n::integer;
                n := 0;
            END IF;
            IF y > 9999 THEN
                RETURN NULL;
            ELSIF y < 1 THEN
                RAISE EXCEPTION 'compat date(): a year before 0001 is not supported on PostgreSQL';
            END IF;
            -- The Julian day of y-mo-d (d may overflow its month) plus the time, plus n days;
            -- afterwards SQLite reads the date back from the Julian day (normalised).
            IF n > date '9999-12-31' - (make_date(y, mo, 1) + (d - 1)) THEN
                RETURN NULL;
            ELSIF n < date '0001-01-01' - (make_date(y, mo, 1) + (d - 1)) THEN
                RAISE EXCEPTION 'compat date(): a year before 0001 is not supported on PostgreSQL';
            END IF;
            ts := make_date(y, mo, 1) + (d - 1) + tod + make_interval(days => n::integer);
            IF ts >= timestamp '10000-01-01' THEN
                RETURN NULL;
            ELSIF ts < timestamp '0001-01-01' THEN
                RAISE EXCEPTION 'compat date(): a year before 0001 is not supported on PostgreSQL';
            END IF;
            y := extract(year FROM ts)::integer;
            mo := extract(month FROM ts)::integer;
            d := extract(day FROM ts)::integer;
            tod := ts - date_trunc('day', ts);
        ELSIF m ~ '^(weekday |unixepoch$|julianday$|auto$|localtime$|utc$|subsec$|subsecond$|ceiling$|floor$)' THEN
            RAISE EXCEPTION 'compat date(): modifier % is not supported on PostgreSQL', quote_literal(modifier);
        ELSE
            RETURN NULL;
        END IF;
    END LOOP;
    -- SQLite 3.46+ prints a time value given without modifiers normalised (2026-02-30 is
    -- 2026-03-02); after modifiers that did not normalise it ('start of day') it prints the
    -- day as given.
    IF cardinality(modifiers) = 0 AND d > 28 THEN
        ts := make_date(y, mo, 1) + (d - 1);
        y := extract(year FROM ts)::integer;
        mo := extract(month FROM ts)::integer;
        d := extract(day FROM ts)::integer;
    END IF;
    RETURN lpad(y::text, 4, '0') || '-' || lpad(mo::text, 2, '0') || '-' || lpad(d::text, 2, '0');
END;
$$;

-- (Pinned search_path: the call below finds the function above whatever the caller's path.)
CREATE OR REPLACE FUNCTION date(value text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT date(value, VARIADIC ARRAY[]::text[]) $$;

-- instr(haystack, needle): 1-based position of the first occurrence in characters, 0 when
-- absent, 1 for an empty needle, NULL when either is NULL (SQLite's instr on text).
CREATE OR REPLACE FUNCTION instr(haystack text, needle text)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT strpos(haystack, needle)::bigint $$;

-- SQLite's two-argument scalar max/min: NULL when either argument is NULL (GREATEST/LEAST
-- skip NULLs instead). Integers, and text compared byte-wise like SQLite's BINARY collation.
-- max(col, 0), max(0, col), max(1, 2) resolve to the bigint version; the one-argument
-- aggregates max(x)/min(x) are untouched.
CREATE OR REPLACE FUNCTION max(a bigint, b bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN a >= b THEN a ELSE b END $$;

CREATE OR REPLACE FUNCTION min(a bigint, b bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN a <= b THEN a ELSE b END $$;

CREATE OR REPLACE FUNCTION max(a text, b text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN a COLLATE "C" >= b COLLATE "C" THEN a ELSE b END $$;

CREATE OR REPLACE FUNCTION min(a text, b text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN a COLLATE "C" <= b COLLATE "C" THEN a ELSE b END $$;

-- OPT-IN: sum(bigint) returning bigint, as SQLite's SUM of integers (an integer, and an
-- "integer overflow" error where PostgreSQL's bigint addition says "bigint out of range").
-- PostgreSQL's own sum(bigint) returns NUMERIC, which a Rust reader of i64 refuses, and the
-- app sums money in some 40 queries. pg_catalog is searched before every other schema unless
-- it is named in search_path, so this aggregate is only used by a connection whose
-- search_path names pg_catalog AFTER this schema, e.g.
--     SET search_path = public, pg_catalog;        (or options=-c search_path=public,pg_catalog)
-- Without that, nothing changes. The schema file never relies on it (it casts its own sums).
CREATE OR REPLACE AGGREGATE sum(bigint) (
    SFUNC = int8pl,
    STYPE = bigint,
    COMBINEFUNC = int8pl,
    PARALLEL = SAFE
);
