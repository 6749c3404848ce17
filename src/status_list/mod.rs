//! Offline revocation: the IETF Token Status List
//! (draft-ietf-oauth-status-list-20), CBOR/CWT form.
//!
//! An issuer publishes, per list id, a bit array holding 1 or 2 bits per
//! credential (§4.1 of the draft: index `i` at bits `[(i·bits) mod 8,
//! +bits)` of byte `⌊i·bits/8⌋`, least significant first), compressed with
//! zlib (RFC 1950) and signed as a CWT. A credential names its entry as
//! `status: [list, index]` (SPEC.md §3.2). A scanner caches the newest
//! token of each list in a [`StatusStore`] and checks a verified
//! presentation against it; [`Verifier::verify`](crate::verify::Verifier::verify)
//! stays a pure function.
//!
//! ```text
//! status_list_token = COSE_Sign1 signed by an issuer key, protected
//!                     {1: alg, 4: kid, 16: "application/statuslist+cwt"},
//!                     payload = bstr .cbor status_list_claims
//! status_list_claims = {
//!   1: tstr,            ; iss: issuer name, as in the credentials' `iss`
//!   2: tstr,            ; sub: "nocard:status-list:" list id (decimal u32)
//!   4: uint,            ; exp (> iat): after it the list decides nothing
//!   6: uint,            ; iat: newer lists replace older ones
//!   65533: status_list, ; draft §4.3
//!   ? 65534: uint,      ; ttl, seconds (draft §5.2): when to fetch a newer one
//! }
//! status_list = {"bits": 1 / 2, "lst": bstr}  ; keys in the draft's order
//! ```
//!
//! Inflating is bounded: a list holds at most [`MAX_ENTRIES`] entries, and
//! the inflater never grows its buffer past what they take, so a zip bomb is
//! refused after at most that much work and memory.

mod store;

pub use store::{MAX_LISTS, MAX_STORE_BYTES, MissingList, StatusCheck, StatusStore};

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};

use crate::cbor::{Reader, Writer};
use crate::cose::{self, Sign1, SignatureFailure};
use crate::error::{Malformed, MalformedKind};
use crate::keys::{KeyId, PublicKey, SecretKey};
use crate::state_file::StateFileError;

/// Most entries a list may hold (16 777 216): 2 MiB inflated at 1 bit, 4 MiB at 2.
pub const MAX_ENTRIES: usize = 1 << 24;
/// Largest encoded token a store reads: an incompressible 2-bit list of
/// [`MAX_ENTRIES`] and its claims.
pub const MAX_TOKEN_BYTES: usize = (MAX_ENTRIES / 4) + 4096;
/// The `typ` a status list token carries (draft §5.2).
pub const TOKEN_TYPE: &str = "application/statuslist+cwt";
/// The `sub` of list `n` is this prefix followed by `n` in decimal.
pub const SUBJECT_PREFIX: &str = "nocard:status-list:";
/// zlib level nocard compresses at: miniz_oxide's best (see the benchmark).
pub const COMPRESSION_LEVEL: u8 = 10;

const ISS: i64 = 1;
const SUB: i64 = 2;
const EXP: i64 = 4;
const IAT: i64 = 6;
const STATUS_LIST: i64 = 65533;
const TTL: i64 = 65534;

/// A credential's status (draft §7.1); 3 and up are application-specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: VALID.
    Valid,
    /// 1: INVALID, revoked for good.
    Revoked,
    /// 2: SUSPENDED, may become valid again.
    Suspended,
    /// Any other value the list's width allows.
    Other(u8),
}

impl Status {
    /// The value in the bit array.
    pub fn value(self) -> u8 {
        match self {
            Status::Valid => 0,
            Status::Revoked => 1,
            Status::Suspended => 2,
            Status::Other(v) => v,
        }
    }

    /// The status a value in the bit array stands for.
    pub fn from_value(value: u8) -> Self {
        match value {
            0 => Status::Valid,
            1 => Status::Revoked,
            2 => Status::Suspended,
            v => Status::Other(v),
        }
    }

