//! The documents: invoice (and its reminder copy), credit note, payment discrepancy notice,
//! thank-you receipt, statement of account and the envelope calibration page — laid out in
//! the customer's language from the same catalogues as the UI.

use super::envelope::Envelope;
use super::fmt;
use super::layout::{fit_size, pt, width, wrap, Doc, PageLayout, Paper};
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

/// Lines wrapped to `max` mm, at most `cap` of them; when text is left over, the last line
/// ends in "…" so a cut never passes for the whole.
fn capped(lines: Vec<String>, cap: usize, size: f32, bold: bool, max: f32) -> Vec<String> {
    if lines.len() <= cap {
        return lines;
    }
    let mut kept: Vec<String> = lines.into_iter().take(cap).collect();
    if let Some(last) = kept.last_mut() {
        while !last.is_empty() && width(&format!("{last}…"), size, bold) > max {
            last.pop();
        }
        last.push('…');
    }
    kept
}

/// Letterhead, window address, fold marks and the info block; leaves the cursor below them.
fn head(
    d: &mut Doc,
    seller: &Profile,
    to: &Recipient,
    env: Envelope,
    lang: Lang,
    info: &[(String, String)],
) {
    let right = d.right;
    let (wx, wy, ww, wh) = env.window();
    // The seller and the info column start right of the window (a US window reaches 124 mm).
    let info_x = INFO_X.max(wx + ww + 3.0);
    let col = right - info_x;
    // Seller block, top right: the name on one line if it fits down to 9 pt, else wrapped.
    let mut y = 18.0;
    match fit_size(&seller.name, 11.0, 9.0, true, col) {
        Some(size) => d.text(info_x, y, size, true, &seller.name),
        None => {
            for (i, l) in capped(wrap(&seller.name, 9.0, true, col), 3, 9.0, true, col)
                .iter()
                .enumerate()
            {
                if i > 0 {
                    y += pt(9.0) * 1.25;
                }
                d.text(info_x, y, 9.0, true, l);
            }
        }
    }
    let bin = if seller.bin.is_empty() {
        String::new()
    } else {
        format!("{} {}", t(lang, "doc.bin"), seller.bin)
    };
    let vat = if seller.vat_payer && !seller.vat_registration.is_empty() {
        format!(
            "{} {}",
            t(lang, "doc.vatRegistration"),
            seller.vat_registration
        )
    } else {
        String::new()
    };
    let details: Vec<String> = seller
        .address
        .lines()
        .chain([bin.as_str(), vat.as_str()])
        .chain(seller.tax_ids.lines())
        .chain([seller.phone.as_str(), seller.email.as_str()])
        .filter(|l| !l.trim().is_empty())
        .flat_map(|l| wrap(l, 8.5, false, col))
        .collect();
    for l in capped(details, 8, 8.5, false, col) {
        y += pt(8.5) * 1.3;
        d.grey_text(info_x, y, 8.5, &l);
    }
    let seller_bottom = y;
    // The logo, top left, above the window's return address (its height is what the preset
    // and the user's offset leave; none when less than 6 mm is left).
    let area = env.address_area();
    if let Some(logo) = &seller.logo {
        let top = 10.0;
        let max_h = (wy - 3.0 - top).min(20.0);
        if max_h >= 6.0 {
            d.logo(area.x, top, (info_x - 5.0 - area.x).min(60.0), max_h, logo);
        }
    }
    // Fold and punch marks at the left edge.
    for m in env.fold_marks() {
        d.line(3.0, m, 8.0, m, 0.3);
    }
    if let Some(p) = env.punch_mark() {
        d.line(3.0, p, 10.0, p, 0.3);
    }
    let block = d.item_count();
    // The return address (small, underlined) on one line, its postcode included: smaller
    // type (down to 5 pt) first; then the middle address lines go, never the last one (city
    // and postcode route a returned letter).
    if let Some(ret) = area.return_line {
        let addr: Vec<&str> = seller
            .address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut candidates = vec![std::iter::once(seller.name.as_str())
            .chain(addr.iter().copied())
            .collect::<Vec<_>>()
            .join(", ")];
        if let Some(last) = addr.last() {
            candidates.push(format!("{}, {last}", seller.name));
        }
        let (ret_text, ret_size) = candidates
            .iter()
            .find_map(|c| fit_size(c, 6.5, 5.0, false, 75.0).map(|size| (c.clone(), size)))
            .unwrap_or_else(|| (candidates[candidates.len() - 1].clone(), 5.0));
        if let Some(r) = capped(
            wrap(&ret_text, ret_size, false, 75.0),
            1,
            ret_size,
            false,
            75.0,
        )
        .first()
        {
            d.grey_text(area.x, ret, ret_size, r);
            d.line(
                area.x,
                ret + 0.8,
                area.x + width(r, ret_size, false),
                ret + 0.8,
                0.2,
            );
        }
    }
    // The recipient: name, address, and the country only on mail abroad (a domestic letter
    // ends with its city and postcode), at the largest size from 10 pt down to 8 pt at which
    // every line fits; below that the name and the last lines (city, country) are kept.
    let mut given: Vec<&str> = vec![to.name];
    given.extend(to.address.lines().filter(|l| !l.trim().is_empty()));
    let country = to.country.to_uppercase();
    if !to.country.is_empty() && !same_country(to.country, &seller.country) {
        given.push(&country);
    }
    let mut placed = (8.0, Vec::new());
    for size in [10.0, 9.5, 9.0, 8.5, 8.0] {
        let (up, down) = super::fonts::metrics(true).ascent_descent_mm(size);
        let pitch = address_pitch(size);
        let room = (((area.bottom - area.top - up - down) / pitch).floor() as usize + 1).max(1);
        // (text, bold): the name is set in bold, and may take two lines.
        let lines: Vec<(String, bool)> = given
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                wrap(l, size, i == 0, area.width)
                    .into_iter()
                    .map(move |w| (w, i == 0))
            })
            .collect();
        if lines.len() <= room || size == 8.0 {
            let lines = if lines.len() > room {
                // Keep the name's first line and the last lines (city, country): they route the letter.
                let mut v = vec![lines[0].clone()];
                v.extend(lines[lines.len() - (room - 1)..].iter().cloned());
                v
            } else {
                lines
            };
            placed = (size, lines);
            break;
        }
    }
    let (size, lines) = placed;
    let first = area.top + super::fonts::metrics(true).ascent_descent_mm(size).0;
    for (i, (l, bold)) in lines.iter().enumerate() {
        d.text(
            area.x,
            first + i as f32 * address_pitch(size),
            size,
            *bold,
            l,
        );
    }
    d.mark("recipient", block);
    // Info block to the right of the window, below the seller block.
    let mut iy = (wy + 4.0).max(seller_bottom + 6.0);
    for (label, value) in info {
        let label_size = fit_size(label, 8.5, 6.5, false, col).unwrap_or(6.5);
        d.grey_text(info_x, iy, label_size, label);
        // A value that does not fit beside its label goes on the next line(s).
        if width(label, label_size, false) + 3.0 + width(value, 9.0, false) > col {
            for l in wrap(value, 9.0, false, col) {
                iy += 4.2;
                d.text_right(right, iy, 9.0, false, &l);
            }
        } else {
            d.text_right(right, iy, 9.0, false, value);
        }
        iy += 4.6;
    }
    let address_bottom = first + lines.len().saturating_sub(1) as f32 * address_pitch(size);
    d.y = (wy + wh).max(iy).max(address_bottom) + 8.0;
}

/// The recipient lines' spacing: 4.4 mm at 10 pt (DIN 5008's address field), 1.2 em when
/// smaller type has to fit a US window's narrow band.
fn address_pitch(size: f32) -> f32 {
    if size >= 10.0 {
        4.4
    } else {
        pt(size) * 1.2
    }
}

/// Whether a customer's country is the shop's own: ISO codes or the usual names of
/// Kazakhstan in three languages; a shop that gave no country is taken to be in Kazakhstan.
fn same_country(customer: &str, seller: &str) -> bool {
    let norm = |c: &str| {
        if crate::ids::is_kazakhstan(c) {
            "kz".to_string()
        } else {
            c.trim().to_lowercase()
        }
    };
    norm(customer) == norm(seller)
}

fn recipient_of(inv: &Value) -> (String, String, String) {
    let c = &inv["customer"];
    let name = if s(&c["name"]).is_empty() {
        s(&inv["customerName"])
    } else {
        s(&c["name"])
    };
    (
        name.to_string(),
        s(&c["address"]).to_string(),
        s(&c["country"]).to_string(),
    )
}

/// A reminder copy's extra information.
pub struct ReminderInfo {
    pub level: i64,
    pub date: String,
    pub open: String,
    pub fee: String,
    pub text: String,
    /// What settled part of it by the reminder's date, one line each (label, amount): the
    /// payments received with their dates, credit used, credit notes, write-offs.
    pub received: Vec<(String, String)>,
}

