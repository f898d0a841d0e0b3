/*
 * tests/integration/test_statements.c — `grandlivre statements` against the
 * real daemon.  A generated year (scripts/gen-year, 2000 entries) imported
 * from its FEC, locked and closed, then a second generated year: the
 * statements of each year, and the previous-year column, are checked against
 * a trial balance computed here from the FEC files alone (client/fec
 * reader, no daemon code): totals of actif, passif, produits, charges and
 * class 8, and the identities actif = passif, result = produits - charges,
 * 86 = 87.  The group's combined statements are checked line by line
 * (entities + eliminations = combined) with intercompany amounts that must
 * vanish.  Finally the HTML pages are opened in headless Chromium, which
 * must render them; the screenshots stay in $GL_BUILD/test-output/ for a
 * person to look at.
 */
#include "tests/support/harness.h"

#include "client/fec/fec_read.h"
#include "client/input/entry_set.h"

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

TestSuite(statements, .init = setup, .fini = teardown, .timeout = 300);

/* ---- the independent trial balance, from FEC files -------------------- */

typedef struct net_row {
    char account[24], aux[24];
    int64_t net; /* debit - credit */
} net_row;

typedef struct model {
    net_row *v;
    size_t count, cap;
} model;

static void model_add(model *m, const char *account, const char *aux, int64_t net)
{
    for (size_t i = 0; i < m->count; i++)
        if (!strcmp(m->v[i].account, account) && !strcmp(m->v[i].aux, aux)) {
            m->v[i].net += net;
            return;
        }
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->v = realloc(m->v, m->cap * sizeof *m->v);
        cr_assert(m->v);
    }
    net_row *r = &m->v[m->count++];
    snprintf(r->account, sizeof r->account, "%s", account);
    snprintf(r->aux, sizeof r->aux, "%s", aux ? aux : "");
    r->net = net;
}

static bool balance_sheet_class(const char *a) { return a[0] >= '1' && a[0] <= '5'; }
static bool any_class(const char *a)
{
    (void)a;
    return true;
}

/* Add the lines of a FEC file whose account passes keep; returns the
 * number of entries. */
static size_t model_read_fec(model *m, const char *path, bool (*keep)(const char *))
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *data = malloc(1 << 24);
    size_t len = fread(data, 1, 1 << 24, f);
    fclose(f);
    gl_entry_set set;
    gl_entry_set_init(&set);
    char err[256];
    cr_assert_eq(gl_fec_read(data, len, "alpha", GL_FEC_ENC_AUTO, &set, err, sizeof err), 0, "%s",
                 err);
    int64_t debit = 0, credit = 0;
    for (size_t i = 0; i < set.count; i++)
        for (size_t l = 0; l < set.entries[i].line_count; l++) {
            const gl_line_in *x = &set.entries[i].lines[l];
            *(x->side == 'D' ? &debit : &credit) += x->amount_cents;
            if (keep(x->account))
                model_add(m, x->account, x->aux ? x->aux : "",
                          x->side == 'D' ? x->amount_cents : -x->amount_cents);
        }
    cr_assert_eq(debit, credit, "the FEC file balances");
    size_t n = set.count;
    gl_entry_set_free(&set);
    free(data);
    return n;
}

typedef struct totals {
    int64_t actif, passif, produits, charges, emplois, contributions, usagers, fournisseurs;
} totals;

static bool starts(const char *a, const char *p) { return !strncmp(a, p, strlen(p)); }

/* The statements' totals by the rules of the presentation, written out
 * again here in their plainest form: classes 2-3 are assets net of their
 * depreciation, classes 4-5 are assets when their (account, aux) balance is
 * a debit and liabilities when it is a credit, class 1 and the unclosed
 * result (classes 6-7) are liabilities.  The few prefixes with a rule of
 * their own (depreciation of receivables, conversion differences, ...)
 * must not occur in the generated files, or this model would not apply. */
