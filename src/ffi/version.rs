//! What library this is: version and build features.

use core::ffi::c_char;

use super::panic::ffi_panic_boundary;

/// `nocard_features()` bit: built with `std` (always set: the C API needs it).
pub const NOCARD_FEATURE_STD: u32 = 1 << 0;
/// `nocard_features()` bit: built with QR rendering (`qr`), which the C API
/// does not use; firmware builds leave it out.
pub const NOCARD_FEATURE_QR: u32 = 1 << 1;

/// Longest scanned text a presentation can be, in bytes (the capacity of a
/// version 40-L QR code in alphanumeric mode): a line buffer of this size
/// plus a line ending and a NUL holds any valid code.
///
/// `nocard_verifier_verify` refuses a longer `text_len` as
/// `NOCARD_RESULT_MALFORMED` (detail "too_large") without reading the text.
pub const NOCARD_MAX_TEXT_LEN: usize = 4296;

/// Longest issuer key `nocard_verifier_builder_add_issuer_key` reads, in
/// bytes; a public COSE_Key is under 100, a secret key file under 200. A
/// longer `key_len` is refused with `NOCARD_RESULT_TOO_LONG` without reading.
pub const NOCARD_MAX_KEY_LEN: usize = 1024;

/// Most names a list argument (document types, required claims) may hold;
/// a larger count is refused with `NOCARD_RESULT_TOO_LONG` without reading.
pub const NOCARD_MAX_NAMES: usize = 256;

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

/// The optional features this library was built with, as `NOCARD_FEATURE_*`
/// bits. Bits are never reused; new features take new bits.
///
/// Ownership: a plain value.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_features() -> u32 {
    ffi_panic_boundary! {
        let mut bits = NOCARD_FEATURE_STD;
        if cfg!(feature = "qr") {
            bits |= NOCARD_FEATURE_QR;
        }
        bits
    }
}
