//! Faults on shared books (#23), against real throwaway PostgreSQL clusters (`esep-pgtest`):
//! desktops killed in the middle of a write, sessions terminated by the server, the server
//! restarted and stopped, and COMMITs whose answer never arrives (a proxy that cuts the line).
//!
//! What must hold after each: every acknowledged write is there with its number, a write
//! reported as not saved (`error.serverUnreachable`) is not, nothing is there twice, every
//! series is gapless, the trial balance is zero, `check_books` is clean, the writers' lock is
//! not left held, and the same `Connection` works again by itself. The tests that restart or
//! terminate things run on a cluster of their own; the others share this binary's cluster.
//!
//! Waits are bounded generously (a loaded machine); nothing is timed.
//! `ESEP_FAULT_KILLS` changes how many desktops are killed (default 6 pairs).

mod common;

use common::{assert_acknowledged, assert_gapless, d, open_server as open};
use esep_core::books::audit;
use esep_core::sql::{Connection, OptionalExtension};
use esep_core::{api, Ctx};
use esep_pgtest::Cluster;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-12-01";
/// The writers' session lock (`sql::pg::WRITER_LOCK`): classid 0, objid this, on the server.
const WRITER_LOCK: i64 = 1_702_064_497;
/// The longest any wait here lasts before the test gives up (a loaded 2-core machine).
const PATIENCE: Duration = Duration::from_secs(90);

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn call(conn: &mut Connection, cmd: &str, args: Value) -> esep_core::Result<Value> {
    let mut ctx = Ctx::new(conn, d(TODAY));
    api::call(&mut ctx, cmd, &args)
}

