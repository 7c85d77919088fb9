//! Recurring invoices (#22): periods made once each, however the app is opened; auto-issued
//! ones keep numbers following dates; pausing, ending and editing; refusals that write
//! nothing. The books are checked after every step (the `Books` bench).

mod common;

use common::{d, Books};
use proptest::prelude::*;
use serde_json::{json, Value};

fn schedule(b: &mut Books, extra: Value) -> Value {
    let mut args = json!({
        "customerId": 1, "frequency": "monthly", "dayOfMonth": 1, "startDate": "2026-09-01", "termsId": 5,
        "lines": [{"description": "Обслуживание кассы", "quantity": "1", "unitPrice": "15000", "taxRate": "0"}],
    });
    for (k, v) in extra.as_object().unwrap() {
        args[k] = v.clone();
    }
    b.ok("save_recurring", args)
}

fn invoices(b: &mut Books) -> Vec<Value> {
    b.ok("list_invoices", json!({"limit": 200}))["rows"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_monthly_schedule_catches_up_every_period_once() {
    let mut b = Books::shop("2026-11-27");
    let s = schedule(&mut b, json!({}));
    assert_eq!(
        (s["nextDate"].as_str(), s["generated"].as_i64()),
        (Some("2026-09-01"), Some(0))
    );
    let r = b.ok("run_recurring", json!({}));
    let dates: Vec<&str> = r["generated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2026-09-01", "2026-10-01", "2026-11-01"],
        "three months closed: three periods"
    );
    assert!(
        b.ok("run_recurring", json!({}))["generated"]
            .as_array()
            .unwrap()
            .is_empty(),
        "never twice"
    );
    let list = invoices(&mut b);
    assert_eq!(list.len(), 3);
    assert!(
        list.iter()
            .all(|i| i["status"] == "draft" && i["number"].is_null()),
        "drafts to review, no number taken"
    );
    let nov = b.ok("get_invoice", json!({"id": r["generated"][2]["invoiceId"]}));
    assert_eq!(
        (nov["serviceFrom"].as_str(), nov["serviceTo"].as_str()),
        (Some("2026-11-01"), Some("2026-11-30"))
    );
    assert_eq!(nov["lines"][0]["description"], "Обслуживание кассы");
    assert_eq!(b.ok("dashboard", json!({}))["recurringDrafts"], 3);
    // A deleted draft's period stays done.
    b.ok(
        "delete_invoice",
        json!({"id": r["generated"][0]["invoiceId"]}),
    );
    assert!(b.ok("run_recurring", json!({}))["generated"]
        .as_array()
        .unwrap()
        .is_empty());
    let s = b.ok("get_recurring", json!({"id": s["id"]}));
    assert_eq!(
        (
            s["generated"].as_i64(),
            s["nextDate"].as_str(),
            s["drafts"].as_array().unwrap().len()
        ),
        (Some(3), Some("2026-12-01"), 2)
    );
    // December comes: one more.
    b.today = d("2026-12-01");
    assert_eq!(
        b.ok("run_recurring", json!({}))["generated"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn auto_issued_periods_take_numbers_in_date_order() {
    let mut b = Books::shop("2026-11-27");
    // Another invoice was issued on 15 October while the app was closed for the schedule.
    b.invoice(1, "100", "0", 5, "2026-10-15");
    schedule(&mut b, json!({"autoIssue": true}));
    let r = b.ok("run_recurring", json!({}));
    assert!(r["generated"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["issued"] == true));
    let mut issued: Vec<(String, String)> = invoices(&mut b)
        .iter()
        .map(|i| {
            (
                i["number"].as_str().unwrap().to_string(),
                i["issueDate"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    issued.sort();
    assert_eq!(
        issued,
        [
            ("INV-2026-0001".to_string(), "2026-10-15".to_string()),
            ("INV-2026-0002".into(), "2026-10-15".into()),
            ("INV-2026-0003".into(), "2026-10-15".into()),
            ("INV-2026-0004".into(), "2026-11-01".into())
        ],
        "September and October are dated no earlier than the last issued invoice"
    );
}

#[test]
fn pausing_skips_ending_stops_and_editing_changes_what_comes_next() {
    let mut b = Books::shop("2026-09-15");
    let s = schedule(&mut b, json!({}));
    let id = s["id"].clone();
    b.ok("run_recurring", json!({}));
    b.ok("pause_recurring", json!({"id": id}));
    b.today = d("2026-11-15");
    assert!(
        b.ok("run_recurring", json!({}))["generated"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing while paused"
    );
    b.ok("pause_recurring", json!({"id": id, "paused": false}));
    b.today = d("2026-12-02");
    let r = b.ok("run_recurring", json!({}));
    assert_eq!(
        r["generated"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["date"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2026-12-01"],
        "October and November skipped"
    );
    // Editing: new price from the next period; how often is fixed once periods exist.
    let mut edit = b.ok("get_recurring", json!({"id": id}));
    b.refused(
        "save_recurring",
        json!({"id": id, "customerId": 1, "frequency": "weekly", "startDate": "2026-09-01", "lines": edit["lines"]}),
        "validation",
        Some("frequency"),
    );
    edit["lines"][0]["unitPrice"] = json!("18000");
    let saved = b.ok(
        "save_recurring",
        json!({"id": id, "customerId": 1, "frequency": "monthly", "dayOfMonth": 1, "startDate": "2026-09-01", "termsId": 5, "lines": edit["lines"]}),
    );
    assert_eq!(saved["lines"][0]["unitPrice"], "18000.00");
    b.today = d("2027-01-01");
    let r = b.ok("run_recurring", json!({}));
    let jan = b.ok("get_invoice", json!({"id": r["generated"][0]["invoiceId"]}));
    assert_eq!(jan["total"], "18000.00");
    let first = b.ok("get_invoice", json!({"id": 1}));
    assert_eq!(first["total"], "15000.00", "what was made stays as it was");
    // Ending: nothing after today.
    b.ok("end_recurring", json!({"id": id}));
    b.today = d("2027-06-01");
    assert!(b.ok("run_recurring", json!({}))["generated"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(b.ok("get_recurring", json!({"id": id}))["ended"], true);
}

#[test]
fn bad_schedules_are_refused_naming_the_field() {
    let mut b = Books::shop("2026-11-27");
    let base = json!({"customerId": 1, "frequency": "monthly", "startDate": "2026-11-01", "lines": [{"description": "x", "unitPrice": "1"}]});
    let with = |k: &str, v: Value| {
        let mut a = base.clone();
        if v.is_null() {
            a.as_object_mut().unwrap().remove(k);
        } else {
            a[k] = v;
        }
        a
    };
    b.refused(
        "save_recurring",
        with("endDate", json!("2026-10-31")),
        "validation",
        Some("endDate"),
    );
    b.refused(
        "save_recurring",
        with("startDate", json!("2027-02-31")),
        "validation",
        Some("startDate"),
    );
    b.refused(
        "save_recurring",
        with("dayOfMonth", json!(32)),
        "validation",
        Some("dayOfMonth"),
    );
    b.refused(
        "save_recurring",
        with("frequency", json!("daily")),
        "validation",
        Some("frequency"),
    );
    b.refused(
        "save_recurring",
        with("frequency", Value::Null),
        "validation",
        Some("frequency"),
    );
    b.refused(
        "save_recurring",
        with("lines", json!([])),
        "validation",
        Some("lines"),
    );
    b.refused(
        "save_recurring",
        with("lines", json!([{"description": "x", "unitPrice": "-1"}])),
        "validation",
        Some("lines[0].unitPrice"),
    );
    b.refused(
        "save_recurring",
        with("count", json!(0)),
        "validation",
        Some("count"),
    );
    b.refused(
        "save_recurring",
        with("customerId", json!(9)),
        "not_found",
        Some("customerId"),
    );
    // Day 31 is fine: it is the end of shorter months.
    let s = b.ok("save_recurring", with("dayOfMonth", json!(31)));
    assert_eq!(s["nextDate"], "2026-11-30");
    b.refused(
        "pause_recurring",
        json!({"id": s["id"], "paused": false}),
        "conflict",
        Some("id"),
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 30, ..ProptestConfig::default() })]
    /// Openings on random days, in order, some on the same day: each period exactly once, and
    /// all of them by the last day.
    #[test]
    fn random_openings_make_each_period_exactly_once(
        steps in prop::collection::vec(0i64..70, 1..12),
        frequency in prop::sample::select(vec!["weekly", "monthly", "quarterly"]),
        day in 1i64..32,
        auto in any::<bool>(),
    ) {
        let mut b = Books::shop("2026-01-10");
        schedule(&mut b, json!({"frequency": frequency, "dayOfMonth": day, "startDate": "2026-01-10", "autoIssue": auto}));
        let mut today = d("2026-01-10");
        let mut made = Vec::new();
        for s in steps {
            today += chrono::Duration::days(s);
            b.today = today;
            let r = b.ok("run_recurring", json!({}));
            made.extend(r["generated"].as_array().unwrap().iter().map(|g| g["period"].as_i64().unwrap()));
        }
        let expected = b.ok("get_recurring", json!({"id": 1}))["generated"].as_i64().unwrap();
        let mut sorted = made.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), made.len(), "a period made twice: {:?}", made);
        prop_assert_eq!(made.len() as i64, expected);
        prop_assert_eq!(made, (0..expected).collect::<Vec<_>>(), "in order, none skipped");
        let next = b.ok("get_recurring", json!({"id": 1}))["nextDate"].as_str().map(d);
        prop_assert!(next.is_some_and(|n| n > today), "everything due by {} was made", today);
    }
}
