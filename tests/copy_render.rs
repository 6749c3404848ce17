//! Looks at printed copies as a reader would: the PDF rendered and its text
//! read back by hayro, the SVG rendered by resvg, the QR code on each read
//! by quircs and its receipt checked (SPEC.md §18).
#![cfg(feature = "copy")]

use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::hayro_cmap::BfString;
use hayro::hayro_interpret::kurbo::{Affine, BezPath, Rect};
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache,
    InterpreterSettings, SoftMask, interpret_page,
};
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

use nocard::copy::{self, CopyFormat, CopyOptions, Paper};
use nocard::credential::Issuer;
use nocard::document::{Claim, ClaimValue, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::receipt::{self, Minimise, Receipt, SignedReceipt};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

/// 2026-11-23T08:00:00Z.
const NOW: u64 = 1_795_420_800;
/// 12 pixels a millimetre: a 305 dpi print.
const PX_PER_MM: f32 = 12.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

fn desk() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32]).unwrap()
}

/// The desk's receipt for a resident ID card of `name`, shown at a
/// government window (every field).
fn receipt_for(name: &str) -> SignedReceipt {
    let registry = Registry::builtin();
    let doc = registry.by_name("resident_id_card").unwrap();
    let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap();
    let device = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let trusted = TrustedKey::new("NBPSB", issuer_key.public_key().clone(), KeyScope::AllTypes).unwrap();
    let claims: Vec<Claim> = doc
        .example_claims()
        .into_iter()
        .map(|c| if c.name == "name" { Claim::new("name", ClaimValue::Text(name.into())) } else { c })
        .collect();
    let bundle = Issuer::new("NBPSB", issuer_key)
        .unwrap()
        .credential(doc, device.public_key(), claims)
        .validity(NOW - 86_400, NOW + 365 * 86_400)
        .salt_seed([0x33; 32])
        .sign()
        .unwrap();
    let profile = Profile::GovernmentWindow;
    let presentation = Holder::new(bundle, device).unwrap().present(Disclose::Profile(profile)).at(NOW).sign().unwrap();
    let verified = Verifier::new(vec![trusted], Policy::default())
        .unwrap()
        .verify(presentation.to_text().as_bytes(), NOW)
        .unwrap();
    Receipt::issue(&verified, &registry, &desk(), "gov:NB-HS-window-3", NOW + 5, Some(profile), Minimise::Values)
        .unwrap()
}

fn draw(receipt: &SignedReceipt, format: CopyFormat, paper: Paper) -> Vec<u8> {
    let options = CopyOptions::new(format, paper);
    copy::render(&receipt.bytes, &[desk().public_key().clone()], &Registry::builtin(), &options).unwrap()
}

/// Each page's text as a PDF reader extracts it (through `ToUnicode`).
fn pdf_text(pdf: &[u8]) -> Vec<String> {
    let pdf = Pdf::new(pdf.to_vec()).unwrap();
    let cache = InterpreterCache::new();
    pdf.pages()
        .iter()
        .map(|page| {
            let bbox = Rect::new(0.0, 0.0, 1.0, 1.0);
            let mut context = Context::new(Affine::IDENTITY, bbox, &cache, pdf.xref(), InterpreterSettings::default());
            let mut reader = TextReader(String::new());
            interpret_page(page, &mut context, &mut reader);
            reader.0
        })
        .collect()
}

struct TextReader(String);

impl Device<'_> for TextReader {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'_>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'_>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, '_>, _: DrawProps<'_>, _: &DrawMode) {
        for glyph in run.glyphs() {
            match glyph.as_unicode() {
                Some(BfString::Char(c)) => self.0.push(c),
                Some(BfString::String(s)) => self.0.push_str(&s),
                None => self.0.push('\u{FFFD}'),
            }
        }
        self.0.push('\n');
    }
    fn draw_image(&mut self, _: Image<'_, '_>, _: ImageDrawProps<'_>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// A grey image, one byte a pixel.
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Gray {
    fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Self {
        let pixels = rgba
            .chunks(4)
            .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8)
            .collect();
        Gray { width, height, pixels }
    }

    /// The top `height` rows.
    fn top_rows(&self, height: usize) -> Gray {
        let pixels = self.pixels[..height * self.width].to_vec();
        Gray { width: self.width, height, pixels }
    }

    /// The QR codes in the image, as text.
    fn qr_texts(&self) -> Vec<String> {
        let mut decoder = quircs::Quirc::default();
        decoder
            .identify(self.width, self.height, &self.pixels)
            .filter_map(|code| code.ok()?.decode().ok())
            .map(|data| String::from_utf8(data.payload).unwrap())
            .collect()
    }

    /// The number of half-millimetre squares whose mean grey differs by
    /// more than `levels`: ink in one image where the other has paper.
    /// Averaging over squares forgives how two renderers smooth edges.
    fn squares_differing(&self, other: &Gray, levels: u32) -> usize {
        assert_eq!((self.width, self.height), (other.width, other.height));
        let side = (PX_PER_MM / 2.0) as usize;
        let mean = |image: &Gray, x: usize, y: usize| {
            let rows = (y..y + side).flat_map(|row| &image.pixels[row * image.width + x..row * image.width + x + side]);
            rows.map(|&p| u32::from(p)).sum::<u32>() / (side * side) as u32
        };
        let mut differing = 0;
        for y in (0..self.height - side + 1).step_by(side) {
            for x in (0..self.width - side + 1).step_by(side) {
                if mean(self, x, y).abs_diff(mean(other, x, y)) > levels {
                    differing += 1;
                }
            }
        }
        differing
    }
}

