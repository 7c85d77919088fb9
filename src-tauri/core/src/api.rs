//! The command surface: one table of commands shared by the Tauri app and `esep-cli`.
//!
//! Every command is a typed function `fn(&mut Ctx, Request) -> Result<View>`: the request a
//! struct read from a JSON object (`req.rs`), the view a `Serialize` struct (amounts as decimal
//! strings, ids as numbers), or an [`Error`]. Adding a command here exposes it in both front
//! ends (the shell's build script reads the names from this table's `typed!` lines).

use crate::books::{
    self, acts, advances, audit, bank, charges, corrections, customer_page, customers, invoices,
    journal, payments, profile, quotes, recurring, reminders, reports, transfer, Ctx,
};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::money::Currency;
use crate::req::{Name, NoArgs, Text};
use schemars::schema::RootSchema;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The command names, in the table's order.
pub fn command_names() -> Vec<&'static str> {
    COMMANDS.iter().map(|c| c.name).collect()
}

type Handler = fn(&mut Ctx, &Value) -> Result<Value>;

/// A command: its name, whether it writes, its request type's schema and its handler.
pub struct Command {
    pub name: &'static str,
    pub writes: bool,
    pub summary: &'static str,
    request: fn() -> RootSchema,
    run: Handler,
}

impl Command {
    /// The arguments as `esep-cli commands` prints them (`{customerId, note?, kind: a|b}`),
    /// rendered from the request type.
    pub fn args(&self) -> String {
        crate::shape::render(&(self.request)())
    }

    /// The request's JSON Schema.
    pub fn request_schema(&self) -> RootSchema {
        (self.request)()
    }
}

/// A command: `fn(&mut Ctx, Request) -> Result<View>`; the request type gives its shape.
macro_rules! typed {
    ($name:literal, $writes:expr, $summary:literal, $run:path) => {
        Command {
            name: $name,
            writes: $writes,
            summary: $summary,
            request: {
                fn schema() -> RootSchema {
                    request_schema($run)
                }
                schema
            },
            run: {
                fn run(ctx: &mut Ctx, v: &Value) -> Result<Value> {
                    invoke(ctx, v, $run)
                }
                run
            },
        }
    };
}

fn invoke<R: DeserializeOwned, V: Serialize>(
    ctx: &mut Ctx,
    args: &Value,
    op: fn(&mut Ctx, R) -> Result<V>,
) -> Result<Value> {
    let request = crate::req::parse::<R>(args)?;
    books::to_value(&op(ctx, request)?)
}

/// The JSON Schema of a handler's request type.
pub fn request_schema<R: JsonSchema, V>(_: fn(&mut Ctx, R) -> Result<V>) -> RootSchema {
    crate::req::schema_of::<R>()
}

