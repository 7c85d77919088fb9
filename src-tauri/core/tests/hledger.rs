//! The accountant's export, checked by the real hledger (Debian package, installed by .ci/run):
//! `hledger check` passes and hledger's receivables per customer equal Esep's ageing totals.

mod common;
use common::Books;
use serde_json::json;
use std::process::Command;

#[test]
fn hledger_accepts_the_export_and_agrees_on_receivables() {
    let mut b = Books::shop("2026-11-27");
    b.ok("create_customer", json!({"name": "Second: Co; Ltd"}));
    b.ok(
        "set_opening_balance",
        json!({"customerId": 2, "amount": "1000", "asOf": "2026-01-01"}),
    );
    b.invoice(1, "1000", "12", 9, "2026-11-01");
    b.invoice(2, "250.50", "0", 5, "2026-11-02");
    b.ok("record_payment", json!({"customerId": 1, "amount": "1500"}));
    b.ok("record_payment", json!({"customerId": 2, "amount": "300"}));
    let export = b.ok("export_journal", json!({"format": "hledger"}));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("esep.journal");
    std::fs::write(&file, export["text"].as_str().unwrap()).unwrap();
    let hledger = |args: &[&str]| {
        let out = Command::new("hledger")
            .arg("-f")
            .arg(&file)
            .args(args)
            .output()
            .expect("hledger is installed (Debian package hledger; .ci/run installs it)");
        assert!(
            out.status.success(),
            "hledger {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    hledger(&["check"]);
    let bal = hledger(&[
        "balance",
        "assets:receivables",
        "--flat",
        "--no-total",
        "-O",
        "csv",
    ]);
    let ageing = b.ok("ageing", json!({}));
    for row in ageing["rows"].as_array().unwrap() {
        let id = row["customerId"].as_i64().unwrap();
        let line = bal
            .lines()
            .find(|l| l.contains(&format!(":C{id} ")))
            .unwrap_or("");
        let expected = row["total"].as_str().unwrap();
        if expected == "0.00" {
            assert!(
                line.is_empty() || line.contains("\"0\""),
                "customer {id}: {line}"
            );
        } else {
            assert!(
                line.contains(expected),
                "customer {id}: hledger says {line:?}, Esep's ageing {expected}"
            );
        }
    }
    let csv = b.ok("export_journal", json!({"format": "csv"}));
    assert!(
        csv["text"].as_str().unwrap().starts_with('\u{feff}'),
        "UTF-8 BOM so Excel reads Cyrillic"
    );
}
