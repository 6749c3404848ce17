//! `nocard status`: build, update and show signed status lists (revocation,
//! SPEC.md §11), and load them for `nocard verify --status`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use serde_json::{Value as Json, json};

use nocard::state_file::write_atomically;
use nocard::status_list::{MissingList, Status, StatusError, StatusList, StatusListToken, StatusStore};
use nocard::verify::TrustedKey;

use super::files::{read_file, read_public_key, read_secret_key, write_file};
use super::output::print_json_pretty;
use super::{CmdResult, Fail, context, now};

/// Default lifetime of a status list: 7 days.
const DEFAULT_LIFETIME: u64 = 7 * 86_400;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// When the list is valid, for `build` and `set`.
#[derive(ClapArgs)]
struct Validity {
    /// Issue time (`iat`), Unix seconds [default: now; for `set`, at least
    /// one second after the list it updates].
    #[arg(long, value_name = "UNIX")]
    issued_at: Option<u64>,
    /// Expiry (`exp`), Unix seconds [default: 7 days after the issue time].
    #[arg(long, value_name = "UNIX")]
    expires: Option<u64>,
    /// `ttl`: seconds after which scanners should fetch a newer list.
    #[arg(long, value_name = "SECS")]
    ttl: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Build and sign a new status list (every entry valid unless --set).
    Build {
        /// The issuer's secret key.
        #[arg(long, value_name = "KEY")]
        issuer_key: PathBuf,
        /// The issuer name, as its credentials carry it.
        #[arg(long, value_name = "NAME")]
        issuer: String,
        /// The list id credentials name (`nocard issue --status-list`).
        #[arg(long, value_name = "ID")]
        list: u32,
        /// Bits per entry: 1 (valid/revoked) or 2 (also suspended).
        #[arg(long, value_name = "1|2", value_parser = clap::value_parser!(u8).range(1..=2))]
        bits: u8,
        /// Entries, 1-16777216 (rounded up to a whole byte).
        #[arg(long, value_name = "N")]
        size: usize,
        /// Set an entry: INDEX=valid|revoked|suspended (repeatable).
        #[arg(long = "set", value_name = "INDEX=STATUS", value_parser = parse_entry)]
        entries: Vec<(usize, Status)>,
        #[command(flatten)]
        validity: Validity,
        /// Where to write the signed list (CBOR).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Change entries of a signed list and sign it again, newer.
    Set {
        /// The issuer's secret key; the list must be signed by it.
        #[arg(long, value_name = "KEY")]
        issuer_key: PathBuf,
        /// The signed list to update.
        #[arg(long = "in", value_name = "FILE")]
        input: PathBuf,
        /// An entry: INDEX=valid|revoked|suspended (repeatable).
        #[arg(long = "set", value_name = "INDEX=STATUS", value_parser = parse_entry, required = true)]
        entries: Vec<(usize, Status)>,
        #[command(flatten)]
        validity: Validity,
        /// Where to write the new list (may be the same file).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check a signed list against its issuer's public key and print it as JSON.
    Show {
        /// The signed list.
        list: PathBuf,
        /// The issuer public key it must be signed by.
        #[arg(long, value_name = "PUB")]
        key: PathBuf,
    },
}

pub fn run(args: &Args) -> CmdResult {
    match &args.command {
        Command::Build { issuer_key, issuer, list, bits, size, entries, validity, out } => {
            let key = read_secret_key(issuer_key)?;
            let mut statuses = StatusList::new(*bits, *size).map_err(context("--size"))?;
            set_entries(&mut statuses, entries)?;
            let issued_at = validity.issued_at.map_or_else(now, Ok)?;
            let token = token(issuer.clone(), *list, issued_at, validity, statuses)?;
            write_file(out, &token.sign(&key).map_err(context("cannot sign the list"))?)?;
            print_json_pretty(&token_json(&token))?;
        }
        Command::Set { issuer_key, input, entries, validity, out } => {
            let key = read_secret_key(issuer_key)?;
            let bytes = read_file(input)?;
            let old = StatusListToken::open(&bytes, |kid| (kid == key.public_key().id()).then(|| key.public_key()))
                .map_err(|e| refused(input, &e))?;
            let mut statuses = old.list.clone();
            set_entries(&mut statuses, entries)?;
            let issued_at = match validity.issued_at {
                Some(t) => t,
                None => now()?.max(old.issued_at.saturating_add(1)),
            };
            if issued_at <= old.issued_at {
                return Err(Fail::Message(format!(
                    "--issued-at {issued_at} is not after the list's {}: scanners would refuse it as a rollback",
                    old.issued_at
                )));
            }
            let token = token(old.issuer, old.list_id, issued_at, validity, statuses)?;
            let signed = token.sign(&key).map_err(context("cannot sign the list"))?;
            write_atomically(out, &signed).map_err(context(format!("cannot write {}", out.display())))?;
            print_json_pretty(&token_json(&token))?;
        }
        Command::Show { list, key } => {
            let key = read_public_key(key)?;
            let token = StatusListToken::open(&read_file(list)?, |kid| (kid == key.id()).then_some(&key))
                .map_err(|e| refused(list, &e))?;
            let mut json = token_json(&token);
            let not_valid: Vec<Json> = (0..token.list.len())
                .filter_map(|i| match token.list.get(i) {
                    Some(Status::Valid) | None => None,
                    Some(s) => Some(json!({"index": i, "status": s.name()})),
                })
                .collect();
            json["entries"] = Json::Array(not_valid);
            print_json_pretty(&json)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn token(
    issuer: String,
    list_id: u32,
    issued_at: u64,
    validity: &Validity,
    list: StatusList,
) -> Result<StatusListToken, Fail> {
    let expires = validity.expires.unwrap_or(issued_at.saturating_add(DEFAULT_LIFETIME));
    if expires <= issued_at {
        return Err(Fail::Message(format!("--expires {expires} must be after the issue time {issued_at}")));
    }
    Ok(StatusListToken { issuer, list_id, issued_at, expires, ttl: validity.ttl, list })
}

fn set_entries(list: &mut StatusList, entries: &[(usize, Status)]) -> Result<(), Fail> {
    for &(index, status) in entries {
        list.set(index, status).map_err(context(format!("--set {index}={}", status.name())))?;
    }
    Ok(())
}

/// `INDEX=valid|revoked|suspended`.
fn parse_entry(spec: &str) -> Result<(usize, Status), String> {
    let (index, status) = spec.split_once('=').ok_or("expected INDEX=valid|revoked|suspended")?;
    let index = index.parse().map_err(|_| format!("{index:?} is not an index"))?;
    let status = match status {
        "valid" => Status::Valid,
        "revoked" => Status::Revoked,
        "suspended" => Status::Suspended,
        other => return Err(format!("{other:?} is not valid, revoked or suspended")),
    };
    Ok((index, status))
}

fn refused(path: &Path, error: &StatusError) -> Fail {
    Fail::Message(format!("{}: {} ({error})", path.display(), error.code()))
}

/// A list as JSON, without its entries.
fn token_json(token: &StatusListToken) -> Json {
    json!({
        "issuer": token.issuer,
        "list": token.list_id,
        "iat": token.issued_at,
        "exp": token.expires,
        "ttl": token.ttl,
        "bits": token.list.bits(),
        "size": token.list.len(),
    })
}

/// The status lists a desk checks credentials against: `db` (if given and
/// present), then each list file in order, newer ones replacing older;
/// `db` is saved if that changed it. Any refusal stops the desk: a list
/// that should be in force is not.
pub fn load_store(
    keys: &[TrustedKey],
    files: &[PathBuf],
    db: Option<&Path>,
    missing: MissingList,
    now: u64,
) -> Result<StatusStore, Fail> {
    let mut store = match db {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => StatusStore::from_bytes(&bytes, keys.to_vec()).map_err(|e| refused(path, &e))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => StatusStore::new(keys.to_vec()),
            Err(e) => return Err(Fail::Message(format!("cannot read {}: {e}", path.display()))),
        },
        None => StatusStore::new(keys.to_vec()),
    }
    .missing_list(missing);
    let before = store.to_bytes();
    for file in files {
        store.update(&read_file(file)?, now).map_err(|e| refused(file, &e))?;
    }
    if let Some(path) = db {
        let after = store.to_bytes();
        if after != before {
            write_atomically(path, &after).map_err(context(format!("cannot save {}", path.display())))?;
        }
    }
    Ok(store)
}

/// What the JSON result says about the list that decided, and its verdict.
pub fn decided_by(token: &StatusListToken, status: &str) -> Json {
    json!({"issuer": token.issuer, "list": token.list_id, "iat": token.issued_at, "exp": token.expires, "status": status})
}
