package nocard

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Generous: the same frames must read on a loaded machine. */
private const val BUDGET_MS = 10_000u
private const val MODULE_PX = 4

/** The desk's camera: a presenter's code drawn into frames as CameraX (NV21) and AVFoundation (BGRA) give them. */
class FrameTest {
    private val bureau = Issuer.generate("NBPSB")
    private val signer = JdkSigner()
    private val holder = Holder(bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR), signer)
    private val ids = KeyScope.Types(listOf("resident_id_card"))
    private val desk = Verifier(listOf(TrustedIssuer("NBPSB", bureau.publicKey(), ids)), Policy())

    /** The code a phone shows at NOW + 5 as 8-bit gray with a 4-module quiet zone, and its side. */
    private fun shown(): Pair<ByteArray, Int> {
        val qr = RotatingPresenter(holder, Disclose.Profile("hotel_check_in"), 30u.toUShort()).frame(NOW + 5uL).qr
        val width = qr.width.toInt()
        val side = (width + 8) * MODULE_PX
        val pixels = ByteArray(side * side) { i ->
            val x = i % side / MODULE_PX - 4
            val y = i / side / MODULE_PX - 4
            val dark = x in 0 until width && y in 0 until width && qr.dark[y * width + x] == 1.toByte()
            if (dark) 0 else 255.toByte()
        }
        return pixels to side
    }

    /** NV21: the luma rows, then side/2 rows of neutral interleaved V/U. */
    private fun nv21(gray: ByteArray, side: Int) = gray + ByteArray(side / 2 * side) { 128.toByte() }

    private fun frame(pixels: ByteArray, format: FrameFormat, side: Int, rowStride: Int) =
        CameraFrame(pixels, format, side.toUInt(), side.toUInt(), rowStride.toUInt())

    @Test
    fun nv21AndBgraFramesAreReadAndVerified() {
        val (gray, side) = shown()
        val fromNv21 = desk.verifyFrame(frame(nv21(gray, side), FrameFormat.Nv21, side, side), BUDGET_MS, NOW + 6uL)
        assertEquals("resident_id_card" to NOW, fromNv21.docType to fromNv21.windowStart)
        val bgra = ByteArray(gray.size * 4) { i -> if (i % 4 == 3) 255.toByte() else gray[i / 4] }
        val fromBgra = desk.verifyFrame(frame(bgra, FrameFormat.Bgra, side, side * 4), BUDGET_MS, NOW + 6uL)
        assertEquals(fromNv21.presentationId.toList(), fromBgra.presentationId.toList())
        // Verified as a text is: a minute later the window is over.
        assertFailsWith<NocardException.WindowExpired> {
            desk.verifyFrame(frame(nv21(gray, side), FrameFormat.Nv21, side, side), BUDGET_MS, NOW + 60uL)
        }
    }

    @Test
    fun aFrameDescribedWronglyIsRefusedWithItsOwnError() {
        val (gray, side) = shown()
        // The luma alone: NV21 needs its chroma rows too, though they are not read.
        val short = assertFailsWith<NocardException.BufferTooShort> {
            desk.verifyFrame(frame(gray, FrameFormat.Nv21, side, side), BUDGET_MS, NOW + 6uL)
        }
        assertEquals("buffer_too_short", short.code)
        assertEquals((side * side).toULong() to (side * (side + side / 2)).toULong(), short.len to short.needed)
        val stride = assertFailsWith<NocardException.BadPixelStride> {
            desk.verifyFrame(frame(gray, FrameFormat.YPlane(9u), side, side * 2), BUDGET_MS, NOW + 6uL)
        }
        assertEquals(9uL to 8uL, stride.pixelStride to stride.max)
        assertFailsWith<NocardException.NoCode> {
            desk.verifyFrame(frame(ByteArray(64 * 64) { 255.toByte() }, FrameFormat.Gray8, 64, 64), BUDGET_MS, NOW)
        }
    }
}
