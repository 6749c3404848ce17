//! Verification: text in, typed result or one precise error out, no network.
//!
//! [`Verifier::verify`] follows SPEC.md §5 step by step. It is a pure
//! function of the scanned bytes, the clock, the issuer keys it caches
//! ([`TrustedKey`], each scoped to document types), the document registry and
//! a [`Policy`]; it never panics, and every allocation is bounded by the input
//! size limit.

mod policy;
mod trust;

pub use policy::{Policy, Requirement};
pub use trust::{KeyScope, TrustedKey};

use alloc::string::String;
use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::cbor::Reader;
use crate::cose::{RECEIPT_TYPE, Sign1, SignatureFailure};
use crate::credential::{CredentialBody, Disclosure, StatusRef, digest, read_claims};
use crate::document::{Claim, DocType, Registry};
use crate::error::{ConfigError, Error, Malformed, MalformedKind};
use crate::keys::{Algorithm, KeyId, PublicKey};
use crate::presentation::{PresentationBody, Window};
use crate::seal::{self, GroupSecretKey};
use crate::text::{self, TextKind};

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
    /// The device key the credential binds, which signed the presentation.
    pub device_key: PublicKey,
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
    /// SHA-256 of what the device signed (the presentation's Sig_structure,
    /// SPEC.md §7.5): the same for every re-encoding of one presentation, so
    /// a desk can recognise a code it has already accepted.
    pub presentation_id: [u8; 32],
    /// Disclosed claims: a view's plain claims in code order, then disclosed
    /// ones in the order the presentation carries them.
    pub claims: Vec<Claim>,
    /// The group key that opened the code, if it was sealed (SPEC.md §13).
    pub sealed_to: Option<KeyId>,
}

impl Verified {
    /// The disclosed claim named `name`.
    pub fn claim(&self, name: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.name == name)
    }
}

/// A credential that passed the issuer, claims and validity checks on its
/// own ([`Verifier::verify_credential`]), with no presentation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedCredential {
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
    /// The device key the credential binds (`cnf`).
    pub device_key: PublicKey,
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
    /// Plain claims in code order, then disclosed ones in the order given.
    pub claims: Vec<Claim>,
}

impl VerifiedCredential {
    /// The claim named `name`.
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
    /// Scanner-group keys that open sealed codes (SPEC.md §13).
    group_keys: Vec<GroupSecretKey>,
}

impl Verifier {
    /// A verifier trusting `keys` under `policy`, with the built-in registry.
    /// See [`Verifier::with_registry`] for what is refused.
    pub fn new(keys: Vec<TrustedKey>, policy: Policy) -> Result<Self, Error> {
        Self::with_registry(Registry::builtin(), keys, policy)
    }

    /// A verifier with a registry of custom types. The configuration is
    /// checked as a whole: the same key id trusted twice (one key under two
    /// names or scopes, or two keys whose ids collide), a scope naming a type
    /// the registry lacks, and a requirement no accepted type can meet are
    /// each refused with [`Error::InvalidConfig`].
    pub fn with_registry(registry: Registry, keys: Vec<TrustedKey>, policy: Policy) -> Result<Self, Error> {
        Self::with_group_keys(registry, keys, Vec::new(), policy)
    }

