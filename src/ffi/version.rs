//! What library this is: version and build features.

use core::ffi::c_char;

use super::panic::ffi_panic_boundary;

/// `nocard_features()` bit: the std C library (`--features ffi,std`): a
/// panic is caught and returned as `NOCARD_RESULT_PANIC`. Clear in the
/// no_std C library (`ffi-nostd/`): it allocates through C `malloc`/`free`,
/// and a panic calls the `nocard_set_panic_handler` handler, then `abort()`.
pub const NOCARD_FEATURE_STD: u32 = 1 << 0;
/// `nocard_features()` bit: built with QR rendering (`qr`), which the C API
/// does not use; firmware builds leave it out.
pub const NOCARD_FEATURE_QR: u32 = 1 << 1;
/// `nocard_features()` bit: built with camera-frame reading (`scan`):
/// `nocard_verifier_verify_camera_frame` and `nocard_verifier_verify_frame`
/// are in the library (std only).
pub const NOCARD_FEATURE_SCAN: u32 = 1 << 2;

/// Longest scanned text a presentation can be, in bytes (the capacity of a
/// version 40-L QR code in alphanumeric mode): a line buffer of this size
/// plus a line ending and a NUL holds any valid code.
///
/// `nocard_verifier_verify` refuses a longer `text_len` as
/// `NOCARD_RESULT_MALFORMED` (detail "too_large") without reading the text.
pub const NOCARD_MAX_TEXT_LEN: usize = 4296;

/// Longest frame buffer `nocard_verifier_verify_camera_frame` reads, in
/// bytes (8192 × 8192 × 4, the largest RGBA or BGRA frame); a longer
/// `pixels_len` is refused with `NOCARD_RESULT_TOO_LONG` without reading.
pub const NOCARD_MAX_FRAME_LEN: usize = 8192 * 8192 * 4;

/// The frame time budget a desk scanner passes to
/// `nocard_verifier_verify_camera_frame`, in milliseconds: the scanning module's
/// default, which keeps the worst hostile frame near 100 ms at 1280 × 720.
pub const NOCARD_FRAME_TIME_BUDGET_MS: u32 = 80;

/// The largest time budget `nocard_verifier_verify_camera_frame` takes, in
/// milliseconds; more is `NOCARD_RESULT_OUT_OF_RANGE`.
pub const NOCARD_MAX_FRAME_TIME_BUDGET_MS: u32 = 10_000;

/// Longest issuer key `nocard_verifier_builder_add_issuer_key` reads, in
/// bytes; a public COSE_Key is under 100, a secret key file under 200. A
/// longer `key_len` is refused with `NOCARD_RESULT_TOO_LONG` without reading.
pub const NOCARD_MAX_KEY_LEN: usize = 1024;

/// Most names a list argument (document types, required claims) may hold;
/// a larger count is refused with `NOCARD_RESULT_TOO_LONG` without reading.
pub const NOCARD_MAX_NAMES: usize = 256;

/// Longest saved state (`nocard_replay_cache_from_bytes`,
/// `nocard_trust_store_from_bytes`) or signed trust list
/// (`nocard_trust_store_update`) read, in bytes: a full replay cache of
/// 1048576 entries is about 48 MiB. A longer length is refused with
/// `NOCARD_RESULT_TOO_LONG` without reading.
pub const NOCARD_MAX_STATE_LEN: usize = 64 << 20;

/// Length of the presentation id `nocard_verification_presentation_id`
/// writes, in bytes (a SHA-256).
pub const NOCARD_PRESENTATION_ID_LEN: usize = 32;

/// The library's version as "nocard/MAJOR.MINOR.PATCH", e.g. "nocard/0.2.0".
/// Compare with the `NOCARD_VERSION_*` macros to detect a header that does
/// not match the library.
///
/// Ownership: the string is static; do not free it.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_version() -> *const c_char {
    ffi_panic_boundary! {
        concat!("nocard/", env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    }
}

/// The library's version as one number, `NOCARD_VERSION_NUMBER` of its
/// header: major, minor and patch 8 bits each from bit 24 down, the low 8
/// bits 0 (left for pre-releases); 0.2.0 is 0x00020000. A program compares
/// it with the macro to detect a header that does not match the library.
///
/// Ownership: a plain value.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_version_number() -> u32 {
    ffi_panic_boundary! {
        VERSION_NUMBER
    }
}

const VERSION_NUMBER: u32 = (parse_u8(env!("CARGO_PKG_VERSION_MAJOR")) << 24)
    | (parse_u8(env!("CARGO_PKG_VERSION_MINOR")) << 16)
    | (parse_u8(env!("CARGO_PKG_VERSION_PATCH")) << 8);

/// A version part at compile time; over 255 fails the build.
const fn parse_u8(digits: &str) -> u32 {
    let bytes = digits.as_bytes();
    let mut value = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i].is_ascii_digit(), "version part is not a number");
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    assert!(value <= 255, "version part over 255");
    value
}

/// The optional features this library was built with, as `NOCARD_FEATURE_*`
/// bits. Bits are never reused; new features take new bits.
///
/// Ownership: a plain value.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_features() -> u32 {
    ffi_panic_boundary! {
        let mut bits = 0;
        if cfg!(feature = "std") {
            bits |= NOCARD_FEATURE_STD;
        }
        if cfg!(feature = "qr") {
            bits |= NOCARD_FEATURE_QR;
        }
        if cfg!(feature = "scan") {
            bits |= NOCARD_FEATURE_SCAN;
        }
        bits
    }
}
