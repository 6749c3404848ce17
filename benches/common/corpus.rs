//! A reproducible corpus of camera frames showing nocard presentations, the
//! way a desk scanner sees a phone screen: rotated, tilted, small or large,
//! blurred, noisy, washed out, under glare, JPEG-compressed, somewhere in a
//! 1280×720 frame. Shared by `tests/scan.rs`, `benches/qr.rs` and
//! `examples/scan_report.rs` (each includes this file with `#[path]`).
//!
//! Everything is deterministic: fixed keys, a fixed clock, and a seeded
//! xorshift generator; the image operations (inverse-mapped bilinear warp
//! through a homography, separable Gaussian blur, noise, contrast, glare)
//! are written out here so the corpus does not depend on an imaging crate's
//! version. JPEG goes through the `image` crate's encoder.

#![allow(dead_code)]

use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};

/// 2026-11-23T08:00:00Z, the corpus clock.
pub const NOW: u64 = 1_795_420_800;
/// Frame size of a 720p camera.
pub const WIDTH: usize = 1280;
/// Frame size of a 720p camera.
pub const HEIGHT: usize = 720;
const ISSUER: &str = "NBPSB";

/// xorshift64* (Vigna 2016): small, fast, reproducible.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform index below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (core::f64::consts::TAU * v).cos()
    }

    pub fn sign(&mut self) -> f64 {
        if self.next_u64() & 1 == 0 { 1.0 } else { -1.0 }
    }
}

/// What a frame mainly tests. Every frame also gets the mild base treatment
/// of [`Class::Mild`]; its class turns one distortion up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Upright-ish code, modules 3–6 px, slight blur, noise and contrast loss.
    Mild,
    /// Rotated 0–45°.
    Rotation,
    /// Seen at an angle: one edge up to 45 % shorter than the opposite one.
    Perspective,
    /// Module size anywhere in 2–8 px (capped so the code fits the frame).
    Scale,
    /// Gaussian blur, σ 1.0–2.5 px (out of focus, motion).
    Blur,
    /// Gaussian sensor noise, σ 12–35 grey levels.
    Noise,
    /// Dark-to-light range squeezed to 30–70 grey levels.
    LowContrast,
    /// A saturating bright spot over part of the code (a lamp on the screen).
    Glare,
    /// JPEG at quality 10–40.
    Jpeg,
    /// Everything at once, moderately.
    Combined,
    /// Dark mode: light modules on a dark screen, otherwise mild.
    Inverted,
    /// Steep perspective: one edge 30–45 % shorter, rotated up to 45°.
    Steep,
}

impl Class {
    pub const ALL: [Class; 12] = [
        Class::Mild,
        Class::Rotation,
        Class::Perspective,
        Class::Scale,
        Class::Blur,
        Class::Noise,
        Class::LowContrast,
        Class::Glare,
        Class::Jpeg,
        Class::Combined,
        Class::Inverted,
        Class::Steep,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Mild => "mild",
            Class::Rotation => "rotation 0–45°",
            Class::Perspective => "perspective",
            Class::Scale => "scale 2–8 px/module",
            Class::Blur => "blur σ 1–2.5",
            Class::Noise => "noise σ 12–35",
            Class::LowContrast => "low contrast 30–70",
            Class::Glare => "glare",
            Class::Jpeg => "JPEG q 10–40",
            Class::Combined => "combined",
            Class::Inverted => "dark mode (inverted)",
            Class::Steep => "steep: tilt 30–45 % + rotation",
        }
    }
}

/// How one code is placed and degraded.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Target module size in frame pixels.
    pub module_px: f64,
    /// Rotation in degrees.
    pub rotation_deg: f64,
    /// Perspective: the far edge is `1 - tilt` times the near edge.
    pub tilt: f64,
    /// Tilt about the vertical axis (else the horizontal one).
    pub tilt_vertical_axis: bool,
    /// Code centre in the frame, as a fraction of the free room (0–1 each).
    pub position: (f64, f64),
    /// Gaussian blur σ in pixels (0: none).
    pub blur_sigma: f64,
    /// Gaussian noise σ in grey levels.
    pub noise_sigma: f64,
    /// Darkest and lightest levels after the contrast squeeze.
    pub levels: (f64, f64),
    /// Glare: centre offset from the code centre (in code half-sides), radius
    /// (in code half-sides) and peak brightness added.
    pub glare: Option<((f64, f64), f64, f64)>,
    /// JPEG quality (None: raw frame).
    pub jpeg_quality: Option<u8>,
    /// Dark mode: light modules on a dark screen.
    pub inverted: bool,
}

