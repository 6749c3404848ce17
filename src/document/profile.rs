//! Purpose profiles: what each scene is allowed to see.
//!
//! Data minimisation is the programme's first security principle
//! ("脱敏使用"): an internet café needs to know the customer is an adult and
//! who they are, not where they live. A profile names the claims a scene
//! needs; applied to a document type it selects the ones that type has.

use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use super::{ClaimDef, DocType};

/// A scene that scans nocard codes, and the claims it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Profile {
    /// Hotel and B&B check-in registration: who is staying.
    HotelCheckIn,
    /// Internet café: who, and that they are an adult.
    InternetCafe,
    /// Petrol station bulk purchase register: who is buying.
    PetrolStation,
    /// Police roadside check of driver and vehicle.
    RoadsideCheck,
    /// Government service window: the whole document.
    GovernmentWindow,
    /// Self-service kiosk that fills in a form.
    KioskAutofill,
    /// Visitor registration at events and factory gates.
    VisitorLog,
}

const HOTEL: &[&str] = &["name", "sex", "birth_date", "id_number", "passport_number", "nationality"];
const CAFE: &[&str] = &["name", "id_number", "passport_number", "age_over_18"];
const PETROL: &[&str] = &["name", "id_number", "passport_number"];
const ROADSIDE: &[&str] = &[
    "name",
    "id_number",
    "passport_number",
    "owner",
    "photo_digest",
    "licence_class",
    "valid_until",
    "plate_number",
    "vehicle_type",
    "inspection_valid_until",
    "insurance_valid_until",
];
const KIOSK: &[&str] = &["name", "sex", "ethnicity", "birth_date", "address", "id_number"];
const VISITOR: &[&str] = &["name", "id_number", "passport_number"];

/// Each profile's accepted document types, each with the claims the scene
/// cannot do without. Every name is defined by its type (a unit test checks
/// it), so no requirement is ever skipped for want of a claim.
type Acceptance = &'static [(&'static str, &'static [&'static str])];

/// Hotel registration records who stays: an identity document with name,
/// sex, birth date and the document number (the household register is what
/// children without an ID card travel on).
const HOTEL_ACCEPTS: Acceptance = &[
    ("resident_id_card", &["name", "sex", "birth_date", "id_number"]),
    ("residence_permit", &["name", "sex", "birth_date", "id_number"]),
    ("household_register", &["name", "sex", "birth_date", "id_number"]),
    ("foreigner_passport", &["name", "sex", "birth_date", "passport_number", "nationality"]),
];
/// Internet cafés admit adults only, identified by an identity document.
const CAFE_ACCEPTS: Acceptance = &[
    ("resident_id_card", &["name", "id_number", "age_over_18"]),
    ("residence_permit", &["name", "id_number", "age_over_18"]),
    ("foreigner_passport", &["name", "passport_number", "age_over_18"]),
];
/// Bulk fuel purchases are registered to an identified buyer.
const PETROL_ACCEPTS: Acceptance = &[
    ("resident_id_card", &["name", "id_number"]),
    ("residence_permit", &["name", "id_number"]),
    ("foreigner_passport", &["name", "passport_number"]),
];
/// A roadside check wants the driver's licence, the vehicle's licence, and
/// identifies a driver by any identity document.
const ROADSIDE_ACCEPTS: Acceptance = &[
    ("driving_licence", &["name", "id_number", "licence_class", "valid_until"]),
    ("vehicle_licence", &["plate_number", "vehicle_type", "owner", "inspection_valid_until"]),
    ("resident_id_card", &["name", "id_number"]),
    ("residence_permit", &["name", "id_number"]),
    ("foreigner_passport", &["name", "passport_number"]),
];
/// A kiosk fills in a form from the identity card's face.
const KIOSK_ACCEPTS: Acceptance = &[
    ("resident_id_card", &["name", "sex", "birth_date", "id_number", "address"]),
    ("residence_permit", &["name", "sex", "birth_date", "id_number", "address"]),
];
/// A gate logs who came in, by any photo identity document.
const VISITOR_ACCEPTS: Acceptance = &[
    ("resident_id_card", &["name", "id_number"]),
    ("residence_permit", &["name", "id_number"]),
    ("foreigner_passport", &["name", "passport_number"]),
    ("driving_licence", &["name", "id_number"]),
];

impl Profile {
    /// Every profile, in a stable order.
    pub const ALL: [Profile; 7] = [
        Profile::HotelCheckIn,
        Profile::InternetCafe,
        Profile::PetrolStation,
        Profile::RoadsideCheck,
        Profile::GovernmentWindow,
        Profile::KioskAutofill,
        Profile::VisitorLog,
    ];

