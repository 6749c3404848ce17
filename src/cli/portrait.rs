//! Portrait frames in the CLI (SPEC.md §14): `nocard present --portrait`
//! writes or animates them, `nocard verify` receives them after the
//! presentation they follow.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use nocard::portrait::{PortraitError, PortraitReceiver, PortraitSender, Progress};
use nocard::presentation::Presentation;
use nocard::qr::{EcLevel, QrMatrix};
use nocard::verify::Verified;

use super::claims_json::hex_encode;
use super::files::{read_file, write_file};
use super::output::print_line;
use super::{Fail, context};

/// Frames a second when animating in the terminal.
const FRAMES_PER_SEC: u64 = 10;
/// The most frames `--portrait-frames` may ask for.
const MAX_SHOWN: u32 = 10_000;

/// Where the phone side puts the frames.
pub enum Show<'a> {
    /// `--frames DIR`: `NNNNN.txt` and `NNNNN.png` per frame.
    Dir(&'a Path, u32),
    /// `--terminal`: each frame drawn in turn, 10 a second.
    Terminal,
    /// Neither: the frame texts on stdout, one a line, after the presentation.
    Stdout,
}

/// The frames of `portrait` after `presentation`: `count` of them (default
/// three times `K`, ample for 20% lost), shown as `show` says.
pub fn show(presentation: &Presentation, portrait: &Path, count: Option<u32>, show: Show<'_>) -> Result<(), Fail> {
    let bytes = read_file(portrait)?;
    let sender = PortraitSender::new(presentation, &bytes).map_err(context(portrait.display()))?;
    let count = count.unwrap_or(3 * sender.source_symbols());
    if !(1..=MAX_SHOWN).contains(&count) {
        return Err(Fail::Message(format!("--portrait-frames {count} is outside 1..={MAX_SHOWN}")));
    }
    let frames = (0..count).map(|i| sender.frame(i).map_err(context("cannot make a portrait frame")));
    match show {
        Show::Dir(dir, module_px) => {
            for (i, text) in frames.enumerate() {
                let text = text?;
                let qr = QrMatrix::encode(&text, EcLevel::M).map_err(context("cannot draw the QR code"))?;
                write_file(&dir.join(format!("{i:05}.txt")), format!("{text}\n").as_bytes())?;
                write_file(&dir.join(format!("{i:05}.png")), &qr.to_png(module_px))?;
            }
        }
        Show::Terminal => {
            for text in frames {
                let qr = QrMatrix::encode(&text?, EcLevel::M).map_err(context("cannot draw the QR code"))?;
                // Clear the screen and home the cursor, then draw.
                print_line(&format!("\x1b[2J\x1b[H{}", qr.to_terminal()))?;
                std::thread::sleep(Duration::from_millis(1000 / FRAMES_PER_SEC));
            }
        }
        Show::Stdout => {
            for text in frames {
                print_line(&text?)?;
            }
        }
    }
    Ok(())
}

/// The desk side: the portrait transfer after the last valid presentation.
#[derive(Default)]
pub struct Reception {
    /// Where to write a complete portrait (`--portrait-out`).
    out: Option<PathBuf>,
    /// The last valid presentation, until its first frame arrives.
    verified: Option<Verified>,
    receiver: Option<PortraitReceiver>,
    /// The complete portrait was reported: later frames are ignored.
    reported: bool,
}

impl Reception {
    pub fn new(out: Option<PathBuf>) -> Self {
        Self { out, verified: None, receiver: None, reported: false }
    }

    /// A new valid presentation: later frames belong to it.
    pub fn presented(&mut self, verified: &Verified) {
        self.verified = Some(verified.clone());
        self.receiver = None;
        self.reported = false;
    }

    /// Feeds one frame text; a JSON line to print when the frame completes
    /// the transfer or is refused, `None` while it only adds progress.
    pub fn feed(&mut self, text: &[u8]) -> Result<Option<Json>, Fail> {
        if self.receiver.is_none() {
            let Some(verified) = &self.verified else {
                return Ok(Some(json!({
                    "valid": false,
                    "error": "portrait_without_presentation",
                    "message": "a portrait frame before any valid presentation",
                })));
            };
            match PortraitReceiver::new(verified) {
                Ok(receiver) => self.receiver = Some(receiver),
                Err(e) => return Ok(Some(refused(&e))),
            }
        }
        let Some(receiver) = &mut self.receiver else { unreachable!("set above") };
        match receiver.feed(text) {
            Ok(Progress::Complete) if !self.reported => self.reported = true,
            Ok(_) => return Ok(None),
            Err(e) => return Ok(Some(refused(&e))),
        }
        let Some(portrait) = receiver.portrait() else { unreachable!("complete") };
        let json = json!({
            "valid": true,
            "portrait": {
                "bytes": portrait.len(),
                "sha256": hex_encode(&Sha256::digest(portrait)),
                "frames_fed": receiver.frames_fed(),
                "file": self.out.as_ref().map(|p| p.display().to_string()),
            },
        });
        if let Some(path) = &self.out {
            write_file(path, portrait)?;
        }
        Ok(Some(json))
    }

    /// At the end of input: the rejection of a transfer left incomplete.
    pub fn finish(&self) -> Option<Json> {
        let (symbols, needed) = match self.receiver.as_ref()?.progress() {
            Ok(Progress::Receiving { symbols, needed }) => (symbols, needed),
            // Complete, or refused with its own line already.
            _ => return None,
        };
        Some(json!({
            "valid": false,
            "error": "portrait_incomplete",
            "message": format!("the input ended with {symbols} of the {needed} portrait symbols needed"),
            "symbols": symbols,
            "needed": needed,
        }))
    }
}

/// The JSON line of a refused frame or transfer.
fn refused(e: &PortraitError) -> Json {
    json!({"valid": false, "error": e.code(), "ends_transfer": e.ends_transfer(), "message": e.to_string()})
}

/// The frame texts of `--frames DIR`: its `.txt` files in name order.
pub fn frame_files(dir: &Path) -> Result<Vec<Vec<u8>>, Fail> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(context(format!("cannot read {}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_file(p)).collect()
}

/// Whether a text is a portrait frame, by its prefix.
pub fn is_frame(text: &[u8]) -> bool {
    nocard::text::kind_of(text) == Some(nocard::text::TextKind::Portrait)
}
