//! The visitor log: an append-only file of a desk's receipts, each record
//! chained to the one before it by hash, with checkpoints signed by the
//! desk key (SPEC.md §15.5-15.8).
//!
//! ```text
//! log      = header record*
//! header   = "NCVL" version(1 byte, 1)
//! record   = length(u32 BE) body SHA-256(body)
//! body     = kind(1) seq(u64 BE) time(u64 BE) prev(32) content
//! kind 1   : content = a receipt (SPEC.md §15.1)
//! kind 2   : content = first_seq(u64 BE) first_prev(32) kid(8) signature(64),
//!            the signature by the desk key over CHECKPOINT_CONTEXT ‖ body
//!            up to the signature
//! ```
//!
//! `prev` is the previous record's hash (its trailing SHA-256), so a record
//! that is edited, deleted or moved breaks the chain where it was; a
//! checkpoint signs the chain's head and where the log starts, so a purge
//! of old records is a signed statement, never a silent cut. [`verify`]
//! tells a torn last record (a crash while appending) from tampering: the
//! records before it are kept and the tear is reported. It is a pure
//! function of the bytes; [`file`](mod@file) (with `std`) appends with fsync and
//! purges atomically.

#[cfg(feature = "std")]
pub mod file;

use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};

use crate::document::Registry;
use crate::keys::{KeyId, PublicKey, SIGNATURE_LEN, SecretKey};
use crate::receipt::{MAX_RECEIPT_BYTES, Receipt, ReceiptError};
use crate::state_file::{u32_at, u64_at};

/// The file's first bytes.
pub const MAGIC: &[u8; 4] = b"NCVL";
/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Bytes of the header: magic and version.
pub const HEADER_LEN: usize = 5;
/// Largest log [`verify`] reads.
pub const MAX_LOG_BYTES: usize = 64 << 20;
/// Most records [`verify`] reads.
pub const MAX_RECORDS: usize = 1 << 20;
/// The `prev` of the first record of a log never purged.
pub const GENESIS: [u8; 32] = [0; 32];
/// What a checkpoint's signature covers before the record body, so it
/// cannot be taken for a signature over anything else.
pub const CHECKPOINT_CONTEXT: &[u8] = b"nocard visitor log checkpoint v1";

const KIND_ENTRY: u8 = 1;
const KIND_CHECKPOINT: u8 = 2;
/// Bytes of a body before its content: kind, seq, time, prev.
const FIXED_LEN: usize = 1 + 8 + 8 + 32;
const CHECKPOINT_LEN: usize = 8 + 32 + 8 + SIGNATURE_LEN;
/// Longest body: an entry with the largest receipt.
pub const MAX_BODY_LEN: usize = FIXED_LEN + MAX_RECEIPT_BYTES;
const LENGTH_LEN: usize = 4;
const HASH_LEN: usize = 32;

/// A log with no records: its header.
pub fn header() -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out
}

/// Where a log's chain stands: the next record's seq and prev.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The seq the next record takes.
    pub next_seq: u64,
    /// The hash the next record chains from.
    pub hash: [u8; 32],
}

/// One receipt in a verified log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Its place in the log.
    pub seq: u64,
    /// When it was appended, by the desk's clock.
    pub time: u64,
    /// The receipt, verified.
    pub receipt: Receipt,
}

/// A record cut short at the end of the file: a crash while appending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TornTail {
    /// Where it starts.
    pub offset: usize,
    /// How many bytes of it there are.
    pub len: usize,
}

/// What a log that verifies holds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogReport {
    /// The seq and prev the log starts from: (0, [`GENESIS`]) unless purged.
    pub start: (u64, [u8; 32]),
    /// Where the chain stands after the last whole record.
    pub head: Head,
    /// The receipts, in order.
    pub entries: Vec<LogEntry>,
    /// Checkpoints read.
    pub checkpoints: usize,
    /// Records after the last checkpoint: protected by the chain against
    /// accident, by no signature yet.
    pub unsealed: usize,
    /// A torn last record, not counted in the log.
    pub torn_tail: Option<TornTail>,
    /// Bytes of the log up to the torn tail (all of it if none).
    pub valid_len: usize,
}

