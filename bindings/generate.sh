#!/usr/bin/env bash
# Regenerates bindings/kotlin, bindings/python and bindings/swift from the
# cdylib built with the `uniffi` feature, in library mode, with the crate's
# own `uniffi-bindgen` (same uniffi version as the library, so the checksums
# the bindings check at load time always match). `--no-format`: the output
# does not depend on which formatters a machine has.
#
#   bash bindings/generate.sh         # prints the cdylib's path last
set -euo pipefail
cd "$(dirname "$0")/.."

# The main crate is an rlib only (a cdylib would break the no_std build), so
# the cdylib is asked for here, as the C stage does for its libraries.
cargo rustc --quiet --lib --no-default-features --features uniffi --crate-type cdylib
case "$(uname -s)" in
    Darwin) lib=target/debug/libnocard.dylib ;;
    *) lib=target/debug/libnocard.so ;;
esac

cargo build --quiet --features uniffi-bindgen --bin uniffi-bindgen
bindgen() {
    target/debug/uniffi-bindgen generate --library "$lib" --no-format "$@"
}
bindgen --language kotlin --out-dir bindings/kotlin/src/main/kotlin
bindgen --language python --out-dir bindings/python/src/nocard
bindgen --language swift --out-dir bindings/swift/Sources/Nocard
echo "$lib"
