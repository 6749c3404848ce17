//! The desk's revocation check: issuer-signed status lists
//! ([`crate::status_list`], SPEC.md §11), held in a [`StatusStore`] and
//! checked by [`Verifier::verify_at_desk`], as the CLI's `verify --status
//! --status-db` does.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

use super::desk::{ReplayCache, io_error};
use super::{Issuer, NocardError, TrustedIssuer, Verification, Verifier, lock};
use crate::state_file::write_atomically;
use crate::status_list::{self, MissingList, Status, StatusCheck, StatusError, StatusList, StatusListToken};

/// A credential's entry in its issuer's status list.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct StatusRef {
    /// The list id.
    pub list_id: u32,
    /// The credential's index in it.
    pub index: u32,
}

/// A status list as the store holds it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct StatusListInfo {
    /// The issuer that signed it (its credentials' `iss`).
    pub issuer: String,
    /// The list id credentials name.
    pub list_id: u32,
    /// When it was issued (`iat`): a newer one of the same list replaces it.
    pub issued_at: u64,
    /// From this time on it decides nothing (`exp`).
    pub expires: u64,
    /// Entries in the list.
    pub entries: u64,
    /// Bits per entry (1, 2, 4 or 8).
    pub bits: u8,
}

impl From<&StatusListToken> for StatusListInfo {
    fn from(t: &StatusListToken) -> Self {
        StatusListInfo {
            issuer: t.issuer.clone(),
            list_id: t.list_id,
            issued_at: t.issued_at,
            expires: t.expires,
            entries: t.list.len() as u64,
            bits: t.list.bits(),
        }
    }
}

/// What decided an accepted credential's status.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum StatusDecision {
    /// This list says valid.
    Valid {
        /// The list that decided.
        list: StatusListInfo,
    },
    /// The credential names no status list: its issuer made it unrevocable.
    Unreferenced,
    /// No list is held for it and the store accepts such credentials
    /// (`accept_missing`): flagged, never silent.
    Missing {
        /// The list id the credential names.
        list_id: u32,
    },
}

/// A code accepted at a desk: the verification and what decided its status.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct DeskVerification {
    /// What the code proved.
    pub verification: Verification,
    /// Which status list said it stands.
    pub status: StatusDecision,
}

/// The newest status list of each (issuer, list id), taken only if signed
/// by a key trusted for that issuer and newer than the one held.
#[derive(uniffi::Object)]
pub struct StatusStore {
    store: Mutex<status_list::StatusStore>,
    /// The state file every taken list is saved to, if any.
    path: Option<PathBuf>,
}

#[uniffi::export]
impl StatusStore {
    /// An empty in-memory store trusting lists signed by `issuers` (the keys
    /// the desk's verifier trusts). `accept_missing`: a credential whose
    /// list is not held is accepted, flagged `StatusDecision.Missing`;
    /// otherwise it is refused (`StatusListMissing`).
    #[uniffi::constructor]
    pub fn new(issuers: Vec<TrustedIssuer>, accept_missing: bool) -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { store: Mutex::new(new_store(&issuers, accept_missing)?), path: None }))
    }

    /// The store saved at `path`, or an empty one if there is no file; every
    /// list it takes is saved there (atomically) before `update` returns. A
    /// file that exists but is not a whole store is refused
    /// (`StatusStateDamaged`): starting empty would forget revocations.
    #[uniffi::constructor]
    pub fn open(path: String, issuers: Vec<TrustedIssuer>, accept_missing: bool) -> Result<Arc<Self>, NocardError> {
        let store = new_store(&issuers, accept_missing)?;
        let store = match std::fs::read(&path) {
            Ok(bytes) => {
                let keys = issuers.iter().map(TrustedIssuer::to_core).collect::<Result<_, _>>()?;
                status_list::StatusStore::from_bytes(&bytes, keys)?.missing_list(missing(accept_missing))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => store,
            Err(e) => return Err(io_error("cannot read", &path, &e)),
        };
        Ok(Arc::new(Self { store: Mutex::new(store), path: Some(path.into()) }))
    }

    /// Takes the signed status list `token` at `now` (SPEC.md §11.2): refused
    /// if signed by no key trusted for its issuer, altered, expired or not
    /// newer than the one held, leaving the store unchanged.
    pub fn update(&self, token: Vec<u8>, now: u64) -> Result<StatusListInfo, NocardError> {
        let mut store = lock(&self.store);
        let info = StatusListInfo::from(store.update(&token, now)?);
        if let Some(path) = &self.path {
            write_atomically(path, &store.to_bytes())
                .map_err(|e| io_error("cannot save", &path.to_string_lossy(), &e))?;
        }
        Ok(info)
    }

    /// Every list held, in the order first taken.
    pub fn lists(&self) -> Vec<StatusListInfo> {
        lock(&self.store).tokens().map(StatusListInfo::from).collect()
    }
}

