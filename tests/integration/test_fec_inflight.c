/*
 * tests/integration/test_fec_inflight.c — issue 16: `fec import` prepares
 * the next batch (read back, encoded, signed) while the daemon works on the
 * one in flight, and keeps every semantic of the one-batch-at-a-time
 * import, through the real `grandlivre` and `grandlivred`:
 *  - an import of many batches posts every entry once, in the file's order
 *    (the journal equal to that of the same file imported in one batch),
 *    and a rerun posts nothing;
 *  - a refusal in batch k names the file line of the refused entry and the
 *    entries posted before it, and nothing after it is posted (a batch sent
 *    ahead would be posted out of the file's order: this test is what
 *    keeps one request in flight); after the fix (here the tenant's
 *    future_years, reloaded) the same command posts the rest, and the
 *    journal is that of a clean import;
 *  - the daemon killed in the middle: a clear error, and after its restart
 *    the same command completes, nothing posted twice.
 * GRANDLIVRE_FEC_BATCH makes batches of a few hundred entries, so that a
 * small file makes many.
 */
#include "tests/support/harness.h"

#include "proto/date.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static harness h;

static void setup(void) { h_setup(&h); }
static void teardown(void)
{
    unsetenv("GRANDLIVRE_FEC_BATCH");
    h_teardown(&h);
}

TestSuite(fec_inflight, .init = setup, .fini = teardown, .timeout = 300);

#define HEADER                                                                               \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"

#define JOURNAL_MAX (16u << 20)

/* A FEC file of n sales of `year`, two lines each (entry i starts on file
 * line 2i); entry `odd` (0: none) is dated 15 January of odd_year instead. */
static void write_fec(const char *path, unsigned n, unsigned year, unsigned odd, unsigned odd_year)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s", path);
    fputs(HEADER, f);
    for (unsigned i = 1; i <= n; i++) {
        unsigned y = i == odd ? odd_year : year, m = i == odd ? 1 : 1 + i % 12,
                 d = i == odd ? 15 : 1 + i % 28;
        char amount[32];
        snprintf(amount, sizeof amount, "%u,%02u", i, i % 100);
        for (int side = 0; side < 2; side++)
            fprintf(f,
                    "VT\tVentes\t%u\t%04u%02u%02u\t%s\t%s\t\t\tF%u\t%04u%02u%02u\tVente %u\t%s\t%s"
                    "\t\t\t\t\t\n",
                    i, y, m, d, side ? "706000" : "411000", side ? "Ventes" : "Clients", i, y, m, d,
                    i, side ? "0,00" : amount, side ? amount : "0,00");
    }
    cr_assert_eq(fclose(f), 0);
}

/* `journal --format csv` of tenant for year, the tenant's name blanked
 * out; the caller frees. */
static char *journal_of(const char *tenant, unsigned year)
{
    char *out = calloc(1, JOURNAL_MAX);
    cr_assert(out);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, JOURNAL_MAX,
                       "journal --tenant %s --from %04u-01-01 --to %04u-12-31 --format csv", tenant,
                       year, year),
                 0);
    for (char *p = out; (p = strstr(p, tenant)); p += strlen(tenant))
        memset(p, '_', strlen(tenant));
    return out;
}

#define ERR_MAX (4u << 20)

/* A buffer for what the CLI wrote on stderr (the daemon's warnings, one
 * per request, make it long); freed with the test's process. */
static char *err_buf(void)
{
    static char *buf;
    if (!buf)
        buf = malloc(ERR_MAX);
    cr_assert(buf);
    return buf;
}

static int import(const char *tenant, const char *path)
{
    return h_cli(&h, K_ACCOUNTANT, NULL, 0, "fec import --tenant %s --open-accounts %s", tenant,
                 path);
}

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "%s changed the ledger", what);
}

