//! Shared books on PostgreSQL (#23), against a real throwaway cluster (`esep-pgtest`):
//! several desktops writing at once, the schema and its version, the append-only rules kept by
//! the server itself.

mod common;

use common::{assert_gapless, d, fresh_server_books as fresh_books, open_server as open};
use esep_core::sql::{Connection, PgConfig};
use esep_core::{api, books::audit, db, Ctx};
use serde_json::{json, Value};
use std::time::Instant;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn call(conn: &mut Connection, today: &str, cmd: &str, args: Value) -> esep_core::Result<Value> {
    let mut ctx = Ctx::new(conn, d(today));
    api::call(&mut ctx, cmd, &args)
}

#[test]
fn eight_desktops_writing_at_once_keep_every_series_gapless_and_the_books_balanced() {
    let writers = env_num("ESEP_PG_WRITERS", 8);
    let ops = env_num("ESEP_PG_WRITER_OPS", 500);
    let url = fresh_books();
    let today = "2026-12-01";
    let mut conn = open(&url);
    call(
        &mut conn,
        today,
        "save_profile",
        json!({"name": "Алма Сервис", "currency": "KZT", "language": "ru", "defaultTermsId": 5}),
    )
    .unwrap();
    for w in 0..writers {
        call(
            &mut conn,
            today,
            "create_customer",
            json!({"name": format!("Клиент {w}"), "address": "Абая 1\nАлматы"}),
        )
        .unwrap();
    }
    let started = Instant::now();
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut conn = open(&url);
                let customer = w as i64 + 1;
                let mut issued: Vec<i64> = Vec::new();
                let mut done = [0usize; 4];
                let mut refused = 0usize;
                for i in 0..ops {
                    let kind = i % 4;
                    let result = match kind {
                        0 => call(
                            &mut conn,
                            today,
                            "create_invoice",
                            json!({"customerId": customer, "termsId": 1, "lines": [{"description": "Услуга", "quantity": "1", "unitPrice": "1000", "taxRate": "12"}]}),
                        )
                        .and_then(|inv| {
                            let id = inv["id"].as_i64().unwrap();
                            call(&mut conn, today, "issue_invoice", json!({"id": id, "issueDate": "2026-10-01"}))
                                .inspect(|_| issued.push(id))
                        }),
                        1 => call(
                            &mut conn,
                            today,
                            "record_payment",
                            json!({"customerId": customer, "amount": "100", "date": "2026-11-20"}),
                        ),
                        2 => match issued.last() {
                            Some(&id) => call(
                                &mut conn,
                                today,
                                "create_credit_note",
                                json!({"invoiceId": id, "reason": "Скидка", "amount": "10", "date": "2026-11-25"}),
                            ),
                            None => continue,
                        },
                        // A reminder on each issued invoice in turn (one is due per invoice).
                        _ => match issued.get((i / 4) % issued.len().max(1)) {
                            Some(&id) => call(&mut conn, today, "record_reminder", json!({"invoiceId": id})),
                            None => continue,
                        },
                    };
                    match result {
                        Ok(_) => done[kind] += 1,
                        // A reminder not yet due, a credit larger than what is left: refused
                        // for the user's reasons, nothing written.
                        Err(e) if matches!(e.code(), "validation" | "conflict" | "not_editable") => {
                            assert!(
                                !matches!(e, esep_core::Error::Db(_)),
                                "writer {w} op {i}: the server's error reached the user: {e:?}"
                            );
                            refused += 1
                        }
                        Err(e) => panic!("writer {w} op {i} (kind {kind}): {e:?}"),
                    }
                }
                (done, refused)
            })
        })
        .collect();
    let mut totals = [0usize; 4];
    let mut refused = 0;
    for h in handles {
        let (done, r) = h.join().expect("a writer panicked");
        for k in 0..4 {
            totals[k] += done[k];
        }
        refused += r;
    }
    let elapsed = started.elapsed();
    println!(
        "{writers} writers × {ops} operations in {:.1} s: issued {}, payments {}, credit notes {}, reminders {}, refused {refused}",
        elapsed.as_secs_f64(),
        totals[0],
        totals[1],
        totals[2],
        totals[3]
    );
    let conn = open(&url);
    let invoices = assert_gapless(&conn, "invoices");
    let credit_notes = assert_gapless(&conn, "credit_notes");
    assert_eq!(
        invoices as usize, totals[0],
        "every acknowledged issue has its number"
    );
    assert_eq!(credit_notes as usize, totals[2]);
    assert!(
        totals.iter().all(|n| *n > 0),
        "every kind of write happened: {totals:?}"
    );
    let problems = audit::check(&conn).unwrap();
    assert!(
        problems.is_empty(),
        "check_books after the run: {problems:?}"
    );
    let unbalanced: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (SELECT currency FROM postings GROUP BY currency HAVING SUM(amount_minor) <> 0) AS t",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unbalanced, 0, "the trial balance is zero in every currency");
}

