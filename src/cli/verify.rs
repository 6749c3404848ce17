//! `nocard verify`: check presentations offline, one JSON line each.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args as ClapArgs;
use serde_json::{Value as Json, json};

use nocard::document::{Profile, Registry};
use nocard::error::{ConfigError, Error};
use nocard::keys::SecretKey;
use nocard::receipt::{MAX_UNIT_LEN, Minimise, Receipt};
use nocard::replay::ReplayCache;
use nocard::state_file::write_atomically;
use nocard::status_list::{MissingList, StatusCheck, StatusError, StatusStore};
use nocard::trust_list::{StaleList, TrustList};
use nocard::verify::{KeyScope, Policy, Requirement, TrustedKey, Verified, Verifier};
use nocard::visitor_log::file::LogFile;

use super::claims_json::{claims_to_json, hex_encode};
use super::files::{read_group_secret_key, read_public_key, read_secret_key};
use super::output::print_json;
use super::portrait::{self, Reception};
use super::receipt::FieldsArg;
use super::schema::built_schema_id;
use super::status::{decided_by, load_store};
use super::{CmdResult, Fail, context, now, parse_profile};

/// Longest stdin line `verify` keeps; longer lines are cut here and then
/// rejected as `too_large` (no presentation text exceeds 4296 characters).
const MAX_LINE: usize = 8192;

