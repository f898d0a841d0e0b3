/*
 * tests/unit/test_funds.c — client/funds: the fonds dédiés of a dedicated
 * grant (issue 19, ANC 2018-06 art. 132-1).  The case of the issue first:
 * 50 000 granted in N, 35 500 spent in N, 14 500 reported (D 689400 /
 * C 194000); 10 000 spent in N+1, used from the fonds dédiés (D 194000 /
 * C 789400), 4 500 left at the close of N+1.  Then each rule of funds.h:
 * the cap, the charges counted, grants sharing an action or an account,
 * the history's owner by label, entries already booked, overflow, and the
 * three accounts valid in both charts.
 */
#include "client/funds/funds.h"

#include "client/input/chart.h"
#include "client/statements/statements.h"
#include "proto/chart_rules.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

static const fd_year N = {2026, 20260101, 20261231};
static const fd_year N1 = {2027, 20270101, 20271231};

static fd_grant grant(const char *code, const char *action, const char *account,
                      int64_t amount_cents)
{
    fd_grant g = {.amount_cents = amount_cents, .from = 20260101, .to = 20271231};
    snprintf(g.code, sizeof g.code, "%s", code);
    snprintf(g.label, sizeof g.label, "Projet %s", code);
    snprintf(g.funder, sizeof g.funder, "CD59");
    snprintf(g.action, sizeof g.action, "%s", action);
    snprintf(g.account, sizeof g.account, "%s", account);
    return g;
}

static fd_balance_row bal(const char *code, const char *account, int64_t debit, int64_t credit)
{
    fd_balance_row r = {.debit_cents = debit, .credit_cents = credit};
    snprintf(r.code, sizeof r.code, "%s", code);
    snprintf(r.account, sizeof r.account, "%s", account);
    return r;
}

static fd_history_row hist(const char *code, const char *account, const char *label, uint32_t date,
                           int64_t amount)
{
    fd_history_row h = {
        .date = date, .fy = (uint16_t)(date / 10000), .num = 7, .amount_cents = amount};
    snprintf(h.code, sizeof h.code, "%s", code);
    snprintf(h.account, sizeof h.account, "%s", account);
    snprintf(h.label, sizeof h.label, "%s", label);
    return h;
}

/* The action code and the funder each carry the whole line. */
static void check_item(const fd_entry *e, const char *action, const char *funder)
{
    gl_analytic a;
    cr_assert(e->item_len > 2);
    cr_assert_eq(e->item[0], GL_EXT_ANALYTIC);
    cr_assert_eq(gl_analytic_decode(e->item + 2, e->item_len - 2, false, &a), GL_OK);
    cr_assert_eq(a.naxes, 2);
    cr_assert(a.axes[0].axis.len == 6 && !memcmp(a.axes[0].axis.ptr, "action", 6));
    cr_assert(a.axes[1].axis.len == 9 && !memcmp(a.axes[1].axis.ptr, "financeur", 9));
    cr_assert_eq(a.axes[0].count, 1);
    cr_assert(a.axes[0].shares[0].code.len == strlen(action) &&
              !memcmp(a.axes[0].shares[0].code.ptr, action, strlen(action)));
    cr_assert(a.axes[1].shares[0].code.len == strlen(funder) &&
              !memcmp(a.axes[1].shares[0].code.ptr, funder, strlen(funder)));
    cr_assert_eq(a.axes[0].shares[0].amount_cents, e->amount_cents);
    cr_assert_eq(a.axes[1].shares[0].amount_cents, e->amount_cents);
    cr_assert_eq(gl_analytic_check_sum(&a, e->amount_cents, &(size_t){0}), GL_OK);
}

Test(funds, the_issue_year_n_reports_the_part_not_used)
{
    fd_grant g = grant("CD59-P-2026", "PROJ-P", "741700", 5000000);
    fd_balance_row b[] = {bal("PROJ-P", "741700", 0, 5000000), bal("PROJ-P", "606000", 550000, 0),
                          bal("PROJ-P", "641100", 3000000, 0), bal("OTHER", "606000", 99999, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 4, NULL, 0, &r), FD_OK);
    cr_assert_eq(r.granted_cents, 5000000);
    cr_assert_eq(r.charges_cents, 3550000);
    cr_assert_eq(r.used_new_cents, 3550000);
    cr_assert_eq(r.reported_cents, 1450000);
    cr_assert_eq(r.opening_cents, 0);
    cr_assert_eq(r.used_old_cents, 0);
    cr_assert_eq(r.closing_cents, 1450000);
    cr_assert(!r.booked);

    fd_entry e[2];
    cr_assert_eq(fd_entries(&N, &r, 1, e), 1);
    cr_assert_eq(e[0].kind, FD_ENTRY_REPORT);
    cr_assert_str_eq(e[0].debit_account, "689400");
    cr_assert_str_eq(e[0].credit_account, "194000");
    cr_assert_eq(e[0].amount_cents, 1450000);
    cr_assert_str_eq(e[0].piece, "FD-2026");
    cr_assert_str_eq(e[0].label, "Fonds dédiés CD59-P-2026");
    cr_assert_eq(e[0].date, 20261231);
    check_item(&e[0], "PROJ-P", "CD59");
}

