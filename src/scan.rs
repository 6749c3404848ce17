//! Reading presentation QR codes back from camera frames and image files.
//!
//! The scanner hands over a frame (8-bit grayscale with a row stride, RGB,
//! RGBA, or a PNG/JPEG file); nocard finds every QR code in it, keeps the
//! ones whose text is a presentation (`NC1:`…, see [`crate::text::kind_of`])
//! and returns their texts in the order found, each once. Other QR codes in
//! the frame (a shop's Wi-Fi code, a payment code) are ignored, and a frame
//! with no nocard code gives an empty list: that is the normal case while the
//! camera is still looking for one. Verify each text with
//! [`crate::verify::Verifier::verify`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let frame = vec![255u8; 640 * 480]; // a blank camera frame
//! assert!(nocard::scan::scan_gray(&frame, 640, 480, 640)?.is_empty());
//! let short = nocard::scan::scan_gray(&frame[..1000], 640, 480, 640).unwrap_err();
//! assert_eq!(short.code(), "buffer_too_short");
//! # Ok(())
//! # }
//! ```
//!
//! Two decoders are built in ([`Decoder`]). The default is rxing (a pure-Rust
//! port of ZXing's QR reader); rqrr stays selectable. README's "Scanning"
//! section has the robustness corpus numbers that chose the default. Both
//! run under [`std::panic::catch_unwind`]: a decoder that panics on a hostile
//! frame (rqrr is known to in grid detection) costs that frame, not the
//! scanner.
//!
//! Frame buffers are checked before any pixel is read: sizes of zero, a
//! stride shorter than a row, a buffer shorter than the rows it claims, and
//! frames larger than [`MAX_SIDE`] on either side are each a distinct
//! [`ScanError`].

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::text::{TextKind, kind_of};

/// Largest accepted frame side in pixels (width and height each).
pub const MAX_SIDE: usize = 8192;

/// Which QR decoder reads the frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Decoder {
    /// rxing, the pure-Rust port of ZXing's QR reader (its C++ detector):
    /// the most robust and fastest on nocard's corpus, the default.
    #[default]
    Rxing,
    /// rqrr (a port of quirc), with nocard's retries: a 2× downscale and a
    /// global (Otsu) binarisation when the first pass finds nothing.
    Rqrr,
}

impl Decoder {
    /// Every built-in decoder, the default first.
    pub const ALL: [Decoder; 2] = [Decoder::Rxing, Decoder::Rqrr];

    /// Lower-case name, as used in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Decoder::Rxing => "rxing",
            Decoder::Rqrr => "rqrr",
        }
    }
}

impl fmt::Display for Decoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Decoder {
    type Err = UnknownDecoder;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decoder::ALL.into_iter().find(|d| d.name() == s).ok_or(UnknownDecoder)
    }
}

/// A decoder name that is not `rxing` or `rqrr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownDecoder;

impl core::error::Error for UnknownDecoder {}

impl fmt::Display for UnknownDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown QR decoder (expected rxing or rqrr)")
    }
}

/// Why a frame or image could not be scanned. Finding no code is not an
/// error: the scan returns an empty list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScanError {
    /// Width or height is zero.
    EmptyImage {
        /// Declared width in pixels.
        width: usize,
        /// Declared height in pixels.
        height: usize,
    },
    /// Width or height is larger than [`MAX_SIDE`].
    TooLarge {
        /// Declared width in pixels.
        width: usize,
        /// Declared height in pixels.
        height: usize,
        /// The largest accepted side.
        max: usize,
    },
    /// The row stride is shorter than one row of pixels.
    StrideTooSmall {
        /// Declared stride in bytes.
        stride: usize,
        /// Bytes one row of pixels needs (width × bytes per pixel).
        row_bytes: usize,
    },
    /// The buffer is shorter than the rows it is said to hold.
    BufferTooShort {
        /// Buffer length in bytes.
        len: usize,
        /// Bytes needed: (height − 1) × stride + one row; `usize::MAX` if that overflows.
        needed: usize,
    },
    /// The bytes are neither PNG nor JPEG.
    UnsupportedFormat,
    /// A PNG or JPEG that does not decode; the decoder's message.
    BadImage(String),
    /// The image file could not be read.
    Io {
        /// What kind of I/O failure.
        kind: std::io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
}

