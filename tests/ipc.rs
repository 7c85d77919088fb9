//! Commands through Tauri's real IPC path (`tauri::test::mock_builder`), with the app's own
//! capabilities: argument casing, the success JSON and the error JSON shape.

use esep::state::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn app() -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>) {
    let app = esep::build_app(mock_builder(), AppState::in_memory()).build(tauri::generate_context!()).expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window");
    (app, window)
}

fn invoke(window: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
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
    assert_eq!(profile["bankBic"], "KCJBKZKX", "camelCase in, camelCase out");
    assert_eq!(profile["defaultTermsId"], 5);
    let c = invoke(&w, "create_customer", json!({"name": "Қайрат", "transitDays": 5})).expect("create_customer");
    assert_eq!(c["transitDays"], 5);
    assert_eq!(c["currency"], "KZT", "a new customer takes the home currency");
    assert_eq!(c["balance"], "0.00", "amounts are decimal strings with the currency's digits");
}

#[test]
fn an_error_reaches_the_webview_as_code_message_and_field() {
    let (_app, w) = app();
    let err = invoke(&w, "save_profile", json!({"name": "", "currency": "KZT", "language": "kk"})).expect_err("empty name is refused");
    assert_eq!(err, json!({"code": "validation", "message": "error.required", "field": "name"}));
    let err = invoke(&w, "get_customer", json!({"id": 999})).expect_err("unknown id");
    assert_eq!(err["code"], "not_found");
    assert_eq!(err["field"], "id");
    invoke(&w, "save_profile", json!({"name": "Shop", "currency": "KZT", "language": "ru"})).unwrap();
    let c = invoke(&w, "create_customer", json!({"name": "Ann"})).unwrap();
    let err = invoke(&w, "record_charge", json!({"customerId": c["id"], "serviceDate": "2026-02-30", "description": "x", "unitPrice": "1"}))
        .expect_err("February 30th does not exist");
    assert_eq!(err, json!({"code": "validation", "message": "error.badDate", "field": "serviceDate"}));
}

#[test]
fn amounts_as_json_floats_are_refused_because_they_are_not_exact() {
    let (_app, w) = app();
    invoke(&w, "save_profile", json!({"name": "Shop", "currency": "USD", "language": "en"})).unwrap();
    let c = invoke(&w, "create_customer", json!({"name": "Ann"})).unwrap();
    let err = invoke(&w, "record_charge", json!({"customerId": c["id"], "serviceDate": "2026-11-01", "description": "x", "unitPrice": 0.1}))
        .expect_err("a float price");
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("validation"), Some("unitPrice")));
}

#[test]
fn commands_that_are_not_ours_are_rejected() {
    let (_app, w) = app();
    let err = invoke(&w, "drop_everything", json!({})).expect_err("unknown command");
    let text = err.as_str().unwrap_or_default();
    assert!(text.contains("drop_everything"), "Tauri refuses a command outside our list by name: {err}");
}

#[test]
fn stateless_commands_work_even_when_the_books_could_not_open() {
    let state = AppState::default();
    let dir = tempfile::tempdir().unwrap();
    let _held = esep_core::lock::WriterLock::acquire(&esep::state::db_path(dir.path())).unwrap();
    state.open(dir.path());
    let err = state.call("get_profile", &json!({})).expect_err("the database is held by another writer");
    assert_eq!(err.message, "error.databaseInUse");
    let cat = state.call("get_catalogue", &json!({"language": "kk"})).expect("catalogues need no database");
    assert_eq!(cat["error.databaseInUse"].as_str().map(|s| s.contains("Esep")), Some(true));
}
