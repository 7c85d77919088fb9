//! Reports: statement of account, ageing, dashboard figures, and the journal for the
//! accountant (hledger journal and CSV).
//!
//! Ageing definition: every open item (issued invoice with confirmed late fees, positive
//! opening balance) with what is left of it on the date, bucketed by days past its due date:
//! not yet due (including "due date unknown until received"), 1–30, 31–60, 61–90, over 90.
//! Unapplied customer credit is shown in its own column and not netted into the buckets, so
//! Σ buckets = the Receivables control account on that date, and Σ buckets − credit = what
//! customers owe net.

use super::items;
use super::{customers, Ctx};
use crate::acct;
use crate::csvfile::{write_csv, Style};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::req::{Date, Id, Int, NoArgs};
use crate::sql::{params, Engine};
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const BUCKETS: [&str; 5] = ["current", "d1_30", "d31_60", "d61_90", "d90_plus"];

fn bucket(due: Option<NaiveDate>, as_of: NaiveDate) -> usize {
    match due.map(|d| (as_of - d).num_days()) {
        None => 0,
        Some(n) if n <= 0 => 0,
        Some(n) if n <= 30 => 1,
        Some(n) if n <= 60 => 2,
        Some(n) if n <= 90 => 3,
        Some(_) => 4,
    }
}

/// How the ageing rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeingSort {
    /// In the order customers were created (the default).
    Customer,
    /// The largest net amount first.
    Owed,
    /// The most over 90 days first, then 61–90, …
    Overdue,
}

/// `ageing`: what is open on a date, by days past due.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ageing {
    /// Today when left out.
    pub as_of: Option<Date>,
    pub sort: Option<AgeingSort>,
    /// Every row when left out.
    pub limit: Option<Int<1, 100_000>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// `ageing {asOf?, sort?, limit?, offset?}`: per customer and currency, and totals per currency
