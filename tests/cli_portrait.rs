//! End-to-end tests of portrait frames in the CLI: `nocard present
//! --portrait` and `nocard verify` receiving them (SPEC.md §14), with exact
//! JSON lines and exit statuses.

use std::fs;

use serde_json::Value;
use sha2::{Digest, Sha256};

mod cli_common;
use cli_common::{Credential, T, TempDir, json_of, keys, ok, run, run_with_stdin, stdout};

const PORTRAIT: &[u8] = include_bytes!("vectors/portrait/portrait.jpg");

/// Keys and `cred.txt`, a resident ID card whose `photo_digest` is SHA-256
/// of `photo`, and the test portrait as `portrait.jpg`.
fn issue(dir: &TempDir, photo: &[u8]) {
    keys(dir);
    let mut claims = json_of(&ok(dir, &["doctypes", "--example", "resident_id_card"]));
    claims["photo_digest"] = Value::String(hex::encode(Sha256::digest(photo)));
    fs::write(dir.path("claims.json"), claims.to_string()).unwrap();
    fs::write(dir.path("portrait.jpg"), PORTRAIT).unwrap();
    cli_common::issue(dir, &Credential::default());
}

/// `nocard present` at `at` with `extra` flags: its stdout lines.
fn present(dir: &TempDir, at: u64, extra: &[&str]) -> Vec<String> {
    let at = at.to_string();
    let mut args = vec!["present", "--credential", "cred.txt", "--device-key", "dev.key", "--at", &at];
    args.extend_from_slice(extra);
    ok(&dir.0, &args).lines().map(str::to_owned).collect()
}

const ROADSIDE: &[&str] = &["--profile", "roadside_check", "--portrait", "portrait.jpg"];

