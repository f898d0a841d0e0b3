/*
 * tests/integration/test_reply_group.c — the real daemon's replies of
 * STATS, BACKUP, KEYRING, TENANTS and the group read through
 * proto/reply_group.h: each decodes, and the decoder reads the whole body
 * (`len` = body_len: the daemon writes exactly the fields PROTOCOL.md §5
 * lists, nothing the decoder would skip), with the values the requests
 * imply.  The harness's group: umbrella alpha, members beta and gamma.
 */
#include "tests/support/harness.h"

#include "proto/backup.h"
#include "proto/group.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static harness h;
static char backups[400];

static void setup(void)
{
    h_setup(&h);
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant %s", *t), 0);
    snprintf(backups, sizeof backups, "%s/backups", h.dir);
    cr_assert(mkdir(backups, 0700) == 0);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backups);
    h_write_config(&h);
    h_start(&h);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(reply_group, .init = setup, .fini = teardown, .timeout = 120);

static gl_response resp;

/* Call with body b (freed) and return the reply body, asserting success. */
static gl_str call(enum h_key k, uint16_t kind, gl_buf *b)
{
    gl_response_free(&resp);
    int st = h_call(&h, k, kind, "", 0, b ? b->data : NULL, b ? b->len : 0, &resp);
    if (b)
        gl_buf_free(b);
    cr_assert_eq(st, GL_OK, "%s: %s", gl_kind_name(kind), gl_status_name(st));
    return (gl_str){(const char *)resp.reply.body, resp.reply.body_len};
}

static int post(enum h_key k, const char *tenant, uint32_t date, const char *da, const char *daux,
                const char *ca, const char *caux, int64_t cents)
{
    gl_line_in l[2] = {{da, daux, "", "", 'D', cents}, {ca, caux, "", "", 'C', cents}};
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = "T",
                     .label = "test",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = l};
    gl_response r;
    int st = h_post(&h, k, &e, 1, &r);
    gl_response_free(&r);
    return st;
}

Test(reply_group, tenants_keyring_stats_and_backup_decode_whole)
{
    gl_reply_tenants t;
    gl_str body = call(K_AUDITOR, GL_KIND_TENANTS, NULL);
    cr_assert_eq(gl_reply_tenants_decode(body, &t), GL_OK);
    cr_assert_eq(t.len, body.len);
    cr_assert_eq(t.count, 3);
    cr_assert(gl_str_eq(t.umbrella, "alpha"));
    gl_reply_tenants_iter ti;
    gl_reply_tenants_row tr;
    gl_reply_tenants_iter_init(&ti, &t);
    cr_assert_eq(gl_reply_tenants_next(&ti, &tr), 1);
    cr_assert(gl_str_eq(tr.id, "alpha"));
    cr_assert(tr.first_month >= 1 && tr.first_month <= 12);

    gl_reply_keyring k;
    body = call(K_AUDITOR, GL_KIND_KEYRING, NULL);
    cr_assert_eq(gl_reply_keyring_decode(body, &k), GL_OK);
    cr_assert_eq(k.len, body.len);
    cr_assert_geq(k.count, 4, "every configured key has a record");

    gl_reply_stats s;
    body = call(K_AUDITOR, GL_KIND_STATS, NULL);
    cr_assert_eq(gl_reply_stats_decode(body, &s), GL_OK);
    cr_assert_eq(s.len, body.len);
    cr_assert_geq(s.count, 2, "TENANTS and KEYRING were served");

    gl_buf b;
    gl_buf_init(&b);
    gl_backup_q_encode(&b, "copy.mdb", 8);
    body = call(K_ACCOUNTANT, GL_KIND_BACKUP, &b);
    gl_reply_backup r;
    cr_assert_eq(gl_reply_backup_decode(body, &r), GL_OK);
    cr_assert_eq(r.len, body.len);
    char want[512];
    snprintf(want, sizeof want, "%s/copy.mdb", backups);
    cr_assert(gl_str_eq(r.path, want), "%.*s", (int)r.path.len, r.path.ptr);
    gl_response_free(&resp);
}

