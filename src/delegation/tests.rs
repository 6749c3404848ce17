use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::cose;
use crate::credential::{CredentialBundle, Issuer, StatusRef};
use crate::document::{ClaimValue, Profile};
use crate::keys::{Algorithm, SecretKey};
use crate::status_list::{Status, StatusList, StatusListToken, StatusStore};
use crate::testing::*;
use crate::verify::{KeyScope, Policy, TrustedKey};

const DAY: u64 = 86_400;
const REQUEST: [u8; DIGEST_LEN] = [0x5a; DIGEST_LEN];

/// The delegator: the test holder (ES256 device key 0x22).
fn delegator() -> Holder<SecretKey> {
    holder(Algorithm::EdDsa, Algorithm::Es256)
}

/// A resident ID card named `name`, bound to `device`, valid `[nbf, exp)`.
fn card(name: &str, device: &SecretKey, nbf: u64, exp: u64) -> CredentialBundle {
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    let doc = resident_id();
    let mut claims = doc.example_claims();
    claims.iter_mut().find(|c| c.name == "name").unwrap().value = ClaimValue::Text(name.into());
    issuer
        .credential(&doc, device.public_key(), claims)
        .validity(nbf, exp)
        .status(StatusRef { list: 7, index: 99 })
        .salt_seed([0x34; 32])
        .sign()
        .unwrap()
}

fn person(name: &str, seed: u8) -> Holder<SecretKey> {
    let device = SecretKey::from_bytes(Algorithm::EdDsa, &[seed; 32]).unwrap();
    Holder::new(card(name, &device, NOW - YEAR, NOW + YEAR), device).unwrap()
}

/// The delegate: another citizen, Ed25519 device key 0x23.
fn delegate_holder() -> Holder<SecretKey> {
    person("李四", 0x23)
}

fn person_key(seed: u8) -> PublicKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[seed; 32]).unwrap().public_key().clone()
}

/// The delegator's full credential.
fn delegator_full() -> Vec<u8> {
    bundle(&resident_id(), Algorithm::EdDsa, Algorithm::Es256).full().to_vec()
}

fn delegation_from(delegator: &Holder<SecretKey>, matter: Matter) -> Delegation {
    delegate(delegator, matter, &person_key(0x23)).period(NOW - DAY, NOW + 7 * DAY).sign().unwrap()
}

fn presentation_of(holder: &Holder<SecretKey>, at: u64) -> Presentation {
    holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(at).sign().unwrap()
}

fn acting_text(delegation: &Delegation, presenter: &Holder<SecretKey>, at: u64) -> String {
    Acting::new(delegation, &presentation_of(presenter, at)).to_text()
}

fn acting_at(delegation: &Delegation, at: u64) -> String {
    acting_text(delegation, &delegate_holder(), at)
}

fn check(text: &str, matter: Matter, now: u64) -> Result<VerifiedActing, DelegationError> {
    verify_acting(&verifier(Algorithm::EdDsa), text.as_bytes(), matter, now)
}

fn code(result: Result<VerifiedActing, DelegationError>) -> (&'static str, Option<&'static str>) {
    let e = result.unwrap_err();
    (e.code(), e.inner().map(Error::code))
}

fn text_claim(c: &VerifiedCredential, name: &str) -> ClaimValue {
    c.claim(name).unwrap().value.clone()
}

#[test]
fn a_delegate_acts_for_the_delegator_and_the_desk_sees_who_for_whom_and_what() {
    let delegation = delegation_from(&delegator(), Matter::RegisterChildResidence);
    let text = acting_at(&delegation, NOW);
    assert!(text.starts_with("NCA1:"));
    let seen = check(&text, Matter::RegisterChildResidence, NOW + 3).unwrap();
    assert_eq!(text_claim(&seen.delegator, "name"), ClaimValue::Text("王小明".into()));
    assert!(matches!(text_claim(&seen.delegator, "id_number"), ClaimValue::Text(_)));
    assert_eq!(seen.delegator.claims.len(), 2, "only name and id_number are disclosed");
    assert_eq!(seen.delegate.claim("name").unwrap().value, ClaimValue::Text("李四".into()));
    assert_eq!(seen.matter, Matter::RegisterChildResidence);
    assert_eq!((seen.not_before, seen.expires), (NOW - DAY, NOW + 7 * DAY));
    assert_eq!(seen.delegator.status, Some(StatusRef { list: 7, index: 4242 }));
    // The delegate's wallet reads the delegation back from its text.
    assert_eq!(Delegation::from_text(delegation.to_text().as_bytes()).unwrap(), delegation);
}

