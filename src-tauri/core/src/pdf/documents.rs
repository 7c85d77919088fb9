//! The documents: invoice (and its reminder copy), credit note, payment discrepancy notice,
//! thank-you receipt, statement of account and the envelope calibration page — laid out in
//! the customer's language from the same catalogues as the UI.

use super::envelope::Envelope;
use super::fmt;
use super::layout::{fit_size, pt, width, wrap, Doc, PageLayout};
use super::words::amount_in_words;
use crate::books::profile::Profile;
use crate::i18n::{t, tf, Lang};
use crate::money::Currency;
use serde_json::Value;

const INFO_X: f32 = 122.0;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Who receives the document.
pub struct Recipient<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub country: &'a str,
}

/// Letterhead, window address, fold marks and the info block; leaves the cursor below them.
fn head(d: &mut Doc, seller: &Profile, to: &Recipient, env: Envelope, lang: Lang, info: &[(String, String)]) {
    let right = d.right;
    // Seller block, top right.
    let mut y = 18.0;
    d.text(INFO_X, y, 11.0, true, &seller.name);
    for l in seller.address.lines().chain(seller.tax_ids.lines()).take(6) {
        y += pt(8.5) * 1.3;
        d.grey_text(INFO_X, y, 8.5, l);
    }
    for extra in [&seller.phone, &seller.email] {
        if !extra.is_empty() {
            y += pt(8.5) * 1.3;
            d.grey_text(INFO_X, y, 8.5, extra);
        }
    }
    // The logo, top left, above the window's return address (its height is what the preset leaves).
    let (x, _, _, _) = env.address_slots();
    if let Some(logo) = &seller.logo {
        let (top, window_top) = (10.0, env.window().1);
        let max_h = (window_top - 3.0 - top).clamp(8.0, 20.0);
        d.logo(x, top, 60.0, max_h, logo);
    }
    // Fold and punch marks at the left edge.
    for m in env.fold_marks() {
        d.line(3.0, m, 8.0, m, 0.3);
    }
    if let Some(p) = env.punch_mark() {
        d.line(3.0, p, 10.0, p, 0.3);
    }
    // The window: return address (small, underlined), then the recipient.
    let (x, ret, first, max_lines) = env.address_slots();
    // One line, its postcode included: smaller type (down to 5 pt) first; then the middle
    // address lines go, never the last one (city and postcode route a returned letter).
    let addr: Vec<&str> = seller.address.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut candidates = vec![std::iter::once(seller.name.as_str()).chain(addr.iter().copied()).collect::<Vec<_>>().join(", ")];
    if let Some(last) = addr.last() {
        candidates.push(format!("{}, {last}", seller.name));
    }
    let (ret_text, ret_size) = candidates
        .iter()
        .find_map(|c| fit_size(c, 6.5, 5.0, false, 75.0).map(|size| (c.clone(), size)))
        .unwrap_or_else(|| (candidates[candidates.len() - 1].clone(), 5.0));
    let ret_lines = wrap(&ret_text, ret_size, false, 75.0);
    if let Some(r) = ret_lines.first() {
        d.grey_text(x, ret, ret_size, r);
        d.line(x, ret + 0.8, x + width(r, ret_size, false), ret + 0.8, 0.2);
    }
    let mut lines: Vec<String> = vec![to.name.to_string()];
    lines.extend(to.address.lines().map(str::to_string));
    // The country line only on mail abroad (a domestic letter ends with its city and postcode).
    if !to.country.is_empty() && !same_country(to.country, &seller.country) {
        lines.push(to.country.to_uppercase());
    }
    let lines: Vec<String> = lines.iter().flat_map(|l| wrap(l, 10.0, false, 74.0)).collect();
    let lines: Vec<String> = if lines.len() > max_lines {
        // Keep the name and the last lines (city, country): they route the letter.
        let mut v = vec![lines[0].clone()];
        v.extend(lines[lines.len() - (max_lines - 1)..].iter().cloned());
        v
    } else {
        lines
    };
    for (i, l) in lines.iter().enumerate() {
        d.text(x, first + i as f32 * 4.4, 10.0, i == 0, l);
    }
    // Info block to the right of the window.
    let (_, wy, _, wh) = env.window();
    let mut iy = wy + 4.0;
    for (label, value) in info {
        d.grey_text(INFO_X, iy, 8.5, label);
        // A value that does not fit beside its label goes on the next line(s).
        if width(label, 8.5, false) + 3.0 + width(value, 9.0, false) > right - INFO_X {
            for l in wrap(value, 9.0, false, right - INFO_X) {
                iy += 4.2;
                d.text_right(right, iy, 9.0, false, &l);
            }
        } else {
            d.text_right(right, iy, 9.0, false, value);
        }
        iy += 4.6;
    }
    d.y = (wy + wh).max(iy) + 8.0;
    let _ = lang;
}

