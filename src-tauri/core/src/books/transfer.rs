//! Moving in and out: CSV import of customers (with opening balances) and of unbilled
//! services, and CSV exports for the accountant.
//!
//! Import is two commands over the same analysis: `import_preview` reads the file, detects
//! encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1251) and delimiter
//! (`;`, `,`, tab, `|`), maps columns from their headers (in kk, ru or en; the caller can
//! override), converts every cell and runs every row through the same validation the
//! commands use, and lists every row's problems with its line number. Nothing is written.
//! `import_csv` repeats the analysis and, only when there is no problem at all, writes every
//! row in one transaction: all or nothing.
//!
//! Amounts accept `1 234,50` and `1,234.50`; a value like `1,234` is ambiguous alone, so the
//! file's other amounts decide, and when none does the preview asks (`needsDecimalChoice`).
//! Dates accept `2026-11-27`, `27.11.2026` and `27/11/2026` (`dateOrder: mdy` for US files).
//!
//! Exports are UTF-8 with a BOM so Excel shows Cyrillic correctly; with `delimiter: ";"`
//! (what Excel expects in Kazakh and Russian locales) amounts use a decimal comma too.

use super::{charges, customers, fold, Ctx};
use crate::args::{parse_date, Args};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::req::{Date, Int, Text};
use chrono::NaiveDate;
use rusqlite::TransactionBehavior;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// The largest file accepted (bytes, before decoding).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// The most data rows in one import.
pub const MAX_ROWS: usize = 200_000;
/// Rows returned in a preview (every row is still checked).
pub const PREVIEW_ROWS: usize = 100;
/// Problems returned in a preview (all are counted).
pub const MAX_PROBLEMS: usize = 500;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Customers, with opening balances.
    Customers,
    /// Unbilled services.
    Charges,
}

/// A CSV file's field delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Delimiter {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ";")]
    Semicolon,
    #[serde(rename = "\t")]
    Tab,
    #[serde(rename = "|")]
    Bar,
}

impl Delimiter {
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
            Delimiter::Bar => b'|',
        }
    }
}

/// A file's text encoding: detected (`auto`, the default) or forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Encoding {
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "windows-1251")]
    Windows1251,
}

impl Encoding {
    /// The forced encoding for [`decode`]; `None` detects.
    pub fn forced(self) -> Option<&'static str> {
        match self {
            Encoding::Auto => None,
            Encoding::Utf8 => Some("utf-8"),
            Encoding::Windows1251 => Some("windows-1251"),
        }
    }
}

/// The decimal separator of a file's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum DecimalSeparator {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ".")]
    Dot,
}

impl DecimalSeparator {
    pub fn char(self) -> char {
        match self {
            DecimalSeparator::Comma => ',',
            DecimalSeparator::Dot => '.',
        }
    }
}

/// How `27/11/2026`-style dates are read (dotted dates are always day first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day, month, year (the default).
    Dmy,
    /// Month, day, year (US files).
    Mdy,
}

/// `import_preview` and `import_csv`: a CSV file and how to read it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportCsv {
    pub kind: ImportKind,
    /// The file, base64 (at most 32 MB).
    pub data_base64: Text<{ MAX_FILE_BYTES / 3 * 4 + 8 }>,
    /// The column (from 0) of each field; without it, columns are found from the headers.
    pub mapping: Option<BTreeMap<String, Int<0, { i64::MAX }>>>,
    /// Detected from the header line when left out.
    pub delimiter: Option<Delimiter>,
    pub encoding: Option<Encoding>,
    /// What the file's amounts agree on when left out.
    pub decimal_separator: Option<DecimalSeparator>,
    pub date_order: Option<DateOrder>,
    /// The date of opening balances without their own (today when left out).
    pub as_of: Option<Date>,
}

/// `import_csv` takes what `import_preview` takes.
pub type ImportPreview = ImportCsv;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    Date,
    Currency,
    Language,
}

/// One importable field: the JSON key the command uses, and header names that map to it.
struct FieldSpec {
    key: &'static str,
    required: bool,
    kind: Kind,
    aliases: &'static [&'static str],
}

const fn spec(key: &'static str, required: bool, kind: Kind, aliases: &'static [&'static str]) -> FieldSpec {
    FieldSpec { key, required, kind, aliases }
}

const CUSTOMER_FIELDS: &[FieldSpec] = &[
    spec(
        "name",
        true,
        Kind::Text,
        &[
            "name",
            "customer",
            "client",
            "company",
            "наименование",
            "название",
            "имя",
            "клиент",
            "покупатель",
            "контрагент",
            "атауы",
            "аты",
            "тапсырыс беруші",
            "сатып алушы",
        ],
    ),
    spec("contactPerson", false, Kind::Text, &["contact_person", "contact", "контактное лицо", "контакт", "байланыс тұлғасы"]),
    spec("address", false, Kind::Text, &["address", "адрес", "мекенжай"]),
    spec("country", false, Kind::Text, &["country", "страна", "ел"]),
    spec("email", false, Kind::Text, &["email", "e-mail", "почта", "электронная почта", "эл. почта", "электрондық пошта"]),
    spec("phone", false, Kind::Text, &["phone", "telephone", "телефон", "тел"]),
    spec("taxId", false, Kind::Text, &["tax_id", "bin", "iin", "inn", "vat", "бин", "иин", "инн", "бсн", "жсн"]),
    spec("currency", false, Kind::Currency, &["currency", "валюта", "валютасы"]),
    spec("language", false, Kind::Language, &["language", "язык", "тіл", "тілі"]),
    spec("transitDays", false, Kind::Text, &["transit_days", "postal days", "дни доставки", "жеткізу күндері"]),
    spec("notes", false, Kind::Text, &["notes", "note", "comment", "примечание", "комментарий", "ескертпе", "түсініктеме"]),
    spec("openingBalance", false, Kind::Number, &["opening_balance", "balance", "owes", "debt", "сальдо", "остаток", "долг", "баланс", "қалдық", "қарыз"]),
    spec("openingDate", false, Kind::Date, &["opening_date", "as_of", "balance date", "дата сальдо", "на дату", "қалдық күні"]),
];

const CHARGE_FIELDS: &[FieldSpec] = &[
    spec("customer", true, Kind::Text, &["customer", "client", "name", "клиент", "покупатель", "контрагент", "тапсырыс беруші", "клиенттің аты"]),
    spec("serviceDate", true, Kind::Date, &["service_date", "date", "дата", "дата услуги", "күні", "қызмет күні"]),
    spec("description", true, Kind::Text, &["description", "service", "item", "описание", "услуга", "наименование", "сипаттама", "қызмет"]),
    spec("quantity", false, Kind::Number, &["quantity", "qty", "количество", "кол-во", "саны"]),
    spec("unit", false, Kind::Text, &["unit", "единица", "ед", "ед. изм.", "өлшем бірлігі", "бірлік"]),
    spec("unitPrice", true, Kind::Number, &["unit_price", "price", "amount", "цена", "сумма", "стоимость", "бағасы", "сомасы"]),
    spec("taxRate", false, Kind::Number, &["tax_rate", "vat %", "tax", "ндс", "ставка ндс", "ққс"]),
];

fn fields_of(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Charges => CHARGE_FIELDS,
        ImportKind::Customers => CUSTOMER_FIELDS,
    }
}

