//! The desk's offline state: the replay cache ([`crate::replay`]) and the
//! signed trust lists ([`crate::trust_list`]), as the CLI's `verify
//! --replay-db` and `verify --trust` use them.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

use super::{NocardError, Policy, TrustedIssuer, Verification, Verifier, lock};
use crate::keys::{Algorithm, PublicKey, SecretKey};
use crate::replay;
use crate::state_file::write_atomically;
use crate::trust_list::{self, StaleList};
use crate::verify::Verified;

/// The presentations a desk has already accepted, so that a screenshot is
/// not accepted twice in its window. Pass it to [`Verifier::verify_once`].
#[derive(uniffi::Object)]
pub struct ReplayCache {
    cache: Mutex<replay::ReplayCache>,
    /// The state file every accepted presentation is saved to, if any.
    path: Option<PathBuf>,
}

#[uniffi::export]
impl ReplayCache {
    /// An empty in-memory cache for at most `capacity` (1-1048576) live
    /// presentations; when full, new ones are refused (`ReplayCacheFull`)
    /// until old windows pass.
    #[uniffi::constructor]
    pub fn new(capacity: u64) -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { cache: Mutex::new(new_cache(capacity)?), path: None }))
    }

    /// The cache saved at `path`, or an empty one of `capacity` if there is
    /// no file; every presentation it accepts is saved there (atomically)
    /// before `verify_once` returns. A file that exists but is not a whole
    /// cache is refused (`ReplayFile`): starting empty would accept again
    /// every code it had seen.
    #[uniffi::constructor]
    pub fn open(path: String, capacity: u64) -> Result<Arc<Self>, NocardError> {
        let cache = match std::fs::read(&path) {
            Ok(bytes) => replay::ReplayCache::from_bytes(&bytes).map_err(|e| NocardError::ReplayFile {
                code: "replay_file".into(),
                reason: alloc::format!("{path}: {e}"),
                detail: e.code().into(),
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => new_cache(capacity)?,
            Err(e) => return Err(io_error("cannot read", &path, &e)),
        };
        Ok(Arc::new(Self { cache: Mutex::new(cache), path: Some(path.into()) }))
    }

    /// How many presentations it holds (live, or not yet purged).
    pub fn len(&self) -> u64 {
        lock(&self.cache).len() as u64
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        lock(&self.cache).is_empty()
    }

    /// The most live presentations it holds.
    pub fn capacity(&self) -> u64 {
        lock(&self.cache).capacity() as u64
    }
}

impl ReplayCache {
    /// Records an accepted presentation, saved before it is reported valid.
    pub(super) fn admit(&self, verified: &Verified, now: u64) -> Result<(), NocardError> {
        let mut cache = lock(&self.cache);
        cache.admit(verified, now)?;
        if let Some(path) = &self.path {
            write_atomically(path, &cache.to_bytes())
                .map_err(|e| io_error("cannot save", &path.to_string_lossy(), &e))?;
        }
        Ok(())
    }
}

fn new_cache(capacity: u64) -> Result<replay::ReplayCache, NocardError> {
    // Beyond usize it is beyond the maximum, refused as such.
    Ok(replay::ReplayCache::new(usize::try_from(capacity).unwrap_or(usize::MAX))?)
}

pub(super) fn io_error(what: &str, path: &str, e: &io::Error) -> NocardError {
    NocardError::Io { code: "io".into(), reason: alloc::format!("{what} {path}: {e}") }
}

#[uniffi::export]
impl Verifier {
    /// [`Verifier::verify`], then refused as `Replayed` if `replay` has
    /// already accepted the same presentation (re-encodings included), or
    /// `ReplayCacheFull`; otherwise recorded, and saved if the cache has a
    /// file, before the code is reported valid.
    pub fn verify_once(&self, text: String, now: u64, replay: Arc<ReplayCache>) -> Result<Verification, NocardError> {
        let (verified, trust) = self.verified(&text, now)?;
        replay.admit(&verified, now)?;
        Ok(Verification::new(verified, trust))
    }

    /// A verifier trusting the issuer keys of the list `store` holds now,
    /// under `policy`; `TrustListMissing` if it holds none yet. While that
    /// list is past its next update, codes still verify, flagged
    /// `trust_list.stale`, or with `refuse_stale` are refused
    /// (`TrustListStale`). Make a new verifier after the store takes a
    /// newer list.
    #[uniffi::constructor(default(refuse_stale = false))]
    pub fn from_trust_store(
        store: Arc<TrustStore>,
        policy: Policy,
        refuse_stale: bool,
    ) -> Result<Arc<Self>, NocardError> {
        let Some(list) = lock(&store.store).current().cloned() else {
            let reason = "the trust store holds no trust list yet".into();
            return Err(NocardError::TrustListMissing { code: "trust_list_missing".into(), reason });
        };
        let stale = if refuse_stale { StaleList::Refuse } else { StaleList::Accept };
        Self::with_keys(list.trusted_keys()?, Vec::new(), policy, Some((list, stale)))
    }
}

/// The contents of a signed trust list.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TrustList {
    /// Strictly increasing from one list to the next.
    pub sequence: u64,
    /// When it was issued (Unix seconds).
    pub issued_at: u64,
    /// After this time the list is stale (it still verifies; see
    /// [`TrustStore::is_stale`]).
    pub next_update: u64,
    /// The issuer keys (1-256, no key twice).
    pub issuers: Vec<TrustedIssuer>,
    /// The root public COSE_Keys that sign the next lists, if the root rotates.
    #[uniffi(default = [])]
    pub next_roots: Vec<Vec<u8>>,
}

