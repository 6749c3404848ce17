//! End-to-end tests of `nocard status` and `nocard verify --status`: exact
//! JSON, errors and exit statuses.

use std::fs;

use serde_json::{Value, json};

mod cli_common;
use cli_common::{Credential, T, TempDir, example_claims, issue, json_of, keys, ok, present, run, verify_output};
mod kiosk;
use kiosk::assert_matches_kiosk_schema;

/// A hotel presentation at [`T`] of a resident ID card naming status list
/// 7, index `index`.
fn presentation(dir: &TempDir, index: u32) -> String {
    example_claims(dir, "resident_id_card");
    let index = index.to_string();
    issue(dir, &Credential { extra: &["--status-list", "7", "--status-index", &index], ..Credential::default() });
    present(dir, &["--profile", "hotel_check_in"])
}

fn build(dir: &TempDir, iat: u64, set: &[&str], out: &str) -> Value {
    let (iat, exp) = (iat.to_string(), (iat + 3600).to_string());
    let mut args = vec![
        "status",
        "build",
        "--issuer-key",
        "iss.key",
        "--issuer",
        "NBPSB",
        "--list",
        "7",
        "--bits",
        "2",
        "--size",
        "10000",
        "--issued-at",
        &iat,
        "--expires",
        &exp,
        "--out",
        out,
    ];
    for s in set {
        args.extend(["--set", s]);
    }
    json_of(&ok(&dir.0, &args))
}

