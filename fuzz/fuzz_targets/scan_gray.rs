//! `nocard::scan::scan_gray` on a raw grayscale frame: the first four bytes
//! choose width, height and extra stride (small, so each run is quick), the
//! rest are the pixels, possibly too few. It must never panic or read out of
//! bounds; a short buffer is `buffer_too_short`, a frame the work budget
//! refuses is `scan_budget_exceeded` (the seeds include finder tiles,
//! a checkerboard and noise), and whatever decodes is a nocard presentation
//! text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::scan::{ScanError, scan_gray};
use nocard::text::{TextKind, kind_of};

fuzz_target!(|data: &[u8]| {
    let [w, h, pad, _, pixels @ ..] = data else { return };
    let (width, height) = (usize::from(*w), usize::from(*h));
    let stride = width + usize::from(*pad % 8);
    match scan_gray(pixels, width, height, stride) {
        Ok(texts) => assert!(texts.iter().all(|t| kind_of(t.as_bytes()) == Some(TextKind::Presentation))),
        Err(ScanError::BufferTooShort { len, needed }) => assert!(len < needed && len == pixels.len()),
        Err(_) => {}
    }
});
