//! `nocard inspect`: decode an NC1:, NCC1: or NCP1: text to JSON without verifying.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Args as ClapArgs;
use serde_json::{Value as Json, json};

use nocard::portrait::Frame;
use nocard::text::{self, TextKind};

use super::CmdResult;
use super::claims_json::hex_encode;
use super::files::read_stdin;
use super::output::print_json_pretty;

/// How many levels of byte strings holding CBOR `inspect` opens.
const MAX_NESTED_CBOR: usize = 4;
/// Nesting limit for each CBOR item `inspect` decodes.
const CBOR_RECURSION_LIMIT: usize = 16;

#[derive(ClapArgs)]
pub struct Args {
    /// The NC1:, NCC1: or NCP1: text; `-` or nothing reads stdin.
    #[arg(value_name = "TEXT")]
    text: Option<String>,
}

pub fn run(args: &Args) -> CmdResult {
    let input = match args.text.as_deref() {
        None | Some("-") => read_stdin()?,
        Some(text) => text.as_bytes().to_vec(),
    };
    // No trimming: base45 may end in a space; `decode` drops trailing CR/LF.
    let text = input.as_slice();
    let Some(kind) = text::kind_of(text) else {
        return undecodable(
            "not nocard text: expected an NC1:, NCS1:, NCC1:, NCP1:, NCD1:, NCA1:, NCK1: or NCR1: prefix",
        );
    };
    let bytes = match text::decode(kind, text) {
        Ok(bytes) => bytes,
        Err(e) => return undecodable(&format!("{} ({})", e, e.code())),
    };
    let kind = match kind {
        TextKind::Presentation => "presentation",
        TextKind::Credential => "credential",
        TextKind::Sealed => "sealed",
        TextKind::Delegation => "delegation",
        TextKind::Acting => "acting",
        TextKind::Consent => "consent",
        TextKind::Receipt => "receipt",
        TextKind::Portrait => return inspect_portrait_frame(&bytes),
    };
    let Some(cbor) = decode_cbor(&bytes) else {
        return undecodable("the decoded bytes are not one CBOR item");
    };
    print_json_pretty(&json!({
        "verified": false,
        "warning": "decoded only: no signature, key, time or policy was checked, so nothing here can be trusted; use `nocard verify`",
        "kind": kind,
        "bytes": bytes.len(),
        "cbor": cbor_to_json(&cbor, 0),
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// A portrait frame's header (SPEC.md §14.2): it is not CBOR.
fn inspect_portrait_frame(bytes: &[u8]) -> CmdResult {
    let frame = match Frame::from_bytes(bytes) {
        Ok(frame) => frame,
        Err(e) => return undecodable(&format!("{} ({})", e, e.code())),
    };
    print_json_pretty(&json!({
        "verified": false,
        "warning": "decoded only: a portrait frame is checked only when the whole portrait matches a verified photo_digest",
        "kind": "portrait_frame",
        "bytes": bytes.len(),
        "transfer_id": hex_encode(&frame.transfer_id),
        "portrait_len": frame.portrait_len,
        "symbol_size": frame.symbol_size,
        "esi": frame.esi,
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// Reports input `inspect` cannot decode: message on stderr, exit status 1.
fn undecodable(message: &str) -> CmdResult {
    let _ = writeln!(io::stderr(), "nocard: {message}");
    Ok(ExitCode::from(1))
}

/// `bytes` as exactly one CBOR item, nested at most [`CBOR_RECURSION_LIMIT`] deep.
fn decode_cbor(bytes: &[u8]) -> Option<ciborium::Value> {
    let mut rest = bytes;
    let value = ciborium::de::from_reader_with_recursion_limit(&mut rest, CBOR_RECURSION_LIMIT).ok()?;
    rest.is_empty().then_some(value)
}

/// Generic CBOR to JSON. Byte strings that are themselves a CBOR array or map
/// (payloads, protected headers, disclosures) are shown decoded, at most
/// [`MAX_NESTED_CBOR`] levels deep.
fn cbor_to_json(value: &ciborium::Value, depth: usize) -> Json {
    use ciborium::Value as Cbor;
    match value {
        Cbor::Integer(i) => integer_json(i128::from(*i)),
        Cbor::Bytes(b) => {
            let nested = (depth < MAX_NESTED_CBOR)
                .then(|| decode_cbor(b))
                .flatten()
                .filter(|v| matches!(v, Cbor::Array(_) | Cbor::Map(_)));
            match nested {
                Some(inner) => json!({"bstr_cbor": cbor_to_json(&inner, depth + 1)}),
                None => json!({"bstr": hex_encode(b)}),
            }
        }
        Cbor::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Cbor::Text(t) => json!(t),
        Cbor::Bool(b) => json!(b),
        Cbor::Null => Json::Null,
        Cbor::Tag(tag, inner) => json!({"tag": tag, "value": cbor_to_json(inner, depth)}),
        Cbor::Array(items) => items.iter().map(|v| cbor_to_json(v, depth)).collect(),
        Cbor::Map(entries) => {
            Json::Object(entries.iter().map(|(k, v)| (map_key(k, depth), cbor_to_json(v, depth))).collect())
        }
        _ => Json::Null,
    }
}

/// A CBOR integer as a JSON number, or as a string beyond 64 bits.
fn integer_json(i: i128) -> Json {
    if let Ok(n) = i64::try_from(i) {
        json!(n)
    } else if let Ok(n) = u64::try_from(i) {
        json!(n)
    } else {
        json!(i.to_string())
    }
}

/// A CBOR map key as a JSON object key: integers in decimal, text as is.
fn map_key(key: &ciborium::Value, depth: usize) -> String {
    match key {
        ciborium::Value::Integer(i) => i128::from(*i).to_string(),
        ciborium::Value::Text(t) => t.clone(),
        other => cbor_to_json(other, depth).to_string(),
    }
}
