//! The built-in document types: the 21 cards and 7 proofs of the no-card
//! programmes (CONTEXT.md), and the registry verifiers look types up in.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use super::ClaimType::{Bool, Bytes, Date, Integer, Records, Text};
use super::Derivation::AgeOver;
use super::DocKind::{Card, Proof};
use super::{ClaimDef, DocType, DocTypeError, DocTypeId};

const fn c(code: u32, name: &'static str, ty: super::ClaimType) -> ClaimDef {
    ClaimDef::new(code, name, ty)
}

/// 居民身份证. Codes 1-4 are the hotel view; keep them below 24 (one byte).
const RESIDENT_ID_CARD: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "ethnicity", Text),
    c(6, "address", Text),
    c(7, "issuing_authority", Text),
    c(8, "valid_from", Date),
    c(9, "valid_until", Date),
    c(10, "photo_digest", Bytes),
    ClaimDef::derived(11, "age_over_16", AgeOver(16)),
    ClaimDef::derived(12, "age_over_18", AgeOver(18)),
];

/// 机动车驾驶证. The licence number is the holder's citizen ID number.
const DRIVING_LICENCE: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "licence_class", Text),
    c(6, "valid_until", Date),
    c(7, "photo_digest", Bytes),
    c(8, "valid_from", Date),
    c(9, "licence_status", Text),
    c(10, "first_issue_date", Date),
    c(11, "nationality", Text),
    c(12, "address", Text),
    c(13, "file_number", Text),
    c(14, "issuing_authority", Text),
    ClaimDef::derived(15, "age_over_16", AgeOver(16)),
    ClaimDef::derived(16, "age_over_18", AgeOver(18)),
];

/// 机动车行驶证. The owner (所有人) may be an organisation, so it is not `name`.
const VEHICLE_LICENCE: &[ClaimDef] = &[
    c(1, "plate_number", Text),
    c(2, "vehicle_type", Text),
    c(3, "owner", Text),
    c(4, "inspection_valid_until", Date),
    c(5, "vin", Text),
    c(6, "brand_model", Text),
    c(7, "use_character", Text),
    c(8, "engine_number", Text),
    c(9, "registration_date", Date),
    c(10, "issue_date", Date),
    c(11, "approved_passengers", Integer),
    c(12, "address", Text),
    c(13, "file_number", Text),
    c(14, "issuing_authority", Text),
];

/// 居住证: the same fields as the resident identity card, by design.
const RESIDENCE_PERMIT: &[ClaimDef] = RESIDENT_ID_CARD;

/// 电动自行车防盗登记.
const EBIKE_REGISTRATION: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "id_number", Text),
    c(3, "plate_number", Text),
    c(4, "brand_model", Text),
    c(5, "colour", Text),
    c(6, "frame_number", Text),
    c(7, "motor_number", Text),
    c(8, "anti_theft_tag", Text),
    c(9, "registration_date", Date),
    c(10, "issuing_authority", Text),
];

/// 户口簿成员 (常住人口登记卡): one entry of `members`.
const MEMBER_FIELDS: &[ClaimDef] = &[
    c(1, "relation_to_head", Text),
    c(2, "name", Text),
    c(3, "sex", Integer),
    c(4, "birth_date", Date),
    c(5, "id_number", Text),
    c(6, "ethnicity", Text),
];

/// 居民户口簿: the holder's own page, the household, and every member.
const HOUSEHOLD_REGISTER: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "ethnicity", Text),
    c(6, "address", Text),
    c(7, "relation_to_head", Text),
    c(8, "members", Records(Cow::Borrowed(MEMBER_FIELDS))),
    c(9, "household_number", Text),
    c(10, "household_type", Text),
    c(11, "birthplace", Text),
    c(12, "issuing_authority", Text),
    c(13, "issue_date", Date),
    ClaimDef::derived(14, "age_over_16", AgeOver(16)),
    ClaimDef::derived(15, "age_over_18", AgeOver(18)),
];

