//! Files that hold the books: private to the user, created new, replaced atomically.
//!
//! The books, their backups and safety copies, the writer lock and the instance token are the
//! user's alone: on Unix their directories are created `0700` and the files `0600` (another
//! local user can neither read the invoices nor swap a file). Temporary files get a fresh name
//! that is created new (`O_EXCL`), never a fixed sibling of the target such as `x.part`, which
//! another process could have made first (a symlink to elsewhere) or which a second save of the
//! same name would share. On Windows the user's profile directories are private already; the
//! calls only create.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Creates `dir` and its missing parents; the directory itself is made (or made again) `0700`.
/// Where the file system cannot (a FAT or exFAT USB stick, a network share, a folder of
/// someone else's) the directory is used as it is: the books must still open there.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// Creates `path`, which must not exist yet, readable and writable by the user only.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    create_new(path, true)
}

/// Creates `path`, which must not exist yet (`O_EXCL`: a planted file or symlink is refused);
/// `private` makes it `0600`, otherwise it gets the user's usual permissions (umask).
fn create_new(path: &Path, private: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    o.open(path)
}

/// Opens (creating if needed) a file the user alone may read, e.g. a lock file.
pub fn open_private(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    let _ = restrict(path); // best effort, as in `private_dir`
    Ok(f)
}

/// Makes an existing file `0600` (the books made by an older version, a file SQLite created).
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A new, empty, private file beside `target` with a name nobody else uses:
/// `.<file name>.<pid>-<counter>-<random>.<tag>`. The caller renames it over the target or
/// removes it.
pub fn temp_beside(target: &Path, tag: &str) -> io::Result<(PathBuf, File)> {
    temp_beside_with(target, tag, true)
}

fn temp_beside_with(target: &Path, tag: &str, private: bool) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "esep".into());
    for _ in 0..32 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            ".{name}.{}-{n}-{:08x}.{tag}",
            std::process::id(),
            random_u32()
        ));
        match create_new(&path, private) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    ))
}

/// Writes `bytes` to `target` through a fresh temporary file and a rename: the target is
/// either the old file or the whole new one, never half of it (a full disk leaves it as it was).
/// The file is the user's alone (`0600`).
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via_temp(target, bytes, true)
}

/// [`write_atomic`] for a file the user saves where they choose (a PDF, a CSV for Excel): the
/// same fresh temporary name and rename, with the user's usual permissions.
pub fn write_atomic_shared(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via_temp(target, bytes, false)
}

fn write_via_temp(target: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let (tmp, mut f) = temp_beside_with(target, "part", private)?;
    let written = f.write_all(bytes).and_then(|_| f.sync_all()).and_then(|_| {
        drop(f);
        std::fs::rename(&tmp, target)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A name suffix nobody can predict from outside (std's per-process random hash keys).
fn random_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn temporary_names_are_new_each_time_and_never_a_fixed_sibling() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("Invoice.pdf");
        let (a, _) = temp_beside(&target, "part").unwrap();
        let (b, _) = temp_beside(&target, "part").unwrap();
        assert_ne!(
            a, b,
            "two saves of the same name never share a temporary file"
        );
        assert_ne!(
            a,
            target.with_extension("part"),
            "not the predictable sibling"
        );
        assert_eq!(
            a.parent(),
            target.parent(),
            "beside the target, so the rename stays on one file system"
        );
        write_atomic(&target, b"%PDF-1.7").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            left.len(),
            3,
            "the target and the two files made above, nothing else: {left:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_directories_are_the_users_alone() {
        let dir = tempfile::tempdir().unwrap();
        let books = dir.path().join("data").join("backups");
        private_dir(&books).unwrap();
        assert_eq!(mode(&books), 0o700);
        let f = books.join("x.sqlite3");
        drop(create_new_private(&f).unwrap());
        assert_eq!(mode(&f), 0o600);
        assert!(
            create_new_private(&f).is_err(),
            "created new: an existing file (or a planted symlink) is refused"
        );
        write_atomic(&books.join("y.pdf"), b"1").unwrap();
        assert_eq!(mode(&books.join("y.pdf")), 0o600);
        let old = books.join("old");
        std::fs::write(&old, b"").unwrap();
        restrict(&old).unwrap();
        assert_eq!(mode(&old), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(create_new_private(&link).is_err());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    }
}
