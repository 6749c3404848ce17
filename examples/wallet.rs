//! A wallet presenting a code: issues a resident ID card to this "phone"
//! with the demo issuer key and prints the code the screen would show for
//! the current window, one line per profile given (default: hotel).
//!
//! ```text
//! cargo run --example wallet -- hotel_check_in internet_cafe | cargo run --example desk
//! ```
//!
//! The demo keys are fixed so the desk example can trust the issuer; a real
//! wallet keeps its device key in Android Keystore or the Secure Enclave
//! behind [`nocard::presentation::DeviceSigner`].

use std::time::{SystemTime, UNIX_EPOCH};

use nocard::credential::{Issuer, StatusRef};
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};

/// Demo issuer seed shared with examples/desk.rs. Never use a fixed key for real.
const DEMO_ISSUER_SEED: [u8; 32] = *b"nocard demo issuer key, not real";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let issuer = Issuer::new("NBPSB", SecretKey::from_bytes(Algorithm::EdDsa, &DEMO_ISSUER_SEED)?)?;
    let device = SecretKey::generate(Algorithm::Es256)?;
    let doc = Registry::builtin().by_name("resident_id_card").ok_or("registry lacks resident_id_card")?.clone();
    let bundle = issuer
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(now - 86_400, now + 365 * 86_400)
        .status(StatusRef { list: 1, index: 42 })
        .sign()?;
    let holder = Holder::new(bundle, device)?;

    let mut profiles: Vec<Profile> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()
        .map_err(|_| "profiles: hotel_check_in, internet_cafe, petrol_station, roadside_check, government_window, kiosk_autofill, visitor_log")?;
    if profiles.is_empty() {
        profiles.push(Profile::HotelCheckIn);
    }
    for profile in profiles {
        let presentation = holder.present(Disclose::Profile(profile)).at(now).sign()?;
        eprintln!("{profile}: valid until {} ({} bytes)", presentation.window().end(), presentation.as_bytes().len());
        println!("{}", presentation.to_text());
    }
    Ok(())
}
