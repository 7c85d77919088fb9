//! Payment terms stored in the database: presets and the user's own.

use super::Ctx;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::req::{Id, Int, Name, Percent};
use crate::sql::{params, Connection, OptionalExtension, Row};
use crate::terms::{EarlyDiscount, PaymentTerms, TermKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A stored value that does not read back: our bug, never a silent default.
fn bad_stored(column: &str, value: &str) -> crate::sql::Error {
    crate::sql::Error::FromSqlConversionFailure(
        0,
        crate::sql::Type::Text,
        format!("payment_terms.{column} {value:?}").into(),
    )
}

fn from_row(r: &Row) -> crate::sql::Result<(i64, String, bool, bool, PaymentTerms)> {
    let kind: String = r.get("kind")?;
    let percent: Option<String> = r.get("discount_percent")?;
    let discount = match (percent, r.get::<_, Option<u32>>("discount_days")?) {
        (Some(p), Some(days)) => Some(EarlyDiscount {
            percent: p.parse().map_err(|_| bad_stored("discount_percent", &p))?,
            days,
        }),
        _ => None,
    };
    let terms = PaymentTerms {
        kind: TermKind::parse(&kind).ok_or_else(|| bad_stored("kind", &kind))?,
        days: r.get("days")?,
        day_of_month: r.get("day_of_month")?,
        cutoff_day: r.get("cutoff_day")?,
        discount,
    };
    Ok((
        r.get("id")?,
        r.get("name")?,
        r.get::<_, i64>("preset")? != 0,
        r.get::<_, i64>("archived")? != 0,
        terms,
    ))
}

/// The terms with `id`; `field` names the argument for a not-found error.
pub fn load(conn: &Connection, id: i64, field: &str) -> Result<PaymentTerms> {
    conn.query_row("SELECT * FROM payment_terms WHERE id = ?1", [id], from_row)
        .optional()?
        .map(|t| t.4)
        .ok_or_else(|| Error::not_found(field))
}

/// Payment terms as the screens show them, with their sentence.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TermsView {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub days: u32,
    pub day_of_month: Option<u32>,
    pub cutoff_day: Option<u32>,
    pub discount_percent: Option<String>,
    pub discount_days: Option<u32>,
    pub preset: bool,
    pub archived: bool,
    /// The terms in words, in the language asked for.
    pub sentence: String,
}

pub fn view(
    id: i64,
    name: &str,
    preset: bool,
    archived: bool,
    t: &PaymentTerms,
    lang: Lang,
) -> TermsView {
    TermsView {
        id,
        // The presets are named in the language asked for; the user's own terms as they wrote them.
        name: if preset {
            t.short_name(lang)
        } else {
            name.to_string()
        },
        kind: t.kind.as_str(),
        days: t.days,
        day_of_month: t.day_of_month,
        cutoff_day: t.cutoff_day,
        discount_percent: t.discount.map(|d| d.percent.normalize().to_string()),
        discount_days: t.discount.map(|d| d.days),
        preset,
        archived,
        sentence: t.sentence(lang),
    }
}

/// `list_terms`: every payment term.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListTerms {
    /// The language of the presets' names and the sentences (English when left out).
    pub language: Option<crate::i18n::Lang>,
}

/// `list_terms {language?}`: every payment term with its sentence.
pub fn list(ctx: &mut Ctx, req: ListTerms) -> Result<Vec<TermsView>> {
    let lang = req.language.unwrap_or(Lang::En);
    let mut stmt = ctx
        .conn
        .prepare("SELECT * FROM payment_terms ORDER BY archived, preset DESC, id")?;
    let rows = stmt.query_map([], from_row)?;
    let mut out = Vec::new();
    for r in rows {
        let (id, name, preset, archived, t) = r?;
        out.push(view(id, &name, preset, archived, &t, lang));
    }
    Ok(out)
}

/// The kinds of payment terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Receipt,
    Net,
    AfterReceipt,
    Eom,
    Proximo,
}

impl Kind {
    pub fn term_kind(self) -> TermKind {
        match self {
            Kind::Receipt => TermKind::Receipt,
            Kind::Net => TermKind::Net,
            Kind::AfterReceipt => TermKind::AfterReceipt,
            Kind::Eom => TermKind::Eom,
            Kind::Proximo => TermKind::Proximo,
        }
    }
}

/// `save_terms`: the user's own payment terms, new or changed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveTerms {
    /// The terms to change; new terms when left out.
    pub id: Option<Id>,
    pub name: Name,
    pub kind: Kind,
    /// For `net`, `after_receipt`, `eom` (0 when left out).
    pub days: Option<Int<0, 3650>>,
    /// For `proximo`.
    pub day_of_month: Option<Int<1, 31>>,
    /// For `proximo`: issued after this day, due a month later.
    pub cutoff_day: Option<Int<1, 31>>,
    /// An early-payment discount (none when left out or 0).
    pub discount_percent: Option<Percent>,
    /// Days the discount holds; required with a discount.
    pub discount_days: Option<Int<0, 3650>>,
}

/// The terms a request describes, checked as a combination.
pub fn terms_of(req: &SaveTerms) -> Result<PaymentTerms> {
    let kind = req.kind.term_kind();
    let days = req.days.map_or(0, |d| d.0) as u32;
    let dom = req.day_of_month.map(|d| d.0 as u32);
    let cutoff = req.cutoff_day.map(|d| d.0 as u32);
    let discount = match req.discount_percent {
        Some(p) if !p.0.is_zero() => {
            let days = req
                .discount_days
                .ok_or_else(|| Error::invalid("discountDays", "error.required"))?;
            Some(EarlyDiscount {
                percent: p.0,
                days: days.0 as u32,
            })
        }
        _ => None,
    };
    PaymentTerms::new(kind, days, dom, cutoff, discount)
}

/// `save_terms {id?, name, kind, days, ...}`: creates or changes the user's own terms.
/// Presets cannot be changed (invoices refer to them); copy them instead.
pub fn save(ctx: &mut Ctx, req: SaveTerms) -> Result<TermsView> {
    let t = terms_of(&req)?;
    let name = req.name.into_string();
    let id = req.id.map(|i| i.0);
    let tx = ctx.conn.transaction()?;
    let id = match id {
        Some(id) => {
            let preset: Option<i64> = tx
                .query_row(
                    "SELECT preset FROM payment_terms WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            match preset {
                None => return Err(Error::not_found("id")),
                Some(1) => {
                    return Err(Error::NotEditable {
                        key: "error.presetTerms",
                    })
                }
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
    Ok(view(id, &name, false, false, &t, Lang::En))
}
