//! Quotes (#22): a price agreed before the work. A quote has lines like an invoice, its own
//! gapless number series (taken when it is issued), a validity date, and a state: draft,
//! issued (printed, maybe sent), accepted or declined; an issued quote past its validity date
//! is expired. An accepted quote becomes a draft invoice in one step, lines carried over and
//! the link kept both ways. A quote posts nothing to the books.
//!
//! Refused (nothing written): accepting twice, accepting an expired quote, deciding a draft,
//! making a second invoice from one quote, changing an issued quote.

use super::charges::Quantity;
use super::customers;
use super::invoices::{self, CreateInvoice, Draft, DraftLineInput, InvoiceView, TotalsView};
use super::Deleted;
use super::{now_stamp, parse_stored_date, to_value, Ctx};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::money::Currency;
use crate::req::{Amount, ById, Date, Id, List, LongText, Percent, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::str::FromStr;

/// Days a quote is valid when the owner does not say.
pub const DEFAULT_VALID_DAYS: i64 = 30;
/// Days a prepayment request gives to pay when the owner does not say.
pub const PREPAYMENT_DAYS: i64 = 10;

/// A line of a quote, with its amount.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuoteLine {
    pub position: i64,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_rate: String,
    pub amount: String,
}

/// A quote or a prepayment request with its lines, totals and state.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuoteView {
    pub id: i64,
    /// `quote`, or `prepayment` (a request for payment before the work).
    pub kind: &'static str,
    /// The quote a prepayment request was made from.
    pub from_quote_id: Option<i64>,
    /// A prepayment request: advances received against it, and what it still asks for.
    pub received: Option<String>,
    pub open: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    /// `draft`, `issued`, `accepted`, `declined`, or `expired` (issued, past its validity); a
    /// prepayment request: `draft`, `issued`, `partly_paid`, `paid` or `declined` (cancelled).
    pub status: &'static str,
    pub number: Option<String>,
    pub issue_date: Option<String>,
    pub valid_until: Option<String>,
    pub sent_on: Option<String>,
    pub decided_on: Option<String>,
    pub currency: String,
    pub language: &'static str,
    pub discount_percent: String,
    pub prices_include_tax: bool,
    pub notes: String,
    pub lines: Vec<QuoteLine>,
    pub totals: TotalsView,
    pub total: String,
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
}

/// The state by date: an issued quote past its validity is expired.
pub fn state(stored: &str, valid_until: Option<NaiveDate>, today: NaiveDate) -> &'static str {
    match stored {
        "draft" => "draft",
        "accepted" => "accepted",
        "declined" => "declined",
        _ if valid_until.is_some_and(|v| v < today) => "expired",
        _ => "issued",
    }
}

type Row = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    bool,
    String,
    String,
    Option<i64>,
);

fn row(conn: &Connection, id: i64, field: &str) -> Result<Row> {
    conn.query_row(
        "SELECT customer_id, status, number, issue_date, valid_until, sent_on, decided_on, currency, language, prices_include_tax, discount_percent, notes, invoice_id
         FROM quotes WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?)),
    )
    .optional()?
    .ok_or_else(|| Error::not_found(field))
}

/// `quote` or `prepayment`, and the quote a prepayment request was made from.
fn kind_of(conn: &Connection, id: i64) -> Result<(&'static str, Option<i64>)> {
    let (kind, from): (String, Option<i64>) = conn.query_row(
        "SELECT kind, from_quote_id FROM quotes WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((
        if kind == "prepayment" {
            "prepayment"
        } else {
            "quote"
        },
        from,
    ))
}

