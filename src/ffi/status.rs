//! `nocard_status_store`: the issuers' status lists (revocation, SPEC.md
//! §11, [`crate::status_list::StatusStore`]), checked against a valid
//! verification, saved and restored as bytes the firmware stores itself.

use super::error::{map_status_error, nocard_result};
use super::handle::{self, Handle, slice_from};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::text::write_bytes;
use super::verification::nocard_verification;
use super::verifier::nocard_verifier;
use super::version::NOCARD_MAX_STATE_LEN;
use crate::status_list::{MissingList, StatusStore};

/// The newest verified status list per issuer and list id, each signed by an
/// issuer key the verifier it was made from trusts.
///
/// Ownership: made by `nocard_status_store_new` or
/// `nocard_status_store_from_bytes`, released by `nocard_status_store_free`.
/// It copies the verifier's issuer keys; the verifier may be freed first.
///
/// Thread safety: not thread-safe; one thread at a time (it may move between
/// threads).
pub struct nocard_status_store {
    _private: [u8; 0],
}

impl Handle for nocard_status_store {
    type Inner = StatusStore;
}

fn missing(accept_missing: bool) -> MissingList {
    if accept_missing { MissingList::AcceptAndFlag } else { MissingList::Refuse }
}

/// Makes an empty status store trusting status lists signed by `verifier`'s
/// issuer keys, each for its own issuer, and writes it to `*store_out`. With
/// `accept_missing` false (the default of `nocard verify --status`) a
/// credential naming a list the store does not hold is refused
/// (`NOCARD_RESULT_STATUS_LIST_MISSING`), so a revoked card does not pass
/// because a list failed to arrive; with true it passes.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NULL_PARAMETER`. `*store_out`
/// is written only on success.
///
/// Ownership: the keys are copied; the caller owns the store and releases it
/// with `nocard_status_store_free`.
///
/// Thread safety: `verifier` may be used by other threads meanwhile.
///
/// # Safety
/// `verifier` is NULL or a live verifier; `store_out` is NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_status_store_new(
    verifier: *const nocard_verifier,
    accept_missing: bool,
    store_out: *mut *mut nocard_status_store,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live verifier, only ever read (contract).
        let verifier = try_some!(unsafe { handle::as_ref(verifier) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { store_out.as_mut() });
        let store = StatusStore::new(verifier.keys().to_vec()).missing_list(missing(accept_missing));
        *out = handle::into_raw::<nocard_status_store>(store);
        nocard_result::Ok
    }
}

/// Releases a status store. NULL is a no-op.
///
/// Ownership: takes `store`; it must not be used again.
///
/// Thread safety: not while another thread uses it.
///
/// # Safety
/// `store` is NULL or from `nocard_status_store_new` or
/// `nocard_status_store_from_bytes`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_status_store_free(store: *mut nocard_status_store) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s.
        drop(unsafe { handle::take(store) });
    }
}

/// Offers a signed status list token (`token`/`len`, as `nocard status
/// build` writes it) at `now` (SPEC.md §11.2): taken as the list of its
/// issuer and list id if a trusted key of that issuer signed it, it has not
/// expired and it is newer than the one held; the same token again is no
/// change.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_STATUS_LIST_UNKNOWN_KEY`,
/// `NOCARD_RESULT_STATUS_LIST_BAD_SIGNATURE`,
/// `NOCARD_RESULT_STATUS_LIST_EXPIRED`, `NOCARD_RESULT_STATUS_LIST_ROLLBACK`,
/// `NOCARD_RESULT_STATUS_STORE_FULL`, `NOCARD_RESULT_MALFORMED`;
/// `NOCARD_RESULT_TOO_LONG` if `len` is over `NOCARD_MAX_STATE_LEN` (nothing
/// is read); `NOCARD_RESULT_NULL_PARAMETER`. On error the store is unchanged.
///
/// Ownership: the token is copied.
///
/// Thread safety: not while another thread uses the same store.
///
/// # Safety
/// `store` is NULL or a live store; `token` is NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_status_store_update(
    store: *mut nocard_status_store,
    token: *const u8,
    len: usize,
    now: u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live store, not used elsewhere during the call (contract).
        let store = try_some!(unsafe { handle::as_mut(store) });
        // SAFETY: NULL or `len` readable bytes (contract); the length is checked first.
        let token = try_ok!(unsafe { slice_from(token, len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        try_ok!(store.update(token, now).map_err(|e| map_status_error(&e)));
        nocard_result::Ok
    }
}

/// Checks the status of the credential behind a valid verification at `now`
/// (SPEC.md §11.3), as `nocard verify --status` does after the verifier: its
/// list must be held (unless the store accepts missing lists), not expired,
/// hold its index, and say valid there. A credential naming no list passes.
/// The verification object is not changed: the code returned is the
/// outcome. To keep a revoked code out of a replay cache, check it before
/// `nocard_replay_cache_admit`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CREDENTIAL_REVOKED`,
/// `NOCARD_RESULT_CREDENTIAL_SUSPENDED`,
/// `NOCARD_RESULT_CREDENTIAL_STATUS_UNKNOWN`,
/// `NOCARD_RESULT_STATUS_LIST_MISSING`,
/// `NOCARD_RESULT_STATUS_INDEX_OUT_OF_RANGE`,
/// `NOCARD_RESULT_STATUS_LIST_EXPIRED`; `NOCARD_RESULT_NOT_VERIFIED` if
/// `verification` holds no valid presentation; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows both for the call.
///
/// Thread safety: not while another thread uses the same store or verification.
///
/// # Safety
/// `store` is NULL or a live store; `verification` is NULL or a live
/// verification object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_status_store_check(
    store: *const nocard_status_store,
    verification: *const nocard_verification,
    now: u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let store = try_some!(unsafe { handle::as_ref(store) });
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        let verified = try_ok!(verification.verified());
        try_ok!(store.check(verified, now).map_err(|e| map_status_error(&e)));
        nocard_result::Ok
    }
}

