//! Moving books between engines (#23): a SQLite file to shared books on a PostgreSQL server and
//! back (and file to file, server to server, through the same code), every row with its id.
//!
//! [`move_books`] copies every table of the books into freshly migrated, empty books, in the
//! order the foreign keys need, in one transaction on the target. Before it commits it checks
//! that both sides hold the same books: every table's rows (as a multiset, value by value), the
//! trial balance, the ageing and `check_books` as of the day given, and every numbered
//! document's series, year, sequence and number. Any difference, or any refusal by the target,
//! rolls the transaction back: nothing is written.
//!
//! The target's own rules stay on. Rather than switching triggers off (PostgreSQL's
//! `session_replication_role` needs a superuser, `ALTER TABLE … DISABLE TRIGGER` the table's
//! owner, and SQLite has neither), rows go in the way the app writes them:
//! - issued invoices and quotes are written as drafts, their lines added, and then issued
//!   (an issued invoice or quote accepts no new line);
//! - `invoice_state`, which triggers derive from invoices, settlements, sends and reminders, is
//!   replaced by the source's rows at the end (and then compared like every other table);
//! - the rows the schema seeds (payment terms, the chart of accounts, the number series, the
//!   reminder settings) are replaced by the source's;
//! - on PostgreSQL every identity is moved past the largest id copied (and past the source
//!   server's own counter), so the next row gets a new id.
//!
//! On a server this needs a login of the books' *owner* role (`esep-cli server init` makes
//! one): a clerk may not write the settings, and the server refuses (`error.roleForbids`).

use crate::api;
use crate::books::series;
use crate::db;
use crate::error::{Error, Result};
use crate::sql::{Connection, Engine, ToSql, TransactionBehavior, Value};
use crate::Ctx;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

/// How a table's rows are written into the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// Rows as they are.
    Rows,
    /// Rows the schema seeds in new books: the target's are replaced by the source's.
    Seeded,
    /// Invoices: written as drafts, issued once their lines are in.
    Invoices,
    /// Quotes and prepayment requests: written as drafts without their number, given both
    /// back once their lines are in.
    Quotes,
    /// Derived by triggers from the other tables: replaced by the source's rows at the end.
    Derived,
}

/// One table of the books.
struct Table {
    name: &'static str,
    how: How,
    /// An integer key to read the table in pages by; `None`: read at once, in `order`.
    page_key: Option<&'static str>,
    order: &'static str,
}

const fn t(
    name: &'static str,
    how: How,
    page_key: Option<&'static str>,
    order: &'static str,
) -> Table {
    Table {
        name,
        how,
        page_key,
        order,
    }
}

const ID: Option<&str> = Some("id");

/// Every table of the books (schema version 17), parents before the rows that refer to them.
/// A table the schema gains must be added here: [`move_books`] refuses books whose tables are
/// not exactly these (and a test says so at once).
const TABLES: &[Table] = &[
    t("payment_terms", How::Seeded, ID, "id"),
    t("number_series", How::Seeded, None, "id"),
    t("accounts", How::Seeded, ID, "id"),
    t("reminder_settings", How::Seeded, ID, "id"),
    t("business_profile", How::Rows, ID, "id"),
    t("customers", How::Rows, ID, "id"),
    t("journal_entries", How::Rows, ID, "id"),
    t("postings", How::Rows, ID, "id"),
    t("invoices", How::Invoices, ID, "id"),
    t("invoice_lines", How::Rows, ID, "id"),
    t("charges", How::Rows, ID, "id"),
    t("invoice_sends", How::Rows, ID, "id"),
    t("opening_balances", How::Rows, ID, "id"),
    t("payments", How::Rows, ID, "id"),
    t("settlements", How::Rows, ID, "id"),
    t("refunds", How::Rows, ID, "id"),
    t("payment_discrepancies", How::Rows, ID, "id"),
    t("credit_notes", How::Rows, ID, "id"),
    t("write_offs", How::Rows, ID, "id"),
    t("reminders", How::Rows, ID, "id"),
    t("acts", How::Rows, ID, "id"),
    t("act_charges", How::Rows, None, "act_id, charge_id"),
    t("act_sends", How::Rows, ID, "id"),
    t("payment_reversals", How::Rows, ID, "id"),
    t("recurring_schedules", How::Rows, ID, "id"),
    t("recurring_lines", How::Rows, None, "schedule_id, position"),
    t("recurring_runs", How::Rows, None, "schedule_id, period"),
    t("quotes", How::Quotes, ID, "id"),
    t("quote_lines", How::Rows, None, "quote_id, position"),
    t("advances", How::Rows, ID, "id"),
    t("advance_uses", How::Rows, ID, "id"),
    t("bank_statements", How::Rows, ID, "id"),
    t("bank_transactions", How::Rows, ID, "id"),
    t("bank_csv_layouts", How::Rows, None, "signature"),
    t(
        "invoice_state",
        How::Derived,
        Some("invoice_id"),
        "invoice_id",
    ),
];