/// Every command.
pub static COMMANDS: &[Command] = &[
    typed!("app_status", false, "Schema version, today's date, whether the profile is set up, and (unless check: false) the books' health", app_status),
    typed!("get_catalogue", false, "The message catalogue of a language", get_catalogue),
    typed!("get_profile", false, "The business profile, or null before setup", profile::get),
    typed!("save_profile", true, "Create or replace the business profile", profile::save),
    typed!("save_envelope", true, "The window envelope and the printer offset in mm (from the calibration page)", profile::save_envelope),
    typed!(
        "set_logo",
        true,
        "Store the business logo, or the signer's signature or the seal (PNG or JPEG, at most 512 KB); without data, remove it",
        profile::set_logo
    ),
    typed!("list_currencies", false, "ISO 4217 currencies with their minor units", list_currencies),
    typed!(
        "check_identifier",
        false,
        "Whether an identifier is well formed (as the form is typed): {ok, message}, by the same rules saving applies",
        check_identifier
    ),
    typed!("list_terms", false, "Payment terms (presets and own) with their sentences", books::terms::list),
    typed!("save_terms", true, "Create or change user-defined payment terms", books::terms::save),
    typed!("get_series", false, "Number series: format, next number", profile::get_series),
    typed!("set_series", true, "Number format; starting number while unused", profile::set_series),
    typed!("create_customer", true, "Add a customer", customers::create),
    typed!("update_customer", true, "Change a customer", customers::update),
    typed!("get_customer", false, "A customer with balance, invoices and unbilled charges", customer_page::get),
    typed!("search_customers", false, "Find customers by name (prefix, then substring)", customers::search),
    typed!("archive_customer", true, "Archive (or restore) a customer", customers::archive),
    typed!("delete_customer", true, "Delete a customer without history", customers::delete),
    typed!("set_opening_balance", true, "What the customer owed when the shop moved in", customers::set_opening_balance),
    typed!("record_charge", true, "Record a service or charge before invoicing", charges::record),
    typed!("update_charge", true, "Change an unbilled charge", charges::update),
    typed!("delete_charge", true, "Delete an unbilled charge", charges::delete),
    typed!("list_unbilled", false, "Unbilled charges, oldest first, with ages", charges::list_unbilled),
    typed!("create_invoice", true, "Create a draft invoice", invoices::create),
    typed!("update_invoice", true, "Replace a draft's content", invoices::update),
    typed!("delete_invoice", true, "Delete a draft", invoices::delete),
    typed!(
        "document_layout",
        false,
        "The laid-out pages of a document (mm, measured text) for the preview; drafts show as DRAFT",
        books::documents::layout_preview
    ),
    typed!("preview_invoice", false, "Live totals of a draft, nothing written", invoices::preview),
    typed!("get_invoice", false, "One invoice with lines, totals, due date and sending log", invoices::get),
    typed!("list_invoices", false, "A page of invoices", invoices::list),
    typed!("issue_invoice", true, "Issue a draft: next gapless number, posted to the books, immutable", invoices::issue),
    typed!("record_sending", true, "Log that an invoice was mailed, emailed, saved or received", invoices::record_sending),
    typed!("get_journal", false, "Journal entries with postings", journal::get),
    typed!("trial_balance", false, "Balances per account and currency", journal::trial_balance),
    typed!("check_books", false, "Every violated invariant of the books", audit::check_books),
    typed!("record_payment", true, "Record a payment: oldest due first, or as chosen; surplus becomes credit; discrepancies recorded", payments::record),
    typed!("suggest_allocation", false, "How a payment would be allocated, nothing written", payments::suggest),
    typed!("get_payment", false, "A payment with allocations, discrepancy and settled invoices", payments::get),
    typed!("list_payments", false, "Payments, newest first", payments::list),
    typed!("list_discrepancies", false, "Payments that did not match what was due", payments::discrepancies),
    typed!("apply_credit", true, "Use a customer's credit on open invoices", payments::apply_credit),
    typed!("reverse_payment", true, "Take back a mistyped payment by a reversing entry (with the reason); what it settled is open again", payments::reverse),
    typed!("refund_credit", true, "Pay a customer's credit back", payments::refund),
    typed!("create_credit_note", true, "Credit (part of) an issued invoice; own gapless series", corrections::create_credit_note),
    typed!("get_credit_note", false, "One credit note", corrections::get_credit_note),
    typed!("create_act", true, "The act of completed works (form Р-1) for an issued invoice or a selection of one customer's services: numbered, frozen; one per invoice", acts::create),
    typed!("get_act", false, "One act of completed works with its frozen content", acts::get),
    typed!("list_acts", false, "The acts made for an invoice or a customer, with their sending logs", acts::list),
    typed!("record_act_sending", true, "Log that an act left the shop, or that its signed copy came back", acts::record_sending),
    typed!("invoice_history", false, "An invoice's whole life in date order, each event with the document to print again", books::history::invoice_history),
    typed!("write_off", true, "Write off a bad debt", corrections::write_off),
    typed!("get_reminder_settings", false, "Grace days, spacing, late fee, texts", reminders::get_settings),
    typed!("save_reminder_settings", true, "Change the reminder settings", reminders::save_settings),
    typed!("list_to_send", false, "Invoices to mail and reminders due today, by customer (a page of customers)", reminders::to_send),
    typed!("record_reminder", true, "Record the next reminder of an overdue invoice", reminders::record),
    typed!("list_reminders", false, "Reminders sent for an invoice", reminders::list),
    typed!("statement", false, "Statement of account for a period", reports::statement),
    typed!("ageing", false, "What is open, by days past due, per customer (all, or a page)", reports::ageing),
    typed!("dashboard", false, "Outstanding, overdue, collected, unbilled, reminders, revenue by month", reports::dashboard),
    typed!("export_journal", false, "The journal as an hledger file or CSV", reports::export_journal),
    typed!("import_preview", false, "Read a CSV file: detected format, column mapping, every row's problems; nothing written", transfer::preview),
    typed!("import_csv", true, "Import customers (with opening balances) or unbilled services: all rows or none", transfer::import),
    typed!("export_csv", false, "A CSV file (UTF-8 with BOM) for Excel or the accountant", transfer::export),
    typed!(
        "import_statement",
        true,
        "Read a bank statement (1C client-bank exchange, MT940, camt.053, a bank's CSV): lines already there are not added again; autoConfirm confirms exact matches",
        bank::import
    ),
    typed!(
        "read_statement",
        false,
        "What a statement file is before importing it: a CSV's columns, the mapping in use (saved for the bank, or from the headers) and its first rows; nothing written",
        bank::read
    ),
    typed!("list_bank_statements", false, "Imported statements with their balances against their lines and the books' bank account", bank::statements),
    typed!("list_bank_transactions", false, "Bank lines (by default incoming ones to confirm, with what each most likely pays and why)", bank::list),
    typed!("confirm_bank_transaction", true, "An incoming bank line becomes the customer's payment (oldest due first without allocations)", bank::confirm),
    typed!("set_aside_bank_transaction", true, "A bank line that is not a customer payment, with the reason", bank::set_aside),
    typed!("restore_bank_transaction", true, "Put a set-aside bank line back to be confirmed", bank::restore),
    typed!("save_recurring", true, "Create or change a recurring invoice schedule (changes apply from the next period)", recurring::save),
    typed!("list_recurring", false, "Recurring schedules with their next date and the drafts they made", recurring::list),
    typed!("get_recurring", false, "One recurring schedule", recurring::get),
    typed!("pause_recurring", true, "Pause a schedule (its periods are skipped) or resume it", recurring::pause),
    typed!("end_recurring", true, "No period after today (a schedule that made nothing is removed)", recurring::end),
    typed!("save_quote", true, "Create or change a draft quote (a commercial offer): posts nothing", quotes::save),
    typed!("issue_quote", true, "Number a quote or a prepayment request (each its own gapless series); a quote is valid 30 days, a request payable in 10, unless said", quotes::issue),
    typed!("get_quote", false, "One quote with lines, totals and its state (expired past its validity)", quotes::get),
    typed!("list_quotes", false, "Quotes and prepayment requests, newest first", quotes::list),
    typed!("decide_quote", true, "Log that a quote was sent, or the customer's answer", quotes::decide),
    typed!("quote_to_invoice", true, "An accepted quote becomes a draft invoice with its lines (once)", quotes::to_invoice),
    typed!("delete_quote", true, "Delete a draft quote", quotes::delete),
    typed!("save_prepayment", true, "Create or change a draft prepayment request (a request to pay before the work): posts nothing", quotes::save_prepayment),
    typed!("prepayment_from_quote", true, "An accepted quote becomes a draft prepayment request with its lines (once)", quotes::prepayment_from_quote),
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
    if ctx.conn.engine() == crate::sql::Engine::Postgres && ctx.conn.is_autocommit() {
        return on_server(ctx, cmd, args);
    }
    if !cmd.writes && ctx.conn.is_autocommit() {
        return read(ctx, cmd, args);
    }
    (cmd.run)(ctx, args)
}

