//! Portrait frames (SPEC.md §14): `Frame::from_bytes` on any bytes, and a
//! receiver for a verified presentation fed any lines as frame texts and
//! frame bytes. Nothing panics; a frame that parses writes back to the same
//! bytes; the receiver holds at most K + 32 symbols and counts every frame
//! against its limit; a portrait is released only if it hashes to the
//! signed photo_digest.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nocard::document::{ClaimValue, Profile, Registry};
use nocard::keys::Algorithm;
use nocard::portrait::{EXTRA_SYMBOLS, Frame, PortraitReceiver, Progress};
use nocard::presentation::Disclose;
use nocard::verify::Verified;
use nocard_fuzz::fixture::{NOW, VERIFY_AT, holder};
use sha2::{Digest, Sha256};

/// A government-window presentation, which discloses `photo_digest`, verified.
fn verified() -> &'static Verified {
    static VERIFIED: OnceLock<Verified> = OnceLock::new();
    VERIFIED.get_or_init(|| {
        let doc = Registry::builtin().by_name("resident_id_card").expect("built in").clone();
        let p = holder(&doc, Algorithm::EdDsa, Algorithm::Es256)
            .and_then(|h| h.present(Disclose::Profile(Profile::GovernmentWindow)).at(NOW).sign())
            .expect("the fixture presents");
        nocard_fuzz::verifier().verify(p.to_text().as_bytes(), VERIFY_AT).expect("the fixture verifies")
    })
}

const MAX_FRAMES: u32 = 64;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = Frame::from_bytes(data) {
        assert_eq!(frame.to_bytes(), data);
    }
    let Some(ClaimValue::Bytes(digest)) = verified().claim("photo_digest").map(|c| &c.value) else {
        panic!("the fixture discloses photo_digest")
    };
    let mut rx = PortraitReceiver::new(verified()).unwrap().max_frames(MAX_FRAMES).unwrap();
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let outcome = if i % 2 == 0 { rx.feed(line) } else { rx.feed_bytes(line) };
        match outcome {
            Ok(Progress::Receiving { symbols, needed }) => assert!(symbols <= needed + EXTRA_SYMBOLS),
            Ok(Progress::Complete) => {
                assert_eq!(Sha256::digest(rx.portrait().expect("complete")).as_slice(), &digest[..]);
            }
            Ok(_) | Err(_) => assert!(rx.portrait().is_none()),
        }
        assert!(rx.frames_fed() <= MAX_FRAMES);
    }
});
