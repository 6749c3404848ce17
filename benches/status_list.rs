//! A status list for 10 000 000 credentials, 1 bit each, 1 % revoked at
//! random (fixed seed): its compressed size at each zlib level, the time to
//! inflate it and the time to look one index up. Run with
//! `cargo bench --bench status_list`; the sizes are printed first.

use criterion::{Criterion, criterion_group, criterion_main};
use nocard::status_list::{COMPRESSION_LEVEL, Status, StatusList};
use std::hint::black_box;

const ENTRIES: usize = 10_000_000;
const REVOKED: usize = ENTRIES / 100;

/// xorshift64*, so every machine builds the same list.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn list() -> StatusList {
    let mut list = StatusList::new(1, ENTRIES).unwrap();
    let mut rng = Rng(0x5eed_5eed_5eed_5eed);
    let mut revoked = 0;
    while revoked < REVOKED {
        let index = (rng.next() % ENTRIES as u64) as usize;
        if list.get(index) == Some(Status::Valid) {
            list.set(index, Status::Revoked).unwrap();
            revoked += 1;
        }
    }
    list
}

fn bench(c: &mut Criterion) {
    let list = list();
    // The entropy bound: log2 C(n, k) ≈ n·H(k/n) bits.
    let p = REVOKED as f64 / ENTRIES as f64;
    let entropy = ENTRIES as f64 * -(p * p.log2() + (1.0 - p) * (1.0 - p).log2()) / 8.0;
    println!(
        "{ENTRIES} entries, {REVOKED} revoked: {} bytes packed, entropy bound {entropy:.0} bytes",
        list.packed().len()
    );
    for level in [1, 6, 9, 10] {
        println!("zlib level {level:2}: {} bytes", list.compress(level).len());
    }
    let lst = list.compress(COMPRESSION_LEVEL);
    assert_eq!(StatusList::decompress(1, &lst, 0).unwrap(), list);

    let mut group = c.benchmark_group("status list 10M x 1 bit, 1% revoked");
    group.sample_size(20);
    group.bench_function("load (inflate) the list", |b| {
        b.iter(|| StatusList::decompress(1, black_box(&lst), 0).unwrap())
    });
    let mut rng = Rng(42);
    group.bench_function("look one index up", |b| {
        b.iter(|| black_box(&list).get(black_box((rng.next() % ENTRIES as u64) as usize)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
