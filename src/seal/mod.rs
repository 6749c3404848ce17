//! Sealed codes (SPEC.md §13): a presentation encrypted to a scanner group,
//! so that only that group's authorised scanners can read the claims.
//!
//! The layout is COSE_Encrypt (RFC 9052 §5.1) with one recipient using
//! ECDH-ES + HKDF-256 (RFC 9053 §6.3.1) and AES-128-GCM content encryption
//! (RFC 9053 §4.1):
//!
//! ```cddl
//! sealed = [
//!   protected: bstr .cbor {1: 1},             ; alg: A128GCM
//!   unprotected: {5: bstr .size 12},          ; IV
//!   ciphertext: bstr,                         ; presentation + 16-byte tag
//!   recipients: [[
//!     protected: bstr .cbor {1: -25,          ; ECDH-ES + HKDF-256
//!                            4: bstr .size 8, ; kid: the group key's id
//!                           -1: ephemeral},   ; the sender's ephemeral key
//!     unprotected: {},
//!     ciphertext: h'',
//!   ]],
//! ]
//! ```
//!
//! The recipient's protected header (algorithm, group key id, ephemeral key)
//! goes into the key derivation's context (RFC 9053 §5.2), and the content
//! layer's protected header into the AEAD's associated data (RFC 9052 §5.3),
//! so a change to any header byte makes the tag fail. Opening needs no
//! randomness and no std: the scanner firmware unseals in the no_std build.

mod key;

pub use key::{GroupAlgorithm, GroupPublicKey, GroupSecretKey};

use alloc::string::String;
use alloc::vec::Vec;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes128Gcm, KeyInit};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::cbor::{Reader, Writer};
use crate::error::{Error, KeyError, Malformed, MalformedKind, UsageError};
use crate::keys::{CoseKeyFields, KeyId};
use crate::text::{self, TextKind};

/// Length of the AES-GCM IV.
pub const IV_LEN: usize = 12;
/// Length of the AES-GCM tag at the end of the ciphertext.
const TAG_LEN: usize = 16;
/// Length of the AES-128 content key.
const CEK_LEN: usize = 16;

/// A128GCM (RFC 9053 §4.1).
const ALG_A128GCM: i64 = 1;
const LABEL_ALG: i64 = 1;
const LABEL_KID: i64 = 4;
const LABEL_IV: i64 = 5;
/// `ephemeral key` (RFC 9053 §6.4.1).
const LABEL_EPHEMERAL: i64 = -1;
/// The content layer's protected header: `{1: 1}`.
const CONTENT_PROTECTED: [u8; 3] = [0xa1, 0x01, 0x01];

/// A sealed presentation: what the QR carries as `NCS1:` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    bytes: Vec<u8>,
}

impl Sealed {
    /// The COSE_Encrypt bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `NCS1:` text.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Sealed, &self.bytes)
    }
}

/// Seals a presentation's bytes to `group` with a fresh ephemeral key and IV
/// from the operating system.
#[cfg(feature = "std")]
pub fn seal(presentation: &[u8], group: &GroupPublicKey) -> Result<Sealed, Error> {
    let ephemeral = GroupSecretKey::generate(group.algorithm())?;
    let mut iv = [0u8; IV_LEN];
    getrandom::fill(&mut iv).map_err(|_| UsageError::Randomness)?;
    seal_with(presentation, group, &ephemeral, iv)
}

/// Seals with a given ephemeral key and IV: for known-answer vectors, and
/// for callers with their own randomness. Both MUST be fresh for every
/// seal; a reused ephemeral key with a reused IV reuses the GCM keystream.
pub fn seal_with(
    presentation: &[u8],
    group: &GroupPublicKey,
    ephemeral: &GroupSecretKey,
    iv: [u8; IV_LEN],
) -> Result<Sealed, Error> {
    if ephemeral.algorithm() != group.algorithm() {
        return Err(Error::AlgorithmMismatch);
    }
    let mut w = Writer::new();
    w.map(3).int(LABEL_ALG).int(key::ALG_ECDH_ES_HKDF_256).int(LABEL_KID).bytes(&group.id().0).int(LABEL_EPHEMERAL);
    ephemeral.public_key().write_ephemeral(&mut w);
    let recipient_protected = w.into_bytes();
    // A low-order X25519 group key gives no secret to derive from.
    let z = ephemeral.agree(group).ok_or(KeyError::WeakKey)?;
    let cek = derive_cek(z.as_ref(), &kdf_context(&recipient_protected));
    let ciphertext = aead_seal(&cek, &iv, &enc_structure(&CONTENT_PROTECTED), presentation);

    let mut w = Writer::new();
    w.array(4).bytes(&CONTENT_PROTECTED).map(1).int(LABEL_IV).bytes(&iv).bytes(&ciphertext);
    w.array(1).array(3).bytes(&recipient_protected).map(0).bytes(&[]);
    let bytes = w.into_bytes();
    if bytes.len() > text::MAX_PRESENTATION_BYTES {
        return Err(UsageError::TooLarge.into());
    }
    Ok(Sealed { bytes })
}

