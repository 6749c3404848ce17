"""The wallet's 8-digit numeric check code (SPEC.md §12) from Python."""

import pytest

import nocard

NOW = 1_795_420_800  # 2026-11-23T08:00:00Z, a step boundary
YEAR = 365 * 86_400
CODE_KEY = bytes([0x44] * 32)  # SPEC.md §12.1's check value


@pytest.fixture(scope="module")
def signer():
    return nocard.software_signer(bytes([0x22] * 32))


def issue(bureau, signer, **extra):
    return bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR, **extra)


def test_the_wallet_shows_the_code_of_the_current_step(bureau, signer):
    holder = nocard.Holder(issue(bureau, signer, credential_id=b"\x01\x02", code_key=CODE_KEY), signer)
    assert holder.numeric_code(NOW) == nocard.NumericCode(code="39034247", step=59_847_360, seconds_left=30)
    assert holder.numeric_code(NOW + 29) == nocard.NumericCode(code="39034247", step=59_847_360, seconds_left=1)
    assert holder.numeric_code(NOW + 95) == nocard.NumericCode(code="93069014", step=59_847_363, seconds_left=25)
    # Another credential id, another secret, another code.
    other = nocard.Holder(issue(bureau, signer, credential_id=b"\x01\x03", code_key=CODE_KEY), signer)
    assert other.numeric_code(NOW).code != "39034247"


def test_a_credential_issued_without_a_code_key_has_none(bureau, signer):
    assert nocard.Holder(issue(bureau, signer), signer).numeric_code(NOW) is None


def test_a_code_key_needs_a_credential_id_and_32_bytes(bureau, signer):
    with pytest.raises(nocard.NocardError.Usage) as e:
        issue(bureau, signer, code_key=CODE_KEY)
    assert e.value.reason == "usage error: a numeric code needs a credential id"
    with pytest.raises(nocard.NocardError.Usage) as e:
        issue(bureau, signer, credential_id=b"\x01", code_key=CODE_KEY[:31])
    assert e.value.reason == "usage error: a numeric-code key is 32 bytes, not 31"
