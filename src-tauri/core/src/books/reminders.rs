//! Patient reminders. An invoice is overdue when today > due date + grace days. Levels: 1
//! friendly reminder, 2 second notice, 3 final notice, at least `spacing` days apart. A
//! reminder is a record that re-sends a copy of the original invoice (same number and date)
//! with the open balance; a late fee (fixed, or yearly interest on the open amount for the days
//! late) is posted only when the user confirms it.

use super::items::{self, OpenItem};
use super::{now_stamp, parse_stored_date, Ctx};
use crate::args::{Args, MAX_TEXT};
use crate::error::{Error, Result};
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::{round_money, Currency};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
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

pub fn settings(conn: &Connection) -> Result<Settings> {
    Ok(conn.query_row(
        "SELECT grace_days, spacing_days, fee_kind, fee_fixed_minor, interest_percent, text_1, text_2, text_3 FROM reminder_settings WHERE id = 1",
        [],
        |r| {
            Ok(Settings {
                grace_days: r.get(0)?,
                spacing_days: r.get(1)?,
                fee_kind: r.get(2)?,
                fee_fixed_minor: r.get(3)?,
                interest_percent: Decimal::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
                texts: [r.get(5)?, r.get(6)?, r.get(7)?],
            })
        },
    )?)
}

fn settings_json(s: &Settings, home: Currency) -> Value {
    json!({
        "graceDays": s.grace_days, "spacingDays": s.spacing_days, "feeKind": s.fee_kind, "feeFixed": home.format_minor(s.fee_fixed_minor),
        "interestPercent": s.interest_percent.normalize().to_string(), "text1": s.texts[0], "text2": s.texts[1], "text3": s.texts[2],
    })
}

fn home_currency(conn: &Connection) -> Result<Currency> {
    let code = super::profile::load(conn)?.map(|p| p.currency).unwrap_or_else(|| "KZT".into());
    Currency::stored(&code)
}

/// `get_reminder_settings`.
pub fn get_settings(ctx: &mut Ctx, _args: &Args) -> Result<Value> {
    Ok(settings_json(&settings(ctx.conn)?, home_currency(ctx.conn)?))
}

/// `save_reminder_settings {graceDays, spacingDays, feeKind: none|fixed|interest, feeFixed?, interestPercent?, text1?, text2?, text3?}`.
pub fn save_settings(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let home = home_currency(ctx.conn)?;
    let grace = args.opt_int_in("graceDays", 0, 365)?.unwrap_or(3);
    let spacing = args.opt_int_in("spacingDays", 1, 365)?.unwrap_or(14);
    let kind = args.opt_choice("feeKind", &["none", "fixed", "interest"])?.unwrap_or("none");
    let fixed = match args.opt_amount("feeFixed", false)? {
        Some(a) => home.to_minor(a, "feeFixed")?,
        None => 0,
    };
    let interest = args.opt_percent("interestPercent")?.unwrap_or_default();
    ctx.conn.execute(
        "UPDATE reminder_settings SET grace_days=?1, spacing_days=?2, fee_kind=?3, fee_fixed_minor=?4, interest_percent=?5, text_1=?6, text_2=?7, text_3=?8 WHERE id = 1",
        params![grace, spacing, kind, fixed, interest.to_string(), args.text("text1", MAX_TEXT)?, args.text("text2", MAX_TEXT)?, args.text("text3", MAX_TEXT)?],
    )?;
    get_settings(ctx, args)
}

