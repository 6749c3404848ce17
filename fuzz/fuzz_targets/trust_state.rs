//! `TrustStore::from_bytes`: the trust state file a scanner reads at boot,
//! whatever power loss or disk damage left in it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::trust_list::TrustStore;

fuzz_target!(|data: &[u8]| {
    if let Ok(store) = TrustStore::from_bytes(data) {
        // One encoding per store: what was read writes back byte for byte.
        assert_eq!(store.to_bytes(), data);
        assert!(!store.roots().is_empty());
    }
});
