/*
 * tests/integration/test_group_combined.c — the combined accounts of issue
 * 20 against the real daemon: eliminations line by line (a late invoice
 * between two entities leaves the eleven matched recharges and the dues
 * eliminated and only itself on the reciprocal-flow differences, the
 * combined result unchanged), the combination ledger ([group] combination
 * = consol: the accountant's adjustments, their own column, no entity,
 * no member's chain touched, refused to members and auditors with the
 * ledger unchanged), and the CLI's columns, warning and annexe.
 */
#include "tests/support/harness.h"

#include "proto/group.h"
#include "proto/query.h"
#include "proto/reply_group.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    /* the combination ledger, configured before anything is written */
    snprintf(h.group_extra, sizeof h.group_extra, "combination = consol\n");
    snprintf(h.extra_config, sizeof h.extra_config,
             "\n[tenant consol]\nname = Comptes combinés\nsiren = 444444444\n");
    h_write_config(&h);
    cr_assert(h_reload(&h));
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", "consol", NULL}; *t;
         t++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant %s", *t), 0);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(group_combined, .init = setup, .fini = teardown, .timeout = 120);

static int post(enum h_key k, const char *tenant, const char *piece, uint32_t date, const char *da,
                const char *daux, const char *ca, const char *caux, int64_t cents)
{
    gl_line_in l[2] = {{da, daux, "", "", 'D', cents}, {ca, caux, "", "", 'C', cents}};
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = piece,
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

static int call_body(enum h_key k, uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, k, kind, "", 0, b->data, b->len, &r);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

/* Eleven monthly recharges to beta (all the keys: gamma's weight 0) and
 * the 2025 dues of beta, both sides written by the daemon. */
static void recharges_and_dues(void)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q keys = {.version = 1, .count = 2, .items = {{{"beta", 4}, 1}, {{"gamma", 5}, 0}}};
    gl_keys_q_encode(&b, &keys);
    cr_assert_eq(call_body(K_ACCOUNTANT, GL_KIND_KEYS_SET, &b), GL_OK);
    for (uint32_t m = 1; m <= 11; m++) {
        gl_buf_init(&b);
        gl_recharge_q_encode(
            &b, &(gl_recharge_q){.period_ym = 202500 + m, .amount_cents = 100000, .version = 1});
        cr_assert_eq(call_body(K_ACCOUNTANT, GL_KIND_RECHARGE, &b), GL_OK);
    }
    gl_buf_init(&b);
    gl_dues_q dues = {.year = 2025, .count = 1, .items = {{{"beta", 4}, 50000}}};
    gl_dues_q_encode(&b, &dues);
    cr_assert_eq(call_body(K_ACCOUNTANT, GL_KIND_DUES, &b), GL_OK);
}

typedef struct row {
    char account[24];
    int64_t net[3], elim, gap, adj;
} row;

typedef struct combined {
    row rows[64];
    size_t count;
    uint8_t n;
    char combination[24];
} combined;

static void group_balance(uint32_t at, combined *c)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_group_balance_q_encode(&b, &(gl_group_balance_q){.at = at, .limit = GL_PAGE_MAX});
    gl_response r;
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_GROUP_BALANCE, "", 0, b.data, b.len, &r), GL_OK);
    static gl_reply_group_balance g;
    cr_assert_eq(gl_reply_group_balance_decode(gl_reply_view(r.reply.body, r.reply.body_len), &g),
                 GL_OK);
    cr_assert_eq(g.more, 0);
    cr_assert(g.has_tail);
    memset(c, 0, sizeof *c);
    c->n = g.n;
    snprintf(c->combination, sizeof c->combination, "%.*s", (int)g.combination.len,
             g.combination.ptr);
    gl_reply_group_balance_iter it;
    gl_reply_group_balance_row gr;
    gl_reply_group_balance_iter_init(&it, &g);
    while (gl_reply_group_balance_next(&it, &gr) == 1) {
        cr_assert_lt(c->count, 64);
        row *x = &c->rows[c->count++];
        snprintf(x->account, sizeof x->account, "%.*s", (int)gr.account.len, gr.account.ptr);
        for (int e = 0; e < 3 && e < g.n; e++)
            x->net[e] = gr.net[e];
        x->elim = gr.elim;
        x->gap = gr.gap;
        x->adj = gr.adj;
    }
    gl_response_free(&r);
    gl_buf_free(&b);
}

