//! `nocard delegate` and `nocard consent`: sign and verify delegations,
//! a delegate acting on one, and consents (SPEC.md §17).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args as ClapArgs, Subcommand};
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use nocard::credential::CredentialBundle;
use nocard::delegation::{self, Acting, Delegation, DelegationError, Matter};
use nocard::document::Profile;
use nocard::error::Error;
use nocard::keys::SecretKey;
use nocard::presentation::{Disclose, Holder};
use nocard::verify::{Policy, VerifiedCredential, Verifier};

use super::claims_json::{claims_to_json, hex_encode};
use super::files::{read_file, read_public_key, read_secret_file, read_secret_key};
use super::output::{print_json, print_line};
use super::verify::{issuer_keys, refused_configuration, verified_json};
use super::{CmdResult, Fail, context, now, parse_profile};

#[derive(ClapArgs)]
pub struct DelegateArgs {
    #[command(subcommand)]
    command: DelegateCommand,
}

#[derive(ClapArgs)]
pub struct ConsentArgs {
    #[command(subcommand)]
    command: ConsentCommand,
}

/// The signer: a credential bundle and its device key.
#[derive(ClapArgs)]
struct Signer {
    /// The signer's credential bundle file (`nocard issue`).
    #[arg(long, value_name = "CRED")]
    credential: PathBuf,
    /// The signer device's secret COSE_Key.
    #[arg(long, value_name = "KEY")]
    device_key: PathBuf,
}

/// A statement's period and the claims that name its signer.
#[derive(ClapArgs)]
struct Period {
    /// Start of the period, Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    from: Option<u64>,
    /// End of the period (exclusive), Unix seconds.
    #[arg(long, value_name = "UNIX")]
    until: u64,
    /// The signer's claims to disclose [default: name,id_number].
    #[arg(long, value_name = "CLAIMS", value_delimiter = ',')]
    disclose: Vec<String>,
}

/// The desk: trusted issuer keys, clock and skew.
#[derive(ClapArgs)]
struct Desk {
    /// A trusted issuer public key and the document types it may sign:
    /// NAME:TYPE[,TYPE...]=PUB, or NAME:*=PUB (as `nocard verify`).
    #[arg(long = "issuer-key", value_name = "NAME:TYPES=PUB", required = true)]
    issuer_keys: Vec<String>,
    /// Clock reading, Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
    /// Clock skew tolerated, seconds, at most 300 [default: 10].
    #[arg(long, value_name = "SECS")]
    skew: Option<u64>,
}

#[derive(Subcommand)]
enum DelegateCommand {
    /// The delegator's wallet: sign a delegation (NCD1: text) of one matter
    /// to the holder of a device key.
    Sign {
        #[command(flatten)]
        signer: Signer,
        /// register_child_residence or collect_certificate.
        #[arg(long, value_name = "MATTER", value_parser = parse_matter)]
        matter: Matter,
        /// The delegate's device public key (the key their credential binds).
        #[arg(long, value_name = "PUB")]
        delegate_key: PathBuf,
        #[command(flatten)]
        period: Period,
    },
    /// The delegate's wallet: sign a presentation and show it with the
    /// delegation (NCA1: text, one QR code).
    #[command(group(ArgGroup::new("what").required(true).args(["show", "profile"])))]
    Act {
        #[command(flatten)]
        signer: Signer,
        /// The file holding the delegation's NCD1: text.
        #[arg(long, value_name = "FILE")]
        delegation: PathBuf,
        /// Disclose exactly these claims of the delegate's, by name.
        #[arg(long, value_name = "CLAIMS", value_delimiter = ',')]
        show: Vec<String>,
        /// Disclose what this scene's profile asks for.
        #[arg(long, value_name = "NAME", value_parser = parse_profile)]
        profile: Option<Profile>,
        /// Clock reading, Unix seconds [default: now].
        #[arg(long, value_name = "UNIX")]
        at: Option<u64>,
        /// The verifier the presentation is addressed to.
        #[arg(long, value_name = "TEXT")]
        audience: Option<String>,
    },
    /// The desk: verify an NCA1: text for the matter it handles; prints one
    /// JSON line, exit status 0 when valid, 1 when refused.
    Verify {
        #[command(flatten)]
        desk: Desk,
        /// The matter this desk handles.
        #[arg(long, value_name = "MATTER", value_parser = parse_matter)]
        matter: Matter,
        /// The delegate's presentation must satisfy this profile.
        #[arg(long, value_name = "NAME", value_parser = parse_profile)]
        profile: Option<Profile>,
        /// Accept only presentations addressed to this verifier.
        #[arg(long, value_name = "TEXT")]
        audience: Option<String>,
        /// The NCA1: text.
        #[arg(value_name = "TEXT")]
        text: String,
    },
}

