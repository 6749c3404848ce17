//! End-to-end tests of the `nocard` binary: exact JSON and exit statuses.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

mod cli_common;
use cli_common::{
    Credential, ISSUER, T, TempDir, example_claims, json_of, keys, ok, present, run, run_with_stdin, stdout, verify,
};
mod kiosk;
use kiosk::assert_matches_kiosk_schema;

/// Keys (see [`keys`]) and `cred.txt`: `doc_type`'s example claims, valid
/// around [`T`], naming status list 7, index 4242.
fn issue(dir: &TempDir, doc_type: &str) {
    keys(dir);
    example_claims(dir, doc_type);
    let status = ["--status-list", "7", "--status-index", "4242"];
    cli_common::issue(dir, &Credential { doc_type, extra: &status, ..Credential::default() });
}

fn hotel(dir: &TempDir) -> String {
    issue(dir, "resident_id_card");
    present(dir, &["--profile", "hotel_check_in"])
}

#[test]
fn keygen_writes_both_algorithms() {
    let dir = TempDir::new("keygen");
    for alg in ["ed25519", "p256"] {
        let (key, public) = (format!("{alg}.key"), format!("{alg}.pub"));
        let out = json_of(&ok(&dir.0, &["keygen", "--alg", alg, "--out", &key, "--public-out", &public]));
        assert_eq!(out["alg"], alg);
        let kid = out["kid"].as_str().unwrap();
        assert!(kid.len() == 16 && kid.bytes().all(|b| b.is_ascii_hexdigit()), "{kid}");
        let (secret, public) = (fs::read(dir.path(&key)).unwrap(), fs::read(dir.path(&public)).unwrap());
        assert!(!public.is_empty() && secret.len() > public.len(), "{alg}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path(&key)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{alg}");
        }
    }
}

#[test]
fn hotel_presentation_verifies_with_exactly_the_hotel_claims() {
    let dir = TempDir::new("hotel");
    let text = hotel(&dir);
    assert!(text.starts_with("NC1:"), "{text}");
    let (code, out) = verify(&dir, &text, T, &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["valid"], true);
    assert_eq!(out["doc_type"], "resident_id_card");
    assert_eq!(out["issuer"], ISSUER);
    assert_eq!((&out["issuer_alg"], &out["device_alg"]), (&json!("ed25519"), &json!("p256")));
    assert_eq!(out["status"], json!({"list": 7, "index": 4242}));
    assert_eq!((&out["challenge"], &out["audience"]), (&Value::Null, &Value::Null));
    assert_eq!(out["window_start"], T);
    assert_eq!(out["window_end"], T + 30);
    assert_eq!(
        out["claims"],
        json!({
            "name": "王小明",
            "sex": 1,
            "birth_date": "1990-05-17",
            "id_number": "330203199005170017",
        })
    );
    let (code, _) = verify(&dir, &text, T, &["--profile", "hotel_check_in"]);
    assert_eq!(code, 0);
    // The kiosk's schema names this line's shape, and refuses any other.
    assert_eq!(out["schema"], "urn:nocard:kiosk:resident_id_card:v1");
    assert_matches_kiosk_schema(&out);
    let schema = kiosk::schema_of("resident_id_card");
    let refused = |edit: &dyn Fn(&mut Value)| {
        let mut edited = out.clone();
        edit(&mut edited);
        kiosk::violations(&schema, &edited).len()
    };
    assert_eq!(refused(&|j| j["claims"]["favourite_colour"] = json!("red")), 1);
    assert_eq!(refused(&|j| j["claims"]["sex"] = json!("1")), 1);
    // A date breaks both its pattern and its `date` format.
    assert_eq!(refused(&|j| j["claims"]["birth_date"] = json!("17.05.1990")), 2);
    assert_eq!(refused(&|j| j["doc_type"] = json!("residence_permit")), 1);
    assert_eq!(refused(&|j| j["schema"] = json!("urn:nocard:kiosk:resident_id_card:v2")), 1);
    assert_eq!(refused(&|j| j["presentation_id"] = json!("00")), 1);
    assert_eq!(refused(&|j| j.as_object_mut().unwrap().remove("claims").map(drop).unwrap()), 1);
}

#[test]
fn stale_window_is_rejected() {
    let dir = TempDir::new("stale");
    let text = hotel(&dir);
    let (code, out) = verify(&dir, &text, T + 1000, &[]);
    assert_eq!(code, 1);
    assert_eq!(out["valid"], false);
    assert_eq!(out["error"], "window_expired");
    assert_eq!((&out["detail"], &out["offset"]), (&Value::Null, &Value::Null));
}

#[test]
fn wrong_issuer_key_is_unknown() {
    let dir = TempDir::new("wrongkey");
    let text = hotel(&dir);
    ok(&dir.0, &["keygen", "--alg", "ed25519", "--out", "other.key", "--public-out", "other.pub"]);
    let at = T.to_string();
    let output = run(&dir.0, &["verify", "--issuer-key", "other.pub", "--issuer", "NBPSB:*", "--at", &at, &text]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json_of(&stdout(&output))["error"], "unknown_key");
}

#[test]
fn garbage_is_malformed_missing_prefix() {
    let dir = TempDir::new("garbage");
    hotel(&dir);
    let (code, out) = verify(&dir, "garbage", T, &[]);
    assert_eq!(code, 1);
    assert_eq!(out["error"], "malformed");
    assert_eq!(out["detail"], "missing_prefix");
    assert_eq!(out["offset"], 0);
    assert!(out["message"].as_str().unwrap().contains("missing_prefix"));
}

#[test]
fn stdin_loop_answers_every_line_and_goes_on_after_a_bad_one() {
    let dir = TempDir::new("loop");
    let text = hotel(&dir);
    let at = T.to_string();
    let args = ["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, "-"];
    let output = run_with_stdin(&dir.0, &args, &format!("{text}\r\ngarbage\n\n{text}\n"));
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&output).lines().map(json_of).collect();
    let valid: Vec<&Value> = lines.iter().map(|l| &l["valid"]).collect();
    assert_eq!(valid, [&json!(true), &json!(false), &json!(true)]);
    assert_eq!(lines[1]["detail"], "missing_prefix");

    // Without TEXT, stdin too; all valid exits 0.
    let output = run_with_stdin(&dir.0, &args[..5], &format!("{text}\n{text}"));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).lines().count(), 2);
}

