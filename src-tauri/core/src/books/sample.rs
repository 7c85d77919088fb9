//! "Explore with a sample shop": a small, made-up repair shop with four months of history —
//! customers in three languages, services, invoices mailed and received, payments (on time,
//! short, over, with the early-payment discount), reminders, an opening balance, a draft and
//! services still unbilled — so a new user can look around before entering their own books.
//!
//! Everything goes through the same commands as the app (`api::call`), in date order, with the
//! clock set to each event's day: the sample is built by the rules it demonstrates and cannot
//! contain anything the app would refuse. The app keeps it in its own file, never in the
//! user's books.

use super::Ctx;
use crate::api;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use std::collections::HashMap;

/// One customer of the sample shop: name, language, terms preset id, address, and what the
/// shop did for them.
struct Customer {
    key: &'static str,
    name: &'static str,
    language: &'static str,
    terms: i64,
    address: &'static str,
    email: &'static str,
    transit_days: Option<i64>,
}

const CUSTOMERS: &[Customer] = &[
    Customer {
        key: "akzhol",
        name: "«Ақжол» ЖШС",
        language: "kk",
        terms: 4,
        address: "Сәтпаев к-сі, 22, 14-кеңсе\nАлматы 050013",
        email: "buh@akzhol.kz",
        transit_days: None,
    },
    Customer {
        key: "aigul",
        name: "Айгүл Сейітқызы",
        language: "kk",
        terms: 7,
        address: "Тәуелсіздік даңғ., 41, 8-пәтер\nАстана 010000",
        email: "",
        transit_days: Some(3),
    },
    Customer {
        key: "sever",
        name: "ТОО «Север-Сервис»",
        language: "ru",
        terms: 8,
        address: "ул. Толе би, 101, офис 5\nАлматы 050012",
        email: "office@sever-service.kz",
        transit_days: None,
    },
    Customer {
        key: "petrov",
        name: "Иван Петров",
        language: "ru",
        terms: 1,
        address: "ул. Гоголя, 15, кв. 3\nКараганда 100012",
        email: "",
        transit_days: None,
    },
    Customer {
        key: "greenleaf",
        name: "Green Leaf Café",
        language: "en",
        terms: 9,
        address: "Dostyk Ave 43\nAlmaty 050010",
        email: "hello@greenleaf.kz",
        transit_days: None,
    },
    Customer {
        key: "dana",
        name: "Dana Omarova",
        language: "en",
        terms: 5,
        address: "Kabanbay Batyr St 11, apt 70\nAstana 010000",
        email: "dana.omarova@example.com",
        transit_days: None,
    },
    Customer {
        key: "nur",
        name: "«Нұр Медиа» ЖШС",
        language: "kk",
        terms: 3,
        address: "Абай даңғ., 150\nШымкент 160000",
        email: "nur.media@example.kz",
        transit_days: None,
    },
    Customer {
        key: "samal",
        name: "ИП «Самал Дизайн»",
        language: "ru",
        terms: 4,
        address: "пр. Назарбаева, 8\nПавлодар 140000",
        email: "",
        transit_days: None,
    },
];

/// What happens on a day (days relative to today, negative = past).
enum Event {
    Service {
        day: i64,
        customer: &'static str,
        key: &'static str,
        description: &'static str,
        quantity: &'static str,
        unit: &'static str,
        price: &'static str,
    },
    Invoice {
        day: i64,
        key: &'static str,
        services: &'static [&'static str],
    },
    Received {
        day: i64,
        invoice: &'static str,
    },
    Pay {
        day: i64,
        customer: &'static str,
        amount: &'static str,
        invoices: &'static [&'static str],
        reference: &'static str,
    },
    Remind {
        day: i64,
        invoice: &'static str,
    },
    Draft {
        day: i64,
        services: &'static [&'static str],
    },
}

use Event::*;

