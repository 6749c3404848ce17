//! One result code for every way a C call can end, and their texts.

use core::ffi::{CStr, c_char, c_uint};

use super::panic::{ffi_panic_boundary, try_ok};
use super::text::OutText;
use crate::error::{ConfigError, Error};
use crate::portrait::PortraitError;
use crate::receipt::ReceiptError;
use crate::state_file::StateFileError;
use crate::status_list::StatusError;
use crate::trust_list::TrustListError;
use crate::visitor_log::LogError;

/// What a nocard C function reports: `NOCARD_RESULT_OK` (0) or why not.
///
/// Values are fixed forever: a code that is retired stays reserved and is
/// never given to anything else. 1–99 are mistakes by the calling program
/// found by the C layer; 100–199 are the Rust `Error::code()` values, one per
/// variant, whose names (see `nocard_result_code_name`) are exactly the codes
/// of SPEC.md §6 that the CLI JSON and the Rust API report, followed (131 on)
/// by the trust store's refusals of a list (`TrustListError::code()`; its
/// `malformed` is 100), `trust_list_missing`, and the status lists'
/// (`StatusError::code()`; its `malformed` is 100, `usage` 120, and a
/// damaged saved store has the 300–399 code of the damage); 200–299 are the kinds of
/// refused configuration (`invalid_config` in Rust, with the detail
/// `ConfigError::code()`), named `config_` + that detail, so the code says
/// which setting is wrong; 300–399 are the ways a saved state (replay cache,
/// trust store, status store) is refused, named by `StateFileError::code()`;
/// 400–499 are why a camera frame gave no code to verify; 540–569 are the
/// refusals of a receipt or a visitor log (`ReceiptError::code()`,
/// `LogError::code()`).
/// 400–499 are why a camera frame gave no code to verify; 520–539 are the
/// portrait receiver's refusals, named by `PortraitError::code()`.
///
/// Functions that take a result code take it as `unsigned int`, so a value
/// that is not listed here is safe to pass.
///
/// Ownership: a plain value.
///
/// Thread safety: a plain value.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nocard_result {
    /// Success; for a verification: the presentation is valid.
    Ok = 0,

    // Mistakes by the calling program (1–99).
    /// A pointer argument that must not be NULL was NULL.
    NullParameter = 1,
    /// The caller's buffer cannot hold the text and its NUL; `*out_len` has the length needed.
    BufferTooSmall = 2,
    /// nocard panicked; please report it. Nothing was written.
    Panic = 3,
    /// A string argument is not UTF-8.
    InvalidUtf8 = 4,
    /// The profile name is not one nocard knows.
    UnknownProfile = 5,
    /// The verification object holds no valid presentation: none verified yet, or the last one was rejected.
    NotVerified = 6,
    /// No such claim, index or optional field in this verification.
    NotFound = 7,
    /// A length or count argument is over its limit (`NOCARD_MAX_KEY_LEN`, `NOCARD_MAX_NAMES`), often `strlen(s) - 1` of an empty string; nothing was read.
    TooLong = 8,
    /// An issuer key given both `all_types` and a list of document types: say one or the other.
    AmbiguousKeyScope = 9,
    /// A numeric argument is outside its documented range (a frame time budget outside 1-10000 ms).
    OutOfRange = 10,
    /// A camera frame's format is not a `nocard_frame_format` value.
    UnknownFrameFormat = 11,

    // Rust `Error` variants (100–199), named by `Error::code()`.
    /// `malformed`: not a well-formed nocard object (the verification's detail says what and where).
    Malformed = 100,
    /// `unsupported_version`: the text names a format version this build does not read.
    UnsupportedVersion = 101,
    /// `unknown_key`: no trusted issuer key has the credential's key id.
    UnknownKey = 102,
    /// `algorithm_not_allowed`: the algorithm is unknown or not allowed by the policy.
    AlgorithmNotAllowed = 103,
    /// `algorithm_mismatch`: a header's algorithm does not fit the key it names.
    AlgorithmMismatch = 104,
    /// `key_not_allowed_for_doc_type`: the issuer key is not trusted for this document type.
    KeyNotAllowedForDocType = 105,
    /// `issuer_key_not_valid`: the issuer key is trusted only outside the current time.
    IssuerKeyNotValid = 106,
    /// `issuer_mismatch`: the credential's issuer is not the one the key belongs to.
    IssuerMismatch = 107,
    /// `unknown_doc_type`: the document type is not in the verifier's registry.
    UnknownDocType = 108,
    /// `bad_issuer_signature`: the issuer's signature does not verify (tampered).
    BadIssuerSignature = 109,
    /// `bad_device_signature`: the holder device's signature does not verify.
    BadDeviceSignature = 110,
    /// `disclosure_digest_mismatch`: a disclosed claim is not among those the issuer signed.
    DisclosureDigestMismatch = 111,
    /// `credential_not_yet_valid`: the credential's validity has not started.
    CredentialNotYetValid = 112,
    /// `credential_expired`: the credential's validity has ended.
    CredentialExpired = 113,
    /// `window_not_yet_valid`: the presentation window starts in the future.
    WindowNotYetValid = 114,
    /// `window_expired`: the presentation window is over (a stale screenshot or photo).
    WindowExpired = 115,
    /// `challenge_mismatch`: the presentation does not carry the expected challenge.
    ChallengeMismatch = 116,
    /// `audience_mismatch`: the presentation is addressed to another verifier.
    AudienceMismatch = 117,
    /// `missing_required_claim`: a claim the policy requires is not disclosed.
    MissingRequiredClaim = 118,
    /// `invalid_key`: a COSE_Key is not a usable key.
    InvalidKey = 119,
    /// `usage`: the calling program asked for something impossible.
    Usage = 120,
    /// `doc_type_not_accepted`: the profile does not accept this document type.
    DocTypeNotAccepted = 121,
    /// `requirement_not_met`: a required claim does not have the required value.
    RequirementNotMet = 122,
    /// `audience_missing`: presentation names no audience, the verifier requires one.
    AudienceMissing = 123,
    /// `credential_issued_in_future`: credential issue time is in the future.
    CredentialIssuedInFuture = 124,
    /// `invalid_config`: the verifier configuration is refused. The C API reports the kind instead: a `NOCARD_RESULT_CONFIG_*` code (200–299) or `NOCARD_RESULT_UNKNOWN_PROFILE`.
    InvalidConfig = 125,
    /// `replayed`: the presentation was already accepted in its window.
    Replayed = 126,
    /// `replay_cache_full`: the replay cache is full of live presentations.
    ReplayCacheFull = 127,
    /// `issued_outside_key_period`: the credential was issued outside its issuer key's signing period.
    IssuedOutsideKeyPeriod = 128,
    /// `issuer_key_compromised`: the credential was issued after its issuer key was compromised.
    IssuerKeyCompromised = 129,
    /// `trust_list_stale`: the trust list is past its next update and stale lists are refused.
    TrustListStale = 130,
    /// `trust_list_unknown_root`: the trust list is not signed by a current root key of the store.
    TrustListUnknownRoot = 131,
    /// `trust_list_bad_signature`: the trust list's signature does not verify (its contents were altered).
    TrustListBadSignature = 132,
    /// `trust_list_rollback`: the trust list is not newer than the one the store holds.
    TrustListRollback = 133,
    /// `trust_list_missing`: the trust store holds no trust list yet.
    TrustListMissing = 134,
    /// `status_list_unknown_key`: a status list is signed by no key trusted for the issuer it names.
    StatusListUnknownKey = 135,
    /// `status_list_bad_signature`: a status list's signature does not verify (its contents were altered).
    StatusListBadSignature = 136,
    /// `status_list_rollback`: a status list is not newer than the one held for the same issuer and list id.
    StatusListRollback = 137,
    /// `status_store_full`: the status store would hold more than 1024 lists or 16 MiB of inflated lists.
    StatusStoreFull = 138,
    /// `credential_revoked`: the credential's status list entry says revoked.
    CredentialRevoked = 139,
    /// `credential_suspended`: the credential's status list entry says suspended.
    CredentialSuspended = 140,
    /// `credential_status_unknown`: the credential's status list entry is 3 (application-specific), which nocard gives no meaning.
    CredentialStatusUnknown = 141,
    /// `status_list_missing`: no status list is held for the credential's issuer and list id, and the store refuses such credentials.
    StatusListMissing = 142,
    /// `status_index_out_of_range`: the credential's index is beyond its status list.
    StatusIndexOutOfRange = 143,
    /// `status_list_expired`: the status list is past its expiry.
    StatusListExpired = 144,

    // Refused configuration (200–299): `invalid_config`, one code per
    // detail, named `config_` + the Rust `ConfigError::code()`.
    /// `clock_skew`: a clock skew above 300 seconds.
    ConfigClockSkew = 200,
    /// `challenge`: a challenge above 999999.
    ConfigChallenge = 201,
    /// `audience`: an audience of 0 or more than 64 bytes.
    ConfigAudience = 202,
    /// `no_algorithms`: no algorithm allowed.
    ConfigNoAlgorithms = 203,
    /// `empty_key_scope`: an issuer key with no document types and not `all_types`.
    ConfigEmptyKeyScope = 204,
    /// `duplicate_scope_type`: a document type named twice in one key's list.
    ConfigDuplicateScopeType = 205,
    /// `issuer_name`: an issuer name of 0 or more than 64 bytes.
    ConfigIssuerName = 206,
    /// `key_validity`: an empty key validity interval.
    ConfigKeyValidity = 207,
    /// `duplicate_key`: the same issuer key (key id) added twice.
    ConfigDuplicateKey = 208,
    /// `unknown_doc_type_name`: a key's document type list names a type nocard does not know.
    ConfigUnknownDocTypeName = 209,
    /// `unknown_claim_name`: a required claim that no accepted document type has.
    ConfigUnknownClaimName = 210,
    /// `requirement_value`: a required `NAME=VALUE` whose value does not fit the claim's type.
    ConfigRequirementValue = 211,
    /// `replay_capacity`: a replay cache capacity of 0 or above 1048576.
    ConfigReplayCapacity = 212,
    /// `trust_roots`: a trust store with no root key, more than 8, or one twice.
    ConfigTrustRoots = 213,

    // A saved state refused (300–399), named by the Rust `StateFileError::code()`.
    /// `state_truncated`: the saved state is shorter than its header and checksum.
    StateTruncated = 300,
    /// `state_wrong_kind`: not this kind of nocard state (a trust store's bytes given as a replay cache, or not nocard's).
    StateWrongKind = 301,
    /// `state_version`: a state format version this library does not read.
    StateVersion = 302,
    /// `state_checksum`: the checksum does not match: the state was cut short or altered.
    StateChecksum = 303,
    /// `state_invalid`: checksummed, but the contents are not a valid state.
    StateInvalid = 304,

    // Reading a camera frame (400–499, `nocard_verifier_verify_camera_frame`),
    // named by `ScanError::code()` where the Rust scanner has one.
    /// `no_code`: the frame holds no nocard code; nothing was verified.
    NoCode = 400,
    /// `several_codes`: the frame holds more than one nocard code (two phones in view); nothing was verified.
    SeveralCodes = 401,
    /// `scan_budget_exceeded`: the frame needs more work than its budget allows and was not fully searched.
    ScanBudgetExceeded = 402,
    /// `empty_image`: the frame's width or height is 0.
    EmptyImage = 403,
    /// `image_too_large`: the frame's width or height is over 8192.
    ImageTooLarge = 404,
    /// `stride_too_small`: the row stride is shorter than a row.
    StrideTooSmall = 405,
    /// `buffer_too_short`: the buffer is shorter than the rows its format and strides need.
    BufferTooShort = 406,
    /// `bad_pixel_stride`: a luma plane's pixel stride is 0 or over 8.
    BadPixelStride = 407,

    // Sealed codes (500–519, SPEC.md §13): 500–503 are the Rust
    // `Error::code()`, 504–505 `config_` + `ConfigError::code()`.
    /// `seal_required`: the verifier requires sealed codes and this one is plain.
    SealRequired = 500,
    /// `sealed_no_group_key`: a sealed code, and the verifier holds no group key.
    SealedNoGroupKey = 501,
    /// `sealed_for_other_group`: the code is sealed to a group key the verifier does not hold.
    SealedForOtherGroup = 502,
    /// `sealed_open_failed`: the named group key does not open the code: it was altered.
    SealedOpenFailed = 503,
    /// `duplicate_group_key`: the same group key added twice.
    ConfigDuplicateGroupKey = 504,
    /// `seal_without_group_key`: sealed codes required, but no group key added.
    ConfigSealWithoutGroupKey = 505,
    // Portrait reception (520–539, `nocard_portrait_receiver`), named by
    // `PortraitError::code()` (SPEC.md §14.5); its text errors are 100 and 101.
    /// `portrait_frame_malformed`: a portrait frame's bytes break SPEC.md §14.2; the frame is refused.
    PortraitFrameMalformed = 520,
    /// `portrait_too_large`: a portrait above 16384 bytes, announced by a frame; the frame is refused.
    PortraitTooLarge = 521,
    /// `portrait_other_presentation`: the frame belongs to another presentation's portrait (frames of two presentations mixed); the frame is refused.
    PortraitOtherPresentation = 522,
    /// `portrait_header_mismatch`: the frame announces another portrait length or symbol size than the frames before; the frame is refused.
    PortraitHeaderMismatch = 523,
    /// `portrait_not_disclosed`: the verified presentation does not disclose photo_digest: ask for a profile that does.
    PortraitNotDisclosed = 524,
    /// `portrait_digest_claim_invalid`: the disclosed photo_digest is not 32 bytes.
    PortraitDigestClaimInvalid = 525,
    /// `portrait_digest_mismatch`: the rebuilt portrait is not the one the presentation signs: show nothing; the transfer is over.
    PortraitDigestMismatch = 526,
    /// `portrait_frame_limit`: more frames fed than the receiver's limit; the transfer is over.
    PortraitFrameLimit = 527,
    /// `portrait_symbol_limit`: K + 32 distinct symbols held and the portrait does not decode; the transfer is over.
    PortraitSymbolLimit = 528,
    /// `portrait_frame_limit_out_of_range`: a frame limit outside 1-100000, refused when set.
    PortraitFrameLimitOutOfRange = 529,
    /// `portrait_incomplete`: the portrait is not complete: more frames are needed, or the transfer ended in an error.
    PortraitIncomplete = 530,
    /// `portrait_empty`: an empty portrait given to a sender.
    PortraitEmpty = 531,
    /// `portrait_symbol_size_out_of_range`: a symbol size outside 16-1024, refused when set.
    PortraitSymbolSizeOutOfRange = 532,
    /// `portrait_frame_index_out_of_range`: a frame index above 2^24 - 1 asked of a sender.
    PortraitFrameIndexOutOfRange = 533,
    // Receipts and the visitor log (540–569), named by `ReceiptError::code()`
    // and `LogError::code()`.
    /// `not_a_receipt`: a COSE_Sign1 that is not a receipt (a presentation, credential or status list) given as one.
    NotAReceipt = 540,
    /// `receipt_unknown_desk_key`: the receipt is signed by no trusted desk key.
    ReceiptUnknownDeskKey = 541,
    /// `receipt_bad_signature`: the receipt's signature does not verify (it was altered).
    ReceiptBadSignature = 542,
    /// `log_wrong_kind`: not a nocard visitor log.
    LogWrongKind = 543,
    /// `log_version`: a visitor log version this library does not read.
    LogVersion = 544,
    /// `log_too_large`: a visitor log over 64 MiB or 1048576 records.
    LogTooLarge = 545,
    /// `log_entry_malformed`: a log record no writer produces (its length, kind or content size).
    LogEntryMalformed = 546,
    /// `log_entry_edited`: a log record was edited: it does not match its hash or its chain.
    LogEntryEdited = 547,
    /// `log_entry_deleted`: log records are missing from the chain.
    LogEntryDeleted = 548,
    /// `log_entry_reordered`: a log record is out of order (moved or repeated).
    LogEntryReordered = 549,
    /// `log_checkpoint_unknown_key`: a log checkpoint is signed by no trusted desk key.
    LogCheckpointUnknownKey = 550,
    /// `log_checkpoint_bad_signature`: a log checkpoint's signature does not verify.
    LogCheckpointBadSignature = 551,
    /// `log_purge_unsigned`: the log does not start at its beginning and no signed checkpoint says where it starts.
    LogPurgeUnsigned = 552,
    /// `log_truncated`: the log ends before the seq the caller knows it reached.
    LogTruncated = 553,
}

