//! Recurring invoices (#22): a schedule per customer, and the periods it generates.
//!
//! Rules (pinned by tests in `tests/recurring.rs`):
//! - Periods are counted from the start: weekly every N weeks; monthly, quarterly or yearly on
//!   day D of the month (clamped to the month's end: day 31 is 28 February). A period is due
//!   on its date; `run_recurring` (when Esep opens, and once a day while it stays open)
//!   generates every period due since the last run, each exactly once (the key of
//!   `recurring_runs`), in order.
//! - Each period is a draft invoice with the schedule's lines, terms and language and the
//!   period as its service period; with "issue by itself" it is issued, dated the period's day
//!   (or the last issued invoice's, so numbers keep following dates). Numbers are assigned
//!   only on issue: the series stays gapless.
//! - Editing changes the periods still to come; how often and from when cannot change once a
//!   period was generated (end the schedule and start another). Pausing skips the periods
//!   dated while paused; ending stops after today.

use super::charges::Quantity;
use super::customers;
use super::invoices::{self, Draft, DraftLine};
use super::Deleted;
use super::{now_stamp, parse_stored_date, profile, Ctx};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::money::UnitPrice;
use crate::req::{Amount, ById, Date, Id, Int, List, LongText, NoArgs, Percent, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const FREQUENCIES: &[&str] = &["weekly", "monthly", "quarterly", "yearly"];

/// How often a schedule makes an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
        }
    }
}

/// How a schedule repeats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub frequency: &'static str,
    pub every: i64,
    /// Day of the month (monthly, quarterly, yearly); ignored for weekly.
    pub day: u32,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub count: Option<i64>,
}

fn month_shift(d: NaiveDate, months: i64, day: u32) -> Option<NaiveDate> {
    let total = d.year() as i64 * 12 + d.month0() as i64 + months;
    let (y, m) = (
        (total.div_euclid(12)) as i32,
        (total.rem_euclid(12)) as u32 + 1,
    );
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let last = crate::terms::last_day_of_month(first).day();
    NaiveDate::from_ymd_opt(y, m, day.min(last))
}

impl Rule {
    /// The k-th candidate date (k from 0), before the start is taken into account.
    fn candidate(&self, k: i64) -> Option<NaiveDate> {
        match self.frequency {
            "weekly" => self
                .start
                .checked_add_signed(chrono::Duration::days(7 * self.every * k)),
            f => {
                let months = if f == "monthly" {
                    1
                } else if f == "quarterly" {
                    3
                } else {
                    12
                };
                month_shift(self.start, months * self.every * k, self.day)
            }
        }
    }

    /// The periods (number, date) dated on or before `until`, from the start, within the end
    /// date and the count.
    pub fn periods(&self, until: NaiveDate) -> Vec<(i64, NaiveDate)> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < 20_000 {
            let Some(d) = self.candidate(k) else { break };
            k += 1;
            if d < self.start {
                continue;
            }
            if d > until
                || self.end.is_some_and(|e| d > e)
                || self.count.is_some_and(|c| out.len() as i64 >= c)
            {
                break;
            }
            out.push((out.len() as i64, d));
        }
        out
    }

    /// The date of period `n` and of the one after it (the service period ends the day before).
    pub fn period(&self, n: i64) -> Option<(NaiveDate, Option<NaiveDate>)> {
        if n < 0 || self.count.is_some_and(|c| n >= c) {
            return None;
        }
        let mut it = (0..20_000)
            .filter_map(|k| self.candidate(k))
            .filter(|d| *d >= self.start);
        let this = it.nth(n as usize)?;
        if self.end.is_some_and(|e| this > e) {
            return None;
        }
        Some((this, it.next()))
    }
}

/// A schedule's line as stored.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineView {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_rate: String,
}