/// The last reminder of an invoice: (level, sent_on).
fn last_reminder(conn: &Connection, invoice_id: i64) -> Result<Option<(i64, NaiveDate)>> {
    let row: Option<(i64, String)> = conn
        .query_row("SELECT level, sent_on FROM reminders WHERE invoice_id = ?1 ORDER BY level DESC, id DESC LIMIT 1", [invoice_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    row.map(|(l, d)| Ok((l, parse_stored_date(&d)?))).transpose()
}

/// When an invoice may next be reminded, and at which level (`None` after the final notice or
/// while the due date is unknown).
pub fn next_reminder(conn: &Connection, s: &Settings, item: &OpenItem) -> Result<Option<(i64, NaiveDate)>> {
    Ok(next_after(s, item.due, last_reminder(conn, item.item_id)?))
}

/// The next reminder given the last one sent (level, date).
fn next_after(s: &Settings, due: Option<NaiveDate>, last: Option<(i64, NaiveDate)>) -> Option<(i64, NaiveDate)> {
    let due = due?;
    let first = due + chrono::Duration::days(s.grace_days + 1);
    match last {
        None => Some((1, first)),
        Some((3, _)) => None,
        Some((level, sent)) => Some((level + 1, (sent + chrono::Duration::days(s.spacing_days)).max(first))),
    }
}

/// The proposed late fee for a reminder sent on `date`.
pub fn proposed_fee(s: &Settings, item: &OpenItem, date: NaiveDate) -> i64 {
    match s.fee_kind.as_str() {
        "fixed" => s.fee_fixed_minor,
        "interest" => {
            let Some(due) = item.due else { return 0 };
            let days = (date - due).num_days().max(0);
            let fee = Decimal::from(item.open_minor) * s.interest_percent / Decimal::from(100) * Decimal::from(days) / Decimal::from(365);
            round_money(fee, 0).to_i64().unwrap_or(0)
        }
        _ => 0,
    }
}

/// Open invoices that were mailed (or received), and the last reminder (level, date) of each
/// open invoice: one pass each over the sending log and the reminders, not a query per invoice.
type ReminderFacts = (std::collections::HashSet<i64>, std::collections::HashMap<i64, (i64, NaiveDate)>);

fn reminder_facts(conn: &Connection) -> Result<ReminderFacts> {
    let mut sent_ids = std::collections::HashSet::new();
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT s.invoice_id FROM invoice_sends s JOIN invoice_state st ON st.invoice_id = s.invoice_id
         WHERE st.amount_minor > st.settled_minor AND s.kind IN ('post', 'email', 'received')",
    )?;
    for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
        sent_ids.insert(id?);
    }
    let mut last = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT r.invoice_id, r.level, r.sent_on FROM reminders r JOIN invoice_state st ON st.invoice_id = r.invoice_id
         WHERE st.amount_minor > st.settled_minor ORDER BY r.invoice_id, r.level, r.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))? {
        let (id, level, on) = row?;
        last.insert(id, (level, parse_stored_date(&on)?));
    }
    Ok((sent_ids, last))
}

/// (invoices to mail, reminders due) today, for the dashboard: the same rules as
/// `list_to_send`, counted from the derived state without building every row.
pub fn due_counts(ctx: &mut Ctx) -> Result<(i64, i64)> {
    if !items::is_current(ctx.conn, ctx.today)? {
        let v = to_send(ctx, &Args::new(&Value::Null)?)?;
        return Ok((v["toMail"].as_i64().unwrap_or(0), v["remindersDue"].as_i64().unwrap_or(0)));
    }
    let s = settings(ctx.conn)?;
    let (mut to_mail, mut due) = (0, 0);
    // Sent and the latest reminder are kept in invoice_state (migration 0004): one pass.
    let mut stmt = ctx.conn.prepare_cached("SELECT sent, due_date, reminder_level, reminded_on FROM invoice_state WHERE amount_minor > settled_minor")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if r.get::<_, i64>(0)? == 0 {
            to_mail += 1;
            continue;
        }
        let due_date = r.get::<_, Option<String>>(1)?.as_deref().map(parse_stored_date).transpose()?;
        let last = match (r.get::<_, i64>(2)?, r.get::<_, Option<String>>(3)?) {
            (level, Some(on)) if level > 0 => Some((level, parse_stored_date(&on)?)),
            _ => None,
        };
        if next_after(&s, due_date, last).map(|(_, on)| on <= ctx.today).unwrap_or(false) {
            due += 1;
        }
    }
    Ok((to_mail, due))
}

/// `list_to_send {}`: invoices still to mail and reminders due today, grouped by customer,
/// with the next reminder date of everything overdue (patience made visible).
/// How many of the invoices waiting for their next reminder `list_to_send` lists (soonest first).
pub const WAITING_SHOWN: usize = 100;

