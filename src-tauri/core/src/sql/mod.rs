//! The engine seam: one connection type the books run on, over the embedded SQLite file or a
//! shared PostgreSQL server (#23).
//!
//! The API is rusqlite's shape (`prepare_cached`, `query_row`, `query_map`, `params!`,
//! `optional()`, transactions that roll back when dropped), so every query is written once.
//! SQLite is the default and pays only a match per call: statements, binding and reading go
//! straight to rusqlite, values borrowed, not copied. On PostgreSQL the same SQL runs after the
//! placeholders are renumbered (`?1` → `$1`); the few SQLite functions the books use exist on
//! the server as compatibility functions (`migrations/pg/compat.sql`), and values are bound to
//! the type the server inferred (see [`value`]).

mod pg;
pub mod value;

pub use pg::{Listener, PgConfig, CHANGES_CHANNEL};
pub use value::{FromSql, FromSqlError, FromSqlResult, ToSql, Type, Value, ValueRef};

use std::fmt;

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// What went wrong at the database.
#[derive(Debug)]
pub enum Error {
    /// `query_row` found nothing (`optional()` turns it into `None`).
    QueryReturnedNoRows,
    /// A column read as the wrong type.
    FromSqlConversionFailure(usize, Type, Box<dyn std::error::Error + Send + Sync>),
    /// A value that cannot be bound or a stored value the code refuses.
    ToSqlConversionFailure(Box<dyn std::error::Error + Send + Sync>),
    /// No column of that name.
    InvalidColumnName(String),
    /// SQLite said no.
    Sqlite(rusqlite::Error),
    /// PostgreSQL said no (or is unreachable).
    Postgres(postgres::Error),
    /// The seam's own refusal (a feature the engine does not have).
    Unsupported(&'static str),
    /// The server ended the connection inside a transaction: the transaction is gone, nothing
    /// of it was written.
    ConnectionLost,
    /// The connection was lost while a write may have been committing (its COMMIT sent, the
    /// answer lost, and the server not reachable again to ask; or a statement that commits by
    /// itself): it may or may not be in the books.
    OutcomeUnknown,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::QueryReturnedNoRows => f.write_str("query returned no rows"),
            Error::FromSqlConversionFailure(i, t, e) => {
                write!(f, "column {i} ({t}) could not be read: {e}")
            }
            Error::ToSqlConversionFailure(e) => write!(f, "value conversion: {e}"),
            Error::InvalidColumnName(n) => write!(f, "no column named {n}"),
            Error::Sqlite(e) => e.fmt(f),
            Error::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(
                    f,
                    "{}: {} ({})",
                    db.severity(),
                    db.message(),
                    db.code().code()
                ),
                None => e.fmt(f),
            },
            Error::Unsupported(what) => write!(f, "not supported on this engine: {what}"),
            Error::ConnectionLost => f.write_str("the connection to the server was lost"),
            Error::OutcomeUnknown => f.write_str(
                "the connection to the server was lost while a write may have been committing",
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::QueryReturnedNoRows,
            e => Error::Sqlite(e),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Postgres(e)
    }
}

impl Error {
    /// The message a trigger raised (`append-only: …`), on either engine.
    pub fn raised_message(&self) -> Option<&str> {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(_, Some(msg))) => Some(msg),
            Error::Postgres(e) => e
                .as_db_error()
                .filter(|d| d.code().code() == "P0001")
                .map(|d| d.message()),
            _ => None,
        }
    }

    /// The SQLSTATE of a PostgreSQL error.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            Error::Postgres(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }

    /// Another writer holds the books (SQLite busy) or the server picked this transaction to
    /// fail so that concurrent ones stay serializable: running it again is safe.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
            ),
            Error::Postgres(_) => matches!(self.sqlstate(), Some("40001") | Some("40P01")),
            _ => false,
        }
    }

    /// The server cannot be reached (connection refused, closed, terminated, shutting down).
    pub fn is_unreachable(&self) -> bool {
        match self {
            Error::ConnectionLost | Error::OutcomeUnknown => true,
            Error::Postgres(e) => pg_unreachable(e),
            _ => false,
        }
    }

    /// The server refused the login: a wrong password or user, or none given where one is
    /// needed (`28P01`, `28000`).
    pub fn is_login_refused(&self) -> bool {
        match self {
            Error::Postgres(e) => {
                matches!(self.sqlstate(), Some("28P01") | Some("28000"))
                    || (self.sqlstate().is_none() && e.to_string().contains("password missing"))
            }
            _ => false,
        }
    }

    /// The server has no database of that name (`3D000`).
    pub fn is_unknown_database(&self) -> bool {
        matches!(self.sqlstate(), Some("3D000"))
    }

    /// The connection was lost when a write may have been committed (see
    /// [`Error::OutcomeUnknown`]): never to be run again blindly, never "nothing was saved".
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown)
    }

    /// The role may not do this (PostgreSQL's `insufficient_privilege`).
    pub fn is_permission_denied(&self) -> bool {
        matches!(self.sqlstate(), Some("42501"))
    }
}

