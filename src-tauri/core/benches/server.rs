//! Shared books bench (#23): the large generated shop on PostgreSQL (a throwaway cluster of
//! its own, `esep-pgtest`, on loopback) beside the same shop on SQLite — the reports a screen
//! asks for, one invoice issued by one desktop, and one invoice issued while 8 desktops issue
//! at once.
//!
//! `cargo bench -p esep-core --bench server -- --invoices 100000 --customers 10000`;
//! `--reuse FILE` starts from a shop kept by the books bench (`--keep FILE`) instead of
//! generating it. The shop is generated on SQLite through the commands, then copied to the
//! server table by table (`COPY … FROM STDIN`, triggers off while copying, the identity
//! sequences moved past the copied ids), and checked there with `check_books`. The server then
//! runs as in production: `fsync`, `synchronous_commit` and `full_page_writes` on.

mod common;
use common::*;
use esep_core::sql::{Connection, PgConfig};
use esep_core::{db, Ctx};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One SQLite value as a field of PostgreSQL's COPY text format.
fn copy_field(out: &mut Vec<u8>, v: rusqlite::types::ValueRef<'_>, pg_type: &str) {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Null => out.extend_from_slice(b"\\N"),
        V::Integer(i) if pg_type == "boolean" => out.push(if i != 0 { b't' } else { b'f' }),
        V::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        V::Real(r) => out.extend_from_slice(r.to_string().as_bytes()),
        V::Text(t) if pg_type == "bytea" => hex(out, t),
        V::Blob(b) => hex(out, b),
        V::Text(t) => {
            for &c in t {
                match c {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    c => out.push(c),
                }
            }
        }
    }
}

fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(b"\\\\x");
    for b in bytes {
        out.extend_from_slice(format!("{b:02x}").as_bytes());
    }
}

/// Copies every table of the SQLite books into the (migrated, empty) PostgreSQL books.
/// Returns the rows copied.
fn copy_to_server(sqlite: &Path, pg: &mut postgres::Client) -> u64 {
    let lite = rusqlite::Connection::open(sqlite).unwrap();
    let tables: Vec<String> = pg
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'esep_schema'
             ORDER BY table_name",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    // Triggers (append-only rules, the state kept by triggers, foreign keys) off while the
    // rows, state included, are copied as they are.
    pg.batch_execute(&format!(
        "SET session_replication_role = replica; TRUNCATE {}",
        tables.join(", ")
    ))
    .unwrap();
    let mut rows = 0u64;
    for table in &tables {
        let lite_cols: Vec<String> = lite
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let cols: Vec<(String, String)> = pg
            .query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
                 ORDER BY ordinal_position",
                &[table],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .filter(|(c, _): &(String, String)| lite_cols.contains(c))
            .collect();
        let names: Vec<&str> = cols.iter().map(|(c, _)| c.as_str()).collect();
        let quoted = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut w = pg
            .copy_in(&format!("COPY {table} ({quoted}) FROM STDIN"))
            .unwrap();
        let mut stmt = lite
            .prepare(&format!("SELECT {quoted} FROM \"{table}\""))
            .unwrap();
        let mut q = stmt.query([]).unwrap();
        let mut line = Vec::with_capacity(4096);
        while let Some(r) = q.next().unwrap() {
            line.clear();
            for (i, (_, ty)) in cols.iter().enumerate() {
                if i > 0 {
                    line.push(b'\t');
                }
                copy_field(&mut line, r.get_ref(i).unwrap(), ty);
            }
            line.push(b'\n');
            w.write_all(&line).unwrap();
            rows += 1;
        }
        w.finish().unwrap();
    }
    // The identity sequences past the copied ids.
    let identities: Vec<(String, String)> = pg
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND is_identity = 'YES'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for (t, c) in identities {
        pg.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{t}', '{c}'), COALESCE((SELECT MAX(\"{c}\") FROM {t}), 0) + 1, false)"
        ))
        .unwrap();
    }
    pg.batch_execute("SET session_replication_role = origin; ANALYZE")
        .unwrap();
    rows
}

struct Engine {
    name: &'static str,
    open: Box<dyn Fn() -> Connection + Sync + Send>,
}

