//! `nocard_verifier_builder` and `nocard_verifier`: cached issuer keys and a
//! policy, then verification of scanned codes into a reusable result object.

use alloc::vec::Vec;
use core::ffi::c_char;
use core::mem;
use core::ptr::null;

use super::error::{map_error, nocard_result};
use super::handle::{self, Handle, SliceError, slice_from, str_from, str_list};
use super::panic::{ffi_panic_boundary, try_ok, try_some};
use super::replay::nocard_replay_cache;
use super::trust::nocard_trust_store;
use super::verification::{Verification, nocard_verification};
use super::version::{NOCARD_MAX_KEY_LEN, NOCARD_MAX_TEXT_LEN};
use crate::document::{Profile, Registry};
use crate::error::{Error, Malformed, MalformedKind};
use crate::keys::PublicKey;
use crate::seal::GroupSecretKey;
use crate::trust_list::{StaleList, TrustList};
use crate::verify::{KeyScope, Policy, Requirement, TrustedKey, Verified, Verifier};

/// A verifier being configured: issuer keys and policy.
///
/// Ownership: made by `nocard_verifier_builder_new`; consumed by
/// `nocard_verifier_builder_build` (by every call, whatever it returns), or
/// released by `nocard_verifier_builder_free` if it is never built.
///
/// Thread safety: not thread-safe; use it from one thread at a time.
pub struct nocard_verifier_builder {
    _private: [u8; 0],
}

/// What a builder collects; [`Policy`]'s setters consume it, so it is taken
/// out and put back on each change (a clone where the setter can refuse,
/// so a refused setting leaves the builder as it was).
pub(crate) struct VerifierBuilder {
    keys: Vec<TrustedKey>,
    policy: Policy,
    /// Kept apart from `policy`, whose `require` appends, because each
    /// `nocard_verifier_builder_set_required_claims` replaces the list.
    requirements: Vec<Requirement>,
    /// The trust list from `nocard_verifier_builder_use_trust_store`, its
    /// issuer keys and what to do while it is stale; kept apart from `keys`
    /// because each call replaces it.
    trust: Option<(TrustList, StaleList, Vec<TrustedKey>)>,
    /// Scanner-group keys that open sealed codes (SPEC.md §13).
    group_keys: Vec<GroupSecretKey>,
}

impl Handle for nocard_verifier_builder {
    type Inner = VerifierBuilder;
}

/// A finished verifier: trusted issuer keys, the built-in document registry
/// and a policy. It never changes after it is built.
///
/// Ownership: made by `nocard_verifier_builder_build`; released by
/// `nocard_verifier_free` once no thread uses it any more.
///
/// Thread safety: safe to share. Any number of threads may call
/// `nocard_verifier_verify` with the same verifier at the same time, each
/// with its own `nocard_verification`.
pub struct nocard_verifier {
    _private: [u8; 0],
}

/// What a [`nocard_verifier`] holds: the Rust verifier and, if it was built
/// from a trust store, the list its keys came from and whether codes stand
/// while that list is stale (checked after the verifier, as `nocard verify
/// --trust-state --refuse-stale` does).
pub(crate) struct DeskVerifier {
    core: Verifier,
    trust: Option<(TrustList, StaleList)>,
}

impl DeskVerifier {
    /// The issuer keys it trusts, those from a trust list included.
    pub(crate) fn keys(&self) -> &[TrustedKey] {
        self.core.keys()
    }

    /// The verifier's outcome, then the trust list's freshness (SPEC.md §10).
    pub(crate) fn verify(&self, text: &[u8], now: u64) -> Result<Verified, Error> {
        let verified = self.core.verify(text, now)?;
        if let Some((list, stale)) = &self.trust {
            list.check_fresh(now, *stale)?;
        }
        Ok(verified)
    }
}

impl Handle for nocard_verifier {
    type Inner = DeskVerifier;
}

/// The promise `nocard_verifier`'s documentation makes to C.
const _: () = {
    const fn shared_across_threads<T: Send + Sync>() {}
    shared_across_threads::<DeskVerifier>();
};

