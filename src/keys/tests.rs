use super::*;
use crate::error::MalformedKind::*;
use crate::testing::hex;

const ED_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"; // RFC 8032 §7.1 test 1
const P256_D: &str = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"; // RFC 6979 A.2.5

#[test]
fn rfc9679_thumbprint_example() {
    // RFC 9679 §6: the EC2 example key and its thumbprint.
    let x = hex("65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d");
    let y = hex("1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c");
    let mut sec1 = vec![0x04];
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    let key = PublicKey::from_p256_sec1(&sec1).unwrap();
    assert_eq!(key.id().to_string(), "496bd8afadf307e5");
    assert_eq!(hex::encode(key.thumbprint()), "496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec");
}

#[test]
fn ed25519_public_key_matches_rfc8032() {
    let key = SecretKey::from_bytes(Algorithm::EdDsa, &hex(ED_SEED)).unwrap();
    assert_eq!(
        key.public_key().to_cose_key(),
        hex("a3 0101 2006 21 5820 d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    );
    // RFC 8032 §7.1 test 1: empty message.
    assert_eq!(
        key.sign(b"").to_vec(),
        hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        )
    );
}

#[test]
fn cose_key_round_trips() {
    for (alg, secret) in [(Algorithm::EdDsa, ED_SEED), (Algorithm::Es256, P256_D)] {
        let key = SecretKey::from_bytes(alg, &hex(secret)).unwrap();
        let again = SecretKey::from_cose_key(&key.to_cose_key()).unwrap();
        assert_eq!(again.public_key(), key.public_key(), "{alg}");
        let public = PublicKey::from_cose_key(&key.public_key().to_cose_key()).unwrap();
        assert_eq!(&public, key.public_key(), "{alg}");
        assert_eq!(public.id(), key.public_key().id(), "{alg}");
        assert_eq!(public.algorithm(), alg);
    }
}

#[test]
fn p256_cose_key_is_compressed_and_accepts_full_y() {
    let key = SecretKey::from_bytes(Algorithm::Es256, &hex(P256_D)).unwrap();
    let cose = key.public_key().to_cose_key();
    // RFC 6979 A.2.5 public key: Ux = 60fed4ba..., Uy = 7903fe10...8f6c29 (odd).
    assert_eq!(
        cose,
        hex("a4 0102 2001 21 5820 60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6 22 f5")
    );
    let full = hex("a4 0102 2001 21 5820 60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6 \
         22 5820 7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    assert_eq!(&PublicKey::from_cose_key(&full).unwrap(), key.public_key());
}

#[test]
fn signatures_verify_and_tampering_fails() {
    for (alg, secret) in [(Algorithm::EdDsa, ED_SEED), (Algorithm::Es256, P256_D)] {
        let key = SecretKey::from_bytes(alg, &hex(secret)).unwrap();
        let sig = key.sign(b"nocard");
        assert_eq!(key.sign(b"nocard"), sig, "{alg} is deterministic");
        assert_eq!(key.public_key().verify(b"nocard", &sig), Ok(()));
        assert_eq!(key.public_key().verify(b"nocarD", &sig), Err(BadSignature));
        assert_eq!(key.public_key().verify(b"nocard", &sig[..63]), Err(BadSignature));
        assert!(!key.public_key().is_high_s(&sig), "{alg} signs low-S");
    }
}

#[test]
fn high_s_is_detected() {
    let key = SecretKey::from_bytes(Algorithm::Es256, &hex(P256_D)).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&key.sign(b"x")).unwrap();
    let (r, s) = sig.split_scalars();
    let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap().to_bytes();
    assert!(key.public_key().is_high_s(&high));
    // Still a valid ECDSA signature: only nocard's wire rule refuses it.
    assert_eq!(key.public_key().verify(b"x", &high), Ok(()));
}

#[test]
fn debug_never_prints_secrets() {
    let key = SecretKey::from_bytes(Algorithm::EdDsa, &hex(ED_SEED)).unwrap();
    let shown = format!("{key:?}");
    assert!(shown.starts_with("SecretKey(EdDSA, ") && shown.ends_with("<redacted>)"), "{shown}");
    assert!(!shown.contains("9d61"));
}

#[test]
fn bad_keys_are_refused() {
    let cases: &[(&str, KeyError)] = &[
        ("a1 0101", KeyError::Unsupported),                   // OKP without crv
        ("a2 0101 2004", KeyError::Unsupported),              // X25519
        ("a3 0101 0326 2006", KeyError::Unsupported),         // alg ES256 on an OKP key
        ("a2 0101 2006", KeyError::InvalidMaterial),          // no x
        ("a3 0101 2006 21 41 00", KeyError::InvalidMaterial), // short x
        // Small-order point (identity) as an Ed25519 key.
        ("a3 0101 2006 21 5820 0100000000000000000000000000000000000000000000000000000000000000", KeyError::WeakKey),
        // x = p, outside the P-256 field.
        (
            "a4 0102 2001 21 5820 ffffffff00000001000000000000000000000000ffffffffffffffffffffffff 22 f4",
            KeyError::InvalidMaterial,
        ),
        ("a1 2001", KeyError::Malformed(Malformed::at(MissingField { field: "kty" }, 0))),
        ("a3 0100 2006 21 41 00", KeyError::Malformed(Malformed::at(MissingField { field: "kty" }, 0))), // kty 0
        ("a2 0102 0a00", KeyError::Malformed(Malformed::at(UnknownField, 3))),
        ("a2 2001 0102", KeyError::Malformed(Malformed::at(UnsortedMapKeys, 3))),
        ("a1 0101 00", KeyError::Malformed(Malformed::at(TrailingBytes, 3))),
    ];
    for (i, (case, err)) in cases.iter().enumerate() {
        assert_eq!(PublicKey::from_cose_key(&hex(case)).err(), Some(*err), "case {i}");
    }
    let public = SecretKey::from_bytes(Algorithm::EdDsa, &hex(ED_SEED)).unwrap().public_key().to_cose_key();
    assert_eq!(SecretKey::from_cose_key(&public).err(), Some(KeyError::NotSecret));
    let other = SecretKey::from_bytes(Algorithm::EdDsa, &[7; 32]).unwrap();
    let mut mixed = public[..public.len()].to_vec();
    mixed[0] = 0xa4;
    mixed.extend_from_slice(&hex("23 5820"));
    mixed.extend_from_slice(&[7; 32]);
    let _ = other;
    assert_eq!(SecretKey::from_cose_key(&mixed).err(), Some(KeyError::PublicMismatch));
}

#[test]
fn non_canonical_ed25519_encoding_is_refused() {
    // y = 1 is the identity: canonical, it decodes and is refused as weak;
    // encoded as y = p + 1 it is refused before that, as non-canonical.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(PublicKey::from_ed25519(&identity), Err(KeyError::WeakKey));
    let mut p_plus_1 = [0xffu8; 32];
    p_plus_1[0] = 0xee; // p = 2^255 - 19 = 0x7fff..ffed, little-endian
    p_plus_1[31] = 0x7f;
    assert_eq!(PublicKey::from_ed25519(&p_plus_1), Err(KeyError::InvalidMaterial));
}

#[test]
fn secret_key_public_part_is_optional_but_checked() {
    let p256 = SecretKey::from_bytes(Algorithm::Es256, &hex(P256_D)).unwrap();
    let d = || hex(&format!("23 5820 {P256_D}"));
    let without_public = [hex("a3 0102 2001"), d()].concat();
    assert_eq!(SecretKey::from_cose_key(&without_public).unwrap().public_key(), p256.public_key());
    let y_without_x = [hex("a4 0102 2001 22 f5"), d()].concat();
    assert_eq!(SecretKey::from_cose_key(&y_without_x).err(), Some(KeyError::InvalidMaterial));
    let zero = [hex("a3 0102 2001 23 5820"), [0; 32].to_vec()].concat();
    assert_eq!(SecretKey::from_cose_key(&zero).err(), Some(KeyError::InvalidMaterial));
    let mut other_y = p256.to_cose_key().to_vec();
    other_y[41] ^= 0x01; // the y sign: true <-> false
    assert_eq!(SecretKey::from_cose_key(&other_y).err(), Some(KeyError::PublicMismatch));
}
