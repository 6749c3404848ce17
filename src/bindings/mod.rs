//! The Kotlin, Swift and Python surface, through uniffi (the `uniffi`
//! feature; generated code in `bindings/`).
//!
//! A thin shell over the Rust API: every decision (parsing, signatures,
//! policy, time) is made by the same core functions the CLI and the C API
//! call; this module only converts types. Objects: [`Holder`] (the wallet's
//! credential and its device signer), [`RotatingPresenter`] (the code on
//! screen), [`Verifier`] (the desk) and [`Issuer`] (tests and demos). The
//! device key stays in the phone's keystore behind the foreign trait
//! [`DeviceSigner`]. The desk keeps its offline state in a [`ReplayCache`]
//! and a [`TrustStore`] of signed trust lists ([`TrustRoot`] signs them),
//! and checks revocation against a [`StatusStore`] of issuer-signed status
//! lists ([`Issuer::sign_status_list`]). A desk app with a camera verifies
//! straight from its frames ([`Verifier::verify_frame`], [`CameraFrame`]).
//! The wallet shows the 8-digit numeric check code with
//! [`Holder::numeric_code`], and signs delegations and consents
//! ([`Holder::delegate`], [`Holder::consent`]) that a desk checks.
//! Every failure is one [`NocardError`] case carrying the stable
//! [`Error::code`].
//!
//! A panic never reaches the foreign side: uniffi runs every exported call
//! under `catch_unwind` and reports a panic as its internal error
//! (`InternalException` in Kotlin, `InternalError` in Python), and the crate
//! builds with `panic = "unwind"` in every profile.

mod convert;
mod copy;
mod delegation;
mod desk;
mod frame;
mod receipt;
mod status;

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::Mutex;

use crate::credential::{self, CredentialBundle, Issuer as CoreIssuer};
use crate::document::{Profile, Registry};
use crate::error::{ConfigError, Error, KeyError, UsageError};
use crate::keys::{Algorithm, PublicKey, SecretKey};
use crate::numeric_code::CodeKey;
use crate::portrait::{PortraitError, PortraitSender};
use crate::presentation::{self, Disclose as CoreDisclose, Holder as CoreHolder, SignerError};
use crate::qr::EcLevel;
use crate::rotating::RotatingCode;
use crate::seal::{self, GroupPublicKey, GroupSecretKey};
use crate::text::{self, TextKind};
use crate::trust_list::{self, IssuerEntry, StaleList, TrustListError};
use crate::verify::{self, Requirement, TrustedKey};
use zeroize::Zeroizing;

pub use convert::{Claim, ClaimValue, Field, FieldValue};
pub use copy::{CopyFormat, Paper, receipt_text, render_copy};
pub use desk::{ReplayCache, TrustList, TrustRoot, TrustStore};
pub use frame::{CameraFrame, FrameFormat};
pub use receipt::{FieldDigest, ReceiptDesk, ReceiptInfo, ReceiptedVerification, verify_receipt};
pub use status::{DeskVerification, StatusDecision, StatusListInfo, StatusRef, StatusStore};

