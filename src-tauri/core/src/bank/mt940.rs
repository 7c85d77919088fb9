//! SWIFT MT940 (customer statement message), as banks abroad give it.
//!
//! Fields are lines starting with a tag `:NN[a]:`, continued on the following lines: `:20:`
//! transaction reference, `:25:` account, `:28C:` statement number, `:60F:`/`:60M:` opening
//! balance (`C|D` `YYMMDD` currency amount with a decimal comma), `:61:` one statement line
//! (`YYMMDD[MMDD]` value and entry date, `C|D|RC|RD`, an optional funds code letter, the
//! amount, `N|F|S` + a 3-character type, the customer's reference, `//` the bank's
//! reference, then supplementary details on the next line), `:86:` information to the account
//! owner about the line above (free text, or `?NN` subfields: `?20`–`?29` and `?60`–`?63`
//! purpose, `?31` account, `?32`/`?33` name), `:62F:`/`:62M:` closing balance. The SWIFT
//! envelope (`{1:…}{2:…}{4:` … `-}`) may be present. Several messages (pages) in one file
//! are one statement: the first opening balance, the last closing one.

use super::{amount, at, norm_account, one_line, Direction, Line, Statement};
use crate::error::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// `YYMMDD` (this century).
fn date6(s: &str, line: usize, tag: &str) -> Result<NaiveDate> {
    let ok = s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit());
    let d = ok
        .then(|| NaiveDate::parse_from_str(&format!("20{s}"), "%Y%m%d").ok())
        .flatten();
    d.ok_or_else(|| at(line, tag, "error.bank.date"))
}

/// A `:60F:` or `:62F:` balance: its date and amount.
struct Balance {
    date: NaiveDate,
    amount: Decimal,
}

/// A balance field: `C|D`, `YYMMDD`, currency, amount.
fn balance(v: &str, line: usize, tag: &str) -> Result<(NaiveDate, String, Decimal)> {
    let v = v.trim();
    let sign = match v.chars().next() {
        Some('C') => 1,
        Some('D') => -1,
        _ => return Err(at(line, tag, "error.bank.balance")),
    };
    let day = date6(v.get(1..7).unwrap_or(""), line, tag)?;
    let cur = v
        .get(7..10)
        .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
        .ok_or_else(|| at(line, tag, "error.bank.balance"))?;
    let a = amount(v.get(10..).unwrap_or(""), line, tag)?;
    Ok((day, cur.to_string(), if sign < 0 { -a } else { a }))
}

/// The fields of the file: (line, tag, value with its continuation lines).
fn fields(text: &str) -> Vec<(usize, String, String)> {
    let mut out: Vec<(usize, String, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let mut line = raw.trim_end_matches('\r');
        // The SWIFT envelope's blocks before the text block, and its end.
        if let Some(p) = line.find("{4:") {
            line = &line[p + 3..];
        }
        if line.trim() == "-}" || line.trim() == "-" || line.trim().is_empty() {
            continue;
        }
        let tag = line.strip_prefix(':').and_then(|rest| {
            rest.find(':')
                .filter(|&e| (2..=3).contains(&e))
                .map(|e| (rest[..e].to_string(), rest[e + 1..].to_string()))
        });
        match tag {
            Some((t, v)) if t.as_bytes()[..2].iter().all(u8::is_ascii_digit) => {
                out.push((i + 1, t, v))
            }
            _ => {
                if let Some(last) = out.last_mut() {
                    last.2.push('\n');
                    last.2.push_str(line);
                }
            }
        }
    }
    out
}

/// `:86:` structured subfields (`?NN`) or free text → (name, account, purpose).
fn information(v: &str) -> (String, String, String) {
    let joined: String = v.lines().collect::<Vec<_>>().join("");
    if !joined.contains("?2") && !joined.contains("?3") {
        return (String::new(), String::new(), one_line(v));
    }
    let (mut name, mut account, mut purpose) = (String::new(), String::new(), String::new());
    for part in joined.split('?').skip(1) {
        let (code, value) = (part.get(..2).unwrap_or(""), part.get(2..).unwrap_or(""));
        match code {
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61"
            | "62" | "63" => purpose.push_str(value),
            "31" => account = norm_account(value),
            "32" | "33" => name.push_str(value),
            _ => {}
        }
    }
    (one_line(&name), account, one_line(&purpose))
}

