//! Scenarios through the core API, with `check_books()` after every step.

mod common;
use common::{d, Books};
use serde_json::json;

#[test]
fn the_seed_story_from_service_to_paid() {
    let mut b = Books::shop("2026-11-27");
    // 1. Record what the client owes, with the date of service.
    let ch = b.ok("record_charge", json!({"customerId": 1, "serviceDate": "2026-11-10", "description": "Ремонт холодильника", "quantity": "1.5", "unit": "ч", "unitPrice": "12000", "taxRate": "12"}));
    assert_eq!(ch["amount"], "18000.00");
    let unbilled = b.ok("list_unbilled", json!({}));
    assert_eq!(
        unbilled["rows"][0]["ageDays"], 17,
        "17 days since the service"
    );
    assert_eq!(
        unbilled["rows"][0]["stale"], true,
        "older than the default 7 days: invoice it"
    );
    // 2. Invoice it with "15 days after receipt".
    let draft = b.ok(
        "create_invoice",
        json!({"customerId": 1, "chargeIds": [ch["id"]], "termsId": 7}),
    );
    assert_eq!(draft["totals"]["total"], "20160.00");
    assert_eq!(
        draft["serviceFrom"], "2026-11-10",
        "the service date carries over"
    );
    let inv = b.ok("issue_invoice", json!({"id": draft["id"]}));
    assert_eq!(inv["number"], "INV-2026-0001");
    assert_eq!(
        inv["dueDate"],
        json!(null),
        "after-receipt terms: unknown until sent"
    );
    assert!(
        inv["purpose"].as_str().unwrap().contains("INV-2026-0001"),
        "the purpose of payment names the invoice"
    );
    assert_eq!(b.ok("list_unbilled", json!({}))["count"], 0, "billed now");
    // 3. Send it by post: received after 3 days, due 15 days later.
    let sent = b.ok(
        "record_sending",
        json!({"invoiceId": 1, "kind": "post", "date": "2026-11-27"}),
    );
    assert_eq!(sent["dueDate"], "2026-12-15");
    // The customer says it arrived late: the actual receipt date wins.
    b.today = d("2026-12-02");
    let got = b.ok(
        "record_sending",
        json!({"invoiceId": 1, "kind": "received", "date": "2026-12-02"}),
    );
    assert_eq!(got["dueDate"], "2026-12-17");
    // 4. A partial payment: the exact remainder stays open.
    b.today = d("2026-12-10");
    let p = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "20000", "method": "bank", "reference": "п/п 17"}),
    );
    assert_eq!(p["discrepancy"]["kind"], "under");
    assert_eq!(p["discrepancy"]["difference"], "160.00");
    assert_eq!(b.open(1), "160.00");
    assert_eq!(b.status(1), "partly_paid");
    // 5. Overdue after due + grace (3 days): a friendly reminder.
    b.today = d("2026-12-21");
    let due = b.ok("list_to_send", json!({}));
    assert_eq!(due["remindersDue"], 1, "{due}");
    let r = b.ok("record_reminder", json!({"invoiceId": 1}));
    assert_eq!(r["level"], 1);
    assert_eq!(r["nextReminderOn"], "2027-01-04", "14 days of patience");
    assert_eq!(
        b.ok("list_to_send", json!({}))["remindersDue"],
        0,
        "not again until the spacing passed"
    );
    // 6. The rest arrives: paid, thank-you ready.
    let p2 = b.ok("record_payment", json!({"customerId": 1, "amount": "160"}));
    assert_eq!(p2["discrepancy"], json!(null));
    assert_eq!(
        p2["settledInvoiceIds"],
        json!([1]),
        "this payment settled the invoice"
    );
    assert_eq!(b.status(1), "paid");
    b.refused(
        "record_reminder",
        json!({"invoiceId": 1}),
        "conflict",
        Some("invoiceId"),
    );
    let tb = b.ok("trial_balance", json!({}));
    assert_eq!(tb["balanced"], true);
}

#[test]
fn issuing_assigns_gapless_numbers_and_issued_invoices_never_change() {
    let mut b = Books::shop("2026-11-27");
    let line = json!([{"description": "x", "quantity": "1", "unitPrice": "100"}]);
    let a = b.ok("create_invoice", json!({"customerId": 1, "lines": line}))["id"].clone();
    let gone = b.ok("create_invoice", json!({"customerId": 1, "lines": line}))["id"].clone();
    let c = b.ok("create_invoice", json!({"customerId": 1, "lines": line}))["id"].clone();
    b.ok("delete_invoice", json!({"id": gone}));
    assert_eq!(
        b.ok("issue_invoice", json!({"id": c}))["number"],
        "INV-2026-0001",
        "numbers are given at issue, not at draft"
    );
    assert_eq!(
        b.ok("issue_invoice", json!({"id": a}))["number"],
        "INV-2026-0002"
    );
    b.refused(
        "update_invoice",
        json!({"id": a, "customerId": 1, "lines": line}),
        "not_editable",
        None,
    );
    b.refused("delete_invoice", json!({"id": a}), "not_editable", None);
    b.refused("issue_invoice", json!({"id": a}), "not_editable", None);
    // Even SQL cannot change them: the triggers abort.
    assert!(b
        .conn
        .execute(
            "UPDATE invoices SET total_minor = 1 WHERE id = ?1",
            [a.as_i64().unwrap()]
        )
        .is_err());
    assert!(b.conn.execute("DELETE FROM postings", []).is_err());
    assert!(b
        .conn
        .execute("UPDATE invoice_lines SET amount_minor = 1", [])
        .is_err());
    let empty = b.ok("create_invoice", json!({"customerId": 1}))["id"].clone();
    b.refused(
        "issue_invoice",
        json!({"id": empty}),
        "validation",
        Some("lines"),
    );
}

#[test]
fn the_number_format_and_starting_number_are_the_users() {
    let mut b = Books::shop("2027-03-01");
    b.ok(
        "set_series",
        json!({"id": "invoice", "format": "{YY}/{N:5}", "nextNumber": 120}),
    );
    let id = b.invoice(1, "10", "0", 5, "2027-03-01");
    assert_eq!(b.ok("get_invoice", json!({"id": id}))["number"], "27/00120");
    b.refused(
        "set_series",
        json!({"id": "invoice", "format": "{YY}/{N:5}", "nextNumber": 5}),
        "conflict",
        Some("nextNumber"),
    );
    b.refused(
        "set_series",
        json!({"id": "invoice", "format": "no counter"}),
        "validation",
        Some("format"),
    );
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_written() {
    let mut b = Books::shop("2026-11-27");
    let big = "x".repeat(1_000_000);
    let cases = [
        ("create_customer", json!({"name": ""}), "name"),
        (
            "create_customer",
            json!({"name": "A", "currency": "XYZ"}),
            "currency",
        ),
        (
            "create_customer",
            json!({"name": "A", "email": "not an email"}),
            "email",
        ),
        ("create_customer", json!({"name": big.clone()}), "name"),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-02-30", "description": "x", "unitPrice": "1"}),
            "serviceDate",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": big, "unitPrice": "1"}),
            "description",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "-5"}),
            "unitPrice",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "1.0000005"}),
            "unitPrice",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "10000000000000"}),
            "unitPrice",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "1", "quantity": "-1"}),
            "quantity",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "NaN"}),
            "unitPrice",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "1e400"}),
            "unitPrice",
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "1", "taxRate": "101"}),
            "taxRate",
        ),
        (
            "create_invoice",
            json!({"customerId": 1, "lines": [{"description": "x", "unitPrice": "1", "quantity": "0"}]}),
            "lines[0].quantity",
        ),
        (
            "create_invoice",
            json!({"customerId": 1, "lines": [{"description": "x", "unitPrice": "1", "discountPercent": "150"}]}),
            "lines[0].discountPercent",
        ),
        (
            "record_payment",
            json!({"customerId": 1, "amount": "0"}),
            "amount",
        ),
        (
            "record_payment",
            json!({"customerId": 1, "amount": "-10"}),
            "amount",
        ),
        (
            "record_payment",
            json!({"customerId": 1, "amount": "10", "currency": "USD"}),
            "currency",
        ),
        (
            "save_profile",
            json!({"name": "A", "currency": "KZT", "language": "de"}),
            "language",
        ),
    ];
    for (cmd, args, field) in cases {
        b.refused(cmd, args, "validation", Some(field));
    }
    b.refused("get_customer", json!({"id": 42}), "not_found", Some("id"));
    b.refused("record_charge", json!({"customerId": 42, "serviceDate": "2026-11-01", "description": "x", "unitPrice": "1"}), "not_found", Some("customerId"));
}

