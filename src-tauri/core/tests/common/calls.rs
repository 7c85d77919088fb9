//! Every command once, with arguments that work on the sample shop of 2026-11-27: the
//! snapshot pins their answers; the roles test on shared books tries each role on each.

use serde_json::{json, Value};

/// The calls, in order. Ids are the sample shop's (customers 1–8, invoices 1–16).
pub fn calls() -> Vec<(&'static str, Value)> {
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