#[derive(ClapArgs)]
pub struct Args {
    /// A trusted issuer public key and the document types it may sign:
    /// NAME:TYPE[,TYPE...]=PUB, or NAME:*=PUB for every type (see `nocard
    /// doctypes`). Repeat for several keys; the same key may be given only
    /// once. A bare PUB takes its NAME:TYPES from --issuer.
    #[arg(long = "issuer-key", value_name = "NAME:TYPES=PUB", required_unless_present_any = ["trust", "trust_state"])]
    issuer_keys: Vec<String>,
    /// Trust the issuer keys of this signed trust list (`nocard trust sign`),
    /// in addition to any --issuer-key; it must verify under a --trust-root.
    /// A list past its next update still verifies, flagged `"stale": true`.
    #[arg(long, value_name = "LIST", requires = "trust_root")]
    trust: Option<PathBuf>,
    /// A root public key the --trust list must be signed by (repeatable).
    #[arg(long, value_name = "PUB", requires = "trust")]
    trust_root: Vec<PathBuf>,
    /// Trust the issuer keys of the list held in this trust state file
    /// (`nocard trust update`), in addition to any --issuer-key.
    #[arg(long, value_name = "FILE", conflicts_with = "trust")]
    trust_state: Option<PathBuf>,
    /// Refuse every code (`trust_list_stale`) while the trust list is past
    /// its next update, instead of verifying it flagged `"stale": true`.
    #[arg(long)]
    refuse_stale: bool,
    /// Issuer and scope, NAME:TYPE[,TYPE...] or NAME:*, of the one
    /// --issuer-key given as a bare PUB.
    #[arg(long, value_name = "NAME:TYPES")]
    issuer: Option<String>,
    /// Clock reading, Unix seconds [default: now, read for each presentation].
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
    /// Require this challenge, 0-999999.
    #[arg(long, value_name = "N")]
    challenge: Option<u32>,
    /// Accept only the document types this scene's profile accepts, and
    /// require the claims it requires of each (`nocard doctypes --profiles`).
    #[arg(long, value_name = "NAME", value_parser = parse_profile)]
    profile: Option<Profile>,
    /// Require a claim: NAME must be disclosed (and, if a bool, true), or
    /// NAME=VALUE must be disclosed with exactly this value (bool
    /// true|false, integer, date YYYY-MM-DD, text as is, bytes as hex).
    /// Repeat for several.
    #[arg(long, value_name = "NAME[=VALUE]")]
    require: Vec<String>,
    /// Accept only codes addressed to this verifier (1-64 bytes). Without
    /// it, codes addressed to anyone are refused.
    #[arg(long, value_name = "TEXT")]
    audience: Option<String>,
    /// A scanner-group secret key (`nocard keygen --alg x25519|p256
    /// --group`) that opens codes sealed to the group (`NCS1:`); repeat for
    /// several groups, each key once.
    #[arg(long = "group-key", value_name = "GROUP.key")]
    group_keys: Vec<PathBuf>,
    /// Refuse plain `NC1:` codes (`seal_required`): only codes sealed to a
    /// --group-key are verified.
    #[arg(long, requires = "group_keys")]
    require_sealed: bool,
    /// Clock skew tolerated, seconds, at most 300 [default: 10].
    #[arg(long, value_name = "SECS")]
    skew: Option<u64>,
    /// Refuse a code already accepted in its window (`replayed`), remembering
    /// accepted codes in FILE across runs and reboots (created if absent,
    /// saved atomically after each accepted code; a damaged file is refused).
    #[arg(long, value_name = "FILE")]
    replay_db: Option<PathBuf>,
    /// Check each credential's revocation status against this signed status
    /// list (`nocard status build`); repeat for several lists. A valid
    /// result says which list decided: `"status_list": {"issuer", "list",
    /// "iat", "exp", "status"}`. A list that is not newer than one held,
    /// expired, altered or signed by no --issuer-key of its issuer stops the
    /// desk (exit 2).
    #[arg(long = "status", value_name = "FILE")]
    status: Vec<PathBuf>,
    /// Keep the status lists taken in FILE across runs (created if absent,
    /// saved atomically when a newer list is taken), so that a restarted
    /// desk refuses an older list than it had; a damaged file is refused.
    #[arg(long, value_name = "FILE")]
    status_db: Option<PathBuf>,
    /// Accept a credential whose status list the desk does not hold,
    /// flagged `"status_list": {"list", "missing": true}`; without it such a
    /// credential is `status_list_missing`.
    #[arg(long)]
    accept_missing_status: bool,
    /// How many live codes --replay-db remembers, 1-1048576; when full, new
    /// codes are refused (`replay_cache_full`) until old windows pass.
    #[arg(long, value_name = "N", default_value_t = 100_000, requires = "replay_db")]
    replay_capacity: usize,
    /// Sign a receipt for each accepted code with this desk secret key
    /// (SPEC.md §15.1), naming the desk --unit and the --profile; needs
    /// --receipt-fields, and --receipt-out or --log (or both).
    #[arg(long, value_name = "KEY", requires_all = ["unit", "receipt_fields"])]
    receipt_key: Option<PathBuf>,
    /// The desk's unit id in its receipts (1-64 bytes), e.g. hotel:NB-0042.
    #[arg(long, value_name = "ID", requires = "receipt_key")]
    unit: Option<String>,
    /// What a receipt keeps of the disclosed fields: their values, or only
    /// their digests (no default: the desk's data-minimisation policy).
    #[arg(long, value_name = "WHAT", requires = "receipt_key")]
    receipt_fields: Option<FieldsArg>,
    /// Where the receipt of the accepted code goes (written atomically).
    /// Takes one code: TEXT, not stdin.
    #[arg(long, value_name = "FILE", requires = "receipt_key")]
    receipt_out: Option<PathBuf>,
    /// Append the receipt of each accepted code to this visitor log
    /// (SPEC.md §15.5; created if absent), before the code is reported
    /// valid. A log that does not verify stops the desk.
    #[arg(long, value_name = "FILE", requires = "receipt_key")]
    log: Option<PathBuf>,
    /// After verifying TEXT, receive the portrait from the frame texts in
    /// this directory (its .txt files in name order, as `nocard present
    /// --portrait --frames` writes them). On stdin, NCP1: lines are
    /// received without it: each after the last valid presentation.
    #[arg(long, value_name = "DIR")]
    frames: Option<PathBuf>,
    /// Write the received portrait here once its SHA-256 matches the
    /// presentation's signed photo_digest.
    #[arg(long, value_name = "FILE")]
    portrait_out: Option<PathBuf>,
    /// The NC1: text; `-` or nothing reads stdin, one presentation (or
    /// portrait frame) a line.
    #[arg(value_name = "TEXT")]
    #[cfg_attr(feature = "scan", arg(conflicts_with = "image"))]
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

pub fn run(args: &Args) -> CmdResult {
    // Every setting is checked here, before any input is read.
    let mut keys = trusted_keys(args)?;
    let trust_list = match (&args.trust, &args.trust_state) {
        (Some(list), _) => Some(super::trust::load(list, &args.trust_root)?),
        (None, Some(state)) => super::trust::open_state(state)?.current().cloned(),
        (None, None) if args.refuse_stale => {
            return Err(Fail::Message("--refuse-stale needs a trust list: --trust or --trust-state".into()));
        }
        (None, None) => None,
    };
    if let Some(list) = &trust_list {
        keys.extend(list.trusted_keys().map_err(context("the trust list"))?);
    }
    let stale = if args.refuse_stale { StaleList::Refuse } else { StaleList::Accept };
    let group_keys = args.group_keys.iter().map(|path| read_group_secret_key(path)).collect::<Result<_, _>>()?;
    let verifier = Verifier::with_group_keys(Registry::builtin(), keys, group_keys, policy(args)?)
        .map_err(refused_configuration)?;
    let status = if args.status.is_empty() && args.status_db.is_none() {
        if args.accept_missing_status {
            return Err(Fail::Message("--accept-missing-status needs --status or --status-db".into()));
        }
        None
    } else {
        let missing = if args.accept_missing_status { MissingList::AcceptAndFlag } else { MissingList::Refuse };
        let now = match args.at {
            Some(t) => t,
            None => now()?,
        };
        Some(load_store(verifier.keys(), &args.status, args.status_db.as_deref(), missing, now)?)
    };
    let replay = match &args.replay_db {
        Some(path) => Some(Replay::open(path, args.replay_capacity)?),
        None => None,
    };
    let receipts = match &args.receipt_key {
        Some(key) => Some(ReceiptDesk::open(args, key)?),
        None => None,
    };
    let portrait = Reception::new(args.portrait_out.clone());
    let trust_list = trust_list.map(|list| (list, stale));
    let mut desk = Desk { verifier, status, replay, trust_list, receipts, portrait };
    let mut verdict = Verdict::default();
    let outcome = verify_input(args, &mut desk, &mut verdict);
    match outcome {
        // A reader that has gone away still gets a status that says whether
        // every code verified so far was valid.
        Ok(()) | Err(Fail::StdoutClosed) => Ok(verdict.exit_code()),
        Err(fail) => Err(fail),
    }
}

/// What a desk checks a code against: the verifier, the issuers' status
/// lists, then what it has already accepted.
struct Desk {
    verifier: Verifier,
    status: Option<StatusStore>,
    replay: Option<Replay>,
    /// The trust list the keys came from, reported with every valid code,
    /// and whether codes stand while it is stale.
    trust_list: Option<(TrustList, StaleList)>,
    /// Signs a receipt for each accepted code.
    receipts: Option<ReceiptDesk>,
    /// The portrait transfer after the last valid presentation.
    portrait: Reception,
}

/// The desk's receipt key and what its receipts say (SPEC.md §15.1).
struct ReceiptDesk {
    key: SecretKey,
    unit: String,
    purpose: Option<Profile>,
    minimise: Minimise,
    out: Option<PathBuf>,
    log: Option<PathBuf>,
}

impl ReceiptDesk {
    /// Checked with the other settings, before any code is read.
    fn open(args: &Args, key: &Path) -> Result<Self, Fail> {
        if args.receipt_out.is_some() && args.text.as_deref().is_none_or(|t| t == "-") {
            return Err(Fail::Message(
                "--receipt-out takes one code: give it as TEXT, not on stdin (or use --log)".into(),
            ));
        }
        // clap's `requires_all` has made sure these are set.
        let (Some(unit), Some(fields)) = (&args.unit, args.receipt_fields) else {
            return Err(Fail::Message("--receipt-key needs --unit and --receipt-fields".into()));
        };
        if args.receipt_out.is_none() && args.log.is_none() {
            return Err(Fail::Message("--receipt-key needs --receipt-out or --log".into()));
        }
        if unit.is_empty() || unit.len() > MAX_UNIT_LEN {
            return Err(Fail::Message(format!("--unit must be 1-{MAX_UNIT_LEN} bytes")));
        }
        let key = read_secret_key(key)?;
        let (out, log) = (args.receipt_out.clone(), args.log.clone());
        Ok(Self { key, unit: unit.clone(), purpose: args.profile, minimise: fields.into(), out, log })
    }

