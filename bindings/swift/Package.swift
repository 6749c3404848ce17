// swift-tools-version:5.9
// nocard for iOS and macOS through SwiftPM: the Swift that uniffi generates
// (Sources/Nocard, kept current by bindings/generate.sh) over an XCFramework
// of the Rust library, built as README.md "Swift (SwiftPM)" shows. Neither is
// compiled on the project's machines, which have no Swift toolchain.
import PackageDescription

let package = Package(
    name: "Nocard",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Nocard", targets: ["Nocard"]),
    ],
    targets: [
        // libnocard.a for each platform, with nocardFFI.h and a copy of
        // nocardFFI.modulemap named module.modulemap as its headers: the C
        // module `nocardFFI` that Nocard.swift imports.
        .binaryTarget(name: "nocardFFI", path: "nocardFFI.xcframework"),
        .target(
            name: "Nocard",
            dependencies: ["nocardFFI"],
            path: "Sources/Nocard",
            // Generated beside the Swift; the XCFramework carries them.
            exclude: ["nocardFFI.h", "nocardFFI.modulemap"]
        ),
    ]
)