#[test]
fn overpayment_becomes_credit_that_can_be_used_or_refunded() {
    let mut b = Books::shop("2026-11-27");
    let first = b.invoice(1, "1000", "0", 5, "2026-11-01");
    let p = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "1250.50", "method": "cash"}),
    );
    assert_eq!(p["discrepancy"]["kind"], "over");
    assert_eq!(p["discrepancy"]["difference"], "250.50");
    assert_eq!(p["credit"], "250.50");
    assert_eq!(b.status(first), "paid");
    assert_eq!(
        b.ok("get_customer", json!({"id": 1}))["balance"],
        "-250.50",
        "we owe the customer now"
    );
    let second = b.invoice(1, "200", "0", 5, "2026-11-20");
    let applied = b.ok("apply_credit", json!({"customerId": 1}));
    assert_eq!(applied["applied"], "200.00");
    assert_eq!(b.status(second), "paid");
    b.refused(
        "refund_credit",
        json!({"customerId": 1, "amount": "60"}),
        "validation",
        Some("amount"),
    );
    b.ok(
        "refund_credit",
        json!({"customerId": 1, "amount": "50.50", "method": "cash"}),
    );
    assert_eq!(b.ok("get_customer", json!({"id": 1}))["balance"], "0.00");
    b.refused(
        "apply_credit",
        json!({"customerId": 1}),
        "conflict",
        Some("customerId"),
    );
}

#[test]
fn allocations_never_exceed_the_payment_or_what_is_open() {
    let mut b = Books::shop("2026-11-27");
    let a = b.invoice(1, "100", "0", 5, "2026-11-01");
    let c = b.invoice(1, "300", "0", 5, "2026-11-02");
    b.refused(
        "record_payment",
        json!({"customerId": 1, "amount": "100", "allocations": [{"invoiceId": a, "amount": "150"}]}),
        "validation",
        Some("allocations[0].amount"),
    );
    b.refused(
        "record_payment",
        json!({"customerId": 1, "amount": "100", "allocations": [{"invoiceId": a, "amount": "60"}, {"invoiceId": c, "amount": "60"}]}),
        "validation",
        Some("allocations[1].amount"),
    );
    // The user chooses: all of it on the newer invoice.
    b.ok("record_payment", json!({"customerId": 1, "amount": "300", "allocations": [{"invoiceId": c, "amount": "300"}]}));
    assert_eq!(
        (b.status(a), b.status(c)),
        ("open".to_string(), "paid".to_string())
    );
    // A payment dated before an invoice is not allocated to it.
    let late = b.invoice(1, "50", "0", 5, "2026-11-20");
    b.refused(
        "record_payment",
        json!({"customerId": 1, "amount": "50", "date": "2026-11-10", "invoiceIds": [late]}),
        "validation",
        Some("invoiceIds[0]"),
    );
}

#[test]
fn an_early_payment_inside_the_window_settles_with_the_discount() {
    let mut b = Books::shop("2026-11-27");
    // 2/10 Net 30 (preset 9); 1000 + 12 % tax = 1120; 2 % = 22.40.
    let late = b.invoice(1, "1000", "12", 9, "2026-11-01");
    let id = b.invoice(1, "1000", "12", 9, "2026-11-20");
    let p = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "1097.60", "date": "2026-11-27", "invoiceIds": [id]}),
    );
    assert_eq!(
        p["discrepancy"],
        json!(null),
        "paying the discounted amount is not a discrepancy"
    );
    assert_eq!(b.status(id), "paid");
    let tb = b.ok("trial_balance", json!({}));
    let bal = |code: &str| {
        tb["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["account"] == code)
            .map(|r| r["balance"].as_str().unwrap().to_string())
    };
    assert_eq!(
        bal("2200").as_deref(),
        Some("-237.60"),
        "2 × 120 tax, minus the 2.40 inside the discount"
    );
    assert_eq!(
        bal("4900").as_deref(),
        Some("20.00"),
        "the rest of the discount is an expense"
    );
    // Outside the window the full amount is due.
    let p = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "1097.60", "invoiceIds": [late]}),
    );
    assert_eq!(p["discrepancy"]["kind"], "under");
    assert_eq!(b.open(late), "22.40");
}

#[test]
fn credit_notes_reverse_proportionally_and_cannot_exceed_what_is_left() {
    let mut b = Books::shop("2026-11-27");
    let inv = b.ok(
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "a", "quantity": "2", "unitPrice": "500", "taxRate": "12"}, {"description": "b", "quantity": "1", "unitPrice": "300"}]}),
    );
    let id = inv["id"].as_i64().unwrap();
    let issued = b.ok("issue_invoice", json!({"id": id}));
    assert_eq!(issued["totals"]["total"], "1420.00");
    let line_a = issued["lines"][0]["id"].clone();
    let cn = b.ok("create_credit_note", json!({"invoiceId": id, "reason": "One unit returned", "lines": [{"lineId": line_a, "quantity": "1"}]}));
    assert_eq!(
        (
            cn["number"].as_str(),
            cn["total"].as_str(),
            cn["tax"].as_str()
        ),
        (Some("CN-2026-0001"), Some("560.00"), Some("60.00"))
    );
    assert_eq!(b.open(id), "860.00");
    b.refused(
        "create_credit_note",
        json!({"invoiceId": id, "reason": "too much", "amount": "900"}),
        "validation",
        Some("amount"),
    );
    b.refused(
        "create_credit_note",
        json!({"invoiceId": id, "reason": ""}),
        "validation",
        Some("reason"),
    );
    let cn2 = b.ok(
        "create_credit_note",
        json!({"invoiceId": id, "reason": "goodwill", "amount": "100"}),
    );
    assert_eq!(
        cn2["number"], "CN-2026-0002",
        "credit notes have their own gapless series"
    );
    b.ok(
        "write_off",
        json!({"invoiceId": id, "reason": "Customer closed the business"}),
    );
    assert_eq!(b.status(id), "paid", "nothing left open");
    b.refused(
        "write_off",
        json!({"invoiceId": id, "reason": "again"}),
        "conflict",
        Some("invoiceId"),
    );
}

