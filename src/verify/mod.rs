//! Verification: text in, typed result or one precise error out, no network.
//!
//! [`Verifier::verify`] follows SPEC.md §5 step by step. It needs only the
//! issuer keys it caches ([`TrustedKey`]), the document registry and a
//! [`Policy`]; it never panics, and every allocation is bounded by the input
//! size limit.

use alloc::string::String;
use alloc::vec::Vec;

use crate::cbor::Reader;
use crate::cose::{Sign1, SignatureFailure};
use crate::credential::{CredentialBody, Disclosure, StatusRef, digest, read_claims};
use crate::document::{Claim, DocType, Profile, Registry};
use crate::error::{Error, Malformed, MalformedKind};
use crate::keys::{Algorithm, KeyId, PublicKey};
use crate::presentation::{PresentationBody, Window};
use crate::text::{self, TextKind};

/// An issuer key the verifier trusts, and what for.
#[derive(Clone, Debug)]
pub struct TrustedKey {
    key: PublicKey,
    /// `key.id()`, kept because every verification looks keys up by it.
    id: KeyId,
    issuer: String,
    doc_types: Vec<String>,
    not_before: Option<u64>,
    not_after: Option<u64>,
}

impl TrustedKey {
    /// Trusts `key` for credentials whose `iss` is `issuer`, of any document
    /// type, at any time.
    pub fn new(issuer: &str, key: PublicKey) -> Self {
        Self { id: key.id(), key, issuer: issuer.into(), doc_types: Vec::new(), not_before: None, not_after: None }
    }

    /// Restricts the key to these document types (by name).
    #[must_use]
    pub fn doc_types(mut self, names: &[&str]) -> Self {
        self.doc_types = names.iter().map(|n| String::from(*n)).collect();
        self
    }

    /// Restricts the key to `[not_before, not_after)` by the verifier's clock.
    #[must_use]
    pub fn valid_between(mut self, not_before: u64, not_after: u64) -> Self {
        self.not_before = Some(not_before);
        self.not_after = Some(not_after);
        self
    }

    /// The key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }

    /// The issuer's name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    fn allows(&self, doc: &DocType) -> bool {
        self.doc_types.is_empty() || self.doc_types.iter().any(|n| n == doc.name())
    }

    fn valid_at(&self, now: u64) -> bool {
        self.not_before.is_none_or(|t| now >= t) && self.not_after.is_none_or(|t| now < t)
    }
}

/// What a verifier accepts.
#[derive(Clone, Debug)]
pub struct Policy {
    algorithms: Vec<Algorithm>,
    clock_skew: u64,
    required_claims: Vec<String>,
    profile: Option<Profile>,
    challenge: Option<u32>,
    audience: Option<String>,
}

impl Default for Policy {
    /// Both algorithms, 10 s of clock skew, nothing required.
    fn default() -> Self {
        Self {
            algorithms: [Algorithm::EdDsa, Algorithm::Es256].to_vec(),
            clock_skew: Policy::DEFAULT_CLOCK_SKEW,
            required_claims: Vec::new(),
            profile: None,
            challenge: None,
            audience: None,
        }
    }
}

impl Policy {
    /// Default tolerance between phone and scanner clocks, in seconds.
    pub const DEFAULT_CLOCK_SKEW: u64 = 10;

    /// Accepts only these algorithms (issuer and device alike).
    #[must_use]
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    /// Tolerates this many seconds of clock difference on every time check.
    #[must_use]
    pub fn clock_skew(mut self, secs: u64) -> Self {
        self.clock_skew = secs;
        self
    }

    /// Requires these claims to be disclosed.
    #[must_use]
    pub fn require_claims(mut self, names: &[&str]) -> Self {
        self.required_claims = names.iter().map(|n| String::from(*n)).collect();
        self
    }

    /// Requires what `profile` insists on ([`Profile::required`]).
    #[must_use]
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Requires the presentation to carry this challenge.
    #[must_use]
    pub fn challenge(mut self, challenge: u32) -> Self {
        self.challenge = Some(challenge);
        self
    }

    /// Requires presentations that name an audience to name this one.
    #[must_use]
    pub fn audience(mut self, audience: &str) -> Self {
        self.audience = Some(audience.into());
        self
    }
}

