//! Property tests: random sequences of the shop's life keep the books sound.

mod common;
use common::Books;
use proptest::prelude::*;
use serde_json::json;

#[derive(Debug, Clone)]
enum Op {
    Issue {
        lines: Vec<(u32, u32, u8)>,
        terms: i64,
    },
    DraftAndDelete,
    Pay {
        customer: i64,
        cents: u64,
    },
    Credit {
        pick: usize,
        cents: u64,
    },
    Refund {
        customer: i64,
        cents: u64,
    },
    WriteOff {
        pick: usize,
    },
    Remind {
        pick: usize,
    },
    NextDay(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (prop::collection::vec((1u32..500, 1u32..2_000_000, 0u8..3), 1..5), prop::sample::select(vec![1i64, 2, 5, 9])).prop_map(|(lines, terms)| Op::Issue { lines, terms }),
        1 => Just(Op::DraftAndDelete),
        3 => (1i64..=2, 1u64..3_000_000).prop_map(|(customer, cents)| Op::Pay { customer, cents }),
        1 => (0usize..20, 1u64..500_000).prop_map(|(pick, cents)| Op::Credit { pick, cents }),
        1 => (1i64..=2, 1u64..100_000).prop_map(|(customer, cents)| Op::Refund { customer, cents }),
        1 => (0usize..20).prop_map(|pick| Op::WriteOff { pick }),
        1 => (0usize..20).prop_map(|pick| Op::Remind { pick }),
        2 => (1u8..20).prop_map(Op::NextDay),
    ]
}

fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_keeps_the_books_balanced_and_every_open_amount_exact(ops in prop::collection::vec(op(), 1..40)) {
        let mut b = Books::shop("2026-01-01");
        b.ok("create_customer", json!({"name": "Second"}));
        let rates = ["0", "12", "7.5"];
        let mut issued: Vec<i64> = Vec::new();
        for op in ops {
            // `Books::call` runs check_books after every command and fails on any problem.
            match op {
                Op::Issue { lines, terms } => {
                    let lines: Vec<_> = lines.iter().map(|(q, p, r)| json!({"description": "x", "quantity": format!("{}", q), "unitPrice": money(*p as u64), "taxRate": rates[*r as usize]})).collect();
                    let customer = 1 + (issued.len() as i64 % 2);
                    let d = b.ok("create_invoice", json!({"customerId": customer, "lines": lines, "termsId": terms}));
                    let inv = b.ok("issue_invoice", json!({"id": d["id"]}));
                    issued.push(inv["id"].as_i64().unwrap());
                }
                Op::DraftAndDelete => {
                    let d = b.ok("create_invoice", json!({"customerId": 1, "lines": [{"description": "y", "unitPrice": "1"}]}));
                    b.ok("delete_invoice", json!({"id": d["id"]}));
                }
                Op::Pay { customer, cents } => { b.ok("record_payment", json!({"customerId": customer, "amount": money(cents)})); }
                Op::Credit { pick, cents } if !issued.is_empty() => {
                    let id = issued[pick % issued.len()];
                    let _ = b.call("create_credit_note", json!({"invoiceId": id, "reason": "r", "amount": money(cents)}));
                }
                Op::Refund { customer, cents } => { let _ = b.call("refund_credit", json!({"customerId": customer, "amount": money(cents)})); }
                Op::WriteOff { pick } if !issued.is_empty() => {
                    let id = issued[pick % issued.len()];
                    let _ = b.call("write_off", json!({"invoiceId": id, "reason": "gone"}));
                }
                Op::Remind { pick } if !issued.is_empty() => {
                    let id = issued[pick % issued.len()];
                    let _ = b.call("record_reminder", json!({"invoiceId": id, "applyFee": true}));
                }
                Op::NextDay(n) => { b.today += chrono::Duration::days(n as i64); }
                _ => {}
            }
        }
        // Numbers: +1 per series, whatever happened to drafts.
        let numbers: Vec<i64> = b.conn.prepare("SELECT seq FROM invoices WHERE status = 'issued' ORDER BY id").unwrap()
            .query_map([], |r| r.get(0)).unwrap().map(|x| x.unwrap()).collect();
        prop_assert_eq!(numbers, (1..=issued.len() as i64).collect::<Vec<_>>());
        // Every open amount = total + fees − payments − credits − write-offs − discounts, never negative.
        for id in &issued {
            let (total, fees, settled): (i64, i64, i64) = b.conn.query_row(
                "SELECT total_minor, (SELECT COALESCE(SUM(fee_minor), 0) FROM reminders WHERE invoice_id = ?1),
                        (SELECT COALESCE(SUM(amount_minor), 0) FROM settlements WHERE item_type = 'invoice' AND item_id = ?1) FROM invoices WHERE id = ?1",
                [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
            let open = b.open(*id);
            let expected = total + fees - settled;
            prop_assert!(expected >= 0, "invoice {} over-settled", id);
            prop_assert_eq!(open, format!("{}.{:02}", expected / 100, expected % 100));
        }
        let tb = b.ok("trial_balance", json!({"asOf": "2099-01-01"}));
        prop_assert_eq!(&tb["balanced"], &json!(true));
    }
}
