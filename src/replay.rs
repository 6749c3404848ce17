//! Replay detection: the presentations a desk has already accepted, kept
//! until no verifier could accept them again.
//!
//! A presentation is a bearer token for its window (SPEC.md §7.1): without a
//! cache, a screenshot is accepted again and again until the window ends.
//! [`ReplayCache`] remembers each accepted presentation by its
//! [`presentation_id`](crate::verify::Verified::presentation_id), the digest
//! of what the device signed, so the unsigned re-encodings of one code (tag
//! 18, unprotected header entries, SPEC.md §7.5) are the same entry. It is a
//! module that uses the verifier's result; [`Verifier::verify`](crate::verify::Verifier::verify)
//! stays a pure function.
//!
//! Memory is bounded by the capacity chosen at construction. A full cache
//! never forgets a live entry to make room: it refuses the new presentation
//! ([`Error::ReplayCacheFull`]) until entries expire.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use crate::error::{ConfigError, Error};
use crate::state_file::{self, StateFileError, u32_at, u64_at};
use crate::verify::{Policy, Verified};

/// A presentation id: SHA-256 of the device's Sig_structure.
type PresentationId = [u8; 32];

/// What the cache knows of an accepted presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    first_seen: u64,
    /// The window's end plus the largest skew any policy may set: after this
    /// no verifier accepts the presentation, so it can be forgotten.
    live_until: u64,
}

/// The presentations accepted so far whose windows have not passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayCache {
    capacity: usize,
    by_id: BTreeMap<PresentationId, Seen>,
    /// `(live_until, id)`, so expired entries are found without a scan.
    by_expiry: BTreeSet<(u64, PresentationId)>,
}

impl ReplayCache {
    /// The largest capacity a cache may have: about 140 MB of heap when
    /// full, at the 137 bytes a live entry takes (`cargo bench --bench replay`).
    pub const MAX_CAPACITY: usize = 1 << 20;

    /// An empty cache for at most `capacity` live presentations
    /// (1..=[`ReplayCache::MAX_CAPACITY`], else [`ConfigError::ReplayCapacity`]).
    pub fn new(capacity: usize) -> Result<Self, Error> {
        if capacity == 0 || capacity > Self::MAX_CAPACITY {
            return Err(ConfigError::ReplayCapacity(capacity).into());
        }
        Ok(Self { capacity, by_id: BTreeMap::new(), by_expiry: BTreeSet::new() })
    }

    /// Records `verified`, accepted at `now`. A presentation already
    /// recorded and still live is [`Error::Replayed`] with the time it was
    /// first accepted; a cache full of live entries is
    /// [`Error::ReplayCacheFull`]. Either way the cache is unchanged.
    pub fn admit(&mut self, verified: &Verified, now: u64) -> Result<(), Error> {
        self.purge(now);
        let id = verified.presentation_id;
        if let Some(seen) = self.by_id.get(&id) {
            return Err(Error::Replayed { first_seen: seen.first_seen });
        }
        if self.by_id.len() >= self.capacity {
            return Err(Error::ReplayCacheFull { capacity: self.capacity });
        }
        let live_until = verified.window.end().saturating_add(Policy::MAX_CLOCK_SKEW);
        self.insert(id, Seen { first_seen: now, live_until });
        Ok(())
    }

    /// How many presentations the cache holds (live or not yet purged).
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The most presentations it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn insert(&mut self, id: PresentationId, seen: Seen) {
        self.by_id.insert(id, seen);
        self.by_expiry.insert((seen.live_until, id));
    }

    /// Forgets the presentations no verifier can accept at `now` any more.
    fn purge(&mut self, now: u64) {
        while let Some(&(live_until, id)) = self.by_expiry.first() {
            if live_until > now {
                break;
            }
            self.by_expiry.pop_first();
            self.by_id.remove(&id);
        }
    }

    /// The cache as a state file (sealed as `NCRC`, version 1, see
    /// [`state_file::seal`]): capacity and count (u32 big-endian), then the
    /// entries in id order (id, first seen, live until; u64 big-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(COUNTS_LEN + self.by_id.len() * ENTRY_LEN);
        // Both fit: capacity and count are at most MAX_CAPACITY.
        body.extend_from_slice(&(self.capacity as u32).to_be_bytes());
        body.extend_from_slice(&(self.by_id.len() as u32).to_be_bytes());
        for (id, seen) in &self.by_id {
            body.extend_from_slice(id);
            body.extend_from_slice(&seen.first_seen.to_be_bytes());
            body.extend_from_slice(&seen.live_until.to_be_bytes());
        }
        state_file::seal(MAGIC, VERSION, &body)
    }

    /// Reads a state file written by [`ReplayCache::to_bytes`]. A truncated,
    /// altered or foreign file is refused; nothing is allocated beyond what
    /// the file's own length accounts for.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StateFileError> {
        let body = state_file::open(bytes, MAGIC, VERSION)?;
        if body.len() < COUNTS_LEN {
            return Err(StateFileError::Invalid);
        }
        let capacity = u32_at(body, 0) as usize;
        let count = u32_at(body, 4) as usize;
        let mut cache = Self::new(capacity).map_err(|_| StateFileError::Invalid)?;
        if count > capacity || body.len() != COUNTS_LEN + count * ENTRY_LEN {
            return Err(StateFileError::Invalid);
        }
        let mut previous: Option<&[u8]> = None;
        for entry in body[COUNTS_LEN..].chunks_exact(ENTRY_LEN) {
            let id: PresentationId = entry[..32].try_into().map_err(|_| StateFileError::Invalid)?;
            // Strictly increasing ids: no entry twice, one encoding per cache.
            if previous.is_some_and(|p| p >= &entry[..32]) {
                return Err(StateFileError::Invalid);
            }
            previous = Some(&entry[..32]);
            cache.insert(id, Seen { first_seen: u64_at(entry, 32), live_until: u64_at(entry, 40) });
        }
        Ok(cache)
    }
}

