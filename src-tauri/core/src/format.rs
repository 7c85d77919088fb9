//! Numbers and amounts written for a language: `1 234 567,89 ₸` (kk, ru), `$1,234,567.89` /
//! `1,234,567.89 ₸` (en). One home for grouping, the decimal sign and where the currency's
//! symbol goes: documents, sentences of payment terms, and the window (through
//! `list_currencies`, which carries each currency's symbol and whether it goes first in English).

use crate::i18n::Lang;
use crate::money::Currency;

/// The digit-group separator and the decimal sign of a language.
pub fn separators(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => (",", "."),
        _ => ("\u{a0}", ","),
    }
}

/// Whether the currency's symbol is written before the amount in the language (`$1.00`).
pub fn symbol_first(lang: Lang, currency: &str) -> bool {
    lang == Lang::En && matches!(currency, "USD" | "GBP" | "EUR")
}

/// A decimal string ("-1234.50") grouped for the language.
pub fn number(lang: Lang, amount: &str) -> String {
    let (neg, body) = match amount.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, amount),
    };
    let (int, frac) = body
        .split_once('.')
        .map(|(i, f)| (i, Some(f)))
        .unwrap_or((body, None));
    let (group, dec) = separators(lang);
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(ch);
    }
    let mut s = if neg {
        format!("−{grouped}")
    } else {
        grouped
    };
    if let Some(f) = frac {
        s.push_str(dec);
        s.push_str(f);
    }
    s
}

/// An amount with its currency sign in the language's convention.
pub fn money(lang: Lang, amount: &str, currency: &str) -> String {
    let sym = Currency::parse(currency, "currency")
        .map(|c| c.symbol)
        .unwrap_or(currency);
    let n = number(lang, amount);
    if symbol_first(lang, currency) {
        match n.strip_prefix('−') {
            Some(rest) => format!("−{sym}{rest}"),
            None => format!("{sym}{n}"),
        }
    } else {
        format!("{n}\u{a0}{sym}")
    }
}
