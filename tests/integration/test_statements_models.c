/*
 * tests/integration/test_statements_models.c — `grandlivre statements` in
 * the model of each fiscal year, against the real daemon.  One tenant keeps
 * its 2024 books in the earlier chart (transfers of charges on 791000, an
 * investment grant released on 777000, a disposal on 675000 / 775000, the
 * European Social Fund on 747000, then an operating grant), closes 2024,
 * and keeps its 2025 books in the 2025 chart (747000 now the release of
 * investment grants, a disposal on 652000 / 757000, a refund on 649000, a
 * flood — a major and unusual event — as the only exceptional items).
 * The 2024 statement is in the 2018 model, the 2025 one in the 2025 model
 * with its 2024 column reclassified into the 2025 headings and the note
 * that shows how; every column's totals tie to the trial balance the daemon
 * gives (`balance`): result = classes 7 - 6, TOTAL ACTIF = TOTAL PASSIF =
 * the balance sheet computed here from the balances.  Both HTML pages are
 * rendered by headless Chromium; the screenshots stay in
 * $GL_BUILD/test-output/ for a person to look at.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(statement_models, .init = setup, .fini = teardown, .timeout = 300);

static void post(uint32_t date, const char *debit, const char *credit, int64_t cents)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, lines);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK, "post %s/%s on %u: %.*s", debit,
                 credit, date, (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
}

/* 2024 in the earlier chart, closed; 2025 in the 2025 chart. */
static void two_charts(void)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    post(20240102, "512000", "102000", 5000000);
    post(20240115, "218300", "512000", 1200000);
    post(20240120, "512000", "131000", 400000); /* an investment grant */
    post(20240301, "512000", "706000", 1500000);
    post(20240401, "512000", "747000", 300000); /* European Social Fund: 747 in the 2018 chart */
    post(20240402, "441700", "742000", 100000); /* a Region's operating grant, receivable */
    post(20240501, "641100", "512000", 1200000);
    post(20240601, "512000", "791000", 60000); /* training costs refunded: a transfer of charges */
    post(20240701, "606100", "401000", 268000);
    post(20240801, "512000", "775000", 200000); /* a van sold ... */
    post(20240801, "675000", "218300", 150000); /* ... at its book value */
    post(20241231, "139000", "777000", 80000);  /* the investment grant released */
    post(20241231, "681100", "281830", 240000);
    post(20241231, "864000", "875000", 70000); /* volunteers */
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --yes --tenant alpha --through 2024-12"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "close-year --tenant alpha --year 2024"), 0);

    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
    post(20250115, "512000", "741000", 900000);
    post(20250116, "512000", "706000", 2000000);
    post(20250201, "641100", "512000", 1500000);
    post(20250301, "512000", "649000", 80000);  /* a refund, credited to the charge it concerns */
    post(20250401, "512000", "757000", 450000); /* equipment sold ... */
    post(20250401, "652000", "218300", 300000); /* ... its book value */
    post(20250601, "678000", "512000", 600000); /* a flood: major and unusual */
    post(20250602, "512000", "778000", 500000);
    post(20250701, "401000", "512000", 268000);
    post(20251231, "139000", "747000", 120000); /* the investment grant released, 2025 style */
    post(20251231, "681100", "281830", 210000);
    post(20251231, "864000", "875000", 90000);
}

/* ---- the command's JSON ----------------------------------------------- */

static json_t *run_json(enum h_key k, const char *fmt_args)
{
    char *out = malloc(1 << 20);
    cr_assert_eq(h_cli(&h, k, out, 1 << 20, "%s --format json", fmt_args), 0, "%s", fmt_args);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    cr_assert(j && json_is_array(j), "%s: %s", e.text, out);
    free(out);
    return j;
}

static json_t *row_of(json_t *rows, const char *key)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, "key")), key))
            return row;
    }
    return NULL;
}

static int64_t get(json_t *rows, const char *key, const char *col)
{
    json_t *row = row_of(rows, key);
    cr_assert(row, "no line %s", key);
    json_t *v = json_object_get(row, col);
    cr_assert(json_is_integer(v), "%s has no column %s", key, col);
    return (int64_t)json_integer_value(v);
}

