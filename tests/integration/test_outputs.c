/*
 * tests/integration/test_outputs.c — what the CLI writes, against the real
 * daemon (issue 11, items 4-6):
 *   (4) CSV opened in a spreadsheet: a member's label, piece reference, aux
 *       code or account label starting with '=', '+', '-' or '@' comes out
 *       of every --format csv output with a leading "'"; amounts stay
 *       numbers (a negative balance is still "-150.00");
 *   (5) the hledger export: a label holding ", aux:PROXIM closing:yes"
 *       creates no tag that `hledger reg tag:aux=PROXIM` or `tag:closing`
 *       then match (hledger itself reads the journal);
 *   (6) every command that writes a file (statements -o, export hledger -o,
 *       archive -o, fec export -o DIR) goes through one atomic writer: an
 *       existing file is refused without --force and left as it was, a
 *       symbolic link at the destination is never followed (refused, even
 *       with --force), --force replaces a file by rename (a new inode), and
 *       a failed write (the file size limit) leaves no temporary file.
 */
#include "tests/support/harness.h"

#include "client/lib/grandlivre.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(outputs, .init = setup, .fini = teardown, .timeout = 60);

#define OUT_MAX (1 << 18)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* The CLI's standard error so far (h_cli appends it to DIR/cli.err). */
static const char *cli_err(void)
{
    static char buf[1 << 16];
    char path[400];
    snprintf(path, sizeof path, "%s/cli.err", h.dir);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

#define CLI_OK(k, out, len, ...)                                           \
    do {                                                                   \
        int rc_ = h_cli(&h, k, out, len, __VA_ARGS__);                     \
        cr_assert_eq(rc_, 0, "grandlivre exited %d:\n%s", rc_, cli_err()); \
    } while (0)

/* Run a shell command, capturing standard output and error into out. */
static int run(char *out, size_t out_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t out_len, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = 0, r;
    while (n + 1 < out_len && (r = fread(out + n, 1, out_len - 1 - n, p)) > 0)
        n += r;
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Open accounts with labels in tenant (the accountant's key). */
static void open_labelled(const char *tenant, const char *const (*acc)[2], size_t n)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT);
    gl_put_u32(&body, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        gl_put_str8(&body, acc[i][0], strlen(acc[i][0]));
        gl_put_str8(&body, acc[i][1], strlen(acc[i][1]));
    }
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, tenant, 0, body.data, body.len, &r);
    cr_assert_eq(st, GL_OK, "opening accounts: %s", gl_status_name(st));
    gl_response_free(&r);
    gl_buf_free(&body);
}

static void post_ok(enum h_key k, const gl_entry_in *e, size_t n)
{
    gl_response r;
    int st = h_post(&h, k, e, n, &r);
    cr_assert_eq(st, GL_OK, "post: %s", gl_status_name(st));
    gl_response_free(&r);
}

/* ------------------------------------------------------------------ */
/* (4) CSV                                                             */
/* ------------------------------------------------------------------ */

#define HYPERLINK "=HYPERLINK(\"http://evil.example/?q=1,2\",\"Clic\")"
#define CALC "=cmd|' /C calc'!A0"

/* alpha's books, written by alpha (a member) with what a spreadsheet
 * would evaluate in every text field a member controls; an intercompany
 * receivable on BETA that beta never recorded (a one-sided pair). */
