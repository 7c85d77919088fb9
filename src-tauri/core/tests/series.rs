//! Number series (#16): one mechanism for invoices and credit notes (and every series added
//! later): the starting number cannot be reset once used, `check_books` finds gaps and
//! duplicates in every series, and a series can restart every year.

mod common;
use common::{d, Books};
use serde_json::{json, Value};

fn series(b: &mut Books, id: &str) -> Value {
    b.ok("get_series", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap()
}

fn credit_note(b: &mut Books, invoice: i64) -> String {
    b.ok(
        "create_credit_note",
        json!({"invoiceId": invoice, "reason": "Returned", "amount": "10"}),
    )["number"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_used_credit_note_series_cannot_be_reset_and_counts_its_own_documents() {
    let mut b = Books::shop("2026-11-27");
    let inv = b.invoice(1, "100", "0", 1, "2026-11-27");
    assert_eq!(series(&mut b, "credit_note")["issued"], 0);
    assert_eq!(credit_note(&mut b, inv), "CN-2026-0001");
    assert_eq!(
        series(&mut b, "credit_note")["issued"],
        1,
        "counted in the credit notes, not the invoices"
    );
    for n in [1, 5] {
        let e = b.refused(
            "set_series",
            json!({"id": "credit_note", "format": "CN-{YYYY}-{N:4}", "nextNumber": n}),
            "conflict",
            Some("nextNumber"),
        );
        assert_eq!(e.message_key(), "error.seriesInUse");
    }
    // The same for invoices; the unchanged number is accepted (the form sends it back).
    b.refused(
        "set_series",
        json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "nextNumber": 7}),
        "conflict",
        Some("nextNumber"),
    );
    b.ok(
        "set_series",
        json!({"id": "credit_note", "format": "KR-{YYYY}-{N:3}", "nextNumber": 2}),
    );
    assert_eq!(credit_note(&mut b, inv), "KR-2026-002");
}

#[test]
fn the_books_check_finds_a_gap_or_a_moved_counter_in_every_series() {
    for (id, table) in [("invoice", "invoices"), ("credit_note", "credit_notes")] {
        let mut b = Books::shop("2026-11-27");
        let inv = b.invoice(1, "100", "0", 1, "2026-11-27");
        credit_note(&mut b, inv);
        b.conn
            .execute(
                "UPDATE number_series SET next_number = 5 WHERE id = ?1",
                [id],
            )
            .unwrap();
        let problems = esep_core::books::audit::check(&b.conn).unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.rule == "number_gap" && p.detail.starts_with(id)),
            "{id}: {problems:?}"
        );
        // A second document after the jump leaves a gap inside the series.
        b.conn
            .execute(
                "UPDATE number_series SET next_number = 2 WHERE id = ?1",
                [id],
            )
            .unwrap();
        assert!(esep_core::books::audit::check(&b.conn).unwrap().is_empty());
        let count: i64 = b
            .conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert!(count >= 1);
    }
    // A duplicate, made behind the app's back, is found too.
    let mut b = Books::shop("2026-11-27");
    let inv = b.invoice(1, "100", "0", 1, "2026-11-27");
    credit_note(&mut b, inv);
    b.conn
        .execute_batch("DROP INDEX credit_notes_by_series_seq")
        .unwrap();
    b.conn
        .execute(
            "INSERT INTO credit_notes (invoice_id, customer_id, series, seq, number, issue_date, reason, currency, net_minor, tax_minor, total_minor, lines_json, entry_id, created_at, series_year)
             SELECT invoice_id, customer_id, series, seq, 'CN-copy', issue_date, reason, currency, net_minor, tax_minor, total_minor, lines_json, entry_id, created_at, series_year FROM credit_notes",
            [],
        )
        .unwrap();
    let problems = esep_core::books::audit::check(&b.conn).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.rule == "number_duplicate" && p.detail.starts_with("credit_note")),
        "{problems:?}"
    );
}

