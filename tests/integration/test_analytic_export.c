/*
 * tests/integration/test_analytic_export.c — the exports of analytic data
 * (issue 19) against the real daemon and CLI.  Suite analytic_export:
 * `grandlivre analytic export` writes the analytic file beside the FEC,
 * whose rows, summed per axis, code and account, are the analytic
 * balance the daemon answers (read here through client/analytic's call,
 * a second path); its rows as the FEC writes its own; an existing file
 * kept without --force.  `grandlivre export hledger` tags each posting
 * with its codes, a distributed line cut into one posting per share:
 * hledger (when installed; otherwise that part is skipped with a
 * message) reads the file, and `hledger bal tag:AXIS=CODE` gives the
 * analytic balance's figure for every code of both axes.
 *
 * The book, tenant alpha, 2026:
 *   E1 06-01 606000 D 100.00 action FSE-2026, financeur FSE 60.00 VILLE 40.00 / 512000
 *   E2 06-02 641000 D 333.33 action FSE-2026 166.67 VILLE-2026 166.66 / 512000
 *   E3 06-03 512000 D 50.00 / 706000 (allocated: action VILLE-2026,
 *            financeur FSE 30.00 VILLE 20.00)
 *   E4 06-04 606000 D 10.00 / 512000 (never analysed)
 *   E5 06-05 641000 D 100.00 action FSE-2026 60.00 VILLE-2026 40.00,
 *            financeur FSE 30.00 VILLE 70.00 / 512000
 */
#include "tests/integration/an_book.h"

#include "client/analytic/an_client.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static harness h;
static uint32_t num[6];

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606000", "641000", "706000"};
    h_open_accounts(&h, "alpha", accounts, 4);
    anb_axis(&h, "action", GL_AN_OPEN, "Actions");
    anb_axis(&h, "financeur", GL_AN_OPEN, "Financeurs");
    anb_code(&h, "action", "FSE-2026", GL_AN_OPEN, "Opération FSE 2026");
    anb_code(&h, "action", "VILLE-2026", GL_AN_OPEN, "Action de la ville");
    anb_code(&h, "financeur", "FSE", GL_AN_OPEN, "Fonds social européen");
    anb_code(&h, "financeur", "VILLE", GL_AN_OPEN, "Ville");
    gl_analytic c1 = {0}, c2 = {0};
    anb_split(&c1, "action", 1, (const char *const[]){"FSE-2026"}, (const int64_t[]){10000});
    anb_split(&c1, "financeur", 2, (const char *const[]){"FSE", "VILLE"},
              (const int64_t[]){6000, 4000});
    num[1] = anb_post(&h, 20260601, "606000", "512000", 10000, &c1);
    anb_split(&c2, "action", 2, (const char *const[]){"FSE-2026", "VILLE-2026"},
              (const int64_t[]){16667, 16666});
    num[2] = anb_post(&h, 20260602, "641000", "512000", 33333, &c2);
    num[3] = anb_post(&h, 20260603, "512000", "706000", 5000, NULL);
    num[4] = anb_post(&h, 20260604, "606000", "512000", 1000, NULL);
    gl_analytic c5 = {0};
    anb_split(&c5, "action", 2, (const char *const[]){"FSE-2026", "VILLE-2026"},
              (const int64_t[]){6000, 4000});
    anb_split(&c5, "financeur", 2, (const char *const[]){"FSE", "VILLE"},
              (const int64_t[]){3000, 7000});
    num[5] = anb_post(&h, 20260605, "641000", "512000", 10000, &c5);
    gl_an_alloc_row row = {.fy = 2026, .num = num[3], .line = 2};
    anb_split(&row.codes, "action", 1, (const char *const[]){"VILLE-2026"},
              (const int64_t[]){5000});
    anb_split(&row.codes, "financeur", 2, (const char *const[]){"FSE", "VILLE"},
              (const int64_t[]){3000, 2000});
    anb_alloc(&h, &row, 1);
}
static void teardown(void) { h_teardown(&h); }
TestSuite(analytic_export, .init = setup, .fini = teardown, .timeout = 240);

/* ------------------------------------------------------------------ */
/* Figures per (axis, code, account)                                   */
/* ------------------------------------------------------------------ */

#define FIG_MAX 64
typedef struct figures {
    size_t n;
    char key[FIG_MAX][64]; /* "axis|code|account" */
    int64_t cents[FIG_MAX];
} figures;

