/*
 * misuse_test.c: nocard's C API against the mistakes real firmware makes.
 *
 *   misuse_test FIXTURES_DIR     (made by `cargo run --example c_fixtures -- DIR`)
 *
 * Each case is a bug found in adversarial C programs under valgrind, and the
 * exact outcome the library now guarantees for it:
 * - a failed verify (NULL verifier, NULL text) must not leave the previous
 *   person's result readable in the reused result object;
 * - SIZE_MAX lengths (`strlen(line) - 1` on an empty line) are refused before
 *   anything is read (run under valgrind or ASan, a read is an error);
 * - nocard_verifier_builder_build consumes the builder on every call, so one
 *   cleanup path neither leaks nor double-frees (valgrind's leak check);
 * - a claim name read from the same buffer the value is written into.
 * Ends with "N passed, N failed"; exit status 1 if anything failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

#include "check.h"
#include "fixtures.h"

#define WANG_XIAOMING "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e" /* 王小明, 9 bytes */

/* The fixtures' document types: the issuer key is trusted for these. */
static const char *const ID_TYPES[] = {"resident_id_card", "household_register"};

static blob key, valid;
static uint64_t now;

static const nocard_verifier *make_verifier(void) {
    const nocard_verifier *verifier = NULL;
    CHECK_CODE(fixture_verifier(key, "NBPSB", ID_TYPES, 2, NULL, &verifier), NOCARD_RESULT_OK);
    return verifier;
}

static int name_is(const nocard_verification *v, const char *expected) {
    char buf[64];
    size_t len = 0;
    return nocard_verification_claim(v, "name", buf, sizeof buf, &len) == NOCARD_RESULT_OK && strcmp(buf, expected) == 0;
}

/* Nothing of the previous scan is readable after a failed verify. */
static void cleared(const nocard_verification *v) {
    char buf[64];
    size_t len = 0;
    CHECK(!nocard_verification_is_valid(v));
    CHECK_CODE(nocard_verification_result(v), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verification_claim(v, "name", buf, sizeof buf, &len), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verification_issuer(v, buf, sizeof buf, &len), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verification_message(v, buf, sizeof buf, &len), NOCARD_RESULT_NOT_VERIFIED);
}

static void test_failed_verify_clears_the_result(void) {
    const nocard_verifier *verifier = make_verifier();
    nocard_verification *v = nocard_verification_new();

    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    CHECK(nocard_verification_is_valid(v) && name_is(v, WANG_XIAOMING));
    CHECK_CODE(nocard_verifier_verify(NULL, valid.bytes, valid.len, now, v), NOCARD_RESULT_NULL_PARAMETER);
    cleared(v);

    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, NULL, valid.len, now, v), NOCARD_RESULT_NULL_PARAMETER);
    cleared(v);

    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, NULL, 0, now, v), NOCARD_RESULT_NULL_PARAMETER);
    cleared(v);

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

/* The scanner loop bug: an empty line, and `strlen(line) - 1` as its length. */
static void test_size_max_lengths_are_refused_unread(void) {
    const nocard_verifier *verifier = make_verifier();
    nocard_verification *v = nocard_verification_new();
    nocard_verifier_builder *b = nocard_verifier_builder_new();
    char *line = malloc(1);
    const char *names[] = {"name"};
    char detail[32];
    char *out = malloc(16);
    size_t len = 0, i;
    int untouched = 1;

    if (line == NULL || out == NULL) {
        exit(2);
    }
    line[0] = '\0';
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, (const uint8_t *)line, strlen(line) - 1, now, v),
               NOCARD_RESULT_MALFORMED);
    CHECK(!nocard_verification_is_valid(v));
    CHECK_CODE(nocard_verification_malformed_detail(v, detail, sizeof detail, &len), NOCARD_RESULT_OK);
    CHECK(strcmp(detail, "too_large") == 0);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, NOCARD_MAX_TEXT_LEN + 1, now, v), NOCARD_RESULT_MALFORMED);

    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, SIZE_MAX, "NBPSB", ID_TYPES, 2, false),
               NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(
        nocard_verifier_builder_add_issuer_key(b, key.bytes, NOCARD_MAX_KEY_LEN + 1, "NBPSB", ID_TYPES, 2, false),
        NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "NBPSB", ID_TYPES, SIZE_MAX, false),
               NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, names, SIZE_MAX), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, names, NOCARD_MAX_NAMES + 1), NOCARD_RESULT_TOO_LONG);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_TOO_LONG), "too_long") == 0);
    nocard_verifier_builder_free(b);

    /* An output length larger than the buffer: only the text and its NUL are written. */
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    memset(out, 0x55, 16);
    CHECK_CODE(nocard_verification_claim(v, "name", out, SIZE_MAX, &len), NOCARD_RESULT_OK);
    CHECK(len == 9 && memcmp(out, WANG_XIAOMING, 10) == 0);
    for (i = 10; i < 16; i++) {
        untouched = untouched && out[i] == 0x55;
    }
    CHECK(untouched);

    free(out);
    free(line);
    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

