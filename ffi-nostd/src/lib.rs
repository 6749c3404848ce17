//! nocard's C API as a `no_std` + `alloc` static library: the same
//! `include/nocard.h`, the same functions (they are `nocard::ffi`'s), for
//! firmware with a C library but no Rust `std`.
//!
//! What `std` would bring, this crate supplies:
//! - An allocator: C's `malloc`, `realloc` and `free`. Firmware already has
//!   one heap, sized and placed by its linker script, and a C library
//!   (newlib, picolibc, a vendor's) that manages it; nocard's few kilobytes
//!   per verification come from the same heap as the C program's, so there
//!   is one budget to size, one place to hook a tracing allocator, and
//!   valgrind or ASan see every block. Only these three functions are used
//!   (no `aligned_alloc`, which small C libraries often lack): alignments
//!   above what `malloc` guarantees are served by over-allocating.
//! - A panic handler. A panic is a bug in nocard, never bad input, and
//!   cannot be caught without an unwinder: the handler calls the function
//!   the firmware set with `nocard_set_panic_handler(fn(file, line))` (log
//!   it, reset the device), then C's `abort()`.
#![no_std]
#![warn(missing_docs)]

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::{CStr, c_void};
use core::panic::PanicInfo;

// The C API: linking `nocard` (with `ffi`) puts its `#[no_mangle]` functions
// in this archive.
pub use nocard::ffi;

unsafe extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
    fn abort() -> !;
}

/// What `malloc` returns is aligned for any fundamental type: 16 bytes on
/// 64-bit targets (glibc, musl, newlib on AArch64), 8 on 32-bit ones
/// (Cortex-M with newlib or picolibc).
const MALLOC_ALIGN: usize = 2 * core::mem::size_of::<usize>();

/// Rust's allocations through C's `malloc`, `realloc`, `free`.
struct CAllocator;

// SAFETY: `malloc` returns NULL or a block of at least `size` bytes aligned
// to MALLOC_ALIGN; larger alignments get a block `align` bytes longer whose
// aligned address has the block's start stored just before it.
unsafe impl GlobalAlloc for CAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: any size; `layout.size()` is non-zero by GlobalAlloc's contract.
            return unsafe { malloc(layout.size()) }.cast();
        }
        // Room for the alignment and for the pointer to the block's start.
        let Some(total) = layout.size().checked_add(layout.align()) else {
            return core::ptr::null_mut();
        };
        // SAFETY: as above.
        let block = unsafe { malloc(total) }.cast::<u8>();
        if block.is_null() {
            return block;
        }
        // At least MALLOC_ALIGN (≥ a pointer) and at most `align` bytes in:
        // the aligned block of `size` bytes ends inside `total`.
        let offset = layout.align() - (block as usize & (layout.align() - 1));
        // SAFETY: `offset` ≤ `align`, within the block; the word before the
        // aligned address is inside the block too (offset ≥ MALLOC_ALIGN).
        unsafe {
            let aligned = block.add(offset);
            aligned.cast::<*mut u8>().sub(1).write_unaligned(block);
            aligned
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: `ptr` came from `malloc` or `realloc` in this allocator.
            unsafe { free(ptr.cast()) };
        } else {
            // SAFETY: `alloc` stored the block's start just before `ptr`.
            unsafe { free(ptr.cast::<*mut u8>().sub(1).read_unaligned().cast()) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: `ptr` came from `malloc` or `realloc` here; `realloc`
            // keeps the alignment of `malloc`.
            return unsafe { realloc(ptr.cast(), new_size) }.cast();
        }
        // SAFETY: GlobalAlloc's own copy-and-free, through `alloc` and
        // `dealloc` above, with the caller's contract.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[global_allocator]
static ALLOCATOR: CAllocator = CAllocator;

/// Longest source path passed to the firmware's panic handler; longer ones
/// are cut (the line number still finds the place).
const FILE_MAX: usize = 127;

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    // The file as a NUL-terminated C string, on the stack: no allocation
    // while panicking.
    let mut file = [0u8; FILE_MAX + 1];
    let mut line = 0;
    if let Some(location) = info.location() {
        let bytes = location.file().as_bytes();
        let len = bytes.len().min(FILE_MAX);
        file[..len].copy_from_slice(&bytes[..len]);
        line = location.line();
    }
    let file = CStr::from_bytes_until_nul(&file).unwrap_or(c"?");
    nocard::ffi::call_panic_handler(file, line);
    // SAFETY: C's abort() takes nothing and does not return.
    unsafe { abort() }
}

/// The unwinding personality routine that cleanup blocks in the prebuilt
/// `core` and `alloc` (compiled with `panic = "unwind"`) refer to, e.g.
/// `alloc::fmt::format`'s, which the status-list code reaches. This library
/// aborts on every panic (`panic = "abort"`, the handler above), so nothing
/// ever unwinds and this is never called; it only resolves the reference.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}
