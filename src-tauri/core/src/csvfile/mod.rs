//! CSV files, whatever they hold: bytes → text (encoding detected) → a table of cells, the
//! options a reader may force, cells as people type them (`normalize`), and CSV written for
//! Excel and the accountant. The customer and service import (`books::transfer`) and the bank
//! statements' CSV reader (`bank::csv`) both read through it; it knows nothing of the books.

pub mod normalize;

use crate::books::fold;
use crate::error::{Error, Result};
use crate::money::Currency;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// The most data rows in one import.
pub const MAX_ROWS: usize = 200_000;

/// A header or alias reduced to letters and digits, folded, for matching.
pub(crate) fn header_key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

// ---------------------------------------------------------------------------------------
// Bytes → text → table

/// Decodes the file. `forced`: `utf-8` or `windows-1251` to override detection.
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec())
            .map(|s| (s, "utf-8-bom"))
            .map_err(|_| Error::invalid("encoding", "error.csv.badEncoding"));
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "utf-16le"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "utf-16be"),
    ] {
        if bytes.starts_with(bom) {
            let (text, _, bad) = enc.decode(bytes);
            if bad {
                return Err(Error::invalid("encoding", "error.csv.badEncoding"));
            }
            return Ok((text.into_owned(), name));
        }
    }
    match forced {
        Some("windows-1251") => Ok((
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            "windows-1251",
        )),
        Some("utf-8") => String::from_utf8(bytes.to_vec())
            .map(|s| (s, "utf-8"))
            .map_err(|_| Error::invalid("encoding", "error.csv.badEncoding")),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), "utf-8")),
            // Not UTF-8: in this part of the world that is Excel's Windows-1251.
            Err(_) => Ok((
                encoding_rs::WINDOWS_1251
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
                "windows-1251",
            )),
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
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|_| Error::invalid("file", "error.csv.unreadable"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
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
        let mut start = rec
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(at)
            .min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        if start >= at {
            line += bytes[at..start].iter().filter(|&&b| b == b'\n').count() as u64;
            at = start;
        }
        rows.push((
            line,
            rec.iter()
                .map(|c| unescape_cell(c.trim()).to_string())
                .collect(),
        ));
    }
    Ok(Table { headers, rows })
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
    pub fn amount(&self, c: Currency, minor: i64) -> String {
        let s = c.format_minor(minor);
        if self.delimiter == b';' {
            s.replace('.', ",")
        } else {
            s
        }
    }

    pub fn decimal(&self, s: &str) -> String {
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
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && parts
            .next()
            .is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
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
pub fn write_csv(
    style: Style,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let io = |e: csv::Error| Error::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(io)?;
    for r in rows {
        w.write_record(r.iter().map(|c| escape_cell(c).into_owned()))
            .map_err(io)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    let body = String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format!("\u{feff}{body}"))
}
