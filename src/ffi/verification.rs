//! `nocard_verification`: the outcome of one scan, reused from scan to scan,
//! and what C reads from it.

use core::ffi::c_char;
use core::fmt;

use super::error::{map_error, nocard_result};
use super::handle::{self, Handle, str_from};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::text::{OutText, claim_text};
use super::version::NOCARD_PRESENTATION_ID_LEN;
use crate::error::Error;
use crate::verify::Verified;

/// The outcome of the last `nocard_verifier_verify` into it: valid (with the
/// document type, issuer, validity, window, challenge and disclosed claims)
/// or rejected (with the reason). Fresh objects hold no outcome.
///
/// Ownership: made by `nocard_verification_new`, released by
/// `nocard_verification_free`. Reuse one for every scan: each verification
/// replaces the previous outcome. Texts read from it are copied into the
/// caller's buffers.
///
/// Thread safety: not thread-safe; one thread at a time (it may move between
/// threads). Give each scanning thread its own.
pub struct nocard_verification {
    _private: [u8; 0],
}

/// The Rust side of [`nocard_verification`].
#[derive(Default)]
pub(crate) struct Verification {
    /// `None` before the first verification, and while one is running.
    outcome: Option<Result<Verified, Error>>,
}

impl Handle for nocard_verification {
    type Inner = Verification;
}

impl Verification {
    /// Forgets the previous outcome, so a failed call never leaves it readable.
    pub(crate) fn clear(&mut self) {
        self.outcome = None;
    }

    /// Keeps `outcome` and returns its code.
    pub(crate) fn store(&mut self, outcome: Result<Verified, Error>) -> nocard_result {
        let code = outcome.as_ref().map_or_else(map_error, |_| nocard_result::Ok);
        self.outcome = Some(outcome);
        code
    }

    fn result(&self) -> nocard_result {
        match &self.outcome {
            None => nocard_result::NotVerified,
            Some(Ok(_)) => nocard_result::Ok,
            Some(Err(e)) => map_error(e),
        }
    }

    /// The valid presentation, or [`nocard_result::NotVerified`].
    pub(crate) fn verified(&self) -> Result<&Verified, nocard_result> {
        match &self.outcome {
            Some(Ok(seen)) => Ok(seen),
            _ => Err(nocard_result::NotVerified),
        }
    }
}

/// Makes an empty verification object. Returns NULL only if nocard panicked.
///
/// Ownership: the caller owns it and releases it with
/// `nocard_verification_free`.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_verification_new() -> *mut nocard_verification {
    ffi_panic_boundary! {
        handle::into_raw::<nocard_verification>(Verification::default())
    }
}

/// Releases a verification object. NULL is a no-op.
///
/// Ownership: takes `verification`; it must not be used again.
///
/// Thread safety: not while another thread uses it.
///
/// # Safety
/// `verification` is NULL or from `nocard_verification_new`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_free(verification: *mut nocard_verification) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s.
        drop(unsafe { handle::take(verification) });
    }
}

/// The outcome's result code: `NOCARD_RESULT_OK` if the last presentation
/// verified into it is valid, its rejection code (100–199) if not,
/// `NOCARD_RESULT_NOT_VERIFIED` if it holds no outcome,
/// `NOCARD_RESULT_NULL_PARAMETER` for NULL. The same code
/// `nocard_verifier_verify` returned.
///
/// Ownership: borrows `verification` for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or a live verification object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_result(verification: *const nocard_verification) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        verification.result()
    }
}

/// True if the last presentation verified into it is valid; false if it was
/// rejected, if there was none, or for NULL.
///
/// Ownership: borrows `verification` for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or a live verification object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_is_valid(verification: *const nocard_verification) -> bool {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        verification.verified().is_ok()
    }
}

/// Writes the outcome for people: "valid", or the rejection with its
/// context, e.g. "presentation window ended at 1795420830 (now 1795420900)".
/// Text protocol as in `nocard_error_message`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with
/// `*out_len` set to the length needed); `NOCARD_RESULT_NOT_VERIFIED` if it
/// holds no outcome; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_message(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: the function's contract is `OutText::new`'s.
        let out = try_ok!(unsafe { OutText::new(buf, len, out_len) });
        match &verification.outcome {
            None => nocard_result::NotVerified,
            Some(Ok(_)) => out.write(|w| w.write_str("valid")),
            Some(Err(e)) => out.write(|w| write!(w, "{e}")),
        }
    }
}

/// For a `NOCARD_RESULT_MALFORMED` rejection, writes what is malformed as
/// its stable detail code, e.g. "missing_prefix", "base45_character",
/// "truncated" (the `detail` of the CLI's JSON; the message adds the offset).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_FOUND` if the outcome is
/// not a malformed rejection; `NOCARD_RESULT_NOT_VERIFIED` if it holds no
/// outcome; `NOCARD_RESULT_BUFFER_TOO_SMALL`; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// As `nocard_verification_message`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_malformed_detail(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: the function's contract is `OutText::new`'s.
        let out = try_ok!(unsafe { OutText::new(buf, len, out_len) });
        match &verification.outcome {
            None => nocard_result::NotVerified,
            Some(Err(Error::Malformed(m))) => out.write(|w| w.write_str(m.kind.code())),
            Some(_) => nocard_result::NotFound,
        }
    }
}

