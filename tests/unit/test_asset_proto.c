/*
 * tests/unit/test_asset_proto.c — issue 20, proto/asset.h: the record,
 * the register's row and ASSET_POST's body round-trip byte for byte and
 * through the kinds' decoders; a body cut anywhere is refused; the field
 * rules name their field; the derived accounts; the plan's entries (one
 * per fiscal year, the 2018 or 2025 chart's accounts) and its refusals.
 */
#include "proto/asset.h"
#include "proto/kinds.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static gl_asset sample(void)
{
    return (gl_asset){.code = S("ORDI-1"),
                      .account = S("218300"),
                      .label = S("Ordinateurs"),
                      .acquired = 20250701,
                      .cost_cents = 360000,
                      .method = GL_DEP_STRAIGHT,
                      .life_months = 36,
                      .start = 20250701,
                      .grant_account = S("131000"),
                      .grant_cents = 180000,
                      .acq_fy = 2025,
                      .acq_num = 4};
}

Test(asset_proto, the_record_and_the_row_round_trip)
{
    gl_asset a = sample();
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_put(&b, &a);
    gl_body body;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_ASSET_SET, b.data, b.len, &body, &bad), GL_OK);
    cr_expect(gl_asset_same(&body.asset, &a));
    for (size_t n = 0; n < b.len; n++)
        cr_expect_neq(gl_asset_set_q_decode(b.data, n, &body.asset), GL_OK, "cut at %zu", n);
    gl_buf_free(&b);
    gl_asset_state s = {a, 202606, 20260915, 100000}, back;
    gl_buf_init(&b);
    gl_asset_state_put(&b, &s);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    cr_assert_eq(gl_asset_state_get(&c, &back), GL_OK);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect(gl_asset_same(&back.asset, &a));
    cr_expect_eq(back.through, 202606);
    cr_expect_eq(back.disposed, 20260915);
    cr_expect_eq(back.proceeds_cents, 100000);
    gl_buf_free(&b);
}

Test(asset_proto, the_post_body_round_trips_and_its_rules_name_the_field)
{
    gl_asset_post_q q = {.op = GL_ASSET_DISPOSE,
                         .code = S("ORDI-1"),
                         .date = 20260915,
                         .proceeds_cents = 100000,
                         .proceeds_account = S("512000")};
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_post_q_encode(&b, &q);
    gl_body body;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_ASSET_POST, b.data, b.len, &body, &bad), GL_OK);
    cr_expect_eq(body.asset_post.date, 20260915);
    cr_expect_eq(body.asset_post.proceeds_cents, 100000);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_neq(gl_asset_post_q_decode(b.data, n, &body.asset_post), GL_OK, "cut %zu", n);
    gl_buf_free(&b);
    const char *field;
    cr_expect(gl_asset_post_check(&q, &field));
    q.proceeds_account = S("606100");
    cr_expect(!gl_asset_post_check(&q, &field));
    cr_expect_str_eq(field, "proceeds_account");
    q.proceeds_account = S("462000");
    cr_expect(gl_asset_post_check(&q, &field));
    q.op = 3;
    cr_expect(!gl_asset_post_check(&q, &field));
    cr_expect_str_eq(field, "op");
    gl_asset_post_q d = {.op = GL_ASSET_DEPRECIATE, .through = 202613};
    cr_expect(!gl_asset_post_check(&d, &field));
    cr_expect_str_eq(field, "through");
    d.through = 202612;
    cr_expect(gl_asset_post_check(&d, &field));
    d.code = S("X");
    cr_expect(!gl_asset_post_check(&d, &field));
    cr_expect_str_eq(field, "code");
}

Test(asset_proto, the_record_rules_name_the_field)
{
    const char *field;
    gl_asset a = sample();
    cr_expect(gl_asset_check(&a, &field));
    static const struct {
        const char *account;
        const char *field;
    } accounts[] = {{"281830", "account"}, {"291000", "account"}, {"606100", "account"}};
    for (size_t i = 0; i < 3; i++) {
        gl_asset b = a;
        b.account = S(accounts[i].account);
        cr_expect(!gl_asset_check(&b, &field));
        cr_expect_str_eq(field, accounts[i].field);
    }
    gl_asset b = a;
    b.start = 20250630;
    cr_expect(!gl_asset_check(&b, &field));
    cr_expect_str_eq(field, "start");
    b = a;
    b.grant_account = S("139100");
    cr_expect(!gl_asset_check(&b, &field));
    cr_expect_str_eq(field, "grant_account");
    b = a;
    b.grant_cents = 0;
    cr_expect(!gl_asset_check(&b, &field), "a grant account without a grant");
    b = a;
    b.acq_num = 0;
    cr_expect(!gl_asset_check(&b, &field));
    cr_expect_str_eq(field, "acquisition");
    b = a;
    b.method = GL_DEP_DECLINING;
    b.life_months = 30;
    cr_expect(!gl_asset_check(&b, &field));
    cr_expect_str_eq(field, "plan");
    b.life_months = 60;
    cr_expect(gl_asset_check(&b, &field));
}

Test(asset_proto, derived_accounts_are_padded_to_the_assets)
{
    char out[GL_ACCOUNT_MAX + 1];
    gl_asset_account(out, "28", S("218300"), 1);
    cr_expect_str_eq(out, "281830");
    gl_asset_account(out, "28", S("2183"), 1);
    cr_expect_str_eq(out, "28183");
    gl_asset_account(out, "139", S("131000"), 2);
    cr_expect_str_eq(out, "139100");
    gl_asset_account(out, "6811", S("218300"), 6);
    cr_expect_str_eq(out, "681100");
    gl_asset_account(out, "28", S("205000"), 1);
    cr_expect_str_eq(out, "280500");
}

