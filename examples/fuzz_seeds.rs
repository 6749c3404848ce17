//! Writes the fuzzers' seed corpora from real presentations, credential
//! bundles and keys, all made through the public API with the fixed keys and
//! clock of `fuzz/src/fixture.rs` (included below), so every seed
//! presentation verifies inside the fuzz targets:
//!
//! ```text
//! cargo run --example fuzz_seeds [-- OUT_DIR]
//! ```
//!
//! Files go to `OUT_DIR/<target>/` (default `fuzz/corpus/<target>/`), one
//! input each, named after what they hold; the same command always writes
//! the same bytes (fixed salts, deterministic signatures). Existing files
//! of the same name are overwritten, others kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nocard::document::{DocType, Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::portrait::PortraitSender;
use nocard::presentation::{Disclose, Holder};
use nocard::receipt::{Minimise, Receipt};
use nocard::replay::ReplayCache;
use nocard::status_list::{Status, StatusList, StatusListToken, StatusStore};
use nocard::text::{self, TextKind};
use nocard::trust_list::{IssuerEntry, TrustList, TrustStore};
use nocard::verify::{KeyScope, TrustedKey};
use nocard::visitor_log;

#[path = "../fuzz/src/fixture.rs"]
#[allow(dead_code)]
mod fixture;

use fixture::{ALGORITHM_PAIRS, NOW, VERIFY_AT};

