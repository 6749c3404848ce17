use super::*;
use crate::document::{ClaimValue, Date, Profile};
use crate::error::ConfigError;
use crate::presentation::Disclose;
use crate::testing::*;

#[test]
fn hotel_presentation_round_trips() {
    let p = present(Disclose::Profile(Profile::HotelCheckIn));
    let v = verifier(Algorithm::EdDsa).verify(p.to_text().as_bytes(), NOW).unwrap();
    assert_eq!(v.doc_type, "resident_id_card");
    assert_eq!(v.issuer, ISSUER);
    assert_eq!(v.issuer_algorithm, Algorithm::EdDsa);
    assert_eq!(v.device_algorithm, Algorithm::Es256);
    assert_eq!(v.status, Some(StatusRef { list: 7, index: 4242 }));
    let names: Vec<&str> = v.claims.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(names, ["name", "sex", "birth_date", "id_number"]);
    assert_eq!(v.claim("birth_date").unwrap().value, ClaimValue::Date(Date::from_ymd(1990, 5, 17).unwrap()));
    std::println!("hotel presentation: {} bytes, {} chars", p.as_bytes().len(), p.to_text().len());
}

use crate::cbor::Writer;
use crate::cose;
use crate::credential::Issuer;
use crate::document::{ClaimDef, ClaimType, DocKind, DocType};
use crate::error::MalformedKind;
use crate::keys::SecretKey;
use crate::presentation::Holder;

fn bytes_of(p: &crate::presentation::Presentation) -> Vec<u8> {
    p.as_bytes().to_vec()
}

fn hotel() -> Vec<u8> {
    bytes_of(&present(Disclose::Profile(Profile::HotelCheckIn)))
}

/// Replaces the presentation payload with `edit(payload)` and signs it again
/// with the real device key, so the device signature is valid for the edit.
fn resign(presentation: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let outer = Sign1::read(&mut Reader::new(presentation)).unwrap();
    let mut payload = outer.payload.to_vec();
    edit(&mut payload);
    let key = device_key(Algorithm::Es256);
    cose::sign1::<Error>(Algorithm::Es256, None, payload, |tbs| Ok(key.sign(tbs))).unwrap()
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).position(|w| w == needle).unwrap()
}

fn issuer_public() -> PublicKey {
    issuer_key(Algorithm::EdDsa).public_key().clone()
}

/// A verifier with the default policy trusting one key.
fn trusting(key: Result<TrustedKey, Error>) -> Verifier {
    Verifier::new([key.unwrap()].to_vec(), Policy::default()).unwrap()
}

fn verify(bytes: &[u8]) -> Result<Verified, Error> {
    verifier(Algorithm::EdDsa).verify_bytes(bytes, NOW)
}

#[test]
fn both_algorithm_pairs_round_trip() {
    for issuer_alg in [Algorithm::EdDsa, Algorithm::Es256] {
        for device_alg in [Algorithm::EdDsa, Algorithm::Es256] {
            let p = holder(issuer_alg, device_alg)
                .present(Disclose::Profile(Profile::InternetCafe))
                .at(NOW)
                .sign()
                .unwrap();
            let v = verifier(issuer_alg).verify(p.to_text().as_bytes(), NOW).unwrap();
            assert_eq!((v.issuer_algorithm, v.device_algorithm), (issuer_alg, device_alg));
            let names: Vec<&str> = v.claims.iter().map(|c| c.name.as_ref()).collect();
            assert_eq!(names, ["name", "id_number", "age_over_18"], "{issuer_alg}/{device_alg}");
            assert_eq!(v.claim("age_over_18").unwrap().value, ClaimValue::Bool(true));
        }
    }
}

#[test]
fn arbitrary_disclosure_uses_digests() {
    let p = present(Disclose::Claims(["address".into(), "name".into()].to_vec()));
    let v = verify(p.as_bytes()).unwrap();
    let names: Vec<&str> = v.claims.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(names, ["name", "address"]);
}

#[test]
fn every_builtin_type_round_trips_in_full() {
    for doc in Registry::builtin().types() {
        let holder =
            Holder::new(bundle(doc, Algorithm::EdDsa, Algorithm::Es256), device_key(Algorithm::Es256)).unwrap();
        let p = holder.present(Disclose::Profile(Profile::GovernmentWindow)).at(NOW).sign().unwrap();
        let v = verify(p.as_bytes()).unwrap();
        assert_eq!(v.doc_type, doc.name());
        let mut expected = doc.example_claims();
        let got: Vec<_> = v.claims.iter().filter(|c| doc.claim(&c.name).unwrap().derived.is_none()).cloned().collect();
        expected.sort_by_key(|c| doc.claim(&c.name).unwrap().code);
        assert_eq!(got, expected, "{}", doc.name());
        assert_eq!(v.claims.len(), doc.claims().len(), "{}: derived claims present", doc.name());
    }
}