impl TrustList {
    fn to_core(&self) -> Result<trust_list::TrustList, NocardError> {
        let entries = self.issuers.iter().map(TrustedIssuer::to_entry).collect::<Result<_, _>>()?;
        let next_roots = self.next_roots.iter().map(|k| PublicKey::from_cose_key(k)).collect::<Result<_, _>>()?;
        Ok(trust_list::TrustList {
            sequence: self.sequence,
            issued_at: self.issued_at,
            next_update: self.next_update,
            entries,
            next_roots,
        })
    }
}

impl From<&trust_list::TrustList> for TrustList {
    fn from(l: &trust_list::TrustList) -> Self {
        TrustList {
            sequence: l.sequence,
            issued_at: l.issued_at,
            next_update: l.next_update,
            issuers: l.entries.iter().map(TrustedIssuer::from).collect(),
            next_roots: l.next_roots.iter().map(PublicKey::to_cose_key).collect(),
        }
    }
}

/// The root keys a scanner is provisioned with and the newest trust list
/// that verified under one of them.
#[derive(uniffi::Object)]
pub struct TrustStore {
    store: Mutex<trust_list::TrustStore>,
    /// The state file every taken list is saved to, if any.
    path: Option<PathBuf>,
}

#[uniffi::export]
impl TrustStore {
    /// An in-memory store provisioned with the root public COSE_Keys
    /// `roots` (1-8, no key twice), holding no list yet.
    #[uniffi::constructor]
    pub fn new(roots: Vec<Vec<u8>>) -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { store: Mutex::new(new_store(&roots)?), path: None }))
    }

    /// A new scanner's store, provisioned with `roots` and saved at `path`
    /// (atomically) each time it takes a list, as `nocard trust update
    /// --state path --root ...` does. Refused (`Io`) if `path` exists: a
    /// saved store keeps the roots its lists rotated to, and provisioning it
    /// again would replace them; [`TrustStore::open`] it instead.
    #[uniffi::constructor]
    pub fn provision(path: String, roots: Vec<Vec<u8>>) -> Result<Arc<Self>, NocardError> {
        let store = new_store(&roots)?;
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Ok(_) => {
                let e = io::Error::new(io::ErrorKind::AlreadyExists, "a trust state is there: open it");
                return Err(io_error("cannot provision", &path, &e));
            }
            Err(e) => return Err(io_error("cannot read", &path, &e)),
        }
        Ok(Arc::new(Self { store: Mutex::new(store), path: Some(path.into()) }))
    }

    /// The store saved at `path`, which must exist; it keeps saving there.
    /// A file that is not a whole store is refused (`TrustStateFile`): the
    /// last good state is what a scanner must keep, not an empty one.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, NocardError> {
        let bytes = std::fs::read(&path).map_err(|e| io_error("cannot read", &path, &e))?;
        let store = trust_list::TrustStore::from_bytes(&bytes).map_err(|e| NocardError::TrustStateFile {
            code: "trust_state_file".into(),
            reason: alloc::format!("{path}: {e}"),
            detail: e.code().into(),
        })?;
        Ok(Arc::new(Self { store: Mutex::new(store), path: Some(path.into()) }))
    }

    /// Takes the signed list `list` if it verifies under a current root and
    /// is newer than the one held (else `TrustListRollback`,
    /// `TrustListUnknownRoot`, `TrustListBadSignature`, `Malformed`; the
    /// store is then unchanged), and moves to its next roots if it names any.
    /// A store with a file saves it before returning; offering the list it
    /// holds again changes nothing.
    pub fn update(&self, list: Vec<u8>) -> Result<TrustList, NocardError> {
        let mut store = lock(&self.store);
        // Only a store with a file needs to know whether the update changed it.
        let before = self.path.as_ref().map(|_| store.to_bytes());
        let taken = TrustList::from(store.update(&list)?);
        if let (Some(path), Some(before)) = (&self.path, before) {
            let after = store.to_bytes();
            if after != before {
                write_atomically(path, &after).map_err(|e| io_error("cannot save", &path.to_string_lossy(), &e))?;
            }
        }
        Ok(taken)
    }

    /// The list in force, if one has been taken.
    pub fn current(&self) -> Option<TrustList> {
        lock(&self.store).current().map(TrustList::from)
    }

    /// Whether the list in force is past its next update at `now`, or there
    /// is none: time to fetch a new one.
    pub fn is_stale(&self, now: u64) -> bool {
        lock(&self.store).current().is_none_or(|l| l.is_stale(now))
    }
}

fn new_store(roots: &[Vec<u8>]) -> Result<trust_list::TrustStore, NocardError> {
    let roots = roots.iter().map(|k| PublicKey::from_cose_key(k)).collect::<Result<_, _>>()?;
    Ok(trust_list::TrustStore::new(roots)?)
}

/// A trust-list root authority, for tests, demos and the back end that
/// signs the lists scanners download.
#[derive(uniffi::Object)]
pub struct TrustRoot {
    key: SecretKey,
}

#[uniffi::export]
impl TrustRoot {
    /// A root with a fresh Ed25519 key.
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { key: SecretKey::generate(Algorithm::EdDsa)? }))
    }

    /// A root signing with the secret COSE_Key `secret_key`.
    #[uniffi::constructor]
    pub fn new(secret_key: Vec<u8>) -> Result<Arc<Self>, NocardError> {
        Ok(Arc::new(Self { key: SecretKey::from_cose_key(&secret_key)? }))
    }

    /// The root's public COSE_Key, which scanners are provisioned with.
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key().to_cose_key()
    }

    /// `list`, checked and signed: the bytes a [`TrustStore`] takes.
    pub fn sign(&self, list: TrustList) -> Result<Vec<u8>, NocardError> {
        Ok(list.to_core()?.sign(&self.key)?)
    }
}
