//! The CI gate on verification overhead: full verification of the hotel
//! check-in presentation divided by its two bare signature verifications,
//! and the same for a desk that also checks its signed trust list, the
//! credential's status list and its replay cache, all measured interleaved
//! so every side sees the same machine load.
//!
//! Criterion measures one benchmark after the other; on a shared machine a
//! burst of load during one of them moves their ratio by 20% or more. Here
//! each round times a batch of each back to back (alternating which goes
//! first, so drift cancels) and the gate is the median of the per-round
//! ratios. Run with `cargo bench --bench verify_ratio`; it prints two
//! lines, `full/bare median ratio: R (...)` and `desk/bare median ratio: R
//! (...)`, which `.ci/bench-ratios` reads. Arguments (criterion's, when run with the other benches) are
//! ignored.

#[path = "common/verify_fixture.rs"]
#[allow(dead_code)] // each bench uses its part of the shared fixture
mod fixture;

use fixture::Fixture;
use std::hint::black_box;
use std::time::{Duration, Instant};

const ROUNDS: usize = 201;
const BATCH: u32 = 20;
const WARM_UP: Duration = Duration::from_secs(1);

fn time_batch(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..BATCH {
        f();
    }
    start.elapsed().as_secs_f64()
}

/// One round: a batch of each, in an order that rotates with the round.
fn round(fixture: &Fixture, round: usize) -> (f64, f64, f64) {
    let mut times = [0.0; 3];
    for step in 0..3 {
        let which = (round + step) % 3;
        times[which] = match which {
            0 => time_batch(|| fixture.full()),
            1 => time_batch(|| fixture.bare()),
            _ => time_batch(|| drop(black_box(fixture.desk_verify()))),
        };
    }
    (times[0], times[1], times[2])
}

fn print_median(name: &str, mut ratios: Vec<f64>) {
    ratios.sort_by(f64::total_cmp);
    println!(
        "{name} median ratio: {:.4} ({ROUNDS} rounds of {BATCH} each; quartiles {:.4} {:.4})",
        ratios[ROUNDS / 2],
        ratios[ROUNDS / 4],
        ratios[3 * ROUNDS / 4]
    );
}

fn main() {
    let fixture = Fixture::new();
    let warm_up = Instant::now();
    while warm_up.elapsed() < WARM_UP {
        fixture.full();
        fixture.bare();
        black_box(fixture.desk_verify());
    }
    let rounds: Vec<_> = (0..ROUNDS).map(|r| round(&fixture, r)).collect();
    print_median("full/bare", rounds.iter().map(|(full, bare, _)| full / bare).collect());
    print_median("desk/bare", rounds.iter().map(|(_, bare, desk)| desk / bare).collect());
}
