use alloc::vec::Vec;

use super::*;
use crate::document::Profile;
use crate::keys::Algorithm;
use crate::presentation::Disclose;
use crate::receipt::Minimise;
use crate::testing::{NOW, present, verifier};

fn desk() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32]).unwrap()
}

fn stranger() -> SecretKey {
    SecretKey::from_bytes(Algorithm::Es256, &[0x66; 32]).unwrap()
}

fn receipt(by: &SecretKey, time: u64) -> Vec<u8> {
    let text = present(Disclose::Profile(Profile::VisitorLog)).to_text();
    let verified = verifier(Algorithm::EdDsa).verify(text.as_bytes(), NOW).unwrap();
    let registry = Registry::builtin();
    Receipt::issue(&verified, &registry, by, "gate:ZB-7", time, Some(Profile::VisitorLog), Minimise::Values)
        .unwrap()
        .bytes
}

fn check(bytes: &[u8]) -> Result<LogReport, LogError> {
    verify(bytes, &[desk().public_key().clone()], &Registry::builtin(), None)
}

/// A log of `n` entries appended an hour apart from NOW, a checkpoint after
/// the first `sealed` of them; and where each record starts (and the end).
fn log(n: u64, sealed: Option<u64>) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = header();
    let mut head = Head { next_seq: 0, hash: GENESIS };
    let mut starts = Vec::new();
    for i in 0..n {
        if sealed == Some(i) {
            starts.push(bytes.len());
            let (record, next) = checkpoint_record(head, NOW + i * 3600, (0, GENESIS), &desk());
            bytes.extend_from_slice(&record);
            head = next;
        }
        starts.push(bytes.len());
        let (record, next) = entry_record(head, NOW + i * 3600, &receipt(&desk(), NOW + i * 3600)).unwrap();
        bytes.extend_from_slice(&record);
        head = next;
    }
    starts.push(bytes.len());
    (bytes, starts)
}

/// The log with its record `i` replaced by `record`.
fn replace(bytes: &[u8], starts: &[usize], i: usize, record: &[u8]) -> Vec<u8> {
    [&bytes[..starts[i]], record, &bytes[starts[i + 1]..]].concat()
}

/// Record `i` re-framed after `edit` changes its body, so its own hash matches.
fn reframed(bytes: &[u8], starts: &[usize], i: usize, edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut body = bytes[starts[i] + 4..starts[i + 1] - 32].to_vec();
    edit(&mut body);
    replace(bytes, starts, i, &frame(&body).0)
}

#[test]
fn a_log_verifies_with_its_entries_checkpoints_and_head() {
    let (bytes, starts) = log(4, Some(3));
    let report = check(&bytes).unwrap();
    assert_eq!(report.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [0, 1, 2, 4]);
    assert_eq!(report.entries[3].time, NOW + 3 * 3600);
    assert_eq!(report.entries[0].receipt.unit, "gate:ZB-7");
    assert_eq!((report.checkpoints, report.unsealed, report.torn_tail), (1, 1, None));
    assert_eq!(report.start, (0, GENESIS));
    assert_eq!(report.head.next_seq, 5);
    assert_eq!(report.valid_len, bytes.len());
    assert_eq!(*starts.last().unwrap(), bytes.len());
    let empty = check(&header()).unwrap();
    assert_eq!((empty.entries.len(), empty.head), (0, Head { next_seq: 0, hash: GENESIS }));
}

#[test]
fn an_edited_entry_is_log_entry_edited() {
    let (bytes, starts) = log(3, None);
    // An edit that leaves the hash as it was: the record no longer matches it.
    for at in starts[1] + 4..starts[2] - 32 {
        let mut edited = bytes.clone();
        edited[at] ^= 0x01;
        assert_eq!(check(&edited), Err(LogError::EntryEdited { offset: starts[1] }), "flip at {at}");
    }
    // An edit with the record's hash recomputed: the next record no longer chains.
    let edited = reframed(&bytes, &starts, 1, |body| body[16] ^= 0x01); // its time
    assert_eq!(check(&edited), Err(LogError::EntryEdited { offset: starts[2] }));
    // The first record's prev, changed and re-framed.
    let edited = reframed(&bytes, &starts, 0, |body| body[17] = 1);
    assert_eq!(check(&edited), Err(LogError::EntryEdited { offset: starts[0] }));
    // The last record re-framed with another receipt: its signature fails.
    let edited = reframed(&bytes, &starts, 2, |body| {
        let last = body.len() - 1;
        body[last] ^= 0x01;
    });
    assert_eq!(
        check(&edited),
        Err(LogError::Receipt { seq: 2, error: ReceiptError::BadSignature }),
        "the chain is intact, the receipt is not"
    );
}

#[test]
fn a_deleted_entry_is_log_entry_deleted() {
    let (bytes, starts) = log(4, None);
    let deleted = replace(&bytes, &starts, 1, &[]);
    assert_eq!(check(&deleted), Err(LogError::EntryDeleted { after: 0, found: 2 }));
    let deleted = [&bytes[..starts[1]], &bytes[starts[3]..]].concat();
    assert_eq!(check(&deleted), Err(LogError::EntryDeleted { after: 0, found: 3 }));
}