    /// `valid`, `revoked`, `suspended`, or the number.
    pub fn name(self) -> String {
        match self {
            Status::Valid => "valid".into(),
            Status::Revoked => "revoked".into(),
            Status::Suspended => "suspended".into(),
            Status::Other(v) => alloc::format!("{v}"),
        }
    }
}

/// An inflated status list: `bits` per entry, packed as the draft packs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusList {
    bits: u8,
    bytes: Vec<u8>,
}

impl StatusList {
    /// A list of at least `size` entries (1..=[`MAX_ENTRIES`]), all valid,
    /// `bits` (1, 2, 4 or 8) each; the last byte's spare entries are valid too.
    pub fn new(bits: u8, size: usize) -> Result<Self, StatusError> {
        check_bits(bits).ok_or(StatusError::Usage("bits must be 1, 2, 4 or 8"))?;
        if size == 0 || size > MAX_ENTRIES {
            return Err(StatusError::Usage("a list holds 1 to 16777216 entries"));
        }
        Ok(Self { bits, bytes: vec![0; (size * usize::from(bits)).div_ceil(8)] })
    }

    /// A list over an already packed byte array.
    pub fn from_packed(bits: u8, bytes: Vec<u8>) -> Result<Self, StatusError> {
        check_bits(bits).ok_or(StatusError::Usage("bits must be 1, 2, 4 or 8"))?;
        if bytes.is_empty() || bytes.len() > max_packed_len(bits) {
            return Err(StatusError::Usage("a list holds 1 to 16777216 entries"));
        }
        Ok(Self { bits, bytes })
    }

    /// Bits per entry.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// How many entries the array holds (its bytes times 8 / bits).
    pub fn len(&self) -> usize {
        self.bytes.len() * 8 / usize::from(self.bits)
    }

    /// Never true: a list has at least one byte.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The packed byte array.
    pub fn packed(&self) -> &[u8] {
        &self.bytes
    }

    /// The status at `index`, in O(1); `None` beyond the list.
    pub fn get(&self, index: usize) -> Option<Status> {
        let (byte, shift) = self.position(index)?;
        let mask = ((1u16 << self.bits) - 1) as u8;
        Some(Status::from_value((self.bytes[byte] >> shift) & mask))
    }

    /// Sets the status at `index`; refuses an index beyond the list and a
    /// value that does not fit `bits`.
    pub fn set(&mut self, index: usize, status: Status) -> Result<(), StatusError> {
        let value = status.value();
        if u16::from(value) >= 1 << self.bits {
            return Err(StatusError::Usage("status value does not fit the list's bits"));
        }
        let len = self.len();
        let (byte, shift) = self.position(index).ok_or(StatusError::IndexOutOfRange { index, len })?;
        let mask = (((1u16 << self.bits) - 1) as u8) << shift;
        self.bytes[byte] = (self.bytes[byte] & !mask) | (value << shift);
        Ok(())
    }

    fn position(&self, index: usize) -> Option<(usize, u32)> {
        if index >= self.len() {
            return None;
        }
        let bit = index * usize::from(self.bits);
        Some((bit / 8, (bit % 8) as u32))
    }