static void fig_add(figures *f, const char *axis, const char *code, const char *account,
                    int64_t cents)
{
    char key[64];
    snprintf(key, sizeof key, "%s|%s|%s", axis, code, account);
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->key[i], key)) {
            f->cents[i] += cents;
            return;
        }
    cr_assert_lt(f->n, FIG_MAX);
    snprintf(f->key[f->n], sizeof f->key[f->n], "%s", key);
    f->cents[f->n++] = cents;
}

/* The analytic balance of axis (codes other than "": not allocated). */
static void balance_of(figures *f, const char *axis)
{
    gl_an_call k;
    gl_an_call_init(&k, h_client(&h, K_ACCOUNTANT), "alpha", 0);
    gl_an_balance b;
    gl_an_balance_q q = {.axis = {axis, strlen(axis)}, .fy = 2026, .at = 0};
    cr_assert_eq(gl_an_balance_get(&k, &q, &b), GL_OK, "%d", k.resp.reply.status);
    for (size_t i = 0; i < b.n; i++)
        if (b.rows[i].code[0])
            fig_add(f, axis, b.rows[i].code, b.rows[i].account,
                    b.rows[i].debit_cents - b.rows[i].credit_cents);
    gl_an_balance_free(&b);
    gl_an_call_done(&k);
}

static void same_figures(const figures *want, const figures *got, const char *what)
{
    cr_assert_gt(want->n, 0);
    for (size_t i = 0; i < want->n; i++) {
        int64_t g = 0;
        for (size_t j = 0; j < got->n; j++)
            if (!strcmp(got->key[j], want->key[i]))
                g = got->cents[j];
        cr_expect_eq(g, want->cents[i], "%s: %s is %lld, the analytic balance %lld", what,
                     want->key[i], (long long)g, (long long)want->cents[i]);
    }
    for (size_t j = 0; j < got->n; j++) {
        bool known = false;
        for (size_t i = 0; i < want->n; i++)
            known |= !strcmp(got->key[j], want->key[i]);
        cr_expect(known || got->cents[j] == 0, "%s: %s is not in the analytic balance", what,
                  got->key[j]);
    }
}

/* "1234,56" or "-1234.56 EUR" into cents. */
static int64_t cents_of(const char *s)
{
    int64_t v = 0;
    bool neg = false;
    for (; *s && *s != '\t' && *s != '|' && *s != '\n' && *s != '"'; s++)
        if (*s == '-')
            neg = true;
        else if (*s >= '0' && *s <= '9')
            v = v * 10 + (*s - '0');
    return neg ? -v : v;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *buf = calloc(1, 1 << 20);
    cr_assert(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The analytic file's rows summed per axis, code and account. */
static void file_figures(const char *text, char sep, figures *f)
{
    const char *line = strchr(text, '\n');
    cr_assert(line, "no header:\n%s", text);
    for (line++; *line; line = strchr(line, '\n') + 1) {
        char cols[10][32];
        const char *p = line;
        for (int c = 0; c < 10; c++) {
            size_t n = strcspn(p, c < 9 ? (char[]){sep, '\0'} : "\n");
            cr_assert_lt(n, sizeof cols[c], "%s", line);
            memcpy(cols[c], p, n);
            cols[c][n] = '\0';
            p += n + 1;
        }
        int64_t cents = cents_of(cols[7]);
        cr_assert(!strcmp(cols[8], "D") || !strcmp(cols[8], "C"), "%s", line);
        fig_add(f, cols[5], cols[6], cols[3], cols[8][0] == 'D' ? cents : -cents);
    }
}

/* ------------------------------------------------------------------ */
/* analytic export                                                     */
/* ------------------------------------------------------------------ */

Test(analytic_export, the_file_sums_to_the_analytic_balance)
{
    char path[400], out[4096];
    snprintf(path, sizeof path, "%s/analytique.txt", h.dir);
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "analytic export --tenant alpha --year 2026 '%s'", path);
    cr_assert_eq(rc, 0, "%d %s", rc, out);
    char *text = slurp(path);
    figures want = {0}, got = {0};
    balance_of(&want, "action");
    balance_of(&want, "financeur");
    file_figures(text, '\t', &got);
    same_figures(&want, &got, "analytic export");
    free(text);
}

Test(analytic_export, rows_as_the_fec_writes_its_own)
{
    char path[400], out[4096], want[512];
    snprintf(path, sizeof path, "%s/analytique.txt", h.dir);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "analytic export --tenant alpha --year 2026 --sep pipe '%s'", path),
                 0);
    char *text = slurp(path);
    cr_expect(!strncmp(text,
                       "JournalCode|EcritureNum|EcritureDate|CompteNum|LigneNum|Axe|"
                       "CodeAnalytique|Montant|Sens|Source\n",
                       strlen("JournalCode|")),
              "%s", text);
    snprintf(want, sizeof want,
             "\nOD|%u|20260601|606000|1|action|FSE-2026|100,00|D|entry\n"
             "OD|%u|20260601|606000|1|financeur|FSE|60,00|D|entry\n"
             "OD|%u|20260601|606000|1|financeur|VILLE|40,00|D|entry\n"
             "OD|%u|20260602|641000|1|action|FSE-2026|166,67|D|entry\n"
             "OD|%u|20260602|641000|1|action|VILLE-2026|166,66|D|entry\n"
             "OD|%u|20260603|706000|2|action|VILLE-2026|50,00|C|allocation\n"
             "OD|%u|20260603|706000|2|financeur|FSE|30,00|C|allocation\n"
             "OD|%u|20260603|706000|2|financeur|VILLE|20,00|C|allocation\n",
             num[1], num[1], num[1], num[2], num[2], num[3], num[3], num[3]);
    cr_expect(strstr(text, want), "want:%s\ngot:\n%s", want, text);
    cr_expect(!strstr(text, "|1000|") && !strstr(text, "10,00"), "E4 has no share:\n%s", text);
    free(text);
}

