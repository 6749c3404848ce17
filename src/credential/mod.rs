//! Credentials: what an issuer signs and a wallet holds.
//!
//! A credential is a COSE_Sign1 (RFC 9052 §4.2) by an issuer key over a
//! CWT-style claims set (RFC 8392): `iss`, `exp`, `nbf`, optional `iat` and
//! `cti`, `cnf` with the holder's device key (RFC 8747 §3.2), and nocard's
//! own entries for the document type, the status-list reference, plain
//! claims and salted claim digests (SPEC.md §3).
//!
//! [`Issuer::credential`] makes a [`CredentialBundle`]: one *full* credential
//! that commits to every claim by digest, so the holder can later disclose
//! any subset, plus one *view* per purpose profile that carries that
//! profile's claims in the clear. A hotel presentation built from its view
//! needs no digests or salts, which keeps the QR small.
//!
//! With the issuer's [`CodeKey`], the bundle also carries the credential's
//! numeric-code secret ([`crate::numeric_code`]), which no credential or
//! presentation ever holds.

mod claims;

use alloc::string::String;
use alloc::vec::Vec;

pub use claims::{DIGEST_LEN, SALT_LEN};
pub(crate) use claims::{Disclosure, digest, encode_value, read_claims, read_code};

use crate::cbor::{Reader, Writer};
use crate::cose::{self, Sign1};
use crate::document::{Claim, ClaimDef, ClaimValue, Date, Derivation, DocType, DocTypeId, Profile};
use crate::error::{Error, Malformed, MalformedKind, UsageError};
use crate::keys::{PublicKey, SecretKey};
use crate::numeric_code::{CodeKey, CodeSecret, KEY_LEN as CODE_SECRET_LEN};
use crate::text::{self, TextKind};

// Claim keys: CWT (RFC 8392 §4, RFC 8747 §3.1) and nocard's own, which sit in
// the unassigned negative range; the `NC1:` prefix types the payload.
const ISS: i64 = 1;
const EXP: i64 = 4;
const NBF: i64 = 5;
const IAT: i64 = 6;
const CTI: i64 = 7;
const CNF: i64 = 8;
const CNF_COSE_KEY: i64 = 1;
const DOCTYPE: i64 = -1;
const STATUS: i64 = -2;
const CLAIMS: i64 = -3;
const DIGESTS: i64 = -4;

/// Longest `iss` accepted.
pub const MAX_ISSUER_LEN: usize = 64;
/// Longest `cti` accepted.
pub const MAX_ID_LEN: usize = 32;

/// Where a credential's revocation status lives: entry `index` of status
/// list `list` (an IETF Token Status List the verifier caches).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatusRef {
    /// Status list number, assigned by the issuer.
    pub list: u32,
    /// Index in that list.
    pub index: u32,
}

/// An issuing authority: its name (the `iss` claim) and its signing key.
pub struct Issuer {
    name: String,
    key: SecretKey,
}

impl Issuer {
    /// An issuer named `name` (at most 64 bytes, e.g. `NBPSB` for the Ningbo
    /// Public Security Bureau) signing with `key`.
    pub fn new(name: &str, key: SecretKey) -> Result<Self, UsageError> {
        if name.is_empty() || name.len() > MAX_ISSUER_LEN {
            return Err(UsageError::IssuerName);
        }
        Ok(Self { name: name.into(), key })
    }

    /// The issuer's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The issuer's public key, for verifiers to trust.
    pub fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    /// The signing key, for the bindings' issuer to sign status lists with.
    #[cfg(feature = "uniffi")]
    pub(crate) fn secret_key(&self) -> &SecretKey {
        &self.key
    }

    /// Starts a credential of type `doc` with `claims`, bound to the holder's
    /// device key.
    pub fn credential<'a>(&'a self, doc: &'a DocType, holder: &PublicKey, claims: Vec<Claim>) -> CredentialBuilder<'a> {
        CredentialBuilder {
            issuer: self,
            doc,
            holder: holder.clone(),
            claims,
            not_before: 0,
            expires: 0,
            issued_at: None,
            id: None,
            status: None,
            salt_seed: None,
            code_key: None,
            profiles: Profile::ALL.to_vec(),
        }
    }
}

