//! Hostile input against every command: malformed shapes, wrong types, huge strings, control
//! characters, SQL-looking text, Unicode edge cases, NaN/Infinity/1e400, impossible dates.
//! Nothing panics; every refusal is a clear error, and a refused command changes nothing.

mod common;
use common::Books;
use esep_core::{api, db, Ctx};
use serde_json::{json, Value};

fn hostile_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(9_223_372_036_854_775_807i64),
        json!(1.5),
        json!("NaN"),
        json!("Infinity"),
        json!("1e400"),
        json!("-0"),
        json!("2026-02-30"),
        json!("'; DROP TABLE invoices; --"),
        json!("\u{202e}gnp.exe\u{200f}"),
        json!("e\u{301}\u{301}\u{301}"),
        json!("😀👨‍👩‍👧"),
        json!("line\u{0}nul"),
        json!("x".repeat(1_000_000)),
        json!([1, 2, 3]),
        json!({"nested": {"deep": [null]}}),
    ]
}

#[test]
fn no_command_panics_or_writes_on_hostile_input() {
    let mut b = Books::shop("2026-11-27");
    b.invoice(1, "100", "12", 5, "2026-11-01");
    let fields = [
        "id",
        "customerId",
        "invoiceId",
        "name",
        "amount",
        "unitPrice",
        "quantity",
        "date",
        "serviceDate",
        "issueDate",
        "currency",
        "language",
        "lines",
        "chargeIds",
        "allocations",
        "reason",
        "format",
        "kind",
        "query",
        "limit",
        "offset",
        "asOf",
        "from",
        "to",
        "termsId",
        "taxRate",
        "discountPercent",
        "description",
        "dataBase64",
    ];
    let mut calls = 0;
    let mut refused = 0;
    for cmd in api::COMMANDS {
        // Whole-argument shapes that are not objects.
        for args in [json!([]), json!("text"), json!(42)] {
            let before = db::data_dump(&b.conn).unwrap();
            let mut ctx = Ctx::new(&mut b.conn, b.today);
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| api::call(&mut ctx, cmd.name, &args)));
            let r = r.unwrap_or_else(|_| panic!("{} panicked on {args}", cmd.name));
            assert!(r.is_err() || !cmd.writes, "{} accepted {args}", cmd.name);
            assert_eq!(before, db::data_dump(&b.conn).unwrap());
            calls += 1;
        }
        for field in fields {
            for v in hostile_values() {
                let args = json!({ field: v, "customerId": if field == "customerId" { v.clone() } else { json!(1) }, "id": if field == "id" { v.clone() } else { json!(1) } });
                let before = if cmd.writes { db::data_dump(&b.conn).unwrap() } else { String::new() };
                let mut ctx = Ctx::new(&mut b.conn, b.today);
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| api::call(&mut ctx, cmd.name, &args)));
                let r = r.unwrap_or_else(|_| panic!("{} panicked on {field}={}", cmd.name, v.to_string().chars().take(60).collect::<String>()));
                calls += 1;
                if let Err(e) = r {
                    refused += 1;
                    assert!(!e.message_key().is_empty());
                    assert_ne!(e.code(), "internal", "{} {field}: an internal error is a bug: {e:?}", cmd.name);
                    if cmd.writes {
                        assert_eq!(before, db::data_dump(&b.conn).unwrap(), "{} {field}: a refusal changed the database", cmd.name);
                    }
                }
                if cmd.writes {
                    assert!(esep_core::books::audit::check(&b.conn).unwrap().is_empty(), "{} {field}: the books broke", cmd.name);
                }
            }
        }
    }
    println!("{calls} hostile calls, {refused} refused");
    assert!(refused > calls / 3);
}
