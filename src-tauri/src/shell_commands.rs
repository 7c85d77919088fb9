//! Commands the shell implements itself: they need the window, the file system or dialogs.
//!
//! PDFs are built in Rust, the native save dialog is opened from Rust and the file is written
//! by Rust: the webview never gets a file-system or dialog permission. For tests (WebDriver
//! cannot reach native dialogs) `ESEP_EXPORT_DIR` replaces the dialog with a directory.

use crate::state::{db_path, AppState};
use esep_core::books::documents::{
    render_batch, render_one, DocumentKind, DocumentLayout, EnvelopeChoice,
};
use esep_core::books::transfer::{ExportCsv, ExportDelimiter, ExportKind};
use esep_core::i18n::Lang;
use esep_core::req::{parse_known, schema_of, Date, Id, List, LongText, Name, NoArgs, Text};
use esep_core::{Error, ErrorPayload};
use schemars::schema::RootSchema;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tauri::{Emitter, Runtime, Webview};
use tauri_plugin_dialog::DialogExt;

/// Names, from the same file build.rs reads.
pub const NAMES: &[&str] = &include!("shell_commands.in");

/// `startup_mark`: a start-up milestone for the app bench.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct StartupMark {
    pub label: Text<40>,
}

/// `connect_server`: shared books on a PostgreSQL server (Settings → Shared books).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectServer {
    /// The server's name or address.
    pub host: Text<253>,
    /// 5432 when left out.
    pub port: Option<u16>,
    /// The shop's database (`esep-cli server init --database`).
    pub database: Text<40>,
    /// The person's login on the server.
    pub user: Text<60>,
    pub password: Option<Text<200>>,
    /// Keep the password in the OS keychain (else it is asked for each time the books open).
    #[serde(default)]
    pub remember: bool,
}

/// `open_sample`: the sample shop, in a language.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct OpenSample {
    /// English when left out.
    pub language: Option<Lang>,
}

/// `restore_backup`: a backup by its file name (the newest when left out).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RestoreBackup {
    pub name: Option<Name>,
}

/// `save_pdf` / `open_pdf`: a document, and for an e-mail what the message says.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SavePdf {
    pub kind: DocumentKind,
    /// The document (for a statement, the customer); every kind but `calibration` needs it.
    pub id: Option<Id>,
    /// A statement's period.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub envelope: Option<EnvelopeChoice>,
    /// Also open the mail client with the PDF's folder.
    #[serde(default)]
    pub email: bool,
    /// The customer's address (`to` is a statement's period end).
    pub mail_to: Option<Name>,
    pub subject: Option<Text<500>>,
    pub body: Option<LongText>,
}

/// `save_batch_pdf`: several documents in one PDF.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveBatchPdf {
    #[serde(default)]
    pub items: List<DocumentLayout, 10000>,
    /// A file name, never a path; `.pdf` is added.
    pub file_name: Option<Text<100>>,
}

/// What `save_export` writes: the hledger journal or one of the CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SaveExportKind {
    Hledger,
    Journal,
    Customers,
    Invoices,
    InvoiceLines,
    Payments,
    Ageing,
}

/// `save_export`: a file for the accountant or Excel.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveExport {
    /// The hledger journal when left out.
    pub kind: Option<SaveExportKind>,
    pub delimiter: Option<ExportDelimiter>,
    pub as_of: Option<Date>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A request type's schema.
type SchemaFn = fn() -> RootSchema;

/// Each shell command's request type, in the order of `shell_commands.in`.
pub const REQUESTS: &[(&str, SchemaFn)] = &[
    ("app_info", schema_of::<NoArgs>),
    ("save_pdf", schema_of::<SavePdf>),
    ("open_pdf", schema_of::<SavePdf>),
    ("save_batch_pdf", schema_of::<SaveBatchPdf>),
    ("save_export", schema_of::<SaveExport>),
    ("backup_now", schema_of::<NoArgs>),
    ("list_backups", schema_of::<NoArgs>),
    ("restore_backup", schema_of::<RestoreBackup>),
    ("save_copy", schema_of::<NoArgs>),
    ("books_health", schema_of::<NoArgs>),
    ("open_sample", schema_of::<OpenSample>),
    ("leave_sample", schema_of::<NoArgs>),
    ("startup_mark", schema_of::<StartupMark>),
    ("connect_server", schema_of::<ConnectServer>),
    ("disconnect_server", schema_of::<NoArgs>),
];

