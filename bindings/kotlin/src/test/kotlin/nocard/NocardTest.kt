package nocard

import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.KeyStoreException
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

/** 2026-11-23T08:00:00Z, the start of a 30-second window. */
const val NOW: ULong = 1_795_420_800uL
val YEAR: ULong = 31_536_000uL

/**
 * A device key standing in for Android Keystore: a JDK P-256 key that
 * returns X.509 public keys and DER signatures, exactly as Keystore does.
 */
class JdkSigner(private val refuse: Boolean = false) : DeviceSigner {
    private val pair: KeyPair = KeyPairGenerator.getInstance("EC")
        .apply { initialize(ECGenParameterSpec("secp256r1")) }
        .generateKeyPair()
    var signatures = 0
        private set

    override fun publicKey(): ByteArray = pair.public.encoded

    override fun sign(message: ByteArray): ByteArray {
        if (refuse) throw KeyStoreException("user not authenticated")
        signatures++
        return Signature.getInstance("SHA256withECDSA").run {
            initSign(pair.private)
            update(message)
            sign()
        }
    }
}

/** Changes one character inside the device signature (the text's last bytes). */
fun tamperDeviceSignature(text: String): String {
    val body = text.removePrefix("NC1:")
    val at = (body.length / 3 - 1) * 3 // first character of the last full base45 triple
    val swapped = if (body[at] == '0') '1' else '0' // lowers (or raises by one) the triple's value
    return "NC1:" + body.substring(0, at) + swapped + body.substring(at + 1)
}

