//! Getting paid: payments allocated to open items (oldest due first, or as the user chooses),
//! early-payment discounts, over- and underpayments recorded exactly as discrepancies,
//! customer credit applied later or refunded.
//!
//! Rules (pinned by tests):
//! - A payment is in the customer's currency; another currency is refused (`currency`).
//! - A payment cannot be dated in the future, and is never allocated to an invoice dated after
//!   it (money received before an invoice is the customer's credit until applied).
//! - Allocations never exceed the payment nor an item's open amount. What is left of the
//!   payment is the customer's credit (a liability).
//! - An early-payment discount is taken when the payment lands inside the discount window and
//!   covers at least the discounted amount but not the full amount of that invoice. The tax in
//!   the discount is given back proportionally to the invoice's tax per rate (the tax policy
//!   of `calc`: per rate total), the rest goes to Discounts given.
//! - A discrepancy is recorded when the payment does not match what was due for the invoices it
//!   was meant for: explicitly listed invoices, or in automatic mode the invoices it touches
//!   (an overpayment is measured against everything open).

use super::items::{self, OpenItem};
use super::{customers, now_stamp, parse_stored_date, Ctx};
use crate::acct;
use crate::error::{Error, Result};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::Currency;
use crate::req::{Amount, ById, Date, Id, Int, List, Name, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How money came in or went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Cash,
    Bank,
    Card,
    Other,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Bank => "bank",
            Method::Card => "card",
            Method::Other => "other",
        }
    }
}

/// The account money comes into or goes out of: Cash for cash, else Bank.
pub(crate) fn cash_account(method: &str) -> Account {
    if method == "cash" {
        Account::Cash
    } else {
        Account::Bank
    }
}

/// One planned allocation.
#[derive(Debug, Clone)]
struct Alloc {
    item: OpenItem,
    cash: i64,
    discount: i64,
}

/// Postings that give back the tax inside a discount: proportional to the invoice's tax per
/// rate; the remainder of the rounding goes to the last rate. Returns (tax postings, tax total).
pub(crate) fn tax_share(
    conn: &Connection,
    invoice_id: i64,
    currency: &str,
    amount: i64,
    invoice_total: i64,
) -> Result<(Vec<Posting>, i64)> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT p.tax_rate, -p.amount_minor FROM postings p JOIN invoices i ON i.entry_id = p.entry_id WHERE i.id = ?1 AND +p.account_id = ",
        acct!(TaxPayable),
        " ORDER BY p.id"
    ))?;
    let rates: Vec<(Option<String>, i64)> = stmt
        .query_map([invoice_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<crate::sql::Result<_>>()?;
    let mut out = Vec::new();
    let mut total = 0i64;
    if invoice_total <= 0 {
        return Ok((out, 0));
    }
    for (rate, tax) in rates {
        // round half away from zero of tax × amount / total, in integers.
        let num = tax as i128 * amount as i128;
        let den = invoice_total as i128;
        let share = ((2 * num + den) / (2 * den)) as i64;
        if share != 0 {
            out.push(
                Posting::new(Account::TaxPayable, currency, share)
                    .tax_rate(rate.unwrap_or_default()),
            );
            total += share;
        }
    }
    Ok((out, total))
}

/// A payment read from its arguments, ready to post: amounts in minor units, and the field
/// each invoice id came from (errors found while posting name it).
pub(crate) struct NewPayment {
    pub date: NaiveDate,
    pub amount_minor: i64,
    pub method: &'static str,
    pub reference: String,
    /// Explicit allocations: (invoice id, amount, the field of the id, the field of the amount).
    pub allocations: Vec<(i64, i64, String, String)>,
    /// The invoices the payment is meant for, oldest due first when empty: (id, field).
    pub invoice_ids: Vec<(i64, String)>,
}

/// `record_payment`: money received from a customer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordPayment {
    pub customer_id: Id,
    /// In the customer's currency, within its minor units.
    pub amount: Amount,
    /// Today when left out; never in the future.
    pub date: Option<Date>,
    /// Bank when left out.
    pub method: Option<Method>,
    pub reference: Option<Name>,
    /// When given, it must be the customer's currency.
    pub currency: Option<Text<3>>,
    /// The invoices the payment is meant for (oldest due first among them); every open item when left out.
    #[serde(default)]
    pub invoice_ids: List<Id, 500>,
    /// Explicit allocations; they take precedence over `invoiceIds`.
    #[serde(default)]
    pub allocations: List<AllocationInput, 500>,
}