#[test]
fn a_delegation_outside_its_period_is_refused() {
    let delegation = delegate(&delegator(), Matter::CollectCertificate, &person_key(0x23))
        .period(NOW + DAY, NOW + 2 * DAY)
        .sign()
        .unwrap();
    let early = check(&acting_at(&delegation, NOW), Matter::CollectCertificate, NOW);
    assert_eq!(code(early), ("delegation_not_yet_valid", None));
    let after = NOW + 2 * DAY + Policy::DEFAULT_CLOCK_SKEW;
    let late = check(&acting_at(&delegation, after), Matter::CollectCertificate, after);
    assert_eq!(code(late), ("delegation_expired", None));
    // Inside, the same delegation passes: the errors above are the period's.
    let inside = NOW + DAY + 60;
    check(&acting_at(&delegation, inside), Matter::CollectCertificate, inside).unwrap();
}

#[test]
fn a_delegation_for_another_matter_is_refused() {
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let e = check(&acting_at(&delegation, NOW), Matter::RegisterChildResidence, NOW).unwrap_err();
    assert_eq!(
        e,
        DelegationError::MatterMismatch { expected: Matter::RegisterChildResidence, found: Matter::CollectCertificate }
    );
    assert_eq!(e.code(), "matter_mismatch");
}

#[test]
fn someone_other_than_the_named_delegate_is_refused() {
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let stranger = person("王五", 0x24);
    let text = acting_text(&delegation, &stranger, NOW);
    assert_eq!(code(check(&text, Matter::CollectCertificate, NOW)), ("wrong_delegate", None));
    // Nor can the delegator act on their own delegation.
    let own = acting_text(&delegation, &delegator(), NOW);
    assert_eq!(code(check(&own, Matter::CollectCertificate, NOW)), ("wrong_delegate", None));
}

#[test]
fn a_delegation_chained_from_an_expired_credential_is_refused() {
    let device = SecretKey::from_bytes(Algorithm::EdDsa, &[0x25; 32]).unwrap();
    let expired = Holder::new(card("赵六", &device, NOW - YEAR, NOW - DAY), device).unwrap();
    let delegation = delegation_from(&expired, Matter::CollectCertificate);
    let result = check(&acting_at(&delegation, NOW), Matter::CollectCertificate, NOW);
    assert_eq!(code(result), ("signer_credential_rejected", Some("credential_expired")));
}

#[test]
fn a_delegation_from_an_untrusted_issuer_is_refused() {
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let other = TrustedKey::new("NBPSB", issuer_key(Algorithm::Es256).public_key().clone(), KeyScope::AllTypes);
    let desk = Verifier::new(vec![other.unwrap()], Policy::default()).unwrap();
    let result = verify_acting(&desk, acting_at(&delegation, NOW).as_bytes(), Matter::CollectCertificate, NOW);
    assert_eq!(code(result), ("signer_credential_rejected", Some("unknown_key")));
}

