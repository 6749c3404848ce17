use super::*;
use crate::testing::{NOW, YEAR, device_key, issuer_key};

/// A signer standing in for a foreign one: a P-256 key that answers in DER,
/// in raw form, or throws.
struct Keystore {
    key: SecretKey,
    /// The uncompressed SEC1 point.
    point: Vec<u8>,
    mode: Mode,
}

#[derive(Clone, Copy)]
enum Mode {
    Raw,
    Der,
    Throws,
    Unexpected,
    WrongKey,
}

impl DeviceSigner for Keystore {
    fn public_key(&self) -> Result<Vec<u8>, NocardError> {
        // X.509 SubjectPublicKeyInfo, as `java.security.PublicKey.encoded`.
        Ok([&P256_SPKI_PREFIX[..], &self.point].concat())
    }

    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, NocardError> {
        let raw = self.key.sign(&message);
        match self.mode {
            Mode::Raw => Ok(raw.to_vec()),
            Mode::Der => Ok(p256::ecdsa::Signature::from_slice(&raw).unwrap().to_der().as_bytes().to_vec()),
            Mode::Throws => Err(NocardError::signer("user cancelled")),
            Mode::Unexpected => Err(uniffi::UnexpectedUniFFICallbackError::new("KeyStoreException: locked").into()),
            Mode::WrongKey => Ok(SecretKey::from_bytes(Algorithm::Es256, &[0x77; 32]).unwrap().sign(&message).to_vec()),
        }
    }
}

fn keystore(mode: Mode) -> Arc<dyn DeviceSigner> {
    // The secret of `device_key(Algorithm::Es256)`.
    let p256 = p256::ecdsa::SigningKey::from_slice(&[0x22; 32]).unwrap();
    let point = p256.verifying_key().to_sec1_point(false).as_bytes().to_vec();
    Arc::new(Keystore { key: device_key(Algorithm::Es256), point, mode })
}

fn issuer() -> Arc<Issuer> {
    Issuer::new("NBPSB".into(), issuer_key(Algorithm::EdDsa).to_cose_key().to_vec()).unwrap()
}

fn credential(signer: &Arc<dyn DeviceSigner>) -> String {
    let device = signer.public_key().unwrap();
    issuer().issue("resident_id_card".into(), device, None, NOW - YEAR, NOW + YEAR, None, None, None).unwrap()
}

/// The code with the signed issuer name `NBPSB` changed to `NBPSC`.
pub(crate) fn tamper(text: &str) -> String {
    use crate::text::{TextKind, decode, encode};
    let mut bytes = decode(TextKind::Presentation, text.as_bytes()).unwrap();
    let at = bytes.windows(5).position(|w| w == b"NBPSB").unwrap();
    bytes[at + 4] = b'C';
    encode(TextKind::Presentation, &bytes)
}

fn hotel() -> Disclose {
    Disclose::Profile { name: "hotel_check_in".into() }
}

/// The test issuer NBPSB's key, trusted for `scope`.
fn trusted_issuer(scope: KeyScope) -> TrustedIssuer {
    TrustedIssuer {
        issuer: "NBPSB".into(),
        public_key: issuer().public_key(),
        scope,
        signs_from: None,
        signs_until: None,
        compromised_at: None,
    }
}

fn verifier(scope: KeyScope, policy: Policy) -> Result<Arc<Verifier>, NocardError> {
    Verifier::new(vec![trusted_issuer(scope)], policy)
}

fn ids() -> KeyScope {
    KeyScope::Types { names: vec!["resident_id_card".into()] }
}

fn code_of(e: &NocardError) -> &str {
    e.code_and_reason().0
}

#[test]
fn a_der_keystore_presents_and_the_desk_verifies() {
    let signer = keystore(Mode::Der);
    let holder = Holder::new(credential(&signer), signer).unwrap();
    assert_eq!(holder.doc_type(), "resident_id_card");
    let text = holder.present(hotel(), NOW + 7, 30, Some(4711), None).unwrap();
    let desk = verifier(ids(), Policy { challenge: Some(4711), ..Policy::default() }).unwrap();
    let v = desk.verify(text.clone(), NOW + 9).unwrap();
    assert_eq!((v.doc_type.as_str(), v.issuer.as_str()), ("resident_id_card", "NBPSB"));
    assert_eq!(v.key_id, issuer_key(Algorithm::EdDsa).public_key().id().to_string());
    assert_eq!((v.window_start, v.window_end, v.challenge), (NOW, NOW + 30, Some(4711)));
    assert_eq!(v.presentation_id.len(), 32);
    assert_eq!(
        v.claims.iter().find(|c| c.name == "name").map(|c| &c.value),
        Some(&ClaimValue::Text { value: "王小明".into() })
    );
    assert_eq!(
        v.claims.iter().find(|c| c.name == "birth_date").map(|c| &c.value),
        Some(&ClaimValue::Date { year: 1990, month: 5, day: 17 })
    );
    // The raw r‖s signer makes the very same code (ECDSA is deterministic).
    let raw = keystore(Mode::Raw);
    let raw_text = Holder::new(credential(&raw), raw).unwrap().present(hotel(), NOW + 7, 30, Some(4711), None);
    assert_eq!(raw_text.unwrap(), text);
}

#[test]
fn signer_failures_are_typed_errors() {
    let present = |mode| {
        let good = keystore(Mode::Raw);
        let holder = Holder::new(credential(&good), keystore(mode)).unwrap();
        holder.present(hotel(), NOW, 30, None, None).unwrap_err()
    };
    let signer = |reason: &str| NocardError::Signer { code: "usage".into(), reason: reason.into() };
    assert_eq!(present(Mode::Throws), signer("usage error: device signer failed: user cancelled"));
    assert_eq!(present(Mode::Unexpected), signer("usage error: device signer failed: KeyStoreException: locked"));
    assert_eq!(present(Mode::WrongKey), signer("usage error: device signer failed: signature does not verify"));
}

