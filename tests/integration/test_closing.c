/*
 * tests/integration/test_closing.c — closing the books against the real
 * daemon: period locks, reversals, lettering, the year-end close and the
 * opening entries, each refusal with its own status and an unchanged ledger,
 * and a full year imported, locked month by month and closed, checked
 * against an independent computation from the FEC file.
 */
#include "tests/support/harness.h"

#include "client/fec/fec_read.h"
#include "client/input/entry_set.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"102000", "120000", "129000", "401000", "411000", "512000",
                                    "606100", "706000", "864000", "875000", "110000", "106800"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(closing, .init = setup, .fini = teardown, .timeout = 120);

static int call(enum h_key k, uint16_t kind, const gl_buf *body, gl_response *r)
{
    return h_call(&h, k, kind, "alpha", 0, body ? body->data : NULL, body ? body->len : 0, r);
}

static int lock(enum h_key k, uint32_t ym, uint8_t mode)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q q = {ym, mode};
    gl_lock_q_encode(&b, &q);
    gl_response r;
    int st = call(k, GL_KIND_LOCK, &b, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static int close_year(enum h_key k, uint16_t fy, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_close_q q = {fy};
    gl_close_q_encode(&b, &q);
    int st = call(k, GL_KIND_CLOSE_YEAR, &b, r);
    gl_buf_free(&b);
    return st;
}

static int post2(uint32_t date, const char *debit, const char *credit, int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, l);
    gl_response r;
    int st = h_post(&h, K_ALPHA, &e, 1, &r);
    gl_response_free(&r);
    return st;
}

static int letter(const char *account, const char *aux, const gl_line_ref *refs, uint16_t n,
                  gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode(&b, (gl_str){account, strlen(account)}, (gl_str){aux, strlen(aux)}, refs, n);
    int st = call(K_ALPHA, GL_KIND_LETTER, &b, r);
    gl_buf_free(&b);
    return st;
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

Test(closing, posting_into_a_locked_period_is_refused)
{
    cr_assert_eq(post2(20250131, "606100", "512000", 100), GL_OK);
    cr_assert_eq(lock(K_ACCOUNTANT, 202501, GL_LOCK_THROUGH), GL_OK);
    EXPECT_UNCHANGED_AFTER(post2(20250131, "606100", "512000", 100), GL_ERR_PERIOD_LOCKED);
    EXPECT_UNCHANGED_AFTER(post2(20241215, "606100", "512000", 100), GL_ERR_PERIOD_LOCKED);
    cr_assert_eq(post2(20250201, "606100", "512000", 100), GL_OK);
}

Test(closing, locks_go_in_order_and_never_reopen)
{
    /* nothing locked: one month at a time starts with the books' first */
    cr_assert_eq(lock(K_ACCOUNTANT, 202501, GL_LOCK_NEXT_ONLY), GL_OK);
    cr_assert_eq(lock(K_ACCOUNTANT, 202502, GL_LOCK_NEXT_ONLY), GL_OK);
    EXPECT_UNCHANGED_AFTER(lock(K_ACCOUNTANT, 202504, GL_LOCK_NEXT_ONLY), GL_ERR_LOCK_ORDER);
    EXPECT_UNCHANGED_AFTER(lock(K_ACCOUNTANT, 202502, GL_LOCK_THROUGH), GL_ERR_ALREADY_LOCKED);
    EXPECT_UNCHANGED_AFTER(lock(K_ACCOUNTANT, 202501, GL_LOCK_NEXT_ONLY), GL_ERR_ALREADY_LOCKED);
    cr_assert_eq(lock(K_ACCOUNTANT, 202503, GL_LOCK_NEXT_ONLY), GL_OK);
    cr_assert_eq(lock(K_ACCOUNTANT, 202506, GL_LOCK_THROUGH), GL_OK);
}

Test(closing, only_the_accountant_locks_and_closes)
{
    gl_response r;
    EXPECT_UNCHANGED_AFTER(lock(K_ALPHA, 202501, GL_LOCK_THROUGH), GL_ERR_FORBIDDEN_ROLE);
    EXPECT_UNCHANGED_AFTER(lock(K_AUDITOR, 202501, GL_LOCK_THROUGH), GL_ERR_FORBIDDEN_ROLE);
    EXPECT_UNCHANGED_AFTER(close_year(K_ALPHA, 2025, &r), GL_ERR_FORBIDDEN_ROLE);
    gl_response_free(&r);
}

Test(closing, close_refusals)
{
    gl_response r;
    cr_assert_eq(post2(20240601, "606100", "512000", 100), GL_OK);
    cr_assert_eq(post2(20250601, "606100", "512000", 200), GL_OK);
    EXPECT_UNCHANGED_AFTER(close_year(K_ACCOUNTANT, 2025, &r), GL_ERR_PERIOD_OPEN);
    gl_response_free(&r);
    cr_assert_eq(lock(K_ACCOUNTANT, 202511, GL_LOCK_THROUGH), GL_OK);
    EXPECT_UNCHANGED_AFTER(close_year(K_ACCOUNTANT, 2025, &r), GL_ERR_PERIOD_OPEN);
    gl_response_free(&r);
    cr_assert_eq(lock(K_ACCOUNTANT, 202512, GL_LOCK_THROUGH), GL_OK);
    EXPECT_UNCHANGED_AFTER(close_year(K_ACCOUNTANT, 2025, &r), GL_ERR_PREVIOUS_YEAR_OPEN);
    gl_response_free(&r);
    int st24 = close_year(K_ACCOUNTANT, 2024, &r);
    cr_assert_eq(st24, GL_OK, "%s %.*s", gl_status_name(st24), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    EXPECT_UNCHANGED_AFTER(close_year(K_ACCOUNTANT, 2024, &r), GL_ERR_YEAR_CLOSED);
    gl_response_free(&r);
    cr_assert_eq(close_year(K_ACCOUNTANT, 2025, &r), GL_OK);
    gl_response_free(&r);
    /* the opening of 2026 carries 512000 at -300 and the deficit on 129000 */
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20260101), -300);
    cr_assert_eq(h_balance(&h, "alpha", "129000", 20260101), 200 + 100);
    cr_assert_gt(h_verify_chains(&h), 0);
}