/// A recurring schedule with its next date and the drafts it made.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub frequency: &'static str,
    pub every: i64,
    pub day_of_month: Option<u32>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub count: Option<i64>,
    pub auto_issue: bool,
    pub paused: bool,
    pub ended: bool,
    pub terms_id: Option<i64>,
    pub language: Option<&'static str>,
    pub purpose: String,
    pub notes: String,
    pub lines: Vec<LineView>,
    /// What each period's invoice comes to (by the invoices' own arithmetic).
    pub total: String,
    /// Periods generated so far, and the date of the next one (none when it has ended).
    pub generated: i64,
    pub next_date: Option<String>,
    /// Drafts it made that wait to be reviewed and issued.
    pub drafts: Vec<i64>,
}

/// A period generated by `run_recurring`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Generated {
    pub schedule_id: i64,
    pub period: i64,
    pub date: String,
    pub invoice_id: Option<i64>,
    pub issued: bool,
}

/// What `run_recurring` made.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunView {
    pub generated: Vec<Generated>,
    /// Schedules that could not run (the customer archived): left for when they can.
    pub waiting: Vec<i64>,
}

/// A stored frequency; one Esep does not know is an error, never a month.
fn frequency(s: &str) -> Result<&'static str> {
    FREQUENCIES
        .iter()
        .copied()
        .find(|f| *f == s)
        .ok_or_else(|| Error::Internal(format!("unknown stored frequency {s:?}")))
}

struct Stored {
    rule: Rule,
    customer_id: i64,
    auto_issue: bool,
    paused_from: Option<NaiveDate>,
    terms_id: Option<i64>,
    language: Option<Lang>,
    purpose: String,
    notes: String,
    day_given: Option<u32>,
}

/// A `recurring_schedules` row, as `load` reads it.
struct ScheduleRow {
    customer_id: i64,
    frequency: String,
    every_n: i64,
    day_of_month: Option<u32>,
    start_date: String,
    end_date: Option<String>,
    max_count: Option<i64>,
    auto_issue: bool,
    paused_from: Option<String>,
    terms_id: Option<i64>,
    language: Option<String>,
    purpose: String,
    notes: String,
}

fn load(conn: &Connection, id: i64, field: &str) -> Result<Stored> {
    let row: Option<ScheduleRow> = conn
        .query_row(
            "SELECT customer_id, frequency, every_n, day_of_month, start_date, end_date, max_count, auto_issue, paused_from, terms_id, language, purpose, notes
             FROM recurring_schedules WHERE id = ?1",
            [id],
            |r| {
                Ok(ScheduleRow {
                    customer_id: r.get(0)?,
                    frequency: r.get(1)?,
                    every_n: r.get(2)?,
                    day_of_month: r.get(3)?,
                    start_date: r.get(4)?,
                    end_date: r.get(5)?,
                    max_count: r.get(6)?,
                    auto_issue: r.get(7)?,
                    paused_from: r.get(8)?,
                    terms_id: r.get(9)?,
                    language: r.get(10)?,
                    purpose: r.get(11)?,
                    notes: r.get(12)?,
                })
            },
        )
        .optional()?;
    let ScheduleRow {
        customer_id,
        frequency: freq,
        every_n: every,
        day_of_month: day,
        start_date: start,
        end_date: end,
        max_count: count,
        auto_issue,
        paused_from,
        terms_id,
        language,
        purpose,
        notes,
    } = row.ok_or_else(|| Error::not_found(field))?;
    let start = parse_stored_date(&start)?;
    Ok(Stored {
        rule: Rule {
            frequency: frequency(&freq)?,
            every,
            day: day.unwrap_or(start.day()),
            start,
            end: end.map(|e| parse_stored_date(&e)).transpose()?,
            count,
        },
        customer_id,
        auto_issue,
        paused_from: paused_from.map(|p| parse_stored_date(&p)).transpose()?,
        terms_id,
        language: language
            .map(|l| {
                Lang::parse(&l)
                    .ok_or_else(|| Error::Internal(format!("unknown stored language {l:?}")))
            })
            .transpose()?,
        purpose,
        notes,
        day_given: day,
    })
}

