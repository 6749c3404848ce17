use super::*;
use crate::keys::Algorithm;
use crate::testing::*;
use alloc::vec;

#[test]
fn windows_are_aligned_and_bounded() {
    let w = Window::containing(NOW + 17, 30).unwrap();
    assert_eq!((w.start(), w.end(), w.secs()), (NOW, NOW + 30, 30));
    assert_eq!(Window::containing(NOW, 4), Err(UsageError::WindowLength(4)));
    assert_eq!(Window::containing(NOW, 301), Err(UsageError::WindowLength(301)));
    assert_eq!(Window::containing(NOW, 0), Err(UsageError::WindowLength(0)));
    assert_eq!(Window::new(u64::MAX - 3, 5), Err(UsageError::WindowLength(5)));
    assert!(Window::containing(NOW, 5).is_ok() && Window::containing(NOW, 300).is_ok());
}

#[test]
fn frames_inside_one_window_are_identical() {
    for device_alg in [Algorithm::EdDsa, Algorithm::Es256] {
        let h = holder(Algorithm::EdDsa, device_alg);
        let frame = |t| h.present(Disclose::Profile(Profile::HotelCheckIn)).at(t).sign().unwrap();
        assert_eq!(frame(NOW), frame(NOW + 29), "{device_alg}");
        assert_ne!(frame(NOW), frame(NOW + 30), "{device_alg}");
    }
}

#[test]
fn presenting_refuses_bad_requests() {
    let h = holder(Algorithm::EdDsa, Algorithm::Es256);
    let hotel = || h.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW);
    assert_eq!(hotel().challenge(1_000_000).sign(), Err(UsageError::ChallengeRange(1_000_000).into()));
    assert_eq!(hotel().audience(&"a".repeat(65)).sign(), Err(UsageError::AudienceTooLong.into()));
    assert_eq!(hotel().window_secs(301).sign(), Err(UsageError::WindowLength(301).into()));
    assert_eq!(
        h.present(Disclose::Claims(vec!["licence_class".into()])).at(NOW).sign(),
        Err(UsageError::ClaimNotInCredential("licence_class".into()).into())
    );
    assert_eq!(h.present(Disclose::Claims(vec![])).at(NOW).sign(), Err(UsageError::NothingToDisclose.into()));
}

#[test]
fn holder_needs_the_bound_device_key() {
    let bundle = bundle(&resident_id(), Algorithm::EdDsa, Algorithm::Es256);
    let other = SecretKey::from_bytes(Algorithm::Es256, &[0x55; 32]).unwrap();
    assert!(matches!(Holder::new(bundle, other), Err(Error::Usage(UsageError::DeviceKeyMismatch))));
}

/// A keystore that misbehaves in a chosen way.
struct Keystore {
    key: SecretKey,
    fault: Fault,
}

enum Fault {
    Short,
    WrongMessage,
    HighS,
    Refuses,
    /// DER, as keystores return; high-S on request.
    Der {
        high_s: bool,
    },
    /// DER of a signature over another message.
    DerWrongMessage,
}

impl DeviceSigner for Keystore {
    fn public_key(&self) -> PublicKey {
        self.key.public_key().clone()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let sig = self.key.sign(message);
        match self.fault {
            Fault::Short => Ok(sig[..63].to_vec()),
            Fault::WrongMessage => Ok(self.key.sign(b"something else").to_vec()),
            Fault::HighS => {
                let sig = p256::ecdsa::Signature::from_slice(&sig).unwrap();
                let (r, s) = sig.split_scalars();
                Ok(p256::ecdsa::Signature::from_scalars(r, -*s).unwrap().to_bytes().to_vec())
            }
            Fault::Refuses => Err(SignerError("user cancelled".into())),
            Fault::Der { high_s } => {
                let sig = p256::ecdsa::Signature::from_slice(&sig).unwrap();
                let (r, s) = sig.split_scalars();
                let s = if high_s { -*s } else { *s };
                Ok(p256::ecdsa::Signature::from_scalars(r, s).unwrap().to_der().as_bytes().to_vec())
            }
            Fault::DerWrongMessage => {
                let sig = p256::ecdsa::Signature::from_slice(&self.key.sign(b"something else")).unwrap();
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

#[test]
fn faulty_device_signers_are_caught_and_high_s_is_normalised() {
    let present = |fault| {
        let signer = Keystore { key: device_key(Algorithm::Es256), fault };
        let h = Holder::new(bundle(&resident_id(), Algorithm::EdDsa, Algorithm::Es256), signer).unwrap();
        h.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign()
    };
    let signer_error = |why: &str| Err(Error::Usage(UsageError::Signer(why.into())));
    assert_eq!(present(Fault::Short), signer_error("not a 64-byte or DER signature"));
    assert_eq!(present(Fault::WrongMessage), signer_error("signature does not verify"));
    assert_eq!(present(Fault::DerWrongMessage), signer_error("signature does not verify"));
    assert_eq!(present(Fault::Refuses), signer_error("user cancelled"));
    let normalised = present(Fault::HighS).unwrap();
    assert!(verifier(Algorithm::EdDsa).verify_bytes(normalised.as_bytes(), NOW).is_ok());
    // DER signatures, low-S or not, become the same low-S wire signature:
    // ECDSA here is deterministic (RFC 6979), so all three codes are equal.
    assert_eq!(present(Fault::Der { high_s: false }).unwrap(), normalised);
    assert_eq!(present(Fault::Der { high_s: true }).unwrap(), normalised);
}