/// Copies one text field of a valid presentation (the body of the text getters below).
///
/// # Safety
/// `verification` is NULL or live and not mutated during the call; `buf`,
/// `len` and `out_len` as [`OutText::new`] requires.
unsafe fn text_field(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
    render: impl Fn(&Verified, &mut dyn fmt::Write) -> fmt::Result,
) -> nocard_result {
    // SAFETY: NULL or live, not mutated during the call (contract).
    let verification = try_some!(unsafe { handle::as_ref(verification) });
    // SAFETY: this function's contract is `OutText::new`'s.
    let out = try_ok!(unsafe { OutText::new(buf, len, out_len) });
    let seen = try_ok!(verification.verified());
    out.write(|w| render(seen, w))
}

/// Writes the document type's stable name, e.g. "resident_id_card".
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with
/// `*out_len` set to the length needed, the buffer untouched);
/// `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is valid;
/// `NOCARD_RESULT_NULL_PARAMETER`. Text protocol as in `nocard_error_message`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_doc_type(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `text_field`'s.
        unsafe { text_field(verification, buf, len, out_len, |seen, w| w.write_str(&seen.doc_type)) }
    }
}

/// Writes the document type's title, English and Chinese, e.g.
/// "Resident identity card 居民身份证".
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with
/// `*out_len` set to the length needed, the buffer untouched);
/// `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is valid;
/// `NOCARD_RESULT_NULL_PARAMETER`. Text protocol as in `nocard_error_message`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_doc_title(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `text_field`'s.
        unsafe { text_field(verification, buf, len, out_len, |seen, w| w.write_str(&seen.doc_title)) }
    }
}

/// Writes the issuer's name (the credential's `iss`), e.g. "NBPSB".
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with
/// `*out_len` set to the length needed, the buffer untouched);
/// `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is valid;
/// `NOCARD_RESULT_NULL_PARAMETER`. Text protocol as in `nocard_error_message`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_issuer(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `text_field`'s.
        unsafe { text_field(verification, buf, len, out_len, |seen, w| w.write_str(&seen.issuer)) }
    }
}

/// Writes the id of the issuer key that signed the credential: 16
/// lowercase hex digits (the first 8 bytes of its RFC 9679 thumbprint).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with
/// `*out_len` set to the length needed, the buffer untouched);
/// `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is valid;
/// `NOCARD_RESULT_NULL_PARAMETER`. Text protocol as in `nocard_error_message`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_key_id(
    verification: *const nocard_verification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `text_field`'s.
        unsafe { text_field(verification, buf, len, out_len, |seen, w| write!(w, "{}", seen.key_id)) }
    }
}

/// Writes the credential's validity, Unix seconds: `*not_before` (`nbf`) and
/// `*expires` (`exp`).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_VERIFIED` unless the
/// outcome is valid; `NOCARD_RESULT_NULL_PARAMETER` if any pointer is NULL.
/// Nothing is written unless OK.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `not_before` and `expires` are NULL or
/// valid for writing a `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_validity(
    verification: *const nocard_verification,
    not_before: *mut u64,
    expires: *mut u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or writable (contract).
        let not_before = try_some!(unsafe { not_before.as_mut() });
        // SAFETY: NULL or writable (contract).
        let expires = try_some!(unsafe { expires.as_mut() });
        let seen = try_ok!(verification.verified());
        *not_before = seen.not_before;
        *expires = seen.expires;
        nocard_result::Ok
    }
}

/// Writes the presentation window, Unix seconds: `*start` and `*end` (the
/// first second after it; the code on the phone changes then).
///
/// Returns and writes as `nocard_verification_validity`.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `start` and `end` are NULL or valid for
/// writing a `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_window(
    verification: *const nocard_verification,
    start: *mut u64,
    end: *mut u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or writable (contract).
        let start = try_some!(unsafe { start.as_mut() });
        // SAFETY: NULL or writable (contract).
        let end = try_some!(unsafe { end.as_mut() });
        let seen = try_ok!(verification.verified());
        *start = seen.window.start();
        *end = seen.window.end();
        nocard_result::Ok
    }
}

/// Writes the challenge the presentation carries.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_FOUND` if it carries none;
/// `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is valid;
/// `NOCARD_RESULT_NULL_PARAMETER`. Nothing is written unless OK.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `challenge` is NULL or valid for writing
/// a `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_challenge(
    verification: *const nocard_verification,
    challenge: *mut u32,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or writable (contract).
        let out = try_some!(unsafe { challenge.as_mut() });
        let seen = try_ok!(verification.verified());
        *out = try_ok!(seen.challenge.ok_or(nocard_result::NotFound));
        nocard_result::Ok
    }
}