fn lines(conn: &Connection, id: i64) -> Result<Vec<DraftLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT description, quantity, unit, unit_price_minor, unit_price_scale, discount_percent, tax_rate FROM recurring_lines WHERE schedule_id = ?1 ORDER BY position",
    )?;
    let rows: Vec<invoices::StoredLineRow> = stmt
        .query_map([id], invoices::StoredLineRow::read)?
        .collect::<crate::sql::Result<_>>()?;
    rows.into_iter().map(DraftLine::stored).collect()
}

/// `save_recurring`: a new schedule, or changes to one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveRecurring {
    /// The schedule to change; a new one when left out.
    pub id: Option<Id>,
    pub customer_id: Id,
    /// At least one.
    #[serde(default)]
    pub lines: List<RecurringLine, { invoices::MAX_LINES }>,
    pub frequency: Frequency,
    /// Every N weeks (at most 52) or periods (at most 12); 1 when left out.
    pub every: Option<Int<1, 52>>,
    /// The start date's day when left out; clamped to the month's end.
    pub day_of_month: Option<Int<1, 31>>,
    pub start_date: Date,
    /// No period after it.
    pub end_date: Option<Date>,
    /// At most this many periods.
    pub count: Option<Int<1, 1000>>,
    /// Issue each period's invoice by itself (a draft to review otherwise).
    pub auto_issue: Option<bool>,
    /// The customer's terms (or the profile's) when left out.
    pub terms_id: Option<Id>,
    /// The customer's language (or the profile's) when left out.
    pub language: Option<Lang>,
    pub purpose: Option<Text<500>>,
    pub notes: Option<LongText>,
}

/// One line of a schedule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecurringLine {
    pub description: LongText,
    /// 1 when left out.
    pub quantity: Option<Quantity>,
    pub unit: Option<Text<20>>,
    /// Up to 6 decimals whatever the currency.
    pub unit_price: Amount,
    pub discount_percent: Option<Percent>,
    /// The profile's default VAT rate when left out.
    pub tax_rate: Option<Percent>,
}

