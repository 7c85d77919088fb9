//! Patient reminders. An invoice is overdue when today > due date + grace days. Levels: 1
//! friendly reminder, 2 second notice, 3 final notice, at least `spacing` days apart. A
//! reminder is a record that re-sends a copy of the original invoice (same number and date)
//! with the open balance; a late fee (fixed, or yearly interest on the open amount for the days
//! late) is posted only when the user confirms it.

use super::items::{self, OpenItem};
use super::{now_stamp, parse_stored_date, Ctx};
use crate::error::{Error, Result};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::{round_money, Currency};
use crate::req::{Amount, Date, Id, Int, LongText, NoArgs, Percent, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Settings {
    pub grace_days: i64,
    pub spacing_days: i64,
    pub fee_kind: String,
    pub fee_fixed_minor: i64,
    pub interest_percent: Decimal,
    pub texts: [String; 3],
}

/// The reminder settings; a stored interest rate that does not parse is an error, never a zero.
pub fn settings(conn: &Connection) -> Result<Settings> {
    let (s, interest) = conn.query_row(
        "SELECT grace_days, spacing_days, fee_kind, fee_fixed_minor, interest_percent, text_1, text_2, text_3 FROM reminder_settings WHERE id = 1",
        [],
        |r| {
            Ok((
                Settings {
                    grace_days: r.get(0)?,
                    spacing_days: r.get(1)?,
                    fee_kind: r.get(2)?,
                    fee_fixed_minor: r.get(3)?,
                    interest_percent: Decimal::ZERO,
                    texts: [r.get(5)?, r.get(6)?, r.get(7)?],
                },
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let interest_percent = Decimal::from_str(&interest).map_err(|_| {
        Error::Internal(format!(
            "stored interest percent {interest:?} is not a decimal"
        ))
    })?;
    Ok(Settings {
        interest_percent,
        ..s
    })
}

/// The reminder settings as the settings page shows them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub grace_days: i64,
    pub spacing_days: i64,
    /// `none`, `fixed` or `interest`.
    pub fee_kind: String,
    /// In the home currency.
    pub fee_fixed: String,
    /// Yearly, on the open amount for the days late.
    pub interest_percent: String,
    pub text1: String,
    pub text2: String,
    pub text3: String,
}

fn settings_view(s: &Settings, home: Currency) -> SettingsView {
    SettingsView {
        grace_days: s.grace_days,
        spacing_days: s.spacing_days,
        fee_kind: s.fee_kind.clone(),
        fee_fixed: home.format_minor(s.fee_fixed_minor),
        interest_percent: s.interest_percent.normalize().to_string(),
        text1: s.texts[0].clone(),
        text2: s.texts[1].clone(),
        text3: s.texts[2].clone(),
    }
}

/// `get_reminder_settings`.
pub fn get_settings(ctx: &mut Ctx, _req: NoArgs) -> Result<SettingsView> {
    Ok(settings_view(
        &settings(ctx.conn)?,
        super::profile::home_currency(ctx.conn)?,
    ))
}

/// Which late fee a reminder proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    None,
    Fixed,
    Interest,
}

impl FeeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::None => "none",
            FeeKind::Fixed => "fixed",
            FeeKind::Interest => "interest",
        }
    }
}

/// `save_reminder_settings`: every setting at once (a setting left out takes its default).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveReminderSettings {
    /// Days after the due date before the first reminder; 3 when left out.
    pub grace_days: Option<Int<0, 365>>,
    /// Days between reminders; 14 when left out.
    pub spacing_days: Option<Int<1, 365>>,
    /// None when left out.
    pub fee_kind: Option<FeeKind>,
    /// The fixed fee, in the home currency.
    pub fee_fixed: Option<Amount>,
    /// Yearly interest on the open amount for the days late.
    pub interest_percent: Option<Percent>,
    /// Own text of the friendly reminder (the standard one when left out).
    pub text1: Option<LongText>,
    /// Own text of the second notice.
    pub text2: Option<LongText>,
    /// Own text of the final notice.
    pub text3: Option<LongText>,
}

