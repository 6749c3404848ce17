use super::*;
use crate::keys::Algorithm;
use crate::testing::*;
use crate::verify::{Policy, Verifier};

fn root(seed: u8) -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[seed; 32]).unwrap()
}

fn list(sequence: u64) -> TrustList {
    TrustList {
        sequence,
        issued_at: NOW,
        next_update: NOW + 7 * 86_400,
        entries: vec![IssuerEntry {
            key: issuer_key(Algorithm::EdDsa).public_key().clone(),
            issuer: ISSUER.into(),
            scope: KeyScope::types(&["resident_id_card"]).unwrap(),
            signs_from: None,
            signs_until: None,
            compromised_at: None,
        }],
        next_roots: Vec::new(),
    }
}

fn store() -> TrustStore {
    TrustStore::new(vec![root(0x71).public_key().clone()]).unwrap()
}

#[test]
fn a_signed_list_is_taken_and_its_keys_verify_within_their_scope() {
    let mut store = store();
    let taken = store.update(&list(1).sign(&root(0x71)).unwrap()).unwrap();
    assert_eq!(taken, &list(1));
    let next_update = NOW + 7 * 86_400;
    for stale in [StaleList::Accept, StaleList::Refuse] {
        assert_eq!(taken.check_fresh(next_update - 1, stale), Ok(false));
    }
    assert_eq!(taken.check_fresh(next_update, StaleList::default()), Ok(true), "accepted, flagged stale");
    assert_eq!(taken.check_fresh(next_update, StaleList::Refuse), Err(Error::TrustListStale { next_update }));
    let verifier = Verifier::new(taken.trusted_keys().unwrap(), Policy::default()).unwrap();
    let hotel = present(crate::presentation::Disclose::Profile(crate::document::Profile::HotelCheckIn));
    assert_eq!(verifier.verify_bytes(hotel.as_bytes(), NOW).unwrap().doc_type, "resident_id_card");
}

#[test]
fn old_lists_foreign_signers_and_altered_contents_are_refused() {
    let mut store = store();
    store.update(&list(2).sign(&root(0x71)).unwrap()).unwrap();
    // The list held, offered again byte for byte: no change.
    assert_eq!(store.update(&list(2).sign(&root(0x71)).unwrap()), Ok(&list(2)));
    // Another list with the same sequence, or an older one: no rollback.
    let same_sequence = TrustList { next_update: NOW + 86_400, ..list(2) };
    assert_eq!(
        store.update(&same_sequence.sign(&root(0x71)).unwrap()),
        Err(TrustListError::Rollback { held: 2, offered: 2 })
    );
    assert_eq!(
        store.update(&list(1).sign(&root(0x71)).unwrap()),
        Err(TrustListError::Rollback { held: 2, offered: 1 })
    );
    // Signed by a key that is not a root.
    assert_eq!(store.update(&list(3).sign(&root(0x72)).unwrap()), Err(TrustListError::UnknownRoot));
    // Validly signed, then one byte of the contents changed (the issuer name).
    let mut altered = list(3).sign(&root(0x71)).unwrap();
    let at = altered.windows(5).position(|w| w == ISSUER.as_bytes()).unwrap();
    altered[at] ^= 0x01;
    assert_eq!(store.update(&altered), Err(TrustListError::BadSignature));
    assert_eq!(store.current().unwrap().sequence, 2);
}

#[test]
fn the_root_moves_only_through_a_list_signed_by_the_current_root() {
    let mut store = store();
    // A list naming a new root, signed by that new root: refused.
    let rotate = TrustList { next_roots: vec![root(0x72).public_key().clone()], ..list(1) };
    assert_eq!(store.update(&rotate.sign(&root(0x72)).unwrap()), Err(TrustListError::UnknownRoot));
    // Signed by the current root: taken, and the new root is in force.
    store.update(&rotate.sign(&root(0x71)).unwrap()).unwrap();
    assert_eq!(store.roots(), &[root(0x72).public_key().clone()]);
    assert_eq!(store.update(&list(2).sign(&root(0x71)).unwrap()), Err(TrustListError::UnknownRoot));
    store.update(&list(2).sign(&root(0x72)).unwrap()).unwrap();
}

#[test]
fn bodies_out_of_range_are_refused_when_signed_and_when_read() {
    let bad = [
        TrustList { next_update: NOW, ..list(1) },
        TrustList { entries: Vec::new(), ..list(1) },
        TrustList { entries: [list(1).entries, list(1).entries].concat(), ..list(1) },
    ];
    for (i, body) in bad.iter().enumerate() {
        assert!(matches!(body.sign(&root(0x71)), Err(Error::Malformed(_))), "case {i}");
    }
    assert_eq!(TrustStore::new(Vec::new()).unwrap_err(), Error::InvalidConfig(crate::error::ConfigError::TrustRoots));
    let twice = vec![root(0x71).public_key().clone(), root(0x71).public_key().clone()];
    assert_eq!(TrustStore::new(twice).unwrap_err(), Error::InvalidConfig(crate::error::ConfigError::TrustRoots));
    // A list cut short at every length is malformed, never taken.
    let bytes = list(1).sign(&root(0x71)).unwrap();
    for len in 0..bytes.len() {
        let mut store = store();
        assert!(store.update(&bytes[..len]).is_err(), "cut at {len}");
        assert!(store.current().is_none());
    }
}

