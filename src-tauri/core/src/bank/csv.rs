//! CSV exports of business online banking (Kaspi Business, Halyk Business and the like): one
//! row per operation, headers in Russian, Kazakh or English, Windows-1251 or UTF-8, `;` or `,`,
//! decimal commas, dates as `dd.mm.yyyy`.
//!
//! The reading is the customer import's (`crate::csvfile`: encoding, delimiter, quoting, line
//! numbers, numbers and dates); the columns are found from the headers, or given by a mapping
//! the owner chose once for that bank's layout (kept by the books, see `books::bank`).
//! The amount is either one signed column (negative: money out) or a credit and a debit
//! column. Total rows at the bottom ("Итого", "Всего", "Барлығы") are not operations.

use super::{at, norm_account, one_line, Direction, Line, Statement};
use crate::csvfile;
use crate::csvfile::normalize::{self, Vote};
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// Each field a bank CSV may have, with the header names banks use for it.
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "date",
        &[
            "date",
            "booking date",
            "дата",
            "дата операции",
            "дата проводки",
            "дата документа",
            "дата платежа",
            "күні",
            "операция күні",
            "төлем күні",
        ],
    ),
    (
        "amount",
        &[
            "amount",
            "сумма",
            "сумма операции",
            "сумма в валюте счета",
            "сомасы",
            "сома",
            "операция сомасы",
        ],
    ),
    (
        "credit",
        &[
            "credit",
            "кредит",
            "приход",
            "поступление",
            "зачисление",
            "поступления",
            "кіріс",
            "түсім",
            "түскені",
        ],
    ),
    (
        "debit",
        &[
            "debit",
            "дебет",
            "расход",
            "списание",
            "списания",
            "шығыс",
            "шығыны",
        ],
    ),
    (
        "counterparty",
        &[
            "counterparty",
            "payer",
            "контрагент",
            "плательщик",
            "отправитель",
            "корреспондент",
            "наименование контрагента",
            "плательщик/получатель",
            "төлеуші",
            "контрагент атауы",
        ],
    ),
    (
        "counterpartyId",
        &[
            "bin",
            "iin",
            "bin/iin",
            "бин",
            "иин",
            "бин/иин",
            "бин/иин контрагента",
            "иин/бин",
            "бсн",
            "жсн",
            "бсн/жсн",
            "инн",
        ],
    ),
    (
        "counterpartyAccount",
        &[
            "iban",
            "account",
            "счет контрагента",
            "счёт контрагента",
            "иик контрагента",
            "иик",
            "счет",
            "счёт",
            "жск",
            "контрагент шоты",
        ],
    ),
    (
        "purpose",
        &[
            "purpose",
            "details",
            "description",
            "назначение платежа",
            "назначение",
            "описание",
            "детали платежа",
            "детали",
            "төлем мақсаты",
            "сипаттама",
        ],
    ),
    (
        "reference",
        &[
            "reference",
            "номер документа",
            "№ документа",
            "номер",
            "№",
            "құжат нөмірі",
        ],
    ),
    ("knp", &["knp", "кнп", "тмк"]),
    ("currency", &["currency", "валюта", "валютасы"]),
];

/// The highest column index a mapping may name.
pub const MAX_COLUMN: i64 = csvfile::MAX_COLUMNS as i64;

/// How to read the file: the column of each field (`None`: from the headers), and the
/// options the customer import offers (delimiter, decimal separator, date order, encoding).
#[derive(Default, Clone)]
pub struct Options {
    pub mapping: Option<BTreeMap<String, usize>>,
    pub delimiter: Option<u8>,
    pub decimal: Option<char>,
    pub mdy: bool,
    pub encoding: Option<&'static str>,
}

/// The file read as a table: its headers, the mapping found or given, and the rows.
pub struct Sheet {
    pub headers: Vec<String>,
    pub mapping: BTreeMap<String, usize>,
    pub rows: Vec<(u64, Vec<String>)>,
    pub delimiter: u8,
    pub encoding: &'static str,
}

/// The layout's signature: its headers reduced to letters and digits (the same bank's export
/// has the same headers each month).
pub fn signature(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| csvfile::header_key(h))
        .collect::<Vec<_>>()
        .join("|")
}

/// Columns found from the headers.
pub fn guess(headers: &[String]) -> BTreeMap<String, usize> {
    let keys: Vec<String> = headers.iter().map(|h| csvfile::header_key(h)).collect();
    let mut used = vec![false; keys.len()];
    let mut out = BTreeMap::new();
    for (field, aliases) in FIELDS {
        let wanted: Vec<String> = std::iter::once(*field)
            .chain(aliases.iter().copied())
            .map(csvfile::header_key)
            .collect();
        if let Some(i) = wanted.iter().find_map(|w| {
            keys.iter()
                .enumerate()
                .position(|(i, k)| !used[i] && k == w)
        }) {
            used[i] = true;
            out.insert(field.to_string(), i);
        }
    }
    out
}

/// Whether a mapping has what a statement needs: a date and an amount (one signed column, or
/// a credit or debit column).
pub fn complete(m: &BTreeMap<String, usize>) -> bool {
    m.contains_key("date")
        && (m.contains_key("amount") || m.contains_key("credit") || m.contains_key("debit"))
}