impl nocard_result {
    /// Every code, for looking one up by value.
    pub(crate) const ALL: [nocard_result; 118] = [
        Self::Ok,
        Self::NullParameter,
        Self::BufferTooSmall,
        Self::Panic,
        Self::InvalidUtf8,
        Self::UnknownProfile,
        Self::NotVerified,
        Self::NotFound,
        Self::TooLong,
        Self::AmbiguousKeyScope,
        Self::OutOfRange,
        Self::UnknownFrameFormat,
        Self::Malformed,
        Self::UnsupportedVersion,
        Self::UnknownKey,
        Self::AlgorithmNotAllowed,
        Self::AlgorithmMismatch,
        Self::KeyNotAllowedForDocType,
        Self::IssuerKeyNotValid,
        Self::IssuerMismatch,
        Self::UnknownDocType,
        Self::BadIssuerSignature,
        Self::BadDeviceSignature,
        Self::DisclosureDigestMismatch,
        Self::CredentialNotYetValid,
        Self::CredentialExpired,
        Self::WindowNotYetValid,
        Self::WindowExpired,
        Self::ChallengeMismatch,
        Self::AudienceMismatch,
        Self::MissingRequiredClaim,
        Self::InvalidKey,
        Self::Usage,
        Self::DocTypeNotAccepted,
        Self::RequirementNotMet,
        Self::AudienceMissing,
        Self::CredentialIssuedInFuture,
        Self::InvalidConfig,
        Self::Replayed,
        Self::ReplayCacheFull,
        Self::IssuedOutsideKeyPeriod,
        Self::IssuerKeyCompromised,
        Self::TrustListStale,
        Self::TrustListUnknownRoot,
        Self::TrustListBadSignature,
        Self::TrustListRollback,
        Self::TrustListMissing,
        Self::StatusListUnknownKey,
        Self::StatusListBadSignature,
        Self::StatusListRollback,
        Self::StatusStoreFull,
        Self::CredentialRevoked,
        Self::CredentialSuspended,
        Self::CredentialStatusUnknown,
        Self::StatusListMissing,
        Self::StatusIndexOutOfRange,
        Self::StatusListExpired,
        Self::ConfigClockSkew,
        Self::ConfigChallenge,
        Self::ConfigAudience,
        Self::ConfigNoAlgorithms,
        Self::ConfigEmptyKeyScope,
        Self::ConfigDuplicateScopeType,
        Self::ConfigIssuerName,
        Self::ConfigKeyValidity,
        Self::ConfigDuplicateKey,
        Self::ConfigUnknownDocTypeName,
        Self::ConfigUnknownClaimName,
        Self::ConfigRequirementValue,
        Self::ConfigReplayCapacity,
        Self::ConfigTrustRoots,
        Self::StateTruncated,
        Self::StateWrongKind,
        Self::StateVersion,
        Self::StateChecksum,
        Self::StateInvalid,
        Self::NoCode,
        Self::SeveralCodes,
        Self::ScanBudgetExceeded,
        Self::EmptyImage,
        Self::ImageTooLarge,
        Self::StrideTooSmall,
        Self::BufferTooShort,
        Self::BadPixelStride,
        Self::SealRequired,
        Self::SealedNoGroupKey,
        Self::SealedForOtherGroup,
        Self::SealedOpenFailed,
        Self::ConfigDuplicateGroupKey,
        Self::ConfigSealWithoutGroupKey,
        Self::PortraitFrameMalformed,
        Self::PortraitTooLarge,
        Self::PortraitOtherPresentation,
        Self::PortraitHeaderMismatch,
        Self::PortraitNotDisclosed,
        Self::PortraitDigestClaimInvalid,
        Self::PortraitDigestMismatch,
        Self::PortraitFrameLimit,
        Self::PortraitSymbolLimit,
        Self::PortraitFrameLimitOutOfRange,
        Self::PortraitIncomplete,
        Self::PortraitEmpty,
        Self::PortraitSymbolSizeOutOfRange,
        Self::PortraitFrameIndexOutOfRange,
        Self::NotAReceipt,
        Self::ReceiptUnknownDeskKey,
        Self::ReceiptBadSignature,
        Self::LogWrongKind,
        Self::LogVersion,
        Self::LogTooLarge,
        Self::LogEntryMalformed,
        Self::LogEntryEdited,
        Self::LogEntryDeleted,
        Self::LogEntryReordered,
        Self::LogCheckpointUnknownKey,
        Self::LogCheckpointBadSignature,
        Self::LogPurgeUnsigned,
        Self::LogTruncated,
    ];

