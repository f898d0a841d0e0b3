/*
 * tests/integration/test_year_cap.c — a tenant-wide cap on the open books
 * (the review of issue 11 item 3), against the real daemon.
 *
 * The per-account caps (2^56; 2^52 for a member's own writes) left the sum
 * ACROSS accounts free: a member debiting 17 class 6 accounts 2^52 each,
 * every one within its cap, took the year's result past 2^56, and the
 * accountant's CLOSE_YEAR was refused (427 on 129000); with 2,048 such
 * accounts the result overflowed an int64 and the statements failed.  Now
 * the debits written in a tenant's fiscal years not yet closed (its open
 * books, stored per year in `year_totals`, fy 0 their sum) stay within
 * 2^55, and a member's own writes within 2^53 (proto/limits.h has the
 * argument): a write past them is refused whole with year_total_limit
 * (436), naming the entry, the line, the fiscal year and the cap; the
 * close always fits, and never makes the open books larger.  The upgrade
 * 2 -> 3 computes the totals of an existing ledger from its balances.
 */
#include "tests/support/harness.h"

#include "daemon/store/store.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define P52 ((int64_t)1 << 52)
#define P53 ((int64_t)1 << 53)
#define P55 ((int64_t)1 << 55)
#define P56 ((int64_t)1 << 56)
#define N_ACCOUNTS 17 /* the review's: 17 * 2^52 > 2^56 */

static harness h;
static gl_response last; /* the reply of the last call */

static void setup(void)
{
    h_setup(&h);
    static const char *const base[] = {"120000", "129000", "512000", "401000", "615000", "706000"};
    h_open_accounts(&h, "beta", base, sizeof base / sizeof base[0]);
    /* the review's accounts: charges 6061xx, each against its own payable 4011xx */
    char names[2 * N_ACCOUNTS][8];
    const char *ptrs[2 * N_ACCOUNTS];
    for (int i = 0; i < N_ACCOUNTS; i++) {
        snprintf(names[2 * i], sizeof names[0], "6061%02d", i + 10);
        snprintf(names[2 * i + 1], sizeof names[0], "4011%02d", i + 10);
        ptrs[2 * i] = names[2 * i];
        ptrs[2 * i + 1] = names[2 * i + 1];
    }
    h_open_accounts(&h, "beta", ptrs, 2 * N_ACCOUNTS);
}
static void teardown(void)
{
    gl_response_free(&last);
    h_teardown(&h);
}

TestSuite(year_cap, .init = setup, .fini = teardown, .timeout = 180);

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "line %d: got %s, want %s", __LINE__, gl_status_name(st_),       \
                     gl_status_name(status));                                                      \
        cr_assert(!memcmp(d0_, d1_, 32), "line %d: the ledger changed after a refusal", __LINE__); \
    } while (0)

static int post2(enum h_key k, uint32_t date, const char *debit, const char *credit, int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("beta", date, debit, credit, cents, l);
    gl_response_free(&last);
    return h_post(&h, k, &e, 1, &last);
}

/* The review's entry i: its charge account debited 2^52, its payable credited. */
static int review_entry(int i, uint32_t date)
{
    char charge[8], payable[8];
    snprintf(charge, sizeof charge, "6061%02d", i + 10);
    snprintf(payable, sizeof payable, "4011%02d", i + 10);
    return post2(K_BETA, date, charge, payable, P52);
}

static bool detail_has(const char *needle)
{
    char d[GL_DETAIL_MAX + 1];
    snprintf(d, sizeof d, "%.*s", (int)last.reply.detail.len, last.reply.detail.ptr);
    return strstr(d, needle) != NULL;
}

static int call(enum h_key k, uint16_t kind, gl_buf *b)
{
    gl_response_free(&last);
    int st = h_call(&h, k, kind, "beta", 0, b->data, b->len, &last);
    gl_buf_free(b);
    return st;
}

static int lock_through(uint32_t ym)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q q = {ym, GL_LOCK_THROUGH};
    gl_lock_q_encode(&b, &q);
    return call(K_ACCOUNTANT, GL_KIND_LOCK, &b);
}

static int close_year(uint16_t fy)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_close_q q = {fy};
    gl_close_q_encode(&b, &q);
    return call(K_ACCOUNTANT, GL_KIND_CLOSE_YEAR, &b);
}

/* One year_totals row of the ledger in h. */
struct row_q {
    uint32_t tenant;
    uint16_t fy;
    bool found;
    int64_t debit, credit;
};

