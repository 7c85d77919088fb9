//! `check_books`: every violated invariant, listed. Scenario tests run it after every step and
//! the app runs it when it opens the database.

use super::{invoices, Ctx};
use crate::acct;
use crate::error::Result;
use crate::req::NoArgs;
use crate::sql::Connection;
use serde::Serialize;

/// One violated rule.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A stable code: `unbalanced_entry`, `empty_entry`, `subledger_mismatch`, `number_gap`, ...
    pub rule: &'static str,
    pub detail: String,
}

fn problem(rule: &'static str, detail: String) -> Problem {
    Problem { rule, detail }
}

/// Lists every problem in the books; an empty list means they are sound.
pub fn check(conn: &Connection) -> Result<Vec<Problem>> {
    let mut out = Vec::new();
    // 1. Every entry balances per currency and has postings.
    let mut stmt = conn.prepare("SELECT entry_id, currency, SUM(amount_minor) FROM postings GROUP BY entry_id, currency HAVING SUM(amount_minor) <> 0")?;
    for r in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (e, c, s) = r?;
        out.push(problem(
            "unbalanced_entry",
            format!("entry {e} is off by {s} {c} minor units"),
        ));
    }
    let mut stmt = conn.prepare("SELECT id FROM journal_entries e WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id)")?;
    for r in stmt.query_map([], |r| r.get::<_, i64>(0))? {
        out.push(problem(
            "empty_entry",
            format!("entry {} has no postings", r?),
        ));
    }
    // 2. Customer accounts carry a customer; other accounts do not.
    let n: i64 = conn.query_row(
        concat!(
            "SELECT COUNT(*) FROM postings WHERE (account_id IN ",
            acct!(customer),
            ") <> (customer_id IS NOT NULL)"
        ),
        [],
        |r| r.get(0),
    )?;
    if n > 0 {
        out.push(problem(
            "subledger_mismatch",
            format!("{n} postings break the customer sub-ledger rule"),
        ));
    }
    // 3. The Receivables control account equals, per customer, the open items: issued invoice
    //    totals and late fees, positive opening balances, minus everything that settled them.
    //    Plain aggregates (one pass each, indexed) so this stays fast on a large shop.
    let mut by_customer: std::collections::BTreeMap<(i64, String), (i64, i64)> = Default::default();
    let mut add = |sql: &str, ledger: bool| -> Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (c, cur, amt) = row?;
            let e = by_customer.entry((c, cur)).or_default();
            if ledger {
                e.0 += amt;
            } else {
                e.1 += amt;
            }
        }
        Ok(())
    };
    add(
        concat!(
            "SELECT customer_id, currency, SUM(amount_minor) FROM postings WHERE account_id = ",
            acct!(Receivables),
            " GROUP BY customer_id, currency"
        ),
        true,
    )?;
    add("SELECT customer_id, currency, SUM(total_minor) FROM invoices WHERE status = 'issued' GROUP BY customer_id, currency", false)?;
    add(
        "SELECT i.customer_id, i.currency, SUM(r.fee_minor) FROM reminders r JOIN invoices i ON i.id = r.invoice_id GROUP BY i.customer_id, i.currency",
        false,
    )?;
    add("SELECT customer_id, currency, SUM(amount_minor) FROM opening_balances WHERE amount_minor > 0 GROUP BY customer_id, currency", false)?;
    add(
        "SELECT s.customer_id, i.currency, -SUM(s.amount_minor) FROM settlements s JOIN invoices i ON i.id = s.item_id WHERE s.item_type = 'invoice' GROUP BY s.customer_id, i.currency",
        false,
    )?;
    add(
        "SELECT s.customer_id, o.currency, -SUM(s.amount_minor) FROM settlements s JOIN opening_balances o ON o.id = s.item_id WHERE s.item_type = 'opening' GROUP BY s.customer_id, o.currency",
        false,
    )?;
    for ((c, cur), (l, i)) in &by_customer {
        if l != i {
            out.push(problem(
                "subledger_mismatch",
                format!("customer {c}: receivables {l} {cur} but open items {i}"),
            ));
        }
    }
    // 3b. No item is settled beyond its amount.
    let mut stmt = conn.prepare(
        "SELECT 'invoice', s.item_id, MAX(i.total_minor) + COALESCE((SELECT SUM(r.fee_minor) FROM reminders r WHERE r.invoice_id = s.item_id), 0), SUM(s.amount_minor)
         FROM settlements s JOIN invoices i ON i.id = s.item_id WHERE s.item_type = 'invoice' GROUP BY s.item_id
         HAVING SUM(s.amount_minor) > MAX(i.total_minor) + COALESCE((SELECT SUM(r.fee_minor) FROM reminders r WHERE r.invoice_id = s.item_id), 0)
         UNION ALL
         SELECT 'opening', s.item_id, MAX(o.amount_minor), SUM(s.amount_minor) FROM settlements s JOIN opening_balances o ON o.id = s.item_id
         WHERE s.item_type = 'opening' GROUP BY s.item_id HAVING SUM(s.amount_minor) > MAX(o.amount_minor)",
    )?;
    for r in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (t, id, amount, settled) = r?;
        out.push(problem(
            "over_settled",
            format!("{t} {id}: settled {settled} of {amount}"),
        ));
    }
    // 3c. Every payment is exactly allocated plus kept as credit.
    let mut stmt = conn.prepare(
        "SELECT p.id, p.amount_minor, p.credit_minor, COALESCE((SELECT SUM(amount_minor) FROM settlements s WHERE s.kind = 'payment' AND s.source_id = p.id), 0)
         FROM payments p WHERE p.amount_minor <> p.credit_minor + COALESCE((SELECT SUM(amount_minor) FROM settlements s WHERE s.kind = 'payment' AND s.source_id = p.id), 0)",
    )?;
    for r in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (id, amount, credit, allocated) = r?;
        out.push(problem(
            "allocation_exceeds_payment",
            format!(
                "payment {id}: {amount} = {allocated} allocated + {credit} credit does not hold"
            ),
        ));
    }
    // 3d. Customer credit is never negative (Esep never owes less than nothing).
    let mut stmt = conn.prepare(concat!(
        "SELECT customer_id, currency, SUM(amount_minor) FROM postings WHERE account_id = ",
        acct!(CustomerCredit),
        " GROUP BY customer_id, currency HAVING SUM(amount_minor) > 0"
    ))?;
    for r in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (c, cur, amt) = r?;
        out.push(problem(
            "negative_credit",
            format!("customer {c}: credit below zero by {amt} {cur}"),
        ));
    }
    // 4. Number series, every one: gapless and unique (within the year where the series
    // restarts yearly), and the counter is past the last number.
    for (rule, detail) in super::series::audit(conn)? {
        out.push(problem(rule, detail));
    }
    // 5. Issued invoices: unchanged since issue, and their entry posts exactly their total.
    let mut stmt = conn.prepare(concat!(
        "SELECT i.id, i.number, i.total_minor, (SELECT SUM(amount_minor) FROM postings p WHERE p.entry_id = i.entry_id AND +p.account_id = ",
        acct!(Receivables),
        ") FROM invoices i WHERE i.status = 'issued'"
    ))?;
    let issued: Vec<(i64, String, i64, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<crate::sql::Result<_>>()?;
    for (id, number, total, posted) in issued {
        if posted != Some(total) {
            out.push(problem(
                "invoice_entry_mismatch",
                format!("invoice {number}: total {total}, posted {posted:?}"),
            ));
        }
        let (stored, fresh) = invoices::fingerprints(conn, id)?;
        if stored.as_deref() != Some(fresh.as_str()) {
            out.push(problem(
                "issued_document_changed",
                format!("invoice {number} differs from what was issued"),
            ));
        }
    }
    // 6. The derived invoice state (due date, amount, settled, last settlement, sent, latest
    //    reminder) matches the
    //    facts it is kept from, and exists exactly for issued invoices.
    let sql = "SELECT i.id, i.number FROM invoices i LEFT JOIN invoice_state st ON st.invoice_id = i.id
         WHERE i.status = 'issued' AND (st.invoice_id IS NULL OR st.customer_id <> i.customer_id OR st.currency <> i.currency
            OR st.due_date IS DISTINCT FROM (SELECT d.due_date FROM invoice_due d WHERE d.invoice_id = i.id)
            OR st.amount_minor <> i.total_minor + COALESCE((SELECT SUM(r.fee_minor) FROM reminders r WHERE r.invoice_id = i.id), 0)
            OR st.settled_minor <> COALESCE((SELECT SUM(x.amount_minor) FROM settlements x WHERE x.item_type = 'invoice' AND x.item_id = i.id), 0)
            OR st.last_settled_on IS DISTINCT FROM (SELECT MAX(x.settled_on) FROM settlements x WHERE x.item_type = 'invoice' AND x.item_id = i.id)
            OR st.sent <> CASE WHEN EXISTS (SELECT 1 FROM invoice_sends s WHERE s.invoice_id = i.id AND s.kind IN ('post', 'email', 'received')) THEN 1 ELSE 0 END
            OR st.reminder_level <> COALESCE((SELECT r.level FROM reminders r WHERE r.invoice_id = i.id ORDER BY r.level DESC, r.id DESC LIMIT 1), 0)
            OR st.reminded_on IS DISTINCT FROM (SELECT r.sent_on FROM reminders r WHERE r.invoice_id = i.id ORDER BY r.level DESC, r.id DESC LIMIT 1))
         UNION ALL
         SELECT st.invoice_id, 'draft or missing' FROM invoice_state st LEFT JOIN invoices i ON i.id = st.invoice_id WHERE i.status IS DISTINCT FROM 'issued'";
    let mut stmt = conn.prepare(sql)?;
    for r in stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
    })? {
        let (id, number) = r?;
        out.push(problem(
            "invoice_state_mismatch",
            format!(
                "invoice {id} ({}): derived state differs from the facts",
                number.unwrap_or_default()
            ),
        ));
    }
    // 6b. Advances received: the account equals what was received minus used, per customer.
    for (rule, detail) in super::advances::audit(conn)? {
        out.push(problem(rule, detail));
    }
    // 7. A confirmed bank line is the payment it points at: incoming, same amount, currency and
    //    day, by bank, not reversed (a reversal returns the line to be confirmed).
    let sql = "SELECT t.id FROM bank_transactions t LEFT JOIN payments p ON p.id = t.payment_id
         WHERE t.state = 'matched' AND t.advance_id IS NULL AND (p.id IS NULL OR t.direction <> 'in' OR p.amount_minor <> t.amount_minor OR p.currency <> t.currency
            OR p.received_on <> t.booked_on OR p.method <> 'bank' OR EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id))
         UNION ALL
         SELECT t.id FROM bank_transactions t LEFT JOIN advances a ON a.id = t.advance_id
         WHERE t.advance_id IS NOT NULL AND (a.id IS NULL OR t.state <> 'matched' OR t.direction <> 'in' OR a.amount_minor <> t.amount_minor
            OR a.currency <> t.currency OR a.received_on <> t.booked_on OR a.method <> 'bank')";
    let mut stmt = conn.prepare(sql)?;
    for r in stmt.query_map([], |r| r.get::<_, i64>(0))? {
        out.push(problem(
            "bank_line_mismatch",
            format!("bank line {} does not agree with its payment", r?),
        ));
    }
    Ok(out)
}

/// Whether the books are sound, and every problem if not.
#[derive(Debug, Serialize)]
pub struct BooksCheck {
    pub ok: bool,
    pub problems: Vec<Problem>,
}

/// `check_books`: `{ok, problems: [{rule, detail}]}`.
pub fn check_books(ctx: &mut Ctx, _req: NoArgs) -> Result<BooksCheck> {
    let problems = check(ctx.conn)?;
    Ok(BooksCheck {
        ok: problems.is_empty(),
        problems,
    })
}
