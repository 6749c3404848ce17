//! Helpers shared by the end-to-end tests of the `nocard` binary
//! (tests/cli*.rs): a scratch directory, running the binary in it, and the
//! keys, credential and presentation most of those tests start from.
//!
//! Kept apart from tests/common/ (helpers of the vector tests, which run no
//! process and have no binary to run) and from tests/kiosk/ (the kiosk
//! schema check, which pulls in jsonschema).

// Each test binary compiles its own copy of this module and uses only some
// of it; what one binary leaves unused is not dead.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// 2026-11-23T08:00:00Z, the clock every presentation here is made and checked at.
pub const T: u64 = 1_795_420_800;
pub const DAY: u64 = 86_400;
/// The issuer every credential here is signed as.
pub const ISSUER: &str = "NBPSB";

/// A fresh directory under the system temp dir, removed on drop. It derefs
/// to its path, so `&dir` goes wherever a `&Path` does.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// `name` tells a binary's tests apart; the process id and a counter
    /// keep two binaries, or two uses of one name, from sharing a directory.
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("nocard-cli-{}-{name}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `nocard args` in `dir` with `stdin` as its input.
pub fn run_with_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nocard"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command refused at start-up exits without reading its input.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Runs `nocard args` in `dir` with empty input.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_with_stdin(dir, args, "")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Runs a command that must succeed and returns its stdout.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, args);
    assert_eq!(output.status.code(), Some(0), "nocard {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    stdout(&output)
}

/// Runs a command that must succeed and print one line; that line, without
/// its line break.
pub fn ok_line(dir: &Path, args: &[&str]) -> String {
    let text = ok(dir, args);
    assert_eq!(text.lines().count(), 1, "{text}");
    text.trim_end().to_owned()
}

pub fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Runs a command that prints one JSON line: exit status and the line.
pub fn json_run(dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = run(dir, args);
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "{out} {}", String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap(), json_of(&out))
}

/// Issuer key `iss.key`/`iss.pub` (Ed25519) and device key `dev.key`/`dev.pub` (P-256).
pub fn keys(dir: &Path) {
    ok(dir, &["keygen", "--alg", "ed25519", "--out", "iss.key", "--public-out", "iss.pub"]);
    ok(dir, &["keygen", "--alg", "p256", "--out", "dev.key", "--public-out", "dev.pub"]);
}

/// `doc_type`'s example claims, as `claims.json`.
pub fn example_claims(dir: &Path, doc_type: &str) {
    fs::write(dir.join("claims.json"), ok(dir, &["doctypes", "--example", doc_type])).unwrap();
}

/// What [`issue`] signs: by default a resident ID card of `claims.json`
/// held by `dev.pub`, valid from a day before [`T`] to a day after, written
/// to `cred.txt`.
pub struct Credential<'a> {
    pub doc_type: &'a str,
    pub claims: &'a str,
    pub holder: &'a str,
    pub expires: u64,
    pub out: &'a str,
    /// Further `issue` flags, such as a status list.
    pub extra: &'a [&'a str],
}

impl Default for Credential<'_> {
    fn default() -> Self {
        Self {
            doc_type: "resident_id_card",
            claims: "claims.json",
            holder: "dev.pub",
            expires: T + DAY,
            out: "cred.txt",
            extra: &[],
        }
    }
}

/// Issues `credential` as [`ISSUER`] with `iss.key`; its summary line.
pub fn issue(dir: &Path, credential: &Credential) -> Value {
    let (not_before, expires) = ((T - DAY).to_string(), credential.expires.to_string());
    let mut args = vec!["issue", "--issuer-key", "iss.key", "--issuer", ISSUER, "--doc-type", credential.doc_type];
    args.extend(["--claims", credential.claims, "--holder-key", credential.holder]);
    args.extend(["--not-before", &not_before, "--expires", &expires]);
    args.extend_from_slice(credential.extra);
    args.extend(["--out", credential.out]);
    let summary = json_of(&ok(dir, &args));
    assert_eq!(summary["doc_type"], credential.doc_type);
    // The bundle's salts and code secret are the holder's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(dir.join(credential.out)).unwrap().permissions().mode() & 0o777, 0o600);
    }
    summary
}

/// A presentation of `cred.txt` with `dev.key` at [`T`], with extra
/// `present` flags.
pub fn present(dir: &Path, extra: &[&str]) -> String {
    let at = T.to_string();
    let mut args = vec!["present", "--credential", "cred.txt", "--device-key", "dev.key", "--at", &at];
    args.extend_from_slice(extra);
    ok_line(dir, &args)
}

/// `nocard verify` of `text` at `at`, trusting `iss.pub` for every type of
/// [`ISSUER`]'s, with `extra` flags.
fn verify_args<'a>(text: &'a str, at: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", at];
    args.extend_from_slice(extra);
    args.push(text);
    args
}

/// Verifies `text` at `at` with `extra` flags: exit status, stdout, stderr.
pub fn verify_output(dir: &Path, text: &str, at: u64, extra: &[&str]) -> (i32, String, String) {
    let at = at.to_string();
    let output = run(dir, &verify_args(text, &at, extra));
    (output.status.code().unwrap(), stdout(&output), String::from_utf8(output.stderr).unwrap())
}

/// Verifies `text` at `at` with `extra` flags: exit status and the JSON line.
pub fn verify(dir: &Path, text: &str, at: u64, extra: &[&str]) -> (i32, Value) {
    let at = at.to_string();
    json_run(dir, &verify_args(text, &at, extra))
}
