//! `esep-cli`: the same commands as the app, from a shell.
//!
//! ```text
//! esep-cli --db FILE call <command> '<json args>'   prints the JSON result, exit 0
//!                                                   or a JSON error {code, message, field}, exit 1
//! esep-cli --db FILE call <command> -               the arguments from standard input
//! esep-cli --db FILE call <command> @ARGS.json      the arguments from a file (no 128 KiB
//!                                                   command-line limit for big imports)
//! esep-cli commands                                  lists every command and its arguments
//! esep-cli --db FILE stress SEED YYYY-MM-DD          random operations until killed, printing
//!                                                   `ack {json}` after each commit (the crash test)
//! esep-cli server init --admin URL --database NAME --owner LOGIN
//!                                                   shared books on PostgreSQL: the database,
//!                                                   its roles and grants, the first owner
//!                                                   (password from ESEP_NEW_PASSWORD, if set)
//! esep-cli server add-user --admin URL --database NAME --login LOGIN --role owner|clerk|accountant
//! esep-cli books move --from FILE|URL --to FILE|URL
//!                                                   the books copied into new, empty books (a
//!                                                   SQLite file that does not exist yet, or
//!                                                   a server's, as its owner), verified, or
//!                                                   nothing written; prints the report
//! ```
//! `--db` also takes shared books' address, `postgres://user@host:port/database` (the password
//! from `ESEP_PASSWORD`). Write commands on a SQLite file take its writer lock and refuse while
//! the app holds it; on a server, PostgreSQL keeps concurrent writers apart. `books move` takes
//! the passwords from `ESEP_FROM_PASSWORD` and `ESEP_TO_PASSWORD`, else `ESEP_PASSWORD`.

use esep_core::{api, db, lock::WriterLock, Ctx, Error};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  esep-cli --db FILE|postgres://… call <command> ['<json args>' | - | @FILE]\n  esep-cli --db FILE pdf '<json request>' [OUT.pdf]\n  esep-cli --db NEW_FILE sample [kk|ru|en]\n  esep-cli commands\n  esep-cli server init --admin URL --database NAME --owner LOGIN\n  esep-cli server add-user --admin URL --database NAME --login LOGIN --role owner|clerk|accountant\n  esep-cli books move --from FILE|postgres://… --to NEW_FILE|postgres://…";

/// The books at `--db`: a SQLite file, or shared books on a PostgreSQL server.
fn open_books(db: &std::path::Path) -> Result<db::Connection, Error> {
    match server_address(db) {
        Some(config) => db::open_postgres(&config),
        None => db::open(db),
    }
}

fn server_address(db: &std::path::Path) -> Option<esep_core::sql::PgConfig> {
    let url = db
        .to_str()
        .filter(|s| esep_core::sql::PgConfig::is_postgres_url(s))?;
    let mut config = esep_core::sql::PgConfig::new(url);
    config.password = std::env::var("ESEP_PASSWORD").ok();
    Some(config)
}

/// The writer lock of a SQLite file (none for a server).
fn writer_lock(db: &std::path::Path) -> Result<Option<WriterLock>, Error> {
    match server_address(db) {
        Some(_) => Ok(None),
        None => WriterLock::acquire(db).map(Some),
    }
}

