//! `StatusStore::update` and `StatusStore::from_bytes`: status lists arrive
//! from issuers over whatever link a scanner gets, and its saved store is
//! read from a disk that may be damaged; both are zlib under a signature,
//! so a zip bomb or a bad stream must be refused within the size caps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::keys::Algorithm;
use nocard::status_list::{StatusListToken, StatusStore};
use nocard::verify::{KeyScope, TrustedKey};
use nocard_fuzz::fixture::{ISSUER, NOW, issuer_key};

fn keys() -> Vec<TrustedKey> {
    [Algorithm::EdDsa, Algorithm::Es256]
        .into_iter()
        .map(|alg| TrustedKey::new(ISSUER, issuer_key(alg).public_key().clone(), KeyScope::AllTypes).expect("valid"))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut store = StatusStore::new(keys());
    match store.update(data, NOW) {
        Ok(token) => {
            // Only a fixture issuer key can have signed it: the token re-signs
            // to one the store reads as the same list, and a saved store with
            // it reads back.
            let token: StatusListToken = token.clone();
            let resigned = token.sign(&issuer_key(Algorithm::EdDsa)).expect("a taken token re-signs");
            let mut fresh = StatusStore::new(keys());
            assert_eq!(fresh.update(&resigned, NOW).expect("re-signed token is taken"), &token);
            let saved = store.to_bytes();
            let loaded = StatusStore::from_bytes(&saved, keys()).expect("a saved store reads back");
            assert_eq!(loaded.to_bytes(), saved);
        }
        Err(_) => assert!(store.tokens().next().is_none()),
    }
    // The same bytes as a saved store: refused, or one encoding per store.
    if let Ok(loaded) = StatusStore::from_bytes(data, keys()) {
        assert_eq!(loaded.to_bytes(), data);
    }
});
