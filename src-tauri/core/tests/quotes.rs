//! Quotes (#22): numbered in their own gapless series, valid until a date, accepted once and
//! made into a draft invoice once, posting nothing; refusals write nothing. The books are
//! checked after every step (the `Books` bench).

mod common;

use common::{d, Books};
use serde_json::{json, Value};

fn quote(b: &mut Books, customer: i64) -> Value {
    b.ok(
        "save_quote",
        json!({"customerId": customer, "notes": "Цена действительна при оплате в течение месяца.",
               "lines": [{"description": "Монтаж кондиционера", "quantity": "2", "unit": "шт", "unitPrice": "45000", "taxRate": "0"},
                         {"description": "Выезд мастера", "unitPrice": "5000", "taxRate": "0"}]}),
    )
}

#[test]
fn a_quote_is_numbered_accepted_and_becomes_an_invoice_once_posting_nothing() {
    let mut b = Books::shop("2026-11-27");
    let journal_before = b.ok("get_journal", json!({}));
    let q = quote(&mut b, 1);
    assert_eq!(
        (
            q["status"].as_str(),
            q["number"].is_null(),
            q["total"].as_str()
        ),
        (Some("draft"), true, Some("95000.00"))
    );
    // A draft can change; an issued one cannot.
    let q = b.ok(
        "save_quote",
        json!({"id": q["id"], "customerId": 1, "lines": [{"description": "Монтаж кондиционера", "quantity": "3", "unitPrice": "45000", "taxRate": "0"}]}),
    );
    assert_eq!(q["total"], "135000.00");
    let id = q["id"].clone();
    b.refused(
        "decide_quote",
        json!({"id": id, "decision": "accepted"}),
        "conflict",
        Some("id"),
    );
    let q = b.ok("issue_quote", json!({"id": id}));
    assert_eq!(
        (
            q["number"].as_str(),
            q["issueDate"].as_str(),
            q["validUntil"].as_str(),
            q["status"].as_str()
        ),
        (
            Some("Q-2026-0001"),
            Some("2026-11-27"),
            Some("2026-12-27"),
            Some("issued")
        )
    );
    b.refused(
        "save_quote",
        json!({"id": id, "customerId": 1, "lines": [{"description": "x", "unitPrice": "1"}]}),
        "not_editable",
        None,
    );
    b.refused("issue_quote", json!({"id": id}), "conflict", Some("id"));
    b.refused("delete_quote", json!({"id": id}), "not_editable", None);
    b.refused(
        "quote_to_invoice",
        json!({"id": id}),
        "conflict",
        Some("id"),
    );
    b.ok("decide_quote", json!({"id": id, "decision": "sent"}));
    let q = b.ok("decide_quote", json!({"id": id, "decision": "accepted"}));
    assert_eq!(
        (
            q["status"].as_str(),
            q["decidedOn"].as_str(),
            q["sentOn"].as_str()
        ),
        (Some("accepted"), Some("2026-11-27"), Some("2026-11-27"))
    );
    b.refused(
        "decide_quote",
        json!({"id": id, "decision": "accepted"}),
        "conflict",
        Some("id"),
    );
    b.refused(
        "decide_quote",
        json!({"id": id, "decision": "declined"}),
        "conflict",
        Some("id"),
    );
    assert_eq!(
        b.ok("get_journal", json!({})),
        journal_before,
        "a quote posts nothing"
    );
    let inv = b.ok("quote_to_invoice", json!({"id": id}));
    assert_eq!(
        (
            inv["status"].as_str(),
            inv["lines"][0]["quantity"].as_str(),
            inv["totals"]["total"].as_str()
        ),
        (Some("draft"), Some("3"), Some("135000.00"))
    );
    assert_eq!(inv["fromQuote"]["number"], "Q-2026-0001");
    assert!(
        inv["notes"].as_str().unwrap().contains("Q-2026-0001"),
        "{}",
        inv["notes"]
    );
    b.refused(
        "quote_to_invoice",
        json!({"id": id}),
        "conflict",
        Some("id"),
    );
    let q = b.ok("get_quote", json!({"id": id}));
    assert_eq!(q["invoiceId"], inv["id"]);
    // Deleting the draft invoice frees the quote to be invoiced again.
    b.ok("delete_invoice", json!({"id": inv["id"]}));
    assert!(b.ok("get_quote", json!({"id": id}))["invoiceId"].is_null());
    let again = b.ok("quote_to_invoice", json!({"id": id}));
    b.ok("issue_invoice", json!({"id": again["id"]}));
    assert_eq!(
        b.ok("get_invoice", json!({"id": again["id"]}))["number"],
        "INV-2026-0001",
        "the invoice series is its own"
    );
}

