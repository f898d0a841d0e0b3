/*
 * tests/unit/test_annexe.c — client/annexe: the annexe's tables from
 * hand-made movements (opening, debits, credits per account), their ties to
 * the balance sheet computed from the same closing balances (every tie
 * holds; a forged balance sheet fails the tie it touches, and only it), the
 * maturity rule, the notes file's sections, and the page (escaping, "Non
 * renseigné", page breaks).
 */
#include "client/annexe/annexe.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A year: opening balances (debit - credit) and the year's movements. */
static const ax_account year[] = {
    {"102000", -10000000, 0, 0},         /* capital */
    {"106800", 0, 0, 140000},            /* the reserves get last year's surplus */
    {"120000", -140000, 140000, 0},      /* last year's surplus, appropriated */
    {"164000", -2000000, 200000, 0},     /* a loan, repaid in part */
    {"168800", 0, 0, 12000},             /* its accrued interest */
    {"151000", -50000, 20000, 0},        /* a provision, taken back in part */
    {"194000", -70000, 30000, 0},        /* dedicated funds used */
    {"205000", 300000, 0, 0},            /* software */
    {"218300", 1200000, 400000, 100000}, /* equipment bought and scrapped */
    {"281830", -240000, 100000, 300000}, /* its depreciation */
    {"280500", -60000, 0, 60000},
    {"274000", 50000, 0, 0},   /* a loan granted: over one year */
    {"404000", -300000, 0, 0}, /* a supplier of fixed assets */
    {"411000", 500000, 0, 0},
    {"491000", 0, 0, 5000},
    {"512000", 10810000, 0, 600000},
    {"661100", 0, 12000, 0},
    {"681100", 0, 360000, 0},
    {"681740", 0, 5000, 0},
    {"781500", 0, 0, 20000},
    {"789400", 0, 0, 30000},
    {"864000", 0, 90000, 0},
    {"875000", 0, 0, 90000},
};
#define NYEAR (sizeof year / sizeof year[0])

typedef struct fixture {
    stmt_account rows[NYEAR];
    stmt_result bilan;
    ax_result r;
} fixture;

/* The balance sheet of the closing balances (column 0) and of the
 * opening ones (column 1: the previous year after its close), then the
 * tables. */
static fixture *build(void)
{
    fixture *x = calloc(1, sizeof *x);
    cr_assert(x);
    for (size_t i = 0; i < NYEAR; i++) {
        x->rows[i].account = year[i].account;
        x->rows[i].net[0] = year[i].opening + year[i].debit - year[i].credit;
        x->rows[i].net[1] = year[i].opening;
    }
    stmt_input in = {
        .ncols = 2, .col_names = {"2026", "2025"}, .accounts = x->rows, .count = NYEAR};
    stmt_compute(&in, &x->bilan);
    x->bilan.gross_detail = true;
    char why[256];
    cr_assert_eq(stmt_check(&x->bilan, 0, why, sizeof why), 0, "%s", why);
    ax_input ai = {.accounts = year,
                   .count = NYEAR,
                   .bilan_rows = x->rows,
                   .bilan_count = NYEAR,
                   .bilan = &x->bilan,
                   .with_prev = true};
    ax_compute(&ai, &x->r);
    cr_assert_not(x->r.overflow);
    return x;
}

static const ax_row *row(const ax_tab *t, const char *label)
{
    for (size_t i = 0; i < t->count; i++)
        if (!strncmp(t->rows[i].label, label, strlen(label)))
            return &t->rows[i];
    cr_assert_fail("no row %s in %s", label, t->title);
    return NULL;
}

static void want(const int64_t *v, size_t n, const int64_t *expected, const char *what)
{
    for (size_t c = 0; c < n; c++)
        cr_assert_eq(v[c], expected[c], "%s, column %zu: %lld, want %lld", what, c, (long long)v[c],
                     (long long)expected[c]);
}

