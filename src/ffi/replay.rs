//! `nocard_replay_cache`: the presentations a desk has already accepted
//! ([`crate::replay::ReplayCache`]), saved and restored as bytes the
//! firmware stores itself.

use super::error::{map_error, map_state_error, nocard_result};
use super::handle::{self, Handle, slice_from};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::text::write_bytes;
use super::verification::nocard_verification;
use super::version::NOCARD_MAX_STATE_LEN;
use crate::replay::ReplayCache;

/// The presentations accepted so far whose windows have not passed, so that
/// `nocard_verifier_verify_once` refuses a screenshot shown a second time
/// (`NOCARD_RESULT_REPLAYED`). Memory is bounded by its capacity (about 100
/// bytes an entry); a full cache refuses new presentations
/// (`NOCARD_RESULT_REPLAY_CACHE_FULL`) until old windows pass, rather than
/// forget one.
///
/// Ownership: made by `nocard_replay_cache_new` or
/// `nocard_replay_cache_from_bytes`, released by `nocard_replay_cache_free`.
///
/// Thread safety: not thread-safe; one thread at a time (it may move between
/// threads). A desk with several scanning threads guards it with a mutex.
pub struct nocard_replay_cache {
    _private: [u8; 0],
}

impl Handle for nocard_replay_cache {
    type Inner = ReplayCache;
}

/// Makes an empty replay cache for at most `capacity` live presentations
/// (1–1048576) and writes it to `*cache_out`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_REPLAY_CAPACITY` for 0
/// or above 1048576; `NOCARD_RESULT_NULL_PARAMETER` if `cache_out` is NULL.
/// `*cache_out` is written only on success.
///
/// Ownership: the caller owns the cache and releases it with
/// `nocard_replay_cache_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `cache_out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_new(
    capacity: usize,
    cache_out: *mut *mut nocard_replay_cache,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { cache_out.as_mut() });
        let cache = try_ok!(ReplayCache::new(capacity).map_err(|e| map_error(&e)));
        *out = handle::into_raw::<nocard_replay_cache>(cache);
        nocard_result::Ok
    }
}

/// Releases a replay cache. NULL is a no-op.
///
/// Ownership: takes `cache`; it must not be used again.
///
/// Thread safety: not while another thread uses it.
///
/// # Safety
/// `cache` is NULL or from `nocard_replay_cache_new` or
/// `nocard_replay_cache_from_bytes`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_free(cache: *mut nocard_replay_cache) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s.
        drop(unsafe { handle::take(cache) });
    }
}

/// Restores a replay cache from the bytes `nocard_replay_cache_to_bytes`
/// wrote (`bytes`/`len`) and writes it to `*cache_out`. A truncated, altered
/// or foreign state is refused, never half-trusted.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_STATE_TRUNCATED`,
/// `NOCARD_RESULT_STATE_WRONG_KIND` (e.g. a trust store's bytes),
/// `NOCARD_RESULT_STATE_VERSION`, `NOCARD_RESULT_STATE_CHECKSUM` (cut short
/// or altered), `NOCARD_RESULT_STATE_INVALID`; `NOCARD_RESULT_TOO_LONG` if
/// `len` is over `NOCARD_MAX_STATE_LEN` (nothing is read);
/// `NOCARD_RESULT_NULL_PARAMETER`. `*cache_out` is written only on success.
///
/// Ownership: the bytes are read during the call only; the caller owns the
/// new cache and releases it with `nocard_replay_cache_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `cache_out` is NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_from_bytes(
    bytes: *const u8,
    len: usize,
    cache_out: *mut *mut nocard_replay_cache,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or `len` readable bytes (contract); the length is
        // checked before anything is read.
        let bytes = try_ok!(unsafe { slice_from(bytes, len, NOCARD_MAX_STATE_LEN) }.map_err(nocard_result::from));
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { cache_out.as_mut() });
        let cache = try_ok!(ReplayCache::from_bytes(bytes).map_err(|e| map_state_error(&e)));
        *out = handle::into_raw::<nocard_replay_cache>(cache);
        nocard_result::Ok
    }
}

