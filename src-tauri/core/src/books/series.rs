//! Number series: one mechanism for every numbered document (invoices, credit notes, and the
//! series later documents add). A number is taken inside the issuing transaction, gapless
//! within its series (and within its year when the series restarts every year, the usual
//! practice in Kazakhstan: INV-2027-0001 follows INV-2026-0412). The starting number can be
//! set only while the series is unused; `check_books` checks every series for gaps and
//! duplicates.
//!
//! To add a series: a row in `number_series` (a migration), a [`Series`] entry below, and a
//! table with `series`, `series_year`, `seq`, `number` and `issue_date` columns.

use crate::error::{Error, Result};
use crate::sql::{params, Connection, OptionalExtension};
use chrono::{Datelike, NaiveDate};

/// A numbered kind of document and the table its numbers live in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series {
    pub id: &'static str,
    table: &'static str,
}

/// Every numbered series.
pub const ALL: &[Series] = &[
    Series {
        id: "invoice",
        table: "invoices",
    },
    Series {
        id: "credit_note",
        table: "credit_notes",
    },
    Series {
        id: "act",
        table: "acts",
    },
    Series {
        id: "quote",
        table: "quotes",
    },
    Series {
        id: "prepayment",
        table: "quotes",
    },
];

/// The series ids, for argument checks.
pub const IDS: &[&str] = &["invoice", "credit_note", "act", "quote", "prepayment"];

impl Series {
    /// The table its documents live in.
    pub fn table(&self) -> &'static str {
        self.table
    }

    pub fn get(id: &str) -> Option<Series> {
        ALL.iter().copied().find(|s| s.id == id)
    }

    /// Its row in `number_series`.
    pub fn state(&self, conn: &Connection) -> Result<SeriesState> {
        Ok(conn.query_row(
            "SELECT format, next_number, yearly, counter_year FROM number_series WHERE id = ?1",
            [self.id],
            |r| {
                Ok(SeriesState {
                    format: r.get(0)?,
                    next: r.get(1)?,
                    yearly: r.get(2)?,
                    counter_year: r.get(3)?,
                })
            },
        )?)
    }

    /// Documents numbered in this series so far.
    pub fn used(&self, conn: &Connection) -> Result<i64> {
        Ok(conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM {} WHERE series = ?1 AND seq IS NOT NULL",
                self.table
            ),
            [self.id],
            |r| r.get(0),
        )?)
    }

    /// Takes the next number for a document dated `date` (inside the caller's transaction; the
    /// caller stores the document with it, then calls [`Number::advance`]). Dates never go back
    /// within a series, so numbers follow dates; `date_field` names the argument refused if
    /// this one would.
    pub fn take(&self, conn: &Connection, date: NaiveDate, date_field: &str) -> Result<Number> {
        let state = self.state(conn)?;
        // The last number has the last date (an index lookup, not a scan).
        let last: Option<String> = conn
            .query_row(
                &format!("SELECT issue_date FROM {} WHERE series = ?1 AND seq IS NOT NULL ORDER BY series_year DESC, seq DESC LIMIT 1", self.table),
                [self.id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(last) = last {
            if date < super::parse_stored_date(&last)? {
                let key = match self.id {
                    "act" => "error.beforeLastAct",
                    "credit_note" => "error.beforeLastCreditNote",
                    "quote" | "prepayment" => "error.beforeLastQuote",
                    _ => "error.beforeLastIssued",
                };
                return Err(Error::invalid(date_field, key));
            }
        }
        let (year, seq) = state.next_in(date.year());
        let number = format_number(&state.format, date.year(), seq);
        let taken: Option<i64> = conn
            .query_row(
                &format!("SELECT 1 FROM {} WHERE number = ?1", self.table),
                [&number],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(Error::Conflict {
                key: "error.numberTaken",
                field: Some(date_field.to_string()),
            });
        }
        Ok(Number {
            series: *self,
            year,
            seq,
            number,
        })
    }
}

/// A series' row: its format, the next number, whether it restarts every year and the year
/// that number counts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesState {
    pub format: String,
    pub next: i64,
    pub yearly: bool,
    pub counter_year: Option<i32>,
}

