//! Books bench on a realistic large shop: a deterministic generator (5,000 customers, N
//! invoices over 10 years with 1–20 lines, partial/over/late payments, credit notes,
//! reminders), then median/p95 of the everyday operations, and hledger on the same books.
//!
//! `cargo bench -p esep-core --bench books -- --invoices 100000 [--keep FILE]`; `--reuse FILE`
//! measures a kept shop again without generating it (a copy, so the original stays as it was).

mod common;
use common::*;
use esep_core::{api, db, Ctx};
use serde_json::json;
use std::process::Command;
use std::time::Instant;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n_invoices = arg("--invoices", 100_000);
    let n_customers = arg("--customers", 5_000).min(n_invoices.max(1));
    println!(
        "Esep books bench — {} — {} — {n_invoices} invoices, {n_customers} customers",
        std::env::consts::ARCH,
        chrono::Local::now().format("%Y-%m-%d")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sqlite3");
    let reuse = std::env::args().skip_while(|a| a != "--reuse").nth(1);
    if let Some(src) = &reuse {
        std::fs::copy(src, &path).expect("the shop to reuse");
    }
    let start = shop_start();
    let t0 = Instant::now();
    if reuse.is_none() {
        generate_shop(&path, n_invoices, n_customers);
    }
    let gen = t0.elapsed();
    let postings: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM postings", [], |r| r.get(0))
        .unwrap();
    println!(
        "{:<44} {:>9.1} s  ({postings} postings, {:.1} MB file)",
        "generate + import the shop",
        gen.as_secs_f64(),
        std::fs::metadata(&path)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    );

    // "Today" is a month after the last generated invoice.
    let today = start + chrono::Duration::days(3650 + 30);
    let open = measure(5, || {
        let mut c = db::open(&path).unwrap();
        let mut ctx = Ctx::new(&mut c, today);
        api::call(&mut ctx, "app_status", &json!({"check": false})).unwrap();
        api::call(&mut ctx, "dashboard", &json!({})).unwrap();
    });
    report(
        "open database + first screen (dashboard)",
        &open,
        Some(200.0),
    );
    let check = measure(3, || {
        let c = db::open(&path).unwrap();
        assert!(esep_core::books::audit::check(&c).unwrap().is_empty());
    });
    report("check_books (background thread on open)", &check, None);
    let mut conn = db::open(&path).unwrap();
    let mut ctx = Ctx::new(&mut conn, today);
    let s = measure(5, || {
        call(&mut ctx, "ageing", json!({"asOf": today.to_string()}));
    });
    report("ageing report (every customer)", &s, Some(100.0));
    let s = measure(20, || {
        call(
            &mut ctx,
            "ageing",
            json!({"asOf": today.to_string(), "sort": "overdue", "limit": 50}),
        );
    });
    report(
        "ageing page (50 most overdue, as on screen)",
        &s,
        Some(100.0),
    );
    let s = measure(10, || {
        call(&mut ctx, "list_to_send", json!({}));
    });
    report("to send (first 50 customers)", &s, None);
    let s = measure(20, || {
        call(
            &mut ctx,
            "statement",
            json!({"customerId": 42, "from": (today - chrono::Duration::days(365)).to_string(), "to": today.to_string()}),
        );
    });
    report("customer statement (one year)", &s, Some(20.0));
    let s = measure(20, || {
        call(
            &mut ctx,
            "list_invoices",
            json!({"status": "overdue", "sort": "due", "limit": 50}),
        );
    });
    report("invoice list page (overdue, by due date)", &s, Some(10.0));
    let s = measure(20, || {
        call(
            &mut ctx,
            "search_customers",
            json!({"query": "ром", "limit": 50}),
        );
    });
    report("customer search as you type", &s, Some(20.0));
    let s = measure(5, || {
        call(&mut ctx, "dashboard", json!({}));
    });
    report("dashboard figures", &s, Some(50.0));
    ctx.conn
        .sqlite()
        .unwrap()
        .pragma_update(None, "synchronous", "FULL")
        .unwrap();
    let mut k = 0;
    let drafts: Vec<_> = (0..30)
        .map(|j| call(&mut ctx, "create_invoice", json!({"customerId": 2 + j, "lines": [{"description": "bench", "unitPrice": "100"}]}))["id"].clone())
        .collect();
    let s = measure(30, || {
        call(&mut ctx, "issue_invoice", json!({"id": drafts[k]}));
        k += 1;
    });
    report("issue one invoice (synchronous=FULL)", &s, Some(5.0));
    let s = measure(30, || {
        call(
            &mut ctx,
            "create_invoice",
            json!({"customerId": 1 + k, "lines": [{"description": "bench", "unitPrice": "100"}]}),
        );
    });
    report("save one draft (synchronous=FULL)", &s, None);
    let s = measure(30, || {
        call(
            &mut ctx,
            "record_payment",
            json!({"customerId": 1 + k, "amount": "10"}),
        );
    });
    report("record one payment (synchronous=FULL)", &s, None);
    let t = Instant::now();
    let export = call(&mut ctx, "export_journal", json!({"format": "hledger"}));
    let export_ms = ms(t.elapsed());
    println!(
        "{:<44} {export_ms:>9.1} ms ({:.1} MB)",
        "export hledger journal",
        export["text"].as_str().unwrap().len() as f64 / 1e6
    );
    let ageing_ms = ms(measure(3, || {
        call(&mut ctx, "ageing", json!({}));
    })
    .median);
    let journal = dir.path().join("big.journal");
    std::fs::write(&journal, export["text"].as_str().unwrap()).unwrap();
    let t = Instant::now();
    let out = Command::new("hledger")
        .arg("-f")
        .arg(&journal)
        .args(["balance", "assets:receivables", "--flat"])
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let h = ms(t.elapsed());
            println!(
                "{:<44} {h:>9.1} ms",
                "hledger balance of receivables by customer"
            );
            println!(
                "{:<44} {:.0}× faster (target ≥ 100×)",
                "ratio hledger / Esep ageing",
                h / ageing_ms
            );
        }
        _ => println!("hledger: not available or failed — ratio not measured"),
    }
    if let Some(keep) = std::env::args().skip_while(|a| a != "--keep").nth(1) {
        std::fs::copy(&path, &keep).unwrap();
        println!("kept the shop at {keep}");
    }
    bank_statement(&mut ctx, &mut Rng::new(11));
}

