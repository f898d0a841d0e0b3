/*
 * tests/integration/test_analytic_index.c — issue 19, the analytic
 * indexes written by POST and read by ANALYTIC_BALANCE (51) and
 * ANALYTIC_LEDGER (52) on a real daemon: entries posted with codes (one
 * code, distributions, two axes) and without, then the balance at several
 * dates against an independent computation in the test (the posted lines
 * summed here), the not-allocated rows tying each class 6-7 account to its
 * general balance (BALANCE), the ledger of a code page by page, the same
 * answers after a restart, and the refusals (484, 109) leaving the ledger
 * unchanged.  A reversal takes its entry's allocations (POST step 17):
 * the code's balance back to 0, both lines in its ledger, the archive
 * verifying offline.
 */
#include "tests/support/harness.h"

#include "proto/analytic.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static const char *const accounts[] = {"512000", "601000", "606300", "641100", "706000", "740000"};
#define N_ACCOUNTS 6
static const char *const codes[] = {"ACT1", "ACT2"};
#define N_CODES 2

/* The model: every line posted, and the shares of the axis "action". */
typedef struct m_line {
    uint32_t date;
    const char *account;
    int64_t signed_cents; /* debit > 0 */
} m_line;
typedef struct m_share {
    uint32_t date;
    const char *account, *code;
    int64_t signed_cents;
    uint16_t fy;
    uint32_t num;
    uint16_t line;
} m_share;
static m_line m_lines[256];
static size_t m_nlines;
static m_share m_shares[256];
static size_t m_nshares;
static uint32_t m_next_num;

static void open_name(uint16_t kind, const char *axis, const char *code)
{
    gl_buf b;
    gl_buf_init(&b);
    if (kind == GL_KIND_ANALYTIC_AXIS_SET) {
        gl_an_axis_set_q q = {S(axis), GL_AN_OPEN, S("Axe")};
        gl_an_axis_set_q_encode(&b, &q);
    } else {
        gl_an_code_set_q q = {S(axis), S(code), GL_AN_OPEN, S("Code")};
        gl_an_code_set_q_encode(&b, &q);
    }
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b.data, b.len, &r);
    cr_assert_eq(st, GL_OK, "opening %s %s: %d %.*s", axis, code ? code : "", st,
                 (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(&b);
}

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", accounts, N_ACCOUNTS);
    open_name(GL_KIND_ANALYTIC_AXIS_SET, "action", NULL);
    open_name(GL_KIND_ANALYTIC_AXIS_SET, "financeur", NULL);
    for (size_t i = 0; i < N_CODES; i++)
        open_name(GL_KIND_ANALYTIC_CODE_SET, "action", codes[i]);
    open_name(GL_KIND_ANALYTIC_CODE_SET, "financeur", "FSE");
    m_nlines = m_nshares = 0;
    m_next_num = 1;
}
static void teardown(void) { h_teardown(&h); }

TestSuite(analytic_index, .init = setup, .fini = teardown, .timeout = 240);

/* The codes of entry i's first line (its class 6/7 account): none, ACT1,
 * ACT1 60 % / ACT2 40 %, or ACT2 with the funder FSE. */
static size_t codes_of(uint32_t i, int64_t cents, gl_analytic *a)
{
    memset(a, 0, sizeof *a);
    gl_an_split *act = &a->axes[0];
    act->axis = S("action");
    switch (i % 4) {
    case 0: return 0;
    case 1:
        act->count = 1;
        act->shares[0] = (gl_an_share){S("ACT1"), cents};
        a->naxes = 1;
        break;
    case 2: {
        int64_t w[2] = {600000, 400000}, s[2];
        cr_assert(gl_an_split_weights(cents, w, 2, s));
        act->count = 2;
        act->shares[0] = (gl_an_share){S("ACT1"), s[0]};
        act->shares[1] = (gl_an_share){S("ACT2"), s[1]};
        a->naxes = 1;
        break;
    }
    default:
        act->count = 1;
        act->shares[0] = (gl_an_share){S("ACT2"), cents};
        a->axes[1].axis = S("financeur");
        a->axes[1].count = 1;
        a->axes[1].shares[0] = (gl_an_share){S("FSE"), cents};
        a->naxes = 2;
    }
    cr_assert(gl_analytic_sort(a));
    return 1;
}

