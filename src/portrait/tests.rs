use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::credential::Issuer;
use crate::document::{ClaimValue, Profile};
use crate::keys::Algorithm;
use crate::presentation::{Disclose, Holder, Presentation};
use crate::testing::{
    ISSUER, NOW, PORTRAIT, YEAR, device_key, holder_with_photo, issuer_key, resident_id, roadside_with_photo, verifier,
};
use crate::text::{self, TextKind};
use crate::verify::Verified;

fn roadside(photo: &[u8], now: u64) -> Presentation {
    roadside_with_photo(photo, now)
}

fn verified(p: &Presentation) -> Verified {
    verifier(Algorithm::EdDsa).verify(p.to_text().as_bytes(), NOW + 1).unwrap()
}

fn frames(sender: &PortraitSender, indexes: impl IntoIterator<Item = u32>) -> Vec<String> {
    indexes.into_iter().map(|i| sender.frame(i).unwrap()).collect()
}

#[test]
fn source_frames_in_order_rebuild_the_portrait() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    assert_eq!(sender.source_symbols(), 21); // ⌈3027 / 150⌉
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    assert_eq!(rx.progress(), Ok(Progress::Waiting));
    for (i, f) in frames(&sender, 0..20).iter().enumerate() {
        assert_eq!(rx.feed(f.as_bytes()), Ok(Progress::Receiving { symbols: i as u32 + 1, needed: 21 }));
        assert_eq!(rx.portrait(), None);
    }
    assert_eq!(rx.feed(sender.frame(20).unwrap().as_bytes()), Ok(Progress::Complete));
    assert_eq!(rx.portrait(), Some(PORTRAIT));
    assert_eq!(rx.progress(), Ok(Progress::Complete));
}

#[test]
fn repair_frames_in_any_order_replace_lost_ones() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    // Every third source frame lost, repair frames first, in reverse.
    let mut order: Vec<u32> = (21..40).rev().collect();
    order.extend((0..21).filter(|i| i % 3 != 0));
    let mut last = Ok(Progress::Waiting);
    for f in frames(&sender, order) {
        last = rx.feed(f.as_bytes());
        if last == Ok(Progress::Complete) {
            break;
        }
    }
    assert_eq!(last, Ok(Progress::Complete));
    assert_eq!(rx.portrait(), Some(PORTRAIT));
    assert!(rx.frames_fed() <= 24, "{} frames", rx.frames_fed());
}

#[test]
fn repair_frames_alone_rebuild_the_portrait() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::with_symbol_size(&p, PORTRAIT, 400).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    for f in frames(&sender, 1000..1020) {
        if rx.feed(f.as_bytes()).unwrap() == Progress::Complete {
            break;
        }
    }
    assert_eq!(rx.portrait(), Some(PORTRAIT));
}

#[test]
fn duplicates_count_as_frames_not_symbols() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    let f = sender.frame(5).unwrap();
    for _ in 0..3 {
        assert_eq!(rx.feed(f.as_bytes()), Ok(Progress::Receiving { symbols: 1, needed: 21 }));
    }
    assert_eq!(rx.frames_fed(), 3);
}

#[test]
fn a_portrait_not_matching_the_signed_digest_is_refused() {
    // The credential signs another photo; the phone sends this one.
    let p = roadside(b"the enrolment photo", NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    let mut outcome = Ok(Progress::Waiting);
    for f in frames(&sender, 0..21) {
        outcome = rx.feed(f.as_bytes());
    }
    assert_eq!(outcome.unwrap_err().code(), "portrait_digest_mismatch");
    assert_eq!(rx.portrait(), None);
    // The transfer is over: a further frame gets the same answer.
    let again = rx.feed(sender.frame(30).unwrap().as_bytes()).unwrap_err();
    assert_eq!(again, PortraitError::DigestMismatch);
    assert!(again.ends_transfer());
    assert_eq!(rx.progress(), Err(PortraitError::DigestMismatch));
}

#[test]
fn a_tampered_symbol_ends_in_a_digest_mismatch() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    let mut outcome = Ok(Progress::Waiting);
    for i in 0..21 {
        let mut bytes = text::decode(TextKind::Portrait, sender.frame(i).unwrap().as_bytes()).unwrap();
        if i == 7 {
            bytes[frame::HEADER_LEN + 3] ^= 1;
        }
        outcome = rx.feed_bytes(&bytes);
    }
    assert_eq!(outcome, Err(PortraitError::DigestMismatch));
}

#[test]
fn frames_of_two_presentations_mixed_are_refused_one_by_one() {
    let ours = roadside(PORTRAIT, NOW);
    // The same holder a window later: another presentation, another transfer.
    let theirs = roadside(PORTRAIT, NOW - 30);
    assert_ne!(ours.id(), theirs.id());
    let a = PortraitSender::new(&ours, PORTRAIT).unwrap();
    let b = PortraitSender::new(&theirs, PORTRAIT).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&ours)).unwrap();
    for i in 0..21 {
        let other = rx.feed(b.frame(i).unwrap().as_bytes()).unwrap_err();
        assert_eq!(other.code(), "portrait_other_presentation");
        assert!(!other.ends_transfer());
        let progress = rx.feed(a.frame(i).unwrap().as_bytes()).unwrap();
        assert_eq!(progress == Progress::Complete, i == 20, "frame {i}");
    }
    assert_eq!(rx.portrait(), Some(PORTRAIT));
}