#[test]
fn error_malformed_text_and_cbor() {
    let v = verifier(Algorithm::EdDsa);
    assert_eq!(v.verify(b"hello", NOW), Err(Malformed::at(MalformedKind::MissingPrefix, 0).into()));
    assert_eq!(v.verify(b"NC1:0", NOW), Err(Malformed::at(MalformedKind::Base45Length, 4).into()));
    let bytes = hotel();
    assert_eq!(
        verify(&bytes[..bytes.len() - 1]),
        Err(Malformed::at(MalformedKind::Truncated, bytes.len() - 64).into())
    );
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(verify(&trailing), Err(Malformed::at(MalformedKind::TrailingBytes, bytes.len()).into()));
}

#[test]
fn error_unsupported_version() {
    let text = present(Disclose::Profile(Profile::HotelCheckIn)).to_text().replacen("NC1:", "NC2:", 1);
    assert_eq!(verifier(Algorithm::EdDsa).verify(text.as_bytes(), NOW), Err(Error::UnsupportedVersion { found: '2' }));
}

#[test]
fn error_unknown_key() {
    let kid = issuer_key(Algorithm::EdDsa).public_key().id();
    let other =
        trusting(TrustedKey::new(ISSUER, device_key(Algorithm::EdDsa).public_key().clone(), KeyScope::AllTypes));
    assert_eq!(other.verify_bytes(&hotel(), NOW), Err(Error::UnknownKey { kid }));
}

#[test]
fn error_algorithm_not_allowed() {
    let v = verifier_with(Algorithm::EdDsa, Policy::default().algorithms(&[Algorithm::Es256]).unwrap());
    assert_eq!(v.verify_bytes(&hotel(), NOW), Err(Error::AlgorithmNotAllowed { alg: -8 }));
    let v = verifier_with(Algorithm::EdDsa, Policy::default().algorithms(&[Algorithm::EdDsa]).unwrap());
    assert_eq!(v.verify_bytes(&hotel(), NOW), Err(Error::AlgorithmNotAllowed { alg: -7 }));
}

#[test]
fn error_algorithm_mismatch() {
    // The credential's protected header {1: -8, 4: kid} claims ES256 instead.
    let mut bytes = hotel();
    let at = find(&bytes, &[0xa2, 0x01, 0x27, 0x04, 0x48]);
    let tampered = resign(&bytes, |payload| {
        let at = find(payload, &[0xa2, 0x01, 0x27, 0x04, 0x48]);
        payload[at + 2] = 0x26;
    });
    bytes[at + 2] = 0x26;
    assert_eq!(verify(&tampered), Err(Error::AlgorithmMismatch));
}

#[test]
fn error_key_not_allowed_for_doc_type() {
    let key = TrustedKey::new(ISSUER, issuer_public(), KeyScope::types(&["driving_licence"]).unwrap());
    assert_eq!(trusting(key).verify_bytes(&hotel(), NOW), Err(Error::KeyNotAllowedForDocType));
    let key =
        TrustedKey::new(ISSUER, issuer_public(), KeyScope::types(&["driving_licence", "resident_id_card"]).unwrap());
    assert_eq!(trusting(key).verify_bytes(&hotel(), NOW).unwrap().doc_type, "resident_id_card");
}

#[test]
fn error_issuer_key_not_valid() {
    let key = TrustedKey::new(ISSUER, issuer_public(), KeyScope::AllTypes).unwrap().valid_between(0, NOW - 1);
    assert_eq!(trusting(key).verify_bytes(&hotel(), NOW), Err(Error::IssuerKeyNotValid));
}

/// The test credential has no `iat`: its issue time is its `nbf`.
const ISSUED: u64 = NOW - crate::testing::YEAR / 2;

#[test]
fn error_issued_outside_key_period() {
    let signs =
        |from, until| TrustedKey::new(ISSUER, issuer_public(), KeyScope::AllTypes).unwrap().signs_between(from, until);
    // The period is [from, until): its start is in, its end is out.
    assert_eq!(trusting(signs(ISSUED, ISSUED + 1)).verify_bytes(&hotel(), NOW).unwrap().doc_type, "resident_id_card");
    let refused = Err(Error::IssuedOutsideKeyPeriod { issued_at: ISSUED });
    assert_eq!(trusting(signs(ISSUED - 10, ISSUED)).verify_bytes(&hotel(), NOW), refused);
    assert_eq!(trusting(signs(ISSUED + 1, NOW)).verify_bytes(&hotel(), NOW), refused);
    // An empty period is a configuration error, refused when it is set.
    let empty = TrustedKey::new(ISSUER, issuer_public(), KeyScope::AllTypes).unwrap().signs_between(NOW, NOW);
    assert_eq!(empty.unwrap_err(), Error::InvalidConfig(ConfigError::KeyValidity));
}

