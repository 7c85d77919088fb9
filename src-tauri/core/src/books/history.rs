//! An invoice's whole life in date order: issued, sent, received, reminded, paid, credited,
//! written off, noticed, thanked, its act made — each with the document it produced, so any of
//! them can be printed again. Read from the facts (nothing is stored twice).

use super::{must_exist, Ctx};
use crate::error::Result;
use crate::money::Currency;
use crate::req::ById;
use crate::sql::params;
use serde::Serialize;

/// What an event says besides its kind, date and amount.
#[derive(Debug, Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub enum Detail {
    /// Issued, an act made.
    Number {
        number: String,
    },
    /// Sent, saved, received: the note, and when a letter should arrive.
    Sending {
        note: String,
        expected_receipt: Option<String>,
    },
    Reminder {
        level: i64,
    },
    /// Money that settled it.
    Settlement {
        method: Option<String>,
        reference: Option<String>,
        payment_id: Option<i64>,
        reversed: bool,
    },
    PaymentReversed {
        reason: String,
        payment_id: i64,
    },
    CreditNote {
        number: String,
        reason: String,
    },
    WriteOff {
        reason: String,
    },
    /// A notice about a wrong amount: `over` or `under`.
    Notice {
        direction: String,
    },
}

/// The document an event produced, to print again.
#[derive(Debug, Serialize)]
pub struct DocumentRef {
    pub kind: &'static str,
    pub id: i64,
}

/// One event of an invoice's life.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    pub date: String,
    pub kind: &'static str,
    pub detail: Detail,
    /// When money moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentRef>,
}

/// An invoice's events, oldest first.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    pub invoice_id: i64,
    pub currency: &'static str,
    pub events: Vec<EventView>,
}