/// Makes an empty builder: no issuer keys, the default policy (both
/// algorithms, 10 s of clock skew, no profile, no required claims, no
/// challenge, no audience). Returns NULL only if nocard panicked.
///
/// Ownership: the caller owns the builder and must pass it to
/// `nocard_verifier_builder_build` or `nocard_verifier_builder_free`.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_verifier_builder_new() -> *mut nocard_verifier_builder {
    ffi_panic_boundary! {
        let builder = VerifierBuilder {
            keys: Vec::new(),
            policy: Policy::default(),
            requirements: Vec::new(),
            trust: None,
            group_keys: Vec::new(),
        };
        handle::into_raw::<nocard_verifier_builder>(builder)
    }
}

/// Releases a builder that will not be built. NULL is a no-op.
///
/// Ownership: takes `builder`; it must not be used again.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or from `nocard_verifier_builder_new`, not yet built or freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_free(builder: *mut nocard_verifier_builder) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s.
        drop(unsafe { handle::take(builder) });
    }
}

/// Trusts an issuer key, cached from the issuer, for the document types it
/// may sign: `key`/`key_len` are its public COSE_Key bytes (RFC 9052 §7, as
/// `nocard keygen --public-out` writes them; a secret key file's public half
/// is accepted too), `issuer` the name its credentials carry as `iss`
/// (NUL-terminated UTF-8, 1–64 bytes, e.g. "NBPSB"). The scope is always
/// explicit: either `doc_types`/`doc_types_len` name the document types
/// (e.g. "resident_id_card"; at least one, none twice) and `all_types` is
/// false, or `doc_types` is NULL with `doc_types_len` 0 and `all_types` is
/// true (the key may sign every type). A code of a type outside the scope is
/// rejected with `NOCARD_RESULT_KEY_NOT_ALLOWED_FOR_DOC_TYPE`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_EMPTY_KEY_SCOPE` for no
/// types without `all_types`; `NOCARD_RESULT_AMBIGUOUS_KEY_SCOPE` for types
/// with `all_types`; `NOCARD_RESULT_CONFIG_DUPLICATE_SCOPE_TYPE`;
/// `NOCARD_RESULT_CONFIG_ISSUER_NAME`; `NOCARD_RESULT_INVALID_KEY` if the
/// bytes are not a usable Ed25519 or P-256 public COSE_Key;
/// `NOCARD_RESULT_TOO_LONG` if `key_len` is over `NOCARD_MAX_KEY_LEN` or
/// `doc_types_len` over `NOCARD_MAX_NAMES` (nothing is read);
/// `NOCARD_RESULT_NULL_PARAMETER`; `NOCARD_RESULT_INVALID_UTF8`. On error the
/// builder is unchanged. Type names are checked against the registry, and
/// the same key added twice refused, by `nocard_verifier_builder_build`.
///
/// Ownership: everything is copied; the caller keeps its buffers.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder; `key` is NULL or valid for `key_len`
/// bytes; `issuer` is NULL or NUL-terminated; `doc_types` is NULL or points at
/// `doc_types_len` pointers, each NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_add_issuer_key(
    builder: *mut nocard_verifier_builder,
    key: *const u8,
    key_len: usize,
    issuer: *const c_char,
    doc_types: *const *const c_char,
    doc_types_len: usize,
    all_types: bool,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        // SAFETY: NULL or `key_len` readable bytes (contract); the length is
        // checked before anything is read.
        let key = try_ok!(unsafe { slice_from(key, key_len, NOCARD_MAX_KEY_LEN) }.map_err(nocard_result::from));
        // SAFETY: NULL or NUL-terminated (contract).
        let issuer = try_ok!(unsafe { str_from(issuer) });
        // SAFETY: NULL or `doc_types_len` string pointers (contract).
        let doc_types = try_ok!(unsafe { str_list(doc_types, doc_types_len) });
        let key = try_ok!(PublicKey::from_cose_key(key).map_err(|e| map_error(&Error::from(e))));
        let scope = match (all_types, doc_types.is_empty()) {
            (true, true) => KeyScope::AllTypes,
            (true, false) => return nocard_result::AmbiguousKeyScope,
            (false, _) => try_ok!(KeyScope::types(&doc_types).map_err(|e| map_error(&e))),
        };
        builder.keys.push(try_ok!(TrustedKey::new(issuer, key, scope).map_err(|e| map_error(&e))));
        nocard_result::Ok
    }
}

