//! Fixtures shared by the unit tests: fixed keys, a fixed clock, samples.

use alloc::vec::Vec;

use crate::credential::{CredentialBundle, Issuer, StatusRef};
use crate::document::{DocType, Registry};
use crate::keys::{Algorithm, SecretKey};
use crate::presentation::{Disclose, Holder, Presentation};
use crate::verify::{KeyScope, Policy, TrustedKey, Verifier};

/// Bytes from hex written with spaces between groups, as the tables are.
pub fn hex(s: &str) -> Vec<u8> {
    hex::decode(s.replace(' ', "")).unwrap()
}

/// 2026-11-23T08:00:00Z.
pub const NOW: u64 = 1_795_420_800;
pub const ISSUER: &str = "NBPSB";
pub const YEAR: u64 = 365 * 86_400;

pub fn issuer_key(alg: Algorithm) -> SecretKey {
    SecretKey::from_bytes(alg, &[0x11; 32]).unwrap()
}

pub fn device_key(alg: Algorithm) -> SecretKey {
    SecretKey::from_bytes(alg, &[0x22; 32]).unwrap()
}

pub fn resident_id() -> DocType {
    Registry::builtin().by_name("resident_id_card").unwrap().clone()
}

/// A bundle of `doc`'s example claims, valid for a year around [`NOW`].
pub fn bundle(doc: &DocType, issuer_alg: Algorithm, device_alg: Algorithm) -> CredentialBundle {
    let issuer = Issuer::new(ISSUER, issuer_key(issuer_alg)).unwrap();
    issuer
        .credential(doc, device_key(device_alg).public_key(), doc.example_claims())
        .validity(NOW - YEAR / 2, NOW + YEAR / 2)
        .status(StatusRef { list: 7, index: 4242 })
        .salt_seed([0x33; 32])
        .sign()
        .unwrap()
}

pub fn holder(issuer_alg: Algorithm, device_alg: Algorithm) -> Holder<SecretKey> {
    Holder::new(bundle(&resident_id(), issuer_alg, device_alg), device_key(device_alg)).unwrap()
}

pub fn present(disclose: Disclose) -> Presentation {
    holder(Algorithm::EdDsa, Algorithm::Es256).present(disclose).at(NOW).sign().unwrap()
}

/// A verifier with the default policy trusting the test issuer for every type.
pub fn verifier(issuer_alg: Algorithm) -> Verifier {
    verifier_with(issuer_alg, Policy::default())
}

/// A verifier with `policy` trusting the test issuer for every type.
pub fn verifier_with(issuer_alg: Algorithm, policy: Policy) -> Verifier {
    let key = TrustedKey::new(ISSUER, issuer_key(issuer_alg).public_key().clone(), KeyScope::AllTypes).unwrap();
    Verifier::new(Vec::from([key]), policy).unwrap()
}

/// tests/vectors/portrait/portrait.jpg: 3 027 bytes, drawn by
/// `examples/portrait_fixture.rs`.
pub const PORTRAIT: &[u8] = include_bytes!("../tests/vectors/portrait/portrait.jpg");

/// A holder whose resident ID card signs `photo_digest` = SHA-256(`photo`).
pub fn holder_with_photo(photo: &[u8]) -> Holder<SecretKey> {
    Holder::new(bundle_with_photo(photo), device_key(Algorithm::Es256)).unwrap()
}

/// The resident ID card of [`holder_with_photo`].
pub fn bundle_with_photo(photo: &[u8]) -> CredentialBundle {
    use sha2::{Digest, Sha256};
    let doc = resident_id();
    let mut claims = doc.example_claims();
    let slot = claims.iter_mut().find(|c| c.name == "photo_digest").unwrap();
    slot.value = crate::document::ClaimValue::Bytes(Sha256::digest(photo).to_vec());
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    issuer
        .credential(&doc, device_key(Algorithm::Es256).public_key(), claims)
        .validity(NOW - YEAR / 2, NOW + YEAR / 2)
        .salt_seed([0x33; 32])
        .sign()
        .unwrap()
}

/// Its roadside-check presentation (which discloses `photo_digest`) at `now`.
pub fn roadside_with_photo(photo: &[u8], now: u64) -> Presentation {
    holder_with_photo(photo).present(Disclose::Profile(crate::document::Profile::RoadsideCheck)).at(now).sign().unwrap()
}
