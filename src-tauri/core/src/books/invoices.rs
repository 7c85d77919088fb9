//! Invoices: drafts (freely editable), issuing (a gapless number and a journal entry in one
//! transaction, immutable afterwards) and the sending log that drives "after receipt" terms.

use super::charges::{self, Quantity};
use super::customers::{self, CustomerInfo};
use super::Deleted;
use super::{fingerprint, must_exist, now_stamp, parse_stored_date, profile, to_value, Ctx};
use crate::acct;
use crate::args::{parse_date, trim_invisible};
use crate::calc::{self, LineInput, Totals};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::{Currency, UnitPrice};
use crate::req::{self, Amount, ById, Date, Dec, Id, Int, List, LongText, Percent, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use crate::terms::PaymentTerms;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::str::FromStr;

/// Most lines on one invoice.
pub const MAX_LINES: usize = 1000;

/// One line of a draft invoice: typed in, or billing one of the customer's recorded services.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftLineInput {
    /// A recorded service of the customer to bill; the line's own fields replace the service's.
    pub charge_id: Option<Id>,
    /// Required without `chargeId`.
    pub description: Option<LongText>,
    /// 1 when left out (the service's with `chargeId`).
    pub quantity: Option<Quantity>,
    pub unit: Option<Text<20>>,
    /// Required without `chargeId`; up to 6 decimals whatever the currency (the line is rounded).
    pub unit_price: Option<Amount>,
    pub discount_percent: Option<Percent>,
    /// The profile's default VAT rate when left out (the service's with `chargeId`).
    pub tax_rate: Option<Percent>,
}

/// `create_invoice`: a new draft, from typed lines and recorded services.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateInvoice {
    pub customer_id: Id,
    #[serde(default)]
    pub lines: List<DraftLineInput, MAX_LINES>,
    /// Recorded services, each on a line of its own after `lines` (one already on a line is skipped).
    #[serde(default)]
    pub charge_ids: List<Id, MAX_LINES>,
    /// Off the whole invoice.
    pub discount_percent: Option<Percent>,
    /// The profile's setting when left out.
    pub prices_include_tax: Option<bool>,
    /// The purpose of payment; made from the lines when the invoice is issued if left out.
    pub purpose: Option<Text<500>>,
    pub notes: Option<LongText>,
    /// The service period; the recorded services' dates when left out.
    pub service_from: Option<Date>,
    pub service_to: Option<Date>,
    /// The customer's terms (else the profile's) when left out.
    pub terms_id: Option<Id>,
    /// The customer's language (else the profile's) when left out.
    pub language: Option<Lang>,
}

/// `update_invoice`: a draft's whole new content.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInvoice {
    /// The draft.
    pub id: Id,
    pub customer_id: Id,
    #[serde(default)]
    pub lines: List<DraftLineInput, MAX_LINES>,
    /// Recorded services, each on a line of its own after `lines` (one already on a line is skipped).
    #[serde(default)]
    pub charge_ids: List<Id, MAX_LINES>,
    /// Off the whole invoice.
    pub discount_percent: Option<Percent>,
    /// The profile's setting when left out.
    pub prices_include_tax: Option<bool>,
    /// The purpose of payment; made from the lines when the invoice is issued if left out.
    pub purpose: Option<Text<500>>,
    pub notes: Option<LongText>,
    /// The service period; the recorded services' dates when left out.
    pub service_from: Option<Date>,
    pub service_to: Option<Date>,
    /// The customer's terms (else the profile's) when left out.
    pub terms_id: Option<Id>,
    /// The customer's language (else the profile's) when left out.
    pub language: Option<Lang>,
    /// The draft's `revision` as the editor loaded it: when another desktop has changed the
    /// draft since, the save is refused (`error.draftChangedElsewhere`) instead of silently
    /// overwriting their work. Left out, the save always replaces the draft.
    pub expected_revision: Option<Text<32>>,
}

impl UpdateInvoice {
    fn into_parts(self) -> (i64, CreateInvoice) {
        let content = CreateInvoice {
            customer_id: self.customer_id,
            lines: self.lines,
            charge_ids: self.charge_ids,
            discount_percent: self.discount_percent,
            prices_include_tax: self.prices_include_tax,
            purpose: self.purpose,
            notes: self.notes,
            service_from: self.service_from,
            service_to: self.service_to,
            terms_id: self.terms_id,
            language: self.language,
        };
        (self.id.0, content)
    }
}

/// `preview_invoice`: a draft's content, not written (`id`: the draft being edited).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewInvoice {
    /// The draft being edited (its own services may be on it).
    pub id: Option<Id>,
    pub customer_id: Id,
    #[serde(default)]
    pub lines: List<DraftLineInput, MAX_LINES>,
    /// Recorded services, each on a line of its own after `lines` (one already on a line is skipped).
    #[serde(default)]
    pub charge_ids: List<Id, MAX_LINES>,
    /// Off the whole invoice.
    pub discount_percent: Option<Percent>,
    /// The profile's setting when left out.
    pub prices_include_tax: Option<bool>,
    /// The purpose of payment; made from the lines when the invoice is issued if left out.
    pub purpose: Option<Text<500>>,
    pub notes: Option<LongText>,
    /// The service period; the recorded services' dates when left out.
    pub service_from: Option<Date>,
    pub service_to: Option<Date>,
    /// The customer's terms (else the profile's) when left out.
    pub terms_id: Option<Id>,
    /// The customer's language (else the profile's) when left out.
    pub language: Option<Lang>,
}

impl PreviewInvoice {
    fn into_parts(self) -> (Option<i64>, CreateInvoice) {
        let content = CreateInvoice {
            customer_id: self.customer_id,
            lines: self.lines,
            charge_ids: self.charge_ids,
            discount_percent: self.discount_percent,
            prices_include_tax: self.prices_include_tax,
            purpose: self.purpose,
            notes: self.notes,
            service_from: self.service_from,
            service_to: self.service_to,
            terms_id: self.terms_id,
            language: self.language,
        };
        (self.id.map(|i| i.0), content)
    }
}

/// One line of a draft, validated.
#[derive(Debug, Clone)]
pub struct DraftLine {
    pub charge_id: Option<i64>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: UnitPrice,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
}

/// A line as a schedule or a quote keeps it (`recurring_lines`, `quote_lines`), decimals as
/// stored text.
pub(crate) struct StoredLineRow {
    description: String,
    quantity: String,
    unit: String,
    unit_price_minor: i64,
    unit_price_scale: Option<i64>,
    discount_percent: String,
    tax_rate: String,
}

impl StoredLineRow {
    /// The row of `SELECT description, quantity, unit, unit_price_minor, unit_price_scale,
    /// discount_percent, tax_rate`, in that order.
    pub(crate) fn read(r: &crate::sql::Row<'_>) -> crate::sql::Result<StoredLineRow> {
        Ok(StoredLineRow {
            description: r.get(0)?,
            quantity: r.get(1)?,
            unit: r.get(2)?,
            unit_price_minor: r.get(3)?,
            unit_price_scale: r.get(4)?,
            discount_percent: r.get(5)?,
            tax_rate: r.get(6)?,
        })
    }
}

