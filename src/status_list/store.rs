//! The status lists a scanner holds, and the check of a credential against them.

use alloc::vec::Vec;

use super::{Status, StatusError, StatusListToken};
use crate::credential::StatusRef;
use crate::state_file::{self, StateFileError, u32_at};
use crate::verify::{TrustedKey, Verified};

/// Most inflated bytes a store holds over all its lists (16 MiB: four
/// lists of the largest size, or hundreds of ordinary ones).
pub const MAX_STORE_BYTES: usize = 16 << 20;
/// Most lists a store holds.
pub const MAX_LISTS: usize = 1024;

const MAGIC: &[u8; 4] = b"NCSL";
const VERSION: u8 = 1;

/// What a store does with a credential whose list it does not hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingList {
    /// Refuse it (`status_list_missing`): a revoked credential must not
    /// pass because a list failed to arrive. The default.
    #[default]
    Refuse,
    /// Accept it, reported as [`StatusCheck::Missing`].
    AcceptAndFlag,
}

/// What decided a credential's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusCheck<'a> {
    /// This list says valid.
    Valid(&'a StatusListToken),
    /// The credential names no status list; its issuer made it unrevocable.
    Unreferenced,
    /// No list is held for it, and the store accepts such credentials.
    Missing {
        /// The list id the credential names.
        list: u32,
    },
}

/// A taken token and its bytes, which are what the store saves.
#[derive(Clone, Debug)]
struct Held {
    token: StatusListToken,
    bytes: Vec<u8>,
}

/// The newest verified status list per (issuer, list id), checked against
/// the issuer keys a verifier trusts.
#[derive(Clone, Debug)]
pub struct StatusStore {
    keys: Vec<TrustedKey>,
    lists: Vec<Held>,
    missing: MissingList,
}

impl StatusStore {
    /// An empty store trusting status lists signed by `keys` (the verifier's
    /// issuer keys), each for its own issuer name only.
    pub fn new(keys: Vec<TrustedKey>) -> Self {
        Self { keys, lists: Vec::new(), missing: MissingList::Refuse }
    }

    /// Sets what happens to a credential whose list is not held.
    pub fn missing_list(mut self, policy: MissingList) -> Self {
        self.missing = policy;
        self
    }