/// The invoice (or, with `reminder`, its reminder copy: same number and date, marked, with the
/// open balance).
pub fn invoice(
    inv: &Value,
    seller: &Profile,
    lang: Lang,
    env: Envelope,
    reminder: Option<&ReminderInfo>,
) -> Vec<PageLayout> {
    // A quote (#22) is laid out as an invoice that asks for nothing: its own title and number,
    // valid until instead of due, no purpose of payment, payment terms or bank details.
    let quote = inv["documentKind"] == "quote";
    let title_key = if quote {
        "doc.quoteTitle"
    } else {
        "doc.invoiceTitle"
    };
    let cur = s(&inv["currency"]).to_string();
    let money = |a: &str| fmt::money(lang, a, &cur);
    let mut d = Doc::new(env.paper());
    let (name, address, country) = recipient_of(inv);
    let mut info = vec![
        (
            t(
                lang,
                if quote {
                    "doc.quoteNo"
                } else {
                    "doc.invoiceNo"
                },
            )
            .to_string(),
            s(&inv["number"]).to_string(),
        ),
        (
            t(lang, "doc.date").to_string(),
            fmt::date(lang, s(&inv["issueDate"])),
        ),
    ];
    if let Some(from) = inv["serviceFrom"].as_str() {
        let to = inv["serviceTo"].as_str().unwrap_or(from);
        let label = if to == from {
            "doc.servicePeriod"
        } else {
            "doc.servicePeriodRange"
        };
        info.push((t(lang, label).to_string(), fmt::period(lang, from, to)));
    }
    match inv["dueDate"].as_str() {
        _ if quote => info.push((
            t(lang, "doc.validUntil").to_string(),
            fmt::date(lang, s(&inv["validUntil"])),
        )),
        Some(due) => info.push((t(lang, "doc.dueDate").to_string(), fmt::date(lang, due))),
        None => info.push((
            t(lang, "doc.dueDate").to_string(),
            t(lang, "doc.dueAfterReceipt").to_string(),
        )),
    }
    if !s(&inv["customer"]["taxId"]).is_empty() {
        info.push((
            t(lang, "doc.customerTaxId").to_string(),
            s(&inv["customer"]["taxId"]).to_string(),
        ));
    }
    let contract = contract_text(&inv["customer"], lang);
    if let Some(c) = &contract {
        info.push((t(lang, "doc.contract").to_string(), c.clone()));
    }
    // The layout Kazakh accountants know (payment order sample first), for kk and ru.
    let kz = seller.kz_layout && lang != Lang::En && reminder.is_none() && !quote;
    if let Some(r) = reminder {
        info.push((
            t(lang, "doc.reminderDate").to_string(),
            fmt::date(lang, &r.date),
        ));
    }
    head(
        &mut d,
        seller,
        &Recipient {
            name: &name,
            address: &address,
            country: &country,
        },
        env,
        lang,
        &info,
    );
    let (left, right) = (d.left, d.right);
    // Title, wrapped (a reminder's title is long in Russian).
    let title = match reminder {
        Some(r) => {
            format!(
                "{} — {}",
                t(lang, &format!("doc.reminderTitle{}", r.level.clamp(1, 3))),
                tf(lang, "doc.invoiceTitle", &[("number", s(&inv["number"]))])
            )
        }
        None => tf(lang, title_key, &[("number", s(&inv["number"]))]),
    };
    if kz {
        d.y -= 2.0;
        payment_order_sample(&mut d, seller, s(&inv["purpose"]), lang);
        d.y += pt(13.0) + 3.0;
        let date = fmt::date(lang, s(&inv["issueDate"]));
        d.title(
            13.0,
            &tf(
                lang,
                "doc.kz.title",
                &[("number", s(&inv["number"])), ("date", &date)],
            ),
        );
        d.y += 2.0;
        d.line(left, d.y, right, d.y, 0.8);
        d.y += 1.5;
        parties(&mut d, seller, inv, &name, contract.as_deref(), lang);
    } else {
        d.y += pt(15.0);
        d.title(15.0, &title);
        d.y += 5.0;
    }
    if let Some(r) = reminder {
        d.paragraph(left, right - left, 10.0, false, &r.text);
        d.y += 2.0;
        let mut open_line = tf(lang, "doc.openBalance", &[("amount", &money(&r.open))]);
        if r.fee != "0" && !r.fee.chars().all(|c| c == '0' || c == '.') {
            open_line.push_str(&format!(
                " ({})",
                tf(lang, "doc.lateFeeIncluded", &[("amount", &money(&r.fee))])
            ));
        }
        d.paragraph(left, right - left, 10.5, true, &open_line);
        d.y += 4.0;
    }
    // Purpose of payment: prominent, in a shaded box (the Kazakh layout has it in the sample).
    if quote {
        d.y += 2.0;
    } else if !kz {
        let purpose_lines = wrap(s(&inv["purpose"]), 10.5, true, right - left - 8.0);
        let box_h = 6.5 + purpose_lines.len() as f32 * pt(10.5) * 1.3 + 2.0;
        d.ensure(box_h + 4.0);
        let top = d.y;
        d.rect(left, top, right - left, box_h, true);
        d.grey_text(left + 4.0, top + 4.5, 8.0, t(lang, "doc.purpose"));
        for (i, l) in purpose_lines.iter().enumerate() {
            d.text(
                left + 4.0,
                top + 9.5 + i as f32 * pt(10.5) * 1.3,
                10.5,
                true,
                l,
            );
        }
        d.y = top + box_h + 6.0;
    } else {
        d.y += 2.0;
    }
    // The lines table: the figure columns as wide as their widest figure, the description
    // gets the rest.
    let rows: Vec<Row> = inv["lines"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|l| {
            let disc = s(&l["discountPercent"]);
            Row {
                no: l["position"].to_string(),
                desc: s(&l["description"]).to_string(),
                qty: fmt::number(lang, s(&l["quantity"])),
                unit: s(&l["unit"]).to_string(),
                price: fmt::number(lang, s(&l["unitPrice"])),
                disc: if disc != "0" && !disc.is_empty() {
                    format!("{}%", fmt::number(lang, disc))
                } else {
                    String::new()
                },
                tax: format!("{}%", fmt::number(lang, s(&l["taxRate"]))),
                amount: fmt::number(lang, s(&l["amount"])),
            }
        })
        .collect();
    let heads = [
        t(lang, "doc.colQty"),
        t(lang, "doc.colUnit"),
        t(lang, "doc.colPrice"),
        t(lang, "doc.colDiscount"),
        t(lang, "doc.colTax"),
        t(lang, "doc.colAmount"),
    ];
    let cols = Columns::new(left, right, &heads, &rows);
    let header = |d: &mut Doc| {
        d.y += 4.0;
        let y = d.y;
        d.text(cols.no_x, y, 7.5, true, "№");
        d.text(cols.desc_x, y, 7.5, true, t(lang, "doc.colDescription"));
        d.text_right(cols.qty_r, y, 7.5, true, heads[0]);
        d.text(cols.unit_x, y, 7.5, true, heads[1]);
        d.text_right(cols.price_r, y, 7.5, true, heads[2]);
        d.text_right(cols.disc_r, y, 7.5, true, heads[3]);
        d.text_right(cols.tax_r, y, 7.5, true, heads[4]);
        d.text_right(cols.amount_r, y, 7.5, true, heads[5]);
        d.y += 1.8;
        d.line(left, d.y, right, d.y, 0.6);
    };
    header(&mut d);
    // Totals, right-aligned; per tax rate.
    let tot = &inv["totals"];
    let include = tot["pricesIncludeTax"].as_bool().unwrap_or(false);
    let mut figures: Vec<(String, String, bool)> = vec![(
        t(lang, "doc.subtotal").to_string(),
        money(s(&tot["subtotal"])),
        false,
    )];
    if !is_zero(s(&tot["discount"])) {
        figures.push((
            t(lang, "doc.discount").to_string(),
            format!("−{}", money(s(&tot["discount"]))),
            false,
        ));
    }
    for r in tot["rates"].as_array().map_or(&[][..], Vec::as_slice) {
        let rate = r["rate"].as_str().unwrap_or("0");
        if rate != "0" {
            let key = if include {
                "doc.taxIncluded"
            } else {
                "doc.tax"
            };
            figures.push((
                tf(lang, key, &[("rate", &fmt::number(lang, rate))]),
                money(s(&r["tax"])),
                false,
            ));
        }
    }
    // A business that is not a VAT payer says so, as Kazakh invoices do.
    if !seller.vat_payer
        && is_zero(s(&tot["tax"]))
        && (kz || crate::ids::is_kazakhstan(&seller.country))
    {
        figures.push((t(lang, "doc.noVat").to_string(), String::new(), false));
    }
    // A reminder asks for what is due now: the invoice's total is shown as such, then the late
    // fee and what was received, and the amount still open is the bold line (and the words).
    let mut in_words = s(&tot["total"]).to_string();
    match reminder {
        Some(r) => {
            use std::str::FromStr;
            let dec = |a: &str| rust_decimal::Decimal::from_str(a).unwrap_or_default();
            let received = dec(s(&tot["total"])) + dec(&r.fee) - dec(&r.open);
            figures.push((
                t(lang, "doc.invoiceTotal").to_string(),
                money(s(&tot["total"])),
                false,
            ));
            if !is_zero(&r.fee) {
                figures.push((t(lang, "doc.lateFee").to_string(), money(&r.fee), false));
            }
            if !r.received.is_empty() {
                for (label, amount) in &r.received {
                    figures.push((label.clone(), format!("−{}", money(amount)), false));
                }
            } else if received > rust_decimal::Decimal::ZERO {
                figures.push((
                    t(lang, "doc.amountReceived").to_string(),
                    format!("−{}", money(&received.to_string())),
                    false,
                ));
            }
            figures.push((t(lang, "doc.stillOpen").to_string(), money(&r.open), true));
            in_words = r.open.clone();
        }
        None => {
            // Printed again after a payment, a credit used or a credit note: what was settled is
            // shown, and the amount due now is the bold line (and the words).
            use std::str::FromStr;
            let dec = |a: &str| rust_decimal::Decimal::from_str(a).ok();
            match (dec(s(&tot["total"])), inv["open"].as_str().and_then(dec)) {
                (Some(total), Some(open)) if s(&inv["status"]) != "draft" && open < total => {
                    figures.push((
                        t(lang, "doc.invoiceTotal").to_string(),
                        money(s(&tot["total"])),
                        false,
                    ));
                    figures.push((
                        t(lang, "doc.paidOrCredited").to_string(),
                        format!("−{}", money(&(total - open).to_string())),
                        false,
                    ));
                    figures.push((
                        t(lang, "doc.amountDue").to_string(),
                        money(s(&inv["open"])),
                        true,
                    ));
                    in_words = s(&inv["open"]).to_string();
                }
                _ => figures.push((
                    t(lang, if quote { "doc.quoteTotal" } else { "doc.total" }).to_string(),
                    money(s(&tot["total"])),
                    true,
                )),
            }
        }
    }
    let words = split_amount(&in_words).map(|(major, minor)| {
        let digits = Currency::parse(&cur, "c")
            .map(|c| c.minor_units)
            .unwrap_or(2);
        let w = amount_in_words(lang, major, minor, &cur, digits);
        if kz {
            // "Всего наименований 2, на сумму 18 000,00 KZT" before the total in words.
            let n = inv["lines"].as_array().map_or(0, Vec::len).to_string();
            let count = tf(
                lang,
                "doc.kz.count",
                &[
                    ("n", &n),
                    (
                        "amount",
                        &format!("{} {cur}", fmt::number(lang, s(&tot["total"]))),
                    ),
                ],
            );
            vec![count, tf(lang, "doc.kz.totalInWords", &[("words", &w)])]
        } else {
            vec![format!("{} {w}", t(lang, "doc.amountInWords"))]
        }
    });
    let bank: Vec<(String, &str)> = payment_details(seller, s(&inv["number"]))
        .into_iter()
        .map(|(k, v)| (t(lang, k).to_string(), v))
        .collect();
    let thanks = if quote {
        t(lang, "doc.quoteClosing").to_string()
    } else if seller.thank_you.is_empty() {
        t(lang, "doc.thankYouDefault").to_string()
    } else {
        seller.thank_you.clone()
    };
    // Everything after the table, drawn once to measure it and once on the page.
    let tail = |d: &mut Doc| {
        totals(d, &figures, INFO_X, left, right);
        d.y += 6.0;
        for w in words.iter().flatten() {
            d.paragraph(left, right - left, 9.0, kz, w);
        }
        d.y += 2.0;
        let terms = s(&inv["terms"]["sentence"]);
        if !terms.is_empty() && !quote {
            d.paragraph(left, right - left, 9.0, true, terms);
        }
        // Bank details, kept together (the Kazakh layout has them in the sample at the top).
        if kz || quote {
            d.y += 2.0;
        } else {
            d.ensure(
                bank.iter()
                    .map(|(_, v)| wrap(v, 9.0, false, right - left - 63.0).len())
                    .sum::<usize>() as f32
                    * 4.6
                    + 10.0,
            );
            d.y += 4.0;
            d.text(left, d.y, 9.0, true, t(lang, "doc.paymentDetails"));
            let label_w = bank
                .iter()
                .map(|(k, _)| width(k, 8.5, false))
                .fold(30.0f32, f32::max)
                .min(60.0)
                + 3.0;
            for (k, v) in &bank {
                d.y += 4.6;
                let size = fit_size(k, 8.5, 6.5, false, label_w - 3.0).unwrap_or(6.5);
                d.grey_text(left, d.y, size, k);
                for (i, part) in wrap(v, 9.0, false, right - left - label_w)
                    .iter()
                    .enumerate()
                {
                    if i > 0 {
                        d.y += 4.2;
                    }
                    d.text(left + label_w, d.y, 9.0, false, part);
                }
            }
            d.y += 4.0;
        }
        if !s(&inv["notes"]).is_empty() {
            d.paragraph(left, right - left, 9.0, false, s(&inv["notes"]));
        }
        d.y += 2.0;
        d.paragraph(left, right - left, 9.5, false, &thanks);
        if kz {
            signature_line(d, seller, lang);
        }
    };
    let tail_h = {
        let mut m = Doc::new(d.paper);
        m.bottom = f32::MAX;
        m.y = 0.0;
        tail(&mut m);
        m.y
    };
    let lh = pt(cols.size) * 1.3;
    let page_room = d.bottom - d.top - 8.0;
    let mut rows_here = 0;
    for (i, r) in rows.iter().enumerate() {
        let desc = wrap(&r.desc, cols.size, false, cols.desc_w);
        let unit = wrap(&r.unit, cols.size, false, cols.unit_w);
        let n = desc.len().max(unit.len());
        let h = n as f32 * lh + 2.0;
        // A row stays on one page; the last one goes over with the totals when they fit on a
        // page together, so a page never holds only the totals or the bank details (unless it
        // is the page's only row: the table's header is never left alone either).
        let keep = i + 1 == rows.len() && rows_here > 0 && h + 2.0 + tail_h <= page_room;
        let need = if keep { h + 2.0 + tail_h } else { h + 2.0 };
        if need <= page_room && d.ensure(need) {
            header(&mut d);
            rows_here = 0;
        }
        rows_here += 1;
        let size = cols.size;
        for k in 0..n {
            // A row longer than a page continues on the next one.
            if d.y + lh > d.bottom {
                d.new_page();
                header(&mut d);
            }
            d.y += lh;
            let y = d.y;
            if k == 0 {
                d.text(cols.no_x, y, size, false, &r.no);
                d.text_right(cols.qty_r, y, size, false, &r.qty);
                d.text_right(cols.price_r, y, size, false, &r.price);
                d.text_right(cols.disc_r, y, size, false, &r.disc);
                d.text_right(cols.tax_r, y, size, false, &r.tax);
                d.text_right(cols.amount_r, y, size, false, &r.amount);
            }
            if let Some(l) = desc.get(k) {
                d.text(cols.desc_x, y, size, false, l);
            }
            if let Some(l) = unit.get(k) {
                d.text(cols.unit_x, y, size, false, l);
            }
        }
        d.y += 2.0;
        d.line(left, d.y, right, d.y, 0.15);
    }
    if tail_h <= page_room {
        d.ensure(tail_h);
    }
    tail(&mut d);
    number(
        &mut d,
        lang,
        &tf(lang, title_key, &[("number", s(&inv["number"]))]),
        &name,
    );
    d.pages
}