static void model_note(const gl_entry_in *e, const gl_analytic *a, bool coded)
{
    for (size_t l = 0; l < 2; l++) {
        int64_t s = e->lines[l].side == GL_SIDE_DEBIT ? e->lines[l].amount_cents
                                                      : -e->lines[l].amount_cents;
        m_lines[m_nlines++] = (m_line){e->date, e->lines[l].account, s};
    }
    if (!coded)
        return;
    const gl_an_split *act = &a->axes[0];
    cr_assert(gl_str_eq(act->axis, "action"));
    for (uint8_t k = 0; k < act->count; k++) {
        bool debit = e->lines[0].side == GL_SIDE_DEBIT;
        int64_t amt = act->shares[k].amount_cents;
        const char *code = gl_str_eq(act->shares[k].code, "ACT1") ? "ACT1" : "ACT2";
        m_shares[m_nshares++] =
            (m_share){e->date, e->lines[0].account, code, debit ? amt : -amt, 2026, m_next_num, 1};
    }
}

/* Post entry i of the deterministic year: a charge (debit 6xx, credit 512)
 * or a product (debit 512, credit 7xx: the coded line is then the credit,
 * put first), its first line coded by codes_of. */
static void post_one(uint32_t i)
{
    static const char *const charges[] = {"601000", "606300", "641100"};
    static const char *const products[] = {"706000", "740000"};
    uint32_t date = 20260000 + (i % 12 + 1) * 100 + (i * 7) % 28 + 1;
    int64_t cents = 1000 + (int64_t)i * 137;
    gl_line_in lines[2];
    bool product = i % 5 == 4;
    const char *account = product ? products[i % 2] : charges[i % 3];
    lines[0] = (gl_line_in){account,
                            "",
                            "",
                            i % 7 == 3 ? ""
                            : product  ? "vente"
                                       : "achat",
                            product ? GL_SIDE_CREDIT : GL_SIDE_DEBIT,
                            cents};
    lines[1] = (gl_line_in){"512000", "", "", "", product ? GL_SIDE_DEBIT : GL_SIDE_CREDIT, cents};
    char piece[16];
    snprintf(piece, sizeof piece, "F-%u", i);
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "AC",
                     .piece_ref = piece,
                     .label = "entry",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = lines};
    gl_analytic a;
    bool coded = codes_of(i, cents, &a);
    uint8_t item[2 + GL_AN_ITEM_MAX];
    gl_ext_in ext[2] = {{0}, {0}};
    if (coded) {
        ext[0] = (gl_ext_in){item, gl_analytic_item_put(item, &a)};
        cr_assert_gt(ext[0].len, 0);
        e.line_ext = ext;
    }
    gl_response r;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    cr_assert_eq(st, GL_OK, "entry %u: %d %.*s", i, st, (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    model_note(&e, &a, coded);
    m_next_num++;
}

static void post_year(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        post_one(i);
}

static void out_add(char *out, size_t cap, const char *code, const char *account, int64_t d,
                    int64_t c)
{
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s|%s|%lld|%lld;", code, account, (long long)d, (long long)c);
}

/* The expected reply rows as text, computed from the model alone. */
static void model_balance(uint32_t at, char *out, size_t cap)
{
    out[0] = '\0';
    int64_t alloc_d[N_ACCOUNTS] = {0}, alloc_c[N_ACCOUNTS] = {0};
    for (size_t c = 0; c < N_CODES; c++)
        for (size_t a = 0; a < N_ACCOUNTS; a++) {
            int64_t d = 0, cr = 0;
            for (size_t s = 0; s < m_nshares; s++)
                if (m_shares[s].date <= at && !strcmp(m_shares[s].code, codes[c]) &&
                    !strcmp(m_shares[s].account, accounts[a])) {
                    if (m_shares[s].signed_cents > 0)
                        d += m_shares[s].signed_cents;
                    else
                        cr -= m_shares[s].signed_cents;
                }
            if (d || cr)
                out_add(out, cap, codes[c], accounts[a], d, cr);
            alloc_d[a] += d, alloc_c[a] += cr;
        }
    for (size_t a = 0; a < N_ACCOUNTS; a++) {
        if (accounts[a][0] != '6' && accounts[a][0] != '7')
            continue;
        int64_t d = 0, cr = 0;
        for (size_t l = 0; l < m_nlines; l++)
            if (m_lines[l].date <= at && !strcmp(m_lines[l].account, accounts[a])) {
                if (m_lines[l].signed_cents > 0)
                    d += m_lines[l].signed_cents;
                else
                    cr -= m_lines[l].signed_cents;
            }
        d -= alloc_d[a], cr -= alloc_c[a];
        if (d || cr)
            out_add(out, cap, "", accounts[a], d, cr);
    }
}

static char detail[512];

/* ANALYTIC_BALANCE as text ("code|account|debit|credit;" per row); the
 * status. */
static int daemon_balance(const char *axis, uint16_t fy, uint32_t at, uint32_t *at_out, char *out,
                          size_t cap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_balance_q q = {S(axis), fy, at};
    gl_an_balance_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, K_AUDITOR, GL_KIND_ANALYTIC_BALANCE, "alpha", 0, b.data, b.len, &r);
    gl_buf_free(&b);
    snprintf(detail, sizeof detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    out[0] = '\0';
    if (st == GL_OK) {
        gl_an_balance_iter it;
        gl_an_balance_row row;
        cr_assert_eq(gl_an_balance_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
        if (at_out)
            *at_out = it.at;
        int rs;
        while ((rs = gl_an_balance_reply_next(&it, &row)) == GL_OK) {
            char code[32], account[32];
            snprintf(code, sizeof code, "%.*s", (int)row.code.len, row.code.ptr);
            snprintf(account, sizeof account, "%.*s", (int)row.account.len, row.account.ptr);
            out_add(out, cap, code, account, row.debit_cents, row.credit_cents);
        }
        cr_assert_eq(rs, GL_ERR_NOT_FOUND);
    }
    gl_response_free(&r);
    return st;
}

/* First days, early and late days of a month (the days up to the date, or
 * the month less the days after it), months' last days. */
static const uint32_t dates[] = {20260101, 20260115, 20260131, 20260228, 20260301, 20260320,
                                 20260617, 20260930, 20261129, 20261215, 20261231};

static void balances_match_model(void)
{
    static char want[16384], got[16384];
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        model_balance(dates[i], want, sizeof want);
        cr_assert_eq(daemon_balance("action", 2026, dates[i], NULL, got, sizeof got), GL_OK, "%s",
                     detail);
        cr_expect_str_eq(got, want, "at %u", dates[i]);
    }
}

Test(analytic_index, balance_at_dates_matches_the_lines_summed)
{
    post_year(60);
    balances_match_model();
    static char want[16384], got[16384];
    uint32_t at;
    model_balance(20261231, want, sizeof want);
    cr_assert_eq(daemon_balance("action", 2026, 0, &at, got, sizeof got), GL_OK);
    cr_expect_eq(at, 20261231u, "at 0: the year's last day");
    cr_expect_str_eq(got, want);
    cr_expect(strstr(got, "ACT1|601000|"), "%s", got);
    cr_expect(strstr(got, "|706000|"), "a product coded: %s", got);
}

Test(analytic_index, financeur_axis_counts_its_own_shares)
{
    post_year(24);
    static char got[4096];
    cr_assert_eq(daemon_balance("financeur", 2026, 0, NULL, got, sizeof got), GL_OK);
    /* every fourth entry from the fourth carries FSE on its whole line */
    int64_t fse[N_ACCOUNTS] = {0};
    for (uint32_t i = 3; i < 24; i += 4) {
        const char *acct = i % 5 == 4 ? (i % 2 ? "740000" : "706000")
                                      : (const char *[]){"601000", "606300", "641100"}[i % 3];
        for (size_t a = 0; a < N_ACCOUNTS; a++)
            if (!strcmp(accounts[a], acct))
                fse[a] += 1000 + (int64_t)i * 137;
    }
    char want[4096] = "";
    for (size_t a = 0; a < N_ACCOUNTS; a++)
        if (fse[a])
            out_add(want, sizeof want, "FSE", accounts[a], accounts[a][0] == '7' ? 0 : fse[a],
                    accounts[a][0] == '7' ? fse[a] : 0);
    cr_expect(!strncmp(got, want, strlen(want)), "got %s want prefix %s", got, want);
}

/* For each class 6/7 account: the sum of its rows (codes and not
 * allocated) is its general balance (BALANCE), at every date. */
Test(analytic_index, not_allocated_rows_tie_to_the_general_balance)
{
    post_year(40);
    static char got[16384];
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        cr_assert_eq(daemon_balance("action", 2026, dates[i], NULL, got, sizeof got), GL_OK);
        for (size_t a = 1; a < N_ACCOUNTS; a++) {
            int64_t sum = 0;
            char needle[32];
            snprintf(needle, sizeof needle, "|%s|", accounts[a]);
            for (const char *p = strstr(got, needle); p; p = strstr(p + 1, needle)) {
                long long d, c;
                cr_assert_eq(sscanf(p + strlen(needle), "%lld|%lld", &d, &c), 2);
                sum += d - c;
            }
            cr_expect_eq(sum, h_balance(&h, "alpha", accounts[a], dates[i]), "%s at %u",
                         accounts[a], dates[i]);
        }
    }
}