static void hostile_books(void)
{
    static const char *const acc[][2] = {
        {"411000", "-Usagers"}, {"706000", CALC}, {"512000", "Banque"}};
    open_labelled("alpha", acc, 3);
    open_labelled("beta", acc, 3);
    gl_line_in l1[2] = {{"411000", "+PROXIM", "=1+1", "-2+3", GL_SIDE_DEBIT, 10000},
                        {"706000", "", "", "", GL_SIDE_CREDIT, 10000}};
    gl_line_in l2[2] = {
        {"411000", "BETA", "Beta", "=HYPERLINK(\"http://evil.example/2\")", GL_SIDE_DEBIT, 5000},
        {"706000", "", "", "", GL_SIDE_CREDIT, 5000}};
    gl_line_in l3[2] = {{"411000", "", "", "", GL_SIDE_DEBIT, 7},
                        {"706000", "@x", "", "", GL_SIDE_CREDIT, 7}};
    gl_entry_in e[3] = {
        {.tenant = "alpha",
         .journal = "VT",
         .piece_ref = "@SUM(A1:A2)",
         .label = HYPERLINK,
         .date = 20250310,
         .piece_date = 20250310,
         .line_count = 2,
         .lines = l1},
        {.tenant = "alpha",
         .journal = "VT",
         .piece_ref = "-P2",
         .label = "+intercompany",
         .date = 20250320,
         .piece_date = 20250320,
         .line_count = 2,
         .lines = l2},
        {.tenant = "alpha",
         .journal = "OD",
         .piece_ref = "P3",
         .label = "Ordinaire",
         .date = 20250330,
         .piece_date = 20250330,
         .line_count = 2,
         .lines = l3},
    };
    post_ok(K_ALPHA, e, 3);
}

/* The cells of a CSV text (RFC 4180 quoting), each NUL-terminated, in
 * order; rows are not told apart (the checks are per cell). */
typedef struct cells {
    char *v[4096];
    size_t n;
} cells;

static void csv_parse(const char *text, cells *c)
{
    memset(c, 0, sizeof *c);
    const char *p = text;
    while (*p) {
        cr_assert_lt(c->n, 4096);
        char *cell = malloc(strlen(p) + 1), *w = cell;
        cr_assert(cell);
        if (*p == '"') {
            for (p++;; p++) {
                cr_assert(*p, "unterminated quoted cell in:\n%s", text);
                if (*p == '"' && p[1] == '"')
                    *w++ = *p++;
                else if (*p == '"')
                    break;
                else
                    *w++ = *p;
            }
            p++;
        } else {
            while (*p && *p != ',' && *p != '\n')
                *w++ = *p++;
        }
        *w = '\0';
        c->v[c->n++] = cell;
        cr_assert(*p == ',' || *p == '\n' || !*p, "garbage after a quoted cell in:\n%s", text);
        if (*p)
            p++;
    }
}

static void cells_free(cells *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
}

static bool is_amount(const char *s)
{
    const char *p = s + (*s == '-');
    size_t digits = strspn(p, "0123456789");
    return digits > 0 && p[digits] == '.' && strspn(p + digits + 1, "0123456789") == 2 &&
           !p[digits + 3];
}

static bool has_cell(const cells *c, const char *want)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i], want))
            return true;
    return false;
}

/* Run `grandlivre ARGS --format csv` and check every cell: none starts
 * with a formula character unguarded, and a cell starting with '-' is an
 * amount.  Then each of want (NULL-terminated) is a cell of the output. */
static void csv_check(enum h_key k, const char *args, const char *const *want)
{
    char *out = malloc(OUT_MAX);
    cr_assert(out);
    CLI_OK(k, out, OUT_MAX, "%s --format csv", args);
    cells c;
    csv_parse(out, &c);
    cr_assert_gt(c.n, 0, "%s: no output", args);
    for (size_t i = 0; i < c.n; i++) {
        const char *s = c.v[i];
        cr_expect(!strchr("=+@\t\r", s[0]) || !s[0], "%s: unguarded cell [%s] in:\n%s", args, s,
                  out);
        cr_expect(s[0] != '-' || is_amount(s),
                  "%s: cell [%s] starts with '-' and is no amount in:\n%s", args, s, out);
    }
    for (; *want; want++)
        cr_expect(has_cell(&c, *want), "%s: no cell [%s] in:\n%s", args, *want, out);
    cells_free(&c);
    free(out);
}

