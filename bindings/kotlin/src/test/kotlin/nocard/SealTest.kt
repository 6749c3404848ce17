package nocard

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Sealed codes (SPEC.md §13) on the JVM: the phone seals, only the group's desk reads. */
class SealTest {
    private val bureau = Issuer.generate("NBPSB")
    private val signer = JdkSigner()
    private val holder = Holder(bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR), signer)
    private val issuers = listOf(TrustedIssuer("NBPSB", bureau.publicKey(), KeyScope.Types(listOf("resident_id_card"))))

    /** A secret X25519 group COSE_Key {1: 1, 3: -25, -1: 4, -4: d}, public part left out. */
    private fun groupKey(byte: Int): GroupKey {
        val head = byteArrayOf(0xa4.toByte(), 0x01, 0x01, 0x03, 0x38, 0x18, 0x20, 0x04, 0x23, 0x58, 0x20)
        return GroupKey(head + ByteArray(32) { byte.toByte() })
    }

    @Test
    fun onlyTheGroupsDeskReadsASealedCode() {
        val plain = holder.present(Disclose.Profile("hotel_check_in"), NOW, 30u.toUShort(), null, null)
        val group = groupKey(0x55)
        val sealed = sealPresentation(plain, group.publicKey())
        assertTrue(sealed.startsWith("NCS1:"))
        val strict = Verifier.sealed(issuers, listOf(group), Policy(requireSealed = true))
        assertEquals(group.keyId(), strict.verify(sealed, NOW + 3uL).sealedTo)
        assertFailsWith<NocardException.SealRequired> { strict.verify(plain, NOW + 3uL) }
        val other = Verifier.sealed(issuers, listOf(groupKey(0x56)), Policy())
        val elsewhere = assertFailsWith<NocardException.SealedForOtherGroup> { other.verify(sealed, NOW + 3uL) }
        assertEquals(group.keyId(), elsewhere.keyId)
        assertFailsWith<NocardException.SealedNoGroupKey> { Verifier(issuers, Policy()).verify(sealed, NOW + 3uL) }
        val altered = sealed.substring(0, 60) + (if (sealed[60] == '0') "1" else "0") + sealed.substring(61)
        assertFailsWith<NocardException.SealedOpenFailed> { strict.verify(altered, NOW + 3uL) }
    }

    @Test
    fun groupKeyMisuseIsRefused() {
        assertFailsWith<NocardException.InvalidKey> { GroupKey(bureau.publicKey()) }
        assertFailsWith<NocardException.InvalidConfig> { Verifier.sealed(issuers, listOf(), Policy(requireSealed = true)) }
    }
}
