//! The font a copy is drawn with: character to glyph, advances and outlines
//! (skrifa), and the subset a PDF embeds (subsetter).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, GlyphId, MetadataProvider};

use super::CopyError;

/// The bundled font: WenQuanYi Micro Hei, subset to ASCII, GB 2312 and the
/// CJK Unified Ideographs block (assets/fonts/README.md: provenance and
/// licence).
const BUNDLED: &[u8] = include_bytes!("../../assets/fonts/WenQuanYiMicroHei-nocard.ttf");

/// Largest font file [`Font::from_bytes`] takes: a full CJK font with every
/// ideograph extension fits.
pub const MAX_FONT_BYTES: usize = 32 * 1024 * 1024;

/// A TrueType or OpenType font with the tables a copy needs.
#[derive(Clone)]
pub struct Font {
    data: Cow<'static, [u8]>,
    units_per_em: f32,
}

impl core::fmt::Debug for Font {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Font").field("bytes", &self.data.len()).finish()
    }
}

impl Default for Font {
    fn default() -> Self {
        Self::checked(Cow::Borrowed(BUNDLED)).expect("the bundled font is checked by a unit test")
    }
}

impl Font {
    /// A font of the caller's (a desk with a fuller CJK font). It is refused
    /// here, not at the first copy, when it is not a single font with a
    /// Unicode `cmap`, advances and outlines.
    pub fn from_bytes(data: Vec<u8>) -> Result<Self, CopyError> {
        if data.len() > MAX_FONT_BYTES {
            return Err(CopyError::FontUnusable);
        }
        Self::checked(Cow::Owned(data))
    }

    fn checked(data: Cow<'static, [u8]>) -> Result<Self, CopyError> {
        let font = FontRef::new(&data).map_err(|_| CopyError::FontUnusable)?;
        let units_per_em = font.head().map_err(|_| CopyError::FontUnusable)?.units_per_em();
        let probe = font.charmap().map('0').ok_or(CopyError::FontUnusable)?;
        if units_per_em == 0 || font.outline_glyphs().get(probe).is_none() {
            return Err(CopyError::FontUnusable);
        }
        Ok(Self { data, units_per_em: f32::from(units_per_em) })
    }

    fn face(&self) -> FontRef<'_> {
        FontRef::new(&self.data).expect("checked when the font was made")
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.data
    }

    pub(super) fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Lays out `text` left to right, one glyph per character, at `size` (in
    /// the page's unit). A character the font lacks is refused: a copy never
    /// prints a blank box in a name.
    pub(super) fn shape(&self, text: &str, size: f32) -> Result<Vec<PlacedGlyph>, CopyError> {
        let face = self.face();
        let charmap = face.charmap();
        let metrics = face.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut x = 0.0;
        let mut glyphs = Vec::with_capacity(text.chars().count());
        for ch in text.chars() {
            let id = charmap.map(ch).ok_or(CopyError::GlyphMissing(ch))?;
            let advance = metrics.advance_width(id).unwrap_or(0.0) * size / self.units_per_em;
            glyphs.push(PlacedGlyph { id: id.to_u32() as u16, ch, x, advance });
            x += advance;
        }
        Ok(glyphs)
    }

    /// The glyph's outline as SVG path data in font units, y up.
    pub(super) fn outline_path(&self, id: u16) -> String {
        let mut pen = SvgPen(String::new());
        if let Some(glyph) = self.face().outline_glyphs().get(GlyphId::new(u32::from(id))) {
            // A glyph that fails to draw prints as nothing; shape() only
            // places glyphs the cmap names, so this is a broken font table.
            let _ = glyph.draw(DrawSettings::unhinted(Size::unscaled(), LocationRef::default()), &mut pen);
        }
        pen.0
    }

    /// The glyph's advance in font units.
    pub(super) fn advance_units(&self, id: u16) -> f32 {
        let metrics = self.face().glyph_metrics(Size::unscaled(), LocationRef::default());
        metrics.advance_width(GlyphId::new(u32::from(id))).unwrap_or(0.0)
    }

    /// Ascent and descent (negative) in font units, for the PDF descriptor.
    pub(super) fn vertical_metrics(&self) -> (f32, f32) {
        let metrics = self.face().metrics(Size::unscaled(), LocationRef::default());
        (metrics.ascent, metrics.descent)
    }
}

/// One glyph of a line, `x` from the line's start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PlacedGlyph {
    pub id: u16,
    pub ch: char,
    pub x: f32,
    pub advance: f32,
}

struct SvgPen(String);

impl OutlinePen for SvgPen {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{x} {y}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{x} {y}");
    }
    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{cx} {cy} {x} {y}");
    }
    fn curve_to(&mut self, c1x: f32, c1y: f32, c2x: f32, c2y: f32, x: f32, y: f32) {
        let _ = write!(self.0, "C{c1x} {c1y} {c2x} {c2y} {x} {y}");
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}