static const row *find(const combined *c, const char *account)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->rows[i].account, account))
            return &c->rows[i];
    static const row none;
    return &none;
}

/* The result (revenues - expenses) of the entities alone, and combined. */
static void results(const combined *c, int64_t *entities, int64_t *combined_result)
{
    *entities = *combined_result = 0;
    for (size_t i = 0; i < c->count; i++) {
        const row *x = &c->rows[i];
        if (x->account[0] != '6' && x->account[0] != '7')
            continue;
        int64_t sum = x->net[0] + x->net[1] + x->net[2];
        *entities -= sum;
        *combined_result -= sum + x->elim + x->adj;
    }
}

Test(group_combined, a_late_invoice_stays_on_the_differences_the_rest_is_eliminated)
{
    recharges_and_dues();
    /* the umbrella's December invoice to beta, which beta has not booked:
     * the same amount as a monthly recharge, another piece */
    cr_assert_eq(
        post(K_ALPHA, "alpha", "FAC-2025-12", 20251231, "411000", "BETA", "706100", "", 100000),
        GL_OK);
    combined c;
    group_balance(20251231, &c);
    cr_assert_eq(c.n, 3, "the combination ledger is no entity");
    cr_assert_str_eq(c.combination, "consol");
    const row *rev = find(&c, "706100"), *exp = find(&c, "628000");
    cr_assert_eq(rev->net[0], -1200000);
    cr_assert_eq(rev->elim, 1100000, "the eleven recharges are eliminated on the umbrella's side");
    cr_assert_eq(rev->gap, -100000, "the late invoice is the difference");
    cr_assert_eq(exp->net[1], 1100000);
    cr_assert_eq(exp->elim, -1100000);
    cr_assert_eq(exp->gap, 0);
    cr_assert_eq(find(&c, "756100")->elim, 50000, "the dues are eliminated");
    cr_assert_eq(find(&c, "628100")->elim, -50000);
    cr_assert_eq(find(&c, "411000")->elim, -1150000);
    cr_assert_eq(find(&c, "411000")->gap, 100000);
    cr_assert_eq(find(&c, "401000")->elim, 1150000);
    /* the combined result is the entities' (the eliminations cancel out),
     * and the combined balance still balances */
    int64_t entities, combined_result, total = 0;
    results(&c, &entities, &combined_result);
    cr_assert_eq(combined_result, entities);
    for (size_t i = 0; i < c.count; i++)
        total +=
            c.rows[i].net[0] + c.rows[i].net[1] + c.rows[i].net[2] + c.rows[i].elim + c.rows[i].adj;
    cr_assert_eq(total, 0);
    /* the reconciliation lists the late invoice's lines, and only them */
    char out[16384], err[4096];
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, sizeof out, "group reconcile --at 2025-12-31 --format csv"), 0);
    cr_assert(strstr(out, "alpha,beta,alpha,2025/"), "%s", out);
    cr_assert(strstr(out, "411000,1000.00"), "%s", out);
    cr_assert(strstr(out, "706100,-1000.00"), "%s", out);
    cr_assert(!strstr(out, "628000,"), "no recharge line is left unmatched: %s", out);
    /* group balance: the columns and the differences; statements: warned */
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, sizeof out, "group balance --at 2025-12-31 --format csv"), 0);
    cr_assert(strstr(out,
                     "account,label,alpha,beta,gamma,eliminations,adjustments,combined,"
                     "differences"),
              "%s", out);
    cr_assert(strstr(out, "706100,"), "%s", out);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "group statements --at 2025-12-31"), 0);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "écarts de réciprocité"), "%s", err);
    cr_assert(strstr(out, "Reciprocal-flow differences, revenues/expenses: -1000.00"), "%s", out);
    /* once beta books it under the umbrella's piece, nothing is left */
    cr_assert_eq(
        post(K_BETA, "beta", "FAC-2025-12", 20251231, "628000", "", "401000", "ALPHA", 100000),
        GL_OK);
    group_balance(20251231, &c);
    cr_assert_eq(find(&c, "706100")->elim, 1200000);
    cr_assert_eq(find(&c, "706100")->gap, 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "group statements --at 2025-12-31"), 0);
    h_cli_err(&h, err, sizeof err);
    cr_assert(!strstr(err, "écarts"), "%s", err);
}

