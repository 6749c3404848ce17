//! The portrait receiver through the C API: each result code it documents.

use alloc::string::String;
use alloc::vec::Vec;
use core::ptr::{null, null_mut};

use super::*;
use crate::document::Profile;
use crate::ffi::{
    nocard_verification_free, nocard_verification_new, nocard_verifier, nocard_verifier_builder_add_issuer_key,
    nocard_verifier_builder_build, nocard_verifier_builder_new, nocard_verifier_free, nocard_verifier_verify,
};
use crate::keys::Algorithm;
use crate::portrait::PortraitSender;
use crate::presentation::{Disclose, Presentation};
use crate::testing::{NOW, PORTRAIT, holder_with_photo, issuer_key, roadside_with_photo};

/// A verification of `p` through the C API, and its verifier.
fn c_verification(p: &Presentation) -> (*const nocard_verifier, *mut nocard_verification) {
    let key = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let builder = nocard_verifier_builder_new();
    let mut verifier = null();
    let v = nocard_verification_new();
    let text = p.to_text();
    // SAFETY: a live builder, consumed by build; a key buffer of its length,
    // a NUL-terminated issuer; live handles and a text of its length.
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
        assert_eq!(nocard_verifier_verify(verifier, text.as_ptr(), text.len(), NOW + 1, v), nocard_result::Ok);
    }
    (verifier, v)
}

fn free(verifier: *const nocard_verifier, v: *mut nocard_verification, rx: *mut nocard_portrait_receiver) {
    // SAFETY: live handles, each freed once.
    unsafe {
        nocard_portrait_receiver_free(rx);
        nocard_verification_free(v);
        nocard_verifier_free(verifier);
    }
}

fn receiver(v: *const nocard_verification) -> Result<*mut nocard_portrait_receiver, nocard_result> {
    let mut rx = null_mut();
    // SAFETY: a live verification, a valid out pointer.
    match unsafe { nocard_portrait_receiver_new(v, &mut rx) } {
        nocard_result::Ok => Ok(rx),
        other => {
            assert!(rx.is_null(), "written on failure");
            Err(other)
        }
    }
}

fn feed(rx: *mut nocard_portrait_receiver, text: &str) -> nocard_result {
    // SAFETY: a live receiver, a text of its length.
    unsafe { nocard_portrait_receiver_feed(rx, text.as_ptr(), text.len()) }
}

fn progress(rx: *const nocard_portrait_receiver) -> Result<(u32, u32, bool), nocard_result> {
    let (mut symbols, mut needed, mut complete) = (u32::MAX, u32::MAX, false);
    // SAFETY: a live receiver, valid out pointers.
    match unsafe { nocard_portrait_receiver_progress(rx, &mut symbols, &mut needed, &mut complete) } {
        nocard_result::Ok => Ok((symbols, needed, complete)),
        other => Err(other),
    }
}

fn portrait(rx: *const nocard_portrait_receiver) -> Result<Vec<u8>, nocard_result> {
    let mut needed = 0;
    // SAFETY: a live receiver; NULL with 0 asks for the length.
    match unsafe { nocard_portrait_receiver_portrait(rx, null_mut(), 0, &mut needed) } {
        nocard_result::BufferTooSmall => {}
        other => return Err(other),
    }
    let mut buf = alloc::vec![0u8; needed];
    let mut written = 0;
    // SAFETY: a buffer of `needed` bytes.
    let result = unsafe { nocard_portrait_receiver_portrait(rx, buf.as_mut_ptr(), buf.len(), &mut written) };
    assert_eq!((result, written), (nocard_result::Ok, needed));
    Ok(buf)
}

fn frames(p: &Presentation, photo: &[u8], range: core::ops::Range<u32>) -> Vec<String> {
    let sender = PortraitSender::new(p, photo).unwrap();
    range.map(|i| sender.frame(i).unwrap()).collect()
}

#[test]
fn frames_in_a_portrait_out_with_mixed_frames_refused() {
    let p = roadside_with_photo(PORTRAIT, NOW);
    let other = roadside_with_photo(PORTRAIT, NOW - 30);
    let (verifier, v) = c_verification(&p);
    let rx = receiver(v).unwrap();
    assert_eq!(progress(rx), Ok((0, 0, false)));
    assert_eq!(portrait(rx), Err(nocard_result::PortraitIncomplete));
    let theirs = frames(&other, PORTRAIT, 0..1);
    // Every other source frame lost: repair frames make up for them.
    let ours = frames(&p, PORTRAIT, 0..40);
    let mut fed = 0;
    for f in ours.iter().step_by(2).chain(&ours[21..]) {
        assert_eq!(feed(rx, &theirs[0]), nocard_result::PortraitOtherPresentation);
        assert_eq!(feed(rx, f), nocard_result::Ok);
        fed += 1;
        if progress(rx).unwrap().2 {
            break;
        }
        assert_eq!(progress(rx), Ok((fed, 21, false)));
    }
    assert_eq!(progress(rx), Ok((0, 0, true)));
    assert_eq!(portrait(rx).unwrap(), PORTRAIT);
    let mut small = [0u8; 8];
    let mut needed = 0;
    // SAFETY: a live receiver, a buffer of 8 bytes.
    let result = unsafe { nocard_portrait_receiver_portrait(rx, small.as_mut_ptr(), small.len(), &mut needed) };
    assert_eq!((result, needed, small), (nocard_result::BufferTooSmall, PORTRAIT.len(), [0; 8]));
    free(verifier, v, rx);
}

