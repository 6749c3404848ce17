//! Scanner-group keys: key agreement keys (X25519 or P-256) that a region or
//! sector's authorised scanners hold, to which holders seal their codes.
//!
//! Group keys travel as COSE_Key (RFC 9052 §7) with `alg` −25
//! (ECDH-ES + HKDF-256, RFC 9053 §6.3.1), so a group key is never taken for a
//! signing key or the reverse, and are named by the same [`KeyId`] as
//! signing keys: the first 8 bytes of their RFC 9679 thumbprint.

use alloc::vec::Vec;
use core::fmt;

use p256::elliptic_curve::sec1::ToSec1Point as _;
use zeroize::Zeroizing;

use crate::cbor::{Reader, Writer};
use crate::error::KeyError;
use crate::keys::{ALG, CRV, CRV_P256, CoseKeyFields, D, KTY, KTY_EC2, KTY_OKP, KeyId, X, Y, YCoordinate};

/// COSE `crv` of X25519 (RFC 9053 §7.1).
const CRV_X25519: i64 = 4;
/// ECDH-ES + HKDF-256 (RFC 9053 §6.3.1): the `alg` every group key file carries.
pub(super) const ALG_ECDH_ES_HKDF_256: i64 = -25;

/// A key agreement algorithm for sealing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GroupAlgorithm {
    /// X25519 (RFC 7748).
    X25519,
    /// ECDH over P-256 (NIST SP 800-56A), shared secret = x-coordinate.
    P256,
}

impl GroupAlgorithm {
    /// Name used by the CLI: `x25519` or `p256`.
    pub fn name(self) -> &'static str {
        match self {
            GroupAlgorithm::X25519 => "x25519",
            GroupAlgorithm::P256 => "p256",
        }
    }
}

/// A scanner group's public key, to which holders seal.
#[derive(Clone, PartialEq, Eq)]
pub struct GroupPublicKey {
    inner: PublicInner,
    id: KeyId,
}

#[derive(Clone, PartialEq, Eq)]
enum PublicInner {
    X25519(x25519_dalek::PublicKey),
    P256(p256::PublicKey),
}

impl GroupPublicKey {
    fn new(inner: PublicInner) -> Self {
        let id = KeyId::from_thumbprint_input(&write_public(&inner, 0, Thumbprint::Yes).into_bytes());
        Self { inner, id }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> GroupAlgorithm {
        match self.inner {
            PublicInner::X25519(_) => GroupAlgorithm::X25519,
            PublicInner::P256(_) => GroupAlgorithm::P256,
        }
    }

    /// The key id: the first 8 bytes of its RFC 9679 thumbprint.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The public COSE_Key: `{1: kty, 3: -25, -1: crv, -2: x}` plus, for
    /// P-256, `-3: y-sign` (point compression, RFC 9053 §7.1.1).
    pub fn to_cose_key(&self) -> Vec<u8> {
        let mut w = Writer::new();
        write_key_opening(&mut w, &self.inner, 0);
        w.into_bytes()
    }

    /// Reads a public group COSE_Key; a secret one's public half is accepted too.
    pub fn from_cose_key(bytes: &[u8]) -> Result<Self, KeyError> {
        let mut r = Reader::new(bytes);
        let fields = CoseKeyFields::read(&mut r).map_err(KeyError::Malformed)?;
        r.finish().map_err(KeyError::Malformed)?;
        if fields.alg != Some(ALG_ECDH_ES_HKDF_256) {
            return Err(KeyError::Unsupported);
        }
        Self::from_fields(&fields)
    }

    /// The key from COSE_Key fields whose `alg` the caller has checked.
    pub(super) fn from_fields(fields: &CoseKeyFields<'_>) -> Result<Self, KeyError> {
        let x = fields.x.ok_or(KeyError::InvalidMaterial)?;
        match (fields.kty, fields.crv) {
            (Some(KTY_OKP), Some(CRV_X25519)) if fields.y.is_none() => Self::from_x25519(x),
            (Some(KTY_EC2), Some(CRV_P256)) => Self::from_p256_sec1(fields.p256_sec1()?.as_ref()),
            (Some(KTY_OKP), Some(CRV_X25519)) => Err(KeyError::InvalidMaterial),
            _ => Err(KeyError::Unsupported),
        }
    }

    /// An X25519 key from its 32 bytes (RFC 7748 §5: every string is a key;
    /// a low-order one is refused when it is used, by its all-zero secret).
    pub fn from_x25519(bytes: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::InvalidMaterial)?;
        Ok(Self::new(PublicInner::X25519(bytes.into())))
    }