/// Tolerates `seconds` of difference between the phone's and the scanner's
/// clocks on every time check (default 10, at most 300).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_CLOCK_SKEW` above 300
/// (the builder is unchanged); `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `builder` for the call.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_set_clock_skew(
    builder: *mut nocard_verifier_builder,
    seconds: u64,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        builder.policy = try_ok!(builder.policy.clone().clock_skew(seconds).map_err(|e| map_error(&e)));
        nocard_result::Ok
    }
}

/// Applies a scene's purpose profile: only the document types it accepts
/// pass (others are rejected with `NOCARD_RESULT_DOC_TYPE_NOT_ACCEPTED`), and
/// each must disclose the claims the profile requires of it
/// (`NOCARD_RESULT_MISSING_REQUIRED_CLAIM`; a required bool such as
/// `age_over_18` must be true, else `NOCARD_RESULT_REQUIREMENT_NOT_MET`).
/// `profile` is one of "hotel_check_in", "internet_cafe", "petrol_station",
/// "roadside_check", "government_window", "kiosk_autofill", "visitor_log".
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_UNKNOWN_PROFILE`;
/// `NOCARD_RESULT_NULL_PARAMETER`; `NOCARD_RESULT_INVALID_UTF8`. On error the
/// builder is unchanged.
///
/// Ownership: `profile` is read during the call only.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder; `profile` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_set_profile(
    builder: *mut nocard_verifier_builder,
    profile: *const c_char,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        // SAFETY: NULL or NUL-terminated (contract).
        let name = try_ok!(unsafe { str_from(profile) });
        let profile: Profile = try_ok!(name.parse().map_err(|_| nocard_result::UnknownProfile));
        builder.policy = mem::take(&mut builder.policy).profile(profile);
        nocard_result::Ok
    }
}

/// Requires these claims, replacing any list set before; NULL with
/// `names_len` 0 clears it. Each is "NAME" (e.g. "name", "age_over_18"): the
/// claim must be disclosed and, if it is a bool, true; or "NAME=VALUE"
/// (e.g. "nationality=CHN", "age_over_18=true"): disclosed with that value,
/// read by the claim's type (true/false, decimal, YYYY-MM-DD, text as is,
/// bytes as hex). A presentation lacking one is rejected with
/// `NOCARD_RESULT_MISSING_REQUIRED_CLAIM`, one with another value with
/// `NOCARD_RESULT_REQUIREMENT_NOT_MET`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_UNKNOWN_CLAIM_NAME` for
/// a name no document type has; `NOCARD_RESULT_CONFIG_REQUIREMENT_VALUE` for
/// a value that does not fit the claim's type; `NOCARD_RESULT_NULL_PARAMETER`
/// (also for a NULL element); `NOCARD_RESULT_INVALID_UTF8`;
/// `NOCARD_RESULT_TOO_LONG` if `names_len` is over `NOCARD_MAX_NAMES`
/// (nothing is read). On error the builder is unchanged. Whether an accepted
/// document type has each claim is checked by `nocard_verifier_builder_build`.
///
/// Ownership: the names are copied.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder; `names` is NULL or points at
/// `names_len` pointers, each NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_set_required_claims(
    builder: *mut nocard_verifier_builder,
    names: *const *const c_char,
    names_len: usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        // SAFETY: NULL or `names_len` string pointers (contract).
        let specs = try_ok!(unsafe { str_list(names, names_len) });
        let registry = Registry::builtin();
        let parsed: Result<Vec<Requirement>, Error> = specs.iter().map(|spec| Requirement::parse(spec, &registry)).collect();
        builder.requirements = try_ok!(parsed.map_err(|e| map_error(&e)));
        nocard_result::Ok
    }
}

