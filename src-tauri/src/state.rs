//! The app's state: the open database (behind a mutex), the writer lock, and why opening
//! failed if it did (shown by the UI instead of a crash).

use esep_core::db::Connection;
use esep_core::lock::WriterLock;
use esep_core::server::Role;
use esep_core::sql::PgConfig;
use esep_core::{api, db, Ctx, Error, ErrorPayload};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Shared between the invoke handler's worker threads.
#[derive(Clone, Default)]
pub struct AppState {
    inner: Arc<Mutex<Inner>>,
    /// A pinned calendar date (tests); otherwise `esep_core::today()` (`--today` or the local date).
    pinned_today: Option<esep_core::NaiveDate>,
    /// Told what happens on shared books elsewhere (the window's events; a recorder in tests).
    on_change: Arc<Mutex<Option<ChangeSink>>>,
}

/// What the listener of shared books reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BooksEvent {
    /// Another desktop committed a write.
    Changed,
    /// The server cannot be reached (`false`) or can again (`true`).
    Reachable(bool),
}

pub type ChangeSink = Arc<dyn Fn(BooksEvent) + Send + Sync>;

/// Shared books the app is connected to (never the password).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerInfo {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub role: Option<Role>,
    pub encrypted: bool,
    /// From `--books` (this launch only) rather than Settings.
    pub from_command_line: bool,
}

/// The result of the books check run in the background when the books open.
pub type Health = Arc<Mutex<Option<Result<Vec<esep_core::books::audit::Problem>, ErrorPayload>>>>;

#[derive(Default)]
struct Inner {
    health: Health,
    conn: Option<Connection>,
    _lock: Option<WriterLock>,
    data_dir: Option<PathBuf>,
    open_error: Option<ErrorPayload>,
    /// The user's own data directory while the sample shop is open in its `sample` folder.
    home: Option<PathBuf>,
    /// Shared books on a server: where, and who is signed in.
    server: Option<ServerInfo>,
    /// Stops the listener of the shared books that were open before.
    listener_stop: Option<Arc<AtomicBool>>,
}

impl Inner {
    /// Closes whatever books are open (their listener stops within a second).
    fn close(&mut self) {
        self.conn = None;
        self._lock = None;
        self.open_error = None;
        self.server = None;
        if let Some(stop) = self.listener_stop.take() {
            stop.store(true, Ordering::SeqCst);
        }
    }
}

/// The database file inside a data directory.
pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("esep.sqlite3")
}

