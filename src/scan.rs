//! Reading presentation QR codes back from camera frames and image files.
//!
//! The scanner hands over a frame (8-bit grayscale with a row stride, RGB,
//! RGBA, BGRA, a camera's YUV as NV21, NV12 or a luma plane with row and
//! pixel strides, or a PNG/JPEG file); nocard finds every QR code in it, keeps the
//! ones whose text is a presentation (`NC1:`…, see [`crate::text::kind_of`])
//! and returns their texts in the order found, each once. Other QR codes in
//! the frame (a shop's Wi-Fi code, a payment code) are ignored, and a frame
//! with no nocard code gives an empty list: that is the normal case while the
//! camera is still looking for one. Verify each text with
//! [`crate::verify::Verifier::verify`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let frame = vec![255u8; 160 * 120]; // a blank camera frame
//! assert!(nocard::scan::scan_gray(&frame, 160, 120, 160)?.is_empty());
//! let short = nocard::scan::scan_gray(&frame[..1000], 160, 120, 160).unwrap_err();
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
//! stride shorter than a row, a pixel stride out of range, a buffer shorter
//! than the rows it claims, and frames larger than [`MAX_SIDE`] on either
//! side are each a distinct [`ScanError`]. YUV frames are read from their
//! luma plane alone, with no colour conversion.
//!
//! Light-on-dark codes (dark-mode screens, wallet apps that draw the code
//! inverted) are read too: every pass also looks at its binarised frame
//! inverted when that shows light-on-dark finder patterns.
//!
//! Every frame has a work budget (see [`Scanner`]): a frame built to make
//! the decoder search forever (a sheet of finder patterns, say) is
//! [`ScanError::BudgetExceeded`], never a hang and never a false "no code".

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use crate::text::{TextKind, kind_of};

/// Largest accepted frame side in pixels (width and height each).
pub const MAX_SIDE: usize = 8192;

/// Largest pixel stride [`Scanner::scan_y_plane`] accepts (bytes from one
/// luma sample to the next in a row).
pub const MAX_PIXEL_STRIDE: usize = 8;

/// Largest frame decoded at full size, in pixels (1920 × 1080). Larger
/// frames are halved (each pixel the mean of a 2×2 block) until they fit:
/// decoding cost grows with the pixel count, and a code small enough to be
/// lost by halving would not fit a 1080p view of the desk anyway.
pub const MAX_DECODE_PIXELS: usize = 1920 * 1080;

/// Most finder patterns (the three squares in a QR code's corners) one
/// binarised pass may show, per polarity (dark on light, light on dark),
/// for it to be decoded; see [`BudgetLimit::FinderPatterns`]. Six codes'
/// worth; a sheet of them is refused in one linear pass over the frame.
pub const MAX_FINDER_PATTERNS: usize = 18;

/// Most rows through a 1:1:3:1:1 run of alternating colours (either
/// polarity, every third row, before any other check) one binarised pass
/// may show for it to be decoded; see [`BudgetLimit::PatternRows`]. The
/// decoder examines each such row in 2-D, so noise at full contrast makes
/// it slow; a real code shows a few hundred, and a noisy camera frame that
/// goes over is still read from the half-size pass, where the noise is
/// averaged away.
pub const MAX_PATTERN_ROWS: usize = 2000;

/// Most triples of finder patterns tried as a code in one pass, most
/// plausible first; see [`BudgetLimit::FinderSets`].
pub const MAX_FINDER_SETS: usize = 64;

/// Most finder triples a pass retries from a perspective-corrected frame
/// when they did not read as a code (steep viewing angles; default decoder
/// only). A retry of triples already tried, not a wider search, so the cap
/// does not make a frame [`ScanError::BudgetExceeded`]; the time budget
/// still applies between retries.
pub const MAX_RECTIFIED_SETS: usize = 2;

/// Largest side, in pixels, of the perspective-corrected frame a retry
/// decodes (the code takes three quarters of it).
pub const MAX_RECTIFIED_SIDE: usize = 1024;

/// The time budget [`Scanner::default`] and [`Scanner::new`] give one frame;
/// see [`Scanner::with_time_budget`].
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_millis(80);

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
        /// Bytes one row needs: width × bytes per pixel; for a luma plane
        /// (width − 1) × pixel stride + 1; for NV21/NV12 a chroma row, the
        /// width rounded up to even.
        row_bytes: usize,
    },
    /// A luma plane's pixel stride is 0 or larger than [`MAX_PIXEL_STRIDE`].
    BadPixelStride {
        /// Declared pixel stride in bytes.
        pixel_stride: usize,
        /// The largest accepted pixel stride.
        max: usize,
    },
    /// The buffer is shorter than the rows it is said to hold.
    BufferTooShort {
        /// Buffer length in bytes.
        len: usize,
        /// Bytes needed: (rows − 1) × stride + one row, where NV21/NV12
        /// count their chroma rows too; `usize::MAX` if that overflows.
        needed: usize,
    },
    /// The bytes are neither PNG nor JPEG.
    UnsupportedFormat,
    /// A PNG or JPEG that does not decode; the decoder's message.
    BadImage(String),
    /// The frame needs more work than the scanner's budget allows and no
    /// code was read before it ran out: not a "no code" answer, since the
    /// frame was not fully searched. A sheet of finder patterns or other
    /// hostile pattern held up to the camera gives this; so can a real frame
    /// on a machine too slow for the time budget.
    BudgetExceeded(BudgetLimit),
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
            ScanError::BadPixelStride { .. } => "bad_pixel_stride",
            ScanError::BufferTooShort { .. } => "buffer_too_short",
            ScanError::UnsupportedFormat => "unsupported_image_format",
            ScanError::BadImage(_) => "bad_image",
            ScanError::BudgetExceeded(_) => "scan_budget_exceeded",
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
            ScanError::BadPixelStride { pixel_stride, max } => {
                write!(f, "pixel stride {pixel_stride} is not between 1 and {max}")
            }
            ScanError::BufferTooShort { len, needed } => {
                write!(f, "buffer of {len} bytes is shorter than the {needed} the image needs")
            }
            ScanError::UnsupportedFormat => f.write_str("not a PNG or JPEG image"),
            ScanError::BadImage(msg) => write!(f, "image does not decode: {msg}"),
            ScanError::BudgetExceeded(limit) => write!(f, "frame exceeds the scan budget: {limit}"),
            ScanError::Io { message, .. } => write!(f, "cannot read image: {message}"),
        }
    }
}

