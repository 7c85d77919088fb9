//! Correcting issued invoices: credit notes (their own gapless series, reversing the invoice's
//! postings proportionally) and write-offs of bad debts.

use super::items::{self, OpenItem};
use super::payments::{insert_settlement, tax_share};
use super::{now_stamp, parse_stored_date, Ctx};
use crate::args::{Args, MAX_TEXT};
use crate::calc::{self, LineInput};
use crate::error::{Error, Result};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::Currency;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn open_invoice(conn: &Connection, invoice_id: i64, date: chrono::NaiveDate, field: &str) -> Result<OpenItem> {
    let row: Option<(i64, String, Option<String>)> = conn
        .query_row("SELECT customer_id, status, issue_date FROM invoices WHERE id = ?1", [invoice_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (customer_id, status, issue_date) = row.ok_or_else(|| Error::not_found(field))?;
    if status != "issued" {
        return Err(Error::Conflict { key: "error.notIssued", field: Some(field.into()) });
    }
    if parse_stored_date(issue_date.as_deref().unwrap_or_default())? > date {
        return Err(Error::invalid("date", "error.beforeIssueDate"));
    }
    items::settleable(conn, customer_id, date)?
        .into_iter()
        .find(|i| i.item_type == "invoice" && i.item_id == invoice_id)
        .ok_or(Error::Conflict { key: "error.invoiceSettled", field: Some(field.into()) })
}

/// `create_credit_note {invoiceId, reason, date?, amount? | lines?: [{lineId, quantity}]}`:
/// without amount or lines it credits everything still open.
pub fn create_credit_note(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let invoice_id = args.id("invoiceId")?;
    let reason = args.string("reason", MAX_TEXT)?;
    let date = args.opt_date("date")?.unwrap_or(ctx.today);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let line_args = args.list("lines", 1000)?;
    let tx = ctx.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let item = open_invoice(&tx, invoice_id, date, "invoiceId")?;
    let cur = Currency::stored(&item.currency)?;
    let (include_tax, disc): (i64, String) =
        tx.query_row("SELECT prices_include_tax, discount_percent FROM invoices WHERE id = ?1", [invoice_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    // The amount credited and the tax in it, per rate.
    let (total, tax_postings, tax_total, lines_json) = if !line_args.is_empty() {
        let mut inputs = Vec::new();
        let mut chosen = Vec::new();
        for l in &line_args {
            let line_id = l.id("lineId")?;
            let row: Option<(String, String, crate::money::UnitPrice, String, String)> = tx
                .query_row(
                    "SELECT description, quantity, unit_price_minor, discount_percent, tax_rate, unit_price_scale FROM invoice_lines WHERE id = ?1 AND invoice_id = ?2",
                    params![line_id, invoice_id],
                    |r| Ok((r.get(0)?, r.get(1)?, crate::money::UnitPrice::stored(r.get(2)?, r.get(5)?), r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let (desc, qty, price, ldisc, rate) = row.ok_or_else(|| Error::not_found(l.field("lineId")))?;
            let qty = Decimal::from_str(&qty).map_err(|e| Error::Internal(e.to_string()))?;
            let q = l.opt_decimal_in("quantity", Decimal::ZERO, qty, crate::money::MAX_PRICE_DECIMALS)?.unwrap_or(qty);
            if q.is_zero() {
                return Err(Error::invalid(l.field("quantity"), "error.zero"));
            }
            inputs.push(LineInput {
                quantity: q,
                unit_price: price.value(cur),
                discount_percent: Decimal::from_str(&ldisc).unwrap_or_default(),
                tax_rate: Decimal::from_str(&rate).unwrap_or_default(),
            });
            chosen.push(json!({"lineId": line_id, "description": desc, "quantity": q.normalize().to_string()}));
        }
        let t = calc::compute(cur, &inputs, Decimal::from_str(&disc).unwrap_or_default(), include_tax != 0)?;
        let postings: Vec<Posting> = t
            .rates
            .iter()
            .filter(|r| r.tax_minor != 0)
            .map(|r| Posting::new(Account::TaxPayable, cur.code, r.tax_minor).tax_rate(r.rate.normalize().to_string()))
            .collect();
        (t.total_minor, postings, t.tax_minor, serde_json::to_string(&chosen).unwrap_or_default())
    } else {
        let amount = match args.opt_amount("amount", false)? {
            Some(a) => cur.to_minor(a, "amount")?,
            None => item.open_minor,
        };
        let (postings, tax) = tax_share(&tx, invoice_id, cur.code, amount, item.total_minor)?;
        (amount, postings, tax, "[]".to_string())
    };
    if total <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    if total > item.open_minor {
        return Err(Error::invalid(if line_args.is_empty() { "amount" } else { "lines" }, "error.creditTooLarge"));
    }
    let taken = super::series::Series::get("credit_note").expect("the credit note series").take(&tx, date, "date")?;
    let number = taken.number.clone();
    let mut postings = tax_postings;
    postings.push(Posting::new(Account::Sales, cur.code, total - tax_total));
    postings.push(Posting::new(Account::Receivables, cur.code, -total).customer(item.customer_id));
    let entry = JournalEntry::new(date, "credit_note", format!("Credit note {number} for {}", item.label), Some(("invoice", invoice_id)), postings)?;
    let now = now_stamp();
    let entry_id = ledger::post(&tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO credit_notes (invoice_id, customer_id, series, seq, number, issue_date, reason, currency, net_minor, tax_minor, total_minor, lines_json, entry_id, created_at, series_year)
         VALUES (?1, ?2, 'credit_note', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![invoice_id, item.customer_id, taken.seq, number, date.to_string(), reason, cur.code, total - tax_total, tax_total, total, lines_json, entry_id, now, taken.year],
    )?;
    let id = tx.last_insert_rowid();
    insert_settlement(&tx, &item, "credit_note", id, date, total, entry_id, &now)?;
    taken.advance(&tx)?;
    tx.commit()?;
    credit_note_json(ctx.conn, id)
}

pub fn credit_note_json(conn: &Connection, id: i64) -> Result<Value> {
    conn.query_row(
        "SELECT cn.id, cn.number, cn.issue_date, cn.reason, cn.currency, cn.net_minor, cn.tax_minor, cn.total_minor, cn.invoice_id, i.number, cn.customer_id, cn.lines_json
         FROM credit_notes cn JOIN invoices i ON i.id = cn.invoice_id WHERE cn.id = ?1",
        [id],
        |r| {
            let cur: String = r.get(4)?;
            let c = Currency::stored(&cur).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "number": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?, "reason": r.get::<_, String>(3)?,
                "currency": cur, "net": c.format_minor(r.get(5)?), "tax": c.format_minor(r.get(6)?), "total": c.format_minor(r.get(7)?),
                "invoiceId": r.get::<_, i64>(8)?, "invoiceNumber": r.get::<_, String>(9)?, "customerId": r.get::<_, i64>(10)?,
                "lines": serde_json::from_str::<Value>(&r.get::<_, String>(11)?).unwrap_or(Value::Null),
            }))
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("id"))
}

/// `get_credit_note {id}`.
pub fn get_credit_note(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    credit_note_json(ctx.conn, args.id("id")?)
}

/// `write_off {invoiceId, reason, date?, amount?}`: gives up on (part of) a debt: Dr Bad debts,
/// Cr Receivables. Tax is not reclaimed here (that depends on the jurisdiction).
pub fn write_off(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let invoice_id = args.id("invoiceId")?;
    let reason = args.string("reason", MAX_TEXT)?;
    let date = args.opt_date("date")?.unwrap_or(ctx.today);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let tx = ctx.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let item = open_invoice(&tx, invoice_id, date, "invoiceId")?;
    let cur = Currency::stored(&item.currency)?;
    let amount = match args.opt_amount("amount", false)? {
        Some(a) => cur.to_minor(a, "amount")?,
        None => item.open_minor,
    };
    if amount <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    if amount > item.open_minor {
        return Err(Error::invalid("amount", "error.allocationOverOpen"));
    }
    let entry = JournalEntry::new(
        date,
        "write_off",
        format!("Write-off {}: {reason}", item.label),
        Some(("invoice", invoice_id)),
        vec![Posting::new(Account::BadDebts, cur.code, amount), Posting::new(Account::Receivables, cur.code, -amount).customer(item.customer_id)],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(&tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO write_offs (item_type, item_id, customer_id, written_on, reason, amount_minor, entry_id, created_at) VALUES ('invoice', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![invoice_id, item.customer_id, date.to_string(), reason, amount, entry_id, now],
    )?;
    let id = tx.last_insert_rowid();
    insert_settlement(&tx, &item, "write_off", id, date, amount, entry_id, &now)?;
    tx.commit()?;
    Ok(
        json!({"id": id, "invoiceId": invoice_id, "amount": cur.format_minor(amount), "currency": cur.code, "openLeft": cur.format_minor(item.open_minor - amount)}),
    )
}