impl Params {
    /// Draws the parameters of one frame of `class`.
    pub fn draw(class: Class, rng: &mut Rng) -> Self {
        let mut p = Params {
            module_px: rng.range(3.0, 6.0),
            rotation_deg: rng.range(0.0, 8.0) * rng.sign(),
            tilt: rng.range(0.0, 0.06),
            tilt_vertical_axis: rng.next_u64() & 1 == 0,
            position: (rng.unit(), rng.unit()),
            blur_sigma: rng.range(0.3, 0.7),
            noise_sigma: rng.range(1.0, 4.0),
            levels: (rng.range(10.0, 40.0), rng.range(200.0, 245.0)),
            glare: None,
            jpeg_quality: None,
            inverted: false,
        };
        match class {
            Class::Mild => {}
            Class::Rotation => p.rotation_deg = rng.range(0.0, 45.0) * rng.sign(),
            Class::Perspective => p.tilt = rng.range(0.15, 0.45),
            Class::Scale => p.module_px = rng.range(2.0, 8.0),
            Class::Blur => {
                p.module_px = rng.range(4.0, 7.0);
                p.blur_sigma = rng.range(1.0, 2.5);
            }
            Class::Noise => p.noise_sigma = rng.range(12.0, 35.0),
            Class::LowContrast => {
                let range = rng.range(30.0, 70.0);
                let mid = rng.range(60.0 + range / 2.0, 200.0 - range / 2.0);
                p.levels = (mid - range / 2.0, mid + range / 2.0);
            }
            Class::Glare => p.glare = Some(glare(rng)),
            Class::Jpeg => p.jpeg_quality = Some(rng.range(10.0, 40.0) as u8),
            Class::Combined => {
                p.module_px = rng.range(3.0, 6.0);
                p.rotation_deg = rng.range(0.0, 30.0) * rng.sign();
                p.tilt = rng.range(0.05, 0.25);
                p.blur_sigma = rng.range(0.6, 1.3);
                p.noise_sigma = rng.range(5.0, 15.0);
                let range = rng.range(90.0, 150.0);
                let mid = rng.range(100.0, 150.0);
                p.levels = (mid - range / 2.0, mid + range / 2.0);
                if rng.next_u64() & 1 == 0 {
                    let (at, radius, _) = glare(rng);
                    p.glare = Some((at, radius * 0.7, rng.range(80.0, 160.0)));
                }
                p.jpeg_quality = Some(rng.range(40.0, 80.0) as u8);
            }
            Class::Inverted => p.inverted = true,
            Class::Steep => {
                p.tilt = rng.range(0.30, 0.45);
                p.rotation_deg = rng.range(0.0, 45.0) * rng.sign();
            }
        }
        p
    }

    /// The mild treatment with nothing random: for tests that need one exact frame.
    pub fn gentle() -> Self {
        Params {
            module_px: 3.0,
            rotation_deg: 7.0,
            tilt: 0.05,
            tilt_vertical_axis: true,
            position: (0.5, 0.5),
            blur_sigma: 0.5,
            noise_sigma: 3.0,
            levels: (30.0, 230.0),
            glare: None,
            jpeg_quality: None,
            inverted: false,
        }
    }
}

fn glare(rng: &mut Rng) -> ((f64, f64), f64, f64) {
    ((rng.range(-0.5, 0.5), rng.range(-0.5, 0.5)), rng.range(0.15, 0.35), rng.range(150.0, 300.0))
}

