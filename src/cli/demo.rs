//! `nocard demo`: the whole flow with throwaway keys, and the rotating code.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Args as ClapArgs;
use serde_json::Value as Json;

use nocard::credential::Issuer;
use nocard::document::Profile;
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::rotating::RotatingCode;
use nocard::verify::{KeyScope, Policy, TrustedKey, Verified, Verifier};

use super::claims_json::value_to_json;
use super::output::{display_safe, print_line};
use super::{CmdResult, DEFAULT_VALIDITY, context, doc_type, now};

/// Issuer name the demo uses.
const DEMO_ISSUER: &str = "NBPSB";

#[derive(ClapArgs)]
pub struct Args {
    /// Print one frame and exit instead of rotating the code.
    #[arg(long)]
    once: bool,
}

pub fn run(args: &Args) -> CmdResult {
    let now = now()?;
    let doc = doc_type("resident_id_card")?;
    let issuer_key = SecretKey::generate(Algorithm::EdDsa).map_err(context("cannot generate a key"))?;
    let device_key = SecretKey::generate(Algorithm::Es256).map_err(context("cannot generate a key"))?;
    let scope = KeyScope::types(&[doc.name()]).map_err(context("demo key scope"))?;
    let trusted = TrustedKey::new(DEMO_ISSUER, issuer_key.public_key().clone(), scope).map_err(context("demo key"))?;
    let holder_public = device_key.public_key().clone();

    let issuer = Issuer::new(DEMO_ISSUER, issuer_key).map_err(context("cannot issue"))?;
    let bundle = issuer
        .credential(&doc, &holder_public, doc.example_claims())
        .validity(now, now.saturating_add(DEFAULT_VALIDITY))
        .sign()
        .map_err(context("cannot issue"))?;
    let holder = Holder::new(bundle, device_key).map_err(context("cannot hold"))?;
    let presentation =
        holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(now).sign().map_err(context("cannot present"))?;
    let text = presentation.to_text();
    let verified = Verifier::new(vec![trusted], Policy::default().profile(Profile::HotelCheckIn))
        .and_then(|verifier| verifier.verify(text.as_bytes(), now))
        .map_err(context("the demo presentation did not verify"))?;
    let qr = QrMatrix::encode(&text, EcLevel::M).map_err(context("cannot draw the QR code"))?;

    print_line(&front_desk_report(&verified, presentation.as_bytes().len(), &text, &qr))?;
    if args.once || !io::stdout().is_terminal() {
        return Ok(ExitCode::SUCCESS);
    }
    rotate(RotatingCode::new(holder, Disclose::Profile(Profile::HotelCheckIn)), &verified)
}

/// Shows the rotating code until the process is interrupted: one fresh frame
/// per window, drawn `LEAD_SECS` before the old one expires.
fn rotate(mut code: RotatingCode<SecretKey>, seen: &Verified) -> CmdResult {
    std::thread::sleep(std::time::Duration::from_secs(3));
    loop {
        let now = now()?;
        let frame = code.frame(now).map_err(context("cannot present"))?;
        // Clear the screen and home the cursor before drawing the frame.
        let heading = format!(
            "\x1b[2J\x1b[Hnocard live code for {} (hotel_check_in); Ctrl-C ends it\n\
             window {} .. {}, next frame at {}, {} characters, QR version {}",
            display_safe(&seen.doc_title),
            frame.window.start(),
            frame.window.end(),
            frame.redraw_at,
            frame.text.len(),
            frame.matrix.version()
        );
        print_line(&heading)?;
        print_line(&frame.matrix.to_terminal())?;
        let wait = frame.redraw_at.saturating_sub(now).max(1);
        std::thread::sleep(std::time::Duration::from_secs(wait));
    }
}

/// What the front desk sees, the sizes, and the QR code. Issuer and holder
/// text is shown through [`display_safe`]: `\u{202e}` instead of a
/// right-to-left override, and so on.
fn front_desk_report(v: &Verified, presentation_bytes: usize, text: &str, qr: &QrMatrix) -> String {
    let mut lines = vec![
        "nocard demo".to_owned(),
        String::new(),
        "Front desk sees (hotel_check_in, verified offline):".to_owned(),
        format!("  document:   {}", display_safe(&v.doc_title)),
        format!("  issuer:     {} (key {}, {})", display_safe(&v.issuer), v.key_id, v.issuer_algorithm),
    ];
    for claim in &v.claims {
        let name = display_safe(&claim.name);
        lines.push(format!("  {:<11} {}", format!("{name}:"), display_safe(&plain(&value_to_json(&claim.value)))));
    }
    lines.push(format!("  window:     {} .. {} ({} s)", v.window.start(), v.window.end(), v.window.secs()));
    lines.push(String::new());
    lines.push(format!("Presentation bytes: {presentation_bytes}"));
    lines.push(format!("Text characters:    {}", text.chars().count()));
    lines.push(format!("QR version:         {} (EC level M, {} modules)", qr.version(), qr.width()));
    lines.push(String::new());
    lines.push(qr.to_terminal());
    lines.join("\n")
}

/// A JSON value for people: strings without quotes.
fn plain(json: &Json) -> String {
    match json {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use nocard::document::{Claim, ClaimValue};

    use super::*;
    use crate::cli::output::is_hidden;

    #[test]
    fn the_desk_view_shows_hidden_characters_as_escapes() {
        let now = 1_795_420_800;
        let doc = doc_type("resident_id_card").unwrap();
        let issuer_key = SecretKey::generate(Algorithm::EdDsa).unwrap();
        let device_key = SecretKey::generate(Algorithm::Es256).unwrap();
        let scope = KeyScope::types(&[doc.name()]).unwrap();
        let trusted = TrustedKey::new("NB\u{202e}PSB", issuer_key.public_key().clone(), scope).unwrap();
        let claims = vec![
            Claim::new("name".to_owned(), ClaimValue::Text("王\u{2067}小明\u{1b}[2J\u{85}\n".to_owned())),
            Claim::new("id_number".to_owned(), ClaimValue::Text("3302\u{2028}".to_owned())),
            Claim::new("birth_date".to_owned(), ClaimValue::Date("1990-05-17".parse().unwrap())),
        ];
        let holder_public = device_key.public_key().clone();
        let issuer = Issuer::new("NB\u{202e}PSB", issuer_key).unwrap();
        let bundle = issuer.credential(&doc, &holder_public, claims).validity(now, now + 86_400).sign().unwrap();
        let code = Holder::new(bundle, device_key)
            .unwrap()
            .present(Disclose::Claims(vec!["name".into(), "id_number".into()]))
            .at(now)
            .sign()
            .unwrap();
        let text = code.to_text();
        let seen = Verifier::new(vec![trusted], Policy::default()).unwrap().verify(text.as_bytes(), now).unwrap();
        let qr = QrMatrix::encode(&text, EcLevel::M).unwrap();

        let report = front_desk_report(&seen, code.as_bytes().len(), &text, &qr);
        assert!(report.contains("  issuer:     NB\\u{202e}PSB (key "), "{report}");
        assert!(report.contains("  name:       王\\u{2067}小明\\u{1b}[2J\\u{85}\\u{a}\n"), "{report}");
        assert!(report.contains("  id_number:  3302\\u{2028}\n"), "{report}");
        assert!(!report.chars().any(|c| c != '\n' && is_hidden(c)), "{report}");
    }
}