/// Whether a customer's country is the shop's own: ISO codes or the usual names of
/// Kazakhstan in three languages; a shop that gave no country is taken to be in Kazakhstan.
fn same_country(customer: &str, seller: &str) -> bool {
    let norm = |c: &str| {
        let c = c.trim().to_lowercase();
        match c.as_str() {
            "" | "kz" | "kaz" | "kazakhstan" | "republic of kazakhstan" | "казахстан" | "республика казахстан" | "қазақстан" | "қазақстан республикасы" => {
                "kz".to_string()
            }
            _ => c,
        }
    };
    norm(customer) == norm(seller)
}

fn recipient_of(inv: &Value) -> (String, String, String) {
    let c = &inv["customer"];
    let name = if s(&c["name"]).is_empty() { s(&inv["customerName"]) } else { s(&c["name"]) };
    (name.to_string(), s(&c["address"]).to_string(), s(&c["country"]).to_string())
}

/// A reminder copy's extra information.
pub struct ReminderInfo {
    pub level: i64,
    pub date: String,
    pub open: String,
    pub fee: String,
    pub text: String,
}

/// The invoice (or, with `reminder`, its reminder copy: same number and date, marked, with the
/// open balance).
pub fn invoice(inv: &Value, seller: &Profile, lang: Lang, env: Envelope, reminder: Option<&ReminderInfo>) -> Vec<PageLayout> {
    let cur = s(&inv["currency"]).to_string();
    let money = |a: &str| fmt::money(lang, a, &cur);
    let mut d = Doc::new(env.paper());
    let (name, address, country) = recipient_of(inv);
    let mut info =
        vec![(t(lang, "doc.invoiceNo").to_string(), s(&inv["number"]).to_string()), (t(lang, "doc.date").to_string(), fmt::date(lang, s(&inv["issueDate"])))];
    if let Some(from) = inv["serviceFrom"].as_str() {
        let to = inv["serviceTo"].as_str().unwrap_or(from);
        let period = if to == from { fmt::date(lang, from) } else { format!("{} – {}", fmt::date(lang, from), fmt::date(lang, to)) };
        info.push((t(lang, "doc.servicePeriod").to_string(), period));
    }
    match inv["dueDate"].as_str() {
        Some(due) => info.push((t(lang, "doc.dueDate").to_string(), fmt::date(lang, due))),
        None => info.push((t(lang, "doc.dueDate").to_string(), t(lang, "doc.dueAfterReceipt").to_string())),
    }
    if !s(&inv["customer"]["taxId"]).is_empty() {
        info.push((t(lang, "doc.customerTaxId").to_string(), s(&inv["customer"]["taxId"]).to_string()));
    }
    if let Some(r) = reminder {
        info.push((t(lang, "doc.reminderDate").to_string(), fmt::date(lang, &r.date)));
    }
    head(&mut d, seller, &Recipient { name: &name, address: &address, country: &country }, env, lang, &info);
    let (left, right) = (d.left, d.right);
    // Title.
    let title = match reminder {
        Some(r) => {
            format!("{} — {}", t(lang, &format!("doc.reminderTitle{}", r.level.clamp(1, 3))), tf(lang, "doc.invoiceTitle", &[("number", s(&inv["number"]))]))
        }
        None => tf(lang, "doc.invoiceTitle", &[("number", s(&inv["number"]))]),
    };
    d.y += pt(15.0);
    d.text(left, d.y, 15.0, true, &title);
    d.y += 5.0;
    if let Some(r) = reminder {
        d.paragraph(left, right - left, 10.0, false, &r.text);
        d.y += 2.0;
        let mut open_line = tf(lang, "doc.openBalance", &[("amount", &money(&r.open))]);
        if r.fee != "0" && !r.fee.chars().all(|c| c == '0' || c == '.') {
            open_line.push_str(&format!(" ({})", tf(lang, "doc.lateFeeIncluded", &[("amount", &money(&r.fee))])));
        }
        d.paragraph(left, right - left, 10.5, true, &open_line);
        d.y += 4.0;
    }
    // Purpose of payment: prominent, in a shaded box.
    let purpose_lines = wrap(s(&inv["purpose"]), 10.5, true, right - left - 8.0);
    let box_h = 6.5 + purpose_lines.len() as f32 * pt(10.5) * 1.3 + 2.0;
    d.ensure(box_h + 4.0);
    let top = d.y;
    d.rect(left, top, right - left, box_h, true);
    d.grey_text(left + 4.0, top + 4.5, 8.0, t(lang, "doc.purpose"));
    for (i, l) in purpose_lines.iter().enumerate() {
        d.text(left + 4.0, top + 9.5 + i as f32 * pt(10.5) * 1.3, 10.5, true, l);
    }
    d.y = top + box_h + 6.0;
    // The lines table.
    let cols = Columns::new(left, right);
    let header = |d: &mut Doc| {
        d.y += 4.0;
        let y = d.y;
        d.text(cols.no_x, y, 7.5, true, "№");
        d.text(cols.desc_x, y, 7.5, true, t(lang, "doc.colDescription"));
        d.text_right(cols.qty_x, y, 7.5, true, t(lang, "doc.colQty"));
        d.text(cols.unit_x, y, 7.5, true, t(lang, "doc.colUnit"));
        d.text_right(cols.price_x, y, 7.5, true, t(lang, "doc.colPrice"));
        d.text_right(cols.disc_x, y, 7.5, true, t(lang, "doc.colDiscount"));
        d.text_right(cols.tax_x, y, 7.5, true, t(lang, "doc.colTax"));
        d.text_right(cols.amount_x, y, 7.5, true, t(lang, "doc.colAmount"));
        d.y += 1.8;
        d.line(left, d.y, right, d.y, 0.6);
    };
    header(&mut d);
    let lh = pt(9.0) * 1.3;
    for l in inv["lines"].as_array().map(|v| v.as_slice()).unwrap_or(&[]) {
        let desc = wrap(s(&l["description"]), 9.0, false, cols.desc_width());
        let h = desc.len() as f32 * lh + 2.0;
        if d.ensure(h + 2.0) {
            header(&mut d);
        }
        let y = d.y + lh;
        d.text(cols.no_x, y, 9.0, false, &l["position"].to_string());
        for (i, dl) in desc.iter().enumerate() {
            d.text(cols.desc_x, y + i as f32 * lh, 9.0, false, dl);
        }
        d.text_right(cols.qty_x, y, 9.0, false, &fmt::number(lang, s(&l["quantity"])));
        d.text(cols.unit_x, y, 9.0, false, s(&l["unit"]));
        d.text_right(cols.price_x, y, 9.0, false, &fmt::number(lang, s(&l["unitPrice"])));
        let disc = s(&l["discountPercent"]);
        if disc != "0" && !disc.is_empty() {
            d.text_right(cols.disc_x, y, 9.0, false, &format!("{}%", fmt::number(lang, disc)));
        }
        d.text_right(cols.tax_x, y, 9.0, false, &format!("{}%", fmt::number(lang, s(&l["taxRate"]))));
        d.text_right(cols.amount_x, y, 9.0, false, &fmt::number(lang, s(&l["amount"])));
        d.y += h;
        d.line(left, d.y, right, d.y, 0.15);
    }
    // Totals, right-aligned; per tax rate.
    let tot = &inv["totals"];
    let include = tot["pricesIncludeTax"].as_bool().unwrap_or(false);
    let mut rows: Vec<(String, String, bool)> = vec![(t(lang, "doc.subtotal").to_string(), money(s(&tot["subtotal"])), false)];
    if !is_zero(s(&tot["discount"])) {
        rows.push((t(lang, "doc.discount").to_string(), format!("−{}", money(s(&tot["discount"]))), false));
    }
    for r in tot["rates"].as_array().map(|v| v.as_slice()).unwrap_or(&[]) {
        let rate = r["rate"].as_str().unwrap_or("0");
        if rate != "0" {
            let key = if include { "doc.taxIncluded" } else { "doc.tax" };
            rows.push((tf(lang, key, &[("rate", &fmt::number(lang, rate))]), money(s(&r["tax"])), false));
        }
    }
    // A reminder asks for what is due now: the invoice's total is shown as such, then the late
    // fee and what was received, and the amount still open is the bold line (and the words).
    let mut in_words = s(&tot["total"]).to_string();
    match reminder {
        Some(r) => {
            use std::str::FromStr;
            let dec = |a: &str| rust_decimal::Decimal::from_str(a).unwrap_or_default();
            let received = dec(s(&tot["total"])) + dec(&r.fee) - dec(&r.open);
            rows.push((t(lang, "doc.invoiceTotal").to_string(), money(s(&tot["total"])), false));
            if !is_zero(&r.fee) {
                rows.push((t(lang, "doc.lateFee").to_string(), money(&r.fee), false));
            }
            if received > rust_decimal::Decimal::ZERO {
                rows.push((t(lang, "doc.amountReceived").to_string(), format!("−{}", money(&received.to_string())), false));
            }
            rows.push((t(lang, "doc.stillOpen").to_string(), money(&r.open), true));
            in_words = r.open.clone();
        }
        None => rows.push((t(lang, "doc.total").to_string(), money(s(&tot["total"])), true)),
    }
    d.ensure(rows.len() as f32 * 5.5 + 20.0);
    d.y += 3.0;
    for (label, value, bold) in &rows {
        d.y += if *bold { 6.5 } else { 5.0 };
        if *bold {
            d.line(INFO_X, d.y - 5.0, right, d.y - 5.0, 0.6);
        }
        // Label and figure share the column: a long label before a 7-digit total gets a
        // smaller size (never below 7 pt) instead of running into the figure.
        let size = if *bold { 11.0 } else { 9.0 };
        let room = right - INFO_X - width(value, size, *bold) - 3.0;
        let label_size = fit_size(label, size, 7.0, *bold, room).unwrap_or(7.0);
        d.text(INFO_X, d.y, label_size, *bold, label);
        d.text_right(right, d.y, size, *bold, value);
    }
    d.y += 6.0;
    // Amount in words.
    if let Some((major, minor)) = split_amount(&in_words) {
        let digits = Currency::parse(&cur, "c").map(|c| c.minor_units).unwrap_or(2);
        let words = amount_in_words(lang, major, minor, &cur, digits);
        d.paragraph(left, right - left, 9.0, false, &format!("{} {words}", t(lang, "doc.amountInWords")));
    }
    d.y += 2.0;
    // Terms and due date.
    let terms = s(&inv["terms"]["sentence"]);
    if !terms.is_empty() {
        d.paragraph(left, right - left, 9.0, true, terms);
    }
    // Bank details.
    let bank: Vec<(String, &str)> = payment_details(seller, s(&inv["number"])).into_iter().map(|(k, v)| (t(lang, k).to_string(), v)).collect();
    d.ensure(bank.len() as f32 * 4.6 + 10.0);
    d.y += 4.0;
    d.text(left, d.y, 9.0, true, t(lang, "doc.paymentDetails"));
    for (k, v) in bank {
        d.y += 4.6;
        d.grey_text(left, d.y, 8.5, &k);
        d.text(left + 38.0, d.y, 9.0, false, v);
    }
    d.y += 4.0;
    if !s(&inv["notes"]).is_empty() {
        d.paragraph(left, right - left, 9.0, false, s(&inv["notes"]));
    }
    let thanks = if seller.thank_you.is_empty() { t(lang, "doc.thankYouDefault").to_string() } else { seller.thank_you.clone() };
    d.y += 2.0;
    d.paragraph(left, right - left, 9.5, false, &thanks);
    number(&mut d, lang, &format!("{title} — {name}"));
    d.pages
}

