/*
 * tests/integration/test_timesheets.c — issue 19, time sheets through the
 * real daemon: TIMESHEET_SET (53) replaces an employee's month (count 0
 * clears it), each change a TIMESHEET event (22), the same sheet again
 * nothing; TIMESHEETS (54) lists a fiscal year's sheets in (employee,
 * month) order.  Every refusal — 491 the year beyond 1,720 h pro rata of
 * the mean basis of its sheets (the detail gives both figures), 492 a
 * month beyond 1.5 twelfths, 493 a basis out of 1..1000, 494 a month of a
 * closed year, 495 a field out of its rule, 484/485 axes and codes not
 * open, 301 an auditor writing — leaves the ledger digest unchanged.  The
 * offline verifier finds forged archives (forge_support.h).
 */
#include "tests/integration/bank_support.h"
#include "tests/integration/forge_support.h"
#include "tests/support/harness.h"

#include "proto/analytic.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/timesheet.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;
static uint8_t digest_before[32];
static char detail[512];

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* The accountant's request of that kind with body b (freed): its status,
 * the reply's detail in `detail`. */
static int call(enum h_key k, const char *tenant, uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, k, kind, tenant, 0, b->data, b->len, &r);
    snprintf(detail, sizeof detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

static int axis_open(const char *axis)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_axis_set_q q = {S(axis), GL_AN_OPEN, S(axis)};
    gl_an_axis_set_q_encode(&b, &q);
    return call(K_ACCOUNTANT, "alpha", GL_KIND_ANALYTIC_AXIS_SET, &b);
}

static int code_set(const char *axis, const char *code, uint8_t state)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_code_set_q q = {S(axis), S(code), state, S(code)};
    gl_an_code_set_q_encode(&b, &q);
    return call(K_ACCOUNTANT, "alpha", GL_KIND_ANALYTIC_CODE_SET, &b);
}

/* Axes salarie and action with EMP1, EMP2, EMP10 and FSE, VILLE, DEP. */
static void open_codes(void)
{
    cr_assert_eq(axis_open("salarie"), GL_OK, "%s", detail);
    cr_assert_eq(axis_open("action"), GL_OK, "%s", detail);
    static const char *const emps[] = {"EMP1", "EMP2", "EMP10"}, *const acts[] = {"FSE", "VILLE",
                                                                                  "DEP"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(code_set("salarie", emps[i], GL_AN_OPEN), GL_OK, "%s", detail);
        cr_assert_eq(code_set("action", acts[i], GL_AN_OPEN), GL_OK, "%s", detail);
    }
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "706000", "641000",
                                           "110000", "120000", "129000"};
    h_open_accounts(&h, "alpha", accounts, 6);
    h_open_accounts(&h, "beta", accounts, 2);
    open_codes();
}
static void teardown(void) { h_teardown(&h); }

TestSuite(timesheets, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(timesheets_refused, .init = setup, .fini = teardown, .timeout = 240);

static void before(void) { h_digest(&h, digest_before); }

static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "a refused request changed the ledger");
    cr_assert_gt(h_verify_chains(&h), 0);
}

/* "ACTION=MINUTES,..." into a TIMESHEET_SET body. */
static void sheet_body(gl_buf *b, const char *emp, uint32_t month, uint16_t basis, const char *rows)
{
    gl_buf_init(b);
    char copy[512];
    snprintf(copy, sizeof copy, "%s", rows);
    gl_ts_row r[GL_TS_ROWS_MAX + 2];
    uint16_t n = 0;
    for (char *save, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        cr_assert(eq);
        *eq = '\0';
        r[n++] = (gl_ts_row){S(tok), (uint32_t)strtoul(eq + 1, NULL, 10)};
    }
    gl_ts_head_put(b, S(emp), month, basis, n);
    for (uint16_t i = 0; i < n; i++)
        gl_ts_row_put(b, &r[i]);
    cr_assert(gl_buf_ok(b));
}

