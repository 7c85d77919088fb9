//! The PostgreSQL side of the seam: one synchronous client per desktop, statements prepared
//! once per connection, SQLite's placeholders renumbered, values bound to the types the server
//! inferred and read back as SQLite's kinds.

use super::{Error, Result, ValueRef};
use postgres::types::{IsNull, ToSql as PgToSql, Type as PgType};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Where the shared books are: a `postgres://user@host:port/db` address, the password kept
/// apart (the OS keychain in the app; an environment variable in tests and the CLI).
#[derive(Clone)]
pub struct PgConfig {
    pub url: String,
    pub password: Option<String>,
    /// Another database on the same server (the address's own when `None`).
    pub database: Option<String>,
}

impl std::fmt::Debug for PgConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConfig")
            .field("url", &self.url)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

impl PgConfig {
    pub fn new(url: impl Into<String>) -> PgConfig {
        PgConfig {
            url: url.into(),
            password: None,
            database: None,
        }
    }

    /// The same server and login, another database.
    pub fn with_database(&self, name: &str) -> PgConfig {
        PgConfig {
            database: Some(name.to_string()),
            ..self.clone()
        }
    }

    pub fn is_postgres_url(s: &str) -> bool {
        s.starts_with("postgres://") || s.starts_with("postgresql://")
    }
}

/// A statement prepared on the server, and whether it may write (anything but a `SELECT`).
#[derive(Clone)]
pub(crate) struct PgStatement {
    stmt: postgres::Statement,
    writes: bool,
}

impl PgStatement {
    pub(crate) fn columns(&self) -> &[postgres::Column] {
        self.stmt.columns()
    }
}

pub(crate) struct PgConn {
    config: postgres::Config,
    tls: postgres_native_tls::MakeTlsConnector,
    /// Sent with every committed write (`NOTIFY esep_books`), so this desktop's own listener
    /// can tell its writes from the others'.
    token: String,
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, PgStatement>>,
    in_tx: Cell<bool>,
    holds_lock: Cell<bool>,
    /// The server's id of the open writing transaction (`txid_current()`), to learn after a
    /// connection lost during its COMMIT whether it committed.
    xid: Cell<Option<i64>>,
    /// Writes that may be in the books: statements that may write sent outside a transaction
    /// (each commits by itself) and writing transactions committed. Counted so the command
    /// layer never runs again a command that may have written some of its work.
    written: Cell<u64>,
}

/// How long a COMMIT whose answer was lost with the connection is looked up on a new one
/// before the user is told it may or may not have been saved.
const SETTLE_FOR: Duration = Duration::from_secs(5);

/// The writers' advisory lock key ('esep' + 1): one per database (advisory locks are).
const WRITER_LOCK: i64 = 1_702_064_497;

/// The channel every committed write is announced on (one per database, as `NOTIFY` is).
pub const CHANGES_CHANNEL: &str = "esep_books";

/// Reads the address into the client's settings, with TLS as PostgreSQL's own clients do it:
/// `sslmode=prefer` (the default) encrypts when the server offers TLS, `require` insists,
/// `disable` never; neither checks the certificate (libpq's meaning of those words).
/// `verify-full` (and `verify-ca`) also check the server's certificate against the system's
/// trusted roots (and its name), through the OS's own TLS (SChannel on Windows, Secure
/// Transport on macOS, OpenSSL on Linux).
fn client_config(
    config: &PgConfig,
) -> Result<(postgres::Config, postgres_native_tls::MakeTlsConnector)> {
    let (url, verify) = split_verify(&config.url);
    let mut c: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| Error::Postgres(e))?;
    if verify != Verify::None {
        c.ssl_mode(postgres::config::SslMode::Require);
    }
    let mut b = native_tls::TlsConnector::builder();
    if verify == Verify::None {
        b.danger_accept_invalid_certs(true)
            .danger_accept_invalid_hostnames(true);
    } else if verify == Verify::Ca {
        b.danger_accept_invalid_hostnames(true);
    }
    let tls = b.build().map_err(|e| {
        eprintln!("esep: TLS cannot be set up: {e}");
        Error::Unsupported("TLS")
    })?;
    Ok((c, postgres_native_tls::MakeTlsConnector::new(tls)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    None,
    Ca,
    Full,
}

/// Takes `sslmode=verify-full`/`verify-ca` out of an address (the client library knows only
/// disable, prefer and require) and says which check it asked for.
fn split_verify(url: &str) -> (String, Verify) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), Verify::None);
    };
    let mut verify = Verify::None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| match *kv {
            "sslmode=verify-full" => {
                verify = Verify::Full;
                false
            }
            "sslmode=verify-ca" => {
                verify = Verify::Ca;
                false
            }
            _ => true,
        })
        .collect();
    if kept.is_empty() {
        (base.to_string(), verify)
    } else {
        (format!("{base}?{}", kept.join("&")), verify)
    }
}

