//! CSV in and out (#10): round trip, files from the wild, every bad row reported with its
//! line, nothing written on error.

mod common;
use common::Books;
use serde_json::{json, Value};

use esep_core::books::profile::base64_encode as b64;

fn cp1251(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!bad, "test text must be representable in Windows-1251");
    bytes.into_owned()
}

fn balances(b: &mut Books) -> Vec<(String, String, String)> {
    let rows = b.ok(
        "search_customers",
        json!({"limit": 500, "includeArchived": true}),
    )["rows"]
        .as_array()
        .unwrap()
        .clone();
    let mut out: Vec<_> = rows
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["currency"].as_str().unwrap().to_string(),
                c["balance"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn customers_round_trip_through_csv_with_their_balances() {
    let mut a = Books::shop("2026-11-27");
    a.ok("create_customer", json!({"name": "Bolat \"Best\" LLP", "address": "Line 1\nLine 2, Almaty", "email": "b@example.kz", "language": "en"}));
    a.ok(
        "create_customer",
        json!({"name": "Сауле; Ltd", "currency": "USD", "transitDays": 5}),
    );
    a.ok(
        "set_opening_balance",
        json!({"customerId": 3, "amount": "-12.34", "asOf": "2026-01-01"}),
    );
    let inv = a.invoice(1, "150000", "12", 1, "2026-10-01");
    a.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "100000.50", "date": "2026-10-20", "invoiceIds": [inv]}),
    );
    a.ok(
        "set_opening_balance",
        json!({"customerId": 2, "amount": "1234.56", "asOf": "2026-01-01"}),
    );
    let before = balances(&mut a);

    for delimiter in [",", ";"] {
        let out = a.ok(
            "export_csv",
            json!({"kind": "customers", "delimiter": delimiter}),
        );
        let text = out["text"].as_str().unwrap();
        assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM for Excel");
        assert_eq!(out["rows"], 3);
        assert!(out["fileName"]
            .as_str()
            .unwrap()
            .starts_with("esep-customers-2026-11-27"));

        let mut b = Books::new("2026-11-27");
        b.ok(
            "save_profile",
            json!({"name": "New home", "currency": "KZT", "language": "kk"}),
        );
        let args = json!({"kind": "customers", "dataBase64": b64(text.as_bytes())});
        let p = b.ok("import_preview", args.clone());
        assert_eq!(p["delimiter"], delimiter);
        assert_eq!(p["encoding"], "utf-8-bom");
        assert_eq!(p["ready"], true, "{p:#}");
        assert_eq!(p["rowCount"], 3);
        assert_eq!(
            b.ok("search_customers", json!({}))["total"],
            0,
            "a preview writes nothing"
        );
        let r = b.ok("import_csv", args);
        assert_eq!(r["customers"], 3);
        assert_eq!(r["openingBalances"], 3);
        assert_eq!(
            balances(&mut b),
            before,
            "same customers, same balances (delimiter {delimiter})"
        );
        let bolat = b.ok("search_customers", json!({"query": "bolat"}))["rows"][0].clone();
        assert_eq!(
            bolat["address"], "Line 1\nLine 2, Almaty",
            "quoted newlines survive"
        );
        assert_eq!(bolat["language"], "en");
        assert_eq!(bolat["email"], "b@example.kz");
    }
}