#[test]
fn reminders_are_patient_and_escalate() {
    let mut b = Books::shop("2026-11-27");
    let id = b.invoice(1, "500", "0", 2, "2026-11-01"); // Net 7: due 2026-11-08
    b.ok(
        "record_sending",
        json!({"invoiceId": id, "kind": "email", "date": "2026-11-01"}),
    );
    b.today = d("2026-11-11");
    b.refused(
        "record_reminder",
        json!({"invoiceId": id}),
        "conflict",
        Some("invoiceId"),
    ); // inside the 3 grace days
    b.today = d("2026-11-12");
    assert_eq!(
        b.ok("record_reminder", json!({"invoiceId": id}))["level"],
        1
    );
    b.today = d("2026-11-20");
    b.refused(
        "record_reminder",
        json!({"invoiceId": id}),
        "conflict",
        Some("invoiceId"),
    );
    b.today = d("2026-11-26");
    b.ok(
        "save_reminder_settings",
        json!({"graceDays": 3, "spacingDays": 14, "feeKind": "fixed", "feeFixed": "25"}),
    );
    let second = b.ok(
        "record_reminder",
        json!({"invoiceId": id, "applyFee": true}),
    );
    assert_eq!(
        (
            second["level"].as_i64(),
            second["fee"].as_str(),
            second["open"].as_str()
        ),
        (Some(2), Some("25.00"), Some("525.00"))
    );
    assert_eq!(b.open(id), "525.00", "a confirmed fee is owed");
    b.today = d("2026-12-10");
    assert_eq!(
        b.ok("record_reminder", json!({"invoiceId": id}))["level"],
        3
    );
    b.today = d("2027-01-10");
    b.refused(
        "record_reminder",
        json!({"invoiceId": id}),
        "conflict",
        Some("invoiceId"),
    );
    assert_eq!(
        b.ok("list_reminders", json!({"invoiceId": id}))
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn ageing_reconciles_with_the_receivables_account_on_any_date() {
    let mut b = Books::shop("2026-11-27");
    b.ok("create_customer", json!({"name": "Second"}));
    b.ok(
        "set_opening_balance",
        json!({"customerId": 2, "amount": "777.77", "asOf": "2026-01-01", "reference": "notebook"}),
    );
    b.invoice(1, "100", "12", 5, "2026-07-01");
    b.invoice(1, "200", "0", 5, "2026-09-15");
    b.invoice(2, "300", "0", 5, "2026-11-20");
    b.ok("record_payment", json!({"customerId": 1, "amount": "50"}));
    b.ok("record_payment", json!({"customerId": 2, "amount": "1200"}));
    for as_of in ["2026-06-30", "2026-08-15", "2026-10-01", "2026-11-27"] {
        let ageing = b.ok("ageing", json!({"asOf": as_of}));
        let tb = b.ok("trial_balance", json!({"asOf": as_of}));
        let recv = tb["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["account"] == "1100")
            .map(|r| r["balance"].clone())
            .unwrap_or(json!("0.00"));
        let total = ageing["totals"]
            .as_array()
            .unwrap()
            .first()
            .map(|t| t["total"].clone())
            .unwrap_or(json!("0.00"));
        assert_eq!(total, recv, "ageing total = Receivables on {as_of}");
    }
    let a = b.ok("ageing", json!({"asOf": "2026-11-27"}));
    let first = &a["rows"][0];
    assert_eq!(
        first["d90_plus"], "62.00",
        "112 − 50 paid oldest first, due 31 Jul: 119 days late"
    );
    assert_eq!(first["d31_60"], "200.00", "due 15 Oct: 43 days late");
    let second = &a["rows"][1];
    assert_eq!(
        second["credit"], "122.23",
        "1200 paid against 777.77 + 300: the rest is unapplied credit"
    );
    assert_eq!(second["total"], "0.00");
}

#[test]
fn check_books_names_what_is_broken() {
    let mut b = Books::shop("2026-11-27");
    b.invoice(1, "100", "0", 5, "2026-11-01");
    assert!(esep_core::books::audit::check(&b.conn).unwrap().is_empty());
    // Someone appends a lone posting behind the API's back (appending is all SQL lets them do).
    b.conn.execute("INSERT INTO postings (entry_id, account_id, customer_id, currency, amount_minor) VALUES (1, 3, 1, 'KZT', 5)", []).unwrap();
    let rules: Vec<&str> = esep_core::books::audit::check(&b.conn)
        .unwrap()
        .iter()
        .map(|p| p.rule)
        .collect();
    assert!(rules.contains(&"unbalanced_entry"), "{rules:?}");
    assert!(rules.contains(&"subledger_mismatch"), "{rules:?}");
    assert!(rules.contains(&"invoice_entry_mismatch"), "{rules:?}");
}

/// Found by the crash test's random stream: a payment dated before an existing later payment
/// once settled what the later one had already settled (over-settled invoice).
#[test]
fn a_back_dated_payment_never_settles_what_a_later_one_already_did() {
    let mut b = Books::shop("2026-02-01");
    let inv = b.invoice(1, "100", "0", 1, "2026-01-01");
    b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "80", "date": "2026-01-10"}),
    );
    let suggested = b.ok(
        "suggest_allocation",
        json!({"customerId": 1, "amount": "50", "date": "2026-01-05"}),
    );
    assert_eq!(suggested["items"][0]["allocate"], "20.00", "{suggested}");
    assert_eq!(suggested["unallocated"], "30.00");
    let p = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "50", "date": "2026-01-05"}),
    );
    assert_eq!(p["credit"], "30.00", "the rest is credit: {p}");
    assert_eq!(b.status(inv), "paid");
    // Credit used back-dated, before a later refund, is limited the same way.
    b.ok(
        "refund_credit",
        json!({"customerId": 1, "amount": "30", "date": "2026-01-20"}),
    );
    let inv2 = b.invoice(1, "40", "0", 1, "2026-01-02");
    b.refused(
        "apply_credit",
        json!({"customerId": 1, "invoiceId": inv2, "date": "2026-01-06"}),
        "conflict",
        None,
    );
}

/// The derived per-invoice state (#9) is checked against the facts: a tampered row is reported.
#[test]
fn the_derived_invoice_state_is_checked_against_the_facts() {
    let mut b = Books::shop("2026-11-27");
    let inv = b.invoice(1, "1000", "12", 5, "2026-11-01");
    b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "300", "date": "2026-11-10"}),
    );
    assert!(esep_core::books::audit::check(&b.conn).unwrap().is_empty());
    let (amount, settled): (i64, i64) = b
        .conn
        .query_row(
            "SELECT amount_minor, settled_minor FROM invoice_state WHERE invoice_id = ?1",
            [inv],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (amount, settled),
        (112000, 30000),
        "kept by the triggers in the same transactions"
    );
    b.ok(
        "record_sending",
        json!({"invoiceId": inv, "kind": "email", "date": "2026-11-02"}),
    );
    b.today = d("2026-12-20");
    b.ok("record_reminder", json!({"invoiceId": inv}));
    let (sent, level, on): (i64, i64, Option<String>) = b
        .conn
        .query_row(
            "SELECT sent, reminder_level, reminded_on FROM invoice_state WHERE invoice_id = ?1",
            [inv],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (sent, level, on.as_deref()),
        (1, 1, Some("2026-12-20")),
        "sent and the latest reminder kept too (migration 0004)"
    );
    for tamper in [
        "UPDATE invoice_state SET settled_minor = 0 WHERE invoice_id = ?1",
        "UPDATE invoice_state SET sent = 0 WHERE invoice_id = ?1",
        "UPDATE invoice_state SET reminder_level = 2 WHERE invoice_id = ?1",
        "UPDATE invoice_state SET reminded_on = '2026-12-01' WHERE invoice_id = ?1",
    ] {
        let tx = b.conn.unchecked_transaction().unwrap();
        tx.execute(tamper, [inv]).unwrap();
        let problems = esep_core::books::audit::check(&tx).unwrap();
        assert_eq!(problems.len(), 1, "{tamper}: {problems:?}");
        assert_eq!(problems[0].rule, "invoice_state_mismatch");
        tx.rollback().unwrap();
    }
}