/// One explicit allocation of a payment.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllocationInput {
    pub invoice_id: Id,
    pub amount: Amount,
}

/// A recorded payment, with the discrepancy it made (if any).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedPayment {
    #[serde(flatten)]
    pub payment: PaymentView,
    pub discrepancy_id: Option<i64>,
}

/// `record_payment {customerId, amount, date?, method?, reference?, currency?, invoiceIds?, allocations?: [{invoiceId, amount}]}`.
pub fn record(ctx: &mut Ctx, req: RecordPayment) -> Result<RecordedPayment> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    if let Some(cur) = &req.currency {
        Currency::parse(cur, "currency")?;
        if cur.as_str() != c.currency.code {
            return Err(Error::invalid("currency", "error.currencyMismatch"));
        }
    }
    let amount_minor = c.currency.to_minor(req.amount.0, "amount")?;
    if amount_minor <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    let method = req.method.unwrap_or(Method::Bank).as_str();
    let reference = req.reference.map(Text::into_string).unwrap_or_default();
    let mut allocations = Vec::new();
    for (i, a) in req.allocations.iter().enumerate() {
        let amount_field = format!("allocations[{i}].amount");
        let want = c.currency.to_minor(a.amount.0, &amount_field)?;
        allocations.push((
            a.invoice_id.0,
            want,
            format!("allocations[{i}].invoiceId"),
            amount_field,
        ));
    }
    let invoice_ids = req
        .invoice_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.0, format!("invoiceIds[{i}]")))
        .collect();
    let p = NewPayment {
        date,
        amount_minor,
        method,
        reference,
        allocations,
        invoice_ids,
    };
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (payment_id, discrepancy_id) = post(&tx, ctx.today, &c, &p)?;
    tx.commit()?;
    Ok(RecordedPayment {
        payment: payment_view(ctx.conn, payment_id)?,
        discrepancy_id,
    })
}