    /// Takes `bytes` as the current token of its (issuer, list id), in the
    /// order of SPEC.md §11.2; on error the store is unchanged. The same
    /// token as the one held is taken again without change.
    pub fn update(&mut self, bytes: &[u8], now: u64) -> Result<&StatusListToken, StatusError> {
        let token = self.verify_token(bytes)?;
        if now >= token.expires {
            return Err(StatusError::Expired { expires: token.expires, now });
        }
        let slot = self.lists.iter().position(|h| h.token.issuer == token.issuer && h.token.list_id == token.list_id);
        if let Some(i) = slot {
            let held = &self.lists[i];
            if held.bytes != bytes && token.issued_at <= held.token.issued_at {
                return Err(StatusError::Rollback { held: held.token.issued_at, offered: token.issued_at });
            }
        }
        let others: usize = self
            .lists
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != slot)
            .map(|(_, h)| h.token.list.bytes.len())
            .sum();
        if others + token.list.bytes.len() > MAX_STORE_BYTES || (slot.is_none() && self.lists.len() >= MAX_LISTS) {
            return Err(StatusError::StoreFull);
        }
        let held = Held { token, bytes: bytes.to_vec() };
        let i = match slot {
            Some(i) => {
                self.lists[i] = held;
                i
            }
            None => {
                self.lists.push(held);
                self.lists.len() - 1
            }
        };
        Ok(&self.lists[i].token)
    }

    /// Steps 1-5 of SPEC.md §11.2: envelope, key, signature, claims, issuer.
    fn verify_token(&self, bytes: &[u8]) -> Result<StatusListToken, StatusError> {
        let mut signer = None;
        let token = StatusListToken::open(bytes, |kid| {
            signer = self.keys.iter().find(|k| k.id() == kid);
            signer.map(TrustedKey::key)
        })?;
        match signer {
            Some(key) if key.issuer() == token.issuer => Ok(token),
            _ => Err(StatusError::UnknownKey),
        }
    }

    /// The token held for `issuer`'s list `list_id`.
    pub fn get(&self, issuer: &str, list_id: u32) -> Option<&StatusListToken> {
        self.lists.iter().map(|h| &h.token).find(|t| t.issuer == issuer && t.list_id == list_id)
    }

    /// Every token held, in the order taken.
    pub fn tokens(&self) -> impl Iterator<Item = &StatusListToken> {
        self.lists.iter().map(|h| &h.token)
    }

    /// The status of the credential behind `verified` at `now` (SPEC.md
    /// §11.3): its list must be held (or the store accept it missing), not
    /// expired, hold its index, and say valid there.
    pub fn check(&self, verified: &Verified, now: u64) -> Result<StatusCheck<'_>, StatusError> {
        self.check_status(&verified.issuer, verified.status, now)
    }

    /// [`StatusStore::check`] for a credential known by its `iss` and
    /// `status` alone, as [`VerifiedCredential`](crate::verify::VerifiedCredential)
    /// reports them: the credential a delegation or consent is chained from
    /// (SPEC.md §17).
    pub fn check_status(
        &self,
        issuer: &str,
        status: Option<StatusRef>,
        now: u64,
    ) -> Result<StatusCheck<'_>, StatusError> {
        let Some(status) = status else { return Ok(StatusCheck::Unreferenced) };
        let Some(token) = self.get(issuer, status.list) else {
            return match self.missing {
                MissingList::Refuse => Err(StatusError::Missing { list: status.list }),
                MissingList::AcceptAndFlag => Ok(StatusCheck::Missing { list: status.list }),
            };
        };
        if now >= token.expires {
            return Err(StatusError::Expired { expires: token.expires, now });
        }
        let index = status.index as usize;
        match token.list.get(index) {
            None => Err(StatusError::IndexOutOfRange { index, len: token.list.len() }),
            Some(Status::Valid) => Ok(StatusCheck::Valid(token)),
            Some(Status::Revoked) => Err(StatusError::Revoked),
            Some(Status::Suspended) => Err(StatusError::Suspended),
            Some(Status::Other(v)) => Err(StatusError::UnknownStatus(v)),
        }
    }

    /// The store as a state file (sealed as `NCSL`, version 1, see
    /// [`state_file::seal`]): the token count (u32 big-endian), then each
    /// token as its length (u32 big-endian) and bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let len: usize = self.lists.iter().map(|h| 4 + h.bytes.len()).sum();
        let mut body = Vec::with_capacity(4 + len);
        // Both fit: at most MAX_LISTS tokens of at most MAX_TOKEN_BYTES.
        body.extend_from_slice(&(self.lists.len() as u32).to_be_bytes());
        for held in &self.lists {
            body.extend_from_slice(&(held.bytes.len() as u32).to_be_bytes());
            body.extend_from_slice(&held.bytes);
        }
        state_file::seal(MAGIC, VERSION, &body)
    }

    /// Reads a state file written by [`StatusStore::to_bytes`] into a store
    /// trusting `keys`. The frame's checksum catches a cut or flipped file;
    /// each token is then verified again, as when it was first taken, except
    /// that an expired one is kept (its credentials get `status_list_expired`).
    pub fn from_bytes(bytes: &[u8], keys: Vec<TrustedKey>) -> Result<Self, StatusError> {
        let damaged = StatusError::DamagedState;
        let body = state_file::open(bytes, MAGIC, VERSION).map_err(damaged)?;
        let invalid = || damaged(StateFileError::Invalid);
        let count = body.get(..4).map(|b| u32_at(b, 0) as usize).ok_or_else(invalid)?;
        let mut store = Self::new(keys);
        let mut at = 4;
        for _ in 0..count {
            let len = body.get(at..at + 4).map(|b| u32_at(b, 0) as usize).ok_or_else(invalid)?;
            let end = (at + 4).checked_add(len).ok_or_else(invalid)?;
            let token = body.get(at + 4..end).ok_or_else(invalid)?;
            // Expiry is the check's business; the file stays what was taken.
            store.update(token, 0)?;
            at = end;
        }
        if at != body.len() {
            return Err(invalid());
        }
        Ok(store)
    }
}
