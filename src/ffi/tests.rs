//! The C API called from Rust as C calls it: every function with NULL
//! arguments, short buffers, every error path, the header against the code.

use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::{CStr, c_char, c_uint};
use core::ptr::{null, null_mut};

use super::*;
use crate::document::{Claim, ClaimValue, Date, DocType, Profile, Registry};
use crate::error::{ConfigError, Error, KeyError, Malformed, MalformedKind, UsageError};
use crate::keys::{Algorithm, KeyId};
use crate::presentation::{Disclose, Holder};
use crate::testing::*;
use crate::verify::Policy;

const HEADER: &str = include_str!("../../include/nocard.h");

/// A verifier trusting the test issuer's Ed25519 key, built through the C API.
fn c_verifier(configure: impl FnOnce(*mut nocard_verifier_builder)) -> *const nocard_verifier {
    let key = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let builder = nocard_verifier_builder_new();
    // SAFETY: a live builder, a key buffer of the given length, a NUL-terminated issuer.
    let added = unsafe {
        nocard_verifier_builder_add_issuer_key(builder, key.as_ptr(), key.len(), c"NBPSB".as_ptr(), null(), 0, true)
    };
    assert_eq!(added, nocard_result::Ok);
    configure(builder);
    let mut verifier = null();
    // SAFETY: a live builder, consumed here; a valid out pointer.
    assert_eq!(unsafe { nocard_verifier_builder_build(builder, &mut verifier) }, nocard_result::Ok);
    assert!(!verifier.is_null());
    verifier
}

fn verify(verifier: *const nocard_verifier, text: &str, now: u64, out: *mut nocard_verification) -> nocard_result {
    // SAFETY: live handles from the constructors; `text` is valid for its length.
    unsafe { nocard_verifier_verify(verifier, text.as_ptr(), text.len(), now, out) }
}

/// Reads a text getter into a `String`: first asks for the length, then reads.
fn text(getter: impl Fn(*mut c_char, usize, *mut usize) -> nocard_result) -> Result<String, nocard_result> {
    let mut needed = usize::MAX;
    match getter(null_mut(), 0, &mut needed) {
        nocard_result::BufferTooSmall => {}
        other => return Err(other),
    }
    let mut buf = alloc::vec![0x55u8; needed + 1];
    let mut written = 0;
    assert_eq!(getter(buf.as_mut_ptr().cast(), buf.len(), &mut written), nocard_result::Ok);
    assert_eq!((written, buf[needed]), (needed, 0), "length and NUL");
    buf.truncate(needed);
    Ok(String::from_utf8(buf).unwrap())
}

fn claim(v: *const nocard_verification, name: &CStr) -> Result<String, nocard_result> {
    // SAFETY: a live verification, a NUL-terminated name, buffers as `text` passes them.
    text(|buf, len, out| unsafe { nocard_verification_claim(v, name.as_ptr(), buf, len, out) })
}

fn message(v: *const nocard_verification) -> Result<String, nocard_result> {
    // SAFETY: a live verification; buffers as `text` passes them.
    text(|buf, len, out| unsafe { nocard_verification_message(v, buf, len, out) })
}

fn free(verifier: *const nocard_verifier, verification: *mut nocard_verification) {
    // SAFETY: live handles, each freed once.
    unsafe {
        nocard_verifier_free(verifier);
        nocard_verification_free(verification);
    }
}

fn hotel_text() -> String {
    present(Disclose::Profile(Profile::HotelCheckIn)).to_text()
}

/// One value of every `Error` variant.
fn every_error() -> Vec<Error> {
    let m = Malformed { kind: MalformedKind::Truncated, offset: 3 };
    [
        Error::Malformed(m),
        Error::UnsupportedVersion { found: '2' },
        Error::UnknownKey { kid: KeyId([0; 8]) },
        Error::AlgorithmNotAllowed { alg: -35 },
        Error::AlgorithmMismatch,
        Error::KeyNotAllowedForDocType,
        Error::IssuerKeyNotValid,
        Error::IssuerMismatch,
        Error::UnknownDocType,
        Error::BadIssuerSignature,
        Error::BadDeviceSignature,
        Error::DisclosureDigestMismatch,
        Error::CredentialNotYetValid { not_before: 2, now: 1 },
        Error::CredentialExpired { expires: 1, now: 2 },
        Error::WindowNotYetValid { start: 2, now: 1 },
        Error::WindowExpired { end: 1, now: 2 },
        Error::ChallengeMismatch { expected: 1, found: None },
        Error::AudienceMismatch,
        Error::MissingRequiredClaim { name: "name".into() },
        Error::InvalidKey(KeyError::WeakKey),
        Error::Usage(UsageError::MissingBirthDate),
        Error::DocTypeNotAccepted,
        Error::RequirementNotMet { name: "sex".into() },
        Error::AudienceMissing,
        Error::CredentialIssuedInFuture { issued_at: 2, now: 1 },
        Error::Replayed { first_seen: 1 },
        Error::ReplayCacheFull { capacity: 1 },
        Error::IssuedOutsideKeyPeriod { issued_at: 1 },
        Error::IssuerKeyCompromised { compromised_at: 1, issued_at: 2 },
        Error::TrustListStale { next_update: 1 },
        Error::SealRequired,
        Error::SealedNoGroupKey,
        Error::SealedForOtherGroup { kid: KeyId([0; 8]) },
        Error::SealedOpenFailed,
    ]
    .to_vec()
}

/// One value of every `ConfigError` variant but `UnknownProfile`, which C
/// reports as `NOCARD_RESULT_UNKNOWN_PROFILE`.
fn every_config_error() -> Vec<ConfigError> {
    [
        ConfigError::ClockSkew { secs: 301, max: 300 },
        ConfigError::Challenge(1_000_000),
        ConfigError::Audience,
        ConfigError::NoAlgorithms,
        ConfigError::EmptyKeyScope,
        ConfigError::DuplicateScopeType("resident_id_card".into()),
        ConfigError::IssuerName,
        ConfigError::KeyValidity,
        ConfigError::DuplicateKey(KeyId([0; 8])),
        ConfigError::UnknownDocTypeName("no_such_card".into()),
        ConfigError::UnknownClaimName("no_such_claim".into()),
        ConfigError::RequirementValue("sex".into()),
        ConfigError::DuplicateGroupKey(KeyId([0; 8])),
        ConfigError::SealWithoutGroupKey,
    ]
    .to_vec()
}

fn code_name(result: nocard_result) -> &'static str {
    // SAFETY: `nocard_result_code_name` returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(nocard_result_code_name(result as c_uint)) }.to_str().unwrap()
}

#[test]
fn code_names_are_the_rust_error_codes() {
    let errors = every_error();
    for e in &errors {
        let code = error::map_error(e);
        assert_eq!(code_name(code), e.code(), "{e:?}");
        assert!((100..200).contains(&(code as u32)) || (500..520).contains(&(code as u32)), "{e:?}");
    }
    let mapped: Vec<u32> = errors.iter().map(|e| error::map_error(e) as u32).collect();
    // 125 is `invalid_config`, which C reports as one NOCARD_RESULT_CONFIG_* per kind;
    // sealed codes (SPEC.md §13) have 500–503.
    let expected: Vec<u32> = (100..125).chain(126..131).chain(500..504).collect();
    assert_eq!(mapped, expected, "one code per variant, in order");
    assert_eq!(code_name(nocard_result::InvalidConfig), Error::InvalidConfig(ConfigError::Audience).code());
}

#[test]
fn config_codes_name_the_refused_setting() {
    let configs = every_config_error();
    for config in &configs {
        let code = error::map_error(&Error::InvalidConfig(config.clone()));
        assert_eq!(code_name(code), alloc::format!("config_{}", config.code()), "{config:?}");
    }
    let mapped: Vec<u32> = configs.iter().map(|c| error::map_error(&Error::InvalidConfig(c.clone())) as u32).collect();
    assert_eq!(mapped, (200..212).chain(504..506).collect::<Vec<u32>>(), "one code per kind, in order");
    let unknown_profile = Error::InvalidConfig(ConfigError::UnknownProfile("casino".into()));
    assert_eq!(error::map_error(&unknown_profile), nocard_result::UnknownProfile);
    let described = text(|b, l, o| {
        // SAFETY: buffers as `text` passes them.
        unsafe { nocard_error_message(nocard_result::ConfigDuplicateKey as c_uint, b, l, o) }
    });
    assert_eq!(described.unwrap(), "invalid config: the same issuer key is added twice");
}

#[test]
fn codes_are_distinct_and_found_by_value() {
    for (i, code) in nocard_result::ALL.iter().enumerate() {
        assert_eq!(nocard_result::from_value(*code as c_uint), Some(*code));
        for other in &nocard_result::ALL[..i] {
            assert_ne!(*other as u32, *code as u32);
            assert_ne!(other.name(), code.name());
        }
    }
    assert_eq!(code_name(nocard_result::WindowExpired), "window_expired");
    // SAFETY: static NUL-terminated string.
    let unknown = unsafe { CStr::from_ptr(nocard_result_code_name(9999)) };
    assert_eq!(unknown, c"unknown_result");
}

#[test]
fn header_lists_every_code_and_nothing_else() {
    let in_header: Vec<&str> =
        HEADER.lines().map(str::trim).filter(|l| l.starts_with("NOCARD_RESULT_") && l.ends_with(',')).collect();
    assert_eq!(in_header.len(), nocard_result::ALL.len());
    for code in nocard_result::ALL {
        let line = alloc::format!("NOCARD_RESULT_{} = {},", code.name().to_str().unwrap().to_uppercase(), code as u32);
        assert!(in_header.contains(&line.as_str()), "{line} missing from include/nocard.h");
    }
}

#[test]
fn header_version_macros_match_the_crate() {
    let version: Vec<&str> = env!("CARGO_PKG_VERSION").split('.').collect();
    for (part, value) in ["MAJOR", "MINOR", "PATCH"].iter().zip(&version) {
        assert!(HEADER.contains(&alloc::format!("#define NOCARD_VERSION_{part} {value}\n")), "{part}");
    }
    // SAFETY: static NUL-terminated string.
    let reported = unsafe { CStr::from_ptr(nocard_version()) };
    assert_eq!(reported.to_str().unwrap(), alloc::format!("nocard/{}", env!("CARGO_PKG_VERSION")));
    assert_eq!(NOCARD_MAX_TEXT_LEN, crate::text::MAX_PRESENTATION_TEXT);
    assert_eq!(nocard_features() & NOCARD_FEATURE_STD != 0, cfg!(feature = "std"));
    let [major, minor, patch] = [0, 1, 2].map(|i| version[i].parse::<u32>().unwrap());
    assert_eq!(nocard_version_number(), (major << 24) | (minor << 16) | (patch << 8));
    assert_eq!(nocard_features() & NOCARD_FEATURE_QR != 0, cfg!(feature = "qr"));
}