/// Whether the text looks like a table with a header row (and so may be a bank's CSV).
pub fn looks_like(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let d = csvfile::detect_delimiter(text) as char;
    first.matches(d).count() >= 1 && text.lines().count() >= 2
}

pub fn sheet(bytes: &[u8], o: &Options) -> Result<Sheet> {
    let (text, encoding) = csvfile::decode(bytes, o.encoding)?;
    let delimiter = o
        .delimiter
        .unwrap_or_else(|| csvfile::detect_delimiter(&text));
    let table = csvfile::read_table(&text, delimiter)?;
    let mapping = match &o.mapping {
        Some(m) => {
            for (field, &col) in m {
                if !FIELDS.iter().any(|(f, _)| f == field) {
                    return Err(Error::invalid(
                        format!("mapping.{field}"),
                        "error.unknownField",
                    ));
                }
                if col >= table.headers.len() {
                    return Err(Error::invalid(
                        format!("mapping.{field}"),
                        "error.csv.noSuchColumn",
                    ));
                }
            }
            m.clone()
        }
        None => guess(&table.headers),
    };
    Ok(Sheet {
        headers: table.headers,
        mapping,
        rows: table.rows,
        delimiter,
        encoding,
    })
}

pub fn parse(bytes: &[u8], o: &Options) -> Result<Statement> {
    let s = sheet(bytes, o)?;
    if !complete(&s.mapping) {
        return Err(Error::invalid("mapping", "error.bank.csvMapping"));
    }
    let col = |f: &str| s.mapping.get(f).copied();
    let cell = |row: &[String], f: &str| -> String {
        col(f)
            .and_then(|c| row.get(c))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    // The decimal separator: given, else what the amounts agree on.
    let decimal = o.decimal.unwrap_or_else(|| {
        let (mut commas, mut dots) = (0, 0);
        for (_, row) in &s.rows {
            for f in ["amount", "credit", "debit"] {
                match normalize::vote(&cell(row, f)) {
                    Vote::DecimalComma => commas += 1,
                    Vote::DecimalDot => dots += 1,
                    _ => {}
                }
            }
        }
        if commas >= dots && commas > 0 {
            ','
        } else {
            '.'
        }
    });
    let number = |v: &str, line: u64, f: &str| -> Result<Option<rust_decimal::Decimal>> {
        if v.is_empty() {
            return Ok(None);
        }
        let n = normalize::normalize_number(v, decimal)
            .ok_or_else(|| at(line as usize, f, "error.bank.amount"))?;
        crate::money::parse_decimal(&n, f)
            .map(Some)
            .map_err(|_| at(line as usize, f, "error.bank.amount"))
    };
    let mut lines = Vec::new();
    for (line, row) in &s.rows {
        let n = *line as usize;
        let first = row
            .iter()
            .find(|c| !c.trim().is_empty())
            .map(|c| c.trim().to_lowercase())
            .unwrap_or_default();
        if ["итого", "всего", "барлығы", "жиыны", "total"]
            .iter()
            .any(|w| first.starts_with(w))
        {
            continue;
        }
        let date = normalize::normalize_date(&cell(row, "date"), o.mdy)
            .ok_or_else(|| at(n, "date", "error.bank.date"))?;
        let (direction, amount) = if col("amount").is_some() {
            let a = number(&cell(row, "amount"), *line, "amount")?
                .ok_or_else(|| at(n, "amount", "error.bank.amount"))?;
            (
                if a.is_sign_negative() {
                    Direction::Out
                } else {
                    Direction::In
                },
                a.abs(),
            )
        } else {
            let credit = number(&cell(row, "credit"), *line, "credit")?.filter(|a| !a.is_zero());
            let debit = number(&cell(row, "debit"), *line, "debit")?.filter(|a| !a.is_zero());
            match (credit, debit) {
                (Some(c), None) => (Direction::In, c.abs()),
                (None, Some(d)) => (Direction::Out, d.abs()),
                _ => return Err(at(n, "credit", "error.bank.direction")),
            }
        };
        if amount.is_zero() {
            return Err(at(n, "amount", "error.bank.amount"));
        }
        lines.push(Line {
            line: n,
            date,
            direction,
            amount,
            currency: cell(row, "currency").to_uppercase(),
            counterparty: one_line(&cell(row, "counterparty")),
            counterparty_id: one_line(&cell(row, "counterpartyId")),
            counterparty_account: norm_account(&cell(row, "counterpartyAccount")),
            purpose: one_line(&cell(row, "purpose")),
            reference: one_line(&cell(row, "reference")),
            knp: one_line(&cell(row, "knp")),
        });
    }
    if lines.is_empty() {
        return Err(Error::invalid("file", "error.csv.empty"));
    }
    let from = lines.iter().map(|l| l.date).min();
    let to = lines.iter().map(|l| l.date).max();
    Ok(Statement {
        format: "csv",
        account: String::new(),
        currency: String::new(),
        from,
        to,
        opening: None,
        closing: None,
        lines,
    })
}
