//! The phone's side: a portrait as an endless run of frames.

use alloc::string::String;
use alloc::vec::Vec;

use raptorq::SourceBlockEncoder;

use super::{
    DEFAULT_SYMBOL_SIZE, Frame, MAX_ESI, MAX_PORTRAIT_LEN, MAX_SYMBOL_SIZE, MIN_SYMBOL_SIZE, PortraitError,
    TRANSFER_ID_LEN, source_symbols, transfer_id, transmission_info,
};
use crate::presentation::Presentation;

/// The frames of one portrait after one presentation. Frame `i` carries the
/// symbol with ESI `i`: frames `0..K` are the portrait itself in `T`-byte
/// pieces (the last zero-padded), later ones RaptorQ repair symbols, so a
/// phone shows `0, 1, 2, …` in a loop or on and on, and the desk needs any
/// `K` or a few more.
pub struct PortraitSender {
    transfer_id: [u8; TRANSFER_ID_LEN],
    portrait_len: u16,
    symbol_size: u16,
    /// Frames `0..K`: the padded portrait, cut in symbols.
    source: Vec<u8>,
    encoder: SourceBlockEncoder,
}

impl PortraitSender {
    /// The frames of `portrait` after `presentation`, in symbols of
    /// [`DEFAULT_SYMBOL_SIZE`] bytes.
    pub fn new(presentation: &Presentation, portrait: &[u8]) -> Result<Self, PortraitError> {
        Self::with_symbol_size(presentation, portrait, DEFAULT_SYMBOL_SIZE)
    }

    /// As [`Self::new`], in symbols of `symbol_size` bytes: larger symbols,
    /// fewer but larger QR codes.
    pub fn with_symbol_size(
        presentation: &Presentation,
        portrait: &[u8],
        symbol_size: u16,
    ) -> Result<Self, PortraitError> {
        if !(MIN_SYMBOL_SIZE..=MAX_SYMBOL_SIZE).contains(&symbol_size) {
            return Err(PortraitError::SymbolSizeOutOfRange { size: symbol_size });
        }
        if portrait.is_empty() {
            return Err(PortraitError::Empty);
        }
        let portrait_len = match u16::try_from(portrait.len()) {
            Ok(len) if usize::from(len) <= MAX_PORTRAIT_LEN => len,
            _ => return Err(PortraitError::TooLarge { len: portrait.len() }),
        };
        let k = source_symbols(portrait_len, symbol_size) as usize;
        let mut source = portrait.to_vec();
        source.resize(k * usize::from(symbol_size), 0);
        let encoder = SourceBlockEncoder::new(0, &transmission_info(portrait_len, symbol_size), &source);
        Ok(Self { transfer_id: transfer_id(&presentation.id()), portrait_len, symbol_size, source, encoder })
    }

    /// `K`: the source symbols, the fewest frames that can carry the portrait.
    pub fn source_symbols(&self) -> u32 {
        source_symbols(self.portrait_len, self.symbol_size)
    }

    /// Frame `index` (its ESI) as `NCP1:` text; indexes above [`MAX_ESI`]
    /// are refused.
    pub fn frame(&self, index: u32) -> Result<String, PortraitError> {
        if index > MAX_ESI {
            return Err(PortraitError::FrameIndexOutOfRange { index });
        }
        let k = self.source_symbols();
        let t = usize::from(self.symbol_size);
        let repair;
        let symbol = if index < k {
            let at = index as usize * t;
            &self.source[at..at + t]
        } else {
            repair = self.encoder.repair_packets(index - k, 1);
            // One packet asked for, one returned.
            repair[0].data()
        };
        let frame = Frame {
            transfer_id: self.transfer_id,
            portrait_len: self.portrait_len,
            symbol_size: self.symbol_size,
            esi: index,
            symbol,
        };
        Ok(frame.to_text())
    }
}