/// `save_recurring {id?, customerId, lines, frequency, every?, dayOfMonth?, startDate, endDate?, count?, autoIssue?, termsId?, language?, purpose?, notes?}`.
pub fn save(ctx: &mut Ctx, req: SaveRecurring) -> Result<ScheduleView> {
    let id = req.id.map(|i| i.0);
    let customer_id = req.customer_id.0;
    let customer = customers::info(ctx.conn, customer_id, "customerId")?;
    if customer.archived {
        return Err(Error::Conflict {
            key: "error.customerArchived",
            field: Some("customerId".into()),
        });
    }
    let freq = req.frequency.as_str();
    let every = req.every.map_or(1, |e| e.0);
    if req.frequency != Frequency::Weekly && every > 12 {
        return Err(Error::invalid("every", "error.outOfRange"));
    }
    let day = req.day_of_month.map(|d| d.0 as u32);
    let start = req.start_date.0;
    let end = req.end_date.map(|e| e.0);
    if end.is_some_and(|e| e < start) {
        return Err(Error::invalid("endDate", "error.beforeStart"));
    }
    let count = req.count.map(|c| c.0);
    let auto_issue = req.auto_issue.unwrap_or(false);
    let terms_id = req.terms_id.map(|t| t.0);
    if let Some(t) = terms_id {
        super::terms::load(ctx.conn, t, "termsId")?;
    }
    let language = req.language.map(Lang::code);
    let purpose = req.purpose.map(Text::into_string).unwrap_or_default();
    let notes = req.notes.map(Text::into_string).unwrap_or_default();
    let default_rate = if req.lines.iter().any(|l| l.tax_rate.is_none()) {
        profile::default_tax_rate(ctx.conn)?
    } else {
        Decimal::ZERO
    };
    let mut parsed = Vec::new();
    for (i, l) in req.lines.0.into_iter().enumerate() {
        let quantity = l.quantity.map_or(Decimal::ONE, |q| q.0);
        if quantity.is_zero() {
            return Err(Error::invalid(format!("lines[{i}].quantity"), "error.zero"));
        }
        parsed.push((
            l.description.into_string(),
            quantity,
            l.unit.map(Text::into_string).unwrap_or_default(),
            UnitPrice::parse(
                l.unit_price.0,
                customer.currency,
                &format!("lines[{i}].unitPrice"),
            )?,
            l.discount_percent.map_or(Decimal::ZERO, |d| d.0),
            l.tax_rate.map_or(default_rate, |r| r.0),
        ));
    }
    if parsed.is_empty() {
        return Err(Error::invalid("lines", "error.emptyInvoice"));
    }
    let rule = Rule {
        frequency: freq,
        every,
        day: day.unwrap_or(start.day()),
        start,
        end,
        count,
    };
    if rule.period(0).is_none() {
        return Err(Error::invalid("startDate", "error.outOfRange"));
    }
    let now = now_stamp();
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let id = match id {
        Some(id) => {
            let old = load(&tx, id, "id")?;
            let generated: i64 = tx.query_row(
                "SELECT COUNT(*) FROM recurring_runs WHERE schedule_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            if generated > 0 {
                // How often and from when are fixed once a period exists; the rest applies
                // from the next period.
                let fixed = [
                    ("customerId", old.customer_id == customer_id),
                    ("frequency", old.rule.frequency == freq),
                    ("every", old.rule.every == every),
                    (
                        "dayOfMonth",
                        old.day_given.unwrap_or(old.rule.start.day()) == rule.day,
                    ),
                    ("startDate", old.rule.start == start),
                ];
                if let Some((field, _)) = fixed.iter().find(|(_, same)| !same) {
                    return Err(Error::invalid(*field, "error.recurring.started"));
                }
                if count.is_some_and(|c| c < generated) {
                    return Err(Error::invalid(
                        "count",
                        "error.recurring.countBelowGenerated",
                    ));
                }
            }
            tx.execute(
                "UPDATE recurring_schedules SET customer_id=?2, frequency=?3, every_n=?4, day_of_month=?5, start_date=?6, end_date=?7, max_count=?8, auto_issue=?9,
                    terms_id=?10, language=?11, purpose=?12, notes=?13, updated_at=?14 WHERE id=?1",
                params![id, customer_id, freq, every, day, start.to_string(), end.map(|e| e.to_string()), count, auto_issue, terms_id, language, purpose, notes, now],
            )?;
            tx.execute("DELETE FROM recurring_lines WHERE schedule_id = ?1", [id])?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO recurring_schedules (customer_id, frequency, every_n, day_of_month, start_date, end_date, max_count, auto_issue, terms_id, language, purpose, notes,
                    created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)",
                params![customer_id, freq, every, day, start.to_string(), end.map(|e| e.to_string()), count, auto_issue, terms_id, language, purpose, notes, now],
            )?;
            tx.last_insert_rowid()
        }
    };
    for (i, (description, quantity, unit, price, discount, rate)) in parsed.iter().enumerate() {
        tx.execute(
            "INSERT INTO recurring_lines (schedule_id, position, description, quantity, unit, unit_price_minor, unit_price_scale, discount_percent, tax_rate)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            params![
                id,
                i as i64 + 1,
                description,
                quantity.normalize().to_string(),
                unit,
                price.units,
                price.scale_column(),
                discount.normalize().to_string(),
                rate.normalize().to_string()
            ],
        )?;
    }
    tx.commit()?;
    view(ctx.conn, id)
}