/// One event: its date, what happened (`kind`), the amount when money moved, a detail to show
/// (a number, a level, a reason, a note) and the document to print again, if there is one.
struct Event {
    date: String,
    /// Within a day: issued first, then sendings, money, letters.
    order: u8,
    id: i64,
    kind: &'static str,
    amount: Option<i64>,
    detail: Detail,
    document: Option<(&'static str, i64)>,
}

/// `invoice_history {id}`: every event of an issued invoice (a draft has none but its creation),
/// oldest first.
pub fn invoice_history(ctx: &mut Ctx, req: ById) -> Result<HistoryView> {
    let id = req.id.0;
    must_exist(ctx.conn, "invoices", id, "id")?;
    let conn = &*ctx.conn;
    let (status, number, issue_date, currency): (String, Option<String>, Option<String>, String) =
        conn.query_row(
            "SELECT status, number, issue_date, currency FROM invoices WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let cur = Currency::stored(&currency)?;
    let mut events = Vec::new();
    if let (Some(number), Some(date), "issued") = (number, issue_date, status.as_str()) {
        events.push(Event {
            date,
            order: 0,
            id,
            kind: "issued",
            amount: None,
            detail: Detail::Number { number },
            document: Some(("invoice", id)),
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, sent_on, note, expected_receipt FROM invoice_sends WHERE invoice_id = ?1",
    )?;
    let sends = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    for r in sends {
        let (sid, kind, date, note, expected) = r?;
        let kind = match kind.as_str() {
            "post" => "sent_post",
            "email" => "sent_email",
            "pdf" => "saved_pdf",
            _ => "received",
        };
        let expected = if kind == "sent_post" { expected } else { None };
        events.push(Event {
            date,
            order: 1,
            id: sid,
            kind,
            amount: None,
            detail: Detail::Sending {
                note,
                expected_receipt: expected,
            },
            document: None,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, level, sent_on, fee_minor FROM reminders WHERE invoice_id = ?1",
    )?;
    for r in stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (rid, level, date, fee) = r?;
        let amount = (fee > 0).then_some(fee);
        events.push(Event {
            date,
            order: 4,
            id: rid,
            kind: "reminder",
            amount,
            detail: Detail::Reminder { level },
            document: Some(("reminder", rid)),
        });
    }
    // Money that settled it: payments (their receipts), early-payment discounts, credit used.
    // Credit notes and write-offs are listed from their own records, with number and reason.
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.kind, s.source_id, s.settled_on, s.amount_minor, p.method, p.reference,
                EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id) FROM settlements s
         LEFT JOIN payments p ON p.id = s.source_id AND s.kind IN ('payment', 'discount')
         WHERE s.item_type = 'invoice' AND s.item_id = ?1 AND s.kind IN ('payment', 'discount', 'credit', 'advance')",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, bool>(7)?,
        ))
    })?;
    for r in rows {
        let (sid, kind, source, date, amount, method, reference, reversed) = r?;
        let (kind, document) = match (kind.as_str(), source) {
            ("payment", Some(p)) => ("payment", Some(("receipt", p))),
            ("discount", _) => ("discount", None),
            ("advance", _) => ("advance_applied", None),
            _ => ("credit_applied", None),
        };
        events.push(Event {
            date,
            order: 2,
            id: sid,
            kind,
            amount: Some(amount),
            detail: Detail::Settlement {
                method,
                reference,
                payment_id: source,
                reversed,
            },
            document,
        });
    }
    // A mistyped payment taken back: what it had settled here is open again. All rows of one
    // reversal carry its date; the lowest row id names the event.
    let mut stmt = conn.prepare_cached(
        "SELECT MIN(s.id), MIN(s.settled_on), -SUM(s.amount_minor), r.reason, r.payment_id FROM settlements s JOIN payment_reversals r ON r.id = s.source_id
         WHERE s.item_type = 'invoice' AND s.item_id = ?1 AND s.kind = 'reversal' GROUP BY r.id",
    )?;
    for r in stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })? {
        let (sid, date, amount, reason, payment) = r?;
        events.push(Event {
            date,
            order: 2,
            id: sid,
            kind: "payment_reversed",
            amount: Some(amount),
            detail: Detail::PaymentReversed {
                reason,
                payment_id: payment,
            },
            document: None,
        });
    }
    let mut stmt = conn.prepare_cached("SELECT id, number, issue_date, total_minor, reason FROM credit_notes WHERE invoice_id = ?1")?;
    for r in stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
        ))
    })? {
        let (cid, number, date, total, reason) = r?;
        events.push(Event {
            date,
            order: 3,
            id: cid,
            kind: "credit_note",
            amount: Some(total),
            detail: Detail::CreditNote { number, reason },
            document: Some(("credit_note", cid)),
        });
    }
    let mut stmt = conn.prepare_cached("SELECT id, written_on, amount_minor, reason FROM write_offs WHERE item_type = 'invoice' AND item_id = ?1")?;
    for r in stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })? {
        let (wid, date, amount, reason) = r?;
        events.push(Event {
            date,
            order: 3,
            id: wid,
            kind: "write_off",
            amount: Some(amount),
            detail: Detail::WriteOff { reason },
            document: None,
        });
    }
    // Polite notices about a wrong amount that named this invoice (dated as their payment).
    // `invoice_ids` is a JSON array of ids as serde_json writes it (`[1,2]`, no spaces): with its
    // brackets made commas, the invoice is named when `,id,` occurs in it. Plain string
    // functions, so the same SQL runs on PostgreSQL (which has no `json_each`).
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, p.received_on, d.kind, d.difference_minor FROM payment_discrepancies d JOIN payments p ON p.id = d.payment_id
         WHERE instr(replace(replace(d.invoice_ids, '[', ','), ']', ','), ',' || CAST(CAST(?1 AS BIGINT) AS TEXT) || ',') > 0",
    )?;
    for r in stmt.query_map(params![id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (did, date, kind, difference) = r?;
        events.push(Event {
            date,
            order: 5,
            id: did,
            kind: "notice",
            amount: Some(difference),
            detail: Detail::Notice { direction: kind },
            document: Some(("notice", did)),
        });
    }
    let mut stmt =
        conn.prepare_cached("SELECT id, number, issue_date FROM acts WHERE invoice_id = ?1")?;
    for r in stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (aid, number, date) = r?;
        events.push(Event {
            date,
            order: 6,
            id: aid,
            kind: "act",
            amount: None,
            detail: Detail::Number { number },
            document: Some(("act", aid)),
        });
    }
    events.sort_by(|a, b| (&a.date, a.order, a.id).cmp(&(&b.date, b.order, b.id)));
    let events = events
        .into_iter()
        .map(|e| EventView {
            date: e.date,
            kind: e.kind,
            detail: e.detail,
            amount: e.amount.map(|a| cur.format_minor(a)),
            document: e.document.map(|(kind, id)| DocumentRef { kind, id }),
        })
        .collect();
    Ok(HistoryView {
        invoice_id: id,
        currency: cur.code,
        events,
    })
}