pub fn to_send(ctx: &mut Ctx, _args: &Args) -> Result<Value> {
    let s = settings(ctx.conn)?;
    let open = items::items(ctx.conn, None, ctx.today, true)?;
    let mut groups: BTreeMap<i64, Value> = BTreeMap::new();
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let mut to_mail = 0;
    let mut reminders_due = 0;
    let mut waiting = Vec::new();
    let (sent_ids, last) = reminder_facts(ctx.conn)?;
    for item in open.iter().filter(|i| i.item_type == "invoice") {
        let cur = Currency::stored(&item.currency)?;
        let sent = i64::from(sent_ids.contains(&item.item_id));
        let name = names.entry(item.customer_id).or_insert_with(|| {
            ctx.conn.query_row("SELECT name FROM customers WHERE id = ?1", [item.customer_id], |r| r.get::<_, String>(0)).unwrap_or_default()
        });
        let g = groups
            .entry(item.customer_id)
            .or_insert_with(|| json!({"customerId": item.customer_id, "customerName": name.clone(), "toMail": [], "reminders": []}));
        if sent == 0 {
            to_mail += 1;
            g["toMail"].as_array_mut().expect("array").push(json!({"invoiceId": item.item_id, "number": item.label, "date": item.item_date.to_string(), "open": cur.format_minor(item.open_minor), "currency": cur.code}));
            continue;
        }
        if let Some((level, on)) = next_after(&s, item.due, last.get(&item.item_id).copied()) {
            let row = json!({
                "invoiceId": item.item_id, "number": item.label, "level": level, "dueDate": item.due.map(|d| d.to_string()),
                "daysOverdue": item.due.map(|d| (ctx.today - d).num_days()), "open": cur.format_minor(item.open_minor), "currency": cur.code,
                "nextOn": on.to_string(), "proposedFee": cur.format_minor(proposed_fee(&s, item, ctx.today)),
            });
            if on <= ctx.today {
                reminders_due += 1;
                g["reminders"].as_array_mut().expect("array").push(row);
            } else if item.due.map(|d| d < ctx.today).unwrap_or(false) {
                waiting.push(row);
            }
        }
    }
    let groups: Vec<Value> = groups
        .into_values()
        .filter(|g| !g["toMail"].as_array().map(|a| a.is_empty()).unwrap_or(true) || !g["reminders"].as_array().map(|a| a.is_empty()).unwrap_or(true))
        .collect();
    // Patience made visible, but only the next ones: a big shop has thousands waiting.
    let waiting_total = waiting.len();
    waiting.sort_by(|a, b| (a["nextOn"].as_str(), a["invoiceId"].as_i64()).cmp(&(b["nextOn"].as_str(), b["invoiceId"].as_i64())));
    waiting.truncate(WAITING_SHOWN);
    Ok(
        json!({"groups": groups, "toMail": to_mail, "remindersDue": reminders_due, "waiting": waiting, "waitingTotal": waiting_total, "settings": settings_json(&s, home_currency(ctx.conn)?)}),
    )
}

/// `record_reminder {invoiceId, date?, applyFee?}`: records the next reminder level; refuses
/// when the invoice is paid, not yet overdue, or reminded too recently.
pub fn record(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let invoice_id = args.id("invoiceId")?;
    let date = args.opt_date("date")?.unwrap_or(ctx.today);
    if date > ctx.today {
        return Err(Error::invalid("date", "error.inFuture"));
    }
    let apply_fee = args.bool("applyFee")?;
    let tx = ctx.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    super::must_exist(&tx, "invoices", invoice_id, "invoiceId")?;
    let s = settings(&tx)?;
    let customer_id: i64 = tx.query_row("SELECT customer_id FROM invoices WHERE id = ?1", [invoice_id], |r| r.get(0))?;
    let item = items::items(&tx, Some(customer_id), date, false)?
        .into_iter()
        .find(|i| i.item_type == "invoice" && i.item_id == invoice_id)
        .ok_or(Error::Conflict { key: "error.notIssued", field: Some("invoiceId".into()) })?;
    if item.open_minor <= 0 {
        return Err(Error::Conflict { key: "error.invoicePaid", field: Some("invoiceId".into()) });
    }
    let (level, earliest) = next_reminder(&tx, &s, &item)?.ok_or(Error::Conflict { key: "error.noMoreReminders", field: Some("invoiceId".into()) })?;
    if date < earliest {
        return Err(Error::Conflict { key: "error.reminderTooEarly", field: Some("invoiceId".into()) });
    }
    let cur = Currency::stored(&item.currency)?;
    let fee = if apply_fee { proposed_fee(&s, &item, date) } else { 0 };
    let now = now_stamp();
    let fee_entry = if fee > 0 {
        let entry = JournalEntry::new(
            date,
            "late_fee",
            format!("Late fee, reminder {level} for {}", item.label),
            Some(("invoice", invoice_id)),
            vec![Posting::new(Account::Receivables, cur.code, fee).customer(customer_id), Posting::new(Account::LateFees, cur.code, -fee)],
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
    let next = if level < 3 { Some((date + chrono::Duration::days(s.spacing_days)).to_string()) } else { None };
    Ok(
        json!({"id": id, "invoiceId": invoice_id, "level": level, "date": date.to_string(), "open": cur.format_minor(item.open_minor + fee), "fee": cur.format_minor(fee), "currency": cur.code, "nextReminderOn": next}),
    )
}

/// `list_reminders {invoiceId}`.
pub fn list(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let invoice_id = args.id("invoiceId")?;
    super::must_exist(ctx.conn, "invoices", invoice_id, "invoiceId")?;
    let cur: String = ctx.conn.query_row("SELECT currency FROM invoices WHERE id = ?1", [invoice_id], |r| r.get(0))?;
    let c = Currency::stored(&cur)?;
    let mut stmt = ctx.conn.prepare_cached("SELECT id, level, sent_on, open_minor, fee_minor FROM reminders WHERE invoice_id = ?1 ORDER BY id")?;
    let rows: Vec<Value> = stmt
        .query_map([invoice_id], |r| {
            Ok(json!({"id": r.get::<_, i64>(0)?, "level": r.get::<_, i64>(1)?, "date": r.get::<_, String>(2)?, "open": c.format_minor(r.get(3)?), "fee": c.format_minor(r.get(4)?)}))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Value::Array(rows))
}
