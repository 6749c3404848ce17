use super::*;
use crate::document::{Claim, Registry};
use crate::error::UsageError;
use crate::keys::Algorithm;
use crate::numeric_code::CodeKey;
use crate::presentation::Disclose;
use crate::testing::*;
use alloc::vec;

fn doc() -> DocType {
    resident_id()
}

fn issuer() -> Issuer {
    Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap()
}

fn sign_with(claims: Vec<Claim>) -> Result<CredentialBundle, Error> {
    let doc = doc();
    issuer().credential(&doc, device_key(Algorithm::Es256).public_key(), claims).validity(NOW, NOW + YEAR).sign()
}

fn with(name: &'static str, value: ClaimValue) -> Vec<Claim> {
    let mut claims = doc().example_claims();
    claims.retain(|c| c.name != name);
    claims.push(Claim::new(name, value));
    claims
}

#[test]
fn issuance_refuses_bad_claims() {
    let usage = |e: UsageError| Err(Error::Usage(e));
    assert_eq!(
        sign_with(with("blood_type", ClaimValue::Text("A".into()))),
        usage(UsageError::UnknownClaim("blood_type".into()))
    );
    assert_eq!(
        sign_with(with("sex", ClaimValue::Text("男".into()))),
        usage(UsageError::ClaimTypeMismatch("sex".into()))
    );
    assert_eq!(
        sign_with(with("age_over_18", ClaimValue::Bool(true))),
        usage(UsageError::DerivedClaimSupplied("age_over_18".into()))
    );
    let mut twice = doc().example_claims();
    twice.push(Claim::new("name", ClaimValue::Text("李四".into())));
    assert_eq!(sign_with(twice), usage(UsageError::DuplicateClaim("name".into())));
    let mut no_birth = doc().example_claims();
    no_birth.retain(|c| c.name != "birth_date");
    assert_eq!(sign_with(no_birth), usage(UsageError::MissingBirthDate));
}

#[test]
fn issuance_refuses_bad_settings() {
    let doc = doc();
    let device = device_key(Algorithm::Es256);
    let issuer = issuer();
    let builder = || issuer.credential(&doc, device.public_key(), doc.example_claims());
    assert!(matches!(Issuer::new("", issuer_key(Algorithm::EdDsa)), Err(UsageError::IssuerName)));
    assert!(matches!(Issuer::new(&"X".repeat(65), issuer_key(Algorithm::EdDsa)), Err(UsageError::IssuerName)));
    assert_eq!(builder().validity(NOW, NOW).sign(), Err(UsageError::EmptyValidity.into()));
    assert_eq!(builder().sign(), Err(UsageError::EmptyValidity.into()));
    assert_eq!(builder().validity(NOW, NOW + 1).id(&[0; 33]).sign(), Err(UsageError::TooLarge.into()));
}

#[test]
fn age_predicates_are_computed_on_the_issue_date() {
    let born = ClaimValue::Date(Date::from_ymd(2008, 11, 24).unwrap());
    let doc = doc();
    let device = device_key(Algorithm::Es256);
    let day_before = Date::from_ymd(2026, 11, 23).unwrap().days() as u64 * 86_400;
    for (issued, adult) in [(day_before, false), (day_before + 86_400, true)] {
        let bundle = issuer()
            .credential(&doc, device.public_key(), with("birth_date", born.clone()))
            .validity(issued, issued + YEAR)
            .sign()
            .unwrap();
        let holder = crate::presentation::Holder::new(bundle, device_key(Algorithm::Es256)).unwrap();
        let p = holder
            .present(crate::presentation::Disclose::Claims(vec!["age_over_16".into(), "age_over_18".into()]))
            .at(issued)
            .sign()
            .unwrap();
        let v = verifier(Algorithm::EdDsa).verify_bytes(p.as_bytes(), issued).unwrap();
        assert_eq!(v.claim("age_over_16").unwrap().value, ClaimValue::Bool(true));
        assert_eq!(v.claim("age_over_18").unwrap().value, ClaimValue::Bool(adult), "issued {issued}");
    }
}

