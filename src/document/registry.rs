//! The built-in document types: the 21 cards and 7 proofs of the no-card
//! programmes (CONTEXT.md), and the registry verifiers look types up in.

use alloc::vec::Vec;

use super::ClaimType::{Bool, Bytes, Date, Integer, Records, Text};
use super::Derivation::AgeOver;
use super::DocKind::{Card, Proof};
use super::{ClaimDef, DocType, DocTypeError, DocTypeId};

const fn c(code: u32, name: &'static str, ty: super::ClaimType) -> ClaimDef {
    ClaimDef::new(code, name, ty)
}

/// 居民身份证. Codes 1-4 are the hotel view; keep them below 24 (one byte).
const RESIDENT_ID_CARD: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "ethnicity", Text),
    c(6, "address", Text),
    c(7, "issuing_authority", Text),
    c(8, "valid_from", Date),
    c(9, "valid_until", Date),
    c(10, "photo_digest", Bytes),
    ClaimDef::derived(11, "age_over_16", AgeOver(16)),
    ClaimDef::derived(12, "age_over_18", AgeOver(18)),
];

/// Every built-in type, by code.
const BUILTIN: &[DocType] = &[
    DocType::builtin(1, "resident_id_card", "Resident identity card 居民身份证", Card, RESIDENT_ID_CARD),
];

/// The document types a verifier or issuer knows.
#[derive(Clone, Debug)]
pub struct Registry {
    types: Vec<DocType>,
}

impl Registry {
    /// The built-in types only.
    pub fn builtin() -> Self {
        Self { types: BUILTIN.to_vec() }
    }

    /// Adds a custom type; refused if its name is already taken.
    pub fn add(&mut self, doc: DocType) -> Result<(), DocTypeError> {
        if self.by_name(doc.name()).is_some() {
            return Err(DocTypeError::BadName);
        }
        self.types.push(doc);
        Ok(())
    }

    /// All types, built-in first.
    pub fn types(&self) -> &[DocType] {
        &self.types
    }

    /// The type with this stable name.
    pub fn by_name(&self, name: &str) -> Option<&DocType> {
        self.types.iter().find(|d| d.name() == name)
    }

    /// The type with this wire id.
    pub fn get(&self, id: &DocTypeId) -> Option<&DocType> {
        match id {
            DocTypeId::Code(code) => self.types.iter().find(|d| d.code == Some(*code)),
            DocTypeId::Name(name) => self.types.iter().find(|d| d.code.is_none() && d.name() == name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_types_are_well_formed() {
        for (i, doc) in BUILTIN.iter().enumerate() {
            assert_eq!(doc.check(), Ok(()), "{}", doc.name());
            assert!(BUILTIN[..i].iter().all(|d| d.code != doc.code && d.name() != doc.name()), "{}", doc.name());
        }
    }
}