#[derive(Subcommand)]
enum ConsentCommand {
    /// The holder's wallet: answer one request yes or no (NCK1: text).
    #[command(group(ArgGroup::new("answer").required(true).args(["yes", "no"])))]
    Sign {
        #[command(flatten)]
        signer: Signer,
        /// The request answered: a file whose SHA-256 the consent carries.
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        /// Consent.
        #[arg(long)]
        yes: bool,
        /// Refuse.
        #[arg(long)]
        no: bool,
        #[command(flatten)]
        period: Period,
    },
    /// The desk: verify an NCK1: text answering the request in FILE; prints
    /// one JSON line, exit status 0 when valid (yes or no), 1 when refused.
    Verify {
        #[command(flatten)]
        desk: Desk,
        /// The request the desk asks about.
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        /// The NCK1: text.
        #[arg(value_name = "TEXT")]
        text: String,
    },
}

fn parse_matter(name: &str) -> Result<Matter, String> {
    name.parse().map_err(|_| {
        let names: Vec<&str> = Matter::ALL.iter().map(|m| m.name()).collect();
        format!("unknown matter; expected one of {}", names.join(", "))
    })
}

pub fn run_delegate(args: &DelegateArgs) -> CmdResult {
    match &args.command {
        DelegateCommand::Sign { signer, matter, delegate_key, period } => {
            let delegate = read_public_key(delegate_key)?;
            let holder = signer.holder()?;
            let builder = delegation::delegate(&holder, *matter, &delegate);
            let (from, until, disclose) = period.read()?;
            let builder = match disclose {
                Some(disclose) => builder.disclose(disclose),
                None => builder,
            };
            let signed = builder.period(from, until).sign().map_err(context("cannot delegate"))?;
            print_line(&signed.to_text())?;
            Ok(ExitCode::SUCCESS)
        }
        DelegateCommand::Act { signer, delegation, show, profile, at, audience } => {
            let file = delegation.display();
            let delegation = Delegation::from_text(&read_file(delegation)?).map_err(context(&file))?;
            let holder = signer.holder()?;
            let disclose = match profile {
                Some(profile) => Disclose::Profile(*profile),
                None => Disclose::Claims(show.clone()),
            };
            let mut builder = holder.present(disclose).at(at.map_or_else(now, Ok)?);
            if let Some(audience) = audience {
                builder = builder.audience(audience);
            }
            let presentation = builder.sign().map_err(context("cannot present"))?;
            print_line(&Acting::new(&delegation, &presentation).to_text())?;
            Ok(ExitCode::SUCCESS)
        }
        DelegateCommand::Verify { desk, matter, profile, audience, text } => {
            let mut policy = desk.policy()?;
            if let Some(profile) = profile {
                policy = policy.profile(*profile);
            }
            if let Some(audience) = audience {
                policy = policy.audience(audience).map_err(context("--audience"))?;
            }
            let verifier = desk.verifier(policy)?;
            let now = desk.at.map_or_else(now, Ok)?;
            report(delegation::verify_acting(&verifier, text.as_bytes(), *matter, now).map(|seen| {
                json!({
                    "valid": true,
                    "matter": seen.matter.name(),
                    "not_before": seen.not_before,
                    "expires": seen.expires,
                    "delegator": credential_json(&seen.delegator),
                    "delegate": verified_json(&seen.delegate),
                })
            }))
        }
    }
}

