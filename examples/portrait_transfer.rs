//! Measures a portrait transfer (README "Portrait frames"): the 3 027-byte
//! test portrait shown at 10 frames a second with each frame lost with
//! probability 0.2 (seeded), over many trials, for several symbol sizes;
//! reports the QR version of a frame and the frames and seconds until the
//! desk has the verified portrait (mean, p95, max).
//!
//!     cargo run --example portrait_transfer [-- TRIALS]

use nocard::credential::Issuer;
use nocard::document::{ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::portrait::{PortraitReceiver, PortraitSender, Progress};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use sha2::{Digest, Sha256};

const PORTRAIT: &[u8] = include_bytes!("../tests/vectors/portrait/portrait.jpg");
const NOW: u64 = 1_795_420_800;
const FRAMES_PER_SEC: f64 = 10.0;
const LOSS: f64 = 0.2;
const SYMBOL_SIZES: [u16; 5] = [100, 150, 200, 300, 500];

/// SplitMix64: a seeded, reproducible loss pattern.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    }
}

fn key(alg: Algorithm, byte: u8) -> SecretKey {
    SecretKey::from_bytes(alg, &[byte; 32]).expect("32 bytes is a key")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let trials: usize = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(1000);
    let doc = Registry::builtin().by_name("resident_id_card").ok_or("no resident_id_card")?.clone();
    let mut claims = doc.example_claims();
    if let Some(c) = claims.iter_mut().find(|c| c.name == "photo_digest") {
        c.value = ClaimValue::Bytes(Sha256::digest(PORTRAIT).to_vec());
    }
    let issuer = Issuer::new("NBPSB", key(Algorithm::EdDsa, 0x11))?;
    let bundle = issuer
        .credential(&doc, key(Algorithm::Es256, 0x22).public_key(), claims)
        .validity(NOW - 86_400, NOW + 86_400)
        .sign()?;
    let holder = Holder::new(bundle, key(Algorithm::Es256, 0x22))?;
    let presentation = holder.present(Disclose::Profile(Profile::RoadsideCheck)).at(NOW).sign()?;
    let trusted = TrustedKey::new("NBPSB", issuer.public_key().clone(), KeyScope::AllTypes)?;
    let verified = Verifier::new(vec![trusted], Policy::default())?.verify(presentation.to_text().as_bytes(), NOW)?;

    println!(
        "portrait {} bytes, {} frames/s, {:.0}% of frames lost, {trials} trials (seeded)",
        PORTRAIT.len(),
        FRAMES_PER_SEC,
        LOSS * 100.0
    );
    println!(
        "| symbol T | frame text | QR version (M) | K | frames shown: mean / p95 / max | seconds: mean / p95 / max |"
    );
    println!("|---|---|---|---|---|---|");
    let mut rng = Rng(0x5eed);
    for t in SYMBOL_SIZES {
        let sender = PortraitSender::with_symbol_size(&presentation, PORTRAIT, t)?;
        let first = sender.frame(0)?;
        let version = QrMatrix::encode(&first, EcLevel::M).map_err(|_| "frame too long for a QR code")?.version();
        // Frames are the same in every trial: make them once.
        let frames: Vec<String> =
            (0..4 * sender.source_symbols() + 64).map(|i| sender.frame(i)).collect::<Result<_, _>>()?;
        let mut shown: Vec<usize> = Vec::with_capacity(trials);
        for _ in 0..trials {
            let mut rx = PortraitReceiver::new(&verified)?;
            let n = frames
                .iter()
                .position(|f| rng.unit() >= LOSS && rx.feed(f.as_bytes()) == Ok(Progress::Complete))
                .ok_or("not complete within the frames made")?;
            assert_eq!(rx.portrait(), Some(PORTRAIT));
            shown.push(n + 1);
        }
        shown.sort_unstable();
        let mean = shown.iter().sum::<usize>() as f64 / trials as f64;
        let p95 = shown[(trials * 95).div_ceil(100) - 1];
        let max = shown[trials - 1];
        println!(
            "| {t} | {} chars | {version} | {} | {mean:.1} / {p95} / {max} | {:.2} / {:.1} / {:.1} |",
            first.len(),
            sender.source_symbols(),
            mean / FRAMES_PER_SEC,
            p95 as f64 / FRAMES_PER_SEC,
            max as f64 / FRAMES_PER_SEC,
        );
    }
    Ok(())
}