Test(annexe, movement_tables)
{
    fixture *x = build();
    const ax_result *r = &x->r;
    want(row(&r->t[AX_GROSS], "Immobilisations corporelles")->v, 4,
         (int64_t[]){1200000, 400000, 100000, 1500000}, "21");
    want(r->t[AX_GROSS].total, 4, (int64_t[]){1550000, 400000, 100000, 1850000}, "gross total");
    want(row(&r->t[AX_DEPREC], "Amortissements des immobilisations corporelles")->v, 4,
         (int64_t[]){240000, 300000, 100000, 440000}, "281");
    want(r->t[AX_DEPREC].total, 4, (int64_t[]){300000, 360000, 100000, 560000}, "28 total");
    want(row(&r->t[AX_PROV], "Provisions pour risques")->v, 4, (int64_t[]){50000, 0, 20000, 30000},
         "151");
    want(row(&r->t[AX_PROV], "Dépréciations des comptes de tiers")->v, 4,
         (int64_t[]){0, 5000, 0, 5000}, "491");
    want(r->t[AX_FUNDS].total, 4, (int64_t[]){70000, 0, 30000, 40000}, "194");
    /* equity: the surplus moves from 12 to the reserves in the
     * appropriation column; the year's deficit is a decrease */
    want(row(&r->t[AX_EQUITY], "Réserves")->v, 5, (int64_t[]){0, 140000, 0, 0, 140000}, "106");
    want(row(&r->t[AX_EQUITY], "Résultat en instance")->v, 5, (int64_t[]){140000, -140000, 0, 0, 0},
         "12");
    int64_t result = 20000 + 30000 - 12000 - 360000 - 5000;
    want(row(&r->t[AX_EQUITY], "Résultat de l'exercice")->v, 5,
         (int64_t[]){0, 0, 0, -result, result}, "result");
    want(r->t[AX_EQUITY].total, 5, (int64_t[]){10140000, 0, 0, -result, 10140000 + result},
         "equity total");
    free(x);
}

Test(annexe, maturity_by_account)
{
    fixture *x = build();
    const ax_tab *m = &x->r.t[AX_MATURITY];
    /* the loan is over one year, its accrued interest within */
    want(row(m, "Emprunts et dettes auprès")->v, 3, (int64_t[]){1800000, 0, 1800000}, "164");
    want(row(m, "Emprunts et dettes financières diverses")->v, 3, (int64_t[]){12000, 12000, 0},
         "1688");
    want(row(m, "Créances de l'actif immobilisé")->v, 3, (int64_t[]){50000, 0, 50000}, "274");
    /* receivables gross (the 491 impairment is not deducted) */
    want(row(m, "Créances usagers")->v, 3, (int64_t[]){500000, 500000, 0}, "411");
    want(row(m, "Total des dettes")->v, 3, (int64_t[]){2112000, 312000, 1800000}, "debts");
    free(x);
}

Test(annexe, every_tie_holds)
{
    fixture *x = build();
    cr_assert_eq(ax_tie_check(&x->r, &x->bilan, true), 0);
    cr_assert_geq(x->r.tie_count, 30);
    for (size_t i = 0; i < x->r.tie_count; i++)
        cr_assert(x->r.ties[i].ok, "%s", x->r.ties[i].what);
    free(x);
}

/* A balance sheet that differs from the books (forged here) fails the
 * ties it touches, with both amounts; the others still hold. */
Test(annexe, a_forged_balance_sheet_fails_its_tie)
{
    fixture *x = build();
    stmt_line *prov = (stmt_line *)stmt_find(&x->bilan, "passif.provisions");
    prov->amount[0] += 1;
    cr_assert_eq(ax_tie_check(&x->r, &x->bilan, true), 1);
    const ax_tie *bad = NULL;
    for (size_t i = 0; i < x->r.tie_count; i++)
        if (!x->r.ties[i].ok)
            bad = &x->r.ties[i];
    cr_assert(bad && strstr(bad->what, "Provisions (15)"), "%s", bad ? bad->what : "");
    cr_assert_eq(bad->table, 30000);
    cr_assert_eq(bad->bilan, 30001);
    prov->amount[0] -= 1;
    /* the depreciation of the fixed assets (the gross, amount +
     * depreciation, moves with it), and the previous year's equity */
    ((stmt_line *)stmt_find(&x->bilan, "actif.immobilise"))->deprec[0] += 100;
    ((stmt_line *)stmt_find(&x->bilan, "passif.fonds_propres"))->amount[1] -= 7;
    cr_assert_eq(ax_tie_check(&x->r, &x->bilan, true), 3);
    /* without the previous year, its tie is not made */
    cr_assert_eq(ax_tie_check(&x->r, &x->bilan, false), 2);
    /* an overflow is a failure too */
    x->r.overflow = true;
    cr_assert_eq(ax_tie_check(&x->r, &x->bilan, true), 4);
    free(x);
}

