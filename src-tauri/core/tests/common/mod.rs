//! A small test bench over the core API on an in-memory database; every write is followed by
//! `check_books`, so any step that breaks an invariant fails where it happens.
#![allow(dead_code)]

pub mod calls;

use chrono::NaiveDate;
use esep_core::sql::OptionalExtension;
use esep_core::{api, db, Ctx};
use serde_json::{json, Value};

pub struct Books {
    pub conn: esep_core::db::Connection,
    pub today: NaiveDate,
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The engine the books of this test run on: SQLite in memory, or a fresh database on the
/// test process's throwaway PostgreSQL cluster when `ESEP_TEST_ENGINE=postgres` (the test
/// command runs the scenario suites both ways).
pub fn engine_is_postgres() -> bool {
    std::env::var("ESEP_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// New, empty books on the test process's shared PostgreSQL cluster: their address.
pub fn fresh_server_books() -> String {
    let cluster = esep_pgtest::Cluster::shared();
    let name = cluster.fresh_database().unwrap();
    cluster.url(&name)
}

/// Shared books at `url`, their schema brought up to date.
pub fn open_server(url: &str) -> db::Connection {
    db::open_postgres(&esep_core::sql::PgConfig::new(url)).unwrap()
}

/// Every issued series of `table` (invoices, credit notes) numbered 1..n in each year: no gap,
/// no number twice. The count of numbered documents.
pub fn assert_gapless(conn: &db::Connection, table: &str) -> i64 {
    let filter = if table == "invoices" {
        "WHERE seq IS NOT NULL"
    } else {
        ""
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT series, series_year, COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq)
             FROM {table} {filter} GROUP BY series, series_year"
        ))
        .unwrap();
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut total = 0;
    for (series, year, n, distinct, min, max) in rows {
        assert_eq!(
            (n, distinct, min, max),
            (n, n, 1, n),
            "series {series} {year} of {table} has a gap or a number twice"
        );
        total += n;
    }
    total
}

/// Every acknowledged write (`esep-cli stress`'s lines: table, id, number) is in the books, with the number it was acknowledged with.
pub fn assert_acknowledged(conn: &db::Connection, acks: &[Value]) {
    for a in acks {
        let table = a["table"].as_str().unwrap();
        let id = a["id"].as_i64().expect("every ack names its row");
        let number_col = if matches!(table, "invoices" | "credit_notes") {
            "number"
        } else {
            "NULL"
        };
        let found: Option<Option<String>> = conn
            .query_row(
                &format!("SELECT {number_col} FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .optional()
            .unwrap();
        let found = found.unwrap_or_else(|| panic!("acknowledged {a} is missing"));
        if let Some(n) = a["number"].as_str() {
            assert_eq!(found.as_deref(), Some(n), "{a} changed its number");
        }
    }
}

/// New, empty books on the engine under test.
pub fn open_books() -> db::Connection {
    if engine_is_postgres() {
        open_server(&fresh_server_books())
    } else {
        db::open_in_memory().unwrap()
    }
}

impl Books {
    pub fn new(today: &str) -> Books {
        Books {
            conn: open_books(),
            today: d(today),
        }
    }

    /// A shop with a profile (KZT, Russian documents) and one customer (id 1).
    pub fn shop(today: &str) -> Books {
        let mut b = Books::new(today);
        b.ok("save_profile", json!({"name": "Алма Сервис", "currency": "KZT", "language": "ru", "defaultTermsId": 5}));
        b.ok(
            "create_customer",
            json!({"name": "Қайрат Әлиев", "address": "Абая 1\nАлматы", "transitDays": 3}),
        );
        b
    }

    pub fn call(&mut self, cmd: &str, args: Value) -> Result<Value, esep_core::Error> {
        let mut ctx = Ctx::new(&mut self.conn, self.today);
        let r = api::call(&mut ctx, cmd, &args);
        let check = esep_core::books::audit::check(&self.conn).unwrap();
        assert!(
            check.is_empty(),
            "after {cmd} {args}: the books are broken: {check:?}"
        );
        r
    }

    pub fn ok(&mut self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone())
            .unwrap_or_else(|e| panic!("{cmd} {args} failed: {e:?}"))
    }

    /// Asserts an error naming `field` with `code`, and that nothing was written.
    pub fn refused(
        &mut self,
        cmd: &str,
        args: Value,
        code: &str,
        field: Option<&str>,
    ) -> esep_core::Error {
        let before = db::data_dump(&self.conn).unwrap();
        let e = self
            .call(cmd, args.clone())
            .expect_err(&format!("{cmd} {args} must be refused"));
        assert_eq!(e.code(), code, "{cmd} {args}: {e:?}");
        if field.is_some() {
            assert_eq!(e.field(), field, "{cmd} {args}: {e:?}");
        }
        assert_eq!(
            before,
            db::data_dump(&self.conn).unwrap(),
            "{cmd} {args}: a refused command must not write anything"
        );
        e
    }

    /// Creates and issues an invoice with one line; returns its id.
    pub fn invoice(
        &mut self,
        customer: i64,
        price: &str,
        rate: &str,
        terms: i64,
        date: &str,
    ) -> i64 {
        let inv = self.ok(
            "create_invoice",
            json!({"customerId": customer, "termsId": terms, "lines": [{"description": "Service", "quantity": "1", "unitPrice": price, "taxRate": rate}]}),
        );
        let id = inv["id"].as_i64().unwrap();
        self.ok("issue_invoice", json!({"id": id, "issueDate": date}));
        id
    }

    pub fn open(&mut self, invoice: i64) -> String {
        self.ok("get_invoice", json!({"id": invoice}))["open"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn status(&mut self, invoice: i64) -> String {
        self.ok("get_invoice", json!({"id": invoice}))["status"]
            .as_str()
            .unwrap()
            .to_string()
    }
}
