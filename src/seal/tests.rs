use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::*;
use crate::document::Profile;
use crate::error::ConfigError;
use crate::keys::Algorithm;
use crate::presentation::{Disclose, Presentation};
use crate::testing::{ISSUER, NOW, issuer_key, present};
use crate::verify::{KeyScope, Policy, TrustedKey, Verified, Verifier};

fn group(alg: GroupAlgorithm, byte: u8) -> GroupSecretKey {
    GroupSecretKey::from_bytes(alg, &[byte; 32]).unwrap()
}

fn hotel() -> Presentation {
    present(Disclose::Profile(Profile::HotelCheckIn))
}

/// `presentation` sealed to the group key `[0x55; 32]` of `alg`, with a fixed
/// ephemeral key and IV.
fn sealed(alg: GroupAlgorithm, presentation: &Presentation) -> Sealed {
    seal_with(presentation.as_bytes(), group(alg, 0x55).public_key(), &group(alg, 0x66), [0x77; IV_LEN]).unwrap()
}

fn desk(group_keys: Vec<GroupSecretKey>, policy: Policy) -> Result<Verifier, Error> {
    let key = TrustedKey::new(ISSUER, issuer_key(Algorithm::EdDsa).public_key().clone(), KeyScope::AllTypes)?;
    Verifier::with_group_keys(crate::document::Registry::builtin(), Vec::from([key]), group_keys, policy)
}

fn desk_of(alg: GroupAlgorithm) -> Verifier {
    desk(Vec::from([group(alg, 0x55)]), Policy::default()).unwrap()
}

fn verify_sealed(bytes: &[u8], alg: GroupAlgorithm) -> Result<Verified, Error> {
    desk_of(alg).verify_sealed_bytes(bytes, NOW)
}

const ALGS: [GroupAlgorithm; 2] = [GroupAlgorithm::X25519, GroupAlgorithm::P256];

#[test]
fn a_sealed_code_verifies_exactly_as_the_plain_one() {
    for alg in ALGS {
        let plain = desk_of(alg).verify(hotel().to_text().as_bytes(), NOW).unwrap();
        let text = sealed(alg, &hotel()).to_text();
        assert!(text.starts_with("NCS1:"), "{alg:?}");
        let opened = desk_of(alg).verify(text.as_bytes(), NOW).unwrap();
        assert_eq!(opened.sealed_to, Some(group(alg, 0x55).id()), "{alg:?}");
        assert_eq!(Verified { sealed_to: None, ..opened }, plain, "{alg:?}");
    }
}

#[test]
fn random_seals_differ_and_open() {
    let group = group(GroupAlgorithm::X25519, 0x55);
    let a = seal(hotel().as_bytes(), group.public_key()).unwrap();
    let b = seal(hotel().as_bytes(), group.public_key()).unwrap();
    assert_ne!(a, b);
    for s in [a, b] {
        assert!(verify_sealed(s.as_bytes(), GroupAlgorithm::X25519).is_ok());
    }
}

#[test]
fn a_code_sealed_for_another_group_names_its_key() {
    for alg in ALGS {
        let other = desk(Vec::from([group(alg, 0x56)]), Policy::default()).unwrap();
        let err = other.verify_sealed_bytes(sealed(alg, &hotel()).as_bytes(), NOW).unwrap_err();
        assert_eq!(err, Error::SealedForOtherGroup { kid: group(alg, 0x55).id() }, "{alg:?}");
        assert_eq!(err.code(), "sealed_for_other_group");
    }
}

#[test]
fn a_verifier_without_group_keys_refuses_sealed_codes() {
    let plain_desk = desk(Vec::new(), Policy::default()).unwrap();
    let text = sealed(GroupAlgorithm::X25519, &hotel()).to_text();
    assert_eq!(plain_desk.verify(text.as_bytes(), NOW).unwrap_err(), Error::SealedNoGroupKey);
}

