//! `nocard doctypes`: the document types and their claims, example claims,
//! or what each profile accepts and requires.

use std::process::ExitCode;

use clap::Args as ClapArgs;
use serde_json::{Map, Value as Json, json};

use nocard::document::{ClaimDef, ClaimType, Derivation, DocKind, DocType, DocTypeId, Profile, Registry};

use super::claims_json::claims_to_json;
use super::output::print_json_pretty;
use super::{CmdResult, doc_type};

#[derive(ClapArgs)]
pub struct Args {
    /// Print sample claims JSON for this type, as `nocard issue` reads it.
    #[arg(long, value_name = "TYPE", conflicts_with = "profiles")]
    example: Option<String>,
    /// List the profiles instead: for each, the claims its views disclose,
    /// the document types it accepts and the claims it requires of each.
    #[arg(long)]
    profiles: bool,
}

pub fn run(args: &Args) -> CmdResult {
    let json = match &args.example {
        Some(name) => claims_to_json(&doc_type(name)?.example_claims()),
        None if args.profiles => Profile::ALL.iter().map(|&profile| profile_json(profile)).collect(),
        None => Registry::builtin().types().iter().map(doc_type_json).collect(),
    };
    print_json_pretty(&json)?;
    Ok(ExitCode::SUCCESS)
}

/// `{name, discloses, accepts}`: `discloses` is the claim names a view
/// carries (`null`: every claim); `accepts` is `[{doc_type, requires}]`,
/// or `null` for every document type with nothing required (the government
/// window).
fn profile_json(profile: Profile) -> Json {
    let registry = Registry::builtin();
    let accepts = profile.accepted_types().map(|names| {
        names
            .iter()
            .map(|&name| {
                let requires = registry.by_name(name).and_then(|doc| profile.required_for(doc)).unwrap_or_default();
                json!({"doc_type": name, "requires": requires})
            })
            .collect::<Json>()
    });
    json!({"name": profile.name(), "discloses": profile.wanted(), "accepts": accepts})
}

fn doc_type_json(doc: &DocType) -> Json {
    let code = match doc.id() {
        DocTypeId::Code(code) => Some(code),
        DocTypeId::Name(_) => None,
    };
    let kind = match doc.kind() {
        DocKind::Card => "card",
        DocKind::Proof => "proof",
    };
    json!({
        "name": doc.name(),
        "code": code,
        "title": doc.title(),
        "kind": kind,
        "claims": doc.claims().iter().map(claim_def_json).collect::<Json>(),
    })
}

/// `{code, name, type}`, plus `derived` for issuer-computed claims and
/// `fields` for records.
fn claim_def_json(def: &ClaimDef) -> Json {
    let mut object = Map::new();
    object.insert("code".into(), json!(def.code));
    object.insert("name".into(), json!(def.name));
    object.insert("type".into(), json!(def.ty.name()));
    if let Some(derivation) = def.derived {
        let derived = match derivation {
            Derivation::AgeOver(years) => json!({"age_over": years}),
            other => json!(format!("{other:?}")),
        };
        object.insert("derived".into(), derived);
    }
    if let ClaimType::Records(fields) = &def.ty {
        object.insert("fields".into(), fields.iter().map(claim_def_json).collect());
    }
    Json::Object(object)
}
