//! Every way nocard can refuse something, each with a stable snake_case code.
//!
//! [`Error::code`] values are part of the interface: SPEC.md §6 lists them, and
//! the CLI JSON, the C API and the bindings report them unchanged. Hostile
//! input is reported as data ([`Error::Malformed`] and the verification
//! variants); mistakes by the calling program are kept apart in [`UsageError`].

use alloc::string::String;
use core::fmt;

use crate::keys::KeyId;

/// Why nocard refused an input or a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input is not a well-formed nocard object; says what and where.
    Malformed(Malformed),
    /// The text names a format version this build does not read.
    UnsupportedVersion {
        /// The version character found after `NC`.
        found: char,
    },
    /// No trusted issuer key has this key id.
    UnknownKey {
        /// Key id from the credential's protected header.
        kid: KeyId,
    },
    /// The algorithm is unknown or the verifier's policy does not accept it.
    AlgorithmNotAllowed {
        /// COSE algorithm identifier (RFC 9053 §2).
        alg: i64,
    },
    /// The algorithm in a protected header does not fit the key it names.
    AlgorithmMismatch,
    /// The issuer key is trusted, but not for this document type.
    KeyNotAllowedForDocType,
    /// The issuer key is trusted only outside the current time.
    IssuerKeyNotValid,
    /// The credential's `iss` is not the issuer the key belongs to.
    IssuerMismatch,
    /// The document type is not in the verifier's registry.
    UnknownDocType,
    /// The issuer's signature over the credential does not verify.
    BadIssuerSignature,
    /// The holder device's signature over the presentation does not verify.
    BadDeviceSignature,
    /// A disclosed claim's digest is not among those the issuer signed.
    DisclosureDigestMismatch,
    /// The credential's validity has not started (beyond the allowed skew).
    CredentialNotYetValid {
        /// Credential `nbf`.
        not_before: u64,
        /// Verifier clock.
        now: u64,
    },
    /// The credential's validity has ended (beyond the allowed skew).
    CredentialExpired {
        /// Credential `exp`.
        expires: u64,
        /// Verifier clock.
        now: u64,
    },
    /// The presentation's window starts in the future (beyond the allowed skew).
    WindowNotYetValid {
        /// Window start.
        start: u64,
        /// Verifier clock.
        now: u64,
    },
    /// The presentation's window is over: a stale screenshot or photo.
    WindowExpired {
        /// Window end.
        end: u64,
        /// Verifier clock.
        now: u64,
    },
    /// The verifier expected a challenge the presentation does not carry.
    ChallengeMismatch {
        /// What the desk showed.
        expected: u32,
        /// What the presentation carries.
        found: Option<u32>,
    },
    /// The presentation is addressed to another verifier.
    AudienceMismatch,
    /// A claim the policy requires is not disclosed.
    MissingRequiredClaim {
        /// The claim's name.
        name: String,
    },
    /// The policy's profile does not accept this document type.
    DocTypeNotAccepted,
    /// A required claim is disclosed but false, or not the required value.
    RequirementNotMet {
        /// The claim's name.
        name: String,
    },
    /// The verifier expects an audience and the presentation names none.
    AudienceMissing,
    /// The credential's `iat` is later than the verifier's clock (beyond the skew).
    CredentialIssuedInFuture {
        /// Credential `iat`.
        issued_at: u64,
        /// Verifier clock.
        now: u64,
    },
    /// A verifier configuration (trusted keys, policy) was refused when it
    /// was set; never returned by verification itself.
    InvalidConfig(ConfigError),
    /// The replay cache already accepted this presentation in its window.
    Replayed {
        /// When it was first accepted (verifier clock).
        first_seen: u64,
    },
    /// The replay cache is full of live entries; it refuses new
    /// presentations rather than forget one it must remember.
    ReplayCacheFull {
        /// Its capacity.
        capacity: usize,
    },
    /// The credential was issued (`iat`, else `nbf`) outside the period in
    /// which the trusted key may sign.
    IssuedOutsideKeyPeriod {
        /// The credential's issue time.
        issued_at: u64,
    },
    /// The credential was issued (`iat`, else `nbf`) at or after the time
    /// its issuer key is known to be compromised.
    IssuerKeyCompromised {
        /// When the key was compromised.
        compromised_at: u64,
        /// The credential's issue time.
        issued_at: u64,
    },
    /// The trust list the keys came from is past its next update, and the
    /// desk refuses codes while it is.
    TrustListStale {
        /// The list's next update.
        next_update: u64,
    },
    /// The policy requires sealed codes and this one is plain (SPEC.md §13.3).
    SealRequired,
    /// A sealed code reached a verifier that holds no group key.
    SealedNoGroupKey,
    /// A sealed code names a group key this verifier does not hold: it is
    /// for another scanner group.
    SealedForOtherGroup {
        /// The group key id the envelope names.
        kid: KeyId,
    },
    /// The group key the envelope names could not open it: the ciphertext,
    /// tag, IV or a protected header was changed, or it was sealed to
    /// another key under a forged key id.
    SealedOpenFailed,
    /// A key file or COSE_Key is not a usable key.
    InvalidKey(KeyError),
    /// The calling program asked for something impossible.
    Usage(UsageError),
}