/// A PostgreSQL error that says the server is gone or going, not that it refused a statement.
fn pg_unreachable(e: &postgres::Error) -> bool {
    let io = std::iter::successors(std::error::Error::source(e), |s| s.source())
        .any(|s| s.is::<std::io::Error>());
    e.is_closed()
        || io
        || e.code().is_some_and(|c| {
            let c = c.code();
            c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03")
        })
}

/// `.optional()` on a `query_row` result: no row is `None`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// How a transaction starts. On SQLite: `BEGIN DEFERRED/IMMEDIATE`. On PostgreSQL every
/// transaction is SERIALIZABLE (the books' invariants span rows: a series number, a balance),
/// and the command layer runs a command again when the server refuses it with a
/// serialization failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionBehavior {
    Deferred,
    Immediate,
}

/// Parameters of a statement.
pub trait Params {
    fn values(&self) -> Result<Vec<ValueRef<'_>>>;
}

impl Params for [&dyn ToSql; 0] {
    fn values(&self) -> Result<Vec<ValueRef<'_>>> {
        Ok(Vec::new())
    }
}

impl Params for &[&dyn ToSql] {
    fn values(&self) -> Result<Vec<ValueRef<'_>>> {
        self.iter().map(|v| v.to_sql()).collect()
    }
}

impl Params for &Vec<&dyn ToSql> {
    fn values(&self) -> Result<Vec<ValueRef<'_>>> {
        self.iter().map(|v| v.to_sql()).collect()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn values(&self) -> Result<Vec<ValueRef<'_>>> {
                self.iter().map(|v| v.to_sql()).collect()
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn values(&self) -> Result<Vec<ValueRef<'_>>> {
                self.iter().map(|v| v.to_sql()).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);

/// `params![a, b]`: a slice of parameters of mixed types.
#[macro_export]
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::sql::ToSql]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::sql::ToSql),+] as &[&dyn $crate::sql::ToSql]
    };
}
pub use crate::params;

/// A rusqlite parameter that binds one of our values without copying it.
struct Bind<'a>(ValueRef<'a>);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as R};
        Ok(ToSqlOutput::Borrowed(match self.0 {
            ValueRef::Null => R::Null,
            ValueRef::Integer(i) => R::Integer(i),
            ValueRef::Real(r) => R::Real(r),
            ValueRef::Text(s) => R::Text(s.as_bytes()),
            ValueRef::Blob(b) => R::Blob(b),
        }))
    }
}

fn binds<'a>(
    values: &'a [ValueRef<'a>],
) -> rusqlite::ParamsFromIter<impl Iterator<Item = Bind<'a>> + 'a> {
    rusqlite::params_from_iter(values.iter().map(|v| Bind(*v)))
}

fn from_rusqlite(v: rusqlite::types::ValueRef<'_>) -> Result<ValueRef<'_>, FromSqlError> {
    use rusqlite::types::ValueRef as R;
    Ok(match v {
        R::Null => ValueRef::Null,
        R::Integer(i) => ValueRef::Integer(i),
        R::Real(r) => ValueRef::Real(r),
        R::Text(t) => {
            ValueRef::Text(std::str::from_utf8(t).map_err(|e| FromSqlError::Other(Box::new(e)))?)
        }
        R::Blob(b) => ValueRef::Blob(b),
    })
}

/// A connection to the books.
pub struct Connection {
    inner: Inner,
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Pg(Box<pg::PgConn>),
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Connection({:?})", self.engine())
    }
}

impl From<rusqlite::Connection> for Connection {
    fn from(c: rusqlite::Connection) -> Self {
        Connection {
            inner: Inner::Sqlite(c),
        }
    }
}

