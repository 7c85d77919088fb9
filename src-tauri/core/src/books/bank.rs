//! Money arriving through bank statements (#21): statements imported once, each line kept as a
//! bank transaction, a proposal for each incoming line (which customer, which invoices, and
//! why), confirmed by the owner into a payment, or set aside with a reason.
//!
//! Rules (pinned by tests in `tests/bank.rs`):
//! - Importing is all or nothing: a bad line refuses the whole file, naming the line.
//! - A line already imported (same file, or an overlapping statement) is not added again; the
//!   answer lists which lines were already there.
//! - A statement of another account than the profile's ИИК/IBAN, or in another currency, is
//!   refused.
//! - Nothing posts until a line is confirmed: then it is a payment (method bank, dated the
//!   day the money was booked, the bank's reference) through the same path as a typed one
//!   (allocations, discounts, short and over payments, credit), in the same transaction as the
//!   line's new state. Reversing that payment puts the line back to be confirmed again.
//! - The optional rule `autoConfirm` confirms only exact matches: an invoice number found in
//!   the purpose, the payer known as that invoice's customer, and the amount equal to what is
//!   open on the invoices named.

use super::customers::{self, CustomerInfo};
use super::payments::{self, NewPayment};
use super::{now_stamp, parse_stored_date, profile, Ctx};
use crate::acct;
use crate::args::MAX_NAME;
use crate::bank::{self, norm_account, Direction, Statement};
use crate::csvfile::{DateOrder, DecimalSeparator, Delimiter, Encoding};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::req::{Amount, ById, Id, Int, List, Name, NoArgs, Text};
use crate::sql::{params, Connection, OptionalExtension, TransactionBehavior};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// `import_statement` and `read_statement`: a bank statement file and, for a CSV, how to read it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportStatement {
    /// The file, base64 (at most 20 MB).
    pub data_base64: Text<{ bank::MAX_FILE / 3 * 4 + 8 }>,
    pub file_name: Option<Name>,
    /// Confirm the lines that match exactly (number, payer and amount).
    pub auto_confirm: Option<bool>,
    /// A CSV's column (from 0) of each field; the layout saved for the bank, else the headers, when left out.
    pub mapping: Option<BTreeMap<String, Int<0, { bank::csv::MAX_COLUMN }>>>,
    pub delimiter: Option<Delimiter>,
    pub decimal_separator: Option<DecimalSeparator>,
    pub date_order: Option<DateOrder>,
    pub encoding: Option<Encoding>,
}

/// `read_statement` takes what `import_statement` takes.
pub type ReadStatement = ImportStatement;

/// Which bank lines to list: `new` incoming lines to confirm (the default), `matched`,
/// `ignored` (set aside), `out` (money out), `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    New,
    Matched,
    Ignored,
    Out,
    All,
}

/// `list_bank_transactions`: a page of bank lines.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListBankTransactions {
    pub state: Option<LineState>,
    /// One statement's lines, or every statement's.
    pub statement_id: Option<Id>,
    /// 100 when left out.
    pub limit: Option<Int<1, 1000>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// What a confirmed line pays on one invoice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankAllocation {
    pub invoice_id: Id,
    /// In the customer's currency (its decimals).
    pub amount: Amount,
}

/// `confirm_bank_transaction`: an incoming line becomes the customer's payment, or an advance.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmBankTransaction {
    /// The bank line.
    pub id: Id,
    pub customer_id: Id,
    /// Oldest due first when left out.
    #[serde(default)]
    pub allocations: List<BankAllocation, 500>,
    /// Received as an advance against this prepayment request (then no allocations).
    pub prepayment_id: Option<Id>,
}

/// `set_aside_bank_transaction`: a line that is not a customer payment.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetAsideBankTransaction {
    /// The bank line.
    pub id: Id,
    pub reason: Name,
}

/// The views answered by the bank commands (typed, serialised as camelCase).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportView {
    pub statement_id: Option<i64>,
    pub format: &'static str,
    pub account: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Lines in the file.
    pub lines: usize,
    /// Lines added now.
    pub added: usize,
    /// The file lines of transactions that were already in the books' bank lines.
    pub already: Vec<usize>,
    /// Added lines confirmed by the exact-match rule.
    pub auto_confirmed: usize,
    pub reconciliation: Option<Reconciliation>,
}

/// A statement's balances against its lines and against the books' bank account.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Reconciliation {
    pub statement_id: i64,
    pub format: String,
    pub file_name: String,
    pub account: String,
    pub currency: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub opening: Option<String>,
    pub closing: Option<String>,
    /// Money in and out on the account in the statement's period (every imported line).
    pub money_in: String,
    pub money_out: String,
    /// Opening + in − out: equals the closing balance when every line of the period is here.
    pub computed_closing: Option<String>,
    pub lines_agree: Option<bool>,
    /// The books' bank account on the last day, and the closing balance minus it (shown,
    /// never hidden: money out that Esep does not record, or payments typed by hand that the
    /// bank has not booked, make it).
    pub books_balance: String,
    pub difference: Option<String>,
    pub matched: i64,
    pub to_confirm: i64,
    pub set_aside: i64,
    pub money_out_lines: i64,
    pub imported_at: String,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub key: &'static str,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    pub params: HashMap<&'static str, String>,
}