/// A sealed code opened by a group key.
#[derive(Debug)]
pub(crate) struct Opened {
    /// The presentation's bytes.
    pub presentation: Vec<u8>,
    /// The group key that opened it.
    pub group: KeyId,
}

/// Opens sealed bytes (the base45-decoded `NCS1:` text) with one of
/// `group_keys`, as SPEC.md §13.3 orders the checks.
pub(crate) fn open(bytes: &[u8], group_keys: &[GroupSecretKey]) -> Result<Opened, Error> {
    let envelope = Envelope::read(bytes)?;
    if group_keys.is_empty() {
        return Err(Error::SealedNoGroupKey);
    }
    let kid = envelope.kid;
    let key = group_keys.iter().find(|k| k.id() == kid).ok_or(Error::SealedForOtherGroup { kid })?;
    if key.algorithm() != envelope.ephemeral.algorithm() {
        return Err(Error::AlgorithmMismatch);
    }
    let z = key.agree(&envelope.ephemeral).ok_or(Error::SealedOpenFailed)?;
    let cek = derive_cek(z.as_ref(), &kdf_context(envelope.recipient_protected));
    let presentation = aead_open(&cek, &envelope.iv, &enc_structure(envelope.protected), envelope.ciphertext)
        .ok_or(Error::SealedOpenFailed)?;
    Ok(Opened { presentation, group: kid })
}

/// A sealed envelope, borrowed from its encoding and checked for shape.
struct Envelope<'a> {
    /// The content layer's protected header as received (the AEAD's AAD).
    protected: &'a [u8],
    iv: [u8; IV_LEN],
    ciphertext: &'a [u8],
    /// The recipient's protected header as received (the KDF context's).
    recipient_protected: &'a [u8],
    kid: KeyId,
    ephemeral: GroupPublicKey,
}

impl<'a> Envelope<'a> {
    /// Reads the envelope of SPEC.md §13.1; no bytes may follow it.
    fn read(bytes: &'a [u8]) -> Result<Self, Error> {
        let r = &mut Reader::new(bytes);
        let at = r.offset();
        if r.array()? != 4 {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "COSE_Encrypt" }, at).into());
        }
        let (protected, base) = bstr_at(r)?;
        read_content_protected(protected, base)?;
        let iv = read_iv(r)?;
        let at = r.offset();
        let ciphertext = r.bytes()?;
        if ciphertext.len() < TAG_LEN {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "ciphertext" }, at).into());
        }
        let at = r.offset();
        if r.array()? != 1 {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "recipients" }, at).into());
        }
        let at = r.offset();
        if r.array()? != 3 {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "COSE_recipient" }, at).into());
        }
        let (recipient_protected, base) = bstr_at(r)?;
        let (kid, ephemeral) = read_recipient_protected(recipient_protected, base)?;
        r.int_map(|_, field| Err(field.unknown()))?;
        let at = r.offset();
        if !r.bytes()?.is_empty() {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "recipient_ciphertext" }, at).into());
        }
        r.finish()?;
        Ok(Self { protected, iv, ciphertext, recipient_protected, kid, ephemeral })
    }
}

/// A byte string and where its content starts.
fn bstr_at<'a>(r: &mut Reader<'a>) -> Result<(&'a [u8], usize), Malformed> {
    let bytes = r.bytes()?;
    Ok((bytes, r.offset() - bytes.len()))
}

/// `{1: 1}`: A128GCM is the only content algorithm.
fn read_content_protected(bytes: &[u8], base: usize) -> Result<(), Error> {
    let r = &mut Reader::nested(bytes, base);
    let mut alg = None;
    if !bytes.is_empty() {
        r.int_map(|r, field| match field.key {
            LABEL_ALG => r.int().map(|a| alg = Some(a)),
            _ => Err(field.unknown()),
        })?;
    }
    r.finish()?;
    match alg {
        None => Err(Malformed::at(MalformedKind::MissingField { field: "alg" }, base).into()),
        Some(ALG_A128GCM) => Ok(()),
        Some(alg) => Err(Error::AlgorithmNotAllowed { alg }),
    }
}

