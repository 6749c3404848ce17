/* Peak heap and stack of one verification in the no_std C library, which
 * allocates through C's malloc, realloc and free: the link wraps them
 * (-Wl,--wrap=malloc,...) to count the bytes nocard holds, and the stack
 * below the caller is painted before the call and read after it.
 *
 *   make -C tests/c FLAVOUR=nostd OUT=$PWD/target/c/nostd FIXTURES=$PWD/target/c/fixtures heap
 *
 * Fails over HEAP_BUDGET or STACK_BUDGET. The hotel code (valid.txt) is what
 * the budgets are for; the household register (household.txt) is printed too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nocard.h"

#define HEAP_BUDGET (8 * 1024)
#define STACK_BUDGET (16 * 1024)
#define PAINTED (256 * 1024)
#define PAINT 0xA5

void *__real_malloc(size_t size);
void *__real_realloc(void *ptr, size_t size);
void __real_free(void *ptr);
void *__wrap_malloc(size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void __wrap_free(void *ptr);

/* The fixtures in memory the count leaves out. */
#define FIXTURE_MALLOC __real_malloc
#define FIXTURE_FREE __real_free
#include "fixtures.h"

/* Each block carries its requested size in a 16-byte header (malloc's alignment). */
#define HEADER 16
static size_t live, peak, allocations;

static void grew(size_t by) {
    live += by;
    allocations++;
    if (live > peak) {
        peak = live;
    }
}

void *__wrap_malloc(size_t size) {
    unsigned char *block = __real_malloc(size + HEADER);
    if (block == NULL) {
        return NULL;
    }
    memcpy(block, &size, sizeof size);
    grew(size);
    return block + HEADER;
}

void *__wrap_realloc(void *ptr, size_t size) {
    unsigned char *block;
    size_t old = 0;
    if (ptr == NULL) {
        return __wrap_malloc(size);
    }
    block = (unsigned char *)ptr - HEADER;
    memcpy(&old, block, sizeof old);
    block = __real_realloc(block, size + HEADER);
    if (block == NULL) {
        return NULL;
    }
    memcpy(block, &size, sizeof size);
    live -= old;
    grew(size);
    return block + HEADER;
}

void __wrap_free(void *ptr) {
    size_t size = 0;
    if (ptr == NULL) {
        return;
    }
    memcpy(&size, (unsigned char *)ptr - HEADER, sizeof size);
    live -= size;
    __real_free((unsigned char *)ptr - HEADER);
}

/* The lowest address painted, so the deepest a later call at this depth reached can be found. */
static uintptr_t painted_low;

static __attribute__((noinline)) void paint(void) {
    volatile unsigned char area[PAINTED];
    size_t i;
    for (i = 0; i < PAINTED; i++) {
        area[i] = PAINT;
    }
    painted_low = (uintptr_t)area;
}

static __attribute__((noinline)) size_t stack_reached(void) {
    const volatile unsigned char *area = (const volatile unsigned char *)painted_low;
    size_t i = 0;
    while (i < PAINTED && area[i] == PAINT) {
        i++;
    }
    return PAINTED - i;
}

static const nocard_verifier *verifier;
static nocard_verification *verification;
static const uint8_t *code;
static size_t code_len;
static uint64_t now;
static nocard_result result;

static __attribute__((noinline)) void verify(void) {
    result = nocard_verifier_verify(verifier, code, code_len, now, verification);
}

int main(int argc, char **argv) {
    static const char *const types[] = {"resident_id_card", "household_register"};
    static const char *const cases[] = {"valid.txt", "household.txt"};
    blob key;
    size_t i;
    int failed = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURES\n", argv[0]);
        return 2;
    }
    fixtures = argv[1];
    key = load("issuer.cose");
    now = load_now();

    if (fixture_verifier(key, "NBPSB", types, 2, NULL, &verifier) != NOCARD_RESULT_OK) {
        fprintf(stderr, "cannot build the verifier\n");
        return 2;
    }
    printf("verifier: %zu bytes of heap in %zu allocations\n", live, allocations);

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t base, heap, count, stack;
        blob text = load(cases[i]);
        code = text.bytes;
        code_len = text.len;
        verification = nocard_verification_new();
        base = peak = live;
        count = allocations;
        paint();
        verify();
        stack = stack_reached();
        heap = peak - base;
        count = allocations - count;
        printf("%s (%zu chars): %s, peak heap %zu bytes in %zu allocations (%zu stay in the result), stack %zu bytes\n",
               cases[i], code_len, nocard_result_code_name(result), heap, count, live - base, stack);
        if (result != NOCARD_RESULT_OK) {
            failed = 1;
        }
        if (i == 0 && heap > HEAP_BUDGET) {
            printf("over budget: peak heap %zu > %d bytes\n", heap, HEAP_BUDGET);
            failed = 1;
        }
        if (i == 0 && stack > STACK_BUDGET) {
            printf("over budget: stack %zu > %d bytes\n", stack, STACK_BUDGET);
            failed = 1;
        }
        nocard_verification_free(verification);
        __real_free(text.bytes);
    }
    nocard_verifier_free(verifier);
    __real_free(key.bytes);
    printf("after freeing everything: %zu bytes\n", live);
    return failed || live != 0;
}
