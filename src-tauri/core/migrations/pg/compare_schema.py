#!/usr/bin/env python3
"""Checks pg/0017_schema.sql and pg/compat.sql against the SQLite schema of migrations 0001..0017.

The SQLite side is built in memory from the 17 migration files, the way db.rs applies them
(foreign_keys=ON; a schema_version bump after a file that rewrites sqlite_schema). The
PostgreSQL side is a scratch database on the server that psql reaches (PGHOST, PGPORT, PGUSER
... as usual), made from compat.sql then 0017_schema.sql with psql -v ON_ERROR_STOP=1, and
dropped at the end (--keep keeps it). Only the standard library and the psql client are used.

Compared:
  tables     the same tables; per table the same columns in the same order, each with the
             corresponding type (INTEGER -> bigint, TEXT -> text COLLATE "C", BLOB -> bytea),
             NOT NULL, DEFAULT, primary key, identity for a rowid alias
  checks     every CHECK, matched by the columns it reads and shown equivalent by evaluating
             both engines' expressions on the same grid of values (NULL passes, as in both)
  uniques    UNIQUE constraints; foreign keys with their ON UPDATE/ON DELETE actions
  indexes    names, uniqueness, columns in order, partial WHERE (evaluated like the checks)
  triggers   names, table, BEFORE/AFTER, event, UPDATE OF columns, and the messages raised
  views      names and columns
  seeds      every row the migrations leave in an empty database, same ids
  behaviour  one set of statements run on both engines: the same rows afterwards in every
             table and view (the invoice_state triggers and invoice_due's date()), and every
             refusing trigger refuses the same UPDATE/DELETE/INSERT with the same message
             (SQLSTATE P0001 on PostgreSQL) while the statements the app makes still pass
  compat     date() against SQLite's on edge cases and a seeded random sample; instr; the
             two-argument max/min beside the aggregates; the opt-in sum(bigint)

Prints one line per check, then 'N passed, N failed'; exits 1 when anything failed.
"""
import argparse
import glob
import itertools
import os
import random
import re
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MIGRATIONS = os.path.dirname(HERE)
RS, US = '\x1e', '\x1f'
NULL = '\x01'

passed = failed = 0


def report(ok, what, detail=''):
    global passed, failed
    if ok:
        passed += 1
        print(f'ok   {what}')
    else:
        failed += 1
        print(f'FAIL {what}' + (f'\n     {detail}' if detail else ''))
    return ok


# --------------------------------------------------------------------------- the two engines

def build_sqlite():
    con = sqlite3.connect(':memory:', isolation_level=None)
    con.execute('PRAGMA foreign_keys = ON')
    files = sorted(glob.glob(os.path.join(MIGRATIONS, '[0-9][0-9][0-9][0-9]_*.sql')))
    assert len(files) == 17, files
    for f in files:
        sql = open(f, encoding='utf-8').read()
        con.executescript(sql)
        if 'PRAGMA writable_schema = ON' in sql:
            v = con.execute('PRAGMA schema_version').fetchone()[0]
            con.execute(f'PRAGMA schema_version = {v + 1}')
    return con


class Pg:
    """psql, with the SQL on standard input (a -c argument is limited to 128 KiB)."""

    def __init__(self, db):
        self.db = db

    def _run(self, sql, *args, db=None, check=True):
        return subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db or self.db, *args, '-f', '-'],
                              input=sql, capture_output=True, text=True, check=check)

    def admin(self, sql):
        self._run(sql, db='postgres')

    def load(self, path):
        r = subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', self.db, '-f', path], capture_output=True, text=True)
        return r.returncode == 0, r.stderr.strip()

    def rows(self, sql):
        out = self._run(sql, '-A', '-t', '-F', US, '-R', RS, '-P', f'null={NULL}').stdout
        if out.endswith('\n'):
            out = out[:-1]
        if not out:
            return []
        return [tuple(None if v == NULL else v for v in row.split(US)) for row in out.split(RS)]

    def value(self, sql):
        return self.rows(sql)[0][0]

    def execute(self, sql):
        self._run(sql)

    def attempt(self, sql):
        """Runs sql in a transaction that is rolled back: (None, None) or (sqlstate, message)."""
        r = self._run(f'BEGIN;\n{sql};\nROLLBACK;\n', '-v', 'VERBOSITY=verbose', check=False)
        if r.returncode == 0:
            return None, None
        m = re.search(r'ERROR:\s+([0-9A-Z]{5}): (.*)', r.stderr)
        return (m.group(1), m.group(2)) if m else ('?', r.stderr.strip())


def sqlite_attempt(con, sql):
    con.execute('SAVEPOINT probe')
    try:
        con.execute(sql)
        err = None
    except sqlite3.Error as e:
        err = str(e)
    con.execute('ROLLBACK TO probe')
    con.execute('RELEASE probe')
    return err


def sqlite_text(v):
    if v is None:
        return None
    if isinstance(v, bytes):
        return '\\x' + v.hex()
    return str(v)


# --------------------------------------------------------------------------- SQL text helpers

def strip_comments(sql):
    out, i = [], 0
    while i < len(sql):
        if sql[i] == "'":
            j = i + 1
            while True:
                j = sql.index("'", j)
                if j + 1 < len(sql) and sql[j + 1] == "'":
                    j += 2
                    continue
                break
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith('--', i):
            j = sql.find('\n', i)
            i = len(sql) if j < 0 else j
        else:
            out.append(sql[i])
            i += 1
    return ''.join(out)


def balanced(sql, start):
    """The text inside the parenthesis that opens at sql[start]."""
    depth, i = 0, start
    while i < len(sql):
        c = sql[i]
        if c == "'":
            i = sql.index("'", i + 1)
            while i + 1 < len(sql) and sql[i + 1] == "'":
                i = sql.index("'", i + 2)
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return sql[start + 1:i]
        i += 1
    raise ValueError('unbalanced')


def sqlite_checks(create_sql):
    sql = strip_comments(create_sql)
    out = []
    for m in re.finditer(r"'(?:[^']|'')*'|\bCHECK\s*\(", sql, re.I):
        if m.group(0).startswith("'"):
            continue
        out.append(balanced(sql, m.end() - 1).strip())
    return out


def idents(expr, columns):
    expr = re.sub(r"'(?:[^']|'')*'", "''", expr)
    return sorted({w for w in re.findall(r'[A-Za-z_][A-Za-z0-9_]*', expr) if w in columns})


def literal_values(expr):
    ints = {int(x) for x in re.findall(r"(?<![A-Za-z_0-9'])-?\d+(?![A-Za-z_0-9'])", re.sub(r"'(?:[^']|'')*'", "''", expr))}
    texts = {s.replace("''", "'") for s in re.findall(r"'((?:[^']|'')*)'", expr)}
    return ints, texts


def grid(columns, types, exprs, limit=20000):
    ints, texts = set(), set()
    for e in exprs:
        i, t = literal_values(e)
        ints |= i
        texts |= t
    domains = []
    for c in columns:
        if types[c] == 'INTEGER':
            vals = {0, 1, -1, 2}
            for i in ints:
                vals |= {i - 1, i, i + 1}
            domains.append([None] + sorted(vals))
        else:
            domains.append([None] + sorted({'', 'x', '2026-01-01', '2026-02-01'} | texts))
    combos = list(itertools.product(*domains)) if _product(domains) <= limit else \
        [tuple(random.Random(i).choice(d) for d in domains) for i in range(limit)]
    return combos


def _product(domains):
    n = 1
    for d in domains:
        n *= len(d)
    return n