#[test]
fn a_frame_with_another_header_is_refused() {
    let p = roadside(PORTRAIT, NOW);
    let small = PortraitSender::new(&p, PORTRAIT).unwrap();
    let large = PortraitSender::with_symbol_size(&p, PORTRAIT, 300).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    rx.feed(small.frame(0).unwrap().as_bytes()).unwrap();
    let e = rx.feed(large.frame(1).unwrap().as_bytes()).unwrap_err();
    assert_eq!(e.code(), "portrait_header_mismatch");
    assert_eq!(rx.progress(), Ok(Progress::Receiving { symbols: 1, needed: 21 }));
}

#[test]
fn an_endless_stream_meets_the_frame_limit() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap().max_frames(10).unwrap();
    let f = sender.frame(0).unwrap();
    for _ in 0..10 {
        rx.feed(f.as_bytes()).unwrap();
    }
    let e = rx.feed(sender.frame(1).unwrap().as_bytes()).unwrap_err();
    assert_eq!(e, PortraitError::FrameLimit { max: 10 });
    assert_eq!(e.code(), "portrait_frame_limit");
    assert!(e.ends_transfer());
    // Junk counts too, and the default limit holds.
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    for _ in 0..DEFAULT_MAX_FRAMES {
        assert_eq!(rx.feed(b"NCP1:0").unwrap_err().code(), "malformed");
    }
    assert_eq!(rx.feed(f.as_bytes()).unwrap_err().code(), "portrait_frame_limit");
}

#[test]
fn symbols_that_do_not_decode_meet_the_symbol_limit() {
    // RaptorQ sometimes fails to decode from exactly K symbols (RFC 6330
    // §4.2 bounds the odds at 1 in 100), K + EXTRA_SYMBOLS practically
    // never. So with no extra symbols allowed, find K repair symbols of a
    // small portrait that do not decode: the next distinct one meets the
    // limit.
    let p = roadside(PORTRAIT, NOW);
    let v = verified(&p);
    let k = 2;
    let sender = PortraitSender::with_symbol_size(&p, &PORTRAIT[..32], 16).unwrap();
    assert_eq!(sender.source_symbols(), k);
    let stuck = (0..5000u32).find_map(|set| {
        let mut rx = PortraitReceiver::new(&v).unwrap();
        rx.extra_symbols = 0;
        let first = k + set * k;
        for f in frames(&sender, first..first + k) {
            // Decoded sets end in a digest mismatch: the 32 bytes are not the photo.
            let _ = rx.feed(f.as_bytes());
        }
        (rx.progress() == Ok(Progress::Receiving { symbols: k, needed: k })).then_some((rx, first + k))
    });
    // Set 117 is the first (ESIs 236 and 237).
    let (mut rx, next) = stuck.expect("some set of K repair symbols fails to decode");
    let e = rx.feed(sender.frame(next).unwrap().as_bytes()).unwrap_err();
    assert_eq!(e, PortraitError::SymbolLimit { max: k });
    assert_eq!(e.code(), "portrait_symbol_limit");
    assert!(e.ends_transfer());
}

#[test]
fn the_default_profile_without_photo_digest_is_refused() {
    let p = holder_with_photo(PORTRAIT).present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
    let e = PortraitReceiver::new(&verified(&p)).unwrap_err();
    assert_eq!(e.code(), "portrait_not_disclosed");
    // Asked for by name, it is disclosed.
    let p = holder_with_photo(PORTRAIT).present(Disclose::Claims(vec!["photo_digest".into()])).at(NOW).sign().unwrap();
    assert!(PortraitReceiver::new(&verified(&p)).is_ok());
}

#[test]
fn a_photo_digest_of_another_length_is_refused() {
    let doc = resident_id();
    let mut claims = doc.example_claims();
    claims.iter_mut().find(|c| c.name == "photo_digest").unwrap().value = ClaimValue::Bytes(vec![1; 20]);
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    let bundle = issuer
        .credential(&doc, device_key(Algorithm::Es256).public_key(), claims)
        .validity(NOW - YEAR / 2, NOW + YEAR / 2)
        .sign()
        .unwrap();
    let holder = Holder::new(bundle, device_key(Algorithm::Es256)).unwrap();
    let p = holder.present(Disclose::Profile(Profile::RoadsideCheck)).at(NOW).sign().unwrap();
    assert_eq!(PortraitReceiver::new(&verified(&p)).unwrap_err().code(), "portrait_digest_claim_invalid");
}

