/*
 * client/cli/cmd_fec.c — `grandlivre fec import`: an association brings its
 * history.  The whole file is read and checked first (client/fec/fec_read.c:
 * every entry balanced, dates, amounts; through temporary spools, so that
 * a file of a million entries needs tens of MiB, not gigabytes), then the tenant's chart is checked
 * (or completed with --open-accounts, using the file's labels, for the books
 * of the file's fiscal years: an account of the earlier chart, such as
 * 791000, opens for a file with entries of a fiscal year opened before
 * 2025, proto/chart_rules.h), and only then
 * are entries posted, in batches whose request ids derive from their content:
 * rerunning an interrupted import posts nothing twice.  Each batch is read
 * back, encoded and signed while the daemon works on the one before
 * (post_entries): the daemon never waits for the client's work.
 */
#include "cli.h"
#include "i18n.h"
#include "third_parties.h"
#include "cli_replies.h"

#include "client/fec/fec_read.h"
#include "client/input/chart.h"
#include "client/fec/spool.h"
#include "client/input/entry_set.h"
#include "client/output/progress.h"
#include "proto/chart_rules.h"
#include "proto/date.h"
#include "proto/limits.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/rules.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
    "usage: grandlivre fec import --tenant T [--open-accounts] [--keep-labels]\n"
    "                             [--encoding auto|utf-8|iso-8859-15] FILE\n"
    "\n"
    "Import a FEC file (Fichier des Écritures Comptables, LPF art. A47 A-1) into\n"
    "tenant T. Accepts tab or '|' separators, Debit/Credit or Montant/Sens\n"
    "columns, comma or dot decimals, CRLF or LF, UTF-8 (with or without BOM) or\n"
    "ISO 8859-15 (auto-detected). Lines are grouped into entries by\n"
    "(JournalCode, EcritureNum). Everything is checked before anything is\n"
    "posted; a refusal names the file line. Accounts missing from the tenant's\n"
    "chart are refused unless --open-accounts, which opens them with the file's\n"
    "labels (existing accounts keep theirs); when the file holds entries of a\n"
    "fiscal year opened before 2025-01-01, kept in the earlier chart, accounts\n"
    "that the 2025 chart abolished (791000...) open too, for those books (posting\n"
    "them in a year opened from 2025 stays refused). Entries are numbered in the\n"
    "ledger's own continuous sequence; the file's PieceRef, labels and auxiliary\n"
    "accounts are kept. Rerunning the same import posts nothing new.\n"
    "Each entry keeps the file's ValidDate (one per entry; the daemon refuses\n"
    "one after today). Lines sharing an EcritureLet on one account and\n"
    "auxiliary account are lettered after posting, under the ledger's own\n"
    "codes and with the file's DateLet (the latest of the group); a group whose\n"
    "lines do not sum to zero is listed on standard error and not lettered.\n"
    "Each entry's PieceRef and EcritureLib (its first line's) must not be empty\n"
    "or blank, and every CompteNum must start with three digits, the first the\n"
    "class 1-8 (9: analytic accounts, where the tenant enables them).\n"
    "An account already open whose label is still a standard chart's (either\n"
    "chart: ANC 2018-06 or 2025) takes the file's CompteLib when it differs\n"
    "(one signed ACCOUNT_LABEL request, after the entries are posted); each\n"
    "change is listed on standard error. --keep-labels leaves every label.\n"
    "\n"
    "grandlivre fec export writes the FEC of a fiscal year: see\n"
    "'grandlivre fec export --help'.\n"
    "\n"
    "--format json prints one JSON object on standard output: {\"ok\": true,\n"
    "\"entries\", \"lines\", \"posted\" (new), \"replayed\" (posted before),\n"
    "\"first\" and \"last\" (entry numbers \"2025/1\")} or {\"ok\": false,\n"
    "\"exit_code\"}; messages stay on standard error. A progress bar is drawn on\n"
    "standard error when it is a terminal.\n";