/// #21: a 10,000-line bank statement (1C exchange format) imported, then every incoming line
/// proposed against the shop's open invoices, as the Bank page asks for them (pages of 1,000).
/// Most lines pay an open invoice named in the purpose as banks write it ("№ INV-…",
/// "счёт 42", "2026/42"), some pay an amount with no reference, some are money out.
fn bank_statement(ctx: &mut Ctx, rng: &mut Rng) {
    let open: Vec<(String, i64)> = ctx
        .conn
        .prepare("SELECT i.number, st.amount_minor - st.settled_minor FROM invoice_state st JOIN invoices i ON i.id = st.invoice_id WHERE st.amount_minor > st.settled_minor LIMIT 10000")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let day = ctx.today.format("%d.%m.%Y").to_string();
    let mut text = format!("1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\nДатаНачала={day}\nДатаКонца={day}\n");
    for k in 0..10_000usize {
        let (number, minor) = &open[k % open.len().max(1)];
        let amount = format!("{}.{:02}", minor / 100, minor % 100);
        let seq = number
            .rsplit('-')
            .next()
            .unwrap_or("1")
            .trim_start_matches('0');
        let (purpose, out) = match rng.below(10) {
            0..=4 => (format!("Оплата по счёту № {number} за услуги"), false),
            5 => (format!("Оплата, счёт {seq}"), false),
            6 => (
                format!("Төлем {}/{seq}", &number[4..8.min(number.len())]),
                false,
            ),
            7 => ("Оплата за услуги".to_string(), false),
            8 => (format!("Перевод {k}"), false),
            _ => ("Аренда".to_string(), true),
        };
        let (payer, payee, date_field) = if out {
            (
                "KZ233456789012345678",
                "KZ12601A861000123456",
                "ДатаСписано",
            )
        } else {
            ("KZ12601A861000123456", "", "ДатаПоступило")
        };
        text += &format!(
            "СекцияДокумент=Платежное поручение\nНомер={k}\nДата={day}\nСумма={amount}\nПлательщикИИК={payer}\nПлательщик=Плательщик {k}\nПолучательИИК={payee}\n{date_field}={day}\nНазначениеПлатежа={purpose}\nКонецДокумента\n"
        );
    }
    text += "КонецФайла\n";
    let data = esep_core::books::profile::base64_encode(text.as_bytes());
    let t = Instant::now();
    let r = call(ctx, "import_statement", json!({"dataBase64": data}));
    let import_ms = ms(t.elapsed());
    let t = Instant::now();
    let (mut offset, mut proposed) = (0, 0);
    let total = loop {
        let page = call(
            ctx,
            "list_bank_transactions",
            json!({"limit": 1000, "offset": offset}),
        );
        let total = page["total"].as_i64().unwrap();
        let items = page["items"].as_array().unwrap();
        proposed += items.iter().filter(|t| !t["proposal"].is_null()).count();
        offset += 1000;
        if offset >= total {
            break total;
        }
    };
    let propose_ms = ms(t.elapsed());
    println!(
        "{:<44} {import_ms:>9.1} ms ({} lines added)",
        "bank statement, 10,000 lines: import", r["added"]
    );
    println!(
        "{:<44} {propose_ms:>9.1} ms ({proposed} of {total} incoming lines proposed)",
        "  then every proposal (pages of 1,000)"
    );
    println!(
        "{:<44} {:>9.1} ms (target ≤ 2,000 ms)",
        "  import + proposals",
        import_ms + propose_ms
    );
    let s = measure(10, || {
        call(ctx, "list_bank_transactions", json!({"limit": 100}));
    });
    report("bank page: 100 lines to confirm, proposed", &s, None);
}
