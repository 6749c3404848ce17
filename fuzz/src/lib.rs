//! Shared by the fuzz targets: the fixed trust setup (built once per
//! process, in Rust and through the C builder) and the invariants every
//! accepted presentation must meet.

pub mod fixture;

use std::ffi::CString;
use std::sync::OnceLock;

use nocard::error::Error;
use nocard::ffi::*;
use nocard::keys::{Algorithm, KeyId};
use nocard::verify::{Policy, Verified, Verifier};

use fixture::{ALGORITHM_PAIRS, ISSUER, VERIFY_AT, issuer_key};

/// A C verifier handle, kept for the process; the C API allows sharing it.
pub struct CVerifier(pub *const nocard_verifier);
// SAFETY: `nocard_verifier` is immutable after build and documented as safe
// to use from many threads at once.
unsafe impl Send for CVerifier {}
unsafe impl Sync for CVerifier {}

/// The fixture's trust setup built through the C builder: both issuer keys,
/// every document type, as the Rust [`verifier`] trusts them.
pub fn c_verifier() -> &'static CVerifier {
    static VERIFIER: OnceLock<CVerifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        let issuer = CString::new(ISSUER).unwrap();
        let builder = nocard_verifier_builder_new();
        for alg in [Algorithm::EdDsa, Algorithm::Es256] {
            let key = issuer_key(alg).public_key().to_cose_key();
            // SAFETY: live builder, `key` readable for its length, NUL-terminated
            // issuer, no doc types: all types, as the Rust fixture trusts it.
            let r = unsafe {
                nocard_verifier_builder_add_issuer_key(
                    builder,
                    key.as_ptr(),
                    key.len(),
                    issuer.as_ptr(),
                    std::ptr::null(),
                    0,
                    true,
                )
            };
            assert_eq!(r, nocard_result::Ok);
        }
        let mut verifier = std::ptr::null();
        // SAFETY: the builder is live and consumed here; `verifier` is writable.
        assert_eq!(unsafe { nocard_verifier_builder_build(builder, &mut verifier) }, nocard_result::Ok);
        CVerifier(verifier)
    })
}

/// A result code's stable name, as `nocard_result_code_name` gives it.
pub fn code_name(result: nocard_result) -> &'static str {
    // SAFETY: the name is a static NUL-terminated C string.
    unsafe { std::ffi::CStr::from_ptr(nocard_result_code_name(result as u32)) }.to_str().unwrap()
}

/// The verifier of [`fixture::verifier`], built on first use.
pub fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(fixture::verifier)
}

/// The verifier of [`fixture::sealed_verifier`], built on first use.
pub fn sealed_verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(fixture::sealed_verifier)
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