/// `save_reminder_settings {graceDays?, spacingDays?, feeKind?: none|fixed|interest, feeFixed?, interestPercent?, text1?, text2?, text3?}`.
pub fn save_settings(ctx: &mut Ctx, req: SaveReminderSettings) -> Result<SettingsView> {
    let home = super::profile::home_currency(ctx.conn)?;
    let grace = req.grace_days.map_or(3, |g| g.0);
    let spacing = req.spacing_days.map_or(14, |s| s.0);
    let kind = req.fee_kind.unwrap_or(FeeKind::None).as_str();
    let fixed = match req.fee_fixed {
        Some(a) => home.to_minor(a.0, "feeFixed")?,
        None => 0,
    };
    let interest = req.interest_percent.map_or(Decimal::ZERO, |p| p.0);
    let text = |t: Option<LongText>| t.map(Text::into_string).unwrap_or_default();
    ctx.conn.execute(
        "UPDATE reminder_settings SET grace_days=?1, spacing_days=?2, fee_kind=?3, fee_fixed_minor=?4, interest_percent=?5, text_1=?6, text_2=?7, text_3=?8 WHERE id = 1",
        params![grace, spacing, kind, fixed, interest.to_string(), text(req.text1), text(req.text2), text(req.text3)],
    )?;
    get_settings(ctx, NoArgs {})
}

