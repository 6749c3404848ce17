//! Camera-frame scanning: every document type's sample goes present →
//! PNG → a phone on a desk seen by a camera → scan → verify, and every kind
//! of bad frame gives a precise error or an empty list, never a panic.
#![cfg(feature = "scan")]

#[path = "../benches/common/corpus.rs"]
mod corpus;

use corpus::{Class, Params, Rng};
use nocard::credential::Issuer;
use nocard::document::{DocKind, Profile, Registry};
use nocard::presentation::{Disclose, Holder};
use nocard::qr::{EcLevel, QrMatrix};
use nocard::scan::{self, Decoder, MAX_SIDE, ScanError, Scanner};

/// A small camera frame keeps the debug-build tests quick.
const W: usize = 400;
const H: usize = 300;

fn hotel_text() -> String {
    corpus::presentations().into_iter().next().expect("corpus has presentations").1
}

/// `texts` placed left to right in one frame, with the mild treatment.
fn frame_with(texts: &[&str], seed: u64) -> Vec<u8> {
    frame_sized(texts, seed, W, H, 2.0)
}

fn frame_sized(texts: &[&str], seed: u64, width: usize, height: usize, module_px: f64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut pixels = corpus::background(width, height, &mut rng);
    let mut at = None;
    for (i, text) in texts.iter().enumerate() {
        let matrix = QrMatrix::encode(text, EcLevel::M).unwrap();
        let mut params = Params::gentle();
        params.module_px = module_px;
        params.position = (if texts.len() == 1 { 0.5 } else { i as f64 / (texts.len() - 1) as f64 }, 0.5);
        at.get_or_insert(corpus::place(&mut pixels, width, height, &matrix, &params));
    }
    corpus::degrade(&mut pixels, width, height, &Params::gentle(), at.unwrap(), &mut rng);
    pixels
}

#[test]
fn every_card_survives_png_camera_scan_and_verify() {
    round_trip(DocKind::Card);
}

#[test]
fn every_proof_survives_png_camera_scan_and_verify() {
    round_trip(DocKind::Proof);
}

fn round_trip(kind: DocKind) {
    let registry = Registry::builtin();
    let issuer = Issuer::new("NBPSB", corpus::issuer_key()).unwrap();
    let verifier = corpus::verifier();
    let docs: Vec<_> = registry.types().iter().enumerate().filter(|(_, d)| d.kind() == kind).collect();
    assert_eq!(docs.len(), if kind == DocKind::Card { 21 } else { 7 });
    for (i, doc) in docs {
        let device = corpus::device_key();
        let bundle = issuer
            .credential(doc, device.public_key(), doc.example_claims())
            .validity(corpus::NOW - 86_400, corpus::NOW + 86_400)
            .salt_seed([7; 32])
            .sign()
            .unwrap();
        // The whole document for a government window; the hotel view where the type has one too.
        let profile = if i % 2 == 0 { Profile::GovernmentWindow } else { Profile::HotelCheckIn };
        let holder = Holder::new(bundle, device).unwrap();
        let presentation = holder
            .present(Disclose::Profile(profile))
            .at(corpus::NOW)
            .sign()
            .or_else(|_| holder.present(Disclose::Profile(Profile::GovernmentWindow)).at(corpus::NOW).sign())
            .unwrap();
        let text = presentation.to_text();
        let expected = verifier.verify(text.as_bytes(), corpus::NOW).unwrap();

        // The phone renders a PNG; the camera sees it tilted, blurred, noisy.
        let k = 3;
        let png = QrMatrix::encode(&text, EcLevel::M).unwrap().to_png(k);
        let code = image::load_from_memory(&png).unwrap().into_luma8();
        let mut rng = Rng::new(i as u64);
        let mut params = Params::draw(Class::Mild, &mut rng);
        params.module_px = 2.0;
        let mut frame = corpus::background(W, H, &mut rng);
        let at = corpus::place_raster(&mut frame, W, H, code.as_raw(), code.width() as usize, k as usize, &params);
        corpus::degrade(&mut frame, W, H, &params, at, &mut rng);
        // Half the frames arrive as PNG files, half as JPEG.
        let file = if i % 2 == 0 { corpus::png_encode(&frame, W, H) } else { corpus::jpeg_encode(&frame, W, H, 85) };

        let found = scan::scan_image_bytes(&file).unwrap();
        assert_eq!(found, std::slice::from_ref(&text), "{}", doc.name());
        let seen = verifier.verify(found[0].as_bytes(), corpus::NOW + 5).unwrap();
        assert_eq!((seen.doc_title.as_str(), &seen.claims), (expected.doc_title.as_str(), &expected.claims));
    }
}

