//! Full verification of a hotel check-in presentation against its floor:
//! the two bare signature verifications it contains (same keys, same
//! messages). Run with `cargo bench --bench verify`; the ratio of the two
//! medians is the overhead of everything but the signatures.

#[path = "common/verify_fixture.rs"]
#[allow(dead_code)] // each bench uses its part of the shared fixture
mod fixture;

use criterion::{Criterion, criterion_group, criterion_main};
use fixture::Fixture;
use nocard::keys::{Algorithm, SecretKey};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let fixture = Fixture::new();
    let mut group = c.benchmark_group("verify");
    group.bench_function("full (text in, typed result out)", |b| b.iter(|| fixture.full()));
    group.bench_function("bare signatures (Ed25519 + P-256)", |b| b.iter(|| fixture.bare()));
    group.finish();
}

criterion_group!(benches, bench);

fn bench_key_decoding(c: &mut Criterion) {
    let device = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let cose = device.public_key().to_cose_key();
    c.bench_function("decode compressed P-256 device key", |b| {
        b.iter(|| nocard::keys::PublicKey::from_cose_key(black_box(&cose)).unwrap())
    });
}

criterion_group!(keys, bench_key_decoding);
criterion_main!(benches, keys);