/// A presentation that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// Document type name, e.g. `resident_id_card`.
    pub doc_type: String,
    /// Document type title.
    pub doc_title: String,
    /// The credential's `iss`.
    pub issuer: String,
    /// The issuer key that signed it.
    pub key_id: KeyId,
    /// The issuer's algorithm.
    pub issuer_algorithm: Algorithm,
    /// The device key's algorithm.
    pub device_algorithm: Algorithm,
    /// Credential validity start (`nbf`).
    pub not_before: u64,
    /// Credential validity end (`exp`).
    pub expires: u64,
    /// `iat`, if the issuer set it.
    pub issued_at: Option<u64>,
    /// `cti`, if the issuer set it.
    pub credential_id: Option<Vec<u8>>,
    /// Revocation status reference, for a status-list check.
    pub status: Option<StatusRef>,
    /// The presentation window.
    pub window: Window,
    /// The challenge the presentation carries.
    pub challenge: Option<u32>,
    /// The audience the presentation names.
    pub audience: Option<String>,
    /// Disclosed claims: a view's plain claims in code order, then disclosed
    /// ones in the order the presentation carries them.
    pub claims: Vec<Claim>,
}

impl Verified {
    /// The disclosed claim named `name`.
    pub fn claim(&self, name: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.name == name)
    }
}

/// Checks presentations against cached issuer keys and a policy.
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: Vec<TrustedKey>,
    registry: Registry,
    policy: Policy,
}

impl Verifier {
    /// A verifier trusting `keys`, with the built-in registry and the default policy.
    pub fn new(keys: Vec<TrustedKey>) -> Self {
        Self { keys, registry: Registry::builtin(), policy: Policy::default() }
    }

