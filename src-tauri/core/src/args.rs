//! Reading command arguments (JSON objects) field by field, with errors that name the field.
//!
//! Commands receive the same JSON from the webview and from `esep-cli`. Decimals travel as
//! strings (or JSON integers); JSON floats are refused because they are not exact.

use crate::error::{Error, Result};
use crate::money::{parse_decimal, MAX_AMOUNT};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// Longest text Esep stores in a single field (descriptions, notes, addresses).
pub const MAX_TEXT: usize = 4000;
/// Longest name (customer, business, unit).
pub const MAX_NAME: usize = 200;

/// Unicode format characters (general category Cf, Unicode 15): invisible, they change how
/// text around them is shown or joined (zero-width space, word joiner, byte-order mark, soft
/// hyphen, direction marks…).
pub fn is_format(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// Direction overrides, embeddings, isolates and marks (UAX #9): they reorder what is shown.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A text without whitespace (any Unicode White_Space) or format characters at either end;
/// a text of nothing else is empty.
pub fn trim_invisible(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || is_format(c))
}

/// The arguments of one command call.
pub struct Args<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Args<'a> {
    /// Wraps a JSON value that must be an object (`null` counts as `{}`).
    pub fn new(value: &'a Value) -> Result<Args<'a>> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match value {
            Value::Object(map) => Ok(Args {
                map,
                prefix: String::new(),
            }),
            Value::Null => Ok(Args {
                map: EMPTY.get_or_init(Map::new),
                prefix: String::new(),
            }),
            _ => Err(Error::invalid("args", "error.argsNotObject")),
        }
    }

    /// The full field name for errors, e.g. `lines[2].unitPrice`.
    pub fn field(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}.{}", self.prefix, name)
        }
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// The names the object carries (for a free map such as a column mapping).
    pub fn keys(&self) -> impl Iterator<Item = &'a str> {
        self.map.keys().map(String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A string, trimmed; an empty string counts as missing.
    pub fn opt_string(&self, name: &str, max: usize) -> Result<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => {
                // Invisible characters at the ends go (names pasted from a messenger come wrapped
                // in direction marks); a direction control left inside makes a text display as
                // something else ("Invoice\u{202e}fdp.exe" shows as "Invoiceexe.pdf"): refused.
                let t = trim_invisible(s);
                if t.chars().any(is_bidi_control) {
                    return Err(Error::invalid(
                        self.field(name),
                        "error.directionCharacters",
                    ));
                }
                if t.chars().count() > max {
                    return Err(Error::invalid(self.field(name), "error.tooLong"));
                }
                if t.chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
                {
                    return Err(Error::invalid(self.field(name), "error.controlCharacters"));
                }
                Ok(if t.is_empty() {
                    None
                } else {
                    Some(t.replace("\r\n", "\n"))
                })
            }
            Some(_) => Err(Error::invalid(self.field(name), "error.notText")),
        }
    }

    /// A required, non-empty string.
    pub fn string(&self, name: &str, max: usize) -> Result<String> {
        self.opt_string(name, max)?
            .ok_or_else(|| Error::invalid(self.field(name), "error.required"))
    }

    /// An optional string, `""` when missing.
    pub fn text(&self, name: &str, max: usize) -> Result<String> {
        Ok(self.opt_string(name, max)?.unwrap_or_default())
    }

    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| Error::invalid(self.field(name), "error.notAnInteger")),
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| Error::invalid(self.field(name), "error.notAnInteger")),
            Some(_) => Err(Error::invalid(self.field(name), "error.notAnInteger")),
        }
    }

    /// An integer within `min..=max`.
    pub fn opt_int_in(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>> {
        match self.opt_i64(name)? {
            Some(v) if v < min || v > max => {
                Err(Error::invalid(self.field(name), "error.outOfRange"))
            }
            v => Ok(v),
        }
    }

    /// A record id (positive integer).
    pub fn opt_id(&self, name: &str) -> Result<Option<i64>> {
        match self.opt_i64(name)? {
            Some(v) if v <= 0 => Err(Error::invalid(self.field(name), "error.badId")),
            v => Ok(v),
        }
    }

    pub fn id(&self, name: &str) -> Result<i64> {
        self.opt_id(name)?
            .ok_or_else(|| Error::invalid(self.field(name), "error.required"))
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Error::invalid(self.field(name), "error.notBoolean")),
        }
    }

    pub fn bool(&self, name: &str) -> Result<bool> {
        Ok(self.opt_bool(name)?.unwrap_or(false))
    }

    /// A decimal given as a string (`"12.50"`, `"1 234,5"`) or a JSON integer. Floats are refused.
    pub fn opt_decimal(&self, name: &str) -> Result<Option<Decimal>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => parse_decimal(s, &self.field(name)).map(Some),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64().map(Decimal::from)),
            Some(_) => Err(Error::invalid(self.field(name), "error.notANumber")),
        }
    }

    /// A decimal within `min..=max` with at most `max_scale` decimals.
    pub fn opt_decimal_in(
        &self,
        name: &str,
        min: Decimal,
        max: Decimal,
        max_scale: u32,
    ) -> Result<Option<Decimal>> {
        let Some(d) = self.opt_decimal(name)? else {
            return Ok(None);
        };
        if d < min {
            return Err(Error::invalid(
                self.field(name),
                if d.is_sign_negative() {
                    "error.negative"
                } else {
                    "error.tooSmall"
                },
            ));
        }
        if d > max {
            return Err(Error::invalid(self.field(name), "error.tooLarge"));
        }
        if d.normalize().scale() > max_scale {
            return Err(Error::invalid(
                self.field(name),
                crate::money::too_many_decimals(max_scale),
            ));
        }
        Ok(Some(d.normalize()))
    }

    /// An amount of money: `0 ..= 10^12` (or `-10^12 ..` when `allow_negative`).
    pub fn opt_amount(&self, name: &str, allow_negative: bool) -> Result<Option<Decimal>> {
        let max = Decimal::from(MAX_AMOUNT);
        let min = if allow_negative { -max } else { Decimal::ZERO };
        self.opt_decimal_in(name, min, max, 6)
    }

    /// A percentage `0 ..= 100` with at most 4 decimals.
    pub fn opt_percent(&self, name: &str) -> Result<Option<Decimal>> {
        self.opt_decimal_in(name, Decimal::ZERO, Decimal::from(100), 4)
    }

    pub fn opt_date(&self, name: &str) -> Result<Option<NaiveDate>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => parse_date(s.trim(), &self.field(name)).map(Some),
            Some(_) => Err(Error::invalid(self.field(name), "error.badDate")),
        }
    }

    pub fn date(&self, name: &str) -> Result<NaiveDate> {
        self.opt_date(name)?
            .ok_or_else(|| Error::invalid(self.field(name), "error.required"))
    }

    /// One of the given values.
    pub fn opt_choice(&self, name: &str, choices: &[&'static str]) -> Result<Option<&'static str>> {
        match self.opt_string(name, 64)? {
            None => Ok(None),
            Some(s) => choices
                .iter()
                .find(|c| **c == s)
                .copied()
                .map(Some)
                .ok_or_else(|| Error::invalid(self.field(name), "error.badChoice")),
        }
    }

    /// A list of objects, each read with its own prefix `name[i]`.
    pub fn list(&self, name: &str, max_len: usize) -> Result<Vec<Args<'a>>> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                if items.len() > max_len {
                    return Err(Error::invalid(self.field(name), "error.tooMany"));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match v {
                        Value::Object(map) => Ok(Args {
                            map,
                            prefix: format!("{}[{}]", self.field(name), i),
                        }),
                        _ => Err(Error::invalid(
                            format!("{}[{}]", self.field(name), i),
                            "error.argsNotObject",
                        )),
                    })
                    .collect()
            }
            Some(_) => Err(Error::invalid(self.field(name), "error.notAList")),
        }
    }

    /// A list of ids.
    pub fn ids(&self, name: &str, max_len: usize) -> Result<Vec<i64>> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                if items.len() > max_len {
                    return Err(Error::invalid(self.field(name), "error.tooMany"));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match v.as_i64() {
                        Some(id) if id > 0 => Ok(id),
                        _ => Err(Error::invalid(
                            format!("{}[{}]", self.field(name), i),
                            "error.badId",
                        )),
                    })
                    .collect()
            }
            Some(_) => Err(Error::invalid(self.field(name), "error.notAList")),
        }
    }

    /// A nested object.
    pub fn object(&self, name: &str) -> Result<Option<Args<'a>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Args {
                map,
                prefix: self.field(name),
            })),
            Some(_) => Err(Error::invalid(self.field(name), "error.argsNotObject")),
        }
    }
}