Test(outputs, csv_cells_a_spreadsheet_would_evaluate_are_guarded_in_every_output)
{
    hostile_books();
    /* an empty line label shows the entry's: guarded, then quoted */
    static const char *const journal[] = {"'" HYPERLINK,
                                          "'@SUM(A1:A2)",
                                          "'+PROXIM",
                                          "'-2+3",
                                          "'-P2",
                                          "'+intercompany",
                                          "'=HYPERLINK(\"http://evil.example/2\")",
                                          "'@x",
                                          "100.00",
                                          NULL};
    csv_check(K_ALPHA, "journal --tenant alpha --from 2025-01-01 --to 2025-12-31", journal);
    /* the ledger's running balance is a negative amount: a number */
    static const char *const ledger706[] = {"'@SUM(A1:A2)", "'" HYPERLINK, "-100.00",
                                            "-150.00",      "-150.07",     NULL};
    csv_check(K_ALPHA, "ledger --tenant alpha --account 706000 --from 2025-01-01 --to 2025-12-31",
              ledger706);
    static const char *const ledger411[] = {"'+PROXIM", "'-2+3", "'-P2", NULL};
    csv_check(K_ALPHA, "ledger --tenant alpha --account 411000 --from 2025-01-01 --to 2025-12-31",
              ledger411);
    static const char *const balance[] = {"'+PROXIM", "'" CALC, "'@x", "-150.00", "-0.07", NULL};
    csv_check(K_ALPHA, "balance --tenant alpha --at 2025-12-31 --aux", balance);
    static const char *const balance_acc[] = {"'" CALC, "'-Usagers", "-150.07", NULL};
    csv_check(K_ALPHA, "balance --tenant alpha --at 2025-12-31", balance_acc);
    static const char *const entry[] = {"'+PROXIM", "'-2+3", NULL};
    csv_check(K_ALPHA, "entry --tenant alpha 2025/1", entry);
    static const char *const accounts[] = {"'" CALC, "'-Usagers", NULL};
    csv_check(K_ALPHA, "accounts list --tenant alpha", accounts);
    /* the group's outputs: account labels, and the unmatched lines' labels */
    static const char *const group[] = {"'" CALC, "'-Usagers", NULL};
    csv_check(K_ACCOUNTANT, "group balance --at 2025-12-31", group);
    static const char *const reconcile[] = {"one-sided", "'+intercompany", NULL};
    csv_check(K_AUDITOR, "group reconcile --at 2025-12-31", reconcile);
    static const char *const statements[] = {"actif.disponibilites", NULL};
    csv_check(K_AUDITOR, "statements --tenant alpha --year 2025", statements);
}

/* The table and JSON formats show the text as it was written. */
Test(outputs, table_and_json_show_labels_unchanged)
{
    hostile_books();
    char *out = malloc(OUT_MAX);
    cr_assert(out);
    CLI_OK(K_ALPHA, out, OUT_MAX,
           "journal --tenant alpha --from 2025-01-01 --to 2025-12-31 --format json");
    cr_expect(strstr(out, "\"@SUM(A1:A2)\""), "%s", out);
    cr_expect(strstr(out, "\"+PROXIM\""), "%s", out);
    CLI_OK(K_ALPHA, out, OUT_MAX, "journal --tenant alpha --from 2025-01-01 --to 2025-12-31");
    cr_expect(strstr(out, " @SUM(A1:A2) "), "%s", out);
    cr_expect_null(strstr(out, "'@"), "%s", out);
    free(out);
}

/* ------------------------------------------------------------------ */
/* (5) hledger tags                                                    */
/* ------------------------------------------------------------------ */

#define TAGGY "x, aux:PROXIM closing:yes"

