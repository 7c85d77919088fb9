//! Generates an allow-/deny- permission for every Esep command (core commands from the one
//! list in `core/src/command_names.in`, plus the shell's own), and reads the capabilities from
//! `src-tauri/capabilities` although `tauri.conf.json` sits at the repository root.

const CORE_COMMANDS: &[&str] = &include!("core/src/command_names.in");
/// Commands implemented by the shell itself (see `src-tauri/src/shell_commands.rs`).
const SHELL_COMMANDS: &[&str] = &include!("src/shell_commands.in");

fn main() {
    let all: Vec<&'static str> = CORE_COMMANDS.iter().chain(SHELL_COMMANDS).copied().collect();
    let all: &'static [&'static str] = Box::leak(all.into_boxed_slice());
    println!("cargo:rerun-if-changed=src-tauri/core/src/command_names.in");
    println!("cargo:rerun-if-changed=src-tauri/src/shell_commands.in");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*").app_manifest(tauri_build::AppManifest::new().commands(all)),
    )
    .expect("failed to run tauri-build");
}
