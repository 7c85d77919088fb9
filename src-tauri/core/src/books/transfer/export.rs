//! CSV exports for Excel and the accountant (UTF-8 with a BOM).

use crate::books::{customers, invoices, Ctx};
use crate::csvfile::{write_csv, Style};
use crate::error::Result;
use crate::money::Currency;
use crate::req::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What a CSV export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Customers,
    Invoices,
    InvoiceLines,
    Payments,
    Ageing,
    Journal,
}

impl ExportKind {
    /// The kind as the file name spells it (`invoice-lines`).
    fn file_part(self) -> &'static str {
        match self {
            ExportKind::Customers => "customers",
            ExportKind::Invoices => "invoices",
            ExportKind::InvoiceLines => "invoice-lines",
            ExportKind::Payments => "payments",
            ExportKind::Ageing => "ageing",
            ExportKind::Journal => "journal",
        }
    }
}

/// An export's delimiter: `,` with decimal points, or `;` with decimal commas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ExportDelimiter {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ";")]
    Semicolon,
}

/// `export_csv`: one CSV file for Excel or the accountant.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportCsv {
    pub kind: ExportKind,
    /// `,` when left out.
    pub delimiter: Option<ExportDelimiter>,
    /// The ageing's date (today when left out).
    pub as_of: Option<Date>,
    /// The journal's period.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A CSV file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvExport {
    pub kind: ExportKind,
    pub file_name: String,
    /// Data rows (without the header).
    pub rows: usize,
    /// UTF-8 with a BOM.
    pub text: String,
}

/// `export_csv {kind: customers|invoices|invoice_lines|payments|ageing|journal, delimiter?: ","|";", asOf?, from?, to?}`.
pub fn export(ctx: &mut Ctx, req: ExportCsv) -> Result<CsvExport> {
    let kind = req.kind;
    let style = Style {
        delimiter: if req.delimiter == Some(ExportDelimiter::Semicolon) {
            b';'
        } else {
            b','
        },
    };
    let (header, rows): (Vec<&str>, Vec<Vec<String>>) = match kind {
        ExportKind::Customers => export_customers(ctx, style)?,
        ExportKind::Invoices => export_invoices(ctx, style)?,
        ExportKind::InvoiceLines => export_lines(ctx, style)?,
        ExportKind::Payments => export_payments(ctx, style)?,
        ExportKind::Ageing => export_ageing(ctx, req.as_of, style)?,
        ExportKind::Journal => crate::books::reports::journal_csv_rows(
            ctx,
            req.from.map(|d| d.0.to_string()),
            req.to.map(|d| d.0.to_string()),
            style,
        )?,
    };
    let count = rows.len();
    let text = write_csv(style, &header, rows)?;
    let file_name = format!("esep-{}-{}.csv", kind.file_part(), ctx.today);
    Ok(CsvExport {
        kind,
        file_name,
        rows: count,
        text,
    })
}

/// The customer columns, in the order the importer maps them back.
pub const CUSTOMER_HEADER: &[&str] = &[
    "id",
    "name",
    "contact_person",
    "address",
    "country",
    "email",
    "phone",
    "tax_id",
    "currency",
    "language",
    "transit_days",
    "notes",
    "archived",
    "balance",
];

type Rows = (Vec<&'static str>, Vec<Vec<String>>);

fn export_customers(ctx: &Ctx, style: Style) -> Result<Rows> {
    let all = customers::all_json(ctx.conn)?;
    let rows = all
        .iter()
        .map(|c| {
            let keys = [
                "id",
                "name",
                "contactPerson",
                "address",
                "country",
                "email",
                "phone",
                "taxId",
                "currency",
                "language",
                "transitDays",
                "notes",
                "archived",
            ];
            let mut r: Vec<String> = keys.iter().map(|k| s(&c[*k])).collect();
            r.push(style.decimal(&s(&c["balance"])));
            r
        })
        .collect();
    Ok((CUSTOMER_HEADER.to_vec(), rows))
}

fn export_invoices(ctx: &Ctx, style: Style) -> Result<Rows> {
    let listed = invoices::all_rows(ctx)?;
    let mut amounts: HashMap<i64, (i64, i64, i64, i64)> = HashMap::new();
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT i.id, i.subtotal_minor - i.discount_minor, i.tax_minor, i.total_minor, COALESCE(st.amount_minor - st.settled_minor, i.total_minor)
         FROM invoices i LEFT JOIN invoice_state st ON st.invoice_id = i.id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        amounts.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
    }
    let mut rows = Vec::new();
    for v in listed {
        let c = Currency::stored(v["currency"].as_str().unwrap_or("KZT"))?;
        let (net, tax, total, open) = amounts
            .get(&v["id"].as_i64().unwrap_or(0))
            .copied()
            .unwrap_or_default();
        rows.push(vec![
            s(&v["number"]),
            s(&v["status"]),
            s(&v["issueDate"]),
            s(&v["dueDate"]),
            s(&v["customerId"]),
            s(&v["customerName"]),
            c.code.to_string(),
            style.amount(c, net),
            style.amount(c, tax),
            style.amount(c, total),
            style.amount(c, total - open),
            style.amount(c, open),
        ]);
    }
    Ok((
        vec![
            "number",
            "status",
            "issue_date",
            "due_date",
            "customer_id",
            "customer",
            "currency",
            "net",
            "tax",
            "total",
            "settled",
            "open",
        ],
        rows,
    ))
}