#[test]
fn reordered_entries_are_log_entry_reordered() {
    let (bytes, starts) = log(4, None);
    let record = |i: usize| &bytes[starts[i]..starts[i + 1]];
    let swapped = [&bytes[..starts[1]], record(2), record(1), &bytes[starts[3]..]].concat();
    assert_eq!(check(&swapped), Err(LogError::EntryReordered { after: 0, found: 2 }));
    let moved_back = [&bytes[..starts[1]], record(2), record(3), record(1)].concat();
    assert_eq!(check(&moved_back), Err(LogError::EntryReordered { after: 0, found: 2 }));
    let repeated = [&bytes[..starts[2]], record(1), &bytes[starts[2]..]].concat();
    assert_eq!(check(&repeated), Err(LogError::EntryReordered { after: 1, found: 1 }));
}

#[test]
fn a_torn_last_record_is_reported_and_the_rest_kept() {
    let (bytes, starts) = log(3, None);
    for len in starts[2] + 1..bytes.len() {
        let report = check(&bytes[..len]).unwrap();
        assert_eq!(report.torn_tail, Some(TornTail { offset: starts[2], len: len - starts[2] }), "cut at {len}");
        assert_eq!((report.entries.len(), report.valid_len), (2, starts[2]));
    }
    // A crash that extended the file with zeros, and one that allocated the
    // last record's blocks before writing them.
    let zeros = [&bytes[..], &[0; 100][..]].concat();
    assert_eq!(check(&zeros).unwrap().torn_tail, Some(TornTail { offset: bytes.len(), len: 100 }));
    let mut unwritten = bytes.clone();
    unwritten[starts[2] + 30..].fill(0);
    assert_eq!(
        check(&unwritten).unwrap().torn_tail,
        Some(TornTail { offset: starts[2], len: bytes.len() - starts[2] })
    );
    // A record cut short in the middle of the log is no crash.
    let cut = [&bytes[..starts[1] + 60], &bytes[starts[2]..]].concat();
    assert_eq!(check(&cut), Err(LogError::EntryEdited { offset: starts[1] }));
}

#[test]
fn a_log_cut_before_a_known_head_is_log_truncated() {
    let (bytes, starts) = log(3, None);
    let known = |head| verify(&bytes[..starts[2]], &[desk().public_key().clone()], &Registry::builtin(), Some(head));
    assert_eq!(known(2), Err(LogError::Truncated { last: Some(1), expected: 2 }));
    assert!(known(1).is_ok());
    let none = verify(&header(), &[desk().public_key().clone()], &Registry::builtin(), Some(0));
    assert_eq!(none, Err(LogError::Truncated { last: None, expected: 0 }));
}