#[test]
fn issue_time_is_iat_when_the_credential_has_one() {
    let doc = resident_id();
    let device = device_key(Algorithm::Es256);
    let bundle = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa))
        .unwrap()
        .credential(&doc, device.public_key(), doc.example_claims())
        .validity(ISSUED, NOW + 1000)
        .issued_at(NOW - 100)
        .sign()
        .unwrap();
    let p = Holder::new(bundle, device).unwrap().present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign();
    let bytes = bytes_of(&p.unwrap());
    let key = || TrustedKey::new(ISSUER, issuer_public(), KeyScope::AllTypes).unwrap();
    assert!(trusting(key().signs_between(NOW - 100, NOW)).verify_bytes(&bytes, NOW).is_ok());
    let by_nbf = key().signs_between(ISSUED, ISSUED + 1);
    assert_eq!(trusting(by_nbf).verify_bytes(&bytes, NOW), Err(Error::IssuedOutsideKeyPeriod { issued_at: NOW - 100 }));
    let compromised = Ok(key().compromised_at(NOW - 100));
    let refused = Err(Error::IssuerKeyCompromised { compromised_at: NOW - 100, issued_at: NOW - 100 });
    assert_eq!(trusting(compromised).verify_bytes(&bytes, NOW), refused);
}

#[test]
fn error_issuer_key_compromised() {
    let compromised = |at| Ok(TrustedKey::new(ISSUER, issuer_public(), KeyScope::AllTypes).unwrap().compromised_at(at));
    // Issued before the compromise: still good. At or after it: refused.
    assert!(trusting(compromised(ISSUED + 1)).verify_bytes(&hotel(), NOW).is_ok());
    let refused = Err(Error::IssuerKeyCompromised { compromised_at: ISSUED, issued_at: ISSUED });
    assert_eq!(trusting(compromised(ISSUED)).verify_bytes(&hotel(), NOW), refused);
}

#[test]
fn error_issuer_mismatch() {
    let key = TrustedKey::new("ZBPSB", issuer_public(), KeyScope::AllTypes);
    assert_eq!(trusting(key).verify_bytes(&hotel(), NOW), Err(Error::IssuerMismatch));
}

#[test]
fn error_unknown_doc_type() {
    let badge = DocType::custom(
        "cn.zibo.visitor_pass",
        "Visitor pass",
        DocKind::Card,
        [ClaimDef::new(1, "name", ClaimType::Text)].to_vec(),
    )
    .unwrap();
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    let bundle = issuer
        .credential(&badge, device_key(Algorithm::Es256).public_key(), badge.example_claims())
        .validity(NOW - 10, NOW + 10)
        .sign()
        .unwrap();
    let mut registry = Registry::builtin();
    registry.add(badge).unwrap();
    let holder = Holder::with_registry(bundle, device_key(Algorithm::Es256), &registry).unwrap();
    let p = holder.present(Disclose::Profile(Profile::VisitorLog)).at(NOW).sign().unwrap();
    assert_eq!(verify(p.as_bytes()), Err(Error::UnknownDocType));
    let key = TrustedKey::new(ISSUER, issuer_public(), KeyScope::types(&["cn.zibo.visitor_pass"]).unwrap()).unwrap();
    let v = Verifier::with_registry(registry, [key].to_vec(), Policy::default()).unwrap();
    let v = v.verify_bytes(p.as_bytes(), NOW).unwrap();
    assert_eq!(v.doc_type, "cn.zibo.visitor_pass");
    assert_eq!(v.claims[0].value, ClaimValue::Text("王小明".into()));
}

#[test]
fn error_bad_issuer_signature() {
    // Change one byte of the name inside the issuer-signed payload; the
    // device signs the edit, so only the issuer signature can catch it.
    let name = "王小明".as_bytes();
    let tampered = resign(&hotel(), |payload| {
        let at = find(payload, name);
        payload[at + 2] ^= 1;
    });
    assert_eq!(verify(&tampered), Err(Error::BadIssuerSignature));
}

#[test]
fn error_bad_device_signature() {
    let mut bytes = hotel();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(verify(&bytes), Err(Error::BadDeviceSignature));
    // A presentation signed by another device key.
    let other = SecretKey::from_bytes(Algorithm::Es256, &[0x44; 32]).unwrap();
    let outer = Sign1::read(&mut Reader::new(&hotel())).unwrap().payload.to_vec();
    let forged = cose::sign1::<Error>(Algorithm::Es256, None, outer, |tbs| Ok(other.sign(tbs))).unwrap();
    assert_eq!(verify(&forged), Err(Error::BadDeviceSignature));
}

#[test]
fn error_high_s_device_signature() {
    let bytes = hotel();
    let at = bytes.len() - 64;
    let sig = p256::ecdsa::Signature::from_slice(&bytes[at..]).unwrap();
    let (r, s) = sig.split_scalars();
    let mut high = bytes.clone();
    high[at..].copy_from_slice(&p256::ecdsa::Signature::from_scalars(r, -*s).unwrap().to_bytes());
    assert_eq!(verify(&high), Err(Malformed::at(MalformedKind::HighS, at - 2).into()));
}