/// A header or alias reduced to letters and digits, folded, for matching.
pub(crate) fn header_key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

// ---------------------------------------------------------------------------------------
// Bytes → text → table

/// Decodes the file. `forced`: `utf-8` or `windows-1251` to override detection.
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map(|s| (s, "utf-8-bom")).map_err(|_| Error::invalid("encoding", "error.csv.badEncoding"));
    }
    for (bom, enc, name) in [(&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "utf-16le"), (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "utf-16be")] {
        if bytes.starts_with(bom) {
            let (text, _, bad) = enc.decode(bytes);
            if bad {
                return Err(Error::invalid("encoding", "error.csv.badEncoding"));
            }
            return Ok((text.into_owned(), name));
        }
    }
    match forced {
        Some("windows-1251") => Ok((encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes).0.into_owned(), "windows-1251")),
        Some("utf-8") => String::from_utf8(bytes.to_vec()).map(|s| (s, "utf-8")).map_err(|_| Error::invalid("encoding", "error.csv.badEncoding")),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), "utf-8")),
            // Not UTF-8: in this part of the world that is Excel's Windows-1251.
            Err(_) => Ok((encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes).0.into_owned(), "windows-1251")),
        },
    }
}

/// The delimiter that splits the header line into the most fields (outside quotes).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b';', b',', b'\t', b'|'];
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(1);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// A parsed file: header names and data rows with the line each starts on.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Most columns a file may have: a spreadsheet of customers or services has a few dozen; a
/// line of 32 million commas would make as many headers (and hang the mapping screen).
pub const MAX_COLUMNS: usize = 500;

/// The fields of the first record (a quoted delimiter or line break does not count), counted
/// without building them; stops counting past `MAX_COLUMNS`.
fn first_record_width(text: &str, delimiter: u8) -> usize {
    // As the csv reader reads it: a quote opens a quoted field only at the field's start
    // (`size 5"` is a plain field), `""` inside one is a quote, and a quote ends it.
    let bytes = text.as_bytes();
    let (mut fields, mut quoted, mut at_start, mut i) = (1usize, false, true, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && at_start {
            quoted = true;
        } else if b == b'\n' || b == b'\r' {
            break;
        } else if b == delimiter {
            fields += 1;
            if fields > MAX_COLUMNS {
                break;
            }
            at_start = true;
            i += 1;
            continue;
        }
        at_start = false;
        i += 1;
    }
    fields
}

pub fn read_table(text: &str, delimiter: u8) -> Result<Table> {
    if first_record_width(text, delimiter) > MAX_COLUMNS {
        return Err(Error::invalid("file", "error.csv.tooManyColumns"));
    }
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().map_err(|_| Error::invalid("file", "error.csv.unreadable"))?.iter().map(|h| h.trim().to_string()).collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(Error::invalid("file", "error.csv.empty"));
    }
    let mut rows = Vec::new();
    // Line numbers from byte offsets: the reader's own count starts before skipped blank lines.
    let bytes = text.as_bytes();
    let (mut at, mut line) = (0usize, 1u64);
    for rec in rdr.records() {
        let rec = rec.map_err(|_| Error::invalid("file", "error.csv.unreadable"))?;
        if rec.len() > MAX_COLUMNS {
            return Err(Error::invalid("file", "error.csv.tooManyColumns"));
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(Error::invalid("file", "error.csv.tooManyRows"));
        }
        let mut start = rec.position().map(|p| p.byte() as usize).unwrap_or(at).min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        if start >= at {
            line += bytes[at..start].iter().filter(|&&b| b == b'\n').count() as u64;
            at = start;
        }
        rows.push((line, rec.iter().map(|c| unescape_cell(c.trim()).to_string()).collect()));
    }
    Ok(Table { headers, rows })
}

// ---------------------------------------------------------------------------------------
// Cells

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Vote {
    /// No separator: an integer.
    Integer,
    DecimalComma,
    DecimalDot,
    /// `1,234` or `1.234`: a decimal or a thousands separator.
    Ambiguous,
}

/// Currency marks that may stand before or after an amount (compared in lower case).
const CURRENCY_MARKS: &[&str] = &["₸", "$", "€", "₽", "£", "¥", "тг.", "тг", "тенге", "теңге", "руб.", "руб", "р.", "kzt", "usd", "eur", "rub"];

/// Strips spaces, a sign, and a currency symbol or code around the number. Anything else
/// that is not part of a number stays, so `12abc` is refused rather than read as 12.
fn number_body(s: &str) -> (bool, String) {
    let mut t: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’')).collect::<String>().to_lowercase();
    for mark in CURRENCY_MARKS {
        if let Some(rest) = t.strip_suffix(mark) {
            t = rest.to_string();
            break;
        }
    }
    for mark in CURRENCY_MARKS {
        if let Some(rest) = t.strip_prefix(mark) {
            t = rest.to_string();
            break;
        }
    }
    let negative = t.starts_with('-') || t.starts_with('−') || (t.starts_with('(') && t.ends_with(')'));
    let body = t.trim_start_matches(['-', '−', '+', '(']).trim_end_matches(')').to_string();
    (negative, body)
}

