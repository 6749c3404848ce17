//! `ReplayCache::from_bytes`: the replay file survives power loss and disk
//! damage, so a scanner reads whatever is on its disk at boot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::replay::ReplayCache;

fuzz_target!(|data: &[u8]| {
    if let Ok(cache) = ReplayCache::from_bytes(data) {
        // One encoding per cache: what was read writes back byte for byte.
        assert_eq!(cache.to_bytes(), data);
        assert!(cache.len() <= cache.capacity());
    }
});
