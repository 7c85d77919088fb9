//! ISO 20022 camt.053 (bank to customer statement), versions 001.02 to 001.13: the elements
//! are the same across versions where Esep reads them (namespaces are ignored; the local names
//! are matched).
//!
//! `Document/BkToCstmrStmt/Stmt`: `Acct/Id/IBAN` (or `Othr/Id`), `Acct/Ccy`, `Bal` (type
//! `OPBD`/`PRCD` opening, `CLBD` closing; `Amt`, `CdtDbtInd`, `Dt`), and one `Ntry` per booked
//! entry: `Amt @Ccy`, `CdtDbtInd` (`CRDT` money in, `DBIT` out; `RvslInd` true turns it), `Sts`
//! (only `BOOK` entries are read), `BookgDt`, `AcctSvcrRef`, and its `NtryDtls/TxDtls`:
//! `Refs/EndToEndId`, `RltdPties` (`Dbtr`/`Cdtr` with `Nm` and `Id/OrgId|PrvtId/Othr/Id`,
//! `DbtrAcct`/`CdtrAcct/Id/IBAN`), `RmtInf/Ustrd` and `RmtInf/Strd/CdtrRefInf/Ref`.
//!
//! The XML is read with `quick-xml`, which never loads external entities; a document type
//! declaration (where entities would be declared: the "billion laughs" and external-entity
//! attacks) is refused outright, as is any entity other than XML's five and character
//! references. Nesting and element counts are bounded.

use super::{amount, at, norm_account, one_line, Direction, Line, Statement};
use crate::error::Result;
use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;
use rust_decimal::Decimal;

const MAX_DEPTH: usize = 64;
const MAX_NODES: usize = 2_000_000;

struct Node {
    name: String,
    text: String,
    ccy: String,
    children: Vec<usize>,
    line: usize,
}

struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn child(&self, at: usize, name: &str) -> Option<usize> {
        self.nodes[at]
            .children
            .iter()
            .copied()
            .find(|&c| self.nodes[c].name == name)
    }

    fn children<'a>(&'a self, at: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes[at]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.nodes[c].name == name)
    }

    fn path(&self, at: usize, path: &[&str]) -> Option<usize> {
        path.iter().try_fold(at, |n, p| self.child(n, p))
    }

    fn text(&self, at: usize, path: &[&str]) -> String {
        self.path(at, path)
            .map(|n| self.nodes[n].text.trim().to_string())
            .unwrap_or_default()
    }

    /// The first non-empty text among several paths.
    fn first(&self, at: usize, paths: &[&[&str]]) -> String {
        paths
            .iter()
            .map(|p| self.text(at, p))
            .find(|t| !t.is_empty())
            .unwrap_or_default()
    }
}

fn build(text: &str) -> Result<Tree> {
    let mut reader = Reader::from_str(text);
    let mut nodes: Vec<Node> = vec![Node {
        name: String::new(),
        text: String::new(),
        ccy: String::new(),
        children: Vec::new(),
        line: 1,
    }];
    let mut stack: Vec<usize> = vec![0];
    let (mut line, mut seen) = (1usize, 0usize);
    let bytes = text.as_bytes();
    loop {
        let pos = (reader.buffer_position() as usize).min(bytes.len());
        if pos > seen {
            line += bytes[seen..pos].iter().filter(|&&b| b == b'\n').count();
            seen = pos;
        }
        let event = reader
            .read_event()
            .map_err(|_| at(line, "", "error.bank.xml"))?;
        match event {
            Event::Start(_) | Event::Empty(_)
                if stack.len() > MAX_DEPTH || nodes.len() >= MAX_NODES =>
            {
                return Err(at(line, "", "error.bank.xmlTooDeep"));
            }
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                let ccy = ccy_of(&e);
                let id = nodes.len();
                nodes.push(Node {
                    name,
                    text: String::new(),
                    ccy,
                    children: Vec::new(),
                    line,
                });
                let parent = *stack.last().unwrap_or(&0);
                nodes[parent].children.push(id);
                stack.push(id);
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                let id = nodes.len();
                nodes.push(Node {
                    name,
                    text: String::new(),
                    ccy: ccy_of(&e),
                    children: Vec::new(),
                    line,
                });
                let parent = *stack.last().unwrap_or(&0);
                nodes[parent].children.push(id);
            }
            Event::End(_) => {
                if stack.len() <= 1 {
                    return Err(at(line, "", "error.bank.xml"));
                }
                stack.pop();
            }
            Event::Text(t) => {
                let top = *stack.last().unwrap_or(&0);
                nodes[top].text.push_str(&t.xml10_content());
            }
            Event::CData(t) => {
                let top = *stack.last().unwrap_or(&0);
                nodes[top].text.push_str(&t);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        _ => return Err(at(line, "", "error.bank.xmlEntity")),
                    },
                    Err(_) => return Err(at(line, "", "error.bank.xml")),
                };
                let top = *stack.last().unwrap_or(&0);
                nodes[top].text.push(c);
            }
            Event::DocType(_) => return Err(at(line, "", "error.bank.xmlDoctype")),
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err(at(line, "", "error.bank.truncated"));
    }
    Ok(Tree { nodes })
}