/// New books: a profile and `customers` customers (ids 1..).
fn shop(url: &str, customers: usize) {
    let mut conn = open(url);
    call(
        &mut conn,
        "save_profile",
        json!({"name": "Алма Сервис", "currency": "KZT", "language": "ru", "defaultTermsId": 5}),
    )
    .unwrap();
    for c in 0..customers {
        call(
            &mut conn,
            "create_customer",
            json!({"name": format!("Клиент {c}"), "address": "Абая 1\nАлматы"}),
        )
        .unwrap();
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < PATIENCE, "gave up waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Nothing half-written: `check_books` clean, every series gapless, the trial balance zero.
fn assert_consistent(conn: &Connection, when: &str) {
    let problems = audit::check(conn).unwrap();
    assert!(problems.is_empty(), "{when}: check_books: {problems:?}");
    assert_gapless(conn, "invoices");
    assert_gapless(conn, "credit_notes");
    let unbalanced: Option<(String, i64)> = conn
        .query_row(
            "SELECT currency, SUM(amount_minor) FROM postings GROUP BY currency HAVING SUM(amount_minor) <> 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .unwrap();
    assert_eq!(unbalanced, None, "{when}: the trial balance is not zero");
}

/// Sessions of the app (`application_name = 'esep'`) on `db`.
fn app_sessions(cluster: &Cluster, db: &str) -> i64 {
    cluster
        .psql(
            "postgres",
            &format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'esep' AND datname = '{db}'"),
        )
        .unwrap()
        .parse()
        .unwrap()
}

/// Whether anyone holds the writers' lock on `db`.
fn writer_lock_held(cluster: &Cluster, db: &str) -> bool {
    cluster
        .psql(
            "postgres",
            &format!(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                 WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = {WRITER_LOCK}
                   AND l.granted AND d.datname = '{db}'"
            ),
        )
        .unwrap()
        != "0"
}

// ---------------------------------------------------------------------------------------------
// A desktop killed (SIGKILL) while it writes.

/// `esep-cli stress` on the shared books, its acknowledgements (`ack {json}` after each
/// commit) arriving on a channel.
struct Desktop {
    child: Child,
    acks: mpsc::Receiver<Value>,
    seen: Vec<Value>,
}

impl Desktop {
    fn start(url: &str, seed: u64, day: &str) -> Desktop {
        let mut child = Command::new(env!("CARGO_BIN_EXE_esep-cli"))
            .args(["--db", url, "stress", &seed.to_string(), day])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start esep-cli stress");
        let stdout = child.stdout.take().unwrap();
        let (tx, acks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut buf = Vec::new();
            // A line cut by the kill (no newline) does not count.
            while matches!(r.read_until(b'\n', &mut buf), Ok(n) if n > 0) && buf.ends_with(b"\n") {
                let line = String::from_utf8_lossy(&buf).into_owned();
                if let Some(ack) = line.trim_end().strip_prefix("ack ") {
                    let _ = tx.send(serde_json::from_str(ack).expect("whole JSON acks"));
                }
                buf.clear();
            }
        });
        Desktop {
            child,
            acks,
            seen: Vec::new(),
        }
    }

    /// Waits until the desktop has acknowledged `n` more writes.
    fn wait_for_acks(&mut self, n: usize, who: &str) {
        let want = self.seen.len() + n;
        let started = Instant::now();
        while self.seen.len() < want {
            match self.acks.recv_timeout(Duration::from_millis(200)) {
                Ok(a) => self.seen.push(a),
                Err(_) => {
                    if let Some(status) = self.child.try_wait().unwrap() {
                        let mut err = String::new();
                        let _ = self.child.stderr.take().unwrap().read_to_string(&mut err);
                        panic!("{who} stopped by itself ({status}): {err}");
                    }
                    assert!(
                        started.elapsed() < PATIENCE,
                        "{who} wrote nothing more for {PATIENCE:?}: is the writers' lock left held?"
                    );
                }
            }
        }
    }

    /// SIGKILL; returns every acknowledgement it printed.
    fn kill(mut self) -> Vec<Value> {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
        self.seen.extend(self.acks.iter());
        self.seen
    }
}

#[test]
fn a_desktop_killed_mid_write_leaves_nothing_half_written_and_the_lock_free() {
    let pairs = env_num("ESEP_FAULT_KILLS", 6);
    let cluster = Cluster::shared();
    let dbname = cluster.fresh_database().unwrap();
    let url = cluster.url(&dbname);
    shop(&url, 3);
    let mut rng = 20261201u64;
    let mut rnd = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    // The server logs each session that ended inside a transaction.
    let mid_transaction = || {
        cluster
            .log()
            .matches("unexpected EOF on client connection with an open transaction")
            .count()
    };
    let before = mid_transaction();
    let mut acked = Vec::new();
    for pair in 0..pairs {
        let day = d("2026-01-05") + chrono::Duration::days(pair as i64 * 20);
        // Two desktops writing at once: one killed while the other may be waiting for the
        // writers' lock it holds, which then must write on; then the other killed too.
        let mut a = Desktop::start(&url, 2 * pair + 1, &day.to_string());
        let mut b = Desktop::start(&url, 2 * pair + 2, &day.to_string());
        a.wait_for_acks(1 + rnd(12) as usize, "desktop A");
        b.wait_for_acks(1, "desktop B");
        std::thread::sleep(Duration::from_millis(rnd(25)));
        acked.extend(a.kill());
        b.wait_for_acks(2 + rnd(8) as usize, "desktop B after A was killed");
        std::thread::sleep(Duration::from_millis(rnd(25)));
        acked.extend(b.kill());

        // The server notices the dead sessions and releases what they held.
        wait_until("the killed desktops' sessions end", || {
            app_sessions(cluster, &dbname) == 0
        });
        assert!(
            !writer_lock_held(cluster, &dbname),
            "pair {pair}: the writers' lock is left held"
        );
        let mut conn = open(&url);
        assert_acknowledged(&conn, &acked);
        assert_consistent(&conn, &format!("after killing pair {pair}"));
        // Another desktop writes at once (a lock left held would make it wait 30 s, then fail).
        call(
            &mut conn,
            "record_payment",
            json!({"customerId": 1, "amount": "1", "date": day.to_string()}),
        )
        .unwrap();
    }
    let killed_in_transaction = mid_transaction() - before;
    println!(
        "{} desktops killed, {killed_in_transaction} of them inside a transaction; {} acknowledged writes all present",
        2 * pairs,
        acked.len()
    );
    assert!(
        killed_in_transaction > 0,
        "no kill landed inside a transaction: the test tested nothing"
    );
}

// ---------------------------------------------------------------------------------------------
// Several desktops writing while the server terminates their sessions, or restarts.

#[derive(Default)]
struct Tally {
    /// (invoice id, number) of every acknowledged issue.
    issued: Vec<(i64, String)>,
    /// Draft ids whose issue was reported as not saved.
    not_issued: Vec<i64>,
    /// Payment references: acknowledged, reported not saved, reported as maybe saved.
    paid: Vec<String>,
    not_paid: Vec<String>,
    maybe: usize,
    unreachable: usize,
}

enum Outcome {
    Saved(Value),
    NotSaved,
    Maybe,
}

/// A failed command on shared books must be one of the two answers the window shows for a
/// server that went away; anything else fails the test.
fn outcome(r: esep_core::Result<Value>, what: &str) -> Outcome {
    match r {
        Ok(v) => Outcome::Saved(v),
        Err(e) => {
            assert_eq!(e.code(), "unavailable", "{what}: {e:?}");
            match e.message_key() {
                "error.serverUnreachable" => Outcome::NotSaved,
                "error.serverLostWhileSaving" => Outcome::Maybe,
                k => panic!("{what}: unexpected message {k} ({e:?})"),
            }
        }
    }
}

/// Desktop `w` (customer `w + 1`): `ops` writes, issues and payments in turn, each payment
/// marked by its reference. Returns its connection, for one more command afterwards.
fn writer(mut conn: Connection, w: usize, ops: usize) -> (Connection, Tally) {
    let mut t = Tally::default();
    let customer = w as i64 + 1;
    for i in 0..ops {
        if i % 2 == 0 {
            let draft = match outcome(
                call(
                    &mut conn,
                    "create_invoice",
                    json!({"customerId": customer, "termsId": 1, "lines": [{"description": format!("w{w} op{i}"), "quantity": "1", "unitPrice": "1000", "taxRate": "12"}]}),
                ),
                "create_invoice",
            ) {
                Outcome::Saved(v) => v["id"].as_i64().unwrap(),
                Outcome::NotSaved => {
                    t.unreachable += 1;
                    continue;
                }
                Outcome::Maybe => {
                    t.maybe += 1;
                    continue;
                }
            };
            match outcome(
                call(
                    &mut conn,
                    "issue_invoice",
                    json!({"id": draft, "issueDate": "2026-11-01"}),
                ),
                "issue_invoice",
            ) {
                Outcome::Saved(v) => t
                    .issued
                    .push((draft, v["number"].as_str().unwrap().to_string())),
                Outcome::NotSaved => {
                    t.unreachable += 1;
                    t.not_issued.push(draft)
                }
                Outcome::Maybe => t.maybe += 1,
            }
        } else {
            let reference = format!("w{w}-op{i}");
            match outcome(
                call(
                    &mut conn,
                    "record_payment",
                    json!({"customerId": customer, "amount": "150", "date": "2026-11-20", "reference": reference}),
                ),
                "record_payment",
            ) {
                Outcome::Saved(_) => t.paid.push(reference),
                Outcome::NotSaved => {
                    t.unreachable += 1;
                    t.not_paid.push(reference)
                }
                Outcome::Maybe => t.maybe += 1,
            }
        }
    }
    (conn, t)
}

/// `writers` desktops write `ops` times each while `fault` strikes the server again and again
/// (every 15–75 ms); then each desktop's connection writes once more, on its own, and the books
/// are checked.
fn under_fire(
    cluster: &Cluster,
    writers: usize,
    ops: usize,
    mut fault: impl FnMut(&Cluster, &str) -> usize,
) -> (Tally, usize) {
    let dbname = cluster.fresh_database().unwrap();
    let url = cluster.url(&dbname);
    shop(&url, writers);
    // The desktops have the books open when the storm begins (opening is not retried: a
    // desktop whose session ends while it opens the books is told the server is unreachable).
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let conn = open(&url);
            std::thread::spawn(move || writer(conn, w, ops))
        })
        .collect();
    let mut rng = 77u64;
    let mut struck = 0;
    while handles.iter().any(|h| !h.is_finished()) {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(15 + (rng >> 33) % 60));
        struck += fault(cluster, &dbname);
    }
    let mut total = Tally::default();
    for (w, h) in handles.into_iter().enumerate() {
        let (mut conn, t) = h.join().expect("a desktop panicked");
        // The same connection, after the storm: it connects again by itself if it must.
        call(
            &mut conn,
            "record_payment",
            json!({"customerId": w as i64 + 1, "amount": "1", "date": "2026-11-21"}),
        )
        .unwrap_or_else(|e| panic!("desktop {w} after the storm: {e:?}"));
        total.issued.extend(t.issued);
        total.not_issued.extend(t.not_issued);
        total.paid.extend(t.paid);
        total.not_paid.extend(t.not_paid);
        total.maybe += t.maybe;
        total.unreachable += t.unreachable;
    }
    let conn = open(&url);
    for (id, number) in &total.issued {
        let found: (Option<String>, Option<i64>) = conn
            .query_row(
                "SELECT number, seq FROM invoices WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            found.0.as_deref(),
            Some(number.as_str()),
            "acknowledged invoice {id}"
        );
        assert!(found.1.is_some(), "acknowledged invoice {id} is issued");
    }
    for id in &total.not_issued {
        let seq: Option<i64> = conn
            .query_row("SELECT seq FROM invoices WHERE id = ?1", [id], |r| r.get(0))
            .unwrap();
        assert_eq!(seq, None, "invoice {id} reported not issued was issued");
    }
    let payments = |reference: &str| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM payments WHERE reference = ?1",
            [reference],
            |r| r.get(0),
        )
        .unwrap()
    };
    for r in &total.paid {
        assert_eq!(payments(r), 1, "acknowledged payment {r}: once");
    }
    for r in &total.not_paid {
        assert_eq!(payments(r), 0, "payment {r} reported not saved");
    }
    let twice: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (SELECT reference FROM payments WHERE reference <> '' GROUP BY reference HAVING COUNT(*) > 1) AS t",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(twice, 0, "a payment recorded twice");
    assert_consistent(&conn, "after the storm");
    drop(conn);
    wait_until("the desktops' sessions end", || {
        app_sessions(cluster, &dbname) == 0
    });
    assert!(!writer_lock_held(cluster, &dbname));
    (total, struck)
}

