/*
 * bench.c: verifications per second from C on one core.
 *
 *   bench FIXTURES_DIR [ROUNDS]
 *
 * Verifies the fixture hotel check-in code (Ed25519 issuer, P-256 device key,
 * 4 claims) ROUNDS times (default 2000) with one verifier and one reused
 * verification object on one thread, and prints the rate.
 */
#define _POSIX_C_SOURCE 200112L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nocard.h"

#include "fixtures.h"

int main(int argc, char **argv) {
    blob key, code;
    long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 2000, i;
    uint64_t now;
    const nocard_verifier *verifier = NULL;
    nocard_verification *v = nocard_verification_new();
    const char *const id_cards[] = {"resident_id_card"};
    struct timespec t0, t1, c0, c1;
    double seconds, cpu_seconds;

    if (argc < 2 || rounds <= 0) {
        fprintf(stderr, "usage: %s FIXTURES_DIR [ROUNDS]\n", argv[0]);
        return 2;
    }
    fixtures = argv[1];
    key = load("issuer.cose");
    code = load("valid.txt");
    now = load_now();
    if (fixture_verifier(key, "NBPSB", id_cards, 1, NULL, &verifier) != NOCARD_RESULT_OK) {
        fprintf(stderr, "set-up failed\n");
        return 2;
    }

    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (i = 0; i < rounds; i++) {
        if (nocard_verifier_verify(verifier, code.bytes, code.len, now, v) != NOCARD_RESULT_OK) {
            fprintf(stderr, "verification %ld failed\n", i);
            return 1;
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cpu_seconds = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    /* CPU time is what one core spends; wall time also counts other processes' turns. */
    printf("%ld verifications on one thread: %.0f per second of CPU time (%.1f us each), %.0f per second of wall "
           "time\n",
           rounds, (double)rounds / cpu_seconds, cpu_seconds * 1e6 / (double)rounds, (double)rounds / seconds);

    nocard_verification_free(v);
    nocard_verifier_free(verifier);
    free(key.bytes);
    free(code.bytes);
    return 0;
}
