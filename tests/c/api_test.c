/*
 * api_test.c: the contract of nocard's C API, from C.
 *
 *   api_test FIXTURES_DIR     (made by `cargo run --example c_fixtures -- DIR`)
 *
 * Every function with NULL arguments, short buffers (the length needed is
 * reported, the buffer untouched), _free(NULL), every error path with its
 * exact result code, and one verifier shared by four threads verifying at
 * once. misuse_test.c has the programs' usual mistakes. Ends with "N passed, N failed"; exit status 1 if anything failed.
 */
#define _POSIX_C_SOURCE 200112L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

#include "check.h"
#include "fixtures.h"

/* The fixtures' document types: the issuer key is trusted for these. */
static const char *const ID_TYPES[] = {"resident_id_card", "household_register"};

static blob key, valid, challenge, household, stale, tampered, wrong_key, garbage, addressed, licence, future;
static blob group_key, other_group_key, sealed, sealed_other, sealed_tampered, sealed_stale;
static uint64_t now;

/* A verifier trusting the fixture issuer as `issuer`, configured further by `configure`. */
static const nocard_verifier *make_verifier(const char *issuer, void (*configure)(nocard_verifier_builder *)) {
    const nocard_verifier *verifier = NULL;
    CHECK_CODE(fixture_verifier(key, issuer, ID_TYPES, 2, configure, &verifier), NOCARD_RESULT_OK);
    CHECK(verifier != NULL);
    return verifier;
}

static nocard_result verify(const nocard_verifier *verifier, blob code, uint64_t at, nocard_verification *out) {
    nocard_result r = nocard_verifier_verify(verifier, code.bytes, code.len, at, out);
    CHECK_CODE(nocard_verification_result(out), r);
    CHECK(nocard_verification_is_valid(out) == (r == NOCARD_RESULT_OK));
    return r;
}

static int text_is(nocard_result (*get)(const nocard_verification *, char *, size_t, size_t *),
                   const nocard_verification *v, const char *expected) {
    char buf[256];
    size_t len = 0;
    return get(v, buf, sizeof buf, &len) == NOCARD_RESULT_OK && len == strlen(expected) && strcmp(buf, expected) == 0;
}

static int claim_is(const nocard_verification *v, const char *name, const char *expected) {
    char buf[512];
    size_t len = 0;
    return nocard_verification_claim(v, name, buf, sizeof buf, &len) == NOCARD_RESULT_OK && len == strlen(expected) &&
           strcmp(buf, expected) == 0;
}

#ifndef NOCARD_TEST_EXPECT_STD
#define NOCARD_TEST_EXPECT_STD 1
#endif

static void on_panic(const char *file, uint32_t line) {
    fprintf(stderr, "nocard panicked at %s:%u\n", file, (unsigned)line);
}

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "nocard/%d.%d.%d", NOCARD_VERSION_MAJOR, NOCARD_VERSION_MINOR,
             NOCARD_VERSION_PATCH);
    CHECK(strcmp(nocard_version(), expected) == 0);
    CHECK(nocard_version_number() == NOCARD_VERSION_NUMBER);
    /* Which C library this is linked with: the Makefile's FLAVOUR. */
    CHECK(((nocard_features() & NOCARD_FEATURE_STD) != 0) == NOCARD_TEST_EXPECT_STD);
    CHECK(nocard_set_panic_handler(on_panic) == NULL);
    CHECK(nocard_set_panic_handler(NULL) == on_panic);
}

static void test_result_texts(void) {
    char buf[64];
    size_t len = 0;
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_OK), "ok") == 0);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_WINDOW_EXPIRED), "window_expired") == 0);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_BAD_ISSUER_SIGNATURE), "bad_issuer_signature") == 0);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_NULL_PARAMETER), "null_parameter") == 0);
    CHECK(strcmp(nocard_result_code_name(4242), "unknown_result") == 0);
    CHECK_CODE(nocard_error_message(NOCARD_RESULT_WINDOW_EXPIRED, buf, sizeof buf, &len), NOCARD_RESULT_OK);
    CHECK(strcmp(buf, "presentation window is over") == 0 && len == strlen(buf));
    CHECK_CODE(nocard_error_message(4242, buf, sizeof buf, &len), NOCARD_RESULT_OK);
    CHECK(strcmp(buf, "unknown result code") == 0);
}

