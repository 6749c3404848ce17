//! Numeric-code vectors (SPEC.md §12.6): a code key, the secret it derives
//! for one credential, the bundle that carries it, and codes and checks at
//! fixed times. The test rebuilds everything and compares it with
//! tests/vectors/numeric_code.json byte for byte. Regenerate (only when the
//! format changes on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test numeric_code_vectors`.

use nocard::credential::{CredentialBundle, Issuer, StatusRef};
use nocard::document::Registry;
use nocard::keys::{Algorithm, SecretKey};
use nocard::numeric_code::{CodeKey, Drift, STEP_SECS, check_code};
use serde_json::{Value, json};

mod common;
use common::check_vector_file;

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const CODE_KEY: [u8; 32] = [0x44; 32];
const CREDENTIAL_ID: [u8; 2] = [0x01, 0x02];

fn build() -> Value {
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let issuer = Issuer::new(ISSUER, SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap()).unwrap();
    let device = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let code_key = CodeKey::from_bytes(CODE_KEY);
    let bundle = issuer
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(NOW - 86_400, NOW + 10 * 365 * 86_400)
        .issued_at(NOW - 86_400)
        .id(&CREDENTIAL_ID)
        .status(StatusRef { list: 7, index: 4242 })
        .salt_seed([0x33; 32])
        .numeric_code(&code_key)
        .sign()
        .unwrap();
    assert_eq!(CredentialBundle::from_bytes(&bundle.to_bytes()).unwrap(), bundle);
    let secret = bundle.code_secret().unwrap();
    assert_eq!(secret, &code_key.secret(ISSUER, &CREDENTIAL_ID));
    let codes: Vec<Value> = [NOW, NOW + 29, NOW + 30, NOW + 95]
        .iter()
        .map(|&at| {
            let code = secret.code_at(at);
            json!({"at": at, "step": code.step, "code": code.to_string(), "seconds_left": code.seconds_left})
        })
        .collect();
    // Checked at NOW with drift 1: the codes of the steps around it.
    let checks: Vec<Value> = [-2i64, -1, 0, 1, 2]
        .iter()
        .map(|&offset| {
            let code = secret.code_at(NOW.checked_add_signed(offset * STEP_SECS as i64).unwrap()).to_string();
            let result = match check_code(secret, &code, NOW, Drift::new(1).unwrap()) {
                Ok(step) => json!({"step": step}),
                Err(e) => json!({"error": e.code()}),
            };
            json!({"code": code, "now": NOW, "drift": 1, "result": result})
        })
        .collect();
    json!({
        "issuer": ISSUER,
        "code_key_hex": hex::encode(CODE_KEY),
        "credential_id_hex": hex::encode(CREDENTIAL_ID),
        "secret_hex": hex::encode(secret_bytes(&bundle)),
        "bundle_hex": hex::encode(bundle.to_bytes()),
        "codes": codes,
        "checks": checks,
    })
}

/// The secret as the bundle carries it: the last 32 bytes of its encoding.
fn secret_bytes(bundle: &CredentialBundle) -> Vec<u8> {
    let bytes = bundle.to_bytes();
    bytes[bytes.len() - 32..].to_vec()
}

#[test]
fn numeric_code_vectors_are_reproduced_byte_for_byte() {
    check_vector_file(
        "numeric_code.json",
        &build(),
        "the numeric code or the bundle changed: update SPEC.md §12 and regenerate the vectors together",
    );
}