pub(crate) fn vote(s: &str) -> Vote {
    let (_, b) = number_body(s);
    let commas = b.matches(',').count();
    let dots = b.matches('.').count();
    let after = |sep: char| b.rsplit(sep).next().map(str::len).unwrap_or(0);
    let lead_zero = |sep: char| b.split(sep).next().map(|p| p.is_empty() || p == "0").unwrap_or(true);
    match (commas, dots) {
        (0, 0) => Vote::Integer,
        (_, 0) if commas > 1 => Vote::DecimalDot,
        (0, _) if dots > 1 => Vote::DecimalComma,
        (1, 0) if after(',') == 3 && !lead_zero(',') => Vote::Ambiguous,
        (1, 0) => Vote::DecimalComma,
        (0, 1) if after('.') == 3 && !lead_zero('.') => Vote::Ambiguous,
        (0, 1) => Vote::DecimalDot,
        _ => {
            if b.rfind(',') > b.rfind('.') {
                Vote::DecimalComma
            } else {
                Vote::DecimalDot
            }
        }
    }
}

/// A number cell as a plain decimal string (`-1234.50`), given the decimal separator.
pub(crate) fn normalize_number(s: &str, decimal: char) -> Option<String> {
    let (negative, body) = number_body(s);
    let thousands = if decimal == ',' { '.' } else { ',' };
    let mut parts = body.split(decimal);
    let int: String = parts.next()?.chars().filter(|&c| c != thousands).collect();
    let frac = parts.next();
    if parts.next().is_some() || int.contains(decimal) {
        return None;
    }
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if !digits(&int) || !frac.map(digits).unwrap_or(true) || (int.is_empty() && frac.map(str::is_empty).unwrap_or(true)) || body.len() > 40 {
        return None;
    }
    let int = if int.is_empty() { "0".to_string() } else { int };
    let sign = if negative { "-" } else { "" };
    Some(match frac {
        Some(f) if !f.is_empty() => format!("{sign}{int}.{f}"),
        _ => format!("{sign}{int}"),
    })
}

/// A date cell as ISO. `mdy` reads `11/27/2026` the US way; dots are always day first.
pub(crate) fn normalize_date(s: &str, mdy: bool) -> Option<NaiveDate> {
    let d = s.split(['T', ' ']).next().unwrap_or("").trim();
    if let Ok(date) = parse_date(d, "date") {
        return Some(date);
    }
    let (sep, day_first) = if d.contains('.') {
        ('.', true)
    } else if d.contains('/') {
        ('/', !mdy)
    } else {
        return None;
    };
    let parts: Vec<&str> = d.split(sep).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    let (a, b, y) = (n(parts[0])?, n(parts[1])?, parts[2]);
    let year: i32 = match y.len() {
        4 => y.parse().ok()?,
        2 => 2000 + y.parse::<i32>().ok()?,
        _ => return None,
    };
    let (day, month) = if day_first { (a, b) } else { (b, a) };
    NaiveDate::from_ymd_opt(year, month, day)
}

fn normalize_language(s: &str) -> String {
    match header_key(s).as_str() {
        // Keys are folded (`fold`: қ→к, ә→а, ғ→г …), so the Kazakh names appear folded here.
        "kk" | "kz" | "kaz" | "казакша" | "казак" | "казахский" | "kazakh" => "kk".into(),
        "ru" | "rus" | "русский" | "орысша" | "russian" => "ru".into(),
        "en" | "eng" | "english" | "английский" | "агылшынша" => "en".into(),
        _ => s.to_string(),
    }
}

fn normalize_currency(s: &str) -> String {
    match s.trim().to_lowercase().trim_end_matches('.') {
        "₸" | "тг" | "тенге" | "теңге" => "KZT".into(),
        "₽" | "руб" | "рубль" | "рублей" | "р" => "RUB".into(),
        "$" | "us$" => "USD".into(),
        "€" => "EUR".into(),
        other => other.to_uppercase(),
    }
}

// ---------------------------------------------------------------------------------------
// Analysis

/// One problem of one row, with the field (JSON key), the column header and a message key.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub line: u64,
    pub field: String,
    pub column: String,
    /// The message key.
    #[serde(rename = "message")]
    pub key: &'static str,
    /// The cell as read (at most 80 characters).
    pub value: String,
}

enum Prepared {
    Customer { fields: customers::Fields, opening: Option<(i64, NaiveDate)> },
    Charge { customer_id: i64, currency: Currency, fields: charges::ChargeFields },
}

struct Analysis {
    kind: ImportKind,
    encoding: &'static str,
    delimiter: u8,
    headers: Vec<String>,
    mapping: Vec<Option<usize>>,
    decimal: Option<char>,
    needs_decimal_choice: bool,
    preview: Vec<PreviewRow>,
    problems: Vec<Problem>,
    prepared: Vec<Prepared>,
    rows: usize,
}

