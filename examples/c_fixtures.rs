//! Writes the inputs of the C tests and the C scanner example into a
//! directory: the issuer's public COSE_Key and one scanned code per case,
//! all made with the public Rust API from fixed seeds at a fixed time, so
//! every run writes the same bytes.
//!
//! ```text
//! cargo run --example c_fixtures -- target/c-fixtures
//! ```
//!
//! | file | what | verified at `now.txt` |
//! |---|---|---|
//! | `issuer.cose` | NBPSB's Ed25519 public key (COSE_Key) | |
//! | `valid.txt` | resident ID card, hotel check-in view | valid |
//! | `challenge.txt` | internet café view with challenge 4711 | valid |
//! | `household.txt` | household register, whole document (records) | valid |
//! | `stale.txt` | a code shown two minutes earlier | `window_expired` |
//! | `tampered.txt` | `valid.txt` with the name changed | `bad_issuer_signature` |
//! | `wrong_key.txt` | a card signed by a key the scanner does not trust | `unknown_key` |
//! | `garbage.txt` | not a nocard code | `malformed` (`missing_prefix`) |
//! | `scans.txt` | all codes, one per line, as a scanner gun types them | |

use std::error::Error;
use std::path::PathBuf;

use nocard::credential::{CredentialBundle, Issuer};
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::text::{self, TextKind};

/// 2026-11-23T08:00:00Z, the start of a 30-second window.
const NOW: u64 = 1_795_420_800;
/// When the C side verifies: 5 s into the window.
const SCAN_AT: u64 = NOW + 5;
const DAY: u64 = 86_400;
const ISSUER: &str = "NBPSB";
const ISSUER_SEED: &[u8; 32] = b"nocard C fixtures: issuer key 01";
const OTHER_ISSUER_SEED: &[u8; 32] = b"nocard C fixtures: rogue key 002";
const DEVICE_SEED: &[u8; 32] = b"nocard C fixtures: device key 03";

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: c_fixtures DIR")?);
    std::fs::create_dir_all(&dir)?;
    let issuer = Issuer::new(ISSUER, SecretKey::from_bytes(Algorithm::EdDsa, ISSUER_SEED)?)?;
    let rogue = Issuer::new(ISSUER, SecretKey::from_bytes(Algorithm::EdDsa, OTHER_ISSUER_SEED)?)?;
    let registry = Registry::builtin();
    let resident_id = registry.by_name("resident_id_card").ok_or("no resident_id_card")?;
    let household = registry.by_name("household_register").ok_or("no household_register")?;

    let bundle = |issuer: &Issuer, doc| -> Result<CredentialBundle, Box<dyn Error>> {
        let device = SecretKey::from_bytes(Algorithm::Es256, DEVICE_SEED)?;
        let bundle = issuer
            .credential(doc, device.public_key(), doc.example_claims())
            .validity(NOW - 30 * DAY, NOW + 5 * 365 * DAY)
            .salt_seed([0x5a; 32])
            .sign()?;
        Ok(bundle)
    };
    let holder = |bundle| Holder::new(bundle, SecretKey::from_bytes(Algorithm::Es256, DEVICE_SEED)?);
    let card = holder(bundle(&issuer, resident_id)?)?;
    let hotel = Disclose::Profile(Profile::HotelCheckIn);

    let valid = card.present(hotel.clone()).at(NOW).sign()?;
    let challenge = card.present(Disclose::Profile(Profile::InternetCafe)).at(NOW).challenge(4711).sign()?;
    let register = holder(bundle(&issuer, household)?)?;
    let household_code = register.present(Disclose::Profile(Profile::GovernmentWindow)).at(NOW).sign()?;
    let stale = card.present(hotel.clone()).at(NOW - 120).sign()?;
    let wrong_key = holder(bundle(&rogue, resident_id)?)?.present(hotel).at(NOW).sign()?;

    // The name 王小明 becomes 王小亮: still well-formed, but not what the issuer signed.
    let mut tampered = valid.as_bytes().to_vec();
    let name = "明".as_bytes();
    let at = tampered.windows(name.len()).position(|w| w == name).ok_or("name not found")?;
    tampered[at..at + name.len()].copy_from_slice("亮".as_bytes());

    let cases = [
        ("valid", valid.to_text()),
        ("challenge", challenge.to_text()),
        ("household", household_code.to_text()),
        ("stale", stale.to_text()),
        ("tampered", text::encode(TextKind::Presentation, &tampered)),
        ("wrong_key", wrong_key.to_text()),
        ("garbage", "THIS IS NOT A NOCARD CODE".to_string()),
    ];
    std::fs::write(dir.join("issuer.cose"), issuer.public_key().to_cose_key())?;
    std::fs::write(dir.join("now.txt"), format!("{SCAN_AT}\n"))?;
    let mut scans = String::new();
    for (name, code) in &cases {
        std::fs::write(dir.join(format!("{name}.txt")), format!("{code}\n"))?;
        scans.push_str(code);
        scans.push('\n');
    }
    std::fs::write(dir.join("scans.txt"), scans)?;
    println!("wrote issuer.cose, now.txt ({SCAN_AT}), scans.txt and {} codes to {}", cases.len(), dir.display());
    Ok(())
}
