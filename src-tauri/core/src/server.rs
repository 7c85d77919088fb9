//! Shared books on a PostgreSQL server (#23): setting up a shop's database, its roles and who
//! may do what — enforced by the server's grants, not by hidden buttons.
//!
//! Every shop database `D` has three group roles; people log in as their own login roles,
//! members of one of them:
//! - `esep_D_owner` owns the schema: everything;
//! - `esep_D_clerk`: customers, services, drafts, issuing, payments, reminders, acts, quotes,
//!   bank lines, printing; not the settings (profile, terms, series format, reminder settings),
//!   opening balances or write-offs;
//! - `esep_D_accountant`: reads everything (and exports), writes nothing.
//!
//! A refused write is PostgreSQL's `insufficient_privilege`, which the core reports as
//! `error.roleForbids` in the user's language; the transaction rolls back, nothing is written.

use crate::db;
use crate::error::{Error, Result};
use crate::sql::{Connection, Engine, PgConfig};
use serde::Serialize;

/// A person's role on shared books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Owner,
    Clerk,
    Accountant,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Clerk, Role::Accountant];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Clerk => "clerk",
            Role::Accountant => "accountant",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The group role of this role on database `db`.
    pub fn group(self, db: &str) -> String {
        format!("esep_{db}_{}", self.as_str())
    }
}

/// The tables a clerk writes: the daily work. Everything else (settings, opening balances,
/// write-offs, the chart of accounts) only the owner changes.
pub const CLERK_WRITES: &[&str] = &[
    "customers",
    "charges",
    "invoices",
    "invoice_lines",
    "invoice_sends",
    "invoice_state",
    "journal_entries",
    "postings",
    "payments",
    "settlements",
    "refunds",
    "payment_discrepancies",
    "payment_reversals",
    "credit_notes",
    "reminders",
    "acts",
    "act_charges",
    "act_sends",
    "recurring_schedules",
    "recurring_lines",
    "recurring_runs",
    "quotes",
    "quote_lines",
    "advances",
    "advance_uses",
    "bank_statements",
    "bank_transactions",
    "bank_csv_layouts",
];

/// A shop database name: lower-case letters, digits and `_`, a letter first (it is part of
/// the role names, which are identifiers).
pub fn check_database_name(name: &str) -> Result<()> {
    let ok = (1..=40).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("database", "error.serverDatabaseName"))
    }
}

/// A login name: letters, digits, `_`, `.`, `-`, at most 60.
pub fn check_login(name: &str) -> Result<()> {
    let ok = (1..=60).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("login", "error.serverLoginName"))
    }
}

/// A server's name or address: letters, digits, `.`, `-`, `_`, `:` (IPv6), at most 253.
pub fn check_host(host: &str) -> Result<()> {
    let ok = (1..=253).contains(&host.len())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("host", "error.serverHost"))
    }
}

/// The address of shared books from the connection form's fields (checked, so nothing in
/// them can change the address's meaning). The password is never part of it.
pub fn address(host: &str, port: Option<u16>, database: &str, login: &str) -> Result<String> {
    check_host(host)?;
    check_database_name(database)?;
    check_login(login).map_err(|_| Error::invalid("user", "error.serverLoginName"))?;
    if port == Some(0) {
        return Err(Error::invalid("port", "error.serverPort"));
    }
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    Ok(format!(
        "postgres://{login}@{host}:{}/{database}",
        port.unwrap_or(5432)
    ))
}

/// What an address names, for the window: server, port, database, login.
pub fn address_parts(url: &str) -> (String, u16, String, String) {
    let c: Option<postgres::Config> = url.parse().ok();
    let host = c
        .as_ref()
        .and_then(|c| c.get_hosts().first().cloned())
        .map(|h| match h {
            postgres::config::Host::Tcp(h) => h,
            #[cfg(unix)]
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = c
        .as_ref()
        .and_then(|c| c.get_ports().first().copied())
        .unwrap_or(5432);
    let user = c
        .as_ref()
        .and_then(|c| c.get_user().map(str::to_string))
        .unwrap_or_default();
    let database = c
        .as_ref()
        .and_then(|c| c.get_dbname().map(str::to_string))
        .unwrap_or_else(|| user.clone());
    (host, port, database, user)
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// What `server init` did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Initialised {
    pub database: String,
    pub created: bool,
    pub schema_version: i64,
    pub roles: Vec<String>,
    pub owner: String,
}

/// Sets up a shop's shared books: the database (if new), its three group roles, the schema
/// (owned by the owner role), the grants, and the first owner's login. `admin` is an address
/// of a role that may create databases and roles (e.g. `postgres`); running it again changes
/// nothing that is already right.
pub fn init(
    admin: &PgConfig,
    database: &str,
    owner_login: &str,
    owner_password: Option<&str>,
) -> Result<Initialised> {
    check_database_name(database)?;
    check_login(owner_login)?;
    let mut roles = Vec::new();
    let created;
    {
        let conn = Connection::connect_postgres(admin)?;
        for role in Role::ALL {
            let group = role.group(database);
            let exists: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
                [&group],
                |r| r.get(0),
            )?;
            if !exists {
                conn.execute_batch(&format!("CREATE ROLE {} NOLOGIN", ident(&group)))?;
            }
            roles.push(group);
        }
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?1)",
            [database],
            |r| r.get(0),
        )?;
        created = !exists;
        if created {
            conn.execute_batch(&format!(
                "CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0",
                ident(database),
                ident(&Role::Owner.group(database))
            ))?;
        }
        conn.execute_batch(&format!(
            "REVOKE ALL ON DATABASE {db} FROM PUBLIC;
             GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {o}, {c}, {a};",
            db = ident(database),
            o = ident(&Role::Owner.group(database)),
            c = ident(&Role::Clerk.group(database)),
            a = ident(&Role::Accountant.group(database)),
        ))?;
        let login_exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
            [owner_login],
            |r| r.get(0),
        )?;
        let password = owner_password
            .map(|p| format!(" PASSWORD {}", literal(p)))
            .unwrap_or_default();
        if !login_exists {
            conn.execute_batch(&format!(
                "CREATE ROLE {} LOGIN{password}",
                ident(owner_login)
            ))?;
        } else if !password.is_empty() {
            conn.execute_batch(&format!("ALTER ROLE {}{password}", ident(owner_login)))?;
        }
        conn.execute_batch(&format!(
            "GRANT {} TO {}",
            ident(&Role::Owner.group(database)),
            ident(owner_login)
        ))?;
    }
    let mut conn = Connection::connect_postgres(&admin.with_database(database))?;
    // The schema belongs to the owner role, whoever runs this.
    conn.execute_batch(&format!("SET ROLE {}", ident(&Role::Owner.group(database))))?;
    db::migrate_postgres(&mut conn)?;
    grant(&conn, database)?;
    conn.execute_batch("RESET ROLE")?;
    let schema_version: i64 =
        conn.query_row("SELECT version FROM esep_schema", [], |r| r.get(0))?;
    Ok(Initialised {
        database: database.to_string(),
        created,
        schema_version,
        roles,
        owner: owner_login.to_string(),
    })
}

