/*
 * tests/integration/test_progress_cli.c — issue 14, long operations through
 * the real `grandlivre` against a real daemon:
 *  - `fec import` under a pseudo-terminal (script(1)) draws its progress
 *    bar on standard error; with standard error a file, not one byte of it
 *    (the transcripts are kept under build/test-output/progress/);
 *  - a FEC file whose entries' lines are interleaved imports into the same
 *    entries, in the same order, as the sorted file; a fault found on the
 *    file's last line refuses the whole file and leaves the ledger as it
 *    was (digest), since everything is checked before anything is posted;
 *  - `fec import --format json`: one JSON object on stdout, posted,
 *    replayed or refused;
 *  - a pipe is copied into a temporary file first (the file is read twice):
 *    without a usable $TMPDIR, error 963 spool and nothing posted.
 */
#include "tests/support/harness.h"

#include "proto/wire.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static harness h;

/* What the CLI wrote on stderr since the last call. */
static void last_err(char *out, size_t len) { h_cli_err(&h, out, len); }

static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(progress_cli, .init = setup, .fini = teardown, .timeout = 300);

#define HEADER                                                                               \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"

/* Entry n (1-based) of the test files: a sale of n euros and n cents, two
 * lines; side 0 the debit (411000), side 1 the credit (706000). */
static void put_line(FILE *f, unsigned n, int side, const char *credit_amount)
{
    char amount[32];
    snprintf(amount, sizeof amount, "%u,%02u", n, n % 100);
    unsigned day = 1 + n % 28, month = 1 + n % 12;
    fprintf(
        f,
        "VT\tVentes\t%u\t2025%02u%02u\t%s\t%s\t\t\tF%u\t2025%02u%02u\tVente %u\t%s\t%s\t\t\t\t\t\n",
        n, month, day, side ? "706000" : "411000", side ? "Ventes" : "Clients", n, month, day, n,
        side ? "0,00" : amount, side ? (credit_amount ? credit_amount : amount) : "0,00");
}

/* The file of n entries: sorted (each entry's lines together) or
 * interleaved (every entry's first line, then every entry's second); the
 * credit of the last line written is bad_last if not NULL. */
static void write_fec(const char *path, unsigned n, bool interleaved, const char *bad_last)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s", path);
    fputs(HEADER, f);
    for (unsigned i = 1; i <= n; i++) {
        if (interleaved) {
            put_line(f, i, 0, NULL);
            continue;
        }
        put_line(f, i, 0, NULL);
        put_line(f, i, 1, i == n ? bad_last : NULL);
    }
    for (unsigned i = 1; interleaved && i <= n; i++)
        put_line(f, i, 1, i == n ? bad_last : NULL);
    cr_assert_eq(fclose(f), 0);
}

/* The whole file (empty if absent), NUL-terminated; the caller frees. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(1 << 20);
    cr_assert(buf);
    size_t n = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    if (len)
        *len = n;
    return buf;
}

/* build/test-output/progress/NAME */
static void output_path(char *out, size_t len, const char *name)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/test-output", h_build_dir());
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/test-output/progress", h_build_dir());
    mkdir(dir, 0755);
    snprintf(out, len, "%s/%s", dir, name);
}

/* Run `grandlivre ARGS` with key k under a pseudo-terminal (script -q -e -c),
 * its session written to transcript.  Returns the exit status. */
