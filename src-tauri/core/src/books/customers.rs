//! Customers: who owes what. Archived instead of deleted once they have history.

use super::Deleted;
use super::{fold, must_exist, now_stamp, Ctx};
use crate::acct;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ledger::{self, Account, JournalEntry, Posting};
use crate::money::Currency;
use crate::req::{ById, Date, Id, Int, LongText, Name, SignedAmount, Text};
use crate::sql::{params, Connection, OptionalExtension, Row};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const COLUMNS: &str = concat!(
    "c.id, c.name, c.contact_person, c.address, c.country, c.email, c.phone, c.tax_id, c.currency, c.terms_id,
    c.language, c.transit_days, c.notes, c.archived, c.created_at, c.contract_number, c.contract_date,
    (SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p WHERE p.customer_id = c.id AND p.account_id IN ",
    acct!(customer),
    ") AS balance"
);

/// A customer as the screens show it, with the balance.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub contact_person: String,
    pub address: String,
    pub country: String,
    pub email: String,
    pub phone: String,
    pub tax_id: String,
    pub currency: String,
    pub terms_id: Option<i64>,
    pub language: Option<String>,
    pub transit_days: i64,
    pub notes: String,
    pub contract_number: String,
    /// ISO date.
    pub contract_date: Option<String>,
    pub archived: bool,
    pub created_at: String,
    /// What the customer owes (negative: in their favour), in the customer's currency.
    pub balance: String,
}

fn row_view(r: &Row) -> crate::sql::Result<CustomerView> {
    let currency: String = r.get("currency")?;
    let balance: i64 = r.get("balance")?;
    let cur = Currency::stored(&currency)
        .map_err(|e| crate::sql::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(CustomerView {
        id: r.get("id")?,
        name: r.get("name")?,
        contact_person: r.get("contact_person")?,
        address: r.get("address")?,
        country: r.get("country")?,
        email: r.get("email")?,
        phone: r.get("phone")?,
        tax_id: r.get("tax_id")?,
        currency,
        terms_id: r.get("terms_id")?,
        language: r.get("language")?,
        transit_days: r.get("transit_days")?,
        notes: r.get("notes")?,
        contract_number: r.get("contract_number")?,
        contract_date: r.get("contract_date")?,
        archived: r.get::<_, i64>("archived")? != 0,
        created_at: r.get("created_at")?,
        balance: cur.format_minor(balance),
    })
}

/// A customer (with the balance), or `not_found` on `field`.
pub fn load(conn: &Connection, id: i64, field: &str) -> Result<CustomerView> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id = ?1"),
        [id],
        row_view,
    )
    .optional()?
    .ok_or_else(|| Error::not_found(field))
}

/// Every customer as JSON (with the balance), by name.
pub(crate) fn all_json(conn: &Connection) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers c ORDER BY c.name_fold, c.id"
    ))?;
    let rows: Vec<CustomerView> = stmt
        .query_map([], row_view)?
        .collect::<crate::sql::Result<_>>()?;
    rows.iter().map(super::to_value).collect()
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
                currency: Currency::stored(&currency).map_err(|e| crate::sql::Error::ToSqlConversionFailure(Box::new(e)))?,
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

/// `create_customer` (and a CSV row of customers): a customer's fields.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomer {
    pub name: Name,
    pub contact_person: Option<Name>,
    pub address: Option<LongText>,
    pub country: Option<Name>,
    pub email: Option<Name>,
    pub phone: Option<Name>,
    /// In Kazakhstan a БИН/ИИН (checked); elsewhere any tax number.
    pub tax_id: Option<Name>,
    /// ISO 4217; the profile's currency when left out. Fixed once the customer has history.
    pub currency: Option<Text<3>>,
    pub terms_id: Option<Id>,
    /// The language of the customer's documents.
    pub language: Option<crate::i18n::Lang>,
    /// Days the post takes to reach the customer (3 when left out).
    pub transit_days: Option<Int<0, 365>>,
    pub notes: Option<LongText>,
    pub contract_number: Option<Text<100>>,
    /// At most a year ahead.
    pub contract_date: Option<Date>,
}

