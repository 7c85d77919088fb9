//! Commands through Tauri's real IPC path (`tauri::test::mock_builder`), with the app's own
//! capabilities: argument casing, the success JSON and the error JSON shape.

use esep::state::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn app() -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = esep::build_app(
        mock_builder(),
        AppState::in_memory(esep_core::NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date")),
    )
    .build(tauri::generate_context!())
    .expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");
    (app, window)
}

fn invoke(
    window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("JSON response"))
}

#[test]
fn a_command_takes_camel_case_arguments_and_answers_camel_case_json() {
    let (_app, w) = app();
    let profile = invoke(&w, "save_profile", json!({"name": "Алма Сервис", "currency": "KZT", "language": "kk", "defaultTermsId": 5, "bankBic": "KCJBKZKX"}))
        .expect("save_profile succeeds");
    assert_eq!(
        profile["bankBic"], "KCJBKZKX",
        "camelCase in, camelCase out"
    );
    assert_eq!(profile["defaultTermsId"], 5);
    let c = invoke(
        &w,
        "create_customer",
        json!({"name": "Қайрат", "transitDays": 5}),
    )
    .expect("create_customer");
    assert_eq!(c["transitDays"], 5);
    assert_eq!(
        c["currency"], "KZT",
        "a new customer takes the home currency"
    );
    assert_eq!(
        c["balance"], "0.00",
        "amounts are decimal strings with the currency's digits"
    );
}

#[test]
fn an_error_reaches_the_webview_as_code_message_and_field() {
    let (_app, w) = app();
    let err = invoke(
        &w,
        "save_profile",
        json!({"name": "", "currency": "KZT", "language": "kk"}),
    )
    .expect_err("empty name is refused");
    assert_eq!(
        err,
        json!({"code": "validation", "message": "error.required", "field": "name"})
    );
    let err = invoke(&w, "get_customer", json!({"id": 999})).expect_err("unknown id");
    assert_eq!(err["code"], "not_found");
    assert_eq!(err["field"], "id");
    invoke(
        &w,
        "save_profile",
        json!({"name": "Shop", "currency": "KZT", "language": "ru"}),
    )
    .unwrap();
    let c = invoke(&w, "create_customer", json!({"name": "Ann"})).unwrap();
    let err = invoke(&w, "record_charge", json!({"customerId": c["id"], "serviceDate": "2026-02-30", "description": "x", "unitPrice": "1"}))
        .expect_err("February 30th does not exist");
    assert_eq!(
        err,
        json!({"code": "validation", "message": "error.badDate", "field": "serviceDate"})
    );
}

#[test]
fn amounts_as_json_floats_are_refused_because_they_are_not_exact() {
    let (_app, w) = app();
    invoke(
        &w,
        "save_profile",
        json!({"name": "Shop", "currency": "USD", "language": "en"}),
    )
    .unwrap();
    let c = invoke(&w, "create_customer", json!({"name": "Ann"})).unwrap();
    let err = invoke(&w, "record_charge", json!({"customerId": c["id"], "serviceDate": "2026-11-01", "description": "x", "unitPrice": 0.1}))
        .expect_err("a float price");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("unitPrice"))
    );
}

#[test]
fn commands_that_are_not_ours_are_rejected() {
    let (_app, w) = app();
    let err = invoke(&w, "drop_everything", json!({})).expect_err("unknown command");
    let text = err.as_str().unwrap_or_default();
    assert!(
        text.contains("drop_everything"),
        "Tauri refuses a command outside our list by name: {err}"
    );
}

#[test]
fn stateless_commands_work_even_when_the_books_could_not_open() {
    let state = AppState::default();
    let dir = tempfile::tempdir().unwrap();
    let _held = esep_core::lock::WriterLock::acquire(&esep::state::db_path(dir.path())).unwrap();
    state.open(dir.path());
    let err = state
        .call("get_profile", &json!({}))
        .expect_err("the database is held by another writer");
    assert_eq!(err.message, "error.databaseInUse");
    let cat = state
        .call("get_catalogue", &json!({"language": "kk"}))
        .expect("catalogues need no database");
    assert_eq!(
        cat["error.databaseInUse"]
            .as_str()
            .map(|s| s.contains("Esep")),
        Some(true)
    );
}

#[test]
fn a_batch_pdf_name_from_the_webview_never_leaves_the_chosen_folder() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    // The test stand-in for the save dialog: files go into this folder (no other test here saves).
    std::env::set_var("ESEP_EXPORT_DIR", &exports);
    let (_app, w) = app();
    invoke(
        &w,
        "save_profile",
        json!({"name": "Shop", "currency": "KZT", "language": "ru"}),
    )
    .unwrap();
    let c = invoke(&w, "create_customer", json!({"name": "Ann"})).unwrap();
    let d = invoke(&w, "create_invoice", json!({"customerId": c["id"], "lines": [{"description": "x", "quantity": "1", "unitPrice": "10"}]})).unwrap();
    invoke(
        &w,
        "issue_invoice",
        json!({"id": d["id"], "issueDate": "2026-11-27"}),
    )
    .unwrap();
    for (given, expect) in [
        ("../../escaped", "escaped.pdf"),
        ("/tmp/abs.PDF", "tmp-abs.pdf"),
        ("notes.txt", "notes-txt.pdf"),
    ] {
        let out = invoke(
            &w,
            "save_batch_pdf",
            json!({"items": [{"kind": "invoice", "id": d["id"]}], "fileName": given}),
        )
        .expect("saved");
        let path = std::path::PathBuf::from(out["path"].as_str().unwrap());
        assert_eq!(
            path.parent(),
            Some(exports.as_path()),
            "{given}: saved in the chosen folder"
        );
        assert_eq!(
            path.file_name().and_then(|n| n.to_str()),
            Some(expect),
            "{given}"
        );
        assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    }
    assert!(!dir.path().join("escaped").exists() && !dir.path().join("escaped.pdf").exists());
    let left: Vec<String> = std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter()
            .all(|n| n.ends_with(".pdf") && !n.starts_with('.')),
        "no temporary file left behind: {left:?}"
    );
}

