//! The hotel check-in presentation both verify benchmarks measure, and the
//! two signed messages inside it. Shared by `benches/verify.rs` (criterion
//! medians) and `benches/verify_ratio.rs` (the interleaved CI gate), each
//! including this file with `#[path]`.

use coset::{AsCborValue, CborSerializable, CoseSign1};
use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use std::hint::black_box;

pub const NOW: u64 = 1_795_420_800;

/// A resident ID card (Ed25519 issuer, P-256 device key) presented for
/// hotel check-in, with a verifier that trusts its issuer for that type.
pub struct Fixture {
    pub text: String,
    pub verifier: Verifier,
    issuer_public: PublicKey,
    device_public: PublicKey,
    issuer_tbs: Vec<u8>,
    issuer_sig: Vec<u8>,
    device_tbs: Vec<u8>,
    device_sig: Vec<u8>,
}

impl Fixture {
    pub fn new() -> Self {
        let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap();
        let device_key = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
        let issuer_public = issuer_key.public_key().clone();
        let device_public = device_key.public_key().clone();
        let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
        let bundle = Issuer::new("NBPSB", issuer_key)
            .unwrap()
            .credential(&doc, &device_public, doc.example_claims())
            .validity(NOW - 1000, NOW + 1000)
            .sign()
            .unwrap();
        let holder = Holder::new(bundle, device_key).unwrap();
        let presentation = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
        let scope = KeyScope::types(&["resident_id_card"]).unwrap();
        let trusted = TrustedKey::new("NBPSB", issuer_public.clone(), scope).unwrap();
        let verifier = Verifier::new(vec![trusted], Policy::default()).unwrap();

        // The two signed messages, extracted with coset rather than nocard.
        let outer = CoseSign1::from_slice(presentation.as_bytes()).unwrap();
        let payload: ciborium::Value = ciborium::from_reader(outer.payload.as_deref().unwrap()).unwrap();
        let credential = CoseSign1::from_cbor_value(payload.as_map().unwrap()[0].1.clone()).unwrap();
        let fixture = Fixture {
            text: presentation.to_text(),
            verifier,
            issuer_public,
            device_public,
            issuer_tbs: credential.tbs_data(&[]),
            issuer_sig: credential.signature.clone(),
            device_tbs: outer.tbs_data(&[]),
            device_sig: outer.signature.clone(),
        };
        assert!(fixture.verifier.verify(fixture.text.as_bytes(), NOW).is_ok());
        fixture
    }

    /// Everything: text in, typed result out.
    pub fn full(&self) {
        black_box(self.verifier.verify(black_box(self.text.as_bytes()), NOW).unwrap());
    }

    /// The floor: only the two signature verifications inside `full`.
    pub fn bare(&self) {
        self.issuer_public.verify(black_box(&self.issuer_tbs), &self.issuer_sig).unwrap();
        self.device_public.verify(black_box(&self.device_tbs), &self.device_sig).unwrap();
    }
}
