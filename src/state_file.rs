//! Scanner state on disk: a checksummed frame every state format shares, and
//! an atomic write that power loss never leaves half done.
//!
//! [`seal`] frames a state body as `MAGIC (4) ‖ version (1) ‖ body ‖
//! SHA-256 of everything before it (32)`; [`open`] checks the frame and
//! returns the body, so a truncated, bit-flipped or foreign file is refused
//! when it is read, never half-trusted. [`write_atomically`] (with `std`)
//! writes a temporary file beside the target, flushes it to disk, renames it
//! over the target and flushes the directory: after a crash at any point the
//! target holds either the old state or the new one, whole.

use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};

#[cfg(feature = "std")]
use std::{
    fs::{self, File, OpenOptions},
    io::{self, Write},
    path::Path,
};

/// Bytes of the frame's header: magic and version.
pub const HEADER_LEN: usize = 5;
/// Bytes of the frame's checksum.
pub const CHECKSUM_LEN: usize = 32;

/// Frames `body` as a state file of the kind `magic`, format `version`.
pub fn seal(magic: &[u8; 4], version: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len() + CHECKSUM_LEN);
    out.extend_from_slice(magic);
    out.push(version);
    out.extend_from_slice(body);
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    out
}

/// The body of a state file sealed as `magic`, `version`, after checking
/// its length, kind, version and checksum, in that order.
pub fn open<'a>(bytes: &'a [u8], magic: &[u8; 4], version: u8) -> Result<&'a [u8], StateFileError> {
    let framed_len = bytes.len().checked_sub(CHECKSUM_LEN).filter(|&n| n >= HEADER_LEN);
    let (framed, checksum) = bytes.split_at(framed_len.ok_or(StateFileError::Truncated)?);
    if &framed[..4] != magic {
        return Err(StateFileError::WrongKind);
    }
    if framed[4] != version {
        return Err(StateFileError::Version(framed[4]));
    }
    if Sha256::digest(framed)[..] != *checksum {
        return Err(StateFileError::Checksum);
    }
    Ok(&framed[HEADER_LEN..])
}

/// The big-endian u32 at `at` (the caller has checked the length).
pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(b)
}

/// The big-endian u64 at `at` (the caller has checked the length).
pub(crate) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_be_bytes(b)
}

/// Why a saved state file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateFileError {
    /// Shorter than its header and checksum.
    Truncated,
    /// Not this kind of nocard state file (wrong magic).
    WrongKind,
    /// A format version this build does not read.
    Version(u8),
    /// The checksum does not match: the file was cut short or altered.
    Checksum,
    /// Checksummed, but its contents are not a valid state.
    Invalid,
}

impl StateFileError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            StateFileError::Truncated => "state_truncated",
            StateFileError::WrongKind => "state_wrong_kind",
            StateFileError::Version(_) => "state_version",
            StateFileError::Checksum => "state_checksum",
            StateFileError::Invalid => "state_invalid",
        }
    }
}

impl fmt::Display for StateFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateFileError::Truncated => f.write_str("state file is truncated"),
            StateFileError::WrongKind => f.write_str("not this kind of nocard state file"),
            StateFileError::Version(v) => write!(f, "state file version {v} is not supported"),
            StateFileError::Checksum => f.write_str("state file checksum does not match (cut short or altered)"),
            StateFileError::Invalid => f.write_str("state file does not hold a valid state"),
        }
    }
}

impl core::error::Error for StateFileError {}

/// Replaces `path` with `bytes` atomically (write temp, fsync, rename, fsync
/// the directory). The temporary file is `path` with `.tmp` appended.
#[cfg(feature = "std")]
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
    fn a_sealed_body_opens_and_every_damage_is_refused() {
        let sealed = seal(b"TEST", 3, b"body");
        assert_eq!(open(&sealed, b"TEST", 3), Ok(&b"body"[..]));
        assert_eq!(open(&seal(b"TEST", 3, b""), b"TEST", 3), Ok(&b""[..]));
        for len in 0..sealed.len() {
            let expected =
                if len < HEADER_LEN + CHECKSUM_LEN { StateFileError::Truncated } else { StateFileError::Checksum };
            assert_eq!(open(&sealed[..len], b"TEST", 3), Err(expected), "cut at {len}");
        }
        for at in 0..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[at] ^= 0x10;
            let expected = match at {
                0..4 => StateFileError::WrongKind,
                4 => StateFileError::Version(3 ^ 0x10),
                _ => StateFileError::Checksum,
            };
            assert_eq!(open(&flipped, b"TEST", 3), Err(expected), "flip at {at}");
        }
    }

    #[cfg(feature = "std")]
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