/// `esep-cli books move --from A --to B`: the books at A copied into new, empty books at B
/// and verified there (see `esep_core::moving`). A SQLite target is created; it must not exist
/// yet (or be empty books). If the move fails, a file it created is removed again.
fn books(rest: &[String]) -> Result<serde_json::Value, Error> {
    let flag = |name: &str| {
        rest.iter()
            .position(|a| a == name)
            .and_then(|i| rest.get(i + 1))
            .map(String::as_str)
    };
    let need =
        |name: &'static str| flag(name).ok_or_else(|| Error::invalid(name, "error.required"));
    if rest.first().map(String::as_str) != Some("move") {
        return Err(Error::invalid("books", "error.badChoice"));
    }
    let (from, to) = (need("--from")?, need("--to")?);
    if from == to {
        return Err(Error::invalid("--to", "error.targetNotEmpty"));
    }
    let password = |var: &str| {
        std::env::var(var)
            .or_else(|_| std::env::var("ESEP_PASSWORD"))
            .ok()
    };
    let from_path = std::path::Path::new(from);
    let mut from_conn = match server_address(from_path) {
        Some(mut config) => {
            config.password = password("ESEP_FROM_PASSWORD");
            db::open_postgres(&config)?
        }
        None => {
            if !from_path.is_file() {
                return Err(Error::not_found("--from"));
            }
            db::open(from_path)?
        }
    };
    // Neither file may be written by the app while the books move.
    let _from_lock = writer_lock(from_path)?;
    let to_path = std::path::Path::new(to);
    let (mut to_conn, _to_lock, created) = match server_address(to_path) {
        Some(mut config) => {
            config.password = password("ESEP_TO_PASSWORD");
            (db::open_postgres(&config)?, None, false)
        }
        None => {
            let created = !to_path.exists();
            let lock = WriterLock::acquire(to_path)?;
            match db::open(to_path) {
                Ok(conn) => (conn, Some(lock), created),
                Err(e) => {
                    if created {
                        remove_books_file(to_path);
                    }
                    return Err(e);
                }
            }
        }
    };
    let moved = esep_core::moving::move_books(&mut from_conn, &mut to_conn, esep_core::today());
    drop(to_conn);
    match moved {
        Ok(report) => serde_json::to_value(report).map_err(|e| Error::Internal(e.to_string())),
        Err(e) => {
            if created {
                remove_books_file(to_path);
            }
            Err(e)
        }
    }
}

/// Removes a SQLite books file this run created (and SQLite's files beside it).
fn remove_books_file(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".lock"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(std::path::Path::new(&p));
    }
}