/// The panic handler is stored and given back; NULL restores the default.
#[test]
fn panic_handler_is_swapped() {
    unsafe extern "C" fn handler(_file: *const c_char, _line: u32) {}
    assert!(nocard_set_panic_handler(Some(handler)).is_none());
    let previous = nocard_set_panic_handler(None);
    assert_eq!(previous.map(|f| f as usize), Some(handler as *const () as usize));
    assert!(nocard_set_panic_handler(None).is_none());
}

/// Every function and type in the header comes with its ownership and
/// thread-safety rules.
#[test]
fn header_documents_ownership_and_threads() {
    let lines: Vec<&str> = HEADER.lines().collect();
    let mut declarations = 0;
    for (i, line) in lines.iter().enumerate() {
        let top_level = !line.starts_with([' ', '*', '/', '#', '}']);
        let declares = top_level
            && (line.starts_with("typedef struct")
                || line.starts_with("enum nocard_")
                || (line.contains("nocard_") && line.contains('(')));
        if !declares {
            continue;
        }
        declarations += 1;
        assert_eq!(lines[i - 1].trim(), "*/", "no comment right before {line}");
        let start = lines[..i].iter().rposition(|l| l.trim_start().starts_with("/**")).unwrap();
        let comment = lines[start..i].join("\n");
        assert!(comment.contains("Ownership"), "no ownership rule for {line}");
        assert!(comment.contains("Thread safety"), "no thread-safety rule for {line}");
    }
    assert_eq!(
        declarations,
        2 + 7 + 1 + 71,
        "the result and frame format enums, seven handle types, the panic handler type, the functions"
    );
}

#[test]
fn valid_presentation_reads_back() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    // SAFETY: live verification.
    assert_eq!(unsafe { nocard_verification_result(v) }, nocard_result::NotVerified);
    assert_eq!(verify(verifier, &hotel_text(), NOW + 3, v), nocard_result::Ok);
    // SAFETY: the getters get a live verification and valid buffers throughout.
    unsafe {
        assert!(nocard_verification_is_valid(v));
        assert_eq!(nocard_verification_result(v), nocard_result::Ok);
        assert_eq!(text(|b, l, o| nocard_verification_doc_type(v, b, l, o)).unwrap(), "resident_id_card");
        assert_eq!(
            text(|b, l, o| nocard_verification_doc_title(v, b, l, o)).unwrap(),
            "Resident identity card 居民身份证"
        );
        assert_eq!(text(|b, l, o| nocard_verification_issuer(v, b, l, o)).unwrap(), ISSUER);
        let kid = issuer_key(Algorithm::EdDsa).public_key().id();
        assert_eq!(text(|b, l, o| nocard_verification_key_id(v, b, l, o)).unwrap(), alloc::format!("{kid}"));
        let (mut nbf, mut exp, mut start, mut end) = (0, 0, 0, 0);
        assert_eq!(nocard_verification_validity(v, &mut nbf, &mut exp), nocard_result::Ok);
        assert_eq!((nbf, exp), (NOW - YEAR / 2, NOW + YEAR / 2));
        assert_eq!(nocard_verification_window(v, &mut start, &mut end), nocard_result::Ok);
        assert_eq!((start, end), (NOW, NOW + 30));
        let mut challenge = 7;
        assert_eq!(nocard_verification_challenge(v, &mut challenge), nocard_result::NotFound);
        assert_eq!(challenge, 7, "not written unless OK");
        let mut count = 0;
        assert_eq!(nocard_verification_claim_count(v, &mut count), nocard_result::Ok);
        let names: Vec<String> =
            (0..count).map(|i| text(|b, l, o| nocard_verification_claim_name(v, i, b, l, o)).unwrap()).collect();
        assert_eq!(names, ["name", "sex", "birth_date", "id_number"]);
        assert_eq!(text(|b, l, o| nocard_verification_claim_name(v, count, b, l, o)), Err(nocard_result::NotFound));
        assert_eq!(message(v).unwrap(), "valid");
        assert_eq!(text(|b, l, o| nocard_verification_malformed_detail(v, b, l, o)), Err(nocard_result::NotFound));
    }
    assert_eq!(claim(v, c"name").unwrap(), "王小明");
    assert_eq!(claim(v, c"birth_date").unwrap(), "1990-05-17");
    assert_eq!(claim(v, c"sex").unwrap(), "1");
    assert_eq!(claim(v, c"address"), Err(nocard_result::NotFound), "the hotel does not get it");
    free(verifier, v);
}

#[test]
fn challenge_reads_back() {
    let verifier = c_verifier(|b| {
        // SAFETY: live builder.
        assert_eq!(unsafe { nocard_verifier_builder_set_challenge(b, 4711) }, nocard_result::Ok);
    });
    let code = holder(Algorithm::EdDsa, Algorithm::Es256)
        .present(Disclose::Profile(Profile::InternetCafe))
        .at(NOW)
        .challenge(4711)
        .sign()
        .unwrap()
        .to_text();
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &code, NOW, v), nocard_result::Ok);
    let mut challenge = 0;
    // SAFETY: live verification, valid out pointer.
    assert_eq!(unsafe { nocard_verification_challenge(v, &mut challenge) }, nocard_result::Ok);
    assert_eq!(challenge, 4711);
    assert_eq!(claim(v, c"age_over_18").unwrap(), "true");
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::ChallengeMismatch);
    free(verifier, v);
}

#[test]
fn every_rejection_path_reports_its_code() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    let hotel = hotel_text();
    assert_eq!(verify(verifier, &hotel, NOW + 60, v), nocard_result::WindowExpired);
    assert!(!unsafe { nocard_verification_is_valid(v) }); // SAFETY: live verification.
    assert_eq!(message(v).unwrap(), alloc::format!("presentation window ended at {} (now {})", NOW + 30, NOW + 60));
    assert_eq!(verify(verifier, &hotel, NOW - 60, v), nocard_result::WindowNotYetValid);
    assert_eq!(verify(verifier, &hotel, NOW + YEAR, v), nocard_result::CredentialExpired);
    assert_eq!(verify(verifier, &hotel, NOW - YEAR, v), nocard_result::CredentialNotYetValid);

    // A rejected scan leaves nothing of the valid one before it readable.
    assert_eq!(verify(verifier, &hotel, NOW, v), nocard_result::Ok);
    assert_eq!(verify(verifier, "hello", NOW, v), nocard_result::Malformed);
    // SAFETY: live verification, buffers as `text` passes them.
    unsafe {
        assert_eq!(nocard_verification_result(v), nocard_result::Malformed);
        assert_eq!(text(|b, l, o| nocard_verification_malformed_detail(v, b, l, o)).unwrap(), "missing_prefix");
        assert_eq!(text(|b, l, o| nocard_verification_issuer(v, b, l, o)), Err(nocard_result::NotVerified));
    }
    assert_eq!(claim(v, c"name"), Err(nocard_result::NotVerified));

    let other_issuer = holder_of(Algorithm::Es256);
    assert_eq!(verify(verifier, &other_issuer, NOW, v), nocard_result::UnknownKey);
    free(verifier, v);

    // Each policy set through the builder, and the scan time that shows it.
    type Configure<'a> = &'a dyn Fn(*mut nocard_verifier_builder);
    let policy_cases: [(Configure, u64, nocard_result); 3] = [
        (
            // SAFETY: live builder, NUL-terminated name.
            &|b| {
                assert_eq!(
                    unsafe { nocard_verifier_builder_set_profile(b, c"internet_cafe".as_ptr()) },
                    nocard_result::Ok
                )
            },
            NOW,
            nocard_result::MissingRequiredClaim,
        ),
        (
            &|b| {
                let names = [c"address".as_ptr()];
                // SAFETY: live builder, one valid name.
                assert_eq!(
                    unsafe { nocard_verifier_builder_set_required_claims(b, names.as_ptr(), 1) },
                    nocard_result::Ok
                );
            },
            NOW,
            nocard_result::MissingRequiredClaim,
        ),
        (
            // SAFETY: live builder.
            &|b| assert_eq!(unsafe { nocard_verifier_builder_set_clock_skew(b, 100) }, nocard_result::Ok),
            NOW + 60, // 30 s after the window: only the 100 s skew lets it pass
            nocard_result::Ok,
        ),
    ];
    for (configure, at, expected) in policy_cases {
        let verifier = c_verifier(configure);
        let v = nocard_verification_new();
        assert_eq!(verify(verifier, &hotel, at, v), expected);
        free(verifier, v);
    }
}

/// A hotel presentation of the same card issued by another key.
fn holder_of(issuer_alg: Algorithm) -> String {
    holder(issuer_alg, Algorithm::Es256)
        .present(Disclose::Profile(Profile::HotelCheckIn))
        .at(NOW)
        .sign()
        .unwrap()
        .to_text()
}

#[test]
fn keys_are_checked_and_restricted() {
    let builder = nocard_verifier_builder_new();
    let garbage = [0xa0u8, 0x01];
    let good = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let types = [c"driving_licence".as_ptr()];
    let bad_utf8 = [0xffu8, 0];
    // SAFETY: live builder, buffers valid for their lengths, NUL-terminated strings.
    unsafe {
        let add = |key: &[u8], issuer: *const c_char, types: *const *const c_char, n| {
            nocard_verifier_builder_add_issuer_key(builder, key.as_ptr(), key.len(), issuer, types, n, false)
        };
        assert_eq!(add(&garbage, c"NBPSB".as_ptr(), types.as_ptr(), 1), nocard_result::InvalidKey);
        assert_eq!(add(&good, bad_utf8.as_ptr().cast(), types.as_ptr(), 1), nocard_result::InvalidUtf8);
        assert_eq!(add(&good, c"NBPSB".as_ptr(), null(), 1), nocard_result::NullParameter);
        assert_eq!(add(&good, c"NBPSB".as_ptr(), types.as_ptr(), 1), nocard_result::Ok);
        assert_eq!(nocard_verifier_builder_set_profile(builder, c"bar".as_ptr()), nocard_result::UnknownProfile);
    }
    let mut verifier = null();
    // SAFETY: live builder, valid out pointer.
    assert_eq!(unsafe { nocard_verifier_builder_build(builder, &mut verifier) }, nocard_result::Ok);
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::KeyNotAllowedForDocType);
    free(verifier, v);

    let wrong_name = c_verifier_named(c"HZPSB");
    let v = nocard_verification_new();
    assert_eq!(verify(wrong_name, &hotel_text(), NOW, v), nocard_result::IssuerMismatch);
    free(wrong_name, v);
}

fn c_verifier_named(issuer: &CStr) -> *const nocard_verifier {
    let key = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let builder = nocard_verifier_builder_new();
    let mut verifier = null();
    // SAFETY: live builder, key valid for its length, NUL-terminated issuer, valid out pointer.
    unsafe {
        assert_eq!(
            nocard_verifier_builder_add_issuer_key(builder, key.as_ptr(), key.len(), issuer.as_ptr(), null(), 0, true),
            nocard_result::Ok
        );
        assert_eq!(nocard_verifier_builder_build(builder, &mut verifier), nocard_result::Ok);
    }
    verifier
}

