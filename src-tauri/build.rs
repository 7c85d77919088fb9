//! Generates an allow-/deny- permission for every Esep command (the core's, read from the
//! `typed!("name", …)` lines of its command table in `core/src/api.rs`, plus the shell's own),
//! and reads the capabilities from `src-tauri/capabilities` although `tauri.conf.json` sits at
//! the repository root.

/// The core's command names, in the table's order (`tests/surface.rs` checks them against
/// `esep_core::api::COMMANDS`).
fn core_commands() -> Vec<&'static str> {
    // Read at run time: a build script compiled for another checkout must not read that one.
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let path = std::path::Path::new(&dir).join("src-tauri/core/src/api.rs");
    let api = std::fs::read_to_string(&path).expect("the core's command table");
    api.split("typed!(")
        .skip(1)
        .filter_map(|rest| {
            rest.trim_start()
                .strip_prefix('"')
                .and_then(|r| r.split('"').next())
        })
        .map(|name| &*Box::leak(name.to_string().into_boxed_str()))
        .collect()
}
/// Commands implemented by the shell itself (see `src-tauri/src/shell_commands.rs`).
const SHELL_COMMANDS: &[&str] = &include!("src/shell_commands.in");

fn main() {
    let all: Vec<&'static str> = core_commands()
        .into_iter()
        .chain(SHELL_COMMANDS.iter().copied())
        .collect();
    let all: &'static [&'static str] = Box::leak(all.into_boxed_slice());
    println!("cargo:rerun-if-changed=src-tauri/core/src/api.rs");
    println!("cargo:rerun-if-changed=src-tauri/src/shell_commands.in");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(all)),
    )
    .expect("failed to run tauri-build");
}
