//! End-to-end harness: the real Esep binary in a real WebKit webview, driven over WebDriver
//! (tauri-driver + WebKitWebDriver), each test on a fresh temporary data directory.
//!
//! ```ignore
//! let app = App::start("my_test", Some("2026-11-27")).await;
//! app.fill("Business name", "Алма").await;
//! app.click("#setup-save").await;
//! app.wait_text("#main h1", "Today").await;
//! app.screenshot("home").await;   // target/e2e-screenshots/my_test-home.png
//! app.stop().await;
//! ```
//! Needs `tauri-driver` (cargo install tauri-driver --locked), `WebKitWebDriver`
//! (Debian: webkit2gtk-driver) and a display (`cargo xtask test` starts Xvfb).

#![allow(dead_code)]

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// At most two apps run at once: each is a full WebKit process, and these machines have 2 cores.
static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

pub struct App {
    pub client: Client,
    _slot: tokio::sync::SemaphorePermit<'static>,
    driver: Option<Child>,
    /// The data directory, owned (deleted at the end) unless the test passed its own path.
    _owned_dir: Option<tempfile::TempDir>,
    pub data_dir: PathBuf,
    name: String,
    instance: String,
    /// The app's pinned date, also used to read its books beside it.
    pub today: chrono::NaiveDate,
}

/// WebKitWebDriver does not pass the environment on to the app: settings travel as flags.
pub fn app_args(data_dir: &std::path::Path, today: &str, instance: &str) -> Vec<String> {
    // `--test-instance` is ignored by the app; it lets the harness find exactly this process.
    vec![
        format!("--data-dir={}", data_dir.display()),
        format!("--export-dir={}", data_dir.join("exports").display()),
        format!("--test-instance={instance}"),
        format!("--today={today}"),
    ]
}