#[test]
fn null_arguments_are_refused_and_frees_of_null_are_no_ops() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    let hotel = hotel_text();
    assert_eq!(verify(verifier, &hotel, NOW, v), nocard_result::Ok);
    let mut buf = [0u8; 64];
    let b = buf.as_mut_ptr().cast::<c_char>();
    let mut n = 0usize;
    let (mut a, mut z, mut c) = (0u64, 0u64, 0u32);
    const NULL: nocard_result = nocard_result::NullParameter;
    // SAFETY: every pointer is NULL or valid; NULL is what is being tested.
    unsafe {
        nocard_verifier_free(null());
        nocard_verification_free(null_mut());
        nocard_verifier_builder_free(null_mut());

        assert_eq!(nocard_error_message(0, b, 64, null_mut()), NULL);
        assert_eq!(nocard_error_message(0, null_mut(), 64, &mut n), NULL);

        let builder = nocard_verifier_builder_new();
        let key = [0u8; 1];
        let add = nocard_verifier_builder_add_issuer_key;
        assert_eq!(add(null_mut(), key.as_ptr(), 1, c"I".as_ptr(), null(), 0, true), NULL);
        assert_eq!(add(builder, null(), 1, c"I".as_ptr(), null(), 0, true), NULL);
        assert_eq!(add(builder, key.as_ptr(), 1, null(), null(), 0, true), NULL);
        assert_eq!(nocard_verifier_builder_set_audience(null_mut(), c"desk".as_ptr()), NULL);
        assert_eq!(nocard_verifier_builder_set_audience(builder, null()), NULL);
        assert_eq!(nocard_verifier_builder_set_clock_skew(null_mut(), 1), NULL);
        assert_eq!(nocard_verifier_builder_set_profile(null_mut(), c"visitor_log".as_ptr()), NULL);
        assert_eq!(nocard_verifier_builder_set_profile(builder, null()), NULL);
        assert_eq!(nocard_verifier_builder_set_required_claims(null_mut(), null(), 0), NULL);
        assert_eq!(nocard_verifier_builder_set_required_claims(builder, [null()].as_ptr(), 1), NULL);
        assert_eq!(nocard_verifier_builder_set_challenge(null_mut(), 1), NULL);
        let mut built = null();
        assert_eq!(nocard_verifier_builder_build(null_mut(), &mut built), NULL);
        assert_eq!(nocard_verifier_builder_build(builder, &mut built), nocard_result::Ok);
        nocard_verifier_free(built);

        assert_eq!(nocard_verifier_verify(verifier, hotel.as_ptr(), hotel.len(), NOW, null_mut()), NULL);
        assert!(nocard_verification_is_valid(v), "an object not passed is not touched");

        assert_eq!(nocard_verification_result(null()), NULL);
        assert!(!nocard_verification_is_valid(null()));
        assert_eq!(nocard_verification_message(null(), b, 64, &mut n), NULL);
        assert_eq!(nocard_verification_malformed_detail(null(), b, 64, &mut n), NULL);
        type Getter = unsafe extern "C" fn(*const nocard_verification, *mut c_char, usize, *mut usize) -> nocard_result;
        let getters: [Getter; 6] = [
            nocard_verification_message,
            nocard_verification_malformed_detail,
            nocard_verification_doc_type,
            nocard_verification_doc_title,
            nocard_verification_issuer,
            nocard_verification_key_id,
        ];
        for getter in getters {
            assert_eq!(getter(null(), b, 64, &mut n), NULL);
            assert_eq!(getter(v, null_mut(), 64, &mut n), NULL);
            assert_eq!(getter(v, b, 64, null_mut()), NULL);
        }
        assert_eq!(nocard_verification_validity(null(), &mut a, &mut z), NULL);
        assert_eq!(nocard_verification_validity(v, null_mut(), &mut z), NULL);
        assert_eq!(nocard_verification_validity(v, &mut a, null_mut()), NULL);
        assert_eq!(nocard_verification_window(null(), &mut a, &mut z), NULL);
        assert_eq!(nocard_verification_window(v, null_mut(), &mut z), NULL);
        assert_eq!(nocard_verification_window(v, &mut a, null_mut()), NULL);
        assert_eq!(nocard_verification_challenge(null(), &mut c), NULL);
        assert_eq!(nocard_verification_challenge(v, null_mut()), NULL);
        assert_eq!(nocard_verification_presentation_id(null(), buf.as_mut_ptr()), NULL);
        assert_eq!(nocard_verification_presentation_id(v, null_mut()), NULL);
        assert_eq!(nocard_verification_issued_at(null(), &mut a), NULL);
        assert_eq!(nocard_verification_issued_at(v, null_mut()), NULL);
        assert_eq!(nocard_verification_claim_count(null(), &mut n), NULL);
        assert_eq!(nocard_verification_claim_count(v, null_mut()), NULL);
        assert_eq!(nocard_verification_claim_name(null(), 0, b, 64, &mut n), NULL);
        assert_eq!(nocard_verification_claim_name(v, 0, b, 64, null_mut()), NULL);
        assert_eq!(nocard_verification_claim(null(), c"name".as_ptr(), b, 64, &mut n), NULL);
        assert_eq!(nocard_verification_claim(v, null(), b, 64, &mut n), NULL);
        assert_eq!(nocard_verification_claim(v, c"name".as_ptr(), b, 64, null_mut()), NULL);
        assert_eq!((a, z, c), (0, 0, 0), "nothing written");
    }
    assert!(buf.iter().all(|&x| x == 0), "nothing written");
    free(verifier, v);
}

#[test]
fn short_buffers_report_the_length_needed_and_stay_untouched() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::Ok);
    let name = "王小明"; // 9 bytes of UTF-8
    for len in [0, 1, name.len()] {
        let mut buf = [0xaau8; 16];
        let mut needed = 0;
        // SAFETY: live verification; `buf` has at least `len` bytes.
        let code = unsafe { nocard_verification_claim(v, c"name".as_ptr(), buf.as_mut_ptr().cast(), len, &mut needed) };
        assert_eq!((code, needed), (nocard_result::BufferTooSmall, name.len()), "len {len}");
        assert!(buf.iter().all(|&b| b == 0xaa), "len {len}: buffer untouched");
    }
    let mut buf = [0xaau8; 16];
    let mut written = 0;
    // SAFETY: as above, with room for the NUL.
    let code = unsafe {
        nocard_verification_claim(v, c"name".as_ptr(), buf.as_mut_ptr().cast(), name.len() + 1, &mut written)
    };
    assert_eq!((code, written), (nocard_result::Ok, name.len()));
    assert_eq!(&buf[..=name.len()], "王小明\0".as_bytes());
    assert_eq!(buf[name.len() + 1], 0xaa, "nothing past the NUL");

    let mut needed = 0;
    let mut small = [0u8; 4];
    // SAFETY: `small` has 4 bytes.
    let code = unsafe {
        nocard_error_message(nocard_result::WindowExpired as c_uint, small.as_mut_ptr().cast(), 4, &mut needed)
    };
    assert_eq!((code, needed), (nocard_result::BufferTooSmall, "presentation window is over".len()));
    let described = text(|b, l, o| {
        // SAFETY: buffers as `text` passes them.
        unsafe { nocard_error_message(12345, b, l, o) }
    });
    assert_eq!(described.unwrap(), "unknown result code");
    free(verifier, v);
}

#[test]
fn one_verifier_serves_many_threads() {
    struct Shared(*const nocard_verifier);
    // SAFETY: nocard_verifier is documented (and asserted by `Verifier: Send + Sync`) as shareable.
    unsafe impl Sync for Shared {}
    let verifier = Shared(c_verifier(|_| {}));
    let good = hotel_text();
    let stale_now = NOW + 60;
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let shared = &verifier;
                let v = nocard_verification_new();
                for i in 0..20 {
                    let (now, expected) =
                        if i % 2 == 0 { (NOW, nocard_result::Ok) } else { (stale_now, nocard_result::WindowExpired) };
                    assert_eq!(verify(shared.0, &good, now, v), expected);
                }
                // SAFETY: this thread's own verification, freed once.
                unsafe { nocard_verification_free(v) };
            });
        }
    });
    // SAFETY: every thread has finished.
    unsafe { nocard_verifier_free(verifier.0) };
}

#[test]
fn panics_become_a_result_code() {
    fn panicking() -> nocard_result {
        panic::ffi_panic_boundary! {
            let empty: &[u8] = &[];
            nocard_result::from_value(u32::from(empty[0])).unwrap_or(nocard_result::Ok)
        }
    }
    fn panicking_pointer() -> *const c_char {
        panic::ffi_panic_boundary! {
            if nocard_result::ALL.len() > 1 { panic!("boom") } else { c"".as_ptr() }
        }
    }
    assert_eq!(panicking(), nocard_result::Panic);
    assert!(panicking_pointer().is_null());
}

#[test]
fn claim_values_render_as_documented() {
    let render = |value: &ClaimValue| {
        let mut s = String::new();
        text::claim_text(value, &mut s).unwrap();
        s
    };
    assert_eq!(render(&ClaimValue::Text("王小明".into())), "王小明");
    assert_eq!(render(&ClaimValue::Date(Date::from_ymd(2036, 5, 16).unwrap())), "2036-05-16");
    assert_eq!(render(&ClaimValue::Integer(-42)), "-42");
    assert_eq!(render(&ClaimValue::Bool(false)), "false");
    assert_eq!(render(&ClaimValue::Bytes([0x00, 0xab, 0x10].to_vec())), "00ab10");
    let records = ClaimValue::Records(
        [
            [
                Claim::new("relation", ClaimValue::Text("户主".into())),
                Claim::new("birth_date", ClaimValue::Date(Date::from_ymd(1990, 5, 17).unwrap())),
            ]
            .to_vec(),
            [
                Claim::new("name", ClaimValue::Text("a\"b\\c\n".into())),
                Claim::new("sex", ClaimValue::Integer(2)),
                Claim::new("alive", ClaimValue::Bool(true)),
                Claim::new("photo", ClaimValue::Bytes([0xff].to_vec())),
            ]
            .to_vec(),
        ]
        .to_vec(),
    );
    assert_eq!(
        render(&records),
        r#"[{"relation":"户主","birth_date":"1990-05-17"},{"name":"a\"b\\c\u000a","sex":2,"alive":true,"photo":"ff"}]"#
    );
}

/// A household register shown whole at a government window, at `NOW`.
fn household_code() -> String {
    let doc: DocType = Registry::builtin().by_name("household_register").unwrap().clone();
    Holder::new(bundle(&doc, Algorithm::EdDsa, Algorithm::Es256), device_key(Algorithm::Es256))
        .unwrap()
        .present(Disclose::Profile(Profile::GovernmentWindow))
        .at(NOW)
        .sign()
        .unwrap()
        .to_text()
}