#[test]
fn settings_out_of_range_are_refused_when_set() {
    let p = roadside(PORTRAIT, NOW);
    let v = verified(&p);
    for max in [0, MAX_MAX_FRAMES + 1] {
        let e = PortraitReceiver::new(&v).unwrap().max_frames(max).unwrap_err();
        assert_eq!(e, PortraitError::FrameLimitOutOfRange { max });
        assert_eq!(e.code(), "portrait_frame_limit_out_of_range");
    }
    assert!(PortraitReceiver::new(&v).unwrap().max_frames(MAX_MAX_FRAMES).is_ok());
    for size in [0, MIN_SYMBOL_SIZE - 1, MAX_SYMBOL_SIZE + 1] {
        let e = PortraitSender::with_symbol_size(&p, PORTRAIT, size).err().unwrap();
        assert_eq!(e, PortraitError::SymbolSizeOutOfRange { size });
        assert_eq!(e.code(), "portrait_symbol_size_out_of_range");
    }
    assert_eq!(PortraitSender::new(&p, &[]).err().unwrap().code(), "portrait_empty");
    let huge = vec![7u8; MAX_PORTRAIT_LEN + 1];
    let e = PortraitSender::new(&p, &huge).err().unwrap();
    assert_eq!(e, PortraitError::TooLarge { len: MAX_PORTRAIT_LEN + 1 });
    let e = PortraitSender::new(&p, PORTRAIT).unwrap().frame(MAX_ESI + 1).unwrap_err();
    assert_eq!(e.code(), "portrait_frame_index_out_of_range");
    assert!(PortraitSender::new(&p, &huge[1..]).unwrap().frame(MAX_ESI).is_ok());
}

/// Frame bytes: transfer id 0x01 × 8, F, T, SBN, ESI, then the symbol.
fn frame_bytes(f: u16, t: u16, sbn: u8, symbol_len: usize) -> Vec<u8> {
    let mut b = vec![1u8; 8];
    b.extend_from_slice(&f.to_be_bytes());
    b.extend_from_slice(&t.to_be_bytes());
    b.extend_from_slice(&[sbn, 0x00, 0x01, 0x02]);
    b.extend(core::iter::repeat_n(0xaa, symbol_len));
    b
}

#[test]
fn frame_parse_fail() {
    use FrameDefect::*;
    let cases: &[(Vec<u8>, PortraitError)] = &[
        (Vec::new(), PortraitError::FrameMalformed(Truncated)),
        (frame_bytes(3000, 16, 0, 16)[..15].to_vec(), PortraitError::FrameMalformed(Truncated)),
        (frame_bytes(0, 16, 0, 16), PortraitError::FrameMalformed(ZeroLength)),
        (frame_bytes(16385, 16, 0, 16), PortraitError::TooLarge { len: 16385 }),
        (frame_bytes(3000, 15, 0, 15), PortraitError::FrameMalformed(SymbolSize)),
        (frame_bytes(3000, 1025, 0, 1025), PortraitError::FrameMalformed(SymbolSize)),
        (frame_bytes(3000, 16, 1, 16), PortraitError::FrameMalformed(SourceBlock)),
        (frame_bytes(3000, 16, 0, 15), PortraitError::FrameMalformed(SymbolLength)),
        (frame_bytes(3000, 16, 0, 17), PortraitError::FrameMalformed(SymbolLength)),
    ];
    for (i, (bytes, expected)) in cases.iter().enumerate() {
        assert_eq!(Frame::from_bytes(bytes).as_ref(), Err(expected), "case {i}");
    }
    let ok = frame_bytes(16384, 1024, 0, 1024);
    let frame = Frame::from_bytes(&ok).unwrap();
    assert_eq!((frame.portrait_len, frame.symbol_size, frame.esi), (16384, 1024, 0x0102));
    assert_eq!(frame.to_bytes(), ok);
}

#[test]
fn frame_text_errors_are_the_core_text_errors() {
    let p = roadside(PORTRAIT, NOW);
    let mut rx = PortraitReceiver::new(&verified(&p)).unwrap();
    assert_eq!(rx.feed(b"NC1:ABC").unwrap_err().code(), "malformed");
    assert_eq!(rx.feed(b"NCP2:ABC").unwrap_err().code(), "unsupported_version");
    assert_eq!(rx.feed(b"NCP1:A").unwrap_err().code(), "malformed");
    let long = [b'0'; 4297];
    assert_eq!(rx.feed(&long).unwrap_err().code(), "malformed");
    assert_eq!(rx.progress(), Ok(Progress::Waiting));
}

#[test]
fn frames_are_small_qr_codes() {
    let p = roadside(PORTRAIT, NOW);
    let sender = PortraitSender::new(&p, PORTRAIT).unwrap();
    let f = sender.frame(0).unwrap();
    assert!(f.starts_with("NCP1:"));
    assert_eq!(text::kind_of(f.as_bytes()), Some(TextKind::Portrait));
    // 16 + 150 bytes in base45: 5 + 249 characters.
    assert_eq!(f.len(), 254);
    assert_eq!(frame::HEADER_LEN + usize::from(DEFAULT_SYMBOL_SIZE), 166);
}