/* Class 8 must balance to close: an entry that would unbalance it is now
 * refused when it is posted (class_entry_unbalanced), so the close always
 * finds it balanced; test_guard_rails.c has the ledgers written before. */
Test(closing, class_8_must_balance_to_close)
{
    gl_line_in l[3] = {{"864000", "", "", "", 'D', 500},
                       {"875000", "", "", "", 'C', 400},
                       {"102000", "", "", "", 'C', 100}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "CV",
                     .piece_ref = "CV-1",
                     .label = "bénévolat",
                     .date = 20250301,
                     .piece_date = 20250301,
                     .line_count = 3,
                     .lines = l};
    gl_response r;
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_ALPHA, &e, 1, &r), GL_ERR_CLASS_ENTRY_UNBALANCED);
    gl_response_free(&r);
    l[1].amount_cents = 500;
    l[2] = (gl_line_in){"512000", "", "", "", 'C', 0};
    e.line_count = 2;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(lock(K_ACCOUNTANT, 202512, GL_LOCK_THROUGH), GL_OK);
    cr_assert_eq(close_year(K_ACCOUNTANT, 2025, &r), GL_OK);
    gl_response_free(&r);
}

static int reverse(uint16_t fy, uint32_t num, uint32_t date, bool swap_sides, gl_response *r)
{
    gl_line_in l[2];
    gl_entry_in e = swap_sides ? h_entry2("alpha", date, "512000", "606100", 1234, l)
                               : h_entry2("alpha", date, "606100", "512000", 1234, l);
    e.reverses_fy = fy;
    e.reverses_num = num;
    return h_post(&h, K_ALPHA, &e, 1, r);
}

Test(closing, reversals)
{
    gl_response r;
    cr_assert_eq(post2(20250110, "606100", "512000", 1234), GL_OK);
    EXPECT_UNCHANGED_AFTER(reverse(2025, 1, 20250120, false, &r), GL_ERR_NOT_OPPOSITE);
    gl_response_free(&r);
    EXPECT_UNCHANGED_AFTER(reverse(2025, 7, 20250120, true, &r), GL_ERR_NOT_FOUND);
    gl_response_free(&r);
    int st_r = reverse(2025, 1, 20250120, true, &r);
    cr_assert_eq(st_r, GL_OK, "%s %.*s", gl_status_name(st_r), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 0);
    EXPECT_UNCHANGED_AFTER(reverse(2025, 1, 20250121, true, &r), GL_ERR_ALREADY_REVERSED);
    gl_response_free(&r);
    /* a reversal dated in a locked period is refused like any entry */
    cr_assert_eq(post2(20250210, "606100", "512000", 1234), GL_OK);
    cr_assert_eq(lock(K_ACCOUNTANT, 202502, GL_LOCK_THROUGH), GL_OK);
    EXPECT_UNCHANGED_AFTER(reverse(2025, 3, 20250228, true, &r), GL_ERR_PERIOD_LOCKED);
    gl_response_free(&r);
    cr_assert_eq(reverse(2025, 3, 20250301, true, &r), GL_OK);
    gl_response_free(&r);
}

