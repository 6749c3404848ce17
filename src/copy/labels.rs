//! What a copy prints: the Chinese label of each claim and purpose, and
//! each value as a clerk reads it.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt::Write as _;

use crate::document::{Claim, ClaimValue, Date, Profile};

/// The printed label of a claim: Chinese, as on the paper card, or the
/// claim's own name for one this table does not know (a custom type).
pub(super) fn claim_label(name: &str) -> &str {
    match name {
        "name" => "姓名",
        "sex" => "性别",
        "birth_date" => "出生日期",
        "id_number" => "公民身份号码",
        "ethnicity" => "民族",
        "address" => "住址",
        "issuing_authority" => "签发机关",
        "valid_from" => "有效期起",
        "valid_until" => "有效期至",
        "photo_digest" => "照片摘要",
        "age_over_16" => "年满16周岁",
        "age_over_18" => "年满18周岁",
        "licence_class" => "准驾车型",
        "licence_status" => "驾驶证状态",
        "first_issue_date" => "初次领证日期",
        "nationality" => "国籍",
        "file_number" => "档案编号",
        "plate_number" => "号牌号码",
        "vehicle_type" => "车辆类型",
        "owner" => "所有人",
        "inspection_valid_until" => "检验有效期至",
        "vin" => "车辆识别代号",
        "brand_model" => "品牌型号",
        "use_character" => "使用性质",
        "engine_number" => "发动机号码",
        "motor_number" => "电机号码",
        "frame_number" => "车架号",
        "registration_date" => "注册登记日期",
        "issue_date" => "发证日期",
        "approved_passengers" => "核定载人数",
        "seats_or_tonnage" => "座位或吨位",
        "vehicle_status" => "车辆状态",
        "colour" => "颜色",
        "anti_theft_tag" => "防盗标签",
        "relation_to_head" => "与户主关系",
        "members" => "户内成员",
        "household_number" => "户号",
        "household_type" => "户别",
        "household_address" => "户籍地址",
        "household_size" => "户内人数",
        "birthplace" => "出生地",
        "place_of_birth" => "出生地点",
        "spouse_name" => "配偶姓名",
        "spouse_id_number" => "配偶身份号码",
        "spouse_sex" => "配偶性别",
        "spouse_birth_date" => "配偶出生日期",
        "spouse_nationality" => "配偶国籍",
        "certificate_number" => "证书编号",
        "card_number" => "卡号",
        "passport_number" => "护照号码",
        "issuing_state" => "签发国",
        "business_licence_number" => "营业执照号",
        "business_scope" => "经营范围",
        "operator" => "经营者",
        "institution" => "机构",
        "medical_institution" => "医疗机构",
        "degree" => "学位",
        "education_level" => "学历层次",
        "major" => "专业",
        "study_mode" => "学习形式",
        "study_period" => "学制",
        "disability_category" => "残疾类别",
        "disability_level" => "残疾等级",
        "allowance_category" => "补贴类别",
        "monthly_allowance_fen" => "月补贴(分)",
        "birth_weight_grams" => "出生体重(克)",
        "father_name" => "父亲姓名",
        "father_id_number" => "父亲身份号码",
        "mother_name" => "母亲姓名",
        "mother_id_number" => "母亲身份号码",
        "qualification_category" => "资格类别",
        "licence_category" => "执业类别",
        "licence_valid_until" => "执业有效期至",
        "law_firm" => "执业机构",
        "annual_review" => "年度考核",
        "review_valid_until" => "审验有效期至",
        "penalty_points" => "累积记分",
        "unresolved_violations" => "未处理违法",
        "has_record" => "有无记录",
        "purpose" => "用途",
        "subject" => "事项",
        "item" => "项目",
        "change_date" => "变更日期",
        "change_reason" => "变更原因",
        "changes" => "变更记录",
        "value_before" => "变更前",
        "value_after" => "变更后",
        "cancellation_date" => "注销日期",
        "cancellation_reason" => "注销原因",
        "residence_reason" => "居住事由",
        "relation" => "关系",
        "relations" => "亲属关系",
        "insured" => "被保险人",
        "insurer" => "保险公司",
        "policy_number" => "保单号",
        "coverage" => "险种",
        "coverages" => "承保险种",
        "sum_insured_fen" => "保险金额(分)",
        "insurance_valid_from" => "保险期间起",
        "insurance_valid_until" => "保险期间至",
        other => other,
    }
}

/// The printed purpose: the scene in Chinese and the profile's name.
pub(super) fn purpose_label(purpose: Option<Profile>) -> String {
    let Some(profile) = purpose else {
        return "未指明用途 no stated purpose".into();
    };
    let chinese = match profile {
        Profile::HotelCheckIn => "旅馆住宿登记",
        Profile::InternetCafe => "上网服务登记",
        Profile::PetrolStation => "散装汽油购买登记",
        Profile::RoadsideCheck => "道路执勤检查",
        Profile::GovernmentWindow => "政务窗口办事",
        Profile::KioskAutofill => "自助终端填表",
        Profile::VisitorLog => "访客登记",
    };
    format!("{chinese} {}", profile.name())
}

/// A value as printed. Sex follows GB/T 2261.1 (1 male, 2 female); other
/// integers, dates (ISO 8601), booleans (是/否) and bytes (hex) print as
/// themselves; each record of a list prints as `label value` pairs.
pub(super) fn value_text(claim: &Claim) -> String {
    let mut out = String::new();
    write_value(&mut out, &claim.name, &claim.value);
    out
}

fn write_value(out: &mut String, name: &str, value: &ClaimValue) {
    let _ = match value {
        ClaimValue::Text(text) => write!(out, "{text}"),
        ClaimValue::Integer(1) if name.ends_with("sex") => write!(out, "男"),
        ClaimValue::Integer(2) if name.ends_with("sex") => write!(out, "女"),
        ClaimValue::Integer(n) => write!(out, "{n}"),
        ClaimValue::Date(date) => write!(out, "{date}"),
        ClaimValue::Bool(true) => write!(out, "是"),
        ClaimValue::Bool(false) => write!(out, "否"),
        ClaimValue::Bytes(bytes) => bytes.iter().try_for_each(|b| write!(out, "{b:02x}")),
        ClaimValue::Records(records) => {
            for (i, record) in records.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { "；" });
                for (j, field) in record.iter().enumerate() {
                    out.push_str(if j == 0 { "" } else { " " });
                    let _ = write!(out, "{} ", claim_label(&field.name));
                    write_value(out, &field.name, &field.value);
                }
            }
            Ok(())
        }
    };
}

/// A receipt's time as printed: Beijing time (UTC+8, no daylight saving),
/// with the offset written out so no reader guesses the zone.
pub(super) fn beijing_time(unix: u64) -> String {
    let local = unix.saturating_add(8 * 3600);
    let seconds_of_day = local % 86_400;
    let date = Date::from_unix(local).map_or_else(|| "?".into(), |d| d.to_string());
    format!("{date} {:02}:{:02}:{:02} UTC+8", seconds_of_day / 3600, seconds_of_day % 3600 / 60, seconds_of_day % 60)
}
