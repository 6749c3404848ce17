//! Document types: what each card or proof contains, and the claims' values.
//!
//! A [`DocType`] names a kind of document (resident ID card, driver's licence,
//! no-criminal-record proof, ...) and lists its claims, each with a small
//! integer code (what travels on the wire), a name (what people and the JSON
//! APIs use) and a [`ClaimType`]. The built-in types are in [`Registry::builtin`];
//! deployments add their own with [`DocType::custom`] without changing nocard.

mod date;
mod profile;
mod registry;

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

pub use date::{Date, InvalidDate};
pub use profile::Profile;
pub use registry::Registry;

/// The type of a claim's value, and how it is encoded (SPEC.md §3.4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimType {
    /// UTF-8 text (CBOR major type 3).
    Text,
    /// A calendar date: CBOR tag 100 over days since 1970-01-01 (RFC 8943 §2.2).
    Date,
    /// A signed integer (CBOR major types 0 and 1), e.g. a sex code of GB/T 2261.1.
    Integer,
    /// A yes/no answer (CBOR simple values 20/21).
    Bool,
    /// Raw bytes (CBOR major type 2), e.g. the SHA-256 digest of a photo.
    Bytes,
    /// A list of entries, each a map of scalar fields keyed by their codes
    /// (household members, kinship relations).
    Records(Cow<'static, [ClaimDef]>),
}

impl ClaimType {
    /// The type's name as used in JSON and SPEC.md.
    pub fn name(&self) -> &'static str {
        match self {
            ClaimType::Text => "text",
            ClaimType::Date => "date",
            ClaimType::Integer => "integer",
            ClaimType::Bool => "bool",
            ClaimType::Bytes => "bytes",
            ClaimType::Records(_) => "records",
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, ClaimType::Records(_))
    }
}

/// A claim computed by the issuer from other claims, so a scene that needs a
/// yes/no answer never sees the underlying value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Derivation {
    /// `true` when the `birth_date` claim is at least this many years before
    /// the credential's issue date. A `false` can become stale while the
    /// credential is valid; a `true` never does.
    AgeOver(u8),
}

/// One claim of a document type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimDef {
    /// Wire code, unique within the document type (or within a record).
    pub code: u32,
    /// Stable snake_case name.
    pub name: Cow<'static, str>,
    /// Value type.
    pub ty: ClaimType,
    /// Set when the issuer computes this claim instead of taking it as input.
    pub derived: Option<Derivation>,
}

impl ClaimDef {
    /// A claim the issuer takes as input.
    pub const fn new(code: u32, name: &'static str, ty: ClaimType) -> Self {
        Self { code, name: Cow::Borrowed(name), ty, derived: None }
    }

    /// A boolean claim the issuer derives.
    pub const fn derived(code: u32, name: &'static str, derivation: Derivation) -> Self {
        Self { code, name: Cow::Borrowed(name), ty: ClaimType::Bool, derived: Some(derivation) }
    }
}

/// Whether a document is a card (a licence or certificate held long-term) or a
/// proof (an extract issued for a purpose, usually short-lived).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// 证照: a card or licence.
    Card,
    /// 证明: an electronic proof.
    Proof,
}

/// How a document type is named on the wire.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocTypeId {
    /// A built-in type, by its registry code (one or two bytes on the wire).
    Code(u16),
    /// A custom type, by its name (e.g. `cn.zibo.visitor_pass`).
    Name(String),
}

impl fmt::Display for DocTypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocTypeId::Code(code) => write!(f, "#{code}"),
            DocTypeId::Name(name) => f.write_str(name),
        }
    }
}

/// A kind of document and its claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocType {
    code: Option<u16>,
    name: Cow<'static, str>,
    title: Cow<'static, str>,
    kind: DocKind,
    claims: Cow<'static, [ClaimDef]>,
}

/// Why a custom document type definition was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocTypeError {
    /// The name is empty, longer than 64 bytes, or not `[a-z0-9_.-]`.
    BadName,
    /// Two claims (or two fields of one record) share a code or a name.
    DuplicateClaim(String),
    /// A record field is itself a record; records hold scalars only.
    NestedRecords(String),
    /// A derived claim needs a `birth_date` date claim that the type lacks.
    MissingDerivationSource(String),
    /// No claims at all.
    NoClaims,
}