impl DraftLine {
    /// A line kept by a schedule or a quote (decimals as stored text), as a draft line; a
    /// stored decimal that does not parse is an error, never a zero.
    pub(crate) fn stored(row: StoredLineRow) -> Result<DraftLine> {
        let dec = |s: &str| {
            Decimal::from_str(s)
                .map_err(|_| Error::Internal(format!("a stored decimal does not parse: {s:?}")))
        };
        Ok(DraftLine {
            charge_id: None,
            description: row.description,
            quantity: dec(&row.quantity)?,
            unit: row.unit,
            unit_price: UnitPrice::stored(row.unit_price_minor, row.unit_price_scale),
            discount_percent: dec(&row.discount_percent)?,
            tax_rate: dec(&row.tax_rate)?,
        })
    }
}

/// A draft invoice, validated and ready to store or preview.
#[derive(Debug, Clone)]
pub struct Draft {
    pub customer: CustomerInfo,
    pub lines: Vec<DraftLine>,
    pub discount_percent: Decimal,
    pub prices_include_tax: bool,
    pub purpose: String,
    pub notes: String,
    pub service_from: Option<NaiveDate>,
    pub service_to: Option<NaiveDate>,
    pub terms_id: i64,
    pub terms: PaymentTerms,
    pub language: Lang,
}

impl Draft {
    pub fn totals(&self) -> Result<Totals> {
        let inputs: Vec<LineInput> = self
            .lines
            .iter()
            .map(|l| LineInput {
                quantity: l.quantity,
                unit_price: l.unit_price.value(self.customer.currency),
                discount_percent: l.discount_percent,
                tax_rate: l.tax_rate,
            })
            .collect();
        calc::compute(
            self.customer.currency,
            &inputs,
            self.discount_percent,
            self.prices_include_tax,
        )
    }
}

/// A quantity on a line: 1 when left out, never zero.
fn line_quantity(q: Option<Quantity>, field: &str) -> Result<Decimal> {
    let q = q.map_or(Decimal::ONE, |q| q.0);
    if q.is_zero() {
        return Err(Error::invalid(field, "error.zero"));
    }
    Ok(q)
}

/// Validates a draft's content against the books (the customer, the services, the terms, the
/// currency's rule for prices) and fills in the defaults. `draft_id` is the draft being edited
/// (its own charges are allowed).
pub fn parse_draft(conn: &Connection, req: CreateInvoice, draft_id: Option<i64>) -> Result<Draft> {
    let customer_id = req.customer_id.0;
    let customer = customers::info(conn, customer_id, "customerId")?;
    if customer.archived {
        return Err(Error::Conflict {
            key: "error.customerArchived",
            field: Some("customerId".into()),
        });
    }
    let prof = profile::load(conn)?;
    let currency = customer.currency;
    let mut default_rate: Option<Decimal> = None;
    let mut lines = Vec::new();
    let mut service_dates = Vec::new();
    for (i, l) in req.lines.0.into_iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let from_charge = match l.charge_id {
            Some(cid) => Some((
                cid.0,
                charges::take_for_line(conn, cid.0, customer_id, draft_id, &field("chargeId"))?,
            )),
            None => None,
        };
        let (description, quantity, unit, unit_price, tax_rate) = match &from_charge {
            Some((_, (d, q, u, p, r))) => (
                l.description.map_or_else(|| d.clone(), Text::into_string),
                match l.quantity {
                    Some(q) => line_quantity(Some(q), &field("quantity"))?,
                    None => *q,
                },
                l.unit.map_or_else(|| u.clone(), Text::into_string),
                match l.unit_price {
                    Some(p) => UnitPrice::parse(p.0, currency, &field("unitPrice"))?,
                    None => *p,
                },
                l.tax_rate.map_or(*r, |r| r.0),
            ),
            None => {
                let description = l
                    .description
                    .ok_or_else(|| Error::invalid(field("description"), "error.required"))?
                    .into_string();
                let quantity = line_quantity(l.quantity, &field("quantity"))?;
                let unit = l.unit.map(Text::into_string).unwrap_or_default();
                let price = l
                    .unit_price
                    .ok_or_else(|| Error::invalid(field("unitPrice"), "error.required"))?;
                let unit_price = UnitPrice::parse(price.0, currency, &field("unitPrice"))?;
                let tax_rate = match (l.tax_rate, default_rate) {
                    (Some(r), _) => r.0,
                    (None, Some(r)) => r,
                    (None, None) => *default_rate.insert(profile::default_tax_rate(conn)?),
                };
                (description, quantity, unit, unit_price, tax_rate)
            }
        };
        lines.push(DraftLine {
            charge_id: from_charge.map(|c| c.0),
            description,
            quantity,
            unit,
            unit_price,
            discount_percent: l.discount_percent.map_or(Decimal::ZERO, |d| d.0),
            tax_rate,
        });
    }
    for (i, cid) in req.charge_ids.iter().map(|c| c.0).enumerate() {
        if lines.iter().any(|l| l.charge_id == Some(cid)) {
            continue;
        }
        let (description, quantity, unit, unit_price, tax_rate) =
            charges::take_for_line(conn, cid, customer_id, draft_id, &format!("chargeIds[{i}]"))?;
        let date: String = conn.query_row(
            "SELECT service_date FROM charges WHERE id = ?1",
            [cid],
            |r| r.get(0),
        )?;
        service_dates.push(parse_stored_date(&date)?);
        lines.push(DraftLine {
            charge_id: Some(cid),
            description,
            quantity,
            unit,
            unit_price,
            discount_percent: Decimal::ZERO,
            tax_rate,
        });
    }
    for l in &lines {
        if let Some(cid) = l.charge_id {
            let date: String = conn.query_row(
                "SELECT service_date FROM charges WHERE id = ?1",
                [cid],
                |r| r.get(0),
            )?;
            service_dates.push(parse_stored_date(&date)?);
        }
    }
    if lines.len() > MAX_LINES {
        return Err(Error::invalid("lines", "error.tooMany"));
    }
    let terms_id = match req.terms_id {
        Some(t) => t.0,
        None => match customer.terms_id {
            Some(t) => t,
            None => super::profile::default_terms_id(conn)?,
        },
    };
    let terms = super::terms::load(conn, terms_id, "termsId")?;
    let language = match req.language {
        Some(l) => l,
        None => customer
            .language
            .or(prof.as_ref().map(|p| p.language))
            .unwrap_or(Lang::En),
    };
    let service_from = req
        .service_from
        .map(|d| d.0)
        .or_else(|| service_dates.iter().min().copied());
    let service_to = req
        .service_to
        .map(|d| d.0)
        .or_else(|| service_dates.iter().max().copied());
    if let (Some(f), Some(t)) = (service_from, service_to) {
        if t < f {
            return Err(Error::invalid("serviceTo", "error.beforeStart"));
        }
    }
    Ok(Draft {
        customer,
        lines,
        discount_percent: req.discount_percent.map_or(Decimal::ZERO, |d| d.0),
        prices_include_tax: req
            .prices_include_tax
            .unwrap_or(prof.as_ref().map(|p| p.prices_include_tax).unwrap_or(false)),
        purpose: req.purpose.map(Text::into_string).unwrap_or_default(),
        notes: req.notes.map(Text::into_string).unwrap_or_default(),
        service_from,
        service_to,
        terms_id,
        terms,
        language,
    })
}

/// The totals of one tax rate.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateTotals {
    pub rate: String,
    pub lines: String,
    pub discount: String,
    pub net: String,
    pub tax: String,
    pub gross: String,
}

