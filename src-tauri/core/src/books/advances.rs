//! Advances received (#22): money paid before the work, against a prepayment request or not.
//! It is a liability per customer (Advances received, account 2150), not revenue, until it is
//! applied to the invoice for the work or paid back.
//!
//! Rules (pinned by tests in `tests/prepayments.rs`):
//! - Receiving: Dr Cash/Bank, Cr Advances received (the customer). Against a prepayment
//!   request: the customer's, and by default what the request still asks for.
//! - Applying: Dr Advances received, Cr Receivables, settling the invoice (a settlement of kind
//!   `advance`). Never more than the customer's advance nor than what the invoice has open;
//!   never to another customer's invoice, nor to one dated after the day it is applied. What
//!   the invoice still has open after it follows the usual paths (a payment, a notice).
//! - Paying back: Dr Advances received, Cr Cash/Bank, never more than is held.
//! - `check_books`: the Advances account equals, per customer, advances received minus used,
//!   and is never negative.

use super::items;
use super::payments::{cash_account, insert_settlement, Method};
use super::{customers, now_stamp, parse_stored_date, Ctx};
use crate::acct;
use crate::error::{Error, Result};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::Currency;
use crate::req::{Amount, Date, Id, Name, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the shop holds of a customer's advances, in minor units.
pub fn balance(conn: &Connection, customer_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        concat!("SELECT -COALESCE(SUM(amount_minor), 0) FROM postings WHERE customer_id = ?1 AND account_id = ", acct!(Advances)),
        [customer_id],
        |r| r.get(0),
    )?)
}

/// Received against a prepayment request so far, in minor units.
pub fn received_for(conn: &Connection, prepayment_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM advances WHERE prepayment_id = ?1",
        [prepayment_id],
        |r| r.get(0),
    )?)
}

/// An advance received, applied or paid back, with what is held after it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvanceView {
    pub customer_id: i64,
    pub currency: String,
    /// What is held now, and the last movement's amount and date.
    pub balance: String,
    pub amount: String,
    pub date: String,
    pub prepayment_id: Option<i64>,
    pub invoice_id: Option<i64>,
}

/// The day of a movement: today when left out, never in the future.
fn date(date: Option<Date>, today: NaiveDate) -> Result<NaiveDate> {
    let d = date.map_or(today, |d| d.0);
    if d > today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    Ok(d)
}

/// `record_advance`: money received before the work.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordAdvance {
    /// The prepayment request it pays; its customer's, and by default what it still asks for.
    pub prepayment_id: Option<Id>,
    /// Required without a prepayment request; with one, it must be the request's customer.
    pub customer_id: Option<Id>,
    /// What the request still asks for when left out.
    pub amount: Option<Amount>,
    /// Today when left out.
    pub date: Option<Date>,
    /// Bank when left out.
    pub method: Option<Method>,
    pub reference: Option<Name>,
}

/// `record_advance {prepaymentId?, customerId?, amount?, date?, method?, reference?}`.
pub fn record(ctx: &mut Ctx, req: RecordAdvance) -> Result<AdvanceView> {
    let prepayment = req.prepayment_id.map(|p| p.0);
    let on = date(req.date, ctx.today)?;
    let method = req.method.unwrap_or(Method::Bank).as_str();
    let reference = req.reference.map(Text::into_string).unwrap_or_default();
    let (customer_id, asked) = match prepayment {
        Some(p) => {
            let (customer, asked) = request(ctx.conn, p, on, "prepaymentId")?;
            if req.customer_id.is_some_and(|c| c.0 != customer) {
                return Err(Error::invalid("customerId", "error.advance.otherCustomer"));
            }
            (customer, Some(asked))
        }
        None => (
            req.customer_id
                .ok_or_else(|| Error::invalid("customerId", "error.required"))?
                .0,
            None,
        ),
    };
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let amount = match req.amount {
        Some(a) => c.currency.to_minor(a.0, "amount")?,
        None => asked
            .filter(|a| *a > 0)
            .ok_or_else(|| Error::invalid("amount", "error.required"))?,
    };
    if amount <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    let cur = c.currency.code;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    receive(&tx, &c, prepayment, on, amount, method, &reference)?;
    let held = balance(&tx, customer_id)?;
    tx.commit()?;
    Ok(AdvanceView {
        customer_id,
        currency: cur.to_string(),
        balance: c.currency.format_minor(held),
        amount: c.currency.format_minor(amount),
        date: on.to_string(),
        prepayment_id: prepayment,
        invoice_id: None,
    })
}

