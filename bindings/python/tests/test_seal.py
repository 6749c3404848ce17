"""Sealed codes (SPEC.md §13) from Python: the phone seals to a scanner
group's public key, only a desk holding the group's secret key reads it."""

import pytest

import nocard

NOW = 1_795_420_800
YEAR = 365 * 86_400


def group_key(byte):
    # A secret X25519 group COSE_Key {1: 1, 3: -25, -1: 4, -4: d}; the
    # public part may be left out (SPEC.md §13.2).
    return nocard.GroupKey(bytes.fromhex("a40101033818200423 5820".replace(" ", "")) + bytes([byte] * 32))


@pytest.fixture(scope="module")
def plain(bureau):
    signer = nocard.software_signer(bytes([0x22] * 32))
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR)
    return nocard.Holder(credential, signer).present(nocard.Disclose.PROFILE(name="hotel_check_in"), NOW, 30, None, None)


def test_only_the_groups_desk_reads_a_sealed_code(issuers, desk, plain):
    group = group_key(0x55)
    sealed = nocard.seal_presentation(plain, group.public_key())
    assert sealed.startswith("NCS1:")
    strict = nocard.Verifier.sealed(issuers, [group], nocard.Policy(require_sealed=True))
    assert strict.verify(sealed, NOW + 3).sealed_to == group.key_id()
    with pytest.raises(nocard.NocardError.SealRequired):
        strict.verify(plain, NOW + 3)
    other = nocard.Verifier.sealed(issuers, [group_key(0x56)], nocard.Policy())
    with pytest.raises(nocard.NocardError.SealedForOtherGroup) as e:
        other.verify(sealed, NOW + 3)
    assert e.value.key_id == group.key_id()
    with pytest.raises(nocard.NocardError.SealedNoGroupKey):
        desk.verify(sealed, NOW + 3)
    altered = sealed[:60] + ("1" if sealed[60] == "0" else "0") + sealed[61:]
    with pytest.raises(nocard.NocardError.SealedOpenFailed):
        strict.verify(altered, NOW + 3)
    with pytest.raises(nocard.NocardError.WindowExpired):
        strict.verify(sealed, NOW + 60)


def test_group_key_misuse_is_refused(issuers, bureau):
    with pytest.raises(nocard.NocardError.InvalidKey):
        nocard.GroupKey(bureau.public_key())
    with pytest.raises(nocard.NocardError.InvalidConfig):
        nocard.Verifier.sealed(issuers, [], nocard.Policy(require_sealed=True))
