//! The desk's side: frames in, progress out, and the portrait once it
//! matches the signed `photo_digest`.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::fmt;

use raptorq::{EncodingPacket, PayloadId, SourceBlockDecoder};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{
    DEFAULT_MAX_FRAMES, EXTRA_SYMBOLS, Frame, MAX_MAX_FRAMES, PortraitError, TRANSFER_ID_LEN, source_symbols,
    transfer_id, transmission_info,
};
use crate::document::ClaimValue;
use crate::text::{self, TextKind};
use crate::verify::Verified;

/// The claim a portrait is checked against (SPEC.md §3.3).
const PHOTO_DIGEST: &str = "photo_digest";

/// How far a transfer has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// No frame of this presentation yet: the portrait's size is unknown.
    Waiting,
    /// `symbols` distinct symbols of the `needed` source symbols (`K`) held;
    /// decoding usually succeeds at `K`, rarely needs one or two more.
    Receiving {
        /// Distinct symbols held.
        symbols: u32,
        /// `K`.
        needed: u32,
    },
    /// The portrait is rebuilt and matches the signed digest.
    Complete,
}

/// The transfer header every frame of one transfer repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Header {
    portrait_len: u16,
    symbol_size: u16,
}

enum State {
    Waiting,
    Receiving { header: Header, decoder: SourceBlockDecoder, esis: BTreeSet<u32> },
    Complete(Vec<u8>),
    Failed(PortraitError),
}

/// Receives one presentation's portrait frame by frame. Frames of other
/// presentations, malformed frames and frames with another header are
/// refused one by one without touching the transfer; a portrait that does
/// not match the signed `photo_digest`, too many frames or too many symbols
/// end it. Memory is bounded: at most `K` + [`EXTRA_SYMBOLS`] symbols of a
/// portrait of at most [`MAX_PORTRAIT_LEN`](super::MAX_PORTRAIT_LEN) bytes.
pub struct PortraitReceiver {
    transfer_id: [u8; TRANSFER_ID_LEN],
    photo_digest: [u8; 32],
    max_frames: u32,
    frames_fed: u32,
    /// Distinct symbols beyond `K` held before giving up: [`EXTRA_SYMBOLS`];
    /// tests lower it to reach the limit.
    pub(super) extra_symbols: u32,
    state: State,
}

impl PortraitReceiver {
    /// A receiver for the portrait of a presentation that passed
    /// verification and disclosed `photo_digest`; refuses one that did not
    /// ([`PortraitError::NotDisclosed`]) or whose digest is not 32 bytes.
    pub fn new(verified: &Verified) -> Result<Self, PortraitError> {
        let claim = verified.claim(PHOTO_DIGEST).ok_or(PortraitError::NotDisclosed)?;
        let ClaimValue::Bytes(digest) = &claim.value else {
            return Err(PortraitError::DigestClaimInvalid);
        };
        let photo_digest = digest.as_slice().try_into().map_err(|_| PortraitError::DigestClaimInvalid)?;
        Ok(Self {
            transfer_id: transfer_id(&verified.presentation_id),
            photo_digest,
            max_frames: DEFAULT_MAX_FRAMES,
            frames_fed: 0,
            extra_symbols: EXTRA_SYMBOLS,
            state: State::Waiting,
        })
    }

    /// Gives up after `max` frames fed (of any kind), 1..=[`MAX_MAX_FRAMES`];
    /// [`DEFAULT_MAX_FRAMES`] unless set.
    pub fn max_frames(mut self, max: u32) -> Result<Self, PortraitError> {
        self.set_max_frames(max)?;
        Ok(self)
    }

    /// As [`Self::max_frames`], in place (for a handle held elsewhere); an
    /// out-of-range limit leaves the limit unchanged.
    pub fn set_max_frames(&mut self, max: u32) -> Result<(), PortraitError> {
        if !(1..=MAX_MAX_FRAMES).contains(&max) {
            return Err(PortraitError::FrameLimitOutOfRange { max });
        }
        self.max_frames = max;
        Ok(())
    }

    /// Feeds one frame's text as the camera read it. Returns the progress,
    /// or why the frame was refused ([`PortraitError::ends_transfer`] says
    /// whether later frames can still help). Frames after completion are
    /// not read.
    pub fn feed(&mut self, text: &[u8]) -> Result<Progress, PortraitError> {
        if let Some(settled) = self.admit() {
            return settled;
        }
        let bytes = text::decode(TextKind::Portrait, text)?;
        self.take(&Frame::from_bytes(&bytes)?)
    }