/// The stored quote as a draft (for its totals, and for the invoice it becomes).
fn as_draft(conn: &Connection, id: i64) -> Result<Draft> {
    let (customer_id, _, _, _, _, _, _, _, language, include, discount, notes, _) =
        row(conn, id, "id")?;
    let customer = customers::info(conn, customer_id, "customerId")?;
    let dec = |s: &str| {
        Decimal::from_str(s)
            .map_err(|_| Error::Internal(format!("a stored decimal does not parse: {s:?}")))
    };
    let mut stmt = conn.prepare_cached(
        "SELECT description, quantity, unit, unit_price_minor, unit_price_scale, discount_percent, tax_rate FROM quote_lines WHERE quote_id = ?1 ORDER BY position",
    )?;
    let rows: Vec<invoices::StoredLineRow> = stmt
        .query_map([id], invoices::StoredLineRow::read)?
        .collect::<crate::sql::Result<_>>()?;
    let lines = rows
        .into_iter()
        .map(invoices::DraftLine::stored)
        .collect::<Result<Vec<_>>>()?;
    let terms_id = match customer.terms_id {
        Some(t) => t,
        None => super::profile::default_terms_id(conn)?,
    };
    let terms = super::terms::load(conn, terms_id, "termsId")?;
    Ok(Draft {
        customer,
        lines,
        discount_percent: dec(&discount)?,
        prices_include_tax: include,
        purpose: String::new(),
        notes,
        service_from: None,
        service_to: None,
        terms_id,
        terms,
        language: Lang::parse(&language).unwrap_or(Lang::En),
    })
}

pub fn view(conn: &Connection, id: i64, today: NaiveDate) -> Result<QuoteView> {
    let (
        customer_id,
        status,
        number,
        issue,
        valid,
        sent,
        decided,
        cur,
        language,
        include,
        discount,
        notes,
        invoice_id,
    ) = row(conn, id, "id")?;
    let d = as_draft(conn, id)?;
    let c = Currency::stored(&cur)?;
    let t = d.totals()?;
    let valid_date = valid.as_deref().map(parse_stored_date).transpose()?;
    let invoice_number: Option<String> = match invoice_id {
        Some(i) => conn
            .query_row("SELECT number FROM invoices WHERE id = ?1", [i], |r| {
                r.get(0)
            })
            .optional()?
            .flatten(),
        None => None,
    };
    let (kind, from_quote_id) = kind_of(conn, id)?;
    let received = if kind == "prepayment" {
        Some(super::advances::received_for(conn, id)?)
    } else {
        None
    };
    let status = match (kind, received) {
        ("prepayment", Some(r)) if status == "issued" && r >= t.total_minor => "paid",
        ("prepayment", Some(r)) if status == "issued" && r > 0 => "partly_paid",
        ("prepayment", _) if status == "issued" => "issued",
        _ => state(&status, valid_date, today),
    };
    let lines = d
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| QuoteLine {
            position: i as i64 + 1,
            description: l.description.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit: l.unit.clone(),
            unit_price: l.unit_price.format(c),
            discount_percent: l.discount_percent.normalize().to_string(),
            tax_rate: l.tax_rate.normalize().to_string(),
            amount: c.format_minor(t.line_amounts[i]),
        })
        .collect();
    Ok(QuoteView {
        id,
        kind,
        from_quote_id,
        received: received.map(|r| c.format_minor(r)),
        open: received.map(|r| c.format_minor((t.total_minor - r).max(0))),
        customer_id,
        customer_name: d.customer.name.clone(),
        status,
        number,
        issue_date: issue,
        valid_until: valid,
        sent_on: sent,
        decided_on: decided,
        currency: cur,
        language: Lang::parse(&language).unwrap_or(Lang::En).code(),
        discount_percent: discount,
        prices_include_tax: include,
        notes,
        lines,
        totals: invoices::totals_view(c, &t, include),
        total: c.format_minor(t.total_minor),
        invoice_id,
        invoice_number,
    })
}

/// The quote as the invoice layout reads it (`documentKind: quote`), for its PDF: the
/// customer as it was when the quote was issued.
pub fn document(conn: &Connection, id: i64, today: NaiveDate) -> Result<(Value, Lang)> {
    let q = view(conn, id, today)?;
    let snapshot: Option<String> = conn.query_row(
        "SELECT customer_snapshot FROM quotes WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let customer = match snapshot {
        Some(s) => serde_json::from_str(&s).map_err(|e| Error::Internal(e.to_string()))?,
        None => to_value(&invoices::customer_block(&customers::info(
            conn,
            q.customer_id,
            "customerId",
        )?))?,
    };
    let lang = Lang::parse(q.language).unwrap_or(Lang::En);
    let mut v = to_value(&q)?;
    v["documentKind"] = Value::from(q.kind);
    v["customer"] = customer;
    if q.kind == "prepayment" {
        // Printed as an invoice for payment: payable by its date, with a purpose of payment.
        v["dueDate"] = v["validUntil"].clone();
        let descs: Vec<&str> = q.lines.iter().map(|l| l.description.as_str()).collect();
        v["purpose"] = Value::from(crate::i18n::tf(
            lang,
            "prepayment.purpose",
            &[
                ("number", q.number.as_deref().unwrap_or("")),
                (
                    "items",
                    &descs.iter().take(3).copied().collect::<Vec<_>>().join("; "),
                ),
            ],
        ));
    }
    Ok((v, lang))
}