/// Seeds by target, then by file name.
#[derive(Default)]
struct Seeds(BTreeMap<&'static str, BTreeMap<String, Vec<u8>>>);

impl Seeds {
    fn add(&mut self, target: &'static str, name: String, bytes: impl Into<Vec<u8>>) {
        self.0.entry(target).or_default().insert(name, bytes.into());
    }

    /// `from`'s seed `name` as a seed of `to` too (targets reading one layout).
    fn copy(&mut self, from: &'static str, name: &str, to: &'static str) {
        let bytes = self.0[from][name].clone();
        self.add(to, name.into(), bytes);
    }
}

fn pair_name((issuer, device): (Algorithm, Algorithm)) -> String {
    format!("{}-{}", issuer.name(), device.name()).to_lowercase()
}

/// Presentations of `doc` with every profile that discloses something, and
/// one with the doc type's first three claims as disclosures.
fn presentations(holder: &Holder<SecretKey>, doc: &DocType, all_profiles: bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for profile in Profile::ALL {
        if let Ok(p) = holder.present(Disclose::Profile(profile)).at(NOW).sign() {
            out.push((profile.name().to_string(), p.as_bytes().to_vec()));
            if !all_profiles {
                break;
            }
        }
    }
    let names: Vec<String> = doc.claims().iter().take(3).map(|c| c.name.to_string()).collect();
    if let Ok(p) = holder.present(Disclose::Claims(names)).at(NOW).challenge(482_913).sign() {
        out.push(("disclosures".to_string(), p.as_bytes().to_vec()));
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::builtin();
    let verifier = fixture::verifier();
    let mut seeds = Seeds::default();

    for doc in registry.types() {
        for (i, pair) in ALGORITHM_PAIRS.into_iter().enumerate() {
            let bundle = fixture::bundle(doc, pair.0, pair.1)?;
            let holder = Holder::new(bundle.clone(), fixture::device_key(pair.1))?;
            let tag = format!("{}-{}", doc.name(), pair_name(pair));
            // Bundles are a few kilobytes each: one pair per doc type, alternating.
            if i == registry.types().iter().position(|d| d.name() == doc.name()).unwrap_or(0) % 2 {
                seeds.add("credential_bundle", tag.clone(), bundle.to_bytes());
            }
            for (what, bytes) in presentations(&holder, doc, doc.name() == "resident_id_card") {
                let verified = verifier.verify_bytes(&bytes, VERIFY_AT);
                if let Err(e) = verified {
                    return Err(format!("seed {tag}-{what} does not verify in the fuzz fixture: {e}").into());
                }
                let text = text::encode(TextKind::Presentation, &bytes);
                if doc.name() == "resident_id_card" {
                    for group in fixture::group_keys() {
                        let sealed = nocard::seal::seal(&bytes, group.public_key())?;
                        let name = format!("{tag}-{what}-{}", group.algorithm().name());
                        seeds.add("sealed_envelope", name, sealed.as_bytes().to_vec());
                    }
                }
                seeds.add("verify_bytes", format!("{tag}-{what}"), bytes);
                seeds.add("verify_text", format!("{tag}-{what}"), text);
            }
        }
    }

    // Keys: public and secret, both algorithms, plus hand-made variants
    // with the optional fields (kid, alg) the reader also accepts.
    for alg in [Algorithm::EdDsa, Algorithm::Es256] {
        for (role, key) in [("issuer", fixture::issuer_key(alg)), ("device", fixture::device_key(alg))] {
            let name = format!("{role}-{}", alg.name().to_lowercase());
            seeds.add("cose_key", format!("{name}-public"), key.public_key().to_cose_key());
            seeds.add("cose_key", format!("{name}-secret"), key.to_cose_key().to_vec());
        }
        let public = fixture::issuer_key(alg).public_key().to_cose_key();
        // {1: kty, 2: kid, 3: alg, ...}: insert kid and alg after kty, bump the map size.
        let mut with_kid_alg = vec![public[0] + 2, public[1], public[2], 0x02, 0x42, 0x6b, 0x31, 0x03];
        with_kid_alg.push(if alg == Algorithm::EdDsa { 0x27 } else { 0x26 }); // -8 or -7
        with_kid_alg.extend_from_slice(&public[3..]);
        nocard::keys::PublicKey::from_cose_key(&with_kid_alg)?;
        seeds.add("cose_key", format!("issuer-{}-public-kid-alg", alg.name().to_lowercase()), with_kid_alg);
    }

    // Texts: presentations and a credential, as printed and as a careless
    // keyboard wedge types them.
    let resident = registry.by_name("resident_id_card").ok_or("no resident_id_card")?;
    let bundle = fixture::bundle(resident, Algorithm::EdDsa, Algorithm::Es256)?;
    let bundle_text = bundle.to_text();
    let holder = Holder::new(bundle, fixture::device_key(Algorithm::Es256))?;
    let hotel = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign()?.to_text().into_bytes();
    let mut lower = hotel.clone();
    lower.make_ascii_lowercase();
    let mut crlf = hotel.clone();
    crlf.extend_from_slice(b"\r\n");
    seeds.add("text_decode", "presentation".into(), hotel.clone());
    seeds.add("text_decode", "presentation-lowercase".into(), lower);
    seeds.add("text_decode", "presentation-crlf".into(), crlf);
    seeds.add("text_decode", "presentation-empty".into(), "NC1:");
    seeds.add("text_decode", "credential".into(), bundle_text);
    // Portrait frames after the government-window presentation the
    // portrait_frame target verifies: one frame's bytes, and a whole
    // transfer as text lines (its digest is of no photo, so it ends in a
    // digest mismatch).
    let window = holder.present(Disclose::Profile(Profile::GovernmentWindow)).at(NOW).sign()?;
    let sender = PortraitSender::with_symbol_size(&window, &[0x5a; 200], 64)?;
    let frame0 = text::decode(TextKind::Portrait, sender.frame(0)?.as_bytes())?;
    seeds.add("portrait_frame", "frame-bytes".into(), frame0);
    let lines: Vec<String> = (0..6).map(|i| sender.frame(i)).collect::<Result<_, _>>()?;
    seeds.add("portrait_frame", "transfer-lines".into(), lines.join("\n"));
    seeds.add("c_api_verify", "hotel".into(), hotel.clone());
    seeds.add("c_api_verify", "hotel-lowercase-crlf".into(), {
        let mut t = hotel.to_ascii_lowercase();
        t.extend_from_slice(b"\r\n");
        t
    });

    // Frames: `[width, height, stride padding, 0]` then the pixels, as
    // fuzz_targets/scan_gray.rs reads them; the hotel code at 1 px a module
    // (version 13: 69 modules + quiet zone = 77 px, within the header's 255).
    let code = std::str::from_utf8(&hotel)?;
    let (pixels, side) = nocard::qr::QrMatrix::encode(code, nocard::qr::EcLevel::M)?.to_gray(1);
    let side = u8::try_from(side)?;
    seeds.add("scan_gray", "hotel-1px".into(), [&[side, side, 0, 0][..], &pixels].concat());
    // Dark mode: the same code light on dark.
    let inverted: Vec<u8> = pixels.iter().map(|v| 255 - v).collect();
    seeds.add("scan_gray", "hotel-1px-inverted".into(), [&[side, side, 0, 0][..], &inverted].concat());
    // Hostile frames the scan budget must refuse quickly (tests/scan.rs has
    // them at 1280×720): finder patterns tiled at 1 and 2 px a module, a
    // checkerboard, and binary noise, all 255×255.
    for module in [1, 2] {
        seeds.add(
            "scan_gray",
            format!("finder-tiles-{module}px"),
            [&[255, 255, 0, 0][..], &finder_tiles(255, module)].concat(),
        );
    }
    let checkerboard: Vec<u8> = (0..255 * 255).map(|i| if (i % 255 + i / 255) % 2 == 0 { 0 } else { 255 }).collect();
    seeds.add("scan_gray", "checkerboard-1px".into(), [&[255, 255, 0, 0][..], &checkerboard].concat());
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let noise: Vec<u8> = (0..255 * 255)
        .map(|_| {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if state & 1 == 0 { 0 } else { 255 }
        })
        .collect();
    seeds.add("scan_gray", "binary-noise".into(), [&[255, 255, 0, 0][..], &noise].concat());
    // The C frame call reads the same layout, its format byte 0 being gray:
    // the same frames.
    for name in ["hotel-1px", "hotel-1px-inverted", "finder-tiles-1px", "checkerboard-1px", "binary-noise"] {
        seeds.copy("scan_gray", name, "c_api_frame");
    }
    // The hotel frame in the other layouts (the format byte plus one, mod 9,
    // is the C format value; the byte divided by 9 the pixel stride): NV21
    // with rows padded to the even chroma row, BGRA, a Y plane of pixel
    // stride 2, and a format value that names none.
    let width = usize::from(side);
    let nv21: Vec<u8> = pixels
        .chunks(width)
        .flat_map(|row| [row, &[128]].concat())
        .chain(std::iter::repeat_n(128, (width + 1) * width.div_ceil(2)))
        .collect();
    seeds.add("c_api_frame", "hotel-1px-nv21".into(), [&[side, side, 1, 4][..], &nv21].concat());
    let bgra: Vec<u8> = pixels.iter().flat_map(|&g| [g, g, g, 255]).collect();
    seeds.add("c_api_frame", "hotel-1px-bgra".into(), [&[side, side, 0, 3][..], &bgra].concat());
    let y_plane: Vec<u8> = pixels.iter().flat_map(|&g| [g, 128]).collect();
    seeds.add("c_api_frame", "hotel-1px-y-plane-2".into(), [&[side, side, 0, 24][..], &y_plane].concat());
    seeds.add("c_api_frame", "hotel-1px-unknown-format".into(), [&[side, side, 0, 7][..], &pixels].concat());

    // verify_mutated reads an edit list (its own `Arbitrary` format): one
    // byte picks which of its built-in presentations to edit, and no more
    // bytes means no edits.
    for i in 0..4u8 {
        seeds.add("verify_mutated", format!("original-{i}-unedited"), [i]);
    }

    // State the scanner keeps: a trust list signed by the fixture root (one
    // key per algorithm, one scoped, one for every type, a next root), and a
    // replay cache holding the hotel code.
    let entry = |alg, scope| IssuerEntry {
        key: fixture::issuer_key(alg).public_key().clone(),
        issuer: fixture::ISSUER.into(),
        scope,
        signs_from: Some(NOW - 86_400),
        signs_until: Some(NOW + 86_400),
        compromised_at: Some(NOW + 3_600),
    };
    let list = TrustList {
        sequence: 7,
        issued_at: NOW,
        next_update: NOW + 86_400,
        entries: vec![
            entry(Algorithm::EdDsa, KeyScope::types(&["resident_id_card", "driving_licence"])?),
            entry(Algorithm::Es256, KeyScope::AllTypes),
        ],
        next_roots: vec![fixture::device_key(Algorithm::EdDsa).public_key().clone()],
    };
    let signed = list.sign(&fixture::trust_root())?;
    seeds.add("trust_list", "two-issuers-next-root".into(), signed.clone());
    let mut store = TrustStore::new(vec![fixture::trust_root().public_key().clone()])?;
    seeds.add("trust_state", "provisioned".into(), store.to_bytes());
    store.update(&signed)?;
    seeds.add("trust_state", "rotated".into(), store.to_bytes());
    let mut cache = ReplayCache::new(16)?;
    cache.admit(&verifier.verify(&hotel, VERIFY_AT)?, VERIFY_AT)?;
    seeds.add("replay_state", "hotel".into(), cache.to_bytes());
    seeds.add("replay_state", "empty".into(), ReplayCache::new(1)?.to_bytes());
    for (name, bits, alg) in [("two-bit-eddsa", 2, Algorithm::EdDsa), ("one-bit-es256", 1, Algorithm::Es256)] {
        let mut statuses = StatusList::new(bits, 4096)?;
        statuses.set(7, Status::Revoked)?;
        let token = StatusListToken {
            issuer: fixture::ISSUER.into(),
            list_id: 7,
            issued_at: NOW - 60,
            expires: NOW + 86_400,
            ttl: Some(3600),
            list: statuses,
        };
        let signed = token.sign(&fixture::issuer_key(alg))?;
        seeds.add("status_list", name.into(), signed.clone());
        if alg == Algorithm::EdDsa {
            let keys = vec![TrustedKey::new(
                fixture::ISSUER,
                fixture::issuer_key(alg).public_key().clone(),
                KeyScope::AllTypes,
            )?];
            let mut store = StatusStore::new(keys);
            store.update(&signed, NOW)?;
            seeds.add("status_list", "saved-store".into(), store.to_bytes());
        }
    }

    // A desk's receipts for the hotel code (values and digests, both desk
    // algorithms), and a visitor log of them with a checkpoint.
    let hotel_verified = verifier.verify(&hotel, VERIFY_AT)?;
    let mut log = visitor_log::header();
    let mut head = visitor_log::Head { next_seq: 0, hash: visitor_log::GENESIS };
    for (alg, minimise, name) in
        [(Algorithm::EdDsa, Minimise::Values, "values-eddsa"), (Algorithm::Es256, Minimise::Digests, "digests-es256")]
    {
        let desk = fixture::desk_key(alg);
        let profile = Some(Profile::HotelCheckIn);
        let signed = Receipt::issue(&hotel_verified, &registry, &desk, "hotel:NB-0042", VERIFY_AT, profile, minimise)?;
        seeds.add("receipt", name.into(), signed.bytes.clone());
        let (record, next) = visitor_log::entry_record(head, VERIFY_AT, &signed.bytes)?;
        log.extend_from_slice(&record);
        head = next;
    }
    let (record, _) = visitor_log::checkpoint_record(
        head,
        VERIFY_AT,
        (0, visitor_log::GENESIS),
        &fixture::desk_key(Algorithm::EdDsa),
    );
    log.extend_from_slice(&record);
    seeds.add("visitor_log", "two-entries-checkpoint".into(), log);
    seeds.add("visitor_log", "empty".into(), visitor_log::header());

    let root = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus"),
    };
    for (target, files) in &seeds.0 {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        let total: usize = files.values().map(Vec::len).sum();
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes)?;
        }
        println!("{:<18} {:>3} seeds {:>7} bytes  {}", target, files.len(), total, relative(&dir).display());
    }
    Ok(())
}

fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path)
}

/// QR finder patterns (7×7 modules) one module apart over a `side`²
/// frame, `module` pixels a module.
fn finder_tiles(side: usize, module: usize) -> Vec<u8> {
    let mut out = vec![255u8; side * side];
    let pitch = 8 * module;
    for y in 0..side {
        for x in 0..side {
            let (tx, ty) = (x / pitch, y / pitch);
            let (mx, my) = ((x - tx * pitch) / module, (y - ty * pitch) / module);
            if (tx + 1) * pitch <= side && (ty + 1) * pitch <= side && mx < 7 && my < 7 {
                let ring = mx.min(my).min(6 - mx).min(6 - my);
                if ring != 1 {
                    out[y * side + x] = 0;
                }
            }
        }
    }
    out
}