/// Writes the store (the tokens it holds, a checksummed state, SPEC.md
/// §11.4) as bytes into `buf`, `*out_len` set to their length. Save them
/// after every change, replacing the saved copy atomically (write a new
/// file, flush it, rename it over the old one).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` with
/// `*out_len` set to the length needed and `buf` untouched (`buf` = NULL
/// with `len` = 0 asks for the length only); `NOCARD_RESULT_NULL_PARAMETER`
/// if `store` or `out_len` is NULL, or `buf` is NULL with `len` > 0.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same store.
///
/// # Safety
/// `store` is NULL or a live store; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_status_store_to_bytes(
    store: *const nocard_status_store,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let store = try_some!(unsafe { handle::as_ref(store) });
        let bytes = store.to_bytes();
        // SAFETY: the function's contract is `write_bytes`'s; `bytes` is ours.
        unsafe { write_bytes(&bytes, buf, len, out_len) }
    }
}

/// Restores a status store from the bytes `nocard_status_store_to_bytes`
/// wrote, trusting `verifier`'s issuer keys as `nocard_status_store_new`
/// does, and writes it to `*store_out`. Each token is verified again; an
/// expired one is kept (its credentials get
/// `NOCARD_RESULT_STATUS_LIST_EXPIRED`).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_STATE_TRUNCATED`,
/// `NOCARD_RESULT_STATE_WRONG_KIND`, `NOCARD_RESULT_STATE_VERSION`,
/// `NOCARD_RESULT_STATE_CHECKSUM`, `NOCARD_RESULT_STATE_INVALID` for a
/// damaged state; a token's own refusal (e.g.
/// `NOCARD_RESULT_STATUS_LIST_UNKNOWN_KEY` once its key is no longer
/// trusted); `NOCARD_RESULT_TOO_LONG` if `len` is over `NOCARD_MAX_STATE_LEN`
/// (nothing is read); `NOCARD_RESULT_NULL_PARAMETER`. `*store_out` is
/// written only on success.
///
/// Ownership: the bytes are read during the call only; the caller owns the
/// new store and releases it with `nocard_status_store_free`.
///
/// Thread safety: `verifier` may be used by other threads meanwhile.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `verifier` is NULL or a live
/// verifier; `store_out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_status_store_from_bytes(
    bytes: *const u8,
    len: usize,
    verifier: *const nocard_verifier,
    accept_missing: bool,
    store_out: *mut *mut nocard_status_store,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or `len` readable bytes (contract); the length is checked first.
        let bytes = try_ok!(unsafe { slice_from(bytes, len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        // SAFETY: NULL or a live verifier, only ever read (contract).
        let verifier = try_some!(unsafe { handle::as_ref(verifier) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { store_out.as_mut() });
        let store = try_ok!(StatusStore::from_bytes(bytes, verifier.keys().to_vec()).map_err(|e| map_status_error(&e)));
        *out = handle::into_raw::<nocard_status_store>(store.missing_list(missing(accept_missing)));
        nocard_result::Ok
    }
}
