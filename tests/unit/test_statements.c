/*
 * tests/unit/test_statements.c — client/statements: the bilan, compte de
 * résultat and contributions en nature computed from hand-made balances.
 * The heading table first (every total resolves, no prefix taken twice,
 * every account of the standard chart lands in exactly the statements it
 * belongs to), then the refusals (overflow at every step, balances that
 * belong to no statement), then the identities on small ledgers (actif =
 * passif, result = produits - charges, 86 = 87), the heading of each kind of
 * balance (a 401 debit balance is an asset, a 512 credit balance a debt),
 * the group columns (eliminations and a line-by-line combined total), the
 * previous-year column, and the renderers (CSV keys, HTML escaping and
 * French amounts).
 */
#include "client/input/chart.h"
#include "client/statements/html.h"
#include "client/statements/statements.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bal {
    const char *account;
    int64_t net; /* debit - credit, cents */
} bal;

/* The statements of one column of balances; the caller frees the result. */
static stmt_result *compute1(const bal *b, size_t n)
{
    stmt_account *rows = calloc(n ? n : 1, sizeof *rows);
    cr_assert(rows);
    for (size_t i = 0; i < n; i++) {
        rows[i].account = b[i].account;
        rows[i].net[0] = b[i].net;
    }
    stmt_input in = {.ncols = 1, .col_names = {"2025"}, .accounts = rows, .count = n};
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

/* ---- the heading table ------------------------------------------------ */

Test(statements, heading_table_is_consistent)
{
    char why[256] = "";
    cr_assert_eq(stmt_table_check(why, sizeof why), 0, "%s", why);
}

/* Every account of the standard chart, with a debit and with a credit
 * balance, lands in exactly the statements it belongs to. */
Test(statements, every_standard_account_has_its_headings)
{
    cr_assert_gt(gl_standard_chart_count, 300);
    for (size_t i = 0; i < gl_standard_chart_count; i++) {
        const char *a = gl_standard_chart[i].account;
        char cls = a[0];
        for (int sign = -1; sign <= 1; sign += 2) {
            const char *bilan = stmt_classify(STMT_BILAN, a, sign);
            const char *cr = stmt_classify(STMT_CR, a, sign);
            const char *cvn = stmt_classify(STMT_CVN_STATEMENT, a, sign);
            if (cls >= '1' && cls <= '5') {
                cr_assert(bilan && !cr && !cvn, "%s", a);
                /* a balance-sheet account is an asset or a liability */
                cr_assert(!strncmp(bilan, "actif.", 6) || !strncmp(bilan, "passif.", 7), "%s -> %s",
                          a, bilan);
                cr_assert_neq(strcmp(bilan, "passif.resultat"), 0, "%s", a);
            } else if (cls == '6' || cls == '7') {
                cr_assert(bilan && !strcmp(bilan, "passif.resultat"), "%s -> %s", a,
                          bilan ? bilan : "-");
                cr_assert(cr && !strncmp(cr, "cr.", 3) && !cvn, "%s", a);
            } else {
                cr_assert_eq(cls, '8');
                cr_assert(!bilan && !cr && cvn, "%s", a);
            }
        }
    }
}

Test(statements, each_kind_of_balance_gets_its_heading)
{
    static const struct {
        enum stmt_statement s;
        const char *account;
        int64_t net;
        const char *key;
    } cases[] = {
        /* the side depends on the balance for third parties and banks */
        {STMT_BILAN, "401000", 1, "actif.autres_creances"}, /* supplier paid in advance */
        {STMT_BILAN, "401000", -1, "passif.fournisseurs"},
        {STMT_BILAN, "409100", 1, "actif.avances"},
        {STMT_BILAN, "411000", 1, "actif.usagers"},
        {STMT_BILAN, "411000", -1, "passif.autres_dettes"}, /* user who paid in advance */
        {STMT_BILAN, "419100", -1, "passif.autres_dettes"},
        {STMT_BILAN, "512000", 1, "actif.disponibilites"},
        {STMT_BILAN, "512000", -1, "passif.emprunts_credit"}, /* overdraft */
        {STMT_BILAN, "519000", -1, "passif.emprunts_credit"},
        {STMT_BILAN, "530000", 1, "actif.disponibilites"},
        {STMT_BILAN, "421000", -1, "passif.fiscales_sociales"},
        {STMT_BILAN, "425000", 1, "actif.autres_creances"},
        {STMT_BILAN, "431000", -1, "passif.fiscales_sociales"},
        {STMT_BILAN, "441700", 1, "actif.autres_creances"}, /* grant receivable */
        {STMT_BILAN, "404000", -1, "passif.dettes_immobilisations"},
        {STMT_BILAN, "455000", -1, "passif.emprunts_divers"},
        {STMT_BILAN, "461000", 1, "actif.creances_legs"},
        {STMT_BILAN, "466000", -1, "passif.dettes_legs"},
        {STMT_BILAN, "486000", 1, "actif.cca"},
        {STMT_BILAN, "487000", -1, "passif.pca"},
        {STMT_BILAN, "491000", -1, "actif.usagers"}, /* depreciation reduces the receivables */
        {STMT_BILAN, "496000", -1, "actif.autres_creances"},
        {STMT_BILAN, "590000", -1, "actif.vmp"},
        /* fixed assets net of depreciation */
        {STMT_BILAN, "205000", 1, "actif.incorporelles"},
        {STMT_BILAN, "280500", -1, "actif.incorporelles"},
        {STMT_BILAN, "218300", 1, "actif.corporelles"},
        {STMT_BILAN, "281830", -1, "actif.corporelles"},
        {STMT_BILAN, "240000", 1, "actif.legs"},
        {STMT_BILAN, "294000", -1, "actif.legs"},
        {STMT_BILAN, "275000", 1, "actif.financieres"},
        {STMT_BILAN, "391000", -1, "actif.stocks"},
        /* fonds propres, fonds dédiés, provisions */
        {STMT_BILAN, "102000", -1, "passif.fp_sans_reprise"},
        {STMT_BILAN, "103400", -1, "passif.fp_avec_reprise"},
        {STMT_BILAN, "106800", -1, "passif.reserves"},
        {STMT_BILAN, "110000", -1, "passif.report"},
        {STMT_BILAN, "119000", 1,
         "passif.report"}, /* a debit report à nouveau stays in the passif */
        {STMT_BILAN, "120000", -1, "passif.resultat_instance"},
        {STMT_BILAN, "129000", 1, "passif.resultat_instance"},
        {STMT_BILAN, "131000", -1, "passif.subventions_invest"},
        {STMT_BILAN, "145000", -1, "passif.provisions_reglementees"},
        {STMT_BILAN, "151000", -1, "passif.provisions_risques"},
        {STMT_BILAN, "158000", -1, "passif.provisions_charges"},
        {STMT_BILAN, "164000", -1, "passif.emprunts_credit"},
        {STMT_BILAN, "167000", -1, "passif.emprunts_obligataires"},
        {STMT_BILAN, "191000", -1, "passif.fonds_reportes"},
        {STMT_BILAN, "194000", -1, "passif.fonds_dedies"},
        {STMT_BILAN, "196000", -1, "passif.fonds_dedies"},
        {STMT_BILAN, "606100", 1, "passif.resultat"}, /* the unclosed result */
        {STMT_BILAN, "706000", -1, "passif.resultat"},
        {STMT_BILAN, "864000", 1, NULL}, /* class 8 is off the balance sheet */
        {STMT_BILAN, "901000", 1, NULL},
        /* compte de résultat */
        {STMT_CR, "756100", -1, "cr.cotisations"},
        {STMT_CR, "706100", -1, "cr.ventes"},
        {STMT_CR, "741000", -1, "cr.subventions"},
        {STMT_CR, "754110", -1, "cr.generosite"},
        {STMT_CR, "755100", -1, "cr.contributions"},
        {STMT_CR, "789400", -1, "cr.utilisations_fonds_dedies"},
        {STMT_CR, "781500", -1, "cr.reprises"},
        {STMT_CR, "791000", -1, "cr.reprises"},
        {STMT_CR, "758000", -1, "cr.autres_produits"},
        {STMT_CR, "709000", 1, "cr.ventes"}, /* a rebate reduces the sales */
        {STMT_CR, "768000", -1, "cr.produits_financiers"},
        {STMT_CR, "786000", -1, "cr.produits_financiers"},
        {STMT_CR, "777000", -1, "cr.produits_exceptionnels"},
        {STMT_CR, "607000", 1, "cr.achats"},
        {STMT_CR, "603700", -1, "cr.variation_stocks"},
        {STMT_CR, "606400", 1, "cr.charges_externes"},
        {STMT_CR, "628100", 1, "cr.charges_externes"},
        {STMT_CR, "657100", 1, "cr.aides"},
        {STMT_CR, "631100", 1, "cr.impots_taxes"},
        {STMT_CR, "641100", 1, "cr.salaires"},
        {STMT_CR, "645100", 1, "cr.charges_sociales"},
        {STMT_CR, "647500", 1, "cr.charges_sociales"},
        {STMT_CR, "681100", 1, "cr.dotations_amortissements"},
        {STMT_CR, "681500", 1, "cr.dotations_provisions"},
        {STMT_CR, "689400", 1, "cr.reports_fonds_dedies"},
        {STMT_CR, "658600", 1, "cr.autres_charges"},
        {STMT_CR, "661100", 1, "cr.charges_financieres"},
        {STMT_CR, "686600", 1, "cr.charges_financieres"},
        {STMT_CR, "671200", 1, "cr.charges_exceptionnelles"},
        {STMT_CR, "687500", 1, "cr.charges_exceptionnelles"},
        {STMT_CR, "691000", 1, "cr.participation"},
        {STMT_CR, "695000", 1, "cr.impots_benefices"},
        {STMT_CR, "512000", 1, NULL},
        /* contributions en nature */
        {STMT_CVN_STATEMENT, "864000", 1, "cvn.personnel_benevole"},
        {STMT_CVN_STATEMENT, "861100", 1, "cvn.mises_a_disposition"},
        {STMT_CVN_STATEMENT, "860000", 1, "cvn.secours"},
        {STMT_CVN_STATEMENT, "862000", 1, "cvn.prestations"},
        {STMT_CVN_STATEMENT, "875000", -1, "cvn.benevolat"},
        {STMT_CVN_STATEMENT, "870000", -1, "cvn.dons"},
        {STMT_CVN_STATEMENT, "871000", -1, "cvn.prestations_recues"},
        {STMT_CVN_STATEMENT, "801000", 1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = stmt_classify(cases[i].s, cases[i].account, cases[i].net);
        if (!cases[i].key)
            cr_assert_null(got, "%s -> %s", cases[i].account, got);
        else
            cr_assert(got && !strcmp(got, cases[i].key), "%s (%s) -> %s, want %s", cases[i].account,
                      cases[i].net > 0 ? "debit" : "credit", got ? got : "nothing", cases[i].key);
    }
}

/* ---- refusals: overflow, balances outside the statements -------------- */

Test(statements, overflow_is_detected_at_every_step)
{
    /* one heading: two debit balances of INT64_MAX */
    bal a[] = {{"512000", INT64_MAX}, {"530000", INT64_MAX}};
    stmt_result *r = compute1(a, 2);
    cr_assert(r->overflow);
    char why[128];
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), -1);
    free(r);
    /* the credit side of INT64_MIN cannot be shown */
    bal b[] = {{"401000", INT64_MIN}};
    r = compute1(b, 1);
    cr_assert(r->overflow);
    free(r);
    /* each heading fits, their total does not */
    bal c[] = {{"512000", INT64_MAX}, {"411000", 1}};
    r = compute1(c, 2);
    cr_assert(r->overflow);
    free(r);
    /* the largest amount that fits is exact */
    bal d[] = {{"512000", INT64_MAX}, {"102000", -INT64_MAX}};
    r = compute1(d, 2);
    cr_assert_not(r->overflow);
    cr_assert_eq(amt(r, "actif.total", 0), INT64_MAX);
    cr_assert_eq(amt(r, "passif.total", 0), INT64_MAX);
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), 0, "%s", why);
    free(r);
    /* the result line: produits - charges overflowing */
    bal e[] = {{"706000", -INT64_MAX},
               {"606100", -INT64_MAX},
               {"512000", INT64_MAX},
               {"530000", INT64_MAX}};
    r = compute1(e, 4);
    cr_assert(r->overflow);
    free(r);
}