Test(group_combined, lines_pair_by_piece_before_amount)
{
    /* two invoices of the same amount, booked by beta under the umbrella's
     * pieces, one of them twice by mistake: the duplicate is the difference,
     * whichever order the lines come in */
    cr_assert_eq(post(K_ALPHA, "alpha", "F1", 20250301, "411000", "BETA", "706100", "", 7000),
                 GL_OK);
    cr_assert_eq(post(K_ALPHA, "alpha", "F2", 20250302, "411000", "BETA", "706100", "", 7000),
                 GL_OK);
    cr_assert_eq(post(K_BETA, "beta", "F2", 20250301, "628000", "", "401000", "ALPHA", 7000),
                 GL_OK);
    cr_assert_eq(post(K_BETA, "beta", "F2", 20250305, "628000", "", "401000", "ALPHA", 7000),
                 GL_OK);
    combined c;
    group_balance(20251231, &c);
    /* by amount alone both would pair; by piece F2 pairs with F2, then F1
     * pairs by amount with the duplicate: all eliminated, none left */
    cr_assert_eq(find(&c, "706100")->elim, 14000);
    cr_assert_eq(find(&c, "628000")->elim, -14000);
    cr_assert_eq(find(&c, "706100")->gap, 0);
    /* a third line on beta's side finds no counterpart */
    cr_assert_eq(post(K_BETA, "beta", "F3", 20250306, "628000", "", "401000", "ALPHA", 7000),
                 GL_OK);
    group_balance(20251231, &c);
    cr_assert_eq(find(&c, "628000")->elim, -14000);
    cr_assert_eq(find(&c, "628000")->gap, 7000);
    cr_assert_eq(find(&c, "401000")->gap, -7000);
}

/* A tenant's chain (events) hashed: what a member's books are. */
typedef struct chain_hash {
    uint32_t number;
    crypto_generichash_state st;
} chain_hash;

static bool find_number(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    const char **want = user;
    if (kl == strlen(want[0]) && !memcmp(k, want[0], kl) && vl >= 4)
        *(uint32_t *)want[1] = gl_rd32(v);
    return true;
}

static bool hash_events(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    chain_hash *c = user;
    if (kl >= 4 && gl_rd32(k) == c->number) {
        crypto_generichash_update(&c->st, k, kl);
        crypto_generichash_update(&c->st, v, vl);
    }
    return true;
}

static void tenant_digest(const char *tenant, uint8_t out[32])
{
    chain_hash c = {0};
    const char *want[2] = {tenant, (const char *)&c.number};
    h_db_each(&h, "tenants", find_number, want);
    cr_assert(c.number);
    crypto_generichash_init(&c.st, NULL, 0, 32);
    for (const char *const *db =
             (const char *const[]){"events", "entries", "balances", "daily", "partner_lines", NULL};
         *db; db++)
        h_db_each(&h, *db, hash_events, &c);
    crypto_generichash_final(&c.st, out, 32);
}

static void member_digests(uint8_t d[3][32])
{
    tenant_digest("alpha", d[0]);
    tenant_digest("beta", d[1]);
    tenant_digest("gamma", d[2]);
}

