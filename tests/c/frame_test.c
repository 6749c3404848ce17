/* nocard_verifier_verify_frame and nocard_verifier_verify_camera_frame from
 * C: camera frames (binary PGM, and the same frames laid out as NV21, BGRA
 * and a Y plane with pixel stride 2) of the fixtures' codes, read and
 * verified, and every frame that gives nothing to verify refused with its
 * own code.
 *
 *   frame_test FIXTURES_DIR   (c_fixtures, then c_frame_fixtures, into DIR)
 *
 * Links against the std library built with the `scan` feature; defines
 * NOCARD_SCAN so the header declares the frame function. */
#define NOCARD_SCAN

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"

/* Generous: the same frames must read under valgrind on a loaded machine. */
#define BUDGET_MS 10000u

typedef struct {
    uint8_t *pixels;
    size_t len, width, height;
} frame;

/* A binary PGM as c_frame_fixtures writes it: "P5\nW H\n255\n" then W*H bytes. */
static frame load_pgm(const char *name) {
    frame fr = {NULL, 0, 0, 0};
    blob file = load(name);
    char head[32]; /* the header alone, ended for sscanf */
    size_t head_len = file.len < sizeof head ? file.len : sizeof head - 1, header = 0;
    unsigned w, h, max;
    int n = 0;
    memcpy(head, file.bytes, head_len);
    head[head_len] = '\0';
    if (file.len < 16 || sscanf(head, "P5 %u %u %u%n", &w, &h, &max, &n) != 3 || max != 255) {
        fprintf(stderr, "%s is not a binary 8-bit PGM\n", name);
        exit(2);
    }
    header = (size_t)n + 1;
    if (file.len - header != (size_t)w * h) {
        fprintf(stderr, "%s: %zu pixel bytes for %u x %u\n", name, file.len - header, w, h);
        exit(2);
    }
    fr.pixels = malloc(file.len - header);
    memcpy(fr.pixels, file.bytes + header, file.len - header);
    fr.len = file.len - header;
    fr.width = w;
    fr.height = h;
    free(file.bytes);
    return fr;
}

/* Row padding of the frames to_camera makes. */
#define PAD 4u

typedef struct {
    uint8_t *pixels;
    size_t len, row_stride, pixel_stride;
} camera;

/* A gray frame laid out as a camera delivers `format`, rows PAD bytes longer
 * than they need: NV21 with neutral chroma rows after the luma, BGRA opaque,
 * or a Y plane with a chroma byte after each sample (pixel stride 2). */
