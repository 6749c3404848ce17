//! `nocard_portrait_receiver`: the scanner's side of a portrait transfer
//! ([`crate::portrait::PortraitReceiver`], SPEC.md §14).

use super::error::{map_portrait_error, nocard_result};
use super::handle::{self, Handle, slice_from};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::text::write_bytes;
use super::verification::nocard_verification;
use super::version::NOCARD_MAX_TEXT_LEN;
use crate::portrait::{PortraitReceiver, Progress};

/// Receives the portrait that follows one valid presentation, frame by
/// frame (`NCP1:` texts, SPEC.md §14), and releases it only once its SHA-256
/// equals the presentation's signed `photo_digest`. Memory is bounded: a
/// portrait of at most 16 KiB, at most `K` + 32 symbols, at most the frame
/// limit fed (600 unless set).
///
/// Ownership: made by `nocard_portrait_receiver_new`, released by
/// `nocard_portrait_receiver_free`.
///
/// Thread safety: not thread-safe; one thread at a time (it may move between
/// threads).
pub struct nocard_portrait_receiver {
    _private: [u8; 0],
}

impl Handle for nocard_portrait_receiver {
    type Inner = PortraitReceiver;
}

/// Makes a receiver for the portrait of the valid presentation
/// `verification` holds and writes it to `*receiver_out`. The presentation
/// must disclose `photo_digest` (profiles `roadside_check`,
/// `government_window`, or the claim by name).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_VERIFIED` if
/// `verification` holds no valid presentation;
/// `NOCARD_RESULT_PORTRAIT_NOT_DISCLOSED`;
/// `NOCARD_RESULT_PORTRAIT_DIGEST_CLAIM_INVALID`;
/// `NOCARD_RESULT_NULL_PARAMETER`. `*receiver_out` is written only on success.
///
/// Ownership: reads `verification` during the call only (the receiver keeps
/// a copy of the digest and presentation id); the caller owns the receiver
/// and releases it with `nocard_portrait_receiver_free`.
///
/// Thread safety: not while another thread uses the same verification.
///
/// # Safety
/// `verification` is NULL or a live verification object; `receiver_out` is
/// NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_portrait_receiver_new(
    verification: *const nocard_verification,
    receiver_out: *mut *mut nocard_portrait_receiver,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { receiver_out.as_mut() });
        let verified = try_ok!(verification.verified());
        let receiver = try_ok!(PortraitReceiver::new(verified).map_err(|e| map_portrait_error(&e)));
        *out = handle::into_raw::<nocard_portrait_receiver>(receiver);
        nocard_result::Ok
    }
}

/// Releases a receiver and the portrait it holds. NULL is a no-op.
///
/// Ownership: takes `receiver`; it must not be used again.
///
/// Thread safety: not while another thread uses it.
///
/// # Safety
/// `receiver` is NULL or from `nocard_portrait_receiver_new`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_portrait_receiver_free(receiver: *mut nocard_portrait_receiver) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s.
        drop(unsafe { handle::take(receiver) });
    }
}

/// Gives up after `max` frames fed (1–100000; 600 unless set). Set it
/// before the first frame.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_PORTRAIT_FRAME_LIMIT_OUT_OF_RANGE`
/// (the limit is unchanged); `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `receiver` for the call.
///
/// Thread safety: not while another thread uses the same receiver.
///
/// # Safety
/// `receiver` is NULL or a live receiver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_portrait_receiver_set_max_frames(
    receiver: *mut nocard_portrait_receiver,
    max: u32,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live receiver, not used elsewhere during the call (contract).
        let receiver = try_some!(unsafe { handle::as_mut(receiver) });
        try_ok!(receiver.set_max_frames(max).map_err(|e| map_portrait_error(&e)));
        nocard_result::Ok
    }
}

