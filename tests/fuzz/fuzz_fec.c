/*
 * tests/fuzz/fuzz_fec.c — libFuzzer target for gl_fec_read: any byte
 * string must give either entries or one "line N: ..." message, never a
 * crash, a leak or an out-of-bounds read.  Each input is read in the three
 * encodings; on success every entry must have at least two lines and a
 * source line, on failure the set must be empty and the message non-empty.
 * Every entry accepted must also encode, decode back and pass
 * gl_entry_check, as the daemon will see it: the reader checks the
 * entry's rules without that round trip (client/fec/fec_read.c
 * entry_rules), and this is what keeps the two from drifting apart.
 * Seeds: tests/fuzz/corpus/fuzz_fec/.
 */
#include "client/fec/fec_read.h"
#include "proto/entry.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* e as the daemon decodes and checks it: GL_OK or abort. */
static void canonical_ok(const gl_entry_in *e)
{
    gl_buf buf;
    gl_buf_init(&buf);
    if (gl_entry_encode(&buf, e) != GL_OK)
        abort();
    gl_cur c;
    gl_entry decoded;
    uint32_t bad_line;
    gl_cur_init(&c, buf.data, buf.len);
    gl_entry_decode(&c, &decoded);
    if (gl_cur_end(&c) != GL_OK || gl_entry_check(&decoded, &bad_line) != GL_OK)
        abort();
    gl_buf_free(&buf);
}

static void read_once(const uint8_t *data, size_t size, enum gl_fec_encoding enc)
{
    char err[256];
    gl_entry_set s;
    gl_entry_set_init(&s);
    int rc = gl_fec_read((const char *)data, size, "t", enc, &s, err, sizeof err);
    if (rc == 0) {
        for (size_t i = 0; i < s.count; i++) {
            if (s.entries[i].line_count < 2 || s.source_line[i] < 2)
                abort();
            canonical_ok(&s.entries[i]);
        }
    } else if (rc != -1 || s.count != 0 || err[0] == '\0') {
        abort();
    }
    gl_entry_set_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_once(data, size, GL_FEC_ENC_AUTO);
    read_once(data, size, GL_FEC_ENC_UTF8);
    read_once(data, size, GL_FEC_ENC_LATIN9);
    return 0;
}
