//! What a verifier accepts beyond valid signatures: algorithms, clock skew,
//! the scene's profile, required claims, challenge and audience.
//!
//! Every setting is checked when it is set ([`Policy`]'s setters return
//! `Result`) or, where it depends on the registry, when the
//! [`Verifier`](super::Verifier) is built; a configuration out of range is
//! never discovered at the first scan.

use alloc::string::String;
use alloc::vec::Vec;

use crate::document::{Claim, ClaimType, ClaimValue, Date, DocType, Profile, Registry};
use crate::error::{ConfigError, Error};
use crate::keys::Algorithm;
use crate::presentation::{MAX_AUDIENCE_LEN, MAX_CHALLENGE};

/// A claim the policy insists on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    name: String,
    /// `None`: disclosed, and `true` if it is a boolean.
    value: Option<ClaimValue>,
}

impl Requirement {
    /// The claim must be disclosed; a boolean claim must also be `true`
    /// (requiring `age_over_18` means requiring an adult).
    pub fn disclosed(name: &str) -> Self {
        Self { name: name.into(), value: None }
    }

    /// The claim must be disclosed with exactly this value.
    pub fn equals(name: &str, value: ClaimValue) -> Self {
        Self { name: name.into(), value: Some(value) }
    }

    /// Reads `NAME` or `NAME=VALUE`, the value by the claim's type in
    /// `registry`: `true`/`false`, a decimal integer, a `YYYY-MM-DD` date,
    /// hex bytes, or text taken verbatim. Records cannot be required by value.
    pub fn parse(spec: &str, registry: &Registry) -> Result<Self, Error> {
        let (name, value) = match spec.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (spec, None),
        };
        let def = registry
            .types()
            .iter()
            .find_map(|doc| doc.claim(name))
            .ok_or_else(|| ConfigError::UnknownClaimName(name.into()))?;
        let Some(text) = value else {
            return Ok(Self::disclosed(name));
        };
        let value = parse_value(&def.ty, text).ok_or_else(|| ConfigError::RequirementValue(name.into()))?;
        Ok(Self::equals(name, value))
    }

    /// The claim's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The required value, if one was given.
    pub fn value(&self) -> Option<&ClaimValue> {
        self.value.as_ref()
    }

    /// Checks the requirement against the verified claims.
    pub(super) fn check(&self, claims: &[Claim]) -> Result<(), Error> {
        let claim = claims
            .iter()
            .find(|c| c.name == self.name)
            .ok_or_else(|| Error::MissingRequiredClaim { name: self.name.clone() })?;
        let met = match &self.value {
            Some(value) => claim.value == *value,
            None => claim.value != ClaimValue::Bool(false),
        };
        if met { Ok(()) } else { Err(Error::RequirementNotMet { name: self.name.clone() }) }
    }

    /// Refuses a requirement that no type in `types` could ever meet: an
    /// unknown name is a misspelling, not a claim to wait for.
    fn check_config<'a>(&self, mut types: impl Iterator<Item = &'a DocType>) -> Result<(), ConfigError> {
        let mut defined = false;
        let fits = types.any(|doc| {
            let Some(def) = doc.claim(&self.name) else { return false };
            defined = true;
            self.value.as_ref().is_none_or(|v| v.has_type(&def.ty))
        });
        match (fits, defined) {
            (true, _) => Ok(()),
            (false, true) => Err(ConfigError::RequirementValue(self.name.clone())),
            (false, false) => Err(ConfigError::UnknownClaimName(self.name.clone())),
        }
    }
}

fn parse_value(ty: &ClaimType, text: &str) -> Option<ClaimValue> {
    Some(match ty {
        ClaimType::Text => ClaimValue::Text(text.into()),
        ClaimType::Bool => ClaimValue::Bool(match text {
            "true" => true,
            "false" => false,
            _ => return None,
        }),
        ClaimType::Integer => ClaimValue::Integer(text.parse().ok()?),
        ClaimType::Date => ClaimValue::Date(text.parse::<Date>().ok()?),
        ClaimType::Bytes => ClaimValue::Bytes(hex_decode(text)?),
        ClaimType::Records(_) => return None,
    })
}

