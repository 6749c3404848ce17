//! Known-answer vectors: fixed keys, fixed clock, fixed salts, so every byte
//! is reproducible. The test rebuilds everything and compares it with
//! tests/vectors/kat.json byte for byte; SPEC.md §8 quotes the same file.
//! Regenerate (only when the wire format changes on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test vectors`.

use coset::{AsCborValue, CborSerializable, CoseSign1};
use nocard::credential::{CredentialBundle, Issuer, StatusRef};
use nocard::document::{ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::text::{self, TextKind};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const SALT_SEED: [u8; 32] = [0x33; 32];

fn key(alg: Algorithm, byte: u8) -> SecretKey {
    SecretKey::from_bytes(alg, &[byte; 32]).unwrap()
}

fn key_json(alg: Algorithm, byte: u8) -> Value {
    let k = key(alg, byte);
    json!({
        "alg": alg.name(),
        "secret_hex": hex::encode([byte; 32]),
        "public_cose_key_hex": hex::encode(k.public_key().to_cose_key()),
        "kid_hex": k.public_key().id().to_string(),
    })
}

fn claim_json(value: &ClaimValue) -> Value {
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

/// The Sig_structures of a presentation: (issuer's, device's).
fn sig_structures(presentation: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let outer = CoseSign1::from_slice(presentation).unwrap();
    let payload: ciborium::Value = ciborium::from_reader(outer.payload.as_deref().unwrap()).unwrap();
    let credential = CoseSign1::from_cbor_value(payload.as_map().unwrap()[0].1.clone()).unwrap();
    (credential.tbs_data(&[]), outer.tbs_data(&[]))
}

struct Case {
    name: &'static str,
    issuer: (Algorithm, u8),
    device: (Algorithm, u8),
    disclose: Disclose,
    challenge: Option<u32>,
    audience: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "hotel_view_eddsa_es256",
            issuer: (Algorithm::EdDsa, 0x11),
            device: (Algorithm::Es256, 0x22),
            disclose: Disclose::Profile(Profile::HotelCheckIn),
            challenge: None,
            audience: None,
        },
        Case {
            name: "cafe_view_es256_eddsa_challenge",
            issuer: (Algorithm::Es256, 0x12),
            device: (Algorithm::EdDsa, 0x21),
            disclose: Disclose::Profile(Profile::InternetCafe),
            challenge: Some(4711),
            audience: Some("cafe:NB-0001"),
        },
        Case {
            name: "disclosures_eddsa_es256",
            issuer: (Algorithm::EdDsa, 0x11),
            device: (Algorithm::Es256, 0x22),
            disclose: Disclose::Claims(vec!["name".into(), "address".into()]),
            challenge: None,
            audience: None,
        },
    ]
}

