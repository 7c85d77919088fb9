//! Open items: what a customer still owes, item by item (issued invoices with their late fees,
//! and positive opening balances), as of a date.

use super::parse_stored_date;
use crate::acct;
use crate::error::Result;
use crate::money::Currency;
use crate::sql::{params, Connection};
use crate::terms::PaymentTerms;
use chrono::NaiveDate;

/// One receivable item and what is left of it on a date.
#[derive(Debug, Clone)]
pub struct OpenItem {
    pub item_type: &'static str,
    pub item_id: i64,
    pub customer_id: i64,
    pub label: String,
    pub item_date: NaiveDate,
    pub due: Option<NaiveDate>,
    /// Invoice total (+ fees) or the opening balance.
    pub amount_minor: i64,
    /// The invoice total alone (what an early-payment discount applies to).
    pub total_minor: i64,
    pub settled_minor: i64,
    pub open_minor: i64,
    pub currency: String,
    pub terms: Option<PaymentTerms>,
}

impl OpenItem {
    /// The early-payment discount available when paying on `date`, if any (only while
    /// nothing has been settled yet).
    pub fn discount_on(&self, date: NaiveDate) -> Option<i64> {
        let terms = self.terms.as_ref()?;
        let d = terms.discount?;
        if self.settled_minor != 0 || self.item_type != "invoice" {
            return None;
        }
        let received = if terms.needs_receipt() {
            self.due
                .map(|due| due - chrono::Duration::days(terms.days as i64))
        } else {
            None
        };
        let until = terms.discount_until(self.item_date, received)?;
        if date > until {
            return None;
        }
        let disc = crate::money::round_money(
            rust_decimal::Decimal::from(self.total_minor) * d.percent
                / rust_decimal::Decimal::from(100),
            0,
        );
        use rust_decimal::prelude::ToPrimitive;
        disc.to_i64().filter(|x| *x > 0 && *x < self.open_minor)
    }
}

impl OpenItem {
    /// How much of `remaining` (minor units) a payment on `date` puts on this item, and the
    /// early-payment discount it takes: the whole open amount if it is enough; the discounted
    /// amount inside the discount window; otherwise all that is left.
    pub fn take(&self, remaining: i64, date: NaiveDate) -> (i64, i64) {
        let discount = self.discount_on(date).unwrap_or(0);
        if remaining >= self.open_minor {
            (self.open_minor, 0)
        } else if discount > 0 && remaining >= self.open_minor - discount {
            (self.open_minor - discount, discount)
        } else {
            (remaining, 0)
        }
    }
}

/// Every item of one customer (or all customers) on `as_of`, oldest due first.
/// `only_open` drops items that are settled.
pub fn items(
    conn: &Connection,
    customer_id: Option<i64>,
    as_of: NaiveDate,
    only_open: bool,
) -> Result<Vec<OpenItem>> {
    select(conn, customer_id, as_of, only_open, false)
}

/// `open_now`: only invoices with something left today (what a new settlement can touch).
fn select(
    conn: &Connection,
    customer_id: Option<i64>,
    as_of: NaiveDate,
    only_open: bool,
    open_now: bool,
) -> Result<Vec<OpenItem>> {
    // The filters are spelled out per case (not `?1 IS NULL OR …`) so SQLite can use the
    // customer index for one customer and the open-invoice lists for everyone.
    let invoice_filter = match (customer_id.is_some(), only_open) {
        (true, _) if open_now => "st.customer_id = ?1 AND st.amount_minor > st.settled_minor",
        (true, _) => "st.customer_id = ?1",
        // Settled for good on or before the date: never open on it (see invoice_state). Two
        // indexed lists (open now; settled after the date) instead of a scan.
        (false, true) => {
            "st.invoice_id IN (SELECT invoice_id FROM invoice_state WHERE amount_minor > settled_minor
                               UNION SELECT invoice_id FROM invoice_state WHERE last_settled_on > ?2)"
        }
        (false, false) => "CAST(?1 AS BIGINT) IS NULL",
    };
    let opening_filter = if customer_id.is_some() {
        "o.customer_id = ?1"
    } else {
        "CAST(?1 AS BIGINT) IS NULL"
    };
    let sql = format!(
        "SELECT * FROM (
           SELECT 'invoice' AS item_type, i.id AS item_id, i.customer_id, i.currency, i.number AS label, i.issue_date AS item_date,
                  i.total_minor AS total_minor,
                  -- From the state, minus what happened after the date (usually nothing, so no lookup).
                  st.amount_minor - COALESCE((SELECT SUM(r.fee_minor) FROM reminders r WHERE r.invoice_id = i.id AND r.sent_on > ?2), 0) AS amount_minor,
                  st.due_date AS due, i.terms_json AS terms_json,
                  CASE WHEN st.last_settled_on IS NULL OR st.last_settled_on <= ?2 THEN st.settled_minor
                       ELSE (SELECT COALESCE(SUM(x.amount_minor), 0) FROM settlements x WHERE x.item_type = 'invoice' AND x.item_id = i.id AND x.settled_on <= ?2) END AS settled
           FROM invoice_state st JOIN invoices i ON i.id = st.invoice_id
           WHERE i.issue_date <= ?2 AND {invoice_filter}
           UNION ALL
           SELECT 'opening', o.id, o.customer_id, o.currency, o.reference, o.as_of, o.amount_minor, o.amount_minor, o.as_of, NULL,
                  (SELECT COALESCE(SUM(x.amount_minor), 0) FROM settlements x WHERE x.item_type = 'opening' AND x.item_id = o.id AND x.settled_on <= ?2)
           FROM opening_balances o WHERE o.amount_minor > 0 AND o.as_of <= ?2 AND {opening_filter}
         ) x
         ORDER BY COALESCE(due, item_date), item_date, item_type DESC, item_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let as_of_s = as_of.to_string();
    type Row = (
        String,
        i64,
        i64,
        String,
        Option<String>,
        String,
        i64,
        i64,
        Option<String>,
        Option<String>,
        i64,
    );
    let rows: Vec<Row> = stmt
        .query_map(params![customer_id, as_of_s], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ))
        })?
        .collect::<crate::sql::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (t, id, cust, cur, label, date, total, amount, due, terms_json, settled) in rows {
        let item_type: &'static str = if t == "invoice" { "invoice" } else { "opening" };
        let open = amount - settled;
        if only_open && open <= 0 {
            continue;
        }
        out.push(OpenItem {
            item_type,
            item_id: id,
            customer_id: cust,
            label: label.unwrap_or_default(),
            item_date: parse_stored_date(&date)?,
            due: due.as_deref().map(parse_stored_date).transpose()?,
            amount_minor: amount,
            total_minor: total,
            settled_minor: settled,
            open_minor: open,
            currency: cur,
            terms: terms_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
        });
    }
    Ok(out)
}

