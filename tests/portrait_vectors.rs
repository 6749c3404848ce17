//! tests/vectors/portrait.json (SPEC.md §14.6): the test portrait's frames
//! after one fixed presentation, a reception from repair frames alone, and
//! one refused frame per error. Rebuilt and compared byte for byte;
//! regenerate (only when the frame format changes on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test portrait_vectors`.

use nocard::credential::Issuer;
use nocard::document::{ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::portrait::{PortraitReceiver, PortraitSender, Progress};
use nocard::presentation::{Disclose, Holder, Presentation};
use nocard::text::{self, TextKind};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

#[allow(dead_code)] // claim_json is for the claims vectors
mod common;
use common::check_vector_file;

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const PORTRAIT: &[u8] = include_bytes!("vectors/portrait/portrait.jpg");
/// The frames quoted: the first and last source frames, then repair frames.
const QUOTED: [u32; 6] = [0, 1, 20, 21, 22, 1000];

fn key(alg: Algorithm, byte: u8) -> SecretKey {
    SecretKey::from_bytes(alg, &[byte; 32]).unwrap()
}

/// The holder of a resident ID card whose `photo_digest` is the test
/// portrait's.
fn holder() -> Holder<SecretKey> {
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let mut claims = doc.example_claims();
    claims.iter_mut().find(|c| c.name == "photo_digest").unwrap().value =
        ClaimValue::Bytes(Sha256::digest(PORTRAIT).to_vec());
    let issuer = Issuer::new(ISSUER, key(Algorithm::EdDsa, 0x11)).unwrap();
    let bundle = issuer
        .credential(&doc, key(Algorithm::Es256, 0x22).public_key(), claims)
        .validity(NOW - 86_400, NOW + 10 * 365 * 86_400)
        .salt_seed([0x33; 32])
        .sign()
        .unwrap();
    Holder::new(bundle, key(Algorithm::Es256, 0x22)).unwrap()
}

/// Its roadside-check presentation (which discloses `photo_digest`) at `now`.
fn roadside(now: u64) -> Presentation {
    holder().present(Disclose::Profile(Profile::RoadsideCheck)).at(now).sign().unwrap()
}

/// `base` with `edit` applied to its bytes, as text.
fn edited(base: &str, edit: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut bytes = text::decode(TextKind::Portrait, base.as_bytes()).unwrap();
    edit(&mut bytes);
    text::encode(TextKind::Portrait, &bytes)
}

fn build() -> Value {
    let p = roadside(NOW);
    let trusted =
        TrustedKey::new(ISSUER, key(Algorithm::EdDsa, 0x11).public_key().clone(), KeyScope::AllTypes).unwrap();
    let verifier = Verifier::new(vec![trusted], Policy::default()).unwrap();
    let verified = verifier.verify(p.to_text().as_bytes(), NOW + 1).unwrap();
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let frames: Vec<Value> = QUOTED.iter().map(|&i| json!({"esi": i, "text": sender.frame(i).unwrap()})).collect();

    // Repair frames only, from ESI 21 on, until the portrait is rebuilt.
    let mut rx = PortraitReceiver::new(&verified).unwrap();
    let mut fed = 0;
    for esi in 21.. {
        fed += 1;
        if rx.feed(sender.frame(esi).unwrap().as_bytes()).unwrap() == Progress::Complete {
            break;
        }
    }
    assert_eq!(rx.portrait(), Some(PORTRAIT));

    // One refused frame per error, each fed to a fresh receiver.
    let frame0 = sender.frame(0).unwrap();
    // The same card's presentation of the window before: another transfer.
    let other = roadside(NOW - 30);
    let refusals = [
        ("truncated", edited(&frame0, |b| b.truncate(15)), "portrait_frame_malformed"),
        ("zero_length", edited(&frame0, |b| b[8..10].fill(0)), "portrait_frame_malformed"),
        ("too_large", edited(&frame0, |b| b[8..10].copy_from_slice(&16_385u16.to_be_bytes())), "portrait_too_large"),
        (
            "symbol_size",
            edited(&frame0, |b| b[10..12].copy_from_slice(&15u16.to_be_bytes())),
            "portrait_frame_malformed",
        ),
        ("source_block", edited(&frame0, |b| b[12] = 1), "portrait_frame_malformed"),
        ("symbol_length", edited(&frame0, |b| b.push(0)), "portrait_frame_malformed"),
        (
            "other_presentation",
            PortraitSender::new(&other, PORTRAIT).unwrap().frame(0).unwrap(),
            "portrait_other_presentation",
        ),
        ("version", frame0.replacen("NCP1:", "NCP2:", 1), "unsupported_version"),
    ];
    let refusals: Vec<Value> = refusals
        .iter()
        .map(|(name, text, code)| {
            let e = PortraitReceiver::new(&verified).unwrap().feed(text.as_bytes()).unwrap_err();
            assert_eq!(e.code(), *code, "{name}");
            json!({"name": name, "text": text, "error": code})
        })
        .collect();

    json!({
        "portrait_file": "portrait/portrait.jpg",
        "portrait_len": PORTRAIT.len(),
        "photo_digest_hex": hex::encode(Sha256::digest(PORTRAIT)),
        "presentation_text": p.to_text(),
        "presentation_id_hex": hex::encode(p.id()),
        "verified_at": NOW + 1,
        "transfer_id_hex": hex::encode(&p.id()[..8]),
        "symbol_size": 150,
        "source_symbols": sender.source_symbols(),
        "frames": frames,
        "repair_only": {"first_esi": 21, "frames_to_complete": fed},
        "refusals": refusals,
    })
}

#[test]
fn portrait_vectors_are_reproduced_byte_for_byte() {
    check_vector_file(
        "portrait.json",
        &build(),
        "the portrait frame format changed: update SPEC.md §14 and regenerate the vectors together",
    );
}