fn build() -> Value {
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let claims: serde_json::Map<String, Value> =
        doc.example_claims().iter().map(|c| (c.name.to_string(), claim_json(&c.value))).collect();
    let mut out_cases = Vec::new();
    for case in cases() {
        let issuer_key = key(case.issuer.0, case.issuer.1);
        let issuer_public = issuer_key.public_key().clone();
        let device = key(case.device.0, case.device.1);
        let bundle = Issuer::new(ISSUER, issuer_key)
            .unwrap()
            .credential(&doc, device.public_key(), doc.example_claims())
            .validity(NOW - 86_400, NOW + 10 * 365 * 86_400)
            .issued_at(NOW - 86_400)
            .status(StatusRef { list: 7, index: 4242 })
            .salt_seed(SALT_SEED)
            .sign()
            .unwrap();
        assert_eq!(CredentialBundle::from_bytes(&bundle.to_bytes()).unwrap(), bundle);
        let holder = Holder::new(bundle.clone(), device).unwrap();
        let mut builder = holder.present(case.disclose.clone()).at(NOW + 7);
        if let Some(c) = case.challenge {
            builder = builder.challenge(c);
        }
        if let Some(a) = case.audience {
            builder = builder.audience(a);
        }
        let presentation = builder.sign().unwrap();
        let mut policy = Policy::default();
        if let Some(c) = case.challenge {
            policy = policy.challenge(c).unwrap();
        }
        if let Some(a) = case.audience {
            policy = policy.audience(a).unwrap();
        }
        let verified = Verifier::new(vec![TrustedKey::new(ISSUER, issuer_public, KeyScope::AllTypes).unwrap()], policy)
            .unwrap()
            .verify(presentation.to_text().as_bytes(), NOW + 7)
            .unwrap();
        let (issuer_tbs, device_tbs) = sig_structures(presentation.as_bytes());
        let disclose = match &case.disclose {
            Disclose::Profile(p) => json!({"profile": p.name()}),
            Disclose::Claims(names) => json!({"claims": names}),
        };
        out_cases.push(json!({
            "name": case.name,
            "issuer_key": key_json(case.issuer.0, case.issuer.1),
            "device_key": key_json(case.device.0, case.device.1),
            "disclose": disclose,
            "present_at": NOW + 7,
            "window_secs": 30,
            "challenge": case.challenge,
            "audience": case.audience,
            "bundle_hex": hex::encode(bundle.to_bytes()),
            "presentation_hex": hex::encode(presentation.as_bytes()),
            "presentation_text": presentation.to_text(),
            "issuer_sig_structure_hex": hex::encode(issuer_tbs),
            "device_sig_structure_hex": hex::encode(device_tbs),
            "verified": {
                "doc_type": verified.doc_type,
                "issuer": verified.issuer,
                "kid_hex": verified.key_id.to_string(),
                "window": [verified.window.start(), verified.window.end()],
                "claims": verified.claims.iter().map(|c| (c.name.to_string(), claim_json(&c.value))).collect::<serde_json::Map<_, _>>(),
            },
        }));
    }
    let hotel = out_cases[0]["presentation_text"].as_str().unwrap().to_string();
    json!({
        "description": "nocard v1 known-answer vectors; see SPEC.md §8",
        "issuer": ISSUER,
        "doc_type": "resident_id_card",
        "claims": claims,
        "not_before": NOW - 86_400,
        "expires": NOW + 10 * 365 * 86_400,
        "issued_at": NOW - 86_400,
        "status": {"list": 7, "index": 4242},
        "salt_seed_hex": hex::encode(SALT_SEED),
        "cases": out_cases,
        "rejections": rejections(&hotel),
    })
}

/// Inputs every verifier must refuse, with the code it must give. The
/// verifier trusts only `issuer_ed25519` (kid of seed 0x11) as `NBPSB`.
fn rejections(hotel: &str) -> Value {
    let issuer = key(Algorithm::EdDsa, 0x11).public_key().clone();
    let verifier =
        Verifier::new(vec![TrustedKey::new(ISSUER, issuer, KeyScope::AllTypes).unwrap()], Policy::default()).unwrap();
    let mut tampered_sig = text::decode(TextKind::Presentation, hotel.as_bytes()).unwrap();
    let last = tampered_sig.len() - 1;
    tampered_sig[last] ^= 0x01;
    let tampered_sig = text::encode(TextKind::Presentation, &tampered_sig);
    let rows: Vec<(&str, String, u64, &str)> = vec![
        ("stale_screenshot", hotel.to_string(), NOW + 7 + 60, "window_expired"),
        ("clock_behind", hotel.to_string(), NOW - 60, "window_not_yet_valid"),
        ("device_signature_flipped", tampered_sig, NOW + 7, "bad_device_signature"),
        ("version_2", hotel.replacen("NC1:", "NC2:", 1), NOW + 7, "unsupported_version"),
        ("not_nocard", "HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE".into(), NOW, "malformed"),
        ("truncated", hotel[..hotel.len() - 3].to_string(), NOW + 7, "malformed"),
    ];
    rows.into_iter()
        .map(|(name, text, at, code)| {
            let err = verifier.verify(text.as_bytes(), at).unwrap_err();
            assert_eq!(err.code(), code, "{name}");
            let detail = match &err {
                nocard::error::Error::Malformed(m) => json!({"detail": m.kind.code(), "offset": m.offset}),
                _ => Value::Null,
            };
            json!({"name": name, "text": text, "at": at, "error": code, "malformed": detail})
        })
        .collect()
}

#[test]
fn known_answer_vectors_are_reproduced_byte_for_byte() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/kat.json");
    let built = serde_json::to_string_pretty(&build()).unwrap() + "\n";
    if std::env::var_os("NOCARD_WRITE_VECTORS").is_some() {
        std::fs::write(path, &built).unwrap();
    }
    let stored =
        std::fs::read_to_string(path).expect("tests/vectors/kat.json (regenerate with NOCARD_WRITE_VECTORS=1)");
    assert_eq!(stored, built, "the wire format changed: update SPEC.md and regenerate the vectors together");
}