Test(outputs, hledger_reads_no_tag_from_a_label)
{
    static const char *const acc[][2] = {{"606100", "Achats, aux:PROXIM closing:yes"},
                                         {"401000", "Fournisseurs"}};
    open_labelled("alpha", acc, 2);
    gl_line_in l[2] = {{"606100", "", "", "y, aux:PROXIM closing:yes", GL_SIDE_DEBIT, 4200},
                       {"401000", "F01", "Bureau, aux:PROXIM closing:yes", "z, closing:yes",
                        GL_SIDE_CREDIT, 4200}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "AC",
                     .piece_ref = "F1, closing:yes",
                     .label = TAGGY,
                     .date = 20250401,
                     .piece_date = 20250331,
                     .line_count = 2,
                     .lines = l};
    post_ok(K_ALPHA, &e, 1);
    char journal[400], *out = malloc(OUT_MAX);
    cr_assert(out);
    snprintf(journal, sizeof journal, "%s/alpha.journal", h.dir);
    CLI_OK(K_ALPHA, NULL, 0, "export hledger --tenant alpha --year 2025 -o %s", journal);
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s check -s 2>&1", journal), 0, "%s", out);
    /* the positive control: the real aux tag is found */
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s reg tag:aux=F01 2>&1", journal), 0, "%s", out);
    cr_assert(strstr(out, "401000"), "tag:aux=F01 should match the 401000 posting:\n%s", out);
    cr_assert_null(strstr(out, "606100"), "%s", out);
    /* the labels' text makes none */
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s reg tag:aux=PROXIM 2>&1", journal), 0, "%s", out);
    cr_expect_str_eq(out, "", "tag:aux=PROXIM matched:\n%s", out);
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s reg tag:closing 2>&1", journal), 0, "%s", out);
    cr_expect_str_eq(out, "", "tag:closing matched:\n%s", out);
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s reg tag:yes 2>&1", journal), 0, "%s", out);
    cr_expect_str_eq(out, "", "tag:yes matched:\n%s", out);
    /* every tag name is one the export writes */
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s tags 2>&1", journal), 0, "%s", out);
    static const char *const known[] = {"journal",     "piece",    "piece_date", "aux",
                                        "third_party", "label",    "type",       "letter",
                                        "letter_date", "reverses", "opening",    "tenant"};
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            ok = ok || !strcmp(line, known[i]);
        cr_expect(ok, "hledger reads a tag '%s' the export never wrote", line);
    }
    /* the text is still there, readable, and the balance unchanged */
    cr_assert_eq(run(out, OUT_MAX, "cat %s", journal), 0);
    cr_expect(strstr(out, "Bureau; aux:PROXIM closing:yes"), "%s", out);
    cr_expect(strstr(out, "y; aux:PROXIM closing:yes"), "%s", out);
    cr_expect(strstr(out, TAGGY), "the entry label as the description:\n%s", out);
    cr_assert_eq(run(out, OUT_MAX, "hledger -f %s bal -N -O csv 401000 2>&1", journal), 0, "%s",
                 out);
    cr_expect(strstr(out, "-42.00"), "%s", out);
    free(out);
}

/* ------------------------------------------------------------------ */
/* (6) files written by the CLI                                        */
/* ------------------------------------------------------------------ */

/* A command that writes a file: its arguments around the -o value, the
 * key that may run it, and the file it writes under DIR (fec export names
 * its own file in the directory given with -o). */
typedef struct writer {
    const char *what;
    enum h_key key;
    const char *args; /* printf format taking the -o value */
    const char *file; /* the file written in DIR; NULL: DIR/out */
} writer;

static const writer writers[] = {
    {"statements", K_AUDITOR, "statements --tenant alpha --year 2025 --format csv -o '%s'", NULL},
    {"statements html", K_AUDITOR, "statements --tenant alpha --year 2025 --format html -o '%s'",
     NULL},
    {"export hledger", K_ALPHA, "export hledger --tenant alpha --year 2025 -o '%s'", NULL},
    {"archive", K_AUDITOR, "archive --tenant alpha -o '%s'", NULL},
    {"fec export", K_AUDITOR, "fec export --tenant alpha --year 2025 -o '%s'",
     "111111111FEC20251231.txt"},
};

/* The books every writer has something to write from. */
static void some_books(void)
{
    static const char *const acc[][2] = {
        {"411000", "Usagers"}, {"706000", "Prestations"}, {"512000", "Banque"}};
    open_labelled("alpha", acc, 3);
    gl_line_in l[2][2];
    gl_entry_in e[2] = {h_entry2("alpha", 20250310, "411000", "706000", 12345, l[0]),
                        h_entry2("alpha", 20250410, "512000", "411000", 12345, l[1])};
    post_ok(K_ALPHA, e, 2);
}