impl Error {
    /// Stable snake_case code (SPEC.md §6).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Malformed(_) => "malformed",
            Error::UnsupportedVersion { .. } => "unsupported_version",
            Error::UnknownKey { .. } => "unknown_key",
            Error::AlgorithmNotAllowed { .. } => "algorithm_not_allowed",
            Error::AlgorithmMismatch => "algorithm_mismatch",
            Error::KeyNotAllowedForDocType => "key_not_allowed_for_doc_type",
            Error::IssuerKeyNotValid => "issuer_key_not_valid",
            Error::IssuerMismatch => "issuer_mismatch",
            Error::UnknownDocType => "unknown_doc_type",
            Error::BadIssuerSignature => "bad_issuer_signature",
            Error::BadDeviceSignature => "bad_device_signature",
            Error::DisclosureDigestMismatch => "disclosure_digest_mismatch",
            Error::CredentialNotYetValid { .. } => "credential_not_yet_valid",
            Error::CredentialExpired { .. } => "credential_expired",
            Error::WindowNotYetValid { .. } => "window_not_yet_valid",
            Error::WindowExpired { .. } => "window_expired",
            Error::ChallengeMismatch { .. } => "challenge_mismatch",
            Error::AudienceMismatch => "audience_mismatch",
            Error::MissingRequiredClaim { .. } => "missing_required_claim",
            Error::InvalidKey(_) => "invalid_key",
            Error::Usage(_) => "usage",
            Error::DocTypeNotAccepted => "doc_type_not_accepted",
            Error::RequirementNotMet { .. } => "requirement_not_met",
            Error::AudienceMissing => "audience_missing",
            Error::CredentialIssuedInFuture { .. } => "credential_issued_in_future",
            Error::InvalidConfig(_) => "invalid_config",
            Error::Replayed { .. } => "replayed",
            Error::ReplayCacheFull { .. } => "replay_cache_full",
            Error::IssuedOutsideKeyPeriod { .. } => "issued_outside_key_period",
            Error::IssuerKeyCompromised { .. } => "issuer_key_compromised",
            Error::TrustListStale { .. } => "trust_list_stale",
            Error::SealRequired => "seal_required",
            Error::SealedNoGroupKey => "sealed_no_group_key",
            Error::SealedForOtherGroup { .. } => "sealed_for_other_group",
            Error::SealedOpenFailed => "sealed_open_failed",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed(m) => write!(f, "malformed input: {m}"),
            Error::UnsupportedVersion { found } => write!(f, "unsupported format version {found:?}"),
            Error::UnknownKey { kid } => write!(f, "no trusted issuer key has id {kid}"),
            Error::AlgorithmNotAllowed { alg } => write!(f, "algorithm {alg} is not allowed"),
            Error::AlgorithmMismatch => f.write_str("header algorithm does not fit the key"),
            Error::KeyNotAllowedForDocType => f.write_str("issuer key is not trusted for this document type"),
            Error::IssuerKeyNotValid => f.write_str("issuer key is not trusted at this time"),
            Error::IssuerMismatch => f.write_str("credential issuer does not match the key's issuer"),
            Error::UnknownDocType => f.write_str("unknown document type"),
            Error::BadIssuerSignature => f.write_str("issuer signature does not verify"),
            Error::BadDeviceSignature => f.write_str("device signature does not verify"),
            Error::DisclosureDigestMismatch => f.write_str("disclosed claim does not match a signed digest"),
            Error::CredentialNotYetValid { not_before, now } => {
                write!(f, "credential not valid before {not_before} (now {now})")
            }
            Error::CredentialExpired { expires, now } => write!(f, "credential expired at {expires} (now {now})"),
            Error::WindowNotYetValid { start, now } => write!(f, "presentation window starts at {start} (now {now})"),
            Error::WindowExpired { end, now } => write!(f, "presentation window ended at {end} (now {now})"),
            Error::ChallengeMismatch { expected, found: Some(found) } => {
                write!(f, "challenge {found} does not match the expected {expected}")
            }
            Error::ChallengeMismatch { expected, found: None } => {
                write!(f, "expected challenge {expected}, presentation has none")
            }
            Error::AudienceMismatch => f.write_str("presentation is addressed to another verifier"),
            Error::MissingRequiredClaim { name } => write!(f, "required claim {name} is not disclosed"),
            Error::InvalidKey(e) => write!(f, "invalid key: {e}"),
            Error::Usage(e) => write!(f, "usage error: {e}"),
            Error::DocTypeNotAccepted => f.write_str("the profile does not accept this document type"),
            Error::RequirementNotMet { name } => write!(f, "required claim {name} does not have the required value"),
            Error::AudienceMissing => f.write_str("presentation names no audience, the verifier requires one"),
            Error::CredentialIssuedInFuture { issued_at, now } => {
                write!(f, "credential issued at {issued_at}, in the future (now {now})")
            }
            Error::InvalidConfig(e) => write!(f, "invalid configuration: {e}"),
            Error::Replayed { first_seen } => write!(f, "presentation already accepted at {first_seen}"),
            Error::ReplayCacheFull { capacity } => write!(f, "replay cache is full ({capacity} live presentations)"),
            Error::IssuedOutsideKeyPeriod { issued_at } => {
                write!(f, "credential issued at {issued_at}, outside its issuer key's signing period")
            }
            Error::IssuerKeyCompromised { compromised_at, issued_at } => {
                write!(f, "credential issued at {issued_at}, after its issuer key was compromised at {compromised_at}")
            }
            Error::TrustListStale { next_update } => write!(f, "trust list is stale since {next_update}"),
            Error::SealRequired => f.write_str("the policy requires sealed codes, this one is plain"),
            Error::SealedNoGroupKey => f.write_str("sealed code, and this verifier holds no group key"),
            Error::SealedForOtherGroup { kid } => {
                write!(f, "sealed to group key {kid}, which this verifier does not hold")
            }
            Error::SealedOpenFailed => f.write_str("sealed code does not open with its group key: it was altered"),
        }
    }
}

