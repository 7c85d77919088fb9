//! Commands the shell implements itself: they need the window, the file system or dialogs.
//!
//! PDFs are built in Rust, the native save dialog is opened from Rust and the file is written
//! by Rust: the webview never gets a file-system or dialog permission. For tests (WebDriver
//! cannot reach native dialogs) `ESEP_EXPORT_DIR` replaces the dialog with a directory.

use crate::state::{db_path, AppState};
use esep_core::args::Args;
use esep_core::books::documents::{render_batch, render_one, Request};
use esep_core::{Error, ErrorPayload};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tauri::{Emitter, Runtime, Webview};
use tauri_plugin_dialog::DialogExt;

/// Names, from the same file build.rs reads.
pub const NAMES: &[&str] = &include!("shell_commands.in");

/// `ui/commands.d.ts`: every command the webview may call (the core's and the shell's) with
/// its request type.
pub fn typescript() -> String {
    use esep_core::ts::Declared;
    let mut all: Vec<Declared> =
        esep_core::api::COMMANDS.iter().map(|c| Declared { name: c.name, summary: c.summary, request: Some(c.request_schema()) }).collect();
    all.extend(NAMES.iter().map(|n| Declared { name: n, summary: "A command of the shell (window, files, dialogs)", request: None }));
    esep_core::ts::declarations(&all)
}

pub async fn call<R: Runtime>(webview: &Webview<R>, state: &AppState, name: &str, args: &Value) -> Result<Value, ErrorPayload> {
    let result = match name {
        "app_info" => Ok(app_info(state)),
        // The UI's start-up milestones for the app bench (nothing happens without --trace-start).
        "startup_mark" => match esep_core::args::Args::new(args).and_then(|a| a.string("label", 40)) {
            Ok(label) => {
                crate::startup_mark(&label);
                Ok(Value::Null)
            }
            Err(e) => Err(e),
        },
        "save_pdf" => save_pdf(webview, state, args, false).await,
        "open_pdf" => save_pdf(webview, state, args, true).await,
        "save_batch_pdf" => save_batch(webview, state, args).await,
        "save_export" => save_export(webview, state, args).await,
        "backup_now" => {
            let st = state.clone();
            tauri::async_runtime::spawn_blocking(move || st.backup(false))
                .await
                .map_err(|e| Error::Internal(format!("backup task: {e}")))
                .and_then(|r| r)
                .map(|p| json!({"path": p.map(|p| p.display().to_string())}))
        }
        "list_backups" => Ok(json!({
            "backups": state.data_dir().map(|d| esep_core::backup::entries(&d)).unwrap_or_default(),
            "folder": state.data_dir().map(|d| esep_core::backup::backup_dir(&d).display().to_string()),
        })),
        "restore_backup" => {
            let st = state.clone();
            let name = args.get("name").and_then(Value::as_str).map(str::to_string);
            tauri::async_runtime::spawn_blocking(move || st.restore(name.as_deref()))
                .await
                .map_err(|e| Error::Internal(format!("restore task: {e}")))
                .and_then(|r| r)
        }
        "save_copy" => save_copy(webview, state).await,
        "open_sample" => match esep_core::args::Args::new(args).and_then(|a| a.opt_choice("language", esep_core::i18n::Lang::CODES)) {
            Ok(code) => {
                let lang = code.and_then(esep_core::i18n::Lang::parse).unwrap_or(esep_core::i18n::Lang::En);
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
            let st = state.clone();
            tauri::async_runtime::spawn_blocking(move || st.leave_sample())
                .await
                .map_err(|e| Error::Internal(format!("sample task: {e}")))
                .map(|()| app_info(state))
        }
        // The background check started when the books opened: pending, sound, or its problems.
        "books_health" => match state.health() {
            None => Ok(json!({"done": false})),
            Some(Ok(problems)) => Ok(json!({"done": true, "ok": problems.is_empty(), "problems": problems})),
            Some(Err(e)) => Ok(json!({"done": true, "ok": false, "problems": [{"rule": "check_failed", "detail": e.message}]})),
        },
        _ => Err(Error::not_found("command")),
    };
    result.map_err(|e| e.to_logged_payload(name))
}

/// `app_info`: where the data lives and whether the books could be opened.
fn app_info(state: &AppState) -> Value {
    let dir = state.data_dir();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "dataDir": dir.as_ref().map(|d| d.display().to_string()),
        "database": dir.as_ref().map(|d| db_path(d).display().to_string()),
        "openError": state.open_error(),
        "os": std::env::consts::OS,
        "exportDirOverride": std::env::var_os("ESEP_EXPORT_DIR").is_some(),
        "sample": state.is_sample(),
    })
}

