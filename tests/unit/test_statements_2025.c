/*
 * tests/unit/test_statements_2025.c — client/statements in the model of the
 * fiscal year: règlement ANC 2018-06 for years opened before 2025-01-01,
 * 2018-06 as coordinated by 2023-03 with the PCG of 2022-06 from that day.
 * The choice of the model by the first day, every account of the 2025 chart
 * in exactly its statements, the headings that differ (no transfers of
 * charges, 747 and the disposals 757 / 652 in the operating result, an
 * exceptional result without them), a 2025 year whose totals tie to its
 * balances, and the comparative year: a 2024 year kept in the earlier chart
 * reclassified into the 2025 headings by proto/chart_rules (777 as 747, the
 * 2024 European funds on 747 as operating grants, 79x as deductions of the
 * charges they refunded) with its result unchanged and the note that shows
 * the reclassification, in text and in HTML.
 */
#include "client/input/chart.h"
#include "client/statements/html.h"
#include "client/statements/statements.h"
#include "proto/chart_rules.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bal {
    const char *account;
    int64_t net; /* debit - credit, cents */
} bal;

/* The statements of one column of balances in model m, the column flagged
 * as kept in the earlier chart when map; the caller frees the result. */
static stmt_result *compute_in(enum stmt_model m, const bal *b, size_t n, const char *name,
                               bool map)
{
    stmt_account *rows = calloc(n ? n : 1, sizeof *rows);
    cr_assert(rows);
    for (size_t i = 0; i < n; i++) {
        rows[i].account = b[i].account;
        rows[i].net[0] = b[i].net;
    }
    stmt_input in = {.model = m,
                     .ncols = 1,
                     .col_names = {name},
                     .map_2018 = {map},
                     .accounts = rows,
                     .count = n};
    stmt_result *r = malloc(sizeof *r);
    cr_assert(r);
    stmt_compute(&in, r);
    free(rows);
    return r;
}

static int64_t amt(const stmt_result *r, const char *key, size_t col)
{
    const stmt_line *l = stmt_find(r, key);
    cr_assert(l, "no line %s", key);
    return l->amount[col];
}

static bool has_key(const stmt_result *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->lines[i].key && !strcmp(r->lines[i].key, key))
            return true;
    return false;
}

static int64_t sum_nets(const bal *b, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += b[i].net;
    return s;
}

/* ---- which model, which headings -------------------------------------- */

Test(statements2025, the_model_is_chosen_by_the_first_day_of_the_fiscal_year)
{
    cr_assert_eq(stmt_model_for_start(20241231), STMT_MODEL_2018);
    cr_assert_eq(stmt_model_for_start(20240701), STMT_MODEL_2018); /* July year ending 2025-06-30 */
    cr_assert_eq(stmt_model_for_start(20250101), STMT_MODEL_2025);
    cr_assert_eq(stmt_model_for_start(20250701), STMT_MODEL_2025);
    cr_assert_eq(stmt_model_year(STMT_MODEL_2018), 2018);
    cr_assert_eq(stmt_model_year(STMT_MODEL_2025), 2025);
    cr_assert(strstr(stmt_model_name(STMT_MODEL_2025), "2023-03"));
    cr_assert_null(strstr(stmt_model_name(STMT_MODEL_2018), "2023-03"));
}

/* Every account of the 2025 chart, with a debit and with a credit balance,
 * lands in exactly the statements it belongs to in the 2025 model. */
