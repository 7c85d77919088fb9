//! Typed command requests: each command's arguments are a Rust struct (`Deserialize` +
//! `JsonSchema`, camelCase), its fields validating newtypes. Reading a request keeps the error
//! keys and field paths the UI translates (`lines[2].unitPrice`: `error.tooManyDecimals.6`).
//!
//! The rules every request shares, in one place:
//! - `null`, a missing field and a text that is empty once trimmed are the same: absent. A
//!   required field that is absent is `error.required` on its path.
//! - Decimals travel as strings (`"12.50"`, `"1 234,5"`) or JSON integers; a JSON float is
//!   refused because it is not exact.
//! - Texts are trimmed of whitespace and invisible format characters; a direction control
//!   left inside, a control character or a text over its length is refused.
//! - A field the command does not take is refused (`error.unknownField`) before it runs: the
//!   command table checks every call against the shape derived from the request type.

use crate::args::{is_bidi_control, parse_date, trim_invisible};
use crate::error::{Error, Result};
use crate::money::{parse_decimal, too_many_decimals, MAX_AMOUNT};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject, StringValidation};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::cell::Cell;

thread_local! {
    /// The catalogue key of the last refusal a newtype made: serde carries errors as text,
    /// the key travels beside it.
    static KEY: Cell<Option<&'static str>> = const { Cell::new(None) };
}

fn refuse<E: serde::de::Error>(key: &'static str) -> E {
    KEY.with(|k| k.set(Some(key)));
    E::custom(key)
}

/// A request type's JSON Schema (sub-schemas inlined, optional fields simply not required).
pub fn schema_of<R: JsonSchema>() -> schemars::schema::RootSchema {
    let mut settings = schemars::gen::SchemaSettings::draft07();
    settings.inline_subschemas = true;
    settings.option_add_null_type = false;
    settings.option_nullable = false;
    settings.into_generator().into_root_schema_for::<R>()
}

/// Reads a request, refusing first a field its type does not have (`error.unknownField` on
/// its path), as the command table does for the core's commands.
pub fn parse_known<R: DeserializeOwned + JsonSchema>(args: &Value) -> Result<R> {
    crate::shape::Shape::parse(&crate::shape::render(&schema_of::<R>())).check(args, &|_| None)?;
    parse(args)
}

/// Reads a command's arguments as its request type.
pub fn parse<R: DeserializeOwned>(args: &Value) -> Result<R> {
    let mut value = match args {
        Value::Object(_) => args.clone(),
        Value::Null => Value::Object(Default::default()),
        _ => return Err(Error::invalid("args", "error.argsNotObject")),
    };
    drop_absent(&mut value);
    KEY.with(|k| k.set(None));
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let message = e.inner().to_string();
        match KEY.with(|k| k.take()) {
            Some(key) => Error::invalid(path, key),
            None => from_serde(&path, &message),
        }
    })
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Serde's own refusals (a missing field, a wrong JSON type) as catalogue keys.
fn from_serde(path: &str, message: &str) -> Error {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        return Error::invalid(join(path, name), "error.required");
    }
    let key = if message.contains("unknown variant")
        || message.contains("expected variant")
        || message.contains("expected string or map")
    {
        "error.badChoice"
    } else if message.contains("expected a boolean") {
        "error.notBoolean"
    } else if message.contains("expected a sequence") {
        "error.notAList"
    } else if message.contains("expected a string") {
        "error.notText"
    } else if message.contains("expected i64")
        || message.contains("expected u32")
        || message.contains("expected u")
    {
        "error.notAnInteger"
    } else {
        "error.argsNotObject"
    };
    Error::invalid(path, key)
}

/// Trims every text of whitespace and invisible format characters (so a choice `" kk "` is
/// `kk`), and removes the members that count as absent (`null`, a text empty once trimmed), at
/// every depth.
fn drop_absent(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.values_mut().for_each(drop_absent);
            map.retain(|_, v| match v {
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                _ => true,
            });
        }
        Value::Array(items) => items.iter_mut().for_each(drop_absent),
        Value::String(s) => {
            let t = trim_invisible(s);
            if t.len() != s.len() {
                *s = t.to_string();
            }
        }
        _ => {}
    }
}