fn analyse(ctx: &Ctx, req: &ImportCsv) -> Result<Analysis> {
    let kind = req.kind;
    let bytes = super::profile::base64_decode(&req.data_base64).ok_or_else(|| Error::invalid("dataBase64", "error.csv.unreadable"))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::invalid("dataBase64", "error.tooLarge"));
    }
    let (text, encoding) = decode(&bytes, req.encoding.and_then(Encoding::forced))?;
    let delimiter = match req.delimiter {
        Some(d) => d.byte(),
        None => detect_delimiter(&text),
    };
    let mdy = req.date_order == Some(DateOrder::Mdy);
    let table = read_table(&text, delimiter)?;
    let specs = fields_of(kind);

    // Column mapping: from the caller, else from the headers.
    let mapping: Vec<Option<usize>> = match &req.mapping {
        Some(m) => specs
            .iter()
            .map(|s| match m.get(s.key) {
                Some(i) if i.0 >= table.headers.len() as i64 => Err(Error::invalid(format!("mapping.{}", s.key), "error.outOfRange")),
                Some(i) => Ok(Some(i.0 as usize)),
                None => Ok(None),
            })
            .collect::<Result<_>>()?,
        None => {
            let keys: Vec<String> = table.headers.iter().map(|h| header_key(h)).collect();
            let mut used = vec![false; keys.len()];
            let mut out = Vec::new();
            for s in specs {
                let wanted: Vec<String> = std::iter::once(s.key).chain(s.aliases.iter().copied()).map(header_key).collect();
                let found = wanted.iter().find_map(|w| keys.iter().enumerate().position(|(i, k)| !used[i] && k == w));
                if let Some(i) = found {
                    used[i] = true;
                }
                out.push(found);
            }
            out
        }
    };

    let mut problems = Vec::new();
    for (s, m) in specs.iter().zip(&mapping) {
        if s.required && m.is_none() {
            problems.push(Problem { line: 1, field: s.key.into(), column: String::new(), key: "error.csv.columnMissing", value: String::new() });
        }
    }

    // The decimal separator: the caller's choice, else what the file's amounts agree on.
    let chosen = req.decimal_separator.map(DecimalSeparator::char);
    let number_cols: Vec<usize> = specs.iter().zip(&mapping).filter(|(s, _)| s.kind == Kind::Number).filter_map(|(_, m)| *m).collect();
    let (mut commas, mut dots, mut ambiguous) = (0usize, 0usize, 0usize);
    for (_, cells) in &table.rows {
        for &c in &number_cols {
            match cells.get(c).map(|v| vote(v)) {
                Some(Vote::DecimalComma) => commas += 1,
                Some(Vote::DecimalDot) => dots += 1,
                Some(Vote::Ambiguous) => ambiguous += 1,
                _ => {}
            }
        }
    }
    let decimal = chosen.or(match (commas, dots) {
        (0, 0) => None,
        (c, d) if c >= d => Some(','),
        _ => Some('.'),
    });
    let needs_decimal_choice = decimal.is_none() && ambiguous > 0;

    let existing = existing_names(ctx)?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let default_date = req.as_of.map_or(ctx.today, |d| d.0);
    let mut prepared = Vec::new();
    let mut preview = Vec::new();
    for (line, cells) in &table.rows {
        let line = *line;
        let mut row_problems = Vec::new();
        let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
        for (s, m) in specs.iter().zip(&mapping) {
            let Some(raw) = m.and_then(|i| cells.get(i)).filter(|v| !v.is_empty()) else { continue };
            let column = m.map(|i| table.headers[i].clone()).unwrap_or_default();
            let problem = |key| Problem { line, field: s.key.into(), column: column.clone(), key, value: raw.chars().take(80).collect() };
            let converted = match s.kind {
                Kind::Text => Ok(raw.clone()),
                Kind::Currency => Ok(normalize_currency(raw)),
                Kind::Language => Ok(normalize_language(raw)),
                Kind::Date => normalize_date(raw, mdy).map(|d| d.to_string()).ok_or("error.badDate"),
                Kind::Number => match (vote(raw), decimal) {
                    (Vote::Ambiguous, None) => Err("error.csv.ambiguousDecimal"),
                    (Vote::DecimalComma, Some('.')) | (Vote::DecimalDot, Some(',')) => Err("error.csv.mixedDecimal"),
                    (_, d) => normalize_number(raw, d.unwrap_or('.')).ok_or("error.notANumber"),
                },
            };
            match converted {
                Ok(v) => {
                    values.insert(s.key, v);
                }
                Err(key) => row_problems.push(problem(key)),
            }
        }
        let column_of = |field: &str| -> String {
            let base = field.split('.').next().unwrap_or(field);
            specs.iter().zip(&mapping).find(|(s, _)| s.key == base).and_then(|(_, m)| m.map(|i| table.headers[i].clone())).unwrap_or_default()
        };
        if row_problems.is_empty() {
            let row = Value::Object(values.iter().map(|(k, v)| (k.to_string(), Value::String(v.clone()))).collect::<Map<_, _>>());
            let checked = match kind {
                ImportKind::Customers => prepare_customer(ctx, &row, line, default_date, &existing, &mut seen),
                ImportKind::Charges => prepare_charge(ctx, &row, &existing),
            };
            match checked {
                Ok(p) => prepared.push(p),
                Err((field, key)) => {
                    let value = values.get(field.as_str()).map(String::as_str).unwrap_or("").chars().take(80).collect();
                    row_problems.push(Problem { line, column: column_of(&field), field, key, value })
                }
            }
        }
        if preview.len() < PREVIEW_ROWS {
            preview.push(PreviewRow { line, values, problems: row_problems.clone() });
        }
        problems.extend(row_problems);
    }
    Ok(Analysis {
        kind,
        encoding,
        delimiter,
        headers: table.headers,
        mapping,
        decimal,
        needs_decimal_choice,
        preview,
        problems,
        prepared,
        rows: table.rows.len(),
    })
}

/// Existing customers by folded name: (id, currency, archived); several when names repeat.
type Names = HashMap<String, Vec<(i64, String, bool)>>;

fn existing_names(ctx: &Ctx) -> Result<Names> {
    let mut out: Names = HashMap::new();
    let mut stmt = ctx.conn.prepare_cached("SELECT name_fold, id, currency, archived FROM customers")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push((r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0));
    }
    Ok(out)
}

