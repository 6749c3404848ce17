"""Fixtures the desk-side suites share: one issuing bureau and a desk that
trusts it for resident ID cards."""

import pytest

import nocard

IDS = nocard.KeyScope.TYPES(names=["resident_id_card"])


@pytest.fixture(scope="module")
def bureau():
    return nocard.Issuer.generate("NBPSB")


@pytest.fixture(scope="module")
def issuers(bureau):
    return [nocard.TrustedIssuer(issuer="NBPSB", public_key=bureau.public_key(), scope=IDS)]


@pytest.fixture(scope="module")
def desk(issuers):
    return nocard.Verifier(issuers, nocard.Policy())