/// Why nocard refused something. Every case carries `code`, the stable
/// snake_case code of SPEC.md §6 (what the CLI JSON and the C API report),
/// and `reason`, the human-readable text.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Error)]
pub enum NocardError {
    /// `malformed`: not a well-formed nocard object.
    Malformed {
        /// `malformed`.
        code: String,
        /// What is wrong and where.
        reason: String,
        /// The kind's own code (`truncated`, `base45_character`, ...).
        detail: String,
        /// Byte offset where it was found.
        offset: u64,
    },
    /// `unsupported_version`: a format version this build does not read.
    UnsupportedVersion {
        /// `unsupported_version`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `unknown_key`: no trusted issuer key has the credential's key id.
    UnknownKey {
        /// `unknown_key`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The key id, lowercase hex.
        key_id: String,
    },
    /// `algorithm_not_allowed`.
    AlgorithmNotAllowed {
        /// `algorithm_not_allowed`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// COSE algorithm identifier.
        alg: i64,
    },
    /// `algorithm_mismatch`.
    AlgorithmMismatch {
        /// `algorithm_mismatch`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `key_not_allowed_for_doc_type`: the issuer key is trusted, not for this type.
    KeyNotAllowedForDocType {
        /// `key_not_allowed_for_doc_type`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `issuer_key_not_valid`.
    IssuerKeyNotValid {
        /// `issuer_key_not_valid`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `issuer_mismatch`.
    IssuerMismatch {
        /// `issuer_mismatch`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `unknown_doc_type`.
    UnknownDocType {
        /// `unknown_doc_type`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `bad_issuer_signature`: tampered or forged.
    BadIssuerSignature {
        /// `bad_issuer_signature`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `bad_device_signature`.
    BadDeviceSignature {
        /// `bad_device_signature`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `disclosure_digest_mismatch`.
    DisclosureDigestMismatch {
        /// `disclosure_digest_mismatch`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `credential_not_yet_valid`.
    CredentialNotYetValid {
        /// `credential_not_yet_valid`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// Credential `nbf`.
        not_before: u64,
        /// Verifier clock.
        now: u64,
    },
    /// `credential_expired`.
    CredentialExpired {
        /// `credential_expired`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// Credential `exp`.
        expires: u64,
        /// Verifier clock.
        now: u64,
    },
    /// `credential_issued_in_future`.
    CredentialIssuedInFuture {
        /// `credential_issued_in_future`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// Credential `iat`.
        issued_at: u64,
        /// Verifier clock.
        now: u64,
    },
    /// `window_not_yet_valid`.
    WindowNotYetValid {
        /// `window_not_yet_valid`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// Window start.
        start: u64,
        /// Verifier clock.
        now: u64,
    },
    /// `window_expired`: a stale screenshot or photo.
    WindowExpired {
        /// `window_expired`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// Window end.
        end: u64,
        /// Verifier clock.
        now: u64,
    },
    /// `challenge_mismatch`.
    ChallengeMismatch {
        /// `challenge_mismatch`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// What the desk showed.
        expected: u32,
        /// What the presentation carries.
        found: Option<u32>,
    },
    /// `audience_mismatch`.
    AudienceMismatch {
        /// `audience_mismatch`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `audience_missing`.
    AudienceMissing {
        /// `audience_missing`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `missing_required_claim`.
    MissingRequiredClaim {
        /// `missing_required_claim`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The claim's name.
        name: String,
    },
    /// `requirement_not_met`.
    RequirementNotMet {
        /// `requirement_not_met`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The claim's name.
        name: String,
    },
    /// `doc_type_not_accepted`.
    DocTypeNotAccepted {
        /// `doc_type_not_accepted`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `replayed`: a replay cache already accepted this presentation.
    Replayed {
        /// `replayed`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// When it was first accepted (verifier clock, Unix seconds).
        first_seen: u64,
    },
    /// `replay_cache_full`: the replay cache holds `capacity` live entries
    /// and refuses rather than forget one.
    ReplayCacheFull {
        /// `replay_cache_full`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The cache's capacity.
        capacity: u64,
    },
    /// `issued_outside_key_period`: the credential was issued outside the
    /// period its issuer key may sign in.
    IssuedOutsideKeyPeriod {
        /// `issued_outside_key_period`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The credential's issue time (`iat`, else `nbf`).
        issued_at: u64,
    },
    /// `issuer_key_compromised`: the credential was issued at or after the
    /// time its issuer key was compromised.
    IssuerKeyCompromised {
        /// `issuer_key_compromised`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// When the key was compromised.
        compromised_at: u64,
        /// The credential's issue time (`iat`, else `nbf`).
        issued_at: u64,
    },
    /// `trust_list_stale`: the trust list is past its next update and the
    /// desk refuses codes while it is.
    TrustListStale {
        /// `trust_list_stale`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The list's next update.
        next_update: u64,
    },
    /// `seal_required`: the policy requires sealed codes and this one is plain.
    SealRequired {
        /// `seal_required`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `sealed_no_group_key`: a sealed code, and the verifier holds no group key.
    SealedNoGroupKey {
        /// `sealed_no_group_key`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `sealed_for_other_group`: sealed to a group key the verifier does not hold.
    SealedForOtherGroup {
        /// `sealed_for_other_group`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The group key id the code names, lowercase hex.
        key_id: String,
    },
    /// `sealed_open_failed`: the named group key does not open the code.
    SealedOpenFailed {
        /// `sealed_open_failed`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `replay_file`: a saved replay cache that is not a whole cache
    /// (bindings only; the CLI reports it as a message).
    ReplayFile {
        /// `replay_file`.
        code: String,
        /// Human-readable text, with the path.
        reason: String,
        /// What is wrong (`state_truncated`, `state_wrong_kind`,
        /// `state_version`, `state_checksum`, `state_invalid`; SPEC.md §10.1).
        detail: String,
    },
    /// `trust_state_file`: a saved trust store that is not a whole store
    /// (bindings only; the CLI reports it as a message).
    TrustStateFile {
        /// `trust_state_file`.
        code: String,
        /// Human-readable text, with the path.
        reason: String,
        /// What is wrong (`state_truncated`, `state_wrong_kind`,
        /// `state_version`, `state_checksum`, `state_invalid`; SPEC.md §10.1).
        detail: String,
    },
    /// `io`: a state file could not be read or written (bindings only).
    Io {
        /// `io`.
        code: String,
        /// Human-readable text, with the path and the system's error.
        reason: String,
    },
    /// `trust_list_unknown_root`: the list is not signed by a current root key.
    TrustListUnknownRoot {
        /// `trust_list_unknown_root`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `trust_list_bad_signature`: the list's contents were altered.
    TrustListBadSignature {
        /// `trust_list_bad_signature`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `trust_list_rollback`: not newer than the list held, a rollback or a
    /// replay of an old list.
    TrustListRollback {
        /// `trust_list_rollback`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The sequence number held.
        held: u64,
        /// The sequence number offered.
        offered: u64,
    },
    /// `credential_revoked`: the credential's status list says revoked.
    CredentialRevoked {
        /// `credential_revoked`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `credential_suspended`: the credential's status list says suspended.
    CredentialSuspended {
        /// `credential_suspended`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `credential_status_unknown`: the list holds a status value nocard
    /// gives no meaning (3 and up).
    CredentialStatusUnknown {
        /// `credential_status_unknown`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The value.
        value: u8,
    },
    /// `status_list_missing`: no list is held for the credential and the
    /// store refuses such credentials.
    StatusListMissing {
        /// `status_list_missing`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The list id the credential names.
        list_id: u32,
    },
    /// `status_list_expired`: the list is past its `exp`.
    StatusListExpired {
        /// `status_list_expired`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The list's `exp`.
        expires: u64,
        /// The clock.
        now: u64,
    },
    /// `status_list_unknown_key`: signed by no key trusted for its issuer.
    StatusListUnknownKey {
        /// `status_list_unknown_key`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `status_list_bad_signature`: the list was altered.
    StatusListBadSignature {
        /// `status_list_bad_signature`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `status_list_rollback`: not newer than the list held.
    StatusListRollback {
        /// `status_list_rollback`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// `iat` of the list held.
        held: u64,
        /// `iat` of the list offered.
        offered: u64,
    },
    /// `status_index_out_of_range`: the credential's index is beyond its list.
    StatusIndexOutOfRange {
        /// `status_index_out_of_range`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The credential's index.
        index: u64,
        /// Entries in the list.
        entries: u64,
    },
    /// `status_store_full`: the store's lists would exceed its bound.
    StatusStoreFull {
        /// `status_store_full`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `status_state_damaged`: a saved status store that is not a whole store.
    StatusStateDamaged {
        /// `status_state_damaged`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// What is wrong (`state_truncated`, `state_checksum`, ...; SPEC.md §10.1).
        detail: String,
    },
    /// `trust_list_missing`: a verifier asked of a trust store that holds no
    /// list yet (bindings only).
    TrustListMissing {
        /// `trust_list_missing`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `invalid_config`: a verifier configuration refused when it was set.
    InvalidConfig {
        /// `invalid_config`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// What is wrong (`clock_skew`, `empty_key_scope`, `unknown_profile`, ...).
        detail: String,
    },
    /// `invalid_key`: a key that is not usable.
    InvalidKey {
        /// `invalid_key`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// What is wrong (`invalid_material`, `unsupported`, ...).
        detail: String,
    },
    /// `usage`: the calling program asked for something impossible.
    Usage {
        /// `usage`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `no_code`: the camera frame holds no nocard code; nothing was verified.
    NoCode {
        /// `no_code`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `several_codes`: the camera frame holds more than one nocard code
    /// (two phones in view); nothing was verified.
    SeveralCodes {
        /// `several_codes`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// How many.
        count: u64,
    },
    /// `scan_budget_exceeded`: the frame needs more work than its time
    /// budget allows and was not fully searched (a hostile pattern, or a
    /// machine too slow for the budget).
    ScanBudgetExceeded {
        /// `scan_budget_exceeded`.
        code: String,
        /// Human-readable text, with the limit that was hit.
        reason: String,
    },
    /// `empty_image`: the frame's width or height is 0.
    EmptyImage {
        /// `empty_image`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The width given.
        width: u64,
        /// The height given.
        height: u64,
    },
    /// `image_too_large`: the frame's width or height is over `max` (8192).
    ImageTooLarge {
        /// `image_too_large`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The width given.
        width: u64,
        /// The height given.
        height: u64,
        /// The largest side accepted.
        max: u64,
    },
    /// `stride_too_small`: the row stride is shorter than a row.
    StrideTooSmall {
        /// `stride_too_small`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The row stride given.
        stride: u64,
        /// Bytes one row needs in this format.
        row_bytes: u64,
    },
    /// `bad_pixel_stride`: a Y plane's pixel stride is 0 or over `max` (8).
    BadPixelStride {
        /// `bad_pixel_stride`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The pixel stride given.
        pixel_stride: u64,
        /// The largest accepted.
        max: u64,
    },
    /// `buffer_too_short`: the pixels are fewer than the rows the format
    /// and strides describe.
    BufferTooShort {
        /// `buffer_too_short`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// Bytes given.
        len: u64,
        /// Bytes needed.
        needed: u64,
    },
    /// `usage`, from the device signer: it threw, or its signature was not
    /// a signature by the bound key. A foreign signer throws this (or any
    /// exception, which arrives here) to refuse.
    Signer {
        /// `usage`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `not_a_receipt`: a presentation, credential or status list given as a receipt.
    NotAReceipt {
        /// `not_a_receipt`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `receipt_unknown_desk_key`: the receipt is signed by no trusted desk key.
    ReceiptUnknownDeskKey {
        /// `receipt_unknown_desk_key`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The desk key id the receipt names, lowercase hex.
        key_id: String,
    },
    /// `receipt_bad_signature`: the receipt's signature does not verify (it was altered).
    ReceiptBadSignature {
        /// `receipt_bad_signature`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `copy_needs_values`: the receipt keeps only digests of the fields;
    /// a printed copy needs the values.
    CopyNeedsValues {
        /// `copy_needs_values`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `copy_glyph_missing`: the font has no glyph for a character of the
    /// copy (it is refused, never printed as a blank box).
    CopyGlyphMissing {
        /// `copy_glyph_missing`.
        code: String,
        /// Human-readable text.
        reason: String,
        /// The character, as a one-character string.
        character: String,
    },
    /// `copy_does_not_fit`: the fields do not fit the card even at the
    /// smallest text size.
    CopyDoesNotFit {
        /// `copy_does_not_fit`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `copy_receipt_too_large`: the receipt is too large for the QR code a
    /// card carries.
    CopyReceiptTooLarge {
        /// `copy_receipt_too_large`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// `copy_font_unusable`: not a TrueType or OpenType font with a Unicode
    /// `cmap` and outlines, or over 32 MiB.
    CopyFontUnusable {
        /// `copy_font_unusable`.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// A portrait the phone cannot send as frames (SPEC.md §14.5):
    /// `portrait_empty`, `portrait_too_large` (over 16384 bytes),
    /// `portrait_frame_index_out_of_range`.
    Portrait {
        /// The `portrait_*` code.
        code: String,
        /// Human-readable text.
        reason: String,
    },
    /// A delegation, acting delegate or consent refused (SPEC.md §17.5):
    /// `not_a_delegation`, `not_a_consent`, `delegation_chained`,
    /// `signer_credential_rejected`, `bad_delegation_signature`,
    /// `bad_consent_signature`, `delegation_not_yet_valid`,
    /// `consent_not_yet_valid`, `delegation_expired`, `consent_expired`,
    /// `matter_mismatch`, `delegate_rejected`, `wrong_delegate`,
    /// `request_mismatch`.
    Delegation {
        /// One of the codes above.
        code: String,
        /// Human-readable text.
        reason: String,
        /// For `signer_credential_rejected` and `delegate_rejected`: the code
        /// of the check that failed inside (e.g. `credential_expired`).
        detail: Option<String>,
    },
}

impl From<PortraitError> for NocardError {
    fn from(e: PortraitError) -> Self {
        match e {
            PortraitError::Text(e) => e.into(),
            e => NocardError::Portrait { code: e.code().into(), reason: e.to_string() },
        }
    }
}

impl NocardError {
    /// A signer failure, as a foreign signer reports one.
    fn signer(reason: impl Into<String>) -> Self {
        NocardError::Signer { code: "usage".into(), reason: reason.into() }
    }
}

impl core::fmt::Display for NocardError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (code, reason) = self.code_and_reason();
        write!(f, "{code}: {reason}")
    }
}

impl std::error::Error for NocardError {}

impl NocardError {
    fn code_and_reason(&self) -> (&str, &str) {
        use NocardError::*;
        match self {
            Malformed { code, reason, .. }
            | UnsupportedVersion { code, reason }
            | UnknownKey { code, reason, .. }
            | AlgorithmNotAllowed { code, reason, .. }
            | AlgorithmMismatch { code, reason }
            | KeyNotAllowedForDocType { code, reason }
            | IssuerKeyNotValid { code, reason }
            | IssuerMismatch { code, reason }
            | UnknownDocType { code, reason }
            | BadIssuerSignature { code, reason }
            | BadDeviceSignature { code, reason }
            | DisclosureDigestMismatch { code, reason }
            | CredentialNotYetValid { code, reason, .. }
            | CredentialExpired { code, reason, .. }
            | CredentialIssuedInFuture { code, reason, .. }
            | WindowNotYetValid { code, reason, .. }
            | WindowExpired { code, reason, .. }
            | ChallengeMismatch { code, reason, .. }
            | AudienceMismatch { code, reason }
            | AudienceMissing { code, reason }
            | MissingRequiredClaim { code, reason, .. }
            | RequirementNotMet { code, reason, .. }
            | DocTypeNotAccepted { code, reason }
            | Replayed { code, reason, .. }
            | ReplayCacheFull { code, reason, .. }
            | IssuedOutsideKeyPeriod { code, reason, .. }
            | IssuerKeyCompromised { code, reason, .. }
            | TrustListStale { code, reason, .. }
            | SealRequired { code, reason }
            | SealedNoGroupKey { code, reason }
            | SealedForOtherGroup { code, reason, .. }
            | SealedOpenFailed { code, reason }
            | ReplayFile { code, reason, .. }
            | TrustStateFile { code, reason, .. }
            | Io { code, reason }
            | TrustListUnknownRoot { code, reason }
            | TrustListBadSignature { code, reason }
            | TrustListRollback { code, reason, .. }
            | TrustListMissing { code, reason }
            | CredentialRevoked { code, reason }
            | CredentialSuspended { code, reason }
            | CredentialStatusUnknown { code, reason, .. }
            | StatusListMissing { code, reason, .. }
            | StatusListExpired { code, reason, .. }
            | StatusListUnknownKey { code, reason }
            | StatusListBadSignature { code, reason }
            | StatusListRollback { code, reason, .. }
            | StatusIndexOutOfRange { code, reason, .. }
            | StatusStoreFull { code, reason }
            | StatusStateDamaged { code, reason, .. }
            | InvalidConfig { code, reason, .. }
            | InvalidKey { code, reason, .. }
            | NoCode { code, reason }
            | SeveralCodes { code, reason, .. }
            | ScanBudgetExceeded { code, reason }
            | EmptyImage { code, reason, .. }
            | ImageTooLarge { code, reason, .. }
            | StrideTooSmall { code, reason, .. }
            | BadPixelStride { code, reason, .. }
            | BufferTooShort { code, reason, .. }
            | Usage { code, reason }
            | NotAReceipt { code, reason }
            | ReceiptUnknownDeskKey { code, reason, .. }
            | ReceiptBadSignature { code, reason }
            | Signer { code, reason }
            | CopyNeedsValues { code, reason }
            | CopyGlyphMissing { code, reason, .. }
            | CopyDoesNotFit { code, reason }
            | CopyReceiptTooLarge { code, reason }
            | CopyFontUnusable { code, reason }
            | Portrait { code, reason }
            | Delegation { code, reason, .. } => (code, reason),
        }
    }
}

impl From<Error> for NocardError {
    fn from(e: Error) -> Self {
        let code = String::from(e.code());
        let reason = e.to_string();
        match e {
            Error::Malformed(m) => {
                NocardError::Malformed { code, reason, detail: m.kind.code().into(), offset: m.offset as u64 }
            }
            Error::UnsupportedVersion { .. } => NocardError::UnsupportedVersion { code, reason },
            Error::UnknownKey { kid } => NocardError::UnknownKey { code, reason, key_id: kid.to_string() },
            Error::AlgorithmNotAllowed { alg } => NocardError::AlgorithmNotAllowed { code, reason, alg },
            Error::AlgorithmMismatch => NocardError::AlgorithmMismatch { code, reason },
            Error::KeyNotAllowedForDocType => NocardError::KeyNotAllowedForDocType { code, reason },
            Error::IssuerKeyNotValid => NocardError::IssuerKeyNotValid { code, reason },
            Error::IssuerMismatch => NocardError::IssuerMismatch { code, reason },
            Error::UnknownDocType => NocardError::UnknownDocType { code, reason },
            Error::BadIssuerSignature => NocardError::BadIssuerSignature { code, reason },
            Error::BadDeviceSignature => NocardError::BadDeviceSignature { code, reason },
            Error::DisclosureDigestMismatch => NocardError::DisclosureDigestMismatch { code, reason },
            Error::CredentialNotYetValid { not_before, now } => {
                NocardError::CredentialNotYetValid { code, reason, not_before, now }
            }
            Error::CredentialExpired { expires, now } => NocardError::CredentialExpired { code, reason, expires, now },
            Error::CredentialIssuedInFuture { issued_at, now } => {
                NocardError::CredentialIssuedInFuture { code, reason, issued_at, now }
            }
            Error::WindowNotYetValid { start, now } => NocardError::WindowNotYetValid { code, reason, start, now },
            Error::WindowExpired { end, now } => NocardError::WindowExpired { code, reason, end, now },
            Error::ChallengeMismatch { expected, found } => {
                NocardError::ChallengeMismatch { code, reason, expected, found }
            }
            Error::AudienceMismatch => NocardError::AudienceMismatch { code, reason },
            Error::AudienceMissing => NocardError::AudienceMissing { code, reason },
            Error::MissingRequiredClaim { name } => NocardError::MissingRequiredClaim { code, reason, name },
            Error::RequirementNotMet { name } => NocardError::RequirementNotMet { code, reason, name },
            Error::DocTypeNotAccepted => NocardError::DocTypeNotAccepted { code, reason },
            Error::Replayed { first_seen } => NocardError::Replayed { code, reason, first_seen },
            Error::ReplayCacheFull { capacity } => {
                NocardError::ReplayCacheFull { code, reason, capacity: capacity as u64 }
            }
            Error::IssuedOutsideKeyPeriod { issued_at } => {
                NocardError::IssuedOutsideKeyPeriod { code, reason, issued_at }
            }
            Error::IssuerKeyCompromised { compromised_at, issued_at } => {
                NocardError::IssuerKeyCompromised { code, reason, compromised_at, issued_at }
            }
            Error::TrustListStale { next_update } => NocardError::TrustListStale { code, reason, next_update },
            Error::SealRequired => NocardError::SealRequired { code, reason },
            Error::SealedNoGroupKey => NocardError::SealedNoGroupKey { code, reason },
            Error::SealedForOtherGroup { kid } => {
                NocardError::SealedForOtherGroup { code, reason, key_id: kid.to_string() }
            }
            Error::SealedOpenFailed => NocardError::SealedOpenFailed { code, reason },
            Error::InvalidConfig(c) => NocardError::InvalidConfig { code, reason, detail: c.code().into() },
            Error::InvalidKey(k) => NocardError::InvalidKey { code, reason, detail: k.code().into() },
            Error::Usage(UsageError::Signer(_)) => NocardError::Signer { code, reason },
            Error::Usage(_) => NocardError::Usage { code, reason },
        }
    }
}

impl From<TrustListError> for NocardError {
    fn from(e: TrustListError) -> Self {
        let code = String::from(e.code());
        let reason = e.to_string();
        match e {
            TrustListError::Malformed(m) => Error::Malformed(m).into(),
            TrustListError::UnknownRoot => NocardError::TrustListUnknownRoot { code, reason },
            TrustListError::BadSignature => NocardError::TrustListBadSignature { code, reason },
            TrustListError::Rollback { held, offered } => {
                NocardError::TrustListRollback { code, reason, held, offered }
            }
        }
    }
}

impl From<ConfigError> for NocardError {
    fn from(e: ConfigError) -> Self {
        Error::from(e).into()
    }
}

impl From<KeyError> for NocardError {
    fn from(e: KeyError) -> Self {
        Error::from(e).into()
    }
}

impl From<UsageError> for NocardError {
    fn from(e: UsageError) -> Self {
        Error::from(e).into()
    }
}

/// An exception a foreign [`DeviceSigner`] threw that is not a
/// `NocardError` (a `KeyStoreException`, a `RuntimeException`, a Python
/// `ValueError`): a signer failure, never a panic.
impl From<uniffi::UnexpectedUniFFICallbackError> for NocardError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        NocardError::signer(e.reason)
    }
}

/// The holder's device key, in the phone's keystore (Android Keystore,
/// Secure Enclave) or in software ([`software_signer`]).
///
/// ES256 (P-256): `public_key` returns the SEC1 point (65 or 33 bytes) or
/// the X.509 `SubjectPublicKeyInfo` DER that `java.security.PublicKey.encoded`
/// and `SecKeyCopyExternalRepresentation` give; `sign` signs the message
/// (SHA-256 inside, `SHA256withECDSA`) and returns DER or raw `r‖s`. nocard
/// normalises to low-S and verifies every signature against the public key
/// before it leaves the presenter. To refuse, throw: a `NocardError.Signer`
/// or any other exception becomes `NocardError.Signer`.
#[uniffi::export(rust, foreign)]
pub trait DeviceSigner: Send + Sync {
    /// The device public key the credential is bound to.
    fn public_key(&self) -> Result<Vec<u8>, NocardError>;
    /// Signs `message` with the device key.
    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, NocardError>;
}

/// A software P-256 device key, for tests and apps without a keystore.
struct SoftwareSigner(SecretKey);

impl DeviceSigner for SoftwareSigner {
    fn public_key(&self) -> Result<Vec<u8>, NocardError> {
        Ok(self.0.public_key().to_cose_key())
    }

    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, NocardError> {
        Ok(self.0.sign(&message).to_vec())
    }
}

/// A fresh software P-256 device key (OS randomness), or the one with these
/// 32 secret bytes.
#[uniffi::export]
pub fn software_signer(secret: Option<Vec<u8>>) -> Result<Arc<dyn DeviceSigner>, NocardError> {
    let key = match secret {
        Some(bytes) => SecretKey::from_bytes(Algorithm::Es256, &bytes)?,
        None => SecretKey::generate(Algorithm::Es256)?,
    };
    Ok(Arc::new(SoftwareSigner(key)))
}

/// The DER prefix of a P-256 `SubjectPublicKeyInfo` (RFC 5480) with an
/// uncompressed point: what Java's `PublicKey.getEncoded()` returns.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// A device public key: SEC1 P-256 point, P-256 `SubjectPublicKeyInfo`, or a COSE_Key.
fn parse_device_key(bytes: &[u8]) -> Result<PublicKey, NocardError> {
    if let Some(point) = bytes.strip_prefix(&P256_SPKI_PREFIX[..]) {
        return Ok(PublicKey::from_p256_sec1(point)?);
    }
    match bytes.first() {
        Some(0x02..=0x04) => Ok(PublicKey::from_p256_sec1(bytes)?),
        _ => Ok(PublicKey::from_cose_key(bytes)?),
    }
}

/// The core's view of a foreign signer: its key read (and checked) once.
struct SignerAdapter {
    signer: Arc<dyn DeviceSigner>,
    key: PublicKey,
}

impl SignerAdapter {
    fn new(signer: Arc<dyn DeviceSigner>) -> Result<Self, NocardError> {
        let key = parse_device_key(&signer.public_key()?)?;
        Ok(Self { signer, key })
    }
}

impl presentation::DeviceSigner for SignerAdapter {
    fn public_key(&self) -> PublicKey {
        self.key.clone()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        self.signer.sign(message.to_vec()).map_err(|e| SignerError(e.code_and_reason().1.into()))
    }
}

/// What to disclose.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Disclose {
    /// What a scene's profile asks for (`hotel_check_in`, `internet_cafe`, ...).
    Profile {
        /// The profile's name.
        name: String,
    },
    /// Exactly these claims, by name.
    Claims {
        /// Claim names.
        names: Vec<String>,
    },
}

fn profile(name: &str) -> Result<Profile, NocardError> {
    name.parse().map_err(|_| ConfigError::UnknownProfile(name.into()).into())
}

impl Disclose {
    fn to_core(&self) -> Result<CoreDisclose, NocardError> {
        Ok(match self {
            Disclose::Profile { name } => CoreDisclose::Profile(profile(name)?),
            Disclose::Claims { names } => CoreDisclose::Claims(names.clone()),
        })
    }
}

/// A credential in the wallet and the device key it is bound to.
#[derive(uniffi::Object)]
pub struct Holder {
    bundle: CredentialBundle,
    signer: Arc<dyn DeviceSigner>,
    core: CoreHolder<SignerAdapter>,
}

impl Holder {
    fn core_holder(
        bundle: CredentialBundle,
        signer: Arc<dyn DeviceSigner>,
    ) -> Result<CoreHolder<SignerAdapter>, NocardError> {
        Ok(CoreHolder::new(bundle, SignerAdapter::new(signer)?)?)
    }
}

#[uniffi::export]
impl Holder {
    /// A holder of the `NCC1:` credential text the issuer handed over,
    /// signing with `signer` (whose key the credential must be bound to).
    #[uniffi::constructor]
    pub fn new(credential: String, signer: Arc<dyn DeviceSigner>) -> Result<Arc<Self>, NocardError> {
        let bundle = CredentialBundle::from_text(credential.as_bytes())?;
        let core = Self::core_holder(bundle.clone(), signer.clone())?;
        Ok(Arc::new(Self { bundle, signer, core }))
    }

    /// The document type's name, e.g. `resident_id_card`.
    pub fn doc_type(&self) -> String {
        self.core.doc_type().name().into()
    }

    /// One presentation's `NC1:` text for the window of `window_secs`
    /// (5-300) containing `now`, optionally bound to a desk's challenge and
    /// addressed to one verifier.
    pub fn present(
        &self,
        disclose: Disclose,
        now: u64,
        window_secs: u16,
        challenge: Option<u32>,
        audience: Option<String>,
    ) -> Result<String, NocardError> {
        let mut builder = self.core.present(disclose.to_core()?).at(now).window_secs(window_secs);
        if let Some(c) = challenge {
            builder = builder.challenge(c);
        }
        if let Some(a) = &audience {
            builder = builder.audience(a);
        }
        Ok(builder.sign()?.to_text())
    }

    /// As [`Self::present`], with the holder's portrait to show after the
    /// presentation as fountain-coded `NCP1:` frames (SPEC.md §14). The
    /// desk checks the portrait against the `photo_digest` the presentation
    /// discloses, so `disclose` must include it (profiles `roadside_check`,
    /// `government_window`, or the claim by name).
    pub fn present_with_portrait(
        &self,
        disclose: Disclose,
        now: u64,
        window_secs: u16,
        challenge: Option<u32>,
        audience: Option<String>,
        portrait: Vec<u8>,
    ) -> Result<Arc<PortraitPresentation>, NocardError> {
        let mut builder = self.core.present(disclose.to_core()?).at(now).window_secs(window_secs);
        if let Some(c) = challenge {
            builder = builder.challenge(c);
        }
        if let Some(a) = &audience {
            builder = builder.audience(a);
        }
        let presentation = builder.sign()?;
        let sender = PortraitSender::new(&presentation, &portrait)?;
        Ok(Arc::new(PortraitPresentation { text: presentation.to_text(), sender }))
    }

    /// The 8-digit numeric check code of the 30 s step containing `now`
    /// (SPEC.md §12), to read out when no QR can be scanned; `None` when
    /// the credential was issued without one.
    pub fn numeric_code(&self, now: u64) -> Option<NumericCode> {
        let code = self.bundle.code_secret()?.code_at(now);
        Some(NumericCode { code: code.to_string(), step: code.step, seconds_left: code.seconds_left })
    }
}

/// A presentation and the portrait frames that follow it: show `text`
/// first, then frames `0, 1, 2, …` at about 10 a second until the desk has
/// the portrait (any `source_symbols` of them, or a few more, in any order).
#[derive(uniffi::Object)]
pub struct PortraitPresentation {
    text: String,
    sender: PortraitSender,
}

#[uniffi::export]
impl PortraitPresentation {
    /// The presentation's `NC1:` text.
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// `K`: the fewest frames that carry the portrait.
    pub fn source_symbols(&self) -> u32 {
        self.sender.source_symbols()
    }

    /// Frame `index` (0 to 16777215) as `NCP1:` text, for a QR code at
    /// error correction M.
    pub fn frame(&self, index: u32) -> Result<String, NocardError> {
        Ok(self.sender.frame(index)?)
    }
}

/// A numeric check code as the wallet shows it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NumericCode {
    /// Exactly 8 digits, leading zeros included.
    pub code: String,
    /// The time step, floor(now / 30).
    pub step: u64,
    /// Seconds until the next code, 1 to 30.
    pub seconds_left: u64,
}

/// The QR modules of one frame, for the app to draw at any size.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct QrModules {
    /// QR version, 1-40.
    pub version: u8,
    /// Modules per side, without the 4-module quiet zone the app adds.
    pub width: u32,
    /// `width * width` bytes row by row, 1 for dark, 0 for light.
    pub dark: Vec<u8>,
}

/// One frame of the rotating code.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Frame {
    /// The `NC1:` text the QR carries.
    pub text: String,
    /// The QR modules.
    pub qr: QrModules,
    /// First second of the presentation window (Unix seconds).
    pub window_start: u64,
    /// First second after it.
    pub window_end: u64,
    /// When to draw the next frame (Unix seconds).
    pub redraw_at: u64,
    /// Seconds from `now` until `redraw_at`.
    pub seconds_to_redraw: u64,
}

/// The code on the phone's screen, re-signed by the device key once a
/// window and redrawn just before it goes stale.
#[derive(uniffi::Object)]
pub struct RotatingPresenter {
    code: Mutex<RotatingCode<SignerAdapter>>,
}

impl RotatingPresenter {
    fn with_code<T>(&self, f: impl FnOnce(&mut RotatingCode<SignerAdapter>) -> T) -> T {
        // A panic while locked leaves at worst a stale cache, which the
        // next window replaces.
        f(&mut lock(&self.code))
    }
}

/// Locks `m`, poisoned or not: every object's state is whole between the
/// core's calls, so a panic caught in another call leaves nothing half done.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[uniffi::export]
impl RotatingPresenter {
    /// A rotating code of `holder`'s credential disclosing `disclose`, in
    /// windows of `window_secs` (5-300; checked at the first frame).
    #[uniffi::constructor]
    pub fn new(holder: Arc<Holder>, disclose: Disclose, window_secs: u16) -> Result<Arc<Self>, NocardError> {
        let core = Holder::core_holder(holder.bundle.clone(), holder.signer.clone())?;
        let code = RotatingCode::new(core, disclose.to_core()?).window_secs(window_secs).level(EcLevel::M);
        Ok(Arc::new(Self { code: Mutex::new(code) }))
    }

    /// Binds a desk's challenge (0-999999) into every frame from now on, or
    /// unbinds it; the current window is re-signed.
    pub fn set_challenge(&self, challenge: Option<u32>) {
        self.with_code(|code| code.set_challenge(challenge));
    }

    /// The frame to show at `now` (Unix seconds): the same inside a window,
    /// freshly signed when the window changes.
    pub fn frame(&self, now: u64) -> Result<Frame, NocardError> {
        self.with_code(|code| {
            let f = code.frame(now)?;
            let width = f.matrix.width();
            let dark = (0..width * width).map(|i| u8::from(f.matrix.is_dark(i % width, i / width))).collect();
            Ok(Frame {
                text: f.text.clone(),
                qr: QrModules { version: f.matrix.version(), width: width as u32, dark },
                window_start: f.window.start(),
                window_end: f.window.end(),
                redraw_at: f.redraw_at,
                seconds_to_redraw: f.redraw_at.saturating_sub(now),
            })
        })
    }

    /// The frame at `now` as a grayscale PNG, `module_px` pixels a module,
    /// quiet zone included.
    pub fn png(&self, now: u64, module_px: u32) -> Result<Vec<u8>, NocardError> {
        self.with_code(|code| Ok(code.frame(now)?.matrix.to_png(module_px)))
    }
}

/// The document types a trusted key may sign. There is no default: trusting
/// a key for every type is the explicit `AllTypes`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum KeyScope {
    /// Every type in the registry.
    AllTypes,
    /// Only these types, by name (not empty, no name twice).
    Types {
        /// Document type names.
        names: Vec<String>,
    },
}

impl KeyScope {
    fn to_core(&self) -> Result<verify::KeyScope, NocardError> {
        Ok(match self {
            KeyScope::AllTypes => verify::KeyScope::AllTypes,
            KeyScope::Types { names } => verify::KeyScope::types(names)?,
        })
    }
}

impl From<&verify::KeyScope> for KeyScope {
    fn from(s: &verify::KeyScope) -> Self {
        match s {
            verify::KeyScope::AllTypes => KeyScope::AllTypes,
            verify::KeyScope::Types(names) => KeyScope::Types { names: names.clone() },
        }
    }
}

/// An issuer key the verifier trusts, and what for.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TrustedIssuer {
    /// The issuer's name, the credentials' `iss` (1-64 bytes).
    pub issuer: String,
    /// Its public COSE_Key.
    pub public_key: Vec<u8>,
    /// The document types it may sign.
    pub scope: KeyScope,
    /// The key signs credentials issued (`iat`, else `nbf`; Unix seconds)
    /// from this time, if set (`issued_outside_key_period` otherwise).
    #[uniffi(default = None)]
    pub signs_from: Option<u64>,
    /// ... and before this time, if set.
    #[uniffi(default = None)]
    pub signs_until: Option<u64>,
    /// Credentials issued at or after this time are refused
    /// (`issuer_key_compromised`), if set.
    #[uniffi(default = None)]
    pub compromised_at: Option<u64>,
}

impl TrustedIssuer {
    fn to_core(&self) -> Result<TrustedKey, NocardError> {
        let entry = self.to_entry()?;
        Ok(entry.trusted_key()?)
    }

    fn to_entry(&self) -> Result<IssuerEntry, NocardError> {
        Ok(IssuerEntry {
            key: PublicKey::from_cose_key(&self.public_key)?,
            issuer: self.issuer.clone(),
            scope: self.scope.to_core()?,
            signs_from: self.signs_from,
            signs_until: self.signs_until,
            compromised_at: self.compromised_at,
        })
    }
}

impl From<&IssuerEntry> for TrustedIssuer {
    fn from(e: &IssuerEntry) -> Self {
        TrustedIssuer {
            issuer: e.issuer.clone(),
            public_key: e.key.to_cose_key(),
            scope: (&e.scope).into(),
            signs_from: e.signs_from,
            signs_until: e.signs_until,
            compromised_at: e.compromised_at,
        }
    }
}

/// What a verifier accepts beyond valid signatures. Every setting is checked
/// when the [`Verifier`] is built.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct Policy {
    /// The scene's profile (`hotel_check_in`, ...): accepts only its document
    /// types and requires its claims.
    #[uniffi(default = None)]
    pub profile: Option<String>,
    /// Further requirements, `NAME` (disclosed; a boolean must be true) or
    /// `NAME=VALUE`.
    #[uniffi(default = [])]
    pub requirements: Vec<String>,
    /// The audience presentations must be addressed to; without one,
    /// addressed presentations are refused.
    #[uniffi(default = None)]
    pub audience: Option<String>,
    /// The challenge (0-999999) presentations must carry.
    #[uniffi(default = None)]
    pub challenge: Option<u32>,
    /// Clock-skew tolerance in seconds (at most 300); the default is 10.
    #[uniffi(default = None)]
    pub clock_skew: Option<u64>,
    /// Refuse plain codes (`SealRequired`): only codes sealed to one of the
    /// verifier's group keys ([`Verifier::sealed`]) are verified.
    #[uniffi(default = false)]
    pub require_sealed: bool,
}

impl Policy {
    fn to_core(&self, registry: &Registry) -> Result<verify::Policy, NocardError> {
        let mut policy = verify::Policy::default();
        if let Some(name) = &self.profile {
            policy = policy.profile(profile(name)?);
        }
        for spec in &self.requirements {
            policy = policy.require(Requirement::parse(spec, registry)?);
        }
        if let Some(a) = &self.audience {
            policy = policy.audience(a)?;
        }
        if let Some(c) = self.challenge {
            policy = policy.challenge(c)?;
        }
        if let Some(s) = self.clock_skew {
            policy = policy.clock_skew(s)?;
        }
        if self.require_sealed {
            policy = policy.require_sealed();
        }
        Ok(policy)
    }
}

/// A presentation that passed every check.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Verification {
    /// Document type name, e.g. `resident_id_card`.
    pub doc_type: String,
    /// Document type title.
    pub doc_title: String,
    /// The credential's issuer.
    pub issuer: String,
    /// The issuer key's id, lowercase hex.
    pub key_id: String,
    /// Credential validity start (Unix seconds).
    pub not_before: u64,
    /// Credential validity end.
    pub expires: u64,
    /// When the credential was issued, if the issuer said.
    pub issued_at: Option<u64>,
    /// Presentation window start.
    pub window_start: u64,
    /// Presentation window end.
    pub window_end: u64,
    /// The challenge the presentation carries.
    pub challenge: Option<u32>,
    /// The audience the presentation names.
    pub audience: Option<String>,
    /// 32 bytes naming this presentation across re-encodings: a desk that
    /// has seen it already knows the code was scanned before.
    pub presentation_id: Vec<u8>,
    /// The disclosed claims.
    pub claims: Vec<Claim>,
    /// The signed trust list the issuer key came from, for a verifier made
    /// by [`Verifier::from_trust_store`].
    #[uniffi(default = None)]
    pub trust_list: Option<TrustListUse>,
    /// The group key id (lowercase hex) that opened a sealed code; `None`
    /// for a plain one.
    #[uniffi(default = None)]
    pub sealed_to: Option<String>,
}

/// The trust list that decided, as a result reports it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TrustListUse {
    /// The list's sequence number.
    pub sequence: u64,
    /// Whether it was past its next update: still accepted (the default),
    /// flagged so the operator sees it is time to fetch a new one.
    pub stale: bool,
}

/// The desk: checks scanned codes against trusted issuer keys and a policy,
/// offline.
#[derive(uniffi::Object)]
pub struct Verifier {
    core: verify::Verifier,
    /// The signed list the keys came from, and whether codes stand while it
    /// is stale.
    trust: Option<(trust_list::TrustList, StaleList)>,
}

#[uniffi::export]
impl Verifier {
    /// A verifier trusting `issuers` under `policy`; the configuration is
    /// checked as a whole (`InvalidConfig` says what is wrong).
    #[uniffi::constructor]
    pub fn new(issuers: Vec<TrustedIssuer>, policy: Policy) -> Result<Arc<Self>, NocardError> {
        let keys = issuers.iter().map(TrustedIssuer::to_core).collect::<Result<_, _>>()?;
        Self::with_keys(keys, Vec::new(), policy, None)
    }

    /// A verifier that also holds scanner-group keys, so it opens codes
    /// sealed to those groups (SPEC.md §13) before verifying them; with
    /// `policy.require_sealed` it refuses plain codes.
    #[uniffi::constructor]
    pub fn sealed(
        issuers: Vec<TrustedIssuer>,
        group_keys: Vec<Arc<GroupKey>>,
        policy: Policy,
    ) -> Result<Arc<Self>, NocardError> {
        let keys = issuers.iter().map(TrustedIssuer::to_core).collect::<Result<_, _>>()?;
        Self::with_keys(keys, group_keys.iter().map(|k| k.key.clone()).collect(), policy, None)
    }

    /// Verifies a scanned `NC1:` text at `now` (Unix seconds).
    pub fn verify(&self, text: String, now: u64) -> Result<Verification, NocardError> {
        let (verified, trust) = self.verified(&text, now)?;
        Ok(Verification::new(verified, trust))
    }
}

impl Verifier {
    fn with_keys(
        keys: Vec<TrustedKey>,
        group_keys: Vec<GroupSecretKey>,
        policy: Policy,
        trust: Option<(trust_list::TrustList, StaleList)>,
    ) -> Result<Arc<Self>, NocardError> {
        let registry = Registry::builtin();
        let policy = policy.to_core(&registry)?;
        Ok(Arc::new(Self { core: verify::Verifier::with_group_keys(registry, keys, group_keys, policy)?, trust }))
    }

    /// The core verification, then the trust list's freshness (SPEC.md §10),
    /// in the order the CLI checks them.
    fn verified(&self, text: &str, now: u64) -> Result<(verify::Verified, Option<TrustListUse>), NocardError> {
        let verified = self.core.verify(text.as_bytes(), now)?;
        let trust = match &self.trust {
            Some((list, stale)) => {
                Some(TrustListUse { sequence: list.sequence, stale: list.check_fresh(now, *stale)? })
            }
            None => None,
        };
        Ok((verified, trust))
    }
}

impl Verification {
    fn new(v: verify::Verified, trust_list: Option<TrustListUse>) -> Self {
        Verification {
            doc_type: v.doc_type,
            doc_title: v.doc_title,
            issuer: v.issuer,
            key_id: v.key_id.to_string(),
            not_before: v.not_before,
            expires: v.expires,
            issued_at: v.issued_at,
            window_start: v.window.start(),
            window_end: v.window.end(),
            challenge: v.challenge,
            audience: v.audience,
            presentation_id: v.presentation_id.to_vec(),
            claims: v.claims.into_iter().map(Claim::from).collect(),
            trust_list,
            sealed_to: v.sealed_to.map(|kid| kid.to_string()),
        }
    }
}

/// A scanner group's key pair (SPEC.md §13): its secret half opens the
/// codes holders seal to its public half. `Debug` never shows the secret.
#[derive(Debug, uniffi::Object)]
pub struct GroupKey {
    key: GroupSecretKey,
}

#[uniffi::export]
impl GroupKey {
    /// The group key from its secret COSE_Key (`nocard keygen --alg x25519`).
    #[uniffi::constructor]
    pub fn new(secret_key: Vec<u8>) -> Result<Arc<Self>, NocardError> {
        let secret_key = Zeroizing::new(secret_key);
        Ok(Arc::new(Self { key: GroupSecretKey::from_cose_key(&secret_key)? }))
    }

    /// The public COSE_Key holders seal to ([`seal_presentation`]).
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key().to_cose_key()
    }

    /// The key id sealed codes name, lowercase hex.
    pub fn key_id(&self) -> String {
        self.key.id().to_string()
    }
}

/// Seals a presentation's `NC1:` text to a scanner group's public COSE_Key
/// (SPEC.md §13), with a fresh ephemeral key and IV: the `NCS1:` text only
/// that group's scanners can read.
#[uniffi::export]
pub fn seal_presentation(presentation: String, group_public_key: Vec<u8>) -> Result<String, NocardError> {
    let group = GroupPublicKey::from_cose_key(&group_public_key)?;
    let bytes = text::decode(TextKind::Presentation, presentation.as_bytes())?;
    Ok(seal::seal(&bytes, &group)?.to_text())
}

/// An issuing authority, for tests, demos and issuance back ends.
#[derive(uniffi::Object)]
pub struct Issuer {
    core: CoreIssuer,
}

#[uniffi::export]
impl Issuer {
    /// An issuer named `name` (1-64 bytes) with a fresh Ed25519 key.
    #[uniffi::constructor]
    pub fn generate(name: String) -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { core: CoreIssuer::new(&name, SecretKey::generate(Algorithm::EdDsa)?)? }))
    }

    /// An issuer named `name` signing with the secret COSE_Key `secret_key`.
    #[uniffi::constructor]
    pub fn new(name: String, secret_key: Vec<u8>) -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { core: CoreIssuer::new(&name, SecretKey::from_cose_key(&secret_key)?)? }))
    }

    /// The issuer's public COSE_Key, for verifiers to trust.
    pub fn public_key(&self) -> Vec<u8> {
        self.core.public_key().to_cose_key()
    }

    /// A credential of `doc_type` bound to `device_public_key` (as a
    /// [`DeviceSigner`] returns it), valid `[not_before, expires)`, as the
    /// `NCC1:` text the wallet keeps. `claims`: the input claims, or `None`
    /// for the type's example claims. `status`: its entry in one of this
    /// issuer's status lists ([`Issuer::sign_status_list`]), if it can be
    /// revoked. `credential_id`: its `cti`, 1-32 bytes. `code_key`: the
    /// issuer's 32-byte numeric-code key, to give the credential a numeric
    /// check code (needs `credential_id`).
    #[uniffi::method(default(status = None, credential_id = None, code_key = None))]
    #[allow(clippy::too_many_arguments)] // The foreign side names them; defaults keep calls short.
    pub fn issue(
        &self,
        doc_type: String,
        device_public_key: Vec<u8>,
        claims: Option<Vec<Claim>>,
        not_before: u64,
        expires: u64,
        status: Option<StatusRef>,
        credential_id: Option<Vec<u8>>,
        code_key: Option<Vec<u8>>,
    ) -> Result<String, NocardError> {
        let registry = Registry::builtin();
        let doc = registry.by_name(&doc_type).ok_or_else(|| ConfigError::UnknownDocTypeName(doc_type.clone()))?;
        let claims = match claims {
            Some(claims) => claims.into_iter().map(Claim::into_core).collect::<Result<_, _>>()?,
            None => doc.example_claims(),
        };
        let device = parse_device_key(&device_public_key)?;
        let mut credential = self.core.credential(doc, &device, claims).validity(not_before, expires);
        if let Some(StatusRef { list_id, index }) = status {
            credential = credential.status(credential::StatusRef { list: list_id, index });
        }
        if let Some(id) = &credential_id {
            credential = credential.id(id);
        }
        let code_key = match code_key {
            Some(bytes) => {
                Some(CodeKey::from_bytes(bytes.try_into().map_err(|b: Vec<u8>| UsageError::CodeKeyLength(b.len()))?))
            }
            None => None,
        };
        if let Some(key) = &code_key {
            credential = credential.numeric_code(key);
        }
        let bundle = credential.sign()?;
        Ok(bundle.to_text())
    }
}

/// Example claims of a document type, as [`Issuer::issue`] takes them.
#[uniffi::export]
pub fn example_claims(doc_type: String) -> Result<Vec<Claim>, NocardError> {
    let registry = Registry::builtin();
    let doc = registry.by_name(&doc_type).ok_or(ConfigError::UnknownDocTypeName(doc_type))?;
    Ok(doc.example_claims().into_iter().map(Claim::from).collect())
}

#[cfg(test)]
mod tests;
