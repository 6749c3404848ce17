//! The panic boundary every entry point runs inside, and the values returned
//! when a panic or a NULL pointer stops a function early.
//!
//! A panic unwinding into C is undefined behaviour, so each `extern "C"`
//! body is wrapped in [`ffi_panic_boundary!`]. That needs unwinding panics:
//! the release profile keeps `panic = "unwind"`, and the `ffi` feature needs
//! `std` for `catch_unwind`.

use core::ptr::{null, null_mut};

use super::error::nocard_result;

/// What a function returns when its body panicked.
pub(crate) trait PanicOrDefault {
    fn value() -> Self;
}

/// What a function returns when a required pointer argument was NULL.
pub(crate) trait NullOrDefault {
    fn value() -> Self;
}

impl PanicOrDefault for nocard_result {
    fn value() -> Self {
        nocard_result::Panic
    }
}

impl NullOrDefault for nocard_result {
    fn value() -> Self {
        nocard_result::NullParameter
    }
}

impl PanicOrDefault for bool {
    fn value() -> Self {
        false
    }
}

impl NullOrDefault for bool {
    fn value() -> Self {
        false
    }
}

impl PanicOrDefault for u32 {
    fn value() -> Self {
        0
    }
}

impl PanicOrDefault for () {
    fn value() -> Self {}
}

impl<T> PanicOrDefault for *mut T {
    fn value() -> Self {
        null_mut()
    }
}

impl<T> PanicOrDefault for *const T {
    fn value() -> Self {
        null()
    }
}

/// Runs the body under `catch_unwind`; a panic returns
/// [`PanicOrDefault::value`] for the function's return type.
///
/// `AssertUnwindSafe` is sound here because no handle is left half-updated
/// by a panic: `nocard_verifier_verify` clears its result object before it
/// starts and stores the outcome in one assignment at the end, builders are
/// changed by single assignments, and verifiers are never changed.
macro_rules! ffi_panic_boundary {
    ($($body:tt)*) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(_) => $crate::ffi::panic::PanicOrDefault::value(),
        }
    };
}

/// Unwraps an `Option` of a checked pointer, or returns
/// [`NullOrDefault::value`] from the enclosing function body.
macro_rules! try_some {
    ($option:expr) => {
        match $option {
            Some(value) => value,
            None => return $crate::ffi::panic::NullOrDefault::value(),
        }
    };
}

/// Unwraps a `Result<_, nocard_result>`, or returns the result code.
macro_rules! try_ok {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(code) => return code,
        }
    };
}

pub(crate) use {ffi_panic_boundary, try_ok, try_some};