/// `nocard verify` at [`T`] with `extra` flags and `stdin`: exit status and JSON lines.
fn verify(dir: &TempDir, extra: &[&str], stdin: &str) -> (i32, Vec<Value>) {
    let at = T.to_string();
    let mut args = vec!["verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at];
    args.extend_from_slice(extra);
    let output = run_with_stdin(&dir.0, &args, stdin);
    let lines = stdout(&output).lines().map(json_of).collect();
    (output.status.code().unwrap(), lines)
}

fn errors(lines: &[Value]) -> Vec<&str> {
    lines.iter().filter_map(|l| l["error"].as_str()).collect()
}

#[test]
fn a_piped_presentation_and_its_frames_give_the_verified_portrait() {
    let dir = TempDir::new("pipe");
    issue(&dir, PORTRAIT);
    let lines = present(&dir, T, ROADSIDE);
    assert!(lines[0].starts_with("NC1:"));
    // 3 × K frames by default: K = ⌈3027 / 150⌉ = 21.
    assert_eq!(lines.len(), 1 + 63);
    assert!(lines[1..].iter().all(|l| l.starts_with("NCP1:")));
    // Every fifth frame lost.
    let input: Vec<&str> =
        lines.iter().enumerate().filter(|(i, _)| *i == 0 || i % 5 != 0).map(|(_, l)| l.as_str()).collect();
    let (status, out) = verify(&dir, &["--portrait-out", "got.jpg", "-"], &(input.join("\n") + "\n"));
    assert_eq!(status, 0, "{out:?}");
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(out[0]["valid"], true);
    let portrait = &out[1]["portrait"];
    assert_eq!(out[1]["valid"], true);
    assert_eq!(portrait["bytes"], PORTRAIT.len());
    assert_eq!(portrait["sha256"], hex::encode(Sha256::digest(PORTRAIT)));
    assert_eq!(portrait["file"], "got.jpg");
    assert_eq!(fs::read(dir.path("got.jpg")).unwrap(), PORTRAIT);
}

#[test]
fn frames_written_to_a_directory_are_received_with_some_missing() {
    let dir = TempDir::new("dir");
    issue(&dir, PORTRAIT);
    fs::create_dir(dir.path("frames")).unwrap();
    let lines = present(&dir, T, &[ROADSIDE, &["--frames", "frames", "--portrait-frames", "30"]].concat());
    assert_eq!(lines.len(), 1);
    for i in [0, 3, 7, 11, 19] {
        fs::remove_file(dir.path(&format!("frames/{i:05}.txt"))).unwrap();
    }
    assert!(dir.path("frames/00029.png").exists());
    let (status, out) = verify(&dir, &["--frames", "frames", &lines[0]], "");
    assert_eq!(status, 0, "{out:?}");
    assert_eq!(out[1]["portrait"]["sha256"], hex::encode(Sha256::digest(PORTRAIT)));
    assert_eq!(out[1]["portrait"]["file"], Value::Null);
}

#[test]
fn a_portrait_other_than_the_signed_one_is_refused() {
    let dir = TempDir::new("mismatch");
    issue(&dir, b"the enrolment photo");
    let lines = present(&dir, T, ROADSIDE);
    let (status, out) = verify(&dir, &["--portrait-out", "got.jpg", "-"], &(lines.join("\n") + "\n"));
    assert_eq!(status, 1);
    assert_eq!(out[0]["valid"], true);
    // Reported once when the decoded bytes fail the check, then for every
    // later frame: the transfer is over.
    assert_eq!(errors(&out)[0], "portrait_digest_mismatch");
    assert!(errors(&out).iter().all(|&e| e == "portrait_digest_mismatch"));
    assert_eq!(out[1]["ends_transfer"], true);
    assert!(!dir.path("got.jpg").exists());
}

#[test]
fn frames_of_two_presentations_mixed_are_refused_one_by_one() {
    let dir = TempDir::new("mixed");
    issue(&dir, PORTRAIT);
    let ours = present(&dir, T, ROADSIDE);
    let theirs = present(&dir, T - 30, ROADSIDE);
    let mut input = vec![ours[0].as_str()];
    for i in 1..ours.len() {
        input.push(&theirs[i]);
        input.push(&ours[i]);
    }
    let (status, out) = verify(&dir, &["-"], &(input.join("\n") + "\n"));
    // Refused frames make the exit status 1; the portrait still arrives.
    assert_eq!(status, 1);
    let refused = errors(&out);
    assert!(!refused.is_empty() && refused.iter().all(|&e| e == "portrait_other_presentation"), "{refused:?}");
    let complete: Vec<&Value> = out.iter().filter(|l| l.get("portrait").is_some()).collect();
    assert_eq!(complete.len(), 1);
    assert_eq!(complete[0]["portrait"]["bytes"], PORTRAIT.len());
}

#[test]
fn a_profile_without_photo_digest_is_refused_and_so_is_a_frame_without_presentation() {
    let dir = TempDir::new("hotel");
    issue(&dir, PORTRAIT);
    let lines = present(&dir, T, &["--profile", "hotel_check_in", "--portrait", "portrait.jpg"]);
    let (status, out) = verify(&dir, &["-"], &format!("{}\n{}\n", lines[0], lines[1]));
    assert_eq!(status, 1);
    assert_eq!(errors(&out), ["portrait_not_disclosed"]);
    let (status, out) = verify(&dir, &["-"], &format!("{}\n", lines[1]));
    assert_eq!(status, 1);
    assert_eq!(errors(&out), ["portrait_without_presentation"]);
}

#[test]
fn too_few_frames_leave_the_portrait_incomplete() {
    let dir = TempDir::new("short");
    issue(&dir, PORTRAIT);
    let lines = present(&dir, T, &[ROADSIDE, &["--portrait-frames", "5"]].concat());
    let (status, out) = verify(&dir, &["-"], &(lines.join("\n") + "\n"));
    assert_eq!(status, 1);
    assert_eq!(errors(&out), ["portrait_incomplete"]);
    assert_eq!((out[1]["symbols"].as_u64(), out[1]["needed"].as_u64()), (Some(5), Some(21)));
    let output = run(
        &dir.0,
        &[
            "present",
            "--credential",
            "cred.txt",
            "--device-key",
            "dev.key",
            "--profile",
            "roadside_check",
            "--portrait",
            "portrait.jpg",
            "--portrait-frames",
            "0",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn inspect_shows_a_frame_header() {
    let dir = TempDir::new("inspect");
    issue(&dir, PORTRAIT);
    let lines = present(&dir, T, ROADSIDE);
    let shown: Value = serde_json::from_str(&ok(&dir.0, &["inspect", &lines[2]])).unwrap();
    assert_eq!(shown["kind"], "portrait_frame");
    assert_eq!(shown["esi"], 1);
    assert_eq!(shown["portrait_len"], PORTRAIT.len());
    assert_eq!(shown["symbol_size"], 150);
}

#[test]
fn the_terminal_shows_the_presentation_then_animates_the_frames() {
    let dir = TempDir::new("terminal");
    issue(&dir, PORTRAIT);
    let lines = present(&dir, T, &[ROADSIDE, &["--terminal", "--portrait-frames", "2"]].concat());
    assert!(lines[0].starts_with("NC1:"));
    let out = lines.join("\n");
    // Two frames, each after a clear-screen-and-home sequence.
    assert_eq!(out.matches("\x1b[2J\x1b[H").count(), 2);
    assert!(!out.contains("NCP1:"), "frames are drawn, not printed");
}
