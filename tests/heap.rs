//! Peak heap of one verification, as scanner firmware does it: through the C
//! API, one verifier, one reused `nocard_verification`. A counting global
//! allocator tracks the bytes live on the verifying thread; the figures in
//! README.md ("C API (scanner firmware)") are printed by
//!
//! ```text
//! cargo test --release --features ffi,std --test heap -- --nocapture
//! ```
#![cfg(feature = "ffi")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::ffi::*;
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};

/// The budget README.md promises firmware developers for one verification.
const PEAK_BUDGET: usize = 4 * 1024;

const NOW: u64 = 1_795_420_800;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

/// The system allocator, counting the calling thread's live bytes.
struct Counting;

fn grew(by: usize) {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + by);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
    let _ = COUNT.try_with(|count| count.set(count.get() + 1));
}

fn shrank(by: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(by)));
}

// SAFETY: every call is passed on unchanged to the system allocator; the
// counting touches only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract is `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: the caller's contract is `System.dealloc`'s.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrank(layout.size());
        grew(new_size);
        // SAFETY: the caller's contract is `System.realloc`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns the peak of live heap bytes above the level at the
/// start, the bytes still held afterwards, and the number of allocations.
fn measure(f: impl FnOnce()) -> (usize, isize, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let count = COUNT.with(Cell::get);
    f();
    let after = LIVE.with(Cell::get);
    (PEAK.with(Cell::get) - base, after as isize - base as isize, COUNT.with(Cell::get) - count)
}

/// A code of `doc_type` disclosing what `profile` asks for, by fixed keys.
fn code(issuer: &Issuer, doc_type: &str, profile: Profile) -> String {
    let device = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let doc = Registry::builtin().by_name(doc_type).unwrap().clone();
    let bundle = issuer
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(NOW - 86_400, NOW + 86_400)
        .salt_seed([0x33; 32])
        .sign()
        .unwrap();
    Holder::new(bundle, device).unwrap().present(Disclose::Profile(profile)).at(NOW).sign().unwrap().to_text()
}

#[test]
fn one_verification_stays_within_the_heap_budget() {
    let issuer = Issuer::new("NBPSB", SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap()).unwrap();
    let key = issuer.public_key().to_cose_key();
    let builder = nocard_verifier_builder_new();
    let mut verifier = std::ptr::null();
    let types = [c"resident_id_card".as_ptr(), c"household_register".as_ptr()];
    // SAFETY: a live builder, consumed by build; the key and type list are valid for their lengths.
    unsafe {
        let added = nocard_verifier_builder_add_issuer_key(
            builder,
            key.as_ptr(),
            key.len(),
            c"NBPSB".as_ptr(),
            types.as_ptr(),
            types.len(),
            false,
        );
        assert_eq!(added, nocard_result::Ok);
        assert_eq!(nocard_verifier_builder_build(builder, &mut verifier), nocard_result::Ok);
    }

    let cases = [
        ("hotel check-in, resident ID card", code(&issuer, "resident_id_card", Profile::HotelCheckIn)),
        ("government window, household register", code(&issuer, "household_register", Profile::GovernmentWindow)),
    ];
    for (what, text) in &cases {
        let verification = nocard_verification_new();
        // SAFETY: live handles from their constructors; `text` is valid for its length.
        let verify = || unsafe {
            assert_eq!(
                nocard_verifier_verify(verifier, text.as_ptr(), text.len(), NOW, verification),
                nocard_result::Ok
            );
        };
        // The first scan into a fresh object holds the whole working set at
        // once; in a scan loop each scan first frees the outcome before it.
        let (peak, kept, count) = measure(verify);
        let (loop_peak, loop_kept, _) = measure(verify);
        println!(
            "{what} ({} chars): peak heap {peak} bytes in {count} allocations, of which {kept} stay in the result \
             object until the next scan; in a scan loop the heap rises {loop_peak} bytes above its resting level",
            text.len()
        );
        assert!(peak <= PEAK_BUDGET, "{what}: peak heap of one verification {peak} bytes > {PEAK_BUDGET}");
        assert_eq!(loop_kept, 0, "{what}: a reused result object holds the same amount scan after scan");
        // SAFETY: a live handle, freed once.
        unsafe { nocard_verification_free(verification) };
    }
    // SAFETY: a live handle, freed once.
    unsafe { nocard_verifier_free(verifier) };
}
