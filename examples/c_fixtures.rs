//! Writes the inputs of the C tests and the C scanner example into a
//! directory: the issuer's public COSE_Key and one scanned code per case,
//! all made with the public Rust API from fixed seeds at a fixed time, so
//! every run writes the same bytes.
//!
//! ```text
//! cargo run --example c_fixtures -- target/c-fixtures
//! ```
//!
//! | file | what | verified at `now.txt` |
//! |---|---|---|
//! | `issuer.cose` | NBPSB's Ed25519 public key (COSE_Key) | |
//! | `valid.txt` | resident ID card, hotel check-in view | valid |
//! | `challenge.txt` | internet café view with challenge 4711 | valid |
//! | `household.txt` | household register, whole document (records) | valid |
//! | `stale.txt` | a code shown two minutes earlier | `window_expired` |
//! | `tampered.txt` | `valid.txt` with the name changed | `bad_issuer_signature` |
//! | `wrong_key.txt` | a card signed by a key the scanner does not trust | `unknown_key` |
//! | `garbage.txt` | not a nocard code | `malformed` (`missing_prefix`) |
//! | `addressed.txt` | `valid.txt`'s view addressed to the verifier `desk-1` | valid at `desk-1` only |
//! | `licence.txt` | a driving licence, visitor log view | valid if the key's scope has `driving_licence` |
//! | `future.txt` | a card whose `iat` is a day after `now.txt` | `credential_issued_in_future` |
//! | `scans.txt` | the first seven codes, one per line, as a scanner gun types them | |
//! | `replay_invalid.ncrc` | a checksummed replay cache whose count is above its capacity | `state_invalid` |
//! | `root.cose` | the trust-list root's Ed25519 public key (COSE_Key) | |
//! | `trust_1.ncsl` | trust list 1 signed by the root: NBPSB's key for the ID card and household register, fresh | |
//! | `trust_2.ncsl` | trust list 2, the same keys, fresh | |
//! | `trust_stale.ncsl` | trust list 3, past its next update at `now.txt` | `trust_list_stale` if refused |
//! | `trust_rogue.ncsl` | trust list 4 signed by a key that is not the root | `trust_list_unknown_root` |
//! | `status.txt` | a resident ID card naming entry 5 of NBPSB's status list 7, hotel check-in view | valid |
//! | `status_valid.ncst` | status list 7 signed by NBPSB, every entry valid, issued a minute before `now.txt` | |
//! | `status_revoked.ncst` | status list 7, newer, entry 5 revoked | `credential_revoked` |
//! | `status_rogue.ncst` | status list 7 signed by the rogue key | `status_list_unknown_key` |
//! | `group.cose`, `other_group.cose` | two scanner groups' X25519 secret keys (COSE_Key) | |
//! | `sealed.txt` | `valid.txt` sealed to `group.cose` | valid with that group key |
//! | `sealed_other.txt` | `valid.txt` sealed to `other_group.cose` | `sealed_for_other_group` with `group.cose` |
//! | `sealed_tampered.txt` | `sealed.txt` with one ciphertext bit flipped | `sealed_open_failed` |
//! | `sealed_stale.txt` | `stale.txt` sealed to `group.cose` | `window_expired` |
//! | `desk.cose`, `desk_secret.cose` | a desk's Ed25519 public and secret keys (COSE_Key) | |
//! | `receipt_text.txt` | the desk's receipt of `valid.txt` (values, hotel check-in), as `NCR1:` text | valid with `desk.cose` |
//! | `portrait_code.txt` | a roadside code of a card whose `photo_digest` is `portrait.jpg`'s | valid |
//! | `portrait_frames.txt` | its portrait frames 0–62, one a line (SPEC.md §14) | `portrait.jpg` |
//! | `portrait_other_frames.txt` | the frames after the next window's code | `portrait_other_presentation` |
//! | `portrait_mismatch_code.txt`, `portrait_mismatch_frames.txt` | a card signing another photo's digest, and `portrait.jpg`'s frames after it | `portrait_digest_mismatch` |
//!
//! Every credential is issued at its `nbf` (`iat`), except `future.txt`'s.

use std::error::Error;
use std::path::PathBuf;

