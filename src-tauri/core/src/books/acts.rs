//! Acts of completed works (АВР, form Р-1): what a Kazakh business customer books a service
//! against. Made from an issued invoice or a selection of one customer's services, numbered in their own gapless series, and frozen when
//! made: the parties and the lines are stored with the act, so a later change of the profile,
//! the customer or the prices never changes an act already signed. An act posts nothing (the
//! invoice did).

use super::series::Series;
use super::{charges, customers, invoices, now_stamp, profile, Ctx};
use crate::args::Args;
use crate::calc;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// The act's languages: Kazakh, Russian, or both on one form.
pub const LANGUAGES: &[&str] = &["kk", "ru", "kk+ru"];

fn series() -> Series {
    Series::get("act").expect("the act series is listed")
}

/// `create_act {invoiceId, date?, language?}` or `create_act {customerId, chargeIds, date?,
/// language?}`: the act for an issued invoice (dated as the invoice by default), or for a
/// selection of one customer's recorded services, billed or not (dated by default on the last
/// service's date); by default never dated before the last act. Never dated in the future nor before a service it covers; in the customer's
/// language when it is kk or ru (else Russian). One act per invoice; a service on one act at most.
pub fn create(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let (source, default_date) = match args.opt_id("invoiceId")? {
        Some(invoice_id) => {
            if args.has("chargeIds") {
                return Err(Error::invalid(args.field("chargeIds"), "error.actOneSource"));
            }
            from_invoice(ctx, invoice_id)?
        }
        None => from_services(ctx, args)?,
    };
    // Numbers follow dates: by default never before the last act (an act for an older invoice
    // made after a newer one's is dated with it, not refused).
    let last_act: Option<String> = ctx.conn.query_row("SELECT MAX(issue_date) FROM acts", [], |r| r.get(0))?;
    let default_date = match last_act {
        Some(d) => default_date.max(super::parse_stored_date(&d)?),
        None => default_date,
    };
    let date = args.opt_date("date")?.unwrap_or(default_date);
    if date > ctx.today {
        return Err(Error::invalid(args.field("date"), "error.inFuture"));
    }
    if source.lines.iter().any(|l| l.date > date) {
        return Err(Error::invalid(args.field("date"), "error.actBeforeService"));
    }
    let c = customers::info(ctx.conn, source.customer_id, "customerId")?;
    let seller = profile::require(ctx.conn)?;
    let language = match args.opt_choice("language", LANGUAGES)? {
        Some(l) => l,
        None => match c.language.unwrap_or(seller.language) {
            Lang::Kk => "kk",
            _ => "ru",
        },
    };
    let lines: Vec<Value> = source
        .lines
        .iter()
        .map(|l| {
            json!({"description": l.description, "date": l.date.to_string(), "unit": l.unit, "quantity": l.quantity, "unitPrice": l.unit_price, "amount": l.amount})
        })
        .collect();
    let content = json!({
        "invoiceNumber": source.invoice_number, "currency": source.currency, "total": source.total,
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
        params![taken.year, taken.seq, taken.number, date.to_string(), source.invoice_id, source.customer_id, language, content.to_string(), now_stamp()],
    )?;
    let id = tx.last_insert_rowid();
    for cid in source.lines.iter().filter_map(|l| l.charge_id) {
        tx.execute("INSERT INTO act_charges (act_id, charge_id) VALUES (?1, ?2)", [id, cid])?;
    }
    taken.advance(&tx)?;
    tx.commit()?;
    load(ctx.conn, id, "id")
}

/// What an act is made from: its invoice (if any), customer and lines.
struct Source {
    invoice_id: Option<i64>,
    invoice_number: Option<String>,
    customer_id: i64,
    currency: String,
    total: String,
    lines: Vec<ActLine>,
}

struct ActLine {
    charge_id: Option<i64>,
    description: String,
    /// When the work was done.
    date: NaiveDate,
    unit: String,
    quantity: String,
    unit_price: String,
    amount: String,
}

fn service_date(conn: &rusqlite::Connection, charge_id: i64) -> Result<Option<NaiveDate>> {
    let d: Option<String> = conn.query_row("SELECT service_date FROM charges WHERE id = ?1", [charge_id], |r| r.get(0)).optional()?;
    d.map(|d| super::parse_stored_date(&d)).transpose()
}

/// The lines of an issued invoice, each dated when its service was done (its recorded service
/// date, else the invoice's service period's end or its date).
fn from_invoice(ctx: &mut Ctx, invoice_id: i64) -> Result<(Source, NaiveDate)> {
    let inv = invoices::load(ctx, invoice_id, "invoiceId")?;
    if inv["number"].is_null() || inv["status"] == "draft" {
        return Err(Error::Conflict { key: "error.notIssued", field: Some("invoiceId".into()) });
    }
    let existing: Option<i64> = ctx.conn.query_row("SELECT id FROM acts WHERE invoice_id = ?1", [invoice_id], |r| r.get(0)).optional()?;
    if existing.is_some() {
        return Err(Error::Conflict { key: "error.actExists", field: Some("invoiceId".into()) });
    }
    let issue = super::parse_stored_date(inv["issueDate"].as_str().unwrap_or(""))?;
    let fallback = match inv["serviceTo"].as_str() {
        Some(d) => super::parse_stored_date(d)?.min(issue),
        None => issue,
    };
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut lines = Vec::new();
    for l in inv["lines"].as_array().map(|v| v.as_slice()).unwrap_or(&[]) {
        let charge_id = l["chargeId"].as_i64();
        let mut date = None;
        if let Some(cid) = charge_id {
            if charges::on_an_act(ctx.conn, cid)? {
                return Err(Error::Conflict { key: "error.chargeOnAct", field: Some("invoiceId".into()) });
            }
            date = service_date(ctx.conn, cid)?;
        }
        lines.push(ActLine {
            charge_id,
            description: text(&l["description"]),
            date: date.unwrap_or(fallback),
            unit: text(&l["unit"]),
            quantity: text(&l["quantity"]),
            unit_price: text(&l["unitPrice"]),
            amount: text(&l["amount"]),
        });
    }
    let source = Source {
        invoice_id: Some(invoice_id),
        invoice_number: inv["number"].as_str().map(String::from),
        customer_id: inv["customerId"].as_i64().unwrap_or(0),
        currency: text(&inv["currency"]),
        total: text(&inv["totals"]["total"]),
        lines,
    };
    Ok((source, issue))
}

/// A selection of one customer's recorded services, priced as an invoice would price them
/// (the same arithmetic, the profile's tax-inclusive setting), in their recorded order.
fn from_services(ctx: &mut Ctx, args: &Args) -> Result<(Source, NaiveDate)> {
    let customer_id = args.id("customerId")?;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let ids = args.ids("chargeIds", invoices::MAX_LINES)?;
    if ids.is_empty() {
        return Err(Error::invalid(args.field("chargeIds"), "error.required"));
    }
    let mut lines = Vec::new();
    let mut inputs = Vec::new();
    for (i, cid) in ids.iter().enumerate() {
        let field = format!("chargeIds[{i}]");
        if ids[..i].contains(cid) {
            return Err(Error::invalid(field, "error.duplicate"));
        }
        let (description, quantity, unit, price, rate) = charges::read_for_act(ctx.conn, *cid, customer_id, &field)?;
        if charges::on_an_act(ctx.conn, *cid)? {
            return Err(Error::Conflict { key: "error.chargeOnAct", field: Some(field) });
        }
        let date = service_date(ctx.conn, *cid)?.ok_or_else(|| Error::not_found(field.clone()))?;
        inputs.push(calc::LineInput { quantity, unit_price: price.value(c.currency), discount_percent: Decimal::ZERO, tax_rate: rate });
        lines.push(ActLine {
            charge_id: Some(*cid),
            description,
            date,
            unit,
            quantity: quantity.normalize().to_string(),
            unit_price: price.format(c.currency),
            amount: String::new(),
        });
    }
    let include_tax = profile::load(ctx.conn)?.map(|p| p.prices_include_tax).unwrap_or(false);
    let totals = calc::compute(c.currency, &inputs, Decimal::ZERO, include_tax)?;
    for (l, minor) in lines.iter_mut().zip(&totals.line_amounts) {
        l.amount = c.currency.format_minor(*minor);
    }
    let last = lines.iter().map(|l| l.date).max().unwrap_or(ctx.today);
    let source = Source {
        invoice_id: None,
        invoice_number: None,
        customer_id,
        currency: c.currency.code.to_string(),
        total: c.currency.format_minor(totals.total_minor),
        lines,
    };
    Ok((source, last))
}

/// An act as stored: number, date, invoice, customer, language and its frozen content.
pub fn load(conn: &rusqlite::Connection, id: i64, field: &str) -> Result<Value> {
    conn.query_row("SELECT id, number, issue_date, invoice_id, customer_id, language, content FROM acts WHERE id = ?1", [id], |r| {
        let content: String = r.get(6)?;
        Ok(json!({
            "id": r.get::<_, i64>(0)?, "number": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?, "invoiceId": r.get::<_, Option<i64>>(3)?,
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

/// `list_acts {invoiceId} | {customerId}`: the acts made for an invoice (one at most) or for a
/// customer, newest first, without their content, each with its sending log.
pub fn list(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let (column, id) = match args.opt_id("invoiceId")? {
        Some(id) => {
            super::must_exist(ctx.conn, "invoices", id, "invoiceId")?;
            ("invoice_id", id)
        }
        None => {
            let id = args.id("customerId")?;
            super::must_exist(ctx.conn, "customers", id, "customerId")?;
            ("customer_id", id)
        }
    };
    let sql = format!(
        "SELECT a.id, a.number, a.issue_date, a.language, a.invoice_id, i.number FROM acts a LEFT JOIN invoices i ON i.id = a.invoice_id
         WHERE a.{column} = ?1 ORDER BY a.issue_date DESC, a.id DESC"
    );
    let mut stmt = ctx.conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let act_id: i64 = r.get(0)?;
        out.push(json!({
            "id": act_id, "number": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?, "language": r.get::<_, String>(3)?,
            "invoiceId": r.get::<_, Option<i64>>(4)?, "invoiceNumber": r.get::<_, Option<String>>(5)?, "sends": sends(ctx.conn, act_id)?,
        }));
    }
    Ok(Value::Array(out))
}

fn sends(conn: &rusqlite::Connection, act_id: i64) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached("SELECT id, kind, sent_on, note FROM act_sends WHERE act_id = ?1 ORDER BY sent_on, id")?;
    let rows = stmt
        .query_map([act_id], |r| {
            Ok(json!({"id": r.get::<_, i64>(0)?, "kind": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?, "note": r.get::<_, String>(3)?}))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How an act leaves the shop, or that its signed copy came back.
pub const SEND_KINDS: &[&str] = &["post", "email", "pdf", "signed"];

/// `record_act_sending {actId, kind: post|email|pdf|signed, date?=today, note?}`: logs that the
/// act left the shop (its two copies: one for each side) or that the customer's signed copy came
/// back. Never before the act's date nor in the future.
pub fn record_sending(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let act_id = args.id("actId")?;
    let kind = args.opt_choice("kind", SEND_KINDS)?.ok_or_else(|| Error::invalid("kind", "error.required"))?;
    let date = args.opt_date("date")?.unwrap_or(ctx.today);
    let note = args.text("note", 500)?;
    let made: Option<String> = ctx.conn.query_row("SELECT issue_date FROM acts WHERE id = ?1", [act_id], |r| r.get(0)).optional()?;
    let made = super::parse_stored_date(&made.ok_or_else(|| Error::not_found("actId"))?)?;
    if date < made {
        return Err(Error::invalid("date", "error.beforeIssueDate"));
    }
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    ctx.conn.execute(
        "INSERT INTO act_sends (act_id, kind, sent_on, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![act_id, kind, date.to_string(), note, now_stamp()],
    )?;
    let mut a = load(ctx.conn, act_id, "actId")?;
    a["sends"] = Value::Array(sends(ctx.conn, act_id)?);
    Ok(a)
}

/// The acts not yet handed over (no post or email sending, no signed copy back), oldest first:
/// what the "to send" screen offers to print in one batch.
pub fn unsent(conn: &rusqlite::Connection) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.number, a.issue_date, a.customer_id, c.name, i.number, a.invoice_id FROM acts a JOIN customers c ON c.id = a.customer_id
         LEFT JOIN invoices i ON i.id = a.invoice_id
         WHERE NOT EXISTS (SELECT 1 FROM act_sends s WHERE s.act_id = a.id AND s.kind IN ('post', 'email', 'signed'))
         ORDER BY a.issue_date, a.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "number": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?,
                "customerId": r.get::<_, i64>(3)?, "customerName": r.get::<_, String>(4)?, "invoiceNumber": r.get::<_, Option<String>>(5)?,
                "invoiceId": r.get::<_, Option<i64>>(6)?,
            }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
