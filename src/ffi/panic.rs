//! The panic boundary every entry point runs inside, and the values returned
//! when a panic or a NULL pointer stops a function early.
//!
//! A panic unwinding into C is undefined behaviour, so each `extern "C"`
//! body is wrapped in [`ffi_panic_boundary!`]. Two flavours, one API:
//! - with `std` (the std C library), the boundary is `catch_unwind`: a panic
//!   returns `NOCARD_RESULT_PANIC` (or NULL, false, 0). That needs unwinding
//!   panics: the release and firmware profiles keep `panic = "unwind"`.
//! - without `std` (the no_std C library, `ffi-nostd/`), nothing can be
//!   caught: the library is built with `panic = "abort"`, and its
//!   `#[panic_handler]` calls the integrator's handler
//!   ([`nocard_set_panic_handler`]) and then C's `abort()`. The boundary is
//!   the body itself.

use core::ffi::c_char;
use core::ptr::{null, null_mut};
use core::sync::atomic::{AtomicPtr, Ordering};

use super::error::nocard_result;

/// What a function returns when its body panicked.
// Without `std` nothing is caught, so nothing asks for it.
#[cfg_attr(not(feature = "std"), allow(dead_code))]
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
/// changed by single assignments, verifiers are never changed, and replay
/// caches, trust stores and status stores change only through their Rust
/// methods, which leave them unchanged on error.
#[cfg(feature = "std")]
macro_rules! ffi_panic_boundary {
    ($($body:tt)*) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(_) => $crate::ffi::panic::PanicOrDefault::value(),
        }
    };
}

/// Without `std` a panic cannot be caught: it goes to the `#[panic_handler]`
/// of the no_std C library (`ffi-nostd/`), which never returns. The closure
/// keeps `return` in a body (from [`try_some!`], [`try_ok!`]) meaning the
/// same as under `catch_unwind`.
#[cfg(not(feature = "std"))]
macro_rules! ffi_panic_boundary {
    ($($body:tt)*) => {{
        #[allow(clippy::redundant_closure_call)] // The closure is what gives `return` its meaning.
        let value = (|| { $($body)* })();
        value
    }};
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

/// A function the no_std C library calls when nocard panics, before it
/// calls `abort()`: `file` is the NUL-terminated Rust source file (static),
/// `line` the line in it. It may log, reset the device or loop; if it
/// returns, `abort()` follows. Not called by the std C library, where a panic
/// is caught and returned as `NOCARD_RESULT_PANIC`.
///
/// Ownership: `file` is static; the handler must not free it.
///
/// Thread safety: called on the thread that panicked; nocard is not to be
/// called again from the handler.
pub type nocard_panic_handler = Option<unsafe extern "C" fn(file: *const c_char, line: u32)>;

static PANIC_HANDLER: AtomicPtr<()> = AtomicPtr::new(null_mut());

/// Sets the function the no_std C library calls when nocard panics (a bug in
/// nocard, never bad input), before it calls `abort()`; NULL restores the
/// default, `abort()` alone. Returns the previous handler.
///
/// The std C library catches panics and returns `NOCARD_RESULT_PANIC`
/// instead (`nocard_features()` has `NOCARD_FEATURE_STD`); there the handler
/// is stored but never called.
///
/// Ownership: the function must stay callable for as long as nocard is used.
///
/// Thread safety: safe from any thread; a panic on another thread at the same
/// moment sees either the old or the new handler.
#[unsafe(no_mangle)]
pub extern "C" fn nocard_set_panic_handler(handler: nocard_panic_handler) -> nocard_panic_handler {
    ffi_panic_boundary! {
        let new = handler.map_or(null_mut(), |f| f as *mut ());
        let old = PANIC_HANDLER.swap(new, Ordering::AcqRel);
        // SAFETY: PANIC_HANDLER only ever holds NULL or a pointer made from a
        // `nocard_panic_handler` function just above.
        (!old.is_null()).then(|| unsafe {
            core::mem::transmute::<*mut (), unsafe extern "C" fn(*const c_char, u32)>(old)
        })
    }
}

impl PanicOrDefault for nocard_panic_handler {
    fn value() -> Self {
        None
    }
}

/// For the no_std C library's `#[panic_handler]` (`ffi-nostd/`): calls the
/// handler set with [`nocard_set_panic_handler`], if any. `file` must be
/// NUL-terminated.
#[doc(hidden)]
pub fn call_panic_handler(file: &core::ffi::CStr, line: u32) {
    let handler = PANIC_HANDLER.load(Ordering::Acquire);
    if !handler.is_null() {
        // SAFETY: as in `nocard_set_panic_handler`: NULL or such a function,
        // which the integrator promised stays callable.
        unsafe {
            let handler = core::mem::transmute::<*mut (), unsafe extern "C" fn(*const c_char, u32)>(handler);
            handler(file.as_ptr(), line);
        }
    }
}
