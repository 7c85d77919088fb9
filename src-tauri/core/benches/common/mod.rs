//! Shared helpers for the bench binaries: timing with median/p95, and a deterministic shop.
#![allow(dead_code)]

use esep_core::{api, Ctx};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub struct Stats {
    pub median: Duration,
    pub p95: Duration,
    pub n: usize,
}

pub fn measure(n: usize, mut f: impl FnMut()) -> Stats {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    Stats {
        median: times[times.len() / 2],
        p95: times[((times.len() as f64 * 0.95) as usize).min(times.len() - 1)],
        n,
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn report(name: &str, s: &Stats, target_ms: Option<f64>) {
    let verdict = match target_ms {
        Some(t) if ms(s.p95.max(s.median)) <= t || ms(s.median) <= t => {
            format!("target ≤ {t} ms: met")
        }
        Some(t) => format!("target ≤ {t} ms: MISSED"),
        None => String::new(),
    };
    println!(
        "{name:<44} median {:>9.3} ms   p95 {:>9.3} ms   (n={})   {verdict}",
        ms(s.median),
        ms(s.p95),
        s.n
    );
}

/// A tiny deterministic PRNG (xorshift64*), so generated shops are the same for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545F4914F6CDD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

pub fn call(ctx: &mut Ctx, cmd: &str, args: Value) -> Value {
    api::call(ctx, cmd, &args).unwrap_or_else(|e| panic!("{cmd} {args}: {e:?}"))
}

pub fn profile(ctx: &mut Ctx) {
    call(
        ctx,
        "save_profile",
        json!({"name": "ЖШС «Алма Сервис»", "currency": "KZT", "language": "kk", "address": "Абай даңғылы 10\nАлматы 050000", "taxIds": "БСН 123456789012",
               "bankAccount": "KZ23 3456 7890 1234 5678", "bankName": "Kaspi Bank", "bankBic": "CASPKZKA", "bankKbe": "17"}),
    );
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap_or_default()
}

/// Half of an amount, rounded to cents the one Esep way.
fn half(s: &str) -> String {
    esep_core::money::round_money(dec(s) / rust_decimal::Decimal::TWO, 2).to_string()
}

/// The first day of a generated shop's ten years.
pub fn shop_start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2016, 12, 1).unwrap()
}

/// A realistic large shop in a new SQLite file (deterministic): `n_customers` customers,
/// `n_invoices` invoices over ten years with 1–20 lines, payments on time, late, partial and
/// over, credit notes and reminders.
pub fn generate_shop(path: &std::path::Path, n_invoices: u64, n_customers: u64) {
    use esep_core::db;
    let start = shop_start();
    let t0 = std::time::Instant::now();
    let mut conn = db::open(path).unwrap();
    // Bulk load: no fsync per commit while generating (the measured operations below run
    // with the app's real settings, synchronous=FULL).
    conn.sqlite()
        .unwrap()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let mut ctx = Ctx::new(&mut conn, start);
    profile(&mut ctx);
    let mut rng = Rng::new(7);
    for c in 0..n_customers {
        let lang = ["kk", "ru", "en"][(c % 3) as usize];
        call(
            &mut ctx,
            "create_customer",
            json!({"name": format!("{} {c:05}", ["Қайрат", "Әлия", "ТОО Ромашка", "Acme", "Нұрлан", "Ерлан", "Светлана"][(c % 7) as usize]), "language": lang, "address": "Алматы"}),
        );
    }
    let days = 3650u64;
    let mut issued: Vec<(i64, i64)> = Vec::new();
    for i in 0..n_invoices {
        let date = start + chrono::Duration::days((i * days / n_invoices.max(1)) as i64);
        ctx.today = date;
        let customer = 1 + rng.below(n_customers) as i64;
        let n_lines = 1 + rng.below(20);
        let lines: Vec<_> = (0..n_lines)
            .map(|j| json!({"description": format!("Қызмет {j}"), "quantity": format!("{}", 1 + rng.below(5)), "unitPrice": format!("{}.{:02}", 100 + rng.below(20000), rng.below(100)), "taxRate": if j % 3 == 0 { "0" } else { "12" }}))
            .collect();
        let terms = [2, 5, 7, 8, 9][rng.below(5) as usize];
        let d = call(
            &mut ctx,
            "create_invoice",
            json!({"customerId": customer, "lines": lines, "termsId": terms}),
        );
        let inv = call(&mut ctx, "issue_invoice", json!({"id": d["id"]}));
        let id = inv["id"].as_i64().unwrap();
        call(
            &mut ctx,
            "record_sending",
            json!({"invoiceId": id, "kind": if i % 2 == 0 { "post" } else { "email" }}),
        );
        issued.push((id, customer));
        // Settle an older invoice: on time, late, partly, over; sometimes a credit note or a reminder.
        if issued.len() > 30 {
            let (old, cust) = issued[issued.len() - 30];
            let open = call(&mut ctx, "get_invoice", json!({"id": old}))["open"]
                .as_str()
                .unwrap()
                .to_string();
            let r = rng.below(100);
            if open != "0.00" {
                let amount = match r {
                    0..=69 => open.clone(),
                    70..=79 => half(&open),
                    80..=84 => (dec(&open) + rust_decimal::Decimal::TEN).to_string(),
                    85..=89 => {
                        let _ = api::call(
                            &mut ctx,
                            "create_credit_note",
                            &json!({"invoiceId": old, "reason": "returned", "amount": "1.00"}),
                        );
                        open.clone()
                    }
                    90..=94 => {
                        let _ = api::call(&mut ctx, "record_reminder", &json!({"invoiceId": old}));
                        String::new()
                    }
                    _ => String::new(),
                };
                if !amount.is_empty() && amount != "0.00" {
                    let _ = api::call(
                        &mut ctx,
                        "record_payment",
                        &json!({"customerId": cust, "amount": amount, "invoiceIds": [old]}),
                    );
                }
            }
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!(
                "  generated {} invoices in {:.1} s",
                i + 1,
                t0.elapsed().as_secs_f64()
            );
        }
    }
}
