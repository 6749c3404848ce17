package nocard

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertNull

/** The wallet's 8-digit numeric check code (SPEC.md §12) on the JVM. */
class NumericCodeTest {
    private val bureau = Issuer.generate("NBPSB")
    private val signer = JdkSigner()
    private val codeKey = ByteArray(32) { 0x44 } // SPEC.md §12.1's check value

    private fun issue(credentialId: ByteArray? = null, codeKey: ByteArray? = null): String =
        bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR, null, credentialId, codeKey)

    @Test
    fun theWalletShowsTheCodeOfTheCurrentStep() {
        val holder = Holder(issue(byteArrayOf(1, 2), codeKey), signer)
        assertEquals(NumericCode("39034247", 59_847_360uL, 30uL), holder.numericCode(NOW))
        assertEquals(NumericCode("39034247", 59_847_360uL, 1uL), holder.numericCode(NOW + 29uL))
        assertEquals(NumericCode("93069014", 59_847_363uL, 25uL), holder.numericCode(NOW + 95uL))
        val other = Holder(issue(byteArrayOf(1, 3), codeKey), signer)
        assertNotEquals("39034247", other.numericCode(NOW)?.code)
    }

    @Test
    fun aCredentialIssuedWithoutACodeKeyHasNone() {
        assertNull(Holder(issue(), signer).numericCode(NOW))
    }

    @Test
    fun aCodeKeyNeedsACredentialIdAnd32Bytes() {
        val noId = assertFailsWith<NocardException.Usage> { issue(codeKey = codeKey) }
        assertEquals("usage error: a numeric code needs a credential id", noId.reason)
        val short = assertFailsWith<NocardException.Usage> { issue(byteArrayOf(1), codeKey.copyOf(31)) }
        assertEquals("usage error: a numeric-code key is 32 bytes, not 31", short.reason)
    }
}
