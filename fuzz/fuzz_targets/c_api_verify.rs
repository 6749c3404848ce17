//! The C API's verify call, `nocard_verifier_verify`, with the fixed trust
//! setup built through the C builder: it must never panic across the
//! boundary, and it must agree with the Rust verifier on every input (the C
//! layer is a shell, so any disagreement is a bug in it), except that C
//! refuses text over `NOCARD_MAX_TEXT_LEN` without reading it.
#![no_main]

use std::ffi::CString;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nocard::ffi::*;
use nocard::keys::Algorithm;
use nocard_fuzz::fixture::{ISSUER, VERIFY_AT, issuer_key};

/// A verifier handle, kept for the process; the C API allows sharing it.
struct Handle(*const nocard_verifier);
// SAFETY: `nocard_verifier` is immutable after build and documented as safe
// to use from many threads at once.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

fn c_verifier() -> &'static Handle {
    static VERIFIER: OnceLock<Handle> = OnceLock::new();
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
        Handle(verifier)
    })
}

fuzz_target!(|data: &[u8]| {
    let out = nocard_verification_new();
    // SAFETY: live verifier and result object; `data` readable for its length.
    let result = unsafe { nocard_verifier_verify(c_verifier().0, data.as_ptr(), data.len(), VERIFY_AT, out) };
    // The C API refuses text over NOCARD_MAX_TEXT_LEN unread; the Rust API
    // first drops trailing line endings, so it may read such a text.
    if data.len() > NOCARD_MAX_TEXT_LEN {
        assert_eq!(result, nocard_result::Malformed);
        // SAFETY: `out` came from nocard_verification_new and is freed once.
        unsafe { nocard_verification_free(out) };
        return;
    }
    let rust = nocard_fuzz::verifier().verify(data, VERIFY_AT);
    // SAFETY: `result` is a valid code; the name is a static C string.
    let name = unsafe { std::ffi::CStr::from_ptr(nocard_result_code_name(result as u32)) }.to_str().unwrap();
    match &rust {
        Ok(_) => assert_eq!(result, nocard_result::Ok),
        Err(e) => assert_eq!(name, e.code(), "C and Rust disagree"),
    }
    // SAFETY: `out` came from nocard_verification_new and is freed once.
    unsafe { nocard_verification_free(out) };
});