static const char *heading(json_t *rows, const char *key)
{
    json_t *row = row_of(rows, key);
    cr_assert(row, "no line %s", key);
    return json_string_value(json_object_get(row, "heading"));
}

/* The trial balance on the last day of a year, before its closing entry,
 * as the daemon gives it, summed the plainest way: result = classes 7 - 6;
 * the balance sheet from classes 1-5 (no account here has both signs
 * within it), the unclosed result in the passif. */
typedef struct tb {
    int64_t produits, charges, actif, passif;
} tb;

static tb trial_balance(const char *at)
{
    json_t *rows = run_json(K_AUDITOR, at);
    tb t = {0};
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *a = json_string_value(json_object_get(row, "account"));
        int64_t b = (int64_t)json_integer_value(json_object_get(row, "balance"));
        switch (a[0]) {
        case '1': t.passif -= b; break;
        case '2':
        case '3': t.actif += b; break;
        case '4':
        case '5':
            if (b > 0)
                t.actif += b;
            else
                t.passif -= b;
            break;
        case '6':
            t.charges += b;
            t.passif -= b;
            break;
        case '7':
            t.produits -= b;
            t.passif -= b;
            break;
        default: break; /* class 8: off the balance sheet */
        }
    }
    json_decref(rows);
    cr_assert_eq(t.actif, t.passif, "the trial balance itself balances");
    return t;
}

static void ties(json_t *rows, const char *col, const tb *t, int64_t moved_out_of_produits)
{
    cr_assert_eq(get(rows, "cr.resultat", col), t->produits - t->charges,
                 "%s: result = classes 7 - 6", col);
    cr_assert_eq(get(rows, "passif.resultat", col), t->produits - t->charges, "%s", col);
    cr_assert_eq(get(rows, "cr.total_produits", col), t->produits - moved_out_of_produits,
                 "%s: produits", col);
    cr_assert_eq(get(rows, "cr.total_charges", col), t->charges - moved_out_of_produits,
                 "%s: charges", col);
    cr_assert_eq(get(rows, "actif.total", col), t->actif, "%s: TOTAL ACTIF", col);
    cr_assert_eq(get(rows, "passif.total", col), t->passif, "%s: TOTAL PASSIF", col);
    cr_assert_eq(get(rows, "cvn.emplois", col), get(rows, "cvn.contributions", col), "%s: 86 = 87",
                 col);
}

