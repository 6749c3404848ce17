//! Typed claim values across the boundary: the core's [`crate::document`]
//! values, one to one.

use alloc::string::String;
use alloc::vec::Vec;

use crate::document::{self, Date};
use crate::error::UsageError;

/// A named claim.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Claim {
    /// The claim's name in its document type.
    pub name: String,
    /// Its value.
    pub value: ClaimValue,
}

/// A claim's value, by its type.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ClaimValue {
    /// UTF-8 text.
    Text {
        /// The text.
        value: String,
    },
    /// A calendar date.
    Date {
        /// Year.
        year: i32,
        /// Month, 1-12.
        month: u8,
        /// Day, 1-31.
        day: u8,
    },
    /// A signed integer.
    Integer {
        /// The integer.
        value: i64,
    },
    /// Yes or no.
    Bool {
        /// The answer.
        value: bool,
    },
    /// Raw bytes.
    Bytes {
        /// The bytes.
        value: Vec<u8>,
    },
    /// A list of entries (household members, kinship relations), each a list
    /// of scalar fields.
    Records {
        /// The entries.
        entries: Vec<Vec<Field>>,
    },
}

/// A named field of a record entry.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// Its value.
    pub value: FieldValue,
}

/// A record field's value: the scalar claim types.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum FieldValue {
    /// UTF-8 text.
    Text {
        /// The text.
        value: String,
    },
    /// A calendar date.
    Date {
        /// Year.
        year: i32,
        /// Month, 1-12.
        month: u8,
        /// Day, 1-31.
        day: u8,
    },
    /// A signed integer.
    Integer {
        /// The integer.
        value: i64,
    },
    /// Yes or no.
    Bool {
        /// The answer.
        value: bool,
    },
    /// Raw bytes.
    Bytes {
        /// The bytes.
        value: Vec<u8>,
    },
}

impl From<document::Claim> for Claim {
    fn from(c: document::Claim) -> Self {
        let value = match c.value {
            document::ClaimValue::Text(value) => ClaimValue::Text { value },
            document::ClaimValue::Date(d) => {
                let (year, month, day) = d.ymd();
                ClaimValue::Date { year, month, day }
            }
            document::ClaimValue::Integer(value) => ClaimValue::Integer { value },
            document::ClaimValue::Bool(value) => ClaimValue::Bool { value },
            document::ClaimValue::Bytes(value) => ClaimValue::Bytes { value },
            document::ClaimValue::Records(entries) => ClaimValue::Records {
                entries: entries
                    .into_iter()
                    .map(|entry| entry.into_iter().filter_map(Field::from_core).collect())
                    .collect(),
            },
        };
        Claim { name: c.name.into_owned(), value }
    }
}

impl Field {
    /// Record fields are scalar by the document type's definition.
    fn from_core(c: document::Claim) -> Option<Self> {
        Some(Field { name: c.name.into_owned(), value: FieldValue::from_core(c.value)? })
    }
}

impl FieldValue {
    fn from_core(v: document::ClaimValue) -> Option<Self> {
        Some(match v {
            document::ClaimValue::Text(value) => FieldValue::Text { value },
            document::ClaimValue::Date(d) => {
                let (year, month, day) = d.ymd();
                FieldValue::Date { year, month, day }
            }
            document::ClaimValue::Integer(value) => FieldValue::Integer { value },
            document::ClaimValue::Bool(value) => FieldValue::Bool { value },
            document::ClaimValue::Bytes(value) => FieldValue::Bytes { value },
            document::ClaimValue::Records(_) => return None,
        })
    }

    fn into_core(self, name: &str) -> Result<document::ClaimValue, UsageError> {
        Ok(match self {
            FieldValue::Text { value } => document::ClaimValue::Text(value),
            FieldValue::Date { year, month, day } => document::ClaimValue::Date(
                Date::from_ymd(year, month, day).ok_or_else(|| UsageError::ClaimTypeMismatch(name.into()))?,
            ),
            FieldValue::Integer { value } => document::ClaimValue::Integer(value),
            FieldValue::Bool { value } => document::ClaimValue::Bool(value),
            FieldValue::Bytes { value } => document::ClaimValue::Bytes(value),
        })
    }
}

impl Claim {
    /// The core claim; an impossible date is the claim's type mismatch.
    pub(super) fn into_core(self) -> Result<document::Claim, UsageError> {
        let value = match self.value {
            ClaimValue::Records { entries } => document::ClaimValue::Records(
                entries
                    .into_iter()
                    .map(|entry| {
                        entry
                            .into_iter()
                            .map(|f| {
                                let value = f.value.into_core(&f.name)?;
                                Ok(document::Claim::new(f.name, value))
                            })
                            .collect::<Result<Vec<_>, UsageError>>()
                    })
                    .collect::<Result<_, _>>()?,
            ),
            ClaimValue::Text { value } => FieldValue::Text { value }.into_core(&self.name)?,
            ClaimValue::Date { year, month, day } => FieldValue::Date { year, month, day }.into_core(&self.name)?,
            ClaimValue::Integer { value } => FieldValue::Integer { value }.into_core(&self.name)?,
            ClaimValue::Bool { value } => FieldValue::Bool { value }.into_core(&self.name)?,
            ClaimValue::Bytes { value } => FieldValue::Bytes { value }.into_core(&self.name)?,
        };
        Ok(document::Claim::new(self.name, value))
    }
}
