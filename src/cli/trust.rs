//! `nocard trust`: sign a trust list for scanners, and show one after
//! checking it against a root key.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use serde_json::{Value as Json, json};

use nocard::keys::PublicKey;
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
    /// Check a signed trust list against a root key and print it as JSON.
    Show {
        /// The signed list.
        list: PathBuf,
        /// A root public key it must be signed by (repeat for several).
        #[arg(long, value_name = "PUB", required = true)]
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
        Command::Show { list, root } => {
            let shown = load(list, root)?;
            print_json_pretty(&list_json(&shown))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a signed list and takes it into a store provisioned with `roots`.
pub fn load(list: &Path, roots: &[PathBuf]) -> Result<TrustList, Fail> {
    let roots = roots.iter().map(|p| read_public_key(p)).collect::<Result<Vec<_>, _>>()?;
    let mut store = TrustStore::new(roots).map_err(context("--trust-root"))?;
    let bytes = read_file(list)?;
    store.update(&bytes).cloned().map_err(|e| Fail::Message(format!("{}: {} ({e})", list.display(), e.code())))
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