/// A read sees one snapshot of the books: another connection (esep-cli beside the app, a test
/// reading while the window writes) may commit between its statements otherwise, and a list
/// could name a row that is gone when it loads it.
fn read(ctx: &mut Ctx, cmd: &Command, args: &Value) -> Result<Value> {
    ctx.conn.begin_read()?;
    let out = (cmd.run)(ctx, args);
    ctx.conn.end_read()?;
    out
}

/// How many times a write is tried on PostgreSQL before the user is told the books are busy.
const SERIALIZATION_ATTEMPTS: u32 = 12;

/// The waits before a command on shared books is run again after the connection was lost
/// before anything of it was written (the next attempt connects again), ...
const RECONNECT_WAITS_MS: [u64; 4] = [0, 250, 1000, 2000];
/// ... as long as the command has not been at it this long: then the server is unreachable.
const RECONNECT_FOR: std::time::Duration = std::time::Duration::from_secs(4);

/// A command on shared books.
///
/// A write: the server runs every writing transaction SERIALIZABLE, so two desktops issuing
/// at once behave as if one had gone first; the one the server picked to fail (serialization
/// failure, deadlock) is run again from the start, after a short wait that grows. It wrote
/// nothing (its transaction rolled back), so running it again is safe, and a number series
/// never gets a gap.
///
/// A lost connection (the server restarted, the session terminated, the network down): a
/// command that lost it before anything of it could be in the books — a read, a write whose
/// transaction had not sent its COMMIT, or whose COMMIT the server says was rolled back — is
/// run again on a new connection for a few seconds, then reported as `error.serverUnreachable`
/// (nothing saved). A write that may have been committed is never run again (a payment would
/// be recorded twice): its COMMIT is looked up on a new connection (`sql::pg`), and when the
/// server cannot say, or part of the command was already in the books (a transaction it
/// committed, a statement that commits by itself), the user is told it may have been saved
/// (`error.serverLostWhileSaving`).
fn on_server(ctx: &mut Ctx, cmd: &Command, args: &Value) -> Result<Value> {
    let started = std::time::Instant::now();
    let (mut attempt, mut reconnects) = (0, 0);
    loop {
        let made = ctx.conn.writes_made();
        let out = if cmd.writes {
            (cmd.run)(ctx, args)
        } else {
            read(ctx, cmd, args)
        };
        // Part of the command may be in the books (a transaction committed, a statement that
        // commits by itself): it is never run again.
        let wrote = ctx.conn.writes_made() != made;
        match out {
            Err(Error::Db(e))
                if e.is_retryable() && !wrote && attempt + 1 < SERIALIZATION_ATTEMPTS =>
            {
                attempt += 1;
                // 1, 2, 4 … 64 ms, plus a spread from the clock so retries do not meet again.
                let base = 1u64 << attempt.min(6);
                let spread = u64::from(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.subsec_nanos())
                        .unwrap_or(0),
                ) % (base + 1);
                std::thread::sleep(std::time::Duration::from_millis(base + spread));
            }
            Err(Error::Db(e)) if e.is_unreachable() && !e.is_outcome_unknown() => {
                if wrote {
                    return Err(Error::Db(crate::sql::Error::OutcomeUnknown));
                }
                match RECONNECT_WAITS_MS.get(reconnects) {
                    Some(&ms) if started.elapsed() < RECONNECT_FOR => {
                        reconnects += 1;
                        std::thread::sleep(std::time::Duration::from_millis(ms));
                    }
                    _ => return Err(Error::Db(e)),
                }
            }
            out => return out,
        }
    }
}

