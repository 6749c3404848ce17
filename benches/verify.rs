//! Full verification of a hotel check-in presentation against its floor:
//! the two bare signature verifications it contains (same keys, same
//! messages). Run with `cargo bench --bench verify`; the ratio of the two
//! medians is the overhead of everything but the signatures.

use coset::{AsCborValue, CborSerializable, CoseSign1};
use criterion::{Criterion, criterion_group, criterion_main};
use nocard::credential::Issuer;
use nocard::document::{Profile, Registry};
use nocard::keys::{Algorithm, SecretKey};
use nocard::presentation::{Disclose, Holder};
use nocard::verify::{KeyScope, Policy, TrustedKey, Verifier};
use std::hint::black_box;

const NOW: u64 = 1_795_420_800;

fn bench(c: &mut Criterion) {
    let issuer_key = SecretKey::from_bytes(Algorithm::EdDsa, &[0x11; 32]).unwrap();
    let device_key = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let issuer_public = issuer_key.public_key().clone();
    let device_public = device_key.public_key().clone();
    let doc = Registry::builtin().by_name("resident_id_card").unwrap().clone();
    let bundle = Issuer::new("NBPSB", issuer_key)
        .unwrap()
        .credential(&doc, &device_public, doc.example_claims())
        .validity(NOW - 1000, NOW + 1000)
        .sign()
        .unwrap();
    let holder = Holder::new(bundle, device_key).unwrap();
    let presentation = holder.present(Disclose::Profile(Profile::HotelCheckIn)).at(NOW).sign().unwrap();
    let text = presentation.to_text();
    let scope = KeyScope::types(&["resident_id_card"]).unwrap();
    let trusted = TrustedKey::new("NBPSB", issuer_public.clone(), scope).unwrap();
    let verifier = Verifier::new(vec![trusted], Policy::default()).unwrap();
    assert!(verifier.verify(text.as_bytes(), NOW).is_ok());

    // The two signed messages, extracted with coset.
    let outer = CoseSign1::from_slice(presentation.as_bytes()).unwrap();
    let device_tbs = outer.tbs_data(&[]);
    let device_sig = outer.signature.clone();
    let payload: ciborium::Value = ciborium::from_reader(outer.payload.as_deref().unwrap()).unwrap();
    let credential_value = payload.as_map().unwrap()[0].1.clone();
    let credential = CoseSign1::from_cbor_value(credential_value).unwrap();
    let issuer_tbs = credential.tbs_data(&[]);
    let issuer_sig = credential.signature.clone();

    let mut group = c.benchmark_group("verify");
    group.bench_function("full (text in, typed result out)", |b| {
        b.iter(|| verifier.verify(black_box(text.as_bytes()), NOW).unwrap())
    });
    group.bench_function("bare signatures (Ed25519 + P-256)", |b| {
        b.iter(|| {
            issuer_public.verify(black_box(&issuer_tbs), &issuer_sig).unwrap();
            device_public.verify(black_box(&device_tbs), &device_sig).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, bench);

fn bench_key_decoding(c: &mut Criterion) {
    let device = SecretKey::from_bytes(Algorithm::Es256, &[0x22; 32]).unwrap();
    let cose = device.public_key().to_cose_key();
    c.bench_function("decode compressed P-256 device key", |b| {
        b.iter(|| nocard::keys::PublicKey::from_cose_key(black_box(&cose)).unwrap())
    });
}

criterion_group!(keys, bench_key_decoding);
criterion_main!(benches, keys);