#[test]
fn a_plain_code_is_refused_where_sealed_codes_are_required() {
    let strict = desk(Vec::from([group(GroupAlgorithm::X25519, 0x55)]), Policy::default().require_sealed()).unwrap();
    assert_eq!(strict.verify(hotel().to_text().as_bytes(), NOW).unwrap_err(), Error::SealRequired);
    assert_eq!(strict.verify_bytes(hotel().as_bytes(), NOW).unwrap_err(), Error::SealRequired);
    let text = sealed(GroupAlgorithm::X25519, &hotel()).to_text();
    assert!(strict.verify(text.as_bytes(), NOW).is_ok());
}

#[test]
fn group_key_configuration_is_checked_when_set() {
    let err = desk(Vec::new(), Policy::default().require_sealed()).unwrap_err();
    assert_eq!(err, Error::InvalidConfig(ConfigError::SealWithoutGroupKey));
    let twice = Vec::from([group(GroupAlgorithm::P256, 0x55), group(GroupAlgorithm::P256, 0x55)]);
    let err = desk(twice, Policy::default()).unwrap_err();
    assert_eq!(err, Error::InvalidConfig(ConfigError::DuplicateGroupKey(group(GroupAlgorithm::P256, 0x55).id())));
}

#[test]
fn a_stale_inner_presentation_is_window_expired_after_opening() {
    let text = sealed(GroupAlgorithm::X25519, &hotel()).to_text();
    let err = desk_of(GroupAlgorithm::X25519).verify(text.as_bytes(), NOW + 60).unwrap_err();
    assert_eq!(err, Error::WindowExpired { end: NOW + 30, now: NOW + 60 });
}

/// Byte offsets of the parts of an X25519 envelope around a presentation
/// of `n` bytes (n ≥ 240, so the ciphertext has a 3-byte head):
/// `84 43 a10101 a1 05 4c iv(12) 59 nnnn ct(n) tag(16) 81 83 58 37
/// [a3 01 38 18 04 48 kid(8) 20 a3 01 01 20 04 21 58 20 x(32)] a0 40`.
struct Layout {
    iv: usize,
    ciphertext: usize,
    tag: usize,
    kid: usize,
    ephemeral_x: usize,
}

fn layout(n: usize) -> Layout {
    let iv = 1 + 4 + 3;
    let ciphertext = iv + IV_LEN + 3;
    let tag = ciphertext + n;
    let recipient_protected = tag + TAG_LEN + 2 + 2;
    Layout { iv, ciphertext, tag, kid: recipient_protected + 6, ephemeral_x: recipient_protected + 6 + 8 + 9 }
}

#[test]
fn the_layout_is_as_specified() {
    let p = hotel();
    let s = sealed(GroupAlgorithm::X25519, &p);
    let l = layout(p.as_bytes().len());
    let b = s.as_bytes();
    assert_eq!(&b[..l.iv], &[0x84, 0x43, 0xa1, 0x01, 0x01, 0xa1, 0x05, 0x4c]);
    assert_eq!(&b[l.iv..l.iv + IV_LEN], &[0x77; IV_LEN]);
    assert_eq!(&b[l.kid..l.kid + 8], &group(GroupAlgorithm::X25519, 0x55).id().0);
    assert_eq!(
        b[l.ephemeral_x..l.ephemeral_x + 32],
        group(GroupAlgorithm::X25519, 0x66).public_key().to_cose_key()[11..]
    );
    assert_eq!(&b[b.len() - 2..], &[0xa0, 0x40]);
    assert_eq!(b.len(), p.as_bytes().len() + 100);
}

#[test]
fn bit_flips_in_ciphertext_tag_iv_and_ephemeral_key_fail_to_open() {
    let p = hotel();
    let s = sealed(GroupAlgorithm::X25519, &p);
    let l = layout(p.as_bytes().len());
    for (part, at) in [
        ("iv", l.iv),
        ("iv end", l.iv + IV_LEN - 1),
        ("ciphertext", l.ciphertext),
        ("ciphertext middle", l.ciphertext + 100),
        ("tag", l.tag),
        ("tag end", l.tag + TAG_LEN - 1),
        ("ephemeral key", l.ephemeral_x + 5),
    ] {
        for bit in 0..8 {
            let mut b = s.as_bytes().to_vec();
            b[at] ^= 1 << bit;
            assert_eq!(
                verify_sealed(&b, GroupAlgorithm::X25519).unwrap_err(),
                Error::SealedOpenFailed,
                "{part} bit {bit}"
            );
        }
    }
}