Test(analytic_index, balance_survives_a_restart)
{
    post_year(30);
    static char before[16384], after[16384];
    cr_assert_eq(daemon_balance("action", 2026, 20260615, NULL, before, sizeof before), GL_OK);
    h_stop(&h);
    h_start(&h);
    cr_assert_eq(daemon_balance("action", 2026, 20260615, NULL, after, sizeof after), GL_OK);
    cr_expect_str_eq(after, before);
    balances_match_model();
    post_one(30); /* and the index goes on from where it was */
    balances_match_model();
}

/* --- the ledger of a code --- */

typedef struct page {
    size_t n;
    gl_an_ledger_row rows[16];
    char text[4096];
    uint8_t more;
} page;

static int ledger_page(const char *code, uint32_t from, uint32_t to, const gl_an_ledger_row *after,
                       uint16_t limit, page *p, gl_response *r)
{
    gl_an_ledger_q q = {S("action"), S(code), from, to, 0, 0, 0, 0, limit};
    if (after)
        q.after_date = after->date, q.after_fy = after->fy, q.after_num = after->num,
        q.after_line = after->line;
    gl_buf b;
    gl_buf_init(&b);
    gl_an_ledger_q_encode(&b, &q);
    int st = h_call(&h, K_ALPHA, GL_KIND_ANALYTIC_LEDGER, "alpha", 0, b.data, b.len, r);
    gl_buf_free(&b);
    p->n = 0;
    p->text[0] = '\0';
    if (st != GL_OK)
        return st;
    gl_an_ledger_iter it;
    cr_assert_eq(gl_an_ledger_reply_begin(r->reply.body, r->reply.body_len, &it), GL_OK);
    int rs;
    while (p->n < 16 && (rs = gl_an_ledger_reply_next(&it, &p->rows[p->n])) == GL_OK) {
        const gl_an_ledger_row *x = &p->rows[p->n++];
        size_t used = strlen(p->text);
        snprintf(p->text + used, sizeof p->text - used, "%u/%u/%u/%u:%lld;", x->date, x->fy, x->num,
                 x->line, (long long)x->amount_cents);
    }
    cr_assert_eq(gl_an_ledger_reply_next(&it, &p->rows[15]), GL_ERR_NOT_FOUND);
    p->more = it.more;
    return st;
}