Test(statements, balances_outside_every_statement_are_reported)
{
    /* an analytical (class 9) pair and an unbalanced class 8 */
    bal a[] = {{"512000", 1000}, {"102000", -1000}, {"901000", 500},
               {"902000", -500}, {"864000", 700},   {"512000", -700}};
    stmt_result *r = compute1(a, 6);
    cr_assert_not(r->overflow);
    cr_assert_eq(r->ignored, 2);
    cr_assert_str_eq(r->ignored_example, "901000");
    char why[256];
    /* 864 without its 875: actif = passif fails, and so does 86 = 87 */
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), -1);
    cr_assert(strstr(why, "TOTAL ACTIF"), "%s", why);
    free(r);
}

/* ---- identities on small ledgers -------------------------------------- */

/* A year of a small association: every entry balances. */
static const bal small_year[] = {
    {"102000", -2881000}, {"110000", -350000}, {"218300", 600000},   {"281830", -240000},
    {"512000", 3315000},  {"530000", 15000},   {"411000", 420000}, /* users, aux U1 */
    {"411000", -30000},                                            /* user U2 paid in advance */
    {"401000", -510000},                                           /* suppliers */
    {"401000", 45000},                                             /* FOURN02 paid twice */
    {"421000", -120000},  {"431000", -95000},  {"441700", 250000},   {"486000", 12000},
    {"194000", -80000},   {"151000", -60000},  {"706000", -2100000}, {"741000", -900000},
    {"756100", -150000},  {"768000", -4000},   {"606100", 310000},   {"613200", 240000},
    {"641100", 1500000},  {"645100", 600000},  {"681100", 120000},   {"689400", 80000},
    {"661100", 11000},    {"671200", 2000},    {"864000", 450000},   {"875000", -450000},
};

