/*
 * tests/integration/asset_support.c — the fixed-asset tests' requests
 * (asset_support.h).
 */
#include "tests/integration/asset_support.h"

#include "proto/reply_group.h"

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define S(s) ((gl_str){(s), sizeof(s) - 1})

char as_detail[512];

gl_asset as_sample(void)
{
    return (gl_asset){.code = S("ORDI-1"),
                      .account = S("218300"),
                      .label = S("Ordinateurs du bureau"),
                      .acquired = 20250701,
                      .cost_cents = 360000,
                      .method = GL_DEP_STRAIGHT,
                      .life_months = 36,
                      .start = 20250701};
}

void as_open_accounts(harness *h, const char *tenant)
{
    static const char *const accounts[] = {"218300", "281830", "681100", "131000", "139100",
                                           "747000", "652000", "757000", "512000", "404000"};
    h_open_accounts(h, tenant, accounts, sizeof accounts / sizeof accounts[0]);
}

void as_any_body(uint16_t kind, gl_buf *b)
{
    gl_asset a = as_sample();
    switch (kind) {
    case GL_KIND_ASSET_SET: gl_asset_put(b, &a); break;
    case GL_KIND_ASSET_POST:
        gl_asset_post_q_encode(b, &(gl_asset_post_q){.op = GL_ASSET_DEPRECIATE, .through = 202512});
        break;
    default: break; /* ASSETS: empty */
    }
}

static int send(harness *h, enum h_key k, uint16_t kind, const char *tenant, gl_buf *b,
                gl_response *r)
{
    cr_assert(gl_buf_ok(b));
    int st = h_call(h, k, kind, tenant, gl_request_id_random(), b->data, b->len, r);
    snprintf(as_detail, sizeof as_detail, "%.*s", (int)r->reply.detail.len, r->reply.detail.ptr);
    gl_buf_free(b);
    return st;
}

int as_set(harness *h, enum h_key k, const char *tenant, const gl_asset *a)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_put(&b, a);
    gl_response r;
    int st = send(h, k, GL_KIND_ASSET_SET, tenant, &b, &r);
    gl_response_free(&r);
    return st;
}

int as_post(harness *h, enum h_key k, const char *tenant, const gl_asset_post_q *q,
            uint32_t *entries)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_post_q_encode(&b, q);
    gl_response r;
    int st = send(h, k, GL_KIND_ASSET_POST, tenant, &b, &r);
    if (entries) {
        *entries = 0;
        gl_reply_posted p;
        if (st == GL_OK && gl_reply_posted_decode(
                               (gl_str){(const char *)r.reply.body, r.reply.body_len}, &p) == GL_OK)
            *entries = p.count;
    }
    gl_response_free(&r);
    return st;
}

int as_depreciate(harness *h, enum h_key k, const char *tenant, uint32_t through, uint32_t *entries)
{
    gl_asset_post_q q = {.op = GL_ASSET_DEPRECIATE, .through = through};
    return as_post(h, k, tenant, &q, entries);
}

int as_list_text(harness *h, enum h_key k, const char *tenant, char *out, size_t cap)
{
    gl_response r;
    int st = h_call(h, k, GL_KIND_ASSETS, tenant, 0, NULL, 0, &r);
    snprintf(as_detail, sizeof as_detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    out[0] = '\0';
    if (st == GL_OK) {
        gl_assets_iter it;
        gl_asset_state s;
        size_t len = 0;
        cr_assert_eq(gl_assets_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
        while ((st = gl_assets_reply_next(&it, &s)) == GL_OK) {
            len += (size_t)snprintf(out + len, cap - len, "%.*s:%u:%u:%" PRId64 ";",
                                    (int)s.asset.code.len, s.asset.code.ptr, s.through, s.disposed,
                                    s.proceeds_cents);
            cr_assert_lt(len, cap);
        }
        cr_assert_eq(st, GL_ERR_NOT_FOUND);
        st = GL_OK;
    }
    gl_response_free(&r);
    return st;
}