fn reason(key: &'static str, params: &[(&'static str, String)]) -> Reason {
    Reason {
        key,
        params: params.iter().cloned().collect(),
    }
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ProposedAllocation {
    pub invoice_id: i64,
    pub number: String,
    pub amount: String,
    pub open: String,
    /// `amount` in minor units (not shown).
    #[serde(skip)]
    pub amount_minor: i64,
}

/// What an incoming line most likely pays.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    pub customer_id: i64,
    pub customer_name: String,
    /// Empty: oldest due first, as a payment typed without allocations.
    pub allocations: Vec<ProposedAllocation>,
    pub reasons: Vec<Reason>,
    /// `high`, `medium` or `low`.
    pub confidence: &'static str,
    /// Number, payer and amount all agree (what `autoConfirm` confirms).
    pub exact: bool,
    /// What the line leaves open (short) or over (kept as credit), if anything.
    pub short: Option<String>,
    pub over: Option<String>,
    /// Money asked for by a prepayment request: received as an advance against it (not a
    /// payment of invoices).
    pub prepayment_id: Option<i64>,
    pub prepayment_number: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionView {
    pub id: i64,
    pub statement_id: i64,
    pub line: i64,
    pub date: String,
    pub direction: &'static str,
    pub amount: String,
    pub currency: String,
    pub counterparty: String,
    pub counterparty_id: String,
    pub counterparty_account: String,
    pub purpose: String,
    pub reference: String,
    pub knp: String,
    pub state: String,
    pub age_days: i64,
    pub payment_id: Option<i64>,
    pub advance_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub ignore_reason: String,
    pub proposal: Option<Proposal>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionList {
    pub total: i64,
    pub items: Vec<TransactionView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmView {
    pub transaction: TransactionView,
    /// The payment it became (null when it was received as an advance).
    pub payment: Option<payments::RecordedPayment>,
    pub advance_id: Option<i64>,
}

/// The profile's account and currency; a statement can only be read into set-up books.
fn own_account(conn: &Connection) -> Result<(String, Currency)> {
    let p = profile::load(conn)?.ok_or(Error::Conflict {
        key: "error.profileMissing",
        field: None,
    })?;
    Ok((
        norm_account(&p.bank_account),
        Currency::stored(&p.currency)?,
    ))
}

/// `import_statement {dataBase64, fileName?, autoConfirm?}`.
pub fn import(ctx: &mut Ctx, req: ImportStatement) -> Result<ImportView> {
    let file_name = req
        .file_name
        .clone()
        .map(Text::into_string)
        .unwrap_or_default();
    let auto = req.auto_confirm.unwrap_or(false);
    let FileAndOptions {
        bytes,
        options,
        layout,
    } = file_and_options(ctx.conn, &req)?;
    let st = bank::read_with(&bytes, &options)?;
    let (own, currency) = own_account(ctx.conn)?;
    if !st.account.is_empty() {
        if own.is_empty() {
            return Err(Error::invalid("file", "error.bank.noAccount"));
        }
        if st.account != own {
            return Err(Error::invalid("file", "error.bank.otherAccount"));
        }
    }
    if !st.currency.is_empty() && st.currency != currency.code {
        return Err(Error::invalid("file", "error.bank.otherCurrency"));
    }
    let account = if st.account.is_empty() {
        own.clone()
    } else {
        st.account.clone()
    };
    let mut minor = Vec::with_capacity(st.lines.len());
    for l in &st.lines {
        if !l.currency.is_empty() && l.currency != currency.code {
            return Err(bank::at(l.line, "currency", "error.bank.otherCurrency"));
        }
        minor.push(currency.to_minor(l.amount, &format!("line:{}:amount", l.line))?);
    }
    let balance = |b: Option<rust_decimal::Decimal>| -> Result<Option<i64>> {
        b.map(|b| currency.to_minor(b, "file")).transpose()
    };
    let (opening, closing) = (balance(st.opening)?, balance(st.closing)?);
    let keys = bank::keys(&Statement {
        account: account.clone(),
        ..st.clone()
    });
    let today = ctx.today;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut already = Vec::new();
    let mut fresh = Vec::new();
    {
        let mut exists = tx.prepare_cached("SELECT 1 FROM bank_transactions WHERE tx_key = ?1")?;
        for (i, k) in keys.iter().enumerate() {
            if exists.exists([k])? {
                already.push(st.lines[i].line);
            } else {
                fresh.push(i);
            }
        }
    }
    let mut statement_id = None;
    let mut auto_confirmed = 0;
    // A CSV layout the owner mapped by hand is remembered for that bank's next statement.
    if let Some(CsvLayout { signature, given }) = layout.filter(|_| st.format == "csv") {
        if given {
            let mapping =
                serde_json::to_string(options.mapping.as_ref().unwrap_or(&Default::default()))
                    .map_err(|e| Error::Internal(e.to_string()))?;
            tx.execute(
                "INSERT INTO bank_csv_layouts (signature, mapping, delimiter, decimal_separator, date_order, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, delimiter = excluded.delimiter,
                   decimal_separator = excluded.decimal_separator, date_order = excluded.date_order, saved_at = excluded.saved_at",
                params![
                    signature,
                    mapping,
                    options.delimiter.map(|d| (d as char).to_string()).unwrap_or_default(),
                    options.decimal.map(|d| d.to_string()),
                    if options.mdy { "mdy" } else { "dmy" },
                    now_stamp()
                ],
            )?;
        }
    }
    if !fresh.is_empty() {
        let now = now_stamp();
        tx.execute(
            "INSERT INTO bank_statements (format, file_name, account, currency, date_from, date_to, opening_minor, closing_minor, line_count, added_count, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![st.format, file_name, account, currency.code, st.from.map(|d| d.to_string()), st.to.map(|d| d.to_string()), opening, closing, st.lines.len() as i64, fresh.len() as i64, now],
        )?;
        let sid = tx.last_insert_rowid();
        statement_id = Some(sid);
        let mut added_ids = Vec::new();
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO bank_transactions (statement_id, tx_key, file_line, account, booked_on, direction, amount_minor, currency, counterparty, counterparty_id,
                 counterparty_account, purpose, reference, knp, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
            )?;
            for &i in &fresh {
                let l = &st.lines[i];
                ins.execute(params![
                    sid,
                    keys[i],
                    l.line as i64,
                    account,
                    l.date.to_string(),
                    l.direction.as_str(),
                    minor[i],
                    currency.code,
                    l.counterparty,
                    l.counterparty_id,
                    l.counterparty_account,
                    l.purpose,
                    l.reference,
                    l.knp,
                    now
                ])?;
                if l.direction == Direction::In {
                    added_ids.push(tx.last_insert_rowid());
                }
            }
        }
        if auto && !added_ids.is_empty() {
            let mut m = Matcher::load(&tx, currency)?;
            for id in added_ids {
                let row = load_row(&tx, id)?;
                if let Some(p) = m.propose(&row).filter(|p| p.exact) {
                    match p.prepayment_id {
                        Some(request) => {
                            confirm_advance_in(&tx, &row, p.customer_id, request)?;
                        }
                        None => {
                            let allocations: Vec<(i64, i64)> = p
                                .allocations
                                .iter()
                                .map(|a| (a.invoice_id, a.amount_minor))
                                .collect();
                            confirm_in(&tx, today, &row, p.customer_id, allocations)?;
                        }
                    }
                    m.settled(&p, row.amount_minor);
                    auto_confirmed += 1;
                }
            }
        }
    }
    tx.commit()?;
    let reconciliation = match statement_id {
        Some(id) => Some(reconcile(ctx.conn, id)?),
        None => None,
    };
    Ok(ImportView {
        statement_id,
        format: st.format,
        account,
        from: st.from.map(|d| d.to_string()),
        to: st.to.map(|d| d.to_string()),
        lines: st.lines.len(),
        added: fresh.len(),
        already,
        auto_confirmed,
        reconciliation,
    })
}

/// A statement file as sent, and how to read it.
struct FileAndOptions {
    bytes: Vec<u8>,
    options: bank::csv::Options,
    /// A CSV's layout; `None` for the other formats.
    layout: Option<CsvLayout>,
}

/// A CSV's layout: the signature of its headers, and whether the mapping was given now.
struct CsvLayout {
    signature: String,
    given: bool,
}

/// The file's bytes and how to read it if it is a CSV: the options given, else the layout
/// saved for these headers. The layout's signature comes back with whether the mapping was
/// given now (then it is saved once the import succeeds).
fn file_and_options(conn: &Connection, req: &ImportStatement) -> Result<FileAndOptions> {
    let bytes = profile::base64_decode(&req.data_base64)
        .ok_or_else(|| Error::invalid("dataBase64", "error.bank.unreadable"))?;
    let mut o = bank::csv::Options {
        mapping: None,
        delimiter: req.delimiter.map(Delimiter::byte),
        decimal: req.decimal_separator.map(DecimalSeparator::char),
        mdy: req.date_order == Some(DateOrder::Mdy),
        encoding: req.encoding.and_then(Encoding::forced),
    };
    if let Some(m) = &req.mapping {
        if let Some(k) = m
            .keys()
            .find(|k| !bank::csv::FIELDS.iter().any(|(f, _)| f == k))
        {
            return Err(Error::invalid(format!("mapping.{k}"), "error.unknownField"));
        }
        o.mapping = Some(
            m.iter()
                .map(|(field, c)| (field.clone(), c.0 as usize))
                .collect(),
        );
    }
    if bank::format_of(&bytes)? != "csv" {
        return Ok(FileAndOptions {
            bytes,
            options: o,
            layout: None,
        });
    }
    let sheet = bank::csv::sheet(
        &bytes,
        &bank::csv::Options {
            mapping: None,
            ..o.clone()
        },
    )?;
    let signature = bank::csv::signature(&sheet.headers);
    let given = o.mapping.is_some();
    if !given {
        let saved: Option<(String, String, Option<String>, String)> = conn
            .query_row("SELECT mapping, delimiter, decimal_separator, date_order FROM bank_csv_layouts WHERE signature = ?1", [&signature], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        if let Some((mapping, delimiter, decimal, order)) = saved {
            o.mapping = serde_json::from_str(&mapping).ok();
            o.delimiter = o.delimiter.or(delimiter.bytes().next());
            o.decimal = o.decimal.or(decimal.and_then(|d| d.chars().next()));
            o.mdy = o.mdy || order == "mdy";
        }
    }
    Ok(FileAndOptions {
        bytes,
        options: o,
        layout: Some(CsvLayout { signature, given }),
    })
}

/// `read_statement {dataBase64, mapping?, delimiter?, decimalSeparator?, dateOrder?, encoding?}`:
/// what the file is before anything is imported; for a CSV its columns, the mapping in use
/// (given, saved for this bank, or found from the headers) and its first rows, so the owner
/// can map the columns once. Nothing written.
pub fn read(ctx: &mut Ctx, req: ReadStatement) -> Result<ReadView> {
    let FileAndOptions {
        bytes,
        options,
        layout,
    } = file_and_options(ctx.conn, &req)?;
    let format = bank::format_of(&bytes)?;
    let mut out = ReadView {
        format,
        ..ReadView::default()
    };
    if format == "csv" {
        let sheet = bank::csv::sheet(&bytes, &options)?;
        out.saved = layout.as_ref().is_some_and(|l| !l.given) && options.mapping.is_some();
        out.complete = bank::csv::complete(&sheet.mapping);
        out.encoding = Some(sheet.encoding);
        out.delimiter = Some((sheet.delimiter as char).to_string());
        out.rows = sheet.rows.iter().take(5).map(|(_, r)| r.clone()).collect();
        out.fields = bank::csv::FIELDS.iter().map(|(f, _)| *f).collect();
        out.headers = Some(sheet.headers);
        out.mapping = Some(sheet.mapping);
    }
    // Whether it reads, as the import would (the first problem, naming its line).
    match bank::read_with(&bytes, &options) {
        Ok(st) => {
            out.lines = Some(st.lines.len());
            out.from = st.from.map(|d| d.to_string());
            out.to = st.to.map(|d| d.to_string());
        }
        Err(e) => out.problem = Some(e.to_payload()),
    }
    Ok(out)
}

/// What `read_statement` answers.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ReadView {
    pub format: &'static str,
    /// A CSV's header row, the column of each field, whether that mapping is the one saved for
    /// this bank, and whether it has what a statement needs (a date and an amount).
    pub headers: Option<Vec<String>>,
    pub mapping: Option<std::collections::BTreeMap<String, usize>>,
    pub saved: bool,
    pub complete: bool,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<String>,
    /// The first rows as read, and the fields a column may be mapped to.
    pub rows: Vec<Vec<String>>,
    pub fields: Vec<&'static str>,
    pub lines: Option<usize>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The first thing that would refuse the import, naming its line.
    pub problem: Option<crate::error::ErrorPayload>,
}

/// One stored line, as the matcher and the views read it.
#[derive(Clone)]
struct Row {
    id: i64,
    statement_id: i64,
    line: i64,
    date: NaiveDate,
    direction: &'static str,
    amount_minor: i64,
    currency: String,
    counterparty: String,
    counterparty_id: String,
    counterparty_account: String,
    purpose: String,
    reference: String,
    knp: String,
    state: String,
    payment_id: Option<i64>,
    ignore_reason: String,
    advance_id: Option<i64>,
}

const ROW_COLUMNS: &str =
    "t.id, t.statement_id, t.file_line, t.booked_on, t.direction, t.amount_minor, t.currency, t.counterparty, t.counterparty_id, t.counterparty_account,
     t.purpose, t.reference, t.knp, t.state, t.payment_id, t.ignore_reason, t.advance_id";

fn row(r: &crate::sql::Row) -> crate::sql::Result<(Row, String)> {
    let date: String = r.get(3)?;
    let direction: String = r.get(4)?;
    Ok((
        Row {
            id: r.get(0)?,
            statement_id: r.get(1)?,
            line: r.get(2)?,
            date: NaiveDate::MIN,
            direction: if direction == "in" { "in" } else { "out" },
            amount_minor: r.get(5)?,
            currency: r.get(6)?,
            counterparty: r.get(7)?,
            counterparty_id: r.get(8)?,
            counterparty_account: r.get(9)?,
            purpose: r.get(10)?,
            reference: r.get(11)?,
            knp: r.get(12)?,
            state: r.get(13)?,
            payment_id: r.get(14)?,
            ignore_reason: r.get(15)?,
            advance_id: r.get(16)?,
        },
        date,
    ))
}

fn finish((mut r, date): (Row, String)) -> Result<Row> {
    r.date = parse_stored_date(&date)?;
    Ok(r)
}

fn load_row(conn: &Connection, id: i64) -> Result<Row> {
    let sql = format!("SELECT {ROW_COLUMNS} FROM bank_transactions t WHERE t.id = ?1");
    let r = conn
        .query_row(&sql, [id], row)
        .optional()?
        .ok_or_else(|| Error::not_found("id"))?;
    finish(r)
}

/// An open invoice as the matcher sees it.
struct Open {
    id: i64,
    customer_id: i64,
    number: String,
    issue_date: NaiveDate,
    due: Option<NaiveDate>,
    open_minor: i64,
}

/// The digit groups of an invoice number: the year (a 4-digit group 2000–2099, if any) and
/// the sequence (the last group).
fn number_parts(number: &str) -> (Option<i64>, Option<i64>) {
    let groups: Vec<&str> = number
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let seq = groups.last().and_then(|g| {
        g.trim_start_matches('0')
            .parse::<i64>()
            .ok()
            .or(Some(0))
            .filter(|_| g.len() <= 12)
    });
    let year = groups
        .iter()
        .rev()
        .skip(1)
        .find(|g| g.len() == 4)
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|y| (2000..=2099).contains(y));
    (year, seq)
}

fn alnum_upper(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Invoice references in a purpose of payment: (year if written, sequence), and the
/// purpose's tokens for whole-number matches. Tolerant of "INV-2026-0042", "2026/42", "№42",
/// "№ 42", "счёт 42", "счет-фактура 42", "шот 42", "invoice 42".
pub fn references(purpose: &str) -> (Vec<(Option<i64>, i64)>, Vec<String>) {
    const CONTRACT: &[&str] = &[
        "договор",
        "договора",
        "договору",
        "шарт",
        "шарттың",
        "шартқа",
        "контракт",
        "contract",
    ];
    const MARKERS: &[&str] = &[
        "n",
        "no",
        "nr",
        "#",
        "счет",
        "счёт",
        "счета",
        "счёта",
        "счету",
        "счёту",
        "шот",
        "шоттың",
        "шотқа",
        "шот-фактура",
        "счет-фактура",
        "счёт-фактура",
        "invoice",
        "inv",
        "сф",
    ];
    let lower = purpose.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    let value = |(s, e): (usize, usize)| -> Option<i64> {
        let t: String = chars[s..e].iter().collect();
        if e - s > 12 {
            None
        } else {
            t.parse().ok()
        }
    };
    let mut out = Vec::new();
    let mut used = vec![false; runs.len()];
    for k in 0..runs.len() {
        if used[k] {
            continue;
        }
        let (s, e) = runs[k];
        // "2026/42", "2026-0042": a year, a separator, the sequence.
        if e - s == 4 && k + 1 < runs.len() {
            let year = value(runs[k]).filter(|y| (2000..=2099).contains(y));
            let between: String = chars[e..runs[k + 1].0].iter().collect();
            if year.is_some()
                && matches!(between.trim(), "/" | "-" | "." | "_")
                && (s == 0 || !chars[s - 1].is_ascii_digit() && chars[s - 1] != '.')
            {
                if let Some(seq) = value(runs[k + 1]) {
                    out.push((year, seq));
                    used[k + 1] = true;
                    continue;
                }
            }
        }
        // A marker word right before the number ("№" after a contract word names the contract).
        let before: String = chars[..s].iter().collect();
        let before =
            before.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '#'));
        let last_word = |t: &str| -> String {
            let w: Vec<char> = t
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            w.into_iter()
                .rev()
                .collect::<String>()
                .trim_matches('-')
                .to_string()
        };
        let marked = match before.strip_suffix('№') {
            Some(rest) => !CONTRACT.contains(&last_word(rest.trim_end()).as_str()),
            None => MARKERS.contains(&last_word(before).as_str()),
        };
        if marked {
            if let Some(seq) = value(runs[k]) {
                out.push((None, seq));
            }
        }
    }
    let tokens = purpose
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '«' | '»' | '"' | '\'')
        })
        .map(alnum_upper)
        .filter(|t| t.len() >= 3 && t.chars().any(|c| c.is_ascii_digit()))
        .collect();
    (out, tokens)
}