#[test]
fn sessions_terminated_by_the_server_lose_no_acknowledged_write() {
    let cluster = Cluster::start().unwrap();
    let (t, terminated) = under_fire(&cluster, 4, 60, |cluster, db| {
        cluster
            .psql(
                "postgres",
                &format!(
                    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE application_name = 'esep' AND datname = '{db}') AS t"
                ),
            )
            .unwrap()
            .parse::<usize>()
            .unwrap()
    });
    println!(
        "{terminated} sessions terminated: {} issues and {} payments acknowledged, {} commands reported not saved, {} maybe saved",
        t.issued.len(),
        t.paid.len(),
        t.unreachable,
        t.maybe
    );
    assert!(
        terminated > 0,
        "nothing was terminated: the test tested nothing"
    );
    assert!(!t.issued.is_empty() && !t.paid.is_empty());
}

#[test]
fn a_server_restarted_while_desktops_write_loses_no_acknowledged_write() {
    let cluster = Cluster::start().unwrap();
    let mut strikes = 0;
    let (t, restarts) = under_fire(&cluster, 3, 40, |cluster, _| {
        // Every few strikes: a restart takes a while, the desktops write in between.
        strikes += 1;
        if strikes % 6 == 0 {
            cluster.restart().unwrap();
            1
        } else {
            0
        }
    });
    println!(
        "{restarts} restarts: {} issues and {} payments acknowledged, {} commands reported not saved, {} maybe saved",
        t.issued.len(),
        t.paid.len(),
        t.unreachable,
        t.maybe
    );
    assert!(restarts > 0, "the server was never restarted");
}