/// The dashboard counts invoices to mail and reminders due from the derived state (#9); they
/// must agree with the full to-send list on every day.
#[test]
fn the_dashboard_counts_agree_with_the_to_send_list() {
    let mut b = Books::shop("2026-11-01");
    b.ok("create_customer", json!({"name": "Second"}));
    let mailed = b.invoice(1, "500", "0", 2, "2026-11-01");
    b.ok(
        "record_sending",
        json!({"invoiceId": mailed, "kind": "email", "date": "2026-11-01"}),
    );
    let _unmailed = b.invoice(2, "300", "0", 2, "2026-11-01");
    let reminded = b.invoice(2, "200", "0", 2, "2026-11-01");
    b.ok(
        "record_sending",
        json!({"invoiceId": reminded, "kind": "post", "date": "2026-11-01"}),
    );
    let paid = b.invoice(1, "100", "0", 2, "2026-11-01");
    b.ok(
        "record_sending",
        json!({"invoiceId": paid, "kind": "email", "date": "2026-11-01"}),
    );
    b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "100", "date": "2026-11-01", "invoiceIds": [paid]}),
    );
    for day in [
        "2026-11-05",
        "2026-11-12",
        "2026-11-13",
        "2026-11-20",
        "2026-11-27",
        "2026-12-30",
        "2027-02-01",
    ] {
        b.today = d(day);
        if day == "2026-11-13" {
            b.ok("record_reminder", json!({"invoiceId": reminded}));
        }
        let list = b.ok("list_to_send", json!({}));
        let dash = b.ok("dashboard", json!({}));
        assert_eq!(
            (dash["toMail"].clone(), dash["remindersDue"].clone()),
            (list["toMail"].clone(), list["remindersDue"].clone()),
            "on {day}"
        );
        let unsent = b.ok("list_invoices", json!({"status": "unsent"}));
        assert_eq!(
            json!(unsent["total"]),
            list["toMail"],
            "the home page's 'to send' list (unsent invoices) on {day}"
        );
        if day == "2026-11-12" {
            assert_eq!(
                (dash["toMail"].clone(), dash["remindersDue"].clone()),
                (json!(1), json!(2)),
                "one unmailed; both mailed ones past due + grace"
            );
        }
    }
}

/// The to-send list shows the 100 invoices whose next reminder comes soonest, and how many
/// more wait (a big shop has thousands overdue but still in their grace or spacing).
#[test]
fn the_waiting_list_shows_the_soonest_hundred_and_counts_the_rest() {
    let mut b = Books::shop("2026-11-01");
    for i in 0..105 {
        let date = format!("2026-10-{:02}", 22 + i / 35);
        let id = b.invoice(1, "10", "0", 2, &date);
        b.ok(
            "record_sending",
            json!({"invoiceId": id, "kind": "email", "date": date}),
        );
    }
    // Net 7 from 22–24 Oct: due 29–31 Oct, overdue on 1 Nov, first reminder after 3 days' grace.
    let list = b.ok("list_to_send", json!({}));
    assert_eq!(list["remindersDue"], 0);
    let waiting = list["waiting"].as_array().unwrap();
    assert_eq!(
        (waiting.len(), list["waitingTotal"].as_i64()),
        (100, Some(105))
    );
    let next: Vec<&str> = waiting
        .iter()
        .map(|w| w["nextOn"].as_str().unwrap())
        .collect();
    assert!(next.windows(2).all(|p| p[0] <= p[1]), "soonest first");
    assert_eq!(
        (next[0], next[99]),
        ("2026-11-02", "2026-11-04"),
        "due 29 Oct + 3 days' grace + 1 first"
    );
}