/// Refuses a field the command does not take (by its documented shape), naming it: a
/// misspelt `taxrate` never silently becomes the default rate.
fn known_fields_only(cmd: &Command, args: &Value) -> Result<()> {
    use crate::shape::Shape;
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static SHAPES: OnceLock<HashMap<&'static str, Shape>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| {
        COMMANDS
            .iter()
            .map(|c| (c.name, Shape::parse(&c.args())))
            .collect()
    });
    let lookup = |name: &str| shapes.get(name).cloned();
    shapes
        .get(cmd.name)
        .map_or(Ok(()), |s| s.check(args, &lookup))
}

/// Runs a command that needs no database (catalogues, currencies), so the UI can explain a
/// database that failed to open in the user's language. `None` for every other command. The
/// arguments are read as the same typed requests the command table reads.
pub fn call_stateless(name: &str, args: &Value) -> Option<Result<Value>> {
    let run: fn(&Value) -> Result<Value> = match name {
        "get_catalogue" => |v| stateless(v, catalogue),
        "list_currencies" => |v| stateless(v, |_: NoArgs| Ok(currencies())),
        "check_identifier" => |v| stateless(v, identifier),
        _ => return None,
    };
    let cmd = find(name)?;
    Some(known_fields_only(cmd, args).and_then(|_| run(args)))
}