impl AppState {
    /// Opens (creating on first run) the database in `dir`, taking the writer lock. A failure
    /// is remembered and reported to the UI by every command.
    pub fn open(&self, dir: &Path) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let sink = self.sink();
        open_into(&mut inner, dir, true, sink);
    }

    /// Where shared books' news goes (set once the window exists).
    pub fn set_on_change(&self, sink: ChangeSink) {
        *self.on_change.lock().unwrap_or_else(|p| p.into_inner()) = Some(sink);
    }

    fn sink(&self) -> Sink {
        Sink(self.on_change.clone())
    }

    /// Connects to shared books on a server (Settings → Shared books): on success they replace
    /// the books open now, the address is remembered in the data directory and, if asked, the
    /// password in the OS keychain; on failure nothing changes and the error names the field.
    pub fn connect_server(
        &self,
        url: &str,
        password: Option<String>,
        remember: bool,
    ) -> Result<ConnectOutcome, Error> {
        let config = PgConfig {
            url: url.to_string(),
            password: password.clone(),
            database: None,
        };
        // Tried before anything is closed: a wrong password leaves the books as they were.
        let (conn, info) = connect(&config, false)?;
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let dir = inner
            .home
            .clone()
            .or_else(|| inner.data_dir.clone())
            .ok_or_else(|| Error::Internal("no data directory".into()))?;
        crate::server_link::save(&dir, url)?;
        let kept = match (&password, remember) {
            (Some(p), true) => crate::server_link::keep_password(url, p),
            _ => {
                crate::server_link::forget_password(url);
                true
            }
        };
        set_books_override(None);
        inner.close();
        inner.home = None;
        inner.data_dir = Some(dir);
        let sink = self.sink();
        install_server(&mut inner, conn, info, config, sink);
        Ok(ConnectOutcome {
            password_kept: kept,
        })
    }

    /// Back to the books on this computer (the server's address and password are forgotten).
    pub fn disconnect_server(&self) -> Result<(), Error> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let dir = inner
            .home
            .clone()
            .or_else(|| inner.data_dir.clone())
            .ok_or_else(|| Error::Internal("no data directory".into()))?;
        if let Some(url) = crate::server_link::saved(&dir) {
            crate::server_link::forget_password(&url);
        }
        crate::server_link::remove(&dir)?;
        set_books_override(None);
        inner.close();
        inner.home = None;
        let sink = self.sink();
        open_into(&mut inner, &dir, false, sink);
        Ok(())
    }

    /// The shared books the app is connected to, if it is.
    pub fn server(&self) -> Option<ServerInfo> {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .server
            .clone()
    }

    /// The saved address of shared books that could not be opened (the window offers to try
    /// again with a password, or to go back to this computer's books).
    pub fn pending_server(&self) -> Option<String> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.server.is_some() || inner.open_error.is_none() {
            return None;
        }
        let dir = inner.home.clone().or_else(|| inner.data_dir.clone())?;
        server_url_for(&dir)
    }

    /// "Explore with a sample shop": closes the user's books and opens a freshly made sample
    /// shop in `<data dir>/sample` (its own file, its own lock; the user's books are not touched).
    pub fn open_sample(&self, lang: esep_core::i18n::Lang) -> Result<(), Error> {
        let today = self.today();
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let home = match inner.home.clone().or_else(|| inner.data_dir.clone()) {
            Some(h) => h,
            None => return Err(Error::Internal("no data directory".into())),
        };
        let dir = sample_dir(&home);
        inner.close();
        inner.home = Some(home.clone());
        let made = esep_core::files::private_dir(&dir)
            .map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))
            .and_then(|_| WriterLock::acquire(&db_path(&dir)))
            .and_then(|lock| {
                // Always a fresh sample: yesterday's exploring is thrown away.
                for suffix in ["", "-wal", "-shm"] {
                    let f = PathBuf::from(format!("{}{suffix}", db_path(&dir).display()));
                    if f.exists() {
                        std::fs::remove_file(&f).map_err(|e| {
                            Error::Internal(format!("cannot remove {}: {e}", f.display()))
                        })?;
                    }
                }
                let mut conn = db::open(&db_path(&dir))?;
                esep_core::books::sample::fill(&mut conn, today, lang)?;
                Ok((lock, conn))
            });
        match made {
            Ok((lock, conn)) => {
                inner._lock = Some(lock);
                inner.conn = Some(conn);
                inner.data_dir = Some(dir.clone());
                inner.health = start_check(&db_path(&dir));
                Ok(())
            }
            Err(e) => {
                // Back to the user's books, as if nothing happened.
                inner.home = None;
                let sink = self.sink();
                open_into(&mut inner, &home, false, sink);
                Err(e)
            }
        }
    }

    /// Leaves the sample shop and reopens the user's books.
    pub fn leave_sample(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(home) = inner.home.take() {
            inner.close();
            let sink = self.sink();
            open_into(&mut inner, &home, false, sink);
        }
    }

    /// Whether the sample shop is open.
    pub fn is_sample(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .home
            .is_some()
    }

    /// No books open yet, on a pinned date (tests that open books in a directory or on a server).
    pub fn pinned(today: esep_core::NaiveDate) -> Self {
        AppState {
            pinned_today: Some(today),
            ..AppState::default()
        }
    }

    /// Opens an in-memory database (tests).
    /// In-memory books on a pinned date (tests of the IPC path).
    pub fn in_memory(today: esep_core::NaiveDate) -> Self {
        let s = AppState {
            pinned_today: Some(today),
            ..AppState::default()
        };
        s.inner.lock().expect("fresh mutex").conn =
            Some(db::open_in_memory().expect("in-memory database"));
        s
    }

    /// The language of the books (the profile's), English before there is one: the menu's.
    pub fn books_language(&self) -> esep_core::i18n::Lang {
        self.with_ctx(|ctx| esep_core::books::profile::load(ctx.conn))
            .ok()
            .flatten()
            .map(|p| p.language)
            .unwrap_or(esep_core::i18n::Lang::En)
    }

    /// The date commands run on.
    pub fn today(&self) -> esep_core::NaiveDate {
        self.pinned_today.unwrap_or_else(esep_core::today)
    }

    pub fn data_dir(&self) -> Option<PathBuf> {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .data_dir
            .clone()
    }

    /// Runs one core command on the database.
    pub fn call(
        &self,
        name: &str,
        args: &serde_json::Value,
    ) -> Result<serde_json::Value, ErrorPayload> {
        if let Some(result) = api::call_stateless(name, args) {
            return result.map_err(|e| e.to_logged_payload(name));
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = &inner.open_error {
            return Err(e.clone());
        }
        let conn = inner
            .conn
            .as_mut()
            .ok_or_else(|| Error::Internal("database not open".into()).to_payload())?;
        let mut ctx = Ctx::new(conn, self.today());
        api::call(&mut ctx, name, args).map_err(|e| e.to_logged_payload(name))
    }

    /// Runs `f` with the open books (for work that is not a plain command, like rendering PDFs).
    pub fn with_ctx<T>(&self, f: impl FnOnce(&mut Ctx) -> Result<T, Error>) -> Result<T, Error> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = &inner.open_error {
            return Err(Error::Conflict {
                key: if e.message == "error.databaseInUse" {
                    "error.databaseInUse"
                } else {
                    "error.internal"
                },
                field: None,
            });
        }
        let conn = inner
            .conn
            .as_mut()
            .ok_or_else(|| Error::Internal("database not open".into()))?;
        let mut ctx = Ctx::new(conn, self.today());
        f(&mut ctx)
    }

    /// A verified backup now (`backup_now` command, "Back up now"), or daily on close.
    pub fn backup(&self, only_if_due: bool) -> Result<Option<PathBuf>, Error> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (Some(conn), Some(dir)) = (inner.conn.as_ref(), inner.data_dir.as_ref()) else {
            return Err(Error::Conflict {
                key: "error.backupFailed",
                field: None,
            });
        };
        if only_if_due && (inner.home.is_some() || inner.server.is_some()) {
            // The sample shop is thrown away, not backed up; shared books are backed up on
            // their server.
            return Ok(None);
        }
        if only_if_due {
            esep_core::backup::backup_if_due(conn, dir)
        } else {
            esep_core::backup::backup_now(conn, dir, esep_core::backup::KEEP).map(Some)
        }
    }

    /// Restores a listed backup by name, or the newest good one. Keeps a safety copy first.
    /// Works on open books and on books that could not be opened (a damaged file), but never
    /// while another Esep holds them.
    pub fn restore(&self, name: Option<&str>) -> Result<serde_json::Value, Error> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let dir = inner
            .data_dir
            .clone()
            .ok_or_else(|| Error::Internal("no data directory".into()))?;
        if inner.server.is_some() || server_url_for(&dir).is_some() {
            return Err(Error::Conflict {
                key: "error.backupOnServer",
                field: None,
            });
        }
        if inner
            .open_error
            .as_ref()
            .map(|e| e.message == "error.databaseInUse")
            .unwrap_or(false)
        {
            return Err(Error::Conflict {
                key: "error.databaseInUse",
                field: None,
            });
        }
        let from = match name {
            Some(n) => esep_core::backup::resolve(&dir, n)?,
            None => esep_core::backup::newest_good(&dir).ok_or(Error::Conflict {
                key: "error.noGoodBackup",
                field: None,
            })?,
        };
        // Open books are restored in place; if they are too damaged for that (the safety copy
        // cannot even be read), they are closed and replaced as a file, like books that never opened.
        let in_place = match inner.conn.as_mut() {
            Some(conn) => match esep_core::backup::restore_into(conn, &from, &dir) {
                Ok(safety) => Some(safety),
                Err(Error::Db(e)) => {
                    eprintln!("esep: restoring in place failed ({e}); replacing the file");
                    inner.conn = None;
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let safety = match in_place {
            Some(safety) => safety,
            None => {
                let safety = esep_core::backup::restore_file(&db_path(&dir), &from, &dir)?;
                let lock = match inner._lock.take() {
                    Some(l) => l,
                    None => WriterLock::acquire(&db_path(&dir))?,
                };
                inner.conn = Some(db::open(&db_path(&dir))?);
                inner._lock = Some(lock);
                inner.open_error = None;
                safety
            }
        };
        inner.health = start_check(&db_path(&dir));
        let file = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(serde_json::json!({"restored": file(&from), "safetyCopy": file(&safety)}))
    }

    /// Writes a verified copy of the books to `dest` ("Save a copy as…").
    pub fn save_copy(&self, dest: &Path) -> Result<(), Error> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let conn = inner.conn.as_ref().ok_or(Error::Conflict {
            key: "error.backupFailed",
            field: None,
        })?;
        esep_core::backup::backup_to(conn, dest)
    }

    /// The background books check: `None` while it runs.
    pub fn health(&self) -> Option<Result<Vec<esep_core::books::audit::Problem>, ErrorPayload>> {
        let health = self
            .inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .health
            .clone();
        let h = health.lock().unwrap_or_else(|p| p.into_inner()).clone();
        h
    }

    /// Why the database could not be opened, if it could not.
    pub fn open_error(&self) -> Option<ErrorPayload> {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .open_error
            .clone()
    }
}

