package nocard

import kotlin.io.path.createTempDirectory
import kotlin.io.path.deleteRecursively
import kotlin.io.path.readBytes
import kotlin.io.path.writeBytes
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** The desk's offline state: the replay cache and signed trust lists. */
class DeskStateTest {
    private val bureau = Issuer.generate("NBPSB")
    private val signer = JdkSigner()
    private val holder = Holder(bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR), signer)
    private val hotel = Disclose.Profile("hotel_check_in")
    private val ids = KeyScope.Types(listOf("resident_id_card"))
    private val desk = Verifier(listOf(TrustedIssuer("NBPSB", bureau.publicKey(), ids)), Policy())

    private fun code(now: ULong) = holder.present(hotel, now, 30u.toUShort(), null, null)

    @Test
    fun aReplayIsRefusedWithItsFirstSighting() {
        val replay = ReplayCache(2uL)
        val text = code(NOW)
        assertEquals(NOW, desk.verifyOnce(text, NOW + 1uL, replay).windowStart)
        val e = assertFailsWith<NocardException.Replayed> { desk.verifyOnce(text, NOW + 5uL, replay) }
        assertEquals("replayed", e.code)
        assertEquals(NOW + 1uL, e.firstSeen)
        assertEquals("presentation already accepted at ${NOW + 1uL}", e.reason)
        desk.verifyOnce(code(NOW + 30uL), NOW + 30uL, replay)
        val full = assertFailsWith<NocardException.ReplayCacheFull> { desk.verifyOnce(code(NOW + 60uL), NOW + 60uL, replay) }
        assertEquals("replay_cache_full" to 2uL, full.code to full.capacity)
    }

    @Test
    fun aSavedReplayCacheSurvivesARestart() {
        val dir = createTempDirectory("nocard-replay")
        try {
            val path = dir.resolve("replay.db")
            val text = code(NOW)
            desk.verifyOnce(text, NOW + 1uL, ReplayCache.open(path.toString(), 8uL))
            val e = assertFailsWith<NocardException.Replayed> {
                desk.verifyOnce(text, NOW + 2uL, ReplayCache.open(path.toString(), 8uL))
            }
            assertEquals(NOW + 1uL, e.firstSeen)
            val damaged = path.readBytes()
            damaged[damaged.size - 1] = (damaged[damaged.size - 1].toInt() xor 1).toByte()
            path.writeBytes(damaged)
            val refused = assertFailsWith<NocardException.ReplayFile> { ReplayCache.open(path.toString(), 8uL) }
            assertEquals("replay_file" to "state_checksum", refused.code to refused.detail)
        } finally {
            @OptIn(kotlin.io.path.ExperimentalPathApi::class)
            dir.deleteRecursively()
        }
    }

    private fun list(sequence: ULong) =
        TrustList(sequence, NOW, NOW + 86_400uL, listOf(TrustedIssuer("NBPSB", bureau.publicKey(), ids)))

    @Test
    fun aRolledBackTrustListIsRefused() {
        val root = TrustRoot.generate()
        val store = TrustStore(listOf(root.publicKey()))
        assertFailsWith<NocardException.TrustListMissing> { Verifier.fromTrustStore(store, Policy()) }
        val taken = store.update(root.sign(list(2uL)))
        assertEquals(2uL to "NBPSB", taken.sequence to taken.issuers.single().issuer)
        assertContentEquals(bureau.publicKey(), taken.issuers.single().publicKey)
        val e = assertFailsWith<NocardException.TrustListRollback> { store.update(root.sign(list(1uL))) }
        assertEquals("trust_list_rollback", e.code)
        assertEquals(2uL to 1uL, e.held to e.offered)
        assertEquals("trust list 1 is not newer than the list held (2)", e.reason)
        val foreign = assertFailsWith<NocardException.TrustListUnknownRoot> {
            store.update(TrustRoot.generate().sign(list(3uL)))
        }
        assertEquals("trust_list_unknown_root", foreign.code)
        // Signed, then the issuer's name changed: NBPSB to NBPSC.
        val altered = root.sign(list(3uL))
        val at = String(altered, Charsets.ISO_8859_1).indexOf("NBPSB") + 4
        altered[at] = 'C'.code.toByte()
        val forged = assertFailsWith<NocardException.TrustListBadSignature> { store.update(altered) }
        assertEquals("trust_list_bad_signature" to "trust list signature does not verify", forged.code to forged.reason)
        assertEquals(2uL, store.current()?.sequence)
        assertEquals(false to true, store.isStale(NOW) to store.isStale(NOW + 86_400uL))
        assertEquals("NBPSB", Verifier.fromTrustStore(store, Policy()).verify(code(NOW), NOW).issuer)
    }

    @Test
    fun aStaleTrustListIsFlaggedOrRefused() {
        val root = TrustRoot.generate()
        val store = TrustStore(listOf(root.publicKey()))
        store.update(root.sign(list(1uL).copy(nextUpdate = NOW + 10uL)))
        val late = code(NOW + 30uL)
        assertEquals(TrustListUse(1uL, true), Verifier.fromTrustStore(store, Policy()).verify(late, NOW + 30uL).trustList)
        val e = assertFailsWith<NocardException.TrustListStale> { Verifier.fromTrustStore(store, Policy(), true).verify(late, NOW + 30uL) }
        assertEquals("trust_list_stale" to NOW + 10uL, e.code to e.nextUpdate)
    }

    @OptIn(kotlin.io.path.ExperimentalPathApi::class)
    @Test
    fun aSavedTrustStoreKeepsItsNewestList() {
        val dir = createTempDirectory("nocard-trust")
        try {
            val path = dir.resolve("trust.state").toString()
            val root = TrustRoot.generate()
            assertFailsWith<NocardException.Io> { TrustStore.open(path) }
            TrustStore.provision(path, listOf(root.publicKey())).update(root.sign(list(2uL)))
            assertFailsWith<NocardException.Io> { TrustStore.provision(path, listOf(TrustRoot.generate().publicKey())) }
            val reopened = TrustStore.open(path)
            assertEquals(2uL, reopened.current()?.sequence)
            assertFailsWith<NocardException.TrustListRollback> { reopened.update(root.sign(list(1uL))) }
            val file = dir.resolve("trust.state")
            val damaged = file.readBytes()
            damaged[damaged.size - 1] = (damaged[damaged.size - 1].toInt() xor 1).toByte()
            file.writeBytes(damaged)
            val e = assertFailsWith<NocardException.TrustStateFile> { TrustStore.open(path) }
            assertEquals("trust_state_file" to "state_checksum", e.code to e.detail)
        } finally {
            dir.deleteRecursively()
        }
    }

    /**
     * A caller breaking uniffi's buffer contract (null data, length 1) makes
     * uniffi's lifting code panic inside the exported function: the panic is
     * caught in Rust and reaches the JVM as InternalException, thrown by the
     * generated status check every call goes through.
     */
    @Test
    fun aRustPanicArrivesAsInternalException() {
        val broken = RustBuffer.ByValue().apply { capacity = 0; len = 1; data = null }
        val status = UniffiRustCallStatus()
        UniffiLib.uniffi_nocard_fn_func_example_claims(broken, status)
        assertTrue(status.isPanic())
        val check = Class.forName("nocard.NocardKt").declaredMethods
            .single { it.name == "uniffiCheckCallStatus" }
            .apply { isAccessible = true }
        val thrown = assertFailsWith<java.lang.reflect.InvocationTargetException> {
            check.invoke(null, NocardException.ErrorHandler, status)
        }
        val e = assertIs<InternalException>(thrown.cause)
        assertEquals("null RustBuffer had non-zero length", e.message)
        // The library is still usable.
        assertEquals("NBPSB", desk.verify(code(NOW), NOW).issuer)
    }
}