/// Settings of one credential; [`CredentialBuilder::sign`] makes it.
#[must_use]
pub struct CredentialBuilder<'a> {
    issuer: &'a Issuer,
    doc: &'a DocType,
    holder: PublicKey,
    claims: Vec<Claim>,
    not_before: u64,
    expires: u64,
    issued_at: Option<u64>,
    id: Option<Vec<u8>>,
    status: Option<StatusRef>,
    salt_seed: Option<[u8; 32]>,
    code_key: Option<&'a CodeKey>,
    profiles: Vec<Profile>,
}

impl<'a> CredentialBuilder<'a> {
    /// Valid from `not_before` until `expires` (Unix seconds, required).
    pub fn validity(mut self, not_before: u64, expires: u64) -> Self {
        self.not_before = not_before;
        self.expires = expires;
        self
    }

    /// Sets `iat`, which must not be after `expires`.
    pub fn issued_at(mut self, at: u64) -> Self {
        self.issued_at = Some(at);
        self
    }

    /// Sets `cti`, a credential id of at most 32 bytes.
    pub fn id(mut self, id: &[u8]) -> Self {
        self.id = Some(id.to_vec());
        self
    }

    /// Sets the revocation status reference.
    pub fn status(mut self, status: StatusRef) -> Self {
        self.status = Some(status);
        self
    }

    /// Derives the claim salts from this seed instead of fresh OS randomness.
    /// Without the `std` feature it is required: pass 32 bytes from the
    /// platform's RNG. A fixed seed is only for test vectors: anyone who
    /// knows the seed knows every salt.
    pub fn salt_seed(mut self, seed: [u8; 32]) -> Self {
        self.salt_seed = Some(seed);
        self
    }

    /// Puts the credential's numeric-code secret in the bundle, derived
    /// from `key`, the issuer name and the credential id
    /// ([`CodeKey::secret`]), so the back office can derive it again. Needs
    /// [`CredentialBuilder::id`] ([`UsageError::CodeNeedsId`]).
    pub fn numeric_code(mut self, key: &'a CodeKey) -> Self {
        self.code_key = Some(key);
        self
    }

    /// Which profile views to make (default: all seven).
    pub fn views(mut self, profiles: &[Profile]) -> Self {
        self.profiles = profiles.to_vec();
        self
    }

    /// Signs the full credential and the profile views.
    pub fn sign(self) -> Result<CredentialBundle, Error> {
        if self.not_before >= self.expires {
            return Err(UsageError::EmptyValidity.into());
        }
        if self.issued_at.is_some_and(|iat| iat > self.expires) {
            return Err(UsageError::IssuedAfterExpiry.into());
        }
        if self.id.as_ref().is_some_and(|id| id.len() > MAX_ID_LEN) {
            return Err(UsageError::TooLarge.into());
        }
        let code_secret = match (self.code_key, &self.id) {
            (Some(key), Some(id)) => Some(key.secret(&self.issuer.name, id)),
            (Some(_), None) => return Err(UsageError::CodeNeedsId.into()),
            (None, _) => None,
        };
        let seed = match self.salt_seed {
            Some(seed) => seed,
            None => random_seed()?,
        };
        let mut encoded = claims::encode_claims(self.doc, &self.claims)?;
        self.derive_claims(&mut encoded)?;

        let mut disclosures = Vec::with_capacity(encoded.len());
        let mut digests = Vec::with_capacity(encoded.len());
        for (def, value) in &encoded {
            let disclosure = claims::encode_disclosure(&claims::derive_salt(&seed, def.code), def.code, value);
            digests.push(digest(&disclosure));
            disclosures.push(disclosure);
        }
        // Sorted, so the order says nothing about which claim is which.
        digests.sort_unstable();
        let full = self.sign_payload(&[], &digests)?;

        let mut views: Vec<Vec<u8>> = Vec::new();
        let mut made: Vec<Vec<u32>> = Vec::new();
        for profile in &self.profiles {
            let selected: Vec<&(&ClaimDef, Vec<u8>)> =
                encoded.iter().filter(|(def, _)| profile.select(self.doc).iter().any(|d| d.code == def.code)).collect();
            let codes: Vec<u32> = selected.iter().map(|(def, _)| def.code).collect();
            if codes.is_empty() || made.contains(&codes) {
                continue;
            }
            let plain: Vec<(u32, &[u8])> = selected.iter().map(|(def, v)| (def.code, v.as_slice())).collect();
            views.push(self.sign_payload(&plain, &[])?);
            made.push(codes);
        }
        Ok(CredentialBundle { full, disclosures, views, code_secret })
    }

