//! Customers: who owes what. Archived instead of deleted once they have history.

use super::{fold, must_exist, now_stamp, Ctx};
use crate::acct;
use crate::args::{Args, MAX_NAME, MAX_TEXT};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::Currency;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

const COLUMNS: &str = concat!(
    "c.id, c.name, c.contact_person, c.address, c.country, c.email, c.phone, c.tax_id, c.currency, c.terms_id,
    c.language, c.transit_days, c.notes, c.archived, c.created_at, c.contract_number, c.contract_date,
    (SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p WHERE p.customer_id = c.id AND p.account_id IN ",
    acct!(customer),
    ") AS balance"
);

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    let currency: String = r.get("currency")?;
    let balance: i64 = r.get("balance")?;
    let cur = Currency::stored(&currency).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(json!({
        "id": r.get::<_, i64>("id")?,
        "name": r.get::<_, String>("name")?,
        "contactPerson": r.get::<_, String>("contact_person")?,
        "address": r.get::<_, String>("address")?,
        "country": r.get::<_, String>("country")?,
        "email": r.get::<_, String>("email")?,
        "phone": r.get::<_, String>("phone")?,
        "taxId": r.get::<_, String>("tax_id")?,
        "currency": currency,
        "termsId": r.get::<_, Option<i64>>("terms_id")?,
        "language": r.get::<_, Option<String>>("language")?,
        "transitDays": r.get::<_, i64>("transit_days")?,
        "notes": r.get::<_, String>("notes")?,
        "contractNumber": r.get::<_, String>("contract_number")?,
        "contractDate": r.get::<_, Option<String>>("contract_date")?,
        "archived": r.get::<_, i64>("archived")? != 0,
        "createdAt": r.get::<_, String>("created_at")?,
        "balance": cur.format_minor(balance),
    }))
}

/// A customer as JSON (with the balance), or `not_found` on `field`.
pub fn load_json(conn: &Connection, id: i64, field: &str) -> Result<Value> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM customers c WHERE c.id = ?1"), [id], row_json).optional()?.ok_or_else(|| Error::not_found(field))
}

/// Every customer as JSON (with the balance), by name.
pub(crate) fn all_json(conn: &Connection) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers c ORDER BY c.name_fold, c.id"))?;
    let rows = stmt.query_map([], row_json)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What invoices need to know about a customer.
#[derive(Debug, Clone)]
pub struct CustomerInfo {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub country: String,
    pub email: String,
    pub tax_id: String,
    pub currency: Currency,
    pub terms_id: Option<i64>,
    pub language: Option<Lang>,
    pub transit_days: i64,
    pub archived: bool,
    /// The contract the customer works under (number, ISO date), printed on invoices and acts.
    pub contract_number: String,
    pub contract_date: Option<String>,
}