/// Open invoices and known payers, loaded once for a batch of proposals.
struct Matcher {
    currency: Currency,
    open: Vec<Open>,
    by_number: HashMap<String, Vec<usize>>,
    by_seq: HashMap<i64, Vec<usize>>,
    by_customer: HashMap<i64, Vec<usize>>,
    customers: HashMap<i64, (String, String)>,
    by_tax_id: HashMap<String, Vec<i64>>,
    by_account: HashMap<String, i64>,
    /// Open prepayment requests by their number (letters and digits): (id, customer, number,
    /// what it still asks for, its date).
    prepayments: HashMap<String, (i64, i64, String, i64, NaiveDate)>,
}

impl Matcher {
    fn load(conn: &Connection, currency: Currency) -> Result<Matcher> {
        let mut stmt = conn.prepare(
            "SELECT st.invoice_id, st.customer_id, i.number, i.issue_date, st.due_date, st.amount_minor - st.settled_minor
             FROM invoice_state st JOIN invoices i ON i.id = st.invoice_id
             WHERE st.amount_minor > st.settled_minor AND st.currency = ?1 ORDER BY COALESCE(st.due_date, i.issue_date), i.id",
        )?;
        let rows: Vec<(i64, i64, String, String, Option<String>, i64)> = stmt
            .query_map([currency.code], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<crate::sql::Result<_>>()?;
        let mut m = Matcher {
            currency,
            open: Vec::with_capacity(rows.len()),
            by_number: HashMap::new(),
            by_seq: HashMap::new(),
            by_customer: HashMap::new(),
            customers: HashMap::new(),
            by_tax_id: HashMap::new(),
            by_account: HashMap::new(),
            prepayments: HashMap::new(),
        };
        for (id, customer_id, number, issue, due, open_minor) in rows {
            let i = m.open.len();
            m.by_number.entry(alnum_upper(&number)).or_default().push(i);
            if let (_, Some(seq)) = number_parts(&number) {
                m.by_seq.entry(seq).or_default().push(i);
            }
            m.by_customer.entry(customer_id).or_default().push(i);
            let due = due.map(|d| parse_stored_date(&d)).transpose()?;
            m.open.push(Open {
                id,
                customer_id,
                number,
                issue_date: parse_stored_date(&issue)?,
                due,
                open_minor,
            });
        }
        let mut stmt =
            conn.prepare("SELECT id, name, tax_id FROM customers WHERE currency = ?1")?;
        for r in stmt.query_map([currency.code], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (id, name, tax_id) = r?;
            let tax = tax_id
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>();
            if !tax.is_empty() {
                m.by_tax_id.entry(tax.clone()).or_default().push(id);
            }
            m.customers.insert(id, (name, tax));
        }
        let mut stmt = conn.prepare(
            "SELECT q.id, q.customer_id, q.number, q.total_minor - COALESCE((SELECT SUM(a.amount_minor) FROM advances a WHERE a.prepayment_id = q.id), 0), q.issue_date
             FROM quotes q WHERE q.kind = 'prepayment' AND q.status = 'issued' AND q.currency = ?1",
        )?;
        for r in stmt.query_map([currency.code], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })? {
            let (id, customer, number, open, issued) = r?;
            if open > 0 {
                m.prepayments.insert(
                    alnum_upper(&number),
                    (id, customer, number, open, parse_stored_date(&issued)?),
                );
            }
        }
        // Payers' accounts learnt from lines confirmed before.
        let mut stmt = conn.prepare(
            "SELECT t.counterparty_account, p.customer_id FROM bank_transactions t JOIN payments p ON p.id = t.payment_id
             WHERE t.state = 'matched' AND t.counterparty_account <> '' ORDER BY t.id",
        )?;
        for r in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (account, customer) = r?;
            m.by_account.insert(account, customer);
        }
        Ok(m)
    }

    /// After a confirmation in the same batch: what it settled is no longer open.
    fn settled(&mut self, p: &Proposal, amount: i64) {
        if let Some(id) = p.prepayment_id {
            if let Some(e) = self.prepayments.values_mut().find(|e| e.0 == id) {
                e.3 -= amount;
            }
        }
        for a in &p.allocations {
            if let Some(o) = self.open.iter_mut().find(|o| o.id == a.invoice_id) {
                o.open_minor -= a.amount_minor;
            }
        }
    }

    fn propose(&self, t: &Row) -> Option<Proposal> {
        if t.direction != "in" || t.state != "new" || t.currency != self.currency.code {
            return None;
        }
        let usable = |i: &usize| self.open[*i].open_minor > 0 && self.open[*i].issue_date <= t.date;
        // Who paid: the БИН/ИИН, else an account seen on an earlier confirmed line.
        let payer_id: String = t
            .counterparty_id
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let by_id: Vec<i64> = if payer_id.is_empty() {
            Vec::new()
        } else {
            self.by_tax_id.get(&payer_id).cloned().unwrap_or_default()
        };
        let by_account = self
            .by_account
            .get(&t.counterparty_account)
            .copied()
            .filter(|_| !t.counterparty_account.is_empty());
        let payers: Vec<i64> = by_id.iter().copied().chain(by_account).collect();
        // Which invoices the purpose names.
        let (refs, tokens) = references(&t.purpose);
        // A prepayment request named by its number: the money is an advance against it.
        if let Some((id, customer, number, open, _)) = tokens
            .iter()
            .find_map(|tok| self.prepayments.get(tok))
            .filter(|p| p.3 > 0 && p.4 <= t.date)
        {
            let (name, _) = self.customers.get(customer)?;
            let fmt = |m: i64| self.currency.format_minor(m);
            let payer_known = payers.contains(customer);
            let mut reasons = vec![reason(
                "bank.reason.prepayment",
                &[("number", number.clone())],
            )];
            if by_id.contains(customer) {
                reasons.push(reason(
                    "bank.reason.payerId",
                    &[("id", t.counterparty_id.clone())],
                ));
            } else if by_account == Some(*customer) {
                reasons.push(reason(
                    "bank.reason.payerAccount",
                    &[("account", t.counterparty_account.clone())],
                ));
            }
            let amount_agrees = t.amount_minor == *open;
            if amount_agrees {
                reasons.push(reason("bank.reason.amountNamed", &[]));
            }
            let exact = payer_known && amount_agrees;
            return Some(Proposal {
                customer_id: *customer,
                customer_name: name.clone(),
                allocations: Vec::new(),
                reasons,
                confidence: if exact || payer_known || amount_agrees {
                    "high"
                } else {
                    "medium"
                },
                exact,
                short: (t.amount_minor < *open).then(|| fmt(open - t.amount_minor)),
                over: (t.amount_minor > *open).then(|| fmt(t.amount_minor - open)),
                prepayment_id: Some(*id),
                prepayment_number: Some(number.clone()),
            });
        }
        let mut named: Vec<usize> = Vec::new();
        for tok in &tokens {
            for &i in self.by_number.get(tok).into_iter().flatten() {
                if usable(&i) && !named.contains(&i) {
                    named.push(i);
                }
            }
        }
        for (year, seq) in &refs {
            let hits: Vec<usize> = self
                .by_seq
                .get(seq)
                .into_iter()
                .flatten()
                .copied()
                .filter(|i| {
                    usable(i)
                        && year.is_none_or(|y| number_parts(&self.open[*i].number).0 == Some(y))
                })
                .collect();
            // A bare "№42" may name invoice 42 of several years: the payer's, else only if one.
            let hits: Vec<usize> = if hits.len() > 1 && !payers.is_empty() {
                hits.into_iter()
                    .filter(|i| payers.contains(&self.open[*i].customer_id))
                    .collect()
            } else {
                hits
            };
            if hits.len() == 1 && !named.contains(&hits[0]) {
                named.push(hits[0]);
            }
        }
        // One customer: the named invoices' (the payer's first), else the payer.
        let customer = named
            .iter()
            .map(|&i| self.open[i].customer_id)
            .find(|c| payers.contains(c))
            .or_else(|| named.first().map(|&i| self.open[i].customer_id))
            .or_else(|| payers.first().copied())?;
        named.retain(|&i| self.open[i].customer_id == customer);
        let (name, _) = self.customers.get(&customer)?;
        let mut reasons = Vec::new();
        let fmt = |m: i64| self.currency.format_minor(m);
        if !named.is_empty() {
            let numbers = named
                .iter()
                .map(|&i| self.open[i].number.clone())
                .collect::<Vec<_>>()
                .join(", ");
            reasons.push(reason("bank.reason.number", &[("numbers", numbers)]));
        }
        let payer_known = payers.contains(&customer);
        if by_id.contains(&customer) {
            reasons.push(reason(
                "bank.reason.payerId",
                &[("id", t.counterparty_id.clone())],
            ));
        } else if by_account == Some(customer) {
            reasons.push(reason(
                "bank.reason.payerAccount",
                &[("account", t.counterparty_account.clone())],
            ));
        }
        let amount = t.amount_minor;
        let mut targets: Vec<usize> = Vec::new();
        let mut amount_agrees = false;
        if !named.is_empty() {
            targets = named.clone();
            let sum: i64 = targets.iter().map(|&i| self.open[i].open_minor).sum();
            amount_agrees = sum == amount;
            if amount_agrees {
                reasons.push(reason("bank.reason.amountNamed", &[]));
            }
        } else {
            let theirs: Vec<usize> = self
                .by_customer
                .get(&customer)
                .into_iter()
                .flatten()
                .copied()
                .filter(usable)
                .collect();
            let equal: Vec<usize> = theirs
                .iter()
                .copied()
                .filter(|&i| self.open[i].open_minor == amount)
                .collect();
            if !equal.is_empty() {
                targets = vec![equal[0]];
                amount_agrees = true;
                if equal.len() > 1 {
                    reasons.push(reason(
                        "bank.reason.sameAmount",
                        &[("n", equal.len().to_string())],
                    ));
                } else {
                    reasons.push(reason(
                        "bank.reason.amountOne",
                        &[("number", self.open[equal[0]].number.clone())],
                    ));
                }
            } else {
                // The oldest k invoices together.
                let mut sum = 0;
                for (k, &i) in theirs.iter().enumerate() {
                    sum += self.open[i].open_minor;
                    if sum == amount && k > 0 {
                        targets = theirs[..=k].to_vec();
                        amount_agrees = true;
                        reasons.push(reason(
                            "bank.reason.amountSeveral",
                            &[("n", (k + 1).to_string())],
                        ));
                        break;
                    }
                    if sum > amount {
                        break;
                    }
                }
                if targets.is_empty() {
                    reasons.push(reason("bank.reason.oldestFirst", &[]));
                }
            }
        }
        if targets.iter().any(|&i| {
            self.open[i]
                .due
                .is_some_and(|d| (t.date - d).num_days().abs() <= 10)
        }) {
            reasons.push(reason("bank.reason.nearDue", &[]));
        }
        let mut left = amount;
        let mut allocations = Vec::new();
        for &i in &targets {
            let o = &self.open[i];
            let take = left.min(o.open_minor);
            if take <= 0 {
                break;
            }
            left -= take;
            allocations.push(ProposedAllocation {
                invoice_id: o.id,
                number: o.number.clone(),
                amount: fmt(take),
                open: fmt(o.open_minor),
                amount_minor: take,
            });
        }
        let targeted_open: i64 = targets.iter().map(|&i| self.open[i].open_minor).sum();
        let short =
            (!targets.is_empty() && amount < targeted_open).then(|| fmt(targeted_open - amount));
        let over = (!targets.is_empty() && left > 0).then(|| fmt(left));
        if let Some(s) = &short {
            reasons.push(reason("bank.reason.short", &[("amount", s.clone())]));
        }
        if let Some(o) = &over {
            reasons.push(reason("bank.reason.over", &[("amount", o.clone())]));
        }
        let score = if named.is_empty() { 0 } else { 3 }
            + if payer_known { 2 } else { 0 }
            + if amount_agrees { 2 } else { 0 };
        let exact = !named.is_empty() && payer_known && amount_agrees;
        let confidence = if exact || score >= 5 {
            "high"
        } else if score >= 3 {
            "medium"
        } else {
            "low"
        };
        Some(Proposal {
            customer_id: customer,
            customer_name: name.clone(),
            allocations,
            reasons,
            confidence,
            exact,
            short,
            over,
            prepayment_id: None,
            prepayment_number: None,
        })
    }
}