fn ccy_of(e: &quick_xml::events::BytesStart) -> String {
    e.try_get_attribute("Ccy")
        .ok()
        .flatten()
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default()
}

fn date(t: &Tree, at_node: usize, path: &[&str]) -> Option<NaiveDate> {
    let d = t.first(
        at_node,
        &[&[path, &["Dt"]].concat(), &[path, &["DtTm"]].concat()],
    );
    NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()
}

pub fn parse(text: &str) -> Result<Statement> {
    let t = build(text)?;
    let doc = t.nodes[0]
        .children
        .first()
        .copied()
        .filter(|&d| t.nodes[d].name == "Document")
        .ok_or_else(|| at(1, "Document", "error.bank.unknownFormat"))?;
    let root = t.child(doc, "BkToCstmrStmt").ok_or_else(|| {
        at(
            t.nodes[doc].line,
            "BkToCstmrStmt",
            "error.bank.unknownFormat",
        )
    })?;
    let mut st = Statement {
        format: "camt053",
        account: String::new(),
        currency: String::new(),
        from: None,
        to: None,
        opening: None,
        closing: None,
        lines: Vec::new(),
    };
    let stmts: Vec<usize> = t.children(root, "Stmt").collect();
    if stmts.is_empty() {
        return Err(at(t.nodes[root].line, "Stmt", "error.bank.missing"));
    }
    for s in stmts {
        let line = t.nodes[s].line;
        let acct = t
            .child(s, "Acct")
            .ok_or_else(|| at(line, "Acct", "error.bank.missing"))?;
        let account = norm_account(&t.first(acct, &[&["Id", "IBAN"], &["Id", "Othr", "Id"]]));
        if account.is_empty() {
            return Err(at(t.nodes[acct].line, "Acct/Id", "error.bank.missing"));
        }
        if !st.account.is_empty() && st.account != account {
            return Err(at(t.nodes[acct].line, "Acct/Id", "error.bank.twoAccounts"));
        }
        st.account = account;
        let ccy = t.text(acct, &["Ccy"]);
        if !ccy.is_empty() {
            st.currency = ccy;
        }
        if let Some(p) = t.child(s, "FrToDt") {
            st.from = st.from.or_else(|| {
                NaiveDate::parse_from_str(
                    t.text(p, &["FrDtTm"]).get(..10).unwrap_or(""),
                    "%Y-%m-%d",
                )
                .ok()
            });
            if let Ok(d) = NaiveDate::parse_from_str(
                t.text(p, &["ToDtTm"]).get(..10).unwrap_or(""),
                "%Y-%m-%d",
            ) {
                st.to = Some(d);
            }
        }
        for b in t.children(s, "Bal") {
            let kind = t.first(
                b,
                &[&["Tp", "CdOrPrtry", "Cd"], &["Tp", "CdOrPrtry", "Prtry"]],
            );
            let amt = t
                .child(b, "Amt")
                .ok_or_else(|| at(t.nodes[b].line, "Bal/Amt", "error.bank.missing"))?;
            let mut a = amount(&t.nodes[amt].text, t.nodes[amt].line, "Bal/Amt")?;
            if t.text(b, &["CdtDbtInd"]) == "DBIT" {
                a = -a;
            }
            match kind.as_str() {
                "OPBD" | "PRCD" if st.opening.is_none() => {
                    st.opening = Some(a);
                    st.from = st.from.or_else(|| date(&t, b, &["Dt"]));
                }
                "CLBD" => {
                    st.closing = Some(a);
                    if let Some(d) = date(&t, b, &["Dt"]) {
                        st.to = Some(d);
                    }
                }
                _ => {}
            }
        }
        for e in t.children(s, "Ntry") {
            if let Some(l) = entry(&t, e)? {
                st.lines.push(l);
            }
        }
    }
    Ok(st)
}

