//! Payment terms stored in the database: presets and the user's own.

use super::Ctx;
use crate::args::{Args, MAX_NAME};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::terms::{EarlyDiscount, PaymentTerms, TermKind};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

fn from_row(r: &Row) -> rusqlite::Result<(i64, String, bool, bool, PaymentTerms)> {
    let kind: String = r.get("kind")?;
    let percent: Option<String> = r.get("discount_percent")?;
    let discount = match (percent, r.get::<_, Option<u32>>("discount_days")?) {
        (Some(p), Some(days)) => p.parse().ok().map(|percent| EarlyDiscount { percent, days }),
        _ => None,
    };
    let terms = PaymentTerms {
        kind: TermKind::parse(&kind).unwrap_or(TermKind::Net),
        days: r.get("days")?,
        day_of_month: r.get("day_of_month")?,
        cutoff_day: r.get("cutoff_day")?,
        discount,
    };
    Ok((r.get("id")?, r.get("name")?, r.get::<_, i64>("preset")? != 0, r.get::<_, i64>("archived")? != 0, terms))
}

/// The terms with `id`; `field` names the argument for a not-found error.
pub fn load(conn: &Connection, id: i64, field: &str) -> Result<PaymentTerms> {
    conn.query_row("SELECT * FROM payment_terms WHERE id = ?1", [id], from_row).optional()?.map(|t| t.4).ok_or_else(|| Error::not_found(field))
}

pub fn to_json(id: i64, name: &str, preset: bool, archived: bool, t: &PaymentTerms, lang: Lang) -> Value {
    json!({
        "id": id,
        // The presets are named in the language asked for; the user's own terms as they wrote them.
        "name": if preset { t.short_name(lang) } else { name.to_string() },
        "kind": t.kind.as_str(),
        "days": t.days,
        "dayOfMonth": t.day_of_month,
        "cutoffDay": t.cutoff_day,
        "discountPercent": t.discount.map(|d| d.percent.normalize().to_string()),
        "discountDays": t.discount.map(|d| d.days),
        "preset": preset,
        "archived": archived,
        "sentence": t.sentence(lang),
    })
}

/// `list_terms {language?}`: every payment term with its sentence.
pub fn list(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let lang = args.opt_choice("language", Lang::CODES)?.and_then(Lang::parse).unwrap_or(Lang::En);
    let mut stmt = ctx.conn.prepare("SELECT * FROM payment_terms ORDER BY archived, preset DESC, id")?;
    let rows = stmt.query_map([], from_row)?;
    let mut out = Vec::new();
    for r in rows {
        let (id, name, preset, archived, t) = r?;
        out.push(to_json(id, &name, preset, archived, &t, lang));
    }
    Ok(Value::Array(out))
}

/// Reads terms from arguments (`kind`, `days`, `dayOfMonth`, `cutoffDay`, `discountPercent`, `discountDays`).
pub fn parse(args: &Args) -> Result<PaymentTerms> {
    let kind = args.opt_choice("kind", TermKind::ALL)?.ok_or_else(|| Error::invalid(args.field("kind"), "error.required"))?;
    let kind = TermKind::parse(kind).expect("choice is a kind");
    let days = args.opt_int_in("days", 0, 3650)?.unwrap_or(0) as u32;
    let dom = args.opt_int_in("dayOfMonth", 1, 31)?.map(|d| d as u32);
    let cutoff = args.opt_int_in("cutoffDay", 1, 31)?.map(|d| d as u32);
    let discount = match args.opt_percent("discountPercent")? {
        Some(p) if !p.is_zero() => {
            let days = args.opt_int_in("discountDays", 0, 3650)?.ok_or_else(|| Error::invalid(args.field("discountDays"), "error.required"))?;
            Some(EarlyDiscount { percent: p, days: days as u32 })
        }
        _ => None,
    };
    PaymentTerms::new(kind, days, dom, cutoff, discount)
}

/// `save_terms {id?, name, kind, days, ...}`: creates or changes the user's own terms.
/// Presets cannot be changed (invoices refer to them); copy them instead.
pub fn save(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let name = args.string("name", MAX_NAME)?;
    let t = parse(args)?;
    let id = args.opt_id("id")?;
    let tx = ctx.conn.transaction()?;
    let id = match id {
        Some(id) => {
            let preset: Option<i64> = tx.query_row("SELECT preset FROM payment_terms WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            match preset {
                None => return Err(Error::not_found("id")),
                Some(1) => return Err(Error::NotEditable { key: "error.presetTerms" }),
                _ => {}
            }
            tx.execute(
                "UPDATE payment_terms SET name=?2, kind=?3, days=?4, day_of_month=?5, cutoff_day=?6, discount_percent=?7, discount_days=?8 WHERE id=?1",
                params![id, name, t.kind.as_str(), t.days, t.day_of_month, t.cutoff_day, t.discount.map(|d| d.percent.to_string()), t.discount.map(|d| d.days)],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO payment_terms (name, kind, days, day_of_month, cutoff_day, discount_percent, discount_days) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                params![name, t.kind.as_str(), t.days, t.day_of_month, t.cutoff_day, t.discount.map(|d| d.percent.to_string()), t.discount.map(|d| d.days)],
            )?;
            tx.last_insert_rowid()
        }
    };
    tx.commit()?;
    Ok(to_json(id, &name, false, false, &t, Lang::En))
}