/// Rows read from the source at a time.
const PAGE: usize = 2000;
/// Rows written by one INSERT at most (and parameters per statement, under both engines' limits).
const BATCH_ROWS: usize = 500;
const BATCH_PARAMS: usize = 30_000;

/// What a move did and what it compared.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveReport {
    /// `sqlite` or `postgres`.
    pub from: &'static str,
    pub to: &'static str,
    pub schema_version: i64,
    /// The day the trial balance and the ageing were compared on.
    pub as_of: String,
    /// Rows copied, per table, in the order they were written.
    pub tables: Vec<TableCount>,
    pub rows: u64,
    pub checks: MoveChecks,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableCount {
    pub table: &'static str,
    pub rows: u64,
}

/// What was found identical on both sides (a move that returns has passed every one).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveChecks {
    /// Every table holds the same rows, value by value (ids included).
    pub data_identical: bool,
    /// The trial balance (`trial_balance` as of the day), as both sides answer it.
    pub trial_balance: serde_json::Value,
    /// The ageing's totals per currency (the whole `ageing` answer was compared).
    pub ageing_totals: serde_json::Value,
    pub ageing_rows: u64,
    /// `check_books` (the same answer on both sides; problems the source had travel with it).
    pub check_books: serde_json::Value,
    /// Every number series: its documents (series, year, sequence, number) compared one by one.
    pub numbers: Vec<SeriesNumbers>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesNumbers {
    pub series: &'static str,
    pub documents: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The number the next document of the series takes.
    pub next_number: i64,
    pub counter_year: Option<i64>,
}

fn engine_name(e: Engine) -> &'static str {
    match e {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    }
}

/// Copies the books at `from` into `to`, which must be freshly migrated and empty (no
/// profile, customer, document or posting: `conflict`/`error.targetNotEmpty` otherwise), and
/// verifies the copy before committing it; see the module's notes. `today` is the day the
/// trial balance and the ageing are compared on. `from` is only read, in one snapshot.
pub fn move_books(
    from: &mut Connection,
    to: &mut Connection,
    today: NaiveDate,
) -> Result<MoveReport> {
    let started_read = from.is_autocommit();
    if started_read {
        from.begin_read()?;
    }
    let behavior = TransactionBehavior::Immediate;
    let out = to.with_transaction(behavior, |to| copy_and_verify(from, to, today));
    if started_read {
        // A read-only snapshot: ending it cannot lose anything.
        let _ = from.end_read();
    }
    out
}

