//! `nocard`: make keys, issue credentials, show and check presentations.
//!
//! Exit status: 0 on success (for `verify`, every presentation valid); 1 when
//! `verify` rejected a presentation or `inspect` could not decode its input;
//! 2 on a usage or I/O error, explained on stderr.

use std::fmt;
use std::fs;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use serde_json::{Map, Value as Json, json};

use nocard::credential::{CredentialBundle, Issuer, MAX_ISSUER_LEN, StatusRef};
use nocard::document::{
    Claim, ClaimDef, ClaimType, ClaimValue, Date, Derivation, DocKind, DocType, DocTypeId, Profile, Registry,
};
use nocard::error::Error;
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::rotating::RotatingCode;
use nocard::text::{self, TextKind};
use nocard::verify::{KeyScope, Policy, Requirement, TrustedKey, Verified, Verifier};

/// Default credential lifetime: 365 days.
const DEFAULT_VALIDITY: u64 = 365 * 86_400;
/// Longest stdin line `verify` keeps; longer lines are cut here and then
/// rejected as `too_large` (no presentation text exceeds 4296 characters).
const MAX_LINE: usize = 8192;
/// Most stdin bytes `inspect` reads (credential texts stop at 24 576).
const MAX_INSPECT_INPUT: u64 = 65_536;
/// How many levels of byte strings holding CBOR `inspect` opens.
const MAX_NESTED_CBOR: usize = 4;
/// Nesting limit for each CBOR item `inspect` decodes.
const CBOR_RECURSION_LIMIT: usize = 16;
/// Issuer name the demo uses.
const DEMO_ISSUER: &str = "NBPSB";

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

/// Offline-verifiable e-ID credentials: signed CBOR/COSE, rotating QR presentations.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a signing key pair (COSE_Key files).
    Keygen(KeygenArgs),
    /// Issue a credential bundle (NCC1: text) to a holder's device key.
    Issue(IssueArgs),
    /// Sign a presentation (NC1: text, what the QR code carries).
    Present(PresentArgs),
    /// Verify presentations offline; prints one JSON line per presentation.
    ///
    /// Exit status 0 when every presentation is valid, 1 when one was
    /// rejected, 2 on a usage or I/O error. Reading stdin (TEXT `-` or no
    /// TEXT), every non-empty line is verified and the loop goes on after a
    /// bad one: the front-desk scanner-gun mode.
    Verify(VerifyArgs),
    /// List the document types and their claims as JSON.
    Doctypes(DoctypesArgs),
    /// Decode an NC1: or NCC1: text to JSON WITHOUT verifying anything.
    ///
    /// Exit status 1 when the text cannot be decoded.
    Inspect(InspectArgs),
    /// Issue, present and verify a resident ID card with throwaway keys.
    ///
    /// Needs no files and no input. Prints what a front desk sees, the sizes
    /// and the QR code, then (on a terminal) keeps showing the rotating code,
    /// redrawn each window until Ctrl-C. With `--once`, or when stdout is not
    /// a terminal, it prints one frame and exits.
    Demo(DemoArgs),
}

