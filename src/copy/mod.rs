//! Printed copies: what a clerk prints instead of photocopying the card
//! (SPEC.md §18).
//!
//! A scene module on top of receipts: [`render`] checks a desk's receipt
//! (SPEC.md §15.2) and draws the fields it records as a copy of the card,
//! front and back, at ID-1 size or on an A4 sheet, as SVG or PDF. A red
//! diagonal watermark names the purpose, the desk and the time, as the
//! Zibo and Ningbo programmes mark their copies; the back carries the
//! receipt itself as a QR code (`NCR1:` text, SPEC.md §15.1), so anyone
//! holding the desk's public key can check later that the copy is genuine
//! and what it was for.
//!
//! Text is drawn with a CJK font ([`Font`]; the bundled one is WenQuanYi
//! Micro Hei, Apache-2.0, assets/fonts/README.md). A PDF embeds the subset
//! of it the copy uses; an SVG carries each used glyph's outline. A
//! character the font lacks is refused ([`CopyError::GlyphMissing`]), never
//! printed as a blank box.

mod font;
mod labels;
mod layout;
mod pdf;
mod svg;
#[cfg(test)]
mod tests;

use alloc::format;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};

pub use font::{Font, MAX_FONT_BYTES};

use crate::document::Registry;
use crate::keys::PublicKey;
use crate::receipt::{self, Fields, Receipt, ReceiptError};

/// The file a copy is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyFormat {
    /// PDF 1.7, one page per card side (or one A4 sheet), text searchable.
    Pdf,
    /// One SVG image, the pages one above the other.
    Svg,
}

/// The paper a copy is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    /// ID-1 (85.6 × 53.98 mm), the front and the back.
    Card,
    /// An A4 sheet with both sides at true size, as a clerk photocopies a
    /// card, and the watermark across the sheet.
    A4,
}

/// How to draw a copy.
#[derive(Clone, Debug)]
pub struct CopyOptions {
    format: CopyFormat,
    paper: Paper,
    font: Font,
}

impl CopyOptions {
    /// `format` on `paper`, with the bundled font.
    pub fn new(format: CopyFormat, paper: Paper) -> Self {
        Self { format, paper, font: Font::default() }
    }

    /// Draws with `font` instead (already checked by [`Font::from_bytes`]).
    pub fn with_font(self, font: Font) -> Self {
        Self { font, ..self }
    }
}

/// Checks `receipt` (its bytes or its `NCR1:` text) against the desk keys
/// the caller trusts, then draws the copy it records.
pub fn render(
    receipt: &[u8],
    desk_keys: &[PublicKey],
    registry: &Registry,
    options: &CopyOptions,
) -> Result<Vec<u8>, CopyError> {
    let bytes = receipt::from_text_or_bytes(receipt)?;
    let checked = Receipt::verify(&bytes, desk_keys, registry)?;
    let Fields::Values(claims) = &checked.fields else {
        return Err(CopyError::DigestsOnly);
    };
    let doc = registry.by_name(&checked.doc_type).ok_or(ReceiptError::UnknownDocType)?;
    let digest = Sha256::digest(&bytes);
    let fingerprint =
        digest[..8].chunks(2).map(|pair| format!("{:02x}{:02x}", pair[0], pair[1])).collect::<Vec<_>>().join(" ");
    let receipt_text = receipt::to_text(&bytes);
    let content = layout::Content {
        receipt: &checked,
        doc,
        claims,
        receipt_text: &receipt_text,
        receipt_fingerprint: &fingerprint,
    };
    let pages = layout::pages(&content, options.paper, &options.font)?;
    match options.format {
        CopyFormat::Svg => Ok(svg::render(&pages, &options.font)),
        CopyFormat::Pdf => pdf::render(&pages, &options.font, doc.title()),
    }
}

/// Why no copy was drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CopyError {
    /// The receipt was refused (SPEC.md §15.2): the copy would vouch for
    /// nothing.
    Receipt(ReceiptError),
    /// The receipt keeps only digests of the fields (SPEC.md §15.1): there
    /// is nothing to print.
    DigestsOnly,
    /// The font has no glyph for this character.
    GlyphMissing(char),
    /// The fields do not fit the card even at the smallest text size.
    DoesNotFit,
    /// The receipt is too large for the QR code a card can carry.
    ReceiptTooLarge,
    /// Not a font a copy can be drawn with: not TrueType or OpenType, no
    /// Unicode `cmap` or no outlines, more than [`MAX_FONT_BYTES`], or one
    /// the PDF subsetter cannot read.
    FontUnusable,
}

impl CopyError {
    /// The stable code (SPEC.md §18.3); for a refused receipt, the
    /// receipt's own code.
    pub fn code(&self) -> &'static str {
        match self {
            CopyError::Receipt(error) => error.code(),
            CopyError::DigestsOnly => "copy_needs_values",
            CopyError::GlyphMissing(_) => "copy_glyph_missing",
            CopyError::DoesNotFit => "copy_does_not_fit",
            CopyError::ReceiptTooLarge => "copy_receipt_too_large",
            CopyError::FontUnusable => "copy_font_unusable",
        }
    }
}

impl fmt::Display for CopyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CopyError::Receipt(error) => write!(f, "receipt refused: {error}"),
            CopyError::DigestsOnly => f.write_str("the receipt keeps only digests of the fields; a copy needs values"),
            CopyError::GlyphMissing(ch) => write!(f, "the font has no glyph for {ch:?} (U+{:04X})", u32::from(*ch)),
            CopyError::DoesNotFit => f.write_str("the fields do not fit on the card"),
            CopyError::ReceiptTooLarge => f.write_str("the receipt is too large for the card's QR code"),
            CopyError::FontUnusable => f.write_str("not a TrueType or OpenType font with a Unicode cmap and outlines"),
        }
    }
}

impl core::error::Error for CopyError {}

impl From<ReceiptError> for CopyError {
    fn from(error: ReceiptError) -> Self {
        CopyError::Receipt(error)
    }
}
