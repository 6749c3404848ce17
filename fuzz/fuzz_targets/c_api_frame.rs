//! The C API's camera-frame call, `nocard_verifier_verify_camera_frame`, on
//! a raw frame laid out as the scanner's input: width, height, row padding,
//! a format byte, then the pixels, possibly too few. The format byte plus
//! one, modulo 9, is the C `format` value, so 0 is gray (the `scan_gray`
//! seeds' layout) and 7 and 8 give the values 8 and 0 that name no format;
//! the format byte divided by 9 (0-28) is the pixel stride, read for the Y
//! plane only. It must never panic across the boundary, and it must agree
//! with the Rust scanner's method for that format and the verifier: the
//! frame's error, `unknown_frame_format`, `no_code`, `several_codes`, or the
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
    let [w, h, pad, format_byte, pixels @ ..] = data else { return };
    let (width, height) = (usize::from(*w), usize::from(*h));
    let format = u32::from(format_byte.wrapping_add(1) % 9);
    let pixel_stride = usize::from(format_byte / 9);
    // Bytes a pixel takes in a row, per `nocard_frame_format` value.
    let pixel_bytes = match format {
        2 => 3,
        3 | 4 => 4,
        7 => pixel_stride,
        _ => 1,
    };
    let row_stride = width * pixel_bytes + usize::from(*pad % 8);
    let out = nocard_verification_new();
    let budget = NOCARD_MAX_FRAME_TIME_BUDGET_MS;
    // SAFETY: live verifier and result object; `pixels` readable for its length.
    let result = unsafe {
        nocard_verifier_verify_camera_frame(
            c_verifier().0,
            format,
            pixels.as_ptr(),
            pixels.len(),
            width,
            height,
            row_stride,
            pixel_stride,
            budget,
            VERIFY_AT,
            out,
        )
    };
    let scanner = Scanner::default().with_time_budget(Some(Duration::from_millis(budget.into())));
    let scanned = match format {
        1 => Some(scanner.scan_gray(pixels, width, height, row_stride)),
        2 => Some(scanner.scan_rgb(pixels, width, height, row_stride)),
        3 => Some(scanner.scan_rgba(pixels, width, height, row_stride)),
        4 => Some(scanner.scan_bgra(pixels, width, height, row_stride)),
        5 => Some(scanner.scan_nv21(pixels, width, height, row_stride)),
        6 => Some(scanner.scan_nv12(pixels, width, height, row_stride)),
        7 => Some(scanner.scan_y_plane(pixels, width, height, row_stride, pixel_stride)),
        _ => None,
    };
    let expected = match scanned {
        None => "unknown_frame_format",
        Some(Err(e)) => e.code(),
        Some(Ok(texts)) => match texts.as_slice() {
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
