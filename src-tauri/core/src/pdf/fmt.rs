//! Amounts and dates formatted for a document's language: `1 234 567,89 ₸` (kk, ru),
//! `$1,234,567.89` / `1,234,567.89 ₸` (en), `27.11.2026` (kk, ru), `27 Nov 2026` (en).

use crate::i18n::Lang;

pub use crate::format::{money, number};

/// An ISO date for the document.
pub fn date(lang: Lang, iso: &str) -> String {
    let Ok(d) = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") else {
        return iso.to_string();
    };
    match lang {
        Lang::En => d.format("%-d %b %Y").to_string(),
        _ => d.format("%d.%m.%Y").to_string(),
    }
}

/// A whole month as a service period is written: "ноябрь 2026", "2026 жылғы қараша",
/// "November 2026" (Russian months are masculine and inanimate, so the same form reads after
/// "за": "Услуги за ноябрь 2026").
pub fn month(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const RU: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    const KK: [&str; 12] = [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ];
    let m = d.month0() as usize;
    match lang {
        Lang::Ru => format!("{} {}", RU[m], d.year()),
        Lang::Kk => format!("{} жылғы {}", d.year(), KK[m]),
        Lang::En => d.format("%B %Y").to_string(),
    }
}

/// A service period: a whole calendar month by its name, else the dates.
pub fn period(lang: Lang, from: &str, to: &str) -> String {
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    if let (Some(f), Some(t)) = (parse(from), parse(to)) {
        use chrono::Datelike;
        if f.day() == 1 && t == crate::terms::last_day_of_month(f) {
            return month(lang, f);
        }
    }
    if from == to {
        date(lang, from)
    } else {
        format!("{} – {}", date(lang, from), date(lang, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_month_is_named_in_each_language() {
        assert_eq!(period(Lang::Ru, "2026-11-01", "2026-11-30"), "ноябрь 2026");
        assert_eq!(
            period(Lang::Kk, "2026-02-01", "2026-02-28"),
            "2026 жылғы ақпан"
        );
        assert_eq!(
            period(Lang::En, "2026-12-01", "2026-12-31"),
            "December 2026"
        );
        assert_eq!(
            period(Lang::Ru, "2026-11-01", "2026-11-29"),
            "01.11.2026 – 29.11.2026"
        );
        assert_eq!(period(Lang::En, "2026-11-07", "2026-11-07"), "7 Nov 2026");
    }

    #[test]
    fn money_follows_the_language() {
        assert_eq!(
            money(Lang::Kk, "1234567.89", "KZT"),
            "1\u{a0}234\u{a0}567,89\u{a0}₸"
        );
        assert_eq!(money(Lang::En, "1234567.89", "USD"), "$1,234,567.89");
        assert_eq!(money(Lang::En, "-5.00", "USD"), "−$5.00");
        assert_eq!(money(Lang::Ru, "100", "JPY"), "100\u{a0}¥");
        assert_eq!(date(Lang::En, "2026-11-07"), "7 Nov 2026");
        assert_eq!(date(Lang::Ru, "2026-11-07"), "07.11.2026");
    }
}