/// 结婚证.
const MARRIAGE_CERTIFICATE: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "spouse_name", Text),
    c(6, "spouse_id_number", Text),
    c(7, "registration_date", Date),
    c(8, "certificate_number", Text),
    c(9, "issuing_authority", Text),
    c(10, "nationality", Text),
    c(11, "spouse_sex", Integer),
    c(12, "spouse_birth_date", Date),
    c(13, "spouse_nationality", Text),
    c(14, "photo_digest", Bytes),
];

/// 电子健康卡.
const HEALTH_CARD: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "card_number", Text),
    c(6, "issuing_authority", Text),
    c(7, "issue_date", Date),
    c(8, "valid_until", Date),
];

/// 社会保障卡. The social security number is the citizen ID number.
const SOCIAL_SECURITY_CARD: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "card_number", Text),
    c(6, "issuing_authority", Text),
    c(7, "issue_date", Date),
    c(8, "valid_until", Date),
    c(9, "photo_digest", Bytes),
    ClaimDef::derived(10, "age_over_16", AgeOver(16)),
    ClaimDef::derived(11, "age_over_18", AgeOver(18)),
];

/// 律师执业证.
const LAWYER_LICENCE: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "id_number", Text),
    c(4, "certificate_number", Text),
    c(5, "law_firm", Text),
    c(6, "licence_category", Text),
    c(7, "annual_review", Text),
    c(8, "issuing_authority", Text),
    c(9, "issue_date", Date),
    c(10, "photo_digest", Bytes),
];

/// 最低生活保障证 (低保证). The allowance is in fen (0.01 yuan) a month.
const SUBSISTENCE_ALLOWANCE_CARD: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "id_number", Text),
    c(3, "certificate_number", Text),
    c(4, "allowance_category", Text),
    c(5, "household_size", Integer),
    c(6, "monthly_allowance_fen", Integer),
    c(7, "address", Text),
    c(8, "issuing_authority", Text),
    c(9, "issue_date", Date),
    c(10, "valid_until", Date),
];

/// 机动车交通事故责任强制保险单 (交强险).
const COMPULSORY_MOTOR_INSURANCE: &[ClaimDef] = &[
    c(1, "plate_number", Text),
    c(2, "vehicle_type", Text),
    c(3, "insurance_valid_until", Date),
    c(4, "insurance_valid_from", Date),
    c(5, "policy_number", Text),
    c(6, "insurer", Text),
    c(7, "insured", Text),
    c(8, "vin", Text),
    c(9, "engine_number", Text),
    c(10, "use_character", Text),
    c(11, "issue_date", Date),
];

/// 商业险承保险种: one entry of `coverages`; the sum insured is in fen.
const COVERAGE_FIELDS: &[ClaimDef] = &[c(1, "coverage", Text), c(2, "sum_insured_fen", Integer)];

/// 机动车商业保险单.
const COMMERCIAL_MOTOR_INSURANCE: &[ClaimDef] = &[
    c(1, "plate_number", Text),
    c(2, "vehicle_type", Text),
    c(3, "insurance_valid_until", Date),
    c(4, "insurance_valid_from", Date),
    c(5, "policy_number", Text),
    c(6, "insurer", Text),
    c(7, "insured", Text),
    c(8, "coverages", Records(Cow::Borrowed(COVERAGE_FIELDS))),
    c(9, "vin", Text),
    c(10, "engine_number", Text),
    c(11, "brand_model", Text),
    c(12, "issue_date", Date),
];

/// 道路运输证. The operator (业户) is usually a business, so it is not `name`.
const ROAD_TRANSPORT_PERMIT: &[ClaimDef] = &[
    c(1, "plate_number", Text),
    c(2, "vehicle_type", Text),
    c(3, "certificate_number", Text),
    c(4, "operator", Text),
    c(5, "valid_until", Date),
    c(6, "review_valid_until", Date),
    c(7, "business_licence_number", Text),
    c(8, "business_scope", Text),
    c(9, "seats_or_tonnage", Text),
    c(10, "address", Text),
    c(11, "issuing_authority", Text),
    c(12, "issue_date", Date),
];