#[cfg(unix)]
#[test]
fn the_books_their_folder_and_their_backups_are_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("Esep data");
    let state = AppState::default();
    state.open(&data);
    assert_eq!(state.open_error(), None);
    assert_eq!(mode(&data), 0o700, "the data directory");
    let db = esep::state::db_path(&data);
    assert_eq!(mode(&db), 0o600, "the books");
    let mut lock = db.clone().into_os_string();
    lock.push(".lock");
    assert_eq!(mode(std::path::Path::new(&lock)), 0o600, "the writer lock");
    let backup = state.backup(false).unwrap().expect("a backup");
    assert_eq!(mode(backup.parent().unwrap()), 0o700, "backups/");
    assert_eq!(mode(&backup), 0o600, "a backup");
    let names: Vec<String> = std::fs::read_dir(backup.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("partial")),
        "no temporary copy left: {names:?}"
    );
}

/// Shared books on a server from the shell (#23): connecting from Settings, who is signed in,
/// the other desktops' writes heard, a refused connection changing nothing, and back to the
/// books on this computer.
#[test]
fn shared_books_connect_hear_the_other_desktops_and_disconnect() {
    use esep::state::BooksEvent;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    let today = esep_core::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let cluster = esep_pgtest::Cluster::shared();
    let name = cluster.fresh_database().unwrap();
    let url = cluster.url(&name);
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::pinned(today);
    let events: Arc<Mutex<Vec<BooksEvent>>> = Arc::default();
    let heard = events.clone();
    state.set_on_change(Arc::new(move |e| heard.lock().unwrap().push(e)));
    state.open(dir.path());
    state
        .call("save_profile", &json!({"name": "Дүкен на этом компьютере", "currency": "KZT", "language": "kk", "defaultTermsId": 5}))
        .expect("the local books work");
    // A database the server does not have: the field is named, the local books stay open.
    let missing = state
        .connect_server(&cluster.url("no_such_books"), None, false)
        .unwrap_err();
    assert_eq!(missing.message_key(), "error.serverNoBooks");
    assert_eq!(missing.field(), Some("database"));
    assert!(state.server().is_none());
    assert!(!dir.path().join("server.json").exists());
    assert_eq!(
        state.call("get_profile", &json!({})).unwrap()["name"],
        "Дүкен на этом компьютере"
    );
    // The shared books: the address is remembered, never a password; the cluster's superuser
    // is the owner.
    state.connect_server(&url, None, false).expect("connects");
    let info = esep::shell_commands::app_info(&state);
    assert_eq!(info["server"]["database"], name.as_str());
    assert_eq!(info["role"], "owner");
    assert!(info["database"].is_null(), "no local file is in use");
    let saved = std::fs::read_to_string(dir.path().join("server.json")).unwrap();
    assert!(saved.contains(&name) && !saved.contains("password"));
    assert!(
        state.call("get_profile", &json!({})).unwrap().is_null(),
        "new shared books have no shop yet"
    );
    state
        .call("save_profile", &json!({"name": "Ортақ дүкен", "currency": "KZT", "language": "kk", "defaultTermsId": 5}))
        .unwrap();
    // Another desktop writes: this one hears it (its own writes above are not news).
    let wait_for = |want: &BooksEvent| {
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if events.lock().unwrap().contains(want) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        !events.lock().unwrap().contains(&BooksEvent::Changed),
        "its own writes are not announced to itself: {:?}",
        events.lock().unwrap()
    );
    let mut other = esep_core::db::open_postgres(&esep_core::sql::PgConfig::new(&url)).unwrap();
    let mut ctx = esep_core::Ctx::new(&mut other, today);
    esep_core::api::call(&mut ctx, "create_customer", &json!({"name": "ТОО Север"})).unwrap();
    assert!(
        wait_for(&BooksEvent::Changed),
        "the other desktop's write was heard"
    );
    let customers = state.call("search_customers", &json!({})).unwrap();
    assert_eq!(customers["rows"][0]["name"], "ТОО Север");
    // Backups are the server's business.
    let err = state.backup(false).unwrap_err();
    assert_eq!(err.message_key(), "error.backupOnServer");
    // Reopening the data directory (the next launch) opens the shared books again.
    let next = AppState::pinned(today);
    next.open(dir.path());
    assert_eq!(next.server().map(|s| s.database), Some(name.clone()));
    drop(next);
    // Back to this computer's books, untouched.
    state.disconnect_server().unwrap();
    assert!(state.server().is_none());
    assert!(!dir.path().join("server.json").exists());
    assert_eq!(
        state.call("get_profile", &json!({})).unwrap()["name"],
        "Дүкен на этом компьютере"
    );
}