    /// A P-256 key from a SEC1 point, compressed or not; the identity and
    /// points off the curve are refused.
    pub fn from_p256_sec1(bytes: &[u8]) -> Result<Self, KeyError> {
        let key = p256::PublicKey::from_sec1_bytes(bytes).map_err(|_| KeyError::InvalidMaterial)?;
        Ok(Self::new(PublicInner::P256(key)))
    }

    /// The ephemeral key as the envelope carries it: `{1: kty, -1: crv,
    /// -2: x}` plus `-3: y-sign` for P-256, without `alg`.
    pub(super) fn write_ephemeral(&self, w: &mut Writer) {
        w.raw(&write_public(&self.inner, 0, Thumbprint::No).into_bytes());
    }
}

impl fmt::Debug for GroupPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupPublicKey({}, {})", self.algorithm().name(), self.id)
    }
}

#[derive(PartialEq, Eq)]
enum Thumbprint {
    /// RFC 9679 §3: the required parameters, EC2 `y` as the full coordinate.
    Yes,
    /// The compact form: EC2 `y` as its sign bit.
    No,
}

/// `{1: kty, -1: crv, -2: x[, -3: y]}`, opened with room for `more` entries.
fn write_public(key: &PublicInner, more: usize, form: Thumbprint) -> Writer {
    let mut w = Writer::new();
    match key {
        PublicInner::X25519(key) => {
            w.map(3 + more).int(KTY).int(KTY_OKP).int(CRV).int(CRV_X25519).int(X).bytes(key.as_bytes());
        }
        PublicInner::P256(key) => {
            let point = key.to_sec1_point(form == Thumbprint::No);
            let bytes = point.as_bytes();
            w.map(4 + more).int(KTY).int(KTY_EC2).int(CRV).int(CRV_P256).int(X).bytes(&bytes[1..33]);
            match form {
                Thumbprint::Yes => w.int(Y).bytes(&bytes[33..65]),
                Thumbprint::No => w.int(Y).bool(bytes[0] == 0x03),
            };
        }
    }
    w
}

/// A key file's opening: `{1: kty, 3: -25, -1: crv, -2: x[, -3: y-sign]}`
/// with room for `more` entries after it.
fn write_key_opening(w: &mut Writer, key: &PublicInner, more: usize) {
    let (kty, crv) = match key {
        PublicInner::X25519(_) => (KTY_OKP, CRV_X25519),
        PublicInner::P256(_) => (KTY_EC2, CRV_P256),
    };
    let entries = if kty == KTY_OKP { 4 } else { 5 };
    w.map(entries + more).int(KTY).int(kty).int(ALG).int(ALG_ECDH_ES_HKDF_256).int(CRV).int(crv);
    match key {
        PublicInner::X25519(key) => {
            w.int(X).bytes(key.as_bytes());
        }
        PublicInner::P256(key) => {
            let point = key.to_sec1_point(true);
            let bytes = point.as_bytes();
            w.int(X).bytes(&bytes[1..33]).int(Y).bool(bytes[0] == 0x03);
        }
    }
}

/// A scanner group's secret key. Zeroized on drop; `Debug` shows only its id.
#[derive(Clone)]
pub struct GroupSecretKey {
    inner: SecretInner,
    public: GroupPublicKey,
}

// Both zeroize themselves on drop (x25519-dalek's `zeroize` feature,
// elliptic-curve's `SecretKey: ZeroizeOnDrop`).
#[derive(Clone)]
enum SecretInner {
    X25519(x25519_dalek::StaticSecret),
    P256(p256::SecretKey),
}