#[test]
fn one_frame_of_every_distortion_class_decodes() {
    // The report's corpus in miniature, at 640×480 to keep debug builds
    // quick: the default path reads a frame of each class.
    let verifier = corpus::verifier();
    let texts = corpus::presentations();
    let mut rng = Rng::new(11);
    for class in Class::ALL {
        let text = &texts[0].1;
        let frame = corpus::frame_sized(class, text, Params::draw(class, &mut rng), &mut rng, 640, 480);
        let found = scan::scan_gray(&frame.pixels, frame.width, frame.height, frame.width).unwrap();
        assert_eq!(found, std::slice::from_ref(text), "{class:?} {:?}", frame.params);
        assert!(verifier.verify(found[0].as_bytes(), corpus::NOW).is_ok());
    }
}

#[test]
fn no_code_gives_an_empty_list() {
    let frame = corpus::background(W, H, &mut Rng::new(1));
    for decoder in Decoder::ALL {
        assert_eq!(Scanner::new(decoder).scan_gray(&frame, W, H, W), Ok(vec![]), "{decoder}");
    }
    assert_eq!(scan::scan_gray(&[255; 64], 8, 8, 8), Ok(vec![]));
    assert_eq!(scan::scan_gray(&[0], 1, 1, 1), Ok(vec![]));
}

#[test]
fn several_codes_in_one_frame_are_all_returned() {
    let texts = corpus::presentations();
    let (a, b) = (&texts[0].1, &texts[4].1);
    let frame = frame_sized(&[a, b], 2, 640, 300, 2.5);
    let mut found = scan::scan_gray(&frame, 640, 300, 640).unwrap();
    found.sort();
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn other_qr_codes_are_ignored() {
    let wifi = "WIFI:S:CAFE;T:WPA;P:SECRET;;";
    let frame = frame_with(&[wifi], 3);
    assert_eq!(scan::scan_gray(&frame, W, H, W), Ok(vec![]));
    // Next to a nocard code, only the nocard code comes back.
    let text = hotel_text();
    let frame = frame_with(&[wifi, &text], 4);
    assert_eq!(scan::scan_gray(&frame, W, H, W), Ok(vec![text]));
    // A credential (NCC1:) is not a presentation either.
    let frame = frame_with(&["NCC1:ABC"], 5);
    assert_eq!(scan::scan_gray(&frame, W, H, W), Ok(vec![]));
}

#[test]
fn a_damaged_code_gives_an_empty_list() {
    let text = hotel_text();
    let mut frame = frame_with(&[&text], 6);
    // Wipe the middle third of the frame, well beyond error correction.
    for row in frame.chunks_mut(W).skip(H / 3).take(H / 3) {
        row.fill(200);
    }
    for decoder in Decoder::ALL {
        assert_eq!(Scanner::new(decoder).scan_gray(&frame, W, H, W), Ok(vec![]), "{decoder}");
    }
}

#[test]
fn rqrr_stays_selectable() {
    let text = hotel_text();
    // rqrr wants it upright (see README's table): no rotation or tilt here.
    let params = Params { rotation_deg: 0.0, tilt: 0.0, module_px: 4.0, ..Params::gentle() };
    let frame = corpus::frame_sized(Class::Mild, &text, params, &mut Rng::new(7), 480, 480).pixels;
    let scanner = Scanner::new(Decoder::Rqrr);
    assert_eq!(scanner.decoder(), Decoder::Rqrr);
    assert_eq!(scanner.scan_gray(&frame, 480, 480, 480), Ok(vec![text]));
    assert_eq!(Decoder::default(), Decoder::Rxing);
    assert_eq!("rqrr".parse::<Decoder>(), Ok(Decoder::Rqrr));
    assert!("zbar".parse::<Decoder>().is_err());
    assert_eq!(Decoder::Rxing.to_string(), "rxing");
}

#[test]
fn strided_rgb_and_rgba_frames_read_like_gray() {
    let text = hotel_text();
    let gray = frame_with(&[&text], 8);
    // Padding after each row, and the last row's padding missing.
    let stride = W + 13;
    let mut padded = vec![0x55u8; stride * H];
    for (row, src) in padded.chunks_mut(stride).zip(gray.chunks(W)) {
        row[..W].copy_from_slice(src);
    }
    padded.truncate((H - 1) * stride + W);
    assert_eq!(scan::scan_gray(&padded, W, H, stride), Ok(vec![text.clone()]));

    let rgb: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v]).collect();
    assert_eq!(scan::scan_rgb(&rgb, W, H, 3 * W), Ok(vec![text.clone()]));
    // Opaque RGBA, then fully transparent RGBA (all white: nothing).
    let rgba: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v, 255]).collect();
    assert_eq!(scan::scan_rgba(&rgba, W, H, 4 * W), Ok(vec![text]));
    let clear: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v, 0]).collect();
    assert_eq!(scan::scan_rgba(&clear, W, H, 4 * W), Ok(vec![]));
}