static void test_error_paths(void) {
    const nocard_verifier *verifier = make_verifier("NBPSB", NULL);
    nocard_verification *v = nocard_verification_new();
    char detail[32];
    size_t len = 0;

    CHECK_CODE(nocard_verification_result(v), NOCARD_RESULT_NOT_VERIFIED);
    CHECK(!nocard_verification_is_valid(v));
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, challenge, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, household, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, stale, now, v), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(verify(verifier, valid, now + 60, v), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(verify(verifier, valid, now - 60, v), NOCARD_RESULT_WINDOW_NOT_YET_VALID);
    CHECK_CODE(verify(verifier, valid, now + 10ull * 365 * 86400, v), NOCARD_RESULT_CREDENTIAL_EXPIRED);
    CHECK_CODE(verify(verifier, valid, now - 365ull * 86400, v), NOCARD_RESULT_CREDENTIAL_NOT_YET_VALID);
    CHECK_CODE(verify(verifier, tampered, now, v), NOCARD_RESULT_BAD_ISSUER_SIGNATURE);
    CHECK_CODE(verify(verifier, wrong_key, now, v), NOCARD_RESULT_UNKNOWN_KEY);
    CHECK_CODE(verify(verifier, garbage, now, v), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(nocard_verification_malformed_detail(v, detail, sizeof detail, &len), NOCARD_RESULT_OK);
    CHECK(strcmp(detail, "missing_prefix") == 0);

    /* A rejection leaves nothing of the valid scan before it readable. */
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, tampered, now, v), NOCARD_RESULT_BAD_ISSUER_SIGNATURE);
    CHECK_CODE(nocard_verification_issuer(v, detail, sizeof detail, &len), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verification_claim(v, "name", detail, sizeof detail, &len), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verification_malformed_detail(v, detail, sizeof detail, &len), NOCARD_RESULT_NOT_FOUND);
    CHECK(text_is(nocard_verification_message, v, "issuer signature does not verify"));

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

