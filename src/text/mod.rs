//! The text form: a short versioned prefix and base45 (RFC 9285).
//!
//! Base45 keeps every character in the QR alphanumeric set, so a code uses
//! alphanumeric mode (5.5 bits a character) and survives scanner guns that
//! type into a keyboard buffer. Input is forgiving where keyboards are
//! careless: trailing CR/LF is dropped and lowercase letters are read as
//! uppercase. Everything else is exact.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Malformed, MalformedKind};

/// What a text carries, told apart by its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// `NC1:`: a presentation, what the QR shows.
    Presentation,
    /// `NCC1:`: a credential bundle, what the issuer hands the wallet.
    Credential,
    /// `NCS1:`: a presentation sealed to a scanner group (SPEC.md §13).
    Sealed,
    /// `NCP1:`: one frame of a portrait transfer (SPEC.md §14), shown after
    /// a presentation.
    Portrait,
    /// `NCD1:`: a delegation, what the delegator's wallet hands the delegate
    /// (SPEC.md §17).
    Delegation,
    /// `NCA1:`: a delegate acting for the delegator, a delegation with the
    /// delegate's presentation: what the desk scans (SPEC.md §17).
    Acting,
    /// `NCK1:`: a consent to one request (SPEC.md §17).
    Consent,
    /// `NCR1:`: a desk's receipt (SPEC.md §15.1), the QR code on a printed
    /// copy (SPEC.md §18).
    Receipt,
}

/// The format version this build writes and reads.
pub const VERSION: char = '1';

/// The largest presentation text accepted: the alphanumeric capacity of the
/// largest QR code (version 40-L), so no QR can carry more.
pub const MAX_PRESENTATION_TEXT: usize = 4296;
/// The largest presentation accepted as bytes: what the largest text decodes to.
pub const MAX_PRESENTATION_BYTES: usize = (MAX_PRESENTATION_TEXT - 4) / 3 * 2 + (MAX_PRESENTATION_TEXT - 4) % 3 / 2;
/// The largest credential bundle text accepted.
pub const MAX_CREDENTIAL_TEXT: usize = 24_576;

impl TextKind {
    fn prefix(self) -> &'static str {
        match self {
            TextKind::Presentation => "NC1:",
            TextKind::Credential => "NCC1:",
            TextKind::Sealed => "NCS1:",
            TextKind::Portrait => "NCP1:",
            TextKind::Delegation => "NCD1:",
            TextKind::Acting => "NCA1:",
            TextKind::Consent => "NCK1:",
            TextKind::Receipt => "NCR1:",
        }
    }

    fn max_text(self) -> usize {
        match self {
            // One QR code each: a desk scans them in one go.
            TextKind::Presentation
            | TextKind::Sealed
            | TextKind::Portrait
            | TextKind::Delegation
            | TextKind::Acting
            | TextKind::Consent
            | TextKind::Receipt => MAX_PRESENTATION_TEXT,
            TextKind::Credential => MAX_CREDENTIAL_TEXT,
        }
    }
}

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Encodes bytes as prefix + base45.
pub fn encode(kind: TextKind, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(kind.prefix().len() + bytes.len().div_ceil(2) * 3);
    out.push_str(kind.prefix());
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match *chunk {
            [a, b] => (usize::from(a) * 256 + usize::from(b), 3),
            [a] => (usize::from(a), 2),
            _ => unreachable!("chunks(2) yields one or two bytes"),
        };
        for _ in 0..digits {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}

/// Which kind a text claims to be, from its prefix alone (for tools that
/// accept either).
pub fn kind_of(text: &[u8]) -> Option<TextKind> {
    let upper = |i: usize| text.get(i).map(u8::to_ascii_uppercase);
    // `NCD:` is a presentation of version D, `NCD1:` a delegation.
    let long = text.get(4) == Some(&b':');
    match (upper(0), upper(1), upper(2)) {
        (Some(b'N'), Some(b'C'), Some(b'C')) => Some(TextKind::Credential),
        (Some(b'N'), Some(b'C'), Some(b'S')) => Some(TextKind::Sealed),
        (Some(b'N'), Some(b'C'), Some(b'P')) => Some(TextKind::Portrait),
        (Some(b'N'), Some(b'C'), Some(b'D')) if long => Some(TextKind::Delegation),
        (Some(b'N'), Some(b'C'), Some(b'A')) if long => Some(TextKind::Acting),
        (Some(b'N'), Some(b'C'), Some(b'K')) if long => Some(TextKind::Consent),
        (Some(b'N'), Some(b'C'), Some(b'R')) if long => Some(TextKind::Receipt),
        (Some(b'N'), Some(b'C'), Some(_)) => Some(TextKind::Presentation),
        _ => None,
    }
}

/// Decodes a text of `kind` to its bytes.
pub fn decode(kind: TextKind, text: &[u8]) -> Result<Vec<u8>, Error> {
    let mut end = text.len();
    while end > 0 && matches!(text[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    let text = &text[..end];
    if text.len() > kind.max_text() {
        return Err(Malformed::at(MalformedKind::TooLarge { max: kind.max_text() }, kind.max_text()).into());
    }
    let body_start = check_prefix(kind, text)?;
    Ok(base45_decode(&text[body_start..], body_start)?)
}

/// Returns where the base45 body starts.
fn check_prefix(kind: TextKind, text: &[u8]) -> Result<usize, Error> {
    let prefix = kind.prefix().as_bytes();
    let version_at = prefix.len() - 2;
    let missing = || Error::from(Malformed::at(MalformedKind::MissingPrefix, 0));
    if text.len() < prefix.len() || !text[..version_at].eq_ignore_ascii_case(&prefix[..version_at]) {
        return Err(missing());
    }
    if text[version_at + 1] != b':' {
        return Err(missing());
    }
    let version = text[version_at];
    if !version.is_ascii_alphanumeric() {
        return Err(missing());
    }
    if version != VERSION as u8 {
        return Err(Error::UnsupportedVersion { found: char::from(version.to_ascii_uppercase()) });
    }
    Ok(prefix.len())
}

fn base45_value(c: u8) -> Option<u16> {
    let c = c.to_ascii_uppercase();
    Some(match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        b':' => 44,
        _ => return None,
    } as u16)
}

/// RFC 9285 §4.4. `base` is the offset of `text` in the whole input.
fn base45_decode(text: &[u8], base: usize) -> Result<Vec<u8>, Malformed> {
    if text.len() % 3 == 1 {
        return Err(Malformed::at(MalformedKind::Base45Length, base + text.len() - 1));
    }
    let mut out = Vec::with_capacity(text.len() / 3 * 2 + 1);
    for (i, chunk) in text.chunks(3).enumerate() {
        let at = base + i * 3;
        let mut n: u32 = 0;
        let mut weight: u32 = 1;
        for (j, &c) in chunk.iter().enumerate() {
            let v = base45_value(c).ok_or(Malformed::at(MalformedKind::Base45Character, at + j))?;
            n += u32::from(v) * weight;
            weight *= 45;
        }
        if chunk.len() == 3 {
            let n = u16::try_from(n).map_err(|_| Malformed::at(MalformedKind::Base45Value, at))?;
            out.extend_from_slice(&n.to_be_bytes());
        } else {
            out.push(u8::try_from(n).map_err(|_| Malformed::at(MalformedKind::Base45Value, at))?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
