//! Keys: issuer keys that sign credentials, device keys that sign presentations.
//!
//! Two algorithms, as COSE names them (RFC 9053 §2): EdDSA over Ed25519
//! (issuer default) and ES256 (ECDSA P-256 with SHA-256, what Android
//! StrongBox and the iOS Secure Enclave hold). Keys travel as COSE_Key
//! (RFC 9052 §7) in deterministic encoding and are named by a [`KeyId`]:
//! the first 8 bytes of their RFC 9679 COSE Key Thumbprint.

use alloc::vec::Vec;
use core::fmt;

use ed25519_dalek::Verifier as _;
use p256::ecdsa::signature::Signer as _;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::cbor::{Reader, Writer};
use crate::error::{KeyError, Malformed, MalformedKind};

/// Length of every signature nocard makes or accepts: Ed25519 `R‖S`, or
/// ES256 `r‖s` (RFC 9053 §2.1: fixed-width, not DER).
pub const SIGNATURE_LEN: usize = 64;

/// A signature algorithm, by its COSE identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// EdDSA with Ed25519 (COSE −8, RFC 9053 §2.2), verified strictly.
    EdDsa,
    /// ECDSA P-256 with SHA-256 (COSE −7, RFC 9053 §2.1).
    Es256,
}

impl Algorithm {
    /// The COSE algorithm identifier.
    pub fn cose_id(self) -> i64 {
        match self {
            Algorithm::EdDsa => -8,
            Algorithm::Es256 => -7,
        }
    }

    /// The algorithm with this COSE identifier, if nocard supports it.
    pub fn from_cose_id(id: i64) -> Option<Self> {
        match id {
            -8 => Some(Algorithm::EdDsa),
            -7 => Some(Algorithm::Es256),
            _ => None,
        }
    }

    /// Name used by the CLI: `ed25519` or `p256`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::EdDsa => "ed25519",
            Algorithm::Es256 => "p256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Es256 => "ES256",
        })
    }
}

/// The first 8 bytes of a key's RFC 9679 thumbprint.
///
/// Eight bytes keep the credential small; the id only selects a key, the
/// signature is what proves anything, so a collision costs a failed lookup,
/// never a forgery.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// The id of the key whose RFC 9679 thumbprint input (the deterministic
    /// COSE_Key of its required parameters) is `required`.
    pub(crate) fn from_thumbprint_input(required: &[u8]) -> Self {
        let digest = Sha256::digest(required);
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        KeyId(id)
    }

    /// The id from its 8 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(KeyId)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

// COSE_Key labels and values (RFC 9052 §7.1, RFC 9053 §7).
pub(crate) const KTY: i64 = 1;
const KID: i64 = 2;
pub(crate) const ALG: i64 = 3;
pub(crate) const CRV: i64 = -1;
pub(crate) const X: i64 = -2;
pub(crate) const Y: i64 = -3;
pub(crate) const D: i64 = -4;
/// Reserved (RFC 9053 §7, IANA "COSE Key Types"); read as if `kty` were absent.
const KTY_RESERVED: i64 = 0;
pub(crate) const KTY_OKP: i64 = 1;
pub(crate) const KTY_EC2: i64 = 2;
pub(crate) const CRV_P256: i64 = 1;
const CRV_ED25519: i64 = 6;

/// A public key, parsed and checked once so verification does no decoding.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: PublicInner,
}

#[derive(Clone, PartialEq, Eq)]
enum PublicInner {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
}

/// The signature did not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadSignature;

impl PublicKey {
    fn new(inner: PublicInner) -> Self {
        Self { inner }
    }