static int64_t sum_nets(const bal *b, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += b[i].net;
    return s;
}

Test(statements, small_year_identities_and_headings)
{
    size_t n = sizeof small_year / sizeof small_year[0];
    cr_assert_eq(sum_nets(small_year, n), 0, "the test ledger itself must balance");
    stmt_result *r = compute1(small_year, n);
    cr_assert_not(r->overflow);
    cr_assert_eq(r->ignored, 0);
    char why[256] = "";
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), 0, "%s", why);
    /* produits and charges, from the hand-made balances */
    int64_t produits = 2100000 + 900000 + 150000 + 4000;
    int64_t charges = 310000 + 240000 + 1500000 + 600000 + 120000 + 80000 + 11000 + 2000;
    cr_assert_eq(amt(r, "cr.total_produits", 0), produits);
    cr_assert_eq(amt(r, "cr.total_charges", 0), charges);
    cr_assert_eq(amt(r, "cr.resultat", 0), produits - charges);
    cr_assert_eq(amt(r, "passif.resultat", 0), produits - charges);
    cr_assert_eq(amt(r, "cr.resultat_exploitation", 0),
                 2100000 + 900000 + 150000 - (charges - 11000 - 2000));
    cr_assert_eq(amt(r, "cr.resultat_financier", 0), 4000 - 11000);
    cr_assert_eq(amt(r, "cr.resultat_exceptionnel", 0), -2000);
    /* each heading with its accounts */
    cr_assert_eq(amt(r, "actif.corporelles", 0), 600000 - 240000);
    cr_assert_eq(amt(r, "actif.usagers", 0), 420000);
    cr_assert_eq(amt(r, "actif.autres_creances", 0), 45000 + 250000);
    cr_assert_eq(amt(r, "actif.disponibilites", 0), 3315000 + 15000);
    cr_assert_eq(amt(r, "actif.cca", 0), 12000);
    cr_assert_eq(amt(r, "passif.fournisseurs", 0), 510000);
    cr_assert_eq(amt(r, "passif.autres_dettes", 0), 30000);
    cr_assert_eq(amt(r, "passif.fiscales_sociales", 0), 120000 + 95000);
    cr_assert_eq(amt(r, "passif.fonds_dedies", 0), 80000);
    cr_assert_eq(amt(r, "passif.reportes_dedies", 0), 80000);
    cr_assert_eq(amt(r, "passif.provisions", 0), 60000);
    cr_assert_eq(amt(r, "passif.report", 0), 350000);
    cr_assert_eq(amt(r, "cr.subventions", 0), 900000);
    cr_assert_eq(amt(r, "cr.cotisations", 0), 150000);
    cr_assert_eq(amt(r, "cr.reports_fonds_dedies", 0), 80000);
    /* the totals against a direct computation */
    int64_t actif = 600000 - 240000 + 420000 + 45000 + 250000 + 3315000 + 15000 + 12000;
    cr_assert_eq(amt(r, "actif.total", 0), actif);
    cr_assert_eq(amt(r, "passif.total", 0), actif);
    cr_assert_eq(amt(r, "cvn.emplois", 0), 450000);
    cr_assert_eq(amt(r, "cvn.contributions", 0), 450000);
    free(r);
}