Test(statements2025, every_account_of_the_2025_chart_has_its_headings)
{
    cr_assert_gt(gl_chart_2025_count, 300);
    for (size_t i = 0; i < gl_chart_2025_count; i++) {
        const char *a = gl_chart_2025[i].account;
        for (int sign = -1; sign <= 1; sign += 2) {
            const char *bilan = stmt_classify_in(STMT_MODEL_2025, STMT_BILAN, a, sign);
            const char *cr = stmt_classify_in(STMT_MODEL_2025, STMT_CR, a, sign);
            const char *cvn = stmt_classify_in(STMT_MODEL_2025, STMT_CVN_STATEMENT, a, sign);
            if (a[0] >= '1' && a[0] <= '5') {
                cr_assert(bilan && !cr && !cvn, "%s", a);
                cr_assert(!strncmp(bilan, "actif.", 6) || !strncmp(bilan, "passif.", 7), "%s -> %s",
                          a, bilan);
            } else if (a[0] == '6' || a[0] == '7') {
                cr_assert(bilan && !strcmp(bilan, "passif.resultat"), "%s", a);
                cr_assert(cr && !strncmp(cr, "cr.", 3) && !cvn, "%s", a);
            } else {
                cr_assert(a[0] == '8' && !bilan && !cr && cvn, "%s", a);
            }
        }
    }
}

Test(statements2025, the_income_statement_headings_of_each_model)
{
    static const struct {
        const char *account;
        int64_t net;
        const char *key_2018, *key_2025;
    } cases[] = {
        /* the release of investment grants: exceptional before, operating from 2025 */
        {"777000", -1, "cr.produits_exceptionnels", NULL},
        {"747000", -1, "cr.subventions", "cr.quote_part_subventions"},
        /* disposals of fixed assets: exceptional before, operating from 2025 */
        {"775000", -1, "cr.produits_exceptionnels", NULL},
        {"675000", 1, "cr.charges_exceptionnelles", NULL},
        {"757000", -1, NULL, "cr.produits_cessions"},
        {"757100", -1, NULL, "cr.produits_cessions"},
        {"652000", 1, NULL, "cr.valeurs_cessions"},
        {"652100", 1, NULL, "cr.valeurs_cessions"},
        /* transfers of charges: gone; a refund of staff costs reduces them */
        {"791000", -1, "cr.reprises", NULL},
        {"649000", -1, NULL, "cr.salaires"},
        {"781500", -1, "cr.reprises", "cr.reprises"},
        {"786000", -1, "cr.produits_financiers", "cr.produits_financiers"},
        {"787000", -1, "cr.produits_exceptionnels", "cr.produits_exceptionnels"},
        /* operating grants, whoever the funder */
        {"741000", -1, "cr.subventions", "cr.subventions"},
        {"741700", -1, "cr.subventions", "cr.subventions"},
        {"742000", -1, "cr.subventions", "cr.subventions"},
        {"658200", 1, NULL, "cr.autres_charges"},
        {"758700", -1, NULL, "cr.autres_produits"},
        {"771300", -1, "cr.produits_exceptionnels", "cr.produits_exceptionnels"},
        {"678000", 1, "cr.charges_exceptionnelles", "cr.charges_exceptionnelles"},
    };
    gl_chart c18 = gl_chart_get(2018), c25 = gl_chart_get(2025);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *a = cases[i].account;
        for (int m = 0; m < 2; m++) {
            const char *want = m ? cases[i].key_2025 : cases[i].key_2018;
            const gl_chart *c = m ? &c25 : &c18;
            if (!want) { /* not in that year's chart */
                cr_assert_null(gl_chart_label(c, a, strlen(a)), "%s is in the %d chart", a,
                               m ? 2025 : 2018);
                continue;
            }
            const char *got = stmt_classify_in((enum stmt_model)m, STMT_CR, a, cases[i].net);
            cr_assert(got && !strcmp(got, want), "%s in the %d model -> %s, want %s", a,
                      m ? 2025 : 2018, got ? got : "nothing", want);
        }
    }
    /* the headings themselves */
    cr_assert(strstr(stmt_heading(STMT_MODEL_2018, "cr.reprises"), "transferts de charges"));
    cr_assert_str_eq(stmt_heading(STMT_MODEL_2025, "cr.reprises"),
                     "Reprises sur amortissements, dépréciations et provisions");
    cr_assert_null(stmt_heading(STMT_MODEL_2018, "cr.quote_part_subventions"));
    cr_assert_null(stmt_heading(STMT_MODEL_2018, "cr.produits_cessions"));
    cr_assert_null(stmt_heading(STMT_MODEL_2018, "cr.valeurs_cessions"));
    cr_assert_str_eq(stmt_heading(STMT_MODEL_2025, "cr.quote_part_subventions"),
                     "Quote-part des subventions d'investissement virée au résultat");
    /* no heading of the 2025 model speaks of transfers of charges */
    stmt_result *r = compute_in(STMT_MODEL_2025, NULL, 0, "2025", false);
    for (size_t i = 0; i < r->count; i++)
        cr_assert_null(strstr(r->lines[i].label, "transferts de charges"), "%s", r->lines[i].label);
    cr_assert(stmt_find(r, "Opérations exceptionnelles (événements majeurs et inhabituels)"));
    free(r);
    /* the balance sheet and the contributions en nature keep their headings */
    stmt_result *a = compute_in(STMT_MODEL_2018, NULL, 0, "2024", false);
    stmt_result *b = compute_in(STMT_MODEL_2025, NULL, 0, "2025", false);
    for (size_t i = 0; i < a->count; i++)
        if (a->lines[i].part != STMT_RESULTAT && a->lines[i].key)
            cr_assert_str_eq(stmt_heading(STMT_MODEL_2025, a->lines[i].key), a->lines[i].label);
    cr_assert_eq(b->model, STMT_MODEL_2025);
    free(a);
    free(b);
}