Test(funds, the_issue_year_n1_uses_the_earlier_years_funds)
{
    fd_grant g = grant("CD59-P-2026", "PROJ-P", "741700", 5000000);
    /* N's entry as fd_entries proposed it: the 6894 line (debit) with the
     * code; its 194000 line is not part of the history */
    fd_history_row h[] = {hist("PROJ-P", "689400", "Fonds dédiés CD59-P-2026", 20261231, 1450000),
                          hist("PROJ-P", "194000", "Fonds dédiés CD59-P-2026", 20261231, -1450000)};
    fd_balance_row b[] = {bal("PROJ-P", "606000", 1000000, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N1, &g, 1, b, 1, h, 2, &r), FD_OK);
    cr_assert_eq(r.granted_cents, 0);
    cr_assert_eq(r.opening_cents, 1450000);
    cr_assert_eq(r.used_old_cents, 1000000);
    cr_assert_eq(r.reported_cents, 0);
    cr_assert_eq(r.closing_cents, 450000);

    fd_entry e[2];
    cr_assert_eq(fd_entries(&N1, &r, 1, e), 1);
    cr_assert_eq(e[0].kind, FD_ENTRY_USE);
    cr_assert_str_eq(e[0].debit_account, "194000");
    cr_assert_str_eq(e[0].credit_account, "789400");
    cr_assert_eq(e[0].amount_cents, 1000000);
    cr_assert_str_eq(e[0].piece, "FD-2027");
    cr_assert_eq(e[0].date, 20271231);
    check_item(&e[0], "PROJ-P", "CD59");

    fd_totals t;
    cr_assert_eq(fd_totals_sum(&r, 1, &t), FD_OK);
    cr_assert_eq(t.opening_cents, 1450000);
    cr_assert_eq(t.reports_cents, 0);
    cr_assert_eq(t.uses_cents, 1000000);
    cr_assert_eq(t.transfers_cents, 0);
    cr_assert_eq(t.closing_cents, 450000);
}

Test(funds, use_is_capped_at_what_is_available)
{
    fd_grant g = grant("G1", "A1", "741700", 1000000);
    fd_history_row h[] = {hist("A1", "689400", "", 20251231, 300000)};
    fd_balance_row b[] = {bal("A1", "741700", 0, 1000000), bal("A1", "606000", 2000000, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 2, h, 1, &r), FD_OK);
    cr_assert_eq(r.used_new_cents, 1000000);
    cr_assert_eq(r.reported_cents, 0);
    cr_assert_eq(r.used_old_cents, 300000);
    cr_assert_eq(r.closing_cents, 0);
}

Test(funds, the_new_grant_is_used_before_the_opening)
{
    fd_grant g = grant("G1", "A1", "741700", 1000000);
    fd_history_row h[] = {hist("A1", "689400", "", 20251231, 300000)};
    fd_balance_row b[] = {bal("A1", "741700", 0, 1000000), bal("A1", "606000", 1100000, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 2, h, 1, &r), FD_OK);
    cr_assert_eq(r.used_new_cents, 1000000);
    cr_assert_eq(r.used_old_cents, 100000);
    cr_assert_eq(r.closing_cents, 200000);
    fd_entry e[2];
    cr_assert_eq(fd_entries(&N, &r, 1, e), 1);
    cr_assert_eq(e[0].kind, FD_ENTRY_USE);
}

Test(funds, charges_leave_out_689_and_count_credits_against)
{
    fd_grant g = grant("G1", "A1", "741700", 1000000);
    fd_balance_row b[] = {bal("A1", "741700", 0, 1000000), bal("A1", "606000", 500000, 100000),
                          bal("A1", "689400", 700000, 0), bal("A1", "411000", 900000, 0),
                          bal("A1", "706000", 900000, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 5, NULL, 0, &r), FD_OK);
    cr_assert_eq(r.charges_cents, 400000);
    cr_assert_eq(r.reported_cents, 600000);
}