Test(reply_group, keys_recharge_and_dues_decode_whole)
{
    gl_keys_q q = {.version = 4, .count = 2, .items = {{{"beta", 4}, 61}, {{"gamma", 5}, 39}}};
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q_encode(&b, &q);
    gl_str body = call(K_ACCOUNTANT, GL_KIND_KEYS_SET, &b);
    gl_reply_keys_set ks;
    cr_assert_eq(gl_reply_keys_set_decode(body, &ks), GL_OK);
    cr_assert_eq(ks.len, body.len);
    cr_assert(ks.version == 4 && ks.count == 2);

    gl_recharge_q rq = {202503, 1000001, 4, 0, {0}};
    gl_buf_init(&b);
    gl_recharge_q_encode(&b, &rq);
    body = call(K_ACCOUNTANT, GL_KIND_RECHARGE, &b);
    gl_reply_posted p;
    cr_assert_eq(gl_reply_posted_decode(body, &p), GL_OK);
    cr_assert_eq(p.len, body.len);
    cr_assert_eq(p.count, 4);
    static const char *const order[] = {"alpha", "beta", "alpha",
                                        "gamma"}; /* invoice, expense, … */
    gl_reply_posted_iter it;
    gl_reply_posted_row row;
    gl_reply_posted_iter_init(&it, &p);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(gl_reply_posted_next(&it, &row), 1);
        cr_assert(gl_str_eq(row.tenant, order[i]), "row %d: %.*s", i, (int)row.tenant.len,
                  row.tenant.ptr);
        cr_assert_gt(row.num, 0);
    }
    cr_assert_eq(gl_reply_posted_next(&it, &row), 0);

    gl_buf_init(&b);
    gl_put_u16(&b, 4);
    body = call(K_AUDITOR, GL_KIND_KEYS_GET, &b);
    gl_reply_keys_get kg;
    cr_assert_eq(gl_reply_keys_get_decode(body, &kg), GL_OK);
    cr_assert_eq(kg.len, body.len);
    cr_assert(kg.used == 1 && kg.version == 4 && kg.count == 2, "used by the recharge: frozen");
    gl_reply_keys_get_iter ki;
    gl_reply_keys_row kr;
    gl_reply_keys_get_iter_init(&ki, &kg);
    cr_assert_eq(gl_reply_keys_get_next(&ki, &kr), 1);
    cr_assert(gl_str_eq(kr.tenant, "beta") && kr.weight == 61);

    gl_dues_q dq = {.year = 2025, .count = 1, .items = {{{"beta", 4}, 5000}}};
    gl_buf_init(&b);
    gl_dues_q_encode(&b, &dq);
    body = call(K_ACCOUNTANT, GL_KIND_DUES, &b);
    cr_assert_eq(gl_reply_posted_decode(body, &p), GL_OK);
    cr_assert_eq(p.len, body.len);
    cr_assert_eq(p.count, 2);
    gl_response_free(&resp);
}

Test(reply_group, group_balance_and_reconcile_decode_whole)
{
    cr_assert_eq(post(K_ALPHA, "alpha", 20251215, "411000", "BETA", "706100", "", 123456), GL_OK);
    gl_group_balance_q q = {.at = 20251231, .limit = 1000};
    gl_buf b;
    gl_buf_init(&b);
    gl_group_balance_q_encode(&b, &q);
    gl_str body = call(K_AUDITOR, GL_KIND_GROUP_BALANCE, &b);
    static gl_reply_group_balance g;
    cr_assert_eq(gl_reply_group_balance_decode(body, &g), GL_OK);
    cr_assert_eq(g.len, body.len);
    cr_assert(g.n == 3 && gl_str_eq(g.entities[0].tenant, "alpha") && g.more == 0 &&
              g.at == 20251231);
    cr_assert_eq(g.count, 2);
    gl_reply_group_balance_iter gi;
    gl_reply_group_balance_row gr;
    gl_reply_group_balance_iter_init(&gi, &g);
    cr_assert_eq(gl_reply_group_balance_next(&gi, &gr), 1);
    cr_assert(gl_str_eq(gr.account, "411000"));
    cr_assert(gr.net[0] == 123456 && gr.net[1] == 0 && gr.elim == 0,
              "one-sided: nothing eliminated");

    gl_buf_init(&b);
    gl_put_u32(&b, 20251231);
    body = call(K_AUDITOR, GL_KIND_GROUP_RECONCILE, &b);
    gl_reply_reconcile r;
    cr_assert_eq(gl_reply_reconcile_decode(body, &r), GL_OK);
    cr_assert_eq(r.len, body.len);
    cr_assert(r.at == 20251231 && r.pairs == 2, "alpha/beta, categories 1 and 2");
    gl_reply_reconcile_iter it, lines;
    gl_reply_reconcile_pair p;
    gl_reply_reconcile_line l;
    gl_reply_reconcile_iter_init(&it, &r);
    cr_assert_eq(gl_reply_reconcile_next(&it, &p), 1);
    cr_assert(gl_str_eq(p.tenant_a, "alpha") && gl_str_eq(p.tenant_b, "beta") && p.category == 1);
    cr_assert(p.pos_a == 123456 && p.pos_b == 0 && p.status == 2 && p.diff == 123456 &&
              p.unmatched == 1);
    gl_reply_reconcile_lines_init(&lines, &p);
    cr_assert_eq(gl_reply_reconcile_line_next(&lines, &l), 1);
    cr_assert(gl_str_eq(l.tenant, "alpha") && gl_str_eq(l.account, "411000") && l.amount == 123456);
    cr_assert(gl_str_eq(l.label, "test") && l.date == 20251215);
    cr_assert_eq(gl_reply_reconcile_line_next(&lines, &l), 0);
    gl_response_free(&resp);
}