Test(group_combined, an_adjustment_changes_the_combined_accounts_and_no_member)
{
    recharges_and_dues();
    combined before, after;
    group_balance(20251231, &before);
    uint8_t d0[3][32], d1[3][32], c0[32], c1[32];
    member_digests(d0);
    tenant_digest("consol", c0);
    /* a cut-off correction between two entities, in the combination
     * ledger only: 1 000,00 of the umbrella's recharge revenue belongs to
     * next year (produits constatés d'avance) */
    cr_assert_eq(post(K_ACCOUNTANT, "consol", "AJ-1", 20251231, "706100", "", "487000", "", 100000),
                 GL_OK);
    group_balance(20251231, &after);
    member_digests(d1);
    tenant_digest("consol", c1);
    for (int i = 0; i < 3; i++)
        cr_assert(!memcmp(d0[i], d1[i], 32), "member %d's books changed", i);
    cr_assert(memcmp(c0, c1, 32), "the combination ledger holds the adjustment");
    cr_assert_eq(after.n, 3);
    cr_assert_eq(find(&after, "706100")->adj, 100000);
    cr_assert_eq(find(&after, "487000")->adj, -100000);
    cr_assert_eq(find(&after, "706100")->net[0], find(&before, "706100")->net[0]);
    cr_assert_eq(find(&after, "706100")->elim, find(&before, "706100")->elim);
    int64_t e0, r0, e1, r1;
    results(&before, &e0, &r0);
    results(&after, &e1, &r1);
    cr_assert_eq(e1, e0, "the entities' result is unchanged");
    cr_assert_eq(r1, r0 - 100000, "the combined result takes the adjustment");
    /* the combination ledger's chain verifies like any other, in the
     * daemon's data and offline in the group's archive */
    cr_assert_gt(h_verify_chains(&h), 0);
    char path[400], vout[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(&h, K_AUDITOR, vout, sizeof vout, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, vout);
    cr_assert(strstr(vout, "consol"), "%s", vout);
    char out[16384];
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, sizeof out, "group balance --at 2025-12-31 --format csv"), 0);
    cr_assert(strstr(out, "706100,"), "%s", out);
    cr_assert(strstr(out, "487000,"), "%s", out);
}

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "got %s, want %s", gl_status_name(st_), gl_status_name(status)); \
        cr_assert(!memcmp(d0_, d1_, 32), "the ledger changed after a refusal");                    \
    } while (0)

Test(group_combined, only_the_accountant_writes_the_combination_ledger)
{
    EXPECT_UNCHANGED_AFTER(
        post(K_BETA, "consol", "AJ-1", 20251231, "706100", "", "487000", "", 100),
        GL_ERR_FORBIDDEN_TENANT);
    EXPECT_UNCHANGED_AFTER(
        post(K_ALPHA, "consol", "AJ-1", 20251231, "706100", "", "487000", "", 100),
        GL_ERR_FORBIDDEN_TENANT);
    EXPECT_UNCHANGED_AFTER(
        post(K_AUDITOR, "consol", "AJ-1", 20251231, "706100", "", "487000", "", 100),
        GL_ERR_FORBIDDEN_ROLE);
    /* the accountant's entries still pass every rule: an unknown account */
    EXPECT_UNCHANGED_AFTER(
        post(K_ACCOUNTANT, "consol", "AJ-1", 20251231, "6049999", "", "487000", "", 100),
        GL_ERR_UNKNOWN_ACCOUNT);
    /* reads as for the group: the auditor yes, a member no */
    combined c;
    group_balance(20251231, &c);
    gl_buf b;
    gl_buf_init(&b);
    gl_group_balance_q_encode(&b, &(gl_group_balance_q){.at = 20251231, .limit = GL_PAGE_MAX});
    EXPECT_UNCHANGED_AFTER(call_body(K_BETA, GL_KIND_GROUP_BALANCE, &b), GL_ERR_FORBIDDEN_ROLE);
    /* nor is it a member: no keys, recharge share or dues of its own */
    gl_keys_q_encode(
        &b,
        &(gl_keys_q){.version = 9, .count = 2, .items = {{{"beta", 4}, 1}, {{"consol", 6}, 1}}});
    EXPECT_UNCHANGED_AFTER(call_body(K_ACCOUNTANT, GL_KIND_KEYS_SET, &b), GL_ERR_NOT_MEMBER);
    gl_dues_q_encode(&b, &(gl_dues_q){.year = 2025, .count = 1, .items = {{{"consol", 6}, 100}}});
    EXPECT_UNCHANGED_AFTER(call_body(K_ACCOUNTANT, GL_KIND_DUES, &b), GL_ERR_NOT_MEMBER);
}