/// 道路运输从业人员从业资格证. Its number is the holder's citizen ID number.
const ROAD_TRANSPORT_WORKER_QUALIFICATION: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "qualification_category", Text),
    c(6, "licence_class", Text),
    c(7, "valid_until", Date),
    c(8, "photo_digest", Bytes),
    c(9, "valid_from", Date),
    c(10, "first_issue_date", Date),
    c(11, "issuing_authority", Text),
];

/// 外国人护照 (ICAO 9303 e-passport). Nationality and issuing state are
/// ICAO three-letter codes; sex X is GB/T 2261.1 code 9.
const FOREIGNER_PASSPORT: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "passport_number", Text),
    c(5, "nationality", Text),
    c(6, "valid_until", Date),
    c(7, "photo_digest", Bytes),
    c(8, "issuing_state", Text),
    c(9, "issue_date", Date),
    c(10, "place_of_birth", Text),
    c(11, "issuing_authority", Text),
    ClaimDef::derived(12, "age_over_16", AgeOver(16)),
    ClaimDef::derived(13, "age_over_18", AgeOver(18)),
];

/// 残疾人证. Its number is the citizen ID number plus category and level digits.
const DISABILITY_CARD: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "certificate_number", Text),
    c(6, "disability_category", Text),
    c(7, "disability_level", Integer),
    c(8, "address", Text),
    c(9, "issuing_authority", Text),
    c(10, "issue_date", Date),
    c(11, "valid_until", Date),
    c(12, "photo_digest", Bytes),
];

/// 高等学校毕业证书.
const UNIVERSITY_DIPLOMA: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "institution", Text),
    c(6, "major", Text),
    c(7, "education_level", Text),
    c(8, "study_mode", Text),
    c(9, "study_period", Text),
    c(10, "certificate_number", Text),
    c(11, "issue_date", Date),
    c(12, "photo_digest", Bytes),
];

/// 出生医学证明. The newborn has no ID number yet; the parents' are recorded.
const BIRTH_MEDICAL_CERTIFICATE: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "birthplace", Text),
    c(5, "mother_name", Text),
    c(6, "mother_id_number", Text),
    c(7, "father_name", Text),
    c(8, "father_id_number", Text),
    c(9, "certificate_number", Text),
    c(10, "medical_institution", Text),
    c(11, "birth_weight_grams", Integer),
    c(12, "issuing_authority", Text),
    c(13, "issue_date", Date),
];

/// 教师资格证书.
const TEACHER_QUALIFICATION: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "qualification_category", Text),
    c(6, "subject", Text),
    c(7, "certificate_number", Text),
    c(8, "issuing_authority", Text),
    c(9, "issue_date", Date),
    c(10, "ethnicity", Text),
    c(11, "photo_digest", Bytes),
];

/// 学位证书.
const ACADEMIC_DEGREE: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "degree", Text),
    c(6, "major", Text),
    c(7, "institution", Text),
    c(8, "certificate_number", Text),
    c(9, "issue_date", Date),
    c(10, "photo_digest", Bytes),
];

/// 亲属关系: one entry of `relations`; `relation` is the relative's relation
/// to the holder (父亲, 母亲, 配偶, 子, 女, ...).
const RELATION_FIELDS: &[ClaimDef] = &[c(1, "relation", Text), c(2, "name", Text), c(3, "id_number", Text)];

/// 亲属关系证明.
const KINSHIP_RELATION_PROOF: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "id_number", Text),
    c(3, "relations", Records(Cow::Borrowed(RELATION_FIELDS))),
    c(4, "purpose", Text),
    c(5, "issuing_authority", Text),
    c(6, "issue_date", Date),
    c(7, "valid_until", Date),
    c(8, "certificate_number", Text),
];