#[test]
fn error_disclosure_digest_mismatch() {
    let p = bytes_of(&present(Disclose::Claims(["name".into()].to_vec())));
    let name = "王小明".as_bytes();
    let tampered = resign(&p, |payload| {
        let at = find(payload, name);
        payload[at + 2] ^= 1;
    });
    assert_eq!(verify(&tampered), Err(Error::DisclosureDigestMismatch));
}

#[test]
fn error_duplicate_disclosure() {
    let p = bytes_of(&present(Disclose::Claims(["name".into()].to_vec())));
    let tampered = resign(&p, |payload| {
        // {1: cred, 2: [d], ...} -> {1: cred, 2: [d, d], ...}
        let body = crate::presentation::PresentationBody::read(payload, 0).unwrap();
        let (d, at) = body.disclosures[0];
        let mut w = Writer::new();
        w.bytes(d);
        let encoded = w.into_bytes();
        let head = at - (encoded.len() - d.len());
        let mut edited = payload[..head - 1].to_vec();
        edited.push(0x82);
        edited.extend_from_slice(&encoded);
        edited.extend_from_slice(&payload[head..]);
        *payload = edited;
    });
    let Err(Error::Malformed(m)) = verify(&tampered) else { panic!("expected malformed") };
    assert_eq!(m.kind, MalformedKind::DuplicateClaim);
}

#[test]
fn error_credential_validity() {
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    let doc = resident_id();
    let make = |nbf, exp| {
        let bundle = issuer
            .credential(&doc, device_key(Algorithm::Es256).public_key(), doc.example_claims())
            .validity(nbf, exp)
            .sign()
            .unwrap();
        let holder = Holder::new(bundle, device_key(Algorithm::Es256)).unwrap();
        holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap()
    };
    let early = make(NOW + 100, NOW + YEAR);
    assert_eq!(verify(early.as_bytes()), Err(Error::CredentialNotYetValid { not_before: NOW + 100, now: NOW }));
    let late = make(NOW - YEAR, NOW - 100);
    assert_eq!(verify(late.as_bytes()), Err(Error::CredentialExpired { expires: NOW - 100, now: NOW }));
    // Within the clock skew both pass.
    assert!(verify(make(NOW + 10, NOW + YEAR).as_bytes()).is_ok());
    assert!(verify(make(NOW - YEAR, NOW - 9).as_bytes()).is_ok());
}

#[test]
fn error_window_not_yet_valid_and_expired() {
    let p = present(Disclose::Profile(Profile::HotelCheckIn));
    let w = p.window();
    assert_eq!((w.start(), w.end()), (NOW, NOW + 30));
    let v = verifier(Algorithm::EdDsa);
    let skew = Policy::DEFAULT_CLOCK_SKEW;
    assert_eq!(
        v.verify_bytes(p.as_bytes(), NOW - skew - 1),
        Err(Error::WindowNotYetValid { start: NOW, now: NOW - skew - 1 })
    );
    assert!(v.verify_bytes(p.as_bytes(), NOW - skew).is_ok());
    assert!(v.verify_bytes(p.as_bytes(), NOW + 30 + skew - 1).is_ok());
    assert_eq!(
        v.verify_bytes(p.as_bytes(), NOW + 30 + skew),
        Err(Error::WindowExpired { end: NOW + 30, now: NOW + 30 + skew })
    );
}

#[test]
fn error_challenge_mismatch() {
    let h = holder(Algorithm::EdDsa, Algorithm::Es256);
    let p = h.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).challenge(4321).sign().unwrap();
    let v = verifier_with(Algorithm::EdDsa, Policy::default().challenge(1234).unwrap());
    assert_eq!(v.verify_bytes(p.as_bytes(), NOW), Err(Error::ChallengeMismatch { expected: 1234, found: Some(4321) }));
    assert_eq!(v.verify_bytes(&hotel(), NOW), Err(Error::ChallengeMismatch { expected: 1234, found: None }));
    let v = verifier_with(Algorithm::EdDsa, Policy::default().challenge(4321).unwrap());
    assert_eq!(v.verify_bytes(p.as_bytes(), NOW).unwrap().challenge, Some(4321));
}

#[test]
fn error_audience_mismatch() {
    let h = holder(Algorithm::EdDsa, Algorithm::Es256);
    let p = h.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).audience("hotel:NB-0001").sign().unwrap();
    let v = verifier_with(Algorithm::EdDsa, Policy::default().audience("cafe:NB-0002").unwrap());
    assert_eq!(v.verify_bytes(p.as_bytes(), NOW), Err(Error::AudienceMismatch));
    // A code without an audience at a desk that has one is refused too.
    assert_eq!(v.verify_bytes(&hotel(), NOW), Err(Error::AudienceMissing));
    // A desk with no audience refuses a code addressed to someone.
    assert_eq!(verify(p.as_bytes()), Err(Error::AudienceMismatch));
    let v = verifier_with(Algorithm::EdDsa, Policy::default().audience("hotel:NB-0001").unwrap());
    assert_eq!(v.verify_bytes(p.as_bytes(), NOW).unwrap().audience.as_deref(), Some("hotel:NB-0001"));
}

