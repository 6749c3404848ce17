//! Receipts and the visitor log for desk and gate firmware (SPEC.md §15):
//! sign a receipt for a verified code, check one, and keep a visitor log
//! whose bytes the firmware stores itself (nocard does no file I/O in C).

use core::ffi::c_char;

use super::error::{map_log_error, map_receipt_error, nocard_result};
use super::handle::{self, slice_from, str_from};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::text::write_bytes;
use super::verification::nocard_verification;
use super::version::{NOCARD_MAX_KEY_LEN, NOCARD_MAX_STATE_LEN};
use crate::document::{Profile, Registry};
use crate::keys::{PublicKey, SecretKey};
use crate::receipt::{Minimise, Receipt, from_text_or_bytes};
use crate::visitor_log::{entry_record, verify};

/// Signs a receipt (SPEC.md §15.1) for the valid presentation `verification`
/// holds, with the desk's secret COSE_Key (`desk_key`/`desk_key_len`),
/// naming the desk `unit` (1-64 bytes of UTF-8), the scene's `profile` (a
/// profile name, or NULL for none), at the desk's clock `now`; with
/// `digests` false the receipt keeps the disclosed values, with true only
/// their digests. The receipt's bytes go into `buf`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` with
/// `*out_len` set to the length needed and `buf` untouched (`buf` = NULL
/// with `len` = 0 asks for the length only); `NOCARD_RESULT_NOT_VERIFIED`;
/// `NOCARD_RESULT_INVALID_KEY`; `NOCARD_RESULT_UNKNOWN_PROFILE`;
/// `NOCARD_RESULT_USAGE` for a unit of 0 or more than 64 bytes;
/// `NOCARD_RESULT_INVALID_UTF8`; `NOCARD_RESULT_TOO_LONG` for a key over
/// `NOCARD_MAX_KEY_LEN`; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows everything for the call; the secret key is read and
/// its copy zeroed before the call returns.
///
/// Thread safety: not while another thread uses the same verification.
///
/// # Safety
/// `verification` is NULL or live; `desk_key` is NULL or readable for
/// `desk_key_len` bytes; `unit` and `profile` are NULL or NUL-terminated;
/// `buf` is NULL or writable for `len` bytes; `out_len` is NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a C signature: each output and input its own argument
pub unsafe extern "C" fn nocard_receipt_issue(
    verification: *const nocard_verification,
    desk_key: *const u8,
    desk_key_len: usize,
    unit: *const c_char,
    profile: *const c_char,
    digests: bool,
    now: u64,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or readable for its length (contract).
        let key = try_ok!(unsafe { slice_from(desk_key, desk_key_len, NOCARD_MAX_KEY_LEN) }.map_err(nocard_result::from));
        // SAFETY: NULL or NUL-terminated (contract).
        let unit = try_ok!(unsafe { str_from(unit) });
        let profile = if profile.is_null() {
            None
        } else {
            // SAFETY: non-NULL, so NUL-terminated (contract).
            let name = try_ok!(unsafe { str_from(profile) });
            Some(try_ok!(name.parse::<Profile>().map_err(|_| nocard_result::UnknownProfile)))
        };
        let verified = try_ok!(verification.verified());
        let desk = try_ok!(SecretKey::from_cose_key(key).map_err(|_| nocard_result::InvalidKey));
        let minimise = if digests { Minimise::Digests } else { Minimise::Values };
        let signed = try_ok!(
            Receipt::issue(verified, &Registry::builtin(), &desk, unit, now, profile, minimise)
                .map_err(|e| map_receipt_error(&e))
        );
        // SAFETY: the function's contract is `write_bytes`'s; `signed` is ours.
        unsafe { write_bytes(&signed.bytes, buf, len, out_len) }
    }
}