/// Verifies a whole log against the desk keys that may have signed its
/// receipts and checkpoints, in the order of SPEC.md §15.6. `known_head`,
/// if given, is a seq the caller knows the log has reached (from an
/// earlier verification or a checkpoint kept elsewhere): a log whose last
/// record is older is `log_truncated`.
pub fn verify(
    bytes: &[u8],
    desk_keys: &[PublicKey],
    registry: &Registry,
    known_head: Option<u64>,
) -> Result<LogReport, LogError> {
    if bytes.len() > MAX_LOG_BYTES {
        return Err(LogError::TooLarge);
    }
    if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
        return Err(LogError::WrongKind);
    }
    if bytes[4] != VERSION {
        return Err(LogError::Version(bytes[4]));
    }
    let mut at = HEADER_LEN;
    let mut start = None;
    let mut head = Head { next_seq: 0, hash: GENESIS };
    let mut entries = Vec::new();
    let (mut records, mut checkpoints, mut unsealed) = (0usize, 0usize, 0usize);
    let mut sealed_start = None;
    let mut torn_tail = None;
    while at < bytes.len() {
        let record = match Record::read(bytes, at)? {
            Some(record) => record,
            None => {
                torn_tail = Some(TornTail { offset: at, len: bytes.len() - at });
                break;
            }
        };
        records += 1;
        if records > MAX_RECORDS {
            return Err(LogError::TooLarge);
        }
        match start {
            None => {
                if record.seq == 0 && record.prev != GENESIS {
                    return Err(LogError::EntryEdited { offset: at });
                }
                start = Some((record.seq, record.prev));
            }
            // A gap is a move if the missing seq comes later, else a deletion.
            Some(_) if record.seq > head.next_seq && comes_later(bytes, record.end, head.next_seq) => {
                return Err(LogError::EntryReordered { after: head.next_seq - 1, found: record.seq });
            }
            Some(_) if record.seq > head.next_seq => {
                return Err(LogError::EntryDeleted { after: head.next_seq - 1, found: record.seq });
            }
            Some(_) if record.seq < head.next_seq => {
                return Err(LogError::EntryReordered { after: head.next_seq - 1, found: record.seq });
            }
            Some(_) if record.prev != head.hash => return Err(LogError::EntryEdited { offset: at }),
            Some(_) => {}
        }
        match record.kind {
            KIND_ENTRY => {
                let receipt = Receipt::verify(record.content, desk_keys, registry)
                    .map_err(|error| LogError::Receipt { seq: record.seq, error })?;
                entries.push(LogEntry { seq: record.seq, time: record.time, receipt });
                unsealed += 1;
            }
            _ => {
                sealed_start = Some(record.checkpoint(desk_keys)?);
                checkpoints += 1;
                unsealed = 0;
            }
        }
        head = Head {
            next_seq: record.seq.checked_add(1).ok_or(LogError::EntryMalformed { offset: at })?,
            hash: record.hash,
        };
        at = record.end;
    }
    let start = start.unwrap_or((0, GENESIS));
    // A log that does not start at the beginning must say so, signed.
    if start != (0, GENESIS) && sealed_start != Some(start) {
        return Err(LogError::PurgeUnsigned { first_seq: start.0 });
    }
    if let Some(expected) = known_head {
        let last = head.next_seq.checked_sub(1);
        if last.is_none_or(|last| last < expected) {
            return Err(LogError::Truncated { last, expected });
        }
    }
    Ok(LogReport { start, head, entries, checkpoints, unsealed, torn_tail, valid_len: at })
}

/// Whether a record from `at` on has seq `seq`, reading as far as records
/// read whole.
fn comes_later(bytes: &[u8], mut at: usize, seq: u64) -> bool {
    while let Ok(Some(record)) = Record::read(bytes, at) {
        if record.seq == seq {
            return true;
        }
        at = record.end;
    }
    false
}

