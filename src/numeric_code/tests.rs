use alloc::format;
use alloc::string::{String, ToString};

use super::*;

/// RFC 6238 appendix B's HMAC-SHA256 seed: "12345678901234567890" repeated
/// to 32 bytes.
const RFC6238_SHA256_SEED: &[u8; 32] = b"12345678901234567890123456789012";

/// RFC 6238 appendix B, the SHA256 rows: (time, T as hex, TOTP).
const RFC6238_SHA256: [(u64, u64, &str); 6] = [
    (59, 0x0000000000000001, "46119246"),
    (1111111109, 0x00000000023523EC, "68084774"),
    (1111111111, 0x00000000023523ED, "67062674"),
    (1234567890, 0x000000000273EF07, "91819424"),
    (2000000000, 0x0000000003F940AA, "90698825"),
    (20000000000, 0x0000000027BC86AA, "77737706"),
];

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z, a step boundary

fn secret() -> CodeSecret {
    CodeKey::from_bytes([0x44; KEY_LEN]).secret("NBPSB", b"\x01\x02")
}

fn drift(steps: u8) -> Drift {
    Drift::new(steps).unwrap()
}

#[test]
fn rfc6238_sha256_vectors_pass_through_the_wallet_and_the_back_office() {
    let secret = CodeSecret::from_bytes(*RFC6238_SHA256_SEED);
    for (time, step, totp) in RFC6238_SHA256 {
        let code = secret.code_at(time);
        assert_eq!((code.to_string().as_str(), code.step), (totp, step), "time {time}");
        assert_eq!(check_code(&secret, totp, time, drift(0)), Ok(step), "time {time}");
    }
}

#[test]
fn the_secret_is_hkdf_of_the_code_key_issuer_and_credential_id() {
    // Check values quoted in SPEC.md §12.1.
    assert_eq!(hex::encode(secret().0), "31815f3e9960f327b6228113a9acb4bfeabe18be6e47237ab0f8692b44da4322");
    assert_eq!(secret().code_at(NOW), NumericCode { value: 39_034_247, step: 59_847_360, seconds_left: 30 });
    let key = CodeKey::from_bytes([0x44; KEY_LEN]);
    assert_ne!(key.secret("NBPSB", b"\x01\x02"), key.secret("NBPSB", b"\x01\x03"));
    assert_ne!(key.secret("NBPSB", b"\x01\x02"), key.secret("NBPSC", b"\x01\x02"));
    // The length byte keeps `iss` and `cti` apart: "AB" + "C" is not "A" + "BC".
    assert_ne!(key.secret("AB", b"C"), key.secret("A", b"BC"));
}

#[test]
fn a_code_shows_with_leading_zeros_and_the_seconds_left() {
    let code = NumericCode { value: 4711, step: 1, seconds_left: 30 };
    assert_eq!(code.to_string(), "00004711");
    assert_eq!(secret().code_at(NOW).seconds_left, 30);
    assert_eq!(secret().code_at(NOW + 29).seconds_left, 1);
    assert_eq!(secret().code_at(NOW + 29).step, secret().code_at(NOW).step);
    assert_eq!(secret().code_at(NOW + 30).step, NOW / 30 + 1);
}

#[test]
fn codes_within_the_drift_are_accepted_with_their_step() {
    let secret = secret();
    let current = NOW / STEP_SECS;
    for offset in -2i64..=2 {
        let then = NOW.checked_add_signed(offset * 30).unwrap();
        let code = secret.code_at(then).to_string();
        assert_eq!(check_code(&secret, &code, NOW, drift(2)), Ok(current.checked_add_signed(offset).unwrap()));
    }
}

#[test]
fn codes_from_a_step_outside_the_drift_are_refused_with_their_step() {
    let secret = secret();
    let current = NOW / STEP_SECS;
    for (drift_steps, offset) in [(0, 1i64), (0, -1), (1, 2), (1, -2), (4, 5), (4, -5), (1, 11), (1, -11)] {
        let code = secret.code_at(NOW.checked_add_signed(offset * 30).unwrap()).to_string();
        let step = current.checked_add_signed(offset).unwrap();
        assert_eq!(
            check_code(&secret, &code, NOW, drift(drift_steps)),
            Err(CodeError::OutsideDrift { step, current }),
            "drift {drift_steps}, offset {offset}"
        );
    }
    // Further away than the diagnostic reach, it is just a wrong code.
    let far = secret.code_at(NOW - 12 * 30).to_string();
    assert_eq!(check_code(&secret, &far, NOW, drift(1)), Err(CodeError::WrongCode));
}

