"""The desk's offline state through the bindings: the replay cache and
signed trust lists; and a Rust panic, which arrives as InternalError."""

import pytest

import nocard
from nocard import nocard as generated
from conftest import IDS
from test_nocard import HOTEL, NOW, YEAR, PythonSigner


@pytest.fixture(scope="module")
def holder(bureau):
    signer = PythonSigner()
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR)
    return nocard.Holder(credential, signer)


def test_a_replay_is_refused_with_its_first_sighting(holder, desk):
    replay = nocard.ReplayCache(2)
    text = holder.present(HOTEL, NOW, 30, None, None)
    assert desk.verify_once(text, NOW + 1, replay).window_start == NOW
    with pytest.raises(nocard.NocardError.Replayed) as e:
        desk.verify_once(text, NOW + 5, replay)
    assert (e.value.code, e.value.first_seen) == ("replayed", NOW + 1)
    assert e.value.reason == f"presentation already accepted at {NOW + 1}"
    desk.verify_once(holder.present(HOTEL, NOW + 30, 30, None, None), NOW + 30, replay)
    with pytest.raises(nocard.NocardError.ReplayCacheFull) as e:
        desk.verify_once(holder.present(HOTEL, NOW + 60, 30, None, None), NOW + 60, replay)
    assert (e.value.code, e.value.capacity) == ("replay_cache_full", 2)


def test_a_saved_replay_cache_survives_a_restart(holder, desk, tmp_path):
    path = str(tmp_path / "replay.db")
    text = holder.present(HOTEL, NOW, 30, None, None)
    desk.verify_once(text, NOW + 1, nocard.ReplayCache.open(path, 8))
    with pytest.raises(nocard.NocardError.Replayed) as e:
        desk.verify_once(text, NOW + 2, nocard.ReplayCache.open(path, 8))
    assert e.value.first_seen == NOW + 1
    damaged = bytearray(open(path, "rb").read())
    damaged[-1] ^= 1
    open(path, "wb").write(bytes(damaged))
    with pytest.raises(nocard.NocardError.ReplayFile) as e:
        nocard.ReplayCache.open(path, 8)
    assert (e.value.code, e.value.detail) == ("replay_file", "state_checksum")


def trust_list(bureau, sequence):
    issuer = nocard.TrustedIssuer(issuer="NBPSB", public_key=bureau.public_key(), scope=IDS)
    return nocard.TrustList(sequence=sequence, issued_at=NOW, next_update=NOW + 86_400, issuers=[issuer])


def test_a_rolled_back_trust_list_is_refused(bureau, holder):
    root = nocard.TrustRoot.generate()
    store = nocard.TrustStore([root.public_key()])
    with pytest.raises(nocard.NocardError.TrustListMissing):
        nocard.Verifier.from_trust_store(store, nocard.Policy())
    assert store.update(root.sign(trust_list(bureau, 2))) == trust_list(bureau, 2)
    with pytest.raises(nocard.NocardError.TrustListRollback) as e:
        store.update(root.sign(trust_list(bureau, 1)))
    assert (e.value.code, e.value.held, e.value.offered) == ("trust_list_rollback", 2, 1)
    assert e.value.reason == "trust list 1 is not newer than the list held (2)"
    with pytest.raises(nocard.NocardError.TrustListUnknownRoot) as e:
        store.update(nocard.TrustRoot.generate().sign(trust_list(bureau, 3)))
    assert e.value.code == "trust_list_unknown_root"
    # Signed, then the issuer's name changed: NBPSB to NBPSC.
    altered = root.sign(trust_list(bureau, 3)).replace(b"NBPSB", b"NBPSC")
    with pytest.raises(nocard.NocardError.TrustListBadSignature) as e:
        store.update(altered)
    assert (e.value.code, e.value.reason) == ("trust_list_bad_signature", "trust list signature does not verify")
    assert store.current().sequence == 2
    assert (store.is_stale(NOW), store.is_stale(NOW + 86_400)) == (False, True)
    desk = nocard.Verifier.from_trust_store(store, nocard.Policy())
    assert desk.verify(holder.present(HOTEL, NOW, 30, None, None), NOW).issuer == "NBPSB"


def test_a_stale_trust_list_is_flagged_or_refused(bureau, holder):
    root = nocard.TrustRoot.generate()
    store = nocard.TrustStore([root.public_key()])
    store.update(root.sign(nocard.TrustList(sequence=1, issued_at=NOW, next_update=NOW + 10, issuers=trust_list(bureau, 1).issuers)))
    late = holder.present(HOTEL, NOW + 30, 30, None, None)
    flagged = nocard.Verifier.from_trust_store(store, nocard.Policy()).verify(late, NOW + 30)
    assert flagged.trust_list == nocard.TrustListUse(sequence=1, stale=True)
    with pytest.raises(nocard.NocardError.TrustListStale) as e:
        nocard.Verifier.from_trust_store(store, nocard.Policy(), True).verify(late, NOW + 30)
    assert (e.value.code, e.value.next_update) == ("trust_list_stale", NOW + 10)


def test_a_saved_trust_store_keeps_its_newest_list(bureau, tmp_path):
    path = str(tmp_path / "trust.state")
    root = nocard.TrustRoot.generate()
    with pytest.raises(nocard.NocardError.Io):
        nocard.TrustStore.open(path)
    nocard.TrustStore.provision(path, [root.public_key()]).update(root.sign(trust_list(bureau, 2)))
    with pytest.raises(nocard.NocardError.Io):
        nocard.TrustStore.provision(path, [nocard.TrustRoot.generate().public_key()])
    reopened = nocard.TrustStore.open(path)
    assert reopened.current() == trust_list(bureau, 2)
    with pytest.raises(nocard.NocardError.TrustListRollback):
        reopened.update(root.sign(trust_list(bureau, 1)))
    damaged = bytearray(open(path, "rb").read())
    damaged[-1] ^= 1
    open(path, "wb").write(bytes(damaged))
    with pytest.raises(nocard.NocardError.TrustStateFile) as e:
        nocard.TrustStore.open(path)
    assert (e.value.code, e.value.detail) == ("trust_state_file", "state_checksum")


def test_a_rust_panic_arrives_as_internal_error(holder, desk):
    # A caller breaking uniffi's buffer contract (null data, length 1) makes
    # uniffi's lifting code panic inside the exported function; the panic is
    # caught in Rust and raised by the generated status check every call uses.
    broken = generated._UniffiRustBuffer(0, 1, None)
    with pytest.raises(nocard.InternalError) as e:
        generated._uniffi_rust_call_with_error(
            generated._UniffiFfiConverterTypeNocardError, generated._UniffiLib.uniffi_nocard_fn_func_example_claims, broken
        )
    assert str(e.value) == "null RustBuffer had non-zero length"
    assert desk.verify(holder.present(HOTEL, NOW, 30, None, None), NOW).issuer == "NBPSB"
