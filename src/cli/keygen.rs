//! `nocard keygen`: a new signing key pair as COSE_Key files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, ValueEnum};
use serde_json::json;

use nocard::keys::{Algorithm, SecretKey};

use super::files::{write_file, write_secret_file};
use super::output::print_json;
use super::{CmdResult, context};

/// Signature algorithm of a key.
#[derive(Clone, Copy, ValueEnum)]
pub enum AlgArg {
    /// EdDSA over Ed25519.
    Ed25519,
    /// ECDSA over P-256 (ES256).
    P256,
}

impl From<AlgArg> for Algorithm {
    fn from(alg: AlgArg) -> Self {
        match alg {
            AlgArg::Ed25519 => Algorithm::EdDsa,
            AlgArg::P256 => Algorithm::Es256,
        }
    }
}

#[derive(ClapArgs)]
pub struct Args {
    /// Signature algorithm.
    #[arg(long, value_enum)]
    alg: AlgArg,
    /// Where to write the secret COSE_Key (binary CBOR; mode 0600 on Unix).
    #[arg(long, value_name = "KEY")]
    out: PathBuf,
    /// Where to write the public COSE_Key. (A secret key file is accepted
    /// wherever a public key is asked for, too.)
    #[arg(long, value_name = "PUB")]
    public_out: Option<PathBuf>,
}

pub fn run(args: &Args) -> CmdResult {
    let key = SecretKey::generate(args.alg.into()).map_err(context("cannot generate a key"))?;
    write_secret_file(&args.out, &key.to_cose_key())?;
    if let Some(path) = &args.public_out {
        write_file(path, &key.public_key().to_cose_key())?;
    }
    let public = key.public_key();
    print_json(&json!({"alg": public.algorithm().name(), "kid": public.id().to_string()}))?;
    Ok(ExitCode::SUCCESS)
}
