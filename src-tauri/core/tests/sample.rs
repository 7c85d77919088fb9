//! The sample shop ("explore with a sample shop"): built through the commands, in each language,
//! and showing each thing a new user should see — and never written into real books.

mod common;
use common::{d, Books};
use esep_core::books::sample;
use esep_core::i18n::Lang;
use serde_json::json;

#[test]
fn the_sample_shop_shows_every_part_of_the_app_with_sound_books() {
    for lang in Lang::ALL {
        let mut b = Books::new("2026-11-27");
        let made = sample::fill(&mut b.conn, b.today, lang).unwrap();
        assert_eq!(
            made,
            json!({"customers": 8, "invoices": 16, "payments": 12, "reminders": 2, "drafts": 1})
        );
        assert_eq!(b.ok("check_books", json!({}))["ok"], true);
        let tb = b.ok("trial_balance", json!({}));
        assert_eq!(tb["balanced"], true, "{tb}");
        let profile = b.ok("get_profile", json!({}));
        assert_eq!(profile["language"], lang.code());
        let dash = b.ok("dashboard", json!({}));
        assert_eq!(
            dash["overdue"], "72000.00",
            "Нұр Медиа's two invoices and Айгүл's short payment"
        );
        assert_eq!(dash["overdueCount"], 3);
        // #17: one rule for an invoice's state: the dashboard (Rust) and the lists (SQL) agree,
        // and every issued invoice is in exactly one state.
        let count = |b: &mut Books, status: &str| {
            b.ok("list_invoices", json!({"status": status}))["total"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(count(&mut b, "overdue"), 3);
        assert_eq!(json!(count(&mut b, "unpaid")), dash["openCount"]);
        let states: i64 = ["paid", "overdue", "partly_paid", "open"]
            .iter()
            .map(|s| count(&mut b, s))
            .sum();
        assert_eq!(
            states,
            count(&mut b, "issued"),
            "each issued invoice in one state"
        );
        let rows = b.ok("list_invoices", json!({"status": "all", "limit": 500}));
        for st in ["paid", "overdue", "partly_paid", "open"] {
            let listed = rows["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["status"] == st)
                .count() as i64;
            assert_eq!(
                listed,
                count(&mut b, st),
                "the list's CASE and the {st} filter agree"
            );
        }
        assert_eq!(
            dash["oldestUnbilledDays"], 45,
            "a service left unbilled for 45 days"
        );
        assert!(
            dash["remindersDue"].as_i64().unwrap() >= 1,
            "something to remind today: {dash}"
        );
        let invoices = b.ok("list_invoices", json!({"status": "draft"}));
        assert_eq!(invoices["total"], 1, "one draft to finish");
        let disc = b.ok("list_discrepancies", json!({}));
        let kinds: Vec<&str> = disc
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"under") && kinds.contains(&"over"),
            "a short and an over payment: {kinds:?}"
        );
        // The early-payment discount was taken: Green Leaf's first invoice is paid in full by 39 200.
        let paid = b.ok("list_invoices", json!({"status": "paid"}));
        assert!(paid["total"].as_i64().unwrap() >= 9, "{paid}");
        // Each document of the sample renders.
        for (kind, id) in [
            ("invoice", 1),
            ("reminder", 1),
            ("notice", 1),
            ("receipt", 1),
            ("statement", 1),
        ] {
            let pages = b.ok("document_layout", json!({"kind": kind, "id": id}));
            assert!(!pages["pages"].as_array().unwrap().is_empty(), "{kind}");
        }
    }
}

#[test]
fn the_sample_never_goes_into_books_that_have_a_shop() {
    let mut b = Books::shop("2026-11-27");
    let before = esep_core::db::data_dump(&b.conn).unwrap();
    let e = sample::fill(&mut b.conn, d("2026-11-27"), Lang::En).unwrap_err();
    assert_eq!(e.to_payload().message, "error.sampleNotEmpty");
    assert_eq!(
        before,
        esep_core::db::data_dump(&b.conn).unwrap(),
        "nothing written"
    );
}

#[test]
fn a_draft_previews_as_if_issued_today_and_issued_documents_as_they_are() {
    let mut b = Books::shop("2026-11-27");
    let draft = b.ok("create_invoice", json!({"customerId": 1, "termsId": 4, "lines": [{"description": "Жөндеу", "quantity": "1", "unitPrice": "1000"}]}));
    let pages = b.ok(
        "document_layout",
        json!({"kind": "invoice", "id": draft["id"]}),
    );
    let texts: Vec<String> = pages["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["text"].as_str().map(str::to_string))
        .collect();
    let all = texts.join("\n");
    assert!(
        all.contains("ЧЕРНОВИК"),
        "the draft is marked (Russian documents): {all}"
    );
    assert!(
        all.contains("12.12.2026"),
        "due as if issued today, Net 15: {all}"
    );
    assert!(
        all.contains("Қайрат Әлиев") && all.contains("Абая 1"),
        "the customer's block: {all}"
    );
    for it in pages["pages"][0]["items"].as_array().unwrap() {
        if it["k"] == "text" {
            assert!(
                it["w"].as_f64().unwrap() > 0.0 || it["text"].as_str().unwrap().trim().is_empty(),
                "measured width: {it}"
            );
        }
    }
    // Saving a draft as a PDF is still refused: only issued invoices leave the shop.
    let mut ctx = esep_core::Ctx::new(&mut b.conn, d("2026-11-27"));
    let req = esep_core::books::documents::Request::parse(
        &esep_core::args::Args::new(&json!({"kind": "invoice", "id": draft["id"]})).unwrap(),
    )
    .unwrap();
    assert!(esep_core::books::documents::render_one(&mut ctx, &req).is_err());
    // Nothing was written by previewing.
    assert_eq!(b.status(draft["id"].as_i64().unwrap()), "draft");
    b.ok("issue_invoice", json!({"id": draft["id"]}));
    let pages = b.ok(
        "document_layout",
        json!({"kind": "invoice", "id": draft["id"]}),
    );
    let all: String = pages["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        all.contains("INV-2026-0001") && !all.contains("ЧЕРНОВИК"),
        "{all}"
    );
    assert_eq!(
        pages["name"], "Счёт-INV-2026-0001-Қайрат-Әлиев.pdf",
        "named in the invoice's language (Russian)"
    );
}