#[test]
fn a_revoked_delegator_is_refused_through_the_status_list() {
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let seen = check(&acting_at(&delegation, NOW), Matter::CollectCertificate, NOW).unwrap();
    let mut list = StatusList::new(2, 10_000).unwrap();
    list.set(4242, Status::Revoked).unwrap();
    let token =
        StatusListToken { issuer: ISSUER.into(), list_id: 7, issued_at: NOW - 10, expires: NOW + DAY, ttl: None, list };
    let trusted = TrustedKey::new(ISSUER, issuer_key(Algorithm::EdDsa).public_key().clone(), KeyScope::AllTypes);
    let mut store = StatusStore::new(vec![trusted.unwrap()]);
    store.update(&token.sign(&issuer_key(Algorithm::EdDsa)).unwrap(), NOW).unwrap();
    let e = store.check_status(&seen.delegator.issuer, seen.delegator.status, NOW).unwrap_err();
    assert_eq!(e.code(), "credential_revoked");
    // The delegate's own entry (index 99) is valid in the same list.
    store.check_status(&seen.delegate.issuer, seen.delegate.status, NOW).unwrap();
}

/// A delegation whose credential is `inner` (a statement), signed by `signer`.
fn delegation_over(inner: &[u8], signer: &SecretKey) -> Delegation {
    let mut w = Writer::new();
    w.map(5).int(S_CREDENTIAL).raw(inner).int(S_NOT_BEFORE).uint(NOW - DAY).int(S_EXPIRES).uint(NOW + DAY);
    w.int(S_MATTER).text("collect_certificate").int(S_DELEGATE).bytes(&person_key(0x24).thumbprint());
    let bytes = cose::sign1_typed::<Error>(signer.algorithm(), None, Some(DELEGATION_TYPE), w.into_bytes(), |tbs| {
        Ok(signer.sign(tbs))
    })
    .unwrap();
    Delegation { bytes }
}

#[test]
fn a_delegation_chained_twice_is_refused() {
    // The delegate re-delegates what they were given to a third person.
    let first = delegation_from(&delegator(), Matter::CollectCertificate);
    let delegate_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x23; 32]).unwrap();
    let second = delegation_over(first.as_bytes(), &delegate_key);
    let text = acting_text(&second, &person("王五", 0x24), NOW);
    assert_eq!(code(check(&text, Matter::CollectCertificate, NOW)), ("delegation_chained", None));
    // A consent in its place is a chain too.
    let consent = consent(&delegator(), REQUEST, true).period(NOW - DAY, NOW + DAY).sign().unwrap();
    let over_consent = delegation_over(consent.as_bytes(), &delegate_key);
    let text = acting_text(&over_consent, &person("王五", 0x24), NOW);
    assert_eq!(code(check(&text, Matter::CollectCertificate, NOW)), ("delegation_chained", None));
}

#[test]
fn a_delegation_not_signed_by_the_delegators_device_key_is_refused() {
    // The delegate forges a delegation over the delegator's credential.
    let full = delegator_full();
    let forger = SecretKey::from_bytes(Algorithm::Es256, &[0x23; 32]).unwrap();
    let forged = delegation_over(&full, &forger);
    let text = acting_text(&forged, &person("王五", 0x24), NOW);
    assert_eq!(code(check(&text, Matter::CollectCertificate, NOW)), ("bad_delegation_signature", None));
    // The same bytes signed by the delegator's key pass.
    let genuine = delegation_over(&full, &device_key(Algorithm::Es256));
    check(&acting_text(&genuine, &person("王五", 0x24), NOW), Matter::CollectCertificate, NOW).unwrap();
}

#[test]
fn the_delegates_presentation_is_verified_under_the_desks_policy() {
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let stale = check(&acting_at(&delegation, NOW), Matter::CollectCertificate, NOW + 300);
    assert_eq!(code(stale), ("delegate_rejected", Some("window_expired")));
    let desk = verifier_with(Algorithm::EdDsa, Policy::default().audience("hall:NB-01").unwrap());
    let result = verify_acting(&desk, acting_at(&delegation, NOW).as_bytes(), Matter::CollectCertificate, NOW);
    assert_eq!(code(result), ("delegate_rejected", Some("audience_missing")));
}

