package nocard

import kotlin.io.path.createTempDirectory
import kotlin.io.path.deleteRecursively
import kotlin.io.path.readBytes
import kotlin.io.path.writeBytes
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Revocation at the desk: issuer-signed status lists in a StatusStore. */
class StatusTest {
    private val bureau = Issuer.generate("NBPSB")
    private val hotel = Disclose.Profile("hotel_check_in")
    private val issuers = listOf(TrustedIssuer("NBPSB", bureau.publicKey(), KeyScope.Types(listOf("resident_id_card"))))
    private val desk = Verifier(issuers, Policy())

    /** A code whose credential is entry [index] of status list 3. */
    private fun code(index: UInt): String {
        val signer = JdkSigner()
        val credential = bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR, StatusRef(3u, index))
        return Holder(credential, signer).present(hotel, NOW, 30u.toUShort(), null, null)
    }

    /** List 3: entry 1 revoked, entry 2 suspended, 8 entries of 2 bits. */
    private fun list(issuedAt: ULong) =
        bureau.signStatusList(3u, issuedAt, NOW + 3600uL, 2u.toUByte(), byteArrayOf(0, 1, 2, 0, 0, 0, 0, 0))

    @Test
    fun theDeskSaysWhichListDecided() {
        val store = StatusStore(issuers, false)
        val missing = assertFailsWith<NocardException.StatusListMissing> { desk.verifyAtDesk(code(0u), NOW, store, null) }
        assertEquals("status_list_missing" to 3u, missing.code to missing.listId)
        val info = store.update(list(NOW - 60uL), NOW)
        assertEquals(StatusListInfo("NBPSB", 3u, NOW - 60uL, NOW + 3600uL, 8uL, 2u.toUByte()), info)
        val accepted = desk.verifyAtDesk(code(0u), NOW, store, ReplayCache(4uL))
        assertEquals(StatusDecision.Valid(info), accepted.status)
        assertEquals("resident_id_card", accepted.verification.docType)
    }

    @Test
    fun revokedAndSuspendedAreDistinctExceptions() {
        val store = StatusStore(issuers, false)
        store.update(list(NOW - 60uL), NOW)
        val revoked = assertFailsWith<NocardException.CredentialRevoked> { desk.verifyAtDesk(code(1u), NOW, store, null) }
        assertEquals("credential_revoked" to "credential is revoked", revoked.code to revoked.reason)
        val suspended = assertFailsWith<NocardException.CredentialSuspended> { desk.verifyAtDesk(code(2u), NOW, store, null) }
        assertEquals("credential_suspended", suspended.code)
        val lenient = StatusStore(issuers, true)
        assertEquals(StatusDecision.Missing(3u), desk.verifyAtDesk(code(1u), NOW, lenient, null).status)
    }

    @OptIn(kotlin.io.path.ExperimentalPathApi::class)
    @Test
    fun aSavedStoreRefusesRollbackAfterARestartAndDamageIsRefused() {
        val dir = createTempDirectory("nocard-status")
        try {
            val path = dir.resolve("status.db")
            StatusStore.open(path.toString(), issuers, false).update(list(NOW - 60uL), NOW)
            val reopened = StatusStore.open(path.toString(), issuers, false)
            val rollback = assertFailsWith<NocardException.StatusListRollback> { reopened.update(list(NOW - 120uL), NOW) }
            assertEquals(NOW - 60uL to NOW - 120uL, rollback.held to rollback.offered)
            assertFailsWith<NocardException.CredentialRevoked> { desk.verifyAtDesk(code(1u), NOW, reopened, null) }
            path.writeBytes(path.readBytes().copyOf(path.readBytes().size - 1))
            val damaged = assertFailsWith<NocardException.StatusStateDamaged> { StatusStore.open(path.toString(), issuers, false) }
            assertEquals("status_state_damaged" to "state_checksum", damaged.code to damaged.detail)
        } finally {
            dir.deleteRecursively()
        }
    }
}