/* A fresh directory for one writer's outputs: DIR/w<i>. */
static void out_dir(size_t i, char *dir, size_t dir_len)
{
    snprintf(dir, dir_len, "%s/w%zu", h.dir, i);
    cr_assert_eq(mkdir(dir, 0700), 0);
}

/* The -o value and the file written, for writer w in dir. */
static void paths(const writer *w, const char *dir, char *opt, size_t opt_len, char *file,
                  size_t file_len)
{
    snprintf(opt, opt_len, w->file ? "%s" : "%s/out", dir);
    snprintf(file, file_len, "%s/%s", dir, w->file ? w->file : "out");
}

static int run_writer(const writer *w, const char *opt, const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args, w->args, opt);
    return h_cli(&h, w->key, NULL, 0, "%s %s", args, extra);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, OUT_MAX);
    cr_assert(buf);
    size_t n = fread(buf, 1, OUT_MAX - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void expect_content(const char *path, const char *want, const char *what)
{
    char *got = slurp(path);
    cr_assert(got, "%s: %s is missing", what, path);
    cr_expect_str_eq(got, want, "%s: %s was changed", what, path);
    free(got);
}

/* The names in dir, sorted, joined with spaces. */
static void listing(const char *dir, char *out, size_t out_len)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    cr_assert_geq(n, 0, "%s", dir);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (out[0])
                strncat(out, " ", out_len - strlen(out) - 1);
            strncat(out, names[i]->d_name, out_len - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
}

static void expect_listing(const char *dir, const char *want, const char *what)
{
    char got[2048];
    listing(dir, got, sizeof got);
    cr_expect_str_eq(got, want, "%s: %s holds [%s], want [%s]", what, dir, got, want);
}

static bool is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Onto an existing file: refused without --force (exit 2, the file as it
 * was); replaced with --force by a rename (a new inode). */
Test(outputs, every_writer_refuses_an_existing_file_without_force)
{
    some_books();
    uint8_t before[32], after[32];
    h_digest(&h, before);
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        const writer *w = &writers[i];
        char dir[400], opt[500], file[600];
        out_dir(i, dir, sizeof dir);
        paths(w, dir, opt, sizeof opt, file, sizeof file);
        FILE *f = fopen(file, "w");
        cr_assert(f);
        fputs("KEEP\n", f);
        fclose(f);
        struct stat st_old, st_new;
        cr_assert_eq(stat(file, &st_old), 0);
        cr_expect_eq(run_writer(w, opt, ""), 2, "%s over an existing file", w->what);
        cr_expect(strstr(cli_err(), "exists; --force replaces it"), "%s: %s", w->what, cli_err());
        expect_content(file, "KEEP\n", w->what);
        expect_listing(dir, w->file ? w->file : "out", w->what);
        cr_expect_eq(run_writer(w, opt, "--force"), 0, "%s --force: %s", w->what, cli_err());
        char *now = slurp(file);
        cr_assert(now);
        cr_expect(strcmp(now, "KEEP\n"), "%s --force left the file as it was", w->what);
        free(now);
        cr_assert_eq(stat(file, &st_new), 0);
        cr_expect_gt(st_new.st_size, 100, "%s --force wrote %lld bytes", w->what,
                     (long long)st_new.st_size);
        cr_expect_neq(st_old.st_ino, st_new.st_ino, "%s --force rewrote the file in place",
                      w->what);
        expect_listing(dir, w->file ? w->file : "out", w->what);
    }
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);
}

/* Onto a symbolic link to a file elsewhere, and onto a dangling one: the
 * target is never written nor created, the link stays, with or without
 * --force (exit 2). */