/// Why the books could not be opened, for the app's own error screen: the user's local
/// window may show what went wrong inside (a path, a damaged file), which answers never carry.
fn open_failure(e: &Error) -> ErrorPayload {
    let mut p = e.to_logged_payload("open books");
    if p.detail.is_none() {
        p.detail = e.log_detail();
    }
    p
}

/// Where the sample shop lives.
pub fn sample_dir(home: &Path) -> PathBuf {
    home.join("sample")
}

/// The answer to connecting: whether the password could be kept in the keychain.
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectOutcome {
    pub password_kept: bool,
}

/// `--books postgres://…`: shared books for this launch only (Settings remembers an address).
static BOOKS_OVERRIDE: Mutex<Option<String>> = Mutex::new(None);

/// Sets (or with `None` drops) the `--books` address of this launch.
pub fn set_books_override(url: Option<String>) {
    *BOOKS_OVERRIDE.lock().unwrap_or_else(|p| p.into_inner()) = url;
}

fn books_override() -> Option<String> {
    BOOKS_OVERRIDE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .filter(|u| PgConfig::is_postgres_url(u))
}

/// The shared books to open for this data directory: `--books`, else the address saved by
/// Settings; `None` for the SQLite file.
fn server_url_for(dir: &Path) -> Option<String> {
    books_override().or_else(|| crate::server_link::saved(dir))
}

