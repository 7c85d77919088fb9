//! Acts of completed works (АВР, form Р-1): what a Kazakh business customer books a service
//! against. Made from an issued invoice or a selection of one customer's services, numbered in their own gapless series, and frozen when
//! made: the parties and the lines are stored with the act, so a later change of the profile,
//! the customer or the prices never changes an act already signed. An act posts nothing (the
//! invoice did).

use super::series::Series;
use super::{charges, customers, invoices, now_stamp, profile, to_value, Ctx};
use crate::calc;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::req::{ById, Date, Id, List, Text};
use crate::sql::{params, OptionalExtension};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The act's languages: Kazakh, Russian, or both on one form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ActLanguage {
    #[serde(rename = "kk")]
    Kk,
    #[serde(rename = "ru")]
    Ru,
    #[serde(rename = "kk+ru")]
    KkRu,
}

impl ActLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            ActLanguage::Kk => "kk",
            ActLanguage::Ru => "ru",
            ActLanguage::KkRu => "kk+ru",
        }
    }
}

/// `create_act`: the act for an issued invoice, or for a selection of one customer's services.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAct {
    /// The issued invoice the act is for (then no `chargeIds`).
    pub invoice_id: Option<Id>,
    /// Without `invoiceId`: the customer whose services it covers.
    pub customer_id: Option<Id>,
    /// Without `invoiceId`: the recorded services it covers, billed or not.
    pub charge_ids: Option<List<Id, { invoices::MAX_LINES }>>,
    /// The invoice's date, or the last service's, by default; never before the last act's.
    pub date: Option<Date>,
    /// The customer's language when it is kk or ru, else Russian.
    pub language: Option<ActLanguage>,
}

fn series() -> Series {
    Series::get("act").expect("the act series is listed")
}