Test(closing, closing_entries_cannot_be_reversed)
{
    gl_response r;
    cr_assert_eq(post2(20250110, "606100", "512000", 1234), GL_OK);
    cr_assert_eq(lock(K_ACCOUNTANT, 202512, GL_LOCK_THROUGH), GL_OK);
    cr_assert_eq(close_year(K_ACCOUNTANT, 2025, &r), GL_OK);
    gl_response_free(&r);
    /* the à-nouveaux 2026/1: 129000 debit 1234, 512000 credit 1234 */
    gl_line_in l[2] = {{"129000", "", "", "", 'C', 1234}, {"512000", "", "", "", 'D', 1234}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "AN",
                     .piece_ref = "AN-2026",
                     .label = "x",
                     .date = 20260105,
                     .piece_date = 20260105,
                     .reverses_fy = 2026,
                     .reverses_num = 1,
                     .line_count = 2,
                     .lines = l};
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_ALPHA, &e, 1, &r), GL_ERR_NOT_REVERSIBLE);
    gl_response_free(&r);
}

static int count_open_items(const char *account)
{
    char out[8192];
    cr_assert_eq(
        h_cli(
            &h, K_ALPHA, out, sizeof out,
            "ledger --tenant alpha --account %s --from 2025-01-01 --to 2025-12-31 --open --format csv",
            account),
        0);
    int lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    return lines - 1;
}