/// Posts a payment for a line and marks it matched, in the caller's transaction.
fn confirm_in(
    tx: &Connection,
    today: NaiveDate,
    t: &Row,
    customer_id: i64,
    allocations: Vec<(i64, i64)>,
) -> Result<(i64, Option<i64>)> {
    if t.state != "new" {
        return Err(Error::Conflict {
            key: "error.bank.decided",
            field: Some("id".into()),
        });
    }
    if t.direction != "in" {
        return Err(Error::Conflict {
            key: "error.bank.moneyOut",
            field: Some("id".into()),
        });
    }
    let c: CustomerInfo = customers::info(tx, customer_id, "customerId")?;
    if c.currency.code != t.currency {
        return Err(Error::invalid("customerId", "error.currencyMismatch"));
    }
    let reference = if t.reference.is_empty() {
        format!("bank {}", t.date)
    } else {
        t.reference.chars().take(MAX_NAME).collect()
    };
    let p = NewPayment {
        date: t.date,
        amount_minor: t.amount_minor,
        method: "bank",
        reference,
        allocations: allocations
            .iter()
            .enumerate()
            .map(|(i, (inv, amount))| {
                (
                    *inv,
                    *amount,
                    format!("allocations[{i}].invoiceId"),
                    format!("allocations[{i}].amount"),
                )
            })
            .collect(),
        invoice_ids: Vec::new(),
    };
    let (payment_id, discrepancy) = payments::post(tx, today, &c, &p)?;
    tx.execute("UPDATE bank_transactions SET state = 'matched', payment_id = ?2, decided_at = ?3 WHERE id = ?1", params![t.id, payment_id, now_stamp()])?;
    Ok((payment_id, discrepancy))
}

