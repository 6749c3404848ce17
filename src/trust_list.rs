//! Signed trust lists: the issuer keys a scanner trusts, distributed as one
//! document signed by a root key the scanner is provisioned with.
//!
//! A scanner is offline for days and rarely patched; typing issuer keys on
//! its command line does not scale and cannot be rolled forward safely. A
//! [`TrustStore`] holds the provisioned root keys and the newest list that
//! verified under one of them. It takes a new list only if it verifies under
//! a current root and its sequence number is higher than the one it holds,
//! so an old list can be neither rolled back to nor replayed. A list may name
//! the next root keys; the store moves to them only through a list signed by
//! a current root. The store is a module that uses the core: it produces the
//! [`TrustedKey`]s a [`Verifier`](crate::verify::Verifier) is built from.
//!
//! ```text
//! trust_list = COSE_Sign1 signed by a root key, protected {1: alg, 4: root kid},
//!              payload = bstr .cbor trust_list_body
//! trust_list_body = {
//!   1: uint,             ; sequence, strictly increasing
//!   2: uint,             ; issued_at
//!   3: uint,             ; next_update (> issued_at): after it the list is stale
//!   4: [+ issuer_entry], ; at most 256, no key id twice
//!   ? 5: [+ COSE_Key],   ; the next root keys (at most 8)
//! }
//! issuer_entry = {
//!   1: COSE_Key,         ; the issuer's public key (§2.3)
//!   2: tstr,             ; issuer name, 1-64 bytes, as in `iss`
//!   3: [+ tstr] / "*",   ; document types it may sign, or every type
//!   ? 4: uint,           ; signs_from: credentials issued earlier are refused
//!   ? 5: uint,           ; signs_until (> signs_from): issued at or after, refused
//!   ? 6: uint,           ; compromised_at: issued at or after, refused
//! }
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::cbor::{Reader, Writer};
use crate::cose::{self, Sign1, SignatureFailure};
use crate::error::{Error, Malformed, MalformedKind};
use crate::keys::{KeyId, PublicKey, SecretKey};
use crate::state_file::{self, StateFileError};
use crate::verify::{KeyScope, TrustedKey};

/// Most issuer keys one list carries.
pub const MAX_ENTRIES: usize = 256;
/// Most next root keys one list names.
pub const MAX_NEXT_ROOTS: usize = 8;
/// Most document types one entry's scope names.
const MAX_SCOPE_TYPES: usize = 64;
/// Largest encoded trust list a store reads.
pub const MAX_LIST_BYTES: usize = 64 * 1024;

const SEQUENCE: i64 = 1;
const ISSUED_AT: i64 = 2;
const NEXT_UPDATE: i64 = 3;
const ENTRIES: i64 = 4;
const NEXT_ROOTS: i64 = 5;

const STATE_MAGIC: &[u8; 4] = b"NCTS";
const STATE_VERSION: u8 = 1;
const STATE_ROOTS: i64 = 1;
const STATE_LIST: i64 = 2;

const ENTRY_KEY: i64 = 1;
const ENTRY_ISSUER: i64 = 2;
const ENTRY_SCOPE: i64 = 3;
const ENTRY_SIGNS_FROM: i64 = 4;
const ENTRY_SIGNS_UNTIL: i64 = 5;
const ENTRY_COMPROMISED_AT: i64 = 6;

/// One issuer key in a trust list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerEntry {
    /// The issuer's public key.
    pub key: PublicKey,
    /// The issuer name its credentials carry as `iss`.
    pub issuer: String,
    /// The document types it may sign.
    pub scope: KeyScope,
    /// The key signs credentials issued (`iat`, else `nbf`) from this time,
    /// if set.
    pub signs_from: Option<u64>,
    /// ... and before this time, if set: after a rotation the old key keeps
    /// verifying what it signed while it was current.
    pub signs_until: Option<u64>,
    /// The key is known compromised from this time: credentials issued at or
    /// after it are refused (`issuer_key_compromised`).
    pub compromised_at: Option<u64>,
}

