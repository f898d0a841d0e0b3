/*
 * tests/unit/test_grant_client.c — the pure parts of
 * client/analytic/grant_client (issue 19): budget rows sorted by group in
 * byte order (a group twice refused), a grant list's sum per action or
 * funder (an overflow refused), a grant viewed back for a set.
 */
#include "client/analytic/grant_client.h"

#include "proto/limits.h"

#include <criterion/criterion.h>
#include <string.h>

Test(grant_client, budget_rows_sort_by_group_bytes)
{
    gl_budget_line rows[] = {{"7417", 3}, {"60", 1}, {"641", 2}, {"6", 0}, {"70", 4}};
    cr_assert(gl_budget_lines_sort(rows, 5));
    const char *want[] = {"6", "60", "641", "70", "7417"};
    for (int i = 0; i < 5; i++)
        cr_expect_str_eq(rows[i].group, (char *)want[i], "row %d", i);
    gl_budget_line twice[] = {{"64", 1}, {"60", 2}, {"64", 3}};
    cr_expect_not(gl_budget_lines_sort(twice, 3));
    cr_expect(gl_budget_lines_sort(NULL, 0));
}

Test(grant_client, grant_sums_per_action_and_funder)
{
    gl_grant_info g[3] = {{.code = "A", .funder = "FSE", .action = "AGIIE", .amount_cents = 100},
                          {.code = "B", .funder = "CD59", .action = "AGIIE", .amount_cents = 50},
                          {.code = "C", .funder = "FSE", .action = "MOBIL", .amount_cents = 7}};
    gl_grant_list l = {3, g};
    size_t n;
    int64_t sum;
    cr_assert(gl_grant_list_sum(&l, "AGIIE", NULL, &n, &sum));
    cr_expect_eq(n, 2u);
    cr_expect_eq(sum, 150);
    cr_assert(gl_grant_list_sum(&l, NULL, "FSE", &n, &sum));
    cr_expect_eq(n, 2u);
    cr_expect_eq(sum, 107);
    cr_assert(gl_grant_list_sum(&l, "MOBIL", "CD59", &n, &sum));
    cr_expect_eq(n, 0u);
    cr_expect_eq(sum, 0);
    g[0].amount_cents = INT64_MAX;
    cr_expect_not(gl_grant_list_sum(&l, "AGIIE", NULL, &n, &sum), "an overflow");
    const gl_grant_info *f = gl_grant_list_find(&l, "B");
    cr_assert(f);
    gl_grant v = gl_grant_view(f);
    cr_expect_eq(v.code.len, 1u);
    cr_expect_eq(memcmp(v.funder.ptr, "CD59", 4), 0);
    cr_expect_eq(v.amount_cents, 50);
    cr_expect_null(gl_grant_list_find(&l, "Z"));
}