impl ScanError {
    /// Stable snake_case code, like [`crate::error::Error::code`].
    pub fn code(&self) -> &'static str {
        match self {
            ScanError::EmptyImage { .. } => "empty_image",
            ScanError::TooLarge { .. } => "image_too_large",
            ScanError::StrideTooSmall { .. } => "stride_too_small",
            ScanError::BufferTooShort { .. } => "buffer_too_short",
            ScanError::UnsupportedFormat => "unsupported_image_format",
            ScanError::BadImage(_) => "bad_image",
            ScanError::Io { .. } => "io",
        }
    }
}

impl core::error::Error for ScanError {}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::EmptyImage { width, height } => write!(f, "empty image ({width}×{height})"),
            ScanError::TooLarge { width, height, max } => {
                write!(f, "image {width}×{height} is larger than {max}×{max}")
            }
            ScanError::StrideTooSmall { stride, row_bytes } => {
                write!(f, "row stride {stride} is shorter than a row ({row_bytes} bytes)")
            }
            ScanError::BufferTooShort { len, needed } => {
                write!(f, "buffer of {len} bytes is shorter than the {needed} the image needs")
            }
            ScanError::UnsupportedFormat => f.write_str("not a PNG or JPEG image"),
            ScanError::BadImage(msg) => write!(f, "image does not decode: {msg}"),
            ScanError::Io { message, .. } => write!(f, "cannot read image: {message}"),
        }
    }
}

impl From<std::io::Error> for ScanError {
    fn from(e: std::io::Error) -> Self {
        ScanError::Io { kind: e.kind(), message: e.to_string() }
    }
}

/// A reusable scanner: which decoder to use. [`Scanner::default`] is what
/// the free functions ([`scan_gray`] and the rest) use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scanner {
    decoder: Decoder,
}

impl Scanner {
    /// A scanner using `decoder`.
    pub fn new(decoder: Decoder) -> Self {
        Self { decoder }
    }

    /// The decoder this scanner uses.
    pub fn decoder(&self) -> Decoder {
        self.decoder
    }

    /// Scans an 8-bit grayscale frame (0 black, 255 white): `width` × `height`
    /// pixels, row `y` starting at byte `y × stride`. The last row's padding
    /// may be missing (as in some camera APIs): `data` needs
    /// (height − 1) × stride + width bytes.
    pub fn scan_gray(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        check(data.len(), width, height, stride, 1)?;
        let gray =
            if stride == width { Cow::Borrowed(&data[..width * height]) } else { repack(data, width, height, stride) };
        Ok(self.scan_checked(&Gray { pixels: &gray, width, height }))
    }

    /// Scans an RGB frame (3 bytes a pixel, `stride` bytes a row).
    pub fn scan_rgb(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        check(data.len(), width, height, stride, 3)?;
        let gray = to_gray(data, width, height, stride, 3);
        Ok(self.scan_checked(&Gray { pixels: &gray, width, height }))
    }

    /// Scans an RGBA frame (4 bytes a pixel, `stride` bytes a row);
    /// transparent pixels count as white, as on a light page.
    pub fn scan_rgba(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        check(data.len(), width, height, stride, 4)?;
        let gray = to_gray(data, width, height, stride, 4);
        Ok(self.scan_checked(&Gray { pixels: &gray, width, height }))
    }

    /// Scans a PNG or JPEG image held in memory. Images larger than
    /// [`MAX_SIDE`] are refused from their header, before decoding.
    pub fn scan_image_bytes(&self, bytes: &[u8]) -> Result<Vec<String>, ScanError> {
        let (pixels, width, height) = decode_image(bytes)?;
        Ok(self.scan_checked(&Gray { pixels: &pixels, width, height }))
    }