Test(statements, a_deficit_and_a_debit_report_a_nouveau)
{
    bal a[] = {{"102000", -100000},
               {"119000", 30000},
               {"512000", -20000}, /* overdraft */
               {"606100", 150000},
               {"706000", -60000}};
    cr_assert_eq(sum_nets(a, 5), 0);
    stmt_result *r = compute1(a, 5);
    char why[256] = "";
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), 0, "%s", why);
    cr_assert_eq(amt(r, "cr.resultat", 0), -90000);
    cr_assert_eq(amt(r, "passif.resultat", 0), -90000);
    cr_assert_eq(amt(r, "passif.report", 0), -30000);
    cr_assert_eq(amt(r, "passif.emprunts_credit", 0), 20000);
    cr_assert_eq(amt(r, "actif.total", 0), 0);
    cr_assert_eq(amt(r, "passif.total", 0), 0);
    free(r);
}

/* ---- the group: eliminations and the combined column ------------------ */

Test(statements, group_columns_add_up_line_by_line)
{
    /* A invoices B 2 000,00 for shared costs; B has a user paid in advance;
     * columns: A, B, eliminations, combined */
    stmt_account rows[] = {
        {"411000", {200000, 0, -200000}}, {"706100", {-200000, 0, 200000}},
        {"628000", {0, 200000, -200000}}, {"401000", {0, -200000, 200000}},
        {"512000", {500000, 300000, 0}},  {"102000", {-500000, -250000, 0}},
        {"411000", {0, -50000, 0}},
    };
    stmt_input in = {
        .ncols = 4,
        .col_names = {"a", "b", "eliminations", "combined"},
        .col_kind = {STMT_COL_BALANCE, STMT_COL_BALANCE, STMT_COL_ELIMINATIONS, STMT_COL_SUM},
        .sum_from = {0, 0, 0, 0},
        .accounts = rows,
        .count = 7};
    stmt_result *r = malloc(sizeof *r);
    stmt_compute(&in, r);
    cr_assert_not(r->overflow);
    char why[256] = "";
    for (size_t c = 0; c < 4; c++)
        cr_assert_eq(stmt_check(r, c, why, sizeof why), 0, "%s", why);
    /* the intercompany receivable and payable are removed on their own
     * headings, not turned into a debt and a receivable */
    cr_assert_eq(amt(r, "actif.usagers", 0), 200000);
    cr_assert_eq(amt(r, "actif.usagers", 2), -200000);
    cr_assert_eq(amt(r, "actif.usagers", 3), 0);
    cr_assert_eq(amt(r, "passif.fournisseurs", 1), 200000);
    cr_assert_eq(amt(r, "passif.fournisseurs", 2), -200000);
    cr_assert_eq(amt(r, "passif.fournisseurs", 3), 0);
    /* B's user paid in advance stays a debt in the combined accounts */
    cr_assert_eq(amt(r, "passif.autres_dettes", 3), 50000);
    cr_assert_eq(amt(r, "cr.ventes", 3), 0);
    cr_assert_eq(amt(r, "cr.charges_externes", 3), 0);
    /* every line: entities + eliminations = combined */
    for (size_t i = 0; i < r->count; i++)
        cr_assert_eq(r->lines[i].amount[0] + r->lines[i].amount[1] + r->lines[i].amount[2],
                     r->lines[i].amount[3], "%s", r->lines[i].label);
    cr_assert_eq(amt(r, "actif.total", 3), 800000);
    free(r);
}

