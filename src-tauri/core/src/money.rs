//! Money: currencies, exact conversion to and from integer minor units, and the one rounding rule.
//!
//! Amounts are `Decimal` in Rust, `INTEGER` minor units in SQLite and decimal strings across
//! IPC. Rounding is always [`round_money`]: half away from zero (commercial rounding), never
//! `round_dp`'s banker's rounding.

use crate::error::{Error, Result};
use rust_decimal::prelude::*;
use rust_decimal::RoundingStrategy;

/// The error key for a number with more decimals than `max` allows; each says how many are
/// allowed (`error.tooManyDecimals.2`: "at most 2 decimals"), in every language.
pub fn too_many_decimals(max: u32) -> &'static str {
    match max {
        0 => "error.tooManyDecimals.0",
        1 => "error.tooManyDecimals.1",
        2 => "error.tooManyDecimals.2",
        3 => "error.tooManyDecimals.3",
        4 => "error.tooManyDecimals.4",
        5 => "error.tooManyDecimals.5",
        _ => "error.tooManyDecimals.6",
    }
}

/// Most decimals of a unit price and of a quantity: a price per gram, per kWh or per minute
/// can be finer than the currency (0.125 ₸, 19.995 $); the line amount is then rounded to the
/// currency with [`round_money`].
pub const MAX_PRICE_DECIMALS: u32 = 6;

/// A unit price exact to up to [`MAX_PRICE_DECIMALS`] decimals, as stored: an integer and its
/// decimals. `scale` is `None` when the price is exact in the currency's minor units (every
/// price before finer ones were allowed), so those rows, their documents and fingerprints read
/// exactly as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPrice {
    pub units: i64,
    pub scale: Option<u32>,
}

impl UnitPrice {
    /// A price in the currency's minor units.
    pub fn minor(units: i64) -> UnitPrice {
        UnitPrice { units, scale: None }
    }

    /// From the stored columns (`unit_price_minor`, `unit_price_scale`).
    pub fn stored(units: i64, scale: Option<i64>) -> UnitPrice {
        UnitPrice {
            units,
            scale: scale.map(|s| s.clamp(0, MAX_PRICE_DECIMALS as i64) as u32),
        }
    }

    /// A typed price: refused with more than six decimals (the message says how many are allowed).
    pub fn parse(price: Decimal, c: Currency, field: &str) -> Result<UnitPrice> {
        let p = price.normalize();
        if p.scale() > MAX_PRICE_DECIMALS {
            return Err(Error::invalid(field, too_many_decimals(MAX_PRICE_DECIMALS)));
        }
        if p.scale() <= c.minor_units {
            return Ok(UnitPrice::minor(c.to_minor(p, field)?));
        }
        let units = p
            .mantissa()
            .to_i64()
            .ok_or_else(|| Error::invalid(field, "error.amountTooLarge"))?;
        Ok(UnitPrice {
            units,
            scale: Some(p.scale()),
        })
    }

    /// The price as a decimal.
    pub fn value(self, c: Currency) -> Decimal {
        Decimal::new(self.units, self.scale.unwrap_or(c.minor_units))
    }

    /// As entered: the currency's decimals, or all of a finer price's ("0.125", "19.995").
    pub fn format(self, c: Currency) -> String {
        match self.scale {
            None => c.format_minor(self.units),
            Some(s) => Decimal::new(self.units, s).to_string(),
        }
    }

    /// The scale column: NULL for a price in minor units.
    pub fn scale_column(self) -> Option<i64> {
        self.scale.map(i64::from)
    }
}

/// The largest amount (in major units) Esep accepts anywhere: 10^12.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// ISO 4217 currencies Esep knows, with their minor-unit digits and symbol.
const CURRENCIES: &[(&str, u32, &str)] = &[
    ("KZT", 2, "₸"),
    ("RUB", 2, "₽"),
    ("USD", 2, "$"),
    ("EUR", 2, "€"),
    ("GBP", 2, "£"),
    ("CHF", 2, "CHF"),
    ("CNY", 2, "¥"),
    ("KGS", 2, "сом"),
    ("UZS", 2, "сўм"),
    ("TRY", 2, "₺"),
    ("AED", 2, "AED"),
    ("PLN", 2, "zł"),
    ("CZK", 2, "Kč"),
    ("SEK", 2, "kr"),
    ("NOK", 2, "kr"),
    ("DKK", 2, "kr"),
    ("CAD", 2, "CA$"),
    ("AUD", 2, "A$"),
    ("INR", 2, "₹"),
    ("GEL", 2, "₾"),
    ("AMD", 2, "֏"),
    ("AZN", 2, "₼"),
    ("BYN", 2, "Br"),
    ("UAH", 2, "₴"),
    ("JPY", 0, "¥"),
    ("KRW", 0, "₩"),
    ("KWD", 3, "KWD"),
    ("BHD", 3, "BHD"),
    ("OMR", 3, "OMR"),
];