use nocard::credential::StatusRef;
use nocard::credential::{CredentialBundle, Issuer};
use nocard::document::{ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::portrait::PortraitSender;
use nocard::presentation::{Disclose, Holder, Presentation};
use nocard::receipt::{self, Minimise, Receipt};
use nocard::seal::{GroupAlgorithm, GroupSecretKey, IV_LEN, seal_with};
use nocard::state_file;
use nocard::status_list::{Status, StatusList, StatusListToken};
use nocard::text::{self, TextKind};
use nocard::trust_list::{IssuerEntry, TrustList};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use sha2::{Digest, Sha256};

/// 2026-11-23T08:00:00Z, the start of a 30-second window.
const NOW: u64 = 1_795_420_800;
/// When the C side verifies: 5 s into the window.
const SCAN_AT: u64 = NOW + 5;
const DAY: u64 = 86_400;
const ISSUER: &str = "NBPSB";
const ISSUER_SEED: &[u8; 32] = b"nocard C fixtures: issuer key 01";
const OTHER_ISSUER_SEED: &[u8; 32] = b"nocard C fixtures: rogue key 002";
const DEVICE_SEED: &[u8; 32] = b"nocard C fixtures: device key 03";
const ROOT_SEED: &[u8; 32] = b"nocard C fixtures: trust root 04";
const ROGUE_ROOT_SEED: &[u8; 32] = b"nocard C fixtures: rogue root 05";
const DESK_SEED: &[u8; 32] = b"nocard C fixtures: desk key 0006";
const GROUP_SEED: &[u8; 32] = b"nocard C fixtures: group key  06";
const OTHER_GROUP_SEED: &[u8; 32] = b"nocard C fixtures: group key  07";
const EPHEMERAL_SEED: &[u8; 32] = b"nocard C fixtures: ephemeral  08";

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: c_fixtures DIR")?);
    std::fs::create_dir_all(&dir)?;
    let issuer = Issuer::new(ISSUER, SecretKey::from_bytes(Algorithm::EdDsa, ISSUER_SEED)?)?;
    let rogue = Issuer::new(ISSUER, SecretKey::from_bytes(Algorithm::EdDsa, OTHER_ISSUER_SEED)?)?;
    let registry = Registry::builtin();
    let resident_id = registry.by_name("resident_id_card").ok_or("no resident_id_card")?;
    let household = registry.by_name("household_register").ok_or("no household_register")?;
    let licence = registry.by_name("driving_licence").ok_or("no driving_licence")?;

    let issued = |issuer: &Issuer, doc, issued_at| -> Result<CredentialBundle, Box<dyn Error>> {
        let device = SecretKey::from_bytes(Algorithm::Es256, DEVICE_SEED)?;
        let bundle = issuer
            .credential(doc, device.public_key(), doc.example_claims())
            .validity(NOW - 30 * DAY, NOW + 5 * 365 * DAY)
            .issued_at(issued_at)
            .salt_seed([0x5a; 32])
            .sign()?;
        Ok(bundle)
    };
    let bundle = |issuer: &Issuer, doc| issued(issuer, doc, NOW - 30 * DAY);
    let holder = |bundle| Holder::new(bundle, SecretKey::from_bytes(Algorithm::Es256, DEVICE_SEED)?);
    let card = holder(bundle(&issuer, resident_id)?)?;
    let hotel = Disclose::Profile(Profile::HotelCheckIn);

    let valid = card.present(hotel.clone()).at(NOW).sign()?;
    let challenge = card.present(Disclose::Profile(Profile::InternetCafe)).at(NOW).challenge(4711).sign()?;
    let register = holder(bundle(&issuer, household)?)?;
    let household_code = register.present(Disclose::Profile(Profile::GovernmentWindow)).at(NOW).sign()?;
    let stale = card.present(hotel.clone()).at(NOW - 120).sign()?;
    let wrong_key = holder(bundle(&rogue, resident_id)?)?.present(hotel.clone()).at(NOW).sign()?;
    let addressed = card.present(hotel.clone()).at(NOW).audience("desk-1").sign()?;
    let licence_code =
        holder(bundle(&issuer, licence)?)?.present(Disclose::Profile(Profile::VisitorLog)).at(NOW).sign()?;
    let future = holder(issued(&issuer, resident_id, SCAN_AT + DAY)?)?.present(hotel).at(NOW).sign()?;

    // The name 王小明 becomes 王小亮: still well-formed, but not what the issuer signed.
    let mut tampered = valid.as_bytes().to_vec();
    let name = "明".as_bytes();
    let at = tampered.windows(name.len()).position(|w| w == name).ok_or("name not found")?;
    tampered[at..at + name.len()].copy_from_slice("亮".as_bytes());

    let cases = [
        ("valid", valid.to_text()),
        ("challenge", challenge.to_text()),
        ("household", household_code.to_text()),
        ("stale", stale.to_text()),
        ("tampered", text::encode(TextKind::Presentation, &tampered)),
        ("wrong_key", wrong_key.to_text()),
        ("garbage", "THIS IS NOT A NOCARD CODE".to_string()),
    ];
    std::fs::write(dir.join("issuer.cose"), issuer.public_key().to_cose_key())?;
    // A desk's key for receipts and its visitor log (receipt_test.c).
    let desk = SecretKey::from_bytes(Algorithm::EdDsa, DESK_SEED)?;
    std::fs::write(dir.join("desk.cose"), desk.public_key().to_cose_key())?;
    std::fs::write(dir.join("desk_secret.cose"), desk.to_cose_key().as_slice())?;
    // The receipt text a scanner reads off a printed copy (Ed25519 signs
    // deterministically, so the text is the same on every run).
    let trusted = TrustedKey::new(ISSUER, issuer.public_key().clone(), KeyScope::AllTypes)?;
    let verified = Verifier::new(vec![trusted], Policy::default())?.verify(valid.to_text().as_bytes(), SCAN_AT)?;
    let receipt = Receipt::issue(
        &verified,
        &registry,
        &desk,
        "hotel:NB-0042",
        SCAN_AT,
        Some(Profile::HotelCheckIn),
        Minimise::Values,
    )?;
    std::fs::write(dir.join("receipt_text.txt"), format!("{}\n", receipt::to_text(&receipt.bytes)))?;
    std::fs::write(dir.join("now.txt"), format!("{SCAN_AT}\n"))?;
    let mut scans = String::new();
    for (name, code) in &cases {
        std::fs::write(dir.join(format!("{name}.txt")), format!("{code}\n"))?;
        scans.push_str(code);
        scans.push('\n');
    }
    let policy_cases =
        [("addressed", addressed.to_text()), ("licence", licence_code.to_text()), ("future", future.to_text())];
    for (name, code) in &policy_cases {
        std::fs::write(dir.join(format!("{name}.txt")), format!("{code}\n"))?;
    }
    std::fs::write(dir.join("scans.txt"), scans)?;
    // Capacity 1, count 2: sealed correctly, but not a cache.
    std::fs::write(dir.join("replay_invalid.ncrc"), state_file::seal(b"NCRC", 1, &[0, 0, 0, 1, 0, 0, 0, 2]))?;

    // Trust lists naming the fixture issuer's key, as a back end signs them.
    let root = SecretKey::from_bytes(Algorithm::EdDsa, ROOT_SEED)?;
    let rogue_root = SecretKey::from_bytes(Algorithm::EdDsa, ROGUE_ROOT_SEED)?;
    let trust_list = |sequence, next_update| TrustList {
        sequence,
        issued_at: NOW - DAY,
        next_update,
        entries: vec![IssuerEntry {
            key: issuer.public_key().clone(),
            issuer: ISSUER.into(),
            scope: KeyScope::types(&["resident_id_card", "household_register"]).expect("known types"),
            signs_from: None,
            signs_until: None,
            compromised_at: None,
        }],
        next_roots: Vec::new(),
    };
    std::fs::write(dir.join("root.cose"), root.public_key().to_cose_key())?;
    std::fs::write(dir.join("trust_1.ncsl"), trust_list(1, NOW + 7 * DAY).sign(&root)?)?;
    std::fs::write(dir.join("trust_2.ncsl"), trust_list(2, NOW + 7 * DAY).sign(&root)?)?;
    std::fs::write(dir.join("trust_stale.ncsl"), trust_list(3, NOW).sign(&root)?)?;
    std::fs::write(dir.join("trust_rogue.ncsl"), trust_list(4, NOW + 7 * DAY).sign(&rogue_root)?)?;

    // A card naming entry 5 of status list 7, and that list's tokens.
    let device = SecretKey::from_bytes(Algorithm::Es256, DEVICE_SEED)?;
    let revocable = issuer
        .credential(resident_id, device.public_key(), resident_id.example_claims())
        .validity(NOW - 30 * DAY, NOW + 5 * 365 * DAY)
        .issued_at(NOW - 30 * DAY)
        .salt_seed([0x5a; 32])
        .status(StatusRef { list: 7, index: 5 })
        .sign()?;
    let status_code = holder(revocable)?.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign()?;
    std::fs::write(dir.join("status.txt"), format!("{}\n", status_code.to_text()))?;
    let status_token = |issued_at, revoked: Option<usize>| -> Result<StatusListToken, Box<dyn Error>> {
        let mut list = StatusList::new(2, 1024)?;
        if let Some(index) = revoked {
            list.set(index, Status::Revoked)?;
        }
        Ok(StatusListToken { issuer: ISSUER.into(), list_id: 7, issued_at, expires: NOW + DAY, ttl: None, list })
    };
    let issuer_secret = SecretKey::from_bytes(Algorithm::EdDsa, ISSUER_SEED)?;
    let rogue_secret = SecretKey::from_bytes(Algorithm::EdDsa, OTHER_ISSUER_SEED)?;
    std::fs::write(dir.join("status_valid.ncst"), status_token(NOW - 60, None)?.sign(&issuer_secret)?)?;
    std::fs::write(dir.join("status_revoked.ncst"), status_token(NOW - 30, Some(5))?.sign(&issuer_secret)?)?;
    std::fs::write(dir.join("status_rogue.ncst"), status_token(NOW - 10, None)?.sign(&rogue_secret)?)?;
    // Sealed codes (SPEC.md §13), with a fixed ephemeral key and IV so every
    // run writes the same bytes.
    let group = GroupSecretKey::from_bytes(GroupAlgorithm::X25519, GROUP_SEED)?;
    let other_group = GroupSecretKey::from_bytes(GroupAlgorithm::X25519, OTHER_GROUP_SEED)?;
    let ephemeral = GroupSecretKey::from_bytes(GroupAlgorithm::X25519, EPHEMERAL_SEED)?;
    let sealed_to = |presentation: &[u8], group: &GroupSecretKey| {
        seal_with(presentation, group.public_key(), &ephemeral, [0x11; IV_LEN])
    };
    let sealed = sealed_to(valid.as_bytes(), &group)?;
    let mut tampered_sealed = sealed.as_bytes().to_vec();
    // Byte 40 is inside the ciphertext, which starts at byte 23 (SPEC.md §13.1).
    tampered_sealed[40] ^= 0x01;
    std::fs::write(dir.join("group.cose"), group.to_cose_key().as_slice())?;
    std::fs::write(dir.join("other_group.cose"), other_group.to_cose_key().as_slice())?;
    let sealed_cases = [
        ("sealed", sealed.to_text()),
        ("sealed_other", sealed_to(valid.as_bytes(), &other_group)?.to_text()),
        ("sealed_tampered", text::encode(TextKind::Sealed, &tampered_sealed)),
        ("sealed_stale", sealed_to(stale.as_bytes(), &group)?.to_text()),
    ];
    for (name, code) in &sealed_cases {
        std::fs::write(dir.join(format!("{name}.txt")), format!("{code}\n"))?;
    }
    // Portrait frames (SPEC.md §14) after a roadside code of a card whose
    // photo_digest is the test portrait's, and after one whose digest is
    // another photo's; frames of the next window's code, for the mix.
    const PORTRAIT: &[u8] = include_bytes!("../tests/vectors/portrait/portrait.jpg");
    let roadside = |photo: &[u8], at| -> Result<Presentation, Box<dyn Error>> {
        let mut claims = resident_id.example_claims();
        if let Some(c) = claims.iter_mut().find(|c| c.name == "photo_digest") {
            c.value = ClaimValue::Bytes(Sha256::digest(photo).to_vec());
        }
        let bundle = issuer
            .credential(resident_id, device.public_key(), claims)
            .validity(NOW - 30 * DAY, NOW + 5 * 365 * DAY)
            .issued_at(NOW - 30 * DAY)
            .salt_seed([0x5a; 32])
            .sign()?;
        Ok(holder(bundle)?.present(Disclose::Profile(Profile::RoadsideCheck)).at(at).sign()?)
    };
    let frames = |p: &Presentation, count: u32| -> Result<String, Box<dyn Error>> {
        let sender = PortraitSender::new(p, PORTRAIT)?;
        Ok((0..count).map(|i| sender.frame(i).map(|f| f + "\n")).collect::<Result<String, _>>()?)
    };
    let portrait_code = roadside(PORTRAIT, NOW)?;
    let mismatch_code = roadside(b"the enrolment photo", NOW)?;
    std::fs::write(dir.join("portrait.jpg"), PORTRAIT)?;
    std::fs::write(dir.join("portrait_code.txt"), format!("{}\n", portrait_code.to_text()))?;
    std::fs::write(dir.join("portrait_frames.txt"), frames(&portrait_code, 63)?)?;
    std::fs::write(dir.join("portrait_other_frames.txt"), frames(&roadside(PORTRAIT, NOW + 30)?, 63)?)?;
    std::fs::write(dir.join("portrait_mismatch_code.txt"), format!("{}\n", mismatch_code.to_text()))?;
    std::fs::write(dir.join("portrait_mismatch_frames.txt"), frames(&mismatch_code, 63)?)?;

    let count = cases.len() + policy_cases.len() + sealed_cases.len();
    println!("wrote issuer.cose, now.txt ({SCAN_AT}), scans.txt and {count} codes to {}", dir.display());
    Ok(())
}
