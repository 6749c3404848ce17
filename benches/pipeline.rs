//! Every step from issuer to scanner, on the hotel check-in presentation of
//! a resident ID card (Ed25519 issuer, P-256 device key), the same one
//! benches/verify.rs verifies. `.ci/bench-ratios` runs both files and
//! writes BENCHMARKS.md.
//!
//! ```text
//! cargo bench --bench pipeline
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::rotating::RotatingCode;
use nocard::text::{self, TextKind};
use std::hint::black_box;

const NOW: u64 = 1_795_420_800;

fn device_key_again() -> SecretKey {
    SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap()
}

fn bench(c: &mut Criterion) {
    let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap();
    let device_key = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let device_public = device_key.public_key().clone();
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let issuer = Issuer::new("NBPSB", issuer_key).unwrap();
    let issue = || {
        issuer.credential(&doc, &device_public, doc.example_claims()).validity(NOW - 1000, NOW + 1000).sign().unwrap()
    };
    let holder = Holder::new(issue(), device_key).unwrap();
    let hotel = || Disclose::Profile(Profile::HotelCheckIn);
    let bytes = holder.present(hotel()).at(NOW).sign().unwrap().as_bytes().to_vec();
    let code = text::encode(TextKind::Presentation, &bytes);
    assert_eq!(QrMatrix::encode(&code, EcLevel::M).unwrap().version(), 13, "the label below says 13-M");

    let mut group = c.benchmark_group("pipeline");
    // A credential bundle: the full credential and one view per profile,
    // each signed, with fresh random salts.
    group.bench_function("issue", |b| b.iter(issue));
    // Signing alone: what a new window costs before QR encoding.
    group.bench_function("present (device signature)", |b| {
        b.iter(|| holder.present(hotel()).at(black_box(NOW + 7)).sign().unwrap())
    });
    // The phone's rotating code: each call a new 30-second window (one
    // device signature and one QR encoding), then the same window again
    // (the cached frame).
    let mut rotating = RotatingCode::new(Holder::new(issue(), device_key_again()).unwrap(), hotel());
    let mut at = NOW;
    group.bench_function("frame, fresh window", |b| {
        b.iter(|| {
            at += 30;
            rotating.frame(black_box(at)).unwrap().window
        })
    });
    group.bench_function("frame, same window", |b| b.iter(|| rotating.frame(black_box(at)).unwrap().window));
    group.bench_function("encode to text", |b| b.iter(|| text::encode(TextKind::Presentation, black_box(&bytes))));
    group.bench_function("decode text", |b| {
        b.iter(|| text::decode(TextKind::Presentation, black_box(code.as_bytes())).unwrap())
    });
    group.bench_function("QR render (version 13-M)", |b| {
        b.iter(|| QrMatrix::encode(black_box(&code), EcLevel::M).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
