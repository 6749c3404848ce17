//! Known-answer vectors: fixed keys, fixed clock, fixed salts, so every byte
//! is reproducible. The test rebuilds everything and compares it with
//! tests/vectors/kat.json byte for byte; SPEC.md §8 quotes the same file.
//! Regenerate (only when the wire format changes on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test vectors`. The numeric-code
//! vectors (tests/vectors/numeric_code.json, SPEC.md §12.6) are made here too.

use coset::{AsCborValue, CborSerializable, CoseSign1};
use nocard::credential::{CredentialBundle, Issuer, StatusRef};
use nocard::document::{Profile, Registry};
use nocard::error::KeyError;
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::numeric_code::{CodeKey, Drift, STEP_SECS, check_code};
use nocard::presentation::{Disclose, Holder};
use nocard::receipt::{Minimise, Receipt};
use nocard::text::{self, TextKind};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use serde_json::{Value, json};

mod common;
use common::{check_vector_file, claim_json};

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
        "key_imports": key_imports(),
    })
}

/// Inputs every verifier must refuse, with the code (and for `malformed` the
/// detail) it must give. The verifier trusts only `issuer_ed25519` (kid of
/// seed 0x11) as `NBPSB`.
fn rejections(hotel: &str) -> Value {
    let issuer = key(Algorithm::EdDsa, 0x11).public_key().clone();
    let verifier =
        Verifier::new(vec![TrustedKey::new(ISSUER, issuer, KeyScope::AllTypes).unwrap()], Policy::default()).unwrap();
    let hotel_bytes = text::decode(TextKind::Presentation, hotel.as_bytes()).unwrap();
    let mut tampered_sig = hotel_bytes.clone();
    let last = tampered_sig.len() - 1;
    tampered_sig[last] ^= 0x01;
    let tampered_sig = text::encode(TextKind::Presentation, &tampered_sig);
    // The hotel presentation with its unprotected header (byte 5, `a0`) replaced.
    let unprotected = |header: &str| {
        text::encode(TextKind::Presentation, &[&hotel_bytes[..5], &h(header), &hotel_bytes[6..]].concat())
    };
    let at = NOW + 7;
    // §15.1: a desk's receipt for the hotel presentation (desk key 0x55).
    let verified = verifier.verify(hotel.as_bytes(), at).unwrap();
    let desk = key(Algorithm::EdDsa, 0x55);
    let receipt = Receipt::issue(&verified, &Registry::builtin(), &desk, "hotel:NB-0042", at, None, Minimise::Values);
    let receipt = text::encode(TextKind::Presentation, &receipt.unwrap().bytes);
    // Unchanged, the hand-made presentation verifies: each row breaks one thing.
    verifier.verify(Crafted::default().text().as_bytes(), at).unwrap();
    let rows: Vec<(&str, String, u64, &str, Option<&str>)> = vec![
        ("stale_screenshot", hotel.to_string(), NOW + 7 + 60, "window_expired", None),
        ("clock_behind", hotel.to_string(), NOW - 60, "window_not_yet_valid", None),
        ("device_signature_flipped", tampered_sig, at, "bad_device_signature", None),
        ("version_2", hotel.replacen("NC1:", "NC2:", 1), at, "unsupported_version", None),
        (
            "not_nocard",
            "HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE".into(),
            NOW,
            "malformed",
            Some("missing_prefix"),
        ),
        ("truncated", hotel[..hotel.len() - 3].to_string(), at, "malformed", Some("base45_value")),
        ("receipt_as_presentation", receipt, at, "malformed", Some("receipt_not_presentation")),
        // §2.1: a fault in an item's head wins over its type, also where
        // the item is skipped (the unprotected header).
        ("unprotected_indefinite", unprotected("9f ff"), at, "malformed", Some("indefinite_length")),
        ("unprotected_undefined", unprotected("f7"), at, "malformed", Some("unsupported_simple_value")),
        ("unprotected_array", unprotected("80"), at, "malformed", Some("unexpected_type")),
        (
            "unprotected_missing",
            text::encode(TextKind::Presentation, &hotel_bytes[..5]),
            at,
            "malformed",
            Some("truncated"),
        ),
        // §2.1: the type is checked before the range: a byte string whose
        // length is 2⁶³ where `alg` (an int) belongs.
        (
            "alg_huge_byte_string",
            Crafted { protected: h("a1 01 5b 8000000000000000"), ..Crafted::default() }.text(),
            at,
            "malformed",
            Some("unexpected_type"),
        ),
        // §3.2, §5 step 4.2: the claims map's structure is checked when the
        // claims set is parsed, before the device signature (here by the
        // wrong key) is.
        ("claims_not_a_map", Crafted::wrong_device_key("00").text(), at, "malformed", Some("unexpected_type")),
        ("claims_text_code", Crafted::wrong_device_key("a1 61 61 01").text(), at, "malformed", Some("unexpected_type")),
        (
            "claims_code_huge_byte_string",
            Crafted::wrong_device_key("a1 5b 8000000000000000 01").text(),
            at,
            "malformed",
            Some("unexpected_type"),
        ),
        (
            "claims_code_above_i64",
            Crafted::wrong_device_key("a1 1b ffffffffffffffff 01").text(),
            at,
            "malformed",
            Some("invalid_value"),
        ),
        // §3.4, §5 step 6.1: a negative claim or record field code is an int
        // key that no type defines.
        (
            "claims_negative_code",
            Crafted { claims: h("a2 01 61 61 20 01"), ..Crafted::default() }.text(),
            at,
            "malformed",
            Some("unknown_field"),
        ),
        (
            "record_negative_field_code",
            // household_register, members: [{-1: "a"}]
            Crafted { doctype: 6, claims: h("a1 08 81 a1 20 61 61"), ..Crafted::default() }.text(),
            at,
            "malformed",
            Some("unknown_field"),
        ),
        // §3.2: `cnf` holds exactly the key 1, an int; §2.3: kty 0 counts as absent.
        (
            "cnf_negative_key",
            Crafted::with_cnf("a1 20", &device_cose_key()).text(),
            at,
            "malformed",
            Some("invalid_value"),
        ),
        (
            "cnf_text_key",
            Crafted::with_cnf("a1 61 61", &device_cose_key()).text(),
            at,
            "malformed",
            Some("unexpected_type"),
        ),
        ("cnf_kty_zero", Crafted::with_cnf("a1 01", &kty_zero_key()).text(), at, "malformed", Some("missing_field")),
    ];
    rows.into_iter()
        .map(|(name, text, at, code, detail)| {
            let err = verifier.verify(text.as_bytes(), at).unwrap_err();
            assert_eq!(err.code(), code, "{name}");
            let malformed = match &err {
                nocard::error::Error::Malformed(m) => json!({"detail": m.kind.code(), "offset": m.offset}),
                _ => Value::Null,
            };
            assert_eq!(malformed["detail"].as_str(), detail, "{name}: {err}");
            json!({"name": name, "text": text, "at": at, "error": code, "malformed": malformed})
        })
        .collect()
}