enum { OPT_OPEN = 2000, OPT_ENCODING, OPT_KEEP_LABELS };

struct fec_opts {
    bool open_accounts;
    bool keep_labels;
    enum gl_fec_encoding enc;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct fec_opts *o = user;
    if (opt == OPT_OPEN) {
        o->open_accounts = true;
    } else if (opt == OPT_KEEP_LABELS) {
        o->keep_labels = true;
    } else if (opt == OPT_ENCODING) {
        if (!strcmp(arg, "auto"))
            o->enc = GL_FEC_ENC_AUTO;
        else if (!strcmp(arg, "utf-8") || !strcmp(arg, "utf8"))
            o->enc = GL_FEC_ENC_UTF8;
        else if (!strcmp(arg, "iso-8859-15") || !strcmp(arg, "latin9"))
            o->enc = GL_FEC_ENC_LATIN9;
        else {
            cli_error("--encoding takes auto, utf-8 or iso-8859-15");
            return EXIT_USAGE;
        }
    } else {
        return EXIT_USAGE;
    }
    return 0;
}

/* The tenant's open accounts, as a sorted array of strings. */
typedef struct chart {
    char **accounts;
    size_t count;
} chart;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fetch_chart(cli *c, chart *ch)
{
    gl_response resp;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &resp);
    if (rc == 0) {
        gl_reply_accounts_list list;
        int st = gl_reply_accounts_list_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                               &list);
        ch->accounts =
            st == GL_OK ? calloc(list.count ? list.count : 1, sizeof *ch->accounts) : NULL;
        gl_reply_accounts_list_iter it;
        gl_reply_accounts_list_row row;
        gl_reply_accounts_list_iter_init(&it, &list);
        while (ch->accounts && gl_reply_accounts_list_next(&it, &row) == 1) {
            ch->accounts[ch->count] = strndup(row.account.ptr, row.account.len);
            if (ch->accounts[ch->count])
                ch->count++;
        }
        if (!ch->accounts)
            rc = EXIT_REFUSED;
        else
            qsort(ch->accounts, ch->count, sizeof *ch->accounts, cmp_str);
    }
    gl_response_free(&resp);
    return rc;
}

static void chart_free(chart *ch)
{
    for (size_t i = 0; i < ch->count; i++)
        free(ch->accounts[i]);
    free(ch->accounts);
}

static bool chart_has(const chart *ch, const char *account)
{
    return bsearch(&account, ch->accounts, ch->count, sizeof *ch->accounts, cmp_str) != NULL;
}

/* The first of the file's accounts missing from the chart, the line where
 * the first entry using it starts, and how many are missing. */
static void missing_accounts(const gl_fec_reader *r, const chart *ch, const char **first_missing,
                             size_t *first_line, size_t *missing_count)
{
    const gl_entry_set *set = gl_fec_accounts(r);
    *first_missing = NULL;
    *missing_count = 0;
    for (size_t i = 0; i < set->account_count; i++) {
        if (chart_has(ch, set->accounts[i].account))
            continue;
        (*missing_count)++;
        if (*first_missing)
            continue;
        *first_missing = set->accounts[i].account;
        *first_line = gl_fec_account_entry_line(r, i);
    }
}

/* GL_OPEN_HISTORY when some entry of the file belongs to a fiscal year
 * opened before 2025 (its books are kept in the earlier chart, whose
 * accounts may then be opened), else 0. */
static int history_flag(cli *c, const gl_fec_reader *r, uint8_t *flag)
{
    unsigned fm;
    int rc = cli_first_month(c, &fm);
    *flag = 0;
    /* the earliest entry is in the earliest fiscal year */
    uint16_t fy = rc == 0 ? gl_fiscal_year(gl_fec_first_date(r), fm) : 0;
    if (rc == 0 && gl_chart_edition(gl_fiscal_year_start(fy, fm)) < 2025)
        *flag = GL_OPEN_HISTORY;
    return rc;
}

