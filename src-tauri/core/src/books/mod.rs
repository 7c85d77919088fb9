//! The business operations behind the commands: profile, customers, charges, invoices, the
//! sending log, the journal and the audit. Every operation takes a [`Ctx`] and JSON arguments,
//! validates everything before writing, and writes in one transaction.

pub mod audit;
pub mod charges;
pub mod corrections;
pub mod customers;
pub mod documents;
pub mod invoices;
pub mod items;
pub mod journal;
pub mod payments;
pub mod profile;
pub mod reminders;
pub mod reports;
pub mod sample;
pub mod terms;
pub mod transfer;

use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

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

/// A timestamp for `created_at` columns (metadata only; domain dates come from `today`).
pub fn now_stamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Folds a name for case-insensitive search (full Unicode lower case, so Cyrillic works).
pub fn fold(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

pub(crate) fn parse_stored_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Internal(format!("bad stored date {s}")))
}

/// Fails with `not_found` on `field` unless a row with `id` exists in `table`.
pub(crate) fn must_exist(conn: &Connection, table: &str, id: i64, field: &str) -> Result<()> {
    let found: Option<i64> = conn.query_row(&format!("SELECT id FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).optional()?;
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