def evaluate(pg, con, columns, types, combos, sqlite_expr, pg_expr):
    """Whether each engine lets each combination through (true or NULL)."""
    def lit(v, t, engine):
        if v is None:
            return 'NULL' if engine == 'sqlite' else ('CAST(NULL AS BIGINT)' if t == 'INTEGER' else 'CAST(NULL AS TEXT) COLLATE "C"')
        if t == 'INTEGER':
            return str(v) if engine == 'sqlite' else f'CAST({v} AS BIGINT)'
        q = "'" + v.replace("'", "''") + "'"
        return q if engine == 'sqlite' else f'CAST({q} AS TEXT) COLLATE "C"'
    cols = ', '.join(['_i'] + columns)
    res = {}
    for engine, expr in (('sqlite', sqlite_expr), ('pg', pg_expr)):
        values = ', '.join('(' + ', '.join([str(n)] + [lit(v, types[c], engine) for v, c in zip(combo, columns)]) + ')'
                           for n, combo in enumerate(combos))
        q = f'WITH v({cols}) AS (VALUES {values}) SELECT _i, ({expr}) FROM v ORDER BY _i'
        if engine == 'sqlite':
            res[engine] = [r[1] is None or bool(r[1]) for r in con.execute(q)]
        else:
            res[engine] = [r[1] is None or r[1] == 't' for r in pg.rows(q)]
    diff = [combos[i] for i, (a, b) in enumerate(zip(res['sqlite'], res['pg'])) if a != b]
    return diff


# --------------------------------------------------------------------------- catalogues

def sqlite_catalog(con):
    cat = {'tables': {}, 'indexes': {}, 'triggers': {}, 'views': {}}
    for typ, name, tbl, sql in con.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"):
        if typ == 'table':
            cols = [dict(name=r[1], type=r[2], notnull=bool(r[3]), default=r[4], pk=r[5])
                    for r in con.execute(f'PRAGMA table_info("{name}")')]
            uniques = []
            for _, iname, unique, origin, partial in con.execute(f'PRAGMA index_list("{name}")'):
                if origin == 'u':
                    uniques.append(tuple(r[2] for r in con.execute(f'PRAGMA index_info("{iname}")')))
            fks = {}
            for r in con.execute(f'PRAGMA foreign_key_list("{name}")'):
                fks.setdefault(r[0], [r[2], [], [], r[5], r[6]])
                fks[r[0]][1].append(r[3])
                fks[r[0]][2].append(r[4])
            cat['tables'][name] = dict(sql=sql, columns=cols, uniques=sorted(uniques),
                                       fks=sorted((tuple(f[1]), f[0], tuple(f[2]), f[3], f[4]) for f in fks.values()))
        elif typ == 'index':
            m = re.search(r'\bWHERE\b(.*)$', sql, re.S | re.I)
            cols = [r[2] for r in con.execute(f'PRAGMA index_info("{name}")')]
            cat['indexes'][name] = dict(table=tbl, unique=sql.upper().startswith('CREATE UNIQUE'), columns=cols,
                                        where=m.group(1).strip() if m else None)
        elif typ == 'trigger':
            m = re.match(r'CREATE TRIGGER (\w+)\s+(BEFORE|AFTER)\s+(INSERT|DELETE|UPDATE)(?:\s+OF\s+(.*?))?\s+ON\s+(\w+)', sql, re.S | re.I)
            of = tuple(sorted(c.strip() for c in m.group(4).split(','))) if m.group(4) else ()
            cat['triggers'][name] = dict(table=m.group(5), timing=m.group(2).upper(), event=m.group(3).upper(), of=of,
                                         messages=sorted(set(re.findall(r"RAISE\(ABORT, '([^']*)'\)", sql))))
        elif typ == 'view':
            cat['views'][name] = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]
    return cat