static camera to_camera(frame fr, uint32_t format) {
    camera c;
    size_t bytes = format == NOCARD_FRAME_FORMAT_BGRA ? 4 : format == NOCARD_FRAME_FORMAT_Y_PLANE ? 2 : 1;
    size_t rows = format == NOCARD_FRAME_FORMAT_NV21 ? fr.height + (fr.height + 1) / 2 : fr.height;
    size_t x, y;
    c.row_stride = (fr.width + 1) / 2 * 2 * bytes + PAD;
    c.pixel_stride = format == NOCARD_FRAME_FORMAT_Y_PLANE ? 2 : 1;
    c.len = rows * c.row_stride;
    c.pixels = malloc(c.len);
    if (c.pixels == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memset(c.pixels, 128, c.len);
    for (y = 0; y < fr.height; y++) {
        for (x = 0; x < fr.width; x++) {
            uint8_t g = fr.pixels[y * fr.width + x];
            uint8_t *p = c.pixels + y * c.row_stride + x * bytes;
            p[0] = g;
            if (bytes == 4) {
                p[1] = g;
                p[2] = g;
                p[3] = 255;
            }
        }
    }
    return c;
}

static const uint32_t CAMERA_FORMATS[] = {NOCARD_FRAME_FORMAT_NV21, NOCARD_FRAME_FORMAT_BGRA,
                                          NOCARD_FRAME_FORMAT_Y_PLANE};

/* Each camera layout read and verified, and described wrongly in every way
 * a buffer can be, each refused with its own code. */
static void camera_frames(const nocard_verifier *verifier, frame valid, uint64_t now, nocard_verification *out) {
    size_t i, name_len = 0;
    char name[64];
    camera c;
    for (i = 0; i < sizeof CAMERA_FORMATS / sizeof CAMERA_FORMATS[0]; i++) {
        uint32_t f = CAMERA_FORMATS[i];
        size_t w = valid.width, h = valid.height, rs;
        c = to_camera(valid, f);
        rs = c.row_stride;
        CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len, w, h, rs, c.pixel_stride,
                                                       BUDGET_MS, now, out),
                   NOCARD_RESULT_OK);
        CHECK_CODE(nocard_verification_claim(out, "name", name, sizeof name, &name_len), NOCARD_RESULT_OK);
        CHECK(strcmp(name, "王小明") == 0);
        /* The last row's padding may be missing. */
        CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len - PAD, w, h, rs, c.pixel_stride,
                                                       BUDGET_MS, now, out),
                   NOCARD_RESULT_OK);
        CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len, 0, h, rs, c.pixel_stride,
                                                       BUDGET_MS, now, out),
                   NOCARD_RESULT_EMPTY_IMAGE);
        CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len, 9000, 1, rs, c.pixel_stride,
                                                       BUDGET_MS, now, out),
                   NOCARD_RESULT_IMAGE_TOO_LARGE);
        CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len, w, h, w - 1, c.pixel_stride,
                                                       BUDGET_MS, now, out),
                   NOCARD_RESULT_STRIDE_TOO_SMALL);
        CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len - PAD - c.pixel_stride, w, h, rs,
                                                       c.pixel_stride, BUDGET_MS, now, out),
                   NOCARD_RESULT_BUFFER_TOO_SHORT);
        if (f == NOCARD_FRAME_FORMAT_NV21) {
            /* The chroma rows are not read, but they must be there. */
            CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, h * rs, w, h, rs, 1, BUDGET_MS,
                                                           now, out),
                       NOCARD_RESULT_BUFFER_TOO_SHORT);
        }
        if (f == NOCARD_FRAME_FORMAT_Y_PLANE) {
            /* A pixel stride of 1 to 8. */
            CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len, w, h, rs, 0, BUDGET_MS, now,
                                                           out),
                       NOCARD_RESULT_BAD_PIXEL_STRIDE);
            CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, f, c.pixels, c.len, w, h, rs, 9, BUDGET_MS, now,
                                                           out),
                       NOCARD_RESULT_BAD_PIXEL_STRIDE);
        }
        free(c.pixels);
    }
    /* A format is an untrusted integer: one that names no format is refused. */
    CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, 0, valid.pixels, valid.len, valid.width, valid.height,
                                                   valid.width, 1, BUDGET_MS, now, out),
               NOCARD_RESULT_UNKNOWN_FRAME_FORMAT);
    CHECK_CODE(nocard_verifier_verify_camera_frame(verifier, NOCARD_FRAME_FORMAT_Y_PLANE + 1, valid.pixels, valid.len,
                                                   valid.width, valid.height, valid.width, 1, BUDGET_MS, now, out),
               NOCARD_RESULT_UNKNOWN_FRAME_FORMAT);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_BAD_PIXEL_STRIDE), "bad_pixel_stride") == 0);
}

static const char *const ID_TYPES[] = {"resident_id_card"};

static const nocard_verifier *make_verifier(void) {
    const nocard_verifier *verifier = NULL;
    blob key = load("issuer.cose");
    CHECK_CODE(fixture_verifier(key, "NBPSB", ID_TYPES, 1, NULL, &verifier), NOCARD_RESULT_OK);
    free(key.bytes);
    return verifier;
}

static nocard_result verify_frame(const nocard_verifier *v, frame fr, uint64_t now, nocard_verification *out) {
    return nocard_verifier_verify_frame(v, fr.pixels, fr.len, fr.width, fr.height, fr.width, BUDGET_MS, now, out);
}

