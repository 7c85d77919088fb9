//! CSV bench (#10): a 50,000-row customer file from Russian-language Excel (Windows-1251,
//! `;`, decimal commas) through preview and import into a file database with
//! synchronous=FULL, then 100,000 unbilled services for those customers the same way, then the
//! exports. Prints figures; `-- --rows N` / `--charges N` to change the sizes.

mod common;
use common::{call, measure, ms, report, Rng};
use esep_core::{db, Ctx};
use serde_json::json;
use std::time::Instant;

use esep_core::books::profile::base64_encode as b64;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n_charges: usize = args
        .iter()
        .position(|a| a == "--charges")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rows: usize = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    println!(
        "Esep CSV bench — {} rows — {} — {}",
        rows,
        std::env::consts::ARCH,
        chrono::Local::now().format("%Y-%m-%d")
    );
    let mut rng = Rng::new(7);
    let mut text = String::from("Наименование;Адрес;Телефон;Email;Сальдо;Дата сальдо\r\n");
    for i in 0..rows {
        let balance = if rng.below(3) == 0 {
            String::new()
        } else {
            format!(
                "{} {:03},{:02}",
                1 + rng.below(900),
                rng.below(1000),
                rng.below(100)
            )
        };
        text.push_str(&format!(
            "ТОО \"Клиент {i}\";\"г. Алматы, ул. Абая {}\r\nкв. {}\";+7 701 {:07};client{i}@example.kz;{balance};31.12.2025\r\n",
            rng.below(300),
            rng.below(99),
            i
        ));
    }
    let bytes = encoding_rs::WINDOWS_1251.encode(&text).0.into_owned();
    println!(
        "{:<44} {:.1} MB",
        "file size (Windows-1251)",
        bytes.len() as f64 / 1e6
    );
    let data = b64(&bytes);

    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("bench.sqlite3")).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut ctx = Ctx::new(&mut conn, today);
    call(
        &mut ctx,
        "save_profile",
        json!({"name": "Bench", "currency": "KZT", "language": "ru"}),
    );
    let args = json!({"kind": "customers", "dataBase64": data});

    let preview = measure(3, || {
        let p = call(&mut ctx, "import_preview", args.clone());
        assert_eq!(p["ready"], true, "{}", p["problems"]);
    });
    report(
        &format!("preview of {rows} rows (every row checked)"),
        &preview,
        None,
    );
    let t = Instant::now();
    let r = call(&mut ctx, "import_csv", args.clone());
    let took = t.elapsed();
    println!(
        "{:<44} {:>9.1} ms   ({} customers, {} opening balances; {:.1} µs/row)",
        "import (one transaction)",
        ms(took),
        r["customers"],
        r["openingBalances"],
        ms(took) * 1000.0 / rows as f64
    );
    let t = Instant::now();
    let problems = esep_core::books::audit::check(ctx.conn).unwrap();
    println!(
        "{:<44} {:>9.1} ms   ({} problems)",
        "check_books after the import",
        ms(t.elapsed()),
        problems.len()
    );
    assert!(problems.is_empty());

    // Unbilled services for those customers (by name), as a shop moving in from a spreadsheet.
    let mut text = String::from("Клиент;Дата услуги;Услуга;Кол-во;Ед.;Цена;НДС\r\n");
    for i in 0..n_charges {
        text.push_str(&format!(
            "ТОО \"Клиент {}\";{:02}.{:02}.2026;Ремонт №{i};{},{};ч;{} {:03},{:02};12\r\n",
            rng.below(rows as u64),
            1 + rng.below(28),
            10 + rng.below(2),
            1 + rng.below(5),
            rng.below(10),
            1 + rng.below(90),
            rng.below(1000),
            rng.below(100)
        ));
    }
    let bytes = encoding_rs::WINDOWS_1251.encode(&text).0.into_owned();
    println!(
        "{:<44} {:.1} MB",
        format!("services file, {n_charges} rows"),
        bytes.len() as f64 / 1e6
    );
    let args = json!({"kind": "charges", "dataBase64": b64(&bytes)});
    let t = Instant::now();
    let p = call(&mut ctx, "import_preview", args.clone());
    assert_eq!(p["ready"], true, "{}", p["problems"]);
    println!(
        "{:<44} {:>9.1} ms",
        format!("preview of {n_charges} services"),
        ms(t.elapsed())
    );
    let t = Instant::now();
    let r = call(&mut ctx, "import_csv", args);
    let took = t.elapsed();
    println!(
        "{:<44} {:>9.1} ms   ({} services; {:.1} µs/row)",
        "import (one transaction)",
        ms(took),
        r["charges"],
        ms(took) * 1000.0 / n_charges as f64
    );
    let t = Instant::now();
    let problems = esep_core::books::audit::check(ctx.conn).unwrap();
    println!(
        "{:<44} {:>9.1} ms   ({} problems)",
        "check_books after the import",
        ms(t.elapsed()),
        problems.len()
    );
    assert!(problems.is_empty());
    let s = measure(5, || {
        call(&mut ctx, "list_unbilled", json!({"limit": 100}));
    });
    report("unbilled list, first 100 and every total", &s, None);
    let s = measure(5, || {
        call(
            &mut ctx,
            "list_unbilled",
            json!({"limit": 100, "offset": 50_000}),
        );
    });
    report("unbilled list, page at 50,000", &s, None);
    let s = measure(3, || {
        call(&mut ctx, "dashboard", json!({}));
    });
    report("dashboard with them", &s, Some(50.0));

    for kind in ["customers", "journal", "ageing"] {
        let s = measure(3, || {
            call(
                &mut ctx,
                "export_csv",
                json!({"kind": kind, "delimiter": ";"}),
            );
        });
        report(&format!("export {kind} as CSV"), &s, None);
    }
}