/// 无犯罪记录证明. Issued only when the search found nothing, so
/// `has_record` is false on every genuine proof.
const NO_CRIMINAL_RECORD_PROOF: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "id_number", Text),
    c(4, "has_record", Bool),
    c(5, "purpose", Text),
    c(6, "issuing_authority", Text),
    c(7, "issue_date", Date),
    c(8, "valid_until", Date),
    c(9, "certificate_number", Text),
];

/// 流动人口登记证明 (居住登记).
const FLOATING_POPULATION_REGISTRATION_PROOF: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "id_number", Text),
    c(4, "address", Text),
    c(5, "household_address", Text),
    c(6, "registration_date", Date),
    c(7, "residence_reason", Text),
    c(8, "issuing_authority", Text),
    c(9, "issue_date", Date),
    c(10, "valid_until", Date),
    c(11, "certificate_number", Text),
];

/// 驾驶人信息单. `valid_until` is the proof's; the licence's is `licence_valid_until`.
const DRIVER_INFORMATION_EXTRACT: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "id_number", Text),
    c(3, "licence_class", Text),
    c(4, "licence_status", Text),
    c(5, "licence_valid_until", Date),
    c(6, "penalty_points", Integer),
    c(7, "unresolved_violations", Integer),
    c(8, "first_issue_date", Date),
    c(9, "issuing_authority", Text),
    c(10, "issue_date", Date),
    c(11, "valid_until", Date),
    c(12, "certificate_number", Text),
];

/// 机动车信息单, issued to the owner.
const VEHICLE_INFORMATION_EXTRACT: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "id_number", Text),
    c(3, "plate_number", Text),
    c(4, "vehicle_type", Text),
    c(5, "vehicle_status", Text),
    c(6, "inspection_valid_until", Date),
    c(7, "vin", Text),
    c(8, "brand_model", Text),
    c(9, "use_character", Text),
    c(10, "registration_date", Date),
    c(11, "issuing_authority", Text),
    c(12, "issue_date", Date),
    c(13, "valid_until", Date),
    c(14, "certificate_number", Text),
];

/// 户籍登记项目变更: one entry of `changes` (姓名, 出生日期, 公民身份号码, 民族, ...).
const CHANGE_FIELDS: &[ClaimDef] =
    &[c(1, "item", Text), c(2, "value_before", Text), c(3, "value_after", Text), c(4, "change_date", Date)];

/// 户口变更证明. `name` and `id_number` are the current ones.
const HOUSEHOLD_CHANGE_PROOF: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "id_number", Text),
    c(3, "changes", Records(Cow::Borrowed(CHANGE_FIELDS))),
    c(4, "change_reason", Text),
    c(5, "issuing_authority", Text),
    c(6, "issue_date", Date),
    c(7, "valid_until", Date),
    c(8, "certificate_number", Text),
];

/// 户口注销证明.
const HOUSEHOLD_CANCELLATION_PROOF: &[ClaimDef] = &[
    c(1, "name", Text),
    c(2, "sex", Integer),
    c(3, "birth_date", Date),
    c(4, "id_number", Text),
    c(5, "cancellation_reason", Text),
    c(6, "cancellation_date", Date),
    c(7, "household_address", Text),
    c(8, "issuing_authority", Text),
    c(9, "issue_date", Date),
    c(10, "valid_until", Date),
    c(11, "certificate_number", Text),
];