/// The presentations the corpus shows: several document types and
/// profiles, signed with fixed keys for a window at [`NOW`].
pub fn presentations() -> Vec<(String, String)> {
    let registry = Registry::builtin();
    let issuer = Issuer::new(ISSUER, issuer_key()).expect("issuer");
    let scenes: [(&str, Disclose); 6] = [
        ("resident_id_card", Disclose::Profile(Profile::HotelCheckIn)),
        ("resident_id_card", Disclose::Profile(Profile::GovernmentWindow)),
        ("driving_licence", Disclose::Profile(Profile::RoadsideCheck)),
        ("vehicle_licence", Disclose::Profile(Profile::RoadsideCheck)),
        ("foreigner_passport", Disclose::Profile(Profile::HotelCheckIn)),
        ("resident_id_card", Disclose::Claims(vec!["name".into(), "birth_date".into(), "address".into()])),
    ];
    scenes
        .into_iter()
        .map(|(doc_name, disclose)| {
            let doc = registry.by_name(doc_name).expect("built-in type").clone();
            let device = device_key();
            let bundle = issuer
                .credential(&doc, device.public_key(), doc.example_claims())
                .validity(NOW - 86_400, NOW + 365 * 86_400)
                .salt_seed([0x33; 32])
                .sign()
                .expect("credential");
            let label = match &disclose {
                Disclose::Profile(p) => format!("{doc_name} {p}"),
                Disclose::Claims(c) => format!("{doc_name} {}", c.join("+")),
            };
            let holder = Holder::new(bundle, device).expect("holder");
            let text = holder.present(disclose).at(NOW).sign().expect("presentation").to_text();
            (label, text)
        })
        .collect()
}

pub fn issuer_key() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).expect("key")
}

pub fn device_key() -> SecretKey {
    SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).expect("key")
}

/// A verifier trusting the corpus issuer.
pub fn verifier() -> Verifier {
    let key = TrustedKey::new(ISSUER, issuer_key().public_key().clone(), KeyScope::AllTypes).unwrap();
    Verifier::new(vec![key], Policy::default()).unwrap()
}