Test(funds, a_net_debit_product_or_credit_charges_count_nothing)
{
    fd_grant g = grant("G1", "A1", "741700", 1000000);
    fd_balance_row b[] = {bal("A1", "741700", 200000, 100000), bal("A1", "606000", 0, 50000)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 2, NULL, 0, &r), FD_OK);
    cr_assert_eq(r.granted_cents, 0);
    cr_assert_eq(r.charges_cents, 0);
    fd_entry e[2];
    cr_assert_eq(fd_entries(&N, &r, 1, e), 0);
}

Test(funds, grants_sharing_an_account_take_the_product_in_code_order)
{
    fd_grant g[] = {grant("G1", "A1", "741700", 600000), grant("G2", "A1", "741700", 300000),
                    grant("G3", "A1", "741700", 100000)};
    fd_balance_row b[] = {bal("A1", "741700", 0, 1200000)};
    fd_result r[3];
    cr_assert_eq(fd_compute(&N, g, 3, b, 1, NULL, 0, r), FD_OK);
    cr_assert_eq(r[0].granted_cents, 600000);
    cr_assert_eq(r[1].granted_cents, 300000);
    cr_assert_eq(r[2].granted_cents, 300000); /* the last takes the rest */
}

Test(funds, grants_of_one_action_share_its_charges_in_code_order)
{
    fd_grant g[] = {grant("G1", "A1", "741700", 600000), grant("G2", "A1", "747000", 400000)};
    fd_history_row h[] = {hist("A1", "689400", "Fonds dédiés G2", 20251231, 50000),
                          hist("A1", "689400", "", 20251231, 70000)};
    fd_balance_row b[] = {bal("A1", "741700", 0, 600000), bal("A1", "747000", 0, 400000),
                          bal("A1", "606000", 1060000, 0)};
    fd_result r[2];
    cr_assert_eq(fd_compute(&N, g, 2, b, 3, h, 2, r), FD_OK);
    /* the labelled line is G2's, the other the action's first grant's */
    cr_assert_eq(r[0].opening_cents, 70000);
    cr_assert_eq(r[1].opening_cents, 50000);
    cr_assert_eq(r[0].used_new_cents, 600000);
    cr_assert_eq(r[1].used_new_cents, 400000);
    /* 60 000 left after the new grants: G1's opening first */
    cr_assert_eq(r[0].used_old_cents, 60000);
    cr_assert_eq(r[1].used_old_cents, 0);
    cr_assert_eq(r[0].closing_cents, 10000);
    cr_assert_eq(r[1].closing_cents, 50000);
    fd_totals t;
    cr_assert_eq(fd_totals_sum(r, 2, &t), FD_OK);
    cr_assert_eq(t.granted_cents, 1000000);
    cr_assert_eq(t.charges_cents, 1060000); /* the action's, once */
    cr_assert_eq(t.used_new_cents, 1000000);
    cr_assert_eq(t.opening_cents, 120000);
    cr_assert_eq(t.uses_cents, 60000);
    cr_assert_eq(t.closing_cents, 60000);
}

Test(funds, lines_of_another_code_or_account_are_not_history)
{
    fd_grant g = grant("G1", "A1", "741700", 1000000);
    fd_history_row h[] = {hist("A2", "689400", "Fonds dédiés G1", 20251231, 50000),
                          hist("A1", "606000", "", 20251231, 50000),
                          hist("A1", "789400", "", 20251231, -20000),
                          hist("A1", "689400", "", 20281231, 90000)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, NULL, 0, h, 4, &r), FD_OK);
    cr_assert_eq(r.opening_cents, -20000);
    cr_assert_eq(r.used_old_cents, 0);
    cr_assert(!r.booked);
}

Test(funds, a_year_already_booked_proposes_nothing)
{
    fd_grant g = grant("G1", "A1", "741700", 5000000);
    fd_history_row h[] = {hist("A1", "689400", "Fonds dédiés G1", 20261231, 1450000)};
    fd_balance_row b[] = {bal("A1", "741700", 0, 5000000), bal("A1", "606000", 3550000, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 2, h, 1, &r), FD_OK);
    cr_assert(r.booked);
    cr_assert(!r.differs);
    cr_assert_eq(r.booked_fy, 2026);
    cr_assert_eq(r.booked_num, 7);
    fd_entry e[2];
    cr_assert_eq(fd_entries(&N, &r, 1, e), 0);
    cr_assert_eq(fd_annexe_reports(&r), 1450000);
    cr_assert_eq(fd_annexe_closing(&r), 1450000);

    /* more charges since: the books hold 14 500, the computation 4 500 */
    b[1].debit_cents = 4550000;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 2, h, 1, &r), FD_OK);
    cr_assert(r.booked && r.differs);
    cr_assert_eq(r.reported_cents, 450000);
    cr_assert_eq(fd_annexe_reports(&r), 1450000);
    cr_assert_eq(fd_annexe_closing(&r), 1450000);
}

