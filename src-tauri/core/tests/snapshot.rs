//! Every command's answer on the sample shop, pinned (#17): before the commands are reshaped
//! into typed functions, this snapshot says what each one answers today, so the reshaping can
//! prove it kept every behaviour. Reads first, then writes, in one fixed order on the sample
//! shop of 2026-11-27 (English); each answer (or error) goes into
//! `tests/golden/commands.json`. Timestamps of when a row was written are the only thing
//! masked. Re-bless with `ESEP_BLESS=1 cargo test -p esep-core --test snapshot` and review the
//! diff.

mod common;
use common::Books;
use esep_core::books::sample;
use esep_core::i18n::Lang;
use serde_json::{json, Value};

/// The calls, in order. Ids are the sample shop's (customers 1–8, invoices 1–16).
fn calls() -> Vec<(&'static str, Value)> {
    let csv_customers = esep_core::books::profile::base64_encode(
        "name;phone;balance\nNew Customer;+7 701 000 00 00;1 500,00\n".as_bytes(),
    );
    let csv_charges = esep_core::books::profile::base64_encode(
        "customer;date;description;quantity;unit price\nNew Customer;20.11.2026;Check-up;1;5 000\n"
            .as_bytes(),
    );
    let statement = esep_core::books::profile::base64_encode(
        "1CClientBankExchange\nВерсияФормата=1.03\nДатаНачала=01.11.2026\nДатаКонца=26.11.2026\nРасчСчет=KZ78601A861001234567\n\
         СекцияРасчСчет\nНачальныйОстаток=0.00\nКонечныйОстаток=25000.00\nКонецРасчСчет\n\
         СекцияДокумент=Платежное поручение\nНомер=5\nСумма=20000.00\nПлательщикИИК=KZ73722C000022222222\nПлательщик=Payer\n\
         ПолучательИИК=KZ78601A861001234567\nДатаПоступило=25.11.2026\nНазначениеПлатежа=Payment for invoice INV-2026-0001\nКонецДокумента\n\
         СекцияДокумент=Платежное поручение\nНомер=6\nСумма=5000.00\nПлательщикИИК=KZ12601A861000123456\nПлательщик=Someone\n\
         ПолучательИИК=KZ78601A861001234567\nДатаПоступило=26.11.2026\nНазначениеПлатежа=Transfer\nКонецДокумента\nКонецФайла\n"
            .as_bytes(),
    );
    vec![
        ("app_status", json!({})),
        ("get_profile", json!({})),
        ("list_currencies", json!({})),
        (
            "check_identifier",
            json!({"kind": "bin", "value": "900101300126"}),
        ),
        (
            "check_identifier",
            json!({"kind": "bin", "value": "900101300123"}),
        ),
        ("list_terms", json!({"language": "ru"})),
        ("get_series", json!({})),
        ("search_customers", json!({"query": "", "limit": 20})),
        ("get_customer", json!({"id": 1})),
        ("list_unbilled", json!({})),
        ("list_invoices", json!({"status": "all", "limit": 50})),
        ("list_invoices", json!({"status": "overdue", "sort": "due"})),
        ("get_invoice", json!({"id": 1})),
        ("get_invoice", json!({"id": 999})),
        (
            "preview_invoice",
            json!({"customerId": 1, "lines": [{"description": "x", "quantity": "2", "unitPrice": "0.125", "taxRate": "12"}]}),
        ),
        ("document_layout", json!({"kind": "invoice", "id": 1})),
        (
            "document_layout",
            json!({"kind": "statement", "id": 1, "from": "2026-08-01", "to": "2026-11-27"}),
        ),
        ("get_journal", json!({"limit": 20})),
        ("trial_balance", json!({})),
        ("check_books", json!({})),
        (
            "suggest_allocation",
            json!({"customerId": 1, "amount": "10000"}),
        ),
        ("get_payment", json!({"id": 1})),
        ("list_payments", json!({})),
        ("list_discrepancies", json!({})),
        ("get_reminder_settings", json!({})),
        ("list_to_send", json!({})),
        ("list_reminders", json!({"invoiceId": 1})),
        (
            "statement",
            json!({"customerId": 1, "from": "2026-08-01", "to": "2026-11-27"}),
        ),
        ("ageing", json!({})),
        ("ageing", json!({"sort": "owed", "limit": 3})),
        ("dashboard", json!({})),
        ("export_journal", json!({"format": "hledger"})),
        ("export_csv", json!({"kind": "invoices", "delimiter": ";"})),
        ("export_csv", json!({"kind": "customers"})),
        (
            "import_preview",
            json!({"kind": "customers", "dataBase64": csv_customers}),
        ),
        // Writes.
        ("read_statement", json!({"dataBase64": statement})),
        (
            "import_statement",
            json!({"dataBase64": statement, "fileName": "november.txt"}),
        ),
        ("import_statement", json!({"dataBase64": statement})),
        ("list_bank_transactions", json!({})),
        (
            "confirm_bank_transaction",
            json!({"id": 1, "customerId": 1}),
        ),
        (
            "set_aside_bank_transaction",
            json!({"id": 2, "reason": "Not a customer"}),
        ),
        ("restore_bank_transaction", json!({"id": 2})),
        ("list_bank_transactions", json!({"state": "all"})),
        ("list_bank_statements", json!({})),
        (
            "save_profile",
            json!({"name": "Sample Repairs", "currency": "KZT", "language": "en", "defaultTermsId": 2}),
        ),
        (
            "save_envelope",
            json!({"preset": "din5008a", "offsetX": "1.5", "offsetY": "-0.5"}),
        ),
        ("set_logo", json!({})),
        (
            "save_terms",
            json!({"name": "Net 45", "kind": "net", "days": 45}),
        ),
        (
            "set_series",
            json!({"id": "credit_note", "format": "CN-{YYYY}-{N:4}"}),
        ),
        (
            "set_series",
            json!({"id": "invoice", "format": "INV-{YYYY}-{N:4}", "nextNumber": 1}),
        ),
        (
            "create_customer",
            json!({"name": "Snapshot Ltd", "address": "Abay 1\nAlmaty 050000", "transitDays": 4}),
        ),
        (
            "update_customer",
            json!({"id": 9, "name": "Snapshot LLP", "email": "a@b.kz"}),
        ),
        (
            "set_opening_balance",
            json!({"customerId": 9, "amount": "1200", "asOf": "2026-11-01"}),
        ),
        (
            "record_charge",
            json!({"customerId": 9, "serviceDate": "2026-11-20", "description": "Repair", "quantity": "1.5", "unitPrice": "10000", "taxRate": "12"}),
        ),
        (
            "update_charge",
            json!({"id": 1, "serviceDate": "2026-11-21", "description": "Repair, edited", "unitPrice": "1.005"}),
        ),
        (
            "record_charge",
            json!({"customerId": 9, "serviceDate": "2026-11-22", "description": "To delete", "unitPrice": "5"}),
        ),
        ("delete_charge", json!({"id": 999})),
        (
            "create_invoice",
            json!({"customerId": 9, "termsId": 2, "lines": [{"description": "Parts", "quantity": "3", "unitPrice": "2500", "taxRate": "12"}]}),
        ),
        (
            "update_invoice",
            json!({"id": 17, "customerId": 9, "termsId": 2, "discountPercent": "5", "lines": [{"description": "Parts", "quantity": "4", "unitPrice": "2500", "taxRate": "12"}]}),
        ),
        (
            "issue_invoice",
            json!({"id": 17, "issueDate": "2026-11-27"}),
        ),
        ("record_sending", json!({"invoiceId": 17, "kind": "post"})),
        (
            "record_payment",
            json!({"customerId": 9, "amount": "5000", "method": "bank", "reference": "PP 12"}),
        ),
        ("apply_credit", json!({"customerId": 9})),
        (
            "create_credit_note",
            json!({"invoiceId": 17, "reason": "One part returned", "amount": "2800"}),
        ),
        ("get_credit_note", json!({"id": 1})),
        ("create_act", json!({"invoiceId": 1})),
        ("create_act", json!({"invoiceId": 1})),
        ("get_act", json!({"id": 1})),
        ("list_acts", json!({"invoiceId": 1})),
        ("record_act_sending", json!({"actId": 1, "kind": "signed"})),
        ("list_acts", json!({"customerId": 1})),
        ("invoice_history", json!({"id": 17})),
        (
            "write_off",
            json!({"invoiceId": 17, "reason": "Small remainder", "amount": "100"}),
        ),
        ("refund_credit", json!({"customerId": 9, "amount": "1"})),
        (
            "save_reminder_settings",
            json!({"graceDays": 3, "spacingDays": 7, "feeKind": "none"}),
        ),
        ("record_reminder", json!({"invoiceId": 1})),
        ("reverse_payment", json!({"id": 1, "reason": "Typed wrong"})),
        ("invoice_history", json!({"id": 1})),
        (
            "create_invoice",
            json!({"customerId": 9, "lines": [{"description": "Draft to delete", "quantity": "1", "unitPrice": "1"}]}),
        ),
        ("delete_invoice", json!({"id": 18})),
        ("archive_customer", json!({"id": 9})),
        ("delete_customer", json!({"id": 9})),
        (
            "import_csv",
            json!({"kind": "customers", "dataBase64": csv_customers}),
        ),
        (
            "import_csv",
            json!({"kind": "charges", "dataBase64": csv_charges}),
        ),
        (
            "save_recurring",
            json!({"customerId": 1, "frequency": "monthly", "dayOfMonth": 31, "startDate": "2026-09-30", "lines": [{"description": "Service contract", "unitPrice": "15000"}]}),
        ),
        ("run_recurring", json!({})),
        ("run_recurring", json!({})),
        ("list_recurring", json!({"customerId": 1})),
        ("pause_recurring", json!({"id": 1})),
        ("get_recurring", json!({"id": 1})),
        ("end_recurring", json!({"id": 1})),
        (
            "save_quote",
            json!({"customerId": 2, "lines": [{"description": "Air conditioner installation", "quantity": "2", "unitPrice": "45000"}]}),
        ),
        ("issue_quote", json!({"id": 1})),
        ("decide_quote", json!({"id": 1, "decision": "accepted"})),
        ("quote_to_invoice", json!({"id": 1})),
        ("get_quote", json!({"id": 1})),
        ("list_quotes", json!({"customerId": 2})),
        ("prepayment_from_quote", json!({"id": 1})),
        ("issue_quote", json!({"id": 2})),
        (
            "record_advance",
            json!({"prepaymentId": 2, "amount": "40000"}),
        ),
        (
            "list_quotes",
            json!({"customerId": 2, "kind": "prepayment"}),
        ),
        ("issue_invoice", json!({"id": 22})),
        ("apply_advance", json!({"invoiceId": 22, "amount": "30000"})),
        ("refund_advance", json!({"customerId": 2})),
        (
            "save_prepayment",
            json!({"customerId": 2, "lines": [{"description": "Deposit", "unitPrice": "5000"}]}),
        ),
        (
            "save_quote",
            json!({"customerId": 2, "lines": [{"description": "Draft to delete", "unitPrice": "1"}]}),
        ),
        ("delete_quote", json!({"id": 4})),
        ("dashboard", json!({})),
        ("check_books", json!({})),
        ("get_catalogue", json!({"language": "kk"})),
    ]
}

