//! Saving a scanner's state so that power loss never leaves half a file.
//!
//! [`write_atomically`] writes a temporary file beside the target, flushes
//! it to disk, renames it over the target and flushes the directory: after a
//! crash at any point the target holds either the old state or the new one,
//! whole. The state formats carry their own checksum, so a file damaged by
//! other means is refused when it is read, never half-trusted.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes` atomically (write temp, fsync, rename, fsync
/// the directory). The temporary file is `path` with `.tmp` appended.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp_name = std::ffi::OsString::from(path.as_os_str());
    tmp_name.push(".tmp");
    let tmp = Path::new(&tmp_name);
    let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(tmp, path)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("nocard-state-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("replay.db");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert!(!dir.join("replay.db.tmp").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