/// Receives a line as an advance against a prepayment request and marks it matched, in the
/// caller's transaction.
fn confirm_advance_in(tx: &Connection, t: &Row, customer_id: i64, request: i64) -> Result<i64> {
    if t.state != "new" {
        return Err(Error::Conflict {
            key: "error.bank.decided",
            field: Some("id".into()),
        });
    }
    if t.direction != "in" {
        return Err(Error::Conflict {
            key: "error.bank.moneyOut",
            field: Some("id".into()),
        });
    }
    let (owner, _) = super::advances::request(tx, request, t.date, "prepaymentId")?;
    if owner != customer_id {
        return Err(Error::invalid(
            "prepaymentId",
            "error.advance.otherCustomer",
        ));
    }
    let c = customers::info(tx, customer_id, "customerId")?;
    if c.currency.code != t.currency {
        return Err(Error::invalid("customerId", "error.currencyMismatch"));
    }
    let reference = if t.reference.is_empty() {
        format!("bank {}", t.date)
    } else {
        t.reference.chars().take(MAX_NAME).collect()
    };
    let advance = super::advances::receive(
        tx,
        &c,
        Some(request),
        t.date,
        t.amount_minor,
        "bank",
        &reference,
    )?;
    tx.execute("UPDATE bank_transactions SET state = 'matched', advance_id = ?2, decided_at = ?3 WHERE id = ?1", params![t.id, advance, now_stamp()])?;
    Ok(advance)
}