def pg_catalog(pg):
    cat = {'tables': {}, 'indexes': {}, 'triggers': {}, 'views': {}}
    for (name,) in pg.rows("SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"):
        cols = [dict(name=r[0], type=r[1], notnull=r[2] == 't', default=r[3], identity=r[4], collation=r[5])
                for r in pg.rows(f"""SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                                            a.attidentity, co.collname
                                     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                                     LEFT JOIN pg_collation co ON co.oid = a.attcollation
                                     WHERE a.attrelid = '{name}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""")]
        cons = pg.rows(f"""SELECT c.contype, c.conname, pg_get_expr(c.conbin, c.conrelid),
                                  (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
                                  (SELECT relname FROM pg_class WHERE oid = c.confrelid),
                                  (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n),
                                  c.confupdtype, c.confdeltype, c.conindid::regclass::text
                           FROM pg_constraint c WHERE c.conrelid = '{name}'::regclass""")
        action = {'a': 'NO ACTION', 'r': 'RESTRICT', 'c': 'CASCADE', 'n': 'SET NULL', 'd': 'SET DEFAULT'}
        cat['tables'][name] = dict(
            columns=cols,
            pk=tuple(next((r[3].split(',') for r in cons if r[0] == 'p'), [])),
            checks=[(r[2], r[3].split(',')) for r in cons if r[0] == 'c'],
            uniques=sorted(tuple(r[3].split(',')) for r in cons if r[0] == 'u'),
            fks=sorted((tuple(r[3].split(',')), r[4], tuple(r[5].split(',')), action[r[6]], action[r[7]]) for r in cons if r[0] == 'f'),
            constraint_indexes={r[8] for r in cons if r[0] in 'pu'})
    for name, tbl, unique, cols, pred in pg.rows("""
            SELECT i.relname, t.relname, x.indisunique,
                   (SELECT string_agg(COALESCE(a.attname, '<expr>'), ',' ORDER BY k.i) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i)
                    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n),
                   pg_get_expr(x.indpred, x.indrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""):
        cat['indexes'][name] = dict(table=tbl, unique=unique == 't', columns=cols.split(','), where=pred)
    for name, tbl, tgtype, of, src in pg.rows("""
            SELECT g.tgname, c.relname, g.tgtype,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(g.tgattr::int2[]) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = g.tgrelid AND a.attnum = k.n),
                   p.prosrc
            FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid
            WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace"""):
        t = int(tgtype)
        event = 'INSERT' if t & 4 else 'DELETE' if t & 8 else 'UPDATE' if t & 16 else '?'
        if (t & 4) + (t & 8) + (t & 16) not in (4, 8, 16):
            event = 'several'
        cat['triggers'][name] = dict(table=tbl, timing='BEFORE' if t & 2 else 'AFTER', event=event,
                                     of=tuple(sorted(of.split(','))) if of else (), row=bool(t & 1),
                                     messages=sorted(set(re.findall(r"RAISE EXCEPTION '([^']*)'", src))))
    for (name,) in pg.rows("SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'v'"):
        cat['views'][name] = [r[0] for r in pg.rows(
            f"SELECT attname FROM pg_attribute WHERE attrelid = '{name}'::regclass AND attnum > 0 ORDER BY attnum")]
    return cat


# --------------------------------------------------------------------------- schema checks

TYPES = {'INTEGER': ('bigint', None), 'TEXT': ('text', 'C'), 'BLOB': ('bytea', None)}
NO_IDENTITY = {('invoice_state', 'invoice_id')}  # a rowid alias always given explicitly (a FK)


def pg_default(expr):
    if expr is None:
        return None
    return re.sub(r"::(text|bigint|integer)$", '', expr)


def compare_schema(pg, con, s, p):
    report(sorted(s['tables']) == sorted(p['tables']), f"tables: the same {len(s['tables'])} tables",
           f"only SQLite: {sorted(set(s['tables']) - set(p['tables']))}, only PostgreSQL: {sorted(set(p['tables']) - set(s['tables']))}")
    for t in sorted(set(s['tables']) & set(p['tables'])):
        st, pt = s['tables'][t], p['tables'][t]
        problems = []
        if [c['name'] for c in st['columns']] != [c['name'] for c in pt['columns']]:
            problems.append(f"columns {[c['name'] for c in st['columns']]} vs {[c['name'] for c in pt['columns']]}")
        else:
            spk = tuple(c['name'] for c in sorted((c for c in st['columns'] if c['pk']), key=lambda c: c['pk']))
            if spk != pt['pk']:
                problems.append(f'primary key {spk} vs {pt["pk"]}')
            rowid_alias = len(spk) == 1 and next(c for c in st['columns'] if c['name'] == spk[0])['type'] == 'INTEGER'
            for sc, pc in zip(st['columns'], pt['columns']):
                want_type, want_coll = TYPES[sc['type']]
                if (pc['type'], pc['collation'] if want_coll else None) != (want_type, want_coll):
                    problems.append(f"{sc['name']}: {sc['type']} vs {pc['type']} collate {pc['collation']}")
                # A PRIMARY KEY column is NOT NULL in PostgreSQL (SQLite's rowid alias is too).
                if sc['notnull'] != pc['notnull'] and not (sc['name'] in spk and pc['notnull']):
                    problems.append(f"{sc['name']}: NOT NULL {sc['notnull']} vs {pc['notnull']}")
                if sc['default'] != pg_default(pc['default']):
                    problems.append(f"{sc['name']}: DEFAULT {sc['default']} vs {pc['default']}")
                want_identity = 'd' if rowid_alias and sc['name'] == spk[0] and (t, sc['name']) not in NO_IDENTITY else ''
                if pc['identity'] != want_identity:
                    problems.append(f"{sc['name']}: identity {pc['identity']!r}, expected {want_identity!r}")
        report(not problems, f'table {t}: {len(st["columns"])} columns, types, NOT NULL, defaults, key', '; '.join(problems))

        if st['uniques'] == pt['uniques'] and st['fks'] == pt['fks']:
            report(True, f'table {t}: {len(st["uniques"])} UNIQUE, {len(st["fks"])} FOREIGN KEY with actions')
        else:
            report(False, f'table {t}: UNIQUE and FOREIGN KEY',
                   f"unique {st['uniques']} vs {pt['uniques']}; fk {st['fks']} vs {pt['fks']}")

        types = {c['name']: c['type'] for c in st['columns']}
        schecks = [(e, idents(e, types)) for e in sqlite_checks(st['sql'])]
        pchecks = [(e, sorted(cols)) for e, cols in pt['checks']]
        problems = []
        if len(schecks) != len(pchecks):
            problems.append(f'{len(schecks)} CHECKs vs {len(pchecks)}')
        unmatched = list(pchecks)
        for se, scols in schecks:
            found = None
            for cand in unmatched:
                if cand[1] != scols:
                    continue
                combos = grid(scols, types, [se, cand[0]])
                if not evaluate(pg, con, scols, types, combos, se, cand[0]):
                    found = cand
                    break
            if found:
                unmatched.remove(found)
            else:
                problems.append(f'no PostgreSQL CHECK equivalent to CHECK ({se})')
        for e, _ in unmatched:
            problems.append(f'extra PostgreSQL CHECK {e}')
        report(not problems, f'table {t}: {len(schecks)} CHECK equivalent (evaluated)', '; '.join(problems))

    report(sorted(s['indexes']) == sorted(p['indexes']), f"indexes: the same {len(s['indexes'])} names",
           f"only SQLite: {sorted(set(s['indexes']) - set(p['indexes']))}, only PostgreSQL: {sorted(set(p['indexes']) - set(s['indexes']))}")
    for i in sorted(set(s['indexes']) & set(p['indexes'])):
        si, pi = s['indexes'][i], p['indexes'][i]
        problems = []
        for k in ('table', 'unique', 'columns'):
            if si[k] != pi[k]:
                problems.append(f'{k} {si[k]} vs {pi[k]}')
        if (si['where'] is None) != (pi['where'] is None):
            problems.append(f"WHERE {si['where']} vs {pi['where']}")
        elif si['where']:
            types = {c['name']: c['type'] for c in s['tables'][si['table']]['columns']}
            cols = idents(si['where'], types)
            diff = evaluate(pg, con, cols, types, grid(cols, types, [si['where']]), si['where'], pi['where'])
            if diff:
                problems.append(f"WHERE {si['where']} vs {pi['where']} differ on {diff[:3]}")
        report(not problems, f"index {i} ({'unique, ' if si['unique'] else ''}{', '.join(si['columns'])}"
               f"{' WHERE ' + si['where'] if si['where'] else ''})", '; '.join(problems))

    report(sorted(s['triggers']) == sorted(p['triggers']), f"triggers: the same {len(s['triggers'])} names",
           f"only SQLite: {sorted(set(s['triggers']) - set(p['triggers']))}, only PostgreSQL: {sorted(set(p['triggers']) - set(s['triggers']))}")
    problems = []
    for g in sorted(set(s['triggers']) & set(p['triggers'])):
        st, pt = s['triggers'][g], p['triggers'][g]
        for k in ('table', 'timing', 'event', 'of', 'messages'):
            if st[k] != pt[k]:
                problems.append(f'{g}: {k} {st[k]} vs {pt[k]}')
        if not pt['row']:
            problems.append(f'{g}: not FOR EACH ROW')
    report(not problems, 'triggers: same table, BEFORE/AFTER, event, UPDATE OF columns, FOR EACH ROW, messages', '; '.join(problems))

    report(s['views'] == p['views'], f"views: {', '.join(sorted(s['views']))} with the same columns", f"{s['views']} vs {p['views']}")


def table_rows(pg, con, table, columns):
    order = ', '.join(str(i + 1) for i in range(len(columns)))
    cols = ', '.join(columns)
    srows = [tuple(sqlite_text(v) for v in r) for r in con.execute(f'SELECT {cols} FROM "{table}" ORDER BY {order}')]
    prows = pg.rows(f'SELECT {cols} FROM {table} ORDER BY {order}')
    return srows, prows


def compare_rows(pg, con, s, label):
    problems, n = [], 0
    for t in sorted(s['tables']):
        columns = [c['name'] for c in s['tables'][t]['columns']]
        srows, prows = table_rows(pg, con, t, columns)
        n += len(srows)
        if srows != prows:
            problems.append(f'{t}: SQLite {srows[:4]} vs PostgreSQL {prows[:4]}')
    for v in sorted(s['views']):
        srows, prows = table_rows(pg, con, v, s['views'][v])
        n += len(srows)
        if srows != prows:
            problems.append(f'view {v}: SQLite {srows} vs PostgreSQL {prows}')
    report(not problems, f'{label}: the same {n} rows in every table and view', '; '.join(problems))


# --------------------------------------------------------------------------- behaviour

# Valid on both engines. Exercises every table and trigger; invoice 1 has "15 days after
# receipt" terms, so its due date comes from the sending log through invoice_due's date().
SCENARIO = """
INSERT INTO payment_terms (name, kind, days) VALUES ('Custom', 'net', 20);
INSERT INTO accounts (code, name_key, kind) VALUES ('9999', 'account.test', 'expense');
INSERT INTO business_profile (id, name, currency, default_terms_id, language, updated_at) VALUES (1, 'Shop', 'KZT', 5, 'ru', '2026-01-01T00:00:00Z');
INSERT INTO customers (id, name, name_fold, currency, created_at) VALUES (1, 'Әсем', 'асем', 'KZT', 't'), (2, 'Bob', 'bob', 'KZT', 't');
INSERT INTO journal_entries (id, entry_date, kind, memo, created_at) VALUES
    (1, '2026-01-10', 'invoice', 'm', 't'), (2, '2025-12-31', 'opening', 'm', 't'), (3, '2026-02-01', 'payment', 'm', 't'),
    (4, '2026-02-20', 'fee', 'm', 't'), (5, '2026-02-02', 'reversal', 'm', 't'), (6, '2026-01-03', 'advance', 'm', 't'),
    (7, '2026-01-04', 'advance_applied', 'm', 't'), (8, '2026-01-12', 'invoice', 'm', 't');
INSERT INTO postings (id, entry_id, account_id, customer_id, currency, amount_minor, tax_rate) VALUES
    (1, 1, 3, 1, 'KZT', 1000, NULL), (2, 1, 7, NULL, 'KZT', -1000, '0');