/// A currency Esep knows (ISO 4217 code and minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    pub code: &'static str,
    pub minor_units: u32,
    pub symbol: &'static str,
}

impl Currency {
    /// Looks up an ISO 4217 code (upper case); `field` names the argument for the error.
    pub fn parse(code: &str, field: &str) -> Result<Currency> {
        CURRENCIES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|&(code, minor_units, symbol)| Currency {
                code,
                minor_units,
                symbol,
            })
            .ok_or_else(|| Error::invalid(field, "error.unknownCurrency"))
    }

    /// The currency of a code already stored by Esep.
    pub fn stored(code: &str) -> Result<Currency> {
        Currency::parse(code, "currency")
            .map_err(|_| Error::Internal(format!("unknown stored currency {code}")))
    }

    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES
            .iter()
            .map(|&(code, minor_units, symbol)| Currency {
                code,
                minor_units,
                symbol,
            })
    }

    /// The error key for an amount finer than this currency: it says how many decimals it has.
    pub fn decimals_key(&self) -> &'static str {
        too_many_decimals(self.minor_units)
    }

    /// Converts an amount that must already be exact in this currency to minor units.
    pub fn to_minor(&self, amount: Decimal, field: &str) -> Result<i64> {
        if amount.normalize().scale() > self.minor_units {
            return Err(Error::invalid(field, self.decimals_key()));
        }
        self.to_minor_rounded(amount)
            .ok_or_else(|| Error::invalid(field, "error.amountTooLarge"))
    }

    /// Rounds with [`round_money`] and converts to minor units; `None` on overflow.
    pub fn to_minor_rounded(&self, amount: Decimal) -> Option<i64> {
        let rounded = round_money(amount, self.minor_units);
        let scaled = rounded.checked_mul(Decimal::from(10i64.pow(self.minor_units)))?;
        scaled.to_i64()
    }

    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.minor_units)
    }

    /// A minor-unit amount as a decimal string with exactly the currency's digits (`"1234.50"`).
    pub fn format_minor(&self, minor: i64) -> String {
        // Integer arithmetic, exact: reports format tens of thousands of amounts, and going
        // through Decimal's Display costs several times more (pinned against it by a test).
        // Digits written right to left into a stack buffer (no formatter machinery): the ageing
        // of a big shop formats 60,000 of these.
        let units = self.minor_units as usize;
        let mut buf = [0u8; 24];
        let mut at = buf.len();
        let mut abs = minor.unsigned_abs();
        let mut written = 0;
        while written <= units || abs > 0 {
            if written == units && units > 0 {
                at -= 1;
                buf[at] = b'.';
            }
            at -= 1;
            buf[at] = b'0' + (abs % 10) as u8;
            abs /= 10;
            written += 1;
        }
        if minor < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        String::from_utf8_lossy(&buf[at..]).into_owned()
    }

    /// Rounds a decimal to this currency with [`round_money`].
    pub fn round(&self, amount: Decimal) -> Decimal {
        round_money(amount, self.minor_units)
    }
}