fn copy_and_verify(
    from: &mut Connection,
    to: &mut Connection,
    today: NaiveDate,
) -> Result<MoveReport> {
    let version = schema_version(from)?;
    let target_version = schema_version(to)?;
    if version != db::SCHEMA_VERSION || target_version != db::SCHEMA_VERSION {
        return Err(Error::Internal(format!(
            "books at schema versions {version} and {target_version}, this app writes {}",
            db::SCHEMA_VERSION
        )));
    }
    for conn in [&*from, &*to] {
        let mut found = table_names(conn)?;
        found.sort();
        let mut known: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        known.sort_unstable();
        if found != known {
            return Err(Error::Internal(format!(
                "the {} books' tables are not the ones a move knows: {found:?}",
                engine_name(conn.engine())
            )));
        }
    }
    // Empty: nothing but what a new database is seeded with.
    for table in TABLES.iter().filter(|t| t.how != How::Seeded) {
        let any = to
            .prepare(&format!("SELECT 1 FROM {} LIMIT 1", table.name))?
            .exists([])?;
        if any {
            return Err(Error::Conflict {
                key: "error.targetNotEmpty",
                field: Some("to".into()),
            });
        }
    }

    let mut counts = Vec::with_capacity(TABLES.len());
    let mut digests = Vec::with_capacity(TABLES.len());
    let mut to_issue: Vec<i64> = Vec::new();
    let mut quotes: Vec<(i64, Value, Value)> = Vec::new();
    for table in TABLES {
        let cols = columns(from, table.name)?;
        if cols != columns(to, table.name)? {
            return Err(Error::Internal(format!(
                "{}: the two books' columns differ",
                table.name
            )));
        }
        if matches!(table.how, How::Seeded | How::Derived) {
            to.execute(&format!("DELETE FROM {}", table.name), [])?;
        }
        let status = cols.iter().position(|c| c == "status");
        let number = cols.iter().position(|c| c == "number");
        let id = cols.iter().position(|c| c == "id");
        let mut digest = Digest::default();
        let mut writer = Writer::new(table.name, &cols);
        read_table(from, table, &cols, |row| {
            digest.add(&row);
            let mut row = row;
            let draft = Value::Text("draft".into());
            match (table.how, status, number, id) {
                (How::Invoices, Some(s), _, Some(i)) if row[s] != draft => {
                    to_issue.push(as_id(&row[i])?);
                    row[s] = draft;
                }
                (How::Quotes, Some(s), Some(n), Some(i)) if row[s] != draft => {
                    let status = std::mem::replace(&mut row[s], draft);
                    let number = std::mem::replace(&mut row[n], Value::Null);
                    quotes.push((as_id(&row[i])?, status, number));
                }
                (How::Invoices, Some(_), _, Some(_)) | (How::Quotes, Some(_), Some(_), Some(_)) => {
                }
                (How::Invoices | How::Quotes, ..) => {
                    return Err(Error::Internal(format!(
                        "{}: no status, number or id",
                        table.name
                    )))
                }
                _ => {}
            }
            writer.push(to, row)
        })?;
        writer.flush(to)?;
        counts.push(TableCount {
            table: table.name,
            rows: digest.rows,
        });
        digests.push(digest);
        match table.name {
            // Issued only now that their lines are in: an issued invoice takes no new line. The
            // triggers derive each one's invoice_state, replaced by the source's at the end.
            "invoice_lines" => {
                for ids in to_issue.chunks(BATCH_ROWS) {
                    let marks = vec!["?"; ids.len()].join(", ");
                    let params: Vec<&dyn ToSql> = ids.iter().map(|i| i as &dyn ToSql).collect();
                    to.prepare_cached(&format!(
                        "UPDATE invoices SET status = 'issued' WHERE id IN ({marks})"
                    ))?
                    .execute(&params)?;
                }
            }
            "quote_lines" => {
                let mut stmt =
                    to.prepare_cached("UPDATE quotes SET status = ?1, number = ?2 WHERE id = ?3")?;
                for (id, status, number) in &quotes {
                    stmt.execute(crate::params![status, number, id])?;
                }
            }
            _ => {}
        }
    }
    // The copy, table by table.
    for (table, want) in TABLES.iter().zip(&digests) {
        let cols = columns(to, table.name)?;
        let mut got = Digest::default();
        read_table(to, table, &cols, |row| {
            got.add(&row);
            Ok(())
        })?;
        if got != *want {
            return Err(mismatch(&format!("data:{}", table.name)));
        }
    }
    // Every numbered document, one by one.
    let numbers = document_numbers(from)?;
    if numbers != document_numbers(to)? {
        return Err(mismatch("numbers"));
    }
    let summary = number_summary(from, &numbers)?;
    if summary != number_summary(to, &document_numbers(to)?)? {
        return Err(mismatch("numbers"));
    }
    // What the user reads: the trial balance, the ageing, the books' check.
    let as_of = today.to_string();
    let mut answers = Vec::new();
    for (name, args) in [
        ("trial_balance", json!({"asOf": as_of})),
        ("ageing", json!({"asOf": as_of})),
        ("check_books", json!({})),
    ] {
        let a = api::call(&mut Ctx::new(from, today), name, &args)?;
        let b = api::call(&mut Ctx::new(to, today), name, &args)?;
        if a != b {
            return Err(mismatch(match name {
                "trial_balance" => "trialBalance",
                "ageing" => "ageing",
                _ => "checkBooks",
            }));
        }
        answers.push(a);
    }
    let [trial_balance, ageing, check_books]: [serde_json::Value; 3] = answers
        .try_into()
        .map_err(|_| Error::Internal("three answers".into()))?;
    // Last, once everything agrees (a sequence is not rolled back with the transaction): the
    // next row of every table gets a new id.
    if to.engine() == Engine::Postgres {
        for table in TABLES.iter().filter(|t| t.page_key == ID) {
            let past = match from.engine() {
                Engine::Postgres => sequence_position(from, table.name)?,
                Engine::Sqlite => 0,
            };
            to.query_row(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), GREATEST(COALESCE(MAX(id), 0), CAST(?1 AS BIGINT)) + 1, false) FROM {0}",
                    table.name
                ),
                [past],
                |_| Ok(()),
            )?;
        }
    }

    Ok(MoveReport {
        from: engine_name(from.engine()),
        to: engine_name(to.engine()),
        schema_version: version,
        as_of,
        rows: counts.iter().map(|c| c.rows).sum(),
        tables: counts,
        checks: MoveChecks {
            data_identical: true,
            trial_balance,
            ageing_rows: ageing["rowsTotal"].as_u64().unwrap_or(0),
            ageing_totals: ageing["totals"].clone(),
            check_books,
            numbers: summary,
        },
    })
}

