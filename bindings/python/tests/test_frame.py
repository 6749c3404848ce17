"""The desk's camera through the bindings: a presenter's code drawn into
camera frames (NV21 as Android gives them, BGRA as iOS does, a Y plane with
pixel stride 2), read and verified; and frames described wrongly, each
refused with its own error."""

import pytest

import nocard
from test_nocard import HOTEL, NOW, YEAR, PythonSigner

MODULE_PX = 4
BUDGET_MS = 10_000  # generous: the same frames must read on a loaded machine


@pytest.fixture(scope="module")
def shown(bureau):
    """The code a phone shows at NOW + 5, as 8-bit gray with a 4-module
    quiet zone: (pixels, side)."""
    signer = PythonSigner()
    credential = bureau.issue("resident_id_card", signer.public_key(), None, NOW - YEAR, NOW + YEAR)
    qr = nocard.RotatingPresenter(nocard.Holder(credential, signer), HOTEL, 30).frame(NOW + 5).qr
    modules = qr.width + 8
    side = modules * MODULE_PX
    pixels = bytearray([255]) * (side * side)
    for y in range(qr.width):
        for x in range(qr.width):
            if qr.dark[y * qr.width + x]:
                for dy in range(MODULE_PX):
                    row = ((y + 4) * MODULE_PX + dy) * side + (x + 4) * MODULE_PX
                    pixels[row:row + MODULE_PX] = bytes(MODULE_PX)
    return bytes(pixels), side


def nv21(gray, side):
    """The luma rows, then side/2 rows of neutral interleaved V/U."""
    return gray + bytes([128]) * (side // 2 * side)


def frame(pixels, fmt, side, row_stride):
    return nocard.CameraFrame(pixels=pixels, format=fmt, width=side, height=side, row_stride=row_stride)


def test_nv21_bgra_and_a_y_plane_are_read_and_verified(desk, shown):
    gray, side = shown
    bgra = bytes(b for g in gray for b in (g, g, g, 255))
    y_plane = bytes(b for g in gray for b in (g, 128))[:-1]  # the last chroma byte is not there
    for pixels, fmt, row_stride in [
        (nv21(gray, side), nocard.FrameFormat.NV21(), side),
        (bgra, nocard.FrameFormat.BGRA(), side * 4),
        (y_plane, nocard.FrameFormat.Y_PLANE(pixel_stride=2), side * 2),
    ]:
        seen = desk.verify_frame(frame(pixels, fmt, side, row_stride), BUDGET_MS, NOW + 6)
        assert (seen.doc_type, seen.window_start) == ("resident_id_card", NOW), fmt
        assert {c.name: c.value for c in seen.claims}["name"] == nocard.ClaimValue.TEXT(value="王小明")
    # Verified as a text is: a minute later the window is over.
    with pytest.raises(nocard.NocardError.WindowExpired):
        desk.verify_frame(frame(nv21(gray, side), nocard.FrameFormat.NV21(), side, side), BUDGET_MS, NOW + 60)


def test_a_frame_described_wrongly_is_refused_with_its_own_error(desk, shown):
    gray, side = shown
    # The luma alone: NV21 needs its chroma rows too, though they are not read.
    with pytest.raises(nocard.NocardError.BufferTooShort) as e:
        desk.verify_frame(frame(gray, nocard.FrameFormat.NV21(), side, side), BUDGET_MS, NOW + 6)
    assert (e.value.code, e.value.len, e.value.needed) == ("buffer_too_short", side * side, side * (side + side // 2))
    with pytest.raises(nocard.NocardError.StrideTooSmall) as e:
        desk.verify_frame(frame(gray, nocard.FrameFormat.BGRA(), side, side), BUDGET_MS, NOW + 6)
    assert (e.value.stride, e.value.row_bytes) == (side, side * 4)
    with pytest.raises(nocard.NocardError.BadPixelStride) as e:
        desk.verify_frame(frame(gray, nocard.FrameFormat.Y_PLANE(pixel_stride=0), side, side), BUDGET_MS, NOW + 6)
    assert (e.value.code, e.value.pixel_stride, e.value.max) == ("bad_pixel_stride", 0, 8)
    with pytest.raises(nocard.NocardError.EmptyImage):
        desk.verify_frame(frame(gray, nocard.FrameFormat.GRAY8(), 0, side), BUDGET_MS, NOW + 6)
    with pytest.raises(nocard.NocardError.NoCode) as e:
        desk.verify_frame(frame(bytes([255]) * 4096, nocard.FrameFormat.GRAY8(), 64, 64), BUDGET_MS, NOW)
    assert e.value.code == "no_code"
    with pytest.raises(nocard.NocardError.Usage):
        desk.verify_frame(frame(gray, nocard.FrameFormat.GRAY8(), side, side), 0, NOW + 6)
