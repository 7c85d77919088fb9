//! Payment terms as data: when an invoice is due, and the sentence that says so on paper.
//!
//! Anchors: `receipt`, `net`, `eom` and `proximo` count from the invoice date; `after_receipt`
//! counts from the day the customer receives the invoice (mailing date + postal transit days,
//! or the sending date for email, or the actual receipt date once recorded). Until then its
//! due date is unknown (`None`). The early-payment discount window uses the same anchor.

use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// Due on the invoice date.
    Receipt,
    /// Due `days` after the invoice date.
    Net,
    /// Due `days` after the customer receives the invoice.
    AfterReceipt,
    /// Due `days` after the last day of the invoice's month.
    Eom,
    /// Due on `day_of_month` of the next month; of the month after if issued after `cutoff_day`.
    Proximo,
}

impl TermKind {
    pub const ALL: &'static [&'static str] = &["receipt", "net", "after_receipt", "eom", "proximo"];

    pub fn parse(s: &str) -> Option<TermKind> {
        Some(match s {
            "receipt" => TermKind::Receipt,
            "net" => TermKind::Net,
            "after_receipt" => TermKind::AfterReceipt,
            "eom" => TermKind::Eom,
            "proximo" => TermKind::Proximo,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Receipt => "receipt",
            TermKind::Net => "net",
            TermKind::AfterReceipt => "after_receipt",
            TermKind::Eom => "eom",
            TermKind::Proximo => "proximo",
        }
    }
}

/// "X % if paid within D days".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EarlyDiscount {
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
    pub days: u32,
}

/// Payment terms. Built only through [`PaymentTerms::new`], which checks the combination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentTerms {
    pub kind: TermKind,
    pub days: u32,
    pub day_of_month: Option<u32>,
    pub cutoff_day: Option<u32>,
    pub discount: Option<EarlyDiscount>,
}

impl PaymentTerms {
    /// Checks and builds terms; field names in errors are the JSON argument names.
    pub fn new(
        kind: TermKind,
        days: u32,
        day_of_month: Option<u32>,
        cutoff_day: Option<u32>,
        discount: Option<EarlyDiscount>,
    ) -> Result<Self> {
        if days > 3650 {
            return Err(Error::invalid("days", "error.outOfRange"));
        }
        let day_of_month = match kind {
            TermKind::Proximo => {
                Some(day_of_month.ok_or_else(|| Error::invalid("dayOfMonth", "error.required"))?)
            }
            _ => None,
        };
        if let Some(d) = day_of_month {
            if !(1..=31).contains(&d) {
                return Err(Error::invalid("dayOfMonth", "error.outOfRange"));
            }
        }
        let cutoff_day = if kind == TermKind::Proximo {
            cutoff_day
        } else {
            None
        };
        if let Some(c) = cutoff_day {
            if !(1..=31).contains(&c) {
                return Err(Error::invalid("cutoffDay", "error.outOfRange"));
            }
        }
        if let Some(disc) = discount {
            if disc.percent <= Decimal::ZERO || disc.percent >= Decimal::from(100) {
                return Err(Error::invalid("discountPercent", "error.outOfRange"));
            }
            if disc.days > 3650 {
                return Err(Error::invalid("discountDays", "error.outOfRange"));
            }
        }
        let days = match kind {
            TermKind::Receipt | TermKind::Proximo => 0,
            _ => days,
        };
        Ok(PaymentTerms {
            kind,
            days,
            day_of_month,
            cutoff_day,
            discount,
        })
    }

    pub fn net(days: u32) -> Self {
        PaymentTerms {
            kind: TermKind::Net,
            days,
            day_of_month: None,
            cutoff_day: None,
            discount: None,
        }
    }

    /// True when the due date depends on when the customer receives the invoice.
    pub fn needs_receipt(&self) -> bool {
        self.kind == TermKind::AfterReceipt
    }

    /// The date the terms count from: the invoice date, or the receipt date for `after_receipt`.
    pub fn anchor(&self, issue_date: NaiveDate, received: Option<NaiveDate>) -> Option<NaiveDate> {
        if self.needs_receipt() {
            received
        } else {
            Some(issue_date)
        }
    }

