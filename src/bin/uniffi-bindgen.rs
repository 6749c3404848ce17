//! uniffi's generator, built from the same uniffi version as the library:
//! `cargo run --features uniffi-bindgen --bin uniffi-bindgen -- generate --library <cdylib> ...`
//! (bindings/generate.sh runs it).

fn main() {
    uniffi::uniffi_bindgen_main()
}