    /// The code with this value, if there is one.
    pub(crate) fn from_value(value: c_uint) -> Option<Self> {
        Self::ALL.into_iter().find(|code| *code as c_uint == value)
    }

    /// The code's stable snake_case name; for 100–199 the `Error::code()` string.
    pub(crate) fn name(self) -> &'static CStr {
        match self {
            Self::Ok => c"ok",
            Self::NullParameter => c"null_parameter",
            Self::BufferTooSmall => c"buffer_too_small",
            Self::Panic => c"panic",
            Self::InvalidUtf8 => c"invalid_utf8",
            Self::UnknownProfile => c"unknown_profile",
            Self::NotVerified => c"not_verified",
            Self::NotFound => c"not_found",
            Self::TooLong => c"too_long",
            Self::AmbiguousKeyScope => c"ambiguous_key_scope",
            Self::OutOfRange => c"out_of_range",
            Self::UnknownFrameFormat => c"unknown_frame_format",
            Self::Malformed => c"malformed",
            Self::UnsupportedVersion => c"unsupported_version",
            Self::UnknownKey => c"unknown_key",
            Self::AlgorithmNotAllowed => c"algorithm_not_allowed",
            Self::AlgorithmMismatch => c"algorithm_mismatch",
            Self::KeyNotAllowedForDocType => c"key_not_allowed_for_doc_type",
            Self::IssuerKeyNotValid => c"issuer_key_not_valid",
            Self::IssuerMismatch => c"issuer_mismatch",
            Self::UnknownDocType => c"unknown_doc_type",
            Self::BadIssuerSignature => c"bad_issuer_signature",
            Self::BadDeviceSignature => c"bad_device_signature",
            Self::DisclosureDigestMismatch => c"disclosure_digest_mismatch",
            Self::CredentialNotYetValid => c"credential_not_yet_valid",
            Self::CredentialExpired => c"credential_expired",
            Self::WindowNotYetValid => c"window_not_yet_valid",
            Self::WindowExpired => c"window_expired",
            Self::ChallengeMismatch => c"challenge_mismatch",
            Self::AudienceMismatch => c"audience_mismatch",
            Self::MissingRequiredClaim => c"missing_required_claim",
            Self::InvalidKey => c"invalid_key",
            Self::Usage => c"usage",
            Self::DocTypeNotAccepted => c"doc_type_not_accepted",
            Self::RequirementNotMet => c"requirement_not_met",
            Self::AudienceMissing => c"audience_missing",
            Self::CredentialIssuedInFuture => c"credential_issued_in_future",
            Self::InvalidConfig => c"invalid_config",
            Self::Replayed => c"replayed",
            Self::ReplayCacheFull => c"replay_cache_full",
            Self::IssuedOutsideKeyPeriod => c"issued_outside_key_period",
            Self::IssuerKeyCompromised => c"issuer_key_compromised",
            Self::TrustListStale => c"trust_list_stale",
            Self::TrustListUnknownRoot => c"trust_list_unknown_root",
            Self::TrustListBadSignature => c"trust_list_bad_signature",
            Self::TrustListRollback => c"trust_list_rollback",
            Self::TrustListMissing => c"trust_list_missing",
            Self::StatusListUnknownKey => c"status_list_unknown_key",
            Self::StatusListBadSignature => c"status_list_bad_signature",
            Self::StatusListRollback => c"status_list_rollback",
            Self::StatusStoreFull => c"status_store_full",
            Self::CredentialRevoked => c"credential_revoked",
            Self::CredentialSuspended => c"credential_suspended",
            Self::CredentialStatusUnknown => c"credential_status_unknown",
            Self::StatusListMissing => c"status_list_missing",
            Self::StatusIndexOutOfRange => c"status_index_out_of_range",
            Self::StatusListExpired => c"status_list_expired",
            Self::ConfigClockSkew => c"config_clock_skew",
            Self::ConfigChallenge => c"config_challenge",
            Self::ConfigAudience => c"config_audience",
            Self::ConfigNoAlgorithms => c"config_no_algorithms",
            Self::ConfigEmptyKeyScope => c"config_empty_key_scope",
            Self::ConfigDuplicateScopeType => c"config_duplicate_scope_type",
            Self::ConfigIssuerName => c"config_issuer_name",
            Self::ConfigKeyValidity => c"config_key_validity",
            Self::ConfigDuplicateKey => c"config_duplicate_key",
            Self::ConfigUnknownDocTypeName => c"config_unknown_doc_type_name",
            Self::ConfigUnknownClaimName => c"config_unknown_claim_name",
            Self::ConfigRequirementValue => c"config_requirement_value",
            Self::ConfigReplayCapacity => c"config_replay_capacity",
            Self::ConfigTrustRoots => c"config_trust_roots",
            Self::StateTruncated => c"state_truncated",
            Self::StateWrongKind => c"state_wrong_kind",
            Self::StateVersion => c"state_version",
            Self::StateChecksum => c"state_checksum",
            Self::StateInvalid => c"state_invalid",
            Self::NoCode => c"no_code",
            Self::SeveralCodes => c"several_codes",
            Self::ScanBudgetExceeded => c"scan_budget_exceeded",
            Self::EmptyImage => c"empty_image",
            Self::ImageTooLarge => c"image_too_large",
            Self::StrideTooSmall => c"stride_too_small",
            Self::BufferTooShort => c"buffer_too_short",
            Self::BadPixelStride => c"bad_pixel_stride",
            Self::SealRequired => c"seal_required",
            Self::SealedNoGroupKey => c"sealed_no_group_key",
            Self::SealedForOtherGroup => c"sealed_for_other_group",
            Self::SealedOpenFailed => c"sealed_open_failed",
            Self::ConfigDuplicateGroupKey => c"config_duplicate_group_key",
            Self::ConfigSealWithoutGroupKey => c"config_seal_without_group_key",
            Self::PortraitFrameMalformed => c"portrait_frame_malformed",
            Self::PortraitTooLarge => c"portrait_too_large",
            Self::PortraitOtherPresentation => c"portrait_other_presentation",
            Self::PortraitHeaderMismatch => c"portrait_header_mismatch",
            Self::PortraitNotDisclosed => c"portrait_not_disclosed",
            Self::PortraitDigestClaimInvalid => c"portrait_digest_claim_invalid",
            Self::PortraitDigestMismatch => c"portrait_digest_mismatch",
            Self::PortraitFrameLimit => c"portrait_frame_limit",
            Self::PortraitSymbolLimit => c"portrait_symbol_limit",
            Self::PortraitFrameLimitOutOfRange => c"portrait_frame_limit_out_of_range",
            Self::PortraitIncomplete => c"portrait_incomplete",
            Self::PortraitEmpty => c"portrait_empty",
            Self::PortraitSymbolSizeOutOfRange => c"portrait_symbol_size_out_of_range",
            Self::PortraitFrameIndexOutOfRange => c"portrait_frame_index_out_of_range",
            Self::NotAReceipt => c"not_a_receipt",
            Self::ReceiptUnknownDeskKey => c"receipt_unknown_desk_key",
            Self::ReceiptBadSignature => c"receipt_bad_signature",
            Self::LogWrongKind => c"log_wrong_kind",
            Self::LogVersion => c"log_version",
            Self::LogTooLarge => c"log_too_large",
            Self::LogEntryMalformed => c"log_entry_malformed",
            Self::LogEntryEdited => c"log_entry_edited",
            Self::LogEntryDeleted => c"log_entry_deleted",
            Self::LogEntryReordered => c"log_entry_reordered",
            Self::LogCheckpointUnknownKey => c"log_checkpoint_unknown_key",
            Self::LogCheckpointBadSignature => c"log_checkpoint_bad_signature",
            Self::LogPurgeUnsigned => c"log_purge_unsigned",
            Self::LogTruncated => c"log_truncated",
        }
    }

    /// One sentence for people, without the context a verification's own
    /// message (`nocard_verification_message`) adds.
    pub(crate) fn description(self) -> &'static str {
        match self {
            Self::Ok => "success",
            Self::NullParameter => "a required pointer argument was NULL",
            Self::BufferTooSmall => "the buffer is too small for the text and its NUL",
            Self::Panic => "nocard panicked (a bug; please report it)",
            Self::InvalidUtf8 => "a string argument is not UTF-8",
            Self::UnknownProfile => "unknown profile name",
            Self::NotVerified => "no valid presentation in this verification object",
            Self::NotFound => "no such claim, index or field",
            Self::TooLong => "a length or count argument is over its limit",
            Self::AmbiguousKeyScope => "an issuer key is given both all types and a list of document types",
            Self::OutOfRange => "a numeric argument is outside its documented range",
            Self::UnknownFrameFormat => "unknown camera frame format",
            Self::Malformed => "malformed input",
            Self::UnsupportedVersion => "unsupported format version",
            Self::UnknownKey => "no trusted issuer key has this key id",
            Self::AlgorithmNotAllowed => "algorithm is not allowed",
            Self::AlgorithmMismatch => "header algorithm does not fit the key",
            Self::KeyNotAllowedForDocType => "issuer key is not trusted for this document type",
            Self::IssuerKeyNotValid => "issuer key is not trusted at this time",
            Self::IssuerMismatch => "credential issuer does not match the key's issuer",
            Self::UnknownDocType => "unknown document type",
            Self::BadIssuerSignature => "issuer signature does not verify",
            Self::BadDeviceSignature => "device signature does not verify",
            Self::DisclosureDigestMismatch => "disclosed claim does not match a signed digest",
            Self::CredentialNotYetValid => "credential is not valid yet",
            Self::CredentialExpired => "credential has expired",
            Self::WindowNotYetValid => "presentation window has not started",
            Self::WindowExpired => "presentation window is over",
            Self::ChallengeMismatch => "challenge does not match",
            Self::AudienceMismatch => "presentation is addressed to another verifier",
            Self::MissingRequiredClaim => "a required claim is not disclosed",
            Self::InvalidKey => "invalid key",
            Self::Usage => "usage error",
            Self::DocTypeNotAccepted => "the profile does not accept this document type",
            Self::RequirementNotMet => "a required claim does not have the required value",
            Self::AudienceMissing => "presentation names no audience, the verifier requires one",
            Self::CredentialIssuedInFuture => "credential issue time is in the future",
            Self::InvalidConfig => "the verifier configuration is refused",
            Self::Replayed => "the presentation was already accepted in its window",
            Self::ReplayCacheFull => "the replay cache is full of live presentations",
            Self::IssuedOutsideKeyPeriod => "the credential was issued outside its issuer key's signing period",
            Self::IssuerKeyCompromised => "the credential was issued after its issuer key was compromised",
            Self::TrustListStale => "the trust list is past its next update and stale lists are refused",
            Self::TrustListUnknownRoot => "the trust list is not signed by a current root key",
            Self::TrustListBadSignature => "the trust list signature does not verify",
            Self::TrustListRollback => "the trust list is not newer than the list held",
            Self::TrustListMissing => "the trust store holds no trust list yet",
            Self::StatusListUnknownKey => "a status list is signed by no key trusted for its issuer",
            Self::StatusListBadSignature => "the status list signature does not verify",
            Self::StatusListRollback => "the status list is not newer than the list held",
            Self::StatusStoreFull => "the status store is full",
            Self::CredentialRevoked => "the credential is revoked",
            Self::CredentialSuspended => "the credential is suspended",
            Self::CredentialStatusUnknown => "the credential's status is not one nocard knows",
            Self::StatusListMissing => "no status list is held for the credential",
            Self::StatusIndexOutOfRange => "the credential's status index is beyond its list",
            Self::StatusListExpired => "the status list has expired",
            Self::ConfigClockSkew => "invalid config: clock skew is above 300 seconds",
            Self::ConfigChallenge => "invalid config: challenge is above 999999",
            Self::ConfigAudience => "invalid config: audience must be 1-64 bytes",
            Self::ConfigNoAlgorithms => "invalid config: no algorithm is allowed",
            Self::ConfigEmptyKeyScope => {
                "invalid config: an issuer key names no document types (pass all_types to trust it for every type)"
            }
            Self::ConfigDuplicateScopeType => "invalid config: a document type is named twice for one issuer key",
            Self::ConfigIssuerName => "invalid config: issuer name must be 1-64 bytes",
            Self::ConfigKeyValidity => "invalid config: key validity must start before it ends",
            Self::ConfigDuplicateKey => "invalid config: the same issuer key is added twice",
            Self::ConfigUnknownDocTypeName => "invalid config: an issuer key names an unknown document type",
            Self::ConfigUnknownClaimName => "invalid config: a required claim is defined by no accepted document type",
            Self::ConfigRequirementValue => "invalid config: a required value does not fit the claim's type",
            Self::ConfigReplayCapacity => "invalid config: replay cache capacity must be 1-1048576",
            Self::ConfigTrustRoots => "invalid config: a trust store needs 1-8 distinct root keys",
            Self::StateTruncated => "saved state is truncated",
            Self::StateWrongKind => "not this kind of nocard saved state",
            Self::StateVersion => "saved state version is not supported",
            Self::StateChecksum => "saved state checksum does not match (cut short or altered)",
            Self::StateInvalid => "saved state does not hold a valid state",
            Self::NoCode => "no nocard code in the frame",
            Self::SeveralCodes => "more than one nocard code in the frame",
            Self::ScanBudgetExceeded => "the frame needs more work than its budget allows; it was not fully searched",
            Self::EmptyImage => "the frame's width or height is 0",
            Self::ImageTooLarge => "the frame's width or height is over 8192",
            Self::StrideTooSmall => "the frame's row stride is shorter than a row",
            Self::BufferTooShort => "the frame buffer is shorter than its rows",
            Self::BadPixelStride => "the frame's pixel stride is not between 1 and 8",
            Self::SealRequired => "the verifier requires sealed codes and this code is plain",
            Self::SealedNoGroupKey => "the code is sealed and the verifier holds no group key",
            Self::SealedForOtherGroup => "the code is sealed to another scanner group",
            Self::SealedOpenFailed => "the sealed code does not open with its group key: it was altered",
            Self::ConfigDuplicateGroupKey => "invalid config: the same group key added twice",
            Self::ConfigSealWithoutGroupKey => "invalid config: sealed codes required but no group key added",
            Self::PortraitFrameMalformed => "the portrait frame is malformed",
            Self::PortraitTooLarge => "the portrait is above 16384 bytes",
            Self::PortraitOtherPresentation => "portrait frame of another presentation",
            Self::PortraitHeaderMismatch => "portrait frame with another length or symbol size",
            Self::PortraitNotDisclosed => "the presentation does not disclose photo_digest",
            Self::PortraitDigestClaimInvalid => "the disclosed photo_digest is not 32 bytes",
            Self::PortraitDigestMismatch => "the portrait does not match the signed photo_digest",
            Self::PortraitFrameLimit => "too many portrait frames fed",
            Self::PortraitSymbolLimit => "too many portrait symbols without decoding",
            Self::PortraitFrameLimitOutOfRange => "the portrait frame limit is outside 1-100000",
            Self::PortraitIncomplete => "the portrait is not complete",
            Self::PortraitEmpty => "the portrait is empty",
            Self::PortraitSymbolSizeOutOfRange => "the portrait symbol size is outside 16-1024",
            Self::PortraitFrameIndexOutOfRange => "the portrait frame index is above 2^24 - 1",
            Self::NotAReceipt => "not a receipt",
            Self::ReceiptUnknownDeskKey => "the receipt is signed by no trusted desk key",
            Self::ReceiptBadSignature => "the receipt signature does not verify",
            Self::LogWrongKind => "not a nocard visitor log",
            Self::LogVersion => "visitor log version is not supported",
            Self::LogTooLarge => "the visitor log is too large",
            Self::LogEntryMalformed => "a log record is malformed",
            Self::LogEntryEdited => "a log record was edited",
            Self::LogEntryDeleted => "log records were deleted",
            Self::LogEntryReordered => "log records were reordered",
            Self::LogCheckpointUnknownKey => "a log checkpoint is signed by no trusted desk key",
            Self::LogCheckpointBadSignature => "a log checkpoint signature does not verify",
            Self::LogPurgeUnsigned => "records were dropped from the log without a signed checkpoint",
            Self::LogTruncated => "the log ends before its known head",
        }
    }
}

