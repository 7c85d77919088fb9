//! One window per set of books: a second launch on the same data directory brings the first
//! window to the front and quits.
//!
//! Why not `tauri-plugin-single-instance`: it keys on the app's identifier (one Esep per
//! user), but what must not be open twice is a set of *books*. A portable copy on a USB stick,
//! the sample shop or the test harness's parallel apps have their own data directories and may
//! run side by side.
//!
//! How: the app that holds the books' writer lock listens on a loopback port and writes
//! `<database>.instance` = `port token`. A launch that finds the books locked reads it,
//! connects and sends the token; the owner shows and focuses its window and tells its UI
//! ("Esep is already open: here it is"), then answers `ok`, and the new launch exits. If
//! anything in that fails (an old file, an owner that hangs), the new launch explains in its
//! own window instead — it never opens the books.

use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The file that tells a second launch where the first one listens.
pub fn instance_file(dir: &Path) -> PathBuf {
    let mut name = crate::state::db_path(dir).into_os_string();
    name.push(".instance");
    PathBuf::from(name)
}

/// A token nobody can guess from outside the process (std's per-process random hash keys).
fn token() -> String {
    let a = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{a:016x}{:016x}", h.finish())
}

/// Starts listening for later launches; `on_knock` runs (on the listener's thread) for each.
pub fn listen(dir: &Path, on_knock: impl Fn() + Send + 'static) -> std::io::Result<()> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = listener.local_addr()?.port();
    let token = token();
    let file = instance_file(dir);
    // The token is a secret: a private file, written whole (a fresh temporary name, renamed).
    esep_core::files::write_atomic(&file, format!("{port} {token}\n").as_bytes())?;
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // One deadline for the whole line: a local process trickling a byte at a time
            // cannot hold the listener (a per-read timeout would let it).
            if read_line_by(&stream, Instant::now() + KNOCK_DEADLINE)
                .as_deref()
                .map(str::trim)
                == Some(token.as_str())
            {
                on_knock();
                let _ = stream.write_all(b"ok\n");
            }
        }
    });
    Ok(())
}

/// How long a connection to the listener may take to send its token.
pub const KNOCK_DEADLINE: Duration = Duration::from_secs(2);

/// Asks the app that holds the books in `dir` to come to the front; true when it said it did.
pub fn knock(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(instance_file(dir)) else {
        return false;
    };
    let mut parts = text.split_whitespace();
    let (Some(Ok(port)), Some(token)) = (parts.next().map(str::parse::<u16>), parts.next()) else {
        return false;
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    if stream.write_all(format!("{token}\n").as_bytes()).is_err() {
        return false;
    }
    read_line(&stream).as_deref().map(str::trim) == Some("ok")
}

/// One line of at most 200 bytes; `None` on error, timeout or nothing.
fn read_line(stream: &TcpStream) -> Option<String> {
    read_line_by(stream, Instant::now() + Duration::from_secs(3))
}

/// One line of at most 200 bytes, all of it before `deadline`; `None` on error, on the
/// deadline, or on nothing.
fn read_line_by(mut stream: &TcpStream, deadline: Instant) -> Option<String> {
    use std::io::Read;
    let mut line = Vec::new();
    let mut byte = [0u8; 64];
    while line.len() < 200 {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        let n = stream.read(&mut byte[..(200 - line.len()).min(64)]).ok()?;
        if n == 0 {
            break;
        }
        line.extend_from_slice(&byte[..n]);
        if line.contains(&b'\n') {
            break;
        }
    }
    let end = line
        .iter()
        .position(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(line.len());
    if end == 0 {
        return None;
    }
    String::from_utf8(line[..end].to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn a_knock_with_the_token_reaches_the_owner_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!knock(dir.path()), "nobody listens yet");
        let knocks = Arc::new(AtomicUsize::new(0));
        let k = knocks.clone();
        listen(dir.path(), move || {
            k.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        assert!(knock(dir.path()));
        assert!(knock(dir.path()));
        assert_eq!(knocks.load(Ordering::SeqCst), 2);
        // A wrong token (another program on the port) is ignored.
        let text = std::fs::read_to_string(instance_file(dir.path())).unwrap();
        let port: u16 = text.split_whitespace().next().unwrap().parse().unwrap();
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        s.write_all(b"guess\n").unwrap();
        assert_eq!(read_line(&s), None, "no answer to a wrong token");
        assert_eq!(knocks.load(Ordering::SeqCst), 2);
        // A stale file pointing at a closed port: the knock fails quickly and says so.
        let other = tempfile::tempdir().unwrap();
        let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::write(instance_file(other.path()), format!("{closed} abc\n")).unwrap();
        assert!(!knock(other.path()));
    }

    #[test]
    fn a_connection_trickling_bytes_is_dropped_at_the_deadline_and_the_owner_still_answers() {
        let dir = tempfile::tempdir().unwrap();
        listen(dir.path(), || {}).unwrap();
        let text = std::fs::read_to_string(instance_file(dir.path())).unwrap();
        let port: u16 = text.split_whitespace().next().unwrap().parse().unwrap();
        let mut slow = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        let started = Instant::now();
        // One byte every 300 ms (each well inside a per-read timeout) for up to 6 s.
        let mut closed_after = None;
        for _ in 0..20 {
            if slow.write_all(b"a").is_err() {
                closed_after = Some(started.elapsed());
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        let closed_after = closed_after.unwrap_or(started.elapsed());
        assert!(
            closed_after < KNOCK_DEADLINE + Duration::from_secs(2),
            "the listener let go within its deadline, not after {closed_after:?}"
        );
        assert!(knock(dir.path()), "and answers the next launch");
    }

    #[cfg(unix)]
    #[test]
    fn the_instance_token_is_readable_by_the_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        listen(dir.path(), || {}).unwrap();
        let mode = std::fs::metadata(instance_file(dir.path()))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
}