/* The model's rows of code dated from..to, in (date, fy, num, line) order. */
static void model_ledger(const char *code, uint32_t from, uint32_t to, char *out, size_t cap)
{
    out[0] = '\0';
    bool used[256] = {false};
    for (;;) {
        size_t best = SIZE_MAX;
        for (size_t s = 0; s < m_nshares; s++) {
            const m_share *x = &m_shares[s];
            if (used[s] || strcmp(x->code, code) || x->date < from || (to && x->date > to))
                continue;
            if (best == SIZE_MAX || x->date < m_shares[best].date ||
                (x->date == m_shares[best].date && x->num < m_shares[best].num))
                best = s;
        }
        if (best == SIZE_MAX)
            return;
        used[best] = true;
        const m_share *x = &m_shares[best];
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%u/%u/%u/%u:%lld;", x->date, x->fy, x->num, x->line,
                 (long long)x->signed_cents);
    }
}

Test(analytic_index, ledger_pages_in_order_with_the_entries_fields)
{
    post_year(40);
    static char want[8192], got[8192];
    model_ledger("ACT1", 0, 0, want, sizeof want);
    got[0] = '\0';
    page p;
    gl_an_ledger_row last;
    bool have_last = false;
    size_t pages = 0, rows = 0, entry_labels = 0;
    do {
        gl_response r;
        cr_assert_eq(ledger_page("ACT1", 0, 0, have_last ? &last : NULL, 3, &p, &r), GL_OK);
        strcat(got, p.text);
        for (size_t i = 0; i < p.n; i++) {
            cr_expect(gl_str_eq(p.rows[i].journal, "AC"));
            cr_expect(p.rows[i].piece_ref.len > 2 && !memcmp(p.rows[i].piece_ref.ptr, "F-", 2));
            cr_expect(p.rows[i].account.ptr[0] == '6' || p.rows[i].account.ptr[0] == '7');
            /* a line without a label shows its entry's (entry i % 7 == 3) */
            cr_expect(gl_str_eq(p.rows[i].label, "achat") || gl_str_eq(p.rows[i].label, "vente") ||
                      gl_str_eq(p.rows[i].label, "entry"));
            entry_labels += gl_str_eq(p.rows[i].label, "entry");
            cr_expect_eq(p.rows[i].source, GL_AN_SOURCE_ENTRY);
        }
        cr_assert(p.n == 3 || !p.more, "a full page unless it is the last");
        if (p.n)
            last = p.rows[p.n - 1], have_last = true;
        gl_response_free(&r);
        pages++, rows += p.n;
    } while (p.more && pages < 100);
    cr_expect_str_eq(got, want);
    cr_expect_gt(pages, 3);
    cr_expect_gt(rows, 9);
    cr_expect_gt(entry_labels, 0, "no line without a label in the code's ledger");
}