/// Right-aligned figures with their labels from `x`: the bold one (the total) under a rule.
/// A label that does not fit before its figure starts further left (down to `min_x`), then
/// gets a smaller size (never below 6.5 pt), so it never runs into the figure.
fn totals(d: &mut Doc, figures: &[(String, String, bool)], x: f32, min_x: f32, right: f32) {
    d.ensure(figures.len() as f32 * 5.5 + 20.0);
    d.y += 3.0;
    for (label, value, bold) in figures {
        d.y += if *bold { 6.5 } else { 5.0 };
        let size = if *bold { 11.0 } else { 9.0 };
        let value_size = fit_size(value, size, 7.0, *bold, right - min_x - 25.0).unwrap_or(7.0);
        let value_w = width(value, value_size, *bold);
        let start = (right - value_w - 3.0 - width(label, size, *bold)).clamp(min_x, x);
        if *bold {
            d.line(start, d.y - 5.0, right, d.y - 5.0, 0.6);
        }
        let room = right - start - value_w - 3.0;
        let label_size = fit_size(label, size, 6.5, *bold, room).unwrap_or(6.5);
        let label = capped(
            wrap(label, label_size, *bold, room),
            1,
            label_size,
            *bold,
            room,
        )
        .remove(0);
        d.text(start, d.y, label_size, *bold, &label);
        d.text_right(right, d.y, value_size, *bold, value);
    }
}

