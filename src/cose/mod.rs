//! COSE_Sign1 (RFC 9052 §4.2), read strictly and verified with nocard's rules.
//!
//! Building goes through coset; reading does not, because everything read
//! here comes from a stranger: [`Sign1::read`] borrows from the input, bounds
//! every length and depth before looking inside, and keeps the protected
//! header bytes exactly as received, which is what the signature covers
//! (RFC 9052 §4.4).

use alloc::vec::Vec;

use coset::{CborSerializable, CoseSign1Builder, HeaderBuilder, iana};

use crate::cbor::{KeyOrder, Reader, Writer};
use crate::error::{Malformed, MalformedKind, UsageError};
use crate::keys::{Algorithm, KeyId, PublicKey, SIGNATURE_LEN};

/// CBOR tag of a COSE_Sign1 (RFC 9052 §2); optional on input, never written.
const TAG_COSE_SIGN1: u64 = 18;
/// How deep an unprotected header value may nest before it is refused.
const HEADER_DEPTH: u8 = 4;

const LABEL_ALG: i64 = 1;
const LABEL_CRIT: i64 = 2;
const LABEL_KID: i64 = 4;
/// `typ` (RFC 9596 §2): what the payload is, so that one issuer key's
/// credentials and status lists cannot be taken for each other.
const LABEL_TYP: i64 = 16;
/// The `typ` of a desk's verification receipt (SPEC.md §15.1). The verifier
/// refuses a presentation carrying it, so a receipt is never taken for one.
pub(crate) const RECEIPT_TYPE: &str = "application/nocard-receipt";

/// The protected header parameters nocard reads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ProtectedHeader<'a> {
    /// `alg` (label 1).
    pub alg: Option<i64>,
    /// `kid` (label 4).
    pub kid: Option<&'a [u8]>,
    /// `typ` (label 16) when it is text; an integer content format is skipped.
    pub typ: Option<&'a str>,
}

/// A COSE_Sign1 borrowed from its encoding.
#[derive(Debug)]
pub(crate) struct Sign1<'a> {
    /// The protected header as received: the signature covers these bytes.
    pub protected: &'a [u8],
    pub header: ProtectedHeader<'a>,
    pub payload: &'a [u8],
    /// Where the payload starts in the outermost input, for error offsets.
    pub payload_offset: usize,
    pub signature: &'a [u8],
    signature_offset: usize,
}

/// Why a COSE_Sign1 signature was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SignatureFailure {
    /// The signature is not valid for the key.
    Invalid,
    /// A valid ES256 signature with high S, which nocard's wire format forbids.
    HighS(Malformed),
}

impl<'a> Sign1<'a> {
    /// `COSE_Sign1 = [protected: bstr .cbor header_map, unprotected: header_map,
    /// payload: bstr, signature: bstr]`, optionally under tag 18. The
    /// unprotected map is checked for well-formedness and otherwise ignored:
    /// nothing in it is signed, so nothing in it is trusted.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, Malformed> {
        if r.peek_major() == Some(6) {
            let at = r.offset();
            if r.tag()? != TAG_COSE_SIGN1 {
                return Err(Malformed::at(MalformedKind::InvalidValue { field: "tag" }, at));
            }
        }
        let at = r.offset();
        if r.array()? != 4 {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "COSE_Sign1" }, at));
        }
        let protected_offset = r.offset() + bstr_head_len(r);
        let protected = r.bytes()?;
        let header = ProtectedHeader::read(protected, protected_offset)?;
        r.skip_map(HEADER_DEPTH)?;
        let payload_offset = r.offset() + bstr_head_len(r);
        let payload = r.bytes()?;
        let signature_offset = r.offset();
        let signature = r.bytes()?;
        Ok(Self { protected, header, payload, payload_offset, signature, signature_offset })
    }

    /// `Sig_structure = ["Signature1", body_protected, external_aad, payload]`
    /// (RFC 9052 §4.4), with an empty external_aad.
    pub fn to_be_signed(&self) -> Vec<u8> {
        to_be_signed(self.protected, self.payload)
    }

    /// Verifies the signature with `key`, refusing high-S ES256 signatures.
    /// Returns the Sig_structure it verified: exactly what was signed, which
    /// identifies a presentation across unsigned re-encodings.
    pub fn verify(&self, key: &PublicKey) -> Result<Vec<u8>, SignatureFailure> {
        if self.signature.len() != SIGNATURE_LEN {
            return Err(SignatureFailure::Invalid);
        }
        if key.is_high_s(self.signature) {
            return Err(SignatureFailure::HighS(Malformed::at(MalformedKind::HighS, self.signature_offset)));
        }
        let signed = self.to_be_signed();
        key.verify(&signed, self.signature).map_err(|_| SignatureFailure::Invalid)?;
        Ok(signed)
    }
}

