//! The layout property test (#18): random documents of every kind, in kk/ru/en, on every
//! envelope preset (with the user's offset), with and without a logo, with names and
//! addresses up to the field limits, amounts up to the largest accepted and many lines. For
//! each laid-out page:
//! - no two text or image boxes overlap (a text's box: its advance width, from the font's
//!   ascent to its descent);
//! - every box lies 5 mm or more inside the paper, and every text inside the right margin;
//! - the recipient block lies inside the window's safe band with 3 mm to spare;
//! - every page after the first names the document and the customer.
//!
//! Cases: `ESEP_LAYOUT_CASES` (default 300 in the test command; e.g. 20000 for a long run).
//! Failures are kept in `tests/layout.proptest-regressions` and replayed first.

use esep_core::books::profile::Profile;
use esep_core::i18n::Lang;
use esep_core::pdf::documents::{self as docs, Letter, Recipient, ReminderInfo};
use esep_core::pdf::envelope::Envelope;
use esep_core::pdf::layout::{Item, PageLayout};
use esep_core::pdf::logo::Logo;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::{json, Value};
use std::sync::Arc;

fn cases() -> u32 {
    std::env::var("ESEP_LAYOUT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// Words from the shop's world, and a few that are hard to break.
const WORDS: &[&str] = &[
    "«Ақжол»",
    "ЖШС",
    "Товарищество",
    "с",
    "ограниченной",
    "ответственностью",
    "Алматы",
    "050000",
    "Абай",
    "даңғылы",
    "10/2,",
    "205-кеңсе",
    "Қайрат",
    "Әлиев",
    "Сәтпаев",
    "көшесі",
    "Repair",
    "of",
    "the",
    "refrigerator",
    "Samsung",
    "RB37",
    "—",
    "құрастыру",
    "жұмыстары",
    "KZ86125KZT5004100100",
    "БСН/BIN",
    "123456789012",
    "Ремонтно-строительная-компания-Восток",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "ЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩЩ",
    "1",
    "Ltd.",
];

/// Text of up to `max` characters, with line breaks when `lines`.
fn text(max: usize, lines: bool) -> impl Strategy<Value = String> {
    (
        prop::collection::vec((0..WORDS.len(), 0..8u8), 1..80),
        1..=max,
    )
        .prop_map(move |(words, len)| {
            let mut s = String::new();
            for (w, sep) in words {
                if !s.is_empty() {
                    s.push(if lines && sep == 0 { '\n' } else { ' ' });
                }
                s.push_str(WORDS[w]);
            }
            let s: String = s.chars().take(len).collect();
            let s = s.trim().to_string();
            if s.is_empty() {
                "A".to_string()
            } else {
                s
            }
        })
}

/// A decimal amount up to 10^12 with `decimals` places.
fn amount(decimals: u32) -> impl Strategy<Value = String> {
    (
        prop_oneof![
            0u64..1_000u64,
            0u64..1_000_000u64,
            0u64..=1_000_000_000_000u64
        ],
        0..10u64.pow(decimals),
    )
        .prop_map(move |(major, minor)| {
            if decimals == 0 {
                major.to_string()
            } else {
                format!("{major}.{minor:0width$}", width = decimals as usize)
            }
        })
}

#[derive(Debug, Clone)]
struct Case {
    lang: Lang,
    env: Envelope,
    logo: bool,
    /// The Kazakh invoice layout (with the payment order sample, parties, signature).
    kz: bool,
    seller: (String, String, String, String, String, String),
    customer: (String, String, String, String),
    lines: Vec<(String, String, String, String, String, String, String)>,
    purpose: String,
    notes: String,
    total: String,
    words: (String, String),
    kind: u8,
}

fn case() -> impl Strategy<Value = Case> {
    let lang = prop_oneof![Just(Lang::Kk), Just(Lang::Ru), Just(Lang::En)];
    let env = (0..3usize, -150i32..=150, -150i32..=150, 0..3u8).prop_map(|(p, dx, dy, offset)| {
        let e = Envelope::parse(Envelope::CODES[p]).unwrap();
        if offset == 0 {
            e.with_offset(dx as f32 / 10.0, dy as f32 / 10.0)
        } else {
            e
        }
    });
    let seller = (
        text(200, false),
        text(300, true),
        text(200, true),
        text(200, false),
        text(200, false),
        text(200, false),
    );
    let customer = (
        text(200, false),
        text(400, true),
        prop_oneof![
            Just("KZ".to_string()),
            Just(String::new()),
            Just("DE".to_string()),
            text(60, false)
        ],
        text(40, false),
    );
    let line = (
        prop_oneof![4 => text(120, false), 1 => text(4000, true)],
        amount(3),
        text(20, false),
        amount(6),
        prop_oneof![
            Just("0".to_string()),
            Just("12.5".to_string()),
            Just("100".to_string())
        ],
        prop_oneof![
            Just("0".to_string()),
            Just("16".to_string()),
            Just("12".to_string()),
            Just("5".to_string())
        ],
        amount(2),
    );
    (
        (lang, env, any::<bool>(), any::<bool>(), seller, customer),
        (
            prop::collection::vec(line, 0..70),
            text(500, false),
            text(600, true),
            amount(2),
            (text(200, false), text(200, false)),
            0..7u8,
        ),
    )
        .prop_map(
            |(
                (lang, env, logo, kz, seller, customer),
                (lines, purpose, notes, total, words, kind),
            )| Case {
                lang,
                env,
                logo,
                kz,
                seller,
                customer,
                lines,
                purpose,
                notes,
                total,
                words,
                kind,
            },
        )
}

fn profile(c: &Case) -> Profile {
    let logo = c.logo.then(|| {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logo.jpg"),
        )
        .unwrap();
        Arc::new(Logo::decode(&bytes).expect("the fixture logo decodes"))
    });
    let (name, address, tax_ids, bank, phone, email) = c.seller.clone();
    Profile {
        name,
        address,
        country: "KZ".into(),
        tax_ids,
        bank_account: bank.clone(),
        bank_name: bank,
        bank_bic: "HSBKKZKX".into(),
        bank_kbe: "17".into(),
        email,
        phone,
        currency: "KZT".into(),
        default_terms_id: 1,
        language: c.lang,
        thank_you: c.notes.chars().rev().collect(),
        unbilled_warn_days: 7,
        default_tax_rate: "0".into(),
        prices_include_tax: false,
        has_logo: c.logo,
        logo: logo.clone(),
        envelope: c.env,
        bin: if c.kz {
            "900101300126".into()
        } else {
            String::new()
        },
        knp: "859".into(),
        vat_payer: c.kz && c.logo,
        vat_registration: c.seller.3.chars().take(60).collect(),
        signer_name: c.seller.4.clone(),
        signer_position: c.seller.5.clone(),
        kz_layout: c.kz,
        has_signature: c.logo,
        has_seal: c.logo,
        signature: logo.clone(),
        seal: logo,
    }
}

fn invoice_json(c: &Case) -> Value {
    let lines: Vec<Value> = c
        .lines
        .iter()
        .enumerate()
        .map(|(i, (desc, qty, unit, price, disc, tax, amount))| {
            json!({"position": i + 1, "description": desc, "quantity": qty, "unit": unit, "unitPrice": price, "discountPercent": disc, "taxRate": tax, "amount": amount})
        })
        .collect();
    let (name, address, country, tax_id) = c.customer.clone();
    json!({
        "number": "INV-2026-0042", "issueDate": "2026-11-27", "serviceFrom": "2026-11-01", "serviceTo": "2026-11-30", "dueDate": "2026-12-27",
        "currency": "KZT", "customerName": name,
        "customer": {"name": name, "address": address, "country": country, "taxId": tax_id, "contractNumber": tax_id, "contractDate": "2026-01-15"},
        "lines": lines, "purpose": c.purpose, "notes": c.notes,
        "terms": {"sentence": c.words.0},
        "totals": {"subtotal": c.total, "discount": "12.00", "pricesIncludeTax": false, "total": c.total,
                   "rates": [{"rate": "16", "tax": c.total}, {"rate": "5", "tax": "1.00"}]},
    })
}

/// The document's pages, what its continuation pages must name, and the customer.
fn lay_out(c: &Case) -> (Vec<PageLayout>, String, String) {
    let seller = profile(c);
    let inv = invoice_json(c);
    let customer = c.customer.0.clone();
    match c.kind {
        0 => (
            docs::invoice(&inv, &seller, c.lang, c.env, None),
            "INV-2026-0042".into(),
            customer,
        ),
        1 => {
            let r = ReminderInfo {
                level: 3,
                date: "2026-12-20".into(),
                open: c.total.clone(),
                fee: "1500.00".into(),
                text: c.words.1.clone(),
                received: vec![],
            };
            (
                docs::invoice(&inv, &seller, c.lang, c.env, Some(&r)),
                "INV-2026-0042".into(),
                customer,
            )
        }
        2 => {
            let title = format!("{} 2026-0042", c.words.0);
            let figures = c
                .lines
                .iter()
                .take(12)
                .map(|l| (l.0.chars().take(90).collect(), l.6.clone(), l.4 == "0"))
                .collect();
            let l = Letter {
                title: title.clone(),
                date: "2026-11-27".into(),
                greeting: c.words.1.clone(),
                paragraphs: vec![c.purpose.clone(), c.notes.clone()],
                figures,
                closing: vec![c.words.0.clone()],
                to: Recipient {
                    name: &c.customer.0,
                    address: &c.customer.1,
                    country: &c.customer.2,
                },
            };
            (docs::letter(&l, &seller, c.lang, c.env), title, customer)
        }
        3 => {
            let kinds = [
                "invoice",
                "payment",
                "credit_note",
                "write_off",
                "late_fee",
                "refund",
                "credit_applied",
                "opening",
            ];
            let lines: Vec<Value> = c
                .lines
                .iter()
                .chain(c.lines.iter())
                .enumerate()
                .map(|(i, l)| {
                    json!({"date": "2026-11-27", "kind": kinds[i % kinds.len()], "document": l.2, "debit": l.6, "credit": if i % 3 == 0 { "0.00" } else { &l.6 }, "balance": c.total})
                })
                .collect();
            let st = json!({
                "currency": "KZT", "customerName": customer, "address": c.customer.1, "from": "2026-01-01", "to": "2026-11-30",
                "opening": c.total, "closing": c.total, "lines": lines,
                "ageing": {"current": c.total, "d1_30": "999999999999.99", "d31_60": "0.00", "d61_90": c.total, "d90_plus": c.total, "credit": c.total},
            });
            let title = esep_core::i18n::t(c.lang, "doc.statementTitle").to_string();
            (
                docs::statement(&st, &seller, c.lang, c.env, &c.customer.2),
                title,
                customer,
            )
        }
        4 => {
            let cn = json!({"number": "CN-2026-0007", "date": "2026-11-28", "invoiceNumber": "INV-2026-0042", "currency": "KZT", "reason": c.notes,
                            "net": c.total, "tax": c.total, "total": c.total,
                            "lines": c.lines.iter().map(|l| json!({"description": l.0, "quantity": l.1})).collect::<Vec<_>>()});
            (
                docs::credit_note(&cn, &inv, &seller, c.lang, c.env),
                "CN-2026-0007".into(),
                customer,
            )
        }
        5 => {
            // An act of completed works, in one language or both.
            let lines: Vec<Value> = c
                .lines
                .iter()
                .map(|l| json!({"description": l.0, "date": "2026-11-20", "unit": l.2, "quantity": l.1, "unitPrice": l.3, "amount": l.6}))
                .collect();
            let (name, address, _, tax_id) = c.customer.clone();
            let a = json!({
                "number": "АВР-2026-0042", "date": "2026-11-28", "language": "ru",
                "content": {
                    "invoiceNumber": "INV-2026-0042", "currency": "KZT", "total": c.total, "lines": lines,
                    "seller": {"name": c.seller.0, "bin": "900101300126", "address": c.seller.1, "phone": c.seller.4, "signerName": c.seller.4, "signerPosition": c.seller.5},
                    "customer": {"name": name, "taxId": tax_id, "address": address, "contractNumber": c.words.0, "contractDate": "2026-01-15"},
                },
            });
            let lang = if c.kz {
                docs::ActLanguage::KkRu
            } else {
                docs::ActLanguage::One(if c.lang == Lang::En { Lang::Ru } else { c.lang })
            };
            (
                docs::act(&a, &seller, lang),
                "АВР-2026-0042".into(),
                customer,
            )
        }
        _ => (
            docs::calibration(&seller, c.lang, c.env),
            String::new(),
            String::new(),
        ),
    }
}

/// (left, top, right, bottom) in mm.
type Bounds = (f32, f32, f32, f32);

fn check(c: &Case) -> Result<(), String> {
    let (mut pages, document, customer) = lay_out(c);
    if c.kind == 5 {
        // An act is two identical copies, each numbered and headed on its own.
        let n = pages.len() / 2;
        if pages.len() % 2 != 0 || pages[..n] != pages[n..] {
            return Err(format!(
                "the act is not two identical copies ({} pages)",
                pages.len()
            ));
        }
        pages.truncate(n);
    }
    let band = c.env.safe_band();
    let eps = 0.01;
    for (n, p) in pages.iter().enumerate() {
        let boxes: Vec<(Bounds, &Item)> = p
            .items
            .iter()
            .filter_map(|i| i.bbox().map(|b| (b, i)))
            .collect();
        for &((l, t, r, b), item) in &boxes {
            if l < 5.0 - eps || t < 5.0 - eps || r > p.width - 5.0 + eps || b > p.height - 5.0 + eps
            {
                return Err(format!("page {}: {item:?} lies outside the printable area ({l:.1},{t:.1})–({r:.1},{b:.1})", n + 1));
            }
            // The margin: 20 mm on portrait letters, 15 mm on landscape forms (the act).
            let margin = if p.width > p.height { 15.0 } else { 20.0 };
            if matches!(item, Item::Text { .. }) && r > p.width - margin + eps {
                return Err(format!(
                    "page {}: {item:?} passes the right margin ({r:.2} mm)",
                    n + 1
                ));
            }
        }
        // Overlaps: boxes sorted by top; only those starting above a box's bottom can meet it.
        let mut sorted = boxes.clone();
        sorted.sort_by(|a, b| a.0 .1.total_cmp(&b.0 .1));
        for (i, &((l1, t1, r1, b1), a)) in sorted.iter().enumerate() {
            for &((l2, t2, r2, b2), b) in &sorted[i + 1..] {
                if t2 >= b1 - eps {
                    break;
                }
                if l1 < r2 - eps && l2 < r1 - eps && t1 < b2 - eps && t2 < b1 - eps {
                    return Err(format!("page {}: {a:?} overlaps {b:?}", n + 1));
                }
            }
        }
        if n > 0 {
            let head = p.items.iter().find_map(|i| match i {
                Item::Text { y, text, .. } if *y == 13.0 => Some(text.clone()),
                _ => None,
            });
            let head = head.ok_or_else(|| format!("page {}: no running head", n + 1))?;
            let start: String = customer.chars().take(8).collect();
            if !head.contains(document.chars().take(12).collect::<String>().trim())
                || !head.contains(start.trim())
            {
                return Err(format!("page {}: the running head {head:?} does not name {document:?} and {customer:?}", n + 1));
            }
        }
    }
    let first = &pages[0];
    if c.kind == 5 {
        // The act goes by hand (two signed copies): it has no envelope window.
        return Ok(());
    }
    let (_, range) = first
        .marks
        .iter()
        .find(|(name, _)| *name == "recipient")
        .ok_or("no recipient block")?;
    if range.is_empty() {
        return Err("an empty recipient block".into());
    }
    for item in &first.items[range.clone()] {
        if let Some((l, t, r, b)) = item.bbox() {
            let (x, y, w, h) = band;
            if l < x + 3.0 - eps
                || r > x + w - 3.0 + eps
                || t < y + 3.0 - eps
                || b > y + h - 3.0 + eps
            {
                return Err(format!("{item:?} ({l:.1},{t:.1})–({r:.1},{b:.1}) is not 3 mm inside the window's safe band {band:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn random_documents_lay_out_without_overlaps_inside_the_paper_and_the_window() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/layout.proptest-regressions",
        ))),
        ..Config::default()
    });
    runner
        .run(&case(), |c| {
            check(&c).map_err(|e| {
                TestCaseError::fail(format!("{:?} {:?} kind {}: {e}", c.lang, c.env, c.kind))
            })?;
            Ok(())
        })
        .unwrap();
}

/// The same checks on the documents of the defects the issue found, every preset and language.
#[test]
fn the_reported_cases_hold_on_every_preset() {
    for code in Envelope::CODES {
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            for kind in 0..7 {
                let c = Case {
                    lang,
                    env: Envelope::parse(code).unwrap(),
                    logo: true,
                    kz: kind % 2 == 0,
                    seller: (
                        "Товарищество с ограниченной ответственностью «Алма Сервис и Партнёры Восток»".into(),
                        "Абай даңғылы 10, 2-қабат, 205-кеңсе, Медеу ауданы\nАлматы 050000".into(),
                        "БСН/BIN 123456789012".into(),
                        "KZ86125KZT5004100100".into(),
                        "+7 701 555 12 34".into(),
                        "info@alma-service.kz".into(),
                    ),
                    customer: ("«Ақжол» ЖШС".into(), "Сәтпаев к-сі, 22, 14-кеңсе\nАлматы 050013".into(), "KZ".into(), "123456789012".into()),
                    lines: vec![(
                        "Кеңсе техникасына қызмет көрсету".into(),
                        "1".into(),
                        "сағ".into(),
                        "1234567.89".into(),
                        "0".into(),
                        "0".into(),
                        "1234567.89".into(),
                    )],
                    purpose: "№ INV-2026-0015 шот бойынша төлем".into(),
                    notes: String::new(),
                    total: "675713.44".into(),
                    words: ("Шот күнінен бастап 15 күн ішінде төленеді.".into(), "Еске салу".into()),
                    kind,
                };
                check(&c).unwrap_or_else(|e| panic!("{code} {lang:?} kind {kind}: {e}"));
            }
        }
    }
}