/// Where to pay and with which reference, as (label key, value): the details the seller gave.
pub fn payment_details<'a>(seller: &'a Profile, reference: &'a str) -> Vec<(&'static str, &'a str)> {
    [
        ("doc.bankName", seller.bank_name.as_str()),
        ("doc.bankAccount", seller.bank_account.as_str()),
        ("doc.bankBic", seller.bank_bic.as_str()),
        ("doc.bankKbe", seller.bank_kbe.as_str()),
        ("doc.paymentReference", reference),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

fn number(d: &mut Doc, lang: Lang, running_head: &str) {
    d.running_head(running_head);
    d.number_pages(|n, m| tf(lang, "doc.page", &[("n", &n.to_string()), ("m", &m.to_string())]));
}

fn is_zero(a: &str) -> bool {
    a.chars().all(|c| c == '0' || c == '.' || c == '-')
}

fn split_amount(a: &str) -> Option<(u64, u32)> {
    let (i, f) = a.split_once('.').unwrap_or((a, "0"));
    Some((i.trim_start_matches('-').parse().ok()?, f.parse().ok()?))
}

/// Column positions (mm from the page's left edge; numeric columns are right edges).
struct Columns {
    no_x: f32,
    desc_x: f32,
    qty_x: f32,
    unit_x: f32,
    price_x: f32,
    disc_x: f32,
    tax_x: f32,
    amount_x: f32,
}

impl Columns {
    fn new(left: f32, right: f32) -> Columns {
        Columns {
            no_x: left,
            desc_x: left + 7.0,
            qty_x: right - 78.0,
            unit_x: right - 76.0,
            price_x: right - 44.0,
            disc_x: right - 32.0,
            tax_x: right - 21.0,
            amount_x: right,
        }
    }
    fn desc_width(&self) -> f32 {
        self.qty_x - 14.0 - self.desc_x
    }
}

/// A one-page letter (discrepancy notice, thank-you receipt) with a table of figures.
pub struct Letter<'a> {
    pub title: String,
    pub date: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub figures: Vec<(String, String, bool)>,
    pub closing: Vec<String>,
    pub to: Recipient<'a>,
}

