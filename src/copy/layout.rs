//! Where everything goes on a copy, in millimetres from the top left, y
//! down. The renderers (svg.rs, pdf.rs) only translate this model.

use super::font::{Font, PlacedGlyph};
use super::labels::{beijing_time, claim_label, purpose_label, value_text};
use super::{CopyError, Paper};
use crate::document::{Claim, DocType};
use crate::qr::{EcLevel, QrMatrix};
use crate::receipt::Receipt;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

/// ID-1 (ISO/IEC 7810), the size of a resident identity card.
pub(super) const CARD_WIDTH: f32 = 85.6;
pub(super) const CARD_HEIGHT: f32 = 53.98;
const A4_WIDTH: f32 = 210.0;
const A4_HEIGHT: f32 = 297.0;

const MARGIN: f32 = 4.0;
/// The receipt's QR code, quiet zone included, on the back of the card.
const QR_SIDE: f32 = 38.0;
/// The largest QR code a copy prints: at 38 mm, version 25 (117 modules
/// and the quiet zone) has modules of 0.31 mm, still read from a 300 dpi
/// print.
const MAX_QR_VERSION: u8 = 25;

/// Smallest scale a card's text shrinks to before the copy is refused.
const MIN_SCALE: f32 = 0.7;

pub(super) const INK: Colour = Colour(0.1, 0.1, 0.12);
const LABEL: Colour = Colour(0.38, 0.38, 0.42);
const WATERMARK: Colour = Colour(0.78, 0.08, 0.08);
/// Light enough to read the fields through, dark enough to survive a
/// photocopier.
pub(super) const WATERMARK_OPACITY: f32 = 0.3;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Colour(pub f32, pub f32, pub f32);

/// One page (PDF) or one panel of the SVG.
pub(super) struct Page {
    pub width: f32,
    pub height: f32,
    /// Drawn first, under the cards.
    pub items: Vec<Item>,
    /// Each card side at its top-left corner, clipped to the card.
    pub cards: Vec<(f32, f32, Vec<Item>)>,
}

impl Page {
    /// Every line of text on the page, the cards' included.
    pub fn text_runs(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().chain(self.cards.iter().flat_map(|(_, _, items)| items)).filter_map(|item| match item {
            Item::Text(run) => Some(run),
            _ => None,
        })
    }
}

pub(super) enum Item {
    Text(TextRun),
    /// A card's outline: rounded corners, white fill, a grey edge.
    CardOutline,
    /// A receipt's QR code on a white square, quiet zone included.
    Qr {
        x: f32,
        y: f32,
        side: f32,
        code: QrMatrix,
    },
}

/// One line of text: `glyphs` from (x, y) on the baseline, turned
/// `angle` degrees anticlockwise about that point.
pub(super) struct TextRun {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub angle: f32,
    pub colour: Colour,
    pub opacity: f32,
    pub glyphs: Vec<PlacedGlyph>,
}

/// What goes on a copy, read from a verified receipt.
pub(super) struct Content<'a> {
    pub receipt: &'a Receipt,
    pub doc: &'a DocType,
    pub claims: &'a [Claim],
    /// The receipt's text form, for its QR code.
    pub receipt_text: &'a str,
    /// The first bytes of the receipt's SHA-256, in hex.
    pub receipt_fingerprint: &'a str,
}

pub(super) fn pages(content: &Content<'_>, paper: Paper, font: &Font) -> Result<Vec<Page>, CopyError> {
    let front = card_front(content, font)?;
    let back = card_back(content, font)?;
    let watermark_text = watermark_text(content.receipt);
    Ok(match paper {
        Paper::Card => [front, back]
            .into_iter()
            .map(|side| Page {
                width: CARD_WIDTH,
                height: CARD_HEIGHT,
                items: Vec::new(),
                cards: vec![(0.0, 0.0, side)],
            })
            .collect(),
        Paper::A4 => {
            // Both sides at true size, as a clerk photocopies a card, with
            // the purpose across the whole sheet.
            let x = (A4_WIDTH - CARD_WIDTH) / 2.0;
            let mut items = watermark(&watermark_text, A4_WIDTH, A4_HEIGHT, 6.0, font)?;
            items.push(Item::Text(run(
                font,
                "电子证照打印件 Printed copy of an electronic credential",
                20.0,
                30.0,
                5.0,
                INK,
            )?));
            items.push(Item::Text(run(font, content.doc.title(), 20.0, 38.0, 3.5, LABEL)?));
            let notes = [
                "本件由核验单位根据其签名的核验回执打印，仅供所载用途使用。",
                "This copy was printed by the verifying desk from its signed receipt, for the stated purpose only.",
                "核验方法：扫描背面二维码，以 nocard receipt verify 及该单位公钥核验回执。",
                "To check it: scan the QR code on the back and run nocard receipt verify with the desk's public key.",
            ];
            for (i, note) in notes.iter().enumerate() {
                items.push(Item::Text(run(font, note, 20.0, 200.0 + 6.0 * i as f32, 2.8, LABEL)?));
            }
            let cards = vec![(x, 55.0, front), (x, 125.0, back)];
            vec![Page { width: A4_WIDTH, height: A4_HEIGHT, items, cards }]
        }
    })
}