#[test]
fn household_records_come_out_as_json() {
    let code = household_code();
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &code, NOW, v), nocard_result::Ok);
    let members = claim(v, c"members").unwrap();
    assert!(
        members.starts_with(r#"[{"relation_to_head":"户主","name":"王小明","sex":1,"birth_date":"1990-05-17""#),
        "{members}"
    );
    free(verifier, v);
}

/// A result object that a call fails to verify into must not still show
/// the previous person: every early return clears it first.
#[test]
fn a_failed_call_leaves_no_previous_result_readable() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    let hotel = hotel_text();
    // SAFETY: live handles; NULL and a buffer valid for its length are what is tested.
    let failed_calls: [&dyn Fn() -> nocard_result; 3] = [
        &|| unsafe { nocard_verifier_verify(null(), hotel.as_ptr(), hotel.len(), NOW, v) },
        &|| unsafe { nocard_verifier_verify(verifier, null(), 0, NOW, v) },
        &|| unsafe { nocard_verifier_verify(verifier, null(), hotel.len(), NOW, v) },
    ];
    for (i, call) in failed_calls.iter().enumerate() {
        assert_eq!(verify(verifier, &hotel, NOW, v), nocard_result::Ok);
        assert_eq!(claim(v, c"name").unwrap(), "王小明");
        assert_eq!(call(), nocard_result::NullParameter, "call {i}");
        // SAFETY: live verification.
        unsafe {
            assert!(!nocard_verification_is_valid(v), "call {i}");
            assert_eq!(nocard_verification_result(v), nocard_result::NotVerified, "call {i}");
        }
        assert_eq!(claim(v, c"name"), Err(nocard_result::NotVerified), "call {i}");
        assert_eq!(message(v), Err(nocard_result::NotVerified), "call {i}");
    }
    free(verifier, v);
}

/// `SIZE_MAX` (a `strlen(line) - 1` on an empty line) with a pointer that
/// faults if anything is read: refused before a slice is formed.
#[test]
fn lengths_are_checked_before_anything_is_read() {
    let nowhere = core::ptr::NonNull::<u8>::dangling().as_ptr().cast_const();
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    // SAFETY: live handles; `nowhere` is never read because the length is over the limit.
    let code = unsafe { nocard_verifier_verify(verifier, nowhere, usize::MAX, NOW, v) };
    assert_eq!(code, nocard_result::Malformed);
    // SAFETY: live verification; buffers as `text` passes them.
    let detail = text(|b, l, o| unsafe { nocard_verification_malformed_detail(v, b, l, o) });
    assert_eq!(detail.unwrap(), "too_large");

    // One byte over the limit: the same rejection as the Rust verifier's.
    let long = alloc::vec![b'N'; NOCARD_MAX_TEXT_LEN + 1];
    // SAFETY: `long` is valid for its length.
    let code = unsafe { nocard_verifier_verify(verifier, long.as_ptr(), long.len(), NOW, v) };
    let rust = crate::verify::Verifier::new(Vec::new(), Policy::default()).unwrap().verify(&long, NOW).unwrap_err();
    assert_eq!((code, message(v).unwrap()), (error::map_error(&rust), alloc::format!("{rust}")));
    free(verifier, v);

    let builder = nocard_verifier_builder_new();
    let key = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let names = [c"name".as_ptr()];
    let too_many = NOCARD_MAX_NAMES + 1;
    let nowhere_names = core::ptr::NonNull::<*const c_char>::dangling().as_ptr().cast_const();
    const TOO_LONG: nocard_result = nocard_result::TooLong;
    // SAFETY: a live builder; no pointer is read past a length over its limit.
    unsafe {
        let add_key = |key: *const u8, len, types, n| {
            nocard_verifier_builder_add_issuer_key(builder, key, len, c"NBPSB".as_ptr(), types, n, false)
        };
        assert_eq!(add_key(nowhere, usize::MAX, names.as_ptr(), 1), TOO_LONG);
        assert_eq!(add_key(key.as_ptr(), NOCARD_MAX_KEY_LEN + 1, names.as_ptr(), 1), TOO_LONG);
        assert_eq!(add_key(key.as_ptr(), key.len(), nowhere_names, usize::MAX), TOO_LONG);
        assert_eq!(add_key(key.as_ptr(), key.len(), names.as_ptr(), too_many), TOO_LONG);
        assert_eq!(nocard_verifier_builder_set_required_claims(builder, nowhere_names, usize::MAX), TOO_LONG);
        assert_eq!(nocard_verifier_builder_set_required_claims(builder, names.as_ptr(), too_many), TOO_LONG);
        nocard_verifier_builder_free(builder);
    }
    assert_eq!(code_name(TOO_LONG), "too_long");
}

/// A buffer length larger than the buffer: only the text and its NUL are written.
#[test]
fn output_text_is_written_only_as_far_as_it_goes() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::Ok);
    let mut buf = [0xaau8; 16];
    let mut written = 0;
    // SAFETY: live verification; the text (9 bytes and a NUL) fits in `buf`,
    // which is all a correct library writes whatever `len` claims.
    let code =
        unsafe { nocard_verification_claim(v, c"name".as_ptr(), buf.as_mut_ptr().cast(), usize::MAX, &mut written) };
    assert_eq!((code, written), (nocard_result::Ok, 9));
    assert_eq!(&buf[..10], "王小明\0".as_bytes());
    assert!(buf[10..].iter().all(|&b| b == 0xaa), "nothing past the NUL");
    free(verifier, v);
}

/// Every call to build takes the builder: one cleanup path, no double free.
#[test]
fn build_consumes_the_builder_whatever_it_returns() {
    let builder = nocard_verifier_builder_new();
    // SAFETY: a live builder, consumed by this call although it fails.
    assert_eq!(unsafe { nocard_verifier_builder_build(builder, null_mut()) }, nocard_result::NullParameter);
    // (Freeing `builder` now would be a double free: valgrind and ASan check
    // that from C, tests/c/misuse_test.c.)

    let mut stale = core::ptr::NonNull::<nocard_verifier>::dangling().as_ptr().cast_const();
    // SAFETY: a valid out pointer; NULL builder is what is tested.
    assert_eq!(unsafe { nocard_verifier_builder_build(null_mut(), &mut stale) }, nocard_result::NullParameter);
    assert!(stale.is_null(), "a failed build leaves NULL, safe to free");
    // SAFETY: NULL.
    unsafe { nocard_verifier_free(stale) };
}

/// A program that reads the claim name from the buffer it reads the value
/// into: the name is finished with before the buffer is written.
#[test]
fn claim_name_may_share_the_output_buffer() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::Ok);
    for (name, value) in [("name", "王小明"), ("birth_date", "1990-05-17"), ("id_number", "330203199005170017")] {
        let mut buf = [0x55u8; 32];
        buf[..name.len()].copy_from_slice(name.as_bytes());
        buf[name.len()] = 0;
        let shared = buf.as_mut_ptr().cast::<c_char>();
        let mut written = 0;
        // SAFETY: `shared` holds a NUL-terminated name and is valid for 32 bytes.
        let code = unsafe { nocard_verification_claim(v, shared.cast_const(), shared, buf.len(), &mut written) };
        assert_eq!((code, written), (nocard_result::Ok, value.len()), "{name}");
        assert_eq!(&buf[..=value.len()], alloc::format!("{value}\0").as_bytes(), "{name}");
    }
    let mut buf = *b"name\0\x55\x55\x55";
    let shared = buf.as_mut_ptr().cast::<c_char>();
    let mut needed = 0;
    // SAFETY: as above, 8 bytes: too few for the value.
    let code = unsafe { nocard_verification_claim(v, shared.cast_const(), shared, buf.len(), &mut needed) };
    assert_eq!((code, needed), (nocard_result::BufferTooSmall, "王小明".len()));
    assert_eq!(&buf, b"name\0\x55\x55\x55", "untouched");
    free(verifier, v);
}

/// Adds the test issuer's key with a scope, straight through the C call.
fn add_key(builder: *mut nocard_verifier_builder, issuer: &CStr, types: &[&CStr], all_types: bool) -> nocard_result {
    let key = issuer_key(Algorithm::EdDsa).public_key().to_cose_key();
    let names: Vec<*const c_char> = types.iter().map(|t| t.as_ptr()).collect();
    let list = if names.is_empty() { null() } else { names.as_ptr() };
    // SAFETY: a live builder, the key and names valid for their lengths.
    unsafe {
        nocard_verifier_builder_add_issuer_key(
            builder,
            key.as_ptr(),
            key.len(),
            issuer.as_ptr(),
            list,
            names.len(),
            all_types,
        )
    }
}

fn build(builder: *mut nocard_verifier_builder) -> Result<*const nocard_verifier, nocard_result> {
    let mut verifier = core::ptr::NonNull::<nocard_verifier>::dangling().as_ptr().cast_const();
    // SAFETY: a live builder, consumed here; a valid out pointer.
    match unsafe { nocard_verifier_builder_build(builder, &mut verifier) } {
        nocard_result::Ok => Ok(verifier),
        refused => {
            assert!(verifier.is_null(), "a refused build leaves NULL");
            Err(refused)
        }
    }
}

#[test]
fn issuer_keys_take_an_explicit_scope() {
    let resident: &[&CStr] = &[c"resident_id_card"];
    let builder = nocard_verifier_builder_new();
    assert_eq!(add_key(builder, c"NBPSB", &[], false), nocard_result::ConfigEmptyKeyScope);
    assert_eq!(add_key(builder, c"NBPSB", resident, true), nocard_result::AmbiguousKeyScope);
    let twice: &[&CStr] = &[c"resident_id_card", c"resident_id_card"];
    assert_eq!(add_key(builder, c"NBPSB", twice, false), nocard_result::ConfigDuplicateScopeType);
    assert_eq!(add_key(builder, c"", resident, false), nocard_result::ConfigIssuerName);
    assert_eq!(add_key(builder, c"NBPSB", resident, false), nocard_result::Ok, "nothing added before this");
    let verifier = build(builder).unwrap();
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::Ok);
    free(verifier, v);

    let builder = nocard_verifier_builder_new();
    assert_eq!(add_key(builder, c"NBPSB", &[c"driving_licence", c"foreigner_passport"], false), nocard_result::Ok);
    let verifier = build(builder).unwrap();
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW, v), nocard_result::KeyNotAllowedForDocType);
    free(verifier, v);

    // Checked as a whole by build, which still consumes the builder.
    let builder = nocard_verifier_builder_new();
    assert_eq!(add_key(builder, c"NBPSB", &[c"no_such_card"], false), nocard_result::Ok);
    assert_eq!(build(builder), Err(nocard_result::ConfigUnknownDocTypeName));
    let builder = nocard_verifier_builder_new();
    assert_eq!(add_key(builder, c"NBPSB", resident, false), nocard_result::Ok);
    assert_eq!(add_key(builder, c"HZPSB", &[], true), nocard_result::Ok);
    assert_eq!(build(builder), Err(nocard_result::ConfigDuplicateKey));
}

