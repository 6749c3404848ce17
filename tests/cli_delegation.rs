//! End-to-end tests of `nocard delegate` and `nocard consent` (SPEC.md §17):
//! exact JSON, error codes and exit statuses.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

mod cli_common;
use cli_common::{Credential, DAY, T, TempDir, issue, json_of, json_run, ok, ok_line, run};

/// The issuer key and, for each of `people`, a device key and a resident
/// ID card named after them (`NAME.key`, `NAME.pub`, `NAME.cred`), valid
/// `[T - DAY, expires)`.
fn setup(dir: &Path, people: &[(&str, u64)]) {
    ok(dir, &["keygen", "--alg", "ed25519", "--out", "iss.key", "--public-out", "iss.pub"]);
    let example = json_of(&ok(dir, &["doctypes", "--example", "resident_id_card"]));
    for &(name, expires) in people {
        let (key, holder, out, claims) =
            (format!("{name}.key"), format!("{name}.pub"), format!("{name}.cred"), format!("{name}.json"));
        ok(dir, &["keygen", "--alg", "p256", "--out", &key, "--public-out", &holder]);
        let mut mine = example.clone();
        mine["name"] = json!(name);
        fs::write(dir.join(&claims), mine.to_string()).unwrap();
        issue(dir, &Credential { claims: &claims, holder: &holder, expires, out: &out, ..Credential::default() });
    }
}

fn delegate(dir: &Path, from: &str, to: &str, matter: &str) {
    let (cred, key, to_pub) = (format!("{from}.cred"), format!("{from}.key"), format!("{to}.pub"));
    let (start, until) = ((T - DAY).to_string(), (T + 7 * DAY).to_string());
    let text = ok_line(
        dir,
        &[
            "delegate",
            "sign",
            "--credential",
            &cred,
            "--device-key",
            &key,
            "--matter",
            matter,
            "--delegate-key",
            &to_pub,
            "--from",
            &start,
            "--until",
            &until,
        ],
    );
    assert!(text.starts_with("NCD1:"), "{text}");
    fs::write(dir.join("delegation.txt"), text).unwrap();
}

fn act(dir: &Path, who: &str) -> String {
    let (cred, key, at) = (format!("{who}.cred"), format!("{who}.key"), T.to_string());
    let text = ok_line(
        dir,
        &[
            "delegate",
            "act",
            "--credential",
            &cred,
            "--device-key",
            &key,
            "--delegation",
            "delegation.txt",
            "--profile",
            "hotel_check_in",
            "--at",
            &at,
        ],
    );
    assert!(text.starts_with("NCA1:"), "{text}");
    text
}

/// `nocard delegate verify` (or `consent verify`) at `at`: exit status and
/// the JSON line.
fn verify(dir: &Path, command: &str, extra: &[&str], text: &str, at: u64) -> (i32, Value) {
    let at = at.to_string();
    let mut args = vec![command, "verify", "--issuer-key", "NBPSB:*=iss.pub", "--at", &at];
    args.extend_from_slice(extra);
    args.push(text);
    json_run(dir, &args)
}

fn refusal(result: (i32, Value)) -> (i32, Value, Value) {
    let (status, json) = result;
    assert_eq!(json["valid"], false);
    (status, json["error"].clone(), json["detail"].clone())
}

#[test]
fn a_delegate_acts_for_the_delegator_from_the_command_line() {
    let dir = TempDir::new("act");
    let d = &dir.0;
    setup(d, &[("mother", T + 365 * DAY), ("son", T + 365 * DAY), ("stranger", T + 365 * DAY)]);
    delegate(d, "mother", "son", "register_child_residence");
    let text = act(d, "son");

    let (status, seen) = verify(d, "delegate", &["--matter", "register_child_residence"], &text, T + 2);
    assert_eq!(status, 0, "{seen}");
    assert_eq!(seen["valid"], true);
    assert_eq!(seen["matter"], "register_child_residence");
    assert_eq!((seen["not_before"].as_u64(), seen["expires"].as_u64()), (Some(T - DAY), Some(T + 7 * DAY)));
    assert_eq!(seen["delegator"]["claims"]["name"], "mother");
    assert_eq!(seen["delegator"]["claims"].as_object().unwrap().len(), 2, "name and id_number only");
    assert_eq!(seen["delegate"]["claims"]["name"], "son");
    assert_eq!(seen["delegate"]["valid"], true);

    // Another matter, too late, and a stranger with the same delegation.
    let other = verify(d, "delegate", &["--matter", "collect_certificate"], &text, T + 2);
    assert_eq!(refusal(other), (1, json!("matter_mismatch"), Value::Null));
    let late = verify(d, "delegate", &["--matter", "register_child_residence"], &text, T + 8 * DAY);
    assert_eq!(refusal(late), (1, json!("delegation_expired"), Value::Null));
    let stranger = act(d, "stranger");
    let wrong = verify(d, "delegate", &["--matter", "register_child_residence"], &stranger, T + 2);
    assert_eq!(refusal(wrong), (1, json!("wrong_delegate"), Value::Null));
    // The delegate's code is a presentation like any other: stale after its window.
    let stale = verify(d, "delegate", &["--matter", "register_child_residence"], &text, T + 300);
    assert_eq!(refusal(stale), (1, json!("delegate_rejected"), json!("window_expired")));
    // Garbage is malformed, with its detail.
    let (status, json) = verify(d, "delegate", &["--matter", "register_child_residence"], "NCA1:", T);
    assert_eq!((status, &json["error"], &json["malformed"]), (1, &json!("malformed"), &json!("truncated")));
}

