//! Bank statements in, payments matched (#21): the parsers on made-up fixtures of each format,
//! re-imports that add nothing twice, the matching scenarios, refusals that write nothing, and
//! the books checked after every step (the `Books` bench).

mod common;

use common::Books;
use esep_core::bank::{self, Direction};
use proptest::prelude::*;
use serde_json::{json, Value};

const OWN: &str = "KZ86125KZT5004100100";
const AKZHOL_BIN: &str = "060540001115";
const AKZHOL_IBAN: &str = "KZ73722C000022222222";
const BEREKE_BIN: &str = "071140002222";
const PERSON_IIN: &str = "880202501239";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/bank/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn b64(bytes: &[u8]) -> String {
    esep_core::books::profile::base64_encode(bytes)
}

/// One incoming (or outgoing) payment order of a generated 1C file.
struct Doc<'a> {
    date: &'a str,
    amount: &'a str,
    payer: &'a str,
    id: &'a str,
    account: &'a str,
    purpose: &'a str,
    number: &'a str,
    out: bool,
}

fn doc<'a>(
    date: &'a str,
    amount: &'a str,
    id: &'a str,
    account: &'a str,
    purpose: &'a str,
    number: &'a str,
) -> Doc<'a> {
    Doc {
        date,
        amount,
        payer: "Плательщик",
        id,
        account,
        purpose,
        number,
        out: false,
    }
}

/// A 1C client-bank exchange file (UTF-8) of the shop's account.
fn onec(
    from: &str,
    to: &str,
    opening: Option<&str>,
    closing: Option<&str>,
    docs: &[Doc],
) -> String {
    let mut s = format!("1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\nДатаНачала={from}\nДатаКонца={to}\nРасчСчет={OWN}\n");
    if opening.is_some() || closing.is_some() {
        s += &format!("СекцияРасчСчет\nРасчСчет={OWN}\n");
        if let Some(o) = opening {
            s += &format!("НачальныйОстаток={o}\n");
        }
        if let Some(c) = closing {
            s += &format!("КонечныйОстаток={c}\n");
        }
        s += "КонецРасчСчет\n";
    }
    for d in docs {
        s += &format!(
            "СекцияДокумент=Платежное поручение\nНомер={}\nДата={}\nСумма={}\n",
            d.number, d.date, d.amount
        );
        if d.out {
            s += &format!("ПлательщикИИК={OWN}\nПолучательИИК={}\nПолучатель={}\nПолучательБИН={}\nДатаСписано={}\n", d.account, d.payer, d.id, d.date);
        } else {
            s += &format!("ПлательщикИИК={}\nПлательщик={}\nПлательщикБИН={}\nПолучательИИК={OWN}\nДатаПоступило={}\n", d.account, d.payer, d.id, d.date);
        }
        s += &format!("НазначениеПлатежа={}\nКонецДокумента\n", d.purpose);
    }
    s + "КонецФайла\n"
}

/// A shop with the account of the fixtures and three customers: Ақжол (with БИН), Береке
/// (with БИН) and a person (with ИИН).
fn shop() -> Books {
    let mut b = Books::new("2026-12-01");
    b.ok("save_profile", json!({"name": "Алма Сервис", "currency": "KZT", "language": "ru", "defaultTermsId": 5, "bankAccount": OWN}));
    b.ok(
        "create_customer",
        json!({"name": "ТОО «Ақжол»", "taxId": AKZHOL_BIN}),
    );
    b.ok(
        "create_customer",
        json!({"name": "ТОО «Береке»", "taxId": BEREKE_BIN}),
    );
    b.ok(
        "create_customer",
        json!({"name": "Иванов Сергей", "taxId": PERSON_IIN}),
    );
    b
}

fn import(b: &mut Books, text: &str) -> Value {
    b.ok(
        "import_statement",
        json!({"dataBase64": b64(text.as_bytes()), "fileName": "выписка.txt"}),
    )
}

