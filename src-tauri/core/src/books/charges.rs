//! Services and charges recorded before any invoice: what a customer owes, and since when.

use super::{customers, now_stamp, parse_stored_date, Ctx, Deleted};
use crate::error::{Error, Result};
use crate::money::{Currency, UnitPrice, MAX_PRICE_DECIMALS};
use crate::req::{Amount, ById, Date, Dec, Id, Int, LongText, Percent, Text};
use crate::sql::{params, OptionalExtension};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The largest quantity on a line.
pub const MAX_QUANTITY: i64 = 1_000_000_000;

/// A charge's editable fields, validated.
pub struct ChargeFields {
    pub service_date: chrono::NaiveDate,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: UnitPrice,
    pub tax_rate: Decimal,
}

/// A quantity: more than 0, at most 10^9, up to 6 decimals (grams, kWh, minutes).
pub type Quantity = Dec<0, MAX_QUANTITY, { MAX_PRICE_DECIMALS }>;

/// What a recorded service says (`record_charge`, `update_charge`, a CSV row of services).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChargeInput {
    /// When the service was done (at most a year ahead).
    pub service_date: Date,
    pub description: LongText,
    /// 1 when left out.
    pub quantity: Option<Quantity>,
    pub unit: Option<Text<20>>,
    /// Up to 6 decimals whatever the currency: the line is rounded, the price kept as entered.
    pub unit_price: Amount,
    /// The profile's default VAT rate when left out.
    pub tax_rate: Option<Percent>,
}

/// `record_charge`: a service or charge before invoicing.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordCharge {
    pub customer_id: Id,
    pub service_date: Date,
    pub description: LongText,
    pub quantity: Option<Quantity>,
    pub unit: Option<Text<20>>,
    pub unit_price: Amount,
    pub tax_rate: Option<Percent>,
}

/// `update_charge`: the same fields, for a charge not yet billed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCharge {
    pub id: Id,
    pub service_date: Date,
    pub description: LongText,
    pub quantity: Option<Quantity>,
    pub unit: Option<Text<20>>,
    pub unit_price: Amount,
    pub tax_rate: Option<Percent>,
}

/// The rules a recorded service must meet beyond its fields' own (a date not more than a year
/// ahead, a quantity above zero, a price in the currency's rule), with the profile's defaults.
pub(crate) fn fields(ctx: &Ctx, input: ChargeInput, currency: Currency) -> Result<ChargeFields> {
    let service_date = input.service_date.0;
    if service_date > ctx.today + chrono::Duration::days(366) {
        return Err(Error::invalid("serviceDate", "error.outOfRange"));
    }
    let quantity = input.quantity.map_or(Decimal::ONE, |q| q.0);
    if quantity.is_zero() {
        return Err(Error::invalid("quantity", "error.zero"));
    }
    let tax_rate = match input.tax_rate {
        Some(r) => r.0,
        None => super::profile::default_tax_rate(ctx.conn)?,
    };
    let unit_price = UnitPrice::parse(input.unit_price.0, currency, "unitPrice")?;
    // Quantity × price must be an amount the books can hold (as an invoice line's must): a
    // billion hours at a trillion tenge was stored, then shown as 0.
    line_amount(currency, quantity, &unit_price)
        .map_err(|_| Error::invalid("quantity", "error.amountTooLarge"))?;
    Ok(ChargeFields {
        service_date,
        description: input.description.into_string(),
        quantity,
        unit: input.unit.map(Text::into_string).unwrap_or_default(),
        unit_price,
        tax_rate,
    })
}

/// A service's amount in minor units, rounded to the currency; one that does not fit is an
/// error, never 0.
fn line_amount(currency: Currency, quantity: Decimal, price: &UnitPrice) -> Result<i64> {
    currency
        .to_minor_rounded(quantity * price.value(currency))
        .ok_or_else(|| Error::Internal(format!("a service of {quantity} × {price:?} does not fit")))
}

/// `record_charge {customerId, serviceDate, description, quantity?=1, unit?, unitPrice, taxRate?}`.
pub fn record(ctx: &mut Ctx, req: RecordCharge) -> Result<ChargeView> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    if c.archived {
        return Err(Error::Conflict {
            key: "error.customerArchived",
            field: Some("customerId".into()),
        });
    }
    let input = ChargeInput {
        service_date: req.service_date,
        description: req.description,
        quantity: req.quantity,
        unit: req.unit,
        unit_price: req.unit_price,
        tax_rate: req.tax_rate,
    };
    let f = fields(ctx, input, c.currency)?;
    let tx = ctx.conn.transaction()?;
    let id = insert(&tx, customer_id, c.currency, &f)?;
    tx.commit()?;
    one(ctx, id)
}

