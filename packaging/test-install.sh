#!/usr/bin/env bash
# Installs the C library into a fresh prefix (packaging/install-c.sh) and
# builds examples/c/scanner.c through pkg-config and through CMake's
# find_package, each run on the fixtures and compared with
# examples/c/expected.txt.
#
#   packaging/test-install.sh [std|nostd]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:-std}
work=$root/target/c/install-$flavour
fixtures=$root/target/c/fixtures
[ -f "$fixtures/now.txt" ] || make -C "$root/examples/c" fixtures
rm -rf "$work"
mkdir -p "$work"
bash "$root/packaging/install-c.sh" "$work/prefix" "$flavour"

run_scanner() {
    "$1" "$fixtures/issuer.cose" NBPSB "$(cat "$fixtures/now.txt")" <"$fixtures/scans.txt" >"$1.out"
    diff -u "$root/examples/c/expected.txt" "$1.out"
    echo "$1: output as expected"
}

# pkg-config
export PKG_CONFIG_PATH=$work/prefix/lib/pkgconfig
echo "+ pkg-config --cflags --libs nocard: $(pkg-config --cflags --libs nocard)"
[ "$(pkg-config --modversion nocard)" = "$(awk -F'"' '/^version = / {print $2; exit}' "$root/Cargo.toml")" ]
[ "$(pkg-config --variable=flavour nocard)" = "$flavour" ]
# shellcheck disable=SC2046 # pkg-config's output is a list of words
gcc -std=c99 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags nocard) -o "$work/scanner-pkg-config" \
    "$root/examples/c/scanner.c" -Wl,--gc-sections $(pkg-config --libs nocard)
run_scanner "$work/scanner-pkg-config"

# CMake
mkdir -p "$work/cmake-project"
cat >"$work/cmake-project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.13)
project(nocard_scanner C)
find_package(nocard 0.2 REQUIRED CONFIG)
if(NOT nocard_FLAVOUR STREQUAL "$flavour")
  message(FATAL_ERROR "nocard_FLAVOUR is \${nocard_FLAVOUR}, expected $flavour")
endif()
add_executable(scanner "$root/examples/c/scanner.c")
set_property(TARGET scanner PROPERTY C_STANDARD 99)
target_compile_options(scanner PRIVATE -Wall -Wextra -Werror -pedantic)
target_link_libraries(scanner PRIVATE nocard::nocard)
CMAKE
cmake -S "$work/cmake-project" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
run_scanner "$work/cmake-build/scanner"
