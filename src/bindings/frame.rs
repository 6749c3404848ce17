//! The desk's camera: [`Verifier::verify_frame`] reads the code in a camera
//! frame and verifies it, as the C API's
//! `nocard_verifier_verify_camera_frame` does, for desk apps that get frames
//! from CameraX, AVFoundation or a webcam rather than a decoder.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use super::{NocardError, Verification, Verifier};
use crate::scan::{self, ScanError, Scanner};

/// The longest time budget a frame may have, in milliseconds (as in C).
const MAX_TIME_BUDGET_MS: u32 = 10_000;

/// The pixel layout of a camera frame. Only the luma is read: colour frames
/// are converted to gray, YUV frames are read from their Y plane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum FrameFormat {
    /// 8-bit grayscale, 1 byte a pixel (0 black, 255 white).
    Gray8,
    /// 3 bytes a pixel: red, green, blue.
    Rgb,
    /// 4 bytes a pixel: red, green, blue, alpha (transparent counts as white).
    Rgba,
    /// 4 bytes a pixel: blue, green, red, alpha (iOS `kCVPixelFormatType_32BGRA`).
    Bgra,
    /// Android's camera default: `height` luma rows, then ⌈height/2⌉ rows of
    /// interleaved V/U, all `row_stride` apart.
    Nv21,
    /// As NV21 with the chroma bytes in U/V order.
    Nv12,
    /// A luma plane alone, sample (x, y) at byte
    /// `y * row_stride + x * pixel_stride`: Android `YUV_420_888` plane 0
    /// (`Image.planes[0]`, its `rowStride` and `pixelStride`).
    YPlane {
        /// Bytes from one luma sample to the next, 1-8.
        pixel_stride: u32,
    },
}

/// A frame as the camera delivered it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CameraFrame {
    /// The frame's bytes; the last row's padding may be missing.
    pub pixels: Vec<u8>,
    /// Their layout.
    pub format: FrameFormat,
    /// Pixels a row.
    pub width: u32,
    /// Rows (of luma, for the YUV formats).
    pub height: u32,
    /// Bytes from the start of one row to the next.
    pub row_stride: u32,
}

impl FrameFormat {
    fn to_core(self) -> scan::FrameFormat {
        match self {
            FrameFormat::Gray8 => scan::FrameFormat::Gray8,
            FrameFormat::Rgb => scan::FrameFormat::Rgb,
            FrameFormat::Rgba => scan::FrameFormat::Rgba,
            FrameFormat::Bgra => scan::FrameFormat::Bgra,
            FrameFormat::Nv21 => scan::FrameFormat::Nv21,
            FrameFormat::Nv12 => scan::FrameFormat::Nv12,
            FrameFormat::YPlane { pixel_stride } => scan::FrameFormat::YPlane { pixel_stride: pixel_stride as usize },
        }
    }
}

#[uniffi::export]
impl Verifier {
    /// Reads the nocard code in a camera frame and verifies it at `now` as
    /// [`Verifier::verify`] does. Light-on-dark codes are read too. The
    /// frame may take `time_budget_ms` (1-10000; 80 suits a desk) of
    /// decoding, so a hostile pattern held up to the camera costs one frame.
    ///
    /// Before any code is verified it fails with `NoCode` (show the phone
    /// again), `SeveralCodes` (two phones in view: which person is at the
    /// desk is not guessed), `ScanBudgetExceeded` (not fully searched), or
    /// the frame's description refused: `EmptyImage`, `ImageTooLarge` (a
    /// side over 8192), `StrideTooSmall`, `BadPixelStride`,
    /// `BufferTooShort`; `Usage` for a time budget outside 1-10000.
    pub fn verify_frame(&self, frame: CameraFrame, time_budget_ms: u32, now: u64) -> Result<Verification, NocardError> {
        if !(1..=MAX_TIME_BUDGET_MS).contains(&time_budget_ms) {
            let reason = alloc::format!("frame time budget {time_budget_ms} ms is not between 1 and 10000");
            return Err(NocardError::Usage { code: "usage".into(), reason });
        }
        let scanner = Scanner::default().with_time_budget(Some(Duration::from_millis(time_budget_ms.into())));
        let CameraFrame { pixels, format, width, height, row_stride } = frame;
        let [width, height, row_stride] = [width, height, row_stride].map(|n| n as usize);
        let codes = scanner.scan_frame(format.to_core(), &pixels, width, height, row_stride)?;
        match <[String; 1]>::try_from(codes) {
            Ok([text]) => self.verify(text, now),
            Err(codes) if codes.is_empty() => {
                Err(NocardError::NoCode { code: "no_code".into(), reason: "no nocard code in the frame".into() })
            }
            Err(codes) => Err(NocardError::SeveralCodes {
                code: "several_codes".into(),
                reason: alloc::format!("{} nocard codes in the frame; show one at a time", codes.len()),
                count: codes.len() as u64,
            }),
        }
    }
}

impl From<ScanError> for NocardError {
    fn from(e: ScanError) -> Self {
        let code = String::from(e.code());
        let reason = e.to_string();
        match e {
            ScanError::EmptyImage { width, height } => {
                NocardError::EmptyImage { code, reason, width: width as u64, height: height as u64 }
            }
            ScanError::TooLarge { width, height, max } => {
                NocardError::ImageTooLarge { code, reason, width: width as u64, height: height as u64, max: max as u64 }
            }
            ScanError::StrideTooSmall { stride, row_bytes } => {
                NocardError::StrideTooSmall { code, reason, stride: stride as u64, row_bytes: row_bytes as u64 }
            }
            ScanError::BadPixelStride { pixel_stride, max } => {
                NocardError::BadPixelStride { code, reason, pixel_stride: pixel_stride as u64, max: max as u64 }
            }
            ScanError::BufferTooShort { len, needed } => {
                NocardError::BufferTooShort { code, reason, len: len as u64, needed: needed as u64 }
            }
            ScanError::BudgetExceeded(_) => NocardError::ScanBudgetExceeded { code, reason },
            // Image-file errors; a raw frame cannot give them.
            ScanError::UnsupportedFormat | ScanError::BadImage(_) | ScanError::Io { .. } => {
                NocardError::Usage { code: "usage".into(), reason }
            }
        }
    }
}
