//! `Verifier::verify` on text, as a scanner gun types it: text decoding and
//! the whole verification, with the fixed trust setup and clock.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::text::{self, TextKind};
use nocard_fuzz::fixture::VERIFY_AT;

fuzz_target!(|data: &[u8]| {
    let verifier = nocard_fuzz::verifier();
    if let Ok(verified) = verifier.verify(data, VERIFY_AT) {
        nocard_fuzz::check_verified(&verified);
        // verify is decode then verify_bytes, nothing more.
        let bytes = text::decode(TextKind::Presentation, data).expect("accepted text decodes");
        assert_eq!(verifier.verify_bytes(&bytes, VERIFY_AT).as_ref(), Ok(&verified));
    }
});
