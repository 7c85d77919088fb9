//! The 1C client-bank exchange format (`1CClientBankExchange`, format version 1.02/1.03), the
//! text file banks in Kazakhstan and Russia give for 1C.
//!
//! The file is `Key=Value` lines: a header (`ВерсияФормата`, `Кодировка`, `ДатаНачала`,
//! `ДатаКонца`, `РасчСчет`), account sections (`СекцияРасчСчет` … `КонецРасчСчет`, with
//! `НачальныйОстаток` and `КонечныйОстаток`), one section per payment document
//! (`СекцияДокумент=<kind>` … `КонецДокумента`: `Номер`, `Дата`, `Сумма`, the payer's and the
//! recipient's name, account, tax number and bank, `ДатаПоступило` for money in,
//! `ДатаСписано` for money out, `НазначениеПлатежа`) and `КонецФайла` at the end.
//!
//! Kazakh configurations name some fields their own way (`ПлательщикИИК`, `ПлательщикБИН`,
//! `ПлательщикБИН_ИИН`, `КНП`, `КодНазначенияПлатежа`); each is read under every name in use.
//! The direction comes from which side the statement's own account is on, else from which of
//! the two dates is filled.

use super::{amount, at, norm_account, one_line, Direction, Line, Statement};
use crate::error::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

const PAYER_ACCOUNT: &[&str] = &["ПлательщикИИК", "ПлательщикСчет", "ПлательщикРасчСчет"];
const PAYER_ID: &[&str] = &[
    "ПлательщикБИН",
    "ПлательщикИИН",
    "ПлательщикБИН_ИИН",
    "ПлательщикБИНИИН",
    "ПлательщикИНН",
];
const PAYER_NAME: &[&str] = &["Плательщик1", "Плательщик"];
const PAYEE_ACCOUNT: &[&str] = &["ПолучательИИК", "ПолучательСчет", "ПолучательРасчСчет"];
const PAYEE_ID: &[&str] = &[
    "ПолучательБИН",
    "ПолучательИИН",
    "ПолучательБИН_ИИН",
    "ПолучательБИНИИН",
    "ПолучательИНН",
];
const PAYEE_NAME: &[&str] = &["Получатель1", "Получатель"];
const KNP: &[&str] = &["КНП", "КодНазначенияПлатежа"];

/// A `dd.mm.yyyy` date.
fn date(v: &str, line: usize, tag: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(v.trim(), "%d.%m.%Y").map_err(|_| at(line, tag, "error.bank.date"))
}

struct Section {
    line: usize,
    fields: HashMap<String, (usize, String)>,
}

impl Section {
    fn get(&self, names: &[&str]) -> Option<(usize, &str)> {
        names.iter().find_map(|n| {
            self.fields
                .get(*n)
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(l, v)| (*l, v.trim()))
        })
    }

    fn text(&self, names: &[&str]) -> String {
        self.get(names)
            .map(|(_, v)| one_line(v))
            .unwrap_or_default()
    }
}

