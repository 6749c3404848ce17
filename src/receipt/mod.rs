//! Verification receipts: a desk's signed record of a code it accepted
//! (SPEC.md §15.1).
//!
//! A scene module on top of the core: [`Receipt::issue`] takes the
//! [`Verified`] result of [`Verifier::verify`](crate::verify::Verifier::verify)
//! and signs, with the desk's own key, what the desk must keep: its unit id,
//! the time, the document type, the issuer and its key id, the presentation
//! id, the purpose and the disclosed fields, either their values or only
//! their digests ([`Minimise`]), so a hotel keeps what the law requires and
//! no more. [`Receipt::verify`] checks one offline against the desk keys an
//! auditor trusts. The core never calls this module.
//!
//! ```text
//! receipt = COSE_Sign1 by the desk key, protected
//!           {1: alg, 4: kid, 16: "application/nocard-receipt"},
//!           payload = bstr .cbor receipt_claims
//! receipt_claims = {
//!   1  => tstr .size (1..64),          ; unit: the desk's unit id
//!   6  => uint,                        ; time the desk accepted the code
//!   -1 => uint .le 65535 / tstr,       ; document type, as in a credential
//!   -2 => tstr .size (1..64),          ; the credential's issuer
//!   -3 => bstr .size 8,                ; the issuer key id
//!   -4 => bstr .size 32,               ; presentation id
//!   ? -5 => tstr,                      ; purpose: a profile name
//!   ? -6 => { + claim_code => claim_value },    ; disclosed values, or
//!   ? -7 => { + claim_code => bstr .size 32 },  ; only their digests
//! }
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};

use crate::cbor::{KeyOrder, Reader, Writer};
use crate::cose::{self, RECEIPT_TYPE, Sign1, SignatureFailure};
use crate::credential::{MAX_ISSUER_LEN, encode_value, read_claims, read_code};
use crate::document::{Claim, ClaimDef, DocType, DocTypeId, Profile, Registry};
use crate::error::{Error, Malformed, MalformedKind, UsageError};
use crate::keys::{KeyId, PublicKey, SecretKey};
use crate::text::{self, TextKind};
use crate::verify::Verified;

/// Largest receipt [`Receipt::verify`] reads: a presentation's worth of
/// claims and the receipt's own fields.
pub const MAX_RECEIPT_BYTES: usize = 4096;
/// Longest unit id, as an issuer name.
pub const MAX_UNIT_LEN: usize = 64;
/// Length of a field digest (SHA-256).
pub const FIELD_DIGEST_LEN: usize = 32;

const UNIT: i64 = 1;
const TIME: i64 = 6;
const DOCTYPE: i64 = -1;
const ISSUER: i64 = -2;
const ISSUER_KEY: i64 = -3;
const PRESENTATION_ID: i64 = -4;
const PURPOSE: i64 = -5;
const VALUES: i64 = -6;
const DIGESTS: i64 = -7;

/// What a receipt keeps of the disclosed fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Minimise {
    /// The values themselves.
    Values,
    /// Only a digest of each (SPEC.md §15.1): enough to confirm a value
    /// shown again later, not to read it back.
    Digests,
}

/// The disclosed fields as a receipt keeps them, in claim-code order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fields {
    /// The values.
    Values(Vec<Claim>),
    /// Each field's name and digest.
    Digests(Vec<(String, [u8; FIELD_DIGEST_LEN])>),
}

/// A receipt's contents, as issued or as read back from a verified receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Receipt {
    /// The desk key that signed it.
    pub desk_key_id: KeyId,
    /// The desk's unit id (1–64 bytes).
    pub unit: String,
    /// When the desk accepted the code, by its clock.
    pub time: u64,
    /// Document type name.
    pub doc_type: String,
    /// The credential's issuer.
    pub issuer: String,
    /// The issuer key that signed the credential.
    pub issuer_key_id: KeyId,
    /// What the device signed (SPEC.md §5, Result).
    pub presentation_id: [u8; 32],
    /// The scene's profile, if the desk verified under one.
    pub purpose: Option<Profile>,
    /// The disclosed fields, or their digests.
    pub fields: Fields,
}

/// A signed receipt and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedReceipt {
    /// The COSE_Sign1 bytes.
    pub bytes: Vec<u8>,
    /// Its contents.
    pub receipt: Receipt,
}