fn export_lines(ctx: &Ctx, style: Style) -> Result<Rows> {
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT i.number, i.issue_date, c.name, i.currency, l.position, l.description, l.quantity, l.unit, l.unit_price_minor, l.discount_percent, l.tax_rate, l.amount_minor, l.unit_price_scale
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN customers c ON c.id = i.customer_id
         WHERE i.status = 'issued' ORDER BY i.issue_date, i.id, l.position",
    )?;
    let mut q = stmt.query([])?;
    let mut rows = Vec::new();
    while let Some(r) = q.next()? {
        let c = Currency::stored(&r.get::<_, String>(3)?)?;
        rows.push(vec![
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            r.get(2)?,
            c.code.to_string(),
            r.get::<_, i64>(4)?.to_string(),
            r.get(5)?,
            style.decimal(&r.get::<_, String>(6)?),
            r.get(7)?,
            style.decimal(&crate::money::UnitPrice::stored(r.get(8)?, r.get(12)?).format(c)),
            style.decimal(&r.get::<_, String>(9)?),
            style.decimal(&r.get::<_, String>(10)?),
            style.amount(c, r.get(11)?),
        ]);
    }
    Ok((
        vec![
            "invoice",
            "issue_date",
            "customer",
            "currency",
            "line",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "discount_percent",
            "tax_rate",
            "amount",
        ],
        rows,
    ))
}

fn export_payments(ctx: &Ctx, style: Style) -> Result<Rows> {
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT p.id, p.received_on, p.customer_id, c.name, p.currency, p.amount_minor, p.credit_minor, p.method, p.reference
         FROM payments p JOIN customers c ON c.id = p.customer_id ORDER BY p.received_on, p.id",
    )?;
    let mut q = stmt.query([])?;
    let mut rows = Vec::new();
    while let Some(r) = q.next()? {
        let c = Currency::stored(&r.get::<_, String>(4)?)?;
        let (amount, credit): (i64, i64) = (r.get(5)?, r.get(6)?);
        rows.push(vec![
            r.get::<_, i64>(0)?.to_string(),
            r.get(1)?,
            r.get::<_, i64>(2)?.to_string(),
            r.get(3)?,
            c.code.to_string(),
            style.amount(c, amount),
            style.amount(c, amount - credit),
            style.amount(c, credit),
            r.get(7)?,
            r.get(8)?,
        ]);
    }
    Ok((
        vec![
            "payment",
            "date",
            "customer_id",
            "customer",
            "currency",
            "amount",
            "applied",
            "kept_as_credit",
            "method",
            "reference",
        ],
        rows,
    ))
}

fn export_ageing(ctx: &mut Ctx, as_of: Option<Date>, style: Style) -> Result<Rows> {
    let report = crate::books::reports::ageing(
        ctx,
        crate::books::reports::Ageing {
            as_of,
            ..Default::default()
        },
    )?;
    let mut rows = Vec::new();
    for r in report.rows {
        let b = &r.amounts;
        let mut row = vec![
            report.as_of.clone(),
            r.customer_id.to_string(),
            r.customer_name,
            b.currency.to_string(),
        ];
        row.extend(
            [
                &b.current,
                &b.d1_30,
                &b.d31_60,
                &b.d61_90,
                &b.d90_plus,
                &b.total,
                &b.credit,
                &b.net,
            ]
            .into_iter()
            .map(|v| style.decimal(v)),
        );
        rows.push(row);
    }
    Ok((
        vec![
            "as_of",
            "customer_id",
            "customer",
            "currency",
            "not_due",
            "1_30",
            "31_60",
            "61_90",
            "over_90",
            "total",
            "credit",
            "net",
        ],
        rows,
    ))
}
