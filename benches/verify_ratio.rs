//! The CI gate on verification overhead: full verification of the hotel
//! check-in presentation divided by its two bare signature verifications,
//! measured interleaved so both sides see the same machine load.
//!
//! Criterion measures one benchmark after the other; on a shared machine a
//! burst of load during one of them moves their ratio by 20% or more. Here
//! each round times a batch of each back to back (alternating which goes
//! first, so drift cancels) and the gate is the median of the per-round
//! ratios. Run with `cargo bench --bench verify_ratio`; it prints one line,
//! `full/bare median ratio: R (rounds, batch)`, which `.ci/bench-ratios`
//! reads. Arguments (criterion's, when run with the other benches) are
//! ignored.

#[path = "common/verify_fixture.rs"]
mod fixture;

use fixture::Fixture;
use std::time::{Duration, Instant};

const ROUNDS: usize = 201;
const BATCH: u32 = 20;
const WARM_UP: Duration = Duration::from_secs(1);

fn time_batch(f: impl Fn()) -> f64 {
    let start = Instant::now();
    for _ in 0..BATCH {
        f();
    }
    start.elapsed().as_secs_f64()
}

fn main() {
    let fixture = Fixture::new();
    let warm_up = Instant::now();
    while warm_up.elapsed() < WARM_UP {
        fixture.full();
        fixture.bare();
    }
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (full, bare) = if round % 2 == 0 {
                let full = time_batch(|| fixture.full());
                (full, time_batch(|| fixture.bare()))
            } else {
                let bare = time_batch(|| fixture.bare());
                (time_batch(|| fixture.full()), bare)
            };
            full / bare
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    println!(
        "full/bare median ratio: {:.4} ({ROUNDS} rounds of {BATCH} each; quartiles {:.4} {:.4})",
        ratios[ROUNDS / 2],
        ratios[ROUNDS / 4],
        ratios[3 * ROUNDS / 4]
    );
}
