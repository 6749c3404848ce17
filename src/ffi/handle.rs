//! Opaque handles and pointer arguments.
//!
//! C sees `typedef struct nocard_verifier nocard_verifier;` and nothing else:
//! each opaque type is a zero-sized struct bound by [`Handle`] to the Rust
//! value that a `Box` behind the pointer really holds. The functions here are
//! the only places that cast between the two, so a handle can never be read
//! as another type's.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ffi::{CStr, c_char};
use core::slice;

use super::error::nocard_result;
use super::version::NOCARD_MAX_NAMES;

/// Binds an opaque C type to the Rust type its pointers point at (in a `Box`).
pub(crate) trait Handle {
    type Inner;
}

/// Moves `inner` to the heap and hands the pointer to C, which owns it until `_free`.
pub(crate) fn into_raw<H: Handle>(inner: H::Inner) -> *mut H {
    Box::into_raw(Box::new(inner)).cast()
}

/// Borrows the value behind a handle; `None` for NULL.
///
/// # Safety
/// `ptr` is NULL or came from [`into_raw::<H>`] and has not been freed, and no
/// `&mut` to the same value is live for `'a`.
pub(crate) unsafe fn as_ref<'a, H: Handle>(ptr: *const H) -> Option<&'a H::Inner> {
    // SAFETY: by this function's contract `ptr` is NULL (`as_ref` gives None)
    // or points at a live, aligned `H::Inner` inside a Box.
    unsafe { ptr.cast::<H::Inner>().as_ref() }
}

/// Borrows the value behind a handle mutably; `None` for NULL.
///
/// # Safety
/// As [`as_ref`], and no other reference to the same value is live for `'a`.
pub(crate) unsafe fn as_mut<'a, H: Handle>(ptr: *mut H) -> Option<&'a mut H::Inner> {
    // SAFETY: as in `as_ref`; exclusivity is this function's contract.
    unsafe { ptr.cast::<H::Inner>().as_mut() }
}

/// Takes back ownership of the value behind a handle; `None` for NULL.
///
/// # Safety
/// `ptr` is NULL or came from [`into_raw::<H>`] and has not been freed; it
/// must not be used again.
pub(crate) unsafe fn take<H: Handle>(ptr: *mut H) -> Option<Box<H::Inner>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-NULL, so by this function's contract it is the pointer
    // `Box::into_raw` returned in `into_raw`, freed exactly once here.
    Some(unsafe { Box::from_raw(ptr.cast::<H::Inner>()) })
}

/// Why a pointer-and-length argument was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SliceError {
    /// The pointer was NULL.
    Null,
    /// The length was over the argument's limit, e.g. `SIZE_MAX` from a
    /// `strlen(line) - 1` on an empty line.
    TooLong,
}

impl From<SliceError> for nocard_result {
    fn from(error: SliceError) -> Self {
        match error {
            SliceError::Null => nocard_result::NullParameter,
            SliceError::TooLong => nocard_result::TooLong,
        }
    }
}

/// `len` items at `ptr`, if `ptr` is not NULL and `len` is at most `max`.
///
/// The length is checked before the slice is formed: a length no real
/// argument can have (`SIZE_MAX`, anything past `isize::MAX` bytes) never
/// becomes a slice, and nothing at `ptr` is read unless it passes.
///
/// # Safety
/// `ptr` is NULL or points at `len` initialised `T`s that stay valid and
/// unchanged for `'a` (required only when `len <= max`).
pub(crate) unsafe fn slice_from<'a, T>(ptr: *const T, len: usize, max: usize) -> Result<&'a [T], SliceError> {
    if ptr.is_null() {
        return Err(SliceError::Null);
    }
    if len > max {
        return Err(SliceError::TooLong);
    }
    // SAFETY: non-NULL and `len <= max`, so by this function's contract valid
    // for `len` items; every `max` passed is far below `isize::MAX` bytes.
    Ok(unsafe { slice::from_raw_parts(ptr, len) })
}

/// A NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points at a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn str_from<'a>(ptr: *const c_char) -> Result<&'a str, nocard_result> {
    if ptr.is_null() {
        return Err(nocard_result::NullParameter);
    }
    // SAFETY: non-NULL, so by this function's contract NUL-terminated and valid.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str().map_err(|_| nocard_result::InvalidUtf8)
}

/// A list of NUL-terminated UTF-8 strings given as an array and its length;
/// NULL with `count == 0` is the empty list. More than [`NOCARD_MAX_NAMES`]
/// is refused with [`nocard_result::TooLong`] before any pointer is read.
///
/// # Safety
/// `names` is NULL or points at `count` pointers, each as [`str_from`] requires.
pub(crate) unsafe fn str_list<'a>(names: *const *const c_char, count: usize) -> Result<Vec<&'a str>, nocard_result> {
    if names.is_null() && count == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: NULL or `count` pointers, by this function's contract.
    let pointers = unsafe { slice_from(names, count, NOCARD_MAX_NAMES) }?;
    // SAFETY: each pointer is NULL or a valid string, by this function's contract.
    pointers.iter().map(|&name| unsafe { str_from(name) }).collect()
}
