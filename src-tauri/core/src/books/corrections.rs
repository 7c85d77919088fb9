//! Correcting issued invoices: credit notes (their own gapless series, reversing the invoice's
//! postings proportionally) and write-offs of bad debts.

use super::charges::Quantity;
use super::items::{self, OpenItem};
use super::payments::{insert_settlement, tax_share};
use super::{now_stamp, parse_stored_date, Ctx};
use crate::calc::{self, LineInput};
use crate::error::{Error, Result};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::Currency;
use crate::req::{Amount, ById, Date, Id, List, LongText};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::str::FromStr;

/// A stored decimal; one that does not parse is an error, never a zero.
fn stored_decimal(s: &str) -> Result<Decimal> {
    Decimal::from_str(s)
        .map_err(|_| Error::Internal(format!("a stored decimal does not parse: {s:?}")))
}

fn open_invoice(
    conn: &Connection,
    invoice_id: i64,
    date: chrono::NaiveDate,
    field: &str,
) -> Result<OpenItem> {
    let row: Option<(i64, String, Option<String>)> = conn
        .query_row(
            "SELECT customer_id, status, issue_date FROM invoices WHERE id = ?1",
            [invoice_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (customer_id, status, issue_date) = row.ok_or_else(|| Error::not_found(field))?;
    if status != "issued" {
        return Err(Error::Conflict {
            key: "error.notIssued",
            field: Some(field.into()),
        });
    }
    if parse_stored_date(issue_date.as_deref().unwrap_or_default())? > date {
        return Err(Error::invalid("date", "error.beforeIssueDate"));
    }
    items::settleable(conn, customer_id, date)?
        .into_iter()
        .find(|i| i.item_type == "invoice" && i.item_id == invoice_id)
        .ok_or(Error::Conflict {
            key: "error.invoiceSettled",
            field: Some(field.into()),
        })
}

/// A line of the invoice to credit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineInput {
    /// The invoice's line.
    pub line_id: Id,
    /// All of the line's quantity when left out; at most that.
    pub quantity: Option<Quantity>,
}

/// `create_credit_note`: credit (part of) an issued invoice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCreditNote {
    pub invoice_id: Id,
    pub reason: LongText,
    /// Today when left out; not in the future.
    pub date: Option<Date>,
    /// Everything still open when neither this nor `lines` is given.
    pub amount: Option<Amount>,
    /// Lines to credit (by quantity) instead of an amount.
    #[serde(default)]
    pub lines: List<CreditLineInput, 1000>,
}

/// A line a credit note credits, as it keeps it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditedLine {
    pub line_id: i64,
    pub description: String,
    pub quantity: String,
}