static totals model_totals(const model *m)
{
    static const char *const uncovered[] = {"169", "476", "477", "4816", "49", "50", "59", "519"};
    totals t = {0};
    for (size_t i = 0; i < m->count; i++) {
        const char *a = m->v[i].account;
        int64_t n = m->v[i].net;
        for (size_t u = 0; u < sizeof uncovered / sizeof uncovered[0]; u++)
            cr_assert(!starts(a, uncovered[u]), "account %s is outside the test's model", a);
        switch (a[0]) {
        case '1': t.passif -= n; break;
        case '2':
        case '3': t.actif += n; break;
        case '4':
        case '5':
            if (n > 0)
                t.actif += n;
            else
                t.passif -= n;
            if (starts(a, "41") && n > 0)
                t.usagers += n;
            if (starts(a, "40") && !starts(a, "404") && !starts(a, "405") && n < 0)
                t.fournisseurs -= n;
            break;
        case '6':
            t.charges += n;
            t.passif -= n;
            break;
        case '7':
            t.produits -= n;
            t.passif -= n;
            break;
        case '8':
            if (starts(a, "86"))
                t.emplois += n;
            else if (starts(a, "87"))
                t.contributions -= n;
            break;
        default: cr_assert_fail("account %s", a);
        }
    }
    return t;
}

/* ---- the command's JSON ----------------------------------------------- */

static json_t *statements_json(const char *args)
{
    char *out = malloc(1 << 20);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 20, "statements %s --format json", args), 0,
                 "statements %s", args);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    cr_assert(j && json_is_array(j), "%s: %s", e.text, out);
    free(out);
    return j;
}

static bool has_column(json_t *rows, const char *col)
{
    return json_object_get(json_array_get(rows, 0), col);
}

static int64_t get(json_t *rows, const char *key, const char *col)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, "key")), key)) {
            json_t *v = json_object_get(row, col);
            cr_assert(json_is_integer(v), "%s has no column %s", key, col);
            return (int64_t)json_integer_value(v);
        }
    }
    cr_assert_fail("no line %s", key);
    return 0;
}

/* The identities every column must satisfy. */
static void check_identities(json_t *rows, const char *col)
{
    cr_assert_eq(get(rows, "actif.total", col), get(rows, "passif.total", col),
                 "%s: actif = passif", col);
    cr_assert_eq(get(rows, "cr.resultat", col),
                 get(rows, "cr.total_produits", col) - get(rows, "cr.total_charges", col),
                 "%s: result = produits - charges", col);
    cr_assert_eq(get(rows, "passif.resultat", col), get(rows, "cr.resultat", col), "%s", col);
    cr_assert_eq(get(rows, "cvn.emplois", col), get(rows, "cvn.contributions", col), "%s: 86 = 87",
                 col);
}

static void check_against_model(json_t *rows, const char *col, const totals *t)
{
    cr_assert_eq(t->actif, t->passif, "the model itself balances");
    cr_assert_eq(get(rows, "actif.total", col), t->actif, "%s: TOTAL ACTIF", col);
    cr_assert_eq(get(rows, "passif.total", col), t->passif, "%s: TOTAL PASSIF", col);
    cr_assert_eq(get(rows, "cr.total_produits", col), t->produits, "%s: produits", col);
    cr_assert_eq(get(rows, "cr.total_charges", col), t->charges, "%s: charges", col);
    cr_assert_eq(get(rows, "cr.resultat", col), t->produits - t->charges, "%s: result", col);
    cr_assert_eq(get(rows, "cvn.emplois", col), t->emplois, "%s: 86", col);
    cr_assert_eq(get(rows, "cvn.contributions", col), t->contributions, "%s: 87", col);
    cr_assert_eq(get(rows, "actif.usagers", col), t->usagers, "%s: créances usagers", col);
    cr_assert_eq(get(rows, "passif.fournisseurs", col), t->fournisseurs, "%s: fournisseurs", col);
    cr_assert_gt(t->emplois, 0, "the generated year has volunteer work");
}

static void post(enum h_key k, const char *tenant, uint32_t date, const char *da, const char *daux,
                 const char *ca, const char *caux, int64_t cents)
{
    gl_line_in l[2] = {{da, daux, "", "", 'D', cents}, {ca, caux, "", "", 'C', cents}};
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = "T",
                     .label = "test",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = l};
    gl_response r;
    cr_assert_eq(h_post(&h, k, &e, 1, &r), 0, "post %s %u", tenant, date);
    gl_response_free(&r);
}