/// The last reminder of an invoice: (level, sent_on).
fn last_reminder(conn: &Connection, invoice_id: i64) -> Result<Option<(i64, NaiveDate)>> {
    let row: Option<(i64, String)> = conn
        .query_row("SELECT level, sent_on FROM reminders WHERE invoice_id = ?1 ORDER BY level DESC, id DESC LIMIT 1", [invoice_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    row.map(|(l, d)| Ok((l, parse_stored_date(&d)?)))
        .transpose()
}

/// When an invoice may next be reminded, and at which level (`None` after the final notice or
/// while the due date is unknown).
pub fn next_reminder(
    conn: &Connection,
    s: &Settings,
    item: &OpenItem,
) -> Result<Option<(i64, NaiveDate)>> {
    Ok(next_after(s, item.due, last_reminder(conn, item.item_id)?))
}

/// The next reminder given the last one sent (level, date).
fn next_after(
    s: &Settings,
    due: Option<NaiveDate>,
    last: Option<(i64, NaiveDate)>,
) -> Option<(i64, NaiveDate)> {
    let due = due?;
    let first = due + chrono::Duration::days(s.grace_days + 1);
    match last {
        None => Some((1, first)),
        Some((3, _)) => None,
        Some((level, sent)) => Some((
            level + 1,
            (sent + chrono::Duration::days(s.spacing_days)).max(first),
        )),
    }
}

/// The proposed late fee for a reminder sent on `date`.
pub fn proposed_fee(s: &Settings, item: &OpenItem, date: NaiveDate) -> i64 {
    fee_on(s, item.due, item.open_minor, date)
}

/// The late fee for `open_minor` due on `due`, reminded on `date` (fixed, or yearly interest
/// for the days late, rounded half away from zero to the minor unit).
fn fee_on(s: &Settings, due: Option<NaiveDate>, open_minor: i64, date: NaiveDate) -> i64 {
    match s.fee_kind.as_str() {
        "fixed" => s.fee_fixed_minor,
        "interest" => {
            let Some(due) = due else { return 0 };
            let days = (date - due).num_days().max(0);
            let fee = Decimal::from(open_minor) * s.interest_percent / Decimal::from(100)
                * Decimal::from(days)
                / Decimal::from(365);
            round_money(fee, 0).to_i64().unwrap_or(0)
        }
        _ => 0,
    }
}

/// What an open invoice asks for today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Never mailed, emailed or marked received: still to send.
    ToMail,
    /// A reminder of this level may go today (its earliest day was `on`).
    Due(i64, NaiveDate),
    /// Overdue, but the next reminder waits for the grace or the spacing to pass.
    Waiting(i64, NaiveDate),
    /// Not overdue, or past the final notice.
    Nothing,
}

/// The one rule both the dashboard's counts and the to-send list follow.
fn classify(
    s: &Settings,
    today: NaiveDate,
    sent: bool,
    due: Option<NaiveDate>,
    last: Option<(i64, NaiveDate)>,
) -> Next {
    if !sent {
        return Next::ToMail;
    }
    match next_after(s, due, last) {
        Some((level, on)) if on <= today => Next::Due(level, on),
        Some((level, on)) if due.map(|d| d < today).unwrap_or(false) => Next::Waiting(level, on),
        _ => Next::Nothing,
    }
}

/// An open invoice as the to-send list needs it. Its number and issue date are read only for
/// the rows shown (`details`), except where the facts had them anyway.
struct SendRow {
    invoice_id: i64,
    customer_id: i64,
    /// The due date, or the issue date while the due date is unknown: the list's order.
    sort_date: NaiveDate,
    currency: Currency,
    due: Option<NaiveDate>,
    open_minor: i64,
    sent: bool,
    last: Option<(i64, NaiveDate)>,
    details: Option<(String, NaiveDate)>,
}

impl SendRow {
    /// (number, issue date).
    fn details(&self, conn: &Connection) -> Result<(String, NaiveDate)> {
        if let Some(d) = &self.details {
            return Ok(d.clone());
        }
        let (number, date): (Option<String>, String) = conn
            .prepare_cached("SELECT number, issue_date FROM invoices WHERE id = ?1")?
            .query_row([self.invoice_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((number.unwrap_or_default(), parse_stored_date(&date)?))
    }
}

/// Every open invoice on `today`, oldest due first. When nothing is dated after today (the
/// usual case) straight from the open invoices' covering index of `invoice_state`, which
/// keeps `sent` and the latest reminder (migration 0004; `check_books` compares them with the
/// facts); otherwise from the facts as of that day.
fn send_rows(conn: &Connection, today: NaiveDate) -> Result<Vec<SendRow>> {
    let mut out = Vec::new();
    if items::is_current(conn, today)? {
        let mut stmt = conn.prepare_cached(
            "SELECT invoice_id, customer_id, currency, due_date, amount_minor - settled_minor, sent, reminder_level, reminded_on,
                    CASE WHEN due_date IS NULL THEN (SELECT i.issue_date FROM invoices i WHERE i.id = invoice_state.invoice_id) END
             FROM invoice_state WHERE amount_minor > settled_minor",
        )?;
        let mut rows = stmt.query([])?;
        let date = |v: crate::sql::ValueRef<'_>| -> Result<Option<NaiveDate>> {
            v.as_str_or_null()?.map(parse_stored_date).transpose()
        };
        while let Some(r) = rows.next()? {
            let due = date(r.get_ref(3)?)?;
            let last = match (r.get::<_, i64>(6)?, date(r.get_ref(7)?)?) {
                (level, Some(on)) if level > 0 => Some((level, on)),
                _ => None,
            };
            let sort_date = match due {
                Some(d) => d,
                None => date(r.get_ref(8)?)?
                    .ok_or_else(|| Error::Internal("open invoice without an issue date".into()))?,
            };
            out.push(SendRow {
                invoice_id: r.get(0)?,
                customer_id: r.get(1)?,
                sort_date,
                currency: Currency::stored(r.get_ref(2)?.as_str()?)?,
                due,
                open_minor: r.get(4)?,
                sent: r.get::<_, i64>(5)? != 0,
                last,
                details: None,
            });
        }
    } else {
        let (sent_ids, last) = reminder_facts(conn, today)?;
        for item in items::items(conn, None, today, true)?
            .into_iter()
            .filter(|i| i.item_type == "invoice")
        {
            out.push(SendRow {
                invoice_id: item.item_id,
                customer_id: item.customer_id,
                sort_date: item.due.unwrap_or(item.item_date),
                currency: Currency::stored(&item.currency)?,
                due: item.due,
                open_minor: item.open_minor,
                sent: sent_ids.contains(&item.item_id),
                last: last.get(&item.item_id).copied(),
                details: Some((item.label, item.item_date)),
            });
        }
    }
    // One order for both: oldest due (or issued, while the due date is unknown) first.
    out.sort_unstable_by_key(|r| (r.sort_date, r.invoice_id));
    Ok(out)
}

/// The invoices mailed (or received) on or before `as_of`, and the last reminder (level, date)
/// of each invoice by then: one pass each over the sending log and the reminders, not a query
/// per invoice. Only for a past date (today's answer is kept in `invoice_state`).
type ReminderFacts = (
    std::collections::HashSet<i64>,
    std::collections::HashMap<i64, (i64, NaiveDate)>,
);

fn reminder_facts(conn: &Connection, as_of: NaiveDate) -> Result<ReminderFacts> {
    let as_of = as_of.to_string();
    let mut sent_ids = std::collections::HashSet::new();
    let mut stmt = conn.prepare_cached("SELECT DISTINCT invoice_id FROM invoice_sends WHERE kind IN ('post', 'email', 'received') AND sent_on <= ?1")?;
    for id in stmt.query_map([&as_of], |r| r.get::<_, i64>(0))? {
        sent_ids.insert(id?);
    }
    let mut last = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT invoice_id, level, sent_on FROM reminders WHERE sent_on <= ?1 ORDER BY invoice_id, level, id")?;
    for row in stmt.query_map([&as_of], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (id, level, on) = row?;
        last.insert(id, (level, parse_stored_date(&on)?));
    }
    Ok((sent_ids, last))
}

/// (invoices to mail, reminders due) today, for the dashboard: the same rule as
/// `list_to_send` (`classify`), counted without building any row.
pub fn due_counts(ctx: &mut Ctx) -> Result<(i64, i64)> {
    let s = settings(ctx.conn)?;
    let (mut to_mail, mut due) = (0, 0);
    let mut count = |next: Next| match next {
        Next::ToMail => to_mail += 1,
        Next::Due(..) => due += 1,
        _ => {}
    };
    if !items::is_current(ctx.conn, ctx.today)? {
        for r in send_rows(ctx.conn, ctx.today)? {
            count(classify(&s, ctx.today, r.sent, r.due, r.last));
        }
        return Ok((to_mail, due));
    }
    // One pass over the open invoices' index (no join: the dashboard needs no numbers).
    let mut stmt = ctx.conn.prepare_cached("SELECT sent, due_date, reminder_level, reminded_on FROM invoice_state WHERE amount_minor > settled_minor")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let sent = r.get::<_, i64>(0)? != 0;
        let due_date = if sent {
            r.get::<_, Option<String>>(1)?
                .as_deref()
                .map(parse_stored_date)
                .transpose()?
        } else {
            None
        };
        let last = match (r.get::<_, i64>(2)?, r.get::<_, Option<String>>(3)?) {
            (level, Some(on)) if sent && level > 0 => Some((level, parse_stored_date(&on)?)),
            _ => None,
        };
        count(classify(&s, ctx.today, sent, due_date, last));
    }
    Ok((to_mail, due))
}

/// How many of the invoices waiting for their next reminder `list_to_send` lists (soonest first).
pub const WAITING_SHOWN: usize = 100;

/// `list_to_send`: a page of customers with invoices to mail or reminders due.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListToSend {
    /// Customers on the page: at most 1,000, 50 when left out.
    pub limit: Option<Int<1, 1000>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
    /// Also every reminder due (`dueIds`, `due`), for "remind all".
    pub due_ids: Option<bool>,
}