impl IssuerEntry {
    /// The entry as the verifier trusts it.
    pub fn trusted_key(&self) -> Result<TrustedKey, Error> {
        let mut key = TrustedKey::new(&self.issuer, self.key.clone(), self.scope.clone())?;
        if self.signs_from.is_some() || self.signs_until.is_some() {
            key = key.signs_between(self.signs_from.unwrap_or(0), self.signs_until.unwrap_or(u64::MAX))?;
        }
        if let Some(at) = self.compromised_at {
            key = key.compromised_at(at);
        }
        Ok(key)
    }
}

/// What a desk does with codes while its trust list is past its next
/// update (SPEC.md §10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StaleList {
    /// Verify them, flagged stale in the result: a scanner offline a day
    /// longer than planned keeps working, and its operator sees why.
    #[default]
    Accept,
    /// Refuse every code with `trust_list_stale` until a newer list arrives.
    Refuse,
}

/// The contents of a trust list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustList {
    /// Strictly increasing from one list to the next.
    pub sequence: u64,
    /// When it was issued.
    pub issued_at: u64,
    /// After this time the list is stale.
    pub next_update: u64,
    /// The issuer keys.
    pub entries: Vec<IssuerEntry>,
    /// The root keys that sign the next lists, if the root rotates.
    pub next_roots: Vec<PublicKey>,
}

impl TrustList {
    /// Encodes the body and signs it with `root`.
    pub fn sign(&self, root: &SecretKey) -> Result<Vec<u8>, Error> {
        self.check().map_err(Error::Malformed)?;
        let mut w = Writer::new();
        w.map(4 + usize::from(!self.next_roots.is_empty()));
        w.int(SEQUENCE).uint(self.sequence);
        w.int(ISSUED_AT).uint(self.issued_at);
        w.int(NEXT_UPDATE).uint(self.next_update);
        w.int(ENTRIES).array(self.entries.len());
        for entry in &self.entries {
            let optional = [entry.signs_from, entry.signs_until, entry.compromised_at];
            let fields = 3 + optional.iter().filter(|t| t.is_some()).count();
            w.map(fields);
            w.int(ENTRY_KEY).raw(&entry.key.to_cose_key());
            w.int(ENTRY_ISSUER).text(&entry.issuer);
            w.int(ENTRY_SCOPE);
            match &entry.scope {
                KeyScope::AllTypes => w.text("*"),
                KeyScope::Types(names) => {
                    w.array(names.len());
                    for name in names {
                        w.text(name);
                    }
                    &mut w
                }
            };
            for (label, time) in [ENTRY_SIGNS_FROM, ENTRY_SIGNS_UNTIL, ENTRY_COMPROMISED_AT].into_iter().zip(optional) {
                if let Some(t) = time {
                    w.int(label).uint(t);
                }
            }
        }
        if !self.next_roots.is_empty() {
            w.int(NEXT_ROOTS).array(self.next_roots.len());
            for root in &self.next_roots {
                w.raw(&root.to_cose_key());
            }
        }
        let root_id = root.public_key().id();
        cose::sign1::<Error>(root.algorithm(), Some(root_id), w.into_bytes(), |tbs| Ok(root.sign(tbs)))
    }

    /// Whether codes verified under this list at `now` stand: `Ok(true)`
    /// when they do but the list is stale (at or after `next_update`) and
    /// the result must say so, or `trust_list_stale` when `stale` refuses.
    pub fn check_fresh(&self, now: u64, stale: StaleList) -> Result<bool, Error> {
        match (self.is_stale(now), stale) {
            (true, StaleList::Refuse) => Err(Error::TrustListStale { next_update: self.next_update }),
            (is_stale, _) => Ok(is_stale),
        }
    }