/// over every row. `sort`: `customer` (default, in the order customers were created), `owed`
/// (the largest net amount first) or `overdue` (the most over 90 days first, then 61–90, …).
/// Without `limit`, every row (exports, printing); the screen asks for a page (`rowsTotal`).
pub fn ageing(ctx: &mut Ctx, req: Ageing) -> Result<AgeingView> {
    let as_of = req.as_of.map_or(ctx.today, |d| d.0);
    let sort = req.sort.unwrap_or(AgeingSort::Customer);
    let limit = req.limit.map(|n| n.0 as usize);
    let offset = req.offset.map_or(0, |n| n.0) as usize;
    let mut per: std::collections::HashMap<(i64, Currency), [i64; 6]> =
        std::collections::HashMap::new();
    for o in items::open_amounts(ctx.conn, as_of)? {
        per.entry((o.customer_id, o.currency)).or_default()[bucket(o.due, as_of)] += o.minor;
    }
    // Unapplied credit per customer.
    // When nothing is dated after the date, every credit posting counts: no join on entry dates.
    let mut stmt = if items::is_current(ctx.conn, as_of)? {
        // The same statement twice, apart from the index hint. On SQLite the partial covering
        // index (migration 0004): its planner would otherwise pick postings_by_account and read
        // every credit posting's row (EXPLAIN QUERY PLAN, 3.54.1, with and without the hint).
        // `INDEXED BY` is SQLite's alone, so PostgreSQL gets the statement without it.
        const SQLITE: &str = concat!(
            "SELECT p.customer_id, p.currency, -SUM(p.amount_minor) FROM postings p INDEXED BY postings_credit
             WHERE p.account_id = ",
            acct!(CustomerCredit),
            " AND CAST(?1 AS TEXT) IS NOT NULL GROUP BY p.customer_id, p.currency HAVING SUM(p.amount_minor) <> 0"
        );
        const POSTGRES: &str = concat!(
            "SELECT p.customer_id, p.currency, -SUM(p.amount_minor) FROM postings p
             WHERE p.account_id = ",
            acct!(CustomerCredit),
            " AND CAST(?1 AS TEXT) IS NOT NULL GROUP BY p.customer_id, p.currency HAVING SUM(p.amount_minor) <> 0"
        );
        ctx.conn.prepare_cached(match ctx.conn.engine() {
            Engine::Sqlite => SQLITE,
            Engine::Postgres => POSTGRES,
        })?
    } else {
        ctx.conn.prepare_cached(concat!(
            "SELECT p.customer_id, p.currency, -SUM(p.amount_minor) FROM postings p JOIN journal_entries e ON e.id = p.entry_id
                 WHERE p.account_id = ",
            acct!(CustomerCredit),
            " AND e.entry_date <= ?1 GROUP BY p.customer_id, p.currency HAVING SUM(p.amount_minor) <> 0"
        ))?
    };
    let mut credits = stmt.query([as_of.to_string()])?;
    while let Some(r) = credits.next()? {
        let currency = Currency::stored(r.get_ref(1)?.as_str()?)?;
        per.entry((r.get(0)?, currency)).or_default()[5] += r.get::<_, i64>(2)?;
    }
    let mut totals: BTreeMap<&'static str, (Currency, [i64; 6])> = BTreeMap::new();
    for ((_, c), b) in &per {
        let t = &mut totals.entry(c.code).or_insert((*c, [0; 6])).1;
        for k in 0..6 {
            t[k] += b[k];
        }
    }
    let mut all: Vec<((i64, Currency), [i64; 6])> = per.into_iter().collect();
    let net = |b: &[i64; 6]| b[..5].iter().sum::<i64>() - b[5];
    // Amounts are compared within a currency only: the home currency's rows first, then the
    // others by code (a tenge and a dollar are not "larger" than each other).
    let home = super::profile::home_currency(ctx.conn)?.code;
    let money = |cur: &Currency| (cur.code != home, cur.code);
    match sort {
        AgeingSort::Owed => all.sort_unstable_by(|(ka, a), (kb, b)| {
            money(&ka.1)
                .cmp(&money(&kb.1))
                .then(net(b).cmp(&net(a)))
                .then(ka.0.cmp(&kb.0))
        }),
        AgeingSort::Overdue => all.sort_unstable_by(|(ka, a), (kb, b)| {
            let late = |b: &[i64; 6]| [b[4], b[3], b[2], b[1], b[0]];
            money(&ka.1)
                .cmp(&money(&kb.1))
                .then(late(b).cmp(&late(a)))
                .then(ka.0.cmp(&kb.0))
        }),
        AgeingSort::Customer => all.sort_unstable_by_key(|((c, cur), _)| (*c, cur.code)),
    }
    let rows_total = all.len();
    let page: Vec<_> = all
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    // Names: one pass over every customer for a long report (thousands of single lookups
    // cost more), single lookups for a page.
    let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    if page.len() > 200 {
        let mut stmt = ctx.conn.prepare_cached("SELECT id, name FROM customers")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.insert(r.get(0)?, r.get(1)?);
        }
    } else {
        let mut stmt = ctx
            .conn
            .prepare_cached("SELECT name FROM customers WHERE id = ?1")?;
        for ((customer_id, _), _) in &page {
            names.insert(*customer_id, stmt.query_row([customer_id], |r| r.get(0))?);
        }
    }
    let rows = page
        .into_iter()
        .map(|((customer_id, c), b)| {
            let name = names.get(&customer_id).cloned().unwrap_or_default();
            AgeingRow {
                customer_id,
                customer_name: name,
                amounts: Buckets::new(c, &b),
            }
        })
        .collect();
    let totals = totals.values().map(|(c, b)| Buckets::new(*c, b)).collect();
    Ok(AgeingView {
        as_of: as_of.to_string(),
        rows_total,
        offset,
        buckets: BUCKETS,
        rows,
        totals,
    })
}

/// What is open in one currency, by days past due, with the credit beside it.
#[derive(Debug, Serialize)]
pub struct Buckets {
    /// Not yet due (or due date unknown until received).
    pub current: String,
    pub d1_30: String,
    pub d31_60: String,
    pub d61_90: String,
    pub d90_plus: String,
    /// The five buckets together.
    pub total: String,
    /// Unapplied customer credit (not netted into the buckets).
    pub credit: String,
    /// Total less credit.
    pub net: String,
    pub currency: &'static str,
}

