//! Commands the shell implements itself: they need the window, the file system or dialogs.

use crate::state::{db_path, AppState};
use esep_core::ErrorPayload;
use serde_json::{json, Value};
use tauri::{Runtime, Webview};

/// Names, from the same file build.rs reads.
pub const NAMES: &[&str] = &include!("shell_commands.in");

pub async fn call<R: Runtime>(
    _webview: &Webview<R>,
    state: &AppState,
    name: &str,
    _args: &Value,
) -> Result<Value, ErrorPayload> {
    match name {
        "app_info" => Ok(app_info(state)),
        _ => Err(esep_core::Error::not_found("command").to_payload()),
    }
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
    })
}