Test(outputs, no_writer_follows_a_symbolic_link)
{
    some_books();
    uint8_t before[32], after[32];
    h_digest(&h, before);
    char elsewhere[400], target[500], planted[500];
    snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", h.dir);
    cr_assert_eq(mkdir(elsewhere, 0700), 0);
    snprintf(target, sizeof target, "%s/authorized_keys", elsewhere);
    snprintf(planted, sizeof planted, "%s/planted", elsewhere);
    FILE *f = fopen(target, "w");
    cr_assert(f);
    fputs("TARGET\n", f);
    fclose(f);
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        const writer *w = &writers[i];
        char dir[400], opt[500], file[600];
        out_dir(i, dir, sizeof dir);
        paths(w, dir, opt, sizeof opt, file, sizeof file);
        for (int dangling = 0; dangling <= 1; dangling++) {
            cr_assert_eq(symlink(dangling ? planted : target, file), 0);
            cr_expect_eq(run_writer(w, opt, ""), 2, "%s onto a link", w->what);
            cr_expect_eq(run_writer(w, opt, "--force"), 2, "%s --force onto a link", w->what);
            cr_expect(strstr(cli_err(), "symbolic link"), "%s: %s", w->what, cli_err());
            cr_expect(is_link(file), "%s replaced the link", w->what);
            expect_listing(dir, w->file ? w->file : "out", w->what);
            cr_assert_eq(unlink(file), 0);
        }
        expect_content(target, "TARGET\n", w->what);
        expect_listing(elsewhere, "authorized_keys", w->what);
    }
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);
}

/* A write that fails half way (the file size limit, 0 blocks: EFBIG on
 * the first write; the shell ignores SIGXFSZ as `trap '' XFSZ` does)
 * leaves no temporary file, and over an existing file with --force leaves
 * that file as it was. */
Test(outputs, a_failed_write_leaves_no_temporary_file)
{
    some_books();
    char server_key[65];
    gl_hex(h.server_pk, 32, server_key);
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        const writer *w = &writers[i];
        char dir[400], opt[500], file[600], args[1024], out[4096];
        out_dir(i, dir, sizeof dir);
        paths(w, dir, opt, sizeof opt, file, sizeof file);
        snprintf(args, sizeof args, w->args, opt);
        int rc = run(out, sizeof out,
                     "trap '' XFSZ; ulimit -f 0; GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' "
                     "GRANDLIVRE_SERVER_KEY='%s' '%s/grandlivre' %s 2>&1",
                     h.endpoint, h.key_path[w->key], server_key, h_build_dir(), args);
        cr_expect_eq(rc, 2, "%s under a 0-byte file size limit: exit %d\n%s", w->what, rc, out);
        cr_expect(strstr(out, "File too large"), "%s: %s", w->what, out);
        expect_listing(dir, "", w->what);
        /* over an existing file, with --force */
        FILE *f = fopen(file, "w");
        cr_assert(f);
        fputs("KEEP\n", f);
        fclose(f);
        rc = run(out, sizeof out,
                 "trap '' XFSZ; ulimit -f 0; GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' "
                 "GRANDLIVRE_SERVER_KEY='%s' '%s/grandlivre' %s --force 2>&1",
                 h.endpoint, h.key_path[w->key], server_key, h_build_dir(), args);
        cr_expect_eq(rc, 2, "%s --force under the limit: exit %d\n%s", w->what, rc, out);
        expect_content(file, "KEEP\n", w->what);
        expect_listing(dir, w->file ? w->file : "out", w->what);
    }
}

/* Not root: a directory without write permission refuses at once, and
 * nothing is created in it. */
Test(outputs, a_directory_without_write_permission_is_refused)
{
    if (geteuid() == 0) {
        h_teardown(&h); /* a skipped test's .fini does not run: stop the daemon here */
        cr_skip_test(
            "root writes in any directory (a_failed_write_leaves_no_temporary_file covers the cleanup)");
    }
    some_books();
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        const writer *w = &writers[i];
        char dir[400], opt[500], file[600];
        out_dir(i, dir, sizeof dir);
        paths(w, dir, opt, sizeof opt, file, sizeof file);
        cr_assert_eq(chmod(dir, 0500), 0);
        cr_expect_eq(run_writer(w, opt, ""), 2, "%s into a read-only directory", w->what);
        cr_assert_eq(chmod(dir, 0700), 0);
        expect_listing(dir, "", w->what);
    }
}
