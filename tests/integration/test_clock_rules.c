/*
 * tests/integration/test_clock_rules.c — the rules that read the daemon's
 * clock (issue 13 items 4-6), against the real daemon: a lock never runs
 * ahead of the current month, a first `--period` lock never locks earlier
 * months silently, entries are refused after the end of the fiscal year that
 * follows the current one (per tenant: future_years), a month still
 * unlocked after the end of the following month is flagged by PERIODS and
 * in the warning of a successful post into it, and a reversal is never
 * dated before the entry it reverses (the CLI's default is the original's
 * date).  Then the CLI's lock: its summary, its question on a terminal (a
 * pseudo-terminal here, answered y and n; the text a person would have seen
 * is kept in $GL_BUILD/test-output/), and --yes without one.
 *
 * The daemon stamps each request with its own clock and tests cannot move
 * it: every date here is computed from the real clock in French time, the
 * way the daemon does (gl_date_paris), so the tests hold whatever today is.
 * A test that straddles a change of month in France (at midnight, Paris
 * time) could see the daemon's month differ from its own: it is then
 * skipped rather than failed.
 */
#include "tests/support/harness.h"

#include "proto/date.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static harness h;
static const char *const chart[] = {"102000", "512000", "606100", "706000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
    h_open_accounts(&h, "gamma", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(clock_rules, .init = setup, .fini = teardown, .timeout = 120);
TestSuite(lock_cli, .init = setup, .fini = teardown, .timeout = 120);

/* ---- the French calendar, from the real clock ---- */

static uint32_t paris_today(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return gl_date_paris((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static uint32_t month_add(uint32_t ym, int n)
{
    int m = (int)(ym / 100) * 12 + (int)(ym % 100) - 1 + n;
    return (uint32_t)(m / 12 * 100 + m % 12 + 1);
}

/* The month this test started in; a refusal or acceptance that depends on
 * the month is only asserted while it is still the daemon's month. */
static uint32_t start_ym;
static void month_start(void) { start_ym = paris_today() / 100; }
static void month_still_same(void)
{
    if (paris_today() / 100 != start_ym)
        cr_skip_test("the month changed in France during the test");
}

/* ---- requests ---- */

static int lock(uint32_t ym, uint8_t mode, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q q = {ym, mode};
    gl_lock_q_encode(&b, &q);
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_LOCK, "alpha", 0, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

static int lock_st(const char *tenant, uint32_t ym, uint8_t mode)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q q = {ym, mode};
    gl_lock_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_LOCK, tenant, 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

/* Post one two-line entry; the reply's detail (a warning on success) is
 * copied into detail when not NULL. */
static int post_in(const char *tenant, uint32_t date, char *detail, size_t detail_len)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2(tenant, date, "606100", "512000", 1234, l);
    gl_response r;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    if (detail)
        snprintf(detail, detail_len, "%.*s", (int)r.reply.detail.len,
                 r.reply.detail.ptr ? r.reply.detail.ptr : "");
    gl_response_free(&r);
    return st;
}

static int post(const char *tenant, uint32_t date) { return post_in(tenant, date, NULL, 0); }

#define EXPECT_UNCHANGED(expr, status)                                            \
    do {                                                                          \
        uint8_t d0_[32], d1_[32];                                                 \
        h_digest(&h, d0_);                                                        \
        int st_ = (expr);                                                         \
        h_digest(&h, d1_);                                                        \
        cr_assert_eq(st_, status, "got %d %s, want %s", st_, gl_status_name(st_), \
                     gl_status_name(status));                                     \
        cr_assert(!memcmp(d0_, d1_, 32), "the ledger changed after a refusal");   \
    } while (0)

/* ---- item 4: locks cannot run ahead ---- */

Test(clock_rules, a_lock_beyond_the_current_month_is_refused)
{
    month_start();
    uint32_t now_ym = start_ym;
    gl_response r;
    EXPECT_UNCHANGED(lock(month_add(now_ym, 1), GL_LOCK_THROUGH, &r), GL_ERR_LOCK_AHEAD);
    month_still_same();
    cr_assert(r.reply.detail.len && strstr(r.reply.detail.ptr, "current month"), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    EXPECT_UNCHANGED(lock(205201, GL_LOCK_THROUGH, &r),
                     GL_ERR_LOCK_AHEAD); /* the 2052-01 */
    gl_response_free(&r);
    int st = lock(now_ym, GL_LOCK_THROUGH, &r);
    gl_response_free(&r);
    month_still_same();
    cr_assert_eq(st, GL_OK, "locking through the current month: %s", gl_status_name(st));
    /* the next month, one at a time, is still ahead */
    EXPECT_UNCHANGED(lock(month_add(now_ym, 1), GL_LOCK_NEXT_ONLY, &r), GL_ERR_LOCK_AHEAD);
    gl_response_free(&r);
    month_still_same();
}

Test(clock_rules, a_first_period_lock_does_not_lock_earlier_months_silently)
{
    cr_assert_eq(post("alpha", 20250115), GL_OK);
    cr_assert_eq(post("alpha", 20250310), GL_OK);
    gl_response r;
    /* nothing locked yet: --period 2025-03 would lock January and February too */
    EXPECT_UNCHANGED(lock(202503, GL_LOCK_NEXT_ONLY, &r), GL_ERR_LOCK_ORDER);
    cr_assert(r.reply.detail.len && strstr(r.reply.detail.ptr, "2025-01"), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    cr_assert_eq(lock(202501, GL_LOCK_NEXT_ONLY, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(lock(202502, GL_LOCK_NEXT_ONLY, &r), GL_OK);
    gl_response_free(&r);
    EXPECT_UNCHANGED(lock(202504, GL_LOCK_NEXT_ONLY, &r), GL_ERR_LOCK_ORDER);
    gl_response_free(&r);
}

Test(clock_rules, a_first_period_lock_starts_the_books)
{
    /* an entry in fiscal year 2024: the first month to lock is 2024-01 */
    cr_assert_eq(post("alpha", 20240620), GL_OK);
    gl_response r;
    EXPECT_UNCHANGED(lock(202501, GL_LOCK_NEXT_ONLY, &r), GL_ERR_LOCK_ORDER);
    gl_response_free(&r);
    /* named months are not silent: --through locks them all */
    cr_assert_eq(lock(202501, GL_LOCK_THROUGH, &r), GL_OK);
    gl_response_free(&r);
    /* gamma, fiscal years from July, no entries: its first period is a July */
    EXPECT_UNCHANGED(lock_st("gamma", 202501, GL_LOCK_NEXT_ONLY), GL_ERR_LOCK_ORDER);
    cr_assert_eq(lock_st("gamma", 202407, GL_LOCK_NEXT_ONLY), GL_OK);
}

/* ---- item 5: dates in range ---- */

Test(clock_rules, entries_after_the_next_fiscal_year_are_refused)
{
    month_start();
    uint32_t today = paris_today();
    /* alpha: calendar years */
    uint16_t fy = gl_fiscal_year(today, 1);
    uint32_t last_ok = gl_fiscal_year_end((uint16_t)(fy + 1), 1);
    EXPECT_UNCHANGED(post("alpha", gl_date_next(last_ok)), GL_ERR_DATE_AHEAD);
    EXPECT_UNCHANGED(post("alpha", (uint32_t)(fy + 3) * 10000 + 101),
                     GL_ERR_DATE_AHEAD); /* 3 years ahead */
    int st = post("alpha", last_ok);
    month_still_same();
    cr_assert_eq(st, GL_OK, "the last day of next year: %s", gl_status_name(st));
    cr_assert_eq(post("alpha", (uint32_t)(fy + 1) * 10000 + 101), GL_OK);
    /* gamma: fiscal years from July */
    uint16_t gfy = gl_fiscal_year(today, 7);
    uint32_t glast = gl_fiscal_year_end((uint16_t)(gfy + 1), 7);
    EXPECT_UNCHANGED(post("gamma", gl_date_next(glast)), GL_ERR_DATE_AHEAD);
    st = post("gamma", glast);
    month_still_same();
    cr_assert_eq(st, GL_OK, "gamma, last day of its next fiscal year: %s", gl_status_name(st));
}

Test(clock_rules, future_years_is_set_per_tenant)
{
    month_start();
    strcpy(h.extra_config,
           "\n[tenant delta]\nname = Delta\nsiren = 444444444\nfuture_years = 0\n"
           "\n[tenant epsilon]\nname = Epsilon\nsiren = 555555555\nfuture_years = 3\n");
    cr_assert(h_reload(&h));
    h_open_accounts(&h, "delta", chart, sizeof chart / sizeof chart[0]);
    h_open_accounts(&h, "epsilon", chart, sizeof chart / sizeof chart[0]);
    uint32_t today = paris_today();
    uint16_t fy = gl_fiscal_year(today, 1);
    /* delta: nothing after the current year */
    EXPECT_UNCHANGED(post("delta", (uint32_t)(fy + 1) * 10000 + 101), GL_ERR_DATE_AHEAD);
    cr_assert_eq(post("delta", (uint32_t)fy * 10000 + 1231), GL_OK);
    /* epsilon: three years ahead */
    cr_assert_eq(post("epsilon", (uint32_t)(fy + 3) * 10000 + 1231), GL_OK);
    EXPECT_UNCHANGED(post("epsilon", (uint32_t)(fy + 4) * 10000 + 101), GL_ERR_DATE_AHEAD);
    month_still_same();
}

Test(clock_rules, a_post_into_an_overdue_month_succeeds_with_a_warning)
{
    month_start();
    uint32_t now_ym = start_ym;
    char detail[GL_DETAIL_MAX + 1];
    /* two months back: the end of the following month has passed */
    uint32_t late = month_add(now_ym, -2);
    cr_assert_eq(post_in("alpha", late * 100 + 15, detail, sizeof detail), GL_OK);
    month_still_same();
    char ym[8];
    snprintf(ym, sizeof ym, "%04u-%02u", late / 100, late % 100);
    cr_assert(strstr(detail, "clôture en retard") && strstr(detail, ym), "warning: '%s'", detail);
    /* last month and this month are within their deadline: no warning */
    cr_assert_eq(post_in("alpha", month_add(now_ym, -1) * 100 + 15, detail, sizeof detail), GL_OK);
    cr_assert_str_eq(detail, "");
    cr_assert_eq(post_in("alpha", now_ym * 100 + 1, detail, sizeof detail), GL_OK);
    cr_assert_str_eq(detail, "");
    /* the client prints the warning on standard error and succeeds */
    char path[400], json[600];
    snprintf(path, sizeof path, "%s/late.json", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    snprintf(
        json, sizeof json,
        "{\"entries\": [{\"tenant\": \"alpha\", \"date\": \"%04u-%02u-20\", \"journal\": \"OD\", \"piece\": \"X\","
        " \"piece_date\": \"%04u-%02u-20\", \"label\": \"late\", \"lines\": [{\"account\": \"606100\","
        " \"debit\": \"1.00\"}, {\"account\": \"512000\", \"credit\": \"1.00\"}]}]}",
        late / 100, late % 100, late / 100, late % 100);
    fputs(json, f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "post --tenant alpha '%s'", path), 0);
    char err_path[400], err[8192] = "";
    snprintf(err_path, sizeof err_path, "%s/cli.err", h.dir);
    f = fopen(err_path, "r");
    cr_assert(f);
    err[fread(err, 1, sizeof err - 1, f)] = '\0';
    fclose(f);
    cr_assert(strstr(err, "grandlivre: warning: ") && strstr(err, "clôture en retard"),
              "stderr: %s", err);
    /* once locked, nothing more is posted there, and no warning for last month */
    gl_response r;
    cr_assert_eq(lock(late, GL_LOCK_THROUGH, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post_in("alpha", month_add(now_ym, -1) * 100 + 16, detail, sizeof detail), GL_OK);
    cr_assert_str_eq(detail, "");
    month_still_same();
}

/* The two fields PERIODS appends after its rows. */
static void periods_overdue(const char *tenant, uint32_t *from, uint32_t *through)
{
    gl_response r;
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_PERIODS, tenant, 0, NULL, 0, &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    gl_get_str8(&c, 255);
    gl_get_str8(&c, 255);
    gl_get_u8(&c);
    gl_get_str8(&c, 255);
    gl_get_u32(&c);
    uint16_t n = gl_get_u16(&c);
    gl_get_bytes(&c, 33u * n);
    *from = gl_get_u32(&c);
    *through = gl_get_u32(&c);
    cr_assert_eq(gl_cur_end(&c), GL_OK, "PERIODS ends with overdue_from, overdue_through");
    gl_response_free(&r);
}

Test(clock_rules, periods_flags_months_unlocked_after_their_deadline)
{
    month_start();
    uint32_t from, through;
    periods_overdue("alpha", &from, &through);
    cr_assert(from == 0 && through == 0, "no books, nothing overdue");
    cr_assert_eq(post("alpha", 20250310), GL_OK);
    periods_overdue("alpha", &from, &through);
    month_still_same();
    cr_assert_eq(from, 202501);
    cr_assert_eq(through, month_add(start_ym, -2));
    char out[8192];
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "periods --tenant alpha"), 0);
    cr_assert(strstr(out, "clôture en retard"), "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "periods --tenant alpha --format csv"), 0);
    cr_assert(strstr(out, ",overdue") && strstr(out, "2025-01..2025-12"), "%s", out);
    /* statements and exports still read the reply (trailing fields) */
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "export hledger --tenant alpha --year 2025"), 0);
    /* locked through two months back: nothing is overdue */
    gl_response r;
    cr_assert_eq(lock(month_add(start_ym, -2), GL_LOCK_THROUGH, &r), GL_OK);
    gl_response_free(&r);
    periods_overdue("alpha", &from, &through);
    cr_assert(from == 0 && through == 0, "%u %u", from, through);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "periods --tenant alpha"), 0);
    cr_assert_null(strstr(out, "clôture en retard"), "%s", out);
    month_still_same();
}

/* ---- item 6: reversal dates ---- */

static int reverse_on(uint32_t date, uint32_t num)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", date, "512000", "606100", 1234, l);
    e.reverses_fy = 2025;
    e.reverses_num = num;
    gl_response r;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    gl_response_free(&r);
    return st;
}

Test(clock_rules, a_reversal_is_never_dated_before_the_original)
{
    cr_assert_eq(post("alpha", 20250214), GL_OK); /* 2025/1 */
    EXPECT_UNCHANGED(reverse_on(20250213, 1), GL_ERR_REVERSAL_EARLY);
    EXPECT_UNCHANGED(reverse_on(20250101, 1), GL_ERR_REVERSAL_EARLY);
    cr_assert_eq(reverse_on(20250301, 1), GL_OK); /* a later date */
}

static long read_file(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (long)n;
}

Test(clock_rules, reverse_defaults_to_the_original_date)
{
    cr_assert_eq(post("alpha", 20250110), GL_OK); /* 2025/1 */
    cr_assert_eq(post("alpha", 20250214), GL_OK); /* 2025/2 */
    char out[8192];
    /* the scenario: no --date no longer lands in today's year */
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "reverse --tenant alpha 2025/2"), 0);
    cr_assert(strstr(out, "2025/3"), "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "entry --tenant alpha 2025/3"), 0);
    cr_assert(strstr(out, "2025-02-14") && strstr(out, "reverses 2025/2"), "%s", out);
    cr_assert_eq(post("alpha", 20250310), GL_OK); /* 2025/4 */
    /* the original's period locked: the client asks for a date */
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --tenant alpha --through 2025-01 --yes"),
                 0);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "reverse --tenant alpha 2025/1"), 2);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
    char err_path[400], err[8192];
    snprintf(err_path, sizeof err_path, "%s/cli.err", h.dir);
    cr_assert_gt(read_file(err_path, err, sizeof err), 0);
    cr_assert(strstr(err, "--date") && strstr(err, "2025-01-10"), "%s", err);
    /* a date before the original's is refused by the daemon */
    h_digest(&h, d0);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "reverse --tenant alpha 2025/4 --date 2025-03-09"), 1);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
    /* an explicit later date is accepted */
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "reverse --tenant alpha 2025/1 --date 2025-03-02"),
        0);
    cr_assert(strstr(out, "2025/5"), "%s", out);
}

