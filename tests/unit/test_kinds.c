/*
 * tests/unit/test_kinds.c — the kind table (proto/kinds.c) against itself,
 * against PROTOCOL.md §5's table (read from the file, row by row: a kind
 * added to one and not the other fails here), against the codecs it
 * dispatches to, and the daemon's handler table (daemon/handlers.c)
 * against it.
 */
#include "daemon/handlers.h"

#include "proto/kinds.h"
#include "proto/group.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(kinds, table_numbers_unique_in_order_with_a_name_and_a_decoder)
{
    size_t n;
    const gl_kind_info *t = gl_kind_table(&n);
    cr_assert_eq(n,
                 61u); /* issue 20: ASSET_SET, ASSETS, ASSET_POST (59-61), RECHARGE_ADJUST (62) */
    for (size_t i = 0; i < n; i++) {
        cr_expect(t[i].kind >= 1 && t[i].kind <= GL_KIND_MAX_, "row %zu", i);
        if (i > 0)
            cr_expect_gt(t[i].kind, t[i - 1].kind, "rows %zu and %zu: numbers in order, each once",
                         i - 1, i);
        cr_expect(t[i].name && t[i].name[0], "kind %u has a name", t[i].kind);
        cr_expect(t[i].decode, "kind %u has a decoder", t[i].kind);
        cr_expect(t[i].thread >= GL_THREAD_WRITER && t[i].thread <= GL_THREAD_TRANSPORT);
        cr_expect(t[i].tenant >= GL_TENANT_USED && t[i].tenant <= GL_TENANT_IGNORED_IF_EMPTY);
        cr_expect(t[i].accountant, "the accountant may send every kind");
        cr_expect(!(t[i].thread == GL_THREAD_WRITER && t[i].auditor), "an auditor never writes");
        cr_expect_eq(gl_kind_info_of(t[i].kind), &t[i]);
        cr_expect(gl_kind_known(t[i].kind));
        cr_expect_str_eq((char *)gl_kind_name(t[i].kind), (char *)t[i].name);
        cr_expect_eq(gl_kind_writes(t[i].kind), t[i].thread == GL_THREAD_WRITER);
        for (size_t j = 0; j < i; j++)
            cr_expect_str_neq((char *)t[i].name, (char *)t[j].name);
    }
}

Test(kinds, unknown_kinds_stay_unknown)
{
    size_t n;
    gl_kind_table(&n);
    size_t known = 0;
    for (uint32_t k = 0; k <= UINT16_MAX; k++) {
        bool want = (k >= 1 && k <= 18) || (k >= 20 && k <= 29) || (k >= 30 && k <= 35) ||
                    (k >= 36 && k <= 45) || /* issue 18: the bank kinds */
                    (k >= 46 && k <= 58) || /* issue 19: analytic, time sheets, grants, budgets */
                    (k >= 59 && k <= 62);   /* issue 20: the fixed-asset register, the true-up */
        cr_expect_eq(gl_kind_known((uint16_t)k), want, "kind %u", k);
        cr_expect_eq(gl_kind_info_of((uint16_t)k) != NULL, want, "kind %u", k);
        known += want;
        if (want)
            continue;
        cr_expect_str_eq((char *)gl_kind_name((uint16_t)k), "unknown");
        cr_expect(!gl_kind_writes((uint16_t)k));
        gl_body b;
        uint32_t bad = 7;
        cr_expect_eq(gl_body_decode((uint16_t)k, NULL, 0, &b, &bad), GL_ERR_UNKNOWN_KIND);
        cr_expect_eq(bad, 0u);
    }
    cr_expect_eq(known, n);
}

/* The kinds' decoders are the codecs of query.h, group.h and backup.h: the
 * same status for the same bytes, the decoded value in the kind's member. */
Test(kinds, decoders_are_the_codecs)
{
    gl_body b;
    uint32_t bad;
    uint8_t one = 0;
    size_t n;
    const gl_kind_info *t = gl_kind_table(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].decode == gl_body_decode_empty) {
            cr_expect_eq(gl_body_decode(t[i].kind, NULL, 0, &b, &bad), GL_OK, "kind %u", t[i].kind);
            cr_expect_eq(gl_body_decode(t[i].kind, &one, 1, &b, &bad), GL_ERR_TRAILING_BYTES,
                         "kind %u", t[i].kind);
        } else {
            cr_expect_neq(gl_body_decode(t[i].kind, NULL, 0, &b, &bad), GL_OK, "kind %u has a body",
                          t[i].kind);
        }

    gl_buf m;
    gl_buf_init(&m);
    gl_lock_q lock = {.through_ym = 202603, .mode = GL_LOCK_NEXT_ONLY};
    gl_lock_q_encode(&m, &lock);
    cr_assert_eq(gl_body_decode(GL_KIND_LOCK, m.data, m.len, &b, &bad), GL_OK);
    cr_expect_eq(b.lock.through_ym, 202603u);
    cr_expect_eq(b.lock.mode, GL_LOCK_NEXT_ONLY);

    gl_buf_reset(&m);
    gl_group_balance_q gb = {.at = 20260131, .watermark = 9, .after = {"401", 3}, .limit = 5};
    gl_group_balance_q_encode(&m, &gb);
    cr_assert_eq(gl_body_decode(GL_KIND_GROUP_BALANCE, m.data, m.len, &b, &bad), GL_OK);
    cr_expect_eq(b.group_balance.at, 20260131u);
    cr_expect_eq(b.group_balance.limit, 5);
    cr_expect(gl_str_eq(b.group_balance.after, "401"));

    /* an account list's bad item is reported */
    gl_buf_reset(&m);
    gl_put_u8(&m, GL_OPEN_STRICT);
    gl_put_u32(&m, 2);
    gl_put_str8(&m, "401", 3);
    gl_put_str8(&m, "F", 1);
    gl_put_u8(&m, 200); /* item 2: its account's length runs past the end */
    cr_expect_neq(gl_body_decode(GL_KIND_ACCOUNTS_OPEN, m.data, m.len, &b, &bad), GL_OK);
    cr_expect_eq(bad, 2u);
    gl_buf_free(&m);
}

