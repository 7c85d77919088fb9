//! One writer per database: an exclusive OS file lock on `<database>.lock`, held for as long as
//! the app (or a writing `esep-cli` call) has the database open. The OS drops it when the
//! process dies, so a crash never leaves a stale lock behind.

use crate::error::{Error, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    path: PathBuf,
}

impl WriterLock {
    /// Takes the lock for `db_path`, or fails with `conflict` / `error.databaseInUse`.
    pub fn acquire(db_path: &Path) -> Result<WriterLock> {
        let mut name = db_path.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let file = crate::files::open_private(&path).map_err(|e| {
            Error::Internal(format!("cannot open lock file {}: {e}", path.display()))
        })?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Conflict {
                key: "error.databaseInUse",
                field: None,
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::Internal(format!(
                "cannot lock {}: {e}",
                path.display()
            ))),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("esep.sqlite3");
        let first = WriterLock::acquire(&db).unwrap();
        let second = WriterLock::acquire(&db).unwrap_err();
        assert_eq!(second.message_key(), "error.databaseInUse");
        drop(first);
        assert!(
            WriterLock::acquire(&db).is_ok(),
            "the lock is free again once dropped"
        );
    }
}