    /// `lst`: the packed array, zlib-compressed at `level` (0-10).
    pub fn compress(&self, level: u8) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec_zlib(&self.bytes, level)
    }

    /// Inflates `lst` (a zlib stream, nothing after it, Adler-32 checked) as
    /// a list of `bits` per entry. Refuses, before allocating more, a stream
    /// that inflates past [`MAX_ENTRIES`] entries (`too_large`); any other
    /// fault, or an empty array, is `invalid_value` `lst`. Offsets are
    /// `base`, where `lst` starts.
    pub fn decompress(bits: u8, lst: &[u8], base: usize) -> Result<Self, Malformed> {
        let invalid = Malformed::at(MalformedKind::InvalidValue { field: "lst" }, base);
        let max = check_bits(bits)
            .map(max_packed_len)
            .ok_or(Malformed::at(MalformedKind::InvalidValue { field: "bits" }, base))?;
        let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
            | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF
            | inflate_flags::TINFL_FLAG_COMPUTE_ADLER32;
        let mut state = DecompressorOxide::new();
        let mut out = vec![0u8; lst.len().saturating_mul(4).clamp(64, max)];
        let (mut read, mut written) = (0, 0);
        loop {
            let (status, in_used, out_used) = decompress(&mut state, &lst[read..], &mut out, written, flags);
            read += in_used;
            written += out_used;
            match status {
                TINFLStatus::Done => break,
                TINFLStatus::HasMoreOutput if out.len() < max => {
                    // Exact reservation: amortised growth could double past the cap.
                    let len = out.len().saturating_mul(2).min(max);
                    out.reserve_exact(len - out.len());
                    out.resize(len, 0);
                }
                TINFLStatus::HasMoreOutput => {
                    return Err(Malformed::at(MalformedKind::TooLarge { max }, base));
                }
                _ => return Err(invalid),
            }
        }
        if read != lst.len() || written == 0 {
            return Err(invalid);
        }
        out.truncate(written);
        out.shrink_to_fit();
        Ok(Self { bits, bytes: out })
    }

    /// `{"bits": bits, "lst": lst}` (draft §4.3), keys in the draft's order.
    pub fn to_cbor(&self, level: u8) -> Vec<u8> {
        let mut w = Writer::new();
        write_status_list(&mut w, self.bits, &self.compress(level));
        w.into_bytes()
    }

    /// Reads a `status_list` map (keys `bits` then `lst`, as the draft
    /// encodes them; no `aggregation_uri`) and inflates `lst`.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, Malformed> {
        let r = &mut Reader::new(bytes);
        let list = read_status_list(r)?;
        r.finish()?;
        Ok(list)
    }
}

fn check_bits(bits: u8) -> Option<u8> {
    matches!(bits, 1 | 2 | 4 | 8).then_some(bits)
}

/// The packed length of [`MAX_ENTRIES`] entries of `bits`.
fn max_packed_len(bits: u8) -> usize {
    MAX_ENTRIES * usize::from(bits) / 8
}

fn write_status_list(w: &mut Writer, bits: u8, lst: &[u8]) {
    w.map(2).text("bits").uint(u64::from(bits)).text("lst").bytes(lst);
}

fn read_status_list(r: &mut Reader<'_>) -> Result<StatusList, Malformed> {
    let at = r.offset();
    if r.map()? != 2 {
        return Err(Malformed::at(MalformedKind::InvalidValue { field: "status_list" }, at));
    }
    let key = |r: &mut Reader<'_>, name: &str| {
        let at = r.offset();
        if r.text()? == name { Ok(()) } else { Err(Malformed::at(MalformedKind::UnknownField, at)) }
    };
    key(r, "bits")?;
    let at = r.offset();
    let bits = r.uint()?;
    let bits = u8::try_from(bits)
        .ok()
        .and_then(check_bits)
        .ok_or(Malformed::at(MalformedKind::InvalidValue { field: "bits" }, at))?;
    key(r, "lst")?;
    let lst = r.bytes()?;
    StatusList::decompress(bits, lst, r.offset() - lst.len())
}

/// A signed status list: which issuer's list it is, when, and the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusListToken {
    /// The issuer name (`iss`), as its credentials carry it.
    pub issuer: String,
    /// The list id credentials name as `status[0]`.
    pub list_id: u32,
    /// `iat`: a newer token of the same list replaces an older one.
    pub issued_at: u64,
    /// `exp`: from this time on the list decides nothing.
    pub expires: u64,
    /// `ttl`, seconds: when the issuer wants it fetched again, if set.
    pub ttl: Option<u64>,
    /// The statuses.
    pub list: StatusList,
}

impl StatusListToken {
    /// Encodes the claims and signs them with the issuer's key.
    pub fn sign(&self, issuer_key: &SecretKey) -> Result<Vec<u8>, crate::error::Error> {
        self.check().map_err(crate::error::Error::Malformed)?;
        let mut w = Writer::new();
        w.map(5 + usize::from(self.ttl.is_some()));
        w.int(ISS).text(&self.issuer);
        w.int(SUB).text(&subject(self.list_id));
        w.int(EXP).uint(self.expires);
        w.int(IAT).uint(self.issued_at);
        w.int(STATUS_LIST);
        write_status_list(&mut w, self.list.bits, &self.list.compress(COMPRESSION_LEVEL));
        if let Some(ttl) = self.ttl {
            w.int(TTL).uint(ttl);
        }
        let kid = issuer_key.public_key().id();
        cose::sign1_typed(issuer_key.algorithm(), Some(kid), Some(TOKEN_TYPE), w.into_bytes(), |tbs| {
            Ok(issuer_key.sign(tbs))
        })
    }