#[test]
fn other_objects_are_not_delegations_or_consents() {
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let consent = consent(&delegator(), REQUEST, true).period(NOW - DAY, NOW + DAY).sign().unwrap();
    let presentation = presentation_of(&delegate_holder(), NOW);
    let desk = verifier(Algorithm::EdDsa);
    // A consent, or a presentation, where the delegation belongs.
    let as_delegation = Delegation { bytes: consent.as_bytes().to_vec() };
    assert_eq!(
        code(check(&acting_at(&as_delegation, NOW), Matter::CollectCertificate, NOW)),
        ("not_a_delegation", None)
    );
    let plain = Delegation { bytes: presentation.as_bytes().to_vec() };
    assert_eq!(code(check(&acting_at(&plain, NOW), Matter::CollectCertificate, NOW)), ("not_a_delegation", None));
    assert_eq!(Delegation::from_bytes(consent.as_bytes()).unwrap_err().code(), "not_a_delegation");
    // A delegation where a consent belongs.
    let text = text::encode(TextKind::Consent, delegation.as_bytes());
    assert_eq!(verify_consent(&desk, text.as_bytes(), &REQUEST, NOW).unwrap_err(), DelegationError::NotAConsent);
    // Texts of another kind are refused by their prefix.
    let e = verify_acting(&desk, delegation.to_text().as_bytes(), Matter::CollectCertificate, NOW).unwrap_err();
    assert_eq!((e.code(), e.inner().map(Error::code)), ("malformed", Some("malformed")));
}

#[test]
fn malformed_statements_get_their_detail() {
    let detail = |e: DelegationError| match e {
        DelegationError::Invalid(Error::Malformed(m)) => m.kind,
        other => panic!("expected malformed, got {other:?}"),
    };
    let delegate_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x23; 32]).unwrap();
    let sign = |payload: Vec<u8>| {
        let bytes = cose::sign1_typed::<Error>(Algorithm::EdDsa, None, Some(DELEGATION_TYPE), payload, |tbs| {
            Ok(delegate_key.sign(tbs))
        });
        bytes.unwrap()
    };
    let full = delegator_full();
    let base = |w: &mut Writer, entries: usize, nbf: u64| {
        w.map(entries).int(S_CREDENTIAL).raw(&full).int(S_NOT_BEFORE).uint(nbf).int(S_EXPIRES).uint(NOW + DAY);
    };
    // A consent's field in a delegation.
    let mut w = Writer::new();
    base(&mut w, 6, NOW);
    w.int(S_MATTER).text("collect_certificate").int(S_DELEGATE).bytes(&[0; 32]).int(S_REQUEST).bytes(&REQUEST);
    assert_eq!(detail(Delegation::from_bytes(&sign(w.into_bytes())).unwrap_err()), MalformedKind::UnknownField);
    // A matter v1 does not register.
    let mut w = Writer::new();
    base(&mut w, 5, NOW);
    w.int(S_MATTER).text("sell_house").int(S_DELEGATE).bytes(&[0; 32]);
    let e = Delegation::from_bytes(&sign(w.into_bytes())).unwrap_err();
    assert_eq!(detail(e), MalformedKind::InvalidValue { field: "matter" });
    // A delegate that is not a 32-byte thumbprint (a key id).
    let mut w = Writer::new();
    base(&mut w, 5, NOW);
    w.int(S_MATTER).text("collect_certificate").int(S_DELEGATE).bytes(&[0; 8]);
    let e = Delegation::from_bytes(&sign(w.into_bytes())).unwrap_err();
    assert_eq!(detail(e), MalformedKind::InvalidValue { field: "delegate" });
    // No delegate.
    let mut w = Writer::new();
    base(&mut w, 4, NOW);
    w.int(S_MATTER).text("collect_certificate");
    let e = Delegation::from_bytes(&sign(w.into_bytes())).unwrap_err();
    assert_eq!(detail(e), MalformedKind::MissingField { field: "delegate" });
    // An empty period.
    let mut w = Writer::new();
    base(&mut w, 5, NOW + DAY);
    w.int(S_MATTER).text("collect_certificate").int(S_DELEGATE).bytes(&[0; 32]);
    let e = Delegation::from_bytes(&sign(w.into_bytes())).unwrap_err();
    assert_eq!(detail(e), MalformedKind::InvalidValue { field: "exp" });
    // An acting of three items, and one with bytes after it.
    let delegation = delegation_from(&delegator(), Matter::CollectCertificate);
    let p = presentation_of(&delegate_holder(), NOW);
    let mut w = Writer::new();
    w.array(3).raw(delegation.as_bytes()).raw(p.as_bytes()).raw(p.as_bytes());
    let desk = verifier(Algorithm::EdDsa);
    let e = verify_acting_bytes(&desk, &w.into_bytes(), Matter::CollectCertificate, NOW).unwrap_err();
    assert_eq!(detail(e), MalformedKind::InvalidValue { field: "acting" });
    let mut bytes = Acting::new(&delegation, &p).as_bytes().to_vec();
    bytes.push(0);
    let e = verify_acting_bytes(&desk, &bytes, Matter::CollectCertificate, NOW).unwrap_err();
    assert_eq!(detail(e), MalformedKind::TrailingBytes);
    let e = verify_acting_bytes(&desk, &[0x82; 2862], Matter::CollectCertificate, NOW).unwrap_err();
    assert_eq!(detail(e), MalformedKind::TooLarge { max: 2861 });
}