/// Waits until no process holds the writer lock of the books in `dir` (an app that was just
/// closed may take a moment to exit on a loaded machine).
pub async fn wait_until_books_free(dir: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match esep_core::lock::WriterLock::acquire(&esep::state::db_path(dir)) {
            Ok(lock) => {
                drop(lock);
                return;
            }
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("the books in {} stay locked: {e}", dir.display()),
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// The built app: cargo builds the `esep` binary before integration tests.
pub fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_esep"))
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let candidate = home.map(|h| h.join("bin").join("tauri-driver"));
    match candidate {
        Some(c) if c.exists() => c,
        _ => PathBuf::from("tauri-driver"),
    }
}

pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

impl App {
    /// Starts the app on a fresh data directory; `today` pins the app's clock (`--today`) and the
    /// one [`App::core`] reads the books with: no end-to-end test runs on the real date.
    pub async fn start(name: &str, today: &str) -> App {
        let dir = tempfile::tempdir().expect("temporary data directory");
        let path = dir.path().to_path_buf();
        let mut app = Self::start_at(name, today, &path).await;
        app._owned_dir = Some(dir);
        app
    }

    /// Starts the app on a given data directory (to test what happens with existing data).
    pub async fn start_at(name: &str, today: &str, data_dir: &std::path::Path) -> App {
        let pinned = d(today);
        assert!(
            std::env::var_os("DISPLAY").is_some() || cfg!(not(target_os = "linux")),
            "end-to-end tests need a display: run them through `cargo xtask test` (it starts Xvfb)"
        );
        let slot = SLOTS
            .acquire()
            .await
            .expect("the semaphore is never closed");
        // Saved PDFs go to <data>/exports instead of through the native dialog (WebDriver
        // cannot reach it); the app gets it, the test clock and the data directory as flags.
        std::fs::create_dir_all(data_dir.join("exports")).expect("exports directory");
        // Starting a session very rarely hangs or fails on a loaded machine (seen once in ~40 CI
        // runs: WebKitWebDriver up, the app never started): give up after a minute, or on the
        // error, and try once more.
        let mut attempt = 0;
        let (client, driver, port) = loop {
            attempt += 1;
            let port = free_port();
            let native = free_port();
            let mut cmd = Command::new(tauri_driver());
            cmd.args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
            let driver = cmd.spawn().unwrap_or_else(|e| panic!("cannot start tauri-driver ({e}); install it with `cargo install tauri-driver --locked`"));
            let deadline = Instant::now() + Duration::from_secs(20);
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "tauri-driver did not open port {port}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let mut caps = serde_json::Map::new();
            caps.insert("tauri:options".into(), json!({"application": app_binary(), "args": app_args(data_dir, today, &format!("{name}-{port}"))}));
            caps.insert("browserName".into(), json!("wry"));
            let mut driver = Some(driver);
            let url = format!("http://127.0.0.1:{port}");
            let mut builder = ClientBuilder::native();
            builder.capabilities(caps);
            match tokio::time::timeout(Duration::from_secs(60), builder.connect(&url)).await {
                Ok(Ok(c)) => break (c, driver, port),
                // The driver dropping the first request (seen once: "webdriver server did not
                // respond … SendRequest") is the same rare start-up failure: once more too.
                Ok(Err(e)) if attempt < 2 => {
                    eprintln!("{name}: no WebDriver session ({e}), starting again");
                    stop_driver(&mut driver);
                    let _ = Command::new("pkill")
                        .args([
                            "-KILL",
                            "-f",
                            "--",
                            &format!("--test-instance={name}-{port}"),
                        ])
                        .status();
                }
                Ok(Err(e)) => {
                    stop_driver(&mut driver);
                    panic!("{name}: no WebDriver session with the app: {e}");
                }
                Err(_) if attempt < 2 => {
                    eprintln!("{name}: no WebDriver session after 60 s, starting again");
                    stop_driver(&mut driver);
                    let _ = Command::new("pkill")
                        .args([
                            "-KILL",
                            "-f",
                            "--",
                            &format!("--test-instance={name}-{port}"),
                        ])
                        .status();
                }
                Err(_) => {
                    stop_driver(&mut driver);
                    panic!("{name}: no WebDriver session with the app after two tries");
                }
            }
        };
        let app = App {
            client,
            _slot: slot,
            driver,
            _owned_dir: None,
            data_dir: data_dir.to_path_buf(),
            name: name.to_string(),
            instance: format!("{name}-{port}"),
            today: pinned,
        };
        app.wait_for("#main").await;
        app
    }

    /// Waits (up to 15 s) for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| {
                let shot = futures_shot(&self.client, &self.name);
                panic!("{}: no element {css}: {e} (screen: {shot})", self.name)
            })
    }

    /// Whether something matches `css` within `within` (no panic: the caller decides).
    pub async fn appears(&self, css: &str, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        loop {
            if self.client.find(Locator::Css(css)).await.is_ok() {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to 15 s) until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "{}: {css} is still there",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        self.wait_for(css).await
    }

    /// The id of the control labelled `label` (the label's text without the required mark).
    pub async fn control_id(&self, label: &str) -> String {
        let script = "const want = arguments[0];
            for (const l of document.querySelectorAll('label[for]')) {
              const text = (l.firstChild ? l.firstChild.textContent : l.textContent).trim();
              if (text === want && l.offsetParent !== null) return l.getAttribute('for');
            }
            return null;";
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self
                .client
                .execute(script, vec![json!(label)])
                .await
                .expect("script runs");
            if let Some(id) = v.as_str() {
                return id.to_string();
            }
            assert!(
                Instant::now() < deadline,
                "{}: no visible control labelled {label:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The control labelled `label`.
    pub async fn by_label(&self, label: &str) -> Element {
        let id = self.control_id(label).await;
        self.client
            .find(Locator::Id(&id))
            .await
            .unwrap_or_else(|e| panic!("{}: control {id}: {e}", self.name))
    }

    /// Types into the control labelled `label` (clearing it first).
    pub async fn fill(&self, label: &str, value: &str) {
        let el = self.by_label(label).await;
        self.set_value(&el, value).await;
    }

    /// Types into the element matching `css` (clearing it first).
    pub async fn fill_css(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        self.set_value(&el, value).await;
    }

    async fn set_value(&self, el: &Element, value: &str) {
        el.clear().await.ok();
        // Date inputs in WebKitGTK do not take keystrokes reliably: set them like a user's picker would.
        // Esep's own date inputs (`data-date`) take an ISO date set this way and show it in the
        // app's format; `type_keys` types into them as a person does.
        let is_date = el.attr("type").await.ok().flatten().as_deref() == Some("date")
            || el.attr("data-date").await.ok().flatten().is_some();
        if is_date {
            self.client
                .execute(
                    "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true})); arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                    vec![serde_json::to_value(el).expect("element as JSON"), json!(value)],
                )
                .await
                .expect("set date");
        } else {
            el.send_keys(value)
                .await
                .unwrap_or_else(|e| panic!("{}: typing {value:?}: {e}", self.name));
        }
    }

    /// Types `text` key by key into the element, as a person would (no special cases).
    pub async fn type_keys(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.ok();
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("{}: typing {text:?}: {e}", self.name));
    }

    /// Chooses the option with visible text `text` in the select labelled `label`.
    pub async fn select(&self, label: &str, text: &str) {
        let id = self.control_id(label).await;
        self.select_css(&format!("#{id}"), text).await;
    }

    pub async fn select_css(&self, css: &str, text: &str) {
        let ok = self
            .client
            .execute(
                "const s = document.querySelector(arguments[0]); if (!s) return false;
                 const o = [...s.options].find(o => o.textContent.trim() === arguments[1] || o.textContent.trim().startsWith(arguments[1]));
                 if (!o) return false; s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
                vec![json!(css), json!(text)],
            )
            .await
            .expect("script runs");
        assert_eq!(
            ok,
            json!(true),
            "{}: no option {text:?} in {css}",
            self.name
        );
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.scroll_to(&el).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("{}: click {css}: {e}", self.name));
    }

    async fn scroll_to(&self, el: &Element) {
        let arg = serde_json::to_value(el).expect("element as JSON");
        let _ = self
            .client
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
            .await;
    }

    /// Clicks the button whose text is `text`.
    pub async fn click_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(text));
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("{}: no button {text:?}: {e}", self.name));
        self.scroll_to(&el).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("{}: click {text:?}: {e}", self.name));
    }

    /// Presses keys on the focused element (e.g. "\u{E00A}n" = Alt+N in WebDriver key codes).
    pub async fn keys(&self, keys: &str) {
        let active = self
            .client
            .active_element()
            .await
            .expect("an active element");
        active.send_keys(keys).await.expect("keys");
    }

    /// The element's visible text (`innerText`), read in the page: WebKitWebDriver's own
    /// element text hangs on a form that holds a <datalist> (Settings, the invoice editor).
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await;
        self.visible_text(css)
            .await
            .map(|(t, _)| t)
            .unwrap_or_default()
    }

    /// (innerText, textContent) of the first element matching `css`, if there is one.
    async fn visible_text(&self, css: &str) -> Option<(String, String)> {
        let v = self
            .client
            .execute("const e = document.querySelector(arguments[0]); return e ? [e.innerText ?? e.textContent, e.textContent] : null", vec![json!(css)])
            .await
            .ok()?;
        let a = v.as_array()?;
        Some((
            a.first()?.as_str()?.to_string(),
            a.get(1)?.as_str()?.to_string(),
        ))
    }

    /// Waits (up to 10 s) until `done` holds, reading the books beside the app (the window
    /// writes asynchronously); fails naming `what`.
    pub async fn until(&self, what: &str, mut done: impl FnMut(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(self) {
            assert!(Instant::now() < deadline, "{}: {what}", self.name);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element matching `css` contains `needle`; returns its text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.visible_text(css).await {
                Some((shown, content)) => {
                    if shown.contains(needle) {
                        return shown;
                    }
                    // Flex children with `overflow: hidden` (ellipsised names in lists) that are
                    // on screen: their text content counts.
                    if content.contains(needle) {
                        return content;
                    }
                    if Instant::now() > deadline {
                        panic!("{}: {css} says {shown:?}, not {needle:?}", self.name);
                    }
                }
                None if Instant::now() > deadline => {
                    panic!("{}: no element {css} (waiting for {needle:?})", self.name)
                }
                None => {}
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .expect("script runs")
    }

    /// Fails when the window shows a raw value instead of words: "null", "undefined", "NaN",
    /// "[object …]" (what a missing field or a stray `null` child turns into).
    pub async fn assert_no_raw_values(&self, screen: &str) {
        let found = self.js("const m = document.body.innerText.match(/\\b(null|undefined|NaN)\\b|\\[object/); return m ? m[0] : ''", vec![]).await;
        assert_eq!(
            found,
            serde_json::json!(""),
            "{}: {screen} shows a raw value",
            self.name
        );
    }

    /// Runs asynchronous JavaScript (the last argument is the callback) and returns what it passes.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .expect("async script runs")
    }

    /// The app's process id (found by its `--test-instance` flag).
    pub fn app_pid(&self) -> Option<u32> {
        let out = Command::new("pgrep")
            .args(["-f", "--", &format!("--test-instance={}", self.instance)])
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .min()
    }

    /// Saves a PNG screenshot as target/e2e-screenshots/<test>-<what>.png.
    pub async fn screenshot(&self, what: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = screenshot_dir().join(format!("{}-{what}.png", self.name));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Waits for a saved file whose name starts with `prefix` in the export directory and
    /// returns its text as pdftotext reads it.
    pub async fn exported_pdf_text(&self, prefix: &str) -> (PathBuf, String) {
        let dir = self.data_dir.join("exports");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found = std::fs::read_dir(&dir).ok().and_then(|rd| {
                rd.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .map(|n| n.starts_with(prefix) && n.ends_with(".pdf"))
                        .unwrap_or(false)
                })
            });
            if let Some(p) = found {
                let out = Command::new("pdftotext")
                    .arg("-layout")
                    .arg(&p)
                    .arg("-")
                    .output()
                    .expect("pdftotext (poppler-utils) is installed");
                return (p, String::from_utf8_lossy(&out.stdout).into_owned());
            }
            if Instant::now() > deadline {
                let toasts = self
                    .client
                    .execute(
                        "return document.getElementById('toasts').textContent",
                        vec![],
                    )
                    .await
                    .unwrap_or_default();
                panic!(
                    "{}: no exported {prefix}*.pdf in {} (the app said: {toasts})",
                    self.name,
                    dir.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The database file of this app (read it with esep-core while the app runs: WAL allows it).
    pub fn db_path(&self) -> PathBuf {
        esep::state::db_path(&self.data_dir)
    }

    /// Runs a read-only core command on the app's database, as the accountant's CLI would.
    pub fn core(&self, command: &str, args: Value) -> Value {
        let mut conn = esep_core::db::open(&self.db_path()).expect("open the app's database");
        let mut ctx = esep_core::Ctx::new(&mut conn, self.today);
        esep_core::api::call(&mut ctx, command, &args).unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// Ends the session (closing the app) and stops tauri-driver with SIGTERM.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        stop_driver(&mut self.driver);
        self.kill_app();
    }

    /// Makes sure no app process of this test survives it (a panicking test never closes its session).
    fn kill_app(&self) {
        let pattern = format!("--test-instance={}", self.instance);
        let alive = || {
            Command::new("pgrep")
                .args(["-f", "--", &pattern])
                .stdout(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        };
        let _ = Command::new("pkill")
            .args(["-f", "--", &pattern])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        // Wait until it is gone (it lets go of the writer lock on exit), then insist.
        let deadline = Instant::now() + Duration::from_secs(8);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if alive() {
            let _ = Command::new("pkill")
                .args(["-KILL", "-f", "--", &pattern])
                .status();
        }
    }
}

impl Drop for App {
    /// A failed test still stops tauri-driver (SIGTERM, so WebKitWebDriver lets go of its port)
    /// and its app.
    fn drop(&mut self) {
        if self.driver.is_some() {
            stop_driver(&mut self.driver);
            self.kill_app();
        }
    }
}

fn stop_driver(driver: &mut Option<Child>) {
    let Some(mut d) = driver.take() else { return };
    let _ = Command::new("kill")
        .args(["-TERM", &d.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = d.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = d.kill();
    let _ = d.wait();
}

/// Best-effort screenshot for a failure message (blocking, outside async context).
fn futures_shot(client: &Client, name: &str) -> String {
    let client = client.clone();
    let path = screenshot_dir().join(format!("{name}-FAILED.png"));
    let p2 = path.clone();
    let r = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        let png = rt.block_on(client.screenshot()).ok()?;
        std::fs::write(&p2, png).ok()
    })
    .join();
    match r {
        Ok(Some(())) => path.display().to_string(),
        _ => "none".into(),
    }
}

fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("concat('{}')", s.replace('\'', "', \"'\", '"))
    }
}
