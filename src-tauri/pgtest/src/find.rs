//! Where PostgreSQL's server programs are. No dependencies: `cargo xtask test` includes this
//! file too (`#[path]`), to say what to install before any test runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What to do when the server programs are missing.
const MISSING: &str = "PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found. \
On Debian/Ubuntu: `apt-get install postgresql` (they go to /usr/lib/postgresql/N/bin). \
Elsewhere install the PostgreSQL server and put its bin directory on PATH, or set ESEP_PG_BIN \
to that directory.";

/// The directory with PostgreSQL's server programs, or what to install: `ESEP_PG_BIN`, else
/// `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin` (Debian and Ubuntu keep
/// the server off `PATH`), else the first directory on `PATH` with `initdb`.
pub fn bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("ESEP_PG_BIN").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return if has_server(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "ESEP_PG_BIN={} has no initdb, pg_ctl and postgres",
                dir.display()
            ))
        };
    }
    if let Ok(out) = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }
    // Debian and Ubuntu: /usr/lib/postgresql/15/bin, /usr/lib/postgresql/16/bin, ...
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: Vec<u32> = entry
                .file_name()
                .to_str()?
                .split('.')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            let dir = entry.path().join("bin");
            has_server(&dir).then_some((version, dir))
        })
        .max();
    if let Some((_, dir)) = newest {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|dir| has_server(dir)))
        .ok_or_else(|| MISSING.to_string())
}

fn has_server(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "postgres"].iter().all(|p| {
        dir.join(format!("{p}{}", std::env::consts::EXE_SUFFIX))
            .is_file()
    })
}
