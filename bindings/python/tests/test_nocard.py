"""The Python bindings against the real library: issue, present with a
Python signer, verify, and every refusal with its stable code."""

import pytest

import nocard
from p256 import SoftP256

NOW = 1_795_420_800  # 2026-11-23T08:00:00Z, the start of a 30 s window
YEAR = 365 * 86_400
HOTEL = nocard.Disclose.PROFILE(name="hotel_check_in")


class PythonSigner(nocard.DeviceSigner):
    """A DeviceSigner written in Python: X.509 public key, DER signatures."""

    def __init__(self):
        self.key = SoftP256()
        self.signatures = 0

    def public_key(self):
        return self.key.spki()

    def sign(self, message):
        self.signatures += 1
        return self.key.sign_der(message)


class RaisingSigner(nocard.DeviceSigner):
    """Holds the right public key, but its keystore refuses to sign."""

    def __init__(self, key_of, error):
        self.key_of = key_of
        self.error = error

    def public_key(self):
        return self.key_of.public_key()

    def sign(self, message):
        raise self.error


@pytest.fixture(scope="module")
def signer():
    return PythonSigner()


@pytest.fixture(scope="module")
def credential(bureau, signer):
    return bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR)


@pytest.fixture(scope="module")
def holder(credential, signer):
    return nocard.Holder(credential, signer)


def desk(bureau, scope=None, policy=None, issuer="NBPSB", key=None):
    trusted = nocard.TrustedIssuer(
        issuer=issuer,
        public_key=key if key is not None else bureau.public_key(),
        scope=scope if scope is not None else nocard.KeyScope.TYPES(names=["resident_id_card"]),
    )
    return nocard.Verifier([trusted], policy if policy is not None else nocard.Policy())


def tamper_device_signature(text):
    """Changes one character inside the device signature (the last bytes)."""
    body = text[len("NC1:"):]
    at = (len(body) // 3 - 1) * 3  # first character of the last full base45 triple
    swapped = "1" if body[at] == "0" else "0"
    return "NC1:" + body[:at] + swapped + body[at + 1:]


def test_a_python_signed_code_verifies_with_typed_claims(bureau, holder):
    assert holder.doc_type() == "resident_id_card"
    text = holder.present(HOTEL, NOW + 7, 30, 4711, None)
    seen = desk(bureau, policy=nocard.Policy(challenge=4711)).verify(text, NOW + 9)
    assert (seen.doc_type, seen.issuer, seen.window_start, seen.window_end) == ("resident_id_card", "NBPSB", NOW, NOW + 30)
    assert seen.challenge == 4711
    assert len(seen.presentation_id) == 32
    claims = {c.name: c.value for c in seen.claims}
    assert claims["name"] == nocard.ClaimValue.TEXT(value="王小明")
    assert claims["birth_date"] == nocard.ClaimValue.DATE(year=1990, month=5, day=17)
    assert "address" not in claims


def test_the_software_signer_and_the_rotating_code(bureau):
    signer = nocard.software_signer(bytes([0x22] * 32))
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR)
    code = nocard.RotatingPresenter(nocard.Holder(credential, signer), HOTEL, 30)
    first = code.frame(NOW + 5)
    assert (first.window_start, first.redraw_at, first.seconds_to_redraw) == (NOW, NOW + 28, 23)
    assert (first.qr.version, first.qr.width, len(first.qr.dark)) == (13, 69, 69 * 69)
    same = code.frame(NOW + 27)  # cached: not re-signed inside the window
    assert (same.text, same.redraw_at, same.qr.dark) == (first.text, first.redraw_at, first.qr.dark)
    nxt = code.frame(NOW + 28)
    assert (nxt.window_start, nxt.redraw_at) == (NOW + 30, NOW + 58)
    assert desk(bureau).verify(nxt.text, NOW + 28).window_start == NOW + 30
    assert code.png(NOW + 28, 2)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_tampered_code(bureau, holder):
    text = holder.present(HOTEL, NOW, 30, None, None)
    with pytest.raises(nocard.NocardError.BadDeviceSignature) as e:
        desk(bureau).verify(tamper_device_signature(text), NOW)
    assert e.value.code == "bad_device_signature"


def test_a_stale_screenshot(bureau, holder):
    text = holder.present(HOTEL, NOW, 30, None, None)
    with pytest.raises(nocard.NocardError.WindowExpired) as e:
        desk(bureau).verify(text, NOW + 60)
    assert (e.value.code, e.value.end, e.value.now) == ("window_expired", NOW + 30, NOW + 60)
    assert e.value.reason == f"presentation window ended at {NOW + 30} (now {NOW + 60})"