impl core::error::Error for Error {}
impl core::error::Error for KeyError {}
impl core::error::Error for UsageError {}
impl core::error::Error for ConfigError {}
impl core::error::Error for Malformed {}

impl From<Malformed> for Error {
    fn from(m: Malformed) -> Self {
        Error::Malformed(m)
    }
}

impl From<UsageError> for Error {
    fn from(e: UsageError) -> Self {
        Error::Usage(e)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::InvalidConfig(e)
    }
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::InvalidKey(e)
    }
}

/// What is wrong with malformed input, and the byte offset where it was found.
///
/// Offsets count from the start of the text for the text layer
/// ([`MalformedKind::MissingPrefix`], the base45 kinds, [`MalformedKind::TooLarge`])
/// and from the start of the decoded bytes otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// What is wrong.
    pub kind: MalformedKind,
    /// Where.
    pub offset: usize,
}

impl Malformed {
    pub(crate) fn at(kind: MalformedKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.kind, self.offset)
    }
}

/// The ways input can be malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedKind {
    /// The text does not start with `NC<version>:`.
    MissingPrefix,
    /// Input longer than the format allows.
    TooLarge {
        /// The limit, in the unit of the layer (characters or bytes).
        max: usize,
    },
    /// A character outside the base45 alphabet (RFC 9285 §4).
    Base45Character,
    /// A base45 text whose length leaves a single character at the end.
    Base45Length,
    /// A base45 triple or pair whose value exceeds 65535 or 255 (RFC 9285 §4.4).
    Base45Value,
    /// The CBOR ends inside an item.
    Truncated,
    /// Indefinite-length item: nocard uses definite lengths only.
    IndefiniteLength,
    /// An integer, length or tag not in its shortest form (RFC 8949 §4.2.1).
    NotPreferredEncoding,
    /// Additional information 28–30 in any major type, or a stray break code.
    ReservedEncoding,
    /// A float, `undefined` or other simple value nocard never uses.
    UnsupportedSimpleValue,
    /// Text that is not UTF-8.
    InvalidUtf8,
    /// Nesting deeper than the format allows.
    TooDeep,
    /// An array or map with more items than the format allows.
    TooManyItems,
    /// The same map key twice.
    DuplicateMapKey,
    /// Map keys not in bytewise lexicographic order (RFC 8949 §4.2.1).
    UnsortedMapKeys,
    /// Bytes after the end of the object.
    TrailingBytes,
    /// An item of the wrong CBOR type.
    UnexpectedType {
        /// What the format wants here.
        expected: &'static str,
    },
    /// A required field is absent.
    MissingField {
        /// The field's name in SPEC.md.
        field: &'static str,
    },
    /// A map key the format does not define.
    UnknownField,
    /// A field whose value is out of range or otherwise invalid.
    InvalidValue {
        /// The field's name in SPEC.md.
        field: &'static str,
    },
    /// A critical header parameter nocard does not understand (RFC 9052 §3.1).
    UnknownCriticalHeader,
    /// An ECDSA signature whose `s` is above n/2: nocard requires low-S.
    HighS,
    /// The same claim disclosed twice.
    DuplicateClaim,
    /// A desk's verification receipt (SPEC.md §15.1) given as a presentation.
    ReceiptNotPresentation,
}