/// `{5: iv}`, the IV exactly 12 bytes.
fn read_iv(r: &mut Reader<'_>) -> Result<[u8; IV_LEN], Malformed> {
    let at = r.offset();
    let mut iv = None;
    r.int_map(|r, field| match field.key {
        LABEL_IV => {
            iv = Some(r.bytes()?.try_into().map_err(|_| field.invalid("iv"))?);
            Ok(())
        }
        _ => Err(field.unknown()),
    })?;
    iv.ok_or(Malformed::at(MalformedKind::MissingField { field: "iv" }, at))
}

/// `{1: -25, 4: kid, -1: ephemeral}`.
fn read_recipient_protected(bytes: &[u8], base: usize) -> Result<(KeyId, GroupPublicKey), Error> {
    let r = &mut Reader::nested(bytes, base);
    let (mut alg, mut kid, mut ephemeral) = (None, None, None);
    r.int_map(|r, field| {
        match field.key {
            LABEL_ALG => alg = Some(r.int()?),
            LABEL_KID => kid = Some(KeyId::from_slice(r.bytes()?).ok_or(field.invalid("kid"))?),
            LABEL_EPHEMERAL => {
                let fields = CoseKeyFields::read(r)?;
                ephemeral = Some(key::ephemeral_from_fields(&fields).map_err(|_| field.invalid("ephemeral_key"))?);
            }
            _ => return Err(field.unknown()),
        }
        Ok(())
    })?;
    r.finish()?;
    let missing = |field| Error::from(Malformed::at(MalformedKind::MissingField { field }, base));
    match alg {
        None => return Err(missing("alg")),
        Some(key::ALG_ECDH_ES_HKDF_256) => {}
        Some(alg) => return Err(Error::AlgorithmNotAllowed { alg }),
    }
    Ok((kid.ok_or_else(|| missing("kid"))?, ephemeral.ok_or_else(|| missing("ephemeral_key"))?))
}

/// `COSE_KDF_Context = [AlgorithmID: 1, PartyUInfo: [nil, nil, nil],
/// PartyVInfo: [nil, nil, nil], SuppPubInfo: [128, protected]]` (RFC 9053
/// §5.2), with the recipient's protected header as received.
pub(crate) fn kdf_context(recipient_protected: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.array(4).int(ALG_A128GCM);
    w.array(3).null().null().null().array(3).null().null().null();
    w.array(2).uint(CEK_LEN as u64 * 8).bytes(recipient_protected);
    w.into_bytes()
}

/// `Enc_structure = ["Encrypt", protected, external_aad: h'']` (RFC 9052 §5.3).
pub(crate) fn enc_structure(protected: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.array(3).text("Encrypt").bytes(protected).bytes(&[]);
    w.into_bytes()
}

/// HKDF-SHA256 (RFC 5869): extract with `salt`, expand `info` into `okm`.
/// `None` if `okm` is longer than 255 × 32 bytes.
pub(crate) fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8], okm: &mut [u8]) -> Option<()> {
    hkdf::Hkdf::<Sha256>::new(Some(salt), ikm).expand(info, okm).ok()
}

/// The content key: HKDF-SHA256 of `z` with no salt (RFC 9053 §6.3.1; an
/// absent salt is a zero-length one, RFC 5869 §2.2) and the context as info.
fn derive_cek(z: &[u8], context: &[u8]) -> Zeroizing<[u8; CEK_LEN]> {
    let mut cek = Zeroizing::new([0u8; CEK_LEN]);
    // 16 bytes is far below HKDF-SHA256's limit of 8 160.
    hkdf_sha256(&[], z, context, cek.as_mut()).expect("16-byte HKDF output");
    cek
}

/// AES-128-GCM encryption: ciphertext followed by the 16-byte tag.
pub(crate) fn aead_seal(cek: &[u8; CEK_LEN], iv: &[u8; IV_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    Aes128Gcm::new(&(*cek).into())
        .encrypt(&(*iv).into(), Payload { msg: plaintext, aad })
        // AES-GCM refuses only inputs beyond 2³⁶ bytes; a code is at most 2 861.
        .expect("plaintext within AES-GCM's limit")
}

/// AES-128-GCM decryption; `None` if the tag does not verify.
pub(crate) fn aead_open(cek: &[u8; CEK_LEN], iv: &[u8; IV_LEN], aad: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>> {
    Aes128Gcm::new(&(*cek).into()).decrypt(&(*iv).into(), Payload { msg: ciphertext, aad }).ok()
}

#[cfg(test)]
pub(crate) mod tests;
