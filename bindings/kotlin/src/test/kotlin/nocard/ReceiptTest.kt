package nocard

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Receipts at desks (SPEC.md §15): the desk signs a receipt of each code it accepts; an auditor checks it offline. */
class ReceiptTest {
    private val bureau = Issuer.generate("NBPSB")
    private val issuers = listOf(TrustedIssuer("NBPSB", bureau.publicKey(), KeyScope.Types(listOf("resident_id_card"))))
    private val desk = Verifier(issuers, Policy())

    /** A desk's secret COSE_Key: Ed25519 {1: 1, -1: 6, -4: d}. */
    private fun deskKey(seed: Int) =
        byteArrayOf(0xa3.toByte(), 0x01, 0x01, 0x20, 0x06, 0x23, 0x58, 0x20) + ByteArray(32) { seed.toByte() }

    private fun code(): String {
        val signer = JdkSigner()
        val credential = bureau.issue("resident_id_card", signer.publicKey(), null, NOW - YEAR, NOW + YEAR, null)
        return Holder(credential, signer).present(Disclose.Profile("hotel_check_in"), NOW, 30u.toUShort(), null, null)
    }

    @Test
    fun aDeskKeepsValuesOrOnlyDigests() {
        val code = code()
        for (digests in listOf(false, true)) {
            val receiptDesk = ReceiptDesk(deskKey(0x55), "hotel:NB-0042", "hotel_check_in", digests)
            val seen = desk.verifyWithReceipt(code, NOW + 3uL, receiptDesk)
            val info = verifyReceipt(seen.receipt, listOf(receiptDesk.publicKey()))
            assertEquals(listOf("hotel:NB-0042", "hotel_check_in", "NBPSB"), listOf(info.unit, info.purpose, info.issuer))
            assertEquals(NOW + 3uL, info.time)
            assertEquals(seen.verification.presentationId.toList(), info.presentationId.toList())
            if (digests) {
                assertEquals(listOf("name", "sex", "birth_date", "id_number"), info.digests.map { it.name })
                assertTrue(info.values.isEmpty())
            } else {
                assertEquals(seen.verification.claims, info.values)
                assertTrue(info.digests.isEmpty())
            }
        }
    }

    @Test
    fun receiptAttacksHaveTheirExactErrors() {
        val receiptDesk = ReceiptDesk(deskKey(0x55), "hotel:NB-0042", null, false)
        val receipt = desk.verifyWithReceipt(code(), NOW + 3uL, receiptDesk).receipt
        val other = ReceiptDesk(deskKey(0x66), "u", null, false).publicKey()
        val unknown = assertFailsWith<NocardException.ReceiptUnknownDeskKey> { verifyReceipt(receipt, listOf(other)) }
        assertEquals("receipt_unknown_desk_key", unknown.code)
        val altered = receipt.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
        val bad = assertFailsWith<NocardException.ReceiptBadSignature> { verifyReceipt(altered, listOf(receiptDesk.publicKey())) }
        assertEquals("receipt_bad_signature", bad.code)
        assertFailsWith<NocardException.Usage> { ReceiptDesk(deskKey(0x55), "", null, false) }
        assertFailsWith<NocardException.InvalidConfig> { ReceiptDesk(deskKey(0x55), "u", "opera", false) }
    }

    @Test
    fun aDeskPrintsACopyAndAnAuditorScansItsText() {
        val receiptDesk = ReceiptDesk(deskKey(0x55), "hotel:NB-0042", "hotel_check_in", false)
        val receipt = desk.verifyWithReceipt(code(), NOW + 3uL, receiptDesk).receipt
        val key = receiptDesk.publicKey()
        val pdf = renderCopy(receipt, listOf(key), CopyFormat.PDF, Paper.CARD)
        assertEquals("%PDF-1.7", pdf.copyOf(8).decodeToString())
        val svg = renderCopy(receipt, listOf(key), CopyFormat.SVG, Paper.A4)
        assertTrue(svg.decodeToString().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        val text = receiptText(receipt)
        assertTrue(text.startsWith("NCR1:"))
        val fromBytes = verifyReceipt(receipt, listOf(key))
        val fromText = verifyReceipt(text.encodeToByteArray(), listOf(key))
        assertEquals(listOf(fromBytes.unit, fromBytes.time, fromBytes.values), listOf(fromText.unit, fromText.time, fromText.values))
        assertEquals(fromBytes.presentationId.toList(), fromText.presentationId.toList())

        val digestsDesk = ReceiptDesk(deskKey(0x55), "hotel:NB-0042", null, true)
        val digests = desk.verifyWithReceipt(code(), NOW + 3uL, digestsDesk).receipt
        val refused = assertFailsWith<NocardException.CopyNeedsValues> {
            renderCopy(digests, listOf(key), CopyFormat.PDF, Paper.CARD)
        }
        assertEquals("copy_needs_values", refused.code)
    }
}
