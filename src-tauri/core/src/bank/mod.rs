//! Bank statements read into one shape, whatever the bank wrote: the 1C client-bank exchange
//! text every Kazakh and Russian bank gives ([`onec`]), SWIFT MT940 ([`mt940`]) and ISO 20022
//! camt.053 XML ([`camt`]).
//!
//! A parser never writes: it returns a [`Statement`] or an error naming the line of the file
//! (`line:12` or `line:12:Сумма` as the error's field) with a translated message. Amounts are
//! exact decimals as written; the caller converts them to the currency's minor units (and
//! refuses three decimals in tenge there).

pub mod camt;
pub mod csv;
pub mod mt940;
pub mod onec;

use crate::error::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The largest statement file read (a year of a busy shop's account is far below).
pub const MAX_FILE: usize = 20 * 1024 * 1024;

/// Money in (a customer paying) or out (the shop paying).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// One booked transaction of a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line of the file where the transaction starts (1-based), for messages.
    pub line: usize,
    pub date: NaiveDate,
    pub direction: Direction,
    /// Always positive; the direction says which way.
    pub amount: Decimal,
    /// Empty when the format gives none (the statement's currency applies).
    pub currency: String,
    /// The other side: the payer of money in, the recipient of money out.
    pub counterparty: String,
    /// Its БИН/ИИН (or ИНН, or an organisation id in camt.053).
    pub counterparty_id: String,
    /// Its account (ИИК / IBAN / account number), without spaces, upper case.
    pub counterparty_account: String,
    /// The purpose of payment, on one line.
    pub purpose: String,
    /// The bank's or the payment order's reference (document number).
    pub reference: String,
    /// The payment purpose code (КНП), when the format has one.
    pub knp: String,
}

/// A statement: the account, the period, the balances when given, and the lines in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `1c`, `mt940`, `camt053` or `csv`.
    pub format: &'static str,
    /// The shop's account the statement is for, without spaces, upper case (may be empty).
    pub account: String,
    /// Empty when the format gives none.
    pub currency: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Signed balances (a debit balance is negative).
    pub opening: Option<Decimal>,
    pub closing: Option<Decimal>,
    pub lines: Vec<Line>,
}

/// The format of a statement file, from its content (not its name).
pub fn format_of(bytes: &[u8]) -> Result<&'static str> {
    if bytes.len() > MAX_FILE {
        return Err(Error::invalid("file", "error.bank.tooLarge"));
    }
    let text = decode(bytes)?;
    let head = text.trim_start_matches('\u{feff}').trim_start();
    Ok(if head.starts_with("1CClientBankExchange") {
        "1c"
    } else if head.starts_with('<') {
        "camt053"
    } else if head.starts_with("{1:")
        || head.starts_with(":20:")
        || head.contains("\n:20:")
        || head.contains("\n:61:")
    {
        "mt940"
    } else if csv::looks_like(&text) {
        "csv"
    } else {
        return Err(Error::invalid("file", "error.bank.unknownFormat"));
    })
}

/// Reads a statement file of any supported format; a CSV with its columns found from the
/// headers.
pub fn read(bytes: &[u8]) -> Result<Statement> {
    read_with(bytes, &csv::Options::default())
}

/// Reads a statement file; a CSV as `options` say.
pub fn read_with(bytes: &[u8], options: &csv::Options) -> Result<Statement> {
    match format_of(bytes)? {
        "csv" => csv::parse(bytes, options),
        format => {
            let text = decode(bytes)?;
            match format {
                "1c" => onec::parse(&text),
                "camt053" => camt::parse(&text),
                _ => mt940::parse(&text),
            }
        }
    }
}

