//! The argument names each command takes, read from its documented shape (the `args` string
//! of the command table, which `esep-cli commands` prints and the fuzzers read): a field the
//! command does not know is refused before it runs, naming the field (`taxrate`,
//! `lines[2].taxrate`), so a misspelt argument never silently falls back to a default.
//!
//! The shape grammar, as written in `api.rs`: `{name, optional?, withDefault?=1, choice: a|b,
//! list?: [{...}], map?: {key: value}, ...other_command}`; `same as other_command`.

use crate::error::{Error, Result};
use schemars::schema::{RootSchema, Schema, SchemaObject, SingleOrVec};
use serde_json::Value;

/// The names an object may carry; `None` for a free map (any names).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    /// Each known name and, for a list of objects, the shape of its items.
    keys: Vec<(String, Option<Shape>)>,
    /// Other commands whose names are included (`...create_invoice`, `same as import_preview`).
    includes: Vec<String>,
    open: bool,
}

impl Shape {
    /// Parses a command's documented shape.
    pub fn parse(spec: &str) -> Shape {
        let spec = spec.trim();
        if let Some(other) = spec
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .and_then(|s| s.trim().strip_prefix("same as "))
        {
            return Shape {
                includes: vec![other.trim().to_string()],
                ..Shape::default()
            };
        }
        let inner = spec
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(spec);
        let mut shape = Shape::default();
        for item in split_top(inner) {
            let item = item.trim();
            if let Some(other) = item.strip_prefix("...") {
                shape.includes.push(other.trim().to_string());
                continue;
            }
            let name: String = item
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                // A piece of a choice such as `,|.` split at its comma.
                continue;
            }
            let rest = &item[name.len()..];
            let nested = if let Some(i) = rest.find("[{") {
                Some(Shape::parse(
                    &rest[i + 1..rest.rfind(']').unwrap_or(rest.len())],
                ))
            } else if rest.contains('{') {
                Some(Shape {
                    open: true,
                    ..Shape::default()
                })
            } else {
                None
            };
            shape.keys.push((name, nested));
        }
        shape
    }

    fn find<'s>(
        &'s self,
        name: &str,
        lookup: &dyn Fn(&str) -> Option<Shape>,
        depth: usize,
    ) -> Option<Option<Shape>> {
        if let Some((_, nested)) = self.keys.iter().find(|(k, _)| k == name) {
            return Some(nested.clone());
        }
        if depth > 4 {
            return None;
        }
        self.includes
            .iter()
            .filter_map(|c| lookup(c))
            .find_map(|s| s.find(name, lookup, depth + 1))
    }

    /// Refuses the first name in `args` (and in the objects of its lists) the shape does not
    /// know, with `error.unknownField` on its path. `lookup` gives other commands' shapes.
    pub fn check(&self, args: &Value, lookup: &dyn Fn(&str) -> Option<Shape>) -> Result<()> {
        self.check_at(args, "", lookup)
    }

    fn check_at(
        &self,
        value: &Value,
        prefix: &str,
        lookup: &dyn Fn(&str) -> Option<Shape>,
    ) -> Result<()> {
        let Value::Object(map) = value else {
            return Ok(());
        };
        if self.open {
            return Ok(());
        }
        for (name, v) in map {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            match self.find(name, lookup, 0) {
                None => return Err(Error::invalid(path, "error.unknownField")),
                Some(Some(nested)) => match v {
                    Value::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            nested.check_at(item, &format!("{path}[{i}]"), lookup)?;
                        }
                    }
                    other => nested.check_at(other, &path, lookup)?,
                },
                Some(None) => {}
            }
        }
        Ok(())
    }
}

/// A request type's JSON Schema as a documented shape (`{customerId, note?, kind: a|b,
/// lines?: [{…}], mapping?: {name: value}}`), the text `esep-cli commands` prints and the
/// fuzzers read.
pub fn render(root: &RootSchema) -> String {
    render_object(&root.schema)
}