Test(fec_inflight, an_import_of_many_batches_posts_every_entry_once_in_the_files_order)
{
    char fec[400], *err = err_buf();
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    write_fec(fec, 5000, 2025, 0, 0);
    /* beta: the whole file in one request, the reference */
    cr_assert_eq(import("beta", fec), 0);
    /* alpha: 13 requests of at most 400 entries */
    setenv("GRANDLIVRE_FEC_BATCH", "400", 1);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert_eq(import("alpha", fec), 0);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert(strstr(err, "5000 entries accepted (0 of them already posted before)"), "%s", err);
    cr_assert_eq(h_entry_count(&h, "alpha"), 5000);
    cr_assert_geq(h_verify_chains(&h), 0);
    char *a = journal_of("alpha", 2025), *b = journal_of("beta", 2025);
    cr_assert(strstr(a, "Vente 5000"), "%.400s", a);
    cr_assert_str_eq(a, b, "the journal of the import in batches differs from the one-batch one");
    free(a);
    free(b);
    /* the same command again: every batch a replay, nothing written */
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(import("alpha", fec), 0);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert(strstr(err, "5000 entries accepted (5000 of them already posted before)"), "%s", err);
    digest_unchanged(before, "a rerun of the import");
}

Test(fec_inflight, a_refusal_in_batch_k_names_its_line_posts_nothing_after_and_a_rerun_completes)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned year = gl_date_paris((int64_t)ts.tv_sec * 1000) / 10000;
    /* delta takes nothing after the current year until fixed; epsilon takes
     * the next year from the start: the reference */
    strcpy(h.extra_config,
           "\n[tenant delta]\nname = Delta\nsiren = 444444444\nfuture_years = 0\n"
           "\n[tenant epsilon]\nname = Epsilon\nsiren = 555555555\nfuture_years = 1\n");
    cr_assert(h_reload(&h));
    char fec[400], *err = err_buf();
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    /* entry 1234, in the fourth batch of 400, is dated next year */
    write_fec(fec, 3000, year, 1234, year + 1);
    setenv("GRANDLIVRE_FEC_BATCH", "400", 1);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert_eq(import("delta", fec), 1);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert(strstr(err, "439 date_ahead"), "%s", err);
    cr_assert(strstr(err, "the refused entry is entry 1234 of the input, starting at line 2468"),
              "%s", err);
    cr_assert(strstr(err, "1200 entries were posted before the refusal"), "%s", err);
    /* the three batches before it, and nothing of the batches after it */
    cr_assert_eq(h_entry_count(&h, "delta"), 1200);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(import("delta", fec), 1, "the same refusal again");
    digest_unchanged(before, "the refused import, run again");
    cr_assert_eq(h_entry_count(&h, "delta"), 1200);

    /* the fix: delta takes next year's entries too */
    char *at = strstr(h.extra_config, "future_years = 0");
    cr_assert(at);
    at[strlen("future_years = ")] = '1';
    cr_assert(h_reload(&h));
    h_cli_err(&h, err, ERR_MAX);
    cr_assert_eq(import("delta", fec), 0);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert(strstr(err, "3000 entries accepted (1200 of them already posted before)"), "%s", err);
    cr_assert_eq(h_entry_count(&h, "delta"), 3000);
    cr_assert_eq(import("epsilon", fec), 0);
    for (unsigned y = year; y <= year + 1; y++) {
        char *d = journal_of("delta", y), *e = journal_of("epsilon", y);
        cr_assert(strstr(d, y == year ? "Vente 3000" : "Vente 1234"), "%.400s", d);
        cr_assert_str_eq(d, e, "%u: the import fixed and rerun differs from a clean import", y);
        free(d);
        free(e);
    }
    cr_assert_geq(h_verify_chains(&h), 0);
}

