//! Receipts at desks (SPEC.md §15.1-15.3): a desk verifies a code and
//! signs a receipt of it with its own key; an auditor checks receipts
//! offline against the desk keys it trusts.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{Claim, NocardError, Verification, Verifier};
use crate::document::{Profile, Registry};
use crate::keys::{PublicKey, SecretKey};
use crate::receipt::{Fields, Minimise, Receipt, ReceiptError, from_text_or_bytes};

/// A desk's receipt key and what its receipts say: its unit id, the
/// scene's profile, and whether they keep the disclosed values or only
/// their digests. The secret key is zeroed when the desk is dropped.
#[derive(uniffi::Object)]
pub struct ReceiptDesk {
    key: SecretKey,
    unit: String,
    purpose: Option<Profile>,
    minimise: Minimise,
}

#[uniffi::export]
impl ReceiptDesk {
    /// A desk from its secret COSE_Key, its unit id (1-64 bytes), its
    /// profile name (or none) and its data-minimisation choice (`digests`:
    /// keep only a digest of each field). Refused when made: a bad key
    /// (`InvalidKey`), an unknown profile (`InvalidConfig`), a unit id out
    /// of range (`Usage`).
    #[uniffi::constructor]
    pub fn new(
        desk_key: Vec<u8>,
        unit: String,
        profile: Option<String>,
        digests: bool,
    ) -> Result<Arc<Self>, NocardError> {
        if unit.is_empty() || unit.len() > crate::receipt::MAX_UNIT_LEN {
            return Err(crate::error::Error::from(crate::error::UsageError::UnitId).into());
        }
        let purpose = match profile {
            Some(name) => Some(
                name.parse::<Profile>()
                    .map_err(|_| crate::error::Error::from(crate::error::ConfigError::UnknownProfile(name.clone())))?,
            ),
            None => None,
        };
        let key = SecretKey::from_cose_key(&desk_key).map_err(crate::error::Error::from)?;
        let minimise = if digests { Minimise::Digests } else { Minimise::Values };
        Ok(Arc::new(Self { key, unit, purpose, minimise }))
    }

    /// The desk's public COSE_Key, for the auditors who check its receipts.
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key().to_cose_key()
    }
}

/// A verified code and the desk's receipt of it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptedVerification {
    /// What the verifier saw.
    pub verification: Verification,
    /// The receipt's bytes, to keep (a file, a visitor log).
    pub receipt: Vec<u8>,
}

/// A receipt as an auditor reads it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptInfo {
    /// The desk key that signed it, lowercase hex.
    pub desk_key_id: String,
    /// The desk's unit id.
    pub unit: String,
    /// When the desk accepted the code (its clock, Unix seconds).
    pub time: u64,
    /// Document type name.
    pub doc_type: String,
    /// The credential's issuer.
    pub issuer: String,
    /// The issuer key id, lowercase hex.
    pub issuer_key_id: String,
    /// The presentation id (32 bytes).
    pub presentation_id: Vec<u8>,
    /// The scene's profile, if any.
    pub purpose: Option<String>,
    /// The disclosed values (empty for a digest receipt).
    pub values: Vec<Claim>,
    /// Each field's name and 32-byte digest (empty for a value receipt).
    pub digests: Vec<FieldDigest>,
}

/// One field of a digest receipt.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct FieldDigest {
    /// The claim's name.
    pub name: String,
    /// SHA-256 of the presentation id, the claim code and the value (SPEC.md §15.1).
    pub digest: Vec<u8>,
}

#[uniffi::export]
impl Verifier {
    /// Verifies a scanned `NC1:` text at `now` as [`Verifier::verify`] does
    /// and, if it is valid, signs the desk's receipt of it at `now`.
    pub fn verify_with_receipt(
        &self,
        text: String,
        now: u64,
        desk: Arc<ReceiptDesk>,
    ) -> Result<ReceiptedVerification, NocardError> {
        let (verified, trust) = self.verified(&text, now)?;
        let signed =
            Receipt::issue(&verified, &Registry::builtin(), &desk.key, &desk.unit, now, desk.purpose, desk.minimise)?;
        Ok(ReceiptedVerification { verification: Verification::new(verified, trust), receipt: signed.bytes })
    }
}

/// Checks a receipt offline against the desk public COSE_Keys the auditor
/// trusts (SPEC.md §15.2). `receipt` is its bytes or its `NCR1:` text
/// (SPEC.md §15.1, as UTF-8 bytes), e.g. as scanned off a printed copy.
/// Refused: `NotAReceipt`, `ReceiptUnknownDeskKey`, `ReceiptBadSignature`,
/// `Malformed`, `UnsupportedVersion` (an `NCR2:` text), `UnknownDocType`,
/// `InvalidKey`.
#[uniffi::export]
pub fn verify_receipt(receipt: Vec<u8>, desk_keys: Vec<Vec<u8>>) -> Result<ReceiptInfo, NocardError> {
    let keys = desk_keys
        .iter()
        .map(|k| PublicKey::from_cose_key(k).map_err(crate::error::Error::from))
        .collect::<Result<Vec<_>, _>>()?;
    let receipt = from_text_or_bytes(&receipt)?;
    let r = Receipt::verify(&receipt, &keys, &Registry::builtin())?;
    let (values, digests) = match r.fields {
        Fields::Values(claims) => (claims.into_iter().map(Claim::from).collect(), Vec::new()),
        Fields::Digests(digests) => {
            (Vec::new(), digests.into_iter().map(|(name, d)| FieldDigest { name, digest: d.to_vec() }).collect())
        }
    };
    Ok(ReceiptInfo {
        desk_key_id: r.desk_key_id.to_string(),
        unit: r.unit,
        time: r.time,
        doc_type: r.doc_type,
        issuer: r.issuer,
        issuer_key_id: r.issuer_key_id.to_string(),
        presentation_id: r.presentation_id.to_vec(),
        purpose: r.purpose.map(|p| p.name().into()),
        values,
        digests,
    })
}

impl From<ReceiptError> for NocardError {
    fn from(e: ReceiptError) -> Self {
        let code = String::from(e.code());
        let reason = alloc::string::ToString::to_string(&e);
        match e {
            ReceiptError::Malformed(m) => crate::error::Error::Malformed(m).into(),
            ReceiptError::NotAReceipt => NocardError::NotAReceipt { code, reason },
            ReceiptError::UnknownDeskKey { kid } => {
                NocardError::ReceiptUnknownDeskKey { code, reason, key_id: kid.to_string() }
            }
            ReceiptError::BadSignature => NocardError::ReceiptBadSignature { code, reason },
            ReceiptError::UnknownDocType => crate::error::Error::UnknownDocType.into(),
            ReceiptError::Usage(u) => crate::error::Error::Usage(u).into(),
            ReceiptError::UnsupportedVersion { found } => crate::error::Error::UnsupportedVersion { found }.into(),
        }
    }
}