#[derive(Clone)]
struct Sink(Arc<Mutex<Option<ChangeSink>>>);

impl Sink {
    fn send(&self, e: BooksEvent) {
        let f = self.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(f) = f {
            f(e);
        }
    }
}

/// Connects, brings the schema up to date and finds who is signed in. A login with no role in
/// these books is refused here rather than at its first command.
fn connect(config: &PgConfig, from_command_line: bool) -> Result<(Connection, ServerInfo), Error> {
    let conn = db::open_postgres(config)?;
    let role = esep_core::server::role_of(&conn)?;
    if role.is_none() {
        return Err(Error::Conflict {
            key: "error.serverNoRole",
            field: Some("user".into()),
        });
    }
    let encrypted = conn.is_encrypted().unwrap_or(false);
    let (host, port, database, user) = crate::server_link::parts(&config.url);
    Ok((
        conn,
        ServerInfo {
            host,
            port,
            database,
            user,
            role,
            encrypted,
            from_command_line,
        },
    ))
}

/// Makes connected shared books the open ones: the background check and the listener start.
fn install_server(
    inner: &mut Inner,
    conn: Connection,
    info: ServerInfo,
    config: PgConfig,
    sink: Sink,
) {
    let stop = Arc::new(AtomicBool::new(false));
    start_listener(config.clone(), conn.change_token(), stop.clone(), sink);
    inner.health = start_server_check(config);
    inner.conn = Some(conn);
    inner.server = Some(info);
    inner.listener_stop = Some(stop);
}

