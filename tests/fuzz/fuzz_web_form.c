/*
 * tests/fuzz/fuzz_web_form.c — libFuzzer target for the form and query
 * decoder of `grandlivre web` (client/web/web_form.c).
 *
 * Any bytes: web_form_get gives a value, "absent" or an error for every
 * field name the pages ask for, with small and large buffers, without
 * reading past the input; a value found is NUL-terminated, shorter than
 * its buffer, valid UTF-8 without NUL.  Then the value escaped
 * (web_escape) holds none of < > " ' unescaped.
 * Seeds: tests/fuzz/corpus/fuzz_web_form/.
 */
#include "client/web/web_form.h"
#include "client/web/web_html.h"
#include "proto/wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"token", "csrf", "text", "account", "aux", "amount",
                                        "from",  "to",   "id",   "tenant",  "",    "a"};
    static const size_t caps[] = {1, 2, 8, 300};
    char out[300];
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++)
        for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
            int r = web_form_get((const char *)data, size, names[n], out, caps[c]);
            if (r != WEB_FORM_FOUND && r != WEB_FORM_ABSENT && r != WEB_FORM_BAD)
                abort();
            if (r != WEB_FORM_FOUND)
                continue;
            size_t len = strnlen(out, caps[c]);
            if (len >= caps[c] || !gl_utf8_valid(out, len))
                abort();
            gl_buf b;
            gl_buf_init(&b);
            web_escape(&b, out, len);
            if (!gl_buf_ok(&b))
                abort();
            for (size_t i = 0; i < b.len; i++)
                if (strchr("<>\"'", b.data[i]) && b.data[i])
                    abort();
            gl_buf_free(&b);
        }
    return 0;
}