#[test]
fn a_stopped_server_is_reported_and_the_same_connection_works_once_it_is_back() {
    let cluster = Cluster::start().unwrap();
    let dbname = cluster.fresh_database().unwrap();
    let url = cluster.url(&dbname);
    shop(&url, 1);
    let mut conn = open(&url);
    let pay = |conn: &mut Connection, reference: &str| {
        call(
            conn,
            "record_payment",
            json!({"customerId": 1, "amount": "10", "date": "2026-11-20", "reference": reference}),
        )
    };
    pay(&mut conn, "before").unwrap();
    cluster.stop().unwrap();
    for (cmd, r) in [
        ("a write", pay(&mut conn, "while stopped")),
        ("a read", call(&mut conn, "list_invoices", json!({}))),
        ("a write again", pay(&mut conn, "while stopped")),
    ] {
        let e = r.expect_err(cmd);
        assert_eq!(
            (e.code(), e.message_key()),
            ("unavailable", "error.serverUnreachable"),
            "{cmd} on a stopped server: {e:?}"
        );
        assert!(e.log_detail().is_some());
    }
    cluster.restart().unwrap();
    // The same connection, not opened again.
    let listed = call(&mut conn, "list_invoices", json!({})).unwrap();
    assert!(listed.is_object());
    pay(&mut conn, "after").unwrap();
    let references: Vec<String> = conn
        .prepare("SELECT reference FROM payments ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        references,
        ["before", "after"],
        "nothing written while stopped"
    );
    assert_consistent(&conn, "after the stop");
}

