//! Backups with SQLite's online backup API (never a file copy of a live database), each one
//! verified (`integrity_check` and `check_books`) before older ones are dropped. Kept in
//! `<data>/backups/esep-YYYYMMDD-HHMMSS.sqlite3`, newest 30 by default, at most one automatic
//! backup a day.

use crate::books::audit;
use crate::error::{Error, Result};
use rusqlite::{backup::Backup, Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const KEEP: usize = 30;

/// Copies the open database to `dest` and verifies the copy. A failure (full or read-only
/// disk) removes the partial copy and changes nothing else.
pub fn backup_to(conn: &Connection, dest: &Path) -> Result<()> {
    let tmp = dest.with_extension("partial");
    let result = (|| -> Result<()> {
        let mut out = Connection::open(&tmp)?;
        {
            let b = Backup::new(conn, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(0), None)?;
        }
        drop(out);
        verify(&tmp)?;
        std::fs::rename(&tmp, dest).map_err(|e| Error::Internal(format!("rename backup: {e}")))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| match e {
        Error::Db(ref d)
            if matches!(d.sqlite_error_code(), Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::DiskFull)) =>
        {
            Error::Conflict { key: "error.backupFailed", field: None }
        }
        other => other,
    })
}

/// `integrity_check` = ok and the books are sound.
pub fn verify(path: &Path) -> Result<()> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Conflict { key: "error.backupCorrupt", field: None });
    }
    if !audit::check(&c)?.is_empty() {
        return Err(Error::Conflict { key: "error.backupCorrupt", field: None });
    }
    Ok(())
}

pub fn backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

/// The backups in a directory, newest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.file_name().and_then(|n| n.to_str()).map(|n| n.starts_with("esep-") && n.ends_with(".sqlite3")).unwrap_or(false))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.reverse();
    v
}

/// Makes a verified backup now, then keeps the newest `keep`; returns its path.
pub fn backup_now(conn: &Connection, data_dir: &Path, keep: usize) -> Result<PathBuf> {
    let dir = backup_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|_| Error::Conflict { key: "error.backupFailed", field: None })?;
    let name = format!("esep-{}.sqlite3", chrono::Local::now().format("%Y%m%d-%H%M%S"));
    let dest = dir.join(name);
    backup_to(conn, &dest)?;
    for old in list(&dir).into_iter().skip(keep) {
        let _ = std::fs::remove_file(old);
    }
    Ok(dest)
}

/// A backup unless one was made in the last 24 hours (on open and on close).
pub fn backup_if_due(conn: &Connection, data_dir: &Path) -> Result<Option<PathBuf>> {
    let dir = backup_dir(data_dir);
    if let Some(newest) = list(&dir).first() {
        let fresh = std::fs::metadata(newest).and_then(|m| m.modified()).map(|t| t.elapsed().map(|e| e.as_secs() < 86_400).unwrap_or(true)).unwrap_or(false);
        if fresh {
            return Ok(None);
        }
    }
    backup_now(conn, data_dir, KEEP).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_backup_is_a_verified_copy_and_old_ones_are_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("esep.sqlite3")).unwrap();
        let mut ctx = crate::Ctx::new(&mut conn, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        crate::api::call(&mut ctx, "save_profile", &json!({"name": "Shop", "currency": "KZT", "language": "kk"})).unwrap();
        let b = backup_now(&conn, dir.path(), 2).unwrap();
        let copy = Connection::open(&b).unwrap();
        let name: String = copy.query_row("SELECT name FROM business_profile", [], |r| r.get(0)).unwrap();
        assert_eq!(name, "Shop");
        std::fs::write(backup_dir(dir.path()).join("esep-20000101-000000.sqlite3"), b"old").unwrap();
        std::fs::write(backup_dir(dir.path()).join("esep-20000102-000000.sqlite3"), b"old").unwrap();
        backup_now(&conn, dir.path(), 2).ok();
        assert!(list(&backup_dir(dir.path())).len() <= 2, "rotated to the newest 2");
        assert!(backup_if_due(&conn, dir.path()).unwrap().is_none(), "at most one a day");
    }

    #[test]
    fn a_backup_into_a_read_only_place_fails_cleanly() {
        let conn = crate::db::open_in_memory().unwrap();
        let err = backup_to(&conn, Path::new("/proc/esep-cannot-write-here.sqlite3")).unwrap_err();
        assert_eq!(err.code(), "conflict", "{err:?}");
    }
}