Test(statements2025, both_heading_tables_are_consistent)
{
    char why[256] = "";
    cr_assert_eq(stmt_table_check(why, sizeof why), 0, "%s", why);
}

/* ---- a 2025 year ------------------------------------------------------ */

/* A 2025 year: a disposal at a gain (book value 3 000, price 4 500), an
 * investment grant released (1 200), a refund of training costs credited to
 * 649 (800), and a major and unusual event (a flood: 6 000 of charges, 5 000
 * of insurance indemnity). */
static const bal year_2025[] = {
    {"102000", -5000000}, {"218300", 1200000}, {"281830", -300000},  {"131000", -400000},
    {"139000", 120000},   {"512000", 4930000}, {"706000", -2000000}, {"741000", -900000},
    {"747000", -120000},  {"757000", -450000}, {"652000", 300000},   {"641100", 1500000},
    {"649000", -80000},   {"645100", 600000},  {"606100", 200000},   {"678000", 600000},
    {"778000", -500000},  {"681100", 300000},  {"864000", 90000},    {"875000", -90000},
};

Test(statements2025, a_2025_year_ties_to_its_balances)
{
    size_t n = sizeof year_2025 / sizeof year_2025[0];
    cr_assert_eq(sum_nets(year_2025, n), 0, "the test ledger itself must balance");
    stmt_result *r = compute_in(STMT_MODEL_2025, year_2025, n, "2025", false);
    cr_assert_not(r->overflow);
    cr_assert_eq(r->ignored, 0);
    char why[256] = "";
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), 0, "%s", why);
    /* result = classes 7 - classes 6, from the balances */
    int64_t produits = 0, charges = 0;
    for (size_t i = 0; i < n; i++) {
        if (year_2025[i].account[0] == '7')
            produits -= year_2025[i].net;
        if (year_2025[i].account[0] == '6')
            charges += year_2025[i].net;
    }
    cr_assert_eq(amt(r, "cr.total_produits", 0), produits);
    cr_assert_eq(amt(r, "cr.total_charges", 0), charges);
    cr_assert_eq(amt(r, "cr.resultat", 0), produits - charges);
    cr_assert_eq(amt(r, "passif.resultat", 0), produits - charges);
    cr_assert_eq(amt(r, "actif.total", 0), amt(r, "passif.total", 0));
    /* the disposal and the grant release are operating items; only the
     * flood is exceptional */
    cr_assert_eq(amt(r, "cr.produits_cessions", 0), 450000);
    cr_assert_eq(amt(r, "cr.valeurs_cessions", 0), 300000);
    cr_assert_eq(amt(r, "cr.quote_part_subventions", 0), 120000);
    cr_assert_eq(amt(r, "cr.resultat_exceptionnel", 0), 500000 - 600000);
    cr_assert_eq(amt(r, "cr.resultat_exploitation", 0),
                 2000000 + 900000 + 120000 + 450000 -
                     (300000 + 1500000 - 80000 + 600000 + 200000 + 300000));
    cr_assert_eq(amt(r, "cr.salaires", 0), 1500000 - 80000);
    free(r);
}