Test(statements, an_adjustment_corrects_the_balance_on_its_own_heading)
{
    /* A holds a receivable of 1 000,00 the group's adjustment cancels (a
     * cut-off between two entities), and a reclassification into an
     * account the entities do not use; columns: A, eliminations,
     * adjustments, combined */
    stmt_account rows[] = {
        {"411000", {100000, 0, -100000}}, {"512000", {400000, 0, 0}}, {"102000", {-500000, 0, 0}},
        {"706000", {0, 0, 100000}},       {"468600", {0, 0, 30000}},  {"606100", {0, 0, -30000}},
    };
    stmt_input in = {
        .ncols = 4,
        .col_names = {"a", "eliminations", "adjustments", "combined"},
        .col_kind = {STMT_COL_BALANCE, STMT_COL_ELIMINATIONS, STMT_COL_ADJUSTMENTS, STMT_COL_SUM},
        .sum_from = {0, 0, 0, 0},
        .accounts = rows,
        .count = sizeof rows / sizeof rows[0]};
    stmt_result *r = malloc(sizeof *r);
    stmt_compute(&in, r);
    cr_assert_not(r->overflow);
    /* the receivable is reduced on its heading, not doubled into a debt */
    cr_assert_eq(amt(r, "actif.usagers", 2), -100000);
    cr_assert_eq(amt(r, "actif.usagers", 3), 0);
    cr_assert_eq(amt(r, "passif.autres_dettes", 2), 0);
    cr_assert_eq(amt(r, "passif.autres_dettes", 3), 0);
    /* on an account no entity uses, the adjustment's own sign */
    cr_assert_eq(amt(r, "actif.autres_creances", 2), 30000);
    /* every line: entities + eliminations + adjustments = combined */
    for (size_t i = 0; i < r->count; i++)
        cr_assert_eq(r->lines[i].amount[0] + r->lines[i].amount[1] + r->lines[i].amount[2],
                     r->lines[i].amount[3], "%s", r->lines[i].label);
    cr_assert_eq(amt(r, "actif.total", 3), 430000);
    free(r);
}

