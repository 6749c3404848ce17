//! Claim values on the wire (SPEC.md §3.4) and selective-disclosure digests.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use hkdf::Hkdf;
use sha2::{Digest, Sha256};

use crate::cbor::{KeyOrder, Reader, Writer};
use crate::document::{Claim, ClaimDef, ClaimType, ClaimValue, Date, DocType};
use crate::error::{Malformed, MalformedKind, UsageError};

/// CBOR tag for a date as days since 1970-01-01 (RFC 8943 §2.2).
const TAG_DAYS: u64 = 100;
/// Bytes of salt in each disclosure: 128 bits, so no dictionary of likely
/// values (a sex code, a birth date) can be tried against a digest.
pub const SALT_LEN: usize = 16;
/// Bytes of SHA-256 kept in each digest. The holder would need a second
/// preimage of a 128-bit truncated SHA-256 to swap a value (2¹²⁸ work); a
/// collision would help only the issuer, who signs whatever it likes anyway.
pub const DIGEST_LEN: usize = 16;
/// HKDF salt separating claim-salt derivation from any other use of a seed.
const SALT_DERIVATION_LABEL: &[u8] = b"nocard v1 claim salts";

/// Deepest a claim value nests: an array of records, a record map, a tag,
/// the tagged integer.
pub(crate) const VALUE_DEPTH: u8 = 4;

pub(crate) type ClaimDigest = [u8; DIGEST_LEN];

/// `disclosure = bstr .cbor [salt: bstr .size 16, code: uint, value: any]`;
/// the digest is the first 16 bytes of SHA-256 over the bstr's content.
pub(crate) fn digest(disclosure: &[u8]) -> ClaimDigest {
    let full = Sha256::digest(disclosure);
    let mut out = [0u8; DIGEST_LEN];
    out.copy_from_slice(&full[..DIGEST_LEN]);
    out
}

/// The salt for claim `code`: HKDF-SHA256 (RFC 5869) with salt
/// `"nocard v1 claim salts"`, key `seed` and info the code as 4 big-endian bytes.
pub(crate) fn derive_salt(seed: &[u8; 32], code: u32) -> [u8; SALT_LEN] {
    let mut salt = [0u8; SALT_LEN];
    Hkdf::<Sha256>::new(Some(SALT_DERIVATION_LABEL), seed)
        .expand(&code.to_be_bytes(), &mut salt)
        .expect("16 bytes is far below HKDF-SHA256's 8160-byte limit");
    salt
}

pub(crate) fn encode_disclosure(salt: &[u8; SALT_LEN], code: u32, value: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.array(3).bytes(salt).uint(u64::from(code)).raw(value);
    w.into_bytes()
}

/// Checks `claims` against `doc`, returning each as `(definition, encoded
/// value)` in code order. Derived claims must not be supplied.
pub(crate) fn encode_claims<'d>(
    doc: &'d DocType,
    claims: &[Claim],
) -> Result<Vec<(&'d ClaimDef, Vec<u8>)>, UsageError> {
    let mut out: Vec<(&ClaimDef, Vec<u8>)> = Vec::with_capacity(claims.len());
    for claim in claims {
        let def = doc.claim(&claim.name).ok_or_else(|| UsageError::UnknownClaim(claim.name.as_ref().into()))?;
        if def.derived.is_some() {
            return Err(UsageError::DerivedClaimSupplied(def.name.as_ref().into()));
        }
        if out.iter().any(|(d, _)| d.code == def.code) {
            return Err(UsageError::DuplicateClaim(def.name.as_ref().into()));
        }
        if !claim.value.has_type(&def.ty) {
            return Err(UsageError::ClaimTypeMismatch(def.name.as_ref().into()));
        }
        out.push((def, encode_value(&claim.value, &def.ty)?));
    }
    out.sort_by_key(|(def, _)| def.code);
    Ok(out)
}

/// Encodes a value already checked by [`ClaimValue::has_type`].
pub(crate) fn encode_value(value: &ClaimValue, ty: &ClaimType) -> Result<Vec<u8>, UsageError> {
    let mut w = Writer::new();
    write_value(&mut w, value, ty)?;
    Ok(w.into_bytes())
}