static bool find_row(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct row_q *q = user;
    cr_assert_eq(kl, 6);
    cr_assert_eq(vl, 16);
    if (gl_rd32(k) != q->tenant || gl_rd16(k + 4) != q->fy)
        return true;
    q->found = true;
    q->debit = (int64_t)gl_rd64(v);
    q->credit = (int64_t)gl_rd64(v + 8);
    return false;
}

static bool tenant_number(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    (void)vl;
    if (kl == 4 && !memcmp(k, "beta", 4)) {
        *(uint32_t *)user = gl_rd32(v);
        return false;
    }
    return true;
}

/* beta's year_totals (fy 0: the open books); 0 if there is no row. */
static int64_t beta_total(uint16_t fy)
{
    uint32_t beta = 0;
    h_db_each(&h, "tenants", tenant_number, &beta);
    cr_assert(beta, "no tenant beta");
    struct row_q q = {beta, fy, false, 0, 0};
    h_db_each(&h, "year_totals", find_row, &q);
    cr_assert_eq(q.debit, q.credit, "fy %u: debits %lld, credits %lld", fy, (long long)q.debit,
                 (long long)q.credit);
    return q.debit;
}

Test(year_cap, the_reviews_member_cannot_fill_the_books_across_accounts)
{
    /* each account stays within the member's own cap (2^52), but the books
     * are full after two: the third is refused whole, at its debit line */
    cr_assert_eq(review_entry(0, 20250110), GL_OK);
    cr_assert_eq(review_entry(1, 20250111), GL_OK);
    cr_assert_eq(beta_total(2025), P53);
    cr_assert_eq(beta_total(0), P53);
    for (int i = 2; i < N_ACCOUNTS; i++)
        EXPECT_UNCHANGED_AFTER(review_entry(i, 20250112), GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_item, 1);
    cr_assert_eq(last.reply.err_line, 1);
    cr_assert(detail_has("fiscal year 2025") && detail_has("2^53") && detail_has("beta"), "%.*s",
              (int)last.reply.detail.len, last.reply.detail.ptr);
    /* not one cent more, nor in the next fiscal year (still open books) */
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, 20250201, "615000", "512000", 1), GL_ERR_YEAR_TOTAL_LIMIT);
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, 20260105, "615000", "512000", 1), GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert(detail_has("fiscal year 2026"));
    /* credit lines first: refused at the line whose running sum passes */
    gl_line_in l[3] = {{"512000", "", "", "", GL_SIDE_CREDIT, 1},
                       {"401000", "", "", "", GL_SIDE_CREDIT, 1},
                       {"615000", "", "", "", GL_SIDE_DEBIT, 2}};
    gl_entry_in e = {.tenant = "beta",
                     .journal = "OD",
                     .piece_ref = "P",
                     .label = "c",
                     .date = 20250301,
                     .piece_date = 20250301,
                     .line_count = 3,
                     .lines = l};
    gl_response_free(&last);
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_BETA, &e, 1, &last), GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_line, 1);
    /* a batch is refused whole, at the entry that passes */
    gl_line_in a[2], b[2];
    gl_entry_in two[2] = {h_entry2("beta", 20250110, "615000", "512000", 5, a),
                          h_entry2("beta", 20250110, "615000", "512000", 7, b)};
    gl_response_free(&last);
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_BETA, two, 2, &last), GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_item, 1);
    cr_assert_eq(beta_total(0), P53);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(year_cap, the_accountant_has_headroom_up_to_2_55_and_no_further)
{
    cr_assert_eq(review_entry(0, 20250110), GL_OK);
    cr_assert_eq(review_entry(1, 20250111), GL_OK);
    /* the accountant posts on the member's books after the member filled its cap */
    cr_assert_eq(post2(K_ACCOUNTANT, 20250120, "615000", "401000", P55 - P53), GL_OK);
    cr_assert_eq(beta_total(0), P55);
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, 20250121, "615000", "401000", 1),
                           GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_line, 1);
    cr_assert(detail_has("2^55") && detail_has("fiscal year 2025"), "%.*s",
              (int)last.reply.detail.len, last.reply.detail.ptr);
    /* a single line over the accountant's per-account cap is still total_limit */
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, 20250121, "615000", "401000", P56 + 1),
                           GL_ERR_TOTAL_LIMIT);
}

/* The member filled its cap, the accountant filled the books to 2^55 (all
 * charges: a deficit of 2^55, the largest result): the close still fits,
 * its year ends at exactly 2^56 and the open books do not grow; the
 * statements of both years print. */