pub fn letter(l: &Letter, seller: &Profile, lang: Lang, env: Envelope) -> Vec<PageLayout> {
    let mut d = Doc::new(env.paper());
    head(&mut d, seller, &l.to, env, lang, &[(t(lang, "doc.date").to_string(), fmt::date(lang, &l.date))]);
    let (left, right) = (d.left, d.right);
    d.y += pt(14.0);
    d.text(left, d.y, 14.0, true, &l.title);
    d.y += 6.0;
    d.paragraph(left, right - left, 10.0, false, &l.greeting);
    d.y += 2.0;
    for p in &l.paragraphs {
        d.paragraph(left, right - left, 10.0, false, p);
        d.y += 2.5;
    }
    d.y += 2.0;
    for (label, value, bold) in &l.figures {
        d.y += 5.5;
        d.text(left + 10.0, d.y, 10.0, *bold, label);
        d.text_right(left + 120.0, d.y, 10.0, *bold, value);
    }
    d.y += 6.0;
    for p in &l.closing {
        d.paragraph(left, right - left, 10.0, false, p);
        d.y += 2.5;
    }
    d.y += 4.0;
    d.paragraph(left, right - left, 10.0, false, &seller.name);
    number(&mut d, lang, &format!("{} — {}", l.title, l.to.name));
    d.pages
}