static void test_reading_a_valid_code(void) {
    const nocard_verifier *verifier = make_verifier("NBPSB", NULL);
    nocard_verification *v = nocard_verification_new();
    const char *names[] = {"name", "sex", "birth_date", "id_number"};
    char buf[64];
    size_t count = 0, len = 0, i;
    uint64_t a = 0, b = 0;
    uint32_t number = 0;

    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    CHECK(text_is(nocard_verification_doc_type, v, "resident_id_card"));
    CHECK(text_is(nocard_verification_issuer, v, "NBPSB"));
    CHECK(text_is(nocard_verification_message, v, "valid"));
    CHECK_CODE(nocard_verification_key_id(v, buf, sizeof buf, &len), NOCARD_RESULT_OK);
    CHECK(len == 16 && strspn(buf, "0123456789abcdef") == 16);
    CHECK_CODE(nocard_verification_validity(v, &a, &b), NOCARD_RESULT_OK);
    CHECK(a == 1795420800ull - 30 * 86400 && b == 1795420800ull + 5ull * 365 * 86400);
    CHECK_CODE(nocard_verification_window(v, &a, &b), NOCARD_RESULT_OK);
    CHECK(a == 1795420800ull && b == 1795420830ull);
    CHECK_CODE(nocard_verification_challenge(v, &number), NOCARD_RESULT_NOT_FOUND);
    CHECK_CODE(nocard_verification_claim_count(v, &count), NOCARD_RESULT_OK);
    CHECK(count == 4);
    for (i = 0; i < count && i < 4; i++) {
        CHECK_CODE(nocard_verification_claim_name(v, i, buf, sizeof buf, &len), NOCARD_RESULT_OK);
        CHECK(strcmp(buf, names[i]) == 0);
    }
    CHECK_CODE(nocard_verification_claim_name(v, count, buf, sizeof buf, &len), NOCARD_RESULT_NOT_FOUND);
    CHECK(claim_is(v, "name", "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e")); /* 王小明 */
    CHECK(claim_is(v, "sex", "1"));
    CHECK(claim_is(v, "birth_date", "1990-05-17"));
    CHECK(claim_is(v, "id_number", "330203199005170017"));
    CHECK_CODE(nocard_verification_claim(v, "address", buf, sizeof buf, &len), NOCARD_RESULT_NOT_FOUND);

    CHECK_CODE(verify(verifier, challenge, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verification_challenge(v, &number), NOCARD_RESULT_OK);
    CHECK(number == 4711);
    CHECK(claim_is(v, "age_over_18", "true"));

    CHECK_CODE(verify(verifier, household, now, v), NOCARD_RESULT_OK);
    CHECK(text_is(nocard_verification_doc_type, v, "household_register"));
    CHECK_CODE(nocard_verification_claim(v, "members", NULL, 0, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len > 100);
    {
        char members[1024];
        CHECK_CODE(nocard_verification_claim(v, "members", members, sizeof members, &len), NOCARD_RESULT_OK);
        CHECK(strncmp(members, "[{\"relation_to_head\":", 21) == 0 && members[len - 1] == ']');
    }

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

static void require_challenge(nocard_verifier_builder *b) {
    CHECK_CODE(nocard_verifier_builder_set_challenge(b, 4711), NOCARD_RESULT_OK);
}

static void require_cafe_profile(nocard_verifier_builder *b) {
    CHECK_CODE(nocard_verifier_builder_set_profile(b, "internet_cafe"), NOCARD_RESULT_OK);
}

static void require_address(nocard_verifier_builder *b) {
    const char *names[] = {"name", "address"};
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, names, 2), NOCARD_RESULT_OK);
}

static void allow_three_minutes_of_skew(nocard_verifier_builder *b) {
    CHECK_CODE(nocard_verifier_builder_set_clock_skew(b, 180), NOCARD_RESULT_OK);
}

static void test_policy(void) {
    nocard_verification *v = nocard_verification_new();
    const nocard_verifier *verifier;

    verifier = make_verifier("NBPSB", require_challenge);
    CHECK_CODE(verify(verifier, challenge, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_CHALLENGE_MISMATCH);
    nocard_verifier_free(verifier);

    verifier = make_verifier("NBPSB", require_cafe_profile);
    CHECK_CODE(verify(verifier, challenge, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_MISSING_REQUIRED_CLAIM);
    CHECK(text_is(nocard_verification_message, v, "required claim age_over_18 is not disclosed"));
    nocard_verifier_free(verifier);

    verifier = make_verifier("NBPSB", require_address);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_MISSING_REQUIRED_CLAIM);
    nocard_verifier_free(verifier);

    verifier = make_verifier("NBPSB", allow_three_minutes_of_skew);
    CHECK_CODE(verify(verifier, stale, now, v), NOCARD_RESULT_OK);
    nocard_verifier_free(verifier);

    verifier = make_verifier("HZPSB", NULL);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_ISSUER_MISMATCH);
    nocard_verifier_free(verifier);

    {
        const char *licences_only[] = {"driving_licence"};
        const uint8_t not_a_key[] = {0xa1, 0x01, 0x01};
        const char bad_utf8[] = {'\xff', '\0'};
        nocard_verifier_builder *b = nocard_verifier_builder_new();
        CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, not_a_key, sizeof not_a_key, "NBPSB", NULL, 0, true),
                   NOCARD_RESULT_INVALID_KEY);
        CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, bad_utf8, NULL, 0, true),
                   NOCARD_RESULT_INVALID_UTF8);
        CHECK_CODE(nocard_verifier_builder_set_profile(b, "casino"), NOCARD_RESULT_UNKNOWN_PROFILE);
        CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "NBPSB", licences_only, 1, false),
                   NOCARD_RESULT_OK);
        CHECK_CODE(nocard_verifier_builder_build(b, &verifier), NOCARD_RESULT_OK);
        CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_KEY_NOT_ALLOWED_FOR_DOC_TYPE);
        nocard_verifier_free(verifier);
    }
    nocard_verification_free(v);
}

