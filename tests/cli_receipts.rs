//! End-to-end tests of `nocard verify --receipt-key`, `nocard receipt` and
//! `nocard log`: exact JSON, errors and exit statuses.

use std::fs;

use serde_json::{Value, json};

mod cli_common;
use cli_common::{
    Credential, T, TempDir, example_claims, issue, json_run, keys, ok, present, run, run_with_stdin, stdout,
};

/// Keys (issuer, device, desk, a stranger desk), a resident ID card and a
/// hotel presentation at [`T`], returned as text.
fn setup(dir: &TempDir) -> String {
    keys(dir);
    ok(dir, &["keygen", "--alg", "ed25519", "--out", "desk.key", "--public-out", "desk.pub"]);
    ok(dir, &["keygen", "--alg", "p256", "--out", "other.key", "--public-out", "other.pub"]);
    example_claims(dir, "resident_id_card");
    issue(dir, &Credential::default());
    present(dir, &["--profile", "hotel_check_in"])
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

/// Where each record of a log file starts, and its end (the framing of SPEC.md §15.5).
fn record_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![5];
    let mut at = 5;
    while at < bytes.len() {
        at += 4 + u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize + 32;
        starts.push(at);
    }
    starts
}

#[test]
fn a_gate_logs_every_accepted_code_and_the_log_verifies_exports_and_purges() {
    let dir = TempDir::new("log");
    let text = setup(&dir);
    let d = &dir.0;
    // The gate's scanner loop: two codes accepted, one refused (not logged).
    let at = (T + 3).to_string();
    let gate = [
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
        "gate:ZB-7",
        "--receipt-fields",
        "digests",
        "--log",
        "gate.log",
        "-",
    ];
    let output = run_with_stdin(d, &gate, &format!("{text}\nNC1:garbage\n{text}\n"));
    let (code, out) = (output.status.code().unwrap(), stdout(&output));
    assert_eq!(code, 1, "{out}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.iter().map(|l| l["valid"].as_bool().unwrap()).collect::<Vec<_>>(), [true, false, true]);
    let audit = ["log", "verify", "--log", "gate.log", "--desk-key", "desk.pub"];
    let (code, report) = json_run(d, &audit);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["entries"], 2);
    assert_eq!((report["first_seq"].as_u64(), report["next_seq"].as_u64()), (Some(0), Some(2)));
    assert_eq!((report["checkpoints"].as_u64(), report["unsealed"].as_u64()), (Some(0), Some(2)));
    assert_eq!(report["torn_tail"], Value::Null);

    // A receipt file appended by hand, then a checkpoint.
    verify_with_receipt(&dir, &text, "values", "r.rcpt");
    let desk = ["--log", "gate.log", "--key", "desk.key", "--at"];
    let later = (T + 86_400).to_string();
    let appended = ok(d, &[&["log", "append"][..], &desk, &[&later, "r.rcpt"]].concat());
    assert_eq!(serde_json::from_str::<Value>(&appended).unwrap(), json!({"appended": 2}));
    let sealed = ok(d, &[&["log", "checkpoint"][..], &desk, &[&later]].concat());
    assert_eq!(serde_json::from_str::<Value>(&sealed).unwrap(), json!({"checkpoint": 3}));

    // Export: JSON and CSV, one row per receipt.
    let exported: Value = serde_json::from_str(&ok(
        d,
        &["log", "export", "--log", "gate.log", "--desk-key", "desk.pub", "--format", "json"],
    ))
    .unwrap();
    let rows = exported.as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["seq"].as_u64().unwrap()).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(rows[0]["receipt"]["unit"], "gate:ZB-7");
    assert!(rows[0]["receipt"]["fields"]["digests"].is_object());
    assert_eq!(rows[2]["receipt"]["fields"]["values"]["name"], "王小明");
    let csv = ok(d, &["log", "export", "--log", "gate.log", "--desk-key", "desk.pub", "--format", "csv"]);
    let csv: Vec<&str> = csv.lines().collect();
    assert_eq!(
        csv[0],
        "seq,appended,time,unit,desk_key_id,doc_type,issuer,issuer_key_id,presentation_id,purpose,fields"
    );
    assert_eq!(csv.len(), 4);
    assert!(csv[1].starts_with(&format!("0,{},{},gate:ZB-7,", T + 3, T + 3)), "{}", csv[1]);
    assert!(csv[3].contains("\"{\"\"values\"\":{"), "{}", csv[3]);

    // Attacks on a copy: each with its exact error.
    let bytes = fs::read(dir.path("gate.log")).unwrap();
    let starts = record_starts(&bytes);
    assert_eq!(starts.len(), 5);
    let attack = |name: &str, log: Vec<u8>, extra: &[&str], error: &str| {
        fs::write(dir.path(name), log).unwrap();
        let args = [&["log", "verify", "--log", name, "--desk-key", "desk.pub"][..], extra].concat();
        let (code, out) = json_run(d, &args);
        assert_eq!((code, out["error"].as_str()), (1, Some(error)), "{name}: {out}");
    };
    let mut edited = bytes.clone();
    edited[starts[1] + 60] ^= 1;
    attack("edited.log", edited, &[], "log_entry_edited");
    attack("deleted.log", [&bytes[..starts[1]], &bytes[starts[2]..]].concat(), &[], "log_entry_deleted");
    let record = |i: usize| &bytes[starts[i]..starts[i + 1]];
    let swapped = [&bytes[..starts[0]], record(1), record(0), &bytes[starts[2]..]].concat();
    attack("reordered.log", swapped, &[], "log_entry_reordered");
    attack("front-cut.log", [&bytes[..5], &bytes[starts[1]..]].concat(), &[], "log_purge_unsigned");
    attack("truncated.log", bytes[..starts[3]].to_vec(), &["--known-head", "3"], "log_truncated");
    let (code, out) = json_run(d, &["log", "verify", "--log", "gate.log", "--desk-key", "other.pub"]);
    assert_eq!((code, out["error"].as_str()), (1, Some("receipt_unknown_desk_key")), "{out}");
    // A crash in the middle of an append: reported, the rest kept.
    fs::write(dir.path("torn.log"), &bytes[..starts[4] - 20]).unwrap();
    let (code, out) = json_run(d, &["log", "verify", "--log", "torn.log", "--desk-key", "desk.pub"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["torn_tail"], json!({"offset": starts[3], "len": starts[4] - 20 - starts[3]}));
    assert_eq!(out["entries"], 3);

    // Purge what is older than a day at T + 2 days: the two gate codes.
    let purge_at = (T + 2 * 86_400).to_string();
    let purged = ok(d, &[&["log", "purge"][..], &desk, &[&purge_at, "--older-than-days", "1"]].concat());
    assert_eq!(serde_json::from_str::<Value>(&purged).unwrap(), json!({"dropped": 2, "cutoff": T + 86_400}));
    let (code, report) = json_run(d, &audit);
    assert_eq!(code, 0, "{report}");
    assert_eq!((report["entries"].as_u64(), report["first_seq"].as_u64()), (Some(1), Some(2)));
    assert_eq!((report["checkpoints"].as_u64(), report["next_seq"].as_u64()), (Some(2), Some(5)));
}

