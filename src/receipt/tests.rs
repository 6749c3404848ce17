use alloc::vec::Vec;

use super::*;
use crate::document::ClaimValue;
use crate::error::Error;
use crate::keys::Algorithm;
use crate::presentation::Disclose;
use crate::testing::{ISSUER as ISSUER_NAME, NOW, issuer_key, present, verifier};

fn desk_key(alg: Algorithm) -> SecretKey {
    SecretKey::from_bytes(alg, &[0x55; 32]).unwrap()
}

fn verified() -> (Verified, Vec<u8>) {
    let presentation = present(Disclose::Profile(Profile::HotelCheckIn));
    let verified = verifier(Algorithm::EdDsa).verify(presentation.to_text().as_bytes(), NOW).unwrap();
    (verified, presentation.as_bytes().to_vec())
}

fn issue(alg: Algorithm, minimise: Minimise) -> SignedReceipt {
    let (verified, _) = verified();
    Receipt::issue(
        &verified,
        &Registry::builtin(),
        &desk_key(alg),
        "hotel:NB-0042",
        NOW + 1,
        Some(Profile::HotelCheckIn),
        minimise,
    )
    .unwrap()
}

fn check(bytes: &[u8]) -> Result<Receipt, ReceiptError> {
    let keys = [desk_key(Algorithm::EdDsa).public_key().clone(), desk_key(Algorithm::Es256).public_key().clone()];
    Receipt::verify(bytes, &keys, &Registry::builtin())
}

/// Signs `payload` as a receipt would be, so tests can break one field.
fn resign(payload: Vec<u8>) -> Vec<u8> {
    let desk = desk_key(Algorithm::EdDsa);
    cose::sign1_typed(desk.algorithm(), Some(desk.public_key().id()), Some(RECEIPT_TYPE), payload, |tbs| {
        Ok::<_, Error>(desk.sign(tbs))
    })
    .unwrap()
}

fn malformed(result: Result<Receipt, ReceiptError>) -> MalformedKind {
    match result {
        Err(ReceiptError::Malformed(m)) => m.kind,
        other => panic!("expected malformed, got {other:?}"),
    }
}

#[test]
fn a_receipt_round_trips_with_values_and_with_digests_under_both_algorithms() {
    let (verified, _) = verified();
    for alg in [Algorithm::EdDsa, Algorithm::Es256] {
        for minimise in [Minimise::Values, Minimise::Digests] {
            let signed = issue(alg, minimise);
            let read = check(&signed.bytes).unwrap();
            assert_eq!(read, signed.receipt, "{alg:?} {minimise:?}");
            assert_eq!(read.unit, "hotel:NB-0042");
            assert_eq!(read.time, NOW + 1);
            assert_eq!(read.doc_type, "resident_id_card");
            assert_eq!(read.issuer, ISSUER_NAME);
            assert_eq!(read.issuer_key_id, issuer_key(Algorithm::EdDsa).public_key().id());
            assert_eq!(read.presentation_id, verified.presentation_id);
            assert_eq!(read.purpose, Some(Profile::HotelCheckIn));
            assert_eq!(read.desk_key_id, desk_key(alg).public_key().id());
        }
    }
}

#[test]
fn a_digest_receipt_keeps_no_value_but_confirms_the_right_one() {
    let (verified, _) = verified();
    let signed = issue(Algorithm::EdDsa, Minimise::Digests);
    let name = verified.claim("name").unwrap().clone();
    let ClaimValue::Text(text) = &name.value else { panic!("name is text") };
    assert!(!signed.bytes.windows(text.len()).any(|w| w == text.as_bytes()), "the name is not in the receipt");
    let read = check(&signed.bytes).unwrap();
    let Fields::Digests(digests) = &read.fields else { panic!("digests") };
    let names: Vec<&str> = digests.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["name", "sex", "birth_date", "id_number"]);
    assert!(read.records(&name, &Registry::builtin()));
    let other = Claim::new("name", ClaimValue::Text("李四".into()));
    assert!(!read.records(&other, &Registry::builtin()));
    // A value receipt confirms by comparison.
    let values = check(&issue(Algorithm::EdDsa, Minimise::Values).bytes).unwrap();
    assert!(values.records(&name, &Registry::builtin()));
    assert!(!values.records(&other, &Registry::builtin()));
}

#[test]
fn a_presentation_given_as_a_receipt_is_not_a_receipt() {
    let (_, presentation) = verified();
    assert_eq!(check(&presentation), Err(ReceiptError::NotAReceipt));
    assert_eq!(ReceiptError::NotAReceipt.code(), "not_a_receipt");
}