/// Flattens a [`PortraitError`] to its code; its text errors to theirs.
pub(crate) fn map_portrait_error(error: &PortraitError) -> nocard_result {
    match error {
        PortraitError::Text(e) => map_error(e),
        PortraitError::FrameMalformed(_) => nocard_result::PortraitFrameMalformed,
        PortraitError::TooLarge { .. } => nocard_result::PortraitTooLarge,
        PortraitError::Empty => nocard_result::PortraitEmpty,
        PortraitError::OtherPresentation => nocard_result::PortraitOtherPresentation,
        PortraitError::HeaderMismatch => nocard_result::PortraitHeaderMismatch,
        PortraitError::NotDisclosed => nocard_result::PortraitNotDisclosed,
        PortraitError::DigestClaimInvalid => nocard_result::PortraitDigestClaimInvalid,
        PortraitError::DigestMismatch => nocard_result::PortraitDigestMismatch,
        PortraitError::FrameLimit { .. } => nocard_result::PortraitFrameLimit,
        PortraitError::SymbolLimit { .. } => nocard_result::PortraitSymbolLimit,
        PortraitError::SymbolSizeOutOfRange { .. } => nocard_result::PortraitSymbolSizeOutOfRange,
        PortraitError::FrameLimitOutOfRange { .. } => nocard_result::PortraitFrameLimitOutOfRange,
        PortraitError::FrameIndexOutOfRange { .. } => nocard_result::PortraitFrameIndexOutOfRange,
    }
}