/// A line of a quote.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuoteLineInput {
    pub description: LongText,
    /// 1 when left out.
    pub quantity: Option<Quantity>,
    pub unit: Option<Text<20>>,
    /// Up to 6 decimals whatever the currency (the line is rounded).
    pub unit_price: Amount,
    pub discount_percent: Option<Percent>,
    /// The profile's default VAT rate when left out.
    pub tax_rate: Option<Percent>,
}

/// `save_quote` / `save_prepayment`: a new draft, or a draft's whole new content.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveQuote {
    /// The draft to change; a new one when left out.
    pub id: Option<Id>,
    pub customer_id: Id,
    /// At least one.
    #[serde(default)]
    pub lines: List<QuoteLineInput, { invoices::MAX_LINES }>,
    /// Off the whole quote.
    pub discount_percent: Option<Percent>,
    /// The profile's setting when left out.
    pub prices_include_tax: Option<bool>,
    pub notes: Option<LongText>,
    /// The customer's language (else the profile's) when left out.
    pub language: Option<crate::i18n::Lang>,
}

/// `save_quote {id?, customerId, lines, discountPercent?, pricesIncludeTax?, notes?, language?}`:
/// creates or replaces a draft quote.
pub fn save(ctx: &mut Ctx, req: SaveQuote) -> Result<QuoteView> {
    save_kind(ctx, req, "quote")
}

/// `save_prepayment {…same as save_quote}`: a draft prepayment request.
pub fn save_prepayment(ctx: &mut Ctx, req: SaveQuote) -> Result<QuoteView> {
    save_kind(ctx, req, "prepayment")
}

fn save_kind(ctx: &mut Ctx, req: SaveQuote, kind: &'static str) -> Result<QuoteView> {
    let id = req.id.map(|i| i.0);
    if let Some(id) = id {
        let (_, status, ..) = row(ctx.conn, id, "id")?;
        if kind_of(ctx.conn, id)?.0 != kind {
            return Err(Error::not_found("id"));
        }
        if status != "draft" {
            return Err(Error::NotEditable {
                key: "error.quote.issued",
            });
        }
    }
    // The lines and defaults an invoice's draft has (no services, terms or purpose on a quote).
    let content = CreateInvoice {
        customer_id: req.customer_id,
        lines: List(
            req.lines
                .0
                .into_iter()
                .map(|l| DraftLineInput {
                    charge_id: None,
                    description: Some(l.description),
                    quantity: l.quantity,
                    unit: l.unit,
                    unit_price: Some(l.unit_price),
                    discount_percent: l.discount_percent,
                    tax_rate: l.tax_rate,
                })
                .collect(),
        ),
        charge_ids: List::default(),
        discount_percent: req.discount_percent,
        prices_include_tax: req.prices_include_tax,
        purpose: None,
        notes: req.notes,
        service_from: None,
        service_to: None,
        terms_id: None,
        language: req.language,
    };
    let d = invoices::parse_draft(ctx.conn, content, None)?;
    if d.lines.is_empty() {
        return Err(Error::invalid("lines", "error.emptyInvoice"));
    }
    let t = d.totals()?;
    let now = now_stamp();
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    // A new quote is a row first; its content is then written the one way an edit writes it.
    let id = match id {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO quotes (customer_id, currency, language, created_at, updated_at, kind) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![d.customer.id, d.customer.currency.code, d.language.code(), now, kind],
            )?;
            tx.last_insert_rowid()
        }
    };
    tx.execute(
        "UPDATE quotes SET customer_id=?2, currency=?3, language=?4, prices_include_tax=?5, discount_percent=?6, notes=?7, subtotal_minor=?8, discount_minor=?9,
            tax_minor=?10, total_minor=?11, updated_at=?12 WHERE id=?1 AND status='draft'",
        params![
            id,
            d.customer.id,
            d.customer.currency.code,
            d.language.code(),
            d.prices_include_tax,
            d.discount_percent.normalize().to_string(),
            d.notes,
            t.subtotal_minor,
            t.discount_minor,
            t.tax_minor,
            t.total_minor,
            now
        ],
    )?;
    tx.execute("DELETE FROM quote_lines WHERE quote_id = ?1", [id])?;
    for (i, l) in d.lines.iter().enumerate() {
        tx.execute(
            "INSERT INTO quote_lines (quote_id, position, description, quantity, unit, unit_price_minor, unit_price_scale, discount_percent, tax_rate, amount_minor)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                id,
                i as i64 + 1,
                l.description,
                l.quantity.normalize().to_string(),
                l.unit,
                l.unit_price.units,
                l.unit_price.scale_column(),
                l.discount_percent.normalize().to_string(),
                l.tax_rate.normalize().to_string(),
                t.line_amounts[i]
            ],
        )?;
    }
    tx.commit()?;
    view(ctx.conn, id, ctx.today)
}

