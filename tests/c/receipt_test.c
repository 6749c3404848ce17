/*
 * receipt_test.c: a desk's receipts and a gate's visitor log through
 * nocard's C API (SPEC.md §15): sign a receipt for a verified code, check
 * it, and keep a visitor log whose bytes the firmware stores itself.
 *
 *   receipt_test FIXTURES_DIR     (made by `cargo run --example c_fixtures -- DIR`)
 *
 * Every result code asserted exactly: an unknown desk key, an altered
 * receipt, a receipt's NCR1: text of another version or with a character
 * outside base45, an edited, deleted, reordered or front-cut log, a log shorter
 * than its known head, a torn last record. Ends with "N passed, N failed";
 * exit status 1 if anything failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

#include "check.h"
#include "fixtures.h"

static blob issuer, valid, desk, desk_secret, receipt_text;
static uint64_t now;

/* A receipt for the code `v` holds, in a heap buffer of exactly its length. */
static blob receipt(const nocard_verification *v, bool digests) {
    blob b = {NULL, 0};
    size_t needed = 0, written = 0;
    CHECK_CODE(nocard_receipt_issue(v, desk_secret.bytes, desk_secret.len, "gate:ZB-7", "visitor_log", digests, now,
                                    NULL, 0, &needed),
               NOCARD_RESULT_BUFFER_TOO_SMALL);
    b.bytes = malloc(needed);
    CHECK(b.bytes != NULL);
    CHECK_CODE(nocard_receipt_issue(v, desk_secret.bytes, desk_secret.len, "gate:ZB-7", "visitor_log", digests, now,
                                    b.bytes, needed, &written),
               NOCARD_RESULT_OK);
    CHECK(written == needed);
    b.len = written;
    return b;
}

/* Appends `r` to the in-memory log file as firmware does: truncate to where
 * the record goes, then write it. */
static nocard_result append(blob *log, blob r) {
    uint8_t record[8192];
    size_t written = 0, at = 0;
    nocard_result result = nocard_log_append_record(log->bytes, log->len, r.bytes, r.len, desk.bytes, desk.len, now,
                                                    record, sizeof record, &written, &at);
    if (result != NOCARD_RESULT_OK) {
        return result;
    }
    CHECK(at <= log->len);
    log->bytes = realloc(log->bytes, at + written);
    CHECK(log->bytes != NULL);
    memcpy(log->bytes + at, record, written);
    log->len = at + written;
    return result;
}

static nocard_result check_log(const uint8_t *bytes, size_t len, const uint64_t *known_head, size_t *entries,
                               size_t *valid_len) {
    return nocard_log_verify(bytes, len, desk.bytes, desk.len, known_head, entries, valid_len);
}

/* Where record `i` of a log of equal-sized records starts. */
static size_t record_at(const blob *log, size_t count, size_t i) {
    return 5 + i * ((log->len - 5) / count);
}