/// Posts a payment inside the caller's transaction: allocations, discount, credit, the journal
/// entry and the discrepancy. Returns (payment id, discrepancy id).
pub(crate) fn post(
    tx: &Connection,
    today: NaiveDate,
    c: &customers::CustomerInfo,
    p: &NewPayment,
) -> Result<(i64, Option<i64>)> {
    let (customer_id, date, amount_minor, method) = (c.id, p.date, p.amount_minor, p.method);
    if date > today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    if amount_minor <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    let open = items::settleable(tx, customer_id, date)?;
    let mut plan: Vec<Alloc> = Vec::new();
    let mut remaining = amount_minor;
    // What the customer was asked to pay for the invoices this payment is meant for.
    let mut due_minor: i64;
    let mut targeted: Vec<i64> = Vec::new();
    if !p.allocations.is_empty() {
        due_minor = 0;
        for (inv, want, id_field, amount_field) in &p.allocations {
            let (inv, want) = (*inv, *want);
            let item = find_item(tx, &open, inv, date, id_field)?;
            if want <= 0 {
                return Err(Error::invalid(amount_field.as_str(), "error.zero"));
            }
            if plan
                .iter()
                .any(|p| p.item.item_id == inv && p.item.item_type == "invoice")
            {
                return Err(Error::invalid(id_field.as_str(), "error.duplicate"));
            }
            let discount = item
                .discount_on(date)
                .filter(|d| want == item.open_minor - d)
                .unwrap_or(0);
            if want + discount > item.open_minor {
                return Err(Error::invalid(
                    amount_field.as_str(),
                    "error.allocationOverOpen",
                ));
            }
            if want > remaining {
                return Err(Error::invalid(
                    amount_field.as_str(),
                    "error.allocationOverPayment",
                ));
            }
            remaining -= want;
            due_minor += item.open_minor - item.discount_on(date).unwrap_or(0);
            targeted.push(inv);
            plan.push(Alloc {
                item,
                cash: want,
                discount,
            });
        }
    } else {
        let candidates: Vec<OpenItem> = if p.invoice_ids.is_empty() {
            open.clone()
        } else {
            let mut v = Vec::new();
            for (inv, field) in &p.invoice_ids {
                v.push(find_item(tx, &open, *inv, date, field)?);
            }
            v
        };
        due_minor = 0;
        for item in candidates {
            if remaining == 0 {
                break;
            }
            let discounted = item.open_minor - item.discount_on(date).unwrap_or(0);
            due_minor += discounted;
            targeted.push(item.item_id);
            let (cash, discount) = item.take(remaining, date);
            remaining -= cash;
            plan.push(Alloc {
                item,
                cash,
                discount,
            });
        }
        if p.invoice_ids.is_empty() && remaining > 0 {
            // An overpayment is measured against everything that was open.
            due_minor = open
                .iter()
                .map(|i| i.open_minor - i.discount_on(date).unwrap_or(0))
                .sum();
        }
    }
    let credit = remaining;
    let cur = c.currency.code;
    let mut postings = vec![Posting::new(cash_account(method), cur, amount_minor)];
    for a in &plan {
        postings.push(
            Posting::new(Account::Receivables, cur, -(a.cash + a.discount)).customer(customer_id),
        );
        if a.discount > 0 {
            let (tax, tax_total) =
                tax_share(tx, a.item.item_id, cur, a.discount, a.item.total_minor)?;
            postings.extend(tax);
            postings.push(Posting::new(
                Account::DiscountsGiven,
                cur,
                a.discount - tax_total,
            ));
        }
    }
    if credit > 0 {
        postings.push(Posting::new(Account::CustomerCredit, cur, -credit).customer(customer_id));
    }
    let memo = format!("Payment {} {}", c.name, p.reference)
        .trim()
        .to_string();
    let entry = JournalEntry::new(date, "payment", memo, None, postings)?;
    let now = now_stamp();
    let entry_id = ledger::post(tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO payments (customer_id, received_on, currency, amount_minor, method, reference, credit_minor, entry_id, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        params![customer_id, date.to_string(), cur, amount_minor, method, p.reference, credit, entry_id, now],
    )?;
    let payment_id = tx.last_insert_rowid();
    for a in &plan {
        if a.cash > 0 {
            insert_settlement(
                tx, &a.item, "payment", payment_id, date, a.cash, entry_id, &now,
            )?;
        }
        if a.discount > 0 {
            insert_settlement(
                tx, &a.item, "discount", payment_id, date, a.discount, entry_id, &now,
            )?;
        }
    }
    // A discrepancy: paid less or more than what was due for the invoices meant.
    let discrepancy = if amount_minor < due_minor {
        Some(("under", due_minor - amount_minor, "remainder_open"))
    } else if credit > 0 {
        Some(("over", credit, "kept_as_credit"))
    } else {
        None
    };
    let mut discrepancy_id = None;
    if let Some((kind, diff, next)) = discrepancy {
        let due_for_record = if kind == "over" {
            amount_minor - credit
        } else {
            due_minor
        };
        tx.execute(
            "INSERT INTO payment_discrepancies (payment_id, customer_id, kind, due_minor, received_minor, difference_minor, next_step, invoice_ids, created_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            params![payment_id, customer_id, kind, due_for_record, amount_minor, diff, next, serde_json::to_string(&targeted).unwrap_or_default(), now],
        )?;
        discrepancy_id = Some(tx.last_insert_rowid());
    }
    Ok((payment_id, discrepancy_id))
}

fn find_item(
    conn: &Connection,
    open: &[OpenItem],
    invoice_id: i64,
    date: NaiveDate,
    field: &str,
) -> Result<OpenItem> {
    if let Some(i) = open
        .iter()
        .find(|i| i.item_type == "invoice" && i.item_id == invoice_id)
    {
        return Ok(i.clone());
    }
    let row: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT status, issue_date FROM invoices WHERE id = ?1",
            [invoice_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Err(Error::not_found(field)),
        Some((s, _)) if s != "issued" => Err(Error::Conflict {
            key: "error.notIssued",
            field: Some(field.into()),
        }),
        Some((_, Some(d))) if parse_stored_date(&d)? > date => {
            Err(Error::invalid(field, "error.paymentBeforeInvoice"))
        }
        Some(_) => Err(Error::Conflict {
            key: "error.invoiceSettled",
            field: Some(field.into()),
        }),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_settlement(
    conn: &Connection,
    item: &OpenItem,
    kind: &str,
    source: i64,
    date: NaiveDate,
    amount: i64,
    entry_id: i64,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settlements (item_type, item_id, customer_id, kind, source_id, settled_on, amount_minor, entry_id, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?
    .execute(params![item.item_type, item.item_id, item.customer_id, kind, source, date.to_string(), amount, entry_id, now])?;
    Ok(())
}

/// What a payment settled: an invoice or an opening balance, in cash or as an early-payment discount.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationView {
    pub item_type: String,
    pub item_id: i64,
    /// `payment` or `discount`.
    pub kind: String,
    pub amount: String,
    /// The invoice's number or the opening balance's reference.
    pub label: Option<String>,
}

/// A payment that did not match what was due.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscrepancyView {
    pub id: i64,
    /// `under` or `over`.
    pub kind: String,
    pub due: String,
    pub received: String,
    pub difference: String,
    pub next_step: String,
}

/// When and why a payment was taken back.
#[derive(Debug, Serialize)]
pub struct ReversalView {
    pub date: String,
    pub reason: String,
}

/// One payment with its allocations and discrepancy.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub date: String,
    pub currency: String,
    pub amount: String,
    pub method: String,
    pub reference: String,
    /// What was left over as the customer's credit.
    pub credit: String,
    pub allocations: Vec<AllocationView>,
    pub discrepancy: Option<DiscrepancyView>,
    /// Invoices this payment settled completely (for the thank-you receipt).
    pub settled_invoice_ids: Vec<i64>,
    pub reversed: Option<ReversalView>,
}

/// A `payments` row with its customer's name, as `payment_view` reads it.
struct PaymentRow {
    customer_id: i64,
    received_on: String,
    currency: String,
    amount_minor: i64,
    method: String,
    reference: String,
    credit_minor: i64,
    customer_name: String,
}

/// One payment with its allocations and discrepancy.
pub fn payment_view(conn: &Connection, id: i64) -> Result<PaymentView> {
    let row: Option<PaymentRow> = conn
        .query_row(
            "SELECT p.customer_id, p.received_on, p.currency, p.amount_minor, p.method, p.reference, p.credit_minor, c.name FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?1",
            [id],
            |r| {
                Ok(PaymentRow {
                    customer_id: r.get(0)?,
                    received_on: r.get(1)?,
                    currency: r.get(2)?,
                    amount_minor: r.get(3)?,
                    method: r.get(4)?,
                    reference: r.get(5)?,
                    credit_minor: r.get(6)?,
                    customer_name: r.get(7)?,
                })
            },
        )
        .optional()?;
    let PaymentRow {
        customer_id,
        received_on: date,
        currency: cur,
        amount_minor: amount,
        method,
        reference,
        credit_minor: credit,
        customer_name: name,
    } = row.ok_or_else(|| Error::not_found("id"))?;
    let c = Currency::stored(&cur)?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.item_type, s.item_id, s.kind, s.amount_minor, COALESCE(i.number, o.reference) FROM settlements s
         LEFT JOIN invoices i ON s.item_type = 'invoice' AND i.id = s.item_id LEFT JOIN opening_balances o ON s.item_type = 'opening' AND o.id = s.item_id
         WHERE s.source_id = ?1 AND s.kind IN ('payment', 'discount') ORDER BY s.id",
    )?;
    let allocations: Vec<AllocationView> = stmt
        .query_map([id], |r| {
            Ok(AllocationView {
                item_type: r.get(0)?,
                item_id: r.get(1)?,
                kind: r.get(2)?,
                amount: c.format_minor(r.get(3)?),
                label: r.get(4)?,
            })
        })?
        .collect::<crate::sql::Result<_>>()?;
    let discrepancy = conn
        .query_row("SELECT id, kind, due_minor, received_minor, difference_minor, next_step FROM payment_discrepancies WHERE payment_id = ?1", [id], |r| {
            Ok(DiscrepancyView {
                id: r.get(0)?,
                kind: r.get(1)?,
                due: c.format_minor(r.get(2)?),
                received: c.format_minor(r.get(3)?),
                difference: c.format_minor(r.get(4)?),
                next_step: r.get(5)?,
            })
        })
        .optional()?;
    // Invoices this payment settled completely (for the thank-you receipt).
    let mut settled_stmt = conn.prepare_cached(
        // `s.item_type || ''`: look settlements up by their payment (settlements_by_source); with
        // a bound parameter SQLite otherwise walks every invoice settlement (found by the 100k
        // bench). An expression, not the column, so no index on it is chosen (and, unlike a
        // unary `+`, PostgreSQL accepts it on text).
        "SELECT DISTINCT s.item_id FROM settlements s WHERE s.source_id = ?1 AND s.kind = 'payment' AND s.item_type || '' = 'invoice'
           AND (SELECT total_minor + COALESCE((SELECT SUM(fee_minor) FROM reminders r WHERE r.invoice_id = s.item_id), 0) FROM invoices WHERE id = s.item_id)
             <= (SELECT SUM(amount_minor) FROM settlements s2 WHERE s2.item_type = 'invoice' AND s2.item_id = s.item_id)",
    )?;
    let settled: Vec<i64> = settled_stmt
        .query_map([id], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    let reversed = conn
        .query_row(
            "SELECT reversed_on, reason FROM payment_reversals WHERE payment_id = ?1",
            [id],
            |r| {
                Ok(ReversalView {
                    date: r.get(0)?,
                    reason: r.get(1)?,
                })
            },
        )
        .optional()?;
    Ok(PaymentView {
        id,
        customer_id,
        customer_name: name,
        date,
        amount: c.format_minor(amount),
        currency: cur,
        method,
        reference,
        credit: c.format_minor(credit),
        allocations,
        discrepancy,
        settled_invoice_ids: settled,
        reversed,
    })
}

/// `get_payment {id}`.
pub fn get(ctx: &mut Ctx, req: ById) -> Result<PaymentView> {
    payment_view(ctx.conn, req.id.0)
}

/// `list_payments`: a page of payments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListPayments {
    /// One customer's, or everyone's.
    pub customer_id: Option<Id>,
    /// Received on or after.
    pub from: Option<Date>,
    /// Received on or before.
    pub to: Option<Date>,
    /// At most 500; 50 when left out.
    pub limit: Option<Int<1, 500>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// A page of payments.
#[derive(Debug, Serialize)]
pub struct PaymentList {
    pub rows: Vec<PaymentView>,
}

/// `list_payments {customerId?, from?, to?, limit?, offset?}`: newest first.
pub fn list(ctx: &mut Ctx, req: ListPayments) -> Result<PaymentList> {
    let customer_id = req.customer_id.map(|i| i.0);
    let from = req.from.map(|d| d.0.to_string());
    let to = req.to.map(|d| d.0.to_string());
    let limit = req.limit.map_or(50, |l| l.0);
    let offset = req.offset.map_or(0, |o| o.0);
    let ids: Vec<i64> = ctx
        .conn
        .prepare_cached(
            "SELECT id FROM payments WHERE (CAST(?1 AS BIGINT) IS NULL OR customer_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR received_on >= ?2)
               AND (CAST(?3 AS TEXT) IS NULL OR received_on <= ?3)
             ORDER BY received_on DESC, id DESC LIMIT ?4 OFFSET ?5",
        )?
        .query_map(params![customer_id, from, to, limit, offset], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    let rows = ids
        .into_iter()
        .map(|id| payment_view(ctx.conn, id))
        .collect::<Result<_>>()?;
    Ok(PaymentList { rows })
}

/// `suggest_allocation`: how a payment would be allocated.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestAllocation {
    pub customer_id: Id,
    /// 0 when left out (then only the open items and the credit are shown).
    pub amount: Option<Amount>,
    /// Today when left out.
    pub date: Option<Date>,
}

/// One open item and what the payment would do to it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedItem {
    pub item_type: &'static str,
    pub item_id: i64,
    pub label: String,
    pub date: String,
    pub due_date: Option<String>,
    pub open: String,
    /// The early-payment discount available on the date.
    pub discount_available: String,
    pub allocate: String,
    pub discount: String,
}

