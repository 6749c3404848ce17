//! Strict CBOR (RFC 8949) for nocard's wire format.
//!
//! [`Reader`] accepts exactly the deterministic encoding of RFC 8949 §4.2.1:
//! shortest-form heads, definite lengths, map keys in bytewise lexicographic
//! order (which also rules out duplicates), no floats or unusual simple
//! values. Every length is checked against the bytes that remain before any
//! allocation, nesting is bounded by the caller's schema or by
//! [`Reader::skip`]'s depth limit, and reading never copies: byte and text
//! strings are borrowed from the input. [`Writer`] emits the same encoding.

use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::error::{Malformed, MalformedKind};

/// Largest array or map nocard accepts; bounds the work any one header can ask for.
pub(crate) const MAX_ITEMS: usize = 256;

const MAJOR_UINT: u8 = 0;
const MAJOR_NINT: u8 = 1;
const MAJOR_BYTES: u8 = 2;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;
const MAJOR_TAG: u8 = 6;
const MAJOR_SIMPLE: u8 = 7;

const FALSE: u8 = 20;
const TRUE: u8 = 21;
const NULL: u8 = 22;

pub(crate) type Result<T> = core::result::Result<T, Malformed>;

/// A zero-copy reader over one CBOR buffer.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Offset of `buf` inside the outermost input, so errors point into it.
    base: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0, base: 0 }
    }

    /// A reader over `buf`, which starts at `base` in the outermost input.
    pub(crate) fn nested(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    /// Absolute offset of the next byte.
    pub(crate) fn offset(&self) -> usize {
        self.base + self.pos
    }

    pub(crate) fn error(&self, kind: MalformedKind) -> Malformed {
        Malformed::at(kind, self.offset())
    }

    fn error_at(&self, kind: MalformedKind, pos: usize) -> Malformed {
        Malformed::at(kind, self.base + pos)
    }

    /// The bytes between two positions this reader has passed.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        &self.buf[start - self.base..end - self.base]
    }

    /// Fails unless every byte has been read.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.pos == self.buf.len() { Ok(()) } else { Err(self.error(MalformedKind::TrailingBytes)) }
    }

    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(MalformedKind::Truncated));
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Reads one head: `(major type, argument)`. For major type 7 the
    /// argument is the simple value (only false, true and null pass).
    fn head(&mut self) -> Result<(u8, u64)> {
        let start = self.pos;
        let initial = self.take(1)?[0];
        let major = initial >> 5;
        let info = initial & 0x1f;
        if major == MAJOR_SIMPLE {
            return match info {
                FALSE | TRUE | NULL => Ok((major, u64::from(info))),
                28..=31 => Err(self.error_at(MalformedKind::ReservedEncoding, start)),
                _ => Err(self.error_at(MalformedKind::UnsupportedSimpleValue, start)),
            };
        }
        let (arg, shortest_min) = match info {
            0..=23 => return Ok((major, u64::from(info))),
            24 => (u64::from(self.take(1)?[0]), 24),
            25 => (u64::from(u16::from_be_bytes(self.array_of()?)), 0x100),
            26 => (u64::from(u32::from_be_bytes(self.array_of()?)), 0x1_0000),
            27 => (u64::from_be_bytes(self.array_of()?), 0x1_0000_0000),
            31 => return Err(self.error_at(MalformedKind::IndefiniteLength, start)),
            _ => return Err(self.error_at(MalformedKind::ReservedEncoding, start)),
        };
        if arg < shortest_min {
            return Err(self.error_at(MalformedKind::NotPreferredEncoding, start));
        }
        Ok((major, arg))
    }

    fn array_of<const N: usize>(&mut self) -> Result<[u8; N]> {
        let bytes = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn expect(&mut self, want: u8, expected: &'static str) -> Result<u64> {
        let start = self.pos;
        let (major, arg) = self.head()?;
        if major != want {
            return Err(self.error_at(MalformedKind::UnexpectedType { expected }, start));
        }
        Ok(arg)
    }

    /// The additional information of the next item's head, without consuming it.
    pub(crate) fn peek_info(&self) -> Option<u8> {
        self.buf.get(self.pos).map(|b| b & 0x1f)
    }

    /// The major type of the next item, without consuming it.
    pub(crate) fn peek_major(&self) -> Option<u8> {
        self.buf.get(self.pos).map(|b| b >> 5)
    }

    pub(crate) fn uint(&mut self) -> Result<u64> {
        self.expect(MAJOR_UINT, "unsigned integer")
    }

    /// A signed integer that fits `i64`. The type is checked before the
    /// range, so a string whose length is 2⁶³ or more is `unexpected_type`.
    pub(crate) fn int(&mut self) -> Result<i64> {
        let start = self.pos;
        let (major, arg) = self.head()?;
        if major != MAJOR_UINT && major != MAJOR_NINT {
            return Err(self.error_at(MalformedKind::UnexpectedType { expected: "integer" }, start));
        }
        let value =
            i64::try_from(arg).map_err(|_| self.error_at(MalformedKind::InvalidValue { field: "integer" }, start))?;
        Ok(if major == MAJOR_UINT { value } else { -1 - value })
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8]> {
        let len = self.expect(MAJOR_BYTES, "byte string")?;
        self.take(self.checked_len(len)?)
    }

    pub(crate) fn text(&mut self) -> Result<&'a str> {
        let len = self.expect(MAJOR_TEXT, "text string")?;
        let start = self.pos;
        let raw = self.take(self.checked_len(len)?)?;
        core::str::from_utf8(raw).map_err(|_| self.error_at(MalformedKind::InvalidUtf8, start))
    }

    /// An array header; returns the number of items.
    pub(crate) fn array(&mut self) -> Result<usize> {
        let len = self.expect(MAJOR_ARRAY, "array")?;
        self.checked_count(len, 1)
    }

    /// A map header; returns the number of pairs.
    pub(crate) fn map(&mut self) -> Result<usize> {
        let len = self.expect(MAJOR_MAP, "map")?;
        self.checked_count(len, 2)
    }

    pub(crate) fn tag(&mut self) -> Result<u64> {
        self.expect(MAJOR_TAG, "tag")
    }

    pub(crate) fn bool(&mut self) -> Result<bool> {
        let start = self.pos;
        match self.head()? {
            (MAJOR_SIMPLE, v) if v == u64::from(FALSE) => Ok(false),
            (MAJOR_SIMPLE, v) if v == u64::from(TRUE) => Ok(true),
            _ => Err(self.error_at(MalformedKind::UnexpectedType { expected: "bool" }, start)),
        }
    }

    fn checked_len(&self, len: u64) -> Result<usize> {
        usize::try_from(len).ok().filter(|&n| n <= self.remaining()).ok_or_else(|| self.error(MalformedKind::Truncated))
    }

    /// Every item takes at least one byte, so a count the remaining bytes
    /// cannot hold is truncated input, caught before any loop runs.
    fn checked_count(&self, len: u64, bytes_per_item: usize) -> Result<usize> {
        let count = usize::try_from(len).map_err(|_| self.error(MalformedKind::TooManyItems))?;
        if count > MAX_ITEMS {
            return Err(self.error(MalformedKind::TooManyItems));
        }
        if count.saturating_mul(bytes_per_item) > self.remaining() {
            return Err(self.error(MalformedKind::Truncated));
        }
        Ok(count)
    }

    /// Skips one well-formed item of any type, at most `depth` levels deep.
    pub(crate) fn skip(&mut self, depth: u8) -> Result<()> {
        if depth == 0 {
            return Err(self.error(MalformedKind::TooDeep));
        }
        let start = self.pos;
        let (major, arg) = self.head()?;
        match major {
            MAJOR_UINT | MAJOR_NINT | MAJOR_SIMPLE => Ok(()),
            MAJOR_BYTES => {
                self.pos = start;
                self.bytes().map(drop)
            }
            MAJOR_TEXT => {
                self.pos = start;
                self.text().map(drop)
            }
            MAJOR_ARRAY => {
                for _ in 0..self.checked_count(arg, 1)? {
                    self.skip(depth - 1)?;
                }
                Ok(())
            }
            MAJOR_MAP => {
                let mut keys = KeyOrder::new();
                for _ in 0..self.checked_count(arg, 2)? {
                    keys.next_key(self, |r| r.skip(depth - 1))?;
                    self.skip(depth - 1)?;
                }
                Ok(())
            }
            _ => self.skip(depth - 1), // MAJOR_TAG: the tagged item follows
        }
    }

    /// Skips one well-formed map, at most `depth` levels deep. Like every
    /// typed read, a fault in the head (shortest form, indefinite length,
    /// reserved or simple value, input ending) is reported before the type.
    pub(crate) fn skip_map(&mut self, depth: u8) -> Result<()> {
        let start = self.pos;
        self.expect(MAJOR_MAP, "map")?;
        self.pos = start;
        self.skip(depth)
    }

    /// Reads a map whose keys are integers in deterministic order, handing
    /// each value to `read_value` with the key and where it was found.
    /// Returns the number of entries.
    pub(crate) fn int_map(&mut self, mut read_value: impl FnMut(&mut Self, MapField) -> Result<()>) -> Result<usize> {
        let mut keys = KeyOrder::new();
        let count = self.map()?;
        for _ in 0..count {
            let key_offset = self.offset();
            let key = keys.int(self)?;
            read_value(self, MapField { key, key_offset, value_offset: self.offset() })?;
        }
        Ok(count)
    }

    /// Reads one item of any type, returning its encoded bytes.
    pub(crate) fn raw_item(&mut self, depth: u8) -> Result<&'a [u8]> {
        let start = self.pos;
        self.skip(depth)?;
        Ok(&self.buf[start..self.pos])
    }
}