#[test]
fn a_windows_1251_file_from_russian_excel_with_semicolons() {
    let mut b = Books::shop("2026-11-27");
    let file = "Наименование;Адрес;Валюта;Сальдо;Дата сальдо;Телефон\r\n\
                ТОО Ромашка;\"г. Алматы; ул. Абая 10\";тенге;1 234 567,89;31.12.2025;+7 701 000 00 00\r\n\
                ИП Петров;Астана;KZT;-500,00;;\r\n\
                Без долга;;;;;\r\n";
    let args = json!({"kind": "customers", "dataBase64": b64(&cp1251(file))});
    let p = b.ok("import_preview", args.clone());
    assert_eq!(p["encoding"], "windows-1251");
    assert_eq!(p["delimiter"], ";");
    assert_eq!(p["decimalSeparator"], ",");
    assert_eq!(p["ready"], true, "{p:#}");
    let mapped: Vec<(String, Value)> = p["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["key"].as_str().unwrap().to_string(), f["column"].clone()))
        .collect();
    assert!(
        mapped.contains(&("name".into(), json!(0)))
            && mapped.contains(&("openingBalance".into(), json!(3)))
            && mapped.contains(&("openingDate".into(), json!(4)))
    );
    let r = b.ok("import_csv", args);
    assert_eq!(
        (r["customers"].clone(), r["openingBalances"].clone()),
        (json!(3), json!(2))
    );
    let romashka = b.ok("search_customers", json!({"query": "ромашка"}))["rows"][0].clone();
    assert_eq!(romashka["balance"], "1234567.89");
    assert_eq!(romashka["address"], "г. Алматы; ул. Абая 10");
    let petrov = b.ok("search_customers", json!({"query": "петров"}))["rows"][0].clone();
    assert_eq!(
        petrov["balance"], "-500.00",
        "a negative opening balance is credit"
    );
    let tb = b.ok("trial_balance", json!({}));
    assert!(
        tb.to_string().contains("1234067.89") || tb.to_string().contains("-1234067.89"),
        "opening balances are posted against equity: {tb}"
    );
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_nothing_is_written() {
    let mut b = Books::shop("2026-11-27");
    let file = "\u{feff}name,email,currency,balance,balance date,language\n\
                Good One,good@example.kz,KZT,\"1,234.50\",2026-01-31,ru\n\
                \"Multi\nline\",bad-email,KZT,10,2026-01-31,kk\n\
                Weird money,,XXX,10,2026-01-31,en\n\
                Future,,KZT,10,2027-01-01,en\n\
                Not a date,,KZT,10,31.02.2026,en\n\
                Not a number,,KZT,12abc,2026-01-31,en\n\
                Good One,,KZT,1,2026-01-31,en\n\
                Қайрат Әлиев,,KZT,,,\n\
                ,,KZT,5,,\n\
                Bad language,,KZT,,,de\n";
    let args = json!({"kind": "customers", "dataBase64": b64(file.as_bytes())});
    let p = b.ok("import_preview", args.clone());
    assert_eq!(p["ready"], false);
    let problems: Vec<(u64, String, String)> = p["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["field"].as_str().unwrap().to_string(),
                x["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (3, "email", "error.badEmail"),
        (5, "currency", "error.unknownCurrency"),
        (6, "openingDate", "error.inFuture"),
        (7, "openingDate", "error.badDate"),
        (8, "openingBalance", "error.notANumber"),
        (9, "name", "error.csv.duplicateName"),
        (10, "name", "error.csv.customerExists"),
        (11, "name", "error.required"),
        (12, "language", "error.badChoice"),
    ];
    let expected: Vec<(u64, String, String)> = expected
        .iter()
        .map(|(l, f, k)| (*l, f.to_string(), k.to_string()))
        .collect();
    assert_eq!(problems, expected, "{p:#}");
    assert_eq!(p["problemCount"], 9);
    assert_eq!(p["readyCount"], 1);
    // Every problem names its column as the file spells it.
    assert_eq!(p["problems"][0]["column"], "email");
    assert_eq!(p["problems"][3]["column"], "balance date");
    b.refused("import_csv", args, "validation", Some("file"));
}

#[test]
fn an_ambiguous_decimal_separator_is_asked_not_guessed() {
    let mut b = Books::shop("2026-11-27");
    let file = "name;balance\nA;1,500\nB;2,250\n";
    let args = json!({"kind": "customers", "dataBase64": b64(file.as_bytes())});
    let p = b.ok("import_preview", args.clone());
    assert_eq!(p["needsDecimalChoice"], true);
    assert_eq!(p["ready"], false);
    assert_eq!(p["problems"][0]["message"], "error.csv.ambiguousDecimal");
    b.refused(
        "import_csv",
        args.clone(),
        "validation",
        Some("decimalSeparator"),
    );
    let mut chosen = args.clone();
    chosen["decimalSeparator"] = json!(".");
    assert_eq!(b.ok("import_preview", chosen.clone())["ready"], true);
    b.ok("import_csv", chosen);
    let a = b.ok("search_customers", json!({"query": "a"}))["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "A")
        .cloned()
        .unwrap();
    assert_eq!(
        a["balance"], "1500.00",
        "thousands separator as the user chose"
    );

    // One unambiguous amount decides for the whole file; a contradicting one is flagged.
    let mut c = Books::shop("2026-11-27");
    let file = "name;balance\nA;1,500\nB;2,25\nC;3.5\n";
    let p = c.ok(
        "import_preview",
        json!({"kind": "customers", "dataBase64": b64(file.as_bytes())}),
    );
    assert_eq!(p["decimalSeparator"], ",");
    assert_eq!(p["problems"].as_array().unwrap().len(), 1);
    assert_eq!(p["problems"][0]["line"], 4);
    assert_eq!(p["problems"][0]["message"], "error.csv.mixedDecimal");
}

#[test]
fn unbilled_services_import_against_existing_customers() {
    let mut b = Books::shop("2026-11-27");
    b.ok("create_customer", json!({"name": "Бақыт"}));
    let file = "Клиент\tДата\tУслуга\tКол-во\tЦена\tНДС\n\
                қайрат әлиев\t01.11.2026\tРемонт\t2\t15 000,00\t12\n\
                Бақыт\t2026-11-02\tДоставка\t1\t2500\t\n\
                Никто\t2026-11-02\tДоставка\t1\t2500\t\n\
                Бақыт\t2026-11-03\t\t1\t2500\t\n";
    let args = json!({"kind": "charges", "dataBase64": b64(file.as_bytes())});
    let p = b.ok("import_preview", args.clone());
    assert_eq!(p["delimiter"], "\t");
    let problems: Vec<(u64, String)> = p["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (4, "error.csv.unknownCustomer".to_string()),
            (5, "error.required".to_string())
        ]
    );
    b.refused("import_csv", args, "validation", Some("file"));

    let fixed: String = file.lines().take(3).map(|l| format!("{l}\n")).collect();
    let r = b.ok(
        "import_csv",
        json!({"kind": "charges", "dataBase64": b64(fixed.as_bytes())}),
    );
    assert_eq!(r["charges"], 2);
    let unbilled = b.ok("list_unbilled", json!({}));
    assert_eq!(unbilled["count"], 2);
    assert_eq!(
        unbilled["rows"][0]["amount"], "30000.00",
        "2 × 15 000,00, oldest first"
    );
    assert_eq!(unbilled["rows"][0]["serviceDate"], "2026-11-01");
    assert_eq!(unbilled["rows"][0]["taxRate"], "12");
}

#[test]
fn a_mapping_chosen_by_the_user_overrides_the_headers() {
    let mut b = Books::shop("2026-11-27");
    let file = "col1,col2,col3\nX Ltd,999,ignored\n";
    let args = json!({"kind": "customers", "dataBase64": b64(file.as_bytes())});
    let p = b.ok("import_preview", args.clone());
    assert_eq!(
        p["problems"][0]["message"], "error.csv.columnMissing",
        "no header matched name"
    );
    let mapped = json!({"kind": "customers", "dataBase64": b64(file.as_bytes()), "mapping": {"name": 0, "openingBalance": 1}});
    b.ok("import_csv", mapped);
    let x = b.ok("search_customers", json!({"query": "x ltd"}))["rows"][0].clone();
    assert_eq!(x["balance"], "999.00");
    b.refused(
        "import_preview",
        json!({"kind": "customers", "dataBase64": b64(file.as_bytes()), "mapping": {"name": 7}}),
        "validation",
        Some("mapping.name"),
    );
    b.refused(
        "import_csv",
        json!({"kind": "customers", "dataBase64": "@@@"}),
        "validation",
        Some("dataBase64"),
    );
}

#[test]
fn exports_cover_invoices_lines_payments_ageing_and_the_journal() {
    let mut b = Books::shop("2026-11-27");
    let inv = b.invoice(1, "100000", "12", 1, "2026-09-01");
    b.ok(
        "record_payment",
        json!({"customerId": 1, "amount": "50000", "date": "2026-09-20", "invoiceIds": [inv]}),
    );
    b.invoice(1, "2500.5", "0", 1, "2026-11-20");
    let lines_of = |v: &Value| {
        v["text"]
            .as_str()
            .unwrap()
            .trim_start_matches('\u{feff}')
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };

    let inv_csv = b.ok("export_csv", json!({"kind": "invoices"}));
    let l = lines_of(&inv_csv);
    assert_eq!(l[0], "number,status,issue_date,due_date,customer_id,customer,currency,net,tax,total,settled,open");
    assert_eq!(l.len(), 3);
    assert!(
        l[1].ends_with(",KZT,100000.00,12000.00,112000.00,50000.00,62000.00"),
        "{}",
        l[1]
    );

    let semi = b.ok("export_csv", json!({"kind": "invoices", "delimiter": ";"}));
    assert!(
        lines_of(&semi)[1].ends_with(";KZT;100000,00;12000,00;112000,00;50000,00;62000,00"),
        "decimal commas with semicolons"
    );

    let lines = lines_of(&b.ok("export_csv", json!({"kind": "invoice_lines"})));
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].contains(",Service,1,,2500.50,0,0,2500.50"),
        "{}",
        lines[2]
    );

    let pays = lines_of(&b.ok("export_csv", json!({"kind": "payments"})));
    assert_eq!(pays.len(), 2);
    assert!(
        pays[1].contains(",KZT,50000.00,50000.00,0.00,"),
        "{}",
        pays[1]
    );

    let ageing = lines_of(&b.ok(
        "export_csv",
        json!({"kind": "ageing", "asOf": "2026-11-27"}),
    ));
    assert_eq!(ageing.len(), 2);
    let report = b.ok("ageing", json!({"asOf": "2026-11-27"}));
    assert!(
        ageing[1].contains(report["rows"][0]["total"].as_str().unwrap()),
        "the same figures as the report"
    );

    let journal = lines_of(&b.ok("export_csv", json!({"kind": "journal"})));
    let postings: usize = b.ok("get_journal", json!({"limit": 500}))["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["postings"].as_array().unwrap().len())
        .sum();
    assert_eq!(journal.len() - 1, postings, "one row per posting");
    assert_eq!(
        b.ok("export_journal", json!({"format": "csv"}))["text"],
        b.ok("export_csv", json!({"kind": "journal"}))["text"],
        "one CSV writer"
    );
    b.refused(
        "export_csv",
        json!({"kind": "everything"}),
        "validation",
        Some("kind"),
    );
}