/// The allocation a payment would get, nothing written.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// What would be left as credit.
    pub unallocated: String,
    pub currency: &'static str,
    pub credit_balance: String,
    pub items: Vec<SuggestedItem>,
}

/// `suggest_allocation {customerId, amount?, date?}`: what `record_payment` would do, nothing written.
pub fn suggest(ctx: &mut Ctx, req: SuggestAllocation) -> Result<Suggestion> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let date = req.date.map_or(ctx.today, |d| d.0);
    let amount = req.amount.map_or(rust_decimal::Decimal::ZERO, |a| a.0);
    let mut remaining = c.currency.to_minor(amount, "amount")?;
    let open = items::settleable(ctx.conn, customer_id, date)?;
    let mut rows = Vec::new();
    for item in &open {
        let discount = item.discount_on(date).unwrap_or(0);
        let (cash, disc) = item.take(remaining, date);
        remaining -= cash;
        rows.push(SuggestedItem {
            item_type: item.item_type,
            item_id: item.item_id,
            label: item.label.clone(),
            date: item.item_date.to_string(),
            due_date: item.due.map(|d| d.to_string()),
            open: c.currency.format_minor(item.open_minor),
            discount_available: c.currency.format_minor(discount),
            allocate: c.currency.format_minor(cash),
            discount: c.currency.format_minor(disc),
        });
    }
    let credit = items::credit_balance(ctx.conn, customer_id, ctx.today)?;
    Ok(Suggestion {
        unallocated: c.currency.format_minor(remaining),
        currency: c.currency.code,
        credit_balance: c.currency.format_minor(credit),
        items: rows,
    })
}