#[test]
fn error_missing_required_claim() {
    let v = verifier_with(Algorithm::EdDsa, Policy::default().require(Requirement::disclosed("address")));
    assert_eq!(v.verify_bytes(&hotel(), NOW), Err(Error::MissingRequiredClaim { name: "address".into() }));
    let v = verifier_with(Algorithm::EdDsa, Policy::default().profile(Profile::InternetCafe));
    assert_eq!(v.verify_bytes(&hotel(), NOW), Err(Error::MissingRequiredClaim { name: "age_over_18".into() }));
}

#[test]
fn hotel_code_fits_version_13_m() {
    let text = present(Disclose::Profile(Profile::HotelCheckIn)).to_text();
    let qr = crate::qr::QrMatrix::encode(&text, crate::qr::EcLevel::M).unwrap();
    assert_eq!((text.len(), qr.version()), (429, 13));
}

/// Re-signs a credential payload edited by `edit` with the real issuer key
/// and wraps it in a fresh presentation, so only the parse rules can object.
fn with_credential_payload(edit: impl FnOnce(&mut Vec<u8>)) -> Result<Verified, Error> {
    with_payload_of(&bundle(&resident_id(), Algorithm::EdDsa, Algorithm::Es256), edit)
}

/// [`with_credential_payload`] for the full credential of `bundle`.
fn with_payload_of(
    bundle: &crate::credential::CredentialBundle,
    edit: impl FnOnce(&mut Vec<u8>),
) -> Result<Verified, Error> {
    let sign1 = Sign1::read(&mut Reader::new(bundle.full())).unwrap();
    let mut payload = sign1.payload.to_vec();
    edit(&mut payload);
    let issuer = issuer_key(Algorithm::EdDsa);
    let kid = issuer.public_key().id();
    let credential = cose::sign1::<Error>(Algorithm::EdDsa, Some(kid), payload, |tbs| Ok(issuer.sign(tbs))).unwrap();
    let mut w = Writer::new();
    w.map(3).int(1).raw(&credential).int(3).uint(NOW).int(4).uint(30);
    let device = device_key(Algorithm::Es256);
    let p = cose::sign1::<Error>(Algorithm::Es256, None, w.into_bytes(), |tbs| Ok(device.sign(tbs))).unwrap();
    verify(&p)
}

fn malformed_kind(result: Result<Verified, Error>) -> MalformedKind {
    match result {
        Err(Error::Malformed(m)) => m.kind,
        other => panic!("expected malformed, got {other:?}"),
    }
}

#[test]
fn digests_must_be_sorted_distinct_and_present() {
    // The full credential ends with -4 (0x23) => array of 12 digests (0x8c).
    let at_digests = |p: &[u8]| find(p, &[0x23, 0x8c, 0x50]);
    let swapped = with_credential_payload(|p| {
        let first = at_digests(p) + 2;
        let (a, b) = (p[first..first + 17].to_vec(), p[first + 17..first + 34].to_vec());
        p[first..first + 17].copy_from_slice(&b);
        p[first + 17..first + 34].copy_from_slice(&a);
    });
    assert_eq!(malformed_kind(swapped), MalformedKind::InvalidValue { field: "digests" });
    let duplicated = with_credential_payload(|p| {
        let first = at_digests(p) + 2;
        let a = p[first..first + 17].to_vec();
        p[first + 17..first + 34].copy_from_slice(&a);
    });
    assert_eq!(malformed_kind(duplicated), MalformedKind::InvalidValue { field: "digests" });
    let empty = with_credential_payload(|p| {
        let at = at_digests(p);
        p.truncate(at + 1);
        p.push(0x80);
    });
    assert_eq!(malformed_kind(empty), MalformedKind::InvalidValue { field: "digests" });
    // Untouched, the same construction verifies.
    assert!(with_credential_payload(|_| {}).is_ok());
}

#[test]
fn empty_claims_map_is_refused() {
    let empty = with_credential_payload(|p| {
        let at = find(p, &[0x23, 0x8c, 0x50]);
        p.truncate(at);
        p.extend_from_slice(&[0x22, 0xa0]); // -3: {}
    });
    assert_eq!(malformed_kind(empty), MalformedKind::InvalidValue { field: "claims" });
}

#[test]
fn unaligned_window_is_refused() {
    let p = resign(&hotel(), |payload| {
        // window_start NOW (aligned) -> NOW + 1.
        let at = find(payload, &[0x03, 0x1a]);
        payload[at + 5] += 1;
    });
    assert_eq!(malformed_kind(verify(&p)), MalformedKind::InvalidValue { field: "window_start" });
}

#[test]
fn oversized_bytes_are_refused_before_parsing() {
    let max = crate::text::MAX_PRESENTATION_BYTES;
    assert_eq!(max, 2861);
    let huge = vec![0u8; max + 1];
    assert_eq!(verify(&huge), Err(Malformed::at(MalformedKind::TooLarge { max }, max).into()));
}