#[test]
fn a_purge_is_sealed_by_a_checkpoint_and_a_silent_one_is_refused() {
    let (bytes, starts) = log(5, Some(2));
    let report = check(&bytes).unwrap();
    // Drop the entries appended before NOW + 2 h: seq 0 and 1.
    let (purged_log, dropped) = purged(&bytes, &report, NOW + 2 * 3600, NOW + 5 * 3600, &desk()).unwrap();
    assert_eq!(dropped, 2);
    let after = check(&purged_log).unwrap();
    assert_eq!(after.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
    assert_eq!(after.start.0, 2, "the kept checkpoint (seq 2) is the first record");
    assert_eq!((after.checkpoints, after.unsealed), (2, 0));
    assert_eq!(after.head.next_seq, 7);
    // Nothing older than the cutoff: nothing to do.
    assert_eq!(purged(&bytes, &report, NOW, NOW, &desk()), None);
    // Everything: the log is its checkpoint.
    let (all, dropped) = purged(&bytes, &report, u64::MAX, NOW + 9 * 3600, &desk()).unwrap();
    assert_eq!(dropped, 6);
    let after = check(&all).unwrap();
    assert_eq!((after.entries.len(), after.start, after.head.next_seq), (0, (6, report.head.hash), 7));

    // The same records dropped without a checkpoint.
    let silent = [&header()[..], &bytes[starts[3]..]].concat();
    assert_eq!(check(&silent), Err(LogError::PurgeUnsigned { first_seq: 3 }));
    // A purge checkpoint kept, but more records dropped after it was signed.
    let (purged_log, _) = purged(&bytes, &report, NOW + 2 * 3600, NOW + 5 * 3600, &desk()).unwrap();
    let after = check(&purged_log).unwrap();
    let first_len = 4 + u32_at(&purged_log, HEADER_LEN) as usize + 32;
    let more = [&header()[..], &purged_log[HEADER_LEN + first_len..]].concat();
    assert_eq!(check(&more), Err(LogError::PurgeUnsigned { first_seq: after.start.0 + 1 }));
}

#[test]
fn checkpoints_must_be_signed_by_a_trusted_desk_key() {
    let (bytes, starts) = log(2, Some(1));
    let report = check(&bytes).unwrap();
    let (by_stranger, _) = checkpoint_record(report.head, NOW, (0, GENESIS), &stranger());
    let appended = [&bytes[..], &by_stranger].concat();
    assert_eq!(check(&appended), Err(LogError::CheckpointUnknownKey { seq: 3, kid: stranger().public_key().id() }));
    let forged = reframed(&bytes, &starts, 1, |body| body[FIXED_LEN] ^= 0x01);
    let forged = [&forged[..starts[2]], &frame(&bytes[starts[2] + 4..starts[3] - 32]).0].concat();
    // Re-framing the checkpoint changed its hash: the entry after it no
    // longer chains, and the checkpoint is checked first.
    assert_eq!(check(&forged), Err(LogError::CheckpointBadSignature { seq: 1 }));
}

#[test]
fn receipts_by_an_unknown_desk_key_are_refused_in_a_log() {
    let (record, _) = entry_record(Head { next_seq: 0, hash: GENESIS }, NOW, &receipt(&stranger(), NOW)).unwrap();
    let log = [&header()[..], &record].concat();
    let kid = stranger().public_key().id();
    let err = check(&log).unwrap_err();
    assert_eq!(err, LogError::Receipt { seq: 0, error: ReceiptError::UnknownDeskKey { kid } });
    assert_eq!(err.code(), "receipt_unknown_desk_key");
}

#[test]
fn headers_and_framing_no_writer_produces_are_refused() {
    assert_eq!(check(b""), Err(LogError::WrongKind));
    assert_eq!(check(b"NCVL"), Err(LogError::WrongKind));
    assert_eq!(check(b"NCRL\x01"), Err(LogError::WrongKind));
    assert_eq!(check(b"NCVL\x02"), Err(LogError::Version(2)));
    let (bytes, starts) = log(2, None);
    for bad_len in [0u32, FIXED_LEN as u32 - 1, MAX_BODY_LEN as u32 + 1, u32::MAX] {
        let mut edited = bytes.clone();
        edited[starts[0]..starts[0] + 4].copy_from_slice(&bad_len.to_be_bytes());
        assert_eq!(check(&edited), Err(LogError::EntryMalformed { offset: starts[0] }), "length {bad_len}");
    }
    for kind in [0, 3, 0xff] {
        let edited = reframed(&bytes, &starts, 0, |body| body[0] = kind);
        assert_eq!(check(&edited), Err(LogError::EntryMalformed { offset: starts[0] }), "kind {kind}");
    }
    let short_checkpoint = reframed(&bytes, &starts, 0, |body| body[0] = KIND_CHECKPOINT);
    assert_eq!(check(&short_checkpoint), Err(LogError::EntryMalformed { offset: starts[0] }));
    assert_eq!(check(&vec![0; MAX_LOG_BYTES + 1]), Err(LogError::TooLarge));
}

#[cfg(feature = "std")]
#[test]
fn the_file_appends_recovers_from_a_torn_tail_and_purges_atomically() {
    use file::{LogFile, LogFileError};
    let dir = std::env::temp_dir().join(format!("nocard-visitor-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gate.log");
    let _ = std::fs::remove_file(&path);
    let keys = [desk().public_key().clone()];
    let registry = Registry::builtin();
    let file = LogFile::new(&path, &keys, &registry);
    assert_eq!(file.append(&receipt(&desk(), NOW), NOW).unwrap(), 0);
    assert_eq!(file.append(&receipt(&desk(), NOW + 3600), NOW + 3600).unwrap(), 1);
    assert_eq!(file.checkpoint(&desk(), NOW + 3601).unwrap(), 2);
    // A crash in the middle of an append: the next append cuts it off.
    let mut bytes = std::fs::read(&path).unwrap();
    let whole = bytes.len();
    bytes.extend_from_slice(&entry_record(check(&bytes).unwrap().head, NOW, &receipt(&desk(), NOW)).unwrap().0[..50]);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(file.read().unwrap().1.torn_tail, Some(TornTail { offset: whole, len: 50 }));
    assert_eq!(file.append(&receipt(&desk(), NOW + 7200), NOW + 7200).unwrap(), 3);
    let (_, report) = file.read().unwrap();
    assert_eq!((report.torn_tail, report.entries.len()), (None, 3));
    // A receipt by another desk is not appended.
    let refused = file.append(&receipt(&stranger(), NOW), NOW).unwrap_err();
    assert_eq!(refused.code(), "receipt_unknown_desk_key");
    assert!(matches!(refused, LogFileError::Receipt(_)));
    // Purge what was appended before NOW + 1 h.
    assert_eq!(file.purge(&desk(), NOW + 3600, NOW + 9000).unwrap(), 1);
    let (_, report) = file.read().unwrap();
    assert_eq!(report.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(report.start.0, 1);
    assert!(!dir.join("gate.log.tmp").exists());
    // Nothing is appended to a log that was tampered with.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[HEADER_LEN + 30] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(file.append(&receipt(&desk(), NOW), NOW).unwrap_err().code(), "log_entry_edited");
    std::fs::remove_dir_all(&dir).unwrap();
}