/// Length of the head of the byte string that comes next, so offsets can
/// point at its content.
fn bstr_head_len(r: &Reader<'_>) -> usize {
    r.peek_info().map_or(0, |info| match info {
        0..=23 => 1,
        24 => 2,
        25 => 3,
        26 => 5,
        _ => 9,
    })
}

impl<'a> ProtectedHeader<'a> {
    /// Reads `header_map` from the protected bytes. A zero-length string
    /// stands for the empty map (RFC 9052 §3). Unknown labels are skipped as
    /// RFC 9052 §3 allows, unless `crit` (label 2) is present: nocard knows
    /// no critical extensions, so it refuses them all.
    fn read(bytes: &'a [u8], base: usize) -> Result<Self, Malformed> {
        let mut header = Self { alg: None, kid: None, typ: None };
        if bytes.is_empty() {
            return Ok(header);
        }
        let r = &mut Reader::nested(bytes, base);
        let mut keys = KeyOrder::new();
        for _ in 0..r.map()? {
            let at = r.offset();
            let label = keys.next_key(r, |r| {
                if matches!(r.peek_major(), Some(0 | 1)) { r.int().map(Some) } else { r.skip(1).map(|()| None) }
            })?;
            match label {
                Some(LABEL_ALG) => header.alg = Some(r.int()?),
                Some(LABEL_KID) => header.kid = Some(r.bytes()?),
                Some(LABEL_TYP) if r.peek_major() == Some(3) => header.typ = Some(r.text()?),
                Some(LABEL_CRIT) => return Err(Malformed::at(MalformedKind::UnknownCriticalHeader, at)),
                _ => r.skip(HEADER_DEPTH)?,
            }
        }
        r.finish()?;
        Ok(header)
    }
}

/// Encodes a Sig_structure for a COSE_Sign1 (RFC 9052 §4.4).
pub(crate) fn to_be_signed(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.array(4).text("Signature1").bytes(protected).bytes(&[]).bytes(payload);
    w.into_bytes()
}

/// Builds an untagged COSE_Sign1 over `payload` with coset: protected header
/// `{1: alg}` plus `4: kid` when given, empty unprotected header.
pub(crate) fn sign1<E>(
    alg: Algorithm,
    kid: Option<KeyId>,
    payload: Vec<u8>,
    sign: impl FnOnce(&[u8]) -> Result<[u8; SIGNATURE_LEN], E>,
) -> Result<Vec<u8>, E>
where
    E: From<UsageError>,
{
    sign1_typed(alg, kid, None, payload, sign)
}

/// [`sign1`] with `16: typ` in the protected header when `typ` is given.
pub(crate) fn sign1_typed<E>(
    alg: Algorithm,
    kid: Option<KeyId>,
    typ: Option<&str>,
    payload: Vec<u8>,
    sign: impl FnOnce(&[u8]) -> Result<[u8; SIGNATURE_LEN], E>,
) -> Result<Vec<u8>, E>
where
    E: From<UsageError>,
{
    let mut header = HeaderBuilder::new().algorithm(match alg {
        Algorithm::EdDsa => iana::Algorithm::EdDSA,
        Algorithm::Es256 => iana::Algorithm::ES256,
    });
    if let Some(kid) = kid {
        header = header.key_id(kid.0.to_vec());
    }
    if let Some(typ) = typ {
        header = header.value(LABEL_TYP, coset::cbor::value::Value::Text(typ.into()));
    }
    let sign1 = CoseSign1Builder::new()
        .protected(header.build())
        .payload(payload)
        .try_create_signature(&[], |tbs| sign(tbs).map(|sig| sig.to_vec()))?
        .build();
    // coset only fails to encode values nocard never builds (it cannot
    // allocate, or a header holds an unencodable value).
    sign1.to_vec().map_err(|_| E::from(UsageError::TooLarge))
}

#[cfg(test)]
mod external_tests;
#[cfg(test)]
mod tests;
