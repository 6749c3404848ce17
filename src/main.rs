//! `nocard`: make keys, issue credentials, show and check presentations.
//!
//! Exit status: 0 on success (for `verify`, every presentation valid); 1 when
//! `verify` rejected a presentation, `code check` refused a code or `inspect`
//! could not decode its input; 2 on a usage or I/O error, explained on stderr.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::{
    Fail, code, copy, delegate, demo, doctypes, inspect, issue, keygen, log, present, receipt, schema, status, trust,
    verify,
};

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
    Keygen(keygen::Args),
    /// Issue a credential bundle (NCC1: text) to a holder's device key.
    Issue(issue::Args),
    /// Sign a presentation (NC1: text, what the QR code carries).
    Present(present::Args),
    /// Verify presentations offline; prints one JSON line per presentation.
    ///
    /// Exit status 0 when every presentation is valid, 1 when one was
    /// rejected or there was no code at all, 2 on a usage or I/O error
    /// (every setting is checked before any input is read). Reading stdin
    /// (TEXT `-` or no TEXT), every line that is not blank is verified and
    /// the loop goes on after a bad one: the front-desk scanner-gun mode.
    ///
    /// A hotel desk:
    ///   nocard verify --issuer-key NBPSB:resident_id_card,residence_permit=bureau.pub \
    ///     --profile hotel_check_in --audience hotel-42 -
    #[command(verbatim_doc_comment)]
    Verify(Box<verify::Args>),
    /// List the document types and their claims as JSON.
    Doctypes(doctypes::Args),
    /// Sign and show trust lists: the issuer keys scanners trust, signed by a root key.
    Trust(trust::Args),
    /// Build, update and show signed status lists: which credentials an issuer revoked or suspended.
    Status(status::Args),
    /// The 8-digit numeric check code: show the holder's, check one at the back office.
    ///
    /// For when no QR can be scanned: the holder reads the code out, the
    /// issuer's back office checks it online (SPEC.md §12). `code check`
    /// exits 0 when the code is accepted, 1 when it is refused, 2 on a usage
    /// or I/O error.
    Code(code::Args),
    /// Delegation: a citizen lets another act for them in one matter.
    ///
    /// `delegate sign` (the delegator's wallet, NCD1: text), `delegate act`
    /// (the delegate's wallet: the delegation with their own presentation,
    /// NCA1: text), `delegate verify` (the desk: exit 0 when valid, 1 when
    /// refused). SPEC.md §17.
    Delegate(delegate::DelegateArgs),
    /// Consent: a yes or no to one request, signed by the holder's wallet.
    ///
    /// `consent sign` (NCK1: text), `consent verify` (exit 0 when valid,
    /// yes or no, 1 when refused). SPEC.md §17.
    Consent(delegate::ConsentArgs),
    /// The kiosk JSON Schemas: one per document type, for `verify`'s output.
    ///
    /// `schema check` exits 1 when a schema is missing, stale, or changed
    /// without a version bump.
    Schema(schema::Args),
    /// Check a desk's verification receipt offline (SPEC.md §15).
    ///
    /// `nocard verify --receipt-key` writes receipts; `receipt verify` exits
    /// 0 when one verifies, 1 when it is refused, 2 on a usage or I/O error.
    Receipt(receipt::Args),
    /// Print a copy of a verified card from the desk's receipt (SPEC.md §18).
    ///
    /// SVG or PDF, card size or A4, with a watermark naming the purpose, the
    /// desk and the time, and the receipt's QR code on the back. Exit status
    /// 0 when written, 1 when the receipt or its fields are refused, 2 on a
    /// usage or I/O error.
    Copy(copy::Args),
    /// The visitor log: append receipts, checkpoint, verify, export, purge (SPEC.md §15).
    ///
    /// `log verify` and `log export` exit 1 when the log is refused.
    Log(log::Args),
    /// Decode an NC1:, NCC1: or NCP1: text to JSON WITHOUT verifying anything.
    ///
    /// Exit status 1 when the text cannot be decoded.
    Inspect(inspect::Args),
    /// Issue, present and verify a resident ID card with throwaway keys.
    ///
    /// Needs no files and no input. Prints what a front desk sees, the sizes
    /// and the QR code, then (on a terminal) keeps showing the rotating code,
    /// redrawn each window until Ctrl-C. With `--once`, or when stdout is not
    /// a terminal, it prints one frame and exits.
    Demo(demo::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keygen(args) => keygen::run(&args),
        Command::Issue(args) => issue::run(&args),
        Command::Present(args) => present::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Doctypes(args) => doctypes::run(&args),
        Command::Trust(args) => trust::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Code(args) => code::run(&args),
        Command::Delegate(args) => delegate::run_delegate(&args),
        Command::Consent(args) => delegate::run_consent(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Receipt(args) => receipt::run(&args),
        Command::Copy(args) => copy::run(&args),
        Command::Log(args) => log::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Demo(args) => demo::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(Fail::StdoutClosed) => ExitCode::SUCCESS,
        Err(Fail::Message(message)) => {
            // Nothing more to do if stderr is gone too.
            let _ = writeln!(io::stderr(), "nocard: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks its argument definitions only when they are first used in
    /// a debug build; this checks every command under the features built.
    #[test]
    fn command_line_definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
