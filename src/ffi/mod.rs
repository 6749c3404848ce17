//! The C API for scanner firmware: `include/nocard.h`, generated from this
//! module by cbindgen (`cbindgen.toml`).
//!
//! A thin shell over [`crate::verify`]: every function checks its pointers,
//! calls the Rust API and maps the error to a [`nocard_result`]. It decides
//! nothing of its own.
//!
//! Conventions, true of every function:
//! - Opaque handles are made by a `_new` or `_build` function and released
//!   by their `_free`; `_free(NULL)` does nothing. Each type's documentation
//!   says which thread may use it.
//! - A NULL where a pointer is required returns
//!   `NOCARD_RESULT_NULL_PARAMETER` and changes nothing, with two exceptions
//!   that keep a failed call from leaving stale state behind:
//!   `nocard_verifier_verify` and `nocard_verifier_verify_once` clear their
//!   result object first, whatever happens next, and `nocard_verifier_builder_build` consumes its builder
//!   on every call (and sets a non-NULL `*verifier_out` to NULL when it
//!   fails).
//! - Outputs are written only on success, with one exception: a text or
//!   bytes getter that returns `NOCARD_RESULT_BUFFER_TOO_SMALL` reports the
//!   length needed.
//! - A length is checked before anything it describes is read: over its
//!   limit (`NOCARD_MAX_TEXT_LEN`, `NOCARD_MAX_KEY_LEN`, `NOCARD_MAX_NAMES`,
//!   `NOCARD_MAX_STATE_LEN`)
//!   the call fails without reading, so `SIZE_MAX` from a `strlen(s) - 1` on
//!   an empty string is refused, not followed. Output text is written only
//!   as far as the text and its NUL.
//! - Text goes out into the caller's buffer as UTF-8 with a NUL after it;
//!   `*out_len` gets its length without the NUL. A NULL buffer of length 0
//!   asks for the length only.
//! - Text comes in as NUL-terminated UTF-8 for names and as pointer plus
//!   length for key bytes and scanned codes.
//! - Saved state (a replay cache, a trust store, a status store) goes out as bytes into the caller's
//!   buffer, as text does but without a NUL, and comes back in as pointer
//!   plus length. nocard does no file I/O: the firmware stores the bytes
//!   itself and must replace the stored copy atomically (write a new file,
//!   flush it, rename it over the old one), so power loss leaves the old
//!   state or the new one, whole. A damaged state is refused with its
//!   `NOCARD_RESULT_STATE_*` code, never half-trusted.
//! - No panic crosses into C: each body runs inside a panic boundary. With
//!   `std` it returns `NOCARD_RESULT_PANIC` (or NULL, false, 0) instead;
//!   without (the no_std C library, `ffi-nostd/`, built `panic = "abort"`)
//!   a panic calls the handler set by `nocard_set_panic_handler`, then
//!   `abort()`.
//!
//! The same module makes both C libraries, with the same header: the std
//! one (`--features ffi,std`, a `staticlib` or `cdylib` of this crate) and
//! the no_std one (`ffi-nostd/`, a `staticlib` with a `#[panic_handler]` and
//! a `malloc`-backed global allocator). `nocard_features()` says which.
//!
//! A scanner with a camera and no decoder chip verifies straight from a
//! camera frame (gray, RGB, RGBA, BGRA, NV21, NV12 or a Y plane with a pixel
//! stride) with `nocard_verifier_verify_camera_frame`, or
//! `nocard_verifier_verify_frame` for gray (`frame.rs`), in the std library
//! built with the `scan` feature (`NOCARD_FEATURE_SCAN`; their declarations
//! are behind `#if defined(NOCARD_SCAN)` in the header).
//! After a presentation that discloses `photo_digest`, a scanner receives
//! the holder's portrait frame by frame with a `nocard_portrait_receiver`
//! (`portrait.rs`, SPEC.md §14), in both libraries.
//! Other firmware decodes the QR code itself and passes the text to
//! `nocard_verifier_verify`.
#![allow(non_camel_case_types)]

