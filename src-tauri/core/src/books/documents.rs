//! Building documents from the books: gathers what a document needs and lays it out in the
//! customer's language. Returns a suggested file name and the PDF bytes; saving is the
//! caller's business (the app asks with a native dialog, the CLI writes where told).

use super::{invoices, payments, profile, reports, to_value, Ctx};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::i18n::{t, tf, Lang};
use crate::pdf::documents::{self as docs, Letter, Recipient, ReminderInfo};
use crate::pdf::envelope::Envelope;
use crate::pdf::{fmt, layout::PageLayout, render};
use crate::req::{Date, Id};
use crate::sql::OptionalExtension;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const KINDS: &[&str] = &[
    "invoice",
    "reminder",
    "notice",
    "receipt",
    "statement",
    "credit_note",
    "act",
    "calibration",
    "quote",
    "prepayment",
];

/// A document request: `{kind, id?, from?, to?, envelope?}`.
pub struct Request {
    pub kind: &'static str,
    pub id: Option<i64>,
    /// A statement's period.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The envelope asked for; `None` uses the profile's preset. The profile's offset always applies.
    pub envelope: Option<Envelope>,
}

impl Request {
    /// A request given as JSON (a batch item of the app's printing and saving commands).
    pub fn parse(args: &Args) -> Result<Request> {
        let kind = args
            .opt_choice("kind", KINDS)?
            .ok_or_else(|| Error::invalid(args.field("kind"), "error.required"))?;
        let id = args.opt_id("id")?;
        if kind != "calibration" && id.is_none() {
            return Err(Error::invalid(args.field("id"), "error.required"));
        }
        let envelope = args
            .opt_choice("envelope", Envelope::CODES)?
            .and_then(Envelope::parse);
        Ok(Request {
            kind,
            id,
            from: args.opt_date("from")?,
            to: args.opt_date("to")?,
            envelope,
        })
    }
}

/// The kinds of document: `notice` is the letter about a payment that did not match what was
/// due, `calibration` the envelope calibration page (the only one without an id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    Reminder,
    Notice,
    Receipt,
    Statement,
    CreditNote,
    Act,
    Calibration,
    Quote,
    Prepayment,
}

impl DocumentKind {
    /// The kind's name, as [`KINDS`] spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::Reminder => "reminder",
            DocumentKind::Notice => "notice",
            DocumentKind::Receipt => "receipt",
            DocumentKind::Statement => "statement",
            DocumentKind::CreditNote => "credit_note",
            DocumentKind::Act => "act",
            DocumentKind::Calibration => "calibration",
            DocumentKind::Quote => "quote",
            DocumentKind::Prepayment => "prepayment",
        }
    }
}

/// The window envelopes a letter can be laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeChoice {
    /// DIN 5008 form A.
    Din5008a,
    /// DIN 5008 form B.
    Din5008b,
    /// US #10.
    Us10,
}

impl EnvelopeChoice {
    pub fn envelope(self) -> Envelope {
        match self {
            EnvelopeChoice::Din5008a => Envelope::DIN_A,
            EnvelopeChoice::Din5008b => Envelope::DIN_B,
            EnvelopeChoice::Us10 => Envelope::US10,
        }
    }
}

/// `document_layout`: one document, laid out for the preview.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentLayout {
    pub kind: DocumentKind,
    /// The document (for a statement, the customer); every kind but `calibration` needs it.
    pub id: Option<Id>,
    /// A statement's period.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The profile's envelope when left out.
    pub envelope: Option<EnvelopeChoice>,
}

impl DocumentLayout {
    /// The document request, once the id a kind needs is there.
    pub fn request(self) -> Result<Request> {
        let id = self.id.map(|i| i.0);
        if self.kind != DocumentKind::Calibration && id.is_none() {
            return Err(Error::invalid("id", "error.required"));
        }
        Ok(Request {
            kind: self.kind.as_str(),
            id,
            from: self.from.map(|d| d.0),
            to: self.to.map(|d| d.0),
            envelope: self.envelope.map(EnvelopeChoice::envelope),
        })
    }
}