#[test]
fn the_server_keeps_issued_documents_and_postings_append_only() {
    let url = fresh_books();
    let mut conn = open(&url);
    let today = "2026-12-01";
    call(
        &mut conn,
        today,
        "save_profile",
        json!({"name": "Shop", "currency": "KZT", "language": "en"}),
    )
    .unwrap();
    call(
        &mut conn,
        today,
        "create_customer",
        json!({"name": "Client"}),
    )
    .unwrap();
    let inv = call(
        &mut conn,
        today,
        "create_invoice",
        json!({"customerId": 1, "lines": [{"description": "Work", "quantity": "1", "unitPrice": "500"}]}),
    )
    .unwrap();
    call(&mut conn, today, "issue_invoice", json!({"id": inv["id"]})).unwrap();
    // Straight to the server, past the app: the triggers refuse, with the app's message.
    for sql in [
        "UPDATE postings SET amount_minor = amount_minor + 1",
        "DELETE FROM postings",
        "DELETE FROM journal_entries",
        "UPDATE invoices SET total_minor = 1",
    ] {
        let e = conn.execute(sql, []).expect_err(sql);
        let e = esep_core::Error::from(e);
        assert_eq!(e.code(), "not_editable", "{sql}: {e:?}");
        assert_eq!(e.message_key(), "error.issuedImmutable", "{sql}");
    }
    assert!(audit::check(&conn).unwrap().is_empty());
}

#[test]
fn books_newer_than_the_app_are_refused_and_opening_twice_changes_nothing() {
    let url = fresh_books();
    let conn = open(&url);
    let before = db::data_dump(&conn).unwrap();
    drop(conn);
    let conn = open(&url);
    assert_eq!(
        before,
        db::data_dump(&conn).unwrap(),
        "a second open migrates nothing"
    );
    conn.execute(
        "UPDATE esep_schema SET version = ?1",
        [db::SCHEMA_VERSION + 1],
    )
    .unwrap();
    let e = db::open_postgres(&PgConfig::new(&url)).expect_err("newer than this app");
    assert!(
        matches!(e, esep_core::Error::TooNew { found, .. } if found == db::SCHEMA_VERSION + 1),
        "{e:?}"
    );
}