impl Buckets {
    fn new(c: Currency, b: &[i64; 6]) -> Buckets {
        let total: i64 = b[..5].iter().sum();
        Buckets {
            current: c.format_minor(b[0]),
            d1_30: c.format_minor(b[1]),
            d31_60: c.format_minor(b[2]),
            d61_90: c.format_minor(b[3]),
            d90_plus: c.format_minor(b[4]),
            total: c.format_minor(total),
            credit: c.format_minor(b[5]),
            net: c.format_minor(total - b[5]),
            currency: c.code,
        }
    }
}

/// One customer's row of the ageing report.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgeingRow {
    pub customer_id: i64,
    pub customer_name: String,
    #[serde(flatten)]
    pub amounts: Buckets,
}

/// `ageing`'s answer: a page of rows and the totals per currency over every row.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgeingView {
    pub as_of: String,
    /// Rows over every page.
    pub rows_total: usize,
    pub offset: usize,
    /// The bucket names, in order.
    pub buckets: [&'static str; 5],
    pub rows: Vec<AgeingRow>,
    pub totals: Vec<Buckets>,
}

/// `statement {customerId, from?, to?}`: opening balance, every movement, closing balance and
/// the ageing of what is open at the end.
pub fn statement(ctx: &mut Ctx, req: Statement) -> Result<StatementView> {
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let to = req.to.map_or(ctx.today, |d| d.0);
    let from = req.from.map_or_else(
        || NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to),
        |d| d.0,
    );
    if to < from {
        return Err(Error::invalid("to", "error.beforeStart"));
    }
    let cur = c.currency;
    let opening: i64 = ctx.conn.query_row(
        concat!(
            "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.customer_id = ?1 AND p.account_id IN ",
            acct!(customer),
            " AND e.entry_date < ?2"
        ),
        params![customer_id, from.to_string()],
        |r| r.get(0),
    )?;
    let mut stmt = ctx.conn.prepare_cached(concat!(
        "SELECT e.id, e.entry_date, e.kind, e.memo, SUM(p.amount_minor),
                (SELECT number FROM invoices WHERE id = e.source_id AND e.source_type = 'invoice' AND e.kind = 'invoice'),
                (SELECT number FROM credit_notes WHERE entry_id = e.id),
                (SELECT reference FROM payments WHERE entry_id = e.id)
         FROM journal_entries e JOIN postings p ON p.entry_id = e.id
         WHERE p.customer_id = ?1 AND p.account_id IN ",
        acct!(customer),
        " AND e.entry_date BETWEEN ?2 AND ?3
         GROUP BY e.id HAVING SUM(p.amount_minor) <> 0 OR e.kind = 'advance_applied' ORDER BY e.entry_date, e.id"
    ))?;
    let mut balance = opening;
    let mut lines = Vec::new();
    let mut rows = stmt.query(params![customer_id, from.to_string(), to.to_string()])?;
    while let Some(r) = rows.next()? {
        let amount: i64 = r.get(4)?;
        balance += amount;
        let doc: Option<String> = r
            .get::<_, Option<String>>(5)?
            .or(r.get::<_, Option<String>>(6)?)
            .or(r.get::<_, Option<String>>(7)?);
        lines.push(StatementLine {
            entry_id: r.get(0)?,
            date: r.get(1)?,
            kind: r.get(2)?,
            memo: r.get(3)?,
            document: doc,
            debit: cur.format_minor(amount.max(0)),
            credit: cur.format_minor((-amount).max(0)),
            balance: cur.format_minor(balance),
        });
    }
    drop(rows);
    drop(stmt);
    let open = items::items(ctx.conn, Some(customer_id), to, true)?;
    let mut b = [0i64; 6];
    let open_rows = open
        .iter()
        .map(|i| {
            b[bucket(i.due, to)] += i.open_minor;
            StatementOpenItem {
                label: i.label.clone(),
                date: i.item_date.to_string(),
                due_date: i.due.map(|d| d.to_string()),
                open: cur.format_minor(i.open_minor),
                days_overdue: i.due.map(|d| (to - d).num_days().max(0)).unwrap_or(0),
            }
        })
        .collect();
    b[5] = items::credit_balance(ctx.conn, customer_id, to)?;
    Ok(StatementView {
        customer_id,
        customer_name: c.name,
        address: c.address,
        currency: cur.code,
        from: from.to_string(),
        to: to.to_string(),
        opening: cur.format_minor(opening),
        closing: cur.format_minor(balance),
        ageing: Buckets::new(cur, &b),
        lines,
        open: open_rows,
    })
}