INSERT INTO invoices (id, customer_id, status, currency, language, terms_json, created_at, updated_at, after_receipt_days) VALUES
    (1, 1, 'draft', 'KZT', 'ru', '{}', 't', 't', 15), (2, 1, 'draft', 'KZT', 'ru', '{}', 't', 't', NULL),
    (3, 2, 'draft', 'KZT', 'en', '{}', 't', 't', 31), (4, 2, 'draft', 'KZT', 'en', '{}', 't', 't', NULL);
INSERT INTO charges (id, customer_id, service_date, description, quantity, unit_price_minor, currency, invoice_id, created_at) VALUES
    (1, 1, '2026-01-05', 'Work', '1', 1000, 'KZT', 1, 't'), (2, 1, '2026-01-06', 'More', '1', 10, 'KZT', 2, 't'),
    (3, 1, '2026-01-07', 'Acted', '1', 10, 'KZT', NULL, 't'), (4, 1, '2026-01-08', 'Loose', '1', 10, 'KZT', NULL, 't');
INSERT INTO invoice_lines (id, invoice_id, position, charge_id, description, quantity, unit_price_minor, amount_minor) VALUES
    (1, 1, 1, 1, 'Work', '1', 1000, 1000), (2, 2, 1, 2, 'More', '1', 10, 10), (3, 3, 1, NULL, 'X', '1', 700, 700);
UPDATE invoices SET series = 'invoice', series_year = 2026, seq = 1, number = 'INV-2026-0001', issue_date = '2026-01-10', total_minor = 1000, entry_id = 1 WHERE id = 1;
UPDATE invoices SET status = 'issued' WHERE id = 1;
UPDATE invoices SET series = 'invoice', series_year = 2026, seq = 2, number = 'INV-2026-0002', issue_date = '2026-01-12', total_minor = 700, entry_id = 8 WHERE id = 3;
UPDATE invoices SET status = 'issued' WHERE id = 3;
UPDATE invoices SET series = 'invoice', series_year = 2026, seq = 3, number = 'INV-2026-0003', issue_date = '2026-01-12', due_date = '2026-02-11', total_minor = 5, entry_id = 8 WHERE id = 4;
UPDATE invoices SET status = 'issued' WHERE id = 4;
INSERT INTO invoice_sends (id, invoice_id, kind, sent_on, expected_receipt, created_at) VALUES
    (1, 1, 'pdf', '2026-01-10', NULL, 't'), (2, 1, 'post', '2026-01-11', '2026-01-31', 't'),
    (3, 3, 'email', '2026-01-12', '2026-01-12', 't'), (4, 3, 'received', '2026-01-30', NULL, 't');
INSERT INTO opening_balances (id, customer_id, as_of, currency, amount_minor, entry_id, created_at) VALUES (1, 2, '2025-12-31', 'KZT', 500, 2, 't');
INSERT INTO payments (id, customer_id, received_on, currency, amount_minor, method, credit_minor, entry_id, created_at) VALUES (1, 1, '2026-02-01', 'KZT', 400, 'bank', 0, 3, 't');
INSERT INTO settlements (id, item_type, item_id, customer_id, kind, source_id, settled_on, amount_minor, entry_id, created_at) VALUES
    (1, 'invoice', 1, 1, 'payment', 1, '2026-02-01', 300, 3, 't'), (2, 'invoice', 1, 1, 'payment', 1, '2026-01-20', 100, 3, 't'),
    (3, 'opening', 1, 2, 'payment', 1, '2026-02-01', 50, 3, 't');
INSERT INTO settlements (id, item_type, item_id, customer_id, kind, source_id, settled_on, amount_minor, entry_id, created_at)
    SELECT id + 10, item_type, item_id, customer_id, 'reversal', 1, '2026-02-02', -amount_minor, 5, 't' FROM settlements WHERE source_id = 1 AND kind = 'payment' ORDER BY id;
INSERT INTO refunds (id, customer_id, refunded_on, currency, amount_minor, method, entry_id, created_at) VALUES (1, 1, '2026-02-03', 'KZT', 10, 'cash', 3, 't');
INSERT INTO payment_discrepancies (id, payment_id, customer_id, kind, due_minor, received_minor, difference_minor, next_step, invoice_ids, created_at) VALUES
    (1, 1, 1, 'under', 1000, 400, 600, 'remainder_open', '[1]', 't');
INSERT INTO credit_notes (id, invoice_id, customer_id, series, seq, number, issue_date, reason, currency, net_minor, tax_minor, total_minor, entry_id, created_at, series_year) VALUES
    (1, 1, 1, 'credit_note', 1, 'CN-2026-0001', '2026-02-05', 'r', 'KZT', 10, 0, 10, 3, 't', 2026);
INSERT INTO write_offs (id, item_type, item_id, customer_id, written_on, reason, amount_minor, entry_id, created_at) VALUES (1, 'opening', 1, 2, '2026-03-01', 'r', 5, 3, 't');
INSERT INTO reminders (id, invoice_id, level, sent_on, open_minor, fee_minor, fee_entry_id, created_at) VALUES
    (1, 1, 1, '2026-02-20', 600, 50, 4, 't'), (2, 1, 2, '2026-03-01', 650, 0, NULL, 't');
INSERT INTO acts (id, series, series_year, seq, number, issue_date, invoice_id, customer_id, language, content, created_at) VALUES
    (1, 'act', 2026, 1, 'АВР-2026-0001', '2026-01-10', 1, 1, 'kk+ru', '{}', 't');
INSERT INTO act_charges (act_id, charge_id) VALUES (1, 3);
INSERT INTO act_sends (id, act_id, kind, sent_on, created_at) VALUES (1, 1, 'signed', '2026-01-15', 't');
INSERT INTO payment_reversals (id, payment_id, reversed_on, reason, entry_id, created_at) VALUES (1, 1, '2026-02-02', 'typo', 5, 't');
INSERT INTO bank_statements (id, format, currency, line_count, added_count, imported_at) VALUES (1, 'csv', 'KZT', 2, 2, 't');
INSERT INTO bank_csv_layouts (signature, mapping, delimiter, saved_at) VALUES ('sig', '{}', ';', 't');
INSERT INTO recurring_schedules (id, customer_id, frequency, start_date, created_at, updated_at) VALUES (1, 1, 'monthly', '2026-01-01', 't', 't');
INSERT INTO recurring_lines (schedule_id, position, description, quantity, unit_price_minor) VALUES (1, 1, 'Monthly', '1', 100);
INSERT INTO recurring_runs (schedule_id, period, period_date, invoice_id, created_at) VALUES (1, 0, '2026-01-01', 2, 't'), (1, 1, '2026-02-01', NULL, 't');
INSERT INTO quotes (id, customer_id, status, currency, language, created_at, updated_at) VALUES
    (1, 1, 'draft', 'KZT', 'ru', 't', 't'), (2, 1, 'draft', 'KZT', 'ru', 't', 't');
INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price_minor, amount_minor) VALUES (1, 1, 'Q', '1', 100, 100), (2, 1, 'Q', '1', 5, 5);
UPDATE quotes SET status = 'issued', series = 'quote', series_year = 2026, seq = 1, number = 'Q-2026-0001', issue_date = '2026-01-02', total_minor = 100 WHERE id = 1;
INSERT INTO quotes (id, customer_id, status, series, series_year, seq, number, issue_date, currency, language, total_minor, created_at, updated_at, kind, from_quote_id) VALUES
    (3, 1, 'issued', 'prepayment', 2026, 1, 'PP-2026-0001', '2026-01-02', 'KZT', 'ru', 100, 't', 't', 'prepayment', 1);