Test(year_cap, the_accountant_closes_the_year_after_the_books_are_full)
{
    cr_assert_eq(review_entry(0, 20250110), GL_OK);
    cr_assert_eq(review_entry(1, 20250111), GL_OK);
    cr_assert_eq(post2(K_ACCOUNTANT, 20250120, "615000", "401000", P55 - P53), GL_OK);
    EXPECT_UNCHANGED_AFTER(review_entry(2, 20250112), GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(lock_through(202512), GL_OK);
    cr_assert_eq(close_year(2025), GL_OK, "%.*s", (int)last.reply.detail.len,
                 last.reply.detail.ptr);
    cr_assert_eq(h_balance(&h, "beta", "129000", 20260101), P55);
    cr_assert_eq(beta_total(2025), P56); /* its writes and the result entry */
    cr_assert_eq(beta_total(2026), P55); /* the à-nouveaux */
    cr_assert_eq(beta_total(0), P55);    /* 2025 left, the à-nouveaux came */
    /* the member writes nothing more: the carried balances fill its share */
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, 20260105, "615000", "512000", 1), GL_ERR_YEAR_TOTAL_LIMIT);

    char *out = malloc(1 << 20);
    cr_assert(out);
    for (const char *const *y = (const char *const[]){"2025", "2026", NULL}; *y; y++) {
        cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 20,
                           "statements --tenant beta --year %s --format csv", *y),
                     0, "statements %s: %s", *y, out);
        cr_assert(!strstr(out, "overflow"), "%s", out);
        cr_assert_eq(
            h_cli(&h, K_AUDITOR, out, 1 << 20, "statements --group --year %s --format csv", *y), 0,
            "group statements %s: %s", *y, out);
        cr_assert(!strstr(out, "overflow"), "%s", out);
    }
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, 1 << 20, "balance --tenant beta --at 2025-12-31 --format csv"), 0,
        "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 20, "group balance --at 2026-01-01 --format csv"),
                 0, "%s", out);
    cr_assert(!strstr(out, "overflow"), "%s", out);
    free(out);
    cr_assert_gt(h_verify_chains(&h), 0);
}

/* ---- the upgrade 1 -> 2 -> 3 of the previous releases' fixture ---------- */

