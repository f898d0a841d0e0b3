/*
 * tests/fuzz/fuzz_reply.c — libFuzzer target: the reply codecs of
 * proto/reply.h (kinds 1-15 and 18) round trip.
 *
 * The first byte selects the reply (tests/fuzz/reply_cases.h, modulo their
 * number), the rest is a body.  Whatever decodes must re-encode, from the
 * struct and its rows, to exactly the prefix of the body the decoder read
 * (what follows it is ignored, PROTOCOL.md §3), and that re-encoding must
 * decode again and re-encode to the same bytes.  Decoding never reads past
 * the body (ASan) and never crashes.  Any difference aborts.
 * Seeds: tests/fuzz/corpus/fuzz_reply/ (the samples of reply_cases.h).
 */
#include "tests/fuzz/reply_cases.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)  \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int k = data[0] % RC_COUNT;
    gl_str body = gl_reply_view(data + 1, size - 1);
    gl_buf once, twice;
    gl_buf_init(&once);
    gl_buf_init(&twice);
    if (reply_case_roundtrip(k, body, &once) == GL_OK) {
        CHECK(gl_buf_ok(&once));
        CHECK(once.len <= body.len);
        CHECK(once.len == 0 || memcmp(once.data, body.ptr, once.len) == 0);
        CHECK(reply_case_roundtrip(k, gl_reply_view(once.data, once.len), &twice) == GL_OK);
        CHECK(gl_buf_ok(&twice) && twice.len == once.len);
        CHECK(once.len == 0 || memcmp(once.data, twice.data, once.len) == 0);
    }
    gl_buf_free(&once);
    gl_buf_free(&twice);
    return 0;
}