/// An overdue invoice and its next reminder.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderRow {
    pub invoice_id: i64,
    pub number: String,
    pub level: i64,
    pub due_date: Option<String>,
    pub days_overdue: Option<i64>,
    pub open: String,
    pub currency: &'static str,
    /// The earliest day of the reminder.
    pub next_on: String,
    /// The late fee a reminder sent today would propose.
    pub proposed_fee: String,
}

/// An invoice still to mail.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailRow {
    pub invoice_id: i64,
    pub number: String,
    pub date: String,
    pub open: String,
    pub currency: &'static str,
}

/// One customer's invoices to mail and reminders due.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendGroup {
    pub customer_id: i64,
    pub customer_name: String,
    pub to_mail: Vec<MailRow>,
    pub reminders: Vec<ReminderRow>,
}

/// A reminder "remind all" will record and print.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueReminder {
    pub invoice_id: i64,
    pub number: Option<String>,
    pub level: i64,
    pub customer_name: String,
}

/// What is to send today.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToSend {
    /// Customers with something to send (all pages).
    pub groups_total: usize,
    pub offset: usize,
    /// Invoices to mail, over every customer.
    pub to_mail: usize,
    /// Reminders due, over every customer.
    pub reminders_due: usize,
    /// Overdue invoices waiting for their next reminder (all of them; `waiting` lists the soonest).
    pub waiting_total: usize,
    pub settings: SettingsView,
    pub groups: Vec<SendGroup>,
    pub waiting: Vec<ReminderRow>,
    /// Acts of completed works not yet handed over.
    pub acts: Vec<Value>,
    /// With `dueIds: true`: the invoice of every reminder due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_ids: Option<Vec<i64>>,
    /// With `dueIds: true`: every reminder due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Vec<DueReminder>>,
}