/* ---- the comparative year, kept in the earlier chart ------------------ */

/* A 2024 year in the 2018 chart with every account the 2025 chart changed. */
static const bal year_2024[] = {
    {"102000", -5000000}, {"512000", 5322000}, {"706000", -1500000},
    {"747000", -300000},                      /* European Social Fund: an operating grant in 2024 */
    {"742000", -100000},                      /* a Region's operating grant */
    {"777000", -80000},                       /* investment grant released */
    {"775000", -200000},  {"675000", 150000}, /* a disposal */
    {"791000", -60000},                       /* training costs refunded */
    {"796000", -1000},    {"797000", -2000},   {"671200", 3000},
    {"641100", 1200000},  {"606100", 268000},  {"661100", 300000},
};

Test(statements2025, the_comparative_year_is_reclassified_into_the_2025_headings)
{
    size_t n = sizeof year_2024 / sizeof year_2024[0];
    cr_assert_eq(sum_nets(year_2024, n), 0);
    stmt_result *own = compute_in(STMT_MODEL_2018, year_2024, n, "2024", false);
    stmt_result *mapped = compute_in(STMT_MODEL_2025, year_2024, n, "2024", true);
    char why[256] = "";
    cr_assert_eq(stmt_check(mapped, 0, why, sizeof why), 0, "%s", why);
    cr_assert(mapped->mapped_col[0]);
    /* reclassified, not restated: the same result, the same balance sheet */
    cr_assert_eq(amt(mapped, "cr.resultat", 0), amt(own, "cr.resultat", 0));
    cr_assert_eq(amt(mapped, "actif.total", 0), amt(own, "actif.total", 0));
    cr_assert_eq(amt(mapped, "passif.total", 0), amt(own, "passif.total", 0));
    /* each account under its 2025 heading */
    cr_assert_eq(amt(mapped, "cr.subventions", 0),
                 300000 + 100000); /* the 2024 747000 is a grant */
    cr_assert_eq(amt(mapped, "cr.quote_part_subventions", 0), 80000);
    cr_assert_eq(amt(mapped, "cr.produits_cessions", 0), 200000);
    cr_assert_eq(amt(mapped, "cr.valeurs_cessions", 0), 150000);
    cr_assert_eq(amt(mapped, "cr.reprises", 0), 0);
    cr_assert_eq(amt(mapped, "cr.salaires", 0), 1200000 - 60000);
    cr_assert_eq(amt(mapped, "cr.charges_financieres", 0), 300000 - 1000);
    cr_assert_eq(amt(mapped, "cr.produits_financiers", 0), 0);
    cr_assert_eq(amt(mapped, "cr.charges_exceptionnelles", 0), -2000);
    cr_assert_eq(amt(mapped, "cr.produits_exceptionnels", 0), 0);
    cr_assert_eq(amt(mapped, "cr.autres_charges", 0), 3000); /* penalties: 658200 */
    /* the earlier model, for comparison: the same year in its own headings */
    cr_assert_eq(amt(own, "cr.subventions", 0), 400000);
    cr_assert_eq(amt(own, "cr.reprises", 0), 60000);
    cr_assert_eq(amt(own, "cr.produits_exceptionnels", 0), 80000 + 200000 + 2000);
    /* the note: every row used, with its amount */
    stmt_map_line lines[STMT_MAP_ROWS];
    size_t k = stmt_map_lines(mapped, lines, STMT_MAP_ROWS);
    cr_assert_eq(k, 9, "%zu lines", k);
    bool seen_777 = false, seen_747 = false;
    for (size_t i = 0; i < k; i++) {
        if (!strcmp(lines[i].from, "777000")) {
            seen_777 = true;
            cr_assert_str_eq(lines[i].to, "747000");
            cr_assert_str_eq(lines[i].heading,
                             "Quote-part des subventions d'investissement virée au résultat");
            cr_assert_eq(mapped->mapped[lines[i].row][0], -80000);
        }
        if (!strcmp(lines[i].from, "747000")) {
            seen_747 = true;
            cr_assert_str_eq(lines[i].to, "741000");
            cr_assert_str_eq(lines[i].from_label,
                             "Subventions d'exploitation - Fonds européens (FSE, FEDER)");
            cr_assert_str_eq(lines[i].to_label, "Subventions d'exploitation");
        }
    }
    cr_assert(seen_777 && seen_747);
    /* the 2018 model never reclassifies, even when asked */
    stmt_result *plain = compute_in(STMT_MODEL_2018, year_2024, n, "2024", true);
    cr_assert_not(plain->mapped_col[0]);
    cr_assert_eq(stmt_map_lines(plain, lines, STMT_MAP_ROWS), 0);
    free(own);
    free(mapped);
    free(plain);
}

