//! The receipt and visitor log C calls, called as C calls them: each result
//! code, short buffers, NULLs, and agreement with the Rust API.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use core::ptr::{null, null_mut};

use super::*;
use crate::ffi::{
    nocard_verification_free, nocard_verification_new, nocard_verifier_builder_add_issuer_key,
    nocard_verifier_builder_build, nocard_verifier_builder_new, nocard_verifier_free, nocard_verifier_verify,
};
use crate::keys::Algorithm;
use crate::presentation::Disclose;
use crate::testing::{NOW, issuer_key, present};
use crate::visitor_log::header;

fn desk() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32]).unwrap()
}

fn desk_public() -> Vec<u8> {
    desk().public_key().to_cose_key()
}

/// A verification object holding the hotel presentation, verified through C.
fn verified() -> *mut nocard_verification {
    let key = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let builder = nocard_verifier_builder_new();
    let mut verifier = null();
    let out = nocard_verification_new();
    let text = present(Disclose::Profile(Profile::HotelCheckIn)).to_text();
    // SAFETY: live handles, buffers valid for their lengths, NUL-terminated issuer.
    unsafe {
        let added = nocard_verifier_builder_add_issuer_key(
            builder,
            key.as_ptr(),
            key.len(),
            c"NBPSB".as_ptr(),
            null(),
            0,
            true,
        );
        assert_eq!(added, nocard_result::Ok);
        assert_eq!(nocard_verifier_builder_build(builder, &mut verifier), nocard_result::Ok);
        assert_eq!(nocard_verifier_verify(verifier, text.as_ptr(), text.len(), NOW, out), nocard_result::Ok);
        nocard_verifier_free(verifier);
    }
    out
}

/// Issues a receipt through C: its bytes, or the code.
fn issue(
    verification: *const nocard_verification,
    key: &[u8],
    unit: &core::ffi::CStr,
    digests: bool,
) -> Result<Vec<u8>, nocard_result> {
    let mut needed = 0;
    // SAFETY: live verification, key valid for its length, NUL-terminated unit and profile; length query.
    let r = unsafe {
        nocard_receipt_issue(
            verification,
            key.as_ptr(),
            key.len(),
            unit.as_ptr(),
            c"hotel_check_in".as_ptr(),
            digests,
            NOW + 1,
            null_mut(),
            0,
            &mut needed,
        )
    };
    if r != nocard_result::BufferTooSmall {
        return Err(r);
    }
    let mut buf = vec![0u8; needed];
    let mut written = 0;
    // SAFETY: as above, `buf` writable for its length.
    let r = unsafe {
        nocard_receipt_issue(
            verification,
            key.as_ptr(),
            key.len(),
            unit.as_ptr(),
            c"hotel_check_in".as_ptr(),
            digests,
            NOW + 1,
            buf.as_mut_ptr(),
            buf.len(),
            &mut written,
        )
    };
    assert_eq!((r, written), (nocard_result::Ok, needed));
    Ok(buf)
}

fn check(receipt: &[u8], key: &[u8]) -> nocard_result {
    // SAFETY: both buffers valid for their lengths.
    unsafe { nocard_receipt_verify(receipt.as_ptr(), receipt.len(), key.as_ptr(), key.len()) }
}

/// The record to append and where, or the code.
fn append(log: &[u8], receipt: &[u8]) -> Result<(Vec<u8>, usize), nocard_result> {
    let key = desk_public();
    let mut buf = vec![0u8; 8192];
    let (mut written, mut at) = (0, usize::MAX);
    // SAFETY: every buffer valid for its length, outputs writable.
    let r = unsafe {
        nocard_log_append_record(
            log.as_ptr(),
            log.len(),
            receipt.as_ptr(),
            receipt.len(),
            key.as_ptr(),
            key.len(),
            NOW,
            buf.as_mut_ptr(),
            buf.len(),
            &mut written,
            &mut at,
        )
    };
    if r != nocard_result::Ok {
        assert_eq!(at, usize::MAX, "written only on success");
        return Err(r);
    }
    buf.truncate(written);
    Ok((buf, at))
}

