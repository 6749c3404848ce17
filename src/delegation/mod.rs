//! Delegation and consent: who acts for whom, who agreed to what.
//!
//! A citizen's wallet signs, with the device key its credential binds, a
//! [`Delegation`] naming a delegate (by the thumbprint of the delegate's own
//! device key, RFC 9679 §3), one [`Matter`] and a period; or a [`Consent`]:
//! a yes or no to one request, named by its SHA-256 digest. Either carries
//! the signer's credential with the disclosures that name the signer, so a
//! desk checks the whole chain offline: issuer → signer's credential →
//! statement → (for a delegation) the delegate's own presentation, which
//! travels with it as an [`Acting`] (SPEC.md §17).
//!
//! The chain is exactly one link long: no matter of v1 may be re-delegated,
//! and a statement whose credential is itself a statement is refused
//! ([`DelegationError::Chained`]). Verification ([`verify_acting`],
//! [`verify_consent`]) is a pure function of the bytes, the clock, the
//! desk's [`Verifier`] and what the desk expects; revocation of the signer's
//! credential is checked after it with
//! [`StatusStore::check_status`](crate::status_list::StatusStore::check_status).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;
use core::str::FromStr;

use crate::cbor::{Reader, Writer};
use crate::cose::{Sign1, SignatureFailure};
use crate::error::{Error, Malformed, MalformedKind, UsageError};
use crate::keys::PublicKey;
use crate::presentation::{DeviceSigner, Disclose, Holder, Presentation};
use crate::text::{self, TextKind};
use crate::verify::{Verified, VerifiedCredential, Verifier};

/// The `typ` (RFC 9596 §2) of a delegation's protected header.
pub const DELEGATION_TYPE: &str = "application/nocard-delegation";
/// The `typ` of a consent's protected header.
pub const CONSENT_TYPE: &str = "application/nocard-consent";
/// Bytes of a key thumbprint and of a request digest: SHA-256.
pub const DIGEST_LEN: usize = 32;

// Statement payload keys (SPEC.md §17.2).
const S_CREDENTIAL: i64 = 1;
const S_DISCLOSURES: i64 = 2;
const S_NOT_BEFORE: i64 = 3;
const S_EXPIRES: i64 = 4;
const S_MATTER: i64 = 5;
const S_DELEGATE: i64 = 6;
const S_REQUEST: i64 = 7;
const S_ANSWER: i64 = 8;

/// What a delegate may do for the delegator. v1 registers two matters, and
/// neither may be re-delegated: a chain is exactly one delegation long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Matter {
    /// Register a child's residence at the household registration desk.
    RegisterChildResidence,
    /// Collect a certificate or proof issued to the delegator.
    CollectCertificate,
}

impl Matter {
    /// Every matter, in the order of SPEC.md §17.1.
    pub const ALL: [Matter; 2] = [Matter::RegisterChildResidence, Matter::CollectCertificate];

    /// The matter's name, as it travels.
    pub fn name(self) -> &'static str {
        match self {
            Matter::RegisterChildResidence => "register_child_residence",
            Matter::CollectCertificate => "collect_certificate",
        }
    }
}