/// `update_customer`: the customer and all of its fields (as `create_customer`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCustomer {
    pub id: Id,
    pub name: Name,
    pub contact_person: Option<Name>,
    pub address: Option<LongText>,
    pub country: Option<Name>,
    pub email: Option<Name>,
    pub phone: Option<Name>,
    /// In Kazakhstan a БИН/ИИН (checked); elsewhere any tax number.
    pub tax_id: Option<Name>,
    /// ISO 4217; the profile's currency when left out. Fixed once the customer has history.
    pub currency: Option<Text<3>>,
    pub terms_id: Option<Id>,
    /// The language of the customer's documents.
    pub language: Option<crate::i18n::Lang>,
    /// Days the post takes to reach the customer (3 when left out).
    pub transit_days: Option<Int<0, 365>>,
    pub notes: Option<LongText>,
    pub contract_number: Option<Text<100>>,
    /// At most a year ahead.
    pub contract_date: Option<Date>,
}

impl UpdateCustomer {
    fn split(self) -> (i64, CreateCustomer) {
        let fields = CreateCustomer {
            name: self.name,
            contact_person: self.contact_person,
            address: self.address,
            country: self.country,
            email: self.email,
            phone: self.phone,
            tax_id: self.tax_id,
            currency: self.currency,
            terms_id: self.terms_id,
            language: self.language,
            transit_days: self.transit_days,
            notes: self.notes,
            contract_number: self.contract_number,
            contract_date: self.contract_date,
        };
        (self.id.0, fields)
    }
}

fn text<const MAX: usize>(t: Option<Text<MAX>>) -> String {
    t.map(Text::into_string).unwrap_or_default()
}

/// The rules a customer's fields must meet beyond their own (a known currency and terms, a
/// well-formed e-mail and БИН, a contract not dated more than a year ahead), with the defaults.
pub(crate) fn fields(ctx: &Ctx, input: CreateCustomer) -> Result<Fields> {
    let currency = match input.currency {
        Some(c) => Currency::parse(&c, "currency")?.code,
        None => super::profile::home_currency(ctx.conn)?.code,
    };
    let terms_id = input.terms_id.map(|t| t.0);
    if let Some(t) = terms_id {
        super::terms::load(ctx.conn, t, "termsId")?;
    }
    let email = text(input.email);
    if !email.is_empty() && !crate::ids::email_ok(&email) {
        return Err(Error::invalid("email", "error.badEmail"));
    }
    // A customer in Kazakhstan is identified by its БИН/ИИН: twelve digits with a check digit.
    let country = text(input.country);
    let tax_id = text(input.tax_id);
    if !tax_id.is_empty() && crate::ids::is_kazakhstan(&country) && !crate::ids::bin_ok(&tax_id) {
        return Err(Error::invalid("taxId", "error.badBin"));
    }
    let contract_date = input.contract_date.map(|d| d.0);
    if contract_date.is_some_and(|d| d > ctx.today + chrono::Duration::days(366)) {
        return Err(Error::invalid("contractDate", "error.outOfRange"));
    }
    Ok(Fields {
        name: input.name.into_string(),
        contact_person: text(input.contact_person),
        address: text(input.address),
        country,
        email,
        phone: text(input.phone),
        tax_id,
        currency,
        terms_id,
        language: input.language.map(crate::i18n::Lang::code),
        transit_days: input.transit_days.map_or(3, |d| d.0),
        notes: text(input.notes),
        contract_number: text(input.contract_number),
        contract_date: contract_date.map(|d| d.to_string()),
    })
}

