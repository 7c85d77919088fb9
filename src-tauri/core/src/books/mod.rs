//! The business operations behind the commands: profile, customers, charges, invoices, the
//! sending log, the journal and the audit. Every operation takes a [`Ctx`] and JSON arguments,
//! validates everything before writing, and writes in one transaction.

pub mod acts;
pub mod advances;
pub mod audit;
pub mod bank;
pub mod charges;
pub mod corrections;
pub mod customer_page;
pub mod customers;
pub mod documents;
pub mod history;
pub mod invoices;
pub mod items;
pub mod journal;
pub mod payments;
pub mod profile;
pub mod quotes;
pub mod recurring;
pub mod reminders;
pub mod reports;
pub mod sample;
pub mod series;
pub mod terms;
pub mod transfer;

use crate::error::{Error, Result};
use crate::sql::{Connection, OptionalExtension};
use chrono::NaiveDate;

/// What every operation gets: the database and today's date (time is an input).
pub struct Ctx<'a> {
    pub conn: &'a mut Connection,
    pub today: NaiveDate,
}

impl<'a> Ctx<'a> {
    pub fn new(conn: &'a mut Connection, today: NaiveDate) -> Self {
        Ctx { conn, today }
    }
}

/// A typed answer (a view struct) as the JSON the command table returns.
pub(crate) fn to_value<T: serde::Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| Error::Internal(e.to_string()))
}

/// A timestamp for `created_at` columns (metadata only; domain dates come from `today`).
pub fn now_stamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Folds a name for case-insensitive search (full Unicode lower case, so Cyrillic works).
pub fn fold(s: &str) -> String {
    // Kazakh letters fold to the Russian ones a Russian keyboard types instead ("Асем" finds
    // "Әсем"); migration 0010 applies the same to the stored keys.
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'ё' => 'е',
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            other => other,
        })
        .collect()
}

pub(crate) fn parse_stored_date(s: &str) -> Result<NaiveDate> {
    // Reports parse tens of thousands of these: read the digits directly (chrono's format
    // parser costs ~10× more), same result, same refusals.
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    let fast = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d));
    fast.ok_or_else(|| Error::Internal(format!("bad stored date {s}")))
}

/// Fails with `not_found` on `field` unless a row with `id` exists in `table`.
pub(crate) fn must_exist(conn: &Connection, table: &str, id: i64, field: &str) -> Result<()> {
    let found: Option<i64> = conn
        .query_row(
            &format!("SELECT id FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?;
    found.map(|_| ()).ok_or_else(|| Error::not_found(field))
}

/// FNV-1a, 64 bit: a stable fingerprint of an issued document's content.
pub(crate) fn fingerprint(parts: &[String]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.as_bytes().iter().chain(std::iter::once(&0x1f)) {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// `{deleted: id}`: what a delete answers.
#[derive(Debug, serde::Serialize)]
pub struct Deleted {
    pub deleted: i64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn stored_dates_parse_exactly_and_nothing_else_does() {
        assert_eq!(
            super::parse_stored_date("2026-02-28").unwrap().to_string(),
            "2026-02-28"
        );
        assert_eq!(
            super::parse_stored_date("2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026/01/01",
            "+026-01-01",
            "2026-01-0a",
            "",
            "2026-01-011",
        ] {
            assert!(super::parse_stored_date(bad).is_err(), "{bad}");
        }
    }
}