    /// The issuer keys as the verifier trusts them.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>, Error> {
        self.entries.iter().map(IssuerEntry::trusted_key).collect()
    }

    /// Whether the list is past its next update at `now`.
    pub fn is_stale(&self, now: u64) -> bool {
        now >= self.next_update
    }

    /// The rules a body must meet beyond its CBOR shape; offset 0 stands for
    /// the body as a whole.
    fn check(&self) -> Result<(), Malformed> {
        let invalid = |field| Err(Malformed::at(MalformedKind::InvalidValue { field }, 0));
        if self.next_update <= self.issued_at {
            return invalid("next_update");
        }
        if self.entries.is_empty() || self.entries.len() > MAX_ENTRIES {
            return invalid("entries");
        }
        for (i, entry) in self.entries.iter().enumerate() {
            if self.entries[..i].iter().any(|e| e.key.id() == entry.key.id()) {
                return invalid("entries");
            }
            if entry.issuer.is_empty() || entry.issuer.len() > crate::credential::MAX_ISSUER_LEN {
                return invalid("issuer");
            }
            if matches!(&entry.scope, KeyScope::Types(t) if t.is_empty() || t.len() > MAX_SCOPE_TYPES) {
                return invalid("scope");
            }
            if entry.signs_from.unwrap_or(0) >= entry.signs_until.unwrap_or(u64::MAX) {
                return invalid("signs_until");
            }
        }
        if self.next_roots.len() > MAX_NEXT_ROOTS {
            return invalid("next_roots");
        }
        Ok(())
    }

    fn read_body(bytes: &[u8], base: usize) -> Result<Self, Malformed> {
        let r = &mut Reader::nested(bytes, base);
        let start = r.offset();
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
        let (mut sequence, mut issued_at, mut next_update, mut entries) = (None, None, None, None);
        let mut next_roots = Vec::new();
        r.int_map(|r, field| {
            match field.key {
                SEQUENCE => sequence = Some(r.uint()?),
                ISSUED_AT => issued_at = Some(r.uint()?),
                NEXT_UPDATE => next_update = Some(r.uint()?),
                ENTRIES => {
                    let count = r.array()?;
                    if count == 0 || count > MAX_ENTRIES {
                        return Err(field.invalid("entries"));
                    }
                    let mut list = Vec::with_capacity(count);
                    for _ in 0..count {
                        list.push(read_entry(r)?);
                    }
                    entries = Some(list);
                }
                NEXT_ROOTS => {
                    let count = r.array()?;
                    if count == 0 || count > MAX_NEXT_ROOTS {
                        return Err(field.invalid("next_roots"));
                    }
                    for _ in 0..count {
                        next_roots.push(PublicKey::read_cose_key(r)?);
                    }
                }
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let list = TrustList {
            sequence: sequence.ok_or(missing("sequence"))?,
            issued_at: issued_at.ok_or(missing("issued_at"))?,
            next_update: next_update.ok_or(missing("next_update"))?,
            entries: entries.ok_or(missing("entries"))?,
            next_roots,
        };
        list.check().map_err(|m| Malformed::at(m.kind, start))?;
        Ok(list)
    }
}

fn read_entry(r: &mut Reader<'_>) -> Result<IssuerEntry, Malformed> {
    let start = r.offset();
    let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
    let (mut key, mut issuer, mut scope) = (None, None, None);
    let (mut signs_from, mut signs_until, mut compromised_at) = (None, None, None);
    r.int_map(|r, field| {
        match field.key {
            ENTRY_KEY => key = Some(PublicKey::read_cose_key(r)?),
            ENTRY_ISSUER => issuer = Some(String::from(r.text()?)),
            ENTRY_SCOPE if r.peek_major() == Some(3) => {
                if r.text()? != "*" {
                    return Err(field.invalid("scope"));
                }
                scope = Some(KeyScope::AllTypes);
            }
            ENTRY_SCOPE => {
                let count = r.array()?;
                if count == 0 || count > MAX_SCOPE_TYPES {
                    return Err(field.invalid("scope"));
                }
                let mut names: Vec<&str> = Vec::with_capacity(count);
                for _ in 0..count {
                    names.push(r.text()?);
                }
                scope = Some(KeyScope::types(&names).map_err(|_| field.invalid("scope"))?);
            }
            ENTRY_SIGNS_FROM => signs_from = Some(r.uint()?),
            ENTRY_SIGNS_UNTIL => signs_until = Some(r.uint()?),
            ENTRY_COMPROMISED_AT => compromised_at = Some(r.uint()?),
            _ => return Err(field.unknown()),
        }
        Ok(())
    })?;
    Ok(IssuerEntry {
        key: key.ok_or(missing("key"))?,
        issuer: issuer.ok_or(missing("issuer"))?,
        scope: scope.ok_or(missing("scope"))?,
        signs_from,
        signs_until,
        compromised_at,
    })
}

/// Why a trust store refused a list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustListError {
    /// Not a well-formed trust list (SPEC.md §2.1 details, as for presentations).
    Malformed(Malformed),
    /// Signed by a key that is not a current root (or names none).
    UnknownRoot,
    /// The signature does not verify under the root it names: the contents
    /// were altered.
    BadSignature,
    /// Not newer than the list held: a rollback or a replay of an old list.
    Rollback {
        /// The sequence number held.
        held: u64,
        /// The sequence number offered.
        offered: u64,
    },
}

impl TrustListError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            TrustListError::Malformed(_) => "malformed",
            TrustListError::UnknownRoot => "trust_list_unknown_root",
            TrustListError::BadSignature => "trust_list_bad_signature",
            TrustListError::Rollback { .. } => "trust_list_rollback",
        }
    }
}

