//! Receipt vectors (SPEC.md §15.4): a hotel check-in presentation, the two
//! receipts a desk signs for it (values, digests), and the inputs a receipt
//! check and a verifier must refuse, with their exact errors. The test first
//! replays the file as a second implementation would, then rebuilds it from
//! the seeds and compares byte for byte. Regenerate (only when the format
//! changes on purpose) with `NOCARD_WRITE_VECTORS=1 cargo test --test receipt_vectors`.

use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::error::Error;
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::receipt::{Fields, Minimise, Receipt};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};

#[allow(dead_code)] // claim_json is for the claims vectors
mod common;
use common::{check_vector_file, claim_json};

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const UNIT: &str = "hotel:NB-0042";

fn key(alg: Algorithm, byte: u8) -> SecretKey {
    SecretKey::from_bytes(alg, &[byte; 32]).unwrap()
}

fn verifier() -> Verifier {
    let trusted = TrustedKey::new(ISSUER, key(Algorithm::EdDsa, 0x11).public_key().clone(), KeyScope::AllTypes);
    Verifier::new(vec![trusted.unwrap()], Policy::default()).unwrap()
}

fn desk_keys() -> Vec<PublicKey> {
    vec![key(Algorithm::EdDsa, 0x55).public_key().clone()]
}

/// The outcome of checking a receipt: `valid` or the error code (and detail).
fn receipt_outcome(bytes: &[u8]) -> Value {
    match nocard::receipt::from_text_or_bytes(bytes)
        .and_then(|b| Receipt::verify(&b, &desk_keys(), &Registry::builtin()))
    {
        Ok(_) => json!("valid"),
        Err(nocard::receipt::ReceiptError::Malformed(m)) => json!(["malformed", m.kind.code()]),
        Err(e) => json!(e.code()),
    }
}

fn fields_json(fields: &Fields) -> Value {
    match fields {
        Fields::Values(claims) => claims.iter().map(|c| (c.name.to_string(), claim_json(&c.value))).collect(),
        Fields::Digests(digests) => digests.iter().map(|(n, d)| (n.clone(), json!(hex::encode(d)))).collect(),
    }
}

fn build() -> Value {
    let issuer = Issuer::new(ISSUER, key(Algorithm::EdDsa, 0x11)).unwrap();
    let device = key(Algorithm::Es256, 0x22);
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let bundle = issuer
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(NOW - 86_400, NOW + 2 * 86_400)
        .salt_seed([0x33; 32])
        .sign()
        .unwrap();
    let holder = Holder::new(bundle, device).unwrap();
    let presentation = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
    let verified = verifier().verify(presentation.to_text().as_bytes(), NOW + 7).unwrap();
    let desk = key(Algorithm::EdDsa, 0x55);
    let receipts: Vec<Value> = [("values", Minimise::Values), ("digests", Minimise::Digests)]
        .into_iter()
        .map(|(name, minimise)| {
            let signed = Receipt::issue(
                &verified,
                &Registry::builtin(),
                &desk,
                UNIT,
                NOW + 8,
                Some(Profile::HotelCheckIn),
                minimise,
            )
            .unwrap();
            json!({
                "name": name,
                "cose_sign1_hex": hex::encode(&signed.bytes),
                "text": nocard::receipt::to_text(&signed.bytes),
                "fields": fields_json(&signed.receipt.fields),
                "result": receipt_outcome(&signed.bytes),
            })
        })
        .collect();
    let values = hex::decode(receipts[0]["cose_sign1_hex"].as_str().unwrap()).unwrap();
    let mut flipped = values.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x01;
    let stranger = Receipt::issue(
        &verified,
        &Registry::builtin(),
        &key(Algorithm::EdDsa, 0x66),
        UNIT,
        NOW + 8,
        Some(Profile::HotelCheckIn),
        Minimise::Values,
    )
    .unwrap();
    let rejections: Vec<Value> = [
        ("presentation_as_receipt", presentation.as_bytes().to_vec()),
        ("unknown_desk_key", stranger.bytes),
        ("signature_flipped", flipped),
        ("truncated", values[..values.len() - 1].to_vec()),
    ]
    .into_iter()
    .map(|(name, bytes)| json!({"name": name, "hex": hex::encode(&bytes), "result": receipt_outcome(&bytes)}))
    .collect();
    let text = nocard::receipt::to_text(&values);
    let text_rejections: Vec<Value> = [
        ("text_version_2", text.replacen("NCR1:", "NCR2:", 1)),
        ("text_lowercase_prefix_and_crlf", text.replacen("NCR1:", "ncr1:", 1) + "\r\n"),
        ("text_one_char_short", text[..text.len() - 1].to_owned()),
        ("text_not_base45", text.replacen("NCR1:", "NCR1:_", 1)),
    ]
    .into_iter()
    .map(|(name, text)| json!({"name": name, "text": text, "result": receipt_outcome(text.as_bytes())}))
    .collect();
    let as_presentation = match verifier().verify_bytes(&values, NOW + 7) {
        Err(Error::Malformed(m)) => json!(["malformed", m.kind.code(), m.offset]),
        other => panic!("a receipt verified as a presentation: {other:?}"),
    };
    json!({
        "description": "SPEC.md §15: a hotel check-in presentation (issuer NBPSB Ed25519 from 32 bytes 0x11, device P-256 from 0x22, salt seed 0x33, resident_id_card example claims, validity NOW-86400..NOW+2*86400), verified at NOW+7, and the receipts desk hotel:NB-0042 (Ed25519 from 0x55) signs for it at NOW+8 under hotel_check_in; receipts are checked trusting only desk key 0x55.",
        "now": NOW,
        "presentation": presentation.to_text(),
        "presentation_id_hex": hex::encode(verified.presentation_id),
        "desk_key_seed": hex::encode([0x55; 32]),
        "desk_key_id": key(Algorithm::EdDsa, 0x55).public_key().id().to_string(),
        "unit": UNIT,
        "time": NOW + 8,
        "receipts": receipts,
        "rejections": rejections,
        "texts": text_rejections,
        "receipt_as_presentation": as_presentation,
    })
}

#[test]
fn receipt_vectors_replay_and_match_the_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/receipts.json");
    if std::env::var_os("NOCARD_WRITE_VECTORS").is_none() {
        let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let bytes = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap();
        for case in file["receipts"].as_array().unwrap() {
            let receipt = Receipt::verify(&bytes(&case["cose_sign1_hex"]), &desk_keys(), &Registry::builtin()).unwrap();
            assert_eq!(fields_json(&receipt.fields), case["fields"], "{}", case["name"]);
            assert_eq!(hex::encode(receipt.presentation_id), file["presentation_id_hex"].as_str().unwrap());
            assert_eq!((receipt.unit.as_str(), receipt.time), (UNIT, NOW + 8));
        }
        let rejections = file["rejections"].as_array().unwrap();
        assert_eq!(rejections.len(), 4);
        for case in rejections {
            assert_eq!(receipt_outcome(&bytes(&case["hex"])), case["result"], "{}", case["name"]);
        }
        for case in file["receipts"].as_array().unwrap() {
            let text = case["text"].as_str().unwrap().as_bytes();
            assert_eq!(nocard::receipt::from_text_or_bytes(text).unwrap(), bytes(&case["cose_sign1_hex"]));
        }
        for case in file["texts"].as_array().unwrap() {
            assert_eq!(receipt_outcome(case["text"].as_str().unwrap().as_bytes()), case["result"], "{}", case["name"]);
        }
    }
    check_vector_file("receipts.json", &build(), "the receipt encoding");
}
