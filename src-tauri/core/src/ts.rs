//! TypeScript declarations of the commands' requests, from their types: `ui/commands.d.ts`,
//! which `tsc --checkJs` reads to check every call in `ui/api.js` (the UI stays plain JS).

use crate::shape::choices;
use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};

/// One command as the declarations show it.
pub struct Declared<'a> {
    pub name: &'a str,
    pub summary: &'a str,
    /// The request's schema; `None` declares a request of any fields.
    pub request: Option<RootSchema>,
}

/// The whole declaration file.
pub fn declarations(commands: &[Declared]) -> String {
    let mut out = String::from(
        "// Generated from the commands' request types (Rust: esep_core::req, api::COMMANDS and the\n\
         // shell's commands); `ESEP_BLESS=1 cargo test --test surface` rewrites it. Do not edit.\n\n\
         /** Each command's arguments, by command name. */\nexport interface Requests {\n",
    );
    for c in commands {
        let body = match &c.request {
            Some(root) => object(&root.schema, 2),
            None => "Record<string, unknown>".to_string(),
        };
        out.push_str(&format!(
            "  /** {} */\n  {}: {};\n",
            c.summary.replace("*/", "* /"),
            c.name,
            body
        ));
    }
    out.push_str("}\n");
    out
}

fn indent(n: usize) -> String {
    " ".repeat(n)
}

fn object(o: &SchemaObject, depth: usize) -> String {
    let Some(obj) = &o.object else {
        return "Record<string, never>".into();
    };
    if obj.properties.is_empty() {
        return match &obj.additional_properties {
            Some(extra) => format!("Record<string, {}>", type_of(extra, depth)),
            None => "Record<string, never>".into(),
        };
    }
    let mut s = String::from("{\n");
    for (name, prop) in &obj.properties {
        let optional = if obj.required.contains(name) { "" } else { "?" };
        if let Some(doc) = description(prop) {
            s.push_str(&format!(
                "{}/** {} */\n",
                indent(depth + 2),
                doc.replace("*/", "* /").replace('\n', " ")
            ));
        }
        s.push_str(&format!(
            "{}{name}{optional}: {};\n",
            indent(depth + 2),
            type_of(prop, depth + 2)
        ));
    }
    s.push_str(&indent(depth));
    s.push('}');
    s
}

fn description(s: &Schema) -> Option<String> {
    match s {
        Schema::Object(o) => o.metadata.as_ref().and_then(|m| m.description.clone()),
        Schema::Bool(_) => None,
    }
}

fn type_of(s: &Schema, depth: usize) -> String {
    let Schema::Object(o) = s else {
        return "unknown".into();
    };
    if let Some(values) = choices(o) {
        return values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(" | ");
    }
    if o.format.as_deref() == Some("decimal") {
        // Decimals travel as strings; a JSON integer is accepted too.
        return "string | number".into();
    }
    match &o.instance_type {
        Some(SingleOrVec::Single(t)) => match **t {
            InstanceType::String => "string".into(),
            InstanceType::Integer | InstanceType::Number => "number".into(),
            InstanceType::Boolean => "boolean".into(),
            InstanceType::Null => "null".into(),
            InstanceType::Array => match o.array.as_ref().and_then(|a| a.items.as_ref()) {
                Some(SingleOrVec::Single(item)) => format!("Array<{}>", type_of(item, depth)),
                _ => "unknown[]".into(),
            },
            InstanceType::Object => object(o, depth),
        },
        _ => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_as_a_typescript_object() {
        let c = crate::api::find("record_charge").unwrap();
        let d = declarations(&[Declared {
            name: c.name,
            summary: c.summary,
            request: Some(c.request_schema()),
        }]);
        assert!(
            d.contains("  record_charge: {\n    customerId: number;\n    serviceDate: string;\n"),
            "{d}"
        );
        assert!(d.contains("    quantity?: string | number;\n"), "{d}");
        assert!(d.contains("    unit?: string;\n"), "{d}");
    }
}