impl fmt::Display for TrustListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustListError::Malformed(m) => write!(f, "malformed trust list: {m}"),
            TrustListError::UnknownRoot => f.write_str("trust list is not signed by a current root key"),
            TrustListError::BadSignature => f.write_str("trust list signature does not verify"),
            TrustListError::Rollback { held, offered } => {
                write!(f, "trust list {offered} is not newer than the list held ({held})")
            }
        }
    }
}

impl core::error::Error for TrustListError {}

impl From<Malformed> for TrustListError {
    fn from(m: Malformed) -> Self {
        TrustListError::Malformed(m)
    }
}

/// The provisioned root keys and the newest trust list that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustStore {
    roots: Vec<PublicKey>,
    current: Option<Held>,
}

/// The list in force, and the signed bytes it was taken from (what is saved,
/// and what a re-offer of the same list is recognised by).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Held {
    list: TrustList,
    signed: Vec<u8>,
}

impl TrustStore {
    /// A store provisioned with `roots` (1 to [`MAX_NEXT_ROOTS`], no key
    /// twice) and no list yet.
    pub fn new(roots: Vec<PublicKey>) -> Result<Self, Error> {
        let distinct = roots.iter().enumerate().all(|(i, k)| roots[..i].iter().all(|p| p.id() != k.id()));
        if roots.is_empty() || roots.len() > MAX_NEXT_ROOTS || !distinct {
            return Err(crate::error::ConfigError::TrustRoots.into());
        }
        Ok(Self { roots, current: None })
    }