fn view(
    conn: &Connection,
    t: Row,
    today: NaiveDate,
    proposal: Option<Proposal>,
) -> Result<TransactionView> {
    let c = Currency::stored(&t.currency)?;
    let customer: Option<(i64, String)> = match (t.payment_id, t.advance_id) {
        (Some(p), _) => conn
            .query_row("SELECT c.id, c.name FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?1", [p], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        (_, Some(a)) => conn
            .query_row("SELECT c.id, c.name FROM advances a JOIN customers c ON c.id = a.customer_id WHERE a.id = ?1", [a], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        _ => None,
    };
    Ok(TransactionView {
        id: t.id,
        statement_id: t.statement_id,
        line: t.line,
        date: t.date.to_string(),
        direction: t.direction,
        amount: c.format_minor(t.amount_minor),
        currency: t.currency,
        counterparty: t.counterparty,
        counterparty_id: t.counterparty_id,
        counterparty_account: t.counterparty_account,
        purpose: t.purpose,
        reference: t.reference,
        knp: t.knp,
        state: t.state,
        age_days: (today - t.date).num_days(),
        payment_id: t.payment_id,
        advance_id: t.advance_id,
        customer_id: customer.as_ref().map(|c| c.0),
        customer_name: customer.map(|c| c.1),
        ignore_reason: t.ignore_reason,
        proposal,
    })
}

/// `list_bank_transactions {state?: new|matched|ignored|out|all, statementId?, limit?, offset?}`:
/// incoming lines to confirm (the default) with their proposals, oldest first.
pub fn list(ctx: &mut Ctx, req: ListBankTransactions) -> Result<TransactionList> {
    let statement = req.statement_id.map(|i| i.0);
    let limit = req.limit.map_or(100, |l| l.0);
    let offset = req.offset.map_or(0, |o| o.0);
    let filter = match req.state.unwrap_or(LineState::New) {
        LineState::New => "t.state = 'new' AND t.direction = 'in'",
        LineState::Matched => "t.state = 'matched'",
        LineState::Ignored => "t.state = 'ignored'",
        LineState::Out => "t.direction = 'out' AND t.state = 'new'",
        LineState::All => "1 = 1",
    };
    let where_ = format!("WHERE {filter} AND (CAST(?1 AS BIGINT) IS NULL OR t.statement_id = ?1)");
    let total: i64 = ctx.conn.query_row(
        &format!("SELECT COUNT(*) FROM bank_transactions t {where_}"),
        params![statement],
        |r| r.get(0),
    )?;
    let sql = format!("SELECT {ROW_COLUMNS} FROM bank_transactions t {where_} ORDER BY t.booked_on, t.id LIMIT ?2 OFFSET ?3");
    let rows: Vec<(Row, String)> = ctx
        .conn
        .prepare(&sql)?
        .query_map(params![statement, limit, offset], row)?
        .collect::<crate::sql::Result<_>>()?;
    let rows: Vec<Row> = rows.into_iter().map(finish).collect::<Result<_>>()?;
    let matcher = if rows.iter().any(|r| r.state == "new" && r.direction == "in") {
        let (_, currency) = own_account(ctx.conn)?;
        Some(Matcher::load(ctx.conn, currency)?)
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let p = matcher.as_ref().and_then(|m| m.propose(&r));
        items.push(view(ctx.conn, r, ctx.today, p)?);
    }
    Ok(TransactionList { total, items })
}

/// `confirm_bank_transaction {id, customerId, allocations?: [{invoiceId, amount}], prepaymentId?}`:
/// the line becomes the customer's payment (oldest due first without allocations), or with a
/// prepayment request an advance against it.
pub fn confirm(ctx: &mut Ctx, req: ConfirmBankTransaction) -> Result<ConfirmView> {
    let id = req.id.0;
    let customer_id = req.customer_id.0;
    let c = customers::info(ctx.conn, customer_id, "customerId")?;
    let mut allocations = Vec::new();
    for (i, a) in req.allocations.iter().enumerate() {
        allocations.push((
            a.invoice_id.0,
            c.currency
                .to_minor(a.amount.0, &format!("allocations[{i}].amount"))?,
        ));
    }
    let request = req.prepayment_id.map(|i| i.0);
    if request.is_some() && !allocations.is_empty() {
        return Err(Error::invalid(
            "allocations",
            "error.bank.advanceNoAllocations",
        ));
    }
    let today = ctx.today;
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let t = load_row(&tx, id)?;
    if let Some(request) = request {
        let advance = confirm_advance_in(&tx, &t, customer_id, request)?;
        tx.commit()?;
        let t = load_row(ctx.conn, id)?;
        return Ok(ConfirmView {
            transaction: view(ctx.conn, t, today, None)?,
            payment: None,
            advance_id: Some(advance),
        });
    }
    let (payment_id, discrepancy) = confirm_in(&tx, today, &t, customer_id, allocations)?;
    tx.commit()?;
    let payment = payments::RecordedPayment {
        payment: payments::payment_view(ctx.conn, payment_id)?,
        discrepancy_id: discrepancy,
    };
    let t = load_row(ctx.conn, id)?;
    Ok(ConfirmView {
        transaction: view(ctx.conn, t, today, None)?,
        payment: Some(payment),
        advance_id: None,
    })
}

/// `set_aside_bank_transaction {id, reason}`: not a customer payment (a refund from a supplier,
/// a transfer between own accounts…). `restore_bank_transaction {id}` undoes it.
pub fn set_aside(ctx: &mut Ctx, req: SetAsideBankTransaction) -> Result<TransactionView> {
    let id = req.id.0;
    let why = req.reason.into_string();
    let t = load_row(ctx.conn, id)?;
    if t.state != "new" {
        return Err(Error::Conflict {
            key: "error.bank.decided",
            field: Some("id".into()),
        });
    }
    ctx.conn.execute("UPDATE bank_transactions SET state = 'ignored', ignore_reason = ?2, decided_at = ?3 WHERE id = ?1", params![id, why, now_stamp()])?;
    let t = load_row(ctx.conn, id)?;
    view(ctx.conn, t, ctx.today, None)
}

/// `restore_bank_transaction {id}`: a set-aside line goes back to be confirmed.
pub fn restore(ctx: &mut Ctx, req: ById) -> Result<TransactionView> {
    let id = req.id.0;
    let t = load_row(ctx.conn, id)?;
    if t.state != "ignored" {
        return Err(Error::Conflict {
            key: "error.bank.notSetAside",
            field: Some("id".into()),
        });
    }
    ctx.conn.execute("UPDATE bank_transactions SET state = 'new', ignore_reason = '', decided_at = ?2 WHERE id = ?1", params![id, now_stamp()])?;
    let t = load_row(ctx.conn, id)?;
    let (_, currency) = own_account(ctx.conn)?;
    let p = Matcher::load(ctx.conn, currency)?.propose(&t);
    view(ctx.conn, t, ctx.today, p)
}

/// A `bank_statements` row, as `reconcile` reads it.
struct StatementRow {
    format: String,
    file_name: String,
    account: String,
    currency: String,
    date_from: Option<String>,
    date_to: Option<String>,
    opening_minor: Option<i64>,
    closing_minor: Option<i64>,
    imported_at: String,
}

fn reconcile(conn: &Connection, id: i64) -> Result<Reconciliation> {
    let s: Option<StatementRow> = conn
        .query_row(
            "SELECT format, file_name, account, currency, date_from, date_to, opening_minor, closing_minor, imported_at FROM bank_statements WHERE id = ?1",
            [id],
            |r| {
                Ok(StatementRow {
                    format: r.get(0)?,
                    file_name: r.get(1)?,
                    account: r.get(2)?,
                    currency: r.get(3)?,
                    date_from: r.get(4)?,
                    date_to: r.get(5)?,
                    opening_minor: r.get(6)?,
                    closing_minor: r.get(7)?,
                    imported_at: r.get(8)?,
                })
            },
        )
        .optional()?;
    let StatementRow {
        format,
        file_name,
        account,
        currency: cur,
        date_from: from,
        date_to: to,
        opening_minor: opening,
        closing_minor: closing,
        imported_at,
    } = s.ok_or_else(|| Error::not_found("id"))?;
    let c = Currency::stored(&cur)?;
    // Every line of the account in the statement's period, from whichever file it came.
    let (money_in, money_out, matched, to_confirm, set_aside, out_lines): (i64, i64, i64, i64, i64, i64) = conn.query_row(
        "SELECT COALESCE(SUM(CASE WHEN direction = 'in' THEN amount_minor END), 0), COALESCE(SUM(CASE WHEN direction = 'out' THEN amount_minor END), 0),
                COUNT(CASE WHEN state = 'matched' THEN 1 END), COUNT(CASE WHEN state = 'new' AND direction = 'in' THEN 1 END),
                COUNT(CASE WHEN state = 'ignored' THEN 1 END), COUNT(CASE WHEN state = 'new' AND direction = 'out' THEN 1 END)
         FROM bank_transactions WHERE account = ?1 AND currency = ?2
          AND booked_on >= COALESCE(?3, (SELECT MIN(booked_on) FROM bank_transactions WHERE statement_id = ?5))
          AND booked_on <= COALESCE(?4, (SELECT MAX(booked_on) FROM bank_transactions WHERE statement_id = ?5))",
        params![account, cur, from, to, id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )?;
    let last_day: Option<String> = match &to {
        Some(d) => Some(d.clone()),
        None => conn.query_row(
            "SELECT MAX(booked_on) FROM bank_transactions WHERE statement_id = ?1",
            [id],
            |r| r.get(0),
        )?,
    };
    let books: i64 = conn.query_row(
        concat!(
            "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.account_id = ",
            acct!(Bank),
            " AND p.currency = ?1 AND (CAST(?2 AS TEXT) IS NULL OR e.entry_date <= ?2)"
        ),
        params![cur, last_day],
        |r| r.get(0),
    )?;
    let computed = opening.map(|o| o + money_in - money_out);
    Ok(Reconciliation {
        statement_id: id,
        format,
        file_name,
        account,
        currency: cur,
        from,
        to,
        opening: opening.map(|m| c.format_minor(m)),
        closing: closing.map(|m| c.format_minor(m)),
        money_in: c.format_minor(money_in),
        money_out: c.format_minor(money_out),
        computed_closing: computed.map(|m| c.format_minor(m)),
        lines_agree: match (computed, closing) {
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        },
        books_balance: c.format_minor(books),
        difference: closing.map(|m| c.format_minor(m - books)),
        matched,
        to_confirm,
        set_aside,
        money_out_lines: out_lines,
        imported_at,
    })
}

/// `list_bank_statements {}`: every statement imported, newest first, with its reconciliation.
pub fn statements(ctx: &mut Ctx, _req: NoArgs) -> Result<Vec<Reconciliation>> {
    let ids: Vec<i64> = ctx
        .conn
        .prepare("SELECT id FROM bank_statements ORDER BY id DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<crate::sql::Result<_>>()?;
    ids.into_iter().map(|id| reconcile(ctx.conn, id)).collect()
}

/// How many incoming bank lines wait for the owner (the home page's count).
pub fn to_confirm_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM bank_transactions WHERE state = 'new' AND direction = 'in'",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_references_are_found_however_they_are_written() {
        // A purpose text and the invoice references (year, sequence) found in it.
        type Case<'a> = (&'a str, &'a [(Option<i64>, i64)]);
        let cases: &[Case] = &[
            (
                "Оплата по счету INV-2026-0042 от 01.11.2026",
                &[(Some(2026), 42)],
            ),
            ("оплата 2026/42", &[(Some(2026), 42)]),
            ("Оплата по счёту №42", &[(None, 42)]),
            ("Оплата по счету № 42 за услуги", &[(None, 42)]),
            ("счёт 42", &[(None, 42)]),
            ("42 шот бойынша", &[]),
            ("шот 42 бойынша төлем", &[(None, 42)]),
            ("Payment invoice 42", &[(None, 42)]),
            ("БИН 123456789012, договор от 15.01.2026", &[]),
            ("по договору № 15 от 15.01.2026, счёт № 7", &[(None, 7)]),
        ];
        for (text, want) in cases {
            assert_eq!(references(text).0, want.to_vec(), "{text}");
        }
        assert!(references("Оплата INV-2026-0042")
            .1
            .contains(&"INV20260042".to_string()));
    }

    #[test]
    fn invoice_numbers_split_into_year_and_sequence() {
        assert_eq!(number_parts("INV-2026-0042"), (Some(2026), Some(42)));
        assert_eq!(number_parts("СФ-15"), (None, Some(15)));
        assert_eq!(number_parts("2026/0007"), (Some(2026), Some(7)));
        assert_eq!(number_parts("A-B"), (None, None));
    }
}