Test(group_combined, the_annexe_names_the_scope_rules_and_differences)
{
    recharges_and_dues();
    cr_assert_eq(
        post(K_ALPHA, "alpha", "FAC-2025-12", 20251231, "411000", "BETA", "706100", "", 100000),
        GL_OK);
    cr_assert_eq(post(K_ACCOUNTANT, "consol", "AJ-1", 20251231, "706100", "", "487000", "", 100000),
                 GL_OK);
    char path[400], err[4096];
    snprintf(path, sizeof path, "%s/annexe.html", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "group annexe --at 2025-12-31 -o %s", path), 0);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "écarts de réciprocité"), "%s", err);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    static char html[1 << 17];
    size_t n = fread(html, 1, sizeof html - 1, f);
    fclose(f);
    html[n] = '\0';
    cr_assert(strstr(html, "Périmètre de combinaison"));
    cr_assert(strstr(html, "journal de combinaison (aucune entité)"));
    cr_assert(strstr(html, "Comptes combinés"), "the combination ledger's name");
    cr_assert(strstr(html, "Règles et méthodes de combinaison"));
    cr_assert(strstr(html, "Écarts de réciprocité et leur traitement"));
    cr_assert(strstr(html, "FAC") || strstr(html, "706100"));
    cr_assert(strstr(html, "<th>Ajustements</th>"));
    /* balance and statements as HTML pages, on standard output */
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, html, sizeof html, "group balance --at 2025-12-31 --format html"), 0);
    cr_assert(strstr(html, "<h1>Balance combinée</h1>") && strstr(html, "<th>Ajustements</th>"));
    cr_assert(strstr(html, "Écarts de réciprocité non éliminés"));
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, html, sizeof html, "group statements --at 2025-12-31 --format html"),
        0);
    cr_assert(strstr(html, "Comptes combinés") && strstr(html, "Ajustements"), "%.2000s", html);
    cr_assert(strstr(html, "Journal de combinaison : consol"));
    cr_assert_neq(h_cli(&h, K_AUDITOR, NULL, 0, "group reconcile --format html"), 0);
    cr_assert_neq(h_cli(&h, K_AUDITOR, NULL, 0, "group balance -o %s/x.html", h.dir), 0);
    /* a file that exists is never replaced; no -o is a usage error */
    cr_assert_neq(h_cli(&h, K_AUDITOR, NULL, 0, "group annexe --at 2025-12-31 -o %s", path), 0);
    cr_assert_neq(h_cli(&h, K_AUDITOR, NULL, 0, "group annexe --at 2025-12-31"), 0);
}

Test(group_combined, the_combination_ledger_cannot_change_once_written)
{
    cr_assert_eq(post(K_ACCOUNTANT, "consol", "AJ-1", 20251231, "706100", "", "487000", "", 100),
                 GL_OK);
    h.group_extra[0] = '\0';
    h_write_config(&h);
    cr_assert(!h_reload(&h), "a reload that drops the combination ledger is refused");
    cr_assert_gt(h_log_count(&h, "the group's combination ledger cannot change"), 0);
    combined c;
    group_balance(20251231, &c);
    cr_assert_str_eq(c.combination, "consol", "the running configuration stays");
}
