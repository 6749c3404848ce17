//! Camera frames: a scanner with a camera and no decoder chip verifies
//! straight from the frame its camera gives, in the layout it gives it
//! (`nocard_verifier_verify_camera_frame`; `nocard_verifier_verify_frame` is
//! its 8-bit grayscale shorthand). Only in the std C library built with the
//! `scan` feature (`NOCARD_FEATURE_SCAN`): the QR decoders need `std`, and a
//! firmware build that does not scan should not carry them.

use core::time::Duration;

use super::error::nocard_result;
use super::handle::{self, SliceError, slice_from};
use super::panic::{ffi_panic_boundary, try_some};
use super::verification::{Verification, nocard_verification};
use super::verifier::nocard_verifier;
use super::version::{NOCARD_MAX_FRAME_LEN, NOCARD_MAX_FRAME_TIME_BUDGET_MS};
use crate::scan::{FrameFormat, ScanError, Scanner};

/// The pixel layout of a camera frame given to
/// `nocard_verifier_verify_camera_frame`. Only the luma is read: colour
/// frames are converted to gray (BT.601), YUV frames are read from their Y
/// plane. The functions take the value as `uint32_t`, so a value not listed
/// here is refused (`NOCARD_RESULT_UNKNOWN_FRAME_FORMAT`), never guessed;
/// 0 is not a format, so a zeroed setting is refused too.
///
/// Ownership: a plain value.
///
/// Thread safety: a plain value.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nocard_frame_format {
    /// 8-bit grayscale, 1 byte a pixel (0 black, 255 white).
    Gray8 = 1,
    /// 3 bytes a pixel: red, green, blue.
    Rgb = 2,
    /// 4 bytes a pixel: red, green, blue, alpha (transparent counts as white).
    Rgba = 3,
    /// 4 bytes a pixel: blue, green, red, alpha, as iOS cameras give (`kCVPixelFormatType_32BGRA`).
    Bgra = 4,
    /// Android's camera default: `height` luma rows, then ⌈height/2⌉ rows of interleaved V/U, all `row_stride` apart.
    Nv21 = 5,
    /// As NV21 with the chroma bytes in U/V order (iOS bi-planar YUV in one buffer, many USB cameras).
    Nv12 = 6,
    /// A luma plane alone, sample (x, y) at byte y × `row_stride` + x × `pixel_stride`: Android `YUV_420_888` plane 0.
    YPlane = 7,
}

impl nocard_frame_format {
    const ALL: [Self; 7] = [Self::Gray8, Self::Rgb, Self::Rgba, Self::Bgra, Self::Nv21, Self::Nv12, Self::YPlane];

    /// The scanner's format for the C value, if it names one; `pixel_stride`
    /// belongs to the Y plane alone.
    fn scan_format(value: u32, pixel_stride: usize) -> Option<FrameFormat> {
        Some(match Self::ALL.into_iter().find(|format| *format as u32 == value)? {
            Self::Gray8 => FrameFormat::Gray8,
            Self::Rgb => FrameFormat::Rgb,
            Self::Rgba => FrameFormat::Rgba,
            Self::Bgra => FrameFormat::Bgra,
            Self::Nv21 => FrameFormat::Nv21,
            Self::Nv12 => FrameFormat::Nv12,
            Self::YPlane => FrameFormat::YPlane { pixel_stride },
        })
    }
}