INSERT INTO advances (id, customer_id, prepayment_id, received_on, currency, amount_minor, method, entry_id, created_at) VALUES (1, 1, 3, '2026-01-03', 'KZT', 100, 'bank', 6, 't');
INSERT INTO advance_uses (id, customer_id, kind, invoice_id, used_on, currency, amount_minor, method, entry_id, created_at) VALUES
    (1, 1, 'applied', 1, '2026-01-04', 'KZT', 60, NULL, 7, 't'), (2, 1, 'refunded', NULL, '2026-01-05', 'KZT', 40, 'cash', 7, 't');
INSERT INTO bank_transactions (id, statement_id, tx_key, file_line, booked_on, direction, amount_minor, currency, state, payment_id, advance_id, created_at) VALUES
    (1, 1, 'k1', 1, '2026-02-01', 'in', 400, 'KZT', 'matched', 1, NULL, 't'), (2, 1, 'k2', 2, '2026-01-03', 'in', 100, 'KZT', 'new', NULL, NULL, 't');
"""

# (statement, the message SQLite and PostgreSQL refuse it with; None: both let it through;
# 'constraint': both refuse it, each with its own wording).
PROBES = [
    ("UPDATE journal_entries SET memo = 'x' WHERE id = 1", 'append-only: journal entries cannot be changed'),
    ("DELETE FROM journal_entries WHERE id = 7", 'append-only: journal entries cannot be deleted'),
    ("UPDATE postings SET tax_rate = '12' WHERE id = 1", 'append-only: postings cannot be changed'),
    ("DELETE FROM postings WHERE id = 2", 'append-only: postings cannot be deleted'),
    ("UPDATE invoices SET notes = 'x' WHERE id = 1", 'append-only: an issued invoice cannot be changed'),
    ("UPDATE invoices SET notes = 'x' WHERE id = 2", None),
    ("DELETE FROM invoices WHERE id = 1", 'append-only: an issued invoice cannot be deleted'),
    ("DELETE FROM invoices WHERE id = 2", None),  # a draft: its lines cascade, its charge and recurring run are set NULL
    # (Explicit ids: the scenario gave its rows explicit ids, which do not move an identity.)
    ("INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_price_minor, amount_minor) VALUES (10, 1, 2, 'x', '1', 1, 1)",
     'append-only: an issued invoice cannot get lines'),
    ("INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_price_minor, amount_minor) VALUES (10, 2, 2, 'x', '1', 1, 1)", None),
    ("UPDATE invoice_lines SET description = 'x' WHERE id = 1", 'append-only: lines of an issued invoice cannot be changed'),
    ("UPDATE invoice_lines SET description = 'x' WHERE id = 2", None),
    ("DELETE FROM invoice_lines WHERE id = 1", 'append-only: lines of an issued invoice cannot be deleted'),
    ("DELETE FROM invoice_lines WHERE invoice_id = 2", None),
    ("UPDATE charges SET description = 'x' WHERE id = 1", 'append-only: a billed charge cannot be changed'),
    ("UPDATE charges SET invoice_id = NULL WHERE invoice_id = 2", None),
    ("UPDATE charges SET description = 'x' WHERE id = 4", None),
    ("DELETE FROM charges WHERE id = 1", 'append-only: a billed charge cannot be deleted'),
    ("DELETE FROM charges WHERE id = 4", None),
    ("DELETE FROM charges WHERE id = 3", 'constraint'),  # on an act
    ("UPDATE invoice_sends SET note = 'x' WHERE id = 1", 'append-only: the sending log cannot be changed'),
    ("DELETE FROM invoice_sends WHERE id = 1", 'append-only: the sending log cannot be deleted'),
    ("UPDATE opening_balances SET reference = 'x'", 'append-only: opening balances cannot be changed'),
    ("DELETE FROM opening_balances", 'append-only: opening balances cannot be deleted'),
    ("UPDATE payments SET reference = 'x'", 'append-only: payments cannot be changed'),
    ("DELETE FROM payments", 'append-only: payments cannot be deleted'),
    ("UPDATE settlements SET settled_on = '2026-01-01' WHERE id = 1", 'append-only: settlements cannot be changed'),
    ("DELETE FROM settlements WHERE id = 1", 'append-only: settlements cannot be deleted'),
    ("UPDATE refunds SET reference = 'x'", 'append-only: refunds cannot be changed'),
    ("DELETE FROM refunds", 'append-only: refunds cannot be deleted'),
    ("UPDATE payment_discrepancies SET invoice_ids = '[]'", 'append-only: discrepancies cannot be changed'),
    ("DELETE FROM payment_discrepancies", 'append-only: discrepancies cannot be deleted'),
    ("UPDATE credit_notes SET reason = 'x'", 'append-only: credit notes cannot be changed'),
    ("DELETE FROM credit_notes", 'append-only: credit notes cannot be deleted'),
    ("UPDATE write_offs SET reason = 'x'", 'append-only: write-offs cannot be changed'),
    ("DELETE FROM write_offs", 'append-only: write-offs cannot be deleted'),
    ("UPDATE reminders SET fee_minor = 0 WHERE id = 1", 'append-only: reminders cannot be changed'),
    ("DELETE FROM reminders WHERE id = 2", 'append-only: reminders cannot be deleted'),
    ("UPDATE acts SET content = '[]'", 'an act of completed works is never changed'),
    ("DELETE FROM acts", 'an act of completed works is never deleted'),
    ("UPDATE act_charges SET charge_id = 4", 'an act of completed works is never changed'),
    ("DELETE FROM act_charges", 'an act of completed works is never deleted'),
    ("UPDATE payment_reversals SET reason = 'x'", 'append-only: reversals cannot be changed'),
    ("DELETE FROM payment_reversals", 'append-only: reversals cannot be deleted'),
    ("UPDATE bank_transactions SET purpose = 'x' WHERE id = 2", 'append-only: a bank line cannot be changed'),
    ("UPDATE bank_transactions SET amount_minor = amount_minor WHERE id = 2", 'append-only: a bank line cannot be changed'),
    ("UPDATE bank_transactions SET state = 'ignored', ignore_reason = 'not ours', decided_at = 't' WHERE id = 2", None),
    ("UPDATE bank_transactions SET state = 'matched', advance_id = 1, decided_at = 't' WHERE id = 2", None),
    ("UPDATE bank_transactions SET state = 'ignored' WHERE id = 2", 'constraint'),  # ignored needs a reason
    ("DELETE FROM bank_transactions WHERE id = 2", 'append-only: bank lines cannot be deleted'),
    ("UPDATE bank_statements SET file_name = 'x'", 'append-only: statements cannot be changed'),
    ("DELETE FROM bank_statements", 'append-only: statements cannot be deleted'),
    ("INSERT OR REPLACE INTO bank_csv_layouts (signature, mapping, delimiter, decimal_separator, date_order, saved_at) VALUES ('sig', '{}', ',', NULL, 'mdy', 'u')", 'sqlite-only'),
    ("DELETE FROM recurring_runs WHERE period = 1", 'append-only: a generated period cannot be removed'),
    ("UPDATE recurring_runs SET invoice_id = NULL", None),
    ("DELETE FROM recurring_schedules WHERE id = 1", 'constraint'),  # its runs refer to it (no CASCADE)
    ("UPDATE quote_lines SET description = 'x' WHERE quote_id = 1", 'append-only: an issued quote cannot be changed'),
    ("DELETE FROM quote_lines WHERE quote_id = 1", 'append-only: an issued quote cannot be changed'),
    ("INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price_minor, amount_minor) VALUES (1, 2, 'x', '1', 1, 1)",
     'append-only: an issued quote cannot be changed'),
    ("UPDATE quote_lines SET description = 'x' WHERE quote_id = 2", None),
    ("INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price_minor, amount_minor) VALUES (2, 2, 'x', '1', 1, 1)", None),
    ("UPDATE quotes SET total_minor = 5 WHERE id = 1", 'append-only: an issued quote cannot be changed'),
    ("UPDATE quotes SET sent_on = '2026-01-03', updated_at = 'u' WHERE id = 1", None),
    ("UPDATE quotes SET status = 'accepted', decided_on = '2026-01-04' WHERE id = 1", None),
    ("UPDATE quotes SET total_minor = 5 WHERE id = 2", None),
    ("DELETE FROM quotes WHERE id = 1", 'append-only: an issued quote cannot be deleted'),
    ("DELETE FROM quotes WHERE id = 2", None),  # a draft: its lines cascade
    ("UPDATE advances SET reference = 'x'", 'append-only: advances cannot be changed'),
    ("DELETE FROM advances", 'append-only: advances cannot be deleted'),
    ("UPDATE advance_uses SET method = 'bank' WHERE id = 2", 'append-only: advance uses cannot be changed'),
    ("DELETE FROM advance_uses", 'append-only: advance uses cannot be deleted'),
    ("INSERT INTO postings (id, entry_id, account_id, currency, amount_minor) VALUES (10, 1, 99, 'KZT', 1)", 'constraint'),
    ("INSERT INTO number_series (id, format, next_number) VALUES ('receipt', 'R-{N:4}', 1)", 'constraint'),
    ("INSERT INTO settlements (id, item_type, item_id, customer_id, kind, settled_on, amount_minor, entry_id, created_at) VALUES (20, 'invoice', 1, 1, 'advance', 'd', -1, 3, 't')", 'constraint'),
]


def behaviour(pg, con, s):
    ok_sqlite = True
    try:
        con.executescript('BEGIN;' + SCENARIO + 'COMMIT;')
    except sqlite3.Error as e:
        ok_sqlite = False
        report(False, 'behaviour: the scenario runs on SQLite', str(e))
    try:
        pg.execute(SCENARIO)
    except subprocess.CalledProcessError as e:
        report(False, 'behaviour: the scenario runs on PostgreSQL', e.stderr.strip())
        return
    if not ok_sqlite:
        return
    compare_rows(pg, con, s, 'behaviour: after the scenario (invoice_state kept by the triggers, invoice_due)')
    st = pg.rows('SELECT invoice_id, due_date, amount_minor, settled_minor, last_settled_on, sent, reminder_level, reminded_on FROM invoice_state ORDER BY 1')
    report(st == [('1', '2026-02-15', '1050', '0', '2026-02-02', '1', '2', '2026-03-01'),
                  ('3', '2026-03-02', '700', '0', None, '1', '0', None),
                  ('4', '2026-02-11', '5', '0', None, '0', '0', None)],
           'behaviour: invoice_state holds what the facts say (due from the sending log + N days, fees, settlements, reversal, sent, reminder)', str(st))

    problems, n_refused, n_allowed = [], 0, 0
    for sql, want in PROBES:
        serr = sqlite_attempt(con, sql)
        if want == 'sqlite-only':
            state, perr = pg.attempt(sql)
            if serr is not None or state is None:
                problems.append(f'{sql}: expected SQLite to take it and PostgreSQL to refuse it ({serr}; {perr})')
            continue
        state, perr = pg.attempt(sql)
        if want is None:
            n_allowed += 1
            if serr is not None or state is not None:
                problems.append(f'{sql}: should pass; SQLite: {serr}; PostgreSQL: {perr}')
        elif want == 'constraint':
            n_refused += 1
            if serr is None or state is None or not state.startswith('23'):
                problems.append(f'{sql}: should be refused by a constraint; SQLite: {serr}; PostgreSQL: {state} {perr}')
        else:
            n_refused += 1
            if serr != want or perr != want or state != 'P0001':
                problems.append(f'{sql}: want {want!r}; SQLite: {serr!r}; PostgreSQL: {state} {perr!r}')
    report(not problems, f'behaviour: {n_refused} statements refused alike (triggers: same message, SQLSTATE P0001), {n_allowed} allowed alike',
           '\n     '.join(problems))
    names = {m for _, m in PROBES if m and m not in ('constraint', 'sqlite-only')}
    msgs = {m for t in s['triggers'].values() for m in t['messages']}
    report(msgs <= names, f'behaviour: every one of the {len(msgs)} trigger messages was provoked', str(sorted(msgs - names)))


# --------------------------------------------------------------------------- compat functions

# (time value, modifiers, what the SQLite the app bundles answers: 3.54.1, libsqlite3-sys 0.40).
BAKED_SQLITE = '3.54.1'
DATE_CASES = [
    ('2026-01-31', ['+1 months'], '2026-03-03'),
    ('2026-01-31', ['+1 month'], '2026-03-03'),
    ('2026-03-31', ['-1 months'], '2026-03-03'),
    ('2024-02-29', ['+1 years'], '2025-03-01'),
    ('2024-02-29', ['+12 months'], '2025-03-01'),
    ('2025-12-31', ['+2 months'], '2026-03-03'),
    ('2026-01-31', ['-2 months'], '2025-12-01'),
    ('2026-03-31', ['-13 months'], '2025-03-03'),
    ('2026-01-31', ['+1 months', '+1 months'], '2026-04-03'),
    ('2026-01-31', ['+1 months', '-1 months'], '2026-02-03'),
    ('2026-01-31', ['+1 months', 'start of month'], '2026-03-01'),
    ('2026-02-30', [], '2026-03-02'),
    ('2026-02-30', ['+0 days'], '2026-03-02'),
    ('2026-02-30', ['+1 months'], '2026-03-30'),
    ('2026-02-30', ['start of month'], '2026-02-01'),
    ('2026-02-30', ['start of month', '+1 months'], '2026-03-01'),
    ('2026-02-32', [], None),
    ('2026-13-01', [], None),
    ('2026-00-10', [], None),
    ('2026-01-00', [], None),
    ('2026-01-05', ['+-5 days'], None),
    ('2026-01-05', ['+ 5 days'], None),
    ('2026-01-05', ['+5days'], None),
    ('2026-01-05', ['5 days'], '2026-01-10'),
    ('2026-01-05', ['+5  days'], '2026-01-10'),
    ('2026-01-05', ['+5 days '], None),
    ('2026-01-05', [' +5 days'], None),
    ('2026-01-05', ['+5 DAYS'], '2026-01-10'),
    ('2026-01-05', ['+5.0 days'], '2026-01-10'),
    ('2026-01-05', ['5. days'], '2026-01-10'),
    ('2026-01-05', ['-0 days'], '2026-01-05'),
    ('2026-01-05', ['+005 days'], '2026-01-10'),
    ('2026-01-05', ['+1e1 days'], '2026-01-15'),
    ('2026-01-05', ['+5 day'], '2026-01-10'),
    ('2026-01-05', ['+5 dayss'], None),
    ('2026-01-05', ['+1\tdays'], '2026-01-06'),
    ('2026-01-05', ['+1 mon'], None),
    ('2026-01-05', ['+1 fortnights'], None),
    ('2026-01-05', [''], None),
    ('2026-01-05', ['.5 days'], None),
    ('2026-01-05', ['+2147483648 days'], None),
    ('2026-01-05', ['+5373484 days'], None),
    ('2026-01-05', ['-737790 days'], '0006-01-05'),
    ('2026-01-05', ['-739616 days'], '0001-01-05'),
    ('2026-01-05', ['+176546 months'], None),
    ('2026-01-05', ['start of year'], '2026-01-01'),
    ('2026-01-05', ['START OF MONTH'], '2026-01-01'),
    ('2026-01-05', ['start of day'], '2026-01-05'),
    ('2026-01-05', ['start of  month'], None),
    ('2026-01-05', ['start of month '], None),
    ('2026-01-05', ['start of week'], None),
    ('9999-12-31', ['+1 days'], None),
    ('9999-12-01', ['+1 months'], None),
    ('2026-01-05T10:00:00Z', ['+1 days'], '2026-01-06'),
    ('2026-01-05T01:00:00+05:00', [], '2026-01-04'),
    ('2026-01-05T01:00:00+05:00', ['+0 days'], '2026-01-04'),
    ('2026-01-05T23:00:00-02:00', [], '2026-01-06'),
    ('2026-02-30T10:00:00Z', [], '2026-03-02'),
    ('2026-02-30T10:00:00Z', ['+0 days'], '2026-03-02'),
    ('2026-02-30T10:00:00+00:00', [], '2026-03-02'),
    ('2026-02-30T10:00:00+01:00', [], '2026-03-02'),
    ('2026-01-05T24:00', [], '2026-01-06'),
    ('2026-01-05T24:00', ['+0 days'], '2026-01-06'),
    ('2026-01-05T24:30', ['+0 days'], None),
    ('2026-01-05 23:59:59', ['+1 days'], '2026-01-06'),
    ('2026-01-05T10:00', ['+1 days'], '2026-01-06'),
    ('2026-01-05T10:00:00.123', ['+1 days'], '2026-01-06'),
    ('2026-01-05T', ['+1 days'], '2026-01-06'),
    ('2026-01-05TT 10:00', ['+1 days'], '2026-01-06'),
    ('2026-01-05 10:00 Z', ['+1 days'], '2026-01-06'),
    ('2026-01-05 10:00Z ', ['+1 days'], '2026-01-06'),
    ('2026-01-05T10:00:60', [], None),
    ('2026-01-05T10:00:00+15:00', [], None),
    ('2026-01-05T10:00:00.', [], None),
    ('2026-01-05x', [], None),
    (' 2026-01-05', [], None),
    ('2026-01-05 ', [], '2026-01-05'),
    ('2026-1-05', [], None),
    ('', [], None),
    ('2026-01-31 23:00', ['+1 months'], '2026-03-03'),
    ('2026-01-05', ['+1 Months'], '2026-02-05'),
    ('2026-01-05', ['+1 yearS'], '2027-01-05'),
    ('2026-02-30', ['start of day'], '2026-02-30'),
    ('2026-02-30T24:00', [], '2026-03-03'),
    ('2026-01-05T24:00', ['start of day'], '2026-01-06'),
    ('2026-01-31T24:00', ['start of month'], '2026-02-01'),
    ('2026-01-05T24:00:00.000', [], '2026-01-06'),
    ('2026-01-05T24:00:00.001', [], None),
    ('2026-01-05T24:00+01:00', [], '2026-01-05'),
    ('2026-12-31T24:00', [], '2027-01-01'),
    ('2026-02-29 10:00', [], '2026-03-01'),
    ('2026-02-29T10:00:00Z', ['start of day'], '2026-02-29'),
    ('2026-02-29T10:00:00+01:00', ['start of day'], '2026-03-01'),
    ('2100-02-29', [], '2100-03-01'),
    ('2026-01-05', ['+1-00-00'], None),
    ('2026-01-05', ['+7973 years'], '9999-01-05'),
    ('2026-01-05', ['+7974 years'], None),
    ('2026-01-05T10:00:00+14:59', [], '2026-01-04'),
    ('2026-02-30', ['start of day', '+0 days'], '2026-03-02'),
    ('2026-01-31', ['+1 months', '-1 days'], '2026-03-02'),
]
DATE_UNSUPPORTED = [('2026-01-05', ['+1 hours']), ('2026-01-05', ['weekday 0']), ('2026-01-05', ['+1.5 days']), ('2026-01-05', ['+01:00']),
                    ('2026-01-05', ['localtime']), ('now', []), ('2460000.5', []), ('10:00', []), ('0001-01-01', ['-1 days']),
                    ('0000-01-01', []), ('0005-01-01', ['-5 years']), ('20260105', []), ('2026-01-05', ['-5373484 days'])]


def sql_text(v):
    return 'NULL' if v is None else "'" + v.replace("'", "''") + "'"


def compat(pg, con):
    def pg_dates(cases):
        values = ', '.join(f"({i}, {sql_text(v)}, ARRAY[{', '.join(sql_text(x) for x in ms)}]::text[])" for i, (v, ms) in enumerate(cases))
        # One query for all; an error in one case is reported as that case's answer.
        return [r[1] for r in pg.rows(
            'CREATE FUNCTION pg_temp.try_date(v text, m text[]) RETURNS text LANGUAGE plpgsql AS $$ '
            "BEGIN RETURN date(v, VARIADIC m); EXCEPTION WHEN OTHERS THEN RETURN 'error: ' || SQLERRM; END; $$;\n"
            f'SELECT i, pg_temp.try_date(v, m) FROM (VALUES {values}) t(i, v, m) ORDER BY i')]

    edge = [(v, ms) for v, ms, _ in DATE_CASES] + [(None, ['+1 days']), ('2026-01-05', [None])]
    want = [w for _, _, w in DATE_CASES] + [None, None]
    got = pg_dates(edge)
    diff = [(edge[i], w, g) for i, (w, g) in enumerate(zip(want, got)) if w != g]
    report(not diff, f'compat date(): as SQLite {BAKED_SQLITE} answers on {len(edge)} edge cases '
           f'(month ends: 2026-01-31 +1 months = {got[0]}, 2026-02-30 = {got[edge.index(("2026-02-30", []))]})', str(diff[:10]))

    if sqlite3.sqlite_version != BAKED_SQLITE:
        print(f'skip compat date() against SQLite on random values: this Python has SQLite {sqlite3.sqlite_version}, the app bundles '
              f'{BAKED_SQLITE} (older ones differ on days past the month end); run with --bundled-sqlite')
    else:
        sq = [con.execute("SELECT date(?, ?)", [v, *ms]).fetchone()[0] if len(ms) == 1 else
              con.execute(f"SELECT date({', '.join(['?'] * (1 + len(ms)))})", [v, *ms]).fetchone()[0] for v, ms in edge]
        report(sq == want, f'compat date(): the baked answers are still SQLite {sqlite3.sqlite_version}\'s',
               str([(edge[i], a, b) for i, (a, b) in enumerate(zip(sq, want)) if a != b][:10]))
        rnd = random.Random(17)
        # Whole numbers of days, months and years; never below year 0001 (raised, see DATE_UNSUPPORTED).
        mods = [('+{n} days', 'd'), ('-{n} days', 'd'), ('{n} day', 'd'), ('+{n} months', 'm'), ('-{n} month', 'm'), ('+{n} MONTHS', 'm'),
                ('+{n} years', 'y'), ('-{n} years', 'y'), ('start of month', ''), ('start of year', ''), ('start of day', ''), ('+{n} weeks', 'd')]
        sizes = {'d': [0, 1, 2, 11, 12, 13, 59, 365, 1000, 5373485, None], 'm': [0, 1, 2, 11, 12, 13, 59, 1000, 176546, 200000],
                 'y': [0, 1, 2, 4, 13, 100, 500, 14713, 20000], '': [0]}
        cases = []
        for _ in range(3000):
            y, m, d = rnd.choice([1999, 2000, 2024, 2025, 2026, 2100, 9998, 9999]), rnd.randint(1, 12), rnd.choice([1, 15, 28, 29, 30, 31, rnd.randint(1, 31)])
            value = f'{y:04d}-{m:02d}-{d:02d}' + rnd.choice(['', '', ' 12:30', 'T23:59:59', 'T24:00', 'T00:00:00Z', 'T01:00:00+03:00', 'T22:00:00-05:00'])
            ms = []
            for _ in range(rnd.randint(0, 3)):
                form, unit = rnd.choice(mods)
                n = rnd.choice(sizes[unit])
                ms.append(form.format(n=rnd.randint(0, 40000) if n is None else n))
            cases.append((value, ms))
        sq = [con.execute(f"SELECT date({', '.join(['?'] * (1 + len(ms)))})", [v, *ms]).fetchone()[0] for v, ms in cases]
        got = pg_dates(cases)
        diff = [(cases[i], a, b) for i, (a, b) in enumerate(zip(sq, got)) if a != b]
        report(not diff, f'compat date(): equal to SQLite {sqlite3.sqlite_version} on {len(cases)} random values and modifiers', str(diff[:10]))

    spelled = pg.rows("SELECT date('2026-01-31'::text, '+1 months'), date('2026-01-05', '+' || CAST(3 AS BIGINT) || ' days'), "
                      "date('2026-02-30'::text), date(CAST('2026-01-31' AS TEXT) COLLATE \"C\", '+1 months', 'start of month')")
    report(spelled == [('2026-03-03', '2026-01-08', '2026-03-02', '2026-03-01')], 'compat date(): called with 2, 3 and 1 arguments as SQL spells it', str(spelled))
    problems = []
    for v, ms in DATE_UNSUPPORTED:
        state, err = pg.attempt(f"SELECT date({', '.join(sql_text(x) for x in [v, *ms])}::text)" if not ms else
                                f"SELECT date({sql_text(v)}, {', '.join(sql_text(x) for x in ms)})")
        if state != 'P0001' or 'not supported' not in err:
            problems.append(f'{v} {ms}: {state} {err}')
    report(not problems, f'compat date(): the {len(DATE_UNSUPPORTED)} unsupported forms raise instead of answering differently', '; '.join(problems))

    inputs = [('абвгд', 'вг'), ('Әсем', 'сем'), ('abc', ''), ('', ''), ('', 'a'), ('abcabc', 'c'), ('abc', 'x'), (None, 'a'), ('a', None), ('ÀÀ', 'À')]
    s = [con.execute('SELECT instr(?, ?)', p).fetchone()[0] for p in inputs]
    pr = [None if r[1] is None else int(r[1]) for r in pg.rows(
        'SELECT i, instr(a, b) FROM (VALUES ' + ', '.join(f'({i}, {sql_text(a)}::text, {sql_text(b)}::text)' for i, (a, b) in enumerate(inputs)) + ') t(i, a, b) ORDER BY i')]
    typ = pg.value("SELECT pg_typeof(instr('a', 'a'))")
    report(s == pr and typ == 'bigint', f'compat instr(): equal to SQLite on {len(inputs)} inputs, returns bigint', f'{s} vs {pr}, {typ}')

    q = ("SELECT max(1, 2), min(1, 2), max(x, 0), max(0, x), min(x, 10), max(x, NULL), min(NULL, x), max(2147483648, 1), "
         "max('2026-01-05', '2026-01-31'), min('b', 'B'), max(x, y), min(y, x) FROM (SELECT CAST(5 AS BIGINT) AS x, 7 AS y) t")
    sres = [sqlite_text(v) for v in con.execute(q).fetchone()]
    pres = list(pg.rows(q)[0])
    agg_q = "WITH t(v) AS (VALUES (CAST(3 AS BIGINT)), (9), (NULL)) SELECT max(v), min(v), count(*) FROM t"
    sagg = [sqlite_text(v) for v in con.execute(agg_q).fetchone()]
    pagg = list(pg.rows(agg_q)[0])
    types = pg.rows("SELECT pg_typeof(max(1, 2)), pg_typeof(max('a', 'b')), pg_typeof(max(v)) FROM (VALUES (CAST(1 AS BIGINT))) t(v)")
    state, err = pg.attempt('SELECT max(1.5, 2)')
    report(sres == pres and sagg == pagg and types == [('bigint', 'text', 'bigint')],
           'compat max(a, b)/min(a, b): equal to SQLite with columns, literals, NULL, text; the aggregates max(x)/min(x) unchanged '
           f'(not provided for fractional numbers: max(1.5, 2) -> {state})', f'{sres} vs {pres}; {sagg} vs {pagg}; {types}')

    plain = pg.rows("SELECT pg_typeof(sum(v)), sum(v) FROM (VALUES (CAST(1 AS BIGINT)), (2)) t(v)")
    opted = pg.rows("SET search_path = public, pg_catalog; SELECT pg_typeof(sum(v)), sum(v), pg_typeof(sum(CAST(v AS INTEGER))), "
                    "(SELECT sum(v) FROM (VALUES (CAST(NULL AS BIGINT))) e(v)) FROM (VALUES (CAST(1 AS BIGINT)), (2)) t(v)")
    state, err = pg.attempt("SET search_path = public, pg_catalog; SELECT sum(v) FROM (VALUES (9223372036854775807), (1)) t(v)")
    try:
        con.execute('SELECT sum(v) FROM (SELECT 9223372036854775807 AS v UNION ALL SELECT 1)').fetchone()
        serr = None
    except sqlite3.Error as e:
        serr = str(e)
    report(plain == [('numeric', '3')] and opted == [('bigint', '3', 'bigint', None)] and state == '22003' and serr == 'integer overflow',
           'compat sum(bigint): bigint with search_path = public, pg_catalog (numeric without); overflow is an error as in SQLite',
           f'{plain}; {opted}; {state} {err}; SQLite {serr}')


# --------------------------------------------------------------------------- main

def bundled_sqlite():
    root = os.path.abspath(os.path.join(MIGRATIONS, '..', '..', '..'))
    lock = open(os.path.join(root, 'Cargo.lock'), encoding='utf-8').read()
    version = re.search(r'name = "libsqlite3-sys"\nversion = "([^"]+)"', lock).group(1)
    cargo_home = os.environ.get('CARGO_HOME', os.path.expanduser('~/.cargo'))
    found = glob.glob(os.path.join(cargo_home, 'registry', 'src', '*', f'libsqlite3-sys-{version}', 'sqlite3', 'sqlite3.c'))
    if not found:
        sys.exit(f'libsqlite3-sys {version} is not in {cargo_home}/registry (cargo fetch brings it)')
    out = os.path.join(os.environ.get('XDG_CACHE_HOME', os.path.expanduser('~/.cache')), f'esep-sqlite-{version}')
    if not os.path.exists(os.path.join(out, 'libsqlite3.so.0')):
        os.makedirs(out, exist_ok=True)
        subprocess.run(['cc', '-O1', '-shared', '-fPIC', '-o', os.path.join(out, 'libsqlite3.so.0'), found[0], '-lpthread', '-ldl', '-lm'], check=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--keep', action='store_true', help='keep the scratch database')
    ap.add_argument('--db', default=f'esep_schema_check_{os.getpid()}', help='name of the scratch database')
    ap.add_argument('--bundled-sqlite', action='store_true',
                    help="compare with the SQLite the app bundles: builds libsqlite3.so.0 from libsqlite3-sys's sqlite3.c "
                         '(found through Cargo.lock and the cargo registry) with cc, once, and runs again with it')
    args = ap.parse_args()
    if args.bundled_sqlite and not os.environ.get('ESEP_BUNDLED_SQLITE'):
        lib = bundled_sqlite()
        env = dict(os.environ, ESEP_BUNDLED_SQLITE='1', LD_LIBRARY_PATH=lib + os.pathsep + os.environ.get('LD_LIBRARY_PATH', ''))
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    print(f'SQLite {sqlite3.sqlite_version} (the app bundles {BAKED_SQLITE})')

    con = build_sqlite()
    pg = Pg(args.db)
    pg.admin(f'DROP DATABASE IF EXISTS {args.db}')
    pg.admin(f"CREATE DATABASE {args.db} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        for f in ('compat.sql', 'compat.sql', '0017_schema.sql'):
            ok, err = pg.load(os.path.join(HERE, f))
            if not report(ok, f'load {f} with psql -v ON_ERROR_STOP=1', err):
                return 1
        s = sqlite_catalog(con)
        p = pg_catalog(pg)
        compare_schema(pg, con, s, p)
        compare_rows(pg, con, s, 'seeds: as the migrations leave an empty database')
        compat(pg, con)
        behaviour(pg, con, s)
    finally:
        if not args.keep:
            pg.admin(f'DROP DATABASE IF EXISTS {args.db}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