const EVENTS: &[Event] = &[
    // «Ақжол»: office equipment serviced monthly, Net 15, pays on time; the last one is not due yet.
    Service {
        day: -118,
        customer: "akzhol",
        key: "a1",
        description: "Кеңсе техникасына қызмет көрсету (қыркүйек)",
        quantity: "6",
        unit: "сағ",
        price: "6000",
    },
    Invoice {
        day: -116,
        key: "ia1",
        services: &["a1"],
    },
    Pay {
        day: -105,
        customer: "akzhol",
        amount: "36000",
        invoices: &["ia1"],
        reference: "ПП 1187",
    },
    Service {
        day: -88,
        customer: "akzhol",
        key: "a2",
        description: "Кеңсе техникасына қызмет көрсету (қазан)",
        quantity: "4.5",
        unit: "сағ",
        price: "6000",
    },
    Service {
        day: -86,
        customer: "akzhol",
        key: "a3",
        description: "Принтер картриджін толтыру",
        quantity: "3",
        unit: "дана",
        price: "4500",
    },
    Invoice {
        day: -85,
        key: "ia2",
        services: &["a2", "a3"],
    },
    Pay {
        day: -72,
        customer: "akzhol",
        amount: "40500",
        invoices: &["ia2"],
        reference: "ПП 1254",
    },
    Service {
        day: -58,
        customer: "akzhol",
        key: "a4",
        description: "Кеңсе техникасына қызмет көрсету (қараша)",
        quantity: "5",
        unit: "сағ",
        price: "6000",
    },
    Invoice {
        day: -56,
        key: "ia3",
        services: &["a4"],
    },
    Pay {
        day: -44,
        customer: "akzhol",
        amount: "30000",
        invoices: &["ia3"],
        reference: "ПП 1302",
    },
    Service {
        day: -9,
        customer: "akzhol",
        key: "a5",
        description: "Кеңсе техникасына қызмет көрсету (желтоқсан)",
        quantity: "7",
        unit: "сағ",
        price: "6000",
    },
    Invoice {
        day: -6,
        key: "ia5",
        services: &["a5"],
    },
    // Айгүл: 15 days after she receives the invoice by post; the second payment is short.
    Service {
        day: -100,
        customer: "aigul",
        key: "g1",
        description: "Ноутбук жөндеу: пернетақтаны ауыстыру",
        quantity: "1",
        unit: "",
        price: "25000",
    },
    Invoice {
        day: -97,
        key: "ig1",
        services: &["g1"],
    },
    Received {
        day: -94,
        invoice: "ig1",
    },
    Pay {
        day: -82,
        customer: "aigul",
        amount: "25000",
        invoices: &["ig1"],
        reference: "Kaspi",
    },
    Service {
        day: -40,
        customer: "aigul",
        key: "g2",
        description: "Деректерді қалпына келтіру",
        quantity: "1",
        unit: "",
        price: "30000",
    },
    Invoice {
        day: -37,
        key: "ig2",
        services: &["g2"],
    },
    Received {
        day: -33,
        invoice: "ig2",
    },
    Pay {
        day: -21,
        customer: "aigul",
        amount: "20000",
        invoices: &["ig2"],
        reference: "Kaspi",
    },
    // «Север-Сервис»: air conditioners, EOM 10.
    Service {
        day: -115,
        customer: "sever",
        key: "s1",
        description: "Техническое обслуживание кондиционеров",
        quantity: "3",
        unit: "шт",
        price: "12000",
    },
    Invoice {
        day: -113,
        key: "is1",
        services: &["s1"],
    },
    Pay {
        day: -75,
        customer: "sever",
        amount: "36000",
        invoices: &["is1"],
        reference: "п/п 5521",
    },
    Service {
        day: -55,
        customer: "sever",
        key: "s2",
        description: "Техническое обслуживание кондиционеров",
        quantity: "4",
        unit: "шт",
        price: "12000",
    },
    Service {
        day: -54,
        customer: "sever",
        key: "s3",
        description: "Заправка фреоном R410A",
        quantity: "2.5",
        unit: "кг",
        price: "9800",
    },
    Invoice {
        day: -52,
        key: "is2",
        services: &["s2", "s3"],
    },
    Pay {
        day: -16,
        customer: "sever",
        amount: "72500",
        invoices: &["is2"],
        reference: "п/п 5790",
    },
    Service {
        day: -15,
        customer: "sever",
        key: "s4",
        description: "Диагностика системы вентиляции",
        quantity: "1",
        unit: "",
        price: "18000",
    },
    Invoice {
        day: -14,
        key: "is4",
        services: &["s4"],
    },
    // Иван Петров: due on receipt, pays a little too much; one service still unbilled (old).
    Service {
        day: -70,
        customer: "petrov",
        key: "p1",
        description: "Замена экрана телефона",
        quantity: "1",
        unit: "",
        price: "15000",
    },
    Invoice {
        day: -70,
        key: "ip1",
        services: &["p1"],
    },
    Pay {
        day: -68,
        customer: "petrov",
        amount: "16000",
        invoices: &["ip1"],
        reference: "наличные",
    },
    Service {
        day: -45,
        customer: "petrov",
        key: "p2",
        description: "Чистка ноутбука от пыли, замена термопасты",
        quantity: "1",
        unit: "",
        price: "8000",
    },
    // Green Leaf Café: 2/10 Net 30, takes the discount.
    Service {
        day: -90,
        customer: "greenleaf",
        key: "l1",
        description: "Website maintenance (September)",
        quantity: "1",
        unit: "month",
        price: "40000",
    },
    Invoice {
        day: -88,
        key: "il1",
        services: &["l1"],
    },
    Pay {
        day: -81,
        customer: "greenleaf",
        amount: "39200",
        invoices: &["il1"],
        reference: "Bank transfer",
    },
    Service {
        day: -60,
        customer: "greenleaf",
        key: "l2",
        description: "Website maintenance (October)",
        quantity: "1",
        unit: "month",
        price: "40000",
    },
    Service {
        day: -59,
        customer: "greenleaf",
        key: "l3",
        description: "New menu page with photos",
        quantity: "3",
        unit: "h",
        price: "7500",
    },
    Invoice {
        day: -58,
        key: "il2",
        services: &["l2", "l3"],
    },
    Pay {
        day: -35,
        customer: "greenleaf",
        amount: "62500",
        invoices: &["il2"],
        reference: "Bank transfer",
    },
    Service {
        day: -30,
        customer: "greenleaf",
        key: "l4",
        description: "Website maintenance (November)",
        quantity: "1",
        unit: "month",
        price: "40000",
    },
    Invoice {
        day: -28,
        key: "il4",
        services: &["l4"],
    },
    // Dana Omarova: Net 30, one invoice open, one small job unbilled.
    Service {
        day: -20,
        customer: "dana",
        key: "d1",
        description: "Logo design, three concepts and final files",
        quantity: "1",
        unit: "",
        price: "60000",
    },
    Invoice {
        day: -18,
        key: "id1",
        services: &["d1"],
    },
    Service {
        day: -4,
        customer: "dana",
        key: "d2",
        description: "Business card layout",
        quantity: "1",
        unit: "",
        price: "12000",
    },
    // «Нұр Медиа»: Net 14, pays late and in part, has had two reminders; the second invoice waits for its first.
    Service {
        day: -95,
        customer: "nur",
        key: "n1",
        description: "Бейнемонтаж: жарнамалық ролик (30 сек)",
        quantity: "1",
        unit: "",
        price: "50000",
    },
    Invoice {
        day: -93,
        key: "in1",
        services: &["n1"],
    },
    Remind {
        day: -74,
        invoice: "in1",
    },
    Remind {
        day: -59,
        invoice: "in1",
    },
    Pay {
        day: -50,
        customer: "nur",
        amount: "20000",
        invoices: &["in1"],
        reference: "ТТ 77",
    },
    Service {
        day: -65,
        customer: "nur",
        key: "n2",
        description: "Дыбыс жазу және өңдеу",
        quantity: "4",
        unit: "сағ",
        price: "8000",
    },
    Invoice {
        day: -63,
        key: "in2",
        services: &["n2"],
    },
    // Самал Дизайн: owed 45 000 when the shop moved in (paid since); a repair on a draft.
    Pay {
        day: -100,
        customer: "samal",
        amount: "45000",
        invoices: &[],
        reference: "п/п 301",
    },
    Service {
        day: -12,
        customer: "samal",
        key: "m1",
        description: "Ремонт широкоформатного принтера",
        quantity: "1",
        unit: "",
        price: "22000",
    },
    Draft {
        day: -2,
        services: &["m1"],
    },
];

