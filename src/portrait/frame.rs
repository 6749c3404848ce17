//! One portrait frame: its bytes and its `NCP1:` text (SPEC.md §14.2).

use alloc::string::String;
use alloc::vec::Vec;

use super::{FrameDefect, MAX_PORTRAIT_LEN, MAX_SYMBOL_SIZE, MIN_SYMBOL_SIZE, PortraitError, TRANSFER_ID_LEN};
use crate::text::{self, TextKind};

/// Bytes before the symbol.
pub(crate) const HEADER_LEN: usize = 16;

/// A portrait frame, borrowed from its bytes:
///
/// ```text
/// offset  size  field
///  0       8    transfer id: presentation id bytes 0..8
///  8       2    F, portrait length in bytes, big-endian, 1..=16384
/// 10       2    T, symbol size in bytes, big-endian, 16..=1024
/// 12       1    SBN, source block number, 0 (RFC 6330 §3.2)
/// 13       3    ESI, encoding symbol id, big-endian (RFC 6330 §3.2)
/// 16       T    the encoding symbol
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The presentation the frame belongs to.
    pub transfer_id: [u8; TRANSFER_ID_LEN],
    /// `F`: the portrait's length in bytes, 1..=[`MAX_PORTRAIT_LEN`].
    pub portrait_len: u16,
    /// `T`: the symbol size, [`MIN_SYMBOL_SIZE`]..=[`MAX_SYMBOL_SIZE`].
    pub symbol_size: u16,
    /// The encoding symbol id: `< K` a source symbol, else a repair symbol;
    /// at most [`MAX_ESI`](super::MAX_ESI) (read from 3 bytes;
    /// [`Self::to_bytes`] writes the low 24 bits).
    pub esi: u32,
    /// The symbol, exactly `symbol_size` bytes.
    pub symbol: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Reads a frame's bytes, checking each field in header order.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, PortraitError> {
        let malformed = |d| Err(PortraitError::FrameMalformed(d));
        let Some((header, symbol)) = bytes.split_first_chunk::<HEADER_LEN>() else {
            return malformed(FrameDefect::Truncated);
        };
        let mut transfer_id = [0u8; TRANSFER_ID_LEN];
        transfer_id.copy_from_slice(&header[..TRANSFER_ID_LEN]);
        let portrait_len = u16::from_be_bytes([header[8], header[9]]);
        let symbol_size = u16::from_be_bytes([header[10], header[11]]);
        if portrait_len == 0 {
            return malformed(FrameDefect::ZeroLength);
        }
        if usize::from(portrait_len) > MAX_PORTRAIT_LEN {
            return Err(PortraitError::TooLarge { len: usize::from(portrait_len) });
        }
        if !(MIN_SYMBOL_SIZE..=MAX_SYMBOL_SIZE).contains(&symbol_size) {
            return malformed(FrameDefect::SymbolSize);
        }
        if header[12] != 0 {
            return malformed(FrameDefect::SourceBlock);
        }
        let esi = u32::from_be_bytes([0, header[13], header[14], header[15]]);
        if symbol.len() != usize::from(symbol_size) {
            return malformed(FrameDefect::SymbolLength);
        }
        Ok(Self { transfer_id, portrait_len, symbol_size, esi, symbol })
    }

    /// The frame's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.symbol.len());
        out.extend_from_slice(&self.transfer_id);
        out.extend_from_slice(&self.portrait_len.to_be_bytes());
        out.extend_from_slice(&self.symbol_size.to_be_bytes());
        // SBN 0, then the 24-bit ESI: the low three bytes.
        out.extend_from_slice(&self.esi.to_be_bytes());
        out[12] = 0;
        out.extend_from_slice(self.symbol);
        out
    }

    /// The frame's `NCP1:` text, what one QR code carries.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Portrait, &self.to_bytes())
    }
}
