//! `nocard issue`: sign a credential bundle for a holder's device key.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args as ClapArgs;
use serde_json::{Value as Json, json};

use nocard::credential::{Issuer, MAX_ISSUER_LEN, StatusRef};
use zeroize::Zeroizing;

use super::claims_json::claims_from_json;
use super::files::{read_code_key, read_file, read_public_key, read_secret_key, write_secret_file};
use super::output::print_json;
use super::{CmdResult, CredentialId, DEFAULT_VALIDITY, Fail, context, doc_type, now, parse_credential_id};

#[derive(ClapArgs)]
pub struct Args {
    /// The issuer's secret COSE_Key.
    #[arg(long, value_name = "KEY")]
    issuer_key: PathBuf,
    /// The issuer's name (the `iss` claim), e.g. NBPSB.
    #[arg(long, value_name = "ID")]
    issuer: String,
    /// Document type name (see `nocard doctypes`).
    #[arg(long, value_name = "TYPE")]
    doc_type: String,
    /// Claims as a JSON object (see `nocard doctypes --example TYPE`).
    #[arg(long, value_name = "CLAIMS.json")]
    claims: PathBuf,
    /// The holder device's public COSE_Key.
    #[arg(long, value_name = "PUB")]
    holder_key: PathBuf,
    /// Validity start, Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    not_before: Option<u64>,
    /// Validity end, Unix seconds [default: not-before + 365 days].
    #[arg(long, value_name = "UNIX")]
    expires: Option<u64>,
    /// When the credential was issued (`iat`), Unix seconds, not after
    /// --expires; verifiers refuse the credential while it lies in the
    /// future [default: not set].
    #[arg(long, value_name = "UNIX")]
    issued_at: Option<u64>,
    /// A credential id (`cti`), 1-32 bytes as hex.
    #[arg(long, value_name = "HEX", value_parser = parse_credential_id)]
    credential_id: Option<CredentialId>,
    /// Revocation status list number.
    #[arg(long, value_name = "N", requires = "status_index")]
    status_list: Option<u32>,
    /// Index in the revocation status list.
    #[arg(long, value_name = "N", requires = "status_list")]
    status_index: Option<u32>,
    /// The issuer's numeric-code key (`nocard code keygen`): puts the
    /// credential's code secret in the bundle (needs --credential-id).
    #[arg(long, value_name = "FILE", requires = "credential_id")]
    code_key: Option<PathBuf>,
    /// Where to write the credential bundle text.
    #[arg(long, value_name = "CRED")]
    out: PathBuf,
}

pub fn run(args: &Args) -> CmdResult {
    let doc = doc_type(&args.doc_type)?;
    if args.issuer.is_empty() || args.issuer.len() > MAX_ISSUER_LEN {
        return Err(Fail::Message(format!("--issuer must be 1-{MAX_ISSUER_LEN} bytes")));
    }
    let claims_file = args.claims.display();
    let json: Json = serde_json::from_slice(&read_file(&args.claims)?).map_err(context(&claims_file))?;
    let claims = claims_from_json(&doc, &json).map_err(context(&claims_file))?;
    let holder = read_public_key(&args.holder_key)?;
    let issuer = Issuer::new(&args.issuer, read_secret_key(&args.issuer_key)?).map_err(context("--issuer"))?;
    let code_key = args.code_key.as_deref().map(read_code_key).transpose()?;

    let not_before = match args.not_before {
        Some(t) => t,
        None => now()?,
    };
    let expires = args.expires.unwrap_or(not_before.saturating_add(DEFAULT_VALIDITY));
    let mut builder = issuer.credential(&doc, &holder, claims).validity(not_before, expires);
    if let Some(at) = args.issued_at {
        builder = builder.issued_at(at);
    }
    if let Some(CredentialId(id)) = &args.credential_id {
        builder = builder.id(id);
    }
    if let (Some(list), Some(index)) = (args.status_list, args.status_index) {
        builder = builder.status(StatusRef { list, index });
    }
    if let Some(key) = &code_key {
        builder = builder.numeric_code(key);
    }
    let bundle = builder.sign().map_err(context("cannot issue"))?;

    // The bundle holds the salts that hide undisclosed claims and the
    // numeric-code secret: the holder's, not everyone's.
    let mut text = Zeroizing::new(bundle.to_text());
    text.push('\n');
    write_secret_file(&args.out, text.as_bytes())?;
    print_json(&json!({
        "doc_type": doc.name(),
        "views": bundle.views().len(),
        "full_credential_bytes": bundle.full().len(),
    }))?;
    Ok(ExitCode::SUCCESS)
}
