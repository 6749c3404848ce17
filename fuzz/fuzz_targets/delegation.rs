//! The delegation parsers (SPEC.md §17): an acting (`NCA1:`) or a consent
//! (`NCK1:`) is scanned from a stranger's phone, a delegation (`NCD1:`)
//! arrives in a wallet from another; each must be refused with an error,
//! never a panic, an out-of-bounds read or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::delegation::{Delegation, Matter, verify_acting_bytes, verify_consent_bytes};
use nocard_fuzz::fixture::{VERIFY_AT, verifier};

fuzz_target!(|data: &[u8]| {
    let desk = verifier();
    for matter in Matter::ALL {
        if let Ok(seen) = verify_acting_bytes(&desk, data, matter, VERIFY_AT) {
            assert_eq!(seen.matter, matter);
            assert!(seen.not_before < seen.expires);
        }
    }
    if let Ok(seen) = verify_consent_bytes(&desk, data, &[0x5a; 32], VERIFY_AT) {
        assert_eq!(seen.request, [0x5a; 32]);
    }
    // A delegation the wallet takes keeps exactly the bytes it was given.
    if let Ok(delegation) = Delegation::from_bytes(data) {
        assert_eq!(delegation.as_bytes(), data);
    }
});
