"""A P-256 (secp256r1) ECDSA signer in plain Python, standing in for a
hardware keystore: X.509 public key out, DER signatures out, as a Python
desk's HSM or a Java keystore would give them. For tests only: not
constant-time."""

import hashlib
import secrets

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def _add(p, q):
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        m = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P)
    else:
        m = (q[1] - p[1]) * pow(q[0] - p[0], -1, P)
    x = (m * m - p[0] - q[0]) % P
    return (x, (m * (p[0] - x) - p[1]) % P)


def _mul(k, point):
    result = None
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def _der_int(v):
    b = v.to_bytes(32, "big").lstrip(b"\0")
    if not b or b[0] & 0x80:
        b = b"\0" + b
    return b"\x02" + bytes([len(b)]) + b


class SoftP256:
    def __init__(self):
        self.d = secrets.randbelow(N - 1) + 1
        x, y = _mul(self.d, G)
        self.point = b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")

    def spki(self):
        return SPKI_PREFIX + self.point

    def sign_der(self, message):
        z = int.from_bytes(hashlib.sha256(message).digest(), "big")
        while True:
            k = secrets.randbelow(N - 1) + 1
            r = _mul(k, G)[0] % N
            s = pow(k, -1, N) * (z + r * self.d) % N
            if r and s:
                body = _der_int(r) + _der_int(s)
                return b"\x30" + bytes([len(body)]) + body