/// Flattens a Rust [`Error`] to its code; the context stays in the
/// verification object (`nocard_verification_message`).
pub(crate) fn map_error(error: &Error) -> nocard_result {
    match error {
        Error::Malformed(_) => nocard_result::Malformed,
        Error::UnsupportedVersion { .. } => nocard_result::UnsupportedVersion,
        Error::UnknownKey { .. } => nocard_result::UnknownKey,
        Error::AlgorithmNotAllowed { .. } => nocard_result::AlgorithmNotAllowed,
        Error::AlgorithmMismatch => nocard_result::AlgorithmMismatch,
        Error::KeyNotAllowedForDocType => nocard_result::KeyNotAllowedForDocType,
        Error::IssuerKeyNotValid => nocard_result::IssuerKeyNotValid,
        Error::IssuerMismatch => nocard_result::IssuerMismatch,
        Error::UnknownDocType => nocard_result::UnknownDocType,
        Error::BadIssuerSignature => nocard_result::BadIssuerSignature,
        Error::BadDeviceSignature => nocard_result::BadDeviceSignature,
        Error::DisclosureDigestMismatch => nocard_result::DisclosureDigestMismatch,
        Error::CredentialNotYetValid { .. } => nocard_result::CredentialNotYetValid,
        Error::CredentialExpired { .. } => nocard_result::CredentialExpired,
        Error::WindowNotYetValid { .. } => nocard_result::WindowNotYetValid,
        Error::WindowExpired { .. } => nocard_result::WindowExpired,
        Error::ChallengeMismatch { .. } => nocard_result::ChallengeMismatch,
        Error::AudienceMismatch => nocard_result::AudienceMismatch,
        Error::MissingRequiredClaim { .. } => nocard_result::MissingRequiredClaim,
        Error::InvalidKey(_) => nocard_result::InvalidKey,
        Error::Usage(_) => nocard_result::Usage,
        Error::DocTypeNotAccepted => nocard_result::DocTypeNotAccepted,
        Error::RequirementNotMet { .. } => nocard_result::RequirementNotMet,
        Error::AudienceMissing => nocard_result::AudienceMissing,
        Error::CredentialIssuedInFuture { .. } => nocard_result::CredentialIssuedInFuture,
        Error::InvalidConfig(config) => map_config_error(config),
        Error::Replayed { .. } => nocard_result::Replayed,
        Error::ReplayCacheFull { .. } => nocard_result::ReplayCacheFull,
        Error::IssuedOutsideKeyPeriod { .. } => nocard_result::IssuedOutsideKeyPeriod,
        Error::IssuerKeyCompromised { .. } => nocard_result::IssuerKeyCompromised,
        Error::TrustListStale { .. } => nocard_result::TrustListStale,
        Error::SealRequired => nocard_result::SealRequired,
        Error::SealedNoGroupKey => nocard_result::SealedNoGroupKey,
        Error::SealedForOtherGroup { .. } => nocard_result::SealedForOtherGroup,
        Error::SealedOpenFailed => nocard_result::SealedOpenFailed,
    }
}