Test(closing, lettering)
{
    gl_line_in inv[2] = {{"411000", "U1", "Usager 1", "", 'D', 5000},
                         {"706000", "", "", "", 'C', 5000}};
    gl_line_in pay[2] = {{"512000", "", "", "", 'D', 5000}, {"411000", "U1", "", "", 'C', 5000}};
    gl_line_in other[2] = {{"411000", "U2", "", "", 'D', 5000}, {"706000", "", "", "", 'C', 5000}};
    gl_entry_in e[3] = {
        {.tenant = "alpha",
         .journal = "VT",
         .piece_ref = "F1",
         .label = "Facture",
         .date = 20250105,
         .piece_date = 20250105,
         .line_count = 2,
         .lines = inv},
        {.tenant = "alpha",
         .journal = "BQ",
         .piece_ref = "R1",
         .label = "Règlement",
         .date = 20250205,
         .piece_date = 20250205,
         .line_count = 2,
         .lines = pay},
        {.tenant = "alpha",
         .journal = "VT",
         .piece_ref = "F2",
         .label = "Facture",
         .date = 20250206,
         .piece_date = 20250206,
         .line_count = 2,
         .lines = other},
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 3, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(count_open_items("411000"), 3);
    cr_assert_eq(lock(K_ACCOUNTANT, 202512, GL_LOCK_THROUGH),
                 GL_OK); /* lettering is allowed in locked periods */
    gl_line_ref wrong_account[2] = {{2025, 1, 2}, {2025, 2, 2}};
    EXPECT_UNCHANGED_AFTER(letter("411000", "U1", wrong_account, 2, &r), GL_ERR_LETTER_MISMATCH);
    gl_response_free(&r);
    gl_line_ref other_aux[2] = {{2025, 1, 1}, {2025, 3, 1}};
    EXPECT_UNCHANGED_AFTER(letter("411000", "U1", other_aux, 2, &r), GL_ERR_LETTER_MISMATCH);
    gl_response_free(&r);
    gl_line_ref same_side[2] = {{2025, 1, 1}, {2025, 1, 1}};
    EXPECT_UNCHANGED_AFTER(letter("411000", "U1", same_side, 2, &r), GL_ERR_LETTER_MISMATCH);
    gl_response_free(&r);
    gl_line_ref missing[2] = {{2025, 1, 1}, {2025, 9, 1}};
    EXPECT_UNCHANGED_AFTER(letter("411000", "U1", missing, 2, &r), GL_ERR_NOT_FOUND);
    gl_response_free(&r);
    gl_line_ref good[2] = {{2025, 1, 1}, {2025, 2, 2}};
    cr_assert_eq(letter("411000", "U1", good, 2, &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    cr_assert(gl_str_eq(gl_get_str8(&c, 8), "A"));
    gl_response_free(&r);
    cr_assert_eq(count_open_items("411000"), 1);
    EXPECT_UNCHANGED_AFTER(letter("411000", "U1", good, 2, &r), GL_ERR_ALREADY_LETTERED);
    gl_response_free(&r);
    /* unletter: unknown code refused, then A removed */
    gl_buf b;
    gl_buf_init(&b);
    gl_unletter_q uq = {{"411000", 6}, {"B", 1}};
    gl_unletter_q_encode(&b, &uq);
    EXPECT_UNCHANGED_AFTER(call(K_ALPHA, GL_KIND_UNLETTER, &b, &r), GL_ERR_NOT_FOUND);
    gl_response_free(&r);
    gl_buf_reset(&b);
    uq.code = (gl_str){"A", 1};
    gl_unletter_q_encode(&b, &uq);
    cr_assert_eq(call(K_ALPHA, GL_KIND_UNLETTER, &b, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    cr_assert_eq(count_open_items("411000"), 3);
    /* lines that do not sum to zero */
    gl_line_ref unbalanced[2] = {{2025, 1, 1}, {2025, 3, 1}};
    EXPECT_UNCHANGED_AFTER(letter("411000", "", unbalanced, 2, &r), GL_ERR_LETTER_MISMATCH);
    gl_response_free(&r);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(closing, lettering_lines_that_do_not_sum_to_zero)
{
    gl_line_in inv[2] = {{"411000", "U1", "", "", 'D', 5000}, {"706000", "", "", "", 'C', 5000}};
    gl_line_in pay[2] = {{"512000", "", "", "", 'D', 4999}, {"411000", "U1", "", "", 'C', 4999}};
    gl_entry_in e[2] = {
        {.tenant = "alpha",
         .journal = "VT",
         .piece_ref = "F1",
         .label = "F",
         .date = 20250105,
         .piece_date = 20250105,
         .line_count = 2,
         .lines = inv},
        {.tenant = "alpha",
         .journal = "BQ",
         .piece_ref = "R1",
         .label = "R",
         .date = 20250205,
         .piece_date = 20250205,
         .line_count = 2,
         .lines = pay},
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 2, &r), GL_OK);
    gl_response_free(&r);
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 2}};
    EXPECT_UNCHANGED_AFTER(letter("411000", "U1", refs, 2, &r), GL_ERR_LETTER_UNBALANCED);
    gl_response_free(&r);
}

/* --- a full year, imported, locked month by month, closed --- */

static int64_t fec_net(const gl_entry_set *s, bool (*want)(const char *account),
                       const char *aux_filter, const char *account_filter)
{
    int64_t net = 0;
    for (size_t i = 0; i < s->count; i++)
        for (size_t l = 0; l < s->entries[i].line_count; l++) {
            const gl_line_in *x = &s->entries[i].lines[l];
            if ((want && !want(x->account)) ||
                (account_filter && strcmp(x->account, account_filter)) ||
                (aux_filter && strcmp(x->aux, aux_filter)))
                continue;
            net += x->side == 'D' ? x->amount_cents : -x->amount_cents;
        }
    return net;
}

static bool class67(const char *a) { return a[0] == '6' || a[0] == '7'; }

/* Balance of (account, aux) via `balance --aux --format csv` at a date. */
static int64_t aux_balance(const char *csv, const char *account, const char *aux)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\n%s,%s,", account, aux);
    const char *p = strstr(csv, needle);
    if (!p)
        return 0;
    /* account,aux,label,debit,credit,balance: take the last field */
    const char *end = strchr(p + 1, '\n');
    const char *comma = end;
    while (comma > p && *comma != ',')
        comma--;
    char num[32];
    size_t n = (size_t)(end - comma - 1);
    memcpy(num, comma + 1, n);
    num[n] = '\0';
    char *dot = strchr(num, '.');
    int64_t sign = num[0] == '-' ? -1 : 1;
    int64_t units = llabs(strtoll(num, NULL, 10));
    return sign * (units * 100 + strtoll(dot + 1, NULL, 10));
}

Test(closing, a_full_year_locked_month_by_month_and_closed)
{
    char fec[400], cmd[600];
    snprintf(fec, sizeof fec, "%s/year.txt", h.dir);
    snprintf(cmd, sizeof cmd,
             "python3 scripts/gen-year --tenant alpha --year 2025 --entries 1500 --seed 11 > %s",
             fec);
    cr_assert(system(cmd) == 0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", fec),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha"), 0);
    for (uint32_t m = 1; m <= 12; m++)
        cr_assert_eq(lock(K_ACCOUNTANT, 202500 + m, GL_LOCK_NEXT_ONLY), GL_OK, "month %u", m);
    /* a refused post and a retried close do not break the numbering */
    cr_assert_eq(post2(20251231, "606100", "512000", 1), GL_ERR_PERIOD_LOCKED);
    FILE *f = fopen(fec, "rb");
    char *data = malloc(1 << 24);
    size_t len = fread(data, 1, 1 << 24, f);
    fclose(f);
    gl_entry_set set;
    gl_entry_set_init(&set);
    char err[256];
    cr_assert_eq(gl_fec_read(data, len, "alpha", GL_FEC_ENC_AUTO, &set, err, sizeof err), 0, "%s",
                 err);
    int64_t expected_result = -fec_net(&set, class67, NULL, NULL); /* produits - charges */

    char *before = malloc(1 << 20), *after = malloc(1 << 20), *opening = malloc(1 << 20);
    cr_assert_eq(h_cli(&h, K_AUDITOR, before, 1 << 20,
                       "balance --tenant alpha --at 2025-12-31 --aux --format csv"),
                 0);
    gl_response r;
    cr_assert_eq(close_year(K_ACCOUNTANT, 2025, &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    uint16_t rfy = gl_get_u16(&c);
    uint32_t rnum = gl_get_u32(&c);
    uint16_t ofy = gl_get_u16(&c);
    uint32_t onum = gl_get_u32(&c);
    int64_t result = gl_get_i64(&c);
    gl_response_free(&r);
    cr_assert_eq(result, expected_result);
    cr_assert_eq(rfy, 2025);
    cr_assert_eq(rnum, set.count + 1,
                 "the result entry is numbered last, right after the imported entries");
    cr_assert_eq(ofy, 2026);
    cr_assert_eq(onum, 1);
    cr_assert_eq(h_entry_count(&h, "alpha"), (long)set.count + 2);

    cr_assert_eq(h_cli(&h, K_AUDITOR, after, 1 << 20,
                       "balance --tenant alpha --at 2025-12-31 --aux --after-closing --format csv"),
                 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, opening, 1 << 20,
                       "balance --tenant alpha --at 2026-01-01 --aux --format csv"),
                 0);
    /* every class 6/7 account is zero after closing; 120/129 holds the result */
    for (size_t i = 0; i < set.account_count; i++) {
        const char *a = set.accounts[i].account;
        if (class67(a))
            cr_assert_eq(h_balance(&h, "alpha", a, 20251231), fec_net(&set, NULL, NULL, a),
                         "%s before closing", a);
    }
    cr_assert_eq(aux_balance(opening, result >= 0 ? "120000" : "129000", ""), -result);
    /* the opening of 2026 equals the closing of 2025, account by account and
     * auxiliary by auxiliary, for classes 1-5; classes 6-8 are absent */
    size_t checked = 0;
    for (size_t i = 0; i < set.count; i++)
        for (size_t l = 0; l < set.entries[i].line_count; l++) {
            const gl_line_in *x = &set.entries[i].lines[l];
            int64_t closing = fec_net(&set, NULL, x->aux, x->account);
            if (x->account[0] >= '1' && x->account[0] <= '5') {
                cr_assert_eq(aux_balance(opening, x->account, x->aux), closing, "%s/%s", x->account,
                             x->aux);
                cr_assert_eq(aux_balance(after, x->account, x->aux), closing);
                checked++;
            } else {
                cr_assert_eq(aux_balance(opening, x->account, x->aux), 0, "%s carried forward",
                             x->account);
                if (class67(x->account))
                    cr_assert_eq(aux_balance(after, x->account, x->aux), 0, "%s not zeroed",
                                 x->account);
            }
        }
    cr_assert_gt(checked, 100);
    cr_assert(strstr(before, "\n864000,") && !strstr(opening, "\n864000,"));
    cr_assert_gt(h_verify_chains(&h), 0);
    gl_entry_set_free(&set);
    free(data);
    free(before);
    free(after);
    free(opening);
}

Test(closing, appropriation_moves_the_result)
{
    gl_response r;
    cr_assert_eq(post2(20250601, "512000", "706000", 10000), GL_OK);
    cr_assert_eq(lock(K_ACCOUNTANT, 202512, GL_LOCK_THROUGH), GL_OK);
    cr_assert_eq(close_year(K_ACCOUNTANT, 2025, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_balance(&h, "alpha", "120000", 20260101), -10000);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0,
                       "appropriate --tenant alpha --year 2025 --to 106800:30.00 --to 110000"),
                 0);
    cr_assert_eq(h_balance(&h, "alpha", "120000", 20261231), 0);
    cr_assert_eq(h_balance(&h, "alpha", "106800", 20261231), -3000);
    cr_assert_eq(h_balance(&h, "alpha", "110000", 20261231), -7000);
}
