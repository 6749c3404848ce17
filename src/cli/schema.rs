//! `nocard schema`: the kiosk JSON Schemas, one per document type
//! (SPEC.md §16).
//!
//! A kiosk fills its form straight from the line `nocard verify` prints for
//! a valid presentation; `schemas/TYPE.schema.json` says exactly what that
//! line holds for TYPE, generated from the registry. Each schema has a
//! version, and `schemas/versions.json` locks each version to a fingerprint
//! (SHA-256 of the schema generated with version 0), so a change to a type's
//! claims or to the output's fields cannot ship under the old version:
//! `schema check` refuses it until `schema write --bump TYPE`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Args as ClapArgs, Subcommand};
use serde_json::{Map, Value as Json, json};
use sha2::{Digest, Sha256};

use nocard::document::{ClaimDef, ClaimType, DocType, Registry};

use super::claims_json::hex_encode;
use super::files::{read_file, write_file};
use super::output::print_json;
use super::{CmdResult, Fail};

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write DIR/TYPE.schema.json for every type and DIR/versions.json.
    ///
    /// Refuses, as `check` does, a type whose schema changed under the same
    /// version, unless that type is named with `--bump`.
    Write {
        /// The directory (the repository's is `schemas`).
        dir: PathBuf,
        /// Give TYPE's changed schema the next version (repeatable).
        #[arg(long, value_name = "TYPE")]
        bump: Vec<String>,
    },
    /// Check DIR against the registry: one JSON line per problem, exit 1 if any.
    Check {
        /// The directory (the repository's is `schemas`).
        dir: PathBuf,
    },
}

/// The lock file this binary was built with: the `schema` member of
/// `verify`'s output names the version it gives.
const BUILT_LOCK: &str = include_str!("../../schemas/versions.json");

/// The lock file's name in a schema directory.
const LOCK_FILE: &str = "versions.json";

/// One type's entry in the lock file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Locked {
    version: u32,
    fingerprint: String,
}

/// What is wrong with a schema directory.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// The generated schema differs from the locked fingerprint and the
    /// version was not bumped.
    ChangedWithoutVersionBump { version: u32 },
    /// The type has no entry in the lock file.
    VersionMissing,
    /// The lock file names a type the registry no longer has.
    TypeRemoved,
    /// The file on disk differs from the one generated (edited by hand, or
    /// not regenerated after a bump).
    FileStale,
    /// The file is not there.
    FileMissing,
}

impl Problem {
    fn code(&self) -> &'static str {
        match self {
            Problem::ChangedWithoutVersionBump { .. } => "schema_changed_without_version_bump",
            Problem::VersionMissing => "schema_version_missing",
            Problem::TypeRemoved => "schema_type_removed",
            Problem::FileStale => "schema_file_stale",
            Problem::FileMissing => "schema_file_missing",
        }
    }

    fn message(&self, doc_type: &str) -> String {
        match self {
            Problem::ChangedWithoutVersionBump { version } => format!(
                "the schema of {doc_type} changed but its version is still {version}: \
                 run `nocard schema write DIR --bump {doc_type}`"
            ),
            Problem::VersionMissing => format!("{LOCK_FILE} has no version for {doc_type}"),
            Problem::TypeRemoved => format!("{LOCK_FILE} names {doc_type}, which the registry does not have"),
            Problem::FileStale => format!("{doc_type}.schema.json differs from the generated schema"),
            Problem::FileMissing => format!("{doc_type}.schema.json is missing"),
        }
    }
}

pub fn run(args: &Args) -> CmdResult {
    match &args.command {
        Command::Write { dir, bump } => write(dir, bump),
        Command::Check { dir } => check(dir),
    }
}