/// TCP keepalives from this side: a server that vanished without closing the connection is
/// noticed in about two minutes instead of the system's two hours.
fn keep_alive(c: &mut postgres::Config) {
    c.keepalives(true)
        .keepalives_idle(std::time::Duration::from_secs(60))
        .keepalives_interval(std::time::Duration::from_secs(10))
        .keepalives_retries(6);
}

/// A token no other desktop has: the process, the moment, and std's per-process random keys.
fn fresh_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    format!("{:016x}", h.finish())
}

impl PgConn {
    pub(crate) fn connect(config: &PgConfig) -> Result<PgConn> {
        let (mut c, tls) = client_config(config)?;
        if let Some(p) = &config.password {
            c.password(p);
        }
        if let Some(d) = &config.database {
            c.dbname(d);
        }
        if c.get_application_name().is_none() {
            c.application_name("esep");
        }
        c.connect_timeout(std::time::Duration::from_secs(10));
        // A writer waits for another at most this long, then the user is told the books are busy.
        // A desktop that freezes mid-write (a laptop closed, the network cut) must not hold
        // the writers' lock for hours: the server ends a transaction left idle for 2 minutes
        // (a command's own pauses between statements are milliseconds) and notices a vanished
        // peer within about two minutes (TCP keepalives), which ends its session and frees the
        // lock.
        c.options(
            "-c lock_timeout=30s -c idle_in_transaction_session_timeout=120s \
             -c tcp_keepalives_idle=60 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=6",
        );
        keep_alive(&mut c);
        let client = c.connect(tls.clone())?;
        Ok(PgConn {
            config: c,
            tls,
            token: fresh_token(),
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_tx: Cell::new(false),
            holds_lock: Cell::new(false),
            xid: Cell::new(None),
            written: Cell::new(0),
        })
    }

    /// A connection the server closed (restarted, terminated) is opened again before the next
    /// statement outside a transaction; inside one, the transaction is lost: the statement
    /// fails, the caller's transaction rolls back, and the next command reconnects.
    fn ensure_open(&self) -> Result<()> {
        if !self.client.borrow().is_closed() {
            return Ok(());
        }
        if self.in_tx.get() {
            self.in_tx.set(false);
            return Err(Error::ConnectionLost);
        }
        self.reconnect()
    }

    /// A new session in place of the old one (closed or not: dropping it closes it).
    fn reconnect(&self) -> Result<()> {
        let client = self.config.connect(self.tls.clone())?;
        *self.client.borrow_mut() = client;
        self.statements.borrow_mut().clear();
        Ok(())
    }

    /// Writes that may be in the books so far (see `written`).
    pub(crate) fn written(&self) -> u64 {
        self.written.get()
    }

    fn sending(&self, writes: bool) {
        if writes && !self.in_tx.get() {
            self.wrote();
        }
    }