/* Two generated years of alpha: 2025 imported, locked and closed, then
 * 2026 (no opening entry: the closing wrote it).  Paths into fec25/fec26. */
static void two_years(char fec25[400], char fec26[400])
{
    char cmd[1024];
    snprintf(fec25, 400, "%s/2025.txt", h.dir);
    snprintf(fec26, 400, "%s/2026.txt", h.dir);
    snprintf(cmd, sizeof cmd,
             "python3 scripts/gen-year --tenant alpha --year 2025 --entries 2000 --seed 3 > %s",
             fec25);
    cr_assert(system(cmd) == 0);
    snprintf(
        cmd, sizeof cmd,
        "python3 scripts/gen-year --tenant alpha --year 2026 --entries 2000 --seed 4 --no-opening > %s",
        fec26);
    cr_assert(system(cmd) == 0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", fec25),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha"), 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --tenant alpha --through 2025-12 --yes"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "close-year --tenant alpha --year 2025"), 0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", fec26),
                 0);
}

Test(statements, two_generated_years_against_their_fec_files)
{
    char fec25[400], fec26[400];
    two_years(fec25, fec26);

    /* 2025: the year alone (2024 has no entries: no previous column) */
    model m25 = {0};
    model_read_fec(&m25, fec25, any_class);
    totals t25 = model_totals(&m25);
    json_t *y25 = statements_json("--tenant alpha --year 2025");
    cr_assert(has_column(y25, "2025") && !has_column(y25, "2024"));
    check_identities(y25, "2025");
    check_against_model(y25, "2025", &t25);

    /* 2026: the closing carried classes 1-5 and put the 2025 result into
     * 120000 (surplus) or 129000 (deficit); then the 2026 file */
    model m26 = {0};
    model_read_fec(&m26, fec25, balance_sheet_class);
    int64_t result25 = t25.produits - t25.charges;
    model_add(&m26, result25 >= 0 ? "120000" : "129000", "", -result25);
    model_read_fec(&m26, fec26, any_class);
    /* third parties on the other side than their account's: a supplier
     * paid in advance (a receivable) and a user who paid in advance (a
     * debt), each placed by its own auxiliary balance */
    post(K_ALPHA, "alpha", 20261230, "401000", "FOURN99", "512000", "", 12345);
    post(K_ALPHA, "alpha", 20261230, "512000", "", "411000", "U99999", 6789);
    model_add(&m26, "401000", "FOURN99", 12345);
    model_add(&m26, "512000", "", 6789 - 12345);
    model_add(&m26, "411000", "U99999", -6789);
    totals t26 = model_totals(&m26);
    json_t *y26 = statements_json("--tenant alpha --year 2026");
    cr_assert(has_column(y26, "2026") && has_column(y26, "2025"));
    check_identities(y26, "2026");
    check_identities(y26, "2025");
    check_against_model(y26, "2026", &t26);
    cr_assert_eq(get(y26, "passif.resultat_instance", "2026"), result25,
                 "the 2025 result awaits its appropriation");
    /* the previous-year column is the 2025 statement, line by line, and
     * the closed year still shows its produits and charges */
    size_t i;
    json_t *row;
    json_array_foreach(y25, i, row)
    {
        const char *key = json_string_value(json_object_get(row, "key"));
        cr_assert_eq(get(y26, key, "2025"), json_integer_value(json_object_get(row, "2025")), "%s",
                     key);
    }
    cr_assert_gt(get(y26, "cr.total_produits", "2025"), 0);
    /* the actif of 2026 as ANC 2018-06 presents it: gross - depreciation =
     * net on every line, the generated equipment's 28 accounts deducted;
     * actif = passif in both years (check_identities above) */
    int64_t deducted = 0;
    json_array_foreach(y26, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "section")), "ACTIF"))
            continue;
        const char *key = json_string_value(json_object_get(row, "key"));
        int64_t dep = get(y26, key, "2026 depreciation");
        cr_assert_eq(get(y26, key, "2026 gross") - dep, get(y26, key, "2026"),
                     "%s: net = gross - depreciation", key);
        if (!strcmp(key, "actif.corporelles"))
            deducted = dep;
    }
    cr_assert_gt(deducted, 0, "the generated equipment is depreciated (281x)");

    /* a member may read its own statements; table and CSV say the same */
    char *out = malloc(1 << 20);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, 1 << 20, "statements --tenant alpha --year 2026 --format csv"), 0);
    /* the actif of 2026 in gross, depreciation and net (ANC 2018-06), 2025 net */
    cr_assert(!strncmp(out, "section,key,heading,2026 gross,2026 depreciation,2026,2025\n", 58),
              "%.100s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 20,
                       "statements --tenant alpha --year 2026 --format table-fr"),
                 0);
    cr_assert(strstr(out, "TOTAL ACTIF (I à V)") && strstr(out, "SIREN 111111111"), "%s", out);
    /* refusals: a year without entries, no year, another tenant's books */
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "statements --tenant alpha --year 2024"), 2);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "statements --tenant alpha"), 2);
    cr_assert_eq(h_cli(&h, K_BETA, NULL, 0, "statements --tenant alpha --year 2025"), 1);
    cr_assert_eq(h_cli(&h, K_BETA, NULL, 0, "statements --group --year 2025"), 1);
    free(out);
    json_decref(y25);
    json_decref(y26);
    free(m25.v);
    free(m26.v);
}