static int open_missing(cli *c, const gl_fec_reader *r, const chart *ch)
{
    const gl_entry_set *set = gl_fec_accounts(r);
    uint8_t history;
    int hrc = history_flag(c, r, &history);
    if (hrc)
        return hrc;
    gl_buf body;
    gl_buf_init(&body);
    uint32_t n = 0;
    gl_put_u8(&body, (uint8_t)(GL_OPEN_SKIP_EXISTING | history));
    gl_put_u32(&body, 0);
    for (size_t i = 0; i < set->account_count; i++) {
        const gl_account_label *a = &set->accounts[i];
        if (chart_has(ch, a->account))
            continue;
        size_t llen = strlen(a->label);
        gl_put_str8(&body, a->account, strlen(a->account));
        gl_put_str8(&body, a->label, llen > GL_LABEL_MAX ? GL_LABEL_MAX : llen);
        n++;
    }
    int rc = 0;
    if (n && gl_buf_ok(&body)) {
        gl_be32(body.data + 1, n);
        gl_response resp;
        rc = cli_call(c, GL_KIND_ACCOUNTS_OPEN, c->tenant, body.data, body.len, &resp);
        if (rc == 0)
            fprintf(stderr, "grandlivre: fec import: opened %u account(s) with the file's labels\n",
                    n);
        gl_response_free(&resp);
    } else if (!gl_buf_ok(&body)) {
        rc = EXIT_USAGE;
    }
    gl_buf_free(&body);
    return rc;
}

/* Is label the standard one of account in either chart? */
static bool standard_label(const char *account, gl_str label)
{
    static const unsigned editions[] = {2018, 2025};
    for (size_t i = 0; i < 2; i++) {
        gl_chart ch = gl_chart_get(editions[i]);
        const char *std = gl_chart_label(&ch, account, strlen(account));
        if (std && strlen(std) == label.len && !memcmp(std, label.ptr, label.len))
            return true;
    }
    return false;
}

/* Give the accounts the file uses, open with a standard label, the file's
 * label (CompteLib) when it differs: one ACCOUNT_LABEL request, whose id
 * derives from its body (cli_call), and a line per change on stderr.  A
 * rerun finds the labels already changed and sends nothing. */
static int relabel_standard(cli *c, const gl_entry_set *set)
{
    gl_response list;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &list);
    if (rc) {
        gl_response_free(&list);
        return rc;
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, 0);
    uint32_t n = 0;
    gl_reply_accounts_list accounts;
    int st = gl_reply_accounts_list_decode(gl_reply_view(list.reply.body, list.reply.body_len),
                                           &accounts);
    gl_reply_accounts_list_iter it;
    gl_reply_accounts_list_row row;
    gl_reply_accounts_list_iter_init(&it, &accounts);
    while (st == GL_OK && n < GL_LABELS_MAX && gl_reply_accounts_list_next(&it, &row) == 1) {
        gl_str a = row.account, l = row.label;
        char account[GL_ACCOUNT_MAX + 1];
        if (a.len > GL_ACCOUNT_MAX)
            continue;
        snprintf(account, sizeof account, "%.*s", (int)a.len, a.ptr);
        const char *file = gl_entry_set_account_label(set, account);
        if (!file || !standard_label(account, l))
            continue;
        size_t flen = strlen(file) > GL_LABEL_MAX ? GL_LABEL_MAX : strlen(file);
        gl_str fl = {file, flen};
        if (gl_text_blank(fl) || (flen == l.len && !memcmp(file, l.ptr, flen)))
            continue;
        gl_put_str8(&body, account, a.len);
        gl_put_str8(&body, file, flen);
        fprintf(stderr, "grandlivre: fec import: compte %s : libellé « %.*s » → « %.*s »\n",
                account, (int)l.len, l.ptr, (int)flen, file);
        n++;
    }
    if (st != GL_OK) {
        cli_error("cannot read the daemon's reply (accounts of %s)", c->tenant);
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && n && gl_buf_ok(&body)) {
        gl_be32(body.data, n);
        gl_response resp;
        rc = cli_call(c, GL_KIND_ACCOUNT_LABEL, c->tenant, body.data, body.len, &resp);
        if (rc == 0)
            fprintf(stderr, "grandlivre: fec import: %u account label(s) taken from the file\n", n);
        gl_response_free(&resp);
    } else if (!gl_buf_ok(&body)) {
        rc = EXIT_USAGE;
    }
    gl_buf_free(&body);
    gl_response_free(&list);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Lettering: the file's EcritureLet groups, under the daemon's codes    */