pub fn info(conn: &Connection, id: i64, field: &str) -> Result<CustomerInfo> {
    conn.query_row(
        "SELECT id, name, address, country, email, tax_id, currency, terms_id, language, transit_days, archived, contract_number, contract_date
         FROM customers WHERE id = ?1",
        [id],
        |r| {
            let currency: String = r.get("currency")?;
            Ok(CustomerInfo {
                id: r.get("id")?,
                name: r.get("name")?,
                address: r.get("address")?,
                country: r.get("country")?,
                email: r.get("email")?,
                tax_id: r.get("tax_id")?,
                currency: Currency::stored(&currency).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
                terms_id: r.get("terms_id")?,
                language: r.get::<_, Option<String>>("language")?.as_deref().and_then(Lang::parse),
                transit_days: r.get("transit_days")?,
                archived: r.get::<_, i64>("archived")? != 0,
                contract_number: r.get("contract_number")?,
                contract_date: r.get("contract_date")?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found(field))
}

/// A customer's validated fields (shared by the command and the CSV import).
pub(crate) struct Fields {
    pub name: String,
    contact_person: String,
    address: String,
    country: String,
    email: String,
    phone: String,
    tax_id: String,
    pub currency: &'static str,
    terms_id: Option<i64>,
    language: Option<&'static str>,
    transit_days: i64,
    notes: String,
    contract_number: String,
    contract_date: Option<String>,
}

pub(crate) fn read_fields(ctx: &Ctx, args: &Args) -> Result<Fields> {
    let name = args.string("name", MAX_NAME)?;
    let currency = match args.opt_string("currency", 3)? {
        Some(c) => Currency::parse(&c, "currency")?.code,
        None => {
            let home = super::profile::load(ctx.conn)?.map(|p| p.currency).unwrap_or_else(|| "KZT".into());
            Currency::stored(&home)?.code
        }
    };
    let terms_id = args.opt_id("termsId")?;
    if let Some(t) = terms_id {
        super::terms::load(ctx.conn, t, "termsId")?;
    }
    let email = args.text("email", MAX_NAME)?;
    if !email.is_empty() && !crate::ids::email_ok(&email) {
        return Err(Error::invalid(args.field("email"), "error.badEmail"));
    }
    // A customer in Kazakhstan is identified by its БИН/ИИН: twelve digits with a check digit.
    let country = args.text("country", MAX_NAME)?;
    let tax_id = args.text("taxId", MAX_NAME)?;
    if !tax_id.is_empty() && crate::ids::is_kazakhstan(&country) && !crate::ids::bin_ok(&tax_id) {
        return Err(Error::invalid(args.field("taxId"), "error.badBin"));
    }
    let contract_number = args.text("contractNumber", 100)?;
    let contract_date = args.opt_date("contractDate")?;
    if contract_date.is_some_and(|d| d > ctx.today + chrono::Duration::days(366)) {
        return Err(Error::invalid(args.field("contractDate"), "error.outOfRange"));
    }
    Ok(Fields {
        name,
        contact_person: args.text("contactPerson", MAX_NAME)?,
        address: args.text("address", MAX_TEXT)?,
        country,
        email,
        phone: args.text("phone", MAX_NAME)?,
        tax_id,
        currency,
        terms_id,
        language: args.opt_choice("language", Lang::CODES)?,
        transit_days: args.opt_int_in("transitDays", 0, 365)?.unwrap_or(3),
        notes: args.text("notes", MAX_TEXT)?,
        contract_number,
        contract_date: contract_date.map(|d| d.to_string()),
    })
}

/// `create_customer {name, address?, currency?, termsId?, language?, transitDays?, ...}`.
pub fn create(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let f = read_fields(ctx, args)?;
    let tx = ctx.conn.transaction()?;
    let id = insert(&tx, &f)?;
    tx.commit()?;
    load_json(ctx.conn, id, "id")
}

/// The columns a customer's fields are written to, in the order of [`Fields::values`]: one
/// list for inserting and updating.
const WRITTEN: [&str; 15] = [
    "name",
    "name_fold",
    "contact_person",
    "address",
    "country",
    "email",
    "phone",
    "tax_id",
    "currency",
    "terms_id",
    "language",
    "transit_days",
    "notes",
    "contract_number",
    "contract_date",
];

impl Fields {
    /// The values for [`WRITTEN`]; `folded` is the name's search key.
    fn values<'a>(&'a self, folded: &'a dyn rusqlite::ToSql) -> [&'a dyn rusqlite::ToSql; 15] {
        [
            &self.name,
            folded,
            &self.contact_person,
            &self.address,
            &self.country,
            &self.email,
            &self.phone,
            &self.tax_id,
            &self.currency,
            &self.terms_id,
            &self.language,
            &self.transit_days,
            &self.notes,
            &self.contract_number,
            &self.contract_date,
        ]
    }
}

/// Inserts validated fields; the caller owns the transaction.
pub(crate) fn insert(conn: &Connection, f: &Fields) -> Result<i64> {
    let marks: Vec<String> = (1..=WRITTEN.len() + 1).map(|i| format!("?{i}")).collect();
    let sql = format!("INSERT INTO customers ({}, created_at) VALUES ({})", WRITTEN.join(", "), marks.join(", "));
    let folded = fold(&f.name);
    let now = now_stamp();
    let mut values: Vec<&dyn rusqlite::ToSql> = f.values(&folded).to_vec();
    values.push(&now);
    conn.prepare_cached(&sql)?.execute(values.as_slice())?;
    Ok(conn.last_insert_rowid())
}

/// `update_customer {id, ...same as create}`. The currency is fixed once there is history.
pub fn update(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let id = args.id("id")?;
    must_exist(ctx.conn, "customers", id, "id")?;
    let f = read_fields(ctx, args)?;
    let tx = ctx.conn.transaction()?;
    let old_currency: String = tx.query_row("SELECT currency FROM customers WHERE id = ?1", [id], |r| r.get(0))?;
    if old_currency != f.currency && has_history(&tx, id)? {
        return Err(Error::Conflict { key: "error.currencyFixed", field: Some("currency".into()) });
    }
    let sets: Vec<String> = WRITTEN.iter().enumerate().map(|(i, c)| format!("{c}=?{}", i + 2)).collect();
    let folded = fold(&f.name);
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![&id];
    values.extend(f.values(&folded));
    tx.execute(&format!("UPDATE customers SET {} WHERE id=?1", sets.join(", ")), values.as_slice())?;
    tx.commit()?;
    load_json(ctx.conn, id, "id")
}

fn has_history(conn: &Connection, id: i64) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM invoices WHERE customer_id = ?1) + (SELECT COUNT(*) FROM charges WHERE customer_id = ?1)
            + (SELECT COUNT(*) FROM postings WHERE customer_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// `get_customer {id}`: the customer with balance, open invoices and unbilled charges.
pub fn get(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let id = args.id("id")?;
    let mut c = load_json(ctx.conn, id, "id")?;
    let invoices = super::invoices::list_for_customer(ctx, id)?;
    let unbilled = super::charges::unbilled_rows(ctx, Some(id), 5000, 0)?;
    c["invoices"] = invoices;
    c["unbilled"] = super::to_value(&unbilled)?;
    // The balance told in its two parts: what the customer owes on open items, and the credit
    // in their favour (an overpayment, a payment before its invoice) — shown as its own line.
    let (owed, credit): (i64, i64) = ctx.conn.query_row(
        "SELECT COALESCE(SUM(CASE WHEN account_id = ?2 THEN amount_minor END), 0), COALESCE(-SUM(CASE WHEN account_id = ?3 THEN amount_minor END), 0)
         FROM postings WHERE customer_id = ?1",
        params![id, Account::Receivables.id(), Account::CustomerCredit.id()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let cur = Currency::stored(c["currency"].as_str().unwrap_or("KZT"))?;
    c["owed"] = json!(cur.format_minor(owed));
    c["credit"] = json!(cur.format_minor(credit));
    // What can be used or refunded today (never more than is left after later-dated uses).
    c["creditAvailable"] = json!(cur.format_minor(super::items::credit_available(ctx.conn, id, ctx.today)?.max(0)));
    // Advances received before the work (#22), held until applied or paid back.
    c["advance"] = json!(cur.format_minor(super::advances::balance(ctx.conn, id)?));
    c["hasHistory"] = json!(has_history(ctx.conn, id)?);
    Ok(c)
}

/// `search_customers {query?, includeArchived?, limit?, offset?}`: prefix matches first, then
/// substring matches, case-insensitive in any script.
pub fn search(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let q = fold(&args.text("query", MAX_NAME)?);
    let include_archived = args.bool("includeArchived")?;
    let limit = args.opt_int_in("limit", 1, 500)?.unwrap_or(50);
    let offset = args.opt_int_in("offset", 0, i64::MAX / 2)?.unwrap_or(0);
    let sql = format!(
        "SELECT {COLUMNS} FROM customers c
         WHERE (?1 = '' OR instr(c.name_fold, ?1) > 0) AND (?2 OR c.archived = 0)
         ORDER BY CASE WHEN ?1 <> '' AND substr(c.name_fold, 1, length(?1)) = ?1 THEN 0 ELSE 1 END, c.name_fold, c.id
         LIMIT ?3 OFFSET ?4"
    );
    let mut stmt = ctx.conn.prepare_cached(&sql)?;
    let rows: Vec<Value> = stmt.query_map(params![q, include_archived, limit, offset], row_json)?.collect::<rusqlite::Result<_>>()?;
    let total: i64 = ctx.conn.query_row(
        "SELECT COUNT(*) FROM customers c WHERE (?1 = '' OR instr(c.name_fold, ?1) > 0) AND (?2 OR c.archived = 0)",
        params![q, include_archived],
        |r| r.get(0),
    )?;
    let mut out = json!({"total": total});
    out["rows"] = Value::Array(rows);
    Ok(out)
}

/// `archive_customer {id, archived?=true}`: hides a customer from lists; history stays.
pub fn archive(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let id = args.id("id")?;
    let archived = args.opt_bool("archived")?.unwrap_or(true);
    must_exist(ctx.conn, "customers", id, "id")?;
    ctx.conn.execute("UPDATE customers SET archived = ?2 WHERE id = ?1", params![id, archived as i64])?;
    load_json(ctx.conn, id, "id")
}

/// `delete_customer {id}`: only for a customer without any history; otherwise archive.
pub fn delete(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let id = args.id("id")?;
    must_exist(ctx.conn, "customers", id, "id")?;
    let tx = ctx.conn.transaction()?;
    if has_history(&tx, id)? {
        return Err(Error::Conflict { key: "error.customerHasHistory", field: Some("id".into()) });
    }
    tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(json!({"deleted": id}))
}

/// `set_opening_balance {customerId, amount, asOf, reference?}`: what the customer owed (or,
/// negative, had in credit) when the shop moved to Esep. Posted against Opening balance equity.
/// Once per customer; a mistake is corrected with a credit note or write-off later.
pub fn set_opening_balance(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    let customer_id = args.id("customerId")?;
    let c = info(ctx.conn, customer_id, "customerId")?;
    let amount = args.opt_amount("amount", true)?.ok_or_else(|| Error::invalid("amount", "error.required"))?;
    if amount.is_zero() {
        return Err(Error::invalid("amount", "error.zero"));
    }
    let minor = c.currency.to_minor(amount, "amount")?;
    let as_of = args.date("asOf")?;
    if as_of > ctx.today {
        return Err(Error::invalid("asOf", "error.inFuture"));
    }
    let reference = args.text("reference", MAX_NAME)?;
    let tx = ctx.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let existing: Option<i64> = tx.query_row("SELECT id FROM opening_balances WHERE customer_id = ?1", [customer_id], |r| r.get(0)).optional()?;
    if existing.is_some() {
        return Err(Error::Conflict { key: "error.openingBalanceExists", field: Some("customerId".into()) });
    }
    post_opening(&tx, customer_id, &c.name, c.currency, minor, as_of, &reference)?;
    tx.commit()?;
    load_json(ctx.conn, customer_id, "customerId")
}

/// Posts an opening balance (validated: non-zero, exact, not in the future, none yet) in the
/// caller's transaction.
pub(crate) fn post_opening(
    conn: &Connection,
    customer_id: i64,
    name: &str,
    currency: Currency,
    minor: i64,
    as_of: chrono::NaiveDate,
    reference: &str,
) -> Result<()> {
    let cur = currency.code;
    let customer_account = if minor > 0 { Account::Receivables } else { Account::CustomerCredit };
    let entry = JournalEntry::new(
        as_of,
        "opening",
        format!("Opening balance {name}"),
        Some(("customer", customer_id)),
        vec![Posting::new(customer_account, cur, minor).customer(customer_id), Posting::new(Account::OpeningBalance, cur, -minor)],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(conn, &entry, &now)?;
    conn.prepare_cached(
        "INSERT INTO opening_balances (customer_id, as_of, reference, currency, amount_minor, entry_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![customer_id, as_of.to_string(), reference, cur, minor, entry_id, now])?;
    Ok(())
}