fn render_object(o: &SchemaObject) -> String {
    let Some(obj) = &o.object else {
        return "{}".into();
    };
    let items: Vec<String> = obj
        .properties
        .iter()
        .map(|(name, s)| {
            let optional = if obj.required.contains(name) { "" } else { "?" };
            format!("{name}{optional}{}", render_value(s))
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// The choices of an enumeration (`enum`, or `oneOf` constants when its variants have docs).
pub fn choices(o: &SchemaObject) -> Option<Vec<String>> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    if let Some(values) = &o.enum_values {
        return Some(values.iter().filter_map(text).collect());
    }
    let one_of = o.subschemas.as_ref()?.one_of.as_ref()?;
    let mut out = Vec::new();
    for s in one_of {
        let Schema::Object(v) = s else { return None };
        match (&v.enum_values, &v.const_value) {
            (Some(values), _) => out.extend(values.iter().filter_map(text)),
            (None, Some(c)) => out.extend(text(c)),
            _ => return None,
        }
    }
    Some(out)
}

fn render_value(s: &Schema) -> String {
    let Schema::Object(o) = s else {
        return String::new();
    };
    if let Some(values) = choices(o) {
        return format!(": {}", values.join("|"));
    }
    if let Some(arr) = &o.array {
        if let Some(SingleOrVec::Single(item)) = &arr.items {
            if let Schema::Object(io) = &**item {
                if io
                    .object
                    .as_ref()
                    .is_some_and(|ob| !ob.properties.is_empty())
                {
                    return format!(": [{}]", render_object(io));
                }
            }
        }
        return String::new();
    }
    match &o.object {
        Some(ob) if ob.properties.is_empty() && ob.additional_properties.is_some() => {
            ": {name: value}".into()
        }
        Some(ob) if !ob.properties.is_empty() => format!(": {}", render_object(o)),
        _ => String::new(),
    }
}

/// Splits at the commas and bars that are not inside brackets or braces.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            ',' | '|' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn none(_: &str) -> Option<Shape> {
        None
    }

    #[test]
    fn a_misspelt_field_is_refused_by_its_path() {
        let s = Shape::parse(
            "{customerId, serviceDate, description, quantity?=1, unit?, unitPrice, taxRate?}",
        );
        assert!(s
            .check(&json!({"customerId": 1, "taxRate": "12"}), &none)
            .is_ok());
        let e = s
            .check(&json!({"customerId": 1, "taxrate": "12"}), &none)
            .unwrap_err();
        assert_eq!(
            (e.message_key(), e.field()),
            ("error.unknownField", Some("taxrate"))
        );
    }

    #[test]
    fn lists_of_objects_maps_choices_and_includes_are_understood() {
        let inv =
            Shape::parse("{customerId, lines?: [{chargeId?, description, quantity, unit?, unitPrice, discountPercent?, taxRate?}], chargeIds?, language?}");
        let lookup = |c: &str| (c == "create_invoice").then(|| inv.clone());
        let update = Shape::parse("{id, ...create_invoice}");
        assert!(update
            .check(
                &json!({"id": 1, "customerId": 2, "lines": [{"description": "x", "taxRate": "0"}]}),
                &lookup
            )
            .is_ok());
        let e = update.check(&json!({"id": 1, "lines": [{"description": "x"}, {"description": "y", "taxrate": "0"}]}), &lookup).unwrap_err();
        assert_eq!(e.field(), Some("lines[1].taxrate"));
        let import = Shape::parse("{kind: customers|charges, dataBase64, mapping?: {field: column}, delimiter?, decimalSeparator?: ,|., dateOrder?: dmy|mdy}");
        assert!(import.check(&json!({"kind": "customers", "dataBase64": "", "mapping": {"anything": "Name"}, "decimalSeparator": ","}), &none).is_ok());
        let alias = Shape::parse("{same as import_preview}");
        let lookup = |c: &str| (c == "import_preview").then(|| import.clone());
        assert!(alias
            .check(&json!({"kind": "charges", "dateOrder": "dmy"}), &lookup)
            .is_ok());
        assert!(alias.check(&json!({"kinds": "charges"}), &lookup).is_err());
        let credit =
            Shape::parse("{invoiceId, reason, date?, amount? | lines?: [{lineId, quantity?}]}");
        assert!(credit
            .check(
                &json!({"invoiceId": 1, "reason": "r", "lines": [{"lineId": 1}]}),
                &none
            )
            .is_ok());
        assert!(Shape::parse("{}").check(&json!({"x": 1}), &none).is_err());
    }
}
