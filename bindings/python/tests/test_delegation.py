"""Delegation and consent (SPEC.md §17) from Python: the phones sign, the
desk checks, each refusal with its code."""

import hashlib

import pytest

import nocard

NOW = 1_795_420_800  # 2026-11-23T08:00:00Z
DAY = 86_400
YEAR = 365 * DAY
HOTEL = nocard.Disclose.PROFILE(name="hotel_check_in")


def person(bureau, seed):
    signer = nocard.software_signer(bytes([seed] * 32))
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR)
    return nocard.Holder(credential, signer), signer.public_key()


def test_a_delegate_acts_for_the_delegator(bureau, desk):
    mother, _ = person(bureau, 0x22)
    son, son_key = person(bureau, 0x23)
    delegation = mother.delegate("register_child_residence", son_key, NOW - 60, NOW + 7 * DAY)
    assert delegation.startswith("NCD1:")
    shown = son.act(delegation, HOTEL, NOW, 30, None)
    seen = desk.verify_acting(shown, "register_child_residence", NOW + 2)
    assert (seen.matter, seen.not_before, seen.expires) == ("register_child_residence", NOW - 60, NOW + 7 * DAY)
    assert [c.name for c in seen.delegator.claims] == ["name", "id_number"]
    assert seen.delegate.doc_type == "resident_id_card"

    with pytest.raises(nocard.NocardError.Delegation) as e:
        desk.verify_acting(shown, "collect_certificate", NOW + 2)
    assert (e.value.code, e.value.detail) == ("matter_mismatch", None)
    with pytest.raises(nocard.NocardError.Delegation) as e:
        desk.verify_acting(shown, "register_child_residence", NOW + 8 * DAY)
    assert e.value.code == "delegation_expired"
    # From a credential that has expired meanwhile: the delegator's is refused first.
    with pytest.raises(nocard.NocardError.Delegation) as e:
        desk.verify_acting(shown, "register_child_residence", NOW + YEAR + 60)
    assert (e.value.code, e.value.detail) == ("signer_credential_rejected", "credential_expired")
    stranger, _ = person(bureau, 0x24)
    with pytest.raises(nocard.NocardError.Delegation) as e:
        desk.verify_acting(stranger.act(delegation, HOTEL, NOW, 30, None), "register_child_residence", NOW + 2)
    assert e.value.code == "wrong_delegate"


def test_a_consent_answers_one_request(bureau, desk):
    mother, _ = person(bureau, 0x22)
    request = hashlib.sha256(b"school trip 2026-12-05").digest()
    consent = mother.consent(request, True, NOW - 60, NOW + 600)
    assert consent.startswith("NCK1:")
    seen = desk.verify_consent(consent, request, NOW)
    assert seen.answer is True
    assert [c.name for c in seen.consenter.claims] == ["name", "id_number"]
    with pytest.raises(nocard.NocardError.Delegation) as e:
        desk.verify_consent(consent, hashlib.sha256(b"another trip").digest(), NOW)
    assert e.value.code == "request_mismatch"
    with pytest.raises(nocard.NocardError.Delegation) as e:
        desk.verify_consent(consent, request, NOW + 610)
    assert e.value.code == "consent_expired"
