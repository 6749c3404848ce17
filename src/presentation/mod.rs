//! Presentations: what the phone shows, one short time window at a time.
//!
//! A presentation is a COSE_Sign1 by the holder's device key whose payload
//! carries one credential, the disclosures the scene needs, the time window
//! and, optionally, the desk's challenge and an audience (SPEC.md §4). The
//! device key signs through [`DeviceSigner`], so a hardware keystore can do
//! it without the private key ever entering nocard.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::cbor::{Reader, Writer};
use crate::cose::{self, Sign1};
use crate::credential::{CredentialBody, CredentialBundle, Disclosure};
use crate::document::{DocType, Profile, Registry};
use crate::error::{Error, Malformed, MalformedKind, UsageError};
use crate::keys::{PublicKey, SecretKey};
use crate::text::{self, TextKind};
use sha2::{Digest, Sha256};

/// A device signing failure, in the signer's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerError(pub String);

impl core::error::Error for SignerError {}

impl fmt::Display for SignerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Signs presentations with the holder's device key.
///
/// Implement it over Android Keystore or the Secure Enclave; [`SecretKey`]
/// implements it in software. `sign` returns the 64-byte raw signature
/// (`r‖s` for ES256) or, for ES256, the ASN.1 DER form keystores return;
/// nocard normalises ES256 signatures to low-S and checks every signature
/// against [`DeviceSigner::public_key`] before using it, so a faulty keystore
/// cannot produce a code that fails later.
pub trait DeviceSigner {
    /// The device public key the credential is bound to.
    fn public_key(&self) -> PublicKey;
    /// Signs `message` (SHA-256 is applied by ES256 itself: sign the message,
    /// not a digest).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError>;
}

impl DeviceSigner for SecretKey {
    fn public_key(&self) -> PublicKey {
        SecretKey::public_key(self).clone()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        Ok(SecretKey::sign(self, message).to_vec())
    }
}

/// One presentation window: `[start, start + secs)` in Unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    start: u64,
    secs: u16,
}

impl Window {
    /// The default window length: a code on screen for 30 s.
    pub const DEFAULT_SECS: u16 = 30;
    /// Shortest window accepted.
    pub const MIN_SECS: u16 = 5;
    /// Longest window accepted.
    pub const MAX_SECS: u16 = 300;

    /// The window of `secs` seconds containing `now`. Windows are aligned to
    /// multiples of `secs`, so every frame shown inside one is identical.
    pub fn containing(now: u64, secs: u16) -> Result<Self, UsageError> {
        Self::new(now - now % u64::from(secs.max(1)), secs)
    }

    /// A window from its start and length.
    pub fn new(start: u64, secs: u16) -> Result<Self, UsageError> {
        if !(Self::MIN_SECS..=Self::MAX_SECS).contains(&secs) || start.checked_add(u64::from(secs)).is_none() {
            return Err(UsageError::WindowLength(u32::from(secs)));
        }
        Ok(Self { start, secs })
    }

    /// First second of the window.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// Length in seconds.
    pub fn secs(&self) -> u16 {
        self.secs
    }

    /// First second after the window.
    pub fn end(&self) -> u64 {
        self.start + u64::from(self.secs)
    }
}

/// What to disclose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disclose {
    /// What a scene's profile asks for, of what the credential has.
    Profile(Profile),
    /// Exactly these claims, by name.
    Claims(Vec<String>),
}

/// Largest challenge: the desk shows 4 to 6 digits.
pub const MAX_CHALLENGE: u32 = 999_999;
/// Longest audience accepted.
pub const MAX_AUDIENCE_LEN: usize = 64;

// Presentation payload keys (SPEC.md §4.1).
const P_CREDENTIAL: i64 = 1;
const P_DISCLOSURES: i64 = 2;
const P_WINDOW_START: i64 = 3;
const P_WINDOW_SECS: i64 = 4;
const P_CHALLENGE: i64 = 5;
const P_AUDIENCE: i64 = 6;

/// The holder's side: a credential bundle and the device key it is bound to.
pub struct Holder<S> {
    bundle: CredentialBundle,
    signer: S,
    doc: DocType,
    device_key: PublicKey,
}

impl<S: DeviceSigner> Holder<S> {
    /// A holder of a built-in document type.
    pub fn new(bundle: CredentialBundle, signer: S) -> Result<Self, Error> {
        Self::with_registry(bundle, signer, &Registry::builtin())
    }

    /// A holder whose document type is looked up in `registry`.
    pub fn with_registry(bundle: CredentialBundle, signer: S, registry: &Registry) -> Result<Self, Error> {
        let sign1 = Sign1::read(&mut Reader::new(&bundle.full))?;
        let body = CredentialBody::read(sign1.payload, sign1.payload_offset)?;
        let doc = registry.get(&body.doc_type).ok_or(Error::UnknownDocType)?.clone();
        let device_key = signer.public_key();
        if body.device_key != device_key {
            return Err(UsageError::DeviceKeyMismatch.into());
        }
        Ok(Self { bundle, signer, doc, device_key })
    }

