//! Policy vectors (SPEC.md §8.5): what a desk's configuration means, as data
//! a second implementation can replay. Each case is a presentation, a trust
//! store (issuer, key, scope) and a policy in JSON, and the exact result; the
//! config cases are configurations every verifier must refuse before it
//! verifies anything. The test builds the verifier *from the JSON*, so the
//! file is what is tested, then compares the whole file byte for byte.
//! Regenerate (only when the policy rules change on purpose) with
//! `NOCARD_WRITE_VECTORS=1 cargo test --test policy_vectors`.

use nocard::credential::Issuer;
use nocard::document::{Claim, ClaimValue, Date, Profile, Registry};
use nocard::error::Error;
use nocard::keys::{Algorithm, PublicKey, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::verify::{KeyScope, Policy, Requirement, TrustedKey, Verifier};
use serde_json::{Value, json};

mod common;
use common::{check_vector_file, claim_json};

const NOW: u64 = 1_795_420_800; // 2026-11-23T08:00:00Z
const ISSUER: &str = "NBPSB";
const YEAR: u64 = 365 * 86_400;

fn issuer_key() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap()
}

fn device_key() -> SecretKey {
    SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap()
}

/// The example claims of `doc`, with `birth_date` replaced when given.
fn claims(doc: &str, birth: Option<(i32, u8, u8)>) -> Vec<Claim> {
    let mut claims = Registry::builtin().by_name(doc).unwrap().example_claims();
    if let Some((y, m, d)) = birth {
        let claim = claims.iter_mut().find(|c| c.name == "birth_date").unwrap();
        claim.value = ClaimValue::Date(Date::from_ymd(y, m, d).unwrap());
    }
    claims
}

/// A credential to show, and how it is shown.
struct Shown {
    doc: &'static str,
    birth: Option<(i32, u8, u8)>,
    not_before: u64,
    issued_at: Option<u64>,
    disclose: Disclose,
    audience: Option<&'static str>,
}

impl Shown {
    fn card(disclose: Disclose) -> Self {
        Shown {
            doc: "resident_id_card",
            birth: None,
            not_before: NOW - YEAR,
            issued_at: None,
            disclose,
            audience: None,
        }
    }

    /// The `NC1:` text, presented at `NOW`, with fixed salts.
    fn text(&self) -> String {
        let doc = Registry::builtin().by_name(self.doc).unwrap().clone();
        let issuer = Issuer::new(ISSUER, issuer_key()).unwrap();
        let mut builder = issuer
            .credential(&doc, device_key().public_key(), claims(self.doc, self.birth))
            .validity(self.not_before, NOW + YEAR)
            .salt_seed([0x33; 32]);
        if let Some(iat) = self.issued_at {
            builder = builder.issued_at(iat);
        }
        let holder = Holder::new(builder.sign().unwrap(), device_key()).unwrap();
        let mut present = holder.present(self.disclose.clone()).at(NOW);
        if let Some(audience) = self.audience {
            present = present.audience(audience);
        }
        present.sign().unwrap().to_text()
    }
}

fn trust(scope: Value) -> Value {
    let public = issuer_key().public_key().clone();
    json!([{
        "issuer": ISSUER,
        "public_cose_key_hex": hex::encode(public.to_cose_key()),
        "kid_hex": public.id().to_string(),
        "scope": scope,
    }])
}

fn ids() -> Value {
    trust(json!(["resident_id_card"]))
}

/// The identity-card key with extra entry fields (`signs_from`,
/// `signs_until`, `compromised_at`).
fn ids_with(fields: Value) -> Value {
    let mut entry = ids()[0].clone();
    entry.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    json!([entry])
}

/// Builds a verifier from the JSON form of a trust store and a policy.
fn verifier(trust: &Value, policy: &Value) -> Result<Verifier, Error> {
    let mut keys = Vec::new();
    for entry in trust.as_array().unwrap() {
        let key = PublicKey::from_cose_key(&hex::decode(entry["public_cose_key_hex"].as_str().unwrap()).unwrap())?;
        let scope = match &entry["scope"] {
            Value::String(s) if s == "*" => KeyScope::AllTypes,
            Value::Array(names) => KeyScope::types(&names.iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>())?,
            other => panic!("scope {other}"),
        };
        let mut key = TrustedKey::new(entry["issuer"].as_str().unwrap(), key, scope)?;
        if entry.get("signs_from").is_some() || entry.get("signs_until").is_some() {
            let from = entry["signs_from"].as_u64().unwrap_or(0);
            key = key.signs_between(from, entry["signs_until"].as_u64().unwrap_or(u64::MAX))?;
        }
        if let Some(at) = entry["compromised_at"].as_u64() {
            key = key.compromised_at(at);
        }
        keys.push(key);
    }
    let mut p = Policy::default();
    if let Some(skew) = policy["skew"].as_u64() {
        p = p.clock_skew(skew)?;
    }
    if let Some(profile) = policy["profile"].as_str() {
        p = p.profile(profile.parse::<Profile>().unwrap());
    }
    if let Some(challenge) = policy["challenge"].as_u64() {
        p = p.challenge(u32::try_from(challenge).unwrap())?;
    }
    if let Some(audience) = policy["audience"].as_str() {
        p = p.audience(audience)?;
    }
    let registry = Registry::builtin();
    for spec in policy["require"].as_array().into_iter().flatten() {
        p = p.require(Requirement::parse(spec.as_str().unwrap(), &registry)?);
    }
    Verifier::new(keys, p)
}