/* ---- the group -------------------------------------------------------- */

static void group_year(void)
{
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant %s", *t), 0);
    /* the previous year: the umbrella only */
    post(K_ALPHA, "alpha", 20240301, "512000", "", "102000", "", 1000000);
    post(K_ALPHA, "alpha", 20240615, "512000", "", "756100", "", 50000);
    /* external activity */
    post(K_ALPHA, "alpha", 20250110, "512000", "", "741000", "", 500000);
    post(K_BETA, "beta", 20250111, "411000", "U1", "706000", "", 120000);
    post(K_BETA, "beta", 20250112, "641100", "", "512000", "", 90000);
    post(K_BETA, "beta", 20250113, "512000", "", "102000", "", 400000);
    post(K_BETA, "beta", 20250301, "864000", "", "875000", "", 35000);
    /* gamma's fiscal year 2026 starts on 1 July 2025 */
    post(K_ACCOUNTANT, "gamma", 20250915, "512000", "", "706000", "", 70000);
    post(K_ACCOUNTANT, "gamma", 20250916, "411000", "U7", "512000", "",
         80000); /* a user paid back */
    /* intercompany, matched on both sides: alpha invoices beta 3 000,00 */
    post(K_ALPHA, "alpha", 20250131, "411000", "BETA", "706100", "", 300000);
    post(K_BETA, "beta", 20250131, "628000", "", "401000", "ALPHA", 300000);
    post(K_BETA, "beta", 20250210, "401000", "ALPHA", "512000", "", 100000);
    post(K_ALPHA, "alpha", 20250210, "512000", "", "411000", "BETA", 100000);
}