/// `statement`: one customer's account over a period.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    pub customer_id: Id,
    /// The 1st of January of `to`'s year when left out.
    pub from: Option<Date>,
    /// Today when left out.
    pub to: Option<Date>,
}

/// One movement on a statement.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementLine {
    pub entry_id: i64,
    pub date: String,
    /// The journal entry's kind (`invoice`, `payment`, …).
    pub kind: String,
    pub memo: String,
    /// The invoice, credit note or payment reference, if there is one.
    pub document: Option<String>,
    pub debit: String,
    pub credit: String,
    /// The running balance after this line.
    pub balance: String,
}

/// What is still open at the statement's end.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementOpenItem {
    pub label: String,
    pub date: String,
    pub due_date: Option<String>,
    pub open: String,
    pub days_overdue: i64,
}

/// A statement of account.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementView {
    pub customer_id: i64,
    pub customer_name: String,
    pub address: String,
    pub currency: &'static str,
    pub from: String,
    pub to: String,
    pub opening: String,
    pub closing: String,
    /// The ageing of what is open at the end.
    pub ageing: Buckets,
    pub lines: Vec<StatementLine>,
    pub open: Vec<StatementOpenItem>,
}

/// `dashboard {}`: outstanding, overdue, collected this month, unbilled, reminders due, and
/// revenue per month for the last 12 months — in the home currency.
pub fn dashboard(ctx: &mut Ctx, _req: NoArgs) -> Result<DashboardView> {
    let c = super::profile::home_currency(ctx.conn)?;
    let home = c.code;
    let open = items::open_amounts(ctx.conn, ctx.today)?;
    let mine: Vec<_> = open.iter().filter(|i| i.currency.code == home).collect();
    let outstanding: i64 = mine.iter().map(|i| i.minor).sum();
    let overdue: i64 = mine
        .iter()
        .filter(|i| super::invoices::is_overdue(i.due, ctx.today))
        .map(|i| i.minor)
        .sum();
    let overdue_count = mine
        .iter()
        .filter(|i| super::invoices::is_overdue(i.due, ctx.today))
        .count();
    let month_start =
        NaiveDate::from_ymd_opt(ctx.today.year(), ctx.today.month(), 1).expect("first of month");
    let collected: i64 = ctx.conn.query_row(
        // Payments received this month, less those reversed this month (a mistyped one).
        "SELECT COALESCE((SELECT SUM(amount_minor) FROM payments WHERE currency = ?1 AND received_on BETWEEN ?2 AND ?3), 0)
              - COALESCE((SELECT SUM(p.amount_minor) FROM payment_reversals r JOIN payments p ON p.id = r.payment_id
                          WHERE p.currency = ?1 AND r.reversed_on BETWEEN ?2 AND ?3), 0)",
        params![home, month_start.to_string(), ctx.today.to_string()],
        |r| r.get(0),
    )?;
    // Counted and summed over every unbilled service, without building their rows.
    let warn = super::charges::warn_days(ctx.conn)?;
    let unbilled = super::charges::unbilled_summary(ctx, None, warn)?;
    let unbilled_minor = unbilled.amounts.get(c.code).copied().unwrap_or(0);
    let oldest = unbilled.oldest.map(|d| (ctx.today - d).num_days());
    let (to_mail, reminders_due) = super::reminders::due_counts(ctx)?;
    // Revenue: net sales (Sales credits minus credit notes) per month.
    let first = {
        let (y, m) = (ctx.today.year(), ctx.today.month() as i32);
        let idx = y * 12 + (m - 1) - 11;
        NaiveDate::from_ymd_opt(idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1, 1)
            .expect("a month")
    };
    let mut stmt = ctx.conn.prepare_cached(
        // Driven by the date index (a year of entries), not by every sales posting ever.
        concat!(
            "SELECT substr(e.entry_date, 1, 7), -SUM(p.amount_minor) FROM journal_entries e JOIN postings p ON p.entry_id = e.id
         WHERE +p.account_id = ",
            acct!(Sales),
            " AND p.currency = ?1 AND e.entry_date >= ?2 AND e.entry_date <= ?3 GROUP BY 1"
        ),
    )?;
    let by_month: BTreeMap<String, i64> = stmt
        .query_map(
            params![home, first.to_string(), ctx.today.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<crate::sql::Result<_>>()?;
    let mut revenue = Vec::new();
    let mut d = first;
    for _ in 0..12 {
        let key = format!("{:04}-{:02}", d.year(), d.month());
        let net = c.format_minor(*by_month.get(&key).unwrap_or(&0));
        revenue.push(MonthRevenue { month: key, net });
        d = crate::terms::last_day_of_month(d) + chrono::Duration::days(1);
    }
    let awaiting = super::quotes::awaiting(ctx.conn, home)?;
    Ok(DashboardView {
        outstanding: c.format_minor(outstanding),
        open_count: mine.len(),
        overdue: c.format_minor(overdue),
        overdue_count,
        collected_this_month: c.format_minor(collected),
        unbilled: c.format_minor(unbilled_minor),
        unbilled_count: unbilled.count,
        oldest_unbilled_days: oldest,
        reminders_due,
        to_mail,
        revenue,
        bank_to_confirm: super::bank::to_confirm_count(ctx.conn)?,
        recurring_drafts: super::recurring::drafts_to_review(ctx.conn)?,
        awaiting_prepayment_count: awaiting.0,
        awaiting_prepayment: c.format_minor(awaiting.1),
        currency: home.to_string(),
    })
}

/// Net sales of one month (`YYYY-MM`).
#[derive(Debug, Serialize)]
pub struct MonthRevenue {
    pub month: String,
    pub net: String,
}

/// The home page's figures, in the home currency.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    pub currency: String,
    /// Everything open today, and how many items.
    pub outstanding: String,
    pub open_count: usize,
    pub overdue: String,
    pub overdue_count: usize,
    /// Payments received this month less those reversed this month.
    pub collected_this_month: String,
    pub unbilled: String,
    pub unbilled_count: usize,
    pub oldest_unbilled_days: Option<i64>,
    pub reminders_due: i64,
    /// Issued invoices still to be mailed.
    pub to_mail: i64,
    /// The last 12 months, oldest first.
    pub revenue: Vec<MonthRevenue>,
    /// Incoming bank lines waiting to be confirmed.
    pub bank_to_confirm: i64,
    /// Drafts made by recurring schedules, to review.
    pub recurring_drafts: i64,
    /// Issued prepayment requests not yet paid in full, and what they still ask for.
    pub awaiting_prepayment_count: i64,
    pub awaiting_prepayment: String,
}

/// hledger account names: `assets:receivables:C12 Name`.
fn hledger_account(code: &str, customer: Option<(i64, &str)>) -> String {
    let base = match code {
        "1000" => "assets:cash",
        "1010" => "assets:bank",
        "1100" => "assets:receivables",
        "2100" => "liabilities:customer credit",
        "2150" => "liabilities:advances received",
        "2200" => "liabilities:tax payable",
        "3900" => "equity:opening balances",
        "4000" => "revenues:sales",
        "4100" => "revenues:late fees",
        "4900" => "expenses:discounts given",
        "6900" => "expenses:bad debts",
        _ => "unknown",
    };
    match customer {
        Some((id, name)) => {
            let clean: String = name
                .chars()
                .map(|ch| {
                    if ch == ':' || ch == ';' || ch.is_control() {
                        ' '
                    } else {
                        ch
                    }
                })
                .collect();
            let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("{base}:C{id} {clean}")
        }
        None => base.to_string(),
    }
}

/// One posting of the journal, for exports.
pub struct JournalRow {
    pub entry_id: i64,
    pub date: String,
    pub kind: String,
    pub memo: String,
    pub account: String,
    pub customer_id: Option<i64>,
    pub customer: Option<String>,
    pub currency: String,
    pub amount_minor: i64,
    pub tax_rate: Option<String>,
}

/// Every posting between `from` and `to` (inclusive), in entry order, streamed to `each`.
pub fn journal_rows(
    ctx: &Ctx,
    from: Option<String>,
    to: Option<String>,
    mut each: impl FnMut(&JournalRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT e.id, e.entry_date, e.kind, e.memo, a.code, p.customer_id, c.name, p.currency, p.amount_minor, p.tax_rate
         FROM journal_entries e JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id LEFT JOIN customers c ON c.id = p.customer_id
         WHERE (CAST(?1 AS TEXT) IS NULL OR e.entry_date >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR e.entry_date <= ?2) ORDER BY e.entry_date, e.id, p.id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        each(&JournalRow {
            entry_id: r.get(0)?,
            date: r.get(1)?,
            kind: r.get(2)?,
            memo: r.get(3)?,
            account: r.get(4)?,
            customer_id: r.get(5)?,
            customer: r.get(6)?,
            currency: r.get(7)?,
            amount_minor: r.get(8)?,
            tax_rate: r.get(9)?,
        })?;
    }
    Ok(())
}

/// The journal's export formats: a plain-text hledger journal (the default) or CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JournalFormat {
    Hledger,
    Csv,
}

