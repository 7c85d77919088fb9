//! Throwaway PostgreSQL clusters for Esep's tests: a real server, started by `initdb` and
//! `pg_ctl` in a temporary directory on a free port of 127.0.0.1, and gone afterwards.
//!
//! ```no_run
//! let pg = esep_pgtest::Cluster::shared(); // one server for the whole test binary
//! let db = pg.fresh_database().unwrap(); // a database of this test's own
//! assert_eq!(pg.psql(&db, "SELECT 1").unwrap(), "1");
//! let url = pg.url(&db); // postgres://postgres@127.0.0.1:PORT/DB
//! # let _ = url;
//! ```
//!
//! * **Which PostgreSQL.** The directory in `ESEP_PG_BIN`, else `pg_config --bindir`, else the
//!   newest `/usr/lib/postgresql/*/bin` (Debian and Ubuntu keep the server off `PATH`), else the
//!   first directory on `PATH` with `initdb`. On Debian/Ubuntu: `apt-get install postgresql`.
//! * **As root** (CI) PostgreSQL refuses to run: `initdb` and `pg_ctl` then run as the
//!   `postgres` user through `runuser`, in a directory given to that user. Queries go through
//!   `psql` over TCP as the `postgres` superuser (`trust` authentication), so the client may be
//!   anyone.
//! * **For speed, not for safety.** `fsync`, `synchronous_commit` and `full_page_writes` are
//!   off: a crash of the *machine* may lose the cluster, which is thrown away anyway. A crash of
//!   the *server* (`restart`, `stop`) behaves as in production.
//! * **Nothing left behind.** Dropping a [`Cluster`] stops its server (`-m immediate`) and
//!   removes its directory. A watchdog (`sh`, in its own process group) does the same when the
//!   test process ends without dropping it — the [`Cluster::shared`] one, which lives in a
//!   `static`, or any cluster of a process that was killed: it waits on a pipe that only this
//!   process holds open, so it wakes however the process ends. (Unix only; on Windows a shared
//!   cluster outlives the test binary.)
//! * **Settings.** `TimeZone` is `UTC`, the encoding `UTF8`, the locale `C.UTF-8` (or `C`
//!   where the system has no `C.UTF-8`), so results do not depend on the machine.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

mod find;
pub use find::bin_dir;

/// The superuser every cluster is created with (`initdb -U`); it needs no password.
pub const SUPERUSER: &str = "postgres";

/// How many times a start is tried again when the free port chosen was taken meanwhile.
const PORT_ATTEMPTS: u32 = 5;

/// A running PostgreSQL server with its own data directory in a temporary directory.
pub struct Cluster {
    bin: PathBuf,
    root: PathBuf,
    data: PathBuf,
    log: PathBuf,
    port: u16,
    /// `Some("postgres")` when this process is root: the server programs run as that user.
    run_as: Option<String>,
    /// Stops the server and removes `root` when this process ends without dropping us.
    watchdog: Option<Child>,
    /// Declared last: removed after `Drop::drop` has stopped the server.
    _dir: tempfile::TempDir,
}