Test(statements, group_combined_columns_add_up)
{
    group_year();
    json_t *g = statements_json("--group --year 2025");
    static const char *const cols[] = {"alpha",        "beta",     "gamma",
                                       "eliminations", "combined", "combined 2024"};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        cr_assert(has_column(g, cols[c]), "column %s", cols[c]);
        check_identities(g, cols[c]);
    }
    /* every line: entities + eliminations = combined */
    size_t i;
    json_t *row;
    json_array_foreach(g, i, row)
    {
        int64_t s = 0;
        for (size_t c = 0; c < 4; c++)
            s += json_integer_value(json_object_get(row, cols[c]));
        cr_assert_eq(s, json_integer_value(json_object_get(row, "combined")), "%s",
                     json_string_value(json_object_get(row, "key")));
    }
    /* the intercompany receivable (2 000,00 left) and payable vanish on
     * their own headings; the recharge is neither a sale nor a charge */
    cr_assert_eq(get(g, "actif.usagers", "alpha"), 200000);
    cr_assert_eq(get(g, "actif.usagers", "eliminations"), -200000);
    cr_assert_eq(get(g, "passif.fournisseurs", "beta"), 200000);
    cr_assert_eq(get(g, "passif.fournisseurs", "eliminations"), -200000);
    cr_assert_eq(get(g, "passif.fournisseurs", "combined"), 0);
    cr_assert_eq(get(g, "cr.ventes", "combined"), 120000 + 70000);
    cr_assert_eq(get(g, "cr.charges_externes", "combined"), 0);
    /* beta's user and gamma's user who was paid back: an asset and a debt */
    cr_assert_eq(get(g, "actif.usagers", "combined"), 120000 + 80000);
    /* independent: the combined result is the external activity */
    cr_assert_eq(get(g, "cr.resultat", "combined"), 500000 + 120000 - 90000 + 70000);
    cr_assert_eq(get(g, "cvn.contributions", "combined"), 35000);
    /* banks per entity: alpha and beta in credit, gamma overdrawn */
    cr_assert_eq(get(g, "actif.disponibilites", "combined"),
                 (500000 + 100000) + (-90000 + 400000 - 100000));
    cr_assert_eq(get(g, "passif.emprunts_credit", "gamma"), 80000 - 70000);
    cr_assert_eq(get(g, "passif.emprunts_credit", "combined"), 80000 - 70000);
    /* the previous year's combined column: the umbrella's 2024 */
    cr_assert_eq(get(g, "cr.cotisations", "combined 2024"), 50000);
    cr_assert_eq(get(g, "actif.total", "combined 2024"), 1050000);
    json_decref(g);
}

/* ---- HTML in a real browser ------------------------------------------- */

static void output_dir(char dir[400])
{
    snprintf(dir, 400, "%s/test-output", h_build_dir());
    mkdir(dir, 0755);
    struct stat st;
    cr_assert(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "%s", dir);
}

/* Render path in headless Chromium into png (bounded by timeout(1)). */
static void screenshot(const char *path, const char *png)
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
        "--user-data-dir=%s --screenshot=%s --window-size=1200,1600 'file://%s' >%s/chromium.log 2>&1",
        profile, png, path, h.dir);
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

Test(statements, html_page_renders_in_chromium)
{
    char fec25[400], fec26[400], dir[400], html[500], png[500];
    two_years(fec25, fec26);
    output_dir(dir);
    snprintf(html, sizeof html, "%s/statements.html", dir);
    snprintf(png, sizeof png, "%s/statements.png", dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0,
                       "statements --tenant alpha --year 2026 --format html --force -o %s", html),
                 0);
    char *page = read_all(html);
    cr_assert(!strncmp(page, "<!DOCTYPE html>", 15));
    cr_assert(strstr(page, "Alpha") && strstr(page,
                                              "SIREN 111\xE2\x80\xAF"
                                              "111\xE2\x80\xAF"
                                              "111"));
    cr_assert(strstr(page, "Exercice 2026") && strstr(page, "Exercice 2025"));
    cr_assert(strstr(page, "du 01/01/2026 au 31/12/2026"));
    cr_assert(strstr(page, "TOTAL ACTIF") && strstr(page, "Personnel bénévole"));
    cr_assert_null(strstr(page, "<script"));
    cr_assert_null(strstr(page, "src="));
    free(page);
    screenshot(html, png);
}

Test(statements, group_html_page_renders_in_chromium)
{
    char dir[400], html[500], png[500];
    group_year();
    output_dir(dir);
    snprintf(html, sizeof html, "%s/statements-group.html", dir);
    snprintf(png, sizeof png, "%s/statements-group.png", dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0,
                       "statements --group --year 2025 --format=html --force --output %s", html),
                 0);
    char *page = read_all(html);
    cr_assert(strstr(page, "Comptes combinés") && strstr(page, "Éliminations") &&
              strstr(page, "Combiné 2025"));
    cr_assert(strstr(page, "GAMMA") && strstr(page, "@page{size:A4 landscape"));
    free(page);
    screenshot(html, png);
}
