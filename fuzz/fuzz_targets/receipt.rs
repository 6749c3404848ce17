//! `Receipt::verify`: a receipt comes to an auditor from a desk's disk or
//! an export, so any bytes. It must never panic; a receipt it accepts is
//! one the verifier refuses as a presentation with its own detail, and one
//! whose digests or values confirm themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::document::{Claim, Registry};
use nocard::error::{Error, MalformedKind};
use nocard::receipt::{Fields, MAX_RECEIPT_BYTES, Receipt};
use nocard_fuzz::fixture::{VERIFY_AT, desk_keys};

fuzz_target!(|data: &[u8]| {
    let registry = Registry::builtin();
    let Ok(receipt) = Receipt::verify(data, &desk_keys(), &registry) else { return };
    assert!(data.len() <= MAX_RECEIPT_BYTES);
    assert!(desk_keys().iter().any(|k| k.id() == receipt.desk_key_id));
    match nocard_fuzz::verifier().verify_bytes(data, VERIFY_AT) {
        Err(Error::Malformed(m)) => assert_eq!(m.kind, MalformedKind::ReceiptNotPresentation),
        other => panic!("a receipt was not refused as a presentation: {other:?}"),
    }
    if let Fields::Values(claims) = &receipt.fields {
        assert!(!claims.is_empty());
        assert!(claims.iter().all(|c: &Claim| receipt.records(c, &registry)));
    }
});