// ---------------------------------------------------------------------------------------------
// The line cut during COMMIT: a proxy between the desktop and the server.

const PASS: u8 = 0;
/// Forward the next COMMIT, then cut the line before its answer comes back.
const LOSE_ANSWER: u8 = 1;
/// Cut the line instead of forwarding the next COMMIT.
const LOSE_COMMIT: u8 = 2;

/// A TCP proxy to the server that cuts one session at its next COMMIT, as told.
struct Proxy {
    port: u16,
    mode: Arc<AtomicU8>,
    /// New sessions are refused (the server unreachable) while set.
    refuse: Arc<AtomicBool>,
    /// Refuse from the moment a line is cut.
    refuse_after_cut: Arc<AtomicBool>,
    cuts: Arc<AtomicUsize>,
}

/// Cuts both sides of a proxied session.
fn cutter(client: &TcpStream, server: &TcpStream) -> impl FnOnce() + Send + 'static {
    let (c, s) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    move || {
        let _ = c.shutdown(Shutdown::Both);
        let _ = s.shutdown(Shutdown::Both);
    }
}

impl Proxy {
    fn start(server_port: u16) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let proxy = Proxy {
            port: listener.local_addr().unwrap().port(),
            mode: Arc::new(AtomicU8::new(PASS)),
            refuse: Arc::new(AtomicBool::new(false)),
            refuse_after_cut: Arc::new(AtomicBool::new(false)),
            cuts: Arc::new(AtomicUsize::new(0)),
        };
        let (mode, refuse, refuse_after_cut, cuts) = (
            proxy.mode.clone(),
            proxy.refuse.clone(),
            proxy.refuse_after_cut.clone(),
            proxy.cuts.clone(),
        );
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if refuse.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let server = TcpStream::connect(("127.0.0.1", server_port)).unwrap();
                let answer_lost = Arc::new(AtomicBool::new(false));
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (cut, cut2) = (cutter(&client, &server), cutter(&client, &server));
                let (mode, refuse, refuse_after_cut, cuts, lost) = (
                    mode.clone(),
                    refuse.clone(),
                    refuse_after_cut.clone(),
                    cuts.clone(),
                    answer_lost.clone(),
                );
                // Desktop → server: a COMMIT ends a simple query ('Q', its length, the text, a
                // nul), alone or after the write's announcement (`SELECT pg_notify(…); COMMIT`).
                std::thread::spawn(move || {
                    let (mut from, mut to) = (client, server);
                    let commit = b"COMMIT\0";
                    let mut buf = [0u8; 16384];
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        let chunk = &buf[..n];
                        if chunk.windows(commit.len()).any(|w| w == commit) {
                            let m = mode.swap(PASS, Ordering::SeqCst);
                            if m != PASS {
                                cuts.fetch_add(1, Ordering::SeqCst);
                                if refuse_after_cut.load(Ordering::SeqCst) {
                                    refuse.store(true, Ordering::SeqCst);
                                }
                            }
                            if m == LOSE_COMMIT {
                                break; // not forwarded: cut below
                            }
                            if m == LOSE_ANSWER {
                                lost.store(true, Ordering::SeqCst);
                            }
                        }
                        if to.write_all(chunk).is_err() {
                            break;
                        }
                    }
                    cut();
                });
                // Server → desktop.
                std::thread::spawn(move || {
                    let (mut from, mut to) = (s2, c2);
                    let mut buf = [0u8; 16384];
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 || answer_lost.load(Ordering::SeqCst) {
                            break;
                        }
                        if to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    cut2();
                });
            }
        });
        proxy
    }

    fn arm(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }
}

