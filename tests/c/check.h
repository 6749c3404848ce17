/* The pass/fail counters and CHECK macros shared by the C test programs.
 * Each program includes it once and ends with `return report(NAME);`. */
#ifndef NOCARD_TEST_CHECK_H
#define NOCARD_TEST_CHECK_H

#include <stdio.h>

#include "nocard.h"

static int passed, failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                      \
    } while (0)

#define CHECK_CODE(expr, expected)                                                                     \
    do {                                                                                               \
        nocard_result got_ = (expr);                                                                   \
        if (got_ == (expected)) {                                                                      \
            passed++;                                                                                  \
        } else {                                                                                       \
            failed++;                                                                                  \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got %s, expected %s\n", __FILE__, __LINE__, #expr, \
                    nocard_result_code_name(got_), nocard_result_code_name(expected));                 \
        }                                                                                              \
    } while (0)

/* Prints "NAME: N passed, N failed"; the exit status, 1 if anything failed. */
static int report(const char *name) {
    printf("%s: %d passed, %d failed\n", name, passed, failed);
    return failed != 0;
}

#endif