    /// Takes `bytes` as the new list if it verifies under a current root and
    /// is newer than the list held; moves to its next roots, if it names
    /// any. The list held, offered again byte for byte, is no change (a
    /// scanner given its list at every start keeps working); any other list
    /// that is not newer is a rollback. On error the store is unchanged.
    pub fn update(&mut self, bytes: &[u8]) -> Result<&TrustList, TrustListError> {
        // Taken out and put back, so the borrow checker sees no borrow of
        // `current` live across the update below.
        match self.current.take() {
            Some(held) if held.signed == bytes => return Ok(&self.current.insert(held).list),
            held => self.current = held,
        }
        if bytes.len() > MAX_LIST_BYTES {
            let max = MAX_LIST_BYTES;
            return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
        }
        let r = &mut Reader::new(bytes);
        let sign1 = Sign1::read(r)?;
        r.finish()?;
        let kid = sign1.header.kid.and_then(KeyId::from_slice).ok_or(TrustListError::UnknownRoot)?;
        let root = self.roots.iter().find(|k| k.id() == kid).ok_or(TrustListError::UnknownRoot)?;
        let alg = sign1
            .header
            .alg
            .ok_or(Malformed::at(MalformedKind::MissingField { field: "alg" }, sign1.payload_offset))?;
        if alg != root.algorithm().cose_id() {
            return Err(TrustListError::BadSignature);
        }
        sign1.verify(root).map_err(|failure| match failure {
            SignatureFailure::Invalid => TrustListError::BadSignature,
            SignatureFailure::HighS(m) => TrustListError::Malformed(m),
        })?;
        let list = TrustList::read_body(sign1.payload, sign1.payload_offset)?;
        if let Some(held) = &self.current {
            if list.sequence <= held.list.sequence {
                return Err(TrustListError::Rollback { held: held.list.sequence, offered: list.sequence });
            }
        }
        if !list.next_roots.is_empty() {
            self.roots = list.next_roots.clone();
        }
        Ok(&self.current.insert(Held { list, signed: bytes.to_vec() }).list)
    }

    /// The list in force, if one has been taken.
    pub fn current(&self) -> Option<&TrustList> {
        self.current.as_ref().map(|held| &held.list)
    }

    /// The store as a state file, so a restarted scanner keeps its roots and
    /// its list, and with them the sequence number an old list must beat
    /// (sealed as `NCTS`, version 1, see [`state_file::seal`]; SPEC.md
    /// §10.1): a CBOR map `{1: [+ COSE_Key], ? 2: bstr}`, the current roots
    /// and the signed list held.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.map(1 + usize::from(self.current.is_some()));
        w.int(STATE_ROOTS).array(self.roots.len());
        for root in &self.roots {
            w.raw(&root.to_cose_key());
        }
        if let Some(held) = &self.current {
            w.int(STATE_LIST).bytes(&held.signed);
        }
        state_file::seal(STATE_MAGIC, STATE_VERSION, &w.into_bytes())
    }

    /// Reads a state file written by [`TrustStore::to_bytes`]. A truncated,
    /// altered or foreign file is refused. The list's signature is not
    /// checked again: after a root rotation its signer is no longer a root,
    /// and the checksum already shows the file is the one this store saved.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StateFileError> {
        let body = state_file::open(bytes, STATE_MAGIC, STATE_VERSION)?;
        let invalid = |_| StateFileError::Invalid;
        let r = &mut Reader::new(body);
        let (mut roots, mut signed) = (None, None);
        r.int_map(|r, field| {
            match field.key {
                STATE_ROOTS => {
                    let count = r.array()?;
                    if count == 0 || count > MAX_NEXT_ROOTS {
                        return Err(field.invalid("roots"));
                    }
                    let mut keys = Vec::with_capacity(count);
                    for _ in 0..count {
                        keys.push(PublicKey::read_cose_key(r)?);
                    }
                    roots = Some(keys);
                }
                STATE_LIST => signed = Some(r.bytes()?),
                _ => return Err(field.unknown()),
            }
            Ok(())
        })
        .map_err(invalid)?;
        r.finish().map_err(invalid)?;
        let mut store = TrustStore::new(roots.ok_or(StateFileError::Invalid)?).map_err(|_| StateFileError::Invalid)?;
        if let Some(signed) = signed {
            let r = &mut Reader::new(signed);
            let sign1 = Sign1::read(r).map_err(invalid)?;
            r.finish().map_err(invalid)?;
            let list = TrustList::read_body(sign1.payload, sign1.payload_offset).map_err(invalid)?;
            store.current = Some(Held { list, signed: signed.to_vec() });
        }
        Ok(store)
    }

    /// The root keys the next list must be signed by.
    pub fn roots(&self) -> &[PublicKey] {
        &self.roots
    }
}

#[cfg(test)]
mod tests;