impl MalformedKind {
    /// Stable snake_case code, reported as `detail` next to `malformed`.
    pub fn code(&self) -> &'static str {
        match self {
            MalformedKind::MissingPrefix => "missing_prefix",
            MalformedKind::TooLarge { .. } => "too_large",
            MalformedKind::Base45Character => "base45_character",
            MalformedKind::Base45Length => "base45_length",
            MalformedKind::Base45Value => "base45_value",
            MalformedKind::Truncated => "truncated",
            MalformedKind::IndefiniteLength => "indefinite_length",
            MalformedKind::NotPreferredEncoding => "not_preferred_encoding",
            MalformedKind::ReservedEncoding => "reserved_encoding",
            MalformedKind::UnsupportedSimpleValue => "unsupported_simple_value",
            MalformedKind::InvalidUtf8 => "invalid_utf8",
            MalformedKind::TooDeep => "too_deep",
            MalformedKind::TooManyItems => "too_many_items",
            MalformedKind::DuplicateMapKey => "duplicate_map_key",
            MalformedKind::UnsortedMapKeys => "unsorted_map_keys",
            MalformedKind::TrailingBytes => "trailing_bytes",
            MalformedKind::UnexpectedType { .. } => "unexpected_type",
            MalformedKind::MissingField { .. } => "missing_field",
            MalformedKind::UnknownField => "unknown_field",
            MalformedKind::InvalidValue { .. } => "invalid_value",
            MalformedKind::UnknownCriticalHeader => "unknown_critical_header",
            MalformedKind::HighS => "high_s",
            MalformedKind::DuplicateClaim => "duplicate_claim",
            MalformedKind::ReceiptNotPresentation => "receipt_not_presentation",
        }
    }
}

impl fmt::Display for MalformedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MalformedKind::TooLarge { max } => write!(f, "too_large (limit {max})"),
            MalformedKind::UnexpectedType { expected } => write!(f, "unexpected_type (expected {expected})"),
            MalformedKind::MissingField { field } => write!(f, "missing_field {field}"),
            MalformedKind::InvalidValue { field } => write!(f, "invalid_value in {field}"),
            other => f.write_str(other.code()),
        }
    }
}

/// Why a key could not be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a well-formed COSE_Key (RFC 9052 §7).
    Malformed(Malformed),
    /// A key type, curve or algorithm nocard does not use.
    Unsupported,
    /// The key material is not a valid point or scalar.
    InvalidMaterial,
    /// An Ed25519 public key of small order (RFC 8032 §5.1.7 weak key).
    WeakKey,
    /// A public key where a secret key was expected.
    NotSecret,
    /// The public part stored next to a secret key does not match it.
    PublicMismatch,
}

