//! Property tests: whatever a stranger's phone shows, verification returns an
//! error (never a panic), and no change to the signed bytes of a valid
//! presentation verifies (changes to its unsigned envelope verify to the
//! same result: `envelope_edits_verify_to_the_same_result`).
//!
//! Inputs come from a seeded xorshift generator, so every run checks the same
//! cases and a failure names the case that reproduces it (the coverage-guided
//! search lives in fuzz/). nocard keeps proptest out to hold Cargo.lock to one
//! version of `rand_core` and `getrandom`.

use coset::CborSerializable;
use std::sync::OnceLock;

use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::error::Error;
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::replay::ReplayCache;
use nocard::text::{self, TextKind};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

const NOW: u64 = 1_795_420_800;
const CASES: u64 = 5_000;

/// xorshift64* (Vigna, 2016): small, fast, good enough to pick test inputs.
struct Rng(u64);

impl Rng {
    fn new(case: u64) -> Self {
        Self(0x9e37_79b9_7f4a_7c15 ^ case.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = self.below(max_len + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

struct Fixture {
    verifier: Verifier,
    /// A household-register view (records, dates) and one with disclosures.
    presentations: [Vec<u8>; 2],
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[1; 32]).unwrap();
        let scope = KeyScope::types(&["household_register"]).unwrap();
        let trusted = TrustedKey::new("NBPSB", issuer_key.public_key().clone(), scope).unwrap();
        let verifier = Verifier::new(vec![trusted], Policy::default()).unwrap();
        let device = SecretKey::from_bytes(Algorithm::Es256, &[2; 32]).unwrap();
        let doc = Registry::builtin().by_name("household_register").unwrap().clone();
        let bundle = Issuer::new("NBPSB", issuer_key)
            .unwrap()
            .credential(&doc, device.public_key(), doc.example_claims())
            .validity(NOW - 100, NOW + 100)
            .sign()
            .unwrap();
        let holder = Holder::new(bundle, device).unwrap();
        let present = |d| holder.present(d).at(NOW).challenge(1234).sign().unwrap().as_bytes().to_vec();
        let presentations = [
            present(Disclose::Profile(Profile::GovernmentWindow)),
            present(Disclose::Claims(vec!["members".into(), "address".into()])),
        ];
        for p in &presentations {
            verifier.verify_bytes(p, NOW).unwrap();
        }
        Fixture { verifier, presentations }
    })
}

#[test]
fn random_bytes_never_verify() {
    let f = fixture();
    for case in 0..CASES {
        let bytes = Rng::new(case).bytes(600);
        assert!(f.verifier.verify_bytes(&bytes, NOW).is_err(), "case {case}");
        assert!(f.verifier.verify(&bytes, NOW).is_err(), "case {case}");
    }
}

#[test]
fn random_text_never_verifies() {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let f = fixture();
    for case in 0..CASES {
        let mut rng = Rng::new(case);
        let len = rng.below(700);
        let mut text = b"NC1:".to_vec();
        text.extend((0..len).map(|_| ALPHABET[rng.below(ALPHABET.len())]));
        assert!(f.verifier.verify(&text, NOW).is_err(), "case {case}");
    }
}

#[test]
fn changed_bytes_never_verify() {
    let f = fixture();
    for case in 0..CASES {
        let mut rng = Rng::new(case);
        let original = &f.presentations[rng.below(2)];
        let mut bytes = original.clone();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 + rng.below(255) as u8;
        }
        if bytes == *original {
            continue; // two edits cancelled out
        }
        assert!(f.verifier.verify_bytes(&bytes, NOW).is_err(), "case {case}");
        let text = text::encode(TextKind::Presentation, &bytes);
        assert!(f.verifier.verify(text.as_bytes(), NOW).is_err(), "case {case}");
    }
}

#[test]
fn truncated_or_extended_never_verifies() {
    let f = fixture();
    for case in 0..CASES {
        let mut rng = Rng::new(case);
        let original = &f.presentations[rng.below(2)];
        let mut bytes = original[..rng.below(original.len())].to_vec();
        bytes.extend(rng.bytes(8));
        if bytes == *original {
            continue;
        }
        assert!(f.verifier.verify_bytes(&bytes, NOW).is_err(), "case {case}");
    }
}