fn check_consent(text: &str, request: &[u8; DIGEST_LEN], now: u64) -> Result<VerifiedConsent, DelegationError> {
    verify_consent(&verifier(Algorithm::EdDsa), text.as_bytes(), request, now)
}

#[test]
fn a_consent_answers_one_request_yes_or_no() {
    for answer in [true, false] {
        let c = consent(&delegator(), REQUEST, answer).period(NOW - 60, NOW + 600).sign().unwrap();
        assert!(c.to_text().starts_with("NCK1:"));
        let seen = check_consent(&c.to_text(), &REQUEST, NOW).unwrap();
        assert_eq!((seen.answer, seen.request, seen.not_before, seen.expires), (answer, REQUEST, NOW - 60, NOW + 600));
        assert_eq!(text_claim(&seen.consenter, "name"), ClaimValue::Text("王小明".into()));
    }
}

#[test]
fn a_consent_for_another_request_is_refused() {
    let c = consent(&delegator(), REQUEST, true).period(NOW - 60, NOW + 600).sign().unwrap();
    let e = check_consent(&c.to_text(), &[0x5b; DIGEST_LEN], NOW).unwrap_err();
    assert_eq!(e.code(), "request_mismatch");
}

#[test]
fn a_consent_outside_its_period_or_with_a_bad_signature_is_refused() {
    let c = consent(&delegator(), REQUEST, true).period(NOW - 60, NOW + 600).sign().unwrap();
    assert_eq!(check_consent(&c.to_text(), &REQUEST, NOW - 100).unwrap_err().code(), "consent_not_yet_valid");
    assert_eq!(check_consent(&c.to_text(), &REQUEST, NOW + 610).unwrap_err().code(), "consent_expired");
    let mut bytes = c.as_bytes().to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let e = check_consent(&text::encode(TextKind::Consent, &bytes), &REQUEST, NOW).unwrap_err();
    assert_eq!(e, DelegationError::BadSignature(StatementKind::Consent));
    assert_eq!(e.code(), "bad_consent_signature");
}

#[test]
fn a_signer_refuses_an_empty_period_and_missing_claims() {
    let holder = delegator();
    let d = delegate(&holder, Matter::CollectCertificate, &person_key(0x23));
    assert_eq!(d.period(NOW, NOW).sign().unwrap_err(), Error::Usage(UsageError::EmptyValidity));
    let c = consent(&holder, REQUEST, true).period(NOW, NOW + 1).disclose(Disclose::Claims(vec!["vin".into()]));
    assert_eq!(c.sign().unwrap_err(), Error::Usage(UsageError::ClaimNotInCredential("vin".into())));
}

#[test]
fn matters_round_trip_by_name() {
    for m in Matter::ALL {
        assert_eq!(m.name().parse::<Matter>(), Ok(m));
    }
    assert_eq!("sell_house".parse::<Matter>(), Err(UnknownMatter));
}