#[test]
fn an_expired_quote_cannot_be_accepted_and_numbers_follow_dates() {
    let mut b = Books::shop("2026-11-27");
    let q = quote(&mut b, 1);
    b.refused(
        "issue_quote",
        json!({"id": q["id"], "validUntil": "2026-11-26"}),
        "validation",
        Some("validUntil"),
    );
    b.refused(
        "issue_quote",
        json!({"id": q["id"], "issueDate": "2026-11-28"}),
        "validation",
        Some("issueDate"),
    );
    b.ok(
        "issue_quote",
        json!({"id": q["id"], "issueDate": "2026-11-20", "validUntil": "2026-11-25"}),
    );
    assert_eq!(
        b.ok("get_quote", json!({"id": q["id"]}))["status"],
        "expired"
    );
    b.refused(
        "decide_quote",
        json!({"id": q["id"], "decision": "accepted"}),
        "conflict",
        Some("id"),
    );
    // Declining an expired quote is still the customer's answer.
    assert_eq!(
        b.ok(
            "decide_quote",
            json!({"id": q["id"], "decision": "declined"})
        )["status"],
        "declined"
    );
    let second = quote(&mut b, 1);
    b.refused(
        "issue_quote",
        json!({"id": second["id"], "issueDate": "2026-11-19"}),
        "validation",
        Some("issueDate"),
    );
    assert_eq!(
        b.ok("issue_quote", json!({"id": second["id"]}))["number"],
        "Q-2026-0002"
    );
    // The quote series is in check_books and in Settings → numbering.
    let series = b.ok("get_series", json!({}));
    assert!(series
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "quote" && s["issued"] == 2));
    b.today = d("2027-01-05");
    let third = quote(&mut b, 1);
    assert_eq!(
        b.ok("issue_quote", json!({"id": third["id"]}))["number"],
        "Q-2027-0001",
        "a yearly series"
    );
}

#[test]
fn bad_quotes_are_refused_naming_the_field() {
    let mut b = Books::shop("2026-11-27");
    b.refused(
        "save_quote",
        json!({"customerId": 1, "lines": []}),
        "validation",
        Some("lines"),
    );
    b.refused(
        "save_quote",
        json!({"customerId": 1, "lines": [{"description": "x", "unitPrice": "abc"}]}),
        "validation",
        Some("lines[0].unitPrice"),
    );
    b.refused(
        "save_quote",
        json!({"customerId": 1, "lines": [{"chargeId": 1, "description": "x", "unitPrice": "1"}]}),
        "validation",
        Some("lines[0].chargeId"),
    );
    b.refused(
        "save_quote",
        json!({"customerId": 7, "lines": [{"description": "x", "unitPrice": "1"}]}),
        "not_found",
        Some("customerId"),
    );
    b.refused(
        "decide_quote",
        json!({"id": 1, "decision": "maybe"}),
        "validation",
        Some("decision"),
    );
    b.refused("get_quote", json!({"id": 1}), "not_found", Some("id"));
}

/// A quote whose notes fill the field still makes a draft that can be issued: the line naming
/// the quote is left out when it would not fit (the invoice's page names the quote anyway).
#[test]
fn a_quote_with_full_notes_becomes_an_invoice_that_can_be_issued() {
    let mut b = Books::shop("2026-11-27");
    let notes = "Условия. ".repeat(444); // 3,996 characters once trimmed
    let q = b.ok(
        "save_quote",
        json!({"customerId": 1, "notes": notes,
               "lines": [{"description": "Монтаж", "unitPrice": "45000", "taxRate": "0"}]}),
    );
    let id = q["id"].clone();
    b.ok("issue_quote", json!({"id": id}));
    b.ok("decide_quote", json!({"id": id, "decision": "accepted"}));
    let draft = b.ok("quote_to_invoice", json!({"id": id}));
    assert_eq!(
        draft["notes"].as_str().map(|n| n.chars().count()),
        Some(notes.trim().chars().count())
    );
    assert_eq!(
        draft["fromQuote"]["id"], id,
        "the invoice still names its quote"
    );
    let inv = b.ok("issue_invoice", json!({"id": draft["id"]}));
    assert!(
        inv["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("INV-")),
        "{}",
        inv["number"]
    );
    // With short notes the line is there.
    let q2 = quote(&mut b, 1);
    b.ok("issue_quote", json!({"id": q2["id"]}));
    b.ok(
        "decide_quote",
        json!({"id": q2["id"], "decision": "accepted"}),
    );
    let d2 = b.ok("quote_to_invoice", json!({"id": q2["id"]}));
    assert!(
        d2["notes"]
            .as_str()
            .unwrap()
            .starts_with("Согласно коммерческому предложению № "),
        "{}",
        d2["notes"]
    );
}