/// A draft's totals as computed (the same function issuing uses), amounts as decimal strings.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotalsView {
    pub currency: &'static str,
    pub prices_include_tax: bool,
    /// Each line's amount, in the lines' order.
    pub line_amounts: Vec<String>,
    pub rates: Vec<RateTotals>,
    pub subtotal: String,
    pub discount: String,
    pub net: String,
    pub tax: String,
    pub total: String,
}

pub(crate) fn totals_view(currency: Currency, t: &Totals, include_tax: bool) -> TotalsView {
    let f = |m: i64| currency.format_minor(m);
    TotalsView {
        currency: currency.code,
        prices_include_tax: include_tax,
        line_amounts: t.line_amounts.iter().map(|m| f(*m)).collect(),
        rates: t
            .rates
            .iter()
            .map(|r| RateTotals {
                rate: r.rate.normalize().to_string(),
                lines: f(r.lines_minor),
                discount: f(r.discount_minor),
                net: f(r.net_minor),
                tax: f(r.tax_minor),
                gross: f(r.gross_minor),
            })
            .collect(),
        subtotal: f(t.subtotal_minor),
        discount: f(t.discount_minor),
        net: f(t.net_minor),
        tax: f(t.tax_minor),
        total: f(t.total_minor),
    }
}

/// The default purpose of payment, built from the lines in the invoice's language.
pub fn default_purpose(lang: Lang, number: &str, descriptions: &[&str]) -> String {
    let mut items: Vec<String> = descriptions
        .iter()
        .take(3)
        .map(|d| d.lines().next().unwrap_or("").chars().take(60).collect())
        .collect();
    if descriptions.len() > 3 {
        items.push(i18n::tf(
            lang,
            "invoice.moreItems",
            &[("n", &(descriptions.len() - 3).to_string())],
        ));
    }
    i18n::tf(
        lang,
        "invoice.defaultPurpose",
        &[("number", number), ("items", &items.join("; "))],
    )
}

/// A draft's live totals and what issuing it today would give.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoicePreview {
    pub totals: TotalsView,
    /// The purpose of payment issuing would write (the number shown as `…`).
    pub purpose_default: String,
    pub terms_sentence: String,
    /// Unknown (null) for terms that count from the receipt.
    pub due_date_if_issued_today: Option<String>,
    pub language: &'static str,
    pub terms_id: i64,
    pub currency: &'static str,
}

/// `preview_invoice {customerId, lines, chargeIds, discountPercent, pricesIncludeTax, termsId, ...}`:
/// live totals computed in Rust, nothing written.
pub fn preview(ctx: &mut Ctx, req: PreviewInvoice) -> Result<InvoicePreview> {
    let (draft_id, content) = req.into_parts();
    let d = parse_draft(ctx.conn, content, draft_id)?;
    let t = d.totals()?;
    let descs: Vec<&str> = d.lines.iter().map(|l| l.description.as_str()).collect();
    let due = d.terms.due_date(ctx.today, None);
    Ok(InvoicePreview {
        totals: totals_view(d.customer.currency, &t, d.prices_include_tax),
        purpose_default: default_purpose(d.language, "…", &descs),
        terms_sentence: d.terms.sentence(d.language),
        due_date_if_issued_today: due.map(|x| x.to_string()),
        language: d.language.code(),
        terms_id: d.terms_id,
        currency: d.customer.currency.code,
    })
}

fn write_draft(conn: &Connection, id: i64, d: &Draft, t: &Totals) -> Result<()> {
    conn.execute(
        "UPDATE charges SET invoice_id = NULL WHERE invoice_id = ?1",
        [id],
    )?;
    conn.execute("DELETE FROM invoice_lines WHERE invoice_id = ?1", [id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO invoice_lines (invoice_id, position, charge_id, description, quantity, unit, unit_price_minor, discount_percent, tax_rate, amount_minor, unit_price_scale)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (i, l) in d.lines.iter().enumerate() {
        stmt.execute(params![
            id,
            i as i64 + 1,
            l.charge_id,
            l.description,
            l.quantity.normalize().to_string(),
            l.unit,
            l.unit_price.units,
            l.discount_percent.normalize().to_string(),
            l.tax_rate.normalize().to_string(),
            t.line_amounts[i],
            l.unit_price.scale_column()
        ])?;
        if let Some(cid) = l.charge_id {
            conn.execute(
                "UPDATE charges SET invoice_id = ?1 WHERE id = ?2",
                params![id, cid],
            )?;
        }
    }
    let terms_json = serde_json::to_string(&d.terms).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "UPDATE invoices SET customer_id=?2, currency=?3, language=?4, terms_id=?5, terms_json=?6, prices_include_tax=?7, discount_percent=?8,
            purpose=?9, notes=?10, service_from=?11, service_to=?12, subtotal_minor=?13, discount_minor=?14, tax_minor=?15, total_minor=?16, updated_at=?17
         WHERE id=?1 AND status='draft'",
        params![
            id,
            d.customer.id,
            d.customer.currency.code,
            d.language.code(),
            d.terms_id,
            terms_json,
            d.prices_include_tax as i64,
            d.discount_percent.normalize().to_string(),
            d.purpose,
            d.notes,
            d.service_from.map(|x| x.to_string()),
            d.service_to.map(|x| x.to_string()),
            t.subtotal_minor,
            t.discount_minor,
            t.tax_minor,
            t.total_minor,
            now_stamp()
        ],
    )?;
    Ok(())
}

/// `create_invoice {customerId, lines?, chargeIds?, ...}`: a new draft.
pub fn create(ctx: &mut Ctx, req: CreateInvoice) -> Result<InvoiceView> {
    let d = parse_draft(ctx.conn, req, None)?;
    let tx = ctx.conn.transaction()?;
    let id = insert_draft(&tx, &d)?;
    tx.commit()?;
    read(ctx, id, "id")
}

/// Stores a validated draft as a new invoice draft; the caller owns the transaction.
pub(crate) fn insert_draft(conn: &Connection, d: &Draft) -> Result<i64> {
    let t = d.totals()?;
    conn.execute(
        "INSERT INTO invoices (customer_id, status, currency, language, terms_json, created_at, updated_at) VALUES (?1, 'draft', ?2, ?3, '{}', ?4, ?4)",
        params![d.customer.id, d.customer.currency.code, d.language.code(), now_stamp()],
    )?;
    let id = conn.last_insert_rowid();
    write_draft(conn, id, d, &t)?;
    Ok(id)
}

fn require_draft(conn: &Connection, id: i64) -> Result<()> {
    let status: Option<String> = conn
        .query_row("SELECT status FROM invoices WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match status.as_deref() {
        None => Err(Error::not_found("id")),
        Some("draft") => Ok(()),
        Some(_) => Err(Error::NotEditable {
            key: "error.issuedImmutable",
        }),
    }
}

/// `update_invoice {id, customerId, lines, ...}`: replaces a draft's content.
pub fn update(ctx: &mut Ctx, req: UpdateInvoice) -> Result<InvoiceView> {
    let expected = req
        .expected_revision
        .as_ref()
        .map(|r| r.as_str().to_string());
    let (id, content) = req.into_parts();
    require_draft(ctx.conn, id)?;
    let d = parse_draft(ctx.conn, content, Some(id))?;
    let t = d.totals()?;
    let tx = ctx.conn.transaction()?;
    // Checked inside the writing transaction (writers go one at a time), so no other desktop
    // can change the draft between the check and the save.
    require_revision(&tx, id, expected.as_deref())?;
    write_draft(&tx, id, &d, &t)?;
    tx.commit()?;
    read(ctx, id, "id")
}

/// `delete_invoice {id}`: deletes a draft; its charges become unbilled again.
pub fn delete(ctx: &mut Ctx, req: ById) -> Result<Deleted> {
    let id = req.id.0;
    require_draft(ctx.conn, id)?;
    let tx = ctx.conn.transaction()?;
    tx.execute(
        "UPDATE charges SET invoice_id = NULL WHERE invoice_id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM invoices WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(Deleted { deleted: id })
}

/// The content of an issued invoice that must never change, as fingerprint parts.
fn content_parts(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut parts: Vec<String> = conn
        .prepare_cached(
            "SELECT number, issue_date, customer_id, currency, total_minor, tax_minor, subtotal_minor, discount_minor, purpose, terms_json,
                COALESCE(customer_snapshot, ''), COALESCE(due_date, ''), entry_id FROM invoices WHERE id = ?1",
        )?
        .query_row([id], |r| (0..13).map(|i| r.get::<_, crate::sql::Value>(i).map(|v| format!("{v:?}"))).collect::<crate::sql::Result<Vec<String>>>())?;
    let mut stmt = conn.prepare_cached(
        "SELECT position, description, quantity, unit, unit_price_minor, discount_percent, tax_rate, amount_minor, unit_price_scale FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        for i in 0..8 {
            parts.push(format!("{:?}", r.get::<_, crate::sql::Value>(i)?));
        }
        // A finer unit price's decimals are content too; absent (NULL) for every price exact in
        // the currency, so invoices issued before finer prices existed keep their fingerprint.
        if let Some(scale) = r.get::<_, Option<i64>>(8)? {
            parts.push(format!("scale {scale}"));
        }
    }
    Ok(parts)
}

/// The stored fingerprint and a fresh one, for the audit.
pub fn fingerprints(conn: &Connection, id: i64) -> Result<(Option<String>, String)> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT content_hash FROM invoices WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    Ok((stored, fingerprint(&content_parts(conn, id)?)))
}

