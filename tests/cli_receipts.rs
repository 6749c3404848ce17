//! End-to-end tests of `nocard verify --receipt-key`, `nocard receipt` and
//! `nocard log`: exact JSON, errors and exit statuses.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

/// 2026-11-23T08:00:00Z, the clock every presentation here is made and checked at.
const T: u64 = 1_795_420_800;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nocard-cli-receipts-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nocard")).args(args).current_dir(dir).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, args);
    assert_eq!(output.status.code(), Some(0), "nocard {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Exit status and the one JSON line printed.
fn json_run(dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = run(dir, args);
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(out.lines().count(), 1, "{out} {}", String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap(), serde_json::from_str(&out).unwrap())
}

/// Keys (issuer, device, desk, a stranger desk), a resident ID card and a
/// hotel presentation at [`T`], returned as text.
fn setup(dir: &TempDir) -> String {
    let d = &dir.0;
    ok(d, &["keygen", "--alg", "ed25519", "--out", "iss.key", "--public-out", "iss.pub"]);
    ok(d, &["keygen", "--alg", "p256", "--out", "dev.key", "--public-out", "dev.pub"]);
    ok(d, &["keygen", "--alg", "ed25519", "--out", "desk.key", "--public-out", "desk.pub"]);
    ok(d, &["keygen", "--alg", "p256", "--out", "other.key", "--public-out", "other.pub"]);
    fs::write(dir.path("claims.json"), ok(d, &["doctypes", "--example", "resident_id_card"])).unwrap();
    let (nbf, exp) = ((T - 86_400).to_string(), (T + 86_400).to_string());
    ok(
        d,
        &[
            "issue",
            "--issuer-key",
            "iss.key",
            "--issuer",
            "NBPSB",
            "--doc-type",
            "resident_id_card",
            "--claims",
            "claims.json",
            "--holder-key",
            "dev.pub",
            "--not-before",
            &nbf,
            "--expires",
            &exp,
            "--out",
            "cred.txt",
        ],
    );
    let at = T.to_string();
    let args =
        ["present", "--credential", "cred.txt", "--device-key", "dev.key", "--at", &at, "--profile", "hotel_check_in"];
    ok(d, &args).trim_end().to_string()
}

/// Verifies `text` at `T + 3` as the hotel desk, writing a receipt to `out`.
fn verify_with_receipt(dir: &TempDir, text: &str, fields: &str, out: &str) -> (i32, Value) {
    let at = (T + 3).to_string();
    let args = [
        "verify",
        "--issuer-key",
        "NBPSB:*=iss.pub",
        "--at",
        &at,
        "--profile",
        "hotel_check_in",
        "--receipt-key",
        "desk.key",
        "--unit",
        "hotel:NB-0042",
        "--receipt-fields",
        fields,
        "--receipt-out",
        out,
        text,
    ];
    json_run(&dir.0, &args)
}

#[test]
fn a_desk_writes_a_receipt_that_verifies_offline_with_values_or_digests() {
    let dir = TempDir::new("receipt");
    let text = setup(&dir);
    let (code, verified) = verify_with_receipt(&dir, &text, "values", "values.rcpt");
    assert_eq!((code, &verified["valid"]), (0, &json!(true)));
    let (code, receipt) = json_run(&dir.0, &["receipt", "verify", "--desk-key", "desk.pub", "values.rcpt"]);
    assert_eq!(code, 0, "{receipt}");
    assert_eq!(receipt["unit"], "hotel:NB-0042");
    assert_eq!(receipt["time"], T + 3);
    assert_eq!(receipt["doc_type"], "resident_id_card");
    assert_eq!(receipt["issuer"], "NBPSB");
    assert_eq!(receipt["issuer_key_id"], verified["key_id"]);
    assert_eq!(receipt["presentation_id"], verified["presentation_id"]);
    assert_eq!(receipt["purpose"], "hotel_check_in");
    assert_eq!(receipt["fields"]["values"], verified["claims"]);

    verify_with_receipt(&dir, &text, "digests", "digests.rcpt");
    let (code, receipt) = json_run(&dir.0, &["receipt", "verify", "--desk-key", "desk.pub", "digests.rcpt"]);
    assert_eq!(code, 0, "{receipt}");
    let digests = receipt["fields"]["digests"].as_object().unwrap();
    let names: Vec<&str> = digests.keys().map(String::as_str).collect();
    assert_eq!(names, ["birth_date", "id_number", "name", "sex"]);
    assert!(digests.values().all(|d| d.as_str().unwrap().len() == 64));
    let bytes = fs::read(dir.path("digests.rcpt")).unwrap();
    assert!(!bytes.windows("王小明".len()).any(|w| w == "王小明".as_bytes()), "a digest receipt keeps no name");
}

#[test]
fn receipt_attacks_have_their_exact_errors() {
    let dir = TempDir::new("attacks");
    let text = setup(&dir);
    verify_with_receipt(&dir, &text, "values", "r.rcpt");
    // A receipt signed by a desk key the auditor does not trust.
    let (code, out) = json_run(&dir.0, &["receipt", "verify", "--desk-key", "other.pub", "r.rcpt"]);
    assert_eq!((code, out["error"].as_str()), (1, Some("receipt_unknown_desk_key")));
    // An altered receipt.
    let mut bytes = fs::read(dir.path("r.rcpt")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(dir.path("edited.rcpt"), &bytes).unwrap();
    let (code, out) = json_run(&dir.0, &["receipt", "verify", "--desk-key", "desk.pub", "edited.rcpt"]);
    assert_eq!((code, out["error"].as_str()), (1, Some("receipt_bad_signature")));
    // A presentation given as a receipt (its bytes, the text base45-decoded).
    fs::write(dir.path("p.bin"), base45_decode(text.strip_prefix("NC1:").unwrap())).unwrap();
    let (code, out) = json_run(&dir.0, &["receipt", "verify", "--desk-key", "desk.pub", "p.bin"]);
    assert_eq!((code, out["error"].as_str()), (1, Some("not_a_receipt")));
    // A receipt given as a presentation (its bytes as NC1: text).
    let receipt_text = format!("NC1:{}", base45(&fs::read(dir.path("r.rcpt")).unwrap()));
    let at = (T + 3).to_string();
    let (code, out) = json_run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, &receipt_text]);
    assert_eq!((code, &out["error"], &out["detail"]), (1, &json!("malformed"), &json!("receipt_not_presentation")));
    // Settings are refused before any code is read.
    let out = run(
        &dir.0,
        &[
            "verify",
            "--issuer-key",
            "NBPSB:*=iss.pub",
            "--receipt-key",
            "desk.key",
            "--unit",
            "u",
            "--receipt-fields",
            "values",
            "--receipt-out",
            "x.rcpt",
            "-",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("takes one code"));
    let long = "u".repeat(65);
    let out = run(
        &dir.0,
        &[
            "verify",
            "--issuer-key",
            "NBPSB:*=iss.pub",
            "--receipt-key",
            "desk.key",
            "--unit",
            &long,
            "--receipt-fields",
            "values",
            "--receipt-out",
            "x.rcpt",
            &text,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--unit must be 1-64 bytes"));
    let out = run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--receipt-key", "desk.key", &text]);
    assert_eq!(out.status.code(), Some(2), "--receipt-key without --unit");
}

/// RFC 9285 base45, as the `NC1:` text form writes it.
fn base45(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match *chunk {
            [a, b] => (usize::from(a) * 256 + usize::from(b), 3),
            [a] => (usize::from(a), 2),
            _ => unreachable!(),
        };
        for _ in 0..digits {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}

fn base45_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let values: Vec<usize> = text.bytes().map(|c| ALPHABET.iter().position(|&a| a == c).unwrap()).collect();
    let mut out = Vec::new();
    for group in values.chunks(3) {
        let n = group.iter().rev().fold(0, |n, &v| n * 45 + v);
        if group.len() == 3 {
            out.extend_from_slice(&[(n / 256) as u8, (n % 256) as u8]);
        } else {
            out.push(n as u8);
        }
    }
    out
}
