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
use nocard::scan::{
    self, BudgetLimit, DEFAULT_TIME_BUDGET, Decoder, MAX_DECODE_PIXELS, MAX_FINDER_PATTERNS, MAX_FINDER_SETS,
    MAX_PATTERN_ROWS, MAX_PIXEL_STRIDE, MAX_SIDE, ScanError, Scanner,
};
use std::time::{Duration, Instant};

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

        let found = capped().scan_image_bytes(&file).unwrap();
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
        let found = capped().scan_gray(&frame.pixels, frame.width, frame.height, frame.width).unwrap();
        assert_eq!(found, std::slice::from_ref(text), "{class:?} {:?}", frame.params);
        assert!(verifier.verify(found[0].as_bytes(), corpus::NOW).is_ok());
    }
}

#[test]
fn steep_perspective_is_read_from_the_finder_outlines() {
    // Tilted 41 % and turned 24°: the finder centres make the wrong pattern
    // look like the corner one and the module size shrinks across the code,
    // so ZXing's own grid misses it (as it did before the perspective retry);
    // the retry rectifies the frame from the three finder outlines.
    let verifier = corpus::verifier();
    let text = &corpus::presentations()[0].1;
    let params = Params { module_px: 4.5, rotation_deg: -24.0, tilt: 0.41, ..Params::gentle() };
    let mut rng = Rng::new(5);
    let frame = corpus::frame_sized(Class::Steep, text, params, &mut rng, 1280, 720);
    let found = capped().scan_gray(&frame.pixels, frame.width, frame.height, frame.width).unwrap();
    assert_eq!(found, std::slice::from_ref(text));
    assert!(verifier.verify(found[0].as_bytes(), corpus::NOW).is_ok());
}

#[test]
fn no_code_gives_an_empty_list() {
    let frame = corpus::background(W, H, &mut Rng::new(1));
    for decoder in Decoder::ALL {
        assert_eq!(Scanner::new(decoder).with_time_budget(None).scan_gray(&frame, W, H, W), Ok(vec![]), "{decoder}");
    }
    assert_eq!(capped().scan_gray(&[255; 64], 8, 8, 8), Ok(vec![]));
    assert_eq!(capped().scan_gray(&[0], 1, 1, 1), Ok(vec![]));
}

#[test]
fn several_codes_in_one_frame_are_all_returned() {
    let texts = corpus::presentations();
    let (a, b) = (&texts[0].1, &texts[4].1);
    let frame = frame_sized(&[a, b], 2, 640, 300, 2.5);
    let mut found = capped().scan_gray(&frame, 640, 300, 640).unwrap();
    found.sort();
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn other_qr_codes_are_ignored() {
    let wifi = "WIFI:S:CAFE;T:WPA;P:SECRET;;";
    let frame = frame_with(&[wifi], 3);
    assert_eq!(capped().scan_gray(&frame, W, H, W), Ok(vec![]));
    // Next to a nocard code, only the nocard code comes back.
    let text = hotel_text();
    let frame = frame_with(&[wifi, &text], 4);
    assert_eq!(capped().scan_gray(&frame, W, H, W), Ok(vec![text]));
    // A credential (NCC1:) is not a presentation either.
    let frame = frame_with(&["NCC1:ABC"], 5);
    assert_eq!(capped().scan_gray(&frame, W, H, W), Ok(vec![]));
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
        assert_eq!(Scanner::new(decoder).with_time_budget(None).scan_gray(&frame, W, H, W), Ok(vec![]), "{decoder}");
    }
}

#[test]
fn rqrr_stays_selectable() {
    let text = hotel_text();
    // rqrr wants it upright (see README's table): no rotation or tilt here.
    let params = Params { rotation_deg: 0.0, tilt: 0.0, module_px: 4.0, ..Params::gentle() };
    let frame = corpus::frame_sized(Class::Mild, &text, params, &mut Rng::new(7), 480, 480).pixels;
    let scanner = Scanner::new(Decoder::Rqrr).with_time_budget(None);
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
    assert_eq!(capped().scan_gray(&padded, W, H, stride), Ok(vec![text.clone()]));

    let rgb: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v]).collect();
    assert_eq!(capped().scan_rgb(&rgb, W, H, 3 * W), Ok(vec![text.clone()]));
    // Opaque RGBA, then fully transparent RGBA (all white: nothing).
    let rgba: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v, 255]).collect();
    assert_eq!(capped().scan_rgba(&rgba, W, H, 4 * W), Ok(vec![text]));
    let clear: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v, 0]).collect();
    assert_eq!(capped().scan_rgba(&clear, W, H, 4 * W), Ok(vec![]));
}

