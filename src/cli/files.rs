//! Reading and writing files, secret key files and stdin.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use nocard::keys::{PublicKey, SecretKey};
use nocard::numeric_code::{CodeKey, KEY_LEN};
use nocard::seal::{GroupPublicKey, GroupSecretKey};
use zeroize::Zeroizing;

use super::claims_json::{hex_decode, hex_encode};
use super::{Fail, context};

/// Most stdin bytes `inspect` reads (credential texts stop at 24 576).
const MAX_INSPECT_INPUT: u64 = 65_536;

pub fn read_file(path: &Path) -> Result<Vec<u8>, Fail> {
    fs::read(path).map_err(context(format!("cannot read {}", path.display())))
}

pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    fs::write(path, bytes).map_err(context(format!("cannot write {}", path.display())))
}

/// Writes a secret: on Unix the file is made mode 0600 before anything is written.
pub fn write_secret_file(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let fail = || context(format!("cannot write {}", path.display()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(fail())?;
    // An existing file keeps its mode on open: tighten it before writing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(fail())?;
    }
    write_all_to(file, bytes).map_err(fail())
}

fn write_all_to(mut file: fs::File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// Reads a file that holds a secret (a key, a bundle with its salts and
/// numeric-code secret) into a buffer wiped when dropped.
pub fn read_secret_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, Fail> {
    read_file(path).map(Zeroizing::new)
}

pub fn read_secret_key(path: &Path) -> Result<SecretKey, Fail> {
    SecretKey::from_cose_key(&read_secret_file(path)?).map_err(context(path.display()))
}

pub fn read_public_key(path: &Path) -> Result<PublicKey, Fail> {
    PublicKey::from_cose_key(&read_file(path)?).map_err(context(path.display()))
}

pub fn read_group_secret_key(path: &Path) -> Result<GroupSecretKey, Fail> {
    GroupSecretKey::from_cose_key(&read_file(path)?).map_err(context(path.display()))
}

pub fn read_group_public_key(path: &Path) -> Result<GroupPublicKey, Fail> {
    GroupPublicKey::from_cose_key(&read_file(path)?).map_err(context(path.display()))
}

/// Writes a numeric-code key: its 32 bytes as 64 hex digits and a newline.
pub fn write_code_key(path: &Path, key: &CodeKey) -> Result<(), Fail> {
    let mut text = Zeroizing::new(hex_encode(key.as_bytes()));
    text.push('\n');
    write_secret_file(path, text.as_bytes())
}

/// Reads a numeric-code key written by [`write_code_key`].
pub fn read_code_key(path: &Path) -> Result<CodeKey, Fail> {
    let expected = || Fail::Message(format!("{}: expected a code key, 64 hex digits", path.display()));
    let text = read_secret_file(path)?;
    let text = std::str::from_utf8(&text).map_err(|_| expected())?;
    let bytes = Zeroizing::new(hex_decode(text.trim_end()).ok_or_else(expected)?);
    let key: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| expected())?;
    Ok(CodeKey::from_bytes(key))
}

/// Reads stdin, at most [`MAX_INSPECT_INPUT`] bytes: a longer text is cut
/// and then refused as `too_large` by the decoder.
pub fn read_stdin() -> Result<Vec<u8>, Fail> {
    let mut bytes = Vec::new();
    io::stdin().lock().take(MAX_INSPECT_INPUT).read_to_end(&mut bytes).map_err(context("cannot read stdin"))?;
    Ok(bytes)
}