/// The statement of account (from the `statement` command's JSON).
pub fn statement(st: &Value, seller: &Profile, lang: Lang, env: Envelope, country: &str) -> Vec<PageLayout> {
    let cur = s(&st["currency"]).to_string();
    let money = |a: &str| fmt::money(lang, a, &cur);
    let mut d = Doc::new(env.paper());
    let period = format!("{} – {}", fmt::date(lang, s(&st["from"])), fmt::date(lang, s(&st["to"])));
    head(
        &mut d,
        seller,
        &Recipient { name: s(&st["customerName"]), address: s(&st["address"]), country },
        env,
        lang,
        &[(t(lang, "doc.period").to_string(), period)],
    );
    let (left, right) = (d.left, d.right);
    d.y += pt(14.0);
    d.text(left, d.y, 14.0, true, t(lang, "doc.statementTitle"));
    d.y += 8.0;
    let header = |d: &mut Doc| {
        let y = d.y;
        d.text(left, y, 7.5, true, t(lang, "doc.date"));
        d.text(left + 24.0, y, 7.5, true, t(lang, "doc.colDescription"));
        d.text_right(right - 60.0, y, 7.5, true, t(lang, "doc.debit"));
        d.text_right(right - 30.0, y, 7.5, true, t(lang, "doc.credit"));
        d.text_right(right, y, 7.5, true, t(lang, "doc.balance"));
        d.y += 1.8;
        d.line(left, d.y, right, d.y, 0.6);
    };
    header(&mut d);
    d.y += 5.0;
    d.text(left + 24.0, d.y, 9.0, true, t(lang, "doc.openingBalance"));
    d.text_right(right, d.y, 9.0, true, &money(s(&st["opening"])));
    for l in st["lines"].as_array().map(|v| v.as_slice()).unwrap_or(&[]) {
        if d.ensure(6.0) {
            d.y += 4.0;
            header(&mut d);
        }
        d.y += 4.8;
        let kind = s(&l["kind"]);
        let label = match l["document"].as_str().filter(|x| !x.is_empty()) {
            Some(doc) => format!("{} {doc}", t(lang, &format!("doc.kind.{kind}"))),
            None => t(lang, &format!("doc.kind.{kind}")).to_string(),
        };
        d.text(left, d.y, 8.5, false, &fmt::date(lang, s(&l["date"])));
        d.text(left + 24.0, d.y, 8.5, false, &label);
        if !is_zero(s(&l["debit"])) {
            d.text_right(right - 60.0, d.y, 8.5, false, &fmt::number(lang, s(&l["debit"])));
        }
        if !is_zero(s(&l["credit"])) {
            d.text_right(right - 30.0, d.y, 8.5, false, &fmt::number(lang, s(&l["credit"])));
        }
        d.text_right(right, d.y, 8.5, false, &fmt::number(lang, s(&l["balance"])));
    }
    d.y += 2.0;
    d.line(left, d.y, right, d.y, 0.6);
    d.y += 5.5;
    d.text(left + 24.0, d.y, 10.0, true, t(lang, "doc.closingBalance"));
    d.text_right(right, d.y, 10.0, true, &money(s(&st["closing"])));
    // Ageing of what is open.
    let a = &st["ageing"];
    d.ensure(30.0);
    d.y += 10.0;
    d.text(left, d.y, 9.0, true, t(lang, "doc.ageingTitle"));
    let buckets = ["current", "d1_30", "d31_60", "d61_90", "d90_plus"];
    let colw = (right - left) / 5.0;
    d.y += 5.0;
    for (i, b) in buckets.iter().enumerate() {
        d.grey_text(left + i as f32 * colw, d.y, 7.5, t(lang, &format!("doc.bucket.{b}")));
    }
    d.y += 4.6;
    for (i, b) in buckets.iter().enumerate() {
        d.text(left + i as f32 * colw, d.y, 9.0, false, &fmt::number(lang, s(&a[*b])));
    }
    if !is_zero(s(&a["credit"])) {
        d.y += 7.0;
        d.text(left, d.y, 9.0, false, &tf(lang, "doc.unappliedCredit", &[("amount", &money(s(&a["credit"])))]));
    }
    number(&mut d, lang, &format!("{} — {}", t(lang, "doc.statementTitle"), s(&st["customerName"])));
    d.pages
}