pub fn run_consent(args: &ConsentArgs) -> CmdResult {
    match &args.command {
        ConsentCommand::Sign { signer, request, yes, no: _, period } => {
            let request = request_digest(request)?;
            let holder = signer.holder()?;
            let builder = delegation::consent(&holder, request, *yes);
            let (from, until, disclose) = period.read()?;
            let builder = match disclose {
                Some(disclose) => builder.disclose(disclose),
                None => builder,
            };
            let signed = builder.period(from, until).sign().map_err(context("cannot consent"))?;
            print_line(&signed.to_text())?;
            Ok(ExitCode::SUCCESS)
        }
        ConsentCommand::Verify { desk, request, text } => {
            let verifier = desk.verifier(desk.policy()?)?;
            let request = request_digest(request)?;
            let now = desk.at.map_or_else(now, Ok)?;
            report(delegation::verify_consent(&verifier, text.as_bytes(), &request, now).map(|seen| {
                json!({
                    "valid": true,
                    "answer": seen.answer,
                    "request_sha256": hex_encode(&seen.request),
                    "not_before": seen.not_before,
                    "expires": seen.expires,
                    "consenter": credential_json(&seen.consenter),
                })
            }))
        }
    }
}

impl Signer {
    fn holder(&self) -> Result<Holder<SecretKey>, Fail> {
        let file = self.credential.display();
        let bundle = CredentialBundle::from_text(&read_secret_file(&self.credential)?).map_err(context(&file))?;
        Holder::new(bundle, read_secret_key(&self.device_key)?).map_err(context(&file))
    }
}

impl Period {
    fn read(&self) -> Result<(u64, u64, Option<Disclose>), Fail> {
        let from = self.from.map_or_else(now, Ok)?;
        let disclose = (!self.disclose.is_empty()).then(|| Disclose::Claims(self.disclose.clone()));
        Ok((from, self.until, disclose))
    }
}

impl Desk {
    fn policy(&self) -> Result<Policy, Fail> {
        match self.skew {
            Some(skew) => Policy::default().clock_skew(skew).map_err(context("--skew")),
            None => Ok(Policy::default()),
        }
    }

    fn verifier(&self, policy: Policy) -> Result<Verifier, Fail> {
        Verifier::new(issuer_keys(&self.issuer_keys, None)?, policy).map_err(refused_configuration)
    }
}

/// SHA-256 of the request file.
fn request_digest(path: &Path) -> Result<[u8; 32], Fail> {
    Ok(Sha256::digest(read_file(path)?).into())
}

/// The signer's verified credential, as JSON.
fn credential_json(c: &VerifiedCredential) -> Json {
    json!({
        "doc_type": c.doc_type,
        "issuer": c.issuer,
        "key_id": c.key_id.to_string(),
        "not_before": c.not_before,
        "expires": c.expires,
        "status": c.status.map(|s| json!({"list": s.list, "index": s.index})),
        "claims": claims_to_json(&c.claims),
    })
}

/// Prints the result line: exit 0 when valid, 1 when refused. A refusal
/// names its code, as `detail` the code of the core check that failed
/// inside (the signer's credential, the delegate's presentation), and as
/// `malformed` the detail of malformed input (SPEC.md §6.2).
fn report(result: Result<Json, DelegationError>) -> CmdResult {
    match result {
        Ok(json) => {
            print_json(&json)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            let inner = error.inner();
            let detail = inner.map(Error::code).filter(|&code| code != error.code());
            let malformed = match inner {
                Some(Error::Malformed(m)) => Some(m.kind.code()),
                _ => None,
            };
            print_json(&json!({
                "valid": false,
                "error": error.code(),
                "detail": detail,
                "malformed": malformed,
                "message": error.to_string(),
            }))?;
            Ok(ExitCode::from(1))
        }
    }
}
