package nocard

import java.io.File
import java.security.KeyStore
import java.security.PrivateKey
import java.security.Signature

// The Kotlin samples of README.md, compiled here; ReadmeSamplesTest checks
// that README.md shows them line for line and runs the desk.

class KeystoreSigner(private val alias: String) : DeviceSigner {
    private val ks = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
    override fun publicKey(): ByteArray = ks.getCertificate(alias).publicKey.encoded // X.509, taken as is
    override fun sign(message: ByteArray): ByteArray = Signature.getInstance("SHA256withECDSA").run {
        initSign(ks.getKey(alias, null) as PrivateKey); update(message); sign()        // DER, taken as is
    }
}

fun showRotatingQr(credentialText: String, draw: (Frame) -> Unit): RotatingPresenter {
    val code = RotatingPresenter(Holder(credentialText, KeystoreSigner("nocard")), Disclose.Profile("hotel_check_in"), 30u)
    draw(code.frame((System.currentTimeMillis() / 1000).toULong())) // frame.qr.dark: width² modules, 1 = dark
    return code // draw(code.frame(now)) again in frame.secondsToRedraw seconds
}

fun frontDesk(bureauKey: File, replayDb: File): (String) -> String {
    val bureau = TrustedIssuer("NBPSB", bureauKey.readBytes(), KeyScope.Types(listOf("resident_id_card")))
    val desk = Verifier(listOf(bureau), Policy(profile = "hotel_check_in"))
    val replay = ReplayCache.open(replayDb.path, 100_000uL) // a code is accepted once
    return { scannedText ->
        try {
            val seen = desk.verifyOnce(scannedText, (System.currentTimeMillis() / 1000).toULong(), replay)
            seen.docType + ": " + seen.claims.joinToString { "${it.name}=${it.value}" }
        } catch (refused: NocardException) {
            "refused: ${refused.message}"
        }
    }
}