/// Writes the cache as bytes to keep across restarts (a checksummed state,
/// SPEC.md §7.1) into `buf`, `*out_len` set to their length. Save them after
/// every accepted code, before the code is reported valid, and replace the
/// saved copy atomically (write a new file, flush it, rename it over the
/// old one): after a power loss the firmware must find either the old state
/// or the new one, whole, or a replayed screenshot could be accepted again.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_BUFFER_TOO_SMALL` with
/// `*out_len` set to the length needed and `buf` untouched (`buf` = NULL
/// with `len` = 0 asks for the length only); `NOCARD_RESULT_NULL_PARAMETER`
/// if `cache` or `out_len` is NULL, or `buf` is NULL with `len` > 0.
///
/// Ownership: copies into the caller's buffer.
///
/// Thread safety: not while another thread uses the same cache.
///
/// # Safety
/// `cache` is NULL or a live cache; `buf` is NULL or valid for writing `len`
/// bytes; `out_len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_to_bytes(
    cache: *const nocard_replay_cache,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let cache = try_some!(unsafe { handle::as_ref(cache) });
        let bytes = cache.to_bytes();
        // SAFETY: the function's contract is `write_bytes`'s; `bytes` is ours.
        unsafe { write_bytes(&bytes, buf, len, out_len) }
    }
}

/// Admits the valid presentation a verification object holds, accepted at
/// `now`, as `nocard_verifier_verify_once` does after verifying: for a desk
/// that checks more between the verifier and the cache (a status list,
/// `nocard_status_store_check`), so that a refused code is not recorded.
///
/// Returns `NOCARD_RESULT_OK` if it is now recorded;
/// `NOCARD_RESULT_REPLAYED` if the cache already accepted it in its window;
/// `NOCARD_RESULT_REPLAY_CACHE_FULL`; `NOCARD_RESULT_NOT_VERIFIED` if
/// `verification` holds no valid presentation; `NOCARD_RESULT_NULL_PARAMETER`.
/// On error the cache is unchanged. The verification object is not changed.
///
/// Ownership: borrows both for the call.
///
/// Thread safety: not while another thread uses the same cache or verification.
///
/// # Safety
/// `cache` is NULL or a live cache; `verification` is NULL or a live
/// verification object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_admit(
    cache: *mut nocard_replay_cache,
    verification: *const nocard_verification,
    now: u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live cache, not used elsewhere during the call (contract).
        let cache = try_some!(unsafe { handle::as_mut(cache) });
        // SAFETY: NULL or live, not mutated during the call (contract).
        let verification = try_some!(unsafe { handle::as_ref(verification) });
        let verified = try_ok!(verification.verified());
        try_ok!(cache.admit(verified, now).map_err(|e| map_error(&e)));
        nocard_result::Ok
    }
}

/// How many presentations the cache holds (live, or expired but not yet
/// forgotten), into `*out`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `cache` for the call.
///
/// Thread safety: not while another thread uses the same cache.
///
/// # Safety
/// `cache` is NULL or a live cache; `out` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_len(cache: *const nocard_replay_cache, out: *mut usize) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let cache = try_some!(unsafe { handle::as_ref(cache) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { out.as_mut() });
        *out = cache.len();
        nocard_result::Ok
    }
}

/// The most presentations the cache holds, into `*out`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `cache` for the call.
///
/// Thread safety: not while another thread uses the same cache.
///
/// # Safety
/// `cache` is NULL or a live cache; `out` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_replay_cache_capacity(
    cache: *const nocard_replay_cache,
    out: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live, not mutated during the call (contract).
        let cache = try_some!(unsafe { handle::as_ref(cache) });
        // SAFETY: NULL or valid for writing (contract).
        let out = try_some!(unsafe { out.as_mut() });
        *out = cache.capacity();
        nocard_result::Ok
    }
}
