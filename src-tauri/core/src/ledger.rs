//! The books behind the scenes: a chart of accounts, balanced journal entries, postings.
//!
//! A [`JournalEntry`] can only be built by [`JournalEntry::new`], which refuses postings that
//! do not sum to zero per currency, zero amounts and empty entries. [`post`] writes it inside
//! the caller's transaction, next to the business event it records. Entries are append-only
//! (SQLite triggers abort UPDATE and DELETE); corrections are reversing entries.

use crate::error::{Error, Result};
use crate::sql::{params, Connection};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// An account's id as an SQL literal, for `concat!` into a query: `acct!(CustomerCredit)` is
/// `"4"`. Accounts are not bound as parameters because partial indexes (migration 0004's
/// `postings_credit`) serve a query only when it names the account literally; this keeps the
/// numbers with the enum (a test checks each against [`Account::id`]).
#[macro_export]
macro_rules! acct {
    (Cash) => {
        "1"
    };
    (Bank) => {
        "2"
    };
    (Receivables) => {
        "3"
    };
    (CustomerCredit) => {
        "4"
    };
    (TaxPayable) => {
        "5"
    };
    (OpeningBalance) => {
        "6"
    };
    (Sales) => {
        "7"
    };
    (LateFees) => {
        "8"
    };
    (DiscountsGiven) => {
        "9"
    };
    (BadDebts) => {
        "10"
    };
    (Advances) => {
        "11"
    };
    // The customer sub-ledger: what a customer owes, the credit in their favour and the
    // advances received from them.
    (customer) => {
        concat!(
            "(",
            $crate::acct!(Receivables),
            ", ",
            $crate::acct!(CustomerCredit),
            ", ",
            $crate::acct!(Advances),
            ")"
        )
    };
}

/// Accounts by their fixed ids (see migration 0001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Account {
    Cash = 1,
    Bank = 2,
    Receivables = 3,
    CustomerCredit = 4,
    TaxPayable = 5,
    OpeningBalance = 6,
    Sales = 7,
    LateFees = 8,
    DiscountsGiven = 9,
    BadDebts = 10,
    /// Advances received (#22): money paid before the work, owed back as work or money.
    Advances = 11,
}

impl Account {
    /// Every account, in id order.
    pub const ALL: [Account; 11] = [
        Account::Cash,
        Account::Bank,
        Account::Receivables,
        Account::CustomerCredit,
        Account::TaxPayable,
        Account::OpeningBalance,
        Account::Sales,
        Account::LateFees,
        Account::DiscountsGiven,
        Account::BadDebts,
        Account::Advances,
    ];

    pub fn id(self) -> i64 {
        self as i64
    }

    /// The customer sub-ledger's accounts: their postings carry a customer, no other does.
    /// The same set as `acct!(customer)` in SQL (`check_books`), which a test holds equal.
    pub fn is_customer_account(self) -> bool {
        matches!(
            self,
            Account::Receivables | Account::CustomerCredit | Account::Advances
        )
    }

    /// The account with this id, if there is one.
    pub fn from_id(id: i64) -> Option<Account> {
        Account::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// One line of an entry: debit positive, credit negative, in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub account: Account,
    /// Set on Receivables and Customer credit postings: the customer sub-ledger.
    pub customer_id: Option<i64>,
    pub currency: String,
    pub amount_minor: i64,
    /// The tax rate a Tax payable posting belongs to.
    pub tax_rate: Option<String>,
}

impl Posting {
    pub fn new(account: Account, currency: &str, amount_minor: i64) -> Self {
        Posting {
            account,
            customer_id: None,
            currency: currency.to_string(),
            amount_minor,
            tax_rate: None,
        }
    }

    pub fn customer(mut self, customer_id: i64) -> Self {
        self.customer_id = Some(customer_id);
        self
    }

