//! `nocard present`: sign a presentation for one window, optionally as a QR code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgGroup, Args as ClapArgs};

use nocard::credential::CredentialBundle;
use nocard::document::Profile;
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};

use super::files::{read_group_public_key, read_secret_file, read_secret_key, write_file};
use super::output::print_line;
use super::portrait::{self, Show};
use super::{CmdResult, context, now, parse_profile};

/// Seconds the presentation's code stays in the terminal before the
/// portrait frames.
const PRESENTATION_SECS: u64 = 2;

#[derive(ClapArgs)]
#[command(group(ArgGroup::new("what").required(true).args(["disclose", "profile"])))]
pub struct Args {
    /// The credential bundle file written by `nocard issue`.
    #[arg(long, value_name = "CRED")]
    credential: PathBuf,
    /// The holder device's secret COSE_Key.
    #[arg(long, value_name = "KEY")]
    device_key: PathBuf,
    /// Disclose exactly these claims, by name.
    #[arg(long, value_name = "CLAIMS", value_delimiter = ',')]
    disclose: Vec<String>,
    /// Disclose what this scene's profile asks for.
    #[arg(long, value_name = "NAME", value_parser = parse_profile)]
    profile: Option<Profile>,
    /// Clock reading, Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
    /// Window length in seconds, 5-300 [default: 30].
    #[arg(long, value_name = "SECS")]
    window: Option<u16>,
    /// The number the desk shows (up to 6 digits).
    #[arg(long, value_name = "N")]
    challenge: Option<u32>,
    /// The verifier the presentation is addressed to.
    #[arg(long, value_name = "TEXT")]
    audience: Option<String>,
    /// Seal the code to this scanner group's public key (`NCS1:`), so only
    /// scanners holding the group's secret key can read it.
    #[arg(long, value_name = "GROUP.pub")]
    seal_to: Option<PathBuf>,
    /// Also write the QR code as a PNG image.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    /// Also write the QR code as an SVG image.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Draw the QR code in the terminal after the text.
    #[arg(long)]
    terminal: bool,
    /// After the presentation, show this portrait (the photo whose SHA-256
    /// the credential signs as photo_digest) as fountain-coded NCP1: frames
    /// (SPEC.md §14): on stdout one a line after the presentation, in
    /// --frames DIR, or animated at 10 frames/s with --terminal.
    #[arg(long, value_name = "FILE")]
    portrait: Option<PathBuf>,
    /// Write the portrait frames to DIR as 00000.txt and 00000.png, ...
    #[arg(long, value_name = "DIR", requires = "portrait")]
    frames: Option<PathBuf>,
    /// How many portrait frames, 1-10000 [default: three times the
    /// portrait's source symbols, ample for 20% of frames lost].
    #[arg(long, value_name = "N", requires = "portrait")]
    portrait_frames: Option<u32>,
    /// Pixels per QR module in --png, --svg and --frames images.
    #[arg(long, value_name = "PX", default_value_t = 8)]
    module_px: u32,
}

pub fn run(args: &Args) -> CmdResult {
    let cred_file = args.credential.display();
    let bundle = CredentialBundle::from_text(&read_secret_file(&args.credential)?).map_err(context(&cred_file))?;
    let holder = Holder::new(bundle, read_secret_key(&args.device_key)?).map_err(context(&cred_file))?;
    let disclose = match args.profile {
        Some(profile) => Disclose::Profile(profile),
        None => Disclose::Claims(args.disclose.clone()),
    };
    let at = match args.at {
        Some(t) => t,
        None => now()?,
    };
    let mut builder = holder.present(disclose).at(at);
    if let Some(secs) = args.window {
        builder = builder.window_secs(secs);
    }
    if let Some(challenge) = args.challenge {
        builder = builder.challenge(challenge);
    }
    if let Some(audience) = &args.audience {
        builder = builder.audience(audience);
    }
    // The group key is read before anything is signed.
    let group = args.seal_to.as_deref().map(read_group_public_key).transpose()?;
    let presentation = builder.sign().map_err(context("cannot present"))?;
    let text = match group {
        Some(group) => nocard::seal::seal(presentation.as_bytes(), &group).map_err(context("cannot seal"))?.to_text(),
        None => presentation.to_text(),
    };
    // The image files first: a reader that closes stdout early must not cost them.
    let qr = if args.png.is_some() || args.svg.is_some() || args.terminal {
        Some(QrMatrix::encode(&text, EcLevel::M).map_err(context("cannot draw the QR code"))?)
    } else {
        None
    };
    if let Some(qr) = &qr {
        if let Some(path) = &args.png {
            write_file(path, &qr.to_png(args.module_px))?;
        }
        if let Some(path) = &args.svg {
            write_file(path, qr.to_svg(args.module_px).as_bytes())?;
        }
    }
    print_line(&text)?;
    if let Some(qr) = qr.filter(|_| args.terminal) {
        print_line(&qr.to_terminal())?;
    }
    if let Some(portrait) = &args.portrait {
        let show = match (&args.frames, args.terminal) {
            (Some(dir), _) => Show::Dir(dir, args.module_px),
            (None, true) => {
                // The presentation's code first, long enough to be scanned.
                std::thread::sleep(Duration::from_secs(PRESENTATION_SECS));
                Show::Terminal
            }
            (None, false) => Show::Stdout,
        };
        portrait::show(&presentation, portrait, args.portrait_frames, show)?;
    }
    Ok(ExitCode::SUCCESS)
}
