/*
 * state_test.c: the desk's offline state through nocard's C API: the replay
 * cache (verify once, save and restore as bytes), the trust store (signed
 * trust lists, rollback, stale lists, save and restore as bytes) and the
 * status store (revocation lists, checked before the replay cache admits).
 *
 *   state_test FIXTURES_DIR     (made by `cargo run --example c_fixtures -- DIR`)
 *
 * Every result code asserted exactly: a replay, a full cache, each kind of
 * damaged saved state, a rolled-back, foreign-signed, altered or stale list,
 * a revoked card, a missing or expired status list. Ends with "N passed, N failed"; exit status 1 if
 * anything failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

#include "check.h"
#include "fixtures.h"

/* The fixtures' document types: the issuer key is trusted for these. */
static const char *const ID_TYPES[] = {"resident_id_card", "household_register"};

static blob key, valid, household, stale, wrong_key, root, trust_1, trust_2, trust_stale, trust_rogue;
static blob status_code, status_valid, status_revoked, status_rogue, garbage_code;
static uint64_t now;

static const nocard_verifier *make_verifier(void) {
    const nocard_verifier *verifier = NULL;
    CHECK_CODE(fixture_verifier(key, "NBPSB", ID_TYPES, 2, NULL, &verifier), NOCARD_RESULT_OK);
    CHECK(verifier != NULL);
    return verifier;
}

static nocard_result once(const nocard_verifier *verifier, nocard_replay_cache *cache, blob code, uint64_t at,
                          nocard_verification *out) {
    nocard_result r = nocard_verifier_verify_once(verifier, cache, code.bytes, code.len, at, out);
    CHECK_CODE(nocard_verification_result(out), r);
    return r;
}

/* The cache's saved bytes, in a heap buffer of exactly their length (the caller frees it). */
static blob saved(const nocard_replay_cache *cache) {
    blob b = {NULL, 0};
    size_t needed = 0, written = 0;
    CHECK_CODE(nocard_replay_cache_to_bytes(cache, NULL, 0, &needed), NOCARD_RESULT_BUFFER_TOO_SMALL);
    b.bytes = malloc(needed);
    CHECK(b.bytes != NULL);
    CHECK_CODE(nocard_replay_cache_to_bytes(cache, b.bytes, needed, &written), NOCARD_RESULT_OK);
    CHECK(written == needed);
    b.len = written;
    return b;
}

static nocard_result restore(const uint8_t *bytes, size_t len) {
    nocard_replay_cache *cache = NULL;
    nocard_result r = nocard_replay_cache_from_bytes(bytes, len, &cache);
    CHECK((r == NOCARD_RESULT_OK) == (cache != NULL));
    nocard_replay_cache_free(cache);
    return r;
}