#[test]
fn bit_flips_in_the_headers_each_get_their_error() {
    let p = hotel();
    let s = sealed(GroupAlgorithm::X25519, &p);
    let l = layout(p.as_bytes().len());
    let flipped = |at: usize, mask: u8| {
        let mut b = s.as_bytes().to_vec();
        b[at] ^= mask;
        verify_sealed(&b, GroupAlgorithm::X25519).unwrap_err()
    };
    let mut kid = group(GroupAlgorithm::X25519, 0x55).id();
    kid.0[0] ^= 0x01;
    assert_eq!(flipped(l.kid, 0x01), Error::SealedForOtherGroup { kid });
    // Content alg A128GCM (1) becomes A192GCM (2)... or 3, whatever the bit.
    assert_eq!(flipped(4, 0x02), Error::AlgorithmNotAllowed { alg: 3 });
    // Recipient alg −25 (38 18) becomes −26 (38 19).
    let recipient_alg = l.kid - 3;
    assert_eq!(flipped(recipient_alg, 0x01), Error::AlgorithmNotAllowed { alg: -26 });
    // The IV label 5 becomes 4: an unknown field.
    assert_eq!(flipped(6, 0x01).code(), "malformed");
    assert!(matches!(flipped(6, 0x01), Error::Malformed(Malformed { kind: MalformedKind::UnknownField, .. })));
}

#[test]
fn no_single_bit_flip_anywhere_verifies() {
    let s = sealed(GroupAlgorithm::X25519, &hotel());
    for at in 0..s.as_bytes().len() {
        for bit in 0..8 {
            let mut b = s.as_bytes().to_vec();
            b[at] ^= 1 << bit;
            assert!(verify_sealed(&b, GroupAlgorithm::X25519).is_err(), "byte {at} bit {bit}");
        }
    }
}

/// Re-encodes the envelope with its ciphertext cut to `len` bytes.
fn with_ciphertext_len(s: &Sealed, len: usize) -> Vec<u8> {
    let l = layout(s.as_bytes().len() - 100);
    let b = s.as_bytes();
    let ciphertext = &b[l.ciphertext..l.tag + TAG_LEN];
    let mut w = Writer::new();
    w.raw(&b[..l.iv + IV_LEN]).bytes(&ciphertext[..len]).raw(&b[l.tag + TAG_LEN..]);
    w.into_bytes()
}

#[test]
fn a_truncated_ciphertext_is_refused() {
    let s = sealed(GroupAlgorithm::X25519, &hotel());
    let full = s.as_bytes().len() - 100 + TAG_LEN;
    assert_eq!(
        verify_sealed(&with_ciphertext_len(&s, full), GroupAlgorithm::X25519).map(|v| v.sealed_to).ok(),
        Some(Some(group(GroupAlgorithm::X25519, 0x55).id()))
    );
    for len in [full - 1, TAG_LEN] {
        assert_eq!(
            verify_sealed(&with_ciphertext_len(&s, len), GroupAlgorithm::X25519).unwrap_err(),
            Error::SealedOpenFailed,
            "{len}"
        );
    }
    let err = verify_sealed(&with_ciphertext_len(&s, TAG_LEN - 1), GroupAlgorithm::X25519).unwrap_err();
    assert!(
        matches!(err, Error::Malformed(Malformed { kind: MalformedKind::InvalidValue { field: "ciphertext" }, .. })),
        "{err:?}"
    );
    // Bytes cut off the end: the CBOR ends inside an item.
    let cut = &s.as_bytes()[..s.as_bytes().len() - 1];
    assert!(matches!(
        verify_sealed(cut, GroupAlgorithm::X25519).unwrap_err(),
        Error::Malformed(Malformed { kind: MalformedKind::Truncated, .. })
    ));
}