/// The grants of the three roles on the books' tables (run by init and after a migration).
pub fn grant(conn: &Connection, database: &str) -> Result<()> {
    let o = ident(&Role::Owner.group(database));
    let c = ident(&Role::Clerk.group(database));
    let a = ident(&Role::Accountant.group(database));
    let clerk_tables = CLERK_WRITES.join(", ");
    conn.execute_batch(&format!(
        "REVOKE ALL ON SCHEMA public FROM PUBLIC;
         GRANT USAGE ON SCHEMA public TO {c}, {a};
         GRANT ALL ON ALL TABLES IN SCHEMA public TO {o};
         GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {o};
         REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {c}, {a};
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO {c}, {a};
         GRANT INSERT, UPDATE, DELETE ON {clerk_tables} TO {c};
         GRANT UPDATE (next_number, counter_year) ON number_series TO {c};
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {c};"
    ))?;
    Ok(())
}

/// Adds a person: a login role in one of the shop's roles (run with the administrator's or
/// the owner's address; the owner's needs CREATEROLE).
pub fn add_user(
    admin: &PgConfig,
    database: &str,
    login: &str,
    role: Role,
    password: Option<&str>,
) -> Result<()> {
    check_database_name(database)?;
    check_login(login)?;
    let conn = Connection::connect_postgres(admin)?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
        [login],
        |r| r.get(0),
    )?;
    let password = password
        .map(|p| format!(" PASSWORD {}", literal(p)))
        .unwrap_or_default();
    if exists {
        if !password.is_empty() {
            conn.execute_batch(&format!("ALTER ROLE {}{password}", ident(login)))?;
        }
    } else {
        conn.execute_batch(&format!("CREATE ROLE {} LOGIN{password}", ident(login)))?;
    }
    // One role per person on these books: a role change takes the others away.
    for other in Role::ALL {
        let group = other.group(database);
        let verb = if other == role { "GRANT" } else { "REVOKE" };
        let prep = if other == role { "TO" } else { "FROM" };
        conn.execute_batch(&format!("{verb} {} {prep} {}", ident(&group), ident(login)))?;
    }
    Ok(())
}

/// The role of whoever is connected: the owner on a SQLite file (one person's books), else
/// the strongest of the shop's roles the login is a member of (a superuser is the owner).
pub fn role_of(conn: &Connection) -> Result<Option<Role>> {
    if conn.engine() == Engine::Sqlite {
        return Ok(Some(Role::Owner));
    }
    let (database, superuser): (String, bool) = conn.query_row(
        "SELECT current_database()::text, rolsuper FROM pg_roles WHERE rolname = current_user",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if superuser {
        return Ok(Some(Role::Owner));
    }
    for role in Role::ALL {
        let member: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)
                 AND pg_has_role(current_user, ?1, 'MEMBER')",
            [role.group(&database)],
            |r| r.get(0),
        )?;
        if member {
            return Ok(Some(role));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_become_identifiers_are_checked() {
        assert!(check_database_name("shop_1").is_ok());
        for bad in ["", "1shop", "Shop", "shop-1", "shop\"x", &"a".repeat(41)] {
            assert!(check_database_name(bad).is_err(), "{bad}");
        }
        assert!(check_login("aigerim.k").is_ok());
        assert!(check_login("a b").is_err());
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(
            address("db.local", None, "shop", "dana").unwrap(),
            "postgres://dana@db.local:5432/shop"
        );
        assert_eq!(
            address("::1", Some(5433), "shop", "dana").unwrap(),
            "postgres://dana@[::1]:5433/shop"
        );
        for (host, db, login) in [
            ("db local", "shop", "dana"),
            ("h/x", "shop", "dana"),
            ("h", "Shop", "dana"),
            ("h", "shop", "da@na"),
        ] {
            assert!(
                address(host, None, db, login).is_err(),
                "{host} {db} {login}"
            );
        }
        assert_eq!(
            address_parts("postgres://dana@db.local:5433/shop"),
            ("db.local".into(), 5433, "shop".into(), "dana".into())
        );
        assert_eq!(literal("it's"), "'it''s'");
    }
}