fn pdf_page(pdf: &[u8], index: usize) -> Gray {
    let pdf = Pdf::new(pdf.to_vec()).unwrap();
    let page = &pdf.pages()[index];
    let scale = PX_PER_MM / PT_PER_MM;
    let settings = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    let pixmap = hayro::render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &settings,
    );
    Gray::from_rgba(usize::from(pixmap.width()), usize::from(pixmap.height()), pixmap.data_as_u8_slice())
}

fn svg_image(svg: &[u8]) -> Gray {
    let tree = resvg::usvg::Tree::from_data(svg, &resvg::usvg::Options::default()).unwrap();
    // usvg sizes in CSS pixels, 96 to the inch.
    let scale = PX_PER_MM * 25.4 / 96.0;
    let size = tree.size();
    let (width, height) = ((size.width() * scale).round() as u32, (size.height() * scale).round() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    Gray::from_rgba(width as usize, height as usize, pixmap.data())
}

/// The QR code scans to the receipt, and the receipt checks out against
/// the desk's key.
fn assert_scans_to(image: &Gray, signed: &SignedReceipt) {
    let texts = image.qr_texts();
    assert_eq!(texts.len(), 1, "one QR code");
    assert!(texts[0].starts_with("NCR1:"), "{}", texts[0]);
    let bytes = receipt::from_text_or_bytes(texts[0].as_bytes()).unwrap();
    assert_eq!(bytes, signed.bytes);
    let checked = Receipt::verify(&bytes, &[desk().public_key().clone()], &Registry::builtin()).unwrap();
    assert_eq!(checked, signed.receipt);
}

const WATERMARK: &str = "仅供 政务窗口办事 government_window 使用 · gov:NB-HS-window-3 · 2026-11-23 16:00:05 UTC+8";

#[test]
fn a_pdf_reader_reads_the_fields_the_watermark_and_the_receipt_in_words() {
    let signed = receipt_for("林玥");
    let card = pdf_text(&draw(&signed, CopyFormat::Pdf, Paper::Card));
    assert_eq!(card.len(), 2);
    let front = &card[0];
    for line in [
        "Resident identity card 居民身份证",
        "姓名",
        "林玥",
        "公民身份号码",
        "330203199005170017",
        "住址",
        "浙江省宁波市海曙区中山西路1号",
        WATERMARK,
    ] {
        assert!(front.lines().any(|l| l.contains(line)), "front lacks {line}:\n{front}");
    }
    let back = &card[1];
    for line in [
        "核验回执 Verification receipt",
        "gov:NB-HS-window-3",
        "2026-11-23 16:00:05 UTC+8",
        "政务窗口办事 government_window",
        WATERMARK,
    ] {
        assert!(back.lines().any(|l| l.contains(line)), "back lacks {line}:\n{back}");
    }
    assert!(!front.contains('\u{FFFD}') && !back.contains('\u{FFFD}'), "a glyph without its character");

    let sheet = pdf_text(&draw(&signed, CopyFormat::Pdf, Paper::A4));
    assert_eq!(sheet.len(), 1);
    for line in [
        "电子证照打印件 Printed copy of an electronic credential",
        "林玥",
        "核验回执 Verification receipt",
        "本件由核验单位根据其签名的核验回执打印，仅供所载用途使用。",
    ] {
        assert!(sheet[0].lines().any(|l| l.contains(line)), "A4 lacks {line}");
    }
}

#[test]
fn the_qr_code_on_every_copy_scans_to_the_receipt_that_verifies() {
    let signed = receipt_for("林玥");
    assert_scans_to(&pdf_page(&draw(&signed, CopyFormat::Pdf, Paper::Card), 1), &signed);
    assert_scans_to(&pdf_page(&draw(&signed, CopyFormat::Pdf, Paper::A4), 0), &signed);
    assert_scans_to(&svg_image(&draw(&signed, CopyFormat::Svg, Paper::Card)), &signed);
    assert_scans_to(&svg_image(&draw(&signed, CopyFormat::Svg, Paper::A4)), &signed);
}

#[test]
fn the_svg_shows_what_the_pdf_shows() {
    let signed = receipt_for("林玥");
    let pdf_front = pdf_page(&draw(&signed, CopyFormat::Pdf, Paper::Card), 0);
    // The SVG has the back below the front: compare the front's rows.
    let svg_front = svg_image(&draw(&signed, CopyFormat::Svg, Paper::Card)).top_rows(pdf_front.height);
    let other = receipt_for("王芳");
    let other_front = svg_image(&draw(&other, CopyFormat::Svg, Paper::Card)).top_rows(pdf_front.height);
    let same = svg_front.squares_differing(&pdf_front, 32);
    let different = svg_front.squares_differing(&other_front, 32);
    let squares = (pdf_front.width / 6) * (pdf_front.height / 6);
    eprintln!("of {squares} squares, differing: same copy, two renderers {same}; another name {different}");
    assert!(same <= 2, "{same}");
    assert!(different >= 5, "{different}");
}

#[test]
fn the_sample_in_the_readme_is_a_genuine_copy() {
    // docs/copy-sample.svg, drawn by `cargo run --example copy_sample`.
    let svg = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/copy-sample.svg")).unwrap();
    let signed = receipt_for("林玥");
    assert_scans_to(&svg_image(&svg), &signed);
    assert_eq!(svg, draw(&signed, CopyFormat::Svg, Paper::Card), "docs/copy-sample.svg is stale");
}