/// COSE_Key imports (SPEC.md §2.3) with their outcome: the key id, or
/// `invalid_key` and the reason.
fn key_imports() -> Value {
    let p256 = key(Algorithm::Es256, 0x22);
    let ed25519 = key(Algorithm::EdDsa, 0x21);
    let (p256_d, ed25519_d) = ([0x22; 32], [0x21; 32]);
    // A public COSE_Key (a one-byte map head) with `-4: d` added.
    let with_d = |public: &[u8], d: &[u8]| [&[public[0] + 1][..], &public[1..], &h("23 5820"), d].concat();
    let p256_public = p256.public_key().to_cose_key();
    let mut p256_other_y = p256.to_cose_key().to_vec();
    assert_eq!(p256_other_y[40..42], h("22 f5"));
    p256_other_y[41] = 0xf4;
    let group_order = h("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    // (name, imported as, COSE_Key, the key it gives or the reason it is refused)
    type Row<'k> = (&'static str, &'static str, Vec<u8>, Result<&'k PublicKey, &'static str>);
    let rows: Vec<Row> = vec![
        // `x` (and `y`) may be left out of a secret key: `d` determines them.
        (
            "secret_p256_without_public",
            "secret",
            [h("a3 0102 2001 23 5820"), p256_d.to_vec()].concat(),
            Ok(p256.public_key()),
        ),
        (
            "secret_ed25519_without_public",
            "secret",
            [h("a3 0101 2006 23 5820"), ed25519_d.to_vec()].concat(),
            Ok(ed25519.public_key()),
        ),
        // If any of it is there, it must be a valid key that matches `d`.
        ("secret_p256_d_zero", "secret", with_d(&p256_public, &[0; 32]), Err("invalid_material")),
        ("secret_p256_d_group_order", "secret", with_d(&p256_public, &group_order), Err("invalid_material")),
        (
            "secret_p256_other_x",
            "secret",
            with_d(&key(Algorithm::Es256, 0x12).public_key().to_cose_key(), &p256_d),
            Err("public_mismatch"),
        ),
        ("secret_p256_other_y_sign", "secret", p256_other_y, Err("public_mismatch")),
        (
            "secret_ed25519_other_x",
            "secret",
            with_d(&key(Algorithm::EdDsa, 0x11).public_key().to_cose_key(), &ed25519_d),
            Err("public_mismatch"),
        ),
        (
            "secret_p256_y_without_x",
            "secret",
            [h("a4 0102 2001 22 f5 23 5820"), p256_d.to_vec()].concat(),
            Err("invalid_material"),
        ),
        (
            "secret_ed25519_with_y",
            "secret",
            with_d(&[&[0xa4][..], &ed25519.public_key().to_cose_key()[1..], &h("22 f5")].concat(), &ed25519_d),
            Err("invalid_material"),
        ),
        ("secret_from_public_key", "secret", p256_public.clone(), Err("not_secret")),
        // kty 0 counts as absent.
        ("public_kty_zero", "public", kty_zero_key(), Err("malformed")),
    ];
    rows.into_iter()
        .map(|(name, import, cose_key, expected)| {
            let imported = match import {
                "public" => PublicKey::from_cose_key(&cose_key),
                _ => SecretKey::from_cose_key(&cose_key).map(|k| k.public_key().clone()),
            };
            let outcome = match (&imported, expected) {
                (Ok(found), Ok(want)) => {
                    assert_eq!(found, want, "{name}");
                    json!({"kid_hex": found.id().to_string()})
                }
                (Err(e), Err(reason)) => {
                    assert_eq!(e.code(), reason, "{name}: {e}");
                    let malformed = match e {
                        KeyError::Malformed(m) => json!({"detail": m.kind.code(), "offset": m.offset}),
                        _ => Value::Null,
                    };
                    json!({"error": "invalid_key", "reason": reason, "malformed": malformed})
                }
                _ => panic!("{name}: {imported:?}"),
            };
            let mut row = json!({"name": name, "import": import, "cose_key_hex": hex::encode(&cose_key)});
            row.as_object_mut().unwrap().extend(outcome.as_object().unwrap().clone());
            row
        })
        .collect()
}

/// Hex with spaces, as the tables write it.
fn h(hex: &str) -> Vec<u8> {
    hex::decode(hex.replace(' ', "")).unwrap()
}

/// A CBOR head (RFC 8949 §3.1) in its shortest form.
fn head(major: u8, arg: u64) -> Vec<u8> {
    let major = major << 5;
    match arg {
        0..=23 => vec![major | arg as u8],
        24..=0xff => vec![major | 24, arg as u8],
        0x100..=0xffff => [&[major | 25][..], &(arg as u16).to_be_bytes()].concat(),
        0x1_0000..=0xffff_ffff => [&[major | 26][..], &(arg as u32).to_be_bytes()].concat(),
        _ => [&[major | 27][..], &arg.to_be_bytes()].concat(),
    }
}

fn bstr(content: &[u8]) -> Vec<u8> {
    [head(2, content.len() as u64), content.to_vec()].concat()
}

/// An untagged COSE_Sign1 with an empty unprotected header, signed by `key`
/// over its Sig_structure (SPEC.md §3.1).
fn sign1(key: &SecretKey, protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let tbs = [h("84 6a 5369676e617475726531"), bstr(protected), h("40"), bstr(payload)].concat();
    [h("84"), bstr(protected), h("a0"), bstr(payload), bstr(&key.sign(&tbs))].concat()
}

/// The device key of the crafted presentations: Ed25519, seed 0x21.
fn device_cose_key() -> Vec<u8> {
    key(Algorithm::EdDsa, 0x21).public_key().to_cose_key()
}

/// The device key with `kty` 0 instead of 1.
fn kty_zero_key() -> Vec<u8> {
    let mut k = device_cose_key();
    assert_eq!(k[..3], h("a3 01 01"));
    k[2] = 0x00;
    k
}

/// A presentation around a hand-made credential, for rejections whose fault
/// lies where the reference issuer never puts one. The credential, signed by
/// the issuer key 0x11, is `{1: "NBPSB", 4: exp, 5: nbf, 8: cnf, -1: doctype,
/// -3: claims}`; the presentation, with protected header `protected`, covers
/// the window of `NOW` and is signed by `signer`.
struct Crafted {
    protected: Vec<u8>,
    cnf: Vec<u8>,
    doctype: u64,
    claims: Vec<u8>,
    signer: SecretKey,
}

impl Default for Crafted {
    /// A presentation that verifies: device key 0x21, a resident ID card
    /// with `name` "a".
    fn default() -> Self {
        Self {
            protected: h("a1 01 27"),
            cnf: [h("a1 01"), device_cose_key()].concat(),
            doctype: 1,
            claims: h("a1 01 61 61"),
            signer: key(Algorithm::EdDsa, 0x21),
        }
    }
}

impl Crafted {
    /// Claims `claims`, and a device signature by the issuer key rather than
    /// the device key, which a verifier would report if it got that far.
    fn wrong_device_key(claims: &str) -> Self {
        Self { claims: h(claims), signer: key(Algorithm::EdDsa, 0x11), ..Self::default() }
    }

    /// `cnf` made of `head` (the map head and key) and `cose_key`.
    fn with_cnf(head: &str, cose_key: &[u8]) -> Self {
        Self { cnf: [h(head), cose_key.to_vec()].concat(), ..Self::default() }
    }

    fn text(&self) -> String {
        let issuer = key(Algorithm::EdDsa, 0x11);
        let issuer_protected = [h("a2 01 27 04 48"), issuer.public_key().id().0.to_vec()].concat();
        let claims_set = [
            h("a6 01 65 4e42505342 04"),
            head(0, NOW + 10 * 365 * 86_400),
            h("05"),
            head(0, NOW - 86_400),
            h("08"),
            self.cnf.clone(),
            h("20"),
            head(0, self.doctype),
            h("22"),
            self.claims.clone(),
        ]
        .concat();
        let credential = sign1(&issuer, &issuer_protected, &claims_set);
        let payload = [h("a3 01"), credential, h("03"), head(0, NOW), h("04 18 1e")].concat();
        text::encode(TextKind::Presentation, &sign1(&self.signer, &self.protected, &payload))
    }
}

#[test]
fn known_answer_vectors_are_reproduced_byte_for_byte() {
    check_vector_file(
        "kat.json",
        &build(),
        "the wire format changed: update SPEC.md and regenerate the vectors together",
    );
}

const CODE_KEY: [u8; 32] = [0x44; 32];
const CREDENTIAL_ID: [u8; 2] = [0x01, 0x02];

/// tests/vectors/numeric_code.json (SPEC.md §12.6): a code key, the secret
/// it derives for one credential, the bundle that carries it, and codes and
/// checks at fixed times.
fn build_numeric_code() -> Value {
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
        .salt_seed(SALT_SEED)
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
        &build_numeric_code(),
        "the numeric code or the bundle changed: update SPEC.md §12 and regenerate the vectors together",
    );
}