    fn wrote(&self) {
        self.written.set(self.written.get() + 1);
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        if !self.in_tx.get() {
            self.ensure_open()?;
        }
        self.sending(may_write(sql));
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<PgStatement> {
        if !self.in_tx.get() {
            self.ensure_open()?;
        }
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let translated = placeholders(sql);
        let stmt = PgStatement {
            stmt: self.client.borrow_mut().prepare(&translated)?,
            writes: may_write(sql),
        };
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn execute(&self, stmt: &PgStatement, values: &[ValueRef<'_>]) -> Result<usize> {
        let params: Vec<&(dyn PgToSql + Sync)> =
            values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        self.sending(stmt.writes);
        Ok(self.client.borrow_mut().execute(&stmt.stmt, &params)? as usize)
    }

    pub(crate) fn query(
        &self,
        stmt: &PgStatement,
        values: &[ValueRef<'_>],
    ) -> Result<Vec<postgres::Row>> {
        let params: Vec<&(dyn PgToSql + Sync)> =
            values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        self.sending(stmt.writes);
        Ok(self.client.borrow_mut().query(&stmt.stmt, &params)?)
    }

    /// A transaction that may write. Writers on one set of books go one at a time, as on
    /// SQLite (`BEGIN IMMEDIATE`): a session advisory lock taken *before* `BEGIN`, so the
    /// transaction's snapshot is taken once the previous writer has committed, and released
    /// after `COMMIT`/`ROLLBACK` (the server releases it too if the desktop disappears). The
    /// transaction is also SERIALIZABLE, so a writer that does not take the lock (an older
    /// client, a script) can never make the books inconsistent: one of the two is refused and
    /// the command layer runs it again. Reads never wait for the lock.
    ///
    /// The transaction's id is asked for with `BEGIN` (the same round trip): should the
    /// connection be lost while it commits, a new connection asks the server whether it did.
    pub(crate) fn begin(&self) -> Result<()> {
        self.ensure_open()?;
        self.client
            .borrow_mut()
            .batch_execute(&format!("SELECT pg_advisory_lock({WRITER_LOCK})"))?;
        let begun = self
            .client
            .borrow_mut()
            .simple_query("BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT txid_current()");
        let messages = match begun {
            Ok(m) => m,
            Err(e) => {
                if !self.client.borrow().is_closed() {
                    let _ = self.client.borrow_mut().batch_execute("ROLLBACK");
                }
                self.unlock();
                return Err(e.into());
            }
        };
        let xid = messages.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).and_then(|v| v.parse().ok()),
            _ => None,
        });
        self.xid.set(xid);
        self.in_tx.set(true);
        self.holds_lock.set(true);
        Ok(())
    }

    fn unlock(&self) {
        let _ = self
            .client
            .borrow_mut()
            .batch_execute(&format!("SELECT pg_advisory_unlock({WRITER_LOCK})"));
        self.holds_lock.set(false);
    }

    /// A read: one consistent snapshot, nothing written.
    pub(crate) fn begin_read(&self) -> Result<()> {
        self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        self.in_tx.set(true);
        Ok(())
    }

    pub(crate) fn end(&self, how: &str) -> Result<()> {
        if !self.in_tx.get() {
            return Ok(());
        }
        self.in_tx.set(false);
        let xid = self.xid.take();
        if self.client.borrow().is_closed() {
            // The server ended the connection before COMMIT was sent: the transaction (and the
            // lock) are gone, nothing of it was written.
            self.holds_lock.set(false);
            return if how == "ROLLBACK" {
                Ok(())
            } else {
                Err(Error::ConnectionLost)
            };
        }
        // A committed write is announced to the other desktops (delivered only if it commits).
        let done = if how == "COMMIT" && self.holds_lock.get() {
            self.client.borrow_mut().batch_execute(&format!(
                "SELECT pg_notify('{CHANGES_CHANNEL}', '{}'); COMMIT",
                self.token
            ))
        } else {
            self.client.borrow_mut().batch_execute(how)
        };
        if let Err(e) = &done {
            if how == "COMMIT" && self.holds_lock.get() && super::pg_unreachable(e) {
                // COMMIT was sent and its answer lost: it may have happened. Running the
                // command again could record a payment twice; saying nothing was saved could
                // make the user do it again. The server knows.
                self.holds_lock.set(false);
                return match xid {
                    Some(xid) => self.settle(xid).inspect(|_| self.wrote()),
                    None => Err(Error::OutcomeUnknown),
                };
            }
        }
        if self.holds_lock.get() {
            if how == "COMMIT" && done.is_ok() {
                self.wrote();
            }
            self.unlock();
        }
        Ok(done?)
    }

    /// What this connection's committed writes are announced with.
    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    /// Whether the connection is encrypted (TLS).
    pub(crate) fn is_encrypted(&self) -> Result<bool> {
        let row = self.client.borrow_mut().query_one(
            "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
            &[],
        )?;
        Ok(row.try_get(0)?)
    }

    /// Whether the transaction `xid`, whose COMMIT was sent when the connection was lost,
    /// committed: asked on a new connection (`txid_status`), again while the server is away or
    /// the old session has not ended yet, for at most [`SETTLE_FOR`]. Committed: `Ok` (the
    /// command's answer stands). Rolled back: [`Error::ConnectionLost`] (nothing written, the
    /// command may run again). Not known: [`Error::OutcomeUnknown`].
    fn settle(&self, xid: i64) -> Result<()> {
        let deadline = Instant::now() + SETTLE_FOR;
        let mut wait = Duration::from_millis(50);
        loop {
            if self.reconnect().is_ok() {
                let status = self
                    .client
                    .borrow_mut()
                    .query_one("SELECT txid_status($1)", &[&xid])
                    .and_then(|row| row.try_get::<_, Option<String>>(0));
                match status.ok().flatten().as_deref() {
                    Some("committed") => return Ok(()),
                    Some("aborted") => return Err(Error::ConnectionLost),
                    // In progress: the old session has not noticed yet that it is alone.
                    _ => {}
                }
            }
            if Instant::now() + wait > deadline {
                return Err(Error::OutcomeUnknown);
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_secs(1));
        }
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        !self.in_tx.get()
    }

    pub(crate) fn lastval(&self) -> Result<i64> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT lastval()", &[])?;
        Ok(row.try_get(0)?)
    }
}

