//! Delegation and consent vectors (tests/vectors/delegation.json, SPEC.md
//! §17.7): fixed keys, salts and clock, so every byte is reproducible. The
//! test rebuilds them, compares the file byte for byte, and checks that each
//! vector verifies (or is refused) with the code the file records.
//! Regenerate, only when the format changes on purpose, with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test delegation_vectors`.

use nocard::credential::{CredentialBundle, Issuer, StatusRef};
use nocard::delegation::{self, Acting, DelegationError, Matter};
use nocard::document::{ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};

mod common;
use common::{check_vector_file, claim_json};

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const DAY: u64 = 86_400;
/// SHA-256 of the request the consent answers: here of the ASCII text
/// `"school trip 2026-12-05"`, standing for whatever document a desk hashes.
const REQUEST_TEXT: &str = "school trip 2026-12-05";

fn key(alg: Algorithm, byte: u8) -> SecretKey {
    SecretKey::from_bytes(alg, &[byte; 32]).unwrap()
}

/// A resident ID card named `name` for the device key `device`.
fn card(name: &str, device: &SecretKey, index: u32) -> CredentialBundle {
    let issuer = Issuer::new(ISSUER, key(Algorithm::EdDsa, 0x11)).unwrap();
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let mut claims = doc.example_claims();
    claims.iter_mut().find(|c| c.name == "name").unwrap().value = ClaimValue::Text(name.into());
    issuer
        .credential(&doc, device.public_key(), claims)
        .validity(NOW - DAY, NOW + 10 * 365 * DAY)
        .status(StatusRef { list: 7, index })
        .salt_seed([0x33; 32])
        .sign()
        .unwrap()
}

fn verifier() -> Verifier {
    let trusted = TrustedKey::new(ISSUER, key(Algorithm::EdDsa, 0x11).public_key().clone(), KeyScope::AllTypes);
    Verifier::new(vec![trusted.unwrap()], Policy::default()).unwrap()
}

fn result_json(result: Result<Value, DelegationError>) -> Value {
    match result {
        Ok(v) => v,
        Err(e) => json!({"error": e.code(), "detail": e.inner().map(|i| i.code())}),
    }
}

fn claims_json(claims: &[nocard::document::Claim]) -> Value {
    claims.iter().map(|c| (c.name.to_string(), claim_json(&c.value))).collect::<serde_json::Map<_, _>>().into()
}

fn build() -> Value {
    let delegator_key = key(Algorithm::Es256, 0x22);
    let delegate_key = key(Algorithm::EdDsa, 0x23);
    let delegator = Holder::new(card("王小明", &delegator_key, 4242), key(Algorithm::Es256, 0x22)).unwrap();
    let delegate = Holder::new(card("李四", &delegate_key, 99), key(Algorithm::EdDsa, 0x23)).unwrap();

    let delegation = delegation::delegate(&delegator, Matter::RegisterChildResidence, delegate_key.public_key())
        .period(NOW - DAY, NOW + 7 * DAY)
        .sign()
        .unwrap();
    let presentation = delegate.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
    let acting = Acting::new(&delegation, &presentation);
    let request: [u8; 32] = sha2_digest(REQUEST_TEXT.as_bytes());
    let consent = delegation::consent(&delegator, request, true).period(NOW - 60, NOW + 600).sign().unwrap();

    let desk = verifier();
    let acting_checks: Vec<Value> = [
        (Matter::RegisterChildResidence, NOW + 3),
        (Matter::CollectCertificate, NOW + 3),
        (Matter::RegisterChildResidence, NOW + 8 * DAY),
    ]
    .iter()
    .map(|&(matter, now)| {
        let result = delegation::verify_acting(&desk, acting.to_text().as_bytes(), matter, now).map(|seen| {
            json!({
                "delegator": claims_json(&seen.delegator.claims),
                "delegate": claims_json(&seen.delegate.claims),
                "delegate_thumbprint_hex": hex::encode(seen.delegate.device_key.thumbprint()),
                "matter": seen.matter.name(),
                "not_before": seen.not_before,
                "expires": seen.expires,
            })
        });
        json!({"matter": matter.name(), "now": now, "result": result_json(result)})
    })
    .collect();
    let consent_checks: Vec<Value> = [(request, NOW), ([0u8; 32], NOW), (request, NOW + 610)]
        .iter()
        .map(|(req, now)| {
            let result = delegation::verify_consent(&desk, consent.to_text().as_bytes(), req, *now)
                .map(|seen| json!({"consenter": claims_json(&seen.consenter.claims), "answer": seen.answer}));
            json!({"request_hex": hex::encode(req), "now": now, "result": result_json(result)})
        })
        .collect();
    json!({
        "issuer": ISSUER,
        "issuer_secret_hex": hex::encode([0x11; 32]),
        "delegator_device": {"alg": "ES256", "secret_hex": hex::encode([0x22; 32])},
        "delegate_device": {
            "alg": "EdDSA",
            "secret_hex": hex::encode([0x23; 32]),
            "thumbprint_hex": hex::encode(delegate_key.public_key().thumbprint()),
        },
        "delegator_bundle_hex": hex::encode(card("王小明", &delegator_key, 4242).to_bytes()),
        "delegate_bundle_hex": hex::encode(card("李四", &delegate_key, 99).to_bytes()),
        "delegation_hex": hex::encode(delegation.as_bytes()),
        "delegation_text": delegation.to_text(),
        "acting_hex": hex::encode(acting.as_bytes()),
        "acting_text": acting.to_text(),
        "acting_checks": acting_checks,
        "request_text": REQUEST_TEXT,
        "request_hex": hex::encode(request),
        "consent_hex": hex::encode(consent.as_bytes()),
        "consent_text": consent.to_text(),
        "consent_checks": consent_checks,
    })
}

fn sha2_digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}

#[test]
fn delegation_vectors_are_reproduced_byte_for_byte() {
    let built = build();
    check_vector_file(
        "delegation.json",
        &built,
        "the delegation or consent format changed: update SPEC.md §17 and regenerate the vectors together",
    );
    // The vectors hold what an implementation must reproduce.
    assert_eq!(built["acting_checks"][0]["result"]["matter"], "register_child_residence");
    assert_eq!(built["acting_checks"][1]["result"]["error"], "matter_mismatch");
    assert_eq!(built["acting_checks"][2]["result"]["error"], "delegation_expired");
    assert_eq!(built["consent_checks"][0]["result"]["answer"], true);
    assert_eq!(built["consent_checks"][1]["result"]["error"], "request_mismatch");
    assert_eq!(built["consent_checks"][2]["result"]["error"], "consent_expired");
}

/// Measured, for README: the NCA1 text against one QR code's capacity.
#[test]
fn an_acting_text_fits_one_qr_code() {
    let built = build();
    let text = built["acting_text"].as_str().unwrap().len();
    let bytes = built["acting_hex"].as_str().unwrap().len() / 2;
    let delegation = built["delegation_hex"].as_str().unwrap().len() / 2;
    println!("acting: {bytes} bytes ({delegation} of them the delegation), NCA1 text {text} characters");
    assert!(text <= nocard::text::MAX_PRESENTATION_TEXT, "{text} characters");
}
