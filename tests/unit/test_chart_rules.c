/*
 * tests/unit/test_chart_rules.c — the table of what the 2025 chart changed
 * (proto/chart_rules.c) against the two embedded charts (generated from
 * data/chart-anc-2018-06.csv and data/chart-anc-2025.csv): they must agree
 * account by account.  Also the edition boundary, the longest-root lookup
 * (sub-accounts of an abolished account are abolished, those of a standing
 * account are not) and the label shown per fiscal year.
 */
#include "client/input/chart.h"
#include "proto/chart_rules.h"
#include "proto/entry.h"

#include <criterion/criterion.h>

#include <string.h>

static gl_str str_of(const char *s) { return (gl_str){s, strlen(s)}; }

static const char *label_in(unsigned edition, const char *account)
{
    gl_chart c = gl_chart_get(edition);
    return gl_chart_label(&c, account, strlen(account));
}

Test(chart_rules, edition_is_chosen_by_the_first_day_of_the_fiscal_year)
{
    cr_assert_eq(gl_chart_edition(20241231), 2018);
    cr_assert_eq(gl_chart_edition(20240701), 2018); /* July year ending 2025-06-30 */
    cr_assert_eq(gl_chart_edition(20250101), 2025);
    cr_assert_eq(gl_chart_edition(20250701), 2025);
    cr_assert_eq(gl_chart_for_start(20240101).edition, 2018);
    cr_assert_eq(gl_chart_for_start(20250101).edition, 2025);
    cr_assert_eq(gl_chart_for_start(20250101).accounts, gl_chart_2025);
}

Test(chart_rules, every_row_agrees_with_both_charts)
{
    cr_assert_gt(gl_chart_changes_2025_count, 0);
    for (size_t i = 0; i < gl_chart_changes_2025_count; i++) {
        const gl_chart_change *c = &gl_chart_changes_2025[i];
        if (i)
            cr_assert_lt(strcmp(gl_chart_changes_2025[i - 1].account, c->account), 0,
                         "rows sorted at %s", c->account);
        cr_assert(gl_account_valid(str_of(c->account)), "%s", c->account);
        cr_assert_eq(strncmp(c->account, c->root, strlen(c->root)), 0, "root %s of %s", c->root,
                     c->account);
        cr_assert(c->rule && c->rule[0], "rule of %s", c->account);
        cr_assert(label_in(2018, c->account), "%s is not in the 2018 chart", c->account);
        const char *now = label_in(2025, c->account);
        if (c->kind == GL_CHART_ABOLISHED) {
            cr_assert_null(now, "%s is abolished but still in the 2025 chart", c->account);
        } else {
            cr_assert_eq(c->kind, GL_CHART_REPURPOSED);
            cr_assert(now, "%s repurposed but not in the 2025 chart", c->account);
            cr_assert_str_neq(now, label_in(2018, c->account), "%s repurposed with the same label",
                              c->account);
            cr_assert(c->replacement, "%s repurposed without a replacement", c->account);
        }
        if (c->replacement) {
            cr_assert(label_in(2025, c->replacement), "replacement %s of %s not in the 2025 chart",
                      c->replacement, c->account);
            cr_assert_null(gl_chart_abolished(str_of(c->replacement), 20250101),
                           "replacement %s abolished", c->replacement);
        }
        cr_assert_eq(gl_chart_change_of(str_of(c->account)), c, "%s finds its own row", c->account);
    }
}

Test(chart_rules, every_account_the_2025_chart_dropped_is_in_the_table)
{
    for (size_t i = 0; i < gl_standard_chart_count; i++) {
        const char *a = gl_standard_chart[i].account;
        if (!label_in(2025, a))
            cr_assert(gl_chart_abolished(str_of(a), 20250101), "%s left the chart without a row",
                      a);
    }
}

Test(chart_rules, no_account_of_the_2025_chart_is_abolished)
{
    for (size_t i = 0; i < gl_chart_2025_count; i++)
        cr_assert_null(gl_chart_abolished(str_of(gl_chart_2025[i].account), 20250101), "%s",
                       gl_chart_2025[i].account);
}

