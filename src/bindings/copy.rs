//! Printed copies at desks (SPEC.md §18): [`render_copy`] draws the copy a
//! desk's receipt records, as `nocard copy` does, and [`receipt_text`]
//! gives the `NCR1:` text a desk app shows or prints (SPEC.md §15.1).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::NocardError;
use crate::copy::{self, CopyError, CopyOptions, Font};
use crate::document::Registry;
use crate::keys::PublicKey;
use crate::receipt;

/// The file a copy is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CopyFormat {
    /// PDF 1.7, one page per card side (or one A4 sheet), text searchable.
    Pdf,
    /// One SVG image, the pages one above the other.
    Svg,
}

/// The paper a copy is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Paper {
    /// ID-1 (85.6 × 53.98 mm), the front and the back.
    Card,
    /// An A4 sheet with both sides at true size.
    A4,
}

/// Checks `receipt` (its bytes or its `NCR1:` text) against the desk public
/// COSE_Keys the caller trusts, then draws the copy it records as `format`
/// on `paper`, with `font` (a TrueType or OpenType file) or the bundled CJK
/// font. Refused: a receipt as [`verify_receipt`](super::verify_receipt)
/// refuses it, `CopyNeedsValues`, `CopyGlyphMissing`, `CopyDoesNotFit`,
/// `CopyReceiptTooLarge`, `CopyFontUnusable`, `InvalidKey`.
#[uniffi::export(default(font = None))]
pub fn render_copy(
    receipt: Vec<u8>,
    desk_keys: Vec<Vec<u8>>,
    format: CopyFormat,
    paper: Paper,
    font: Option<Vec<u8>>,
) -> Result<Vec<u8>, NocardError> {
    let keys = desk_keys.iter().map(|k| PublicKey::from_cose_key(k)).collect::<Result<Vec<_>, _>>()?;
    let mut options = CopyOptions::new(format.into(), paper.into());
    if let Some(font) = font {
        options = options.with_font(Font::from_bytes(font)?);
    }
    Ok(copy::render(&receipt, &keys, &Registry::builtin(), &options)?)
}

/// A receipt's `NCR1:` text (SPEC.md §15.1), what a printed copy's QR code
/// carries. It takes the bytes as they are: [`verify_receipt`](super::verify_receipt)
/// checks them.
#[uniffi::export]
pub fn receipt_text(receipt: Vec<u8>) -> String {
    receipt::to_text(&receipt)
}

impl From<CopyFormat> for copy::CopyFormat {
    fn from(format: CopyFormat) -> Self {
        match format {
            CopyFormat::Pdf => copy::CopyFormat::Pdf,
            CopyFormat::Svg => copy::CopyFormat::Svg,
        }
    }
}

impl From<Paper> for copy::Paper {
    fn from(paper: Paper) -> Self {
        match paper {
            Paper::Card => copy::Paper::Card,
            Paper::A4 => copy::Paper::A4,
        }
    }
}

impl From<CopyError> for NocardError {
    fn from(e: CopyError) -> Self {
        let code = String::from(e.code());
        let reason = e.to_string();
        match e {
            CopyError::Receipt(e) => e.into(),
            CopyError::DigestsOnly => NocardError::CopyNeedsValues { code, reason },
            CopyError::GlyphMissing(c) => NocardError::CopyGlyphMissing { code, reason, character: c.to_string() },
            CopyError::DoesNotFit => NocardError::CopyDoesNotFit { code, reason },
            CopyError::ReceiptTooLarge => NocardError::CopyReceiptTooLarge { code, reason },
            CopyError::FontUnusable => NocardError::CopyFontUnusable { code, reason },
        }
    }
}