static nocard_result add_key(nocard_verifier_builder *b, const char *const *types, size_t n, bool all_types) {
    return nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "NBPSB", types, n, all_types);
}

/* What build says about a builder: the code; the verifier is checked and freed. */
static nocard_result build_code(nocard_verifier_builder *b) {
    const nocard_verifier *verifier = (const nocard_verifier *)&passed; /* stale garbage */
    nocard_result r = nocard_verifier_builder_build(b, &verifier);
    CHECK((r == NOCARD_RESULT_OK) == (verifier != NULL));
    nocard_verifier_free(verifier);
    return r;
}

static void require_sex_2(nocard_verifier_builder *b) {
    const char *specs[] = {"name", "sex=2"};
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, specs, 2), NOCARD_RESULT_OK);
}

static void require_sex_1_and_birth_date(nocard_verifier_builder *b) {
    const char *specs[] = {"sex=1", "birth_date=1990-05-17"};
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, specs, 2), NOCARD_RESULT_OK);
}

static void for_desk_1(nocard_verifier_builder *b) {
    CHECK_CODE(nocard_verifier_builder_set_audience(b, "desk-1"), NOCARD_RESULT_OK);
}

static void test_scoped_keys_and_policy(void) {
    const char *const licences[] = {"driving_licence"};
    const char *const twice[] = {"resident_id_card", "resident_id_card"};
    const char *const unknown[] = {"no_such_card"};
    const char *const bad_specs[] = {"no_such_claim", "sex=male", "birth_date=17.05.1990"};
    const nocard_result bad_spec_codes[] = {NOCARD_RESULT_CONFIG_UNKNOWN_CLAIM_NAME,
                                            NOCARD_RESULT_CONFIG_REQUIREMENT_VALUE,
                                            NOCARD_RESULT_CONFIG_REQUIREMENT_VALUE};
    const char *const members[] = {"members"};
    char audience[66];
    char buf[128];
    size_t i, len = 0;
    nocard_verification *v = nocard_verification_new();
    nocard_verifier_builder *b = nocard_verifier_builder_new();
    const nocard_verifier *verifier;

    /* The scope is explicit: types, or all_types, never neither or both. */
    CHECK_CODE(add_key(b, NULL, 0, false), NOCARD_RESULT_CONFIG_EMPTY_KEY_SCOPE);
    CHECK_CODE(add_key(b, ID_TYPES, 2, true), NOCARD_RESULT_AMBIGUOUS_KEY_SCOPE);
    CHECK_CODE(add_key(b, twice, 2, false), NOCARD_RESULT_CONFIG_DUPLICATE_SCOPE_TYPE);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "", ID_TYPES, 2, false),
               NOCARD_RESULT_CONFIG_ISSUER_NAME);
    /* Bounded settings are refused by their setter and leave the builder as it was. */
    CHECK_CODE(nocard_verifier_builder_set_clock_skew(b, 301), NOCARD_RESULT_CONFIG_CLOCK_SKEW);
    CHECK_CODE(nocard_verifier_builder_set_clock_skew(b, 300), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_set_challenge(b, 1000000), NOCARD_RESULT_CONFIG_CHALLENGE);
    CHECK_CODE(nocard_verifier_builder_set_challenge(b, 999999), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_set_audience(b, ""), NOCARD_RESULT_CONFIG_AUDIENCE);
    memset(audience, 'a', 65);
    audience[65] = '\0';
    CHECK_CODE(nocard_verifier_builder_set_audience(b, audience), NOCARD_RESULT_CONFIG_AUDIENCE);
    CHECK_CODE(nocard_verifier_builder_set_audience(b, audience + 1), NOCARD_RESULT_OK); /* 64 bytes */
    for (i = 0; i < 3; i++) {
        CHECK_CODE(nocard_verifier_builder_set_required_claims(b, &bad_specs[i], 1), bad_spec_codes[i]);
    }
    CHECK_CODE(build_code(b), NOCARD_RESULT_OK); /* no keys: allowed */

    /* Checked as a whole by build (which takes the builder either way). */
    b = nocard_verifier_builder_new();
    CHECK_CODE(add_key(b, unknown, 1, false), NOCARD_RESULT_OK);
    CHECK_CODE(build_code(b), NOCARD_RESULT_CONFIG_UNKNOWN_DOC_TYPE_NAME);
    b = nocard_verifier_builder_new();
    CHECK_CODE(add_key(b, ID_TYPES, 2, false), NOCARD_RESULT_OK);
    CHECK_CODE(add_key(b, licences, 1, false), NOCARD_RESULT_OK);
    CHECK_CODE(build_code(b), NOCARD_RESULT_CONFIG_DUPLICATE_KEY);
    b = nocard_verifier_builder_new();
    CHECK_CODE(add_key(b, NULL, 0, true), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_set_profile(b, "internet_cafe"), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, members, 1), NOCARD_RESULT_OK);
    CHECK_CODE(build_code(b), NOCARD_RESULT_CONFIG_UNKNOWN_CLAIM_NAME);
    CHECK_CODE(nocard_error_message(NOCARD_RESULT_CONFIG_DUPLICATE_KEY, buf, sizeof buf, &len), NOCARD_RESULT_OK);
    CHECK(strcmp(buf, "invalid config: the same issuer key is added twice") == 0);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_CONFIG_UNKNOWN_DOC_TYPE_NAME), "config_unknown_doc_type_name") ==
          0);

    /* The scope at work: the ID-card key does not vouch for a licence, all_types does. */
    verifier = make_verifier("NBPSB", NULL);
    CHECK_CODE(verify(verifier, licence, now, v), NOCARD_RESULT_KEY_NOT_ALLOWED_FOR_DOC_TYPE);
    CHECK_CODE(verify(verifier, future, now, v), NOCARD_RESULT_CREDENTIAL_ISSUED_IN_FUTURE);
    nocard_verifier_free(verifier);
    b = nocard_verifier_builder_new();
    CHECK_CODE(add_key(b, NULL, 0, true), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_build(b, &verifier), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, licence, now, v), NOCARD_RESULT_OK);
    CHECK(text_is(nocard_verification_doc_type, v, "driving_licence"));
    nocard_verifier_free(verifier);

    /* Profiles accept only their document types. */
    verifier = make_verifier("NBPSB", require_cafe_profile);
    CHECK_CODE(verify(verifier, household, now, v), NOCARD_RESULT_DOC_TYPE_NOT_ACCEPTED);
    nocard_verifier_free(verifier);

    /* Requirements NAME=VALUE. */
    verifier = make_verifier("NBPSB", require_sex_2);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_REQUIREMENT_NOT_MET);
    CHECK(text_is(nocard_verification_message, v, "required claim sex does not have the required value"));
    nocard_verifier_free(verifier);
    verifier = make_verifier("NBPSB", require_sex_1_and_birth_date);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    nocard_verifier_free(verifier);

    /* Audience, both ways. */
    verifier = make_verifier("NBPSB", for_desk_1);
    CHECK_CODE(verify(verifier, addressed, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_AUDIENCE_MISSING);
    nocard_verifier_free(verifier);
    verifier = make_verifier("NBPSB", NULL);
    CHECK_CODE(verify(verifier, addressed, now, v), NOCARD_RESULT_AUDIENCE_MISMATCH);
    nocard_verifier_free(verifier);

    nocard_verification_free(v);
}

