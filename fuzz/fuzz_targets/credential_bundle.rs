//! `CredentialBundle::from_bytes`: what a wallet reads from an issuer's
//! hand-over file or link.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::credential::CredentialBundle;
use nocard::text::MAX_CREDENTIAL_TEXT;

fuzz_target!(|data: &[u8]| {
    let bundle = match CredentialBundle::from_bytes(data) {
        Ok(bundle) => bundle,
        Err(err) => return nocard_fuzz::check_error_offset(&err, data.len()),
    };
    // What was read is written back in a form that reads the same.
    let bytes = bundle.to_bytes();
    assert_eq!(CredentialBundle::from_bytes(&bytes).as_ref(), Ok(&bundle));
    // The reader accepts only the deterministic encoding, and keeps each
    // credential's bytes as received: with every field present (`0xa3`: a
    // map of entries 1-3; `0xa4`: and the code secret, entry 4), writing
    // gives back the input exactly.
    if data.first() == Some(&(0xa3 + u8::from(bundle.code_secret().is_some()))) {
        assert_eq!(bytes, data);
    }
    let text = bundle.to_text();
    if text.len() <= MAX_CREDENTIAL_TEXT {
        assert_eq!(CredentialBundle::from_text(text.as_bytes()).as_ref(), Ok(&bundle));
    }
});