/// One booked entry (`None` for pending or information-only entries).
fn entry(t: &Tree, e: usize) -> Result<Option<Line>> {
    let line = t.nodes[e].line;
    let status = t.first(e, &[&["Sts", "Cd"], &["Sts"]]);
    if !status.is_empty() && status != "BOOK" {
        return Ok(None);
    }
    let amt = t
        .child(e, "Amt")
        .ok_or_else(|| at(line, "Ntry/Amt", "error.bank.missing"))?;
    let sum = amount(&t.nodes[amt].text, t.nodes[amt].line, "Ntry/Amt")?;
    if sum == Decimal::ZERO {
        return Err(at(t.nodes[amt].line, "Ntry/Amt", "error.bank.amount"));
    }
    let mut direction = match t.text(e, &["CdtDbtInd"]).as_str() {
        "CRDT" => Direction::In,
        "DBIT" => Direction::Out,
        _ => return Err(at(line, "CdtDbtInd", "error.bank.direction")),
    };
    if t.text(e, &["RvslInd"]) == "true" {
        direction = if direction == Direction::In {
            Direction::Out
        } else {
            Direction::In
        };
    }
    let day = date(t, e, &["BookgDt"])
        .or_else(|| date(t, e, &["ValDt"]))
        .ok_or_else(|| at(line, "BookgDt", "error.bank.date"))?;
    let tx = t.path(e, &["NtryDtls", "TxDtls"]);
    let (name, id, account, purpose, end_to_end) = match tx {
        None => (
            String::new(),
            String::new(),
            String::new(),
            t.text(e, &["AddtlNtryInf"]),
            String::new(),
        ),
        Some(x) => {
            let (party, acct) = if direction == Direction::In {
                ("Dbtr", "DbtrAcct")
            } else {
                ("Cdtr", "CdtrAcct")
            };
            let name = t.first(
                x,
                &[
                    &["RltdPties", party, "Nm"],
                    &["RltdPties", party, "Pty", "Nm"],
                ],
            );
            let id = t.first(
                x,
                &[
                    &["RltdPties", party, "Id", "OrgId", "Othr", "Id"],
                    &["RltdPties", party, "Id", "PrvtId", "Othr", "Id"],
                    &["RltdPties", party, "Pty", "Id", "OrgId", "Othr", "Id"],
                    &["RltdPties", party, "Pty", "Id", "PrvtId", "Othr", "Id"],
                ],
            );
            let account = norm_account(&t.first(
                x,
                &[
                    &["RltdPties", acct, "Id", "IBAN"],
                    &["RltdPties", acct, "Id", "Othr", "Id"],
                ],
            ));
            let mut purpose: Vec<String> = Vec::new();
            if let Some(r) = t.child(x, "RmtInf") {
                purpose.extend(t.children(r, "Ustrd").map(|u| t.nodes[u].text.clone()));
                for s in t.children(r, "Strd") {
                    let reference = t.text(s, &["CdtrRefInf", "Ref"]);
                    if !reference.is_empty() {
                        purpose.push(reference);
                    }
                }
            }
            if purpose.is_empty() {
                purpose.push(t.text(e, &["AddtlNtryInf"]));
            }
            let end_to_end = t.text(x, &["Refs", "EndToEndId"]);
            (
                name,
                id,
                account,
                purpose.join(" "),
                if end_to_end == "NOTPROVIDED" {
                    String::new()
                } else {
                    end_to_end
                },
            )
        }
    };
    let reference = t.first(e, &[&["AcctSvcrRef"], &["NtryRef"]]);
    Ok(Some(Line {
        line,
        date: day,
        direction,
        amount: sum,
        currency: t.nodes[amt].ccy.clone(),
        counterparty: one_line(&name),
        counterparty_id: one_line(&id),
        counterparty_account: account,
        purpose: one_line(&purpose),
        reference: if reference.is_empty() {
            end_to_end
        } else {
            reference
        },
        knp: String::new(),
    }))
}