int main(int argc, char **argv) {
    const nocard_verifier *verifier;
    nocard_verification *out;
    frame valid, dark, two, blank;
    uint64_t now;
    char name[64];
    size_t name_len = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: frame_test FIXTURES_DIR\n");
        return 2;
    }
    fixtures = argv[1];
    now = load_now();
    valid = load_pgm("valid.pgm");
    dark = load_pgm("dark.pgm");
    two = load_pgm("two.pgm");
    blank = load_pgm("blank.pgm");

    CHECK((nocard_features() & NOCARD_FEATURE_SCAN) != 0);
    verifier = make_verifier();
    out = nocard_verification_new();

    /* A code in view, light on dark too: read and verified. */
    CHECK_CODE(verify_frame(verifier, valid, now, out), NOCARD_RESULT_OK);
    CHECK_CODE(nocard_verification_claim(out, "name", name, sizeof name, &name_len), NOCARD_RESULT_OK);
    CHECK(strcmp(name, "王小明") == 0);
    CHECK_CODE(verify_frame(verifier, dark, now, out), NOCARD_RESULT_OK);
    /* Verified like a text: the same code two minutes later is stale. */
    CHECK_CODE(verify_frame(verifier, valid, now + 120, out), NOCARD_RESULT_WINDOW_EXPIRED);
    CHECK_CODE(nocard_verification_result(out), NOCARD_RESULT_WINDOW_EXPIRED);

    /* Nothing to verify: the previous outcome is gone. */
    CHECK_CODE(verify_frame(verifier, valid, now, out), NOCARD_RESULT_OK);
    CHECK_CODE(verify_frame(verifier, blank, now, out), NOCARD_RESULT_NO_CODE);
    CHECK_CODE(nocard_verification_result(out), NOCARD_RESULT_NOT_VERIFIED);
    CHECK_CODE(verify_frame(verifier, two, now, out), NOCARD_RESULT_SEVERAL_CODES);

    /* Frames described wrongly, each refused with its own code. */
    CHECK_CODE(nocard_verifier_verify_frame(verifier, valid.pixels, valid.len, 0, valid.height, valid.width,
                                            BUDGET_MS, now, out),
               NOCARD_RESULT_EMPTY_IMAGE);
    CHECK_CODE(nocard_verifier_verify_frame(verifier, valid.pixels, valid.len, 9000, 1, 9000, BUDGET_MS, now, out),
               NOCARD_RESULT_IMAGE_TOO_LARGE);
    CHECK_CODE(nocard_verifier_verify_frame(verifier, valid.pixels, valid.len, valid.width, valid.height,
                                            valid.width - 1, BUDGET_MS, now, out),
               NOCARD_RESULT_STRIDE_TOO_SMALL);
    CHECK_CODE(nocard_verifier_verify_frame(verifier, valid.pixels, valid.len - 1, valid.width, valid.height,
                                            valid.width, BUDGET_MS, now, out),
               NOCARD_RESULT_BUFFER_TOO_SHORT);
    /* SIZE_MAX (a length computed wrong) is refused before anything is read. */
    CHECK_CODE(nocard_verifier_verify_frame(verifier, valid.pixels, SIZE_MAX, valid.width, valid.height, valid.width,
                                            BUDGET_MS, now, out),
               NOCARD_RESULT_TOO_LONG);
    CHECK_CODE(nocard_verifier_verify_frame(verifier, valid.pixels, valid.len, valid.width, valid.height, valid.width,
                                            0, now, out),
               NOCARD_RESULT_OUT_OF_RANGE);
    CHECK_CODE(nocard_verifier_verify_frame(verifier, NULL, 0, 1, 1, 1, BUDGET_MS, now, out),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK_CODE(nocard_verifier_verify_frame(NULL, valid.pixels, valid.len, valid.width, valid.height, valid.width,
                                            BUDGET_MS, now, out),
               NOCARD_RESULT_NULL_PARAMETER);
    CHECK(strcmp(nocard_result_code_name(NOCARD_RESULT_SEVERAL_CODES), "several_codes") == 0);

    camera_frames(verifier, valid, now, out);

    nocard_verification_free(out);
    nocard_verifier_free(verifier);
    free(valid.pixels);
    free(dark.pixels);
    free(two.pixels);
    free(blank.pixels);
    return report("frame_test");
}
