use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::credential::Issuer;
use crate::document::{Claim, ClaimValue, Profile};
use crate::keys::{Algorithm, SecretKey};
use crate::presentation::{Disclose, Holder};
use crate::receipt::{Minimise, SignedReceipt};
use crate::testing::{ISSUER, NOW, YEAR, device_key, issuer_key, resident_id, verifier};

fn desk() -> SecretKey {
    SecretKey::from_bytes(Algorithm::EdDsa, &[0x55; 32]).unwrap()
}

/// A desk's receipt for a resident ID card whose `name` and `address` are
/// replaced, disclosed under `profile`.
fn receipt_for(name: &str, address: &str, profile: Profile, minimise: Minimise) -> SignedReceipt {
    let doc = resident_id();
    let claims: Vec<Claim> = doc
        .example_claims()
        .into_iter()
        .map(|claim| match claim.name.as_ref() {
            "name" => Claim::new("name", ClaimValue::Text(name.into())),
            "address" => Claim::new("address", ClaimValue::Text(address.into())),
            _ => claim,
        })
        .collect();
    let issuer = Issuer::new(ISSUER, issuer_key(Algorithm::EdDsa)).unwrap();
    let bundle = issuer
        .credential(&doc, device_key(Algorithm::Es256).public_key(), claims)
        .validity(NOW - YEAR / 2, NOW + YEAR / 2)
        .salt_seed([0x33; 32])
        .sign()
        .unwrap();
    let holder = Holder::new(bundle, device_key(Algorithm::Es256)).unwrap();
    let presentation = holder.present(Disclose::Profile(profile)).at(NOW).sign().unwrap();
    let verified = verifier(Algorithm::EdDsa).verify(presentation.to_text().as_bytes(), NOW).unwrap();
    Receipt::issue(&verified, &Registry::builtin(), &desk(), "hotel:NB-0042", NOW + 1, Some(profile), minimise).unwrap()
}

fn hotel() -> SignedReceipt {
    receipt_for("张玥", "浙江省宁波市海曙区中山西路1号", Profile::HotelCheckIn, Minimise::Values)
}

fn render_with(receipt: &[u8], format: CopyFormat, paper: Paper) -> Result<Vec<u8>, CopyError> {
    render(receipt, &[desk().public_key().clone()], &Registry::builtin(), &CopyOptions::new(format, paper))
}

fn svg_text(receipt: &[u8], paper: Paper) -> String {
    String::from_utf8(render_with(receipt, CopyFormat::Svg, paper).unwrap()).unwrap()
}

#[test]
fn the_bundled_font_is_usable_and_covers_rare_name_characters() {
    let font = Font::default();
    for ch in ['玥', '堃', '喆', 'A', '0', '·', '：'] {
        assert_eq!(font.shape(&String::from(ch), 1.0).unwrap().len(), 1, "{ch}");
    }
    // CJK Extension B is not in the subset: refused, never a blank box.
    assert_eq!(font.shape("𠀀", 1.0), Err(CopyError::GlyphMissing('𠀀')));
}

#[test]
fn an_svg_copy_labels_each_recorded_field_and_names_purpose_desk_and_time() {
    let svg = svg_text(&hotel().bytes, Paper::Card);
    assert!(svg.starts_with("<svg "), "{}", &svg[..40]);
    for text in ["姓名", "张玥", "公民身份号码", "核验回执 Verification receipt", "hotel:NB-0042"] {
        assert!(svg.contains(&format!("aria-label=\"{text}\"")), "{text}");
    }
    // NOW + 1 is 2026-11-23 08:00:01 UTC: 16:00:01 in Beijing.
    let watermark = "仅供 旅馆住宿登记 hotel_check_in 使用 · hotel:NB-0042 · 2026-11-23 16:00:01 UTC+8";
    assert!(svg.contains(&format!("aria-label=\"{watermark}   {watermark}")));
    // The hotel view does not disclose the address: the copy cannot show it.
    assert!(!svg.contains("住址"));
}

#[test]
fn a_pdf_copy_has_one_page_per_side_or_one_sheet() {
    let card = render_with(&hotel().bytes, CopyFormat::Pdf, Paper::Card).unwrap();
    let a4 = render_with(&hotel().bytes, CopyFormat::Pdf, Paper::A4).unwrap();
    for pdf in [&card, &a4] {
        assert!(pdf.starts_with(b"%PDF-1.7"));
        assert!(pdf.windows(b"/FontFile2".len()).any(|w| w == b"/FontFile2"));
    }
    let count = |pdf: &[u8]| {
        let at = pdf.windows(7).position(|w| w == b"/Count ").unwrap() + 7;
        pdf[at]
    };
    assert_eq!((count(&card), count(&a4)), (b'2', b'1'));
}