Test(statement_models, each_year_in_its_model_tying_to_the_trial_balance)
{
    two_charts();
    tb t24 = trial_balance("balance --tenant alpha --at 2024-12-31");
    tb t25 = trial_balance("balance --tenant alpha --at 2025-12-31");

    /* 2024: the 2018 model, its headings and its totals */
    json_t *y24 = run_json(K_AUDITOR, "statements --tenant alpha --year 2024");
    ties(y24, "2024", &t24, 0);
    cr_assert_str_eq(
        heading(y24, "cr.reprises"),
        "Reprises sur amortissements, dépréciations, provisions et transferts de charges");
    cr_assert_null(row_of(y24, "cr.quote_part_subventions"));
    cr_assert_null(row_of(y24, "cr.produits_cessions"));
    cr_assert_eq(get(y24, "cr.reprises", "2024"), 60000);
    cr_assert_eq(get(y24, "cr.subventions", "2024"), 300000 + 100000);
    cr_assert_eq(get(y24, "cr.produits_exceptionnels", "2024"), 200000 + 80000);
    cr_assert_eq(get(y24, "cr.charges_exceptionnelles", "2024"), 150000);

    /* 2025: the 2025 model; the 2024 column in it */
    json_t *y25 = run_json(K_ALPHA, "statements --tenant alpha --year 2025");
    ties(y25, "2025", &t25, 0);
    /* reclassified: the result and the balance sheet of 2024 unchanged, the
     * refund of 2024 now deducted from the staff costs (out of produits) */
    ties(y25, "2024", &t24, 60000);
    cr_assert_str_eq(heading(y25, "cr.reprises"),
                     "Reprises sur amortissements, dépréciations et provisions");
    cr_assert_str_eq(heading(y25, "cr.quote_part_subventions"),
                     "Quote-part des subventions d'investissement virée au résultat");
    cr_assert_eq(get(y25, "cr.quote_part_subventions", "2025"), 120000);
    cr_assert_eq(get(y25, "cr.quote_part_subventions", "2024"), 80000); /* 777000 */
    cr_assert_eq(get(y25, "cr.subventions", "2025"), 900000);
    cr_assert_eq(get(y25, "cr.subventions", "2024"),
                 300000 + 100000); /* the 2024 747000: a grant */
    cr_assert_eq(get(y25, "cr.produits_cessions", "2025"), 450000);
    cr_assert_eq(get(y25, "cr.produits_cessions", "2024"), 200000); /* 775000 */
    cr_assert_eq(get(y25, "cr.valeurs_cessions", "2025"), 300000);
    cr_assert_eq(get(y25, "cr.valeurs_cessions", "2024"), 150000); /* 675000 */
    cr_assert_eq(get(y25, "cr.reprises", "2024"), 0);
    cr_assert_eq(get(y25, "cr.salaires", "2025"), 1500000 - 80000);
    cr_assert_eq(get(y25, "cr.salaires", "2024"), 1200000 - 60000); /* 791000 */
    /* the exceptional result holds the flood only; none in 2024 any more */
    cr_assert_eq(get(y25, "cr.resultat_exceptionnel", "2025"), 500000 - 600000);
    cr_assert_eq(get(y25, "cr.resultat_exceptionnel", "2024"), 0);
    cr_assert_eq(get(y25, "cr.resultat_exploitation", "2024"),
                 get(y24, "cr.resultat_exploitation", "2024") +
                     get(y24, "cr.resultat_exceptionnel", "2024"));
    json_decref(y24);
    json_decref(y25);

    /* the table says which model, and the 2025 one shows the mapping */
    char *out = malloc(1 << 20);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 20, "statements --tenant alpha --year 2024"), 0);
    cr_assert(strstr(out, "2018 model (règlement ANC n° 2018-06)"), "%s", out);
    cr_assert_null(strstr(out, "Note —"), "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 20,
                       "statements --tenant alpha --year 2025 --format table-fr"),
                 0);
    cr_assert(
        strstr(out, "2025 model (règlement ANC n° 2018-06 modifié par le règlement ANC n° 2023-03"),
        "%s", out);
    cr_assert(strstr(out, "Quote-part des subventions d'investissement virée au résultat"), "%s",
              out);
    cr_assert_null(strstr(out, "transferts de charges"), "%s", out);
    const char *note = strstr(out, "Note — columns presented in the 2025 model (2024)");
    cr_assert(note, "%s", out);
    cr_assert(
        strstr(note,
               "777000 Quote-part des subventions d'investissement virée au résultat de l'exercice "
               "(and sub-accounts) -> 747000"),
        "%s", note);
    cr_assert(
        strstr(
            note,
            "747000 Subventions d'exploitation - Fonds européens (FSE, FEDER) (and sub-accounts) -> "
            "741000 Subventions d'exploitation [Concours publics et subventions d'exploitation]; "
            "2024: 3 000,00 credit"),
        "%s", note);
    cr_assert(
        strstr(note, "791000 Transferts de charges d'exploitation (and sub-accounts) -> 649000"),
        "%s", note);
    cr_assert(strstr(note, "675000") && strstr(note, "775000") && strstr(note, "742000"), "%s",
              note);
    free(out);
}

/* ---- HTML in a real browser ------------------------------------------- */

static void output_dir(char dir[400])
{
    snprintf(dir, 400, "%s/test-output", h_build_dir());
    mkdir(dir, 0755);
    struct stat st;
    cr_assert(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "%s", dir);
}