Test(analytic_index, ledger_dates_filter_and_an_unused_code_is_empty)
{
    post_year(40);
    static char want[8192];
    page p;
    gl_response r;
    model_ledger("ACT2", 20260301, 20260630, want, sizeof want);
    cr_assert_eq(ledger_page("ACT2", 20260301, 20260630, NULL, 16, &p, &r), GL_OK);
    cr_expect_str_eq(p.text, want);
    cr_expect_eq(p.more, 0);
    gl_response_free(&r);
    cr_assert_eq(ledger_page("ZZZ", 0, 0, NULL, 16, &p, &r), GL_OK);
    cr_expect_eq(p.n, 0u);
    cr_expect_eq(p.more, 0);
    gl_response_free(&r);
}

/* --- refusals --- */

Test(analytic_index, unknown_axis_and_bad_dates_are_refused_and_change_nothing)
{
    post_year(8);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    static char got[1024];
    cr_expect_eq(daemon_balance("nope", 2026, 0, NULL, got, sizeof got),
                 GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    cr_expect(strstr(detail, "nope"), "%s", detail);
    cr_expect_eq(daemon_balance("action", 2026, 20270105, NULL, got, sizeof got), GL_ERR_BAD_DATE);
    cr_expect_eq(daemon_balance("action", 2026, 20260230, NULL, got, sizeof got), GL_ERR_BAD_DATE);
    cr_expect_eq(daemon_balance("action", 0, 0, NULL, got, sizeof got), GL_ERR_BAD_DATE);
    page p;
    gl_response r;
    gl_an_ledger_q q = {S("nope"), S("ACT1"), 0, 0, 0, 0, 0, 0, 10};
    gl_buf b;
    gl_buf_init(&b);
    gl_an_ledger_q_encode(&b, &q);
    cr_expect_eq(h_call(&h, K_ALPHA, GL_KIND_ANALYTIC_LEDGER, "alpha", 0, b.data, b.len, &r),
                 GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    gl_response_free(&r);
    gl_buf_free(&b);
    cr_expect_eq(ledger_page("ACT1", 0, 0, NULL, GL_PAGE_MAX + 1, &p, &r), GL_ERR_COUNT_LIMIT);
    gl_response_free(&r);
    /* another member's books: 300 */
    gl_buf_init(&b);
    gl_an_balance_q bq = {S("action"), 2026, 0};
    gl_an_balance_q_encode(&b, &bq);
    cr_expect_eq(h_call(&h, K_BETA, GL_KIND_ANALYTIC_BALANCE, "alpha", 0, b.data, b.len, &r),
                 GL_ERR_FORBIDDEN_TENANT);
    gl_response_free(&r);
    gl_buf_free(&b);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused read changed the ledger");
    cr_assert_gt(h_verify_chains(&h), 0);
}

/* A tenant that opened no axis: 484, not an empty answer. */
Test(analytic_index, a_tenant_without_axes_gets_484)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_balance_q q = {S("action"), 2026, 0};
    gl_an_balance_q_encode(&b, &q);
    gl_response r;
    cr_expect_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ANALYTIC_BALANCE, "beta", 0, b.data, b.len, &r),
                 GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    gl_response_free(&r);
    gl_buf_free(&b);
}