/// Inserts a validated charge; the caller owns the transaction.
pub(crate) fn insert(
    conn: &crate::sql::Connection,
    customer_id: i64,
    currency: Currency,
    f: &ChargeFields,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO charges (customer_id, service_date, description, quantity, unit, unit_price_minor, currency, tax_rate, created_at, unit_price_scale)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        customer_id,
        f.service_date.to_string(),
        f.description,
        f.quantity.to_string(),
        f.unit,
        f.unit_price.units,
        currency.code,
        f.tax_rate.to_string(),
        now_stamp(),
        f.unit_price.scale_column()
    ])?;
    Ok(conn.last_insert_rowid())
}

fn editable(ctx: &Ctx, id: i64) -> Result<(i64, Currency)> {
    let row: Option<(i64, String, Option<String>)> = ctx
        .conn
        .query_row("SELECT c.customer_id, c.currency, i.status FROM charges c LEFT JOIN invoices i ON i.id = c.invoice_id WHERE c.id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (customer_id, currency, status) = row.ok_or_else(|| Error::not_found("id"))?;
    if status.as_deref() == Some("issued") {
        return Err(Error::NotEditable {
            key: "error.chargeBilled",
        });
    }
    if on_an_act(ctx.conn, id)? {
        return Err(Error::NotEditable {
            key: "error.chargeOnAct",
        });
    }
    Ok((customer_id, Currency::stored(&currency)?))
}

/// `update_charge {id, serviceDate, description, quantity, unit, unitPrice, taxRate}`: while unbilled.
pub fn update(ctx: &mut Ctx, req: UpdateCharge) -> Result<ChargeView> {
    let id = req.id.0;
    let (_, currency) = editable(ctx, id)?;
    let input = ChargeInput {
        service_date: req.service_date,
        description: req.description,
        quantity: req.quantity,
        unit: req.unit,
        unit_price: req.unit_price,
        tax_rate: req.tax_rate,
    };
    let f = fields(ctx, input, currency)?;
    ctx.conn.execute(
        "UPDATE charges SET service_date=?2, description=?3, quantity=?4, unit=?5, unit_price_minor=?6, tax_rate=?7, unit_price_scale=?8 WHERE id=?1",
        params![
            id,
            f.service_date.to_string(),
            f.description,
            f.quantity.to_string(),
            f.unit,
            f.unit_price.units,
            f.tax_rate.to_string(),
            f.unit_price.scale_column()
        ],
    )?;
    one(ctx, id)
}

/// `delete_charge {id}`: while not on an issued invoice (a draft line made from it stays as typed).
pub fn delete(ctx: &mut Ctx, req: ById) -> Result<Deleted> {
    let id = req.id.0;
    editable(ctx, id)?;
    let tx = ctx.conn.transaction()?;
    tx.execute(
        "UPDATE invoice_lines SET charge_id = NULL WHERE charge_id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM charges WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(Deleted { deleted: id })
}

/// A recorded service as the screens show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeView {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub service_date: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub currency: &'static str,
    pub tax_rate: String,
    pub amount: String,
    pub invoice_id: Option<i64>,
    /// On an issued invoice.
    pub billed: bool,
    /// On a draft invoice.
    pub on_draft: bool,
    /// The act of completed works that covers it, if one does.
    pub act_number: Option<String>,
    pub age_days: i64,
    /// Older than the profile's warning age and still unbilled.
    pub stale: bool,
}

const SELECT: &str = "SELECT c.id, c.customer_id, cu.name, c.service_date, c.description, c.quantity, c.unit, c.unit_price_minor, c.currency,
    c.tax_rate, c.invoice_id, i.status, c.unit_price_scale,
    (SELECT a.number FROM act_charges ac JOIN acts a ON a.id = ac.act_id WHERE ac.charge_id = c.id) AS act_number FROM charges c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN invoices i ON i.id = c.invoice_id";

fn view(ctx: &Ctx, r: &crate::sql::Row, warn_days: i64) -> Result<ChargeView> {
    let currency = Currency::stored(&r.get::<_, String>(8)?)?;
    let qty =
        Decimal::from_str(&r.get::<_, String>(5)?).map_err(|e| Error::Internal(e.to_string()))?;
    let price = UnitPrice::stored(r.get(7)?, r.get(12)?);
    let amount = line_amount(currency, qty, &price)?;
    let date = parse_stored_date(&r.get::<_, String>(3)?)?;
    let age = (ctx.today - date).num_days();
    let status = r.get::<_, Option<String>>(11)?;
    Ok(ChargeView {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        service_date: date.to_string(),
        description: r.get(4)?,
        quantity: qty.normalize().to_string(),
        unit: r.get(6)?,
        unit_price: price.format(currency),
        currency: currency.code,
        tax_rate: r.get(9)?,
        amount: currency.format_minor(amount),
        invoice_id: r.get(10)?,
        billed: status.as_deref() == Some("issued"),
        on_draft: status.as_deref() == Some("draft"),
        act_number: r.get(13)?,
        age_days: age,
        stale: age > warn_days,
    })
}

fn one(ctx: &Ctx, id: i64) -> Result<ChargeView> {
    one_with(ctx, id, warn_days(ctx.conn)?)
}

/// One charge as JSON, with the stale age already known (a page reads it once).
fn one_with(ctx: &Ctx, id: i64, warn: i64) -> Result<ChargeView> {
    let mut stmt = ctx
        .conn
        .prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => view(ctx, &r, warn),
        None => Err(Error::not_found("id")),
    }
}