/// Opens the shared books saved for `dir`: the password from the address, the keychain or
/// `ESEP_PASSWORD`. A failure is remembered like a damaged file's and the window offers to
/// try again (with a password) or to go back to this computer's books.
fn open_server_into(inner: &mut Inner, url: &str, sink: Sink) {
    let from_command_line = books_override().is_some_and(|u| u == url);
    let password = crate::server_link::password_for(url).or_else(|| {
        std::env::var("ESEP_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
    });
    let config = PgConfig {
        url: url.to_string(),
        password,
        database: None,
    };
    match connect(&config, from_command_line) {
        Ok((conn, info)) => install_server(inner, conn, info, config, sink),
        Err(e) => inner.open_error = Some(open_failure(&e)),
    }
}

/// The other desktops' writes, heard on a connection of its own (`LISTEN`): each one is
/// reported (at most one report per quarter second: a batch of writes is one refresh), its own
/// writes skipped; a lost server is reported once, and again when it is back.
fn start_listener(config: PgConfig, own: Option<String>, stop: Arc<AtomicBool>, sink: Sink) {
    use std::time::Duration;
    std::thread::spawn(move || {
        let mut reachable = true;
        while !stop.load(Ordering::SeqCst) {
            let mut listener = match esep_core::sql::Listener::connect(&config) {
                Ok(l) => l,
                Err(_) => {
                    if reachable {
                        reachable = false;
                        sink.send(BooksEvent::Reachable(false));
                    }
                    std::thread::sleep(Duration::from_secs(2));
                    continue;
                }
            };
            if !reachable {
                reachable = true;
                sink.send(BooksEvent::Reachable(true));
                // What happened while it was away.
                sink.send(BooksEvent::Changed);
            }
            while !stop.load(Ordering::SeqCst) {
                match listener.wait(Duration::from_millis(500)) {
                    Ok(tokens) => {
                        if tokens.iter().any(|t| Some(t) != own.as_ref()) {
                            sink.send(BooksEvent::Changed);
                            std::thread::sleep(Duration::from_millis(250));
                        }
                    }
                    Err(_) => {
                        reachable = false;
                        sink.send(BooksEvent::Reachable(false));
                        break;
                    }
                }
            }
        }
    });
}

/// check_books on a second connection to the server, in the background.
fn start_server_check(config: PgConfig) -> Health {
    let health: Health = Arc::new(Mutex::new(None));
    let out = health.clone();
    std::thread::spawn(move || {
        std::thread::sleep(BACKGROUND_AFTER);
        let result = esep_core::sql::Connection::connect_postgres(&config)
            .map_err(Error::from)
            .and_then(|c| esep_core::books::audit::check(&c))
            .map_err(|e| e.to_logged_payload("books check"));
        *out.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
    });
    health
}

/// Opens the books in `dir` into `inner` (the automatic backup only when the app starts):
/// the shared books saved for it, else its SQLite file.
fn open_into(inner: &mut Inner, dir: &Path, backup: bool, sink: Sink) {
    inner.data_dir = Some(dir.to_path_buf());
    if let Some(url) = server_url_for(dir) {
        open_server_into(inner, &url, sink);
        return;
    }
    let lock = esep_core::files::private_dir(dir)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))
        .and_then(|_| WriterLock::acquire(&db_path(dir)));
    let lock = match lock {
        Ok(l) => l,
        Err(e) => {
            inner.open_error = Some(open_failure(&e));
            return;
        }
    };
    match db::open(&db_path(dir)) {
        Ok(conn) => {
            // At most one automatic, verified backup a day (also on close).
            if backup {
                start_backup(&db_path(dir), dir);
            }
            inner.conn = Some(conn);
            inner._lock = Some(lock);
            inner.health = start_check(&db_path(dir));
        }
        Err(e) => {
            // Damaged books: keep the lock so a restore can replace them safely.
            inner._lock = Some(lock);
            inner.open_error = Some(open_failure(&e));
        }
    }
}

/// How long the background jobs of opening (books check, daily backup) wait, so the first
/// screen has the machine to itself: on a 100,000-invoice shop the check is 12 s of one core
/// and the backup copies 290 MB, and both slowed the first screen's queries threefold.
const BACKGROUND_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

/// The automatic daily backup when the app opens, from its own read-only connection in the
/// background: copying and verifying a large shop takes seconds (20 s for 100,000 invoices),
/// which must not delay the first screen.
fn start_backup(path: &Path, dir: &Path) {
    let (path, dir) = (path.to_path_buf(), dir.to_path_buf());
    std::thread::spawn(move || {
        std::thread::sleep(BACKGROUND_AFTER);
        let done = esep_core::db::open_read_only(&path)
            .and_then(|c| esep_core::backup::backup_if_due(&c, &dir));
        if let Err(e) = done {
            eprintln!("esep: automatic backup failed: {e}");
        }
    });
}

/// Runs check_books on a second, read-only connection (WAL lets it read while the app writes),
/// so opening a large shop never waits for it and no command is blocked by it.
fn start_check(path: &Path) -> Health {
    let health: Health = Arc::new(Mutex::new(None));
    let out = health.clone();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        std::thread::sleep(BACKGROUND_AFTER);
        let result = esep_core::db::open_read_only(&path)
            .and_then(|c| esep_core::books::audit::check(&c))
            .map_err(|e| e.to_logged_payload("books check"));
        *out.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
    });
    health
}
