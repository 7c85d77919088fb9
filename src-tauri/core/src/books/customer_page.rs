//! A customer's page: the customer with what they owe, their invoices, unbilled services and
//! advances. It reads from every part of the books, so it sits above them (`customers` itself
//! holds only the customer record, which the other parts build on).

use super::charges::{self, ChargeView};
use super::customers::{self, CustomerView};
use super::{advances, invoices, items, Ctx};
use crate::error::Result;
use crate::ledger::Account;
use crate::money::Currency;
use crate::req::ById;
use crate::sql::params;
use serde::Serialize;

/// A customer with what they owe, their invoices and their unbilled services.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub customer: CustomerView,
    /// The newest 500 invoices (`list_invoices {customerId}` pages through all of them).
    pub invoices: Vec<invoices::InvoiceRow>,
    /// How many invoices the customer has (drafts included): more than `invoices` holds when
    /// there are over 500.
    pub invoice_count: i64,
    /// The oldest 5,000 unbilled services (`list_unbilled {customerId}` pages through all).
    pub unbilled: Vec<ChargeView>,
    /// How many unbilled services the customer has.
    pub unbilled_count: usize,
    /// What is owed on open items.
    pub owed: String,
    /// Credit in the customer's favour.
    pub credit: String,
    /// Credit that can be used or refunded today.
    pub credit_available: String,
    /// Advances received before the work, not yet applied or paid back.
    pub advance: String,
    pub has_history: bool,
}

/// `get_customer {id}`: the customer with balance, open invoices and unbilled charges. The
/// lists hold the newest 500 invoices and the oldest 5,000 unbilled services, with the counts of
/// all of them, so a page can say what it does not show.
pub fn get(ctx: &mut Ctx, req: ById) -> Result<CustomerDetail> {
    let id = req.id.0;
    let customer = customers::load(ctx.conn, id, "id")?;
    let invoices = invoices::list_for_customer(ctx, id)?;
    let unbilled = charges::unbilled_rows(ctx, Some(id), 5000, 0)?;
    let unbilled_count =
        charges::unbilled_summary(ctx, Some(id), charges::warn_days(ctx.conn)?)?.count;
    let invoice_count: i64 = ctx.conn.query_row(
        "SELECT COUNT(*) FROM invoices WHERE customer_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    // The balance told in its two parts: what the customer owes on open items, and the credit
    // in their favour (an overpayment, a payment before its invoice) — shown as its own line.
    let (owed, credit): (i64, i64) = ctx.conn.query_row(
        "SELECT COALESCE(SUM(CASE WHEN account_id = ?2 THEN amount_minor END), 0), COALESCE(-SUM(CASE WHEN account_id = ?3 THEN amount_minor END), 0)
         FROM postings WHERE customer_id = ?1",
        params![id, Account::Receivables.id(), Account::CustomerCredit.id()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let cur = Currency::stored(&customer.currency)?;
    Ok(CustomerDetail {
        invoices,
        invoice_count,
        unbilled,
        unbilled_count,
        owed: cur.format_minor(owed),
        credit: cur.format_minor(credit),
        // What can be used or refunded today (never more than is left after later-dated uses).
        credit_available: cur
            .format_minor(items::credit_available(ctx.conn, id, ctx.today)?.max(0)),
        // Advances received before the work (#22), held until applied or paid back.
        advance: cur.format_minor(advances::balance(ctx.conn, id)?),
        has_history: customers::has_history(ctx.conn, id)?,
        customer,
    })
}