    /// Signs the receipt of `verified` and saves it, before the code is reported valid.
    fn record(&self, verified: &Verified, now: u64) -> Result<(), Fail> {
        let registry = Registry::builtin();
        let signed = Receipt::issue(verified, &registry, &self.key, &self.unit, now, self.purpose, self.minimise)
            .map_err(context("cannot sign the receipt"))?;
        if let Some(out) = &self.out {
            write_atomically(out, &signed.bytes).map_err(context(format!("cannot write {}", out.display())))?;
        }
        if let Some(log) = &self.log {
            let keys = [self.key.public_key().clone()];
            LogFile::new(log, &keys, &registry)
                .append(&signed.bytes, now)
                .map_err(|e| Fail::Message(format!("--log {}: {e} ({})", log.display(), e.code())))?;
        }
        Ok(())
    }
}

/// Why a desk refused a code, as one JSON line.
type Rejected = Json;

impl Desk {
    /// The verified result and what the status lists said, or the rejection.
    fn check(&mut self, text: &[u8], now: u64) -> Result<Result<(Verified, Option<Json>), Rejected>, Fail> {
        let verified = match self.verifier.verify(text, now) {
            Ok(verified) => verified,
            Err(error) => return Ok(Err(rejected_json(&error))),
        };
        // After the verifier (its errors come first, as in SPEC.md §10),
        // before the replay cache (a refused code is not remembered).
        if let Some(Err(error)) = self.trust_list.as_ref().map(|(list, stale)| list.check_fresh(now, *stale)) {
            return Ok(Err(rejected_json(&error)));
        }
        // Revocation before replay: a revoked code is not recorded as accepted.
        let status = match &self.status {
            Some(store) => match status_json(store, &verified, now) {
                Ok(json) => Some(json),
                Err(rejected) => return Ok(Err(rejected)),
            },
            None => None,
        };
        if let Some(replay) = &mut self.replay {
            if let Err(error) = replay.cache.admit(&verified, now) {
                return Ok(Err(rejected_json(&error)));
            }
            // Saved before the code is reported valid: a crash after the
            // report must not reopen its window.
            write_atomically(&replay.path, &replay.cache.to_bytes())
                .map_err(context(&format!("cannot save {}", replay.path.display())))?;
        }
        if let Some(receipts) = &self.receipts {
            receipts.record(&verified, now)?;
        }
        Ok(Ok((verified, status)))
    }
}

/// The `status_list` member of a valid result, or the rejection naming the
/// list that decided (SPEC.md §11.3).
fn status_json(store: &StatusStore, verified: &Verified, now: u64) -> Result<Json, Rejected> {
    match store.check(verified, now) {
        Ok(StatusCheck::Valid(token)) => Ok(decided_by(token, "valid")),
        Ok(StatusCheck::Unreferenced) => Ok(Json::Null),
        Ok(StatusCheck::Missing { list }) => Ok(json!({"issuer": verified.issuer, "list": list, "missing": true})),
        Err(error) => {
            let mut json = json!({
                "valid": false,
                "error": error.code(),
                "detail": null,
                "offset": null,
                "message": error.to_string(),
            });
            let held = verified.status.and_then(|s| store.get(&verified.issuer, s.list));
            if let Some(token) = held {
                let verdict = match &error {
                    StatusError::Revoked => "revoked",
                    StatusError::Suspended => "suspended",
                    StatusError::UnknownStatus(_) => "unknown",
                    _ => "none",
                };
                json["status_list"] = decided_by(token, verdict);
            }
            Err(json)
        }
    }
}

/// The replay cache and the file it lives in.
struct Replay {
    cache: ReplayCache,
    path: PathBuf,
}

impl Replay {
    /// Loads `path`, or starts empty if it does not exist. A file that
    /// exists but cannot be read as a cache stops the desk: starting empty
    /// would accept again every code it had seen.
    fn open(path: &Path, capacity: usize) -> Result<Self, Fail> {
        let cache = match std::fs::read(path) {
            Ok(bytes) => ReplayCache::from_bytes(&bytes)
                .map_err(|e| Fail::Message(format!("--replay-db {}: {e}", path.display())))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                ReplayCache::new(capacity).map_err(context("--replay-capacity"))?
            }
            Err(e) => return Err(Fail::Message(format!("cannot read {}: {e}", path.display()))),
        };
        Ok(Self { cache, path: path.to_owned() })
    }
}

