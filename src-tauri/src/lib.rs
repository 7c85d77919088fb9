//! The Esep desktop shell: a Tauri window over `esep-core`.
//!
//! Every core command (`esep_core::api::COMMANDS`) is reachable from the webview through one
//! generic invoke handler, so the CLI and the app can never drift apart; Tauri's ACL still
//! checks each command against the capability file before the handler runs. Commands run on a
//! blocking thread (never the main thread), so the window never freezes.

pub mod instance;
pub mod ipc;
pub mod menu;
pub mod server_link;
pub mod shell_commands;
pub mod state;

use state::AppState;
use std::path::PathBuf;
use tauri::{Builder, Runtime};

/// The value of `--name VALUE` or `--name=VALUE` on the command line.
fn flag(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    let long = format!("--{name}");
    while let Some(a) = args.next() {
        if a == long {
            return args.next();
        }
        if let Some(v) = a.strip_prefix(&format!("{long}=")) {
            return Some(v.to_string());
        }
    }
    None
}

/// Where the data lives: `--data-dir DIR`, else `ESEP_DATA_DIR`, else the OS app-data directory.
pub fn data_dir_override() -> Option<PathBuf> {
    flag("data-dir").map(PathBuf::from).or_else(|| {
        std::env::var_os("ESEP_DATA_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// Command-line equivalents of the test and portable-use variables, for launchers that do not
/// pass the environment through (WebDriver does not): `--today YYYY-MM-DD` (the test clock,
/// `ESEP_TODAY`) and `--export-dir DIR` (save PDFs there instead of asking, `ESEP_EXPORT_DIR`).
fn apply_flags() {
    // Runs first thing in `run`, before any other thread exists.
    if let Some(d) = flag("today") {
        std::env::set_var("ESEP_TODAY", d);
    }
    if let Some(d) = flag("export-dir") {
        std::env::set_var("ESEP_EXPORT_DIR", d);
    }
    if let Some(f) = flag("trace-start") {
        std::env::set_var("ESEP_TRACE_START", f);
    }
    // `--books postgres://user@host/db`: shared books on a server for this launch (Settings →
    // Shared books remembers an address instead).
    if let Some(url) = flag("books") {
        state::set_books_override(Some(url));
    }
}

/// Adds Esep's state and commands to a builder (the real one or `tauri::test::mock_builder()`).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(ipc::handler::<R>)
}

/// Start-up milestones for the app bench (`tests/bench/app.rs`): with `ESEP_TRACE_START=FILE`,
/// appends "label epoch-milliseconds" lines; otherwise nothing.
pub fn startup_mark(label: &str) {
    use std::io::Write;
    if let Some(path) = std::env::var_os("ESEP_TRACE_START") {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{label} {ms:.1}");
        }
    }
}

/// Starts the app.
pub fn run() {
    apply_flags();
    startup_mark("main");
    let context = tauri::generate_context!();
    let builder = tauri::Builder::default().on_menu_event(|app, event| {
        use tauri::{Emitter, Manager};
        if event.id() == menu::SETTINGS_ID {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.emit("open-settings", ());
            }
        }
    });
    let builder = builder.setup(|app| {
        use tauri::Manager;
        let over = data_dir_override();
        let dir = match &over {
            Some(d) => d.clone(),
            None => app.path().app_data_dir()?,
        };
        let state = app.state::<AppState>();
        startup_mark("setup");
        // Shared books: the other desktops' writes and the server's comings and goings, to the
        // window (which refreshes what it shows, or says the server is away).
        let handle = app.handle().clone();
        state.set_on_change(std::sync::Arc::new(move |event| {
            use tauri::Emitter;
            if let Some(w) = handle.get_webview_window("main") {
                let _ = match event {
                    state::BooksEvent::Changed => w.emit("books-changed", ()),
                    state::BooksEvent::Reachable(up) => w.emit("server-reachable", up),
                };
            }
        }));
        state.open(&dir);
        startup_mark("books-open");
        // The menu bar a Mac user expects (About, Settings… ⌘,, Hide, Quit, Edit for copy and
        // paste); Windows and Linux keep the window without one.
        #[cfg(target_os = "macos")]
        app.set_menu(menu::build(app.handle(), state.books_language())?)?;
        let in_use = state
            .open_error()
            .map(|e| e.message == "error.databaseInUse")
            .unwrap_or(false);
        if in_use && instance::knock(&dir) {
            // These books are open in another Esep window, which has come to the front.
            std::process::exit(0);
        }
        if !in_use {
            let handle = app.handle().clone();
            let listening = instance::listen(&dir, move || {
                use tauri::Emitter;
                if let Some(w) = handle.get_webview_window("main") {
                    let _ = w.unminimize();
                    let _ = w.show();
                    let _ = w.set_focus();
                    let _ = w.emit("second-launch", ());
                }
            });
            if let Err(e) = listening {
                eprintln!("esep: a second launch will not find this window: {e}");
            }
        }
        // The window is described in tauri.conf.json ("create": false) and built here so that a
        // portable data directory also holds the webview's own storage (language choice, caches).
        let config = app
            .config()
            .app
            .windows
            .first()
            .cloned()
            .ok_or("tauri.conf.json describes no window")?;
        let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
            .on_page_load(|_, payload| {
                startup_mark(match payload.event() {
                    tauri::webview::PageLoadEvent::Started => "page-started",
                    tauri::webview::PageLoadEvent::Finished => "page-finished",
                })
            });
        if over.is_some() {
            window = window.data_directory(dir.join("webview"));
        }
        window.build()?;
        startup_mark("window-built");
        Ok(())
    });
    let app = build_app(builder, AppState::default())
        .build(context)
        .expect("error while building Esep");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            if let Err(e) = handle.state::<AppState>().backup(true) {
                eprintln!("esep: backup on close failed: {e}");
            }
        }
    });
}