    /// Stable snake_case name used by the CLI and the bindings.
    pub fn name(self) -> &'static str {
        match self {
            Profile::HotelCheckIn => "hotel_check_in",
            Profile::InternetCafe => "internet_cafe",
            Profile::PetrolStation => "petrol_station",
            Profile::RoadsideCheck => "roadside_check",
            Profile::GovernmentWindow => "government_window",
            Profile::KioskAutofill => "kiosk_autofill",
            Profile::VisitorLog => "visitor_log",
        }
    }

    /// The claim names the scene asks for, or `None` for every claim.
    pub fn wanted(self) -> Option<&'static [&'static str]> {
        match self {
            Profile::HotelCheckIn => Some(HOTEL),
            Profile::InternetCafe => Some(CAFE),
            Profile::PetrolStation => Some(PETROL),
            Profile::RoadsideCheck => Some(ROADSIDE),
            Profile::GovernmentWindow => None,
            Profile::KioskAutofill => Some(KIOSK),
            Profile::VisitorLog => Some(VISITOR),
        }
    }

    /// The document types the scene accepts with the claims it requires of
    /// each, or `None` for every type with nothing required (the government
    /// window, where a clerk reads the whole document).
    fn acceptance(self) -> Option<Acceptance> {
        match self {
            Profile::HotelCheckIn => Some(HOTEL_ACCEPTS),
            Profile::InternetCafe => Some(CAFE_ACCEPTS),
            Profile::PetrolStation => Some(PETROL_ACCEPTS),
            Profile::RoadsideCheck => Some(ROADSIDE_ACCEPTS),
            Profile::GovernmentWindow => None,
            Profile::KioskAutofill => Some(KIOSK_ACCEPTS),
            Profile::VisitorLog => Some(VISITOR_ACCEPTS),
        }
    }

    /// The names of the document types the scene accepts, or `None` for every
    /// type (the government window only).
    pub fn accepted_types(self) -> Option<Vec<&'static str>> {
        self.acceptance().map(|types| types.iter().map(|(name, _)| *name).collect())
    }

    /// The claims a verifier running this profile requires of `doc`, or
    /// `None` if the profile does not accept `doc`. Every name is a claim of
    /// `doc`; a required boolean must also be true.
    pub fn required_for(self, doc: &DocType) -> Option<&'static [&'static str]> {
        match self.acceptance() {
            None => Some(&[]),
            Some(types) => types.iter().find(|(name, _)| *name == doc.name()).map(|(_, required)| *required),
        }
    }

    /// The claims of `doc` this profile discloses, in wire-code order; empty
    /// when the document has nothing the scene asks for.
    pub fn select(self, doc: &DocType) -> Vec<&ClaimDef> {
        doc.claims()
            .iter()
            .filter(|claim| self.wanted().is_none_or(|names| names.contains(&claim.name.as_ref())))
            .collect()
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not one of [`Profile::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownProfile;

impl core::error::Error for UnknownProfile {}

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown profile")
    }
}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, UnknownProfile> {
        Profile::ALL.into_iter().find(|p| p.name() == s).ok_or(UnknownProfile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{ClaimType, Registry};

    #[test]
    fn every_required_claim_is_defined_by_its_type() {
        let registry = Registry::builtin();
        for profile in Profile::ALL {
            for (name, required) in profile.acceptance().unwrap_or_default() {
                let doc = registry.by_name(name).unwrap_or_else(|| panic!("{profile}: no type {name}"));
                assert_eq!(profile.required_for(doc), Some(*required), "{profile} {name}");
                for claim in *required {
                    assert!(doc.claim(claim).is_some(), "{profile}: {name} has no {claim}");
                    assert!(
                        profile.wanted().is_none_or(|w| w.contains(claim)),
                        "{profile} requires {claim} but does not ask for it"
                    );
                }
            }
        }
    }

    #[test]
    fn identity_scenes_refuse_other_documents() {
        let registry = Registry::builtin();
        let health = registry.by_name("health_card").unwrap();
        let vehicle = registry.by_name("vehicle_licence").unwrap();
        for profile in [Profile::HotelCheckIn, Profile::InternetCafe, Profile::PetrolStation, Profile::KioskAutofill] {
            assert_eq!(profile.required_for(health), None, "{profile}");
            assert_eq!(profile.required_for(vehicle), None, "{profile}");
        }
        assert_eq!(
            Profile::RoadsideCheck.required_for(vehicle),
            Some(&["plate_number", "vehicle_type", "owner", "inspection_valid_until"][..])
        );
        assert_eq!(Profile::GovernmentWindow.required_for(health), Some(&[][..]));
        assert_eq!(Profile::GovernmentWindow.accepted_types(), None);
    }

    #[test]
    fn the_internet_cafe_requires_an_adult_predicate_that_is_a_bool() {
        let registry = Registry::builtin();
        for name in Profile::InternetCafe.accepted_types().unwrap() {
            let doc = registry.by_name(name).unwrap();
            assert!(Profile::InternetCafe.required_for(doc).unwrap().contains(&"age_over_18"));
            assert_eq!(doc.claim("age_over_18").map(|c| &c.ty), Some(&ClaimType::Bool), "{name}");
        }
    }
}