    /// An Ed25519 key from its 32 bytes; non-canonical encodings and
    /// small-order keys are refused.
    pub fn from_ed25519(bytes: &[u8]) -> Result<Self, KeyError> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| KeyError::InvalidMaterial)?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::InvalidMaterial)?;
        // RFC 8032 §5.1.3: an encoding with y ≥ p decodes (reduced mod p) but
        // is not canonical; refuse it so one point has one encoding and one id.
        if key.to_edwards().compress().as_bytes() != bytes {
            return Err(KeyError::InvalidMaterial);
        }
        if key.is_weak() {
            return Err(KeyError::WeakKey);
        }
        Ok(Self::new(PublicInner::Ed25519(key)))
    }

    /// A P-256 key from a SEC1 point, compressed (33 bytes) or not (65 bytes),
    /// as Android Keystore and the Secure Enclave export it.
    pub fn from_p256_sec1(bytes: &[u8]) -> Result<Self, KeyError> {
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(|_| KeyError::InvalidMaterial)?;
        Ok(Self::new(PublicInner::P256(key)))
    }

    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            PublicInner::Ed25519(_) => Algorithm::EdDsa,
            PublicInner::P256(_) => Algorithm::Es256,
        }
    }

    /// The key's id. Computed on each call (a SHA-256): callers that look
    /// keys up by id, like the verifier's trust store, keep it.
    pub fn id(&self) -> KeyId {
        let mut id = [0u8; 8];
        id.copy_from_slice(&self.thumbprint()[..8]);
        KeyId(id)
    }

    /// The key's COSE Key Thumbprint (RFC 9679 §3), SHA-256, whose first
    /// 8 bytes are its [`id`](Self::id). A delegation names its delegate by
    /// the whole thumbprint (SPEC.md §17), where a 64-bit id would leave a
    /// second preimage within reach.
    pub fn thumbprint(&self) -> [u8; 32] {
        thumbprint(&self.inner)
    }

    /// Verifies `signature` over `message` by the algorithm's own rules:
    /// Ed25519 per RFC 8032 §5.1.7 with canonical `S` and no small-order `R`
    /// (`verify_strict`); ECDSA per FIPS 186-5, accepting either `s`. The
    /// low-S rule of nocard's wire format is applied by the COSE layer.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BadSignature> {
        match &self.inner {
            PublicInner::Ed25519(key) => {
                let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| BadSignature)?;
                key.verify_strict(message, &sig).map_err(|_| BadSignature)
            }
            PublicInner::P256(key) => {
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| BadSignature)?;
                key.verify(message, &sig).map_err(|_| BadSignature)
            }
        }
    }

    /// Whether an ES256 signature has `s > n/2`. Always false for EdDSA,
    /// whose `S` is already canonical.
    pub(crate) fn is_high_s(&self, signature: &[u8]) -> bool {
        match self.inner {
            PublicInner::Ed25519(_) => false,
            PublicInner::P256(_) => {
                p256::ecdsa::Signature::from_slice(signature).is_ok_and(|sig| sig.normalize_s() != sig)
            }
        }
    }

    /// The signature in nocard's wire form: 64 bytes, ES256 `s` at most n/2.
    /// `None` if it is not 64 bytes or not a well-formed signature.
    pub(crate) fn to_low_s(&self, signature: &[u8]) -> Option<[u8; SIGNATURE_LEN]> {
        let raw: [u8; SIGNATURE_LEN] = signature.try_into().ok()?;
        match self.inner {
            PublicInner::Ed25519(_) => Some(raw),
            PublicInner::P256(_) => {
                let sig = p256::ecdsa::Signature::from_slice(&raw).ok()?;
                Some(sig.normalize_s().to_bytes().into())
            }
        }
    }

    /// An ES256 signature in ASN.1 DER (`ECDSA-Sig-Value`, RFC 3279 §2.2.3,
    /// what Android Keystore and the Secure Enclave return) in nocard's wire
    /// form, low-S. `None` for EdDSA keys or anything that is not strict DER.
    pub(crate) fn der_to_low_s(&self, der: &[u8]) -> Option<[u8; SIGNATURE_LEN]> {
        match self.inner {
            PublicInner::Ed25519(_) => None,
            PublicInner::P256(_) => {
                let sig = p256::ecdsa::Signature::from_der(der).ok()?;
                Some(sig.normalize_s().to_bytes().into())
            }
        }
    }

    /// The compact COSE_Key: `{1: kty, -1: crv, -2: x}` plus, for P-256,
    /// `-3: y-sign` as a bool (RFC 9053 §7.1.1 point compression).
    pub fn to_cose_key(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.write_cose_key(&mut w);
        w.into_bytes()
    }

    pub(crate) fn write_cose_key(&self, w: &mut Writer) {
        self.write_cose_key_opening(w, 0);
    }

    /// Opens a COSE_Key map with room for `more` entries after the public
    /// ones, and writes the public ones.
    fn write_cose_key_opening(&self, w: &mut Writer, more: usize) {
        match &self.inner {
            PublicInner::Ed25519(key) => {
                w.map(3 + more).int(KTY).int(KTY_OKP).int(CRV).int(CRV_ED25519).int(X).bytes(key.as_bytes());
            }
            PublicInner::P256(key) => {
                let point = key.to_sec1_point(true);
                let bytes = point.as_bytes();
                w.map(4 + more).int(KTY).int(KTY_EC2).int(CRV).int(CRV_P256).int(X).bytes(&bytes[1..]);
                w.int(Y).bool(bytes[0] == 0x03);
            }
        }
    }

    /// Reads a public COSE_Key; a secret key's public half is accepted too.
    pub fn from_cose_key(bytes: &[u8]) -> Result<Self, KeyError> {
        let mut r = Reader::new(bytes);
        let fields = CoseKeyFields::read(&mut r).map_err(KeyError::Malformed)?;
        r.finish().map_err(KeyError::Malformed)?;
        fields.public()
    }

    pub(crate) fn read_cose_key(r: &mut Reader<'_>) -> Result<Self, Malformed> {
        let start = r.offset();
        let fields = CoseKeyFields::read(r)?;
        if fields.d.is_some() {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "cnf" }, start));
        }
        fields.public().map_err(|_| Malformed::at(MalformedKind::InvalidValue { field: "cnf" }, start))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}, {})", self.algorithm(), self.id())
    }
}