Test(fec_inflight, the_daemon_killed_mid_import_is_a_clear_error_and_a_rerun_completes_once)
{
    char fec[400], *err = err_buf();
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    const unsigned n = 20000;
    write_fec(fec, n, 2025, 0, 0);
    setenv("GRANDLIVRE_FEC_BATCH", "100", 1);
    h_cli_err(&h, err, ERR_MAX);
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0)
        _exit(h_cli(&h, K_ACCOUNTANT, NULL, 0,
                    "fec import --tenant alpha --open-accounts --timeout 20 %s", fec));
    /* kill it once some batches are in, long before the last */
    long posted = 0;
    for (int i = 0; i < 60000 && (posted = h_entry_count(&h, "alpha")) < 2000; i++)
        usleep(1000);
    cr_assert_geq(posted, 2000, "the import never got going");
    cr_assert_lt(posted, (long)n, "the import ended before the kill");
    h_kill9(&h);
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit status %d", status);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert(strstr(err, "retrying it is safe") || strstr(err, "no daemon answering"), "%s", err);
    cr_assert(strstr(err, "were posted before the refusal") ||
                  strstr(err, "rerunning the same command"),
              "%s", err);

    h_start(&h);
    long kept = h_entry_count(&h, "alpha");
    cr_assert_eq(kept % 100, 0, "a batch half posted: %ld entries", kept);
    cr_assert_eq(import("alpha", fec), 0);
    h_cli_err(&h, err, ERR_MAX);
    char want[128];
    snprintf(want, sizeof want, "%u entries accepted (%ld of them already posted before)", n, kept);
    cr_assert(strstr(err, want), "want '%s' in %s", want, err);
    cr_assert_eq(h_entry_count(&h, "alpha"), (long)n);
    unsetenv("GRANDLIVRE_FEC_BATCH");
    cr_assert_eq(import("beta", fec), 0);
    char *a = journal_of("alpha", 2025), *b = journal_of("beta", 2025);
    cr_assert_str_eq(a, b, "the import killed and rerun differs from a clean import");
    free(a);
    free(b);
    cr_assert_geq(h_verify_chains(&h), 0);
}

/* The whole file, NUL-terminated; the caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    cr_assert_geq(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

Test(fec_inflight, an_export_of_many_pages_asked_ahead_reads_back_as_the_journal)
{
    char fec[400], dir[400], out[1024];
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    /* three JOURNAL pages and a half (GL_PAGE_MAX rows each) */
    const unsigned n = 3500;
    write_fec(fec, n, 2025, 0, 0);
    cr_assert_eq(import("alpha", fec), 0);
    snprintf(dir, sizeof dir, "%s/out", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    char *err = err_buf();
    h_cli_err(&h, err, ERR_MAX);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out,
                   "fec export --tenant alpha --year 2025 --encoding utf-8 -o %s", dir);
    h_cli_err(&h, err, ERR_MAX);
    cr_assert_eq(rc, 0, "%s", err);
    out[strcspn(out, "\n")] = '\0';
    size_t len;
    char *data = slurp(out, &len);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    cr_assert_eq(lines, 1 + 2 * n, "a header and two lines an entry");
    /* the same entries, in the same order, as the journal (page after page) */
    cr_assert_eq(import("beta", out), 0);
    char *a = journal_of("alpha", 2025), *b = journal_of("beta", 2025);
    cr_assert(strstr(a, "Vente 3500"), "%.400s", a);
    cr_assert_str_eq(a, b, "the export read back differs from the journal");
    free(a);
    free(b);
    /* a second export is the same file, byte for byte */
    char again[400];
    snprintf(again, sizeof again, "%s/again", h.dir);
    cr_assert_eq(mkdir(again, 0700), 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out,
                       "fec export --tenant alpha --year 2025 --encoding utf-8 -o %s", again),
                 0);
    out[strcspn(out, "\n")] = '\0';
    size_t len2;
    char *data2 = slurp(out, &len2);
    cr_assert(len == len2 && !memcmp(data, data2, len), "two exports differ");
    free(data);
    free(data2);
}