#[test]
fn a_commit_whose_answer_is_lost_is_looked_up_and_never_run_twice() {
    let cluster = Cluster::shared();
    let dbname = cluster.fresh_database().unwrap();
    shop(&cluster.url(&dbname), 1);
    let proxy = Proxy::start(cluster.port());
    let url = format!("postgres://postgres@127.0.0.1:{}/{dbname}", proxy.port);
    let mut conn = open(&url);
    let count = |reference: &str| -> i64 {
        open(&cluster.url(&dbname))
            .query_row(
                "SELECT COUNT(*) FROM payments WHERE reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .unwrap()
    };
    let pay = |conn: &mut Connection, reference: &str| {
        call(
            conn,
            "record_payment",
            json!({"customerId": 1, "amount": "10", "date": "2026-11-20", "reference": reference}),
        )
    };

    // Committed, the answer lost: the server says it committed; the answer stands, once.
    let draft = call(
        &mut conn,
        "create_invoice",
        json!({"customerId": 1, "termsId": 1, "lines": [{"description": "Работа", "unitPrice": "500"}]}),
    )
    .unwrap();
    proxy.arm(LOSE_ANSWER);
    let issued = call(
        &mut conn,
        "issue_invoice",
        json!({"id": draft["id"], "issueDate": "2026-11-01"}),
    )
    .expect("the issue committed: its answer stands");
    assert_eq!(proxy.cuts.load(Ordering::SeqCst), 1, "the line was cut");
    assert!(issued["number"].is_string(), "{issued}");
    proxy.arm(LOSE_ANSWER);
    pay(&mut conn, "answer lost").expect("committed");
    assert_eq!(proxy.cuts.load(Ordering::SeqCst), 2);
    assert_eq!(count("answer lost"), 1, "recorded once");

    // The COMMIT never arrived: rolled back, so run again on a new connection, once.
    proxy.arm(LOSE_COMMIT);
    pay(&mut conn, "commit lost").expect("run again after the rollback");
    assert_eq!(proxy.cuts.load(Ordering::SeqCst), 3);
    assert_eq!(count("commit lost"), 1, "recorded once");

    // The answer lost and the server unreachable since: the user is told it may have been
    // saved (it was), and it is not run again.
    proxy.refuse_after_cut.store(true, Ordering::SeqCst);
    proxy.arm(LOSE_ANSWER);
    let e = pay(&mut conn, "maybe").expect_err("the outcome cannot be known");
    assert_eq!(
        (e.code(), e.message_key()),
        ("unavailable", "error.serverLostWhileSaving"),
        "{e:?}"
    );
    proxy.refuse_after_cut.store(false, Ordering::SeqCst);
    proxy.refuse.store(false, Ordering::SeqCst);
    assert_eq!(count("maybe"), 1, "it did commit, once");
    // The same connection works again.
    pay(&mut conn, "after").unwrap();
    assert_eq!(count("after"), 1);
    let conn = open(&cluster.url(&dbname));
    assert_consistent(&conn, "after the cut lines");
}
