//! `nocard_trust_store`: the provisioned root keys and the newest signed
//! trust list that verified under one of them ([`crate::trust_list::TrustStore`]),
//! saved and restored as bytes the firmware stores itself.

use alloc::vec::Vec;

use super::error::{map_error, map_state_error, map_trust_list_error, nocard_result};
use super::handle::{self, Handle, slice_from};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::text::write_bytes;
use super::version::{NOCARD_MAX_KEY_LEN, NOCARD_MAX_NAMES, NOCARD_MAX_STATE_LEN};
use crate::error::Error;
use crate::keys::PublicKey;
use crate::trust_list::TrustStore;

/// The root keys a scanner is provisioned with and the newest trust list
/// (SPEC.md §10) that verified under one of them. A list is taken only if a
/// current root signed it and it is newer than the one held, so an old list
/// cannot be replayed to bring back a removed issuer key.
///
/// Ownership: made by `nocard_trust_store_new` or
/// `nocard_trust_store_from_bytes`, released by `nocard_trust_store_free`.
/// A verifier built from it (`nocard_verifier_builder_use_trust_store`)
/// copies the list: it does not change when the store does.
///
/// Thread safety: not thread-safe; one thread at a time (it may move between
/// threads).
pub struct nocard_trust_store {
    _private: [u8; 0],
}

impl Handle for nocard_trust_store {
    type Inner = TrustStore;
}

/// Makes a trust store provisioned with root keys and holding no list yet:
/// `roots` points at `roots_len` public COSE_Keys (1–8, none twice), the
/// `i`th of `root_lens[i]` bytes (as `nocard keygen --public-out` writes
/// them). Writes it to `*store_out`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_TRUST_ROOTS` for no
/// root, more than 8, or one twice; `NOCARD_RESULT_INVALID_KEY` if one is not
/// a usable public key; `NOCARD_RESULT_TOO_LONG` if `roots_len` is over
/// `NOCARD_MAX_NAMES` or a length over `NOCARD_MAX_KEY_LEN` (nothing of it is
/// read); `NOCARD_RESULT_NULL_PARAMETER` (also for a NULL key). `*store_out`
/// is written only on success.
///
/// Ownership: the keys are copied; the caller owns the store and releases it
/// with `nocard_trust_store_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `roots` and `root_lens` are NULL or point at `roots_len` items, each key
/// pointer NULL or valid for its length; `store_out` is NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_trust_store_new(
    roots: *const *const u8,
    root_lens: *const usize,
    roots_len: usize,
    store_out: *mut *mut nocard_trust_store,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or `roots_len` items (contract); the count is checked first.
        let pointers = try_ok!(unsafe { slice_from(roots, roots_len, NOCARD_MAX_NAMES) }.map_err(nocard_result::from));
        // SAFETY: as above.
        let lens = try_ok!(unsafe { slice_from(root_lens, roots_len, NOCARD_MAX_NAMES) }.map_err(nocard_result::from));
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { store_out.as_mut() });
        let mut keys = Vec::with_capacity(pointers.len());
        for (&key, &len) in pointers.iter().zip(lens) {
            // SAFETY: NULL or `len` readable bytes (contract); the length is checked first.
            let key = try_ok!(unsafe { slice_from(key, len, NOCARD_MAX_KEY_LEN) }.map_err(nocard_result::from));
            keys.push(try_ok!(PublicKey::from_cose_key(key).map_err(|e| map_error(&Error::from(e)))));
        }
        let store = try_ok!(TrustStore::new(keys).map_err(|e| map_error(&e)));
        *out = handle::into_raw::<nocard_trust_store>(store);
        nocard_result::Ok
    }
}

/// Releases a trust store. NULL is a no-op.
///
/// Ownership: takes `store`; it must not be used again.
///
/// Thread safety: not while another thread uses it.
///
/// # Safety
/// `store` is NULL or from `nocard_trust_store_new` or
/// `nocard_trust_store_from_bytes`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_trust_store_free(store: *mut nocard_trust_store) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s.
        drop(unsafe { handle::take(store) });
    }
}

