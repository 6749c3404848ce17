//! QR rendering of the text form: alphanumeric mode, smallest version that fits.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use qrcode::{Color, QrCode, Version};

/// Light modules around the symbol (ISO/IEC 18004 §6.3.8).
const QUIET_ZONE: usize = 4;

/// QR error-correction level (ISO/IEC 18004 §7.5.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EcLevel {
    /// Recovers ~7 % damage.
    L,
    /// Recovers ~15 % damage; the default.
    #[default]
    M,
    /// Recovers ~25 % damage.
    Q,
    /// Recovers ~30 % damage.
    H,
}

/// The text does not fit any QR version at this level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLong;

impl core::error::Error for TooLong {}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text does not fit a QR code")
    }
}

/// A QR code's modules, row by row, for any front end to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrMatrix {
    version: u8,
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` (an `NC1:` presentation: all alphanumeric-mode
    /// characters) at `level` in the smallest version that holds it.
    pub fn encode(text: &str, level: EcLevel) -> Result<Self, TooLong> {
        let level = match level {
            EcLevel::L => qrcode::EcLevel::L,
            EcLevel::M => qrcode::EcLevel::M,
            EcLevel::Q => qrcode::EcLevel::Q,
            EcLevel::H => qrcode::EcLevel::H,
        };
        let code = QrCode::with_error_correction_level(text.as_bytes(), level).map_err(|_| TooLong)?;
        let version = match code.version() {
            Version::Normal(v) => v as u8,
            Version::Micro(_) => return Err(TooLong),
        };
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(Self { version, width: code.width(), dark })
    }

    /// QR version, 1–40.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether module (`x`, `y`) is dark; `false` outside the symbol.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Modules per side including the 4-module quiet zone ISO/IEC 18004 asks for.
    fn side_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    fn dark_with_quiet_zone(&self, x: usize, y: usize) -> bool {
        x >= QUIET_ZONE && y >= QUIET_ZONE && self.is_dark(x - QUIET_ZONE, y - QUIET_ZONE)
    }

    /// An SVG image, `module_px` user units a module, quiet zone included.
    pub fn to_svg(&self, module_px: u32) -> String {
        let side = self.side_with_quiet_zone();
        let px = side * module_px as usize;
        let mut path = String::new();
        for y in 0..side {
            for x in 0..side {
                if self.dark_with_quiet_zone(x, y) {
                    // One unit square per dark module; `shape-rendering` keeps edges crisp.
                    path.push_str(&alloc::format!("M{x} {y}h1v1h-1z"));
                }
            }
        }
        alloc::format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>\n"
        )
    }

    /// A grayscale PNG, `module_px` pixels a module (at least 1), quiet zone included.
    pub fn to_png(&self, module_px: u32) -> Vec<u8> {
        let (pixels, side_px) = self.to_gray(module_px);
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side_px as u32, side_px as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        // Writing to a Vec cannot fail, and the size matches the header.
        let mut writer = encoder.write_header().expect("in-memory PNG header");
        writer.write_image_data(&pixels).expect("in-memory PNG data of the declared size");
        drop(writer);
        out
    }

    /// An 8-bit grayscale raster (0 dark, 255 light), quiet zone included;
    /// returns the pixels and the side length in pixels.
    pub fn to_gray(&self, module_px: u32) -> (Vec<u8>, usize) {
        let scale = module_px.max(1) as usize;
        let side = self.side_with_quiet_zone() * scale;
        let mut pixels = alloc::vec![255u8; side * side];
        for (i, pixel) in pixels.iter_mut().enumerate() {
            if self.dark_with_quiet_zone(i % side / scale, i / side / scale) {
                *pixel = 0;
            }
        }
        (pixels, side)
    }

    /// The symbol as Unicode half blocks, two module rows a line, with a
    /// 4-module quiet zone (dark modules drawn dark on a light terminal
    /// background is unreliable, so light modules are drawn as blocks).
    pub fn to_terminal(&self) -> String {
        let side = self.side_with_quiet_zone();
        let dark = |x, y| self.dark_with_quiet_zone(x, y);
        let mut out = String::with_capacity(side * side);
        for y in (0..side).step_by(2) {
            for x in 0..side {
                out.push(match (dark(x, y), y + 1 < side && dark(x, y + 1)) {
                    (false, false) => '█',
                    (false, true) => '▀',
                    (true, false) => '▄',
                    (true, true) => ' ',
                });
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphanumeric_capacity_picks_smallest_version() {
        // Version 1-M holds 20 alphanumeric characters, version 2-M 38.
        assert_eq!(QrMatrix::encode(&"A".repeat(20), EcLevel::M).unwrap().version(), 1);
        assert_eq!(QrMatrix::encode(&"A".repeat(21), EcLevel::M).unwrap().version(), 2);
        let m = QrMatrix::encode("NC1:ABC", EcLevel::M).unwrap();
        assert_eq!(m.width(), 21);
        assert!(m.is_dark(0, 0) && !m.is_dark(7, 0) && !m.is_dark(21, 0));
        assert_eq!(QrMatrix::encode(&"A".repeat(4297), EcLevel::L), Err(TooLong));
    }

    #[test]
    fn rasters_keep_the_quiet_zone() {
        let m = QrMatrix::encode("NC1:ABC", EcLevel::M).unwrap();
        let (gray, side) = m.to_gray(3);
        assert_eq!(side, (21 + 8) * 3);
        assert_eq!(gray.len(), side * side);
        // Quiet zone light, top-left finder corner dark.
        assert_eq!((gray[0], gray[4 * 3 * side + 4 * 3]), (255, 0));
        let png = m.to_png(3);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = m.to_svg(4);
        assert!(svg.starts_with("<svg") && svg.contains("width=\"116\"") && svg.contains("M4 4h1v1h-1z"));
    }
}
