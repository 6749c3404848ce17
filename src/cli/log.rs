//! `nocard log`: the visitor log of a factory gate or an event (SPEC.md
//! §15.5-15.8): append receipts, seal them with checkpoints, verify,
//! export to CSV or JSON, purge old records under a signed checkpoint.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use serde_json::{Value as Json, json};

use nocard::document::Registry;
use nocard::keys::{PublicKey, SecretKey};
use nocard::visitor_log::file::{LogFile, LogFileError};
use nocard::visitor_log::{LogEntry, LogReport, verify};

use super::claims_json::hex_encode;
use super::files::{read_file, read_secret_key};
use super::output::{display_safe, print_json, print_json_pretty, print_line};
use super::receipt::{read_desk_keys, receipt_json};
use super::{CmdResult, Fail, context, now};

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The desk's secret key and any older desk public keys.
#[derive(ClapArgs)]
struct Desk {
    /// The visitor log file (created by the first append).
    #[arg(long, value_name = "FILE")]
    log: PathBuf,
    /// The desk's secret key: it signs checkpoints, and its public key is
    /// trusted for the log's receipts and checkpoints.
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// Also trust this desk public key (one the desk had before; repeatable).
    #[arg(long = "desk-key", value_name = "PUB")]
    desk_keys: Vec<PathBuf>,
    /// Clock reading, Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    at: Option<u64>,
}

