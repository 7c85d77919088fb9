//! Moving books (#23, part 3): a SQLite shop onto shared books on a PostgreSQL server and back,
//! against a real throwaway cluster (`esep-pgtest`). Each move is checked here again from the
//! outside: the data dumps, the trial balance, the ageing, `check_books` and every document
//! number the same on both sides; the series going on with the next number on the target;
//! new rows getting new ids; a target with books in it, a copy the target changes and a
//! damaged source all refused with nothing written.

mod common;

use common::{d, fresh_server_books as fresh_books, open_server as open};
use esep_core::books::sample;
use esep_core::i18n::Lang;
use esep_core::moving::move_books;
use esep_core::sql::{Connection, PgConfig};
use esep_core::{api, books::audit, db, Ctx};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-27";

fn call(conn: &mut Connection, cmd: &str, args: Value) -> esep_core::Result<Value> {
    let mut ctx = Ctx::new(conn, d(TODAY));
    api::call(&mut ctx, cmd, &args)
}

fn ok(conn: &mut Connection, cmd: &str, args: Value) -> Value {
    call(conn, cmd, args.clone()).unwrap_or_else(|e| panic!("{cmd} {args}: {e:?}"))
}

/// A realistic shop in a SQLite file's shape (in memory): the sample shop's four months, then a
/// day of everything else the books hold — a bank statement confirmed and set aside, a customer
/// with an opening balance, an invoice issued, paid, credited, written off, a refund, a
/// reminder with a fee, a reversed payment, a deleted draft (a hole in the ids), acts, a
/// recurring schedule that made invoices, a quote that became an invoice, a prepayment request
/// with its advance applied and refunded, images in the profile and a saved CSV layout.
fn shop() -> Connection {
    let mut conn = db::open_in_memory().unwrap();
    sample::fill(&mut conn, d(TODAY), Lang::En).unwrap();
    let statement = esep_core::books::profile::base64_encode(
        "1CClientBankExchange\nВерсияФормата=1.03\nДатаНачала=01.11.2026\nДатаКонца=26.11.2026\nРасчСчет=KZ78601A861001234567\n\
         СекцияРасчСчет\nНачальныйОстаток=0.00\nКонечныйОстаток=25000.00\nКонецРасчСчет\n\
         СекцияДокумент=Платежное поручение\nНомер=5\nСумма=20000.00\nПлательщикИИК=KZ73722C000022222222\nПлательщик=Payer\n\
         ПолучательИИК=KZ78601A861001234567\nДатаПоступило=25.11.2026\nНазначениеПлатежа=Payment for invoice INV-2026-0001\nКонецДокумента\n\
         СекцияДокумент=Платежное поручение\nНомер=6\nСумма=5000.00\nПлательщикИИК=KZ12601A861000123456\nПлательщик=Someone\n\
         ПолучательИИК=KZ78601A861001234567\nДатаПоступило=26.11.2026\nНазначениеПлатежа=Transfer\nКонецДокумента\nКонецФайла\n"
            .as_bytes(),
    );
    let steps: Vec<(&str, Value)> = vec![
        (
            "import_statement",
            json!({"dataBase64": statement, "fileName": "november.txt"}),
        ),
        (
            "confirm_bank_transaction",
            json!({"id": 1, "customerId": 1}),
        ),
        (
            "set_aside_bank_transaction",
            json!({"id": 2, "reason": "Not a customer"}),
        ),
        (
            "save_terms",
            json!({"name": "Net 45", "kind": "net", "days": 45}),
        ),
        (
            "set_series",
            json!({"id": "credit_note", "format": "КН-{YY}/{N:5}"}),
        ),
        (
            "create_customer",
            json!({"name": "Snapshot Ltd", "address": "Abay 1\nAlmaty 050000", "transitDays": 4}),
        ),
        (
            "set_opening_balance",
            json!({"customerId": 9, "amount": "1200", "asOf": "2026-11-01"}),
        ),
        (
            "record_charge",
            json!({"customerId": 9, "serviceDate": "2026-11-20", "description": "Repair", "quantity": "1.5", "unitPrice": "10000", "taxRate": "12"}),
        ),
        (
            "create_invoice",
            json!({"customerId": 9, "termsId": 2, "lines": [{"description": "Parts", "quantity": "3", "unitPrice": "2500", "taxRate": "12"}]}),
        ),
        (
            "issue_invoice",
            json!({"id": 17, "issueDate": "2026-11-27"}),
        ),
        ("record_sending", json!({"invoiceId": 17, "kind": "post"})),
        (
            "record_payment",
            json!({"customerId": 9, "amount": "5000", "method": "bank", "reference": "PP 12"}),
        ),
        ("apply_credit", json!({"customerId": 9})),
        (
            "create_credit_note",
            json!({"invoiceId": 17, "reason": "One part returned", "amount": "2800"}),
        ),
        ("create_act", json!({"invoiceId": 1})),
        ("record_act_sending", json!({"actId": 1, "kind": "signed"})),
        (
            "write_off",
            json!({"invoiceId": 17, "reason": "Small remainder", "amount": "100"}),
        ),
        ("refund_credit", json!({"customerId": 9, "amount": "1"})),
        (
            "save_reminder_settings",
            json!({"graceDays": 3, "spacingDays": 7, "feeKind": "fixed", "feeFixed": "500"}),
        ),
        ("record_reminder", json!({"invoiceId": 1})),
        ("reverse_payment", json!({"id": 1, "reason": "Typed wrong"})),
        (
            "create_invoice",
            json!({"customerId": 9, "lines": [{"description": "Draft to delete", "quantity": "1", "unitPrice": "1"}]}),
        ),
        ("delete_invoice", json!({"id": 18})),
        (
            "save_recurring",
            json!({"customerId": 1, "frequency": "monthly", "dayOfMonth": 31, "startDate": "2026-09-30", "lines": [{"description": "Service contract", "unitPrice": "15000"}]}),
        ),
        ("run_recurring", json!({})),
        ("pause_recurring", json!({"id": 1})),
        (
            "save_quote",
            json!({"customerId": 2, "lines": [{"description": "Air conditioner installation", "quantity": "2", "unitPrice": "45000"}]}),
        ),
        ("issue_quote", json!({"id": 1})),
        ("decide_quote", json!({"id": 1, "decision": "accepted"})),
        ("quote_to_invoice", json!({"id": 1})),
        ("prepayment_from_quote", json!({"id": 1})),
        ("issue_quote", json!({"id": 2})),
        (
            "record_advance",
            json!({"prepaymentId": 2, "amount": "40000"}),
        ),
        (
            "save_quote",
            json!({"customerId": 3, "lines": [{"description": "Declined offer", "unitPrice": "7000"}]}),
        ),
        ("issue_quote", json!({"id": 3})),
        ("decide_quote", json!({"id": 3, "decision": "declined"})),
        (
            "save_quote",
            json!({"customerId": 2, "lines": [{"description": "A draft quote", "unitPrice": "1"}]}),
        ),
    ];
    // A step the day's books refuse (nothing to apply a credit to, say) writes nothing; what
    // the shop must hold is checked below.
    for (cmd, args) in steps {
        if let Err(e) = call(&mut conn, cmd, args.clone()) {
            println!("shop: {cmd} {args}: {}", e.message_key());
        }
    }
    // A reminder with a fee (it changes what the invoice's state says is owed), on the first
    // invoice one is due for.
    let reminded = (1..=17).any(|id| {
        call(
            &mut conn,
            "record_reminder",
            json!({"invoiceId": id, "applyFee": true}),
        )
        .is_ok()
    });
    assert!(reminded, "a reminder was due");
    // A customer in another currency, invoiced and paid in part.
    let usd = ok(
        &mut conn,
        "create_customer",
        json!({"name": "Globex", "currency": "USD", "language": "en"}),
    );
    let inv = ok(
        &mut conn,
        "create_invoice",
        json!({"customerId": usd["id"], "lines": [{"description": "Consulting", "quantity": "2.5", "unitPrice": "120.40"}]}),
    );
    ok(
        &mut conn,
        "issue_invoice",
        json!({"id": inv["id"], "issueDate": TODAY}),
    );
    ok(
        &mut conn,
        "record_payment",
        json!({"customerId": usd["id"], "amount": "100.01", "date": TODAY}),
    );
    // The invoice the accepted quote became: issued, the advance applied, the rest refunded.
    let from_quote = ok(&mut conn, "get_quote", json!({"id": 1}))["invoiceId"].clone();
    ok(&mut conn, "issue_invoice", json!({"id": from_quote}));
    ok(
        &mut conn,
        "apply_advance",
        json!({"invoiceId": from_quote, "amount": "30000"}),
    );
    ok(&mut conn, "refund_advance", json!({"customerId": 2}));
    ok(&mut conn, "create_act", json!({"invoiceId": from_quote}));
    // What no command writes from here: images (bytes) and a CSV layout remembered.
    conn.execute(
        "UPDATE business_profile SET seal = ?1, signature = ?2",
        esep_core::sql::params![vec![0u8, 255, 1, 2, 3], vec![137u8, 80, 78, 71]],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO bank_csv_layouts (signature, mapping, delimiter, decimal_separator, date_order, saved_at)
         VALUES ('date;amount;purpose', '{\"date\":0}', ';', ',', 'dmy', '2026-11-27T10:00:00Z')",
        [],
    )
    .unwrap();
    assert!(audit::check(&conn).unwrap().is_empty(), "the shop is sound");
    let fees: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM reminders WHERE fee_minor > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(fees > 0, "a reminder with a fee");
    for table in [
        "acts",
        "act_charges",
        "act_sends",
        "credit_notes",
        "write_offs",
        "refunds",
        "reminders",
        "payment_reversals",
        "recurring_runs",
        "quotes",
        "quote_lines",
        "advances",
        "advance_uses",
        "bank_transactions",
        "opening_balances",
        "payment_discrepancies",
    ] {
        assert!(count(&conn, table) > 0, "the shop has {table}");
    }
    conn
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// `db::data_dump` with what legitimately differs between the engines taken out: PostgreSQL's
/// version table, and the order of rows of tables without an integer key (SQLite dumps in
/// rowid order, PostgreSQL by the first column).
fn dump(conn: &Connection) -> Vec<String> {
    let mut lines: Vec<String> = db::data_dump(conn)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("esep_schema "))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Every numbered document: its table, id, series, year, sequence and number.
fn numbers(conn: &Connection) -> Vec<(String, i64, String, i64, i64, String)> {
    let mut out = Vec::new();
    for table in ["invoices", "credit_notes", "acts", "quotes"] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id, series, COALESCE(series_year, 0), seq, number FROM {table} WHERE number IS NOT NULL ORDER BY id"
            ))
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    table.to_string(),
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// What the user reads: the trial balance, the ageing and the books' check, as of today.
fn reports(conn: &mut Connection) -> Vec<Value> {
    vec![
        ok(conn, "trial_balance", json!({"asOf": TODAY})),
        ok(conn, "ageing", json!({"asOf": TODAY})),
        ok(
            conn,
            "ageing",
            json!({"asOf": "2026-10-15", "sort": "overdue"}),
        ),
        ok(conn, "check_books", json!({})),
        ok(conn, "dashboard", json!({})),
    ]
}