const MAGIC: &[u8; 4] = b"NCRC";
const VERSION: u8 = 1;
/// Capacity and count.
const COUNTS_LEN: usize = 4 + 4;
const ENTRY_LEN: usize = 32 + 8 + 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Profile;
    use crate::presentation::Disclose;
    use crate::testing::*;

    fn accepted(at: u64) -> Verified {
        let p = holder(crate::keys::Algorithm::EdDsa, crate::keys::Algorithm::Es256)
            .present(Disclose::Profile(Profile::HotelCheckIn))
            .at(at)
            .sign()
            .unwrap();
        verifier(crate::keys::Algorithm::EdDsa).verify_bytes(p.as_bytes(), at).unwrap()
    }

    #[test]
    fn the_same_code_twice_is_a_replay_until_no_verifier_accepts_it() {
        let mut cache = ReplayCache::new(4).unwrap();
        let first = accepted(NOW);
        cache.admit(&first, NOW + 1).unwrap();
        assert_eq!(cache.admit(&first, NOW + 5), Err(Error::Replayed { first_seen: NOW + 1 }));
        // Live until the window's end plus the largest skew a policy may set.
        let end = first.window.end();
        assert_eq!(cache.admit(&first, end + Policy::MAX_CLOCK_SKEW - 1), Err(Error::Replayed { first_seen: NOW + 1 }));
        cache.admit(&first, end + Policy::MAX_CLOCK_SKEW).unwrap();
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_full_cache_refuses_instead_of_forgetting() {
        let mut cache = ReplayCache::new(2).unwrap();
        let codes = [accepted(NOW), accepted(NOW + 30), accepted(NOW + 60)];
        cache.admit(&codes[0], NOW).unwrap();
        cache.admit(&codes[1], NOW + 30).unwrap();
        assert_eq!(cache.admit(&codes[2], NOW + 60), Err(Error::ReplayCacheFull { capacity: 2 }));
        assert_eq!(cache.admit(&codes[0], NOW + 60), Err(Error::Replayed { first_seen: NOW }));
        // Once the first has expired there is room again.
        let later = codes[0].window.end() + Policy::MAX_CLOCK_SKEW;
        cache.admit(&codes[2], later).unwrap();
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn capacity_is_bounded_when_set() {
        assert_eq!(ReplayCache::new(0), Err(Error::InvalidConfig(ConfigError::ReplayCapacity(0))));
        let over = ReplayCache::MAX_CAPACITY + 1;
        assert_eq!(ReplayCache::new(over), Err(Error::InvalidConfig(ConfigError::ReplayCapacity(over))));
    }

    #[test]
    fn a_saved_cache_reads_back_and_every_damage_is_refused() {
        let mut cache = ReplayCache::new(8).unwrap();
        for i in 0..3 {
            cache.admit(&accepted(NOW + 30 * i), NOW + 30 * i).unwrap();
        }
        let bytes = cache.to_bytes();
        let framing = state_file::HEADER_LEN + state_file::CHECKSUM_LEN;
        assert_eq!(bytes.len(), framing + COUNTS_LEN + 3 * ENTRY_LEN);
        assert_eq!(ReplayCache::from_bytes(&bytes), Ok(cache.clone()));
        // Cut short at every length, or one bit flipped at every offset.
        for len in 0..bytes.len() {
            assert!(ReplayCache::from_bytes(&bytes[..len]).is_err(), "cut at {len}");
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            let expected = match at {
                0..4 => StateFileError::WrongKind,
                4 => StateFileError::Version(VERSION ^ 0x10),
                _ => StateFileError::Checksum,
            };
            assert_eq!(ReplayCache::from_bytes(&flipped), Err(expected), "flip at {at}");
        }
        // A checksummed file whose count does not fit its capacity.
        let counts = [1u32.to_be_bytes(), 2u32.to_be_bytes()].concat();
        let sealed = state_file::seal(MAGIC, VERSION, &counts);
        assert_eq!(ReplayCache::from_bytes(&sealed), Err(StateFileError::Invalid));
        // Someone else's state file.
        let foreign = state_file::seal(b"NCTS", VERSION, &cache.to_bytes());
        assert_eq!(ReplayCache::from_bytes(&foreign), Err(StateFileError::WrongKind));
    }
}