/// `export_journal`: the journal for the accountant.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportJournal {
    pub format: Option<JournalFormat>,
    /// From the first entry when left out.
    pub from: Option<Date>,
    /// To the last entry when left out.
    pub to: Option<Date>,
}

/// The exported journal.
#[derive(Debug, Serialize)]
pub struct JournalExport {
    pub format: JournalFormat,
    pub text: String,
}

/// `export_journal {format: hledger|csv, from?, to?}`: the whole journal as text.
pub fn export_journal(ctx: &mut Ctx, req: ExportJournal) -> Result<JournalExport> {
    let format = req.format.unwrap_or(JournalFormat::Hledger);
    let from = req.from.map(|d| d.0.to_string());
    let to = req.to.map(|d| d.0.to_string());
    if format == JournalFormat::Csv {
        return Ok(JournalExport {
            format,
            text: journal_csv(ctx, from, to)?,
        });
    }
    let mut out = String::from("; Esep journal export. Debits positive, credits negative.\n\n");
    let mut current = -1i64;
    journal_rows(ctx, from, to, |r| {
        let c = Currency::stored(&r.currency)?;
        if r.entry_id != current {
            if current != -1 {
                out.push('\n');
            }
            let clean_memo: String = r
                .memo
                .chars()
                .map(|ch| if ch.is_control() { ' ' } else { ch })
                .collect();
            out.push_str(&format!(
                "{} ({}) {clean_memo}  ; kind:{}\n",
                r.date, r.entry_id, r.kind
            ));
            current = r.entry_id;
        }
        let account = hledger_account(&r.account, r.customer_id.zip(r.customer.as_deref()));
        out.push_str(&format!(
            "    {account}  {} {}\n",
            c.format_minor(r.amount_minor),
            r.currency
        ));
        Ok(())
    })?;
    Ok(JournalExport { format, text: out })
}

