//! Identifiers printed on every invoice, checked before they are stored: an e-mail address
//! with a domain, an IBAN (ISO 13616: country, check digits, mod 97; Kazakhstan's ИИК is 20
//! characters), a bank's BIC (ISO 9362), the Kazakh beneficiary code Кбе (2 digits), the
//! payment purpose code КНП (3 digits) and the Kazakh БИН/ИИН (12 digits with a check digit).

/// `name@domain.tld`: one `@`, something before it, a domain of dot-separated labels after it
/// (letters, digits, `-`, any script), no spaces.
pub fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || domain.contains('@')
        || s.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Lengths of the IBANs of the countries Esep's users bank in (others: 15–34 characters).
fn iban_length(country: &str) -> Option<usize> {
    match country {
        "KZ" => Some(20),
        "RU" => Some(33),
        "DE" => Some(22),
        "GB" => Some(22),
        "FR" => Some(27),
        "TR" => Some(26),
        "AE" => Some(23),
        "GE" => Some(22),
        "UA" => Some(29),
        "AZ" => Some(28),
        "BY" => Some(28),
        _ => None,
    }
}

/// Whether an account number is written as an IBAN (two letters, then two digits): only those
/// are checked, so a US or a domestic account number is stored as given.
pub fn looks_like_iban(s: &str) -> bool {
    let b: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).take(4).collect();
    b.len() == 4
        && b[0].is_ascii_alphabetic()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
}

/// An IBAN, spaces allowed: letters and digits only, the country's length, mod 97 = 1.
pub fn iban_ok(s: &str) -> bool {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !c.chars().all(|x| x.is_ascii_alphanumeric())
        || !(15..=34).contains(&c.len())
        || !looks_like_iban(&c)
    {
        return false;
    }
    if iban_length(&c[..2]).is_some_and(|n| n != c.len()) {
        return false;
    }
    let rearranged = c[4..].chars().chain(c[..4].chars());
    let mut rem: u32 = 0;
    for ch in rearranged {
        let v = ch.to_digit(36).unwrap_or(0);
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// A BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (place), optionally 3 more
/// (branch): `HSBKKZKX`, `CASPKZKAXXX`.
pub fn bic_ok(s: &str) -> bool {
    let b = s.trim().as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(|c| c.is_ascii_uppercase())
        && b[6..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Кбе, the beneficiary code of a Kazakh payment order: two digits (residency, economic sector).
pub fn kbe_ok(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 2 && b.iter().all(u8::is_ascii_digit)
}

/// КНП, the payment purpose code of a Kazakh payment order: three digits.
pub fn knp_ok(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 3 && b.iter().all(u8::is_ascii_digit)
}

/// A Kazakh БИН (business) or ИИН (person): 12 digits, the 3rd and 4th a month (of
/// registration or birth), the last the check digit: the first 11 weighted 1…11 mod 11; a
/// result of 10 is computed again with the weights 3…11, 1, 2; a second 10 is never issued.
pub fn bin_ok(s: &str) -> bool {
    let d: Vec<u32> = s.trim().chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 12 || s.trim().chars().count() != 12 {
        return false;
    }
    let month = d[2] * 10 + d[3];
    if !(1..=12).contains(&month) {
        return false;
    }
    let weighted = |w: &[u32]| d[..11].iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
    let mut check = weighted(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if check == 10 {
        check = weighted(&[3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    }
    check < 10 && check == d[11]
}

/// Whether a country field means Kazakhstan: its ISO codes or its usual names in three
/// languages; an empty field counts as Kazakhstan (the shop's home).
pub fn is_kazakhstan(country: &str) -> bool {
    matches!(
        country.trim().to_lowercase().as_str(),
        "" | "kz"
            | "kaz"
            | "kazakhstan"
            | "republic of kazakhstan"
            | "казахстан"
            | "республика казахстан"
            | "қазақстан"
            | "қазақстан республикасы"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_domain() {
        for ok in [
            "buh@akzhol.kz",
            "a.b+c@mail.example.com",
            "сауле@пример.қаз",
        ] {
            assert!(email_ok(ok), "{ok}");
        }
        for bad in [
            "alma@",
            "@akzhol.kz",
            "alma@kz",
            "alma@@a.kz",
            "al ma@a.kz",
            "alma@a..kz",
            "alma@-a.kz",
            "alma",
        ] {
            assert!(!email_ok(bad), "{bad}");
        }
    }

    #[test]
    fn ibans_are_checked_by_length_and_mod_97() {
        assert!(
            iban_ok("KZ86 125K ZT50 0410 0100"),
            "Kazakh IBAN (20 characters)"
        );
        assert!(iban_ok("GB82WEST12345698765432"));
        assert!(iban_ok("DE89 3704 0044 0532 0130 00"));
        assert!(!iban_ok("KZ12"), "too short");
        assert!(!iban_ok("KZ87 125K ZT50 0410 0100"), "a wrong check digit");
        assert!(
            !iban_ok("KZ86 125K ZT50 0410 01000"),
            "a Kazakh IBAN is 20 characters"
        );
        assert!(!iban_ok("KZ86 125K ZT50 0410 010!"));
        assert!(
            looks_like_iban("KZ12")
                && !looks_like_iban("40702810900000001234")
                && !looks_like_iban("021000021")
        );
    }

    #[test]
    fn bic_and_kbe() {
        assert!(bic_ok("HSBKKZKX") && bic_ok("CASPKZKAXXX"));
        assert!(!bic_ok("HSBK") && !bic_ok("hsbkkzkx") && !bic_ok("1SBKKZKX"));
        assert!(kbe_ok("17") && kbe_ok("19"));
        assert!(!kbe_ok("abc") && !kbe_ok("1") && !kbe_ok("170"));
    }

    #[test]
    fn a_bin_or_iin_needs_twelve_digits_a_month_and_its_check_digit() {
        // Check digit from the first pass (weights 1…11) and from the second (3…11, 1, 2).
        for ok in [
            "900101300126",
            "050440005678",
            "120740000891",
            "870215400124",
            "991250012349",
        ] {
            assert!(bin_ok(ok), "{ok}");
        }
        for bad in [
            "900101300123",             // wrong check digit
            "123456789012",             // month 34
            "12345",                    // too short
            "9001013001260",            // too long
            "90010130012a",             // a letter
            "９００１０１３００１２６", // full-width digits
            "",
        ] {
            assert!(!bin_ok(bad), "{bad}");
        }
        // Every wrong last digit of a valid number is refused.
        for last in 0..10u32 {
            let s = format!("90010130012{last}");
            assert_eq!(bin_ok(&s), last == 6, "{s}");
        }
    }

    #[test]
    fn a_knp_is_three_digits() {
        assert!(knp_ok("710") && knp_ok("859"));
        assert!(!knp_ok("71") && !knp_ok("7100") && !knp_ok("abc"));
    }

    #[test]
    fn kazakhstan_is_known_by_its_codes_and_names() {
        for kz in [
            "",
            "KZ",
            "kaz",
            "Қазақстан",
            "Казахстан",
            "Republic of Kazakhstan",
        ] {
            assert!(is_kazakhstan(kz), "{kz}");
        }
        assert!(!is_kazakhstan("DE") && !is_kazakhstan("Россия"));
    }
}
