//! Invoice arithmetic: line amounts, discounts, taxes and totals. Pure and exact.
//!
//! # Tax policy (pinned by tests)
//! 1. Each line amount is `quantity × unit price × (1 − line discount %)`, rounded half away
//!    from zero to the currency's minor unit. These are the printed line amounts.
//! 2. Lines are grouped by tax rate. The invoice-level discount is computed **per rate total**:
//!    `discount_r = round(Σ lines_r × d %)`.
//! 3. Tax is computed **per rate total**, once, on the discounted base:
//!    - prices net of tax: `tax_r = round(base_r × rate %)`, `gross_r = base_r + tax_r`;
//!    - prices including tax: `tax_r = round(base_r × rate / (100 + rate))`,
//!      `net_r = base_r − tax_r`, `gross_r = base_r`.
//! 4. `total = Σ gross_r`. The printed identity always holds exactly:
//!    net prices: `Σ printed lines − Σ discount_r + Σ tax_r = total`;
//!    tax-inclusive prices: `Σ printed lines − Σ discount_r = total` (tax shown as "included").

use crate::error::{Error, Result};
use crate::money::{round_money, Currency, MAX_AMOUNT};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One line as entered.
#[derive(Debug, Clone, PartialEq)]
pub struct LineInput {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
}

/// Totals for one tax rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateTotal {
    pub rate: Decimal,
    pub lines_minor: i64,
    pub discount_minor: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub gross_minor: i64,
}

/// Everything printed on an invoice about money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub line_amounts: Vec<i64>,
    pub rates: Vec<RateTotal>,
    /// Σ printed line amounts.
    pub subtotal_minor: i64,
    /// Σ invoice-level discounts.
    pub discount_minor: i64,
    /// Σ net amounts (what is posted to Sales).
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

/// Computes the totals of an invoice; `field` prefixes errors (`lines[3].quantity`).
pub fn compute(
    currency: Currency,
    lines: &[LineInput],
    invoice_discount: Decimal,
    prices_include_tax: bool,
) -> Result<Totals> {
    let hundred = Decimal::from(100);
    let max_line = Decimal::from(MAX_AMOUNT);
    let mut line_amounts = Vec::with_capacity(lines.len());
    let mut by_rate: BTreeMap<Decimal, i64> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        let gross = l
            .quantity
            .checked_mul(l.unit_price)
            .and_then(|x| x.checked_mul(hundred - l.discount_percent))
            .and_then(|x| x.checked_div(hundred))
            .ok_or_else(|| {
                Error::invalid(format!("lines[{i}].quantity"), "error.amountTooLarge")
            })?;
        if gross.abs() > max_line {
            return Err(Error::invalid(
                format!("lines[{i}].quantity"),
                "error.amountTooLarge",
            ));
        }
        let minor = currency.to_minor_rounded(gross).ok_or_else(|| {
            Error::invalid(format!("lines[{i}].quantity"), "error.amountTooLarge")
        })?;
        line_amounts.push(minor);
        *by_rate.entry(l.tax_rate.normalize()).or_default() += minor;
    }
    let mut rates = Vec::with_capacity(by_rate.len());
    for (rate, lines_minor) in by_rate {
        let base = Decimal::from(lines_minor);
        let discount_minor = to_i64(round_money(base * invoice_discount / hundred, 0))?;
        let base_minor = lines_minor - discount_minor;
        let b = Decimal::from(base_minor);
        let (net_minor, tax_minor, gross_minor) = if prices_include_tax {
            let tax = to_i64(round_money(b * rate / (hundred + rate), 0))?;
            (base_minor - tax, tax, base_minor)
        } else {
            let tax = to_i64(round_money(b * rate / hundred, 0))?;
            (base_minor, tax, base_minor + tax)
        };
        rates.push(RateTotal {
            rate,
            lines_minor,
            discount_minor,
            net_minor,
            tax_minor,
            gross_minor,
        });
    }
    let sum = |f: fn(&RateTotal) -> i64| rates.iter().map(f).sum::<i64>();
    Ok(Totals {
        subtotal_minor: sum(|r| r.lines_minor),
        discount_minor: sum(|r| r.discount_minor),
        net_minor: sum(|r| r.net_minor),
        tax_minor: sum(|r| r.tax_minor),
        total_minor: sum(|r| r.gross_minor),
        line_amounts,
        rates,
    })
}