impl Connection {
    /// Connects to a PostgreSQL server (the schema is not touched: see `db::open_postgres`).
    pub fn connect_postgres(config: &PgConfig) -> Result<Connection> {
        Ok(Connection {
            inner: Inner::Pg(Box::new(pg::PgConn::connect(config)?)),
        })
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite(_) => Engine::Sqlite,
            Inner::Pg(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection underneath (backups, pragmas, the schema dump).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    pub fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    #[allow(dead_code)]
    pub(crate) fn pg(&self) -> Option<&pg::PgConn> {
        match &self.inner {
            Inner::Pg(c) => Some(c),
            Inner::Sqlite(_) => None,
        }
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare(sql)?.execute(params)
    }

    /// Several statements without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Pg(c) => c.batch(sql),
        }
    }

    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.prepare(sql)?.query_row(params, f)
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(Statement {
                inner: StmtInner::Sqlite(SqliteStmt::Plain(c.prepare(sql)?)),
            }),
            Inner::Pg(c) => Ok(Statement {
                inner: StmtInner::Pg(c, c.prepare(sql)?),
            }),
        }
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(Statement {
                inner: StmtInner::Sqlite(SqliteStmt::Cached(c.prepare_cached(sql)?)),
            }),
            // The server-side statements are cached per connection anyway.
            Inner::Pg(c) => Ok(Statement {
                inner: StmtInner::Pg(c, c.prepare(sql)?),
            }),
        }
    }

    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        self.transaction_with_behavior(TransactionBehavior::Deferred)
    }

    pub fn transaction_with_behavior(
        &mut self,
        behavior: TransactionBehavior,
    ) -> Result<Transaction<'_>> {
        Transaction::begin(self, behavior)
    }

    /// Runs `f` inside a writing transaction on this connection, with the connection itself
    /// (not a [`Transaction`] borrowing it) in hand, so that `f` can run commands through a
    /// [`crate::Ctx`]: a read command inside runs in this transaction and sees what it wrote.
    /// Commits when `f` returns `Ok`; rolls back when it returns `Err` (or the commit fails).
    pub fn with_transaction<T, E: From<Error>>(
        &mut self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&mut Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        match &self.inner {
            Inner::Sqlite(c) => c
                .execute_batch(match behavior {
                    TransactionBehavior::Deferred => "BEGIN DEFERRED",
                    TransactionBehavior::Immediate => "BEGIN IMMEDIATE",
                })
                .map_err(Error::from)?,
            Inner::Pg(c) => c.begin()?,
        }
        let out = match f(self) {
            Ok(v) => v,
            Err(e) => {
                let _ = self.rollback();
                return Err(e);
            }
        };
        let committed = match &self.inner {
            Inner::Sqlite(c) => c.execute_batch("COMMIT").map_err(Error::from),
            Inner::Pg(c) => c.end("COMMIT"),
        };
        if let Err(e) = committed {
            let _ = self.rollback();
            return Err(e.into());
        }
        Ok(out)
    }

    /// A transaction on a shared reference (the caller makes sure none is open).
    pub fn unchecked_transaction(&self) -> Result<Transaction<'_>> {
        Transaction::begin(self, TransactionBehavior::Deferred)
    }

    /// The id the last INSERT gave its row (PostgreSQL: the session's `lastval()`, the
    /// identity sequence of the table last inserted into).
    pub fn last_insert_rowid(&self) -> i64 {
        match &self.inner {
            Inner::Sqlite(c) => c.last_insert_rowid(),
            Inner::Pg(c) => c.lastval().unwrap_or(0),
        }
    }

    /// Starts a read of one snapshot (the command layer wraps every read command in one).
    pub fn begin_read(&self) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch("BEGIN DEFERRED")?),
            Inner::Pg(c) => c.begin_read(),
        }
    }

    /// Ends what [`Connection::begin_read`] started.
    pub fn end_read(&self) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch("COMMIT")?),
            Inner::Pg(c) => c.end("COMMIT"),
        }
    }

    /// What this desktop's committed writes are announced with on shared books (its listener
    /// skips them); `None` on a SQLite file.
    pub fn change_token(&self) -> Option<String> {
        match &self.inner {
            Inner::Sqlite(_) => None,
            Inner::Pg(c) => Some(c.token().to_string()),
        }
    }

    /// Whether the connection to the server is encrypted (false for a file: nothing travels).
    pub fn is_encrypted(&self) -> Result<bool> {
        match &self.inner {
            Inner::Sqlite(_) => Ok(false),
            Inner::Pg(c) => c.is_encrypted(),
        }
    }

    /// How many writes that may be in the books this connection has made so far: statements
    /// that may write sent outside a transaction (each commits by itself) and writing
    /// transactions committed; always 0 on SQLite. A command that made one is never run again
    /// after a lost connection or a refused transaction: part of it may be in the books.
    pub fn writes_made(&self) -> u64 {
        match &self.inner {
            Inner::Sqlite(_) => 0,
            Inner::Pg(c) => c.written(),
        }
    }

    /// No transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match &self.inner {
            Inner::Sqlite(c) => c.is_autocommit(),
            Inner::Pg(c) => c.is_autocommit(),
        }
    }
}

/// An open transaction: rolls back when dropped unless committed.
pub struct Transaction<'c> {
    conn: &'c Connection,
    done: bool,
}