    /// The due date, or `None` while it depends on a receipt that is not known yet.
    pub fn due_date(
        &self,
        issue_date: NaiveDate,
        received: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        match self.kind {
            TermKind::Receipt => Some(issue_date),
            TermKind::Net => Some(issue_date + Duration::days(self.days as i64)),
            TermKind::AfterReceipt => received.map(|r| r + Duration::days(self.days as i64)),
            TermKind::Eom => Some(last_day_of_month(issue_date) + Duration::days(self.days as i64)),
            TermKind::Proximo => {
                let day = self.day_of_month.unwrap_or(1);
                let months_ahead = match self.cutoff_day {
                    Some(c) if issue_date.day() > c => 2,
                    _ => 1,
                };
                let (y, m) = add_months(issue_date.year(), issue_date.month(), months_ahead);
                Some(clamped_date(y, m, day))
            }
        }
    }

    /// The last day the early-payment discount applies, if the terms have one and it is known.
    pub fn discount_until(
        &self,
        issue_date: NaiveDate,
        received: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let d = self.discount?;
        self.anchor(issue_date, received)
            .map(|a| a + Duration::days(d.days as i64))
    }

    /// The sentence printed on the invoice, in `lang`.
    /// A short name for a list, in `lang`: how the presets are named on screen ("Net 30",
    /// "30 дн. с даты счёта", "Шот күнінен бастап 30 күн"); the user's own terms keep theirs.
    pub fn short_name(&self, lang: Lang) -> String {
        let days = |n: u32| i18n::days(lang, i64::from(n));
        let n = |v: u32| v.to_string();
        let main = match self.kind {
            TermKind::Receipt => i18n::t(lang, "terms.name.receipt").to_string(),
            TermKind::Net => i18n::tf(
                lang,
                "terms.name.net",
                &[("days", &days(self.days)), ("n", &n(self.days))],
            ),
            TermKind::AfterReceipt => i18n::tf(
                lang,
                "terms.name.afterReceipt",
                &[("days", &days(self.days))],
            ),
            TermKind::Eom => i18n::tf(lang, "terms.name.eom", &[("days", &days(self.days))]),
            TermKind::Proximo => {
                let day = self.day_of_month.unwrap_or(1);
                i18n::tf(
                    lang,
                    "terms.name.proximo",
                    &[("day", &i18n::ordinal(lang, day)), ("n", &n(day))],
                )
            }
        };
        match self.discount {
            Some(d) => {
                let percent = crate::format::number(lang, &d.percent.normalize().to_string());
                i18n::tf(
                    lang,
                    "terms.name.discount",
                    &[
                        ("base", &main),
                        ("percent", &percent),
                        ("days", &days(d.days)),
                        ("n", &n(d.days)),
                    ],
                )
            }
            None => main,
        }
    }

    pub fn sentence(&self, lang: Lang) -> String {
        let days = |n: u32| i18n::days(lang, i64::from(n));
        let main = match self.kind {
            TermKind::Receipt => i18n::t(lang, "terms.receipt").to_string(),
            TermKind::Net => i18n::tf(lang, "terms.net", &[("days", &days(self.days))]),
            TermKind::AfterReceipt => {
                i18n::tf(lang, "terms.afterReceipt", &[("days", &days(self.days))])
            }
            TermKind::Eom => i18n::tf(lang, "terms.eom", &[("days", &days(self.days))]),
            TermKind::Proximo => {
                let day = self.day_of_month.unwrap_or(1);
                // Day 31 is clamped in every shorter month: say what it means.
                let key = if day >= 31 {
                    "terms.proximoLast"
                } else {
                    "terms.proximo"
                };
                let key_cutoff = if day >= 31 {
                    "terms.proximoLastCutoff"
                } else {
                    "terms.proximoCutoff"
                };
                match self.cutoff_day {
                    Some(c) => i18n::tf(
                        lang,
                        key_cutoff,
                        &[
                            ("day", &i18n::ordinal(lang, day)),
                            ("cutoff", &i18n::ordinal(lang, c)),
                        ],
                    ),
                    None => i18n::tf(lang, key, &[("day", &i18n::ordinal(lang, day))]),
                }
            }
        };
        match self.discount {
            Some(d) => {
                // A percentage as the language writes it: 1.5 % in English, 1,5 % in kk and ru.
                let percent = crate::format::number(lang, &d.percent.normalize().to_string());
                let disc = i18n::tf(
                    lang,
                    "terms.discount",
                    &[("percent", &percent), ("days", &days(d.days))],
                );
                format!("{main} {disc}")
            }
            None => main,
        }
    }
}