/// Issue times of `desktops` desktops issuing `each` invoices at once, each on its own
/// connection (the drafts made first, not timed); and the wall time of the whole.
fn issue_at_once(
    engine: &Engine,
    desktops: usize,
    each: usize,
    today: chrono::NaiveDate,
) -> (Stats, Duration) {
    let barrier = Arc::new(Barrier::new(desktops + 1));
    let open = &engine.open;
    let (times, wall) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..desktops)
            .map(|d| {
                let barrier = barrier.clone();
                s.spawn(move || {
                    let mut conn = open();
                    let mut ctx = Ctx::new(&mut conn, today);
                    let drafts: Vec<_> = (0..each)
                        .map(|j| call(&mut ctx, "create_invoice", json!({"customerId": 100 + d * each + j, "lines": [{"description": "bench", "unitPrice": "100"}]}))["id"].clone())
                        .collect();
                    barrier.wait();
                    drafts
                        .iter()
                        .map(|id| {
                            let t = Instant::now();
                            call(&mut ctx, "issue_invoice", json!({"id": id}));
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        barrier.wait();
        let t = Instant::now();
        let times: Vec<Duration> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        (times, t.elapsed())
    });
    let mut times = times;
    times.sort();
    let n = times.len();
    (
        Stats {
            median: times[n / 2],
            p95: times[((n as f64 * 0.95) as usize).min(n - 1)],
            n,
        },
        wall,
    )
}

fn row(name: &str, lite: &Stats, pg: &Stats) {
    println!(
        "{name:<44} SQLite {:>8.2} / {:>8.2} ms   PostgreSQL {:>8.2} / {:>8.2} ms   PG/SQLite {:>5.1}× / {:>5.1}×",
        ms(lite.median),
        ms(lite.p95),
        ms(pg.median),
        ms(pg.p95),
        ms(pg.median) / ms(lite.median),
        ms(pg.p95) / ms(lite.p95),
    );
}

fn main() {
    let n_invoices = arg("--invoices", 100_000);
    let n_customers = arg("--customers", 5_000).min(n_invoices.max(1));
    let desktops = arg("--desktops", 8) as usize;
    println!(
        "Esep shared-books bench — {} — {} — {n_invoices} invoices, {n_customers} customers; figures are median / p95",
        std::env::consts::ARCH,
        chrono::Local::now().format("%Y-%m-%d")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sqlite3");
    let t = Instant::now();
    let made = match std::env::args().skip_while(|a| a != "--reuse").nth(1) {
        Some(src) => {
            std::fs::copy(src, &path).expect("the shop to reuse");
            "copy the kept shop (SQLite)"
        }
        None => {
            generate_shop(&path, n_invoices, n_customers);
            "generate the shop on SQLite"
        }
    };
    println!("{made:<44} {:>9.1} s", t.elapsed().as_secs_f64());
    if let Some(keep) = std::env::args().skip_while(|a| a != "--keep").nth(1) {
        std::fs::copy(&path, &keep).unwrap();
    }

    let t = Instant::now();
    let cluster =
        esep_pgtest::Cluster::start().expect("a PostgreSQL cluster (apt-get install postgresql)");
    cluster.create_database("shop").unwrap();
    let url = cluster.url("shop");
    drop(db::open_postgres(&PgConfig::new(&url)).unwrap());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows = copy_to_server(&path, &mut admin);
    println!(
        "{:<44} {:>9.1} s  ({rows} rows, with the cluster's start)",
        "copy it to PostgreSQL (COPY, then ANALYZE)",
        t.elapsed().as_secs_f64()
    );
    // From here the server runs as in production.
    for sql in [
        "ALTER SYSTEM SET fsync = on",
        "ALTER SYSTEM SET synchronous_commit = on",
        "ALTER SYSTEM SET full_page_writes = on",
        "SELECT pg_reload_conf()",
        "CHECKPOINT",
    ] {
        admin.batch_execute(sql).unwrap();
    }
    std::thread::sleep(Duration::from_millis(300));
    let fsync: String = admin.query_one("SHOW fsync", &[]).unwrap().get(0);
    let sync: String = admin
        .query_one("SHOW synchronous_commit", &[])
        .unwrap()
        .get(0);
    let version: String = admin.query_one("SHOW server_version", &[]).unwrap().get(0);
    println!("PostgreSQL {version}, fsync {fsync}, synchronous_commit {sync}, loopback TCP");

    let lite_path = path.clone();
    let lite = Engine {
        name: "SQLite",
        open: Box::new(move || {
            let c = db::open(&lite_path).unwrap();
            c.sqlite()
                .unwrap()
                .pragma_update(None, "synchronous", "FULL")
                .unwrap();
            c
        }),
    };
    let pg_url = url.clone();
    let pg = Engine {
        name: "PostgreSQL",
        open: Box::new(move || db::open_postgres(&PgConfig::new(&pg_url)).unwrap()),
    };
    let today = shop_start() + chrono::Duration::days(3650 + 30);

    for e in [&lite, &pg] {
        let t = Instant::now();
        let problems = esep_core::books::audit::check(&(e.open)()).unwrap();
        assert!(problems.is_empty(), "{}: {problems:?}", e.name);
        println!(
            "{:<44} {:>9.1} s  (clean)",
            format!("check_books on {}", e.name),
            t.elapsed().as_secs_f64()
        );
    }

    type Case = (&'static str, usize, &'static dyn Fn(&mut Ctx));
    let cases: Vec<Case> = vec![
        ("ageing report (every customer)", 5, &|ctx: &mut Ctx| {
            let as_of = ctx.today.to_string();
            call(ctx, "ageing", json!({"asOf": as_of}));
        }),
        (
            "ageing page (50 most overdue, as on screen)",
            20,
            &|ctx: &mut Ctx| {
                let as_of = ctx.today.to_string();
                call(
                    ctx,
                    "ageing",
                    json!({"asOf": as_of, "sort": "overdue", "limit": 50}),
                );
            },
        ),
        ("dashboard figures", 5, &|ctx: &mut Ctx| {
            call(ctx, "dashboard", json!({}));
        }),
        (
            "invoice list page (overdue, by due date)",
            20,
            &|ctx: &mut Ctx| {
                call(
                    ctx,
                    "list_invoices",
                    json!({"status": "overdue", "sort": "due", "limit": 50}),
                );
            },
        ),
        ("customer statement (one year)", 20, &|ctx: &mut Ctx| {
            let (from, to) = (
                (ctx.today - chrono::Duration::days(365)).to_string(),
                ctx.today.to_string(),
            );
            call(
                ctx,
                "statement",
                json!({"customerId": 42, "from": from, "to": to}),
            );
        }),
        ("customer search as you type", 20, &|ctx: &mut Ctx| {
            call(
                ctx,
                "search_customers",
                json!({"query": "ром", "limit": 50}),
            );
        }),
        ("to send (first 50 customers)", 10, &|ctx: &mut Ctx| {
            call(ctx, "list_to_send", json!({}));
        }),
    ];
    println!();
    let mut lc = (lite.open)();
    let mut pc = (pg.open)();
    let open_lite = measure(5, || {
        let mut c = (lite.open)();
        let mut ctx = Ctx::new(&mut c, today);
        call(&mut ctx, "app_status", json!({"check": false}));
        call(&mut ctx, "dashboard", json!({}));
    });
    let open_pg = measure(5, || {
        let mut c = (pg.open)();
        let mut ctx = Ctx::new(&mut c, today);
        call(&mut ctx, "app_status", json!({"check": false}));
        call(&mut ctx, "dashboard", json!({}));
    });
    row(
        "open the books + first screen (dashboard)",
        &open_lite,
        &open_pg,
    );
    for (name, n, f) in &cases {
        let mut ctx = Ctx::new(&mut lc, today);
        f(&mut ctx); // warm
        let a = measure(*n, || f(&mut ctx));
        let mut ctx = Ctx::new(&mut pc, today);
        f(&mut ctx);
        let b = measure(*n, || f(&mut ctx));
        row(name, &a, &b);
    }
    let mut one = Vec::new();
    for conn in [&mut lc, &mut pc] {
        let mut ctx = Ctx::new(conn, today);
        let drafts: Vec<_> = (0..30)
            .map(|j| call(&mut ctx, "create_invoice", json!({"customerId": 2 + j, "lines": [{"description": "bench", "unitPrice": "100"}]}))["id"].clone())
            .collect();
        let mut k = 0;
        one.push(measure(30, || {
            call(&mut ctx, "issue_invoice", json!({"id": drafts[k]}));
            k += 1;
        }));
        let mut k = 0;
        let pays = measure(30, || {
            call(
                &mut ctx,
                "record_payment",
                json!({"customerId": 1 + k, "amount": "10"}),
            );
            k += 1;
        });
        one.push(pays);
    }
    row("issue one invoice, one desktop", &one[0], &one[2]);
    row("record one payment, one desktop", &one[1], &one[3]);
    let each = 25;
    let (a, wall_a) = issue_at_once(&lite, desktops, each, today);
    let (b, wall_b) = issue_at_once(&pg, desktops, each, today);
    row(
        &format!("issue one invoice, {desktops} desktops at once"),
        &a,
        &b,
    );
    let total = (desktops * each) as f64;
    println!(
        "{:<44} SQLite {:>8.0} /s          PostgreSQL {:>8.0} /s",
        format!("  invoices issued by the {desktops} together"),
        total / wall_a.as_secs_f64(),
        total / wall_b.as_secs_f64()
    );
    for e in [&lite, &pg] {
        let problems = esep_core::books::audit::check(&(e.open)()).unwrap();
        assert!(
            problems.is_empty(),
            "{} after the bench: {problems:?}",
            e.name
        );
    }
}
