//! The command surface: one table of commands shared by the Tauri app and `esep-cli`.
//!
//! Every command takes a JSON object and returns JSON (amounts as decimal strings, ids as
//! numbers) or an [`Error`]. Adding a command here (and its name to `command_names.in`)
//! exposes it in both front ends.

use crate::args::Args;
use crate::books::{
    self, acts, advances, audit, bank, charges, corrections, customers, invoices, journal, payments, profile, quotes, recurring, reminders, reports, transfer,
    Ctx,
};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::money::Currency;
use schemars::schema::RootSchema;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// The command names, in the order of `command_names.in`.
pub const COMMAND_NAMES: &[&str] = &include!("command_names.in");

type Handler = fn(&mut Ctx, &Value) -> Result<Value>;

/// A command: its name, whether it writes, its arguments and its handler.
pub struct Command {
    pub name: &'static str,
    pub writes: bool,
    pub summary: &'static str,
    /// The request's JSON Schema, derived from its type; `None` for a command still written
    /// against [`Args`] (its shape is then the `args` text).
    request: Option<fn() -> RootSchema>,
    /// The documented shape of a command not typed yet.
    written_args: &'static str,
    run: Handler,
}

impl Command {
    /// The arguments as `esep-cli commands` prints them (`{customerId, note?, kind: a|b}`),
    /// rendered from the request type where there is one.
    pub fn args(&self) -> String {
        match self.request {
            Some(schema) => crate::shape::render(&schema()),
            None => self.written_args.to_string(),
        }
    }

    /// The request's JSON Schema (typed commands only).
    pub fn request_schema(&self) -> Option<RootSchema> {
        self.request.map(|f| f())
    }
}

/// A command written against [`Args`], with its shape as text.
macro_rules! cmd {
    ($name:literal, $writes:expr, $args:literal, $summary:literal, $run:expr) => {
        Command {
            name: $name,
            writes: $writes,
            summary: $summary,
            request: None,
            written_args: $args,
            run: {
                fn run(ctx: &mut Ctx, v: &Value) -> Result<Value> {
                    let args = Args::new(v)?;
                    ($run)(ctx, &args)
                }
                run
            },
        }
    };
}

/// A typed command: `fn(&mut Ctx, Request) -> Result<View>`; the request type gives its shape.
macro_rules! typed {
    ($name:literal, $writes:expr, $summary:literal, $run:path) => {
        Command {
            name: $name,
            writes: $writes,
            summary: $summary,
            request: Some({
                fn schema() -> RootSchema {
                    request_schema($run)
                }
                schema
            }),
            written_args: "",
            run: {
                fn run(ctx: &mut Ctx, v: &Value) -> Result<Value> {
                    invoke(ctx, v, $run)
                }
                run
            },
        }
    };
}

fn invoke<R: DeserializeOwned, V: Serialize>(ctx: &mut Ctx, args: &Value, op: fn(&mut Ctx, R) -> Result<V>) -> Result<Value> {
    let request = crate::req::parse::<R>(args)?;
    books::to_value(&op(ctx, request)?)
}

/// The JSON Schema of a handler's request type (sub-schemas inlined, optional fields simply
/// not required).
pub fn request_schema<R: JsonSchema, V>(_: fn(&mut Ctx, R) -> Result<V>) -> RootSchema {
    let mut settings = schemars::gen::SchemaSettings::draft07();
    settings.inline_subschemas = true;
    settings.option_add_null_type = false;
    settings.option_nullable = false;
    settings.into_generator().into_root_schema_for::<R>()
}