static int pty_cli(enum h_key k, const char *transcript, const char *args)
{
    char server_key[65], cmd[4096];
    gl_hex(h.server_pk, 32, server_key);
    snprintf(cmd, sizeof cmd,
             "XDG_CONFIG_HOME='%s' GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' "
             "GRANDLIVRE_SERVER_KEY='%s' TERM=xterm script -q -e -c \"'%s/grandlivre' %s\" '%s' "
             "</dev/null >/dev/null 2>&1",
             h.dir, h.endpoint, h.key_path[k], server_key, h_build_dir(), args, transcript);
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(progress_cli, fec_import_draws_a_bar_on_a_terminal_and_nothing_into_a_file)
{
    char fec[400], transcript[600];
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    write_fec(fec, 300, false, NULL);
    output_path(transcript, sizeof transcript, "fec_import.tty");
    char args[600];
    snprintf(args, sizeof args, "fec import --tenant alpha --open-accounts %s", fec);
    cr_assert_eq(pty_cli(K_ALPHA, transcript, args), 0);
    char *tty = read_all(transcript, NULL);
    cr_assert(strstr(tty, "\rfec import [--------------------] 0/300 entries"),
              "no first drawing in the terminal session: %s", tty);
    cr_assert(strstr(tty, "\rfec import [####################] 300/300 entries"),
              "no last drawing in the terminal session: %s", tty);
    cr_assert(strstr(tty, "300 entries accepted"), "%s", tty);
    /* the daemon's warning (months left unlocked) on a line of its own */
    cr_assert(strstr(tty, "\r\033[Kgrandlivre: warning: "), "%s", tty);
    free(tty);
    cr_assert_eq(h_entry_count(&h, "alpha"), 300);

    /* standard error a file: the same import (a replay) writes no bar */
    char err_path[600];
    snprintf(err_path, sizeof err_path, "%s/cli.err", h.dir);
    size_t before;
    free(read_all(err_path, &before));
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", fec),
                 0);
    size_t after;
    char *err = read_all(err_path, &after);
    char copy[600];
    output_path(copy, sizeof copy, "fec_import.err");
    FILE *f = fopen(copy, "wb");
    if (f) {
        fwrite(err + before, 1, after - before, f);
        fclose(f);
    }
    cr_assert(strstr(err + before, "300 entries accepted (300 of them already posted before)"),
              "%s", err + before);
    cr_assert(!strchr(err + before, '\r') && !strstr(err + before, "fec import ["),
              "a bar was drawn into a file: %s", err + before);
    free(err);
    cr_assert_eq(h_entry_count(&h, "alpha"), 300);
}

/* `journal --format csv` of tenant, with the tenant's name blanked out. */
static char *journal_of(enum h_key k, const char *tenant)
{
    char *out = calloc(1, 1 << 20);
    cr_assert(out);
    cr_assert_eq(h_cli(&h, k, out, 1 << 20,
                       "journal --tenant %s --from 2025-01-01 --to 2025-12-31 --format csv",
                       tenant),
                 0);
    for (char *p = out; (p = strstr(p, tenant)); p += strlen(tenant))
        memset(p, '_', strlen(tenant));
    return out;
}

Test(progress_cli, interleaved_lines_import_as_the_sorted_file)
{
    char sorted[400], mixed[400];
    snprintf(sorted, sizeof sorted, "%s/sorted.txt", h.dir);
    snprintf(mixed, sizeof mixed, "%s/mixed.txt", h.dir);
    write_fec(sorted, 120, false, NULL);
    write_fec(mixed, 120, true, NULL);
    char err[8192];
    cr_assert_eq(
        h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", sorted), 0);
    cr_assert_eq(h_cli(&h, K_BETA, NULL, 0, "fec import --tenant beta --open-accounts %s", mixed),
                 0);
    last_err(err, sizeof err);
    cr_assert_eq(h_entry_count(&h, "alpha"), 120);
    cr_assert_eq(h_entry_count(&h, "beta"), 120);
    char *a = journal_of(K_ALPHA, "alpha"), *b = journal_of(K_BETA, "beta");
    cr_assert(strstr(a, "Vente 120"), "%s\n%s", a, err);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
}

Test(progress_cli, a_fault_on_the_last_line_of_an_interleaved_file_posts_nothing)
{
    char mixed[400], err[4096];
    snprintf(mixed, sizeof mixed, "%s/mixed.txt", h.dir);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    /* the last line's credit leaves entry 200 unbalanced */
    write_fec(mixed, 200, true, "1,00");
    cr_assert_eq(
        h_cli(&h, K_ALPHA, err, sizeof err, "fec import --tenant alpha --open-accounts %s", mixed),
        2);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "line 201: entry VT/200"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused import changed the ledger");
    /* the last line not even a line: a date that does not exist */
    write_fec(mixed, 200, true, "1,00");
    FILE *f = fopen(mixed, "ab");
    cr_assert(f);
    fputs(
        "VT\tVentes\t7\t20250230\t706000\tVentes\t\t\tF7\t20250230\tVente 7\t0,00\t1,00\t\t\t\t\t\n",
        f);
    fclose(f);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, err, sizeof err, "fec import --tenant alpha --open-accounts %s", mixed),
        2);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "line 402:"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused import changed the ledger");
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
}