#[test]
fn a_copy_embeds_only_the_glyphs_it_uses() {
    let pdf = render_with(&hotel().bytes, CopyFormat::Pdf, Paper::Card).unwrap();
    // The 3 MB font shrinks to the few hundred glyphs of one copy.
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
}

#[test]
fn the_back_carries_the_receipt_as_text() {
    let signed = hotel();
    let text = receipt::to_text(&signed.bytes);
    assert!(text.starts_with("NCR1:"));
    assert_eq!(receipt::from_text_or_bytes(text.as_bytes()).unwrap(), signed.bytes);
    // A copy drawn from the text is the copy drawn from the bytes.
    assert_eq!(svg_text(text.as_bytes(), Paper::A4), svg_text(&signed.bytes, Paper::A4));
}

#[test]
fn a_digest_receipt_has_nothing_to_print() {
    let signed = receipt_for("张玥", "宁波", Profile::HotelCheckIn, Minimise::Digests);
    assert_eq!(render_with(&signed.bytes, CopyFormat::Pdf, Paper::Card), Err(CopyError::DigestsOnly));
}

#[test]
fn a_receipt_the_desk_keys_refuse_makes_no_copy() {
    let mut bytes = hotel().bytes;
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(render_with(&bytes, CopyFormat::Svg, Paper::Card), Err(CopyError::Receipt(ReceiptError::BadSignature)));
    let other = SecretKey::from_bytes(Algorithm::EdDsa, &[0x66; 32]).unwrap();
    let options = CopyOptions::new(CopyFormat::Svg, Paper::Card);
    let result = render(&hotel().bytes, &[other.public_key().clone()], &Registry::builtin(), &options);
    assert_eq!(result.unwrap_err().code(), "receipt_unknown_desk_key");
    let text = receipt::to_text(&hotel().bytes).replacen("NCR1:", "NCR2:", 1);
    assert_eq!(
        render_with(text.as_bytes(), CopyFormat::Svg, Paper::Card),
        Err(CopyError::Receipt(ReceiptError::UnsupportedVersion { found: '2' }))
    );
}

#[test]
fn a_name_the_font_cannot_draw_is_refused_not_printed_blank() {
    let signed = receipt_for("张𠀀", "宁波", Profile::HotelCheckIn, Minimise::Values);
    for format in [CopyFormat::Svg, CopyFormat::Pdf] {
        assert_eq!(render_with(&signed.bytes, format, Paper::Card), Err(CopyError::GlyphMissing('𠀀')));
    }
}

#[test]
fn long_addresses_wrap_and_an_endless_one_does_not_fit() {
    let long = "浙江省宁波市海曙区中山西路一号某某小区某某幢某某单元某某室".repeat(2);
    let fits = receipt_for("张玥", &long, Profile::GovernmentWindow, Minimise::Values);
    let svg = svg_text(&fits.bytes, Paper::Card);
    assert!(svg.contains("aria-label=\"住址\""));
    let endless = receipt_for("张玥", &"宁".repeat(400), Profile::GovernmentWindow, Minimise::Values);
    assert_eq!(render_with(&endless.bytes, CopyFormat::Svg, Paper::Card), Err(CopyError::DoesNotFit));
}

#[test]
fn a_font_that_is_not_one_is_refused_when_it_is_set() {
    assert_eq!(Font::from_bytes(b"not a font".to_vec()).unwrap_err(), CopyError::FontUnusable);
    assert_eq!(Font::from_bytes(Vec::new()).unwrap_err(), CopyError::FontUnusable);
    assert_eq!(Font::from_bytes(alloc::vec![0; MAX_FONT_BYTES + 1]).unwrap_err(), CopyError::FontUnusable);
}

#[test]
fn each_error_has_its_code() {
    let codes = [
        (CopyError::DigestsOnly, "copy_needs_values"),
        (CopyError::GlyphMissing('x'), "copy_glyph_missing"),
        (CopyError::DoesNotFit, "copy_does_not_fit"),
        (CopyError::ReceiptTooLarge, "copy_receipt_too_large"),
        (CopyError::FontUnusable, "copy_font_unusable"),
        (CopyError::Receipt(ReceiptError::NotAReceipt), "not_a_receipt"),
    ];
    for (error, code) in codes {
        assert_eq!(error.code(), code);
    }
}

#[test]
fn beijing_time_is_utc_plus_eight_across_midnight() {
    assert_eq!(labels::beijing_time(NOW), "2026-11-23 16:00:00 UTC+8");
    assert_eq!(labels::beijing_time(NOW + 8 * 3600), "2026-11-24 00:00:00 UTC+8");
}