    /// Reads a token and checks its signature with the key `key_for` gives
    /// for its `kid` (steps 1-4 of SPEC.md §11.2); whether that key may sign
    /// for the token's issuer is the caller's check.
    pub fn open<'k>(bytes: &[u8], key_for: impl FnOnce(KeyId) -> Option<&'k PublicKey>) -> Result<Self, StatusError> {
        if bytes.len() > MAX_TOKEN_BYTES {
            let max = MAX_TOKEN_BYTES;
            return Err(Malformed::at(MalformedKind::TooLarge { max }, max).into());
        }
        let r = &mut Reader::new(bytes);
        let sign1 = Sign1::read(r)?;
        r.finish()?;
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, 0);
        match sign1.header.typ {
            Some(TOKEN_TYPE) => {}
            Some(_) => return Err(Malformed::at(MalformedKind::InvalidValue { field: "typ" }, 0).into()),
            None => return Err(missing("typ").into()),
        }
        let kid = sign1.header.kid.and_then(KeyId::from_slice).ok_or(StatusError::UnknownKey)?;
        let key = key_for(kid).ok_or(StatusError::UnknownKey)?;
        if sign1.header.alg.ok_or(missing("alg"))? != key.algorithm().cose_id() {
            return Err(StatusError::BadSignature);
        }
        sign1.verify(key).map_err(|failure| match failure {
            SignatureFailure::Invalid => StatusError::BadSignature,
            SignatureFailure::HighS(m) => StatusError::Malformed(m),
        })?;
        Ok(Self::read_claims(&sign1)?)
    }

    /// The ranges beyond the CBOR shape; offset 0 stands for the claims.
    fn check(&self) -> Result<(), Malformed> {
        let invalid = |field| Err(Malformed::at(MalformedKind::InvalidValue { field }, 0));
        if self.issuer.is_empty() || self.issuer.len() > crate::credential::MAX_ISSUER_LEN {
            return invalid("iss");
        }
        if self.expires <= self.issued_at {
            return invalid("exp");
        }
        if !matches!(self.list.bits, 1 | 2) {
            return invalid("bits");
        }
        Ok(())
    }

    /// Reads the claims of a token whose signature has been checked.
    fn read_claims(sign1: &Sign1<'_>) -> Result<Self, Malformed> {
        let r = &mut Reader::nested(sign1.payload, sign1.payload_offset);
        let start = r.offset();
        let missing = |field| Malformed::at(MalformedKind::MissingField { field }, start);
        let (mut issuer, mut list_id, mut expires, mut issued_at, mut list, mut ttl) =
            (None, None, None, None, None, None);
        r.int_map(|r, field| {
            match field.key {
                ISS => issuer = Some(String::from(r.text()?)),
                SUB => list_id = Some(parse_subject(r.text()?).ok_or(field.invalid("sub"))?),
                EXP => expires = Some(r.uint()?),
                IAT => issued_at = Some(r.uint()?),
                STATUS_LIST => list = Some(read_status_list(r)?),
                TTL => ttl = Some(r.uint()?),
                _ => return Err(field.unknown()),
            }
            Ok(())
        })?;
        r.finish()?;
        let token = Self {
            issuer: issuer.ok_or(missing("iss"))?,
            list_id: list_id.ok_or(missing("sub"))?,
            issued_at: issued_at.ok_or(missing("iat"))?,
            expires: expires.ok_or(missing("exp"))?,
            ttl,
            list: list.ok_or(missing("status_list"))?,
        };
        token.check().map_err(|m| Malformed::at(m.kind, start))?;
        Ok(token)
    }
}

/// `sub` of list `id`.
fn subject(id: u32) -> String {
    alloc::format!("{SUBJECT_PREFIX}{id}")
}