    /// Reads and scans a PNG or JPEG file (the format is taken from the
    /// content, not the file name).
    pub fn scan_image_file(&self, path: impl AsRef<std::path::Path>) -> Result<Vec<String>, ScanError> {
        self.scan_image_bytes(&std::fs::read(path)?)
    }

    fn scan_checked(&self, gray: &Gray<'_>) -> Vec<String> {
        let found = match self.decoder {
            Decoder::Rxing => rxing_backend::decode(gray),
            Decoder::Rqrr => rqrr_backend::decode(gray),
        };
        let mut out: Vec<String> = Vec::new();
        for text in found {
            if kind_of(text.as_bytes()) == Some(TextKind::Presentation) && !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }
}

/// Scans an 8-bit grayscale frame with the default decoder; see [`Scanner::scan_gray`].
pub fn scan_gray(data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_gray(data, width, height, stride)
}

/// Scans an RGB frame with the default decoder; see [`Scanner::scan_rgb`].
pub fn scan_rgb(data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_rgb(data, width, height, stride)
}

/// Scans an RGBA frame with the default decoder; see [`Scanner::scan_rgba`].
pub fn scan_rgba(data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_rgba(data, width, height, stride)
}

/// Scans a PNG or JPEG image in memory with the default decoder; see [`Scanner::scan_image_bytes`].
pub fn scan_image_bytes(bytes: &[u8]) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_image_bytes(bytes)
}

/// Reads and scans a PNG or JPEG file with the default decoder; see [`Scanner::scan_image_file`].
pub fn scan_image_file(path: impl AsRef<std::path::Path>) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_image_file(path)
}

/// Checks a frame's geometry against its buffer before any pixel is read.
fn check(len: usize, width: usize, height: usize, stride: usize, bytes_per_pixel: usize) -> Result<(), ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::EmptyImage { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ScanError::TooLarge { width, height, max: MAX_SIDE });
    }
    // Cannot overflow: width ≤ MAX_SIDE.
    let row_bytes = width * bytes_per_pixel;
    if stride < row_bytes {
        return Err(ScanError::StrideTooSmall { stride, row_bytes });
    }
    let needed = (height - 1).checked_mul(stride).and_then(|n| n.checked_add(row_bytes)).unwrap_or(usize::MAX);
    if len < needed {
        return Err(ScanError::BufferTooShort { len, needed });
    }
    Ok(())
}

/// A checked, contiguous grayscale frame.
#[derive(Clone, Copy)]
struct Gray<'a> {
    pixels: &'a [u8],
    width: usize,
    height: usize,
}

fn repack(data: &[u8], width: usize, height: usize, stride: usize) -> Cow<'static, [u8]> {
    let mut out = Vec::with_capacity(width * height);
    for row in data.chunks(stride).take(height) {
        out.extend_from_slice(&row[..width]);
    }
    Cow::Owned(out)
}

/// BT.601 luma in 8.8 fixed point; with alpha, composited over white.
fn to_gray(data: &[u8], width: usize, height: usize, stride: usize, bytes_per_pixel: usize) -> Cow<'static, [u8]> {
    let mut out = Vec::with_capacity(width * height);
    for row in data.chunks(stride).take(height) {
        for px in row[..width * bytes_per_pixel].chunks_exact(bytes_per_pixel) {
            let luma = (77 * u32::from(px[0]) + 150 * u32::from(px[1]) + 29 * u32::from(px[2]) + 128) >> 8;
            let luma = match px.get(3) {
                Some(&alpha) => (luma * u32::from(alpha) + 255 * (255 - u32::from(alpha)) + 127) / 255,
                None => luma,
            };
            out.push(luma as u8);
        }
    }
    Cow::Owned(out)
}

