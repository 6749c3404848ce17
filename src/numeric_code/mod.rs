//! The 8-digit numeric check code: the fallback when no QR can be scanned.
//!
//! The citizen reads out eight digits, the clerk types them, and the
//! issuer's back office checks them online (SPEC.md §12). Nothing here is
//! verifiable offline: the code is a MAC under a secret that only the wallet
//! and the issuer know.
//!
//! - At issuance the issuer derives a per-credential [`CodeSecret`] from its
//!   [`CodeKey`] with HKDF-SHA256 ([`CodeKey::secret`]) and puts it in the
//!   [`CredentialBundle`](crate::credential::CredentialBundle), never in a
//!   credential or a presentation.
//! - The wallet computes the code of the current 30 s step
//!   ([`CodeSecret::code_at`]): TOTP (RFC 6238 §4) over HOTP (RFC 4226 §5),
//!   HMAC-SHA256, 8 digits.
//! - The back office re-derives the secret from the credential id and checks
//!   the code with [`check_code`], or with a [`CodeChecker`], which also
//!   refuses a code accepted before (RFC 6238 §5.2).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// Digits in a code (RFC 4226 §5.3 allows 6 to 8; more digits, lower odds).
pub const DIGITS: usize = 8;
/// Seconds in a time step (RFC 6238 §5.2's recommended X), counted from the
/// Unix epoch (T0 = 0).
pub const STEP_SECS: u64 = 30;
/// Bytes of a [`CodeKey`] and of a [`CodeSecret`]: the output size of
/// SHA-256, as RFC 4226 §4 (R6) and RFC 2104 §3 recommend for an HMAC key.
pub const KEY_LEN: usize = 32;
/// HKDF salt separating code secrets from any other use of the code key.
const DERIVATION_LABEL: &[u8] = b"nocard v1 numeric code";
/// 10^[`DIGITS`].
const MODULUS: u32 = 100_000_000;
/// Steps beyond the drift, either side, in which a matching code is
/// reported as [`CodeError::OutsideDrift`] rather than a wrong code: five
/// minutes, enough to tell a clerk that the phone's clock is off.
const DIAGNOSTIC_STEPS: u64 = 10;

/// The issuer's key for code secrets: 32 random bytes, kept by the issuer
/// and its back office, apart from the signing key (a back office that
/// checks codes cannot sign credentials).
pub struct CodeKey([u8; KEY_LEN]);

impl CodeKey {
    /// A key from 32 bytes the issuer keeps.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// A fresh key from the operating system's randomness.
    #[cfg(feature = "std")]
    pub fn generate() -> Result<Self, crate::error::UsageError> {
        let mut key = [0u8; KEY_LEN];
        getrandom::fill(&mut key).map_err(|_| crate::error::UsageError::Randomness)?;
        Ok(Self(key))
    }

    /// The key's bytes, to store it.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The secret of the credential `id` issued by `issuer` (SPEC.md §12.1):
    /// HKDF-SHA256 (RFC 5869) with salt `"nocard v1 numeric code"`, this key
    /// as IKM, and info `len(issuer) || issuer || id` (one length byte; an
    /// issuer name is at most 64 bytes). The back office derives the same
    /// secret from the credential id instead of storing it.
    pub fn secret(&self, issuer: &str, id: &[u8]) -> CodeSecret {
        let mut info = Vec::with_capacity(1 + issuer.len() + id.len());
        // Issuers are named in at most MAX_ISSUER_LEN (64) bytes, so the
        // length byte never saturates for a credential that was issued.
        info.push(issuer.len().min(usize::from(u8::MAX)) as u8);
        info.extend_from_slice(issuer.as_bytes());
        info.extend_from_slice(id);
        let mut secret = [0u8; KEY_LEN];
        Hkdf::<Sha256>::new(Some(DERIVATION_LABEL), &self.0)
            .expand(&info, &mut secret)
            .expect("32 bytes is far below HKDF-SHA256's 8160-byte limit");
        CodeSecret(secret)
    }
}