/// Charges not on an issued invoice, oldest first.
/// After how many days an unbilled service is flagged stale (the profile's setting, 7 before
/// there is a profile).
pub fn warn_days(conn: &crate::sql::Connection) -> Result<i64> {
    Ok(super::profile::load(conn)?
        .map_or(super::profile::DEFAULT_WARN_DAYS, |p| p.unbilled_warn_days))
}

/// What is unbilled, over every unbilled service (not only the rows a screen shows).
#[derive(Debug, Default)]
pub struct UnbilledSummary {
    pub count: usize,
    /// Older than the profile's warning age.
    pub stale: usize,
    pub oldest: Option<chrono::NaiveDate>,
    /// Amount (minor units) per currency.
    pub amounts: std::collections::BTreeMap<&'static str, i64>,
}

/// Unbilled: not on any invoice, or only on a draft. Two filters, each served by the
/// `charges_unbilled` index alone (an `OR` of both would read every row from the table).
const UNBILLED: [&str; 2] = [
    "c.invoice_id IS NULL",
    "c.invoice_id IN (SELECT id FROM invoices WHERE status = 'draft')",
];

/// Counts and sums every unbilled service in one lean pass (no names, no JSON): the dashboard
/// and the screens' totals; a shop moving in 100,000 services took 256 ms building them all.
pub fn unbilled_summary(
    ctx: &Ctx,
    customer_id: Option<i64>,
    warn_days: i64,
) -> Result<UnbilledSummary> {
    let mut sum = UnbilledSummary::default();
    for filter in UNBILLED {
        let mut stmt = ctx.conn.prepare_cached(&format!(
            "SELECT c.quantity, c.unit_price_minor, c.currency, c.service_date, c.unit_price_scale FROM charges c WHERE {filter} AND (CAST(?1 AS BIGINT) IS NULL OR c.customer_id = ?1)"
        ))?;
        let mut rows = stmt.query([customer_id])?;
        while let Some(r) = rows.next()? {
            let currency = Currency::stored(r.get_ref(2)?.as_str()?)?;
            let qty = Decimal::from_str(r.get_ref(0)?.as_str()?)
                .map_err(|e| Error::Internal(e.to_string()))?;
            let amount = line_amount(currency, qty, &UnitPrice::stored(r.get(1)?, r.get(4)?))?;
            let date = parse_stored_date(r.get_ref(3)?.as_str()?)?;
            sum.count += 1;
            if (ctx.today - date).num_days() > warn_days {
                sum.stale += 1;
            }
            sum.oldest = Some(sum.oldest.map_or(date, |o| o.min(date)));
            *sum.amounts.entry(currency.code).or_default() += amount;
        }
    }
    Ok(sum)
}

/// Unbilled services oldest first, `limit` of them from `offset`. The two kinds — on no
/// invoice (read from the index in date order, stopping at the page) and on drafts — are merged
/// by their keys alone; rows are built only for the page.
pub fn unbilled_rows(
    ctx: &Ctx,
    customer_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ChargeView>> {
    let warn = warn_days(ctx.conn)?;
    let mut keys: Vec<(String, i64)> = Vec::new();
    for filter in UNBILLED {
        let mut stmt = ctx.conn.prepare_cached(&format!(
            "SELECT c.service_date, c.id FROM charges c WHERE {filter} AND (CAST(?1 AS BIGINT) IS NULL OR c.customer_id = ?1) ORDER BY c.service_date, c.id LIMIT ?2"
        ))?;
        let mut rows = stmt.query(crate::sql::params![
            customer_id,
            offset.saturating_add(limit)
        ])?;
        while let Some(r) = rows.next()? {
            keys.push((r.get(0)?, r.get(1)?));
        }
    }
    keys.sort_unstable();
    let page = keys.into_iter().skip(offset as usize).take(limit as usize);
    page.map(|(_, id)| one_with(ctx, id, warn)).collect()
}

/// `list_unbilled`: a page of unbilled services.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListUnbilled {
    /// One customer's, or everyone's.
    pub customer_id: Option<Id>,
    /// At most 5,000 (the default).
    pub limit: Option<Int<1, 5000>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// An amount in one currency.
#[derive(Debug, Serialize)]
pub struct CurrencyAmount {
    pub currency: &'static str,
    pub amount: String,
}

/// A page of unbilled services with the totals over all of them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnbilledPage {
    pub count: usize,
    pub stale_count: usize,
    pub oldest_age_days: Option<i64>,
    pub warn_days: i64,
    pub offset: i64,
    pub amounts: Vec<CurrencyAmount>,
    pub rows: Vec<ChargeView>,
}