/// `create_credit_note {invoiceId, reason, date?, amount? | lines?: [{lineId, quantity}]}`:
/// without amount or lines it credits everything still open.
pub fn create_credit_note(ctx: &mut Ctx, req: CreateCreditNote) -> Result<CreditNoteView> {
    let invoice_id = req.invoice_id.0;
    let reason = req.reason.into_string();
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let line_args = req.lines.0;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let item = open_invoice(&tx, invoice_id, date, "invoiceId")?;
    let cur = Currency::stored(&item.currency)?;
    let (include_tax, disc): (i64, String) = tx.query_row(
        "SELECT prices_include_tax, discount_percent FROM invoices WHERE id = ?1",
        [invoice_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // The amount credited and the tax in it, per rate.
    let (total, tax_postings, tax_total, lines_json) = if !line_args.is_empty() {
        let mut inputs = Vec::new();
        let mut chosen = Vec::new();
        for (i, l) in line_args.iter().enumerate() {
            let line_id = l.line_id.0;
            let row: Option<(String, String, crate::money::UnitPrice, String, String)> = tx
                .query_row(
                    "SELECT description, quantity, unit_price_minor, discount_percent, tax_rate, unit_price_scale FROM invoice_lines WHERE id = ?1 AND invoice_id = ?2",
                    params![line_id, invoice_id],
                    |r| Ok((r.get(0)?, r.get(1)?, crate::money::UnitPrice::stored(r.get(2)?, r.get(5)?), r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let (desc, qty, price, ldisc, rate) =
                row.ok_or_else(|| Error::not_found(format!("lines[{i}].lineId")))?;
            let qty = stored_decimal(&qty)?;
            let q = l.quantity.map_or(qty, |q| q.0);
            if q > qty {
                return Err(Error::invalid(
                    format!("lines[{i}].quantity"),
                    "error.tooLarge",
                ));
            }
            if q.is_zero() {
                return Err(Error::invalid(format!("lines[{i}].quantity"), "error.zero"));
            }
            inputs.push(LineInput {
                quantity: q,
                unit_price: price.value(cur),
                discount_percent: stored_decimal(&ldisc)?,
                tax_rate: stored_decimal(&rate)?,
            });
            chosen.push(CreditedLine {
                line_id,
                description: desc,
                quantity: q.normalize().to_string(),
            });
        }
        let t = calc::compute(cur, &inputs, stored_decimal(&disc)?, include_tax != 0)?;
        let postings: Vec<Posting> = t
            .rates
            .iter()
            .filter(|r| r.tax_minor != 0)
            .map(|r| {
                Posting::new(Account::TaxPayable, cur.code, r.tax_minor)
                    .tax_rate(r.rate.normalize().to_string())
            })
            .collect();
        // Kept as the JSON text it always was (keys in order).
        (
            t.total_minor,
            postings,
            t.tax_minor,
            super::to_value(&chosen)?.to_string(),
        )
    } else {
        let amount = match req.amount {
            Some(a) => cur.to_minor(a.0, "amount")?,
            None => item.open_minor,
        };
        let (postings, tax) = tax_share(&tx, invoice_id, cur.code, amount, item.total_minor)?;
        (amount, postings, tax, "[]".to_string())
    };
    if total <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    if total > item.open_minor {
        return Err(Error::invalid(
            if line_args.is_empty() {
                "amount"
            } else {
                "lines"
            },
            "error.creditTooLarge",
        ));
    }
    let taken = super::series::Series::get("credit_note")
        .expect("the credit note series")
        .take(&tx, date, "date")?;
    let number = taken.number.clone();
    let mut postings = tax_postings;
    postings.push(Posting::new(Account::Sales, cur.code, total - tax_total));
    postings.push(Posting::new(Account::Receivables, cur.code, -total).customer(item.customer_id));
    let entry = JournalEntry::new(
        date,
        "credit_note",
        format!("Credit note {number} for {}", item.label),
        Some(("invoice", invoice_id)),
        postings,
    )?;
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
    credit_note(ctx.conn, id)
}

/// A credit note.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditNoteView {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub reason: String,
    pub currency: String,
    pub net: String,
    pub tax: String,
    pub total: String,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub customer_id: i64,
    /// The lines it credits (empty when it credits an amount; null if what is kept does not read).
    pub lines: Option<Vec<CreditedLine>>,
}

/// One credit note.
pub fn credit_note(conn: &Connection, id: i64) -> Result<CreditNoteView> {
    conn.query_row(
        "SELECT cn.id, cn.number, cn.issue_date, cn.reason, cn.currency, cn.net_minor, cn.tax_minor, cn.total_minor, cn.invoice_id, i.number, cn.customer_id, cn.lines_json
         FROM credit_notes cn JOIN invoices i ON i.id = cn.invoice_id WHERE cn.id = ?1",
        [id],
        |r| {
            let cur: String = r.get(4)?;
            let c = Currency::stored(&cur).map_err(|e| crate::sql::Error::ToSqlConversionFailure(Box::new(e)))?;
            Ok(CreditNoteView {
                id: r.get(0)?,
                number: r.get(1)?,
                date: r.get(2)?,
                reason: r.get(3)?,
                currency: cur,
                net: c.format_minor(r.get(5)?),
                tax: c.format_minor(r.get(6)?),
                total: c.format_minor(r.get(7)?),
                invoice_id: r.get(8)?,
                invoice_number: r.get(9)?,
                customer_id: r.get(10)?,
                lines: serde_json::from_str(&r.get::<_, String>(11)?).ok(),
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("id"))
}

/// One credit note as JSON (the documents read it so).
pub fn credit_note_json(conn: &Connection, id: i64) -> Result<Value> {
    super::to_value(&credit_note(conn, id)?)
}

/// `get_credit_note {id}`.
pub fn get_credit_note(ctx: &mut Ctx, req: ById) -> Result<CreditNoteView> {
    credit_note(ctx.conn, req.id.0)
}

/// `write_off`: give up on (part of) a debt.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WriteOff {
    pub invoice_id: Id,
    pub reason: LongText,
    /// Today when left out; not in the future.
    pub date: Option<Date>,
    /// Everything still open when left out.
    pub amount: Option<Amount>,
}

/// A write-off and what it leaves open.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteOffView {
    pub id: i64,
    pub invoice_id: i64,
    pub amount: String,
    pub currency: &'static str,
    pub open_left: String,
}

/// `write_off {invoiceId, reason, date?, amount?}`: gives up on (part of) a debt: Dr Bad debts,
/// Cr Receivables. Tax is not reclaimed here (that depends on the jurisdiction).
pub fn write_off(ctx: &mut Ctx, req: WriteOff) -> Result<WriteOffView> {
    let invoice_id = req.invoice_id.0;
    let reason = req.reason.into_string();
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let item = open_invoice(&tx, invoice_id, date, "invoiceId")?;
    let cur = Currency::stored(&item.currency)?;
    let amount = match req.amount {
        Some(a) => cur.to_minor(a.0, "amount")?,
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
        vec![
            Posting::new(Account::BadDebts, cur.code, amount),
            Posting::new(Account::Receivables, cur.code, -amount).customer(item.customer_id),
        ],
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
    Ok(WriteOffView {
        id,
        invoice_id,
        amount: cur.format_minor(amount),
        currency: cur.code,
        open_left: cur.format_minor(item.open_minor - amount),
    })
}
