/*
 * client/cli/cmd_bank_matches.c — the matches once recorded (issue 18;
 * PROTOCOL.md §5.40, §5.41, §5.45): one match given by hand (`bank match
 * --bank --lines`, BANK_MATCH of one set), `bank unmatch --match N`
 * (BANK_UNMATCH: the match stays in the chain, undone; its lines are free
 * again), and `bank matches`, the list (BANK_MATCHES, every page) with
 * each match's statement lines, ledger lines and amount (the statement
 * lines' sum, read from BANK_LINES).
 */
#include "cmd_bank_match.h"

#include "i18n.h"

#include "proto/money.h"
#include "proto/request.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char unmatch_help[] =
    N_("usage: grandlivre bank unmatch --tenant T --account 512000 --match N\n"
       "\n"
       "Undoes match N of the bank account (its number in `bank matches`): its statement\n"
       "lines and ledger lines are free to be matched again. The match stays in the\n"
       "ledger's chain, undone; a match cannot be undone twice.\n"
       "\n"
       "Example:\n"
       "  grandlivre bank unmatch --tenant alpha --account 512000 --match 12\n");

static const char matches_help[] =
    N_("usage: grandlivre bank matches --tenant T --account 512000 [--json]\n"
       "\n"
       "The matches of the bank account, in the order they were recorded: number, state\n"
       "(active or undone), the statement lines (their seq, as `bank lines` shows them),\n"
       "the ledger lines (FY/NUM:LINE, as `ledger` shows them), the date of the last\n"
       "statement line and the amount (+ money in). --format csv or json (or --json)\n"
       "for a program.\n"
       "\n"
       "Example:\n"
       "  grandlivre bank matches --tenant alpha --account 512000 --format csv\n");

/* ---- one match by hand ---- */

/* "7", or "512000:7" as `bank lines` prints it (its account must be ours). */
static int seq_parse(const char *s, size_t len, const char *account, uint32_t *seq)
{
    const char *colon = memchr(s, ':', len);
    if (colon && ((size_t)(colon - s) != strlen(account) || memcmp(s, account, strlen(account))))
        return -1;
    if (colon) {
        len -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || (v = v * 10 + (uint64_t)(s[i] - '0')) > UINT32_MAX)
            return -1;
    }
    *seq = (uint32_t)v;
    return len && v ? 0 : -1;
}

/* The comma-separated items of list into s (statement lines' seqs, or
 * ledger lines), at most GL_BANK_MATCH_SIDE_MAX: their count, or -1 after
 * naming the bad item. */
static int items(const char *opt, const char *list, const char *account, bm_set *s, bool bank)
{
    int n = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        char item[64];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        int bad = n == GL_BANK_MATCH_SIDE_MAX || len >= sizeof item;
        if (!bad)
            bad = bank ? seq_parse(item, len, account, &s->seq[n]) : bm_ref_parse(item, &s->ref[n]);
        if (bad && bank)
            cli_error("%s: \"%s\": a statement line's seq (7 or %s:7), at most %d of them", opt,
                      item, account, GL_BANK_MATCH_SIDE_MAX);
        else if (bad)
            cli_error(
                "%s: \"%s\": a ledger line FY/NUM/LINE (2026/14/1 or 2026/14:1), at most %d "
                "of them",
                opt, item, GL_BANK_MATCH_SIDE_MAX);
        if (bad)
            return -1;
        n++;
        p += len;
        if (!*p)
            return n;
    }
}

int bm_manual(cli *c, const char *account, const char *bank, const char *lines)
{
    bm_set s = {0};
    int nb = items("--bank", bank, account, &s, true);
    int nl = nb < 0 ? -1 : items("--lines", lines, account, &s, false);
    if (nb < 0 || nl < 0)
        return EXIT_USAGE;
    s.nbank = (uint8_t)nb;
    s.nbook = (uint8_t)nl;
    return bm_record(c, account, &s, 1);
}

/* ---- unmatch ---- */

static const struct option unmatch_options[] = {{"account", required_argument, NULL, BM_ACCOUNT},
                                                {"match", required_argument, NULL, BM_MATCH},
                                                {0}};

int cmd_bank_unmatch(int argc, char **argv)
{
    bm_cmd m;
    int rc = bm_parse(&m, &argc, &argv, unmatch_options, _(unmatch_help), 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *arg = BM_OPT(&m.o, BM_MATCH);
    uint32_t id = 0;
    if (!arg || seq_parse(arg, strlen(arg), "", &id)) {
        cli_error("--match %s: a match's number, 1 or more (bank matches lists them)",
                  arg ? arg : "");
        return EXIT_USAGE;
    }
    if ((rc = cli_format_refuse(&m.c, "bank unmatch")) || (rc = bm_connect(&m.c)))
        return rc;
    gl_bank_unmatch_q q = {{m.account, strlen(m.account)}, id};
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_unmatch_q_encode(&body, &q);
    gl_response resp = {0};
    rc = bm_call(&m.c, GL_KIND_BANK_UNMATCH, &body, &resp);
    if (rc == 0)
        printf(_("%s: match %u of %s undone: its lines are free again\n"), m.c.tenant, id,
               m.account);
    gl_response_free(&resp);
    cli_close(&m.c);
    return rc;
}

/* ---- the list ---- */

/* A statement line's date and amount, by seq. */
typedef struct seq_line {
    uint32_t seq, date;
    int64_t cents;
} seq_line;
typedef struct seq_lines {
    seq_line *v;
    size_t n, cap;
} seq_lines;

static int by_seq(const void *a, const void *b)
{
    uint32_t x = ((const seq_line *)a)->seq, y = ((const seq_line *)b)->seq;
    return x < y ? -1 : x > y;
}

/* One page of BANK_LINES into ls; q's cursor moved, *more set. */
static int lines_page(cli *c, gl_bank_lines_q *q, seq_lines *ls, bool *more)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_lines_q_encode(&body, q);
    gl_response resp = {0};
    int rc = bm_call(c, GL_KIND_BANK_LINES, &body, &resp);
    gl_cur cur;
    gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
    uint32_t n = rc ? 0 : gl_get_u32(&cur);
    *more = gl_get_u8(&cur) != 0 && n > 0;
    gl_bank_row row;
    for (; rc == 0 && n > 0 && gl_bank_row_get(&cur, &row) == GL_OK; n--) {
        if (ls->n == ls->cap) {
            size_t cap = ls->cap ? ls->cap * 2 : 256;
            seq_line *v = realloc(ls->v, cap * sizeof *v);
            if (!v) {
                rc = cli_nomem("the statement lines");
                break;
            }
            ls->v = v;
            ls->cap = cap;
        }
        ls->v[ls->n++] = (seq_line){row.seq, row.line.booking, row.line.amount_cents};
        q->after_date = row.line.booking;
        q->after_seq = row.seq;
    }
    if (rc == 0 && gl_cur_status(&cur) != GL_OK)
        rc = bm_bad_reply("bank lines");
    gl_response_free(&resp);
    return rc;
}