/// Checks a receipt (`receipt`/`receipt_len`) against one trusted desk
/// public COSE_Key (SPEC.md §15.2). `receipt` is the receipt's bytes or
/// its `NCR1:` text (SPEC.md §15.1), as a scanner reads it off a printed
/// copy's QR code; a trailing CR or LF is ignored.
///
/// Returns `NOCARD_RESULT_OK` if it verifies; `NOCARD_RESULT_NOT_A_RECEIPT`
/// (a presentation, credential or status list), `NOCARD_RESULT_RECEIPT_UNKNOWN_DESK_KEY`,
/// `NOCARD_RESULT_RECEIPT_BAD_SIGNATURE`, `NOCARD_RESULT_MALFORMED` (also
/// a text that is not base45), `NOCARD_RESULT_UNSUPPORTED_VERSION` (a
/// receipt text of another version, `NCR2:`),
/// `NOCARD_RESULT_UNKNOWN_DOC_TYPE`; `NOCARD_RESULT_INVALID_KEY`;
/// `NOCARD_RESULT_TOO_LONG`; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `receipt` and `desk_key` are NULL or readable for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_receipt_verify(
    receipt: *const u8,
    receipt_len: usize,
    desk_key: *const u8,
    desk_key_len: usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or readable for their lengths (contract).
        let receipt = try_ok!(unsafe { slice_from(receipt, receipt_len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        let keys = try_ok!(unsafe { desk_keys(desk_key, desk_key_len) });
        let receipt = try_ok!(from_text_or_bytes(receipt).map_err(|e| map_receipt_error(&e)));
        try_ok!(Receipt::verify(&receipt, &keys, &Registry::builtin()).map_err(|e| map_receipt_error(&e)));
        nocard_result::Ok
    }
}

/// Checks a visitor log (`log`/`log_len`, the file's bytes) against one
/// trusted desk public COSE_Key (SPEC.md §15.6). `known_head` is NULL, or a
/// seq the firmware knows the log reached (`NOCARD_RESULT_LOG_TRUNCATED`
/// if it ends before). On success `*entries_out` gets the number of
/// receipts and `*valid_len_out` the bytes before a torn last record (all
/// of `log_len` if none): the firmware truncates its file there.
///
/// Returns `NOCARD_RESULT_OK`; a `NOCARD_RESULT_LOG_*` code (edited,
/// deleted, reordered, purge unsigned, ...); a receipt's code for a
/// receipt in the log that is refused; `NOCARD_RESULT_INVALID_KEY`;
/// `NOCARD_RESULT_TOO_LONG` for a log over `NOCARD_MAX_STATE_LEN`;
/// `NOCARD_RESULT_NULL_PARAMETER`. Outputs are written only on success.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `log` and `desk_key` are NULL or readable for their lengths;
/// `known_head` is NULL or readable; `entries_out` and `valid_len_out` are
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_log_verify(
    log: *const u8,
    log_len: usize,
    desk_key: *const u8,
    desk_key_len: usize,
    known_head: *const u64,
    entries_out: *mut usize,
    valid_len_out: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or readable for its length (contract).
        let log = try_ok!(unsafe { slice_from(log, log_len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        let keys = try_ok!(unsafe { desk_keys(desk_key, desk_key_len) });
        // SAFETY: NULL or readable (contract).
        let known_head = unsafe { known_head.as_ref() }.copied();
        // SAFETY: NULL or writable (contract).
        let entries_out = try_some!(unsafe { entries_out.as_mut() });
        // SAFETY: NULL or writable (contract).
        let valid_len_out = try_some!(unsafe { valid_len_out.as_mut() });
        let report = try_ok!(verify(log, &keys, &Registry::builtin(), known_head).map_err(|e| map_log_error(&e)));
        *entries_out = report.entries.len();
        *valid_len_out = report.valid_len;
        nocard_result::Ok
    }
}

/// The record that appends `receipt` to the visitor log `log`, at the
/// desk's clock `now` (SPEC.md §15.5): the log is verified first against
/// the desk public COSE_Key, and so is the receipt. The record goes into
/// `buf`; `*append_at_out` gets the offset to write it at (the log's
/// length, or less when a torn last record must be cut off). The firmware
/// truncates its file to that offset, appends the record in one write and
/// flushes the file (`fsync`) before it reports the visitor let in.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` with
/// `*out_len` set (`*append_at_out` untouched); the log's or receipt's
/// refusal code, as `nocard_log_verify` and `nocard_receipt_verify`;
/// `NOCARD_RESULT_INVALID_KEY`; `NOCARD_RESULT_TOO_LONG`;
/// `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: safe from any thread; the firmware serialises appends to one file.
///
/// # Safety
/// `log`, `receipt` and `desk_key` are NULL or readable for their lengths;
/// `buf` is NULL or writable for `len` bytes; `out_len` and `append_at_out`
/// are NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a C signature: each output and input its own argument
pub unsafe extern "C" fn nocard_log_append_record(
    log: *const u8,
    log_len: usize,
    receipt: *const u8,
    receipt_len: usize,
    desk_key: *const u8,
    desk_key_len: usize,
    now: u64,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
    append_at_out: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or readable for their lengths (contract).
        let log = try_ok!(unsafe { slice_from(log, log_len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        // SAFETY: as above.
        let receipt = try_ok!(unsafe { slice_from(receipt, receipt_len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        let keys = try_ok!(unsafe { desk_keys(desk_key, desk_key_len) });
        // SAFETY: NULL or writable (contract).
        let append_at_out = try_some!(unsafe { append_at_out.as_mut() });
        let registry = Registry::builtin();
        try_ok!(Receipt::verify(receipt, &keys, &registry).map_err(|e| map_receipt_error(&e)));
        let report = try_ok!(verify(log, &keys, &registry, None).map_err(|e| map_log_error(&e)));
        let (record, _) = try_ok!(entry_record(report.head, now, receipt).map_err(|e| map_log_error(&e)));
        // SAFETY: the function's contract is `write_bytes`'s; `record` is ours.
        let written = unsafe { write_bytes(&record, buf, len, out_len) };
        if written == nocard_result::Ok {
            *append_at_out = report.valid_len;
        }
        written
    }
}

/// The one trusted desk public key.
///
/// # Safety
/// `key` is NULL or readable for `len` bytes.
unsafe fn desk_keys(key: *const u8, len: usize) -> Result<[PublicKey; 1], nocard_result> {
    // SAFETY: the function's contract.
    let bytes = unsafe { slice_from(key, len, NOCARD_MAX_KEY_LEN) }?;
    PublicKey::from_cose_key(bytes).map(|k| [k]).map_err(|_| nocard_result::InvalidKey)
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
mod tests;
