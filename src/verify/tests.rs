use super::*;
use crate::document::{ClaimValue, Date};
use crate::presentation::Disclose;
use crate::testing::*;

#[test]
fn hotel_presentation_round_trips() {
    let p = present(Disclose::Profile(Profile::HotelCheckIn));
    let v = verifier(Algorithm::EdDsa).verify(p.to_text().as_bytes(), NOW).unwrap();
    assert_eq!(v.doc_type, "resident_id_card");
    assert_eq!(v.issuer, ISSUER);
    assert_eq!(v.issuer_algorithm, Algorithm::EdDsa);
    assert_eq!(v.device_algorithm, Algorithm::Es256);
    assert_eq!(v.status, Some(StatusRef { list: 7, index: 4242 }));
    let names: Vec<&str> = v.claims.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(names, ["name", "sex", "birth_date", "id_number"]);
    assert_eq!(v.claim("birth_date").unwrap().value, ClaimValue::Date(Date::from_ymd(1990, 5, 17).unwrap()));
    std::println!("hotel presentation: {} bytes, {} chars", p.as_bytes().len(), p.to_text().len());
}
