//! `Verifier::verify_bytes` with a fixed trust setup (both issuer keys of
//! `nocard_fuzz::fixture`) at a fixed clock: the whole verification of
//! presentation bytes, as a scanner that decoded the text itself runs it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::text::{self, MAX_PRESENTATION_TEXT, TextKind};
use nocard_fuzz::fixture::VERIFY_AT;

fuzz_target!(|data: &[u8]| {
    let verifier = nocard_fuzz::verifier();
    match verifier.verify_bytes(data, VERIFY_AT) {
        Ok(verified) => {
            nocard_fuzz::check_verified(&verified);
            // The same bytes as text give the same answer.
            let text = text::encode(TextKind::Presentation, data);
            if text.len() <= MAX_PRESENTATION_TEXT {
                assert_eq!(verifier.verify(text.as_bytes(), VERIFY_AT).as_ref(), Ok(&verified));
            }
        }
        Err(err) => nocard_fuzz::check_error_offset(&err, data.len()),
    }
});