fn to_confirm(b: &mut Books) -> Vec<Value> {
    b.ok("list_bank_transactions", json!({}))["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn reasons(t: &Value) -> Vec<String> {
    t["proposal"]["reasons"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|x| x["key"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_windows_1251_1c_statement_is_read_field_by_field_in_both_directions() {
    let s = bank::read(&fixture("statement-1c-windows1251.txt")).unwrap();
    assert_eq!((s.format, s.account.as_str()), ("1c", OWN));
    assert_eq!(
        (s.from.unwrap().to_string(), s.to.unwrap().to_string()),
        ("2026-11-01".into(), "2026-11-30".into())
    );
    assert_eq!(
        (
            s.opening.unwrap().to_string(),
            s.closing.unwrap().to_string()
        ),
        ("150000.00".into(), "240000.00".into())
    );
    assert_eq!(s.lines.len(), 4);
    let a = &s.lines[0];
    assert_eq!(
        (a.direction, a.date.to_string(), a.amount.to_string()),
        (Direction::In, "2026-11-05".into(), "50000.00".into())
    );
    assert_eq!(
        (
            a.counterparty.as_str(),
            a.counterparty_id.as_str(),
            a.counterparty_account.as_str()
        ),
        ("ТОО \"Акжол\"", AKZHOL_BIN, AKZHOL_IBAN)
    );
    assert_eq!((a.reference.as_str(), a.knp.as_str()), ("512", "859"));
    assert_eq!(
        a.purpose,
        "Оплата по счету № INV-2026-0001 от 02.11.2026 за ремонт, без НДС"
    );
    // Russian field names: ПлательщикСчет, Плательщик1, ПлательщикИНН, КодНазначенияПлатежа,
    // and a purpose split over two fields.
    let b = &s.lines[1];
    assert_eq!(
        (
            b.counterparty.as_str(),
            b.counterparty_id.as_str(),
            b.knp.as_str()
        ),
        ("ТОО \"Береке\"", BEREKE_BIN, "859")
    );
    assert_eq!(b.purpose, "Оплата по счетам 2026/2 и 2026/3");
    let out = &s.lines[3];
    assert_eq!(
        (
            out.direction,
            out.counterparty.as_str(),
            out.counterparty_id.as_str()
        ),
        (Direction::Out, "ТОО \"Арендодатель\"", "101040003334")
    );
    assert_eq!(out.line, 63, "the line where the document starts");
}

#[test]
fn mt940_and_camt053_read_the_same_story() {
    for (name, format) in [
        ("statement.mt940", "mt940"),
        ("statement.camt053.xml", "camt053"),
    ] {
        let s = bank::read(&fixture(name)).unwrap();
        assert_eq!(
            (s.format, s.account.as_str(), s.currency.as_str()),
            (format, OWN, "KZT"),
            "{name}"
        );
        assert_eq!(
            (
                s.opening.unwrap().to_string(),
                s.closing.unwrap().to_string()
            ),
            ("150000.00".into(), "155000.00".into()),
            "{name}"
        );
        assert_eq!(
            s.lines.len(),
            2,
            "{name}: a pending camt entry is not a booked line"
        );
        let a = &s.lines[0];
        assert_eq!(
            (a.direction, a.date.to_string(), a.amount.to_string()),
            (Direction::In, "2026-11-05".into(), "50000.00".into()),
            "{name}"
        );
        assert_eq!(a.counterparty_account, AKZHOL_IBAN, "{name}");
        assert!(a.purpose.contains("INV-2026-0001"), "{name}: {}", a.purpose);
        assert_eq!(s.lines[1].direction, Direction::Out, "{name}");
        assert_eq!(s.lines[1].purpose, "Аренда за ноябрь 2026", "{name}");
    }
    let camt = bank::read(&fixture("statement.camt053.xml")).unwrap();
    assert_eq!(camt.lines[0].counterparty, "ТОО «Ақжол» & партнёры");
    assert_eq!(camt.lines[0].counterparty_id, AKZHOL_BIN);
    let mt = bank::read(&fixture("statement.mt940")).unwrap();
    assert_eq!(
        (
            mt.lines[0].counterparty.as_str(),
            mt.lines[0].reference.as_str()
        ),
        ("ТОО Ақжол", "512")
    );
}

#[test]
fn damaged_and_hostile_files_are_refused_naming_the_line_and_nothing_is_written() {
    let mut b = shop();
    let good = onec(
        "01.11.2026",
        "30.11.2026",
        None,
        None,
        &[doc(
            "05.11.2026",
            "100.00",
            AKZHOL_BIN,
            AKZHOL_IBAN,
            "x",
            "1",
        )],
    );
    let cases: Vec<(String, &str, &str)> = vec![
        (good.replace("КонецФайла\n", ""), "line:17:КонецФайла", "error.bank.truncated"),
        (good.replace("КонецДокумента\n", ""), "line:7", "error.bank.truncated"),
        (good.replace("Сумма=100.00", "Сумма=100.005"), "line:7:amount", "error.tooManyDecimals.2"),
        (good.replace("Сумма=100.00", "Сумма=сто"), "line:10:Сумма", "error.bank.amount"),
        (good.replace("ДатаПоступило=05.11.2026", "ДатаПоступило=31.11.2026"), "line:15:ДатаПоступило", "error.bank.date"),
        (good.replace(OWN, "KZ73722C000022222222"), "file", "error.bank.otherAccount"),
        ("Just some words\nwith no table in them\n".into(), "file", "error.bank.unknownFormat"),
        (
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><Document><BkToCstmrStmt/></Document>".into(),
            "line:1",
            "error.bank.xmlDoctype",
        ),
        (
            "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Document>&x;</Document>".into(),
            "line:2",
            "error.bank.xmlDoctype",
        ),
        ("<Document><BkToCstmrStmt><Stmt><Acct><Id><IBAN>&x;</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>".into(), "line:1", "error.bank.xmlEntity"),
        ("<Document><BkToCstmrStmt><Stmt>".into(), "line:1", "error.bank.truncated"),
        (":20:X\n:28C:1\n:60F:C261101KZT1,00\n:62F:C261130KZT1,00\n".into(), "line:3::25:", "error.bank.missing"),
        (format!(":20:X\n:25:{OWN}\n:60F:C261101KZT1,00\n:61:2611050511C5,00NTRFX\n"), "line:4::62F:", "error.bank.truncated"),
    ];
    for (text, field, key) in cases {
        let e = b.refused(
            "import_statement",
            json!({"dataBase64": b64(text.as_bytes())}),
            "validation",
            None,
        );
        assert_eq!((e.field(), e.message_key()), (Some(field), key), "{text}");
    }
    // A file that is not base64 at all.
    b.refused(
        "import_statement",
        json!({"dataBase64": "%%%"}),
        "validation",
        Some("dataBase64"),
    );
    // Books with no account of their own cannot tell whose statement it is.
    let mut none = Books::shop("2026-12-01");
    let e = none.refused(
        "import_statement",
        json!({"dataBase64": b64(good.as_bytes())}),
        "validation",
        Some("file"),
    );
    assert_eq!(e.message_key(), "error.bank.noAccount");
}

#[test]
fn the_fixture_statement_imports_once_and_its_payments_are_proposed_and_confirmed() {
    let mut b = shop();
    let akzhol = b.invoice(1, "50000", "0", 5, "2026-11-02");
    let bereke2 = b.invoice(2, "30000", "0", 5, "2026-11-03");
    let bereke3 = b.invoice(2, "20000", "0", 5, "2026-11-03");
    let person = b.invoice(3, "40000", "0", 5, "2026-11-04");
    let numbers: Vec<String> = [akzhol, bereke2, bereke3, person]
        .iter()
        .map(|&i| {
            b.ok("get_invoice", json!({"id": i}))["number"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        numbers,
        [
            "INV-2026-0001",
            "INV-2026-0002",
            "INV-2026-0003",
            "INV-2026-0004"
        ]
    );

    let data = b64(&fixture("statement-1c-windows1251.txt"));
    let r = b.ok(
        "import_statement",
        json!({"dataBase64": data, "fileName": "ноябрь.txt"}),
    );
    assert_eq!(
        (
            r["lines"].as_i64(),
            r["added"].as_i64(),
            r["already"].as_array().unwrap().len()
        ),
        (Some(4), Some(4), 0)
    );
    let rec = &r["reconciliation"];
    assert_eq!(
        (rec["opening"].as_str(), rec["closing"].as_str()),
        (Some("150000.00"), Some("240000.00"))
    );
    assert_eq!(
        (
            rec["moneyIn"].as_str(),
            rec["moneyOut"].as_str(),
            rec["linesAgree"].as_bool()
        ),
        (Some("135000.00"), Some("45000.00"), Some(true))
    );
    assert_eq!(
        (rec["booksBalance"].as_str(), rec["difference"].as_str()),
        (Some("0.00"), Some("240000.00"))
    );
    // The same file again adds nothing and says which lines were there.
    let again = b.ok("import_statement", json!({"dataBase64": data}));
    assert_eq!(
        (again["added"].as_i64(), again["statementId"].as_i64()),
        (Some(0), None)
    );
    assert_eq!(again["already"], json!([20, 36, 50, 63]));

    let lines = to_confirm(&mut b);
    assert_eq!(
        lines.len(),
        3,
        "the money out is not offered as a customer payment"
    );
    // Ақжол: number, БИН and amount agree.
    let a = &lines[0];
    assert_eq!(
        (
            a["proposal"]["customerId"].as_i64(),
            a["proposal"]["confidence"].as_str(),
            a["proposal"]["exact"].as_bool()
        ),
        (Some(1), Some("high"), Some(true))
    );
    assert_eq!(
        reasons(a),
        [
            "bank.reason.number",
            "bank.reason.payerId",
            "bank.reason.amountNamed"
        ]
    );
    // Береке: two invoices named as 2026/2 and 2026/3, one payment for both.
    let bk = &lines[1];
    assert_eq!(
        bk["proposal"]["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["number"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["INV-2026-0002", "INV-2026-0003"]
    );
    assert_eq!(bk["proposal"]["exact"].as_bool(), Some(true));
    // The person: "счёт 4", 5 000 short.
    let p = &lines[2];
    assert_eq!(
        (
            p["proposal"]["short"].as_str(),
            p["proposal"]["exact"].as_bool()
        ),
        (Some("5000.00"), Some(false))
    );
    assert!(reasons(p).contains(&"bank.reason.short".to_string()));

    for t in &lines {
        let pr = &t["proposal"];
        let allocations: Vec<Value> = pr["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| json!({"invoiceId": a["invoiceId"], "amount": a["amount"]}))
            .collect();
        let c = b.ok(
            "confirm_bank_transaction",
            json!({"id": t["id"], "customerId": pr["customerId"], "allocations": allocations}),
        );
        assert_eq!(c["transaction"]["state"], "matched");
        assert_eq!(c["payment"]["date"], t["date"]);
        assert_eq!(c["payment"]["method"], "bank");
    }
    assert_eq!(
        (b.status(akzhol), b.status(bereke2), b.status(bereke3)),
        ("paid".into(), "paid".into(), "paid".into())
    );
    assert_eq!(b.open(person), "5000.00");
    // The short payment is a discrepancy the notice is written from.
    let d = b.ok("list_discrepancies", json!({"customerId": 3}));
    assert_eq!(
        d.as_array()
            .map(Vec::len)
            .or(d["items"].as_array().map(Vec::len)),
        Some(1),
        "{d}"
    );
    assert!(to_confirm(&mut b).is_empty());
    // The books' bank account now holds the money in; the difference is what Esep does not
    // record (the opening balance and the rent).
    let s = b.ok("list_bank_statements", json!({}));
    assert_eq!(
        (
            s[0]["booksBalance"].as_str(),
            s[0]["difference"].as_str(),
            s[0]["matched"].as_i64()
        ),
        (Some("135000.00"), Some("105000.00"), Some(3))
    );
    assert_eq!(b.ok("dashboard", json!({}))["bankToConfirm"], 0);
}

#[test]
fn matching_scenarios() {
    let mut b = shop();
    let a1 = b.invoice(1, "10000", "0", 5, "2026-11-02");
    let k1 = b.invoice(2, "7000", "0", 5, "2026-11-02");
    let a2 = b.invoice(1, "10000", "0", 5, "2026-11-03");
    let k2 = b.invoice(2, "8000", "0", 5, "2026-11-03");
    let k3 = b.invoice(2, "9000", "0", 5, "2026-11-04");
    let p1 = b.invoice(3, "12000", "0", 5, "2026-11-04");
    let text = onec(
        "01.11.2026",
        "30.11.2026",
        None,
        None,
        &[
            // By number only: an unknown payer names invoice 6 (the person's).
            doc(
                "10.11.2026",
                "12000.00",
                "",
                "KZ98998ABC1234567890",
                "Оплата за Иванова, шот 6",
                "1",
            ),
            // By payer only, the amount of one of two equal invoices.
            doc(
                "11.11.2026",
                "10000.00",
                AKZHOL_BIN,
                AKZHOL_IBAN,
                "Оплата за услуги",
                "2",
            ),
            // One payment for three invoices: the payer's oldest three add up.
            doc(
                "12.11.2026",
                "24000.00",
                BEREKE_BIN,
                "KZ12601A861000123456",
                "Оплата",
                "3",
            ),
            // Nobody known, no number: no proposal, left in the inbox.
            doc(
                "13.11.2026",
                "500.00",
                "",
                "KZ00000000000000000",
                "Перевод",
                "4",
            ),
        ],
    );
    import(&mut b, &text);
    let lines = to_confirm(&mut b);
    assert_eq!(lines.len(), 4);
    let by_number = &lines[0]["proposal"];
    assert_eq!(
        (
            by_number["customerId"].as_i64(),
            by_number["confidence"].as_str(),
            by_number["exact"].as_bool()
        ),
        (Some(3), Some("high"), Some(false))
    );
    assert_eq!(by_number["allocations"][0]["invoiceId"].as_i64(), Some(p1));
    let by_payer = &lines[1]["proposal"];
    assert_eq!(
        (
            by_payer["customerId"].as_i64(),
            by_payer["confidence"].as_str()
        ),
        (Some(1), Some("medium"))
    );
    assert_eq!(
        reasons(&lines[1]),
        ["bank.reason.payerId", "bank.reason.sameAmount"]
    );
    assert_eq!(
        by_payer["allocations"][0]["invoiceId"].as_i64(),
        Some(a1),
        "of two equal invoices, the older"
    );
    let three = &lines[2]["proposal"];
    assert_eq!(
        three["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["invoiceId"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [k1, k2, k3]
    );
    assert!(reasons(&lines[2]).contains(&"bank.reason.amountSeveral".to_string()));
    assert!(lines[3]["proposal"].is_null());

    // Confirming the payer-only line with no allocations pays oldest first; the learnt account
    // then names Ақжол on the next statement even without a БИН.
    b.ok(
        "confirm_bank_transaction",
        json!({"id": lines[1]["id"], "customerId": 1}),
    );
    assert_eq!(b.status(a1), "paid");
    let next = onec(
        "01.12.2026",
        "01.12.2026",
        None,
        None,
        &[doc(
            "01.12.2026",
            "12000.00",
            "",
            AKZHOL_IBAN,
            "Оплата",
            "9",
        )],
    );
    import(&mut b, &next);
    let last = to_confirm(&mut b)
        .into_iter()
        .find(|t| t["reference"] == "9")
        .unwrap();
    assert_eq!(last["proposal"]["customerId"].as_i64(), Some(1));
    assert!(reasons(&last).contains(&"bank.reason.payerAccount".to_string()));
    // Overpaid: 2 000 over the open invoice is kept as credit.
    assert_eq!(
        last["proposal"]["over"].as_str(),
        None,
        "no invoice named and no equal amount: oldest first"
    );
    let c = b.ok(
        "confirm_bank_transaction",
        json!({"id": last["id"], "customerId": 1}),
    );
    assert_eq!(c["payment"]["credit"].as_str(), Some("2000.00"), "{c}");
    assert_eq!(b.status(a2), "paid");

    // Set aside with a reason, and back.
    let stray = to_confirm(&mut b)
        .into_iter()
        .find(|t| t["reference"] == "4")
        .unwrap();
    b.refused(
        "set_aside_bank_transaction",
        json!({"id": stray["id"]}),
        "validation",
        Some("reason"),
    );
    let s = b.ok(
        "set_aside_bank_transaction",
        json!({"id": stray["id"], "reason": "Перевод между своими счетами"}),
    );
    assert_eq!(
        (s["state"].as_str(), s["ignoreReason"].as_str()),
        (Some("ignored"), Some("Перевод между своими счетами"))
    );
    b.refused(
        "confirm_bank_transaction",
        json!({"id": stray["id"], "customerId": 1}),
        "conflict",
        Some("id"),
    );
    b.ok("restore_bank_transaction", json!({"id": stray["id"]}));
    assert!(to_confirm(&mut b).iter().any(|t| t["id"] == stray["id"]));
}

#[test]
fn auto_confirm_takes_exact_matches_only_and_a_reversed_payment_returns_its_line() {
    let mut b = shop();
    let a = b.invoice(1, "50000", "0", 5, "2026-11-02");
    b.invoice(2, "30000", "0", 5, "2026-11-03");
    b.invoice(2, "20000", "0", 5, "2026-11-03");
    let person = b.invoice(3, "40000", "0", 5, "2026-11-04");
    let r = b.ok(
        "import_statement",
        json!({"dataBase64": b64(&fixture("statement-1c-windows1251.txt")), "autoConfirm": true}),
    );
    assert_eq!(
        r["autoConfirmed"].as_i64(),
        Some(2),
        "Ақжол and Береке agree on number, payer and amount; the short one waits"
    );
    assert_eq!(b.status(a), "paid");
    assert_eq!(b.open(person), "40000.00");
    let waiting = to_confirm(&mut b);
    assert_eq!(waiting.len(), 1);
    assert_eq!(b.ok("dashboard", json!({}))["bankToConfirm"], 1);
    // Reversing Ақжол's payment puts its bank line back to be confirmed.
    let matched = b.ok("list_bank_transactions", json!({"state": "matched"}));
    let line = matched["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["customerId"] == 1)
        .unwrap()
        .clone();
    b.ok(
        "reverse_payment",
        json!({"id": line["paymentId"], "reason": "Не тот клиент"}),
    );
    assert_eq!(b.status(a), "open");
    assert_eq!(to_confirm(&mut b).len(), 2);
}

#[test]
fn bad_requests_name_their_field() {
    let mut b = shop();
    import(
        &mut b,
        &onec(
            "01.11.2026",
            "30.11.2026",
            None,
            None,
            &[doc(
                "05.11.2026",
                "100.00",
                AKZHOL_BIN,
                AKZHOL_IBAN,
                "x",
                "1",
            )],
        ),
    );
    let id = to_confirm(&mut b)[0]["id"].clone();
    b.refused(
        "confirm_bank_transaction",
        json!({"id": id, "customerId": 99}),
        "not_found",
        Some("customerId"),
    );
    b.refused(
        "confirm_bank_transaction",
        json!({"id": 999, "customerId": 1}),
        "not_found",
        Some("id"),
    );
    b.refused(
        "confirm_bank_transaction",
        json!({"id": id, "customerId": 1, "allocations": [{"invoiceId": 1, "amount": "1"}]}),
        "not_found",
        Some("allocations[0].invoiceId"),
    );
    b.refused(
        "confirm_bank_transaction",
        json!({"id": id, "customerId": 1, "note": "x"}),
        "validation",
        Some("note"),
    );
    b.refused(
        "list_bank_transactions",
        json!({"state": "later"}),
        "validation",
        Some("state"),
    );
}

#[test]
fn bank_csv_exports_read_with_their_columns_found_from_the_headers() {
    let k = bank::read(&fixture("kaspi-business.csv")).unwrap();
    assert_eq!(k.format, "csv");
    assert_eq!(k.lines.len(), 4, "the total row is not an operation");
    let a = &k.lines[0];
    assert_eq!(
        (
            a.direction,
            a.amount.to_string(),
            a.counterparty.as_str(),
            a.counterparty_id.as_str()
        ),
        (
            Direction::In,
            "50000.00".into(),
            "ТОО \"Акжол\"",
            AKZHOL_BIN
        )
    );
    assert_eq!(
        (
            a.counterparty_account.as_str(),
            a.reference.as_str(),
            a.knp.as_str(),
            a.line
        ),
        (AKZHOL_IBAN, "512", "859", 2)
    );
    assert_eq!(
        (k.lines[3].direction, k.lines[3].amount.to_string()),
        (Direction::Out, "45000.00".into())
    );
    let h = bank::read(&fixture("halyk-business.csv")).unwrap();
    assert_eq!(h.lines.len(), 2);
    assert_eq!(
        (
            h.lines[0].direction,
            h.lines[0].date.to_string(),
            h.lines[0].currency.as_str()
        ),
        (Direction::In, "2026-11-05".into(), "KZT")
    );
    assert_eq!(
        (
            h.lines[1].direction,
            h.lines[1].amount.to_string(),
            h.lines[1].purpose.as_str()
        ),
        (Direction::Out, "45000.00".into(), "Rent for November 2026")
    );
}

#[test]
fn a_bank_csv_layout_is_mapped_once_then_imports_in_one_click() {
    let mut b = shop();
    b.invoice(1, "50000", "0", 5, "2026-11-02");
    let data = b64(&fixture("unknown-layout.csv"));
    let r = b.ok("read_statement", json!({"dataBase64": data}));
    assert_eq!(
        (
            r["format"].as_str(),
            r["complete"].as_bool(),
            r["saved"].as_bool()
        ),
        (Some("csv"), Some(false), Some(false))
    );
    assert_eq!(r["headers"], json!(["Күн", "Сома", "Төлеуші", "Ескертпе"]));
    assert_eq!(r["problem"]["field"], "mapping");
    b.refused(
        "import_statement",
        json!({"dataBase64": data}),
        "validation",
        Some("mapping"),
    );
    b.refused(
        "import_statement",
        json!({"dataBase64": data, "mapping": {"date": 9}}),
        "validation",
        Some("mapping.date"),
    );
    b.refused(
        "import_statement",
        json!({"dataBase64": data, "mapping": {"dtae": 0}}),
        "validation",
        Some("mapping.dtae"),
    );
    let mapping = json!({"date": 0, "amount": 1, "counterparty": 2, "purpose": 3});
    let checked = b.ok(
        "read_statement",
        json!({"dataBase64": data, "mapping": mapping}),
    );
    assert_eq!(
        (checked["lines"].as_i64(), checked["problem"].is_null()),
        (Some(1), true)
    );
    let r = b.ok(
        "import_statement",
        json!({"dataBase64": data, "mapping": mapping}),
    );
    assert_eq!(r["added"].as_i64(), Some(1));
    let line = &to_confirm(&mut b)[0];
    assert_eq!(
        (
            line["counterparty"].as_str(),
            line["proposal"]["customerId"].as_i64()
        ),
        (Some("Ақжол ЖШС"), Some(1))
    );
    // Next month, the same bank: the layout is known.
    let next = "Күн|Сома|Төлеуші|Ескертпе\n03.12.2026|1500,00|Ақжол ЖШС|Аванс\n";
    b.today = common::d("2026-12-03");
    let data = b64(next.as_bytes());
    let r = b.ok("read_statement", json!({"dataBase64": data}));
    assert_eq!(
        (
            r["saved"].as_bool(),
            r["complete"].as_bool(),
            r["lines"].as_i64()
        ),
        (Some(true), Some(true), Some(1))
    );
    assert_eq!(import(&mut b, next)["added"].as_i64(), Some(1));
}

/// One statement split into overlapping files at random: importing them all, in any order,
/// keeps every line exactly once (two identical payments on one day included).
fn split_case() -> impl Strategy<Value = (Vec<(usize, usize)>, bool)> {
    (
        prop::collection::vec((0usize..12, 1usize..12), 1..6),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
    #[test]
    fn overlapping_statements_add_every_line_exactly_once((windows, reverse) in split_case()) {
        let amounts = ["100.00", "250.00", "100.00", "100.00", "990.00", "15.50", "100.00", "7000.00", "100.00", "42.00", "100.00", "1.00"];
        let days = [1, 2, 2, 2, 3, 5, 5, 8, 9, 9, 10, 12];
        let docs: Vec<String> = (0..12).map(|i| format!("{:02}.11.2026", days[i])).collect();
        let all: Vec<Doc> = (0..12).map(|i| Doc { date: &docs[i], amount: amounts[i], payer: "П", id: "", account: "KZ98998ABC1234567890", purpose: "Оплата", number: "1", out: i % 5 == 4 }).collect();
        let mut b = shop();
        let mut files: Vec<(usize, usize)> = windows.iter().map(|&(s, len)| (s, (s + len).min(12))).collect();
        files.push((0, 12));
        if reverse { files.reverse(); }
        let mut added = 0;
        for (s, e) in files {
            let text = onec("01.11.2026", "30.11.2026", None, None, &all[s..e]);
            let r = import(&mut b, &text);
            added += r["added"].as_i64().unwrap();
            prop_assert_eq!(r["added"].as_i64().unwrap() + r["already"].as_array().unwrap().len() as i64, (e - s) as i64);
        }
        let everything = b.ok("list_bank_transactions", json!({"state": "all"}));
        prop_assert_eq!(everything["total"].as_i64(), Some(12));
        prop_assert_eq!(added, 12);
    }

    #[test]
    fn random_and_mutated_statements_never_panic(
        pick in 0usize..3,
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        noise in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = fixture(["statement-1c-windows1251.txt", "statement.mt940", "statement.camt053.xml"][pick]);
        for (at, byte) in &cuts {
            let i = at.index(bytes.len());
            bytes[i] = *byte;
        }
        if !noise.is_empty() {
            let cut = noise[0] as usize % bytes.len();
            bytes.truncate(bytes.len() - cut);
            bytes.extend_from_slice(&noise);
        }
        // An answer or a refusal naming a place: never a panic.
        if let Err(e) = bank::read(&bytes) {
            let f = e.field().unwrap_or_default().to_string();
            prop_assert!(f == "file" || f.starts_with("line:"), "{f}");
        }
    }
}

#[test]
fn money_for_a_prepayment_request_is_received_as_an_advance() {
    let mut b = shop();
    let p = b.ok("save_prepayment", json!({"customerId": 1, "lines": [{"description": "Предоплата за монтаж", "unitPrice": "50000", "taxRate": "0"}]}));
    let p = b.ok(
        "issue_quote",
        json!({"id": p["id"], "issueDate": "2026-11-02"}),
    );
    assert_eq!(p["number"], "PP-2026-0001");
    let text = onec(
        "01.11.2026",
        "30.11.2026",
        None,
        None,
        &[
            doc(
                "05.11.2026",
                "50000.00",
                AKZHOL_BIN,
                AKZHOL_IBAN,
                "Предоплата по счёту № PP-2026-0001",
                "1",
            ),
            doc(
                "06.11.2026",
                "20000.00",
                "",
                "KZ98998ABC1234567890",
                "Аванс PP-2026-0001",
                "2",
            ),
        ],
    );
    let r = b.ok(
        "import_statement",
        json!({"dataBase64": b64(text.as_bytes()), "autoConfirm": true}),
    );
    assert_eq!(
        r["autoConfirmed"], 1,
        "number, payer and amount agree for the first line only"
    );
    let c = b.ok("get_customer", json!({"id": 1}));
    assert_eq!(
        (c["advance"].as_str(), c["owed"].as_str()),
        (Some("50000.00"), Some("0.00"))
    );
    assert_eq!(b.ok("get_quote", json!({"id": p["id"]}))["status"], "paid");
    let matched = b.ok("list_bank_transactions", json!({"state": "matched"}));
    assert_eq!(
        (
            matched["items"][0]["advanceId"].as_i64(),
            matched["items"][0]["customerId"].as_i64()
        ),
        (Some(1), Some(1))
    );
    // The second line names the request too, but it is paid: no proposal by number now.
    let left = to_confirm(&mut b);
    assert_eq!(left.len(), 1);
    assert!(
        left[0]["proposal"]["prepaymentId"].is_null(),
        "{}",
        left[0]["proposal"]
    );
    // Confirmed by hand as an advance against the request it names.
    b.refused(
        "confirm_bank_transaction",
        json!({"id": left[0]["id"], "customerId": 1, "prepaymentId": p["id"], "allocations": [{"invoiceId": 1, "amount": "1"}]}),
        "validation",
        Some("allocations"),
    );
    b.refused(
        "confirm_bank_transaction",
        json!({"id": left[0]["id"], "customerId": 2, "prepaymentId": p["id"]}),
        "validation",
        Some("prepaymentId"),
    );
    b.ok(
        "confirm_bank_transaction",
        json!({"id": left[0]["id"], "customerId": 1, "prepaymentId": p["id"]}),
    );
    assert_eq!(
        b.ok("get_customer", json!({"id": 1}))["advance"],
        "70000.00"
    );
}