/// What the codes seen so far add up to.
#[derive(Default)]
struct Verdict {
    /// A code was rejected, or there was none.
    failed: bool,
}

impl Verdict {
    /// 0 when every code was valid, 1 when one was rejected or there was none.
    fn exit_code(&self) -> ExitCode {
        if self.failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
    }
}

/// Verifies the codes of the TEXT argument, stdin or `--image`.
fn verify_input(args: &Args, desk: &mut Desk, verdict: &mut Verdict) -> Result<(), Fail> {
    #[cfg(feature = "scan")]
    if let Some(path) = &args.image {
        return verify_image(desk, path, args.decoder, args.at, verdict);
    }
    match args.text.as_deref() {
        None | Some("-") => verify_lines(desk, args.at, verdict)?,
        Some(text) if is_blank(text.as_bytes()) => no_code(NO_CODE_INPUT, verdict)?,
        Some(text) => verify_one(desk, text.as_bytes(), args.at, verdict)?,
    }
    if let Some(dir) = &args.frames {
        for text in portrait::frame_files(dir)? {
            receive_frame(desk, &text, verdict)?;
        }
    }
    match desk.portrait.finish() {
        Some(incomplete) => {
            verdict.failed = true;
            print_json(&incomplete)
        }
        None => Ok(()),
    }
}