/// `ui/commands.d.ts`: every command the webview may call (the core's and the shell's) with
/// its request type.
pub fn typescript() -> String {
    use esep_core::ts::Declared;
    let mut all: Vec<Declared> = esep_core::api::COMMANDS
        .iter()
        .map(|c| Declared {
            name: c.name,
            summary: c.summary,
            request: Some(c.request_schema()),
        })
        .collect();
    all.extend(REQUESTS.iter().map(|(n, schema)| Declared {
        name: n,
        summary: "A command of the shell (window, files, dialogs)",
        request: Some(schema()),
    }));
    esep_core::ts::declarations(&all)
}

fn no_args(args: &Value) -> Result<(), Error> {
    parse_known::<NoArgs>(args).map(|_| ())
}

pub async fn call<R: Runtime>(
    webview: &Webview<R>,
    state: &AppState,
    name: &str,
    args: &Value,
) -> Result<Value, ErrorPayload> {
    let result = match name {
        "app_info" => no_args(args).map(|()| app_info(state)),
        // The UI's start-up milestones for the app bench (nothing happens without --trace-start).
        "startup_mark" => parse_known::<StartupMark>(args).map(|r| {
            crate::startup_mark(&r.label);
            Value::Null
        }),
        "connect_server" => match parse_known::<ConnectServer>(args) {
            Ok(req) => {
                let st = state.clone();
                tauri::async_runtime::spawn_blocking(move || {
                    let url = esep_core::server::address(
                        req.host.as_str(),
                        req.port,
                        req.database.as_str(),
                        req.user.as_str(),
                    )?;
                    let password = req.password.map(Text::into_string).filter(|p| !p.is_empty());
                    st.connect_server(&url, password, req.remember)
                })
                .await
                .map_err(|e| Error::Internal(format!("connect task: {e}")))
                .and_then(|r| r)
                .map(|outcome| {
                    let mut info = app_info(state);
                    info["passwordKept"] = json!(outcome.password_kept);
                    info
                })
            }
            Err(e) => Err(e),
        },
        "disconnect_server" => {
            no_args(args).map_err(|e| e.to_logged_payload(name))?;
            let st = state.clone();
            tauri::async_runtime::spawn_blocking(move || st.disconnect_server())
                .await
                .map_err(|e| Error::Internal(format!("disconnect task: {e}")))
                .and_then(|r| r)
                .map(|()| app_info(state))
        }
        "save_pdf" => save_pdf(webview, state, args, false).await,
        "open_pdf" => save_pdf(webview, state, args, true).await,
        "save_batch_pdf" => save_batch(webview, state, args).await,
        "save_export" => save_export(webview, state, args).await,
        "backup_now" => {
            no_args(args).map_err(|e| e.to_logged_payload(name))?;
            let st = state.clone();
            tauri::async_runtime::spawn_blocking(move || st.backup(false))
                .await
                .map_err(|e| Error::Internal(format!("backup task: {e}")))
                .and_then(|r| r)
                .map(|p| json!({"path": p.map(|p| p.display().to_string())}))
        }
        "list_backups" => no_args(args).map(|()| {
            json!({
                "backups": state.data_dir().map(|d| esep_core::backup::entries(&d)).unwrap_or_default(),
                "folder": state.data_dir().map(|d| esep_core::backup::backup_dir(&d).display().to_string()),
            })
        }),
        "restore_backup" => {
            let st = state.clone();
            let name = parse_known::<RestoreBackup>(args).map_err(|e| e.to_logged_payload(name))?.name.map(Text::into_string);
            tauri::async_runtime::spawn_blocking(move || st.restore(name.as_deref()))
                .await
                .map_err(|e| Error::Internal(format!("restore task: {e}")))
                .and_then(|r| r)
        }
        "save_copy" => match no_args(args) {
            Ok(()) => save_copy(webview, state).await,
            Err(e) => Err(e),
        },
        "open_sample" => match parse_known::<OpenSample>(args) {
            Ok(req) => {
                let lang = req.language.unwrap_or(Lang::En);
                let st = state.clone();
                tauri::async_runtime::spawn_blocking(move || st.open_sample(lang))
                    .await
                    .map_err(|e| Error::Internal(format!("sample task: {e}")))
                    .and_then(|r| r)
                    .map(|()| app_info(state))
            }
            Err(e) => Err(e),
        },
        "leave_sample" => {
            no_args(args).map_err(|e| e.to_logged_payload(name))?;
            let st = state.clone();
            tauri::async_runtime::spawn_blocking(move || st.leave_sample())
                .await
                .map_err(|e| Error::Internal(format!("sample task: {e}")))
                .map(|()| app_info(state))
        }
        // The background check started when the books opened: pending, sound, or its problems.
        "books_health" => match no_args(args).map(|()| state.health()) {
            Err(e) => Err(e),
            Ok(None) => Ok(json!({"done": false})),
            Ok(Some(Ok(problems))) => Ok(json!({"done": true, "ok": problems.is_empty(), "problems": problems})),
            Ok(Some(Err(e))) => Ok(json!({"done": true, "ok": false, "problems": [{"rule": "check_failed", "detail": e.message}]})),
        },
        _ => Err(Error::not_found("command")),
    };
    result.map_err(|e| e.to_logged_payload(name))
}