/// The one rounding rule of Esep: half away from zero to `dp` decimals.
///
/// `round_money(2.345, 2) = 2.35`, `round_money(-2.345, 2) = -2.35`, `round_money(2.5, 0) = 3`.
pub fn round_money(amount: Decimal, dp: u32) -> Decimal {
    amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Parses a user-entered decimal string: digits, one `.` (or `,`), optional leading `-`.
/// Spaces (including no-break spaces) as thousands separators are allowed; exponents, `NaN`
/// and infinities are not.
pub fn parse_decimal(text: &str, field: &str) -> Result<Decimal> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let body = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let valid = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if !valid || cleaned.len() > 40 {
        return Err(Error::invalid(field, "error.notANumber"));
    }
    Decimal::from_str(&cleaned).map_err(|_| Error::invalid(field, "error.notANumber"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn minor_amounts_format_exactly_as_decimals_do() {
        for units in [0u32, 2, 3] {
            let c = Currency {
                code: "TST",
                minor_units: units,
                symbol: "",
            };
            for m in [
                0i64,
                1,
                -1,
                5,
                -5,
                99,
                100,
                -100,
                101,
                123456789,
                -123456789,
                1000,
                -7,
                i64::MAX,
                i64::MIN + 1,
            ] {
                let want = format!("{:.*}", units as usize, Decimal::new(m, units));
                assert_eq!(c.format_minor(m), want, "{m} with {units} decimals");
            }
        }
        let kzt = Currency::stored("KZT").unwrap();
        assert_eq!(kzt.format_minor(-50), "-0.50");
        assert_eq!(kzt.format_minor(i64::MIN), "-92233720368547758.08");
    }

    use super::*;
    use rust_decimal_macros_free::dec;

    mod rust_decimal_macros_free {
        macro_rules! dec {
            ($s:literal) => {
                rust_decimal::Decimal::from_str_exact(stringify!($s)).unwrap()
            };
        }
        pub(crate) use dec;
    }

    #[test]
    fn rounding_is_half_away_from_zero_not_bankers() {
        assert_eq!(round_money(dec!(2.345), 2), dec!(2.35), "midpoint goes up");
        assert_eq!(round_money(dec!(2.355), 2), dec!(2.36));
        assert_eq!(
            round_money(dec!(-2.345), 2),
            dec!(-2.35),
            "and away from zero when negative"
        );
        assert_eq!(round_money(dec!(0.5), 0), dec!(1), "banker's would give 0");
        assert_eq!(round_money(dec!(2.5), 0), dec!(3), "banker's would give 2");
        assert_eq!(round_money(dec!(2.344999), 2), dec!(2.34));
    }

    #[test]
    fn minor_units_follow_the_currency() {
        let kzt = Currency::parse("KZT", "c").unwrap();
        let jpy = Currency::parse("JPY", "c").unwrap();
        let kwd = Currency::parse("KWD", "c").unwrap();
        assert_eq!(kzt.to_minor(dec!(1234.5), "a").unwrap(), 123450);
        assert_eq!(jpy.to_minor(dec!(1234), "a").unwrap(), 1234);
        assert_eq!(kwd.to_minor(dec!(1.234), "a").unwrap(), 1234);
        assert_eq!(kzt.format_minor(123450), "1234.50");
        assert_eq!(jpy.format_minor(5), "5");
        assert_eq!(kwd.format_minor(-1), "-0.001");
    }

    #[test]
    fn too_many_decimals_is_an_error_naming_the_field() {
        let jpy = Currency::parse("JPY", "c").unwrap();
        let err = jpy.to_minor(dec!(1.5), "unitPrice").unwrap_err();
        assert_eq!(err.field(), Some("unitPrice"));
        assert_eq!(
            err.message_key(),
            "error.tooManyDecimals.0",
            "the yen has no decimals, and the message says so"
        );
        assert_eq!(
            Currency::parse("KWD", "c")
                .unwrap()
                .to_minor(dec!(1.2345), "x")
                .unwrap_err()
                .message_key(),
            "error.tooManyDecimals.3"
        );
        let kzt = Currency::parse("KZT", "c").unwrap();
        assert!(kzt.to_minor(dec!(1.005), "x").is_err());
        assert_eq!(
            kzt.to_minor(dec!(1.500), "x").unwrap(),
            150,
            "trailing zeros are not extra decimals"
        );
    }

    #[test]
    fn unit_prices_can_be_finer_than_the_currency_and_print_as_entered() {
        let kzt = Currency::parse("KZT", "c").unwrap();
        let usd = Currency::parse("USD", "c").unwrap();
        let kwd = Currency::parse("KWD", "c").unwrap();
        let p = UnitPrice::parse(dec!(0.125), kzt, "unitPrice").unwrap();
        assert_eq!((p.units, p.scale), (125, Some(3)));
        assert_eq!(p.format(kzt), "0.125");
        assert_eq!(p.value(kzt), dec!(0.125));
        assert_eq!(
            UnitPrice::parse(dec!(19.995), usd, "x")
                .unwrap()
                .format(usd),
            "19.995"
        );
        assert_eq!(
            UnitPrice::parse(dec!(1.2345), kwd, "x")
                .unwrap()
                .format(kwd),
            "1.2345"
        );
        let plain = UnitPrice::parse(dec!(12.50), kzt, "x").unwrap();
        assert_eq!(
            plain,
            UnitPrice::minor(1250),
            "a price exact in the currency is stored as before"
        );
        assert_eq!(plain.format(kzt), "12.50");
        let e = UnitPrice::parse(dec!(0.1234567), kzt, "lines[2].unitPrice").unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("lines[2].unitPrice"), "error.tooManyDecimals.6")
        );
        assert_eq!(UnitPrice::stored(125, Some(3)), p);
    }

    #[test]
    fn unknown_currency_is_refused() {
        assert_eq!(
            Currency::parse("XXX", "currency")
                .unwrap_err()
                .message_key(),
            "error.unknownCurrency"
        );
        assert!(
            Currency::parse("kzt", "currency").is_err(),
            "codes are upper case"
        );
    }

    #[test]
    fn user_decimals_parse_exactly_and_refuse_floats_tricks() {
        assert_eq!(parse_decimal("1 234,50", "a").unwrap(), dec!(1234.50));
        assert_eq!(parse_decimal("-0.1", "a").unwrap(), dec!(-0.1));
        for bad in [
            "", "NaN", "Infinity", "1e400", "1.2.3", "-", ".", "12abc", "0x10",
        ] {
            assert!(
                parse_decimal(bad, "amount").is_err(),
                "{bad:?} must be refused"
            );
        }
    }
}