#[test]
fn a_delegation_from_an_expired_credential_is_refused_from_the_command_line() {
    let dir = TempDir::new("expired");
    let d = &dir.0;
    setup(d, &[("mother", T - 60), ("son", T + 365 * DAY)]);
    delegate(d, "mother", "son", "collect_certificate");
    let text = act(d, "son");
    let result = verify(d, "delegate", &["--matter", "collect_certificate"], &text, T + 2);
    assert_eq!(refusal(result), (1, json!("signer_credential_rejected"), json!("credential_expired")));
}

#[test]
fn a_consent_answers_one_request_from_the_command_line() {
    let dir = TempDir::new("consent");
    let d = &dir.0;
    setup(d, &[("mother", T + 365 * DAY)]);
    fs::write(d.join("trip.txt"), "school trip 2026-12-05").unwrap();
    fs::write(d.join("other.txt"), "school trip 2026-12-06").unwrap();
    let (from, until) = ((T - 60).to_string(), (T + 600).to_string());
    let sign = |answer: &str| {
        ok_line(
            d,
            &[
                "consent",
                "sign",
                "--credential",
                "mother.cred",
                "--device-key",
                "mother.key",
                "--request",
                "trip.txt",
                answer,
                "--from",
                &from,
                "--until",
                &until,
            ],
        )
    };
    let yes = sign("--yes");
    assert!(yes.starts_with("NCK1:"), "{yes}");
    let (status, seen) = verify(d, "consent", &["--request", "trip.txt"], &yes, T);
    assert_eq!((status, &seen["answer"]), (0, &json!(true)), "{seen}");
    assert_eq!(seen["consenter"]["claims"]["name"], "mother");
    let (status, seen) = verify(d, "consent", &["--request", "trip.txt"], &sign("--no"), T);
    assert_eq!((status, &seen["answer"]), (0, &json!(false)), "{seen}");

    let other = verify(d, "consent", &["--request", "other.txt"], &yes, T);
    assert_eq!(refusal(other), (1, json!("request_mismatch"), Value::Null));
    let late = verify(d, "consent", &["--request", "trip.txt"], &yes, T + 610);
    assert_eq!(refusal(late), (1, json!("consent_expired"), Value::Null));
    // A consent is not a delegation.
    let text = yes.replacen("NCK1:", "NCA1:", 1);
    let (status, json) = verify(d, "delegate", &["--matter", "collect_certificate"], &text, T);
    assert_eq!((status, &json["error"], &json["malformed"]), (1, &json!("malformed"), &json!("invalid_value")));
}

#[test]
fn a_consent_needs_an_answer_and_a_delegation_a_known_matter() {
    let dir = TempDir::new("usage");
    let d = &dir.0;
    let no_answer =
        run(d, &["consent", "sign", "--credential", "c", "--device-key", "k", "--request", "r", "--until", "9"]);
    assert_eq!(no_answer.status.code(), Some(2));
    let both = run(
        d,
        &[
            "consent",
            "sign",
            "--credential",
            "c",
            "--device-key",
            "k",
            "--request",
            "r",
            "--yes",
            "--no",
            "--until",
            "9",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
    let matter = run(d, &["delegate", "verify", "--issuer-key", "NBPSB:*=iss.pub", "--matter", "sell_house", "NCA1:"]);
    assert_eq!(matter.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&matter.stderr)
            .contains("expected one of register_child_residence, collect_certificate")
    );
}