/// Which part of a frame's work budget ran out ([`ScanError::BudgetExceeded`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BudgetLimit {
    /// A binarised pass showed more finder patterns than
    /// [`MAX_FINDER_PATTERNS`] (in one polarity); that pass was not handed
    /// to the decoder.
    FinderPatterns {
        /// The cap.
        max: usize,
    },
    /// A binarised pass showed more rows through 1:1:3:1:1 runs than
    /// [`MAX_PATTERN_ROWS`] (noise, fine patterns); that pass was not handed
    /// to the decoder.
    PatternRows {
        /// The cap.
        max: usize,
    },
    /// A pass gave more plausible finder-pattern triples than
    /// [`MAX_FINDER_SETS`]; only the most plausible were tried.
    FinderSets {
        /// Triples found.
        found: usize,
        /// How many were tried.
        max: usize,
    },
    /// The time budget ran out between two steps of the search.
    Time {
        /// The scanner's time budget.
        budget: Duration,
    },
}

impl fmt::Display for BudgetLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BudgetLimit::FinderPatterns { max } => write!(f, "more than {max} finder patterns in one pass"),
            BudgetLimit::PatternRows { max } => write!(f, "more than {max} rows through 1:1:3:1:1 runs in one pass"),
            BudgetLimit::FinderSets { found, max } => {
                write!(f, "{found} finder-pattern triples in one pass, only {max} tried")
            }
            BudgetLimit::Time { budget } => write!(f, "time budget of {} ms used up", budget.as_millis()),
        }
    }
}

impl From<std::io::Error> for ScanError {
    fn from(e: std::io::Error) -> Self {
        ScanError::Io { kind: e.kind(), message: e.to_string() }
    }
}

/// A reusable scanner: which decoder to use and how long one frame may
/// take. [`Scanner::default`] is what the free functions ([`scan_gray`] and
/// the rest) use.
///
/// Every frame gets a work budget, so that no frame, however hostile, holds
/// the scanner for long: frames over [`MAX_DECODE_PIXELS`] are halved first;
/// a binarised pass with more finder-pattern-like spots than
/// [`MAX_FINDER_PATTERNS`] is not decoded; at most [`MAX_FINDER_SETS`]
/// finder triples are tried a pass; and the time budget is checked between
/// passes and between triples (the decoders themselves cannot be
/// interrupted, so one step may run past it). A frame whose search was cut
/// short without finding a presentation is [`ScanError::BudgetExceeded`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scanner {
    decoder: Decoder,
    time_budget: Option<Duration>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new(Decoder::default())
    }
}

impl Scanner {
    /// A scanner using `decoder`, with [`DEFAULT_TIME_BUDGET`].
    pub fn new(decoder: Decoder) -> Self {
        Self { decoder, time_budget: Some(DEFAULT_TIME_BUDGET) }
    }

    /// The same scanner with another time budget a frame; `None` leaves only
    /// the work caps (for batch jobs that would rather wait than miss).
    #[must_use]
    pub fn with_time_budget(self, time_budget: Option<Duration>) -> Self {
        Self { time_budget, ..self }
    }

    /// The decoder this scanner uses.
    pub fn decoder(&self) -> Decoder {
        self.decoder
    }

    /// The time budget a frame, if any.
    pub fn time_budget(&self) -> Option<Duration> {
        self.time_budget
    }

    /// Scans an 8-bit grayscale frame (0 black, 255 white): `width` × `height`
    /// pixels, row `y` starting at byte `y × stride`. The last row's padding
    /// may be missing (as in some camera APIs): `data` needs
    /// (height − 1) × stride + width bytes.
    pub fn scan_gray(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        check(data.len(), width, height, stride, 1)?;
        let gray =
            if stride == width { Cow::Borrowed(&data[..width * height]) } else { repack(data, width, height, stride) };
        self.scan_checked(&Gray { pixels: &gray, width, height }, work)
    }

    /// Scans an RGB frame (3 bytes a pixel, `stride` bytes a row).
    pub fn scan_rgb(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        check(data.len(), width, height, stride, 3)?;
        let gray = to_gray(data, width, height, stride, 3);
        self.scan_checked(&Gray { pixels: &gray, width, height }, work)
    }

    /// Scans an RGBA frame (4 bytes a pixel, `stride` bytes a row);
    /// transparent pixels count as white, as on a light page.
    pub fn scan_rgba(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        check(data.len(), width, height, stride, 4)?;
        let gray = to_gray(data, width, height, stride, 4);
        self.scan_checked(&Gray { pixels: &gray, width, height }, work)
    }

    /// Scans a BGRA frame (4 bytes a pixel in the order blue, green, red,
    /// alpha, `stride` bytes a row), as iOS cameras deliver
    /// (`kCVPixelFormatType_32BGRA`); transparent pixels count as white.
    pub fn scan_bgra(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        check(data.len(), width, height, stride, 4)?;
        let gray = to_gray_ordered(data, width, height, stride, BGRA);
        self.scan_checked(&Gray { pixels: &gray, width, height }, work)
    }

    /// Scans an NV21 frame (Android's camera default): the luma (Y) plane,
    /// `height` rows of `stride` bytes, then the interleaved V/U plane, half
    /// as many rows (rounded up) of the same stride. Only the luma plane is
    /// read; the whole layout is checked against `data` (its last row's
    /// padding may be missing).
    pub fn scan_nv21(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        self.scan_semi_planar(data, width, height, stride)
    }

