//! `nocard receipt`: check a desk's verification receipt offline (SPEC.md
//! §15.2). `nocard verify --receipt-key` writes them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use serde_json::{Value as Json, json};

use nocard::document::Registry;
use nocard::keys::PublicKey;
use nocard::receipt::{Fields, Minimise, Receipt, ReceiptError, from_text_or_bytes};

use super::claims_json::{claims_to_json, hex_encode};
use super::files::{read_file, read_public_key};
use super::output::print_json;
use super::{CmdResult, Fail};

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a receipt against the desk keys you trust and print what it
    /// records as one JSON line. Exit status 0 when it verifies, 1 when it
    /// is refused (`not_a_receipt`, `receipt_unknown_desk_key`,
    /// `receipt_bad_signature`, `malformed`, ...).
    Verify {
        /// A desk public key the receipt may be signed by (repeatable; no default).
        #[arg(long = "desk-key", value_name = "PUB", required = true)]
        desk_keys: Vec<PathBuf>,
        /// The receipt file: its bytes, or its NCR1: text (the QR code on a
        /// printed copy, as a scanner reads it).
        #[arg(value_name = "FILE")]
        receipt: PathBuf,
    },
}

/// What a receipt keeps of the disclosed fields (`--receipt-fields`).
#[derive(Clone, Copy, ValueEnum)]
pub enum FieldsArg {
    /// The values themselves.
    Values,
    /// Only a digest of each (SPEC.md §15.1).
    Digests,
}

impl From<FieldsArg> for Minimise {
    fn from(arg: FieldsArg) -> Self {
        match arg {
            FieldsArg::Values => Minimise::Values,
            FieldsArg::Digests => Minimise::Digests,
        }
    }
}

pub fn run(args: &Args) -> CmdResult {
    match &args.command {
        Command::Verify { desk_keys, receipt } => {
            let keys = read_desk_keys(desk_keys)?;
            let input = read_file(receipt)?;
            let result =
                from_text_or_bytes(&input).and_then(|bytes| Receipt::verify(&bytes, &keys, &Registry::builtin()));
            print_json(&match &result {
                Ok(receipt) => receipt_json(receipt),
                Err(error) => rejected_json(error),
            })?;
            Ok(if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}

/// The `--desk-key` files.
pub fn read_desk_keys(paths: &[PathBuf]) -> Result<Vec<PublicKey>, Fail> {
    paths.iter().map(|path| read_public_key(path)).collect()
}

/// A verified receipt as JSON.
pub fn receipt_json(r: &Receipt) -> Json {
    let fields = match &r.fields {
        Fields::Values(claims) => json!({"values": claims_to_json(claims)}),
        Fields::Digests(digests) => {
            json!({"digests": digests.iter().map(|(n, d)| (n.clone(), json!(hex_encode(d)))).collect::<serde_json::Map<_, _>>()})
        }
    };
    json!({
        "valid": true,
        "desk_key_id": r.desk_key_id.to_string(),
        "unit": r.unit,
        "time": r.time,
        "doc_type": r.doc_type,
        "issuer": r.issuer,
        "issuer_key_id": r.issuer_key_id.to_string(),
        "presentation_id": hex_encode(&r.presentation_id),
        "purpose": r.purpose.map(|p| p.name()),
        "fields": fields,
    })
}

/// A refused receipt as JSON.
pub fn rejected_json(error: &ReceiptError) -> Json {
    let (detail, offset) = match error {
        ReceiptError::Malformed(m) => (Some(m.kind.code()), Some(m.offset)),
        _ => (None, None),
    };
    json!({"valid": false, "error": error.code(), "detail": detail, "offset": offset, "message": error.to_string()})
}
