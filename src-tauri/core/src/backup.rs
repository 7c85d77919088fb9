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
pub fn backup_to(conn: &crate::sql::Connection, dest: &Path) -> Result<()> {
    let conn = sqlite_of(conn)?;
    // A fresh private file beside the destination (never a fixed `x.partial` sibling).
    let (tmp, file) = crate::files::temp_beside(dest, "partial").map_err(|_| Error::Conflict {
        key: "error.backupFailed",
        field: None,
    })?;
    drop(file);
    let result = (|| -> Result<()> {
        let mut out = Connection::open(&tmp)?;
        {
            let b = Backup::new(conn, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(0), None)?;
        }
        standalone(&out)?;
        drop(out);
        verify(&tmp)?;
        std::fs::rename(&tmp, dest).map_err(|e| Error::Internal(format!("rename backup: {e}")))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| match e {
        Error::Db(crate::sql::Error::Sqlite(ref d))
            if matches!(
                d.sqlite_error_code(),
                Some(
                    rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::DiskFull
                )
            ) =>
        {
            Error::Conflict {
                key: "error.backupFailed",
                field: None,
            }
        }
        other => other,
    })
}

/// The SQLite file underneath: shared books on a server are backed up on the server.
fn sqlite_of(conn: &crate::sql::Connection) -> Result<&Connection> {
    conn.sqlite().ok_or(Error::Conflict {
        key: "error.backupOnServer",
        field: None,
    })
}

/// A copy made with the backup API carries the live books' WAL mode: switched to a rollback
/// journal it is one self-contained file, and closing it leaves no `-wal`/`-shm` beside it
/// (they were left behind each backup, under the temporary name).
fn standalone(copy: &Connection) -> Result<()> {
    let _: String = copy.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    Ok(())
}

/// `integrity_check` = ok and the books are sound.
pub fn verify(path: &Path) -> Result<()> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Conflict {
            key: "error.backupCorrupt",
            field: None,
        });
    }
    // The schema must be exactly what Esep's migrations make for that version: a damaged
    // CREATE statement can pass integrity_check and only fail once the file is in use.
    let version: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > crate::db::SCHEMA_VERSION {
        return Err(Error::TooNew {
            found: version,
            supported: crate::db::SCHEMA_VERSION,
        });
    }
    let mut expected = Connection::open_in_memory()?;
    crate::db::migrate_to(&mut expected, version)?;
    let (c, expected): (crate::sql::Connection, crate::sql::Connection) =
        (c.into(), expected.into());
    if version < 1 || crate::db::schema_dump(&c)? != crate::db::schema_dump(&expected)? {
        return Err(Error::Conflict {
            key: "error.backupCorrupt",
            field: None,
        });
    }
    if !audit::check(&c)?.is_empty() {
        return Err(Error::Conflict {
            key: "error.backupCorrupt",
            field: None,
        });
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
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .map(|n| n.starts_with("esep-") && n.ends_with(".sqlite3"))
                        .unwrap_or(false)
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.reverse();
    v
}

/// Makes a verified backup now, then keeps the newest `keep`; returns its path.
pub fn backup_now(conn: &crate::sql::Connection, data_dir: &Path, keep: usize) -> Result<PathBuf> {
    let dir = backup_dir(data_dir);
    crate::files::private_dir(&dir).map_err(|_| Error::Conflict {
        key: "error.backupFailed",
        field: None,
    })?;
    let name = format!(
        "esep-{}.sqlite3",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    );
    let dest = dir.join(name);
    backup_to(conn, &dest)?;
    for old in list(&dir).into_iter().skip(keep) {
        let _ = std::fs::remove_file(old);
    }
    Ok(dest)
}

/// A backup unless one was made in the last 24 hours (on open and on close). "Made" is the
/// time in the newest backup's name, written by the same clock that reads it now: a copied
/// folder (new modification times) or a file system's clock cannot skip or repeat a backup.
pub fn backup_if_due(conn: &crate::sql::Connection, data_dir: &Path) -> Result<Option<PathBuf>> {
    let dir = backup_dir(data_dir);
    if let Some(made) = list(&dir).first().and_then(|p| made_at(p)) {
        let age = chrono::Local::now().naive_local() - made;
        // A backup from "the future" (the clock was set back) counts as fresh, as before.
        if age < chrono::Duration::hours(24) {
            return Ok(None);
        }
    }
    backup_now(conn, data_dir, KEEP).map(Some)
}