#[test]
fn a_signer_of_another_key_is_refused_at_construction() {
    let other = software_signer(Some(vec![0x44; 32])).unwrap();
    let e = Holder::new(credential(&keystore(Mode::Raw)), other).map(|_| ()).unwrap_err();
    let reason = "usage error: device key is not the key the credential is bound to";
    assert_eq!(e, NocardError::Usage { code: "usage".into(), reason: reason.into() });
}

#[test]
fn the_rotating_presenter_redraws_before_the_window_ends() {
    let signer = software_signer(None).unwrap();
    let holder = Holder::new(credential(&signer), signer).unwrap();
    let code = RotatingPresenter::new(holder, hotel(), 30).unwrap();
    let first = code.frame(NOW + 5).unwrap();
    assert_eq!(
        (first.window_start, first.window_end, first.redraw_at, first.seconds_to_redraw),
        (NOW, NOW + 30, NOW + 28, 23)
    );
    assert_eq!((first.qr.version, first.qr.width), (13, 69));
    assert_eq!(first.qr.dark.len(), 69 * 69);
    assert_eq!(&first.qr.dark[..7], &[1; 7]); // the top-left finder pattern
    let same = code.frame(NOW + 27).unwrap(); // cached: not re-signed inside the window
    assert_eq!((same.text.as_str(), same.seconds_to_redraw), (first.text.as_str(), 1));
    let next = code.frame(NOW + 28).unwrap();
    assert_eq!((next.window_start, next.redraw_at, next.seconds_to_redraw), (NOW + 30, NOW + 58, 30));
    let desk = verifier(KeyScope::AllTypes, Policy::default()).unwrap();
    assert_eq!(desk.verify(next.text.clone(), NOW + 28).unwrap().window_start, NOW + 30);
    let stale = desk.verify(first.text, NOW + 41).unwrap_err();
    assert_eq!(
        stale,
        NocardError::WindowExpired {
            code: "window_expired".into(),
            reason: alloc::format!("presentation window ended at {} (now {})", NOW + 30, NOW + 41),
            end: NOW + 30,
            now: NOW + 41,
        }
    );
    assert_eq!(&code.png(NOW + 28, 2).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn each_refusal_keeps_its_core_code() {
    let signer = keystore(Mode::Raw);
    let holder = Holder::new(credential(&signer), signer).unwrap();
    let text = holder.present(hotel(), NOW, 30, None, None).unwrap();
    let desk = verifier(ids(), Policy::default()).unwrap();
    // Tampered: the issuer's name inside the signed credential changed.
    assert_eq!(code_of(&desk.verify(tamper(&text), NOW).unwrap_err()), "bad_issuer_signature");
    let e = desk.verify(text.clone(), NOW + 60).unwrap_err();
    assert_eq!(code_of(&e), "window_expired");
    let challenged = verifier(ids(), Policy { challenge: Some(1234), ..Policy::default() }).unwrap();
    let e = challenged.verify(text.clone(), NOW).unwrap_err();
    assert!(matches!(e, NocardError::ChallengeMismatch { expected: 1234, found: None, .. }), "{e}");
    let diplomas = verifier(KeyScope::Types { names: vec!["university_diploma".into()] }, Policy::default()).unwrap();
    let e = diplomas.verify(text.clone(), NOW).unwrap_err();
    assert_eq!(code_of(&e), "key_not_allowed_for_doc_type");
    let stranger = Issuer::generate("NBPSB".into()).unwrap();
    let other = Verifier::new(
        vec![TrustedIssuer {
            issuer: "NBPSB".into(),
            public_key: stranger.public_key(),
            scope: KeyScope::AllTypes,
            signs_from: None,
            signs_until: None,
            compromised_at: None,
        }],
        Policy::default(),
    )
    .unwrap();
    assert!(matches!(other.verify(text, NOW).unwrap_err(), NocardError::UnknownKey { .. }));
}

#[test]
fn configurations_are_refused_when_set() {
    let detail = |r: Result<Arc<Verifier>, NocardError>| match r.map(|_| ()).unwrap_err() {
        NocardError::InvalidConfig { code, detail, .. } => (code, detail),
        other => panic!("{other}"),
    };
    let config = |d: &str| ("invalid_config".to_string(), d.to_string());
    assert_eq!(detail(verifier(KeyScope::Types { names: vec![] }, Policy::default())), config("empty_key_scope"));
    assert_eq!(detail(verifier(ids(), Policy { clock_skew: Some(301), ..Policy::default() })), config("clock_skew"));
    let hotel = Policy { profile: Some("hotel".into()), ..Policy::default() };
    assert_eq!(detail(verifier(ids(), hotel)), config("unknown_profile"));
    let typo = Policy { requirements: vec!["age_over_81".into()], ..Policy::default() };
    assert_eq!(detail(verifier(ids(), typo)), config("unknown_claim_name"));
    let adult = Policy { requirements: vec!["age_over_18=yes".into()], ..Policy::default() };
    assert_eq!(detail(verifier(ids(), adult)), config("requirement_value"));
    assert!(verifier(ids(), Policy { requirements: vec!["age_over_18=true".into()], ..Policy::default() }).is_ok());
}

#[test]
fn claims_cross_both_ways() {
    let claims = example_claims("household_register".into()).unwrap();
    let back: Vec<_> = claims.clone().into_iter().map(|c| Claim::from(c.into_core().unwrap())).collect();
    assert_eq!(back, claims);
    assert!(claims.iter().any(|c| matches!(&c.value, ClaimValue::Records { entries } if entries.len() == 2)));
    let bad = Claim { name: "birth_date".into(), value: ClaimValue::Date { year: 2026, month: 2, day: 30 } };
    assert_eq!(bad.into_core(), Err(UsageError::ClaimTypeMismatch("birth_date".into())));
}

fn presented(now: u64) -> String {
    let signer = keystore(Mode::Raw);
    Holder::new(credential(&signer), signer).unwrap().present(hotel(), now, 30, None, None).unwrap()
}

#[test]
fn a_replay_is_refused_with_its_first_sighting() {
    let desk = verifier(ids(), Policy::default()).unwrap();
    let replay = ReplayCache::new(2).unwrap();
    let text = presented(NOW);
    assert_eq!(desk.verify_once(text.clone(), NOW + 1, replay.clone()).unwrap().window_start, NOW);
    let e = desk.verify_once(text, NOW + 5, replay.clone()).unwrap_err();
    let reason = alloc::format!("presentation already accepted at {}", NOW + 1);
    assert_eq!(e, NocardError::Replayed { code: "replayed".into(), reason, first_seen: NOW + 1 });
    desk.verify_once(presented(NOW + 30), NOW + 30, replay.clone()).unwrap();
    let e = desk.verify_once(presented(NOW + 60), NOW + 60, replay.clone()).unwrap_err();
    assert!(matches!(e, NocardError::ReplayCacheFull { capacity: 2, .. }), "{e}");
    assert_eq!((replay.len(), replay.capacity()), (2, 2));
    let e = ReplayCache::new(0).map(|_| ()).unwrap_err();
    assert!(matches!(e, NocardError::InvalidConfig { ref detail, .. } if detail == "replay_capacity"), "{e}");
}

#[test]
fn a_saved_replay_cache_survives_a_restart_and_a_damaged_one_is_refused() {
    let dir = std::env::temp_dir().join(alloc::format!("nocard-bindings-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("replay.db").to_string_lossy().into_owned();
    let desk = verifier(ids(), Policy::default()).unwrap();
    let text = presented(NOW);
    desk.verify_once(text.clone(), NOW + 1, ReplayCache::open(path.clone(), 8).unwrap()).unwrap();
    // A restarted desk still knows the code.
    let e = desk.verify_once(text, NOW + 2, ReplayCache::open(path.clone(), 8).unwrap()).unwrap_err();
    assert!(matches!(e, NocardError::Replayed { first_seen, .. } if first_seen == NOW + 1), "{e}");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let e = ReplayCache::open(path.clone(), 8).map(|_| ()).unwrap_err();
    let reason = alloc::format!("{path}: state file checksum does not match (cut short or altered)");
    assert_eq!(e, NocardError::ReplayFile { code: "replay_file".into(), reason, detail: "state_checksum".into() });
    std::fs::remove_dir_all(&dir).unwrap();
}

fn trust_list(sequence: u64) -> TrustList {
    TrustList {
        sequence,
        issued_at: NOW,
        next_update: NOW + 86_400,
        issuers: vec![trusted_issuer(ids())],
        next_roots: vec![],
    }
}

#[test]
fn a_trust_store_takes_newer_lists_only_and_builds_the_verifier() {
    let root = TrustRoot::new(issuer_key(Algorithm::Es256).to_cose_key().to_vec()).unwrap();
    let store = TrustStore::new(vec![root.public_key()]).unwrap();
    let e = Verifier::from_trust_store(store.clone(), Policy::default(), false).map(|_| ()).unwrap_err();
    assert_eq!(code_of(&e), "trust_list_missing");
    assert!(store.is_stale(NOW));
    assert_eq!(store.update(root.sign(trust_list(2)).unwrap()).unwrap(), trust_list(2));
    assert_eq!((store.is_stale(NOW + 86_399), store.is_stale(NOW + 86_400)), (false, true));
    let e = store.update(root.sign(trust_list(1)).unwrap()).unwrap_err();
    let reason = "trust list 1 is not newer than the list held (2)".to_string();
    assert_eq!(e, NocardError::TrustListRollback { code: "trust_list_rollback".into(), reason, held: 2, offered: 1 });
    let stranger = TrustRoot::generate().unwrap();
    let e = store.update(stranger.sign(trust_list(3)).unwrap()).unwrap_err();
    assert_eq!(code_of(&e), "trust_list_unknown_root");
    assert_eq!(store.current().map(|l| l.sequence), Some(2));
    let desk = Verifier::from_trust_store(store.clone(), Policy::default(), false).unwrap();
    let accepted = desk.verify(presented(NOW), NOW).unwrap();
    assert_eq!(
        (accepted.issuer.as_str(), accepted.trust_list),
        ("NBPSB", Some(TrustListUse { sequence: 2, stale: false }))
    );
    assert_eq!(
        Verifier::new(trusted_issuers(), Policy::default()).unwrap().verify(presented(NOW), NOW).unwrap().trust_list,
        None
    );
}

#[test]
fn a_stale_trust_list_is_flagged_or_refused_as_the_desk_chose() {
    let root = TrustRoot::new(issuer_key(Algorithm::Es256).to_cose_key().to_vec()).unwrap();
    let store = TrustStore::new(vec![root.public_key()]).unwrap();
    let mut list = trust_list(1);
    list.next_update = NOW + 10;
    store.update(root.sign(list).unwrap()).unwrap();
    let lenient = Verifier::from_trust_store(store.clone(), Policy::default(), false).unwrap();
    let strict = Verifier::from_trust_store(store, Policy::default(), true).unwrap();
    let fresh = presented(NOW);
    assert_eq!(strict.verify(fresh, NOW + 9).unwrap().trust_list, Some(TrustListUse { sequence: 1, stale: false }));
    let late = presented(NOW + 30);
    assert_eq!(
        lenient.verify(late.clone(), NOW + 30).unwrap().trust_list,
        Some(TrustListUse { sequence: 1, stale: true })
    );
    let e = strict.verify(late, NOW + 30).unwrap_err();
    let reason = alloc::format!("trust list is stale since {}", NOW + 10);
    assert_eq!(e, NocardError::TrustListStale { code: "trust_list_stale".into(), reason, next_update: NOW + 10 });
}

#[test]
fn a_saved_trust_store_keeps_its_newest_list_across_restarts() {
    let dir = std::env::temp_dir().join(alloc::format!("nocard-bindings-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trust.state").to_string_lossy().into_owned();
    let root = TrustRoot::new(issuer_key(Algorithm::Es256).to_cose_key().to_vec()).unwrap();
    let e = TrustStore::open(path.clone()).map(|_| ()).unwrap_err();
    assert_eq!(code_of(&e), "io");
    let store = TrustStore::provision(path.clone(), vec![root.public_key()]).unwrap();
    store.update(root.sign(trust_list(2)).unwrap()).unwrap();
    // Provisioning again would replace the roots the state moved to.
    let e =
        TrustStore::provision(path.clone(), vec![TrustRoot::generate().unwrap().public_key()]).map(|_| ()).unwrap_err();
    assert_eq!(code_of(&e), "io");
    let reopened = TrustStore::open(path.clone()).unwrap();
    assert_eq!(reopened.current(), Some(trust_list(2)));
    let e = reopened.update(root.sign(trust_list(1)).unwrap()).unwrap_err();
    assert_eq!(code_of(&e), "trust_list_rollback");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let e = TrustStore::open(path.clone()).map(|_| ()).unwrap_err();
    assert!(matches!(e, NocardError::TrustStateFile { ref detail, .. } if detail == "state_wrong_kind"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A foreign caller passing a buffer that breaks uniffi's contract (null
/// data, non-zero length) makes uniffi's own lifting code panic inside the
/// exported function; the panic is caught and reported as the internal
/// error, as every panic in an exported call is.
#[test]
fn a_panic_inside_an_exported_call_is_reported_not_unwound() {
    #[repr(C)]
    struct ForeignBuffer {
        capacity: u64,
        len: u64,
        data: *mut u8,
    }
    let broken = ForeignBuffer { capacity: 0, len: 1, data: core::ptr::null_mut() };
    // SAFETY: `RustBuffer` is this `#[repr(C)]` layout, what foreign code passes.
    let broken: uniffi::RustBuffer = unsafe { core::mem::transmute(broken) };
    let mut status = uniffi::RustCallStatus::default();
    let _ = uniffi_nocard_fn_func_example_claims(broken, &mut status);
    assert_eq!(status.code, uniffi::RustCallStatusCode::UnexpectedError);
    let message = core::mem::ManuallyDrop::into_inner(status.error_buf).destroy_into_vec();
    assert_eq!(String::from_utf8(message).unwrap(), "null RustBuffer had non-zero length");
}

fn trusted_issuers() -> Vec<TrustedIssuer> {
    vec![trusted_issuer(ids())]
}

/// A code, presented at `NOW`, whose credential is entry `index` of status list 3.
fn presented_with_status(index: u32) -> String {
    presented_with_status_at(index, NOW)
}

fn presented_with_status_at(index: u32, now: u64) -> String {
    let signer = keystore(Mode::Raw);
    let device = signer.public_key().unwrap();
    let status = Some(StatusRef { list_id: 3, index });
    let credential =
        issuer().issue("resident_id_card".into(), device, None, NOW - YEAR, NOW + YEAR, status, None, None).unwrap();
    Holder::new(credential, signer).unwrap().present(hotel(), now, 30, None, None).unwrap()
}

/// List 3 issued at `issued_at`: entry 1 revoked, entry 2 suspended, 8 entries.
fn status_list(issued_at: u64) -> Vec<u8> {
    issuer().sign_status_list(3, issued_at, NOW + 3600, 2, vec![0, 1, 2, 0, 0, 0, 0, 0]).unwrap()
}

#[test]
fn the_desk_checks_status_lists_and_says_which_decided() {
    let desk = verifier(ids(), Policy::default()).unwrap();
    let status = StatusStore::new(trusted_issuers(), false).unwrap();
    let e = desk.verify_at_desk(presented_with_status(0), NOW, status.clone(), None).unwrap_err();
    assert!(matches!(e, NocardError::StatusListMissing { list_id: 3, .. }), "{e}");
    let info = status.update(status_list(NOW - 60), NOW).unwrap();
    let expected = StatusListInfo {
        issuer: "NBPSB".into(),
        list_id: 3,
        issued_at: NOW - 60,
        expires: NOW + 3600,
        entries: 8,
        bits: 2,
    };
    assert_eq!(info, expected);
    assert_eq!(status.lists(), vec![expected.clone()]);

    let replay = ReplayCache::new(4).unwrap();
    let text = presented_with_status(0);
    let accepted = desk.verify_at_desk(text.clone(), NOW, status.clone(), Some(replay.clone())).unwrap();
    assert_eq!(accepted.status, StatusDecision::Valid { list: expected });
    let e = desk.verify_at_desk(text, NOW + 1, status.clone(), Some(replay)).unwrap_err();
    assert_eq!(code_of(&e), "replayed");
    let e = desk.verify_at_desk(presented_with_status(1), NOW, status.clone(), None).unwrap_err();
    assert_eq!(
        e,
        NocardError::CredentialRevoked { code: "credential_revoked".into(), reason: "credential is revoked".into() }
    );
    let e = desk.verify_at_desk(presented_with_status(2), NOW, status.clone(), None).unwrap_err();
    assert_eq!(code_of(&e), "credential_suspended");
    let e = desk.verify_at_desk(presented_with_status(8), NOW, status.clone(), None).unwrap_err();
    assert!(matches!(e, NocardError::StatusIndexOutOfRange { index: 8, entries: 8, .. }), "{e}");
    let e = desk.verify_at_desk(presented_with_status_at(0, NOW + 3600), NOW + 3600, status.clone(), None).unwrap_err();
    assert!(matches!(e, NocardError::StatusListExpired { expires, .. } if expires == NOW + 3600), "{e}");
    // A credential without a status reference: unrevocable, and said so.
    let unreferenced = desk.verify_at_desk(presented(NOW), NOW, status.clone(), None).unwrap();
    assert_eq!(unreferenced.status, StatusDecision::Unreferenced);

    // Missing lists are the store's stated decision.
    let lenient = StatusStore::new(trusted_issuers(), true).unwrap();
    let flagged = desk.verify_at_desk(presented_with_status(1), NOW, lenient, None).unwrap();
    assert_eq!(flagged.status, StatusDecision::Missing { list_id: 3 });
}

#[test]
fn a_status_store_refuses_old_foreign_and_altered_lists() {
    let status = StatusStore::new(trusted_issuers(), false).unwrap();
    status.update(status_list(NOW - 60), NOW).unwrap();
    let e = status.update(status_list(NOW - 120), NOW).unwrap_err();
    assert!(
        matches!(e, NocardError::StatusListRollback { held, offered, .. } if held == NOW - 60 && offered == NOW - 120)
    );
    let stranger = Issuer::new("NBPSB".into(), issuer_key(Algorithm::Es256).to_cose_key().to_vec()).unwrap();
    let foreign = stranger.sign_status_list(3, NOW, NOW + 3600, 1, vec![0; 8]).unwrap();
    assert_eq!(code_of(&status.update(foreign, NOW).unwrap_err()), "status_list_unknown_key");
    let mut altered = status_list(NOW);
    let last = altered.len() - 1;
    altered[last] ^= 1;
    assert_eq!(code_of(&status.update(altered, NOW).unwrap_err()), "status_list_bad_signature");
    assert_eq!(code_of(&status.update(status_list(NOW), NOW + 3600).unwrap_err()), "status_list_expired");
    let e = issuer().sign_status_list(3, NOW, NOW + 3600, 3, vec![0]).unwrap_err();
    assert_eq!(code_of(&e), "usage");
    assert_eq!(status.lists().len(), 1);
}

#[test]
fn a_saved_status_store_survives_a_restart_and_a_damaged_one_is_refused() {
    let dir = std::env::temp_dir().join(alloc::format!("nocard-bindings-status-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("status.db").to_string_lossy().into_owned();
    let status = StatusStore::open(path.clone(), trusted_issuers(), false).unwrap();
    status.update(status_list(NOW - 60), NOW).unwrap();
    // A restarted desk still refuses the older list and the revoked card.
    let reopened = StatusStore::open(path.clone(), trusted_issuers(), false).unwrap();
    assert_eq!(code_of(&reopened.update(status_list(NOW - 120), NOW).unwrap_err()), "status_list_rollback");
    let desk = verifier(ids(), Policy::default()).unwrap();
    let e = desk.verify_at_desk(presented_with_status(1), NOW, reopened, None).unwrap_err();
    assert_eq!(code_of(&e), "credential_revoked");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() - 1);
    std::fs::write(&path, &bytes).unwrap();
    let e = StatusStore::open(path.clone(), trusted_issuers(), false).map(|_| ()).unwrap_err();
    assert!(matches!(e, NocardError::StatusStateDamaged { ref detail, .. } if detail == "state_checksum"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `text` as a camera would deliver it: a QR code 4 px a module in NV21
/// (gray luma, rows padded to even, then neutral chroma), BGRA or a Y plane
/// with pixel stride 2.
fn camera_frame(text: &str, format: FrameFormat) -> CameraFrame {
    let (gray, side) = crate::qr::QrMatrix::encode(text, EcLevel::M).unwrap().to_gray(4);
    let bytes = match format {
        FrameFormat::Nv21 => 1,
        FrameFormat::YPlane { pixel_stride } => pixel_stride as usize,
        FrameFormat::Bgra => 4,
        _ => unimplemented!("not used"),
    };
    let row_stride = side.div_ceil(2) * 2 * bytes;
    let rows = if format == FrameFormat::Nv21 { side + side.div_ceil(2) } else { side };
    let mut pixels = vec![128u8; rows * row_stride];
    for (y, row) in gray.chunks(side).enumerate() {
        for (x, &g) in row.iter().enumerate() {
            let at = y * row_stride + x * bytes;
            match format {
                FrameFormat::Bgra => pixels[at..at + 4].copy_from_slice(&[g, g, g, 255]),
                _ => pixels[at] = g,
            }
        }
    }
    CameraFrame { pixels, format, width: side as u32, height: side as u32, row_stride: row_stride as u32 }
}

/// A blank gray frame, `width` × 64.
fn blank(width: u32) -> CameraFrame {
    CameraFrame { pixels: vec![255; 64 * 64], format: FrameFormat::Gray8, width, height: 64, row_stride: 64 }
}

#[test]
fn the_desk_verifies_camera_frames_and_names_what_is_wrong_with_one() {
    let desk = verifier(ids(), Policy::default()).unwrap();
    let text = presented(NOW);
    for format in [FrameFormat::Nv21, FrameFormat::Bgra, FrameFormat::YPlane { pixel_stride: 2 }] {
        let v = desk.verify_frame(camera_frame(&text, format), 10_000, NOW + 1);
        assert_eq!(v.unwrap().doc_type, "resident_id_card", "{format:?}");
    }
    // Verified as a text is: late, the window is over.
    let nv21 = camera_frame(&text, FrameFormat::Nv21);
    let late = desk.verify_frame(nv21.clone(), 10_000, NOW + 60).unwrap_err();
    assert_eq!(code_of(&late), "window_expired");
    // NV21 needs its chroma rows, though they are not read.
    let (side, row_stride) = (nv21.height, nv21.row_stride);
    let luma = CameraFrame { pixels: nv21.pixels[..(side * row_stride) as usize].to_vec(), ..nv21.clone() };
    let short = desk.verify_frame(luma, 10_000, NOW + 1).unwrap_err();
    let len = u64::from(side * row_stride);
    let needed = u64::from(row_stride) * u64::from(side + side.div_ceil(2) - 1) + u64::from(side.div_ceil(2) * 2);
    let reason = alloc::format!("buffer of {len} bytes is shorter than the {needed} the image needs");
    assert_eq!(short, NocardError::BufferTooShort { code: "buffer_too_short".into(), reason, len, needed });
    let refused = |format| desk.verify_frame(CameraFrame { format, ..nv21.clone() }, 10_000, NOW).unwrap_err();
    assert_eq!(code_of(&refused(FrameFormat::YPlane { pixel_stride: 9 })), "bad_pixel_stride");
    assert_eq!(code_of(&refused(FrameFormat::Bgra)), "stride_too_small");
    let none = desk.verify_frame(blank(64), 10_000, NOW).unwrap_err();
    assert_eq!(none, NocardError::NoCode { code: "no_code".into(), reason: "no nocard code in the frame".into() });
    assert_eq!(code_of(&desk.verify_frame(blank(0), 10_000, NOW).unwrap_err()), "empty_image");
    assert_eq!(code_of(&desk.verify_frame(blank(9000), 10_000, NOW).unwrap_err()), "image_too_large");
    for budget in [0, 10_001] {
        assert_eq!(code_of(&desk.verify_frame(blank(64), budget, NOW).unwrap_err()), "usage", "{budget} ms");
    }
}

/// Two phones in view: which person is at the desk is not guessed.
#[test]
fn a_frame_with_two_codes_verifies_neither() {
    let desk = verifier(ids(), Policy::default()).unwrap();
    let (one, side) = crate::qr::QrMatrix::encode(&presented(NOW), EcLevel::M).unwrap().to_gray(4);
    let (two, other) = crate::qr::QrMatrix::encode(&presented(NOW + 30), EcLevel::M).unwrap().to_gray(4);
    let (width, height) = (side + other, side.max(other));
    let mut pixels = vec![255u8; width * height];
    for (y, row) in one.chunks(side).enumerate() {
        pixels[y * width..y * width + side].copy_from_slice(row);
    }
    for (y, row) in two.chunks(other).enumerate() {
        pixels[y * width + side..y * width + width].copy_from_slice(row);
    }
    let [width, height] = [width, height].map(|n| n as u32);
    let frame = CameraFrame { pixels, format: FrameFormat::Gray8, width, height, row_stride: width };
    let e = desk.verify_frame(frame, 10_000, NOW).unwrap_err();
    let reason = "2 nocard codes in the frame; show one at a time".into();
    assert_eq!(e, NocardError::SeveralCodes { code: "several_codes".into(), reason, count: 2 });
}

#[test]
fn the_wallet_shows_the_numeric_code_its_credential_was_issued_with() {
    let signer = keystore(Mode::Raw);
    let device = signer.public_key().unwrap();
    let issue = |id: Option<Vec<u8>>, key: Option<Vec<u8>>| {
        issuer().issue("resident_id_card".into(), device.clone(), None, NOW - YEAR, NOW + YEAR, None, id, key)
    };
    let with_code = issue(Some(vec![1, 2]), Some(vec![0x44; 32])).unwrap();
    let holder = Holder::new(with_code, signer.clone()).unwrap();
    // SPEC.md §12.2's check value.
    let code = NumericCode { code: "39034247".into(), step: 59_847_360, seconds_left: 30 };
    assert_eq!(holder.numeric_code(NOW), Some(code));
    assert_eq!(holder.numeric_code(NOW + 95).map(|c| (c.code, c.seconds_left)), Some(("93069014".into(), 25)));
    // Without a code key there is no code.
    assert_eq!(Holder::new(credential(&signer), signer.clone()).unwrap().numeric_code(NOW), None);
    let usage = |e: UsageError| Err(NocardError::from(e));
    assert_eq!(issue(None, Some(vec![0x44; 32])), usage(UsageError::CodeNeedsId));
    assert_eq!(issue(Some(vec![1, 2]), Some(vec![0x44; 31])), usage(UsageError::CodeKeyLength(31)));
}

fn group_key(byte: u8) -> Arc<GroupKey> {
    let key = crate::seal::GroupSecretKey::from_bytes(crate::seal::GroupAlgorithm::X25519, &[byte; 32]).unwrap();
    GroupKey::new(key.to_cose_key().to_vec()).unwrap()
}

#[test]
fn the_phone_seals_and_only_the_groups_desk_reads_it() {
    let signer = keystore(Mode::Raw);
    let plain = Holder::new(credential(&signer), signer).unwrap().present(hotel(), NOW + 7, 30, None, None).unwrap();
    let group = group_key(0x55);
    let sealed = seal_presentation(plain.clone(), group.public_key()).unwrap();
    assert!(sealed.starts_with("NCS1:"), "{sealed}");
    let policy = Policy { require_sealed: true, ..Policy::default() };
    let desk = Verifier::sealed(vec![trusted_issuer(ids())], vec![group.clone()], policy.clone()).unwrap();
    let v = desk.verify(sealed.clone(), NOW + 9).unwrap();
    assert_eq!(v.sealed_to.as_deref(), Some(group.key_id().as_str()));
    assert_eq!(code_of(&desk.verify(plain.clone(), NOW + 9).unwrap_err()), "seal_required");
    let other = Verifier::sealed(vec![trusted_issuer(ids())], vec![group_key(0x56)], policy).unwrap();
    let err = other.verify(sealed.clone(), NOW + 9).unwrap_err();
    assert_eq!(
        err,
        NocardError::SealedForOtherGroup {
            code: "sealed_for_other_group".into(),
            reason: err.code_and_reason().1.to_string(),
            key_id: group.key_id()
        }
    );
    let plain_desk = verifier(ids(), Policy::default()).unwrap();
    assert_eq!(code_of(&plain_desk.verify(sealed.clone(), NOW + 9).unwrap_err()), "sealed_no_group_key");
    assert_eq!(plain_desk.verify(plain, NOW + 9).unwrap().sealed_to, None);
    let mut altered = sealed.into_bytes();
    altered[60] = if altered[60] == b'0' { b'1' } else { b'0' };
    let altered = String::from_utf8(altered).unwrap();
    assert_eq!(code_of(&desk.verify(altered, NOW + 9).unwrap_err()), "sealed_open_failed");
}

#[test]
fn group_key_misuse_is_refused() {
    let signing = issuer_key(Algorithm::EdDsa).to_cose_key().to_vec();
    assert_eq!(code_of(&GroupKey::new(signing).unwrap_err()), "invalid_key");
    let public = group_key(0x55).public_key();
    assert_eq!(code_of(&GroupKey::new(public.clone()).unwrap_err()), "invalid_key");
    let plain_text = "NC1:NOT A CODE".to_string();
    assert_eq!(code_of(&seal_presentation(plain_text, public).unwrap_err()), "malformed");
    let policy = Policy { require_sealed: true, ..Policy::default() };
    let err = Verifier::sealed(vec![trusted_issuer(ids())], Vec::new(), policy).err().unwrap();
    assert_eq!(code_of(&err), "invalid_config");
    assert!(!format!("{:?}", group_key(0x55)).contains("5555"));
}

#[test]
fn the_phone_sends_its_portrait_as_frames_after_the_presentation() {
    use crate::portrait::{PortraitReceiver, Progress};
    use crate::testing::{PORTRAIT, bundle_with_photo};
    let signer = keystore(Mode::Raw);
    let holder = Holder::new(bundle_with_photo(PORTRAIT).to_text(), signer).unwrap();
    let roadside = || Disclose::Profile { name: "roadside_check".into() };
    let shown = holder.present_with_portrait(roadside(), NOW, 30, None, None, PORTRAIT.to_vec()).unwrap();
    assert_eq!(shown.source_symbols(), 21);
    // The desk: verify the presentation, then take frames 1, 3, 5, … .
    let verified = crate::testing::verifier(Algorithm::EdDsa).verify(shown.text().as_bytes(), NOW + 1).unwrap();
    let mut rx = PortraitReceiver::new(&verified).unwrap();
    let mut progress = Progress::Waiting;
    for i in (1..100).step_by(2) {
        progress = rx.feed(shown.frame(i).unwrap().as_bytes()).unwrap();
        if progress == Progress::Complete {
            break;
        }
    }
    assert_eq!(progress, Progress::Complete);
    assert_eq!(rx.portrait(), Some(PORTRAIT));

    let e = holder.present_with_portrait(roadside(), NOW, 30, None, None, Vec::new()).err().unwrap();
    assert_eq!(e, NocardError::Portrait { code: "portrait_empty".into(), reason: "the portrait is empty".into() });
    let e = holder.present_with_portrait(roadside(), NOW, 30, None, None, vec![0; 16_385]).err().unwrap();
    assert_eq!(code_of(&e), "portrait_too_large");
    assert_eq!(code_of(&shown.frame(1 << 24).unwrap_err()), "portrait_frame_index_out_of_range");
}

#[test]
fn a_phone_delegates_and_consents_and_the_desk_checks_both() {
    // The delegator: the keystore (SPKI public key); the delegate: a
    // software signer whose COSE_Key the delegator is given.
    let mother_signer = keystore(Mode::Der);
    let mother = Holder::new(credential(&mother_signer), mother_signer).unwrap();
    let son_signer = software_signer(Some(vec![0x23; 32])).unwrap();
    let son_key = son_signer.public_key().unwrap();
    let son = Holder::new(credential(&son_signer), son_signer).unwrap();

    let delegation = mother.delegate("register_child_residence".into(), son_key.clone(), NOW - 60, NOW + YEAR).unwrap();
    assert!(delegation.starts_with("NCD1:"));
    let shown = son.act(delegation.clone(), hotel(), NOW, 30, None).unwrap();
    assert!(shown.starts_with("NCA1:"));
    let desk = verifier(ids(), Policy::default()).unwrap();
    let seen = desk.verify_acting(shown.clone(), "register_child_residence".into(), NOW + 2).unwrap();
    assert_eq!(
        (seen.matter.as_str(), seen.not_before, seen.expires),
        ("register_child_residence", NOW - 60, NOW + YEAR)
    );
    let names: Vec<&str> = seen.delegator.claims.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["name", "id_number"]);
    assert_eq!(seen.delegate.doc_type, "resident_id_card");

    let e = desk.verify_acting(shown.clone(), "collect_certificate".into(), NOW + 2).unwrap_err();
    assert_eq!(code_of(&e), "matter_mismatch");
    let e = desk.verify_acting(shown, "register_child_residence".into(), NOW + 300).unwrap_err();
    assert!(matches!(&e, NocardError::Delegation { code, detail: Some(d), .. }
        if code == "delegate_rejected" && d == "window_expired"));
    // The mother cannot act on the delegation she gave.
    let own = mother.act(delegation, hotel(), NOW, 30, None).unwrap();
    let e = desk.verify_acting(own, "register_child_residence".into(), NOW + 2).unwrap_err();
    assert_eq!(code_of(&e), "wrong_delegate");
    let e = mother.delegate("sell_house".into(), son_key, NOW, NOW + 1).unwrap_err();
    assert_eq!(code_of(&e), "usage");

    let request = [0x5a; 32].to_vec();
    let consent = mother.consent(request.clone(), false, NOW - 60, NOW + 600).unwrap();
    assert!(consent.starts_with("NCK1:"));
    let seen = desk.verify_consent(consent.clone(), request, NOW).unwrap();
    assert!(!seen.answer);
    let e = desk.verify_consent(consent.clone(), [0x5b; 32].to_vec(), NOW).unwrap_err();
    assert_eq!(code_of(&e), "request_mismatch");
    // Malformed input keeps its core error, detail and all.
    let e = desk.verify_consent("NCK1:".into(), [0x5a; 32].to_vec(), NOW).unwrap_err();
    assert!(matches!(&e, NocardError::Malformed { detail, .. } if detail == "truncated"));
    assert_eq!(code_of(&desk.verify_consent(consent, vec![0; 31], NOW).unwrap_err()), "usage");
}

/// A desk's receipt of the hotel code, keeping values or only digests, and
/// the desk's public key; `name` replaces the example name if given.
fn desk_receipt(digests: bool, name: Option<&str>) -> (Vec<u8>, Vec<u8>) {
    let signer = keystore(Mode::Raw);
    let mut claims = example_claims("resident_id_card".into()).unwrap();
    if let Some(name) = name {
        claims.iter_mut().find(|c| c.name == "name").unwrap().value = ClaimValue::Text { value: name.into() };
    }
    let device = signer.public_key().unwrap();
    let credential = issuer()
        .issue("resident_id_card".into(), device, Some(claims), NOW - YEAR, NOW + YEAR, None, None, None)
        .unwrap();
    let code = Holder::new(credential, signer).unwrap().present(hotel(), NOW, 30, None, None).unwrap();
    let desk_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32]).unwrap().to_cose_key().to_vec();
    let desk = ReceiptDesk::new(desk_key, "hotel:NB-0042".into(), Some("hotel_check_in".into()), digests).unwrap();
    let seen = verifier(ids(), Policy::default()).unwrap().verify_with_receipt(code, NOW + 3, desk.clone()).unwrap();
    (seen.receipt, desk.public_key())
}

#[test]
fn a_desk_prints_a_copy_of_its_receipt_and_scans_its_text_back() {
    let (receipt, desk) = desk_receipt(false, None);
    let pdf = render_copy(receipt.clone(), vec![desk.clone()], CopyFormat::Pdf, Paper::Card, None).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    let svg = render_copy(receipt.clone(), vec![desk.clone()], CopyFormat::Svg, Paper::A4, None).unwrap();
    assert!(svg.starts_with(b"<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let same = crate::copy::render(
        &receipt,
        &[PublicKey::from_cose_key(&desk).unwrap()],
        &Registry::builtin(),
        &crate::copy::CopyOptions::new(crate::copy::CopyFormat::Svg, crate::copy::Paper::A4),
    )
    .unwrap();
    assert_eq!(svg, same, "the binding draws what the core draws");

    let text = receipt_text(receipt.clone());
    assert!(text.starts_with("NCR1:"));
    let from_text = verify_receipt(text.clone().into_bytes(), vec![desk.clone()]).unwrap();
    assert_eq!(from_text, verify_receipt(receipt.clone(), vec![desk.clone()]).unwrap());
    assert_eq!(from_text.unit, "hotel:NB-0042");
    let copy_of_text = render_copy(text.clone().into_bytes(), vec![desk.clone()], CopyFormat::Pdf, Paper::Card, None);
    assert_eq!(copy_of_text.unwrap(), pdf);
    let e = verify_receipt(text.replacen("NCR1:", "NCR2:", 1).into_bytes(), vec![desk]).unwrap_err();
    assert!(matches!(&e, NocardError::UnsupportedVersion { code, .. } if code == "unsupported_version"));
}

#[test]
fn each_copy_refusal_has_its_exact_error() {
    let (receipt, desk) = desk_receipt(false, None);
    let draw = |receipt: &[u8], key: &[u8], font| {
        render_copy(receipt.to_vec(), vec![key.to_vec()], CopyFormat::Pdf, Paper::Card, font).unwrap_err()
    };
    let (digests, _) = desk_receipt(true, None);
    assert!(
        matches!(draw(&digests, &desk, None), NocardError::CopyNeedsValues { code, .. } if code == "copy_needs_values")
    );
    let other = SecretKey::from_bytes(Algorithm::EdDsa, &[0x66; 32]).unwrap().public_key().to_cose_key();
    assert!(matches!(draw(&receipt, &other, None),
        NocardError::ReceiptUnknownDeskKey { code, .. } if code == "receipt_unknown_desk_key"));
    assert!(matches!(draw(&receipt, &desk, Some(b"not a font".to_vec())),
        NocardError::CopyFontUnusable { code, .. } if code == "copy_font_unusable"));
    let (rare, _) = desk_receipt(false, Some("王𠀀"));
    assert!(matches!(draw(&rare, &desk, None),
        NocardError::CopyGlyphMissing { code, character, .. } if code == "copy_glyph_missing" && character == "𠀀"));
    assert!(matches!(draw(&receipt, &desk[..3], None), NocardError::InvalidKey { .. }));
    assert!(matches!(draw(b"NCR1:#", &desk, None), NocardError::Malformed { .. }));
}
