//! Property tests: whatever a stranger's phone shows, verification returns an
//! error (never a panic), and no change to a valid presentation verifies.

use std::sync::OnceLock;

use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::text::{self, TextKind};
use nocard::verify::{TrustedKey, Verifier};
use proptest::prelude::*;

const NOW: u64 = 1_795_420_800;

struct Fixture {
    verifier: Verifier,
    /// A hotel view presentation and one with digests and disclosures.
    presentations: [Vec<u8>; 2],
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[1; 32]).unwrap();
        let verifier = Verifier::new(vec![TrustedKey::new("NBPSB", issuer_key.public_key().clone())]);
        let device = SecretKey::from_bytes(Algorithm::Es256, &[2; 32]).unwrap();
        let doc = Registry::builtin().by_name("household_register").unwrap().clone();
        let bundle = Issuer::new("NBPSB", issuer_key)
            .unwrap()
            .credential(&doc, device.public_key(), doc.example_claims())
            .validity(NOW - 100, NOW + 100)
            .sign()
            .unwrap();
        let holder = Holder::new(bundle, device).unwrap();
        let present = |d| holder.present(d).at(NOW).challenge(1234).sign().unwrap().as_bytes().to_vec();
        let presentations = [
            present(Disclose::Profile(Profile::HotelCheckIn)),
            present(Disclose::Claims(vec!["members".into(), "address".into()])),
        ];
        for p in &presentations {
            verifier.verify_bytes(p, NOW).unwrap();
        }
        Fixture { verifier, presentations }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_verify(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let f = fixture();
        prop_assert!(f.verifier.verify_bytes(&bytes, NOW).is_err());
        prop_assert!(f.verifier.verify(&bytes, NOW).is_err());
    }

    #[test]
    fn random_text_never_verifies(body in "[0-9A-Z $%*+./:-]{0,700}") {
        let f = fixture();
        let text = format!("NC1:{body}");
        prop_assert!(f.verifier.verify(text.as_bytes(), NOW).is_err());
    }

    #[test]
    fn changed_bytes_never_verify(
        which in 0usize..2,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4),
    ) {
        let f = fixture();
        let mut bytes = f.presentations[which].clone();
        for (index, xor) in edits {
            let i = index.index(bytes.len());
            bytes[i] ^= xor;
        }
        prop_assume!(bytes != f.presentations[which]);
        prop_assert!(f.verifier.verify_bytes(&bytes, NOW).is_err());
        let text = text::encode(TextKind::Presentation, &bytes);
        prop_assert!(f.verifier.verify(text.as_bytes(), NOW).is_err());
    }

    #[test]
    fn truncated_or_extended_never_verifies(which in 0usize..2, cut in any::<prop::sample::Index>(), tail in proptest::collection::vec(any::<u8>(), 0..8)) {
        let f = fixture();
        let original = &f.presentations[which];
        let mut bytes = original[..cut.index(original.len())].to_vec();
        bytes.extend_from_slice(&tail);
        prop_assume!(bytes != *original);
        prop_assert!(f.verifier.verify_bytes(&bytes, NOW).is_err());
    }
}
