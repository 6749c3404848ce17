//! Visitor log vectors (SPEC.md §15.8): a small log of desk key 0x55, its
//! report, a purge, and the logs a checker refuses with their exact codes.
//! The receipts are the values receipt of tests/vectors/receipts.json. The
//! test replays the file as a second implementation would, then rebuilds it
//! and compares byte for byte. Regenerate (only when the format changes on
//! purpose) with `NOCARD_WRITE_VECTORS=1 cargo test --test visitor_log_vectors`.

use nocard::document::Registry;
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::visitor_log::{GENESIS, Head, LogReport, checkpoint_record, entry_record, header, purged, verify};
use serde_json::{Value, json};

#[allow(dead_code)] // claim_json is for the claims vectors
mod common;
use common::check_vector_file;

const TIMES: [u64; 3] = [1_795_420_808, 1_795_424_408, 1_795_428_008];
const PURGE_AT: u64 = 1_795_500_000;

fn desk() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32]).unwrap()
}

fn keys() -> Vec<PublicKey> {
    vec![desk().public_key().clone()]
}

fn receipt() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/receipts.json");
    let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    hex::decode(file["receipts"][0]["cose_sign1_hex"].as_str().unwrap()).unwrap()
}

/// `valid` with the report, or the error code.
fn outcome(bytes: &[u8], known_head: Option<u64>) -> Value {
    match verify(bytes, &keys(), &Registry::builtin(), known_head) {
        Ok(report) => report_json(&report),
        Err(e) => json!(e.code()),
    }
}

fn report_json(r: &LogReport) -> Value {
    json!({
        "start_seq": r.start.0,
        "start_prev_hex": hex::encode(r.start.1),
        "next_seq": r.head.next_seq,
        "head_hash_hex": hex::encode(r.head.hash),
        "entries": r.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        "checkpoints": r.checkpoints,
        "unsealed": r.unsealed,
        "torn_tail": r.torn_tail.map(|t| json!({"offset": t.offset, "len": t.len})),
    })
}

fn build() -> Value {
    let receipt = receipt();
    let mut log = header();
    let mut head = Head { next_seq: 0, hash: GENESIS };
    let mut starts = Vec::new();
    for (i, time) in TIMES.into_iter().enumerate() {
        starts.push(log.len());
        let (record, next) = entry_record(head, time, &receipt).unwrap();
        log.extend_from_slice(&record);
        head = next;
        if i == 1 {
            starts.push(log.len());
            let (record, next) = checkpoint_record(head, time + 1, (0, GENESIS), &desk());
            log.extend_from_slice(&record);
            head = next;
        }
    }
    starts.push(log.len());
    let report = verify(&log, &keys(), &Registry::builtin(), None).unwrap();
    let (purged_log, dropped) = purged(&log, &report, TIMES[1], PURGE_AT, &desk()).unwrap();
    let record = |i: usize| &log[starts[i]..starts[i + 1]];
    let mut edited = log.clone();
    edited[starts[0] + 100] ^= 0x01;
    let cases: Vec<(&str, Vec<u8>, Option<u64>)> = vec![
        ("edited", edited, None),
        ("deleted", [&log[..starts[1]], &log[starts[2]..]].concat(), None),
        ("swapped", [&log[..starts[0]], record(1), record(0), &log[starts[2]..]].concat(), None),
        ("front_dropped", [&log[..starts[0]], &log[starts[1]..]].concat(), None),
        ("cut_with_known_head", log[..starts[1]].to_vec(), Some(2)),
        ("torn_tail", log[..log.len() - 10].to_vec(), None),
    ];
    let cases: Vec<Value> = cases
        .into_iter()
        .map(|(name, bytes, known_head)| {
            json!({"name": name, "log_hex": hex::encode(&bytes), "known_head": known_head, "result": outcome(&bytes, known_head)})
        })
        .collect();
    json!({
        "description": "SPEC.md §15.8: a visitor log of desk key Ed25519 0x55 with the values receipt of receipts.json appended three times and a checkpoint after the second; the log purged; and the logs a checker refuses. Checked trusting only desk key 0x55.",
        "desk_key_seed": hex::encode([0x55; 32]),
        "log_hex": hex::encode(&log),
        "report": outcome(&log, None),
        "purge": {"cutoff": TIMES[1], "at": PURGE_AT, "dropped": dropped, "log_hex": hex::encode(&purged_log), "report": outcome(&purged_log, None)},
        "cases": cases,
    })
}

#[test]
fn visitor_log_vectors_replay_and_match_the_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/visitor_log.json");
    if std::env::var_os("NOCARD_WRITE_VECTORS").is_none() {
        let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let bytes = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap();
        assert_eq!(outcome(&bytes(&file["log_hex"]), None), file["report"]);
        assert_eq!(outcome(&bytes(&file["purge"]["log_hex"]), None), file["purge"]["report"]);
        let cases = file["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 6);
        for case in cases {
            let result = outcome(&bytes(&case["log_hex"]), case["known_head"].as_u64());
            assert_eq!(result, case["result"], "{}", case["name"]);
        }
    }
    check_vector_file("visitor_log.json", &build(), "the visitor log encoding");
}