    /// The document type held.
    pub fn doc_type(&self) -> &DocType {
        &self.doc
    }

    /// Starts a presentation disclosing `disclose`.
    pub fn present(&self, disclose: Disclose) -> PresentationBuilder<'_, S> {
        PresentationBuilder {
            holder: self,
            disclose,
            now: 0,
            secs: Window::DEFAULT_SECS,
            challenge: None,
            audience: None,
        }
    }

    /// The credential and disclosures that disclose `disclose`: the view
    /// carrying exactly those claims if the issuer made one, else the full
    /// credential with their disclosures in code order.
    pub(crate) fn select(&self, disclose: &Disclose) -> Result<(&[u8], Vec<&[u8]>), Error> {
        let disclosable = self.disclosable()?;
        let wanted = self.wanted_codes(disclose, &disclosable)?;
        Ok(match self.view_for(&wanted)? {
            Some(view) => (view, Vec::new()),
            None => {
                let chosen = disclosable.iter().filter(|(code, _)| wanted.contains(code)).map(|(_, d)| *d).collect();
                (self.bundle.full.as_slice(), chosen)
            }
        })
    }

    /// Signs `payload` as a COSE_Sign1 with the device key, protected header
    /// `{1: alg}` plus `16: typ` when given. The signer's answer is
    /// normalised to a low-S 64-byte signature and checked before use.
    /// Returns the bytes and the SHA-256 of what was signed (the
    /// presentation id, SPEC.md §5).
    pub(crate) fn sign_payload(&self, typ: Option<&str>, payload: Vec<u8>) -> Result<(Vec<u8>, [u8; 32]), Error> {
        let key = &self.device_key;
        let mut id = [0u8; 32];
        let bytes = cose::sign1_typed::<Error>(key.algorithm(), None, typ, payload, |tbs| {
            id = Sha256::digest(tbs).into();
            let raw = self.signer.sign(tbs).map_err(|e| UsageError::Signer(e.0))?;
            // A 64-byte ES256 signature could in principle also be DER: take
            // whichever reading verifies.
            let mut readings = [key.to_low_s(&raw), key.der_to_low_s(&raw)].into_iter().flatten().peekable();
            if readings.peek().is_none() {
                return Err(UsageError::Signer("not a 64-byte or DER signature".into()).into());
            }
            readings
                .find(|sig| key.verify(tbs, sig).is_ok())
                .ok_or_else(|| UsageError::Signer("signature does not verify".into()).into())
        })?;
        Ok((bytes, id))
    }

    /// The claim codes to disclose, in code order.
    fn wanted_codes(&self, disclose: &Disclose, disclosable: &[(u32, &[u8])]) -> Result<Vec<u32>, Error> {
        let doc = &self.doc;
        let mut codes: Vec<u32> = match disclose {
            Disclose::Profile(profile) => profile
                .select(doc)
                .iter()
                .map(|def| def.code)
                .filter(|code| disclosable.iter().any(|(c, _)| c == code))
                .collect(),
            Disclose::Claims(names) => names
                .iter()
                .map(|name| {
                    doc.claim(name)
                        .map(|def| def.code)
                        .filter(|code| disclosable.iter().any(|(c, _)| c == code))
                        .ok_or_else(|| UsageError::ClaimNotInCredential(name.clone()))
                })
                .collect::<Result<_, _>>()?,
        };
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() {
            return Err(UsageError::NothingToDisclose.into());
        }
        Ok(codes)
    }

    /// Codes of claims the bundle can disclose, from the full credential.
    fn disclosable(&self) -> Result<Vec<(u32, &[u8])>, Error> {
        let mut out = Vec::with_capacity(self.bundle.disclosures.len());
        for d in &self.bundle.disclosures {
            let code = Disclosure::read(d, 0)?.code;
            // Codes come from the document type, which keeps them in u32.
            out.extend(u32::try_from(code).ok().map(|code| (code, d.as_slice())));
        }
        Ok(out)
    }
}

/// Settings of one presentation; [`PresentationBuilder::sign`] makes it.
#[must_use]
pub struct PresentationBuilder<'h, S> {
    holder: &'h Holder<S>,
    disclose: Disclose,
    now: u64,
    secs: u16,
    challenge: Option<u32>,
    audience: Option<String>,
}