type RowCheck = std::result::Result<Prepared, (String, &'static str)>;

fn field_error(e: Error) -> (String, &'static str) {
    match e {
        Error::Validation { field, key } => (field, key),
        Error::NotFound { field } => (field, "error.notFound"),
        other => (String::new(), other.message_key()),
    }
}

/// A customer row: the fields `create_customer` reads (its rules, from the row's cells as
/// JSON), the opening balance and its date.
fn prepare_customer(ctx: &Ctx, row: &Value, line: u64, default_date: NaiveDate, existing: &Names, seen: &mut HashMap<String, u64>) -> RowCheck {
    let args = Args::new(row).map_err(field_error)?;
    let fields = customers::fields(ctx, crate::req::parse::<customers::CreateCustomer>(row).map_err(field_error)?).map_err(field_error)?;
    let key = fold(&fields.name);
    if existing.contains_key(&key) {
        return Err(("name".into(), "error.csv.customerExists"));
    }
    if seen.insert(key, line).is_some() {
        return Err(("name".into(), "error.csv.duplicateName"));
    }
    let currency = Currency::stored(fields.currency).map_err(field_error)?;
    let opening = match args.opt_amount("openingBalance", true).map_err(field_error)? {
        Some(a) if !a.is_zero() => {
            let minor = currency.to_minor(a, "openingBalance").map_err(field_error)?;
            let date = args.opt_date("openingDate").map_err(field_error)?.unwrap_or(default_date);
            if date > ctx.today {
                return Err(("openingDate".into(), "error.inFuture"));
            }
            Some((minor, date))
        }
        _ => None,
    };
    Ok(Prepared::Customer { fields, opening })
}

/// A service row: the customer by name, then the fields `record_charge` reads.
fn prepare_charge(ctx: &Ctx, row: &Value, existing: &Names) -> RowCheck {
    let name = crate::req::parse::<ChargeRowCustomer>(row).map_err(field_error)?.customer.into_string();
    let (id, currency, archived) = match existing.get(&fold(&name)).map(Vec::as_slice) {
        None | Some([]) => return Err(("customer".into(), "error.csv.unknownCustomer")),
        Some([one]) => one.clone(),
        Some(_) => return Err(("customer".into(), "error.csv.ambiguousCustomer")),
    };
    if archived {
        return Err(("customer".into(), "error.customerArchived"));
    }
    let currency = Currency::stored(&currency).map_err(field_error)?;
    let input = crate::req::parse::<charges::ChargeInput>(row).map_err(field_error)?;
    let fields = charges::fields(ctx, input, currency).map_err(field_error)?;
    Ok(Prepared::Charge { customer_id: id, currency, fields })
}

/// The one field of a service row read before its customer is known.
#[derive(Deserialize)]
struct ChargeRowCustomer {
    customer: crate::req::Name,
}

/// One importable field and the column it is read from.
#[derive(Debug, Serialize)]
pub struct MappedField {
    pub key: &'static str,
    pub required: bool,
    pub column: Option<usize>,
    pub header: Option<String>,
}

/// One of the first rows of a file, as converted, with its problems.
#[derive(Debug, Serialize)]
pub struct PreviewRow {
    pub line: u64,
    pub values: BTreeMap<&'static str, String>,
    pub problems: Vec<Problem>,
}

/// What `import_preview` answers: the format found, the mapping, every row's problems.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    pub kind: ImportKind,
    pub encoding: &'static str,
    pub delimiter: String,
    /// `null` when the file does not say and none was chosen.
    pub decimal_separator: Option<String>,
    pub needs_decimal_choice: bool,
    pub headers: Vec<String>,
    pub fields: Vec<MappedField>,
    pub row_count: usize,
    pub ready_count: usize,
    pub problem_count: usize,
    /// The first 500 problems (all are counted).
    pub problems: Vec<Problem>,
    /// The first 100 rows.
    pub preview: Vec<PreviewRow>,
    /// Whether `import_csv` would write it.
    pub ready: bool,
}

fn analysis_view(a: Analysis) -> ImportPreviewView {
    let specs = fields_of(a.kind);
    let fields = specs
        .iter()
        .zip(&a.mapping)
        .map(|(s, m)| MappedField { key: s.key, required: s.required, column: *m, header: m.map(|i| a.headers[i].clone()) })
        .collect();
    let ready = a.problems.is_empty() && !a.needs_decimal_choice && a.rows > 0;
    ImportPreviewView {
        kind: a.kind,
        encoding: a.encoding,
        delimiter: (a.delimiter as char).to_string(),
        decimal_separator: a.decimal.map(|c| c.to_string()),
        needs_decimal_choice: a.needs_decimal_choice,
        headers: a.headers,
        fields,
        row_count: a.rows,
        ready_count: a.prepared.len(),
        problem_count: a.problems.len(),
        problems: a.problems.into_iter().take(MAX_PROBLEMS).collect(),
        preview: a.preview,
        ready,
    }
}

/// `import_preview {kind: customers|charges, dataBase64, mapping?, delimiter?, encoding?, decimalSeparator?, dateOrder?, asOf?}`.
pub fn preview(ctx: &mut Ctx, req: ImportPreview) -> Result<ImportPreviewView> {
    Ok(analysis_view(analyse(ctx, &req)?))
}

/// What `import_csv` wrote.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportDone {
    pub kind: ImportKind,
    pub customers: usize,
    pub opening_balances: usize,
    pub charges: usize,
}

/// `import_csv {same as import_preview}`: writes every row in one transaction, or nothing.
pub fn import(ctx: &mut Ctx, req: ImportCsv) -> Result<ImportDone> {
    let a = analyse(ctx, &req)?;
    if a.needs_decimal_choice {
        return Err(Error::invalid("decimalSeparator", "error.csv.ambiguousDecimal"));
    }
    if !a.problems.is_empty() {
        return Err(Error::invalid("file", "error.csv.hasProblems"));
    }
    if a.rows == 0 {
        return Err(Error::invalid("file", "error.csv.empty"));
    }
    let tx = ctx.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (mut customers_n, mut openings, mut charges_n) = (0, 0, 0);
    for p in &a.prepared {
        match p {
            Prepared::Customer { fields, opening } => {
                let exists: bool =
                    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM customers WHERE name_fold = ?1)")?.query_row([fold(&fields.name)], |r| r.get(0))?;
                if exists {
                    // Someone added the same name between preview and import.
                    return Err(Error::invalid("file", "error.csv.hasProblems"));
                }
                let id = customers::insert(&tx, fields)?;
                customers_n += 1;
                if let Some((minor, date)) = opening {
                    let currency = Currency::stored(fields.currency)?;
                    customers::post_opening(&tx, id, &fields.name, currency, *minor, *date, "CSV")?;
                    openings += 1;
                }
            }
            Prepared::Charge { customer_id, currency, fields } => {
                charges::insert(&tx, *customer_id, *currency, fields)?;
                charges_n += 1;
            }
        }
    }
    tx.commit()?;
    Ok(ImportDone { kind: a.kind, customers: customers_n, opening_balances: openings, charges: charges_n })
}