impl Receipt {
    /// Signs a receipt for `verified` with the desk's key. `registry` is the
    /// one the desk verified with (it gives the claims' codes), `unit` the
    /// desk's id, `time` its clock.
    pub fn issue(
        verified: &Verified,
        registry: &Registry,
        desk: &SecretKey,
        unit: &str,
        time: u64,
        purpose: Option<Profile>,
        minimise: Minimise,
    ) -> Result<SignedReceipt, ReceiptError> {
        if unit.is_empty() || unit.len() > MAX_UNIT_LEN {
            return Err(UsageError::UnitId.into());
        }
        let doc = registry.by_name(&verified.doc_type).ok_or(ReceiptError::UnknownDocType)?;
        let mut coded: Vec<(&ClaimDef, Vec<u8>)> = Vec::with_capacity(verified.claims.len());
        for claim in &verified.claims {
            let def = doc.claim(&claim.name).ok_or_else(|| UsageError::UnknownClaim(claim.name.as_ref().into()))?;
            coded.push((def, encode_value(&claim.value, &def.ty)?));
        }
        if coded.is_empty() {
            return Err(UsageError::NothingToDisclose.into());
        }
        coded.sort_by_key(|(def, _)| def.code);

        let mut w = Writer::new();
        w.map(7 + usize::from(purpose.is_some()));
        w.int(UNIT).text(unit).int(TIME).uint(time).int(DOCTYPE);
        match doc.id() {
            DocTypeId::Code(code) => w.uint(u64::from(code)),
            DocTypeId::Name(name) => w.text(&name),
        };
        w.int(ISSUER).text(&verified.issuer);
        w.int(ISSUER_KEY).bytes(&verified.key_id.0);
        w.int(PRESENTATION_ID).bytes(&verified.presentation_id);
        if let Some(profile) = purpose {
            w.int(PURPOSE).text(profile.name());
        }
        let fields = match minimise {
            Minimise::Values => {
                w.int(VALUES).map(coded.len());
                for (def, value) in &coded {
                    w.uint(u64::from(def.code)).raw(value);
                }
                let mut claims = verified.claims.clone();
                claims.sort_by_key(|c| doc.claim(&c.name).map(|d| d.code));
                Fields::Values(claims)
            }
            Minimise::Digests => {
                w.int(DIGESTS).map(coded.len());
                let mut digests = Vec::with_capacity(coded.len());
                for (def, value) in &coded {
                    let digest = field_digest(&verified.presentation_id, def.code, value);
                    w.uint(u64::from(def.code)).bytes(&digest);
                    digests.push((String::from(def.name.as_ref()), digest));
                }
                Fields::Digests(digests)
            }
        };
        let desk_key_id = desk.public_key().id();
        let bytes =
            cose::sign1_typed(desk.algorithm(), Some(desk_key_id), Some(RECEIPT_TYPE), w.into_bytes(), |tbs| {
                Ok::<_, ReceiptError>(desk.sign(tbs))
            })?;
        let receipt = Receipt {
            desk_key_id,
            unit: unit.into(),
            time,
            doc_type: verified.doc_type.clone(),
            issuer: verified.issuer.clone(),
            issuer_key_id: verified.key_id,
            presentation_id: verified.presentation_id,
            purpose,
            fields,
        };
        Ok(SignedReceipt { bytes, receipt })
    }