/// The test credential has no `iat`: its issue time is its `nbf`.
const ISSUED: u64 = NOW - YEAR / 2;

fn verify_hotel_under(entry: IssuerEntry) -> Result<crate::verify::Verified, Error> {
    let mut store = store();
    let body = TrustList { entries: vec![entry], ..list(1) };
    let taken = store.update(&body.sign(&root(0x71)).unwrap()).unwrap();
    assert_eq!(taken, &body, "the signing period and compromise time survive the round trip");
    let verifier = Verifier::new(taken.trusted_keys()?, Policy::default())?;
    let hotel = present(crate::presentation::Disclose::Profile(crate::document::Profile::HotelCheckIn));
    verifier.verify_bytes(hotel.as_bytes(), NOW)
}

#[test]
fn an_entry_signs_only_in_its_period_and_before_its_compromise() {
    let entry = || list(1).entries.remove(0);
    let within = IssuerEntry { signs_from: Some(ISSUED), signs_until: Some(ISSUED + 1), ..entry() };
    assert_eq!(verify_hotel_under(within).unwrap().doc_type, "resident_id_card");
    let rotated_out = IssuerEntry { signs_until: Some(ISSUED), ..entry() };
    assert_eq!(verify_hotel_under(rotated_out).unwrap_err(), Error::IssuedOutsideKeyPeriod { issued_at: ISSUED });
    let not_yet = IssuerEntry { signs_from: Some(ISSUED + 1), ..entry() };
    assert_eq!(verify_hotel_under(not_yet).unwrap_err(), Error::IssuedOutsideKeyPeriod { issued_at: ISSUED });
    let compromised = IssuerEntry { compromised_at: Some(ISSUED), ..entry() };
    let refused = Error::IssuerKeyCompromised { compromised_at: ISSUED, issued_at: ISSUED };
    assert_eq!(verify_hotel_under(compromised).unwrap_err(), refused);
    let compromised_later = IssuerEntry { compromised_at: Some(ISSUED + 1), ..entry() };
    assert_eq!(verify_hotel_under(compromised_later).unwrap().doc_type, "resident_id_card");
    // An empty signing period is refused when the list is signed.
    let empty = TrustList { entries: vec![IssuerEntry { signs_until: Some(0), ..entry() }], ..list(1) };
    assert!(matches!(empty.sign(&root(0x71)), Err(Error::Malformed(_))));
}

#[test]
fn a_saved_store_keeps_its_roots_list_and_sequence_and_every_damage_is_refused() {
    use crate::state_file::StateFileError;
    let empty = store();
    assert_eq!(TrustStore::from_bytes(&empty.to_bytes()), Ok(empty.clone()));
    // After a root rotation the list's signer is no longer a root; it still loads.
    let mut store = store();
    let rotate = TrustList { next_roots: vec![root(0x72).public_key().clone()], ..list(5) };
    store.update(&rotate.sign(&root(0x71)).unwrap()).unwrap();
    let bytes = store.to_bytes();
    let mut restarted = TrustStore::from_bytes(&bytes).unwrap();
    assert_eq!(restarted, store);
    // The restarted store still refuses what the running one refused.
    let old = TrustList { sequence: 4, ..list(4) }.sign(&root(0x72)).unwrap();
    assert_eq!(restarted.update(&old), Err(TrustListError::Rollback { held: 5, offered: 4 }));
    restarted.update(&list(6).sign(&root(0x72)).unwrap()).unwrap();
    // Cut short at every length, one bit flipped at every offset.
    for len in 0..bytes.len() {
        assert!(TrustStore::from_bytes(&bytes[..len]).is_err(), "cut at {len}");
    }
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        let expected = match at {
            0..4 => StateFileError::WrongKind,
            4 => StateFileError::Version(1 ^ 0x10),
            _ => StateFileError::Checksum,
        };
        assert_eq!(TrustStore::from_bytes(&flipped), Err(expected), "flip at {at}");
    }
    // A replay cache's file is not a trust store.
    let replay = crate::replay::ReplayCache::new(1).unwrap().to_bytes();
    assert_eq!(TrustStore::from_bytes(&replay), Err(StateFileError::WrongKind));
    // Checksummed, but no roots.
    let no_roots = crate::state_file::seal(b"NCTS", 1, &[0xa1, 0x01, 0x80]);
    assert_eq!(TrustStore::from_bytes(&no_roots), Err(StateFileError::Invalid));
}
