//! The message catalogues shared by the UI and the documents: `ui/locales/{kk,ru,en}.json`.
//!
//! The UI fetches the same files; the core embeds them with `include_str!`, so there is one
//! copy of every string. Keys are flat (`"terms.net"`), placeholders are `{name}`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language of the window and of documents: a request names it `kk|ru|en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];
    pub const CODES: &'static [&'static str] = &["kk", "ru", "en"];

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Kk, include_str!("../../../ui/locales/kk.json")),
    (Lang::Ru, include_str!("../../../ui/locales/ru.json")),
    (Lang::En, include_str!("../../../ui/locales/en.json")),
];

type Catalogue = BTreeMap<String, String>;

fn catalogues() -> &'static [(Lang, Catalogue); 3] {
    static CATS: OnceLock<[(Lang, Catalogue); 3]> = OnceLock::new();
    CATS.get_or_init(|| {
        SOURCES.map(|(lang, src)| {
            // The catalogues are part of the build and tested; a broken one is a bug of ours.
            let cat: Catalogue = serde_json::from_str(src).unwrap_or_default();
            (lang, cat)
        })
    })
}

/// The catalogue of one language.
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    &catalogues()
        .iter()
        .find(|(l, _)| *l == lang)
        .expect("every language has a catalogue")
        .1
}

/// The raw JSON source of a catalogue (served to the UI so both read one copy).
pub fn catalogue_source(lang: Lang) -> &'static str {
    SOURCES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, s)| *s)
        .unwrap_or("{}")
}

/// The translation of `key`, falling back to English, then to the key itself.
pub fn t(lang: Lang, key: &str) -> &'static str {
    if let Some(s) = catalogue(lang).get(key) {
        return s;
    }
    if let Some(s) = catalogue(Lang::En).get(key) {
        return s;
    }
    // Leak-free fallback: the key is not 'static, so look it up among English keys only.
    "?"
}

/// [`t`] with `{name}` placeholders replaced.
pub fn tf(lang: Lang, key: &str, vars: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (name, value) in vars {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// A day of the month as an ordinal: `10th`, `10-го`, `10-ы`.
/// "{n} days" as the language counts them: "1 day" / "15 days" (en), "15 дн." (ru, the
/// abbreviation takes every number), "15 күн" (kk nouns after a number stay singular).
pub fn days(lang: Lang, n: i64) -> String {
    let key = if lang == Lang::En && n == 1 {
        "terms.days.one"
    } else {
        "terms.days.other"
    };
    tf(lang, key, &[("n", &n.to_string())])
}

pub fn ordinal(lang: Lang, n: u32) -> String {
    match lang {
        Lang::En => {
            let suffix = match (n % 10, n % 100) {
                (1, x) if x != 11 => "st",
                (2, x) if x != 12 => "nd",
                (3, x) if x != 13 => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
        Lang::Ru => format!("{n}-го"),
        Lang::Kk => {
            // Short Kazakh ordinal: -шы after back-vowel numerals (алты, тоғыз, он, жиырма,
            // отыз), -ші after front-vowel ones (бір, екі, үш, төрт, бес, жеті, сегіз).
            let back = matches!(n % 10, 0 | 6 | 9);
            format!("{n}-{}", if back { "шы" } else { "ші" })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLURAL_FORMS: [&str; 4] = [".one", ".few", ".many", ".other"];

    #[test]
    fn every_locale_has_every_key() {
        let en = catalogue(Lang::En);
        assert!(en.len() > 20, "the English catalogue parsed");
        for lang in Lang::ALL {
            let cat = catalogue(lang);
            // A plural form (`key.one`, `key.few`, ...) belongs to its language's CLDR
            // categories: each language has the forms it needs, beside the base key.
            let plural = |k: &str| {
                PLURAL_FORMS
                    .iter()
                    .any(|f| k.strip_suffix(f).is_some_and(|base| en.contains_key(base)))
            };
            let missing: Vec<_> = en
                .keys()
                .filter(|k| !cat.contains_key(*k) && !plural(k))
                .collect();
            let extra: Vec<_> = cat
                .keys()
                .filter(|k| !en.contains_key(*k) && !plural(k))
                .collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang:?} has keys English lacks: {extra:?}"
            );
            for (k, v) in cat {
                assert!(!v.trim().is_empty(), "{lang:?} {k} is empty");
            }
        }
    }

    #[test]
    fn catalogues_are_valid_json_objects_of_strings() {
        for lang in Lang::ALL {
            let v: serde_json::Value =
                serde_json::from_str(catalogue_source(lang)).expect("valid JSON");
            assert!(
                v.as_object().unwrap().values().all(|x| x.is_string()),
                "{lang:?}: flat strings only"
            );
        }
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal(Lang::En, 1), "1st");
        assert_eq!(ordinal(Lang::En, 11), "11th");
        assert_eq!(ordinal(Lang::En, 22), "22nd");
        assert_eq!(ordinal(Lang::Kk, 10), "10-шы");
        assert_eq!(ordinal(Lang::Kk, 5), "5-ші");
        assert_eq!(ordinal(Lang::Ru, 10), "10-го");
    }
}