/// `issue_invoice`: a draft becomes an invoice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueInvoice {
    /// The draft.
    pub id: Id,
    /// Today when left out; never in the future.
    pub issue_date: Option<Date>,
    /// The draft's `revision` as the window shows it: refused when another desktop has
    /// changed the draft since (what is issued is what the user saw).
    pub expected_revision: Option<Text<32>>,
}

/// `issue_invoice {id, issueDate?=today}`: assigns the next gapless number and posts
/// Dr Receivables / Cr Sales / Cr Tax payable per rate, in one IMMEDIATE transaction. From
/// then on the invoice is immutable.
pub fn issue(ctx: &mut Ctx, req: IssueInvoice) -> Result<InvoiceView> {
    let id = req.id.0;
    let issue_date = req.issue_date.map_or(ctx.today, |d| d.0);
    if issue_date > ctx.today {
        return Err(Error::invalid("issueDate", "error.inFuture"));
    }
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    require_revision(&tx, id, req.expected_revision.as_ref().map(|r| r.as_str()))?;
    issue_in(&tx, id, issue_date)?;
    tx.commit()?;
    with_customer_credit(ctx, read(ctx, id, "id")?)
}

/// Refuses to go on when the draft is no longer what the editor loaded (see
/// [`UpdateInvoice::expected_revision`]).
pub(crate) fn require_revision(conn: &Connection, id: i64, expected: Option<&str>) -> Result<()> {
    require_draft(conn, id)?;
    match expected {
        Some(e) if draft_revision(conn, id)? != e => Err(Error::Conflict {
            key: "error.draftChangedElsewhere",
            field: None,
        }),
        _ => Ok(()),
    }
}

/// A draft's revision: the fingerprint (as issued documents have) of everything its editor
/// shows and saves, the header and every line, the same on every desktop of this version.
pub(crate) fn draft_revision(conn: &Connection, id: i64) -> Result<String> {
    let mut parts = Vec::new();
    for sql in [
        "SELECT customer_id, currency, language, terms_id, terms_json, prices_include_tax, discount_percent,
            purpose, notes, service_from, service_to, total_minor FROM invoices WHERE id = ?1",
        "SELECT position, charge_id, description, quantity, unit, unit_price_minor, unit_price_scale,
            discount_percent, tax_rate FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            for i in 0..r.column_count() {
                let v: crate::sql::Value = r.get(i)?;
                parts.push(format!("{v:?}"));
            }
        }
    }
    Ok(super::fingerprint(&parts))
}

/// Issues a draft inside the caller's IMMEDIATE transaction (see [`issue`]).
pub(crate) fn issue_in(tx: &Connection, id: i64, issue_date: NaiveDate) -> Result<()> {
    require_draft(tx, id)?;
    let seller = profile::require(tx)?;
    // Re-read the stored draft through the same validation as a new one.
    let d = parse_draft(tx, stored_draft(tx, id)?, Some(id))?;
    if d.lines.is_empty() {
        return Err(Error::invalid("lines", "error.emptyInvoice"));
    }
    let t = d.totals()?;
    if t.total_minor <= 0 {
        return Err(Error::invalid("lines", "error.zeroTotal"));
    }
    let taken = super::series::Series::get("invoice")
        .expect("the invoice series")
        .take(tx, issue_date, "issueDate")?;
    let number = taken.number.clone();
    let descs: Vec<&str> = d.lines.iter().map(|l| l.description.as_str()).collect();
    let purpose = if d.purpose.is_empty() {
        default_purpose(d.language, &number, &descs)
    } else {
        d.purpose.clone()
    };
    let due = d.terms.due_date(issue_date, None);
    let cur = d.customer.currency.code;
    let mut postings = vec![
        Posting::new(Account::Receivables, cur, t.total_minor).customer(d.customer.id),
        Posting::new(Account::Sales, cur, -t.net_minor),
    ];
    for r in &t.rates {
        postings.push(
            Posting::new(Account::TaxPayable, cur, -r.tax_minor)
                .tax_rate(r.rate.normalize().to_string()),
        );
    }
    let entry = JournalEntry::new(
        issue_date,
        "invoice",
        format!("Invoice {number} {}", d.customer.name),
        Some(("invoice", id)),
        postings,
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(tx, &entry, &now)?;
    write_draft(tx, id, &d, &t)?;
    // Kept as the JSON text it always was (keys in order): it is part of the fingerprint.
    let customer_snapshot = to_value(&customer_block(&d.customer))?.to_string();
    let seller_snapshot = seller.to_json()?.to_string();
    tx.execute(
        "UPDATE invoices SET series='invoice', seq=?2, number=?3, issue_date=?4, due_date=?5, after_receipt_days=?6, purpose=?7,
            customer_snapshot=?8, seller_snapshot=?9, entry_id=?10, updated_at=?11, series_year=?12 WHERE id=?1",
        params![
            id,
            taken.seq,
            number,
            issue_date.to_string(),
            due.map(|x| x.to_string()),
            d.terms.needs_receipt().then_some(d.terms.days),
            purpose,
            customer_snapshot,
            seller_snapshot,
            entry_id,
            now,
            taken.year
        ],
    )?;
    let hash = fingerprint(&content_parts(tx, id)?);
    tx.execute(
        "UPDATE invoices SET status='issued', content_hash=?2 WHERE id=?1 AND status='draft'",
        params![id, hash],
    )?;
    taken.advance(tx)?;
    Ok(())
}

/// The customer as an issued invoice keeps it (and a draft's preview shows it): name, address,
/// country, БИН/ИИН, e-mail and the contract.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerBlock {
    pub name: String,
    pub address: String,
    pub country: String,
    pub tax_id: String,
    pub email: String,
    pub contract_number: String,
    pub contract_date: Option<String>,
}