Test(statements, previous_year_column_is_appended)
{
    size_t n = sizeof small_year / sizeof small_year[0];
    stmt_result *now = compute1(small_year, n);
    bal prev_year[] = {{"102000", -4000000}, {"512000", 4350000}, {"706000", -350000}};
    stmt_result *prev = compute1(prev_year, 3);
    cr_assert_eq(stmt_append_column(now, prev, 0, "2024"), 0);
    cr_assert_eq(now->ncols, 2);
    cr_assert_str_eq(now->col_names[1], "2024");
    cr_assert_eq(amt(now, "cr.resultat", 1), 350000);
    cr_assert_eq(amt(now, "actif.disponibilites", 1), 4350000);
    cr_assert_eq(amt(now, "actif.disponibilites", 0), 3330000);
    char why[256] = "";
    cr_assert_eq(stmt_check(now, 1, why, sizeof why), 0, "%s", why);
    /* a full result refuses another column and stays as it was */
    now->ncols = STMT_COLS_MAX;
    cr_assert_eq(stmt_append_column(now, prev, 0, "x"), -1);
    cr_assert_eq(now->ncols, STMT_COLS_MAX);
    free(now);
    free(prev);
}

/* ---- renderers --------------------------------------------------------- */

static char *render_to_string(int (*fn)(const stmt_result *, const void *, FILE *),
                              const stmt_result *r, const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(fn(r, arg, f), 0);
    cr_assert_eq(fclose(f), 0);
    return buf;
}

