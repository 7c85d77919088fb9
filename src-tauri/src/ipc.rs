//! One invoke handler for every command.
//!
//! The webview calls `invoke("<command>", {…args})`; the arguments object is passed to the
//! core exactly as `esep-cli call <command> '<json>'` passes it. Errors reach the UI as
//! `{code, message, field}` (message = a translation key).

use crate::shell_commands;
use crate::state::AppState;
use esep_core::{api, Error};
use tauri::ipc::{Invoke, InvokeBody, InvokeError};
use tauri::{Manager, Runtime};

/// Handles an invoke; returns `false` for names that are not ours (Tauri answers "not found").
pub fn handler<R: Runtime>(invoke: Invoke<R>) -> bool {
    let name = invoke.message.command().to_string();
    let is_core = api::find(&name).is_some();
    let is_shell = shell_commands::NAMES.contains(&name.as_str());
    if !is_core && !is_shell {
        return false;
    }
    let args = match invoke.message.payload() {
        InvokeBody::Json(v) => v.clone(),
        InvokeBody::Raw(_) => {
            invoke
                .resolver
                .reject(Error::invalid("args", "error.argsNotObject").to_payload());
            return true;
        }
    };
    let webview = invoke.message.webview();
    let state = webview.state::<AppState>().inner().clone();
    // With --trace-start (the app bench), when each command arrives and is answered.
    let traced = std::env::var_os("ESEP_TRACE_START")
        .is_some()
        .then(|| name.clone());
    if let Some(n) = &traced {
        crate::startup_mark(&format!("ipc-in {n}"));
    }
    invoke.resolver.respond_async(async move {
        let result = if is_shell {
            shell_commands::call(&webview, &state, &name, &args).await
        } else {
            tauri::async_runtime::spawn_blocking(move || state.call(&name, &args))
                .await
                .unwrap_or_else(|e| {
                    Err(Error::Internal(format!("command task failed: {e}")).to_payload())
                })
        };
        if let Some(n) = traced {
            crate::startup_mark(&format!("ipc-out {n}"));
        }
        result.map_err(InvokeError::from)
    });
    true
}