/// `apply_credit`: the customer's credit on open invoices.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplyCredit {
    pub customer_id: Id,
    /// One invoice, or the oldest open ones when left out.
    pub invoice_id: Option<Id>,
    /// All the credit available (up to what is open) when left out.
    pub amount: Option<Amount>,
    /// Today when left out.
    pub date: Option<Date>,
}

/// Credit used on open invoices.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditApplied {
    pub applied: String,
    pub credit_left: String,
    pub currency: &'static str,
}

/// `apply_credit {customerId, invoiceId?, amount?, date?}`: uses the customer's credit on an
/// open invoice (or the oldest ones).
pub fn apply_credit(ctx: &mut Ctx, req: ApplyCredit) -> Result<CreditApplied> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let invoice_id = req.invoice_id.map(|i| i.0);
    let wanted = req
        .amount
        .map(|a| c.currency.to_minor(a.0, "amount"))
        .transpose()?;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let available = items::credit_available(&tx, customer_id, date)?;
    if available <= 0 {
        return Err(Error::Conflict {
            key: "error.noCredit",
            field: Some("customerId".into()),
        });
    }
    let mut remaining = wanted.unwrap_or(available);
    if remaining <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    if remaining > available {
        return Err(Error::invalid("amount", "error.overCredit"));
    }
    let open = items::settleable(&tx, customer_id, date)?;
    let targets: Vec<OpenItem> = match invoice_id {
        Some(id) => vec![find_item(&tx, &open, id, date, "invoiceId")?],
        None => open,
    };
    if let (Some(w), [only]) = (wanted, targets.as_slice()) {
        if w > only.open_minor {
            return Err(Error::invalid("amount", "error.allocationOverOpen"));
        }
    }
    let cur = c.currency.code;
    let mut plan = Vec::new();
    for item in targets {
        if remaining == 0 {
            break;
        }
        let take = remaining.min(item.open_minor);
        remaining -= take;
        plan.push((item, take));
    }
    let used: i64 = plan.iter().map(|p| p.1).sum();
    if used == 0 {
        return Err(Error::Conflict {
            key: "error.nothingOpen",
            field: Some("invoiceId".into()),
        });
    }
    let entry = JournalEntry::new(
        date,
        "credit_applied",
        format!("Credit applied {}", c.name),
        Some(("customer", customer_id)),
        vec![
            Posting::new(Account::CustomerCredit, cur, used).customer(customer_id),
            Posting::new(Account::Receivables, cur, -used).customer(customer_id),
        ],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(&tx, &entry, &now)?;
    for (item, take) in &plan {
        insert_settlement(&tx, item, "credit", entry_id, date, *take, entry_id, &now)?;
    }
    tx.commit()?;
    Ok(CreditApplied {
        applied: c.currency.format_minor(used),
        credit_left: c.currency.format_minor(available - used),
        currency: cur,
    })
}

