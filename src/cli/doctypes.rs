//! `nocard doctypes`: the document types and their claims, or example claims.

use std::process::ExitCode;

use clap::Args as ClapArgs;
use serde_json::{Map, Value as Json, json};

use nocard::document::{ClaimDef, ClaimType, Derivation, DocKind, DocType, DocTypeId, Registry};

use super::claims_json::claims_to_json;
use super::output::print_json_pretty;
use super::{CmdResult, doc_type};

#[derive(ClapArgs)]
pub struct Args {
    /// Print sample claims JSON for this type, as `nocard issue` reads it.
    #[arg(long, value_name = "TYPE")]
    example: Option<String>,
}

pub fn run(args: &Args) -> CmdResult {
    let json = match &args.example {
        Some(name) => claims_to_json(&doc_type(name)?.example_claims()),
        None => Registry::builtin().types().iter().map(doc_type_json).collect(),
    };
    print_json_pretty(&json)?;
    Ok(ExitCode::SUCCESS)
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