/// One frame of the corpus.
pub struct Frame {
    pub class: Class,
    pub text: String,
    pub version: u8,
    pub params: Params,
    pub pixels: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

/// `per_class` frames of every class, generated lazily in a fixed order from `seed`.
pub fn corpus(seed: u64, per_class: usize) -> impl Iterator<Item = Frame> {
    let texts = presentations();
    let mut rng = Rng::new(seed);
    let mut n = 0usize;
    std::iter::from_fn(move || {
        let class = *Class::ALL.get(n / per_class.max(1))?;
        let (_, text) = &texts[n % texts.len()];
        n += 1;
        let params = Params::draw(class, &mut rng);
        Some(frame(class, text, params, &mut rng))
    })
}

/// Renders `text` with `params` into a fresh 1280×720 frame.
pub fn frame(class: Class, text: &str, params: Params, rng: &mut Rng) -> Frame {
    frame_sized(class, text, params, rng, WIDTH, HEIGHT)
}

/// Renders `text` with `params` into a fresh frame of another size (the
/// module size shrinks if the code would not fit).
pub fn frame_sized(class: Class, text: &str, params: Params, rng: &mut Rng, width: usize, height: usize) -> Frame {
    let matrix = QrMatrix::encode(text, EcLevel::M).expect("fits a QR code");
    let mut pixels = background(width, height, rng);
    let at = place(&mut pixels, width, height, &matrix, &params);
    degrade(&mut pixels, width, height, &params, at, rng);
    Frame { class, text: text.to_string(), version: matrix.version(), params, pixels, width, height }
}

/// A desk seen by a camera: a gradient with a few darker and lighter boxes.
pub fn background(width: usize, height: usize, rng: &mut Rng) -> Vec<u8> {
    let (a, b) = (rng.range(60.0, 140.0), rng.range(60.0, 160.0));
    let mut pixels: Vec<u8> = (0..width * height)
        .map(|i| {
            let (x, y) = ((i % width) as f64 / width as f64, (i / width) as f64 / height as f64);
            (a + (b - a) * (0.6 * x + 0.4 * y)) as u8
        })
        .collect();
    for _ in 0..6 {
        let (w, h) = (rng.range(40.0, 300.0) as usize, rng.range(40.0, 300.0) as usize);
        let (x0, y0) = (rng.below(width.saturating_sub(w).max(1)), rng.below(height.saturating_sub(h).max(1)));
        let level = rng.range(20.0, 230.0) as u8;
        for y in y0..(y0 + h).min(height) {
            pixels[y * width + x0..y * width + (x0 + w).min(width)].fill(level);
        }
    }
    pixels
}

/// The phone: a code raster (`code_side` pixels square, `k` pixels a
/// module), a light screen margin of two modules around it, and a dark bezel
/// of three more.
fn phone_image(code: &[u8], code_side: usize, k: usize, inverted: bool) -> (Vec<u8>, usize) {
    let (screen, bezel) = (2 * k, 3 * k);
    let side = code_side + 2 * (screen + bezel);
    let mut out = vec![25u8; side * side];
    for y in bezel..side - bezel {
        out[y * side + bezel..(y + 1) * side - bezel].fill(255);
    }
    let at = screen + bezel;
    for y in 0..code_side {
        out[(y + at) * side + at..(y + at) * side + at + code_side]
            .copy_from_slice(&code[y * code_side..][..code_side]);
    }
    if inverted {
        // Dark mode: the screen (margin and quiet zone) dark, the modules
        // light; the bezel stays as it is.
        for y in bezel..side - bezel {
            for v in &mut out[y * side + bezel..(y + 1) * side - bezel] {
                *v = 255 - *v;
            }
        }
    }
    (out, side)
}

/// Warps the phone showing `matrix` into the frame; see [`place_raster`].
pub fn place(frame: &mut [u8], width: usize, height: usize, matrix: &QrMatrix, params: &Params) -> Placement {
    let k = params.module_px.ceil().clamp(1.0, 8.0) as usize;
    let (code, side) = matrix.to_gray(k as u32);
    place_raster(frame, width, height, &code, side, k, params)
}

/// Warps a phone showing `code` (a QR raster with its quiet zone, `k`
/// pixels a module, as [`QrMatrix::to_gray`] or a decoded
/// [`QrMatrix::to_png`] gives) into the frame: scale, perspective tilt,
/// rotation and position from `params`, by inverse-mapped bilinear sampling
/// with 2×2 supersampling.
pub fn place_raster(
    frame: &mut [u8],
    width: usize,
    height: usize,
    code: &[u8],
    code_side: usize,
    k: usize,
    params: &Params,
) -> Placement {
    let (src, side) = phone_image(code, code_side, k, params.inverted);
    // Modules per side of the whole phone image; shrink the module size if
    // the rotated code would not fit in the frame.
    let modules = side as f64 / k as f64;
    let fit = 0.95 * height.min(width) as f64 / (modules * core::f64::consts::SQRT_2);
    let module_px = params.module_px.min(fit);
    let half = modules * module_px / 2.0;
    // Destination corners before rotation, tilted.
    let t = params.tilt;
    let (near, far, narrow) = (1.0 + t / 2.0, 1.0 - t / 2.0, (1.0 - t * t).sqrt());
    let mut corners = if params.tilt_vertical_axis {
        [(-narrow, -near), (narrow, -far), (narrow, far), (-narrow, near)]
    } else {
        [(-near, -narrow), (near, -narrow), (far, narrow), (-far, narrow)]
    };
    let (sin, cos) = params.rotation_deg.to_radians().sin_cos();
    let reach = half * core::f64::consts::SQRT_2 * near;
    let room = |n: usize| (n as f64 - 2.0 * reach).max(0.0);
    let cx = reach + params.position.0 * room(width);
    let cy = reach + params.position.1 * room(height);
    for c in &mut corners {
        let (x, y) = (c.0 * half, c.1 * half);
        *c = (cx + x * cos - y * sin, cy + x * sin + y * cos);
    }
    let s = side as f64;
    let h = homography([(0.0, 0.0), (s, 0.0), (s, s), (0.0, s)], corners);
    let inv = invert3(&h);
    let (min_x, max_x) = corners.iter().fold((f64::MAX, f64::MIN), |(lo, hi), c| (lo.min(c.0), hi.max(c.0)));
    let (min_y, max_y) = corners.iter().fold((f64::MAX, f64::MIN), |(lo, hi), c| (lo.min(c.1), hi.max(c.1)));
    let x_range = (min_x.floor().max(0.0) as usize)..(max_x.ceil().min(width as f64) as usize);
    for y in (min_y.floor().max(0.0) as usize)..(max_y.ceil().min(height as f64) as usize) {
        for x in x_range.clone() {
            let mut sum = 0.0;
            let mut hits = 0;
            for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (u, v) = apply(&inv, x as f64 + dx, y as f64 + dy);
                if let Some(value) = bilinear(&src, side, u, v) {
                    sum += value;
                    hits += 1;
                }
            }
            if hits > 0 {
                let at = y * width + x;
                let background = f64::from(frame[at]) * f64::from(4 - hits);
                frame[at] = ((sum + background) / 4.0).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    Placement { centre: (cx, cy), half_code: half * code_side as f64 / side as f64 }
}

/// Where [`place`] put a code: its centre and half its side (quiet zone
/// included), in frame pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub centre: (f64, f64),
    pub half_code: f64,
}

/// Lighting, optics and sensor, in that order: contrast squeeze, glare,
/// blur, noise, then JPEG.
pub fn degrade(frame: &mut [u8], width: usize, height: usize, params: &Params, at: Placement, rng: &mut Rng) {
    let (lo, hi) = params.levels;
    let mut buf: Vec<f64> = frame.iter().map(|&v| lo + (hi - lo) * f64::from(v) / 255.0).collect();
    if let Some(((gx, gy), radius, peak)) = params.glare {
        let ((cx, cy), half) = (at.centre, at.half_code);
        let (gx, gy, r) = (cx + gx * half, cy + gy * half, (radius * half).max(1.0));
        let reach = (3.0 * r) as isize;
        for y in (gy as isize - reach).max(0)..(gy as isize + reach).min(height as isize) {
            for x in (gx as isize - reach).max(0)..(gx as isize + reach).min(width as isize) {
                let d2 = (x as f64 - gx).powi(2) + (y as f64 - gy).powi(2);
                buf[y as usize * width + x as usize] += peak * (-d2 / (2.0 * r * r)).exp();
            }
        }
    }
    if params.blur_sigma > 0.0 {
        // Only around the phone (the rest is background): keeps debug-build tests quick.
        let reach = at.half_code * 1.6 * (1.0 + params.tilt) + 4.0 * params.blur_sigma;
        let (x0, y0) = ((at.centre.0 - reach).max(0.0) as usize, (at.centre.1 - reach).max(0.0) as usize);
        let (x1, y1) =
            ((at.centre.0 + reach).min(width as f64) as usize, (at.centre.1 + reach).min(height as f64) as usize);
        gaussian_blur(&mut buf, width, (x0, y0, x1, y1), params.blur_sigma);
    }
    // Normal deviates drawn from a table of 2^16, one xorshift step a pixel.
    let table: Vec<f64> = (0..1 << 16).map(|_| params.noise_sigma * rng.normal()).collect();
    for (out, v) in frame.iter_mut().zip(&buf) {
        let noisy = v + table[(rng.next_u64() >> 48) as usize];
        *out = noisy.round().clamp(0.0, 255.0) as u8;
    }
    if let Some(quality) = params.jpeg_quality {
        let jpeg = jpeg_encode(frame, width, height, quality);
        let decoded = image::load_from_memory(&jpeg).expect("own JPEG decodes").into_luma8();
        frame.copy_from_slice(decoded.as_raw());
    }
}

/// Baseline JPEG of an 8-bit grayscale frame.
pub fn jpeg_encode(pixels: &[u8], width: usize, height: usize, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .encode(pixels, width as u32, height as u32, image::ExtendedColorType::L8)
        .expect("in-memory JPEG");
    out
}

/// PNG of an 8-bit grayscale frame.
pub fn png_encode(pixels: &[u8], width: usize, height: usize) -> Vec<u8> {
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        pixels,
        width as u32,
        height as u32,
        image::ExtendedColorType::L8,
    )
    .expect("in-memory PNG");
    out
}

/// Separable Gaussian blur of the region `(x0, y0, x1, y1)` (exclusive
/// ends) of a frame `width` pixels wide; kernel radius 3σ, edges clamped to
/// the region.
pub fn gaussian_blur(buf: &mut [f64], width: usize, region: (usize, usize, usize, usize), sigma: f64) {
    let (x0, y0, x1, y1) = region;
    if x1 <= x0 || y1 <= y0 {
        return;
    }
    let radius = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f64> = (-radius..=radius).map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp()).collect();
    let total: f64 = kernel.iter().sum();
    let kernel: Vec<f64> = kernel.iter().map(|k| k / total).collect();
    let (w, h, r) = (x1 - x0, y1 - y0, radius as usize);
    // Rows then columns, each through a copy padded by repeating the edge.
    let mut line = vec![0.0; w.max(h) + 2 * r];
    for y in 0..h {
        let row = &mut buf[(y0 + y) * width + x0..][..w];
        pad(&mut line, row, r);
        convolve(row, &line, &kernel);
    }
    let mut column = vec![0.0; h];
    for x in 0..w {
        for (y, c) in column.iter_mut().enumerate() {
            *c = buf[(y0 + y) * width + x0 + x];
        }
        pad(&mut line, &column, r);
        convolve(&mut column, &line, &kernel);
        for (y, c) in column.iter().enumerate() {
            buf[(y0 + y) * width + x0 + x] = *c;
        }
    }
}

