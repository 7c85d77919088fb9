//! Cells as people type them: amounts in both conventions, dates, language and currency names.

use super::header_key;
use crate::args::parse_date;
use chrono::NaiveDate;

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
const CURRENCY_MARKS: &[&str] = &[
    "₸",
    "$",
    "€",
    "₽",
    "£",
    "¥",
    "тг.",
    "тг",
    "тенге",
    "теңге",
    "руб.",
    "руб",
    "р.",
    "kzt",
    "usd",
    "eur",
    "rub",
];

/// Strips spaces, a sign, and a currency symbol or code around the number. Anything else
/// that is not part of a number stays, so `12abc` is refused rather than read as 12.
fn number_body(s: &str) -> (bool, String) {
    let mut t: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’'))
        .collect::<String>()
        .to_lowercase();
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
    let negative =
        t.starts_with('-') || t.starts_with('−') || (t.starts_with('(') && t.ends_with(')'));
    let body = t
        .trim_start_matches(['-', '−', '+', '('])
        .trim_end_matches(')')
        .to_string();
    (negative, body)
}

pub(crate) fn vote(s: &str) -> Vote {
    let (_, b) = number_body(s);
    let commas = b.matches(',').count();
    let dots = b.matches('.').count();
    let after = |sep: char| b.rsplit(sep).next().map(str::len).unwrap_or(0);
    let lead_zero = |sep: char| {
        b.split(sep)
            .next()
            .map(|p| p.is_empty() || p == "0")
            .unwrap_or(true)
    };
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
    if !digits(&int)
        || !frac.map(digits).unwrap_or(true)
        || (int.is_empty() && frac.map(str::is_empty).unwrap_or(true))
        || body.len() > 40
    {
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
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
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

pub(crate) fn normalize_language(s: &str) -> String {
    match header_key(s).as_str() {
        // Keys are folded (`fold`: қ→к, ә→а, ғ→г …), so the Kazakh names appear folded here.
        "kk" | "kz" | "kaz" | "казакша" | "казак" | "казахский" | "kazakh" => {
            "kk".into()
        }
        "ru" | "rus" | "русский" | "орысша" | "russian" => "ru".into(),
        "en" | "eng" | "english" | "английский" | "агылшынша" => "en".into(),
        _ => s.to_string(),
    }
}

pub(crate) fn normalize_currency(s: &str) -> String {
    match s.trim().to_lowercase().trim_end_matches('.') {
        "₸" | "тг" | "тенге" | "теңге" => "KZT".into(),
        "₽" | "руб" | "рубль" | "рублей" | "р" => "RUB".into(),
        "$" | "us$" => "USD".into(),
        "€" => "EUR".into(),
        other => other.to_uppercase(),
    }
}