fn stateless<R: DeserializeOwned, V: Serialize>(
    args: &Value,
    op: fn(R) -> Result<V>,
) -> Result<Value> {
    books::to_value(&op(crate::req::parse::<R>(args)?)?)
}

/// `esep-cli commands` output: every command with its arguments.
pub fn describe() -> Value {
    Value::Array(COMMANDS.iter().map(|c| json!({"name": c.name, "writes": c.writes, "args": c.args(), "summary": c.summary})).collect())
}

/// `app_status`: what the window needs to know on opening.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// Check the books too (true when left out; the app checks them in the background).
    pub check: Option<bool>,
}

/// The app's and the books' state.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    pub version: &'static str,
    pub schema_version: i64,
    pub today: String,
    pub profile_ready: bool,
    /// `null` when not checked.
    pub books_ok: Option<bool>,
    pub problems: Option<Vec<audit::Problem>>,
}

fn app_status(ctx: &mut Ctx, req: AppStatus) -> Result<StatusView> {
    // The app checks the books on a second connection in the background (a large shop takes
    // seconds); `check: false` leaves it out here.
    let problems = if req.check.unwrap_or(true) {
        Some(audit::check(ctx.conn)?)
    } else {
        None
    };
    Ok(StatusView {
        version: env!("CARGO_PKG_VERSION"),
        schema_version: crate::db::SCHEMA_VERSION,
        today: ctx.today.to_string(),
        profile_ready: profile::load(ctx.conn)?.is_some(),
        books_ok: problems.as_ref().map(Vec::is_empty),
        problems,
    })
}

/// `get_catalogue`: one language's messages.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCatalogue {
    /// English when left out.
    pub language: Option<Lang>,
}

fn get_catalogue(_ctx: &mut Ctx, req: GetCatalogue) -> Result<Value> {
    catalogue(req)
}

/// The catalogue is the locale file itself, as it is (a free map of keys to texts).
fn catalogue(req: GetCatalogue) -> Result<Value> {
    let lang = req.language.unwrap_or(Lang::En);
    serde_json::from_str(i18n::catalogue_source(lang)).map_err(|e| Error::Internal(e.to_string()))
}

/// A currency with its minor units and symbol.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyView {
    pub code: &'static str,
    pub minor_units: u32,
    /// As documents print it (`₸`, `сом`); the window formats amounts from this table too.
    pub symbol: &'static str,
    /// Written before the amount in English (`$1.00`), after it otherwise (`1,00 ₸`).
    pub symbol_first_in_english: bool,
}

fn list_currencies(_ctx: &mut Ctx, _req: NoArgs) -> Result<Vec<CurrencyView>> {
    Ok(currencies())
}

fn currencies() -> Vec<CurrencyView> {
    Currency::all()
        .map(|c| CurrencyView {
            code: c.code,
            minor_units: c.minor_units,
            symbol: c.symbol,
            symbol_first_in_english: crate::format::symbol_first(Lang::En, c.code),
        })
        .collect()
}

/// The identifiers a form checks as they are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Bin,
    Iban,
    Bic,
    Kbe,
    Knp,
    Email,
}

/// `check_identifier`: one identifier as typed so far.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckIdentifier {
    pub kind: IdentifierKind,
    /// Empty is fine: every identifier is optional.
    pub value: Option<Name>,
    /// A customer's tax ID is a БИН/ИИН only in Kazakhstan.
    pub country: Option<Name>,
}