fn missing(accept_missing: bool) -> MissingList {
    if accept_missing { MissingList::AcceptAndFlag } else { MissingList::Refuse }
}

fn new_store(issuers: &[TrustedIssuer], accept_missing: bool) -> Result<status_list::StatusStore, NocardError> {
    let keys = issuers.iter().map(TrustedIssuer::to_core).collect::<Result<_, _>>()?;
    Ok(status_list::StatusStore::new(keys).missing_list(missing(accept_missing)))
}

#[uniffi::export]
impl Verifier {
    /// What a desk runs per scan (SPEC.md §5, the trust list's freshness,
    /// §11.3, then the replay cache): [`Verifier::verify`], the credential's
    /// status in `status`,
    /// and, with `replay`, refused as `Replayed` if already accepted, else
    /// recorded (and saved if the cache has a file).
    pub fn verify_at_desk(
        &self,
        text: String,
        now: u64,
        status: Arc<StatusStore>,
        replay: Option<Arc<ReplayCache>>,
    ) -> Result<DeskVerification, NocardError> {
        let (verified, trust) = self.verified(&text, now)?;
        let decision = match lock(&status.store).check(&verified, now)? {
            StatusCheck::Valid(token) => StatusDecision::Valid { list: token.into() },
            StatusCheck::Unreferenced => StatusDecision::Unreferenced,
            StatusCheck::Missing { list } => StatusDecision::Missing { list_id: list },
        };
        if let Some(replay) = replay {
            replay.admit(&verified, now)?;
        }
        Ok(DeskVerification { verification: Verification::new(verified, trust), status: decision })
    }
}

#[uniffi::export]
impl Issuer {
    /// The signed status list `list_id` (SPEC.md §11.1): `statuses[i]` is
    /// credential `i`'s status (0 valid, 1 revoked, 2 suspended), `bits` per
    /// entry (1, 2, 4 or 8), valid from `issued_at` until `expires`.
    pub fn sign_status_list(
        &self,
        list_id: u32,
        issued_at: u64,
        expires: u64,
        bits: u8,
        statuses: Vec<u8>,
    ) -> Result<Vec<u8>, NocardError> {
        let mut list = StatusList::new(bits, statuses.len())?;
        for (index, value) in statuses.into_iter().enumerate().filter(|(_, v)| *v != 0) {
            list.set(index, Status::from_value(value))?;
        }
        let token = StatusListToken { issuer: self.core.name().into(), list_id, issued_at, expires, ttl: None, list };
        Ok(token.sign(self.core.secret_key())?)
    }
}

impl From<StatusError> for NocardError {
    fn from(e: StatusError) -> Self {
        let code = String::from(e.code());
        let reason = alloc::string::ToString::to_string(&e);
        match e {
            StatusError::Malformed(m) => crate::error::Error::Malformed(m).into(),
            StatusError::UnknownKey => NocardError::StatusListUnknownKey { code, reason },
            StatusError::BadSignature => NocardError::StatusListBadSignature { code, reason },
            StatusError::Rollback { held, offered } => NocardError::StatusListRollback { code, reason, held, offered },
            StatusError::StoreFull => NocardError::StatusStoreFull { code, reason },
            StatusError::DamagedState(why) => {
                NocardError::StatusStateDamaged { code, reason, detail: why.code().into() }
            }
            StatusError::Revoked => NocardError::CredentialRevoked { code, reason },
            StatusError::Suspended => NocardError::CredentialSuspended { code, reason },
            StatusError::UnknownStatus(value) => NocardError::CredentialStatusUnknown { code, reason, value },
            StatusError::Missing { list } => NocardError::StatusListMissing { code, reason, list_id: list },
            StatusError::IndexOutOfRange { index, len } => {
                NocardError::StatusIndexOutOfRange { code, reason, index: index as u64, entries: len as u64 }
            }
            StatusError::Expired { expires, now } => NocardError::StatusListExpired { code, reason, expires, now },
            StatusError::Usage(_) => NocardError::Usage { code, reason },
        }
    }
}