Test(funds, overflow_is_refused)
{
    fd_grant g = grant("G1", "A1", "741700", 1000000);
    fd_balance_row b[] = {bal("A1", "606000", INT64_MAX, 0), bal("A1", "607000", 1, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(&N, &g, 1, b, 2, NULL, 0, &r), FD_OVERFLOW);
    fd_history_row h[] = {hist("A1", "689400", "", 20251231, INT64_MAX),
                          hist("A1", "689400", "", 20251231, 1)};
    cr_assert_eq(fd_compute(&N, &g, 1, NULL, 0, h, 2, &r), FD_OVERFLOW);
    cr_assert_eq(fd_compute(&N, &g, FD_GRANTS_MAX + 1, NULL, 0, NULL, 0, &r), FD_TOO_MANY);
}

Test(funds, the_three_accounts_exist_in_both_charts)
{
    const char *accounts[] = {FD_ACCOUNT_REPORT, FD_ACCOUNT_FUND, FD_ACCOUNT_USE};
    uint32_t starts[] = {20240101, 20250101, 20260101};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < 3; k++) {
            gl_chart ch = gl_chart_for_start(starts[k]);
            cr_assert_not_null(gl_chart_label(&ch, accounts[i], strlen(accounts[i])), "%s %u",
                               accounts[i], starts[k]);
            cr_assert_null(
                gl_chart_abolished((gl_str){accounts[i], strlen(accounts[i])}, starts[k]));
        }
}

/* The statements (client/statements/) show the annexe's figures: the fonds
 * dédiés of the bilan, the reports and utilisations of the compte de
 * résultat, in both models, once the proposed entries are in the
 * balances. */
static int64_t stmt_amount(const stmt_result *r, const char *key)
{
    const stmt_line *l = stmt_find(r, key);
    cr_assert_not_null(l, "%s", key);
    return l->amount[0];
}

static void tie_in(enum stmt_model m, const fd_year *y)
{
    fd_grant g = grant("CD59-P-2026", "PROJ-P", "741700", 5000000);
    fd_history_row h[] = {hist("PROJ-P", "689400", "", y->from - 10000 + 1130, 300000)};
    fd_balance_row b[] = {bal("PROJ-P", "741700", 0, 5000000), bal("PROJ-P", "606000", 5100000, 0)};
    fd_result r;
    cr_assert_eq(fd_compute(y, &g, 1, b, 2, h, 1, &r), FD_OK);
    fd_entry e[2];
    size_t ne = fd_entries(y, &r, 1, e);
    cr_assert_eq(ne, 1); /* 100.00 of the 3 000.00 reported earlier used */
    fd_totals t;
    cr_assert_eq(fd_totals_sum(&r, 1, &t), FD_OK);
    /* the year's balances: the à-nouveau of 194000 (credit 3 000.00), the
     * grant, the charges, and the entry proposed */
    stmt_account acc[] = {{"512000", {-100000}}, {"741700", {-5000000}}, {"606000", {5100000}},
                          {"194000", {-300000}}, {"194000", {0}},        {"789400", {0}},
                          {"689400", {0}}};
    for (size_t i = 0; i < ne; i++) {
        bool report = e[i].kind == FD_ENTRY_REPORT;
        acc[4].net[0] += report ? -e[i].amount_cents : e[i].amount_cents;
        acc[report ? 6 : 5].net[0] += report ? e[i].amount_cents : -e[i].amount_cents;
    }
    stmt_input in = {.model = m, .ncols = 1, .col_names = {"N"}, .accounts = acc, .count = 7};
    static stmt_result res;
    stmt_compute(&in, &res);
    cr_assert(!res.overflow);
    cr_assert_eq(stmt_amount(&res, "passif.fonds_dedies"), t.closing_cents);
    cr_assert_eq(stmt_amount(&res, "cr.reports_fonds_dedies"), t.reports_cents);
    cr_assert_eq(stmt_amount(&res, "cr.utilisations_fonds_dedies"), t.uses_cents);
    cr_assert_eq(t.closing_cents, 200000);
}

Test(funds, the_statements_show_the_annexe_in_both_models)
{
    tie_in(STMT_MODEL_2018, &(fd_year){2024, 20240101, 20241231});
    tie_in(STMT_MODEL_2025, &N);
}