fn to_i64(d: Decimal) -> Result<i64> {
    use rust_decimal::prelude::ToPrimitive;
    d.to_i64()
        .ok_or_else(|| Error::invalid("lines", "error.amountTooLarge"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(q: &str, p: &str, d: &str, r: &str) -> LineInput {
        LineInput {
            quantity: dec(q),
            unit_price: dec(p),
            discount_percent: dec(d),
            tax_rate: dec(r),
        }
    }

    fn kzt() -> Currency {
        Currency::parse("KZT", "c").unwrap()
    }

    #[test]
    fn tax_is_computed_per_rate_total_not_per_line() {
        // Three lines of 0.05 at 12 %: per line the tax would be 3 × round(0.006) = 0.03,
        // per rate total it is round(0.018) = 0.02. The policy is per rate total.
        let lines = vec![line("1", "0.05", "0", "12"); 3];
        let t = compute(kzt(), &lines, Decimal::ZERO, false).unwrap();
        assert_eq!(t.tax_minor, 2);
        assert_eq!(t.total_minor, 17);
    }

    #[test]
    fn line_amounts_round_half_away_from_zero() {
        let t = compute(kzt(), &[line("3", "0.125", "0", "0")], Decimal::ZERO, false).unwrap();
        assert_eq!(
            t.line_amounts,
            vec![38],
            "0.375 rounds to 0.38, banker's would give 0.38 too; 0.365 would differ"
        );
        let t = compute(kzt(), &[line("1", "0.365", "0", "0")], Decimal::ZERO, false)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            t.line_amounts,
            vec![37],
            "0.365 → 0.37 (banker's would give 0.36)"
        );
    }

    #[test]
    fn discounts_and_several_rates() {
        let lines = vec![
            line("2", "1000", "10", "12"),
            line("1", "500", "0", "0"),
            line("3", "333.33", "0", "12"),
        ];
        let t = compute(kzt(), &lines, dec("5"), false).unwrap();
        assert_eq!(t.line_amounts, vec![180000, 50000, 99999]);
        let r12 = t.rates.iter().find(|r| r.rate == dec("12")).unwrap();
        assert_eq!(r12.lines_minor, 279999);
        assert_eq!(
            r12.discount_minor, 14000,
            "5 % of 2799.99 = 139.9995 → 140.00"
        );
        assert_eq!(r12.tax_minor, 31920, "12 % of 2659.99 = 319.1988 → 319.20");
        assert_eq!(
            t.subtotal_minor - t.discount_minor + t.tax_minor,
            t.total_minor
        );
    }

    #[test]
    fn tax_inclusive_prices_extract_the_tax() {
        let t = compute(kzt(), &[line("1", "112", "0", "12")], Decimal::ZERO, true).unwrap();
        assert_eq!(t.total_minor, 11200);
        assert_eq!(t.tax_minor, 1200);
        assert_eq!(t.net_minor, 10000);
    }

    #[test]
    fn absurd_amounts_are_refused_with_the_line_named() {
        let e = compute(
            kzt(),
            &[
                line("1", "1", "0", "0"),
                line("1000000", "10000000", "0", "0"),
            ],
            Decimal::ZERO,
            false,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("lines[1].quantity"));
    }

    fn arb_line() -> impl Strategy<Value = LineInput> {
        (
            1i64..100_000,
            0i64..10_000_000,
            0i64..=100,
            prop::sample::select(vec!["0", "5", "12", "20", "7.5"]),
        )
            .prop_map(|(q, p, d, r)| LineInput {
                quantity: Decimal::new(q, 2),
                unit_price: Decimal::new(p, 2),
                discount_percent: Decimal::from(d),
                tax_rate: dec(r),
            })
    }

    proptest! {
        #[test]
        fn the_printed_identity_always_holds(lines in prop::collection::vec(arb_line(), 1..30), disc in 0i64..=100, incl in any::<bool>()) {
            let t = compute(kzt(), &lines, Decimal::from(disc), incl).unwrap();
            prop_assert_eq!(t.line_amounts.iter().sum::<i64>(), t.subtotal_minor);
            if incl {
                prop_assert_eq!(t.subtotal_minor - t.discount_minor, t.total_minor);
                prop_assert_eq!(t.net_minor + t.tax_minor, t.total_minor);
            } else {
                prop_assert_eq!(t.subtotal_minor - t.discount_minor + t.tax_minor, t.total_minor);
                prop_assert_eq!(t.net_minor + t.tax_minor, t.total_minor);
            }
            for r in &t.rates {
                prop_assert_eq!(r.net_minor + r.tax_minor, r.gross_minor);
                prop_assert!(r.tax_minor >= 0 && r.discount_minor >= 0);
            }
        }
    }
}
