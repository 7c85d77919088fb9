//! Opening the SQLite database and migrating it.
//!
//! One file, `foreign_keys=ON`, `journal_mode=WAL`, `synchronous=FULL` (an issued number must
//! survive a power cut) and a busy timeout. Migrations are an append-only list applied by
//! `PRAGMA user_version` inside one IMMEDIATE transaction; a database newer than the app is
//! refused.

use crate::error::{Error, Result};
pub use crate::sql::Connection;
pub use rusqlite::OpenFlags;
use rusqlite::TransactionBehavior;
use std::path::Path;

/// The append-only list of migrations; index + 1 is the schema version it produces.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_books.sql"),
    include_str!("../migrations/0002_getting_paid.sql"),
    include_str!("../migrations/0003_invoice_state.sql"),
    include_str!("../migrations/0004_fast_dashboard.sql"),
    include_str!("../migrations/0005_unbilled_index.sql"),
    include_str!("../migrations/0006_series_and_fine_prices.sql"),
    include_str!("../migrations/0007_kazakh_paperwork.sql"),
    include_str!("../migrations/0008_act_series_allowed.sql"),
    include_str!("../migrations/0009_acts.sql"),
    include_str!("../migrations/0010_kazakh_search_fold.sql"),
    include_str!("../migrations/0011_acts_from_services.sql"),
    include_str!("../migrations/0012_payment_reversals.sql"),
    include_str!("../migrations/0013_bank_statements.sql"),
    include_str!("../migrations/0014_recurring.sql"),
    include_str!("../migrations/0015_quote_series_allowed.sql"),
    include_str!("../migrations/0016_quotes.sql"),
    include_str!("../migrations/0017_prepayments.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Shared books on PostgreSQL start from the schema SQLite has at version 17, in one file
/// (`migrations/pg/`), after SQLite's functions the SQL calls (`compat.sql`). Every migration
/// after 17 is written for both engines: SQLite's in [`MIGRATIONS`], PostgreSQL's here (index +
/// 18 is the version it produces), and `tests/engines.rs` compares the two schemas.
pub const PG_BASELINE: i64 = 17;
pub const PG_COMPAT: &str = include_str!("../migrations/pg/compat.sql");
pub const PG_SCHEMA: &str = include_str!("../migrations/pg/0017_schema.sql");
pub const PG_MIGRATIONS: &[&str] = &[];

const _: () = assert!(PG_BASELINE + PG_MIGRATIONS.len() as i64 == SCHEMA_VERSION);

/// Opens (creating if needed) the database at `path` and brings it up to date.
///
/// The file is the user's alone (`0600` on Unix, see [`crate::files`]): made so before SQLite
/// first writes to it, and made so again for books created by an older version. SQLite gives
/// the `-wal` and `-shm` files the database file's permissions.
pub fn open(path: &Path) -> Result<Connection> {
    match crate::files::create_new_private(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let _ = crate::files::restrict(Path::new(&p));
            }
        }
        // A directory that cannot be written: SQLite's own error below says so.
        Err(_) => {}
    }
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn, true)?;
    migrate(conn)
}

/// Connects to shared books on a PostgreSQL server and brings their schema up to date.
///
/// The version lives in the one-row table `esep_schema`; an empty database gets the whole
/// schema; a database newer than this app is refused. Two desktops opening new books at once
/// wait for each other (a transaction-scoped advisory lock), so the schema is made once.
pub fn open_postgres(config: &crate::sql::PgConfig) -> Result<Connection> {
    let mut conn = Connection::connect_postgres(config)?;
    migrate_postgres(&mut conn)?;
    Ok(conn)
}