static int run(char *out, size_t out_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t out_len, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* h on a copy of tests/fixtures/schema-1.tar.gz (see test_upgrade.c), its
 * daemon not started. */
static void fixture_setup(void)
{
    static const char *const names[] = {"alpha", "beta", "accountant", "auditor"};
    static const char rel[] = "tests/fixtures/schema-1.tar.gz";
    memset(&h, 0, sizeof h);
    cr_assert(sodium_init() >= 0);
    snprintf(h.dir, sizeof h.dir, "/tmp/gl-test-XXXXXX");
    cr_assert(mkdtemp(h.dir));
    char fixture[512], out[4096];
    struct stat sb;
    snprintf(fixture, sizeof fixture, "%s", rel);
    if (stat(fixture, &sb) != 0)
        snprintf(fixture, sizeof fixture, "%s/../%s", h_build_dir(), rel);
    cr_assert_eq(run(out, sizeof out, "tar -xzf '%s' -C '%s'", fixture, h.dir), 0, "%s", out);
    char dir[sizeof h.dir];
    memcpy(dir, h.dir, sizeof dir);
    snprintf(h.config, sizeof h.config, "%s/grandlivred.conf", dir);
    snprintf(h.endpoint, sizeof h.endpoint, "ipc://%s/data/grandlivred.sock", dir);
    h.opts.endpoint = h.endpoint;
    h.opts.daemon_extra = h.daemon_extra;
    for (int i = 0; i < 4; i++) {
        char err[256];
        snprintf(h.key_path[i], sizeof h.key_path[i], "%s/keys/%s.key", dir, names[i]);
        cr_assert(gl_key_load(h.key_path[i], &h.keys[i], err, sizeof err) == GL_OK, "%s", err);
    }
    h.absent[K_STRANGER] = true;
}

#define MAX_YEARS 64
struct year_sum {
    uint32_t tenant;
    uint16_t fy;
    int64_t debit, credit;
};
struct sums {
    size_t n;
    struct year_sum y[MAX_YEARS];
};

static void sums_add(struct sums *s, uint32_t tenant, uint16_t fy, int64_t debit, int64_t credit)
{
    size_t i = 0;
    while (i < s->n && !(s->y[i].tenant == tenant && s->y[i].fy == fy))
        i++;
    if (i == s->n) {
        cr_assert_lt(s->n, MAX_YEARS);
        s->y[s->n++] = (struct year_sum){tenant, fy, 0, 0};
    }
    s->y[i].debit += debit;
    s->y[i].credit += credit;
}

static bool sum_balances(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    cr_assert_eq(kl, 4 + 2 + GL_ACCOUNT_MAX);
    cr_assert_eq(vl, 16);
    sums_add(user, gl_rd32(k), gl_rd16(k + 4), (int64_t)gl_rd64(v), (int64_t)gl_rd64(v + 8));
    return true;
}

static bool read_year_totals(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    cr_assert_eq(kl, 6);
    cr_assert_eq(vl, 16);
    sums_add(user, gl_rd32(k), gl_rd16(k + 4), (int64_t)gl_rd64(v), (int64_t)gl_rd64(v + 8));
    return true;
}

struct closed_q {
    size_t n;
    uint32_t tenant[MAX_YEARS];
    uint16_t fy[MAX_YEARS];
};

static bool read_closed(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct closed_q *q = user;
    if (kl == 6 && gl_rd16(k + 4) != 0 && vl >= 1 && v[0]) {
        q->tenant[q->n] = gl_rd32(k);
        q->fy[q->n++] = gl_rd16(k + 4);
    }
    return q->n < MAX_YEARS;
}

/* The totals the ledger in h should hold: per year from the balances, and
 * per tenant the open books (fy 0) over the years periods does not close. */
static void expected_totals(struct sums *want)
{
    struct sums years = {0};
    struct closed_q closed = {0};
    h_db_each(&h, "balances", sum_balances, &years);
    h_db_each(&h, "periods", read_closed, &closed);
    *want = years;
    for (size_t i = 0; i < years.n; i++) {
        bool is_closed = false;
        for (size_t j = 0; j < closed.n; j++)
            is_closed |= closed.tenant[j] == years.y[i].tenant && closed.fy[j] == years.y[i].fy;
        if (!is_closed)
            sums_add(want, years.y[i].tenant, 0, years.y[i].debit, years.y[i].credit);
        else
            sums_add(want, years.y[i].tenant, 0, 0, 0);
    }
}

static void expect_totals_match(const char *when)
{
    struct sums want, got = {0};
    expected_totals(&want);
    h_db_each(&h, "year_totals", read_year_totals, &got);
    cr_assert_eq(got.n, want.n, "%s: %zu year_totals rows, %zu expected", when, got.n, want.n);
    for (size_t i = 0; i < want.n; i++) {
        bool found = false;
        for (size_t j = 0; j < got.n; j++)
            if (got.y[j].tenant == want.y[i].tenant && got.y[j].fy == want.y[i].fy) {
                found = true;
                cr_assert(got.y[j].debit == want.y[i].debit && got.y[j].credit == want.y[i].credit,
                          "%s: tenant %u fy %u: stored %lld/%lld, the balances give %lld/%lld",
                          when, want.y[i].tenant, want.y[i].fy, (long long)got.y[j].debit,
                          (long long)got.y[j].credit, (long long)want.y[i].debit,
                          (long long)want.y[i].credit);
                cr_assert_eq(got.y[j].debit, got.y[j].credit, "%s: unbalanced totals", when);
            }
        cr_assert(found, "%s: no row for tenant %u fy %u", when, want.y[i].tenant, want.y[i].fy);
    }
}

static void upgrade_teardown(void) { h_teardown(&h); }

TestSuite(year_cap_upgrade, .fini = upgrade_teardown, .timeout = 120);

Test(year_cap_upgrade, upgrade_computes_the_totals_of_an_existing_ledger_from_its_balances)
{
    fixture_setup();
    char out[8192];
    cr_assert_eq(run(out, sizeof out, "timeout 20 '%s/grandlivred' --upgrade -c '%s'",
                     h_build_dir(), h.config),
                 0, "%s", out);
    cr_assert(strstr(out, "schema 1 -> 2") && strstr(out, "schema 2 -> 3") &&
                  strstr(out, "year totals"),
              "the upgrade does not say what it did:\n%s", out);
    expect_totals_match("after the upgrade");
    /* the fixture closed one year (alpha 2024): its totals are out of the open books */
    struct closed_q closed = {0};
    h_db_each(&h, "periods", read_closed, &closed);
    cr_assert_gt(closed.n, 0, "the fixture closes no year");
    struct row_q year = {closed.tenant[0], closed.fy[0], false, 0, 0},
                 open = {closed.tenant[0], 0, false, 0, 0};
    h_db_each(&h, "year_totals", find_row, &year);
    h_db_each(&h, "year_totals", find_row, &open);
    cr_assert(year.found && open.found && year.debit > 0);
    /* the daemon keeps them in step: a new entry, a lock and a close */
    h_start(&h);
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "512000", "706000", 4321, lines);
    gl_response resp;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &resp), GL_OK);
    gl_response_free(&resp);
    expect_totals_match("after a new entry");
    h_stop(&h);
}