/// A prepayment request money can be received against on `on`: (its customer, what it still
/// asks for). Refused when it is not a request, a draft or cancelled, or dated after `on`.
pub(crate) fn request(conn: &Connection, p: i64, on: NaiveDate, field: &str) -> Result<(i64, i64)> {
    let row: Option<(i64, String, String, i64, Option<String>)> = conn
        .query_row(
            "SELECT customer_id, kind, status, total_minor, issue_date FROM quotes WHERE id = ?1",
            [p],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (customer, kind, status, total, issue) = row.ok_or_else(|| Error::not_found(field))?;
    if kind != "prepayment" {
        return Err(Error::invalid(field, "error.advance.notPrepayment"));
    }
    if status != "issued" {
        return Err(Error::Conflict {
            key: "error.advance.requestNotOpen",
            field: Some(field.into()),
        });
    }
    if issue
        .as_deref()
        .map(parse_stored_date)
        .transpose()?
        .is_some_and(|i| on < i)
    {
        return Err(Error::invalid("date", "error.paymentBeforeInvoice"));
    }
    Ok((customer, total - received_for(conn, p)?))
}

/// Posts an advance received inside the caller's transaction (the Bank page confirms a bank line
/// this way); returns its id.
pub(crate) fn receive(
    tx: &Connection,
    c: &customers::CustomerInfo,
    prepayment: Option<i64>,
    on: NaiveDate,
    amount: i64,
    method: &str,
    reference: &str,
) -> Result<i64> {
    let cur = c.currency.code;
    let entry = JournalEntry::new(
        on,
        "advance",
        format!("Advance received {} {reference}", c.name)
            .trim()
            .to_string(),
        prepayment.map(|p| ("prepayment", p)),
        vec![
            Posting::new(cash_account(method), cur, amount),
            Posting::new(Account::Advances, cur, -amount).customer(c.id),
        ],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO advances (customer_id, prepayment_id, received_on, currency, amount_minor, method, reference, entry_id, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        params![c.id, prepayment, on.to_string(), cur, amount, method, reference, entry_id, now],
    )?;
    Ok(tx.last_insert_rowid())
}

/// `apply_advance`: the customer's advance on the invoice for the work.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplyAdvance {
    pub invoice_id: Id,
    /// When given, it must be the invoice's customer.
    pub customer_id: Option<Id>,
    /// As much as is held and open when left out.
    pub amount: Option<Amount>,
    /// Today when left out.
    pub date: Option<Date>,
}

/// `apply_advance {invoiceId, customerId?, amount?, date?}`: the customer's advance pays (part
/// of) the invoice for the work.
pub fn apply(ctx: &mut Ctx, req: ApplyAdvance) -> Result<AdvanceView> {
    let invoice_id = req.invoice_id.0;
    let on = date(req.date, ctx.today)?;
    let row: Option<(i64, String, Option<String>, String)> = ctx
        .conn
        .query_row(
            "SELECT customer_id, status, issue_date, currency FROM invoices WHERE id = ?1",
            [invoice_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (customer_id, status, issue, cur) = row.ok_or_else(|| Error::not_found("invoiceId"))?;
    if status != "issued" {
        return Err(Error::Conflict {
            key: "error.notIssued",
            field: Some("invoiceId".into()),
        });
    }
    if req.customer_id.is_some_and(|c| c.0 != customer_id) {
        return Err(Error::invalid("invoiceId", "error.advance.otherCustomer"));
    }
    if issue
        .as_deref()
        .map(parse_stored_date)
        .transpose()?
        .is_some_and(|i| on < i)
    {
        return Err(Error::invalid("date", "error.paymentBeforeInvoice"));
    }
    let currency = Currency::stored(&cur)?;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held = balance(&tx, customer_id)?;
    if held <= 0 {
        return Err(Error::Conflict {
            key: "error.advance.none",
            field: Some("invoiceId".into()),
        });
    }
    let open = items::settleable(&tx, customer_id, on)?
        .into_iter()
        .find(|i| i.item_type == "invoice" && i.item_id == invoice_id);
    let Some(item) = open else {
        return Err(Error::Conflict {
            key: "error.invoiceSettled",
            field: Some("invoiceId".into()),
        });
    };
    let amount = match req.amount {
        Some(a) => currency.to_minor(a.0, "amount")?,
        None => held.min(item.open_minor),
    };
    if amount <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    if amount > held {
        return Err(Error::invalid("amount", "error.advance.overHeld"));
    }
    if amount > item.open_minor {
        return Err(Error::invalid("amount", "error.allocationOverOpen"));
    }
    let entry = JournalEntry::new(
        on,
        "advance_applied",
        format!("Advance applied to invoice {}", item.label),
        Some(("invoice", invoice_id)),
        vec![
            Posting::new(Account::Advances, &cur, amount).customer(customer_id),
            Posting::new(Account::Receivables, &cur, -amount).customer(customer_id),
        ],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(&tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO advance_uses (customer_id, kind, invoice_id, used_on, currency, amount_minor, entry_id, created_at) VALUES (?1, 'applied', ?2, ?3, ?4, ?5, ?6, ?7)",
        params![customer_id, invoice_id, on.to_string(), cur, amount, entry_id, now],
    )?;
    let use_id = tx.last_insert_rowid();
    insert_settlement(&tx, &item, "advance", use_id, on, amount, entry_id, &now)?;
    let left = balance(&tx, customer_id)?;
    tx.commit()?;
    Ok(AdvanceView {
        customer_id,
        currency: cur,
        balance: currency.format_minor(left),
        amount: currency.format_minor(amount),
        date: on.to_string(),
        prepayment_id: None,
        invoice_id: Some(invoice_id),
    })
}

/// `refund_advance`: an unused advance paid back.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundAdvance {
    pub customer_id: Id,
    /// All that is held when left out.
    pub amount: Option<Amount>,
    /// Today when left out.
    pub date: Option<Date>,
    /// Bank when left out.
    pub method: Option<Method>,
}

/// `refund_advance {customerId, amount?, date?, method?}`: an advance not used is paid back
/// (all of it unless an amount is given).
pub fn refund(ctx: &mut Ctx, req: RefundAdvance) -> Result<AdvanceView> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let on = date(req.date, ctx.today)?;
    let method = req.method.unwrap_or(Method::Bank).as_str();
    let asked = req
        .amount
        .map(|a| c.currency.to_minor(a.0, "amount"))
        .transpose()?;
    let cur = c.currency.code;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held = balance(&tx, customer_id)?;
    if held <= 0 {
        return Err(Error::Conflict {
            key: "error.advance.none",
            field: Some("customerId".into()),
        });
    }
    let amount = asked.unwrap_or(held);
    if amount <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    if amount > held {
        return Err(Error::invalid("amount", "error.advance.overHeld"));
    }
    let entry = JournalEntry::new(
        on,
        "advance_refunded",
        format!("Advance paid back {}", c.name),
        None,
        vec![
            Posting::new(Account::Advances, cur, amount).customer(customer_id),
            Posting::new(cash_account(method), cur, -amount),
        ],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(&tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO advance_uses (customer_id, kind, used_on, currency, amount_minor, method, entry_id, created_at) VALUES (?1, 'refunded', ?2, ?3, ?4, ?5, ?6, ?7)",
        params![customer_id, on.to_string(), cur, amount, method, entry_id, now],
    )?;
    let left = balance(&tx, customer_id)?;
    tx.commit()?;
    Ok(AdvanceView {
        customer_id,
        currency: cur.to_string(),
        balance: c.currency.format_minor(left),
        amount: c.currency.format_minor(amount),
        date: on.to_string(),
        prepayment_id: None,
        invoice_id: None,
    })
}

/// For `check_books`: per customer, the Advances account against advances received minus
/// used, and never below zero. (rule, detail) pairs.
pub fn audit(conn: &Connection) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(concat!(
        "SELECT c.id,
            -COALESCE((SELECT SUM(p.amount_minor) FROM postings p WHERE p.customer_id = c.id AND p.account_id = ",
        acct!(Advances),
        "), 0),
            COALESCE((SELECT SUM(amount_minor) FROM advances a WHERE a.customer_id = c.id), 0)
              - COALESCE((SELECT SUM(amount_minor) FROM advance_uses u WHERE u.customer_id = c.id), 0)
         FROM customers c"
    ))?;
    for r in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (c, ledger, facts) = r?;
        if ledger != facts {
            out.push((
                "advances_mismatch",
                format!("customer {c}: advances account {ledger} but advances held {facts}"),
            ));
        }
        if ledger < 0 {
            out.push((
                "negative_advance",
                format!("customer {c}: advances below zero by {}", -ledger),
            ));
        }
    }
    // An application settles exactly what it applied.
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM advance_uses u WHERE u.kind = 'applied'
           AND u.amount_minor <> COALESCE((SELECT SUM(s.amount_minor) FROM settlements s WHERE s.kind = 'advance' AND s.source_id = u.id), 0)",
        [],
        |r| r.get(0),
    )?;
    if n > 0 {
        out.push((
            "advance_settlement_mismatch",
            format!("{n} advance applications do not settle what they applied"),
        ));
    }
    Ok(out)
}