    pub fn tax_rate(mut self, rate: impl Into<String>) -> Self {
        self.tax_rate = Some(rate.into());
        self
    }
}

/// A balanced journal entry, ready to post.
#[derive(Debug, Clone)]
pub struct JournalEntry {
    date: NaiveDate,
    kind: &'static str,
    memo: String,
    source: Option<(&'static str, i64)>,
    postings: Vec<Posting>,
}

impl JournalEntry {
    /// Builds an entry; zero postings are dropped, then the rest must balance per currency.
    ///
    /// Errors: `internal` when the postings do not balance or nothing is left — these are
    /// programming errors, never user input, and nothing is written.
    pub fn new(
        date: NaiveDate,
        kind: &'static str,
        memo: impl Into<String>,
        source: Option<(&'static str, i64)>,
        postings: Vec<Posting>,
    ) -> Result<Self> {
        let postings: Vec<Posting> = postings
            .into_iter()
            .filter(|p| p.amount_minor != 0)
            .collect();
        if postings.is_empty() {
            return Err(Error::Internal("a journal entry needs postings".into()));
        }
        let mut sums: BTreeMap<&str, i128> = BTreeMap::new();
        for p in &postings {
            *sums.entry(&p.currency).or_default() += p.amount_minor as i128;
            let needs_customer = p.account.is_customer_account();
            if needs_customer != p.customer_id.is_some() {
                return Err(Error::Internal(format!(
                    "{:?} posting customer mismatch",
                    p.account
                )));
            }
        }
        if let Some((cur, sum)) = sums.iter().find(|(_, s)| **s != 0) {
            return Err(Error::Internal(format!("unbalanced entry: {cur} {sum}")));
        }
        Ok(JournalEntry {
            date,
            kind,
            memo: memo.into(),
            source,
            postings,
        })
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }
}

/// Writes a balanced entry; returns its id. Call inside the transaction of the business event.
pub fn post(conn: &Connection, entry: &JournalEntry, now: &str) -> Result<i64> {
    conn.prepare_cached("INSERT INTO journal_entries (entry_date, kind, memo, source_type, source_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![entry.date.to_string(), entry.kind, entry.memo, entry.source.map(|s| s.0), entry.source.map(|s| s.1), now])?;
    let id = conn.last_insert_rowid();
    let mut stmt =
        conn.prepare_cached("INSERT INTO postings (entry_id, account_id, customer_id, currency, amount_minor, tax_rate) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for p in &entry.postings {
        stmt.execute(params![
            id,
            p.account.id(),
            p.customer_id,
            p.currency,
            p.amount_minor,
            p.tax_rate
        ])?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::Account;

    /// `acct!` spells each account's id as the enum does.
    #[test]
    fn the_sql_account_literals_are_the_enum_ids() {
        let literals = [
            (Account::Cash, crate::acct!(Cash)),
            (Account::Bank, crate::acct!(Bank)),
            (Account::Receivables, crate::acct!(Receivables)),
            (Account::CustomerCredit, crate::acct!(CustomerCredit)),
            (Account::TaxPayable, crate::acct!(TaxPayable)),
            (Account::OpeningBalance, crate::acct!(OpeningBalance)),
            (Account::Sales, crate::acct!(Sales)),
            (Account::LateFees, crate::acct!(LateFees)),
            (Account::DiscountsGiven, crate::acct!(DiscountsGiven)),
            (Account::BadDebts, crate::acct!(BadDebts)),
            (Account::Advances, crate::acct!(Advances)),
        ];
        assert_eq!(literals.len(), Account::ALL.len());
        for (account, literal) in literals {
            assert_eq!(literal, account.id().to_string(), "{account:?}");
        }
        let customer: Vec<String> = Account::ALL
            .into_iter()
            .filter(|a| a.is_customer_account())
            .map(|a| a.id().to_string())
            .collect();
        assert_eq!(
            crate::acct!(customer),
            format!("({})", customer.join(", ")),
            "the sub-ledger rule, in Rust and in SQL"
        );
    }

    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn an_unbalanced_entry_cannot_be_built() {
        let ps = vec![
            Posting::new(Account::Receivables, "KZT", 100).customer(1),
            Posting::new(Account::Sales, "KZT", -99),
        ];
        assert!(JournalEntry::new(day(), "invoice", "x", None, ps).is_err());
    }

    #[test]
    fn balance_is_per_currency() {
        let ps = vec![
            Posting::new(Account::Cash, "KZT", 100),
            Posting::new(Account::Sales, "USD", -100),
        ];
        assert!(
            JournalEntry::new(day(), "x", "x", None, ps).is_err(),
            "100 KZT does not balance 100 USD"
        );
    }

    #[test]
    fn receivables_postings_need_a_customer() {
        let ps = vec![
            Posting::new(Account::Receivables, "KZT", 100),
            Posting::new(Account::Sales, "KZT", -100),
        ];
        assert!(JournalEntry::new(day(), "x", "x", None, ps).is_err());
    }

    #[test]
    fn zero_postings_are_dropped_and_an_empty_entry_refused() {
        let ps = vec![Posting::new(Account::Cash, "KZT", 0)];
        assert!(JournalEntry::new(day(), "x", "x", None, ps).is_err());
        let ok = JournalEntry::new(
            day(),
            "x",
            "x",
            None,
            vec![
                Posting::new(Account::Cash, "KZT", 5),
                Posting::new(Account::Sales, "KZT", -5),
                Posting::new(Account::TaxPayable, "KZT", 0),
            ],
        )
        .unwrap();
        assert_eq!(ok.postings().len(), 2);
    }
}