impl Drop for CodeKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeKey(<redacted>)")
    }
}

/// One credential's code secret: the HMAC key of its codes. Zeroed on drop,
/// redacted in `Debug`, compared in constant time.
#[derive(Clone)]
pub struct CodeSecret([u8; KEY_LEN]);

impl CodeSecret {
    /// A secret from its 32 bytes (as the bundle carries it).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The secret's bytes, to write the bundle.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The code of the step containing `now` (Unix seconds).
    pub fn code_at(&self, now: u64) -> NumericCode {
        let step = now / STEP_SECS;
        NumericCode { value: self.hotp(step), step, seconds_left: STEP_SECS - now % STEP_SECS }
    }

    /// HOTP (RFC 4226 §5.3) of `counter` with HMAC-SHA256: the dynamic
    /// truncation's offset is the low 4 bits of the last byte of the MAC, as
    /// RFC 6238 §1.2 and its appendix A do for HMAC-SHA256.
    fn hotp(&self, counter: u64) -> u32 {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(&counter.to_be_bytes());
        let hash = mac.finalize().into_bytes();
        let offset = usize::from(hash[hash.len() - 1] & 0x0f);
        // offset + 3 ≤ 18 < 32, the MAC's length.
        let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
        binary % MODULUS
    }
}

impl Drop for CodeSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for CodeSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeSecret(<redacted>)")
    }
}

impl PartialEq for CodeSecret {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for CodeSecret {}

/// The code of one time step, as the wallet shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumericCode {
    /// The code, below 10^8; shown with leading zeros ([`fmt::Display`]).
    pub value: u32,
    /// The time step T = floor(now / 30) (RFC 6238 §4.2).
    pub step: u64,
    /// Seconds until the next step, 1 to 30.
    pub seconds_left: u64,
}

impl fmt::Display for NumericCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.value)
    }
}

/// How many steps either side of the current one a code may be from: the
/// clocks of phone and back office differ, and reading a code out takes
/// time. At most [`Drift::MAX`], enforced by [`Drift::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drift(u8);

impl Drift {
    /// The widest drift: ±4 steps, two minutes either way. Each step more
    /// adds two codes an attacker's guess can hit (SPEC.md §12.4).
    pub const MAX: u8 = 4;

    /// A drift of `steps` (0 to [`Drift::MAX`], else [`CodeError::DriftOutOfRange`]).
    pub fn new(steps: u8) -> Result<Self, CodeError> {
        if steps > Self::MAX {
            return Err(CodeError::DriftOutOfRange { steps });
        }
        Ok(Self(steps))
    }

    /// The number of steps either side.
    pub fn steps(self) -> u8 {
        self.0
    }
}

/// ±1 step, RFC 6238 §5.2's recommendation.
impl Default for Drift {
    fn default() -> Self {
        Self(1)
    }
}

/// Why a code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeError {
    /// Not exactly 8 ASCII digits.
    Malformed,
    /// No step within the drift, nor near it, has this code.
    WrongCode,
    /// The code is that of `step`, outside the drift around `current`: the
    /// phone's clock is off, or the code is old.
    OutsideDrift {
        /// The step whose code it is.
        step: u64,
        /// The back office's step.
        current: u64,
    },
    /// The code of `step` came after the code of step `last` was accepted
    /// for the same credential (RFC 6238 §5.2: never accept a code twice).
    Replayed {
        /// The step whose code it is.
        step: u64,
        /// The last step accepted.
        last: u64,
    },
    /// A drift above [`Drift::MAX`].
    DriftOutOfRange {
        /// The steps asked for.
        steps: u8,
    },
}

