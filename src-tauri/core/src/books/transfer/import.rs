//! CSV import of customers (with opening balances) and of unbilled services: one analysis for
//! the preview and the import, which writes all rows or none.

use crate::args::Args;
use crate::books::{charges, customers, fold, Ctx};
use crate::csvfile::normalize::{
    normalize_currency, normalize_date, normalize_language, normalize_number, vote, Vote,
};
use crate::csvfile::{
    decode, detect_delimiter, header_key, read_table, DateOrder, DecimalSeparator, Delimiter,
    Encoding,
};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::req::{Date, Int, Text};
use crate::sql::TransactionBehavior;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// The largest file accepted (bytes, before decoding).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// Rows returned in a preview (every row is still checked).
pub const PREVIEW_ROWS: usize = 100;
/// Problems returned in a preview (all are counted).
pub const MAX_PROBLEMS: usize = 500;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Customers, with opening balances.
    Customers,
    /// Unbilled services.
    Charges,
}

/// `import_preview` and `import_csv`: a CSV file and how to read it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportCsv {
    pub kind: ImportKind,
    /// The file, base64 (at most 32 MB).
    pub data_base64: Text<{ MAX_FILE_BYTES / 3 * 4 + 8 }>,
    /// The column (from 0) of each field; without it, columns are found from the headers.
    pub mapping: Option<BTreeMap<String, Int<0, { i64::MAX }>>>,
    /// Detected from the header line when left out.
    pub delimiter: Option<Delimiter>,
    pub encoding: Option<Encoding>,
    /// What the file's amounts agree on when left out.
    pub decimal_separator: Option<DecimalSeparator>,
    pub date_order: Option<DateOrder>,
    /// The date of opening balances without their own (today when left out).
    pub as_of: Option<Date>,
}

/// `import_csv` takes what `import_preview` takes.
pub type ImportPreview = ImportCsv;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    Date,
    Currency,
    Language,
}

/// One importable field: the JSON key the command uses, and header names that map to it.
struct FieldSpec {
    key: &'static str,
    required: bool,
    kind: Kind,
    aliases: &'static [&'static str],
}

const fn spec(
    key: &'static str,
    required: bool,
    kind: Kind,
    aliases: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        key,
        required,
        kind,
        aliases,
    }
}

const CUSTOMER_FIELDS: &[FieldSpec] = &[
    spec(
        "name",
        true,
        Kind::Text,
        &[
            "name",
            "customer",
            "client",
            "company",
            "наименование",
            "название",
            "имя",
            "клиент",
            "покупатель",
            "контрагент",
            "атауы",
            "аты",
            "тапсырыс беруші",
            "сатып алушы",
        ],
    ),
    spec(
        "contactPerson",
        false,
        Kind::Text,
        &[
            "contact_person",
            "contact",
            "контактное лицо",
            "контакт",
            "байланыс тұлғасы",
        ],
    ),
    spec(
        "address",
        false,
        Kind::Text,
        &["address", "адрес", "мекенжай"],
    ),
    spec("country", false, Kind::Text, &["country", "страна", "ел"]),
    spec(
        "email",
        false,
        Kind::Text,
        &[
            "email",
            "e-mail",
            "почта",
            "электронная почта",
            "эл. почта",
            "электрондық пошта",
        ],
    ),
    spec(
        "phone",
        false,
        Kind::Text,
        &["phone", "telephone", "телефон", "тел"],
    ),
    spec(
        "taxId",
        false,
        Kind::Text,
        &[
            "tax_id", "bin", "iin", "inn", "vat", "бин", "иин", "инн", "бсн", "жсн",
        ],
    ),
    spec(
        "currency",
        false,
        Kind::Currency,
        &["currency", "валюта", "валютасы"],
    ),
    spec(
        "language",
        false,
        Kind::Language,
        &["language", "язык", "тіл", "тілі"],
    ),
    spec(
        "transitDays",
        false,
        Kind::Text,
        &[
            "transit_days",
            "postal days",
            "дни доставки",
            "жеткізу күндері",
        ],
    ),
    spec(
        "notes",
        false,
        Kind::Text,
        &[
            "notes",
            "note",
            "comment",
            "примечание",
            "комментарий",
            "ескертпе",
            "түсініктеме",
        ],
    ),
    spec(
        "openingBalance",
        false,
        Kind::Number,
        &[
            "opening_balance",
            "balance",
            "owes",
            "debt",
            "сальдо",
            "остаток",
            "долг",
            "баланс",
            "қалдық",
            "қарыз",
        ],
    ),
    spec(
        "openingDate",
        false,
        Kind::Date,
        &[
            "opening_date",
            "as_of",
            "balance date",
            "дата сальдо",
            "на дату",
            "қалдық күні",
        ],
    ),
];

