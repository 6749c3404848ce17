/*
 * portrait_test.c: a scanner receiving the holder's portrait through
 * nocard's C API (SPEC.md §14): verify the roadside code, then feed the
 * NCP1: frames the camera reads, one by one, with frames lost and frames of
 * another presentation mixed in, until the portrait matches the signed
 * photo_digest; a portrait that does not match; the frame limit.
 *
 *   portrait_test FIXTURES_DIR     (made by `cargo run --example c_fixtures -- DIR`)
 *
 * Every result code asserted exactly. Ends with "N passed, N failed"; exit
 * status 1 if anything failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

#include "check.h"
#include "fixtures.h"

#define MAX_FRAMES 64

/* The lines of a frames file: pointers into `file`, each line's length. */
typedef struct {
    const uint8_t *text[MAX_FRAMES];
    size_t len[MAX_FRAMES];
    size_t count;
} frames;

static frames split(blob file) {
    frames f;
    size_t start = 0, i;
    f.count = 0;
    for (i = 0; i <= file.len && f.count < MAX_FRAMES; i++) {
        if (i == file.len || file.bytes[i] == '\n') {
            if (i > start) {
                f.text[f.count] = file.bytes + start;
                f.len[f.count] = i - start;
                f.count++;
            }
            start = i + 1;
        }
    }
    return f;
}

static const nocard_verifier *make_verifier(blob key) {
    const nocard_verifier *verifier = NULL;
    CHECK_CODE(fixture_verifier(key, "NBPSB", NULL, 0, NULL, &verifier), NOCARD_RESULT_OK);
    return verifier;
}