/// Feeds one portrait frame and prints what it settled, if anything.
fn receive_frame(desk: &mut Desk, text: &[u8], verdict: &mut Verdict) -> Result<(), Fail> {
    let Some(line) = desk.portrait.feed(text)? else { return Ok(()) };
    verdict.failed |= line["valid"] == false;
    print_json(&line)
}

/// The verifier refused its settings as a whole (a key trusted twice, a
/// type or claim name no document has).
pub(super) fn refused_configuration(error: Error) -> Fail {
    let hint = match &error {
        Error::InvalidConfig(ConfigError::DuplicateKey(_)) => "; give each key once, with every type it may sign",
        Error::InvalidConfig(ConfigError::UnknownDocTypeName(_) | ConfigError::UnknownClaimName(_)) => {
            " (see `nocard doctypes` and `nocard doctypes --profiles`)"
        }
        _ => "",
    };
    Fail::Message(format!("{error}{hint}"))
}

/// How to write a trusted key, for usage errors.
const KEY_SYNTAX: &str =
    "write NAME:TYPE[,TYPE...]=PUB for the document types the key may sign, or NAME:*=PUB for every type";

/// The `--issuer-key` keys, each with its issuer and scope.
fn trusted_keys(args: &Args) -> Result<Vec<TrustedKey>, Fail> {
    issuer_keys(&args.issuer_keys, args.issuer.as_deref())
}