/// `issue_quote`: number a quote or a prepayment request.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueQuote {
    pub id: Id,
    /// Today when left out; never in the future.
    pub issue_date: Option<Date>,
    /// A quote: 30 days after the issue date when left out; a prepayment request: payable in 10.
    pub valid_until: Option<Date>,
}

/// `issue_quote {id, issueDate?, validUntil?}`: the next number of the quote series; valid
/// for 30 days unless said otherwise.
pub fn issue(ctx: &mut Ctx, req: IssueQuote) -> Result<QuoteView> {
    let id = req.id.0;
    let date = req.issue_date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("issueDate", "error.inFuture"));
    }
    let kind = kind_of(ctx.conn, id).map_err(|_| Error::not_found("id"))?.0;
    let days = if kind == "prepayment" {
        PREPAYMENT_DAYS
    } else {
        DEFAULT_VALID_DAYS
    };
    let valid = req
        .valid_until
        .map_or(date + chrono::Duration::days(days), |d| d.0);
    if valid < date {
        return Err(Error::invalid("validUntil", "error.beforeIssueDate"));
    }
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (customer_id, status, ..) = row(&tx, id, "id")?;
    if status != "draft" {
        return Err(Error::Conflict {
            key: "error.quote.issued",
            field: Some("id".into()),
        });
    }
    let count: i64 = tx.query_row(
        "SELECT COUNT(*) FROM quote_lines WHERE quote_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if count == 0 {
        return Err(Error::invalid("lines", "error.emptyInvoice"));
    }
    let taken = super::series::Series::get(kind)
        .expect("the quote and prepayment series")
        .take(&tx, date, "issueDate")?;
    // Kept as the JSON text it always was (keys in order).
    let snapshot = to_value(&invoices::customer_block(&customers::info(
        &tx,
        customer_id,
        "customerId",
    )?))?
    .to_string();
    tx.execute(
        "UPDATE quotes SET status='issued', series=?9, series_year=?2, seq=?3, number=?4, issue_date=?5, valid_until=?6, customer_snapshot=?7, updated_at=?8 WHERE id=?1",
        params![id, taken.year, taken.seq, taken.number, date.to_string(), valid.to_string(), snapshot, now_stamp(), kind],
    )?;
    taken.advance(&tx)?;
    tx.commit()?;
    view(ctx.conn, id, ctx.today)
}

/// What became of a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Sent,
    Accepted,
    Declined,
}

/// `decide_quote`: a quote was sent, or the customer answered.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecideQuote {
    pub id: Id,
    /// A prepayment request is never accepted (it is paid).
    pub decision: Decision,
    /// Today when left out; not before the issue date nor in the future.
    pub date: Option<Date>,
}