/// The to-send list pages its customers (a big shop has thousands), the customer whose oldest
/// item is oldest first; the totals and the ids for "remind all" cover every page; and the
/// answer read from the derived state equals the one rebuilt from the facts as of that day.
#[test]
fn the_to_send_list_pages_customers_oldest_first_and_agrees_with_the_facts() {
    let mut b = Books::shop("2026-11-01");
    for name in ["Second", "Third"] {
        b.ok("create_customer", json!({"name": name}));
    }
    // Customer 3's invoice is the oldest, then 1's, then 2's; 1 and 3 mailed, 2 not.
    let c3 = b.invoice(3, "300", "0", 2, "2026-10-01");
    b.ok(
        "record_sending",
        json!({"invoiceId": c3, "kind": "email", "date": "2026-10-01"}),
    );
    let c1 = b.invoice(1, "100", "0", 2, "2026-10-05");
    b.ok(
        "record_sending",
        json!({"invoiceId": c1, "kind": "post", "date": "2026-10-05"}),
    );
    let c2 = b.invoice(2, "200", "0", 2, "2026-10-20");
    let full = b.ok("list_to_send", json!({"dueIds": true}));
    let order: Vec<i64> = full["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["customerId"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![3, 1, 2], "oldest first: {full}");
    assert_eq!(
        (
            full["groupsTotal"].as_i64(),
            full["toMail"].as_i64(),
            full["remindersDue"].as_i64()
        ),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(full["dueIds"], json!([c3, c1]));
    assert_eq!(full["groups"][2]["toMail"][0]["invoiceId"], json!(c2));

    assert_eq!(
        b.ok("list_to_send", json!({}))["dueIds"],
        json!(null),
        "only when asked"
    );
    let page = b.ok(
        "list_to_send",
        json!({"limit": 1, "offset": 1, "dueIds": true}),
    );
    assert_eq!(page["groups"].as_array().unwrap().len(), 1);
    assert_eq!(
        page["groups"][0], full["groups"][1],
        "the second page of one is the second customer"
    );
    assert_eq!(
        (
            page["groupsTotal"].clone(),
            page["remindersDue"].clone(),
            page["dueIds"].clone()
        ),
        (json!(3), json!(2), full["dueIds"].clone()),
        "totals cover every page"
    );
    assert_eq!(
        b.ok("list_to_send", json!({"offset": 3}))["groups"],
        json!([]),
        "past the end: an empty page"
    );
    b.refused(
        "list_to_send",
        json!({"limit": 0}),
        "validation",
        Some("limit"),
    );
    b.refused(
        "list_to_send",
        json!({"offset": -1}),
        "validation",
        Some("offset"),
    );

    // Something dated later makes 1 November a past date: rebuilt from the facts, same answer.
    b.today = d("2026-11-10");
    b.invoice(2, "50", "0", 2, "2026-11-10");
    b.ok(
        "record_reminder",
        json!({"invoiceId": c3, "date": "2026-11-10"}),
    );
    b.today = d("2026-11-01");
    assert_eq!(
        b.ok("list_to_send", json!({"dueIds": true})),
        full,
        "from the facts as of 1 November"
    );
}

/// The ageing screen asks for a page sorted by what matters (a big shop has thousands of
/// customers); the totals always cover every row, and the pages put together are the report.
#[test]
fn ageing_pages_sorted_by_amount_owed_or_by_lateness_with_totals_over_everyone() {
    let mut b = Books::shop("2026-11-27");
    for name in ["Second", "Third"] {
        b.ok("create_customer", json!({"name": name}));
    }
    b.invoice(1, "100", "0", 5, "2026-07-01"); // over 90 days late
    b.invoice(3, "50", "0", 5, "2026-07-01"); // over 90 days late, smaller
    b.invoice(3, "400", "0", 5, "2026-10-01"); // 31–60
    b.invoice(2, "900", "0", 5, "2026-11-20"); // not due: the largest
                                               // A customer billed in dollars: compared with dollars only, after the home currency's rows.
    b.ok(
        "create_customer",
        json!({"name": "Dollar Ltd", "currency": "USD"}),
    );
    b.invoice(4, "5000", "0", 5, "2026-11-21");
    let ids = |v: &serde_json::Value| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["customerId"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let all = b.ok("ageing", json!({}));
    assert_eq!(
        (ids(&all), all["rowsTotal"].as_i64()),
        (vec![1, 2, 3, 4], Some(4)),
        "by customer, every row without a limit"
    );
    assert_eq!(
        ids(&b.ok("ageing", json!({"sort": "owed"}))),
        vec![2, 3, 1, 4],
        "900, 450, 100 tenge, then the dollars"
    );
    assert_eq!(
        ids(&b.ok("ageing", json!({"sort": "overdue"}))),
        vec![1, 3, 2, 4],
        "100 over 90 days, then 50 over 90 days, then none late; then the dollars"
    );
    let mut pieces = Vec::new();
    for offset in 0..4 {
        let page = b.ok(
            "ageing",
            json!({"sort": "customer", "limit": 1, "offset": offset}),
        );
        assert_eq!(
            (page["rowsTotal"].clone(), page["totals"].clone()),
            (json!(4), all["totals"].clone()),
            "totals over everyone on page {offset}"
        );
        pieces.extend(page["rows"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(
        json!(pieces),
        all["rows"],
        "the pages put together are the whole report"
    );
    assert_eq!(all["totals"][0]["total"], "1450.00");
    b.refused(
        "ageing",
        json!({"sort": "biggest"}),
        "validation",
        Some("sort"),
    );
    b.refused("ageing", json!({"limit": 0}), "validation", Some("limit"));
}

/// An invoice payable after receipt has no due date until it is sent: in the to-send list it
/// takes its place by its issue date, from the derived state and from the facts alike.
#[test]
fn an_unsent_invoice_due_after_receipt_waits_in_to_send_by_its_issue_date() {
    let mut b = Books::shop("2026-11-01");
    b.ok("create_customer", json!({"name": "Second"}));
    b.invoice(2, "100", "0", 2, "2026-10-10"); // Net 7, not sent: due 17 Oct
    let after_receipt = b.invoice(1, "100", "0", 7, "2026-10-12"); // 15 days after receipt: due unknown
    assert_eq!(
        b.ok("get_invoice", json!({"id": after_receipt}))["dueDate"],
        json!(null)
    );
    let list = b.ok("list_to_send", json!({}));
    let order: Vec<i64> = list["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["customerId"].as_i64().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![1, 2],
        "issued 12 Oct comes before due 17 Oct: {list}"
    );
    assert_eq!(
        (
            list["groups"][0]["toMail"][0]["invoiceId"].as_i64(),
            list["groups"][0]["toMail"][0]["date"].as_str()
        ),
        (Some(after_receipt), Some("2026-10-12"))
    );
    b.today = d("2026-11-05");
    b.invoice(2, "50", "0", 2, "2026-11-05");
    b.today = d("2026-11-01");
    assert_eq!(
        b.ok("list_to_send", json!({})),
        list,
        "from the facts as of 1 November"
    );
}

/// The unbilled list pages its rows, while its count, stale count, oldest age and amounts —
/// and the dashboard's — are over every unbilled service (a shop moving in 100,000 services
/// built them all for the dashboard; before that, rows past 5,000 were left out of its sum).
#[test]
fn unbilled_totals_cover_every_service_while_the_list_pages() {
    let mut b = Books::shop("2026-11-27");
    b.ok("create_customer", json!({"name": "Second"}));
    for (i, date) in [
        "2026-11-01",
        "2026-11-25",
        "2026-10-15",
        "2026-11-20",
        "2026-11-26",
        "2026-09-30",
    ]
    .iter()
    .enumerate()
    {
        b.ok(
            "record_charge",
            json!({"customerId": 1 + (i % 2), "serviceDate": date, "description": format!("Job {i}"), "quantity": "1.5", "unitPrice": "100.01"}),
        );
    }
    // One more on a draft invoice: still unbilled.
    let ch = b.ok("record_charge", json!({"customerId": 1, "serviceDate": "2026-11-02", "description": "On a draft", "quantity": "3", "unitPrice": "10"}));
    b.ok(
        "create_invoice",
        json!({"customerId": 1, "chargeIds": [ch["id"]]}),
    );
    let all = b.ok("list_unbilled", json!({}));
    let rows = all["rows"].as_array().unwrap();
    assert_eq!((all["count"].as_u64(), rows.len()), (Some(7), 7));
    let stale = rows.iter().filter(|r| r["stale"] == true).count();
    assert_eq!(all["staleCount"].as_u64(), Some(stale as u64));
    assert_eq!(all["oldestAgeDays"], rows[0]["ageDays"], "oldest first");
    // 6 × round(1.5 × 100.01 = 150.015 → 150.02) + 30.00
    assert_eq!(
        all["amounts"],
        json!([{"currency": "KZT", "amount": "930.12"}])
    );
    let page = b.ok("list_unbilled", json!({"limit": 2, "offset": 2}));
    assert_eq!(
        page["rows"].as_array().unwrap().as_slice(),
        &rows[2..4],
        "a page of the same order"
    );
    assert_eq!(
        (
            page["count"].clone(),
            page["staleCount"].clone(),
            page["amounts"].clone()
        ),
        (
            all["count"].clone(),
            all["staleCount"].clone(),
            all["amounts"].clone()
        ),
        "totals over everything"
    );
    let dash = b.ok("dashboard", json!({}));
    assert_eq!(
        (
            dash["unbilled"].as_str(),
            dash["unbilledCount"].as_u64(),
            dash["oldestUnbilledDays"].clone()
        ),
        (Some("930.12"), Some(7), all["oldestAgeDays"].clone())
    );
    b.refused(
        "list_unbilled",
        json!({"limit": 0}),
        "validation",
        Some("limit"),
    );
}

#[test]
fn a_unit_price_finer_than_the_currency_is_kept_as_entered_and_the_line_rounded() {
    let mut b = Books::shop("2026-11-27");
    // 1,500 grams at 0.125 ₸ a gram; 7.5 kWh at 19.995 (tenge, three decimals).
    let c = b.ok("record_charge", json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "Solder, per gram", "quantity": "1500", "unit": "g", "unitPrice": "0.125", "taxRate": "0"}));
    assert_eq!(c["unitPrice"], "0.125", "the price as entered");
    assert_eq!(c["amount"], "187.50");
    let inv = b.ok(
        "create_invoice",
        json!({"customerId": 1, "chargeIds": [c["id"]], "lines": [{"description": "Power", "quantity": "7.5", "unit": "kWh", "unitPrice": "19.995", "taxRate": "0"}]}),
    );
    let id = inv["id"].as_i64().unwrap();
    b.ok(
        "issue_invoice",
        json!({"id": id, "issueDate": "2026-11-27"}),
    );
    let got = b.ok("get_invoice", json!({"id": id}));
    let lines = got["lines"].as_array().unwrap();
    let power = lines.iter().find(|l| l["description"] == "Power").unwrap();
    assert_eq!(power["unitPrice"], "19.995");
    assert_eq!(
        power["amount"], "149.96",
        "7.5 × 19.995 = 149.9625, rounded half away from zero to the tenge's 2 decimals"
    );
    assert_eq!(got["totals"]["total"], "337.46");
    // Seven decimals are too many: the message says six are allowed, and names the line.
    let e = b.refused(
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "x", "quantity": "1", "unitPrice": "0.1234567"}]}),
        "validation",
        Some("lines[0].unitPrice"),
    );
    assert_eq!(e.message_key(), "error.tooManyDecimals.6");
    // A quantity with six decimals too (minutes as hours, grams as kilograms).
    b.ok(
        "record_charge",
        json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "Calls", "quantity": "0.016667", "unit": "h", "unitPrice": "6000"}),
    );
}