static void test_replay(void) {
    const nocard_verifier *verifier = make_verifier();
    nocard_verification *v = nocard_verification_new();
    nocard_replay_cache *cache = NULL, *one = NULL;
    char message[128];
    size_t len = 0, capacity = 0;

    CHECK_CODE(nocard_replay_cache_new(0, &cache), NOCARD_RESULT_CONFIG_REPLAY_CAPACITY);
    CHECK_CODE(nocard_replay_cache_new((size_t)1048576 + 1, &cache), NOCARD_RESULT_CONFIG_REPLAY_CAPACITY);
    CHECK(cache == NULL);
    CHECK_CODE(nocard_replay_cache_new(4, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_new(4, &cache), NOCARD_RESULT_OK);
    CHECK(cache != NULL);

    /* The same code twice: the second is a replay; the first acceptance stands. */
    CHECK_CODE(once(verifier, cache, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(once(verifier, cache, valid, now + 1, v), NOCARD_RESULT_REPLAYED);
    CHECK_CODE(nocard_verification_message(v, message, sizeof message, &len), NOCARD_RESULT_OK);
    CHECK(strstr(message, "already accepted") != NULL);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now + 1, v), NOCARD_RESULT_OK);
    /* A rejected code is not recorded: rejected for itself again, not as a replay. */
    CHECK_CODE(once(verifier, cache, stale, now, v), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(once(verifier, cache, stale, now, v), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(nocard_replay_cache_len(cache, &len), NOCARD_RESULT_OK);
    CHECK(len == 1);
    CHECK_CODE(nocard_replay_cache_capacity(cache, &capacity), NOCARD_RESULT_OK);
    CHECK(capacity == 4);

    /* A full cache refuses a new code rather than forget one, and records nothing. */
    CHECK_CODE(nocard_replay_cache_new(1, &one), NOCARD_RESULT_OK);
    CHECK_CODE(once(verifier, one, valid, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(once(verifier, one, household, now, v), NOCARD_RESULT_REPLAY_CACHE_FULL);
    CHECK_CODE(once(verifier, one, valid, now, v), NOCARD_RESULT_REPLAYED);
    CHECK_CODE(nocard_replay_cache_len(one, &len), NOCARD_RESULT_OK);
    CHECK(len == 1);

    /* NULLs: the result object is cleared first, nothing is verified or recorded. */
    CHECK_CODE(once(verifier, cache, household, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify_once(verifier, NULL, valid.bytes, valid.len, now, v),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verification_result(v), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verifier_verify_once(NULL, cache, valid.bytes, valid.len, now, v), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_verify_once(verifier, cache, NULL, 10, now, v), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_verify_once(verifier, cache, valid.bytes, valid.len, now, NULL),
               NOCARD_RESULT_NULL_PARAMETER);
    /* SIZE_MAX text is the verifier's too_large rejection, and not recorded. */
    CHECK_CODE(nocard_verifier_verify_once(verifier, cache, valid.bytes, (size_t)-1, now, v), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(nocard_replay_cache_len(cache, &len), NOCARD_RESULT_OK);
    CHECK(len == 2);
    CHECK_CODE(nocard_replay_cache_len(NULL, &len), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_len(cache, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_capacity(NULL, &capacity), NOCARD_RESULT_NULL_PARAMETER);

    nocard_replay_cache_free(one);
    nocard_replay_cache_free(cache);
    nocard_replay_cache_free(NULL);
    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

static void test_replay_saved(void) {
    const nocard_verifier *verifier = make_verifier();
    nocard_verification *v = nocard_verification_new();
    nocard_replay_cache *cache = NULL, *restored = NULL;
    blob bytes, again;
    uint8_t small[8];
    size_t needed = 0, len = 0;

    CHECK_CODE(nocard_replay_cache_new(8, &cache), NOCARD_RESULT_OK);
    CHECK_CODE(once(verifier, cache, valid, now, v), NOCARD_RESULT_OK);
    bytes = saved(cache);
    CHECK(bytes.len == 5 + 8 + 48 + 32);

    /* A short buffer is left untouched and told the length needed. */
    memset(small, 0x55, sizeof small);
    CHECK_CODE(nocard_replay_cache_to_bytes(cache, small, sizeof small, &needed), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == bytes.len && small[0] == 0x55 && small[7] == 0x55);
    CHECK_CODE(nocard_replay_cache_to_bytes(cache, NULL, 1, &needed), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_to_bytes(cache, small, sizeof small, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_to_bytes(NULL, small, sizeof small, &needed), NOCARD_RESULT_NULL_PARAMETER);

    /* Restored after a "restart", it still remembers the code. */
    CHECK_CODE(nocard_replay_cache_from_bytes(bytes.bytes, bytes.len, &restored), NOCARD_RESULT_OK);
    CHECK(restored != NULL);
    CHECK_CODE(once(verifier, restored, valid, now + 2, v), NOCARD_RESULT_REPLAYED);
    CHECK_CODE(nocard_replay_cache_len(restored, &len), NOCARD_RESULT_OK);
    CHECK(len == 1);
    again = saved(restored);
    CHECK(again.len == bytes.len && memcmp(again.bytes, bytes.bytes, bytes.len) == 0);
    free(again.bytes);

    /* Each kind of damage has its own code, and no cache is made. */
    CHECK_CODE(restore(bytes.bytes, 36), NOCARD_RESULT_STATE_TRUNCATED);
    CHECK_CODE(restore(bytes.bytes, bytes.len - 1), NOCARD_RESULT_STATE_CHECKSUM);
    bytes.bytes[20] ^= 0x10;
    CHECK_CODE(restore(bytes.bytes, bytes.len), NOCARD_RESULT_STATE_CHECKSUM);
    bytes.bytes[20] ^= 0x10;
    bytes.bytes[0] ^= 0x10;
    CHECK_CODE(restore(bytes.bytes, bytes.len), NOCARD_RESULT_STATE_WRONG_KIND);
    bytes.bytes[0] ^= 0x10;
    bytes.bytes[4] ^= 0x10;
    CHECK_CODE(restore(bytes.bytes, bytes.len), NOCARD_RESULT_STATE_VERSION);
    bytes.bytes[4] ^= 0x10;
    CHECK_CODE(restore(bytes.bytes, bytes.len), NOCARD_RESULT_OK);
    CHECK_CODE(restore(bytes.bytes, (size_t)-1), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(restore(NULL, 0), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_from_bytes(bytes.bytes, bytes.len, NULL), NOCARD_RESULT_NULL_PARAMETER);
    {
        /* Checksummed but not a cache: a count above its capacity. */
        blob invalid = load("replay_invalid.ncrc");
        CHECK_CODE(restore(invalid.bytes, invalid.len), NOCARD_RESULT_STATE_INVALID);
        free(invalid.bytes);
    }

    free(bytes.bytes);
    nocard_replay_cache_free(restored);
    nocard_replay_cache_free(cache);
    nocard_verification_free(v);
    nocard_verifier_free(verifier);
}

/* A store provisioned with the fixture root. */
static nocard_trust_store *make_store(void) {
    nocard_trust_store *store = NULL;
    const uint8_t *roots[1];
    size_t lens[1];
    roots[0] = root.bytes;
    lens[0] = root.len;
    CHECK_CODE(nocard_trust_store_new(roots, lens, 1, &store), NOCARD_RESULT_OK);
    CHECK(store != NULL);
    return store;
}

/* A verifier trusting what `store` holds. */
static nocard_result build_from_store(const nocard_trust_store *store, bool refuse_stale,
                                      const nocard_verifier **verifier) {
    nocard_verifier_builder *builder = nocard_verifier_builder_new();
    nocard_result r = nocard_verifier_builder_use_trust_store(builder, store, refuse_stale);
    if (r != NOCARD_RESULT_OK) {
        nocard_verifier_builder_free(builder);
        return r;
    }
    return nocard_verifier_builder_build(builder, verifier);
}

static uint64_t sequence_of(const nocard_trust_store *store) {
    uint64_t sequence = 0;
    CHECK_CODE(nocard_trust_store_sequence(store, &sequence), NOCARD_RESULT_OK);
    return sequence;
}

static void test_trust_store(void) {
    nocard_trust_store *store = NULL, *restored = NULL;
    const nocard_verifier *verifier = NULL;
    nocard_verification *v = nocard_verification_new();
    nocard_verifier_builder *builder;
    const uint8_t *roots[2];
    size_t lens[2], at, needed = 0;
    uint64_t number = 0;
    blob altered, state;

    /* Roots: 1-8 distinct usable keys. */
    roots[0] = root.bytes;
    lens[0] = root.len;
    roots[1] = root.bytes;
    lens[1] = root.len;
    CHECK_CODE(nocard_trust_store_new(roots, lens, 2, &store), NOCARD_RESULT_CONFIG_TRUST_ROOTS);
    CHECK_CODE(nocard_trust_store_new(roots, lens, 0, &store), NOCARD_RESULT_CONFIG_TRUST_ROOTS);
    lens[1] = 3;
    CHECK_CODE(nocard_trust_store_new(roots, lens, 2, &store), NOCARD_RESULT_INVALID_KEY);
    lens[1] = (size_t)-1;
    CHECK_CODE(nocard_trust_store_new(roots, lens, 2, &store), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_trust_store_new(roots, lens, (size_t)-1, &store), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_trust_store_new(NULL, lens, 1, &store), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_trust_store_new(roots, lens, 1, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(store == NULL);
    store = make_store();

    /* No list yet: nothing to read, no verifier from it. */
    CHECK_CODE(nocard_trust_store_sequence(store, &number), NOCARD_RESULT_TRUST_LIST_MISSING);
    CHECK_CODE(nocard_trust_store_next_update(store, &number), NOCARD_RESULT_TRUST_LIST_MISSING);
    CHECK_CODE(build_from_store(store, true, &verifier), NOCARD_RESULT_TRUST_LIST_MISSING);

    /* Lists are taken in order; the list held again is no change; an older one is a rollback. */
    CHECK_CODE(nocard_trust_store_update(store, trust_1.bytes, trust_1.len), NOCARD_RESULT_OK);
    CHECK(sequence_of(store) == 1);
    CHECK_CODE(nocard_trust_store_update(store, trust_1.bytes, trust_1.len), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_trust_store_update(store, trust_2.bytes, trust_2.len), NOCARD_RESULT_OK);
    CHECK(sequence_of(store) == 2);
    CHECK_CODE(nocard_trust_store_update(store, trust_1.bytes, trust_1.len), NOCARD_RESULT_TRUST_LIST_ROLLBACK);
    CHECK_CODE(nocard_trust_store_update(store, trust_rogue.bytes, trust_rogue.len),
               NOCARD_RESULT_TRUST_LIST_UNKNOWN_ROOT);
    /* The stale list with one byte of its contents (the issuer name) changed. */
    altered.len = trust_stale.len;
    altered.bytes = malloc(altered.len);
    CHECK(altered.bytes != NULL);
    memcpy(altered.bytes, trust_stale.bytes, altered.len);
    for (at = 0; at + 5 <= altered.len && memcmp(altered.bytes + at, "NBPSB", 5) != 0; at++) {
    }
    CHECK(at + 5 <= altered.len);
    altered.bytes[at] ^= 0x01;
    CHECK_CODE(nocard_trust_store_update(store, altered.bytes, altered.len), NOCARD_RESULT_TRUST_LIST_BAD_SIGNATURE);
    free(altered.bytes);
    CHECK_CODE(nocard_trust_store_update(store, valid.bytes, valid.len), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(nocard_trust_store_update(store, trust_2.bytes, (size_t)-1), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_trust_store_update(store, NULL, 4), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_trust_store_update(NULL, trust_2.bytes, trust_2.len), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(sequence_of(store) == 2);
    CHECK_CODE(nocard_trust_store_next_update(store, &number), NOCARD_RESULT_OK);
    CHECK(number == 1795420800ull + 7 * 86400);

    /* A verifier from the fresh list verifies the fixture codes, and refuses others' keys. */
    CHECK_CODE(build_from_store(store, true, &verifier), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, wrong_key.bytes, wrong_key.len, now, v), NOCARD_RESULT_UNKNOWN_KEY);
    nocard_verifier_free(verifier);
    builder = nocard_verifier_builder_new();
    CHECK_CODE(nocard_verifier_builder_use_trust_store(builder, NULL, true), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_builder_use_trust_store(NULL, store, true), NOCARD_RESULT_NULL_PARAMETER);
    /* The same key in the list and by hand is added twice. */
    CHECK_CODE(nocard_verifier_builder_use_trust_store(builder, store, true), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_builder_add_issuer_key(builder, key.bytes, key.len, "NBPSB", ID_TYPES, 2, false),
               NOCARD_RESULT_OK);
    verifier = NULL;
    CHECK_CODE(nocard_verifier_builder_build(builder, &verifier), NOCARD_RESULT_CONFIG_DUPLICATE_KEY);
    CHECK(verifier == NULL);

    /* Saved and restored, the store keeps its list and the sequence an old list must beat. */
    CHECK_CODE(nocard_trust_store_to_bytes(store, NULL, 0, &needed), NOCARD_RESULT_BUFFER_TOO_SMALL);
    state.bytes = malloc(needed);
    CHECK(state.bytes != NULL);
    CHECK_CODE(nocard_trust_store_to_bytes(store, state.bytes, needed - 1, &state.len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(state.len == needed);
    CHECK_CODE(nocard_trust_store_to_bytes(store, state.bytes, needed, &state.len), NOCARD_RESULT_OK);
    CHECK(state.len == needed);
    CHECK_CODE(nocard_trust_store_to_bytes(NULL, state.bytes, needed, &state.len), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_trust_store_from_bytes(state.bytes, state.len, &restored), NOCARD_RESULT_OK);
    CHECK(restored != NULL && sequence_of(restored) == 2);
    CHECK_CODE(nocard_trust_store_update(restored, trust_1.bytes, trust_1.len), NOCARD_RESULT_TRUST_LIST_ROLLBACK);
    nocard_trust_store_free(restored);
    restored = NULL;
    CHECK_CODE(nocard_trust_store_from_bytes(state.bytes, 20, &restored), NOCARD_RESULT_STATE_TRUNCATED);
    state.bytes[state.len / 2] ^= 0x10;
    CHECK_CODE(nocard_trust_store_from_bytes(state.bytes, state.len, &restored), NOCARD_RESULT_STATE_CHECKSUM);
    state.bytes[state.len / 2] ^= 0x10;
    state.bytes[4] ^= 0x10;
    CHECK_CODE(nocard_trust_store_from_bytes(state.bytes, state.len, &restored), NOCARD_RESULT_STATE_VERSION);
    state.bytes[4] ^= 0x10;
    CHECK_CODE(nocard_trust_store_from_bytes(state.bytes, (size_t)-1, &restored), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_trust_store_from_bytes(state.bytes, state.len, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(restored == NULL);
    {
        /* A replay cache's state is not a trust store's, nor the other way round. */
        nocard_replay_cache *cache = NULL;
        blob replay_state;
        CHECK_CODE(nocard_replay_cache_new(2, &cache), NOCARD_RESULT_OK);
        replay_state = saved(cache);
        CHECK_CODE(nocard_trust_store_from_bytes(replay_state.bytes, replay_state.len, &restored),
                   NOCARD_RESULT_STATE_WRONG_KIND);
        CHECK_CODE(restore(state.bytes, state.len), NOCARD_RESULT_STATE_WRONG_KIND);
        free(replay_state.bytes);
        nocard_replay_cache_free(cache);
    }
    free(state.bytes);

    /* Past its next update: refused if the desk says so, else verified as usual. */
    CHECK_CODE(nocard_trust_store_update(store, trust_stale.bytes, trust_stale.len), NOCARD_RESULT_OK);
    CHECK(sequence_of(store) == 3);
    CHECK_CODE(build_from_store(store, true, &verifier), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_TRUST_LIST_STALE);
    CHECK_CODE(nocard_verification_result(v), NOCARD_RESULT_TRUST_LIST_STALE);
    /* The verifier's own rejection comes first. */
    CHECK_CODE(nocard_verifier_verify(verifier, stale.bytes, stale.len, now, v), NOCARD_RESULT_WINDOW_EXPIRED);
    {
        /* A refused code is not recorded as accepted. */
        nocard_replay_cache *cache = NULL;
        size_t len = 1;
        CHECK_CODE(nocard_replay_cache_new(2, &cache), NOCARD_RESULT_OK);
        CHECK_CODE(once(verifier, cache, valid, now, v), NOCARD_RESULT_TRUST_LIST_STALE);
        CHECK_CODE(nocard_replay_cache_len(cache, &len), NOCARD_RESULT_OK);
        CHECK(len == 0);
        nocard_replay_cache_free(cache);
    }
    nocard_verifier_free(verifier);
    CHECK_CODE(build_from_store(store, false, &verifier), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    nocard_verifier_free(verifier);

    nocard_trust_store_free(store);
    nocard_trust_store_free(NULL);
    nocard_verification_free(v);
}

static void test_status_store(void) {
    const nocard_verifier *verifier = make_verifier();
    nocard_verification *v = nocard_verification_new();
    nocard_status_store *store = NULL, *restored = NULL, *lenient = NULL;
    nocard_replay_cache *cache = NULL;
    blob state;
    size_t needed = 0;

    CHECK_CODE(nocard_status_store_new(NULL, false, &store), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_status_store_new(verifier, false, NULL), NOCARD_RESULT_NULL_PARAMETER);
    CHECK(store == NULL);
    CHECK_CODE(nocard_status_store_new(verifier, false, &store), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_new(verifier, true, &lenient), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_replay_cache_new(4, &cache), NOCARD_RESULT_OK);

    /* No list held: refused by default, passed if the desk accepts missing lists. */
    CHECK_CODE(nocard_verifier_verify(verifier, status_code.bytes, status_code.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_check(store, v, now), NOCARD_RESULT_STATUS_LIST_MISSING);
    CHECK_CODE(nocard_status_store_check(lenient, v, now), NOCARD_RESULT_OK);
    /* A card naming no list passes. */
    CHECK_CODE(nocard_verifier_verify(verifier, valid.bytes, valid.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_check(store, v, now), NOCARD_RESULT_OK);

    /* Tokens: the issuer's are taken in order, a rogue key's and an older one are refused. */
    CHECK_CODE(nocard_status_store_update(store, status_valid.bytes, status_valid.len, now), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_update(store, status_rogue.bytes, status_rogue.len, now),
               NOCARD_RESULT_STATUS_LIST_UNKNOWN_KEY);
    CHECK_CODE(nocard_verifier_verify(verifier, status_code.bytes, status_code.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_check(store, v, now), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_update(store, status_revoked.bytes, status_revoked.len, now), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_update(store, status_valid.bytes, status_valid.len, now),
               NOCARD_RESULT_STATUS_LIST_ROLLBACK);
    CHECK_CODE(nocard_status_store_check(store, v, now), NOCARD_RESULT_CREDENTIAL_REVOKED);
    /* Past the list's expiry it decides nothing. */
    CHECK_CODE(nocard_status_store_check(store, v, now + 86400), NOCARD_RESULT_STATUS_LIST_EXPIRED);
    CHECK_CODE(nocard_status_store_update(store, status_valid.bytes, status_valid.len, now + 86400),
               NOCARD_RESULT_STATUS_LIST_EXPIRED);
    CHECK_CODE(nocard_status_store_update(store, valid.bytes, valid.len, now), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(nocard_status_store_update(store, status_valid.bytes, (size_t)-1, now), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_status_store_update(NULL, status_valid.bytes, status_valid.len, now),
               NOCARD_RESULT_NULL_PARAMETER);

    /* The desk: verify, check status, then admit; a revoked code is never recorded. */
    CHECK_CODE(nocard_replay_cache_admit(cache, v, now), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_replay_cache_admit(cache, v, now + 1), NOCARD_RESULT_REPLAYED);
    CHECK_CODE(nocard_verifier_verify(verifier, garbage_code.bytes, garbage_code.len, now, v), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(nocard_status_store_check(store, v, now), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_replay_cache_admit(cache, v, now), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_status_store_check(NULL, v, now), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_status_store_check(store, NULL, now), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_admit(NULL, v, now), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_replay_cache_admit(cache, NULL, now), NOCARD_RESULT_NULL_PARAMETER);

    /* Saved and restored: the revoked list still decides. */
    CHECK_CODE(nocard_status_store_to_bytes(store, NULL, 0, &needed), NOCARD_RESULT_BUFFER_TOO_SMALL);
    state.bytes = malloc(needed);
    CHECK(state.bytes != NULL);
    CHECK_CODE(nocard_status_store_to_bytes(store, state.bytes, needed, &state.len), NOCARD_RESULT_OK);
    CHECK(state.len == needed);
    CHECK_CODE(nocard_status_store_from_bytes(state.bytes, state.len, verifier, false, &restored), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verifier_verify(verifier, status_code.bytes, status_code.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_status_store_check(restored, v, now), NOCARD_RESULT_CREDENTIAL_REVOKED);
    nocard_status_store_free(restored);
    restored = NULL;
    state.bytes[state.len - 1] ^= 0x10;
    CHECK_CODE(nocard_status_store_from_bytes(state.bytes, state.len, verifier, false, &restored),
               NOCARD_RESULT_STATE_CHECKSUM);
    CHECK_CODE(nocard_status_store_from_bytes(state.bytes, 8, verifier, false, &restored), NOCARD_RESULT_STATE_TRUNCATED);
    CHECK_CODE(nocard_status_store_from_bytes(state.bytes, (size_t)-1, verifier, false, &restored),
               NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_status_store_from_bytes(state.bytes, state.len, NULL, false, &restored),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK(restored == NULL);
    free(state.bytes);

    nocard_replay_cache_free(cache);
    nocard_status_store_free(lenient);
    nocard_status_store_free(store);
    nocard_status_store_free(NULL);
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
    household = load("household.txt");
    stale = load("stale.txt");
    wrong_key = load("wrong_key.txt");
    root = load("root.cose");
    trust_1 = load("trust_1.ncsl");
    trust_2 = load("trust_2.ncsl");
    trust_stale = load("trust_stale.ncsl");
    trust_rogue = load("trust_rogue.ncsl");
    status_code = load("status.txt");
    status_valid = load("status_valid.ncst");
    status_revoked = load("status_revoked.ncst");
    status_rogue = load("status_rogue.ncst");
    garbage_code = load("garbage.txt");
    now = load_now();

    test_replay();
    test_replay_saved();
    test_trust_store();
    test_status_store();

    free(key.bytes);
    free(valid.bytes);
    free(household.bytes);
    free(stale.bytes);
    free(wrong_key.bytes);
    free(root.bytes);
    free(trust_1.bytes);
    free(trust_2.bytes);
    free(trust_stale.bytes);
    free(trust_rogue.bytes);
    free(status_code.bytes);
    free(status_valid.bytes);
    free(status_revoked.bytes);
    free(status_rogue.bytes);
    free(garbage_code.bytes);
    return report("state_test");
}
