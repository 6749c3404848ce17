//! The C API's camera-frame call, `nocard_verifier_verify_frame`, on a raw
//! grayscale frame laid out as `scan_gray`'s input (width, height, stride
//! padding, one unused byte, then the pixels, possibly too few). It must
//! never panic across the boundary, and it must agree with the Rust scanner
//! and verifier: the frame's error, `no_code`, `several_codes`, or the
//! verification's code. The time budget is the largest, so on these small
//! frames only the scanner's fixed caps decide, on both sides alike.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use nocard::ffi::*;
use nocard::scan::Scanner;
use nocard_fuzz::fixture::VERIFY_AT;
use nocard_fuzz::{c_verifier, code_name};

fuzz_target!(|data: &[u8]| {
    let [w, h, pad, _, pixels @ ..] = data else { return };
    let (width, height) = (usize::from(*w), usize::from(*h));
    let stride = width + usize::from(*pad % 8);
    let out = nocard_verification_new();
    let budget = NOCARD_MAX_FRAME_TIME_BUDGET_MS;
    // SAFETY: live verifier and result object; `pixels` readable for its length.
    let result = unsafe {
        nocard_verifier_verify_frame(
            c_verifier().0,
            pixels.as_ptr(),
            pixels.len(),
            width,
            height,
            stride,
            budget,
            VERIFY_AT,
            out,
        )
    };
    let scanner = Scanner::default().with_time_budget(Some(Duration::from_millis(budget.into())));
    let expected = match scanner.scan_gray(pixels, width, height, stride) {
        Err(e) => e.code(),
        Ok(texts) => match texts.as_slice() {
            [] => "no_code",
            [text] => match nocard_fuzz::verifier().verify(text.as_bytes(), VERIFY_AT) {
                Ok(_) => "ok",
                Err(e) => e.code(),
            },
            _ => "several_codes",
        },
    };
    assert_eq!(code_name(result), expected, "C and Rust disagree");
    // The result object holds this frame's outcome, or none.
    // SAFETY: `out` is live.
    let held = unsafe { nocard_verification_result(out) };
    let verified = result == nocard_result::Ok || (100..200).contains(&(result as u32));
    assert_eq!(held, if verified { result } else { nocard_result::NotVerified });
    // SAFETY: `out` came from nocard_verification_new and is freed once.
    unsafe { nocard_verification_free(out) };
});
