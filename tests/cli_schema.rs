//! `nocard schema`: the kiosk schemas in schemas/ are the generated ones, and
//! a changed schema cannot keep its version (SPEC.md §16).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod cli_common;
use cli_common::TempDir;

impl TempDir {
    /// A copy of the repository's schemas/.
    fn with_schemas(name: &str) -> Self {
        let dir = Self::new(name);
        for entry in fs::read_dir(repository_schemas()).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
        dir
    }
}

fn repository_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Exit status and the JSON lines printed.
fn schema(args: &[&str], dir: &Path) -> (i32, Vec<Value>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_nocard")).arg("schema").args(args).arg(dir).output().unwrap();
    let lines = String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (output.status.code().unwrap(), lines, String::from_utf8_lossy(&output.stderr).into_owned())
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn write_json(path: &Path, json: &Value) {
    fs::write(path, serde_json::to_string_pretty(json).unwrap()).unwrap();
}

/// The error codes of `schema check`'s lines, with the type each names.
fn problems(lines: &[Value]) -> Vec<(String, String)> {
    lines.iter().map(|l| (l["error"].as_str().unwrap().into(), l["doc_type"].as_str().unwrap().into())).collect()
}

fn problem(error: &str, doc_type: &str) -> Vec<(String, String)> {
    vec![(error.into(), doc_type.into())]
}

#[test]
fn the_checked_in_schemas_are_current() {
    let (code, lines, _) = schema(&["check"], &repository_schemas());
    assert_eq!((code, lines), (0, vec![json!({"valid": true, "types": 28})]));
}

#[test]
fn a_changed_schema_without_a_version_bump_is_refused() {
    let dir = TempDir::with_schemas("bump");
    // What the lock file holds after the registry changed a type's claims:
    // its fingerprint no longer matches the generated schema.
    let lock = dir.path("versions.json");
    let mut versions = read_json(&lock);
    versions["resident_id_card"]["fingerprint"] = json!("00".repeat(32));
    write_json(&lock, &versions);
    let (code, lines, _) = schema(&["check"], &dir.0);
    assert_eq!((code, problems(&lines)), (1, problem("schema_changed_without_version_bump", "resident_id_card")));
    // `write` refuses it too, and changes nothing.
    let (code, _, err) = schema(&["write"], &dir.0);
    assert_eq!(code, 2);
    assert!(err.contains("schema_changed_without_version_bump"), "{err}");
    assert_eq!(read_json(&lock), versions);
    // Bumped, the type gets version 2 and everything checks again.
    let (code, _, err) = schema(&["write", "--bump", "resident_id_card"], &dir.0);
    assert_eq!(code, 0, "{err}");
    let versions = read_json(&lock);
    assert_eq!(versions["resident_id_card"]["version"], 2);
    assert_eq!(versions["residence_permit"]["version"], 1);
    assert_eq!(read_json(&dir.path("resident_id_card.schema.json"))["$id"], "urn:nocard:kiosk:resident_id_card:v2");
    let (code, lines, _) = schema(&["check"], &dir.0);
    assert_eq!((code, lines), (0, vec![json!({"valid": true, "types": 28})]));
}

#[test]
fn edited_missing_and_unlocked_schemas_are_each_named() {
    let dir = TempDir::with_schemas("edits");
    let mut edited = read_json(&dir.path("driving_licence.schema.json"));
    edited["properties"]["claims"]["additionalProperties"] = json!(true);
    write_json(&dir.path("driving_licence.schema.json"), &edited);
    let (code, lines, _) = schema(&["check"], &dir.0);
    assert_eq!((code, problems(&lines)), (1, problem("schema_file_stale", "driving_licence")));

    fs::remove_file(dir.path("driving_licence.schema.json")).unwrap();
    let (code, lines, _) = schema(&["check"], &dir.0);
    assert_eq!((code, problems(&lines)), (1, problem("schema_file_missing", "driving_licence")));

    let lock = dir.path("versions.json");
    let mut versions = read_json(&lock);
    let entry = versions.as_object_mut().unwrap().remove("vehicle_licence").unwrap();
    versions["retired_card"] = entry;
    write_json(&lock, &versions);
    let (code, lines, _) = schema(&["check"], &dir.0);
    let expected = vec![
        ("schema_file_missing".into(), "driving_licence".into()),
        ("schema_version_missing".into(), "vehicle_licence".into()),
        ("schema_type_removed".into(), "retired_card".into()),
    ];
    assert_eq!((code, problems(&lines)), (1, expected));

    // `write` restores the files, drops the removed type, adds the new one at 1.
    let (code, _, err) = schema(&["write"], &dir.0);
    assert_eq!(code, 0, "{err}");
    let versions = read_json(&lock);
    assert_eq!((&versions["vehicle_licence"]["version"], versions.get("retired_card")), (&json!(1), None));
    assert_eq!(schema(&["check"], &dir.0).0, 0);
}

#[test]
fn bumping_an_unknown_type_or_reading_a_bad_lock_is_a_usage_error() {
    let dir = TempDir::with_schemas("usage");
    let (code, _, err) = schema(&["write", "--bump", "no_such_card"], &dir.0);
    assert_eq!(code, 2);
    assert!(err.contains("--bump no_such_card: unknown document type"), "{err}");
    fs::write(dir.path("versions.json"), r#"{"resident_id_card": {"version": 0, "fingerprint": "x"}}"#).unwrap();
    let (code, _, err) = schema(&["check"], &dir.0);
    assert_eq!(code, 2);
    assert!(err.contains("resident_id_card: expected"), "{err}");
}