fn assert_same_books(a: &mut Connection, b: &mut Connection, what: &str) {
    let (da, db_) = (dump(a), dump(b));
    if let Some(i) = (0..da.len().max(db_.len())).find(|&i| da.get(i) != db_.get(i)) {
        panic!(
            "{what}: the data differ at line {i}: {:?} / {:?}",
            da.get(i),
            db_.get(i)
        );
    }
    assert_eq!(numbers(a), numbers(b), "{what}: document numbers");
    assert_eq!(reports(a), reports(b), "{what}: reports");
}

/// Largest id in `table`.
fn max_id(conn: &Connection, table: &str) -> i64 {
    conn.query_row(
        &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// The same new day of work on two sets of books: the answers (ids, numbers) must agree.
fn next_day(conn: &mut Connection) -> Vec<Value> {
    let mut out = Vec::new();
    let c = ok(conn, "create_customer", json!({"name": "After the move"}));
    out.push(c["id"].clone());
    let inv = ok(
        conn,
        "create_invoice",
        json!({"customerId": c["id"], "lines": [{"description": "First on the new books", "quantity": "1", "unitPrice": "12000", "taxRate": "12"}]}),
    );
    let issued = ok(
        conn,
        "issue_invoice",
        json!({"id": inv["id"], "issueDate": TODAY}),
    );
    out.push(issued["id"].clone());
    out.push(issued["number"].clone());
    let cn = ok(
        conn,
        "create_credit_note",
        json!({"invoiceId": inv["id"], "reason": "Discount", "amount": "1000"}),
    );
    out.push(cn["id"].clone());
    out.push(cn["number"].clone());
    let act = ok(conn, "create_act", json!({"invoiceId": inv["id"]}));
    out.push(act["id"].clone());
    out.push(act["number"].clone());
    let q = ok(
        conn,
        "save_quote",
        json!({"customerId": c["id"], "lines": [{"description": "Offer", "unitPrice": "500"}]}),
    );
    let q = ok(conn, "issue_quote", json!({"id": q["id"]}));
    out.push(q["id"].clone());
    out.push(q["number"].clone());
    let p = ok(
        conn,
        "record_payment",
        json!({"customerId": c["id"], "amount": "2000"}),
    );
    out.push(p["id"].clone());
    assert!(audit::check(conn).unwrap().is_empty());
    out
}

#[test]
fn a_shop_moves_onto_the_server_and_back_and_its_books_stay_the_same() {
    let mut shop = shop();
    let url = fresh_books();
    let mut server = open(&url);

    let report = move_books(&mut shop, &mut server, d(TODAY)).unwrap();
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    assert_eq!((report.from, report.to), ("sqlite", "postgres"));
    assert_eq!(report.tables.len(), 35);
    assert_eq!(
        report.rows as usize,
        dump(&shop).len(),
        "every row counted once"
    );
    assert!(report.checks.data_identical);
    assert_eq!(report.checks.check_books["ok"], true);
    assert_eq!(report.checks.trial_balance["balanced"], true);
    for s in &report.checks.numbers {
        assert!(s.documents > 0, "series {} has documents", s.series);
    }
    assert_same_books(&mut shop, &mut server, "SQLite → PostgreSQL");

    // And back, into a new SQLite file.
    let dir = tempfile::tempdir().unwrap();
    let mut back = db::open(&dir.path().join("back.sqlite3")).unwrap();
    let report = move_books(&mut server, &mut back, d(TODAY)).unwrap();
    assert_eq!((report.from, report.to), ("postgres", "sqlite"));
    assert_same_books(&mut server, &mut back, "PostgreSQL → SQLite");
    assert_same_books(&mut shop, &mut back, "SQLite → PostgreSQL → SQLite");

    // Work goes on where it stopped: the same day of work on the original file and on the
    // server gives the same ids and numbers, each the next of its series (no gap, none twice).
    let before = numbers(&shop);
    let max_invoice = max_id(&shop, "invoices");
    let on_file = next_day(&mut shop);
    let on_server = next_day(&mut server);
    assert_eq!(on_file, on_server, "the server continues as the file would");
    assert!(
        on_server[1].as_i64().unwrap() > max_invoice,
        "a new invoice gets a new id"
    );
    let after = numbers(&server);
    assert_eq!(after.len(), before.len() + 4, "four new numbered documents");
    for n in after.iter().filter(|n| !before.contains(n)) {
        let (table, _, series, year, seq, number) = n;
        let last = before
            .iter()
            .filter(|b| &b.0 == table && &b.2 == series && &b.3 == year)
            .map(|b| b.4)
            .max()
            .unwrap_or(0);
        assert_eq!(*seq, last + 1, "{number}: the next of {series} {year}");
        assert!(
            !before.iter().any(|b| &b.5 == number),
            "{number} was not used before"
        );
    }
    assert_eq!(numbers(&shop), after);
    let on_back = next_day(&mut back);
    assert_eq!(on_back, on_server, "and so does the file moved back");
}

#[test]
fn server_to_server_keeps_ids_the_source_already_used() {
    let mut shop = shop();
    let mut first = open(&fresh_books());
    move_books(&mut shop, &mut first, d(TODAY)).unwrap();
    // A draft made and deleted on the server: its id is not handed out again there…
    let draft = ok(
        &mut first,
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "Gone", "quantity": "1", "unitPrice": "1"}]}),
    );
    ok(&mut first, "delete_invoice", json!({"id": draft["id"]}));
    let mut second = open(&fresh_books());
    move_books(&mut first, &mut second, d(TODAY)).unwrap();
    assert_same_books(&mut first, &mut second, "PostgreSQL → PostgreSQL");
    // …nor on the server the books moved to.
    let next = ok(
        &mut second,
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "New", "quantity": "1", "unitPrice": "1"}]}),
    );
    assert!(
        next["id"].as_i64().unwrap() > draft["id"].as_i64().unwrap(),
        "{next} after {draft}"
    );
    // And SQLite to SQLite, through the same code: the dump is the same line for line.
    let mut file = db::open_in_memory().unwrap();
    move_books(&mut shop, &mut file, d(TODAY)).unwrap();
    assert_eq!(db::data_dump(&shop).unwrap(), db::data_dump(&file).unwrap());
}