/* stdout of the last h_cli parsed as exactly one JSON object. */
static json_t *one_json(const char *out)
{
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    cr_assert(j, "not one JSON document (%s): %s", e.text, out);
    cr_assert(json_is_object(j), "%s", out);
    return j;
}

Test(progress_cli, fec_import_format_json_is_one_object_posted_replayed_or_refused)
{
    char fec[400], out[4096];
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    write_fec(fec, 25, true, NULL);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "fec import --tenant alpha --open-accounts --format json %s", fec),
                 0);
    json_t *j = one_json(out);
    cr_assert(json_is_true(json_object_get(j, "ok")), "%s", out);
    cr_assert_eq(json_integer_value(json_object_get(j, "entries")), 25, "%s", out);
    cr_assert_eq(json_integer_value(json_object_get(j, "lines")), 50, "%s", out);
    cr_assert_eq(json_integer_value(json_object_get(j, "posted")), 25, "%s", out);
    cr_assert_eq(json_integer_value(json_object_get(j, "replayed")), 0, "%s", out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "first")), "2025/1", "%s", out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "last")), "2025/25", "%s", out);
    json_decref(j);
    /* again: every entry replayed, the same numbers */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "fec import --tenant alpha --open-accounts --format json %s", fec),
                 0);
    j = one_json(out);
    cr_assert_eq(json_integer_value(json_object_get(j, "posted")), 0, "%s", out);
    cr_assert_eq(json_integer_value(json_object_get(j, "replayed")), 25, "%s", out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "last")), "2025/25", "%s", out);
    json_decref(j);
    /* refused: still one object, and nothing changed */
    uint8_t before[32], after[32];
    h_digest(&h, before);
    write_fec(fec, 25, true, "9,99");
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "fec import --tenant alpha --open-accounts --format json %s", fec),
                 2);
    j = one_json(out);
    cr_assert(json_is_false(json_object_get(j, "ok")), "%s", out);
    cr_assert_eq(json_integer_value(json_object_get(j, "exit_code")), 2, "%s", out);
    json_decref(j);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused import changed the ledger");
    cr_assert_eq(h_entry_count(&h, "alpha"), 25);
}

/* `cat FEC | ENV grandlivre fec import --tenant alpha --open-accounts -`:
 * the exit status. */
static int pipe_cli(const char *fec, const char *env)
{
    char cmd[4096], server_key[65];
    gl_hex(h.server_pk, 32, server_key);
    snprintf(cmd, sizeof cmd,
             "cat '%s' | XDG_CONFIG_HOME='%s' GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' "
             "GRANDLIVRE_SERVER_KEY='%s' %s '%s/grandlivre' fec import --tenant alpha "
             "--open-accounts - >/dev/null 2>>'%s/cli.err'",
             fec, h.dir, h.endpoint, h.key_path[K_ALPHA], server_key, env, h_build_dir(), h.dir);
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(progress_cli, a_pipe_is_read_through_a_temporary_file_963_when_it_cannot_be)
{
    char fec[400], err[4096];
    snprintf(fec, sizeof fec, "%s/sales.txt", h.dir);
    write_fec(fec, 40, true, NULL);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    /* TMPDIR missing: the copy of the pipe cannot be made */
    cr_assert_eq(pipe_cli(fec, "TMPDIR=/nonexistent-gl-tmp"), 2);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "-: error 963 spool: ") && strstr(err, "/nonexistent-gl-tmp"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused import changed the ledger");
    /* with a TMPDIR: a pipe imports as the file does */
    cr_assert_eq(pipe_cli(fec, ""), 0);
    cr_assert_eq(h_entry_count(&h, "alpha"), 40);
}