mod error;
#[cfg(feature = "scan")]
mod frame;
mod handle;
mod panic;
mod portrait;
mod receipt;
mod replay;
mod status;
mod text;
mod trust;
mod verification;
mod verifier;
mod version;

pub use error::{nocard_error_message, nocard_result, nocard_result_code_name};
#[cfg(feature = "scan")]
pub use frame::{nocard_frame_format, nocard_verifier_verify_camera_frame, nocard_verifier_verify_frame};
#[doc(hidden)]
pub use panic::call_panic_handler;
pub use panic::{nocard_panic_handler, nocard_set_panic_handler};
pub use portrait::{
    nocard_portrait_receiver, nocard_portrait_receiver_feed, nocard_portrait_receiver_free,
    nocard_portrait_receiver_new, nocard_portrait_receiver_portrait, nocard_portrait_receiver_progress,
    nocard_portrait_receiver_set_max_frames,
};
pub use receipt::{nocard_log_append_record, nocard_log_verify, nocard_receipt_issue, nocard_receipt_verify};
pub use replay::{
    nocard_replay_cache, nocard_replay_cache_admit, nocard_replay_cache_capacity, nocard_replay_cache_free,
    nocard_replay_cache_from_bytes, nocard_replay_cache_len, nocard_replay_cache_new, nocard_replay_cache_to_bytes,
};
pub use status::{
    nocard_status_store, nocard_status_store_check, nocard_status_store_free, nocard_status_store_from_bytes,
    nocard_status_store_new, nocard_status_store_to_bytes, nocard_status_store_update,
};
pub use trust::{
    nocard_trust_store, nocard_trust_store_free, nocard_trust_store_from_bytes, nocard_trust_store_new,
    nocard_trust_store_next_update, nocard_trust_store_sequence, nocard_trust_store_to_bytes,
    nocard_trust_store_update,
};
pub use verification::{
    nocard_verification, nocard_verification_challenge, nocard_verification_claim, nocard_verification_claim_count,
    nocard_verification_claim_name, nocard_verification_doc_title, nocard_verification_doc_type,
    nocard_verification_free, nocard_verification_is_valid, nocard_verification_issued_at, nocard_verification_issuer,
    nocard_verification_key_id, nocard_verification_malformed_detail, nocard_verification_message,
    nocard_verification_new, nocard_verification_presentation_id, nocard_verification_result,
    nocard_verification_validity, nocard_verification_window,
};
pub use verifier::{
    nocard_verifier, nocard_verifier_builder, nocard_verifier_builder_add_group_key,
    nocard_verifier_builder_add_issuer_key, nocard_verifier_builder_build, nocard_verifier_builder_free,
    nocard_verifier_builder_new, nocard_verifier_builder_require_sealed, nocard_verifier_builder_set_audience,
    nocard_verifier_builder_set_challenge, nocard_verifier_builder_set_clock_skew, nocard_verifier_builder_set_profile,
    nocard_verifier_builder_set_required_claims, nocard_verifier_builder_use_trust_store, nocard_verifier_free,
    nocard_verifier_verify, nocard_verifier_verify_once,
};
pub use version::{
    NOCARD_FEATURE_QR, NOCARD_FEATURE_SCAN, NOCARD_FEATURE_STD, NOCARD_FRAME_TIME_BUDGET_MS, NOCARD_MAX_FRAME_LEN,
    NOCARD_MAX_FRAME_TIME_BUDGET_MS, NOCARD_MAX_KEY_LEN, NOCARD_MAX_NAMES, NOCARD_MAX_STATE_LEN, NOCARD_MAX_TEXT_LEN,
    NOCARD_PRESENTATION_ID_LEN, nocard_features, nocard_version, nocard_version_number,
};

#[cfg(test)]
mod tests;