/// `create_act {invoiceId, date?, language?}` or `create_act {customerId, chargeIds, date?,
/// language?}`: the act for an issued invoice (dated as the invoice by default), or for a
/// selection of one customer's recorded services, billed or not (dated by default on the last
/// service's date); by default never dated before the last act. Never dated in the future nor before a service it covers; in the customer's
/// language when it is kk or ru (else Russian). One act per invoice; a service on one act at most.
pub fn create(ctx: &mut Ctx, req: CreateAct) -> Result<ActView> {
    let (source, default_date) = match req.invoice_id {
        Some(invoice_id) => {
            if req.charge_ids.is_some() {
                return Err(Error::invalid("chargeIds", "error.actOneSource"));
            }
            from_invoice(ctx, invoice_id.0)?
        }
        None => from_services(ctx, req.customer_id, req.charge_ids.unwrap_or_default())?,
    };
    // Numbers follow dates: by default never before the last act (an act for an older invoice
    // made after a newer one's is dated with it, not refused).
    let last_act: Option<String> =
        ctx.conn
            .query_row("SELECT MAX(issue_date) FROM acts", [], |r| r.get(0))?;
    let default_date = match last_act {
        Some(d) => default_date.max(super::parse_stored_date(&d)?),
        None => default_date,
    };
    let date = req.date.map_or(default_date, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    if source.lines.iter().any(|l| l.date > date) {
        return Err(Error::invalid("date", "error.actBeforeService"));
    }
    let c = customers::info(ctx.conn, source.customer_id, "customerId")?;
    let seller = profile::require(ctx.conn)?;
    let language = match req.language {
        Some(l) => l.as_str(),
        None => match c.language.unwrap_or(seller.language) {
            Lang::Kk => "kk",
            _ => "ru",
        },
    };
    let lines: Vec<ContentLine> = source
        .lines
        .iter()
        .map(|l| ContentLine {
            description: l.description.clone(),
            date: l.date.to_string(),
            unit: l.unit.clone(),
            quantity: l.quantity.clone(),
            unit_price: l.unit_price.clone(),
            amount: l.amount.clone(),
        })
        .collect();
    let content = Content {
        invoice_number: source.invoice_number,
        currency: source.currency,
        total: source.total,
        seller: ContentSeller {
            name: seller.name,
            bin: seller.bin,
            address: seller.address,
            phone: seller.phone,
            signer_name: seller.signer_name,
            signer_position: seller.signer_position,
        },
        customer: ContentCustomer {
            name: c.name,
            tax_id: c.tax_id,
            address: c.address,
            contract_number: c.contract_number,
            contract_date: c.contract_date,
        },
        lines,
    };
    // Stored as the JSON text it always was (keys in order).
    let content = to_value(&content)?.to_string();
    let tx = ctx
        .conn
        .transaction_with_behavior(crate::sql::TransactionBehavior::Immediate)?;
    let taken = series().take(&tx, date, "date")?;
    tx.execute(
        "INSERT INTO acts (series, series_year, seq, number, issue_date, invoice_id, customer_id, language, content, created_at)
         VALUES ('act', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![taken.year, taken.seq, taken.number, date.to_string(), source.invoice_id, source.customer_id, language, content, now_stamp()],
    )?;
    let id = tx.last_insert_rowid();
    for cid in source.lines.iter().filter_map(|l| l.charge_id) {
        tx.execute(
            "INSERT INTO act_charges (act_id, charge_id) VALUES (?1, ?2)",
            [id, cid],
        )?;
    }
    taken.advance(&tx)?;
    tx.commit()?;
    read(ctx.conn, id, "id")
}

/// What an act keeps, frozen when it is made.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Content {
    invoice_number: Option<String>,
    currency: String,
    total: String,
    seller: ContentSeller,
    customer: ContentCustomer,
    lines: Vec<ContentLine>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ContentSeller {
    name: String,
    bin: String,
    address: String,
    phone: String,
    signer_name: String,
    signer_position: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ContentCustomer {
    name: String,
    tax_id: String,
    address: String,
    contract_number: String,
    contract_date: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ContentLine {
    description: String,
    date: String,
    unit: String,
    quantity: String,
    unit_price: String,
    amount: String,
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

fn service_date(conn: &crate::sql::Connection, charge_id: i64) -> Result<Option<NaiveDate>> {
    let d: Option<String> = conn
        .query_row(
            "SELECT service_date FROM charges WHERE id = ?1",
            [charge_id],
            |r| r.get(0),
        )
        .optional()?;
    d.map(|d| super::parse_stored_date(&d)).transpose()
}

/// The lines of an issued invoice, each dated when its service was done (its recorded service
/// date, else the invoice's service period's end or its date).
fn from_invoice(ctx: &mut Ctx, invoice_id: i64) -> Result<(Source, NaiveDate)> {
    let inv = invoices::read(ctx, invoice_id, "invoiceId")?;
    if inv.row.number.is_none() || inv.row.status == "draft" {
        return Err(Error::Conflict {
            key: "error.notIssued",
            field: Some("invoiceId".into()),
        });
    }
    let existing: Option<i64> = ctx
        .conn
        .query_row(
            "SELECT id FROM acts WHERE invoice_id = ?1",
            [invoice_id],
            |r| r.get(0),
        )
        .optional()?;
    if existing.is_some() {
        return Err(Error::Conflict {
            key: "error.actExists",
            field: Some("invoiceId".into()),
        });
    }
    let issue = super::parse_stored_date(inv.row.issue_date.as_deref().unwrap_or(""))?;
    let fallback = match inv.service_to.as_deref() {
        Some(d) => super::parse_stored_date(d)?.min(issue),
        None => issue,
    };
    let total = inv.totals.total().to_string();
    let mut lines = Vec::new();
    for l in inv.lines {
        let charge_id = l.charge_id;
        let mut date = None;
        if let Some(cid) = charge_id {
            if charges::on_an_act(ctx.conn, cid)? {
                return Err(Error::Conflict {
                    key: "error.chargeOnAct",
                    field: Some("invoiceId".into()),
                });
            }
            date = service_date(ctx.conn, cid)?;
        }
        lines.push(ActLine {
            charge_id,
            description: l.description,
            date: date.unwrap_or(fallback),
            unit: l.unit,
            quantity: l.quantity,
            unit_price: l.unit_price,
            amount: l.amount,
        });
    }
    let source = Source {
        invoice_id: Some(invoice_id),
        invoice_number: inv.row.number,
        customer_id: inv.row.customer_id,
        currency: inv.row.currency.to_string(),
        total,
        lines,
    };
    Ok((source, issue))
}

/// A selection of one customer's recorded services, priced as an invoice would price them
/// (the same arithmetic, the profile's tax-inclusive setting), in their recorded order.
fn from_services(
    ctx: &mut Ctx,
    customer_id: Option<Id>,
    charge_ids: List<Id, { invoices::MAX_LINES }>,
) -> Result<(Source, NaiveDate)> {
    let customer_id = customer_id
        .ok_or_else(|| Error::invalid("customerId", "error.required"))?
        .0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let ids: Vec<i64> = charge_ids.iter().map(|i| i.0).collect();
    if ids.is_empty() {
        return Err(Error::invalid("chargeIds", "error.required"));
    }
    let mut lines = Vec::new();
    let mut inputs = Vec::new();
    for (i, cid) in ids.iter().enumerate() {
        let field = format!("chargeIds[{i}]");
        if ids[..i].contains(cid) {
            return Err(Error::invalid(field, "error.duplicate"));
        }
        let (description, quantity, unit, price, rate) =
            charges::read_for_act(ctx.conn, *cid, customer_id, &field)?;
        if charges::on_an_act(ctx.conn, *cid)? {
            return Err(Error::Conflict {
                key: "error.chargeOnAct",
                field: Some(field),
            });
        }
        let date = service_date(ctx.conn, *cid)?.ok_or_else(|| Error::not_found(field.clone()))?;
        inputs.push(calc::LineInput {
            quantity,
            unit_price: price.value(c.currency),
            discount_percent: Decimal::ZERO,
            tax_rate: rate,
        });
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
    let include_tax = profile::load(ctx.conn)?
        .map(|p| p.prices_include_tax)
        .unwrap_or(false);
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
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActView {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub invoice_id: Option<i64>,
    pub customer_id: i64,
    /// `kk`, `ru` or `kk+ru`.
    pub language: String,
    /// The parties and the lines as they were when the act was made.
    pub content: Value,
    /// Its sending log (after a sending is recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sends: Option<Vec<ActSend>>,
}

/// One act.
pub fn read(conn: &crate::sql::Connection, id: i64, field: &str) -> Result<ActView> {
    conn.query_row("SELECT id, number, issue_date, invoice_id, customer_id, language, content FROM acts WHERE id = ?1", [id], |r| {
        let content: String = r.get(6)?;
        Ok(ActView {
            id: r.get(0)?,
            number: r.get(1)?,
            date: r.get(2)?,
            invoice_id: r.get(3)?,
            customer_id: r.get(4)?,
            language: r.get(5)?,
            content: serde_json::from_str::<Value>(&content)
                .map_err(|e| crate::sql::Error::FromSqlConversionFailure(6, crate::sql::Type::Text, Box::new(e)))?,
            sends: None,
        })
    })
    .optional()?
    .ok_or_else(|| Error::not_found(field))
}

/// One act as JSON (the documents read it so).
pub fn load(conn: &crate::sql::Connection, id: i64, field: &str) -> Result<Value> {
    to_value(&read(conn, id, field)?)
}

/// `get_act {id}`.
pub fn get(ctx: &mut Ctx, req: ById) -> Result<ActView> {
    read(ctx.conn, req.id.0, "id")
}

/// `list_acts`: the acts of an invoice, or of a customer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListActs {
    /// The invoice's act (one at most).
    pub invoice_id: Option<Id>,
    /// Without `invoiceId`: the customer's acts.
    pub customer_id: Option<Id>,
}

/// An act in a list: without its content, with its sending log.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActRow {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub language: String,
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
    pub sends: Vec<ActSend>,
}

/// `list_acts {invoiceId} | {customerId}`: the acts made for an invoice (one at most) or for a
/// customer, newest first, without their content, each with its sending log.
pub fn list(ctx: &mut Ctx, req: ListActs) -> Result<Vec<ActRow>> {
    let (column, id) = match req.invoice_id {
        Some(id) => {
            super::must_exist(ctx.conn, "invoices", id.0, "invoiceId")?;
            ("invoice_id", id.0)
        }
        None => {
            let id = req
                .customer_id
                .ok_or_else(|| Error::invalid("customerId", "error.required"))?
                .0;
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
        out.push(ActRow {
            id: act_id,
            number: r.get(1)?,
            date: r.get(2)?,
            language: r.get(3)?,
            invoice_id: r.get(4)?,
            invoice_number: r.get(5)?,
            sends: sends(ctx.conn, act_id)?,
        });
    }
    Ok(out)
}

/// One entry of an act's sending log.
#[derive(Debug, Serialize)]
pub struct ActSend {
    pub id: i64,
    pub kind: String,
    pub date: String,
    pub note: String,
}

fn sends(conn: &crate::sql::Connection, act_id: i64) -> Result<Vec<ActSend>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, sent_on, note FROM act_sends WHERE act_id = ?1 ORDER BY sent_on, id",
    )?;
    let rows = stmt
        .query_map([act_id], |r| {
            Ok(ActSend {
                id: r.get(0)?,
                kind: r.get(1)?,
                date: r.get(2)?,
                note: r.get(3)?,
            })
        })?
        .collect::<crate::sql::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How an act leaves the shop, or that its signed copy came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActSendKind {
    Post,
    Email,
    Pdf,
    Signed,
}

impl ActSendKind {
    fn as_str(self) -> &'static str {
        match self {
            ActSendKind::Post => "post",
            ActSendKind::Email => "email",
            ActSendKind::Pdf => "pdf",
            ActSendKind::Signed => "signed",
        }
    }
}

/// `record_act_sending`: one entry of an act's sending log.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordActSending {
    pub act_id: Id,
    /// Posted, e-mailed, saved as PDF, or the customer's signed copy came back.
    pub kind: ActSendKind,
    /// Today when left out; not before the act's date nor in the future.
    pub date: Option<Date>,
    pub note: Option<Text<500>>,
}

/// `record_act_sending {actId, kind: post|email|pdf|signed, date?=today, note?}`: logs that the
/// act left the shop (its two copies: one for each side) or that the customer's signed copy came
/// back. Never before the act's date nor in the future.
pub fn record_sending(ctx: &mut Ctx, req: RecordActSending) -> Result<ActView> {
    let act_id = req.act_id.0;
    let kind = req.kind.as_str();
    let date = req.date.map_or(ctx.today, |d| d.0);
    let note = req.note.map(Text::into_string).unwrap_or_default();
    let made: Option<String> = ctx
        .conn
        .query_row("SELECT issue_date FROM acts WHERE id = ?1", [act_id], |r| {
            r.get(0)
        })
        .optional()?;
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
    let mut a = read(ctx.conn, act_id, "actId")?;
    a.sends = Some(sends(ctx.conn, act_id)?);
    Ok(a)
}

/// An act not yet handed over.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsentAct {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub invoice_number: Option<String>,
    pub invoice_id: Option<i64>,
}

/// The acts not yet handed over (no post or email sending, no signed copy back), oldest first:
/// what the "to send" screen offers to print in one batch (as JSON: the reminders' answer
/// embeds them).
pub fn unsent(conn: &crate::sql::Connection) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.number, a.issue_date, a.customer_id, c.name, i.number, a.invoice_id FROM acts a JOIN customers c ON c.id = a.customer_id
         LEFT JOIN invoices i ON i.id = a.invoice_id
         WHERE NOT EXISTS (SELECT 1 FROM act_sends s WHERE s.act_id = a.id AND s.kind IN ('post', 'email', 'signed'))
         ORDER BY a.issue_date, a.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(UnsentAct {
                id: r.get(0)?,
                number: r.get(1)?,
                date: r.get(2)?,
                customer_id: r.get(3)?,
                customer_name: r.get(4)?,
                invoice_number: r.get(5)?,
                invoice_id: r.get(6)?,
            })
        })?
        .collect::<crate::sql::Result<Vec<_>>>()?;
    rows.iter().map(to_value).collect()
}
