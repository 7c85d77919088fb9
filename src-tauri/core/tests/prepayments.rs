//! Prepayment requests and advances (#22): quote → prepayment request → advance → invoice →
//! applied → short or over → refund, with `check_books` after every step (the `Books` bench);
//! refusals write nothing.

mod common;

use common::Books;
use serde_json::{json, Value};

fn lines() -> Value {
    json!([{"description": "Монтаж кондиционера", "quantity": "2", "unitPrice": "45000", "taxRate": "0"}])
}

fn balances(b: &mut Books, customer: i64) -> (String, String, String) {
    let c = b.ok("get_customer", json!({"id": customer}));
    (
        c["balance"].as_str().unwrap().into(),
        c["owed"].as_str().unwrap().into(),
        c["advance"].as_str().unwrap().into(),
    )
}

#[test]
fn a_deal_from_quote_to_prepayment_to_invoice_with_the_advance_applied() {
    let mut b = Books::shop("2026-11-27");
    let q = b.ok("save_quote", json!({"customerId": 1, "lines": lines()}));
    b.ok("issue_quote", json!({"id": q["id"]}));
    b.refused(
        "prepayment_from_quote",
        json!({"id": q["id"]}),
        "conflict",
        Some("id"),
    );
    b.ok(
        "decide_quote",
        json!({"id": q["id"], "decision": "accepted"}),
    );
    let p = b.ok("prepayment_from_quote", json!({"id": q["id"]}));
    assert_eq!(
        (
            p["kind"].as_str(),
            p["status"].as_str(),
            p["fromQuoteId"].clone(),
            p["total"].as_str()
        ),
        (
            Some("prepayment"),
            Some("draft"),
            q["id"].clone(),
            Some("90000.00")
        )
    );
    b.refused(
        "prepayment_from_quote",
        json!({"id": q["id"]}),
        "conflict",
        Some("id"),
    );
    // Asking for half first.
    let p = b.ok(
        "save_prepayment",
        json!({"id": p["id"], "customerId": 1, "lines": [{"description": "Предоплата 50% за монтаж", "unitPrice": "45000", "taxRate": "0"}]}),
    );
    let p = b.ok("issue_quote", json!({"id": p["id"]}));
    assert_eq!(
        (
            p["number"].as_str(),
            p["status"].as_str(),
            p["validUntil"].as_str()
        ),
        (Some("PP-2026-0001"), Some("issued"), Some("2026-12-07"))
    );
    // Nothing is owed: a prepayment request posts nothing.
    assert_eq!(
        balances(&mut b, 1),
        ("0.00".into(), "0.00".into(), "0.00".into())
    );
    let dash = b.ok("dashboard", json!({}));
    assert_eq!(
        (
            dash["awaitingPrepaymentCount"].as_i64(),
            dash["awaitingPrepayment"].as_str(),
            dash["outstanding"].as_str()
        ),
        (Some(1), Some("45000.00"), Some("0.00"))
    );
    // The money comes: an advance, a liability.
    let a = b.ok(
        "record_advance",
        json!({"prepaymentId": p["id"], "reference": "PP 17"}),
    );
    assert_eq!(
        (a["amount"].as_str(), a["balance"].as_str()),
        (Some("45000.00"), Some("45000.00")),
        "by default what the request asks for"
    );
    assert_eq!(b.ok("get_quote", json!({"id": p["id"]}))["status"], "paid");
    assert_eq!(
        balances(&mut b, 1),
        ("-45000.00".into(), "0.00".into(), "45000.00".into())
    );
    assert_eq!(b.ok("dashboard", json!({}))["awaitingPrepaymentCount"], 0);
    let tb = b.ok("trial_balance", json!({}));
    assert!(
        tb.to_string().contains("2150"),
        "the advances account is in the trial balance: {tb}"
    );
    // The work is done: the invoice for it, the advance applied, the rest open.
    let inv = b.ok("quote_to_invoice", json!({"id": q["id"]}));
    let inv = b.ok("issue_invoice", json!({"id": inv["id"]}));
    assert_eq!(
        (inv["customerAdvance"].as_str(), inv["open"].as_str()),
        (Some("45000.00"), Some("90000.00")),
        "the invoice offers the advance"
    );
    let applied = b.ok("apply_advance", json!({"invoiceId": inv["id"]}));
    assert_eq!(
        (applied["amount"].as_str(), applied["balance"].as_str()),
        (Some("45000.00"), Some("0.00"))
    );
    let inv = b.ok("get_invoice", json!({"id": inv["id"]}));
    assert_eq!(
        (inv["open"].as_str(), inv["status"].as_str()),
        (Some("45000.00"), Some("partly_paid"))
    );
    assert_eq!(
        balances(&mut b, 1),
        ("45000.00".into(), "45000.00".into(), "0.00".into())
    );
    b.refused(
        "apply_advance",
        json!({"invoiceId": inv["id"]}),
        "conflict",
        Some("invoiceId"),
    );
    let history = b.ok("invoice_history", json!({"id": inv["id"]}));
    assert!(
        history["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "advance_applied" && e["amount"] == "45000.00"),
        "{history}"
    );
    // The statement shows the advance and its use.
    let st = b.ok(
        "statement",
        json!({"customerId": 1, "from": "2026-11-01", "to": "2026-11-27"}),
    );
    let kinds: Vec<&str> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"advance") && kinds.contains(&"advance_applied"),
        "{st}"
    );
    // The rest is paid: the invoice is settled.
    b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "45000", "invoiceIds": [inv["id"]]}),
    );
    assert_eq!(b.status(inv["id"].as_i64().unwrap()), "paid");
}

