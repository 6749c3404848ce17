//! The Rust side of `bindings/bench.sh`: one verification and one fresh
//! rotating-code frame through the core API, timed the way the Kotlin and
//! Python benchmarks time the same calls through the bindings. Writes the
//! shared keys, credential and presentation to FIXTURE first, so all three
//! measure the same work.
//!
//! ```text
//! cargo run --profile bindings-bench --no-default-features --features uniffi --example bindings_bench -- FIXTURE
//! ```

use std::time::Instant;

use nocard::credential::{CredentialBundle, Issuer};
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::EcLevel;
use nocard::rotating::RotatingCode;
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

/// 2026-11-23T08:00:00Z, the start of a 30-second window.
const NOW: u64 = 1_795_420_800;
const YEAR: u64 = 365 * 86_400;
/// Benchmark keys, fixed so every language uses the same ones.
const ISSUER_SEED: [u8; 32] = [0x11; 32];
const DEVICE_SECRET: [u8; 32] = [0x22; 32];
/// Timed batches (the median is reported) and calls per batch.
const BATCHES: usize = 21;
const PER_BATCH: usize = 50;

/// Median over [`BATCHES`] of the mean µs per call of `f(i)`, `i` counting
/// every call from 0 (warm-up batch included).
fn median_us(mut f: impl FnMut(u64)) -> f64 {
    let mut i = 0u64;
    let mut batch = |f: &mut dyn FnMut(u64)| {
        let start = Instant::now();
        for _ in 0..PER_BATCH {
            f(i);
            i += 1;
        }
        start.elapsed().as_secs_f64() * 1e6 / PER_BATCH as f64
    };
    batch(&mut f); // warm-up
    let mut times: Vec<f64> = (0..BATCHES).map(|_| batch(&mut f)).collect();
    times.sort_by(f64::total_cmp);
    times[BATCHES / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixture = std::env::args().nth(1).ok_or("usage: bindings_bench FIXTURE")?;
    let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &ISSUER_SEED)?;
    let issuer_public = issuer_key.public_key().clone();
    let issuer = Issuer::new("NBPSB", issuer_key)?;
    let device = SecretKey::from_bytes(Algorithm::Es256, &DEVICE_SECRET)?;
    let doc = Registry::builtin().by_name("resident_id_card").ok_or("no resident_id_card")?.clone();
    let bundle: CredentialBundle =
        issuer.credential(&doc, device.public_key(), doc.example_claims()).validity(NOW - YEAR, NOW + YEAR).sign()?;
    let hotel = Disclose::Profile(Profile::HotelCheckIn);
    let holder = Holder::new(bundle.clone(), device)?;
    let text = holder.present(hotel.clone()).at(NOW).sign()?.to_text();
    std::fs::write(
        &fixture,
        format!(
            "now={NOW}\nissuer_public={}\ndevice_secret={}\ncredential={}\npresentation={text}\n",
            hex::encode(issuer_public.to_cose_key()),
            hex::encode(DEVICE_SECRET),
            bundle.to_text(),
        ),
    )?;

    let trusted = TrustedKey::new("NBPSB", issuer_public, KeyScope::types(&["resident_id_card"])?)?;
    let verifier = Verifier::new(vec![trusted], Policy::default())?;
    let verify_us = median_us(|_| {
        let seen = verifier.verify(text.as_bytes(), NOW).map(|v| v.presentation_id);
        std::hint::black_box(seen.ok());
    });
    let mut code = RotatingCode::new(holder, hotel).window_secs(30).level(EcLevel::M);
    // Every call is in the next window, so every frame is freshly signed and encoded.
    let frame_us = median_us(|i| {
        std::hint::black_box(code.frame(NOW + 30 * i).map(|f| f.redraw_at).ok());
    });
    println!("rust verify_us={verify_us:.1} frame_us={frame_us:.1}");
    Ok(())
}