#[test]
fn settings_out_of_bounds_are_refused_by_their_setter() {
    let builder = nocard_verifier_builder_new();
    let long = [b'a'; 65];
    let mut long_name = long.to_vec();
    long_name.push(0);
    // SAFETY: a live builder; NUL-terminated strings.
    unsafe {
        assert_eq!(nocard_verifier_builder_set_clock_skew(builder, 301), nocard_result::ConfigClockSkew);
        assert_eq!(nocard_verifier_builder_set_clock_skew(builder, 300), nocard_result::Ok);
        assert_eq!(nocard_verifier_builder_set_challenge(builder, 1_000_000), nocard_result::ConfigChallenge);
        assert_eq!(nocard_verifier_builder_set_challenge(builder, 999_999), nocard_result::Ok);
        assert_eq!(nocard_verifier_builder_set_audience(builder, c"".as_ptr()), nocard_result::ConfigAudience);
        assert_eq!(
            nocard_verifier_builder_set_audience(builder, long_name.as_ptr().cast()),
            nocard_result::ConfigAudience
        );
        assert_eq!(nocard_verifier_builder_set_audience(builder, long_name[1..].as_ptr().cast()), nocard_result::Ok);
        nocard_verifier_builder_free(builder);
    }
    // A refused setting leaves the one before it: 300 s of skew, not 301.
    let verifier = c_verifier(|b| {
        // SAFETY: live builder.
        unsafe {
            assert_eq!(nocard_verifier_builder_set_clock_skew(b, 100), nocard_result::Ok);
            assert_eq!(nocard_verifier_builder_set_clock_skew(b, 301), nocard_result::ConfigClockSkew);
        }
    });
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &hotel_text(), NOW + 60, v), nocard_result::Ok);
    assert_eq!(verify(verifier, &hotel_text(), NOW + 200, v), nocard_result::WindowExpired);
    free(verifier, v);
}

fn addressed_to(audience: &str) -> String {
    holder(Algorithm::EdDsa, Algorithm::Es256)
        .present(Disclose::Profile(Profile::HotelCheckIn))
        .at(NOW)
        .audience(audience)
        .sign()
        .unwrap()
        .to_text()
}

#[test]
fn audience_is_enforced_both_ways() {
    let desk = c_verifier(|b| {
        // SAFETY: live builder, NUL-terminated audience.
        assert_eq!(unsafe { nocard_verifier_builder_set_audience(b, c"desk-1".as_ptr()) }, nocard_result::Ok);
    });
    let anyone = c_verifier(|_| {});
    let v = nocard_verification_new();
    assert_eq!(verify(desk, &addressed_to("desk-1"), NOW, v), nocard_result::Ok);
    assert_eq!(verify(desk, &addressed_to("desk-2"), NOW, v), nocard_result::AudienceMismatch);
    assert_eq!(verify(desk, &hotel_text(), NOW, v), nocard_result::AudienceMissing);
    assert_eq!(verify(anyone, &addressed_to("desk-1"), NOW, v), nocard_result::AudienceMismatch);
    // SAFETY: live handles, freed once.
    unsafe { nocard_verifier_free(desk) };
    free(anyone, v);
}

fn require(specs: &[&CStr]) -> *const nocard_verifier {
    let names: Vec<*const c_char> = specs.iter().map(|s| s.as_ptr()).collect();
    c_verifier(|b| {
        // SAFETY: live builder, valid names.
        let set = unsafe { nocard_verifier_builder_set_required_claims(b, names.as_ptr(), names.len()) };
        assert_eq!(set, nocard_result::Ok);
    })
}

#[test]
fn required_claims_may_require_a_value() {
    let hotel = hotel_text();
    let cases: [(&[&CStr], nocard_result); 4] = [
        (&[c"name", c"sex=1"], nocard_result::Ok),
        (&[c"sex=2"], nocard_result::RequirementNotMet),
        (&[c"birth_date=1990-05-17"], nocard_result::Ok),
        (&[c"address"], nocard_result::MissingRequiredClaim),
    ];
    for (specs, expected) in cases {
        let verifier = require(specs);
        let v = nocard_verification_new();
        assert_eq!(verify(verifier, &hotel, NOW, v), expected, "{specs:?}");
        free(verifier, v);
    }
    let v = nocard_verification_new();
    let verifier = require(&[c"sex=2"]);
    assert_eq!(verify(verifier, &hotel, NOW, v), nocard_result::RequirementNotMet);
    assert_eq!(message(v).unwrap(), alloc::format!("{}", Error::RequirementNotMet { name: "sex".into() }));
    free(verifier, v);

    let builder = nocard_verifier_builder_new();
    let refused: [(&CStr, nocard_result); 3] = [
        (c"no_such_claim", nocard_result::ConfigUnknownClaimName),
        (c"sex=male", nocard_result::ConfigRequirementValue),
        (c"birth_date=17.05.1990", nocard_result::ConfigRequirementValue),
    ];
    for (spec, expected) in refused {
        // SAFETY: live builder, one valid name.
        let set = unsafe { nocard_verifier_builder_set_required_claims(builder, [spec.as_ptr()].as_ptr(), 1) };
        assert_eq!(set, expected, "{spec:?}");
    }
    // SAFETY: live builder, freed once.
    unsafe { nocard_verifier_builder_free(builder) };
}

#[test]
fn profiles_accept_only_their_document_types() {
    let household = household_code();
    let cafe = c_verifier(|b| {
        // SAFETY: live builder, NUL-terminated name.
        assert_eq!(unsafe { nocard_verifier_builder_set_profile(b, c"internet_cafe".as_ptr()) }, nocard_result::Ok);
    });
    let v = nocard_verification_new();
    assert_eq!(verify(cafe, &household, NOW, v), nocard_result::DocTypeNotAccepted);
    assert_eq!(verify(cafe, &hotel_text(), NOW, v), nocard_result::MissingRequiredClaim);
    free(cafe, v);

    // A requirement no type the profile accepts can meet is refused by build.
    let builder = nocard_verifier_builder_new();
    assert_eq!(add_key(builder, c"NBPSB", &[], true), nocard_result::Ok);
    // SAFETY: live builder, NUL-terminated names.
    unsafe {
        assert_eq!(nocard_verifier_builder_set_profile(builder, c"internet_cafe".as_ptr()), nocard_result::Ok);
        let names = [c"members".as_ptr()];
        assert_eq!(nocard_verifier_builder_set_required_claims(builder, names.as_ptr(), 1), nocard_result::Ok);
    }
    assert_eq!(build(builder), Err(nocard_result::ConfigUnknownClaimName));
}

#[test]
fn presentation_id_and_issue_time_read_back() {
    let verifier = c_verifier(|_| {});
    let v = nocard_verification_new();
    let hotel = hotel_text();
    let rust = crate::testing::verifier(Algorithm::EdDsa).verify(hotel.as_bytes(), NOW).unwrap();
    let mut id = [0u8; NOCARD_PRESENTATION_ID_LEN + 1];
    let mut issued_at = 7u64;
    // SAFETY: live handles; `id` has room for 32 bytes (and one to spare).
    unsafe {
        assert_eq!(nocard_verification_presentation_id(v, id.as_mut_ptr()), nocard_result::NotVerified);
        assert_eq!(verify(verifier, &hotel, NOW, v), nocard_result::Ok);
        assert_eq!(nocard_verification_presentation_id(v, id.as_mut_ptr()), nocard_result::Ok);
        let issued = nocard_verification_issued_at(v, &mut issued_at);
        match rust.issued_at {
            Some(iat) => assert_eq!((issued, issued_at), (nocard_result::Ok, iat)),
            None => assert_eq!((issued, issued_at), (nocard_result::NotFound, 7)),
        }
    }
    assert_eq!(id[..NOCARD_PRESENTATION_ID_LEN], rust.presentation_id);
    assert_eq!(id[NOCARD_PRESENTATION_ID_LEN], 0, "only 32 bytes written");
    free(verifier, v);
}

fn hotel_text_at(at: u64) -> String {
    holder(Algorithm::EdDsa, Algorithm::Es256)
        .present(Disclose::Profile(Profile::HotelCheckIn))
        .at(at)
        .sign()
        .unwrap()
        .to_text()
}

fn replay_cache(capacity: usize) -> *mut nocard_replay_cache {
    let mut cache = null_mut();
    // SAFETY: a valid out pointer.
    assert_eq!(unsafe { nocard_replay_cache_new(capacity, &mut cache) }, nocard_result::Ok);
    assert!(!cache.is_null());
    cache
}

fn verify_once(
    verifier: *const nocard_verifier,
    cache: *mut nocard_replay_cache,
    text: &str,
    now: u64,
    out: *mut nocard_verification,
) -> nocard_result {
    // SAFETY: live handles from the constructors; `text` is valid for its length.
    unsafe { nocard_verifier_verify_once(verifier, cache, text.as_ptr(), text.len(), now, out) }
}

fn cache_bytes(cache: *const nocard_replay_cache) -> Vec<u8> {
    let mut needed = 0;
    // SAFETY: a live cache; a length query.
    assert_eq!(
        unsafe { nocard_replay_cache_to_bytes(cache, null_mut(), 0, &mut needed) },
        nocard_result::BufferTooSmall
    );
    let mut buf = alloc::vec![0x55u8; needed + 1];
    let mut written = 0;
    // SAFETY: a live cache, a buffer of its length.
    let r = unsafe { nocard_replay_cache_to_bytes(cache, buf.as_mut_ptr(), buf.len(), &mut written) };
    assert_eq!((r, written, buf[needed]), (nocard_result::Ok, needed, 0x55), "written only as far as the state goes");
    buf.truncate(needed);
    buf
}

fn cache_from(bytes: &[u8]) -> Result<*mut nocard_replay_cache, nocard_result> {
    let mut cache = null_mut();
    // SAFETY: a buffer of its length, a valid out pointer.
    match unsafe { nocard_replay_cache_from_bytes(bytes.as_ptr(), bytes.len(), &mut cache) } {
        nocard_result::Ok => Ok(cache),
        other => {
            assert!(cache.is_null(), "written only on success");
            Err(other)
        }
    }
}