pub(crate) fn customer_block(c: &customers::CustomerInfo) -> CustomerBlock {
    CustomerBlock {
        name: c.name.clone(),
        address: c.address.clone(),
        country: c.country.clone(),
        tax_id: c.tax_id.clone(),
        email: c.email.clone(),
        contract_number: c.contract_number.clone(),
        contract_date: c.contract_date.clone(),
    }
}

/// Fills in what a loaded draft does not have yet, as issuing it today would (number shown as
/// `mark`, dates, the customer's block, the default purpose): for the preview of its PDF.
pub fn as_if_issued_today(ctx: &mut Ctx, inv: &mut Value, mark: &str) -> Result<()> {
    let id = inv["id"].as_i64().ok_or_else(|| Error::not_found("id"))?;
    let d = parse_draft(ctx.conn, stored_draft(ctx.conn, id)?, Some(id))?;
    let c = &d.customer;
    inv["number"] = Value::from(mark);
    inv["issueDate"] = Value::from(ctx.today.to_string());
    inv["dueDate"] = d
        .terms
        .due_date(ctx.today, None)
        .map_or(Value::Null, |x| Value::from(x.to_string()));
    inv["customer"] = to_value(&customer_block(c))?;
    if d.purpose.trim().is_empty() {
        let descs: Vec<&str> = d.lines.iter().map(|l| l.description.as_str()).collect();
        inv["purpose"] = Value::from(default_purpose(d.language, mark, &descs));
    }
    Ok(())
}

/// A stored text as a request carries it, through the request's rules (blank is absent).
fn stored_text<const MAX: usize>(s: String, field: &str) -> Result<Option<Text<MAX>>> {
    match req::check_text(&s, MAX) {
        Ok(t) => Ok(Some(Text(t))),
        Err("error.required") => Ok(None),
        Err(key) => Err(Error::invalid(field, key)),
    }
}

/// A stored decimal as a request carries it, through the request's rules (blank is absent).
fn stored_dec<const MIN: i64, const MAX: i64, const SCALE: u32>(
    s: &str,
    field: &str,
) -> Result<Option<Dec<MIN, MAX, SCALE>>> {
    if trim_invisible(s).is_empty() {
        return Ok(None);
    }
    req::check_decimal(
        &Value::from(s),
        Decimal::from(MIN),
        Decimal::from(MAX),
        SCALE,
    )
    .map(|d| Some(Dec(d)))
    .map_err(|key| Error::invalid(field, key))
}

/// A stored date as a request carries it.
fn stored_date(s: Option<String>, field: &str) -> Result<Option<Date>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => parse_date(d, field).map(|d| Some(Date(d))),
    }
}

/// A draft's header as `stored_draft` reads it from `invoices`.
struct DraftHeaderRow {
    customer_id: i64,
    terms_id: Option<i64>,
    language: String,
    prices_include_tax: i64,
    discount_percent: String,
    purpose: String,
    notes: String,
    service_from: Option<String>,
    service_to: Option<String>,
}

/// A stored draft as the request that would write it, each value through the request's own
/// rules: a draft is re-read as a new one before it is shown with its totals or issued.
fn stored_draft(conn: &Connection, id: i64) -> Result<CreateInvoice> {
    let DraftHeaderRow {
        customer_id,
        terms_id,
        language,
        prices_include_tax: include,
        discount_percent: disc,
        purpose,
        notes,
        service_from: from,
        service_to: to,
    } = conn.query_row(
        "SELECT customer_id, terms_id, language, prices_include_tax, discount_percent, purpose, notes, service_from, service_to FROM invoices WHERE id = ?1",
        [id],
        |r| {
            Ok(DraftHeaderRow {
                customer_id: r.get(0)?,
                terms_id: r.get(1)?,
                language: r.get(2)?,
                prices_include_tax: r.get(3)?,
                discount_percent: r.get(4)?,
                purpose: r.get(5)?,
                notes: r.get(6)?,
                service_from: r.get(7)?,
                service_to: r.get(8)?,
            })
        },
    )?;
    let currency: String = conn.query_row(
        "SELECT currency FROM customers WHERE id = ?1",
        [customer_id],
        |r| r.get(0),
    )?;
    let cur = Currency::stored(&currency)?;
    type StoredLine = (
        Option<i64>,
        String,
        String,
        String,
        UnitPrice,
        String,
        String,
    );
    let mut stmt = conn.prepare_cached(
        "SELECT charge_id, description, quantity, unit, unit_price_minor, discount_percent, tax_rate, unit_price_scale FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
    )?;
    let rows: Vec<StoredLine> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                UnitPrice::stored(r.get(4)?, r.get(7)?),
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<crate::sql::Result<_>>()?;
    let mut lines = Vec::with_capacity(rows.len());
    for (i, (charge_id, description, quantity, unit, price, discount, rate)) in
        rows.into_iter().enumerate()
    {
        let field = |name: &str| format!("lines[{i}].{name}");
        lines.push(DraftLineInput {
            charge_id: charge_id
                .map(|c| {
                    if c > 0 {
                        Ok(Id(c))
                    } else {
                        Err(Error::invalid(field("chargeId"), "error.badId"))
                    }
                })
                .transpose()?,
            description: stored_text(description, &field("description"))?,
            quantity: stored_dec(&quantity, &field("quantity"))?,
            unit: stored_text(unit, &field("unit"))?,
            unit_price: stored_dec(&price.format(cur), &field("unitPrice"))?,
            discount_percent: stored_dec(&discount, &field("discountPercent"))?,
            tax_rate: stored_dec(&rate, &field("taxRate"))?,
        });
    }
    let language = match trim_invisible(&language) {
        "" => None,
        code => {
            Some(Lang::parse(code).ok_or_else(|| Error::invalid("language", "error.badChoice"))?)
        }
    };
    Ok(CreateInvoice {
        customer_id: Id(customer_id),
        lines: List(lines),
        charge_ids: List::default(),
        discount_percent: stored_dec(&disc, "discountPercent")?,
        prices_include_tax: Some(include != 0),
        purpose: stored_text(purpose, "purpose")?,
        notes: stored_text(notes, "notes")?,
        service_from: stored_date(from, "serviceFrom")?,
        service_to: stored_date(to, "serviceTo")?,
        terms_id: terms_id.map(Id),
        language,
    })
}

/// How an invoice left the shop, or that it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    Post,
    Email,
    Pdf,
    Received,
}

impl SendKind {
    fn as_str(self) -> &'static str {
        match self {
            SendKind::Post => "post",
            SendKind::Email => "email",
            SendKind::Pdf => "pdf",
            SendKind::Received => "received",
        }
    }
}

/// `record_sending`: one entry of an invoice's sending log.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordSending {
    pub invoice_id: Id,
    /// Posted (arrives after the customer's transit days), e-mailed, saved as PDF, or received.
    pub kind: SendKind,
    /// Today when left out; not before the issue date nor in the future.
    pub date: Option<Date>,
    pub note: Option<Text<500>>,
}