#[test]
fn build_set_and_show_a_status_list() {
    let dir = TempDir::new("build");
    keys(&dir);
    let built = build(&dir, T - 100, &["5=revoked", "9=suspended"], "l7.cwt");
    assert_eq!(
        built,
        json!({"issuer": "NBPSB", "list": 7, "iat": T - 100, "exp": T + 3500, "ttl": null, "bits": 2, "size": 10000})
    );
    let show = |file: &str| json_of(&ok(&dir.0, &["status", "show", file, "--key", "iss.pub"]));
    assert_eq!(
        show("l7.cwt")["entries"],
        json!([{"index": 5, "status": "revoked"}, {"index": 9, "status": "suspended"}])
    );
    let iat = (T - 50).to_string();
    let set = ["status", "set", "--issuer-key", "iss.key", "--in", "l7.cwt", "--set", "9=valid", "--set", "6=revoked"];
    let updated = json_of(&ok(&dir.0, &[&set[..], &["--issued-at", &iat, "--out", "l7b.cwt"]].concat()));
    assert_eq!((&updated["iat"], &updated["exp"]), (&json!(T - 50), &json!(T - 50 + 7 * 86_400)));
    let shown = show("l7b.cwt");
    assert_eq!(shown["entries"], json!([{"index": 5, "status": "revoked"}, {"index": 6, "status": "revoked"}]));
    // Not newer than the list it updates: refused.
    let same = (T - 100).to_string();
    let output = run(&dir.0, &[&set[..], &["--issued-at", &same, "--out", "l7c.cwt"]].concat());
    assert_eq!(output.status.code(), Some(2));
    // Under another key, show refuses the list.
    ok(&dir.0, &["keygen", "--alg", "ed25519", "--out", "other.key", "--public-out", "other.pub"]);
    let output = run(&dir.0, &["status", "show", "l7.cwt", "--key", "other.pub"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("status_list_unknown_key"));
    for bad in [&["--bits", "3"][..], &["--set", "10000=revoked"][..], &["--set", "1=gone"][..]] {
        let mut args =
            vec!["status", "build", "--issuer-key", "iss.key", "--issuer", "NBPSB", "--list", "7", "--bits", "1"];
        args.extend_from_slice(&["--size", "10000", "--out", "bad.cwt"]);
        args.extend_from_slice(bad);
        assert_eq!(run(&dir.0, &args).status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn verify_reports_the_list_that_decided() {
    let dir = TempDir::new("verify");
    keys(&dir);
    let valid = presentation(&dir, 1);
    build(&dir, T - 100, &["4242=revoked", "4243=suspended"], "l7.cwt");
    let (code, out, err) = verify_output(&dir, &valid, T, &["--status", "l7.cwt"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        json_of(&out)["status_list"],
        json!({"issuer": "NBPSB", "list": 7, "iat": T - 100, "exp": T + 3500, "status": "valid"})
    );
    assert_matches_kiosk_schema(&json_of(&out));
    for (index, error, status) in [(4242, "credential_revoked", "revoked"), (4243, "credential_suspended", "suspended")]
    {
        let text = presentation(&dir, index);
        let (code, out, _) = verify_output(&dir, &text, T, &["--status", "l7.cwt"]);
        let json = json_of(&out);
        assert_eq!((code, &json["error"], &json["status_list"]["status"]), (1, &json!(error), &json!(status)));
        assert_eq!(json["status_list"]["iat"], json!(T - 100));
    }
    let beyond = presentation(&dir, 10_000);
    let (code, out, _) = verify_output(&dir, &beyond, T, &["--status", "l7.cwt"]);
    assert_eq!((code, &json_of(&out)["error"]), (1, &json!("status_index_out_of_range")));
    // A list the desk does not hold: refused unless the desk says otherwise.
    let other_list = presentation(&dir, 1);
    fs::rename(dir.path("l7.cwt"), dir.path("kept.cwt")).unwrap();
    let args = ["status", "build", "--issuer-key", "iss.key", "--issuer", "NBPSB", "--list", "8", "--bits", "1"];
    let (iat, exp) = ((T - 1).to_string(), (T + 10).to_string());
    ok(&dir.0, &[&args[..], &["--size", "8", "--issued-at", &iat, "--expires", &exp, "--out", "l8.cwt"]].concat());
    let (code, out, _) = verify_output(&dir, &other_list, T, &["--status", "l8.cwt"]);
    assert_eq!((code, &json_of(&out)["error"]), (1, &json!("status_list_missing")));
    let (code, out, _) = verify_output(&dir, &other_list, T, &["--status", "l8.cwt", "--accept-missing-status"]);
    assert_eq!((code, &json_of(&out)["status_list"]), (0, &json!({"issuer": "NBPSB", "list": 7, "missing": true})));
    assert_matches_kiosk_schema(&json_of(&out));
    // Accepting missing lists without any list is a usage error.
    let (code, _, err) = verify_output(&dir, &other_list, T, &["--accept-missing-status"]);
    assert_eq!(code, 2);
    assert!(err.contains("--accept-missing-status needs --status or --status-db"), "{err}");
    // An expired list stops the desk.
    let (code, _, err) = verify_output(&dir, &other_list, T + 10, &["--status", "l8.cwt"]);
    assert_eq!(code, 2);
    assert!(err.contains("status_list_expired"), "{err}");
}

#[test]
fn the_status_db_refuses_rollback_across_runs_and_damage() {
    let dir = TempDir::new("db");
    keys(&dir);
    let text = presentation(&dir, 4242);
    build(&dir, T - 100, &[], "old.cwt");
    build(&dir, T - 50, &["4242=revoked"], "new.cwt");
    let db = ["--status-db", "status.db"];
    let (code, out, _) = verify_output(&dir, &text, T, &[&db[..], &["--status", "new.cwt"]].concat());
    assert_eq!((code, &json_of(&out)["error"]), (1, &json!("credential_revoked")));
    // The next run remembers the newer list: the old one, in which the card
    // was still valid, is a rollback; with no file given the db decides.
    let (code, _, err) = verify_output(&dir, &text, T, &[&db[..], &["--status", "old.cwt"]].concat());
    assert_eq!(code, 2);
    assert!(err.contains("status_list_rollback"), "{err}");
    let (code, out, _) = verify_output(&dir, &text, T, &db);
    assert_eq!((code, &json_of(&out)["status_list"]["iat"]), (1, &json!(T - 50)));
    // A damaged db stops the desk rather than start empty.
    let mut saved = fs::read(dir.path("status.db")).unwrap();
    saved[20] ^= 1;
    fs::write(dir.path("status.db"), saved).unwrap();
    let (code, _, err) = verify_output(&dir, &text, T, &db);
    assert_eq!(code, 2);
    assert!(err.contains("status_state_damaged"), "{err}");
}