/// An auditor's view: the log and the desk keys trusted for it.
#[derive(ClapArgs)]
struct Audit {
    /// The visitor log file.
    #[arg(long, value_name = "FILE")]
    log: PathBuf,
    /// A desk public key trusted for the log's receipts and checkpoints
    /// (repeatable; no default).
    #[arg(long = "desk-key", value_name = "PUB", required = true)]
    desk_keys: Vec<PathBuf>,
    /// A seq the log is known to have reached (from an earlier verify):
    /// a log that ends before it is `log_truncated`.
    #[arg(long, value_name = "SEQ")]
    known_head: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Append a receipt (`nocard verify --receipt-out`), checked first
    /// against the desk keys; prints its seq. A torn last record left by a
    /// crash is cut off first.
    Append {
        #[command(flatten)]
        desk: Desk,
        /// The receipt file.
        #[arg(value_name = "RECEIPT")]
        receipt: PathBuf,
    },
    /// Append a checkpoint signed by the desk key over the chain's head and
    /// where the log starts; prints its seq.
    Checkpoint {
        #[command(flatten)]
        desk: Desk,
    },
    /// Verify the whole log; prints one JSON line. Exit status 0 when it
    /// verifies (a torn last record is reported, not refused), 1 when it is
    /// refused (`log_entry_edited`, `log_entry_deleted`,
    /// `log_entry_reordered`, `log_purge_unsigned`, `log_truncated`, ...).
    Verify {
        #[command(flatten)]
        audit: Audit,
    },
    /// Verify the log, then print its receipts as CSV or JSON.
    Export {
        #[command(flatten)]
        audit: Audit,
        /// Output format.
        #[arg(long, value_name = "FORMAT")]
        format: ExportFormat,
    },
    /// Drop the records appended more than DAYS days ago and seal the rest
    /// with a checkpoint stating where the log now starts (the file is
    /// replaced atomically); prints how many were dropped.
    Purge {
        #[command(flatten)]
        desk: Desk,
        /// Keep the records of the last DAYS days.
        #[arg(long, value_name = "DAYS")]
        older_than_days: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One header line, then one line per receipt.
    Csv,
    /// An array of receipts.
    Json,
}

pub fn run(args: &Args) -> CmdResult {
    let registry = Registry::builtin();
    match &args.command {
        Command::Append { desk, receipt } => {
            let (_, keys, at) = desk.open()?;
            let receipt = read_file(receipt)?;
            let seq = LogFile::new(&desk.log, &keys, &registry).append(&receipt, at).map_err(failed(&desk.log))?;
            print_json(&json!({"appended": seq}))?;
        }
        Command::Checkpoint { desk } => {
            let (key, keys, at) = desk.open()?;
            let seq = LogFile::new(&desk.log, &keys, &registry).checkpoint(&key, at).map_err(failed(&desk.log))?;
            print_json(&json!({"checkpoint": seq}))?;
        }
        Command::Purge { desk, older_than_days } => {
            let (key, keys, at) = desk.open()?;
            let cutoff = at.saturating_sub(older_than_days.saturating_mul(86_400));
            let dropped =
                LogFile::new(&desk.log, &keys, &registry).purge(&key, cutoff, at).map_err(failed(&desk.log))?;
            print_json(&json!({"dropped": dropped, "cutoff": cutoff}))?;
        }
        Command::Verify { audit } => {
            return match audit.verify(&registry)? {
                Ok(report) => {
                    print_json(&report_json(&report))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(refused) => {
                    print_json(&refused)?;
                    Ok(ExitCode::from(1))
                }
            };
        }
        Command::Export { audit, format } => {
            let report = match audit.verify(&registry)? {
                Ok(report) => report,
                Err(refused) => {
                    print_json(&refused)?;
                    return Ok(ExitCode::from(1));
                }
            };
            match format {
                ExportFormat::Json => print_json_pretty(&Json::Array(report.entries.iter().map(entry_json).collect()))?,
                ExportFormat::Csv => {
                    print_line(CSV_HEADER)?;
                    for entry in &report.entries {
                        print_line(&csv_line(entry))?;
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

impl Desk {
    /// The desk's key, the keys trusted for the log, and the clock.
    fn open(&self) -> Result<(SecretKey, Vec<PublicKey>, u64), Fail> {
        let key = read_secret_key(&self.key)?;
        let mut keys = read_desk_keys(&self.desk_keys)?;
        keys.push(key.public_key().clone());
        let at = match self.at {
            Some(t) => t,
            None => now()?,
        };
        Ok((key, keys, at))
    }
}

impl Audit {
    /// The report, or the refusal as a JSON line; I/O and key errors stop.
    fn verify(&self, registry: &Registry) -> Result<Result<LogReport, Json>, Fail> {
        let keys = read_desk_keys(&self.desk_keys)?;
        let bytes = read_file(&self.log)?;
        Ok(verify(&bytes, &keys, registry, self.known_head)
            .map_err(|error| json!({"valid": false, "error": error.code(), "message": error.to_string()})))
    }
}

/// A refused log operation: the log's or receipt's code and message.
fn failed(path: &Path) -> impl FnOnce(LogFileError) -> Fail + '_ {
    move |error| match error {
        LogFileError::Io(e) => context(path.display())(e),
        other => Fail::Message(format!("{}: {} ({})", path.display(), other, other.code())),
    }
}

fn report_json(report: &LogReport) -> Json {
    json!({
        "valid": true,
        "entries": report.entries.len(),
        "first_seq": report.start.0,
        "next_seq": report.head.next_seq,
        "head_hash": hex_encode(&report.head.hash),
        "checkpoints": report.checkpoints,
        "unsealed": report.unsealed,
        "torn_tail": report.torn_tail.map(|t| json!({"offset": t.offset, "len": t.len})),
    })
}

fn entry_json(entry: &LogEntry) -> Json {
    let mut json = receipt_json(&entry.receipt);
    if let Some(object) = json.as_object_mut() {
        object.remove("valid");
    }
    json!({"seq": entry.seq, "appended": entry.time, "receipt": json})
}

const CSV_HEADER: &str =
    "seq,appended,time,unit,desk_key_id,doc_type,issuer,issuer_key_id,presentation_id,purpose,fields";

/// One CSV line (RFC 4180): the receipt's fields as one JSON column.
fn csv_line(entry: &LogEntry) -> String {
    let r = &entry.receipt;
    let fields = receipt_json(r)["fields"].to_string();
    let columns = [
        entry.seq.to_string(),
        entry.time.to_string(),
        r.time.to_string(),
        r.unit.clone(),
        r.desk_key_id.to_string(),
        r.doc_type.clone(),
        r.issuer.clone(),
        r.issuer_key_id.to_string(),
        hex_encode(&r.presentation_id),
        r.purpose.map(|p| p.name().to_string()).unwrap_or_default(),
        fields,
    ];
    columns.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",")
}

/// A CSV field: quoted when it holds a comma, quote or line break, and
/// hidden characters written as escapes, as everything nocard prints.
fn csv_field(text: &str) -> String {
    let text = display_safe(text);
    if text.contains([',', '"']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}
