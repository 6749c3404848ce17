//! Checks a valid `nocard verify` line against its kiosk schema in schemas/
//! (SPEC.md §16), as a kiosk would.

use std::path::Path;

use serde_json::Value;

/// The schema checked in for `doc_type`.
pub fn schema_of(doc_type: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(format!("{doc_type}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The reasons `json` does not match `schema`, empty when it does.
pub fn violations(schema: &Value, json: &Value) -> Vec<String> {
    let validator = jsonschema::options().should_validate_formats(true).build(schema).unwrap();
    validator.iter_errors(json).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// Asserts that `out`, a valid result, matches its type's schema and names it.
pub fn assert_matches_kiosk_schema(out: &Value) {
    let doc_type = out["doc_type"].as_str().unwrap();
    let schema = schema_of(doc_type);
    assert_eq!(out["schema"], schema["$id"], "{doc_type}");
    assert_eq!(violations(&schema, out), Vec::<String>::new(), "{doc_type}: {out}");
}