#[test]
fn bundle_holds_full_credential_disclosures_and_distinct_views() {
    let bundle = bundle(&doc(), Algorithm::EdDsa, Algorithm::Es256);
    // 12 claims (10 given + 2 derived), one disclosure each.
    assert_eq!(bundle.disclosures.len(), 12);
    // petrol_station and visitor_log want the same claims: one view serves both.
    assert_eq!(bundle.views().len(), 6);
    let sign1 = Sign1::read(&mut Reader::new(bundle.full())).unwrap();
    let body = CredentialBody::read(sign1.payload, sign1.payload_offset).unwrap();
    assert_eq!(body.digests.len(), 12);
    assert!(body.digests.windows(2).all(|w| w[0] < w[1]), "digests are sorted");
    assert!(body.claims.is_none());
    assert_eq!(body.status, Some(StatusRef { list: 7, index: 4242 }));
    for d in &bundle.disclosures {
        assert!(body.digests.contains(&&digest(d)[..]));
    }
}

#[test]
fn bundle_round_trips_through_text() {
    let bundle = bundle(&doc(), Algorithm::Es256, Algorithm::EdDsa);
    let text = bundle.to_text();
    assert!(text.starts_with("NCC1:"));
    assert_eq!(CredentialBundle::from_text(text.as_bytes()).unwrap(), bundle);
}

#[test]
fn bundle_decode_fail() {
    use crate::error::MalformedKind::*;
    let good = bundle(&doc(), Algorithm::EdDsa, Algorithm::Es256).to_bytes();
    let malformed = |kind, offset| Err(Error::Malformed(Malformed::at(kind, offset)));
    assert_eq!(CredentialBundle::from_bytes(&[0xa0]), malformed(MissingField { field: "full" }, 0));
    assert_eq!(CredentialBundle::from_bytes(&[0xa1, 0x05, 0x00]), malformed(UnknownField, 1));
    assert_eq!(CredentialBundle::from_bytes(&good[..good.len() - 1]), malformed(Truncated, good.len() - 64));
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(CredentialBundle::from_bytes(&trailing), malformed(TrailingBytes, good.len()));
}

fn bundle_with_code() -> CredentialBundle {
    let doc = doc();
    let key = CodeKey::from_bytes([0x44; 32]);
    issuer()
        .credential(&doc, device_key(Algorithm::Es256).public_key(), doc.example_claims())
        .validity(NOW - YEAR / 2, NOW + YEAR / 2)
        .id(&[0x01, 0x02])
        .salt_seed([0x33; 32])
        .numeric_code(&key)
        .sign()
        .unwrap()
}

#[test]
fn the_code_secret_is_derived_from_the_id_and_travels_in_the_bundle() {
    let with_code = bundle_with_code();
    let expected = CodeKey::from_bytes([0x44; 32]).secret(ISSUER, &[0x01, 0x02]);
    assert_eq!(with_code.code_secret(), Some(&expected));
    let bytes = with_code.to_bytes();
    // The last entry: 4 => h'<32 bytes>'.
    let tail = [&[0x04, 0x58, 0x20][..], expected.as_bytes()].concat();
    assert!(bytes.ends_with(&tail));
    assert_eq!(bytes[0], 0xa4);
    assert_eq!(CredentialBundle::from_bytes(&bytes).unwrap(), with_code);
    assert_eq!(CredentialBundle::from_text(with_code.to_text().as_bytes()).unwrap(), with_code);
    // Without a code key, no secret and the three-entry bundle of before.
    let plain = bundle(&doc(), Algorithm::EdDsa, Algorithm::Es256);
    assert_eq!((plain.code_secret(), plain.to_bytes()[0]), (None, 0xa3));
}

#[test]
fn a_code_secret_needs_a_credential_id_and_32_bytes() {
    let doc = doc();
    let key = CodeKey::from_bytes([0x44; 32]);
    let no_id = issuer()
        .credential(&doc, device_key(Algorithm::Es256).public_key(), doc.example_claims())
        .validity(NOW, NOW + YEAR)
        .numeric_code(&key)
        .sign();
    assert_eq!(no_id, Err(Error::Usage(UsageError::CodeNeedsId)));
    let bytes = bundle_with_code().to_bytes();
    // 31 bytes instead of 32 (the map head and the length fixed up).
    let short_at = bytes.len() - 32;
    let short = [&bytes[..short_at - 2], &[0x58, 0x1f][..], &bytes[short_at..bytes.len() - 1]].concat();
    assert_eq!(
        CredentialBundle::from_bytes(&short),
        Err(Error::Malformed(Malformed::at(MalformedKind::InvalidValue { field: "code_secret" }, short_at - 2)))
    );
}

