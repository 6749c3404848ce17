//! Claims JSON: what `issue` reads and `verify` prints.
//!
//! text -> string, date -> "YYYY-MM-DD", integer -> integer, bool -> bool,
//! bytes -> lowercase hex string, records -> array of objects by field name.

use serde_json::{Value as Json, json};

use nocard::document::{Claim, ClaimDef, ClaimType, ClaimValue, Date, DocType};

/// Claims from a JSON object `{name: value}`, typed by `doc`'s definitions.
pub fn claims_from_json(doc: &DocType, json: &Json) -> Result<Vec<Claim>, String> {
    let object = json.as_object().ok_or("claims must be a JSON object {name: value}")?;
    object.iter().map(|(name, value)| claim_from_json(doc.claims(), name, value)).collect()
}

/// One claim, looked up by name in `defs`.
fn claim_from_json(defs: &[ClaimDef], name: &str, json: &Json) -> Result<Claim, String> {
    let def = defs.iter().find(|d| d.name == name).ok_or_else(|| format!("unknown claim {name:?}"))?;
    let value = value_from_json(&def.ty, json).map_err(|e| format!("claim {name:?}: {e}"))?;
    Ok(Claim::new(name.to_owned(), value))
}

/// A value of type `ty`.
fn value_from_json(ty: &ClaimType, json: &Json) -> Result<ClaimValue, String> {
    let wrong = || format!("expected {}", json_shape(ty));
    Ok(match ty {
        ClaimType::Text => ClaimValue::Text(json.as_str().ok_or_else(wrong)?.to_owned()),
        ClaimType::Date => {
            let text = json.as_str().ok_or_else(wrong)?;
            ClaimValue::Date(text.parse::<Date>().map_err(|e| e.to_string())?)
        }
        ClaimType::Integer => ClaimValue::Integer(json.as_i64().ok_or_else(wrong)?),
        ClaimType::Bool => ClaimValue::Bool(json.as_bool().ok_or_else(wrong)?),
        ClaimType::Bytes => ClaimValue::Bytes(hex_decode(json.as_str().ok_or_else(wrong)?).ok_or_else(wrong)?),
        ClaimType::Records(fields) => {
            let entries = json.as_array().ok_or_else(wrong)?;
            let entry = |e: &Json| -> Result<Vec<Claim>, String> {
                let object = e.as_object().ok_or_else(wrong)?;
                object.iter().map(|(name, value)| claim_from_json(fields, name, value)).collect()
            };
            ClaimValue::Records(entries.iter().map(entry).collect::<Result<_, _>>()?)
        }
        _ => {
            return Err(format!("claim type {} is not supported by this tool", ty.name()));
        }
    })
}

/// What the JSON for a claim type looks like, for error messages.
fn json_shape(ty: &ClaimType) -> &'static str {
    match ty {
        ClaimType::Text => "a string",
        ClaimType::Date => "a date string YYYY-MM-DD",
        ClaimType::Integer => "an integer",
        ClaimType::Bool => "true or false",
        ClaimType::Bytes => "a hex string",
        ClaimType::Records(_) => "an array of objects",
        _ => "a supported value",
    }
}

/// Claims as a JSON object `{name: value}`.
pub fn claims_to_json(claims: &[Claim]) -> Json {
    Json::Object(claims.iter().map(|c| (c.name.to_string(), value_to_json(&c.value))).collect())
}

pub fn value_to_json(value: &ClaimValue) -> Json {
    match value {
        ClaimValue::Text(t) => json!(t),
        ClaimValue::Date(d) => json!(d.to_string()),
        ClaimValue::Integer(i) => json!(i),
        ClaimValue::Bool(b) => json!(b),
        ClaimValue::Bytes(b) => json!(hex_encode(b)),
        ClaimValue::Records(entries) => entries.iter().map(|entry| claims_to_json(entry)).collect(),
        _ => Json::Null,
    }
}

pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]]).map(char::from).collect()
}

/// Hex (either case) to bytes; `None` if not an even number of hex digits.
pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    digits.chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use nocard::document::DocKind;

    use super::*;

    /// A custom type with every claim type, records included (no built-in
    /// type in this build has records).
    fn household() -> DocType {
        const MEMBER: &[ClaimDef] = &[
            ClaimDef::new(1, "name", ClaimType::Text),
            ClaimDef::new(2, "relation", ClaimType::Text),
            ClaimDef::new(3, "birth_date", ClaimType::Date),
        ];
        let claims = vec![
            ClaimDef::new(1, "head", ClaimType::Text),
            ClaimDef::new(2, "birth_date", ClaimType::Date),
            ClaimDef::new(3, "size", ClaimType::Integer),
            ClaimDef::new(4, "urban", ClaimType::Bool),
            ClaimDef::new(5, "seal", ClaimType::Bytes),
            ClaimDef::new(6, "members", ClaimType::Records(MEMBER.into())),
        ];
        DocType::custom("test.household", "Household", DocKind::Proof, claims).unwrap()
    }

    #[test]
    fn claims_json_round_trips_every_type() {
        let json = json!({
            "head": "王小明",
            "birth_date": "1990-05-17",
            "size": -2,
            "urban": true,
            "seal": "00ff10ab",
            "members": [
                {"name": "王小明", "relation": "户主", "birth_date": "1990-05-17"},
                {"name": "李红", "relation": "配偶"},
            ],
        });
        let claims = claims_from_json(&household(), &json).unwrap();
        assert_eq!(claims_to_json(&claims), json);
    }

    #[test]
    fn claims_json_refuses_wrong_shapes() {
        let doc = household();
        for bad in [
            json!({"size": 1.5}),
            json!({"seal": "0"}),
            json!({"seal": "zz"}),
            json!({"members": [{"nope": "x"}]}),
            json!({"members": {"name": "x"}}),
            json!({"birth_date": "17.05.1990"}),
            json!("head"),
        ] {
            assert!(claims_from_json(&doc, &bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex_encode(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00ABff"), Some(vec![0x00, 0xab, 0xff]));
        assert_eq!(hex_decode("0g"), None);
    }
}