#[test]
fn books_are_only_moved_into_empty_books_and_a_refusal_writes_nothing() {
    let mut shop = shop();
    let url = fresh_books();
    let mut server = open(&url);
    ok(
        &mut server,
        "save_profile",
        json!({"name": "Already here", "currency": "KZT", "language": "kk"}),
    );
    let before = db::data_dump(&server).unwrap();
    let source_before = db::data_dump(&shop).unwrap();
    let e = move_books(&mut shop, &mut server, d(TODAY)).unwrap_err();
    assert_eq!(
        (e.code(), e.message_key(), e.field()),
        ("conflict", "error.targetNotEmpty", Some("to"))
    );
    assert_eq!(before, db::data_dump(&server).unwrap(), "nothing written");
    assert_eq!(
        source_before,
        db::data_dump(&shop).unwrap(),
        "the source untouched"
    );
    // A file with one customer in it, the same.
    let mut file = db::open_in_memory().unwrap();
    ok(&mut file, "create_customer", json!({"name": "Someone"}));
    let before = db::data_dump(&file).unwrap();
    let e = move_books(&mut shop, &mut file, d(TODAY)).unwrap_err();
    assert_eq!(e.message_key(), "error.targetNotEmpty");
    assert_eq!(before, db::data_dump(&file).unwrap());
}