fn decode_image(bytes: &[u8]) -> Result<(Vec<u8>, usize, usize), ScanError> {
    use image::{ImageFormat, ImageReader, Limits};
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        _ => return Err(ScanError::UnsupportedFormat),
    };
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE as u32);
    limits.max_image_height = Some(MAX_SIDE as u32);
    // An 8192² RGBA image plus the decoder's working set.
    limits.max_alloc = Some(4 * (MAX_SIDE * MAX_SIDE) as u64 * 2);
    reader.limits(limits);
    // The codecs are not known to panic, but a file is hostile input.
    let decoded = catch_unwind(AssertUnwindSafe(|| reader.decode()))
        .map_err(|_| ScanError::BadImage("the image decoder panicked".into()))?;
    let image = decoded.map_err(|e| match e {
        image::ImageError::Limits(_) => {
            let (width, height) = image_dimensions(bytes, format).unwrap_or((usize::MAX, usize::MAX));
            ScanError::TooLarge { width, height, max: MAX_SIDE }
        }
        other => ScanError::BadImage(other.to_string()),
    })?;
    let (width, height) = (image.width() as usize, image.height() as usize);
    if width == 0 || height == 0 {
        return Err(ScanError::EmptyImage { width, height });
    }
    let pixels = if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        to_gray(rgba.as_raw(), width, height, width * 4, 4).into_owned()
    } else {
        image.into_luma8().into_raw()
    };
    Ok((pixels, width, height))
}

fn image_dimensions(bytes: &[u8], format: image::ImageFormat) -> Option<(usize, usize)> {
    let (w, h) = image::ImageReader::with_format(std::io::Cursor::new(bytes), format).into_dimensions().ok()?;
    Some((w as usize, h as usize))
}

/// Runs a decoder pass, turning a panic into "nothing found".
fn guarded<T>(pass: impl FnOnce() -> Vec<T>) -> Vec<T> {
    catch_unwind(AssertUnwindSafe(pass)).unwrap_or_default()
}

/// A frame reduced to half size, each pixel the mean of a 2×2 block: less
/// noise and JPEG ringing, and big modules come down to the size decoders
/// like best.
fn half_size(gray: &Gray<'_>) -> Option<(Vec<u8>, usize, usize)> {
    let (w, h) = (gray.width / 2, gray.height / 2);
    if w < 21 || h < 21 {
        return None;
    }
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        let (top, bottom) = (&gray.pixels[2 * y * gray.width..], &gray.pixels[(2 * y + 1) * gray.width..]);
        for x in 0..w {
            let sum = u16::from(top[2 * x])
                + u16::from(top[2 * x + 1])
                + u16::from(bottom[2 * x])
                + u16::from(bottom[2 * x + 1]);
            out.push(((sum + 2) / 4) as u8);
        }
    }
    Some((out, w, h))
}

/// Unsharp mask: each pixel pushed away from the mean of its 7×7
/// neighbourhood by as much again (edges repeated), which restores module
/// edges that blur has spread and stretches low contrast locally.
fn sharpen(gray: &Gray<'_>) -> Vec<u8> {
    const R: usize = 3;
    const N: u32 = (2 * R as u32 + 1) * (2 * R as u32 + 1);
    let (w, h) = (gray.width, gray.height);
    let clamp = |i: isize, n: usize| i.clamp(0, n as isize - 1) as usize;
    // Horizontal window sums, then vertical sums of those.
    let mut rows = alloc::vec![0u16; w * h];
    for (src, out) in gray.pixels.chunks_exact(w).zip(rows.chunks_exact_mut(w)) {
        let mut sum: u16 = (-(R as isize)..=R as isize).map(|i| u16::from(src[clamp(i, w)])).sum();
        for x in 0..w {
            out[x] = sum;
            sum = sum + u16::from(src[clamp(x as isize + R as isize + 1, w)])
                - u16::from(src[clamp(x as isize - R as isize, w)]);
        }
    }
    let mut out = alloc::vec![0u8; w * h];
    let mut sums: Vec<u32> =
        (0..w).map(|x| (-(R as isize)..=R as isize).map(|i| u32::from(rows[clamp(i, h) * w + x])).sum()).collect();
    for y in 0..h {
        let (add, sub) = (clamp(y as isize + R as isize + 1, h) * w, clamp(y as isize - R as isize, h) * w);
        for x in 0..w {
            let at = y * w + x;
            let mean = (sums[x] + N / 2) / N;
            out[at] = (2 * i32::from(gray.pixels[at]) - mean as i32).clamp(0, 255) as u8;
            sums[x] = sums[x] + u32::from(rows[add + x]) - u32::from(rows[sub + x]);
        }
    }
    out
}

