/*
 * tests/integration/test_annexe.c — `grandlivre annexe` against the real
 * daemon: a small ledger of two years (2025 closed, 2026 open) posted with
 * ordinary entries — fixed assets bought, depreciated and scrapped, a
 * provision made and partly taken back, a receivable impaired, dedicated
 * funds reported and used, a loan, the appropriation of 2025's result,
 * contributions in kind — then the annexe of 2026: every table ties to the
 * balance sheet (exit 0), the figures a reader sees are the ones computed
 * by hand here, the notes file fills its sections, the balance sheet shows
 * gross / depreciation / net, and the PDF is printed by Chromium.  The
 * refusals: the previous year not closed, an unreadable notes file.
 */
#include "tests/support/harness.h"

#include "proto/analytic.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(annexe, .init = setup, .fini = teardown, .timeout = 300);

static void post(uint32_t date, const char *da, const char *daux, const char *ca, int64_t cents)
{
    gl_line_in l[2] = {{da, daux, "", "", 'D', cents}, {ca, "", "", "", 'C', cents}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "OD",
                     .piece_ref = "AX",
                     .label = "annexe test",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = l};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), 0, "post %s/%s %u", da, ca, date);
    gl_response_free(&r);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *s = malloc(1 << 20);
    size_t n = fread(s, 1, (1 << 20) - 1, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* 2025: capital, equipment and software, a loan, a sale on credit, the
 * year's depreciation, a provision, dedicated funds, volunteers.  Result:
 * 5 000 - 2 400 - 500 - 700 = 1 400,00 (surplus). */
static void year_2025(void)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha"), 0);
    post(20250105, "512000", "", "102000", 10000000);
    post(20250110, "512000", "", "164000", 2000000);
    post(20250201, "218300", "", "512000", 1200000);
    post(20250202, "205000", "", "404000", 300000);
    post(20250301, "411000", "U1", "706000", 500000);
    post(20251231, "681100", "", "281830", 240000);
    post(20251231, "681500", "", "151000", 50000);
    post(20251231, "689400", "", "194000", 70000);
    post(20250615, "864000", "", "875000", 80000);
}

static void close_2025(void)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --tenant alpha --through 2025-12 --yes"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "close-year --tenant alpha --year 2025"), 0);
}

/* 2026: the 2025 surplus to the reserves, equipment bought and a part
 * scrapped (fully depreciated), depreciation, a provision taken back,
 * dedicated funds used, a receivable impaired, the loan repaid in part,
 * volunteers and a gift in kind.  Result: 200 + 300 - 3 000 - 50 =
 * -2 550,00 (deficit). */
static void year_2026(void)
{
    post(20260315, "120000", "", "106800", 140000);
    post(20260401, "218300", "", "512000", 400000);
    post(20260402, "281830", "", "218300", 100000);
    post(20261231, "681100", "", "281830", 300000);
    post(20261231, "151000", "", "781500", 20000);
    post(20261231, "194000", "", "789400", 30000);
    post(20261231, "681740", "", "491000", 5000);
    post(20261010, "164000", "", "512000", 200000);
    post(20260615, "864000", "", "875000", 90000);
    post(20260616, "861000", "", "870000", 10000);
}

/* What the last runs wrote on stderr. */
static const char *err_text(void)
{
    static char buf[8192];
    h_cli_err(&h, buf, sizeof buf);
    return buf;
}

static bool has(const char *page, const char *s)
{
    /* amounts are written with U+202F between thousands: compare with it */
    char want[256];
    size_t n = 0;
    for (const char *p = s; *p && n < sizeof want - 4; p++) {
        if (*p == '_') {
            memcpy(want + n, "\xE2\x80\xAF", 3);
            n += 3;
        } else {
            want[n++] = *p;
        }
    }
    want[n] = '\0';
    return strstr(page, want) != NULL;
}

/* The <tr> of the table section `id` whose label is `label`, as text. */
static char *row_of(const char *page, const char *id, const char *label, char *out, size_t len)
{
    char anchor[128];
    snprintf(anchor, sizeof anchor, "id=\"%s\"", id);
    const char *s = strstr(page, anchor);
    cr_assert(s, "no section %s", id);
    const char *end = strstr(s, "</section>");
    const char *l = strstr(s, label);
    cr_assert(l && l < end, "no row %s in %s", label, id);
    const char *tr_end = strstr(l, "</tr>");
    snprintf(out, len, "%.*s", (int)(tr_end - l), l);
    return out;
}

