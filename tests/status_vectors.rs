//! Status list vectors (SPEC.md §11.5): one signed status list token and
//! presentations of credentials naming entries in it, with the exact
//! outcome of the status check. The test first replays the file as a second
//! implementation would (token and presentations from the JSON, keys from
//! their seeds), then rebuilds the whole file from the seeds and compares it
//! byte for byte. Regenerate (only when the format changes on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test status_vectors`.

use nocard::credential::{Issuer, StatusRef};
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::status_list::{Status, StatusCheck, StatusList, StatusListToken, StatusStore};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};

#[allow(dead_code)] // claim_json is for the claims vectors
mod common;
use common::check_vector_file;

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const ISSUER_SEED: [u8; 32] = [0x11; 32];
const DEVICE_SEED: [u8; 32] = [0x22; 32];

fn trusted() -> Vec<TrustedKey> {
    let key = SecretKey::from_bytes(Algorithm::EdDsa, &ISSUER_SEED).unwrap().public_key().clone();
    vec![TrustedKey::new(ISSUER, key, KeyScope::AllTypes).unwrap()]
}

/// The outcome as the file writes it: `valid`, `unreferenced`, or the error code.
fn outcome(store: &StatusStore, text: &str, at: u64) -> String {
    let verified = Verifier::new(trusted(), Policy::default()).unwrap().verify(text.as_bytes(), at).unwrap();
    match store.check(&verified, at) {
        Ok(StatusCheck::Valid(_)) => "valid".into(),
        Ok(StatusCheck::Unreferenced) => "unreferenced".into(),
        Ok(StatusCheck::Missing { .. }) => "missing".into(),
        Err(e) => e.code().into(),
    }
}

fn build() -> Value {
    let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &ISSUER_SEED).unwrap();
    let device = SecretKey::from_bytes(Algorithm::Es256, &DEVICE_SEED).unwrap();
    let mut list = StatusList::new(2, 16).unwrap();
    list.set(1, Status::Revoked).unwrap();
    list.set(2, Status::Suspended).unwrap();
    list.set(3, Status::Other(3)).unwrap();
    let token = StatusListToken {
        issuer: ISSUER.into(),
        list_id: 7,
        issued_at: NOW - 3600,
        expires: NOW + 86_400,
        ttl: Some(3600),
        list,
    };
    let signed = token.sign(&issuer_key).unwrap();
    let issuer = Issuer::new(ISSUER, issuer_key).unwrap();
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let cases = [
        ("valid", Some(StatusRef { list: 7, index: 0 }), NOW, "valid"),
        ("revoked", Some(StatusRef { list: 7, index: 1 }), NOW, "credential_revoked"),
        ("suspended", Some(StatusRef { list: 7, index: 2 }), NOW, "credential_suspended"),
        ("application-specific status 3", Some(StatusRef { list: 7, index: 3 }), NOW, "credential_status_unknown"),
        ("index beyond the list", Some(StatusRef { list: 7, index: 16 }), NOW, "status_index_out_of_range"),
        ("list not held", Some(StatusRef { list: 8, index: 0 }), NOW, "status_list_missing"),
        ("list expired", Some(StatusRef { list: 7, index: 0 }), NOW + 86_400, "status_list_expired"),
        ("no status reference", None, NOW, "unreferenced"),
    ];
    let cases: Vec<Value> = cases
        .iter()
        .map(|&(name, status, at, expected)| {
            let mut credential = issuer
                .credential(&doc, device.public_key(), doc.example_claims())
                .validity(NOW - 86_400, NOW + 2 * 86_400);
            if let Some(status) = status {
                credential = credential.status(status);
            }
            let bundle = credential.salt_seed([0x33; 32]).sign().unwrap();
            let holder = Holder::new(bundle, SecretKey::from_bytes(Algorithm::Es256, &DEVICE_SEED).unwrap()).unwrap();
            let code = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(at).sign().unwrap();
            json!({
                "name": name,
                "status": status.map(|s| json!([s.list, s.index])),
                "at": at,
                "presentation": code.to_text(),
                "result": expected,
            })
        })
        .collect();
    json!({
        "description": "SPEC.md §11: a status list token of issuer NBPSB (list 7, 2 bits, 16 entries: 1 revoked, 2 suspended, 3 = status 3) and hotel check-in presentations naming entries in it. Keys: issuer Ed25519 from 32 bytes 0x11, device P-256 from 32 bytes 0x22; the store trusts the issuer key for NBPSB; the default policy (missing list refused).",
        "issuer": ISSUER,
        "issuer_key_seed": hex::encode(ISSUER_SEED),
        "device_key_seed": hex::encode(DEVICE_SEED),
        "token": {
            "iss": ISSUER,
            "sub": "nocard:status-list:7",
            "iat": token.issued_at,
            "exp": token.expires,
            "ttl": 3600,
            "bits": 2,
            "packed_hex": hex::encode(token.list.packed()),
            "cose_sign1_hex": hex::encode(&signed),
        },
        "taken_at": NOW,
        "cases": cases,
    })
}

#[test]
fn status_vectors_replay_and_match_the_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/status.json");
    if std::env::var_os("NOCARD_WRITE_VECTORS").is_none() {
        let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut store = StatusStore::new(trusted());
        let token = hex::decode(file["token"]["cose_sign1_hex"].as_str().unwrap()).unwrap();
        let taken = store.update(&token, file["taken_at"].as_u64().unwrap()).unwrap();
        assert_eq!(hex::encode(taken.list.packed()), file["token"]["packed_hex"].as_str().unwrap());
        let cases = file["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 8);
        for case in cases {
            let text = case["presentation"].as_str().unwrap();
            assert_eq!(outcome(&store, text, case["at"].as_u64().unwrap()), case["result"], "{}", case["name"]);
        }
    }
    check_vector_file("status.json", &build(), "the status list token or credential encoding");
}
