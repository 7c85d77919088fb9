//! Nothing lost on a full disk (#8): a write failure injected with SQLite's `max_page_count`
//! gives a clear error, changes nothing, and every earlier commit survives a reopen.

mod common;
use esep_core::{api, books::audit, db, Ctx};
use serde_json::json;

#[test]
fn a_full_disk_gives_a_clear_error_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("esep.sqlite3");
    let day = common::d("2026-11-27");
    let mut conn = db::open(&path).unwrap();
    let mut ctx = Ctx::new(&mut conn, day);
    api::call(
        &mut ctx,
        "save_profile",
        &json!({"name": "Full", "currency": "KZT", "language": "ru"}),
    )
    .unwrap();
    api::call(&mut ctx, "create_customer", &json!({"name": "Первый"})).unwrap();
    let draft =
        api::call(&mut ctx, "create_invoice", &json!({"customerId": 1, "lines": [{"description": "Работа", "quantity": "1", "unitPrice": "1000"}]})).unwrap();
    // The disk "fills up": the file may not grow any more.
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    conn.sqlite()
        .unwrap()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let notes = "x".repeat(3900);
    let mut created = 1;
    let err = loop {
        let mut ctx = Ctx::new(&mut conn, day);
        match api::call(
            &mut ctx,
            "create_customer",
            &json!({"name": format!("Клиент {created}"), "notes": notes}),
        ) {
            Ok(_) => created += 1,
            Err(e) => break e,
        }
        assert!(created < 10_000, "the injected limit never bit");
    };
    assert_eq!(err.message_key(), "error.diskFull", "{err:?}");
    let before = db::data_dump(&conn).unwrap();
    let mut ctx = Ctx::new(&mut conn, day);
    let issued_while_full = match api::call(&mut ctx, "issue_invoice", &json!({"id": draft["id"]}))
    {
        Ok(_) => true, // it fitted in free pages
        Err(e) => {
            assert_eq!(e.message_key(), "error.diskFull", "{e:?}");
            assert_eq!(
                db::data_dump(&conn).unwrap(),
                before,
                "a failed issue leaves nothing behind: no number taken, no entry"
            );
            false
        }
    };
    drop(conn);
    // Space again: everything committed is there and the books are sound.
    let mut conn = db::open(&path).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, created, "every committed customer survived");
    assert!(audit::check(&conn).unwrap().is_empty());
    if !issued_while_full {
        let mut ctx = Ctx::new(&mut conn, day);
        let issued = api::call(&mut ctx, "issue_invoice", &json!({"id": draft["id"]})).unwrap();
        assert_eq!(
            issued["number"], "INV-2026-0001",
            "the failed attempt did not use up a number"
        );
    }
    println!(
        "full disk: {created} customers fitted before the limit; the next write failed cleanly"
    );
}
