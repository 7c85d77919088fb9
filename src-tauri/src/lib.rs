//! The Esep desktop shell: a Tauri window over `esep-core`.
//!
//! Every core command (`esep_core::api::COMMANDS`) is reachable from the webview through one
//! generic invoke handler, so the CLI and the app can never drift apart; Tauri's ACL still
//! checks each command against the capability file before the handler runs. Commands run on a
//! blocking thread (never the main thread), so the window never freezes.

pub mod ipc;
pub mod shell_commands;
pub mod state;

use state::AppState;
use std::path::PathBuf;
use tauri::{Builder, Runtime};

/// Where the data lives: `--data-dir DIR`, else `ESEP_DATA_DIR`, else the OS app-data directory.
pub fn data_dir_override() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(v));
        }
    }
    std::env::var_os("ESEP_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Adds Esep's state and commands to a builder (the real one or `tauri::test::mock_builder()`).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(ipc::handler::<R>)
}

/// Starts the app.
pub fn run() {
    let context = tauri::generate_context!();
    let builder = tauri::Builder::default().setup(|app| {
        use tauri::Manager;
        let dir = match data_dir_override() {
            Some(d) => d,
            None => app.path().app_data_dir()?,
        };
        app.state::<AppState>().open(&dir);
        Ok(())
    });
    build_app(builder, AppState::default())
        .run(context)
        .expect("error while running Esep");
}
