//! Which shared books this data directory opens, and their password.
//!
//! The address (never the password) is kept in `<data dir>/server.json`, so a portable copy
//! or the sample shop keep their own; the password is kept in the operating system's keychain
//! (Windows Credential Manager, the macOS Keychain, the kernel keyring on Linux) through the
//! `keyring` crate, under the service "Esep" and the address. When the keychain cannot keep it
//! (a locked-down machine), the window asks for the password when the books open.

use esep_core::Error;
use std::path::{Path, PathBuf};

const FILE: &str = "server.json";
const SERVICE: &str = "Esep";

fn file(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The saved address of the shared books for `dir`, if any (a damaged file is no address:
/// the books on this computer open, and Settings can connect again).
pub fn saved(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file(dir)).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let url = v.get("url")?.as_str()?;
    esep_core::sql::PgConfig::is_postgres_url(url).then(|| url.to_string())
}

/// Remembers the address for `dir` (written whole: a crash leaves the old file or the new).
pub fn save(dir: &Path, url: &str) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(&serde_json::json!({ "url": url }))
        .map_err(|e| Error::Internal(format!("server.json: {e}")))?;
    esep_core::files::write_atomic(&file(dir), text.as_bytes())
        .map_err(|e| Error::Internal(format!("cannot write {}: {e}", file(dir).display())))
}

/// Forgets the address: the books on this computer open from now on.
pub fn remove(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_file(file(dir)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::Internal(format!(
            "cannot remove {}: {e}",
            file(dir).display()
        ))),
    }
}

/// What the address names, for the window.
pub fn parts(url: &str) -> (String, u16, String, String) {
    esep_core::server::address_parts(url)
}

fn entry(url: &str) -> Option<keyring::Entry> {
    keyring::Entry::new(SERVICE, url).ok()
}

/// Keeps the password in the keychain; false when the keychain refused (it is then asked
/// for when the books open).
pub fn keep_password(url: &str, password: &str) -> bool {
    match entry(url).map(|e| e.set_password(password)) {
        Some(Ok(())) => true,
        Some(Err(e)) => {
            eprintln!("esep: the keychain did not keep the password: {e}");
            false
        }
        None => false,
    }
}

/// The kept password, if there is one.
pub fn password_for(url: &str) -> Option<String> {
    entry(url)?.get_password().ok().filter(|p| !p.is_empty())
}

/// Removes a kept password (disconnecting, or connecting without "remember").
pub fn forget_password(url: &str) {
    if let Some(e) = entry(url) {
        let _ = e.delete_credential();
    }
}
