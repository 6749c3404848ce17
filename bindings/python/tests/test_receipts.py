"""Receipts at desks through the bindings (SPEC.md §15): the desk signs a
receipt of each code it accepts; an auditor checks it offline."""

import pytest

import nocard
from test_nocard import HOTEL, NOW, YEAR, PythonSigner

# A desk's secret COSE_Key: Ed25519 {1: 1, -1: 6, -4: d}, d = 32 x 0x55.
DESK_KEY = bytes.fromhex("a301012006235820") + bytes([0x55] * 32)
OTHER_KEY = bytes.fromhex("a301012006235820") + bytes([0x66] * 32)


def hotel_code(bureau):
    signer = PythonSigner()
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR, None)
    return nocard.Holder(credential, signer).present(HOTEL, NOW, 30, None, None)


def test_a_desk_keeps_values_or_only_digests(bureau, desk):
    code = hotel_code(bureau)
    for digests in (False, True):
        receipt_desk = nocard.ReceiptDesk(DESK_KEY, "hotel:NB-0042", "hotel_check_in", digests)
        seen = desk.verify_with_receipt(code, NOW + 3, receipt_desk)
        assert seen.verification.doc_type == "resident_id_card"
        info = nocard.verify_receipt(seen.receipt, [receipt_desk.public_key()])
        assert (info.unit, info.time, info.purpose, info.issuer) == ("hotel:NB-0042", NOW + 3, "hotel_check_in", "NBPSB")
        assert info.presentation_id == seen.verification.presentation_id
        assert info.issuer_key_id == seen.verification.key_id
        if digests:
            assert info.values == []
            assert [d.name for d in info.digests] == ["name", "sex", "birth_date", "id_number"]
            assert all(len(d.digest) == 32 for d in info.digests)
        else:
            assert info.digests == []
            assert info.values == seen.verification.claims


def test_receipt_attacks_have_their_exact_errors(bureau, desk):
    code = hotel_code(bureau)
    receipt_desk = nocard.ReceiptDesk(DESK_KEY, "hotel:NB-0042", None, False)
    receipt = desk.verify_with_receipt(code, NOW + 3, receipt_desk).receipt
    other = nocard.ReceiptDesk(OTHER_KEY, "u", None, False).public_key()
    with pytest.raises(nocard.NocardError.ReceiptUnknownDeskKey) as e:
        nocard.verify_receipt(receipt, [other])
    assert e.value.code == "receipt_unknown_desk_key"
    altered = receipt[:-1] + bytes([receipt[-1] ^ 1])
    with pytest.raises(nocard.NocardError.ReceiptBadSignature) as e:
        nocard.verify_receipt(altered, [receipt_desk.public_key()])
    assert e.value.code == "receipt_bad_signature"
    # A receipt given to the verifier as a presentation, and the reverse.
    with pytest.raises(nocard.NocardError.Malformed) as e:
        desk.verify("NC1:" + base45(receipt), NOW + 3)
    assert (e.value.code, e.value.detail) == ("malformed", "receipt_not_presentation")
    with pytest.raises(nocard.NocardError.NotAReceipt) as e:
        nocard.verify_receipt(unbase45(code[4:]), [receipt_desk.public_key()])
    assert e.value.code == "not_a_receipt"
    with pytest.raises(nocard.NocardError.Usage):
        nocard.ReceiptDesk(DESK_KEY, "", None, False)
    with pytest.raises(nocard.NocardError.InvalidConfig):
        nocard.ReceiptDesk(DESK_KEY, "u", "opera", False)
    with pytest.raises(nocard.NocardError.InvalidKey):
        nocard.ReceiptDesk(other, "u", None, False)


def desk_receipt(bureau, desk, digests=False, name=None):
    """A desk's receipt of the hotel code, and the desk's public key."""
    signer = PythonSigner()
    claims = nocard.example_claims("resident_id_card")
    if name is not None:
        claims = [nocard.Claim(name=c.name, value=nocard.ClaimValue.TEXT(value=name)) if c.name == "name" else c for c in claims]
    credential = bureau.issue("resident_id_card", signer.public_key(), claims, NOW - YEAR, NOW + YEAR, None)
    code = nocard.Holder(credential, signer).present(HOTEL, NOW, 30, None, None)
    receipt_desk = nocard.ReceiptDesk(DESK_KEY, "hotel:NB-0042", "hotel_check_in", digests)
    return desk.verify_with_receipt(code, NOW + 3, receipt_desk).receipt, receipt_desk.public_key()


def test_a_desk_prints_a_copy_and_an_auditor_scans_its_text(bureau, desk):
    receipt, key = desk_receipt(bureau, desk)
    pdf = nocard.render_copy(receipt, [key], nocard.CopyFormat.PDF, nocard.Paper.CARD)
    assert pdf.startswith(b"%PDF-1.7")
    svg = nocard.render_copy(receipt, [key], nocard.CopyFormat.SVG, nocard.Paper.A4)
    assert svg.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    text = nocard.receipt_text(receipt)
    assert text.startswith("NCR1:")
    assert nocard.verify_receipt(text.encode(), [key]) == nocard.verify_receipt(receipt, [key])
    # The QR code on the copy's back carries the same text.
    assert nocard.render_copy(text.encode(), [key], nocard.CopyFormat.PDF, nocard.Paper.CARD) == pdf
    with pytest.raises(nocard.NocardError.UnsupportedVersion) as e:
        nocard.verify_receipt(text.replace("NCR1:", "NCR2:", 1).encode(), [key])
    assert e.value.code == "unsupported_version"


def test_each_copy_refusal_has_its_exact_error(bureau, desk):
    receipt, key = desk_receipt(bureau, desk)
    digests, _ = desk_receipt(bureau, desk, digests=True)
    with pytest.raises(nocard.NocardError.CopyNeedsValues) as e:
        nocard.render_copy(digests, [key], nocard.CopyFormat.PDF, nocard.Paper.CARD)
    assert e.value.code == "copy_needs_values"
    other = nocard.ReceiptDesk(OTHER_KEY, "u", None, False).public_key()
    with pytest.raises(nocard.NocardError.ReceiptUnknownDeskKey) as e:
        nocard.render_copy(receipt, [other], nocard.CopyFormat.PDF, nocard.Paper.CARD)
    assert e.value.code == "receipt_unknown_desk_key"
    with pytest.raises(nocard.NocardError.CopyFontUnusable) as e:
        nocard.render_copy(receipt, [key], nocard.CopyFormat.SVG, nocard.Paper.CARD, b"not a font")
    assert e.value.code == "copy_font_unusable"
    rare, _ = desk_receipt(bureau, desk, name="王\U00020000")
    with pytest.raises(nocard.NocardError.CopyGlyphMissing) as e:
        nocard.render_copy(rare, [key], nocard.CopyFormat.PDF, nocard.Paper.CARD)
    assert (e.value.code, e.value.character) == ("copy_glyph_missing", "\U00020000")


ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45(data):
    out = []
    for i in range(0, len(data), 2):
        chunk = data[i : i + 2]
        n = chunk[0] * 256 + chunk[1] if len(chunk) == 2 else chunk[0]
        for _ in range(3 if len(chunk) == 2 else 2):
            out.append(ALPHABET[n % 45])
            n //= 45
    return "".join(out)


def unbase45(text):
    out = bytearray()
    for i in range(0, len(text), 3):
        group = [ALPHABET.index(c) for c in text[i : i + 3]]
        n = sum(v * 45**k for k, v in enumerate(group))
        out += bytes([n // 256, n % 256]) if len(group) == 3 else bytes([n])
    return bytes(out)