/// A shop on the server with an owner, a clerk and an accountant; their addresses.
fn shop_with_three_people() -> (String, String, String) {
    use esep_core::server::{self, Role};
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let cluster = esep_pgtest::Cluster::shared();
    let admin = PgConfig::new(cluster.url("postgres"));
    let name = format!(
        "shop_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let done = server::init(&admin, &name, &format!("{name}_owner_login"), Some("pw")).unwrap();
    assert!(done.created);
    assert_eq!(done.schema_version, db::SCHEMA_VERSION);
    // Running it again changes nothing and does not fail.
    assert!(
        !server::init(&admin, &name, &format!("{name}_owner_login"), None)
            .unwrap()
            .created
    );
    server::add_user(
        &admin,
        &name,
        &format!("{name}_clerk_login"),
        Role::Clerk,
        None,
    )
    .unwrap();
    server::add_user(
        &admin,
        &name,
        &format!("{name}_acc_login"),
        Role::Accountant,
        None,
    )
    .unwrap();
    let url = |login: &str| {
        cluster
            .url(&name)
            .replacen("postgres@", &format!("{name}_{login}_login@"), 1)
    };
    (url("owner"), url("clerk"), url("acc"))
}

#[test]
fn each_role_does_only_its_part_and_a_refused_write_changes_nothing() {
    use esep_core::server::{role_of, Role};
    let today = "2026-12-01";
    let (owner_url, clerk_url, acc_url) = shop_with_three_people();
    let mut owner = open(&owner_url);
    let mut clerk = open(&clerk_url);
    let mut accountant = open(&acc_url);
    assert_eq!(role_of(&owner).unwrap(), Some(Role::Owner));
    assert_eq!(role_of(&clerk).unwrap(), Some(Role::Clerk));
    assert_eq!(role_of(&accountant).unwrap(), Some(Role::Accountant));

    call(
        &mut owner,
        today,
        "save_profile",
        json!({"name": "Алма Сервис", "currency": "KZT", "language": "ru", "defaultTermsId": 5}),
    )
    .unwrap();
    // The clerk's day: a customer, a service, an invoice issued and sent, paid in part, a
    // credit note, a reminder.
    let clerk_day: Vec<(&str, Value)> = vec![
        (
            "create_customer",
            json!({"name": "Қайрат Әлиев", "address": "Абая 1\nАлматы"}),
        ),
        (
            "record_charge",
            json!({"customerId": 1, "serviceDate": "2026-10-20", "description": "Ремонт", "unitPrice": "5000"}),
        ),
        (
            "create_invoice",
            json!({"customerId": 1, "termsId": 1, "chargeIds": [1]}),
        ),
        ("issue_invoice", json!({"id": 1, "issueDate": "2026-10-21"})),
        (
            "record_sending",
            json!({"invoiceId": 1, "kind": "post", "date": "2026-10-21"}),
        ),
        (
            "record_payment",
            json!({"customerId": 1, "amount": "1000", "date": "2026-11-01"}),
        ),
        (
            "create_credit_note",
            json!({"invoiceId": 1, "reason": "Скидка", "amount": "100", "date": "2026-11-02"}),
        ),
        ("record_reminder", json!({"invoiceId": 1})),
    ];
    // The owner's alone: settings, opening balances, write-offs.
    let owner_only: Vec<(&str, Value)> = vec![
        (
            "save_profile",
            json!({"name": "Другое имя", "currency": "KZT", "language": "kk"}),
        ),
        (
            "save_terms",
            json!({"name": "Мой срок", "kind": "net", "days": 45}),
        ),
        (
            "set_series",
            json!({"id": "quote", "format": "{YY}/{N:5}", "nextNumber": 120}),
        ),
        (
            "save_reminder_settings",
            json!({"graceDays": 3, "spacingDays": 14, "feeKind": "fixed", "feeFixed": "25"}),
        ),
        (
            "set_opening_balance",
            json!({"customerId": 1, "amount": "1000", "asOf": "2026-01-01"}),
        ),
        (
            "save_envelope",
            json!({"preset": "din5008a", "offsetX": "2.5", "offsetY": "-1"}),
        ),
        (
            "write_off",
            json!({"invoiceId": 1, "reason": "Не заплатит"}),
        ),
    ];
    let reads: Vec<(&str, Value)> = vec![
        ("list_invoices", json!({})),
        ("get_invoice", json!({"id": 1})),
        ("ageing", json!({})),
        ("dashboard", json!({})),
        ("get_journal", json!({})),
        ("trial_balance", json!({})),
        ("export_journal", json!({"format": "csv"})),
        ("check_books", json!({})),
    ];
    let refused_changes_nothing = |conn: &mut Connection, who: &str, cmd: &str, args: &Value| {
        let before = db::data_dump(&open(&owner_url)).unwrap();
        let e = call(conn, today, cmd, args.clone()).expect_err(&format!("{who} may not {cmd}"));
        assert_eq!(e.code(), "forbidden", "{who} {cmd}: {e:?}");
        assert_eq!(e.message_key(), "error.roleForbids");
        assert_eq!(
            before,
            db::data_dump(&open(&owner_url)).unwrap(),
            "{who} {cmd} wrote something"
        );
    };
    // Each step of the clerk's day: the accountant is refused it first (nothing written),
    // then the clerk does it.
    for (cmd, args) in &clerk_day {
        refused_changes_nothing(&mut accountant, "the accountant", cmd, args);
        call(&mut clerk, today, cmd, args.clone())
            .unwrap_or_else(|e| panic!("the clerk: {cmd}: {e:?}"));
    }
    for (cmd, args) in &owner_only {
        refused_changes_nothing(&mut accountant, "the accountant", cmd, args);
        refused_changes_nothing(&mut clerk, "the clerk", cmd, args);
    }
    for (cmd, args) in &reads {
        for (who, conn) in [
            ("owner", &mut owner),
            ("clerk", &mut clerk),
            ("accountant", &mut accountant),
        ] {
            call(conn, today, cmd, args.clone()).unwrap_or_else(|e| panic!("{who}: {cmd}: {e:?}"));
        }
    }
    for (cmd, args) in &owner_only {
        call(&mut owner, today, cmd, args.clone())
            .unwrap_or_else(|e| panic!("the owner: {cmd}: {e:?}"));
    }
    // Past the app, straight to the server: the accountant cannot change a single table.
    let tables: Vec<String> = accountant
        .prepare("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() > 30);
    for t in tables {
        for sql in [
            format!("DELETE FROM {t}"),
            format!("INSERT INTO {t} DEFAULT VALUES"),
        ] {
            let e = accountant.execute(&sql, []).expect_err(&sql);
            assert!(e.is_permission_denied(), "{sql}: {e}");
        }
    }
    assert!(audit::check(&owner).unwrap().is_empty());
}

/// Books with a profile and a customer, on a fresh database: their address.
fn shop() -> String {
    let url = fresh_books();
    let mut conn = open(&url);
    call(
        &mut conn,
        "2026-12-01",
        "save_profile",
        json!({"name": "Алма Сервис", "currency": "KZT", "language": "ru", "defaultTermsId": 5}),
    )
    .unwrap();
    call(
        &mut conn,
        "2026-12-01",
        "create_customer",
        json!({"name": "ТОО Север", "address": "Абая 1\nАлматы"}),
    )
    .unwrap();
    url
}

#[test]
fn the_connection_is_encrypted_when_the_server_offers_tls() {
    let cluster = esep_pgtest::Cluster::start().unwrap();
    let name = cluster.fresh_database().unwrap();
    let plain = open(&cluster.url(&name));
    assert!(
        !plain.is_encrypted().unwrap(),
        "no TLS on the server yet: a plain connection"
    );
    cluster.enable_tls().unwrap();
    // The default (`sslmode=prefer`, as PostgreSQL's own clients): encrypted when offered.
    let conn = open(&cluster.url(&name));
    assert!(conn.is_encrypted().unwrap(), "TLS offered, TLS used");
    let mut conn = conn;
    call(
        &mut conn,
        "2026-12-01",
        "save_profile",
        json!({"name": "Алма", "currency": "KZT", "language": "kk", "defaultTermsId": 5}),
    )
    .expect("commands work over TLS");
    let required = open(&format!("{}?sslmode=require", cluster.url(&name)));
    assert!(required.is_encrypted().unwrap());
    let disabled = open(&format!("{}?sslmode=disable", cluster.url(&name)));
    assert!(
        !disabled.is_encrypted().unwrap(),
        "sslmode=disable is plain"
    );
    // verify-full checks the certificate against the system's roots: a self-signed one is
    // refused, with an error, not a panic and not a plain connection.
    let verified = db::open_postgres(&PgConfig::new(format!(
        "{}?sslmode=verify-full",
        cluster.url(&name)
    )));
    assert!(
        verified.is_err(),
        "an untrusted certificate must be refused under verify-full"
    );
}

#[test]
fn each_desktop_hears_the_others_writes_and_only_writes() {
    use esep_core::sql::Listener;
    use std::time::Duration;
    let url = shop();
    let mut a = open(&url);
    let mut listener = Listener::connect(&PgConfig::new(&url)).unwrap();
    let token = a.change_token().expect("shared books have a change token");
    // Nothing is pending before anything happens.
    assert!(listener
        .wait(Duration::from_millis(200))
        .unwrap()
        .is_empty());
    call(
        &mut a,
        "2026-12-01",
        "create_customer",
        json!({"name": "ИП Асқар"}),
    )
    .unwrap();
    let heard = listener.wait(Duration::from_secs(5)).unwrap();
    assert_eq!(
        heard,
        vec![token.clone()],
        "one write, one announcement, with A's token"
    );
    // Reads and refused writes announce nothing.
    call(&mut a, "2026-12-01", "search_customers", json!({})).unwrap();
    let refused = call(&mut a, "2026-12-01", "create_customer", json!({"name": ""}));
    assert!(refused.is_err());
    assert!(
        listener
            .wait(Duration::from_millis(300))
            .unwrap()
            .is_empty(),
        "a read or a refused write changed nothing"
    );
    // Another desktop's write carries its own token.
    let mut b = open(&url);
    call(
        &mut b,
        "2026-12-01",
        "create_customer",
        json!({"name": "ТОО Оңтүстік"}),
    )
    .unwrap();
    let heard = listener.wait(Duration::from_secs(5)).unwrap();
    assert_eq!(heard.len(), 1);
    assert_ne!(heard[0], token, "B's token is not A's");
    assert_eq!(Some(heard[0].clone()), b.change_token());
}

#[test]
fn a_draft_changed_on_another_desktop_is_not_overwritten_silently() {
    let url = shop();
    let today = "2026-12-01";
    let (mut a, mut b) = (open(&url), open(&url));
    let line = |price: &str| json!([{"description": "Ремонт", "quantity": "1", "unitPrice": price, "taxRate": "0"}]);
    let draft = call(
        &mut a,
        today,
        "create_invoice",
        json!({"customerId": 1, "lines": line("1000")}),
    )
    .unwrap();
    let id = draft["id"].as_i64().unwrap();
    let seen_by_a = draft["revision"].as_str().unwrap().to_string();
    // B opens the same draft and saves a change.
    let on_b = call(&mut b, today, "get_invoice", json!({"id": id})).unwrap();
    assert_eq!(
        on_b["revision"], seen_by_a,
        "the same draft, the same revision"
    );
    let saved_by_b = call(
        &mut b,
        today,
        "update_invoice",
        json!({"id": id, "customerId": 1, "lines": line("2000"), "expectedRevision": seen_by_a}),
    )
    .unwrap();
    assert_ne!(
        saved_by_b["revision"], seen_by_a,
        "a change makes a new revision"
    );
    // A, still showing the old draft, saves: refused, and B's change is still there.
    let stale = call(
        &mut a,
        today,
        "update_invoice",
        json!({"id": id, "customerId": 1, "lines": line("3000"), "expectedRevision": seen_by_a}),
    )
    .unwrap_err();
    assert_eq!(stale.message_key(), "error.draftChangedElsewhere");
    assert_eq!(stale.code(), "conflict");
    let now = call(&mut a, today, "get_invoice", json!({"id": id})).unwrap();
    assert_eq!(now["totals"]["total"], saved_by_b["totals"]["total"]);
    // Issuing what A saw is refused too; issuing what is there now goes through.
    let refused = call(
        &mut a,
        today,
        "issue_invoice",
        json!({"id": id, "expectedRevision": seen_by_a}),
    )
    .unwrap_err();
    assert_eq!(refused.message_key(), "error.draftChangedElsewhere");
    let issued = call(
        &mut a,
        today,
        "issue_invoice",
        json!({"id": id, "expectedRevision": now["revision"]}),
    )
    .unwrap();
    assert!(issued["number"].is_string());
    assert!(
        issued["revision"].is_null(),
        "an issued invoice has no draft revision"
    );
}

#[test]
fn a_frozen_desktop_cannot_hold_the_writers_for_long() {
    // Each desktop's session asks the server to end a transaction it leaves idle, to notice a
    // vanished peer, and to stop waiting for another writer after a while.
    let conn = open(&fresh_books());
    let show = |name: &str| -> String {
        conn.query_row(&format!("SHOW {name}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(show("idle_in_transaction_session_timeout"), "2min");
    assert_eq!(show("lock_timeout"), "30s");
    assert_eq!(show("tcp_keepalives_idle"), "60");
}

/// Every command, tried by each role on the sample shop (the snapshot's calls): the accountant
/// reads what the owner reads and writes nothing at all; a clerk is refused exactly the owner's
/// settings and corrections, each refusal writing nothing.
#[test]
fn every_command_for_each_role_and_the_refused_ones_write_nothing() {
    use esep_core::books::sample;
    use esep_core::i18n::Lang;
    let today = "2026-11-27";
    let fill = |url: &str| {
        let mut owner = open(url);
        sample::fill(&mut owner, d(today), Lang::En).unwrap();
        owner
    };
    let writes = |name: &str| {
        api::COMMANDS
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.writes)
            .unwrap()
    };

    // The accountant.
    let (owner_url, _, acc_url) = shop_with_three_people();
    let mut owner = fill(&owner_url);
    let mut accountant = open(&acc_url);
    let before = db::data_dump(&owner).unwrap();
    let mut refused = 0;
    for (cmd, args) in common::calls::calls() {
        let theirs = call(&mut accountant, today, cmd, args.clone());
        if writes(cmd) {
            if let Err(e) = &theirs {
                assert!(
                    !matches!(e.code(), "internal" | "unavailable"),
                    "{cmd}: a refusal is a clear error, not {e:?}"
                );
                refused += 1;
            }
        } else {
            let mine = call(&mut owner, today, cmd, args.clone());
            assert_eq!(
                theirs.map_err(|e| e.to_payload()),
                mine.map_err(|e| e.to_payload()),
                "{cmd}: the accountant reads what the owner reads"
            );
        }
    }
    assert!(
        refused > 40,
        "the writes were tried and refused ({refused})"
    );
    assert_eq!(
        db::data_dump(&owner).unwrap(),
        before,
        "the accountant wrote nothing, whatever was tried"
    );

    // A clerk, on a shop of their own, doing the whole list in order.
    let (owner_url, clerk_url, _) = shop_with_three_people();
    let owner = fill(&owner_url);
    let mut clerk = open(&clerk_url);
    let mut forbidden = std::collections::BTreeSet::new();
    for (cmd, args) in common::calls::calls() {
        let before = db::data_dump(&owner).unwrap();
        if let Err(e) = call(&mut clerk, today, cmd, args.clone()) {
            if e.code() == "forbidden" {
                assert_eq!(e.message_key(), "error.roleForbids");
                assert_eq!(
                    db::data_dump(&owner).unwrap(),
                    before,
                    "{cmd}: refused to the clerk and wrote nothing"
                );
                forbidden.insert(cmd);
            }
        }
    }
    // The owner's alone: the shop's settings, opening balances and write-offs.
    for cmd in [
        "save_profile",
        "save_envelope",
        "set_logo",
        "save_terms",
        "set_series",
        "save_reminder_settings",
        "set_opening_balance",
        "write_off",
    ] {
        assert!(
            forbidden.contains(cmd),
            "{cmd} must be refused to a clerk (refused: {forbidden:?})"
        );
    }
    let daily = [
        "create_customer",
        "record_charge",
        "create_invoice",
        "issue_invoice",
        "record_payment",
        "create_credit_note",
        "record_reminder",
        "create_act",
        "save_quote",
        "import_statement",
    ];
    for cmd in daily {
        assert!(
            !forbidden.contains(cmd),
            "{cmd} is the clerk's daily work (refused: {forbidden:?})"
        );
    }
}