/// A refused trust list's code; `malformed` is the verifier's own.
pub(crate) fn map_trust_list_error(error: &TrustListError) -> nocard_result {
    match error {
        TrustListError::Malformed(_) => nocard_result::Malformed,
        TrustListError::UnknownRoot => nocard_result::TrustListUnknownRoot,
        TrustListError::BadSignature => nocard_result::TrustListBadSignature,
        TrustListError::Rollback { .. } => nocard_result::TrustListRollback,
    }
}

/// A status list's or status check's code.
pub(crate) fn map_status_error(error: &StatusError) -> nocard_result {
    match error {
        StatusError::Malformed(_) => nocard_result::Malformed,
        StatusError::UnknownKey => nocard_result::StatusListUnknownKey,
        StatusError::BadSignature => nocard_result::StatusListBadSignature,
        StatusError::Rollback { .. } => nocard_result::StatusListRollback,
        StatusError::StoreFull => nocard_result::StatusStoreFull,
        StatusError::DamagedState(damage) => map_state_error(damage),
        StatusError::Revoked => nocard_result::CredentialRevoked,
        StatusError::Suspended => nocard_result::CredentialSuspended,
        StatusError::UnknownStatus(_) => nocard_result::CredentialStatusUnknown,
        StatusError::Missing { .. } => nocard_result::StatusListMissing,
        StatusError::IndexOutOfRange { .. } => nocard_result::StatusIndexOutOfRange,
        StatusError::Expired { .. } => nocard_result::StatusListExpired,
        StatusError::Usage(_) => nocard_result::Usage,
    }
}

