//! The journal and the trial balance, for the accountant (and for the audit).

use super::Ctx;
use crate::args::Args;
use crate::error::Result;
use crate::money::Currency;
use rusqlite::params;
use serde_json::{json, Value};

/// `get_journal {from?, to?, limit?, offset?}`: entries with their postings, newest first.
pub fn get(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let from = args.opt_date("from")?.map(|d| d.to_string());
    let to = args.opt_date("to")?.map(|d| d.to_string());
    let limit = args.opt_int_in("limit", 1, 1000)?.unwrap_or(100);
    let offset = args.opt_int_in("offset", 0, i64::MAX / 2)?.unwrap_or(0);
    let mut stmt = ctx.conn.prepare_cached(
        // The document an entry belongs to (credit note, invoice, payment reference), so the
        // window can describe it in the user's language; the memo stays for the accountant.
        "SELECT e.id, e.entry_date, e.kind, e.memo, e.source_type, e.source_id,
                COALESCE((SELECT number FROM credit_notes WHERE entry_id = e.id),
                         (SELECT number FROM invoices WHERE e.source_type = 'invoice' AND id = e.source_id),
                         (SELECT NULLIF(reference, '') FROM payments WHERE entry_id = e.id))
         FROM journal_entries e
         WHERE (?1 IS NULL OR e.entry_date >= ?1) AND (?2 IS NULL OR e.entry_date <= ?2)
         ORDER BY e.entry_date DESC, e.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    type Row = (i64, String, String, String, Option<String>, Option<i64>, Option<String>);
    let entries: Vec<Row> = stmt
        .query_map(params![from, to, limit, offset], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(entries.len());
    let mut pstmt = ctx.conn.prepare_cached(
        "SELECT a.code, a.name_key, p.customer_id, c.name, p.currency, p.amount_minor, p.tax_rate FROM postings p
         JOIN accounts a ON a.id = p.account_id LEFT JOIN customers c ON c.id = p.customer_id WHERE p.entry_id = ?1 ORDER BY p.id",
    )?;
    for (id, date, kind, memo, st, sid, document) in entries {
        let postings: Vec<Value> = pstmt
            .query_map([id], |r| {
                let cur: String = r.get(4)?;
                let amount: i64 = r.get(5)?;
                let formatted = Currency::stored(&cur).map(|c| c.format_minor(amount)).unwrap_or_else(|_| amount.to_string());
                Ok(json!({
                    "account": r.get::<_, String>(0)?, "accountName": r.get::<_, String>(1)?, "customerId": r.get::<_, Option<i64>>(2)?,
                    "customerName": r.get::<_, Option<String>>(3)?, "currency": cur, "amount": formatted,
                    "debit": amount > 0, "taxRate": r.get::<_, Option<String>>(6)?,
                }))
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push(json!({"id": id, "date": date, "kind": kind, "memo": memo, "document": document, "sourceType": st, "sourceId": sid, "postings": postings}));
    }
    let total: i64 = ctx.conn.query_row(
        "SELECT COUNT(*) FROM journal_entries WHERE (?1 IS NULL OR entry_date >= ?1) AND (?2 IS NULL OR entry_date <= ?2)",
        params![from, to],
        |r| r.get(0),
    )?;
    let mut res = json!({"total": total});
    res["rows"] = Value::Array(out);
    Ok(res)
}

/// `trial_balance {asOf?}`: every account's balance per currency; debits − credits = 0.
pub fn trial_balance(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let as_of = args.opt_date("asOf")?.unwrap_or(ctx.today).to_string();
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT a.code, a.name_key, a.kind, p.currency, SUM(p.amount_minor) FROM postings p JOIN accounts a ON a.id = p.account_id
         JOIN journal_entries e ON e.id = p.entry_id WHERE e.entry_date <= ?1 GROUP BY a.code, p.currency ORDER BY a.code, p.currency",
    )?;
    let mut rows = Vec::new();
    let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
    let mut q = stmt.query([&as_of])?;
    while let Some(r) = q.next()? {
        let cur: String = r.get(3)?;
        let bal: i64 = r.get(4)?;
        *sums.entry(cur.clone()).or_default() += bal;
        let c = Currency::stored(&cur)?;
        rows.push(json!({
            "account": r.get::<_, String>(0)?, "accountName": r.get::<_, String>(1)?, "kind": r.get::<_, String>(2)?,
            "currency": cur, "debit": c.format_minor(bal.max(0)), "credit": c.format_minor((-bal).max(0)), "balance": c.format_minor(bal),
        }));
    }
    let balanced = sums.values().all(|s| *s == 0);
    let mut out = json!({"asOf": as_of, "balanced": balanced});
    out["rows"] = Value::Array(rows);
    Ok(out)
}