/// The list id in a `sub`, only in the form [`subject`] writes (no sign,
/// no leading zero, fits u32).
fn parse_subject(sub: &str) -> Option<u32> {
    let digits = sub.strip_prefix(SUBJECT_PREFIX)?;
    let id: u32 = digits.parse().ok()?;
    (subject(id) == sub).then_some(id)
}

/// Why a status list was refused, or a credential's status check failed
/// (SPEC.md §11).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusError {
    /// Not a well-formed status list token (SPEC.md §6.2 details).
    Malformed(Malformed),
    /// Signed by no key trusted for the issuer it names.
    UnknownKey,
    /// The signature does not verify: the contents were altered.
    BadSignature,
    /// Not newer than the token held for the same list.
    Rollback {
        /// `iat` of the token held.
        held: u64,
        /// `iat` of the token offered.
        offered: u64,
    },
    /// The store's lists would exceed [`MAX_STORE_BYTES`] inflated.
    StoreFull,
    /// A saved store that is cut short, altered or not a store.
    DamagedState(StateFileError),
    /// The credential's entry says revoked (1).
    Revoked,
    /// The credential's entry says suspended (2).
    Suspended,
    /// The credential's entry holds a value nocard gives no meaning (3 and up).
    UnknownStatus(u8),
    /// No list is held for the credential's issuer and list id, and the
    /// store refuses such credentials.
    Missing {
        /// The list id the credential names.
        list: u32,
    },
    /// The credential's index is beyond its list.
    IndexOutOfRange {
        /// The credential's index.
        index: usize,
        /// Entries in the list.
        len: usize,
    },
    /// The list is past its `exp` (at check, or when offered to a store).
    Expired {
        /// The list's `exp`.
        expires: u64,
        /// Verifier clock.
        now: u64,
    },
    /// A list built with impossible parameters.
    Usage(&'static str),
}

impl StatusError {
    /// Stable snake_case code (SPEC.md §6.1).
    pub fn code(&self) -> &'static str {
        match self {
            StatusError::Malformed(_) => "malformed",
            StatusError::UnknownKey => "status_list_unknown_key",
            StatusError::BadSignature => "status_list_bad_signature",
            StatusError::Rollback { .. } => "status_list_rollback",
            StatusError::StoreFull => "status_store_full",
            StatusError::DamagedState(_) => "status_state_damaged",
            StatusError::Revoked => "credential_revoked",
            StatusError::Suspended => "credential_suspended",
            StatusError::UnknownStatus(_) => "credential_status_unknown",
            StatusError::Missing { .. } => "status_list_missing",
            StatusError::IndexOutOfRange { .. } => "status_index_out_of_range",
            StatusError::Expired { .. } => "status_list_expired",
            StatusError::Usage(_) => "usage",
        }
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusError::Malformed(m) => write!(f, "malformed status list: {m}"),
            StatusError::UnknownKey => f.write_str("status list is not signed by a key trusted for its issuer"),
            StatusError::BadSignature => f.write_str("status list signature does not verify"),
            StatusError::Rollback { held, offered } => {
                write!(f, "status list issued at {offered} is not newer than the one held ({held})")
            }
            StatusError::StoreFull => f.write_str("status store is full"),
            StatusError::DamagedState(why) => write!(f, "status store file refused ({}): {why}", why.code()),
            StatusError::Revoked => f.write_str("credential is revoked"),
            StatusError::Suspended => f.write_str("credential is suspended"),
            StatusError::UnknownStatus(v) => write!(f, "credential has status {v}, which has no meaning here"),
            StatusError::Missing { list } => write!(f, "no current status list {list} for the credential's issuer"),
            StatusError::IndexOutOfRange { index, len } => {
                write!(f, "status index {index} is beyond the list ({len} entries)")
            }
            StatusError::Expired { expires, now } => write!(f, "status list expired at {expires} (now {now})"),
            StatusError::Usage(what) => f.write_str(what),
        }
    }
}

impl core::error::Error for StatusError {}

impl From<Malformed> for StatusError {
    fn from(m: Malformed) -> Self {
        StatusError::Malformed(m)
    }
}

#[cfg(test)]
mod tests;