#[test]
fn a_copy_that_comes_out_different_is_rolled_back() {
    let mut shop = shop();
    let url = fresh_books();
    let mut server = open(&url);
    let empty = db::data_dump(&server).unwrap();
    // A server that changes what it is given (a trigger someone added).
    server
        .execute_batch(
            "CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN NEW.notes := NEW.notes || ' (seen)'; RETURN NEW; END; $$;
             CREATE TRIGGER tamper BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION tamper();",
        )
        .unwrap();
    let e = move_books(&mut shop, &mut server, d(TODAY)).unwrap_err();
    assert_eq!(
        (e.code(), e.message_key(), e.field()),
        ("conflict", "error.moveMismatch", Some("data:customers"))
    );
    assert_eq!(empty, db::data_dump(&server).unwrap(), "nothing written");
    let next: i64 = server
        .query_row(
            "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM customers_id_seq",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(next, 1, "no identity moved either");
    // Without the trigger the same books move.
    server
        .execute_batch("DROP TRIGGER tamper ON customers")
        .unwrap();
    move_books(&mut shop, &mut server, d(TODAY)).unwrap();
    assert_same_books(&mut shop, &mut server, "after the retry");
}

#[test]
fn a_damaged_source_is_refused_by_the_server_and_nothing_is_written() {
    let mut shop = shop();
    // SQLite keeps a word in an integer column; PostgreSQL will not.
    shop.execute("UPDATE customers SET archived = 'yes' WHERE id = 3", [])
        .unwrap();
    let url = fresh_books();
    let mut server = open(&url);
    let empty = db::data_dump(&server).unwrap();
    let e = move_books(&mut shop, &mut server, d(TODAY)).unwrap_err();
    assert_eq!(e.code(), "internal", "{e:?}");
    assert_eq!(
        empty,
        db::data_dump(&server).unwrap(),
        "nothing written, the seeded rows back"
    );
}

#[test]
fn onto_a_server_the_owner_moves_books_and_a_clerk_cannot() {
    use esep_core::server::{self, Role};
    let cluster = esep_pgtest::Cluster::shared();
    let admin = PgConfig::new(cluster.url("postgres"));
    let name = format!("move_{}", std::process::id());
    server::init(&admin, &name, &format!("{name}_owner"), None).unwrap();
    server::add_user(&admin, &name, &format!("{name}_clerk"), Role::Clerk, None).unwrap();
    let login = |who: &str| {
        cluster
            .url(&name)
            .replacen("postgres@", &format!("{name}_{who}@"), 1)
    };
    let mut shop = shop();
    let mut clerk = open(&login("clerk"));
    let e = move_books(&mut shop, &mut clerk, d(TODAY)).unwrap_err();
    assert_eq!(
        (e.code(), e.message_key()),
        ("forbidden", "error.roleForbids")
    );
    // The owner is no superuser: the server's own rules stay on, and the move goes through.
    let mut owner = open(&login("owner"));
    let superuser: bool = owner
        .query_row(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!superuser);
    move_books(&mut shop, &mut owner, d(TODAY)).unwrap();
    assert_same_books(&mut shop, &mut owner, "onto the owner's books");
    // The clerk works on the moved books.
    let c = ok(
        &mut clerk,
        "create_customer",
        json!({"name": "The clerk's"}),
    );
    assert_eq!(c["id"].as_i64().unwrap(), max_id(&shop, "customers") + 1);
}

/// `esep-cli` with the test's clock; its exit status and the JSON it printed.
fn cli(args: &[&str]) -> (bool, Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_esep-cli"))
        .args(args)
        .env("ESEP_TODAY", TODAY)
        .env_remove("ESEP_DB")
        .output()
        .expect("esep-cli runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON from esep-cli {args:?}: {e}: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), v)
}

#[test]
fn the_cli_moves_a_file_onto_a_server_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.sqlite3");
    let file_s = file.to_str().unwrap();
    let (done, _) = cli(&["--db", file_s, "sample", "ru"]);
    assert!(done, "the sample shop");
    let url = fresh_books();

    let (done, report) = cli(&["books", "move", "--from", file_s, "--to", &url]);
    assert!(done, "{report}");
    assert_eq!(
        (report["from"].as_str(), report["to"].as_str()),
        (Some("sqlite"), Some("postgres"))
    );
    assert_eq!(report["checks"]["dataIdentical"], true);
    assert_eq!(report["checks"]["checkBooks"]["ok"], true);
    assert_eq!(report["checks"]["numbers"][0]["series"], "invoice");
    assert!(
        report["checks"]["numbers"][0]["documents"]
            .as_u64()
            .unwrap()
            > 10
    );

    let back = dir.path().join("back.sqlite3");
    let back_s = back.to_str().unwrap();
    let (done, report) = cli(&["books", "move", "--from", &url, "--to", back_s]);
    assert!(done, "{report}");
    assert_eq!(report["to"], "sqlite");
    let (mut a, mut b, mut c) = (
        db::open(&file).unwrap(),
        open(&url),
        db::open(&back).unwrap(),
    );
    assert_same_books(&mut a, &mut b, "file → server");
    assert_same_books(&mut a, &mut c, "file → server → file");

    // Into books that are not empty: refused, nothing written, the file left as it was.
    let server_before = db::data_dump(&b).unwrap();
    let back_before = db::data_dump(&c).unwrap();
    for to in [url.as_str(), back_s] {
        let (done, e) = cli(&["books", "move", "--from", file_s, "--to", to]);
        assert!(!done);
        assert_eq!(
            (e["code"].as_str(), e["message"].as_str()),
            (Some("conflict"), Some("error.targetNotEmpty")),
            "{to}"
        );
    }
    assert_eq!(server_before, db::data_dump(&b).unwrap());
    assert_eq!(back_before, db::data_dump(&c).unwrap());

    // No such source: nothing created anywhere.
    let missing = dir.path().join("missing.sqlite3");
    let new = dir.path().join("new.sqlite3");
    let (done, e) = cli(&[
        "books",
        "move",
        "--from",
        missing.to_str().unwrap(),
        "--to",
        new.to_str().unwrap(),
    ]);
    assert!(!done);
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("not_found"), Some("--from"))
    );
    assert!(!missing.exists() && !new.exists());
    // A move that fails after creating its target file removes the file again: here a source
    // with a table that is not the books' (nothing unknown is left behind, nor moved).
    c.execute_batch("CREATE TABLE my_notes (x TEXT)").unwrap();
    drop(c);
    let (done, e) = cli(&[
        "books",
        "move",
        "--from",
        back_s,
        "--to",
        new.to_str().unwrap(),
    ]);
    assert!(!done, "{e}");
    assert_eq!(e["code"], "internal");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("new."))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // Arguments.
    let (done, e) = cli(&["books", "move", "--from", file_s]);
    assert!(!done);
    assert_eq!(
        (e["message"].as_str(), e["field"].as_str()),
        (Some("error.required"), Some("--to"))
    );
}