    /// Adds the derived claims the document type defines, computed at
    /// `not_before`: the first moment the credential is valid, so a `true`
    /// holds over the whole validity (an `iat` after a birthday that
    /// `not_before` precedes would make a 17-year-old an adult).
    fn derive_claims<'d>(&'d self, encoded: &mut Vec<(&'d ClaimDef, Vec<u8>)>) -> Result<(), Error> {
        let on = Date::from_unix(self.not_before).ok_or(UsageError::EmptyValidity)?;
        for def in self.doc.claims().iter().filter(|d| d.derived.is_some()) {
            let Some(Derivation::AgeOver(years)) = def.derived else { continue };
            let birth = self.claims.iter().find(|c| c.name == "birth_date").map(|c| &c.value);
            let Some(ClaimValue::Date(birth)) = birth else {
                return Err(UsageError::MissingBirthDate.into());
            };
            let value = ClaimValue::Bool(birth.years_until(on) >= i32::from(years));
            encoded.push((def, claims::encode_value(&value, &def.ty)?));
        }
        encoded.sort_by_key(|(def, _)| def.code);
        Ok(())
    }

    /// Encodes the claims set (SPEC.md §3.2) and signs it.
    fn sign_payload(&self, plain: &[(u32, &[u8])], digests: &[claims::ClaimDigest]) -> Result<Vec<u8>, Error> {
        let mut w = Writer::new();
        let entries = 5
            + usize::from(self.issued_at.is_some())
            + usize::from(self.id.is_some())
            + usize::from(self.status.is_some())
            + usize::from(!plain.is_empty())
            + usize::from(!digests.is_empty());
        w.map(entries);
        w.int(ISS).text(&self.issuer.name);
        w.int(EXP).uint(self.expires);
        w.int(NBF).uint(self.not_before);
        if let Some(iat) = self.issued_at {
            w.int(IAT).uint(iat);
        }
        if let Some(id) = &self.id {
            w.int(CTI).bytes(id);
        }
        w.int(CNF).map(1).int(CNF_COSE_KEY);
        self.holder.write_cose_key(&mut w);
        w.int(DOCTYPE);
        match self.doc.id() {
            DocTypeId::Code(code) => w.uint(u64::from(code)),
            DocTypeId::Name(name) => w.text(&name),
        };
        if let Some(status) = self.status {
            w.int(STATUS).array(2).uint(u64::from(status.list)).uint(u64::from(status.index));
        }
        if !plain.is_empty() {
            w.int(CLAIMS).map(plain.len());
            for (code, value) in plain {
                w.uint(u64::from(*code)).raw(value);
            }
        }
        if !digests.is_empty() {
            w.int(DIGESTS).array(digests.len());
            for d in digests {
                w.bytes(d);
            }
        }
        let key = &self.issuer.key;
        cose::sign1::<Error>(key.algorithm(), Some(key.public_key().id()), w.into_bytes(), |tbs| Ok(key.sign(tbs)))
    }
}

#[cfg(feature = "std")]
fn random_seed() -> Result<[u8; 32], Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| UsageError::Randomness)?;
    Ok(seed)
}

#[cfg(not(feature = "std"))]
fn random_seed() -> Result<[u8; 32], Error> {
    Err(UsageError::Randomness.into())
}

/// What the issuer hands the wallet: the full credential, the disclosures
/// for its digests, the profile views (SPEC.md §3.5) and, if issued with
/// one, the numeric-code secret (SPEC.md §12.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialBundle {
    pub(crate) full: Vec<u8>,
    pub(crate) disclosures: Vec<Vec<u8>>,
    pub(crate) views: Vec<Vec<u8>>,
    /// Only ever in the bundle: presentations are built from the other fields.
    code_secret: Option<CodeSecret>,
}