/// `nocard copy` with `args`, in `dir`.
fn copy(dir: &TempDir, args: &[&str]) -> (i32, Value) {
    json_run(&dir.0, &[&["copy"], args].concat())
}

#[test]
fn a_desk_prints_a_copy_of_a_receipt_as_pdf_or_svg_from_its_bytes_or_its_text() {
    let dir = TempDir::new("copy");
    let text = setup(&dir);
    assert_eq!(verify_with_receipt(&dir, &text, "values", "values.rcpt").0, 0);

    let (code, line) = copy(&dir, &["values.rcpt", "--desk-key", "desk.pub", "--out", "copy.pdf"]);
    assert_eq!(code, 0, "{line}");
    let pdf = fs::read(dir.path("copy.pdf")).unwrap();
    assert_eq!(line, json!({"written": "copy.pdf", "format": "pdf", "paper": "a4", "bytes": pdf.len()}));
    assert!(pdf.starts_with(b"%PDF-1.7"));

    // What a scanner reads off the copy's QR code: the receipt's text form.
    let receipt = fs::read(dir.path("values.rcpt")).unwrap();
    fs::write(dir.path("scanned.txt"), nocard::receipt::to_text(&receipt) + "\r\n").unwrap();
    let (code, line) = copy(&dir, &["scanned.txt", "--desk-key", "desk.pub", "--paper", "card", "--out", "copy.svg"]);
    assert_eq!((code, &line["format"], &line["paper"]), (0, &json!("svg"), &json!("card")), "{line}");
    assert!(fs::read_to_string(dir.path("copy.svg")).unwrap().starts_with("<svg "));
    let (code, checked) = json_run(&dir.0, &["receipt", "verify", "--desk-key", "desk.pub", "scanned.txt"]);
    assert_eq!((code, &checked["unit"]), (0, &json!("hotel:NB-0042")), "{checked}");
}