/* ------------------------------------------------------------------ */

/* One group: lines of one account and aux sharing the file's code, in
 * entry and line order (gl_fec_next_letter's). */
typedef struct let_group {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1], code[GL_LABEL_MAX + 1];
    gl_fec_let_line *lines; /* strings not kept: the group's are above */
    size_t count, cap;
} let_group;

static void list_group(const let_group *g, const char *why)
{
    fprintf(stderr,
            "grandlivre: fec import: EcritureLet '%s' on %s%s%s not lettered: %s; its lines:\n",
            g->code, g->account, g->aux[0] ? "/" : "", g->aux, why);
    for (size_t i = 0; i < g->count; i++) {
        const gl_fec_let_line *x = &g->lines[i];
        char m[GL_MONEY_TEXT_MAX];
        fprintf(stderr, "grandlivre:   entry %zu (line %zu of the file), line %u: %s %s\n",
                x->entry + 1, x->source_line, x->line,
                x->side == GL_SIDE_DEBIT ? "debit" : "credit",
                gl_money_format(x->amount_cents, GL_MONEY_PLAIN, m));
    }
}

/* Letter one group: the sum must be zero; the date is the latest DateLet
 * of its lines (0: the day). */
static int letter_group(cli *c, const let_group *g, const uint16_t *fy, const uint32_t *num,
                        size_t *lettered)
{
    size_t n = g->count;
    if (n < 2)
        return list_group(g, "a single line"), 0;
    if (n > GL_LETTER_LINES_MAX)
        return list_group(g, "more lines than one lettering takes"), 0;
    int64_t sum = 0;
    uint32_t date = 0;
    gl_line_ref *refs = calloc(n, sizeof *refs);
    if (!refs)
        return EXIT_USAGE;
    for (size_t i = 0; i < n; i++) {
        const gl_fec_let_line *x = &g->lines[i];
        if (!num[x->entry]) {
            free(refs);
            return list_group(g, "an entry of it was not posted"), 0;
        }
        if (!gl_money_add(&sum, x->side == GL_SIDE_DEBIT ? x->amount_cents : -x->amount_cents)) {
            free(refs);
            return list_group(g, "its sum overflows"), 0;
        }
        if (x->date > date)
            date = x->date;
        refs[i] = (gl_line_ref){fy[x->entry], num[x->entry], x->line};
    }
    if (sum != 0) {
        char m[GL_MONEY_TEXT_MAX], why[64];
        snprintf(why, sizeof why, "its lines sum to %s, not zero",
                 gl_money_format(sum, GL_MONEY_PLAIN, m));
        free(refs);
        return list_group(g, why), 0;
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_letter_q_encode_dated(&body, (gl_str){g->account, strlen(g->account)},
                             (gl_str){g->aux, strlen(g->aux)}, refs, (uint16_t)n, date);
    free(refs);
    int rc = EXIT_USAGE;
    if (gl_buf_ok(&body)) {
        gl_response resp;
        rc = cli_call(c, GL_KIND_LETTER, c->tenant, body.data, body.len, &resp);
        if (rc == 0)
            (*lettered)++;
        else
            fprintf(stderr,
                    "grandlivre: fec import: EcritureLet '%s' on %s%s%s was refused (above)\n",
                    g->code, g->account, g->aux[0] ? "/" : "", g->aux);
        gl_response_free(&resp);
    }
    gl_buf_free(&body);
    return rc;
}

static bool same_group(const let_group *g, const gl_fec_let_line *l)
{
    return !strcmp(g->account, l->account) && !strcmp(g->aux, l->aux) && !strcmp(g->code, l->code);
}

/* Letter every group of the file, after its entries are posted, in order
 * of account, aux and the file's code.  A group that does not sum to zero
 * is listed and left; a refused LETTER is reported, the other groups
 * still lettered, and the exit status says so. */
static int letter_groups(cli *c, gl_fec_reader *r, const uint16_t *fy, const uint32_t *num)
{
    let_group g = {0};
    gl_fec_let_line l;
    int rc = 0, more;
    size_t lettered = 0, groups = 0;
    while ((more = gl_fec_next_letter(r, &l)) == 1) {
        if (g.count && !same_group(&g, &l)) {
            groups++;
            int grc = letter_group(c, &g, fy, num, &lettered);
            if (grc && !rc)
                rc = grc;
            g.count = 0;
        }
        if (g.count == 0) {
            snprintf(g.account, sizeof g.account, "%s", l.account);
            snprintf(g.aux, sizeof g.aux, "%s", l.aux);
            snprintf(g.code, sizeof g.code, "%s", l.code);
        }
        if (g.count == g.cap) {
            size_t cap = g.cap ? g.cap * 2 : 16;
            gl_fec_let_line *lines = realloc(g.lines, cap * sizeof *lines);
            if (!lines) {
                more = -1;
                errno = ENOMEM;
                break;
            }
            g.lines = lines;
            g.cap = cap;
        }
        g.lines[g.count++] = l;
    }
    if (more < 0) {
        cli_error("fec import: cannot read the lettered lines back: %s", strerror(errno));
        rc = errno == ENOMEM ? EXIT_NOMEM : EXIT_USAGE;
    } else if (g.count) {
        groups++;
        int grc = letter_group(c, &g, fy, num, &lettered);
        if (grc && !rc)
            rc = grc;
    }
    free(g.lines);
    if (groups)
        fprintf(stderr, "grandlivre: fec import: %zu of %zu EcritureLet group(s) lettered\n",
                lettered, groups);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Import                                                              */
/* ------------------------------------------------------------------ */

/* The file to read twice: a regular file as it is; standard input, a pipe
 * or a FIFO first copied into an unlinked temporary file. */
static FILE *open_input(const char *path)
{
    FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!in) {
        cli_error("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
        return in;
    int fd = gl_spool_tmpfd();
    FILE *copy = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    int err = copy ? 0 : errno;
    bool spool_failed = !copy; /* the temporary file: error 963 */
    char buf[1 << 16];
    size_t n;
    while (!err && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, copy) != n) {
            err = errno;
            spool_failed = true;
        }
    if (!err && ferror(in))
        err = errno ? errno : EIO;
    if (!err && (fflush(copy) != 0 || fseek(copy, 0, SEEK_SET) != 0)) {
        err = errno;
        spool_failed = true;
    }
    if (in != stdin)
        fclose(in);
    if (err) {
        const char *dir = getenv("TMPDIR");
        if (spool_failed)
            cli_error("%s: error %d %s: %s — %s: %s", path, GL_ERR_SPOOL,
                      gl_status_name(GL_ERR_SPOOL), gl_status_message(GL_ERR_SPOOL),
                      dir && *dir ? dir : "/tmp", strerror(err));
        else
            cli_error("cannot read %s: %s", path, strerror(err));
        if (copy)
            fclose(copy);
        else if (fd >= 0)
            close(fd);
        return NULL;
    }
    return copy;
}

/* What an import did, for --format json. */
typedef struct import_summary {
    size_t entries, lines, accepted, replayed;
} import_summary;

/* The checked entries read back, one batch at a time. */
typedef struct fec_feed {
    gl_fec_reader *r;
    gl_fec_item it; /* read, and not yet in a chunk when pending */
    bool pending;
    gl_buf one;       /* it, canonical: its size decides where batches end */
    size_t batch_max; /* entries per request: GL_ENTRIES_MAX, or GRANDLIVRE_FEC_BATCH */
} fec_feed;

/* Entries per request: GL_ENTRIES_MAX, unless GRANDLIVRE_FEC_BATCH (1 to
 * GL_ENTRIES_MAX) asks fewer: tests make many batches of a small file.
 * The request ids then differ from those of the default batches. */
static size_t fec_batch_max(void)
{
    const char *env = getenv("GRANDLIVRE_FEC_BATCH");
    char *end;
    unsigned long n = env && *env ? strtoul(env, &end, 10) : 0;
    return n >= 1 && n <= GL_ENTRIES_MAX && !*end ? (size_t)n : GL_ENTRIES_MAX;
}

/* The next entries of the file into chunk (empty), up to one batch
 * (post_batch_full: the batches, and so the request ids, of the whole set
 * at once); none at the end.  0 or an exit code. */
static int fill_chunk(fec_feed *fd, gl_entry_set *chunk, import_summary *sum)
{
    size_t bytes = 0;
    for (;;) {
        if (!fd->pending) {
            int more = gl_fec_next(fd->r, &fd->it);
            if (more < 0) {
                cli_error("fec import: cannot read the checked entries back: %s", strerror(errno));
                return errno == ENOMEM ? EXIT_NOMEM : EXIT_USAGE;
            }
            if (more == 0)
                return 0;
            gl_buf_reset(&fd->one);
            if (gl_entry_encode(&fd->one, &fd->it.entry) != GL_OK || !gl_buf_ok(&fd->one))
                return cli_nomem("the batch of entries");
            fd->pending = true;
        }
        if (post_batch_full(chunk->count, bytes, fd->one.len) || chunk->count >= fd->batch_max)
            return 0;
        if (chunk->count == 0) {
            memcpy(chunk->source_digest, gl_fec_digest(fd->r), sizeof chunk->source_digest);
            chunk->has_source_digest = true;
        }
        if (gl_entry_set_add(chunk, &fd->it.entry, fd->it.source_line) != 0)
            return cli_nomem("the batch of entries");
        fd->pending = false;
        bytes += fd->one.len;
        sum->entries++;
        sum->lines += fd->it.entry.line_count;
    }
}

/* The entries of the file, posted one batch per request, the next batch
 * read back, encoded and signed while the daemon works on the one in
 * flight, and sent as soon as that one is accepted: the daemon never waits
 * for the client's work, and nothing is sent after a refusal (a batch sent
 * ahead would be posted after the refused one, out of the file's order,
 * and "N entries posted before the refusal" would no longer hold).
 * Memory: the entries of two batches (the one in flight, kept to name a
 * refused entry's line, and the next), the next one's signed request, and
 * ZeroMQ's copy of the one in flight (the request is freed once handed
 * over): about 10 MiB more than one batch at a time with batches of 10,000
 * entries (agiie's 100,000 entries: peak RSS 36 → 46 MiB), and at most
 * 3 × 8 MiB of requests with batches at their byte limit. */
static int post_entries(cli *c, gl_fec_reader *r, uint16_t *fy, uint32_t *num, import_summary *sum)
{
    gl_progress bar;
    gl_progress_start(&bar, "fec import", "entries", gl_fec_count(r));
    post_stream ps = {.bar = &bar};
    gl_entry_set sets[2], *cur = &sets[0], *next = &sets[1];
    post_flight flights[2] = {0}, *fcur = &flights[0], *fnext = &flights[1];
    gl_entry_set_init(cur);
    gl_entry_set_init(next);
    fec_feed fd = {.r = r, .batch_max = fec_batch_max()};
    gl_buf_init(&fd.one);
    int rc = fill_chunk(&fd, cur, sum);
    if (rc == 0 && cur->count && (rc = post_chunk_sign(c, cur, &ps, fcur)) == 0)
        rc = post_chunk_send(c, fcur);
    while (rc == 0 && cur->count) {
        gl_entry_set_free(next);
        int next_rc = fill_chunk(&fd, next, sum);
        if (next_rc == 0 && next->count)
            next_rc = post_chunk_sign(c, next, &ps, fnext);
        rc = post_chunk_end(c, cur, "fec import", fy + fcur->base, num + fcur->base, &ps, fcur);
        if (rc == 0)
            rc = next_rc;
        if (rc == 0 && next->count)
            rc = post_chunk_send(c, fnext);
        gl_entry_set *s = cur;
        cur = next;
        next = s;
        post_flight *f = fcur;
        fcur = fnext;
        fnext = f;
    }
    gl_progress_finish(&bar);
    post_stream_end(&ps, "fec import", rc);
    sum->accepted = ps.posted;
    sum->replayed = ps.replayed;
    post_flight_free(&flights[0]);
    post_flight_free(&flights[1]);
    gl_entry_set_free(&sets[0]);
    gl_entry_set_free(&sets[1]);
    gl_buf_free(&fd.one);
    return rc;
}

/* --format json: one object on stdout, whatever happened. */
static void print_json(int rc, const import_summary *sum, const uint16_t *fy, const uint32_t *num)
{
    json_t *o = rc == 0 ? json_pack("{s:b, s:I, s:I, s:I, s:I}", "ok", 1, "entries",
                                    (json_int_t)sum->entries, "lines", (json_int_t)sum->lines,
                                    "posted", (json_int_t)(sum->accepted - sum->replayed),
                                    "replayed", (json_int_t)sum->replayed)
                        : json_pack("{s:b, s:i}", "ok", 0, "exit_code", rc);
    if (o && rc == 0 && sum->entries && fy && num) {
        char first[24], last[24];
        snprintf(first, sizeof first, "%u/%u", fy[0], num[0]);
        snprintf(last, sizeof last, "%u/%u", fy[sum->entries - 1], num[sum->entries - 1]);
        json_object_set_new(o, "first", json_string(first));
        json_object_set_new(o, "last", json_string(last));
    }
    if (o)
        json_dumpf(o, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(o);
}

/* The kind of a third party by its collective account's prefix. */
static uint8_t kind_of_collective(const char *account)
{
    static const struct {
        const char *prefix;
        uint8_t kind;
    } kinds[] = {{"401", GL_TP_SUPPLIER}, {"411", GL_TP_CUSTOMER}, {"421", GL_TP_EMPLOYEE},
                 {"441", GL_TP_FUNDER}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strncmp(account, kinds[i].prefix, 3))
            return kinds[i].kind;
    return GL_TP_OTHER;
}

/* Register the file's auxiliary codes (CompAuxNum, named CompAuxLib) on a
 * class 4 account that the registry lacks, in one THIRD_PARTY_SET (capped
 * batches past GL_TP_SET_MAX), before any entry is posted: a tenant whose
 * collective lines must name a known third party can then take the file.
 * A code the registry (or the group) knows is left as it is. */
static int register_third_parties(cli *c, const gl_fec_reader *r)
{
    const gl_entry_set *aux = gl_fec_auxes(r);
    if (aux->account_count == 0)
        return 0;
    tp_list known;
    int rc = tp_list_fetch(c, "", &known);
    gl_third_party *add = rc == 0 ? calloc(aux->account_count, sizeof *add) : NULL;
    if (rc == 0 && !add)
        rc = cli_nomem("the third parties");
    size_t n = 0;
    for (size_t i = 0; rc == 0 && i < aux->account_count; i++) {
        const char *code = aux->accounts[i].account, *name = aux->accounts[i].label;
        const char *account = gl_fec_aux_account(r, i);
        gl_cur cur;
        uint8_t source;
        gl_third_party t;
        bool found = false;
        tp_list_iter(&known, &cur);
        while (!found && tp_list_next(&known, &cur, &source, &t))
            found = t.code.len == strlen(code) && !memcmp(t.code.ptr, code, t.code.len);
        if (found || account[0] != '4')
            continue;
        gl_str label = {name, strlen(name)};
        if (gl_text_blank(label) || label.ptr[0] == ' ' || label.len > GL_LABEL_MAX)
            label = (gl_str){code, strlen(code)};
        add[n] = (gl_third_party){.code = {code, strlen(code)}, .kind = kind_of_collective(account),
                                  .collective = {account, strlen(account)}, .name = label};
        const char *field;
        if (tp_check(&add[n], &field) == GL_OK) /* else left to the daemon's rule, if required */
            n++;
    }
    uint32_t changed = 0;
    if (rc == 0 && n)
        rc = tp_send(c, GL_TP_MODE_SET, add, n, &changed);
    if (rc == 0 && n)
        fprintf(stderr, _("grandlivre: fec import: %u third party(ies) added to the registry\n"),
                changed);
    free(add);
    tp_list_free(&known);
    return rc;
}

static int fec_import(cli *c, const struct fec_opts *o, const char *path)
{
    FILE *f = open_input(path);
    if (!f)
        return EXIT_USAGE;
    gl_fec_reader *r = NULL;
    char err[512];
    int rc = 0;
    if (gl_fec_open(f, c->tenant, o->enc, &r, err, sizeof err) != 0) {
        cli_error("%s: %s", path, err);
        rc = EXIT_USAGE;
    }
    fclose(f);
    if (rc == 0 && gl_fec_count(r) == 0) {
        cli_error("%s: no entries", path);
        rc = EXIT_USAGE;
    }
    chart ch = {0};
    if (rc == 0)
        rc = cli_connect(c);
    if (rc == 0 && (rc = fetch_chart(c, &ch)) == 0) {
        const char *missing;
        size_t line = 0, count;
        missing_accounts(r, &ch, &missing, &line, &count);
        if (missing && !o->open_accounts) {
            cli_error(
                "%s: line %zu: account %s is not open in %s (%zu account(s) missing; use --open-accounts to open them with the file's labels); nothing was posted",
                path, line, missing, c->tenant, count);
            rc = EXIT_USAGE;
        } else if (missing) {
            rc = open_missing(c, r, &ch);
        }
    }
    /* the numbers given, for lettering: 6 bytes an entry */
    uint16_t *fy = rc == 0 ? calloc(gl_fec_count(r), sizeof *fy) : NULL;
    uint32_t *num = rc == 0 ? calloc(gl_fec_count(r), sizeof *num) : NULL;
    if (rc == 0 && (!fy || !num))
        rc = cli_nomem("the entry numbers");
    import_summary sum = {0};
    if (rc == 0)
        rc = register_third_parties(c, r);
    if (rc == 0)
        rc = post_entries(c, r, fy, num, &sum);
    if (rc == 0 && !o->keep_labels)
        rc = relabel_standard(c, gl_fec_accounts(r));
    if (rc == 0)
        rc = letter_groups(c, r, fy, num);
    if (c->format == OUT_JSON)
        print_json(rc, &sum, fy, num);
    free(fy);
    free(num);
    chart_free(&ch);
    gl_fec_close(r);
    return rc;
}

int cmd_fec(int argc, char **argv)
{
    static const struct option extra[] = {{"open-accounts", no_argument, NULL, OPT_OPEN},
                                          {"keep-labels", no_argument, NULL, OPT_KEEP_LABELS},
                                          {"encoding", required_argument, NULL, OPT_ENCODING},
                                          {0}};
    if (argc >= 2 && !strcmp(argv[1], "export"))
        return cmd_fec_export(argc - 1, argv + 1); /* client/cli/cmd_export.c */
    if (argc < 2 || strcmp(argv[1], "import") != 0) {
        fputs(help, argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
        return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : EXIT_USAGE;
    }
    struct fec_opts o = {0};
    cli c;
    argc--;
    argv++;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 1) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c))) {
        if (c.format == OUT_JSON)
            print_json(rc, NULL, NULL, NULL);
        return rc;
    }
    rc = fec_import(&c, &o, argv[0]);
    cli_close(&c);
    return rc;
}