Test(annexe, notes_sections)
{
    static const char text[] =
        "Instructions: ignored.\n"
        "# REGLES ET METHODES COMPTABLES\n\nLinéaire.\n\n"
        "## Informations complémentaires\nAutre chose.\n"
        "# Engagements hors bilan\n\n\n"
        "# Événements postérieurs à la clôture\nNéant.\n";
    ax_notes n;
    char why[200];
    cr_assert_eq(ax_notes_parse(text, strlen(text), &n, why, sizeof why), 0, "%s", why);
    cr_assert_str_eq(n.body[AX_RULES], "Linéaire.");
    cr_assert_null(n.body[AX_EVENTS]);
    cr_assert_str_eq(n.body[AX_COMMIT], "");
    cr_assert_str_eq(n.body[AX_AFTER], "Néant.");
    cr_assert_eq(n.extra, 1);
    cr_assert_str_eq(n.extra_title[0], "Informations complémentaires");
    cr_assert_str_eq(n.extra_body[0], "Autre chose.");
    ax_notes_free(&n);
    static const char twice[] = "# Engagements hors bilan\na\n# Engagements\nb\n";
    cr_assert_eq(ax_notes_parse(twice, strlen(twice), &n, why, sizeof why), -1);
    cr_assert(strstr(why, "twice"), "%s", why);
    cr_assert_eq(ax_notes_parse("# a\0b", 5, &n, why, sizeof why), -1);
    cr_assert(strstr(why, "NUL"), "%s", why);
}

Test(annexe, page)
{
    fixture *x = build();
    ax_tie_check(&x->r, &x->bilan, true);
    static const char text[] =
        "# Faits caractéristiques de l'exercice\n<b>Déménagement</b> & "
        "travaux.\n\n- un\n  suite\n- deux\n";
    ax_notes n;
    char why[200];
    cr_assert_eq(ax_notes_parse(text, strlen(text), &n, why, sizeof why), 0);
    ax_doc doc = {.entity = "Club <Ping> & Pong",
                  .siren = "111111111",
                  .fy = 2026,
                  .from = 20260101,
                  .to = 20261231,
                  .notes = &n,
                  .staff = {.known = true, .employees = 2, .fte_per_mille = 1500}};
    char *html = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&html, &len);
    cr_assert_eq(ax_render_html(&x->r, &x->bilan, &doc, f), 0);
    fclose(f);
    cr_assert(strstr(html, "Club &lt;Ping&gt; &amp; Pong"));
    cr_assert(strstr(html, "<p>&lt;b&gt;Déménagement&lt;/b&gt; &amp; travaux.</p>"), "%s", html);
    cr_assert(strstr(html, "<ul>\n<li>un suite</li>\n<li>deux</li>\n</ul>"), "%s", html);
    cr_assert(strstr(html, "Non renseigné."), "the rules section is not written");
    cr_assert(strstr(html, "section.tab{break-before:page"));
    cr_assert(strstr(html, "1,50"), "the staff's full-time equivalent");
    cr_assert(strstr(html,
                     "18\xE2\x80\xAF"
                     "500,00"),
              "the gross total");
    cr_assert_null(strstr(html, "class=\"ko\""));
    cr_assert_null(strstr(html, "<script"));
    free(html);
    ax_notes_free(&n);
    free(x);
}