/// Signature algorithm of a key.
#[derive(Clone, Copy, ValueEnum)]
enum AlgArg {
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

#[derive(Args)]
struct KeygenArgs {
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

#[derive(Args)]
struct IssueArgs {
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
    /// Revocation status list number.
    #[arg(long, value_name = "N", requires = "status_index")]
    status_list: Option<u32>,
    /// Index in the revocation status list.
    #[arg(long, value_name = "N", requires = "status_list")]
    status_index: Option<u32>,
    /// Where to write the credential bundle text.
    #[arg(long, value_name = "CRED")]
    out: PathBuf,
}

#[derive(Args)]
#[command(group(ArgGroup::new("what").required(true).args(["disclose", "profile"])))]
struct PresentArgs {
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
    /// Also write the QR code as a PNG image.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    /// Also write the QR code as an SVG image.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Draw the QR code in the terminal after the text.
    #[arg(long)]
    terminal: bool,
    /// Pixels per QR module in --png and --svg images.
    #[arg(long, value_name = "PX", default_value_t = 8)]
    module_px: u32,
}

#[derive(Args)]
struct VerifyArgs {
    /// A trusted issuer public key: NAME=PATH, or PATH with --issuer NAME.
    /// Repeat for several keys.
    #[arg(long = "issuer-key", value_name = "[NAME=]PUB", required = true)]
    issuer_keys: Vec<String>,
    /// Issuer name for keys given as a bare PATH.
    #[arg(long, value_name = "NAME")]
    issuer: Option<String>,
    /// Clock reading, Unix seconds [default: now, read for each presentation].
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
    /// Require this challenge.
    #[arg(long, value_name = "N")]
    challenge: Option<u32>,
    /// Require the claims this scene's profile insists on.
    #[arg(long, value_name = "NAME", value_parser = parse_profile)]
    profile: Option<Profile>,
    /// Require these claims, by name.
    #[arg(long, value_name = "CLAIMS", value_delimiter = ',')]
    require: Vec<String>,
    /// Clock skew tolerated, seconds [default: 10].
    #[arg(long, value_name = "SECS")]
    skew: Option<u64>,
    /// The NC1: text; `-` or nothing reads stdin, one presentation a line.
    #[arg(value_name = "TEXT", conflicts_with = "image")]
    text: Option<String>,
    /// Scan a PNG or JPEG image and verify every nocard code in it (one JSON
    /// line each; a `no_code` line and exit 1 when there is none).
    #[cfg(feature = "scan")]
    #[arg(long, value_name = "FILE")]
    image: Option<PathBuf>,
    /// QR decoder for --image.
    #[cfg(feature = "scan")]
    #[arg(long, value_name = "NAME", default_value = "rxing", requires = "image")]
    decoder: nocard::scan::Decoder,
}

#[derive(Args)]
struct DoctypesArgs {
    /// Print sample claims JSON for this type, as `nocard issue` reads it.
    #[arg(long, value_name = "TYPE")]
    example: Option<String>,
}

#[derive(Args)]
struct InspectArgs {
    /// The NC1: or NCC1: text; `-` or nothing reads stdin.
    #[arg(value_name = "TEXT")]
    text: Option<String>,
}

#[derive(Args)]
struct DemoArgs {
    /// Print one frame and exit instead of rotating the code.
    #[arg(long)]
    once: bool,
}

/// Reads a profile name, listing the valid ones on error.
fn parse_profile(name: &str) -> Result<Profile, String> {
    name.parse().map_err(|_| {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        format!("unknown profile; expected one of {}", names.join(", "))
    })
}

// ---------------------------------------------------------------------------
// Errors, output, files, clock
// ---------------------------------------------------------------------------

/// A usage or I/O error: its message goes to stderr, the exit status is 2.
#[derive(Debug)]
struct Fail(String);

type CmdResult = Result<ExitCode, Fail>;

/// Wraps an error with what was being done.
fn context<E: fmt::Display>(what: impl fmt::Display) -> impl FnOnce(E) -> Fail {
    move |e| Fail(format!("{what}: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keygen(args) => keygen(&args),
        Command::Issue(args) => issue(&args),
        Command::Present(args) => present(&args),
        Command::Verify(args) => verify(&args),
        Command::Doctypes(args) => doctypes(&args),
        Command::Inspect(args) => inspect(&args),
        Command::Demo(args) => demo(&args),
    };
    match result {
        Ok(code) => code,
        Err(Fail(message)) => {
            // Nothing more to do if stderr is gone too.
            let _ = writeln!(io::stderr(), "nocard: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` and a newline to stdout, flushed at once (the verify loop
/// answers each scan as it comes).
fn print_line(text: &str) -> Result<(), Fail> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).map_err(context("cannot write to stdout"))
}

/// Prints `value` as one line of JSON.
fn print_json(value: &Json) -> Result<(), Fail> {
    print_line(&value.to_string())
}

/// Prints `value` as indented JSON.
fn print_json_pretty(value: &Json) -> Result<(), Fail> {
    let text = serde_json::to_string_pretty(value).map_err(context("cannot format JSON"))?;
    print_line(&text)
}

fn read_file(path: &Path) -> Result<Vec<u8>, Fail> {
    fs::read(path).map_err(context(format!("cannot read {}", path.display())))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    fs::write(path, bytes).map_err(context(format!("cannot write {}", path.display())))
}

/// Writes a secret: on Unix the file is made mode 0600 before anything is written.
fn write_secret_file(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let fail = || context(format!("cannot write {}", path.display()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(fail())?;
    // An existing file keeps its mode on open: tighten it before writing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(fail())?;
    }
    write_all_to(file, bytes).map_err(fail())
}

fn write_all_to(mut file: fs::File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

fn read_secret_key(path: &Path) -> Result<SecretKey, Fail> {
    SecretKey::from_cose_key(&read_file(path)?).map_err(context(path.display()))
}

fn read_public_key(path: &Path) -> Result<PublicKey, Fail> {
    PublicKey::from_cose_key(&read_file(path)?).map_err(context(path.display()))
}

/// Reads stdin, at most [`MAX_INSPECT_INPUT`] bytes: a longer text is cut
/// and then refused as `too_large` by the decoder.
fn read_stdin() -> Result<Vec<u8>, Fail> {
    let mut bytes = Vec::new();
    io::stdin().lock().take(MAX_INSPECT_INPUT).read_to_end(&mut bytes).map_err(context("cannot read stdin"))?;
    Ok(bytes)
}

/// The clock, in Unix seconds.
fn now() -> Result<u64, Fail> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Fail("the system clock is before 1970".into()))
}

/// The built-in document type named `name`.
fn doc_type(name: &str) -> Result<DocType, Fail> {
    Registry::builtin()
        .by_name(name)
        .cloned()
        .ok_or_else(|| Fail(format!("unknown document type {name:?} (see `nocard doctypes`)")))
}

// ---------------------------------------------------------------------------
// Claims JSON: what `issue` reads and `verify` prints
// ---------------------------------------------------------------------------
//
// text -> string, date -> "YYYY-MM-DD", integer -> integer, bool -> bool,
// bytes -> lowercase hex string, records -> array of objects by field name.

/// Claims from a JSON object `{name: value}`, typed by `doc`'s definitions.
fn claims_from_json(doc: &DocType, json: &Json) -> Result<Vec<Claim>, String> {
    let object = json.as_object().ok_or("claims must be a JSON object {name: value}")?;
    object.iter().map(|(name, value)| claim_from_json(doc.claims(), name, value)).collect()
}

/// One claim, looked up by name in `defs`.
fn claim_from_json(defs: &[ClaimDef], name: &str, json: &Json) -> Result<Claim, String> {
    let def = defs.iter().find(|d| d.name == name).ok_or_else(|| format!("unknown claim {name:?}"))?;
    let value = value_from_json(&def.ty, json).map_err(|e| format!("claim {name:?}: {e}"))?;
    Ok(Claim::new(name.to_owned(), value))
}

/// A value of type `ty`.
fn value_from_json(ty: &ClaimType, json: &Json) -> Result<ClaimValue, String> {
    let wrong = || format!("expected {}", json_shape(ty));
    Ok(match ty {
        ClaimType::Text => ClaimValue::Text(json.as_str().ok_or_else(wrong)?.to_owned()),
        ClaimType::Date => {
            let text = json.as_str().ok_or_else(wrong)?;
            ClaimValue::Date(text.parse::<Date>().map_err(|e| e.to_string())?)
        }
        ClaimType::Integer => ClaimValue::Integer(json.as_i64().ok_or_else(wrong)?),
        ClaimType::Bool => ClaimValue::Bool(json.as_bool().ok_or_else(wrong)?),
        ClaimType::Bytes => ClaimValue::Bytes(hex_decode(json.as_str().ok_or_else(wrong)?).ok_or_else(wrong)?),
        ClaimType::Records(fields) => {
            let entries = json.as_array().ok_or_else(wrong)?;
            let entry = |e: &Json| -> Result<Vec<Claim>, String> {
                let object = e.as_object().ok_or_else(wrong)?;
                object.iter().map(|(name, value)| claim_from_json(fields, name, value)).collect()
            };
            ClaimValue::Records(entries.iter().map(entry).collect::<Result<_, _>>()?)
        }
        _ => {
            return Err(format!("claim type {} is not supported by this tool", ty.name()));
        }
    })
}

/// What the JSON for a claim type looks like, for error messages.
fn json_shape(ty: &ClaimType) -> &'static str {
    match ty {
        ClaimType::Text => "a string",
        ClaimType::Date => "a date string YYYY-MM-DD",
        ClaimType::Integer => "an integer",
        ClaimType::Bool => "true or false",
        ClaimType::Bytes => "a hex string",
        ClaimType::Records(_) => "an array of objects",
        _ => "a supported value",
    }
}

/// Claims as a JSON object `{name: value}`.
fn claims_to_json(claims: &[Claim]) -> Json {
    Json::Object(claims.iter().map(|c| (c.name.to_string(), value_to_json(&c.value))).collect())
}

fn value_to_json(value: &ClaimValue) -> Json {
    match value {
        ClaimValue::Text(t) => json!(t),
        ClaimValue::Date(d) => json!(d.to_string()),
        ClaimValue::Integer(i) => json!(i),
        ClaimValue::Bool(b) => json!(b),
        ClaimValue::Bytes(b) => json!(hex_encode(b)),
        ClaimValue::Records(entries) => entries.iter().map(|entry| claims_to_json(entry)).collect(),
        _ => Json::Null,
    }
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]]).map(char::from).collect()
}

/// Hex (either case) to bytes; `None` if not an even number of hex digits.
fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    digits.chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

// ---------------------------------------------------------------------------
// keygen
// ---------------------------------------------------------------------------

fn keygen(args: &KeygenArgs) -> CmdResult {
    let key = SecretKey::generate(args.alg.into()).map_err(context("cannot generate a key"))?;
    write_secret_file(&args.out, &key.to_cose_key())?;
    if let Some(path) = &args.public_out {
        write_file(path, &key.public_key().to_cose_key())?;
    }
    let public = key.public_key();
    print_json(&json!({"alg": public.algorithm().name(), "kid": public.id().to_string()}))?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------
// issue
// ---------------------------------------------------------------------------

fn issue(args: &IssueArgs) -> CmdResult {
    let doc = doc_type(&args.doc_type)?;
    if args.issuer.is_empty() || args.issuer.len() > MAX_ISSUER_LEN {
        return Err(Fail(format!("--issuer must be 1-{MAX_ISSUER_LEN} bytes")));
    }
    let claims_file = args.claims.display();
    let json: Json = serde_json::from_slice(&read_file(&args.claims)?).map_err(context(&claims_file))?;
    let claims = claims_from_json(&doc, &json).map_err(context(&claims_file))?;
    let holder = read_public_key(&args.holder_key)?;
    let issuer = Issuer::new(&args.issuer, read_secret_key(&args.issuer_key)?).map_err(context("--issuer"))?;

    let not_before = match args.not_before {
        Some(t) => t,
        None => now()?,
    };
    let expires = args.expires.unwrap_or(not_before.saturating_add(DEFAULT_VALIDITY));
    let mut builder = issuer.credential(&doc, &holder, claims).validity(not_before, expires);
    if let (Some(list), Some(index)) = (args.status_list, args.status_index) {
        builder = builder.status(StatusRef { list, index });
    }
    let bundle = builder.sign().map_err(context("cannot issue"))?;

    write_file(&args.out, format!("{}\n", bundle.to_text()).as_bytes())?;
    print_json(&json!({
        "doc_type": doc.name(),
        "views": bundle.views().len(),
        "full_credential_bytes": bundle.full().len(),
    }))?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------
// present
// ---------------------------------------------------------------------------

fn present(args: &PresentArgs) -> CmdResult {
    let cred_file = args.credential.display();
    let bundle = CredentialBundle::from_text(&read_file(&args.credential)?).map_err(context(&cred_file))?;
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
    let text = builder.sign().map_err(context("cannot present"))?.to_text();
    print_line(&text)?;
    if args.png.is_some() || args.svg.is_some() || args.terminal {
        let qr = QrMatrix::encode(&text, EcLevel::M).map_err(context("cannot draw the QR code"))?;
        if let Some(path) = &args.png {
            write_file(path, &qr.to_png(args.module_px))?;
        }
        if let Some(path) = &args.svg {
            write_file(path, qr.to_svg(args.module_px).as_bytes())?;
        }
        if args.terminal {
            print_line(&qr.to_terminal())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------

fn verify(args: &VerifyArgs) -> CmdResult {
    let verifier = Verifier::new(trusted_keys(args)?, policy(args)?).map_err(context("configuration"))?;
    #[cfg(feature = "scan")]
    if let Some(path) = &args.image {
        let all_valid = verify_image(&verifier, path, args.decoder, args.at)?;
        return Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let all_valid = match args.text.as_deref() {
        None | Some("-") => verify_lines(&verifier, args.at)?,
        Some(text) => verify_one(&verifier, text.as_bytes(), args.at)?,
    };
    Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The `--issuer-key` keys, each with its issuer name.
fn trusted_keys(args: &VerifyArgs) -> Result<Vec<TrustedKey>, Fail> {
    args.issuer_keys
        .iter()
        .map(|spec| {
            let (name, path) = split_named_key(spec);
            let issuer = name.or(args.issuer.as_deref()).ok_or_else(|| {
                Fail(format!("--issuer-key {spec}: give the issuer as NAME={spec} or with --issuer NAME"))
            })?;
            TrustedKey::new(issuer, read_public_key(Path::new(path))?, KeyScope::AllTypes)
                .map_err(context(format!("--issuer-key {spec}")))
        })
        .collect()
}

/// Splits `NAME=PATH`. Without `=`, or when the part before it looks like a
/// path (holds a separator), the whole is a path: write `./a=b` for a file
/// named `a=b`.
fn split_named_key(spec: &str) -> (Option<&str>, &str) {
    match spec.split_once('=') {
        Some((name, path)) if !name.is_empty() && !name.contains(['/', '\\']) => (Some(name), path),
        _ => (None, spec),
    }
}

fn policy(args: &VerifyArgs) -> Result<Policy, Fail> {
    let mut policy = Policy::default();
    if let Some(skew) = args.skew {
        policy = policy.clock_skew(skew).map_err(context("--skew"))?;
    }
    if let Some(challenge) = args.challenge {
        policy = policy.challenge(challenge).map_err(context("--challenge"))?;
    }
    if let Some(profile) = args.profile {
        policy = policy.profile(profile);
    }
    let registry = Registry::builtin();
    for spec in &args.require {
        policy = policy.require(Requirement::parse(spec, &registry).map_err(context("--require"))?);
    }
    Ok(policy)
}

/// Verifies one text and prints its JSON line; true if valid.
fn verify_one(verifier: &Verifier, text: &[u8], at: Option<u64>) -> Result<bool, Fail> {
    let now = match at {
        Some(t) => t,
        None => now()?,
    };
    let result = verifier.verify(text, now);
    print_json(&match &result {
        Ok(valid) => verified_json(valid),
        Err(error) => rejected_json(error),
    })?;
    Ok(result.is_ok())
}

/// Scans an image and verifies each code found; true if there was one and all were valid.
#[cfg(feature = "scan")]
fn verify_image(
    verifier: &Verifier,
    path: &Path,
    decoder: nocard::scan::Decoder,
    at: Option<u64>,
) -> Result<bool, Fail> {
    let texts = nocard::scan::Scanner::new(decoder)
        .scan_image_file(path)
        .map_err(context(&format!("cannot scan {}", path.display())))?;
    if texts.is_empty() {
        print_json(&json!({"valid": false, "error": "no_code", "message": "no nocard code found in the image"}))?;
        return Ok(false);
    }
    let mut all_valid = true;
    for text in texts {
        all_valid &= verify_one(verifier, text.as_bytes(), at)?;
    }
    Ok(all_valid)
}

/// The scanner loop: verifies every non-empty stdin line; true if all valid.
fn verify_lines(verifier: &Verifier, at: Option<u64>) -> Result<bool, Fail> {
    let mut input = io::stdin().lock();
    let mut line = Vec::new();
    let mut all_valid = true;
    loop {
        line.clear();
        if !read_line_capped(&mut input, &mut line).map_err(context("cannot read stdin"))? {
            return Ok(all_valid);
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if !text.is_empty() {
            all_valid &= verify_one(verifier, text, at)?;
        }
    }
}

/// Reads one line, newline included, keeping at most [`MAX_LINE`] bytes of
/// it and skipping the rest. False at end of input.
fn read_line_capped(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    let mut read_any = false;
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(read_any);
        }
        read_any = true;
        let newline = chunk.iter().position(|&b| b == b'\n');
        let used = newline.map_or(chunk.len(), |i| i + 1);
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..used.min(room)]);
        input.consume(used);
        if newline.is_some() {
            return Ok(true);
        }
    }
}

/// The JSON line for a valid presentation.
fn verified_json(v: &Verified) -> Json {
    json!({
        "valid": true,
        "doc_type": v.doc_type,
        "doc_title": v.doc_title,
        "issuer": v.issuer,
        "key_id": v.key_id.to_string(),
        "issuer_alg": v.issuer_algorithm.name(),
        "device_alg": v.device_algorithm.name(),
        "not_before": v.not_before,
        "expires": v.expires,
        "window_start": v.window.start(),
        "window_end": v.window.end(),
        "challenge": v.challenge,
        "audience": v.audience,
        "status": v.status.map(|s| json!({"list": s.list, "index": s.index})),
        "claims": claims_to_json(&v.claims),
    })
}

/// The JSON line for a rejected presentation.
fn rejected_json(error: &Error) -> Json {
    let (detail, offset) = match error {
        Error::Malformed(m) => (Some(m.kind.code()), Some(m.offset)),
        _ => (None, None),
    };
    json!({
        "valid": false,
        "error": error.code(),
        "detail": detail,
        "offset": offset,
        "message": error.to_string(),
    })
}

// ---------------------------------------------------------------------------
// doctypes
// ---------------------------------------------------------------------------

fn doctypes(args: &DoctypesArgs) -> CmdResult {
    let json = match &args.example {
        Some(name) => claims_to_json(&doc_type(name)?.example_claims()),
        None => Registry::builtin().types().iter().map(doc_type_json).collect(),
    };
    print_json_pretty(&json)?;
    Ok(ExitCode::SUCCESS)
}

fn doc_type_json(doc: &DocType) -> Json {
    let code = match doc.id() {
        DocTypeId::Code(code) => Some(code),
        DocTypeId::Name(_) => None,
    };
    let kind = match doc.kind() {
        DocKind::Card => "card",
        DocKind::Proof => "proof",
    };
    json!({
        "name": doc.name(),
        "code": code,
        "title": doc.title(),
        "kind": kind,
        "claims": doc.claims().iter().map(claim_def_json).collect::<Json>(),
    })
}

/// `{code, name, type}`, plus `derived` for issuer-computed claims and
/// `fields` for records.
fn claim_def_json(def: &ClaimDef) -> Json {
    let mut object = Map::new();
    object.insert("code".into(), json!(def.code));
    object.insert("name".into(), json!(def.name));
    object.insert("type".into(), json!(def.ty.name()));
    if let Some(derivation) = def.derived {
        let derived = match derivation {
            Derivation::AgeOver(years) => json!({"age_over": years}),
            other => json!(format!("{other:?}")),
        };
        object.insert("derived".into(), derived);
    }
    if let ClaimType::Records(fields) = &def.ty {
        object.insert("fields".into(), fields.iter().map(claim_def_json).collect());
    }
    Json::Object(object)
}

// ---------------------------------------------------------------------------
// inspect
// ---------------------------------------------------------------------------

fn inspect(args: &InspectArgs) -> CmdResult {
    let input = match args.text.as_deref() {
        None | Some("-") => read_stdin()?,
        Some(text) => text.as_bytes().to_vec(),
    };
    // No trimming: base45 may end in a space; `decode` drops trailing CR/LF.
    let text = input.as_slice();
    let Some(kind) = text::kind_of(text) else {
        return undecodable("not nocard text: expected an NC1: or NCC1: prefix");
    };
    let bytes = match text::decode(kind, text) {
        Ok(bytes) => bytes,
        Err(e) => return undecodable(&format!("{} ({})", e, e.code())),
    };
    let Some(cbor) = decode_cbor(&bytes) else {
        return undecodable("the decoded bytes are not one CBOR item");
    };
    print_json_pretty(&json!({
        "verified": false,
        "warning": "decoded only: no signature, key, time or policy was checked, so nothing here can be trusted; use `nocard verify`",
        "kind": match kind {
            TextKind::Presentation => "presentation",
            TextKind::Credential => "credential",
        },
        "bytes": bytes.len(),
        "cbor": cbor_to_json(&cbor, 0),
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// Reports input `inspect` cannot decode: message on stderr, exit status 1.
fn undecodable(message: &str) -> CmdResult {
    let _ = writeln!(io::stderr(), "nocard: {message}");
    Ok(ExitCode::from(1))
}

/// `bytes` as exactly one CBOR item, nested at most [`CBOR_RECURSION_LIMIT`] deep.
fn decode_cbor(bytes: &[u8]) -> Option<ciborium::Value> {
    let mut rest = bytes;
    let value = ciborium::de::from_reader_with_recursion_limit(&mut rest, CBOR_RECURSION_LIMIT).ok()?;
    rest.is_empty().then_some(value)
}

/// Generic CBOR to JSON. Byte strings that are themselves a CBOR array or map
/// (payloads, protected headers, disclosures) are shown decoded, at most
/// [`MAX_NESTED_CBOR`] levels deep.
fn cbor_to_json(value: &ciborium::Value, depth: usize) -> Json {
    use ciborium::Value as Cbor;
    match value {
        Cbor::Integer(i) => integer_json(i128::from(*i)),
        Cbor::Bytes(b) => {
            let nested = (depth < MAX_NESTED_CBOR)
                .then(|| decode_cbor(b))
                .flatten()
                .filter(|v| matches!(v, Cbor::Array(_) | Cbor::Map(_)));
            match nested {
                Some(inner) => json!({"bstr_cbor": cbor_to_json(&inner, depth + 1)}),
                None => json!({"bstr": hex_encode(b)}),
            }
        }
        Cbor::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Cbor::Text(t) => json!(t),
        Cbor::Bool(b) => json!(b),
        Cbor::Null => Json::Null,
        Cbor::Tag(tag, inner) => json!({"tag": tag, "value": cbor_to_json(inner, depth)}),
        Cbor::Array(items) => items.iter().map(|v| cbor_to_json(v, depth)).collect(),
        Cbor::Map(entries) => {
            Json::Object(entries.iter().map(|(k, v)| (map_key(k, depth), cbor_to_json(v, depth))).collect())
        }
        _ => Json::Null,
    }
}

/// A CBOR integer as a JSON number, or as a string beyond 64 bits.
fn integer_json(i: i128) -> Json {
    if let Ok(n) = i64::try_from(i) {
        json!(n)
    } else if let Ok(n) = u64::try_from(i) {
        json!(n)
    } else {
        json!(i.to_string())
    }
}

/// A CBOR map key as a JSON object key: integers in decimal, text as is.
fn map_key(key: &ciborium::Value, depth: usize) -> String {
    match key {
        ciborium::Value::Integer(i) => i128::from(*i).to_string(),
        ciborium::Value::Text(t) => t.clone(),
        other => cbor_to_json(other, depth).to_string(),
    }
}

// ---------------------------------------------------------------------------
// demo
// ---------------------------------------------------------------------------

fn demo(args: &DemoArgs) -> CmdResult {
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
        print!("\x1b[2J\x1b[H");
        println!("nocard live code for {} (hotel_check_in); Ctrl-C ends it", seen.doc_title);
        println!(
            "window {} .. {}, next frame at {}, {} characters, QR version {}",
            frame.window.start(),
            frame.window.end(),
            frame.redraw_at,
            frame.text.len(),
            frame.matrix.version()
        );
        print_line(&frame.matrix.to_terminal())?;
        let wait = frame.redraw_at.saturating_sub(now).max(1);
        std::thread::sleep(std::time::Duration::from_secs(wait));
    }
}

/// What the front desk sees, the sizes, and the QR code.
fn front_desk_report(v: &Verified, presentation_bytes: usize, text: &str, qr: &QrMatrix) -> String {
    let mut lines = vec![
        "nocard demo".to_owned(),
        String::new(),
        "Front desk sees (hotel_check_in, verified offline):".to_owned(),
        format!("  document:   {}", v.doc_title),
        format!("  issuer:     {} (key {}, {})", v.issuer, v.key_id, v.issuer_algorithm),
    ];
    for claim in &v.claims {
        lines.push(format!("  {:<11} {}", format!("{}:", claim.name), plain(&value_to_json(&claim.value))));
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
    use super::*;

    /// A custom type with every claim type, records included (no built-in
    /// type in this build has records).
    fn household() -> DocType {
        const MEMBER: &[ClaimDef] = &[
            ClaimDef::new(1, "name", ClaimType::Text),
            ClaimDef::new(2, "relation", ClaimType::Text),
            ClaimDef::new(3, "birth_date", ClaimType::Date),
        ];
        let claims = vec![
            ClaimDef::new(1, "head", ClaimType::Text),
            ClaimDef::new(2, "birth_date", ClaimType::Date),
            ClaimDef::new(3, "size", ClaimType::Integer),
            ClaimDef::new(4, "urban", ClaimType::Bool),
            ClaimDef::new(5, "seal", ClaimType::Bytes),
            ClaimDef::new(6, "members", ClaimType::Records(MEMBER.into())),
        ];
        DocType::custom("test.household", "Household", DocKind::Proof, claims).unwrap()
    }

    #[test]
    fn claims_json_round_trips_every_type() {
        let json = json!({
            "head": "王小明",
            "birth_date": "1990-05-17",
            "size": -2,
            "urban": true,
            "seal": "00ff10ab",
            "members": [
                {"name": "王小明", "relation": "户主", "birth_date": "1990-05-17"},
                {"name": "李红", "relation": "配偶"},
            ],
        });
        let claims = claims_from_json(&household(), &json).unwrap();
        assert_eq!(claims_to_json(&claims), json);
    }

    #[test]
    fn claims_json_refuses_wrong_shapes() {
        let doc = household();
        for bad in [
            json!({"size": 1.5}),
            json!({"seal": "0"}),
            json!({"seal": "zz"}),
            json!({"members": [{"nope": "x"}]}),
            json!({"members": {"name": "x"}}),
            json!({"birth_date": "17.05.1990"}),
            json!("head"),
        ] {
            assert!(claims_from_json(&doc, &bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn named_keys_split_only_before_a_path() {
        assert_eq!(split_named_key("NBPSB=keys/a.pub"), (Some("NBPSB"), "keys/a.pub"));
        assert_eq!(split_named_key("keys/a=b.pub"), (None, "keys/a=b.pub"));
        assert_eq!(split_named_key("./a=b"), (None, "./a=b"));
        assert_eq!(split_named_key("=a"), (None, "=a"));
        assert_eq!(split_named_key("a.pub"), (None, "a.pub"));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex_encode(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00ABff"), Some(vec![0x00, 0xab, 0xff]));
        assert_eq!(hex_decode("0g"), None);
    }
}
