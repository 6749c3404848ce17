use super::*;
use crate::error::MalformedKind::*;
use crate::keys::SecretKey;
use crate::testing::hex;
use coset::CoseSign1;

fn key(alg: Algorithm) -> SecretKey {
    SecretKey::from_bytes(alg, &[0x42; 32]).unwrap()
}

fn build(alg: Algorithm, kid: Option<KeyId>, payload: &[u8]) -> Vec<u8> {
    let k = key(alg);
    sign1::<UsageError>(alg, kid, payload.to_vec(), |tbs| Ok(k.sign(tbs))).unwrap()
}

#[test]
fn built_sign1_reads_back_and_verifies() {
    for alg in [Algorithm::EdDsa, Algorithm::Es256] {
        let kid = key(alg).public_key().id();
        let bytes = build(alg, Some(kid), b"payload");
        let r = &mut Reader::new(&bytes);
        let sign1 = Sign1::read(r).unwrap();
        r.finish().unwrap();
        assert_eq!(sign1.header, ProtectedHeader { alg: Some(alg.cose_id()), kid: Some(&kid.0[..]), typ: None });
        assert_eq!(sign1.payload, b"payload");
        // What verifies is the Sig_structure coset computes.
        let coset = CoseSign1::from_slice(&bytes).unwrap();
        assert_eq!(sign1.verify(key(alg).public_key()), Ok(coset.tbs_data(&[])));
    }
}

#[test]
fn exact_encoding() {
    let bytes = build(Algorithm::EdDsa, None, b"");
    // [h'a10127', {}, h'', h'<64 bytes>']
    assert_eq!(&bytes[..9], hex("84 43 a10127 a0 40 5840"));
    assert_eq!(bytes.len(), 9 + 64);
    assert_eq!(to_be_signed(&hex("a10127"), b""), hex("84 6a 5369676e617475726531 43 a10127 40 40"));
}

#[test]
fn tampering_is_detected() {
    let bytes = build(Algorithm::Es256, None, b"payload");
    let last = bytes.len() - 1;
    for i in [3, 8, last] {
        let mut t = bytes.clone();
        t[i] ^= 1;
        let r = &mut Reader::new(&t);
        let sign1 = Sign1::read(r).unwrap();
        assert_eq!(sign1.verify(key(Algorithm::Es256).public_key()), Err(SignatureFailure::Invalid), "byte {i}");
    }
}

#[test]
fn high_s_is_refused_with_its_offset() {
    let k = key(Algorithm::Es256);
    let bytes = build(Algorithm::Es256, None, b"p");
    let sig_at = bytes.len() - 64;
    let sig = p256::ecdsa::Signature::from_slice(&bytes[sig_at..]).unwrap();
    let (r, s) = sig.split_scalars();
    let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap().to_bytes();
    let mut t = bytes.clone();
    t[sig_at..].copy_from_slice(&high);
    let sign1 = Sign1::read(&mut Reader::new(&t)).unwrap();
    assert_eq!(sign1.verify(k.public_key()), Err(SignatureFailure::HighS(Malformed::at(HighS, sig_at - 2))));
}

#[test]
fn read_fail() {
    let cases: &[(&str, MalformedKind, usize)] = &[
        ("83 40 a0 40", InvalidValue { field: "COSE_Sign1" }, 0),
        ("d3 84 40 a0 40 40", InvalidValue { field: "tag" }, 0),
        ("84 a0 a0 40 40", UnexpectedType { expected: "byte string" }, 1),
        ("84 43 a10126 80 40 40", UnexpectedType { expected: "map" }, 5),
        ("84 43 a10126 9fff 40 40", IndefiniteLength, 5),
        ("84 43 a10126 f7 40 40", UnsupportedSimpleValue, 5),
        ("84 43 a10126", Truncated, 5),
        ("84 4b a1 01 5b 8000000000000000 a0 40 40", UnexpectedType { expected: "integer" }, 4), // alg
        ("84 44 a1 02 81 01 a0 40 40", UnknownCriticalHeader, 3),
        ("84 45 a2 04 40 01 26 a0 40 40", UnsortedMapKeys, 5),
        ("84 43 a10126 a0 f6 40", UnexpectedType { expected: "byte string" }, 6), // detached payload
        ("84 42 a101 a0 40 40", Truncated, 3),
        ("84 43 a10126 a0 40", Truncated, 7),
    ];
    for (i, &(case, kind, offset)) in cases.iter().enumerate() {
        let bytes = hex(case);
        let got = Sign1::read(&mut Reader::new(&bytes)).map(|_| ());
        assert_eq!(got, Err(Malformed::at(kind, offset)), "case {i}: {case}");
    }
}

#[test]
fn empty_protected_bytes_mean_no_header() {
    let bytes = hex("d2 84 40 a1 04 42 3131 40 40");
    let sign1 = Sign1::read(&mut Reader::new(&bytes)).unwrap();
    assert_eq!(sign1.header, ProtectedHeader { alg: None, kid: None, typ: None });
}
