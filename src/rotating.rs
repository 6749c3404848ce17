//! The rotating code the phone shows: one frame per window, redrawn just
//! before it goes stale.
//!
//! [`RotatingCode::frame`] signs and QR-encodes once per window and hands
//! back the cached frame for every other call inside it: encoding a
//! version-13 symbol costs more than the device signature, and a phone asks
//! for the frame on every screen refresh.
//!
//! Schedule and clock assumptions: the frame shown at time `t` is the one for
//! the window containing `t + lead`, where `lead` is [`RotatingCode::LEAD_SECS`]
//! (or a fifth of a short window). The app redraws at `redraw_at`, `lead`
//! seconds before the window ends, so a code on screen always has at least
//! `lead` seconds left; the next frame may start up to `lead` seconds in the
//! future, which the verifier's clock-skew tolerance (10 s by default,
//! SPEC.md §5) absorbs as long as phone and scanner clocks agree to within
//! `skew - lead` seconds.

use alloc::string::String;

use crate::error::Error;
use crate::presentation::{DeviceSigner, Disclose, Holder, Window};
use crate::qr::{EcLevel, QrMatrix};

/// One frame of the rotating code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The `NC1:` text the QR carries.
    pub text: String,
    /// The QR modules, for native drawing.
    pub matrix: QrMatrix,
    /// The presentation window (`valid_from` = start, `expires` = end).
    pub window: Window,
    /// When the app should draw the next frame.
    pub redraw_at: u64,
}

/// A holder's code for one scene, rotating every window.
pub struct RotatingCode<S> {
    holder: Holder<S>,
    disclose: Disclose,
    secs: u16,
    challenge: Option<u32>,
    level: EcLevel,
    current: Option<Frame>,
}

impl<S: DeviceSigner> RotatingCode<S> {
    /// Seconds before a window ends at which the next frame is drawn.
    pub const LEAD_SECS: u64 = 2;

    /// A code disclosing `disclose`, 30-second windows, level M.
    pub fn new(holder: Holder<S>, disclose: Disclose) -> Self {
        Self { holder, disclose, secs: Window::DEFAULT_SECS, challenge: None, level: EcLevel::M, current: None }
    }

    /// Window length (5–300 s); checked when the first frame is made.
    #[must_use]
    pub fn window_secs(mut self, secs: u16) -> Self {
        self.secs = secs;
        self.current = None;
        self
    }

    /// QR error-correction level.
    #[must_use]
    pub fn level(mut self, level: EcLevel) -> Self {
        self.level = level;
        self.current = None;
        self
    }

    /// Binds a desk's challenge into every frame from now on (the frame is re-signed).
    pub fn set_challenge(&mut self, challenge: Option<u32>) {
        self.challenge = challenge;
        self.current = None;
    }

    fn lead(&self) -> u64 {
        Self::LEAD_SECS.min(u64::from(self.secs) / 5)
    }

    /// The frame to show at `now`: cached inside a window, fresh (one device
    /// signature, one QR encoding) when the window changes.
    pub fn frame(&mut self, now: u64) -> Result<&Frame, Error> {
        let window = Window::containing(now.saturating_add(self.lead()), self.secs)?;
        if self.current.as_ref().is_none_or(|f| f.window != window) {
            let mut builder = self.holder.present(self.disclose.clone()).at(window.start()).window_secs(self.secs);
            if let Some(c) = self.challenge {
                builder = builder.challenge(c);
            }
            let text = builder.sign()?.to_text();
            let matrix = QrMatrix::encode(&text, self.level).map_err(|_| crate::error::UsageError::TooLarge)?;
            self.current = Some(Frame { text, matrix, window, redraw_at: window.end() - self.lead() });
        }
        // Set just above whenever it was empty or stale.
        Ok(self.current.as_ref().expect("frame cached above"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Profile;
    use crate::keys::Algorithm;
    use crate::testing::*;

    #[test]
    fn frames_rotate_before_they_go_stale() {
        let mut code =
            RotatingCode::new(holder(Algorithm::EdDsa, Algorithm::Es256), Disclose::Profile(Profile::HotelCheckIn));
        let first = code.frame(NOW).unwrap().clone();
        assert_eq!((first.window.start(), first.window.end(), first.redraw_at), (NOW, NOW + 30, NOW + 28));
        assert_eq!(first.matrix.version(), 13);
        assert_eq!(code.frame(NOW + 27).unwrap(), &first);
        let next = code.frame(NOW + 28).unwrap().clone();
        assert_eq!((next.window.start(), next.redraw_at), (NOW + 30, NOW + 58));
        // Shown two seconds early, the next frame still verifies (skew 10 s).
        assert!(verifier(Algorithm::EdDsa).verify(next.text.as_bytes(), NOW + 28).is_ok());
        // Every frame verifies until its window (plus skew) is over.
        assert!(verifier(Algorithm::EdDsa).verify(first.text.as_bytes(), NOW + 29).is_ok());
    }

    #[test]
    fn a_challenge_re_signs_the_current_window() {
        let mut code =
            RotatingCode::new(holder(Algorithm::EdDsa, Algorithm::Es256), Disclose::Profile(Profile::HotelCheckIn));
        let plain = code.frame(NOW).unwrap().text.clone();
        code.set_challenge(Some(4711));
        let bound = code.frame(NOW).unwrap().text.clone();
        assert_ne!(plain, bound);
        let v = verifier_with(Algorithm::EdDsa, crate::verify::Policy::default().challenge(4711).unwrap());
        assert_eq!(v.verify(bound.as_bytes(), NOW).unwrap().challenge, Some(4711));
    }

    #[test]
    fn short_windows_keep_a_fifth_as_lead() {
        let mut code =
            RotatingCode::new(holder(Algorithm::EdDsa, Algorithm::EdDsa), Disclose::Profile(Profile::VisitorLog))
                .window_secs(5);
        let f = code.frame(NOW).unwrap();
        assert_eq!((f.window.start(), f.redraw_at), (NOW, NOW + 4));
        let mut bad =
            RotatingCode::new(holder(Algorithm::EdDsa, Algorithm::EdDsa), Disclose::Profile(Profile::VisitorLog))
                .window_secs(4);
        assert_eq!(bad.frame(NOW).unwrap_err().code(), "usage");
    }
}