impl GroupSecretKey {
    /// A secret key from its 32 bytes: an X25519 scalar (clamped when used,
    /// RFC 7748 §5) or a P-256 scalar in `1..n`.
    pub fn from_bytes(alg: GroupAlgorithm, secret: &[u8]) -> Result<Self, KeyError> {
        let secret: &[u8; 32] = secret.try_into().map_err(|_| KeyError::InvalidMaterial)?;
        let (inner, public) = match alg {
            GroupAlgorithm::X25519 => {
                let key = x25519_dalek::StaticSecret::from(*secret);
                let public = PublicInner::X25519((&key).into());
                (SecretInner::X25519(key), public)
            }
            GroupAlgorithm::P256 => {
                let key = p256::SecretKey::from_slice(secret).map_err(|_| KeyError::InvalidMaterial)?;
                let public = PublicInner::P256(key.public_key());
                (SecretInner::P256(key), public)
            }
        };
        Ok(Self { inner, public: GroupPublicKey::new(public) })
    }

    /// A fresh key from the operating system's randomness.
    #[cfg(feature = "std")]
    pub fn generate(alg: GroupAlgorithm) -> Result<Self, crate::error::UsageError> {
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
    pub fn public_key(&self) -> &GroupPublicKey {
        &self.public
    }

    /// The algorithm.
    pub fn algorithm(&self) -> GroupAlgorithm {
        self.public.algorithm()
    }

    /// The key id, as the envelope names it.
    pub fn id(&self) -> KeyId {
        self.public.id
    }

    /// The secret COSE_Key: the public form plus `-4: d`.
    pub fn to_cose_key(&self) -> Zeroizing<Vec<u8>> {
        let secret = Zeroizing::new(match &self.inner {
            SecretInner::X25519(key) => key.to_bytes(),
            SecretInner::P256(key) => key.to_bytes().into(),
        });
        let mut w = Writer::new();
        write_key_opening(&mut w, &self.public.inner, 1);
        w.int(D).bytes(secret.as_ref());
        Zeroizing::new(w.into_bytes())
    }

    /// Reads a secret group COSE_Key (`alg` −25 required). The public part
    /// may be left out; if present it must match `d`.
    pub fn from_cose_key(bytes: &[u8]) -> Result<Self, KeyError> {
        let mut r = Reader::new(bytes);
        let fields = CoseKeyFields::read(&mut r).map_err(KeyError::Malformed)?;
        r.finish().map_err(KeyError::Malformed)?;
        if fields.alg != Some(ALG_ECDH_ES_HKDF_256) {
            return Err(KeyError::Unsupported);
        }
        let d = fields.d.ok_or(KeyError::NotSecret)?;
        let alg = match (fields.kty, fields.crv) {
            (Some(KTY_OKP), Some(CRV_X25519)) => GroupAlgorithm::X25519,
            (Some(KTY_EC2), Some(CRV_P256)) => GroupAlgorithm::P256,
            _ => return Err(KeyError::Unsupported),
        };
        let key = Self::from_bytes(alg, d)?;
        if (fields.x.is_some() || fields.y.is_some()) && GroupPublicKey::from_fields(&fields)? != key.public {
            return Err(KeyError::PublicMismatch);
        }
        Ok(key)
    }

    /// The shared secret with `peer` (RFC 9053 §6.3.1 "Z"): X25519's output,
    /// or P-256's x-coordinate. `None` when the algorithms differ or X25519
    /// gives the all-zero value of a low-order point (RFC 7748 §6.1).
    pub(super) fn agree(&self, peer: &GroupPublicKey) -> Option<Zeroizing<[u8; 32]>> {
        match (&self.inner, &peer.inner) {
            (SecretInner::X25519(key), PublicInner::X25519(peer)) => {
                let shared = key.diffie_hellman(peer);
                shared.was_contributory().then(|| Zeroizing::new(shared.to_bytes()))
            }
            (SecretInner::P256(key), PublicInner::P256(peer)) => {
                let shared = key.diffie_hellman(peer);
                Some(Zeroizing::new((*shared.raw_secret_bytes()).into()))
            }
            _ => None,
        }
    }
}

impl fmt::Debug for GroupSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupSecretKey({}, {}, <redacted>)", self.algorithm().name(), self.id())
    }
}

/// The ephemeral public key of an envelope, from its COSE_Key fields: no
/// `alg`, no `d`.
pub(super) fn ephemeral_from_fields(fields: &CoseKeyFields<'_>) -> Result<GroupPublicKey, KeyError> {
    if fields.alg.is_some() || fields.d.is_some() || matches!(fields.y, Some(YCoordinate::Full(_))) {
        return Err(KeyError::InvalidMaterial);
    }
    GroupPublicKey::from_fields(fields)
}