/// One record, read and its checksum checked.
struct Record<'a> {
    kind: u8,
    seq: u64,
    time: u64,
    prev: [u8; 32],
    /// The body, for a checkpoint's signature.
    body: &'a [u8],
    content: &'a [u8],
    hash: [u8; 32],
    /// Where the next record starts.
    end: usize,
}

impl<'a> Record<'a> {
    /// The record at `at`, or `None` when the bytes from `at` to the end of
    /// the file are a torn tail (SPEC.md §15.6 step 3).
    fn read(bytes: &'a [u8], at: usize) -> Result<Option<Self>, LogError> {
        let rest = &bytes[at..];
        // A crash may leave the file extended with zeros, or with a prefix
        // of the record it was writing, never anything else.
        let torn = || if rest.iter().all(|&b| b == 0) { Ok(None) } else { Err(()) };
        if rest.len() < LENGTH_LEN {
            return Ok(None);
        }
        let len = u32_at(rest, 0) as usize;
        if !(FIXED_LEN..=MAX_BODY_LEN).contains(&len) {
            return torn().map_err(|()| LogError::EntryMalformed { offset: at });
        }
        let end = LENGTH_LEN + len + HASH_LEN;
        if rest.len() < end {
            return Ok(None);
        }
        let body = &rest[LENGTH_LEN..LENGTH_LEN + len];
        let hash: [u8; 32] = Sha256::digest(body).into();
        if hash[..] != rest[LENGTH_LEN + len..end] {
            // The last record whole in length but not in content is torn
            // too: its blocks were allocated, not yet written.
            return if rest.len() == end {
                Ok(None)
            } else {
                torn().map_err(|()| LogError::EntryEdited { offset: at })
            };
        }
        let kind = body[0];
        let content = &body[FIXED_LEN..];
        let well_formed = match kind {
            KIND_ENTRY => !content.is_empty(),
            KIND_CHECKPOINT => content.len() == CHECKPOINT_LEN,
            _ => false,
        };
        if !well_formed {
            return Err(LogError::EntryMalformed { offset: at });
        }
        let mut prev = [0; 32];
        prev.copy_from_slice(&body[17..FIXED_LEN]);
        Ok(Some(Self { kind, seq: u64_at(body, 1), time: u64_at(body, 9), prev, body, content, hash, end: at + end }))
    }

    /// Checks a checkpoint's signature; returns the start it states.
    fn checkpoint(&self, desk_keys: &[PublicKey]) -> Result<(u64, [u8; 32]), LogError> {
        let c = self.content;
        let mut first_prev = [0; 32];
        first_prev.copy_from_slice(&c[8..40]);
        let mut kid = [0; 8];
        kid.copy_from_slice(&c[40..48]);
        let kid = KeyId(kid);
        let key =
            desk_keys.iter().find(|k| k.id() == kid).ok_or(LogError::CheckpointUnknownKey { seq: self.seq, kid })?;
        let signed_len = self.body.len() - SIGNATURE_LEN;
        let message = [CHECKPOINT_CONTEXT, &self.body[..signed_len]].concat();
        key.verify(&message, &self.body[signed_len..])
            .map_err(|_| LogError::CheckpointBadSignature { seq: self.seq })?;
        Ok((u64_at(c, 0), first_prev))
    }
}

/// Frames `body` as a record: length, body, hash. Returns the record and its hash.
fn frame(body: &[u8]) -> (Vec<u8>, [u8; 32]) {
    let hash: [u8; 32] = Sha256::digest(body).into();
    let mut out = Vec::with_capacity(LENGTH_LEN + body.len() + HASH_LEN);
    // The caller bounds the body by MAX_BODY_LEN, far below u32::MAX.
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&hash);
    (out, hash)
}