impl Cluster {
    /// Creates a cluster in a new temporary directory and starts its server on a free port of
    /// 127.0.0.1. Takes about a second (`initdb` is most of it).
    pub fn start() -> Result<Cluster, String> {
        let bin = bin_dir()?;
        let owner = if is_root() {
            Some(postgres_ids()?)
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("esep-pg-")
            .tempdir_in(temp_base(owner.is_some()))
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?;
        let root = dir.path().to_path_buf();
        #[cfg(unix)]
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&root, Some(uid), Some(gid)).map_err(|e| {
                format!(
                    "cannot give {} to the {SUPERUSER} user: {e}",
                    root.display()
                )
            })?;
        }
        let mut cluster = Cluster {
            bin,
            data: root.join("data"),
            log: root.join("postgres.log"),
            root,
            port: 0,
            run_as: owner.map(|_| SUPERUSER.to_string()),
            watchdog: None,
            _dir: dir,
        };
        // Before anything can be left behind: from here on a killed test process leaves nothing.
        cluster.watchdog = cluster.spawn_watchdog()?;
        cluster.initdb()?;
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(cluster.data.join("postgresql.conf"))
            .map_err(|e| format!("postgresql.conf: {e}"))?;
        writeln!(conf, "\ninclude 'esep-test.conf'").map_err(|e| e.to_string())?;
        for attempt in 1..=PORT_ATTEMPTS {
            let port = free_port()?;
            cluster.write_settings(port)?;
            let log_before = std::fs::metadata(&cluster.log).map_or(0, |m| m.len());
            match cluster.pg_ctl(&["start", "-w", "-t", "60", "-s", "-l"], Some(&cluster.log)) {
                Ok(_) => {
                    cluster.port = port;
                    return Ok(cluster);
                }
                Err(e) => {
                    let log = cluster.log_since(log_before);
                    let taken = log.contains("Address already in use")
                        || log.contains("could not create any TCP/IP sockets");
                    if !(taken && attempt < PORT_ATTEMPTS) {
                        return Err(format!("{e}\nserver log:\n{log}"));
                    }
                }
            }
        }
        unreachable!("the last attempt returns")
    }

    /// One cluster for the whole test process, started by the first caller. Its server is
    /// stopped and its directory removed by the watchdog when the process ends. Each test
    /// should work in a database of its own ([`Cluster::fresh_database`]).
    ///
    /// Panics with the reason (what to install, say) if the cluster cannot be started.
    pub fn shared() -> &'static Cluster {
        static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
        match SHARED.get_or_init(Cluster::start) {
            Ok(cluster) => cluster,
            Err(e) => panic!("esep-pgtest: cannot start the shared PostgreSQL cluster: {e}"),
        }
    }

    /// The server's TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres@127.0.0.1:PORT/DB` (no password: `trust` authentication).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{db}", self.port)
    }

    /// The data directory (`PGDATA`).
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The directory of the server programs used.
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// The server's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        self.log_since(0)
    }

    /// `CREATE DATABASE "name"`.
    pub fn create_database(&self, name: &str) -> Result<(), String> {
        self.psql(
            "postgres",
            &format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\"")),
        )
        .map(drop)
    }

    /// Creates a database with a name not used before in this process and returns the name.
    pub fn fresh_database(&self) -> Result<String, String> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.create_database(&name)?;
        Ok(name)
    }

    /// Runs SQL (one or more statements) in `db` through `psql` and returns what it printed:
    /// rows unaligned, fields separated by `|`, no headers, trailing newline removed. Stops at
    /// the first error and returns it. Statements run one by one, not in one transaction.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let psql = self
            .bin
            .join(format!("psql{}", std::env::consts::EXE_SUFFIX));
        let psql = if psql.exists() {
            psql.into_os_string()
        } else {
            OsString::from("psql")
        };
        let port = self.port.to_string();
        let mut child = Command::new(&psql)
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
            ])
            .args(["-p", &port, "-U", SUPERUSER, "-d", db, "-f", "-"])
            .env("PGCONNECT_TIMEOUT", "10")
            .env_remove("PGOPTIONS")
            .env_remove("PGSERVICE")
            .current_dir(&self.root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", Path::new(&psql).display()))?;
        // Written from another thread: a big input and a big output would block each other.
        let mut stdin = child.stdin.take().expect("piped");
        let sql = sql.to_string();
        let writer = std::thread::spawn(move || stdin.write_all(sql.as_bytes()));
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let _ = writer.join();
        if out.status.success() {
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            while text.ends_with('\n') {
                text.pop();
            }
            Ok(text)
        } else {
            Err(format!(
                "psql on {db} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// Turns TLS on, with a fresh self-signed certificate for `localhost` made by the `openssl`
    /// program (tests of encrypted connections; a client that checks certificates refuses it).
    /// Takes effect at once (a configuration reload); connections open before stay plain.
    pub fn enable_tls(&self) -> Result<(), String> {
        let as_owner = |program: &str| {
            let mut c = match &self.run_as {
                Some(user) => {
                    let mut c = Command::new("runuser");
                    c.args(["-u", user, "--", program]);
                    c
                }
                None => Command::new(program),
            };
            c.current_dir(&self.data);
            c
        };
        let mut req = as_owner("openssl");
        req.args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.crt",
            "-days",
            "3650",
            "-subj",
            "/CN=localhost",
        ]);
        run(req).map_err(|e| format!("openssl (install it: apt-get install openssl): {e}"))?;
        let mut chmod = as_owner("chmod");
        chmod.args(["600", "server.key"]);
        run(chmod)?;
        self.psql("postgres", "ALTER SYSTEM SET ssl = on")?;
        self.psql("postgres", "SELECT pg_reload_conf()")?;
        for _ in 0..100 {
            if self.psql("postgres", "SHOW ssl")? == "on" {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Err(format!("TLS did not come on:\n{}", self.log()))
    }

    /// Stops the server (`pg_ctl stop -m fast`); the data stays, [`Cluster::restart`] starts
    /// it again on the same port.
    pub fn stop(&self) -> Result<(), String> {
        self.pg_ctl(&["stop", "-w", "-t", "60", "-s", "-m", "fast"], None)
            .map(drop)
    }

    /// Restarts the server on the same port (`pg_ctl restart -m fast`); starts it if it was
    /// stopped. Connections open before are broken.
    pub fn restart(&self) -> Result<(), String> {
        self.pg_ctl(
            &["restart", "-w", "-t", "60", "-s", "-m", "fast", "-l"],
            Some(&self.log),
        )
        .map(drop)
    }

    /// A command running one of the server programs, as the `postgres` user when we are root.
    fn server_program(&self, program: &str) -> Command {
        let path = self
            .bin
            .join(format!("{program}{}", std::env::consts::EXE_SUFFIX));
        let mut c = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        };
        // A directory the `postgres` user may enter, and no terminal input.
        c.current_dir(&self.root).stdin(Stdio::null());
        c
    }

    fn pg_ctl(&self, args: &[&str], last: Option<&Path>) -> Result<Output, String> {
        let mut c = self.server_program("pg_ctl");
        c.arg("-D").arg(&self.data).args(args);
        if let Some(last) = last {
            c.arg(last);
        }
        run(c)
    }

    fn initdb(&self) -> Result<(), String> {
        let attempt = |locale: &str| {
            let mut c = self.server_program("initdb");
            c.arg("-D")
                .arg(&self.data)
                .args(["-A", "trust", "-U", SUPERUSER, "--no-sync", "-E", "UTF8"])
                .arg(format!("--locale={locale}"));
            run(c)
        };
        match attempt("C.UTF-8") {
            Ok(_) => Ok(()),
            Err(e) if e.contains("locale") => {
                // No C.UTF-8 on this system (older glibc, macOS): plain C.
                let _ = std::fs::remove_dir_all(&self.data);
                attempt("C").map(drop).map_err(|e2| format!("{e}\n{e2}"))
            }
            Err(e) => Err(e),
        }
    }

    /// The settings of this cluster, included at the end of `postgresql.conf`.
    fn write_settings(&self, port: u16) -> Result<(), String> {
        let socket_dir = self.root.to_string_lossy().replace('\'', "''");
        let settings = format!(
            "# esep-pgtest: a throwaway cluster for tests\n\
             listen_addresses = '127.0.0.1'\n\
             port = {port}\n\
             unix_socket_directories = '{socket_dir}'\n\
             max_connections = 100\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n\
             timezone = 'UTC'\n\
             log_timezone = 'UTC'\n\
             # Not /dev/shm, which is 64 MB in a default container: files in the data directory.\n\
             dynamic_shared_memory_type = mmap\n"
        );
        let path = self.data.join("esep-test.conf");
        std::fs::write(&path, settings).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn log_since(&self, offset: u64) -> String {
        let bytes = std::fs::read(&self.log).unwrap_or_default();
        let start = usize::try_from(offset).unwrap_or(0).min(bytes.len());
        String::from_utf8_lossy(&bytes[start..]).into_owned()
    }

    /// `sh` waiting on a pipe whose other end only this process holds (Rust opens pipes
    /// close-on-exec, so no other child inherits it): when the process ends, however it ends,
    /// the read returns and the watchdog stops the server and removes the directory. Its own
    /// process group, so a Ctrl-C on the test run does not kill it before it has done so.
    #[cfg(unix)]
    fn spawn_watchdog(&self) -> Result<Option<Child>, String> {
        use std::os::unix::process::CommandExt;
        let mut stop: Vec<OsString> = Vec::new();
        if let Some(user) = &self.run_as {
            stop.extend(["runuser", "-u", user, "--"].map(OsString::from));
        }
        stop.push(self.bin.join("pg_ctl").into());
        stop.extend(["-D".into(), self.data.clone().into()]);
        stop.extend(["stop", "-m", "immediate", "-s"].map(OsString::from));
        Command::new("sh")
            .arg("-c")
            .arg(r#"read line; dir=$1; shift; "$@" >/dev/null 2>&1; rm -rf "$dir""#)
            .arg("esep-pgtest-watchdog")
            .arg(&self.root)
            .args(stop)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map(Some)
            .map_err(|e| format!("cannot start the watchdog (sh): {e}"))
    }

    #[cfg(not(unix))]
    fn spawn_watchdog(&self) -> Result<Option<Child>, String> {
        Ok(None)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "-w", "-t", "60", "-s", "-m", "immediate"], None);
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        // `_dir` removes the directory next.
    }
}

fn run(mut c: Command) -> Result<Output, String> {
    let shown = format!("{c:?}");
    let out = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{shown}: {e}"))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// Whether this process runs as root (effective uid 0), without libc: `/proc`, else `id -u`.
fn is_root() -> bool {
    if !cfg!(unix) {
        return false;
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(uids) = status.lines().find_map(|l| l.strip_prefix("Uid:")) {
            // real, effective, saved, filesystem
            return uids.split_whitespace().nth(1) == Some("0");
        }
    }
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The uid and gid of the `postgres` user, who runs the server when we are root.
fn postgres_ids() -> Result<(u32, u32), String> {
    let id = |flag: &str| {
        Command::new("id")
            .args([flag, SUPERUSER])
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<u32>()
                    .ok()
            })
    };
    let ids = id("-u").zip(id("-g")).ok_or_else(|| {
        format!(
            "running as root: PostgreSQL refuses to run as root, and there is no `{SUPERUSER}` \
             user to run it as. Install the server (`apt-get install postgresql` creates the \
             user), or create one: `useradd --system --user-group --home-dir \
             /var/lib/postgresql {SUPERUSER}`; or run the tests as another user."
        )
    })?;
    let runuser = Command::new("runuser")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if runuser.is_err() {
        return Err(format!(
            "running as root: PostgreSQL must run as `{SUPERUSER}`, through `runuser`, which is \
             missing: install util-linux"
        ));
    }
    Ok(ids)
}

/// Where the cluster's directory goes: the temporary directory, unless the `postgres` user
/// could not reach it (a `TMPDIR` under /root, say) or its socket path would be too long for a
/// Unix socket (about 100 bytes); then /tmp.
fn temp_base(for_postgres_user: bool) -> PathBuf {
    let base = std::env::temp_dir();
    if !cfg!(unix) {
        return base;
    }
    let too_long = base.as_os_str().len() > 60;
    if too_long || (for_postgres_user && !all_may_enter(&base)) {
        PathBuf::from("/tmp")
    } else {
        base
    }
}

/// Whether every user may enter `dir` and each directory above it.
#[cfg(unix)]
fn all_may_enter(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    dir.ancestors()
        .all(|d| std::fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

#[cfg(not(unix))]
fn all_may_enter(_: &Path) -> bool {
    true
}