    /// Scans an NV12 frame (iOS's bi-planar YUV in one buffer, many USB
    /// and embedded cameras): as [`Scanner::scan_nv21`] with the chroma
    /// bytes in U/V order, which the scan does not read.
    pub fn scan_nv12(&self, data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
        self.scan_semi_planar(data, width, height, stride)
    }

    /// Scans the luma (Y) plane of a planar or semi-planar YUV frame as
    /// Android's `YUV_420_888` `Image.getPlanes()[0]` gives it (and iOS's
    /// bi-planar formats' plane 0): pixel (x, y) at byte
    /// `y × row_stride + x × pixel_stride`. `pixel_stride` is 1 to
    /// [`MAX_PIXEL_STRIDE`]; `data` needs
    /// (height − 1) × row_stride + (width − 1) × pixel_stride + 1 bytes.
    pub fn scan_y_plane(
        &self,
        data: &[u8],
        width: usize,
        height: usize,
        row_stride: usize,
        pixel_stride: usize,
    ) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        check_sides(width, height)?;
        if !(1..=MAX_PIXEL_STRIDE).contains(&pixel_stride) {
            return Err(ScanError::BadPixelStride { pixel_stride, max: MAX_PIXEL_STRIDE });
        }
        // Cannot overflow: width ≤ MAX_SIDE and pixel_stride ≤ MAX_PIXEL_STRIDE.
        let row_bytes = (width - 1) * pixel_stride + 1;
        check_rows(data.len(), height, row_stride, row_bytes)?;
        let gray = if pixel_stride == 1 {
            if row_stride == width {
                Cow::Borrowed(&data[..width * height])
            } else {
                repack(data, width, height, row_stride)
            }
        } else {
            let mut out = Vec::with_capacity(width * height);
            for row in data.chunks(row_stride).take(height) {
                out.extend(row[..row_bytes].iter().step_by(pixel_stride));
            }
            Cow::Owned(out)
        };
        self.scan_checked(&Gray { pixels: &gray, width, height }, work)
    }

    /// Scans a frame whose layout is known only at run time (the C API and
    /// the bindings take it as an argument): the `scan_*` method `format`
    /// names, with `row_stride` as its stride.
    pub fn scan_frame(
        &self,
        format: FrameFormat,
        data: &[u8],
        width: usize,
        height: usize,
        row_stride: usize,
    ) -> Result<Vec<String>, ScanError> {
        match format {
            FrameFormat::Gray8 => self.scan_gray(data, width, height, row_stride),
            FrameFormat::Rgb => self.scan_rgb(data, width, height, row_stride),
            FrameFormat::Rgba => self.scan_rgba(data, width, height, row_stride),
            FrameFormat::Bgra => self.scan_bgra(data, width, height, row_stride),
            FrameFormat::Nv21 => self.scan_nv21(data, width, height, row_stride),
            FrameFormat::Nv12 => self.scan_nv12(data, width, height, row_stride),
            FrameFormat::YPlane { pixel_stride } => self.scan_y_plane(data, width, height, row_stride, pixel_stride),
        }
    }

    fn scan_semi_planar(
        &self,
        data: &[u8],
        width: usize,
        height: usize,
        stride: usize,
    ) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        check_sides(width, height)?;
        // Chroma rows hold ⌈width/2⌉ byte pairs; the Y rows fit in them.
        let chroma_row = width.div_ceil(2) * 2;
        // Cannot overflow: both sides ≤ MAX_SIDE.
        check_rows(data.len(), height + height.div_ceil(2), stride, chroma_row)?;
        let gray =
            if stride == width { Cow::Borrowed(&data[..width * height]) } else { repack(data, width, height, stride) };
        self.scan_checked(&Gray { pixels: &gray, width, height }, work)
    }

    /// Scans a PNG or JPEG image held in memory. Images larger than
    /// [`MAX_SIDE`] are refused from their header, before decoding.
    pub fn scan_image_bytes(&self, bytes: &[u8]) -> Result<Vec<String>, ScanError> {
        let work = self.work();
        let (pixels, width, height) = decode_image(bytes)?;
        self.scan_checked(&Gray { pixels: &pixels, width, height }, work)
    }

    /// Reads and scans a PNG or JPEG file (the format is taken from the
    /// content, not the file name).
    pub fn scan_image_file(&self, path: impl AsRef<std::path::Path>) -> Result<Vec<String>, ScanError> {
        self.scan_image_bytes(&std::fs::read(path)?)
    }

    fn work(&self) -> Work {
        Work { start: Instant::now(), budget: self.time_budget, exceeded: None }
    }

    fn scan_checked(&self, gray: &Gray<'_>, mut work: Work) -> Result<Vec<String>, ScanError> {
        let mut small: Option<(Vec<u8>, usize, usize)> = None;
        while small.as_ref().map_or(gray.pixels.len(), |s| s.0.len()) > MAX_DECODE_PIXELS {
            let current =
                small.as_ref().map_or(*gray, |(pixels, width, height)| Gray { pixels, width: *width, height: *height });
            // Cannot be None: a frame over MAX_DECODE_PIXELS is far wider and taller than 42 pixels.
            let Some(half) = half_size(&current) else { break };
            small = Some(half);
        }
        let gray =
            small.as_ref().map_or(*gray, |(pixels, width, height)| Gray { pixels, width: *width, height: *height });
        let found = match self.decoder {
            Decoder::Rxing => rxing_backend::decode(&gray, &mut work),
            Decoder::Rqrr => rqrr_backend::decode(&gray, &mut work),
        };
        let mut out: Vec<String> = Vec::new();
        for text in found {
            if is_presentation(&text) && !out.contains(&text) {
                out.push(text);
            }
        }
        match work.exceeded {
            Some(limit) if out.is_empty() => Err(ScanError::BudgetExceeded(limit)),
            _ => Ok(out),
        }
    }
}