/// `reverse_payment`: a mistyped payment taken back.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReversePayment {
    /// The payment.
    pub id: Id,
    pub reason: Name,
    /// The payment's own date when left out; not before it, not in the future.
    pub date: Option<Date>,
}

/// `reverse_payment {id, reason, date?}`: a payment typed wrongly (amount, customer, date) is
/// taken back by a mirror entry with the reason (dated as the payment unless told), never deleted: what it settled (and any early
/// discount it earned) is open again, the credit it left is taken back (refused if that credit
/// was already used or refunded). The payment is then recorded again as it really was.
pub fn reverse(ctx: &mut Ctx, req: ReversePayment) -> Result<PaymentView> {
    let id = req.id.0;
    let reason = req.reason.into_string();
    let row: Option<(i64, String, i64, i64)> = ctx
        .conn
        .query_row(
            "SELECT customer_id, received_on, credit_minor, entry_id FROM payments WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (customer_id, received, credit, entry_id) = row.ok_or_else(|| Error::not_found("id"))?;
    // By default dated as the payment (a red storno): as of any date, the mistyped payment
    // never counted, and the payment recorded again on its real date settles in full.
    let date = match req.date {
        Some(d) => d.0,
        None => parse_stored_date(&received)?,
    };
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    if date < parse_stored_date(&received)? {
        return Err(Error::invalid("date", "error.beforePayment"));
    }
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let done: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM payment_reversals WHERE payment_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if done {
        return Err(Error::Conflict {
            key: "error.paymentReversed",
            field: Some("id".into()),
        });
    }
    if credit > 0 && items::credit_available(&tx, customer_id, date)? < credit {
        return Err(Error::Conflict {
            key: "error.paymentCreditUsed",
            field: Some("id".into()),
        });
    }
    // The mirror of the payment's entry: every posting negated.
    let mut postings = Vec::new();
    let mut stmt = tx.prepare_cached("SELECT account_id, customer_id, currency, amount_minor, tax_rate FROM postings WHERE entry_id = ?1 ORDER BY id")?;
    let mut rows = stmt.query([entry_id])?;
    while let Some(r) = rows.next()? {
        let account = Account::from_id(r.get(0)?)
            .ok_or_else(|| Error::Internal("a payment posted to an unknown account".into()))?;
        let mut p = Posting::new(account, &r.get::<_, String>(2)?, -r.get::<_, i64>(3)?);
        if let Some(c) = r.get::<_, Option<i64>>(1)? {
            p = p.customer(c);
        }
        if let Some(rate) = r.get::<_, Option<String>>(4)? {
            p = p.tax_rate(rate);
        }
        postings.push(p);
    }
    drop(rows);
    drop(stmt);
    let name = customers::info(&tx, customer_id, "id")?.name;
    let entry = JournalEntry::new(
        date,
        "payment_reversal",
        format!("Payment reversed {name}: {reason}"),
        Some(("payment", id)),
        postings,
    )?;
    let now = now_stamp();
    let reversal_entry = ledger::post(&tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO payment_reversals (payment_id, reversed_on, reason, entry_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, date.to_string(), reason, reversal_entry, now],
    )?;
    let reversal_id = tx.last_insert_rowid();
    // The bank line it came from goes back to be confirmed again (bank lines build on
    // payments, so the reversal says it here).
    tx.execute("UPDATE bank_transactions SET state = 'new', payment_id = NULL, decided_at = NULL WHERE payment_id = ?1", [id])?;
    tx.execute(
        "INSERT INTO settlements (item_type, item_id, customer_id, kind, source_id, settled_on, amount_minor, entry_id, created_at)
         SELECT item_type, item_id, customer_id, 'reversal', ?2, ?3, -amount_minor, ?4, ?5 FROM settlements
         WHERE source_id = ?1 AND kind IN ('payment', 'discount') ORDER BY id",
        params![id, reversal_id, date.to_string(), reversal_entry, now],
    )?;
    tx.commit()?;
    payment_view(ctx.conn, id)
}

/// `refund_credit`: a customer's credit paid back.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundCredit {
    pub customer_id: Id,
    /// At most the credit available on the date.
    pub amount: Amount,
    /// Today when left out.
    pub date: Option<Date>,
    /// Bank when left out.
    pub method: Option<Method>,
    pub reference: Option<Name>,
}

