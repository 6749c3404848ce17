//! `nocard keygen`: a new signing or scanner-group key pair as COSE_Key files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, ValueEnum};
use serde_json::json;

use nocard::keys::{Algorithm, SecretKey};
use nocard::seal::{GroupAlgorithm, GroupSecretKey};

use super::files::{write_file, write_secret_file};
use super::output::print_json;
use super::{CmdResult, Fail, context};

/// Algorithm of a key.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgArg {
    /// EdDSA over Ed25519 (signing).
    Ed25519,
    /// ECDSA over P-256 (ES256 signing), or P-256 ECDH with --group.
    P256,
    /// X25519 key agreement: a scanner-group key for sealed codes.
    X25519,
}

#[derive(ClapArgs)]
pub struct Args {
    /// Key algorithm.
    #[arg(long, value_enum)]
    alg: AlgArg,
    /// Make a scanner-group key (ECDH-ES + HKDF-256, for `present
    /// --seal-to` and `verify --group-key`) rather than a signing key;
    /// implied by --alg x25519.
    #[arg(long)]
    group: bool,
    /// Where to write the secret COSE_Key (binary CBOR; mode 0600 on Unix).
    #[arg(long, value_name = "KEY")]
    out: PathBuf,
    /// Where to write the public COSE_Key. (A secret key file is accepted
    /// wherever a public key is asked for, too.)
    #[arg(long, value_name = "PUB")]
    public_out: Option<PathBuf>,
}

pub fn run(args: &Args) -> CmdResult {
    let group = match (args.alg, args.group) {
        (AlgArg::X25519, _) => Some(GroupAlgorithm::X25519),
        (AlgArg::P256, true) => Some(GroupAlgorithm::P256),
        (AlgArg::Ed25519, true) => return Err(Fail::Message("--group keys are x25519 or p256".into())),
        _ => None,
    };
    let (secret, public, alg, kid) = match group {
        Some(alg) => {
            let key = GroupSecretKey::generate(alg).map_err(context("cannot generate a key"))?;
            (key.to_cose_key(), key.public_key().to_cose_key(), alg.name(), key.id())
        }
        None => {
            let alg = if args.alg == AlgArg::Ed25519 { Algorithm::EdDsa } else { Algorithm::Es256 };
            let key = SecretKey::generate(alg).map_err(context("cannot generate a key"))?;
            let public = key.public_key();
            (key.to_cose_key(), public.to_cose_key(), public.algorithm().name(), public.id())
        }
    };
    write_secret_file(&args.out, &secret)?;
    if let Some(path) = &args.public_out {
        write_file(path, &public)?;
    }
    print_json(&json!({"alg": alg, "kid": kid.to_string(), "group": group.is_some()}))?;
    Ok(ExitCode::SUCCESS)
}