const CHARGE_FIELDS: &[FieldSpec] = &[
    spec(
        "customer",
        true,
        Kind::Text,
        &[
            "customer",
            "client",
            "name",
            "клиент",
            "покупатель",
            "контрагент",
            "тапсырыс беруші",
            "клиенттің аты",
        ],
    ),
    spec(
        "serviceDate",
        true,
        Kind::Date,
        &[
            "service_date",
            "date",
            "дата",
            "дата услуги",
            "күні",
            "қызмет күні",
        ],
    ),
    spec(
        "description",
        true,
        Kind::Text,
        &[
            "description",
            "service",
            "item",
            "описание",
            "услуга",
            "наименование",
            "сипаттама",
            "қызмет",
        ],
    ),
    spec(
        "quantity",
        false,
        Kind::Number,
        &["quantity", "qty", "количество", "кол-во", "саны"],
    ),
    spec(
        "unit",
        false,
        Kind::Text,
        &[
            "unit",
            "единица",
            "ед",
            "ед. изм.",
            "өлшем бірлігі",
            "бірлік",
        ],
    ),
    spec(
        "unitPrice",
        true,
        Kind::Number,
        &[
            "unit_price",
            "price",
            "amount",
            "цена",
            "сумма",
            "стоимость",
            "бағасы",
            "сомасы",
        ],
    ),
    spec(
        "taxRate",
        false,
        Kind::Number,
        &["tax_rate", "vat %", "tax", "ндс", "ставка ндс", "ққс"],
    ),
];

fn fields_of(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Charges => CHARGE_FIELDS,
        ImportKind::Customers => CUSTOMER_FIELDS,
    }
}

// ---------------------------------------------------------------------------------------
// Analysis

/// One problem of one row, with the field (JSON key), the column header and a message key.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub line: u64,
    pub field: String,
    pub column: String,
    /// The message key.
    #[serde(rename = "message")]
    pub key: &'static str,
    /// The cell as read (at most 80 characters).
    pub value: String,
}

enum Prepared {
    Customer {
        fields: customers::Fields,
        opening: Option<(i64, NaiveDate)>,
    },
    Charge {
        customer_id: i64,
        currency: Currency,
        fields: charges::ChargeFields,
    },
}

struct Analysis {
    kind: ImportKind,
    encoding: &'static str,
    delimiter: u8,
    headers: Vec<String>,
    mapping: Vec<Option<usize>>,
    decimal: Option<char>,
    needs_decimal_choice: bool,
    preview: Vec<PreviewRow>,
    problems: Vec<Problem>,
    prepared: Vec<Prepared>,
    rows: usize,
}