#[test]
fn new_books_restart_their_numbers_every_year_gapless_within_each() {
    let mut b = Books::shop("2026-12-30");
    assert_eq!(
        series(&mut b, "invoice")["yearly"],
        true,
        "new books restart yearly"
    );
    let a = b.invoice(1, "100", "0", 1, "2026-12-29");
    let x = b.invoice(1, "100", "0", 1, "2026-12-30");
    assert_eq!(
        b.ok("get_invoice", json!({"id": x}))["number"],
        "INV-2026-0002"
    );
    assert_eq!(credit_note(&mut b, a), "CN-2026-0001");
    b.today = d("2027-01-05");
    assert_eq!(
        series(&mut b, "invoice")["example"],
        "INV-2027-0001",
        "Settings shows what the new year's next number is"
    );
    let y = b.invoice(1, "100", "0", 1, "2027-01-04");
    let z = b.invoice(1, "100", "0", 1, "2027-01-05");
    assert_eq!(
        b.ok("get_invoice", json!({"id": y}))["number"],
        "INV-2027-0001"
    );
    assert_eq!(
        b.ok("get_invoice", json!({"id": z}))["number"],
        "INV-2027-0002"
    );
    assert_eq!(credit_note(&mut b, x), "CN-2027-0001");
    // A back-dated document into the old year is refused: numbers follow dates.
    let draft = b.ok("create_invoice", json!({"customerId": 1, "lines": [{"description": "x", "quantity": "1", "unitPrice": "5"}]}))["id"].as_i64().unwrap();
    b.refused(
        "issue_invoice",
        json!({"id": draft, "issueDate": "2026-12-31"}),
        "validation",
        Some("issueDate"),
    );
    // The restart cannot be turned off once used (the year's count would collide), and a
    // yearly series needs the year in its numbers.
    let e = b.refused(
        "set_series",
        json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "yearly": false}),
        "conflict",
        Some("yearly"),
    );
    assert_eq!(e.message_key(), "error.seriesYearlyInUse");
    let e = b.refused(
        "set_series",
        json!({"id": "invoice", "format": "INV-{N:4}"}),
        "validation",
        Some("format"),
    );
    assert_eq!(e.message_key(), "error.yearlyNeedsYear");
    // Tampering with the restart is found: a year that does not start at 1.
    b.conn
        .execute("DROP INDEX invoices_by_series_seq", [])
        .unwrap();
    // (PostgreSQL names the table a trigger is on.)
    let drop_trigger = if common::engine_is_postgres() {
        "DROP TRIGGER invoices_issued_no_update ON invoices"
    } else {
        "DROP TRIGGER invoices_issued_no_update"
    };
    b.conn.execute(drop_trigger, []).unwrap();
    b.conn
        .execute(
            "UPDATE invoices SET seq = seq + 1 WHERE series_year = 2027",
            [],
        )
        .unwrap();
    b.conn
        .execute(
            "UPDATE number_series SET next_number = 4 WHERE id = 'invoice'",
            [],
        )
        .unwrap();
    let problems = esep_core::books::audit::check(&b.conn).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.detail.contains("(2027): the year starts at 2")),
        "{problems:?}"
    );
}

#[test]
fn a_series_that_counts_on_can_be_switched_to_a_yearly_restart() {
    let mut b = Books::shop("2026-12-30");
    b.ok(
        "set_series",
        json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "yearly": false}),
    );
    b.invoice(1, "100", "0", 1, "2026-12-30");
    b.today = d("2027-01-02");
    let on = b.invoice(1, "100", "0", 1, "2027-01-02");
    assert_eq!(
        b.ok("get_invoice", json!({"id": on}))["number"],
        "INV-2027-0002",
        "counting on across the year, as asked"
    );
    b.ok(
        "set_series",
        json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "yearly": true}),
    );
    b.today = d("2027-01-03");
    let next = b.invoice(1, "100", "0", 1, "2027-01-03");
    assert_eq!(
        b.ok("get_invoice", json!({"id": next}))["number"],
        "INV-2027-0003",
        "this year goes on; the next one restarts"
    );
    b.today = d("2028-01-03");
    let new_year = b.invoice(1, "100", "0", 1, "2028-01-03");
    assert_eq!(
        b.ok("get_invoice", json!({"id": new_year}))["number"],
        "INV-2028-0001"
    );
}

#[test]
fn turned_on_in_a_new_year_the_restart_starts_that_year_at_1() {
    let mut b = Books::shop("2026-12-30");
    b.ok(
        "set_series",
        json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "yearly": false}),
    );
    b.invoice(1, "100", "0", 1, "2026-12-30");
    b.invoice(1, "100", "0", 1, "2026-12-30");
    b.today = d("2027-01-04");
    b.ok(
        "set_series",
        json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "yearly": true}),
    );
    assert_eq!(series(&mut b, "invoice")["example"], "INV-2027-0001");
    let first = b.invoice(1, "100", "0", 1, "2027-01-04");
    assert_eq!(
        b.ok("get_invoice", json!({"id": first}))["number"],
        "INV-2027-0001",
        "not INV-2027-0003"
    );
}