#[test]
fn verify_once_admits_only_accepted_codes_once() {
    let verifier = c_verifier(|_| {});
    let cache = replay_cache(2);
    let out = nocard_verification_new();
    let code = hotel_text();
    assert_eq!(verify_once(verifier, cache, &code, NOW + 5, out), nocard_result::Ok);
    assert_eq!(verify_once(verifier, cache, &code, NOW + 6, out), nocard_result::Replayed);
    // SAFETY: a live verification.
    assert_eq!(unsafe { nocard_verification_result(out) }, nocard_result::Replayed);
    assert_eq!(message(out).unwrap(), Error::Replayed { first_seen: NOW + 5 }.to_string());
    // The first acceptance still stands for plain verification.
    assert_eq!(verify(verifier, &code, NOW + 6, out), nocard_result::Ok);
    // A rejected code is not recorded: it is rejected for itself again, not as a replay.
    let stale = hotel_text_at(NOW - 120);
    assert_eq!(verify_once(verifier, cache, &stale, NOW + 5, out), nocard_result::WindowExpired);
    assert_eq!(verify_once(verifier, cache, &stale, NOW + 5, out), nocard_result::WindowExpired);
    let mut len = 0;
    // SAFETY: a live cache, a valid out pointer.
    assert_eq!(unsafe { nocard_replay_cache_len(cache, &mut len) }, nocard_result::Ok);
    assert_eq!(len, 1);
    // Full: a second code fits, a third is refused, and is not recorded.
    assert_eq!(verify_once(verifier, cache, &hotel_text_at(NOW + 30), NOW + 31, out), nocard_result::Ok);
    let third = hotel_text_at(NOW + 60);
    assert_eq!(verify_once(verifier, cache, &third, NOW + 61, out), nocard_result::ReplayCacheFull);
    let mut capacity = 0;
    // SAFETY: a live cache, valid out pointers.
    unsafe {
        assert_eq!(nocard_replay_cache_capacity(cache, &mut capacity), nocard_result::Ok);
        assert_eq!(nocard_replay_cache_len(cache, &mut len), nocard_result::Ok);
    }
    assert_eq!((capacity, len), (2, 2));
    // NULL cache: the result object is cleared, nothing verified.
    assert_eq!(verify_once(verifier, null_mut(), &code, NOW + 5, out), nocard_result::NullParameter);
    // SAFETY: a live verification.
    assert_eq!(unsafe { nocard_verification_result(out) }, nocard_result::NotVerified);
    // SAFETY: handles from their constructors, freed once; NULL is a no-op.
    unsafe {
        nocard_replay_cache_free(cache);
        nocard_replay_cache_free(null_mut());
    }
    free(verifier, out);
}

#[test]
fn replay_capacity_is_bounded() {
    let mut cache = null_mut();
    // SAFETY: valid out pointers; NULL out pointer refused.
    unsafe {
        assert_eq!(nocard_replay_cache_new(0, &mut cache), nocard_result::ConfigReplayCapacity);
        assert_eq!(nocard_replay_cache_new((1 << 20) + 1, &mut cache), nocard_result::ConfigReplayCapacity);
        assert!(cache.is_null());
        assert_eq!(nocard_replay_cache_new(1, null_mut()), nocard_result::NullParameter);
    }
}

#[test]
fn saved_replay_cache_restores_and_damage_has_its_code() {
    let verifier = c_verifier(|_| {});
    let cache = replay_cache(8);
    let out = nocard_verification_new();
    let code = hotel_text();
    assert_eq!(verify_once(verifier, cache, &code, NOW + 5, out), nocard_result::Ok);
    let bytes = cache_bytes(cache);
    let restored = cache_from(&bytes).unwrap();
    assert_eq!(cache_bytes(restored), bytes);
    // The restored cache remembers the code.
    assert_eq!(verify_once(verifier, restored, &code, NOW + 6, out), nocard_result::Replayed);
    // A short buffer is left untouched and told the length needed.
    let mut short = alloc::vec![0x55u8; bytes.len() - 1];
    let mut needed = 0;
    // SAFETY: a live cache, a buffer of its length.
    let r = unsafe { nocard_replay_cache_to_bytes(cache, short.as_mut_ptr(), short.len(), &mut needed) };
    assert_eq!((r, needed), (nocard_result::BufferTooSmall, bytes.len()));
    assert!(short.iter().all(|&b| b == 0x55));
    // Damage, each with its own code.
    assert_eq!(cache_from(&bytes[..10]), Err(nocard_result::StateTruncated));
    assert_eq!(cache_from(&bytes[..bytes.len() - 1]), Err(nocard_result::StateChecksum));
    let mut flipped = bytes.clone();
    flipped[20] ^= 1;
    assert_eq!(cache_from(&flipped), Err(nocard_result::StateChecksum));
    let mut kind = bytes.clone();
    kind[0] ^= 1;
    assert_eq!(cache_from(&kind), Err(nocard_result::StateWrongKind));
    let mut version = bytes.clone();
    version[4] = 9;
    assert_eq!(cache_from(&version), Err(nocard_result::StateVersion));
    let invalid = crate::state_file::seal(b"NCRC", 1, &[0, 0, 0, 1, 0, 0, 0, 2]);
    assert_eq!(cache_from(&invalid), Err(nocard_result::StateInvalid));
    let mut restored_null = null_mut();
    // SAFETY: lengths over the limit are refused before anything is read.
    unsafe {
        let r = nocard_replay_cache_from_bytes(bytes.as_ptr(), usize::MAX, &mut restored_null);
        assert_eq!(r, nocard_result::TooLong);
        assert_eq!(nocard_replay_cache_from_bytes(null(), 0, &mut restored_null), nocard_result::NullParameter);
        assert_eq!(nocard_replay_cache_to_bytes(null(), null_mut(), 0, &mut needed), nocard_result::NullParameter);
        assert_eq!(nocard_replay_cache_to_bytes(cache, null_mut(), 1, &mut needed), nocard_result::NullParameter);
        assert_eq!(nocard_replay_cache_to_bytes(cache, null_mut(), 0, null_mut()), nocard_result::NullParameter);
        nocard_replay_cache_free(cache);
        nocard_replay_cache_free(restored);
    }
    assert!(restored_null.is_null());
    free(verifier, out);
}

#[test]
fn state_codes_are_the_state_file_codes() {
    use crate::state_file::StateFileError;
    let errors = [
        StateFileError::Truncated,
        StateFileError::WrongKind,
        StateFileError::Version(2),
        StateFileError::Checksum,
        StateFileError::Invalid,
    ];
    let mapped: Vec<u32> = errors.iter().map(|e| error::map_state_error(e) as u32).collect();
    assert_eq!(mapped, (300..305).collect::<Vec<u32>>());
    for e in &errors {
        assert_eq!(code_name(error::map_state_error(e)), e.code());
    }
}

#[test]
fn trust_list_codes_are_the_trust_list_error_codes() {
    use crate::trust_list::TrustListError;
    let errors =
        [TrustListError::UnknownRoot, TrustListError::BadSignature, TrustListError::Rollback { held: 2, offered: 1 }];
    let mapped: Vec<u32> = errors.iter().map(|e| error::map_trust_list_error(e) as u32).collect();
    assert_eq!(mapped, (131..134).collect::<Vec<u32>>());
    for e in &errors {
        assert_eq!(code_name(error::map_trust_list_error(e)), e.code());
    }
    let malformed = TrustListError::Malformed(Malformed { kind: MalformedKind::Truncated, offset: 0 });
    assert_eq!(error::map_trust_list_error(&malformed), nocard_result::Malformed);
    assert_eq!(code_name(nocard_result::TrustListMissing), "trust_list_missing");
}

fn trust_root() -> crate::keys::SecretKey {
    crate::keys::SecretKey::from_bytes(Algorithm::EdDsa, &[0x71; 32]).unwrap()
}

fn signed_list(sequence: u64, next_update: u64) -> Vec<u8> {
    use crate::trust_list::{IssuerEntry, TrustList};
    let list = TrustList {
        sequence,
        issued_at: NOW - 86_400,
        next_update,
        entries: alloc::vec![IssuerEntry {
            key: issuer_key(Algorithm::EdDsa).public_key().clone(),
            issuer: ISSUER.into(),
            scope: crate::verify::KeyScope::AllTypes,
            signs_from: None,
            signs_until: None,
            compromised_at: None,
        }],
        next_roots: Vec::new(),
    };
    list.sign(&trust_root()).unwrap()
}

fn update(store: *mut nocard_trust_store, list: &[u8]) -> nocard_result {
    // SAFETY: a live store, a buffer of its length.
    unsafe { nocard_trust_store_update(store, list.as_ptr(), list.len()) }
}

fn verifier_from(
    store: *const nocard_trust_store,
    refuse_stale: bool,
) -> Result<*const nocard_verifier, nocard_result> {
    let builder = nocard_verifier_builder_new();
    // SAFETY: a live builder and store.
    match unsafe { nocard_verifier_builder_use_trust_store(builder, store, refuse_stale) } {
        nocard_result::Ok => build(builder),
        other => {
            // SAFETY: a live builder, freed once.
            unsafe { nocard_verifier_builder_free(builder) };
            Err(other)
        }
    }
}

#[test]
fn trust_store_takes_lists_in_order_and_verifiers_follow_it() {
    let root = trust_root().public_key().to_cose_key();
    let roots = [root.as_ptr()];
    let lens = [root.len()];
    let mut store = null_mut();
    // SAFETY: arrays of one key and its length; a valid out pointer.
    assert_eq!(unsafe { nocard_trust_store_new(roots.as_ptr(), lens.as_ptr(), 1, &mut store) }, nocard_result::Ok);
    assert_eq!(verifier_from(store, true), Err(nocard_result::TrustListMissing));
    let first = signed_list(1, NOW + 86_400);
    assert_eq!(update(store, &first), nocard_result::Ok);
    assert_eq!(update(store, &first), nocard_result::Ok, "the list held, again: no change");
    assert_eq!(update(store, &signed_list(2, NOW + 86_400)), nocard_result::Ok);
    assert_eq!(update(store, &first), nocard_result::TrustListRollback);
    let mut sequence = 0;
    // SAFETY: a live store, a valid out pointer.
    assert_eq!(unsafe { nocard_trust_store_sequence(store, &mut sequence) }, nocard_result::Ok);
    assert_eq!(sequence, 2);

    let out = nocard_verification_new();
    let verifier = verifier_from(store, true).unwrap();
    assert_eq!(verify(verifier, &hotel_text(), NOW + 5, out), nocard_result::Ok);
    // SAFETY: a live verifier, freed once.
    unsafe { nocard_verifier_free(verifier) };

    // Stale: refused when the desk says so, with the core's error; accepted otherwise.
    assert_eq!(update(store, &signed_list(3, NOW)), nocard_result::Ok);
    let refusing = verifier_from(store, true).unwrap();
    assert_eq!(verify(refusing, &hotel_text(), NOW + 5, out), nocard_result::TrustListStale);
    assert_eq!(message(out).unwrap(), Error::TrustListStale { next_update: NOW }.to_string());
    let accepting = verifier_from(store, false).unwrap();
    assert_eq!(verify(accepting, &hotel_text(), NOW + 5, out), nocard_result::Ok);
    // SAFETY: live handles, each freed once.
    unsafe {
        nocard_verifier_free(refusing);
        nocard_trust_store_free(store);
    }
    free(accepting, out);
}

