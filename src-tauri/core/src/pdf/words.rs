//! Amounts in words, as Kazakh and Russian invoices print them ("Сумма прописью"), and English.

use crate::i18n::Lang;

/// `amount_in_words(Lang::Ru, 1234, 50, "KZT")` → "Одна тысяча двести тридцать четыре тенге 50 тиын".
pub fn amount_in_words(
    lang: Lang,
    major: u64,
    minor: u32,
    currency: &str,
    minor_digits: u32,
) -> String {
    let (major_name, minor_name, feminine) = names(lang, currency, major, minor);
    let words = match lang {
        Lang::En => en(major),
        Lang::Ru => ru(major, feminine),
        Lang::Kk => kk(major),
    };
    let words = capitalize(&words);
    if minor_digits == 0 {
        format!("{words} {major_name}")
    } else if minor_name.is_empty() {
        // No name for the minor unit: a fraction of the major one, 05/100 or 500/1000.
        format!(
            "{words} {major_name} {:0w$}/{}",
            minor,
            10u64.pow(minor_digits),
            w = minor_digits as usize
        )
    } else {
        format!(
            "{words} {major_name} {:0w$} {minor_name}",
            minor,
            w = minor_digits as usize
        )
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The major unit's name for `n` and the minor unit's for `m` (each in its own plural form:
/// "1 US dollar 01 cent", "2 доллара США 02 цента", "21 цент"); an empty minor name means
/// the minor amount is printed as a fraction.
fn names(lang: Lang, currency: &str, n: u64, m: u32) -> (String, &'static str, bool) {
    let m = u64::from(m);
    let en = |one: &'static str, many: &'static str| if m == 1 { one } else { many };
    match (lang, currency) {
        (Lang::Kk, "KZT") => ("теңге".into(), "тиын", false),
        (Lang::Ru, "KZT") => ("тенге".into(), "тиын", false),
        (Lang::En, "KZT") => ("tenge".into(), "tiyn", false),
        (Lang::Ru, "RUB") => (
            ru_plural(n, "рубль", "рубля", "рублей").into(),
            "коп.",
            false,
        ),
        (Lang::Kk, "RUB") => ("рубль".into(), "тиын", false),
        (Lang::En, "RUB") => (
            if n == 1 { "rouble" } else { "roubles" }.into(),
            en("kopeck", "kopecks"),
            false,
        ),
        (Lang::En, "USD") => (
            if n == 1 { "US dollar" } else { "US dollars" }.into(),
            en("cent", "cents"),
            false,
        ),
        (Lang::Ru, "USD") => (
            format!("{} США", ru_plural(n, "доллар", "доллара", "долларов")),
            ru_plural(m, "цент", "цента", "центов"),
            false,
        ),
        (Lang::Kk, "USD") => ("АҚШ доллары".into(), "цент", false),
        (Lang::En, "EUR") => (
            if n == 1 { "euro" } else { "euros" }.into(),
            en("cent", "cents"),
            false,
        ),
        (Lang::Ru, "EUR") => (
            "евро".into(),
            ru_plural(m, "цент", "цента", "центов"),
            false,
        ),
        (Lang::Kk, "EUR") => ("еуро".into(), "цент", false),
        (_, code) => (code.to_string(), "", false),
    }
}

fn ru_plural(n: u64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    let (d, h) = (n % 10, n % 100);
    if (11..=14).contains(&h) {
        many
    } else if d == 1 {
        one
    } else if (2..=4).contains(&d) {
        few
    } else {
        many
    }
}

fn en(n: u64) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_thousand(n: u64) -> String {
        let mut parts = Vec::new();
        if n >= 100 {
            parts.push(format!("{} hundred", ONES[(n / 100) as usize]));
        }
        let r = n % 100;
        if r > 0 {
            let t = if r < 20 {
                ONES[r as usize].to_string()
            } else if r.is_multiple_of(10) {
                TENS[(r / 10) as usize].to_string()
            } else {
                format!("{}-{}", TENS[(r / 10) as usize], ONES[(r % 10) as usize])
            };
            if n >= 100 {
                parts.push(format!("and {t}"));
            } else {
                parts.push(t);
            }
        }
        parts.join(" ")
    }
    if n == 0 {
        return "zero".into();
    }
    let scales = [
        "",
        " thousand",
        " million",
        " billion",
        " trillion",
        " quadrillion",
    ];
    let mut groups = Vec::new();
    let mut m = n;
    let mut i = 0;
    while m > 0 {
        let g = m % 1000;
        if g > 0 {
            groups.push(format!("{}{}", below_thousand(g), scales[i]));
        }
        m /= 1000;
        i += 1;
    }
    groups.reverse();
    groups.join(" ")
}

fn ru(n: u64, feminine_units: bool) -> String {
    const ONES_M: [&str; 10] = [
        "",
        "один",
        "два",
        "три",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "восемь",
        "девять",
    ];
    const ONES_F: [&str; 10] = [
        "",
        "одна",
        "две",
        "три",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "восемь",
        "девять",
    ];
    const TEENS: [&str; 10] = [
        "десять",
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ];
    const TENS: [&str; 10] = [
        "",
        "",
        "двадцать",
        "тридцать",
        "сорок",
        "пятьдесят",
        "шестьдесят",
        "семьдесят",
        "восемьдесят",
        "девяносто",
    ];
    const HUNDREDS: [&str; 10] = [
        "",
        "сто",
        "двести",
        "триста",
        "четыреста",
        "пятьсот",
        "шестьсот",
        "семьсот",
        "восемьсот",
        "девятьсот",
    ];
    fn group(n: u64, feminine: bool) -> Vec<&'static str> {
        let mut w = Vec::new();
        if n / 100 > 0 {
            w.push(HUNDREDS[(n / 100) as usize]);
        }
        let r = n % 100;
        if (10..20).contains(&r) {
            w.push(TEENS[(r - 10) as usize]);
        } else {
            if r / 10 > 0 {
                w.push(TENS[(r / 10) as usize]);
            }
            if !r.is_multiple_of(10) {
                w.push(if feminine {
                    ONES_F[(r % 10) as usize]
                } else {
                    ONES_M[(r % 10) as usize]
                });
            }
        }
        w
    }
    if n == 0 {
        return "ноль".into();
    }
    let scales: [(&str, &str, &str, bool); 5] = [
        ("", "", "", feminine_units),
        ("тысяча", "тысячи", "тысяч", true),
        ("миллион", "миллиона", "миллионов", false),
        ("миллиард", "миллиарда", "миллиардов", false),
        ("триллион", "триллиона", "триллионов", false),
    ];
    let mut parts: Vec<String> = Vec::new();
    let mut m = n;
    let mut i = 0;
    while m > 0 && i < scales.len() {
        let g = m % 1000;
        if g > 0 {
            let (one, few, many, fem) = scales[i];
            let mut w = group(g, fem).join(" ");
            if i > 0 {
                w = format!("{w} {}", ru_plural(g, one, few, many));
            }
            parts.push(w);
        }
        m /= 1000;
        i += 1;
    }
    parts.reverse();
    parts.join(" ")
}

fn kk(n: u64) -> String {
    const ONES: [&str; 10] = [
        "",
        "бір",
        "екі",
        "үш",
        "төрт",
        "бес",
        "алты",
        "жеті",
        "сегіз",
        "тоғыз",
    ];
    const TENS: [&str; 10] = [
        "",
        "он",
        "жиырма",
        "отыз",
        "қырық",
        "елу",
        "алпыс",
        "жетпіс",
        "сексен",
        "тоқсан",
    ];
    fn group(n: u64) -> Vec<&'static str> {
        let mut w = Vec::new();
        if n / 100 > 0 {
            if n / 100 > 1 {
                w.push(ONES[(n / 100) as usize]);
            }
            w.push("жүз");
        }
        let r = n % 100;
        if r / 10 > 0 {
            w.push(TENS[(r / 10) as usize]);
        }
        if !r.is_multiple_of(10) {
            w.push(ONES[(r % 10) as usize]);
        }
        w
    }
    if n == 0 {
        return "нөл".into();
    }
    let scales = ["", "мың", "миллион", "миллиард", "триллион"];
    let mut parts: Vec<String> = Vec::new();
    let mut m = n;
    let mut i = 0;
    while m > 0 && i < scales.len() {
        let g = m % 1000;
        if g > 0 {
            let mut w = group(g);
            if i > 0 {
                w.push(scales[i]);
            }
            parts.push(w.join(" "));
        }
        m /= 1000;
        i += 1;
    }
    parts.reverse();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_words_agree_in_gender_and_number() {
        assert_eq!(
            amount_in_words(Lang::Ru, 1234, 50, "KZT", 2),
            "Одна тысяча двести тридцать четыре тенге 50 тиын"
        );
        assert_eq!(
            amount_in_words(Lang::Ru, 2_000_001, 0, "KZT", 2),
            "Два миллиона один тенге 00 тиын"
        );
        assert_eq!(
            amount_in_words(Lang::Ru, 11_512, 5, "RUB", 2),
            "Одиннадцать тысяч пятьсот двенадцать рублей 05 коп."
        );
        assert_eq!(
            amount_in_words(Lang::Ru, 22, 0, "RUB", 2),
            "Двадцать два рубля 00 коп."
        );
    }

    #[test]
    fn kazakh_words() {
        assert_eq!(
            amount_in_words(Lang::Kk, 50_400, 0, "KZT", 2),
            "Елу мың төрт жүз теңге 00 тиын"
        );
        assert_eq!(
            amount_in_words(Lang::Kk, 1_115, 10, "KZT", 2),
            "Бір мың жүз он бес теңге 10 тиын"
        );
        assert_eq!(
            amount_in_words(Lang::Kk, 3_000_016, 0, "KZT", 2),
            "Үш миллион он алты теңге 00 тиын"
        );
    }

    #[test]
    fn english_words() {
        assert_eq!(
            amount_in_words(Lang::En, 1_234_567, 89, "USD", 2),
            "One million two hundred and thirty-four thousand five hundred and sixty-seven US dollars 89 cents"
        );
        assert_eq!(
            amount_in_words(Lang::En, 0, 5, "EUR", 2),
            "Zero euros 05 cents"
        );
        assert_eq!(amount_in_words(Lang::En, 7, 0, "JPY", 0), "Seven JPY");
    }

    #[test]
    fn the_minor_unit_takes_its_own_plural_and_a_nameless_one_its_own_denominator() {
        // Russian: 1, 21 → цент; 2–4, 22 → цента; 0, 5–20, 11–14 → центов.
        for (cents, name) in [
            (1, "цент"),
            (21, "цент"),
            (2, "цента"),
            (4, "цента"),
            (22, "цента"),
            (0, "центов"),
            (5, "центов"),
            (11, "центов"),
            (14, "центов"),
        ] {
            assert_eq!(
                amount_in_words(Lang::Ru, 1, cents, "USD", 2),
                format!("Один доллар США {cents:02} {name}"),
                "{cents}"
            );
            assert_eq!(
                amount_in_words(Lang::Ru, 5, cents, "EUR", 2),
                format!("Пять евро {cents:02} {name}"),
                "{cents}"
            );
        }
        assert_eq!(
            amount_in_words(Lang::En, 1, 1, "USD", 2),
            "One US dollar 01 cent"
        );
        assert_eq!(
            amount_in_words(Lang::En, 2, 1, "EUR", 2),
            "Two euros 01 cent"
        );
        assert_eq!(
            amount_in_words(Lang::En, 2, 2, "EUR", 2),
            "Two euros 02 cents"
        );
        assert_eq!(
            amount_in_words(Lang::En, 3, 1, "RUB", 2),
            "Three roubles 01 kopeck"
        );
        // Kazakh nouns after a number stay singular.
        assert_eq!(
            amount_in_words(Lang::Kk, 2, 2, "USD", 2),
            "Екі АҚШ доллары 02 цент"
        );
        // A currency without a named minor unit: thousandths for three decimals, not /100.
        assert_eq!(
            amount_in_words(Lang::En, 1, 500, "KWD", 3),
            "One KWD 500/1000"
        );
        assert_eq!(amount_in_words(Lang::Ru, 2, 5, "GBP", 2), "Два GBP 05/100");
    }
}