#[test]
fn copies_are_refused_with_their_exact_errors() {
    let dir = TempDir::new("copy-refused");
    let text = setup(&dir);
    assert_eq!(verify_with_receipt(&dir, &text, "values", "values.rcpt").0, 0);
    assert_eq!(verify_with_receipt(&dir, &text, "digests", "digests.rcpt").0, 0);

    let refused = |args: &[&str]| {
        let (code, line) = copy(&dir, args);
        assert_eq!((code, &line["written"]), (1, &Value::Null), "{line}");
        line["error"].as_str().unwrap().to_owned()
    };
    let out = ["--out", "copy.pdf"];
    assert_eq!(refused(&[&["digests.rcpt", "--desk-key", "desk.pub"][..], &out].concat()), "copy_needs_values");
    assert_eq!(refused(&[&["values.rcpt", "--desk-key", "other.pub"][..], &out].concat()), "receipt_unknown_desk_key");
    fs::write(dir.path("presentation.txt"), &text).unwrap();
    assert_eq!(refused(&[&["presentation.txt", "--desk-key", "desk.pub"][..], &out].concat()), "malformed");
    assert!(!dir.path("copy.pdf").exists(), "a refused copy writes nothing");

    // A character beyond the bundled font: refused, and named.
    let claims = fs::read_to_string(dir.path("claims.json")).unwrap();
    let mut claims: Value = serde_json::from_str(&claims).unwrap();
    claims["name"] = json!("张𠀀");
    fs::write(dir.path("rare.json"), claims.to_string()).unwrap();
    issue(&dir, &Credential { claims: "rare.json", ..Credential::default() });
    let rare = present(&dir, &["--profile", "hotel_check_in"]);
    assert_eq!(verify_with_receipt(&dir, &rare, "values", "rare.rcpt").0, 0);
    let (code, line) = copy(&dir, &["rare.rcpt", "--desk-key", "desk.pub", "--out", "copy.pdf"]);
    assert_eq!((code, &line["error"], &line["character"]), (1, &json!("copy_glyph_missing"), &json!("U+20000")));

    // Settings are refused before the receipt is read (it does not exist).
    let output = run(&dir.0, &["copy", "missing.rcpt", "--desk-key", "desk.pub", "--out", "copy.png"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out must end .pdf or .svg"));
    fs::write(dir.path("font.ttf"), b"not a font").unwrap();
    let output =
        run(&dir.0, &["copy", "missing.rcpt", "--desk-key", "desk.pub", "--font", "font.ttf", "--out", "c.pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("copy_font_unusable"));
}