/// A credential of `doc` (built-in) with `claims`, valid from `nbf`, shown
/// with `disclose`.
fn present_doc(doc: &str, claims: Vec<crate::document::Claim>, nbf: u64, disclose: Disclose) -> Vec<u8> {
    let doc = Registry::builtin().by_name(doc).unwrap().clone();
    let bundle = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa))
        .unwrap()
        .credential(&doc, device_key(Algorithm::Es256).public_key(), claims)
        .validity(nbf, NOW + YEAR)
        .sign()
        .unwrap();
    let holder = Holder::new(bundle, device_key(Algorithm::Es256)).unwrap();
    bytes_of(&holder.present(disclose).at(NOW).sign().unwrap())
}

/// Example claims of `doc` with `birth_date` replaced.
fn born(doc: &str, y: i32, m: u8, d: u8) -> Vec<crate::document::Claim> {
    let mut claims = Registry::builtin().by_name(doc).unwrap().example_claims();
    let birth = claims.iter_mut().find(|c| c.name == "birth_date").unwrap();
    birth.value = ClaimValue::Date(Date::from_ymd(y, m, d).unwrap());
    claims
}

#[test]
fn a_scope_is_explicit_and_a_key_is_trusted_once() {
    assert_eq!(KeyScope::types::<&str>(&[]), Err(ConfigError::EmptyKeyScope.into()));
    assert_eq!(
        KeyScope::types(&["health_card", "health_card"]),
        Err(ConfigError::DuplicateScopeType("health_card".into()).into())
    );
    let scoped = |types: &[&str]| TrustedKey::new(ISSUER, issuer_public(), KeyScope::types(types).unwrap()).unwrap();
    // The same key under two names, or under two scopes, is refused at start-up.
    let other_name = TrustedKey::new("ZBPSB", issuer_public(), KeyScope::AllTypes).unwrap();
    let kid = issuer_public().id();
    assert_eq!(
        Verifier::new([scoped(&["health_card"]), other_name].to_vec(), Policy::default()).unwrap_err(),
        Error::InvalidConfig(ConfigError::DuplicateKey(kid))
    );
    assert_eq!(
        Verifier::new([scoped(&["health_card"]), scoped(&["resident_id_card"])].to_vec(), Policy::default())
            .unwrap_err(),
        Error::InvalidConfig(ConfigError::DuplicateKey(kid))
    );
    assert_eq!(
        Verifier::new([scoped(&["resident_id_crad"])].to_vec(), Policy::default()).unwrap_err(),
        Error::InvalidConfig(ConfigError::UnknownDocTypeName("resident_id_crad".into()))
    );
    assert_eq!(
        TrustedKey::new("", issuer_public(), KeyScope::AllTypes).unwrap_err(),
        Error::InvalidConfig(ConfigError::IssuerName)
    );
    assert_eq!(
        TrustedKey::new(ISSUER, issuer_public(), KeyScope::AllTypes).unwrap().valid_between(NOW, NOW).unwrap_err(),
        Error::InvalidConfig(ConfigError::KeyValidity)
    );
}

#[test]
fn police_and_education_keys_sign_only_their_own_types() {
    // The education bureau's key signs a resident ID card: refused, though
    // the desk trusts that key (for diplomas).
    let police = TrustedKey::new(
        ISSUER,
        device_key(Algorithm::EdDsa).public_key().clone(),
        KeyScope::types(&["resident_id_card"]).unwrap(),
    );
    let education = TrustedKey::new(ISSUER, issuer_public(), KeyScope::types(&["university_diploma"]).unwrap());
    let desk = Verifier::new([police.unwrap(), education.unwrap()].to_vec(), Policy::default()).unwrap();
    assert_eq!(desk.verify_bytes(&hotel(), NOW), Err(Error::KeyNotAllowedForDocType));
}

#[test]
fn settings_out_of_range_are_refused_when_set() {
    let max = Policy::MAX_CLOCK_SKEW;
    assert!(Policy::default().clock_skew(max).is_ok());
    assert_eq!(
        Policy::default().clock_skew(999_999_999).unwrap_err(),
        Error::InvalidConfig(ConfigError::ClockSkew { secs: 999_999_999, max })
    );
    assert_eq!(
        Policy::default().challenge(1_000_000).unwrap_err(),
        Error::InvalidConfig(ConfigError::Challenge(1_000_000))
    );
    assert!(Policy::default().challenge(999_999).is_ok());
    assert_eq!(Policy::default().audience("").unwrap_err(), Error::InvalidConfig(ConfigError::Audience));
    assert_eq!(Policy::default().audience(&"a".repeat(65)).unwrap_err(), Error::InvalidConfig(ConfigError::Audience));
    assert_eq!(Policy::default().algorithms(&[]).unwrap_err(), Error::InvalidConfig(ConfigError::NoAlgorithms));
}