/// The front: the document title and each disclosed field, labelled as on
/// the paper card, with the watermark over them so it cannot be cut away.
fn card_front(content: &Content<'_>, font: &Font) -> Result<Vec<Item>, CopyError> {
    let mut scale = 1.0;
    loop {
        match front_at(content, font, scale)? {
            Some(items) => return Ok(items),
            None if scale - 0.1 >= MIN_SCALE - f32::EPSILON => scale -= 0.1,
            None => return Err(CopyError::DoesNotFit),
        }
    }
}

/// The front at `scale`, or `None` when its fields overflow the card.
fn front_at(content: &Content<'_>, font: &Font, scale: f32) -> Result<Option<Vec<Item>>, CopyError> {
    let mut items = vec![Item::CardOutline];
    let title = fit(font, content.doc.title(), 3.0 * scale, CARD_WIDTH - 2.0 * MARGIN)?;
    items.push(Item::Text(TextRun { x: MARGIN, y: MARGIN + 3.2, ..title }));

    let label_size = 2.0 * scale;
    let value_size = 2.5 * scale;
    let line_height = value_size * 1.35;
    let mut label_width: f32 = 0.0;
    for claim in content.claims {
        label_width = label_width.max(width(&font.shape(claim_label(&claim.name), label_size)?));
    }
    let value_x = MARGIN + label_width.min(26.0) + 2.0;
    let value_width = CARD_WIDTH - MARGIN - value_x;
    let mut y = MARGIN + 9.0 * scale;
    for claim in content.claims {
        let lines = wrap(font, &value_text(claim), value_size, value_width)?;
        let label_lines = wrap(font, claim_label(&claim.name), label_size, value_x - MARGIN - 1.0)?;
        let rows = lines.len().max(label_lines.len());
        if y + rows as f32 * line_height > CARD_HEIGHT - MARGIN + 1.0 {
            return Ok(None);
        }
        for (i, glyphs) in label_lines.into_iter().enumerate() {
            let line_y = y + i as f32 * line_height;
            items.push(Item::Text(placed(glyphs, MARGIN, line_y, label_size, LABEL)));
        }
        for (i, glyphs) in lines.into_iter().enumerate() {
            let line_y = y + i as f32 * line_height;
            items.push(Item::Text(placed(glyphs, value_x, line_y, value_size, INK)));
        }
        y += rows as f32 * line_height + 0.6 * scale;
    }
    items.extend(watermark(&watermark_text(content.receipt), CARD_WIDTH, CARD_HEIGHT, 2.6, font)?);
    Ok(Some(items))
}

/// The back: the receipt's QR code, and what the receipt says in words.
fn card_back(content: &Content<'_>, font: &Font) -> Result<Vec<Item>, CopyError> {
    let receipt = content.receipt;
    let code = QrMatrix::encode(content.receipt_text, EcLevel::M).map_err(|_| CopyError::ReceiptTooLarge)?;
    if code.version() > MAX_QR_VERSION {
        return Err(CopyError::ReceiptTooLarge);
    }
    // The watermark goes under the QR code: a code covered in red ink
    // would not scan.
    let mut items = vec![Item::CardOutline];
    items.extend(watermark(&watermark_text(receipt), CARD_WIDTH, CARD_HEIGHT, 2.6, font)?);
    items.push(Item::Text(run(font, "核验回执 Verification receipt", MARGIN, MARGIN + 2.6, 2.6, INK)?));
    let qr_y = MARGIN + 5.0;
    items.push(Item::Qr { x: MARGIN - 1.0, y: qr_y, side: QR_SIDE, code });

    let x = MARGIN + QR_SIDE + 1.0;
    let width = CARD_WIDTH - MARGIN - x;
    let issuer = format!("{} ({})", receipt.issuer, receipt.issuer_key_id);
    let time = beijing_time(receipt.time);
    let purpose = purpose_label(receipt.purpose);
    let rows: [(&str, &str); 5] = [
        ("核验单位 desk", &receipt.unit),
        ("核验时间 time", &time),
        ("用途 purpose", &purpose),
        ("签发机关 issuer", &issuer),
        ("回执指纹 receipt", content.receipt_fingerprint),
    ];
    let mut y = qr_y + 2.5;
    for (label, value) in rows {
        items.push(Item::Text(placed(fit(font, label, 1.8, width)?.glyphs, x, y, 1.8, LABEL)));
        y += 2.4;
        for glyphs in wrap(font, value, 2.1, width)? {
            items.push(Item::Text(placed(glyphs, x, y, 2.1, INK)));
            y += 2.6;
        }
        y += 0.6;
    }
    if y > CARD_HEIGHT - 5.0 {
        return Err(CopyError::DoesNotFit);
    }
    let footer = fit(font, "电子证照打印件 · 扫码核验 · Printed copy: scan to check", 1.8, CARD_WIDTH - 2.0 * MARGIN)?;
    items.push(Item::Text(TextRun { x: MARGIN, y: CARD_HEIGHT - 2.2, colour: LABEL, ..footer }));
    Ok(items)
}