/// "№ 12 от 15.01.2026" for the customer's contract, or `None` without a contract number.
fn contract_text(customer: &Value, lang: Lang) -> Option<String> {
    let number = s(&customer["contractNumber"]).trim();
    if number.is_empty() {
        return None;
    }
    Some(
        match customer["contractDate"].as_str().filter(|x| !x.is_empty()) {
            Some(date) => tf(
                lang,
                "doc.contractValue",
                &[("number", number), ("date", &fmt::date(lang, date))],
            ),
            None => tf(lang, "doc.contractNumberOnly", &[("number", number)]),
        },
    )
}

/// The payment order sample at the top of a Kazakh invoice: beneficiary with БИН/ИИН, ИИК, Кбе;
/// the bank, БИК, КНП; the purpose of payment. Cells outlined as on a payment order.
fn payment_order_sample(d: &mut Doc, seller: &Profile, purpose: &str, lang: Lang) {
    let (left, right) = (d.left, d.right);
    let (c2, c3) = (right - 77.0, right - 24.0);
    d.y += pt(9.0);
    d.text(left, d.y, 9.0, true, t(lang, "doc.kz.sample"));
    d.y += 2.0;
    let lh = pt(9.0) * 1.25;
    // One row: the first cell's label and lines, the second and third cells' label and value.
    let row =
        |d: &mut Doc, label: &str, lines: Vec<(String, bool, f32)>, cells: [(&str, &str); 2]| {
            let top = d.y;
            let h = 4.2 + lines.len().max(1) as f32 * lh + 1.5;
            d.rect(left, top, c2 - left, h, false);
            d.rect(c2, top, c3 - c2, h, false);
            d.rect(c3, top, right - c3, h, false);
            d.grey_text(left + 1.5, top + 3.2, 7.0, label);
            for (i, (l, bold, size)) in lines.iter().enumerate() {
                d.text(left + 1.5, top + 3.8 + (i + 1) as f32 * lh, *size, *bold, l);
            }
            for ((label, value), (x, w)) in cells.iter().zip([(c2, c3 - c2), (c3, right - c3)]) {
                d.grey_text(x + 1.5, top + 3.2, 7.0, label);
                let size = fit_size(value, 9.0, 6.0, true, w - 3.0).unwrap_or(6.0);
                let value =
                    capped(wrap(value, size, true, w - 3.0), 1, size, true, w - 3.0).remove(0);
                d.text(x + 1.5, top + 3.8 + lh, size, true, &value);
            }
            d.y = top + h;
        };
    let cell_w = c2 - left - 3.0;
    let mut first: Vec<(String, bool, f32)> =
        capped(wrap(&seller.name, 9.0, true, cell_w), 2, 9.0, true, cell_w)
            .into_iter()
            .map(|l| (l, true, 9.0))
            .collect();
    if !seller.bin.is_empty() {
        first.push((format!("{} {}", t(lang, "doc.bin"), seller.bin), false, 8.5));
    }
    row(
        d,
        t(lang, "doc.kz.beneficiary"),
        first,
        [
            (t(lang, "doc.kz.iik"), &seller.bank_account),
            (t(lang, "doc.kz.kbe"), &seller.bank_kbe),
        ],
    );
    let bank: Vec<(String, bool, f32)> = capped(
        wrap(&seller.bank_name, 9.0, false, cell_w),
        2,
        9.0,
        false,
        cell_w,
    )
    .into_iter()
    .map(|l| (l, false, 9.0))
    .collect();
    row(
        d,
        t(lang, "doc.kz.bank"),
        bank,
        [
            (t(lang, "doc.kz.bik"), &seller.bank_bic),
            (t(lang, "doc.kz.knp"), &seller.knp),
        ],
    );
    // The purpose, across the whole width.
    let top = d.y;
    let lines = capped(
        wrap(purpose, 9.0, true, right - left - 3.0),
        4,
        9.0,
        true,
        right - left - 3.0,
    );
    let h = 4.2 + lines.len().max(1) as f32 * lh + 1.5;
    d.rect(left, top, right - left, h, false);
    d.grey_text(left + 1.5, top + 3.2, 7.0, t(lang, "doc.kz.purpose"));
    for (i, l) in lines.iter().enumerate() {
        d.text(left + 1.5, top + 3.8 + (i + 1) as f32 * lh, 9.0, true, l);
    }
    d.y = top + h;
}