/// `record_sending {invoiceId, kind: post|email|pdf|received, date?=today, note?}`: logs that
/// the invoice left the shop (or arrived); "after receipt" due dates follow from it.
pub fn record_sending(ctx: &mut Ctx, req: RecordSending) -> Result<InvoiceView> {
    let id = req.invoice_id.0;
    let kind = req.kind;
    let date = req.date.map_or(ctx.today, |d| d.0);
    let note = req.note.map(Text::into_string).unwrap_or_default();
    let row: Option<(String, Option<String>, i64)> = ctx
        .conn
        .query_row("SELECT i.status, i.issue_date, c.transit_days FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (status, issue_date, transit) = row.ok_or_else(|| Error::not_found("invoiceId"))?;
    if status != "issued" {
        return Err(Error::Conflict {
            key: "error.notIssued",
            field: Some("invoiceId".into()),
        });
    }
    let issue_date = parse_stored_date(issue_date.as_deref().unwrap_or_default())?;
    if date < issue_date {
        return Err(Error::invalid("date", "error.beforeIssueDate"));
    }
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let expected = match kind {
        SendKind::Post => Some(date + chrono::Duration::days(transit)),
        SendKind::Email | SendKind::Received => Some(date),
        SendKind::Pdf => None,
    };
    ctx.conn.execute(
        "INSERT INTO invoice_sends (invoice_id, kind, sent_on, expected_receipt, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, kind.as_str(), date.to_string(), expected.map(|x| x.to_string()), note, now_stamp()],
    )?;
    read(ctx, id, "invoiceId")
}

// An invoice's state, the one definition: each state's condition on `invoice_state` (`st`)
// and the invoice (`i`), `?1` being today. The list's CASE and the status filters are built
// from these; `is_overdue` is the same rule in Rust (the dashboard), and a test checks that
// the dashboard's counts equal the filtered lists'.
macro_rules! paid {
    () => {
        "st.amount_minor <= st.settled_minor"
    };
}
macro_rules! unpaid {
    () => {
        "st.amount_minor > st.settled_minor"
    };
}
/// Given unpaid: past its due date (an invoice whose due date is not known yet is not overdue).
macro_rules! past_due {
    () => {
        "st.due_date < ?1"
    };
}
macro_rules! not_past_due {
    () => {
        "(st.due_date IS NULL OR st.due_date >= ?1)"
    };
}
/// Given unpaid and not overdue: something was settled.
macro_rules! partly {
    () => {
        "st.amount_minor - st.settled_minor < i.total_minor"
    };
}

/// Whether an unpaid invoice due on `due` is overdue on `today` (the `past_due` rule).
pub fn is_overdue(due: Option<NaiveDate>, today: NaiveDate) -> bool {
    due.is_some_and(|d| d < today)
}

/// Open amount and due date come from `invoice_state` (kept by triggers, checked by
/// check_books); drafts have no state row and are open for their total.
const LIST_SELECT: &str = concat!(
    "SELECT i.id, i.status, i.number, i.customer_id, c.name AS customer_name, i.issue_date, i.currency,
    i.total_minor, i.created_at, st.due_date AS due, COALESCE(st.amount_minor - st.settled_minor, i.total_minor) AS open_minor,
    CASE WHEN i.status = 'draft' THEN 'draft' WHEN ",
    paid!(),
    " THEN 'paid' WHEN st.due_date IS NOT NULL AND ",
    past_due!(),
    " THEN 'overdue' WHEN ",
    partly!(),
    " THEN 'partly_paid' ELSE 'open' END AS state"
);

fn list_from() -> String {
    "FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN invoice_state st ON st.invoice_id = i.id".to_string()
}

/// The WHERE condition of a status filter, written on the state columns so that SQLite can
/// use the partial index of open invoices; the same rules as LIST_SELECT's CASE.
fn status_filter(status: StatusFilter) -> &'static str {
    match status {
        StatusFilter::Draft => "i.status = 'draft'",
        StatusFilter::Issued => "i.status = 'issued'",
        StatusFilter::Paid => paid!(),
        StatusFilter::Unpaid => unpaid!(),
        StatusFilter::Unsent => concat!(unpaid!(), " AND st.sent = 0"),
        StatusFilter::Overdue => concat!(unpaid!(), " AND ", past_due!()),
        StatusFilter::PartlyPaid => {
            concat!(unpaid!(), " AND ", not_past_due!(), " AND ", partly!())
        }
        StatusFilter::Open => concat!(unpaid!(), " AND ", not_past_due!(), " AND NOT ", partly!()),
        StatusFilter::All => "1 = 1",
    }
}

/// An invoice as the lists show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceRow {
    pub id: i64,
    /// `draft`, `open`, `partly_paid`, `paid` or `overdue`.
    pub status: String,
    pub number: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    pub issue_date: Option<String>,
    /// Unknown (null) on a draft, and for "after receipt" terms until it is received.
    pub due_date: Option<String>,
    pub currency: &'static str,
    pub total: String,
    /// What is still to be paid (a draft: its total).
    pub open: String,
    pub days_overdue: i64,
    pub created_at: String,
    #[serde(skip)]
    pub open_minor: i64,
}

fn list_row(r: &crate::sql::Row, today: NaiveDate) -> crate::sql::Result<InvoiceRow> {
    let stored = |e: Error| crate::sql::Error::ToSqlConversionFailure(Box::new(e));
    let cur = Currency::stored(&r.get::<_, String>("currency")?).map_err(stored)?;
    let due: Option<String> = r.get("due")?;
    let state: String = r.get("state")?;
    let days_overdue = match (&due, state.as_str()) {
        (Some(d), "overdue") => (today - parse_stored_date(d).map_err(stored)?).num_days(),
        _ => 0,
    };
    let open_minor: i64 = r.get("open_minor")?;
    Ok(InvoiceRow {
        id: r.get("id")?,
        status: state,
        number: r.get("number")?,
        customer_id: r.get("customer_id")?,
        customer_name: r.get("customer_name")?,
        issue_date: r.get("issue_date")?,
        due_date: due,
        currency: cur.code,
        total: cur.format_minor(r.get("total_minor")?),
        open: cur.format_minor(open_minor),
        days_overdue,
        created_at: r.get("created_at")?,
        open_minor,
    })
}

/// Which invoices `list_invoices` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    All,
    Draft,
    Open,
    PartlyPaid,
    Paid,
    Overdue,
    Issued,
    Unpaid,
    Unsent,
}

/// The order of `list_invoices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceSort {
    Number,
    Date,
    Due,
    Total,
    Customer,
    Status,
}

/// `list_invoices`: a page of invoices.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListInvoices {
    /// `all` when left out; `issued` is all but drafts, `unsent` the open ones never mailed,
    /// e-mailed or received ("to mail").
    pub status: Option<StatusFilter>,
    pub customer_id: Option<Id>,
    /// Issued (a draft: created) on or after.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Part of the number or of the customer's name.
    pub query: Option<Text<100>>,
    /// `date` when left out.
    pub sort: Option<InvoiceSort>,
    /// Newest first (true) when left out.
    pub desc: Option<bool>,
    /// 50 when left out.
    pub limit: Option<Int<1, 500>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// A page of invoices and how many match.