impl fmt::Display for Matter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no [`Matter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownMatter;

impl fmt::Display for UnknownMatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown matter")
    }
}

impl FromStr for Matter {
    type Err = UnknownMatter;

    fn from_str(s: &str) -> Result<Self, UnknownMatter> {
        Matter::ALL.into_iter().find(|m| m.name() == s).ok_or(UnknownMatter)
    }
}

/// Which signed statement: the two share one envelope (SPEC.md §17.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementKind {
    /// A [`Delegation`].
    Delegation,
    /// A [`Consent`].
    Consent,
}

impl StatementKind {
    fn typ(self) -> &'static str {
        match self {
            StatementKind::Delegation => DELEGATION_TYPE,
            StatementKind::Consent => CONSENT_TYPE,
        }
    }
}

/// Why a delegation, an acting delegate or a consent was refused. Each has
/// a stable code (SPEC.md §17.5); errors of the core checks made on the
/// signer's credential or the delegate's presentation are kept whole inside.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DelegationError {
    /// The text or the statement's envelope failed a core check: its code
    /// (`malformed`, `unsupported_version`, `algorithm_not_allowed`,
    /// `algorithm_mismatch`) is reported as is.
    Invalid(Error),
    /// Not a delegation: its protected `typ` is absent or another one (a
    /// consent, a presentation, a credential).
    NotADelegation,
    /// Not a consent: its protected `typ` is absent or another one.
    NotAConsent,
    /// The credential inside is itself a delegation or consent: v1 allows
    /// no chain longer than one.
    Chained,
    /// The signer's credential failed the core checks (the inner error).
    Credential(Error),
    /// The statement's signature by the credential's device key does not verify.
    BadSignature(StatementKind),
    /// The statement's period has not started (beyond the skew).
    NotYetValid {
        /// Which statement.
        kind: StatementKind,
        /// Its `nbf`.
        not_before: u64,
        /// Verifier clock.
        now: u64,
    },
    /// The statement's period is over (beyond the skew).
    Expired {
        /// Which statement.
        kind: StatementKind,
        /// Its `exp`.
        expires: u64,
        /// Verifier clock.
        now: u64,
    },
    /// The delegation is for another matter than the desk handles.
    MatterMismatch {
        /// What the desk handles.
        expected: Matter,
        /// What the delegation allows.
        found: Matter,
    },
    /// The delegate's presentation failed verification (the inner error).
    Delegate(Error),
    /// The presentation is signed by another device key than the delegate's.
    WrongDelegate,
    /// The consent answers another request.
    RequestMismatch,
}

impl DelegationError {
    /// Stable snake_case code (SPEC.md §17.5).
    pub fn code(&self) -> &'static str {
        match self {
            DelegationError::Invalid(e) => e.code(),
            DelegationError::NotADelegation => "not_a_delegation",
            DelegationError::NotAConsent => "not_a_consent",
            DelegationError::Chained => "delegation_chained",
            DelegationError::Credential(_) => "signer_credential_rejected",
            DelegationError::BadSignature(StatementKind::Delegation) => "bad_delegation_signature",
            DelegationError::BadSignature(StatementKind::Consent) => "bad_consent_signature",
            DelegationError::NotYetValid { kind: StatementKind::Delegation, .. } => "delegation_not_yet_valid",
            DelegationError::NotYetValid { kind: StatementKind::Consent, .. } => "consent_not_yet_valid",
            DelegationError::Expired { kind: StatementKind::Delegation, .. } => "delegation_expired",
            DelegationError::Expired { kind: StatementKind::Consent, .. } => "consent_expired",
            DelegationError::MatterMismatch { .. } => "matter_mismatch",
            DelegationError::Delegate(_) => "delegate_rejected",
            DelegationError::WrongDelegate => "wrong_delegate",
            DelegationError::RequestMismatch => "request_mismatch",
        }
    }

    /// The core error behind `signer_credential_rejected` and
    /// `delegate_rejected`, and behind the codes passed through.
    pub fn inner(&self) -> Option<&Error> {
        match self {
            DelegationError::Invalid(e) | DelegationError::Credential(e) | DelegationError::Delegate(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for DelegationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |kind| match kind {
            StatementKind::Delegation => "delegation",
            StatementKind::Consent => "consent",
        };
        match self {
            DelegationError::Invalid(e) => write!(f, "{e}"),
            DelegationError::NotADelegation => f.write_str("not a delegation"),
            DelegationError::NotAConsent => f.write_str("not a consent"),
            DelegationError::Chained => f.write_str("the credential is itself a delegation or consent: no chains"),
            DelegationError::Credential(e) => write!(f, "the signer's credential is refused: {e} ({})", e.code()),
            DelegationError::BadSignature(kind) => write!(f, "{} signature does not verify", name(*kind)),
            DelegationError::NotYetValid { kind, not_before, now } => {
                write!(f, "{} not valid before {not_before} (now {now})", name(*kind))
            }
            DelegationError::Expired { kind, expires, now } => {
                write!(f, "{} expired at {expires} (now {now})", name(*kind))
            }
            DelegationError::MatterMismatch { expected, found } => {
                write!(f, "delegation is for {found}, this desk handles {expected}")
            }
            DelegationError::Delegate(e) => write!(f, "the delegate's presentation is refused: {e} ({})", e.code()),
            DelegationError::WrongDelegate => f.write_str("the presentation is not the named delegate's"),
            DelegationError::RequestMismatch => f.write_str("the consent answers another request"),
        }
    }
}

impl core::error::Error for DelegationError {}

impl From<Malformed> for DelegationError {
    fn from(m: Malformed) -> Self {
        DelegationError::Invalid(m.into())
    }
}

/// A signed delegation: the `NCD1:` text the delegator hands the delegate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegation {
    bytes: Vec<u8>,
}

/// A signed consent: the `NCK1:` text the desk scans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    bytes: Vec<u8>,
}

/// A delegate acting for the delegator: the delegation and the delegate's
/// presentation, the `NCA1:` text the desk scans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acting {
    bytes: Vec<u8>,
}

impl Delegation {
    /// A delegation from its bytes, checked as a delegation's envelope and
    /// payload are (SPEC.md §17.3 steps 2–3), not yet verified.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DelegationError> {
        let r = &mut Reader::new(bytes);
        Statement::read(r, StatementKind::Delegation)?;
        r.finish()?;
        Ok(Self { bytes: bytes.to_vec() })
    }

    /// A delegation from its `NCD1:` text.
    pub fn from_text(text: &[u8]) -> Result<Self, DelegationError> {
        Self::from_bytes(&text::decode(TextKind::Delegation, text).map_err(DelegationError::Invalid)?)
    }

    /// The COSE_Sign1 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `NCD1:` text.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Delegation, &self.bytes)
    }
}

impl Consent {
    /// The COSE_Sign1 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `NCK1:` text.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Consent, &self.bytes)
    }
}

impl Acting {
    /// The delegate's wallet joins the delegation it holds and a
    /// presentation it just signed: `[delegation, presentation]`.
    pub fn new(delegation: &Delegation, presentation: &Presentation) -> Self {
        let mut w = Writer::new();
        w.array(2).raw(&delegation.bytes).raw(presentation.as_bytes());
        Self { bytes: w.into_bytes() }
    }

    /// The CBOR bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `NCA1:` text.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Acting, &self.bytes)
    }
}

/// Settings of one delegation or consent (`T`); [`StatementBuilder::sign`]
/// makes it.
#[must_use]
pub struct StatementBuilder<'h, S, T> {
    holder: &'h Holder<S>,
    content: Content,
    not_before: u64,
    expires: u64,
    disclose: Disclose,
    signed: PhantomData<T>,
}

/// What a [`StatementBuilder`] makes: a [`Delegation`] or a [`Consent`].
pub trait Signed: sealed::Sealed + Sized {
    /// Which statement it is.
    const KIND: StatementKind;
    #[doc(hidden)]
    fn from_signed(bytes: Vec<u8>) -> Self;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Delegation {}
    impl Sealed for super::Consent {}
}

impl Signed for Delegation {
    const KIND: StatementKind = StatementKind::Delegation;
    fn from_signed(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }
}

impl Signed for Consent {
    const KIND: StatementKind = StatementKind::Consent;
    fn from_signed(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }
}

/// What a statement says beyond its period.
enum Content {
    Delegation { matter: Matter, delegate: [u8; DIGEST_LEN] },
    Consent { request: [u8; DIGEST_LEN], answer: bool },
}

/// The delegator's wallet delegates `matter` to the holder of
/// `delegate_key` (the device key the delegate's credential binds).
pub fn delegate<'h, S: DeviceSigner>(
    holder: &'h Holder<S>,
    matter: Matter,
    delegate_key: &PublicKey,
) -> StatementBuilder<'h, S, Delegation> {
    StatementBuilder::new(holder, Content::Delegation { matter, delegate: delegate_key.thumbprint() })
}

/// The holder's wallet answers the request whose SHA-256 digest is
/// `request`: yes (`true`) or no.
pub fn consent<S: DeviceSigner>(
    holder: &Holder<S>,
    request: [u8; DIGEST_LEN],
    answer: bool,
) -> StatementBuilder<'_, S, Consent> {
    StatementBuilder::new(holder, Content::Consent { request, answer })
}

impl<'h, S: DeviceSigner, T: Signed> StatementBuilder<'h, S, T> {
    fn new(holder: &'h Holder<S>, content: Content) -> Self {
        let names = ["name", "id_number"].map(String::from).to_vec();
        Self { holder, content, not_before: 0, expires: 0, disclose: Disclose::Claims(names), signed: PhantomData }
    }

    /// The period `[not_before, expires)` in Unix seconds.
    pub fn period(mut self, not_before: u64, expires: u64) -> Self {
        self.not_before = not_before;
        self.expires = expires;
        self
    }

    /// The signer's claims to disclose; by default `name` and `id_number`.
    pub fn disclose(mut self, disclose: Disclose) -> Self {
        self.disclose = disclose;
        self
    }

    /// Signs the statement with the holder's device key.
    pub fn sign(self) -> Result<T, Error> {
        let payload = self.payload()?;
        Ok(T::from_signed(self.holder.sign_payload(Some(T::KIND.typ()), payload)?.0))
    }

    fn payload(&self) -> Result<Vec<u8>, Error> {
        if self.not_before >= self.expires {
            return Err(UsageError::EmptyValidity.into());
        }
        let (credential, disclosures) = self.holder.select(&self.disclose)?;
        let mut w = Writer::new();
        w.map(5 + usize::from(!disclosures.is_empty())).int(S_CREDENTIAL).raw(credential);
        if !disclosures.is_empty() {
            w.int(S_DISCLOSURES).array(disclosures.len());
            for d in &disclosures {
                w.bytes(d);
            }
        }
        w.int(S_NOT_BEFORE).uint(self.not_before).int(S_EXPIRES).uint(self.expires);
        match &self.content {
            Content::Delegation { matter, delegate } => {
                w.int(S_MATTER).text(matter.name()).int(S_DELEGATE).bytes(delegate)
            }
            Content::Consent { request, answer } => w.int(S_REQUEST).bytes(request).int(S_ANSWER).bool(*answer),
        };
        Ok(w.into_bytes())
    }
}

/// A statement's payload, borrowed from its encoding (SPEC.md §17.2).
struct Statement<'a> {
    sign1: Sign1<'a>,
    credential: Sign1<'a>,
    disclosures: Vec<(&'a [u8], usize)>,
    not_before: u64,
    expires: u64,
    content: Content,
}

impl<'a> Statement<'a> {
    /// SPEC.md §17.3 steps 2 and 3: the envelope, its `typ`, the payload.
    fn read(r: &mut Reader<'a>, kind: StatementKind) -> Result<Self, DelegationError> {
        let sign1 = Sign1::read(r)?;
        if sign1.header.typ != Some(kind.typ()) {
            return Err(match kind {
                StatementKind::Delegation => DelegationError::NotADelegation,
                StatementKind::Consent => DelegationError::NotAConsent,
            });
        }
        let r = &mut Reader::nested(sign1.payload, sign1.payload_offset);
        let start = r.offset();
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
        let (mut credential, mut disclosures, mut not_before, mut expires) = (None, Vec::new(), None, None);
        let (mut matter, mut delegate, mut request, mut answer) = (None, None, None, None);
        let delegation = kind == StatementKind::Delegation;
        r.int_map(|r, field| {
            let digest =
                |r: &mut Reader<'a>, name| <[u8; DIGEST_LEN]>::try_from(r.bytes()?).map_err(|_| field.invalid(name));
            match field.key {
                S_CREDENTIAL => credential = Some(Sign1::read(r)?),
                S_DISCLOSURES => {
                    let n = r.array()?;
                    if n == 0 {
                        return Err(field.invalid("disclosures"));
                    }
                    for _ in 0..n {
                        let d = r.bytes()?;
                        disclosures.push((d, r.offset() - d.len()));
                    }
                }
                S_NOT_BEFORE => not_before = Some(r.uint()?),
                S_EXPIRES => expires = Some(r.uint()?),
                S_MATTER if delegation => {
                    matter = Some(r.text()?.parse::<Matter>().map_err(|_| field.invalid("matter"))?)
                }
                S_DELEGATE if delegation => delegate = Some(digest(r, "delegate")?),
                S_REQUEST if !delegation => request = Some(digest(r, "request")?),
                S_ANSWER if !delegation => answer = Some(r.bool()?),
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let not_before = not_before.ok_or(missing("nbf"))?;
        let expires = expires.ok_or(missing("exp"))?;
        if not_before >= expires {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "exp" }, start).into());
        }
        let credential = credential.ok_or(missing("credential"))?;
        let content = if delegation {
            Content::Delegation {
                matter: matter.ok_or(missing("matter"))?,
                delegate: delegate.ok_or(missing("delegate"))?,
            }
        } else {
            Content::Consent { request: request.ok_or(missing("request"))?, answer: answer.ok_or(missing("answer"))? }
        };
        Ok(Self { sign1, credential, disclosures, not_before, expires, content })
    }

    /// SPEC.md §17.3 steps 4–7: no chain, the signer's credential, the
    /// statement's signature by its device key, the period.
    fn verify(
        &self,
        verifier: &Verifier,
        kind: StatementKind,
        now: u64,
    ) -> Result<VerifiedCredential, DelegationError> {
        if matches!(self.credential.header.typ, Some(DELEGATION_TYPE | CONSENT_TYPE)) {
            return Err(DelegationError::Chained);
        }
        let signer = verifier
            .verify_credential_parts(&self.credential, &self.disclosures, now)
            .map_err(DelegationError::Credential)?;
        verifier.algorithm(&self.sign1, &signer.device_key).map_err(DelegationError::Invalid)?;
        self.sign1.verify(&signer.device_key).map_err(|f| match f {
            SignatureFailure::Invalid => DelegationError::BadSignature(kind),
            SignatureFailure::HighS(m) => m.into(),
        })?;
        let skew = verifier.skew();
        if now.saturating_add(skew) < self.not_before {
            return Err(DelegationError::NotYetValid { kind, not_before: self.not_before, now });
        }
        if now >= self.expires.saturating_add(skew) {
            return Err(DelegationError::Expired { kind, expires: self.expires, now });
        }
        Ok(signer)
    }
}

/// A delegate acting for a delegator, verified (SPEC.md §17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedActing {
    /// The delegator: their credential and the claims that name them.
    pub delegator: VerifiedCredential,
    /// The delegate's own presentation, verified under the desk's policy.
    pub delegate: Verified,
    /// What the delegate may do.
    pub matter: Matter,
    /// The delegation's period start (`nbf`).
    pub not_before: u64,
    /// The delegation's period end (`exp`).
    pub expires: u64,
}

/// A consent, verified (SPEC.md §17.4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedConsent {
    /// Who answered: their credential and the claims that name them.
    pub consenter: VerifiedCredential,
    /// The digest of the request answered.
    pub request: [u8; DIGEST_LEN],
    /// Yes (`true`) or no.
    pub answer: bool,
    /// The consent's period start (`nbf`).
    pub not_before: u64,
    /// The consent's period end (`exp`).
    pub expires: u64,
}

/// Verifies a scanned `NCA1:` text at a desk that handles `matter`, at
/// Unix time `now`, in the order of SPEC.md §17.3. The delegate's
/// presentation is checked by `verifier` exactly as a presentation alone
/// ([`Verifier::verify_bytes`]), under its policy; the delegator's
/// credential against the same trusted keys, algorithms and skew.
pub fn verify_acting(
    verifier: &Verifier,
    text: &[u8],
    matter: Matter,
    now: u64,
) -> Result<VerifiedActing, DelegationError> {
    let bytes = text::decode(TextKind::Acting, text).map_err(DelegationError::Invalid)?;
    verify_acting_bytes(verifier, &bytes, matter, now)
}

/// [`verify_acting`] on the decoded bytes, at most
/// [`text::MAX_PRESENTATION_BYTES`] long.
pub fn verify_acting_bytes(
    verifier: &Verifier,
    bytes: &[u8],
    matter: Matter,
    now: u64,
) -> Result<VerifiedActing, DelegationError> {
    check_size(bytes)?;
    let r = &mut Reader::new(bytes);
    let at = r.offset();
    if r.array()? != 2 {
        return Err(Malformed::at(MalformedKind::InvalidValue { field: "acting" }, at).into());
    }
    let statement = Statement::read(r, StatementKind::Delegation)?;
    let start = r.offset();
    Sign1::read(r)?;
    let presentation = r.slice(start, r.offset());
    r.finish()?;

    let delegator = statement.verify(verifier, StatementKind::Delegation, now)?;
    // Statement::read gives a delegation's content for a delegation.
    let Content::Delegation { matter: found, delegate } = statement.content else {
        return Err(DelegationError::NotADelegation);
    };
    if found != matter {
        return Err(DelegationError::MatterMismatch { expected: matter, found });
    }
    let seen = verifier.verify_bytes(presentation, now).map_err(DelegationError::Delegate)?;
    if seen.device_key.thumbprint() != delegate {
        return Err(DelegationError::WrongDelegate);
    }
    Ok(VerifiedActing {
        delegator,
        delegate: seen,
        matter,
        not_before: statement.not_before,
        expires: statement.expires,
    })
}

/// Verifies a scanned `NCK1:` text answering the request whose SHA-256
/// digest is `request`, at Unix time `now`, in the order of SPEC.md §17.4.
/// A "no" verifies too: the answer is reported, the desk acts on it.
pub fn verify_consent(
    verifier: &Verifier,
    text: &[u8],
    request: &[u8; DIGEST_LEN],
    now: u64,
) -> Result<VerifiedConsent, DelegationError> {
    let bytes = text::decode(TextKind::Consent, text).map_err(DelegationError::Invalid)?;
    verify_consent_bytes(verifier, &bytes, request, now)
}

/// [`verify_consent`] on the decoded bytes, at most
/// [`text::MAX_PRESENTATION_BYTES`] long.
pub fn verify_consent_bytes(
    verifier: &Verifier,
    bytes: &[u8],
    request: &[u8; DIGEST_LEN],
    now: u64,
) -> Result<VerifiedConsent, DelegationError> {
    check_size(bytes)?;
    let r = &mut Reader::new(bytes);
    let statement = Statement::read(r, StatementKind::Consent)?;
    r.finish()?;
    let consenter = statement.verify(verifier, StatementKind::Consent, now)?;
    // Statement::read gives a consent's content for a consent.
    let Content::Consent { request: found, answer } = statement.content else {
        return Err(DelegationError::NotAConsent);
    };
    if &found != request {
        return Err(DelegationError::RequestMismatch);
    }
    Ok(VerifiedConsent {
        consenter,
        request: found,
        answer,
        not_before: statement.not_before,
        expires: statement.expires,
    })
}

/// Decoded input is at most what one QR code's text decodes to.
fn check_size(bytes: &[u8]) -> Result<(), DelegationError> {
    let max = text::MAX_PRESENTATION_BYTES;
    if bytes.len() > max {
        return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