/// Masks what depends on the wall clock (when a row was written), nothing else.
fn mask(v: &mut Value) {
    match v {
        Value::String(s)
            if s.len() == 20 && s.as_bytes().get(10) == Some(&b'T') && s.ends_with('Z') =>
        {
            *s = "<written at>".into()
        }
        Value::Array(a) => a.iter_mut().for_each(mask),
        Value::Object(o) => o.values_mut().for_each(mask),
        _ => {}
    }
}

#[test]
fn every_command_answers_the_sample_shop_as_pinned() {
    let mut b = Books::new("2026-11-27");
    sample::fill(&mut b.conn, b.today, Lang::En).unwrap();
    let mut out = Vec::new();
    for (command, args) in calls() {
        let mut answer = match b.call(command, args.clone()) {
            Ok(v) => json!({"ok": v}),
            Err(e) => json!({"error": e.to_payload()}),
        };
        if command == "get_catalogue" {
            // The catalogue is the locale file itself: its size stands for it here.
            answer = json!({"keys": answer["ok"].as_object().map(|o| o.len())});
        }
        mask(&mut answer);
        out.push(json!({"command": command, "args": args, "answer": answer}));
    }
    let covered: std::collections::BTreeSet<&str> = calls().iter().map(|c| c.0).collect();
    let names = esep_core::api::command_names();
    let missing: Vec<&&str> = names.iter().filter(|c| !covered.contains(**c)).collect();
    assert!(
        missing.is_empty(),
        "every command is in the snapshot: {missing:?}"
    );
    let text = serde_json::to_string_pretty(&Value::Array(out)).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/commands.json");
    // Missing fails: only ESEP_BLESS=1 writes the file.
    if std::env::var_os("ESEP_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it with ESEP_BLESS=1 and review it",
            path.display()
        )
    });
    if want != text {
        let line = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "a command's answer changed (first difference at line {}: {:?} → {:?}); re-bless with ESEP_BLESS=1 and review the diff",
            line + 1,
            want.lines().nth(line),
            text.lines().nth(line)
        );
    }
}
