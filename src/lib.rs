#![cfg_attr(not(test), no_std)]
extern crate alloc;
#[cfg(all(feature = "std", not(test)))]
extern crate std;

pub mod document;
mod cbor;
mod cose;
pub mod credential;
pub mod error;
pub mod keys;
pub mod text;
pub mod presentation;
#[cfg(feature = "qr")]
pub mod qr;
pub mod verify;
#[cfg(test)]
mod testing;