fn analyse(ctx: &Ctx, req: &ImportCsv) -> Result<Analysis> {
    let kind = req.kind;
    let bytes = crate::books::profile::base64_decode(&req.data_base64)
        .ok_or_else(|| Error::invalid("dataBase64", "error.csv.unreadable"))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::invalid("dataBase64", "error.tooLarge"));
    }
    let (text, encoding) = decode(&bytes, req.encoding.and_then(Encoding::forced))?;
    let delimiter = match req.delimiter {
        Some(d) => d.byte(),
        None => detect_delimiter(&text),
    };
    let mdy = req.date_order == Some(DateOrder::Mdy);
    let table = read_table(&text, delimiter)?;
    let specs = fields_of(kind);

    // Column mapping: from the caller, else from the headers.
    let mapping: Vec<Option<usize>> = match &req.mapping {
        Some(m) => specs
            .iter()
            .map(|s| match m.get(s.key) {
                Some(i) if i.0 >= table.headers.len() as i64 => Err(Error::invalid(
                    format!("mapping.{}", s.key),
                    "error.outOfRange",
                )),
                Some(i) => Ok(Some(i.0 as usize)),
                None => Ok(None),
            })
            .collect::<Result<_>>()?,
        None => {
            let keys: Vec<String> = table.headers.iter().map(|h| header_key(h)).collect();
            let mut used = vec![false; keys.len()];
            let mut out = Vec::new();
            for s in specs {
                let wanted: Vec<String> = std::iter::once(s.key)
                    .chain(s.aliases.iter().copied())
                    .map(header_key)
                    .collect();
                let found = wanted.iter().find_map(|w| {
                    keys.iter()
                        .enumerate()
                        .position(|(i, k)| !used[i] && k == w)
                });
                if let Some(i) = found {
                    used[i] = true;
                }
                out.push(found);
            }
            out
        }
    };

    let mut problems = Vec::new();
    for (s, m) in specs.iter().zip(&mapping) {
        if s.required && m.is_none() {
            problems.push(Problem {
                line: 1,
                field: s.key.into(),
                column: String::new(),
                key: "error.csv.columnMissing",
                value: String::new(),
            });
        }
    }

    // The decimal separator: the caller's choice, else what the file's amounts agree on.
    let chosen = req.decimal_separator.map(DecimalSeparator::char);
    let number_cols: Vec<usize> = specs
        .iter()
        .zip(&mapping)
        .filter(|(s, _)| s.kind == Kind::Number)
        .filter_map(|(_, m)| *m)
        .collect();
    let (mut commas, mut dots, mut ambiguous) = (0usize, 0usize, 0usize);
    for (_, cells) in &table.rows {
        for &c in &number_cols {
            match cells.get(c).map(|v| vote(v)) {
                Some(Vote::DecimalComma) => commas += 1,
                Some(Vote::DecimalDot) => dots += 1,
                Some(Vote::Ambiguous) => ambiguous += 1,
                _ => {}
            }
        }
    }
    let decimal = chosen.or(match (commas, dots) {
        (0, 0) => None,
        (c, d) if c >= d => Some(','),
        _ => Some('.'),
    });
    let needs_decimal_choice = decimal.is_none() && ambiguous > 0;

    let existing = existing_names(ctx)?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let default_date = req.as_of.map_or(ctx.today, |d| d.0);
    let mut prepared = Vec::new();
    let mut preview = Vec::new();
    for (line, cells) in &table.rows {
        let line = *line;
        let mut row_problems = Vec::new();
        let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
        for (s, m) in specs.iter().zip(&mapping) {
            let Some(raw) = m.and_then(|i| cells.get(i)).filter(|v| !v.is_empty()) else {
                continue;
            };
            let column = m.map(|i| table.headers[i].clone()).unwrap_or_default();
            let problem = |key| Problem {
                line,
                field: s.key.into(),
                column: column.clone(),
                key,
                value: raw.chars().take(80).collect(),
            };
            let converted = match s.kind {
                Kind::Text => Ok(raw.clone()),
                Kind::Currency => Ok(normalize_currency(raw)),
                Kind::Language => Ok(normalize_language(raw)),
                Kind::Date => normalize_date(raw, mdy)
                    .map(|d| d.to_string())
                    .ok_or("error.badDate"),
                Kind::Number => match (vote(raw), decimal) {
                    (Vote::Ambiguous, None) => Err("error.csv.ambiguousDecimal"),
                    (Vote::DecimalComma, Some('.')) | (Vote::DecimalDot, Some(',')) => {
                        Err("error.csv.mixedDecimal")
                    }
                    (_, d) => normalize_number(raw, d.unwrap_or('.')).ok_or("error.notANumber"),
                },
            };
            match converted {
                Ok(v) => {
                    values.insert(s.key, v);
                }
                Err(key) => row_problems.push(problem(key)),
            }
        }
        let column_of = |field: &str| -> String {
            let base = field.split('.').next().unwrap_or(field);
            specs
                .iter()
                .zip(&mapping)
                .find(|(s, _)| s.key == base)
                .and_then(|(_, m)| m.map(|i| table.headers[i].clone()))
                .unwrap_or_default()
        };
        if row_problems.is_empty() {
            let row = Value::Object(
                values
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
                    .collect::<Map<_, _>>(),
            );
            let checked = match kind {
                ImportKind::Customers => {
                    prepare_customer(ctx, &row, line, default_date, &existing, &mut seen)
                }
                ImportKind::Charges => prepare_charge(ctx, &row, &existing),
            };
            match checked {
                Ok(p) => prepared.push(p),
                Err((field, key)) => {
                    let value = values
                        .get(field.as_str())
                        .map(String::as_str)
                        .unwrap_or("")
                        .chars()
                        .take(80)
                        .collect();
                    row_problems.push(Problem {
                        line,
                        column: column_of(&field),
                        field,
                        key,
                        value,
                    })
                }
            }
        }
        if preview.len() < PREVIEW_ROWS {
            preview.push(PreviewRow {
                line,
                values,
                problems: row_problems.clone(),
            });
        }
        problems.extend(row_problems);
    }
    Ok(Analysis {
        kind,
        encoding,
        delimiter,
        headers: table.headers,
        mapping,
        decimal,
        needs_decimal_choice,
        preview,
        problems,
        prepared,
        rows: table.rows.len(),
    })
}