    /// Reads a receipt and checks it against the desk keys the caller
    /// trusts, in the order of SPEC.md §15.1 "Checking a receipt".
    pub fn verify(bytes: &[u8], desk_keys: &[PublicKey], registry: &Registry) -> Result<Self, ReceiptError> {
        if bytes.len() > MAX_RECEIPT_BYTES {
            let max = MAX_RECEIPT_BYTES;
            return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
        }
        let r = &mut Reader::new(bytes);
        let sign1 = Sign1::read(r)?;
        r.finish()?;
        if sign1.header.typ != Some(RECEIPT_TYPE) {
            return Err(ReceiptError::NotAReceipt);
        }
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, sign1.payload_offset);
        let kid = sign1.header.kid.ok_or(missing("kid"))?;
        let kid = KeyId::from_slice(kid)
            .ok_or(Malformed::at(MalformedKind::InvalidValue { field: "kid" }, sign1.payload_offset))?;
        let key = desk_keys.iter().find(|k| k.id() == kid).ok_or(ReceiptError::UnknownDeskKey { kid })?;
        if sign1.header.alg.ok_or(missing("alg"))? != key.algorithm().cose_id() {
            return Err(ReceiptError::BadSignature);
        }
        sign1.verify(key).map_err(|failure| match failure {
            SignatureFailure::Invalid => ReceiptError::BadSignature,
            SignatureFailure::HighS(m) => ReceiptError::Malformed(m),
        })?;
        Self::read_claims(&sign1, kid, registry)
    }

    fn read_claims(sign1: &Sign1<'_>, desk_key_id: KeyId, registry: &Registry) -> Result<Self, ReceiptError> {
        let r = &mut Reader::nested(sign1.payload, sign1.payload_offset);
        let start = r.offset();
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
        let mut unit = None;
        let mut time = None;
        let mut doc_id = None;
        let mut issuer = None;
        let mut issuer_key_id = None;
        let mut presentation_id = None;
        let mut purpose = None;
        // The fields are read once the type is known: kept raw until then.
        let mut fields: Option<(Minimise, &[u8], usize)> = None;
        r.int_map(|r, field| {
            match field.key {
                UNIT => {
                    let u = r.text()?;
                    if u.is_empty() || u.len() > MAX_UNIT_LEN {
                        return Err(field.invalid("unit"));
                    }
                    unit = Some(u);
                }
                TIME => time = Some(r.uint()?),
                DOCTYPE if r.peek_major() == Some(3) => doc_id = Some(DocTypeId::Name(r.text()?.into())),
                DOCTYPE => {
                    doc_id = Some(DocTypeId::Code(u16::try_from(r.uint()?).map_err(|_| field.invalid("doctype"))?))
                }
                ISSUER => {
                    let iss = r.text()?;
                    if iss.is_empty() || iss.len() > MAX_ISSUER_LEN {
                        return Err(field.invalid("iss"));
                    }
                    issuer = Some(iss);
                }
                ISSUER_KEY => issuer_key_id = Some(KeyId::from_slice(r.bytes()?).ok_or(field.invalid("issuer_key"))?),
                PRESENTATION_ID => {
                    let id: [u8; 32] = r.bytes()?.try_into().map_err(|_| field.invalid("presentation_id"))?;
                    presentation_id = Some(id);
                }
                PURPOSE => purpose = Some(r.text()?.parse::<Profile>().map_err(|_| field.invalid("purpose"))?),
                VALUES | DIGESTS => {
                    if fields.is_some() {
                        return Err(field.invalid("fields"));
                    }
                    let kind = if field.key == VALUES { Minimise::Values } else { Minimise::Digests };
                    let at = r.offset();
                    fields = Some((kind, r.raw_item(FIELDS_DEPTH)?, at));
                }
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let unit = unit.ok_or(missing("unit"))?;
        let time = time.ok_or(missing("time"))?;
        let doc_id = doc_id.ok_or(missing("doctype"))?;
        let issuer = issuer.ok_or(missing("iss"))?;
        let issuer_key_id = issuer_key_id.ok_or(missing("issuer_key"))?;
        let presentation_id = presentation_id.ok_or(missing("presentation_id"))?;
        let (kind, raw, at) = fields.ok_or(missing("fields"))?;
        let doc = registry.get(&doc_id).ok_or(ReceiptError::UnknownDocType)?;
        let fields = read_fields(kind, raw, at, doc)?;
        Ok(Self {
            desk_key_id,
            unit: unit.into(),
            time,
            doc_type: doc.name().into(),
            issuer: issuer.into(),
            issuer_key_id,
            presentation_id,
            purpose,
            fields,
        })
    }

    /// Whether this receipt records `claim` with exactly this value: for a
    /// value receipt, by comparison; for a digest receipt, by recomputing
    /// its digest. An auditor shown the value again can confirm it.
    pub fn records(&self, claim: &Claim, registry: &Registry) -> bool {
        match &self.fields {
            Fields::Values(claims) => claims.contains(claim),
            Fields::Digests(digests) => {
                let Some(def) = registry.by_name(&self.doc_type).and_then(|d| d.claim(&claim.name)) else {
                    return false;
                };
                let Ok(value) = encode_value(&claim.value, &def.ty) else { return false };
                let digest = field_digest(&self.presentation_id, def.code, &value);
                digests.iter().any(|(name, d)| *name == claim.name && *d == digest)
            }
        }
    }
}

/// How deep a receipt's fields map may nest: the map, then a claims value
/// (records: array, map, scalar).
const FIELDS_DEPTH: u8 = 5;

/// `SHA-256([presentation_id, code, value])`: bound to one presentation, so
/// one table of guesses does not open every receipt of a desk.
fn field_digest(presentation_id: &[u8; 32], code: u32, value: &[u8]) -> [u8; FIELD_DIGEST_LEN] {
    let mut w = Writer::new();
    w.array(3).bytes(presentation_id).uint(u64::from(code)).raw(value);
    Sha256::digest(w.into_bytes()).into()
}

fn read_fields(kind: Minimise, raw: &[u8], at: usize, doc: &DocType) -> Result<Fields, Malformed> {
    let r = &mut Reader::nested(raw, at);
    let fields = match kind {
        Minimise::Values => {
            let mut claims = Vec::new();
            read_claims(r, doc, &mut claims)?;
            if claims.is_empty() {
                return Err(Malformed::at(MalformedKind::InvalidValue { field: "fields" }, at));
            }
            Fields::Values(claims)
        }
        Minimise::Digests => {
            let count = r.map()?;
            if count == 0 {
                return Err(Malformed::at(MalformedKind::InvalidValue { field: "fields" }, at));
            }
            let mut keys = KeyOrder::new();
            let mut digests = Vec::with_capacity(count);
            for _ in 0..count {
                let def = read_code(r, &mut keys, doc.claims())?;
                let value_at = r.offset();
                let digest: [u8; FIELD_DIGEST_LEN] = r
                    .bytes()?
                    .try_into()
                    .map_err(|_| Malformed::at(MalformedKind::InvalidValue { field: "digest" }, value_at))?;
                digests.push((String::from(def.name.as_ref()), digest));
            }
            Fields::Digests(digests)
        }
    };
    r.finish()?;
    Ok(fields)
}

/// A receipt's text form (SPEC.md §15.1): `NCR1:` and base45, what the QR
/// code on a printed copy carries.
pub fn to_text(bytes: &[u8]) -> String {
    text::encode(TextKind::Receipt, bytes)
}

/// A receipt's bytes, given either its bytes or its text form (a binary
/// receipt starts with a CBOR array or tag, never with `NC`).
pub fn from_text_or_bytes(input: &[u8]) -> Result<Vec<u8>, ReceiptError> {
    if text::kind_of(input) != Some(TextKind::Receipt) {
        return Ok(input.to_vec());
    }
    text::decode(TextKind::Receipt, input).map_err(|error| match error {
        Error::UnsupportedVersion { found } => ReceiptError::UnsupportedVersion { found },
        Error::Malformed(malformed) => ReceiptError::Malformed(malformed),
        // decode() fails only with the two above.
        _ => ReceiptError::Malformed(Malformed::at(MalformedKind::MissingPrefix, 0)),
    })
}

/// Why a receipt was refused (SPEC.md §15.3).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiptError {
    /// Not a well-formed receipt (SPEC.md §6.2 details).
    Malformed(Malformed),
    /// A COSE_Sign1 that is not a receipt: a presentation, a credential or
    /// a status list (its protected `typ` is not the receipt's).
    NotAReceipt,
    /// Signed by no desk key the caller trusts.
    UnknownDeskKey {
        /// The key id the receipt names.
        kid: KeyId,
    },
    /// The desk's signature does not verify: the receipt was altered.
    BadSignature,
    /// The document type is not in the caller's registry.
    UnknownDocType,
    /// The calling program asked for something impossible.
    Usage(UsageError),
    /// An `NCR` text of a version this build does not read.
    UnsupportedVersion {
        /// The version character found.
        found: char,
    },
}

impl ReceiptError {
    /// Stable snake_case code (SPEC.md §15.3).
    pub fn code(&self) -> &'static str {
        match self {
            ReceiptError::Malformed(_) => "malformed",
            ReceiptError::NotAReceipt => "not_a_receipt",
            ReceiptError::UnknownDeskKey { .. } => "receipt_unknown_desk_key",
            ReceiptError::BadSignature => "receipt_bad_signature",
            ReceiptError::UnknownDocType => "unknown_doc_type",
            ReceiptError::Usage(_) => "usage",
            ReceiptError::UnsupportedVersion { .. } => "unsupported_version",
        }
    }
}

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptError::Malformed(m) => write!(f, "malformed receipt: {m}"),
            ReceiptError::NotAReceipt => f.write_str("not a receipt (a presentation, credential or other COSE object)"),
            ReceiptError::UnknownDeskKey { kid } => {
                write!(f, "receipt is signed by desk key {kid}, which is not trusted")
            }
            ReceiptError::BadSignature => f.write_str("receipt signature does not verify"),
            ReceiptError::UnknownDocType => f.write_str("unknown document type"),
            ReceiptError::Usage(e) => write!(f, "usage error: {e}"),
            ReceiptError::UnsupportedVersion { found } => write!(f, "unsupported receipt text version {found:?}"),
        }
    }
}

impl core::error::Error for ReceiptError {}

impl From<Malformed> for ReceiptError {
    fn from(m: Malformed) -> Self {
        ReceiptError::Malformed(m)
    }
}

impl From<UsageError> for ReceiptError {
    fn from(e: UsageError) -> Self {
        ReceiptError::Usage(e)
    }
}

#[cfg(test)]
mod tests;
