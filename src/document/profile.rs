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
const CAFE: &[&str] = &["name", "id_number", "age_over_18"];
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

    /// The claims a verifier running this profile insists on, where the
    /// document type has them; the rest of [`Profile::wanted`] is shown when
    /// the credential carries it.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Profile::InternetCafe => CAFE,
            Profile::HotelCheckIn => &["name", "sex", "birth_date", "id_number", "passport_number"],
            _ => &["name", "id_number", "passport_number"],
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