typedef struct seen {
    char text[2048];
    size_t len;
} seen;

static int record(void *user, const gl_entry_in *e, size_t asset)
{
    seen *s = user;
    s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "%zu %u %s %s:", asset,
                               e->date, e->piece_ref, e->journal);
    for (size_t i = 0; i < e->line_count; i++)
        s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, " %c%s=%lld",
                                   e->lines[i].side, e->lines[i].account,
                                   (long long)e->lines[i].amount_cents);
    s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, ";");
    return GL_OK;
}

Test(asset_proto, the_plan_writes_one_entry_per_fiscal_year_with_the_charts_accounts)
{
    gl_asset a = sample();
    a.acquired = a.start = 20240701; /* 2024: the 2018 chart's 777 */
    gl_asset_state s = {.asset = a};
    gl_asset_post_q q = {.op = GL_ASSET_DEPRECIATE, .through = 202506};
    seen out = {0};
    gl_asset_refusal why;
    cr_assert_eq(gl_asset_post_plan(&q, &s, 1, 1, "alpha", record, &out, &why), GL_OK);
    cr_expect_str_eq(out.text,
                     "0 20241231 DOT-2024-12 OD: D681100=60000 C281830=60000 D139100=30000 "
                     "C777000=30000;"
                     "0 20250630 DOT-2025-06 OD: D681100=60000 C281830=60000 D139100=30000 "
                     "C747000=30000;");
    cr_expect_eq(gl_asset_post_apply(&q, &s, 1), 1);
    cr_expect_eq(s.through, 202506);
    cr_expect_eq(gl_asset_post_plan(&q, &s, 1, 1, "alpha", NULL, NULL, &why), GL_ERR_ASSET_POSTED);
    gl_asset_post_q d = {.op = GL_ASSET_DISPOSE, .code = S("ORDI-1"), .date = 20250615};
    cr_expect_eq(gl_asset_post_plan(&d, &s, 1, 1, "alpha", NULL, NULL, &why),
                 GL_ERR_ASSET_DISPOSAL_DATE);
    d.date = 20250715; /* half a month more: 50.00; accumulated 1,250.00 */
    memset(&out, 0, sizeof out);
    cr_assert_eq(gl_asset_post_plan(&d, &s, 1, 1, "alpha", record, &out, &why), GL_OK);
    cr_expect_str_eq(out.text,
                     "0 20250715 CES-ORDI-1 OD: D681100=5000 C281830=5000 D139100=2500 "
                     "C747000=2500;"
                     "0 20250715 CES-ORDI-1 OD: D281830=125000 D652000=235000 C218300=360000 "
                     "D131000=180000 C139100=62500 C747000=117500;");
    gl_asset_post_apply(&d, &s, 1);
    cr_expect_eq(gl_asset_post_plan(&d, &s, 1, 1, "alpha", NULL, NULL, &why),
                 GL_ERR_ASSET_DISPOSED);
    d.code = S("NONE");
    cr_expect_eq(gl_asset_post_plan(&d, &s, 1, 1, "alpha", NULL, NULL, &why), GL_ERR_ASSET_UNKNOWN);
    cr_expect_eq(gl_asset_post_plan(&q, &s, 1, 1, "alpha", NULL, NULL, &why), GL_ERR_ASSET_NOTHING,
                 "a disposed asset is not in service");
}

static int count_entries(void *user, const gl_entry_in *e, size_t asset)
{
    (void)e;
    (void)asset;
    ++*(unsigned *)user;
    return GL_OK;
}

/* 101 assets in service since 1926 over 100 years: through 2024-12 writes
 * 101 x 99 fiscal years = 9,999 entries; through 2025-12 it would write
 * 10,100, more than one request may (GL_ENTRIES_MAX): refused (614) before
 * a single entry is given. */
Test(asset_proto, a_plan_of_more_entries_than_a_request_may_write_is_refused)
{
    enum { N = 101 };
    static gl_asset_state s[N];
    static char codes[N][8];
    for (unsigned i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "B%03u", i);
        gl_asset a = sample();
        a.code = S(codes[i]);
        a.acquired = a.start = 19260101;
        a.life_months = 1200;
        s[i] = (gl_asset_state){.asset = a};
    }
    gl_asset_post_q q = {.op = GL_ASSET_DEPRECIATE, .through = 202512};
    gl_asset_refusal why = {0};
    unsigned count = 0;
    cr_expect_eq(gl_asset_post_plan(&q, s, N, 1, "alpha", count_entries, &count, &why),
                 GL_ERR_ASSET_POST_LARGE);
    cr_expect_eq(count, 0, "no entry given before the refusal");
    cr_expect_eq(why.status, GL_ERR_ASSET_POST_LARGE);
    cr_expect_eq(why.asset, N);
    cr_expect_eq(gl_asset_post_plan(&q, s, N, 1, "alpha", NULL, NULL, &why),
                 GL_ERR_ASSET_POST_LARGE, "checks only: the same refusal");
    q.through = 202412;
    cr_expect_eq(gl_asset_post_plan(&q, s, N, 1, "alpha", count_entries, &count, &why), GL_OK);
    cr_expect_eq(count, 9999);
    cr_expect_eq(gl_asset_post_apply(&q, s, N), N);
    q.through = 202512;
    count = 0;
    cr_expect_eq(gl_asset_post_plan(&q, s, N, 1, "alpha", count_entries, &count, &why), GL_OK,
                 "the rest, in a second request");
    cr_expect_eq(count, N);
}