/// Every built-in type, by code.
const BUILTIN: &[DocType] = &[
    DocType::builtin(1, "resident_id_card", "Resident identity card 居民身份证", Card, RESIDENT_ID_CARD),
    DocType::builtin(2, "driving_licence", "Motor vehicle driving licence 机动车驾驶证", Card, DRIVING_LICENCE),
    DocType::builtin(3, "vehicle_licence", "Motor vehicle licence 机动车行驶证", Card, VEHICLE_LICENCE),
    DocType::builtin(4, "residence_permit", "Residence permit 居住证", Card, RESIDENCE_PERMIT),
    DocType::builtin(
        5,
        "ebike_registration",
        "E-bike anti-theft registration 电动自行车防盗登记",
        Card,
        EBIKE_REGISTRATION,
    ),
    DocType::builtin(6, "household_register", "Household register 居民户口簿", Card, HOUSEHOLD_REGISTER),
    DocType::builtin(7, "marriage_certificate", "Marriage certificate 结婚证", Card, MARRIAGE_CERTIFICATE),
    DocType::builtin(8, "health_card", "Electronic health card 电子健康卡", Card, HEALTH_CARD),
    DocType::builtin(9, "social_security_card", "Social security card 社会保障卡", Card, SOCIAL_SECURITY_CARD),
    DocType::builtin(10, "lawyer_licence", "Lawyer's practising licence 律师执业证", Card, LAWYER_LICENCE),
    DocType::builtin(
        11,
        "subsistence_allowance_card",
        "Subsistence allowance card 最低生活保障证",
        Card,
        SUBSISTENCE_ALLOWANCE_CARD,
    ),
    DocType::builtin(
        12,
        "compulsory_motor_insurance",
        "Compulsory motor insurance policy 机动车交通事故责任强制保险单",
        Card,
        COMPULSORY_MOTOR_INSURANCE,
    ),
    DocType::builtin(
        13,
        "commercial_motor_insurance",
        "Commercial motor insurance policy 机动车商业保险单",
        Card,
        COMMERCIAL_MOTOR_INSURANCE,
    ),
    DocType::builtin(14, "road_transport_permit", "Road transport permit 道路运输证", Card, ROAD_TRANSPORT_PERMIT),
    DocType::builtin(
        15,
        "road_transport_worker_qualification",
        "Road transport worker qualification 道路运输从业人员从业资格证",
        Card,
        ROAD_TRANSPORT_WORKER_QUALIFICATION,
    ),
    DocType::builtin(16, "foreigner_passport", "Foreigner's passport 外国人护照", Card, FOREIGNER_PASSPORT),
    DocType::builtin(17, "disability_card", "Disability card 残疾人证", Card, DISABILITY_CARD),
    DocType::builtin(18, "university_diploma", "University diploma 高等学校毕业证书", Card, UNIVERSITY_DIPLOMA),
    DocType::builtin(
        19,
        "birth_medical_certificate",
        "Birth medical certificate 出生医学证明",
        Card,
        BIRTH_MEDICAL_CERTIFICATE,
    ),
    DocType::builtin(
        20,
        "teacher_qualification",
        "Teacher qualification certificate 教师资格证书",
        Card,
        TEACHER_QUALIFICATION,
    ),
    DocType::builtin(21, "academic_degree", "Academic degree certificate 学位证书", Card, ACADEMIC_DEGREE),
    DocType::builtin(
        22,
        "kinship_relation_proof",
        "Kinship relation proof 亲属关系证明",
        Proof,
        KINSHIP_RELATION_PROOF,
    ),
    DocType::builtin(
        23,
        "no_criminal_record_proof",
        "No-criminal-record proof 无犯罪记录证明",
        Proof,
        NO_CRIMINAL_RECORD_PROOF,
    ),
    DocType::builtin(
        24,
        "floating_population_registration_proof",
        "Floating population registration proof 流动人口登记证明",
        Proof,
        FLOATING_POPULATION_REGISTRATION_PROOF,
    ),
    DocType::builtin(
        25,
        "driver_information_extract",
        "Driver information extract 驾驶人信息单",
        Proof,
        DRIVER_INFORMATION_EXTRACT,
    ),
    DocType::builtin(
        26,
        "vehicle_information_extract",
        "Vehicle information extract 机动车信息单",
        Proof,
        VEHICLE_INFORMATION_EXTRACT,
    ),
    DocType::builtin(
        27,
        "household_change_proof",
        "Household registration change proof 户口登记项目变更证明",
        Proof,
        HOUSEHOLD_CHANGE_PROOF,
    ),
    DocType::builtin(
        28,
        "household_cancellation_proof",
        "Household registration cancellation proof 户口注销证明",
        Proof,
        HOUSEHOLD_CANCELLATION_PROOF,
    ),
];