static int set_as(enum h_key k, const char *tenant, const char *emp, uint32_t month, uint16_t basis,
                  const char *rows)
{
    gl_buf b;
    sheet_body(&b, emp, month, basis, rows);
    return call(k, tenant, GL_KIND_TIMESHEET_SET, &b);
}

static int set(const char *emp, uint32_t month, uint16_t basis, const char *rows)
{
    return set_as(K_ACCOUNTANT, "alpha", emp, month, basis, rows);
}

/* TIMESHEETS as "EMP:YYYYMM:basis:ACTION=MIN,...;" per sheet. */
static int list_as(enum h_key k, const char *tenant, uint16_t year, const char *emp, char *out,
                   size_t cap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_ts_list_q q = {year, S(emp)};
    gl_ts_list_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, k, GL_KIND_TIMESHEETS, tenant, 0, b.data, b.len, &r);
    gl_buf_free(&b);
    out[0] = '\0';
    if (st == GL_OK) {
        gl_ts_reply_iter it;
        gl_timesheet s;
        cr_assert_eq(gl_ts_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
        int rs;
        while ((rs = gl_ts_reply_next(&it, &s)) == GL_OK) {
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%.*s:%u:%u:", (int)s.employee.len, s.employee.ptr,
                     (unsigned)s.month, (unsigned)s.basis_per_mille);
            size_t pos = 0;
            gl_ts_row row;
            for (int i = 0; gl_ts_rows_next(&s, &pos, &row); i++) {
                used = strlen(out);
                snprintf(out + used, cap - used, "%s%.*s=%u", i ? "," : "", (int)row.action.len,
                         row.action.ptr, (unsigned)row.minutes);
            }
            used = strlen(out);
            snprintf(out + used, cap - used, ";");
        }
        cr_assert_eq(rs, GL_ERR_NOT_FOUND);
    }
    gl_response_free(&r);
    return st;
}

static int list(uint16_t year, const char *emp, char *out, size_t cap)
{
    return list_as(K_ACCOUNTANT, "alpha", year, emp, out, cap);
}