impl core::error::Error for DocTypeError {}

impl fmt::Display for DocTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocTypeError::BadName => f.write_str("document type name must be 1-64 bytes of [a-z0-9_.-]"),
            DocTypeError::DuplicateClaim(name) => write!(f, "claim code or name used twice: {name}"),
            DocTypeError::NestedRecords(name) => write!(f, "record field {name} is itself a record"),
            DocTypeError::MissingDerivationSource(name) => {
                write!(f, "derived claim {name} needs a birth_date date claim")
            }
            DocTypeError::NoClaims => f.write_str("a document type needs at least one claim"),
        }
    }
}

impl DocType {
    pub(crate) const fn builtin(
        code: u16,
        name: &'static str,
        title: &'static str,
        kind: DocKind,
        claims: &'static [ClaimDef],
    ) -> Self {
        Self {
            code: Some(code),
            name: Cow::Borrowed(name),
            title: Cow::Borrowed(title),
            kind,
            claims: Cow::Borrowed(claims),
        }
    }

    /// Defines a document type outside the built-in registry. It travels on the
    /// wire by name, so pick one that will not collide (a reversed domain works).
    pub fn custom(name: &str, title: &str, kind: DocKind, claims: Vec<ClaimDef>) -> Result<Self, DocTypeError> {
        let valid_name = !name.is_empty()
            && name.len() <= 64
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
        if !valid_name {
            return Err(DocTypeError::BadName);
        }
        let doc = Self {
            code: None,
            name: Cow::Owned(name.into()),
            title: Cow::Owned(title.into()),
            kind,
            claims: Cow::Owned(claims),
        };
        doc.check()?;
        Ok(doc)
    }

    /// Checks the invariants [`DocType::custom`] promises; the built-in
    /// registry is checked by a unit test.
    pub(crate) fn check(&self) -> Result<(), DocTypeError> {
        if self.claims.is_empty() {
            return Err(DocTypeError::NoClaims);
        }
        check_unique(&self.claims)?;
        for claim in self.claims.iter() {
            if let ClaimType::Records(fields) = &claim.ty {
                check_unique(fields)?;
                if let Some(nested) = fields.iter().find(|f| !f.ty.is_scalar()) {
                    return Err(DocTypeError::NestedRecords(nested.name.as_ref().into()));
                }
            }
            if claim.derived.is_some() && self.claim("birth_date").map(|c| &c.ty) != Some(&ClaimType::Date) {
                return Err(DocTypeError::MissingDerivationSource(claim.name.as_ref().into()));
            }
        }
        Ok(())
    }

    /// How this type is named on the wire.
    pub fn id(&self) -> DocTypeId {
        match self.code {
            Some(code) => DocTypeId::Code(code),
            None => DocTypeId::Name(self.name.as_ref().into()),
        }
    }

    /// Stable snake_case name, e.g. `resident_id_card`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Human title, English and Chinese.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Card or proof.
    pub fn kind(&self) -> DocKind {
        self.kind
    }

    /// The claims, in wire-code order.
    pub fn claims(&self) -> &[ClaimDef] {
        &self.claims
    }

    /// The claim with this name.
    pub fn claim(&self, name: &str) -> Option<&ClaimDef> {
        self.claims.iter().find(|c| c.name == name)
    }

    /// The claim with this wire code.
    pub fn claim_by_code(&self, code: u32) -> Option<&ClaimDef> {
        self.claims.iter().find(|c| c.code == code)
    }
}

fn check_unique(claims: &[ClaimDef]) -> Result<(), DocTypeError> {
    for (i, a) in claims.iter().enumerate() {
        if claims[..i].iter().any(|b| a.code == b.code || a.name == b.name) {
            return Err(DocTypeError::DuplicateClaim(a.name.as_ref().into()));
        }
    }
    Ok(())
}