/// Requires presentations to carry `challenge`, the number the desk shows
/// (at most 999999). A presentation without it, or with another, is
/// rejected with `NOCARD_RESULT_CHALLENGE_MISMATCH`. A verifier never
/// changes, so a desk whose challenge changes builds a verifier for each.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_CHALLENGE` above 999999
/// (the builder is unchanged); `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `builder` for the call.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_set_challenge(
    builder: *mut nocard_verifier_builder,
    challenge: u32,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        builder.policy = try_ok!(builder.policy.clone().challenge(challenge).map_err(|e| map_error(&e)));
        nocard_result::Ok
    }
}

/// Names this verifier (NUL-terminated UTF-8, 1–64 bytes, e.g. a desk or
/// turnstile id): presentations must be addressed to it. One without an
/// audience is rejected with `NOCARD_RESULT_AUDIENCE_MISSING`, one addressed
/// to another with `NOCARD_RESULT_AUDIENCE_MISMATCH`. Without this setting,
/// addressed presentations are rejected with `NOCARD_RESULT_AUDIENCE_MISMATCH`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_AUDIENCE` for an empty
/// or longer audience (the builder is unchanged);
/// `NOCARD_RESULT_NULL_PARAMETER`; `NOCARD_RESULT_INVALID_UTF8`.
///
/// Ownership: `audience` is copied.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder; `audience` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_set_audience(
    builder: *mut nocard_verifier_builder,
    audience: *const c_char,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        // SAFETY: NULL or NUL-terminated (contract).
        let audience = try_ok!(unsafe { str_from(audience) });
        builder.policy = try_ok!(builder.policy.clone().audience(audience).map_err(|e| map_error(&e)));
        nocard_result::Ok
    }
}

/// Trusts the issuer keys of the trust list `store` holds, as the list
/// names them (issuer, document types, signing period, compromise time),
/// besides any added with `nocard_verifier_builder_add_issuer_key`; replaces
/// a list set by an earlier call. The verifier built also checks the list's
/// freshness after every successful verification, as `nocard verify
/// --trust-state` does: while the list is past its next update
/// (`nocard_trust_store_next_update`), codes are refused with
/// `NOCARD_RESULT_TRUST_LIST_STALE` if `refuse_stale` is true, and verify as
/// usual if it is false. Build a new verifier after the store takes a newer
/// list.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_TRUST_LIST_MISSING` if the
/// store holds no list yet; `NOCARD_RESULT_NULL_PARAMETER`; a
/// `NOCARD_RESULT_CONFIG_*` code if an entry is refused. On error the
/// builder is unchanged. A key both in the list and added by hand is refused
/// by `nocard_verifier_builder_build` (`NOCARD_RESULT_CONFIG_DUPLICATE_KEY`).
///
/// Ownership: the list is copied; the store stays the caller's, unchanged.
///
/// Thread safety: not while another thread uses the same builder or store.
///
/// # Safety
/// `builder` is NULL or a live builder; `store` is NULL or a live trust store.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_use_trust_store(
    builder: *mut nocard_verifier_builder,
    store: *const nocard_trust_store,
    refuse_stale: bool,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        // SAFETY: NULL or a live store, not mutated during the call (contract).
        let store = try_some!(unsafe { handle::as_ref(store) });
        let list = try_ok!(store.current().ok_or(nocard_result::TrustListMissing));
        let keys = try_ok!(list.trusted_keys().map_err(|e| map_error(&e)));
        let stale = if refuse_stale { StaleList::Refuse } else { StaleList::Accept };
        builder.trust = Some((list.clone(), stale, keys));
        nocard_result::Ok
    }
}

