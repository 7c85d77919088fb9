//! The one error type of the core.
//!
//! Every error carries a machine `code` the UI branches on, a translation key in `message`
//! and, for bad input, the `field` (as spelled in the JSON arguments) it is about.
//! SQL text never reaches the UI: database failures become `internal` with a generic key.

use serde::Serialize;

/// Errors returned by every core operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong; nothing was written.
    #[error("invalid {field}: {key}")]
    Validation { field: String, key: &'static str },
    /// A referenced record does not exist.
    #[error("{field} not found")]
    NotFound { field: String },
    /// The operation conflicts with the current state (e.g. already archived, locked database).
    #[error("conflict: {key}")]
    Conflict {
        key: &'static str,
        field: Option<String>,
    },
    /// An issued document or a posted entry cannot be changed.
    #[error("not editable: {key}")]
    NotEditable { key: &'static str },
    /// The database was written by a newer Esep.
    #[error("database version {found} is newer than this app supports ({supported})")]
    TooNew { found: i64, supported: i64 },
    /// The database (SQLite or the PostgreSQL server) failed.
    #[error("database: {0}")]
    Db(#[from] crate::sql::Error),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for a validation error on `field` with translation key `key`.
    pub fn invalid(field: impl Into<String>, key: &'static str) -> Self {
        Error::Validation {
            field: field.into(),
            key,
        }
    }

    pub fn not_found(field: impl Into<String>) -> Self {
        Error::NotFound {
            field: field.into(),
        }
    }

    /// The small set of codes the UI and the CLI branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } | Error::TooNew { .. } => "conflict",
            Error::NotEditable { .. } => "not_editable",
            Error::Db(e) if is_busy(e) => "conflict",
            Error::Db(e) if e.is_permission_denied() => "forbidden",
            Error::Db(e) if e.is_unreachable() => "unavailable",
            Error::Db(e) if e.is_login_refused() => "unauthorized",
            Error::Db(e) if e.is_unknown_database() => "not_found",
            Error::Db(e) if is_append_only_violation(e) => "not_editable",
            Error::Db(_) | Error::Internal(_) => "internal",
        }
    }

    /// The translation key of the message (`error.*` in the locale catalogues).
    pub fn message_key(&self) -> &'static str {
        match self {
            Error::Validation { key, .. } => key,
            Error::NotFound { .. } => "error.notFound",
            Error::Conflict { key, .. } => key,
            Error::NotEditable { key } => key,
            Error::TooNew { .. } => "error.databaseTooNew",
            Error::Db(e) if is_busy(e) => "error.databaseBusy",
            Error::Db(e) if e.is_permission_denied() => "error.roleForbids",
            Error::Db(e) if e.is_outcome_unknown() => "error.serverLostWhileSaving",
            Error::Db(e) if e.is_unreachable() => "error.serverUnreachable",
            Error::Db(e) if e.is_login_refused() => "error.serverLogin",
            Error::Db(e) if e.is_unknown_database() => "error.serverNoBooks",
            Error::Db(e) if is_append_only_violation(e) => "error.issuedImmutable",
            Error::Db(e) if is_disk_full(e) => "error.diskFull",
            Error::Db(_) | Error::Internal(_) => "error.internal",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } | Error::NotFound { field } => Some(field),
            Error::Conflict { field, .. } => field.as_deref(),
            // Connecting to shared books: the field of the connection form to look at.
            Error::Db(e) if e.is_login_refused() => Some("password"),
            Error::Db(e) if e.is_unknown_database() => Some("database"),
            _ => None,
        }
    }

    /// The JSON shape shared by the CLI and the IPC boundary. What went wrong inside (SQL text,
    /// file paths) is not part of it: that is [`Error::log_detail`], for a log.
    pub fn to_payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_string(),
            message: self.message_key().to_string(),
            field: self.field().map(str::to_string),
            detail: match self {
                Error::TooNew { found, supported } => {
                    Some(format!("database version {found}, supported {supported}"))
                }
                _ => None,
            },
        }
    }

    /// For a log (standard error, never the answer): the inside of an internal or database
    /// error; `None` for the errors the user can act on.
    pub fn log_detail(&self) -> Option<String> {
        match self {
            Error::Db(e) => Some(format!("database: {e}")),
            Error::Internal(s) => Some(format!("internal: {s}")),
            _ => None,
        }
    }

    /// The payload, after writing the inside of an internal error to standard error (the app's
    /// and the CLI's log).
    pub fn to_logged_payload(&self, context: &str) -> ErrorPayload {
        if let Some(d) = self.log_detail() {
            eprintln!("esep: {context}: {d}");
        }
        self.to_payload()
    }
}

/// `{code, message, field}` as the UI and the CLI see it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A stored value of the wrong type, read in place (`get_ref`): the database is not ours.
impl From<crate::sql::FromSqlError> for Error {
    fn from(e: crate::sql::FromSqlError) -> Self {
        Error::Internal(format!("stored value: {e}"))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(e.into())
    }
}

fn is_busy(e: &crate::sql::Error) -> bool {
    // PostgreSQL's lock_not_available: another desktop held the books too long.
    e.is_retryable() || e.sqlstate() == Some("55P03")
}

fn is_disk_full(e: &crate::sql::Error) -> bool {
    match e {
        crate::sql::Error::Sqlite(e) => matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DiskFull)
                | Some(rusqlite::ErrorCode::ReadOnly)
                | Some(rusqlite::ErrorCode::CannotOpen)
        ),
        // disk_full, out of memory, program limit (PostgreSQL's class 53).
        e => e.sqlstate().is_some_and(|c| c.starts_with("53")),
    }
}

/// Our triggers abort with messages starting `append-only` (on either engine).
fn is_append_only_violation(e: &crate::sql::Error) -> bool {
    e.raised_message()
        .is_some_and(|m| m.starts_with("append-only"))
}