/// Black-and-white at the global Otsu threshold (the level that best
/// separates the histogram's two classes).
fn otsu(gray: &Gray<'_>) -> Vec<u8> {
    let mut hist = [0u64; 256];
    for &v in gray.pixels {
        hist[usize::from(v)] += 1;
    }
    let n = gray.pixels.len() as f64;
    let total: f64 = hist.iter().enumerate().map(|(i, &c)| i as f64 * c as f64).sum();
    let (mut weight_below, mut sum_below, mut best, mut threshold) = (0.0, 0.0, -1.0, 127u8);
    for (level, &count) in hist.iter().enumerate() {
        weight_below += count as f64;
        let weight_above = n - weight_below;
        if weight_below == 0.0 || weight_above == 0.0 {
            continue;
        }
        sum_below += level as f64 * count as f64;
        let mean_below = sum_below / weight_below;
        let mean_above = (total - sum_below) / weight_above;
        let between = weight_below * weight_above * (mean_below - mean_above).powi(2);
        if between > best {
            best = between;
            threshold = level as u8;
        }
    }
    gray.pixels.iter().map(|&v| if v > threshold { 255 } else { 0 }).collect()
}

/// Runs `passes` in order until one finds a presentation; returns what that
/// pass found (or, when none does, the last pass's codes).
fn first_finding(passes: &[&dyn Fn() -> Vec<String>]) -> Vec<String> {
    let mut found = Vec::new();
    for pass in passes {
        found = guarded(pass);
        if found.iter().any(|t| kind_of(t.as_bytes()) == Some(TextKind::Presentation)) {
            break;
        }
    }
    found
}

