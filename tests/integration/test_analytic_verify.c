/*
 * tests/integration/test_analytic_verify.c — the offline verifier replays
 * analytic accounting (issue 19, client/verify/verify_analytic.c).  Suite
 * analytic_verify: a real daemon writes a tenant's axes, codes, a rule,
 * coded entries and allocations; the archive verifies and its summary
 * counts them.  Then each forged archive (one event and its signed
 * request changed the same way, the request signed again with the
 * accountant's key, every hash after it recomputed: only the replay of
 * the rule can find it) fails for its reason: a code posted while closed,
 * a rule broken, shares of a posted line not summing to it, a code opened
 * on a closed axis, an allocation taking away an axis a rule requires, an
 * allocation of an axis the entry's line carries, an
 * allocation's shares not summing to the line, an allocation of a line
 * that does not exist.  Each failed before its check was written.
 *
 * The book, tenant alpha, 2026:
 *   axes action (FSE-2026, NEW-2026, OLD-2025 opened then closed),
 *   financeur (FSE, VILLE), projet (P1), ancien (opened, closed);
 *   rule: action required on 60
 *   E1 606000 D 100.00 action FSE-2026, financeur FSE 60.00 VILLE 40.00
 *      / 512000 C 100.00
 *   E2 512000 D 50.00 / 706000 C 50.00                     (no codes)
 *   E3 606000 D 20.00 action NEW-2026 / 512000 C 20.00
 *   ALLOC: E1 line 1 projet P1; E2 line 2 financeur FSE 30.00 VILLE 20.00
 *   rule: financeur required on 51
 *   ALLOC: E2 line 2 financeur taken away (706000: no rule)
 */
#include "tests/integration/an_book.h"
#include "tests/integration/forge_support.h"

#include "client/verify/archive.h"
#include "proto/analytic.h"
#include "proto/chain.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static harness h;
static uint32_t num[4]; /* E1..E3's numbers in 2026 */

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void book(void)
{
    anb_axis(&h, "action", GL_AN_OPEN, "Actions");
    anb_axis(&h, "financeur", GL_AN_OPEN, "Financeurs");
    anb_axis(&h, "projet", GL_AN_OPEN, "Projets");
    anb_axis(&h, "ancien", GL_AN_OPEN, "Ancien axe");
    anb_axis(&h, "ancien", GL_AN_CLOSED, "");
    anb_code(&h, "action", "FSE-2026", GL_AN_OPEN, "Opération FSE 2026");
    anb_code(&h, "action", "NEW-2026", GL_AN_OPEN, "Nouvelle action");
    anb_code(&h, "action", "OLD-2025", GL_AN_OPEN, "Ancienne action");
    anb_code(&h, "action", "OLD-2025", GL_AN_CLOSED, "Ancienne action");
    anb_code(&h, "financeur", "FSE", GL_AN_OPEN, "Fonds social européen");
    anb_code(&h, "financeur", "VILLE", GL_AN_OPEN, "Ville");
    anb_code(&h, "projet", "P1", GL_AN_OPEN, "Projet 1");
    anb_rule(&h, "action", "60");
    gl_analytic c1 = {0};
    anb_split(&c1, "financeur", 2, (const char *const[]){"FSE", "VILLE"},
              (const int64_t[]){6000, 4000});
    anb_split(&c1, "action", 1, (const char *const[]){"FSE-2026"}, (const int64_t[]){10000});
    num[1] = anb_post(&h, 20260110, "606000", "512000", 10000, &c1);
    num[2] = anb_post(&h, 20260115, "512000", "706000", 5000, NULL);
    gl_analytic c3 = {0};
    anb_split(&c3, "action", 1, (const char *const[]){"NEW-2026"}, (const int64_t[]){2000});
    num[3] = anb_post(&h, 20260120, "606000", "512000", 2000, &c3);
    gl_an_alloc_row rows[2] = {{.fy = 2026, .num = num[1], .line = 1},
                               {.fy = 2026, .num = num[2], .line = 2}};
    anb_split(&rows[0].codes, "projet", 1, (const char *const[]){"P1"}, (const int64_t[]){10000});
    anb_split(&rows[1].codes, "financeur", 2, (const char *const[]){"FSE", "VILLE"},
              (const int64_t[]){3000, 2000});
    anb_alloc(&h, rows, 2);
    anb_rule(&h, "financeur", "51");
    gl_an_alloc_row off = {.fy = 2026, .num = num[2], .line = 2, .codes = {.naxes = 1}};
    off.codes.axes[0] = (gl_an_split){.axis = S("financeur"), .count = 0};
    anb_alloc(&h, &off, 1); /* E2's 706000 line: financeur taken away again */
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606000", "706000"};
    h_open_accounts(&h, "alpha", accounts, 3);
    book();
}
static void teardown(void) { h_teardown(&h); }
TestSuite(analytic_verify, .init = setup, .fini = teardown, .timeout = 240);