/// The copy differs from the books on `what`: the move is rolled back.
fn mismatch(what: &str) -> Error {
    Error::Conflict {
        key: "error.moveMismatch",
        field: Some(what.to_string()),
    }
}

fn as_id(v: &Value) -> Result<i64> {
    match v {
        Value::Integer(i) => Ok(*i),
        other => Err(Error::Internal(format!("a stored id is {other:?}"))),
    }
}

fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(match conn.engine() {
        Engine::Sqlite => conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        Engine::Postgres => conn.query_row("SELECT version FROM esep_schema", [], |r| r.get(0))?,
    })
}

/// The books' tables (not the engine's own, nor PostgreSQL's version table).
fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let sql = match conn.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Engine::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'esep_schema'"
        }
    };
    let mut stmt = conn.prepare(sql)?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(names)
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let sql = match conn.engine() {
        Engine::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        Engine::Postgres => {
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
        }
    };
    let mut stmt = conn.prepare(sql)?;
    let cols: Vec<String> = stmt
        .query_map([table], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    if cols.is_empty() {
        return Err(Error::Internal(format!("{table} has no columns")));
    }
    Ok(cols)
}

/// Reads every row of `table`, in its order, page by page when it has an integer key.
fn read_table(
    conn: &Connection,
    table: &Table,
    cols: &[String],
    mut each: impl FnMut(Vec<Value>) -> Result<()>,
) -> Result<()> {
    let list = cols
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let n = cols.len();
    let read = |r: &crate::sql::Row<'_>| -> crate::sql::Result<Vec<Value>> {
        (0..n).map(|i| r.get::<_, Value>(i)).collect()
    };
    match table.page_key {
        None => {
            // SQLite's own order where it has one, so a file copied into a file keeps it.
            let order = match conn.engine() {
                Engine::Sqlite => "rowid",
                Engine::Postgres => table.order,
            };
            let mut stmt = conn.prepare(&format!(
                "SELECT {list} FROM {} ORDER BY {order}",
                table.name
            ))?;
            let rows: Vec<Vec<Value>> = stmt
                .query_map([], read)?
                .collect::<std::result::Result<_, _>>()?;
            for row in rows {
                each(row)?;
            }
        }
        Some(key) => {
            let k = cols
                .iter()
                .position(|c| c == key)
                .ok_or_else(|| Error::Internal(format!("{}: no column {key}", table.name)))?;
            let mut stmt = conn.prepare(&format!(
                "SELECT {list} FROM {} WHERE {key} > ?1 ORDER BY {key} LIMIT {PAGE}",
                table.name
            ))?;
            let mut after = i64::MIN;
            loop {
                let rows: Vec<Vec<Value>> = stmt
                    .query_map([after], read)?
                    .collect::<std::result::Result<_, _>>()?;
                let full = rows.len() == PAGE;
                for row in rows {
                    after = as_id(&row[k])?;
                    each(row)?;
                }
                if !full {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Rows gathered into multi-row INSERTs.
struct Writer {
    head: String,
    row: String,
    per_batch: usize,
    rows: Vec<Vec<Value>>,
}

impl Writer {
    fn new(table: &str, cols: &[String]) -> Writer {
        let list = cols
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        Writer {
            head: format!("INSERT INTO {table} ({list}) VALUES "),
            row: format!("({})", vec!["?"; cols.len()].join(", ")),
            per_batch: (BATCH_PARAMS / cols.len()).clamp(1, BATCH_ROWS),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, to: &Connection, row: Vec<Value>) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() >= self.per_batch {
            self.flush(to)?;
        }
        Ok(())
    }

    fn flush(&mut self, to: &Connection) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "{}{}",
            self.head,
            vec![self.row.as_str(); self.rows.len()].join(", ")
        );
        let params: Vec<&dyn ToSql> = self
            .rows
            .iter()
            .flatten()
            .map(|v| v as &dyn ToSql)
            .collect();
        to.prepare_cached(&sql)?.execute(&params)?;
        self.rows.clear();
        Ok(())
    }
}

/// A table's rows as a multiset: how many, and two order-free sums of each row's fingerprint.
#[derive(Debug, Default, PartialEq, Eq)]
struct Digest {
    rows: u64,
    sum: u64,
    mixed: u64,
}

impl Digest {
    fn add(&mut self, row: &[Value]) {
        let h = crate::books::fingerprint(&[format!("{row:?}")]);
        let h = u64::from_str_radix(&h, 16).unwrap_or(0);
        self.rows += 1;
        self.sum = self.sum.wrapping_add(h);
        // splitmix64 of the fingerprint: a second, independent sum.
        let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        self.mixed = self.mixed.wrapping_add(z ^ (z >> 31));
    }
}

/// One numbered document: series, year, sequence, number, its table and id.
type Numbered = (&'static str, i64, Option<i64>, Option<i64>, String);

/// Every numbered document of every series, in id order.
fn document_numbers(conn: &Connection) -> Result<Vec<Numbered>> {
    let mut out = Vec::new();
    for s in series::ALL {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, series_year, seq, number FROM {} WHERE series = ?1 AND number IS NOT NULL ORDER BY id",
            s.table()
        ))?;
        let rows = stmt.query_map([s.id], |r| {
            Ok((s.id, r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        for r in rows {
            out.push(r?);
        }
    }
    Ok(out)
}

fn number_summary(conn: &Connection, numbers: &[Numbered]) -> Result<Vec<SeriesNumbers>> {
    let mut out = Vec::new();
    for s in series::ALL {
        let mine: Vec<&Numbered> = numbers.iter().filter(|n| n.0 == s.id).collect();
        let (next_number, counter_year): (i64, Option<i64>) = conn.query_row(
            "SELECT next_number, counter_year FROM number_series WHERE id = ?1",
            [s.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.push(SeriesNumbers {
            series: s.id,
            documents: mine.len() as u64,
            first: mine.first().map(|n| n.4.clone()),
            last: mine.last().map(|n| n.4.clone()),
            next_number,
            counter_year,
        });
    }
    Ok(out)
}

/// How far a PostgreSQL source's identity of `table` has counted (0 when unknown): the target
/// continues past it, so an id the source handed out and then deleted does not come back.
fn sequence_position(conn: &Connection, table: &str) -> Result<i64> {
    let v: Option<i64> = conn.query_row(
        "SELECT MAX(s.last_value) FROM pg_sequences s
         WHERE format('%I.%I', s.schemaname, s.sequencename) = pg_get_serial_sequence(?1, 'id')",
        [table],
        |r| r.get(0),
    )?;
    Ok(v.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_is_moved_once() {
        let conn = db::open_in_memory().unwrap();
        let mut found = table_names(&conn).unwrap();
        found.sort();
        let mut known: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        known.sort_unstable();
        assert_eq!(found, known, "a table the move does not know");
        for t in TABLES {
            let cols = columns(&conn, t.name).unwrap();
            if let Some(k) = t.page_key {
                assert!(cols.iter().any(|c| c == k), "{}: {k}", t.name);
            }
        }
    }

    #[test]
    fn a_sqlite_file_moves_into_another_and_the_copy_is_the_same_books() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut from = db::open_in_memory().unwrap();
        crate::books::sample::fill(&mut from, day, crate::i18n::Lang::Ru).unwrap();
        let mut to = db::open_in_memory().unwrap();
        let report = move_books(&mut from, &mut to, day).unwrap();
        assert!(report.rows > 100, "{report:?}");
        assert_eq!(db::data_dump(&from).unwrap(), db::data_dump(&to).unwrap());
        let again = move_books(&mut from, &mut to, day).unwrap_err();
        assert_eq!(again.message_key(), "error.targetNotEmpty");
    }
}
