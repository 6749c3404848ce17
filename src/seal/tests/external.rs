//! External vectors through the functions sealing and opening use: the
//! cose-wg ECDH-ES + HKDF-256 / A128GCM examples (tests/vectors/external/
//! cose-wg/) and Wycheproof X25519, P-256 ECDH, AES-GCM and HKDF-SHA256
//! (tests/vectors/external/wycheproof/), with every exception counted.

use alloc::vec::Vec;

use serde_json::Value;

use super::super::key::GroupPublicKey;
use super::super::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/external/");

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{DIR}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn hex_of(v: &Value, field: &str, at: &str) -> Vec<u8> {
    let s = v[field].as_str().unwrap_or_else(|| panic!("{at}: {field} is not a string"));
    hex::decode(s).unwrap_or_else(|e| panic!("{at}: {field}: {e}"))
}

fn base64url(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes() {
        bits = bits << 6 | ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// A cose-wg ECDH-ES direct example: the recipient's secret key from the
/// file, the sender's ephemeral key from the output's recipient header.
/// Checks Z, the KDF context, the CEK, the AAD, and that AES-128-GCM under
/// the CEK gives the file's ciphertext and opens it to the plaintext.
fn cose_wg_ecdh_direct(file: &str) {
    let v = load(file);
    let recipient = &v["input"]["enveloped"]["recipients"][0];
    let (secret, ephemeral) = match recipient["key"]["crv"].as_str().unwrap() {
        "X25519" => {
            let d = hex_of(&recipient["key"], "d_hex", file);
            (GroupSecretKey::from_bytes(GroupAlgorithm::X25519, &d).unwrap(), ephemeral_of(&v, file))
        }
        "P-256" => {
            let d = base64url(recipient["key"]["d"].as_str().unwrap());
            (GroupSecretKey::from_bytes(GroupAlgorithm::P256, &d).unwrap(), ephemeral_of(&v, file))
        }
        other => panic!("{file}: curve {other}"),
    };
    let intermediates = &v["intermediates"];
    let z = secret.agree(&ephemeral).unwrap();
    assert_eq!(z.as_ref()[..], hex_of(&intermediates["recipients"][0], "Secret_hex", file)[..], "{file}: Z");
    // The recipient's protected header {1: -25}, as the file encodes it.
    let context = kdf_context(&[0xa1, 0x01, 0x38, 0x18]);
    assert_eq!(context, hex_of(&intermediates["recipients"][0], "Context_hex", file), "{file}: context");
    let cek = derive_cek(z.as_ref(), &context);
    assert_eq!(cek.as_ref()[..], hex_of(intermediates, "CEK_hex", file)[..], "{file}: CEK");
    let aad = enc_structure(&CONTENT_PROTECTED);
    assert_eq!(aad, hex_of(intermediates, "AAD_hex", file), "{file}: AAD");
    let iv: [u8; IV_LEN] = hex::decode(v["input"]["rng_stream"][1].as_str().unwrap()).unwrap().try_into().unwrap();
    let plaintext = v["input"]["plaintext"].as_str().unwrap().as_bytes();
    let ciphertext = aead_seal(&cek, &iv, &aad, plaintext);
    let encoded = hex_of(&v["output"], "cbor", file);
    let found = encoded.windows(ciphertext.len()).any(|w| w == ciphertext);
    assert!(found, "{file}: the file's ciphertext");
    assert_eq!(aead_open(&cek, &iv, &aad, &ciphertext).as_deref(), Some(plaintext), "{file}: open");
    let mut bad = ciphertext.clone();
    bad[0] ^= 1;
    assert_eq!(aead_open(&cek, &iv, &aad, &bad), None, "{file}: altered");
}

/// The sender's ephemeral key, `-1` in the recipient's unprotected header of
/// the file's output (diagnostic notation, so read from the hex via coset).
fn ephemeral_of(v: &Value, file: &str) -> GroupPublicKey {
    use coset::{AsCborValue, CborSerializable, CoseEncrypt, TaggedCborSerializable};
    let bytes = hex_of(&v["output"], "cbor", file);
    let encrypt = CoseEncrypt::from_tagged_slice(&bytes).or_else(|_| CoseEncrypt::from_slice(&bytes)).unwrap();
    let (_, value) = encrypt.recipients[0]
        .unprotected
        .rest
        .iter()
        .find(|(label, _)| *label == coset::Label::Int(-1))
        .unwrap_or_else(|| panic!("{file}: no ephemeral key"));
    let key = coset::CoseKey::from_cbor_value(value.clone()).unwrap();
    let param = |label: i64| key.params.iter().find(|(l, _)| *l == coset::Label::Int(label)).map(|(_, v)| v.clone());
    let x = param(-2).unwrap().into_bytes().unwrap();
    match param(-3) {
        None => GroupPublicKey::from_x25519(&x).unwrap(),
        Some(y) => {
            let mut sec1 = match y {
                coset::cbor::value::Value::Bool(odd) => Vec::from([if odd { 0x03 } else { 0x02 }]),
                _ => Vec::from([0x04]),
            };
            sec1.extend_from_slice(&x);
            if let coset::cbor::value::Value::Bytes(y) = y {
                sec1.extend_from_slice(&y);
            }
            GroupPublicKey::from_p256_sec1(&sec1).unwrap()
        }
    }
}

/// The cose-wg files these tests read, relative to `cose-wg/`.
pub(crate) const COSE_WG_FILES: [&str; 3] = [
    "X25519-tests/x25519-hkdf-256-direct.json",
    "ecdh-direct-examples/p256-hkdf-256-01.json",
    "RFC8152/Appendix_C_3_1.json",
];

#[test]
fn cose_wg_ecdh_es_hkdf_256_direct_examples() {
    for file in COSE_WG_FILES {
        cose_wg_ecdh_direct(&format!("cose-wg/{file}"));
    }
}

/// Every test of a Wycheproof file as `(group, test, tcId, result)`, after
/// checking `numberOfTests`.
fn tests<'a>(v: &'a Value, file: &'a str) -> impl Iterator<Item = (&'a Value, &'a Value, u64, &'a str)> {
    let groups = v["testGroups"].as_array().unwrap_or_else(|| panic!("{file}: testGroups"));
    let total: usize = groups.iter().map(|g| g["tests"].as_array().unwrap().len()).sum();
    assert_eq!(Some(total as u64), v["numberOfTests"].as_u64(), "{file}: numberOfTests");
    groups.iter().flat_map(move |group| {
        group["tests"].as_array().unwrap().iter().map(move |test| {
            let tc = test["tcId"].as_u64().unwrap_or_else(|| panic!("{file}: tcId"));
            (group, test, tc, test["result"].as_str().unwrap())
        })
    })
}

fn flags(test: &Value) -> Vec<&str> {
    test["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect()
}

#[test]
fn wycheproof_x25519() {
    const FILE: &str = "wycheproof/x25519_test.json";
    let v = load(FILE);
    let (mut agreed, mut zero_refused) = (0, 0);
    for (_, test, tc, result) in tests(&v, FILE) {
        let at = format!("{FILE} tcId {tc}");
        let secret = GroupSecretKey::from_bytes(GroupAlgorithm::X25519, &hex_of(test, "private", &at)).unwrap();
        let public = GroupPublicKey::from_x25519(&hex_of(test, "public", &at)).unwrap();
        let shared = hex_of(test, "shared", &at);
        match secret.agree(&public) {
            Some(z) => {
                assert_eq!(z.as_ref()[..], shared[..], "{at}");
                agreed += 1;
            }
            // Refused exactly when the result is all zero (RFC 7748 §6.1),
            // which Wycheproof marks "acceptable", never "valid".
            None => {
                assert!(shared.iter().all(|&b| b == 0) && result == "acceptable", "{at}");
                assert!(flags(test).contains(&"ZeroSharedSecret"), "{at}");
                zero_refused += 1;
            }
        }
        assert!(result == "valid" || result == "acceptable", "{at}: {result}");
    }
    assert_eq!((agreed, zero_refused), (487, 31));
}

#[test]
fn wycheproof_p256_ecdh_ecpoint() {
    const FILE: &str = "wycheproof/ecdh_secp256r1_ecpoint_test.json";
    let v = load(FILE);
    let (mut valid, mut invalid) = (0, 0);
    for (_, test, tc, result) in tests(&v, FILE) {
        let at = format!("{FILE} tcId {tc}");
        let mut private = hex_of(test, "private", &at);
        // Wycheproof writes the scalar as a signed big-endian integer.
        while private.len() > 32 && private[0] == 0 {
            private.remove(0);
        }
        let mut padded = [0u8; 32];
        padded[32 - private.len()..].copy_from_slice(&private);
        let secret = GroupSecretKey::from_bytes(GroupAlgorithm::P256, &padded).unwrap();
        let agreed = GroupPublicKey::from_p256_sec1(&hex_of(test, "public", &at)).ok().and_then(|p| secret.agree(&p));
        match result {
            // "acceptable": a compressed point, which nocard reads.
            "valid" | "acceptable" => {
                assert_eq!(agreed.unwrap().as_ref()[..], hex_of(test, "shared", &at)[..], "{at}");
                valid += 1;
            }
            _ => {
                assert!(agreed.is_none(), "{at}: invalid public key accepted");
                invalid += 1;
            }
        }
    }
    assert_eq!((valid, invalid), (331, 24));
}

#[test]
fn wycheproof_aes_gcm() {
    const FILE: &str = "wycheproof/aes_gcm_test.json";
    let v = load(FILE);
    let (mut valid, mut invalid, mut other_sizes) = (0, 0, 0);
    for (group, test, tc, result) in tests(&v, FILE) {
        let at = format!("{FILE} tcId {tc}");
        // The envelope carries a 16-byte CEK, a 12-byte IV and a 16-byte tag
        // by type (SPEC.md §13.1): other sizes cannot reach these functions.
        if (group["keySize"].as_u64(), group["ivSize"].as_u64(), group["tagSize"].as_u64())
            != (Some(128), Some(96), Some(128))
        {
            other_sizes += 1;
            continue;
        }
        let cek: [u8; 16] = hex_of(test, "key", &at).try_into().unwrap();
        let iv: [u8; IV_LEN] = hex_of(test, "iv", &at).try_into().unwrap();
        let (aad, msg) = (hex_of(test, "aad", &at), hex_of(test, "msg", &at));
        let mut sealed = hex_of(test, "ct", &at);
        sealed.extend_from_slice(&hex_of(test, "tag", &at));
        let opened = aead_open(&cek, &iv, &aad, &sealed);
        if result == "valid" {
            assert_eq!(opened.as_deref(), Some(&msg[..]), "{at}");
            assert_eq!(aead_seal(&cek, &iv, &aad, &msg), sealed, "{at}");
            valid += 1;
        } else {
            assert_eq!(result, "invalid", "{at}");
            assert_eq!(opened, None, "{at}");
            invalid += 1;
        }
    }
    assert_eq!((valid, invalid, other_sizes), (40, 27, 249));
}

#[test]
fn wycheproof_hkdf_sha256() {
    const FILE: &str = "wycheproof/hkdf_sha256_test.json";
    let v = load(FILE);
    let (mut valid, mut invalid) = (0, 0);
    for (_, test, tc, result) in tests(&v, FILE) {
        let at = format!("{FILE} tcId {tc}");
        let size = test["size"].as_u64().unwrap() as usize;
        let mut okm = alloc::vec![0u8; size];
        let derived =
            hkdf_sha256(&hex_of(test, "salt", &at), &hex_of(test, "ikm", &at), &hex_of(test, "info", &at), &mut okm);
        if result == "valid" {
            assert_eq!((derived, okm), (Some(()), hex_of(test, "okm", &at)), "{at}");
            valid += 1;
        } else {
            assert_eq!(derived, None, "{at}: {result}");
            invalid += 1;
        }
    }
    assert_eq!((valid, invalid), (83, 3));
}
