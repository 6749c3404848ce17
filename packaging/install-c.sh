#!/usr/bin/env bash
# Installs nocard's C library into a prefix the way a firmware build expects
# it: the header, the archive as libnocard.a, a pkg-config file and a CMake
# package. Builds the library first unless it is there already.
#
#   packaging/install-c.sh PREFIX [std|nostd]
#
#   PREFIX/include/nocard.h
#   PREFIX/lib/libnocard.a                       (either library, same name)
#   PREFIX/lib/pkgconfig/nocard.pc               pkg-config --cflags --libs nocard
#   PREFIX/lib/cmake/nocard/nocardConfig.cmake   find_package(nocard 0.2) → nocard::nocard
#   PREFIX/lib/cmake/nocard/nocardConfigVersion.cmake
#
# Both are static libraries, so the system libraries go in Libs (pkg-config)
# and INTERFACE_LINK_LIBRARIES (CMake), not only for --static links.
# packaging/test-install.sh builds examples/c through both from a fresh prefix.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:?usage: install-c.sh PREFIX [std|nostd]}
flavour=${2:-std}
version=$(awk -F'"' '/^version = / {print $2; exit}' "$root/Cargo.toml")

case "$flavour" in
std)
    archive=$root/target/release/libnocard.a
    [ -f "$archive" ] || (cd "$root" && cargo rustc --lib --release --no-default-features --features ffi,std --crate-type staticlib)
    # What `rustc --print native-static-libs` lists (x86-64 Linux, glibc).
    syslibs=(gcc_s util rt pthread m dl c)
    ;;
nostd)
    archive=$root/target/firmware-nostd/libnocard_ffi_nostd.a
    [ -f "$archive" ] || make -C "$root/examples/c" lib-nostd
    syslibs=(c)
    ;;
*)
    echo "flavour must be std or nostd" >&2
    exit 2
    ;;
esac

mkdir -p "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/nocard"
prefix=$(cd "$prefix" && pwd)
install -m 644 "$root/include/nocard.h" "$prefix/include/nocard.h"
install -m 644 "$archive" "$prefix/lib/libnocard.a"

cat >"$prefix/lib/pkgconfig/nocard.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include
flavour=$flavour

Name: nocard
Description: Offline verification of nocard e-ID presentations (NC1: codes), $flavour C library
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lnocard $(printf -- '-l%s ' "${syslibs[@]}")
PC

cat >"$prefix/lib/cmake/nocard/nocardConfig.cmake" <<CMAKE
# nocard $version, $flavour C library: the imported target nocard::nocard.
get_filename_component(_nocard_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET nocard::nocard)
  add_library(nocard::nocard STATIC IMPORTED)
  set_target_properties(nocard::nocard PROPERTIES
    IMPORTED_LOCATION "\${_nocard_prefix}/lib/libnocard.a"
    INTERFACE_INCLUDE_DIRECTORIES "\${_nocard_prefix}/include"
    INTERFACE_LINK_LIBRARIES "$(IFS=';'; echo "${syslibs[*]}")")
endif()
set(nocard_FLAVOUR "$flavour")
unset(_nocard_prefix)
CMAKE

# 0.x: a minor version may break the API, so only the same 0.MINOR matches.
cat >"$prefix/lib/cmake/nocard/nocardConfigVersion.cmake" <<CMAKE
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION_MAJOR STREQUAL "$(cut -d. -f1 <<<"$version")" AND
   PACKAGE_FIND_VERSION_MINOR STREQUAL "$(cut -d. -f2 <<<"$version")" AND
   NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
CMAKE
echo "installed nocard $version ($flavour) into $prefix"
