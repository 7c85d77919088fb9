//! Crash consistency (#8): a child process (`esep-cli stress`) writes a stream of mixed
//! operations and acknowledges each on stdout only after its commit; this test kills it with
//! SIGKILL at random points, reopens the database and checks that nothing acknowledged is
//! missing and nothing is broken. The books carry over from one kill to the next.
//!
//! 50 kills by default (CI), every check after every kill; with more kills the whole history
//! is re-checked every kills/50 runs and new acknowledgements after every kill.
//! `ESEP_CRASH_KILLS=1000 cargo test -p esep-core --test crash -- --nocapture`
//! for the long run. `ESEP_CRASH_SEED` changes the random points.

mod common;
use common::assert_acknowledged;
use esep_core::books::audit;
use esep_core::sql::{Connection, OptionalExtension};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Reads complete `ack {...}` lines; a line cut by the kill (no newline) does not count.
fn read_acks(stdout: impl std::io::Read) -> Vec<Value> {
    let mut r = BufReader::new(stdout);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match r.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) if buf.ends_with(b"\n") => {
                let line = String::from_utf8_lossy(&buf);
                if let Some(json) = line.trim_end().strip_prefix("ack ") {
                    out.push(serde_json::from_str(json).expect("the child writes whole JSON acks"));
                }
            }
            Ok(_) => break,
        }
    }
    out
}

/// Every number series is 1..n without gaps or duplicates.
fn assert_gapless(conn: &Connection, table: &str, run: u64) {
    let filter = if table == "invoices" {
        "WHERE status = 'issued'"
    } else {
        ""
    };
    let mut stmt = conn.prepare(&format!("SELECT series, COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM {table} {filter} GROUP BY series")).unwrap();
    let rows: Vec<(String, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (series, n, distinct, min, max) in rows {
        assert_eq!(
            (n, distinct, min, max),
            (n, n, 1, n),
            "run {run}: series {series} of {table} has a gap or a duplicate"
        );
    }
}

#[test]
fn sigkill_at_random_points_loses_nothing_acknowledged() {
    let kills = env_num("ESEP_CRASH_KILLS", 50);
    let mut rng = env_num("ESEP_CRASH_SEED", 20261127).max(1);
    let mut rnd = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("esep.sqlite3");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut acked: Vec<Value> = Vec::new();
    let mut per_op: BTreeMap<String, usize> = BTreeMap::new();
    let mut killed_mid_write = 0;
    let full_every = (kills / 50).max(1);
    let (mut verified, mut full_checks) = (0usize, 0u64);
    for run in 0..kills {
        let day = start + chrono::Duration::days(run as i64 * 2);
        let mut child = Command::new(env!("CARGO_BIN_EXE_esep-cli"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "stress",
                &(run + 1).to_string(),
                &day.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start esep-cli stress");
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || read_acks(stdout));
        std::thread::sleep(Duration::from_millis(30 + rnd(250)));
        let exited_early = child.try_wait().unwrap();
        child.kill().expect("SIGKILL the child");
        child.wait().unwrap();
        if let Some(status) = exited_early {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!("run {run}: the child stopped by itself ({status}): {err}");
        }
        let acks = reader.join().unwrap();
        killed_mid_write += usize::from(!acks.is_empty());
        for a in &acks {
            *per_op
                .entry(a["op"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        acked.extend(acks);

        // Reopen as the app would (migrations, WAL recovery) and check everything. Long runs
        // check the whole history every `full_every` kills (it grows with every run) and the
        // new acknowledgements after every kill.
        let full = run % full_every == 0 || run + 1 == kills;
        let conn = esep_core::db::open(&db).expect("the database opens after a kill");
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "run {run}");
        if full {
            let problems = audit::check(&conn).unwrap();
            assert!(
                problems.is_empty(),
                "run {run}: check_books after a kill: {problems:?}"
            );
            full_checks += 1;
        }
        let from = if full { 0 } else { verified };
        verified = acked.len();
        assert_acknowledged(&conn, &acked[from..]);
        assert_gapless(&conn, "invoices", run);
        assert_gapless(&conn, "credit_notes", run);
        let unbalanced: Option<(String, i64)> = conn
            .query_row("SELECT currency, SUM(amount_minor) FROM postings GROUP BY currency HAVING SUM(amount_minor) <> 0", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .unwrap();
        assert_eq!(unbalanced, None, "run {run}: the trial balance is not zero");
    }
    let conn = esep_core::db::open_read_only(&db).unwrap();
    let count = |t: &str| -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    println!(
        "crash test: {kills} SIGKILLs ({killed_mid_write} after at least one commit), {full_checks} full checks, {} acknowledged operations {per_op:?}; \
         books: {} customers, {} invoices, {} payments, {} credit notes, {} reminders, {} journal entries — all present, checks clean",
        acked.len(),
        count("customers"),
        count("invoices"),
        count("payments"),
        count("credit_notes"),
        count("reminders"),
        count("journal_entries")
    );
    assert!(
        acked.len() > kills as usize,
        "the child did real work between kills ({} acks)",
        acked.len()
    );
}