/// Writes the presentation id: `NOCARD_PRESENTATION_ID_LEN` (32) bytes, the
/// SHA-256 of what the holder's device signed. The same code scanned twice
/// gives the same id, two codes never do: keep recent ids to refuse a code
/// shown a second time (a photo passed on within its window).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_VERIFIED` unless the
/// outcome is valid; `NOCARD_RESULT_NULL_PARAMETER`. Nothing is written
/// unless OK.
///
/// Ownership: copies into the caller's 32 bytes.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `id` is NULL or valid for writing 32 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_presentation_id(
    verification: *const nocard_verification,
    id: *mut u8,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        if id.is_null() {
            return nocard_result::NullParameter;
        }
        // The type says the id is exactly as long as the header promises.
        let bytes: &[u8; NOCARD_PRESENTATION_ID_LEN] = &try_ok!(verification.verified()).presentation_id;
        // SAFETY: not NULL, so valid for writing 32 bytes (contract), which
        // cannot overlap the Rust-owned id.
        unsafe { id.copy_from_nonoverlapping(bytes.as_ptr(), bytes.len()) };
        nocard_result::Ok
    }
}

/// Writes when the credential was issued (`iat`), Unix seconds.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_FOUND` if the credential
/// carries no issue time; `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is
/// valid; `NOCARD_RESULT_NULL_PARAMETER`. Nothing is written unless OK.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `issued_at` is NULL or valid for writing
/// a `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_issued_at(
    verification: *const nocard_verification,
    issued_at: *mut u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or writable (contract).
        let out = try_some!(unsafe { issued_at.as_mut() });
        let seen = try_ok!(verification.verified());
        *out = try_ok!(seen.issued_at.ok_or(nocard_result::NotFound));
        nocard_result::Ok
    }
}

/// Writes how many claims the presentation disclosed (plain ones first, each
/// group in wire-code order).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_VERIFIED` unless the
/// outcome is valid; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows everything for the call.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `count` is NULL or valid for writing a
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_claim_count(
    verification: *const nocard_verification,
    count: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: NULL or writable (contract).
        let count = try_some!(unsafe { count.as_mut() });
        *count = try_ok!(verification.verified()).claims.len();
        nocard_result::Ok
    }
}

/// Writes the name of disclosed claim number `index` (from 0 up to the
/// count), e.g. "name", "birth_date".
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_FOUND` if `index` is not
/// below the count; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with `*out_len` set to
/// the length needed); `NOCARD_RESULT_NOT_VERIFIED` unless the outcome is
/// valid; `NOCARD_RESULT_NULL_PARAMETER`. Text protocol as in
/// `nocard_error_message`.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_claim_name(
    verification: *const nocard_verification,
    index: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: the function's contract is `OutText::new`'s.
        let out = try_ok!(unsafe { OutText::new(buf, len, out_len) });
        let seen = try_ok!(verification.verified());
        let claim = try_ok!(seen.claims.get(index).ok_or(nocard_result::NotFound));
        out.write(|w| w.write_str(&claim.name))
    }
}

/// Writes the value of the disclosed claim `name` as UTF-8 text: text as it
/// is; a date as `YYYY-MM-DD`; an integer in decimal; a bool as `true` or
/// `false`; bytes as lowercase hex; records (household members, kinship
/// relations) as compact JSON, an array of objects keyed by field name,
/// e.g. `[{"relation":"户主","name":"王小明","birth_date":"1990-05-17"}]`.
/// A text value may contain a NUL: `*out_len` is its true length.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NOT_FOUND` if no claim of that
/// name was disclosed; `NOCARD_RESULT_BUFFER_TOO_SMALL` (with `*out_len` set
/// to the length needed, the buffer untouched); `NOCARD_RESULT_NOT_VERIFIED`
/// unless the outcome is valid; `NOCARD_RESULT_NULL_PARAMETER`;
/// `NOCARD_RESULT_INVALID_UTF8` for a name that is not UTF-8.
///
/// Ownership: `name` is read during the call, before anything is written,
/// so it may be in `buf` itself; the value is copied into the caller's
/// buffer.
///
/// Thread safety: not while another thread uses the same object.
///
/// # Safety
/// `verification` is NULL or live; `name` is NULL or NUL-terminated; `buf`
/// is NULL or valid for writing `len` bytes; `out_len` is NULL or valid for
/// writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verification_claim(
    verification: *const nocard_verification,
    name: *const c_char,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        // SAFETY: the function's contract is `OutText::new`'s; only the
        // pointers are checked, nothing is borrowed yet.
        let out = try_ok!(unsafe { OutText::new(buf, len, out_len) });
        // `name` may be in `buf` (a program reusing one buffer): the lookup
        // is finished with it, and the claim found borrows only
        // `verification`, before `out.write` borrows the buffer mutably.
        let claim = {
            // SAFETY: NULL or NUL-terminated (contract); read only in this block.
            let name = try_ok!(unsafe { str_from(name) });
            let seen = try_ok!(verification.verified());
            try_ok!(seen.claim(name).ok_or(nocard_result::NotFound))
        };
        out.write(|w| claim_text(&claim.value, w))
    }
}
