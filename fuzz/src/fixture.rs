//! The fixed trust setup shared by the fuzz targets and by
//! `examples/fuzz_seeds.rs` (which includes this file), so that the seed
//! presentations the example writes verify inside the targets and the fuzzer
//! starts from inputs that reach the last step of verification.
//!
//! Public API only. Keys come from fixed seeds and the clock is fixed: these
//! keys are public test material, never use them for anything else.

use nocard::credential::{CredentialBundle, Issuer};
use nocard::document::DocType;
use nocard::error::Error;
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::Holder;
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

/// The clock every seed is made at (2026-11-22T00:00:00Z).
pub const NOW: u64 = 1_795_420_800;
/// The clock every target verifies at: inside the 30-second window of `NOW`.
pub const VERIFY_AT: u64 = NOW + 5;
/// The issuer name the verifier trusts.
pub const ISSUER: &str = "NBPSB";

/// Both issuer/device algorithm pairs nocard supports in practice.
pub const ALGORITHM_PAIRS: [(Algorithm, Algorithm); 2] =
    [(Algorithm::EdDsa, Algorithm::Es256), (Algorithm::Es256, Algorithm::Es256)];

/// The issuer's signing key for `alg`, from a fixed seed.
/// The root key that signs the fixture's trust lists.
pub fn trust_root() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x44; 32]).expect("32 bytes make an Ed25519 key")
}

pub fn issuer_key(alg: Algorithm) -> SecretKey {
    let seed = if alg == Algorithm::EdDsa { [0x11; 32] } else { [0x12; 32] };
    SecretKey::from_bytes(alg, &seed).expect("a fixed issuer seed is a valid key")
}

/// The holder's device key for `alg`, from a fixed seed.
pub fn device_key(alg: Algorithm) -> SecretKey {
    let seed = if alg == Algorithm::EdDsa { [0x21; 32] } else { [0x22; 32] };
    SecretKey::from_bytes(alg, &seed).expect("a fixed device seed is a valid key")
}

/// The desk key for `alg` that signs receipts and log checkpoints, from a fixed seed.
pub fn desk_key(alg: Algorithm) -> SecretKey {
    let seed = if alg == Algorithm::EdDsa { [0x55; 32] } else { [0x56; 32] };
    SecretKey::from_bytes(alg, &seed).expect("a fixed desk seed is a valid key")
}

/// The desk public keys the receipt and log targets trust: both algorithms.
pub fn desk_keys() -> Vec<nocard::keys::PublicKey> {
    [Algorithm::EdDsa, Algorithm::Es256].into_iter().map(|alg| desk_key(alg).public_key().clone()).collect()
}

/// A verifier with the default policy that trusts both issuer keys.
pub fn verifier() -> Verifier {
    let keys = [Algorithm::EdDsa, Algorithm::Es256]
        .into_iter()
        .map(|alg| TrustedKey::new(ISSUER, issuer_key(alg).public_key().clone(), KeyScope::AllTypes))
        .collect::<Result<_, _>>()
        .expect("the fixture issuer name is valid");
    Verifier::new(keys, Policy::default()).expect("two distinct keys")
}

/// A credential of `doc` with its example claims, valid around `NOW`, with
/// fixed salts so the bytes are the same on every run.
pub fn bundle(doc: &DocType, issuer_alg: Algorithm, device_alg: Algorithm) -> Result<CredentialBundle, Error> {
    Issuer::new(ISSUER, issuer_key(issuer_alg))?
        .credential(doc, device_key(device_alg).public_key(), doc.example_claims())
        .validity(NOW - 86_400, NOW + 10 * 365 * 86_400)
        .issued_at(NOW - 86_400)
        .salt_seed([0x33; 32])
        .sign()
}

/// The holder of [`bundle`].
pub fn holder(doc: &DocType, issuer_alg: Algorithm, device_alg: Algorithm) -> Result<Holder<SecretKey>, Error> {
    Holder::new(bundle(doc, issuer_alg, device_alg)?, device_key(device_alg))
}

/// The scanner groups' secret keys (SPEC.md §13): one X25519, one P-256.
pub fn group_keys() -> Vec<nocard::seal::GroupSecretKey> {
    use nocard::seal::{GroupAlgorithm, GroupSecretKey};
    [(GroupAlgorithm::X25519, [0x51; 32]), (GroupAlgorithm::P256, [0x52; 32])]
        .into_iter()
        .map(|(alg, seed)| GroupSecretKey::from_bytes(alg, &seed).expect("a fixed group seed is a valid key"))
        .collect()
}

/// [`verifier`] that also holds the [`group_keys`] and requires sealed codes.
pub fn sealed_verifier() -> Verifier {
    let plain = verifier();
    Verifier::with_group_keys(
        nocard::document::Registry::builtin(),
        plain.keys().to_vec(),
        group_keys(),
        Policy::default().require_sealed(),
    )
    .expect("distinct group keys")
}