/// `esep-cli server …`: setting up shared books.
fn server(rest: &[String]) -> Result<serde_json::Value, Error> {
    let flag = |name: &str| {
        rest.iter()
            .position(|a| a == name)
            .and_then(|i| rest.get(i + 1))
            .map(String::as_str)
    };
    let need =
        |name: &'static str| flag(name).ok_or_else(|| Error::invalid(name, "error.required"));
    let mut admin = esep_core::sql::PgConfig::new(need("--admin")?);
    admin.password = std::env::var("ESEP_PASSWORD").ok();
    let password = std::env::var("ESEP_NEW_PASSWORD").ok();
    match rest.first().map(String::as_str) {
        Some("init") => {
            let done = esep_core::server::init(
                &admin,
                need("--database")?,
                need("--owner")?,
                password.as_deref(),
            )?;
            serde_json::to_value(done).map_err(|e| Error::Internal(e.to_string()))
        }
        Some("add-user") => {
            let role = esep_core::server::Role::parse(need("--role")?)
                .ok_or_else(|| Error::invalid("--role", "error.badChoice"))?;
            let (database, login) = (need("--database")?, need("--login")?);
            esep_core::server::add_user(&admin, database, login, role, password.as_deref())?;
            Ok(serde_json::json!({"login": login, "role": role.as_str(), "database": database}))
        }
        _ => Err(Error::invalid("server", "error.badChoice")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut db_path: Option<PathBuf> = std::env::var_os("ESEP_DB").map(PathBuf::from);
    let mut rest = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--db" => db_path = it.next().map(PathBuf::from),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => rest.push(a),
        }
    }
    match rest.first().map(String::as_str) {
        Some("commands") => {
            println!(
                "{}",
                serde_json::to_string_pretty(&api::describe()).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Some("call") => {
            let Some(name) = rest.get(1) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let Some(db_path) = db_path else {
                eprintln!("esep-cli: --db FILE (or ESEP_DB) is required\n{USAGE}");
                return ExitCode::from(2);
            };
            let json_args = match read_json_arg(rest.get(2).map(String::as_str).unwrap_or("{}")) {
                Ok(text) => text,
                Err(e) => return answer(Err(e), true),
            };
            answer(run(&db_path, name, &json_args), true)
        }
        Some("stress") => {
            let (Some(db_path), Some(seed), Some(day)) = (
                db_path,
                rest.get(1).and_then(|s| s.parse().ok()),
                rest.get(2),
            ) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            match stress(&db_path, seed, day) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "{}",
                        serde_json::to_string(&e.to_logged_payload("esep-cli")).unwrap_or_default()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Some("sample") => {
            let (Some(db_path), Some(lang)) = (
                db_path,
                esep_core::i18n::Lang::parse(rest.get(1).map(String::as_str).unwrap_or("kk")),
            ) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            answer(
                db::open(&db_path).and_then(|mut conn| {
                    esep_core::books::sample::fill(&mut conn, esep_core::today(), lang)
                }),
                false,
            )
        }
        Some("server") => answer(server(&rest[1..]), true),
        Some("books") => answer(books(&rest[1..]), true),
        Some("pdf") => {
            let (Some(db_path), Some(req)) = (db_path, rest.get(1)) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            answer(pdf(&db_path, req, rest.get(2).map(String::as_str)), false)
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// A command's JSON arguments: the text itself, `-` for standard input, or `@FILE`. The OS
/// limits one argument to 128 KiB; an import of a big CSV file is larger.
fn read_json_arg(arg: &str) -> Result<String, Error> {
    use std::io::Read;
    /// Standard input or a file larger than this is refused (the largest command argument, a
    /// 32 MB CSV file in base64, fits).
    const MAX: u64 = 64 << 20;
    let unreadable = || Error::invalid("args", "error.argsUnreadable");
    let text = if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .take(MAX + 1)
            .read_to_string(&mut s)
            .map_err(|_| unreadable())?;
        s
    } else if let Some(path) = arg.strip_prefix('@') {
        let f = std::fs::File::open(path).map_err(|_| unreadable())?;
        let mut s = String::new();
        f.take(MAX + 1)
            .read_to_string(&mut s)
            .map_err(|_| unreadable())?;
        s
    } else {
        return Ok(arg.to_string());
    };
    if text.len() as u64 > MAX {
        return Err(Error::invalid("args", "error.tooLarge"));
    }
    Ok(text)
}

/// Prints a result as JSON (exit 0) or the error payload (exit 1).
fn answer(result: Result<serde_json::Value, Error>, pretty: bool) -> ExitCode {
    match result {
        Ok(v) => {
            println!(
                "{}",
                if pretty {
                    serde_json::to_string_pretty(&v).unwrap_or_default()
                } else {
                    v.to_string()
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!(
                "{}",
                serde_json::to_string(&e.to_logged_payload("esep-cli")).unwrap_or_default()
            );
            ExitCode::FAILURE
        }
    }
}

/// Renders one document (or a batch) and writes it to `out` (or the suggested file name).
fn pdf(
    db_path: &std::path::Path,
    req: &str,
    out: Option<&str>,
) -> Result<serde_json::Value, Error> {
    use esep_core::args::Args;
    use esep_core::books::documents::{render_batch, render_one, Request};
    let v: serde_json::Value =
        serde_json::from_str(req).map_err(|_| Error::invalid("args", "error.badJson"))?;
    let mut conn = open_books(db_path)?;
    let mut ctx = Ctx::new(&mut conn, esep_core::today());
    let (name, bytes) = match &v {
        serde_json::Value::Array(items) => {
            let reqs = items
                .iter()
                .map(|i| Args::new(i).and_then(|a| Request::parse(&a)))
                .collect::<Result<Vec<_>, _>>()?;
            let bytes = render_batch(&mut ctx, &reqs, |done, total| eprintln!("{done}/{total}"))?;
            ("Esep-batch.pdf".to_string(), bytes)
        }
        _ => render_one(&mut ctx, &Request::parse(&Args::new(&v)?)?)?,
    };
    let path = out.map(str::to_string).unwrap_or(name);
    std::fs::write(&path, &bytes)
        .map_err(|e| Error::Internal(format!("cannot write {path}: {e}")))?;
    Ok(serde_json::json!({"path": path, "bytes": bytes.len()}))
}

fn run(db_path: &std::path::Path, name: &str, json_args: &str) -> Result<serde_json::Value, Error> {
    let cmd = api::find(name).ok_or_else(|| Error::not_found("command"))?;
    let args: serde_json::Value =
        serde_json::from_str(json_args).map_err(|_| Error::invalid("args", "error.badJson"))?;
    let _lock = if cmd.writes {
        writer_lock(db_path)?
    } else {
        None
    };
    let mut conn = open_books(db_path)?;
    let mut ctx = Ctx::new(&mut conn, esep_core::today());
    api::call(&mut ctx, name, &args)
}

/// The crash-consistency child: a deterministic stream of mixed writes (customers, charges,
/// invoices issued, payments, credit notes, reminders) with the day advancing, each
/// acknowledged on stdout only after its transaction committed. Refusals (e.g. a credit
/// note on a settled invoice) are part of the mix and are not acknowledged.
fn stress(db_path: &std::path::Path, seed: u64, day: &str) -> Result<(), Error> {
    use serde_json::{json, Value};
    use std::io::Write;
    let mut day = esep_core::args::parse_date(day, "day")?;
    let _lock = writer_lock(db_path)?;
    let mut conn = open_books(db_path)?;
    let mut state = seed.max(1);
    let mut rnd = move |n: u64| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545F4914F6CDD1D) % n.max(1)
    };
    let out = std::io::stdout();
    let mut k: u64 = 0;
    loop {
        k += 1;
        if k.is_multiple_of(25) {
            day += chrono::Duration::days(1);
        }
        let mut ctx = Ctx::new(&mut conn, day);
        if api::call(&mut ctx, "get_profile", &json!({}))?.is_null() {
            api::call(
                &mut ctx,
                "save_profile",
                &json!({"name": "Stress", "currency": "KZT", "language": "kk", "defaultTermsId": 2}),
            )?;
        }
        let customers: i64 = ctx
            .conn
            .query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))?;
        let customer = 1 + rnd(customers.max(1) as u64) as i64;
        let pick = |ctx: &mut Ctx, sql: &str, r: u64| -> Result<Option<i64>, Error> {
            let ids: Vec<i64> = ctx
                .conn
                .prepare(sql)?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(if ids.is_empty() {
                None
            } else {
                Some(ids[(r % ids.len() as u64) as usize])
            })
        };
        let roll = if customers == 0 { 0 } else { rnd(10) };
        let (op, table, result): (&str, &str, Result<Value, Error>) = match roll {
            0 => ("customer", "customers", api::call(&mut ctx, "create_customer", &json!({"name": format!("Клиент {seed}-{k}"), "address": "Алматы"}))),
            1 => (
                "charge",
                "charges",
                api::call(
                    &mut ctx,
                    "record_charge",
                    &json!({"customerId": customer, "serviceDate": day.to_string(), "description": "Қызмет", "unitPrice": format!("{}.{:02}", 100 + rnd(90_000), rnd(100))}),
                ),
            ),
            2..=4 => {
                let lines: Vec<Value> = (0..1 + rnd(3))
                    .map(|i| json!({"description": format!("Жұмыс {i}"), "quantity": format!("{}", 1 + rnd(5)), "unitPrice": format!("{}.{:02}", 500 + rnd(50_000), rnd(100)), "taxRate": if rnd(2) == 0 { "12" } else { "0" }}))
                    .collect();
                let draft = api::call(&mut ctx, "create_invoice", &json!({"customerId": customer, "lines": lines}));
                ("invoice", "invoices", draft.and_then(|d| api::call(&mut ctx, "issue_invoice", &json!({"id": d["id"], "issueDate": day.to_string()}))))
            }
            5..=7 => (
                "payment",
                "payments",
                api::call(
                    &mut ctx,
                    "record_payment",
                    &json!({"customerId": customer, "amount": format!("{}.{:02}", 1 + rnd(60_000), rnd(100)), "date": day.to_string()}),
                ),
            ),
            8 => match pick(&mut ctx, "SELECT id FROM invoices WHERE status = 'issued'", rnd(1 << 30))? {
                Some(inv) => (
                    "credit_note",
                    "credit_notes",
                    api::call(&mut ctx, "create_credit_note", &json!({"invoiceId": inv, "reason": "stress", "amount": "1.00", "date": day.to_string()})),
                ),
                None => continue,
            },
            _ => match pick(&mut ctx, "SELECT id FROM invoices WHERE status = 'issued' AND due_date < (SELECT MAX(issue_date) FROM invoices)", rnd(1 << 30))? {
                Some(inv) => ("reminder", "reminders", api::call(&mut ctx, "record_reminder", &json!({"invoiceId": inv, "date": day.to_string()}))),
                None => continue,
            },
        };
        if let Ok(v) = result {
            let ack = json!({"k": k, "op": op, "table": table, "id": v["id"], "number": v.get("number").cloned().unwrap_or(Value::Null)});
            let mut o = out.lock();
            writeln!(o, "ack {ack}")
                .and_then(|_| o.flush())
                .map_err(|e| Error::Internal(format!("stdout: {e}")))?;
        }
    }
}