static int csv_fn(const stmt_result *r, const void *arg, FILE *f)
{
    (void)arg;
    return stmt_render(r, OUT_CSV, f);
}

static int html_fn(const stmt_result *r, const void *arg, FILE *f)
{
    return stmt_render_html(r, arg, f);
}

Test(statements, csv_has_keys_and_exact_amounts)
{
    size_t n = sizeof small_year / sizeof small_year[0];
    stmt_result *r = compute1(small_year, n);
    char *csv = render_to_string(csv_fn, r, NULL);
    cr_assert(!strncmp(csv, "section,key,heading,2025\n", 25), "%.80s", csv);
    cr_assert(strstr(csv, "\nACTIF,actif.disponibilites,Disponibilités,33300.00\n"), "%s", csv);
    cr_assert(
        strstr(csv, "\nRÉSULTAT,cr.resultat,EXCÉDENT OU DÉFICIT (produits − charges),2910.00\n"),
        "%s", csv);
    /* a heading with a comma is quoted */
    cr_assert(strstr(csv, ",\"Impôts, taxes et versements assimilés\",0.00\n"), "%s", csv);
    free(csv);
    free(r);
}

static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    stmt_html_escape(f, s);
    fclose(f);
    return buf;
}

Test(statements, html_escapes_every_special_character)
{
    static const char *const cases[][2] = {
        {"", ""},
        {"plain text é", "plain text é"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"a & b", "a &amp; b"},
        {"\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"},
        {"&amp;", "&amp;amp;"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = escaped(cases[i][0]);
        cr_assert_str_eq(got, cases[i][1]);
        free(got);
    }
    char *none = escaped(NULL);
    cr_assert_str_eq(none, "");
    free(none);
}

Test(statements, html_amounts_are_french)
{
    char out[STMT_HTML_MONEY_MAX];
    cr_assert_str_eq(stmt_html_money(0, out), "0,00");
    cr_assert_str_eq(stmt_html_money(1, out), "0,01");
    cr_assert_str_eq(stmt_html_money(-5, out), "-0,05");
    cr_assert_str_eq(stmt_html_money(123456, out),
                     "1\xE2\x80\xAF"
                     "234,56");
    cr_assert_str_eq(stmt_html_money(-100000000, out),
                     "-1\xE2\x80\xAF"
                     "000\xE2\x80\xAF"
                     "000,00");
    cr_assert_str_eq(stmt_html_money(INT64_MAX, out),
                     "92\xE2\x80\xAF"
                     "233\xE2\x80\xAF"
                     "720\xE2\x80\xAF"
                     "368\xE2\x80\xAF"
                     "547\xE2\x80\xAF"
                     "758,07");
    cr_assert_str_eq(stmt_html_money(INT64_MIN, out),
                     "-92\xE2\x80\xAF"
                     "233\xE2\x80\xAF"
                     "720\xE2\x80\xAF"
                     "368\xE2\x80\xAF"
                     "547\xE2\x80\xAF"
                     "758,08");
}

Test(statements, html_page_is_self_contained_and_escaped)
{
    size_t n = sizeof small_year / sizeof small_year[0];
    stmt_result *r = compute1(small_year, n);
    stmt_doc doc = {.heading = "Comptes annuels",
                    .entity = "<script>alert('x')</script> & Cie",
                    .siren = "123456789",
                    .fy = 2025,
                    .from = 20250101,
                    .to = 20251231,
                    .col_titles = {"Exercice \"2025\""},
                    .notes = {"note <b>1</b>"},
                    .note_count = 1};
    char *html = render_to_string(html_fn, r, &doc);
    cr_assert(!strncmp(html, "<!DOCTYPE html>", 15));
    cr_assert(strstr(html, "<meta charset=\"utf-8\">"));
    cr_assert(strstr(html, "@page{size:A4 portrait"));
    /* nothing from outside is markup */
    cr_assert_null(strstr(html, "<script"), "unescaped script");
    cr_assert_null(strstr(html, "<b>"));
    cr_assert(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Cie"));
    cr_assert(strstr(html, "Exercice &quot;2025&quot;"));
    cr_assert(strstr(html, "note &lt;b&gt;1&lt;/b&gt;"));
    /* no external asset, no script */
    cr_assert_null(strstr(html, "src="));
    cr_assert_null(strstr(html, "href="));
    cr_assert_null(strstr(html, "url("));
    cr_assert_null(strstr(html, "@import"));
    /* title block, amounts, class 8 after the result */
    cr_assert(strstr(html,
                     "SIREN 123\xE2\x80\xAF"
                     "456\xE2\x80\xAF"
                     "789"));
    cr_assert(strstr(html, "du 01/01/2025 au 31/12/2025"));
    cr_assert(strstr(html,
                     ">33\xE2\x80\xAF"
                     "300,00<"),
              "disponibilités");
    const char *result = strstr(html, "EXCÉDENT OU DÉFICIT"),
               *cvn = strstr(html, "Personnel bénévole");
    cr_assert(result && cvn && cvn > result, "class 8 comes below the result");
    /* zero headings are left out, totals stay */
    cr_assert_null(strstr(html, "Immobilisations incorporelles"));
    cr_assert(strstr(html, "Total III — Provisions"));
    free(html);
    /* more than three columns: landscape */
    r->ncols = 5;
    html = render_to_string(html_fn, r, &doc);
    cr_assert(strstr(html, "@page{size:A4 landscape"));
    free(html);
    free(r);
}

/* ---- the actif in gross, depreciation and net (ANC 2018-06) ----------- */

Test(statements, actif_gross_less_depreciation_is_net)
{
    const bal b[] = {
        {"205000", 300000},  {"280500", -100000}, {"218300", 500000}, {"281830", -200000},
        {"291000", -10000},  {"411000", 80000},   {"491000", -5000},  {"512000", 125000},
        {"102000", -690000}, {"706000", -300000}, {"681100", 300000},
    };
    stmt_result *r = compute1(b, sizeof b / sizeof b[0]);
    r->gross_detail = true;
    char why[256];
    cr_assert_eq(stmt_check(r, 0, why, sizeof why), 0, "%s", why);
    static const struct {
        const char *key;
        int64_t gross, deprec;
    } want[] = {
        {"actif.incorporelles", 300000, 100000},
        {"actif.corporelles", 500000, 210000},
        {"actif.usagers", 80000, 5000},
        {"actif.disponibilites", 125000, 0},
        {"actif.immobilise", 800000, 310000},
        {"actif.total", 1005000, 315000},
        {"passif.total", 690000, 0}, /* outside the actif: gross = amount */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const stmt_line *l = stmt_find(r, want[i].key);
        int64_t gross;
        cr_assert(stmt_gross(l, 0, &gross));
        cr_assert_eq(gross, want[i].gross, "%s gross", want[i].key);
        cr_assert_eq(l->deprec[0], want[i].deprec, "%s depreciation", want[i].key);
        cr_assert_eq(gross - l->deprec[0], l->amount[0], "%s: net = gross - depreciation",
                     want[i].key);
    }
    cr_assert_eq(amt(r, "actif.total", 0), amt(r, "passif.total", 0));
    /* a fully depreciated asset (net 0) still shows: gross and depreciation */
    char *csv = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len);
    cr_assert_eq(stmt_render(r, OUT_CSV, f), 0);
    fclose(f);
    cr_assert(!strncmp(csv, "section,key,heading,2025 gross,2025 depreciation,2025\n", 53), "%.80s",
              csv);
    cr_assert(
        strstr(csv,
               "ACTIF,actif.incorporelles,Immobilisations incorporelles,3000.00,1000.00,2000.00"),
        "%s", csv);
    free(csv);
    /* the previous year's column, appended, keeps its own depreciation */
    stmt_result *prev = compute1(b, sizeof b / sizeof b[0]);
    cr_assert_eq(stmt_append_column(r, prev, 0, "2024"), 0);
    cr_assert_eq(stmt_find(r, "actif.total")->deprec[1], 315000);
    free(prev);
    free(r);
}