/// Credit paid back.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditRefunded {
    pub refunded: String,
    pub credit_left: String,
    pub currency: &'static str,
}

/// `refund_credit {customerId, amount, date?, method?, reference?}`: pays credit back.
pub fn refund(ctx: &mut Ctx, req: RefundCredit) -> Result<CreditRefunded> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let amount = c.currency.to_minor(req.amount.0, "amount")?;
    if amount <= 0 {
        return Err(Error::invalid("amount", "error.zero"));
    }
    let method = req.method.unwrap_or(Method::Bank).as_str();
    let reference = req.reference.map(Text::into_string).unwrap_or_default();
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let available = items::credit_available(&tx, customer_id, date)?;
    if amount > available {
        return Err(Error::invalid("amount", "error.overCredit"));
    }
    let cur = c.currency.code;
    let entry = JournalEntry::new(
        date,
        "refund",
        format!("Refund {}", c.name),
        Some(("customer", customer_id)),
        vec![
            Posting::new(Account::CustomerCredit, cur, amount).customer(customer_id),
            Posting::new(cash_account(method), cur, -amount),
        ],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(&tx, &entry, &now)?;
    tx.execute(
        "INSERT INTO refunds (customer_id, refunded_on, currency, amount_minor, method, reference, entry_id, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
        params![customer_id, date.to_string(), cur, amount, method, reference, entry_id, now],
    )?;
    tx.commit()?;
    Ok(CreditRefunded {
        refunded: c.currency.format_minor(amount),
        credit_left: c.currency.format_minor(available - amount),
        currency: cur,
    })
}