pub fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = add_months(d.year(), d.month(), 1);
    NaiveDate::from_ymd_opt(y, m, 1).expect("first of a month exists") - Duration::days(1)
}

fn add_months(year: i32, month: u32, n: u32) -> (i32, u32) {
    let idx = year * 12 + (month as i32 - 1) + n as i32;
    (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

/// Day `day` of the month, clamped to the month's length (31 → 28/29/30).
fn clamped_date(year: i32, month: u32, day: u32) -> NaiveDate {
    let last =
        last_day_of_month(NaiveDate::from_ymd_opt(year, month, 1).expect("valid month")).day();
    NaiveDate::from_ymd_opt(year, month, day.min(last)).expect("clamped day exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn proximo(day: u32, cutoff: Option<u32>) -> PaymentTerms {
        PaymentTerms::new(TermKind::Proximo, 0, Some(day), cutoff, None).unwrap()
    }

    #[test]
    fn net_counts_calendar_days_from_the_invoice_date() {
        assert_eq!(
            PaymentTerms::net(30).due_date(d("2026-01-31"), None),
            Some(d("2026-03-02"))
        );
        assert_eq!(
            PaymentTerms::net(15).due_date(d("2026-12-20"), None),
            Some(d("2027-01-04")),
            "across the year"
        );
        assert_eq!(
            PaymentTerms::net(0).due_date(d("2028-02-29"), None),
            Some(d("2028-02-29"))
        );
    }

    #[test]
    fn due_on_receipt_is_the_invoice_date() {
        let t = PaymentTerms::new(TermKind::Receipt, 9, None, None, None).unwrap();
        assert_eq!(t.due_date(d("2026-05-05"), None), Some(d("2026-05-05")));
        assert_eq!(t.days, 0, "days are meaningless for due on receipt");
    }

    #[test]
    fn after_receipt_is_unknown_until_received() {
        let t = PaymentTerms::new(TermKind::AfterReceipt, 15, None, None, None).unwrap();
        assert_eq!(
            t.due_date(d("2026-11-02"), None),
            None,
            "not sent yet: unknown"
        );
        assert_eq!(
            t.due_date(d("2026-11-02"), Some(d("2026-11-05"))),
            Some(d("2026-11-20"))
        );
    }

    #[test]
    fn end_of_month_plus_n_handles_short_months_and_leap_years() {
        let t = PaymentTerms::new(TermKind::Eom, 10, None, None, None).unwrap();
        assert_eq!(t.due_date(d("2026-01-31"), None), Some(d("2026-02-10")));
        assert_eq!(
            t.due_date(d("2026-02-01"), None),
            Some(d("2026-03-10")),
            "Feb 2026 has 28 days"
        );
        assert_eq!(
            t.due_date(d("2028-02-15"), None),
            Some(d("2028-03-10")),
            "Feb 2028 has 29 days"
        );
        assert_eq!(
            t.due_date(d("2026-12-31"), None),
            Some(d("2027-01-10")),
            "December into January"
        );
        let t0 = PaymentTerms::new(TermKind::Eom, 0, None, None, None).unwrap();
        assert_eq!(t0.due_date(d("2028-02-01"), None), Some(d("2028-02-29")));
    }

    #[test]
    fn proximo_clamps_the_day_and_respects_the_cutoff() {
        assert_eq!(
            proximo(10, None).due_date(d("2026-12-31"), None),
            Some(d("2027-01-10"))
        );
        assert_eq!(
            proximo(31, None).due_date(d("2026-01-15"), None),
            Some(d("2026-02-28")),
            "31 clamps to Feb 28"
        );
        assert_eq!(
            proximo(31, None).due_date(d("2028-01-15"), None),
            Some(d("2028-02-29")),
            "leap year"
        );
        assert_eq!(
            proximo(31, None).due_date(d("2026-03-01"), None),
            Some(d("2026-04-30"))
        );
        let c = proximo(10, Some(25));
        assert_eq!(
            c.due_date(d("2026-01-25"), None),
            Some(d("2026-02-10")),
            "on the cutoff day: next month"
        );
        assert_eq!(
            c.due_date(d("2026-01-26"), None),
            Some(d("2026-03-10")),
            "after the cutoff: the month after"
        );
        assert_eq!(
            c.due_date(d("2026-11-30"), None),
            Some(d("2027-01-10")),
            "and across the year"
        );
        assert_eq!(
            proximo(30, Some(20)).due_date(d("2026-12-21"), None),
            Some(d("2027-02-28"))
        );
    }

    #[test]
    fn early_discount_window_uses_the_terms_anchor() {
        let disc = EarlyDiscount {
            percent: Decimal::from(2),
            days: 10,
        };
        let t = PaymentTerms::new(TermKind::Net, 30, None, None, Some(disc)).unwrap();
        assert_eq!(
            t.discount_until(d("2026-03-01"), None),
            Some(d("2026-03-11"))
        );
        let r = PaymentTerms::new(TermKind::AfterReceipt, 30, None, None, Some(disc)).unwrap();
        assert_eq!(r.discount_until(d("2026-03-01"), None), None);
        assert_eq!(
            r.discount_until(d("2026-03-01"), Some(d("2026-03-04"))),
            Some(d("2026-03-14"))
        );
    }

    #[test]
    fn bad_terms_name_their_field() {
        assert_eq!(
            PaymentTerms::new(TermKind::Proximo, 0, None, None, None)
                .unwrap_err()
                .field(),
            Some("dayOfMonth")
        );
        assert_eq!(
            PaymentTerms::new(TermKind::Proximo, 0, Some(32), None, None)
                .unwrap_err()
                .field(),
            Some("dayOfMonth")
        );
        let bad = EarlyDiscount {
            percent: Decimal::from(100),
            days: 10,
        };
        assert_eq!(
            PaymentTerms::new(TermKind::Net, 30, None, None, Some(bad))
                .unwrap_err()
                .field(),
            Some("discountPercent")
        );
    }

    #[test]
    fn sentences_exist_in_every_language() {
        let t = PaymentTerms::new(TermKind::AfterReceipt, 15, None, None, None).unwrap();
        assert_eq!(
            t.sentence(Lang::En),
            "Payable within 15 days of receipt of this invoice."
        );
        assert!(t.sentence(Lang::Ru).contains("15"));
        assert!(t.sentence(Lang::Kk).contains("15"));
        let p = proximo(10, None);
        assert!(
            p.sentence(Lang::En).contains("10th"),
            "{}",
            p.sentence(Lang::En)
        );
        let disc = EarlyDiscount {
            percent: Decimal::from(2),
            days: 10,
        };
        let n = PaymentTerms::new(TermKind::Net, 30, None, None, Some(disc)).unwrap();
        assert_eq!(
            n.sentence(Lang::En),
            "Payable within 30 days of the invoice date. 2% discount if paid within 10 days."
        );
    }

    #[test]
    fn sentences_say_1_day_a_decimal_comma_and_the_last_day_of_the_month() {
        let one = PaymentTerms::new(
            TermKind::Net,
            1,
            None,
            None,
            Some(EarlyDiscount {
                percent: Decimal::new(15, 1),
                days: 1,
            }),
        )
        .unwrap();
        assert_eq!(
            one.sentence(Lang::En),
            "Payable within 1 day of the invoice date. 1.5% discount if paid within 1 day."
        );
        assert!(
            one.sentence(Lang::Ru).contains("1,5\u{a0}%"),
            "{}",
            one.sentence(Lang::Ru)
        );
        assert!(
            one.sentence(Lang::Kk).contains("1,5\u{a0}%"),
            "{}",
            one.sentence(Lang::Kk)
        );
        let last = proximo(31, None);
        assert_eq!(
            last.sentence(Lang::En),
            "Payable by the last day of the following month."
        );
        assert!(
            last.sentence(Lang::Ru).contains("последнего дня"),
            "{}",
            last.sentence(Lang::Ru)
        );
        assert!(
            last.sentence(Lang::Kk).contains("соңғы күніне"),
            "{}",
            last.sentence(Lang::Kk)
        );
        assert!(!proximo(10, None).sentence(Lang::En).contains("last"));
    }
}