/// Every command.
pub static COMMANDS: &[Command] = &[
    cmd!("app_status", false, "{check?=true}", "Schema version, today's date, whether the profile is set up, and (unless check: false) the books' health", app_status),
    cmd!("get_catalogue", false, "{language: kk|ru|en}", "The message catalogue of a language", get_catalogue),
    cmd!("get_profile", false, "{}", "The business profile, or null before setup", profile::get),
    cmd!(
        "save_profile",
        true,
        "{name, currency, language: kk|ru|en, defaultTermsId?, address?, country?, taxIds?, bankAccount?, bankName?, bankBic?, bankKbe?, email?, phone?, thankYou?, unbilledWarnDays?, defaultTaxRate?, pricesIncludeTax?, bin?, knp?, vatPayer?, vatRegistration?, signerName?, signerPosition?, invoiceLayout?: standard|kz}",
        "Create or replace the business profile",
        profile::save
    ),
    cmd!(
        "save_envelope",
        true,
        "{preset: din5008a|din5008b|us10, offsetX?, offsetY?}",
        "The window envelope and the printer offset in mm (from the calibration page)",
        profile::save_envelope
    ),
    cmd!(
        "set_logo",
        true,
        "{dataBase64?, kind?: logo|signature|seal}",
        "Store the business logo, or the signer's signature or the seal (PNG or JPEG, at most 512 KB); without data, remove it",
        profile::set_logo
    ),
    cmd!("list_currencies", false, "{}", "ISO 4217 currencies with their minor units", list_currencies),
    cmd!(
        "check_identifier",
        false,
        "{kind: bin|iban|bic|kbe|knp|email, value, country?}",
        "Whether an identifier is well formed (as the form is typed): {ok, message}, by the same rules saving applies",
        check_identifier
    ),
    cmd!("list_terms", false, "{language?}", "Payment terms (presets and own) with their sentences", books::terms::list),
    cmd!(
        "save_terms",
        true,
        "{id?, name, kind: receipt|net|after_receipt|eom|proximo, days?, dayOfMonth?, cutoffDay?, discountPercent?, discountDays?}",
        "Create or change user-defined payment terms",
        books::terms::save
    ),
    cmd!("get_series", false, "{}", "Number series: format, next number", profile::get_series),
    cmd!("set_series", true, "{id: invoice|credit_note|act|quote|prepayment, format, nextNumber?, yearly?}", "Number format; starting number while unused", profile::set_series),
    cmd!(
        "create_customer",
        true,
        "{name, contactPerson?, address?, country?, email?, phone?, taxId?, currency?, termsId?, language?, transitDays?, notes?, contractNumber?, contractDate?}",
        "Add a customer",
        customers::create
    ),
    cmd!("update_customer", true, "{id, ...create_customer}", "Change a customer", customers::update),
    cmd!("get_customer", false, "{id}", "A customer with balance, invoices and unbilled charges", customers::get),
    cmd!("search_customers", false, "{query?, includeArchived?, limit?, offset?}", "Find customers by name (prefix, then substring)", customers::search),
    cmd!("archive_customer", true, "{id, archived?=true}", "Archive (or restore) a customer", customers::archive),
    cmd!("delete_customer", true, "{id}", "Delete a customer without history", customers::delete),
    cmd!("set_opening_balance", true, "{customerId, amount, asOf, reference?}", "What the customer owed when the shop moved in", customers::set_opening_balance),
    typed!("record_charge", true, "Record a service or charge before invoicing", charges::record),
    typed!("update_charge", true, "Change an unbilled charge", charges::update),
    typed!("delete_charge", true, "Delete an unbilled charge", charges::delete),
    typed!("list_unbilled", false, "Unbilled charges, oldest first, with ages", charges::list_unbilled),
    cmd!(
        "create_invoice",
        true,
        "{customerId, lines?: [{chargeId?, description, quantity, unit?, unitPrice, discountPercent?, taxRate?}], chargeIds?, discountPercent?, pricesIncludeTax?, purpose?, notes?, serviceFrom?, serviceTo?, termsId?, language?}",
        "Create a draft invoice",
        invoices::create
    ),
    cmd!("update_invoice", true, "{id, ...create_invoice}", "Replace a draft's content", invoices::update),
    cmd!("delete_invoice", true, "{id}", "Delete a draft", invoices::delete),
    cmd!(
        "document_layout",
        false,
        "{kind: invoice|reminder|notice|receipt|statement|credit_note|act|calibration, id?, from?, to?, envelope?}",
        "The laid-out pages of a document (mm, measured text) for the preview; drafts show as DRAFT",
        books::documents::layout_json
    ),
    cmd!("preview_invoice", false, "{id?, ...create_invoice}", "Live totals of a draft, nothing written", invoices::preview),
    cmd!("get_invoice", false, "{id}", "One invoice with lines, totals, due date and sending log", invoices::get),
    cmd!(
        "list_invoices",
        false,
        "{status?: all|draft|open|partly_paid|paid|overdue|issued|unpaid|unsent, customerId?, from?, to?, query?, sort?: number|date|due|total|customer|status, desc?, limit?, offset?}",
        "A page of invoices",
        invoices::list
    ),
    cmd!("issue_invoice", true, "{id, issueDate?}", "Issue a draft: next gapless number, posted to the books, immutable", invoices::issue),
    cmd!("record_sending", true, "{invoiceId, kind: post|email|pdf|received, date?, note?}", "Log that an invoice was mailed, emailed, saved or received", invoices::record_sending),
    cmd!("get_journal", false, "{from?, to?, limit?, offset?}", "Journal entries with postings", journal::get),
    cmd!("trial_balance", false, "{asOf?}", "Balances per account and currency", journal::trial_balance),
    cmd!("check_books", false, "{}", "Every violated invariant of the books", audit::check_books),
    typed!("record_payment", true, "Record a payment: oldest due first, or as chosen; surplus becomes credit; discrepancies recorded", payments::record),
    typed!("suggest_allocation", false, "How a payment would be allocated, nothing written", payments::suggest),
    typed!("get_payment", false, "A payment with allocations, discrepancy and settled invoices", payments::get),
    typed!("list_payments", false, "Payments, newest first", payments::list),
    typed!("list_discrepancies", false, "Payments that did not match what was due", payments::discrepancies),
    typed!("apply_credit", true, "Use a customer's credit on open invoices", payments::apply_credit),
    typed!("reverse_payment", true, "Take back a mistyped payment by a reversing entry (with the reason); what it settled is open again", payments::reverse),
    typed!("refund_credit", true, "Pay a customer's credit back", payments::refund),
    cmd!(
        "create_credit_note",
        true,
        "{invoiceId, reason, date?, amount? | lines?: [{lineId, quantity?}]}",
        "Credit (part of) an issued invoice; own gapless series",
        corrections::create_credit_note
    ),
    cmd!("get_credit_note", false, "{id}", "One credit note", corrections::get_credit_note),
    cmd!(
        "create_act",
        true,
        "{invoiceId?, customerId?, chargeIds?: [id], date?, language?: kk|ru|kk+ru}",
        "The act of completed works (form Р-1) for an issued invoice or a selection of one customer's services: numbered, frozen; one per invoice",
        acts::create
    ),
    cmd!("get_act", false, "{id}", "One act of completed works with its frozen content", acts::get),
    cmd!("list_acts", false, "{invoiceId?, customerId?}", "The acts made for an invoice or a customer, with their sending logs", acts::list),
    cmd!(
        "record_act_sending",
        true,
        "{actId, kind: post|email|pdf|signed, date?, note?}",
        "Log that an act left the shop, or that its signed copy came back",
        acts::record_sending
    ),
    cmd!(
        "invoice_history",
        false,
        "{id}",
        "An invoice's whole life in date order, each event with the document to print again",
        books::history::invoice_history
    ),
    cmd!("write_off", true, "{invoiceId, reason, date?, amount?}", "Write off a bad debt", corrections::write_off),
    typed!("get_reminder_settings", false, "Grace days, spacing, late fee, texts", reminders::get_settings),
    typed!("save_reminder_settings", true, "Change the reminder settings", reminders::save_settings),
    typed!("list_to_send", false, "Invoices to mail and reminders due today, by customer (a page of customers)", reminders::to_send),
    typed!("record_reminder", true, "Record the next reminder of an overdue invoice", reminders::record),
    typed!("list_reminders", false, "Reminders sent for an invoice", reminders::list),
    cmd!("statement", false, "{customerId, from?, to?}", "Statement of account for a period", reports::statement),
    cmd!("ageing", false, "{asOf?, sort?, limit?, offset?}", "What is open, by days past due, per customer (all, or a page)", reports::ageing),
    cmd!("dashboard", false, "{}", "Outstanding, overdue, collected, unbilled, reminders, revenue by month", reports::dashboard),
    cmd!("export_journal", false, "{format?: hledger|csv, from?, to?}", "The journal as an hledger file or CSV", reports::export_journal),
    cmd!(
        "import_preview",
        false,
        "{kind: customers|charges, dataBase64, mapping?: {field: column}, delimiter?, encoding?: auto|utf-8|windows-1251, decimalSeparator?: ,|., dateOrder?: dmy|mdy, asOf?}",
        "Read a CSV file: detected format, column mapping, every row's problems; nothing written",
        transfer::preview
    ),
    cmd!("import_csv", true, "{same as import_preview}", "Import customers (with opening balances) or unbilled services: all rows or none", transfer::import),
    cmd!(
        "export_csv",
        false,
        "{kind: customers|invoices|invoice_lines|payments|ageing|journal, delimiter?: ,|;, asOf?, from?, to?}",
        "A CSV file (UTF-8 with BOM) for Excel or the accountant",
        transfer::export
    ),
    cmd!(
        "import_statement",
        true,
        "{dataBase64, fileName?, autoConfirm?, mapping?: {field: column}, delimiter?, decimalSeparator?: ,|., dateOrder?: dmy|mdy, encoding?: auto|utf-8|windows-1251}",
        "Read a bank statement (1C client-bank exchange, MT940, camt.053, a bank's CSV): lines already there are not added again; autoConfirm confirms exact matches",
        bank::import
    ),
    cmd!(
        "read_statement",
        false,
        "{same as import_statement}",
        "What a statement file is before importing it: a CSV's columns, the mapping in use (saved for the bank, or from the headers) and its first rows; nothing written",
        bank::read
    ),
    cmd!("list_bank_statements", false, "{}", "Imported statements with their balances against their lines and the books' bank account", bank::statements),
    cmd!(
        "list_bank_transactions",
        false,
        "{state?: new|matched|ignored|out|all, statementId?, limit?, offset?}",
        "Bank lines (by default incoming ones to confirm, with what each most likely pays and why)",
        bank::list
    ),
    cmd!(
        "confirm_bank_transaction",
        true,
        "{id, customerId, allocations?: [{invoiceId, amount}], prepaymentId?}",
        "An incoming bank line becomes the customer's payment (oldest due first without allocations)",
        bank::confirm
    ),
    cmd!("set_aside_bank_transaction", true, "{id, reason}", "A bank line that is not a customer payment, with the reason", bank::set_aside),
    cmd!("restore_bank_transaction", true, "{id}", "Put a set-aside bank line back to be confirmed", bank::restore),
    typed!("save_recurring", true, "Create or change a recurring invoice schedule (changes apply from the next period)", recurring::save),
    typed!("list_recurring", false, "Recurring schedules with their next date and the drafts they made", recurring::list),
    typed!("get_recurring", false, "One recurring schedule", recurring::get),
    typed!("pause_recurring", true, "Pause a schedule (its periods are skipped) or resume it", recurring::pause),
    typed!("end_recurring", true, "No period after today (a schedule that made nothing is removed)", recurring::end),
    cmd!(
        "save_quote",
        true,
        "{id?, customerId, lines: [{description, quantity?, unit?, unitPrice, discountPercent?, taxRate?}], discountPercent?, pricesIncludeTax?, notes?, language?: kk|ru|en}",
        "Create or change a draft quote (a commercial offer): posts nothing",
        quotes::save
    ),
    cmd!("issue_quote", true, "{id, issueDate?, validUntil?}", "Number a quote or a prepayment request (each its own gapless series); a quote is valid 30 days, a request payable in 10, unless said", quotes::issue),
    cmd!("get_quote", false, "{id}", "One quote with lines, totals and its state (expired past its validity)", quotes::get),
    cmd!("list_quotes", false, "{customerId?, kind?: quote|prepayment}", "Quotes and prepayment requests, newest first", quotes::list),
    cmd!("decide_quote", true, "{id, decision: sent|accepted|declined, date?}", "Log that a quote was sent, or the customer's answer", quotes::decide),
    cmd!("quote_to_invoice", true, "{id}", "An accepted quote becomes a draft invoice with its lines (once)", quotes::to_invoice),
    cmd!("delete_quote", true, "{id}", "Delete a draft quote", quotes::delete),
    cmd!("save_prepayment", true, "{same as save_quote}", "Create or change a draft prepayment request (a request to pay before the work): posts nothing", quotes::save_prepayment),
    cmd!("prepayment_from_quote", true, "{id}", "An accepted quote becomes a draft prepayment request with its lines (once)", quotes::prepayment_from_quote),
    typed!("record_advance", true, "Money received before the work: an advance (a liability, not revenue), against a prepayment request or not", advances::record),
    typed!("apply_advance", true, "Use the customer's advance on the invoice for the work", advances::apply),
    typed!("refund_advance", true, "Pay an unused advance back", advances::refund),
    typed!("run_recurring", true, "Make every period due up to today, of every schedule, exactly once (the app runs it on opening and daily)", recurring::run),
];

