/*
 * tests/fuzz/fuzz_event.c — libFuzzer target for gl_event_decode (stored
 * hash-chain records).
 *
 * Any byte string: decode returns a status without reading past the input.
 * A record that decodes must have its views inside the input, a payload that
 * is the body minus the common head, and must re-encode (gl_event_encode
 * with its own type, body and prev_hash) to the same bytes except the hash;
 * gl_event_verify must agree with a direct gl_chain_hash comparison.  Known
 * payloads are decoded too: an ENTRY (layout 1) or ENTRY2 (layout 2)
 * payload (fy | num | canonical entry) goes through gl_event_entry, which
 * must agree with a direct decode in the type's layout, and through
 * gl_entry_check; an ACCOUNT_OPEN payload
 * through the two str8 reads.  Seeds: tests/fuzz/corpus/fuzz_event/.
 */
#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <sodium.h>

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

#define HEAD_BYTES (8 + 4 + 32 + 8 + 8)

static void decode_payload(const gl_event *ev)
{
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload,
                       ev->payload_len); /* a stored record, as gl_event_entry reads it */
    int layout = gl_event_entry_layout(ev->type);
    if (layout) {
        uint16_t fy = gl_get_u16(&c), fy2;
        uint32_t num = gl_get_u32(&c), num2;
        gl_entry e, e2;
        gl_entry_decode_layout(&c, &e, layout);
        int st_event = gl_event_entry(ev, &fy2, &num2, &e2);
        CHECK(st_event == gl_cur_end(&c));
        if (gl_cur_end(&c) == GL_OK) {
            CHECK(fy == fy2 && num == num2 && e.raw == e2.raw && e.raw_len == e2.raw_len);
            CHECK(e.layout == layout && (e.ext_len == 0 || gl_entry_valid_date(&e) != 0));
            CHECK(e.raw + e.raw_len == ev->payload + ev->payload_len);
            uint32_t bad_line;
            int st = gl_entry_check(&e, &bad_line);
            CHECK(bad_line <= e.line_count);
            gl_line_iter it;
            gl_line l;
            uint16_t n = 0;
            gl_line_iter_init(&it, &e);
            while (gl_line_next(&it, &l))
                n++;
            CHECK(n == e.line_count);
            (void)st;
        }
    } else if (ev->type == GL_EVENT_ACCOUNT_OPEN) {
        gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
        gl_str label = gl_get_str8(&c, GL_LABEL_MAX);
        if (gl_cur_end(&c) == GL_OK)
            CHECK(account.len <= GL_ACCOUNT_MAX && label.len <= GL_LABEL_MAX);
    } else if (ev->type == GL_EVENT_ACCOUNT_LABEL) {
        gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
        gl_str old = gl_get_str8(&c, GL_LABEL_MAX);
        gl_str label = gl_get_str8(&c, GL_LABEL_MAX);
        if (gl_cur_end(&c) == GL_OK)
            CHECK(account.len <= GL_ACCOUNT_MAX && old.len <= GL_LABEL_MAX &&
                  label.len <= GL_LABEL_MAX);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        CHECK(sodium_init() >= 0);
        ready = true;
    }
    gl_event ev;
    if (gl_event_decode(data, size, &ev) != GL_OK)
        return 0;
    CHECK(size == 2 + 4 + (size_t)ev.body_len + 2 * GL_HASH_BYTES);
    CHECK(ev.body == data + 6);
    CHECK(ev.prev_hash == data + 6 + ev.body_len);
    CHECK(ev.hash == ev.prev_hash + GL_HASH_BYTES);
    CHECK(ev.body_len >= HEAD_BYTES);
    CHECK(ev.payload == ev.body + HEAD_BYTES);
    CHECK(ev.payload_len == ev.body_len - HEAD_BYTES);
    CHECK(ev.head.signer == ev.body + 12);

    /* Re-encode: identical except (maybe) the hash. */
    static const char tenant[] = "acme";
    gl_buf b;
    gl_buf_init(&b);
    gl_event_encode(&b, tenant, 4, 1, ev.prev_hash, ev.type, ev.body, ev.body_len);
    CHECK(gl_buf_ok(&b) && b.len == size);
    CHECK(memcmp(b.data, data, size - GL_HASH_BYTES) == 0);
    uint8_t h[GL_HASH_BYTES];
    gl_chain_hash(tenant, 4, 1, ev.prev_hash, ev.type, ev.body, ev.body_len, h);
    CHECK(memcmp(h, b.data + size - GL_HASH_BYTES, GL_HASH_BYTES) == 0);
    bool match = memcmp(h, ev.hash, GL_HASH_BYTES) == 0;
    CHECK((gl_event_verify(&ev, tenant, 4, 1, ev.prev_hash) == GL_OK) == match);
    /* The re-encoded record always verifies. */
    gl_event again;
    CHECK(gl_event_decode(b.data, b.len, &again) == GL_OK);
    CHECK(gl_event_verify(&again, tenant, 4, 1, ev.prev_hash) == GL_OK);
    gl_buf_free(&b);

    decode_payload(&ev);
    return 0;
}