impl CodeError {
    /// The stable snake_case code (SPEC.md §12.5).
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::Malformed => "malformed_code",
            CodeError::WrongCode => "wrong_code",
            CodeError::OutsideDrift { .. } => "outside_drift",
            CodeError::Replayed { .. } => "code_replayed",
            CodeError::DriftOutOfRange { .. } => "drift_out_of_range",
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Malformed => f.write_str("a code is exactly 8 ASCII digits"),
            CodeError::WrongCode => f.write_str("wrong code"),
            CodeError::OutsideDrift { step, current } => {
                write!(f, "the code of step {step} is outside the drift around step {current}")
            }
            CodeError::Replayed { step, last } => {
                write!(f, "the code of step {step} came after step {last} was accepted")
            }
            CodeError::DriftOutOfRange { steps } => write!(f, "drift of {steps} steps is above {}", Drift::MAX),
        }
    }
}

impl core::error::Error for CodeError {}

/// Checks `code` against `secret` at `now` (Unix seconds), accepting the
/// codes of the steps within `drift` of the current one; returns the step
/// whose code it is. Each candidate is compared in constant time.
///
/// This does not remember accepted codes: a caller that keeps its own state
/// must refuse a step not above the last one it accepted for the credential
/// (RFC 6238 §5.2), as [`CodeChecker`] does.
pub fn check_code(secret: &CodeSecret, code: &str, now: u64, drift: Drift) -> Result<u64, CodeError> {
    let given: [u8; DIGITS] = code.as_bytes().try_into().map_err(|_| CodeError::Malformed)?;
    if !given.iter().all(u8::is_ascii_digit) {
        return Err(CodeError::Malformed);
    }
    let current = now / STEP_SECS;
    let d = u64::from(drift.0);
    let matches = |step: u64| -> bool {
        let mut expected = [0u8; DIGITS];
        let mut value = secret.hotp(step);
        for digit in expected.iter_mut().rev() {
            *digit = b'0' + (value % 10) as u8;
            value /= 10;
        }
        expected.ct_eq(&given).into()
    };
    if let Some(step) = (current.saturating_sub(d)..=current + d).find(|&s| matches(s)) {
        return Ok(step);
    }
    let reach = d + DIAGNOSTIC_STEPS;
    match (current.saturating_sub(reach)..=current + reach).find(|&s| matches(s)) {
        Some(step) => Err(CodeError::OutsideDrift { step, current }),
        None => Err(CodeError::WrongCode),
    }
}

/// A back office's checker: [`check_code`] plus the last step accepted per
/// credential, so a code accepted once is refused after
/// ([`CodeError::Replayed`]), and so is any code of an earlier step.
///
/// It holds one entry per credential that has had a code accepted, and only
/// a correct code adds one, so its size is bounded by the credentials issued.
/// A back office with several processes keeps the last steps in its
/// database instead: [`CodeChecker::last_step`] and
/// [`CodeChecker::restore`] move them in and out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeChecker {
    drift: Drift,
    /// Credential id → the last step accepted for it.
    last: BTreeMap<Vec<u8>, u64>,
}

impl CodeChecker {
    /// A checker accepting codes within `drift`, remembering nothing yet.
    pub fn new(drift: Drift) -> Self {
        Self { drift, last: BTreeMap::new() }
    }

    /// Checks `code` for the credential `id` whose secret is `secret`; on
    /// success remembers and returns its step. A refused code changes nothing.
    pub fn check(&mut self, id: &[u8], secret: &CodeSecret, code: &str, now: u64) -> Result<u64, CodeError> {
        let step = check_code(secret, code, now, self.drift)?;
        if let Some(&last) = self.last.get(id).filter(|&&last| step <= last) {
            return Err(CodeError::Replayed { step, last });
        }
        self.last.insert(id.to_vec(), step);
        Ok(step)
    }

    /// The last step accepted for credential `id`.
    pub fn last_step(&self, id: &[u8]) -> Option<u64> {
        self.last.get(id).copied()
    }

    /// Records that step `step` was accepted for credential `id` (read back
    /// from the back office's database).
    pub fn restore(&mut self, id: &[u8], step: u64) {
        self.last.insert(id.to_vec(), step);
    }
}

#[cfg(test)]
mod tests;
