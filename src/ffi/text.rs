//! Text out to C: the caller-buffer protocol and how claim values read as text.

use core::ffi::c_char;
use core::fmt;
use core::mem::MaybeUninit;
use core::slice;

use super::error::nocard_result;
use crate::document::{Claim, ClaimValue};

/// A caller's buffer and length slot, checked for NULL, before anything is
/// written.
///
/// The protocol of every function that returns text: the text goes into the
/// buffer as UTF-8 followed by a NUL, and `*out_len` gets its length without
/// the NUL. If the buffer is too small, the buffer is not touched, `*out_len`
/// gets the length needed and the call returns
/// [`nocard_result::BufferTooSmall`]. A NULL buffer of length 0 asks for the
/// length only.
///
/// Only the pointers are kept: the buffer becomes a slice in [`Self::write`],
/// once the text is known to fit, and then only as long as the text and its
/// NUL. So a `len` larger than the buffer really is never turns into a slice
/// over memory that is not the caller's, and an argument the caller passed in
/// the same memory (a claim name read from the output buffer) is finished
/// with before the buffer is borrowed mutably.
pub(crate) struct OutText {
    /// Not NULL unless `len` is 0 (the length query).
    buf: *mut c_char,
    len: usize,
    /// Not NULL.
    out_len: *mut usize,
}

impl OutText {
    /// Checks the pointers: `out_len` must not be NULL, `buf` only with `len == 0`.
    ///
    /// # Safety
    /// `buf` is NULL or valid for writing `len` bytes, and `out_len` is NULL or
    /// valid for writing a `usize`, until [`Self::write`] returns; neither is
    /// borrowed elsewhere once `write` is called.
    pub(crate) unsafe fn new(buf: *mut c_char, len: usize, out_len: *mut usize) -> Result<Self, nocard_result> {
        if out_len.is_null() || (buf.is_null() && len != 0) {
            return Err(nocard_result::NullParameter);
        }
        Ok(Self { buf, len, out_len })
    }

    /// Renders the text once to measure it and, if it fits with its NUL, once
    /// more into the buffer: nothing is allocated and a short buffer is left
    /// as it was.
    pub(crate) fn write(self, render: impl Fn(&mut dyn fmt::Write) -> fmt::Result) -> nocard_result {
        let mut counter = Counter(0);
        // A `Counter` never fails, and the values rendered fail only when
        // their writer does.
        let _ = render(&mut counter);
        let needed = counter.0;
        // SAFETY: not NULL (checked in `new`), writable and not borrowed
        // elsewhere (`new`'s contract).
        unsafe { self.out_len.write(needed) };
        if needed >= self.len {
            return nocard_result::BufferTooSmall;
        }
        // SAFETY: `needed + 1 <= len`, so `buf` is not NULL (`new` let a NULL
        // through only with `len == 0`) and valid for writing these bytes;
        // `MaybeUninit<u8>` has the layout of `c_char` and needs no
        // initialised contents.
        let buf = unsafe { slice::from_raw_parts_mut(self.buf.cast::<MaybeUninit<u8>>(), needed + 1) };
        let mut writer = SliceWriter { buf, at: 0 };
        // The same rendering fits: it was measured above.
        let _ = render(&mut writer);
        let SliceWriter { buf, at } = writer;
        if let Some(nul) = buf.get_mut(at) {
            nul.write(0);
        }
        nocard_result::Ok
    }
}