/// A refused receipt's code; `malformed`, `unknown_doc_type` and `usage` are the verifier's own.
pub(crate) fn map_receipt_error(error: &ReceiptError) -> nocard_result {
    match error {
        ReceiptError::Malformed(_) => nocard_result::Malformed,
        ReceiptError::NotAReceipt => nocard_result::NotAReceipt,
        ReceiptError::UnknownDeskKey { .. } => nocard_result::ReceiptUnknownDeskKey,
        ReceiptError::BadSignature => nocard_result::ReceiptBadSignature,
        ReceiptError::UnknownDocType => nocard_result::UnknownDocType,
        ReceiptError::Usage(_) => nocard_result::Usage,
        ReceiptError::UnsupportedVersion { .. } => nocard_result::UnsupportedVersion,
    }
}

/// A refused visitor log's code; a refused receipt in it has the receipt's.
pub(crate) fn map_log_error(error: &LogError) -> nocard_result {
    match error {
        LogError::WrongKind => nocard_result::LogWrongKind,
        LogError::Version(_) => nocard_result::LogVersion,
        LogError::TooLarge => nocard_result::LogTooLarge,
        LogError::EntryMalformed { .. } => nocard_result::LogEntryMalformed,
        LogError::EntryEdited { .. } => nocard_result::LogEntryEdited,
        LogError::EntryDeleted { .. } => nocard_result::LogEntryDeleted,
        LogError::EntryReordered { .. } => nocard_result::LogEntryReordered,
        LogError::Receipt { error, .. } => map_receipt_error(error),
        LogError::CheckpointUnknownKey { .. } => nocard_result::LogCheckpointUnknownKey,
        LogError::CheckpointBadSignature { .. } => nocard_result::LogCheckpointBadSignature,
        LogError::PurgeUnsigned { .. } => nocard_result::LogPurgeUnsigned,
        LogError::Truncated { .. } => nocard_result::LogTruncated,
    }
}

