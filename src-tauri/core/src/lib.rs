//! Esep's core: money, payment terms, invoices and the double-entry books behind them, stored
//! in SQLite. No Tauri here: this crate builds and tests anywhere.

// SQL rows are read into tuples right where the query is written; naming every tuple type
// would move the column list away from the SELECT it must match.
#![allow(clippy::type_complexity)]

pub mod api;
pub mod args;
pub mod backup;
pub mod books;
pub mod calc;
pub mod db;
pub mod error;
pub mod i18n;
pub mod ledger;
pub mod lock;
pub mod money;
pub mod pdf;
pub mod terms;

pub use books::Ctx;
pub use error::{Error, ErrorPayload, Result};

/// Today's date: `ESEP_TODAY=YYYY-MM-DD` (a test clock) or the local calendar date.
pub fn today() -> chrono::NaiveDate {
    std::env::var("ESEP_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}