#define ROW_HAS(page, id, label, text)                                               \
    do {                                                                             \
        char row_[2048];                                                             \
        row_of(page, id, label, row_, sizeof row_);                                  \
        cr_assert(has(row_, text), "%s / %s: want %s in %s", id, label, text, row_); \
    } while (0)

Test(annexe, tables_tie_to_the_balance_sheet)
{
    year_2025();
    close_2025();
    year_2026();
    char notes[600], html[600];
    snprintf(notes, sizeof notes, "%s/notes.md", h.dir);
    snprintf(html, sizeof html, "%s/annexe.html", h.dir);
    FILE *f = fopen(notes, "w");
    cr_assert(f);
    fputs(
        "Instructions before the first heading are ignored.\n\n"
        "# Règles et méthodes comptables\n\nComptes établis selon le règlement ANC n° 2018-06.\n\n"
        "- Amortissement linéaire\n- Matériel informatique : 5 ans\n\n"
        "# Faits caractéristiques de l'exercice\n\nRachat de matériel <neuf> & mise au rebut.\n"
        "# Engagements hors bilan\nNéant.\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2026 --notes %s -o %s",
                       notes, html),
                 0, "%s", err_text());
    char *page = read_all(html);
    /* fixed assets, gross: 12 000 + 3 000 at the opening, 4 000 bought,
     * 1 000 scrapped, 18 000 at the closing */
    ROW_HAS(page, "immobilisations", "Immobilisations corporelles (21)", "12_000,00");
    ROW_HAS(page, "immobilisations", "Immobilisations corporelles (21)", "4_000,00");
    ROW_HAS(page, "immobilisations", "Immobilisations corporelles (21)", "1_000,00");
    ROW_HAS(page, "immobilisations", "Immobilisations corporelles (21)", "15_000,00");
    ROW_HAS(page, "immobilisations", "Total", "18_000,00");
    /* depreciation: 2 400 + 3 000 - 1 000 = 4 400 */
    ROW_HAS(page, "amortissements", "Total", "2_400,00");
    ROW_HAS(page, "amortissements", "Total", "3_000,00");
    ROW_HAS(page, "amortissements", "Total", "4_400,00");
    /* provisions 500 - 200 = 300; the receivable's impairment 50 */
    ROW_HAS(page, "provisions", "Provisions pour risques (151)", "300,00");
    ROW_HAS(page, "provisions", "Dépréciations des comptes de tiers (49)", "50,00");
    /* dedicated funds 700 - 300 = 400 */
    ROW_HAS(page, "fonds-dedies", "Total", "700,00");
    ROW_HAS(page, "fonds-dedies", "Total", "400,00");
    /* equity: 101 400 at the opening (capital and the 2025 result), the
     * result moved to the reserves, the 2026 deficit, 98 850 at the end */
    ROW_HAS(page, "fonds-propres", "Total", "101_400,00");
    ROW_HAS(page, "fonds-propres", "Total", "2_550,00");
    ROW_HAS(page, "fonds-propres", "Total", "98_850,00");
    ROW_HAS(page, "fonds-propres", "Réserves", "1_400,00");
    /* maturities: the loan over one year, the supplier within */
    ROW_HAS(page, "echeances", "Emprunts et dettes auprès des établissements de crédit",
            "18_000,00");
    ROW_HAS(page, "echeances", "Dettes sur immobilisations", "3_000,00"); /* 404 */
    ROW_HAS(page, "echeances", "Total des dettes", "21_000,00");
    ROW_HAS(page, "echeances", "Créances usagers", "5_000,00");
    /* contributions in kind: 900 of volunteers and 100 given */
    ROW_HAS(page, "contributions", "Bénévolat", "900,00");
    ROW_HAS(page, "contributions", "Dons en nature", "100,00");
    cr_assert(strstr(page, "Non renseigné (aucune feuille de temps"));
    /* the notes: known sections filled, text escaped, list items; the
     * section not written is "non renseigné" */
    cr_assert(strstr(page, "<li>Amortissement linéaire</li>"));
    cr_assert(strstr(page, "Rachat de matériel &lt;neuf&gt; &amp; mise au rebut."));
    cr_assert_null(strstr(page, "Instructions before"));
    const char *after = strstr(page, "id=\"evenements\"");
    cr_assert(after && strstr(after, "Non renseigné."));
    /* every tie holds, none failed; self-contained */
    cr_assert(strstr(page, "class=\"ties\"") && !strstr(page, "class=\"ko\""));
    cr_assert_null(strstr(page, "<script"));
    cr_assert_null(strstr(page, "src="));
    free(page);

    /* the balance sheet of 2026: gross, depreciation, net; 2025 net */
    char *out = malloc(1 << 20);
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, 1 << 20, "statements --tenant alpha --year 2026 --format csv"),
        0);
    cr_assert(strstr(out,
                     "ACTIF,actif.corporelles,Immobilisations corporelles,15000.00,4400.00,"
                     "10600.00,9600.00"),
              "%s", out);
    free(out);

    /* PDF through Chromium */
    if (access("/usr/bin/chromium", X_OK) == 0) {
        char pdf[600];
        snprintf(pdf, sizeof pdf, "%s/annexe.pdf", h.dir);
        cr_assert_eq(
            h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2026 --pdf %s", pdf), 0,
            "%s", err_text());
        char *p = read_all(pdf);
        cr_assert(!strncmp(p, "%PDF", 4));
        free(p);
        /* an existing file is refused without --force */
        cr_assert_eq(
            h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2026 --pdf %s", pdf), 2);
    }
}