fn view(conn: &Connection, id: i64) -> Result<ScheduleView> {
    let s = load(conn, id, "id")?;
    let c = customers::info(conn, s.customer_id, "customerId")?;
    let generated: i64 = conn.query_row(
        "SELECT COUNT(*) FROM recurring_runs WHERE schedule_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let drafts: Vec<i64> = conn
        .prepare_cached("SELECT r.invoice_id FROM recurring_runs r JOIN invoices i ON i.id = r.invoice_id WHERE r.schedule_id = ?1 AND i.status = 'draft' ORDER BY r.period")?
        .query_map([id], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    let next = s.rule.period(generated).map(|(d, _)| d);
    let ended = next.is_none();
    let stored = lines(conn, id)?;
    let include = profile::load(conn)?.is_some_and(|p| p.prices_include_tax);
    let inputs: Vec<crate::calc::LineInput> = stored
        .iter()
        .map(|l| crate::calc::LineInput {
            quantity: l.quantity,
            unit_price: l.unit_price.value(c.currency),
            discount_percent: l.discount_percent,
            tax_rate: l.tax_rate,
        })
        .collect();
    let total = c.currency.format_minor(
        crate::calc::compute(c.currency, &inputs, Decimal::ZERO, include)?.total_minor,
    );
    let lines = stored
        .into_iter()
        .map(|l| LineView {
            description: l.description,
            quantity: l.quantity.normalize().to_string(),
            unit: l.unit,
            unit_price: l.unit_price.format(c.currency),
            discount_percent: l.discount_percent.normalize().to_string(),
            tax_rate: l.tax_rate.normalize().to_string(),
        })
        .collect();
    Ok(ScheduleView {
        id,
        customer_id: s.customer_id,
        customer_name: c.name,
        currency: c.currency.code.to_string(),
        frequency: s.rule.frequency,
        every: s.rule.every,
        day_of_month: s.day_given,
        start_date: s.rule.start.to_string(),
        end_date: s.rule.end.map(|e| e.to_string()),
        count: s.rule.count,
        auto_issue: s.auto_issue,
        paused: s.paused_from.is_some(),
        ended,
        terms_id: s.terms_id,
        language: s.language.map(|l| l.code()),
        purpose: s.purpose,
        notes: s.notes,
        lines,
        total,
        generated,
        next_date: next.map(|d| d.to_string()),
        drafts,
    })
}

/// `list_recurring`: the schedules.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListRecurring {
    /// One customer's, or everyone's.
    pub customer_id: Option<Id>,
}

/// `list_recurring {customerId?}`: schedules with their next date and waiting drafts.
pub fn list(ctx: &mut Ctx, req: ListRecurring) -> Result<Vec<ScheduleView>> {
    let customer = req.customer_id.map(|c| c.0);
    let ids: Vec<i64> = ctx
        .conn
        .prepare(
            "SELECT id FROM recurring_schedules WHERE CAST(?1 AS BIGINT) IS NULL OR customer_id = ?1 ORDER BY id",
        )?
        .query_map([customer], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    ids.into_iter().map(|id| view(ctx.conn, id)).collect()
}

/// `get_recurring {id}`.
pub fn get(ctx: &mut Ctx, req: ById) -> Result<ScheduleView> {
    view(ctx.conn, req.id.0)
}

/// `pause_recurring`: pause a schedule, or resume it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PauseRecurring {
    pub id: Id,
    /// False resumes; true when left out.
    pub paused: Option<bool>,
}

/// `pause_recurring {id, paused?=true}`: while paused, periods are skipped (resuming does not
/// bring them back). What was due before the pause is generated first.
pub fn pause(ctx: &mut Ctx, req: PauseRecurring) -> Result<ScheduleView> {
    let id = req.id.0;
    let paused = req.paused.unwrap_or(true);
    let today = ctx.today;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let s = load(&tx, id, "id")?;
    if paused {
        if s.paused_from.is_some() {
            return Err(Error::Conflict {
                key: "error.recurring.alreadyPaused",
                field: Some("id".into()),
            });
        }
        generate(&tx, today, id, &mut Vec::new())?;
        tx.execute(
            "UPDATE recurring_schedules SET paused_from = ?2, updated_at = ?3 WHERE id = ?1",
            params![
                id,
                (today + chrono::Duration::days(1)).to_string(),
                now_stamp()
            ],
        )?;
    } else {
        let Some(from) = s.paused_from else {
            return Err(Error::Conflict {
                key: "error.recurring.notPaused",
                field: Some("id".into()),
            });
        };
        // The periods dated while paused are marked skipped, so they never come back.
        let now = now_stamp();
        for (n, d) in s.rule.periods(today) {
            if d >= from {
                tx.execute(
                    "INSERT INTO recurring_runs (schedule_id, period, period_date, invoice_id, created_at) VALUES (?1, ?2, ?3, NULL, ?4)
                     ON CONFLICT (schedule_id, period) DO NOTHING",
                    params![id, n, d.to_string(), now],
                )?;
            }
        }
        tx.execute(
            "UPDATE recurring_schedules SET paused_from = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
    }
    tx.commit()?;
    view(ctx.conn, id)
}

/// An ended schedule, or `{deleted: id}` for one that never made anything.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Ended {
    Deleted(Deleted),
    Schedule(Box<ScheduleView>),
}

/// `end_recurring {id}`: no period after today. A schedule that never generated anything is
/// removed instead.
pub fn end(ctx: &mut Ctx, req: ById) -> Result<Ended> {
    let id = req.id.0;
    let today = ctx.today;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let s = load(&tx, id, "id")?;
    generate(&tx, today, id, &mut Vec::new())?;
    let generated: i64 = tx.query_row(
        "SELECT COUNT(*) FROM recurring_runs WHERE schedule_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if generated == 0 {
        tx.execute("DELETE FROM recurring_schedules WHERE id = ?1", [id])?;
        tx.commit()?;
        return Ok(Ended::Deleted(Deleted { deleted: id }));
    }
    let end = today.max(s.rule.start);
    if s.rule.end.is_none_or(|e| e > end) {
        tx.execute(
            "UPDATE recurring_schedules SET end_date = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, end.to_string(), now_stamp()],
        )?;
    }
    tx.commit()?;
    Ok(Ended::Schedule(Box::new(view(ctx.conn, id)?)))
}

/// Generates the due periods of one schedule inside the caller's transaction.
fn generate(tx: &Connection, today: NaiveDate, id: i64, out: &mut Vec<Generated>) -> Result<bool> {
    let s = load(tx, id, "id")?;
    let c = customers::info(tx, s.customer_id, "customerId")?;
    let done: std::collections::HashSet<i64> = tx
        .prepare_cached("SELECT period FROM recurring_runs WHERE schedule_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    let due: Vec<(i64, NaiveDate)> = s
        .rule
        .periods(today)
        .into_iter()
        .filter(|(n, d)| !done.contains(n) && s.paused_from.is_none_or(|p| *d < p))
        .collect();
    if due.is_empty() {
        return Ok(true);
    }
    if c.archived {
        return Ok(false);
    }
    let prof = profile::require(tx)?;
    let terms_id = s.terms_id.or(c.terms_id).unwrap_or(prof.default_terms_id);
    let terms = super::terms::load(tx, terms_id, "termsId")?;
    let language = s.language.or(c.language).unwrap_or(prof.language);
    let lines = lines(tx, id)?;
    let now = now_stamp();
    for (n, date) in due {
        let next = s.rule.period(n).and_then(|(_, next)| next);
        let service_to = next
            .map(|x| x - chrono::Duration::days(1))
            .filter(|x| *x >= date);
        let draft = Draft {
            customer: c.clone(),
            lines: lines.clone(),
            discount_percent: Decimal::ZERO,
            prices_include_tax: prof.prices_include_tax,
            purpose: s.purpose.clone(),
            notes: s.notes.clone(),
            service_from: Some(date),
            service_to: service_to.or(Some(date)),
            terms_id,
            terms: terms.clone(),
            language,
        };
        let invoice_id = invoices::insert_draft(tx, &draft)?;
        tx.execute(
            "INSERT INTO recurring_runs (schedule_id, period, period_date, invoice_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, n, date.to_string(), invoice_id, now],
        )?;
        let mut issued = false;
        if s.auto_issue {
            // Numbers follow dates: a period caught up late is dated no earlier than the last
            // issued invoice.
            let last: Option<String> = tx.query_row(
                "SELECT MAX(issue_date) FROM invoices WHERE status = 'issued'",
                [],
                |r| r.get(0),
            )?;
            let last = last.map(|l| parse_stored_date(&l)).transpose()?;
            let on = last.map_or(date, |l| l.max(date)).min(today);
            invoices::issue_in(tx, invoice_id, on)?;
            issued = true;
        }
        out.push(Generated {
            schedule_id: id,
            period: n,
            date: date.to_string(),
            invoice_id: Some(invoice_id),
            issued,
        });
    }
    Ok(true)
}

/// `run_recurring {}`: every period due up to today, of every schedule, once.
pub fn run(ctx: &mut Ctx, _req: NoArgs) -> Result<RunView> {
    let today = ctx.today;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM recurring_schedules ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    let mut generated = Vec::new();
    let mut waiting = Vec::new();
    for id in ids {
        if !generate(&tx, today, id, &mut generated)? {
            waiting.push(id);
        }
    }
    tx.commit()?;
    Ok(RunView { generated, waiting })
}

/// Drafts made by schedules that wait to be reviewed (the home page's count).
pub fn drafts_to_review(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM recurring_runs r JOIN invoices i ON i.id = r.invoice_id WHERE i.status = 'draft'", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rule(frequency: &'static str, every: i64, day: u32, start: &str) -> Rule {
        Rule {
            frequency,
            every,
            day,
            start: d(start),
            end: None,
            count: None,
        }
    }

    #[test]
    fn day_31_is_the_end_of_shorter_months_and_comes_back_after() {
        let r = rule("monthly", 1, 31, "2027-01-31");
        let dates: Vec<String> = r
            .periods(d("2027-05-31"))
            .into_iter()
            .map(|(_, x)| x.to_string())
            .collect();
        assert_eq!(
            dates,
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31"
            ]
        );
        let leap = rule("monthly", 1, 30, "2028-01-30").periods(d("2028-03-01"));
        assert_eq!(leap[1].1, d("2028-02-29"));
    }

    #[test]
    fn the_first_period_is_the_first_date_on_or_after_the_start() {
        // Day 5 of each month from 20 November: the first period is 5 December.
        let r = rule("monthly", 1, 5, "2026-11-20");
        assert_eq!(
            r.periods(d("2027-01-31"))
                .iter()
                .map(|p| p.1.to_string())
                .collect::<Vec<_>>(),
            ["2026-12-05", "2027-01-05"]
        );
        assert_eq!(r.period(0), Some((d("2026-12-05"), Some(d("2027-01-05")))));
    }

    #[test]
    fn weeks_quarters_years_counts_and_ends() {
        let w = rule("weekly", 2, 1, "2026-11-02");
        assert_eq!(
            w.periods(d("2026-12-01"))
                .iter()
                .map(|p| p.1.to_string())
                .collect::<Vec<_>>(),
            ["2026-11-02", "2026-11-16", "2026-11-30"]
        );
        let q = rule("quarterly", 1, 15, "2026-01-15");
        assert_eq!(q.periods(d("2026-12-31")).len(), 4);
        let y = Rule {
            count: Some(2),
            ..rule("yearly", 1, 29, "2028-02-29")
        };
        assert_eq!(
            y.periods(d("2040-01-01"))
                .iter()
                .map(|p| p.1.to_string())
                .collect::<Vec<_>>(),
            ["2028-02-29", "2029-02-28"]
        );
        let e = Rule {
            end: Some(d("2026-03-14")),
            ..rule("monthly", 1, 15, "2026-01-15")
        };
        assert_eq!(e.periods(d("2026-12-31")).len(), 2);
        assert_eq!(e.period(2), None);
    }
}
