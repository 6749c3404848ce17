//! `nocard copy`: the printed copy a clerk makes instead of a photocopy,
//! drawn from the desk's receipt (SPEC.md §18).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, ValueEnum};
use serde_json::json;

use nocard::copy::{self, CopyError, CopyFormat, CopyOptions, Font, Paper};
use nocard::document::Registry;
use nocard::receipt::ReceiptError;

use super::files::{read_file, write_file};
use super::output::print_json;
use super::receipt::{read_desk_keys, rejected_json};
use super::{CmdResult, Fail};

#[derive(ClapArgs)]
pub struct Args {
    /// The receipt (`nocard verify --receipt-out`), as bytes or as its NCR1: text.
    #[arg(value_name = "RECEIPT")]
    receipt: PathBuf,
    /// A desk public key the receipt may be signed by (repeatable; no default).
    #[arg(long = "desk-key", value_name = "PUB", required = true)]
    desk_keys: Vec<PathBuf>,
    /// Where to write the copy; a name ending .pdf or .svg says the format.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The paper: the card's own size (front and back), or an A4 sheet.
    #[arg(long, value_enum, default_value = "a4")]
    paper: PaperArg,
    /// A TrueType/OpenType font to draw with instead of the bundled one
    /// (for characters beyond the CJK Unified Ideographs block).
    #[arg(long, value_name = "TTF")]
    font: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PaperArg {
    /// ID-1, 85.6 × 53.98 mm: the front, then the back.
    Card,
    /// A4, both sides at true size.
    A4,
}

/// Checks the receipt, draws the copy, writes it and prints one JSON line:
/// exit 0 when the copy is written, 1 when the receipt or its fields are
/// refused, 2 on a usage or I/O error (the font and the output name are
/// checked before the receipt is read).
pub fn run(args: &Args) -> CmdResult {
    let format = format_of(&args.out)?;
    let paper = match args.paper {
        PaperArg::Card => Paper::Card,
        PaperArg::A4 => Paper::A4,
    };
    let mut options = CopyOptions::new(format, paper);
    if let Some(path) = &args.font {
        let font = Font::from_bytes(read_file(path)?)
            .map_err(|e| Fail::Message(format!("{}: {e} ({})", path.display(), e.code())))?;
        options = options.with_font(font);
    }
    let keys = read_desk_keys(&args.desk_keys)?;
    let input = read_file(&args.receipt)?;
    match copy::render(&input, &keys, &Registry::builtin(), &options) {
        Ok(bytes) => {
            write_file(&args.out, &bytes)?;
            print_json(&json!({
                "written": args.out.display().to_string(),
                "format": if format == CopyFormat::Pdf { "pdf" } else { "svg" },
                "paper": if paper == Paper::Card { "card" } else { "a4" },
                "bytes": bytes.len(),
            }))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(CopyError::Receipt(error)) => refused(&error),
        Err(error) => {
            let character = match error {
                CopyError::GlyphMissing(ch) => Some(format!("U+{:04X}", u32::from(ch))),
                _ => None,
            };
            print_json(
                &json!({"written": null, "error": error.code(), "character": character, "message": error.to_string()}),
            )?;
            Ok(ExitCode::from(1))
        }
    }
}

fn refused(error: &ReceiptError) -> CmdResult {
    let mut line = rejected_json(error);
    line["written"] = json!(null);
    print_json(&line)?;
    Ok(ExitCode::from(1))
}

fn format_of(out: &Path) -> Result<CopyFormat, Fail> {
    match out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("pdf") => Ok(CopyFormat::Pdf),
        Some("svg") => Ok(CopyFormat::Svg),
        _ => Err(Fail::Message(format!("{}: --out must end .pdf or .svg", out.display()))),
    }
}