    /// Replaces the policy.
    #[must_use]
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Replaces the document registry (to add custom types).
    #[must_use]
    pub fn with_registry(mut self, registry: Registry) -> Self {
        self.registry = registry;
        self
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verifies a scanned `NC1:` text at Unix time `now`.
    pub fn verify(&self, text: &[u8], now: u64) -> Result<Verified, Error> {
        self.verify_bytes(&text::decode(TextKind::Presentation, text)?, now)
    }

    /// Verifies a presentation's bytes (the base45-decoded text). Input longer
    /// than [`text::MAX_PRESENTATION_BYTES`] is refused before it is parsed.
    pub fn verify_bytes(&self, bytes: &[u8], now: u64) -> Result<Verified, Error> {
        if bytes.len() > text::MAX_PRESENTATION_BYTES {
            let max = text::MAX_PRESENTATION_BYTES;
            return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
        }
        // §5 step 2: parse the presentation and the credential inside it.
        let r = &mut Reader::new(bytes);
        let outer = Sign1::read(r)?;
        r.finish()?;
        let body = PresentationBody::read(outer.payload, outer.payload_offset)?;
        let credential = &body.credential;

        // Step 3: the issuer key.
        let kid = credential
            .header
            .kid
            .ok_or(MalformedKind::MissingField { field: "kid" })
            .and_then(|kid| KeyId::from_slice(kid).ok_or(MalformedKind::InvalidValue { field: "kid" }))
            .map_err(|kind| Malformed::at(kind, credential.payload_offset))?;
        let trusted = self.keys.iter().find(|k| k.id == kid).ok_or(Error::UnknownKey { kid })?;
        let issuer_algorithm = self.algorithm(credential, &trusted.key)?;
        if !trusted.valid_at(now) {
            return Err(Error::IssuerKeyNotValid);
        }

        // Step 4: the issuer signature, then the claims set it covers.
        credential.verify(&trusted.key).map_err(|f| signature_error(f, Error::BadIssuerSignature))?;
        let cred = CredentialBody::read(credential.payload, credential.payload_offset)?;
        if cred.issuer != trusted.issuer {
            return Err(Error::IssuerMismatch);
        }
        let doc = self.registry.get(&cred.doc_type).ok_or(Error::UnknownDocType)?;
        if !trusted.allows(doc) {
            return Err(Error::KeyNotAllowedForDocType);
        }

        // Step 5: the device signature, by the key the credential binds.
        let device_algorithm = self.algorithm(&outer, &cred.device_key)?;
        outer.verify(&cred.device_key).map_err(|f| signature_error(f, Error::BadDeviceSignature))?;

        // Step 6: claims, plain and disclosed.
        let mut claims = Vec::with_capacity(doc.claims().len());
        if let Some((raw, at)) = cred.claims {
            let r = &mut Reader::nested(raw, at);
            read_claims(r, doc, &mut claims)?;
        }
        let mut disclosed_codes: Vec<u64> = Vec::with_capacity(body.disclosures.len());
        for &(bytes, at) in &body.disclosures {
            if !cred.digests.contains(&&digest(bytes)[..]) {
                return Err(Error::DisclosureDigestMismatch);
            }
            let disclosure = Disclosure::read(bytes, at)?;
            let def = doc
                .claims()
                .iter()
                .find(|d| u64::from(d.code) == disclosure.code)
                .ok_or(Malformed::at(MalformedKind::UnknownField, at))?;
            if disclosed_codes.contains(&disclosure.code) || claims.iter().any(|c| c.name == def.name) {
                return Err(Malformed::at(MalformedKind::DuplicateClaim, at).into());
            }
            disclosed_codes.push(disclosure.code);
            claims.push(disclosure.claim(def)?);
        }

        // Step 7: time.
        let skew = self.policy.clock_skew;
        if now.saturating_add(skew) < cred.not_before {
            return Err(Error::CredentialNotYetValid { not_before: cred.not_before, now });
        }
        if now >= cred.expires.saturating_add(skew) {
            return Err(Error::CredentialExpired { expires: cred.expires, now });
        }
        let window = body.window;
        if now.saturating_add(skew) < window.start() {
            return Err(Error::WindowNotYetValid { start: window.start(), now });
        }
        if now >= window.end().saturating_add(skew) {
            return Err(Error::WindowExpired { end: window.end(), now });
        }

        // Step 8: the policy.
        if let Some(expected) = self.policy.challenge {
            if body.challenge != Some(expected) {
                return Err(Error::ChallengeMismatch { expected, found: body.challenge });
            }
        }
        if let (Some(expected), Some(found)) = (&self.policy.audience, body.audience) {
            if expected != found {
                return Err(Error::AudienceMismatch);
            }
        }
        let profile_required = self.policy.profile.map_or(&[][..], Profile::required);
        let required = self
            .policy
            .required_claims
            .iter()
            .map(String::as_str)
            .chain(profile_required.iter().copied().filter(|name| doc.claim(name).is_some()));
        for name in required {
            if !claims.iter().any(|c| c.name == name) {
                return Err(Error::MissingRequiredClaim { name: name.into() });
            }
        }

        Ok(Verified {
            doc_type: doc.name().into(),
            doc_title: doc.title().into(),
            issuer: cred.issuer.into(),
            key_id: kid,
            issuer_algorithm,
            device_algorithm,
            not_before: cred.not_before,
            expires: cred.expires,
            issued_at: cred.issued_at,
            credential_id: cred.id.map(<[u8]>::to_vec),
            status: cred.status,
            window,
            challenge: body.challenge,
            audience: body.audience.map(String::from),
            claims,
        })
    }

    /// The algorithm of a Sign1, which the policy must allow and the key must use.
    fn algorithm(&self, sign1: &Sign1<'_>, key: &PublicKey) -> Result<Algorithm, Error> {
        let id = sign1
            .header
            .alg
            .ok_or(Malformed::at(MalformedKind::MissingField { field: "alg" }, sign1.payload_offset))?;
        let alg = Algorithm::from_cose_id(id)
            .filter(|a| self.policy.algorithms.contains(a))
            .ok_or(Error::AlgorithmNotAllowed { alg: id })?;
        if alg != key.algorithm() {
            return Err(Error::AlgorithmMismatch);
        }
        Ok(alg)
    }
}

fn signature_error(failure: SignatureFailure, invalid: Error) -> Error {
    match failure {
        SignatureFailure::Invalid => invalid,
        SignatureFailure::HighS(m) => Error::Malformed(m),
    }
}

#[cfg(test)]
mod tests;
