//! Why a portrait frame, transfer or setting was refused.

use core::fmt;

use crate::error::Error;

/// Why a portrait frame, transfer or setting was refused (SPEC.md §14.5).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortraitError {
    /// The frame text is not base45 under an `NCP1:` prefix, or names
    /// another version (the core text error: `malformed`,
    /// `unsupported_version`).
    Text(Error),
    /// The frame's bytes do not follow SPEC.md §14.2.
    FrameMalformed(FrameDefect),
    /// A portrait longer than [`MAX_PORTRAIT_LEN`](super::MAX_PORTRAIT_LEN),
    /// given to the sender or announced by a frame.
    TooLarge {
        /// The length given or announced.
        len: usize,
    },
    /// An empty portrait given to the sender.
    Empty,
    /// The frame belongs to another presentation's transfer: frames of two
    /// presentations are mixed. The frame is refused; the transfer goes on.
    OtherPresentation,
    /// The frame names this presentation but another portrait length or
    /// symbol size than the frames before it. The frame is refused.
    HeaderMismatch,
    /// The verified presentation does not disclose `photo_digest`: the desk
    /// must ask for a profile or claims that include it.
    NotDisclosed,
    /// The disclosed `photo_digest` is not 32 bytes, so no portrait can match it.
    DigestClaimInvalid,
    /// The rebuilt portrait's SHA-256 is not the signed `photo_digest`. The
    /// transfer is over; nothing is shown.
    DigestMismatch,
    /// More frames were fed than the receiver's limit. The transfer is over.
    FrameLimit {
        /// The limit.
        max: u32,
    },
    /// More distinct symbols than `K` + [`EXTRA_SYMBOLS`](super::EXTRA_SYMBOLS)
    /// arrived without the portrait decoding. The transfer is over.
    SymbolLimit {
        /// The symbols held.
        max: u32,
    },
    /// A symbol size outside
    /// [`MIN_SYMBOL_SIZE`](super::MIN_SYMBOL_SIZE)..=[`MAX_SYMBOL_SIZE`](super::MAX_SYMBOL_SIZE),
    /// refused when set.
    SymbolSizeOutOfRange {
        /// The size asked for.
        size: u16,
    },
    /// A frame limit outside 1..=[`MAX_MAX_FRAMES`](super::MAX_MAX_FRAMES),
    /// refused when set.
    FrameLimitOutOfRange {
        /// The limit asked for.
        max: u32,
    },
    /// A frame index above [`MAX_ESI`](super::MAX_ESI) asked of the sender.
    FrameIndexOutOfRange {
        /// The index asked for.
        index: u32,
    },
}

/// What is wrong with a frame's bytes (SPEC.md §14.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameDefect {
    /// Shorter than the 16-byte header.
    Truncated,
    /// The portrait length is 0.
    ZeroLength,
    /// The symbol size is outside its bounds.
    SymbolSize,
    /// The source block number is not 0.
    SourceBlock,
    /// The symbol is not exactly the symbol size long.
    SymbolLength,
}

impl PortraitError {
    /// The stable snake_case code (SPEC.md §14.5).
    pub fn code(&self) -> &'static str {
        match self {
            PortraitError::Text(e) => e.code(),
            PortraitError::FrameMalformed(_) => "portrait_frame_malformed",
            PortraitError::TooLarge { .. } => "portrait_too_large",
            PortraitError::Empty => "portrait_empty",
            PortraitError::OtherPresentation => "portrait_other_presentation",
            PortraitError::HeaderMismatch => "portrait_header_mismatch",
            PortraitError::NotDisclosed => "portrait_not_disclosed",
            PortraitError::DigestClaimInvalid => "portrait_digest_claim_invalid",
            PortraitError::DigestMismatch => "portrait_digest_mismatch",
            PortraitError::FrameLimit { .. } => "portrait_frame_limit",
            PortraitError::SymbolLimit { .. } => "portrait_symbol_limit",
            PortraitError::SymbolSizeOutOfRange { .. } => "portrait_symbol_size_out_of_range",
            PortraitError::FrameLimitOutOfRange { .. } => "portrait_frame_limit_out_of_range",
            PortraitError::FrameIndexOutOfRange { .. } => "portrait_frame_index_out_of_range",
        }
    }

    /// Whether the transfer is over: the receiver refuses every later frame
    /// with the same error. The other errors refuse one frame only.
    pub fn ends_transfer(&self) -> bool {
        matches!(
            self,
            PortraitError::DigestMismatch | PortraitError::FrameLimit { .. } | PortraitError::SymbolLimit { .. }
        )
    }
}

impl fmt::Display for FrameDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrameDefect::Truncated => "shorter than its 16-byte header",
            FrameDefect::ZeroLength => "announces an empty portrait",
            FrameDefect::SymbolSize => "symbol size out of bounds",
            FrameDefect::SourceBlock => "source block number is not 0",
            FrameDefect::SymbolLength => "symbol is not the symbol size long",
        })
    }
}

impl fmt::Display for PortraitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortraitError::Text(e) => write!(f, "portrait frame text: {e}"),
            PortraitError::FrameMalformed(d) => write!(f, "malformed portrait frame: {d}"),
            PortraitError::TooLarge { len } => {
                write!(f, "portrait of {len} bytes is above {} bytes", super::MAX_PORTRAIT_LEN)
            }
            PortraitError::Empty => f.write_str("the portrait is empty"),
            PortraitError::OtherPresentation => f.write_str("portrait frame of another presentation"),
            PortraitError::HeaderMismatch => {
                f.write_str("portrait frame announces another length or symbol size than the frames before")
            }
            PortraitError::NotDisclosed => f.write_str(
                "the presentation does not disclose photo_digest: ask for a profile that does \
                 (roadside_check, government_window) or for the photo_digest claim",
            ),
            PortraitError::DigestClaimInvalid => f.write_str("the disclosed photo_digest is not 32 bytes"),
            PortraitError::DigestMismatch => f.write_str("the portrait does not match the signed photo_digest"),
            PortraitError::FrameLimit { max } => write!(f, "more than {max} portrait frames fed"),
            PortraitError::SymbolLimit { max } => {
                write!(f, "{max} distinct portrait symbols held and the portrait does not decode")
            }
            PortraitError::SymbolSizeOutOfRange { size } => {
                write!(f, "symbol size {size} is outside {}..={}", super::MIN_SYMBOL_SIZE, super::MAX_SYMBOL_SIZE)
            }
            PortraitError::FrameLimitOutOfRange { max } => {
                write!(f, "frame limit {max} is outside 1..={}", super::MAX_MAX_FRAMES)
            }
            PortraitError::FrameIndexOutOfRange { index } => {
                write!(f, "frame index {index} is above {}", super::MAX_ESI)
            }
        }
    }
}

impl core::error::Error for PortraitError {}

impl From<Error> for PortraitError {
    fn from(e: Error) -> Self {
        PortraitError::Text(e)
    }
}
