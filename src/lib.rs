#![cfg_attr(not(test), no_std)]
extern crate alloc;
#[cfg(all(feature = "std", not(test)))]
extern crate std;

mod cbor;
mod cose;
pub mod credential;
pub mod document;
pub mod error;
pub mod keys;
pub mod presentation;
#[cfg(feature = "qr")]
pub mod qr;
#[cfg(test)]
mod testing;
pub mod text;
pub mod verify;
