//! Sealed-code vectors (SPEC.md §13.6, tests/vectors/sealed.json): the hotel
//! presentation of tests/vectors/kat.json sealed to a fixed X25519 and a
//! fixed P-256 group key with a fixed ephemeral key and IV, with every
//! intermediate (Z, KDF context, CEK, AAD) computed here independently of
//! nocard, straight from the RustCrypto crates, and rejection cases each with
//! their exact error. Regenerate (only when §13 changes on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test sealed_vectors`.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use nocard::document::Registry;
use nocard::error::Error;
use nocard::keys::PublicKey;
use nocard::seal::{GroupAlgorithm, GroupPublicKey, GroupSecretKey, IV_LEN, seal_with};
use nocard::text::{self, TextKind};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};

#[allow(dead_code)] // claim_json is for the claims vectors
mod common;
use common::check_vector_file;

const GROUP_SECRET: [u8; 32] = [0x55; 32];
const OTHER_GROUP_SECRET: [u8; 32] = [0x56; 32];
const EPHEMERAL_SECRET: [u8; 32] = [0x66; 32];
const IV: [u8; IV_LEN] = [0x77; IV_LEN];

/// The hotel case of kat.json: its presentation, when it was made, and its issuer key.
fn kat_hotel() -> (Vec<u8>, u64, PublicKey) {
    let kat: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/kat.json")).unwrap(),
    )
    .unwrap();
    let case = &kat["cases"][0];
    assert_eq!(case["name"], "hotel_view_eddsa_es256");
    let presentation = hex::decode(case["presentation_hex"].as_str().unwrap()).unwrap();
    let issuer = hex::decode(case["issuer_key"]["public_cose_key_hex"].as_str().unwrap()).unwrap();
    (presentation, case["present_at"].as_u64().unwrap(), PublicKey::from_cose_key(&issuer).unwrap())
}

fn group(alg: GroupAlgorithm, secret: [u8; 32]) -> GroupSecretKey {
    GroupSecretKey::from_bytes(alg, &secret).unwrap()
}

fn desk(issuer: &PublicKey, group_keys: Vec<GroupSecretKey>, policy: Policy) -> Verifier {
    let trusted = TrustedKey::new("NBPSB", issuer.clone(), KeyScope::AllTypes).unwrap();
    Verifier::with_group_keys(Registry::builtin(), vec![trusted], group_keys, policy).unwrap()
}

/// Z computed with the curve crates directly.
fn independent_z(alg: GroupAlgorithm, group_public: &GroupPublicKey) -> Vec<u8> {
    let cose = group_public.to_cose_key();
    match alg {
        GroupAlgorithm::X25519 => {
            let x: [u8; 32] = cose[cose.len() - 32..].try_into().unwrap();
            let secret = x25519_dalek::StaticSecret::from(EPHEMERAL_SECRET);
            secret.diffie_hellman(&x25519_dalek::PublicKey::from(x)).as_bytes().to_vec()
        }
        _ => {
            let ephemeral = p256::SecretKey::from_slice(&EPHEMERAL_SECRET).unwrap();
            let group = p256::SecretKey::from_slice(&GROUP_SECRET).unwrap().public_key();
            ephemeral.diffie_hellman(&group).raw_secret_bytes().to_vec()
        }
    }
}

fn sealed_case(alg: GroupAlgorithm, presentation: &[u8], at: u64, issuer: &PublicKey) -> Value {
    let group_key = group(alg, GROUP_SECRET);
    let ephemeral = group(alg, EPHEMERAL_SECRET);
    let sealed = seal_with(presentation, group_key.public_key(), &ephemeral, IV).unwrap();
    let bytes = sealed.as_bytes();

    // The recipient's protected header, found by its fixed opening.
    let kid = group_key.id().0;
    let mut recipient_protected = vec![0xa3, 0x01, 0x38, 0x18, 0x04, 0x48];
    recipient_protected.extend_from_slice(&kid);
    recipient_protected.push(0x20);
    let ephemeral_cose = ephemeral.public_key().to_cose_key();
    // The key file form minus its `3: -25` entry: {1, -1, -2[, -3]}.
    let mut compact = vec![ephemeral_cose[0] - 1];
    compact.extend_from_slice(&ephemeral_cose[1..3]);
    compact.extend_from_slice(&ephemeral_cose[6..]);
    recipient_protected.extend_from_slice(&compact);
    assert!(bytes.windows(recipient_protected.len()).any(|w| w == recipient_protected), "{alg:?}: recipient header");

    let z = independent_z(alg, group_key.public_key());
    let mut context = hex::decode("840183f6f6f683f6f6f6821880").unwrap();
    context.push(0x58);
    context.push(recipient_protected.len() as u8);
    context.extend_from_slice(&recipient_protected);
    let mut cek = [0u8; 16];
    hkdf::Hkdf::<sha2::Sha256>::new(None, &z).expand(&context, &mut cek).unwrap();
    let aad = hex::decode("8367456e637279707443a1010140").unwrap();
    let ciphertext =
        aes_gcm::Aes128Gcm::new(&cek.into()).encrypt(&IV.into(), Payload { msg: presentation, aad: &aad }).unwrap();
    assert!(bytes.windows(ciphertext.len()).any(|w| w == ciphertext), "{alg:?}: ciphertext");

    let text = sealed.to_text();
    let verified =
        desk(issuer, vec![group_key.clone()], Policy::default().require_sealed()).verify(text.as_bytes(), at).unwrap();
    assert_eq!(verified.sealed_to, Some(group_key.id()));
    assert_eq!(text::decode(TextKind::Sealed, text.as_bytes()).unwrap(), bytes);
    json!({
        "alg": alg.name(),
        "group_secret_hex": hex::encode(GROUP_SECRET),
        "group_secret_cose_key_hex": hex::encode(group_key.to_cose_key().as_slice()),
        "group_public_cose_key_hex": hex::encode(group_key.public_key().to_cose_key()),
        "group_kid_hex": group_key.id().to_string(),
        "ephemeral_secret_hex": hex::encode(EPHEMERAL_SECRET),
        "iv_hex": hex::encode(IV),
        "recipient_protected_hex": hex::encode(&recipient_protected),
        "z_hex": hex::encode(&z),
        "kdf_context_hex": hex::encode(&context),
        "cek_hex": hex::encode(cek),
        "aad_hex": hex::encode(&aad),
        "sealed_hex": hex::encode(bytes),
        "sealed_text": text,
        "verify_at": at,
        "sealed_to_kid_hex": group_key.id().to_string(),
    })
}

