//! `PublicKey::from_cose_key` and `SecretKey::from_cose_key`: trusted issuer
//! keys come from files, and key files are edited by people.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::error::KeyError;
use nocard::keys::{PublicKey, SecretKey};

fn check_error_offset(err: &KeyError, len: usize) {
    if let KeyError::Malformed(m) = err {
        assert!(m.offset <= len, "error offset {} past the input's {len} bytes", m.offset);
    }
}

fuzz_target!(|data: &[u8]| {
    let public = PublicKey::from_cose_key(data);
    match &public {
        Ok(key) => {
            // The compact form this crate writes reads back as the same key, with the same id.
            let again = PublicKey::from_cose_key(&key.to_cose_key()).expect("a written key reads back");
            assert_eq!(&again, key);
            assert_eq!(again.id(), key.id());
        }
        Err(err) => check_error_offset(err, data.len()),
    }

    match SecretKey::from_cose_key(data) {
        Ok(secret) => {
            // If the input also carries the public key, it is this one.
            if let Ok(key) = &public {
                assert_eq!(key, secret.public_key());
            }
            let written = secret.to_cose_key();
            let again = SecretKey::from_cose_key(&written).expect("a written secret key reads back");
            assert_eq!(again.public_key(), secret.public_key());
            assert_eq!(PublicKey::from_cose_key(&written).as_ref(), Ok(secret.public_key()));
            // And it signs what its public half verifies.
            let signature = secret.sign(data);
            assert!(secret.public_key().verify(data, &signature).is_ok());
        }
        Err(err) => check_error_offset(&err, data.len()),
    }
});