Test(analytic_export, an_existing_file_is_replaced_only_with_force)
{
    char path[400], out[4096];
    snprintf(path, sizeof path, "%s/analytique.txt", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("keep me\n", f);
    fclose(f);
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "analytic export --tenant alpha '%s'", path);
    cr_expect_eq(rc, 2, "%d", rc);
    char *text = slurp(path);
    cr_expect_str_eq(text, "keep me\n");
    free(text);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "analytic export --tenant alpha --force '%s'", path),
                 0);
    text = slurp(path);
    cr_expect(!strncmp(text, "JournalCode\t", 12), "%s", text);
    free(text);
}

/* ------------------------------------------------------------------ */
/* export hledger                                                      */
/* ------------------------------------------------------------------ */

static int run(char *out, size_t out_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t out_len, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(analytic_export, hledger_tags_give_the_analytic_balance)
{
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/alpha.journal", h.dir);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "export hledger --tenant alpha --year 2026 -o '%s'", path),
        0);
    char *text = slurp(path);
    /* the distributed line: one posting per share, each with its code */
    cr_expect(strstr(text, "166.67 EUR  ; action:FSE-2026\n"), "%s", text);
    cr_expect(strstr(text, "166.66 EUR  ; action:VILLE-2026\n"), "%s", text);
    cr_expect(strstr(text, "60.00 EUR  ; action:FSE-2026, financeur:FSE\n"), "%s", text);
    cr_expect(strstr(text, "-30.00 EUR  ; action:VILLE-2026, financeur:FSE\n"), "%s", text);
    /* two distributions: cut where either changes code (30, 30, 40) */
    cr_expect(strstr(text, " 30.00 EUR  ; action:FSE-2026, financeur:FSE\n"), "%s", text);
    cr_expect(strstr(text, " 30.00 EUR  ; action:FSE-2026, financeur:VILLE\n"), "%s", text);
    cr_expect(strstr(text, " 40.00 EUR  ; action:VILLE-2026, financeur:VILLE\n"), "%s", text);
    free(text);
    if (run(out, sizeof out, "command -v hledger") != 0) {
        cr_log_warn(
            "hledger is not installed: the journal was not read back by hledger "
            "(scripts/bootstrap installs it)");
        return;
    }
    cr_assert_eq(run(out, sizeof out, "hledger -f '%s' check -s 2>&1", path), 0, "%s", out);
    figures want = {0};
    balance_of(&want, "action");
    balance_of(&want, "financeur");
    for (size_t i = 0; i < want.n; i++) {
        char axis[32], code[32], account[32];
        cr_assert_eq(sscanf(want.key[i], "%31[^|]|%31[^|]|%31s", axis, code, account), 3);
        cr_assert_eq(run(out, sizeof out,
                         "hledger -f '%s' bal -N -O csv '^%s$' 'tag:^%s$=^%s$' 2>&1", path, account,
                         axis, code),
                     0, "%s", out);
        const char *row = strchr(out, '\n');
        int64_t got = row && row[1] ? cents_of(strchr(row + 1, ',') + 2)
                                    : 0; /* past the comma and the quote */
        cr_expect_eq(got, want.cents[i], "hledger bal %s tag:%s=%s gives %lld, not %lld:\n%s",
                     account, axis, code, (long long)got, (long long)want.cents[i], out);
    }
}