/// Hex digits (either case) to bytes; `None` for an odd count or any other
/// character (`from_str_radix` would also take a `+` sign).
fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    text.as_bytes().chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

/// What a verifier accepts.
#[derive(Clone, Debug)]
pub struct Policy {
    pub(super) algorithms: Vec<Algorithm>,
    pub(super) clock_skew: u64,
    pub(super) requirements: Vec<Requirement>,
    pub(super) profile: Option<Profile>,
    pub(super) challenge: Option<u32>,
    pub(super) audience: Option<String>,
    pub(super) require_sealed: bool,
}

impl Default for Policy {
    /// Both algorithms, 10 s of clock skew, no profile, nothing required, no
    /// challenge, no audience (so presentations addressed to anyone are
    /// refused, SPEC.md §5 step 8.2).
    fn default() -> Self {
        Self {
            algorithms: [Algorithm::EdDsa, Algorithm::Es256].to_vec(),
            clock_skew: Policy::DEFAULT_CLOCK_SKEW,
            requirements: Vec::new(),
            profile: None,
            challenge: None,
            audience: None,
            require_sealed: false,
        }
    }
}

impl Policy {
    /// Default tolerance between phone and scanner clocks, in seconds.
    pub const DEFAULT_CLOCK_SKEW: u64 = 10;
    /// The largest tolerance a policy may set: beyond five minutes a stale
    /// screenshot, or a credential long expired, would pass.
    pub const MAX_CLOCK_SKEW: u64 = 300;

    /// Accepts only these algorithms (issuer and device alike); at least one.
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Result<Self, Error> {
        if algorithms.is_empty() {
            return Err(ConfigError::NoAlgorithms.into());
        }
        self.algorithms = algorithms.to_vec();
        Ok(self)
    }

    /// Tolerates this many seconds of clock difference on every time check,
    /// at most [`Policy::MAX_CLOCK_SKEW`].
    pub fn clock_skew(mut self, secs: u64) -> Result<Self, Error> {
        if secs > Self::MAX_CLOCK_SKEW {
            return Err(ConfigError::ClockSkew { secs, max: Self::MAX_CLOCK_SKEW }.into());
        }
        self.clock_skew = secs;
        Ok(self)
    }

    /// Adds a requirement, checked after the profile's own, in the order added.
    #[must_use]
    pub fn require(mut self, requirement: Requirement) -> Self {
        self.requirements.push(requirement);
        self
    }

    /// Accepts only the document types `profile` accepts, and requires the
    /// claims it requires of each ([`Profile::required_for`]).
    #[must_use]
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Requires the presentation to carry this challenge (0-999999).
    pub fn challenge(mut self, challenge: u32) -> Result<Self, Error> {
        if challenge > MAX_CHALLENGE {
            return Err(ConfigError::Challenge(challenge).into());
        }
        self.challenge = Some(challenge);
        Ok(self)
    }

    /// Requires the presentation to be addressed to exactly this audience
    /// (1-64 bytes); a presentation with none is refused.
    pub fn audience(mut self, audience: &str) -> Result<Self, Error> {
        if audience.is_empty() || audience.len() > MAX_AUDIENCE_LEN {
            return Err(ConfigError::Audience.into());
        }
        self.audience = Some(audience.into());
        Ok(self)
    }

    /// Refuses plain codes: only sealed ones (SPEC.md §13), opened with the
    /// verifier's group keys, are verified; a plain one is `seal_required`.
    #[must_use]
    pub fn require_sealed(mut self) -> Self {
        self.require_sealed = true;
        self
    }

    /// Whether only sealed codes are accepted.
    pub fn requires_sealed(&self) -> bool {
        self.require_sealed
    }

    /// Checks what depends on the registry: every requirement names a claim
    /// that a type the profile accepts defines, with a value of its type.
    pub(super) fn check_config(&self, registry: &Registry) -> Result<(), ConfigError> {
        let accepts = |doc: &&DocType| self.profile.is_none_or(|p| p.required_for(doc).is_some());
        for requirement in &self.requirements {
            requirement.check_config(registry.types().iter().filter(accepts))?;
        }
        Ok(())
    }
}
