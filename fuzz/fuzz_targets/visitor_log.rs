//! `visitor_log::verify`: a visitor log is read from a gate's disk, which
//! may be damaged or tampered with. It must never panic; a log it accepts
//! keeps the same records without its torn tail, and a log cut anywhere in
//! its torn tail reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::document::Registry;
use nocard::visitor_log::verify;
use nocard_fuzz::fixture::desk_keys;

fuzz_target!(|data: &[u8]| {
    let registry = Registry::builtin();
    let Ok(report) = verify(data, &desk_keys(), &registry, None) else { return };
    assert!(report.valid_len <= data.len());
    assert_eq!(report.torn_tail.map_or(data.len(), |t| t.offset), report.valid_len);
    let whole = verify(&data[..report.valid_len], &desk_keys(), &registry, None).expect("the kept records verify");
    assert!(report.entries.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!((whole.entries, whole.head, whole.torn_tail), (report.entries, report.head, None));
});
