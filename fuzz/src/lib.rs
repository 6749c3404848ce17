//! Shared by the fuzz targets: the fixed trust setup (built once per
//! process) and the invariants every accepted presentation must meet.

pub mod fixture;

use std::sync::OnceLock;

use nocard::error::Error;
use nocard::keys::KeyId;
use nocard::verify::{Policy, Verified, Verifier};

use fixture::{ALGORITHM_PAIRS, VERIFY_AT, issuer_key};

/// The verifier of [`fixture::verifier`], built on first use.
pub fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(fixture::verifier)
}

/// What must hold of any presentation the fixture's verifier accepted at
/// [`VERIFY_AT`], whatever bytes it came from: the verifier's own checks,
/// restated from the outside.
pub fn check_verified(v: &Verified) {
    let trusted: Vec<KeyId> = ALGORITHM_PAIRS.iter().map(|(alg, _)| issuer_key(*alg).public_key().id()).collect();
    assert!(trusted.contains(&v.key_id), "accepted an untrusted key id {:?}", v.key_id);
    assert_eq!(v.issuer, fixture::ISSUER);
    let skew = Policy::DEFAULT_CLOCK_SKEW;
    assert!(v.not_before <= VERIFY_AT + skew && VERIFY_AT < v.expires + skew, "credential not valid now: {v:?}");
    let w = v.window;
    assert!(w.start() <= VERIFY_AT + skew && VERIFY_AT < w.end() + skew, "window not current: {w:?}");
    assert!(!v.claims.is_empty(), "a presentation disclosed nothing");
}

/// A malformed-input error must point inside the input it describes.
pub fn check_error_offset(err: &Error, input_len: usize) {
    if let Error::Malformed(m) = err {
        assert!(m.offset <= input_len, "error offset {} past the input's {input_len} bytes: {err:?}", m.offset);
    }
}