/* Render path in headless Chromium into png, a window height_px tall so
 * that the whole page shows (bounded by timeout(1)). */
static void screenshot(const char *path, const char *png, int height_px)
{
    if (access("/usr/bin/chromium", X_OK) != 0)
        cr_skip_test("/usr/bin/chromium is not installed");
    char profile[] = "/tmp/gl-chromium-XXXXXX", cmd[2048];
    cr_assert(mkdtemp(profile));
    unlink(png);
    snprintf(
        cmd, sizeof cmd,
        "timeout -k 5 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
        "--no-first-run --disable-background-networking --disable-component-update --disable-sync "
        "--user-data-dir=%s --screenshot=%s --window-size=1000,%d 'file://%s' >%s/chromium.log 2>&1",
        profile, png, height_px, path, h.dir);
    int status = system(cmd);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", profile);
    cr_assert(system(cmd) == 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "chromium failed (status %d), see %s/chromium.log", status, h.dir);
    FILE *f = fopen(png, "rb");
    cr_assert(f, "no screenshot %s", png);
    unsigned char magic[8];
    cr_assert_eq(fread(magic, 1, 8, f), 8);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    cr_assert(!memcmp(magic, "\x89PNG\r\n\x1a\n", 8), "not a PNG");
    cr_assert_gt(size, 30000, "a screenshot of %ld bytes is blank", size);
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

Test(statement_models, html_pages_of_both_models_render_in_chromium)
{
    char dir[400], html[500], png[500];
    two_charts();
    output_dir(dir);
    for (int y = 2024; y <= 2025; y++) {
        snprintf(html, sizeof html, "%s/statements-model-%d.html", dir, y);
        snprintf(png, sizeof png, "%s/statements-model-%d.png", dir, y);
        cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0,
                           "statements --tenant alpha --year %d --format html --force -o %s", y,
                           html),
                     0);
        char *page = read_all(html);
        cr_assert(!strncmp(page, "<!DOCTYPE html>", 15));
        cr_assert_null(strstr(page, "<script"));
        cr_assert_null(strstr(page, "src="));
        if (y == 2024) {
            cr_assert(strstr(page, "présentation du règlement ANC n° 2018-06</p>"), "%s", page);
            cr_assert(strstr(page, "transferts de charges"));
            cr_assert_null(strstr(page, "Reclassements de l"));
        } else {
            cr_assert(
                strstr(page, "règlement ANC n° 2018-06 modifié par le règlement ANC n° 2023-03"),
                "%s", page);
            cr_assert(strstr(page, "Exercice 2025") && strstr(page, "Exercice 2024"));
            cr_assert(strstr(page, "modèle 2025 (voir la note)"));
            cr_assert(
                strstr(page, "Quote-part des subventions d&#39;investissement virée au résultat"));
            cr_assert(strstr(page, "événements majeurs et inhabituels"));
            cr_assert_null(strstr(page, "transferts de charges</td>"));
            const char *note = strstr(page, "Reclassements de l'exercice comparatif");
            cr_assert(note, "no note");
            cr_assert(strstr(note, "777000") && strstr(note, "791000") && strstr(note, "649000"));
            cr_assert(strstr(note, "Salaires et traitements"));
        }
        free(page);
        screenshot(html, png, y == 2024 ? 2600 : 3200);
    }
}

Test(statement_models, help_says_which_chart_and_model_apply_when)
{
    char *out = malloc(1 << 16);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 16, "statements --help"), 0);
    cr_assert(strstr(out,
                     "Which model: a fiscal year opened before 2025-01-01 is presented in the\n"
                     "models of règlement ANC 2018-06"),
              "%s", out);
    cr_assert(strstr(out, "2023-03") && strstr(out, "reclassified"), "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 16, "accounts --help"), 0);
    cr_assert(
        strstr(out, "Which chart applies: a fiscal year opened before 2025-01-01 is kept in the"),
        "%s", out);
    cr_assert(strstr(out, "the 2018-06 models before 2025, the 2025 models from"), "%s", out);
    free(out);
}