/// `list_to_send {limit?, offset?, dueIds?}`: invoices still to mail and reminders due today,
/// grouped by customer — the customers whose oldest item is oldest first, `limit` customers
/// (default 50) from `offset` —, with the totals over every customer (`groupsTotal`, `toMail`,
/// `remindersDue`), the 100 overdue invoices whose next reminder comes soonest (patience made
/// visible) and, with `dueIds: true`, the ids of every invoice with a reminder due ("remind all").
pub fn to_send(ctx: &mut Ctx, req: ListToSend) -> Result<ToSend> {
    let limit = req.limit.map_or(50, |l| l.0) as usize;
    let offset = req.offset.map_or(0, |o| o.0) as usize;
    let with_due_ids = req.due_ids.unwrap_or(false);
    let s = settings(ctx.conn)?;
    let today = ctx.today;
    // Rows come oldest due first; a customer's group takes the place of its first row. Views
    // are built only for the page and the soonest waiting (a big shop has 20,000 rows).
    let mut order: Vec<i64> = Vec::new();
    let mut groups: std::collections::HashMap<i64, Vec<(SendRow, Next)>> =
        std::collections::HashMap::new();
    let (mut to_mail, mut due_ids, mut waiting) = (0, Vec::new(), Vec::new());
    for r in send_rows(ctx.conn, today)? {
        match classify(&s, today, r.sent, r.due, r.last) {
            Next::Nothing => continue,
            Next::Waiting(level, on) => waiting.push((on, r.invoice_id, level, r)),
            next => {
                if let Next::Due(level, _) = next {
                    due_ids.push((r.invoice_id, level, r.customer_id));
                } else {
                    to_mail += 1;
                }
                groups
                    .entry(r.customer_id)
                    .or_insert_with(|| {
                        order.push(r.customer_id);
                        Vec::new()
                    })
                    .push((r, next));
            }
        }
    }
    let conn = &*ctx.conn;
    let reminder_row = |r: &SendRow, level: i64, on: NaiveDate| -> Result<ReminderRow> {
        let (number, _) = r.details(conn)?;
        let cur = r.currency;
        Ok(ReminderRow {
            invoice_id: r.invoice_id,
            number,
            level,
            due_date: r.due.map(|d| d.to_string()),
            days_overdue: r.due.map(|d| (today - d).num_days()),
            open: cur.format_minor(r.open_minor),
            currency: cur.code,
            next_on: on.to_string(),
            proposed_fee: cur.format_minor(fee_on(&s, r.due, r.open_minor, today)),
        })
    };
    let groups_total = order.len();
    let mut page = Vec::new();
    let mut name = conn.prepare_cached("SELECT name FROM customers WHERE id = ?1")?;
    for customer_id in order.into_iter().skip(offset).take(limit) {
        let (mut mail, mut reminders) = (Vec::new(), Vec::new());
        for (r, next) in groups.remove(&customer_id).unwrap_or_default() {
            if let Next::Due(level, on) = next {
                reminders.push(reminder_row(&r, level, on)?);
            } else {
                let (number, issued) = r.details(conn)?;
                let cur = r.currency;
                mail.push(MailRow {
                    invoice_id: r.invoice_id,
                    number,
                    date: issued.to_string(),
                    open: cur.format_minor(r.open_minor),
                    currency: cur.code,
                });
            }
        }
        let customer_name: String = name.query_row([customer_id], |r| r.get(0))?;
        page.push(SendGroup {
            customer_id,
            customer_name,
            to_mail: mail,
            reminders,
        });
    }
    // Patience made visible, but only the next ones: a big shop has thousands waiting.
    let waiting_total = waiting.len();
    waiting.sort_unstable_by_key(|w| (w.0, w.1));
    let waiting: Vec<ReminderRow> = waiting
        .iter()
        .take(WAITING_SHOWN)
        .map(|(on, _, level, r)| reminder_row(r, *level, *on))
        .collect::<Result<_>>()?;
    // What "print all reminders" will record and print, shown before it does: every
    // reminder due, with its invoice, level and customer.
    let due = if with_due_ids {
        let mut number = conn.prepare_cached("SELECT number FROM invoices WHERE id = ?1")?;
        let due = due_ids
            .iter()
            .map(|(invoice_id, level, customer_id)| -> Result<DueReminder> {
                let n: Option<String> = number.query_row([invoice_id], |r| r.get(0))?;
                let c: String = name.query_row([customer_id], |r| r.get(0))?;
                Ok(DueReminder {
                    invoice_id: *invoice_id,
                    number: n,
                    level: *level,
                    customer_name: c,
                })
            })
            .collect::<Result<_>>()?;
        Some(due)
    } else {
        None
    };
    Ok(ToSend {
        groups_total,
        offset,
        to_mail,
        reminders_due: due_ids.len(),
        waiting_total,
        settings: settings_view(&s, super::profile::home_currency(conn)?),
        groups: page,
        waiting,
        // Acts of completed works made but not yet handed over, printed together in one batch.
        acts: super::acts::unsent(conn)?,
        due_ids: with_due_ids.then(|| due_ids.iter().map(|d| d.0).collect()),
        due,
    })
}