int main(int argc, char **argv) {
    const nocard_verifier *verifier = NULL;
    nocard_verification *v = nocard_verification_new();
    blob r1, r2, log = {NULL, 0}, bad;
    size_t entries = 0, valid_len = 0, len, rec;
    uint64_t head = 3;
    int i;

    if (argc != 2) {
        fprintf(stderr, "usage: receipt_test FIXTURES_DIR\n");
        return 2;
    }
    fixtures = argv[1];
    issuer = load("issuer.cose");
    valid = load("valid.txt");
    desk = load("desk.cose");
    desk_secret = load("desk_secret.cose");
    receipt_text = load("receipt_text.txt");
    now = load_now();

    CHECK_CODE(fixture_verifier(issuer, "NBPSB", NULL, 0, NULL, &verifier), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);

    /* Receipts: values and digests, checked against the desk key only. */
    r1 = receipt(v, false);
    r2 = receipt(v, true);
    CHECK_CODE(nocard_receipt_verify(r1.bytes, r1.len, desk.bytes, desk.len), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_receipt_verify(r2.bytes, r2.len, desk.bytes, desk.len), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_receipt_verify(r1.bytes, r1.len, issuer.bytes, issuer.len),
               NOCARD_RESULT_RECEIPT_UNKNOWN_DESK_KEY);
    r1.bytes[r1.len - 1] ^= 1;
    CHECK_CODE(nocard_receipt_verify(r1.bytes, r1.len, desk.bytes, desk.len), NOCARD_RESULT_RECEIPT_BAD_SIGNATURE);
    r1.bytes[r1.len - 1] ^= 1;
    CHECK_CODE(nocard_receipt_issue(v, desk.bytes, desk.len, "u", NULL, false, now, NULL, 0, &len),
               NOCARD_RESULT_INVALID_KEY);
    CHECK_CODE(nocard_receipt_issue(v, desk_secret.bytes, desk_secret.len, "", NULL, false, now, NULL, 0, &len),
               NOCARD_RESULT_USAGE);
    CHECK_CODE(nocard_receipt_verify(NULL, 0, desk.bytes, desk.len), NOCARD_RESULT_NULL_PARAMETER);

    /* A receipt's NCR1: text, as a scanner gun reads it off a printed copy. */
    CHECK_CODE(nocard_receipt_verify(receipt_text.bytes, receipt_text.len, desk.bytes, desk.len), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_receipt_verify(receipt_text.bytes, receipt_text.len, issuer.bytes, issuer.len),
               NOCARD_RESULT_RECEIPT_UNKNOWN_DESK_KEY);
    CHECK(receipt_text.len > 10 && memcmp(receipt_text.bytes, "NCR1:", 5) == 0);
    receipt_text.bytes[3] = '2';
    CHECK_CODE(nocard_receipt_verify(receipt_text.bytes, receipt_text.len, desk.bytes, desk.len),
               NOCARD_RESULT_UNSUPPORTED_VERSION);
    receipt_text.bytes[3] = '1';
    /* '#' is not in the base45 alphabet. */
    receipt_text.bytes[10] = '#';
    CHECK_CODE(nocard_receipt_verify(receipt_text.bytes, receipt_text.len, desk.bytes, desk.len),
               NOCARD_RESULT_MALFORMED);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_LOG_ENTRY_EDITED), "log_entry_edited") == 0);

    /* The visitor log: three digests receipts, then each attack on a copy. */
    log.bytes = malloc(5);
    CHECK(log.bytes != NULL);
    memcpy(log.bytes, "NCVL\x01", 5);
    log.len = 5;
    for (i = 0; i < 3; i++) {
        CHECK_CODE(append(&log, r2), NOCARD_RESULT_OK);
    }
    CHECK_CODE(append(&log, valid), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(check_log(log.bytes, log.len, NULL, &entries, &valid_len), NOCARD_RESULT_OK);
    CHECK(entries == 3 && valid_len == log.len);
    CHECK_CODE(check_log(log.bytes, log.len, &head, &entries, &valid_len), NOCARD_RESULT_LOG_TRUNCATED);

    bad.bytes = malloc(log.len);
    CHECK(bad.bytes != NULL);
    memcpy(bad.bytes, log.bytes, log.len);
    bad.len = log.len;
    bad.bytes[record_at(&log, 3, 0) + 80] ^= 1;
    CHECK_CODE(check_log(bad.bytes, log.len, NULL, &entries, &valid_len), NOCARD_RESULT_LOG_ENTRY_EDITED);
    CHECK_CODE(append(&bad, r2), NOCARD_RESULT_LOG_ENTRY_EDITED);

    rec = record_at(&log, 3, 1) - record_at(&log, 3, 0);
    /* Record 1 deleted. */
    memcpy(bad.bytes, log.bytes, log.len);
    memmove(bad.bytes + record_at(&log, 3, 1), bad.bytes + record_at(&log, 3, 2), rec);
    CHECK_CODE(check_log(bad.bytes, log.len - rec, NULL, &entries, &valid_len), NOCARD_RESULT_LOG_ENTRY_DELETED);
    /* Records 0 and 1 swapped. */
    memcpy(bad.bytes, log.bytes, log.len);
    memcpy(bad.bytes + record_at(&log, 3, 0), log.bytes + record_at(&log, 3, 1), rec);
    memcpy(bad.bytes + record_at(&log, 3, 1), log.bytes + record_at(&log, 3, 0), rec);
    CHECK_CODE(check_log(bad.bytes, log.len, NULL, &entries, &valid_len), NOCARD_RESULT_LOG_ENTRY_REORDERED);
    /* Record 0 dropped without a checkpoint. */
    memcpy(bad.bytes, log.bytes, 5);
    memcpy(bad.bytes + 5, log.bytes + record_at(&log, 3, 1), log.len - record_at(&log, 3, 1));
    CHECK_CODE(check_log(bad.bytes, log.len - rec, NULL, &entries, &valid_len), NOCARD_RESULT_LOG_PURGE_UNSIGNED);
    /* A crash in the middle of the last append: the rest kept, the next record goes where it starts. */
    CHECK_CODE(check_log(log.bytes, log.len - 7, NULL, &entries, &valid_len), NOCARD_RESULT_OK);
    CHECK(entries == 2 && valid_len == record_at(&log, 3, 2));
    log.len -= 7;
    CHECK_CODE(append(&log, r2), NOCARD_RESULT_OK);
    CHECK_CODE(check_log(log.bytes, log.len, NULL, &entries, &valid_len), NOCARD_RESULT_OK);
    CHECK(entries == 3 && valid_len == log.len);

    free(bad.bytes);
    free(log.bytes);
    free(r1.bytes);
    free(r2.bytes);
    free(issuer.bytes);
    free(valid.bytes);
    free(desk.bytes);
    free(desk_secret.bytes);
    free(receipt_text.bytes);
    nocard_verification_free(v);
    nocard_verifier_free(verifier);
    return report("receipt_test");
}