pub fn parse(text: &str) -> Result<Statement> {
    let mut header: HashMap<String, (usize, String)> = HashMap::new();
    let mut accounts: Vec<Section> = Vec::new();
    let mut documents: Vec<Section> = Vec::new();
    let mut open: Option<(bool, Section)> = None; // (is a document, the section)
    let mut ended = false;
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        last = n;
        let line = raw
            .trim_start_matches('\u{feff}')
            .trim_end_matches('\r')
            .trim();
        if line.is_empty() || (n == 1 && line == "1CClientBankExchange") {
            continue;
        }
        if ended {
            return Err(at(n, "", "error.bank.afterEnd"));
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k.trim(), v),
            None => (line, ""),
        };
        match key {
            "СекцияРасчСчет" | "СекцияДокумент" => {
                if let Some((_, s)) = &open {
                    return Err(at(s.line, "", "error.bank.truncated"));
                }
                open = Some((
                    key == "СекцияДокумент",
                    Section {
                        line: n,
                        fields: HashMap::new(),
                    },
                ));
            }
            "КонецРасчСчет" | "КонецДокумента" => match open.take() {
                Some((true, s)) if key == "КонецДокумента" => documents.push(s),
                Some((false, s)) if key == "КонецРасчСчет" => accounts.push(s),
                _ => return Err(at(n, key, "error.bank.unexpected")),
            },
            "КонецФайла" => {
                if let Some((_, s)) = &open {
                    return Err(at(s.line, "", "error.bank.truncated"));
                }
                ended = true;
            }
            _ if value.is_empty() && !line.contains('=') => {
                return Err(at(n, "", "error.bank.unexpected"))
            }
            _ => {
                let target = match &mut open {
                    Some((_, s)) => &mut s.fields,
                    None => &mut header,
                };
                target.insert(key.to_string(), (n, value.to_string()));
            }
        }
    }
    if !ended {
        return Err(at(last.max(1), "КонецФайла", "error.bank.truncated"));
    }
    let own = header
        .get("РасчСчет")
        .map(|(_, v)| norm_account(v))
        .or_else(|| {
            accounts
                .iter()
                .find_map(|a| a.get(&["РасчСчет"]).map(|(_, v)| norm_account(v)))
        })
        .unwrap_or_default();
    let head = Section {
        line: 1,
        fields: header,
    };
    let from = match head.get(&["ДатаНачала"]) {
        Some((l, v)) => Some(date(v, l, "ДатаНачала")?),
        None => None,
    };
    let to = match head.get(&["ДатаКонца"]) {
        Some((l, v)) => Some(date(v, l, "ДатаКонца")?),
        None => None,
    };
    // Several account sections (one per day, or per account): the first opening balance and
    // the last closing one of the statement's account.
    let mine: Vec<&Section> = accounts
        .iter()
        .filter(|a| {
            a.get(&["РасчСчет"])
                .is_none_or(|(_, v)| own.is_empty() || norm_account(v) == own)
        })
        .collect();
    let balance = |s: &Section, tag: &str| -> Result<Option<Decimal>> {
        match s.get(&[tag]) {
            None => Ok(None),
            Some((l, v)) => {
                let (neg, v) = match v.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, v),
                };
                let a = amount(v, l, tag)?;
                Ok(Some(if neg { -a } else { a }))
            }
        }
    };
    let opening = match mine.first() {
        Some(s) => balance(s, "НачальныйОстаток")?,
        None => None,
    };
    let closing = match mine.last() {
        Some(s) => balance(s, "КонечныйОстаток")?,
        None => None,
    };
    let mut lines = Vec::with_capacity(documents.len());
    for d in &documents {
        let payer_account = d
            .get(PAYER_ACCOUNT)
            .map(|(_, v)| norm_account(v))
            .unwrap_or_default();
        let payee_account = d
            .get(PAYEE_ACCOUNT)
            .map(|(_, v)| norm_account(v))
            .unwrap_or_default();
        let received = d.get(&["ДатаПоступило"]);
        let paid = d.get(&["ДатаСписано"]);
        let direction = if !own.is_empty() && payee_account == own {
            Direction::In
        } else if !own.is_empty() && payer_account == own {
            Direction::Out
        } else if received.is_some() && paid.is_none() {
            Direction::In
        } else if paid.is_some() && received.is_none() {
            Direction::Out
        } else {
            return Err(at(d.line, "ПолучательСчет", "error.bank.direction"));
        };
        let when = match direction {
            Direction::In => received,
            Direction::Out => paid,
        };
        let day = match when.or_else(|| d.get(&["Дата"])) {
            Some((l, v)) => date(
                v,
                l,
                if when.is_some() {
                    if direction == Direction::In {
                        "ДатаПоступило"
                    } else {
                        "ДатаСписано"
                    }
                } else {
                    "Дата"
                },
            )?,
            None => return Err(at(d.line, "Дата", "error.bank.missing")),
        };
        let sum = match d.get(&["Сумма"]) {
            Some((l, v)) => amount(v, l, "Сумма")?,
            None => return Err(at(d.line, "Сумма", "error.bank.missing")),
        };
        if sum.is_zero() {
            return Err(at(
                d.get(&["Сумма"]).map_or(d.line, |(l, _)| l),
                "Сумма",
                "error.bank.amount",
            ));
        }
        // The purpose may be split over НазначениеПлатежа1…6 in older files.
        let mut purpose = d.text(&["НазначениеПлатежа"]);
        for k in 1..=6 {
            let part = d.text(&[&format!("НазначениеПлатежа{k}")]);
            if !part.is_empty() && !purpose.contains(&part) {
                purpose = one_line(&format!("{purpose} {part}"));
            }
        }
        let (name, id, account) = match direction {
            Direction::In => (d.text(PAYER_NAME), d.text(PAYER_ID), payer_account),
            Direction::Out => (d.text(PAYEE_NAME), d.text(PAYEE_ID), payee_account),
        };
        lines.push(Line {
            line: d.line,
            date: day,
            direction,
            amount: sum,
            currency: String::new(),
            counterparty: name,
            counterparty_id: id,
            counterparty_account: account,
            purpose,
            reference: d.text(&["Номер"]),
            knp: d.text(KNP),
        });
    }
    Ok(Statement {
        format: "1c",
        account: own,
        currency: String::new(),
        from,
        to,
        opening,
        closing,
        lines,
    })
}