/// `list_unbilled {customerId?, limit?, offset?}`: unbilled services oldest first (`limit`,
/// default and at most 5,000, from `offset`), each with its age in days and a `stale` flag past
/// the profile's warning age; the count, the stale count, the oldest age and the amounts per
/// currency are over every unbilled service.
pub fn list_unbilled(ctx: &mut Ctx, req: ListUnbilled) -> Result<UnbilledPage> {
    let customer_id = req.customer_id.map(|i| i.0);
    let limit = req.limit.map_or(5000, |l| l.0);
    let offset = req.offset.map_or(0, |o| o.0);
    if let Some(id) = customer_id {
        super::must_exist(ctx.conn, "customers", id, "customerId")?;
    }
    let warn = warn_days(ctx.conn)?;
    let sum = unbilled_summary(ctx, customer_id, warn)?;
    let amounts = sum
        .amounts
        .iter()
        .map(|(code, minor)| {
            Currency::stored(code).map(|c| CurrencyAmount {
                currency: c.code,
                amount: c.format_minor(*minor),
            })
        })
        .collect::<Result<_>>()?;
    Ok(UnbilledPage {
        count: sum.count,
        stale_count: sum.stale,
        oldest_age_days: sum.oldest.map(|d| (ctx.today - d).num_days()),
        warn_days: warn,
        offset,
        amounts,
        rows: unbilled_rows(ctx, customer_id, limit, offset)?,
    })
}

/// Whether a recorded service is on an act of completed works (then it is never changed).
pub fn on_an_act(conn: &crate::sql::Connection, charge_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM act_charges WHERE charge_id = ?1)",
        [charge_id],
        |r| r.get(0),
    )?)
}

/// Reads a charge for an invoice line; it must belong to `customer_id` and be free or on `draft_id`.
pub fn take_for_line(
    conn: &crate::sql::Connection,
    charge_id: i64,
    customer_id: i64,
    draft_id: Option<i64>,
    field: &str,
) -> Result<(String, Decimal, String, UnitPrice, Decimal)> {
    let (fields, invoice) = read(conn, charge_id, customer_id, field)?;
    if invoice.is_some() && invoice != draft_id {
        return Err(Error::Conflict {
            key: "error.chargeAlreadyInvoiced",
            field: Some(field.into()),
        });
    }
    Ok(fields)
}

/// A recorded service of `customer_id` as an act of completed works lists it, billed or not:
/// (description, quantity, unit, unit price, tax rate).
pub fn read_for_act(
    conn: &crate::sql::Connection,
    charge_id: i64,
    customer_id: i64,
    field: &str,
) -> Result<(String, Decimal, String, UnitPrice, Decimal)> {
    Ok(read(conn, charge_id, customer_id, field)?.0)
}

type LineFields = (String, Decimal, String, UnitPrice, Decimal);

/// A `charges` row, as `read` reads it.
struct ChargeRow {
    customer_id: i64,
    description: String,
    quantity: String,
    unit: String,
    unit_price: UnitPrice,
    tax_rate: String,
    invoice_id: Option<i64>,
}

fn read(
    conn: &crate::sql::Connection,
    charge_id: i64,
    customer_id: i64,
    field: &str,
) -> Result<(LineFields, Option<i64>)> {
    let row: Option<ChargeRow> = conn
        .query_row(
            "SELECT customer_id, description, quantity, unit, unit_price_minor, tax_rate, invoice_id, unit_price_scale FROM charges WHERE id = ?1",
            [charge_id],
            |r| {
                Ok(ChargeRow {
                    customer_id: r.get(0)?,
                    description: r.get(1)?,
                    quantity: r.get(2)?,
                    unit: r.get(3)?,
                    unit_price: UnitPrice::stored(r.get(4)?, r.get(7)?),
                    tax_rate: r.get(5)?,
                    invoice_id: r.get(6)?,
                })
            },
        )
        .optional()?;
    let row = row.ok_or_else(|| Error::not_found(field))?;
    if row.customer_id != customer_id {
        return Err(Error::invalid(field, "error.chargeOtherCustomer"));
    }
    let fields = (
        row.description,
        Decimal::from_str(&row.quantity).map_err(|e| Error::Internal(e.to_string()))?,
        row.unit,
        row.unit_price,
        Decimal::from_str(&row.tax_rate).map_err(|e| Error::Internal(e.to_string()))?,
    );
    Ok((fields, row.invoice_id))
}