/// `create_customer {name, address?, currency?, termsId?, language?, transitDays?, ...}`.
pub fn create(ctx: &mut Ctx, req: CreateCustomer) -> Result<CustomerView> {
    let f = fields(ctx, req)?;
    let tx = ctx.conn.transaction()?;
    let id = insert(&tx, &f)?;
    tx.commit()?;
    load(ctx.conn, id, "id")
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
    fn values<'a>(&'a self, folded: &'a dyn crate::sql::ToSql) -> [&'a dyn crate::sql::ToSql; 15] {
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
    let sql = format!(
        "INSERT INTO customers ({}, created_at) VALUES ({})",
        WRITTEN.join(", "),
        marks.join(", ")
    );
    let folded = fold(&f.name);
    let now = now_stamp();
    let mut values: Vec<&dyn crate::sql::ToSql> = f.values(&folded).to_vec();
    values.push(&now);
    conn.prepare_cached(&sql)?.execute(values.as_slice())?;
    Ok(conn.last_insert_rowid())
}

/// `update_customer {id, ...same as create}`. The currency is fixed once there is history.
pub fn update(ctx: &mut Ctx, req: UpdateCustomer) -> Result<CustomerView> {
    let (id, input) = req.split();
    must_exist(ctx.conn, "customers", id, "id")?;
    let f = fields(ctx, input)?;
    let tx = ctx.conn.transaction()?;
    let old_currency: String =
        tx.query_row("SELECT currency FROM customers WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    if old_currency != f.currency && has_history(&tx, id)? {
        return Err(Error::Conflict {
            key: "error.currencyFixed",
            field: Some("currency".into()),
        });
    }
    let sets: Vec<String> = WRITTEN
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c}=?{}", i + 2))
        .collect();
    let folded = fold(&f.name);
    let mut values: Vec<&dyn crate::sql::ToSql> = vec![&id];
    values.extend(f.values(&folded));
    tx.execute(
        &format!("UPDATE customers SET {} WHERE id=?1", sets.join(", ")),
        values.as_slice(),
    )?;
    tx.commit()?;
    load(ctx.conn, id, "id")
}

pub(crate) fn has_history(conn: &Connection, id: i64) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM invoices WHERE customer_id = ?1) + (SELECT COUNT(*) FROM charges WHERE customer_id = ?1)
            + (SELECT COUNT(*) FROM postings WHERE customer_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// `search_customers`: a page of customers by name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchCustomers {
    /// Part of the name, any case, any script; every customer when left out.
    pub query: Option<Name>,
    #[serde(default)]
    pub include_archived: bool,
    /// 50 when left out.
    pub limit: Option<Int<1, 500>>,
    pub offset: Option<Int<0, { i64::MAX / 2 }>>,
}

/// A page of customers and how many match in all.
#[derive(Debug, Serialize)]
pub struct CustomerPage {
    pub total: i64,
    pub rows: Vec<CustomerView>,
}

/// `search_customers {query?, includeArchived?, limit?, offset?}`: prefix matches first, then
/// substring matches, case-insensitive in any script.
pub fn search(ctx: &mut Ctx, req: SearchCustomers) -> Result<CustomerPage> {
    let q = fold(&text(req.query));
    let include_archived = req.include_archived;
    let limit = req.limit.map_or(50, |l| l.0);
    let offset = req.offset.map_or(0, |o| o.0);
    let sql = format!(
        "SELECT {COLUMNS} FROM customers c
         WHERE (?1 = '' OR instr(c.name_fold, ?1) > 0) AND (?2 OR c.archived = 0)
         ORDER BY CASE WHEN ?1 <> '' AND substr(c.name_fold, 1, length(?1)) = ?1 THEN 0 ELSE 1 END, c.name_fold, c.id
         LIMIT ?3 OFFSET ?4"
    );
    let mut stmt = ctx.conn.prepare_cached(&sql)?;
    let rows: Vec<CustomerView> = stmt
        .query_map(params![q, include_archived, limit, offset], row_view)?
        .collect::<crate::sql::Result<_>>()?;
    let total: i64 = ctx.conn.query_row(
        "SELECT COUNT(*) FROM customers c WHERE (?1 = '' OR instr(c.name_fold, ?1) > 0) AND (?2 OR c.archived = 0)",
        params![q, include_archived],
        |r| r.get(0),
    )?;
    Ok(CustomerPage { total, rows })
}