/// The document types a verifier or issuer knows.
#[derive(Clone, Debug)]
pub struct Registry {
    types: Vec<DocType>,
}

impl Registry {
    /// The built-in types only.
    pub fn builtin() -> Self {
        Self { types: BUILTIN.to_vec() }
    }

    /// Adds a custom type; refused if its name is already taken.
    pub fn add(&mut self, doc: DocType) -> Result<(), DocTypeError> {
        if self.by_name(doc.name()).is_some() {
            return Err(DocTypeError::BadName);
        }
        self.types.push(doc);
        Ok(())
    }

    /// All types, built-in first.
    pub fn types(&self) -> &[DocType] {
        &self.types
    }

    /// The type with this stable name.
    pub fn by_name(&self, name: &str) -> Option<&DocType> {
        self.types.iter().find(|d| d.name() == name)
    }

    /// The type with this wire id.
    pub fn get(&self, id: &DocTypeId) -> Option<&DocType> {
        match id {
            DocTypeId::Code(code) => self.types.iter().find(|d| d.code == Some(*code)),
            DocTypeId::Name(name) => self.types.iter().find(|d| d.code.is_none() && d.name() == name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ClaimType, Derivation, DocKind};
    use super::*;
    use alloc::vec;

    #[test]
    fn builtin_types_are_well_formed() {
        for (i, doc) in BUILTIN.iter().enumerate() {
            assert_eq!(doc.check(), Ok(()), "{}", doc.name());
            assert!(BUILTIN[..i].iter().all(|d| d.code != doc.code && d.name() != doc.name()), "{}", doc.name());
        }
    }

    #[test]
    fn builtin_has_21_cards_then_7_proofs_coded_1_to_28() {
        assert_eq!(BUILTIN.len(), 28);
        for (i, doc) in BUILTIN.iter().enumerate() {
            let code = u16::try_from(i + 1).unwrap();
            assert_eq!(doc.id(), DocTypeId::Code(code), "{}", doc.name());
            let kind = if code <= 21 { DocKind::Card } else { DocKind::Proof };
            assert_eq!(doc.kind(), kind, "{}", doc.name());
        }
        assert_eq!(BUILTIN.iter().filter(|d| d.kind() == DocKind::Card).count(), 21);
        assert_eq!(BUILTIN.iter().filter(|d| d.kind() == DocKind::Proof).count(), 7);
    }

    /// Codes run 1, 2, 3, ... in table order, in every type and every record,
    /// so the commonly disclosed claims stay in the one-byte range (below 24).
    #[test]
    fn claim_codes_are_dense_from_one() {
        fn dense(claims: &[ClaimDef], what: &str) {
            for (i, claim) in claims.iter().enumerate() {
                assert_eq!(claim.code as usize, i + 1, "{what}.{}", claim.name);
            }
            assert!(claims.len() < 24, "{what}");
        }
        for doc in BUILTIN {
            dense(doc.claims(), doc.name());
            for claim in doc.claims() {
                if let ClaimType::Records(fields) = &claim.ty {
                    dense(fields, doc.name());
                }
            }
        }
    }

    /// A claim name means the same thing, with the same type, in every type
    /// and record, so purpose profiles select consistently.
    #[test]
    fn shared_claim_names_have_one_type() {
        let mut all: Vec<&ClaimDef> = Vec::new();
        for claim in BUILTIN.iter().flat_map(DocType::claims) {
            match &claim.ty {
                ClaimType::Records(fields) => all.extend(fields.iter()),
                _ => all.push(claim),
            }
        }
        for (i, claim) in all.iter().enumerate() {
            if let Some(first) = all[..i].iter().find(|c| c.name == claim.name) {
                assert_eq!(first.ty, claim.ty, "{}", claim.name);
            }
            let name = claim.name.as_ref();
            if name.ends_with("_date") || name.ends_with("valid_from") || name.ends_with("valid_until") {
                assert_eq!(claim.ty, ClaimType::Date, "{name}");
            }
        }
    }

    #[test]
    fn person_cards_derive_adulthood_from_birth_date() {
        let registry = Registry::builtin();
        for name in [
            "resident_id_card",
            "driving_licence",
            "residence_permit",
            "household_register",
            "foreigner_passport",
            "social_security_card",
        ] {
            let doc = registry.by_name(name).unwrap();
            assert_eq!(doc.claim("birth_date").map(|c| &c.ty), Some(&ClaimType::Date), "{name}");
            for years in [16, 18] {
                let claim = doc.claim(&alloc::format!("age_over_{years}")).expect(name);
                assert_eq!(claim.derived, Some(Derivation::AgeOver(years)), "{name}");
                assert_eq!(claim.ty, ClaimType::Bool, "{name}");
            }
        }
        for doc in BUILTIN {
            for claim in doc.claims() {
                if let Some(Derivation::AgeOver(years)) = claim.derived {
                    assert_eq!(claim.name, alloc::format!("age_over_{years}"), "{}", doc.name());
                }
            }
        }
    }

    #[test]
    fn lookup_by_code_and_name() {
        let registry = Registry::builtin();
        let doc = registry.get(&DocTypeId::Code(11)).unwrap();
        assert_eq!(doc.name(), "subsistence_allowance_card");
        assert_eq!(registry.by_name("subsistence_allowance_card"), Some(doc));
        assert_eq!(registry.get(&DocTypeId::Code(1)).unwrap().name(), "resident_id_card");
        assert_eq!(registry.get(&DocTypeId::Code(28)).unwrap().name(), "household_cancellation_proof");
        assert_eq!(registry.get(&DocTypeId::Code(29)), None);
        assert_eq!(registry.get(&DocTypeId::Code(0)), None);
        // Built-in types travel by code only, never by name.
        assert_eq!(registry.get(&DocTypeId::Name("resident_id_card".into())), None);
        assert_eq!(registry.by_name("no_such_card"), None);
        assert_eq!(registry.types().len(), 28);
    }

    #[test]
    fn add_refuses_taken_names_and_accepts_new_ones() {
        let mut registry = Registry::builtin();
        let claims = || vec![ClaimDef::new(1, "name", Text), ClaimDef::new(2, "id_number", Text)];

        let clash = DocType::custom("resident_id_card", "Fake 假证", Card, claims()).unwrap();
        assert_eq!(registry.add(clash), Err(DocTypeError::BadName));
        assert_eq!(registry.types().len(), 28);

        let pass = DocType::custom("cn.zibo.visitor_pass", "Visitor pass 访客证", Proof, claims()).unwrap();
        assert_eq!(registry.add(pass.clone()), Ok(()));
        assert_eq!(registry.types().len(), 29);
        assert_eq!(registry.by_name("cn.zibo.visitor_pass"), Some(&pass));
        assert_eq!(registry.get(&DocTypeId::Name("cn.zibo.visitor_pass".into())), Some(&pass));

        let again = DocType::custom("cn.zibo.visitor_pass", "Visitor pass 访客证", Proof, claims()).unwrap();
        assert_eq!(registry.add(again), Err(DocTypeError::BadName));
        assert_eq!(registry.types().len(), 29);
    }
}
