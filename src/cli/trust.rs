//! `nocard trust`: sign a trust list for scanners, keep a scanner's trust
//! state across restarts, and show a list after checking it.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use serde_json::{Value as Json, json};

use nocard::keys::PublicKey;
use nocard::state_file::write_atomically;
use nocard::trust_list::{IssuerEntry, TrustList, TrustStore};
use nocard::verify::KeyScope;

use super::files::{read_file, read_public_key, read_secret_key, write_file};
use super::output::print_json_pretty;
use super::{CmdResult, Fail, context};

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a trust list described in JSON with a root key (police IT).
    ///
    /// LIST.json: {"sequence": N, "issued_at": UNIX, "next_update": UNIX,
    /// "issuers": [{"name": "NBPSB", "key": "bureau.pub", "types":
    /// ["resident_id_card"] or "*", "signs_from"?: UNIX, "signs_until"?: UNIX,
    /// "compromised_at"?: UNIX}],
    /// "next_roots"?: ["root2.pub"]}; key paths are relative to LIST.json.
    #[command(verbatim_doc_comment)]
    Sign {
        /// The root secret key.
        #[arg(long, value_name = "KEY")]
        root: PathBuf,
        /// The list, as JSON.
        #[arg(long, value_name = "LIST.json")]
        list: PathBuf,
        /// Where to write the signed list (CBOR).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check a signed trust list against a root key and print it as JSON;
    /// or, with --state, print the list a scanner's trust state holds.
    Show {
        /// The signed list.
        #[arg(required_unless_present = "state", conflicts_with = "state")]
        list: Option<PathBuf>,
        /// A root public key it must be signed by (repeat for several).
        #[arg(long, value_name = "PUB", required_unless_present = "state", conflicts_with = "state")]
        root: Vec<PathBuf>,
        /// A trust state file (`nocard trust update`).
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
    },
    /// Take a signed list into a scanner's trust state FILE, which keeps the
    /// roots and the newest list across restarts: an older list, or another
    /// list with the same sequence, is refused (`trust_list_rollback`); the
    /// list held, offered again, is no change. Prints the list held.
    Update {
        /// The signed list.
        list: PathBuf,
        /// The trust state file; saved atomically when the list is taken.
        #[arg(long, value_name = "FILE")]
        state: PathBuf,
        /// Root public keys to provision a new FILE with (repeatable). An
        /// existing FILE keeps its own roots, which lists may have rotated:
        /// giving --root then is refused.
        #[arg(long, value_name = "PUB")]
        root: Vec<PathBuf>,
    },
}

