//! The holder's portrait, carried offline from the phone to the desk as a
//! short animated sequence of QR frames (SPEC.md §14).
//!
//! A resident ID card signs a `photo_digest` (SHA-256 of the photo) but no
//! credential carries the photo. After a presentation that discloses
//! `photo_digest`, the phone shows the portrait as `NCP1:` frames:
//! symbols of a RaptorQ fountain code (RFC 6330), so frames may be missed
//! and arrive in any order, and any `K` or a few more distinct symbols of a
//! `K`-symbol portrait rebuild it.
//!
//! - The phone: [`PortraitSender`], from the [`Presentation`] it just showed
//!   and the portrait bytes, gives frame `i` for any `i`.
//! - The desk: [`PortraitReceiver`], from the [`Verified`] presentation,
//!   takes frames as the camera reads them and reports progress; the
//!   portrait is released only once its SHA-256 equals the verified
//!   `photo_digest`.
//!
//! Every frame names its presentation (the first 8 bytes of the
//! presentation id), so frames of another presentation are refused one by
//! one instead of corrupting the decoding, and carries the transfer header
//! (portrait length, symbol size), so reception starts at any frame.
//! Everything is bounded: the portrait length, the symbols held and the
//! frames fed.
//!
//! [`Presentation`]: crate::presentation::Presentation
//! [`Verified`]: crate::verify::Verified

mod error;
mod frame;
mod receiver;
mod sender;
#[cfg(test)]
mod tests;

pub use error::{FrameDefect, PortraitError};
pub use frame::Frame;
pub use receiver::{PortraitReceiver, Progress};
pub use sender::PortraitSender;

/// The largest portrait carried: 16 KiB, several times a 96×112 JPEG or
/// AVIF of 2–4 KB.
pub const MAX_PORTRAIT_LEN: usize = 16 * 1024;
/// The smallest symbol size `T` a frame may carry.
pub const MIN_SYMBOL_SIZE: u16 = 16;
/// The largest symbol size `T`: a frame of it still fits a version 25-M QR.
pub const MAX_SYMBOL_SIZE: u16 = 1024;
/// The sender's default symbol size: a frame is 166 bytes, 254 characters,
/// a version 9-M QR code, small enough to read at 10 frames a second.
pub const DEFAULT_SYMBOL_SIZE: u16 = 150;
/// Bytes of the transfer id: the first bytes of the presentation id.
pub const TRANSFER_ID_LEN: usize = 8;
/// The receiver's default limit on frames fed, of any kind, before it gives
/// up: 60 s of frames at 10 frames a second.
pub const DEFAULT_MAX_FRAMES: u32 = 600;
/// The largest frame limit a receiver may be given.
pub const MAX_MAX_FRAMES: u32 = 100_000;
/// Distinct symbols beyond `K` a receiver holds before it gives up: RaptorQ
/// fails to decode from `K + 2` symbols with odds below 10⁻⁶ (RFC 6330
/// §4.2), so this many more means the symbols are not of one portrait.
pub const EXTRA_SYMBOLS: u32 = 32;
/// The largest encoding symbol id: 24 bits (RFC 6330 §3.2).
pub const MAX_ESI: u32 = (1 << 24) - 1;

/// The transfer id of a presentation: the first [`TRANSFER_ID_LEN`] bytes
/// of its presentation id.
fn transfer_id(presentation_id: &[u8; 32]) -> [u8; TRANSFER_ID_LEN] {
    let mut id = [0u8; TRANSFER_ID_LEN];
    id.copy_from_slice(&presentation_id[..TRANSFER_ID_LEN]);
    id
}

/// RaptorQ's object transmission information for a portrait of `len`
/// bytes in symbols of `symbol_size`: one source block, one sub-block,
/// alignment 1 (RFC 6330 §3.3.2, §3.3.3). Callers keep `len` within
/// [`MAX_PORTRAIT_LEN`] and `symbol_size` within its bounds, far inside
/// raptorq's asserted limits.
fn transmission_info(len: u16, symbol_size: u16) -> raptorq::ObjectTransmissionInformation {
    raptorq::ObjectTransmissionInformation::new(u64::from(len), symbol_size, 1, 1, 1)
}

/// `K`, the source symbols of a portrait of `len` bytes.
fn source_symbols(len: u16, symbol_size: u16) -> u32 {
    u32::from(len).div_ceil(u32::from(symbol_size))
}