class NocardTest {
    private val bureau = Issuer.generate("NBPSB")
    private val signer = JdkSigner()
    private val credential = bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR)
    private val holder = Holder(credential, signer)
    private val hotel = Disclose.Profile("hotel_check_in")

    private fun desk(
        scope: KeyScope = KeyScope.Types(listOf("resident_id_card")),
        policy: Policy = Policy(),
        issuer: String = "NBPSB",
        key: ByteArray = bureau.publicKey(),
    ) = Verifier(listOf(TrustedIssuer(issuer, key, scope)), policy)

    @Test
    fun aKeystoreSignedCodeVerifiesWithTypedClaims() {
        assertEquals("resident_id_card", holder.docType())
        val text = holder.present(hotel, NOW + 7uL, 30u.toUShort(), null, null)
        assertTrue(text.startsWith("NC1:"))
        val seen = desk().verify(text, NOW + 9uL)
        assertEquals("resident_id_card", seen.docType)
        assertEquals("NBPSB", seen.issuer)
        assertEquals(NOW, seen.windowStart)
        assertEquals(NOW + 30uL, seen.windowEnd)
        assertEquals(32, seen.presentationId.size)
        val claims = seen.claims.associate { it.name to it.value }
        assertEquals(ClaimValue.Text("王小明"), claims["name"])
        assertEquals(ClaimValue.Date(1990, 5u.toUByte(), 17u.toUByte()), claims["birth_date"])
        assertEquals(null, claims["address"]) // the hotel does not get it
    }

    @Test
    fun theRotatingCodeRedrawsAcrossAWindowBoundary() {
        val code = RotatingPresenter(holder, hotel, 30u.toUShort())
        val first = code.frame(NOW + 5uL)
        assertEquals(NOW, first.windowStart)
        assertEquals(NOW + 28uL, first.redrawAt)
        assertEquals(23uL, first.secondsToRedraw)
        val width = first.qr.width.toInt()
        assertEquals(width * width, first.qr.dark.size)
        assertEquals(17 + 4 * first.qr.version.toInt(), width)
        // The same frame, not re-signed, until the redraw time.
        val same = code.frame(NOW + 27uL)
        assertEquals(first.text, same.text)
        assertEquals(1uL, same.secondsToRedraw)
        assertEquals(1, signer.signatures)
        val next = code.frame(NOW + 28uL)
        assertEquals(2, signer.signatures)
        assertEquals(NOW + 30uL, next.windowStart)
        assertEquals(NOW + 58uL, next.redrawAt)
        assertNotEquals(first.text, next.text)
        // Shown two seconds early, the next frame verifies; so does the first until its end.
        assertEquals(NOW + 30uL, desk().verify(next.text, NOW + 28uL).windowStart)
        assertEquals(NOW, desk().verify(first.text, NOW + 29uL).windowStart)
        assertContentEquals(byteArrayOf(-119, 80, 78, 71), code.png(NOW + 28uL, 4u).copyOfRange(0, 4))
    }

    @Test
    fun aTamperedCodeIsRefused() {
        val text = holder.present(hotel, NOW, 30u.toUShort(), null, null)
        val e = assertFailsWith<NocardException.BadDeviceSignature> { desk().verify(tamperDeviceSignature(text), NOW) }
        assertEquals("bad_device_signature", e.code)
    }

    @Test
    fun aStaleScreenshotIsRefused() {
        val text = holder.present(hotel, NOW, 30u.toUShort(), null, null)
        val e = assertFailsWith<NocardException.WindowExpired> { desk().verify(text, NOW + 60uL) }
        assertEquals("window_expired", e.code)
        assertEquals(NOW + 30uL, e.end)
        assertEquals(NOW + 60uL, e.now)
    }

    @Test
    fun anotherIssuersCodeIsRefused() {
        val text = holder.present(hotel, NOW, 30u.toUShort(), null, null)
        val stranger = Issuer.generate("NBPSB")
        val unknown = assertFailsWith<NocardException.UnknownKey> { desk(key = stranger.publicKey()).verify(text, NOW) }
        assertEquals("unknown_key", unknown.code)
        // The bureau's key trusted under another issuer's name.
        val renamed = assertFailsWith<NocardException.IssuerMismatch> { desk(issuer = "SHPSB").verify(text, NOW) }
        assertEquals("issuer_mismatch", renamed.code)
    }

    @Test
    fun theDesksChallengeMustMatch() {
        val text = holder.present(hotel, NOW, 30u.toUShort(), 1111u, null)
        val e = assertFailsWith<NocardException.ChallengeMismatch> {
            desk(policy = Policy(challenge = 4711u)).verify(text, NOW)
        }
        assertEquals("challenge_mismatch", e.code)
        assertEquals(4711u, e.expected)
        assertEquals(1111u, e.found)
        assertEquals(1111u, desk(policy = Policy(challenge = 1111u)).verify(text, NOW).challenge)
    }

    @Test
    fun aKeyScopedToOtherTypesIsRefused() {
        val text = holder.present(hotel, NOW, 30u.toUShort(), null, null)
        val e = assertFailsWith<NocardException.KeyNotAllowedForDocType> {
            desk(scope = KeyScope.Types(listOf("university_diploma"))).verify(text, NOW)
        }
        assertEquals("key_not_allowed_for_doc_type", e.code)
        assertEquals("resident_id_card", desk(scope = KeyScope.AllTypes).verify(text, NOW).docType)
    }

    @Test
    fun aSignerThatThrowsIsATypedError() {
        val refusing = Holder(credential, ForwardingSigner(signer, JdkSigner(refuse = true)))
        val e = assertFailsWith<NocardException.Signer> { refusing.present(hotel, NOW, 30u.toUShort(), null, null) }
        assertEquals("usage", e.code)
        // The reason is the exception's text, then its stack trace (uniffi passes both).
        val firstLine = e.reason.lineSequence().first()
        assertEquals("usage error: device signer failed: java.security.KeyStoreException: user not authenticated", firstLine)
        val code = RotatingPresenter(refusing, hotel, 30u.toUShort())
        assertFailsWith<NocardException.Signer> { code.frame(NOW) }
    }

    @Test
    fun badConfigurationsAreRefusedWhenSet() {
        val skew = assertFailsWith<NocardException.InvalidConfig> { desk(policy = Policy(clockSkew = 301uL)) }
        assertEquals("invalid_config" to "clock_skew", skew.code to skew.detail)
        val empty = assertFailsWith<NocardException.InvalidConfig> { desk(scope = KeyScope.Types(listOf())) }
        assertEquals("empty_key_scope", empty.detail)
        val typo = assertFailsWith<NocardException.InvalidConfig> { desk(policy = Policy(requirements = listOf("age_over_81"))) }
        assertEquals("unknown_claim_name", typo.detail)
        val malformed = assertFailsWith<NocardException.Malformed> { desk().verify("NC1:", NOW) }
        assertEquals("malformed", malformed.code)
    }
}

/** The key of `key` with the signing of `signs`: a keystore that refuses to sign. */
class ForwardingSigner(private val key: DeviceSigner, private val signs: DeviceSigner) : DeviceSigner {
    override fun publicKey(): ByteArray = key.publicKey()
    override fun sign(message: ByteArray): ByteArray = signs.sign(message)
}