#[test]
fn misspelled_requirements_are_refused_at_start_up() {
    let registry = Registry::builtin();
    assert_eq!(
        Requirement::parse("age_over_81", &registry),
        Err(Error::InvalidConfig(ConfigError::UnknownClaimName("age_over_81".into())))
    );
    assert_eq!(
        Requirement::parse("age_over_18=yes", &registry),
        Err(Error::InvalidConfig(ConfigError::RequirementValue("age_over_18".into())))
    );
    assert_eq!(
        Requirement::parse("has_record=false", &registry),
        Ok(Requirement::equals("has_record", ClaimValue::Bool(false)))
    );
    assert_eq!(
        Requirement::parse("birth_date=1990-05-17", &registry),
        Ok(Requirement::equals("birth_date", ClaimValue::Date(Date::from_ymd(1990, 5, 17).unwrap())))
    );
    assert_eq!(Requirement::parse("sex=1", &registry), Ok(Requirement::equals("sex", ClaimValue::Integer(1))));
    assert_eq!(Requirement::parse("members=x", &registry), Err(ConfigError::RequirementValue("members".into()).into()));
    // A claim no type the profile accepts defines is a misspelling for that scene.
    let cafe = Policy::default().profile(Profile::InternetCafe).require(Requirement::disclosed("plate_number"));
    assert_eq!(
        Verifier::new(Vec::new(), cafe).unwrap_err(),
        Error::InvalidConfig(ConfigError::UnknownClaimName("plate_number".into()))
    );
    let wrong_type = Policy::default().require(Requirement::equals("name", ClaimValue::Integer(3)));
    assert_eq!(
        Verifier::new(Vec::new(), wrong_type).unwrap_err(),
        Error::InvalidConfig(ConfigError::RequirementValue("name".into()))
    );
}

#[test]
fn a_required_predicate_must_be_true() {
    // A 14-year-old's card at an internet café.
    let minor = present_doc(
        "resident_id_card",
        born("resident_id_card", 2012, 3, 1),
        NOW - 1000,
        Disclose::Profile(Profile::InternetCafe),
    );
    let cafe = verifier_with(Algorithm::EdDsa, Policy::default().profile(Profile::InternetCafe));
    assert_eq!(cafe.verify_bytes(&minor, NOW), Err(Error::RequirementNotMet { name: "age_over_18".into() }));
    let require = verifier_with(Algorithm::EdDsa, Policy::default().require(Requirement::disclosed("age_over_18")));
    assert_eq!(require.verify_bytes(&minor, NOW), Err(Error::RequirementNotMet { name: "age_over_18".into() }));
    let require_false = Policy::default().require(Requirement::equals("age_over_18", ClaimValue::Bool(false)));
    assert!(verifier_with(Algorithm::EdDsa, require_false).verify_bytes(&minor, NOW).is_ok());
    let adult = present_doc(
        "resident_id_card",
        born("resident_id_card", 1990, 5, 17),
        NOW - 1000,
        Disclose::Profile(Profile::InternetCafe),
    );
    assert_eq!(cafe.verify_bytes(&adult, NOW).unwrap().claim("age_over_18").unwrap().value, ClaimValue::Bool(true));
    // A text requirement by value.
    let named = Policy::default().require(Requirement::equals("name", ClaimValue::Text("王大明".into())));
    assert_eq!(
        verifier_with(Algorithm::EdDsa, named).verify_bytes(&adult, NOW),
        Err(Error::RequirementNotMet { name: "name".into() })
    );
}

#[test]
fn a_profile_refuses_the_types_it_does_not_accept() {
    let health = Registry::builtin().by_name("health_card").unwrap().example_claims();
    let health = present_doc("health_card", health, NOW - 1000, Disclose::Profile(Profile::InternetCafe));
    let cafe = verifier_with(Algorithm::EdDsa, Policy::default().profile(Profile::InternetCafe));
    assert_eq!(cafe.verify_bytes(&health, NOW), Err(Error::DocTypeNotAccepted));
    let plate = present_doc(
        "vehicle_licence",
        Registry::builtin().by_name("vehicle_licence").unwrap().example_claims(),
        NOW - 1000,
        Disclose::Claims(["plate_number"].map(String::from).to_vec()),
    );
    let hotel_desk = verifier_with(Algorithm::EdDsa, Policy::default().profile(Profile::HotelCheckIn));
    assert_eq!(hotel_desk.verify_bytes(&plate, NOW), Err(Error::DocTypeNotAccepted));
    let roadside = verifier_with(Algorithm::EdDsa, Policy::default().profile(Profile::RoadsideCheck));
    assert_eq!(roadside.verify_bytes(&plate, NOW), Err(Error::MissingRequiredClaim { name: "vehicle_type".into() }));
    let government = verifier_with(Algorithm::EdDsa, Policy::default().profile(Profile::GovernmentWindow));
    assert_eq!(government.verify_bytes(&health, NOW).unwrap().doc_type, "health_card");
}