const START: i64 = -130;

fn day_of(e: &Event) -> i64 {
    match e {
        Service { day, .. }
        | Invoice { day, .. }
        | Received { day, .. }
        | Pay { day, .. }
        | Remind { day, .. }
        | Draft { day, .. } => *day,
    }
}

fn shop(lang: Lang) -> Value {
    let (name, address, thanks) = match lang {
        Lang::Kk => (
            "«Бақыт» жөндеу шеберханасы",
            "Абай даңғылы, 10\nАлматы 050000",
            "Бізді таңдағаныңызға рахмет!",
        ),
        Lang::Ru => (
            "Ремонтная мастерская «Бакыт»",
            "пр. Абая, 10\nАлматы 050000",
            "Спасибо, что выбрали нас!",
        ),
        Lang::En => (
            "Bakyt Repair Workshop",
            "Abay Ave 10\nAlmaty 050000",
            "Thank you for choosing us!",
        ),
    };
    // The workshop is an individual entrepreneur: the owner signs, under an ИИН.
    let (signer, position) = match lang {
        Lang::Kk => ("Бақыт Серікұлы", "Жеке кәсіпкер"),
        Lang::Ru => ("Бакыт Серикулы", "Индивидуальный предприниматель"),
        Lang::En => ("Bakyt Serikuly", "Individual entrepreneur"),
    };
    json!({
        "name": name, "address": address, "country": "KZ", "currency": "KZT", "language": lang.code(), "defaultTermsId": 4,
        "bin": "900101300126", "knp": "859", "bankAccount": "KZ78 601A 8610 0123 4567", "bankName": "Halyk Bank", "bankBic": "HSBKKZKX",
        "bankKbe": "19", "email": "info@bakyt-service.kz", "phone": "+7 727 300 10 20", "thankYou": thanks,
        "signerName": signer, "signerPosition": position,
    })
}