Test(analytic_verify, a_good_archive_verifies_and_counts_what_it_replayed)
{
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
    cr_expect(strstr(out,
                     "analytic: 4 axes, 6 codes, 2 rules in force, 2 lines coded in their "
                     "entries, 3 allocated afterwards"),
              "%s", out);
}

Test(analytic_verify, a_code_posted_while_closed_is_found)
{
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ENTRY2, 3, "NEW-2026", "OLD-2025", 8, out,
                              sizeof out);
    fg_expect_found(rc, out, "analytic code OLD-2025 of axis action is closed at this point (485)");
}

Test(analytic_verify, a_rule_broken_is_found)
{
    /* the rule made to cover 70: E2's 706000 line carries no action */
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ANALYTIC_RULE, 1,
                              "\x06"
                              "action\x02"
                              "60",
                              "\x06"
                              "action\x02"
                              "70",
                              10, out, sizeof out);
    fg_expect_found(
        rc, out,
        "line 2 (706000): carries no code of analytic axis action, which a rule requires "
        "on accounts 70 (486)");
}

Test(analytic_verify, an_allocation_of_an_axis_the_entry_carries_is_found)
{
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC, 1,
                              "\x06"
                              "projet",
                              "\x06"
                              "action",
                              7, out, sizeof out);
    fg_expect_found(rc, out,
                    "allocates analytic axis action, which the line carries in its entry (487)");
}

Test(analytic_verify, an_allocation_whose_shares_do_not_sum_is_found)
{
    uint8_t from[6 + 8] = "\x05VILLE", to[6 + 8] = "\x05VILLE";
    gl_be64(from + 6, 2000);
    gl_be64(to + 6, 1000);
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC, 1, from, to, sizeof from, out,
                              sizeof out);
    fg_expect_found(rc, out,
                    "the shares of analytic axis financeur sum to 40.00, not to the line's 50.00 "
                    "(483)");
}

Test(analytic_verify, an_allocation_of_a_missing_line_is_found)
{
    uint8_t from[8], to[8];
    gl_be16(from, 2026);
    gl_be32(from + 2, num[2]);
    gl_be16(from + 6, 2);
    memcpy(to, from, 8);
    gl_be16(to + 6, 3);
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC, 1, from, to, sizeof from, out,
                              sizeof out);
    fg_expect_found(rc, out, "no such line comes before it (488)");
}

Test(analytic_verify, a_posted_line_whose_shares_do_not_sum_is_found)
{
    uint8_t from[6 + 8] = "\x05VILLE", to[6 + 8] = "\x05VILLE";
    gl_be64(from + 6, 4000);
    gl_be64(to + 6, 3000);
    char out[16384];
    int rc =
        fg_verify_forged(&h, "alpha", GL_EVENT_ENTRY2, 1, from, to, sizeof from, out, sizeof out);
    fg_expect_found(rc, out, "(entry 2026/");
    fg_expect_found(rc, out, "line 1: the analytic shares of a line on an axis do not add up");
}

Test(analytic_verify, a_code_opened_on_a_closed_axis_is_found)
{
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ANALYTIC_CODE, 7,
                              "\x06"
                              "projet",
                              "\x06"
                              "ancien",
                              7, out, sizeof out);
    fg_expect_found(rc, out, "analytic code P1 on axis ancien, which is closed (484)");
}

Test(analytic_verify, an_allocation_taking_away_a_required_axis_is_found)
{
    /* the second rule made to cover 70: the last allocation takes financeur
     * away from E2's 706000 line */
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ANALYTIC_RULE, 2,
                              "\x09"
                              "financeur\x02"
                              "51",
                              "\x09"
                              "financeur\x02"
                              "70",
                              13, out, sizeof out);
    fg_expect_found(
        rc, out, "takes away analytic axis financeur, which a rule requires on accounts 70 (486)");
}