fn string_schema(format: Option<&str>, max_length: Option<u32>) -> Schema {
    let mut s = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        format: format.map(str::to_string),
        ..Default::default()
    };
    if max_length.is_some() {
        s.string = Some(Box::new(StringValidation {
            max_length,
            ..Default::default()
        }));
    }
    Schema::Object(s)
}

/// A text of at most `MAX` characters, trimmed, never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text<const MAX: usize>(pub String);

/// A name (customer, business, unit): at most 200 characters.
pub type Name = Text<{ crate::args::MAX_NAME }>;
/// A description, a note, an address: at most 4,000 characters.
pub type LongText = Text<{ crate::args::MAX_TEXT }>;

impl<const MAX: usize> Text<MAX> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<const MAX: usize> std::ops::Deref for Text<MAX> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// The text rules of one string, as [`crate::args::Args::opt_string`] applies them.
pub fn check_text(s: &str, max: usize) -> std::result::Result<String, &'static str> {
    let t = trim_invisible(s);
    if t.chars().any(is_bidi_control) {
        return Err("error.directionCharacters");
    }
    if t.chars().count() > max {
        return Err("error.tooLong");
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err("error.controlCharacters");
    }
    if t.is_empty() {
        return Err("error.required");
    }
    Ok(t.replace("\r\n", "\n"))
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => check_text(&s, MAX).map(Text).map_err(refuse),
            _ => Err(refuse("error.notText")),
        }
    }
}

impl<const MAX: usize> JsonSchema for Text<MAX> {
    fn schema_name() -> String {
        format!("Text{MAX}")
    }
    fn is_referenceable() -> bool {
        false
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_schema(None, u32::try_from(MAX).ok())
    }
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn integer_schema(minimum: i64, maximum: Option<i64>) -> Schema {
    let mut s = SchemaObject {
        instance_type: Some(InstanceType::Integer.into()),
        ..Default::default()
    };
    s.number().minimum = Some(minimum as f64);
    s.number().maximum = maximum.map(|m| m as f64);
    Schema::Object(s)
}

/// A record id: a positive integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub i64);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match integer(&Value::deserialize(d)?) {
            Some(v) if v > 0 => Ok(Id(v)),
            Some(_) => Err(refuse("error.badId")),
            None => Err(refuse("error.notAnInteger")),
        }
    }
}

impl JsonSchema for Id {
    fn schema_name() -> String {
        "Id".into()
    }
    fn is_referenceable() -> bool {
        false
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        integer_schema(1, None)
    }
}

/// An integer within `MIN..=MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Int<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match integer(&Value::deserialize(d)?) {
            Some(v) if (MIN..=MAX).contains(&v) => Ok(Int(v)),
            Some(_) => Err(refuse("error.outOfRange")),
            None => Err(refuse("error.notAnInteger")),
        }
    }
}

impl<const MIN: i64, const MAX: i64> JsonSchema for Int<MIN, MAX> {
    fn schema_name() -> String {
        format!("Int{MIN}_{MAX}")
    }
    fn is_referenceable() -> bool {
        false
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        integer_schema(MIN, Some(MAX))
    }
}

/// A decimal within `MIN..=MAX` with at most `SCALE` decimals, normalised (`"12.50"` → 12.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Dec<const MIN: i64, const MAX: i64, const SCALE: u32>(pub Decimal);

/// An amount of money, `0 ..= 10^12`, up to 6 decimals (the currency's own rule is the command's).
pub type Amount = Dec<0, MAX_AMOUNT, 6>;
/// An amount that may be negative (an opening balance in the customer's favour).
pub type SignedAmount = Dec<{ -MAX_AMOUNT }, MAX_AMOUNT, 6>;
/// A percentage, `0 ..= 100`, up to 4 decimals.
pub type Percent = Dec<0, 100, 4>;

