//! `nocard code`: the 8-digit numeric check code (SPEC.md §12): a code key
//! for the issuer, the holder's code, and the back office's check.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use serde_json::{Value as Json, json};

use nocard::credential::{CredentialBundle, MAX_ISSUER_LEN};
use nocard::numeric_code::{CodeChecker, CodeError, CodeKey, Drift};

use super::files::{read_code_key, read_secret_file, write_code_key};
use super::output::print_json;
use super::{CmdResult, CredentialId, Fail, context, now, parse_credential_id};

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the issuer's numeric-code key: 32 random bytes as hex (mode
    /// 0600 on Unix), kept by the issuer and its back office, apart from
    /// the signing key. `nocard issue --code-key` derives each credential's
    /// code secret from it.
    Keygen {
        /// Where to write the key.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the holder's code for the current 30 s step as JSON: the code,
    /// its step and the seconds left in it.
    Show {
        /// The credential bundle file written by `nocard issue --code-key`.
        #[arg(long, value_name = "CRED")]
        credential: PathBuf,
        /// Clock reading, Unix seconds [default: now].
        #[arg(long, value_name = "UNIX")]
        at: Option<u64>,
    },
    /// Check a code read out by a holder, as the issuer's back office: the
    /// secret is derived again from the code key, the issuer name and the
    /// credential id. Prints one JSON line; exit status 0 when accepted, 1
    /// when refused.
    Check {
        /// The issuer's numeric-code key.
        #[arg(long, value_name = "FILE")]
        code_key: PathBuf,
        /// The issuer's name (the `iss` claim), e.g. NBPSB.
        #[arg(long, value_name = "ID")]
        issuer: String,
        /// The credential id (`cti`) as hex.
        #[arg(long, value_name = "HEX", value_parser = parse_credential_id)]
        credential_id: CredentialId,
        /// The code as typed: exactly 8 digits.
        #[arg(long, value_name = "DIGITS")]
        code: String,
        /// Clock reading, Unix seconds [default: now].
        #[arg(long, value_name = "UNIX")]
        at: Option<u64>,
        /// Steps of 30 s either side of the current one to accept, 0-4.
        #[arg(long, value_name = "STEPS", default_value_t = 1)]
        drift: u8,
        /// The last step accepted for this credential, from the back
        /// office's records: a code of this step or an earlier one is
        /// refused as replayed. A check does not remember its own steps;
        /// record the printed `step` of each accepted code.
        #[arg(long, value_name = "STEP")]
        last_step: Option<u64>,
    },
}

pub fn run(args: &Args) -> CmdResult {
    match &args.command {
        Command::Keygen { out } => {
            write_code_key(out, &CodeKey::generate().map_err(context("cannot generate a key"))?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { credential, at } => {
            let file = credential.display();
            let bundle = CredentialBundle::from_text(&read_secret_file(credential)?).map_err(context(&file))?;
            let secret = bundle.code_secret().ok_or_else(|| {
                Fail::Message(format!("{file}: the credential has no numeric code (issued without --code-key)"))
            })?;
            let code = secret.code_at(at.map_or_else(now, Ok)?);
            print_json(&json!({"code": code.to_string(), "step": code.step, "seconds_left": code.seconds_left}))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { code_key, issuer, credential_id, code, at, drift, last_step } => {
            // Every setting is checked before the key file is read.
            let drift = Drift::new(*drift).map_err(context("--drift"))?;
            if issuer.is_empty() || issuer.len() > MAX_ISSUER_LEN {
                return Err(Fail::Message(format!("--issuer must be 1-{MAX_ISSUER_LEN} bytes")));
            }
            let now = at.map_or_else(now, Ok)?;
            let CredentialId(id) = credential_id;
            let secret = read_code_key(code_key)?.secret(issuer, id);
            let mut checker = CodeChecker::new(drift);
            if let Some(step) = last_step {
                checker.restore(id, *step);
            }
            match checker.check(id, &secret, code, now) {
                Ok(step) => {
                    print_json(&json!({"valid": true, "step": step}))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    print_json(&refused_json(&error))?;
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// The JSON line for a refused code, shaped as `nocard verify`'s.
fn refused_json(error: &CodeError) -> Json {
    let mut json = json!({"valid": false, "error": error.code(), "message": error.to_string()});
    match *error {
        CodeError::OutsideDrift { step, current } => {
            json["step"] = json!(step);
            json["current_step"] = json!(current);
        }
        CodeError::Replayed { step, last } => {
            json["step"] = json!(step);
            json["last_step"] = json!(last);
        }
        _ => {}
    }
    json
}