/// `record_reminder`: the next reminder of an overdue invoice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordReminder {
    pub invoice_id: Id,
    /// Today when left out.
    pub date: Option<Date>,
    /// Post the proposed late fee.
    #[serde(default)]
    pub apply_fee: bool,
}

/// A reminder recorded.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderRecorded {
    pub id: i64,
    pub invoice_id: i64,
    pub level: i64,
    pub date: String,
    /// What is open with the fee.
    pub open: String,
    pub fee: String,
    pub currency: &'static str,
    /// The earliest day of the next reminder (none after the final notice).
    pub next_reminder_on: Option<String>,
}

/// `record_reminder {invoiceId, date?, applyFee?}`: records the next reminder level; refuses
/// when the invoice is paid, not yet overdue, or reminded too recently.
pub fn record(ctx: &mut Ctx, req: RecordReminder) -> Result<ReminderRecorded> {
    let invoice_id = req.invoice_id.0;
    let date = req.date.map_or(ctx.today, |d| d.0);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let apply_fee = req.apply_fee;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    super::must_exist(&tx, "invoices", invoice_id, "invoiceId")?;
    let s = settings(&tx)?;
    let customer_id: i64 = tx.query_row(
        "SELECT customer_id FROM invoices WHERE id = ?1",
        [invoice_id],
        |r| r.get(0),
    )?;
    let item = items::items(&tx, Some(customer_id), date, false)?
        .into_iter()
        .find(|i| i.item_type == "invoice" && i.item_id == invoice_id)
        .ok_or(Error::Conflict {
            key: "error.notIssued",
            field: Some("invoiceId".into()),
        })?;
    if item.open_minor <= 0 {
        return Err(Error::Conflict {
            key: "error.invoicePaid",
            field: Some("invoiceId".into()),
        });
    }
    let (level, earliest) = next_reminder(&tx, &s, &item)?.ok_or(Error::Conflict {
        key: "error.noMoreReminders",
        field: Some("invoiceId".into()),
    })?;
    if date < earliest {
        return Err(Error::Conflict {
            key: "error.reminderTooEarly",
            field: Some("invoiceId".into()),
        });
    }
    let cur = Currency::stored(&item.currency)?;
    let fee = if apply_fee {
        proposed_fee(&s, &item, date)
    } else {
        0
    };
    let now = now_stamp();
    let fee_entry = if fee > 0 {
        let entry = JournalEntry::new(
            date,
            "late_fee",
            format!("Late fee, reminder {level} for {}", item.label),
            Some(("invoice", invoice_id)),
            vec![
                Posting::new(Account::Receivables, cur.code, fee).customer(customer_id),
                Posting::new(Account::LateFees, cur.code, -fee),
            ],
        )?;
        Some(ledger::post(&tx, &entry, &now)?)
    } else {
        None
    };
    tx.execute(
        "INSERT INTO reminders (invoice_id, level, sent_on, open_minor, fee_minor, fee_entry_id, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
        params![invoice_id, level, date.to_string(), item.open_minor + fee, fee, fee_entry, now],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    let next = if level < 3 {
        Some((date + chrono::Duration::days(s.spacing_days)).to_string())
    } else {
        None
    };
    Ok(ReminderRecorded {
        id,
        invoice_id,
        level,
        date: date.to_string(),
        open: cur.format_minor(item.open_minor + fee),
        fee: cur.format_minor(fee),
        currency: cur.code,
        next_reminder_on: next,
    })
}

/// `list_reminders`: the reminders sent for an invoice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListReminders {
    pub invoice_id: Id,
}

