//! nocard: leave the plastic card at home.
//!
//! An issuer (a police bureau) signs each card or proof as a CBOR/COSE
//! credential bound to the holder's device key. The phone shows it as a QR
//! code that changes every few seconds: a presentation signed by the device
//! for one short window, carrying only the claims the scene needs. A scanner
//! with no network verifies it against cached issuer keys.
//!
//! The modules follow the data: [`keys`] → [`document`] → [`credential`] →
//! [`presentation`] → [`text`] → [`qr`], and back through [`verify`]. The wire
//! format is specified in SPEC.md; every failure has a stable code
//! ([`error::Error::code`]).
//!
//! ```
//! use nocard::credential::Issuer;
//! use nocard::document::{ClaimValue, Profile, Registry};
//! use nocard::keys::{Algorithm, SecretKey};
//! use nocard::presentation::{Disclose, Holder};
//! use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
//!
//! # fn main() -> Result<(), nocard::error::Error> {
//! let now = 1_795_420_800; // Unix seconds, from the device clock
//!
//! // The bureau issues a resident ID card bound to the phone's device key.
//! let issuer = Issuer::new("NBPSB", SecretKey::generate(Algorithm::EdDsa)?)?;
//! let device = SecretKey::generate(Algorithm::Es256)?; // in real life: the Secure Enclave
//! let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
//! let bundle = issuer
//!     .credential(&doc, device.public_key(), doc.example_claims())
//!     .validity(now - 86_400, now + 10 * 365 * 86_400)
//!     .sign()?;
//!
//! // The phone shows a code for the hotel desk, valid for this 30 s window.
//! let holder = Holder::new(bundle, device)?;
//! let code = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(now).sign()?.to_text();
//! assert!(code.starts_with("NC1:"));
//!
//! // The desk's scanner, offline, trusts the bureau's key for identity cards.
//! let scope = KeyScope::types(&["resident_id_card"])?;
//! let trusted = TrustedKey::new("NBPSB", issuer.public_key().clone(), scope)?;
//! let verifier = Verifier::new(vec![trusted], Policy::default())?;
//! let seen = verifier.verify(code.as_bytes(), now + 3)?;
//! assert_eq!(seen.claim("name").unwrap().value, ClaimValue::Text("王小明".into()));
//! assert!(seen.claim("address").is_none()); // the hotel does not get it
//!
//! // A photo of the screen taken now is worthless a minute later.
//! let stale = verifier.verify(code.as_bytes(), now + 60).unwrap_err();
//! assert_eq!(stale.code(), "window_expired");
//! # Ok(())
//! # }
//! ```
// The uniffi scaffolding is generated for std: the `uniffi` feature builds
// the crate with std's prelude.
#![cfg_attr(not(any(test, feature = "uniffi")), no_std)]
#![deny(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

extern crate alloc;
#[cfg(all(feature = "std", not(test), not(feature = "uniffi")))]
extern crate std;

#[cfg(feature = "uniffi")]
#[allow(unsafe_code, missing_docs)] // uniffi's generated `extern "C"` entry points.
pub mod bindings;
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

mod cbor;
#[cfg(feature = "copy")]
pub mod copy;
mod cose;
pub mod credential;
pub mod delegation;
pub mod document;
pub mod error;
#[cfg(feature = "ffi")]
#[allow(unsafe_code)] // The C boundary: raw pointers in, `// SAFETY:` on every block.
pub mod ffi;
pub mod keys;
pub mod numeric_code;
pub mod portrait;
pub mod presentation;
#[cfg(feature = "qr")]
pub mod qr;
pub mod receipt;
pub mod replay;
#[cfg(feature = "qr")]
pub mod rotating;
#[cfg(feature = "scan")]
pub mod scan;
pub mod seal;
pub mod state_file;
pub mod status_list;
#[cfg(test)]
mod testing;
pub mod text;
pub mod trust_list;
pub mod verify;
pub mod visitor_log;

/// README.md's examples, compiled and run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
