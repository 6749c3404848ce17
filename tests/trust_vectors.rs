//! Trust list vectors (SPEC.md §10.2): a scanner provisioned with one root
//! is offered signed lists in order, and each offer's exact outcome is
//! recorded (taken, or the refusal's code and malformed detail), through a
//! rollback, a foreign root, an altered list, a cut-short one and a root
//! rotation; then the saved trust state (§10.1) the scanner ends with. The
//! test replays the file as a second implementation would (list bytes from
//! the JSON, root keys from their seeds), then rebuilds the file from the
//! seeds and compares it byte for byte. Regenerate (only when the format
//! changes on purpose) with `NOCARD_WRITE_VECTORS=1 cargo test --test
//! trust_vectors`.

use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::trust_list::{IssuerEntry, TrustList, TrustListError, TrustStore};
use nocard::verify::KeyScope;
use serde_json::{Value, json};

#[allow(dead_code)] // claim_json is for the claims vectors
mod common;
use common::check_vector_file;

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const YEAR: u64 = 31_536_000;
const ROOT_SEED: [u8; 32] = [0x41; 32];
const NEXT_ROOT_SEED: [u8; 32] = [0x42; 32];
const STRANGER_SEED: [u8; 32] = [0x43; 32];

fn key(seed: &[u8; 32]) -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, seed).unwrap()
}

/// The list with `sequence`, issued `issued_at`, naming `next_roots`.
fn list(sequence: u64, issued_at: u64, next_roots: Vec<PublicKey>) -> TrustList {
    TrustList {
        sequence,
        issued_at,
        next_update: issued_at + 7 * 86_400,
        entries: vec![
            IssuerEntry {
                key: key(&[0x11; 32]).public_key().clone(),
                issuer: "NBPSB".into(),
                scope: KeyScope::types(&["resident_id_card", "driving_licence"]).unwrap(),
                signs_from: Some(NOW - YEAR),
                signs_until: Some(NOW + YEAR),
                compromised_at: None,
            },
            IssuerEntry {
                key: key(&[0x12; 32]).public_key().clone(),
                issuer: "NBEDU".into(),
                scope: KeyScope::AllTypes,
                signs_from: None,
                signs_until: None,
                compromised_at: Some(NOW - 3600),
            },
        ],
        next_roots,
    }
}

/// An offer's outcome as the file writes it: `{"taken": sequence}` or the
/// refusal's code, with the malformed detail and offset when there is one.
fn outcome(result: Result<&TrustList, TrustListError>) -> Value {
    match result {
        Ok(list) => json!({"taken": list.sequence}),
        Err(TrustListError::Malformed(m)) => {
            json!({"error": "malformed", "detail": m.kind.code(), "offset": m.offset})
        }
        Err(e) => json!({"error": e.code()}),
    }
}

/// The offers, in order, each with its bytes.
fn offers() -> Vec<(&'static str, Vec<u8>)> {
    let root = key(&ROOT_SEED);
    let next_root = key(&NEXT_ROOT_SEED);
    let first = list(5, NOW - 86_400, vec![]).sign(&root).unwrap();
    let mut altered = list(6, NOW, vec![]).sign(&root).unwrap();
    let at = altered.windows(5).position(|w| w == b"NBEDU").unwrap();
    altered[at + 4] = b'V';
    let rotation = list(7, NOW, vec![next_root.public_key().clone()]).sign(&root).unwrap();
    vec![
        ("first list", first.clone()),
        ("the list held, offered again", first.clone()),
        ("older sequence", list(4, NOW, vec![]).sign(&root).unwrap()),
        ("same sequence, other contents", list(5, NOW, vec![]).sign(&root).unwrap()),
        ("signed by a key that is not a root", list(6, NOW, vec![]).sign(&key(&STRANGER_SEED)).unwrap()),
        ("altered after signing (NBEDU to NBEDV)", altered),
        ("cut short", first[..first.len() - 10].to_vec()),
        ("names the next root", rotation),
        ("signed by the old root after the rotation", list(8, NOW, vec![]).sign(&root).unwrap()),
        ("signed by the new root", list(8, NOW, vec![]).sign(&next_root).unwrap()),
    ]
}

fn build() -> Value {
    let mut store = TrustStore::new(vec![key(&ROOT_SEED).public_key().clone()]).unwrap();
    let offers: Vec<Value> = offers()
        .into_iter()
        .map(|(name, bytes)| {
            let result = outcome(store.update(&bytes));
            json!({"name": name, "list_hex": hex::encode(&bytes), "result": result})
        })
        .collect();
    json!({
        "description": "SPEC.md §10: signed trust lists offered in order to a scanner provisioned with one root, and the outcome of each (taken, or the refusal). Keys are Ed25519 from 32-byte seeds: root 0x41, next root 0x42 (named by the sequence-7 list), a stranger 0x43; issuer entries NBPSB (seed 0x11: resident_id_card and driving_licence, signing period one year either side of 1795420800) and NBEDU (seed 0x12: every type, compromised at 1795417200). `state_hex` is the saved trust state (§10.1) after the last offer.",
        "root_key_seed": hex::encode(ROOT_SEED),
        "next_root_key_seed": hex::encode(NEXT_ROOT_SEED),
        "stranger_key_seed": hex::encode(STRANGER_SEED),
        "offers": offers,
        "state_hex": hex::encode(store.to_bytes()),
    })
}

#[test]
fn trust_vectors_replay_and_match_the_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/trust.json");
    if std::env::var_os("NOCARD_WRITE_VECTORS").is_none() {
        let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut store = TrustStore::new(vec![key(&ROOT_SEED).public_key().clone()]).unwrap();
        let offers = file["offers"].as_array().unwrap();
        assert_eq!(offers.len(), 10);
        for offer in offers {
            let bytes = hex::decode(offer["list_hex"].as_str().unwrap()).unwrap();
            assert_eq!(outcome(store.update(&bytes)), offer["result"], "{}", offer["name"]);
        }
        let state = hex::decode(file["state_hex"].as_str().unwrap()).unwrap();
        assert_eq!(store.to_bytes(), state);
        let reloaded = TrustStore::from_bytes(&state).unwrap();
        assert_eq!(reloaded.roots(), &[key(&NEXT_ROOT_SEED).public_key().clone()]);
        assert_eq!(reloaded.current().map(|l| l.sequence), Some(8));
    }
    check_vector_file("trust.json", &build(), "the trust list or trust state encoding");
}