#[test]
fn an_advance_larger_than_the_invoice_stays_and_is_paid_back() {
    let mut b = Books::shop("2026-11-27");
    b.ok(
        "record_advance",
        json!({"customerId": 1, "amount": "100000", "method": "cash"}),
    );
    let inv = b.invoice(1, "60000", "0", 5, "2026-11-27");
    let a = b.ok("apply_advance", json!({"invoiceId": inv}));
    assert_eq!(
        (a["amount"].as_str(), a["balance"].as_str()),
        (Some("60000.00"), Some("40000.00")),
        "only what the invoice has open"
    );
    assert_eq!(b.status(inv), "paid");
    b.refused(
        "refund_advance",
        json!({"customerId": 1, "amount": "40000.01"}),
        "validation",
        Some("amount"),
    );
    let r = b.ok("refund_advance", json!({"customerId": 1}));
    assert_eq!(
        (r["amount"].as_str(), r["balance"].as_str()),
        (Some("40000.00"), Some("0.00"))
    );
    b.refused(
        "refund_advance",
        json!({"customerId": 1}),
        "conflict",
        Some("customerId"),
    );
    assert_eq!(
        balances(&mut b, 1),
        ("0.00".into(), "0.00".into(), "0.00".into())
    );
}

#[test]
fn advances_are_refused_where_they_do_not_belong() {
    let mut b = Books::shop("2026-11-27");
    b.ok("create_customer", json!({"name": "Другой клиент"}));
    let theirs = b.invoice(2, "1000", "0", 5, "2026-11-27");
    b.ok("record_advance", json!({"customerId": 1, "amount": "500"}));
    // Another customer's invoice.
    b.refused(
        "apply_advance",
        json!({"invoiceId": theirs, "customerId": 1}),
        "validation",
        Some("invoiceId"),
    );
    // That customer holds no advance.
    b.refused(
        "apply_advance",
        json!({"invoiceId": theirs}),
        "conflict",
        Some("invoiceId"),
    );
    let mine = b.invoice(1, "300", "0", 5, "2026-11-27");
    b.refused(
        "apply_advance",
        json!({"invoiceId": mine, "amount": "400"}),
        "validation",
        Some("amount"),
    );
    b.refused(
        "apply_advance",
        json!({"invoiceId": mine, "date": "2026-11-26"}),
        "validation",
        Some("date"),
    );
    b.refused(
        "apply_advance",
        json!({"invoiceId": 99}),
        "not_found",
        Some("invoiceId"),
    );
    b.refused(
        "record_advance",
        json!({"customerId": 1, "amount": "0"}),
        "validation",
        Some("amount"),
    );
    b.refused(
        "record_advance",
        json!({"customerId": 1, "amount": "1.005"}),
        "validation",
        Some("amount"),
    );
    b.refused(
        "record_advance",
        json!({"amount": "5"}),
        "validation",
        Some("customerId"),
    );
    // A quote is not a prepayment request; a draft request takes no money.
    let q = b.ok("save_quote", json!({"customerId": 1, "lines": lines()}));
    b.refused(
        "record_advance",
        json!({"prepaymentId": q["id"], "amount": "5"}),
        "validation",
        Some("prepaymentId"),
    );
    let p = b.ok(
        "save_prepayment",
        json!({"customerId": 1, "lines": lines()}),
    );
    b.refused(
        "record_advance",
        json!({"prepaymentId": p["id"], "amount": "5"}),
        "conflict",
        Some("prepaymentId"),
    );
    b.ok("issue_quote", json!({"id": p["id"]}));
    b.refused(
        "record_advance",
        json!({"prepaymentId": p["id"], "customerId": 2, "amount": "5"}),
        "validation",
        Some("customerId"),
    );
    b.refused(
        "decide_quote",
        json!({"id": p["id"], "decision": "accepted"}),
        "validation",
        Some("decision"),
    );
    b.ok("apply_advance", json!({"invoiceId": mine}));
    assert_eq!(b.status(mine), "paid");
}
