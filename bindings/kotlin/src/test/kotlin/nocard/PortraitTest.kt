package nocard

import java.security.MessageDigest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** The phone's side of the portrait (SPEC.md §14): the presentation, then its frames. */
class PortraitTest {
    private val bureau = Issuer.generate("NBPSB")
    private val signer = JdkSigner()
    private val portrait = ByteArray(3027) { (it * 31 % 251).toByte() }
    private val digest = MessageDigest.getInstance("SHA-256").digest(portrait)
    private val claims = exampleClaims("resident_id_card").map {
        if (it.name == "photo_digest") Claim(it.name, ClaimValue.Bytes(digest)) else it
    }
    private val holder = Holder(bureau.issue("resident_id_card", signer.publicKey(), claims, NOW - YEAR, NOW + YEAR), signer)
    private val roadside = Disclose.Profile("roadside_check")

    @Test
    fun thePresentationDisclosesTheDigestAndTheFramesFollowIt() {
        val shown = holder.presentWithPortrait(roadside, NOW, 30u.toUShort(), null, null, portrait)
        assertEquals(21u, shown.sourceSymbols())
        val desk = Verifier(listOf(TrustedIssuer("NBPSB", bureau.publicKey(), KeyScope.Types(listOf("resident_id_card")))), Policy())
        val v = desk.verify(shown.text(), NOW + 1uL)
        assertContentEquals(digest, (v.claims.first { it.name == "photo_digest" }.value as ClaimValue.Bytes).value)
        val frames = (0u until 30u).map { shown.frame(it) }
        assertTrue(frames.all { it.startsWith("NCP1:") && it.length == 254 })
        assertEquals(frames.size, frames.toSet().size)
    }

    @Test
    fun aPortraitTheFramesCannotCarryIsRefused() {
        val empty = assertFailsWith<NocardException.Portrait> {
            holder.presentWithPortrait(roadside, NOW, 30u.toUShort(), null, null, ByteArray(0))
        }
        assertEquals("portrait_empty", empty.code)
        val large = assertFailsWith<NocardException.Portrait> {
            holder.presentWithPortrait(roadside, NOW, 30u.toUShort(), null, null, ByteArray(16385))
        }
        assertEquals("portrait_too_large", large.code)
        val shown = holder.presentWithPortrait(roadside, NOW, 30u.toUShort(), null, null, portrait)
        assertEquals("portrait_frame_index_out_of_range", assertFailsWith<NocardException.Portrait> { shown.frame(1u shl 24) }.code)
    }
}
