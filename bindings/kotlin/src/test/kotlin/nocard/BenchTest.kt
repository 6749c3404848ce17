package nocard

import java.io.File
import kotlin.test.Test
import kotlin.test.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue

/**
 * The Kotlin side of bindings/bench.sh: the calls examples/bindings_bench.rs
 * times in Rust, on the same fixture, timed the same way. Runs only when
 * NOCARD_BENCH_FIXTURE names the fixture (bench.sh sets it).
 */
class BenchTest {
    private fun medianUs(f: (Long) -> Unit): Double {
        var i = 0L
        fun batch(): Double {
            val start = System.nanoTime()
            repeat(PER_BATCH) { f(i++) }
            return (System.nanoTime() - start) / 1e3 / PER_BATCH
        }
        // The JIT compiles the path first (Rust and Python warm up one batch).
        val warm = System.nanoTime() + WARMUP_NANOS
        while (System.nanoTime() < warm) batch()
        return List(BATCHES) { batch() }.sorted()[BATCHES / 2]
    }

    @Test
    fun verificationAndFreshFrame() {
        val path = System.getenv("NOCARD_BENCH_FIXTURE")
        assumeTrue(path != null, "set NOCARD_BENCH_FIXTURE (bindings/bench.sh does)")
        val fixture = File(path!!).readLines().associate { it.substringBefore('=') to it.substringAfter('=') }
        val now = fixture.getValue("now").toULong()
        val text = fixture.getValue("presentation")
        val desk = Verifier(
            listOf(TrustedIssuer("NBPSB", hex(fixture.getValue("issuer_public")), KeyScope.Types(listOf("resident_id_card")))),
            Policy(),
        )
        assertEquals("resident_id_card", desk.verify(text, now).docType)
        val verifyUs = medianUs { desk.verify(text, now) }
        val holder = Holder(fixture.getValue("credential"), softwareSigner(hex(fixture.getValue("device_secret"))))
        val code = RotatingPresenter(holder, Disclose.Profile("hotel_check_in"), 30u.toUShort())
        // Every call is in the next window: freshly signed and encoded.
        val frameUs = medianUs { i -> code.frame(now + 30uL * i.toULong()) }
        println("kotlin verify_us=%.1f frame_us=%.1f".format(verifyUs, frameUs))
    }

    private fun hex(s: String) = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

    companion object {
        const val BATCHES = 21
        const val WARMUP_NANOS = 3_000_000_000L
        const val PER_BATCH = 50
    }
}