#[test]
fn every_single_byte_change_is_caught() {
    // Exhaustive over positions for one presentation: each byte flipped once.
    let f = fixture();
    let original = &f.presentations[1];
    for i in 0..original.len() {
        let mut bytes = original.clone();
        bytes[i] ^= 0x01;
        assert!(f.verifier.verify_bytes(&bytes, NOW).is_err(), "byte {i}");
    }
}

#[test]
fn envelope_edits_verify_to_the_same_result() {
    // RFC 9052 lets a COSE_Sign1 carry tag 18 and an unprotected header. No
    // signature covers either, so nocard reads both and trusts neither: a
    // presentation with them changed verifies, to exactly the same result.
    // Anything keyed on a frame's raw bytes (a replay cache) must key on its
    // signed parts instead. fuzz/fuzz_targets/verify_mutated.rs allows
    // exactly these edits and no others.
    let f = fixture();
    for original in &f.presentations {
        let expected = f.verifier.verify_bytes(original, NOW).unwrap();
        // `0x84`, the protected header as a short byte string, then `0xa0`.
        assert!(original[1] >= 0x40 && original[1] < 0x58);
        let unprotected = 2 + usize::from(original[1] - 0x40);
        assert_eq!((original[0], original[unprotected]), (0x84, 0xa0));

        let mut tagged = vec![0xd2];
        tagged.extend_from_slice(original);
        let mut with_header = original[..unprotected].to_vec();
        with_header.extend_from_slice(&[0xa1, 0x04, 0x42, 0x31, 0x31]); // {4: h'3131'}, a kid nobody signed
        with_header.extend_from_slice(&original[unprotected + 1..]);
        for edited in [tagged, with_header] {
            assert_eq!(f.verifier.verify_bytes(&edited, NOW).as_ref(), Ok(&expected));
        }

        // Any other tag is refused.
        let mut mac0 = vec![0xd1];
        mac0.extend_from_slice(original);
        assert_eq!(f.verifier.verify_bytes(&mac0, NOW).unwrap_err().code(), "malformed");
    }
}

/// `n - s` for a P-256 signature's `s`: the other valid signature of the
/// same message (SPEC.md §7.5).
fn p256_twin_s(s: &[u8]) -> Vec<u8> {
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6,
        0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ];
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    out
}

#[test]
fn every_twin_of_an_accepted_code_is_its_replay() {
    // The replay cache keys on what the device signed: the re-encodings no
    // signature covers (tag 18, an unprotected header) are the same entry,
    // and the ES256 (r, n - s) twin never gets that far (`high_s`).
    let f = fixture();
    for original in &f.presentations {
        let mut cache = ReplayCache::new(8).unwrap();
        cache.admit(&f.verifier.verify_bytes(original, NOW).unwrap(), NOW).unwrap();
        let unprotected = 2 + usize::from(original[1] - 0x40);
        let mut tagged = vec![0xd2];
        tagged.extend_from_slice(original);
        let mut with_header = original[..unprotected].to_vec();
        with_header.extend_from_slice(&[0xa1, 0x04, 0x42, 0x31, 0x31]);
        with_header.extend_from_slice(&original[unprotected + 1..]);
        for twin in [original.clone(), tagged, with_header] {
            let verified = f.verifier.verify_bytes(&twin, NOW).unwrap();
            assert_eq!(cache.admit(&verified, NOW + 1), Err(Error::Replayed { first_seen: NOW }));
        }
        // The device signature is the last 64 bytes (a 0x58 0x40 bstr).
        let sig_at = original.len() - 64;
        assert_eq!(&original[sig_at - 2..sig_at], &[0x58, 0x40]);
        let mut high_s = original.clone();
        let twin_s = p256_twin_s(&original[sig_at + 32..]);
        high_s[sig_at + 32..].copy_from_slice(&twin_s);
        // A genuine signature of the same message, refused for its form.
        let tbs = coset::CoseSign1::from_slice(&high_s).unwrap().tbs_data(&[]);
        let device = p256::ecdsa::SigningKey::from_slice(&[2; 32]).unwrap();
        let signature = p256::ecdsa::Signature::from_slice(&high_s[sig_at..]).unwrap();
        p256::ecdsa::signature::Verifier::verify(device.verifying_key(), &tbs, &signature).unwrap();
        match f.verifier.verify_bytes(&high_s, NOW) {
            Err(Error::Malformed(m)) => assert_eq!(m.kind.code(), "high_s"),
            other => panic!("the (r, n - s) twin: {other:?}"),
        }
        assert_eq!(cache.len(), 1);
    }
}