#[test]
fn a_portrait_not_matching_the_digest_ends_the_transfer() {
    let p = roadside_with_photo(b"the enrolment photo", NOW);
    let (verifier, v) = c_verification(&p);
    let rx = receiver(v).unwrap();
    let sent = frames(&p, PORTRAIT, 0..22);
    for f in &sent[..20] {
        assert_eq!(feed(rx, f), nocard_result::Ok);
    }
    assert_eq!(feed(rx, &sent[20]), nocard_result::PortraitDigestMismatch);
    assert_eq!(feed(rx, &sent[21]), nocard_result::PortraitDigestMismatch);
    assert_eq!(progress(rx), Err(nocard_result::PortraitDigestMismatch));
    assert_eq!(portrait(rx), Err(nocard_result::PortraitIncomplete));
    free(verifier, v, rx);
}

#[test]
fn the_frame_limit_is_checked_when_set_and_when_fed() {
    let p = roadside_with_photo(PORTRAIT, NOW);
    let (verifier, v) = c_verification(&p);
    let rx = receiver(v).unwrap();
    // SAFETY: a live receiver.
    unsafe {
        assert_eq!(nocard_portrait_receiver_set_max_frames(rx, 0), nocard_result::PortraitFrameLimitOutOfRange);
        assert_eq!(nocard_portrait_receiver_set_max_frames(rx, 100_001), nocard_result::PortraitFrameLimitOutOfRange);
        assert_eq!(nocard_portrait_receiver_set_max_frames(rx, 3), nocard_result::Ok);
    }
    assert_eq!(feed(rx, "NCP1:0"), nocard_result::Malformed);
    assert_eq!(feed(rx, "NCP9:"), nocard_result::UnsupportedVersion);
    let sent = frames(&p, PORTRAIT, 0..2);
    let mut wrong = crate::text::decode(crate::text::TextKind::Portrait, sent[0].as_bytes()).unwrap();
    wrong[12] = 1;
    let wrong = crate::text::encode(crate::text::TextKind::Portrait, &wrong);
    assert_eq!(feed(rx, &wrong), nocard_result::PortraitFrameMalformed);
    assert_eq!(feed(rx, &sent[1]), nocard_result::PortraitFrameLimit);
    assert_eq!(progress(rx), Err(nocard_result::PortraitFrameLimit));
    free(verifier, v, rx);
}

#[test]
fn a_presentation_without_photo_digest_and_bad_arguments_are_refused() {
    let hotel = holder_with_photo(PORTRAIT).present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
    let (verifier, v) = c_verification(&hotel);
    assert_eq!(receiver(v), Err(nocard_result::PortraitNotDisclosed));
    free(verifier, v, null_mut());
    let empty = nocard_verification_new();
    assert_eq!(receiver(empty), Err(nocard_result::NotVerified));
    assert_eq!(receiver(null()), Err(nocard_result::NullParameter));

    let p = roadside_with_photo(PORTRAIT, NOW);
    let (verifier, v) = c_verification(&p);
    let rx = receiver(v).unwrap();
    let (mut symbols, mut needed, mut complete) = (0, 0, false);
    // SAFETY: NULLs where the contract allows them; `text` is never read
    // past the limit (it is 1 byte, the length is refused first).
    unsafe {
        assert_eq!(nocard_portrait_receiver_new(v, null_mut()), nocard_result::NullParameter);
        assert_eq!(nocard_portrait_receiver_feed(null_mut(), b"x".as_ptr(), 1), nocard_result::NullParameter);
        assert_eq!(nocard_portrait_receiver_feed(rx, null(), 0), nocard_result::NullParameter);
        assert_eq!(nocard_portrait_receiver_feed(rx, b"x".as_ptr(), usize::MAX), nocard_result::TooLong);
        assert_eq!(
            nocard_portrait_receiver_progress(null(), &mut symbols, &mut needed, &mut complete),
            nocard_result::NullParameter
        );
        assert_eq!(
            nocard_portrait_receiver_progress(rx, null_mut(), &mut needed, &mut complete),
            nocard_result::NullParameter
        );
        assert_eq!(nocard_portrait_receiver_portrait(null(), null_mut(), 0, &mut 0usize), nocard_result::NullParameter);
        assert_eq!(nocard_portrait_receiver_set_max_frames(null_mut(), 5), nocard_result::NullParameter);
        nocard_portrait_receiver_free(null_mut());
        nocard_verification_free(empty);
    }
    free(verifier, v, rx);
}
