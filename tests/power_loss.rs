//! A state write interrupted by `kill -9` leaves the last good state: the
//! file on disk is always one whole state file, never a torn one.
//!
//! The writer is this test binary run again as a child (the ignored test
//! `writer_child`, selected with `--exact --ignored`), saving two replay
//! caches in turn with `state_file::write_atomically`, the function every
//! cache (replay, trust state, status store) saves through. The parent
//! kills it with SIGKILL at a spread of moments and checks what is left.

#![cfg(unix)]

use nocard::replay::ReplayCache;
use nocard::state_file::{seal, write_atomically};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

const PATH_VAR: &str = "NOCARD_POWER_LOSS_STATE";

/// A replay cache state file (SPEC.md §10.1 frame, `NCRC` version 1) of
/// `count` live entries, built from the documented layout; `salt` makes two
/// caches differ in every entry.
fn cache_file(count: u32, salt: u8) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&ReplayCache::MAX_CAPACITY.to_be_bytes()[4..]);
    body.extend_from_slice(&count.to_be_bytes());
    for n in 0..count {
        let mut id = [salt; 32];
        id[..4].copy_from_slice(&n.to_be_bytes());
        body.extend_from_slice(&id);
        body.extend_from_slice(&1_000u64.to_be_bytes());
        body.extend_from_slice(&u64::MAX.to_be_bytes());
    }
    seal(b"NCRC", 1, &body)
}

fn states() -> [Vec<u8>; 2] {
    [cache_file(60_000, 0xa5), cache_file(90_000, 0x5a)]
}

/// The child: saves the two states in turn until it is killed.
#[test]
#[ignore = "run by a_kill_during_a_save_leaves_a_whole_state as its child"]
fn writer_child() {
    let path = PathBuf::from(std::env::var_os(PATH_VAR).expect("run by the parent test"));
    let states = states();
    for state in states.iter().cycle() {
        write_atomically(&path, state).unwrap();
    }
}

fn spawn_writer(path: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["writer_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(PATH_VAR, path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_kill_during_a_save_leaves_a_whole_state() {
    let dir = std::env::temp_dir().join(format!("nocard-power-loss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("replay.state");
    let states = states();
    for state in &states {
        ReplayCache::from_bytes(state).expect("the test's state files are valid caches");
    }
    // Kills at a spread of moments, from just after start-up to well into
    // the loop, so they land in every phase of a save (write, fsync, rename,
    // directory fsync); on a slow disk the delays grow until both states
    // have been seen, which shows the kills did land between saves.
    let mut seen = [0usize; 2];
    let mut round = 0u64;
    while round < 24 || seen.contains(&0) {
        assert!(round < 240, "after {round} kills only one state was ever seen: {seen:?}");
        let mut child = spawn_writer(&path);
        sleep(Duration::from_millis(20 + round * 13 % 170 + (round / 24) * 100));
        child.kill().unwrap();
        child.wait().unwrap();
        round += 1;
        let Ok(bytes) = std::fs::read(&path) else {
            assert_eq!(seen, [0, 0], "round {round}: the state file vanished after a save");
            continue; // killed before its first save finished
        };
        let which = states.iter().position(|s| *s == bytes);
        let which = which.unwrap_or_else(|| panic!("round {round}: a torn state file of {} bytes", bytes.len()));
        assert!(ReplayCache::from_bytes(&bytes).is_ok(), "round {round}");
        seen[which] += 1;
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