#[test]
fn bad_buffers_are_refused_before_any_pixel_is_read() {
    let buf = vec![255u8; 100 * 100 * 4];
    let empty = |width, height| Err(ScanError::EmptyImage { width, height });
    assert_eq!(capped().scan_gray(&buf, 0, 100, 100), empty(0, 100));
    assert_eq!(capped().scan_gray(&buf, 100, 0, 100), empty(100, 0));
    assert_eq!(capped().scan_gray(&[], 0, 0, 0), empty(0, 0));
    assert_eq!(capped().scan_gray(&buf, 100, 100, 99), Err(ScanError::StrideTooSmall { stride: 99, row_bytes: 100 }));
    assert_eq!(capped().scan_rgb(&buf, 100, 100, 299), Err(ScanError::StrideTooSmall { stride: 299, row_bytes: 300 }));
    assert_eq!(capped().scan_rgba(&buf, 100, 100, 100), Err(ScanError::StrideTooSmall { stride: 100, row_bytes: 400 }));
    let short = |len, needed| Err(ScanError::BufferTooShort { len, needed });
    assert_eq!(capped().scan_gray(&buf[..9_999], 100, 100, 100), short(9_999, 10_000));
    assert_eq!(capped().scan_gray(&buf[..10_000], 100, 100, 101), short(10_000, 99 * 101 + 100));
    assert_eq!(capped().scan_rgb(&buf[..29_999], 100, 100, 300), short(29_999, 30_000));
    assert_eq!(capped().scan_rgba(&buf[..39_999], 100, 100, 400), short(39_999, 40_000));
    // A stride so large the size overflows is just too short a buffer.
    assert_eq!(capped().scan_gray(&buf, 100, 100, usize::MAX), short(buf.len(), usize::MAX));
    // Huge frames are refused from their size alone.
    let huge = |width, height| Err(ScanError::TooLarge { width, height, max: MAX_SIDE });
    assert_eq!(capped().scan_gray(&buf, MAX_SIDE + 1, 1, MAX_SIDE + 1), huge(MAX_SIDE + 1, 1));
    assert_eq!(capped().scan_gray(&buf, 1, usize::MAX, 1), huge(1, usize::MAX));
    assert_eq!(capped().scan_rgba(&[], usize::MAX, usize::MAX, usize::MAX), huge(usize::MAX, usize::MAX));
    for e in [ScanError::EmptyImage { width: 0, height: 0 }, ScanError::UnsupportedFormat] {
        assert!(!e.to_string().is_empty() && !e.code().is_empty());
    }
}

#[test]
fn bad_image_files_are_precise_errors() {
    assert_eq!(capped().scan_image_bytes(b""), Err(ScanError::UnsupportedFormat));
    assert_eq!(capped().scan_image_bytes(b"GIF89a...."), Err(ScanError::UnsupportedFormat));
    let png = corpus::png_encode(&[255; 64 * 64], 64, 64);
    assert_eq!(capped().scan_image_bytes(&png), Ok(vec![]));
    assert!(matches!(capped().scan_image_bytes(&png[..png.len() / 2]), Err(ScanError::BadImage(_))));
    let jpeg = corpus::jpeg_encode(&[255; 64 * 64], 64, 64, 90);
    assert_eq!(capped().scan_image_bytes(&jpeg), Ok(vec![]));
    assert!(matches!(capped().scan_image_bytes(&jpeg[..jpeg.len() / 2]), Err(ScanError::BadImage(_))));
    // A PNG header declaring a huge image is refused before decoding.
    let wide = corpus::png_encode(&vec![255; MAX_SIDE + 1], MAX_SIDE + 1, 1);
    assert_eq!(
        capped().scan_image_bytes(&wide),
        Err(ScanError::TooLarge { width: MAX_SIDE + 1, height: 1, max: MAX_SIDE })
    );
    let missing = capped().scan_image_file("/nonexistent/nocard.png").unwrap_err();
    assert!(matches!(missing, ScanError::Io { kind: std::io::ErrorKind::NotFound, .. }), "{missing:?}");
    assert_eq!(missing.code(), "io");
}