/// A credit note (from `get_credit_note` JSON), referencing the original invoice.
pub fn credit_note(cn: &Value, inv: &Value, seller: &Profile, lang: Lang, env: Envelope) -> Vec<PageLayout> {
    let cur = s(&cn["currency"]).to_string();
    let money = |a: &str| fmt::money(lang, a, &cur);
    let mut d = Doc::new(env.paper());
    let (name, address, country) = recipient_of(inv);
    let info = vec![
        (t(lang, "doc.creditNoteNo").to_string(), s(&cn["number"]).to_string()),
        (t(lang, "doc.date").to_string(), fmt::date(lang, s(&cn["date"]))),
        (t(lang, "doc.originalInvoice").to_string(), s(&cn["invoiceNumber"]).to_string()),
        (t(lang, "doc.originalDate").to_string(), fmt::date(lang, s(&inv["issueDate"]))),
    ];
    head(&mut d, seller, &Recipient { name: &name, address: &address, country: &country }, env, lang, &info);
    let (left, right) = (d.left, d.right);
    d.y += pt(15.0);
    d.text(left, d.y, 15.0, true, &tf(lang, "doc.creditNoteTitle", &[("number", s(&cn["number"]))]));
    d.y += 6.0;
    d.paragraph(
        left,
        right - left,
        10.0,
        false,
        &tf(lang, "doc.creditNoteIntro", &[("invoice", s(&cn["invoiceNumber"])), ("date", &fmt::date(lang, s(&inv["issueDate"])))]),
    );
    d.y += 2.0;
    d.paragraph(left, right - left, 10.0, false, &format!("{} {}", t(lang, "doc.reason"), s(&cn["reason"])));
    if let Some(lines) = cn["lines"].as_array().filter(|l| !l.is_empty()) {
        d.y += 3.0;
        for l in lines {
            d.paragraph(left + 4.0, right - left - 4.0, 9.0, false, &format!("• {} × {}", s(&l["description"]), fmt::number(lang, s(&l["quantity"]))));
        }
    }
    d.y += 4.0;
    for (label, value, bold) in [
        (t(lang, "doc.net").to_string(), money(s(&cn["net"])), false),
        (t(lang, "doc.taxTotal").to_string(), money(s(&cn["tax"])), false),
        (t(lang, "doc.creditTotal").to_string(), money(s(&cn["total"])), true),
    ] {
        d.y += if bold { 6.5 } else { 5.0 };
        d.text(INFO_X, d.y, if bold { 11.0 } else { 9.0 }, bold, &label);
        d.text_right(right, d.y, if bold { 11.0 } else { 9.0 }, bold, &value);
    }
    number(&mut d, lang, &format!("{} — {name}", tf(lang, "doc.creditNoteTitle", &[("number", s(&cn["number"]))])));
    d.pages
}

/// One page that outlines the window, to hold against an envelope before printing invoices.
pub fn calibration(seller: &Profile, lang: Lang, env: Envelope) -> Vec<PageLayout> {
    let mut d = Doc::new(env.paper());
    let (x, y, w, h) = env.window();
    d.rect(x, y, w, h, false);
    head(&mut d, seller, &Recipient { name: t(lang, "doc.calibrationName"), address: t(lang, "doc.calibrationAddress"), country: "" }, env, lang, &[]);
    let (left, right) = (d.left, d.right);
    d.y += 10.0;
    d.text(left, d.y, 14.0, true, t(lang, "doc.calibrationTitle"));
    d.y += 4.0;
    d.paragraph(left, right - left, 10.0, false, t(lang, "doc.calibrationText"));
    d.pages
}
