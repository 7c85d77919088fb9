//! The main scenario once through `esep-cli`, so the CLI and the API stay in step.

use serde_json::{json, Value};
use std::process::Command;

fn cli(db: &std::path::Path, args: &[&str]) -> (bool, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_esep-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ESEP_TODAY", "2026-11-27")
        .output()
        .expect("esep-cli runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON from esep-cli {args:?}: {e}: {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.success(), v)
}

fn call(db: &std::path::Path, cmd: &str, args: Value) -> Value {
    let (ok, v) = cli(db, &["call", cmd, &args.to_string()]);
    assert!(ok, "{cmd} failed: {v}");
    v
}

#[test]
fn the_main_scenario_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.sqlite3");
    call(
        &db,
        "save_profile",
        json!({"name": "Алма Сервис", "currency": "KZT", "language": "kk"}),
    );
    call(&db, "create_customer", json!({"name": "Қайрат"}));
    call(
        &db,
        "record_charge",
        json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "Жөндеу", "unitPrice": "45000", "taxRate": "12"}),
    );
    let d = call(
        &db,
        "create_invoice",
        json!({"customerId": 1, "chargeIds": [1], "termsId": 7}),
    );
    let inv = call(&db, "issue_invoice", json!({"id": d["id"]}));
    assert_eq!(inv["number"], "INV-2026-0001");
    assert!(
        inv["purpose"]
            .as_str()
            .unwrap()
            .contains("шот бойынша төлем"),
        "Kazakh purpose: {}",
        inv["purpose"]
    );
    assert_eq!(
        call(
            &db,
            "record_sending",
            json!({"invoiceId": 1, "kind": "post"})
        )["dueDate"],
        "2026-12-15"
    );
    let p = call(
        &db,
        "record_payment",
        json!({"customerId": 1, "amount": "50000"}),
    );
    assert_eq!(p["discrepancy"]["difference"], "400.00");
    assert_eq!(call(&db, "check_books", json!({}))["ok"], true);
    // Errors: JSON {code, message, field} and a non-zero exit.
    let (ok, e) = cli(
        &db,
        &[
            "call",
            "record_payment",
            r#"{"customerId": 1, "amount": "abc"}"#,
        ],
    );
    assert!(!ok);
    assert_eq!(
        e,
        json!({"code": "validation", "message": "error.notANumber", "field": "amount"})
    );
    let (ok, e) = cli(&db, &["call", "record_payment", "{not json"]);
    assert!(!ok);
    assert_eq!(e["field"], "args");
}

#[test]
fn commands_lists_every_command_with_its_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_esep-cli"))
        .arg("commands")
        .output()
        .unwrap();
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = list.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        esep_core::api::command_names(),
        "the CLI lists exactly the command table"
    );
    assert!(list.iter().all(|c| c["args"]
        .as_str()
        .map(|a| a.starts_with('{'))
        .unwrap_or(false)));
}

#[test]
fn the_cli_refuses_to_write_while_the_app_holds_the_books() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.sqlite3");
    call(
        &db,
        "save_profile",
        json!({"name": "Shop", "currency": "KZT", "language": "en"}),
    );
    let _app = esep_core::lock::WriterLock::acquire(&db).unwrap();
    let (ok, e) = cli(&db, &["call", "create_customer", r#"{"name": "Ann"}"#]);
    assert!(!ok);
    assert_eq!(e["message"], "error.databaseInUse");
    let (ok, v) = cli(&db, &["call", "get_profile"]);
    assert!(ok, "reading is fine while the app runs");
    assert_eq!(v["name"], "Shop");
}

#[test]
fn large_arguments_come_from_standard_input_or_a_file_and_internal_errors_keep_sql_out_of_the_answer(
) {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.sqlite3");
    call(
        &db,
        "save_profile",
        json!({"name": "Алма Сервис", "currency": "KZT", "language": "kk"}),
    );
    // A CSV of 3,000 customers: ~200 KB of base64, more than one command-line argument may hold.
    let mut csv = String::from("name;phone\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "Customer number {i:05} with a long enough name;+7 701 000 {i:04}\n"
        ));
    }
    let args = json!({"dataBase64": esep_core::books::profile::base64_encode(csv.as_bytes()), "kind": "customers"}).to_string();
    assert!(
        args.len() > 128 * 1024,
        "the point of the test: {} bytes",
        args.len()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_esep-cli"))
        .arg("--db")
        .arg(&db)
        .args(["call", "import_csv", "-"])
        .env("ESEP_TODAY", "2026-11-27")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(args.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success(), "{v}");
    assert_eq!(v["customers"], 3000);
    let file = dir.path().join("args.json");
    std::fs::write(&file, json!({"query": "number 02999"}).to_string()).unwrap();
    let (ok, found) = cli(
        &db,
        &["call", "search_customers", &format!("@{}", file.display())],
    );
    assert!(ok, "{found}");
    assert_eq!(found["total"], 1, "{found}");
    let (ok, e) = cli(&db, &["call", "search_customers", "@/no/such/file.json"]);
    assert!(!ok);
    assert_eq!(
        e,
        json!({"code": "validation", "message": "error.argsUnreadable", "field": "args"})
    );
    // A database error: the answer is {code, message}; the SQL goes to standard error (a log).
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TABLE number_series")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_esep-cli"))
        .arg("--db")
        .arg(&db)
        .args(["call", "get_series"])
        .env("ESEP_TODAY", "2026-11-27")
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(
        !answer.contains("no such table") && !answer.contains("detail"),
        "no SQL in the answer: {answer}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap(),
        json!({"code": "internal", "message": "error.internal"})
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no such table"),
        "but in the log"
    );
}
