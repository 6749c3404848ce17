//! `TrustStore::update`: trust lists arrive on USB sticks and SD cards, and
//! a scanner must refuse anything that is not a list its root signed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::trust_list::TrustStore;
use nocard_fuzz::fixture::trust_root;

fuzz_target!(|data: &[u8]| {
    let mut store = TrustStore::new(vec![trust_root().public_key().clone()]).expect("one root");
    match store.update(data) {
        Ok(list) => {
            // Only the root can have signed it, so it re-signs to a list the
            // store holds as the same contents, and every entry is usable.
            let list = list.clone();
            list.trusted_keys().expect("entries of a taken list are valid trusted keys");
            let mut fresh = TrustStore::new(vec![trust_root().public_key().clone()]).expect("one root");
            assert_eq!(fresh.update(&list.sign(&trust_root()).expect("a taken list re-signs")), Ok(&list));
            // The held list offered again byte for byte is no change (SPEC.md
            // §10 step 5).
            assert_eq!(store.update(data), Ok(&list));
        }
        Err(_) => assert!(store.current().is_none()),
    }
});