/// The decimal rules, as [`crate::args::Args::opt_decimal_in`] applies them.
pub fn check_decimal(
    v: &Value,
    min: Decimal,
    max: Decimal,
    scale: u32,
) -> std::result::Result<Decimal, &'static str> {
    let d = match v {
        Value::String(s) => parse_decimal(s, "").map_err(|e| e.message_key())?,
        Value::Number(n) if n.is_i64() => Decimal::from(n.as_i64().unwrap_or_default()),
        _ => return Err("error.notANumber"),
    };
    if d < min {
        return Err(if d.is_sign_negative() {
            "error.negative"
        } else {
            "error.tooSmall"
        });
    }
    if d > max {
        return Err("error.tooLarge");
    }
    if d.normalize().scale() > scale {
        return Err(too_many_decimals(scale));
    }
    Ok(d.normalize())
}

impl<'de, const MIN: i64, const MAX: i64, const SCALE: u32> Deserialize<'de>
    for Dec<MIN, MAX, SCALE>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        check_decimal(
            &Value::deserialize(d)?,
            Decimal::from(MIN),
            Decimal::from(MAX),
            SCALE,
        )
        .map(Dec)
        .map_err(refuse)
    }
}

impl<const MIN: i64, const MAX: i64, const SCALE: u32> JsonSchema for Dec<MIN, MAX, SCALE> {
    fn schema_name() -> String {
        format!("Dec{MIN}_{MAX}_{SCALE}")
    }
    fn is_referenceable() -> bool {
        false
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_schema(Some("decimal"), None)
    }
}

/// A date, ISO `YYYY-MM-DD`, between 1900 and 2999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => parse_date(s.trim(), "")
                .map(Date)
                .map_err(|e| refuse(e.message_key())),
            _ => Err(refuse("error.badDate")),
        }
    }
}

impl JsonSchema for Date {
    fn schema_name() -> String {
        "Date".into()
    }
    fn is_referenceable() -> bool {
        false
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_schema(Some("date"), Some(10))
    }
}

/// A list of at most `MAX` items.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct List<T, const MAX: usize>(pub Vec<T>);

impl<T, const MAX: usize> Default for List<T, MAX> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<T, const MAX: usize> std::ops::Deref for List<T, MAX> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for List<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Items<T, const MAX: usize>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const MAX: usize> serde::de::Visitor<'de> for Items<T, MAX> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Vec<T>, A::Error> {
                if seq.size_hint().is_some_and(|n| n > MAX) {
                    return Err(refuse("error.tooMany"));
                }
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Items::<T, MAX>(std::marker::PhantomData))
            .map(List)
    }
}

impl<T: JsonSchema, const MAX: usize> JsonSchema for List<T, MAX> {
    fn schema_name() -> String {
        format!("List{MAX}_{}", T::schema_name())
    }
    fn is_referenceable() -> bool {
        false
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let mut s = match <Vec<T>>::json_schema(gen) {
            Schema::Object(o) => o,
            other => return other,
        };
        s.array().max_items = u32::try_from(MAX).ok();
        Schema::Object(s)
    }
}

/// A request without arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct NoArgs {}