Test(timesheets, sheets_are_set_replaced_cleared_and_listed_in_order)
{
    char out[2048];
    cr_assert_eq(set("EMP2", 202603, 1000, "FSE=600,VILLE=90"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP10", 202601, 800, "DEP=60"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202602, 1000, "FSE=30"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202601, 1000, "VILLE=45"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202701, 1000, "VILLE=45"), GL_OK, "%s", detail);
    cr_assert_eq(list(2026, "", out, sizeof out), GL_OK);
    cr_expect_str_eq(out,
                     "EMP1:202601:1000:VILLE=45;EMP1:202602:1000:FSE=30;"
                     "EMP10:202601:800:DEP=60;EMP2:202603:1000:FSE=600,VILLE=90;");
    cr_assert_eq(list(2026, "EMP1", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "EMP1:202601:1000:VILLE=45;EMP1:202602:1000:FSE=30;");
    cr_assert_eq(list(2027, "", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "EMP1:202701:1000:VILLE=45;");
    /* a replacement, then a clear */
    cr_assert_eq(set("EMP2", 202603, 500, "DEP=10"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202601, 1000, ""), GL_OK, "%s", detail);
    cr_assert_eq(list(2026, "", out, sizeof out), GL_OK);
    cr_expect_str_eq(out,
                     "EMP1:202602:1000:FSE=30;EMP10:202601:800:DEP=60;EMP2:202603:500:DEP=10;");
    cr_assert_eq(list(2025, "", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "");
    cr_assert_eq(list(2026, "EMP3", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "");
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(timesheets, the_same_sheet_again_and_an_empty_clear_write_nothing)
{
    cr_assert_eq(set("EMP1", 202603, 1000, "FSE=600"), GL_OK, "%s", detail);
    long events = h_verify_chains(&h);
    cr_assert_gt(events, 0);
    cr_assert_eq(set("EMP1", 202603, 1000, "FSE=600"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202604, 1000, ""), GL_OK, "%s", detail);
    cr_expect_eq(h_verify_chains(&h), events, "no event for an unchanged sheet");
    /* a different basis is a change */
    cr_assert_eq(set("EMP1", 202603, 900, "FSE=600"), GL_OK, "%s", detail);
    cr_expect_eq(h_verify_chains(&h), events + 1);
}

Test(timesheets, a_member_writes_its_own_and_an_auditor_reads)
{
    char out[256];
    cr_assert_eq(set_as(K_ALPHA, "alpha", "EMP1", 202603, 1000, "FSE=60"), GL_OK, "%s", detail);
    cr_assert_eq(list_as(K_AUDITOR, "alpha", 2026, "", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "EMP1:202603:1000:FSE=60;");
    cr_assert_eq(list_as(K_BETA, "beta", 2026, "", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "");
}

Test(timesheets, a_fiscal_year_that_is_not_the_calendar_year_is_listed_by_its_months)
{
    /* the harness's tenants start their years in January: 2026's months */
    char out[256];
    cr_assert_eq(set("EMP1", 202512, 1000, "FSE=60"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202612, 1000, "FSE=60"), GL_OK, "%s", detail);
    cr_assert_eq(list(2026, "EMP1", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "EMP1:202612:1000:FSE=60;");
}

Test(timesheets_refused, an_auditor_or_another_member_writes_nothing)
{
    before();
    cr_expect_eq(set_as(K_AUDITOR, "alpha", "EMP1", 202603, 1000, "FSE=60"), GL_ERR_FORBIDDEN_ROLE);
    cr_expect_eq(set_as(K_BETA, "alpha", "EMP1", 202603, 1000, "FSE=60"), GL_ERR_FORBIDDEN_TENANT);
    unchanged();
}

Test(timesheets_refused, a_basis_out_of_1_to_1000_is_493)
{
    before();
    cr_expect_eq(set("EMP1", 202603, 0, "FSE=60"), GL_ERR_TIMESHEET_BASIS, "%s", detail);
    cr_expect_eq(set("EMP1", 202603, 1001, "FSE=60"), GL_ERR_TIMESHEET_BASIS, "%s", detail);
    cr_expect(strstr(detail, "1001"), "%s", detail);
    unchanged();
}

Test(timesheets_refused, fields_out_of_their_rule_are_495)
{
    before();
    cr_expect_eq(set("EMP1", 202613, 1000, "FSE=60"), GL_ERR_TIMESHEET_INVALID);
    cr_expect(strstr(detail, "202613"), "%s", detail);
    cr_expect_eq(set("emp1", 202603, 1000, "FSE=60"), GL_ERR_TIMESHEET_INVALID);
    cr_expect_eq(set("EMP1", 202603, 1000, "VILLE=60,FSE=60"), GL_ERR_TIMESHEET_INVALID);
    cr_expect(strstr(detail, "row 2"), "%s", detail);
    cr_expect_eq(set("EMP1", 202603, 1000, "FSE=60,FSE=60"), GL_ERR_TIMESHEET_INVALID);
    cr_expect_eq(set("EMP1", 202603, 1000, "FSE=0"), GL_ERR_TIMESHEET_INVALID);
    cr_expect(strstr(detail, "0 minutes"), "%s", detail);
    char out[64];
    cr_expect_eq(list(1899, "", out, sizeof out), GL_ERR_TIMESHEET_INVALID);
    cr_expect_eq(list(2026, "emp", out, sizeof out), GL_ERR_TIMESHEET_INVALID);
    unchanged();
}

Test(timesheets_refused, a_month_beyond_215_hours_full_time_is_492)
{
    cr_assert_eq(set("EMP1", 202603, 1000, "FSE=12000,VILLE=900"), GL_OK, "%s", detail);
    before();
    cr_expect_eq(set("EMP1", 202604, 1000, "FSE=12000,VILLE=901"), GL_ERR_TIMESHEET_MONTH_OVER);
    cr_expect(strstr(detail, "215 h 01") && strstr(detail, "215 h 00"), "%s", detail);
    /* 80 %: 172 h */
    cr_expect_eq(set("EMP1", 202604, 800, "FSE=10321"), GL_ERR_TIMESHEET_MONTH_OVER);
    unchanged();
    cr_expect_eq(set("EMP1", 202604, 800, "FSE=10320"), GL_OK, "%s", detail);
}

/* 200 h a month: the ninth month passes 1,720 h. */
Test(timesheets_refused, a_year_beyond_1720_hours_is_491_with_both_figures)
{
    for (uint32_t m = 1; m <= 8; m++)
        cr_assert_eq(set("EMP1", 202600 + m, 1000, "FSE=12000"), GL_OK, "%s", detail);
    before();
    cr_expect_eq(set("EMP1", 202609, 1000, "FSE=12000"), GL_ERR_TIMESHEET_HOURS_OVER);
    cr_expect(strstr(detail, "1800 h 00") && strstr(detail, "1720 h 00"), "%s", detail);
    unchanged();
    /* exactly 1,720 h is allowed */
    cr_expect_eq(set("EMP1", 202609, 1000, "FSE=7200"), GL_OK, "%s", detail);
    /* the next fiscal year starts again */
    cr_expect_eq(set("EMP1", 202701, 1000, "FSE=12000"), GL_OK, "%s", detail);
}

/* Full time January-November, 50 % in December: the year's basis is the
 * mean of its sheets', (11 x 1000 + 500) / 12 = 958.33 per mille, and its
 * hours at most 1,720 h x 11,500 / 12,000 = 1,648 h 20 = 98,900 minutes
 * (by hand; the December basis alone would cap it at 860 h).  The
 * offline verifier replays the same cap: the archive verifies. */
Test(timesheets_refused, the_mean_basis_of_the_years_sheets_bounds_its_hours)
{
    for (uint32_t m = 1; m <= 11; m++)
        cr_assert_eq(set("EMP1", 202600 + m, 1000, "FSE=8500"), GL_OK, "%s", detail);
    before();
    /* 11 x 8,500 + 5,401 = 98,901 minutes */
    cr_expect_eq(set("EMP1", 202612, 500, "FSE=5401"), GL_ERR_TIMESHEET_HOURS_OVER);
    cr_expect(strstr(detail, "1648 h 21") && strstr(detail, "1648 h 20") &&
                  strstr(detail, "11500/12"),
              "%s", detail);
    unchanged();
    cr_expect_eq(set("EMP1", 202612, 500, "FSE=5400"), GL_OK, "%s", detail);
    /* a replacement counts the month once */
    cr_expect_eq(set("EMP1", 202612, 500, "FSE=5300"), GL_OK, "%s", detail);
    /* clearing a full-time month lowers the hours more than the cap */
    cr_expect_eq(set("EMP1", 202601, 1000, ""), GL_OK, "%s", detail);
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/ts.glar", h.dir);
    fg_archive_to(&h, path);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_expect_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
}

Test(timesheets_refused, a_month_of_a_closed_fiscal_year_is_494)
{
    cr_assert_eq(set("EMP1", 202503, 1000, "FSE=60"), GL_OK, "%s", detail);
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){202512, GL_LOCK_THROUGH});
    cr_assert_eq(call(K_ACCOUNTANT, "alpha", GL_KIND_LOCK, &b), GL_OK, "%s", detail);
    gl_buf_init(&b);
    gl_close_q_encode(&b, &(gl_close_q){2025});
    cr_assert_eq(call(K_ACCOUNTANT, "alpha", GL_KIND_CLOSE_YEAR, &b), GL_OK, "%s", detail);
    before();
    cr_expect_eq(set("EMP1", 202503, 1000, "FSE=90"), GL_ERR_TIMESHEET_YEAR_CLOSED);
    cr_expect(strstr(detail, "2025"), "%s", detail);
    cr_expect_eq(set("EMP1", 202503, 1000, ""), GL_ERR_TIMESHEET_YEAR_CLOSED);
    unchanged();
    cr_expect_eq(set("EMP1", 202603, 1000, "FSE=90"), GL_OK, "%s", detail);
}

Test(timesheets_refused, axes_and_codes_not_open_are_484_and_485)
{
    cr_assert_eq(code_set("action", "OLD", GL_AN_OPEN), GL_OK, "%s", detail);
    cr_assert_eq(code_set("action", "OLD", GL_AN_CLOSED), GL_OK, "%s", detail);
    before();
    cr_expect_eq(set("EMP9", 202603, 1000, "FSE=60"), GL_ERR_ANALYTIC_CODE_UNKNOWN);
    cr_expect(strstr(detail, "EMP9") && strstr(detail, "salarie"), "%s", detail);
    cr_expect_eq(set("EMP1", 202603, 1000, "FSE=60,NONE=60"), GL_ERR_ANALYTIC_CODE_UNKNOWN);
    cr_expect(strstr(detail, "NONE") && strstr(detail, "action"), "%s", detail);
    cr_expect_eq(set("EMP1", 202603, 1000, "OLD=60"), GL_ERR_ANALYTIC_CODE_UNKNOWN);
    /* beta has no axis at all */
    cr_expect_eq(set_as(K_ACCOUNTANT, "beta", "EMP1", 202603, 1000, "FSE=60"),
                 GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    cr_expect(strstr(detail, "salarie"), "%s", detail);
    unchanged();
}

/* The offline verifier checks each TIMESHEET event against its signed
 * request: one byte of a sheet changed in the archive is found. */
Test(timesheets, a_forged_time_sheet_is_found_by_the_offline_verifier)
{
    cr_assert_eq(set("EMP1", 202603, 1000, "FSE=600,VILLE=90"), GL_OK, "%s", detail);
    char out[8192];
    int rc = bk_verify_tampered(&h, GL_EVENT_TIMESHEET, "VILLE", out, sizeof out);
    cr_expect_neq(rc, 0, "a forged time sheet verified:\n%s", out);
    cr_expect(strstr(out, "time sheet"), "%s", out);
}

/* Forged archives (forge_support.h: the event and its signed request
 * changed alike, signed again, the hashes after it recomputed): only the
 * replay of the sheet's rules finds them.  An employee not open on the
 * axis salarie, an action closed on the axis action (484/485). */
Test(timesheets, a_sheet_of_codes_not_open_is_found_by_the_offline_verifier)
{
    cr_assert_eq(code_set("action", "ZZOLD", GL_AN_OPEN), GL_OK, "%s", detail);
    cr_assert_eq(code_set("action", "ZZOLD", GL_AN_CLOSED), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202603, 1000, "FSE=600,VILLE=90"), GL_OK, "%s", detail);
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_TIMESHEET, 1,
                              "\x04"
                              "EMP1",
                              "\x04"
                              "EMP9",
                              5, out, sizeof out);
    fg_expect_found(rc, out,
                    "time sheet's employee: analytic code EMP9 of axis salarie is not open");
    rc = fg_verify_forged(&h, "alpha", GL_EVENT_TIMESHEET, 1, "\x05VILLE", "\x05ZZOLD", 6, out,
                          sizeof out);
    fg_expect_found(rc, out, "time sheet's action: analytic code ZZOLD of axis action is closed");
}

/* 1,600 h in eight months, then a ninth of 120 h: exactly 1,720 h.  The
 * ninth forged to 121 h passes the year's cap (491). */
Test(timesheets, a_year_beyond_its_cap_is_found_by_the_offline_verifier)
{
    for (uint32_t m = 1; m <= 8; m++)
        cr_assert_eq(set("EMP1", 202600 + m, 1000, "FSE=12000"), GL_OK, "%s", detail);
    cr_assert_eq(set("EMP1", 202609, 1000, "FSE=7200"), GL_OK, "%s", detail);
    char out[16384];
    /* FSE's 7,200 minutes (0x1c20) made 7,260 (0x1c5c) */
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_TIMESHEET, 9,
                              "\x03"
                              "FSE\x00\x00\x1c\x20",
                              "\x03"
                              "FSE\x00\x00\x1c\x5c",
                              8, out, sizeof out);
    fg_expect_found(rc, out,
                    "the time sheets of EMP1 hold 103260 minutes in fiscal year 2026, beyond the "
                    "103200");
}
