//! Sealed codes (SPEC.md §13): what sealing costs in the QR and at the desk.
//! README's "Sealed codes" figures and SPEC.md §13.5's layout comparison
//! come from this command:
//!
//! ```text
//! cargo run --release --example seal_sizes
//! ```
//!
//! Sizes: the hotel check-in code (resident ID card, EdDSA issuer, ES256
//! device, as `examples/sizes.rs` without the challenge) plain, sealed in
//! nocard's COSE_Encrypt layout, and in an RFC 9180 HPKE layout of the same
//! AEAD: `[kem_id, kid: bstr .size 8, enc, ct]`, with `enc` as RFC 9180 §7.1
//! serialises it (X25519: 32 bytes, P-256: 65, uncompressed). nocard does not
//! implement HPKE; that row encodes its framing around a ciphertext of the
//! same length, which is all its size depends on. Times: verify a plain
//! code, and open + verify a sealed one, each the mean of 2 000 runs.

use std::time::Instant;

use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::seal::{GroupAlgorithm, GroupSecretKey, seal};
use nocard::text::{TextKind, encode};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

const NOW: u64 = 1_795_420_800;
const RUNS: u32 = 2_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let doc = Registry::builtin().by_name("resident_id_card").ok_or("no resident_id_card")?.clone();
    let issuer = Issuer::new("NBPSB", SecretKey::from_bytes(Algorithm::EdDsa, &[1; 32])?)?;
    let device = SecretKey::from_bytes(Algorithm::Es256, &[2; 32])?;
    let bundle = issuer
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(NOW - 86_400, NOW + 10 * 365 * 86_400)
        .sign()?;
    let presentation = Holder::new(bundle, device)?.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign()?;
    let plain = presentation.to_text();

    println!("| hotel check-in code | bytes | characters | QR version (M) |");
    println!("|---|---|---|---|");
    row("plain `NC1:`", presentation.as_bytes().len(), &plain)?;
    let mut sealed_texts = Vec::new();
    for alg in [GroupAlgorithm::X25519, GroupAlgorithm::P256] {
        let group = GroupSecretKey::generate(alg)?;
        let sealed = seal(presentation.as_bytes(), group.public_key())?;
        row(&format!("sealed, COSE_Encrypt, {} (nocard)", alg.name()), sealed.as_bytes().len(), &sealed.to_text())?;
        let hpke = hpke_layout(alg, presentation.as_bytes().len());
        row(
            &format!("sealed, HPKE layout, {} (framing only)", alg.name()),
            hpke.len(),
            &encode(TextKind::Sealed, &hpke),
        )?;
        sealed_texts.push((alg, group, sealed.to_text()));
    }

    let trusted = TrustedKey::new("NBPSB", issuer.public_key().clone(), KeyScope::AllTypes)?;
    let plain_desk = Verifier::new(vec![trusted.clone()], Policy::default())?;
    println!("\n| verification (mean of {RUNS}) | µs |");
    println!("|---|---|");
    println!("| verify plain | {:.1} |", mean_us(|| plain_desk.verify(plain.as_bytes(), NOW + 3).is_ok()));
    for (alg, group, text) in sealed_texts {
        let desk = Verifier::with_group_keys(
            Registry::builtin(),
            vec![trusted.clone()],
            vec![group],
            Policy::default().require_sealed(),
        )?;
        println!(
            "| open + verify sealed, {} | {:.1} |",
            alg.name(),
            mean_us(|| desk.verify(text.as_bytes(), NOW + 3).is_ok())
        );
    }
    Ok(())
}

fn row(label: &str, bytes: usize, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    let version = QrMatrix::encode(text, EcLevel::M)?.version();
    println!("| {label} | {bytes} | {} | {version} |", text.len());
    Ok(())
}

/// `[kem_id, kid, enc, ct]` with RFC 9180's KEM ids (0x0020 DHKEM(X25519,
/// HKDF-SHA256), 0x0010 DHKEM(P-256, HKDF-SHA256)) and a ciphertext of
/// `plaintext_len` + 16 tag bytes.
fn hpke_layout(alg: GroupAlgorithm, plaintext_len: usize) -> Vec<u8> {
    use ciborium::Value;
    let (kem_id, enc_len) = match alg {
        GroupAlgorithm::X25519 => (0x0020, 32),
        _ => (0x0010, 65),
    };
    // Random-looking bytes, as a key id, a public key and a ciphertext are:
    // runs of zeros would let the QR encoder switch to numeric mode.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    let frame = Value::Array(vec![
        Value::Integer(kem_id.into()),
        Value::Bytes(noise(8)),
        Value::Bytes(noise(enc_len)),
        Value::Bytes(noise(plaintext_len + 16)),
    ]);
    let mut out = Vec::new();
    ciborium::into_writer(&frame, &mut out).expect("writing to a Vec");
    out
}

fn mean_us(mut run: impl FnMut() -> bool) -> f64 {
    assert!(run(), "the code must verify");
    let start = Instant::now();
    for _ in 0..RUNS {
        assert!(run());
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(RUNS)
}