/// The laid-out pages of a document, for the preview.
#[derive(Debug, Serialize)]
pub struct LayoutView {
    /// The suggested file name.
    pub name: String,
    pub title: String,
    /// Each image the pages show (logo, signature, seal), as a data URL by its name.
    pub images: BTreeMap<&'static str, String>,
    /// The pages' items in mm (layout JSON of `pdf::layout`).
    pub pages: Vec<crate::pdf::layout::PageView>,
}

/// Legal forms kept in a file name even when a long name is shortened ("…-ЖШС").
const LEGAL_FORMS: &[&str] = &[
    "ЖШС", "ТОО", "ИП", "ЖК", "АҚ", "АО", "ООО", "LLP", "LLC", "Ltd", "GmbH",
];

/// A file-name-safe version of a text: letters and digits of any script, others become `-`;
/// shortened to about 40 characters at a word's end (never ending in `-`), keeping a legal
/// form that would otherwise be cut.
pub fn file_part(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let parts: Vec<&str> = cleaned.split('-').filter(|p| !p.is_empty()).collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut len = 0;
    for p in &parts {
        let n = p.chars().count() + usize::from(!kept.is_empty());
        if len + n > 40 {
            break;
        }
        kept.push(p);
        len += n;
    }
    if kept.is_empty() {
        if let Some(first) = parts.first() {
            return first.chars().take(40).collect();
        }
    }
    if let Some(form) = parts[kept.len()..].iter().find(|p| LEGAL_FORMS.contains(p)) {
        if len + form.chars().count() + 1 > 48 {
            kept.pop();
        }
        kept.push(form);
    }
    kept.join("-")
}

/// A saved document's file name: its kind in the document's language, its number (or date and
/// id, for letters without one) and the customer; two documents never share a name.
fn document_name(lang: Lang, kind_key: &str, number: &str, customer: &str) -> String {
    let parts: Vec<String> = [
        file_part(t(lang, kind_key)),
        file_part(number),
        file_part(customer),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect();
    format!("{}.pdf", parts.join("-"))
}

/// A PDF file name from anything the user or a script gave (`save_batch_pdf`'s `fileName`):
/// no directories (`/`, `\\`, `..`, drive letters), letters, digits and dashes only, always
/// ending in `.pdf`.
pub fn pdf_file_name(given: &str) -> String {
    let t = given.trim();
    let stem = if t.len() >= 4
        && t.is_char_boundary(t.len() - 4)
        && t[t.len() - 4..].eq_ignore_ascii_case(".pdf")
    {
        &t[..t.len() - 4]
    } else {
        t
    };
    let part: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let part: Vec<&str> = part.split('-').filter(|p| !p.is_empty()).collect();
    let part: String = part.join("-").chars().take(80).collect();
    format!("{}.pdf", if part.is_empty() { "Esep" } else { &part })
}

/// "Dear Aigul Serikovna," when the customer has a contact person, else "Dear customer,".
fn greeting(conn: &crate::sql::Connection, customer_id: i64, lang: Lang) -> Result<String> {
    let contact: String = conn
        .query_row(
            "SELECT contact_person FROM customers WHERE id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .unwrap_or_default();
    Ok(if contact.trim().is_empty() {
        t(lang, "doc.greeting").to_string()
    } else {
        tf(lang, "doc.greetingNamed", &[("name", contact.trim())])
    })
}

/// "по счёту № INV-2026-0007" / "по счетам № INV-…, INV-…" (and the kk and en forms): the
/// invoices a letter speaks of, with their number sign and the plural they take.
fn invoice_ref(lang: Lang, numbers: &[String]) -> String {
    let key = if numbers.len() == 1 {
        "doc.invoiceRef.one"
    } else {
        "doc.invoiceRef.other"
    };
    tf(lang, key, &[("numbers", &numbers.join(", "))])
}

fn lang_of(code: &str) -> Lang {
    Lang::parse(code).unwrap_or(Lang::En)
}

/// Lays out one document: (suggested file name, pages, title).
pub fn layout(ctx: &mut Ctx, req: &Request) -> Result<(String, Vec<PageLayout>, String)> {
    layout_with(ctx, req, false)
}

/// `document_layout {kind, id?, from?, to?, envelope?}`: the laid-out pages (positions in mm,
/// text widths from the font's glyph advances) for the in-app preview, drawn by the UI from the
/// same layout the PDF is drawn from. Unlike saving, a draft invoice can be previewed: it shows
/// "DRAFT" for its number and today's dates, as if issued today.
pub fn layout_preview(ctx: &mut Ctx, req: DocumentLayout) -> Result<LayoutView> {
    let req = req.request()?;
    let (name, pages, title) = layout_with(ctx, &req, true)?;
    let mut images = BTreeMap::new();
    for name in profile::Image::CODES {
        let shown = pages.iter().any(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, crate::pdf::layout::Item::Image { name: n, .. } if n == name))
        });
        if shown {
            let bytes: Vec<u8> = ctx.conn.query_row(
                &format!("SELECT {name} FROM business_profile WHERE id = 1"),
                [],
                |r| r.get(0),
            )?;
            let mime = profile::sniff_image(&bytes).unwrap_or("image/png");
            images.insert(
                *name,
                format!("data:{mime};base64,{}", profile::base64_encode(&bytes)),
            );
        }
    }
    Ok(LayoutView {
        name,
        title,
        images,
        pages: pages.iter().map(crate::pdf::layout::page_view).collect(),
    })
}

