package nocard

import java.security.MessageDigest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Delegation and consent (SPEC.md §17) on the JVM: keystore-signed, desk-checked. */
class DelegationTest {
    private val bureau = Issuer.generate("NBPSB")
    private val desk = Verifier(listOf(TrustedIssuer("NBPSB", bureau.publicKey(), KeyScope.AllTypes)), Policy())
    private val hotel = Disclose.Profile("hotel_check_in")
    private val day: ULong = 86_400uL

    private fun person(signer: JdkSigner) =
        Holder(bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR, null, null, null), signer)

    @Test
    fun aDelegateActsForTheDelegator() {
        val sonSigner = JdkSigner()
        val mother = person(JdkSigner())
        val son = person(sonSigner)
        val delegation = mother.delegate("register_child_residence", sonSigner.publicKey(), NOW - 60uL, NOW + 7uL * day)
        assertTrue(delegation.startsWith("NCD1:"))
        val shown = son.act(delegation, hotel, NOW, 30u.toUShort(), null)
        val seen = desk.verifyActing(shown, "register_child_residence", NOW + 2uL)
        assertEquals("register_child_residence", seen.matter)
        assertEquals(listOf("name", "id_number"), seen.delegator.claims.map { it.name })
        assertEquals("resident_id_card", seen.delegate.docType)

        val other = assertFailsWith<NocardException.Delegation> {
            desk.verifyActing(shown, "collect_certificate", NOW + 2uL)
        }
        assertEquals("matter_mismatch", other.code)
        val own = mother.act(delegation, hotel, NOW, 30u.toUShort(), null)
        val wrong = assertFailsWith<NocardException.Delegation> { desk.verifyActing(own, "register_child_residence", NOW) }
        assertEquals("wrong_delegate", wrong.code)
    }

    @Test
    fun aConsentAnswersOneRequest() {
        val mother = person(JdkSigner())
        val request = MessageDigest.getInstance("SHA-256").digest("school trip 2026-12-05".toByteArray())
        val consent = mother.consent(request, false, NOW - 60uL, NOW + 600uL)
        assertEquals(false, desk.verifyConsent(consent, request, NOW).answer)
        val another = MessageDigest.getInstance("SHA-256").digest("another trip".toByteArray())
        val e = assertFailsWith<NocardException.Delegation> { desk.verifyConsent(consent, another, NOW) }
        assertEquals("request_mismatch", e.code)
    }
}