/// A bigger shop, timed each way (`ESEP_MOVE_INVOICES=20000` for a long run): the rows go in
/// pages and multi-row INSERTs, so a move is not one round trip to the server per row.
#[test]
fn a_bigger_shop_moves_both_ways_and_is_timed() {
    let invoices: usize = std::env::var("ESEP_MOVE_INVOICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let mut shop = db::open_in_memory().unwrap();
    ok(
        &mut shop,
        "save_profile",
        json!({"name": "Big Shop", "currency": "KZT", "language": "kk", "defaultTermsId": 5}),
    );
    for c in 0..40 {
        ok(
            &mut shop,
            "create_customer",
            json!({"name": format!("Клиент {c}")}),
        );
    }
    for i in 0..invoices {
        let customer = 1 + (i % 40) as i64;
        let inv = ok(
            &mut shop,
            "create_invoice",
            json!({"customerId": customer, "lines": [
                {"description": "Жұмыс", "quantity": "2", "unitPrice": format!("{}.{:02}", 1000 + i, i % 100), "taxRate": "12"},
                {"description": "Бөлшек", "quantity": "1", "unitPrice": "350"}]}),
        );
        ok(
            &mut shop,
            "issue_invoice",
            json!({"id": inv["id"], "issueDate": "2026-11-01"}),
        );
        if i % 2 == 0 {
            ok(
                &mut shop,
                "record_payment",
                json!({"customerId": customer, "amount": "1500", "date": "2026-11-10"}),
            );
        }
    }
    let rows = dump(&shop).len();
    let mut server = open(&fresh_books());
    let t = std::time::Instant::now();
    move_books(&mut shop, &mut server, d(TODAY)).unwrap();
    let there = t.elapsed();
    let mut back = db::open_in_memory().unwrap();
    let t = std::time::Instant::now();
    move_books(&mut server, &mut back, d(TODAY)).unwrap();
    let back_again = t.elapsed();
    println!(
        "{invoices} invoices, {rows} rows: SQLite → PostgreSQL {:.2} s, back {:.2} s",
        there.as_secs_f64(),
        back_again.as_secs_f64()
    );
    assert_same_books(&mut shop, &mut back, "a bigger shop, there and back");
}