/// The local time in a backup's name, `esep-YYYYMMDD-HHMMSS.sqlite3`.
fn made_at(path: &Path) -> Option<chrono::NaiveDateTime> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix("esep-")?.strip_suffix(".sqlite3")?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}

/// A backup or a safety copy, for the list in Settings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub name: String,
    pub kind: &'static str,
    pub bytes: u64,
    /// Local time the file was written, `YYYY-MM-DD HH:MM:SS`.
    pub written: String,
}

/// Backups (`esep-*`) and safety copies made before a restore (`safety-*`), newest first.
pub fn entries(data_dir: &Path) -> Vec<Entry> {
    let dir = backup_dir(data_dir);
    let mut v: Vec<Entry> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_string();
                    let kind = if name.starts_with("esep-") {
                        "backup"
                    } else if name.starts_with("safety-") {
                        "safety"
                    } else {
                        return None;
                    };
                    if !name.ends_with(".sqlite3") {
                        return None;
                    }
                    let meta = e.metadata().ok()?;
                    let written = meta
                        .modified()
                        .ok()
                        .map(|t| {
                            chrono::DateTime::<chrono::Local>::from(t)
                                .format("%Y-%m-%d %H:%M:%S")
                                .to_string()
                        })
                        .unwrap_or_default();
                    Some(Entry {
                        name,
                        kind,
                        bytes: meta.len(),
                        written,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by(|a, b| b.written.cmp(&a.written).then(b.name.cmp(&a.name)));
    v
}

/// The path of a listed backup by its file name; anything else (paths, `..`) is `not_found`.
pub fn resolve(data_dir: &Path, name: &str) -> Result<PathBuf> {
    entries(data_dir)
        .into_iter()
        .find(|e| e.name == name)
        .map(|e| backup_dir(data_dir).join(e.name))
        .ok_or_else(|| Error::not_found("name"))
}

/// The newest backup that passes `verify`, if any.
pub fn newest_good(data_dir: &Path) -> Option<PathBuf> {
    list(&backup_dir(data_dir))
        .into_iter()
        .find(|p| verify(p).is_ok())
}

fn safety_path(data_dir: &Path) -> Result<PathBuf> {
    let dir = backup_dir(data_dir);
    crate::files::private_dir(&dir).map_err(|_| Error::Conflict {
        key: "error.backupFailed",
        field: None,
    })?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    // Created new and private here, so the copy never lands in a file someone else made.
    for n in 1..100 {
        let path = dir.join(if n == 1 {
            format!("safety-{stamp}.sqlite3")
        } else {
            format!("safety-{stamp}-{n}.sqlite3")
        });
        match crate::files::create_new_private(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => break,
        }
    }
    Err(Error::Conflict {
        key: "error.backupFailed",
        field: None,
    })
}

/// Replaces the open books with the backup `from`, after checking the backup and keeping a
/// safety copy of the current books (not verified: they may be the broken ones). Older
/// backups are migrated. Returns the safety copy's path. On any failure before the copy
/// back starts, nothing has changed.
pub fn restore_into(
    conn: &mut crate::sql::Connection,
    from: &Path,
    data_dir: &Path,
) -> Result<PathBuf> {
    let conn = conn.sqlite_mut().ok_or(Error::Conflict {
        key: "error.backupOnServer",
        field: None,
    })?;
    verify(from)?;
    let safety = safety_path(data_dir)?;
    {
        let mut out = Connection::open(&safety).map_err(|_| Error::Conflict {
            key: "error.backupFailed",
            field: None,
        })?;
        {
            let b = Backup::new(conn, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(0), None)
                .map_err(|_| Error::Conflict {
                    key: "error.backupFailed",
                    field: None,
                })?;
        }
        standalone(&out)?;
    }
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    {
        let b = Backup::new(&src, conn)?;
        b.run_to_completion(256, Duration::from_millis(0), None)?;
    }
    crate::db::migrate_to(conn, crate::db::SCHEMA_VERSION)?;
    Ok(safety)
}

/// Restores into books that could not be opened (a damaged file): the damaged file is moved
/// to a safety copy, the backup is copied into place. The caller opens the books afterwards.
pub fn restore_file(db_path: &Path, from: &Path, data_dir: &Path) -> Result<PathBuf> {
    verify(from)?;
    let safety = safety_path(data_dir)?;
    if db_path.exists() {
        // A private copy (std::fs::copy would carry over the damaged file's permissions).
        let copied = std::fs::File::open(db_path).and_then(|mut from| {
            let mut to = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&safety)?;
            std::io::copy(&mut from, &mut to).and_then(|_| to.sync_all())
        });
        if copied.is_err() {
            let _ = std::fs::remove_file(&safety);
            return Err(Error::Conflict {
                key: "error.backupFailed",
                field: None,
            });
        }
    }
    let (tmp, file) =
        crate::files::temp_beside(db_path, "restoring").map_err(|_| Error::Conflict {
            key: "error.backupFailed",
            field: None,
        })?;
    drop(file);
    let copied = (|| -> Result<()> {
        let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut out = Connection::open(&tmp)?;
        {
            let b = Backup::new(&src, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(0), None)?;
        }
        standalone(&out)
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    for ext in ["sqlite3-wal", "sqlite3-shm"] {
        let _ = std::fs::remove_file(db_path.with_extension(ext));
    }
    std::fs::rename(&tmp, db_path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::Internal(format!("rename restored books: {e}"))
    })?;
    Ok(safety)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_backup_is_a_verified_copy_and_old_ones_are_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("esep.sqlite3")).unwrap();
        let mut ctx = crate::Ctx::new(
            &mut conn,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        );
        crate::api::call(
            &mut ctx,
            "save_profile",
            &json!({"name": "Shop", "currency": "KZT", "language": "kk"}),
        )
        .unwrap();
        let b = backup_now(&conn, dir.path(), 2).unwrap();
        let copy = Connection::open(&b).unwrap();
        let name: String = copy
            .query_row("SELECT name FROM business_profile", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Shop");
        std::fs::write(
            backup_dir(dir.path()).join("esep-20000101-000000.sqlite3"),
            b"old",
        )
        .unwrap();
        std::fs::write(
            backup_dir(dir.path()).join("esep-20000102-000000.sqlite3"),
            b"old",
        )
        .unwrap();
        backup_now(&conn, dir.path(), 2).ok();
        assert!(
            list(&backup_dir(dir.path())).len() <= 2,
            "rotated to the newest 2"
        );
        assert!(
            backup_if_due(&conn, dir.path()).unwrap().is_none(),
            "at most one a day"
        );
    }

    #[test]
    fn a_backup_into_a_read_only_place_fails_cleanly() {
        let conn = crate::db::open_in_memory().unwrap();
        let err = backup_to(&conn, Path::new("/proc/esep-cannot-write-here.sqlite3")).unwrap_err();
        assert_eq!(err.code(), "conflict", "{err:?}");
    }

    #[test]
    fn restore_brings_back_a_backup_and_keeps_a_safety_copy() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("esep.sqlite3")).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut ctx = crate::Ctx::new(&mut conn, day);
        crate::api::call(
            &mut ctx,
            "save_profile",
            &json!({"name": "Before", "currency": "KZT", "language": "kk"}),
        )
        .unwrap();
        let good = backup_now(&conn, dir.path(), KEEP).unwrap();
        let mut ctx = crate::Ctx::new(&mut conn, day);
        crate::api::call(
            &mut ctx,
            "save_profile",
            &json!({"name": "After", "currency": "KZT", "language": "kk"}),
        )
        .unwrap();
        let name = good.file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(resolve(dir.path(), &name).unwrap(), good);
        assert!(
            resolve(dir.path(), "../esep.sqlite3").is_err(),
            "only listed backups"
        );
        let safety = restore_into(&mut conn, &good, dir.path()).unwrap();
        let name_now: String = conn
            .query_row("SELECT name FROM business_profile", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name_now, "Before");
        let kept: String = Connection::open(&safety)
            .unwrap()
            .query_row("SELECT name FROM business_profile", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, "After", "the books before the restore are kept");
        assert!(entries(dir.path()).iter().any(|e| e.kind == "safety"));
        // A damaged backup is refused and nothing changes.
        let bad = backup_dir(dir.path()).join("esep-29991231-000000.sqlite3");
        std::fs::write(&bad, b"not a database").unwrap();
        assert!(restore_into(&mut conn, &bad, dir.path()).is_err());
        assert_eq!(
            newest_good(dir.path()).as_deref(),
            Some(good.as_path()),
            "the newest good one skips the damaged file"
        );
        // Books that cannot be opened at all are replaced by the file-level restore.
        drop(conn);
        let db = dir.path().join("esep.sqlite3");
        std::fs::write(&db, b"garbage").unwrap();
        assert!(crate::db::open(&db).is_err());
        restore_file(&db, &good, dir.path()).unwrap();
        let c = crate::db::open(&db).unwrap();
        let n: String = c
            .query_row("SELECT name FROM business_profile", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, "Before");
    }
}
