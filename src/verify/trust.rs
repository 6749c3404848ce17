//! The issuer keys a verifier trusts, each scoped to the document types it
//! may sign.
//!
//! A key is trusted for what it is scoped to and nothing else: a desk that
//! trusts the police bureau for identity cards and the education bureau for
//! diplomas must not accept an identity card signed by the education bureau.
//! There is no default scope; signing every type is the explicit
//! [`KeyScope::AllTypes`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::credential::MAX_ISSUER_LEN;
use crate::document::DocType;
use crate::error::{ConfigError, Error};
use crate::keys::{KeyId, PublicKey};

/// The document types a trusted key may sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyScope {
    /// Every type in the verifier's registry, now and after it is extended.
    AllTypes,
    /// Only these types, by name; never empty, no name twice
    /// (enforced by [`KeyScope::types`]).
    Types(Vec<String>),
}

impl KeyScope {
    /// A scope of these document types. An empty list is refused: a key that
    /// may sign every type says so with [`KeyScope::AllTypes`]. Whether each
    /// name is a registered type is checked when the verifier is built.
    pub fn types<S: AsRef<str>>(names: &[S]) -> Result<Self, Error> {
        if names.is_empty() {
            return Err(ConfigError::EmptyKeyScope.into());
        }
        let mut types: Vec<String> = Vec::with_capacity(names.len());
        for name in names.iter().map(AsRef::as_ref) {
            if types.iter().any(|t| t == name) {
                return Err(ConfigError::DuplicateScopeType(name.into()).into());
            }
            types.push(name.into());
        }
        Ok(KeyScope::Types(types))
    }

    /// Whether a key with this scope may sign `doc`.
    pub fn allows(&self, doc: &DocType) -> bool {
        match self {
            KeyScope::AllTypes => true,
            KeyScope::Types(names) => names.iter().any(|n| n == doc.name()),
        }
    }
}

/// An issuer key the verifier trusts, and what for.
#[derive(Clone, Debug)]
pub struct TrustedKey {
    key: PublicKey,
    /// `key.id()`, kept because every verification looks keys up by it.
    id: KeyId,
    issuer: String,
    scope: KeyScope,
    not_before: Option<u64>,
    not_after: Option<u64>,
    signs: Option<(u64, u64)>,
    compromised_at: Option<u64>,
}

impl TrustedKey {
    /// Trusts `key` for credentials whose `iss` is `issuer` (1-64 bytes) and
    /// whose document type is in `scope`, at any time.
    pub fn new(issuer: &str, key: PublicKey, scope: KeyScope) -> Result<Self, Error> {
        if issuer.is_empty() || issuer.len() > MAX_ISSUER_LEN {
            return Err(ConfigError::IssuerName.into());
        }
        Ok(Self {
            id: key.id(),
            key,
            issuer: issuer.into(),
            scope,
            not_before: None,
            not_after: None,
            signs: None,
            compromised_at: None,
        })
    }

    /// Restricts the key to `[not_before, not_after)` by the verifier's
    /// clock; an empty interval is refused.
    pub fn valid_between(mut self, not_before: u64, not_after: u64) -> Result<Self, Error> {
        if not_before >= not_after {
            return Err(ConfigError::KeyValidity.into());
        }
        self.not_before = Some(not_before);
        self.not_after = Some(not_after);
        Ok(self)
    }

    /// Accepts only credentials issued in `[from, until)`: the period the
    /// issuer used this key to sign, by the credential's `iat` (its `nbf`
    /// when it has none). A rotated-out key keeps verifying what it signed
    /// while it was current, and nothing it signs later. An empty period is
    /// refused.
    pub fn signs_between(mut self, from: u64, until: u64) -> Result<Self, Error> {
        if from >= until {
            return Err(ConfigError::KeyValidity.into());
        }
        self.signs = Some((from, until));
        Ok(self)
    }

    /// Refuses credentials issued at or after `at`, when the key is known to
    /// have been compromised (`issuer_key_compromised`). A thief can backdate
    /// `iat`, so this keeps the honest credentials issued before `at` and
    /// stops the careless forgeries; revocation (status lists) and removing
    /// the key are what stop a careful one (SPEC.md §7.9).
    pub fn compromised_at(mut self, at: u64) -> Self {
        self.compromised_at = Some(at);
        self
    }

    /// The key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }

    /// The key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The issuer's name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The document types the key may sign.
    pub fn scope(&self) -> &KeyScope {
        &self.scope
    }

    pub(super) fn valid_at(&self, now: u64) -> bool {
        self.not_before.is_none_or(|t| now >= t) && self.not_after.is_none_or(|t| now < t)
    }

    /// §5 steps 4.6 and 4.7: whether the key may have signed a credential
    /// issued at `issued_at`.
    pub(super) fn check_issued_at(&self, issued_at: u64) -> Result<(), Error> {
        if self.signs.is_some_and(|(from, until)| issued_at < from || issued_at >= until) {
            return Err(Error::IssuedOutsideKeyPeriod { issued_at });
        }
        match self.compromised_at {
            Some(compromised_at) if issued_at >= compromised_at => {
                Err(Error::IssuerKeyCompromised { compromised_at, issued_at })
            }
            _ => Ok(()),
        }
    }
}