static int fetch_lines(cli *c, const char *account, seq_lines *ls)
{
    gl_bank_lines_q q = {{account, strlen(account)}, 0, 0, 0, 0};
    bool more = true;
    int rc = 0;
    while (rc == 0 && more)
        rc = lines_page(c, &q, ls, &more);
    if (rc == 0 && ls->n)
        qsort(ls->v, ls->n, sizeof *ls->v, by_seq);
    return rc;
}

/* The row of one match: its lines as text, its date and amount. */
static int match_row(out_table *t, const gl_bank_match_row *m, const seq_lines *ls)
{
    char bank[GL_BANK_MATCH_SIDE_MAX * 12], book[GL_BANK_MATCH_SIDE_MAX * 24];
    size_t ub = 0, uk = 0;
    uint32_t date = 0;
    int64_t cents = 0;
    bank[0] = book[0] = '\0';
    for (uint8_t i = 0; i < m->set.nbank; i++) {
        seq_line key = {gl_bank_match_seq(&m->set, i), 0, 0};
        const seq_line *l = bsearch(&key, ls->v, ls->n, sizeof *ls->v, by_seq);
        if (!l || !gl_money_add(&cents, l->cents))
            return -1;
        date = l->date > date ? l->date : date;
        ub += (size_t)snprintf(bank + ub, sizeof bank - ub, "%s%u", i ? " " : "", key.seq);
    }
    for (uint8_t i = 0; i < m->set.nbook; i++) {
        char ref[32];
        bm_ref_text(gl_bank_match_ref(&m->set, i), ref, sizeof ref);
        uk += (size_t)snprintf(book + uk, sizeof book - uk, "%s%s", i ? " " : "", ref);
    }
    out_int(t, m->match);
    out_cstr(t, m->state == GL_BANK_MATCH_ACTIVE ? _("active") : _("undone"));
    out_cstr(t, bank);
    out_cstr(t, book);
    out_date(t, date);
    out_money(t, cents);
    return 0;
}

/* One page of BANK_MATCHES into t; *after moved, *more set. */
static int matches_page(cli *c, const char *account, uint32_t *after, out_table *t,
                        const seq_lines *ls, bool *more)
{
    gl_bank_matches_q q = {{account, strlen(account)}, *after, GL_BANK_PAGE_MAX};
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_matches_q_encode(&body, &q);
    gl_response resp = {0};
    int rc = bm_call(c, GL_KIND_BANK_MATCHES, &body, &resp);
    gl_cur cur;
    gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
    uint32_t n = rc ? 0 : gl_get_u32(&cur);
    *more = gl_get_u8(&cur) != 0 && n > 0;
    gl_bank_match_row m;
    for (; rc == 0 && n > 0; n--) {
        if (gl_bank_match_row_get(&cur, &m) != GL_OK || match_row(t, &m, ls)) {
            rc = bm_bad_reply("bank matches");
            break;
        }
        *after = m.match;
    }
    if (rc == 0 && gl_cur_status(&cur) != GL_OK)
        rc = bm_bad_reply("bank matches");
    gl_response_free(&resp);
    return rc;
}

static int list_matches(cli *c, const char *account)
{
    static const out_col cols[] = {{"match", OUT_INT},      {"state", OUT_TEXT},
                                   {"bank_lines", OUT_REF}, {"ledger_lines", OUT_REF},
                                   {"date", OUT_DATE},      {"amount", OUT_MONEY}};
    seq_lines ls = {0};
    int rc = fetch_lines(c, account, &ls);
    out_table *t = rc ? NULL : out_new(cols, sizeof cols / sizeof cols[0]);
    if (rc == 0 && !t)
        rc = cli_nomem("the matches");
    uint32_t after = 0;
    for (bool more = true; rc == 0 && more;)
        rc = matches_page(c, account, &after, t, &ls, &more);
    free(ls.v);
    if (rc) {
        out_free(t);
        return rc;
    }
    return cli_format_render(c, t);
}

static const struct option matches_options[] = {
    {"account", required_argument, NULL, BM_ACCOUNT}, {"json", no_argument, NULL, BM_JSON}, {0}};

int cmd_bank_matches(int argc, char **argv)
{
    bm_cmd m;
    int rc = bm_parse(&m, &argc, &argv, matches_options, _(matches_help), 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (m.o.json)
        m.c.format = OUT_JSON;
    if ((rc = bm_connect(&m.c)))
        return rc;
    rc = list_matches(&m.c, m.account);
    cli_close(&m.c);
    return rc;
}