/* Set-up with one cleanup path: build takes the builder whatever it returns. */
static nocard_result set_up(const nocard_verifier **verifier_out) {
    nocard_verifier_builder *b = nocard_verifier_builder_new();
    nocard_result r = nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "NBPSB", ID_TYPES, 2, false);
    if (r != NOCARD_RESULT_OK) {
        nocard_verifier_builder_free(b);
        return r;
    }
    return nocard_verifier_builder_build(b, verifier_out); /* b is gone now, success or not */
}

static void test_build_always_consumes_the_builder(void) {
    const nocard_verifier *verifier = (const nocard_verifier *)&passed; /* stale garbage */
    /* valgrind reports the builder as leaked if build(b, NULL) did not free it. */
    CHECK_CODE(set_up(NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(set_up(&verifier), NOCARD_RESULT_OK);
    CHECK(verifier != NULL);
    nocard_verifier_free(verifier);

    verifier = (const nocard_verifier *)&passed;
    CHECK_CODE(nocard_verifier_builder_build(NULL, &verifier), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(verifier == NULL); /* safe to pass to nocard_verifier_free */
    nocard_verifier_free(verifier);

    /* A configuration refused by build: the builder is gone all the same. */
    {
        nocard_verifier_builder *b = nocard_verifier_builder_new();
        CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "NBPSB", ID_TYPES, 2, false),
                   NOCARD_RESULT_OK);
        CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "NBPSB", NULL, 0, true),
                   NOCARD_RESULT_OK);
        verifier = (const nocard_verifier *)&passed;
        CHECK_CODE(nocard_verifier_builder_build(b, &verifier), NOCARD_RESULT_CONFIG_DUPLICATE_KEY);
        CHECK(verifier == NULL);
    }
}

/* One buffer for the name asked for and the value read. */
static void test_claim_name_in_the_output_buffer(void) {
    const nocard_verifier *verifier = make_verifier();
    nocard_verification *v = nocard_verification_new();
    char buf[32];
    char small[8] = "name";
    size_t len = 0;

    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    strcpy(buf, "name");
    CHECK_CODE(nocard_verification_claim(v, buf, buf, sizeof buf, &len), NOCARD_RESULT_OK);
    CHECK(len == 9 && strcmp(buf, WANG_XIAOMING) == 0);
    strcpy(buf, "id_number");
    CHECK_CODE(nocard_verification_claim(v, buf, buf, sizeof buf, &len), NOCARD_RESULT_OK);
    CHECK(len == 18 && strcmp(buf, "330203199005170017") == 0);
    CHECK_CODE(nocard_verification_claim(v, small, small, sizeof small, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 9 && strcmp(small, "name") == 0);

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
        return 2;
    }
    fixtures = argv[1];
    key = load("issuer.cose");
    valid = load("valid.txt");
    now = load_now();

    test_failed_verify_clears_the_result();
    test_size_max_lengths_are_refused_unread();
    test_build_always_consumes_the_builder();
    test_claim_name_in_the_output_buffer();

    free(key.bytes);
    free(valid.bytes);
    return report("misuse_test");
}
