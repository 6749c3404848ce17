/*
 * scanner.c: the loop of a scanner gun's firmware, on nocard's C API.
 *
 * A scanner gun types each QR code it reads as one line. For every line this
 * program verifies the code offline against one cached issuer key and prints
 * the verdict and the disclosed fields:
 *
 *   scanner ISSUER_KEY.cose ISSUER_NAME [UNIX_TIME] < scans.txt
 *
 * ISSUER_KEY.cose is the issuer's public COSE_Key (`nocard keygen --public-out`,
 * or `cargo run --example c_fixtures DIR`); UNIX_TIME fixes the clock (for
 * tests), otherwise the system clock is read per scan. Exit status: 0 after
 * the input ends (rejected codes are normal input), 2 on a usage or set-up error.
 *
 * The issuer key is trusted only for the document types this desk takes
 * (ACCEPTED_TYPES): a code of another type, even one the issuer signed, is
 * rejected with key_not_allowed_for_doc_type.
 *
 * One verifier and one verification object serve every scan: the loop
 * allocates no result object per code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nocard.h"

/* A code, a CR LF and the NUL fgets adds. */
#define LINE_CAPACITY (NOCARD_MAX_TEXT_LEN + 3)
/* Most values fit; longer ones (household records) take the heap path. */
#define VALUE_CAPACITY 128

/* The document types the issuer key is trusted for at this desk. */
static const char *const ACCEPTED_TYPES[] = {"resident_id_card", "household_register"};
#define ACCEPTED_TYPE_COUNT (sizeof ACCEPTED_TYPES / sizeof ACCEPTED_TYPES[0])

typedef nocard_result (*text_getter)(const nocard_verification *, char *, size_t, size_t *);

static int read_key(const char *path, uint8_t *key, size_t capacity, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    *len = fread(key, 1, capacity, f);
    int too_long = fgetc(f) != EOF;
    int failed = ferror(f);
    fclose(f);
    return (too_long || failed) ? -1 : 0;
}

/* Prints one claim's value: into a stack buffer, or, when nocard reports
 * that the value needs more room, into a heap buffer of the size it named. */
static void print_claim(const nocard_verification *v, const char *name) {
    char small[VALUE_CAPACITY];
    size_t len = 0;
    nocard_result r = nocard_verification_claim(v, name, small, sizeof small, &len);
    if (r == NOCARD_RESULT_OK) {
        printf("       %-18s %s\n", name, small);
        return;
    }
    if (r == NOCARD_RESULT_BUFFER_TOO_SMALL) {
        char *big = malloc(len + 1);
        if (big != NULL && nocard_verification_claim(v, name, big, len + 1, &len) == NOCARD_RESULT_OK) {
            printf("       %-18s %s\n", name, big);
            free(big);
            return;
        }
        free(big);
    }
    printf("       %-18s (%s)\n", name, nocard_result_code_name(r));
}

static const char *text_or(text_getter get, const nocard_verification *v, char *buf, size_t cap, const char *dflt) {
    size_t len = 0;
    return get(v, buf, cap, &len) == NOCARD_RESULT_OK ? buf : dflt;
}

static void print_valid(const nocard_verification *v) {
    char doc_type[64], issuer[80], key_id[24], name[64];
    uint64_t start = 0, end = 0;
    size_t count = 0, len = 0, i;
    nocard_verification_window(v, &start, &end);
    printf("VALID  %s from %s (key %s), code good until %llu\n",
           text_or(nocard_verification_doc_type, v, doc_type, sizeof doc_type, "?"),
           text_or(nocard_verification_issuer, v, issuer, sizeof issuer, "?"),
           text_or(nocard_verification_key_id, v, key_id, sizeof key_id, "?"), (unsigned long long)end);
    nocard_verification_claim_count(v, &count);
    for (i = 0; i < count; i++) {
        if (nocard_verification_claim_name(v, i, name, sizeof name, &len) == NOCARD_RESULT_OK) {
            print_claim(v, name);
        }
    }
}

static void print_rejection(nocard_result r, const nocard_verification *v) {
    char message[160], detail[40];
    size_t len = 0;
    printf("REJECT %s", nocard_result_code_name(r));
    if (nocard_verification_malformed_detail(v, detail, sizeof detail, &len) == NOCARD_RESULT_OK) {
        printf(" (%s)", detail);
    }
    if (nocard_verification_message(v, message, sizeof message, &len) == NOCARD_RESULT_OK) {
        printf(": %s", message);
    }
    printf("\n");
}

/* Reads the rest of an over-long line so the next scan starts clean. */
static void skip_line(void) {
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
    }
}

int main(int argc, char **argv) {
    static char line[LINE_CAPACITY];
    uint8_t key[512];
    size_t key_len = 0;
    unsigned long valid = 0, rejected = 0;
    const nocard_verifier *verifier = NULL;
    nocard_verifier_builder *builder;
    nocard_verification *verification;
    nocard_result r;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s ISSUER_KEY.cose ISSUER_NAME [UNIX_TIME] < scans\n", argv[0]);
        return 2;
    }
    if (read_key(argv[1], key, sizeof key, &key_len) != 0) {
        fprintf(stderr, "cannot read issuer key %s\n", argv[1]);
        return 2;
    }
    fprintf(stderr, "%s\n", nocard_version());

    builder = nocard_verifier_builder_new();
    r = nocard_verifier_builder_add_issuer_key(builder, key, key_len, argv[2], ACCEPTED_TYPES, ACCEPTED_TYPE_COUNT,
                                               false);
    if (r != NOCARD_RESULT_OK) {
        fprintf(stderr, "issuer key %s: %s\n", argv[1], nocard_result_code_name(r));
        nocard_verifier_builder_free(builder);
        return 2;
    }
    r = nocard_verifier_builder_build(builder, &verifier); /* takes the builder, whatever it returns */
    verification = nocard_verification_new();
    if (r != NOCARD_RESULT_OK || verification == NULL) {
        fprintf(stderr, "set-up failed: %s\n", nocard_result_code_name(r));
        nocard_verifier_free(verifier); /* NULL if the build failed */
        return 2;
    }

    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strlen(line);
        uint64_t now = argc == 4 ? (uint64_t)strtoull(argv[3], NULL, 10) : (uint64_t)time(NULL);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            skip_line();
            printf("REJECT line longer than any nocard code\n");
            rejected++;
            continue;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
            line[--n] = '\0';
        }
        if (n == 0) {
            continue;
        }
        r = nocard_verifier_verify(verifier, (const uint8_t *)line, n, now, verification);
        if (r == NOCARD_RESULT_OK) {
            valid++;
            print_valid(verification);
        } else {
            rejected++;
            print_rejection(r, verification);
        }
    }
    printf("%lu valid, %lu rejected\n", valid, rejected);

    nocard_verification_free(verification);
    nocard_verifier_free(verifier);
    return 0;
}
