//! The IPC surface audit: fails when someone widens what the webview may do.

use serde_json::Value;

fn json(path: &str) -> Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_csp_is_strict() {
    let conf = json("tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    assert!(csp.is_object(), "a CSP is set (never null)");
    let all: String = csp
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k} {}; ", v.as_str().unwrap_or("")))
        .collect();
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    assert!(!all.contains("unsafe-eval"), "no unsafe-eval: {all}");
    assert!(!all.contains("unsafe-inline"), "no unsafe-inline: {all}");
    for token in all.split_whitespace() {
        let t = token.trim_end_matches(';');
        if t.starts_with("http") {
            assert_eq!(t, "http://ipc.localhost", "no remote origins: {t}");
        }
        assert!(t != "*" && !t.contains("://*"), "no wildcards: {t}");
    }
    assert_ne!(conf["app"]["withGlobalTauri"], Value::Null);
    assert_eq!(
        conf["app"]["security"]["freezePrototype"], true,
        "Object.prototype frozen: no prototype pollution reaches the IPC layer"
    );
}

#[test]
fn the_main_window_may_call_our_commands_and_nothing_else() {
    let cap = json("src-tauri/capabilities/main.json");
    let perms: Vec<&str> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("plain permission names"))
        .collect();
    let shell: &[&str] = &include!("../src-tauri/src/shell_commands.in");
    // Of Tauri's own APIs the UI uses only events (`listen` for the second-launch notice and PDF
    // progress, and `unlisten`): nothing else of `core:default` (window, app, path, image…).
    let mut want: Vec<String> = vec![
        "core:event:allow-listen".into(),
        "core:event:allow-unlisten".into(),
    ];
    want.extend(
        esep_core::api::command_names()
            .iter()
            .chain(shell)
            .map(|c| format!("allow-{}", c.replace('_', "-"))),
    );
    assert_eq!(
        perms, want,
        "capabilities = event listening + allow-<command> for exactly our commands"
    );
    for p in &perms {
        for banned in ["shell:", "fs:", "http:", "dialog:", "opener:", "process:"] {
            assert!(!p.starts_with(banned), "{p} widens the surface");
        }
    }
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(cap.get("remote").is_none(), "no remote URLs get IPC");
}

#[test]
fn no_shell_fs_or_http_plugin_is_registered() {
    let cargo = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
    )
    .unwrap();
    for banned in ["tauri-plugin-shell", "tauri-plugin-fs", "tauri-plugin-http"] {
        assert!(
            !cargo.contains(banned),
            "{banned} must not be a dependency of the app"
        );
    }
    // The opener plugin is a dependency for its Rust functions only (Print, Email, the saved
    // file's folder): never registered, so the webview has no opener command to call.
    let all_src: String =
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src"))
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
    assert!(
        !all_src.contains("tauri_plugin_opener::init")
            && !all_src.contains("tauri_plugin_opener::Builder"),
        "the opener plugin is not registered"
    );
    let lib = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/lib.rs"),
    )
    .unwrap();
    let plugins: Vec<&str> = lib.lines().filter(|l| l.contains(".plugin(")).collect();
    assert_eq!(plugins.len(), 1, "only the dialog plugin: {plugins:?}");
    assert!(plugins[0].contains("tauri_plugin_dialog::init()"));
}

#[test]
fn every_ui_string_is_in_every_catalogue_and_every_key_is_used() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut sources = String::new();
    for dir in ["", "views", "components"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            if e.path().extension().and_then(|x| x.to_str()) == Some("js") {
                sources.push_str(&std::fs::read_to_string(e.path()).unwrap());
            }
        }
    }
    let core_src: String = ["src-tauri/core/src", "src-tauri/src"]
        .iter()
        .flat_map(|d| walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(d)))
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let en = json("ui/locales/en.json");
    let keys: Vec<&String> = en.as_object().unwrap().keys().collect();
    // Keys built at run time from a prefix and a value (status.${s}, doc.kind.${kind}, ...).
    let dynamic = [
        "settings.fee.",
        "settings.termsKind.",
        "status.",
        "filter.",
        "sort.",
        "send.",
        "line.",
        "method.",
        "reminder.level",
        "doc.kind.",
        "act.state.",
        "bank.format.",
        "bank.field.",
        "recurring.frequency.",
        "recurring.rule.",
        "quote.status.",
        "prepayment.status.",
        "bank.confidence.",
        "backup.kind.",
        "doc.bucket.",
        "doc.reminderTitle",
        "doc.reminderText",
        "account.",
        "error.",
        "terms.",
        "knp.",
        "profile.position.",
        "profile.layout.",
        "settings.logo",
        "settings.signature",
        "settings.seal",
    ];
    // A plural form is used where its base key is (the UI picks `key.one`, `key.few`, ...).
    let base = |k: &str| -> String {
        [".one", ".few", ".many", ".other"]
            .iter()
            .find_map(|f| k.strip_suffix(f))
            .unwrap_or(k)
            .to_string()
    };
    let unused: Vec<&&String> = keys
        .iter()
        .filter(|k| !dynamic.iter().any(|d| k.starts_with(d)))
        .filter(|k| {
            ![k.to_string(), base(k)].iter().any(|k| {
                sources.contains(&format!("'{k}'")) || core_src.contains(&format!("\"{k}\""))
            })
        })
        .collect();
    assert!(unused.is_empty(), "catalogue keys nobody uses: {unused:?}");
    // And every literal key the UI asks for exists.
    let mut missing = Vec::new();
    for part in sources.split("t('").skip(1) {
        let key: String = part.chars().take_while(|c| *c != '\'').collect();
        if key.contains('.')
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && en.get(&key).is_none()
        {
            missing.push(key);
        }
    }
    assert!(
        missing.is_empty(),
        "keys the UI uses but the catalogue lacks: {missing:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// index.html asks for every module at once (`modulepreload`) instead of one import level at a
/// time (a waterfall that cost ~200 ms of the cold start): each module is listed, and each
/// listed file exists.
#[test]
fn index_html_preloads_every_module() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    let listed: std::collections::BTreeSet<String> = html
        .split("<link rel=\"modulepreload\" href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    let modules: std::collections::BTreeSet<String> = walk(&root)
        .into_iter()
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("js"))
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|m| m != "app.js")
        .collect();
    assert_eq!(
        listed, modules,
        "modulepreload links in ui/index.html = the modules app.js imports"
    );
}

/// `ui/commands.d.ts` is what the commands' request types say (tsc --checkJs checks
/// `ui/api.js` against it in the test command). `ESEP_BLESS=1` rewrites it.
#[test]
fn the_typescript_declarations_follow_the_request_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/commands.d.ts");
    let want = esep::shell_commands::typescript();
    if std::env::var_os("ESEP_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/commands.d.ts is stale: run ESEP_BLESS=1 cargo test --test surface"
    );
}

#[test]
fn every_shell_command_has_a_request_type() {
    let typed: Vec<&str> = esep::shell_commands::REQUESTS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(
        typed,
        esep::shell_commands::NAMES,
        "shell_commands.in and REQUESTS list the same commands in the same order"
    );
}