/* A receiver for the portrait after `code`, verified at `now`. */
static nocard_portrait_receiver *receiver_for(const nocard_verifier *verifier, blob code, uint64_t now) {
    nocard_verification *v = nocard_verification_new();
    nocard_portrait_receiver *rx = NULL;
    CHECK_CODE(nocard_verifier_verify(verifier, code.bytes, code.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_portrait_receiver_new(v, &rx), NOCARD_RESULT_OK);
    nocard_verification_free(v);
    return rx;
}

static void test_reception(const nocard_verifier *verifier, uint64_t now) {
    blob code = load("portrait_code.txt"), file = load("portrait_frames.txt");
    blob other_file = load("portrait_other_frames.txt"), expected = load("portrait.jpg");
    frames ours = split(file), theirs = split(other_file);
    nocard_portrait_receiver *rx = receiver_for(verifier, code, now);
    uint32_t symbols = 99, needed = 99;
    bool complete = true;
    size_t i, len = 0, fed = 0;
    uint8_t *portrait;

    CHECK(ours.count == 63 && theirs.count == 63);
    CHECK_CODE(nocard_portrait_receiver_progress(rx, &symbols, &needed, &complete), NOCARD_RESULT_OK);
    CHECK(symbols == 0 && needed == 0 && !complete);
    CHECK_CODE(nocard_portrait_receiver_portrait(rx, NULL, 0, &len), NOCARD_RESULT_PORTRAIT_INCOMPLETE);

    /* Every fourth frame lost, another phone's frames in between. */
    for (i = 0; i < ours.count && !complete; i++) {
        CHECK_CODE(nocard_portrait_receiver_feed(rx, theirs.text[i], theirs.len[i]),
                   NOCARD_RESULT_PORTRAIT_OTHER_PRESENTATION);
        if (i % 4 == 3) {
            continue;
        }
        CHECK_CODE(nocard_portrait_receiver_feed(rx, ours.text[i], ours.len[i]), NOCARD_RESULT_OK);
        fed++;
        CHECK_CODE(nocard_portrait_receiver_progress(rx, &symbols, &needed, &complete), NOCARD_RESULT_OK);
        CHECK(complete || (symbols == fed && needed == 21));
    }
    CHECK(complete);
    printf("portrait complete after %zu of our frames (K = 21)\n", fed);

    CHECK_CODE(nocard_portrait_receiver_portrait(rx, NULL, 0, &len), NOCARD_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == expected.len);
    portrait = malloc(len);
    CHECK(portrait != NULL);
    CHECK_CODE(nocard_portrait_receiver_portrait(rx, portrait, len, &len), NOCARD_RESULT_OK);
    CHECK(len == expected.len && memcmp(portrait, expected.bytes, len) == 0);
    free(portrait);
    /* Frames after completion are not read. */
    CHECK_CODE(nocard_portrait_receiver_feed(rx, ours.text[62], ours.len[62]), NOCARD_RESULT_OK);

    nocard_portrait_receiver_free(rx);
    free(code.bytes);
    free(file.bytes);
    free(other_file.bytes);
    free(expected.bytes);
}

static void test_mismatch(const nocard_verifier *verifier, uint64_t now) {
    blob code = load("portrait_mismatch_code.txt"), file = load("portrait_mismatch_frames.txt");
    frames f = split(file);
    nocard_portrait_receiver *rx = receiver_for(verifier, code, now);
    uint32_t symbols = 0, needed = 0;
    bool complete = false;
    size_t i, len = 0;

    for (i = 0; i < 20; i++) {
        CHECK_CODE(nocard_portrait_receiver_feed(rx, f.text[i], f.len[i]), NOCARD_RESULT_OK);
    }
    /* The 21st symbol decodes it: not the signed photo. The transfer is over. */
    CHECK_CODE(nocard_portrait_receiver_feed(rx, f.text[20], f.len[20]), NOCARD_RESULT_PORTRAIT_DIGEST_MISMATCH);
    CHECK_CODE(nocard_portrait_receiver_feed(rx, f.text[21], f.len[21]), NOCARD_RESULT_PORTRAIT_DIGEST_MISMATCH);
    CHECK_CODE(nocard_portrait_receiver_progress(rx, &symbols, &needed, &complete),
               NOCARD_RESULT_PORTRAIT_DIGEST_MISMATCH);
    CHECK_CODE(nocard_portrait_receiver_portrait(rx, NULL, 0, &len), NOCARD_RESULT_PORTRAIT_INCOMPLETE);

    nocard_portrait_receiver_free(rx);
    free(code.bytes);
    free(file.bytes);
}

static void test_limits_and_misuse(const nocard_verifier *verifier, uint64_t now) {
    blob code = load("portrait_code.txt"), hotel = load("valid.txt"), file = load("portrait_frames.txt");
    frames f = split(file);
    nocard_verification *v = nocard_verification_new();
    nocard_portrait_receiver *rx = NULL;
    int i;

    /* A hotel code does not disclose photo_digest; an empty verification holds nothing. */
    CHECK_CODE(nocard_portrait_receiver_new(v, &rx), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(nocard_verifier_verify(verifier, hotel.bytes, hotel.len, now, v), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_portrait_receiver_new(v, &rx), NOCARD_RESULT_PORTRAIT_NOT_DISCLOSED);
    CHECK(rx == NULL);
    CHECK_CODE(nocard_portrait_receiver_new(NULL, &rx), NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_portrait_receiver_new(v, NULL), NOCARD_RESULT_NULL_PARAMETER);

    /* An endless stream meets the frame limit, junk included. */
    rx = receiver_for(verifier, code, now);
    CHECK_CODE(nocard_portrait_receiver_set_max_frames(rx, 0), NOCARD_RESULT_PORTRAIT_FRAME_LIMIT_OUT_OF_RANGE);
    CHECK_CODE(nocard_portrait_receiver_set_max_frames(rx, 100001), NOCARD_RESULT_PORTRAIT_FRAME_LIMIT_OUT_OF_RANGE);
    CHECK_CODE(nocard_portrait_receiver_set_max_frames(rx, 5), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_portrait_receiver_feed(rx, (const uint8_t *)"NCP1:0", 6), NOCARD_RESULT_MALFORMED);
    CHECK_CODE(nocard_portrait_receiver_feed(rx, (const uint8_t *)"NCP7:", 5), NOCARD_RESULT_UNSUPPORTED_VERSION);
    CHECK_CODE(nocard_portrait_receiver_feed(rx, code.bytes, code.len), NOCARD_RESULT_MALFORMED);
    for (i = 0; i < 2; i++) {
        CHECK_CODE(nocard_portrait_receiver_feed(rx, f.text[0], f.len[0]), NOCARD_RESULT_OK);
    }
    CHECK_CODE(nocard_portrait_receiver_feed(rx, f.text[1], f.len[1]), NOCARD_RESULT_PORTRAIT_FRAME_LIMIT);
    /* `strlen(s) - 1` of an empty string: refused unread. */
    CHECK_CODE(nocard_portrait_receiver_feed(rx, f.text[1], (size_t)-1), NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_portrait_receiver_feed(NULL, f.text[1], f.len[1]), NOCARD_RESULT_NULL_PARAMETER);
    nocard_portrait_receiver_free(rx);
    nocard_portrait_receiver_free(NULL);

    nocard_verification_free(v);
    free(code.bytes);
    free(hotel.bytes);
    free(file.bytes);
}

int main(int argc, char **argv) {
    blob key;
    const nocard_verifier *verifier;
    uint64_t now;
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
        return 2;
    }
    fixtures = argv[1];
    key = load("issuer.cose");
    now = load_now();
    verifier = make_verifier(key);

    test_reception(verifier, now);
    test_mismatch(verifier, now);
    test_limits_and_misuse(verifier, now);

    nocard_verifier_free(verifier);
    free(key.bytes);
    return report("portrait_test");
}