impl KeyError {
    /// Stable snake_case reason, reported next to `invalid_key` (SPEC.md §2.3).
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Malformed(_) => "malformed",
            KeyError::Unsupported => "unsupported",
            KeyError::InvalidMaterial => "invalid_material",
            KeyError::WeakKey => "weak_key",
            KeyError::NotSecret => "not_secret",
            KeyError::PublicMismatch => "public_mismatch",
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Malformed(m) => write!(f, "malformed COSE_Key: {m}"),
            KeyError::Unsupported => f.write_str("unsupported key type, curve or algorithm"),
            KeyError::InvalidMaterial => f.write_str("key material is not a valid key"),
            KeyError::WeakKey => f.write_str("small-order Ed25519 key"),
            KeyError::NotSecret => f.write_str("expected a secret key, found a public key"),
            KeyError::PublicMismatch => f.write_str("public key does not match the secret key"),
        }
    }
}

/// A request the calling program should not have made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UsageError {
    /// A claim the document type does not define.
    UnknownClaim(String),
    /// A claim value of the wrong type for its definition.
    ClaimTypeMismatch(String),
    /// A derived claim was supplied; the issuer computes those.
    DerivedClaimSupplied(String),
    /// The same claim was supplied twice.
    DuplicateClaim(String),
    /// A derived claim needs `birth_date`, which was not supplied.
    MissingBirthDate,
    /// An issuer name that is empty or longer than 64 bytes.
    IssuerName,
    /// `not_before` is not before `expires`.
    EmptyValidity,
    /// `issued_at` is after `expires`.
    IssuedAfterExpiry,
    /// Window length outside 5–300 seconds.
    WindowLength(u32),
    /// Challenge above 999 999 (the desk shows 4–6 digits).
    ChallengeRange(u32),
    /// Audience longer than 64 bytes.
    AudienceTooLong,
    /// Nothing to disclose: no claims asked for, or none the document has.
    NothingToDisclose,
    /// A claim asked for is not in the credential.
    ClaimNotInCredential(String),
    /// The device signer failed or returned a bad signature.
    Signer(String),
    /// The device signer's key is not the key the credential is bound to.
    DeviceKeyMismatch,
    /// The credential text or bytes could not be read back.
    BadCredential(Malformed),
    /// The operating system gave no randomness.
    Randomness,
    /// An encoded object would exceed the format's size limit.
    TooLarge,
    /// A numeric-code secret is derived from the credential id, and none was set.
    CodeNeedsId,
    /// A numeric-code key that is not 32 bytes long (its length).
    CodeKeyLength(usize),
    /// A desk unit id (receipts, SPEC.md §15.1) of 0 or more than 64 bytes.
    UnitId,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::UnknownClaim(n) => write!(f, "the document type has no claim {n}"),
            UsageError::ClaimTypeMismatch(n) => write!(f, "claim {n} has the wrong type"),
            UsageError::DerivedClaimSupplied(n) => write!(f, "claim {n} is derived by the issuer"),
            UsageError::DuplicateClaim(n) => write!(f, "claim {n} given twice"),
            UsageError::MissingBirthDate => f.write_str("derived age claims need birth_date"),
            UsageError::IssuerName => f.write_str("issuer name must be 1-64 bytes"),
            UsageError::EmptyValidity => f.write_str("not_before must be before expires"),
            UsageError::IssuedAfterExpiry => f.write_str("issued_at must not be after expires"),
            UsageError::WindowLength(s) => write!(f, "window of {s} s is outside 5-300 s"),
            UsageError::ChallengeRange(c) => write!(f, "challenge {c} is above 999999"),
            UsageError::AudienceTooLong => f.write_str("audience is longer than 64 bytes"),
            UsageError::NothingToDisclose => f.write_str("nothing to disclose"),
            UsageError::ClaimNotInCredential(n) => write!(f, "the credential has no claim {n}"),
            UsageError::Signer(why) => write!(f, "device signer failed: {why}"),
            UsageError::DeviceKeyMismatch => f.write_str("device key is not the key the credential is bound to"),
            UsageError::BadCredential(m) => write!(f, "credential is malformed: {m}"),
            UsageError::Randomness => f.write_str("no randomness from the operating system"),
            UsageError::TooLarge => f.write_str("encoded object exceeds the size limit"),
            UsageError::CodeNeedsId => f.write_str("a numeric code needs a credential id"),
            UsageError::CodeKeyLength(n) => write!(f, "a numeric-code key is 32 bytes, not {n}"),
            UsageError::UnitId => f.write_str("a desk unit id must be 1-64 bytes"),
        }
    }
}

