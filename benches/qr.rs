//! The rotating QR from both ends: what the phone pays when a window
//! changes (device signature + QR encoding + matrix) and inside one (a
//! cached frame), PNG rendering, and what the scanner pays to read a
//! 1280×720 camera frame, and a hostile one (finder tiles, checkerboard,
//! noise) under the default budget. Run with
//! `cargo bench --bench qr --features scan`.

#[path = "common/corpus.rs"]
mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use nocard::document::{Profile, Registry};
use nocard::presentation::{Disclose, Holder};
use nocard::rotating::RotatingCode;
use nocard::scan::{Decoder, Scanner};
use std::hint::black_box;

fn holder() -> Holder<nocard::keys::SecretKey> {
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let device = corpus::device_key();
    let bundle = nocard::credential::Issuer::new("NBPSB", corpus::issuer_key())
        .unwrap()
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(corpus::NOW - 86_400, corpus::NOW + 400 * 86_400)
        .sign()
        .unwrap();
    Holder::new(bundle, device).unwrap()
}

fn phone(c: &mut Criterion) {
    let mut group = c.benchmark_group("phone");
    let mut code = RotatingCode::new(holder(), Disclose::Profile(Profile::HotelCheckIn));
    let mut now = corpus::NOW;
    group.bench_function("frame at a window change (sign + encode + matrix)", |b| {
        b.iter(|| {
            now += 30;
            black_box(code.frame(now).unwrap().matrix.version())
        })
    });
    let mut code = RotatingCode::new(holder(), Disclose::Profile(Profile::HotelCheckIn));
    code.frame(corpus::NOW).unwrap();
    group.bench_function("frame inside a window (cached)", |b| {
        b.iter(|| black_box(code.frame(black_box(corpus::NOW + 5)).unwrap().redraw_at))
    });
    let matrix = code.frame(corpus::NOW).unwrap().matrix.clone();
    group.bench_function("PNG render, 4 px a module", |b| b.iter(|| black_box(matrix.to_png(4)).len()));
    group.finish();
}

fn scanner(c: &mut Criterion) {
    let texts = corpus::presentations();
    let text = &texts[0].1;
    let mut rng = corpus::Rng::new(1);
    // A phone held upright-ish at a desk: the mild class, 4 px a module.
    let params = corpus::Params { module_px: 4.0, ..corpus::Params::gentle() };
    let frame = corpus::frame(corpus::Class::Mild, text, params, &mut rng);
    let blank = corpus::background(corpus::WIDTH, corpus::HEIGHT, &mut rng);
    let verifier = corpus::verifier();
    let (w, h) = (frame.width, frame.height);

    let mut group = c.benchmark_group("scanner 1280x720");
    group.sample_size(30);
    for decoder in Decoder::ALL {
        // Caps only: what every pass costs, not where an 80 ms budget cuts a
        // busy machine short (rqrr's frame with no code comes close to it).
        let scanner = Scanner::new(decoder).with_time_budget(None);
        assert_eq!(&scanner.scan_gray(&frame.pixels, w, h, w).unwrap(), std::slice::from_ref(text), "{decoder}");
        group.bench_function(format!("decode, {decoder}"), |b| {
            b.iter(|| scanner.scan_gray(black_box(&frame.pixels), w, h, w).unwrap())
        });
        group.bench_function(format!("frame with no code, {decoder}"), |b| {
            b.iter(|| scanner.scan_gray(black_box(&blank), w, h, w).unwrap())
        });
    }
    group.bench_function("decode + verify, default", |b| {
        b.iter(|| {
            let texts = nocard::scan::scan_gray(black_box(&frame.pixels), w, h, w).unwrap();
            verifier.verify(texts[0].as_bytes(), corpus::NOW).unwrap()
        })
    });
    group.finish();
}

/// What a hostile frame costs with the default budget: the kinds and
/// module sizes that cost most in `examples/scan_report`'s hostile table.
/// The slowest of these medians is the worst case README quotes.
fn hostile(c: &mut Criterion) {
    let (w, h) = (corpus::WIDTH, corpus::HEIGHT);
    let mut group = c.benchmark_group("scanner 1280x720 hostile");
    group.sample_size(20);
    for (kind, module) in
        [("finder tiles", 1), ("finder patch", 4), ("checkerboard", 1), ("binary noise", 1), ("gray noise", 6)]
    {
        let frame = corpus::hostile::frame(kind, w, h, module, &mut corpus::Rng::new(module as u64));
        for decoder in Decoder::ALL {
            let scanner = Scanner::new(decoder);
            group.bench_function(format!("{kind}, {module} px, {decoder}"), |b| {
                b.iter(|| scanner.scan_gray(black_box(&frame), w, h, w))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, phone, scanner, hostile);
criterion_main!(benches);