#[test]
fn challenge_must_match() {
    let dir = TempDir::new("challenge");
    issue(&dir, "resident_id_card");
    let text = present(&dir, &["--profile", "hotel_check_in", "--challenge", "1234"]);
    let (code, out) = verify(&dir, &text, T, &["--challenge", "1234"]);
    assert_eq!((code, &out["challenge"]), (0, &json!(1234)));
    let (code, out) = verify(&dir, &text, T, &["--challenge", "4321"]);
    assert_eq!(code, 1);
    assert_eq!(out["error"], "challenge_mismatch");
}

#[test]
fn disclose_by_name_and_require() {
    let dir = TempDir::new("disclose");
    issue(&dir, "resident_id_card");
    let text = present(&dir, &["--disclose", "name,address", "--audience", "hotel-42"]);
    let (code, out) = verify(&dir, &text, T, &["--audience", "hotel-42", "--require", "name"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["claims"], json!({"name": "王小明", "address": "浙江省宁波市海曙区中山西路1号"}));
    assert_eq!(out["audience"], "hotel-42");
    let (code, out) =
        verify(&dir, &text, T, &["--audience", "hotel-42", "--require", "name", "--require", "id_number"]);
    assert_eq!((code, &out["error"]), (1, &json!("missing_required_claim")));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = TempDir::new("usage");
    let text = hotel(&dir);
    let d = &dir.0;
    let at = T.to_string();
    let cases: [&[&str]; 5] = [
        &["verify", "--issuer-key", "NBPSB:*=missing.pub", "--at", &at, &text],
        &["verify", "--issuer-key", "iss.pub", "--at", &at, &text],
        &["present", "--credential", "missing.txt", "--device-key", "dev.key", "--profile", "hotel_check_in"],
        &["doctypes", "--example", "no_such_type"],
        &["present", "--credential", "cred.txt", "--device-key", "dev.key", "--profile", "no_such_profile"],
    ];
    for args in cases {
        let output = run(d, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
    // The device key is not the one the credential is bound to.
    let output =
        run(d, &["present", "--credential", "cred.txt", "--device-key", "iss.key", "--profile", "hotel_check_in"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn issue_refuses_bad_claims() {
    let dir = TempDir::new("badclaims");
    issue(&dir, "resident_id_card");
    let bad = [
        json!({"name": 5}),
        json!({"no_such_claim": "x"}),
        json!({"birth_date": "1990-02-30"}),
        json!({"photo_digest": "xyz"}),
        json!({"age_over_18": true}),
        json!(["name"]),
    ];
    for claims in bad {
        fs::write(dir.path("bad.json"), claims.to_string()).unwrap();
        let output = run(
            &dir.0,
            &[
                "issue",
                "--issuer-key",
                "iss.key",
                "--issuer",
                ISSUER,
                "--doc-type",
                "resident_id_card",
                "--claims",
                "bad.json",
                "--holder-key",
                "dev.pub",
                "--out",
                "bad.txt",
            ],
        );
        assert_eq!(output.status.code(), Some(2), "{claims}");
        assert!(!dir.path("bad.txt").exists(), "{claims}");
    }
}

#[test]
fn inspect_decodes_without_verifying() {
    let dir = TempDir::new("inspect");
    let text = hotel(&dir);
    let out = json_of(&ok(&dir.0, &["inspect", &text]));
    assert_eq!(out["verified"], false);
    assert_eq!(out["kind"], "presentation");
    assert!(out["warning"].as_str().is_some_and(|w| !w.is_empty()));
    // COSE_Sign1: protected header {1: alg} decoded, payload decoded.
    assert_eq!(out["cbor"][0], json!({"bstr_cbor": {"1": -7}}));
    assert_eq!(out["cbor"][2]["bstr_cbor"]["4"], 30);

    let credential = fs::read_to_string(dir.path("cred.txt")).unwrap();
    let output = run_with_stdin(&dir.0, &["inspect", "-"], &credential);
    assert_eq!(output.status.code(), Some(0));
    let out = json_of(&stdout(&output));
    assert_eq!((&out["verified"], &out["kind"]), (&json!(false), &json!("credential")));

    let output = run(&dir.0, &["inspect", "garbage"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
}

#[test]
fn demo_runs_without_input() {
    let dir = TempDir::new("demo");
    for args in [&["demo"][..], &["demo", "--once"]] {
        let out = ok(&dir.0, args);
        assert!(out.contains("QR version"), "{out}");
        assert!(out.contains("王小明"), "{out}");
    }
}

#[test]
fn doctypes_lists_the_registry() {
    let dir = TempDir::new("doctypes");
    let types = json_of(&ok(&dir.0, &["doctypes"]));
    let resident = types.as_array().unwrap().iter().find(|t| t["name"] == "resident_id_card").unwrap();
    assert_eq!((&resident["code"], &resident["kind"]), (&json!(1), &json!("card")));
    let claims = resident["claims"].as_array().unwrap();
    assert_eq!(claims[0], json!({"code": 1, "name": "name", "type": "text"}));
    let age = claims.iter().find(|c| c["name"] == "age_over_18").unwrap();
    assert_eq!(age["derived"], json!({"age_over": 18}));
}

#[test]
fn every_doc_type_round_trips_in_full() {
    let dir = TempDir::new("roundtrip");
    let types = json_of(&ok(&dir.0, &["doctypes"]));
    let types = types.as_array().unwrap();
    assert!(!types.is_empty());
    for doc in types {
        let name = doc["name"].as_str().unwrap();
        issue(&dir, name);
        let text = present(&dir, &["--profile", "government_window"]);
        let (code, out) = verify(&dir, &text, T, &[]);
        assert_eq!(code, 0, "{name}: {out}");
        assert_eq!(out["doc_type"], name);
        // A kiosk maps every field by its schema's names.
        assert_matches_kiosk_schema(&out);
        // Every input claim comes back exactly as `--example` gave it.
        let example = json_of(&fs::read_to_string(dir.path("claims.json")).unwrap());
        for (claim, value) in example.as_object().unwrap() {
            assert_eq!(&out["claims"][claim], value, "{name}.{claim}");
        }
    }
}

#[test]
fn present_writes_png_svg_and_terminal_qr() {
    let dir = TempDir::new("render");
    issue(&dir, "resident_id_card");
    let at = T.to_string();
    let args = [
        "present",
        "--credential",
        "cred.txt",
        "--device-key",
        "dev.key",
        "--at",
        &at,
        "--profile",
        "hotel_check_in",
        "--png",
        "code.png",
        "--svg",
        "code.svg",
        "--terminal",
        "--module-px",
        "4",
    ];
    let out = ok(&dir.0, &args);
    let text = out.lines().next().unwrap();
    assert!(text.starts_with("NC1:"));
    assert!(out.contains('▀'), "terminal QR drawn after the text");
    let png = std::fs::read(dir.0.join("code.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = std::fs::read_to_string(dir.0.join("code.svg")).unwrap();
    // Version 13 is 69 modules, plus 2 × 4 quiet zone, at 4 px a module.
    assert!(svg.starts_with("<svg") && svg.contains("width=\"308\""), "{}", &svg[..120]);
    let (code, json) = verify(&dir, text, T, &[]);
    assert_eq!((code, json["valid"].as_bool()), (0, Some(true)));
}

#[cfg(feature = "scan")]
#[test]
fn verify_image_scans_and_verifies() {
    let dir = TempDir::new("image");
    issue(&dir, "resident_id_card");
    present(&dir, &["--profile", "hotel_check_in", "--png", "code.png", "--module-px", "3"]);
    let at = T.to_string();
    let args = ["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, "--image", "code.png"];
    let output = run(&dir.0, &args);
    let json = json_of(&stdout(&output));
    assert_eq!((output.status.code(), json["valid"].as_bool()), (Some(0), Some(true)), "{json}");
    assert_eq!(json["claims"]["name"], "王小明");
    // The same code read with the other decoder.
    let output = run(&dir.0, &[&args[..], &["--decoder", "rqrr"]].concat());
    assert_eq!(output.status.code(), Some(0));
    // An image with no code in it.
    let blank = nocard::qr::QrMatrix::encode("NCC1:NOT A PRESENTATION", nocard::qr::EcLevel::M).unwrap().to_png(3);
    std::fs::write(dir.0.join("blank.png"), blank).unwrap();
    let args = ["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, "--image", "blank.png"];
    let output = run(&dir.0, &args);
    assert_eq!((output.status.code(), json_of(&stdout(&output))["error"].as_str()), (Some(1), Some("no_code")));
}

/// Verifies stdin `input` with the hotel key at [`T`]: exit status, stdout, stderr.
fn verify_stdin(dir: &TempDir, input: &str) -> (i32, String, String) {
    let at = T.to_string();
    let output = run_with_stdin(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, "-"], input);
    (output.status.code().unwrap(), stdout(&output), String::from_utf8(output.stderr).unwrap())
}

const NO_CODE: &str =
    "{\"error\":\"no_code\",\"message\":\"no code: the input was empty or only blank lines\",\"valid\":false}\n";

#[test]
fn empty_or_blank_input_is_no_code_and_exits_1() {
    let dir = TempDir::new("nocode");
    let text = hotel(&dir);
    for input in ["", "\n", "\r\n", "\n \n\t\r\n   "] {
        assert_eq!(verify_stdin(&dir, input), (1, NO_CODE.to_owned(), String::new()), "{input:?}");
    }
    // No TEXT reads stdin too; an empty or blank TEXT is no code either.
    let at = T.to_string();
    let output = run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at]);
    assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(1), NO_CODE));
    for blank in ["", " \r\n"] {
        let output = run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, blank]);
        assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(1), NO_CODE), "{blank:?}");
    }
    // Blank lines between codes are still skipped, and a code makes it not "no code".
    let (code, out, _) = verify_stdin(&dir, &format!("\n  \n{text}\n\n"));
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1);
    assert_eq!(json_of(&out)["valid"], true);
}

#[cfg(unix)]
#[test]
fn an_empty_scan_does_not_open_the_gate() {
    let dir = TempDir::new("gate");
    hotel(&dir);
    let script = format!(
        "printf '' | '{}' verify --issuer-key 'NBPSB:*=iss.pub' --at {T} - && echo OPEN; printf '\\n\\n' | '{}' verify \
         --issuer-key 'NBPSB:*=iss.pub' --at {T} && echo OPEN; echo done",
        env!("CARGO_BIN_EXE_nocard"),
        env!("CARGO_BIN_EXE_nocard"),
    );
    let output = Command::new("sh").arg("-c").arg(script).current_dir(&dir.0).output().unwrap();
    assert_eq!(stdout(&output), format!("{NO_CODE}{NO_CODE}done\n"));
}

/// Characters that reorder or hide text on a screen: C1 controls, bidi
/// embeddings, overrides, isolates and marks, line and paragraph separators.
const HOSTILE: &str = "\u{80}\u{85}\u{9f}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\u{61c}\u{2028}\u{2029}";
const HOSTILE_ESCAPED: &str = "\\u0080\\u0085\\u009f\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u061c\\u2028\\u2029";

#[test]
fn holder_and_issuer_text_is_escaped_in_json() {
    let dir = TempDir::new("escape");
    issue(&dir, "resident_id_card");
    let name = format!("王{HOSTILE}小明\u{1b}[2J\u{7f}");
    let claims = json!({"name": name, "birth_date": "1990-05-17", "id_number": "330203199005170017"});
    fs::write(dir.path("hostile.json"), claims.to_string()).unwrap();
    let issuer = format!("NB{HOSTILE}");
    let at = T.to_string();
    let args = [
        "issue",
        "--issuer-key",
        "iss.key",
        "--issuer",
        &issuer,
        "--doc-type",
        "resident_id_card",
        "--claims",
        "hostile.json",
        "--holder-key",
        "dev.pub",
        "--not-before",
        &at,
        "--out",
        "hostile.txt",
    ];
    ok(&dir.0, &args);
    let audience = format!("desk{HOSTILE}");
    let args = [
        "present",
        "--credential",
        "hostile.txt",
        "--device-key",
        "dev.key",
        "--at",
        &at,
        "--disclose",
        "name,id_number",
        "--audience",
        &audience,
    ];
    let text = ok(&dir.0, &args);
    let trust = format!("{issuer}:resident_id_card=iss.pub");
    let output =
        run(&dir.0, &["verify", "--issuer-key", &trust, "--at", &at, "--audience", &audience, text.trim_end()]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.contains(&format!("\"name\":\"王{HOSTILE_ESCAPED}小明\\u001b[2J\\u007f\"")), "{out}");
    assert!(out.contains(&format!("\"audience\":\"desk{HOSTILE_ESCAPED}\"")), "{out}");
    assert!(out.contains(&format!("\"issuer\":\"NB{HOSTILE_ESCAPED}\"")), "{out}");
    assert!(!out.chars().any(|c| (c.is_control() && c != '\n') || HOSTILE.contains(c)), "{out}");
    // Still JSON, and it reads back to exactly what was issued.
    let json = json_of(&out);
    assert_eq!(
        (&json["claims"]["name"], &json["audience"], &json["issuer"]),
        (&json!(name), &json!(audience), &json!(issuer))
    );

    // `inspect` escapes the same way.
    let inspected = ok(&dir.0, &["inspect", text.trim_end()]);
    assert!(!inspected.chars().any(|c| HOSTILE.contains(c)), "{inspected}");
    assert!(inspected.contains("\\u202e"), "{inspected}");
}

#[test]
fn result_carries_iat_and_cti() {
    let dir = TempDir::new("iat");
    let text = hotel(&dir);
    let (code, out) = verify(&dir, &text, T, &[]);
    assert_eq!(code, 0);
    assert_eq!((&out["iat"], &out["cti"]), (&Value::Null, &Value::Null));

    let (at, iat) = (T.to_string(), (T - 3600).to_string());
    let mut args = vec!["issue", "--issuer-key", "iss.key", "--issuer", ISSUER, "--doc-type", "resident_id_card"];
    args.extend(["--claims", "claims.json", "--holder-key", "dev.pub", "--not-before", &at, "--out", "cred.txt"]);
    args.extend(["--issued-at", &iat, "--credential-id", "00C0FFEE"]);
    ok(&dir.0, &args);
    let text = present(&dir, &["--profile", "hotel_check_in"]);
    let (code, out) = verify(&dir, &text, T, &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!((&out["iat"], &out["cti"]), (&json!(T - 3600), &json!("00c0ffee")));

    for bad in [&["--credential-id", "xyz"][..], &["--credential-id", &"00".repeat(33)]] {
        let mut args = args.clone();
        args.truncate(args.len() - 4);
        args.extend_from_slice(bad);
        let output = run(&dir.0, &args);
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
    }
}

/// Runs `nocard args` with stdout a pipe nobody reads any more: every write
/// to it fails with EPIPE.
#[cfg(unix)]
fn run_with_closed_stdout(dir: &Path, args: &[&str], stdin: &str) -> Output {
    // A reader that exits at once; its end of the pipe closes with it.
    let mut reader = Command::new(env!("CARGO_BIN_EXE_nocard"))
        .arg("--version")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pipe = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nocard"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::from(pipe))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = TempDir::new("pipe");
    let text = hotel(&dir);
    let at = T.to_string();
    let verify = ["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, "-"];
    let cases: [(&[&str], String, i32); 7] = [
        (&["doctypes"], String::new(), 0),
        (&["doctypes", "--example", "resident_id_card"], String::new(), 0),
        (&["inspect", &text], String::new(), 0),
        (&["demo", "--once"], String::new(), 0),
        // The status still tells whether every code read was valid.
        (&verify, format!("{text}\n{text}\n"), 0),
        (&verify, "garbage\n".to_owned(), 1),
        (&verify, String::new(), 1),
    ];
    for (args, input, status) in cases {
        let output = run_with_closed_stdout(&dir.0, args, &input);
        assert_eq!(output.status.code(), Some(status), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
    // And through a shell, as a desk script would write it.
    let script = format!("'{}' doctypes | head -1", env!("CARGO_BIN_EXE_nocard"));
    let output = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert_eq!((stdout(&output).as_str(), String::from_utf8_lossy(&output.stderr)), ("[\n", "".into()));
}

/// Runs `verify` with `flags` on stdin holding `text`: exit status, stdout, stderr.
fn verify_with(dir: &TempDir, flags: &[&str], text: &str) -> (i32, String, String) {
    let at = T.to_string();
    let mut args = vec!["verify", "--at", &at];
    args.extend_from_slice(flags);
    let output = run_with_stdin(&dir.0, &args, &format!("{text}\n"));
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output.status.code().unwrap(), stdout(&output), stderr)
}

/// Asserts a start-up refusal: exit 2, nothing on stdout (no code was read),
/// and exactly `message` on stderr.
fn assert_refused(dir: &TempDir, flags: &[&str], text: &str, message: &str) {
    let (code, out, err) = verify_with(dir, flags, text);
    assert_eq!((code, out.as_str(), err.as_str()), (2, "", format!("nocard: {message}\n").as_str()), "{flags:?}");
}

/// The JSON of a rejection without a `detail`.
fn rejection(error: &str, message: &str) -> Value {
    json!({"valid": false, "error": error, "detail": null, "offset": null, "message": message})
}

const KEY_SYNTAX: &str =
    "write NAME:TYPE[,TYPE...]=PUB for the document types the key may sign, or NAME:*=PUB for every type";

#[test]
fn issuer_keys_are_scoped_to_document_types() {
    let dir = TempDir::new("scope");
    let text = hotel(&dir);
    for scope in ["NBPSB:*=iss.pub", "NBPSB:resident_id_card=iss.pub", "NBPSB:driving_licence,resident_id_card=iss.pub"]
    {
        let (code, out, _) = verify_with(&dir, &["--issuer-key", scope], &text);
        assert_eq!((code, &json_of(&out)["doc_type"]), (0, &json!("resident_id_card")), "{scope}");
    }
    // Bare key, its issuer and scope from --issuer.
    let (code, _, _) = verify_with(&dir, &["--issuer", "NBPSB:resident_id_card", "--issuer-key", "iss.pub"], &text);
    assert_eq!(code, 0);

    let (code, out, _) = verify_with(&dir, &["--issuer-key", "NBPSB:driving_licence=iss.pub"], &text);
    let out = json_of(&out);
    assert_eq!((code, &out["error"]), (1, &json!("key_not_allowed_for_doc_type")), "{out}");
    assert_eq!(out, rejection("key_not_allowed_for_doc_type", out["message"].as_str().unwrap()));

    // Unscoped, misspelled, empty and repeated: refused at start-up.
    assert_refused(
        &dir,
        &["--issuer-key", "NBPSB=iss.pub"],
        &text,
        &format!("--issuer-key NBPSB=iss.pub: the key needs a scope: {KEY_SYNTAX}"),
    );
    assert_refused(
        &dir,
        &["--issuer-key", "iss.pub"],
        &text,
        &format!("--issuer-key iss.pub: no issuer and scope: {KEY_SYNTAX}"),
    );
    assert_refused(
        &dir,
        &["--issuer", "NBPSB", "--issuer-key", "iss.pub"],
        &text,
        &format!("--issuer NBPSB: the key needs a scope: {KEY_SYNTAX}"),
    );
    assert_refused(
        &dir,
        &["--issuer-key", "NBPSB:residnet_id_card=iss.pub"],
        &text,
        "--issuer-key NBPSB:residnet_id_card=iss.pub: unknown document type \"residnet_id_card\" (see `nocard doctypes`)",
    );
    assert_refused(
        &dir,
        &["--issuer-key", "NBPSB:=iss.pub"],
        &text,
        &format!("--issuer-key NBPSB:=iss.pub: the key needs a scope: {KEY_SYNTAX}"),
    );
    assert_refused(
        &dir,
        &["--issuer-key", "NBPSB:resident_id_card,resident_id_card=iss.pub"],
        &text,
        "--issuer-key NBPSB:resident_id_card,resident_id_card=iss.pub: invalid configuration: \
         document type resident_id_card named twice in one key scope",
    );
}

#[test]
fn the_same_key_trusted_twice_is_refused() {
    let dir = TempDir::new("twice");
    let text = hotel(&dir);
    ok(&dir.0, &["keygen", "--alg", "ed25519", "--out", "x.key", "--public-out", "x.pub"]);
    fs::copy(dir.path("iss.pub"), dir.path("copy.pub")).unwrap();
    for keys in [
        &["NBPSB:*=iss.pub", "OTHER:*=iss.pub"][..],
        &["NBPSB:resident_id_card=iss.pub", "NBPSB:driving_licence=copy.pub"],
        &["NBPSB:*=iss.pub", "NBPSB:*=copy.pub"],
    ] {
        let mut flags = Vec::new();
        for key in keys {
            flags.extend(["--issuer-key", key]);
        }
        let (code, out, err) = verify_with(&dir, &flags, &text);
        assert_eq!((code, out.as_str()), (2, ""), "{keys:?}");
        assert!(err.starts_with("nocard: invalid configuration: key "), "{err}");
        assert!(err.ends_with(" is trusted twice; give each key once, with every type it may sign\n"), "{err}");
    }
    // Two different keys for one issuer are fine.
    let (code, _, _) = verify_with(&dir, &["--issuer-key", "NBPSB:*=iss.pub", "--issuer-key", "NBPSB:*=x.pub"], &text);
    assert_eq!(code, 0);
    // --issuer names exactly one bare key.
    assert_refused(
        &dir,
        &["--issuer", "NBPSB:*", "--issuer-key", "iss.pub", "--issuer-key", "x.pub"],
        &text,
        &format!("--issuer names one bare --issuer-key PUB, not 2: {KEY_SYNTAX}"),
    );
    assert_refused(
        &dir,
        &["--issuer", "NBPSB:*", "--issuer-key", "NBPSB:*=iss.pub"],
        &text,
        "--issuer names the scope of a bare --issuer-key PUB; there is none",
    );
}

#[test]
fn requirements_by_name_and_value() {
    let dir = TempDir::new("require");
    issue(&dir, "resident_id_card");
    let text = present(&dir, &["--profile", "internet_cafe"]);
    let key = ["--issuer-key", "NBPSB:*=iss.pub"];
    for require in [&["age_over_18"][..], &["age_over_18=true", "name=王小明"], &["id_number=330203199005170017"]] {
        let mut flags = key.to_vec();
        for r in require {
            flags.extend(["--require", r]);
        }
        let (code, out, _) = verify_with(&dir, &flags, &text);
        assert_eq!(code, 0, "{require:?}: {out}");
    }
    let (code, out, _) = verify_with(&dir, &[&key[..], &["--require", "age_over_18=false"]].concat(), &text);
    assert_eq!(
        (code, json_of(&out)),
        (1, rejection("requirement_not_met", "required claim age_over_18 does not have the required value"))
    );
    let (code, out, _) = verify_with(&dir, &[&key[..], &["--require", "name=李红"]].concat(), &text);
    assert_eq!(json_of(&out)["error"], "requirement_not_met", "{out}");
    assert_eq!(code, 1);
    let (code, out, _) = verify_with(&dir, &[&key[..], &["--require", "address"]].concat(), &text);
    assert_eq!(
        (code, json_of(&out)),
        (1, rejection("missing_required_claim", "required claim address is not disclosed"))
    );

    // Misspelled claim, value that does not fit the claim, misspelled profile: start-up errors.
    assert_refused(
        &dir,
        &[&key[..], &["--require", "age_ovr_18"]].concat(),
        &text,
        "--require age_ovr_18: invalid configuration: no accepted document type has a claim age_ovr_18",
    );
    assert_refused(
        &dir,
        &[&key[..], &["--require", "age_over_18=yes"]].concat(),
        &text,
        "--require age_over_18=yes: invalid configuration: the required value does not fit claim age_over_18",
    );
    let (code, out, err) = verify_with(&dir, &[&key[..], &["--profile", "internet_caffe"]].concat(), &text);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("unknown profile; expected one of hotel_check_in, internet_cafe,"), "{err}");
    // A requirement no type the profile accepts can meet.
    let (code, _, err) =
        verify_with(&dir, &[&key[..], &["--profile", "internet_cafe", "--require", "plate_number"]].concat(), &text);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn profiles_accept_only_their_document_types() {
    let dir = TempDir::new("accept");
    issue(&dir, "health_card");
    let text = present(&dir, &["--profile", "government_window"]);
    let key = ["--issuer-key", "NBPSB:*=iss.pub"];
    let (code, out, _) = verify_with(&dir, &[&key[..], &["--profile", "internet_cafe"]].concat(), &text);
    let out = json_of(&out);
    assert_eq!((code, &out["error"]), (1, &json!("doc_type_not_accepted")), "{out}");
    let (code, _, _) = verify_with(&dir, &[&key[..], &["--profile", "government_window"]].concat(), &text);
    assert_eq!(code, 0);
}

#[test]
fn audience_is_enforced_both_ways() {
    let dir = TempDir::new("audience");
    issue(&dir, "resident_id_card");
    let addressed = present(&dir, &["--profile", "hotel_check_in", "--audience", "hotel-42"]);
    let unaddressed = present(&dir, &["--profile", "hotel_check_in"]);
    let key = ["--issuer-key", "NBPSB:*=iss.pub"];
    let desk = [&key[..], &["--audience", "hotel-42"]].concat();

    let (code, out, _) = verify_with(&dir, &desk, &addressed);
    assert_eq!((code, &json_of(&out)["audience"]), (0, &json!("hotel-42")));
    let (code, out, _) = verify_with(&dir, &key, &addressed);
    assert_eq!(
        (code, json_of(&out)),
        (1, rejection("audience_mismatch", "presentation is addressed to another verifier"))
    );
    let (code, out, _) = verify_with(&dir, &[&key[..], &["--audience", "hotel-43"]].concat(), &addressed);
    assert_eq!((code, json_of(&out)["error"].as_str()), (1, Some("audience_mismatch")));
    let (code, out, _) = verify_with(&dir, &desk, &unaddressed);
    let out = json_of(&out);
    assert_eq!((code, &out), (1, &rejection("audience_missing", out["message"].as_str().unwrap())));

    for bad in [String::new(), "x".repeat(65)] {
        assert_refused(
            &dir,
            &[&key[..], &["--audience", &bad]].concat(),
            &addressed,
            "--audience: invalid configuration: audience must be 1-64 bytes",
        );
    }
}

#[test]
fn skew_and_challenge_are_bounded_at_start_up() {
    let dir = TempDir::new("bounds");
    issue(&dir, "resident_id_card");
    let text = present(&dir, &["--profile", "hotel_check_in", "--challenge", "999999"]);
    let key = ["--issuer-key", "NBPSB:*=iss.pub"];
    let (code, _, _) = verify_with(&dir, &[&key[..], &["--skew", "300", "--challenge", "999999"]].concat(), &text);
    assert_eq!(code, 0);
    assert_refused(
        &dir,
        &[&key[..], &["--skew", "301"]].concat(),
        &text,
        "--skew: invalid configuration: clock skew of 301 s is above the maximum 300 s",
    );
    assert_refused(
        &dir,
        &[&key[..], &["--challenge", "1000000"]].concat(),
        &text,
        "--challenge: invalid configuration: challenge 1000000 is above 999999",
    );
}

#[test]
fn presentation_id_names_one_presentation() {
    let dir = TempDir::new("presid");
    let first = hotel(&dir);
    let second = present(&dir, &["--profile", "hotel_check_in", "--challenge", "7"]);
    let key = ["--issuer-key", "NBPSB:*=iss.pub"];
    let id = |text: &str| {
        let (code, out, _) = verify_with(&dir, &key, text);
        assert_eq!(code, 0, "{out}");
        json_of(&out)["presentation_id"].as_str().unwrap().to_owned()
    };
    let a = id(&first);
    assert!(a.len() == 64 && a.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{a}");
    assert_eq!(id(&first), a);
    assert_ne!(id(&second), a);
}

#[test]
fn doctypes_lists_what_each_profile_accepts_and_requires() {
    let dir = TempDir::new("profiles");
    let profiles = json_of(&ok(&dir.0, &["doctypes", "--profiles"]));
    let names: Vec<&str> = profiles.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "hotel_check_in",
            "internet_cafe",
            "petrol_station",
            "roadside_check",
            "government_window",
            "kiosk_autofill",
            "visitor_log"
        ]
    );
    assert_eq!(
        profiles[1],
        json!({
            "name": "internet_cafe",
            "discloses": ["name", "id_number", "passport_number", "age_over_18"],
            "accepts": [
                {"doc_type": "resident_id_card", "requires": ["name", "id_number", "age_over_18"]},
                {"doc_type": "residence_permit", "requires": ["name", "id_number", "age_over_18"]},
                {"doc_type": "foreigner_passport", "requires": ["name", "passport_number", "age_over_18"]},
            ],
        })
    );
    assert_eq!(profiles[4], json!({"name": "government_window", "discloses": null, "accepts": null}));
}

#[test]
fn verify_help_shows_the_policy_syntax() {
    let dir = TempDir::new("help");
    let help = ok(&dir.0, &["verify", "--help"]);
    for wanted in [
        "--issuer-key <NAME:TYPES=PUB>",
        "NAME:TYPE[,TYPE...]=PUB, or NAME:*=PUB for every type",
        "--require <NAME[=VALUE]>",
        "NAME=VALUE must be disclosed with exactly this value",
        "--audience <TEXT>",
        "at most 300",
        "0-999999",
    ] {
        assert!(help.contains(wanted), "{wanted:?} not in\n{help}");
    }
}

#[test]
fn replay_db_refuses_a_code_seen_in_its_window_across_runs() {
    let dir = TempDir::new("replay");
    let text = hotel(&dir);
    let db = ["--replay-db", "seen.db"];
    let (code, out) = verify(&dir, &text, T + 1, &db);
    assert_eq!((code, &out["valid"]), (0, &json!(true)), "{out}");
    // A second run (a rebooted scanner) still knows it.
    let (code, out) = verify(&dir, &text, T + 5, &db);
    assert_eq!(code, 1);
    assert_eq!((&out["error"], &out["first_seen"]), (&json!("replayed"), &json!(T + 1)));
    // Lowercased text is the same presentation: same id, same refusal.
    let (code, out) = verify(&dir, &text.to_lowercase(), T + 6, &db);
    assert_eq!((code, &out["error"]), (1, &json!("replayed")));
    // Without the database the code is as valid as before.
    assert_eq!(verify(&dir, &text, T + 7, &[]).0, 0);

    // A damaged database stops the desk rather than forget what it saw.
    let path = dir.0.join("seen.db");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let at = (T + 8).to_string();
    let output =
        run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at, "--replay-db", "seen.db", &text]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("checksum does not match"), "{output:?}");

    // A full cache refuses new codes instead of forgetting live ones.
    std::fs::remove_file(&path).unwrap();
    let small = ["--replay-db", "seen.db", "--replay-capacity", "1"];
    assert_eq!(verify(&dir, &text, T + 1, &small).0, 0);
    let other = present(&dir, &["--profile", "internet_cafe"]);
    let (code, out) = verify(&dir, &other, T + 2, &small);
    assert_eq!((code, &out["error"]), (1, &json!("replay_cache_full")));
    let output = run(
        &dir.0,
        &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--replay-db", "x.db", "--replay-capacity", "0", &text],
    );
    assert_eq!(output.status.code(), Some(2));
}

/// Signs a trust list trusting `iss.pub` as NBPSB for `types`, with root
/// `root.key`, due for update at `T + 10`.
fn trust_list(dir: &TempDir, sequence: u64, types: Value, out: &str) {
    let list = json!({
        "sequence": sequence,
        "issued_at": T - 86_400,
        "next_update": T + 10,
        "issuers": [{"name": ISSUER, "key": "iss.pub", "types": types}],
    });
    fs::write(dir.path("list.json"), list.to_string()).unwrap();
    ok(&dir.0, &["trust", "sign", "--root", "root.key", "--list", "list.json", "--out", out]);
}

#[test]
fn verify_trusts_the_keys_of_a_root_signed_trust_list() {
    let dir = TempDir::new("trust");
    let text = hotel(&dir);
    ok(&dir.0, &["keygen", "--alg", "ed25519", "--out", "root.key", "--public-out", "root.pub"]);
    ok(&dir.0, &["keygen", "--alg", "ed25519", "--out", "other.key", "--public-out", "other.pub"]);
    trust_list(&dir, 1, json!(["resident_id_card"]), "ids.list");
    let shown = json_of(&ok(&dir.0, &["trust", "show", "ids.list", "--root", "root.pub"]).replace('\n', ""));
    assert_eq!((&shown["sequence"], &shown["issuers"][0]["types"]), (&json!(1), &json!(["resident_id_card"])));

    let with_list = |list: &str, root: &str, at: u64| {
        let at = at.to_string();
        let args = ["verify", "--trust", list, "--trust-root", root, "--at", &at, &text];
        let output = run(&dir.0, &args);
        (output.status.code().unwrap(), stdout(&output), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (code, out, _) = with_list("ids.list", "root.pub", T);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json_of(&out)["trust_list"], json!({"sequence": 1, "stale": false}));
    assert_matches_kiosk_schema(&json_of(&out));
    // Past its next update the list still verifies, flagged stale.
    let (code, out, _) = with_list("ids.list", "root.pub", T + 10);
    assert_eq!((code, &json_of(&out)["trust_list"]["stale"]), (0, &json!(true)));
    // The list's scope holds: a key trusted for diplomas does not sign ID cards.
    trust_list(&dir, 2, json!(["university_diploma"]), "diplomas.list");
    let (code, out, _) = with_list("diplomas.list", "root.pub", T);
    assert_eq!((code, &json_of(&out)["error"]), (1, &json!("key_not_allowed_for_doc_type")));
    // A list under another root, or altered after signing, stops the desk.
    let (code, _, err) = with_list("ids.list", "other.pub", T);
    assert_eq!(code, 2);
    assert!(err.contains("trust_list_unknown_root"), "{err}");
    let mut altered = fs::read(dir.path("ids.list")).unwrap();
    let at = altered.windows(5).position(|w| w == ISSUER.as_bytes()).unwrap();
    altered[at] ^= 1;
    fs::write(dir.path("altered.list"), altered).unwrap();
    let (code, _, err) = with_list("altered.list", "root.pub", T);
    assert_eq!(code, 2);
    assert!(err.contains("trust_list_bad_signature"), "{err}");
}

#[test]
fn a_trust_state_keeps_the_newest_list_across_runs_and_refuses_rollbacks() {
    let dir = TempDir::new("trust-state");
    let text = hotel(&dir);
    ok(&dir.0, &["keygen", "--alg", "ed25519", "--out", "root.key", "--public-out", "root.pub"]);
    trust_list(&dir, 1, json!(["resident_id_card"]), "one.list");
    trust_list(&dir, 2, json!("*"), "two.list");
    let update = |list: &str, roots: &[&str]| {
        let mut args = vec!["trust", "update", "--state", "trust.db", list];
        for root in roots {
            args.extend(["--root", root]);
        }
        let output = run(&dir.0, &args);
        (output.status.code().unwrap(), stdout(&output), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    // A new state needs its roots; an existing one refuses new roots.
    let (code, _, err) = update("one.list", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("give --root to provision it"), "{err}");
    let (code, out, _) = update("two.list", &["root.pub"]);
    assert_eq!((code, &json_of(&out.replace('\n', ""))["list"]["sequence"]), (0, &json!(2)), "{out}");
    let (code, _, err) = update("two.list", &["root.pub"]);
    assert_eq!(code, 2);
    assert!(err.contains("already holds its roots"), "{err}");
    // The list held, offered again, is no change; an older one is a rollback,
    // in a later run too: the sequence was saved.
    assert_eq!(update("two.list", &[]).0, 0);
    let (code, _, err) = update("one.list", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("trust_list_rollback"), "{err}");
    let shown = json_of(&ok(&dir.0, &["trust", "show", "--state", "trust.db"]).replace('\n', ""));
    assert_eq!((&shown["list"]["sequence"], &shown["list"]["issuers"][0]["types"]), (&json!(2), &json!("*")));

    // verify --trust-state uses the list held; --refuse-stale refuses codes
    // once it is past its next update (T + 10).
    let verify = |at: u64, extra: &[&str]| {
        let at = at.to_string();
        let mut args = vec!["verify", "--trust-state", "trust.db", "--at", &at];
        args.extend(extra);
        args.push(&text);
        let output = run(&dir.0, &args);
        (output.status.code().unwrap(), json_of(&stdout(&output)))
    };
    let (code, out) = verify(T, &["--refuse-stale"]);
    assert_eq!((code, &out["trust_list"]), (0, &json!({"sequence": 2, "stale": false})), "{out}");
    let (code, out) = verify(T + 10, &[]);
    assert_eq!((code, &out["trust_list"]["stale"]), (0, &json!(true)), "{out}");
    let (code, out) = verify(T + 10, &["--refuse-stale"]);
    assert_eq!((code, &out["error"]), (1, &json!("trust_list_stale")), "{out}");

    // A damaged state file is refused, never replaced by an empty store.
    let mut bytes = fs::read(dir.path("trust.db")).unwrap();
    bytes[10] ^= 1;
    fs::write(dir.path("trust.db"), &bytes).unwrap();
    let (code, _, err) = update("two.list", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("state_checksum"), "{err}");
    assert_eq!(fs::read(dir.path("trust.db")).unwrap(), bytes, "left as it was");
    let output = run(&dir.0, &["verify", "--trust-state", "trust.db", &text]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&dir.0, &["verify", "--issuer-key", "NBPSB:*=iss.pub", "--refuse-stale", &text]);
    assert_eq!(output.status.code(), Some(2));
}

/// Issues `cred.txt` with credential id `0102` and the numeric-code key
/// `code.key` of SPEC.md §12.1's check value (32×0x44).
fn issue_with_code(dir: &TempDir) {
    let d = &dir.0;
    ok(d, &["keygen", "--alg", "ed25519", "--out", "iss.key"]);
    ok(d, &["keygen", "--alg", "p256", "--out", "dev.key", "--public-out", "dev.pub"]);
    fs::write(dir.path("claims.json"), ok(d, &["doctypes", "--example", "resident_id_card"])).unwrap();
    fs::write(dir.path("code.key"), format!("{}\n", "44".repeat(32))).unwrap();
    let (not_before, expires) = ((T - 86_400).to_string(), (T + 86_400).to_string());
    let base = [
        "issue",
        "--issuer-key",
        "iss.key",
        "--issuer",
        ISSUER,
        "--doc-type",
        "resident_id_card",
        "--claims",
        "claims.json",
        "--holder-key",
        "dev.pub",
        "--not-before",
        &not_before,
        "--expires",
        &expires,
    ];
    ok(d, &[&base[..], &["--credential-id", "0102", "--code-key", "code.key", "--out", "cred.txt"]].concat());
    ok(d, &[&base[..], &["--out", "plain.txt"]].concat());
    // A code key needs a credential id to derive the secret from.
    let output = run(d, &[&base[..], &["--code-key", "code.key", "--out", "x.txt"]].concat());
    assert_eq!(output.status.code(), Some(2));
}

/// `nocard code check` of `code` at `at` with `extra` flags: exit status and stdout.
fn code_check(dir: &TempDir, code: &str, at: u64, extra: &[&str]) -> (i32, String) {
    let at = at.to_string();
    let mut args = vec!["code", "check", "--code-key", "code.key", "--issuer", ISSUER, "--credential-id", "0102"];
    args.extend_from_slice(&["--code", code, "--at", &at]);
    args.extend_from_slice(extra);
    let output = run(&dir.0, &args);
    (output.status.code().unwrap(), stdout(&output))
}

#[test]
fn code_show_prints_the_holders_code_and_the_seconds_left() {
    let dir = TempDir::new("code-show");
    issue_with_code(&dir);
    let d = &dir.0;
    let show = |at: u64| ok(d, &["code", "show", "--credential", "cred.txt", "--at", &at.to_string()]);
    // The codes of tests/vectors/numeric_code.json.
    assert_eq!(show(T), "{\"code\":\"39034247\",\"seconds_left\":30,\"step\":59847360}\n");
    assert_eq!(show(T + 29), "{\"code\":\"39034247\",\"seconds_left\":1,\"step\":59847360}\n");
    assert_eq!(show(T + 95), "{\"code\":\"93069014\",\"seconds_left\":25,\"step\":59847363}\n");
    // A credential issued without a code key has none.
    let output = run(d, &["code", "show", "--credential", "plain.txt", "--at", &T.to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "nocard: plain.txt: the credential has no numeric code (issued without --code-key)\n"
    );
}

#[test]
fn code_check_accepts_within_the_drift_and_refuses_each_attack_exactly() {
    let dir = TempDir::new("code-check");
    issue_with_code(&dir);
    assert_eq!(code_check(&dir, "39034247", T, &[]), (0, "{\"step\":59847360,\"valid\":true}\n".into()));
    // The previous step's code, within the default drift of 1.
    assert_eq!(code_check(&dir, "42593600", T, &[]), (0, "{\"step\":59847359,\"valid\":true}\n".into()));
    // Two steps back: outside drift 1, inside drift 2.
    assert_eq!(
        code_check(&dir, "08602935", T, &[]),
        (
            1,
            "{\"current_step\":59847360,\"error\":\"outside_drift\",\"message\":\"the code of step 59847358 is \
             outside the drift around step 59847360\",\"step\":59847358,\"valid\":false}\n"
                .into()
        )
    );
    assert_eq!(code_check(&dir, "08602935", T, &["--drift", "2"]).0, 0);
    // Replayed: the step the back office recorded, or an earlier one.
    let replayed = "{\"error\":\"code_replayed\",\"last_step\":59847360,\"message\":\"the code of step 59847360 \
                    came after step 59847360 was accepted\",\"step\":59847360,\"valid\":false}\n";
    assert_eq!(code_check(&dir, "39034247", T + 10, &["--last-step", "59847360"]), (1, replayed.into()));
    assert_eq!(code_check(&dir, "42593600", T, &["--last-step", "59847360"]).0, 1);
    assert_eq!(code_check(&dir, "28640462", T + 30, &["--last-step", "59847360"]).0, 0);
    assert_eq!(
        code_check(&dir, "39034248", T, &[]),
        (1, "{\"error\":\"wrong_code\",\"message\":\"wrong code\",\"valid\":false}\n".into())
    );
    let malformed = "{\"error\":\"malformed_code\",\"message\":\"a code is exactly 8 ASCII digits\",\"valid\":false}\n";
    for bad in ["3903424", "390342470", "3903 4247", "3903424x"] {
        assert_eq!(code_check(&dir, bad, T, &[]), (1, malformed.into()), "{bad}");
    }
    // Another credential's id derives another secret.
    let output = run(
        &dir.0,
        &["code", "check", "--code-key", "code.key", "--issuer", ISSUER, "--credential-id", "0103"]
            .into_iter()
            .chain(["--code", "39034247", "--at", &T.to_string()])
            .collect::<Vec<_>>(),
    );
    assert_eq!((output.status.code(), json_of(&stdout(&output))["error"].clone()), (Some(1), json!("wrong_code")));
}

#[test]
fn code_check_refuses_bad_settings_before_reading_anything() {
    let dir = TempDir::new("code-usage");
    issue_with_code(&dir);
    let d = &dir.0;
    let at = T.to_string();
    let check = ["code", "check", "--issuer", ISSUER, "--credential-id", "0102", "--code", "39034247", "--at", &at];
    let cases: [(&[&str], &str); 4] = [
        (&["--code-key", "code.key", "--drift", "5"], "nocard: --drift: drift of 5 steps is above 4\n"),
        (&["--code-key", "missing.key", "--drift", "5"], "nocard: --drift: drift of 5 steps is above 4\n"),
        (&["--code-key", "missing.key"], ""),
        (&["--code-key", "cred.txt"], "nocard: cred.txt: expected a code key, 64 hex digits\n"),
    ];
    for (extra, stderr) in cases {
        let output = run(d, &[&check[..], extra].concat());
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(output.stdout.is_empty(), "{extra:?}");
        if !stderr.is_empty() {
            assert_eq!(String::from_utf8_lossy(&output.stderr), stderr, "{extra:?}");
        }
    }
}

#[test]
fn code_keygen_writes_a_private_key_the_check_reads() {
    let dir = TempDir::new("code-keygen");
    let d = &dir.0;
    assert_eq!(ok(d, &["code", "keygen", "--out", "fresh.key"]), "");
    let text = fs::read_to_string(dir.path("fresh.key")).unwrap();
    assert_eq!(text.len(), 65);
    assert!(text.trim_end().bytes().all(|b| b.is_ascii_hexdigit()) && text.ends_with('\n'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(dir.path("fresh.key")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let output = run(
        d,
        &["code", "check", "--code-key", "fresh.key", "--issuer", ISSUER, "--credential-id", "01"]
            .into_iter()
            .chain(["--code", "00000000", "--at", &T.to_string()])
            .collect::<Vec<_>>(),
    );
    assert_eq!(output.status.code(), Some(1));
}