/// Existing customers by folded name: (id, currency, archived); several when names repeat.
type Names = HashMap<String, Vec<(i64, String, bool)>>;

fn existing_names(ctx: &Ctx) -> Result<Names> {
    let mut out: Names = HashMap::new();
    let mut stmt = ctx
        .conn
        .prepare_cached("SELECT name_fold, id, currency, archived FROM customers")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0));
    }
    Ok(out)
}

type RowCheck = std::result::Result<Prepared, (String, &'static str)>;

fn field_error(e: Error) -> (String, &'static str) {
    match e {
        Error::Validation { field, key } => (field, key),
        Error::NotFound { field } => (field, "error.notFound"),
        other => (String::new(), other.message_key()),
    }
}

/// A customer row: the fields `create_customer` reads (its rules, from the row's cells as
/// JSON), the opening balance and its date.
fn prepare_customer(
    ctx: &Ctx,
    row: &Value,
    line: u64,
    default_date: NaiveDate,
    existing: &Names,
    seen: &mut HashMap<String, u64>,
) -> RowCheck {
    let args = Args::new(row).map_err(field_error)?;
    let fields = customers::fields(
        ctx,
        crate::req::parse::<customers::CreateCustomer>(row).map_err(field_error)?,
    )
    .map_err(field_error)?;
    let key = fold(&fields.name);
    if existing.contains_key(&key) {
        return Err(("name".into(), "error.csv.customerExists"));
    }
    if seen.insert(key, line).is_some() {
        return Err(("name".into(), "error.csv.duplicateName"));
    }
    let currency = Currency::stored(fields.currency).map_err(field_error)?;
    let opening = match args
        .opt_amount("openingBalance", true)
        .map_err(field_error)?
    {
        Some(a) if !a.is_zero() => {
            let minor = currency
                .to_minor(a, "openingBalance")
                .map_err(field_error)?;
            let date = args
                .opt_date("openingDate")
                .map_err(field_error)?
                .unwrap_or(default_date);
            if date > ctx.today {
                return Err(("openingDate".into(), "error.inFuture"));
            }
            Some((minor, date))
        }
        _ => None,
    };
    Ok(Prepared::Customer { fields, opening })
}

/// A service row: the customer by name, then the fields `record_charge` reads.
fn prepare_charge(ctx: &Ctx, row: &Value, existing: &Names) -> RowCheck {
    let name = crate::req::parse::<ChargeRowCustomer>(row)
        .map_err(field_error)?
        .customer
        .into_string();
    let (id, currency, archived) = match existing.get(&fold(&name)).map(Vec::as_slice) {
        None | Some([]) => return Err(("customer".into(), "error.csv.unknownCustomer")),
        Some([one]) => one.clone(),
        Some(_) => return Err(("customer".into(), "error.csv.ambiguousCustomer")),
    };
    if archived {
        return Err(("customer".into(), "error.customerArchived"));
    }
    let currency = Currency::stored(&currency).map_err(field_error)?;
    let input = crate::req::parse::<charges::ChargeInput>(row).map_err(field_error)?;
    let fields = charges::fields(ctx, input, currency).map_err(field_error)?;
    Ok(Prepared::Charge {
        customer_id: id,
        currency,
        fields,
    })
}

/// The one field of a service row read before its customer is known.
#[derive(Deserialize)]
struct ChargeRowCustomer {
    customer: crate::req::Name,
}

/// One importable field and the column it is read from.
#[derive(Debug, Serialize)]
pub struct MappedField {
    pub key: &'static str,
    pub required: bool,
    pub column: Option<usize>,
    pub header: Option<String>,
}

/// One of the first rows of a file, as converted, with its problems.
#[derive(Debug, Serialize)]
pub struct PreviewRow {
    pub line: u64,
    pub values: BTreeMap<&'static str, String>,
    pub problems: Vec<Problem>,
}

/// What `import_preview` answers: the format found, the mapping, every row's problems.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    pub kind: ImportKind,
    pub encoding: &'static str,
    pub delimiter: String,
    /// `null` when the file does not say and none was chosen.
    pub decimal_separator: Option<String>,
    pub needs_decimal_choice: bool,
    pub headers: Vec<String>,
    pub fields: Vec<MappedField>,
    pub row_count: usize,
    pub ready_count: usize,
    pub problem_count: usize,
    /// The first 500 problems (all are counted).
    pub problems: Vec<Problem>,
    /// The first 100 rows.
    pub preview: Vec<PreviewRow>,
    /// Whether `import_csv` would write it.
    pub ready: bool,
}