/// RFC 9679 §3: SHA-256 over the deterministic COSE_Key holding only the
/// required parameters: kty, crv, x and, for EC2, y as the full coordinate.
fn thumbprint(key: &PublicInner) -> [u8; 32] {
    let mut w = Writer::new();
    match key {
        PublicInner::Ed25519(key) => {
            w.map(3).int(KTY).int(KTY_OKP).int(CRV).int(CRV_ED25519).int(X).bytes(key.as_bytes());
        }
        PublicInner::P256(key) => {
            let point = key.to_sec1_point(false);
            let bytes = point.as_bytes();
            w.map(4).int(KTY).int(KTY_EC2).int(CRV).int(CRV_P256);
            w.int(X).bytes(&bytes[1..33]).int(Y).bytes(&bytes[33..65]);
        }
    }
    Sha256::digest(w.into_bytes()).into()
}

/// The fields of a COSE_Key as read, before they are checked.
pub(crate) struct CoseKeyFields<'a> {
    pub(crate) kty: Option<i64>,
    pub(crate) alg: Option<i64>,
    pub(crate) crv: Option<i64>,
    pub(crate) x: Option<&'a [u8]>,
    pub(crate) y: Option<YCoordinate<'a>>,
    pub(crate) d: Option<&'a [u8]>,
}

/// An EC2 `y`: the full coordinate, or its sign bit (RFC 9053 §7.1.1).
pub(crate) enum YCoordinate<'a> {
    Sign(bool),
    Full(&'a [u8]),
}