/// One rejection: a text, the group keys the desk holds (by secret byte),
/// whether it requires sealed codes, the time, and the exact result.
fn rejection(name: &str, text: &str, holds: &[[u8; 32]], require_sealed: bool, at: u64, issuer: &PublicKey) -> Value {
    let keys = holds.iter().map(|s| group(GroupAlgorithm::X25519, *s)).collect();
    let policy = if require_sealed { Policy::default().require_sealed() } else { Policy::default() };
    let err = desk(issuer, keys, policy).verify(text.as_bytes(), at).unwrap_err();
    let detail = match &err {
        Error::Malformed(m) => json!(m.kind.code()),
        _ => Value::Null,
    };
    json!({
        "name": name,
        "text": text,
        "group_secrets_hex": holds.iter().map(hex::encode).collect::<Vec<_>>(),
        "require_sealed": require_sealed,
        "at": at,
        "error": err.code(),
        "malformed": detail,
    })
}

fn build() -> Value {
    let (presentation, at, issuer) = kat_hotel();
    let cases: Vec<Value> = [GroupAlgorithm::X25519, GroupAlgorithm::P256]
        .iter()
        .map(|&alg| sealed_case(alg, &presentation, at, &issuer))
        .collect();
    let sealed = hex::decode(cases[0]["sealed_hex"].as_str().unwrap()).unwrap();
    let text_of = |bytes: &[u8]| text::encode(TextKind::Sealed, bytes);
    let flipped = |at: usize| {
        let mut b = sealed.clone();
        b[at] ^= 0x01;
        text_of(&b)
    };
    let n = presentation.len();
    // Offsets in the X25519 envelope (SPEC.md §13.1): IV at 8, ciphertext
    // at 23, tag at 23 + n, kid at 23 + n + 16 + 10, ephemeral x 17 later.
    let (iv, ciphertext, tag) = (8, 23, 23 + n);
    let kid = tag + 16 + 10;
    let ephemeral_x = kid + 17;
    // The ciphertext one byte short, re-encoded with its head.
    let mut truncated = sealed[..20].to_vec();
    truncated.push(0x59);
    truncated.extend_from_slice(&((n + 15) as u16).to_be_bytes());
    truncated.extend_from_slice(&sealed[ciphertext..tag + 15]);
    truncated.extend_from_slice(&sealed[tag + 16..]);
    let own = [GROUP_SECRET];
    let plain = text::encode(TextKind::Presentation, &presentation);
    let rejections = vec![
        rejection("sealed_for_other_group", &text_of(&sealed), &[OTHER_GROUP_SECRET], false, at, &issuer),
        rejection("no_group_key", &text_of(&sealed), &[], false, at, &issuer),
        rejection("plain_where_sealed_required", &plain, &own, true, at, &issuer),
        rejection("iv_bit_flip", &flipped(iv), &own, false, at, &issuer),
        rejection("ciphertext_bit_flip", &flipped(ciphertext + 40), &own, false, at, &issuer),
        rejection("tag_bit_flip", &flipped(tag + 15), &own, false, at, &issuer),
        rejection("ephemeral_key_bit_flip", &flipped(ephemeral_x), &own, false, at, &issuer),
        rejection("kid_bit_flip", &flipped(kid), &own, false, at, &issuer),
        rejection("content_alg_bit_flip", &flipped(4), &own, false, at, &issuer),
        rejection("recipient_alg_bit_flip", &flipped(kid - 3), &own, false, at, &issuer),
        rejection("truncated_ciphertext", &text_of(&truncated), &own, false, at, &issuer),
        rejection("cut_envelope", &text_of(&sealed[..sealed.len() - 2]), &own, false, at, &issuer),
        rejection("stale_inner_presentation", &text_of(&sealed), &own, false, at + 60, &issuer),
    ];
    json!({
        "description": "nocard sealed codes (SPEC.md §13): the hotel_view_eddsa_es256 presentation of kat.json sealed to a group key; see SPEC.md §13.6",
        "presentation_hex": hex::encode(&presentation),
        "issuer_public_cose_key_hex": hex::encode(issuer.to_cose_key()),
        "cases": cases,
        "rejections": rejections,
    })
}

#[test]
fn sealed_vectors_are_reproduced_byte_for_byte() {
    check_vector_file(
        "sealed.json",
        &build(),
        "the sealed envelope changed: update SPEC.md §13 and regenerate the vectors together",
    );
}