/// Whether a statement may change something when it runs on its own (outside a transaction):
/// anything but a read or a transaction's start.
fn may_write(sql: &str) -> bool {
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    !["SELECT", "BEGIN", "SHOW", "VALUES"]
        .iter()
        .any(|k| first.eq_ignore_ascii_case(k))
}

/// `?1`, `?` → `$1`, outside quotes and comments.
pub(crate) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0u32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    next += 1;
                    out.push_str(&next.to_string());
                } else {
                    next = next.max(digits.parse().unwrap_or(0));
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// One column of a PostgreSQL row as one of SQLite's kinds.
pub(crate) fn cell(row: &postgres::Row, i: usize) -> Result<ValueRef<'_>> {
    let ty = row
        .columns()
        .get(i)
        .ok_or(Error::InvalidColumnName(format!("#{i}")))?
        .type_()
        .clone();
    let v = match ty {
        PgType::INT8 => row.try_get::<_, Option<i64>>(i)?.map(ValueRef::Integer),
        PgType::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| ValueRef::Integer(v.into())),
        PgType::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| ValueRef::Integer(v.into())),
        PgType::OID => row
            .try_get::<_, Option<u32>>(i)?
            .map(|v| ValueRef::Integer(v.into())),
        PgType::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|v| ValueRef::Integer(v.into())),
        PgType::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(ValueRef::Real),
        PgType::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map(|v| ValueRef::Real(v.into())),
        PgType::NUMERIC => match row.try_get::<_, Option<rust_decimal::Decimal>>(i)? {
            None => None,
            Some(d) => {
                use rust_decimal::prelude::ToPrimitive;
                let n = d.normalize();
                Some(if n.scale() == 0 {
                    n.to_i64().map(ValueRef::Integer).ok_or_else(|| {
                        Error::ToSqlConversionFailure(format!("{d} does not fit").into())
                    })?
                } else {
                    ValueRef::Real(n.to_f64().unwrap_or(f64::NAN))
                })
            }
        },
        PgType::BYTEA => row.try_get::<_, Option<&[u8]>>(i)?.map(ValueRef::Blob),
        _ => row.try_get::<_, Option<&str>>(i)?.map(ValueRef::Text),
    };
    Ok(v.unwrap_or(ValueRef::Null))
}