/// `archive_customer`: archive or restore.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveCustomer {
    pub id: Id,
    /// `false` restores the customer (true when left out).
    pub archived: Option<bool>,
}

/// `archive_customer {id, archived?=true}`: hides a customer from lists; history stays.
pub fn archive(ctx: &mut Ctx, req: ArchiveCustomer) -> Result<CustomerView> {
    let id = req.id.0;
    let archived = req.archived.unwrap_or(true);
    must_exist(ctx.conn, "customers", id, "id")?;
    ctx.conn.execute(
        "UPDATE customers SET archived = ?2 WHERE id = ?1",
        params![id, archived as i64],
    )?;
    load(ctx.conn, id, "id")
}

/// `delete_customer {id}`: only for a customer without any history; otherwise archive.
pub fn delete(ctx: &mut Ctx, req: ById) -> Result<Deleted> {
    let id = req.id.0;
    must_exist(ctx.conn, "customers", id, "id")?;
    let tx = ctx.conn.transaction()?;
    if has_history(&tx, id)? {
        return Err(Error::Conflict {
            key: "error.customerHasHistory",
            field: Some("id".into()),
        });
    }
    tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(Deleted { deleted: id })
}

/// `set_opening_balance`: what the customer owed when the shop moved in.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetOpeningBalance {
    pub customer_id: Id,
    /// Negative: credit in the customer's favour. Not zero; exact in the customer's currency.
    pub amount: SignedAmount,
    /// Not in the future.
    pub as_of: Date,
    pub reference: Option<Name>,
}

/// `set_opening_balance {customerId, amount, asOf, reference?}`: what the customer owed (or,
/// negative, had in credit) when the shop moved to Esep. Posted against Opening balance equity.
/// Once per customer; a mistake is corrected with a credit note or write-off later.
pub fn set_opening_balance(ctx: &mut Ctx, req: SetOpeningBalance) -> Result<CustomerView> {
    let customer_id = req.customer_id.0;
    let c = info(ctx.conn, customer_id, "customerId")?;
    let amount = req.amount.0;
    if amount.is_zero() {
        return Err(Error::invalid("amount", "error.zero"));
    }
    let minor = c.currency.to_minor(amount, "amount")?;
    let as_of = req.as_of.0;
    if as_of > ctx.today {
        return Err(Error::invalid("asOf", "error.inFuture"));
    }
    let reference = text(req.reference);
    let tx = ctx
        .conn
        .transaction_with_behavior(crate::sql::TransactionBehavior::Immediate)?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM opening_balances WHERE customer_id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?;
    if existing.is_some() {
        return Err(Error::Conflict {
            key: "error.openingBalanceExists",
            field: Some("customerId".into()),
        });
    }
    post_opening(
        &tx,
        customer_id,
        &c.name,
        c.currency,
        minor,
        as_of,
        &reference,
    )?;
    tx.commit()?;
    load(ctx.conn, customer_id, "customerId")
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
    let customer_account = if minor > 0 {
        Account::Receivables
    } else {
        Account::CustomerCredit
    };
    let entry = JournalEntry::new(
        as_of,
        "opening",
        format!("Opening balance {name}"),
        Some(("customer", customer_id)),
        vec![
            Posting::new(customer_account, cur, minor).customer(customer_id),
            Posting::new(Account::OpeningBalance, cur, -minor),
        ],
    )?;
    let now = now_stamp();
    let entry_id = ledger::post(conn, &entry, &now)?;
    conn.prepare_cached(
        "INSERT INTO opening_balances (customer_id, as_of, reference, currency, amount_minor, entry_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![customer_id, as_of.to_string(), reference, cur, minor, entry_id, now])?;
    Ok(())
}