Test(statements2025, the_comparative_column_joins_a_2025_statement)
{
    stmt_result *now = compute_in(STMT_MODEL_2025, year_2025,
                                  sizeof year_2025 / sizeof year_2025[0], "2025", false);
    stmt_result *prev = compute_in(STMT_MODEL_2025, year_2024,
                                   sizeof year_2024 / sizeof year_2024[0], "2024", true);
    stmt_result *old = compute_in(STMT_MODEL_2018, year_2024,
                                  sizeof year_2024 / sizeof year_2024[0], "2024", false);
    /* a column of the other model is refused, dst unchanged */
    cr_assert_eq(stmt_append_column(now, old, 0, "2024"), -1);
    cr_assert_eq(now->ncols, 1);
    cr_assert_eq(stmt_append_column(now, prev, 0, "2024"), 0);
    cr_assert_eq(now->ncols, 2);
    cr_assert(now->mapped_col[1] && !now->mapped_col[0]);
    cr_assert_eq(amt(now, "cr.quote_part_subventions", 1), 80000);
    char why[256] = "";
    cr_assert_eq(stmt_check(now, 1, why, sizeof why), 0, "%s", why);

    /* the text note follows the table, names the column and the accounts */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(stmt_render(now, OUT_TABLE, f), 0);
    fclose(f);
    cr_assert(strstr(buf, "Reprises sur amortissements, dépréciations et provisions") ||
                  !strstr(buf, "transferts de charges"),
              "%s", buf);
    const char *note = strstr(buf, "Note — columns presented in the 2025 model (2024)");
    cr_assert(note, "%s", buf);
    cr_assert(
        strstr(note,
               "777000 Quote-part des subventions d'investissement virée au résultat de l'exercice "
               "(and sub-accounts) -> 747000"),
        "%s", note);
    cr_assert(
        strstr(
            note,
            "791000 Transferts de charges d'exploitation (and sub-accounts) -> 649000 "
            "Remboursements de charges de personnel [Salaires et traitements]; 2024: 600.00 credit"),
        "%s", note);
    free(buf);
    /* data formats carry no note */
    buf = NULL;
    f = open_memstream(&buf, &len);
    cr_assert_eq(stmt_render(now, OUT_CSV, f), 0);
    fclose(f);
    cr_assert_null(strstr(buf, "Note"));
    cr_assert(strstr(buf, "cr.quote_part_subventions"));
    free(buf);

    /* the HTML page: the model named, the column marked, the note's table */
    stmt_doc doc = {.heading = "Comptes annuels",
                    .entity = "Alpha",
                    .siren = "111111111",
                    .fy = 2025,
                    .from = 20250101,
                    .to = 20251231,
                    .col_titles = {"Exercice 2025", "Exercice 2024"}};
    buf = NULL;
    f = open_memstream(&buf, &len);
    cr_assert_eq(stmt_render_html(now, &doc, f), 0);
    fclose(f);
    cr_assert(strstr(buf, "règlement ANC n° 2018-06 modifié par le règlement ANC n° 2023-03"), "%s",
              buf);
    cr_assert(strstr(buf, "modèle 2025 (voir la note)"));
    const char *h = strstr(buf, "Reclassements de l");
    cr_assert(h, "no note section");
    cr_assert(strstr(h, "777000") && strstr(h, "747000") &&
              strstr(h, "Remboursements de charges de personnel"));
    cr_assert(strstr(h,
                     ">800,00\xC2\xA0"
                     "C<") &&
                  strstr(h,
                         ">600,00\xC2\xA0"
                         "C<"),
              "amounts in the note: %s", h);
    cr_assert_null(strstr(buf, "<script"));
    free(buf);
    /* a 2024 page in its own model: the 2018 regulation, no note */
    buf = NULL;
    f = open_memstream(&buf, &len);
    doc.fy = 2024;
    cr_assert_eq(stmt_render_html(old, &doc, f), 0);
    fclose(f);
    cr_assert(strstr(buf, "présentation du règlement ANC n° 2018-06 ·") ||
                  strstr(buf, "règlement ANC n° 2018-06<"),
              "%s", buf);
    cr_assert_null(strstr(buf, "2023-03"));
    cr_assert_null(strstr(buf, "Reclassements de l"));
    cr_assert(strstr(buf, "transferts de charges"));
    free(buf);
    free(now);
    free(prev);
    free(old);
}