fn write(dir: &Path, bump: &[String]) -> CmdResult {
    let registry = Registry::builtin();
    for name in bump {
        if registry.by_name(name).is_none() {
            return Err(Fail::Message(format!("--bump {name}: unknown document type (see `nocard doctypes`)")));
        }
    }
    let mut lock = read_lock(dir, true)?;
    for doc in registry.types() {
        let fingerprint = fingerprint(doc);
        let version = match lock.get(doc.name()) {
            None => 1,
            Some(locked) if locked.fingerprint == fingerprint => locked.version,
            Some(locked) if bump.iter().any(|b| b == doc.name()) => locked.version + 1,
            Some(locked) => {
                let problem = Problem::ChangedWithoutVersionBump { version: locked.version };
                return Err(Fail::Message(format!("{}: {}", problem.code(), problem.message(doc.name()))));
            }
        };
        lock.insert(doc.name().to_owned(), Locked { version, fingerprint });
    }
    lock.retain(|name, _| registry.by_name(name).is_some());
    std::fs::create_dir_all(dir).map_err(super::context(format!("cannot create {}", dir.display())))?;
    for doc in registry.types() {
        let version = lock[doc.name()].version;
        write_file(&schema_path(dir, doc.name()), schema_text(doc, version).as_bytes())?;
    }
    write_file(&dir.join(LOCK_FILE), lock_text(&lock).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn check(dir: &Path) -> CmdResult {
    let registry = Registry::builtin();
    let lock = read_lock(dir, false)?;
    let mut problems = Vec::new();
    for doc in registry.types() {
        let name = doc.name();
        let Some(locked) = lock.get(name) else {
            problems.push((name.to_owned(), Problem::VersionMissing));
            continue;
        };
        if locked.fingerprint != fingerprint(doc) {
            problems.push((name.to_owned(), Problem::ChangedWithoutVersionBump { version: locked.version }));
            continue;
        }
        match std::fs::read_to_string(schema_path(dir, name)) {
            Ok(text) if text == schema_text(doc, locked.version) => {}
            Ok(_) => problems.push((name.to_owned(), Problem::FileStale)),
            Err(_) => problems.push((name.to_owned(), Problem::FileMissing)),
        }
    }
    for name in lock.keys().filter(|name| registry.by_name(name).is_none()) {
        problems.push((name.clone(), Problem::TypeRemoved));
    }
    for (doc_type, problem) in &problems {
        print_json(&json!({
            "valid": false,
            "error": problem.code(),
            "doc_type": doc_type,
            "message": problem.message(doc_type),
        }))?;
    }
    if problems.is_empty() {
        print_json(&json!({"valid": true, "types": registry.types().len()}))?;
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}

/// The `$id` of version `version` of `doc_type`'s schema, which is also the
/// `schema` member of the JSON it describes.
fn schema_id(doc_type: &str, version: u32) -> String {
    format!("urn:nocard:kiosk:{doc_type}:v{version}")
}

/// The `schema` member for a valid result of `doc_type`: its schema's `$id`
/// under the lock file this binary was built with.
pub fn built_schema_id(doc_type: &str) -> Option<String> {
    static VERSIONS: OnceLock<BTreeMap<String, Locked>> = OnceLock::new();
    let versions = VERSIONS.get_or_init(|| parse_lock(BUILT_LOCK).unwrap_or_default());
    versions.get(doc_type).map(|locked| schema_id(doc_type, locked.version))
}

fn schema_path(dir: &Path, doc_type: &str) -> PathBuf {
    dir.join(format!("{doc_type}.schema.json"))
}

/// SHA-256 of the schema with version 0: what the version stands for.
fn fingerprint(doc: &DocType) -> String {
    hex_encode(&Sha256::digest(schema_text(doc, 0).as_bytes()))
}

fn schema_text(doc: &DocType, version: u32) -> String {
    let mut text = serde_json::to_string_pretty(&schema(doc, version)).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema (draft 2020-12) of the line `nocard verify` prints for a
/// valid presentation of `doc`: every member, `additionalProperties: false`
/// at every level, so a kiosk can rely on the names it maps.
fn schema(doc: &DocType, version: u32) -> Json {
    let id = schema_id(doc.name(), version);
    let integer = json!({"type": "integer", "minimum": 0});
    let optional_integer = json!({"type": ["integer", "null"], "minimum": 0});
    let algorithm = json!({"enum": ["ed25519", "p256"]});
    let list_verdict = json!({
        "type": "object",
        "description": "The status list that decided (SPEC.md §11.3).",
        "properties": {
            "issuer": {"type": "string"},
            "list": integer,
            "iat": integer,
            "exp": integer,
            "status": {"const": "valid"},
        },
        "required": ["issuer", "list", "iat", "exp", "status"],
        "additionalProperties": false,
    });
    let list_missing = json!({
        "type": "object",
        "description": "The credential names a status list the desk does not hold.",
        "properties": {"issuer": {"type": "string"}, "list": integer, "missing": {"const": true}},
        "required": ["issuer", "list", "missing"],
        "additionalProperties": false,
    });
    let properties = json!({
        "valid": {"const": true},
        "schema": {"const": id},
        "doc_type": {"const": doc.name()},
        "doc_title": {"type": "string"},
        "issuer": {"type": "string"},
        "key_id": {"type": "string"},
        "issuer_alg": algorithm,
        "device_alg": algorithm,
        "not_before": integer,
        "expires": integer,
        "iat": optional_integer,
        "cti": {"type": ["string", "null"], "pattern": "^([0-9a-f]{2})+$"},
        "window_start": integer,
        "window_end": integer,
        "challenge": optional_integer,
        "audience": {"type": ["string", "null"]},
        "presentation_id": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "sealed_to": {"type": ["string", "null"], "pattern": "^[0-9a-f]{16}$"},
        "status": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {"list": integer, "index": integer},
                    "required": ["list", "index"],
                    "additionalProperties": false,
                },
            ],
        },
        "claims": claims_schema(doc.claims()),
        "trust_list": {
            "type": "object",
            "description": "Present when the desk verifies against a trust list.",
            "properties": {"sequence": integer, "stale": {"type": "boolean"}},
            "required": ["sequence", "stale"],
            "additionalProperties": false,
        },
        "status_list": {
            "description": "Present when the desk holds status lists; null when the credential names none.",
            "oneOf": [{"type": "null"}, list_verdict, list_missing],
        },
    });
    let required: Vec<&str> = [
        "valid",
        "schema",
        "doc_type",
        "doc_title",
        "issuer",
        "key_id",
        "issuer_alg",
        "device_alg",
        "not_before",
        "expires",
        "iat",
        "cti",
        "window_start",
        "window_end",
        "challenge",
        "audience",
        "presentation_id",
        "sealed_to",
        "status",
        "claims",
    ]
    .into();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": id,
        "title": format!("{} ({}): a valid result of `nocard verify`", doc.name(), doc.title()),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The `claims` object: every claim optional (a view discloses a subset),
/// none other allowed.
fn claims_schema(defs: &[ClaimDef]) -> Json {
    let properties: Map<String, Json> = defs.iter().map(|def| (def.name.to_string(), claim_schema(def))).collect();
    json!({"type": "object", "properties": properties, "additionalProperties": false})
}

fn claim_schema(def: &ClaimDef) -> Json {
    let mut schema = match &def.ty {
        ClaimType::Text => json!({"type": "string"}),
        ClaimType::Date => json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        ClaimType::Integer => json!({"type": "integer"}),
        ClaimType::Bool => json!({"type": "boolean"}),
        ClaimType::Bytes => json!({"type": "string", "pattern": "^([0-9a-f]{2})*$"}),
        ClaimType::Records(fields) => json!({"type": "array", "items": claims_schema(fields)}),
        // A type this generator does not know yet has no schema to give.
        _ => json!(false),
    };
    let derived = if def.derived.is_some() { ", derived by the issuer" } else { "" };
    schema["description"] = json!(format!("claim {} ({}{derived})", def.code, def.ty.name()));
    schema
}

/// Reads DIR/versions.json; with `may_be_absent` a missing file is an empty lock.
fn read_lock(dir: &Path, may_be_absent: bool) -> Result<BTreeMap<String, Locked>, Fail> {
    let path = dir.join(LOCK_FILE);
    if may_be_absent && !path.exists() {
        return Ok(BTreeMap::new());
    }
    let bytes = read_file(&path)?;
    let text = String::from_utf8(bytes).map_err(|_| Fail::Message(format!("{}: not UTF-8", path.display())))?;
    parse_lock(&text).map_err(|e| Fail::Message(format!("{}: {e}", path.display())))
}

/// `{TYPE: {"version": N, "fingerprint": HEX}}`.
fn parse_lock(text: &str) -> Result<BTreeMap<String, Locked>, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let object = json.as_object().ok_or("expected an object {type: {version, fingerprint}}")?;
    object
        .iter()
        .map(|(name, entry)| {
            let version = entry["version"].as_u64().and_then(|v| u32::try_from(v).ok()).filter(|&v| v >= 1);
            let fingerprint = entry["fingerprint"].as_str().filter(|f| f.len() == 64);
            match (version, fingerprint) {
                (Some(version), Some(fingerprint)) => {
                    Ok((name.clone(), Locked { version, fingerprint: fingerprint.to_owned() }))
                }
                _ => Err(format!("{name}: expected {{\"version\": 1 or more, \"fingerprint\": 64 hex digits}}")),
            }
        })
        .collect()
}

fn lock_text(lock: &BTreeMap<String, Locked>) -> String {
    let json: Map<String, Json> = lock
        .iter()
        .map(|(name, l)| (name.clone(), json!({"version": l.version, "fingerprint": l.fingerprint})))
        .collect();
    let mut text = serde_json::to_string_pretty(&Json::Object(json)).unwrap_or_default();
    text.push('\n');
    text
}