fn write_value(w: &mut Writer, value: &ClaimValue, ty: &ClaimType) -> Result<(), UsageError> {
    match (value, ty) {
        (ClaimValue::Text(t), _) => drop(w.text(t)),
        (ClaimValue::Date(d), _) => drop(w.tag(TAG_DAYS).int(d.days())),
        (ClaimValue::Integer(i), _) => drop(w.int(*i)),
        (ClaimValue::Bool(b), _) => drop(w.bool(*b)),
        (ClaimValue::Bytes(b), _) => drop(w.bytes(b)),
        (ClaimValue::Records(entries), ClaimType::Records(fields)) => {
            w.array(entries.len());
            for entry in entries {
                let mut coded: Vec<(&ClaimDef, &ClaimValue)> = Vec::with_capacity(entry.len());
                for claim in entry {
                    // has_type() guarantees every field exists.
                    let Some(def) = fields.iter().find(|f| f.name == claim.name) else {
                        return Err(UsageError::UnknownClaim(claim.name.as_ref().into()));
                    };
                    if coded.iter().any(|(d, _)| d.code == def.code) {
                        return Err(UsageError::DuplicateClaim(def.name.as_ref().into()));
                    }
                    coded.push((def, &claim.value));
                }
                coded.sort_by_key(|(def, _)| def.code);
                w.map(coded.len());
                for (def, value) in coded {
                    w.uint(u64::from(def.code));
                    write_value(w, value, &def.ty)?;
                }
            }
        }
        (ClaimValue::Records(_), _) => return Err(UsageError::ClaimTypeMismatch("records".into())),
    }
    Ok(())
}

/// Reads one value of type `ty`.
pub(crate) fn read_value(r: &mut Reader<'_>, ty: &ClaimType) -> Result<ClaimValue, Malformed> {
    Ok(match ty {
        ClaimType::Text => ClaimValue::Text(r.text()?.into()),
        ClaimType::Date => {
            let at = r.offset();
            if r.tag()? != TAG_DAYS {
                return Err(Malformed::at(MalformedKind::InvalidValue { field: "date" }, at));
            }
            let at = r.offset();
            let days = r.int()?;
            ClaimValue::Date(
                Date::from_days(days).ok_or(Malformed::at(MalformedKind::InvalidValue { field: "date" }, at))?,
            )
        }
        ClaimType::Integer => ClaimValue::Integer(r.int()?),
        ClaimType::Bool => ClaimValue::Bool(r.bool()?),
        ClaimType::Bytes => ClaimValue::Bytes(r.bytes()?.into()),
        ClaimType::Records(fields) => {
            let count = r.array()?;
            let mut entries = Vec::with_capacity(count);
            for _ in 0..count {
                let pairs = r.map()?;
                let mut keys = KeyOrder::new();
                let mut entry = Vec::with_capacity(pairs);
                for _ in 0..pairs {
                    // Record fields are scalars (`DocType::check`), so this
                    // recursion is one level deep.
                    let def = read_code(r, &mut keys, fields)?;
                    entry.push(Claim { name: def.name.clone(), value: read_value(r, &def.ty)? });
                }
                entries.push(entry);
            }
            ClaimValue::Records(entries)
        }
    })
}

/// Reads a claim code (a map key, in order) and finds its definition.
pub(crate) fn read_code<'d, 'a>(
    r: &mut Reader<'a>,
    keys: &mut KeyOrder<'a>,
    defs: &'d [ClaimDef],
) -> Result<&'d ClaimDef, Malformed> {
    let at = r.offset();
    // Map keys are ints (SPEC.md §2.1 rule 8); a negative one is a code no
    // type defines.
    let code = keys.int(r)?;
    defs.iter().find(|d| i64::from(d.code) == code).ok_or(Malformed::at(MalformedKind::UnknownField, at))
}

/// Reads the plain claims map `{* code => value}`.
pub(crate) fn read_claims(r: &mut Reader<'_>, doc: &DocType, out: &mut Vec<Claim>) -> Result<(), Malformed> {
    let mut keys = KeyOrder::new();
    for _ in 0..r.map()? {
        let def = read_code(r, &mut keys, doc.claims())?;
        out.push(Claim { name: def.name.clone(), value: read_value(r, &def.ty)? });
    }
    Ok(())
}

/// A disclosure's parts, borrowed.
pub(crate) struct Disclosure<'a> {
    pub code: u64,
    /// The encoded value.
    pub value: &'a [u8],
    pub value_offset: usize,
}

impl<'a> Disclosure<'a> {
    /// Reads `[salt, code, value]` from a disclosure's bytes at `base`.
    pub(crate) fn read(bytes: &'a [u8], base: usize) -> Result<Self, Malformed> {
        let r = &mut Reader::nested(bytes, base);
        let at = r.offset();
        if r.array()? != 3 {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "disclosure" }, at));
        }
        let at = r.offset();
        if r.bytes()?.len() != SALT_LEN {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "salt" }, at));
        }
        let code = r.uint()?;
        let value_offset = r.offset();
        let value = r.raw_item(VALUE_DEPTH)?;
        r.finish()?;
        Ok(Self { code, value, value_offset })
    }

    /// Decodes the value as claim `def`.
    pub(crate) fn claim(&self, def: &ClaimDef) -> Result<Claim, Malformed> {
        let r = &mut Reader::nested(self.value, self.value_offset);
        let value = read_value(r, &def.ty)?;
        r.finish()?;
        Ok(Claim { name: Cow::clone(&def.name), value })
    }
}