/* --- allocations: the index given (+1) and taken back (-1) --- */

static void alloc_line_send(uint32_t num, uint16_t line, gl_an_split split)
{
    gl_an_alloc_row row = {.fy = 2026, .num = num, .line = line, .codes = {.naxes = 1}};
    row.codes.axes[0] = split;
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, 1);
    gl_an_alloc_row_put(&b, &row);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_ANALYTIC_ALLOC, "alpha", 0, b.data, b.len, &r);
    cr_assert_eq(st, GL_OK, "allocation of %u: %d %.*s", num, st, (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(&b);
}

static void alloc_send(uint32_t num, gl_an_split split) { alloc_line_send(num, 1, split); }

/* The model's shares of entry num (line 1) on "action": dropped, then
 * those of split added (dated and signed as its line). */
static void model_alloc(uint32_t num, const gl_an_split *split)
{
    size_t kept = 0, line_at = SIZE_MAX;
    for (size_t i = 0; i < m_nshares; i++)
        if (m_shares[i].num != num)
            m_shares[kept++] = m_shares[i];
    m_nshares = kept;
    /* the line itself (date, account, side) from the lines noted */
    uint32_t n = 0;
    for (size_t l = 0; l < m_nlines; l += 2)
        if (++n == num)
            line_at = l;
    cr_assert_neq(line_at, SIZE_MAX);
    const m_line *ln = &m_lines[line_at];
    for (uint8_t k = 0; k < split->count; k++) {
        int64_t amt = split->shares[k].amount_cents;
        const char *code = gl_str_eq(split->shares[k].code, "ACT1") ? "ACT1" : "ACT2";
        m_shares[m_nshares++] =
            (m_share){ln->date, ln->account, code, ln->signed_cents > 0 ? amt : -amt, 2026, num, 1};
    }
}

static gl_an_split act_split(const char *c1, int64_t a1, const char *c2, int64_t a2)
{
    gl_an_split s = {.axis = S("action"), .count = c2 ? 2 : 1};
    s.shares[0] = (gl_an_share){S(c1), a1};
    if (c2)
        s.shares[1] = (gl_an_share){S(c2), a2};
    return s;
}

Test(analytic_index, allocations_enter_the_balance_and_the_ledger_and_replacing_one_moves_it)
{
    post_year(20); /* entries 1, 5, 9... (i % 4 == 0) carry no code */
    gl_an_split one = act_split("ACT2", 1000, NULL, 0); /* entry 1: 601000, 10.00 */
    alloc_send(1, one);
    model_alloc(1, &one);
    gl_an_split two = act_split("ACT1", 1000, "ACT2", 1548 - 1000); /* entry 5: 706000 */
    alloc_send(5, two);
    model_alloc(5, &two);
    balances_match_model();
    page p;
    gl_response r;
    cr_assert_eq(ledger_page("ACT2", 0, 0, NULL, 16, &p, &r), GL_OK);
    cr_assert_gt(p.n, 0u);
    cr_expect_eq(p.rows[0].num, 1u, "entry 1 is the code's first line");
    cr_expect_eq(p.rows[0].source, GL_AN_SOURCE_ALLOC);
    cr_expect_eq(p.rows[0].amount_cents, 1000);
    gl_response_free(&r);
    /* replaced: ACT2's share of entry 1 leaves the index, ACT1's enters */
    gl_an_split moved = act_split("ACT1", 1000, NULL, 0);
    alloc_send(1, moved);
    model_alloc(1, &moved);
    balances_match_model();
    cr_assert_eq(ledger_page("ACT2", 0, 0, NULL, 16, &p, &r), GL_OK);
    cr_expect_neq(p.rows[0].num, 1u, "entry 1 left ACT2's ledger");
    gl_response_free(&r);
    /* removed: not allocated again */
    gl_an_split none = {.axis = S("action"), .count = 0};
    alloc_send(5, none);
    model_alloc(5, &none);
    balances_match_model();
    h_stop(&h);
    h_start(&h);
    balances_match_model();
}

/* --- a reversal takes its entry's allocations --- */

/* POST alpha's reversal of 2026/num dated date: debit, credit, cents. */
static void reverse_post(uint32_t num, uint32_t date, const char *debit, const char *credit,
                         int64_t cents)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, lines);
    e.reverses_fy = 2026;
    e.reverses_num = num;
    gl_response r;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    cr_assert_eq(st, GL_OK, "reversal of %u: %d %.*s", num, st, (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
}

/* 606100 debit 100.00 / 401000 credit, no codes; line 1 allocated to
 * ACT1; the entry reversed: the reversal's 606100 line takes ACT1 too, so
 * ACT1 holds 0 on 606100 and nothing is left unallocated; the ledger of
 * ACT1 lists both lines; a later allocation of the reversal's line
 * replaces the one it took; the archive verifies offline. */
Test(analytic_index, a_reversal_takes_its_entrys_allocations)
{
    static const char *const more[] = {"606100", "401000"};
    h_open_accounts(&h, "alpha", more, 2);
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", 20260310, "606100", "401000", 10000, lines);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    alloc_send(1, act_split("ACT1", 10000, NULL, 0));
    reverse_post(1, 20260320, "401000", "606100", 10000); /* 2026/2, 606100 its line 2 */
    static char got[4096];
    cr_assert_eq(daemon_balance("action", 2026, 0, NULL, got, sizeof got), GL_OK, "%s", detail);
    cr_expect_str_eq(got, "ACT1|606100|10000|10000;");
    page p;
    cr_assert_eq(ledger_page("ACT1", 0, 0, NULL, 16, &p, &r), GL_OK);
    cr_expect_str_eq(p.text, "20260310/2026/1/1:10000;20260320/2026/2/2:-10000;");
    cr_expect_eq(p.rows[1].source, GL_AN_SOURCE_ALLOC);
    gl_response_free(&r);
    /* the reversal's line allocated again: ACT1's share leaves it for ACT2 */
    alloc_line_send(2, 2, act_split("ACT2", 10000, NULL, 0));
    cr_assert_eq(daemon_balance("action", 2026, 0, NULL, got, sizeof got), GL_OK, "%s", detail);
    cr_expect_str_eq(got, "ACT1|606100|10000|0;ACT2|606100|0|10000;");
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int st = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_expect_eq(st, 0, "the archive does not verify (%d):\n%s", st, out);
}
