"""The Python side of bindings/bench.sh: the calls
examples/bindings_bench.rs times in Rust, on the same fixture, timed the
same way.

    python3 bindings/python/bench.py FIXTURE   # with nocard importable
"""

import sys
import time

import nocard

BATCHES = 21
PER_BATCH = 50


def median_us(f):
    """Median over BATCHES of the mean µs per call of f(i); i counts every
    call from 0, warm-up batch included."""
    i = 0

    def batch():
        nonlocal i
        start = time.perf_counter()
        for _ in range(PER_BATCH):
            f(i)
            i += 1
        return (time.perf_counter() - start) * 1e6 / PER_BATCH

    batch()  # warm-up
    return sorted(batch() for _ in range(BATCHES))[BATCHES // 2]


def main(path):
    fixture = dict(line.split("=", 1) for line in open(path).read().splitlines())
    now = int(fixture["now"])
    text = fixture["presentation"]
    issuer = nocard.TrustedIssuer(
        issuer="NBPSB",
        public_key=bytes.fromhex(fixture["issuer_public"]),
        scope=nocard.KeyScope.TYPES(names=["resident_id_card"]),
    )
    desk = nocard.Verifier([issuer], nocard.Policy())
    assert desk.verify(text, now).doc_type == "resident_id_card"
    verify_us = median_us(lambda _: desk.verify(text, now))
    signer = nocard.software_signer(bytes.fromhex(fixture["device_secret"]))
    holder = nocard.Holder(fixture["credential"], signer)
    code = nocard.RotatingPresenter(holder, nocard.Disclose.PROFILE(name="hotel_check_in"), 30)
    # Every call is in the next window: freshly signed and encoded.
    frame_us = median_us(lambda i: code.frame(now + 30 * i))
    print(f"python verify_us={verify_us:.1f} frame_us={frame_us:.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