/// Adds a scanner-group secret key (SPEC.md §13): `key`/`key_len` are its
/// secret COSE_Key bytes, as `nocard keygen --alg x25519` (or `--alg p256
/// --group`) writes them. The verifier then opens codes sealed to the group
/// (`NCS1:...`) before verifying them through `nocard_verifier_verify` and
/// the other verify entry points. A code sealed to a group whose key was not
/// added is rejected with `NOCARD_RESULT_SEALED_FOR_OTHER_GROUP`; one that
/// does not open with the key it names with `NOCARD_RESULT_SEALED_OPEN_FAILED`;
/// any sealed code, on a verifier with no group key, with
/// `NOCARD_RESULT_SEALED_NO_GROUP_KEY`.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_INVALID_KEY` if the bytes are
/// not a secret group key (a signing key or a public key is refused);
/// `NOCARD_RESULT_TOO_LONG` if `key_len` is over `NOCARD_MAX_KEY_LEN`
/// (nothing is read); `NOCARD_RESULT_NULL_PARAMETER`. On error the builder is
/// unchanged. The same key added twice is refused by
/// `nocard_verifier_builder_build` (`NOCARD_RESULT_CONFIG_DUPLICATE_GROUP_KEY`).
///
/// Ownership: the key is copied, and the copy is zeroized when the verifier
/// (or builder) is freed; the caller keeps, and should wipe, its buffer.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder; `key` is NULL or valid for `key_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_add_group_key(
    builder: *mut nocard_verifier_builder,
    key: *const u8,
    key_len: usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        // SAFETY: NULL or `key_len` readable bytes (contract); the length is
        // checked before anything is read.
        let key = try_ok!(unsafe { slice_from(key, key_len, NOCARD_MAX_KEY_LEN) }.map_err(nocard_result::from));
        let key = try_ok!(GroupSecretKey::from_cose_key(key).map_err(|e| map_error(&Error::from(e))));
        builder.group_keys.push(key);
        nocard_result::Ok
    }
}