/// A refused saved state's code, one per `StateFileError` kind.
pub(crate) fn map_state_error(error: &StateFileError) -> nocard_result {
    match error {
        StateFileError::Truncated => nocard_result::StateTruncated,
        StateFileError::WrongKind => nocard_result::StateWrongKind,
        StateFileError::Version(_) => nocard_result::StateVersion,
        StateFileError::Checksum => nocard_result::StateChecksum,
        StateFileError::Invalid => nocard_result::StateInvalid,
    }
}

/// A refused configuration's code: one per `ConfigError` kind, so the code
/// (and `nocard_error_message`) says which setting is wrong.
fn map_config_error(error: &ConfigError) -> nocard_result {
    match error {
        ConfigError::ClockSkew { .. } => nocard_result::ConfigClockSkew,
        ConfigError::Challenge(_) => nocard_result::ConfigChallenge,
        ConfigError::Audience => nocard_result::ConfigAudience,
        ConfigError::NoAlgorithms => nocard_result::ConfigNoAlgorithms,
        ConfigError::EmptyKeyScope => nocard_result::ConfigEmptyKeyScope,
        ConfigError::DuplicateScopeType(_) => nocard_result::ConfigDuplicateScopeType,
        ConfigError::IssuerName => nocard_result::ConfigIssuerName,
        ConfigError::KeyValidity => nocard_result::ConfigKeyValidity,
        ConfigError::DuplicateKey(_) => nocard_result::ConfigDuplicateKey,
        ConfigError::UnknownDocTypeName(_) => nocard_result::ConfigUnknownDocTypeName,
        ConfigError::UnknownClaimName(_) => nocard_result::ConfigUnknownClaimName,
        ConfigError::RequirementValue(_) => nocard_result::ConfigRequirementValue,
        ConfigError::UnknownProfile(_) => nocard_result::UnknownProfile,
        ConfigError::ReplayCapacity(_) => nocard_result::ConfigReplayCapacity,
        ConfigError::TrustRoots => nocard_result::ConfigTrustRoots,
        ConfigError::DuplicateGroupKey(_) => nocard_result::ConfigDuplicateGroupKey,
        ConfigError::SealWithoutGroupKey => nocard_result::ConfigSealWithoutGroupKey,
    }
}

/// The stable snake_case name of a result code, e.g. `"window_expired"`:
/// for codes 100–199 exactly the Rust `Error::code()` string and the `error`
/// field of the CLI's JSON. Unlisted values give `"unknown_result"`.
///
/// Ownership: the string is static; do not free it.
///
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_result_code_name(result: c_uint) -> *const c_char {
    ffi_panic_boundary! {
        nocard_result::from_value(result).map_or(c"unknown_result", nocard_result::name).as_ptr()
    }
}

/// Writes a one-sentence description of a result code into `buf` as UTF-8
/// with a terminating NUL, e.g. "presentation window is over". Unlisted
/// values give "unknown result code". For the context of one rejection
/// (which time, which claim) use `nocard_verification_message`.
///
/// Returns `NOCARD_RESULT_OK` and sets `*out_len` to the text's length
/// without the NUL; `NOCARD_RESULT_BUFFER_TOO_SMALL` with `*out_len` set to
/// the length needed (the buffer needs one more byte) and `buf` untouched;
/// `NOCARD_RESULT_NULL_PARAMETER` if `out_len` is NULL, or `buf` is NULL
/// with `len` > 0. `buf` = NULL with `len` = 0 asks for the length only.
///
/// Ownership: `buf` and `out_len` stay the caller's; nothing is kept.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// `buf` is NULL or valid for writing `len` bytes; `out_len` is NULL or
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_error_message(
    result: c_uint,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: the function's contract is `OutText::new`'s.
        let out = try_ok!(unsafe { OutText::new(buf, len, out_len) });
        let text = nocard_result::from_value(result).map_or("unknown result code", nocard_result::description);
        out.write(|w| w.write_str(text))
    }
}
