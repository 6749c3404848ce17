//! Prints how big each presentation of a resident ID card is: bytes, text
//! characters and QR version at error-correction level M, for every profile
//! and both algorithm pairs. README's size table comes from this command:
//!
//! ```text
//! cargo run --release --example sizes
//! ```

use nocard::credential::{Issuer, StatusRef};
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};

const NOW: u64 = 1_795_420_800;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let doc = Registry::builtin().by_name("resident_id_card").ok_or("no resident_id_card")?.clone();
    println!("| issuer / device | disclosure | bytes | characters | QR version (M) |");
    println!("|---|---|---|---|---|");
    for (issuer_alg, device_alg) in [(Algorithm::EdDsa, Algorithm::Es256), (Algorithm::Es256, Algorithm::Es256)] {
        let device = SecretKey::from_bytes(device_alg, &[2; 32])?;
        let bundle = Issuer::new("NBPSB", SecretKey::from_bytes(issuer_alg, &[1; 32])?)?
            .credential(&doc, device.public_key(), doc.example_claims())
            .validity(NOW - 86_400, NOW + 10 * 365 * 86_400)
            .status(StatusRef { list: 12, index: 345_678 })
            .sign()?;
        let holder = Holder::new(bundle, device)?;
        let mut rows: Vec<(String, Disclose)> =
            Profile::ALL.iter().map(|p| (format!("{p} view"), Disclose::Profile(*p))).collect();
        rows.push(("name, birth_date, address: no view, so disclosures + digests".into(), custom_claims()));
        for (label, disclose) in rows {
            let text = holder.present(disclose).at(NOW).challenge(482_913).sign()?.to_text();
            let version = QrMatrix::encode(&text, EcLevel::M)?.version();
            let bytes = nocard::text::decode(nocard::text::TextKind::Presentation, text.as_bytes())?.len();
            println!("| {issuer_alg} / {device_alg} | {label} | {bytes} | {} | {version} |", text.len());
        }
    }
    println!("\nAll with a 6-digit challenge; status list 12, index 345678.");
    Ok(())
}

fn custom_claims() -> Disclose {
    Disclose::Claims(["name", "birth_date", "address"].map(String::from).to_vec())
}