fn analysis_view(a: Analysis) -> ImportPreviewView {
    let specs = fields_of(a.kind);
    let fields = specs
        .iter()
        .zip(&a.mapping)
        .map(|(s, m)| MappedField {
            key: s.key,
            required: s.required,
            column: *m,
            header: m.map(|i| a.headers[i].clone()),
        })
        .collect();
    let ready = a.problems.is_empty() && !a.needs_decimal_choice && a.rows > 0;
    ImportPreviewView {
        kind: a.kind,
        encoding: a.encoding,
        delimiter: (a.delimiter as char).to_string(),
        decimal_separator: a.decimal.map(|c| c.to_string()),
        needs_decimal_choice: a.needs_decimal_choice,
        headers: a.headers,
        fields,
        row_count: a.rows,
        ready_count: a.prepared.len(),
        problem_count: a.problems.len(),
        problems: a.problems.into_iter().take(MAX_PROBLEMS).collect(),
        preview: a.preview,
        ready,
    }
}

/// `import_preview {kind: customers|charges, dataBase64, mapping?, delimiter?, encoding?, decimalSeparator?, dateOrder?, asOf?}`.
pub fn preview(ctx: &mut Ctx, req: ImportPreview) -> Result<ImportPreviewView> {
    Ok(analysis_view(analyse(ctx, &req)?))
}

/// What `import_csv` wrote.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportDone {
    pub kind: ImportKind,
    pub customers: usize,
    pub opening_balances: usize,
    pub charges: usize,
}

/// `import_csv {same as import_preview}`: writes every row in one transaction, or nothing.
pub fn import(ctx: &mut Ctx, req: ImportCsv) -> Result<ImportDone> {
    let a = analyse(ctx, &req)?;
    if a.needs_decimal_choice {
        return Err(Error::invalid(
            "decimalSeparator",
            "error.csv.ambiguousDecimal",
        ));
    }
    if !a.problems.is_empty() {
        return Err(Error::invalid("file", "error.csv.hasProblems"));
    }
    if a.rows == 0 {
        return Err(Error::invalid("file", "error.csv.empty"));
    }
    let tx = ctx
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (mut customers_n, mut openings, mut charges_n) = (0, 0, 0);
    for p in &a.prepared {
        match p {
            Prepared::Customer { fields, opening } => {
                let exists: bool = tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM customers WHERE name_fold = ?1)")?
                    .query_row([fold(&fields.name)], |r| r.get(0))?;
                if exists {
                    // Someone added the same name between preview and import.
                    return Err(Error::invalid("file", "error.csv.hasProblems"));
                }
                let id = customers::insert(&tx, fields)?;
                customers_n += 1;
                if let Some((minor, date)) = opening {
                    let currency = Currency::stored(fields.currency)?;
                    customers::post_opening(&tx, id, &fields.name, currency, *minor, *date, "CSV")?;
                    openings += 1;
                }
            }
            Prepared::Charge {
                customer_id,
                currency,
                fields,
            } => {
                charges::insert(&tx, *customer_id, *currency, fields)?;
                charges_n += 1;
            }
        }
    }
    tx.commit()?;
    Ok(ImportDone {
        kind: a.kind,
        customers: customers_n,
        opening_balances: openings,
        charges: charges_n,
    })
}