/// Fills empty books with the sample shop as of `today`, with the profile in `lang`.
/// Refuses books that already have a profile (it never mixes made-up data into real books).
pub fn fill(conn: &mut crate::sql::Connection, today: NaiveDate, lang: Lang) -> Result<Value> {
    if super::profile::load(conn)?.is_some() {
        return Err(Error::Conflict {
            key: "error.sampleNotEmpty",
            field: None,
        });
    }
    let at = |d: i64| today + Duration::days(d);
    let mut run = |day: i64, name: &str, args: Value| -> Result<Value> {
        let mut ctx = Ctx::new(conn, at(day));
        api::call(&mut ctx, name, &args)
            .map_err(|e| Error::Internal(format!("sample shop: {name} {args}: {e}")))
    };
    run(START, "save_profile", shop(lang))?;
    let mut ids: HashMap<&str, i64> = HashMap::new();
    let id_of = |v: &Value| {
        v["id"]
            .as_i64()
            .ok_or_else(|| Error::Internal(format!("sample shop: no id in {v}")))
    };
    for c in CUSTOMERS {
        let v = run(START, "create_customer", {
            let mut args = json!({"name": c.name, "language": c.language, "termsId": c.terms, "address": c.address, "country": "KZ", "email": c.email, "transitDays": c.transit_days});
            // The two companies have a БИН and a contract (made-up numbers with valid check digits).
            let company = match c.key {
                "akzhol" => Some(("050440005678", "12/2026", "2026-01-15")),
                "sever" => Some(("120740000891", "С-07", "2026-03-02")),
                _ => None,
            };
            if let Some((bin, number, date)) = company {
                args["taxId"] = json!(bin);
                args["contractNumber"] = json!(number);
                args["contractDate"] = json!(date);
            }
            args
        })?;
        ids.insert(c.key, id_of(&v)?);
    }
    run(
        START,
        "set_opening_balance",
        json!({"customerId": ids["samal"], "amount": "45000", "asOf": at(START).to_string(), "reference": "Сальдо"}),
    )?;
    let mut events: Vec<&Event> = EVENTS.iter().collect();
    events.sort_by_key(|e| day_of(e)); // stable: same-day events keep their order
    let (mut customers, mut counts) = (HashMap::new(), [0usize; 4]);
    for e in events {
        match e {
            Service {
                day,
                customer,
                key,
                description,
                quantity,
                unit,
                price,
            } => {
                let v = run(
                    *day,
                    "record_charge",
                    json!({"customerId": ids[customer], "serviceDate": at(*day).to_string(), "description": description, "quantity": quantity, "unit": unit, "unitPrice": price}),
                )?;
                ids.insert(key, id_of(&v)?);
                customers.insert(*key, ids[customer]);
            }
            Invoice { day, key, services } => {
                let charge_ids: Vec<i64> = services.iter().map(|s| ids[s]).collect();
                let draft = run(
                    *day,
                    "create_invoice",
                    json!({"customerId": customers[services[0]], "chargeIds": charge_ids}),
                )?;
                let issued = run(*day, "issue_invoice", json!({"id": id_of(&draft)?}))?;
                ids.insert(key, id_of(&issued)?);
                run(
                    *day,
                    "record_sending",
                    json!({"invoiceId": ids[key], "kind": "post"}),
                )?;
                counts[0] += 1;
            }
            Received { day, invoice } => {
                run(
                    *day,
                    "record_sending",
                    json!({"invoiceId": ids[invoice], "kind": "received"}),
                )?;
            }
            Pay {
                day,
                customer,
                amount,
                invoices,
                reference,
            } => {
                let inv: Vec<i64> = invoices.iter().map(|i| ids[i]).collect();
                let mut args = json!({"customerId": ids[customer], "amount": amount, "method": "bank", "reference": reference});
                if !inv.is_empty() {
                    args["invoiceIds"] = json!(inv);
                }
                run(*day, "record_payment", args)?;
                counts[1] += 1;
            }
            Remind { day, invoice } => {
                run(*day, "record_reminder", json!({"invoiceId": ids[invoice]}))?;
                counts[2] += 1;
            }
            Draft { day, services } => {
                let charge_ids: Vec<i64> = services.iter().map(|s| ids[s]).collect();
                run(
                    *day,
                    "create_invoice",
                    json!({"customerId": customers[services[0]], "chargeIds": charge_ids}),
                )?;
                counts[3] += 1;
            }
        }
    }
    Ok(
        json!({"customers": CUSTOMERS.len(), "invoices": counts[0], "payments": counts[1], "reminders": counts[2], "drafts": counts[3]}),
    )
}