/* PROTOCOL.md §5's table, row by row: the same kinds, names, threads, role
 * and tenant rules, and "empty" where the body has no codec of its own. */
static void cell(char **p, char *out, size_t out_len)
{
    char *bar = strchr(*p, '|');
    cr_assert(bar, "a §5 row has fewer cells than its header");
    char *s = *p, *e = bar;
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    snprintf(out, out_len, "%.*s", (int)(e - s), s);
    *p = bar + 1;
}

static const char *member_text(gl_member_rule r)
{
    switch (r) {
    case GL_MEMBER_YES: return "yes";
    case GL_MEMBER_OWN: return "own";
    case GL_MEMBER_OWN_EACH_ENTRY: return "own (each entry)";
    case GL_MEMBER_OWN_SIGNED: return "own signed";
    case GL_MEMBER_NO: return "301";
    }
    return "?";
}

static const char *tenant_text(gl_tenant_rule r)
{
    switch (r) {
    case GL_TENANT_USED: return "used";
    case GL_TENANT_CHECKED: return "checked, not used";
    case GL_TENANT_IGNORED: return "ignored";
    case GL_TENANT_IGNORED_IF_EMPTY: return "ignored if empty, else checked";
    }
    return "?";
}

static const char *thread_text(gl_thread t)
{
    return t == GL_THREAD_WRITER ? "writer" : t == GL_THREAD_READER ? "reader" : "transport";
}

Test(kinds, table_mirrors_protocol_md)
{
    FILE *f = fopen("proto/PROTOCOL.md", "r");
    cr_assert(f, "run from the source tree (make unit)");
    char line[512];
    bool in5 = false;
    size_t rows = 0, n;
    const gl_kind_info *t = gl_kind_table(&n);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "## ", 3) == 0)
            in5 = strncmp(line, "## 5. ", 6) == 0;
        if (in5 && rows > 0 && line[0] != '|')
            break; /* the end of §5's first table */
        if (!in5 || line[0] != '|' || !isdigit((unsigned char)line[2]))
            continue;
        char kind[16], name[32], thread[16], member[32], accountant[8], auditor[8], tenant[48],
            body[16];
        char *p = line + 1;
        cell(&p, kind, sizeof kind);
        cell(&p, name, sizeof name);
        cell(&p, thread, sizeof thread);
        cell(&p, member, sizeof member);
        cell(&p, accountant, sizeof accountant);
        cell(&p, auditor, sizeof auditor);
        cell(&p, tenant, sizeof tenant);
        cell(&p, body, sizeof body);
        cr_assert_lt(rows, n, "PROTOCOL.md §5 has a row for kind %s that the table lacks", kind);
        const gl_kind_info *k = &t[rows++];
        cr_expect_eq(k->kind, (uint16_t)atoi(kind),
                     "row %zu: kind %s in PROTOCOL.md, %u in the table", rows, kind, k->kind);
        char upper[32];
        size_t i = 0;
        for (; k->name[i] && i + 1 < sizeof upper; i++)
            upper[i] = (char)toupper((unsigned char)k->name[i]);
        upper[i] = '\0';
        cr_expect_str_eq(upper, name, "kind %s", kind);
        cr_expect_str_eq((char *)thread_text(k->thread), thread, "kind %s", kind);
        cr_expect_str_eq((char *)member_text(k->member), member, "kind %s", kind);
        cr_expect_str_eq(k->accountant ? "yes" : "301", accountant, "kind %s", kind);
        cr_expect_str_eq(k->auditor ? "yes" : "301", auditor, "kind %s", kind);
        cr_expect_str_eq((char *)tenant_text(k->tenant), tenant, "kind %s", kind);
        cr_expect_eq(k->decode == gl_body_decode_empty, strcmp(body, "empty") == 0,
                     "kind %s: body %s", kind, body);
    }
    fclose(f);
    cr_expect_eq(rows, n, "PROTOCOL.md §5 lists %zu kinds, the table %zu", rows, n);
}

/* The daemon's handler table beside it: every kind the writer or the
 * reader answers has its handler; STATS (the transport thread) and unknown
 * kinds have none; only a read may take its own snapshot. */
Test(kinds, every_worker_kind_has_a_daemon_handler)
{
    size_t n;
    const gl_kind_info *t = gl_kind_table(&n);
    for (size_t i = 0; i < n; i++) {
        const handler_info *h = handler_of(t[i].kind);
        if (t[i].thread == GL_THREAD_TRANSPORT) {
            cr_expect_null(h, "kind %u", t[i].kind);
            continue;
        }
        cr_assert_not_null(h, "kind %s has no handler in daemon/handlers.c", t[i].name);
        cr_expect_not_null(h->run);
        cr_expect_eq(h->kind, t[i].kind);
        cr_expect(!h->own_snapshot || t[i].thread == GL_THREAD_READER, "kind %s", t[i].name);
    }
    cr_expect_null(handler_of(0));
    cr_expect_null(handler_of(19));
    cr_expect_null(handler_of(99));
}
