//! Helpers shared by the vector tests (tests/vectors.rs, tests/policy_vectors.rs).

use nocard::document::ClaimValue;
use serde_json::{Value, json};

/// A claim value as the vector files write it: dates as `YYYY-MM-DD`, bytes
/// as hex, records as arrays of objects.
pub fn claim_json(value: &ClaimValue) -> Value {
    match value {
        ClaimValue::Text(t) => json!(t),
        ClaimValue::Date(d) => json!(d.to_string()),
        ClaimValue::Integer(i) => json!(i),
        ClaimValue::Bool(b) => json!(b),
        ClaimValue::Bytes(b) => json!(hex::encode(b)),
        ClaimValue::Records(entries) => Value::Array(
            entries.iter().map(|e| e.iter().map(|c| (c.name.to_string(), claim_json(&c.value))).collect()).collect(),
        ),
        _ => unreachable!("no other claim types in the vectors"),
    }
}

/// Compares `built` with the file `tests/vectors/<name>` byte for byte, after
/// writing it there when `NOCARD_WRITE_VECTORS` is set.
pub fn check_vector_file(name: &str, built: &Value, what_changed: &str) {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let built = serde_json::to_string_pretty(built).unwrap() + "\n";
    if std::env::var_os("NOCARD_WRITE_VECTORS").is_some() {
        std::fs::write(&path, &built).unwrap();
    }
    let stored = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("tests/vectors/{name} (regenerate with NOCARD_WRITE_VECTORS=1)"));
    assert!(stored == built, "tests/vectors/{name} differs: {what_changed}");
}