#[derive(Debug, Serialize)]
pub struct InvoicePage {
    pub total: i64,
    pub rows: Vec<InvoiceRow>,
}

/// `list_invoices {status?, customerId?, from?, to?, query?, sort?, desc?, limit?, offset?}`.
/// `status`: draft, open, partly_paid, paid, overdue, issued (all but drafts), unpaid, unsent
/// (open and never mailed, emailed or received: "to mail") or all.
pub fn list(ctx: &mut Ctx, req: ListInvoices) -> Result<InvoicePage> {
    let status = req.status.unwrap_or(StatusFilter::All);
    let customer_id = req.customer_id.map(|i| i.0);
    let from = req.from.map(|d| d.0.to_string());
    let to = req.to.map(|d| d.0.to_string());
    let query = super::fold(req.query.as_ref().map_or("", |q| q.as_str()));
    let sort = req.sort.unwrap_or(InvoiceSort::Date);
    let desc = req.desc.unwrap_or(true);
    let limit = req.limit.map_or(50, |l| l.0);
    let offset = req.offset.map_or(0, |o| o.0);
    let order = match sort {
        InvoiceSort::Number => "i.series, i.series_year, i.seq",
        InvoiceSort::Date => "COALESCE(i.issue_date, substr(i.created_at, 1, 10))",
        InvoiceSort::Due => "st.due_date",
        InvoiceSort::Total => "i.total_minor",
        InvoiceSort::Customer => "c.name_fold",
        InvoiceSort::Status => "state",
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let filter = format!(
        "WHERE {} AND (CAST(?2 AS BIGINT) IS NULL OR i.customer_id = ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR COALESCE(i.issue_date, substr(i.created_at, 1, 10)) >= ?3)
           AND (CAST(?4 AS TEXT) IS NULL OR COALESCE(i.issue_date, substr(i.created_at, 1, 10)) <= ?4)
           AND (?5 = '' OR instr(lower(COALESCE(i.number, '')), ?5) > 0 OR instr(c.name_fold, ?5) > 0)",
        status_filter(status)
    );
    let sql = format!(
        "{LIST_SELECT} {} {filter} ORDER BY {order} {dir}, i.id {dir} LIMIT ?6 OFFSET ?7",
        list_from()
    );
    let today = ctx.today.to_string();
    let mut stmt = ctx.conn.prepare_cached(&sql)?;
    let rows: Vec<InvoiceRow> = stmt
        .query_map(
            params![today, customer_id, from, to, query, limit, offset],
            |r| list_row(r, ctx.today),
        )?
        .collect::<crate::sql::Result<_>>()?;
    // Counting the open-invoice filters needs only the state's partial index (20,000 overdue
    // invoices of a 100,000-invoice shop: ~2 ms instead of ~30 ms through the joins).
    let state_only = customer_id.is_none()
        && from.is_none()
        && to.is_none()
        && query.is_empty()
        && matches!(
            status,
            StatusFilter::Overdue
                | StatusFilter::Unpaid
                | StatusFilter::Paid
                | StatusFilter::Unsent
        );
    // The counts name every parameter, with its type (PostgreSQL types each one from the SQL
    // alone): `?1`, today, too, which only some status filters use.
    let count_sql = if state_only {
        format!(
            "SELECT COUNT(*) FROM invoice_state st WHERE {} AND CAST(?1 AS TEXT) IS NOT NULL AND CAST(?2 AS BIGINT) IS NULL
               AND CAST(?3 AS TEXT) IS NULL AND CAST(?4 AS TEXT) IS NULL AND ?5 = ''",
            status_filter(status)
        )
    } else {
        format!(
            "SELECT COUNT(*) {} {filter} AND CAST(?1 AS TEXT) IS NOT NULL",
            list_from()
        )
    };
    let total: i64 = ctx
        .conn
        .prepare_cached(&count_sql)?
        .query_row(params![today, customer_id, from, to, query], |r| r.get(0))?;
    Ok(InvoicePage { total, rows })
}

/// Every invoice as list rows, by issue date (drafts last), for exports.
pub fn all_rows(ctx: &Ctx) -> Result<Vec<Value>> {
    let sql = format!(
        "{LIST_SELECT} {} ORDER BY COALESCE(i.issue_date, '9999'), i.id",
        list_from()
    );
    let mut stmt = ctx.conn.prepare_cached(&sql)?;
    let rows: Vec<InvoiceRow> = stmt
        .query_map(params![ctx.today.to_string()], |r| list_row(r, ctx.today))?
        .collect::<crate::sql::Result<_>>()?;
    rows.iter().map(to_value).collect()
}

/// Every invoice of a customer, newest first (for the customer detail).
pub fn list_for_customer(ctx: &Ctx, customer_id: i64) -> Result<Vec<InvoiceRow>> {
    let sql = format!("{LIST_SELECT} {} WHERE i.customer_id = ?2 ORDER BY COALESCE(i.issue_date, '9999') DESC, i.id DESC LIMIT 500", list_from());
    let mut stmt = ctx.conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![ctx.today.to_string(), customer_id], |r| {
            list_row(r, ctx.today)
        })?
        .collect::<crate::sql::Result<_>>()?;
    Ok(rows)
}