/// A camera frame's pixel layout, for [`Scanner::scan_frame`]: each is
/// read as the `scan_*` method of the same name reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrameFormat {
    /// 8-bit grayscale ([`Scanner::scan_gray`]).
    Gray8,
    /// 3 bytes a pixel, red first ([`Scanner::scan_rgb`]).
    Rgb,
    /// 4 bytes a pixel, red first, alpha last ([`Scanner::scan_rgba`]).
    Rgba,
    /// 4 bytes a pixel, blue first, alpha last ([`Scanner::scan_bgra`]).
    Bgra,
    /// Luma plane, then interleaved V/U ([`Scanner::scan_nv21`]).
    Nv21,
    /// Luma plane, then interleaved U/V ([`Scanner::scan_nv12`]).
    Nv12,
    /// A luma plane alone, `pixel_stride` bytes from one sample to the next
    /// ([`Scanner::scan_y_plane`]).
    YPlane {
        /// Bytes from one luma sample to the next in a row (1 to
        /// [`MAX_PIXEL_STRIDE`]).
        pixel_stride: usize,
    },
}

/// What one frame may still spend, and the first limit it ran into.
struct Work {
    start: Instant,
    budget: Option<Duration>,
    exceeded: Option<BudgetLimit>,
}

impl Work {
    /// True (and recorded) once the time budget is used up.
    fn out_of_time(&mut self) -> bool {
        match self.budget {
            Some(budget) if self.start.elapsed() > budget => {
                self.exceeded.get_or_insert(BudgetLimit::Time { budget });
                true
            }
            _ => false,
        }
    }

    /// Whether a pass with these `spots` may be decoded in the polarity
    /// showing `patterns` finder patterns.
    fn admits(&mut self, spots: Spots, patterns: usize) -> bool {
        if spots.row_hits > MAX_PATTERN_ROWS {
            self.exceeded.get_or_insert(BudgetLimit::PatternRows { max: MAX_PATTERN_ROWS });
            return false;
        }
        if patterns > MAX_FINDER_PATTERNS {
            self.exceeded.get_or_insert(BudgetLimit::FinderPatterns { max: MAX_FINDER_PATTERNS });
            return false;
        }
        true
    }
}

/// A code a verifier takes: a presentation, plain or sealed.
fn is_presentation(text: &str) -> bool {
    matches!(kind_of(text.as_bytes()), Some(TextKind::Presentation | TextKind::Sealed))
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

/// Scans a BGRA frame with the default decoder; see [`Scanner::scan_bgra`].
pub fn scan_bgra(data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_bgra(data, width, height, stride)
}

/// Scans an NV21 frame with the default decoder; see [`Scanner::scan_nv21`].
pub fn scan_nv21(data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_nv21(data, width, height, stride)
}

/// Scans an NV12 frame with the default decoder; see [`Scanner::scan_nv12`].
pub fn scan_nv12(data: &[u8], width: usize, height: usize, stride: usize) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_nv12(data, width, height, stride)
}

/// Scans a luma plane with the default decoder; see [`Scanner::scan_y_plane`].
pub fn scan_y_plane(
    data: &[u8],
    width: usize,
    height: usize,
    row_stride: usize,
    pixel_stride: usize,
) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_y_plane(data, width, height, row_stride, pixel_stride)
}

/// Reads and scans a PNG or JPEG file with the default decoder; see [`Scanner::scan_image_file`].
pub fn scan_image_file(path: impl AsRef<std::path::Path>) -> Result<Vec<String>, ScanError> {
    Scanner::default().scan_image_file(path)
}

/// Checks a frame's geometry against its buffer before any pixel is read.
fn check(len: usize, width: usize, height: usize, stride: usize, bytes_per_pixel: usize) -> Result<(), ScanError> {
    check_sides(width, height)?;
    // Cannot overflow: width ≤ MAX_SIDE.
    check_rows(len, height, stride, width * bytes_per_pixel)
}

fn check_sides(width: usize, height: usize) -> Result<(), ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::EmptyImage { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ScanError::TooLarge { width, height, max: MAX_SIDE });
    }
    Ok(())
}

/// `rows` rows of `row_bytes` each, `stride` apart, the last one without
/// its padding, in a buffer of `len` bytes (`rows` ≥ 1).
fn check_rows(len: usize, rows: usize, stride: usize, row_bytes: usize) -> Result<(), ScanError> {
    if stride < row_bytes {
        return Err(ScanError::StrideTooSmall { stride, row_bytes });
    }
    let needed = (rows - 1).checked_mul(stride).and_then(|n| n.checked_add(row_bytes)).unwrap_or(usize::MAX);
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

/// Where red, green, blue and (if any) alpha sit in a pixel.
struct Channels {
    bytes: usize,
    rgb: [usize; 3],
}

const RGB: Channels = Channels { bytes: 3, rgb: [0, 1, 2] };
const RGBA: Channels = Channels { bytes: 4, rgb: [0, 1, 2] };
const BGRA: Channels = Channels { bytes: 4, rgb: [2, 1, 0] };

/// BT.601 luma of RGB or RGBA pixels; see [`to_gray_ordered`].
fn to_gray(data: &[u8], width: usize, height: usize, stride: usize, bytes_per_pixel: usize) -> Cow<'static, [u8]> {
    to_gray_ordered(data, width, height, stride, if bytes_per_pixel == 3 { RGB } else { RGBA })
}

