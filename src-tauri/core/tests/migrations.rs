//! Migrations: a v1 database from disk becomes exactly today's schema, keeping its data; a
//! database from a newer Esep is refused.

use esep_core::{api, db, Ctx};
use serde_json::json;

fn v1_fixture() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(include_str!("fixtures/v1.sql"))
        .expect("the v1 fixture loads");
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1, "the fixture is at schema v1");
    conn
}

#[test]
fn a_v1_database_migrates_to_the_current_schema_and_keeps_its_data() {
    let mut old = db::migrate(v1_fixture()).expect("v1 migrates");
    let fresh = db::open_in_memory().unwrap();
    assert_eq!(
        db::schema_dump(&old).unwrap(),
        db::schema_dump(&fresh).unwrap(),
        "a migrated database has exactly the fresh schema"
    );
    let v: i64 = old
        .sqlite()
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, db::SCHEMA_VERSION);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut ctx = Ctx::new(&mut old, today);
    let c = api::call(&mut ctx, "get_customer", &json!({"id": 1})).unwrap();
    assert_eq!(c["name"], "Қайрат Әлиев");
    assert_eq!(c["balance"], "1500.00", "the opening balance survived");
    assert_eq!(
        c["unbilled"][0]["amount"], "10000.00",
        "the unbilled charge survived"
    );
    // And the migrated books work: the opening balance is an open item a payment can settle.
    let p = api::call(
        &mut ctx,
        "record_payment",
        &json!({"customerId": 1, "amount": "1500"}),
    )
    .unwrap();
    assert_eq!(p["allocations"][0]["itemType"], "opening");
    assert!(esep_core::books::audit::check(&old).unwrap().is_empty());
}

#[test]
fn a_database_from_a_newer_esep_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    drop(db::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", db::SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = db::open(&path).expect_err("newer than this app");
    assert_eq!(err.message_key(), "error.databaseTooNew");
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, db::SCHEMA_VERSION + 1, "untouched");
}

#[test]
fn a_file_database_uses_wal_and_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open(&dir.path().join("e.sqlite3")).unwrap();
    let mode: String = conn
        .sqlite()
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .sqlite()
        .unwrap()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .sqlite()
        .unwrap()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(
        (mode.as_str(), sync, fk),
        ("wal", 2, 1),
        "WAL, synchronous=FULL, foreign keys on"
    );
}

/// #20: an act made before acts could come from services keeps everything when its table is
/// rebuilt (its invoice becomes optional), its invoice's services are recorded as covered by
/// it, and it stays immutable.
#[test]
fn acts_made_before_version_11_keep_their_content_and_cover_their_invoices_services() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    db::migrate_to(&mut conn, 10).unwrap();
    // Rows as an old version left them (the invoice and the customer themselves do not matter).
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO invoice_lines (invoice_id, position, charge_id, description, quantity, unit_price_minor, amount_minor)
             VALUES (7, 1, 31, 'Ремонт', '1', 500000, 500000), (7, 2, NULL, 'Выезд', '1', 100000, 100000);
         INSERT INTO acts (series, series_year, seq, number, issue_date, invoice_id, customer_id, language, content, created_at)
             VALUES ('act', 2026, 1, 'АВР-2026-0001', '2026-11-20', 7, 3, 'ru', '{\"lines\":[]}', '2026-11-20T10:00:00Z');",
    )
    .unwrap();
    db::migrate_to(&mut conn, db::SCHEMA_VERSION).unwrap();
    let act: (String, i64, String) = conn
        .query_row(
            "SELECT number, invoice_id, content FROM acts WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        act,
        ("АВР-2026-0001".to_string(), 7, "{\"lines\":[]}".to_string())
    );
    let covered: Vec<(i64, i64)> = conn
        .prepare("SELECT act_id, charge_id FROM act_charges")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        covered,
        vec![(1, 31)],
        "the invoice's recorded service is on its act"
    );
    assert!(
        conn.execute("UPDATE acts SET number = 'X'", []).is_err(),
        "still never changed"
    );
    assert!(
        conn.execute("DELETE FROM acts", []).is_err(),
        "still never deleted"
    );
    assert!(
        conn.execute("DELETE FROM act_charges", []).is_err(),
        "what an act covers is never undone"
    );
    let fresh = db::open_in_memory().unwrap();
    assert_eq!(
        db::schema_dump(&conn.into()).unwrap(),
        db::schema_dump(&fresh).unwrap(),
        "the same schema as a new database"
    );
}
