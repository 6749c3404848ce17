//! The replay cache at desk scale: heap bytes per live entry and for
//! 100 000 of them, the time to admit a new presentation and to refuse a
//! replay, and the time to save and load the full cache. Run with
//! `cargo bench --bench replay`; it prints one line per figure.
//!
//! Memory is counted by a global allocator that tracks live heap bytes, so
//! the figure is what the cache really holds (B-tree nodes and all), not an
//! estimate from entry sizes.

#[path = "common/verify_fixture.rs"]
#[allow(dead_code)] // each bench uses its part of the shared fixture
mod fixture;

use fixture::{Fixture, NOW};
use nocard::error::Error;
use nocard::replay::ReplayCache;
use nocard::verify::Verified;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout, same contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ENTRIES: u64 = 100_000;

/// `template` as the `n`th distinct presentation, its id as scattered as
/// the SHA-256 digests real ids are (the B-trees fill as they would).
fn nth(template: &Verified, n: u64) -> Verified {
    let mut verified = template.clone();
    let mut state = n.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for chunk in verified.presentation_id.chunks_exact_mut(8) {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_be_bytes());
    }
    verified
}

fn main() {
    let template = Fixture::new().desk_verify();
    let presentations: Vec<Verified> = (0..ENTRIES).map(|n| nth(&template, n)).collect();

    let before = LIVE.load(Ordering::Relaxed);
    let mut cache = ReplayCache::new(ReplayCache::MAX_CAPACITY).unwrap();
    let start = Instant::now();
    for verified in &presentations {
        cache.admit(verified, NOW).unwrap();
    }
    let admit = start.elapsed().as_secs_f64() / ENTRIES as f64;
    let heap = LIVE.load(Ordering::Relaxed) - before;
    println!("{ENTRIES} live entries: {heap} heap bytes, {:.1} bytes per entry", heap as f64 / ENTRIES as f64);
    println!("admit a new presentation (cache growing to {ENTRIES}): {:.0} ns", admit * 1e9);

    let start = Instant::now();
    for verified in &presentations {
        let replay = cache.admit(black_box(verified), NOW);
        assert!(matches!(replay, Err(Error::Replayed { first_seen: NOW })));
    }
    let refuse = start.elapsed().as_secs_f64() / ENTRIES as f64;
    println!("refuse a replay ({ENTRIES} live entries): {:.0} ns", refuse * 1e9);

    let start = Instant::now();
    let saved = cache.to_bytes();
    let save = start.elapsed();
    let start = Instant::now();
    let loaded = ReplayCache::from_bytes(&saved).unwrap();
    let load = start.elapsed();
    assert_eq!(loaded, cache);
    println!(
        "state file of {ENTRIES} entries: {} bytes; to_bytes {:.1} ms, from_bytes {:.1} ms",
        saved.len(),
        save.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3
    );
}