impl<'a> CoseKeyFields<'a> {
    pub(crate) fn read(r: &mut Reader<'a>) -> Result<Self, Malformed> {
        let start = r.offset();
        let mut fields = Self { kty: None, alg: None, crv: None, x: None, y: None, d: None };
        r.int_map(|r, field| {
            match field.key {
                KTY => fields.kty = Some(r.int()?).filter(|&kty| kty != KTY_RESERVED),
                KID => drop(r.bytes()?),
                ALG => fields.alg = Some(r.int()?),
                CRV => fields.crv = Some(r.int()?),
                X => fields.x = Some(r.bytes()?),
                Y if r.peek_major() == Some(2) => fields.y = Some(YCoordinate::Full(r.bytes()?)),
                Y => fields.y = Some(YCoordinate::Sign(r.bool()?)),
                D => fields.d = Some(r.bytes()?),
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        if fields.kty.is_none() {
            return Err(Malformed::at(MalformedKind::MissingField { field: "kty" }, start));
        }
        Ok(fields)
    }

    fn algorithm(&self) -> Result<Algorithm, KeyError> {
        let alg = match (self.kty, self.crv) {
            (Some(KTY_OKP), Some(CRV_ED25519)) => Algorithm::EdDsa,
            (Some(KTY_EC2), Some(CRV_P256)) => Algorithm::Es256,
            _ => return Err(KeyError::Unsupported),
        };
        match self.alg {
            Some(id) if id != alg.cose_id() => Err(KeyError::Unsupported),
            _ => Ok(alg),
        }
    }

    fn public(&self) -> Result<PublicKey, KeyError> {
        let alg = self.algorithm()?;
        let x = self.x.ok_or(KeyError::InvalidMaterial)?;
        match alg {
            Algorithm::EdDsa if self.y.is_none() => PublicKey::from_ed25519(x),
            Algorithm::EdDsa => Err(KeyError::InvalidMaterial),
            Algorithm::Es256 => PublicKey::from_p256_sec1(self.p256_sec1()?.as_ref()),
        }
    }

    /// The P-256 point as SEC1 bytes (compressed when `y` is a sign bit);
    /// not yet checked to be on the curve.
    pub(crate) fn p256_sec1(&self) -> Result<Sec1Point, KeyError> {
        let x: &[u8; 32] =
            self.x.ok_or(KeyError::InvalidMaterial)?.try_into().map_err(|_| KeyError::InvalidMaterial)?;
        let mut sec1 = [0u8; 65];
        sec1[1..33].copy_from_slice(x);
        match self.y {
            Some(YCoordinate::Sign(odd)) => {
                sec1[0] = if odd { 0x03 } else { 0x02 };
                Ok(Sec1Point { bytes: sec1, len: 33 })
            }
            Some(YCoordinate::Full(y)) if y.len() == 32 => {
                sec1[0] = 0x04;
                sec1[33..].copy_from_slice(y);
                Ok(Sec1Point { bytes: sec1, len: 65 })
            }
            _ => Err(KeyError::InvalidMaterial),
        }
    }
}

/// A SEC1 point encoding, compressed (33 bytes) or not (65 bytes).
pub(crate) struct Sec1Point {
    bytes: [u8; 65],
    len: usize,
}

impl AsRef<[u8]> for Sec1Point {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// A secret signing key. Zeroized on drop; `Debug` shows only its id.
pub struct SecretKey {
    inner: SecretInner,
    public: PublicKey,
}

enum SecretInner {
    // Both types zeroize themselves on drop (ed25519-dalek `zeroize`
    // feature; ecdsa's `SigningKey: ZeroizeOnDrop`).
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
}

impl SecretKey {
    /// A secret key from its 32 secret bytes (Ed25519 seed or P-256 scalar).
    pub fn from_bytes(alg: Algorithm, secret: &[u8]) -> Result<Self, KeyError> {
        let secret: &[u8; 32] = secret.try_into().map_err(|_| KeyError::InvalidMaterial)?;
        let inner = match alg {
            Algorithm::EdDsa => SecretInner::Ed25519(ed25519_dalek::SigningKey::from_bytes(secret)),
            Algorithm::Es256 => {
                SecretInner::P256(p256::ecdsa::SigningKey::from_slice(secret).map_err(|_| KeyError::InvalidMaterial)?)
            }
        };
        let public = PublicKey::new(match &inner {
            SecretInner::Ed25519(k) => PublicInner::Ed25519(k.verifying_key()),
            SecretInner::P256(k) => PublicInner::P256(*k.verifying_key()),
        });
        Ok(Self { inner, public })
    }

    /// A fresh key from the operating system's randomness.
    #[cfg(feature = "std")]
    pub fn generate(alg: Algorithm) -> Result<Self, crate::error::UsageError> {
        loop {
            let mut secret = Zeroizing::new([0u8; 32]);
            getrandom::fill(secret.as_mut()).map_err(|_| crate::error::UsageError::Randomness)?;
            // A P-256 scalar of zero or ≥ n (probability ~2⁻³²) is drawn again.
            if let Ok(key) = Self::from_bytes(alg, secret.as_ref()) {
                return Ok(key);
            }
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        self.public.algorithm()
    }

    /// Signs `message`. ES256 signatures are deterministic (RFC 6979) and
    /// normalised to low-S, so one message has one signature.
    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        match &self.inner {
            SecretInner::Ed25519(key) => ed25519_dalek::Signer::sign(key, message).to_bytes(),
            SecretInner::P256(key) => {
                let sig: p256::ecdsa::Signature = key.sign(message);
                sig.normalize_s().to_bytes().into()
            }
        }
    }

    /// The secret COSE_Key: the public form plus `-4: d`.
    pub fn to_cose_key(&self) -> Zeroizing<Vec<u8>> {
        let secret = self.secret_bytes();
        let mut w = Writer::new();
        self.public.write_cose_key_opening(&mut w, 1);
        w.int(D).bytes(secret.as_ref());
        Zeroizing::new(w.into_bytes())
    }

    fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(match &self.inner {
            SecretInner::Ed25519(key) => key.to_bytes(),
            SecretInner::P256(key) => key.to_bytes().into(),
        })
    }

    /// Reads a secret COSE_Key. The public key (`x`, and `y` for P-256) may
    /// be left out, since `d` determines it; if any of it is there, it must
    /// be a valid public key that matches `d`.
    pub fn from_cose_key(bytes: &[u8]) -> Result<Self, KeyError> {
        let mut r = Reader::new(bytes);
        let fields = CoseKeyFields::read(&mut r).map_err(KeyError::Malformed)?;
        r.finish().map_err(KeyError::Malformed)?;
        let d = fields.d.ok_or(KeyError::NotSecret)?;
        let key = Self::from_bytes(fields.algorithm()?, d)?;
        if (fields.x.is_some() || fields.y.is_some()) && fields.public()? != key.public {
            return Err(KeyError::PublicMismatch);
        }
        Ok(key)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}, {}, <redacted>)", self.algorithm(), self.public.id())
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod wycheproof_tests;
