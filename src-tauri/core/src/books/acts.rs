//! Acts of completed works (АВР, form Р-1): what a Kazakh business customer books a service
//! against. Made from an issued invoice, numbered in their own gapless series, and frozen when
//! made: the parties and the lines are stored with the act, so a later change of the profile,
//! the customer or the prices never changes an act already signed. An act posts nothing (the
//! invoice did).

use super::series::Series;
use super::{customers, invoices, now_stamp, profile, Ctx};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

/// The act's languages: Kazakh, Russian, or both on one form.
pub const LANGUAGES: &[&str] = &["kk", "ru", "kk+ru"];

fn series() -> Series {
    Series::get("act").expect("the act series is listed")
}

/// `create_act {invoiceId, date?, language?: kk|ru|kk+ru}`: the act for an issued invoice,
/// dated `date` (default: the invoice's date; never in the future), in the customer's language
/// when it is kk or ru (else Russian). One act per invoice.
pub fn create(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let invoice_id = args.id("invoiceId")?;
    let inv = invoices::load(ctx, invoice_id, "invoiceId")?;
    if inv["number"].is_null() || inv["status"] == "draft" {
        return Err(Error::Conflict { key: "error.notIssued", field: Some("invoiceId".into()) });
    }
    let existing: Option<i64> = ctx.conn.query_row("SELECT id FROM acts WHERE invoice_id = ?1", [invoice_id], |r| r.get(0)).optional()?;
    if existing.is_some() {
        return Err(Error::Conflict { key: "error.actExists", field: Some("invoiceId".into()) });
    }
    let issue = super::parse_stored_date(inv["issueDate"].as_str().unwrap_or(""))?;
    let date = args.opt_date("date")?.unwrap_or(issue);
    if date > ctx.today {
        return Err(Error::invalid(args.field("date"), "error.inFuture"));
    }
    let customer_id = inv["customerId"].as_i64().unwrap_or(0);
    let c = customers::info(ctx.conn, customer_id, "invoiceId")?;
    let seller = profile::require(ctx.conn)?;
    let language = match args.opt_choice("language", LANGUAGES)? {
        Some(l) => l,
        None => match c.language.unwrap_or(seller.language) {
            Lang::Kk => "kk",
            _ => "ru",
        },
    };
    // The lines with the date each service was done (its recorded service date, else the
    // invoice's service period or date).
    let fallback = inv["serviceTo"].as_str().or(inv["issueDate"].as_str()).unwrap_or("").to_string();
    let mut lines = Vec::new();
    for l in inv["lines"].as_array().map(|v| v.as_slice()).unwrap_or(&[]) {
        let done: Option<String> = match l["chargeId"].as_i64() {
            Some(cid) => ctx.conn.query_row("SELECT service_date FROM charges WHERE id = ?1", [cid], |r| r.get(0)).optional()?,
            None => None,
        };
        lines.push(json!({
            "description": l["description"], "date": done.unwrap_or_else(|| fallback.clone()), "unit": l["unit"],
            "quantity": l["quantity"], "unitPrice": l["unitPrice"], "amount": l["amount"],
        }));
    }
    let content = json!({
        "invoiceNumber": inv["number"], "currency": inv["currency"], "total": inv["totals"]["total"],
        "seller": {
            "name": seller.name, "bin": seller.bin, "address": seller.address, "phone": seller.phone,
            "signerName": seller.signer_name, "signerPosition": seller.signer_position,
        },
        "customer": {
            "name": c.name, "taxId": c.tax_id, "address": c.address, "contractNumber": c.contract_number, "contractDate": c.contract_date,
        },
        "lines": lines,
    });
    let tx = ctx.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let taken = series().take(&tx, date, "date")?;
    tx.execute(
        "INSERT INTO acts (series, series_year, seq, number, issue_date, invoice_id, customer_id, language, content, created_at)
         VALUES ('act', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![taken.year, taken.seq, taken.number, date.to_string(), invoice_id, customer_id, language, content.to_string(), now_stamp()],
    )?;
    let id = tx.last_insert_rowid();
    taken.advance(&tx)?;
    tx.commit()?;
    load(ctx.conn, id, "id")
}

/// An act as stored: number, date, invoice, customer, language and its frozen content.
pub fn load(conn: &rusqlite::Connection, id: i64, field: &str) -> Result<Value> {
    conn.query_row("SELECT id, number, issue_date, invoice_id, customer_id, language, content FROM acts WHERE id = ?1", [id], |r| {
        let content: String = r.get(6)?;
        Ok(json!({
            "id": r.get::<_, i64>(0)?, "number": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?, "invoiceId": r.get::<_, i64>(3)?,
            "customerId": r.get::<_, i64>(4)?, "language": r.get::<_, String>(5)?,
            "content": serde_json::from_str::<Value>(&content).map_err(|e| rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, Box::new(e)))?,
        }))
    })
    .optional()?
    .ok_or_else(|| Error::not_found(field))
}

/// `get_act {id}`.
pub fn get(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    load(ctx.conn, args.id("id")?, "id")
}

/// `list_acts {invoiceId}`: the acts made for an invoice (one at most), without their content.
pub fn list(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let invoice_id = args.id("invoiceId")?;
    super::must_exist(ctx.conn, "invoices", invoice_id, "invoiceId")?;
    let mut stmt = ctx.conn.prepare_cached("SELECT id, number, issue_date, language FROM acts WHERE invoice_id = ?1 ORDER BY id")?;
    let rows = stmt
        .query_map([invoice_id], |r| {
            Ok(json!({"id": r.get::<_, i64>(0)?, "number": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?, "language": r.get::<_, String>(3)?}))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Value::Array(rows))
}
