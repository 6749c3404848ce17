/* Reading the fixture files the C test programs run on (written by
 * `cargo run --example c_fixtures -- DIR`, examples/c/Makefile target
 * `fixtures`). Each program sets `fixtures` to its FIXTURES_DIR first. */
#ifndef NOCARD_TEST_FIXTURES_H
#define NOCARD_TEST_FIXTURES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
