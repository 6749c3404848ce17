//! Printing to stdout: lines and JSON.

use std::io::{self, Write};

use serde_json::Value as Json;

use super::{Fail, context};

/// Writes `text` and a newline to stdout, flushed at once (the verify loop
/// answers each scan as it comes).
pub fn print_line(text: &str) -> Result<(), Fail> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).map_err(context("cannot write to stdout"))
}

/// Prints `value` as one line of JSON.
pub fn print_json(value: &Json) -> Result<(), Fail> {
    print_line(&value.to_string())
}

/// Prints `value` as indented JSON.
pub fn print_json_pretty(value: &Json) -> Result<(), Fail> {
    let text = serde_json::to_string_pretty(value).map_err(context("cannot format JSON"))?;
    print_line(&text)
}