// ---------------------------------------------------------------------------------------
// Exports

/// How a CSV export looks: `,` with decimal points, or `;` with decimal commas (Excel in
/// Kazakh and Russian locales).
#[derive(Clone, Copy)]
pub struct Style {
    pub delimiter: u8,
}

impl Style {
    fn amount(&self, c: Currency, minor: i64) -> String {
        let s = c.format_minor(minor);
        if self.delimiter == b';' {
            s.replace('.', ",")
        } else {
            s
        }
    }

    fn decimal(&self, s: &str) -> String {
        if self.delimiter == b';' {
            s.replace('.', ",")
        } else {
            s.to_string()
        }
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (`=HYPERLINK(…)`,
/// `+7 701 …`, `@SUM(…)`, `-2+3`), or that hide such a start (tab, carriage return).
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A plain number (`-1234.50`, `-12,5`): a spreadsheet reads it as a number, never a formula,
/// so negative amounts stay numbers.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, ['.', ',']);
    let int = parts.next().unwrap_or("");
    !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && parts.next().is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Neutralises a text cell for spreadsheets (OWASP's CSV injection advice): a cell that would
/// start a formula gets a leading `'`, which Excel and LibreOffice show as text and hide. A
/// cell that already starts with `'` gets one more, so [`unescape_cell`] gives back exactly
/// what was written.
pub fn escape_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('\'') => format!("'{cell}").into(),
        Some(c) if FORMULA_STARTS.contains(&c) && !plain_number(cell) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The importer's side of [`escape_cell`]: `'=x` → `=x`, `'+7 701` → `+7 701`, `''a` → `'a`;
/// a lone leading `'` before anything else (`'abc`) is the user's own and stays.
pub fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with('\'') || rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Writes rows as CSV text: a BOM, a header, CRLF line ends, text cells neutralised
/// ([`escape_cell`]).
pub fn write_csv(style: Style, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<String> {
    let mut w = csv::WriterBuilder::new().delimiter(style.delimiter).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let io = |e: csv::Error| Error::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(io)?;
    for r in rows {
        w.write_record(r.iter().map(|c| escape_cell(c).into_owned())).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Internal(format!("csv: {e}")))?;
    let body = String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format!("\u{feff}{body}"))
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What a CSV export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Customers,
    Invoices,
    InvoiceLines,
    Payments,
    Ageing,
    Journal,
}

impl ExportKind {
    /// The kind as the file name spells it (`invoice-lines`).
    fn file_part(self) -> &'static str {
        match self {
            ExportKind::Customers => "customers",
            ExportKind::Invoices => "invoices",
            ExportKind::InvoiceLines => "invoice-lines",
            ExportKind::Payments => "payments",
            ExportKind::Ageing => "ageing",
            ExportKind::Journal => "journal",
        }
    }
}

/// An export's delimiter: `,` with decimal points, or `;` with decimal commas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ExportDelimiter {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ";")]
    Semicolon,
}

/// `export_csv`: one CSV file for Excel or the accountant.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportCsv {
    pub kind: ExportKind,
    /// `,` when left out.
    pub delimiter: Option<ExportDelimiter>,
    /// The ageing's date (today when left out).
    pub as_of: Option<Date>,
    /// The journal's period.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A CSV file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvExport {
    pub kind: ExportKind,
    pub file_name: String,
    /// Data rows (without the header).
    pub rows: usize,
    /// UTF-8 with a BOM.
    pub text: String,
}

/// `export_csv {kind: customers|invoices|invoice_lines|payments|ageing|journal, delimiter?: ","|";", asOf?, from?, to?}`.
pub fn export(ctx: &mut Ctx, req: ExportCsv) -> Result<CsvExport> {
    let kind = req.kind;
    let style = Style { delimiter: if req.delimiter == Some(ExportDelimiter::Semicolon) { b';' } else { b',' } };
    let (header, rows): (Vec<&str>, Vec<Vec<String>>) = match kind {
        ExportKind::Customers => export_customers(ctx, style)?,
        ExportKind::Invoices => export_invoices(ctx, style)?,
        ExportKind::InvoiceLines => export_lines(ctx, style)?,
        ExportKind::Payments => export_payments(ctx, style)?,
        ExportKind::Ageing => export_ageing(ctx, req.as_of, style)?,
        ExportKind::Journal => export_journal(ctx, req.from.map(|d| d.0.to_string()), req.to.map(|d| d.0.to_string()), style)?,
    };
    let count = rows.len();
    let text = write_csv(style, &header, rows)?;
    let file_name = format!("esep-{}-{}.csv", kind.file_part(), ctx.today);
    Ok(CsvExport { kind, file_name, rows: count, text })
}

/// The customer columns, in the order the importer maps them back.
pub const CUSTOMER_HEADER: &[&str] =
    &["id", "name", "contact_person", "address", "country", "email", "phone", "tax_id", "currency", "language", "transit_days", "notes", "archived", "balance"];

type Rows = (Vec<&'static str>, Vec<Vec<String>>);

fn export_customers(ctx: &Ctx, style: Style) -> Result<Rows> {
    let all = customers::all_json(ctx.conn)?;
    let rows = all
        .iter()
        .map(|c| {
            let keys =
                ["id", "name", "contactPerson", "address", "country", "email", "phone", "taxId", "currency", "language", "transitDays", "notes", "archived"];
            let mut r: Vec<String> = keys.iter().map(|k| s(&c[*k])).collect();
            r.push(style.decimal(&s(&c["balance"])));
            r
        })
        .collect();
    Ok((CUSTOMER_HEADER.to_vec(), rows))
}

fn export_invoices(ctx: &Ctx, style: Style) -> Result<Rows> {
    let listed = super::invoices::all_rows(ctx)?;
    let mut amounts: HashMap<i64, (i64, i64, i64, i64)> = HashMap::new();
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT i.id, i.subtotal_minor - i.discount_minor, i.tax_minor, i.total_minor, COALESCE(st.amount_minor - st.settled_minor, i.total_minor)
         FROM invoices i LEFT JOIN invoice_state st ON st.invoice_id = i.id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        amounts.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
    }
    let mut rows = Vec::new();
    for v in listed {
        let c = Currency::stored(v["currency"].as_str().unwrap_or("KZT"))?;
        let (net, tax, total, open) = amounts.get(&v["id"].as_i64().unwrap_or(0)).copied().unwrap_or_default();
        rows.push(vec![
            s(&v["number"]),
            s(&v["status"]),
            s(&v["issueDate"]),
            s(&v["dueDate"]),
            s(&v["customerId"]),
            s(&v["customerName"]),
            c.code.to_string(),
            style.amount(c, net),
            style.amount(c, tax),
            style.amount(c, total),
            style.amount(c, total - open),
            style.amount(c, open),
        ]);
    }
    Ok((vec!["number", "status", "issue_date", "due_date", "customer_id", "customer", "currency", "net", "tax", "total", "settled", "open"], rows))
}

fn export_lines(ctx: &Ctx, style: Style) -> Result<Rows> {
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT i.number, i.issue_date, c.name, i.currency, l.position, l.description, l.quantity, l.unit, l.unit_price_minor, l.discount_percent, l.tax_rate, l.amount_minor, l.unit_price_scale
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN customers c ON c.id = i.customer_id
         WHERE i.status = 'issued' ORDER BY i.issue_date, i.id, l.position",
    )?;
    let mut q = stmt.query([])?;
    let mut rows = Vec::new();
    while let Some(r) = q.next()? {
        let c = Currency::stored(&r.get::<_, String>(3)?)?;
        rows.push(vec![
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            r.get(2)?,
            c.code.to_string(),
            r.get::<_, i64>(4)?.to_string(),
            r.get(5)?,
            style.decimal(&r.get::<_, String>(6)?),
            r.get(7)?,
            style.decimal(&crate::money::UnitPrice::stored(r.get(8)?, r.get(12)?).format(c)),
            style.decimal(&r.get::<_, String>(9)?),
            style.decimal(&r.get::<_, String>(10)?),
            style.amount(c, r.get(11)?),
        ]);
    }
    Ok((
        vec![
            "invoice",
            "issue_date",
            "customer",
            "currency",
            "line",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "discount_percent",
            "tax_rate",
            "amount",
        ],
        rows,
    ))
}

fn export_payments(ctx: &Ctx, style: Style) -> Result<Rows> {
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT p.id, p.received_on, p.customer_id, c.name, p.currency, p.amount_minor, p.credit_minor, p.method, p.reference
         FROM payments p JOIN customers c ON c.id = p.customer_id ORDER BY p.received_on, p.id",
    )?;
    let mut q = stmt.query([])?;
    let mut rows = Vec::new();
    while let Some(r) = q.next()? {
        let c = Currency::stored(&r.get::<_, String>(4)?)?;
        let (amount, credit): (i64, i64) = (r.get(5)?, r.get(6)?);
        rows.push(vec![
            r.get::<_, i64>(0)?.to_string(),
            r.get(1)?,
            r.get::<_, i64>(2)?.to_string(),
            r.get(3)?,
            c.code.to_string(),
            style.amount(c, amount),
            style.amount(c, amount - credit),
            style.amount(c, credit),
            r.get(7)?,
            r.get(8)?,
        ]);
    }
    Ok((vec!["payment", "date", "customer_id", "customer", "currency", "amount", "applied", "kept_as_credit", "method", "reference"], rows))
}

fn export_ageing(ctx: &mut Ctx, as_of: Option<Date>, style: Style) -> Result<Rows> {
    let report = super::reports::ageing(ctx, super::reports::Ageing { as_of, ..Default::default() })?;
    let mut rows = Vec::new();
    for r in report.rows {
        let b = &r.amounts;
        let mut row = vec![report.as_of.clone(), r.customer_id.to_string(), r.customer_name, b.currency.to_string()];
        row.extend([&b.current, &b.d1_30, &b.d31_60, &b.d61_90, &b.d90_plus, &b.total, &b.credit, &b.net].into_iter().map(|v| style.decimal(v)));
        rows.push(row);
    }
    Ok((vec!["as_of", "customer_id", "customer", "currency", "not_due", "1_30", "31_60", "61_90", "over_90", "total", "credit", "net"], rows))
}

/// The journal as CSV text (`,`-separated), for `export_journal {format: csv}`: called with
/// its dates, not through a JSON round trip of `export`'s arguments.
pub fn journal_csv(ctx: &Ctx, from: Option<String>, to: Option<String>) -> Result<String> {
    let style = Style { delimiter: b',' };
    let (header, rows) = export_journal(ctx, from, to, style)?;
    write_csv(style, &header, rows)
}

fn export_journal(ctx: &Ctx, from: Option<String>, to: Option<String>, style: Style) -> Result<Rows> {
    let mut rows = Vec::new();
    super::reports::journal_rows(ctx, from, to, |r| {
        let c = Currency::stored(&r.currency)?;
        rows.push(vec![
            r.entry_id.to_string(),
            r.date.clone(),
            r.kind.clone(),
            r.memo.clone(),
            r.account.clone(),
            r.customer_id.map(|x| x.to_string()).unwrap_or_default(),
            r.customer.clone().unwrap_or_default(),
            r.currency.clone(),
            style.amount(c, r.amount_minor),
            style.decimal(r.tax_rate.as_deref().unwrap_or("")),
        ]);
        Ok(())
    })?;
    Ok((vec!["entry", "date", "kind", "memo", "account", "customer_id", "customer", "currency", "amount", "tax_rate"], rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_both_conventions() {
        assert_eq!(vote("1 234,50"), Vote::DecimalComma);
        assert_eq!(vote("1,234.50"), Vote::DecimalDot);
        assert_eq!(vote("1.234,50 ₸"), Vote::DecimalComma);
        assert_eq!(vote("1,234"), Vote::Ambiguous);
        assert_eq!(vote("0,234"), Vote::DecimalComma, "a leading zero is never a thousands group");
        assert_eq!(vote("12,5"), Vote::DecimalComma);
        assert_eq!(vote("1,234,567"), Vote::DecimalDot, "two commas are thousands");
        assert_eq!(vote("1500"), Vote::Integer);
        assert_eq!(normalize_number("1 234,50", ',').as_deref(), Some("1234.50"));
        assert_eq!(normalize_number("1,234.50", '.').as_deref(), Some("1234.50"));
        assert_eq!(normalize_number("-1 234,50 тг.", ',').as_deref(), Some("-1234.50"));
        assert_eq!(normalize_number("(12.5)", '.').as_deref(), Some("-12.5"));
        assert_eq!(normalize_number("1,234", ',').as_deref(), Some("1.234"));
        assert_eq!(normalize_number("1,234", '.').as_deref(), Some("1234"));
        assert_eq!(normalize_number("12a4", '.'), None);
        assert_eq!(normalize_number("12abc", '.'), None);
        assert_eq!(normalize_number("$1,234.50", '.').as_deref(), Some("1234.50"));
        assert_eq!(normalize_number("1234.50 KZT", '.').as_deref(), Some("1234.50"));
        assert_eq!(normalize_number("1e400", '.'), None);
        assert_eq!(normalize_number("NaN", '.'), None);
        assert_eq!(normalize_number("1,2,3", ','), None);
    }

    #[test]
    fn dates_in_local_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(normalize_date("2026-11-27", false), Some(d));
        assert_eq!(normalize_date("27.11.2026", false), Some(d));
        assert_eq!(normalize_date("27.11.2026 0:00:00", false), Some(d));
        assert_eq!(normalize_date("27/11/2026", false), Some(d));
        assert_eq!(normalize_date("11/27/2026", true), Some(d));
        assert_eq!(normalize_date("27.11.26", false), Some(d));
        assert_eq!(normalize_date("30.02.2026", false), None);
        assert_eq!(normalize_date("2026-02-30", false), None);
        assert_eq!(normalize_date("yesterday", false), None);
    }

    #[test]
    fn encodings_and_delimiters_are_detected() {
        let cp1251 = encoding_rs::WINDOWS_1251.encode("Имя;Сумма\r\nҚайрат;1 234,50\r\n").0.into_owned();
        // Windows-1251 has no Kazakh letters: Excel writes them as '?'. Cyrillic survives.
        let (text, enc) = decode(&cp1251, None).unwrap();
        assert_eq!(enc, "windows-1251");
        assert!(text.starts_with("Имя;Сумма"));
        let (text, enc) = decode("\u{feff}name,balance\n".as_bytes(), None).unwrap();
        assert_eq!((text.as_str(), enc), ("name,balance\n", "utf-8-bom"));
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("\"a;x\",b,c\n"), b',', "delimiters inside quotes do not count");
        assert_eq!(detect_delimiter("a\tb\n"), b'\t');
        assert_eq!(detect_delimiter("name\n"), b',');
    }

    #[test]
    fn text_cells_that_would_be_formulas_are_neutralised_and_read_back_unchanged() {
        for cell in ["=HYPERLINK(\"http://x\",\"pay\")", "+7 701 123 45 67", "-2+3", "@SUM(A1)", "\tx", "'quoted", "''", "'=x"] {
            let out = escape_cell(cell);
            assert!(out.starts_with('\''), "{cell:?} is written as text: {out:?}");
            assert_eq!(unescape_cell(&out), cell, "and imported back as it was");
        }
        for cell in ["-1234.50", "-12,5", "0", "Алма", "2026-11-27", "", "-"] {
            let expect_same = cell != "-";
            assert_eq!(escape_cell(cell) == cell, expect_same, "{cell:?}");
        }
        assert_eq!(unescape_cell("'abc"), "'abc", "a user's own apostrophe before plain text stays");
        let csv = write_csv(
            Style { delimiter: b';' },
            &["name", "phone", "balance"],
            vec![vec!["=cmd|' /C calc'!A0".into(), "+7 701 000 00 00".into(), "-15,00".into()]],
        )
        .unwrap();
        assert!(csv.contains("'=cmd"), "{csv}");
        assert!(csv.contains(";'+7 701"), "{csv}");
        assert!(csv.contains(";-15,00\r\n"), "a negative amount stays a number: {csv}");
        let t = read_table(csv.trim_start_matches('\u{feff}'), b';').unwrap();
        assert_eq!(t.rows[0].1, ["=cmd|' /C calc'!A0", "+7 701 000 00 00", "-15,00"]);
    }

    #[test]
    fn a_file_with_too_many_columns_is_refused_before_its_headers_are_built() {
        let wide = format!("{}\n", ",".repeat(2_000_000));
        assert_eq!(read_table(&wide, b',').err().map(|e| e.message_key()), Some("error.csv.tooManyColumns"));
        let quoted = format!("\"{}\",b\n1,2\n", ",".repeat(10_000));
        assert_eq!(read_table(&quoted, b',').unwrap().headers.len(), 2, "delimiters inside quotes are not columns");
        let inch = format!("size 5\",b\n{}", "1,2\n".repeat(600));
        assert_eq!(read_table(&inch, b',').unwrap().headers.len(), 2, "a quote inside a plain field opens nothing");
        let row = format!("a,b\n{}\n", ",".repeat(MAX_COLUMNS + 1));
        assert_eq!(read_table(&row, b',').err().map(|e| e.message_key()), Some("error.csv.tooManyColumns"), "a wide data row too");
    }

    #[test]
    fn quoted_fields_keep_newlines_and_lines_are_counted() {
        let t = read_table("name,address\n\"Asel\",\"Abay 1\nAlmaty\"\n\nBolat,x\n", b',').unwrap();
        assert_eq!(t.headers, ["name", "address"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0], (2, vec!["Asel".to_string(), "Abay 1\nAlmaty".to_string()]));
        assert_eq!(t.rows[1].0, 5, "the line number where the record starts");
    }

    #[test]
    fn headers_map_in_any_language() {
        assert_eq!(header_key("Контактное лицо"), header_key("контактное  лицо"));
        assert_eq!(normalize_language("Қазақша"), "kk");
        assert_eq!(normalize_currency("тг."), "KZT");
        assert_eq!(normalize_currency("usd"), "USD");
    }
}