/// Finds a command by name.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Runs one command. Unknown names are a `not_found` on `command`.
pub fn call(ctx: &mut Ctx, name: &str, args: &Value) -> Result<Value> {
    let cmd = find(name).ok_or_else(|| Error::not_found("command"))?;
    if !args.is_object() && !args.is_null() {
        return Err(Error::invalid("args", "error.argsNotObject"));
    }
    known_fields_only(cmd, args)?;
    // A read sees one snapshot of the books: another connection (esep-cli beside the app, a
    // test reading while the window writes) may commit between its statements otherwise, and a
    // list could name a row that is gone when it loads it.
    if !cmd.writes && ctx.conn.is_autocommit() {
        ctx.conn.execute_batch("BEGIN DEFERRED")?;
        let out = (cmd.run)(ctx, args);
        let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
        ctx.conn.execute_batch(end)?;
        return out;
    }
    (cmd.run)(ctx, args)
}

/// Refuses a field the command does not take (by its documented shape), naming it: a
/// misspelt `taxrate` never silently becomes the default rate.
fn known_fields_only(cmd: &Command, args: &Value) -> Result<()> {
    use crate::shape::Shape;
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static SHAPES: OnceLock<HashMap<&'static str, Shape>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| COMMANDS.iter().map(|c| (c.name, Shape::parse(&c.args()))).collect());
    let lookup = |name: &str| shapes.get(name).cloned();
    shapes.get(cmd.name).map_or(Ok(()), |s| s.check(args, &lookup))
}

