#!/usr/bin/env bash
# One verification and one fresh rotating-code frame, from Rust (the core
# API), Kotlin and Python (the bindings), on the same presentation and keys.
# Five rounds of the three in turn; a round's ratios compare runs seconds
# apart, so load on the shared machine falls on both sides alike, and the
# median of the five ratios is reported with the median µs per call.
# Not in CI (about three minutes once built).
#
#   bash bindings/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# The cdylib and the Rust baseline in one optimised profile of their own.
profile=bindings-bench
out=target/$profile
cargo rustc --quiet --profile $profile --lib --no-default-features --features uniffi --crate-type cdylib
cargo build --quiet --profile $profile --no-default-features --features uniffi --example bindings_bench
fixture=$out/bench-fixture.txt

# Python imports the generated package with the optimised library beside it.
rm -rf "$out/py" && mkdir -p "$out/py"
cp -r bindings/python/src/nocard "$out/py/"
cp "$out/libnocard.so" "$out/py/nocard/"
# Compiled once; each round runs the JUnit benchmark alone.
(cd bindings/kotlin && mvn -B -q -Dstyle.color=never test-compile >/dev/null)

results=""
for round in 1 2 3 4 5; do
    results+="$("$out/examples/bindings_bench" "$fixture")"$'\n'
    results+="$(cd bindings/kotlin && NOCARD_BENCH_FIXTURE="$PWD/../../$fixture" \
        mvn -B -q -Dstyle.color=never surefire:test -Dtest=BenchTest -Djna.library.path="$PWD/../../$out" |
        grep -o 'kotlin verify_us=.*')"$'\n'
    results+="$(PYTHONPATH="$out/py" python3 bindings/python/bench.py "$fixture")"$'\n'
done
printf '%s' "$results"

printf '%s' "$results" | awk '
    function median(list,   a, n, i, j, x) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { x = a[j]; a[j] = a[j - 1]; a[j - 1] = x }
        return a[int((n + 1) / 2)]
    }
    {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); t[kv[1]] = kv[2]; us[$1, kv[1]] = us[$1, kv[1]] " " kv[2] }
        if ($1 == "rust") { rv = t["verify_us"]; rf = t["frame_us"] }
        else { rat[$1, "verify"] = rat[$1, "verify"] " " t["verify_us"] / rv; rat[$1, "frame"] = rat[$1, "frame"] " " t["frame_us"] / rf }
    }
    END {
        printf "\nmedian of 5 rounds   verify µs   frame µs   ratio to Rust (median of the rounds)\n"
        printf "%-20s %9.1f %10.1f\n", "rust", median(us["rust", "verify_us"]), median(us["rust", "frame_us"])
        split("kotlin python", langs, " ")
        for (i = 1; i <= 2; i++) {
            l = langs[i]
            printf "%-20s %9.1f %10.1f   verify %.2fx, frame %.2fx\n", l, median(us[l, "verify_us"]), median(us[l, "frame_us"]),
                median(rat[l, "verify"]), median(rat[l, "frame"])
        }
    }'