Test(statements2025, group_columns_reclassify_only_the_flagged_entities)
{
    /* entity a in 2025 books (747 = grant release), entity b still in its
     * 2024-07 year (747 = European funds), eliminations, combined */
    stmt_account rows[] = {
        {"747000", {-100000, -300000, 0}},
        {"512000", {100000, 300000, 0}},
    };
    stmt_input in = {
        .model = STMT_MODEL_2025,
        .ncols = 4,
        .col_names = {"a", "b", "eliminations", "combined"},
        .col_kind = {STMT_COL_BALANCE, STMT_COL_BALANCE, STMT_COL_ELIMINATIONS, STMT_COL_SUM},
        .sum_from = {0, 0, 0, 0},
        .map_2018 = {false, true, false, true},
        .accounts = rows,
        .count = 2};
    stmt_result *r = malloc(sizeof *r);
    stmt_compute(&in, r);
    cr_assert_eq(amt(r, "cr.quote_part_subventions", 0), 100000);
    cr_assert_eq(amt(r, "cr.subventions", 1), 300000);
    cr_assert_eq(amt(r, "cr.quote_part_subventions", 3), 100000);
    cr_assert_eq(amt(r, "cr.subventions", 3), 300000);
    /* the sum column inherits the reclassification of b, not a's 747 */
    cr_assert(r->mapped_col[1] && r->mapped_col[3] && !r->mapped_col[0] && !r->mapped_col[2]);
    size_t row747 = (size_t)(gl_chart_change_of((gl_str){"747000", 6}) - gl_chart_changes_2025);
    cr_assert_eq(r->mapped[row747][1], -300000);
    cr_assert_eq(r->mapped[row747][3], -300000);
    cr_assert_eq(r->mapped[row747][0], 0);
    for (size_t l = 0; l < r->count; l++)
        cr_assert_eq(r->lines[l].amount[0] + r->lines[l].amount[1] + r->lines[l].amount[2],
                     r->lines[l].amount[3], "%s", r->lines[l].label);
    cr_assert(has_key(r, "cr.valeurs_cessions"));
    free(r);
}