/// Reads `--issuer-key` specs, NAME:TYPES=PUB or a bare PUB whose
/// NAME:TYPES is `issuer` (`--issuer`).
pub(super) fn issuer_keys(specs: &[String], issuer: Option<&str>) -> Result<Vec<TrustedKey>, Fail> {
    let bare = specs.iter().filter(|spec| split_named_key(spec).0.is_none()).count();
    match (issuer, bare) {
        (Some(_), 0) => {
            return Err(Fail::Message("--issuer names the scope of a bare --issuer-key PUB; there is none".into()));
        }
        (Some(_), 2..) => {
            return Err(Fail::Message(format!("--issuer names one bare --issuer-key PUB, not {bare}: {KEY_SYNTAX}")));
        }
        _ => {}
    }
    let registry = Registry::builtin();
    specs
        .iter()
        .map(|spec| {
            let (named, path) = split_named_key(spec);
            let (issuer, scope) = match (named, issuer) {
                (Some(named), _) => {
                    split_scope(named).map_err(|e| Fail::Message(format!("--issuer-key {spec}: {e}")))?
                }
                (None, Some(issuer)) => {
                    split_scope(issuer).map_err(|e| Fail::Message(format!("--issuer {issuer}: {e}")))?
                }
                (None, None) => {
                    return Err(Fail::Message(format!("--issuer-key {spec}: no issuer and scope: {KEY_SYNTAX}")));
                }
            };
            let scope = match scope {
                "*" => KeyScope::AllTypes,
                types => {
                    let types: Vec<&str> = types.split(',').collect();
                    if let Some(unknown) = types.iter().find(|name| registry.by_name(name).is_none()) {
                        return Err(Fail::Message(format!(
                            "--issuer-key {spec}: unknown document type {unknown:?} (see `nocard doctypes`)"
                        )));
                    }
                    KeyScope::types(&types).map_err(context(format!("--issuer-key {spec}")))?
                }
            };
            TrustedKey::new(issuer, read_public_key(Path::new(path))?, scope)
                .map_err(context(format!("--issuer-key {spec}")))
        })
        .collect()
}

/// Splits `NAME:TYPES` at its last colon (an issuer name may hold one, a
/// type name never does); an empty TYPES is no scope.
fn split_scope(spec: &str) -> Result<(&str, &str), String> {
    spec.rsplit_once(':')
        .filter(|(_, scope)| !scope.is_empty())
        .ok_or_else(|| format!("the key needs a scope: {KEY_SYNTAX}"))
}

/// Splits `NAME:TYPES=PATH`. Without `=`, or when the part before it looks like a
/// path (holds a separator), the whole is a path: write `./a=b` for a file
/// named `a=b`.
fn split_named_key(spec: &str) -> (Option<&str>, &str) {
    match spec.split_once('=') {
        Some((name, path)) if !name.is_empty() && !name.contains(['/', '\\']) => (Some(name), path),
        _ => (None, spec),
    }
}

fn policy(args: &Args) -> Result<Policy, Fail> {
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
    if let Some(audience) = &args.audience {
        policy = policy.audience(audience).map_err(context("--audience"))?;
    }
    let registry = Registry::builtin();
    for spec in &args.require {
        let requirement = Requirement::parse(spec, &registry).map_err(context(format!("--require {spec}")))?;
        policy = policy.require(requirement);
    }
    if args.require_sealed {
        policy = policy.require_sealed();
    }
    Ok(policy)
}

/// Verifies one text and prints its JSON line.
fn verify_one(desk: &mut Desk, text: &[u8], at: Option<u64>, verdict: &mut Verdict) -> Result<(), Fail> {
    let now = match at {
        Some(t) => t,
        None => now()?,
    };
    let result = desk.check(text, now)?;
    if let Ok((valid, _)) = &result {
        desk.portrait.presented(valid);
    }
    // Counted before printing: a closed stdout must not hide a rejection.
    verdict.failed |= result.is_err();
    print_json(&match result {
        Ok((valid, status)) => {
            let mut json = verified_json(&valid);
            if let Some((list, _)) = &desk.trust_list {
                json["trust_list"] = json!({"sequence": list.sequence, "stale": list.is_stale(now)});
            }
            if let Some(status) = status {
                json["status_list"] = status;
            }
            json
        }
        Err(rejected) => rejected,
    })
}

/// Why there was no code on stdin or in TEXT.
const NO_CODE_INPUT: &str = "no code: the input was empty or only blank lines";