/// BT.601 luma in 8.8 fixed point; with alpha (the 4th byte), composited
/// over white.
fn to_gray_ordered(data: &[u8], width: usize, height: usize, stride: usize, order: Channels) -> Cow<'static, [u8]> {
    let [r, g, b] = order.rgb;
    let mut out = Vec::with_capacity(width * height);
    for row in data.chunks(stride).take(height) {
        for px in row[..width * order.bytes].chunks_exact(order.bytes) {
            let luma = (77 * u32::from(px[r]) + 150 * u32::from(px[g]) + 29 * u32::from(px[b]) + 128) >> 8;
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

/// One decoder pass over a frame: the codes it reads.
type Pass<'a> = dyn Fn(&mut Work) -> Vec<String> + 'a;

/// Runs `passes` in order until one finds a presentation or the time
/// budget runs out (checked before every pass but the first); returns what
/// that pass found (or, when none does, the last pass's codes).
fn first_finding(work: &mut Work, passes: &[&Pass<'_>]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, pass) in passes.iter().enumerate() {
        if i > 0 && work.out_of_time() {
            break;
        }
        found = guarded(|| pass(work));
        if found.iter().any(|t| is_presentation(t)) {
            break;
        }
    }
    found
}

/// Finder patterns in a binarised frame, per polarity, each counted up to
/// [`MAX_FINDER_PATTERNS`] + 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Spots {
    /// Dark centre on light (a normal code).
    dark: usize,
    /// Light centre on dark (an inverted code).
    light: usize,
    /// Rows through a 1:1:3:1:1 run, either polarity, before any other
    /// check: what the decoder's own search examines one by one.
    row_hits: usize,
}

/// Counts the finder patterns of a `width` × `height` binarised frame
/// (`black(x, y)`) as ZXing's finder search sees them: every third row,
/// each run of five alternating runs in proportion 1:1:3:1:1 (each within
/// half a module) whose centre column and both diagonals show the same
/// proportions, merged
/// with an earlier one whose centre is within half its width. Linear in
/// the pixels, and it stops counting a polarity past the cap: this decides
/// whether the decoder, whose search is not linear in the number of
/// patterns, gets the frame.
fn finder_spots(width: usize, height: usize, black: impl Fn(usize, usize) -> bool) -> Spots {
    // Centre and width of each pattern found, dark ones and light ones.
    let mut found: [Vec<(usize, usize, usize)>; 2] = [Vec::new(), Vec::new()];
    let mut runs: Vec<usize> = Vec::with_capacity(64);
    let mut row_hits = 0;
    for y in (2..height).step_by(3) {
        runs.clear();
        let first = black(0, y);
        let (mut colour, mut len) = (first, 0);
        for x in 0..width {
            if black(x, y) == colour {
                len += 1;
            } else {
                runs.push(len);
                (colour, len) = (!colour, 1);
            }
        }
        runs.push(len);
        let mut start = 0;
        for (i, window) in runs.windows(5).enumerate() {
            let dark = first == (i % 2 == 0);
            let run = [window[0], window[1], window[2], window[3], window[4]];
            let patterns = &mut found[usize::from(!dark)];
            if finder_like(run) {
                row_hits += 1;
            }
            if patterns.len() <= MAX_FINDER_PATTERNS && finder_like(run) {
                let centre = start + window[0] + window[1] + window[2] / 2;
                let size: usize = run.iter().sum();
                let known = patterns.iter().any(|&(x, y0, s)| x.abs_diff(centre) < s / 2 && y0.abs_diff(y) < s / 2);
                // Any line through the centre of concentric squares crosses
                // them in the same proportions: down the column and along both
                // diagonals, whatever the code's rotation.
                let across = |(x, y), d| runs_through((width, height), (x, y), d, dark, 2 * size, &black);
                let vertical = if known { None } else { across((centre, y), (0, 1)) };
                let centred =
                    vertical.filter(|v| finder_like(v.0)).map(|(_, shift)| (centre, y.saturating_add_signed(shift)));
                if let Some(at) = centred
                    && [(1, 1), (1, -1)].into_iter().all(|d| across(at, d).is_some_and(|r| finder_like(r.0)))
                {
                    patterns.push((centre, y, size));
                }
            }
            start += window[0];
        }
    }
    Spots { dark: found[0].len(), light: found[1].len(), row_hits }
}

/// Whether five run lengths are in proportion 1:1:3:1:1, each within half a
/// module.
fn finder_like(run: [usize; 5]) -> bool {
    let total: usize = run.iter().sum();
    if total < 7 {
        return false;
    }
    // In sevenths of a pixel: a module is `total` sevenths.
    let near = |len: usize, modules: usize| (7 * len).abs_diff(modules * total) * 2 < total * modules;
    near(run[0], 1) && near(run[1], 1) && near(run[2], 3) && near(run[3], 1) && near(run[4], 1)
}

/// The five runs through (`x`, `y`) in direction (`dx`, `dy`) and back:
/// the centre run of colour `dark` and two more each way, each at most
/// `limit` long (else `None`); runs cut off by the frame edge count as far
/// as they go. Also how many steps from (`x`, `y`) the centre run's middle is.
fn runs_through(
    (width, height): (usize, usize),
    (x, y): (usize, usize),
    (dx, dy): (isize, isize),
    dark: bool,
    limit: usize,
    black: &impl Fn(usize, usize) -> bool,
) -> Option<([usize; 5], isize)> {
    let inside = |x: isize, y: isize| x >= 0 && y >= 0 && (x as usize) < width && (y as usize) < height;
    let runs_from = |step: isize| -> Option<[usize; 3]> {
        let mut runs = [0usize; 3];
        // x < width and y < height, both ≤ MAX_SIDE: they fit an isize.
        let (mut at_x, mut at_y) = (x as isize, y as isize);
        if step > 0 {
            (at_x, at_y) = (at_x + dx, at_y + dy);
        }
        for (run, colour) in runs.iter_mut().zip([dark, !dark, dark]) {
            while inside(at_x, at_y) && black(at_x as usize, at_y as usize) == colour {
                *run += 1;
                if *run > limit {
                    return None;
                }
                (at_x, at_y) = (at_x + step * dx, at_y + step * dy);
            }
        }
        Some(runs)
    };
    let (back, ahead) = (runs_from(-1)?, runs_from(1)?);
    // Both ≤ limit, a few times MAX_SIDE: they fit an isize.
    let shift = (ahead[0] as isize - back[0] as isize + 1).div_euclid(2);
    Some(([back[2], back[1], back[0] + ahead[0], ahead[1], ahead[2]], shift))
}

mod rxing_backend {
    use super::*;
    use rxing::common::cpp_essentials::{ConcentricPattern, FindConcentricPatternCorners};
    use rxing::common::{
        BitMatrix, DetectorRXingResult, GlobalHistogramBinarizer, HybridBinarizer, PerspectiveTransform, Quadrilateral,
    };
    use rxing::qrcode::cpp_port::decoder::Decode;
    use rxing::qrcode::cpp_port::detector::{
        FindFinderPatterns, FinderPatternSet, GenerateFinderPatternSets, SampleQR,
    };
    use rxing::{Binarizer, BinaryBitmap, Luma8Source, Point};

    /// ZXing's local-block binarizer first (handles uneven light), then
    /// its global-histogram one (low contrast: blocks under ZXing's minimum
    /// dynamic range of 24 levels are otherwise taken as blank), then the
    /// half-size frame (noise, JPEG), then the sharpened frame (blur, low
    /// contrast), then the sharpened half-size frame. Each later pass runs
    /// only when the earlier ones found no presentation; each pass also
    /// reads its binarised frame inverted (light codes on dark) when that
    /// shows finder-like spots.
    pub(super) fn decode(gray: &Gray<'_>, work: &mut Work) -> Vec<String> {
        first_finding(
            work,
            &[
                &|work| hybrid(gray, work),
                &|work| read(gray, work, |s| BinaryBitmap::new(GlobalHistogramBinarizer::new(s))),
                &|work| {
                    half_size(gray)
                        .map(|(pixels, width, height)| hybrid(&Gray { pixels: &pixels, width, height }, work))
                        .unwrap_or_default()
                },
                &|work| hybrid(&Gray { pixels: &sharpen(gray), ..*gray }, work),
                &|work| {
                    half_size(gray)
                        .map(|(pixels, width, height)| {
                            let half = Gray { pixels: &pixels, width, height };
                            hybrid(&Gray { pixels: &sharpen(&half), ..half }, work)
                        })
                        .unwrap_or_default()
                },
            ],
        )
    }

    /// The local-block binarizer's reading.
    fn hybrid(gray: &Gray<'_>, work: &mut Work) -> Vec<String> {
        read(gray, work, |s| BinaryBitmap::new(HybridBinarizer::new(s)))
    }

    /// Reads both polarities; then, if they found no presentation, the
    /// first [`MAX_RECTIFIED_SETS`] finder triples that did not read, each
    /// from a frame rectified to face the camera (read in both polarities
    /// with the local-block binarizer, and not rectified again).
    fn read<'a, B: Binarizer<Source = Luma8Source<'a>>>(
        gray: &Gray<'a>,
        work: &mut Work,
        bitmap: impl FnOnce(Luma8Source<'a>) -> BinaryBitmap<B>,
    ) -> Vec<String> {
        let mut missed = Vec::new();
        let mut found = read_polarities(gray, work, bitmap, Some(&mut missed));
        for corners in missed {
            if found.iter().any(|t| is_presentation(t)) || work.out_of_time() {
                break;
            }
            if let Some((pixels, side)) = rectify(gray, corners) {
                let face_on = Gray { pixels: &pixels, width: side, height: side };
                found.extend(read_polarities(&face_on, work, |s| BinaryBitmap::new(HybridBinarizer::new(s)), None));
            }
        }
        found
    }

    /// Binarises, counts the finder-like spots in each polarity, and reads
    /// the normal polarity, then (if it found no presentation and the frame
    /// has light-on-dark spots) the inverted one. With `missed`, the code
    /// corners of the first [`MAX_RECTIFIED_SETS`] triples that did not
    /// read go there.
    fn read_polarities<'a, B: Binarizer<Source = Luma8Source<'a>>>(
        gray: &Gray<'a>,
        work: &mut Work,
        bitmap: impl FnOnce(Luma8Source<'a>) -> BinaryBitmap<B>,
        mut missed: Option<&mut Vec<[Point; 4]>>,
    ) -> Vec<String> {
        let Ok(source) = Luma8Source::new_with_slice(gray.pixels, gray.width as u32, gray.height as u32) else {
            return Vec::new();
        };
        let mut bitmap = bitmap(source);
        let spots = {
            let matrix = bitmap.get_black_matrix();
            finder_spots(gray.width, gray.height, |x, y| matrix.get(x as u32, y as u32))
        };
        let mut found = Vec::new();
        if work.admits(spots, spots.dark) {
            found = read_matrix(bitmap.get_black_matrix(), work, missed.as_deref_mut());
        }
        if spots.light > 0
            && !found.iter().any(|t| is_presentation(t))
            && !work.out_of_time()
            && work.admits(spots, spots.light)
        {
            bitmap.invert();
            found.extend(read_matrix(bitmap.get_black_matrix(), work, missed));
        }
        found
    }

    /// ZXing's QR reader (`QRReader.cpp`, as rxing's `QrReader` runs it for
    /// QR codes only), with the budget checked between finder triples. The
    /// code corners of the first [`MAX_RECTIFIED_SETS`] triples that do not
    /// read go to `missed`, if given.
    fn read_matrix(matrix: &BitMatrix, work: &mut Work, mut missed: Option<&mut Vec<[Point; 4]>>) -> Vec<String> {
        let mut patterns = FindFinderPatterns(matrix, true, 0);
        let sets = GenerateFinderPatternSets(&mut patterns);
        let mut used = Vec::new();
        let mut texts = Vec::new();
        for (i, set) in sets.iter().enumerate() {
            if i == MAX_FINDER_SETS {
                work.exceeded.get_or_insert(BudgetLimit::FinderSets { found: sets.len(), max: MAX_FINDER_SETS });
                break;
            }
            if i > 0 && work.out_of_time() {
                break;
            }
            if [set.bl, set.tl, set.tr].iter().any(|p| used.contains(p)) {
                continue;
            }
            match SampleQR(matrix, set).map(|detected| Decode(detected.getBits())) {
                Ok(Ok(result)) if result.isValid() => {
                    used.extend([set.bl, set.tl, set.tr]);
                    texts.push(result.text());
                }
                _ => {
                    if let Some(missed) = missed.as_deref_mut().filter(|m| m.len() < MAX_RECTIFIED_SETS) {
                        missed.extend(code_corners(matrix, set));
                    }
                }
            }
        }
        texts
    }

    /// The code's corners in the frame (top left, top right, bottom right,
    /// bottom left, each half a module in from the edge), from the outlines
    /// of its three finder patterns rather than their centres. Under steep
    /// perspective the module size changes across the code, so ZXing's
    /// estimate of the code's size from the distances between centres (and
    /// with it the sampling grid) is wrong, and so can be its choice of the
    /// corner pattern, which it takes to be the one at the angle nearest
    /// 90°. The outlines settle both: the other two patterns lie along the
    /// corner pattern's edges, and the outer corners of the three are three
    /// corners of the code; the fourth is where the top-right pattern's
    /// right edge meets the bottom-left pattern's bottom edge.
    fn code_corners(matrix: &BitMatrix, set: &FinderPatternSet) -> Option<[Point; 4]> {
        // The corners of each finder pattern's outer ring (the middle of its
        // one-module-wide black square).
        let outline = |p: ConcentricPattern| Some((p.p, FindConcentricPatternCorners(matrix, p.p, p.size, 2)?));
        let patterns = [outline(set.tl)?, outline(set.tr)?, outline(set.bl)?];
        let corner = (0..3).min_by(|&i, &j| off_axes(&patterns, i).total_cmp(&off_axes(&patterns, j)))?;
        let (tl, mut tr, mut bl) = (&patterns[corner], &patterns[(corner + 1) % 3], &patterns[(corner + 2) % 3]);
        if (tr.0 - tl.0).cross(bl.0 - tl.0) < 0.0 {
            (tr, bl) = (bl, tr);
        }
        // Code coordinates (a, b): a along the top edge, b down the left one.
        let (u, v) = (tr.0 - tl.0, bl.0 - tl.0);
        let det = u.cross(v);
        if det.abs() < 1.0 {
            return None;
        }
        let code = |q: Point| {
            let d = q - tl.0;
            (d.cross(v) / det, u.cross(d) / det)
        };
        let most = |quad: &Quadrilateral, score: fn((f32, f32)) -> f32| {
            quad.0.iter().copied().max_by(|p, q| score(code(*p)).total_cmp(&score(code(*q))))
        };
        let top_left = most(&tl.1, |(a, b)| -a - b)?;
        let top_right = most(&tr.1, |(a, b)| a - b)?;
        let bottom_left = most(&bl.1, |(a, b)| b - a)?;
        let bottom_right =
            intersection((top_right, most(&tr.1, |(a, b)| a + b)?), (bottom_left, most(&bl.1, |(a, b)| a + b)?))?;
        Some([top_left, top_right, bottom_right, bottom_left])
    }

    /// How far the other two patterns are from lying along the edges of
    /// pattern `i` (in the affine frame of its outline): 0 when each lies
    /// exactly along one edge direction, 2 when both are diagonal.
    fn off_axes(patterns: &[(Point, Quadrilateral); 3], i: usize) -> f32 {
        let (centre, q) = (patterns[i].0, &patterns[i].1);
        let (e1, e2) = ((q[1] - q[0] + q[2] - q[3]) / 2.0, (q[3] - q[0] + q[2] - q[1]) / 2.0);
        let det = e1.cross(e2);
        if det.abs() < 1.0 {
            return f32::INFINITY;
        }
        [(i + 1) % 3, (i + 2) % 3]
            .iter()
            .map(|&j| {
                let d = patterns[j].0 - centre;
                let (x, y) = ((d.cross(e2) / det).abs(), (e1.cross(d) / det).abs());
                x.min(y) / x.max(y).max(f32::EPSILON)
            })
            .sum()
    }

    /// Where the line through `p` meets the line through `q` (None if they
    /// are near parallel).
    fn intersection(p: (Point, Point), q: (Point, Point)) -> Option<Point> {
        let (dp, dq) = (p.1 - p.0, q.1 - q.0);
        let den = dp.cross(dq);
        if den.abs() < 1e-3 {
            return None;
        }
        let t = (q.0 - p.0).cross(dq) / den;
        Some(p.0 + dp * t)
    }

    /// The frame resampled (bilinear) so that the code with these corners
    /// fills a square of at most [`MAX_RECTIFIED_SIDE`] pixels with a
    /// margin of a sixth of it on each side: what the camera would have seen
    /// face on. Points outside the frame are white.
    fn rectify(gray: &Gray<'_>, corners: [Point; 4]) -> Option<(Vec<u8>, usize)> {
        let longest = (0..4).map(|i| (corners[(i + 1) % 4] - corners[i]).length()).fold(0f32, f32::max);
        let code = longest.min(MAX_RECTIFIED_SIDE as f32 * 0.75).round();
        let margin = (code / 6.0).round();
        let side = (code + 2.0 * margin) as usize;
        if side < 21 {
            return None;
        }
        let (near, far) = (margin, margin + code);
        let square =
            Quadrilateral([Point::new(near, near), Point::new(far, near), Point::new(far, far), Point::new(near, far)]);
        let to_frame = PerspectiveTransform::quadrilateralToQuadrilateral(square, Quadrilateral(corners)).ok()?;
        let (w, h) = (gray.width, gray.height);
        let at = |x: usize, y: usize| f32::from(gray.pixels[y * w + x]);
        let mut out = Vec::with_capacity(side * side);
        for y in 0..side {
            for x in 0..side {
                let p = to_frame.transform_point(Point::new(x as f32 + 0.5, y as f32 + 0.5));
                let (fx, fy) = (p.x - 0.5, p.y - 0.5);
                // Also false for NaN, from a point at infinity.
                let inside = fx >= 0.0 && fy >= 0.0 && fx < (w - 1) as f32 && fy < (h - 1) as f32;
                out.push(if inside {
                    let (x0, y0) = (fx as usize, fy as usize);
                    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
                    let top = at(x0, y0) * (1.0 - tx) + at(x0 + 1, y0) * tx;
                    let bottom = at(x0, y0 + 1) * (1.0 - tx) + at(x0 + 1, y0 + 1) * tx;
                    (top * (1.0 - ty) + bottom * ty).round() as u8
                } else {
                    255
                });
            }
        }
        Some((out, side))
    }
}

mod rqrr_backend {
    use super::*;
    use rqrr::PreparedImage;

    /// quirc's own adaptive threshold first, then the globally (Otsu)
    /// binarised frame, then the half-size frame; each also inverted when
    /// its binarised frame shows light-on-dark finder-like spots.
    pub(super) fn decode(gray: &Gray<'_>, work: &mut Work) -> Vec<String> {
        first_finding(
            work,
            &[&|work| read(gray, work), &|work| read(&Gray { pixels: &otsu(gray), ..*gray }, work), &|work| {
                half_size(gray)
                    .map(|(pixels, width, height)| read(&Gray { pixels: &pixels, width, height }, work))
                    .unwrap_or_default()
            }],
        )
    }

    fn read(gray: &Gray<'_>, work: &mut Work) -> Vec<String> {
        let read_prepared = |mut image: PreparedImage<_>, work: &mut Work| {
            let mut texts = Vec::new();
            for (i, grid) in image.detect_grids().iter().enumerate() {
                if i > 0 && work.out_of_time() {
                    break;
                }
                if let Ok((_, text)) = grid.decode() {
                    texts.push(text);
                }
            }
            texts
        };
        let (w, px) = (gray.width, gray.pixels);
        let image = PreparedImage::prepare_from_greyscale(w, gray.height, |x, y| px[y * w + x]);
        let spots = finder_spots(w, gray.height, |x, y| image.get_pixel_at(x, y) != 0u8 /* white */);
        let mut found = Vec::new();
        if work.admits(spots, spots.dark) {
            found = read_prepared(image, work);
        }
        if spots.light > 0
            && !found.iter().any(|t| is_presentation(t))
            && !work.out_of_time()
            && work.admits(spots, spots.light)
        {
            let inverted = PreparedImage::prepare_from_greyscale(w, gray.height, |x, y| 255 - px[y * w + x]);
            found.extend(read_prepared(inverted, work));
        }
        found
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

    /// Each format reaches its own reader: a stride of 0 is refused with
    /// that reader's row length.
    #[test]
    fn scan_frame_reads_each_format_as_its_method() {
        let scanner = Scanner::default();
        for (format, row_bytes) in [
            (FrameFormat::Gray8, 3),
            (FrameFormat::Rgb, 9),
            (FrameFormat::Rgba, 12),
            (FrameFormat::Bgra, 12),
            (FrameFormat::Nv21, 4),
            (FrameFormat::Nv12, 4),
            (FrameFormat::YPlane { pixel_stride: 2 }, 5),
        ] {
            assert_eq!(
                scanner.scan_frame(format, &[0; 64], 3, 2, 0),
                Err(ScanError::StrideTooSmall { stride: 0, row_bytes }),
                "{format:?}"
            );
        }
        assert_eq!(
            scanner.scan_frame(FrameFormat::YPlane { pixel_stride: 0 }, &[0; 64], 3, 2, 8),
            Err(ScanError::BadPixelStride { pixel_stride: 0, max: MAX_PIXEL_STRIDE })
        );
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
        // No time budget: a panic with a backtrace can take longer than one.
        let mut work = Scanner::default().with_time_budget(None).work();
        let found = first_finding(&mut work, &[&|_| panic!("decoder bug"), &|_| alloc::vec!["NC1:ABC".to_string()]]);
        assert_eq!(found, ["NC1:ABC"]);
        // A pass that finds only other codes does not stop the retries.
        let found = first_finding(
            &mut work,
            &[&|_| alloc::vec!["WIFI:S:X;;".to_string()], &|_| alloc::vec!["NC1:ABC".to_string()]],
        );
        assert_eq!(found, ["NC1:ABC"]);
        assert_eq!(work.exceeded, None);
    }

    #[cfg(feature = "qr")]
    #[test]
    fn a_code_shows_three_finder_patterns_and_its_negative_shows_them_light() {
        use crate::qr::{EcLevel, QrMatrix};
        for module in [1, 2, 5] {
            let (gray, side) = QrMatrix::encode("NC1:ABC", EcLevel::M).unwrap().to_gray(module);
            let spots = finder_spots(side, side, |x, y| gray[y * side + x] < 128);
            assert_eq!((spots.dark, spots.light), (3, 0), "{module} px");
            assert!(spots.row_hits >= 3 && spots.row_hits < 100, "{spots:?}");
            let spots = finder_spots(side, side, |x, y| gray[y * side + x] >= 128);
            assert_eq!((spots.dark, spots.light), (0, 3), "{module} px");
        }
        // Flat and striped frames show none.
        assert_eq!(finder_spots(50, 50, |_, _| true), Spots::default());
        assert_eq!(finder_spots(50, 50, |x, _| x % 2 == 0).dark, 0);
    }

    #[test]
    fn finder_proportions_allow_half_a_module() {
        assert!(finder_like([2, 2, 6, 2, 2]));
        assert!(finder_like([1, 1, 3, 1, 1]));
        assert!(finder_like([2, 3, 6, 2, 2]));
        assert!(!finder_like([1, 1, 1, 1, 1]));
        assert!(!finder_like([4, 2, 6, 2, 2]));
        assert!(!finder_like([0, 0, 0, 0, 0]));
    }
}