#[test]
fn bad_buffers_are_refused_before_any_pixel_is_read() {
    let buf = vec![255u8; 100 * 100 * 4];
    let empty = |width, height| Err(ScanError::EmptyImage { width, height });
    assert_eq!(scan::scan_gray(&buf, 0, 100, 100), empty(0, 100));
    assert_eq!(scan::scan_gray(&buf, 100, 0, 100), empty(100, 0));
    assert_eq!(scan::scan_gray(&[], 0, 0, 0), empty(0, 0));
    assert_eq!(scan::scan_gray(&buf, 100, 100, 99), Err(ScanError::StrideTooSmall { stride: 99, row_bytes: 100 }));
    assert_eq!(scan::scan_rgb(&buf, 100, 100, 299), Err(ScanError::StrideTooSmall { stride: 299, row_bytes: 300 }));
    assert_eq!(scan::scan_rgba(&buf, 100, 100, 100), Err(ScanError::StrideTooSmall { stride: 100, row_bytes: 400 }));
    let short = |len, needed| Err(ScanError::BufferTooShort { len, needed });
    assert_eq!(scan::scan_gray(&buf[..9_999], 100, 100, 100), short(9_999, 10_000));
    assert_eq!(scan::scan_gray(&buf[..10_000], 100, 100, 101), short(10_000, 99 * 101 + 100));
    assert_eq!(scan::scan_rgb(&buf[..29_999], 100, 100, 300), short(29_999, 30_000));
    assert_eq!(scan::scan_rgba(&buf[..39_999], 100, 100, 400), short(39_999, 40_000));
    // A stride so large the size overflows is just too short a buffer.
    assert_eq!(scan::scan_gray(&buf, 100, 100, usize::MAX), short(buf.len(), usize::MAX));
    // Huge frames are refused from their size alone.
    let huge = |width, height| Err(ScanError::TooLarge { width, height, max: MAX_SIDE });
    assert_eq!(scan::scan_gray(&buf, MAX_SIDE + 1, 1, MAX_SIDE + 1), huge(MAX_SIDE + 1, 1));
    assert_eq!(scan::scan_gray(&buf, 1, usize::MAX, 1), huge(1, usize::MAX));
    assert_eq!(scan::scan_rgba(&[], usize::MAX, usize::MAX, usize::MAX), huge(usize::MAX, usize::MAX));
    for e in [ScanError::EmptyImage { width: 0, height: 0 }, ScanError::UnsupportedFormat] {
        assert!(!e.to_string().is_empty() && !e.code().is_empty());
    }
}

#[test]
fn bad_image_files_are_precise_errors() {
    assert_eq!(scan::scan_image_bytes(b""), Err(ScanError::UnsupportedFormat));
    assert_eq!(scan::scan_image_bytes(b"GIF89a...."), Err(ScanError::UnsupportedFormat));
    let png = corpus::png_encode(&[255; 64 * 64], 64, 64);
    assert_eq!(scan::scan_image_bytes(&png), Ok(vec![]));
    assert!(matches!(scan::scan_image_bytes(&png[..png.len() / 2]), Err(ScanError::BadImage(_))));
    let jpeg = corpus::jpeg_encode(&[255; 64 * 64], 64, 64, 90);
    assert_eq!(scan::scan_image_bytes(&jpeg), Ok(vec![]));
    assert!(matches!(scan::scan_image_bytes(&jpeg[..jpeg.len() / 2]), Err(ScanError::BadImage(_))));
    // A PNG header declaring a huge image is refused before decoding.
    let wide = corpus::png_encode(&vec![255; MAX_SIDE + 1], MAX_SIDE + 1, 1);
    assert_eq!(
        scan::scan_image_bytes(&wide),
        Err(ScanError::TooLarge { width: MAX_SIDE + 1, height: 1, max: MAX_SIDE })
    );
    let missing = scan::scan_image_file("/nonexistent/nocard.png").unwrap_err();
    assert!(matches!(missing, ScanError::Io { kind: std::io::ErrorKind::NotFound, .. }), "{missing:?}");
    assert_eq!(missing.code(), "io");
}

#[test]
fn scanning_a_png_file_from_disk() {
    let text = hotel_text();
    let path = std::env::temp_dir().join(format!("nocard-scan-test-{}.png", std::process::id()));
    std::fs::write(&path, QrMatrix::encode(&text, EcLevel::M).unwrap().to_png(4)).unwrap();
    let found = scan::scan_image_file(&path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(found, Ok(vec![text]));
}

#[test]
fn random_frames_never_panic() {
    // Noise, stripes and fragments of codes at odd sizes: whatever comes
    // back, it is a list of presentations or nothing.
    let text = hotel_text();
    let code = QrMatrix::encode(&text, EcLevel::M).unwrap();
    let (raster, side) = code.to_gray(2);
    let mut rng = Rng::new(99);
    for round in 0..12 {
        let (w, h) = (21 + rng.below(300), 21 + rng.below(300));
        let mut frame: Vec<u8> = (0..w * h).map(|_| rng.next_u64() as u8).collect();
        if round % 2 == 0 {
            // A slice of the real code, cut off at the frame edge.
            for y in 0..h.min(side) {
                let n = w.min(side);
                frame[y * w..y * w + n].copy_from_slice(&raster[y * side..y * side + n]);
            }
        }
        for decoder in Decoder::ALL {
            let found = Scanner::new(decoder).scan_gray(&frame, w, h, w).unwrap();
            assert!(found.iter().all(|t| t == &text));
        }
    }
}
