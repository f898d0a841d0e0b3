/*
 * tests/fuzz/fuzz_json.c — libFuzzer target for gl_entries_from_json: any
 * byte string must give either entries or one message, never a crash, a
 * leak or an out-of-bounds read.  On failure the set must be empty and the
 * message non-empty; on success every entry must encode to canonical bytes
 * that proto's decoder accepts whole (the parser checks exactly the limits
 * and characters the wire format needs) with every account upper-case,
 * and every line's analytic codes (issue 19) summing exactly to the line
 * on each axis.
 * Seeds: tests/fuzz/corpus/fuzz_json/.
 */
#include "client/input/entries_json.h"
#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No lower-case ASCII letter in s. */
static int upper_only(const char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            return 0;
    return 1;
}

/* An accepted entry must round-trip through the canonical encoding. */
static void check_entry(const gl_entry_in *in)
{
    for (size_t i = 0; i < in->line_count; i++)
        if (!upper_only(in->lines[i].account))
            abort();
    gl_buf buf;
    gl_buf_init(&buf);
    if (gl_entry_encode(&buf, in) != GL_OK)
        abort();
    gl_cur cur;
    gl_entry out;
    gl_cur_init(&cur, buf.data, buf.len);
    gl_entry_decode(&cur, &out);
    if (gl_cur_end(&cur) != GL_OK || out.line_count != in->line_count || out.date != in->date ||
        out.piece_date != in->piece_date)
        abort();
    gl_line_iter it;
    gl_line l;
    gl_analytic a;
    size_t bad;
    for (gl_line_iter_init(&it, &out); gl_line_next(&it, &l);)
        if (gl_line_analytic(l.ext, l.ext_len, &a) &&
            gl_analytic_check_sum(&a, l.amount_cents, &bad) != GL_OK)
            abort();
    gl_buf_free(&buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    gl_entry_set set;
    gl_entry_set_init(&set);
    int rc = gl_entries_from_json((const char *)data, size, "t", &set, err, sizeof err);
    if (rc == 0) {
        if (err[0] != '\0')
            abort();
        for (size_t i = 0; i < set.count; i++)
            check_entry(&set.entries[i]);
    } else if (rc != -1 || set.count != 0 || err[0] == '\0' || strlen(err) >= sizeof err) {
        abort();
    }
    gl_entry_set_free(&set);
    return 0;
}