#[test]
fn status_codes_are_the_status_error_codes() {
    use crate::state_file::StateFileError;
    use crate::status_list::StatusError;
    let errors = [
        StatusError::UnknownKey,
        StatusError::BadSignature,
        StatusError::Rollback { held: 2, offered: 1 },
        StatusError::StoreFull,
        StatusError::Revoked,
        StatusError::Suspended,
        StatusError::UnknownStatus(3),
        StatusError::Missing { list: 7 },
        StatusError::IndexOutOfRange { index: 9, len: 8 },
        StatusError::Expired { expires: 1, now: 2 },
    ];
    let mapped: Vec<u32> = errors.iter().map(|e| error::map_status_error(e) as u32).collect();
    assert_eq!(mapped, (135..145).collect::<Vec<u32>>(), "one code per variant, in order");
    for e in &errors {
        assert_eq!(code_name(error::map_status_error(e)), e.code());
    }
    let malformed = StatusError::Malformed(Malformed { kind: MalformedKind::Truncated, offset: 0 });
    assert_eq!(error::map_status_error(&malformed), nocard_result::Malformed);
    let damaged = StatusError::DamagedState(StateFileError::Checksum);
    assert_eq!(error::map_status_error(&damaged), nocard_result::StateChecksum);
}

fn status_token(issued_at: u64, statuses: &[(usize, crate::status_list::Status)]) -> Vec<u8> {
    use crate::status_list::{StatusList, StatusListToken};
    let mut list = StatusList::new(2, 10_000).unwrap();
    for &(i, s) in statuses {
        list.set(i, s).unwrap();
    }
    let token =
        StatusListToken { issuer: ISSUER.into(), list_id: 7, issued_at, expires: issued_at + 86_400, ttl: None, list };
    token.sign(&issuer_key(Algorithm::EdDsa)).unwrap()
}

#[test]
fn status_store_refuses_revoked_codes_before_the_replay_cache_records_them() {
    use crate::status_list::Status;
    let verifier = c_verifier(|_| {});
    let out = nocard_verification_new();
    let mut store = null_mut();
    // SAFETY: a live verifier, a valid out pointer.
    assert_eq!(unsafe { nocard_status_store_new(verifier, false, &mut store) }, nocard_result::Ok);
    let code = hotel_text();
    assert_eq!(verify(verifier, &code, NOW + 5, out), nocard_result::Ok);
    // SAFETY: live handles.
    let check = |store| unsafe { nocard_status_store_check(store, out, NOW + 5) };
    assert_eq!(check(store), nocard_result::StatusListMissing);
    let update = |store, token: &[u8]| {
        // SAFETY: a live store, a buffer of its length.
        unsafe { nocard_status_store_update(store, token.as_ptr(), token.len(), NOW) }
    };
    let valid = status_token(NOW - 60, &[]);
    assert_eq!(update(store, &valid), nocard_result::Ok);
    assert_eq!(check(store), nocard_result::Ok);
    let revoked = status_token(NOW - 30, &[(4242, Status::Revoked)]);
    assert_eq!(update(store, &revoked), nocard_result::Ok);
    assert_eq!(update(store, &valid), nocard_result::StatusListRollback);
    assert_eq!(check(store), nocard_result::CredentialRevoked);
    // Not recorded: the desk checks before it admits.
    let cache = replay_cache(2);
    // SAFETY: live handles.
    unsafe {
        assert_eq!(nocard_replay_cache_admit(cache, out, NOW + 5), nocard_result::Ok);
        assert_eq!(nocard_replay_cache_admit(cache, out, NOW + 6), nocard_result::Replayed);
    }
    // Saved and restored against the same verifier's keys.
    let mut needed = 0;
    // SAFETY: a live store; a length query.
    assert_eq!(
        unsafe { nocard_status_store_to_bytes(store, null_mut(), 0, &mut needed) },
        nocard_result::BufferTooSmall
    );
    let mut bytes = alloc::vec![0u8; needed];
    let mut restored = null_mut();
    // SAFETY: a live store and verifier, buffers of their lengths.
    unsafe {
        assert_eq!(nocard_status_store_to_bytes(store, bytes.as_mut_ptr(), needed, &mut needed), nocard_result::Ok);
        let r = nocard_status_store_from_bytes(bytes.as_ptr(), bytes.len(), verifier, false, &mut restored);
        assert_eq!(r, nocard_result::Ok);
    }
    assert_eq!(check(restored), nocard_result::CredentialRevoked);
    bytes[10] ^= 1;
    let mut damaged = null_mut();
    // SAFETY: as above.
    unsafe {
        let r = nocard_status_store_from_bytes(bytes.as_ptr(), bytes.len(), verifier, false, &mut damaged);
        assert_eq!(r, nocard_result::StateChecksum);
        assert!(damaged.is_null());
        // A rejected verification has no credential to check.
        assert_eq!(verify(verifier, "garbage", NOW, out), nocard_result::Malformed);
        assert_eq!(nocard_status_store_check(store, out, NOW), nocard_result::NotVerified);
        assert_eq!(nocard_replay_cache_admit(cache, out, NOW), nocard_result::NotVerified);
        nocard_status_store_free(restored);
        nocard_status_store_free(store);
        nocard_status_store_free(null_mut());
        nocard_replay_cache_free(cache);
    }
    free(verifier, out);
}

/// `nocard_verifier_verify_frame`, on frames rendered from real codes.
#[cfg(feature = "scan")]
mod frame {
    use super::*;
    use crate::qr::{EcLevel, QrMatrix};

    /// Generous, so a loaded test machine running unoptimised code still
    /// reads these small frames; the budget itself is the scanning tests'.
    const BUDGET: u32 = NOCARD_MAX_FRAME_TIME_BUDGET_MS;

    /// `texts` as QR codes side by side on a white frame, 4 px a module.
    fn frame(texts: &[String]) -> (Vec<u8>, usize, usize) {
        let codes: Vec<(Vec<u8>, usize)> =
            texts.iter().map(|t| QrMatrix::encode(t, EcLevel::M).unwrap().to_gray(4)).collect();
        let height = codes.iter().map(|c| c.1).max().unwrap_or(64);
        let width = codes.iter().map(|c| c.1).sum::<usize>().max(64);
        let mut pixels = alloc::vec![255u8; width * height];
        let mut left = 0;
        for (gray, side) in &codes {
            for y in 0..*side {
                pixels[y * width + left..y * width + left + side].copy_from_slice(&gray[y * side..(y + 1) * side]);
            }
            left += side;
        }
        (pixels, width, height)
    }

    fn verify_frame(
        verifier: *const nocard_verifier,
        pixels: &[u8],
        width: usize,
        height: usize,
        stride: usize,
        out: *mut nocard_verification,
    ) -> nocard_result {
        // SAFETY: live handles; `pixels` is valid for its length.
        unsafe {
            nocard_verifier_verify_frame(
                verifier,
                pixels.as_ptr(),
                pixels.len(),
                width,
                height,
                stride,
                BUDGET,
                NOW,
                out,
            )
        }
    }

    #[test]
    fn a_frame_is_read_and_verified() {
        let verifier = c_verifier(|_| {});
        let out = nocard_verification_new();
        let (pixels, width, height) = frame(&[hotel_text()]);
        assert_eq!(verify_frame(verifier, &pixels, width, height, width, out), nocard_result::Ok);
        assert_eq!(claim(out, c"name"), Ok("王小明".into()));
        // The same frame in dark mode (light modules on dark).
        let inverted: Vec<u8> = pixels.iter().map(|p| 255 - p).collect();
        assert_eq!(verify_frame(verifier, &inverted, width, height, width, out), nocard_result::Ok);
        // A rejected code is the verifier's answer, with its message.
        let late = NOW + 3600;
        // SAFETY: as `verify_frame`.
        let code = unsafe {
            nocard_verifier_verify_frame(
                verifier,
                pixels.as_ptr(),
                pixels.len(),
                width,
                height,
                width,
                BUDGET,
                late,
                out,
            )
        };
        assert_eq!(code, nocard_result::WindowExpired);
        // SAFETY: a live verification.
        assert_eq!(unsafe { nocard_verification_result(out) }, nocard_result::WindowExpired);
        free(verifier, out);
    }

    #[test]
    fn frames_without_one_code_verify_nothing() {
        let verifier = c_verifier(|_| {});
        let out = nocard_verification_new();
        let (pixels, width, height) = frame(&[hotel_text()]);
        assert_eq!(verify_frame(verifier, &pixels, width, height, width, out), nocard_result::Ok);
        let blank = alloc::vec![255u8; 640 * 480];
        assert_eq!(verify_frame(verifier, &blank, 640, 480, 640, out), nocard_result::NoCode);
        // The earlier person's result is gone.
        // SAFETY: a live verification.
        assert_eq!(unsafe { nocard_verification_result(out) }, nocard_result::NotVerified);
        let (two, width, height) = frame(&[hotel_text(), present(Disclose::Profile(Profile::InternetCafe)).to_text()]);
        assert_eq!(verify_frame(verifier, &two, width, height, width, out), nocard_result::SeveralCodes);
        free(verifier, out);
    }

    #[test]
    fn every_bad_frame_has_its_code_and_nothing_is_read_past_the_limit() {
        let verifier = c_verifier(|_| {});
        let out = nocard_verification_new();
        let pixels = alloc::vec![255u8; 100];
        assert_eq!(verify_frame(verifier, &pixels, 0, 10, 10, out), nocard_result::EmptyImage);
        assert_eq!(verify_frame(verifier, &pixels, 9000, 1, 9000, out), nocard_result::ImageTooLarge);
        assert_eq!(verify_frame(verifier, &pixels, 10, 10, 9, out), nocard_result::StrideTooSmall);
        assert_eq!(verify_frame(verifier, &pixels, 10, 11, 10, out), nocard_result::BufferTooShort);
        // A length over the limit is refused before the pointer is read.
        // SAFETY: the length is over NOCARD_MAX_FRAME_LEN, so nothing is read.
        let code = unsafe {
            nocard_verifier_verify_frame(verifier, pixels.as_ptr(), usize::MAX, 10, 10, 10, BUDGET, NOW, out)
        };
        assert_eq!(code, nocard_result::TooLong);
        // SAFETY: NULL pointers are refused.
        let code = unsafe { nocard_verifier_verify_frame(verifier, null(), 0, 10, 10, 10, BUDGET, NOW, out) };
        assert_eq!(code, nocard_result::NullParameter);
        // SAFETY: as above.
        let code = unsafe { nocard_verifier_verify_frame(null(), pixels.as_ptr(), 100, 10, 10, 10, BUDGET, NOW, out) };
        assert_eq!(code, nocard_result::NullParameter);
        for budget in [0, NOCARD_MAX_FRAME_TIME_BUDGET_MS + 1] {
            // SAFETY: live handles; `pixels` is valid for its length.
            let code =
                unsafe { nocard_verifier_verify_frame(verifier, pixels.as_ptr(), 100, 10, 10, 10, budget, NOW, out) };
            assert_eq!(code, nocard_result::OutOfRange, "{budget} ms");
        }
        assert_eq!(nocard_features() & NOCARD_FEATURE_SCAN, NOCARD_FEATURE_SCAN);
        free(verifier, out);
    }