fn pad(line: &mut [f64], src: &[f64], r: usize) {
    let n = src.len();
    line[..r].fill(src[0]);
    line[r..r + n].copy_from_slice(src);
    line[r + n..r + n + r].fill(src[n - 1]);
}

fn convolve(out: &mut [f64], padded: &[f64], kernel: &[f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = padded[i..i + kernel.len()].iter().zip(kernel).map(|(a, b)| a * b).sum();
    }
}

fn bilinear(src: &[u8], side: usize, u: f64, v: f64) -> Option<f64> {
    // Pixel centres at +0.5.
    let (u, v) = (u - 0.5, v - 0.5);
    if !(-0.5..side as f64 - 0.5).contains(&u) || !(-0.5..side as f64 - 0.5).contains(&v) {
        return None;
    }
    let (x0, y0) = (u.floor().max(0.0) as usize, v.floor().max(0.0) as usize);
    let (x1, y1) = ((x0 + 1).min(side - 1), (y0 + 1).min(side - 1));
    let (fx, fy) = ((u - x0 as f64).clamp(0.0, 1.0), (v - y0 as f64).clamp(0.0, 1.0));
    let p = |x: usize, y: usize| f64::from(src[y * side + x]);
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    Some(top * (1.0 - fy) + bottom * fy)
}