/// #18: the preset payment terms are named in the language asked for; English keeps the names
/// the presets were stored with, and the user's own terms keep their name in every language.
#[test]
fn preset_terms_are_named_in_the_language_asked_for() {
    let mut b = Books::shop("2026-11-27");
    let names = |b: &mut Books, lang: &str| -> Vec<(i64, String)> {
        let list = b.ok("list_terms", json!({"language": lang}));
        list.as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_i64().unwrap(),
                    t["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let en = names(&mut b, "en");
    let stored: Vec<(i64, String)> = {
        let mut stmt = b
            .conn
            .prepare("SELECT id, name FROM payment_terms WHERE preset = 1")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for (id, name) in &stored {
        assert!(
            en.contains(&(*id, name.clone())),
            "English names the preset {id} as stored ({name}): {en:?}"
        );
    }
    let ru = names(&mut b, "ru");
    let kk = names(&mut b, "kk");
    let find = |v: &[(i64, String)], id: i64| v.iter().find(|(i, _)| *i == id).unwrap().1.clone();
    assert_eq!(find(&ru, 5), "30 дн. с даты счёта");
    assert_eq!(find(&kk, 5), "Шот күнінен бастап 30 күн");
    assert_eq!(find(&ru, 1), "По получении счёта");
    assert_eq!(find(&ru, 8), "До 10-го числа следующего месяца");
    assert_eq!(
        find(&kk, 9),
        "Шот күнінен бастап 30 күн, 10 күн ішінде 2 % жеңілдік"
    );
    assert_eq!(find(&ru, 9), "30 дн. с даты счёта, скидка 2 % за 10 дн.");
    let own = b.ok(
        "save_terms",
        json!({"name": "Мой срок", "kind": "net", "days": 45}),
    )["id"]
        .as_i64()
        .unwrap();
    for lang in ["en", "ru", "kk"] {
        assert_eq!(find(&names(&mut b, lang), own), "Мой срок");
    }
}

/// #20: the act of completed works is made from an issued invoice, numbered gaplessly in its
/// own series, frozen (the database refuses to change or delete it), one per invoice.
#[test]
fn an_act_of_completed_works_is_made_once_from_an_issued_invoice_and_never_changes() {
    let mut b = Books::shop("2026-11-27");
    b.ok(
        "update_customer",
        json!({"id": 1, "name": "ТОО «Север-Сервис»", "language": "ru", "taxId": "120740000891", "contractNumber": "С-07", "contractDate": "2026-03-02"}),
    );
    let draft = b.ok("create_invoice", json!({"customerId": 1, "lines": [{"description": "Ремонт", "quantity": "2", "unit": "час", "unitPrice": "5000"}]}));
    b.refused(
        "create_act",
        json!({"invoiceId": draft["id"]}),
        "conflict",
        Some("invoiceId"),
    );
    let one = b.invoice(1, "5000", "0", 1, "2026-11-20");
    let older = b.invoice(1, "3000", "0", 1, "2026-11-22");
    let two = b.invoice(1, "7000", "0", 1, "2026-11-25");
    let a1 = b.ok("create_act", json!({"invoiceId": one}));
    assert_eq!(a1["number"], "АВР-2026-0001");
    assert_eq!(a1["date"], "2026-11-20", "dated as its invoice by default");
    assert_eq!(a1["language"], "ru", "in the customer's language");
    assert_eq!(a1["content"]["customer"]["taxId"], "120740000891");
    assert_eq!(a1["content"]["customer"]["contractNumber"], "С-07");
    b.refused(
        "create_act",
        json!({"invoiceId": one}),
        "conflict",
        Some("invoiceId"),
    );
    b.refused(
        "create_act",
        json!({"invoiceId": two, "date": "2026-11-28"}),
        "validation",
        Some("date"),
    );
    b.refused(
        "create_act",
        json!({"invoiceId": two, "language": "en"}),
        "validation",
        Some("language"),
    );
    let a2 = b.ok("create_act", json!({"invoiceId": two, "language": "kk+ru"}));
    assert_eq!(a2["number"], "АВР-2026-0002", "gapless after the refusals");
    // An act for an older invoice, made after a newer one's: numbers follow dates, so it is
    // dated with the last act by default; an earlier date is refused with the act named.
    let e = b.refused(
        "create_act",
        json!({"invoiceId": older, "date": "2026-11-22"}),
        "validation",
        Some("date"),
    );
    assert_eq!(e.message_key(), "error.beforeLastAct");
    assert_eq!(
        b.ok("create_act", json!({"invoiceId": older}))["date"],
        "2026-11-25"
    );
    assert_eq!(
        b.ok("list_acts", json!({"invoiceId": one}))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Frozen: a later change of the customer does not change the act; the database refuses edits.
    b.ok(
        "update_customer",
        json!({"id": 1, "name": "ТОО «Новое имя»", "language": "ru"}),
    );
    assert_eq!(
        b.ok("get_act", json!({"id": a1["id"]}))["content"]["customer"]["name"],
        "ТОО «Север-Сервис»"
    );
    assert!(
        b.conn
            .execute("UPDATE acts SET number = 'X' WHERE id = 1", [])
            .is_err(),
        "an act is never changed"
    );
    assert!(
        b.conn.execute("DELETE FROM acts WHERE id = 1", []).is_err(),
        "an act is never deleted"
    );
    assert_eq!(b.ok("check_books", json!({}))["ok"], true);
    let series = b.ok("get_series", json!({}));
    let act = series
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "act")
        .expect("the act series is listed");
    assert_eq!(
        (act["issued"].as_i64(), act["nextNumber"].as_i64()),
        (Some(3), Some(4))
    );
}

/// #20: an act can also confirm a selection of one customer's recorded services (billed or
/// not); a service is on one act at most (an invoice covering it then gets no second act, and
/// the service can no longer be edited); the act's sending log says whether it was handed over
/// and the "to send" list offers it until then.
#[test]
fn an_act_for_selected_services_covers_each_service_once_and_is_offered_until_handed_over() {
    let mut b = Books::shop("2026-11-27");
    b.ok(
        "update_customer",
        json!({"id": 1, "name": "ТОО «Север-Сервис»", "language": "kk", "taxId": "120740000891"}),
    );
    let charge = |b: &mut Books, date: &str, price: &str| {
        b.ok(
            "record_charge",
            json!({"customerId": 1, "serviceDate": date, "description": "Жөндеу", "quantity": "2", "unit": "сағ", "unitPrice": price, "taxRate": "16"}),
        )["id"]
            .as_i64()
            .unwrap()
    };
    let (c1, c2, c3) = (
        charge(&mut b, "2026-11-10", "1000.50"),
        charge(&mut b, "2026-11-18", "2000"),
        charge(&mut b, "2026-11-19", "700"),
    );
    let other = b.ok("create_customer", json!({"name": "Басқа"}))["id"]
        .as_i64()
        .unwrap();
    let before = esep_core::db::data_dump(&b.conn).unwrap();
    b.refused(
        "create_act",
        json!({"customerId": 1, "chargeIds": []}),
        "validation",
        Some("chargeIds"),
    );
    b.refused(
        "create_act",
        json!({"customerId": other, "chargeIds": [c1]}),
        "validation",
        Some("chargeIds[0]"),
    );
    b.refused(
        "create_act",
        json!({"customerId": 1, "chargeIds": [c1, c1]}),
        "validation",
        Some("chargeIds[1]"),
    );
    b.refused(
        "create_act",
        json!({"customerId": 1, "chargeIds": [c1, c2], "date": "2026-11-17"}),
        "validation",
        Some("date"),
    );
    b.refused(
        "create_act",
        json!({"invoiceId": 1, "chargeIds": [c1]}),
        "validation",
        Some("chargeIds"),
    );
    assert_eq!(
        esep_core::db::data_dump(&b.conn).unwrap(),
        before,
        "a refused act writes nothing"
    );
    let a = b.ok(
        "create_act",
        json!({"customerId": 1, "chargeIds": [c1, c2]}),
    );
    assert_eq!(
        a["date"], "2026-11-18",
        "dated by default on the last service's date"
    );
    assert_eq!(a["invoiceId"], serde_json::Value::Null);
    assert_eq!(a["language"], "kk");
    let lines = a["content"]["lines"].as_array().unwrap();
    assert_eq!(
        (
            lines[0]["date"].as_str(),
            lines[0]["amount"].as_str(),
            lines[1]["amount"].as_str()
        ),
        (Some("2026-11-10"), Some("2001.00"), Some("4000.00"))
    );
    assert_eq!(
        a["content"]["total"], "6961.16",
        "priced as an invoice prices them: 6 001.00 + 16 % VAT"
    );
    // Each service once: not on a second act, not edited, and its invoice gets no act of its own.
    b.refused(
        "create_act",
        json!({"customerId": 1, "chargeIds": [c3, c2]}),
        "conflict",
        Some("chargeIds[1]"),
    );
    let unbilled = b.ok("list_unbilled", json!({}));
    let row = unbilled["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == c1)
        .unwrap()
        .clone();
    assert_eq!(row["actNumber"], a["number"]);
    b.refused("delete_charge", json!({"id": c1}), "not_editable", None);
    let inv = b.ok(
        "create_invoice",
        json!({"customerId": 1, "chargeIds": [c1, c3]}),
    )["id"]
        .as_i64()
        .unwrap();
    b.ok(
        "issue_invoice",
        json!({"id": inv, "issueDate": "2026-11-20"}),
    );
    b.refused(
        "create_act",
        json!({"invoiceId": inv}),
        "conflict",
        Some("invoiceId"),
    );
    // Handed over: offered by "to send" until then; never before its date nor in the future.
    let to_send = |b: &mut Books| {
        b.ok("list_to_send", json!({}))["acts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["number"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(to_send(&mut b), vec![a["number"].clone()]);
    b.refused(
        "record_act_sending",
        json!({"actId": a["id"], "kind": "post", "date": "2026-11-17"}),
        "validation",
        Some("date"),
    );
    b.refused(
        "record_act_sending",
        json!({"actId": a["id"], "kind": "post", "date": "2026-11-28"}),
        "validation",
        Some("date"),
    );
    b.refused(
        "record_act_sending",
        json!({"actId": a["id"], "kind": "fax"}),
        "validation",
        Some("kind"),
    );
    b.ok(
        "record_act_sending",
        json!({"actId": a["id"], "kind": "pdf"}),
    );
    assert_eq!(
        to_send(&mut b).len(),
        1,
        "a saved PDF is not yet handed over"
    );
    let sent = b.ok(
        "record_act_sending",
        json!({"actId": a["id"], "kind": "post", "date": "2026-11-25"}),
    );
    assert_eq!(sent["sends"].as_array().unwrap().len(), 2);
    assert!(to_send(&mut b).is_empty());
    let listed = b.ok("list_acts", json!({"customerId": 1}));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        listed[0]["sends"][0]["kind"], "post",
        "the log in date order"
    );
    assert_eq!(b.ok("check_books", json!({}))["ok"], true);
}

/// #19: an invoice's whole life in date order, from the facts, each document it produced
/// named so it can be printed again.
#[test]
fn an_invoices_history_lists_every_event_in_date_order_with_its_document() {
    let mut b = Books::shop("2026-11-27");
    let inv = b.invoice(1, "10000", "0", 5, "2026-09-01");
    b.ok(
        "record_sending",
        json!({"invoiceId": inv, "kind": "post", "date": "2026-09-02", "note": "заказным"}),
    );
    let reminder = b.ok(
        "record_reminder",
        json!({"invoiceId": inv, "date": "2026-10-10"}),
    )["id"]
        .as_i64()
        .unwrap();
    let pay = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "3000", "date": "2026-10-20", "invoiceIds": [inv]}),
    );
    let cn = b.ok("create_credit_note", json!({"invoiceId": inv, "reason": "Часть работ не выполнена", "amount": "1000", "date": "2026-11-01"}));
    b.ok("write_off", json!({"invoiceId": inv, "reason": "Мелкий остаток", "amount": "500", "date": "2026-11-20"}));
    let act = b.ok(
        "create_act",
        json!({"invoiceId": inv, "date": "2026-11-25"}),
    );
    let h = b.ok("invoice_history", json!({"id": inv}));
    let kinds: Vec<&str> = h["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "issued",
            "sent_post",
            "reminder",
            "payment",
            "notice",
            "credit_note",
            "write_off",
            "act"
        ]
    );
    let e = |i: usize| h["events"][i].clone();
    assert_eq!(
        (e(0)["date"].as_str(), e(0)["document"]["kind"].as_str()),
        (Some("2026-09-01"), Some("invoice"))
    );
    assert_eq!(
        (
            e(1)["detail"]["note"].as_str(),
            e(1)["detail"]["expectedReceipt"].is_string()
        ),
        (Some("заказным"), true)
    );
    assert_eq!(
        (
            e(2)["detail"]["level"].as_i64(),
            e(2)["document"]["id"].as_i64()
        ),
        (Some(1), Some(reminder))
    );
    assert_eq!(
        (
            e(3)["amount"].as_str(),
            e(3)["document"]["kind"].as_str(),
            e(3)["document"]["id"].as_i64()
        ),
        (Some("3000.00"), Some("receipt"), pay["id"].as_i64())
    );
    assert_eq!(
        (
            e(4)["document"]["kind"].as_str(),
            e(4)["detail"]["direction"].as_str()
        ),
        (Some("notice"), Some("under"))
    );
    assert_eq!(
        (
            e(5)["detail"]["number"].as_str(),
            e(5)["document"]["id"].as_i64()
        ),
        (cn["number"].as_str(), cn["id"].as_i64())
    );
    assert_eq!(
        (e(6)["amount"].as_str(), e(6)["detail"]["reason"].as_str()),
        (Some("500.00"), Some("Мелкий остаток"))
    );
    assert_eq!(e(7)["detail"]["number"], act["number"]);
    // Every document named in the history can be laid out again.
    for ev in h["events"].as_array().unwrap() {
        if let Some(doc) = ev.get("document") {
            b.ok(
                "document_layout",
                json!({"kind": doc["kind"], "id": doc["id"]}),
            );
        }
    }
    let draft = b.ok(
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "x", "unitPrice": "1"}]}),
    )["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        b.ok("invoice_history", json!({"id": draft}))["events"],
        json!([]),
        "a draft has no history yet"
    );
    b.refused(
        "invoice_history",
        json!({"id": 9999}),
        "not_found",
        Some("id"),
    );
}