impl SeriesState {
    /// The (`series_year`, number) a document dated in `year` gets: a yearly series starts
    /// again at 1 in a year after the one it counts in.
    pub fn next_in(&self, year: i32) -> (i32, i64) {
        match (self.yearly, self.counter_year) {
            (false, _) => (0, self.next),
            (true, Some(y)) if y != year => (year, 1),
            (true, _) => (year, self.next),
        }
    }
}

/// A number taken from a series: store `series_year = year`, `seq` and `number` with the
/// document, then [`Number::advance`] the series in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub series: Series,
    /// The year the count restarts in, or 0 for a series that runs on.
    pub year: i32,
    pub seq: i64,
    pub number: String,
}

impl Number {
    pub fn advance(&self, conn: &Connection) -> Result<()> {
        conn.execute(
            "UPDATE number_series SET next_number = ?2, counter_year = CASE WHEN yearly = 1 THEN ?3 ELSE counter_year END WHERE id = ?1",
            params![self.series.id, self.seq + 1, self.year],
        )?;
        Ok(())
    }
}

/// A number from a format: `{YYYY}`, `{YY}`, `{N}` and `{N:w}` (zero-padded to w digits).
pub fn format_number(format: &str, year: i32, n: i64) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}').map(|e| e + start) else {
            break;
        };
        match &rest[start + 1..end] {
            "YYYY" => out.push_str(&format!("{year:04}")),
            "YY" => out.push_str(&format!("{:02}", year % 100)),
            "N" => out.push_str(&n.to_string()),
            t if t.starts_with("N:") => {
                let w: usize = t[2..].parse().unwrap_or(1);
                out.push_str(&format!("{n:0w$}"));
            }
            t => out.push_str(t),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What the audit found wrong with one series, as (rule, detail).
pub fn audit(conn: &Connection) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for s in ALL {
        let SeriesState {
            next,
            yearly,
            counter_year,
            ..
        } = s.state(conn)?;
        let mut stmt = conn.prepare(&format!("SELECT series_year, seq FROM {} WHERE series = ?1 AND seq IS NOT NULL ORDER BY series_year, seq", s.table))?;
        let seqs: Vec<(i32, i64)> = stmt
            .query_map([s.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<crate::sql::Result<_>>()?;
        let mut first_yearly = true;
        for (i, &(year, seq)) in seqs.iter().enumerate() {
            let period = if year == 0 {
                String::new()
            } else {
                format!(" ({year})")
            };
            match i.checked_sub(1).map(|p| seqs[p]) {
                Some((py, ps)) if py == year => {
                    if seq == ps {
                        out.push((
                            "number_duplicate",
                            format!("{}{period}: number {seq} used twice", s.id),
                        ));
                    } else if seq != ps + 1 {
                        out.push((
                            "number_gap",
                            format!("{}{period}: gap between {ps} and {seq}", s.id),
                        ));
                    }
                }
                // A new year of a yearly series restarts at 1 (the first may continue an
                // older count, or start where the user's old numbering stopped).
                _ if year != 0 => {
                    if !first_yearly && seq != 1 {
                        out.push((
                            "number_gap",
                            format!("{}{period}: the year starts at {seq}, not 1", s.id),
                        ));
                    }
                    first_yearly = false;
                }
                _ => {}
            }
        }
        if let Some(&(year, last)) = seqs.last() {
            if next != last + 1 {
                out.push((
                    "number_gap",
                    format!("{}: next number {next} does not follow {last}", s.id),
                ));
            }
            if yearly && year != 0 && counter_year != Some(year) {
                out.push((
                    "number_gap",
                    format!(
                        "{}: counting in {counter_year:?}, the last number is of {year}",
                        s.id
                    ),
                ));
            }
            if !yearly && year != 0 {
                out.push((
                    "number_gap",
                    format!(
                        "{}: counts on, but its last number restarted with the year {year}",
                        s.id
                    ),
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_number("INV-{YYYY}-{N:4}", 2026, 42), "INV-2026-0042");
        assert_eq!(format_number("{YY}/{N}", 2027, 7), "27/7");
        assert_eq!(format_number("CN{N:6}", 2026, 1234567), "CN1234567");
    }
}
