//! The `nocard` commands, a module each, and what they share: errors, the
//! clock, output, claims JSON and files.

pub mod code;
pub mod copy;
pub mod delegate;
pub mod demo;
pub mod doctypes;
pub mod inspect;
pub mod issue;
pub mod keygen;
pub mod log;
pub mod present;
pub mod receipt;
pub mod schema;
pub mod status;
pub mod trust;
pub mod verify;

mod claims_json;
mod files;
mod output;
mod portrait;

use std::fmt;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use nocard::credential::MAX_ID_LEN;
use nocard::document::{DocType, Profile, Registry};

use claims_json::hex_decode;

/// Default credential lifetime: 365 days.
pub const DEFAULT_VALIDITY: u64 = 365 * 86_400;

/// Why a command stopped early.
#[derive(Debug)]
pub enum Fail {
    /// A usage or I/O error: its message goes to stderr, the exit status is 2.
    Message(String),
    /// Whoever read stdout has closed it (`nocard doctypes | head -1`):
    /// nothing more can be said, so the command ends quietly with the
    /// status its output so far earned (0 unless a command says otherwise).
    StdoutClosed,
}

pub type CmdResult = Result<ExitCode, Fail>;

/// Wraps an error with what was being done.
pub fn context<E: fmt::Display>(what: impl fmt::Display) -> impl FnOnce(E) -> Fail {
    move |e| Fail::Message(format!("{what}: {e}"))
}

/// The clock, in Unix seconds.
pub fn now() -> Result<u64, Fail> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Fail::Message("the system clock is before 1970".into()))
}

/// The built-in document type named `name`.
pub fn doc_type(name: &str) -> Result<DocType, Fail> {
    Registry::builtin()
        .by_name(name)
        .cloned()
        .ok_or_else(|| Fail::Message(format!("unknown document type {name:?} (see `nocard doctypes`)")))
}

/// Reads a profile name, listing the valid ones on error.
pub fn parse_profile(name: &str) -> Result<Profile, String> {
    name.parse().map_err(|_| {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        format!("unknown profile; expected one of {}", names.join(", "))
    })
}

/// A `--credential-id` (a newtype: clap would take a `Vec` for a list).
#[derive(Clone)]
pub struct CredentialId(pub Vec<u8>);

/// Reads a `--credential-id`: 1 to [`MAX_ID_LEN`] bytes as hex.
pub fn parse_credential_id(hex: &str) -> Result<CredentialId, String> {
    hex_decode(hex)
        .filter(|id| (1..=MAX_ID_LEN).contains(&id.len()))
        .map(CredentialId)
        .ok_or_else(|| format!("expected 1-{MAX_ID_LEN} bytes as hex digits"))
}
