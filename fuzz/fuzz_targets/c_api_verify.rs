//! The C API's verify call, `nocard_verifier_verify`, with the fixed trust
//! setup built through the C builder: it must never panic across the
//! boundary, and it must agree with the Rust verifier on every input (the C
//! layer is a shell, so any disagreement is a bug in it), except that C
//! refuses text over `NOCARD_MAX_TEXT_LEN` without reading it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::ffi::*;
use nocard_fuzz::fixture::VERIFY_AT;
use nocard_fuzz::{c_verifier, code_name};

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
    match &rust {
        Ok(_) => assert_eq!(result, nocard_result::Ok),
        Err(e) => assert_eq!(code_name(result), e.code(), "C and Rust disagree"),
    }
    // SAFETY: `out` came from nocard_verification_new and is freed once.
    unsafe { nocard_verification_free(out) };
});
