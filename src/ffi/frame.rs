//! `nocard_verifier_verify_frame`: a scanner with a camera and no decoder
//! chip verifies straight from an 8-bit grayscale frame. Only in the std C
//! library built with the `scan` feature (`NOCARD_FEATURE_SCAN`): the QR
//! decoders need `std`, and a firmware build that does not scan should not
//! carry them.

use core::time::Duration;

use super::error::nocard_result;
use super::handle::{self, SliceError, slice_from};
use super::panic::{ffi_panic_boundary, try_some};
use super::verification::{Verification, nocard_verification};
use super::verifier::nocard_verifier;
use super::version::{NOCARD_MAX_FRAME_LEN, NOCARD_MAX_FRAME_TIME_BUDGET_MS};
use crate::scan::{ScanError, Scanner};

/// Reads the nocard code in an 8-bit grayscale camera frame (0 black, 255
/// white; `width` × `height` pixels, row `y` starting at byte `y × stride`,
/// so `pixels_len` must be at least (height − 1) × stride + width) and
/// verifies it at `now`, as `nocard_verifier_verify` verifies a text.
/// Light-on-dark codes (phones in dark mode) are read too. The frame has a
/// work budget, so a hostile pattern held up to the camera costs one frame,
/// not the scanner: fixed caps on finder-pattern candidates, and
/// `time_budget_ms` (1–10000; `NOCARD_FRAME_TIME_BUDGET_MS`, 80, suits a
/// desk scanner) of decoding, checked between decoding steps.
///
/// Returns what `nocard_verifier_verify` returns for the code, or, before
/// any code is verified: `NOCARD_RESULT_NO_CODE` (no nocard code in the
/// frame: show the phone again), `NOCARD_RESULT_SEVERAL_CODES` (more than
/// one, e.g. two phones in view: which person is at the desk is not
/// guessed), `NOCARD_RESULT_SCAN_BUDGET_EXCEEDED` (the frame was not fully
/// searched), `NOCARD_RESULT_EMPTY_IMAGE`, `NOCARD_RESULT_IMAGE_TOO_LARGE`
/// (a side over 8192), `NOCARD_RESULT_STRIDE_TOO_SMALL`,
/// `NOCARD_RESULT_BUFFER_TOO_SHORT`; `NOCARD_RESULT_OUT_OF_RANGE` for a
/// `time_budget_ms` outside 1–10000; `NOCARD_RESULT_TOO_LONG` if
/// `pixels_len` is over `NOCARD_MAX_FRAME_LEN` (nothing is read),
/// `NOCARD_RESULT_NULL_PARAMETER` if a pointer is NULL,
/// `NOCARD_RESULT_PANIC` if nocard panicked. In those cases `out` holds no
/// outcome (`NOCARD_RESULT_NOT_VERIFIED`).
///
/// Whatever it returns, a non-NULL `out` is cleared first, as by
/// `nocard_verifier_verify`.
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
/// `verifier` is NULL or a live verifier; `pixels` is NULL or valid for
/// `pixels_len` bytes (when `pixels_len` is at most `NOCARD_MAX_FRAME_LEN`);
/// `out` is NULL or a live verification object.
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
        if !(1..=NOCARD_MAX_FRAME_TIME_BUDGET_MS).contains(&time_budget_ms) {
            return nocard_result::OutOfRange;
        }
        let scanner = Scanner::default().with_time_budget(Some(Duration::from_millis(time_budget_ms.into())));
        let codes = match scanner.scan_gray(pixels, width, height, stride) {
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

/// A frame the scanner refused. The image-file, colour-format and
/// pixel-stride errors cannot come from a grayscale buffer; should one ever
/// do, it is reported as a usage error rather than as a frame without code.
fn map_scan_error(error: &ScanError) -> nocard_result {
    match error {
        ScanError::EmptyImage { .. } => nocard_result::EmptyImage,
        ScanError::TooLarge { .. } => nocard_result::ImageTooLarge,
        ScanError::StrideTooSmall { .. } => nocard_result::StrideTooSmall,
        ScanError::BufferTooShort { .. } => nocard_result::BufferTooShort,
        ScanError::BudgetExceeded(_) => nocard_result::ScanBudgetExceeded,
        ScanError::BadPixelStride { .. }
        | ScanError::UnsupportedFormat
        | ScanError::BadImage(_)
        | ScanError::Io { .. } => nocard_result::Usage,
    }
}