pub fn parse(text: &str) -> Result<Statement> {
    let fields = fields(text);
    let mut account = String::new();
    let mut currency = String::new();
    let (mut opening, mut closing): (Option<Balance>, Option<Balance>) = (None, None);
    let mut lines: Vec<Line> = Vec::new();
    let mut in_message = false;
    let mut last_line = 1;
    // The `:86:` right after a `:61:` belongs to it (one after the balances is about the message).
    let mut awaiting_information = false;
    for (n, tag, value) in &fields {
        let n = *n;
        last_line = n;
        match tag.as_str() {
            "20" => in_message = true,
            "25" => {
                let acc = norm_account(value.lines().next().unwrap_or(""));
                // `BANKCODE/ACCOUNT`: the account is after the slash.
                let acc = acc.rsplit('/').next().unwrap_or("").to_string();
                if acc.is_empty() {
                    return Err(at(n, ":25:", "error.bank.missing"));
                }
                if !account.is_empty() && account != acc {
                    return Err(at(n, ":25:", "error.bank.twoAccounts"));
                }
                account = acc;
            }
            "60F" | "60M" => {
                if account.is_empty() {
                    return Err(at(n, ":25:", "error.bank.missing"));
                }
                let (d, cur, a) = balance(value, n, ":60F:")?;
                currency = cur;
                if opening.is_none() {
                    opening = Some(Balance { date: d, amount: a });
                }
                in_message = true;
            }
            "61" => {
                if opening.is_none() {
                    return Err(at(n, ":60F:", "error.bank.missing"));
                }
                let mut l = statement_line(value, n)?;
                l.currency = currency.clone();
                lines.push(l);
                awaiting_information = true;
                continue;
            }
            "86" => {
                if let Some(l) = lines.last_mut().filter(|_| awaiting_information) {
                    let (name, acc, purpose) = information(value);
                    l.counterparty = name;
                    l.counterparty_account = acc;
                    if !purpose.is_empty() {
                        l.purpose = purpose;
                    }
                }
            }
            "62F" | "62M" => {
                let (d, _, a) = balance(value, n, ":62F:")?;
                closing = Some(Balance { date: d, amount: a });
                in_message = false;
            }
            _ => {}
        }
        awaiting_information = false;
    }
    if fields.is_empty() {
        return Err(at(1, ":20:", "error.bank.missing"));
    }
    if account.is_empty() {
        return Err(at(1, ":25:", "error.bank.missing"));
    }
    if in_message || closing.is_none() {
        return Err(at(last_line, ":62F:", "error.bank.truncated"));
    }
    let from = opening
        .as_ref()
        .map(|b| b.date)
        .or_else(|| lines.iter().map(|l| l.date).min());
    let to = closing.as_ref().map(|b| b.date);
    Ok(Statement {
        format: "mt940",
        account,
        currency,
        from,
        to,
        opening: opening.map(|b| b.amount),
        closing: closing.map(|b| b.amount),
        lines,
    })
}

/// One `:61:` field.
fn statement_line(v: &str, n: usize) -> Result<Line> {
    let tag = ":61:";
    let first = v.lines().next().unwrap_or("").trim();
    let date = date6(first.get(..6).unwrap_or(""), n, tag)?;
    let mut rest = &first[6..];
    // The optional entry date (MMDD).
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        rest = &rest[4..];
    }
    let (direction, after) = if let Some(r) = rest.strip_prefix("RC") {
        (Direction::Out, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (Direction::In, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (Direction::In, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (Direction::Out, r)
    } else {
        return Err(at(n, tag, "error.bank.direction"));
    };
    // An optional funds code: the third letter of the currency.
    let after = match after.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => &after[1..],
        _ => after,
    };
    let end = after
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(after.len());
    let sum = amount(&after[..end], n, tag)?;
    if sum.is_zero() {
        return Err(at(n, tag, "error.bank.amount"));
    }
    let tail = &after[end..];
    // The transaction type (N/F/S + 3 characters), then the references.
    let refs = if tail.len() >= 4 && matches!(tail.as_bytes()[0], b'N' | b'F' | b'S') {
        tail.get(4..).unwrap_or("")
    } else {
        tail
    };
    let (customer_ref, bank_ref) = match refs.split_once("//") {
        Some((c, b)) => (c.trim(), b.trim()),
        None => (refs.trim(), ""),
    };
    let reference = if customer_ref.is_empty() || customer_ref == "NONREF" {
        bank_ref
    } else {
        customer_ref
    };
    let details = v.lines().skip(1).collect::<Vec<_>>().join(" ");
    Ok(Line {
        line: n,
        date,
        direction,
        amount: sum,
        currency: String::new(),
        counterparty: String::new(),
        counterparty_id: String::new(),
        counterparty_account: String::new(),
        purpose: one_line(&details),
        reference: reference.to_string(),
        knp: String::new(),
    })
}