/// The file's text: UTF-8 (with or without BOM); otherwise the 1C file's declared code page
/// (`Кодировка=DOS` is CP866) or Windows-1251, the code page of every other file in this part
/// of the world.
pub fn decode(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        if bad {
            return Err(Error::invalid("file", "error.bank.encoding"));
        }
        return Ok(text.into_owned());
    }
    // The header is ASCII in every code page: look for the 1C declaration there.
    let dos = bytes
        .windows(b"=DOS".len())
        .take(4096)
        .any(|w| w == b"=DOS");
    let enc = if dos {
        encoding_rs::IBM866
    } else {
        encoding_rs::WINDOWS_1251
    };
    Ok(enc.decode_without_bom_handling(bytes).0.into_owned())
}

/// A validation error about line `line` of the file (and a tag or field of it).
pub(crate) fn at(line: usize, tag: &str, key: &'static str) -> Error {
    if tag.is_empty() {
        Error::invalid(format!("line:{line}"), key)
    } else {
        Error::invalid(format!("line:{line}:{tag}"), key)
    }
}

/// An amount as banks write it: digits with `.` or `,` as the decimal mark, no sign.
pub(crate) fn amount(text: &str, line: usize, tag: &str) -> Result<Decimal> {
    let t = text.trim();
    let ok = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == ' ' || c == '\u{a0}')
        && t.len() <= 30;
    if !ok {
        return Err(at(line, tag, "error.bank.amount"));
    }
    crate::money::parse_decimal(t, tag).map_err(|_| at(line, tag, "error.bank.amount"))
}

/// Account numbers compare without spaces and case.
pub fn norm_account(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whitespace runs (line breaks included) as one space; control and format characters dropped.
pub(crate) fn one_line(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !crate::args::is_format(*c))
        .collect();
    cleaned
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stable key of a transaction: the same line read from the same bank's statement twice
/// (or from two statements that overlap) gets the same key. `nth` tells identical lines of
/// one file apart (two equal payments from one payer on one day).
pub fn key(account: &str, l: &Line, nth: usize) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}",
        account,
        l.date,
        l.direction.as_str(),
        l.amount.normalize(),
        l.reference,
        l.counterparty_account,
        l.counterparty_id,
        l.purpose.to_lowercase(),
        nth
    )
}

/// The keys of every line of a statement, in order.
pub fn keys(s: &Statement) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    s.lines
        .iter()
        .map(|l| {
            let base = key(&s.account, l, 0);
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            key(&s.account, l, *n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content_and_anything_else_is_refused() {
        let e = read(b"Just some words\nwith no table in them\n").unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("file"), "error.bank.unknownFormat")
        );
        assert_eq!(format_of(b"Date;Amount\n01.12.2026;100\n").unwrap(), "csv");
        let e = read(&vec![b' '; MAX_FILE + 1]).unwrap_err();
        assert_eq!(e.message_key(), "error.bank.tooLarge");
    }

    #[test]
    fn amounts_take_either_decimal_mark_and_refuse_signs_and_letters() {
        assert_eq!(
            amount("1 234,50", 3, "Сумма").unwrap().to_string(),
            "1234.50"
        );
        assert_eq!(amount("1234.5", 3, "Сумма").unwrap().to_string(), "1234.5");
        for bad in ["", "-5", "1e3", "12,3,4", "abc"] {
            let e = amount(bad, 3, "Сумма").unwrap_err();
            assert_eq!(e.field(), Some("line:3:Сумма"), "{bad}");
        }
    }

    #[test]
    fn identical_lines_of_one_file_get_different_keys_that_repeat_in_the_next_file() {
        let l = Line {
            line: 1,
            date: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            direction: Direction::In,
            amount: Decimal::new(5000, 0),
            currency: String::new(),
            counterparty: "A".into(),
            counterparty_id: String::new(),
            counterparty_account: String::new(),
            purpose: "Оплата".into(),
            reference: "7".into(),
            knp: String::new(),
        };
        let s = Statement {
            format: "1c",
            account: "KZ1".into(),
            currency: String::new(),
            from: None,
            to: None,
            opening: None,
            closing: None,
            lines: vec![l.clone(), l],
        };
        let k = keys(&s);
        assert_ne!(k[0], k[1]);
        assert_eq!(k, keys(&s));
    }
}
