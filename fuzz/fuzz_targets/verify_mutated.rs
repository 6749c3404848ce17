//! Structure-aware: valid presentations (made once from the fixture's fixed
//! keys and clock through the public API: Issuer → Holder → present), edited
//! by a short list of fuzzer-chosen edits, then verified. No edit may turn a
//! presentation into another one that verifies, except in what no signature
//! covers: RFC 9052 lets a COSE_Sign1 carry an optional tag 18 and an
//! unprotected header, and nocard reads both (and trusts neither), so a
//! presentation with those changed verifies, to exactly the same result.
//! Everything signed must be byte-identical.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use nocard::document::{Profile, Registry};
use nocard::keys::Algorithm;
use nocard::presentation::Disclose;
use nocard::verify::Verified;
use nocard_fuzz::fixture::{NOW, VERIFY_AT, holder};

/// At most this many edits are applied, so each run stays small.
const MAX_EDITS: usize = 8;

#[derive(Arbitrary, Debug)]
enum Edit {
    /// XOR one byte with a mask.
    Flip { at: u16, mask: u8 },
    /// Cut the input to this length.
    Truncate { len: u16 },
    /// Insert bytes before a position.
    Insert { at: u16, bytes: Vec<u8> },
    /// Replace up to `len` bytes from a position with other bytes.
    Replace { at: u16, len: u8, bytes: Vec<u8> },
}

#[derive(Arbitrary, Debug)]
struct Input {
    original: u8,
    edits: Vec<Edit>,
}

impl Edit {
    fn apply(&self, b: &mut Vec<u8>) {
        let pos = |at: u16, len: usize| usize::from(at) % (len + 1);
        match self {
            Edit::Flip { at, mask } => {
                if !b.is_empty() {
                    let i = usize::from(*at) % b.len();
                    b[i] ^= mask;
                }
            }
            Edit::Truncate { len } => b.truncate(usize::from(*len)),
            Edit::Insert { at, bytes } => {
                let i = pos(*at, b.len());
                b.splice(i..i, bytes.iter().copied());
            }
            Edit::Replace { at, len, bytes } => {
                let i = pos(*at, b.len());
                let end = (i + usize::from(*len)).min(b.len());
                b.splice(i..end, bytes.iter().copied());
            }
        }
    }
}

struct Original {
    bytes: Vec<u8>,
    verified: Verified,
    /// `0x84` and the protected header, as encoded: signed.
    signed_head: Vec<u8>,
    /// The payload and the signature, as encoded: signed (the signature by itself).
    signed_tail: Vec<u8>,
}

/// Splits a COSE_Sign1 this crate wrote (untagged, empty unprotected header
/// `0xa0`) around its unprotected header.
fn split_envelope(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    assert_eq!(bytes[0], 0x84, "an untagged array of four");
    let info = bytes[1] & 0x1f;
    let (head, len) = match info {
        0..=23 => (1, usize::from(info)),
        24 => (2, usize::from(bytes[2])),
        _ => panic!("a protected header this long is not what nocard writes"),
    };
    let unprotected = 1 + head + len;
    assert_eq!(bytes[unprotected], 0xa0, "an empty unprotected header");
    (bytes[..unprotected].to_vec(), bytes[unprotected + 1..].to_vec())
}

/// A hotel view, disclosures with digests, and a household register with
/// dated records; Ed25519 and P-256 issuers.
fn originals() -> &'static [Original] {
    static ORIGINALS: OnceLock<Vec<Original>> = OnceLock::new();
    ORIGINALS.get_or_init(|| {
        let registry = Registry::builtin();
        let doc = |name| registry.by_name(name).expect("built-in doc type").clone();
        let resident = doc("resident_id_card");
        let household = doc("household_register");
        let claims = |names: &[&str]| Disclose::Claims(names.iter().map(|n| n.to_string()).collect());
        let made = [
            (&resident, Algorithm::EdDsa, Disclose::Profile(Profile::HotelCheckIn)),
            (&resident, Algorithm::EdDsa, claims(&["name", "birth_date", "address"])),
            (&household, Algorithm::Es256, Disclose::Profile(Profile::GovernmentWindow)),
            (&household, Algorithm::EdDsa, claims(&["members", "address"])),
        ];
        made.into_iter()
            .map(|(doc, issuer_alg, disclose)| {
                let holder = holder(doc, issuer_alg, Algorithm::Es256).expect("fixture holder");
                let bytes = holder
                    .present(disclose)
                    .at(NOW)
                    .challenge(4711)
                    .sign()
                    .expect("fixture presentation")
                    .as_bytes()
                    .to_vec();
                let verified =
                    nocard_fuzz::verifier().verify_bytes(&bytes, VERIFY_AT).expect("fixture presentation verifies");
                let (signed_head, signed_tail) = split_envelope(&bytes);
                Original { bytes, verified, signed_head, signed_tail }
            })
            .collect()
    })
}

fuzz_target!(|input: Input| {
    let originals = originals();
    let original = &originals[usize::from(input.original) % originals.len()];
    let mut bytes = original.bytes.clone();
    for edit in input.edits.iter().take(MAX_EDITS) {
        edit.apply(&mut bytes);
    }
    let result = nocard_fuzz::verifier().verify_bytes(&bytes, VERIFY_AT);
    if bytes == original.bytes {
        assert_eq!(result.as_ref(), Ok(&original.verified), "the unedited presentation must verify");
    } else if let Ok(verified) = result {
        // Only the envelope may differ: an optional tag 18 in front, and
        // the unprotected header between the signed head and tail.
        let untagged = bytes.strip_prefix(&[0xd2]).unwrap_or(&bytes);
        let (head, tail) = (&original.signed_head, &original.signed_tail);
        assert!(
            untagged.len() > head.len() + tail.len() && untagged.starts_with(head) && untagged.ends_with(tail),
            "an edit to signed bytes verified: {bytes:02x?}"
        );
        assert_eq!(verified, original.verified, "an envelope edit changed what verified");
    }
});
