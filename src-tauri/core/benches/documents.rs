//! Documents bench: one-page invoice (median, p95, size), a 1,000-line statement, a batch of
//! 1,000 invoices, and the same invoice printed by headless Chromium from equivalent HTML.

mod common;
use common::*;
use esep_core::args::Args;
use esep_core::books::documents::{layout, render_batch, render_one, Request};
use esep_core::pdf::render::render;
use esep_core::{db, Ctx};
use serde_json::json;
use std::process::Command;
use std::time::Instant;

fn req(kind: &str, id: i64) -> Request {
    Request::parse(&Args::new(&json!({"kind": kind, "id": id})).unwrap()).unwrap()
}

fn main() {
    println!(
        "Esep documents bench — {} — {}",
        std::env::consts::ARCH,
        chrono::Local::now().format("%Y-%m-%d")
    );
    let mut conn = db::open_in_memory().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut ctx = Ctx::new(&mut conn, day);
    profile(&mut ctx);
    call(
        &mut ctx,
        "create_customer",
        json!({"name": "Қайрат Әлиев", "address": "Сәтпаев көшесі 22, 14-пәтер\nАлматы 050013", "language": "kk"}),
    );
    let mut rng = Rng::new(42);
    for i in 0..500 {
        let lines: Vec<_> = (0..3).map(|j| json!({"description": format!("Қызмет {i}-{j}: тоңазытқышты жөндеу"), "quantity": "1", "unitPrice": format!("{}.50", 1000 + rng.below(50000)), "taxRate": "12"})).collect();
        let d = call(
            &mut ctx,
            "create_invoice",
            json!({"customerId": 1, "lines": lines, "termsId": 5}),
        );
        call(
            &mut ctx,
            "issue_invoice",
            json!({"id": d["id"], "issueDate": "2026-01-15"}),
        );
        call(
            &mut ctx,
            "record_payment",
            json!({"customerId": 1, "amount": "500", "date": "2026-02-01"}),
        );
    }
    // Warm up: fonts are parsed once per process.
    let (_, bytes) = render_one(&mut ctx, &req("invoice", 1)).unwrap();
    let one = measure(300, || {
        render_one(&mut ctx, &req("invoice", 1)).unwrap();
    });
    report("one-page invoice (layout + PDF)", &one, Some(3.0));
    // Where the time goes: reading the books and laying out, then drawing the PDF.
    let lay = measure(300, || {
        layout(&mut ctx, &req("invoice", 1)).unwrap();
    });
    report("  of which: books + layout", &lay, None);
    let (_, pages, title) = layout(&mut ctx, &req("invoice", 1)).unwrap();
    let draw = measure(300, || {
        render(&title, &pages);
    });
    report(
        "  of which: PDF (fonts subset, streams compressed)",
        &draw,
        None,
    );
    println!(
        "{:<44} {} bytes ({:.1} KB; target ≤ 30 KB)",
        "one-page invoice size",
        bytes.len(),
        bytes.len() as f64 / 1024.0
    );
    let st_req = Request::parse(
        &Args::new(
            &json!({"kind": "statement", "id": 1, "from": "2026-01-01", "to": "2026-12-31"}),
        )
        .unwrap(),
    )
    .unwrap();
    let st = measure(10, || {
        render_one(&mut ctx, &st_req).unwrap();
    });
    let lines = call(
        &mut ctx,
        "statement",
        json!({"customerId": 1, "from": "2026-01-01", "to": "2026-12-31"}),
    )["lines"]
        .as_array()
        .unwrap()
        .len();
    report(&format!("statement with {lines} lines"), &st, Some(300.0));
    let reqs: Vec<Request> = (1..=500)
        .chain(1..=500)
        .map(|i| req("invoice", i))
        .collect();
    let t = Instant::now();
    let batch = render_batch(&mut ctx, &reqs, |_, _| {}).unwrap();
    let took = t.elapsed();
    println!(
        "{:<44} {:>9.1} ms total, {:.3} ms per invoice, {:.1} MB",
        "batch of 1,000 invoices in one PDF",
        ms(took),
        ms(took) / 1000.0,
        batch.len() as f64 / 1e6
    );

    // The same invoice through headless Chromium from an equivalent HTML page.
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new("sh")
                .args(["-c", &format!("command -v {c} >/dev/null")])
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        });
    match chromium {
        None => println!("chromium: not installed (apt-get install chromium) — ratio not measured"),
        Some(bin) => {
            let dir = tempfile::tempdir().unwrap();
            let inv = call(&mut ctx, "get_invoice", json!({"id": 1}));
            let rows: String = inv["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        l["position"],
                        l["description"].as_str().unwrap(),
                        l["quantity"].as_str().unwrap(),
                        l["unitPrice"].as_str().unwrap(),
                        l["amount"].as_str().unwrap()
                    )
                })
                .collect();
            let html = format!("<!doctype html><meta charset=utf-8><style>body{{font-family:'DejaVu Sans';font-size:10pt}}table{{width:100%;border-collapse:collapse}}td{{border-bottom:1px solid #999}}</style><h1>№ {} төлем шоты</h1><p>{}</p><table>{rows}</table><p>Барлығы: {}</p>", inv["number"].as_str().unwrap(), inv["purpose"].as_str().unwrap(), inv["totals"]["total"].as_str().unwrap());
            let page = dir.path().join("invoice.html");
            std::fs::write(&page, html).unwrap();
            let out = dir.path().join("out.pdf");
            let runs = measure(3, || {
                let s = Command::new(bin)
                    .args([
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                    ])
                    .arg(format!(
                        "--user-data-dir={}",
                        dir.path().join("profile").display()
                    ))
                    .arg(format!("--print-to-pdf={}", out.display()))
                    .arg(format!("file://{}", page.display()))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert!(s.success());
            });
            report("same invoice, headless Chromium", &runs, None);
            println!(
                "{:<44} {:.0}× faster (target ≥ 100×)",
                "ratio Chromium / Esep (medians)",
                ms(runs.median) / ms(one.median).max(0.0001)
            );
        }
    }
}