/// Reads the nocard code in a camera frame of `format` (a
/// `nocard_frame_format` value), `width` × `height` pixels with rows
/// `row_stride` bytes apart, and verifies it at `now`, as
/// `nocard_verifier_verify` verifies a text. `pixel_stride` (1–8, bytes from
/// one luma sample to the next) is read for `NOCARD_FRAME_FORMAT_Y_PLANE`
/// only and ignored for the other formats, whose pixel sizes are fixed.
/// `pixels_len` must cover the rows: (rows − 1) × `row_stride` + one row,
/// where a row is `width` × the pixel size, NV21 and NV12 count their
/// ⌈height/2⌉ chroma rows (of `width` rounded up to even), and a Y plane row
/// is (`width` − 1) × `pixel_stride` + 1; the last row's padding may be
/// missing. Light-on-dark codes (phones in dark mode) are read too. The
/// frame has a work budget, so a hostile pattern held up to the camera
/// costs one frame, not the scanner: fixed caps on finder-pattern
/// candidates, and `time_budget_ms` (1–10000; `NOCARD_FRAME_TIME_BUDGET_MS`,
/// 80, suits a desk scanner) of decoding, checked between decoding steps.
///
/// Returns what `nocard_verifier_verify` returns for the code, or, before
/// any code is verified: `NOCARD_RESULT_NO_CODE` (no nocard code in the
/// frame: show the phone again), `NOCARD_RESULT_SEVERAL_CODES` (more than
/// one, e.g. two phones in view: which person is at the desk is not
/// guessed), `NOCARD_RESULT_SCAN_BUDGET_EXCEEDED` (the frame was not fully
/// searched), `NOCARD_RESULT_EMPTY_IMAGE`, `NOCARD_RESULT_IMAGE_TOO_LARGE`
/// (a side over 8192), `NOCARD_RESULT_STRIDE_TOO_SMALL`,
/// `NOCARD_RESULT_BAD_PIXEL_STRIDE` (a Y plane's `pixel_stride` outside
/// 1–8), `NOCARD_RESULT_BUFFER_TOO_SHORT`;
/// `NOCARD_RESULT_UNKNOWN_FRAME_FORMAT` for a `format` that is not a
/// `nocard_frame_format`; `NOCARD_RESULT_OUT_OF_RANGE` for a
/// `time_budget_ms` outside 1–10000; `NOCARD_RESULT_TOO_LONG` if
/// `pixels_len` is over `NOCARD_MAX_FRAME_LEN` (nothing is read),
/// `NOCARD_RESULT_NULL_PARAMETER` if a pointer is NULL,
/// `NOCARD_RESULT_PANIC` if nocard panicked. In those cases `out` holds no
/// outcome (`NOCARD_RESULT_NOT_VERIFIED`).
///
/// Whatever it returns, a non-NULL `out` is cleared first, as by
/// `nocard_verifier_verify`.
///
/// Memory: the frame's luma is copied once, unless it already lies one byte
/// a pixel with unpadded rows (gray, NV21, NV12 or a Y plane of pixel stride
/// 1, with `row_stride` = `width`); decoding allocates in proportion to the
/// frame (frames over 1920 × 1080 pixels are halved first).
///
/// Ownership: borrows all arguments for the call; nothing is kept.
///
/// Thread safety: `verifier` may be used by many threads at once; `out`
/// must not be used by another thread during the call.
///
/// # Safety
/// `verifier` is NULL or a live verifier; `pixels` is NULL or valid for
/// `pixels_len` bytes (when `pixels_len` is at most `NOCARD_MAX_FRAME_LEN`);
/// `out` is NULL or a live verification object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_verify_camera_frame(
    verifier: *const nocard_verifier,
    format: u32,
    pixels: *const u8,
    pixels_len: usize,
    width: usize,
    height: usize,
    row_stride: usize,
    pixel_stride: usize,
    time_budget_ms: u32,
    now: u64,
    out: *mut nocard_verification,
) -> nocard_result {
    ffi_panic_boundary! {
        // SAFETY: NULL or a live verification, not used elsewhere during the call (contract).
        let out: &mut Verification = try_some!(unsafe { handle::as_mut(out) });
        out.clear();
        // SAFETY: NULL or a live verifier, only ever read (contract).
        let verifier = try_some!(unsafe { handle::as_ref(verifier) });
        // SAFETY: NULL or `pixels_len` readable bytes (contract); the length
        // is checked before anything is read.
        let pixels = match unsafe { slice_from(pixels, pixels_len, NOCARD_MAX_FRAME_LEN) } {
            Ok(pixels) => pixels,
            Err(SliceError::Null) => return nocard_result::NullParameter,
            Err(SliceError::TooLong) => return nocard_result::TooLong,
        };
        let Some(format) = nocard_frame_format::scan_format(format, pixel_stride) else {
            return nocard_result::UnknownFrameFormat;
        };
        if !(1..=NOCARD_MAX_FRAME_TIME_BUDGET_MS).contains(&time_budget_ms) {
            return nocard_result::OutOfRange;
        }
        let scanner = Scanner::default().with_time_budget(Some(Duration::from_millis(time_budget_ms.into())));
        let codes = match scanner.scan_frame(format, pixels, width, height, row_stride) {
            Ok(codes) => codes,
            Err(error) => return map_scan_error(&error),
        };
        let text = match codes.as_slice() {
            [] => return nocard_result::NoCode,
            [text] => text,
            _ => return nocard_result::SeveralCodes,
        };
        out.store(verifier.verify(text.as_bytes(), now))
    }
}

/// `nocard_verifier_verify_camera_frame` for an 8-bit grayscale frame
/// (`NOCARD_FRAME_FORMAT_GRAY8`; 0 black, 255 white): `width` × `height`
/// pixels, row `y` starting at byte `y × stride`, so `pixels_len` must be at
/// least (height − 1) × stride + width. Returns what that function returns.
///
/// Memory: a frame whose rows are padded (`stride` > `width`) is copied
/// once; decoding allocates in proportion to the frame (frames over
/// 1920 × 1080 pixels are halved first).
///
/// Ownership: borrows all arguments for the call; nothing is kept.
///
/// Thread safety: `verifier` may be used by many threads at once; `out`
/// must not be used by another thread during the call.
///
/// # Safety
/// As `nocard_verifier_verify_camera_frame`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nocard_verifier_verify_frame(
    verifier: *const nocard_verifier,
    pixels: *const u8,
    pixels_len: usize,
    width: usize,
    height: usize,
    stride: usize,
    time_budget_ms: u32,
    now: u64,
    out: *mut nocard_verification,
) -> nocard_result {
    // SAFETY: the same contract; a gray frame has no pixel stride to give.
    unsafe {
        nocard_verifier_verify_camera_frame(
            verifier,
            nocard_frame_format::Gray8 as u32,
            pixels,
            pixels_len,
            width,
            height,
            stride,
            1,
            time_budget_ms,
            now,
            out,
        )
    }
}

/// A frame the scanner refused. The image-file errors cannot come from a
/// raw frame; should one ever do, it is reported as a usage error rather
/// than as a frame without code.
fn map_scan_error(error: &ScanError) -> nocard_result {
    match error {
        ScanError::EmptyImage { .. } => nocard_result::EmptyImage,
        ScanError::TooLarge { .. } => nocard_result::ImageTooLarge,
        ScanError::StrideTooSmall { .. } => nocard_result::StrideTooSmall,
        ScanError::BadPixelStride { .. } => nocard_result::BadPixelStride,
        ScanError::BufferTooShort { .. } => nocard_result::BufferTooShort,
        ScanError::BudgetExceeded(_) => nocard_result::ScanBudgetExceeded,
        ScanError::UnsupportedFormat | ScanError::BadImage(_) | ScanError::Io { .. } => nocard_result::Usage,
    }
}