fn text_like(ty: &PgType) -> bool {
    matches!(
        *ty,
        PgType::TEXT | PgType::VARCHAR | PgType::BPCHAR | PgType::NAME | PgType::UNKNOWN
    )
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl PgToSql for ValueRef<'_> {
    fn to_sql(
        &self,
        ty: &PgType,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("a {self:?} cannot be bound as {ty}").into() };
        match *self {
            ValueRef::Null => Ok(IsNull::Yes),
            ValueRef::Integer(i) => match *ty {
                PgType::INT8 => i.to_sql(ty, out),
                PgType::INT4 => i32::try_from(i)?.to_sql(ty, out),
                PgType::INT2 => i16::try_from(i)?.to_sql(ty, out),
                PgType::BOOL => (i != 0).to_sql(ty, out),
                PgType::NUMERIC => rust_decimal::Decimal::from(i).to_sql(ty, out),
                PgType::FLOAT8 => (i as f64).to_sql(ty, out),
                _ if text_like(ty) => i.to_string().as_str().to_sql(&PgType::TEXT, out),
                _ => Err(mismatch()),
            },
            ValueRef::Real(r) => match *ty {
                PgType::FLOAT8 => r.to_sql(ty, out),
                PgType::FLOAT4 => (r as f32).to_sql(ty, out),
                PgType::NUMERIC => rust_decimal::Decimal::try_from(r)?.to_sql(ty, out),
                _ if text_like(ty) => r.to_string().as_str().to_sql(&PgType::TEXT, out),
                _ => Err(mismatch()),
            },
            ValueRef::Text(s) => match *ty {
                _ if text_like(ty) => s.to_sql(&PgType::TEXT, out),
                PgType::INT8 => s.trim().parse::<i64>()?.to_sql(ty, out),
                PgType::INT4 => s.trim().parse::<i32>()?.to_sql(ty, out),
                PgType::NUMERIC => s.trim().parse::<rust_decimal::Decimal>()?.to_sql(ty, out),
                PgType::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => Err(mismatch()),
            },
            ValueRef::Blob(b) => match *ty {
                PgType::BYTEA => b.to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_: &PgType) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::{may_write, placeholders};

    #[test]
    fn only_reads_and_a_transactions_start_are_taken_as_writing_nothing() {
        for sql in [
            "SELECT 1",
            "  select x FROM t",
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            "VALUES (1)",
        ] {
            assert!(!may_write(sql), "{sql}");
        }
        for sql in [
            "INSERT INTO t VALUES (1)",
            "UPDATE t SET a = 1",
            "DELETE FROM t",
            "WITH x AS (DELETE FROM t RETURNING 1) SELECT 1",
            "SELECTED",
            "",
        ] {
            assert!(may_write(sql), "{sql}");
        }
    }

    #[test]
    fn placeholders_are_renumbered_outside_quotes() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d = ?2 -- ?3\n AND e = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d = $2 -- ?3\n AND e = $3"
        );
        assert_eq!(placeholders("VALUES (?, ?)"), "VALUES ($1, $2)");
    }
}

/// Hears the other desktops' writes: its own connection, `LISTEN esep_books`.
pub struct Listener {
    client: postgres::Client,
}

impl Listener {
    pub fn connect(config: &PgConfig) -> Result<Listener> {
        let (mut c, tls) = client_config(config)?;
        if let Some(p) = &config.password {
            c.password(p);
        }
        if let Some(d) = &config.database {
            c.dbname(d);
        }
        c.application_name("esep listener");
        // A server gone without a word (cable, sleep) is noticed in about two minutes.
        keep_alive(&mut c);
        c.connect_timeout(std::time::Duration::from_secs(10));
        let mut client = c.connect(tls)?;
        client.batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))?;
        Ok(Listener { client })
    }

    /// Waits up to `timeout` for announcements; their tokens (empty when none came). An error
    /// means the connection is gone: connect again.
    pub fn wait(&mut self, timeout: std::time::Duration) -> Result<Vec<String>> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut out = Vec::new();
        let first = self.client.notifications().timeout_iter(timeout).next()?;
        if let Some(n) = first {
            out.push(n.payload().to_string());
            // And whatever else has already arrived, without waiting again.
            let mut notes = self.client.notifications();
            let mut rest = notes.iter();
            while let Some(n) = rest.next()? {
                out.push(n.payload().to_string());
            }
        }
        if self.client.is_closed() {
            return Err(Error::ConnectionLost);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tls_tests {
    use super::*;

    #[test]
    fn verify_modes_are_taken_out_of_the_address() {
        assert_eq!(
            split_verify("postgres://a@h/db?sslmode=verify-full"),
            ("postgres://a@h/db".to_string(), Verify::Full)
        );
        assert_eq!(
            split_verify("postgres://a@h/db?application_name=x&sslmode=verify-ca"),
            (
                "postgres://a@h/db?application_name=x".to_string(),
                Verify::Ca
            )
        );
        assert_eq!(
            split_verify("postgres://a@h/db?sslmode=require"),
            (
                "postgres://a@h/db?sslmode=require".to_string(),
                Verify::None
            )
        );
        assert_eq!(split_verify("postgres://h/db").1, Verify::None);
    }
}