/// Runs a command that needs no database (catalogues, currencies), so the UI can explain a
/// database that failed to open in the user's language. `None` for every other command.
pub fn call_stateless(name: &str, args: &Value) -> Option<Result<Value>> {
    let run: fn(&Args) -> Result<Value> = match name {
        "get_catalogue" => catalogue_json,
        "list_currencies" => |_| Ok(currencies_json()),
        "check_identifier" => identifier_json,
        _ => return None,
    };
    let cmd = find(name)?;
    Some(Args::new(args).and_then(|a| known_fields_only(cmd, args).and_then(|_| run(&a))))
}

/// `esep-cli commands` output: every command with its arguments.
pub fn describe() -> Value {
    Value::Array(COMMANDS.iter().map(|c| json!({"name": c.name, "writes": c.writes, "args": c.args(), "summary": c.summary})).collect())
}

fn app_status(ctx: &mut Ctx, args: &Args) -> Result<Value> {
    // The app checks the books on a second connection in the background (a large shop takes
    // seconds); `check: false` leaves it out here.
    let problems = if args.opt_bool("check")?.unwrap_or(true) { Some(audit::check(ctx.conn)?) } else { None };
    Ok(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "schemaVersion": crate::db::SCHEMA_VERSION,
        "today": ctx.today.to_string(),
        "profileReady": profile::load(ctx.conn)?.is_some(),
        "booksOk": problems.as_ref().map(Vec::is_empty),
        "problems": problems,
    }))
}