/// "Поставщик:", "Покупатель:" (each with БИН/ИИН, name and address on one wrapped line) and
/// "Договор:" under the Kazakh invoice's title.
fn parties(
    d: &mut Doc,
    seller: &Profile,
    inv: &Value,
    customer_name: &str,
    contract: Option<&str>,
    lang: Lang,
) {
    let (left, right) = (d.left, d.right);
    let one_line = |a: &str| {
        a.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let party = |bin: &str, name: &str, address: &str| {
        let mut parts = Vec::new();
        if !bin.trim().is_empty() {
            parts.push(format!("{} {}", t(lang, "doc.bin"), bin.trim()));
        }
        parts.push(name.to_string());
        let a = one_line(address);
        if !a.is_empty() {
            parts.push(a);
        }
        parts.join(", ")
    };
    let c = &inv["customer"];
    let mut rows = vec![
        (
            t(lang, "doc.kz.supplier"),
            party(&seller.bin, &seller.name, &seller.address),
        ),
        (
            t(lang, "doc.kz.buyer"),
            party(s(&c["taxId"]), customer_name, s(&c["address"])),
        ),
    ];
    if let Some(contract) = contract {
        rows.push((t(lang, "doc.kz.contract"), contract.to_string()));
    }
    let label_w = rows
        .iter()
        .map(|(l, _)| width(l, 8.5, false))
        .fold(0.0f32, f32::max)
        + 3.0;
    let lh = pt(9.0) * 1.35;
    for (label, text) in rows {
        // A party's label and its lines stay on one page (a long address moves over whole).
        let lines = wrap(&text, 9.0, false, right - left - label_w);
        let lines = capped(
            lines,
            ((d.bottom - d.top) / lh) as usize - 2,
            9.0,
            false,
            right - left - label_w,
        );
        d.ensure(lines.len() as f32 * lh + 1.0);
        d.y += 1.0;
        let first = d.y + lh * 0.75;
        d.grey_text(left, first, 8.5, label);
        for (i, l) in lines.iter().enumerate() {
            d.text(left + label_w, first + i as f32 * lh, 9.0, false, l);
        }
        d.y += lines.len() as f32 * lh;
    }
}

/// The executor's signature line of a Kazakh invoice and act: position, a line to sign on with
/// the signature image over it, the name; the seal beside it.
fn signature_line(d: &mut Doc, seller: &Profile, lang: Lang) {
    let left = d.left;
    let position = if seller.signer_position.trim().is_empty() {
        t(lang, "doc.kz.executor").to_string()
    } else {
        seller.signer_position.trim().to_string()
    };
    let size = fit_size(&position, 9.0, 7.0, false, 70.0).unwrap_or(7.0);
    let position = capped(wrap(&position, size, false, 70.0), 1, size, false, 70.0).remove(0);
    // Room for the signature above the line and the seal (30 mm, centred on the line, at the
    // right margin, as a stamp goes beside a signature).
    d.ensure(34.0);
    d.y += 18.0;
    let line_x = left + width(&position, size, false) + 3.0;
    d.text(left, d.y, size, false, &position);
    d.line(line_x, d.y + 0.8, line_x + 40.0, d.y + 0.8, 0.3);
    if let Some(sig) = &seller.signature {
        d.image("signature", line_x + 2.0, d.y - 12.0, 36.0, 12.5, sig);
    }
    let seal_x = d.right - 30.0;
    let name = seller.signer_name.trim();
    if !name.is_empty() {
        let end = if seller.seal.is_some() {
            seal_x - 3.0
        } else {
            d.right
        };
        let room = end - (line_x + 43.0);
        let size = fit_size(&format!("/{name}/"), 9.0, 6.5, false, room).unwrap_or(6.5);
        let text = capped(
            wrap(&format!("/{name}/"), size, false, room),
            1,
            size,
            false,
            room,
        )
        .remove(0);
        d.text(line_x + 43.0, d.y, size, false, &text);
    }
    if let Some(seal) = &seller.seal {
        d.image("seal", seal_x, d.y - 15.0, 30.0, 30.0, seal);
        d.y += 16.0;
    } else {
        d.y += 4.0;
    }
}

/// Where to pay and with which reference, as (label key, value): the details the seller gave.
pub fn payment_details<'a>(
    seller: &'a Profile,
    reference: &'a str,
) -> Vec<(&'static str, &'a str)> {
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

fn number(d: &mut Doc, lang: Lang, document: &str, customer: &str) {
    d.running_head(document, customer);
    d.number_pages(|n, m| {
        tf(
            lang,
            "doc.page",
            &[("n", &n.to_string()), ("m", &m.to_string())],
        )
    });
}

fn is_zero(a: &str) -> bool {
    a.chars().all(|c| c == '0' || c == '.' || c == '-')
}

fn split_amount(a: &str) -> Option<(u64, u32)> {
    let (i, f) = a.split_once('.').unwrap_or((a, "0"));
    Some((i.trim_start_matches('-').parse().ok()?, f.parse().ok()?))
}

/// One line of the invoice table, formatted.
struct Row {
    no: String,
    desc: String,
    qty: String,
    unit: String,
    price: String,
    disc: String,
    tax: String,
    amount: String,
}

/// Column positions (mm from the page's left edge; `_r` are right edges of figure columns)
/// and the size the rows are set in.
struct Columns {
    size: f32,
    no_x: f32,
    desc_x: f32,
    desc_w: f32,
    qty_r: f32,
    unit_x: f32,
    unit_w: f32,
    price_r: f32,
    disc_r: f32,
    tax_r: f32,
    amount_r: f32,
}

impl Columns {
    /// Each figure column as wide as its header or its widest figure; the unit column up to
    /// 20 mm (longer units wrap); the description takes the rest, at least 45 mm: when the
    /// figures leave less, the rows are set smaller (9, 8, then 7 pt).
    fn new(left: f32, right: f32, heads: &[&str; 6], rows: &[Row]) -> Columns {
        const GAP: f32 = 3.0;
        let mut c = None;
        for size in [9.0, 8.0, 7.0] {
            let widest = |head: &str, cell: fn(&Row) -> &str| {
                rows.iter()
                    .map(|r| width(cell(r), size, false))
                    .fold(width(head, 7.5, true), f32::max)
            };
            let no_w = rows
                .iter()
                .map(|r| width(&r.no, size, false))
                .fold(width("№", 7.5, true), f32::max);
            let amount_w = widest(heads[5], |r| &r.amount);
            let tax_r = right - amount_w - GAP;
            let disc_r = tax_r - widest(heads[4], |r| &r.tax) - GAP;
            let price_r = disc_r - widest(heads[3], |r| &r.disc) - GAP;
            let unit_w = widest(heads[1], |r| &r.unit).min(20.0);
            let unit_x = price_r - widest(heads[2], |r| &r.price) - GAP - unit_w;
            let qty_r = unit_x - 1.5;
            let desc_x = left + no_w + 2.5;
            let desc_w = qty_r - widest(heads[0], |r| &r.qty) - GAP - desc_x;
            c = Some(Columns {
                size,
                no_x: left,
                desc_x,
                desc_w,
                qty_r,
                unit_x,
                unit_w,
                price_r,
                disc_r,
                tax_r,
                amount_r: right,
            });
            if desc_w >= 45.0 {
                break;
            }
        }
        c.expect("three sizes tried")
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
    head(
        &mut d,
        seller,
        &l.to,
        env,
        lang,
        &[(t(lang, "doc.date").to_string(), fmt::date(lang, &l.date))],
    );
    let (left, right) = (d.left, d.right);
    d.y += pt(14.0);
    d.title(14.0, &l.title);
    d.y += 6.0;
    d.paragraph(left, right - left, 10.0, false, &l.greeting);
    d.y += 2.0;
    for p in &l.paragraphs {
        d.paragraph(left, right - left, 10.0, false, p);
        d.y += 2.5;
    }
    d.y += 2.0;
    // The figures: labels from 10 mm in, figures right-aligned 120 mm in (further right,
    // up to the margin, when a label and its figure need it).
    for (label, value, bold) in &l.figures {
        d.ensure(6.0);
        d.y += 5.5;
        let value_w = width(value, 10.0, *bold);
        let figure_r =
            (left + 10.0 + width(label, 10.0, *bold) + 3.0 + value_w).clamp(left + 120.0, right);
        let room = figure_r - value_w - 3.0 - (left + 10.0);
        let size = fit_size(label, 10.0, 6.5, *bold, room).unwrap_or(6.5);
        let label = capped(wrap(label, size, *bold, room), 1, size, *bold, room).remove(0);
        d.text(left + 10.0, d.y, size, *bold, &label);
        d.text_right(figure_r, d.y, 10.0, *bold, value);
    }
    d.y += 6.0;
    for p in &l.closing {
        d.paragraph(left, right - left, 10.0, false, p);
        d.y += 2.5;
    }
    d.y += 4.0;
    d.paragraph(left, right - left, 10.0, false, &seller.name);
    number(&mut d, lang, &l.title, l.to.name);
    d.pages
}

/// The statement of account (from the `statement` command's JSON).
pub fn statement(
    st: &Value,
    seller: &Profile,
    lang: Lang,
    env: Envelope,
    country: &str,
) -> Vec<PageLayout> {
    let cur = s(&st["currency"]).to_string();
    let money = |a: &str| fmt::money(lang, a, &cur);
    let mut d = Doc::new(env.paper());
    let period = format!(
        "{} – {}",
        fmt::date(lang, s(&st["from"])),
        fmt::date(lang, s(&st["to"]))
    );
    head(
        &mut d,
        seller,
        &Recipient {
            name: s(&st["customerName"]),
            address: s(&st["address"]),
            country,
        },
        env,
        lang,
        &[(t(lang, "doc.period").to_string(), period)],
    );
    let (left, right) = (d.left, d.right);
    d.y += pt(14.0);
    d.title(14.0, t(lang, "doc.statementTitle"));
    d.y += 8.0;
    // Columns: the date, the description, and three figure columns as wide as their widest
    // figure (at 8.5 pt; 7.5 pt when the description would get less than 50 mm).
    let lines: Vec<[String; 5]> = st["lines"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|l| {
            let kind = s(&l["kind"]);
            let label = match l["document"].as_str().filter(|x| !x.is_empty()) {
                Some(doc) => format!("{} {doc}", t(lang, &format!("doc.kind.{kind}"))),
                None => t(lang, &format!("doc.kind.{kind}")).to_string(),
            };
            let figure = |k: &str| {
                if is_zero(s(&l[k])) {
                    String::new()
                } else {
                    fmt::number(lang, s(&l[k]))
                }
            };
            [
                fmt::date(lang, s(&l["date"])),
                label,
                figure("debit"),
                figure("credit"),
                fmt::number(lang, s(&l["balance"])),
            ]
        })
        .collect();
    let heads = [
        t(lang, "doc.date"),
        t(lang, "doc.colDescription"),
        t(lang, "doc.debit"),
        t(lang, "doc.credit"),
        t(lang, "doc.balance"),
    ];
    let (opening, closing) = (money(s(&st["opening"])), money(s(&st["closing"])));
    let mut size = 8.5;
    let (mut desc_x, mut debit_r, mut credit_r) = (0.0, 0.0, 0.0);
    for sz in [8.5, 7.5] {
        size = sz;
        let widest = |i: usize| {
            lines
                .iter()
                .map(|l| width(&l[i], sz, false))
                .fold(width(heads[i], 7.5, true), f32::max)
        };
        let balance_w = widest(4)
            .max(width(&opening, 9.0, true))
            .max(width(&closing, 10.0, true));
        credit_r = right - balance_w - 3.0;
        debit_r = credit_r - widest(3) - 3.0;
        desc_x = left + widest(0) + 3.0;
        if debit_r - widest(2) - 3.0 - desc_x >= 50.0 {
            break;
        }
    }
    let desc_w = lines
        .iter()
        .map(|l| width(&l[2], size, false))
        .fold(width(heads[2], 7.5, true), f32::max);
    let desc_w = debit_r - desc_w - 3.0 - desc_x;
    let header = |d: &mut Doc| {
        let y = d.y;
        d.text(left, y, 7.5, true, heads[0]);
        d.text(desc_x, y, 7.5, true, heads[1]);
        d.text_right(debit_r, y, 7.5, true, heads[2]);
        d.text_right(credit_r, y, 7.5, true, heads[3]);
        d.text_right(right, y, 7.5, true, heads[4]);
        d.y += 1.8;
        d.line(left, d.y, right, d.y, 0.6);
    };
    header(&mut d);
    d.y += 5.0;
    let label_room = |value: &str, size: f32| right - width(value, size, true) - 3.0 - desc_x;
    let label = t(lang, "doc.openingBalance");
    d.text(
        desc_x,
        d.y,
        fit_size(label, 9.0, 6.5, true, label_room(&opening, 9.0)).unwrap_or(6.5),
        true,
        label,
    );
    d.text_right(right, d.y, 9.0, true, &opening);
    let lh = pt(size) * 1.3;
    for l in &lines {
        let desc = wrap(&l[1], size, false, desc_w);
        if d.ensure(desc.len() as f32 * lh + 2.0) {
            d.y += 4.0;
            header(&mut d);
        }
        d.y += 4.8;
        d.text(left, d.y, size, false, &l[0]);
        for (i, part) in desc.iter().enumerate() {
            d.text(desc_x, d.y + i as f32 * lh, size, false, part);
        }
        d.text_right(debit_r, d.y, size, false, &l[2]);
        d.text_right(credit_r, d.y, size, false, &l[3]);
        d.text_right(right, d.y, size, false, &l[4]);
        d.y += desc.len().saturating_sub(1) as f32 * lh;
    }
    d.ensure(12.0);
    d.y += 2.0;
    d.line(left, d.y, right, d.y, 0.6);
    d.y += 5.5;
    let label = t(lang, "doc.closingBalance");
    d.text(
        desc_x,
        d.y,
        fit_size(label, 10.0, 6.5, true, label_room(&closing, 10.0)).unwrap_or(6.5),
        true,
        label,
    );
    d.text_right(right, d.y, 10.0, true, &closing);
    // Ageing of what is open: five columns, each label and figure right-aligned at the
    // column's right edge like every other figure.
    let a = &st["ageing"];
    d.ensure(30.0);
    d.y += 10.0;
    d.text(left, d.y, 9.0, true, t(lang, "doc.ageingTitle"));
    let buckets = ["current", "d1_30", "d31_60", "d61_90", "d90_plus"];
    let colw = (right - left) / 5.0;
    d.y += 5.0;
    for (i, b) in buckets.iter().enumerate() {
        let label = t(lang, &format!("doc.bucket.{b}"));
        let size = fit_size(label, 7.5, 5.5, false, colw - 3.0).unwrap_or(5.5);
        let col_r = left + (i + 1) as f32 * colw;
        d.grey_text(col_r - width(label, size, false), d.y, size, label);
    }
    d.y += 4.6;
    for (i, b) in buckets.iter().enumerate() {
        let figure = fmt::number(lang, s(&a[*b]));
        let size = fit_size(&figure, 9.0, 6.0, false, colw - 3.0).unwrap_or(6.0);
        d.text_right(left + (i + 1) as f32 * colw, d.y, size, false, &figure);
    }
    // One story: the open invoices above, less the credit in the customer's favour, are the
    // closing balance — the credit is its own line, never netted out of sight.
    if !is_zero(s(&a["credit"])) {
        let figures = vec![
            (
                t(lang, "doc.openTotal").to_string(),
                money(s(&a["total"])),
                false,
            ),
            (
                t(lang, "doc.creditInFavour").to_string(),
                format!("−{}", money(s(&a["credit"]))),
                false,
            ),
            (
                t(lang, "doc.closingBalance").to_string(),
                money(s(&a["net"])),
                true,
            ),
        ];
        d.y += 2.0;
        totals(&mut d, &figures, INFO_X, left, right);
    }
    number(
        &mut d,
        lang,
        t(lang, "doc.statementTitle"),
        s(&st["customerName"]),
    );
    d.pages
}

/// A credit note (from `get_credit_note` JSON), referencing the original invoice.
pub fn credit_note(
    cn: &Value,
    inv: &Value,
    seller: &Profile,
    lang: Lang,
    env: Envelope,
) -> Vec<PageLayout> {
    let cur = s(&cn["currency"]).to_string();
    let money = |a: &str| fmt::money(lang, a, &cur);
    let mut d = Doc::new(env.paper());
    let (name, address, country) = recipient_of(inv);
    let info = vec![
        (
            t(lang, "doc.creditNoteNo").to_string(),
            s(&cn["number"]).to_string(),
        ),
        (
            t(lang, "doc.date").to_string(),
            fmt::date(lang, s(&cn["date"])),
        ),
        (
            t(lang, "doc.originalInvoice").to_string(),
            s(&cn["invoiceNumber"]).to_string(),
        ),
        (
            t(lang, "doc.originalDate").to_string(),
            fmt::date(lang, s(&inv["issueDate"])),
        ),
    ];
    head(
        &mut d,
        seller,
        &Recipient {
            name: &name,
            address: &address,
            country: &country,
        },
        env,
        lang,
        &info,
    );
    let (left, right) = (d.left, d.right);
    d.y += pt(15.0);
    d.title(
        15.0,
        &tf(lang, "doc.creditNoteTitle", &[("number", s(&cn["number"]))]),
    );
    d.y += 6.0;
    d.paragraph(
        left,
        right - left,
        10.0,
        false,
        &tf(
            lang,
            "doc.creditNoteIntro",
            &[
                ("invoice", s(&cn["invoiceNumber"])),
                ("date", &fmt::date(lang, s(&inv["issueDate"]))),
            ],
        ),
    );
    d.y += 2.0;
    d.paragraph(
        left,
        right - left,
        10.0,
        false,
        &format!("{} {}", t(lang, "doc.reason"), s(&cn["reason"])),
    );
    if let Some(lines) = cn["lines"].as_array().filter(|l| !l.is_empty()) {
        d.y += 3.0;
        for l in lines {
            d.paragraph(
                left + 4.0,
                right - left - 4.0,
                9.0,
                false,
                &format!(
                    "• {} × {}",
                    s(&l["description"]),
                    fmt::number(lang, s(&l["quantity"]))
                ),
            );
        }
    }
    d.y += 1.0;
    let figures = [
        (t(lang, "doc.net").to_string(), money(s(&cn["net"])), false),
        (
            t(lang, "doc.taxTotal").to_string(),
            money(s(&cn["tax"])),
            false,
        ),
        (
            t(lang, "doc.creditTotal").to_string(),
            money(s(&cn["total"])),
            true,
        ),
    ];
    totals(&mut d, &figures, INFO_X, left, right);
    number(
        &mut d,
        lang,
        &tf(lang, "doc.creditNoteTitle", &[("number", s(&cn["number"]))]),
        &name,
    );
    d.pages
}

/// One page that outlines the window, to hold against an envelope before printing invoices.
pub fn calibration(seller: &Profile, lang: Lang, env: Envelope) -> Vec<PageLayout> {
    let mut d = Doc::new(env.paper());
    let (x, y, w, h) = env.window();
    d.rect(x, y, w, h, false);
    // A US letter moves in its envelope: outline too the band that always shows.
    let band = env.safe_band();
    if band != (x, y, w, h) {
        d.rect(band.0, band.1, band.2, band.3, false);
    }
    head(
        &mut d,
        seller,
        &Recipient {
            name: t(lang, "doc.calibrationName"),
            address: t(lang, "doc.calibrationAddress"),
            country: "",
        },
        env,
        lang,
        &[],
    );
    let (left, right) = (d.left, d.right);
    d.y += 10.0;
    d.text(left, d.y, 14.0, true, t(lang, "doc.calibrationTitle"));
    d.y += 4.0;
    d.paragraph(
        left,
        right - left,
        10.0,
        false,
        t(lang, "doc.calibrationText"),
    );
    d.pages
}

/// The language of an act's labels: one language, or Kazakh and Russian together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActLanguage {
    One(Lang),
    KkRu,
}

impl ActLanguage {
    pub fn parse(code: &str) -> ActLanguage {
        match code {
            "kk+ru" => ActLanguage::KkRu,
            other => ActLanguage::One(Lang::parse(other).unwrap_or(Lang::Ru)),
        }
    }

    /// A label: "Тапсырыс беруші: / Заказчик:" on a bilingual form.
    pub fn label(self, key: &str) -> String {
        match self {
            ActLanguage::One(l) => t(l, key).to_string(),
            ActLanguage::KkRu => format!("{} / {}", t(Lang::Kk, key), t(Lang::Ru, key)),
        }
    }

    /// The language figures and dates are written in (Russian on a bilingual form).
    fn numbers(self) -> Lang {
        match self {
            ActLanguage::One(l) => l,
            ActLanguage::KkRu => Lang::Ru,
        }
    }
}

/// The act of completed works, form Р-1 (appendix 50 to the Minister of Finance's order No. 562
/// of 20 December 2012), landscape A4, in two identical copies (one for each side), each
/// numbered on its own: the parties with their ИИН/БИН, the contract, the act's number and
/// date, the table (№, work or service, date done, report, unit, quantity, price, cost), the
/// total, and the "handed over" and "accepted" blocks with the signer, signature and seal.
pub fn act(a: &Value, seller: &Profile, lang: ActLanguage) -> Vec<PageLayout> {
    let mut pages = act_copy(a, seller, lang);
    pages.extend(pages.clone());
    pages
}

fn act_copy(a: &Value, seller: &Profile, lang: ActLanguage) -> Vec<PageLayout> {
    let c = &a["content"];
    let nl = lang.numbers();
    let mut d = Doc::new(Paper::A4Landscape);
    d.left = 15.0;
    d.right = d.pages[0].width - 15.0;
    d.top = 15.0;
    d.bottom = d.pages[0].height - 15.0;
    let (left, right) = (d.left, d.right);
    // The order and the form's code, top right.
    let mut y = 10.0;
    for key in ["doc.act.order", "doc.act.form"] {
        for l in wrap(&lang.label(key), 7.0, false, 110.0) {
            y += pt(7.0) * 1.25;
            d.text_right(right, y, 7.0, false, &l);
        }
    }
    d.y = y + 6.0;
    // The parties: full name, address and contacts; the ИИН/БИН in a box on the right.
    let one_line = |parts: &[&str]| {
        parts
            .iter()
            .flat_map(|p| p.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The labels' column as wide as the widest label (a bilingual one is set smaller).
    let label_keys = ["doc.act.customer", "doc.act.executor", "doc.act.contract"];
    let label_size = label_keys
        .iter()
        .map(|k| fit_size(&lang.label(k), 9.0, 7.0, true, 75.0).unwrap_or(7.0))
        .fold(9.0f32, f32::min);
    let label_w = label_keys
        .iter()
        .map(|k| width(&lang.label(k), label_size, true))
        .fold(0.0f32, f32::max)
        .min(75.0)
        + 3.0;
    let vx = left + label_w;
    let party_w = right - 60.0 - vx;
    let party = |d: &mut Doc, key: &str, text: &str, bin: &str| {
        d.y += 5.0;
        let top = d.y;
        let label = capped(
            wrap(&lang.label(key), label_size, true, label_w - 3.0),
            1,
            label_size,
            true,
            label_w - 3.0,
        )
        .remove(0);
        d.text(left, d.y, label_size, true, &label);
        for (i, l) in capped(wrap(text, 9.0, false, party_w), 3, 9.0, false, party_w)
            .iter()
            .enumerate()
        {
            d.text(vx, top + i as f32 * pt(9.0) * 1.25, 9.0, false, l);
            d.y = top + i as f32 * pt(9.0) * 1.25;
        }
        d.line(vx, d.y + 1.2, vx + party_w, d.y + 1.2, 0.2);
        d.y += 4.0;
        let hint = lang.label("doc.act.partyHint");
        let hint_size = fit_size(&hint, 6.5, 5.0, false, party_w).unwrap_or(5.0);
        d.grey_text(
            vx,
            d.y,
            hint_size,
            &capped(
                wrap(&hint, hint_size, false, party_w),
                1,
                hint_size,
                false,
                party_w,
            )
            .remove(0),
        );
        // The ИИН/БИН box.
        d.grey_text(right - 50.0, top - 5.5, 6.5, &lang.label("doc.act.bin"));
        d.rect(right - 50.0, top - 4.0, 50.0, 6.0, false);
        let size = fit_size(bin, 9.0, 6.0, true, 47.0).unwrap_or(6.0);
        d.text(
            right - 48.5,
            top,
            size,
            true,
            &capped(wrap(bin, size, true, 47.0), 1, size, true, 47.0).remove(0),
        );
        d.y += 1.0;
    };
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let cust = &c["customer"];
    party(
        &mut d,
        "doc.act.customer",
        &one_line(&[&s(&cust["name"]), &s(&cust["address"])]),
        &s(&cust["taxId"]),
    );
    let sel = &c["seller"];
    party(
        &mut d,
        "doc.act.executor",
        &one_line(&[&s(&sel["name"]), &s(&sel["address"]), &s(&sel["phone"])]),
        &s(&sel["bin"]),
    );
    d.y += 5.0;
    let label = capped(
        wrap(
            &lang.label("doc.act.contract"),
            label_size,
            true,
            label_w - 3.0,
        ),
        1,
        label_size,
        true,
        label_w - 3.0,
    )
    .remove(0);
    d.text(left, d.y, label_size, true, &label);
    let contract = contract_text(cust, nl).unwrap_or_default();
    let contract = capped(wrap(&contract, 9.0, false, party_w), 1, 9.0, false, party_w).remove(0);
    d.text(vx, d.y, 9.0, false, &contract);
    d.line(vx, d.y + 1.2, vx + party_w, d.y + 1.2, 0.2);
    // The title, with the number and the date in their boxes.
    d.y += 9.0;
    let (box_w, box_x) = (40.0, right - 80.0);
    let heads = [lang.label("doc.act.number"), lang.label("doc.act.date")];
    let head_lines: Vec<Vec<String>> = heads
        .iter()
        .map(|h| wrap(h, 6.5, false, box_w - 2.0))
        .collect();
    let head_h = head_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * pt(6.5) * 1.2 + 1.5;
    let top = d.y;
    let values = [s(&a["number"]), fmt::date(nl, &s(&a["date"]))];
    for (i, (lines, value)) in head_lines.iter().zip(&values).enumerate() {
        let x = box_x + i as f32 * box_w;
        d.rect(x, top, box_w, head_h, false);
        for (k, l) in lines.iter().enumerate() {
            d.text(
                x + 1.0,
                top + 0.5 + (k + 1) as f32 * pt(6.5) * 1.2 - 0.6,
                6.5,
                false,
                l,
            );
        }
        d.rect(x, top + head_h, box_w, 6.0, false);
        let size = fit_size(value, 9.0, 6.0, true, box_w - 2.0).unwrap_or(6.0);
        d.text(x + 1.0, top + head_h + 4.3, size, true, value);
    }
    let title_w = box_x - left - 5.0;
    let title = wrap(&lang.label("doc.act.title"), 11.0, true, title_w);
    for (i, l) in title.iter().enumerate() {
        d.text(
            left,
            top + head_h + 4.3 - (title.len() - 1 - i) as f32 * pt(11.0) * 1.2,
            11.0,
            true,
            l,
        );
    }
    d.y = top + head_h + 6.0 + 4.0;
    // The table: eight numbered columns, the last three under "works done (services rendered)".
    let widths = [16.0, 76.0, 24.0, 40.0, 20.0, 24.0, 30.0];
    let mut xs = vec![left];
    for w in widths {
        xs.push(xs.last().copied().unwrap_or(left) + w);
    }
    xs.push(right);
    let col_w = |i: usize| xs[i + 1] - xs[i];
    let header = |d: &mut Doc| {
        let top = d.y;
        // Header texts at 6.5 pt (6 pt on a bilingual form, whose headers are twice as long).
        let hs = if lang == ActLanguage::KkRu { 6.0 } else { 6.5 };
        let wrap_head = |key: &str, w: f32| wrap(&lang.label(key), hs, false, w - 2.0);
        let keys = [
            "doc.act.col1",
            "doc.act.col2",
            "doc.act.col3",
            "doc.act.col4",
            "doc.act.col5",
        ];
        let lower = ["doc.act.col6", "doc.act.col7", "doc.act.col8"];
        let lh = pt(hs) * 1.2;
        let done = wrap(&lang.label("doc.act.done"), hs, false, xs[8] - xs[5] - 2.0);
        let lower_lines: Vec<Vec<String>> = lower
            .iter()
            .enumerate()
            .map(|(i, k)| wrap_head(k, col_w(5 + i)))
            .collect();
        let upper_h = done.len() as f32 * lh + 1.5;
        let lower_h = lower_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 1.5;
        let left_lines: Vec<Vec<String>> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| wrap_head(k, col_w(i)))
            .collect();
        let h = (left_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 1.5)
            .max(upper_h + lower_h);
        let upper_h = h - lower_h;
        for (i, lines) in left_lines.iter().enumerate() {
            d.rect(xs[i], top, col_w(i), h, false);
            for (k, l) in lines.iter().enumerate() {
                d.text(xs[i] + 1.0, top + (k + 1) as f32 * lh, hs, false, l);
            }
        }
        d.rect(xs[5], top, xs[8] - xs[5], upper_h, false);
        for (k, l) in done.iter().enumerate() {
            d.text(xs[5] + 1.0, top + (k + 1) as f32 * lh, hs, false, l);
        }
        for (i, lines) in lower_lines.iter().enumerate() {
            d.rect(xs[5 + i], top + upper_h, col_w(5 + i), lower_h, false);
            for (k, l) in lines.iter().enumerate() {
                d.text(
                    xs[5 + i] + 1.0,
                    top + upper_h + (k + 1) as f32 * lh,
                    hs,
                    false,
                    l,
                );
            }
        }
        // The columns' numbers.
        let ny = top + h;
        for (i, pair) in xs.windows(2).enumerate() {
            d.rect(pair[0], ny, pair[1] - pair[0], 4.0, false);
            d.text(pair[0] + 1.0, ny + 3.0, 6.5, false, &(i + 1).to_string());
        }
        d.y = ny + 4.0;
    };
    header(&mut d);
    let lines = c["lines"].as_array().map_or(&[][..], Vec::as_slice);
    let lh = pt(8.5) * 1.25;
    let units: Vec<&str> = lines
        .iter()
        .map(|l| l["unit"].as_str().unwrap_or(""))
        .collect();
    for (n, l) in lines.iter().enumerate() {
        let desc = wrap(&s(&l["description"]), 8.5, false, col_w(1) - 2.0);
        let unit = wrap(&s(&l["unit"]), 8.5, false, col_w(4) - 2.0);
        let rows = desc.len().max(unit.len()).max(1);
        let h = rows as f32 * lh + 1.5;
        // A row goes whole to the next page when it does not fit here; a row taller than any
        // page (cut to the room it gets) starts on a fresh page unless two lines still fit.
        let tall = h > d.bottom - d.top - 30.0;
        if (!tall && d.ensure(h)) || (tall && d.ensure(2.0 * lh + 1.5)) {
            header(&mut d);
        }
        let top = d.y;
        let h = h.min(d.bottom - top);
        let cells: [(usize, String, bool); 6] = [
            (0, (n + 1).to_string(), false),
            (2, fmt::date(nl, &s(&l["date"])), false),
            (3, String::new(), false),
            (5, fmt::number(nl, &s(&l["quantity"])), true),
            (6, fmt::number(nl, &s(&l["unitPrice"])), true),
            (7, fmt::number(nl, &s(&l["amount"])), true),
        ];
        for pair in xs.windows(2) {
            d.rect(pair[0], top, pair[1] - pair[0], h, false);
        }
        for (i, text, figure) in cells {
            let size = fit_size(&text, 8.5, 6.0, false, col_w(i) - 2.0).unwrap_or(6.0);
            if figure {
                d.text_right(xs[i + 1] - 1.0, top + lh, size, false, &text);
            } else {
                d.text(xs[i] + 1.0, top + lh, size, false, &text);
            }
        }
        for (k, part) in capped(
            desc,
            ((h - 1.5) / lh).floor().max(1.0) as usize,
            8.5,
            false,
            col_w(1) - 2.0,
        )
        .iter()
        .enumerate()
        {
            d.text(xs[1] + 1.0, top + (k + 1) as f32 * lh, 8.5, false, part);
        }
        for (k, part) in unit.iter().take(rows).enumerate() {
            d.text(xs[4] + 1.0, top + (k + 1) as f32 * lh, 8.5, false, part);
        }
        d.y = top + h;
    }
    // The total: the quantities add up only when they share a unit.
    d.ensure(6.0);
    let top = d.y;
    let same_unit = !units.is_empty() && units.iter().all(|u| *u == units[0]);
    let quantity = if same_unit {
        use std::str::FromStr;
        let sum: rust_decimal::Decimal = lines
            .iter()
            .filter_map(|l| rust_decimal::Decimal::from_str(&s(&l["quantity"])).ok())
            .sum();
        fmt::number(nl, &sum.normalize().to_string())
    } else {
        "Х".to_string()
    };
    for pair in xs[4..].windows(2) {
        d.rect(pair[0], top, pair[1] - pair[0], 5.5, false);
    }
    let total_label = lang.label("doc.act.total");
    let size = fit_size(&total_label, 8.5, 5.5, true, col_w(4) - 2.0).unwrap_or(5.5);
    d.text(
        xs[4] + 1.0,
        top + 4.0,
        size,
        true,
        &capped(
            wrap(&total_label, size, true, col_w(4) - 2.0),
            1,
            size,
            true,
            col_w(4) - 2.0,
        )
        .remove(0),
    );
    for (i, text) in [
        (5, quantity),
        (6, "Х".to_string()),
        (7, fmt::number(nl, &s(&c["total"]))),
    ] {
        let size = fit_size(&text, 8.5, 6.0, true, col_w(i) - 2.0).unwrap_or(6.0);
        d.text_right(xs[i + 1] - 1.0, top + 4.0, size, true, &text);
    }
    d.y = top + 5.5;
    // Stock used, the annex, who handed over and who accepted, and the form's footnotes: kept
    // together (on the next page when they do not fit under the table).
    let notes: Vec<String> = ["doc.act.note1", "doc.act.note2", "doc.act.note3"]
        .iter()
        .map(|k| lang.label(k))
        .collect();
    let notes_h: f32 = notes
        .iter()
        .map(|n| wrap(n, 6.0, false, right - left).len() as f32 * pt(6.0) * 1.35)
        .sum();
    let annex_h =
        wrap(&lang.label("doc.act.annex"), 7.5, false, right - left).len() as f32 * pt(7.5) * 1.35;
    d.ensure(4.0 + 5.5 + annex_h + 4.0 + 12.0 + 24.0 + notes_h);
    d.y += 4.0;
    let stock = lang.label("doc.act.stock");
    let stock_w = width(&stock, 8.0, false).min(150.0);
    d.text(
        left,
        d.y,
        fit_size(&stock, 8.0, 6.0, false, 150.0).unwrap_or(6.0),
        false,
        &stock,
    );
    d.line(left + stock_w + 2.0, d.y + 1.0, right, d.y + 1.0, 0.2);
    d.y += 3.5;
    d.grey_text(
        left + stock_w + 2.0,
        d.y,
        6.0,
        &lang.label("doc.act.stockHint"),
    );
    d.y += 2.0;
    d.paragraph(left, right - left, 7.5, false, &lang.label("doc.act.annex"));
    d.y += 4.0;
    let half = (right - left) / 2.0;
    let sign_top = d.y + 12.0;
    let signer_position = s(&sel["signerPosition"]);
    let signer_name = s(&sel["signerName"]);
    for (i, key) in ["doc.act.handed", "doc.act.accepted"].iter().enumerate() {
        let x = left + i as f32 * half;
        // "Сдал (Исполнитель)" in up to two lines, then position / signature / name, each on
        // its line with its caption under it.
        let label = lang.label(key);
        let label_lines = capped(wrap(&label, 8.0, true, 30.0), 2, 8.0, true, 30.0);
        let first = sign_top - (label_lines.len() as f32 - 1.0) * 3.5;
        for (k, l) in label_lines.iter().enumerate() {
            d.text(x, first + k as f32 * 3.5, 8.0, true, l);
        }
        let (pos_x, sig_x, name_x) = (x + 32.0, x + 70.0, x + 98.0);
        let name_w = half - 100.0;
        let slots = [
            (pos_x, 35.0, "doc.act.position"),
            (sig_x, 25.0, "doc.act.signature"),
            (name_x, name_w, "doc.act.signatureName"),
        ];
        for (sx, sw, caption) in slots {
            d.line(sx, sign_top + 1.0, sx + sw, sign_top + 1.0, 0.2);
            let cap = lang.label(caption);
            let size = fit_size(&cap, 6.0, 5.0, false, sw).unwrap_or(5.0);
            let cap = capped(wrap(&cap, size, false, sw), 1, size, false, sw).remove(0);
            d.grey_text(sx, sign_top + 4.0, size, &cap);
        }
        if i == 0 {
            // The contractor's signer, their signature and seal.
            // The position on one line, or in two smaller ones ("Индивидуальный / предприниматель").
            let (size, pos) = match fit_size(&signer_position, 8.0, 6.5, false, 35.0) {
                Some(size) => (size, vec![signer_position.clone()]),
                None => (
                    6.0,
                    capped(
                        wrap(&signer_position, 6.0, false, 35.0),
                        2,
                        6.0,
                        false,
                        35.0,
                    ),
                ),
            };
            let first = sign_top - (pos.len().max(1) as f32 - 1.0) * 2.6;
            for (k, p) in pos.iter().enumerate() {
                d.text(pos_x, first + k as f32 * 2.6, size, false, p);
            }
            let size = fit_size(&signer_name, 8.0, 6.0, false, name_w).unwrap_or(6.0);
            let name = capped(
                wrap(&signer_name, size, false, name_w),
                1,
                size,
                false,
                name_w,
            );
            if let Some(n) = name.first() {
                d.text(name_x, sign_top, size, false, n);
            }
            if let Some(sig) = &seller.signature {
                d.image("signature", sig_x, sign_top - 10.5, 25.0, 10.0, sig);
            }
        }
        let mp = lang.label("doc.act.seal");
        d.text(x, sign_top + 12.0, 8.5, true, &mp);
        if i == 0 {
            if let Some(seal) = &seller.seal {
                // Beside "М.П.", the place for the seal.
                d.image(
                    "seal",
                    x + width(&mp, 8.5, true) + 3.0,
                    sign_top + 6.0,
                    17.0,
                    17.0,
                    seal,
                );
            }
        } else {
            let signed = lang.label("doc.act.signedOn");
            let size = fit_size(&signed, 7.5, 5.5, false, 90.0).unwrap_or(5.5);
            let signed = capped(wrap(&signed, size, false, 90.0), 1, size, false, 90.0).remove(0);
            d.text(x + 20.0, sign_top + 12.0, size, false, &signed);
            let sx = x + 20.0 + width(&signed, size, false) + 2.0;
            d.line(
                sx,
                sign_top + 13.0,
                (sx + 35.0).min(x + half - 2.0),
                sign_top + 13.0,
                0.2,
            );
        }
    }
    d.y = sign_top + 24.0;
    for n in &notes {
        d.paragraph(left, right - left, 6.0, false, n);
    }
    let head = format!("{} {}", lang.label("doc.act.number"), s(&a["number"]));
    d.running_head(&head, &s(&cust["name"]));
    d.number_pages(|n, m| {
        tf(
            nl,
            "doc.page",
            &[("n", &n.to_string()), ("m", &m.to_string())],
        )
    });
    d.pages
}