/// `{id}`: one record.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ById {
    /// The record.
    pub id: Id,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct Line {
        description: LongText,
        unit_price: Amount,
        #[allow(dead_code)]
        tax_rate: Option<Percent>,
    }

    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct Req {
        customer_id: Id,
        #[allow(dead_code)]
        note: Option<Name>,
        #[serde(default)]
        lines: List<Line, 3>,
        #[allow(dead_code)]
        flag: Option<bool>,
        #[allow(dead_code)]
        date: Option<Date>,
    }

    #[derive(Debug, Deserialize)]
    struct Choice {
        language: crate::i18n::Lang,
    }

    fn err(v: Value) -> (String, &'static str) {
        let e = parse::<Req>(&v).unwrap_err();
        (e.field().unwrap_or_default().to_string(), e.message_key())
    }

    #[test]
    fn refusals_keep_their_keys_and_paths() {
        assert_eq!(err(json!({})), ("customerId".into(), "error.required"));
        assert_eq!(
            err(json!({"customerId": null})),
            ("customerId".into(), "error.required")
        );
        assert_eq!(
            err(json!({"customerId": 0})),
            ("customerId".into(), "error.badId")
        );
        assert_eq!(
            err(json!({"customerId": "x"})),
            ("customerId".into(), "error.notAnInteger")
        );
        assert_eq!(
            err(json!({"customerId": 1, "note": 5})),
            ("note".into(), "error.notText")
        );
        assert_eq!(
            err(json!({"customerId": 1, "note": "a\u{202e}b"})),
            ("note".into(), "error.directionCharacters")
        );
        assert_eq!(
            err(json!({"customerId": 1, "flag": "yes"})),
            ("flag".into(), "error.notBoolean")
        );
        assert_eq!(
            err(json!({"customerId": 1, "date": "2026-02-30"})),
            ("date".into(), "error.badDate")
        );
        assert_eq!(
            err(json!({"customerId": 1, "lines": {}})),
            ("lines".into(), "error.notAList")
        );
        assert_eq!(
            err(json!({"customerId": 1, "lines": [1]})),
            ("lines[0]".into(), "error.argsNotObject")
        );
        let line = json!({"description": "x", "unitPrice": "1"});
        assert_eq!(
            err(json!({"customerId": 1, "lines": [line, line, line, line]})),
            ("lines".into(), "error.tooMany")
        );
        assert_eq!(
            err(json!({"customerId": 1, "lines": [line, {"description": "y"}]})),
            ("lines[1].unitPrice".into(), "error.required")
        );
        assert_eq!(
            err(json!({"customerId": 1, "lines": [line, {"description": "y", "unitPrice": 1.5}]})),
            ("lines[1].unitPrice".into(), "error.notANumber")
        );
        assert_eq!(
            err(
                json!({"customerId": 1, "lines": [{"description": "y", "unitPrice": "1.1234567"}]})
            ),
            ("lines[0].unitPrice".into(), "error.tooManyDecimals.6")
        );
        assert_eq!(
            err(json!({"customerId": 1, "lines": [{"description": "y", "unitPrice": "-1"}]})),
            ("lines[0].unitPrice".into(), "error.negative")
        );
        assert_eq!(
            err(
                json!({"customerId": 1, "lines": [{"description": " \u{200b} ", "unitPrice": "1"}]})
            ),
            ("lines[0].description".into(), "error.required")
        );
        assert_eq!(err(json!([1])), ("args".into(), "error.argsNotObject"));
        let choice = |v: Value| {
            parse::<Choice>(&json!({ "language": v }))
                .map(|c| c.language)
                .map_err(|e| (e.field().unwrap_or_default().to_string(), e.message_key()))
        };
        assert_eq!(choice(json!(" kk\u{200b}")), Ok(crate::i18n::Lang::Kk));
        assert_eq!(
            choice(json!("de")),
            Err(("language".into(), "error.badChoice"))
        );
        assert_eq!(
            choice(json!(5)),
            Err(("language".into(), "error.badChoice"))
        );
    }

    #[test]
    fn absent_blank_and_null_are_the_same() {
        let r: Req = parse(&json!({"customerId": "7", "note": "  ", "date": "", "lines": [{"description": " Ремонт ", "unitPrice": "1 234,50"}]})).unwrap();
        assert_eq!(r.customer_id, Id(7));
        assert!(r.note.is_none() && r.date.is_none());
        assert_eq!(r.lines[0].description.as_str(), "Ремонт");
        assert_eq!(r.lines[0].unit_price.0.to_string(), "1234.5");
    }
}