mod rxing_backend {
    use super::*;
    use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
    use rxing::multi::MultipleBarcodeReader;
    use rxing::qrcode::cpp_port::QrReader;
    use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source};
    use std::collections::HashSet;

    /// ZXing's local-block binarizer first (handles uneven light), then
    /// its global-histogram one (low contrast: blocks under ZXing's minimum
    /// dynamic range of 24 levels are otherwise taken as blank), then the
    /// half-size frame (noise, JPEG), then the sharpened frame (blur, low
    /// contrast), then the sharpened half-size frame. Each later pass runs
    /// only when the earlier ones found no presentation.
    pub(super) fn decode(gray: &Gray<'_>) -> Vec<String> {
        let hybrid = |g: &Gray<'_>| read(g, |s| BinaryBitmap::new(HybridBinarizer::new(s)));
        first_finding(&[
            &|| hybrid(gray),
            &|| read(gray, |s| BinaryBitmap::new(GlobalHistogramBinarizer::new(s))),
            &|| {
                half_size(gray)
                    .map(|(pixels, width, height)| hybrid(&Gray { pixels: &pixels, width, height }))
                    .unwrap_or_default()
            },
            &|| hybrid(&Gray { pixels: &sharpen(gray), ..*gray }),
            &|| {
                half_size(gray)
                    .map(|(pixels, width, height)| {
                        let half = Gray { pixels: &pixels, width, height };
                        hybrid(&Gray { pixels: &sharpen(&half), ..half })
                    })
                    .unwrap_or_default()
            },
        ])
    }

    fn read<'a, B: Binarizer<Source = Luma8Source<'a>>>(
        gray: &Gray<'a>,
        bitmap: impl FnOnce(Luma8Source<'a>) -> BinaryBitmap<B>,
    ) -> Vec<String> {
        let Ok(source) = Luma8Source::new_with_slice(gray.pixels, gray.width as u32, gray.height as u32) else {
            return Vec::new();
        };
        let hints = DecodeHints {
            PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
            TryHarder: Some(true),
            ..DecodeHints::default()
        };
        match QrReader.decode_multiple_with_hints(&mut bitmap(source), &hints) {
            Ok(results) => results.into_iter().map(|r| r.getText().to_string()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

mod rqrr_backend {
    use super::*;

    /// quirc's own adaptive threshold first, then the globally (Otsu)
    /// binarised frame, then the half-size frame.
    pub(super) fn decode(gray: &Gray<'_>) -> Vec<String> {
        first_finding(&[&|| read(gray), &|| read(&Gray { pixels: &otsu(gray), ..*gray }), &|| {
            half_size(gray)
                .map(|(pixels, width, height)| read(&Gray { pixels: &pixels, width, height }))
                .unwrap_or_default()
        }])
    }

    fn read(gray: &Gray<'_>) -> Vec<String> {
        let (w, px) = (gray.width, gray.pixels);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, gray.height, |x, y| px[y * w + x]);
        image.detect_grids().iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_checks_are_exact() {
        assert_eq!(check(6, 3, 2, 3, 1), Ok(()));
        assert_eq!(check(5, 3, 2, 3, 1), Err(ScanError::BufferTooShort { len: 5, needed: 6 }));
        // Last row without its padding.
        assert_eq!(check(7, 3, 2, 4, 1), Ok(()));
        assert_eq!(check(6, 3, 2, 4, 1), Err(ScanError::BufferTooShort { len: 6, needed: 7 }));
        assert_eq!(
            check(usize::MAX, MAX_SIDE, MAX_SIDE, MAX_SIDE, 4),
            Err(ScanError::StrideTooSmall { stride: MAX_SIDE, row_bytes: 4 * MAX_SIDE })
        );
        assert_eq!(check(0, MAX_SIDE, 1, MAX_SIDE, 1), Err(ScanError::BufferTooShort { len: 0, needed: MAX_SIDE }));
    }

    #[test]
    fn colour_becomes_luma_over_white() {
        assert_eq!(&*to_gray(&[255, 255, 255, 0, 0, 0, 255, 0, 0], 3, 1, 9, 3), &[255, 0, 77]);
        // Opaque black, transparent black (white), half-transparent black.
        assert_eq!(&*to_gray(&[0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128], 3, 1, 12, 4), &[0, 255, 127]);
        // Stride padding is skipped.
        assert_eq!(&*repack(&[1, 2, 9, 3, 4], 2, 2, 3), &[1, 2, 3, 4]);
    }

    #[test]
    fn preprocessing_keeps_flat_frames_flat() {
        let pixels = [90u8; 64 * 48];
        let gray = Gray { pixels: &pixels, width: 64, height: 48 };
        assert!(sharpen(&gray).iter().all(|&v| v == 90));
        let (half, w, h) = half_size(&gray).unwrap();
        assert_eq!((w, h), (32, 24));
        assert!(half.iter().all(|&v| v == 90));
        assert!(half_size(&Gray { pixels: &pixels[..40 * 40], width: 40, height: 40 }).is_none());
        // Otsu splits a two-level frame between its levels.
        let two: Vec<u8> = (0..64 * 48).map(|i| if i % 3 == 0 { 40 } else { 200 }).collect();
        let split = otsu(&Gray { pixels: &two, width: 64, height: 48 });
        assert!(split.iter().zip(&two).all(|(&s, &v)| s == if v == 40 { 0 } else { 255 }));
    }

    #[test]
    fn a_panicking_pass_finds_nothing_and_the_next_pass_runs() {
        let found = first_finding(&[&|| panic!("decoder bug"), &|| alloc::vec!["NC1:ABC".to_string()]]);
        assert_eq!(found, ["NC1:ABC"]);
        // A pass that finds only other codes does not stop the retries.
        let found = first_finding(&[&|| alloc::vec!["WIFI:S:X;;".to_string()], &|| alloc::vec!["NC1:ABC".to_string()]]);
        assert_eq!(found, ["NC1:ABC"]);
    }
}