#[test]
fn a_wrong_code_and_another_credentials_code_are_wrong_codes() {
    let secret = secret();
    let right = secret.code_at(NOW).value;
    let wrong = format!("{:08}", (right + 1) % MODULUS);
    assert_eq!(check_code(&secret, &wrong, NOW, drift(1)), Err(CodeError::WrongCode));
    let other = CodeKey::from_bytes([0x44; KEY_LEN]).secret("NBPSB", b"\x01\x03");
    assert_eq!(check_code(&other, &secret.code_at(NOW).to_string(), NOW, drift(1)), Err(CodeError::WrongCode));
}

#[test]
fn anything_but_eight_ascii_digits_is_malformed() {
    let secret = secret();
    let code = secret.code_at(NOW).to_string();
    let spaced = format!("{} {}", &code[..4], &code[4..]);
    let long = format!("{code}0");
    let fullwidth = code.chars().map(|c| char::from_u32(u32::from(c) - 0x30 + 0xff10).unwrap()).collect::<String>();
    for bad in ["", "1234567", &long, &spaced, "1234567a", "+1234567", "-1234567", &fullwidth, " 12345678"] {
        assert_eq!(check_code(&secret, bad, NOW, drift(1)), Err(CodeError::Malformed), "{bad:?}");
    }
}

#[test]
fn drift_is_bounded_when_set() {
    for steps in 0..=Drift::MAX {
        assert_eq!(Drift::new(steps).map(Drift::steps), Ok(steps));
    }
    assert_eq!(Drift::new(5), Err(CodeError::DriftOutOfRange { steps: 5 }));
    assert_eq!(Drift::new(u8::MAX), Err(CodeError::DriftOutOfRange { steps: u8::MAX }));
    assert_eq!(Drift::default().steps(), 1);
}

#[test]
fn the_checker_accepts_a_code_once_and_no_earlier_step_after_it() {
    let secret = secret();
    let mut checker = CodeChecker::new(drift(1));
    let current = NOW / STEP_SECS;
    let code = secret.code_at(NOW).to_string();
    assert_eq!(checker.check(b"\x01\x02", &secret, &code, NOW), Ok(current));
    // The same code again, in the same step or the next.
    let replayed = Err(CodeError::Replayed { step: current, last: current });
    assert_eq!(checker.check(b"\x01\x02", &secret, &code, NOW + 5), replayed);
    assert_eq!(checker.check(b"\x01\x02", &secret, &code, NOW + 30), replayed);
    // The previous step's code, still within the drift, is older still.
    let previous = secret.code_at(NOW - 30).to_string();
    let earlier = Err(CodeError::Replayed { step: current - 1, last: current });
    assert_eq!(checker.check(b"\x01\x02", &secret, &previous, NOW), earlier);
    // The next step's code is new.
    let next = secret.code_at(NOW + 30).to_string();
    assert_eq!(checker.check(b"\x01\x02", &secret, &next, NOW + 30), Ok(current + 1));
    assert_eq!(checker.last_step(b"\x01\x02"), Some(current + 1));
    // Another credential keeps its own last step.
    let other = CodeKey::from_bytes([0x44; KEY_LEN]).secret("NBPSB", b"\x01\x03");
    assert_eq!(checker.check(b"\x01\x03", &other, &other.code_at(NOW).to_string(), NOW), Ok(current));
}

#[test]
fn a_refused_code_leaves_the_checker_unchanged_and_state_restores() {
    let secret = secret();
    let mut checker = CodeChecker::new(drift(1));
    assert_eq!(checker.check(b"id", &secret, "00000000x", NOW), Err(CodeError::Malformed));
    assert_eq!(checker, CodeChecker::new(drift(1)));
    let current = NOW / STEP_SECS;
    checker.restore(b"id", current);
    let code = secret.code_at(NOW).to_string();
    assert_eq!(checker.check(b"id", &secret, &code, NOW), Err(CodeError::Replayed { step: current, last: current }));
}

#[test]
fn secrets_and_keys_are_redacted_in_debug() {
    let key = CodeKey::from_bytes([0x44; KEY_LEN]);
    assert_eq!(format!("{key:?}"), "CodeKey(<redacted>)");
    assert_eq!(format!("{:?}", secret()), "CodeSecret(<redacted>)");
}

#[test]
fn every_error_has_its_own_code() {
    let errors = [
        CodeError::Malformed,
        CodeError::WrongCode,
        CodeError::OutsideDrift { step: 2, current: 1 },
        CodeError::Replayed { step: 1, last: 1 },
        CodeError::DriftOutOfRange { steps: 5 },
    ];
    let codes: alloc::collections::BTreeSet<&str> = errors.iter().map(CodeError::code).collect();
    assert_eq!(codes.len(), errors.len());
}