/// One entry of an integer-keyed map, as [`Reader::int_map`] meets it.
#[derive(Clone, Copy)]
pub(crate) struct MapField {
    pub(crate) key: i64,
    key_offset: usize,
    value_offset: usize,
}

impl MapField {
    /// The key is not one the format defines.
    pub(crate) fn unknown(self) -> Malformed {
        Malformed::at(MalformedKind::UnknownField, self.key_offset)
    }

    /// Where the value starts.
    pub(crate) fn value_offset(self) -> usize {
        self.value_offset
    }

    /// The value of field `name` is out of range.
    pub(crate) fn invalid(self, field: &'static str) -> Malformed {
        Malformed::at(MalformedKind::InvalidValue { field }, self.value_offset)
    }
}

/// Checks that the keys of one map arrive in strictly increasing bytewise
/// order of their encodings (RFC 8949 §4.2.1), which also forbids duplicates.
pub(crate) struct KeyOrder<'a> {
    previous: Option<&'a [u8]>,
}

impl<'a> KeyOrder<'a> {
    pub(crate) fn new() -> Self {
        Self { previous: None }
    }

    /// Reads a key with `read_key` and checks its place in the order.
    pub(crate) fn next_key<T>(
        &mut self,
        reader: &mut Reader<'a>,
        read_key: impl FnOnce(&mut Reader<'a>) -> Result<T>,
    ) -> Result<T> {
        let start = reader.pos;
        let key = read_key(reader)?;
        let encoded = &reader.buf[start..reader.pos];
        if let Some(previous) = self.previous {
            match previous.cmp(encoded) {
                Ordering::Less => {}
                Ordering::Equal => return Err(reader.error_at(MalformedKind::DuplicateMapKey, start)),
                Ordering::Greater => return Err(reader.error_at(MalformedKind::UnsortedMapKeys, start)),
            }
        }
        self.previous = Some(encoded);
        Ok(key)
    }

    /// Reads an integer key.
    pub(crate) fn int(&mut self, reader: &mut Reader<'a>) -> Result<i64> {
        self.next_key(reader, Reader::int)
    }
}

/// Writes the deterministic encoding [`Reader`] accepts. Map keys must be
/// written in order by the caller; debug builds check it.
#[derive(Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    fn head(&mut self, major: u8, arg: u64) -> &mut Self {
        let major = major << 5;
        match arg {
            0..=23 => self.buf.push(major | arg as u8),
            24..=0xff => self.buf.extend_from_slice(&[major | 24, arg as u8]),
            0x100..=0xffff => {
                self.buf.push(major | 25);
                self.buf.extend_from_slice(&(arg as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                self.buf.push(major | 26);
                self.buf.extend_from_slice(&(arg as u32).to_be_bytes());
            }
            _ => {
                self.buf.push(major | 27);
                self.buf.extend_from_slice(&arg.to_be_bytes());
            }
        }
        self
    }

    pub(crate) fn uint(&mut self, v: u64) -> &mut Self {
        self.head(MAJOR_UINT, v)
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        if v < 0 { self.head(MAJOR_NINT, (-1 - v) as u64) } else { self.head(MAJOR_UINT, v as u64) }
    }

    pub(crate) fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.head(MAJOR_BYTES, v.len() as u64);
        self.buf.extend_from_slice(v);
        self
    }

    pub(crate) fn text(&mut self, v: &str) -> &mut Self {
        self.head(MAJOR_TEXT, v.len() as u64);
        self.buf.extend_from_slice(v.as_bytes());
        self
    }

    pub(crate) fn array(&mut self, len: usize) -> &mut Self {
        self.head(MAJOR_ARRAY, len as u64)
    }

    pub(crate) fn map(&mut self, len: usize) -> &mut Self {
        self.head(MAJOR_MAP, len as u64)
    }

    pub(crate) fn tag(&mut self, tag: u64) -> &mut Self {
        self.head(MAJOR_TAG, tag)
    }

    pub(crate) fn bool(&mut self, v: bool) -> &mut Self {
        self.buf.push(MAJOR_SIMPLE << 5 | if v { TRUE } else { FALSE });
        self
    }

    pub(crate) fn null(&mut self) -> &mut Self {
        self.buf.push(MAJOR_SIMPLE << 5 | NULL);
        self
    }

    /// Appends an already-encoded item.
    pub(crate) fn raw(&mut self, encoded: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(encoded);
        self
    }
}

#[cfg(test)]
mod tests;