/// Whether an identifier is well formed, and the error key saving would give if not.
#[derive(Debug, Serialize)]
pub struct IdentifierCheck {
    pub ok: bool,
    pub message: Option<&'static str>,
}

fn check_identifier(_ctx: &mut Ctx, req: CheckIdentifier) -> Result<IdentifierCheck> {
    identifier(req)
}

/// `{ok, message}` for one identifier: the rules of `crate::ids`, the error key saving gives.
fn identifier(req: CheckIdentifier) -> Result<IdentifierCheck> {
    use crate::ids;
    let value = req.value.map(Text::into_string).unwrap_or_default();
    // A customer's tax ID is a БИН/ИИН only in Kazakhstan (as saving checks it).
    let abroad = req.country.is_some_and(|c| !ids::is_kazakhstan(&c));
    let (ok, key) = match req.kind {
        IdentifierKind::Bin => (abroad || ids::bin_ok(&value), "error.badBin"),
        IdentifierKind::Iban => (
            !ids::looks_like_iban(&value) || ids::iban_ok(&value),
            "error.badIban",
        ),
        IdentifierKind::Bic => (ids::bic_ok(&value), "error.badBic"),
        IdentifierKind::Kbe => (ids::kbe_ok(&value), "error.badKbe"),
        IdentifierKind::Knp => (ids::knp_ok(&value), "error.badKnp"),
        IdentifierKind::Email => (ids::email_ok(&value), "error.badEmail"),
    };
    // Empty is fine: every identifier is optional.
    let ok = ok || value.is_empty();
    Ok(IdentifierCheck {
        ok,
        message: if ok { None } else { Some(key) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_commands_shape_comes_from_its_request_type() {
        let c = find("record_charge").unwrap();
        assert_eq!(
            c.args(),
            "{customerId, serviceDate, description, quantity?, unit?, unitPrice, taxRate?}"
        );
        assert!(find("list_unbilled")
            .unwrap()
            .request_schema()
            .schema
            .object
            .is_some());
    }

    #[test]
    fn stateless_commands_read_the_same_typed_requests() {
        let ok = call_stateless(
            "check_identifier",
            &json!({"kind": "bin", "value": "900101300123"}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(ok, json!({"ok": false, "message": "error.badBin"}));
        let ok = call_stateless(
            "check_identifier",
            &json!({"kind": "bin", "value": "123", "country": "Germany"}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            ok,
            json!({"ok": true, "message": null}),
            "a tax ID abroad is not a БИН"
        );
        let e = call_stateless("check_identifier", &json!({"kind": "vat", "value": "1"}))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("kind"), "error.badChoice")
        );
        let e = call_stateless("check_identifier", &json!({"value": "1"}))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("kind"), "error.required")
        );
        let e = call_stateless("get_catalogue", &json!({"lang": "kk"}))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("lang"), "error.unknownField")
        );
        let e = call_stateless("get_catalogue", &json!([1]))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("args"), "error.argsNotObject")
        );
        let kk = call_stateless("get_catalogue", &json!({"language": "kk"}))
            .unwrap()
            .unwrap();
        assert_eq!(
            kk,
            serde_json::from_str::<Value>(i18n::catalogue_source(Lang::Kk)).unwrap()
        );
        let currencies = call_stateless("list_currencies", &Value::Null)
            .unwrap()
            .unwrap();
        assert!(currencies.as_array().unwrap().iter().any(|c| c == &json!({"code": "KZT", "minorUnits": 2, "symbol": "₸", "symbolFirstInEnglish": false})));
        assert!(call_stateless("get_profile", &json!({})).is_none());
    }

    #[test]
    fn unknown_commands_are_not_found() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut ctx = Ctx::new(
            &mut conn,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        );
        let e = call(&mut ctx, "drop_tables", &json!({})).unwrap_err();
        assert_eq!((e.code(), e.field()), ("not_found", Some("command")));
    }
}