/// The journal as CSV text (`,`-separated), for `export_journal {format: csv}`.
pub fn journal_csv(ctx: &Ctx, from: Option<String>, to: Option<String>) -> Result<String> {
    let style = Style { delimiter: b',' };
    let (header, rows) = journal_csv_rows(ctx, from, to, style)?;
    write_csv(style, &header, rows)
}

/// The journal's rows as the CSV exports write them (`export_journal` and `export_csv`).
pub(crate) fn journal_csv_rows(
    ctx: &Ctx,
    from: Option<String>,
    to: Option<String>,
    style: Style,
) -> Result<(Vec<&'static str>, Vec<Vec<String>>)> {
    let mut rows = Vec::new();
    journal_rows(ctx, from, to, |r| {
        let c = Currency::stored(&r.currency)?;
        rows.push(vec![
            r.entry_id.to_string(),
            r.date.clone(),
            r.kind.clone(),
            r.memo.clone(),
            r.account.clone(),
            r.customer_id.map(|x| x.to_string()).unwrap_or_default(),
            r.customer.clone().unwrap_or_default(),
            r.currency.clone(),
            style.amount(c, r.amount_minor),
            style.decimal(r.tax_rate.as_deref().unwrap_or("")),
        ]);
        Ok(())
    })?;
    Ok((
        vec![
            "entry",
            "date",
            "kind",
            "memo",
            "account",
            "customer_id",
            "customer",
            "currency",
            "amount",
            "tax_rate",
        ],
        rows,
    ))
}