/// `list_discrepancies`: payments that did not match.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListDiscrepancies {
    /// One customer's, or everyone's.
    pub customer_id: Option<Id>,
}

/// A payment that did not match what was due, with the invoices it was meant for.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscrepancyRow {
    pub id: i64,
    pub payment_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    /// `under` or `over`.
    pub kind: String,
    pub due: String,
    pub received: String,
    pub difference: String,
    pub next_step: String,
    pub date: String,
    pub currency: String,
    pub invoice_ids: Vec<i64>,
}

/// `list_discrepancies {customerId?}`: payments that did not match, newest first (at most 500).
pub fn discrepancies(ctx: &mut Ctx, req: ListDiscrepancies) -> Result<Vec<DiscrepancyRow>> {
    let customer_id = req.customer_id.map(|i| i.0);
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT d.id, d.payment_id, d.customer_id, c.name, d.kind, d.due_minor, d.received_minor, d.difference_minor, d.next_step, p.received_on, p.currency, d.invoice_ids
         FROM payment_discrepancies d JOIN payments p ON p.id = d.payment_id JOIN customers c ON c.id = d.customer_id
         WHERE (CAST(?1 AS BIGINT) IS NULL OR d.customer_id = ?1) ORDER BY d.id DESC LIMIT 500",
    )?;
    let mut rows = stmt.query([customer_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let currency: String = r.get(10)?;
        let c = Currency::stored(&currency)?;
        let ids: String = r.get(11)?;
        let invoice_ids = serde_json::from_str(&ids)
            .map_err(|e| Error::Internal(format!("stored discrepancy invoice ids {ids:?}: {e}")))?;
        out.push(DiscrepancyRow {
            id: r.get(0)?,
            payment_id: r.get(1)?,
            customer_id: r.get(2)?,
            customer_name: r.get(3)?,
            kind: r.get(4)?,
            due: c.format_minor(r.get(5)?),
            received: c.format_minor(r.get(6)?),
            difference: c.format_minor(r.get(7)?),
            next_step: r.get(8)?,
            date: r.get(9)?,
            currency,
            invoice_ids,
        });
    }
    Ok(out)
}
