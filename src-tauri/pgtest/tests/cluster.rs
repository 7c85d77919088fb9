//! The throwaway clusters themselves: they start, answer, restart, run side by side, and leave
//! no server or directory behind — also when the test process ends without dropping them.

use esep_pgtest::Cluster;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_cluster_starts_answers_restarts_and_is_removed() {
    let started = Instant::now();
    let pg = Cluster::start().unwrap();
    eprintln!("cluster started in {:?}", started.elapsed());
    let data = pg.data_dir().to_path_buf();
    let root = data.parent().unwrap().to_path_buf();
    pg.create_database("esep").unwrap();
    assert_eq!(pg.psql("esep", "SELECT 1").unwrap(), "1");
    assert_eq!(
        pg.psql("esep", "SHOW server_encoding; SHOW TimeZone; SHOW fsync")
            .unwrap(),
        "UTF8\nUTC\noff"
    );
    assert!(pg.url("esep").starts_with("postgres://postgres@127.0.0.1:"));
    assert!(pg.url("esep").ends_with(&format!(":{}/esep", pg.port())));

    // Data written before a restart is there after it, on the same port.
    pg.psql(
        "esep",
        "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)",
    )
    .unwrap();
    let port = pg.port();
    let restarted = Instant::now();
    pg.restart().unwrap();
    eprintln!("cluster restarted in {:?}", restarted.elapsed());
    assert_eq!(pg.port(), port);
    assert_eq!(pg.psql("esep", "SELECT sum(n) FROM t").unwrap(), "3");

    // Stopped, it refuses; restarted, it answers again.
    pg.stop().unwrap();
    let refused = pg.psql("esep", "SELECT 1").unwrap_err();
    assert!(refused.contains("psql on esep failed"), "{refused}");
    pg.restart().unwrap();
    assert_eq!(pg.psql("esep", "SELECT count(*) FROM t").unwrap(), "2");

    // An error in the SQL is returned, with PostgreSQL's message.
    let err = pg.psql("esep", "SELECT * FROM missing").unwrap_err();
    assert!(err.contains("does not exist"), "{err}");

    drop(pg);
    assert!(!root.exists(), "{} is left behind", root.display());
    assert_eq!(
        servers_of(&data),
        0,
        "a server of {} is left",
        data.display()
    );
}

#[test]
fn two_clusters_run_side_by_side() {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(Cluster::start);
        let b = s.spawn(Cluster::start);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_ne!(a.port(), b.port());
    a.create_database("same").unwrap();
    b.create_database("same").unwrap();
    a.psql("same", "CREATE TABLE only_in_a (n int)").unwrap();
    assert_eq!(
        b.psql(
            "same",
            "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"
        )
        .unwrap(),
        "0"
    );
    assert_eq!(b.psql("same", "SELECT 2").unwrap(), "2");
}

#[test]
fn the_shared_cluster_is_one_and_gives_each_test_its_own_database() {
    let pg = Cluster::shared();
    assert_eq!(pg.port(), Cluster::shared().port());
    let one = pg.fresh_database().unwrap();
    let two = Cluster::shared().fresh_database().unwrap();
    assert_ne!(one, two);
    assert_eq!(pg.psql(&two, "SELECT current_database()").unwrap(), two);
}

/// Runs this test binary again as a child that starts clusters and prints where they are; the
/// child ends without dropping them (`how`: "exit" returns from the test harness, "kill" is
/// killed by us). Returns the data directories, after waiting for the watchdogs.
fn clusters_of_a_child(how: &str) -> Vec<PathBuf> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ESEP_PGTEST_CHILD", how)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut data = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        // The harness's "test child_process ... " comes first on the line.
        let line = line.unwrap();
        if let Some((_, dir)) = line.split_once("ESEP_PGTEST_DATA ") {
            data.push(PathBuf::from(dir));
        }
        if line.ends_with("ESEP_PGTEST_READY") {
            break;
        }
    }
    assert_eq!(data.len(), 2, "the child did not start its clusters");
    for d in &data {
        // At least: a backend just forked still shows the postmaster's command line.
        assert!(
            servers_of(d) >= 1,
            "no server of {} while the child runs",
            d.display()
        );
    }
    if how == "kill" {
        child.kill().unwrap();
    } else {
        lines.for_each(drop);
    }
    let status = child.wait().unwrap();
    assert_eq!(
        status.success(),
        how == "exit",
        "the child ended with {status}"
    );
    data
}

/// Not a test of its own: the child process of the two tests below.
#[test]
fn child_process() {
    let Ok(how) = std::env::var("ESEP_PGTEST_CHILD") else {
        return;
    };
    let shared = Cluster::shared();
    println!("ESEP_PGTEST_DATA {}", shared.data_dir().display());
    let own = Cluster::start().unwrap();
    println!("ESEP_PGTEST_DATA {}", own.data_dir().display());
    println!("ESEP_PGTEST_READY");
    if how == "kill" {
        std::thread::sleep(Duration::from_secs(600));
    }
    // "exit": the harness exits without dropping the shared cluster nor, here, the own one.
    std::mem::forget(own);
}

#[test]
fn nothing_is_left_when_the_test_process_exits() {
    for data in clusters_of_a_child("exit") {
        assert_gone(&data);
    }
}

#[test]
fn nothing_is_left_when_the_test_process_is_killed() {
    for data in clusters_of_a_child("kill") {
        assert_gone(&data);
    }
}

/// Waits up to 20 s for the watchdog to stop the server of `data` and remove its directory.
fn assert_gone(data: &Path) {
    let root = data.parent().unwrap();
    let waited = Instant::now();
    while (root.exists() || servers_of(data) > 0) && waited.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        servers_of(data),
        0,
        "a server of {} is left",
        data.display()
    );
    assert!(!root.exists(), "{} is left behind", root.display());
    eprintln!("{} gone after {:?}", root.display(), waited.elapsed());
}

/// How many processes run the server on `data` (their command line names it): /proc on Linux,
/// `ps` elsewhere.
fn servers_of(data: &Path) -> usize {
    let needle = data.to_string_lossy().into_owned();
    if let Ok(procs) = std::fs::read_dir("/proc") {
        return procs
            .flatten()
            .filter_map(|p| std::fs::read(p.path().join("cmdline")).ok())
            .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
            .filter(|c| c.contains("postgres") && c.contains(&needle) && !c.contains(" stop "))
            .filter(|c| !c.contains("esep-pgtest-watchdog"))
            .count();
    }
    let ps = Command::new("ps").args(["-eo", "args"]).output().unwrap();
    String::from_utf8_lossy(&ps.stdout)
        .lines()
        .filter(|c| c.contains("postgres") && c.contains(&needle))
        .filter(|c| !c.contains("esep-pgtest-watchdog"))
        .count()
}
