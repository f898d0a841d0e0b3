/*
 * tests/integration/test_timesheets_cli.c — issue 19, `grandlivre
 * timesheets import|set|show` against the real daemon: a CSV file
 * recorded whole and shown back; a file with a bad line refused before
 * anything is sent (FILE: line N, ledger digest unchanged); a file whose
 * second sheet the daemon refuses leaves the first one as it was (put
 * back); the working time kept from one month to the next.
 */
#include "tests/support/harness.h"

#include "proto/analytic.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static int an_set(uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b->data, b->len, &r);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

/* The axes and codes. */
static void open_codes(void)
{
    static const char *const axes[] = {"salarie", "action"};
    static const char *const codes[][3] = {{"EMP1", "EMP2", "EMP3"}, {"FSE", "VILLE", "DEP"}};
    for (size_t a = 0; a < 2; a++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_an_axis_set_q q = {S(axes[a]), GL_AN_OPEN, S(axes[a])};
        gl_an_axis_set_q_encode(&b, &q);
        cr_assert_eq(an_set(GL_KIND_ANALYTIC_AXIS_SET, &b), GL_OK);
        for (size_t i = 0; i < 3; i++) {
            gl_buf_init(&b);
            gl_an_code_set_q cq = {S(axes[a]), S(codes[a][i]), GL_AN_OPEN, S(codes[a][i])};
            gl_an_code_set_q_encode(&b, &cq);
            cr_assert_eq(an_set(GL_KIND_ANALYTIC_CODE_SET, &b), GL_OK);
        }
    }
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "641000"};
    h_open_accounts(&h, "alpha", accounts, 2);
    open_codes();
}
static void teardown(void) { h_teardown(&h); }

TestSuite(timesheets_cli, .init = setup, .fini = teardown, .timeout = 240);

static void write_file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static void show(const char *employee, char *out, size_t cap)
{
    int rc = h_cli(&h, K_ACCOUNTANT, out, cap,
                   "timesheets show --tenant alpha --year 2026 --format csv%s%s",
                   employee ? " --employee " : "", employee ? employee : "");
    cr_assert_eq(rc, 0);
}

Test(timesheets_cli, a_file_is_recorded_and_shown_back)
{
    char path[512], out[4096], err[4096];
    write_file("hours.csv",
               "employee;month;action;hours;working time\n"
               "emp1;2026-03;fse;7,5;80\n"
               "EMP1;2026-03;VILLE;1:15;80\n"
               "EMP2;2026-03;DEP;100\n"
               "EMP2;2026-04;DEP;0.05\n",
               path, sizeof path);
    int rc =
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "timesheets import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "3 time sheets recorded"), "%s", out);
    show(NULL, out, sizeof out);
    cr_expect_str_eq(out,
                     "employee,month,working_time,action,hours,minutes\n"
                     "EMP1,2026-03,80.0 %,FSE,7:30,450\n"
                     "EMP1,2026-03,80.0 %,VILLE,1:15,75\n"
                     "EMP2,2026-03,100.0 %,DEP,100:00,6000\n"
                     "EMP2,2026-04,100.0 %,DEP,0:03,3\n");
    show("emp2", out, sizeof out);
    cr_expect(strstr(out, "EMP2,2026-04") && !strstr(out, "EMP1"), "%s", out);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out,
               "timesheets show --tenant alpha --year 2026 --format json");
    cr_assert_eq(rc, 0);
    cr_expect(strstr(out, "\"minutes\": 450") || strstr(out, "\"minutes\":450"), "%s", out);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(timesheets_cli, a_bad_line_refuses_the_file_before_anything_is_sent)
{
    char path[512], err[4096];
    write_file("bad.csv",
               "EMP1;2026-03;FSE;7,5\n"
               "EMP1;2026-03;VILLE;2\n"
               "EMP2;2026-03;DEP;1,01\n",
               path, sizeof path);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    int rc = h_cli(&h, K_ACCOUNTANT, NULL, 0, "timesheets import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, 2, "%s", err);
    cr_expect(strstr(err, "bad.csv: error 977 timesheet_csv: line 3: hours 1,01"), "%s", err);
    h_digest(&h, after);
    cr_expect(!memcmp(before, after, 32), "a refused file changed the ledger");
}

Test(timesheets_cli, a_sheet_the_daemon_refuses_puts_the_others_back)
{
    char path[512], out[4096], err[4096];
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "timesheets set --tenant alpha EMP1 2026-01 FSE=10"), 0);
    /* EMP1's January replaced, then EMP2's February of 300 h: 492 */
    write_file("over.csv",
               "EMP1;2026-01;VILLE;5\n"
               "EMP1;2026-02;VILLE;5\n"
               "EMP2;2026-02;FSE;300\n",
               path, sizeof path);
    int rc = h_cli(&h, K_ACCOUNTANT, NULL, 0, "timesheets import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, 1, "%s", err);
    cr_expect(strstr(err, "492") && strstr(err, "over.csv:3: EMP2 2026-02"), "%s", err);
    cr_expect(strstr(err, "the 2 sheets already sent were put back"), "%s", err);
    show(NULL, out, sizeof out);
    cr_expect_str_eq(out,
                     "employee,month,working_time,action,hours,minutes\n"
                     "EMP1,2026-01,100.0 %,FSE,10:00,600\n");
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(timesheets_cli, the_working_time_is_kept_from_month_to_month)
{
    char out[4096], err[4096];
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "timesheets set --tenant alpha EMP3 2026-01 FSE=7,5 DEP=1 --basis 80%%");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "8:30 h, working time 80.0 %"), "%s", out);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "timesheets set --tenant alpha EMP3 2026-02 FSE=3"), 0);
    show("EMP3", out, sizeof out);
    cr_expect(strstr(out, "EMP3,2026-02,80.0 %,FSE,3:00"), "%s", out);
    /* hours out of their rule: 978, nothing sent */
    rc = h_cli(&h, K_ACCOUNTANT, NULL, 0, "timesheets set --tenant alpha EMP3 2026-02 FSE=3,333");
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "978 hours_text"), "%s", err);
    /* a basis out of its rule: refused by the client */
    rc = h_cli(&h, K_ACCOUNTANT, NULL, 0,
               "timesheets set --tenant alpha EMP3 2026-02 FSE=3 --basis 120");
    cr_expect_eq(rc, 2);
}