#[test]
fn scanning_a_png_file_from_disk() {
    let text = hotel_text();
    let path = std::env::temp_dir().join(format!("nocard-scan-test-{}.png", std::process::id()));
    std::fs::write(&path, QrMatrix::encode(&text, EcLevel::M).unwrap().to_png(4)).unwrap();
    let found = capped().scan_image_file(&path);
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
            let found = Scanner::new(decoder).with_time_budget(None).scan_gray(&frame, w, h, w).unwrap();
            assert!(found.iter().all(|t| t == &text));
        }
    }
}

/// A presentation rendered, distorted and framed with `params`, then
/// scanned with `scan` and verified: the round trip every input format has
/// to survive.
#[track_caller]
fn assert_round_trip(params: Params, seed: u64, scan: impl Fn(&[u8], usize, usize) -> Result<Vec<String>, ScanError>) {
    let text = hotel_text();
    let frame = corpus::frame_sized(Class::Mild, &text, params, &mut Rng::new(seed), W, H);
    let found = scan(&frame.pixels, W, H).unwrap();
    assert_eq!(found, std::slice::from_ref(&text));
    corpus::verifier().verify(found[0].as_bytes(), corpus::NOW).unwrap();
}

#[test]
fn light_on_dark_codes_are_read_by_every_decoder() {
    let dark_mode = Params { inverted: true, ..Params::gentle() };
    assert_round_trip(dark_mode.clone(), 21, |f, w, h| capped().scan_gray(f, w, h, w));
    // (A frame of the corpus's dark-mode class, drawn at random, is in
    // one_frame_of_every_distortion_class_decodes.)
    // rqrr, upright as it likes it.
    let upright = Params { rotation_deg: 0.0, tilt: 0.0, module_px: 4.0, ..dark_mode };
    let rqrr = Scanner::new(Decoder::Rqrr).with_time_budget(None);
    assert_round_trip(upright.clone(), 23, |f, w, h| rqrr.scan_gray(f, w, h, w));
    // The same frame without inversion is still read (the light pass does not get in the way).
    assert_round_trip(Params { inverted: false, ..upright }, 23, |f, w, h| rqrr.scan_gray(f, w, h, w));
}

/// The gray frame `y` as NV21/NV12: the luma rows padded to `stride`, then
/// ⌈h/2⌉ chroma rows of the same stride (neutral grey, as a camera would
/// give for a gray scene), the last row's padding cut off.
fn semi_planar(y: &[u8], width: usize, height: usize, stride: usize) -> Vec<u8> {
    let mut out = vec![0xA5u8; stride * (height + height.div_ceil(2))];
    for (row, src) in out.chunks_mut(stride).zip(y.chunks(width)) {
        row[..width].copy_from_slice(src);
    }
    for row in out.chunks_mut(stride).skip(height) {
        row[..width.div_ceil(2) * 2].fill(128);
    }
    out.truncate(out.len() - (stride - width.div_ceil(2) * 2));
    out
}