#[test]
fn a_receipt_given_as_a_presentation_is_refused_with_its_own_detail() {
    let signed = issue(Algorithm::EdDsa, Minimise::Values);
    let err = verifier(Algorithm::EdDsa).verify_bytes(&signed.bytes, NOW).unwrap_err();
    assert_eq!(err, Error::Malformed(Malformed::at(MalformedKind::ReceiptNotPresentation, 0)));
    let text = crate::text::encode(crate::text::TextKind::Presentation, &signed.bytes);
    let err = verifier(Algorithm::EdDsa).verify(text.as_bytes(), NOW).unwrap_err();
    assert_eq!(err, Error::Malformed(Malformed::at(MalformedKind::ReceiptNotPresentation, 0)));
}

#[test]
fn a_receipt_by_an_unknown_desk_key_is_refused() {
    let signed = issue(Algorithm::EdDsa, Minimise::Values);
    let stranger = [SecretKey::from_bytes(Algorithm::EdDsa, &[0x66; 32]).unwrap().public_key().clone()];
    let kid = desk_key(Algorithm::EdDsa).public_key().id();
    assert_eq!(
        Receipt::verify(&signed.bytes, &stranger, &Registry::builtin()),
        Err(ReceiptError::UnknownDeskKey { kid })
    );
}

#[test]
fn every_altered_byte_of_the_payload_breaks_the_signature() {
    let signed = issue(Algorithm::EdDsa, Minimise::Values);
    let r = &mut Reader::new(&signed.bytes);
    let sign1 = Sign1::read(r).unwrap();
    let (start, len) = (sign1.payload_offset, sign1.payload.len());
    for at in start..start + len {
        let mut bytes = signed.bytes.clone();
        bytes[at] ^= 0x01;
        assert_eq!(check(&bytes), Err(ReceiptError::BadSignature), "flip at {at}");
    }
    let mut bytes = signed.bytes.clone();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    assert_eq!(check(&bytes), Err(ReceiptError::BadSignature));
}

#[test]
fn cut_and_oversized_receipts_are_malformed() {
    let signed = issue(Algorithm::EdDsa, Minimise::Values);
    for len in 0..signed.bytes.len() {
        assert_eq!(malformed(check(&signed.bytes[..len])), MalformedKind::Truncated, "cut at {len}");
    }
    let mut long = signed.bytes.clone();
    long.push(0);
    assert_eq!(malformed(check(&long)), MalformedKind::TrailingBytes);
    assert_eq!(malformed(check(&[0; MAX_RECEIPT_BYTES + 1])), MalformedKind::TooLarge { max: MAX_RECEIPT_BYTES });
}

/// A map key and the writer of its value.
type Entry<'a> = (i64, &'a dyn Fn(&mut Writer));

/// A receipt payload with `entries` as its map entries, written in order.
fn payload(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(entries.len());
    for (key, write) in entries {
        w.int(*key);
        write(&mut w);
    }
    w.into_bytes()
}