/// The quote or prepayment request an invoice was made from (its page names it). Read here,
/// not in `quotes`, which builds on invoices.
fn from_quote(conn: &crate::sql::Connection, invoice_id: i64) -> Result<Option<FromQuote>> {
    Ok(conn
        .query_row(
            "SELECT id, number, kind FROM quotes WHERE invoice_id = ?1",
            [invoice_id],
            |r| {
                Ok(FromQuote {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    kind: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// `get_invoice {id}`: everything about one invoice.
pub fn get(ctx: &mut Ctx, req: ById) -> Result<InvoiceView> {
    with_customer_credit(ctx, read(ctx, req.id.0, "id")?)
}

/// An invoice's terms, with the sentence printed on it.
#[derive(Debug, Serialize)]
pub struct TermsView {
    pub kind: &'static str,
    pub days: u32,
    pub sentence: String,
}

/// A line of an invoice as stored.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLineView {
    pub id: i64,
    pub position: i64,
    pub charge_id: Option<i64>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_rate: String,
    pub amount: String,
}

/// One entry of the sending log.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendView {
    pub id: i64,
    pub kind: String,
    pub date: String,
    /// When the customer has it (null for a PDF).
    pub expected_receipt: Option<String>,
    pub note: String,
}

/// The tax of one rate, as posted when the invoice was issued.
#[derive(Debug, Serialize)]
pub struct PostedRate {
    pub rate: Option<String>,
    pub tax: String,
}

/// Totals as stored: an issued invoice's (with its posted tax per rate), or a draft's whose
/// content no longer validates (no rates, no tax-inclusive flag).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredTotals {
    pub currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices_include_tax: Option<bool>,
    pub subtotal: String,
    pub discount: String,
    pub tax: String,
    pub total: String,
    pub rates: Vec<PostedRate>,
}

/// An invoice's totals: stored at issue; for a draft recomputed as issuing would.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum InvoiceTotals {
    Computed(TotalsView),
    Stored(StoredTotals),
}

impl InvoiceTotals {
    pub fn total(&self) -> &str {
        match self {
            InvoiceTotals::Computed(t) => &t.total,
            InvoiceTotals::Stored(t) => &t.total,
        }
    }
}

/// The quote or prepayment request an invoice was made from.
#[derive(Debug, Serialize)]
pub struct FromQuote {
    pub id: i64,
    pub number: String,
    pub kind: String,
}

/// One invoice with everything about it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceView {
    #[serde(flatten)]
    pub row: InvoiceRow,
    pub language: &'static str,
    pub terms_id: Option<i64>,
    pub terms: Option<TermsView>,
    pub prices_include_tax: bool,
    pub discount_percent: String,
    pub purpose: String,
    pub notes: String,
    pub service_from: Option<String>,
    pub service_to: Option<String>,
    /// The customer as the issued invoice keeps it (null on a draft).
    pub customer: Value,
    pub totals: InvoiceTotals,
    pub lines: Vec<InvoiceLineView>,
    pub sends: Vec<SendView>,
    pub due_known: bool,
    /// Its due date waits for the customer to receive it ("after receipt" terms).
    pub awaiting_receipt: bool,
    pub from_quote: Option<FromQuote>,
    /// The customer's credit that could settle this issued invoice now (its page and issuing only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_credit: Option<String>,
    /// The customer's unused advance (its page and issuing only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_advance: Option<String>,
    /// A draft's revision, sent back with a save or issue so that a change made meanwhile on
    /// another desktop is not overwritten silently (null once issued).
    pub revision: Option<String>,
}

/// One invoice as JSON (the documents read it so).
pub fn load(ctx: &Ctx, id: i64, field: &str) -> Result<Value> {
    to_value(&read(ctx, id, field)?)
}

/// One invoice.
pub fn read(ctx: &Ctx, id: i64, field: &str) -> Result<InvoiceView> {
    must_exist(ctx.conn, "invoices", id, field)?;
    let sql = format!("{LIST_SELECT} {} WHERE i.id = ?2", list_from());
    let row = ctx
        .conn
        .query_row(&sql, params![ctx.today.to_string(), id], |r| {
            list_row(r, ctx.today)
        })?;
    let stored = ctx.conn.query_row(
        "SELECT currency, language, terms_id, terms_json, prices_include_tax, discount_percent, purpose, notes, service_from, service_to,
            customer_snapshot, subtotal_minor, discount_minor, tax_minor, total_minor, after_receipt_days, entry_id, status FROM invoices WHERE id = ?1",
        [id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
                (r.get::<_, i64>(11)?, r.get::<_, i64>(12)?, r.get::<_, i64>(13)?, r.get::<_, i64>(14)?),
                r.get::<_, Option<i64>>(15)?,
                r.get::<_, Option<i64>>(16)?,
                r.get::<_, String>(17)?,
            ))
        },
    )?;
    let cur = Currency::stored(&stored.0)?;
    let lang = Lang::parse(&stored.1).unwrap_or(Lang::En);
    let terms: Option<PaymentTerms> = serde_json::from_str(&stored.3).ok();
    let mut lines = Vec::new();
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT id, position, charge_id, description, quantity, unit, unit_price_minor, discount_percent, tax_rate, amount_minor, unit_price_scale FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        lines.push(InvoiceLineView {
            id: r.get(0)?,
            position: r.get(1)?,
            charge_id: r.get(2)?,
            description: r.get(3)?,
            quantity: r.get(4)?,
            unit: r.get(5)?,
            unit_price: UnitPrice::stored(r.get(6)?, r.get(10)?).format(cur),
            discount_percent: r.get(7)?,
            tax_rate: r.get(8)?,
            amount: cur.format_minor(r.get(9)?),
        });
    }
    let mut stmt = ctx.conn.prepare_cached("SELECT id, kind, sent_on, expected_receipt, note FROM invoice_sends WHERE invoice_id = ?1 ORDER BY id")?;
    let sends = stmt
        .query_map([id], |r| {
            Ok(SendView {
                id: r.get(0)?,
                kind: r.get(1)?,
                date: r.get(2)?,
                expected_receipt: r.get(3)?,
                note: r.get(4)?,
            })
        })?
        .collect::<crate::sql::Result<Vec<_>>>()?;
    // Totals: stored at issue; for a draft recomputed by the same function the issue uses.
    let (sub, disc, tax, total) = stored.11;
    let totals = if stored.14 == "issued" {
        let mut stmt = ctx.conn.prepare_cached(concat!(
            "SELECT tax_rate, -amount_minor FROM postings WHERE entry_id = ?1 AND +account_id = ",
            acct!(TaxPayable),
            " ORDER BY tax_rate"
        ))?;
        let rates = stmt
            .query_map([stored.13], |r| {
                Ok(PostedRate {
                    rate: r.get(0)?,
                    tax: cur.format_minor(r.get(1)?),
                })
            })?
            .collect::<crate::sql::Result<Vec<_>>>()?;
        InvoiceTotals::Stored(StoredTotals {
            currency: cur.code,
            prices_include_tax: Some(stored.4 != 0),
            subtotal: cur.format_minor(sub),
            discount: cur.format_minor(disc),
            tax: cur.format_minor(tax),
            total: cur.format_minor(total),
            rates,
        })
    } else {
        match stored_draft(ctx.conn, id).and_then(|r| parse_draft(ctx.conn, r, Some(id))) {
            Ok(d) => InvoiceTotals::Computed(totals_view(cur, &d.totals()?, d.prices_include_tax)),
            Err(_) => InvoiceTotals::Stored(StoredTotals {
                currency: cur.code,
                prices_include_tax: None,
                subtotal: cur.format_minor(sub),
                discount: cur.format_minor(disc),
                tax: cur.format_minor(tax),
                total: cur.format_minor(total),
                rates: Vec::new(),
            }),
        }
    };
    let customer: Value = stored
        .10
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Value::Null);
    let due_known = row.due_date.is_some();
    Ok(InvoiceView {
        language: lang.code(),
        terms_id: stored.2,
        terms: terms.as_ref().map(|t| TermsView {
            kind: t.kind.as_str(),
            days: t.days,
            sentence: t.sentence(lang),
        }),
        prices_include_tax: stored.4 != 0,
        discount_percent: stored.5,
        purpose: stored.6,
        notes: stored.7,
        service_from: stored.8,
        service_to: stored.9,
        customer,
        totals,
        lines,
        sends,
        due_known,
        awaiting_receipt: stored.12.is_some() && !due_known,
        from_quote: from_quote(ctx.conn, id)?,
        customer_credit: None,
        customer_advance: None,
        revision: if stored.14 == "draft" {
            Some(draft_revision(ctx.conn, id)?)
        } else {
            None
        },
        row,
    })
}

/// Adds `customerCredit` and `customerAdvance`: the customer's credit and advance that could
/// settle this issued invoice now (offered on its page and right after issuing). Only for the
/// window's answers, not for every load (documents and batches do not need it).
fn with_customer_credit(ctx: &Ctx, mut v: InvoiceView) -> Result<InvoiceView> {
    let cur = Currency::stored(v.row.currency)?;
    let settleable = v.row.number.is_some() && v.row.open_minor > 0;
    let customer = v.row.customer_id;
    let credit = if settleable {
        super::items::credit_available(ctx.conn, customer, ctx.today)?.max(0)
    } else {
        0
    };
    let advance = if settleable {
        super::advances::balance(ctx.conn, customer)?.max(0)
    } else {
        0
    };
    v.customer_credit = Some(cur.format_minor(credit));
    v.customer_advance = Some(cur.format_minor(advance));
    Ok(v)
}