fn body_start(kind: u8, head: Head, time: u64) -> Vec<u8> {
    let mut body = Vec::with_capacity(MAX_BODY_LEN);
    body.push(kind);
    body.extend_from_slice(&head.next_seq.to_be_bytes());
    body.extend_from_slice(&time.to_be_bytes());
    body.extend_from_slice(&head.hash);
    body
}

/// The record that appends `receipt` at `head`, and the head after it.
/// The receipt is not checked here: [`file::LogFile::append`] checks it first.
pub fn entry_record(head: Head, time: u64, receipt: &[u8]) -> Result<(Vec<u8>, Head), LogError> {
    if receipt.is_empty() || receipt.len() > MAX_RECEIPT_BYTES {
        return Err(LogError::Receipt {
            seq: head.next_seq,
            error: ReceiptError::Malformed(crate::error::Malformed::at(
                crate::error::MalformedKind::TooLarge { max: MAX_RECEIPT_BYTES },
                MAX_RECEIPT_BYTES,
            )),
        });
    }
    let mut body = body_start(KIND_ENTRY, head, time);
    body.extend_from_slice(receipt);
    let (record, hash) = frame(&body);
    Ok((record, Head { next_seq: head.next_seq + 1, hash }))
}

/// The checkpoint record at `head`, stating that the log starts at
/// `start`, signed by `desk`; and the head after it.
pub fn checkpoint_record(head: Head, time: u64, start: (u64, [u8; 32]), desk: &SecretKey) -> (Vec<u8>, Head) {
    let mut body = body_start(KIND_CHECKPOINT, head, time);
    body.extend_from_slice(&start.0.to_be_bytes());
    body.extend_from_slice(&start.1);
    body.extend_from_slice(&desk.public_key().id().0);
    let signature = desk.sign(&[CHECKPOINT_CONTEXT, &body].concat());
    body.extend_from_slice(&signature);
    let (record, hash) = frame(&body);
    (record, Head { next_seq: head.next_seq + 1, hash })
}

/// The log without its records appended before `cutoff` (a prefix: the
/// first record appended at or after `cutoff` and all after it are kept),
/// ending with a checkpoint signed at `now` that states where the kept
/// records start. `bytes` must have verified as `report`. Returns the new
/// log and how many records were dropped; with none to drop, `None`.
pub fn purged(bytes: &[u8], report: &LogReport, cutoff: u64, now: u64, desk: &SecretKey) -> Option<(Vec<u8>, usize)> {
    let mut at = HEADER_LEN;
    let mut dropped = 0;
    // The records verified: only their framing is read again here.
    while at < report.valid_len {
        let len = u32_at(bytes, at) as usize;
        let time = u64_at(bytes, at + LENGTH_LEN + 9);
        if time >= cutoff {
            break;
        }
        at += LENGTH_LEN + len + HASH_LEN;
        dropped += 1;
    }
    if dropped == 0 {
        return None;
    }
    let kept = &bytes[at..report.valid_len];
    let start = if kept.is_empty() {
        (report.head.next_seq, report.head.hash)
    } else {
        let mut prev = [0; 32];
        prev.copy_from_slice(&kept[LENGTH_LEN + 17..LENGTH_LEN + FIXED_LEN]);
        (u64_at(kept, LENGTH_LEN + 1), prev)
    };
    let (checkpoint, _) = checkpoint_record(report.head, now, start, desk);
    Some(([&header()[..], kept, &checkpoint].concat(), dropped))
}

