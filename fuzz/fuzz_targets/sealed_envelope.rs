//! `Verifier::verify_sealed_bytes` (SPEC.md §13) with the fixture's issuer
//! keys, an X25519 and a P-256 group key, and a policy requiring sealed
//! codes: the envelope parser, key agreement, key derivation and AEAD on
//! hostile bytes, then the presentation inside.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::text::{self, MAX_PRESENTATION_TEXT, TextKind};
use nocard_fuzz::fixture::{VERIFY_AT, group_keys};

fuzz_target!(|data: &[u8]| {
    let verifier = nocard_fuzz::sealed_verifier();
    match verifier.verify_sealed_bytes(data, VERIFY_AT) {
        Ok(verified) => {
            nocard_fuzz::check_verified(&verified);
            // Only a fixture group key can have opened it.
            let opened_by = verified.sealed_to.expect("a sealed code reports its group key");
            assert!(group_keys().iter().any(|k| k.id() == opened_by), "opened by an unknown key {opened_by:?}");
            // The same bytes as text give the same answer.
            let text = text::encode(TextKind::Sealed, data);
            if text.len() <= MAX_PRESENTATION_TEXT {
                assert_eq!(verifier.verify(text.as_bytes(), VERIFY_AT).as_ref(), Ok(&verified));
            }
        }
        Err(err) => nocard_fuzz::check_error_offset(&err, data.len()),
    }
});