/// A reminder sent.
#[derive(Debug, Serialize)]
pub struct ReminderView {
    pub id: i64,
    pub level: i64,
    pub date: String,
    /// What was open with its fee.
    pub open: String,
    pub fee: String,
}

/// `list_reminders {invoiceId}`.
pub fn list(ctx: &mut Ctx, req: ListReminders) -> Result<Vec<ReminderView>> {
    let invoice_id = req.invoice_id.0;
    super::must_exist(ctx.conn, "invoices", invoice_id, "invoiceId")?;
    let cur: String = ctx.conn.query_row(
        "SELECT currency FROM invoices WHERE id = ?1",
        [invoice_id],
        |r| r.get(0),
    )?;
    let c = Currency::stored(&cur)?;
    let mut stmt = ctx.conn.prepare_cached("SELECT id, level, sent_on, open_minor, fee_minor FROM reminders WHERE invoice_id = ?1 ORDER BY id")?;
    let rows = stmt
        .query_map([invoice_id], |r| {
            Ok(ReminderView {
                id: r.get(0)?,
                level: r.get(1)?,
                date: r.get(2)?,
                open: c.format_minor(r.get(3)?),
                fee: c.format_minor(r.get(4)?),
            })
        })?
        .collect::<crate::sql::Result<_>>()?;
    Ok(rows)
}
