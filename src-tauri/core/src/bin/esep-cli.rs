//! `esep-cli`: the same commands as the app, from a shell.
//!
//! ```text
//! esep-cli --db FILE call <command> '<json args>'   prints the JSON result, exit 0
//!                                                   or a JSON error {code, message, field}, exit 1
//! esep-cli commands                                  lists every command and its arguments
//! ```
//! Write commands take the database's writer lock and refuse while the app holds it.

use esep_core::{api, db, lock::WriterLock, Ctx, Error};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  esep-cli --db FILE call <command> ['<json args>']\n  esep-cli commands";

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
            println!("{}", serde_json::to_string_pretty(&api::describe()).unwrap_or_default());
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
            let json_args = rest.get(2).map(String::as_str).unwrap_or("{}");
            match run(&db_path, name, json_args) {
                Ok(v) => {
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("{}", serde_json::to_string(&e.to_payload()).unwrap_or_default());
                    ExitCode::FAILURE
                }
            }
        }
        Some("pdf") => {
            let (Some(db_path), Some(req)) = (db_path, rest.get(1)) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            match pdf(&db_path, req, rest.get(2).map(String::as_str)) {
                Ok(v) => {
                    println!("{v}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("{}", serde_json::to_string(&e.to_payload()).unwrap_or_default());
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Renders one document (or a batch) and writes it to `out` (or the suggested file name).
fn pdf(db_path: &std::path::Path, req: &str, out: Option<&str>) -> Result<serde_json::Value, Error> {
    use esep_core::args::Args;
    use esep_core::books::documents::{render_batch, render_one, Request};
    let v: serde_json::Value = serde_json::from_str(req).map_err(|_| Error::invalid("args", "error.badJson"))?;
    let mut conn = db::open(db_path)?;
    let mut ctx = Ctx::new(&mut conn, esep_core::today());
    let (name, bytes) = match &v {
        serde_json::Value::Array(items) => {
            let reqs = items.iter().map(|i| Args::new(i).and_then(|a| Request::parse(&a))).collect::<Result<Vec<_>, _>>()?;
            let bytes = render_batch(&mut ctx, &reqs, |done, total| eprintln!("{done}/{total}"))?;
            ("Esep-batch.pdf".to_string(), bytes)
        }
        _ => render_one(&mut ctx, &Request::parse(&Args::new(&v)?)?)?,
    };
    let path = out.map(str::to_string).unwrap_or(name);
    std::fs::write(&path, &bytes).map_err(|e| Error::Internal(format!("cannot write {path}: {e}")))?;
    Ok(serde_json::json!({"path": path, "bytes": bytes.len()}))
}

fn run(db_path: &std::path::Path, name: &str, json_args: &str) -> Result<serde_json::Value, Error> {
    let cmd = api::find(name).ok_or_else(|| Error::not_found("command"))?;
    let args: serde_json::Value = serde_json::from_str(json_args).map_err(|_| Error::invalid("args", "error.badJson"))?;
    let _lock = if cmd.writes { Some(WriterLock::acquire(db_path)?) } else { None };
    let mut conn = db::open(db_path)?;
    let mut ctx = Ctx::new(&mut conn, esep_core::today());
    api::call(&mut ctx, name, &args)
}