#[test]
fn age_predicates_are_derived_at_not_before() {
    // 18 on 2026-11-20; the credential is valid from 2026-11-01 and shown on
    // 2026-11-23: it must not say adult, since it was valid while 17.
    let nbf = NOW - 22 * 86_400;
    let bytes = present_doc(
        "resident_id_card",
        born("resident_id_card", 2008, 11, 20),
        nbf,
        Disclose::Profile(Profile::GovernmentWindow),
    );
    let v = verify(&bytes).unwrap();
    assert_eq!(v.claim("age_over_18").unwrap().value, ClaimValue::Bool(false));
    assert_eq!(v.claim("age_over_16").unwrap().value, ClaimValue::Bool(true));
}

#[test]
fn issue_time_is_bounded() {
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    let doc = resident_id();
    let make = |iat| {
        issuer
            .credential(&doc, device_key(Algorithm::Es256).public_key(), doc.example_claims())
            .validity(NOW - YEAR, NOW + YEAR)
            .issued_at(iat)
            .sign()
    };
    assert_eq!(make(NOW + YEAR + 1).unwrap_err(), Error::Usage(crate::error::UsageError::IssuedAfterExpiry));
    let show = |iat| {
        let holder = Holder::new(make(iat).unwrap(), device_key(Algorithm::Es256)).unwrap();
        bytes_of(&holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap())
    };
    let skew = Policy::DEFAULT_CLOCK_SKEW;
    assert_eq!(
        verify(&show(NOW + skew + 1)),
        Err(Error::CredentialIssuedInFuture { issued_at: NOW + skew + 1, now: NOW })
    );
    let v = verify(&show(NOW + skew)).unwrap();
    assert_eq!(v.issued_at, Some(NOW + skew));
    // SPEC §5 step 7: `iat` (7.3) is checked before the window (7.4, 7.5).
    let late = NOW + 30 + skew;
    assert_eq!(
        verifier(Algorithm::EdDsa).verify_bytes(&show(late + skew + 1), late),
        Err(Error::CredentialIssuedInFuture { issued_at: late + skew + 1, now: late })
    );
    // iat after exp on the wire, signed by the issuer anyway.
    let signed = make(NOW).unwrap();
    let iat = [&[0x06, 0x1a][..], &u32::try_from(NOW).unwrap().to_be_bytes()].concat();
    let result = with_payload_of(&signed, |payload| {
        let at = find(payload, &iat) + 2;
        payload[at..at + 4].copy_from_slice(&u32::try_from(NOW + YEAR + 1).unwrap().to_be_bytes());
    });
    assert_eq!(malformed_kind(result), MalformedKind::InvalidValue { field: "iat" });
}

#[test]
fn the_presentation_id_survives_re_encoding_of_the_envelope() {
    let p = hotel();
    let v = verify(&p).unwrap();
    let outer = Sign1::read(&mut Reader::new(&p)).unwrap();
    let expected: [u8; 32] = Sha256::digest(outer.to_be_signed()).into();
    assert_eq!(v.presentation_id, expected);
    // Wrapped in tag 18 (an unsigned edit), the id is the same.
    let tagged = [&[0xd2][..], &p].concat();
    assert_eq!(verify(&tagged).unwrap().presentation_id, expected);
    // Another window, another id.
    let later = holder(Algorithm::EdDsa, Algorithm::Es256)
        .present(Disclose::Profile(Profile::HotelCheckIn))
        .at(NOW + 30)
        .sign()
        .unwrap();
    assert_ne!(verifier(Algorithm::EdDsa).verify_bytes(later.as_bytes(), NOW + 30).unwrap().presentation_id, expected);
}

#[test]
fn a_credential_verifies_on_its_own_with_its_disclosures() {
    let b = bundle(&resident_id(), Algorithm::EdDsa, Algorithm::Es256);
    let name = b.disclosures.iter().find(|d| Disclosure::read(d, 0).unwrap().code == 1).unwrap().clone();
    let v = verifier(Algorithm::EdDsa);
    let seen = v.verify_credential(b.full(), core::slice::from_ref(&name), NOW).unwrap();
    assert_eq!(seen.claims.len(), 1);
    assert_eq!(seen.claim("name").unwrap().value, ClaimValue::Text("王小明".into()));
    assert_eq!(seen.device_key, *device_key(Algorithm::Es256).public_key());
    assert_eq!(seen.status, Some(StatusRef { list: 7, index: 4242 }));
    // The same checks as inside a presentation, in the same order.
    assert_eq!(v.verify_credential(b.full(), &[name.clone(), name.clone()], NOW).unwrap_err().code(), "malformed");
    let mut other = name.clone();
    other[3] ^= 1;
    assert_eq!(v.verify_credential(b.full(), &[other], NOW), Err(Error::DisclosureDigestMismatch));
    let late = NOW + YEAR;
    assert_eq!(v.verify_credential(b.full(), &[], late).unwrap_err().code(), "credential_expired");
    let mut trailing = b.full().to_vec();
    trailing.push(0);
    assert_eq!(v.verify_credential(&trailing, &[], NOW).unwrap_err().code(), "malformed");
}
