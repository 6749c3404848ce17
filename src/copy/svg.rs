//! A copy as one SVG: the pages one above the other, each glyph drawn from
//! its outline (defined once, used where it appears), so the file shows
//! the same in every viewer with no font installed.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::font::Font;
use super::layout::{CARD_HEIGHT, CARD_WIDTH, Colour, Item, Page, TextRun};

/// Space between two pages of the SVG.
const GAP: f32 = 4.0;

pub(super) fn render(pages: &[Page], font: &Font) -> Vec<u8> {
    let width = pages.iter().map(|p| p.width).fold(0.0, f32::max);
    let height = pages.iter().map(|p| p.height).sum::<f32>() + GAP * (pages.len().saturating_sub(1)) as f32;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}">"#
    );
    let repeated = repeated_runs(pages, font);
    svg.push_str(&glyph_defs(pages, font, &repeated));
    let _ =
        write!(svg, r#"<clipPath id="card"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" rx="3.18"/></clipPath>"#);
    let mut top = 0.0;
    for page in pages {
        let _ = write!(
            svg,
            r##"<g transform="translate(0 {top})"><rect width="{}" height="{}" fill="#fff"/>"##,
            page.width, page.height
        );
        for item in &page.items {
            write_item(&mut svg, item, font, &repeated);
        }
        for (x, y, items) in &page.cards {
            let _ = write!(svg, r#"<g transform="translate({x} {y})" clip-path="url(#card)">"#);
            for item in items {
                write_item(&mut svg, item, font, &repeated);
            }
            svg.push_str("</g>");
        }
        svg.push_str("</g>");
        top += page.height + GAP;
    }
    svg.push_str("</svg>\n");
    svg.into_bytes()
}

/// Each glyph the copy uses, once, in font units (y up).
fn glyph_defs(pages: &[Page], font: &Font, repeated: &Repeated) -> String {
    let used: BTreeSet<u16> =
        pages.iter().flat_map(Page::text_runs).flat_map(|run| run.glyphs.iter().map(|g| g.id)).collect();
    let mut defs = String::from("<defs>");
    for id in used {
        let _ = write!(defs, r#"<path id="g{id}" d="{}"/>"#, font.outline_path(id));
    }
    for (index, glyphs) in repeated.iter().enumerate() {
        let _ = write!(defs, r#"<g id="r{index}">{glyphs}</g>"#);
    }
    defs.push_str("</defs>");
    defs
}

fn write_item(svg: &mut String, item: &Item, font: &Font, repeated: &Repeated) {
    match item {
        Item::Text(run) => write_text(svg, run, font, repeated),
        Item::CardOutline => {
            let _ = write!(
                svg,
                r##"<rect x="0.1" y="0.1" width="{}" height="{}" rx="3.1" fill="#fff" stroke="#9a9aa0" stroke-width="0.2"/>"##,
                CARD_WIDTH - 0.2,
                CARD_HEIGHT - 0.2
            );
        }
        Item::Qr { x, y, side, code } => {
            let modules = code.width() + 4;
            let module = side / modules as f32;
            let _ = write!(svg, r##"<rect x="{x}" y="{y}" width="{side}" height="{side}" fill="#fff"/>"##);
            let _ = write!(svg, r#"<path transform="translate({x} {y}) scale({module})" d=""#);
            for row in 0..code.width() {
                for col in 0..code.width() {
                    if code.is_dark(col, row) {
                        let _ = write!(svg, "M{} {}h1v1h-1z", col + 2, row + 2);
                    }
                }
            }
            svg.push_str(r##"" fill="#000"/>"##);
        }
    }
}

fn write_text(svg: &mut String, run: &TextRun, font: &Font, repeated: &Repeated) {
    let Colour(r, g, b) = run.colour;
    let _ = write!(
        svg,
        r#"<g transform="translate({} {}) rotate({})" fill="rgb({},{},{})" fill-opacity="{}" aria-label="{}">"#,
        run.x,
        run.y,
        -run.angle,
        channel(r),
        channel(g),
        channel(b),
        run.opacity,
        escaped(run)
    );
    let glyphs = glyph_uses(run, font);
    match repeated.iter().position(|def| *def == glyphs) {
        Some(index) => {
            let _ = write!(svg, r##"<use xlink:href="#r{index}"/>"##);
        }
        None => svg.push_str(&glyphs),
    }
    svg.push_str("</g>");
}

/// The run's glyphs, placed in font units under one flip and scale.
fn glyph_uses(run: &TextRun, font: &Font) -> String {
    let scale = run.size / font.units_per_em();
    let mut out = format!(r#"<g transform="scale({scale} -{scale})">"#);
    for glyph in run.glyphs.iter().filter(|g| !g.ch.is_whitespace()) {
        let _ = write!(out, r##"<use xlink:href="#g{}" x="{}"/>"##, glyph.id, (glyph.x / scale).round());
    }
    out.push_str("</g>");
    out
}

/// Glyph runs drawn more than once (the watermark's lines), each defined
/// once in `<defs>` as `r<index>`.
type Repeated = Vec<String>;

fn repeated_runs(pages: &[Page], font: &Font) -> Repeated {
    let mut seen = BTreeMap::new();
    for run in pages.iter().flat_map(Page::text_runs) {
        *seen.entry(glyph_uses(run, font)).or_insert(0) += 1;
    }
    seen.into_iter().filter(|(_, count)| *count > 1).map(|(glyphs, _)| glyphs).collect()
}

fn channel(value: f32) -> u8 {
    (value.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// The run's text for screen readers and search, escaped for an attribute.
fn escaped(run: &TextRun) -> String {
    let mut out = String::with_capacity(run.glyphs.len());
    for glyph in &run.glyphs {
        match glyph.ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            ch => out.push(ch),
        }
    }
    out
}