/// `app_info`: where the data lives, whether the books could be opened, and for shared books
/// the server and the role of whoever is signed in (the window shows only what it may do).
pub fn app_info(state: &AppState) -> Value {
    let dir = state.data_dir();
    let server = state.server();
    let pending = state.pending_server().map(|url| {
        let (host, port, database, user) = crate::server_link::parts(&url);
        json!({"host": host, "port": port, "database": database, "user": user})
    });
    let role = match &server {
        Some(s) => s.role.map(|r| r.as_str()),
        None if pending.is_some() => None,
        None => Some("owner"),
    };
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "dataDir": dir.as_ref().map(|d| d.display().to_string()),
        "database": if server.is_some() || pending.is_some() { None } else { dir.as_ref().map(|d| db_path(d).display().to_string()) },
        "server": server,
        "pendingServer": pending,
        "role": role,
        "openError": state.open_error(),
        "os": std::env::consts::OS,
        "exportDirOverride": std::env::var_os("ESEP_EXPORT_DIR").is_some(),
        "sample": state.is_sample(),
    })
}

fn export_dir() -> Option<PathBuf> {
    std::env::var_os("ESEP_EXPORT_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Asks where to save (or uses the test directory); `None` when the user cancels.
async fn choose_path<R: Runtime>(
    webview: &Webview<R>,
    suggested: &str,
    filter: (&str, &str),
) -> Result<Option<PathBuf>, Error> {
    if let Some(dir) = export_dir() {
        return Ok(Some(dir.join(suggested)));
    }
    let dialog = webview.dialog().clone();
    let suggested = suggested.to_string();
    let (label, ext) = (filter.0.to_string(), filter.1.to_string());
    tauri::async_runtime::spawn_blocking(move || {
        dialog
            .file()
            .set_file_name(suggested)
            .add_filter(label, &[ext.as_str()])
            .blocking_save_file()
            .and_then(|p| p.as_path().map(Path::to_path_buf))
    })
    .await
    .map_err(|e| Error::Internal(format!("dialog task: {e}")))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    // Through a fresh temporary name beside the target, then a rename: a full disk never leaves
    // half a PDF behind, and no fixed `x.part` sibling can be planted or shared.
    esep_core::files::write_atomic_shared(path, bytes).map_err(|e| Error::Conflict {
        key: if e.kind() == std::io::ErrorKind::PermissionDenied {
            "error.cannotWriteFile"
        } else {
            "error.diskFull"
        },
        field: None,
    })
}

/// What the operating system should open: a file in its viewer, a `mailto:` link in the mail
/// client, or a saved file shown selected in its folder.
pub enum Open<'a> {
    Path(&'a Path),
    Url(&'a str),
    Reveal(&'a Path),
}

/// Opens with the system, through the official opener plugin's Rust API (`ShellExecuteW` on
/// Windows, `NSWorkspace` on macOS, the desktop portal or `xdg-open` on Linux): no command line
/// is built by hand, so a `&` in a mailto: link or a folder named `R&D` is just a character.
pub fn open_with_system(target: Open) -> Result<(), Error> {
    if export_dir().is_some() {
        return Ok(()); // tests: never launch viewers
    }
    let (shown, result) = match target {
        Open::Path(p) => (
            p.display().to_string(),
            tauri_plugin_opener::open_path(p, None::<&str>),
        ),
        Open::Url(u) => (
            u.chars().take(60).collect(),
            tauri_plugin_opener::open_url(u, None::<&str>),
        ),
        Open::Reveal(p) => (
            p.display().to_string(),
            tauri_plugin_opener::reveal_item_in_dir(p),
        ),
    };
    result.map_err(|e| Error::Internal(format!("cannot open {shown}: {e}")))
}

/// Where Print puts the PDF it hands to the viewer: `<app cache>/print`, the user's alone
/// (`0700`; not the shared temporary directory, where another user could pre-create the folder
/// or swap the file before the viewer opens it).
fn print_dir<R: Runtime>(webview: &Webview<R>) -> Result<PathBuf, Error> {
    use tauri::Manager;
    let dir = match export_dir() {
        Some(d) => d,
        None => webview
            .app_handle()
            .path()
            .app_cache_dir()
            .map_err(|e| Error::Internal(format!("no cache directory: {e}")))?
            .join("print"),
    };
    esep_core::files::private_dir(&dir).map_err(|_| Error::Conflict {
        key: "error.cannotWriteFile",
        field: None,
    })?;
    Ok(dir)
}

/// `save_pdf {kind, id, from?, to?, envelope?, email?, mailTo?, subject?, body?}` / `open_pdf {…}`: renders the document,
/// saves it where the user says (or into a temporary file for `open_pdf`, then opens the
/// system viewer for printing). Saving an invoice logs it in the sending log as saved; `email:
/// true` also opens the mail client with the customer's address, subject and body filled in
/// (the window then asks whether it was sent, and only then logs it as emailed).
async fn save_pdf<R: Runtime>(
    webview: &Webview<R>,
    state: &AppState,
    args: &Value,
    open: bool,
) -> Result<Value, Error> {
    let req = parse_known::<SavePdf>(args)?;
    let doc = DocumentLayout {
        kind: req.kind,
        id: req.id,
        from: req.from,
        to: req.to,
        envelope: req.envelope,
    }
    .request()?;
    let st = state.clone();
    let (name, bytes) =
        tauri::async_runtime::spawn_blocking(move || st.with_ctx(|ctx| render_one(ctx, &doc)))
            .await
            .map_err(|e| Error::Internal(format!("render task: {e}")))??;
    let path = if open {
        print_dir(webview)?.join(&name)
    } else {
        match choose_path(webview, &name, ("PDF", "pdf")).await? {
            Some(p) => p,
            None => return Ok(json!({"cancelled": true})),
        }
    };
    write_file(&path, &bytes)?;
    // The accountant on shared books reads and exports: a copy saved is not the shop sending
    // the invoice (and the server would refuse the log).
    let reader = state.server().and_then(|s| s.role) == Some(esep_core::server::Role::Accountant);
    if let (DocumentKind::Invoice, Some(Id(id)), false, false) = (req.kind, req.id, open, reader) {
        // Saved, not yet sent: an email counts (and can start an "after receipt" due date) only
        // when the owner confirms it left, which the window asks once the mail client opened.
        // On a blocking thread: shared books' client must not run inside the async runtime.
        let st = state.clone();
        tauri::async_runtime::spawn_blocking(move || {
            st.call("record_sending", &json!({"invoiceId": id, "kind": "pdf"}))
        })
        .await
        .map_err(|e| Error::Internal(format!("record task: {e}")))?
        .map_err(|p| Error::Internal(p.message))?;
    }
    if open {
        open_with_system(Open::Path(&path))?;
    }
    let mut mailto = None;
    if req.email {
        let subject = req.subject.map_or_else(
            || name.trim_end_matches(".pdf").to_string(),
            Text::into_string,
        );
        let body = req.body.map(Text::into_string).unwrap_or_default();
        // `mailTo`, not `to`: `to` is a statement's period end, read by the same request.
        let to = req.mail_to.map(Text::into_string).unwrap_or_default();
        let url = format!(
            "mailto:{}?subject={}&body={}",
            encode(&to),
            encode(&subject),
            encode(&body)
        );
        open_with_system(Open::Url(&url))?;
        // The saved PDF, selected in its folder, ready to drag into the message.
        open_with_system(Open::Reveal(&path))?;
        mailto = Some(url);
    }
    Ok(
        json!({"path": path.display().to_string(), "fileName": name, "bytes": bytes.len(), "mailto": mailto}),
    )
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `save_batch_pdf {items: [{kind, id, ...}], fileName?}`: one PDF, each document on new pages,
/// progress emitted as `pdf-progress` {done, total}.
async fn save_batch<R: Runtime>(
    webview: &Webview<R>,
    state: &AppState,
    args: &Value,
) -> Result<Value, Error> {
    let req = parse_known::<SaveBatchPdf>(args)?;
    // A name from the UI or a script: never a path (`..`, absolute), always `.pdf`.
    let name = esep_core::books::documents::pdf_file_name(
        &req.file_name
            .map_or_else(|| format!("Esep-{}", state.today()), Text::into_string),
    );
    if req.items.is_empty() {
        return Err(Error::invalid("items", "error.required"));
    }
    let reqs = req
        .items
        .0
        .into_iter()
        .enumerate()
        .map(|(i, d)| d.request().map_err(|e| prefix(e, i)))
        .collect::<Result<Vec<_>, _>>()?;
    let st = state.clone();
    let wv = webview.clone();
    let bytes = tauri::async_runtime::spawn_blocking(move || {
        st.with_ctx(|ctx| {
            render_batch(ctx, &reqs, |done, total| {
                let _ = wv.emit("pdf-progress", json!({"done": done, "total": total}));
            })
        })
    })
    .await
    .map_err(|e| Error::Internal(format!("render task: {e}")))??;
    let Some(path) = choose_path(webview, &name, ("PDF", "pdf")).await? else {
        return Ok(json!({"cancelled": true}));
    };
    write_file(&path, &bytes)?;
    Ok(json!({"path": path.display().to_string(), "bytes": bytes.len()}))
}

fn prefix(e: Error, i: usize) -> Error {
    match e {
        Error::Validation { field, key } => Error::Validation {
            field: format!("items[{i}].{field}"),
            key,
        },
        other => other,
    }
}

/// `save_copy`: a verified copy of the whole books, where the user says ("Save a copy as…").
async fn save_copy<R: Runtime>(webview: &Webview<R>, state: &AppState) -> Result<Value, Error> {
    let name = format!("Esep-copy-{}.sqlite3", state.today());
    let Some(path) = choose_path(webview, &name, ("Esep", "sqlite3")).await? else {
        return Ok(json!({"cancelled": true}));
    };
    let st = state.clone();
    let dest = path.clone();
    tauri::async_runtime::spawn_blocking(move || st.save_copy(&dest))
        .await
        .map_err(|e| Error::Internal(format!("copy task: {e}")))??;
    Ok(json!({"path": path.display().to_string()}))
}

/// `save_export {kind: hledger|journal|customers|invoices|invoice_lines|payments|ageing, delimiter?, asOf?}`:
/// a file for the accountant or Excel, saved where the user says. The core builds the text;
/// it never crosses the IPC boundary.
async fn save_export<R: Runtime>(
    webview: &Webview<R>,
    state: &AppState,
    args: &Value,
) -> Result<Value, Error> {
    let req = parse_known::<SaveExport>(args)?;
    let csv_kind = match req.kind.unwrap_or(SaveExportKind::Hledger) {
        SaveExportKind::Hledger => None,
        SaveExportKind::Journal => Some(ExportKind::Journal),
        SaveExportKind::Customers => Some(ExportKind::Customers),
        SaveExportKind::Invoices => Some(ExportKind::Invoices),
        SaveExportKind::InvoiceLines => Some(ExportKind::InvoiceLines),
        SaveExportKind::Payments => Some(ExportKind::Payments),
        SaveExportKind::Ageing => Some(ExportKind::Ageing),
    };
    let st = state.clone();
    let (text, name, hledger) = tauri::async_runtime::spawn_blocking(move || {
        st.with_ctx(|ctx| match csv_kind {
            None => {
                use esep_core::books::reports::{export_journal, ExportJournal, JournalFormat};
                let out = export_journal(
                    ctx,
                    ExportJournal {
                        format: Some(JournalFormat::Hledger),
                        from: None,
                        to: None,
                    },
                )?;
                Ok((out.text, format!("esep-{}.journal", ctx.today), true))
            }
            Some(kind) => {
                let out = esep_core::books::transfer::export(
                    ctx,
                    ExportCsv {
                        kind,
                        delimiter: req.delimiter,
                        as_of: req.as_of,
                        from: req.from,
                        to: req.to,
                    },
                )?;
                Ok((out.text, out.file_name, false))
            }
        })
    })
    .await
    .map_err(|e| Error::Internal(format!("export task: {e}")))??;
    let filter = if hledger {
        ("hledger", "journal")
    } else {
        ("CSV", "csv")
    };
    let Some(path) = choose_path(webview, &name, filter).await? else {
        return Ok(json!({"cancelled": true}));
    };
    write_file(&path, text.as_bytes())?;
    Ok(json!({"path": path.display().to_string(), "bytes": text.len()}))
}