/// Writes `bytes` (a saved state) into the caller's buffer: the protocol of
/// the text getters without the NUL. `*out_len` gets the length; if it is
/// over `len` the buffer is not touched and the call returns
/// [`nocard_result::BufferTooSmall`]. A NULL buffer of length 0 asks for the
/// length only.
///
/// # Safety
/// `buf` is NULL or valid for writing `len` bytes, `out_len` is NULL or valid
/// for writing a `usize`, and neither overlaps `bytes`.
pub(crate) unsafe fn write_bytes(bytes: &[u8], buf: *mut u8, len: usize, out_len: *mut usize) -> nocard_result {
    if out_len.is_null() || (buf.is_null() && len != 0) {
        return nocard_result::NullParameter;
    }
    // SAFETY: not NULL, writable (contract).
    unsafe { out_len.write(bytes.len()) };
    if bytes.len() > len {
        return nocard_result::BufferTooSmall;
    }
    if !bytes.is_empty() {
        // SAFETY: `bytes.len() <= len` and not 0, so `buf` is not NULL (only
        // with `len == 0`) and valid for these bytes; no overlap (contract).
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
    }
    nocard_result::Ok
}

/// Counts bytes.
struct Counter(usize);

impl fmt::Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.saturating_add(s.len());
        Ok(())
    }
}

/// Copies into a slice, refusing (not truncating) what does not fit.
struct SliceWriter<'a> {
    buf: &'a mut [MaybeUninit<u8>],
    at: usize,
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.at.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.at..end).ok_or(fmt::Error)?;
        for (d, &b) in dst.iter_mut().zip(s.as_bytes()) {
            d.write(b);
        }
        self.at = end;
        Ok(())
    }
}

/// A claim value as text: text as it is, a date as `YYYY-MM-DD`, an integer
/// in decimal, a bool as `true`/`false`, bytes as lowercase hex, and records
/// as compact JSON: an array of objects whose fields are rendered the same
/// way, with text, dates and bytes as JSON strings.
pub(crate) fn claim_text(value: &ClaimValue, w: &mut dyn fmt::Write) -> fmt::Result {
    match value {
        ClaimValue::Text(text) => w.write_str(text),
        ClaimValue::Date(date) => write!(w, "{date}"),
        ClaimValue::Integer(n) => write!(w, "{n}"),
        ClaimValue::Bool(b) => w.write_str(if *b { "true" } else { "false" }),
        ClaimValue::Bytes(bytes) => hex(bytes, w),
        ClaimValue::Records(entries) => json_records(entries, w),
    }
}

/// Lowercase hex, two digits a byte.
fn hex(bytes: &[u8], w: &mut dyn fmt::Write) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(w, "{b:02x}"))
}

fn json_records(entries: &[alloc::vec::Vec<Claim>], w: &mut dyn fmt::Write) -> fmt::Result {
    w.write_char('[')?;
    for (i, entry) in entries.iter().enumerate() {
        w.write_str(if i == 0 { "{" } else { ",{" })?;
        for (j, field) in entry.iter().enumerate() {
            if j > 0 {
                w.write_char(',')?;
            }
            json_string(&field.name, w)?;
            w.write_char(':')?;
            json_value(&field.value, w)?;
        }
        w.write_char('}')?;
    }
    w.write_char(']')
}

fn json_value(value: &ClaimValue, w: &mut dyn fmt::Write) -> fmt::Result {
    match value {
        ClaimValue::Text(text) => json_string(text, w),
        ClaimValue::Date(date) => write!(w, "\"{date}\""),
        ClaimValue::Integer(n) => write!(w, "{n}"),
        ClaimValue::Bool(b) => w.write_str(if *b { "true" } else { "false" }),
        ClaimValue::Bytes(bytes) => {
            w.write_char('"')?;
            hex(bytes, w)?;
            w.write_char('"')
        }
        ClaimValue::Records(entries) => json_records(entries, w),
    }
}

/// A JSON string (RFC 8259 §7): quote, backslash and control characters escaped.
fn json_string(text: &str, w: &mut dyn fmt::Write) -> fmt::Result {
    w.write_char('"')?;
    for c in text.chars() {
        match c {
            '"' => w.write_str("\\\"")?,
            '\\' => w.write_str("\\\\")?,
            c if u32::from(c) < 0x20 => write!(w, "\\u{:04x}", u32::from(c))?,
            c => w.write_char(c)?,
        }
    }
    w.write_char('"')
}