/// Refuses plain `NC1:` codes: only codes sealed to an added group key are
/// verified, a plain one is rejected with `NOCARD_RESULT_SEAL_REQUIRED`.
/// `nocard_verifier_builder_build` refuses this setting without a group key
/// (`NOCARD_RESULT_CONFIG_SEAL_WITHOUT_GROUP_KEY`).
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_NULL_PARAMETER`.
///
/// Ownership: borrows `builder` for the call.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_require_sealed(
    builder: *mut nocard_verifier_builder,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live builder, not otherwise borrowed during the call (contract).
        let builder = try_some!(unsafe { handle::as_mut(builder) });
        builder.policy = mem::take(&mut builder.policy).require_sealed();
        nocard_result::Ok
    }
}

/// Turns the builder into a verifier and writes it to `*verifier_out`,
/// checking the configuration as a whole.
///
/// Returns `NOCARD_RESULT_OK`; `NOCARD_RESULT_CONFIG_DUPLICATE_KEY` if one
/// issuer key (by key id) was added twice;
/// `NOCARD_RESULT_CONFIG_UNKNOWN_DOC_TYPE_NAME` if a key's scope names a type
/// nocard does not know; `NOCARD_RESULT_CONFIG_UNKNOWN_CLAIM_NAME` or
/// `NOCARD_RESULT_CONFIG_REQUIREMENT_VALUE` if a required claim fits no
/// document type the profile accepts;
/// `NOCARD_RESULT_CONFIG_DUPLICATE_GROUP_KEY` if one group key was added
/// twice; `NOCARD_RESULT_CONFIG_SEAL_WITHOUT_GROUP_KEY` if sealed codes are
/// required with no group key; `NOCARD_RESULT_NULL_PARAMETER` if
/// either pointer is NULL. `nocard_error_message` describes each. A verifier
/// with no keys is allowed; it rejects every code with
/// `NOCARD_RESULT_UNKNOWN_KEY`. Unless it is NULL, `*verifier_out` is
/// written whatever the outcome: the new verifier, or NULL.
///
/// Ownership: every call takes `builder`, whatever it returns (also when
/// `verifier_out` is NULL or the configuration is refused): do not use or
/// free it afterwards, so one cleanup path can free what it holds without
/// knowing how far set-up got. The caller owns the new verifier and releases
/// it with `nocard_verifier_free`.
///
/// Thread safety: not while another thread uses the same builder.
///
/// # Safety
/// `builder` is NULL or a live builder; `verifier_out` is NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_builder_build(
    builder: *mut nocard_verifier_builder,
    verifier_out: *mut *const nocard_verifier,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or live and not yet built or freed (contract); taken
        // here, once, before anything can return.
        let builder = unsafe { handle::take(builder) };
        // SAFETY: NULL or valid for writing, not otherwise borrowed (contract).
        let out = try_some!(unsafe { verifier_out.as_mut() });
        *out = null();
        let VerifierBuilder { mut keys, policy, requirements, trust, group_keys } = *try_some!(builder);
        let policy = requirements.into_iter().fold(policy, Policy::require);
        let trust = trust.map(|(list, stale, list_keys)| {
            keys.extend(list_keys);
            (list, stale)
        });
        let core =
            try_ok!(Verifier::with_group_keys(Registry::builtin(), keys, group_keys, policy).map_err(|e| map_error(&e)));
        *out = handle::into_raw::<nocard_verifier>(DeskVerifier { core, trust }).cast_const();
        nocard_result::Ok
    }
}

/// Releases a verifier. NULL is a no-op.
///
/// Ownership: takes `verifier`; it must not be used again.
///
/// Thread safety: only after every thread has finished using it.
///
/// # Safety
/// `verifier` is NULL or from `nocard_verifier_builder_build`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_free(verifier: *const nocard_verifier) {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `take`'s; the pointer was made
        // `*const` from a `*mut` by `nocard_verifier_builder_build`.
        drop(unsafe { handle::take(verifier.cast_mut()) });
    }
}

/// Verifies one scanned code: `text`/`text_len` are the characters the
/// scanner read (`NC1:...`, without a line ending; no NUL needed), `now` the
/// scanner's clock in Unix seconds. Checks, offline, the issuer signature
/// against the cached keys, the device signature, the disclosed claims'
/// digests, the credential validity, the presentation window and the policy.
///
/// Returns `NOCARD_RESULT_OK` if the presentation is valid, or the code of
/// the first check that failed (100–199, e.g.
/// `NOCARD_RESULT_WINDOW_EXPIRED` for a stale screenshot, or
/// `NOCARD_RESULT_TRUST_LIST_STALE` after every other check from a verifier
/// built with `nocard_verifier_builder_use_trust_store` refusing stale
/// lists); either way `out`
/// now holds this scan's outcome. A `text_len` over `NOCARD_MAX_TEXT_LEN` is
/// a `NOCARD_RESULT_MALFORMED` rejection (detail "too_large") and the text is
/// not read (so `SIZE_MAX` from a `strlen(line) - 1` on an empty line is
/// harmless). Returns `NOCARD_RESULT_NULL_PARAMETER` if a pointer is NULL,
/// `NOCARD_RESULT_PANIC` if nocard panicked.
///
/// Whatever it returns, a non-NULL `out` is cleared first: what it held
/// before is gone, and after a NULL parameter or a panic it holds no outcome
/// (`nocard_verification_result` gives `NOCARD_RESULT_NOT_VERIFIED`), so a
/// failed call never leaves the previous person's result readable.
///
/// Memory: `out` is reused, so a scan loop allocates no result object; the
/// verification itself allocates temporaries bounded by the 4296-character
/// input limit (peak heap: see README.md, "C API"). Allocation failure
/// aborts the process, as Rust's allocator does.
///
/// Ownership: borrows all arguments for the call; nothing is kept.
///
/// Thread safety: `verifier` may be used by many threads at once; `out` must
/// not be used by another thread during the call.
///
/// # Safety
/// `verifier` is NULL or a live verifier; `text` is NULL or valid for
/// `text_len` bytes (when `text_len` is at most `NOCARD_MAX_TEXT_LEN`); `out`
/// is NULL or a live verification object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_verify(
    verifier: *const nocard_verifier,
    text: *const u8,
    text_len: usize,
    now: u64,
    out: *mut nocard_verification,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live verification, not used elsewhere during the call (contract).
        let out: &mut Verification = try_some!(unsafe { handle::as_mut(out) });
        out.clear();
        // SAFETY: NULL or a live verifier, only ever read (contract).
        let verifier = try_some!(unsafe { handle::as_ref(verifier) });
        // SAFETY: NULL or `text_len` readable bytes (contract).
        let outcome = try_ok!(unsafe { verify_text(verifier, text, text_len, now) });
        out.store(outcome)
    }
}

/// Verifies one scanned code as `nocard_verifier_verify` does and, if it is
/// valid, admits it to `cache`: a presentation the cache has already
/// accepted in its window (the same code, or a re-encoding of it) is
/// rejected with `NOCARD_RESULT_REPLAYED`, and a cache full of live
/// presentations refuses it with `NOCARD_RESULT_REPLAY_CACHE_FULL`; either
/// way the cache is unchanged. Only a valid presentation is recorded: a
/// rejected one (for any reason) leaves the cache as it was. The same rule as
/// `nocard verify --replay-db` and the bindings' `Verifier.verifyOnce`.
///
/// Returns `NOCARD_RESULT_OK` if the presentation is valid and now recorded
/// (save the cache with `nocard_replay_cache_to_bytes` before reporting it
/// valid, if it must survive a restart), else the rejection's code;
/// `NOCARD_RESULT_NULL_PARAMETER` if a pointer is NULL;
/// `NOCARD_RESULT_PANIC` if nocard panicked. As with
/// `nocard_verifier_verify`, a non-NULL `out` is cleared first and then
/// holds this scan's outcome (a replay's message says when it was first
/// accepted).
///
/// Ownership: borrows all arguments for the call; nothing is kept.
///
/// Thread safety: `verifier` may be used by many threads at once; `cache`
/// and `out` must not be used by another thread during the call.
///
/// # Safety
/// As `nocard_verifier_verify`, and `cache` is NULL or a live replay cache.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_verify_once(
    verifier: *const nocard_verifier,
    cache: *mut nocard_replay_cache,
    text: *const u8,
    text_len: usize,
    now: u64,
    out: *mut nocard_verification,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live verification, not used elsewhere during the call (contract).
        let out: &mut Verification = try_some!(unsafe { handle::as_mut(out) });
        out.clear();
        // SAFETY: NULL or a live verifier, only ever read (contract).
        let verifier = try_some!(unsafe { handle::as_ref(verifier) });
        // SAFETY: NULL or a live cache, not used elsewhere during the call (contract).
        let cache = try_some!(unsafe { handle::as_mut(cache) });
        // SAFETY: NULL or `text_len` readable bytes (contract).
        let outcome = try_ok!(unsafe { verify_text(verifier, text, text_len, now) });
        let outcome = outcome.and_then(|verified| cache.admit(&verified, now).map(|()| verified));
        out.store(outcome)
    }
}

/// The verifier's outcome for `text`/`text_len`, or
/// `NOCARD_RESULT_NULL_PARAMETER` for a NULL `text`. The length is checked
/// before anything is read: over [`NOCARD_MAX_TEXT_LEN`] is the rejection
/// the Rust verifier gives such text.
///
/// # Safety
/// `text` is NULL or valid for `text_len` bytes (when `text_len` is at most
/// `NOCARD_MAX_TEXT_LEN`).
unsafe fn verify_text(
    verifier: &DeskVerifier,
    text: *const u8,
    text_len: usize,
    now: u64,
) -> Result<Result<Verified, Error>, nocard_result> {
    // SAFETY: the function's contract is `slice_from`'s.
    match unsafe { slice_from(text, text_len, NOCARD_MAX_TEXT_LEN) } {
        Ok(text) => Ok(verifier.verify(text, now)),
        Err(SliceError::Null) => Err(nocard_result::NullParameter),
        // What the Rust verifier reports for text over the limit.
        Err(SliceError::TooLong) => {
            let max = NOCARD_MAX_TEXT_LEN;
            Ok(Err(Error::from(Malformed::at(MalformedKind::TooLarge { max }, max))))
        }
    }
}