fn export_dir() -> Option<PathBuf> {
    std::env::var_os("ESEP_EXPORT_DIR").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Asks where to save (or uses the test directory); `None` when the user cancels.
async fn choose_path<R: Runtime>(webview: &Webview<R>, suggested: &str, filter: (&str, &str)) -> Result<Option<PathBuf>, Error> {
    if let Some(dir) = export_dir() {
        return Ok(Some(dir.join(suggested)));
    }
    let dialog = webview.dialog().clone();
    let suggested = suggested.to_string();
    let (label, ext) = (filter.0.to_string(), filter.1.to_string());
    tauri::async_runtime::spawn_blocking(move || {
        dialog.file().set_file_name(suggested).add_filter(label, &[ext.as_str()]).blocking_save_file().and_then(|p| p.as_path().map(Path::to_path_buf))
    })
    .await
    .map_err(|e| Error::Internal(format!("dialog task: {e}")))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    // Through a fresh temporary name beside the target, then a rename: a full disk never leaves
    // half a PDF behind, and no fixed `x.part` sibling can be planted or shared.
    esep_core::files::write_atomic_shared(path, bytes).map_err(|e| Error::Conflict {
        key: if e.kind() == std::io::ErrorKind::PermissionDenied { "error.cannotWriteFile" } else { "error.diskFull" },
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
        Open::Path(p) => (p.display().to_string(), tauri_plugin_opener::open_path(p, None::<&str>)),
        Open::Url(u) => (u.chars().take(60).collect(), tauri_plugin_opener::open_url(u, None::<&str>)),
        Open::Reveal(p) => (p.display().to_string(), tauri_plugin_opener::reveal_item_in_dir(p)),
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
        None => webview.app_handle().path().app_cache_dir().map_err(|e| Error::Internal(format!("no cache directory: {e}")))?.join("print"),
    };
    esep_core::files::private_dir(&dir).map_err(|_| Error::Conflict { key: "error.cannotWriteFile", field: None })?;
    Ok(dir)
}

/// `save_pdf {kind, id, from?, to?, envelope?, email?, mailTo?, subject?, body?}` / `open_pdf {…}`: renders the document,
/// saves it where the user says (or into a temporary file for `open_pdf`, then opens the
/// system viewer for printing). Saving an invoice logs it in the sending log as saved; `email:
/// true` also opens the mail client with the customer's address, subject and body filled in
/// (the window then asks whether it was sent, and only then logs it as emailed).
async fn save_pdf<R: Runtime>(webview: &Webview<R>, state: &AppState, args: &Value, open: bool) -> Result<Value, Error> {
    let req_args = args.clone();
    let st = state.clone();
    let (name, bytes) = tauri::async_runtime::spawn_blocking(move || st.with_ctx(|ctx| render_one(ctx, &Request::parse(&Args::new(&req_args)?)?)))
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
    let a = Args::new(args)?;
    let email = a.bool("email")?;
    if a.opt_choice("kind", esep_core::books::documents::KINDS)? == Some("invoice") && !open {
        let id = a.id("id")?;
        // Saved, not yet sent: an email counts (and can start an "after receipt" due date) only
        // when the owner confirms it left, which the window asks once the mail client opened.
        state.call("record_sending", &json!({"invoiceId": id, "kind": "pdf"})).map_err(|p| Error::Internal(p.message))?;
    }
    if open {
        open_with_system(Open::Path(&path))?;
    }
    let mut mailto = None;
    if email {
        let subject = a.opt_string("subject", 500)?.unwrap_or_else(|| name.trim_end_matches(".pdf").to_string());
        let body = a.text("body", 4000)?;
        // `mailTo`, not `to`: `to` is a statement's period end, read by the same request.
        let to = a.text("mailTo", 200)?;
        let url = format!("mailto:{}?subject={}&body={}", encode(&to), encode(&subject), encode(&body));
        open_with_system(Open::Url(&url))?;
        // The saved PDF, selected in its folder, ready to drag into the message.
        open_with_system(Open::Reveal(&path))?;
        mailto = Some(url);
    }
    Ok(json!({"path": path.display().to_string(), "fileName": name, "bytes": bytes.len(), "mailto": mailto}))
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `save_batch_pdf {items: [{kind, id, ...}], fileName?}`: one PDF, each document on new pages,
/// progress emitted as `pdf-progress` {done, total}.
async fn save_batch<R: Runtime>(webview: &Webview<R>, state: &AppState, args: &Value) -> Result<Value, Error> {
    let a = Args::new(args)?;
    // A name from the UI or a script: never a path (`..`, absolute), always `.pdf`.
    let name = esep_core::books::documents::pdf_file_name(&a.opt_string("fileName", 100)?.unwrap_or_else(|| format!("Esep-{}", state.today())));
    let items: Vec<Value> = args.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
    if items.is_empty() {
        return Err(Error::invalid("items", "error.required"));
    }
    let st = state.clone();
    let wv = webview.clone();
    let bytes = tauri::async_runtime::spawn_blocking(move || {
        st.with_ctx(|ctx| {
            let reqs = items
                .iter()
                .enumerate()
                .map(|(i, v)| Args::new(v).and_then(|a| Request::parse(&a)).map_err(|e| prefix(e, i)))
                .collect::<Result<Vec<_>, _>>()?;
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
        Error::Validation { field, key } => Error::Validation { field: format!("items[{i}].{field}"), key },
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
    tauri::async_runtime::spawn_blocking(move || st.save_copy(&dest)).await.map_err(|e| Error::Internal(format!("copy task: {e}")))??;
    Ok(json!({"path": path.display().to_string()}))
}

/// `save_export {kind: hledger|journal|customers|invoices|invoice_lines|payments|ageing, delimiter?, asOf?}`:
/// a file for the accountant or Excel, saved where the user says. The core builds the text;
/// it never crosses the IPC boundary.
async fn save_export<R: Runtime>(webview: &Webview<R>, state: &AppState, args: &Value) -> Result<Value, Error> {
    let req = args.clone();
    let st = state.clone();
    let (text, name, hledger) = tauri::async_runtime::spawn_blocking(move || {
        st.with_ctx(|ctx| {
            if req.get("kind").and_then(Value::as_str).unwrap_or("hledger") == "hledger" {
                let out = esep_core::api::call(ctx, "export_journal", &json!({"format": "hledger"}))?;
                Ok((out["text"].as_str().unwrap_or_default().to_string(), format!("esep-{}.journal", ctx.today), true))
            } else {
                let out = esep_core::api::call(ctx, "export_csv", &req)?;
                Ok((out["text"].as_str().unwrap_or_default().to_string(), out["fileName"].as_str().unwrap_or("esep.csv").to_string(), false))
            }
        })
    })
    .await
    .map_err(|e| Error::Internal(format!("export task: {e}")))??;
    let filter = if hledger { ("hledger", "journal") } else { ("CSV", "csv") };
    let Some(path) = choose_path(webview, &name, filter).await? else {
        return Ok(json!({"cancelled": true}));
    };
    write_file(&path, text.as_bytes())?;
    Ok(json!({"path": path.display().to_string(), "bytes": text.len()}))
}