/* A first year imported from other software opens with its à-nouveaux
 * (journal AN, its first day): they are the tables' opening column, not
 * the year's increases. */
Test(annexe, a_first_year_opens_with_its_imported_a_nouveaux)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha"), 0);
    gl_line_in an[] = {{"218300", "", "", "", 'D', 1200000},
                       {"512000", "", "", "", 'D', 800000},
                       {"281830", "", "", "", 'C', 400000},
                       {"102000", "", "", "", 'C', 1500000},
                       {"110000", "", "", "", 'C', 100000}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "AN",
                     .piece_ref = "AN2025",
                     .label = "Reprise des soldes",
                     .date = 20250101,
                     .piece_date = 20250101,
                     .line_count = 5,
                     .lines = an};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), 0);
    gl_response_free(&r);
    post(20250301, "218300", "", "512000", 300000);
    post(20251231, "681100", "", "281830", 250000);
    char html[600];
    snprintf(html, sizeof html, "%s/annexe-first.html", h.dir);
    int rc = h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2025 -o '%s'", html);
    cr_assert_eq(rc, 0, "%s", err_text());
    char *page = read_all(html);
    /* gross: opening 12 000, increase 3 000, closing 15 000 */
    char row[2048];
    row_of(page, "immobilisations", "Immobilisations corporelles (21)", row, sizeof row);
    cr_expect(has(row, "12_000,00") && has(row, "3_000,00") && has(row, "15_000,00"), "%s", row);
    /* depreciation: opening 4 000, charge 2 500, closing 6 500 */
    row_of(page, "amortissements", "Total", row, sizeof row);
    cr_expect(has(row, "4_000,00") && has(row, "2_500,00") && has(row, "6_500,00"), "%s", row);
    /* equity: the capital and the report à nouveau are the opening */
    row_of(page, "fonds-propres", "Report à nouveau", row, sizeof row);
    cr_expect(has(row, "1_000,00"), "%s", row);
    free(page);
}

Test(annexe, refusals)
{
    year_2025();
    post(20260110, "512000", "", "706000", 1000);
    /* 2025 has entries and is not closed: no opening for 2026 */
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2026"), 2);
    cr_assert(strstr(err_text(), "not closed"), "%s", err_text());
    /* 2025 itself (no previous year) ties */
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2025 -o %s/a.html", h.dir), 0,
        "%s", err_text());
    /* a notes file that is not there, a year without entries, another
     * tenant's books */
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2025 --notes %s/none", h.dir),
        2);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2023"), 2);
    cr_assert_eq(h_cli(&h, K_BETA, NULL, 0, "annexe --tenant alpha --year 2025"), 1);
}

/* An analytic request of the accountant's; its status. */
static int an_set(uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b->data, b->len, &r);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

static void open_code(const char *axis, const char *code)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_code_set_q cq = {
        {axis, strlen(axis)}, {code, strlen(code)}, GL_AN_OPEN, {code, strlen(code)}};
    gl_an_code_set_q_encode(&b, &cq);
    cr_assert_eq(an_set(GL_KIND_ANALYTIC_CODE_SET, &b), GL_OK);
}

/* Staff numbers from the year's time sheets: EMP1 full time all year,
 * EMP2 half time for six months: 2 employees, (12 x 100 % + 6 x 50 %) / 12
 * = 1,25 full-time equivalent. */
