/* Reading the fixture files the C test programs run on (written by
 * `cargo run --example c_fixtures -- DIR`, examples/c/Makefile target
 * `fixtures`). Each program sets `fixtures` to its FIXTURES_DIR first. */
#ifndef NOCARD_TEST_FIXTURES_H
#define NOCARD_TEST_FIXTURES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

/* heap_test counts what the library allocates through a wrapped malloc; it
 * defines these as the real allocator so that the fixtures are not counted. */
#ifndef FIXTURE_MALLOC
#define FIXTURE_MALLOC malloc
#define FIXTURE_FREE free
#endif

typedef struct {
    uint8_t *bytes;
    size_t len;
} blob;

static const char *fixtures;

/* A fixture file in a heap buffer of exactly its size, so that a read past
 * it is an error under valgrind and ASan. A text fixture's (.txt) trailing
 * line endings are not counted in `len`; binary ones are taken whole. Exits
 * with status 2 if the file cannot be read. */
static blob load(const char *name) {
    char path[1024];
    blob b = {NULL, 0};
    FILE *f;
    long size;
    size_t name_len = strlen(name);
    snprintf(path, sizeof path, "%s/%s", fixtures, name);
    f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    /* malloc(0) may return NULL; an empty file gets one byte nobody reads. */
    b.bytes = FIXTURE_MALLOC(size > 0 ? (size_t)size : 1);
    if (b.bytes == NULL || fread(b.bytes, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    b.len = (size_t)size;
    if (name_len > 4 && strcmp(name + name_len - 4, ".txt") == 0) {
        while (b.len > 0 && (b.bytes[b.len - 1] == '\n' || b.bytes[b.len - 1] == '\r')) {
            b.len--;
        }
    }
    return b;
}

/* now.txt: the Unix time the fixture codes were made at, in decimal. Exits
 * with status 2 unless it is 1 to 19 digits. */
static uint64_t load_now(void) {
    blob b = load("now.txt");
    uint64_t now = 0;
    size_t i = 0;
    while (b.len <= 19 && i < b.len && b.bytes[i] >= '0' && b.bytes[i] <= '9') {
        now = now * 10 + (uint64_t)(b.bytes[i] - '0');
        i++;
    }
    if (b.len == 0 || i != b.len) {
        fprintf(stderr, "%s/now.txt: not a time\n", fixtures);
        exit(2);
    }
    FIXTURE_FREE(b.bytes);
    return now;
}

/* A verifier trusting the issuer key `key` as `issuer` for the `n_types`
 * document types in `types`, or for every type if `types` is NULL, then set
 * up further by `configure` unless it is NULL. The result of adding the key
 * if that fails, else that of the build (which sets `*out` on success). */
static nocard_result fixture_verifier(blob key, const char *issuer, const char *const *types, size_t n_types,
                                      void (*configure)(nocard_verifier_builder *), const nocard_verifier **out) {
    nocard_verifier_builder *builder = nocard_verifier_builder_new();
    nocard_result r =
        nocard_verifier_builder_add_issuer_key(builder, key.bytes, key.len, issuer, types, n_types, types == NULL);
    if (r != NOCARD_RESULT_OK) {
        nocard_verifier_builder_free(builder);
        return r;
    }
    if (configure != NULL) {
        configure(builder);
    }
    return nocard_verifier_builder_build(builder, out);
}

#endif
