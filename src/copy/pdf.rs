//! A copy as a PDF: one page per side (or one A4 sheet), the text in the
//! font subset the copy uses, embedded as a CID-keyed TrueType font
//! (ISO 32000-1 §9.7) with a `ToUnicode` map, so the copy's text can be
//! searched and copied out as well as read.

use alloc::vec::Vec;
use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::CopyError;
use super::font::Font;
use super::layout::{CARD_HEIGHT, CARD_WIDTH, Colour, Item, Page, TextRun, WATERMARK_OPACITY};

/// Points per millimetre.
const PT: f32 = 72.0 / 25.4;
const FONT: Name<'static> = Name(b"F0");
const TRANSLUCENT: Name<'static> = Name(b"Gw");
/// The base font name: a subset tag (six capitals, ISO 32000-1 §9.6.4)
/// and the family.
const BASE_FONT: Name<'static> = Name(b"NOCARD+WenQuanYiMicroHei");

pub(super) fn render(pages: &[Page], font: &Font, title: &str) -> Result<Vec<u8>, CopyError> {
    let mut remapper = GlyphRemapper::new();
    let mut chars = Vec::new();
    for run in pages.iter().flat_map(Page::text_runs) {
        for glyph in &run.glyphs {
            let cid = remapper.remap(glyph.id);
            if usize::from(cid) >= chars.len() {
                chars.resize(usize::from(cid) + 1, None);
                chars[usize::from(cid)] = Some((glyph.id, glyph.ch));
            }
        }
    }
    let subset = subsetter::subset(font.bytes(), 0, &remapper).map_err(|_| CopyError::FontUnusable)?;

    let mut next = 1;
    let mut new_ref = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree, info) = (new_ref(), new_ref(), new_ref());
    let (type0, cid_font, descriptor, cmap, file, translucent) =
        (new_ref(), new_ref(), new_ref(), new_ref(), new_ref(), new_ref());
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (new_ref(), new_ref())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().map(|(page, _)| *page)).count(page_refs.len() as i32);
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("nocard"));

    for (page, (page_ref, content_ref)) in pages.iter().zip(&page_refs) {
        let mut writer = pdf.page(*page_ref);
        writer.media_box(Rect::new(0.0, 0.0, page.width * PT, page.height * PT));
        writer.parent(tree).contents(*content_ref);
        let mut resources = writer.resources();
        resources.fonts().pair(FONT, type0);
        resources.ext_g_states().pair(TRANSLUCENT, translucent);
        resources.finish();
        writer.finish();
        let content = compress_to_vec_zlib(&page_content(page, &remapper), 6);
        pdf.stream(*content_ref, &content).filter(Filter::FlateDecode);
    }
    pdf.ext_graphics(translucent).non_stroking_alpha(WATERMARK_OPACITY);

    pdf.type0_font(type0)
        .base_font(BASE_FONT)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(cmap);
    let units = 1000.0 / font.units_per_em();
    let mut cid = pdf.cid_font(cid_font);
    cid.subtype(CidFontType::Type2)
        .base_font(BASE_FONT)
        .system_info(SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 })
        .font_descriptor(descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, remapper.remapped_gids().map(|old| font.advance_units(old) * units));
    cid.finish();
    let (ascent, descent) = font.vertical_metrics();
    pdf.font_descriptor(descriptor)
        .name(BASE_FONT)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(0.0, descent * units, 1000.0, ascent * units))
        .italic_angle(0.0)
        .ascent(ascent * units)
        .descent(descent * units)
        .cap_height(ascent * units)
        .stem_v(80.0)
        .font_file2(file);
    let compressed = compress_to_vec_zlib(&subset, 6);
    pdf.stream(file, &compressed).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);

    let mut unicode = UnicodeCmap::new(
        Name(b"NOCARD-UTF16"),
        SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
    );
    for (cid, entry) in chars.iter().enumerate() {
        if let Some((_, ch)) = entry {
            unicode.pair(cid as u16, *ch);
        }
    }
    let unicode = unicode.finish();
    pdf.cmap(cmap, &unicode);
    Ok(pdf.finish())
}

/// The page's drawing operators, in millimetres with y down: the first
/// operator maps them to PDF points with y up.
fn page_content(page: &Page, remapper: &GlyphRemapper) -> Vec<u8> {
    let mut content = Content::new();
    content.transform([PT, 0.0, 0.0, -PT, 0.0, page.height * PT]);
    for item in &page.items {
        draw(&mut content, item, remapper);
    }
    for (x, y, items) in &page.cards {
        content.save_state();
        content.transform([1.0, 0.0, 0.0, 1.0, *x, *y]);
        rounded_card(&mut content);
        content.clip_nonzero().end_path();
        for item in items {
            draw(&mut content, item, remapper);
        }
        content.restore_state();
    }
    content.finish().to_vec()
}

fn draw(content: &mut Content, item: &Item, remapper: &GlyphRemapper) {
    match item {
        Item::Text(run) => draw_text(content, run, remapper),
        Item::CardOutline => {
            content.set_fill_rgb(1.0, 1.0, 1.0).set_stroke_rgb(0.6, 0.6, 0.63).set_line_width(0.2);
            rounded_card(content);
            content.fill_nonzero_and_stroke();
        }
        Item::Qr { x, y, side, code } => {
            content.set_fill_rgb(1.0, 1.0, 1.0).rect(*x, *y, *side, *side).fill_nonzero();
            let module = side / (code.width() + 4) as f32;
            content.set_fill_rgb(0.0, 0.0, 0.0);
            for row in 0..code.width() {
                for col in 0..code.width() {
                    if code.is_dark(col, row) {
                        let left = x + (col + 2) as f32 * module;
                        let top = y + (row + 2) as f32 * module;
                        content.rect(left, top, module, module);
                    }
                }
            }
            content.fill_nonzero();
        }
    }
}

fn draw_text(content: &mut Content, run: &TextRun, remapper: &GlyphRemapper) {
    let Colour(r, g, b) = run.colour;
    content.save_state();
    if run.opacity < 1.0 {
        content.set_parameters(TRANSLUCENT);
    }
    content.set_fill_rgb(r, g, b).begin_text().set_font(FONT, 1.0);
    // Glyph space is y up; the page's is y down: flip, scale and turn.
    let (sin, cos) = run.angle.to_radians().sin_cos();
    let s = run.size;
    content.set_text_matrix([s * cos, -s * sin, -s * sin, -s * cos, run.x, run.y]);
    let mut codes = Vec::with_capacity(run.glyphs.len() * 2);
    for glyph in &run.glyphs {
        let cid = remapper.get(glyph.id).expect("every glyph was remapped before drawing");
        codes.extend_from_slice(&cid.to_be_bytes());
    }
    content.show(Str(&codes)).end_text();
    content.restore_state();
}

/// The card's outline with the rounded corners of ID-1 (3.18 mm), as four
/// lines and four quarter circles (cubic Béziers, k = 0.5523).
fn rounded_card(content: &mut Content) {
    let (w, h, r) = (CARD_WIDTH, CARD_HEIGHT, 3.18);
    let k = r * 0.552_284_8;
    content.move_to(r, 0.0).line_to(w - r, 0.0);
    content.cubic_to(w - r + k, 0.0, w, r - k, w, r).line_to(w, h - r);
    content.cubic_to(w, h - r + k, w - r + k, h, w - r, h).line_to(r, h);
    content.cubic_to(r - k, h, 0.0, h - r + k, 0.0, h - r).line_to(0.0, r);
    content.cubic_to(0.0, r - k, r - k, 0.0, r, 0.0).close_path();
}