Test(annexe, staff_numbers_from_time_sheets)
{
    year_2025();
    for (const char *const *a = (const char *const[]){"salarie", "action", NULL}; *a; a++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_an_axis_set_q q = {{*a, strlen(*a)}, GL_AN_OPEN, {*a, strlen(*a)}};
        gl_an_axis_set_q_encode(&b, &q);
        cr_assert_eq(an_set(GL_KIND_ANALYTIC_AXIS_SET, &b), GL_OK);
    }
    open_code("salarie", "EMP1");
    open_code("salarie", "EMP2");
    open_code("action", "ACCUEIL");
    char csv[600], html[600];
    snprintf(csv, sizeof csv, "%s/hours.csv", h.dir);
    snprintf(html, sizeof html, "%s/annexe.html", h.dir);
    FILE *f = fopen(csv, "w");
    cr_assert(f);
    fputs("employee;month;action;hours;working time\n", f);
    for (int m = 1; m <= 12; m++) {
        fprintf(f, "EMP1;2025-%02d;ACCUEIL;140;100\n", m);
        if (m <= 6)
            fprintf(f, "EMP2;2025-%02d;ACCUEIL;70;50\n", m);
    }
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "timesheets import --tenant alpha '%s'", csv), 0,
                 "%s", err_text());
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2025 -o %s", html), 0,
                 "%s", err_text());
    char *page = read_all(html);
    ROW_HAS(page, "effectifs", "Salariés ayant une feuille de temps", ">2<");
    ROW_HAS(page, "effectifs", "Effectif moyen en équivalent temps plein", "1,25");
    free(page);
}

/* The fonds dédiés per grant under the table of the 19 accounts: a
 * dedicated grant of 50 000 of which 35 500 was spent in 2026, the 14 500
 * left reported (D 689400 / C 194000) by `dedicated-funds --post`. */
Test(annexe, dedicated_funds_per_grant)
{
    static const char *const setup[] = {
        "accounts load-chart --tenant alpha",
        "accounts open --tenant alpha 741700 'Subventions des départements'",
        "analytic axis open action --tenant alpha --label Actions",
        "analytic axis open financeur --tenant alpha --label Financeurs",
        "analytic code open action PROJ-P --tenant alpha --label 'Projet P'",
        "analytic code open financeur CD59 --tenant alpha --label 'Département du Nord'",
        "grants set CD59-P-2026 --tenant alpha --label 'Projet P' --funder CD59 --action PROJ-P "
        "--account 741700 --amount 50000,00 --from 2026-01-01 --to 2027-12-31 --dedicated",
    };
    for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "%s", setup[i]), 0, "%s: %s", setup[i],
                     err_text());
    char path[600], html[600];
    snprintf(path, sizeof path, "%s/entries.json", h.dir);
    snprintf(html, sizeof html, "%s/annexe.html", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "{\"entries\": [\n"
        "{\"date\": \"2026-02-01\", \"journal\": \"BQ\", \"piece\": \"CD59-1\", \"label\": "
        "\"Subvention projet P\", \"lines\": [\n"
        "  {\"account\": \"512000\", \"debit\": \"50000.00\"},\n"
        "  {\"account\": \"741700\", \"credit\": \"50000.00\", \"analytic\": {\"action\": "
        "\"PROJ-P\", \"financeur\": \"CD59\"}}]},\n"
        "{\"date\": \"2026-06-30\", \"journal\": \"AC\", \"piece\": \"F-1\", \"label\": "
        "\"Fournitures P\", \"lines\": [\n"
        "  {\"account\": \"606000\", \"debit\": \"35500.00\", \"analytic\": {\"action\": "
        "\"PROJ-P\"}},\n"
        "  {\"account\": \"401000\", \"credit\": \"35500.00\"}]}]}\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "post --tenant alpha %s", path), 0, "%s", err_text());
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "dedicated-funds --year 2026 --tenant alpha --post"), 0,
        "%s", err_text());
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "annexe --tenant alpha --year 2026 -o %s", html), 0,
                 "%s", err_text());
    char *page = read_all(html);
    ROW_HAS(page, "fonds-dedies", "Fonds dédiés sur subventions", "14_500,00");
    ROW_HAS(page, "fonds-dedies-subventions", "CD59-P-2026 — Projet P (CD59)", "14_500,00");
    ROW_HAS(page, "fonds-dedies-subventions", "Total", "14_500,00");
    cr_assert_null(strstr(page, "class=\"ko\""));
    free(page);
}