/// #19: a mistyped payment is corrected without deleting history: reversed by a mirror entry
/// with its reason (what it settled, its early discount and the credit it left are taken back),
/// then recorded again; never twice, never when its credit was already used.
#[test]
fn a_mistyped_payment_is_reversed_with_a_reason_and_recorded_again() {
    let mut b = Books::shop("2026-11-27");
    let inv = b.invoice(1, "10000", "0", 5, "2026-11-01");
    let wrong = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "1000", "date": "2026-11-10", "invoiceIds": [inv]}),
    );
    assert_eq!(b.open(inv), "9000.00");
    let trial_before = b.ok("trial_balance", json!({}));
    let id = wrong["id"].as_i64().unwrap();
    b.refused(
        "reverse_payment",
        json!({"id": id}),
        "validation",
        Some("reason"),
    );
    b.refused(
        "reverse_payment",
        json!({"id": id, "reason": "Сумма набрана неверно", "date": "2026-11-09"}),
        "validation",
        Some("date"),
    );
    b.refused(
        "reverse_payment",
        json!({"id": id, "reason": "Сумма набрана неверно", "date": "2026-11-28"}),
        "validation",
        Some("date"),
    );
    // Dated by default as the payment itself (a red storno): as of any date it never counted.
    let r = b.ok(
        "reverse_payment",
        json!({"id": id, "reason": "Сумма набрана неверно"}),
    );
    assert_eq!(
        (
            r["reversed"]["date"].as_str(),
            r["reversed"]["reason"].as_str()
        ),
        (Some("2026-11-10"), Some("Сумма набрана неверно"))
    );
    assert_eq!(b.open(inv), "10000.00", "open again");
    assert_eq!(
        b.ok("get_payment", json!({"id": id}))["allocations"][0]["amount"],
        "1000.00",
        "the payment itself is kept as it was"
    );
    b.refused(
        "reverse_payment",
        json!({"id": id, "reason": "ещё раз"}),
        "conflict",
        Some("id"),
    );
    assert_eq!(b.ok("check_books", json!({}))["ok"], true);
    // Recorded again as it really was.
    b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "10000", "date": "2026-11-10", "invoiceIds": [inv]}),
    );
    assert_eq!(b.status(inv), "paid");
    let kinds: Vec<String> = b.ok("invoice_history", json!({"id": inv}))["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["issued", "payment", "payment_reversed", "payment", "notice"],
        "in date order, then in the order they were recorded (the notice about the 1 000 comes last that day)"
    );
    assert_ne!(b.ok("trial_balance", json!({})), trial_before);
    // A payment that left credit which was then used cannot be reversed (the credit is gone).
    let other = b.invoice(1, "3000", "0", 5, "2026-11-20");
    let over = b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "5000", "date": "2026-11-21", "invoiceIds": [other]}),
    );
    let third = b.invoice(1, "2000", "0", 5, "2026-11-22");
    b.ok("apply_credit", json!({"customerId": 1, "invoiceId": third}));
    b.refused(
        "reverse_payment",
        json!({"id": over["id"], "reason": "x"}),
        "conflict",
        Some("id"),
    );
    assert_eq!(b.ok("check_books", json!({}))["ok"], true);
}