/// Reports that there was nothing to verify: a rejection, so that
/// `nocard verify - && open_gate` stays shut on an empty scan.
fn no_code(message: &str, verdict: &mut Verdict) -> Result<(), Fail> {
    verdict.failed = true;
    print_json(&json!({"valid": false, "error": "no_code", "message": message}))
}

/// Whether a line holds nothing but ASCII white space: no code, skipped.
fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

/// Scans an image and verifies each code found; `no_code` when there is none.
#[cfg(feature = "scan")]
fn verify_image(
    desk: &mut Desk,
    path: &Path,
    decoder: nocard::scan::Decoder,
    at: Option<u64>,
    verdict: &mut Verdict,
) -> Result<(), Fail> {
    let texts = nocard::scan::Scanner::new(decoder)
        .scan_image_file(path)
        .map_err(context(&format!("cannot scan {}", path.display())))?;
    if texts.is_empty() {
        return no_code("no nocard code found in the image", verdict);
    }
    for text in texts {
        verify_one(desk, text.as_bytes(), at, verdict)?;
    }
    Ok(())
}

/// The scanner loop: verifies every stdin line that is not blank; `no_code`
/// when every line was.
fn verify_lines(desk: &mut Desk, at: Option<u64>, verdict: &mut Verdict) -> Result<(), Fail> {
    let mut input = io::stdin().lock();
    let mut line = Vec::new();
    let mut any_code = false;
    loop {
        line.clear();
        if !read_line_capped(&mut input, &mut line).map_err(context("cannot read stdin"))? {
            return if any_code { Ok(()) } else { no_code(NO_CODE_INPUT, verdict) };
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if portrait::is_frame(text) {
            any_code = true;
            receive_frame(desk, text, verdict)?;
        } else if !is_blank(text) {
            any_code = true;
            verify_one(desk, text, at, verdict)?;
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
pub(super) fn verified_json(v: &Verified) -> Json {
    json!({
        "valid": true,
        "schema": built_schema_id(&v.doc_type),
        "doc_type": v.doc_type,
        "doc_title": v.doc_title,
        "issuer": v.issuer,
        "key_id": v.key_id.to_string(),
        "issuer_alg": v.issuer_algorithm.name(),
        "device_alg": v.device_algorithm.name(),
        "not_before": v.not_before,
        "expires": v.expires,
        "iat": v.issued_at,
        "cti": v.credential_id.as_deref().map(hex_encode),
        "window_start": v.window.start(),
        "window_end": v.window.end(),
        "challenge": v.challenge,
        "audience": v.audience,
        "presentation_id": hex_encode(&v.presentation_id),
        "sealed_to": v.sealed_to.map(|kid| kid.to_string()),
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
    let mut json = json!({
        "valid": false,
        "error": error.code(),
        "detail": detail,
        "offset": offset,
        "message": error.to_string(),
    });
    if let Error::Replayed { first_seen } = error {
        json["first_seen"] = json!(first_seen);
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_keys_split_only_before_a_path() {
        assert_eq!(split_named_key("NBPSB=keys/a.pub"), (Some("NBPSB"), "keys/a.pub"));
        assert_eq!(split_named_key("keys/a=b.pub"), (None, "keys/a=b.pub"));
        assert_eq!(split_named_key("./a=b"), (None, "./a=b"));
        assert_eq!(split_named_key("=a"), (None, "=a"));
        assert_eq!(split_named_key("a.pub"), (None, "a.pub"));
        assert_eq!(split_named_key("NBPSB:*=C:\\keys\\a=b.pub"), (Some("NBPSB:*"), "C:\\keys\\a=b.pub"));
    }

    #[test]
    fn scopes_split_at_the_last_colon() {
        assert_eq!(split_scope("NBPSB:*"), Ok(("NBPSB", "*")));
        assert_eq!(
            split_scope("CN:NBPSB:resident_id_card,residence_permit"),
            Ok(("CN:NBPSB", "resident_id_card,residence_permit"))
        );
        for unscoped in ["NBPSB", "NBPSB:", ""] {
            assert!(split_scope(unscoped).is_err(), "{unscoped:?}");
        }
    }
}