Test(chart_rules, the_changes_established_from_the_sources)
{
    /* 79x abolished, 777 -> 747, disposals 675/775 -> 652/757 (docs/chart-2025.md). */
    static const char *const gone[] = {"791000", "796000", "797000", "777000", "675000", "775000"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        cr_assert(label_in(2018, gone[i]), "%s", gone[i]);
        cr_assert_null(label_in(2025, gone[i]), "%s", gone[i]);
    }
    cr_assert_str_eq(gl_chart_change_of(str_of("777000"))->replacement, "747000");
    cr_assert_str_eq(gl_chart_change_of(str_of("675000"))->replacement, "652000");
    cr_assert_str_eq(gl_chart_change_of(str_of("775000"))->replacement, "757000");
    cr_assert_str_eq(label_in(2025, "747000"),
                     "Quote-part des subventions d'investissement virée au résultat de l'exercice");
    cr_assert_str_eq(label_in(2025, "741000"), "Subventions d'exploitation");
    cr_assert_str_eq(label_in(2025, "742000"), "Subventions d'équilibre");
    cr_assert(label_in(2025, "649000") && !label_in(2018, "649000"));
}

Test(chart_rules, sub_accounts_follow_their_account)
{
    cr_assert(gl_chart_abolished(str_of("791100"), 20250101));
    cr_assert(gl_chart_abolished(str_of("7910"), 20250101));
    cr_assert_null(gl_chart_abolished(str_of("79"), 20250101));
    cr_assert_null(gl_chart_abolished(str_of("790000"), 20250101));
    cr_assert_str_eq(gl_chart_abolished(str_of("675410"), 20250101)->replacement,
                     "652100"); /* longest root */
    cr_assert_str_eq(gl_chart_abolished(str_of("675100"), 20250101)->replacement, "652000");
    cr_assert_null(gl_chart_abolished(str_of("741700"), 20250101)); /* a funder under 741 */
    cr_assert_null(gl_chart_abolished(str_of("747000"), 20250101)); /* repurposed, not abolished */
    cr_assert_null(gl_chart_abolished(str_of("671000"), 20250101));
    cr_assert(gl_chart_abolished(str_of("671200"), 20250101));
    cr_assert_null(gl_chart_abolished(str_of("791000"), 20241231)); /* earlier years keep it */
    cr_assert_null(gl_chart_abolished(str_of("791000"), 20240701));
}

Test(chart_rules, standard_labels_are_those_of_the_year_shown)
{
    const char *old = label_in(2018, "747000"), *now = label_in(2025, "747000");
    cr_assert_str_eq(gl_chart_label_for_year("747000", 6, old, 20240101), old);
    cr_assert_str_eq(gl_chart_label_for_year("747000", 6, old, 20250101), now);
    cr_assert_str_eq(gl_chart_label_for_year("747000", 6, now, 20240101), old);
    cr_assert_str_eq(gl_chart_label_for_year("747000", 6, "FSE 2024", 20250101),
                     "FSE 2024"); /* the tenant's own */
    cr_assert_str_eq(gl_chart_label_for_year("791000", 6, label_in(2018, "791000"), 20250101),
                     label_in(2018, "791000")); /* not in that year's chart: as recorded */
    cr_assert_str_eq(gl_chart_label_for_year("411GRP", 6, "Groupe", 20250101), "Groupe");
}

/* The comparative year of a 2025 statement: every account the table covers
 * is presented under an account of the 2025 chart — of its own class, or
 * for a transfer of charges (79x) a charge of class 6 that it refunded —
 * and an account the table does not cover is presented as it is. */
Test(chart_rules, every_row_is_presented_in_the_2025_chart)
{
    for (size_t i = 0; i < gl_chart_changes_2025_count; i++) {
        const gl_chart_change *c = &gl_chart_changes_2025[i];
        const char *to = gl_chart_presented_2025(c);
        cr_assert(to, "%s has no 2025 presentation", c->account);
        cr_assert(label_in(2025, to), "%s presented as %s, not in the 2025 chart", c->account, to);
        if (c->replacement) {
            cr_assert_str_eq(to, c->replacement);
            cr_assert_eq(to[0], c->account[0], "%s replaced in another class (%s)", c->account, to);
        } else {
            cr_assert(!strncmp(c->root, "79", 2) && to[0] == '6', "%s presented as %s", c->account,
                      to);
        }
    }
    cr_assert_str_eq(gl_chart_presented_2025(gl_chart_change_of(str_of("791000"))), "649000");
    cr_assert_str_eq(gl_chart_presented_2025(gl_chart_change_of(str_of("777000"))), "747000");
    cr_assert_str_eq(gl_chart_presented_2025(gl_chart_change_of(str_of("747000"))),
                     "741000"); /* FSE of 2024 */
    cr_assert_null(gl_chart_presented_2025(gl_chart_change_of(str_of("706000"))));
}
