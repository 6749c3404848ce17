//! End-to-end tests of sealed codes at the command line: `nocard keygen
//! --alg x25519|p256 --group`, `present --seal-to`, `verify --group-key` and
//! `--require-sealed`, with exact errors and exit statuses.

use serde_json::Value;

mod cli_common;
use cli_common::{Credential, T, TempDir, example_claims, issue, json_of, keys, ok, run, verify};
mod kiosk;
use kiosk::assert_matches_kiosk_schema;

/// Issuer and device keys, a resident ID card, and group keys `a` (X25519)
/// and `b` (P-256): `a.key`/`a.pub`, `b.key`/`b.pub`.
fn setup(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    keys(&dir);
    example_claims(&dir, "resident_id_card");
    issue(&dir, &Credential::default());
    let a = json_of(&ok(&dir, &["keygen", "--alg", "x25519", "--out", "a.key", "--public-out", "a.pub"]));
    assert_eq!((a["alg"].as_str(), a["group"].as_bool()), (Some("x25519"), Some(true)));
    let b = json_of(&ok(&dir, &["keygen", "--alg", "p256", "--group", "--out", "b.key", "--public-out", "b.pub"]));
    assert_eq!((b["alg"].as_str(), b["group"].as_bool()), (Some("p256"), Some(true)));
    dir
}

/// A hotel presentation at [`T`] with `extra` flags.
fn present(dir: &TempDir, extra: &[&str]) -> String {
    cli_common::present(dir, &[&["--profile", "hotel_check_in"], extra].concat())
}

fn kid_of(dir: &TempDir, key: &str) -> String {
    // As `verify` reports it for a code sealed to the key.
    let text = present(dir, &["--seal-to", &format!("{key}.pub")]);
    let (code, json) = verify(dir, &text, T + 3, &["--group-key", &format!("{key}.key")]);
    assert_eq!(code, 0, "{json}");
    json["sealed_to"].as_str().unwrap().to_owned()
}

#[test]
fn a_sealed_code_verifies_with_its_group_key_and_reports_it() {
    let dir = setup("ok");
    for group in ["a", "b"] {
        let text = present(&dir, &["--seal-to", &format!("{group}.pub")]);
        assert!(text.starts_with("NCS1:"), "{text}");
        let (code, json) =
            verify(&dir, &text, T + 3, &["--group-key", "a.key", "--group-key", "b.key", "--require-sealed"]);
        assert_eq!((code, json["valid"].as_bool()), (0, Some(true)), "{json}");
        assert_eq!(json["claims"]["name"], "王小明");
        assert_eq!(json["sealed_to"].as_str().unwrap().len(), 16);
        assert_matches_kiosk_schema(&json);
    }
    let (_, plain) = verify(&dir, &present(&dir, &[]), T + 3, &[]);
    assert_eq!(plain["sealed_to"], Value::Null);
}

#[test]
fn each_refusal_has_its_error() {
    let dir = setup("refusals");
    let sealed_a = present(&dir, &["--seal-to", "a.pub"]);
    let kid_a = kid_of(&dir, "a");
    let cases: Vec<(&str, String, Vec<&str>, u64, &str)> = vec![
        ("another group", sealed_a.clone(), vec!["--group-key", "b.key"], T + 3, "sealed_for_other_group"),
        ("no group key", sealed_a.clone(), vec![], T + 3, "sealed_no_group_key"),
        (
            "plain where sealed",
            present(&dir, &[]),
            vec!["--group-key", "a.key", "--require-sealed"],
            T + 3,
            "seal_required",
        ),
        ("stale inside", sealed_a.clone(), vec!["--group-key", "a.key"], T + 60, "window_expired"),
    ];
    for (what, text, extra, at, error) in cases {
        let (code, json) = verify(&dir, &text, at, &extra);
        assert_eq!((code, json["error"].as_str()), (1, Some(error)), "{what}: {json}");
    }
    let (_, json) = verify(&dir, &sealed_a, T + 3, &["--group-key", "b.key"]);
    assert!(json["message"].as_str().unwrap().contains(&kid_a), "{json}");
}

#[test]
fn a_changed_ciphertext_does_not_open() {
    let dir = setup("tamper");
    let text = present(&dir, &["--seal-to", "a.pub"]);
    // The 40th base45 character sits inside the ciphertext (SPEC.md §13.1:
    // it starts at byte 23, character 5 + 34); swap it for another digit.
    let mut chars: Vec<char> = text.chars().collect();
    chars[60] = if chars[60] == '0' { '1' } else { '0' };
    let changed: String = chars.into_iter().collect();
    let (code, json) = verify(&dir, &changed, T + 3, &["--group-key", "a.key"]);
    assert_eq!((code, json["error"].as_str()), (1, Some("sealed_open_failed")), "{json}");
}

#[test]
fn group_key_misuse_is_refused_before_any_code() {
    let dir = setup("misuse");
    let text = present(&dir, &[]);
    // A signing key is not a group key, and a group public key cannot open.
    for (key, why) in [("dev.key", "unsupported"), ("a.pub", "public key")] {
        let output = run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--group-key", key, &text]);
        assert_eq!(output.status.code(), Some(2), "{key}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(why), "{key}: {stderr}");
    }
    let output = run(
        &dir.0,
        &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--group-key", "a.key", "--group-key", "a.key", &text],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("given twice"));
    let output = run(
        &dir.0,
        &[
            "present",
            "--credential",
            "cred.txt",
            "--device-key",
            "dev.key",
            "--profile",
            "hotel_check_in",
            "--seal-to",
            "iss.pub",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let output = run(&dir.0, &["keygen", "--alg", "ed25519", "--group", "--out", "x.key"]);
    assert_eq!(output.status.code(), Some(2));
}
