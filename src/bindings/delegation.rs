//! Delegation and consent on the phone and at the desk
//! ([`crate::delegation`], SPEC.md §17): the delegator's wallet signs a
//! delegation ([`Holder::delegate`]), the delegate's wallet shows it with
//! its own presentation ([`Holder::act`]), a wallet answers a request
//! ([`Holder::consent`]); the desk checks them ([`Verifier::verify_acting`],
//! [`Verifier::verify_consent`]).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Claim, Disclose, Holder, NocardError, Verification, Verifier, parse_device_key};
use crate::delegation::{self, Acting, Delegation, DelegationError, Matter};
use crate::verify::VerifiedCredential;

/// The credential a delegation or consent is chained from, verified.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SignerCredential {
    /// Document type name, e.g. `resident_id_card`.
    pub doc_type: String,
    /// The credential's issuer.
    pub issuer: String,
    /// The issuer key's id, lowercase hex.
    pub key_id: String,
    /// Credential validity start (Unix seconds).
    pub not_before: u64,
    /// Credential validity end.
    pub expires: u64,
    /// The claims that name the signer (by default `name` and `id_number`).
    pub claims: Vec<Claim>,
}

/// Who acts for whom and for what: an `NCA1:` text that passed every check.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ActingVerification {
    /// The delegator.
    pub delegator: SignerCredential,
    /// The delegate's own presentation, verified under the desk's policy.
    pub delegate: Verification,
    /// The matter, e.g. `register_child_residence`.
    pub matter: String,
    /// The delegation's period start (Unix seconds).
    pub not_before: u64,
    /// The delegation's period end.
    pub expires: u64,
}

/// A consent (`NCK1:`) that passed every check: its answer, yes or no.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ConsentVerification {
    /// Who answered.
    pub consenter: SignerCredential,
    /// Yes (`true`) or no.
    pub answer: bool,
    /// The consent's period start (Unix seconds).
    pub not_before: u64,
    /// The consent's period end.
    pub expires: u64,
}

fn matter(name: &str) -> Result<Matter, NocardError> {
    name.parse()
        .map_err(|_| NocardError::Usage { code: "usage".into(), reason: alloc::format!("unknown matter {name}") })
}

fn digest(bytes: &[u8]) -> Result<[u8; delegation::DIGEST_LEN], NocardError> {
    bytes.try_into().map_err(|_| NocardError::Usage {
        code: "usage".into(),
        reason: "a request digest is 32 bytes (SHA-256)".into(),
    })
}

#[uniffi::export]
impl Holder {
    /// A delegation (`NCD1:` text) of `matter` (`register_child_residence`,
    /// `collect_certificate`) to the holder of `delegate_key` (their device
    /// key: COSE_Key, SEC1 P-256 point or `SubjectPublicKeyInfo`), for the
    /// period `[not_before, expires)`, disclosing `name` and `id_number`.
    pub fn delegate(
        &self,
        matter_name: String,
        delegate_key: Vec<u8>,
        not_before: u64,
        expires: u64,
    ) -> Result<String, NocardError> {
        let key = parse_device_key(&delegate_key)?;
        let signed =
            delegation::delegate(&self.core, matter(&matter_name)?, &key).period(not_before, expires).sign()?;
        Ok(signed.to_text())
    }

    /// What the delegate shows at the desk (`NCA1:` text): the `NCD1:`
    /// delegation it was given and a presentation of its own credential,
    /// as [`Holder::present`] makes one.
    pub fn act(
        &self,
        delegation: String,
        disclose: Disclose,
        now: u64,
        window_secs: u16,
        audience: Option<String>,
    ) -> Result<String, NocardError> {
        let delegation = Delegation::from_text(delegation.as_bytes())?;
        let mut builder = self.core.present(disclose.to_core()?).at(now).window_secs(window_secs);
        if let Some(a) = &audience {
            builder = builder.audience(a);
        }
        Ok(Acting::new(&delegation, &builder.sign()?).to_text())
    }

    /// A consent (`NCK1:` text): yes (`answer` true) or no to the request
    /// whose SHA-256 digest is `request_sha256`, for `[not_before, expires)`.
    pub fn consent(
        &self,
        request_sha256: Vec<u8>,
        answer: bool,
        not_before: u64,
        expires: u64,
    ) -> Result<String, NocardError> {
        let signed =
            delegation::consent(&self.core, digest(&request_sha256)?, answer).period(not_before, expires).sign()?;
        Ok(signed.to_text())
    }
}

#[uniffi::export]
impl Verifier {
    /// Verifies a scanned `NCA1:` text at a desk that handles `matter` at
    /// `now`: issuer → delegator's credential → delegation → delegate.
    pub fn verify_acting(
        &self,
        text: String,
        matter_name: String,
        now: u64,
    ) -> Result<ActingVerification, NocardError> {
        let seen = delegation::verify_acting(&self.core, text.as_bytes(), matter(&matter_name)?, now)?;
        Ok(ActingVerification {
            delegator: seen.delegator.into(),
            delegate: Verification::new(seen.delegate, None),
            matter: seen.matter.name().into(),
            not_before: seen.not_before,
            expires: seen.expires,
        })
    }

    /// Verifies a scanned `NCK1:` text answering the request whose SHA-256
    /// digest is `request_sha256`, at `now`. A "no" verifies too.
    pub fn verify_consent(
        &self,
        text: String,
        request_sha256: Vec<u8>,
        now: u64,
    ) -> Result<ConsentVerification, NocardError> {
        let seen = delegation::verify_consent(&self.core, text.as_bytes(), &digest(&request_sha256)?, now)?;
        Ok(ConsentVerification {
            consenter: seen.consenter.into(),
            answer: seen.answer,
            not_before: seen.not_before,
            expires: seen.expires,
        })
    }
}

impl From<VerifiedCredential> for SignerCredential {
    fn from(c: VerifiedCredential) -> Self {
        SignerCredential {
            doc_type: c.doc_type,
            issuer: c.issuer,
            key_id: c.key_id.to_string(),
            not_before: c.not_before,
            expires: c.expires,
            claims: c.claims.into_iter().map(Claim::from).collect(),
        }
    }
}

impl From<DelegationError> for NocardError {
    fn from(e: DelegationError) -> Self {
        match e {
            DelegationError::Invalid(inner) => inner.into(),
            other => NocardError::Delegation {
                code: other.code().into(),
                reason: other.to_string(),
                detail: other.inner().map(|i| i.code().into()),
            },
        }
    }
}