def test_another_issuer(bureau, holder):
    text = holder.present(HOTEL, NOW, 30, None, None)
    with pytest.raises(nocard.NocardError.UnknownKey) as e:
        desk(bureau, key=nocard.Issuer.generate("NBPSB").public_key()).verify(text, NOW)
    assert e.value.code == "unknown_key"
    with pytest.raises(nocard.NocardError.IssuerMismatch) as e:
        desk(bureau, issuer="SHPSB").verify(text, NOW)
    assert e.value.code == "issuer_mismatch"


def test_the_challenge(bureau, holder):
    text = holder.present(HOTEL, NOW, 30, 1111, None)
    with pytest.raises(nocard.NocardError.ChallengeMismatch) as e:
        desk(bureau, policy=nocard.Policy(challenge=4711)).verify(text, NOW)
    assert (e.value.code, e.value.expected, e.value.found) == ("challenge_mismatch", 4711, 1111)


def test_a_scoped_key(bureau, holder):
    text = holder.present(HOTEL, NOW, 30, None, None)
    with pytest.raises(nocard.NocardError.KeyNotAllowedForDocType) as e:
        desk(bureau, scope=nocard.KeyScope.TYPES(names=["university_diploma"])).verify(text, NOW)
    assert e.value.code == "key_not_allowed_for_doc_type"
    assert desk(bureau, scope=nocard.KeyScope.ALL_TYPES()).verify(text, NOW).doc_type == "resident_id_card"


def test_audience_and_requirements(bureau, holder):
    addressed = holder.present(HOTEL, NOW, 30, None, "hotel-7")
    with pytest.raises(nocard.NocardError.AudienceMismatch) as e:
        desk(bureau).verify(addressed, NOW)
    assert e.value.code == "audience_mismatch"
    assert desk(bureau, policy=nocard.Policy(audience="hotel-7")).verify(addressed, NOW).audience == "hotel-7"
    plain = holder.present(HOTEL, NOW, 30, None, None)
    with pytest.raises(nocard.NocardError.MissingRequiredClaim) as e:
        desk(bureau, policy=nocard.Policy(requirements=["address"])).verify(plain, NOW)
    assert (e.value.code, e.value.name) == ("missing_required_claim", "address")


@pytest.mark.parametrize(
    "raised, reason",
    [
        (ValueError("keystore locked"), "usage error: device signer failed: ValueError('keystore locked')"),
        (nocard.NocardError.Signer(code="usage", reason="user cancelled"), "usage error: device signer failed: user cancelled"),
    ],
)
def test_a_signer_that_raises(credential, signer, raised, reason):
    refusing = nocard.Holder(credential, RaisingSigner(signer, raised))
    with pytest.raises(nocard.NocardError.Signer) as e:
        refusing.present(HOTEL, NOW, 30, None, None)
    assert (e.value.code, e.value.reason) == ("usage", reason)


def test_a_signer_of_another_key(credential):
    with pytest.raises(nocard.NocardError.Usage) as e:
        nocard.Holder(credential, PythonSigner())
    assert e.value.reason == "usage error: device key is not the key the credential is bound to"


@pytest.mark.parametrize(
    "scope, policy, detail",
    [
        (nocard.KeyScope.TYPES(names=[]), None, "empty_key_scope"),
        (None, nocard.Policy(clock_skew=301), "clock_skew"),
        (None, nocard.Policy(profile="hotel"), "unknown_profile"),
        (None, nocard.Policy(requirements=["age_over_81"]), "unknown_claim_name"),
        (None, nocard.Policy(requirements=["age_over_18=yes"]), "requirement_value"),
        (None, nocard.Policy(challenge=1_000_000), "challenge"),
    ],
)
def test_configurations_refused_when_set(bureau, scope, policy, detail):
    with pytest.raises(nocard.NocardError.InvalidConfig) as e:
        desk(bureau, scope=scope, policy=policy)
    assert (e.value.code, e.value.detail) == ("invalid_config", detail)


def test_malformed_input(bureau):
    with pytest.raises(nocard.NocardError.Malformed) as e:
        desk(bureau).verify("HELLO", NOW)
    assert (e.value.code, e.value.detail, e.value.offset) == ("malformed", "missing_prefix", 0)
