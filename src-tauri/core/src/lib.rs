//! Esep's core: money, payment terms, invoices and the double-entry books behind them, stored
//! in SQLite. No Tauri here: this crate builds and tests anywhere.

pub mod api;
pub mod args;
pub mod backup;
pub mod bank;
pub mod books;
pub mod calc;
pub mod csvfile;
pub mod db;
pub mod error;
pub mod files;
pub mod format;
pub mod i18n;
pub mod ids;
pub mod ledger;
pub mod lock;
pub mod money;
pub mod moving;
pub mod pdf;
pub mod req;
pub mod server;
pub mod shape;
pub mod sql;
pub mod terms;
pub mod ts;

pub use books::Ctx;
pub use chrono::NaiveDate;
pub use error::{Error, ErrorPayload, Result};

/// Today's date: `ESEP_TODAY=YYYY-MM-DD` (a test clock, or `--today`) or the local calendar date.
///
/// Time is an input: the domain never calls this, it receives `today` in its `Ctx`. Only the
/// app's and the CLI's entry points read the clock, here. With `ESEP_PINNED_CLOCK_ONLY=1` (set by
/// `cargo xtask test` for the whole suite) reading the real calendar panics, so a test that
/// forgets to pin its clock fails on the day it is written instead of on some later day.
pub fn today() -> chrono::NaiveDate {
    match pinned_today() {
        Some(d) => d,
        None => {
            if std::env::var_os(PINNED_CLOCK_ONLY).is_some_and(|v| !v.is_empty() && v != "0") {
                panic!("the real clock was read while {PINNED_CLOCK_ONLY} is set: pin the test's date (ESEP_TODAY, --today or Ctx::new(conn, date))");
            }
            chrono::Local::now().date_naive()
        }
    }
}

/// The variable that forbids the real calendar (see [`today`]).
pub const PINNED_CLOCK_ONLY: &str = "ESEP_PINNED_CLOCK_ONLY";

/// The date pinned by `ESEP_TODAY`, if any.
pub fn pinned_today() -> Option<chrono::NaiveDate> {
    std::env::var("ESEP_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
}
