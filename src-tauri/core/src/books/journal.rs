//! The journal and the trial balance, for the accountant (and for the audit).

use super::Ctx;
use crate::error::Result;
use crate::money::Currency;
use crate::req::{Date, Int};
use crate::sql::params;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `get_journal`: a page of journal entries.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetJournal {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// 100 when left out.
    pub limit: Option<Int<1, 1000>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// One posting of an entry.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingView {
    pub account: String,
    /// The account's catalogue key.
    pub account_name: String,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub currency: String,
    /// Signed: debits positive.
    pub amount: String,
    pub debit: bool,
    pub tax_rate: Option<String>,
}

/// One journal entry with its postings.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    pub id: i64,
    pub date: String,
    pub kind: String,
    pub memo: String,
    /// The number of the document it belongs to (credit note, invoice, payment reference).
    pub document: Option<String>,
    pub source_type: Option<String>,
    pub source_id: Option<i64>,
    pub postings: Vec<PostingView>,
}

/// A page of entries and how many there are in the period.
#[derive(Debug, Serialize)]
pub struct JournalPage {
    pub total: i64,
    pub rows: Vec<EntryView>,
}

/// `get_journal {from?, to?, limit?, offset?}`: entries with their postings, newest first.
pub fn get(ctx: &mut Ctx, req: GetJournal) -> Result<JournalPage> {
    let from = req.from.map(|d| d.0.to_string());
    let to = req.to.map(|d| d.0.to_string());
    let limit = req.limit.map_or(100, |l| l.0);
    let offset = req.offset.map_or(0, |o| o.0);
    let mut stmt = ctx.conn.prepare_cached(
        // The document an entry belongs to (credit note, invoice, payment reference), so the
        // window can describe it in the user's language; the memo stays for the accountant.
        "SELECT e.id, e.entry_date, e.kind, e.memo, e.source_type, e.source_id,
                COALESCE((SELECT number FROM credit_notes WHERE entry_id = e.id),
                         (SELECT number FROM invoices WHERE e.source_type = 'invoice' AND id = e.source_id),
                         (SELECT NULLIF(reference, '') FROM payments WHERE entry_id = e.id))
         FROM journal_entries e
         WHERE (CAST(?1 AS TEXT) IS NULL OR e.entry_date >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR e.entry_date <= ?2)
         ORDER BY e.entry_date DESC, e.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let entries: Vec<Row> = stmt
        .query_map(params![from, to, limit, offset], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<crate::sql::Result<_>>()?;
    let mut rows = Vec::with_capacity(entries.len());
    let mut pstmt = ctx.conn.prepare_cached(
        "SELECT a.code, a.name_key, p.customer_id, c.name, p.currency, p.amount_minor, p.tax_rate FROM postings p
         JOIN accounts a ON a.id = p.account_id LEFT JOIN customers c ON c.id = p.customer_id WHERE p.entry_id = ?1 ORDER BY p.id",
    )?;
    for (id, date, kind, memo, source_type, source_id, document) in entries {
        let mut postings = Vec::new();
        let mut q = pstmt.query([id])?;
        while let Some(r) = q.next()? {
            let currency: String = r.get(4)?;
            let amount: i64 = r.get(5)?;
            // A posting in a currency Esep does not know is a broken book, not a number to guess.
            let formatted = Currency::stored(&currency)?.format_minor(amount);
            postings.push(PostingView {
                account: r.get(0)?,
                account_name: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                currency,
                amount: formatted,
                debit: amount > 0,
                tax_rate: r.get(6)?,
            });
        }
        rows.push(EntryView {
            id,
            date,
            kind,
            memo,
            document,
            source_type,
            source_id,
            postings,
        });
    }
    let total: i64 = ctx.conn.query_row(
        "SELECT COUNT(*) FROM journal_entries WHERE (CAST(?1 AS TEXT) IS NULL OR entry_date >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR entry_date <= ?2)",
        params![from, to],
        |r| r.get(0),
    )?;
    Ok(JournalPage { total, rows })
}

/// `trial_balance`: balances on a day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalance {
    /// Today when left out.
    pub as_of: Option<Date>,
}

/// One account's balance in one currency.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BalanceRow {
    pub account: String,
    pub account_name: String,
    pub kind: String,
    pub currency: String,
    pub debit: String,
    pub credit: String,
    pub balance: String,
}

/// Every account's balance, and whether debits equal credits in every currency.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalanceView {
    pub as_of: String,
    pub balanced: bool,
    pub rows: Vec<BalanceRow>,
}

/// `trial_balance {asOf?}`: every account's balance per currency; debits − credits = 0.
pub fn trial_balance(ctx: &mut Ctx, req: TrialBalance) -> Result<TrialBalanceView> {
    let as_of = req.as_of.map_or(ctx.today, |d| d.0).to_string();
    // Per account code (unique) and currency. The name and kind follow from the code; they are
    // grouped on for PostgreSQL, and ordered on too so that SQLite sorts only once.
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT a.code, a.name_key, a.kind, p.currency, SUM(p.amount_minor) FROM postings p JOIN accounts a ON a.id = p.account_id
         JOIN journal_entries e ON e.id = p.entry_id WHERE e.entry_date <= ?1
         GROUP BY a.code, p.currency, a.name_key, a.kind ORDER BY a.code, p.currency, a.name_key, a.kind",
    )?;
    let mut rows = Vec::new();
    let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
    let mut q = stmt.query([&as_of])?;
    while let Some(r) = q.next()? {
        let currency: String = r.get(3)?;
        let bal: i64 = r.get(4)?;
        *sums.entry(currency.clone()).or_default() += bal;
        let c = Currency::stored(&currency)?;
        rows.push(BalanceRow {
            account: r.get(0)?,
            account_name: r.get(1)?,
            kind: r.get(2)?,
            currency,
            debit: c.format_minor(bal.max(0)),
            credit: c.format_minor((-bal).max(0)),
            balance: c.format_minor(bal),
        });
    }
    let balanced = sums.values().all(|s| *s == 0);
    Ok(TrialBalanceView {
        as_of,
        balanced,
        rows,
    })
}
