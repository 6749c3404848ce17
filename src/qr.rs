//! QR rendering of the text form: alphanumeric mode, smallest version that fits.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use qrcode::{Color, QrCode, Version};

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

    /// The symbol as Unicode half blocks, two module rows a line, with a
    /// 4-module quiet zone (dark modules drawn dark on a light terminal
    /// background is unreliable, so light modules are drawn as blocks).
    pub fn to_terminal(&self) -> String {
        const QUIET: usize = 4;
        let side = self.width + 2 * QUIET;
        let dark = |x: usize, y: usize| x >= QUIET && y >= QUIET && self.is_dark(x - QUIET, y - QUIET);
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
}