#[test]
fn camera_formats_are_read_from_their_luma_plane() {
    let params = Params::gentle();
    // NV21 (Android) and NV12 with padded rows.
    assert_round_trip(params.clone(), 31, |f, w, h| capped().scan_nv21(&semi_planar(f, w, h, w + 16), w, h, w + 16));
    assert_round_trip(params.clone(), 32, |f, w, h| capped().scan_nv12(&semi_planar(f, w, h, w), w, h, w));
    // YUV_420_888's Y plane: pixel stride 1 with row padding, and 2 (interleaved, as YUYV).
    assert_round_trip(params.clone(), 33, |f, w, h| {
        capped().scan_y_plane(&semi_planar(f, w, h, w + 8), w, h, w + 8, 1)
    });
    assert_round_trip(params.clone(), 34, |f, w, h| {
        let row_stride = 2 * w + 6;
        let mut plane = vec![77u8; row_stride * h];
        for (row, src) in plane.chunks_mut(row_stride).zip(f.chunks(w)) {
            for (x, &v) in src.iter().enumerate() {
                row[2 * x] = v;
            }
        }
        plane.truncate((h - 1) * row_stride + 2 * (w - 1) + 1);
        capped().scan_y_plane(&plane, w, h, row_stride, 2)
    });
    // BGRA (iOS), opaque, with a colour cast that only BGRA order undoes:
    // blue carries the signal, red is constant.
    assert_round_trip(params.clone(), 35, |f, w, h| {
        let bgra: Vec<u8> = f.iter().flat_map(|&v| [v, v, 200, 255]).collect();
        capped().scan_bgra(&bgra, w, h, 4 * w)
    });
    // And in dark mode, through NV21 and rqrr.
    let upright = Params { rotation_deg: 0.0, tilt: 0.0, module_px: 4.0, inverted: true, ..params };
    let rqrr = Scanner::new(Decoder::Rqrr).with_time_budget(None);
    assert_round_trip(upright, 36, |f, w, h| rqrr.scan_nv21(&semi_planar(f, w, h, w), w, h, w));
}

#[test]
fn bad_camera_buffers_are_precise_errors() {
    let buf = vec![128u8; 100 * 100 * 4];
    // NV21/NV12: 100 luma rows and 50 chroma rows of 100 bytes.
    assert_eq!(capped().scan_nv21(&buf[..15_000], 100, 100, 100), Ok(vec![]));
    let short = |len, needed| Err(ScanError::BufferTooShort { len, needed });
    assert_eq!(capped().scan_nv21(&buf[..14_999], 100, 100, 100), short(14_999, 15_000));
    // Only the luma plane present: the chroma plane is missing.
    assert_eq!(capped().scan_nv12(&buf[..10_000], 100, 100, 100), short(10_000, 15_000));
    // Odd sides: ⌈101/2⌉ = 51 chroma rows of 102 bytes, the last without padding.
    assert_eq!(capped().scan_nv21(&buf[..151 * 104 + 102], 101, 101, 104), Ok(vec![]));
    assert_eq!(capped().scan_nv21(&buf[..151 * 104 + 101], 101, 101, 104), short(151 * 104 + 101, 151 * 104 + 102));
    // A stride that holds the luma row but not the chroma row.
    assert_eq!(capped().scan_nv21(&buf, 101, 100, 101), Err(ScanError::StrideTooSmall { stride: 101, row_bytes: 102 }));
    assert_eq!(capped().scan_nv12(&buf, 0, 100, 100), Err(ScanError::EmptyImage { width: 0, height: 100 }));
    assert_eq!(
        capped().scan_nv21(&buf, MAX_SIDE + 1, 2, MAX_SIDE + 2),
        Err(ScanError::TooLarge { width: MAX_SIDE + 1, height: 2, max: MAX_SIDE })
    );
    assert_eq!(capped().scan_nv21(&buf, 100, 100, usize::MAX), short(buf.len(), usize::MAX));

    // Luma plane with pixel stride 2: (h − 1) × row stride + (w − 1) × 2 + 1.
    assert_eq!(capped().scan_y_plane(&buf[..99 * 200 + 199], 100, 100, 200, 2), Ok(vec![]));
    assert_eq!(capped().scan_y_plane(&buf[..99 * 200 + 198], 100, 100, 200, 2), short(99 * 200 + 198, 99 * 200 + 199));
    assert_eq!(
        capped().scan_y_plane(&buf, 100, 100, 198, 2),
        Err(ScanError::StrideTooSmall { stride: 198, row_bytes: 199 })
    );
    let bad_stride = |pixel_stride| Err(ScanError::BadPixelStride { pixel_stride, max: MAX_PIXEL_STRIDE });
    assert_eq!(capped().scan_y_plane(&buf, 100, 100, 100, 0), bad_stride(0));
    assert_eq!(capped().scan_y_plane(&buf, 10, 10, 100, MAX_PIXEL_STRIDE + 1), bad_stride(MAX_PIXEL_STRIDE + 1));
    assert_eq!(capped().scan_y_plane(&buf, 10, 10, 100, usize::MAX), bad_stride(usize::MAX));
    assert_eq!(capped().scan_y_plane(&buf, 10, 10, 100, MAX_PIXEL_STRIDE), Ok(vec![]));
    assert_eq!(capped().scan_y_plane(&[], 10, 0, 0, 1), Err(ScanError::EmptyImage { width: 10, height: 0 }));
    assert_eq!(capped().scan_y_plane(&buf, 10, 10, usize::MAX, 1), short(buf.len(), usize::MAX));
    assert_eq!(capped().scan_bgra(&buf, 100, 100, 399), Err(ScanError::StrideTooSmall { stride: 399, row_bytes: 400 }));
    assert_eq!(capped().scan_bgra(&buf[..39_999], 100, 100, 400), short(39_999, 40_000));
    assert_eq!(ScanError::BadPixelStride { pixel_stride: 0, max: 8 }.code(), "bad_pixel_stride");
}