#[test]
fn each_field_rule_has_its_error() {
    let unit = |w: &mut Writer| {
        w.text("desk");
    };
    let time = |w: &mut Writer| {
        w.uint(NOW);
    };
    let doctype = |w: &mut Writer| {
        w.uint(1);
    };
    let iss = |w: &mut Writer| {
        w.text(ISSUER_NAME);
    };
    let key = |w: &mut Writer| {
        w.bytes(&[1; 8]);
    };
    let pid = |w: &mut Writer| {
        w.bytes(&[2; 32]);
    };
    let values = |w: &mut Writer| {
        w.map(1).uint(1).text("王小明");
    };
    let digests = |w: &mut Writer| {
        w.map(1).uint(1).bytes(&[3; 32]);
    };
    let good: [Entry<'_>; 7] = [
        (UNIT, &unit),
        (TIME, &time),
        (DOCTYPE, &doctype),
        (ISSUER, &iss),
        (ISSUER_KEY, &key),
        (PRESENTATION_ID, &pid),
        (VALUES, &values),
    ];
    let read = check(&resign(payload(&good))).unwrap();
    assert_eq!(read.fields, Fields::Values(Vec::from([Claim::new("name", ClaimValue::Text("王小明".into()))])));
    let with_digests: Vec<Entry<'_>> =
        good[..6].iter().copied().chain([(DIGESTS, &digests as &dyn Fn(&mut Writer))]).collect();
    assert_eq!(
        check(&resign(payload(&with_digests))).unwrap().fields,
        Fields::Digests(Vec::from([("name".into(), [3; 32])]))
    );

    let replaced = |key: i64, write: &dyn Fn(&mut Writer)| -> MalformedKind {
        let entries: Vec<Entry<'_>> = good.iter().map(|&(k, f)| if k == key { (k, write) } else { (k, f) }).collect();
        malformed(check(&resign(payload(&entries))))
    };
    let without = |key: i64| -> MalformedKind {
        let entries: Vec<Entry<'_>> = good.iter().copied().filter(|&(k, _)| k != key).collect();
        malformed(check(&resign(payload(&entries))))
    };
    assert_eq!(
        replaced(UNIT, &|w| {
            w.text("");
        }),
        MalformedKind::InvalidValue { field: "unit" }
    );
    assert_eq!(
        replaced(UNIT, &|w| {
            w.text(&"u".repeat(65));
        }),
        MalformedKind::InvalidValue { field: "unit" }
    );
    assert_eq!(
        replaced(ISSUER, &|w| {
            w.text("");
        }),
        MalformedKind::InvalidValue { field: "iss" }
    );
    assert_eq!(
        replaced(ISSUER_KEY, &|w| {
            w.bytes(&[1; 7]);
        }),
        MalformedKind::InvalidValue { field: "issuer_key" }
    );
    assert_eq!(
        replaced(PRESENTATION_ID, &|w| {
            w.bytes(&[2; 31]);
        }),
        MalformedKind::InvalidValue { field: "presentation_id" }
    );
    assert_eq!(
        replaced(DOCTYPE, &|w| {
            w.uint(70_000);
        }),
        MalformedKind::InvalidValue { field: "doctype" }
    );
    assert_eq!(
        replaced(VALUES, &|w| {
            w.map(0);
        }),
        MalformedKind::InvalidValue { field: "fields" }
    );
    assert_eq!(
        replaced(VALUES, &|w| {
            w.map(1).uint(999).text("x");
        }),
        MalformedKind::UnknownField
    );
    assert_eq!(
        replaced(VALUES, &|w| {
            w.map(1).uint(1).uint(7);
        }),
        MalformedKind::UnexpectedType { expected: "text string" }
    );
    for (key, field) in [
        (UNIT, "unit"),
        (TIME, "time"),
        (DOCTYPE, "doctype"),
        (ISSUER, "iss"),
        (ISSUER_KEY, "issuer_key"),
        (PRESENTATION_ID, "presentation_id"),
        (VALUES, "fields"),
    ] {
        assert_eq!(without(key), MalformedKind::MissingField { field }, "without {field}");
    }
    let both: Vec<Entry<'_>> = good.iter().copied().chain([(DIGESTS, &digests as &dyn Fn(&mut Writer))]).collect();
    assert_eq!(malformed(check(&resign(payload(&both)))), MalformedKind::InvalidValue { field: "fields" });
    let digest_short: Vec<Entry<'_>> = good[..6]
        .iter()
        .copied()
        .chain([(
            DIGESTS,
            &(|w: &mut Writer| {
                w.map(1).uint(1).bytes(&[3; 31]);
            }) as &dyn Fn(&mut Writer),
        )])
        .collect();
    assert_eq!(malformed(check(&resign(payload(&digest_short)))), MalformedKind::InvalidValue { field: "digest" });
    let unknown: Vec<Entry<'_>> = good.iter().copied().chain([(-8, &time as &dyn Fn(&mut Writer))]).collect();
    assert_eq!(malformed(check(&resign(payload(&unknown)))), MalformedKind::UnknownField);
    let custom = |w: &mut Writer| {
        w.text("cn.example.pass");
    };
    assert_eq!(
        check(&resign(payload(&[
            (UNIT, &unit),
            (TIME, &time),
            (DOCTYPE, &custom),
            (ISSUER, &iss),
            (ISSUER_KEY, &key),
            (PRESENTATION_ID, &pid),
            (VALUES, &values)
        ]))),
        Err(ReceiptError::UnknownDocType)
    );
}

#[test]
fn a_unit_id_out_of_range_is_refused_when_issuing() {
    let (verified, _) = verified();
    let desk = desk_key(Algorithm::EdDsa);
    for unit in ["", &"u".repeat(65)] {
        let err = Receipt::issue(&verified, &Registry::builtin(), &desk, unit, NOW, None, Minimise::Values);
        assert_eq!(err, Err(ReceiptError::Usage(UsageError::UnitId)));
    }
}