/// Offers a signed trust list (`list`/`len`, as `nocard trust sign` writes
/// it) to the store: taken if it verifies under a current root and is newer
/// than the list held; the store then moves to the list's next roots, if it
/// names any. The list held, offered again byte for byte, is no change and
/// returns `NOCARD_RESULT_OK`. Save the store (`nocard_trust_store_to_bytes`)
/// after a change, so a restart keeps the sequence an old list must beat.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_TRUST_LIST_ROLLBACK` for a list
/// not newer than the one held; `NOCARD_RESULT_TRUST_LIST_UNKNOWN_ROOT` for
/// one not signed by a current root; `NOCARD_RESULT_TRUST_LIST_BAD_SIGNATURE`
/// for an altered one; `NOCARD_RESULT_MALFORMED` for bytes that are not a
/// trust list (or over 64 KiB); `NOCARD_RESULT_TOO_LONG` if `len` is over
/// `NOCARD_MAX_STATE_LEN` (nothing is read); `NOCARD_RESULT_NULL_PARAMETER`.
/// On error the store is unchanged.
///
/// Ownership: the list is copied.
///
/// Thread safety: not while another thread uses the same store.
///
/// # Safety
/// `store` is NULL or a live store; `list` is NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_trust_store_update(
    store: *mut nocard_trust_store,
    list: *const u8,
    len: usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live store, not used elsewhere during the call (contract).
        let store = try_some!(unsafe { handle::as_mut(store) });
        // SAFETY: NULL or `len` readable bytes (contract); the length is checked first.
        let list = try_ok!(unsafe { slice_from(list, len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        try_ok!(store.update(list).map_err(|e| map_trust_list_error(&e)));
        nocard_result::Ok
    }
}

/// The sequence number of the list the store holds, into `*out`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_TRUST_LIST_MISSING` if it holds
/// none yet; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `store` for the call.
///
/// Thread safety: not while another thread uses the same store.
///
/// # Safety
/// `store` is NULL or a live store; `out` is NULL or valid for writing a `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_trust_store_sequence(store: *const nocard_trust_store, out: *mut u64) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let store = try_some!(unsafe { handle::as_ref(store) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { out.as_mut() });
        *out = try_ok!(store.current().ok_or(nocard_result::TrustListMissing)).sequence;
        nocard_result::Ok
    }
}

/// When the list the store holds becomes stale (its `next_update`, Unix
/// seconds), into `*out`: from then on a verifier built with
/// `refuse_stale` refuses every code (`NOCARD_RESULT_TRUST_LIST_STALE`), so
/// fetch a newer list before it.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_TRUST_LIST_MISSING` if it holds
/// none yet; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `store` for the call.
///
/// Thread safety: not while another thread uses the same store.
///
/// # Safety
/// `store` is NULL or a live store; `out` is NULL or valid for writing a `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_trust_store_next_update(
    store: *const nocard_trust_store,
    out: *mut u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let store = try_some!(unsafe { handle::as_ref(store) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { out.as_mut() });
        *out = try_ok!(store.current().ok_or(nocard_result::TrustListMissing)).next_update;
        nocard_result::Ok
    }
}

/// Writes the store (its current roots and the signed list it holds, a
/// checksummed state, SPEC.md §10.1) as bytes into `buf`, `*out_len` set to
/// their length. Save them after every change, replacing the saved copy
/// atomically (write a new file, flush it, rename it over the old one), so a
/// restarted scanner keeps the sequence number an old list must beat.
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
pub unsafe extern "C" fn nocard_trust_store_to_bytes(
    store: *const nocard_trust_store,
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

/// Restores a trust store from the bytes `nocard_trust_store_to_bytes`
/// wrote (`bytes`/`len`) and writes it to `*store_out`. A truncated, altered
/// or foreign state is refused, never half-trusted.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_STATE_TRUNCATED`,
/// `NOCARD_RESULT_STATE_WRONG_KIND` (e.g. a replay cache's bytes),
/// `NOCARD_RESULT_STATE_VERSION`, `NOCARD_RESULT_STATE_CHECKSUM`,
/// `NOCARD_RESULT_STATE_INVALID`; `NOCARD_RESULT_TOO_LONG` if `len` is over
/// `NOCARD_MAX_STATE_LEN` (nothing is read); `NOCARD_RESULT_NULL_PARAMETER`.
/// `*store_out` is written only on success.
///
/// Ownership: the bytes are read during the call only; the caller owns the
/// new store and releases it with `nocard_trust_store_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `store_out` is NULL or valid
/// for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_trust_store_from_bytes(
    bytes: *const u8,
    len: usize,
    store_out: *mut *mut nocard_trust_store,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or `len` readable bytes (contract); the length is checked first.
        let bytes = try_ok!(unsafe { slice_from(bytes, len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { store_out.as_mut() });
        let store = try_ok!(TrustStore::from_bytes(bytes).map_err(|e| map_state_error(&e)));
        *out = handle::into_raw::<nocard_trust_store>(store);
        nocard_result::Ok
    }
}