/// A verifier configuration that is refused when it is set, so that no
/// setting out of range is discovered at the first scan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// Clock skew above the maximum.
    ClockSkew {
        /// The skew asked for, in seconds.
        secs: u64,
        /// The largest skew allowed.
        max: u64,
    },
    /// A challenge above 999999 (six digits).
    Challenge(u32),
    /// An audience of 0 or more than 64 bytes.
    Audience,
    /// An empty list of algorithms.
    NoAlgorithms,
    /// A key scope with no document types (use the explicit all-types scope).
    EmptyKeyScope,
    /// A document type named twice in one key scope.
    DuplicateScopeType(String),
    /// An issuer name of 0 or more than 64 bytes.
    IssuerName,
    /// A key validity interval that is empty (`not_before >= not_after`).
    KeyValidity,
    /// The same key id trusted twice (one key under two names or scopes,
    /// or two keys whose ids collide).
    DuplicateKey(KeyId),
    /// A document type name the registry does not have.
    UnknownDocTypeName(String),
    /// A claim name no document type the policy accepts defines.
    UnknownClaimName(String),
    /// A required value that does not fit the claim's type.
    RequirementValue(String),
    /// A profile name that is not a profile.
    UnknownProfile(String),
    /// A replay cache capacity of 0 or above its maximum.
    ReplayCapacity(usize),
    /// A trust store provisioned with no root key, more than 8, or one twice.
    TrustRoots,
    /// The same group key given twice.
    DuplicateGroupKey(KeyId),
    /// A policy that requires sealed codes on a verifier with no group key.
    SealWithoutGroupKey,
}

impl ConfigError {
    /// Stable snake_case code, reported as `detail` next to `invalid_config`.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::ClockSkew { .. } => "clock_skew",
            ConfigError::Challenge(_) => "challenge",
            ConfigError::Audience => "audience",
            ConfigError::NoAlgorithms => "no_algorithms",
            ConfigError::EmptyKeyScope => "empty_key_scope",
            ConfigError::DuplicateScopeType(_) => "duplicate_scope_type",
            ConfigError::IssuerName => "issuer_name",
            ConfigError::KeyValidity => "key_validity",
            ConfigError::DuplicateKey(_) => "duplicate_key",
            ConfigError::UnknownDocTypeName(_) => "unknown_doc_type_name",
            ConfigError::UnknownClaimName(_) => "unknown_claim_name",
            ConfigError::RequirementValue(_) => "requirement_value",
            ConfigError::UnknownProfile(_) => "unknown_profile",
            ConfigError::ReplayCapacity(_) => "replay_capacity",
            ConfigError::TrustRoots => "trust_roots",
            ConfigError::DuplicateGroupKey(_) => "duplicate_group_key",
            ConfigError::SealWithoutGroupKey => "seal_without_group_key",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ClockSkew { secs, max } => write!(f, "clock skew of {secs} s is above the maximum {max} s"),
            ConfigError::Challenge(c) => write!(f, "challenge {c} is above 999999"),
            ConfigError::Audience => f.write_str("audience must be 1-64 bytes"),
            ConfigError::NoAlgorithms => f.write_str("no algorithm is allowed"),
            ConfigError::EmptyKeyScope => {
                f.write_str("a trusted key must name the document types it may sign (or all types explicitly)")
            }
            ConfigError::DuplicateScopeType(n) => write!(f, "document type {n} named twice in one key scope"),
            ConfigError::IssuerName => f.write_str("issuer name must be 1-64 bytes"),
            ConfigError::KeyValidity => f.write_str("key validity: not_before must be before not_after"),
            ConfigError::DuplicateKey(kid) => write!(f, "key {kid} is trusted twice"),
            ConfigError::UnknownDocTypeName(n) => write!(f, "unknown document type {n}"),
            ConfigError::UnknownClaimName(n) => write!(f, "no accepted document type has a claim {n}"),
            ConfigError::RequirementValue(n) => write!(f, "the required value does not fit claim {n}"),
            ConfigError::UnknownProfile(n) => write!(f, "unknown profile {n}"),
            ConfigError::ReplayCapacity(n) => write!(f, "replay cache capacity {n} is outside 1-1048576"),
            ConfigError::TrustRoots => f.write_str("a trust store needs 1-8 distinct root keys"),
            ConfigError::DuplicateGroupKey(kid) => write!(f, "group key {kid} is given twice"),
            ConfigError::SealWithoutGroupKey => f.write_str("sealed codes are required, but no group key is held"),
        }
    }
}
