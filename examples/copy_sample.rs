//! Draws the sample printed copy shown in README.md: a resident ID card
//! verified at a government window, as SVG, PDF and PNG (the SVG rendered
//! by resvg), into docs/.
//!
//!     cargo run --example copy_sample
//!
//! Fixed keys, as in the vectors (SPEC.md §8.1): issuer Ed25519 seed 32×0x11,
//! device P-256 32×0x22, desk Ed25519 32×0x55. The desk's public key is
//! written to docs/copy-sample-desk.pub so anyone can check the sample's
//! receipt: scan the QR code on its back, then
//! `nocard receipt verify --desk-key docs/copy-sample-desk.pub FILE`.

use std::error::Error;

use nocard::copy::{self, CopyFormat, CopyOptions, Paper};
use nocard::credential::Issuer;
use nocard::document::{Claim, ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::receipt::{Minimise, Receipt};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

/// 2026-11-23T08:00:00Z.
const NOW: u64 = 1_795_420_800;

fn main() -> Result<(), Box<dyn Error>> {
    let registry = Registry::builtin();
    let doc = registry.by_name("resident_id_card").ok_or("no resident_id_card")?;
    let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32])?;
    let device = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32])?;
    let desk = SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32])?;

    let claims: Vec<Claim> = doc
        .example_claims()
        .into_iter()
        .map(|claim| match claim.name.as_ref() {
            "name" => Claim::new("name", ClaimValue::Text("林玥".into())),
            _ => claim,
        })
        .collect();
    let trusted = TrustedKey::new("NBPSB", issuer_key.public_key().clone(), KeyScope::AllTypes)?;
    let bundle = Issuer::new("NBPSB", issuer_key)?
        .credential(doc, device.public_key(), claims)
        .validity(NOW - 86_400, NOW + 365 * 86_400)
        .salt_seed([0x33; 32])
        .sign()?;
    let presentation =
        Holder::new(bundle, device)?.present(Disclose::Profile(Profile::GovernmentWindow)).at(NOW).sign()?;
    let verified = Verifier::new(vec![trusted], Policy::default())?.verify(presentation.to_text().as_bytes(), NOW)?;
    let receipt = Receipt::issue(
        &verified,
        &registry,
        &desk,
        "gov:NB-HS-window-3",
        NOW + 5,
        Some(Profile::GovernmentWindow),
        Minimise::Values,
    )?;

    let keys = [desk.public_key().clone()];
    let svg = copy::render(&receipt.bytes, &keys, &registry, &CopyOptions::new(CopyFormat::Svg, Paper::Card))?;
    let pdf = copy::render(&receipt.bytes, &keys, &registry, &CopyOptions::new(CopyFormat::Pdf, Paper::A4))?;
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default())?;
    let size = tree.size().to_int_size();
    // 12 pixels a millimetre (305 dpi): what a desk printer draws.
    let scale = 12.0 * 25.4 / 96.0;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new((size.width() as f32 * scale) as u32, (size.height() as f32 * scale) as u32)
            .ok_or("empty image")?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());

    std::fs::create_dir_all("docs")?;
    std::fs::write("docs/copy-sample.svg", &svg)?;
    std::fs::write("docs/copy-sample.pdf", &pdf)?;
    pixmap.save_png("docs/copy-sample.png")?;
    std::fs::write("docs/copy-sample-desk.pub", desk.public_key().to_cose_key())?;
    println!(
        "docs/copy-sample.svg {} bytes, docs/copy-sample.pdf {} bytes, docs/copy-sample.png {}x{}, receipt {} bytes",
        svg.len(),
        pdf.len(),
        pixmap.width(),
        pixmap.height(),
        receipt.bytes.len()
    );
    Ok(())
}