fn log_verify(log: &[u8], known_head: Option<u64>) -> Result<(usize, usize), nocard_result> {
    let key = desk_public();
    let (mut entries, mut valid) = (usize::MAX, usize::MAX);
    let head = known_head.as_ref().map_or(null(), |h| h as *const u64);
    // SAFETY: buffers valid for their lengths, outputs writable, head NULL or readable.
    let r =
        unsafe { nocard_log_verify(log.as_ptr(), log.len(), key.as_ptr(), key.len(), head, &mut entries, &mut valid) };
    if r == nocard_result::Ok { Ok((entries, valid)) } else { Err(r) }
}

#[test]
fn a_receipt_scanned_off_a_printed_copy_verifies_as_its_text() {
    let v = verified();
    let receipt = issue(v, &desk().to_cose_key(), c"hotel:NB-0042", false).unwrap();
    let text = crate::receipt::to_text(&receipt);
    assert_eq!(check(text.as_bytes(), &desk_public()), nocard_result::Ok);
    assert_eq!(check(format!("{text}\r\n").as_bytes(), &desk_public()), nocard_result::Ok);
    let stranger = SecretKey::from_bytes(Algorithm::EdDsa, &[0x66; 32]).unwrap().public_key().to_cose_key();
    assert_eq!(check(text.as_bytes(), &stranger), nocard_result::ReceiptUnknownDeskKey);
    assert_eq!(check(text.replacen("NCR1:", "NCR2:", 1).as_bytes(), &desk_public()), nocard_result::UnsupportedVersion);
    // `#` is not in the base45 alphabet (RFC 9285 §4).
    let mut broken = text.into_bytes();
    broken[10] = b'#';
    assert_eq!(check(&broken, &desk_public()), nocard_result::Malformed);
    // SAFETY: from nocard_verification_new, freed once.
    unsafe { nocard_verification_free(v) };
}

#[test]
fn a_desk_signs_and_checks_receipts_through_c_as_in_rust() {
    let v = verified();
    let secret = desk().to_cose_key();
    for digests in [false, true] {
        let receipt = issue(v, &secret, c"hotel:NB-0042", digests).unwrap();
        assert_eq!(check(&receipt, &desk_public()), nocard_result::Ok);
        let read = Receipt::verify(&receipt, &[desk().public_key().clone()], &Registry::builtin()).unwrap();
        assert_eq!(
            (read.unit.as_str(), read.time, read.purpose),
            ("hotel:NB-0042", NOW + 1, Some(Profile::HotelCheckIn))
        );
        let stranger = SecretKey::from_bytes(Algorithm::Es256, &[0x66; 32]).unwrap().public_key().to_cose_key();
        assert_eq!(check(&receipt, &stranger), nocard_result::ReceiptUnknownDeskKey);
        let mut edited = receipt.clone();
        let last = edited.len() - 1;
        edited[last] ^= 1;
        assert_eq!(check(&edited, &desk_public()), nocard_result::ReceiptBadSignature);
        assert_eq!(check(&receipt[..receipt.len() - 1], &desk_public()), nocard_result::Malformed);
    }
    let presentation = present(Disclose::Profile(Profile::HotelCheckIn));
    assert_eq!(check(presentation.as_bytes(), &desk_public()), nocard_result::NotAReceipt);
    assert_eq!(issue(v, &secret, c"", false), Err(nocard_result::Usage));
    assert_eq!(issue(v, &desk_public(), c"u", false), Err(nocard_result::InvalidKey));
    let empty = nocard_verification_new();
    assert_eq!(issue(empty, &secret, c"u", false), Err(nocard_result::NotVerified));
    let mut n = 0;
    // SAFETY: live verification, key valid for its length, unknown profile name.
    let r = unsafe {
        nocard_receipt_issue(
            v,
            secret.as_ptr(),
            secret.len(),
            c"u".as_ptr(),
            c"opera".as_ptr(),
            false,
            NOW,
            null_mut(),
            0,
            &mut n,
        )
    };
    assert_eq!(r, nocard_result::UnknownProfile);
    // SAFETY: NULLs where pointers belong; nothing is read or written.
    unsafe {
        assert_eq!(nocard_receipt_verify(null(), 0, null(), 0), nocard_result::NullParameter);
        assert_eq!(
            nocard_receipt_issue(null(), null(), 0, null(), null(), false, 0, null_mut(), 0, null_mut()),
            nocard_result::NullParameter
        );
        assert_eq!(
            nocard_log_verify(null(), 0, null(), 0, null(), null_mut(), null_mut()),
            nocard_result::NullParameter
        );
        let key = desk_public();
        assert_eq!(nocard_receipt_verify(key.as_ptr(), usize::MAX, key.as_ptr(), key.len()), nocard_result::TooLong);
    }
    // SAFETY: from nocard_verification_new, freed once.
    unsafe {
        nocard_verification_free(v);
        nocard_verification_free(empty);
    }
}