/// A scanner with only the work caps: its outcome on a frame does not
/// depend on how busy the machine is.
fn capped() -> Scanner {
    Scanner::default().with_time_budget(None)
}

#[test]
fn hostile_frames_are_refused_by_the_work_caps() {
    // At 1280×720: finder tiles and fine noise show far more rows through
    // 1:1:3:1:1 runs than the cap, so no pass reaches the decoder;
    // checkerboards show none and are searched to the end.
    let (w, h) = (corpus::WIDTH, corpus::HEIGHT);
    let rows = Err(ScanError::BudgetExceeded(BudgetLimit::PatternRows { max: MAX_PATTERN_ROWS }));
    for decoder in Decoder::ALL {
        let scanner = Scanner::new(decoder).with_time_budget(None);
        for (kind, modules, expected) in [
            ("finder tiles", &[1, 4][..], &rows),
            ("finder tiles (inverted)", &[2], &rows),
            ("checkerboard", &[1, 3], &Ok(vec![])),
            ("binary noise", &[1], &rows),
            ("gray noise", &[2], &rows),
        ] {
            for &module in modules {
                let frame = corpus::hostile::frame(kind, w, h, module, &mut Rng::new(module as u64));
                let start = Instant::now();
                let outcome = scanner.scan_gray(&frame, w, h, w);
                let spent = start.elapsed();
                assert_eq!(&outcome, expected, "{decoder} {kind} {module} px in {spent:?}");
                // Before the caps this took 21 s (rxing) and over 600 s
                // (rqrr); a debug build on a busy machine stays far inside this.
                assert!(spent < Duration::from_secs(4), "{decoder} {kind} {module} px took {spent:?}");
            }
        }
    }
}

#[test]
fn a_patch_of_finder_patterns_is_refused_past_the_pattern_cap() {
    // Few enough rows to pass the first cap: the count of distinct finder
    // patterns decides, in both polarities.
    let (w, h) = (corpus::WIDTH, corpus::HEIGHT);
    let over = Err(ScanError::BudgetExceeded(BudgetLimit::FinderPatterns { max: MAX_FINDER_PATTERNS }));
    for inverted in [false, true] {
        let patch = corpus::hostile::finder_tiles(w, h, 4, MAX_FINDER_PATTERNS + 6, inverted);
        assert_eq!(capped().scan_gray(&patch, w, h, w), over, "inverted: {inverted}");
    }
    // At the cap in one row the decoder gets the frame and finds no code.
    let row = corpus::hostile::finder_tiles(w, h, 4, MAX_FINDER_PATTERNS, false);
    assert_eq!(capped().scan_gray(&row, w, h, w), Ok(vec![]));
    // Sixteen in a 4×4 grid make many plausible triples: the most
    // plausible are tried, and the frame is over budget, not "no code".
    let grid = corpus::hostile::finder_tiles(140, 140, 4, 16, false);
    let mut frame = vec![230u8; w * h];
    for (y, src) in grid.chunks(140).enumerate() {
        frame[(y + 100) * w + 100..][..140].copy_from_slice(src);
    }
    assert_eq!(
        capped().scan_gray(&frame, w, h, w),
        Err(ScanError::BudgetExceeded(BudgetLimit::FinderSets { found: 240, max: MAX_FINDER_SETS }))
    );
}