/// Why a visitor log was refused (SPEC.md §15.7).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogError {
    /// Not a visitor log (wrong magic, or shorter than the header).
    WrongKind,
    /// A format version this build does not read.
    Version(u8),
    /// Over [`MAX_LOG_BYTES`] or [`MAX_RECORDS`].
    TooLarge,
    /// A record whose length, kind or content size no writer produces.
    EntryMalformed {
        /// Where the record starts.
        offset: usize,
    },
    /// A record whose content no longer matches its hash, or that does not
    /// chain from the record before it: one of them was edited.
    EntryEdited {
        /// Where the record starts.
        offset: usize,
    },
    /// Records are missing from the chain.
    EntryDeleted {
        /// The last seq before the gap.
        after: u64,
        /// The seq found after it.
        found: u64,
    },
    /// A record out of order: its seq is not after the one before it.
    EntryReordered {
        /// The seq before it.
        after: u64,
        /// Its seq.
        found: u64,
    },
    /// A receipt in the log was refused.
    Receipt {
        /// The record's seq.
        seq: u64,
        /// Why.
        error: ReceiptError,
    },
    /// A checkpoint signed by no trusted desk key.
    CheckpointUnknownKey {
        /// The checkpoint's seq.
        seq: u64,
        /// The key id it names.
        kid: KeyId,
    },
    /// A checkpoint whose signature does not verify.
    CheckpointBadSignature {
        /// The checkpoint's seq.
        seq: u64,
    },
    /// The log does not start at its beginning and no signed checkpoint
    /// says where it starts: records were dropped without one.
    PurgeUnsigned {
        /// The seq the log starts at.
        first_seq: u64,
    },
    /// The log ends before a seq the caller knows it reached.
    Truncated {
        /// Its last seq (`None`: no records).
        last: Option<u64>,
        /// The seq it should have reached.
        expected: u64,
    },
}

impl LogError {
    /// Stable snake_case code (SPEC.md §15.7).
    pub fn code(&self) -> &'static str {
        match self {
            LogError::WrongKind => "log_wrong_kind",
            LogError::Version(_) => "log_version",
            LogError::TooLarge => "log_too_large",
            LogError::EntryMalformed { .. } => "log_entry_malformed",
            LogError::EntryEdited { .. } => "log_entry_edited",
            LogError::EntryDeleted { .. } => "log_entry_deleted",
            LogError::EntryReordered { .. } => "log_entry_reordered",
            LogError::Receipt { error, .. } => error.code(),
            LogError::CheckpointUnknownKey { .. } => "log_checkpoint_unknown_key",
            LogError::CheckpointBadSignature { .. } => "log_checkpoint_bad_signature",
            LogError::PurgeUnsigned { .. } => "log_purge_unsigned",
            LogError::Truncated { .. } => "log_truncated",
        }
    }
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogError::WrongKind => f.write_str("not a nocard visitor log"),
            LogError::Version(v) => write!(f, "visitor log version {v} is not supported"),
            LogError::TooLarge => write!(f, "visitor log is over {MAX_LOG_BYTES} bytes or {MAX_RECORDS} records"),
            LogError::EntryMalformed { offset } => write!(f, "record at byte {offset} is not a record nocard writes"),
            LogError::EntryEdited { offset } => {
                write!(f, "record at byte {offset} was edited: it does not match its hash or its chain")
            }
            LogError::EntryDeleted { after, found } => write!(f, "records deleted: seq {found} follows seq {after}"),
            LogError::EntryReordered { after, found } => {
                write!(f, "records reordered: seq {found} follows seq {after}")
            }
            LogError::Receipt { seq, error } => write!(f, "receipt at seq {seq} refused: {error}"),
            LogError::CheckpointUnknownKey { seq, kid } => {
                write!(f, "checkpoint at seq {seq} is signed by desk key {kid}, which is not trusted")
            }
            LogError::CheckpointBadSignature { seq } => write!(f, "checkpoint at seq {seq}: signature does not verify"),
            LogError::PurgeUnsigned { first_seq } => write!(
                f,
                "the log starts at seq {first_seq} and no signed checkpoint says so: records were dropped without one"
            ),
            LogError::Truncated { last: Some(last), expected } => {
                write!(f, "the log ends at seq {last}, before seq {expected} it had reached")
            }
            LogError::Truncated { last: None, expected } => {
                write!(f, "the log has no records, and had reached seq {expected}")
            }
        }
    }
}

impl core::error::Error for LogError {}

#[cfg(test)]
mod tests;
