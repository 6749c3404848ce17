use super::*;

#[test]
fn rfc9285_examples() {
    // ../shared/vectors/base45.json, copied to tests/vectors/external/.
    let json =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/external/base45.json")).unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let bytes = case["bytes_utf8"].as_str().unwrap().as_bytes();
        let b45 = case["base45"].as_str().unwrap();
        let text = encode(TextKind::Presentation, bytes);
        assert_eq!(&text[4..], b45);
        assert_eq!(decode(TextKind::Presentation, text.as_bytes()).unwrap(), bytes);
    }
}

#[test]
fn keyboard_input_is_forgiven() {
    let text = encode(TextKind::Presentation, b"base-45");
    let typed = format!("{}\r\n", text.to_ascii_lowercase());
    assert_eq!(decode(TextKind::Presentation, typed.as_bytes()).unwrap(), b"base-45");
}

#[test]
fn credential_text_round_trips() {
    let text = encode(TextKind::Credential, &[0, 1, 2, 255]);
    assert!(text.starts_with("NCC1:"));
    assert_eq!(kind_of(text.as_bytes()), Some(TextKind::Credential));
    assert_eq!(kind_of(b"nc1:ABC"), Some(TextKind::Presentation));
    assert_eq!(kind_of(b"HC1:ABC"), None);
    assert_eq!(kind_of(b"NCD1:ABC"), Some(TextKind::Delegation));
    assert_eq!(kind_of(b"nca1:ABC"), Some(TextKind::Acting));
    assert_eq!(kind_of(b"NCK1:ABC"), Some(TextKind::Consent));
    // A version letter alone is still a presentation's (unsupported) version.
    assert_eq!(kind_of(b"NCD:ABC"), Some(TextKind::Presentation));
    assert_eq!(decode(TextKind::Credential, text.as_bytes()).unwrap(), [0, 1, 2, 255]);
}

type Case = (&'static [u8], Result<Vec<u8>, Error>);

#[test]
fn decode_fail() {
    use crate::error::MalformedKind::*;
    let malformed = |kind, offset| Err(Error::Malformed(Malformed::at(kind, offset)));
    let cases: &[Case] = &[
        (b"", malformed(MissingPrefix, 0)),
        (b"HC1:BB8", malformed(MissingPrefix, 0)),
        (b"NC1BB8", malformed(MissingPrefix, 0)),
        (b"NC#:BB8", malformed(MissingPrefix, 0)),
        (b"NC2:BB8", Err(Error::UnsupportedVersion { found: '2' })),
        (b"nc9:BB8", Err(Error::UnsupportedVersion { found: '9' })),
        (b"NC1:BB", malformed(Base45Value, 4)), // 0xBB... : "BB" = 11 + 11*45 = 506 > 255
        (b"NC1:B", malformed(Base45Length, 4)),
        (b"NC1:BB8B", malformed(Base45Length, 7)),
        (b"NC1:B_8", malformed(Base45Character, 5)),
        (b"NC1:BB8\n\nX", malformed(Base45Character, 7)),
        (b"NC1:GGW", malformed(Base45Value, 4)), // 16 + 16*45 + 32*2025 = 65536
        (b"NC1:FGW", Ok(vec![0xff, 0xff])),      // 15 + 16*45 + 32*2025 = 65535
        (b"NC1:", Ok(vec![])),
    ];
    for (i, (input, expected)) in cases.iter().enumerate() {
        assert_eq!(&decode(TextKind::Presentation, input), expected, "case {i}");
    }
    let huge = vec![b'0'; MAX_PRESENTATION_TEXT + 1];
    assert_eq!(
        decode(TextKind::Presentation, &huge),
        malformed(TooLarge { max: MAX_PRESENTATION_TEXT }, MAX_PRESENTATION_TEXT)
    );
}