/// `decide_quote {id, decision: sent|accepted|declined, date?}`: sent (logged), or the
/// customer's answer. An expired quote cannot be accepted (issue a new one).
pub fn decide(ctx: &mut Ctx, req: DecideQuote) -> Result<QuoteView> {
    let id = req.id.0;
    let decision = req.decision;
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let today = ctx.today;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (_, status, _, issue, valid, ..) = row(&tx, id, "id")?;
    if kind_of(&tx, id)?.0 == "prepayment" && decision == Decision::Accepted {
        return Err(Error::invalid("decision", "error.prepayment.notAQuote"));
    }
    let valid = valid.as_deref().map(parse_stored_date).transpose()?;
    match state(&status, valid, today) {
        "draft" => {
            return Err(Error::Conflict {
                key: "error.quote.notIssued",
                field: Some("id".into()),
            })
        }
        "accepted" | "declined" => {
            return Err(Error::Conflict {
                key: "error.quote.decided",
                field: Some("id".into()),
            })
        }
        "expired" if decision == Decision::Accepted => {
            return Err(Error::Conflict {
                key: "error.quote.expired",
                field: Some("id".into()),
            })
        }
        _ => {}
    }
    if issue
        .as_deref()
        .map(parse_stored_date)
        .transpose()?
        .is_some_and(|i| date < i)
    {
        return Err(Error::invalid("date", "error.beforeIssueDate"));
    }
    match decision {
        Decision::Sent => {
            tx.execute(
                "UPDATE quotes SET sent_on = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, date.to_string(), now_stamp()],
            )?;
        }
        Decision::Accepted | Decision::Declined => {
            let status = if decision == Decision::Accepted {
                "accepted"
            } else {
                "declined"
            };
            tx.execute(
                "UPDATE quotes SET status = ?2, decided_on = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, status, date.to_string(), now_stamp()],
            )?;
        }
    }
    tx.commit()?;
    view(ctx.conn, id, ctx.today)
}

/// `quote_to_invoice {id}`: an accepted quote becomes a draft invoice with its lines.
pub fn to_invoice(ctx: &mut Ctx, req: ById) -> Result<InvoiceView> {
    let id = req.id.0;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (_, status, number, .., invoice_id) = row(&tx, id, "id")?;
    let kind = kind_of(&tx, id)?.0;
    // A quote once accepted; a prepayment request once issued (the invoice for the work it
    // asked to be paid for, where the advance is then applied).
    if (kind == "quote" && status != "accepted") || (kind == "prepayment" && status != "issued") {
        return Err(Error::Conflict {
            key: if kind == "quote" {
                "error.quote.notAccepted"
            } else {
                "error.quote.notIssued"
            },
            field: Some("id".into()),
        });
    }
    if invoice_id.is_some() {
        return Err(Error::Conflict {
            key: "error.quote.invoiced",
            field: Some("id".into()),
        });
    }
    let mut d = as_draft(&tx, id)?;
    if d.customer.archived {
        return Err(Error::Conflict {
            key: "error.customerArchived",
            field: Some("id".into()),
        });
    }
    // The invoice names the quote it follows.
    if let Some(n) = &number {
        let key = if kind == "quote" {
            "quote.invoiceNote"
        } else {
            "prepayment.invoiceNote"
        };
        let line = crate::i18n::tf(d.language, key, &[("number", n)]);
        // Only when it fits: notes over the limit would make a draft that can never be issued
        // (the invoice's page names its quote anyway).
        let with_line = if d.notes.is_empty() {
            line
        } else {
            format!("{line}\n{}", d.notes)
        };
        if with_line.chars().count() <= crate::args::MAX_TEXT {
            d.notes = with_line;
        }
    }
    let invoice = invoices::insert_draft(&tx, &d)?;
    tx.execute(
        "UPDATE quotes SET invoice_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, invoice, now_stamp()],
    )?;
    tx.commit()?;
    invoices::read(ctx, invoice, "id")
}