    /// Feeds one frame's bytes (the text already decoded), as [`Self::feed`].
    pub fn feed_bytes(&mut self, bytes: &[u8]) -> Result<Progress, PortraitError> {
        if let Some(settled) = self.admit() {
            return settled;
        }
        self.take(&Frame::from_bytes(bytes)?)
    }

    /// Counts a frame against the limit; the outcome when the transfer is
    /// already settled or the limit is reached, else `None`.
    fn admit(&mut self) -> Option<Result<Progress, PortraitError>> {
        match &self.state {
            State::Complete(_) => return Some(Ok(Progress::Complete)),
            State::Failed(e) => return Some(Err(e.clone())),
            State::Waiting | State::Receiving { .. } => {}
        }
        if self.frames_fed >= self.max_frames {
            return Some(Err(self.fail(PortraitError::FrameLimit { max: self.max_frames })));
        }
        self.frames_fed += 1;
        None
    }

    fn take(&mut self, frame: &Frame<'_>) -> Result<Progress, PortraitError> {
        if frame.transfer_id != self.transfer_id {
            return Err(PortraitError::OtherPresentation);
        }
        let header = Header { portrait_len: frame.portrait_len, symbol_size: frame.symbol_size };
        if let State::Waiting = self.state {
            let info = transmission_info(header.portrait_len, header.symbol_size);
            let block_len = u64::from(header.portrait_len);
            self.state = State::Receiving {
                header,
                decoder: SourceBlockDecoder::new(0, &info, block_len),
                esis: BTreeSet::new(),
            };
        }
        let State::Receiving { header: expected, decoder, esis } = &mut self.state else {
            unreachable!("Waiting became Receiving above; Complete and Failed returned in feed")
        };
        if header != *expected {
            return Err(PortraitError::HeaderMismatch);
        }
        let needed = source_symbols(header.portrait_len, header.symbol_size);
        if esis.contains(&frame.esi) {
            return Ok(Progress::Receiving { symbols: esis.len() as u32, needed });
        }
        let max = needed + self.extra_symbols;
        if esis.len() as u32 >= max {
            return Err(self.fail(PortraitError::SymbolLimit { max }));
        }
        esis.insert(frame.esi);
        let packet = EncodingPacket::new(PayloadId::new(0, frame.esi), frame.symbol.to_vec());
        let Some(mut portrait) = decoder.decode(core::iter::once(packet)) else {
            return Ok(Progress::Receiving { symbols: esis.len() as u32, needed });
        };
        portrait.truncate(usize::from(header.portrait_len));
        if !bool::from(Sha256::digest(&portrait).as_slice().ct_eq(&self.photo_digest)) {
            return Err(self.fail(PortraitError::DigestMismatch));
        }
        self.state = State::Complete(portrait);
        Ok(Progress::Complete)
    }

    /// Ends the transfer with `e`.
    fn fail(&mut self, e: PortraitError) -> PortraitError {
        self.state = State::Failed(e.clone());
        e
    }

    /// How far the transfer has come, or the error that ended it.
    pub fn progress(&self) -> Result<Progress, PortraitError> {
        match &self.state {
            State::Waiting => Ok(Progress::Waiting),
            State::Receiving { header, esis, .. } => Ok(Progress::Receiving {
                symbols: esis.len() as u32,
                needed: source_symbols(header.portrait_len, header.symbol_size),
            }),
            State::Complete(_) => Ok(Progress::Complete),
            State::Failed(e) => Err(e.clone()),
        }
    }

    /// Frames fed so far, counted against the limit.
    pub fn frames_fed(&self) -> u32 {
        self.frames_fed
    }

    /// The portrait, once complete: its SHA-256 is the signed `photo_digest`.
    pub fn portrait(&self) -> Option<&[u8]> {
        match &self.state {
            State::Complete(portrait) => Some(portrait),
            _ => None,
        }
    }
}

impl fmt::Debug for PortraitReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortraitReceiver")
            .field("frames_fed", &self.frames_fed)
            .field("max_frames", &self.max_frames)
            .field("progress", &self.progress())
            .finish_non_exhaustive()
    }
}
