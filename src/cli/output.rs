//! Printing to stdout: lines, JSON, and text for people.
//!
//! Claim values, issuer names and audiences are chosen by issuers and
//! holders, so they may hold characters that reorder, hide or break the text
//! around them on a screen or in a log. Everything printed goes out with
//! those characters escaped: in JSON as `\uXXXX`, in text for people as
//! Rust writes them, `\u{202e}` (see [`is_hidden`]).

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::Value as Json;

use super::Fail;

/// Writes `text` and a newline to stdout, flushed at once (the verify loop
/// answers each scan as it comes). A reader that has gone away (a closed
/// pipe, as with `| head -1`) is [`Fail::StdoutClosed`].
pub fn print_line(text: &str) -> Result<(), Fail> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).map_err(|e| match e.kind() {
        io::ErrorKind::BrokenPipe => Fail::StdoutClosed,
        _ => Fail::Message(format!("cannot write to stdout: {e}")),
    })
}

/// Prints `value` as one line of JSON.
pub fn print_json(value: &Json) -> Result<(), Fail> {
    print_line(&escape_json(&value.to_string()))
}

/// Prints `value` as indented JSON.
pub fn print_json_pretty(value: &Json) -> Result<(), Fail> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Fail::Message(format!("cannot format JSON: {e}")))?;
    print_line(&escape_json(&text))
}

/// Whether `c` is a control character (C0, DEL, C1), a bidirectional
/// embedding, override, isolate or mark (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C), or the line or paragraph separator (U+2028,
/// U+2029): characters that can make a screen show other text than the
/// string holds, or break a line where the reader expects none.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// serde_json's JSON text with every [`is_hidden`] character written as
/// `\uXXXX`.
///
/// serde_json escapes C0 controls inside strings but lets DEL and the rest
/// through, as JSON allows. Outside its strings JSON text is ASCII, C0 only
/// as the newlines of indented JSON, so escaping every hidden character
/// from DEL up wherever it occurs changes only strings, and they read back
/// the same.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c >= '\u{7f}' && is_hidden(c) {
            // Every such character is in the Basic Multilingual Plane: four digits.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for people, every [`is_hidden`] character written as `\u{202e}`
/// (its code point in hex, as Rust's `char::escape_unicode` writes it). A
/// backslash stays as it is: it cannot change how the rest is shown.
pub fn display_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_escapes_hidden_characters_and_reads_back_the_same() {
        let hostile =
            "a\u{80}\u{85}\u{9f}\u{61c}\u{200e}\u{200f}\u{202a}\u{202e}\u{2066}\u{2069}\u{2028}\u{2029}\u{1b}\u{7f}z";
        let value = json!({"name": hostile, hostile: [hostile]});
        let text = escape_json(&value.to_string());
        let escaped =
            "a\\u0080\\u0085\\u009f\\u061c\\u200e\\u200f\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029\\u001b\\u007fz";
        assert_eq!(text, format!("{{\"{escaped}\":[\"{escaped}\"],\"name\":\"{escaped}\"}}"));
        assert_eq!(serde_json::from_str::<Json>(&text).unwrap(), value);
        // Ordinary text, Chinese and emoji included, is left alone, and so
        // is the layout of indented JSON.
        let plain = json!({"name": "王小明 «é» \u{200b}😀 \\u202e", "n": [1]});
        for text in [plain.to_string(), serde_json::to_string_pretty(&plain).unwrap()] {
            assert_eq!(escape_json(&text), text);
        }
    }

    #[test]
    fn people_see_escapes_instead_of_hidden_characters() {
        assert_eq!(display_safe("王小明"), "王小明");
        assert_eq!(display_safe("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(display_safe("a\nb\tc\u{1b}[2J\u{85}\u{2028}"), "a\\u{a}b\\u{9}c\\u{1b}[2J\\u{85}\\u{2028}");
        assert_eq!(display_safe("\u{2066}x\u{2069}\u{61c}"), "\\u{2066}x\\u{2069}\\u{61c}");
    }
}