impl<S: DeviceSigner> PresentationBuilder<'_, S> {
    /// The clock reading; the window is the one containing it.
    pub fn at(mut self, now: u64) -> Self {
        self.now = now;
        self
    }

    /// Window length in seconds (5–300, default 30).
    pub fn window_secs(mut self, secs: u16) -> Self {
        self.secs = secs;
        self
    }

    /// Binds the number the desk shows (up to 6 digits).
    pub fn challenge(mut self, challenge: u32) -> Self {
        self.challenge = Some(challenge);
        self
    }

    /// Addresses the presentation to one verifier.
    pub fn audience(mut self, audience: &str) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Picks the credential, signs the presentation with the device key.
    pub fn sign(self) -> Result<Presentation, Error> {
        let window = Window::containing(self.now, self.secs)?;
        if let Some(c) = self.challenge.filter(|&c| c > MAX_CHALLENGE) {
            return Err(UsageError::ChallengeRange(c).into());
        }
        if self.audience.as_ref().is_some_and(|a| a.len() > MAX_AUDIENCE_LEN) {
            return Err(UsageError::AudienceTooLong.into());
        }
        let holder = self.holder;
        let (credential, disclosures) = holder.select(&self.disclose)?;

        let mut w = Writer::new();
        let entries = 3
            + usize::from(!disclosures.is_empty())
            + usize::from(self.challenge.is_some())
            + usize::from(self.audience.is_some());
        w.map(entries).int(P_CREDENTIAL).raw(credential);
        if !disclosures.is_empty() {
            w.int(P_DISCLOSURES).array(disclosures.len());
            for d in &disclosures {
                w.bytes(d);
            }
        }
        w.int(P_WINDOW_START).uint(window.start).int(P_WINDOW_SECS).uint(u64::from(window.secs));
        if let Some(c) = self.challenge {
            w.int(P_CHALLENGE).uint(u64::from(c));
        }
        if let Some(a) = &self.audience {
            w.int(P_AUDIENCE).text(a);
        }
        let (bytes, id) = holder.sign_payload(None, w.into_bytes())?;
        Ok(Presentation { bytes, window, id })
    }
}

impl<S> Holder<S> {
    /// The profile view carrying exactly `codes` in the clear, if the issuer made one.
    fn view_for(&self, codes: &[u32]) -> Result<Option<&[u8]>, Error> {
        for view in &self.bundle.views {
            let sign1 = Sign1::read(&mut Reader::new(view))?;
            let body = CredentialBody::read(sign1.payload, sign1.payload_offset)?;
            if body.digests.is_empty() && body.plain_codes() == codes {
                return Ok(Some(view));
            }
        }
        Ok(None)
    }
}

/// A signed presentation for one window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presentation {
    bytes: Vec<u8>,
    window: Window,
    /// SHA-256 of the Sig_structure the device signed.
    id: [u8; 32],
}

impl Presentation {
    /// The COSE_Sign1 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `NC1:` text the QR code carries.
    pub fn to_text(&self) -> String {
        text::encode(TextKind::Presentation, &self.bytes)
    }

    /// The window it is valid for.
    pub fn window(&self) -> Window {
        self.window
    }

    /// The presentation id: SHA-256 of the Sig_structure the device signed,
    /// what a verifier reports as
    /// [`Verified::presentation_id`](crate::verify::Verified::presentation_id).
    pub fn id(&self) -> [u8; 32] {
        self.id
    }
}

/// A presentation's payload, borrowed from its encoding (SPEC.md §4.1).
#[derive(Debug)]
pub(crate) struct PresentationBody<'a> {
    pub credential: Sign1<'a>,
    /// Each disclosure's bytes and where they start.
    pub disclosures: Vec<(&'a [u8], usize)>,
    pub window: Window,
    pub challenge: Option<u32>,
    pub audience: Option<&'a str>,
}

impl<'a> PresentationBody<'a> {
    pub(crate) fn read(bytes: &'a [u8], base: usize) -> Result<Self, Malformed> {
        let r = &mut Reader::nested(bytes, base);
        let start = r.offset();
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
        let (mut credential, mut disclosures, mut window_start, mut secs) = (None, Vec::new(), None, None);
        let (mut challenge, mut audience) = (None, None);
        r.int_map(|r, field| {
            let invalid = |name| field.invalid(name);
            match field.key {
                P_CREDENTIAL => credential = Some(Sign1::read(r)?),
                P_DISCLOSURES => {
                    let n = r.array()?;
                    if n == 0 {
                        return Err(invalid("disclosures"));
                    }
                    for _ in 0..n {
                        let d = r.bytes()?;
                        // The content ends where the reader is now.
                        disclosures.push((d, r.offset() - d.len()));
                    }
                }
                P_WINDOW_START => window_start = Some(r.uint()?),
                P_WINDOW_SECS => secs = Some(u16::try_from(r.uint()?).map_err(|_| invalid("window_secs"))?),
                P_CHALLENGE => {
                    challenge = Some(
                        u32::try_from(r.uint()?).ok().filter(|&c| c <= MAX_CHALLENGE).ok_or(invalid("challenge"))?,
                    )
                }
                P_AUDIENCE => {
                    audience =
                        Some(r.text()?).filter(|a| a.len() <= MAX_AUDIENCE_LEN).map(Some).ok_or(invalid("audience"))?
                }
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let window_start = window_start.ok_or(missing("window_start"))?;
        let secs = secs.ok_or(missing("window_secs"))?;
        let window = Window::new(window_start, secs)
            .map_err(|_| Malformed::at(MalformedKind::InvalidValue { field: "window_secs" }, start))?;
        if window_start % u64::from(secs) != 0 {
            return Err(Malformed::at(MalformedKind::InvalidValue { field: "window_start" }, start));
        }
        Ok(Self { credential: credential.ok_or(missing("credential"))?, disclosures, window, challenge, audience })
    }
}

#[cfg(test)]
mod tests;