/// `prepayment_from_quote {id}`: an accepted quote becomes a draft prepayment request with its
/// lines (once).
pub fn prepayment_from_quote(ctx: &mut Ctx, req: ById) -> Result<QuoteView> {
    let id = req.id.0;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (_, status, ..) = row(&tx, id, "id")?;
    if kind_of(&tx, id)?.0 != "quote" || status != "accepted" {
        return Err(Error::Conflict {
            key: "error.quote.notAccepted",
            field: Some("id".into()),
        });
    }
    let made: Option<i64> = tx
        .query_row(
            "SELECT id FROM quotes WHERE from_quote_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if made.is_some() {
        return Err(Error::Conflict {
            key: "error.quote.prepaymentMade",
            field: Some("id".into()),
        });
    }
    let now = now_stamp();
    tx.execute(
        "INSERT INTO quotes (customer_id, currency, language, prices_include_tax, discount_percent, notes, subtotal_minor, discount_minor, tax_minor, total_minor,
            created_at, updated_at, kind, from_quote_id)
         SELECT customer_id, currency, language, prices_include_tax, discount_percent, notes, subtotal_minor, discount_minor, tax_minor, total_minor, ?2, ?2, 'prepayment', id
         FROM quotes WHERE id = ?1",
        params![id, now],
    )?;
    let new_id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO quote_lines (quote_id, position, description, quantity, unit, unit_price_minor, unit_price_scale, discount_percent, tax_rate, amount_minor)
         SELECT ?2, position, description, quantity, unit, unit_price_minor, unit_price_scale, discount_percent, tax_rate, amount_minor FROM quote_lines WHERE quote_id = ?1",
        params![id, new_id],
    )?;
    tx.commit()?;
    view(ctx.conn, new_id, ctx.today)
}

/// Issued prepayment requests still waiting for money: (count, what they still ask for) in the
/// home currency (the dashboard's "awaiting prepayment"; not owed to you: nothing is posted).
pub fn awaiting(conn: &Connection, currency: &str) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(total_minor - got), 0) FROM (
            SELECT q.total_minor, COALESCE((SELECT SUM(a.amount_minor) FROM advances a WHERE a.prepayment_id = q.id), 0) AS got
            FROM quotes q WHERE q.kind = 'prepayment' AND q.status = 'issued' AND q.currency = ?1) AS t WHERE got < total_minor",
        [currency],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// `get_quote {id}`.
pub fn get(ctx: &mut Ctx, req: ById) -> Result<QuoteView> {
    view(ctx.conn, req.id.0, ctx.today)
}

/// A quote, or a request to pay before the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    Quote,
    Prepayment,
}

/// `list_quotes`: quotes and prepayment requests.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListQuotes {
    pub customer_id: Option<Id>,
    /// Both kinds when left out.
    pub kind: Option<QuoteKind>,
}

/// `list_quotes {customerId?, kind?: quote|prepayment}`: newest first.
pub fn list(ctx: &mut Ctx, req: ListQuotes) -> Result<Vec<QuoteView>> {
    let customer = req.customer_id.map(|i| i.0);
    let kind = req.kind.map(|k| match k {
        QuoteKind::Quote => "quote",
        QuoteKind::Prepayment => "prepayment",
    });
    let ids: Vec<i64> = ctx
        .conn
        .prepare(
            "SELECT id FROM quotes WHERE (CAST(?1 AS BIGINT) IS NULL OR customer_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR kind = ?2)
             ORDER BY COALESCE(issue_date, created_at) DESC, id DESC LIMIT 500",
        )?
        .query_map(params![customer, kind], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    ids.into_iter()
        .map(|id| view(ctx.conn, id, ctx.today))
        .collect()
}

/// `delete_quote {id}`: a draft only.
pub fn delete(ctx: &mut Ctx, req: ById) -> Result<Deleted> {
    let id = req.id.0;
    let (_, status, ..) = row(ctx.conn, id, "id")?;
    if status != "draft" {
        return Err(Error::NotEditable {
            key: "error.quote.issued",
        });
    }
    ctx.conn.execute("DELETE FROM quotes WHERE id = ?1", [id])?;
    Ok(Deleted { deleted: id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_quote_past_its_validity_is_expired_and_answers_stay_as_given() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            state("issued", Some(d("2026-11-30")), d("2026-11-30")),
            "issued"
        );
        assert_eq!(
            state("issued", Some(d("2026-11-30")), d("2026-12-01")),
            "expired"
        );
        assert_eq!(
            state("accepted", Some(d("2026-11-30")), d("2027-01-01")),
            "accepted"
        );
        assert_eq!(state("draft", None, d("2027-01-01")), "draft");
    }
}