/// Applies what the PostgreSQL books lack, in one transaction.
pub fn migrate_postgres(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(crate::sql::TransactionBehavior::Immediate)?;
    // 'esep' in ASCII: one key for every Esep database on the server.
    tx.execute_batch("SELECT pg_advisory_xact_lock(1702064496)")?;
    let exists: bool = tx.query_row("SELECT to_regclass('esep_schema') IS NOT NULL", [], |r| {
        r.get(0)
    })?;
    let version: i64 = if exists {
        tx.query_row("SELECT version FROM esep_schema", [], |r| r.get(0))?
    } else {
        0
    };
    if version > SCHEMA_VERSION {
        return Err(Error::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        tx.execute_batch(PG_COMPAT)?;
        tx.execute_batch(PG_SCHEMA)?;
        tx.execute_batch(
            "CREATE TABLE esep_schema (version BIGINT NOT NULL, one BIGINT PRIMARY KEY DEFAULT 1 CHECK (one = 1));
             INSERT INTO esep_schema (version) VALUES (17);",
        )?;
    } else if version < PG_BASELINE {
        return Err(Error::Internal(format!(
            "PostgreSQL books at version {version}, below the baseline {PG_BASELINE}"
        )));
    }
    let from = version.max(PG_BASELINE);
    let mut changed = version == 0;
    for (i, sql) in PG_MIGRATIONS.iter().enumerate() {
        let produces = PG_BASELINE + 1 + i as i64;
        if produces > from {
            tx.execute_batch(sql)?;
            tx.execute("UPDATE esep_schema SET version = ?1", [produces])?;
            changed = true;
        }
    }
    if changed {
        tx.commit()?;
    } else {
        // Nothing to do: not a write (the other desktops are not told of one).
        tx.rollback()?;
    }
    Ok(())
}

/// A second, read-only connection to the books file (the background check and backup read
/// beside the app's own connection; WAL lets them).
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(conn.into())
}

/// An in-memory database with the full schema, for tests and previews.
pub fn open_in_memory() -> Result<Connection> {
    let conn = rusqlite::Connection::open_in_memory()?;
    configure(&conn, false)?;
    migrate(conn)
}

fn configure(conn: &rusqlite::Connection, file: bool) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if file {
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal(format!("journal_mode is {mode}, not WAL")));
        }
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Applies every migration newer than the database's `user_version`, in one transaction.
pub fn migrate(mut conn: rusqlite::Connection) -> Result<Connection> {
    migrate_to(&mut conn, SCHEMA_VERSION)?;
    Ok(conn.into())
}

/// Migrates up to `target` (tests use this to build old fixtures).
pub fn migrate_to(conn: &mut rusqlite::Connection, target: i64) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(version as usize)
    {
        tx.execute_batch(sql)?;
        if sql.contains("PRAGMA writable_schema = ON") {
            // A migration that rewrote a table's SQL in sqlite_schema: a new schema_version
            // makes every connection (this one too) parse the new definition.
            let v: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
            tx.pragma_update(None, "schema_version", v + 1)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

/// The schema as SQLite reports it, for comparing a migrated database with a fresh one.
pub fn schema_dump(conn: &Connection) -> Result<Vec<String>> {
    let Some(conn) = conn.sqlite() else {
        return Err(Error::Internal("schema_dump reads SQLite's schema".into()));
    };
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "{} {} {} {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?.unwrap_or_default()
        ))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A logical dump of every table's rows (for "nothing changed" assertions).
pub fn data_dump(conn: &Connection) -> Result<String> {
    let Some(conn) = conn.sqlite() else {
        return data_dump_postgres(conn);
    };
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid"))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            out.push_str(&t);
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i)?;
                out.push_str(&format!(" {v:?}"));
            }
            out.push('\n');
        }
    }
    Ok(out)
}

/// [`data_dump`] on PostgreSQL: every table of the books' schema, rows in id order.
fn data_dump_postgres(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )?;
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            out.push_str(&t);
            for i in 0..row.column_count() {
                let v: crate::sql::Value = row.get(i)?;
                out.push_str(&format!(" {v:?}"));
            }
            out.push('\n');
        }
    }
    Ok(out)
}