type Mat3 = [[f64; 3]; 3];

fn apply(m: &Mat3, x: f64, y: f64) -> (f64, f64) {
    let w = m[2][0] * x + m[2][1] * y + m[2][2];
    ((m[0][0] * x + m[0][1] * y + m[0][2]) / w, (m[1][0] * x + m[1][1] * y + m[1][2]) / w)
}

/// The homography taking the four `from` points to the four `to` points
/// (8×8 linear system, Gaussian elimination with partial pivoting).
fn homography(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Mat3 {
    let mut a = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let ((x, y), (u, v)) = (from[i], to[i]);
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).expect("rows");
        a.swap(col, pivot);
        let pivot_row = a[col];
        for (i, row) in a.iter_mut().enumerate() {
            if i != col {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let h: Vec<f64> = (0..8).map(|i| a[i][8] / a[i][i]).collect();
    [[h[0], h[1], h[2]], [h[3], h[4], h[5]], [h[6], h[7], 1.0]]
}

fn invert3(m: &Mat3) -> Mat3 {
    let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    let c = |r1: usize, c1: usize, r2: usize, c2: usize| (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
    [
        [c(1, 1, 2, 2), -c(0, 1, 2, 2), c(0, 1, 1, 2)],
        [-c(1, 0, 2, 2), c(0, 0, 2, 2), -c(0, 0, 1, 2)],
        [c(1, 0, 2, 1), -c(0, 0, 2, 1), c(0, 0, 1, 1)],
    ]
}

/// Hostile frames: patterns a sheet of paper or a file could show the
/// scanner to make it work as hard as possible. Each is a full grayscale
/// frame of the given size; none holds a code.
pub mod hostile {
    use super::Rng;

    /// The kinds, for reports and tests.
    pub const KINDS: [&str; 6] =
        ["finder tiles", "finder tiles (inverted)", "finder patch", "checkerboard", "binary noise", "gray noise"];

    /// Frame `kind` (one of [`KINDS`]) at `width` × `height`, `module`
    /// pixels a module (tiles, patch, checkerboard cell; noise grain).
    pub fn frame(kind: &str, width: usize, height: usize, module: usize, rng: &mut Rng) -> Vec<u8> {
        match kind {
            "finder tiles" => finder_tiles(width, height, module, usize::MAX, false),
            "finder tiles (inverted)" => finder_tiles(width, height, module, usize::MAX, true),
            // Few enough finder patterns to pass a spot cap of a few
            // hundred, packed into a corner so every triple is plausible.
            "finder patch" => finder_tiles(width, height, module, 48, false),
            "checkerboard" => checkerboard(width, height, module),
            "binary noise" => noise(width, height, module, rng, true),
            "gray noise" => noise(width, height, module, rng, false),
            _ => panic!("unknown hostile frame {kind}"),
        }
    }

    /// QR finder patterns (7×7 modules: a dark ring, a light ring, a dark
    /// 3×3 centre) on a light page, one module apart, row after row; at
    /// most `max` of them, from the top left. `inverted`: light on dark.
    pub fn finder_tiles(width: usize, height: usize, module: usize, max: usize, inverted: bool) -> Vec<u8> {
        let (dark, light) = if inverted { (230u8, 20u8) } else { (20u8, 230u8) };
        let mut out = vec![light; width * height];
        let pitch = 8 * module;
        let per_row = width.saturating_sub(module) / pitch;
        let mut placed = 0;
        'tiles: for ty in 0..height.saturating_sub(module) / pitch {
            for tx in 0..per_row {
                if placed == max {
                    break 'tiles;
                }
                placed += 1;
                let (x0, y0) = (module + tx * pitch, module + ty * pitch);
                for my in 0..7 {
                    for mx in 0..7 {
                        let ring = mx.min(my).min(6 - mx).min(6 - my);
                        if ring == 1 {
                            continue;
                        }
                        for y in y0 + my * module..y0 + (my + 1) * module {
                            out[y * width + x0 + mx * module..y * width + x0 + (mx + 1) * module].fill(dark);
                        }
                    }
                }
            }
        }
        out
    }

    /// A checkerboard of `cell`-pixel squares.
    pub fn checkerboard(width: usize, height: usize, cell: usize) -> Vec<u8> {
        (0..width * height).map(|i| if ((i % width) / cell + (i / width) / cell) % 2 == 0 { 20 } else { 230 }).collect()
    }

    /// Noise in `grain`-pixel squares: black or white (`binary`), or any level.
    pub fn noise(width: usize, height: usize, grain: usize, rng: &mut Rng, binary: bool) -> Vec<u8> {
        let (cols, rows) = (width.div_ceil(grain), height.div_ceil(grain));
        let cells: Vec<u8> = (0..cols * rows)
            .map(|_| {
                let v = rng.next_u64() as u8;
                if binary { if v & 1 == 0 { 20 } else { 230 } } else { v }
            })
            .collect();
        (0..width * height).map(|i| cells[(i / width / grain) * cols + (i % width) / grain]).collect()
    }
}