/// A claim's value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimValue {
    /// See [`ClaimType::Text`].
    Text(String),
    /// See [`ClaimType::Date`].
    Date(Date),
    /// See [`ClaimType::Integer`].
    Integer(i64),
    /// See [`ClaimType::Bool`].
    Bool(bool),
    /// See [`ClaimType::Bytes`].
    Bytes(Vec<u8>),
    /// See [`ClaimType::Records`]: each entry lists its fields by name.
    Records(Vec<Vec<Claim>>),
}

impl ClaimValue {
    /// Whether this value has type `ty` (for records, recursively).
    pub fn has_type(&self, ty: &ClaimType) -> bool {
        match (self, ty) {
            (ClaimValue::Text(_), ClaimType::Text)
            | (ClaimValue::Date(_), ClaimType::Date)
            | (ClaimValue::Integer(_), ClaimType::Integer)
            | (ClaimValue::Bool(_), ClaimType::Bool)
            | (ClaimValue::Bytes(_), ClaimType::Bytes) => true,
            (ClaimValue::Records(entries), ClaimType::Records(fields)) => entries.iter().all(|entry| {
                entry.iter().all(|claim| {
                    fields.iter().any(|f| f.name == claim.name && f.ty.is_scalar() && claim.value.has_type(&f.ty))
                })
            }),
            _ => false,
        }
    }
}

/// A named claim value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The claim's name in its document type.
    pub name: Cow<'static, str>,
    /// Its value.
    pub value: ClaimValue,
}

impl Claim {
    /// A claim from a name and a value.
    pub fn new(name: impl Into<Cow<'static, str>>, value: ClaimValue) -> Self {
        Self { name: name.into(), value }
    }
}

impl DocType {
    /// Plausible sample claims for every input claim of this type (derived
    /// claims are left to the issuer): what `nocard doctypes --example`
    /// prints and what the demo and tests issue.
    pub fn example_claims(&self) -> Vec<Claim> {
        self.claims
            .iter()
            .filter(|def| def.derived.is_none())
            .map(|def| Claim { name: def.name.clone(), value: example_value(&def.name, &def.ty) })
            .collect()
    }
}

fn example_value(name: &str, ty: &ClaimType) -> ClaimValue {
    let date = |y, m, d| ClaimValue::Date(Date::from_ymd(y, m, d).expect("valid literal date"));
    let text = |t: &str| ClaimValue::Text(t.into());
    match (name, ty) {
        ("birth_date", _) => date(1990, 5, 17),
        ("valid_until" | "inspection_valid_until" | "insurance_valid_until", _) => date(2036, 5, 16),
        (_, ClaimType::Date) => date(2021, 5, 17),
        ("name", _) => text("王小明"),
        ("id_number", _) => text("330203199005170017"),
        ("ethnicity", _) => text("汉"),
        ("address", _) => text("浙江省宁波市海曙区中山西路1号"),
        ("issuing_authority", _) => text("宁波市公安局海曙分局"),
        ("nationality", _) => text("中国"),
        ("plate_number", _) => text("浙B12345"),
        ("licence_class", _) => text("C1"),
        ("vehicle_type", _) => text("小型普通客车"),
        (_, ClaimType::Text) => text("示例"),
        (_, ClaimType::Integer) => ClaimValue::Integer(1),
        (_, ClaimType::Bool) => ClaimValue::Bool(true),
        // SHA-256 of an empty photo: a stand-in of the right length.
        (_, ClaimType::Bytes) => ClaimValue::Bytes(
            [
                0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27,
                0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
            ]
            .to_vec(),
        ),
        (_, ClaimType::Records(fields)) => ClaimValue::Records(
            ["户主", "配偶"]
                .iter()
                .map(|relation| {
                    fields
                        .iter()
                        .filter(|f| f.ty.is_scalar())
                        .map(|f| {
                            let value = match f.name.as_ref() {
                                "relation" | "relation_to_head" => text(relation),
                                other => example_value(other, &f.ty),
                            };
                            Claim { name: f.name.clone(), value }
                        })
                        .collect()
                })
                .collect(),
        ),
    }
}