/* ---- the CLI's lock: summary, question, --yes ---- */

Test(lock_cli, without_a_terminal_lock_needs_yes)
{
    cr_assert_eq(post("alpha", 20250110), GL_OK);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --tenant alpha --through 2025-01 </dev/null"), 2);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "nothing may be locked without --yes");
    char err_path[400], err[8192];
    snprintf(err_path, sizeof err_path, "%s/cli.err", h.dir);
    cr_assert_gt(read_file(err_path, err, sizeof err), 0);
    cr_assert(strstr(err, "--yes"), "%s", err);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "lock --tenant alpha --through 2025-01 --yes </dev/null"),
                 0);
    cr_assert(strstr(out, "locked through 2025-01"), "%s", out);
}

/* Run the CLI with its standard input, output and error on a new
 * pseudo-terminal; once `prompt` has appeared, type `answer`.  Returns its
 * exit status; what the terminal showed (the answer echoed) is in out and
 * in $GL_BUILD/test-output/<capture>. */
static int run_on_terminal(const char *args, const char *prompt, const char *answer, char *out,
                           size_t out_len, const char *capture)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    cr_assert(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    char slave[128];
    cr_assert_eq(ptsname_r(master, slave, sizeof slave), 0);
    char server_key[65], cmd[4096];
    gl_hex(h.server_pk, 32, server_key);
    snprintf(
        cmd, sizeof cmd,
        "GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' GRANDLIVRE_SERVER_KEY='%s' exec '%s/grandlivre' %s",
        h.endpoint, h.key_path[K_ACCOUNTANT], server_key, h_build_dir(), args);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setsid();
        int fd = open(slave, O_RDWR); /* becomes the controlling terminal */
        if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    size_t n = 0;
    bool answered = false;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        long left_ms = 60000 - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
        if (left_ms <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd p = {master, POLLIN, 0};
        if (poll(&p, 1, (int)left_ms) <= 0)
            continue;
        ssize_t r = read(master, out + n, out_len - 1 - n);
        if (r <= 0)
            break; /* EIO: the terminal's last user is gone */
        n += (size_t)r;
        out[n] = '\0';
        if (!answered && strstr(out, prompt)) {
            cr_assert_eq(write(master, answer, strlen(answer)), (ssize_t)strlen(answer));
            answered = true;
        }
        if (n == out_len - 1)
            break;
    }
    out[n] = '\0';
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    close(master);
    char dir[400], path[500];
    snprintf(dir, sizeof dir, "%s/test-output", h_build_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s", dir, capture);
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "$ grandlivre %s\n", args);
        for (const char *o = out; *o; o++)
            if (*o != '\r') /* the terminal's CR LF, kept as LF */
                fputc(*o, f);
        fclose(f);
    }
    cr_assert(answered, "the question never came: %s", out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void post_three(void)
{
    cr_assert_eq(post("alpha", 20250110), GL_OK);
    cr_assert_eq(post("alpha", 20250120), GL_OK);
    cr_assert_eq(post("alpha", 20250205), GL_OK);
}

Test(lock_cli, on_a_terminal_lock_shows_what_it_locks_and_asks)
{
    post_three();
    char out[8192];
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    int rc = run_on_terminal("lock --tenant alpha --through 2025-03", "[y/N]", "n\n", out,
                             sizeof out, "lock-prompt-no.txt");
    h_digest(&h, d1);
    cr_assert_eq(rc, 1, "answering no: %s", out);
    cr_assert(!memcmp(d0, d1, 32), "answering no locked something");
    cr_assert(strstr(out, "nothing locked"), "%s", out);
    /* what it showed: each month and its entries, the total, the months
     * still unlocked before the one named */
    cr_assert(strstr(out, "2025-01") && strstr(out, "2 entries"), "%s", out);
    cr_assert(strstr(out, "2025-02") && strstr(out, "1 entry"), "%s", out);
    cr_assert(strstr(out, "2025-03") && strstr(out, "0 entries"), "%s", out);
    cr_assert(strstr(out, "3 months, 3 entries"), "%s", out);
    cr_assert(strstr(out, "still unlocked before 2025-03: 2025-01 to 2025-02"), "%s", out);

    rc = run_on_terminal("lock --tenant alpha --through 2025-03", "[y/N]", "y\n", out, sizeof out,
                         "lock-prompt-yes.txt");
    cr_assert_eq(rc, 0, "answering yes: %s", out);
    cr_assert(strstr(out, "locked through 2025-03"), "%s", out);
    /* the next month alone: nothing unlocked before it */
    rc = run_on_terminal("lock --tenant alpha --period 2025-04", "[y/N]", "y\n", out, sizeof out,
                         "lock-prompt-period.txt");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "2025-04") && strstr(out, "1 month, 0 entries"), "%s", out);
    cr_assert_null(strstr(out, "still unlocked"), "%s", out);
}