impl<'c> Transaction<'c> {
    fn begin(conn: &'c Connection, behavior: TransactionBehavior) -> Result<Self> {
        match &conn.inner {
            Inner::Sqlite(c) => c.execute_batch(match behavior {
                TransactionBehavior::Deferred => "BEGIN DEFERRED",
                TransactionBehavior::Immediate => "BEGIN IMMEDIATE",
            })?,
            Inner::Pg(c) => c.begin()?,
        }
        Ok(Transaction { conn, done: false })
    }

    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        match &self.conn.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch("COMMIT")?),
            Inner::Pg(c) => c.end("COMMIT"),
        }
    }

    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.conn.rollback()
    }
}

impl Connection {
    fn rollback(&self) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => {
                if c.is_autocommit() {
                    Ok(())
                } else {
                    Ok(c.execute_batch("ROLLBACK")?)
                }
            }
            Inner::Pg(c) => c.end("ROLLBACK"),
        }
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.rollback();
        }
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

enum SqliteStmt<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
}

impl<'c> SqliteStmt<'c> {
    fn get(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            SqliteStmt::Cached(s) => s,
            SqliteStmt::Plain(s) => s,
        }
    }
}

/// A prepared statement.
pub struct Statement<'c> {
    inner: StmtInner<'c>,
}

enum StmtInner<'c> {
    Sqlite(SqliteStmt<'c>),
    Pg(&'c pg::PgConn, pg::PgStatement),
}

impl<'c> Statement<'c> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let values = params.values()?;
        match &mut self.inner {
            StmtInner::Sqlite(s) => Ok(s.get().execute(binds(&values))?),
            StmtInner::Pg(c, s) => c.execute(s, &values),
        }
    }

    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(Error::QueryReturnedNoRows),
        }
    }

    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(self.query(params)?.next()?.is_some())
    }

    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let values = params.values()?;
        match &mut self.inner {
            StmtInner::Sqlite(s) => Ok(Rows {
                inner: RowsInner::Sqlite(s.get().query(binds(&values))?),
            }),
            StmtInner::Pg(c, s) => Ok(Rows {
                inner: RowsInner::Pg(c.query(s, &values)?.into_iter()),
            }),
        }
    }

    pub fn query_map<T, P, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    pub fn column_count(&self) -> usize {
        match &self.inner {
            StmtInner::Sqlite(SqliteStmt::Cached(s)) => s.column_count(),
            StmtInner::Sqlite(SqliteStmt::Plain(s)) => s.column_count(),
            StmtInner::Pg(_, s) => s.columns().len(),
        }
    }
}

/// The rows of a query, read one at a time.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Pg(std::vec::IntoIter<postgres::Row>),
}

impl<'s> Rows<'s> {
    /// The next row, or `None` at the end. (A PostgreSQL row is owned by the value returned.)
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match &mut self.inner {
            RowsInner::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            RowsInner::Pg(it) => Ok(it.next().map(Row::PgOwned)),
        }
    }
}

/// Rows mapped by a closure: an iterator of results.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        let f = &mut self.f;
        match self.rows.next() {
            Ok(Some(r)) => Some(f(&r)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    PgOwned(postgres::Row),
}

/// A column by position or by name.
pub trait RowIndex {
    fn index(&self, row: &Row<'_>) -> Result<usize>;
}

impl RowIndex for usize {
    fn index(&self, _: &Row<'_>) -> Result<usize> {
        Ok(*self)
    }
}

impl RowIndex for &str {
    fn index(&self, row: &Row<'_>) -> Result<usize> {
        match row {
            Row::Sqlite(r) => Ok(r.as_ref().column_index(self)?),
            Row::PgOwned(r) => r
                .columns()
                .iter()
                .position(|c| c.name().eq_ignore_ascii_case(self))
                .ok_or_else(|| Error::InvalidColumnName(self.to_string())),
        }
    }
}

impl<'r> Row<'r> {
    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let i = idx.index(self)?;
        let v = self.get_ref(i)?;
        let ty = v.data_type();
        T::column_result(v).map_err(|e| Error::FromSqlConversionFailure(i, ty, Box::new(e)))
    }

    pub fn get_ref<I: RowIndex>(&self, idx: I) -> Result<ValueRef<'_>> {
        let i = idx.index(self)?;
        match self {
            Row::Sqlite(r) => from_rusqlite(r.get_ref(i)?)
                .map_err(|e| Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))),
            Row::PgOwned(r) => pg::cell(r, i),
        }
    }

    pub fn column_count(&self) -> usize {
        match self {
            Row::Sqlite(r) => r.as_ref().column_count(),
            Row::PgOwned(r) => r.len(),
        }
    }
}
