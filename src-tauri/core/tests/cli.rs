//! The main scenario once through `esep-cli`, so the CLI and the API stay in step.

use serde_json::{json, Value};
use std::process::Command;

fn cli(db: &std::path::Path, args: &[&str]) -> (bool, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_esep-cli")).arg("--db").arg(db).args(args).env("ESEP_TODAY", "2026-11-27").output().expect("esep-cli runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON from esep-cli {args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
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
    call(&db, "save_profile", json!({"name": "Алма Сервис", "currency": "KZT", "language": "kk"}));
    call(&db, "create_customer", json!({"name": "Қайрат"}));
    call(&db, "record_charge", json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "Жөндеу", "unitPrice": "45000", "taxRate": "12"}));
    let d = call(&db, "create_invoice", json!({"customerId": 1, "chargeIds": [1], "termsId": 7}));
    let inv = call(&db, "issue_invoice", json!({"id": d["id"]}));
    assert_eq!(inv["number"], "INV-2026-0001");
    assert!(inv["purpose"].as_str().unwrap().contains("шот бойынша төлем"), "Kazakh purpose: {}", inv["purpose"]);
    assert_eq!(call(&db, "record_sending", json!({"invoiceId": 1, "kind": "post"}))["dueDate"], "2026-12-15");
    let p = call(&db, "record_payment", json!({"customerId": 1, "amount": "50000"}));
    assert_eq!(p["discrepancy"]["difference"], "400.00");
    assert_eq!(call(&db, "check_books", json!({}))["ok"], true);
    // Errors: JSON {code, message, field} and a non-zero exit.
    let (ok, e) = cli(&db, &["call", "record_payment", r#"{"customerId": 1, "amount": "abc"}"#]);
    assert!(!ok);
    assert_eq!(e, json!({"code": "validation", "message": "error.notANumber", "field": "amount"}));
    let (ok, e) = cli(&db, &["call", "record_payment", "{not json"]);
    assert!(!ok);
    assert_eq!(e["field"], "args");
}

#[test]
fn commands_lists_every_command_with_its_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_esep-cli")).arg("commands").output().unwrap();
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = list.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, esep_core::api::COMMAND_NAMES, "the CLI lists exactly the command table");
    assert!(list.iter().all(|c| c["args"].as_str().map(|a| a.starts_with('{')).unwrap_or(false)));
}

#[test]
fn the_cli_refuses_to_write_while_the_app_holds_the_books() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.sqlite3");
    call(&db, "save_profile", json!({"name": "Shop", "currency": "KZT", "language": "en"}));
    let _app = esep_core::lock::WriterLock::acquire(&db).unwrap();
    let (ok, e) = cli(&db, &["call", "create_customer", r#"{"name": "Ann"}"#]);
    assert!(!ok);
    assert_eq!(e["message"], "error.databaseInUse");
    let (ok, v) = cli(&db, &["call", "get_profile"]);
    assert!(ok, "reading is fine while the app runs");
    assert_eq!(v["name"], "Shop");
}