pub fn run(args: &Args) -> CmdResult {
    match &args.command {
        Command::Sign { root, list, out } => {
            let json: Json = serde_json::from_slice(&read_file(list)?).map_err(context(list.display()))?;
            let base = list.parent().unwrap_or(Path::new("."));
            let trust_list =
                list_from_json(&json, base).map_err(|e| Fail::Message(format!("{}: {e}", list.display())))?;
            let signed = trust_list.sign(&read_secret_key(root)?).map_err(context(list.display()))?;
            write_file(out, &signed)?;
        }
        Command::Show { list: Some(list), root, state: None } => {
            let shown = load(list, root)?;
            print_json_pretty(&list_json(&shown))?;
        }
        Command::Show { state: Some(state), .. } => {
            let store = open_state(state)?;
            print_json_pretty(&state_json(&store))?;
        }
        Command::Show { list: None, state: None, .. } => {
            return Err(Fail::Message("give a LIST and its --root, or a --state file".into()));
        }
        Command::Update { list, state, root } => {
            let mut store = match (read_state(state)?, root.as_slice()) {
                (Some(_), [_, ..]) => {
                    return Err(Fail::Message(format!(
                        "{} already holds its roots (lists may have rotated them); --root provisions a new state file only",
                        state.display()
                    )));
                }
                (Some(store), []) => store,
                (None, []) => {
                    return Err(Fail::Message(format!(
                        "{} does not exist: give --root to provision it",
                        state.display()
                    )));
                }
                (None, roots) => provision(roots)?,
            };
            let before = store.to_bytes();
            take(&mut store, list)?;
            let after = store.to_bytes();
            if after != before {
                write_atomically(state, &after).map_err(context(format!("cannot save {}", state.display())))?;
            }
            print_json_pretty(&state_json(&store))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A trust state file, or `None` when there is none yet.
fn read_state(path: &Path) -> Result<Option<TrustStore>, Fail> {
    match std::fs::read(path) {
        Ok(bytes) => TrustStore::from_bytes(&bytes)
            .map(Some)
            .map_err(|e| Fail::Message(format!("{}: {} ({e})", path.display(), e.code()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Fail::Message(format!("cannot read {}: {e}", path.display()))),
    }
}

/// A trust state file that must exist and hold a list.
pub fn open_state(path: &Path) -> Result<TrustStore, Fail> {
    let store = read_state(path)?.ok_or_else(|| {
        Fail::Message(format!("{} does not exist: create it with `nocard trust update --root`", path.display()))
    })?;
    if store.current().is_none() {
        return Err(Fail::Message(format!("{} holds no trust list yet", path.display())));
    }
    Ok(store)
}

fn provision(roots: &[PathBuf]) -> Result<TrustStore, Fail> {
    let roots = roots.iter().map(|p| read_public_key(p)).collect::<Result<Vec<_>, _>>()?;
    TrustStore::new(roots).map_err(context("--root"))
}

/// Offers the signed list at `list` to `store`.
fn take<'a>(store: &'a mut TrustStore, list: &Path) -> Result<&'a TrustList, Fail> {
    let bytes = read_file(list)?;
    store.update(&bytes).map_err(|e| Fail::Message(format!("{}: {} ({e})", list.display(), e.code())))
}

fn state_json(store: &TrustStore) -> Json {
    json!({
        "roots": store.roots().iter().map(|k| k.id().to_string()).collect::<Vec<_>>(),
        "list": store.current().map(list_json),
    })
}

/// Reads a signed list and takes it into a store provisioned with `roots`.
pub fn load(list: &Path, roots: &[PathBuf]) -> Result<TrustList, Fail> {
    let mut store = provision(roots)?;
    take(&mut store, list).cloned()
}

fn list_from_json(json: &Json, base: &Path) -> Result<TrustList, String> {
    let uint = |json: &Json, field: &str| json[field].as_u64().ok_or_else(|| format!("{field}: expected an integer"));
    let optional_uint = |json: &Json, field: &str| json.get(field).map(|_| uint(json, field)).transpose();
    let key = |path: &Json| -> Result<_, String> {
        let path = base.join(path.as_str().ok_or("a key must be a file path")?);
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        PublicKey::from_cose_key(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    let issuers = json["issuers"].as_array().ok_or("issuers: expected an array")?;
    let entries = issuers
        .iter()
        .map(|issuer| {
            let scope = match &issuer["types"] {
                Json::String(s) if s == "*" => KeyScope::AllTypes,
                Json::Array(names) => {
                    let names: Option<Vec<&str>> = names.iter().map(Json::as_str).collect();
                    KeyScope::types(&names.ok_or("types: expected names")?).map_err(|e| e.to_string())?
                }
                _ => return Err("types: expected an array of type names or \"*\"".into()),
            };
            Ok(IssuerEntry {
                key: key(&issuer["key"])?,
                issuer: issuer["name"].as_str().ok_or("name: expected text")?.into(),
                scope,
                signs_from: optional_uint(issuer, "signs_from")?,
                signs_until: optional_uint(issuer, "signs_until")?,
                compromised_at: optional_uint(issuer, "compromised_at")?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let next_roots = match json.get("next_roots") {
        None => Vec::new(),
        Some(roots) => {
            roots.as_array().ok_or("next_roots: expected an array")?.iter().map(key).collect::<Result<_, _>>()?
        }
    };
    Ok(TrustList {
        sequence: uint(json, "sequence")?,
        issued_at: uint(json, "issued_at")?,
        next_update: uint(json, "next_update")?,
        entries,
        next_roots,
    })
}

fn list_json(list: &TrustList) -> Json {
    let scope = |scope: &KeyScope| match scope {
        KeyScope::AllTypes => json!("*"),
        KeyScope::Types(names) => json!(names),
    };
    json!({
        "sequence": list.sequence,
        "issued_at": list.issued_at,
        "next_update": list.next_update,
        "issuers": list.entries.iter().map(|e| json!({
            "name": e.issuer,
            "key_id": e.key.id().to_string(),
            "alg": e.key.algorithm().name(),
            "types": scope(&e.scope),
            "signs_from": e.signs_from,
            "signs_until": e.signs_until,
            "compromised_at": e.compromised_at,
        })).collect::<Vec<_>>(),
        "next_roots": list.next_roots.iter().map(|k| k.id().to_string()).collect::<Vec<_>>(),
    })
}