/// Parses an ISO date `YYYY-MM-DD` between 1900 and 2999; `2026-02-30` is an error.
pub fn parse_date(s: &str, field: &str) -> Result<NaiveDate> {
    if s.len() != 10 {
        return Err(Error::invalid(field, "error.badDate"));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "error.badDate"))?;
    use chrono::Datelike;
    if !(1900..=2999).contains(&d.year()) {
        return Err(Error::invalid(field, "error.badDate"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn impossible_dates_are_refused() {
        assert!(parse_date("2026-02-30", "d").is_err());
        assert!(parse_date("2026-2-3", "d").is_err());
        assert!(parse_date("2028-02-29", "d").is_ok(), "2028 is a leap year");
        assert!(parse_date("2027-02-29", "d").is_err());
    }

    #[test]
    fn floats_and_huge_strings_are_refused_with_the_field_named() {
        let v = json!({"price": 1.5, "name": "x".repeat(5000), "lines": [{"qty": "abc"}]});
        let a = Args::new(&v).unwrap();
        assert_eq!(a.opt_decimal("price").unwrap_err().field(), Some("price"));
        assert_eq!(
            a.string("name", MAX_NAME).unwrap_err().message_key(),
            "error.tooLong"
        );
        let lines = a.list("lines", 10).unwrap();
        assert_eq!(
            lines[0].opt_decimal("qty").unwrap_err().field(),
            Some("lines[0].qty")
        );
    }
}