fn get_catalogue(_ctx: &mut Ctx, args: &Args) -> Result<Value> {
    catalogue_json(args)
}

fn catalogue_json(args: &Args) -> Result<Value> {
    let lang = args.opt_choice("language", Lang::CODES)?.and_then(Lang::parse).unwrap_or(Lang::En);
    serde_json::from_str(i18n::catalogue_source(lang)).map_err(|e| Error::Internal(e.to_string()))
}

fn list_currencies(_ctx: &mut Ctx, _args: &Args) -> Result<Value> {
    Ok(currencies_json())
}

fn check_identifier(_ctx: &mut Ctx, args: &Args) -> Result<Value> {
    identifier_json(args)
}

/// `{ok, message}` for one identifier: the rules of `crate::ids`, the error key saving gives.
fn identifier_json(args: &Args) -> Result<Value> {
    use crate::ids;
    let kind = args.opt_choice("kind", &["bin", "iban", "bic", "kbe", "knp", "email"])?.ok_or_else(|| Error::invalid("kind", "error.required"))?;
    let value = args.text("value", crate::args::MAX_NAME)?;
    // A customer's tax ID is a БИН/ИИН only in Kazakhstan (as saving checks it).
    let abroad = args.opt_string("country", crate::args::MAX_NAME)?.is_some_and(|c| !ids::is_kazakhstan(&c));
    let (ok, key) = match kind {
        "bin" => (abroad || ids::bin_ok(&value), "error.badBin"),
        "iban" => (!ids::looks_like_iban(&value) || ids::iban_ok(&value), "error.badIban"),
        "bic" => (ids::bic_ok(&value), "error.badBic"),
        "kbe" => (ids::kbe_ok(&value), "error.badKbe"),
        "knp" => (ids::knp_ok(&value), "error.badKnp"),
        _ => (ids::email_ok(&value), "error.badEmail"),
    };
    // Empty is fine: every identifier is optional.
    let ok = ok || value.is_empty();
    Ok(json!({"ok": ok, "message": if ok { None } else { Some(key) }}))
}

fn currencies_json() -> Value {
    Value::Array(Currency::all().map(|c| json!({"code": c.code, "minorUnits": c.minor_units, "symbol": c.symbol})).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_list_and_the_command_table_agree() {
        let table: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(table, COMMAND_NAMES, "command_names.in and api::COMMANDS must list the same commands in the same order");
    }

    #[test]
    fn a_typed_commands_shape_comes_from_its_request_type() {
        let c = find("record_charge").unwrap();
        assert_eq!(c.args(), "{customerId, serviceDate, description, quantity?, unit?, unitPrice, taxRate?}");
        assert!(find("list_unbilled").unwrap().request_schema().is_some());
    }

    #[test]
    fn unknown_commands_are_not_found() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut ctx = Ctx::new(&mut conn, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        let e = call(&mut ctx, "drop_tables", &json!({})).unwrap_err();
        assert_eq!((e.code(), e.field()), ("not_found", Some("command")));
    }
}
