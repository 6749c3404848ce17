"""Revocation at the desk through the bindings: issuer-signed status lists
in a StatusStore, checked by Verifier.verify_at_desk."""

import pytest

import nocard
from test_nocard import HOTEL, NOW, YEAR, PythonSigner


def code(bureau, index):
    """A code whose credential is entry `index` of status list 3."""
    signer = PythonSigner()
    status = nocard.StatusRef(list_id=3, index=index)
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR, status)
    return nocard.Holder(credential, signer).present(HOTEL, NOW, 30, None, None)


def status_list(bureau, issued_at):
    """List 3: entry 1 revoked, entry 2 suspended, 8 entries of 2 bits."""
    return bureau.sign_status_list(3, issued_at, NOW + 3600, 2, bytes([0, 1, 2, 0, 0, 0, 0, 0]))


def test_the_desk_says_which_list_decided(bureau, issuers, desk):
    store = nocard.StatusStore(issuers, False)
    with pytest.raises(nocard.NocardError.StatusListMissing) as e:
        desk.verify_at_desk(code(bureau, 0), NOW, store, None)
    assert (e.value.code, e.value.list_id) == ("status_list_missing", 3)
    info = store.update(status_list(bureau, NOW - 60), NOW)
    assert (info.issuer, info.list_id, info.issued_at, info.entries, info.bits) == ("NBPSB", 3, NOW - 60, 8, 2)
    accepted = desk.verify_at_desk(code(bureau, 0), NOW, store, nocard.ReplayCache(4))
    assert accepted.status == nocard.StatusDecision.VALID(list=info)
    assert accepted.verification.doc_type == "resident_id_card"


def test_revoked_and_suspended_are_distinct_errors(bureau, issuers, desk):
    store = nocard.StatusStore(issuers, False)
    store.update(status_list(bureau, NOW - 60), NOW)
    with pytest.raises(nocard.NocardError.CredentialRevoked) as e:
        desk.verify_at_desk(code(bureau, 1), NOW, store, None)
    assert (e.value.code, e.value.reason) == ("credential_revoked", "credential is revoked")
    with pytest.raises(nocard.NocardError.CredentialSuspended) as e:
        desk.verify_at_desk(code(bureau, 2), NOW, store, None)
    assert e.value.code == "credential_suspended"
    with pytest.raises(nocard.NocardError.StatusIndexOutOfRange) as e:
        desk.verify_at_desk(code(bureau, 8), NOW, store, None)
    assert (e.value.index, e.value.entries) == (8, 8)


def test_a_missing_list_accepted_is_flagged(bureau, issuers, desk):
    lenient = nocard.StatusStore(issuers, True)
    flagged = desk.verify_at_desk(code(bureau, 1), NOW, lenient, None)
    assert flagged.status == nocard.StatusDecision.MISSING(list_id=3)


def test_old_and_foreign_lists_are_refused_and_the_store_survives_a_restart(bureau, issuers, tmp_path):
    path = str(tmp_path / "status.db")
    nocard.StatusStore.open(path, issuers, False).update(status_list(bureau, NOW - 60), NOW)
    reopened = nocard.StatusStore.open(path, issuers, False)
    with pytest.raises(nocard.NocardError.StatusListRollback) as e:
        reopened.update(status_list(bureau, NOW - 120), NOW)
    assert (e.value.held, e.value.offered) == (NOW - 60, NOW - 120)
    stranger = nocard.Issuer.generate("NBPSB")
    with pytest.raises(nocard.NocardError.StatusListUnknownKey):
        reopened.update(stranger.sign_status_list(3, NOW, NOW + 3600, 1, bytes(8)), NOW)
    damaged = open(path, "rb").read()[:-1]
    open(path, "wb").write(damaged)
    with pytest.raises(nocard.NocardError.StatusStateDamaged) as e:
        nocard.StatusStore.open(path, issuers, False)
    assert (e.value.code, e.value.detail) == ("status_state_damaged", "state_checksum")