fn case(name: &str, shown: &Shown, trust: Value, policy: Value) -> Value {
    let text = shown.text();
    let result = match verifier(&trust, &policy).unwrap().verify(text.as_bytes(), NOW) {
        Ok(v) => json!({
            "valid": true,
            "doc_type": v.doc_type,
            "presentation_id_hex": hex::encode(v.presentation_id),
            "claims": v.claims.iter().map(|c| (c.name.to_string(), claim_json(&c.value))).collect::<serde_json::Map<_, _>>(),
        }),
        Err(e) => json!({"valid": false, "error": e.code()}),
    };
    json!({"name": name, "text": text, "at": NOW, "trust": trust, "policy": policy, "result": result})
}

fn config_case(name: &str, trust: Value, policy: Value) -> Value {
    let detail = match verifier(&trust, &policy) {
        Err(Error::InvalidConfig(e)) => e.code(),
        other => panic!("{name}: expected invalid_config, got {:?}", other.map(|_| ())),
    };
    json!({"name": name, "trust": trust, "policy": policy, "error": "invalid_config", "detail": detail})
}

fn build() -> Value {
    let hotel = Shown::card(Disclose::Profile(Profile::HotelCheckIn));
    let cafe = |birth| Shown { birth: Some(birth), ..Shown::card(Disclose::Profile(Profile::InternetCafe)) };
    let minor = cafe((2012, 3, 1));
    let other_doc = |doc, disclose| Shown { doc, ..Shown::card(disclose) };
    let health = other_doc("health_card", Disclose::Profile(Profile::GovernmentWindow));
    let plate = other_doc("vehicle_licence", Disclose::Claims(vec!["plate_number".into()]));
    let addressed = Shown { audience: Some("hotel:NB-0001"), ..Shown::card(Disclose::Profile(Profile::HotelCheckIn)) };
    let issued_later = Shown { issued_at: Some(NOW + 11), ..Shown::card(Disclose::Profile(Profile::HotelCheckIn)) };
    // 18 on 2026-11-20, credential valid from 2026-11-01: not an adult.
    let turned_18 = Shown {
        birth: Some((2008, 11, 20)),
        not_before: NOW - 22 * 86_400,
        ..Shown::card(Disclose::Claims(vec!["age_over_16".into(), "age_over_18".into()]))
    };
    let none = json!({});
    let cases = vec![
        case("hotel_scoped_key", &hotel, ids(), json!({"profile": "hotel_check_in"})),
        case("key_scoped_to_diplomas", &hotel, trust(json!(["university_diploma"])), none.clone()),
        case("key_for_every_type", &health, trust(json!("*")), none.clone()),
        case("cafe_adult", &cafe((1990, 5, 17)), ids(), json!({"profile": "internet_cafe"})),
        case("cafe_minor", &minor, ids(), json!({"profile": "internet_cafe"})),
        case("require_predicate_true", &minor, ids(), json!({"require": ["age_over_18"]})),
        case("require_predicate_false", &minor, ids(), json!({"require": ["age_over_18=false"]})),
        case("require_undisclosed", &hotel, ids(), json!({"require": ["address"]})),
        case("health_card_at_cafe", &health, trust(json!("*")), json!({"profile": "internet_cafe"})),
        case("plate_at_hotel", &plate, trust(json!("*")), json!({"profile": "hotel_check_in"})),
        case("plate_at_roadside", &plate, trust(json!("*")), json!({"profile": "roadside_check"})),
        case("audience_expected_none_given", &hotel, ids(), json!({"audience": "hotel:NB-0001"})),
        case("audience_given_none_expected", &addressed, ids(), none.clone()),
        case("audience_other_desk", &addressed, ids(), json!({"audience": "cafe:NB-0002"})),
        case("audience_match", &addressed, ids(), json!({"audience": "hotel:NB-0001"})),
        case("issued_in_future", &issued_later, ids(), none.clone()),
        case("issued_within_skew", &issued_later, ids(), json!({"skew": 11})),
        case("age_derived_at_not_before", &turned_18, ids(), none.clone()),
        // Issue time: `iat` when present, else `nbf` (NOW - YEAR here).
        case("key_signing_period_holds_nbf", &hotel, ids_with(json!({"signs_from": NOW - YEAR})), none.clone()),
        case("key_rotated_out_before_issue", &hotel, ids_with(json!({"signs_until": NOW - YEAR})), none.clone()),
        case("key_signing_period_by_iat", &issued_later, ids_with(json!({"signs_from": NOW})), json!({"skew": 11})),
        case("key_compromised_after_issue", &hotel, ids_with(json!({"compromised_at": NOW - YEAR + 1})), none.clone()),
        case("key_compromised_at_issue", &hotel, ids_with(json!({"compromised_at": NOW - YEAR})), none.clone()),
    ];
    let twice = json!([ids()[0].clone(), trust(json!(["health_card"]))[0].clone()]);
    let config = vec![
        config_case("skew_above_300", ids(), json!({"skew": 301})),
        config_case("challenge_above_999999", ids(), json!({"challenge": 1_000_000})),
        config_case("audience_empty", ids(), json!({"audience": ""})),
        config_case("empty_scope", trust(json!([])), none.clone()),
        config_case("misspelled_scope", trust(json!(["resident_id_crad"])), none.clone()),
        config_case("same_key_twice", twice, none.clone()),
        config_case("empty_signing_period", ids_with(json!({"signs_from": NOW, "signs_until": NOW})), none.clone()),
        config_case("misspelled_requirement", ids(), json!({"require": ["age_over_81"]})),
        config_case("requirement_value_type", ids(), json!({"require": ["age_over_18=yes"]})),
        config_case(
            "requirement_outside_profile",
            ids(),
            json!({"profile": "internet_cafe", "require": ["plate_number"]}),
        ),
    ];
    json!({
        "description": "nocard policy vectors; see SPEC.md §8.5",
        "issuer_seed_hex": hex::encode([0x11; 32]),
        "device_seed_hex": hex::encode([0x22; 32]),
        "cases": cases,
        "config_rejections": config,
    })
}

