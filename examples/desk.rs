//! A front-desk verifier: reads scanned codes one per line from stdin, as a
//! scanner gun types them, and prints what the clerk sees. Keeps going after
//! a bad line. Trusts the demo issuer key of examples/wallet.rs.
//!
//! ```text
//! cargo run --example wallet | cargo run --example desk
//! ```

use std::io::BufRead;
use std::time::{SystemTime, UNIX_EPOCH};

use nocard::document::ClaimValue;
use nocard::keys::{Algorithm, SecretKey};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

const DEMO_ISSUER_SEED: [u8; 32] = *b"nocard demo issuer key, not real";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A desk only ever holds the public key; it is derived here for the demo.
    let issuer = SecretKey::from_bytes(Algorithm::EdDsa, &DEMO_ISSUER_SEED)?.public_key().clone();
    // The demo bureau is trusted for the card the wallet shows, nothing else.
    let scope = KeyScope::types(&["resident_id_card"])?;
    let verifier = Verifier::new(vec![TrustedKey::new("NBPSB", issuer, scope)?], Policy::default())?;
    let mut rejected = 0;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
        match verifier.verify(line.as_bytes(), now) {
            Ok(seen) => {
                let issuer = printable(&seen.issuer);
                println!("VALID  {} from {issuer} (code good until {})", seen.doc_title, seen.window.end());
                for claim in &seen.claims {
                    println!("       {:<12} {}", claim.name, show(&claim.value));
                }
            }
            Err(e) => {
                rejected += 1;
                println!("REJECT {}: {e}", e.code());
            }
        }
    }
    std::process::exit(if rejected == 0 { 0 } else { 1 });
}

fn show(value: &ClaimValue) -> String {
    match value {
        ClaimValue::Text(t) => printable(t),
        ClaimValue::Date(d) => d.to_string(),
        ClaimValue::Integer(i) => i.to_string(),
        ClaimValue::Bool(b) => if *b { "yes" } else { "no" }.into(),
        ClaimValue::Bytes(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
        ClaimValue::Records(entries) => format!("{} entries", entries.len()),
        _ => "(unsupported value)".into(),
    }
}

/// Claim and issuer text is chosen by the holder or the issuer: escape what
/// could rewrite the desk's screen (C0/C1 controls, bidi overrides and
/// isolates, line and paragraph separators) as `\u{..}`.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hostile = c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if hostile {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}
