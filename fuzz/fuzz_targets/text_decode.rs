//! `nocard::text::decode` for both kinds: what a scanner gun types or a QR
//! decoder hands over, before anything else looks at it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nocard::text::{self, MAX_CREDENTIAL_TEXT, MAX_PRESENTATION_TEXT, TextKind};

const KINDS: [(TextKind, usize); 2] =
    [(TextKind::Presentation, MAX_PRESENTATION_TEXT), (TextKind::Credential, MAX_CREDENTIAL_TEXT)];

fuzz_target!(|data: &[u8]| {
    for (kind, max_text) in KINDS {
        match text::decode(kind, data) {
            Ok(bytes) => {
                // A text that decodes names its own kind.
                assert_eq!(text::kind_of(data), Some(kind));
                // Decoding forgives trailing CR/LF and lowercase, nothing else:
                // encoding the result gives back the text with exactly those undone.
                let mut normal = data.to_vec();
                while matches!(normal.last(), Some(b'\r' | b'\n')) {
                    normal.pop();
                }
                normal.make_ascii_uppercase();
                assert_eq!(text::encode(kind, &bytes).as_bytes(), &normal[..]);
            }
            Err(err) => nocard_fuzz::check_error_offset(&err, data.len()),
        }

        // Any bytes survive encode → decode while the text fits the limit.
        let encoded = text::encode(kind, data);
        let back = text::decode(kind, encoded.as_bytes());
        if encoded.len() <= max_text {
            assert_eq!(back.as_deref(), Ok(data));
        } else {
            assert_eq!(back.map_err(|e| e.code()), Err("malformed"));
        }
    }
});