#[test]
fn a_gate_keeps_its_log_through_c_and_every_attack_has_its_code() {
    let v = verified();
    let secret = desk().to_cose_key();
    let mut log = header();
    for _ in 0..3 {
        let receipt = issue(v, &secret, c"gate:ZB-7", true).unwrap();
        let (record, at) = append(&log, &receipt).unwrap();
        assert_eq!(at, log.len());
        log.extend_from_slice(&record);
    }
    assert_eq!(log_verify(&log, None), Ok((3, log.len())));
    assert_eq!(log_verify(&log, Some(3)), Err(nocard_result::LogTruncated));
    // A torn tail: verified up to it, and the next record goes where it starts.
    let torn = &log[..log.len() - 5];
    let (entries, valid) = log_verify(torn, None).unwrap();
    assert_eq!(entries, 2);
    let receipt = issue(v, &secret, c"gate:ZB-7", true).unwrap();
    assert_eq!(append(torn, &receipt).map(|(_, at)| at), Ok(valid));
    // Edited, deleted, reordered, purged without a checkpoint.
    let mut edited = log.clone();
    edited[crate::visitor_log::HEADER_LEN + 80] ^= 1;
    assert_eq!(log_verify(&edited, None), Err(nocard_result::LogEntryEdited));
    let record_len = (log.len() - crate::visitor_log::HEADER_LEN) / 3;
    let start = |i: usize| crate::visitor_log::HEADER_LEN + i * record_len;
    let deleted = [&log[..start(1)], &log[start(2)..]].concat();
    assert_eq!(log_verify(&deleted, None), Err(nocard_result::LogEntryDeleted));
    let swapped = [&log[..start(0)], &log[start(1)..start(2)], &log[start(0)..start(1)], &log[start(2)..]].concat();
    assert_eq!(log_verify(&swapped, None), Err(nocard_result::LogEntryReordered));
    let front = [&log[..start(0)], &log[start(1)..]].concat();
    assert_eq!(log_verify(&front, None), Err(nocard_result::LogPurgeUnsigned));
    assert_eq!(log_verify(b"NCVL\x02", None), Err(nocard_result::LogVersion));
    assert_eq!(log_verify(b"nope!", None), Err(nocard_result::LogWrongKind));
    // Nothing is appended to a tampered log, nor a receipt by another desk.
    assert_eq!(append(&edited, &receipt).unwrap_err(), nocard_result::LogEntryEdited);
    let presentation = present(Disclose::Profile(Profile::HotelCheckIn));
    assert_eq!(append(&log, presentation.as_bytes()).unwrap_err(), nocard_result::NotAReceipt);
    // SAFETY: from nocard_verification_new, freed once.
    unsafe { nocard_verification_free(v) };
}
