//! The hotel check-in presentation both verify benchmarks measure, the two
//! signed messages inside it, and a desk that verifies it with all three
//! offline caches. Shared by `benches/verify.rs` (criterion medians),
//! `benches/verify_ratio.rs` (the interleaved CI gate) and
//! `benches/replay.rs`, each including this file with `#[path]`.

use coset::{AsCborValue, CborSerializable, CoseSign1};
use nocard::credential::{Issuer, StatusRef};
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::replay::ReplayCache;
use nocard::status_list::{Status, StatusCheck, StatusList, StatusListToken, StatusStore};
use nocard::trust_list::{IssuerEntry, StaleList, TrustList, TrustStore};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verified, Verifier};
use std::cell::RefCell;
use std::hint::black_box;

pub const NOW: u64 = 1_795_420_800;

/// A resident ID card (Ed25519 issuer, P-256 device key) presented for
/// hotel check-in, with a verifier that trusts its issuer for that type.
pub struct Fixture {
    pub text: String,
    pub verifier: Verifier,
    pub desk: Desk,
    issuer_public: PublicKey,
    device_public: PublicKey,
    issuer_tbs: Vec<u8>,
    issuer_sig: Vec<u8>,
    device_tbs: Vec<u8>,
    device_sig: Vec<u8>,
}

impl Fixture {
    pub fn new() -> Self {
        let issuer_key = issuer_key();
        let device_key = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
        let issuer_public = issuer_key.public_key().clone();
        let device_public = device_key.public_key().clone();
        let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
        let issuer = Issuer::new("NBPSB", issuer_key).unwrap();
        let bundle = issuer
            .credential(&doc, &device_public, doc.example_claims())
            .validity(NOW - 1000, NOW + 1000)
            .issued_at(NOW - 1000)
            .status(StatusRef { list: 7, index: STATUS_INDEX })
            .sign()
            .unwrap();
        let holder = Holder::new(bundle, device_key).unwrap();
        let presentation = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
        let scope = KeyScope::types(&["resident_id_card"]).unwrap();
        let trusted = TrustedKey::new("NBPSB", issuer_public.clone(), scope).unwrap();
        let verifier = Verifier::new(vec![trusted], Policy::default()).unwrap();

        // The two signed messages, extracted with coset rather than nocard.
        let outer = CoseSign1::from_slice(presentation.as_bytes()).unwrap();
        let payload: ciborium::Value = ciborium::from_reader(outer.payload.as_deref().unwrap()).unwrap();
        let credential = CoseSign1::from_cbor_value(payload.as_map().unwrap()[0].1.clone()).unwrap();
        let fixture = Fixture {
            text: presentation.to_text(),
            verifier,
            desk: Desk::new(&issuer_public),
            issuer_public,
            device_public,
            issuer_tbs: credential.tbs_data(&[]),
            issuer_sig: credential.signature.clone(),
            device_tbs: outer.tbs_data(&[]),
            device_sig: outer.signature.clone(),
        };
        assert!(fixture.verifier.verify(fixture.text.as_bytes(), NOW).is_ok());
        fixture.desk_verify();
        fixture
    }

    /// What a deployed desk does per scan (SPEC.md §5 and what follows it):
    /// trust list freshness, full verification with the keys the signed
    /// list holds, the credential's status, then the replay cache. Each
    /// scan is admitted as a new presentation (its id made unique), so the
    /// cache takes the insert path a first scan takes.
    pub fn desk_verify(&self) -> Verified {
        let desk = &self.desk;
        desk.trust.current().unwrap().check_fresh(NOW, StaleList::Accept).unwrap();
        let mut verified = desk.verifier.verify(black_box(self.text.as_bytes()), NOW).unwrap();
        assert!(matches!(desk.status.check(&verified, NOW).unwrap(), StatusCheck::Valid(_)));
        let mut scans = desk.scans.borrow_mut();
        *scans += 1;
        verified.presentation_id[..8].copy_from_slice(&scans.to_be_bytes());
        desk.replay.borrow_mut().admit(&verified, NOW).unwrap();
        verified
    }

    /// Everything: text in, typed result out.
    pub fn full(&self) {
        black_box(self.verifier.verify(black_box(self.text.as_bytes()), NOW).unwrap());
    }

    /// The floor: only the two signature verifications inside `full`.
    pub fn bare(&self) {
        self.issuer_public.verify(black_box(&self.issuer_tbs), &self.issuer_sig).unwrap();
        self.device_public.verify(black_box(&self.device_tbs), &self.device_sig).unwrap();
    }
}

/// The credential's index in its status list.
const STATUS_INDEX: u32 = 4242;
/// Entries in the status list: the size of a city's resident ID cards.
const STATUS_ENTRIES: usize = 1_000_000;

/// A desk's offline state: a signed trust list (root-verified), the
/// issuer's status list for the credential, and a replay cache.
pub struct Desk {
    trust: TrustStore,
    verifier: Verifier,
    status: StatusStore,
    replay: RefCell<ReplayCache>,
    scans: RefCell<u64>,
}

impl Desk {
    fn new(issuer_public: &PublicKey) -> Self {
        let root = SecretKey::from_bytes(Algorithm::EdDsa, &[0x33; 32]).unwrap();
        let list = TrustList {
            sequence: 1,
            issued_at: NOW - 3600,
            next_update: NOW + 86_400,
            entries: vec![IssuerEntry {
                key: issuer_public.clone(),
                issuer: "NBPSB".into(),
                scope: KeyScope::types(&["resident_id_card"]).unwrap(),
                signs_from: Some(NOW - 86_400 * 365),
                signs_until: Some(NOW + 86_400 * 365),
                compromised_at: None,
            }],
            next_roots: vec![],
        };
        let mut trust = TrustStore::new(vec![root.public_key().clone()]).unwrap();
        trust.update(&list.sign(&root).unwrap()).unwrap();
        let keys = trust.current().unwrap().trusted_keys().unwrap();
        let verifier = Verifier::new(keys.clone(), Policy::default()).unwrap();

        let mut statuses = StatusList::new(1, STATUS_ENTRIES).unwrap();
        for index in (0..STATUS_ENTRIES).step_by(100) {
            statuses.set(index + 1, Status::Revoked).unwrap();
        }
        let token = StatusListToken {
            issuer: "NBPSB".into(),
            list_id: 7,
            issued_at: NOW - 600,
            expires: NOW + 86_400,
            ttl: None,
            list: statuses,
        };
        let mut status = StatusStore::new(keys);
        status.update(&token.sign(&issuer_key()).unwrap(), NOW).unwrap();
        let replay = RefCell::new(ReplayCache::new(ReplayCache::MAX_CAPACITY).unwrap());
        Desk { trust, verifier, status, replay, scans: RefCell::new(0) }
    }
}

/// The issuer's signing key (Ed25519), for credentials and status lists.
fn issuer_key() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap()
}