const BUNDLE_FULL: i64 = 1;
const BUNDLE_DISCLOSURES: i64 = 2;
const BUNDLE_VIEWS: i64 = 3;
const BUNDLE_CODE_SECRET: i64 = 4;

impl CredentialBundle {
    /// `{1: COSE_Sign1, 2: [* disclosure], 3: [* COSE_Sign1], ? 4: bstr .size 32}`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.map(3 + usize::from(self.code_secret.is_some())).int(BUNDLE_FULL).raw(&self.full);
        w.int(BUNDLE_DISCLOSURES).array(self.disclosures.len());
        for d in &self.disclosures {
            w.bytes(d);
        }
        w.int(BUNDLE_VIEWS).array(self.views.len());
        for v in &self.views {
            w.raw(v);
        }
        if let Some(secret) = &self.code_secret {
            w.int(BUNDLE_CODE_SECRET).bytes(secret.as_bytes());
        }
        w.into_bytes()
    }

    /// The `NCC1:` text form, for files and hand-over.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Credential, &self.to_bytes())
    }

    /// Reads a bundle written by [`CredentialBundle::to_bytes`]. Signatures
    /// are not checked here (the wallet trusts its issuer channel; verifiers
    /// check everything), but every credential must parse.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let r = &mut Reader::new(bytes);
        let at = r.offset();
        let (mut full, mut disclosures, mut views, mut code_secret) = (None, Vec::new(), Vec::new(), None);
        r.int_map(|r, field| {
            match field.key {
                BUNDLE_FULL => full = Some(read_credential(r)?),
                BUNDLE_DISCLOSURES => {
                    for _ in 0..r.array()? {
                        let d_at = r.offset();
                        let d = r.bytes()?;
                        Disclosure::read(d, d_at)?;
                        disclosures.push(d.to_vec());
                    }
                }
                BUNDLE_VIEWS => {
                    for _ in 0..r.array()? {
                        views.push(read_credential(r)?);
                    }
                }
                BUNDLE_CODE_SECRET => {
                    let bytes: [u8; CODE_SECRET_LEN] =
                        r.bytes()?.try_into().map_err(|_| field.invalid("code_secret"))?;
                    code_secret = Some(CodeSecret::from_bytes(bytes));
                }
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let full = full.ok_or(Malformed::at(MalformedKind::MissingField { field: "full" }, at))?;
        Ok(Self { full, disclosures, views, code_secret })
    }

    /// Reads the `NCC1:` text form.
    pub fn from_text(text: &[u8]) -> Result<Self, Error> {
        Self::from_bytes(&text::decode(TextKind::Credential, text)?)
    }

    /// The full credential's COSE_Sign1 bytes.
    pub fn full(&self) -> &[u8] {
        &self.full
    }

    /// The profile views' COSE_Sign1 bytes.
    pub fn views(&self) -> &[Vec<u8>] {
        &self.views
    }

    /// The numeric-code secret, if the issuer gave the credential one.
    pub fn code_secret(&self) -> Option<&CodeSecret> {
        self.code_secret.as_ref()
    }
}

/// Reads one COSE_Sign1 credential whose payload parses, returning its bytes.
fn read_credential(r: &mut Reader<'_>) -> Result<Vec<u8>, Malformed> {
    let start = r.offset();
    let sign1 = Sign1::read(r)?;
    CredentialBody::read(sign1.payload, sign1.payload_offset)?;
    let end = r.offset();
    Ok(r.slice(start, end).to_vec())
}

/// A credential's claims set, borrowed from its encoding (SPEC.md §3.2).
#[derive(Debug)]
pub(crate) struct CredentialBody<'a> {
    pub issuer: &'a str,
    pub expires: u64,
    pub not_before: u64,
    pub issued_at: Option<u64>,
    pub id: Option<&'a [u8]>,
    pub device_key: PublicKey,
    pub doc_type: DocTypeId,
    pub status: Option<StatusRef>,
    /// The plain claims map, still encoded, and where it starts.
    pub claims: Option<(&'a [u8], usize)>,
    /// The digests array's items, each 16 bytes.
    pub digests: Vec<&'a [u8]>,
}

impl<'a> CredentialBody<'a> {
    pub(crate) fn read(bytes: &'a [u8], base: usize) -> Result<Self, Malformed> {
        let r = &mut Reader::nested(bytes, base);
        let start = r.offset();
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
        let (mut issuer, mut expires, mut not_before, mut issued_at, mut id) = (None, None, None, None, None);
        let (mut device_key, mut doc_type, mut status, mut claims) = (None, None, None, None);
        let mut digests = Vec::new();
        r.int_map(|r, field| {
            let invalid = |name| field.invalid(name);
            match field.key {
                ISS => {
                    issuer = Some(r.text()?)
                        .filter(|s| !s.is_empty() && s.len() <= MAX_ISSUER_LEN)
                        .map(Some)
                        .ok_or(invalid("iss"))?
                }
                EXP => expires = Some(r.uint()?),
                NBF => not_before = Some(r.uint()?),
                IAT => issued_at = Some(r.uint()?),
                CTI => id = Some(r.bytes()?).filter(|b| b.len() <= MAX_ID_LEN).map(Some).ok_or(invalid("cti"))?,
                CNF => {
                    if r.map()? != 1 || r.int()? != CNF_COSE_KEY {
                        return Err(invalid("cnf"));
                    }
                    device_key = Some(PublicKey::read_cose_key(r)?);
                }
                DOCTYPE if r.peek_major() == Some(3) => doc_type = Some(DocTypeId::Name(r.text()?.into())),
                DOCTYPE => doc_type = Some(DocTypeId::Code(u16::try_from(r.uint()?).map_err(|_| invalid("doctype"))?)),
                STATUS => {
                    if r.array()? != 2 {
                        return Err(invalid("status"));
                    }
                    let list = u32::try_from(r.uint()?).map_err(|_| invalid("status"))?;
                    let index = u32::try_from(r.uint()?).map_err(|_| invalid("status"))?;
                    status = Some(StatusRef { list, index });
                }
                CLAIMS => {
                    // The structure is checked here; the values only in step 6,
                    // against the document type, which is not known yet.
                    let start = field.value_offset();
                    if r.int_map(|r, _| r.skip(claims::VALUE_DEPTH))? == 0 {
                        return Err(invalid("claims"));
                    }
                    claims = Some((r.slice(start, r.offset()), start));
                }
                DIGESTS => {
                    let count = r.array()?;
                    if count == 0 {
                        return Err(invalid("digests"));
                    }
                    for _ in 0..count {
                        let d_at = r.offset();
                        let d = r.bytes()?;
                        // Sorted and distinct, as issuers write them (§3.5).
                        if d.len() != DIGEST_LEN || digests.last().is_some_and(|prev: &&[u8]| *prev >= d) {
                            return Err(Malformed::at(MalformedKind::InvalidValue { field: "digests" }, d_at));
                        }
                        digests.push(d);
                    }
                }
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let expires = expires.ok_or(missing("exp"))?;
        let not_before = not_before.ok_or(missing("nbf"))?;
        if not_before >= expires {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "exp" }, start));
        }
        if issued_at.is_some_and(|iat| iat > expires) {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "iat" }, start));
        }
        Ok(Self {
            issuer: issuer.ok_or(missing("iss"))?,
            expires,
            not_before,
            issued_at,
            id,
            device_key: device_key.ok_or(missing("cnf"))?,
            doc_type: doc_type.ok_or(missing("doctype"))?,
            status,
            claims,
            digests,
        })
    }

    /// Codes of the plain claims, without decoding values.
    pub(crate) fn plain_codes(&self) -> Vec<u32> {
        let Some((raw, base)) = self.claims else { return Vec::new() };
        let r = &mut Reader::nested(raw, base);
        let mut codes = Vec::new();
        // The map was fully validated by `read`, so these reads cannot fail.
        for _ in 0..r.map().unwrap_or(0) {
            let (Ok(code), Ok(())) = (r.int(), r.skip(claims::VALUE_DEPTH)) else { break };
            codes.extend(u32::try_from(code).ok());
        }
        codes
    }
}

#[cfg(test)]
mod tests;
