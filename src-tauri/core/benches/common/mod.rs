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
