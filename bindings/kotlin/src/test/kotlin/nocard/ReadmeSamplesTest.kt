package nocard

import java.io.File
import kotlin.io.path.createTempDirectory
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

class ReadmeSamplesTest {
    /** The ```kotlin blocks of README.md, each as trimmed lines. */
    private fun readmeBlocks(): List<List<String>> =
        Regex("```kotlin\n(.*?)```", RegexOption.DOT_MATCHES_ALL)
            .findAll(File("../../README.md").readText())
            .map { block -> block.groupValues[1].lines().map(String::trim).filter(String::isNotEmpty) }
            .toList()

    @Test
    fun theReadmeShowsTheCompiledSamples() {
        val compiled = File("src/test/kotlin/nocard/ReadmeSamples.kt").readLines().map(String::trim).filter(String::isNotEmpty)
        val blocks = readmeBlocks()
        assertEquals(2, blocks.size)
        for (block in blocks) {
            val at = compiled.indices.firstOrNull { compiled.drop(it).take(block.size) == block }
            assertTrue(at != null, "README block not in ReadmeSamples.kt:\n" + block.joinToString("\n"))
        }
    }

    @Test
    fun theDeskSampleAcceptsACodeOnce() {
        val now = (System.currentTimeMillis() / 1000).toULong()
        val bureau = Issuer.generate("NBPSB")
        val signer = softwareSigner(null)
        val holder = Holder(bureau.issue("resident_id_card", signer.publicKey(), null, now - YEAR, now + YEAR), signer)
        val text = holder.present(Disclose.Profile("hotel_check_in"), now, 300u.toUShort(), null, null)
        val dir = createTempDirectory("nocard-desk").toFile()
        try {
            val key = File(dir, "nbpsb.pub").apply { writeBytes(bureau.publicKey()) }
            val desk = frontDesk(key, File(dir, "replay.db"))
            val first = desk(text)
            val seen = (System.currentTimeMillis() / 1000).toULong()
            assertEquals(
                "resident_id_card: name=Text(value=王小明), sex=Integer(value=1), birth_date=Date(year=1990, month=5, day=17), " +
                    "id_number=Text(value=330203199005170017)",
                first,
            )
            val again = desk(text)
            val expected = (now..seen).map { "refused: code=replayed, reason=presentation already accepted at $it, firstSeen=$it" }
            assertTrue(again in expected, again)
        } finally {
            dir.deleteRecursively()
        }
    }
}