/// `仅供<purpose>使用 <desk> <time>`: what the copy was for, who made it
/// and when (the Ningbo platform's watermark names the same three).
fn watermark_text(receipt: &Receipt) -> String {
    format!("仅供 {} 使用 · {} · {}", purpose_label(receipt.purpose), receipt.unit, beijing_time(receipt.time))
}

/// Diagonal lines of `text` across a `width` × `height` area, rising left
/// to right, spaced so that any strip a forger cuts out still carries one.
fn watermark(text: &str, width: f32, height: f32, size: f32, font: &Font) -> Result<Vec<Item>, CopyError> {
    const ANGLE: f32 = 25.0;
    let glyphs = font.shape(&format!("{text}   {text}   {text}   "), size)?;
    let spacing = size * 5.0;
    let (sin, cos) = ANGLE.to_radians().sin_cos();
    // Each line starts at the left edge, so each begins legibly with
    // 仅供; rising, the lines down to the last cover the lower corner.
    let lines = ((height + width * sin / cos) / spacing).ceil() as usize + 1;
    Ok((0..lines)
        .map(|i| {
            Item::Text(TextRun {
                x: 1.0,
                y: (i as f32 + 0.5) * spacing,
                size,
                angle: ANGLE,
                colour: WATERMARK,
                opacity: WATERMARK_OPACITY,
                glyphs: glyphs.clone(),
            })
        })
        .collect())
}

fn placed(glyphs: Vec<PlacedGlyph>, x: f32, y: f32, size: f32, colour: Colour) -> TextRun {
    TextRun { x, y, size, angle: 0.0, colour, opacity: 1.0, glyphs }
}

fn run(font: &Font, text: &str, x: f32, y: f32, size: f32, colour: Colour) -> Result<TextRun, CopyError> {
    Ok(placed(font.shape(text, size)?, x, y, size, colour))
}

/// `text` on one line at `size`, or smaller until it fits `max_width`.
fn fit(font: &Font, text: &str, size: f32, max_width: f32) -> Result<TextRun, CopyError> {
    let glyphs = font.shape(text, size)?;
    let natural = width(&glyphs);
    if natural <= max_width {
        return Ok(placed(glyphs, 0.0, 0.0, size, INK));
    }
    let smaller = size * max_width / natural;
    if smaller < size * MIN_SCALE {
        return Err(CopyError::DoesNotFit);
    }
    Ok(placed(font.shape(text, smaller)?, 0.0, 0.0, smaller, INK))
}

fn width(glyphs: &[PlacedGlyph]) -> f32 {
    glyphs.last().map_or(0.0, |g| g.x + g.advance)
}

/// Breaks `text` into lines no wider than `max_width`, between any two
/// characters (Chinese has no spaces to break at; numbers and ids are
/// better broken than shrunk).
fn wrap(font: &Font, text: &str, size: f32, max_width: f32) -> Result<Vec<Vec<PlacedGlyph>>, CopyError> {
    let mut lines: Vec<Vec<PlacedGlyph>> = vec![Vec::new()];
    let mut start = 0.0;
    for glyph in font.shape(text, size)? {
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && glyph.x + glyph.advance - start > max_width {
            start = glyph.x;
            lines.push(Vec::new());
        }
        lines.last_mut().expect("never empty").push(PlacedGlyph { x: glyph.x - start, ..glyph });
    }
    Ok(lines)
}