/// True when nothing in the books is dated after `as_of` (every issue, settlement, fee and
/// credit posts an entry), so the derived state is the state on that date. One indexed MAX.
pub fn is_current(conn: &Connection, as_of: NaiveDate) -> Result<bool> {
    let latest: Option<String> = conn
        .prepare_cached("SELECT MAX(entry_date) FROM journal_entries")?
        .query_row([], |r| r.get(0))?;
    Ok(latest.map(|d| d <= as_of.to_string()).unwrap_or(true))
}

/// An item's amount still open: whose, in what currency, when due, how much (minor units).
#[derive(Debug, Clone)]
pub struct OpenAmount {
    pub customer_id: i64,
    pub currency: Currency,
    pub due: Option<NaiveDate>,
    pub minor: i64,
}

/// (customer, currency, due date, open amount) of every item open on `as_of`: what ageing and
/// the dashboard need. When nothing is dated after `as_of` (the usual "as of today"), straight
/// from `invoice_state` (one narrow table, no per-invoice lookups); otherwise from the facts.
pub fn open_amounts(conn: &Connection, as_of: NaiveDate) -> Result<Vec<OpenAmount>> {
    let as_of_s = as_of.to_string();
    if !is_current(conn, as_of)? {
        return items(conn, None, as_of, true)?
            .into_iter()
            .map(|i| {
                Ok(OpenAmount {
                    customer_id: i.customer_id,
                    currency: Currency::stored(&i.currency)?,
                    due: i.due,
                    minor: i.open_minor,
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, currency, due_date, amount_minor - settled_minor FROM invoice_state WHERE amount_minor > settled_minor
         UNION ALL
         SELECT o.customer_id, o.currency, o.as_of, o.amount_minor - (SELECT COALESCE(SUM(x.amount_minor), 0) FROM settlements x
                WHERE x.item_type = 'opening' AND x.item_id = o.id AND x.settled_on <= ?1)
         FROM opening_balances o WHERE o.amount_minor > 0 AND o.as_of <= ?1",
    )?;
    let mut rows = stmt.query([&as_of_s])?;
    // Tens of thousands of rows: the currency and the date are read in place, not copied.
    while let Some(r) = rows.next()? {
        let open: i64 = r.get(3)?;
        if open > 0 {
            let currency = Currency::stored(r.get_ref(1)?.as_str()?)?;
            let due = match r.get_ref(2)?.as_str_or_null()? {
                Some(d) => Some(parse_stored_date(d)?),
                None => None,
            };
            out.push(OpenAmount {
                customer_id: r.get(0)?,
                currency,
                due,
                minor: open,
            });
        }
    }
    Ok(out)
}

/// The items a payment, credit, credit note or write-off dated `date` may settle: as of
/// `date`, but never more than is left after every settlement already recorded, including
/// ones dated later (a back-dated payment must not settle what a later one already did).
pub fn settleable(conn: &Connection, customer_id: i64, date: NaiveDate) -> Result<Vec<OpenItem>> {
    // Invoices settled in full (by any date) cannot take more: only those open now.
    let mut all = select(conn, Some(customer_id), date, false, true)?;
    let mut stmt = conn.prepare_cached("SELECT COALESCE(SUM(amount_minor), 0) FROM settlements WHERE item_type = ?1 AND item_id = ?2")?;
    for item in &mut all {
        let settled_ever: i64 =
            stmt.query_row(params![item.item_type, item.item_id], |r| r.get(0))?;
        if settled_ever > item.settled_minor {
            item.settled_minor = settled_ever;
            item.open_minor = item.open_minor.min(item.amount_minor - settled_ever);
        }
    }
    all.retain(|i| i.open_minor > 0);
    Ok(all)
}

/// The customer's unapplied credit (what Esep owes them), in minor units, as of a date.
pub fn credit_balance(conn: &Connection, customer_id: i64, as_of: NaiveDate) -> Result<i64> {
    let v: i64 = conn.query_row(
        concat!(
            "SELECT COALESCE(-SUM(p.amount_minor), 0) FROM postings p JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.account_id = ",
            acct!(CustomerCredit),
            " AND p.customer_id = ?1 AND e.entry_date <= ?2"
        ),
        params![customer_id, as_of.to_string()],
        |r| r.get(0),
    )?;
    Ok(v)
}

/// Credit a use or refund dated `date` may take: the credit on that date, but never more than
/// is left after every later-dated use.
pub fn credit_available(conn: &Connection, customer_id: i64, date: NaiveDate) -> Result<i64> {
    let end_of_time = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(date);
    let ever = credit_balance(conn, customer_id, end_of_time)?;
    Ok(credit_balance(conn, customer_id, date)?.min(ever))
}