#[test]
fn no_presentation_carries_the_code_secret() {
    let bundle = bundle_with_code();
    let secret = *bundle.code_secret().unwrap().as_bytes();
    let holder = crate::presentation::Holder::new(bundle, device_key(Algorithm::Es256)).unwrap();
    let all: Vec<String> = doc().claims().iter().filter(|d| d.derived.is_none()).map(|d| d.name.to_string()).collect();
    let mut asks: Vec<Disclose> = Profile::ALL.iter().map(|p| Disclose::Profile(*p)).collect();
    asks.push(Disclose::Claims(all));
    for ask in asks {
        let p = holder.present(ask.clone()).at(NOW).sign().unwrap();
        assert!(!p.as_bytes().windows(secret.len()).any(|w| w == secret), "{ask:?}");
        assert!(!p.to_text().contains(&hex::encode(secret)), "{ask:?}");
    }
}

#[test]
fn salts_are_hkdf_derived_per_code() {
    let seed = [0x33; 32];
    assert_ne!(claims::derive_salt(&seed, 1), claims::derive_salt(&seed, 2));
    assert_eq!(claims::derive_salt(&seed, 1), claims::derive_salt(&seed, 1));
    assert_eq!(claims::derive_salt(&seed, 1).len(), SALT_LEN);
}

#[test]
fn custom_doc_type_travels_by_name() {
    let registry = Registry::builtin();
    assert!(registry.by_name("cn.zibo.visitor_pass").is_none());
    let sign1_bytes = bundle(&doc(), Algorithm::EdDsa, Algorithm::Es256).full;
    let sign1 = Sign1::read(&mut Reader::new(&sign1_bytes)).unwrap();
    let body = CredentialBody::read(sign1.payload, sign1.payload_offset).unwrap();
    assert_eq!(body.doc_type, DocTypeId::Code(1));
}

#[test]
fn claims_set_decode_fail() {
    use crate::error::MalformedKind::*;
    let key = device_key(Algorithm::EdDsa).public_key().to_cose_key();
    let kty_zero = [&[0xa3, 0x01, 0x00][..], &key[3..]].concat();
    // {1: "NBPSB", 4: exp, 5: nbf, 8: cnf, -1: 1, -3: claims}
    let claims_set = |cnf: &[u8], claims: &str| {
        [&hex("a6 01 65 4e42505342 04 1a 7dcff580 05 1a 6b02a100 08"), cnf, &hex("20 01 22"), &hex(claims)].concat()
    };
    let cnf = |head: &str, key: &[u8]| [hex(head), key.to_vec()].concat();
    let cases: &[(Vec<u8>, Option<MalformedKind>)] = &[
        (claims_set(&cnf("a1 01", &key), "a1 01 61 61"), None),
        // The claims map's structure is checked here, its codes and values
        // against the document type only in verification step 6.
        (claims_set(&cnf("a1 01", &key), "a1 20 01"), None),
        (claims_set(&cnf("a1 01", &key), "00"), Some(UnexpectedType { expected: "map" })),
        (claims_set(&cnf("a1 01", &key), "a0"), Some(InvalidValue { field: "claims" })),
        (claims_set(&cnf("a1 01", &key), "a1 61 61 01"), Some(UnexpectedType { expected: "integer" })),
        (claims_set(&cnf("a1 01", &key), "a1 1b ffffffffffffffff 01"), Some(InvalidValue { field: "integer" })),
        (claims_set(&cnf("a1 01", &key), "a2 02 01 01 01"), Some(UnsortedMapKeys)),
        (claims_set(&cnf("a1 01", &key), "a1 01 9f ff"), Some(IndefiniteLength)),
        (claims_set(&cnf("a1 01", &key), "a1 01 81 81 81 81 01"), Some(TooDeep)),
        // cnf is {1: COSE_Key}: another int key is an invalid cnf, another type unexpected.
        (claims_set(&cnf("a1 20", &key), "a1 01 61 61"), Some(InvalidValue { field: "cnf" })),
        (claims_set(&cnf("a1 02", &key), "a1 01 61 61"), Some(InvalidValue { field: "cnf" })),
        (claims_set(&cnf("a1 61 61", &key), "a1 01 61 61"), Some(UnexpectedType { expected: "integer" })),
        (claims_set(&cnf("a1 01", &kty_zero), "a1 01 61 61"), Some(MissingField { field: "kty" })),
    ];
    for (i, (bytes, want)) in cases.iter().enumerate() {
        let got = CredentialBody::read(bytes, 0).map(drop).map_err(|m| m.kind);
        assert_eq!(got, want.map_or(Ok(()), Err), "case {i}");
    }
}