static void test_presentation_id_and_issue_time(void) {
    const nocard_verifier *verifier = make_verifier("NBPSB", NULL);
    nocard_verification *v = nocard_verification_new();
    uint8_t first[NOCARD_PRESENTATION_ID_LEN + 1], again[NOCARD_PRESENTATION_ID_LEN], other[NOCARD_PRESENTATION_ID_LEN];
    uint64_t issued_at = 7;

    memset(first, 0x55, sizeof first);
    CHECK_CODE(nocard_verification_presentation_id(v, first), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verification_issued_at(v, &issued_at), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verification_presentation_id(v, first), NOCARD_RESULT_OK);
    CHECK(first[NOCARD_PRESENTATION_ID_LEN] == 0x55); /* 32 bytes, no more */
    CHECK_CODE(nocard_verification_issued_at(v, &issued_at), NOCARD_RESULT_OK);
    CHECK(issued_at == 1795420800ull - 30 * 86400);
    CHECK_CODE(verify(verifier, valid, now + 1, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verification_presentation_id(v, again), NOCARD_RESULT_OK);
    CHECK(memcmp(first, again, sizeof again) == 0); /* the same code scanned twice */
    CHECK_CODE(verify(verifier, challenge, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verification_presentation_id(v, other), NOCARD_RESULT_OK);
    CHECK(memcmp(first, other, sizeof other) != 0);

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

static void test_null_arguments(void) {
    const nocard_verifier *verifier = make_verifier("NBPSB", NULL);
    nocard_verification *v = nocard_verification_new();
    nocard_verifier_builder *b = nocard_verifier_builder_new();
    const nocard_verifier *built = NULL;
    const char *null_name[] = {NULL};
    char buf[64] = {0};
    size_t n = 0;
    uint64_t x = 0, y = 0;
    uint32_t c = 0;
    int untouched = 1;
    size_t i;
    nocard_result (*getters[])(const nocard_verification *, char *, size_t, size_t *) = {
        nocard_verification_message,     nocard_verification_malformed_detail, nocard_verification_doc_type,
        nocard_verification_doc_title,   nocard_verification_issuer,          nocard_verification_key_id,
    };

    nocard_verifier_free(NULL);
    nocard_verification_free(NULL);
    nocard_verifier_builder_free(NULL);
    passed++; /* the three frees of NULL returned */

    CHECK_CODE(nocard_error_message(0, buf, sizeof buf, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_error_message(0, NULL, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);

    CHECK_CODE(nocard_verifier_builder_add_issuer_key(NULL, key.bytes, key.len, "I", NULL, 0, true),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, NULL, key.len, "I", NULL, 0, true),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, NULL, NULL, 0, true),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "I", NULL, 1, false),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(b, key.bytes, key.len, "I", null_name, 1, false),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_audience(NULL, "desk-1"), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_audience(b, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_clock_skew(NULL, 1), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_profile(NULL, "visitor_log"), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_profile(b, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_required_claims(NULL, NULL, 0), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, null_name, 1), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_set_required_claims(b, NULL, 0), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_set_challenge(NULL, 1), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_build(NULL, &built), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(built == NULL);
    CHECK_CODE(nocard_verifier_builder_build(b, NULL), NOCARD_RESULT_NULL_PARAMETER); /* b is consumed all the same */

    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(nocard_verification_is_valid(v)); /* an object not passed is not touched */
    CHECK_CODE(nocard_verifier_verify(NULL, valid.bytes, valid.len, now, v), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(!nocard_verification_is_valid(v)); /* cleared: no stale result (misuse_test.c has more) */
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, NULL, 0, now, v), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_result(v), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK); /* the getters below see a valid outcome */

    CHECK_CODE(nocard_verification_result(NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(!nocard_verification_is_valid(NULL));
    for (i = 0; i < sizeof getters / sizeof getters[0]; i++) {
        CHECK_CODE(getters[i](NULL, buf, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
        CHECK_CODE(getters[i](v, NULL, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
        CHECK_CODE(getters[i](v, buf, sizeof buf, NULL), NOCARD_RESULT_NULL_PARAMETER);
    }
    CHECK_CODE(nocard_verification_validity(NULL, &x, &y), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_validity(v, NULL, &y), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_validity(v, &x, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_window(NULL, &x, &y), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_window(v, NULL, &y), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_window(v, &x, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_challenge(NULL, &c), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_challenge(v, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_presentation_id(NULL, (uint8_t *)buf), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_presentation_id(v, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_issued_at(NULL, &x), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_issued_at(v, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim_count(NULL, &n), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim_count(v, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim_name(NULL, 0, buf, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim_name(v, 0, NULL, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim_name(v, 0, buf, sizeof buf, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim(NULL, "name", buf, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim(v, NULL, buf, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim(v, "name", NULL, sizeof buf, &n), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_claim(v, "name", buf, sizeof buf, NULL), NOCARD_RESULT_NULL_PARAMETER);
    for (i = 0; i < sizeof buf; i++) {
        untouched = untouched && buf[i] == 0;
    }
    CHECK(untouched && x == 0 && y == 0 && c == 0 && n == 0);

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

static void test_short_buffers(void) {
    const nocard_verifier *verifier = make_verifier("NBPSB", NULL);
    nocard_verification *v = nocard_verification_new();
    const char *name = "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"; /* 王小明, 9 bytes */
    char buf[16];
    size_t sizes[] = {0, 1, 9};
    size_t i, j, len;
    int untouched;

    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_OK);
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(buf, 0x55, sizeof buf);
        len = 0;
        CHECK_CODE(nocard_verification_claim(v, "name", buf, sizes[i], &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
        CHECK(len == 9);
        untouched = 1;
        for (j = 0; j < sizeof buf; j++) {
            untouched = untouched && buf[j] == 0x55;
        }
        CHECK(untouched);
    }
    len = 0;
    CHECK_CODE(nocard_verification_claim(v, "name", NULL, 0, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 9);
    memset(buf, 0x55, sizeof buf);
    CHECK_CODE(nocard_verification_claim(v, "name", buf, 10, &len), NOCARD_RESULT_OK);
    CHECK(len == 9 && memcmp(buf, name, 10) == 0 && buf[10] == 0x55);

    CHECK_CODE(nocard_verification_doc_type(v, buf, 5, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == strlen("resident_id_card"));
    CHECK_CODE(nocard_verification_key_id(v, buf, 16, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 16);
    CHECK_CODE(nocard_verification_claim_name(v, 2, buf, 4, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == strlen("birth_date"));
    CHECK_CODE(nocard_error_message(NOCARD_RESULT_PANIC, buf, sizeof buf, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == strlen("nocard panicked (a bug; please report it)"));
    CHECK_CODE(verify(verifier, stale, now, v), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(nocard_verification_message(v, buf, sizeof buf, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == strlen("presentation window ended at 1795420710 (now 1795420805)"));

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

static void add_group_key(nocard_verifier_builder *builder) {
    CHECK_CODE(nocard_verifier_builder_add_group_key(builder, group_key.bytes, group_key.len), NOCARD_RESULT_OK);
}

static void sealed_only(nocard_verifier_builder *builder) {
    add_group_key(builder);
    CHECK_CODE(nocard_verifier_builder_require_sealed(builder), NOCARD_RESULT_OK);
}

/* Sealed codes (SPEC.md §13): opened with the group key, then verified as plain ones. */
static void test_sealed(void) {
    nocard_verification *v = nocard_verification_new();
    const nocard_verifier *verifier = make_verifier("NBPSB", sealed_only);
    const nocard_verifier *plain_desk = make_verifier("NBPSB", NULL);
    const nocard_verifier *out = NULL;
    nocard_verifier_builder *builder;

    CHECK_CODE(verify(verifier, sealed, now, v), NOCARD_RESULT_OK);
    CHECK(claim_is(v, "name", "王小明"));
    CHECK_CODE(verify(verifier, sealed_other, now, v), NOCARD_RESULT_SEALED_FOR_OTHER_GROUP);
    CHECK_CODE(verify(verifier, sealed_tampered, now, v), NOCARD_RESULT_SEALED_OPEN_FAILED);
    CHECK_CODE(verify(verifier, sealed_stale, now, v), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(verify(verifier, valid, now, v), NOCARD_RESULT_SEAL_REQUIRED);
    CHECK_CODE(verify(plain_desk, sealed, now, v), NOCARD_RESULT_SEALED_NO_GROUP_KEY);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_SEALED_OPEN_FAILED), "sealed_open_failed") == 0);

    /* An issuer key is not a group key; settings are checked when built. */
    builder = nocard_verifier_builder_new();
    CHECK_CODE(nocard_verifier_builder_add_group_key(builder, key.bytes, key.len), NOCARD_RESULT_INVALID_KEY);
    CHECK_CODE(nocard_verifier_builder_add_group_key(builder, NULL, 1), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_require_sealed(builder), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_build(builder, &out), NOCARD_RESULT_CONFIG_SEAL_WITHOUT_GROUP_KEY);
    CHECK(out == NULL);
    builder = nocard_verifier_builder_new();
    add_group_key(builder);
    add_group_key(builder);
    CHECK_CODE(nocard_verifier_builder_build(builder, &out), NOCARD_RESULT_CONFIG_DUPLICATE_GROUP_KEY);
    CHECK(out == NULL);
    builder = nocard_verifier_builder_new();
    CHECK_CODE(nocard_verifier_builder_add_group_key(builder, other_group_key.bytes, other_group_key.len),
               NOCARD_RESULT_OK);
    nocard_verifier_builder_free(builder);

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
    nocard_verifier_free(plain_desk);
}

/* One verifier, four threads verifying through it at once, each with its own result object. */
#define THREADS 4
#define ROUNDS 150

static const nocard_verifier *shared_verifier;

static void *scan_loop(void *arg) {
    int *mismatches = arg;
    nocard_verification *v = nocard_verification_new();
    char name[32];
    size_t len;
    int i;
    for (i = 0; i < ROUNDS; i++) {
        nocard_result r;
        switch (i % 3) {
        case 0:
            r = nocard_verifier_verify(shared_verifier, valid.bytes, valid.len, now, v);
            *mismatches += r != NOCARD_RESULT_OK;
            *mismatches += nocard_verification_claim(v, "id_number", name, sizeof name, &len) != NOCARD_RESULT_OK ||
                           strcmp(name, "330203199005170017") != 0;
            break;
        case 1:
            r = nocard_verifier_verify(shared_verifier, tampered.bytes, tampered.len, now, v);
            *mismatches += r != NOCARD_RESULT_BAD_ISSUER_SIGNATURE;
            break;
        default:
            r = nocard_verifier_verify(shared_verifier, stale.bytes, stale.len, now, v);
            *mismatches += r != NOCARD_RESULT_WINDOW_EXPIRED;
            break;
        }
    }
    nocard_verification_free(v);
    return NULL;
}

static void test_threads(void) {
    pthread_t threads[THREADS];
    int mismatches[THREADS] = {0};
    int i, started = 0;
    shared_verifier = make_verifier("NBPSB", NULL);
    for (i = 0; i < THREADS; i++) {
        started += pthread_create(&threads[i], NULL, scan_loop, &mismatches[i]) == 0;
    }
    CHECK(started == THREADS);
    for (i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        CHECK(mismatches[i] == 0);
    }
    nocard_verifier_free(shared_verifier);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
        return 2;
    }
    fixtures = argv[1];
    key = load("issuer.cose");
    valid = load("valid.txt");
    challenge = load("challenge.txt");
    household = load("household.txt");
    stale = load("stale.txt");
    tampered = load("tampered.txt");
    wrong_key = load("wrong_key.txt");
    garbage = load("garbage.txt");
    addressed = load("addressed.txt");
    licence = load("licence.txt");
    future = load("future.txt");
    group_key = load("group.cose");
    other_group_key = load("other_group.cose");
    sealed = load("sealed.txt");
    sealed_other = load("sealed_other.txt");
    sealed_tampered = load("sealed_tampered.txt");
    sealed_stale = load("sealed_stale.txt");
    now = load_now();

    test_version();
    test_result_texts();
    test_error_paths();
    test_reading_a_valid_code();
    test_policy();
    test_scoped_keys_and_policy();
    test_presentation_id_and_issue_time();
    test_null_arguments();
    test_short_buffers();
    test_threads();
    test_sealed();

    free(key.bytes);
    free(valid.bytes);
    free(challenge.bytes);
    free(household.bytes);
    free(stale.bytes);
    free(tampered.bytes);
    free(wrong_key.bytes);
    free(garbage.bytes);
    free(addressed.bytes);
    free(licence.bytes);
    free(future.bytes);
    free(group_key.bytes);
    free(other_group_key.bytes);
    free(sealed.bytes);
    free(sealed_other.bytes);
    free(sealed_tampered.bytes);
    free(sealed_stale.bytes);
    return report("api_test");
}