fn layout_with(
    ctx: &mut Ctx,
    req: &Request,
    draft_ok: bool,
) -> Result<(String, Vec<PageLayout>, String)> {
    let mut seller = profile::require(ctx.conn)?;
    if seller.has_logo {
        seller.logo = profile::logo(ctx.conn)?;
    }
    if seller.has_signature {
        seller.signature = profile::image(ctx.conn, profile::Image::Signature)?;
    }
    if seller.has_seal {
        seller.seal = profile::image(ctx.conn, profile::Image::Seal)?;
    }
    let env = req
        .envelope
        .unwrap_or(seller.envelope)
        .with_offset(seller.envelope.dx, seller.envelope.dy);
    let id = req.id.unwrap_or(0);
    match req.kind {
        "invoice" => {
            let mut inv = invoices::load(ctx, id, "id")?;
            let lang = lang_of(inv["language"].as_str().unwrap_or("en"));
            if inv["status"] == "draft" {
                if !draft_ok {
                    return Err(Error::Conflict {
                        key: "error.notIssued",
                        field: Some("id".into()),
                    });
                }
                invoices::as_if_issued_today(ctx, &mut inv, t(lang, "doc.draftMark"))?;
            }
            let name = document_name(
                lang,
                "file.invoice",
                inv["number"].as_str().unwrap_or(""),
                inv["customerName"].as_str().unwrap_or(""),
            );
            let title = tf(
                lang,
                "doc.invoiceTitle",
                &[("number", inv["number"].as_str().unwrap_or(""))],
            );
            Ok((name, docs::invoice(&inv, &seller, lang, env, None), title))
        }
        "quote" | "prepayment" => {
            let (mut q, lang) = super::quotes::document(ctx.conn, id, ctx.today)?;
            let prepayment = q["kind"] == "prepayment";
            if q["status"] == "draft" {
                if !draft_ok {
                    return Err(Error::Conflict {
                        key: "error.quote.notIssued",
                        field: Some("id".into()),
                    });
                }
                let days = if prepayment {
                    super::quotes::PREPAYMENT_DAYS
                } else {
                    super::quotes::DEFAULT_VALID_DAYS
                };
                q["number"] = serde_json::Value::from(t(lang, "doc.draftMark"));
                q["issueDate"] = serde_json::Value::from(ctx.today.to_string());
                q["validUntil"] =
                    serde_json::Value::from((ctx.today + chrono::Duration::days(days)).to_string());
                q["dueDate"] = q["validUntil"].clone();
            }
            let number = q["number"].as_str().unwrap_or("").to_string();
            let (file, title) = if prepayment {
                ("file.prepayment", "doc.invoiceTitle")
            } else {
                ("file.quote", "doc.quoteTitle")
            };
            let name = document_name(
                lang,
                file,
                &number,
                q["customerName"].as_str().unwrap_or(""),
            );
            let title = tf(lang, title, &[("number", &number)]);
            Ok((name, docs::invoice(&q, &seller, lang, env, None), title))
        }
        "reminder" => {
            let row: Option<(i64, i64, String, i64, i64)> = ctx
                .conn
                .query_row("SELECT invoice_id, level, sent_on, open_minor, fee_minor FROM reminders WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            let (invoice_id, level, date, open, fee) = row.ok_or_else(|| Error::not_found("id"))?;
            let inv = invoices::load(ctx, invoice_id, "id")?;
            let lang = lang_of(inv["language"].as_str().unwrap_or("en"));
            let cur = crate::money::Currency::stored(inv["currency"].as_str().unwrap_or("KZT"))?;
            let settings = super::reminders::settings(ctx.conn)?;
            let custom = settings.texts[(level.clamp(1, 3) - 1) as usize].clone();
            let text = if custom.is_empty() {
                t(lang, &format!("doc.reminderText{}", level.clamp(1, 3))).to_string()
            } else {
                custom
            };
            // Each thing that settled part of it by the reminder's date, on its own line (a
            // payment taken back by a reversal, and the reversal, are left out: they cancel).
            let mut received = Vec::new();
            let mut stmt = ctx.conn.prepare_cached(
                "SELECT s.kind, s.settled_on, s.amount_minor, (SELECT number FROM credit_notes WHERE id = s.source_id AND s.kind = 'credit_note')
                 FROM settlements s WHERE s.item_type = 'invoice' AND s.item_id = ?1 AND s.settled_on <= ?2 AND s.kind <> 'reversal'
                   AND NOT (s.kind IN ('payment', 'discount') AND EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = s.source_id AND r.reversed_on <= ?2))
                 ORDER BY s.settled_on, s.id",
            )?;
            let mut rows = stmt.query(crate::sql::params![invoice_id, date])?;
            while let Some(r) = rows.next()? {
                let (kind, on, amount, number): (String, String, i64, Option<String>) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                let on = fmt::date(lang, &on);
                let label = match kind.as_str() {
                    "payment" => tf(lang, "doc.settled.payment", &[("date", &on)]),
                    "discount" => tf(lang, "doc.settled.discount", &[("date", &on)]),
                    "credit" => tf(lang, "doc.settled.credit", &[("date", &on)]),
                    "credit_note" => tf(
                        lang,
                        "doc.settled.creditNote",
                        &[("number", number.as_deref().unwrap_or(""))],
                    ),
                    _ => tf(lang, "doc.settled.writeOff", &[("date", &on)]),
                };
                received.push((label, cur.format_minor(amount)));
            }
            drop(rows);
            drop(stmt);
            let info = ReminderInfo {
                level,
                date,
                open: cur.format_minor(open),
                fee: cur.format_minor(fee),
                text,
                received,
            };
            let number = format!("{}-{level}", inv["number"].as_str().unwrap_or(""));
            let name = document_name(
                lang,
                "file.reminder",
                &number,
                inv["customerName"].as_str().unwrap_or(""),
            );
            let title = t(lang, &format!("doc.reminderTitle{}", level.clamp(1, 3))).to_string();
            Ok((
                name,
                docs::invoice(&inv, &seller, lang, env, Some(&info)),
                title,
            ))
        }
        "notice" => {
            let row: Option<(i64, i64)> = ctx
                .conn
                .query_row(
                    "SELECT payment_id, customer_id FROM payment_discrepancies WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (payment_id, customer_id) = row.ok_or_else(|| Error::not_found("id"))?;
            let p = super::to_value(&payments::payment_view(ctx.conn, payment_id)?)?;
            let c = super::customers::info(ctx.conn, customer_id, "id")?;
            let lang = c.language.unwrap_or(seller.language);
            let cur = p["currency"].as_str().unwrap_or("KZT").to_string();
            let disc = &p["discrepancy"];
            let m = |k: &str| fmt::money(lang, disc[k].as_str().unwrap_or("0"), &cur);
            let invoices: Vec<String> = p["allocations"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x["label"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let under = disc["kind"] == "under";
            // "A little less" only when it is little (at most 5 % of what was due); otherwise
            // the letter says plainly that part remains open.
            let small = {
                use std::str::FromStr;
                let dec = |k: &str| {
                    let text = disc[k]
                        .as_str()
                        .ok_or_else(|| Error::Internal(format!("discrepancy without {k}")))?;
                    rust_decimal::Decimal::from_str(text)
                        .map_err(|e| Error::Internal(format!("discrepancy {k} {text}: {e}")))
                };
                dec("difference")? * rust_decimal::Decimal::from(20) <= dec("due")?
            };
            let text_key = match (under, small) {
                (true, true) => "doc.noticeUnderTextSmall",
                (true, false) => "doc.noticeUnderText",
                _ => "doc.noticeOverText",
            };
            // Paying the rest: where to, and with which reference.
            let mut closing = vec![t(
                lang,
                if under {
                    "doc.noticeUnderNext"
                } else {
                    "doc.noticeOverNext"
                },
            )
            .to_string()];
            if under {
                let reference = invoices.join(", ");
                let details: Vec<String> = docs::payment_details(&seller, &reference)
                    .into_iter()
                    // Each detail unbroken (no line break inside an IBAN or "Шот №: …").
                    .map(|(k, v)| format!("{}: {v}", t(lang, k)).replace(' ', "\u{a0}"))
                    .collect();
                if !details.is_empty() {
                    closing.push(details.join(" · "));
                }
            }
            closing.push(t(lang, "doc.noticeThanks").to_string());
            let letter = Letter {
                title: t(
                    lang,
                    if under {
                        "doc.noticeUnderTitle"
                    } else {
                        "doc.noticeOverTitle"
                    },
                )
                .to_string(),
                date: ctx.today.to_string(),
                greeting: greeting(ctx.conn, customer_id, lang)?,
                paragraphs: vec![tf(
                    lang,
                    text_key,
                    &[
                        ("date", &fmt::date(lang, p["date"].as_str().unwrap_or(""))),
                        ("invoices", &invoice_ref(lang, &invoices)),
                    ],
                )],
                figures: vec![
                    (t(lang, "doc.amountDue").to_string(), m("due"), false),
                    (
                        t(lang, "doc.amountReceived").to_string(),
                        m("received"),
                        false,
                    ),
                    (
                        t(
                            lang,
                            if under {
                                "doc.stillOpen"
                            } else {
                                "doc.overpaid"
                            },
                        )
                        .to_string(),
                        m("difference"),
                        true,
                    ),
                ],
                closing,
                to: Recipient {
                    name: &c.name,
                    address: &c.address,
                    country: &c.country,
                },
            };
            let name = document_name(
                lang,
                "file.notice",
                &format!("{}-{id}", p["date"].as_str().unwrap_or("")),
                &c.name,
            );
            Ok((
                name,
                docs::letter(&letter, &seller, lang, env),
                letter.title.clone(),
            ))
        }
        "receipt" => {
            let p = super::to_value(&payments::payment_view(ctx.conn, id)?)?;
            let customer_id = p["customerId"].as_i64().unwrap_or(0);
            let c = super::customers::info(ctx.conn, customer_id, "id")?;
            let lang = c.language.unwrap_or(seller.language);
            let cur = p["currency"].as_str().unwrap_or("KZT").to_string();
            let mut figures = vec![(
                t(lang, "doc.amountReceived").to_string(),
                fmt::money(lang, p["amount"].as_str().unwrap_or("0"), &cur),
                true,
            )];
            for a in p["allocations"]
                .as_array()
                .map(|v| v.as_slice())
                .unwrap_or(&[])
            {
                let key = if a["kind"] == "discount" {
                    "doc.receiptDiscountFor"
                } else {
                    "doc.receiptFor"
                };
                figures.push((
                    tf(lang, key, &[("doc", a["label"].as_str().unwrap_or(""))]),
                    fmt::money(lang, a["amount"].as_str().unwrap_or("0"), &cur),
                    false,
                ));
            }
            let settled: Vec<String> = p["allocations"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .filter(|a| {
                            p["settledInvoiceIds"]
                                .as_array()
                                .map(|s| s.contains(&a["itemId"]))
                                .unwrap_or(false)
                        })
                        .filter_map(|a| a["label"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let mut paragraphs = vec![tf(
                lang,
                "doc.receiptText",
                &[
                    ("date", &fmt::date(lang, p["date"].as_str().unwrap_or(""))),
                    (
                        "amount",
                        &fmt::money(lang, p["amount"].as_str().unwrap_or("0"), &cur),
                    ),
                ],
            )];
            if !settled.is_empty() {
                paragraphs.push(tf(
                    lang,
                    "doc.receiptSettled",
                    &[("invoices", &invoice_ref(lang, &settled))],
                ));
            }
            let thanks = if seller.thank_you.is_empty() {
                t(lang, "doc.thankYouDefault").to_string()
            } else {
                seller.thank_you.clone()
            };
            let letter = Letter {
                title: t(lang, "doc.receiptTitle").to_string(),
                date: p["date"].as_str().unwrap_or("").to_string(),
                greeting: greeting(ctx.conn, customer_id, lang)?,
                paragraphs,
                figures,
                // The thanks, then the polite sign-off before the shop's name.
                closing: vec![thanks, t(lang, "doc.signOff").to_string()],
                to: Recipient {
                    name: &c.name,
                    address: &c.address,
                    country: &c.country,
                },
            };
            let name = document_name(
                lang,
                "file.receipt",
                &format!("{}-{id}", p["date"].as_str().unwrap_or("")),
                &c.name,
            );
            Ok((
                name,
                docs::letter(&letter, &seller, lang, env),
                letter.title.clone(),
            ))
        }
        "statement" => {
            let st = reports::statement(
                ctx,
                reports::Statement {
                    customer_id: Id(id),
                    from: req.from.map(Date),
                    to: req.to.map(Date),
                },
            )?;
            let c = super::customers::info(ctx.conn, id, "id")?;
            let lang = c.language.unwrap_or(seller.language);
            let name = document_name(lang, "file.statement", &st.to, &c.name);
            Ok((
                name,
                docs::statement(&to_value(&st)?, &seller, lang, env, &c.country),
                t(lang, "doc.statementTitle").to_string(),
            ))
        }
        "credit_note" => {
            let cn = super::corrections::credit_note_json(ctx.conn, id)?;
            let inv = invoices::load(ctx, cn["invoiceId"].as_i64().unwrap_or(0), "id")?;
            let lang = lang_of(inv["language"].as_str().unwrap_or("en"));
            let name = document_name(
                lang,
                "file.creditNote",
                cn["number"].as_str().unwrap_or(""),
                inv["customerName"].as_str().unwrap_or(""),
            );
            let title = tf(
                lang,
                "doc.creditNoteTitle",
                &[("number", cn["number"].as_str().unwrap_or(""))],
            );
            Ok((
                name,
                docs::credit_note(&cn, &inv, &seller, lang, env),
                title,
            ))
        }
        "act" => {
            let a = super::acts::load(ctx.conn, id, "id")?;
            let lang = docs::ActLanguage::parse(a["language"].as_str().unwrap_or("ru"));
            let customer = a["content"]["customer"]["name"].as_str().unwrap_or("");
            let name_lang = if a["language"] == "kk" {
                Lang::Kk
            } else {
                Lang::Ru
            };
            let name = document_name(
                name_lang,
                "file.act",
                a["number"].as_str().unwrap_or(""),
                customer,
            );
            let title = format!(
                "{} {}",
                lang.label("doc.act.short"),
                a["number"].as_str().unwrap_or("")
            );
            Ok((name, docs::act(&a, &seller, lang), title))
        }
        _ => {
            let lang = seller.language;
            Ok((
                "Envelope-calibration.pdf".to_string(),
                docs::calibration(&seller, lang, env),
                t(lang, "doc.calibrationTitle").to_string(),
            ))
        }
    }
}

/// Renders one document: (suggested file name, PDF bytes).
pub fn render_one(ctx: &mut Ctx, req: &Request) -> Result<(String, Vec<u8>)> {
    let (name, pages, title) = layout(ctx, req)?;
    Ok((name, render::render(&title, &pages)))
}

/// Renders several documents into one PDF, in order, each starting on a new page; `progress`
/// is called with (done, total) after each document is laid out.
pub fn render_batch(
    ctx: &mut Ctx,
    reqs: &[Request],
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<u8>> {
    let mut pages = Vec::new();
    for (i, r) in reqs.iter().enumerate() {
        pages.extend(layout(ctx, r)?.1);
        progress(i + 1, reqs.len());
    }
    if pages.is_empty() {
        return Err(Error::invalid("items", "error.required"));
    }
    Ok(render::render("Esep", &pages))
}

#[cfg(test)]
mod tests {
    use super::{document_name, file_part, pdf_file_name};
    use crate::i18n::Lang;

    #[test]
    fn a_file_name_part_keeps_whole_words_and_the_legal_form_and_never_ends_in_a_dash() {
        assert_eq!(file_part("«Ақжол» ЖШС"), "Ақжол-ЖШС");
        let long =
            file_part("Товарищество с ограниченной ответственностью «Северный торговый дом» ТОО");
        assert!(
            long.ends_with("-ТОО") && long.chars().count() <= 48,
            "{long}"
        );
        assert!(!long.contains("--") && !long.ends_with('-'));
        assert_eq!(file_part("---"), "");
        assert_eq!(
            document_name(Lang::Ru, "file.notice", "2026-11-27-4", "ТОО «Север»"),
            "Уведомление-об-оплате-2026-11-27-4-ТОО-Север.pdf"
        );
        assert_eq!(
            document_name(Lang::En, "file.statement", "2026-11-27", ""),
            "Statement-2026-11-27.pdf",
            "no dash before .pdf"
        );
    }

    #[test]
    fn a_batch_file_name_never_leaves_the_chosen_folder_and_always_ends_in_pdf() {
        assert_eq!(
            pdf_file_name("Reminders-2026-12-01.pdf"),
            "Reminders-2026-12-01.pdf"
        );
        assert_eq!(pdf_file_name("../../etc/passwd"), "etc-passwd.pdf");
        assert_eq!(pdf_file_name("/tmp/x.PDF"), "tmp-x.pdf");
        assert_eq!(
            pdf_file_name("C:\\Windows\\evil.exe"),
            "C-Windows-evil-exe.pdf"
        );
        assert_eq!(pdf_file_name("Еске салу"), "Еске-салу.pdf");
        assert_eq!(pdf_file_name(".."), "Esep.pdf");
        assert_eq!(pdf_file_name(""), "Esep.pdf");
        assert!(pdf_file_name(&"a".repeat(500)).len() <= 84);
    }
}