#[test]
fn envelope_shape_errors_are_malformed_with_their_detail() {
    let s = sealed(GroupAlgorithm::X25519, &hotel());
    let detail = |b: &[u8]| match verify_sealed(b, GroupAlgorithm::X25519).unwrap_err() {
        Error::Malformed(m) => m.kind,
        other => panic!("{other:?}"),
    };
    let mut trailing = s.as_bytes().to_vec();
    trailing.push(0);
    assert_eq!(detail(&trailing), MalformedKind::TrailingBytes);
    let mut three = s.as_bytes().to_vec();
    three[0] = 0x83;
    assert_eq!(detail(&three), MalformedKind::InvalidValue { field: "COSE_Encrypt" });
    let mut recipient_ct = s.as_bytes().to_vec();
    let n = recipient_ct.len();
    recipient_ct[n - 1] = 0x41;
    recipient_ct.push(0);
    assert_eq!(detail(&recipient_ct), MalformedKind::InvalidValue { field: "recipient_ciphertext" });
    let mut unprotected = s.as_bytes().to_vec();
    unprotected.truncate(n - 2);
    unprotected.extend_from_slice(&[0xa1, 0x01, 0x01, 0x40]);
    assert_eq!(detail(&unprotected), MalformedKind::UnknownField);
}

#[test]
fn a_truncated_text_is_refused() {
    let text = sealed(GroupAlgorithm::X25519, &hotel()).to_text();
    // Cut at a group boundary, one whole triple (two bytes) short.
    let cut = 5 + (text.len() - 5) / 3 * 3 - 3;
    let err = desk_of(GroupAlgorithm::X25519).verify(&text.as_bytes()[..cut], NOW).unwrap_err();
    assert!(matches!(err, Error::Malformed(Malformed { kind: MalformedKind::Truncated, .. })), "{err:?}");
}

#[test]
fn group_keys_round_trip_and_are_not_signing_keys() {
    for alg in ALGS {
        let key = group(alg, 0x55);
        let secret = key.to_cose_key();
        let back = GroupSecretKey::from_cose_key(&secret).unwrap();
        assert_eq!(back.id(), key.id());
        assert_eq!(GroupPublicKey::from_cose_key(&key.public_key().to_cose_key()).unwrap(), *key.public_key());
        assert_eq!(GroupPublicKey::from_cose_key(&secret).unwrap(), *key.public_key());
        assert_eq!(GroupSecretKey::from_cose_key(&key.public_key().to_cose_key()).unwrap_err(), KeyError::NotSecret);
        assert_eq!(crate::keys::SecretKey::from_cose_key(&secret).unwrap_err(), KeyError::Unsupported);
    }
    let signing = crate::keys::SecretKey::from_bytes(Algorithm::Es256, &[0x55; 32]).unwrap();
    assert_eq!(GroupSecretKey::from_cose_key(&signing.to_cose_key()).unwrap_err(), KeyError::Unsupported);
}

#[test]
fn group_secret_keys_are_redacted_in_debug() {
    let key = group(GroupAlgorithm::X25519, 0x55);
    let shown = format!("{key:?}");
    assert_eq!(shown, format!("GroupSecretKey(x25519, {}, <redacted>)", key.id()));
    assert!(!shown.contains("5555"));
}

#[test]
fn a_low_order_x25519_group_key_is_refused_when_sealing() {
    let zero = GroupPublicKey::from_x25519(&[0; 32]).unwrap();
    let err = seal_with(b"x", &zero, &group(GroupAlgorithm::X25519, 0x66), [0; IV_LEN]).unwrap_err();
    assert_eq!(err, Error::InvalidKey(KeyError::WeakKey));
}

#[test]
fn hotel_code_sealed_fits_version_15_m() {
    for (alg, chars) in [(GroupAlgorithm::X25519, 580), (GroupAlgorithm::P256, 583)] {
        let text = sealed(alg, &hotel()).to_text();
        let qr = crate::qr::QrMatrix::encode(&text, crate::qr::EcLevel::M).unwrap();
        assert_eq!((text.len(), qr.version()), (chars, 15), "{alg:?}");
    }
}

#[test]
fn every_error_has_its_own_code() {
    let errors = [
        Error::SealRequired,
        Error::SealedNoGroupKey,
        Error::SealedForOtherGroup { kid: KeyId([0; 8]) },
        Error::SealedOpenFailed,
    ];
    let codes: alloc::collections::BTreeSet<&str> = errors.iter().map(Error::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert!(errors.iter().all(|e| !e.to_string().is_empty()));
}

pub(crate) mod external;