#[test]
fn policy_vectors_are_reproduced_byte_for_byte() {
    check_vector_file("policy.json", &build(), "the policy rules changed: update SPEC.md and regenerate together");
}

#[test]
fn every_case_has_the_result_the_spec_gives() {
    let built = build();
    let results: Vec<(&str, &str)> = built["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let r = &c["result"];
            (
                c["name"].as_str().unwrap(),
                if r["valid"].as_bool().unwrap() { "valid" } else { r["error"].as_str().unwrap() },
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("hotel_scoped_key", "valid"),
            ("key_scoped_to_diplomas", "key_not_allowed_for_doc_type"),
            ("key_for_every_type", "valid"),
            ("cafe_adult", "valid"),
            ("cafe_minor", "requirement_not_met"),
            ("require_predicate_true", "requirement_not_met"),
            ("require_predicate_false", "valid"),
            ("require_undisclosed", "missing_required_claim"),
            ("health_card_at_cafe", "doc_type_not_accepted"),
            ("plate_at_hotel", "doc_type_not_accepted"),
            ("plate_at_roadside", "missing_required_claim"),
            ("audience_expected_none_given", "audience_missing"),
            ("audience_given_none_expected", "audience_mismatch"),
            ("audience_other_desk", "audience_mismatch"),
            ("audience_match", "valid"),
            ("issued_in_future", "credential_issued_in_future"),
            ("issued_within_skew", "valid"),
            ("age_derived_at_not_before", "valid"),
            ("key_signing_period_holds_nbf", "valid"),
            ("key_rotated_out_before_issue", "issued_outside_key_period"),
            ("key_signing_period_by_iat", "valid"),
            ("key_compromised_after_issue", "valid"),
            ("key_compromised_at_issue", "issuer_key_compromised"),
        ]
    );
    let turned_18 = &built["cases"][17]["result"]["claims"];
    assert_eq!((&turned_18["age_over_16"], &turned_18["age_over_18"]), (&json!(true), &json!(false)));
    let details: Vec<&str> =
        built["config_rejections"].as_array().unwrap().iter().map(|c| c["detail"].as_str().unwrap()).collect();
    assert_eq!(
        details,
        [
            "clock_skew",
            "challenge",
            "audience",
            "empty_key_scope",
            "unknown_doc_type_name",
            "duplicate_key",
            "key_validity",
            "unknown_claim_name",
            "requirement_value",
            "unknown_claim_name",
        ]
    );
}