#[test]
fn hostile_frames_of_the_largest_sides_are_refused() {
    // 8192 pixels wide or tall: halved to fit MAX_DECODE_PIXELS, then capped.
    for (w, h) in [(MAX_SIDE, 300), (300, MAX_SIDE)] {
        assert!(w * h > MAX_DECODE_PIXELS);
        let tiles = corpus::hostile::finder_tiles(w, h, 2, usize::MAX, false);
        let rows = Err(ScanError::BudgetExceeded(BudgetLimit::PatternRows { max: MAX_PATTERN_ROWS }));
        assert_eq!(capped().scan_gray(&tiles, w, h, w), rows, "{w}×{h}");
        let noise = corpus::hostile::noise(w, h, 2, &mut Rng::new(3), false);
        assert_eq!(capped().scan_gray(&noise, w, h, w), rows, "{w}×{h}");
    }
    // A real code in such a frame is still read after halving.
    let text = hotel_text();
    let params = Params { module_px: 5.0, rotation_deg: 3.0, ..Params::gentle() };
    let frame = corpus::frame_sized(Class::Mild, &text, params, &mut Rng::new(4), MAX_SIDE, 600);
    assert_eq!(capped().scan_gray(&frame.pixels, MAX_SIDE, 600, MAX_SIDE), Ok(vec![text]));
}

#[test]
fn a_code_beside_hostile_patterns_is_still_read() {
    // A code on a desk with a patch of finder patterns next to it: under
    // the caps, so the code is found among the extra triples.
    let text = hotel_text();
    let (w, h) = (640, 480);
    let mut frame = corpus::frame_sized(
        Class::Mild,
        &text,
        Params { position: (1.0, 0.5), ..Params::gentle() },
        &mut Rng::new(41),
        w,
        h,
    )
    .pixels;
    let patch = corpus::hostile::finder_tiles(200, 200, 2, 9, false);
    for (y, row) in patch.chunks(200).enumerate() {
        frame[(y + 20) * w + 20..(y + 20) * w + 220].copy_from_slice(row);
    }
    assert_eq!(capped().scan_gray(&frame, w, h, w), Ok(vec![text]));
}

#[test]
fn the_time_budget_is_checked_between_steps() {
    assert_eq!(Scanner::default().time_budget(), Some(DEFAULT_TIME_BUDGET));
    let zero = Scanner::default().with_time_budget(Some(Duration::ZERO));
    // A frame with no code needs every pass: with no time left after the
    // first, it is over budget, not "no code".
    let blank = corpus::background(W, H, &mut Rng::new(1));
    let over = Err(ScanError::BudgetExceeded(BudgetLimit::Time { budget: Duration::ZERO }));
    assert_eq!(zero.scan_gray(&blank, W, H, W), over);
    assert_eq!(Scanner::new(Decoder::Rqrr).with_time_budget(Some(Duration::ZERO)).scan_gray(&blank, W, H, W), over);
    assert_eq!(ScanError::BudgetExceeded(BudgetLimit::Time { budget: Duration::ZERO }).code(), "scan_budget_exceeded");
    // The first pass and its first finder triple always run: a clean code is read.
    let text = hotel_text();
    let (gray, side) = QrMatrix::encode(&text, EcLevel::M).unwrap().to_gray(3);
    assert_eq!(zero.scan_gray(&gray, side, side, side), Ok(vec![text.clone()]));
    // The free functions scan with the default budget.
    assert_eq!(scan::scan_gray(&gray, side, side, side), Ok(vec![text]));
    // Without a time budget the blank frame is searched to the end.
    assert_eq!(capped().scan_gray(&blank, W, H, W), Ok(vec![]));
}