    /// Every `nocard_frame_format`.
    const FORMATS: [nocard_frame_format; 7] = [
        nocard_frame_format::Gray8,
        nocard_frame_format::Rgb,
        nocard_frame_format::Rgba,
        nocard_frame_format::Bgra,
        nocard_frame_format::Nv21,
        nocard_frame_format::Nv12,
        nocard_frame_format::YPlane,
    ];

    /// Row padding of the frames `camera_frame` makes.
    const PAD: usize = 3;

    /// A gray frame laid out as a camera delivers `format`, rows `PAD` bytes
    /// longer than they need (a Y plane with pixel stride 2, chroma 128):
    /// the bytes, the row stride and the pixel stride.
    fn camera_frame(gray: &[u8], width: usize, height: usize, format: nocard_frame_format) -> (Vec<u8>, usize, usize) {
        use nocard_frame_format::*;
        let bytes = match format {
            Gray8 | Nv21 | Nv12 => 1,
            YPlane => 2,
            Rgb => 3,
            Rgba | Bgra => 4,
        };
        let row_stride = width.div_ceil(2) * 2 * bytes + PAD;
        let rows = if matches!(format, Nv21 | Nv12) { height + height.div_ceil(2) } else { height };
        let mut out = alloc::vec![128u8; rows * row_stride];
        for (y, row) in gray.chunks(width).enumerate() {
            for (x, &g) in row.iter().enumerate() {
                let pixel = &mut out[y * row_stride + x * bytes..][..bytes];
                match format {
                    Rgb => pixel.copy_from_slice(&[g, g, g]),
                    Rgba | Bgra => pixel.copy_from_slice(&[g, g, g, 255]),
                    _ => pixel[0] = g,
                }
            }
        }
        (out, row_stride, if format == YPlane { 2 } else { 1 })
    }

    #[allow(clippy::too_many_arguments)]
    fn verify_camera_frame(
        verifier: *const nocard_verifier,
        format: u32,
        pixels: &[u8],
        width: usize,
        height: usize,
        row_stride: usize,
        pixel_stride: usize,
        out: *mut nocard_verification,
    ) -> nocard_result {
        // SAFETY: live handles; `pixels` is valid for its length.
        unsafe {
            nocard_verifier_verify_camera_frame(
                verifier,
                format,
                pixels.as_ptr(),
                pixels.len(),
                width,
                height,
                row_stride,
                pixel_stride,
                BUDGET,
                NOW,
                out,
            )
        }
    }

    #[test]
    fn a_camera_frame_of_each_format_is_read_and_verified() {
        let verifier = c_verifier(|_| {});
        let out = nocard_verification_new();
        let (gray, width, height) = frame(&[hotel_text()]);
        for format in FORMATS {
            let (pixels, row_stride, pixel_stride) = camera_frame(&gray, width, height, format);
            let code =
                verify_camera_frame(verifier, format as u32, &pixels, width, height, row_stride, pixel_stride, out);
            assert_eq!(code, nocard_result::Ok, "{format:?}");
            assert_eq!(claim(out, c"name"), Ok("王小明".into()), "{format:?}");
            // The last row's padding may be missing.
            let trimmed = &pixels[..pixels.len() - PAD];
            let code =
                verify_camera_frame(verifier, format as u32, trimmed, width, height, row_stride, pixel_stride, out);
            assert_eq!(code, nocard_result::Ok, "{format:?} without the last padding");
        }
        // A blank frame of any format holds no code.
        let blank = alloc::vec![255u8; 64 * 64];
        let (pixels, row_stride, _) = camera_frame(&blank, 64, 64, nocard_frame_format::Nv21);
        let code = verify_camera_frame(verifier, nocard_frame_format::Nv21 as u32, &pixels, 64, 64, row_stride, 1, out);
        assert_eq!(code, nocard_result::NoCode);
        free(verifier, out);
    }

    #[test]
    fn every_bad_camera_frame_has_its_code() {
        let verifier = c_verifier(|_| {});
        let out = nocard_verification_new();
        let (gray, width, height) = (alloc::vec![255u8; 40 * 30], 40, 30);
        for format in FORMATS {
            let (pixels, row_stride, pixel_stride) = camera_frame(&gray, width, height, format);
            let f = format as u32;
            let call = |pixels: &[u8], width, height, row_stride| {
                verify_camera_frame(verifier, f, pixels, width, height, row_stride, pixel_stride, out)
            };
            assert_eq!(call(&pixels, 0, height, row_stride), nocard_result::EmptyImage, "{format:?}");
            assert_eq!(call(&pixels, width, 9000, row_stride), nocard_result::ImageTooLarge, "{format:?}");
            assert_eq!(call(&pixels, width, height, row_stride - PAD - 2), nocard_result::StrideTooSmall, "{format:?}");
            let short = &pixels[..pixels.len() - PAD - pixel_stride];
            assert_eq!(call(short, width, height, row_stride), nocard_result::BufferTooShort, "{format:?}");
        }
        // NV21 and NV12 need their chroma rows, though they are not read.
        let (pixels, row_stride, _) = camera_frame(&gray, width, height, nocard_frame_format::Nv12);
        let luma = &pixels[..height * row_stride];
        let code =
            verify_camera_frame(verifier, nocard_frame_format::Nv12 as u32, luma, width, height, row_stride, 1, out);
        assert_eq!(code, nocard_result::BufferTooShort);
        // A Y plane's pixel stride is 1 to 8; the other formats ignore it.
        let (pixels, row_stride, _) = camera_frame(&gray, width, height, nocard_frame_format::YPlane);
        for pixel_stride in [0, 9, usize::MAX] {
            let y_plane = nocard_frame_format::YPlane as u32;
            let code = verify_camera_frame(verifier, y_plane, &pixels, width, height, row_stride, pixel_stride, out);
            assert_eq!(code, nocard_result::BadPixelStride, "{pixel_stride}");
        }
        let gray8 = nocard_frame_format::Gray8 as u32;
        assert_eq!(verify_camera_frame(verifier, gray8, &gray, width, height, width, 0, out), nocard_result::NoCode);
        // C enums are untrusted integers: a value that is no format is refused.
        for format in [0, 8, u32::MAX] {
            let code = verify_camera_frame(verifier, format, &gray, width, height, width, 1, out);
            assert_eq!(code, nocard_result::UnknownFrameFormat, "{format}");
        }
        // SAFETY: the length is over NOCARD_MAX_FRAME_LEN, so nothing is read.
        let code = unsafe {
            nocard_verifier_verify_camera_frame(
                verifier,
                nocard_frame_format::Bgra as u32,
                gray.as_ptr(),
                NOCARD_MAX_FRAME_LEN + 1,
                width,
                height,
                width * 4,
                1,
                BUDGET,
                NOW,
                out,
            )
        };
        assert_eq!(code, nocard_result::TooLong);
        // SAFETY: NULL pointers are refused.
        let code =
            unsafe { nocard_verifier_verify_camera_frame(verifier, gray8, null(), 0, 1, 1, 1, 1, BUDGET, NOW, out) };
        assert_eq!(code, nocard_result::NullParameter);
        free(verifier, out);
    }
}

/// The hotel code sealed to the X25519 group key `[byte; 32]`.
fn sealed_hotel(byte: u8) -> String {
    let group = crate::seal::GroupSecretKey::from_bytes(crate::seal::GroupAlgorithm::X25519, &[byte; 32]).unwrap();
    let presentation = present(Disclose::Profile(Profile::HotelCheckIn));
    crate::seal::seal(presentation.as_bytes(), group.public_key()).unwrap().to_text()
}

fn add_group_key(builder: *mut nocard_verifier_builder, byte: u8) -> nocard_result {
    let group = crate::seal::GroupSecretKey::from_bytes(crate::seal::GroupAlgorithm::X25519, &[byte; 32]).unwrap();
    let key = group.to_cose_key();
    // SAFETY: a live builder, a key buffer of the given length.
    unsafe { nocard_verifier_builder_add_group_key(builder, key.as_ptr(), key.len()) }
}

#[test]
fn sealed_codes_open_with_added_group_keys() {
    let verifier = c_verifier(|b| {
        assert_eq!(add_group_key(b, 0x55), nocard_result::Ok);
        // SAFETY: a live builder.
        assert_eq!(unsafe { nocard_verifier_builder_require_sealed(b) }, nocard_result::Ok);
    });
    let v = nocard_verification_new();
    assert_eq!(verify(verifier, &sealed_hotel(0x55), NOW + 3, v), nocard_result::Ok);
    assert_eq!(claim(v, c"name").unwrap(), "王小明");
    assert_eq!(verify(verifier, &sealed_hotel(0x56), NOW + 3, v), nocard_result::SealedForOtherGroup);
    assert_eq!(verify(verifier, &hotel_text(), NOW + 3, v), nocard_result::SealRequired);
    assert_eq!(verify(verifier, &sealed_hotel(0x55), NOW + 60, v), nocard_result::WindowExpired);
    let mut altered = sealed_hotel(0x55).into_bytes();
    altered[60] = if altered[60] == b'0' { b'1' } else { b'0' };
    assert_eq!(verify(verifier, core::str::from_utf8(&altered).unwrap(), NOW + 3, v), nocard_result::SealedOpenFailed);
    free(verifier, v);

    let plain_desk = c_verifier(|_| {});
    let v = nocard_verification_new();
    assert_eq!(verify(plain_desk, &sealed_hotel(0x55), NOW + 3, v), nocard_result::SealedNoGroupKey);
    free(plain_desk, v);
}

#[test]
fn group_key_settings_are_checked() {
    let builder = nocard_verifier_builder_new();
    let signing = issuer_key(Algorithm::Es256).to_cose_key();
    // SAFETY: a live builder; key buffers of the given lengths; NULL where tested.
    unsafe {
        assert_eq!(
            nocard_verifier_builder_add_group_key(builder, signing.as_ptr(), signing.len()),
            nocard_result::InvalidKey
        );
        assert_eq!(nocard_verifier_builder_add_group_key(builder, null(), 1), nocard_result::NullParameter);
        assert_eq!(
            nocard_verifier_builder_add_group_key(null_mut(), signing.as_ptr(), signing.len()),
            nocard_result::NullParameter
        );
        assert_eq!(nocard_verifier_builder_require_sealed(null_mut()), nocard_result::NullParameter);
        assert_eq!(nocard_verifier_builder_require_sealed(builder), nocard_result::Ok);
    }
    assert_eq!(build(builder).unwrap_err(), nocard_result::ConfigSealWithoutGroupKey);
    let builder = nocard_verifier_builder_new();
    assert_eq!(add_group_key(builder, 0x55), nocard_result::Ok);
    assert_eq!(add_group_key(builder, 0x55), nocard_result::Ok);
    assert_eq!(build(builder).unwrap_err(), nocard_result::ConfigDuplicateGroupKey);
}