/// #17: a field a command does not take is refused by name (at any depth), and nothing is
/// written: `{"taxrate": "12"}` used to be ignored and the default rate used.
#[test]
fn a_field_the_command_does_not_know_is_refused_by_name() {
    let mut b = Books::shop("2026-11-27");
    let before = esep_core::db::data_dump(&b.conn).unwrap();
    let e = b.refused(
        "record_charge",
        json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "Ремонт", "unitPrice": "5000", "taxrate": "12"}),
        "validation",
        Some("taxrate"),
    );
    assert_eq!(e.message_key(), "error.unknownField");
    let e = b.refused(
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "a", "quantity": "1", "unitPrice": "1"}, {"description": "b", "quantity": "1", "unitPrice": "1", "vat": "16"}]}),
        "validation",
        Some("lines[1].vat"),
    );
    assert_eq!(e.message_key(), "error.unknownField");
    assert_eq!(
        esep_core::db::data_dump(&b.conn).unwrap(),
        before,
        "nothing written"
    );
    // The same charge with the field spelt right is recorded at that rate.
    let c = b.ok("record_charge", json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "Ремонт", "unitPrice": "5000", "taxRate": "12"}));
    assert_eq!(c["taxRate"], "12");
}

/// #19: a Kazakh name is found when typed on a Russian keyboard.
#[test]
fn customer_search_finds_kazakh_names_typed_on_a_russian_keyboard() {
    let mut b = Books::shop("2026-11-27");
    b.ok("create_customer", json!({"name": "Әсем Нұрланқызы"}));
    b.ok("create_customer", json!({"name": "«Қайнар» ЖШС"}));
    for (query, name) in [
        ("Асем", "Әсем Нұрланқызы"),
        ("нурланкызы", "Әсем Нұрланқызы"),
        ("Кайнар", "«Қайнар» ЖШС"),
        ("ҚАЙНАР", "«Қайнар» ЖШС"),
    ] {
        let found = b.ok("search_customers", json!({"query": query}));
        let names: Vec<&str> = found["rows"]
            .as_array()
            .or(found.as_array())
            .unwrap()
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert!(names.contains(&name), "{query:?} finds {name:?}: {names:?}");
    }
}

/// A customer page holds the newest 500 invoices and the oldest 5,000 unbilled services, and
/// says how many there are in all (it used to stop at 500 without a word).
#[test]
fn a_customer_page_counts_what_it_does_not_show() {
    let mut b = Books::shop("2026-11-27");
    for i in 0..503 {
        b.ok("create_invoice", json!({"customerId": 1, "lines": [{"description": format!("Работа {i}"), "quantity": "1", "unitPrice": "100"}]}));
    }
    b.ok("record_charge", json!({"customerId": 1, "serviceDate": "2026-11-10", "description": "Ремонт", "unitPrice": "100"}));
    let c = b.ok("get_customer", json!({"id": 1}));
    assert_eq!(c["invoices"].as_array().unwrap().len(), 500);
    assert_eq!(c["invoiceCount"], 503);
    assert_eq!(
        (c["unbilled"].as_array().unwrap().len(), &c["unbilledCount"]),
        (1, &json!(1))
    );
    let all = b.ok(
        "list_invoices",
        json!({"customerId": 1, "limit": 10, "offset": 500}),
    );
    assert_eq!(
        all["rows"].as_array().unwrap().len(),
        3,
        "the invoice list pages through the rest"
    );
}

/// A service whose quantity × price the books cannot hold is refused (it used to be stored and
/// shown as 0.00), naming the quantity, writing nothing.
#[test]
fn a_service_too_large_to_hold_is_refused_not_shown_as_zero() {
    let mut b = Books::shop("2026-11-27");
    let e = b.refused(
        "record_charge",
        json!({"customerId": 1, "serviceDate": "2026-11-10", "description": "Работа",
               "quantity": "1000000000", "unitPrice": "1000000000000"}),
        "validation",
        Some("quantity"),
    );
    assert_eq!(e.message_key(), "error.amountTooLarge");
    let ok = b.ok(
        "record_charge",
        json!({"customerId": 1, "serviceDate": "2026-11-10", "description": "Работа",
               "quantity": "1000", "unitPrice": "1000000000"}),
    );
    assert_eq!(ok["amount"], "1000000000000.00");
}