/// Feeds one frame's text as the camera read it (`text`/`len`, no NUL
/// needed).
///
/// Returns `NOCARD_RESULT_OK` when the frame was taken (or the portrait was
/// already complete: read `nocard_portrait_receiver_progress`). A refused
/// frame changes nothing but the count of frames fed:
/// `NOCARD_RESULT_MALFORMED`, `NOCARD_RESULT_UNSUPPORTED_VERSION` (the
/// text), `NOCARD_RESULT_PORTRAIT_FRAME_MALFORMED`,
/// `NOCARD_RESULT_PORTRAIT_TOO_LARGE`,
/// `NOCARD_RESULT_PORTRAIT_OTHER_PRESENTATION` (frames of two presentations
/// mixed), `NOCARD_RESULT_PORTRAIT_HEADER_MISMATCH`. These end the transfer,
/// and every later call returns them again:
/// `NOCARD_RESULT_PORTRAIT_DIGEST_MISMATCH` (the portrait is not the signed
/// one: show nothing), `NOCARD_RESULT_PORTRAIT_FRAME_LIMIT`,
/// `NOCARD_RESULT_PORTRAIT_SYMBOL_LIMIT`. Also `NOCARD_RESULT_TOO_LONG` if
/// `len` is over `NOCARD_MAX_TEXT_LEN` (nothing is read, not counted);
/// `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: the text is read during the call only.
///
/// Thread safety: not while another thread uses the same receiver.
///
/// # Safety
/// `receiver` is NULL or a live receiver; `text` is NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_portrait_receiver_feed(
    receiver: *mut nocard_portrait_receiver,
    text: *const u8,
    len: usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live receiver, not used elsewhere during the call (contract).
        let receiver = try_some!(unsafe { handle::as_mut(receiver) });
        // SAFETY: NULL or `len` readable bytes (contract); the length is
        // checked before anything is read.
        let text = try_ok!(unsafe { slice_from(text, len, NOCARD_MAX_TEXT_LEN) }.map_err(nocard_result::from));
        try_ok!(receiver.feed(text).map_err(|e| map_portrait_error(&e)));
        nocard_result::Ok
    }
}

/// Writes the distinct symbols held to `*symbols_out` and the source
/// symbols needed (`K`, 0 before the first frame of this presentation) to
/// `*needed_out`, and whether the verified portrait is ready to `*complete_out`.
///
/// Returns `NOCARD_RESULT_OK`; the error that ended the transfer
/// (`NOCARD_RESULT_PORTRAIT_DIGEST_MISMATCH`,
/// `NOCARD_RESULT_PORTRAIT_FRAME_LIMIT`, `NOCARD_RESULT_PORTRAIT_SYMBOL_LIMIT`),
/// outputs unwritten; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `receiver` for the call.
///
/// Thread safety: not while another thread uses the same receiver.
///
/// # Safety
/// `receiver` is NULL or a live receiver; each output is NULL or valid for
/// writing its type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_portrait_receiver_progress(
    receiver: *const nocard_portrait_receiver,
    symbols_out: *mut u32,
    needed_out: *mut u32,
    complete_out: *mut bool,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let receiver = try_some!(unsafe { handle::as_ref(receiver) });
        // SAFETY: each NULL or valid for writing (contract).
        let symbols_out = try_some!(unsafe { symbols_out.as_mut() });
        // SAFETY: as above.
        let needed_out = try_some!(unsafe { needed_out.as_mut() });
        // SAFETY: as above.
        let complete_out = try_some!(unsafe { complete_out.as_mut() });
        let progress = try_ok!(receiver.progress().map_err(|e| map_portrait_error(&e)));
        (*symbols_out, *needed_out, *complete_out) = match progress {
            Progress::Waiting => (0, 0, false),
            Progress::Receiving { symbols, needed } => (symbols, needed, false),
            Progress::Complete => (0, 0, true),
        };
        nocard_result::Ok
    }
}

/// Copies the verified portrait (its SHA-256 is the presentation's signed
/// `photo_digest`) into `buf`, `*out_len` set to its length.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_PORTRAIT_INCOMPLETE` if it is
/// not complete (yet, or the transfer ended in an error);
/// `NOCARD_RESULT_BUFFER_TOO_SMALL` with `*out_len` set to the length needed
/// and `buf` untouched (`buf` = NULL with `len` = 0 asks for the length
/// only; at most 16384); `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same receiver.
///
/// # Safety
/// `receiver` is NULL or a live receiver; `buf` is NULL or valid for writing
/// `len` bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_portrait_receiver_portrait(
    receiver: *const nocard_portrait_receiver,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let receiver = try_some!(unsafe { handle::as_ref(receiver) });
        let portrait = try_ok!(receiver.portrait().ok_or(nocard_result::PortraitIncomplete));
        // SAFETY: the function's contract is `write_bytes`'s; `portrait` is ours.
        unsafe { write_bytes(portrait, buf, len, out_len) }
    }
}

#[cfg(test)]
#[path = "portrait_tests.rs"]
mod tests;