    /// [`Verifier::with_registry`] with scanner-group keys that open sealed
    /// codes (SPEC.md §13). Also refused: one group key given twice, and a
    /// policy that requires sealed codes with no group key to open them.
    pub fn with_group_keys(
        registry: Registry,
        keys: Vec<TrustedKey>,
        group_keys: Vec<GroupSecretKey>,
        policy: Policy,
    ) -> Result<Self, Error> {
        for (i, key) in group_keys.iter().enumerate() {
            if group_keys[..i].iter().any(|k| k.id() == key.id()) {
                return Err(ConfigError::DuplicateGroupKey(key.id()).into());
            }
        }
        if policy.require_sealed && group_keys.is_empty() {
            return Err(ConfigError::SealWithoutGroupKey.into());
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].iter().any(|k| k.id() == key.id()) {
                return Err(ConfigError::DuplicateKey(key.id()).into());
            }
            if let KeyScope::Types(names) = key.scope() {
                if let Some(unknown) = names.iter().find(|n| registry.by_name(n).is_none()) {
                    return Err(ConfigError::UnknownDocTypeName(unknown.clone()).into());
                }
            }
        }
        policy.check_config(&registry)?;
        Ok(Self { keys, registry, policy, group_keys })
    }

    /// The trusted keys.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The scanner-group keys.
    pub fn group_keys(&self) -> &[GroupSecretKey] {
        &self.group_keys
    }

    /// The clock skew the policy allows, in seconds.
    pub(crate) fn skew(&self) -> u64 {
        self.policy.clock_skew
    }

    /// Verifies a scanned text at Unix time `now`: an `NC1:` presentation, or
    /// an `NCS1:` sealed one, which is opened first (SPEC.md §13.3).
    pub fn verify(&self, text: &[u8], now: u64) -> Result<Verified, Error> {
        if text::kind_of(text) == Some(TextKind::Sealed) {
            return self.verify_sealed_bytes(&text::decode(TextKind::Sealed, text)?, now);
        }
        if self.policy.require_sealed {
            return Err(Error::SealRequired);
        }
        self.verify_presentation(&text::decode(TextKind::Presentation, text)?, now)
    }

    /// Verifies a presentation's bytes (the base45-decoded text). Input longer
    /// than [`text::MAX_PRESENTATION_BYTES`] is refused before it is parsed.
    /// A policy that requires sealed codes refuses them all (`seal_required`).
    pub fn verify_bytes(&self, bytes: &[u8], now: u64) -> Result<Verified, Error> {
        if self.policy.require_sealed {
            return Err(Error::SealRequired);
        }
        self.verify_presentation(bytes, now)
    }

    /// Verifies a sealed code's bytes (the base45-decoded `NCS1:` text): opens
    /// it with the group key it names, then verifies the presentation inside.
    pub fn verify_sealed_bytes(&self, bytes: &[u8], now: u64) -> Result<Verified, Error> {
        if bytes.len() > text::MAX_PRESENTATION_BYTES {
            let max = text::MAX_PRESENTATION_BYTES;
            return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
        }
        let opened = seal::open(bytes, &self.group_keys)?;
        let mut verified = self.verify_presentation(&opened.presentation, now)?;
        verified.sealed_to = Some(opened.group);
        Ok(verified)
    }

    /// SPEC.md §5 from step 2.
    fn verify_presentation(&self, bytes: &[u8], now: u64) -> Result<Verified, Error> {
        if bytes.len() > text::MAX_PRESENTATION_BYTES {
            let max = text::MAX_PRESENTATION_BYTES;
            return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
        }
        // §5 step 2: parse the presentation and the credential inside it.
        let r = &mut Reader::new(bytes);
        let outer = Sign1::read(r)?;
        r.finish()?;
        // A desk's receipt is a COSE_Sign1 too: refuse it by its `typ`
        // before its payload is taken for a presentation's (§5 step 2.2).
        if outer.header.typ == Some(RECEIPT_TYPE) {
            return Err(Malformed::at(MalformedKind::ReceiptNotPresentation, 0).into());
        }
        let body = PresentationBody::read(outer.payload, outer.payload_offset)?;
        let credential = &body.credential;

        // Steps 3 and 4: the issuer key, its signature, the claims set.
        let issued = self.check_issuer(credential, now)?;
        let cred = &issued.body;

        // Step 5: the device signature, by the key the credential binds.
        let device_algorithm = self.algorithm(&outer, &cred.device_key)?;
        let signed = outer.verify(&cred.device_key).map_err(|f| signature_error(f, Error::BadDeviceSignature))?;
        let presentation_id = Sha256::digest(signed).into();

        // Step 6: claims, plain and disclosed.
        let claims = read_all_claims(cred, issued.doc, &body.disclosures)?;

        // Step 7: time.
        self.check_credential_time(cred, now)?;
        let window = body.window;
        let skew = self.policy.clock_skew;
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
        if body.audience != self.policy.audience.as_deref() {
            return Err(match body.audience {
                None => Error::AudienceMissing,
                Some(_) => Error::AudienceMismatch,
            });
        }
        let doc = issued.doc;
        if let Some(profile) = self.policy.profile {
            let required = profile.required_for(doc).ok_or(Error::DocTypeNotAccepted)?;
            for &name in required {
                Requirement::disclosed(name).check(&claims)?;
            }
        }
        for requirement in &self.policy.requirements {
            requirement.check(&claims)?;
        }

        Ok(Verified {
            doc_type: doc.name().into(),
            doc_title: doc.title().into(),
            issuer: cred.issuer.into(),
            key_id: issued.key_id,
            issuer_algorithm: issued.algorithm,
            device_key: cred.device_key.clone(),
            device_algorithm,
            not_before: cred.not_before,
            expires: cred.expires,
            issued_at: cred.issued_at,
            credential_id: cred.id.map(<[u8]>::to_vec),
            status: cred.status,
            window,
            challenge: body.challenge,
            audience: body.audience.map(String::from),
            presentation_id,
            claims,
            sealed_to: None,
        })
    }

    /// Verifies an issuer-signed credential with its disclosures, with no
    /// presentation around it, at `now`: SPEC.md §5 steps 3, 4, 6 and the
    /// credential's part of step 7, in that order, against the trusted keys
    /// and the policy's algorithms and skew (its profile, requirements,
    /// challenge and audience concern presentations and are not applied).
    /// A delegation or a consent (SPEC.md §17) carries its signer's
    /// credential this way; the signer's device key is what it returns for
    /// checking the signature over the rest.
    pub fn verify_credential(
        &self,
        credential: &[u8],
        disclosures: &[Vec<u8>],
        now: u64,
    ) -> Result<VerifiedCredential, Error> {
        let r = &mut Reader::new(credential);
        let sign1 = Sign1::read(r)?;
        r.finish()?;
        let disclosures: Vec<(&[u8], usize)> = disclosures.iter().map(|d| (d.as_slice(), 0)).collect();
        self.verify_credential_parts(&sign1, &disclosures, now)
    }

    /// [`Verifier::verify_credential`] over a credential already read, its
    /// disclosures with their offsets in the outermost input.
    pub(crate) fn verify_credential_parts(
        &self,
        credential: &Sign1<'_>,
        disclosures: &[(&[u8], usize)],
        now: u64,
    ) -> Result<VerifiedCredential, Error> {
        let issued = self.check_issuer(credential, now)?;
        let cred = &issued.body;
        let claims = read_all_claims(cred, issued.doc, disclosures)?;
        self.check_credential_time(cred, now)?;
        Ok(VerifiedCredential {
            doc_type: issued.doc.name().into(),
            doc_title: issued.doc.title().into(),
            issuer: cred.issuer.into(),
            key_id: issued.key_id,
            issuer_algorithm: issued.algorithm,
            device_key: cred.device_key.clone(),
            not_before: cred.not_before,
            expires: cred.expires,
            issued_at: cred.issued_at,
            credential_id: cred.id.map(<[u8]>::to_vec),
            status: cred.status,
            claims,
        })
    }

    /// §5 steps 3 and 4: the trusted key the credential names, its
    /// signature, then the claims set it covers, its issuer, type and dates.
    fn check_issuer<'a>(&'a self, credential: &Sign1<'a>, now: u64) -> Result<Issued<'a>, Error> {
        let kid = credential
            .header
            .kid
            .ok_or(MalformedKind::MissingField { field: "kid" })
            .and_then(|kid| KeyId::from_slice(kid).ok_or(MalformedKind::InvalidValue { field: "kid" }))
            .map_err(|kind| Malformed::at(kind, credential.payload_offset))?;
        let trusted = self.keys.iter().find(|k| k.id() == kid).ok_or(Error::UnknownKey { kid })?;
        let algorithm = self.algorithm(credential, trusted.key())?;
        if !trusted.valid_at(now) {
            return Err(Error::IssuerKeyNotValid);
        }
        credential.verify(trusted.key()).map_err(|f| signature_error(f, Error::BadIssuerSignature))?;
        let body = CredentialBody::read(credential.payload, credential.payload_offset)?;
        if body.issuer != trusted.issuer() {
            return Err(Error::IssuerMismatch);
        }
        let doc = self.registry.get(&body.doc_type).ok_or(Error::UnknownDocType)?;
        if !trusted.scope().allows(doc) {
            return Err(Error::KeyNotAllowedForDocType);
        }
        trusted.check_issued_at(body.issued_at.unwrap_or(body.not_before))?;
        Ok(Issued { key_id: kid, algorithm, body, doc })
    }

    /// The credential's part of §5 step 7: `nbf`, `exp` and `iat` against
    /// the clock, with the policy's skew.
    fn check_credential_time(&self, cred: &CredentialBody<'_>, now: u64) -> Result<(), Error> {
        let skew = self.policy.clock_skew;
        if now.saturating_add(skew) < cred.not_before {
            return Err(Error::CredentialNotYetValid { not_before: cred.not_before, now });
        }
        if now >= cred.expires.saturating_add(skew) {
            return Err(Error::CredentialExpired { expires: cred.expires, now });
        }
        if let Some(issued_at) = cred.issued_at.filter(|&iat| now.saturating_add(skew) < iat) {
            return Err(Error::CredentialIssuedInFuture { issued_at, now });
        }
        Ok(())
    }

    /// The algorithm of a Sign1, which the policy must allow and the key must use.
    pub(crate) fn algorithm(&self, sign1: &Sign1<'_>, key: &PublicKey) -> Result<Algorithm, Error> {
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

/// A credential whose issuer checks passed (§5 steps 3 and 4).
struct Issued<'a> {
    key_id: KeyId,
    algorithm: Algorithm,
    body: CredentialBody<'a>,
    doc: &'a DocType,
}

/// §5 step 6: the plain claims in code order, then the disclosed ones in
/// the order given, each disclosure matched against the signed digests.
fn read_all_claims(
    cred: &CredentialBody<'_>,
    doc: &DocType,
    disclosures: &[(&[u8], usize)],
) -> Result<Vec<Claim>, Error> {
    let mut claims = Vec::with_capacity(doc.claims().len());
    if let Some((raw, at)) = cred.claims {
        let r = &mut Reader::nested(raw, at);
        read_claims(r, doc, &mut claims)?;
    }
    let mut disclosed_codes: Vec<u64> = Vec::with_capacity(disclosures.len());
    for &(bytes, at) in disclosures {
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
    Ok(claims)
}

fn signature_error(failure: SignatureFailure, invalid: Error) -> Error {
    match failure {
        SignatureFailure::Invalid => invalid,
        SignatureFailure::HighS(m) => Error::Malformed(m),
    }
}

#[cfg(test)]
mod tests;
