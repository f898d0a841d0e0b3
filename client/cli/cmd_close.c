/*
 * client/cli/cmd_close.c — closing the books: `lock`, `close-year`,
 * `periods`, `entry`, `reverse`, `letter`, `unletter`, `appropriate`.
 *
 * A reversal is an ordinary signed entry built here from the entry it
 * reverses (same lines, debit and credit swapped) and naming it; the daemon
 * checks it is the exact opposite and the first reversal.  The appropriation
 * of the result is an ordinary entry in the new year moving 120/129 to the
 * accounts the general assembly chose.
 */
#include "cli.h"

#include "client/input/entry_set.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2025/123" -> fy, num. */
static int parse_entry_ref(const char *s, uint16_t *fy, uint32_t *num)
{
    char *end;
    unsigned long y = strtoul(s, &end, 10);
    if (*end != '/' || y < 1900 || y > 2999)
        return -1;
    unsigned long n = strtoul(end + 1, &end, 10);
    if ((*end && *end != ':') || n == 0 || n > UINT32_MAX)
        return -1;
    *fy = (uint16_t)y;
    *num = (uint32_t)n;
    return 0;
}

/* "2025/17:1" -> fy, num, line. */
static int parse_line_ref(const char *s, gl_line_ref *r)
{
    const char *colon = strchr(s, ':');
    char *end;
    if (!colon || parse_entry_ref(s, &r->fy, &r->num))
        return -1;
    unsigned long l = strtoul(colon + 1, &end, 10);
    if (*end || l == 0 || l > UINT16_MAX)
        return -1;
    r->line = (uint16_t)l;
    return 0;
}

static void upper(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

/* ---- lock ---- */

static const char lock_help[] =
    "usage: grandlivre lock --tenant T (--through YYYY-MM | --period YYYY-MM)\n"
    "\n"
    "Lock the tenant's periods (months): no entry dated in a locked period is\n"
    "accepted any more, and a locked period never reopens. --through locks every\n"
    "open month up to and including YYYY-MM, in order; --period locks exactly one\n"
    "month, which must be the one right after the last locked month. The accountant\n"
    "only. Each lock is a signed event in the tenant's chain.\n"
    "\n"
    "The last month of a fiscal year is not locked while that year's class 8\n"
    "(86 = 87) or class 9 accounts do not sum to zero (class_year_unbalanced):\n"
    "post the entry that brings them back to zero first.\n";

enum { OPT_THROUGH = 3000, OPT_PERIOD, OPT_YEAR, OPT_DATE, OPT_ACCOUNT, OPT_AUX, OPT_TO };

struct close_opts {
    const char *through, *period, *date, *account, *aux;
    int year;
    const char *to[16];
    int to_count;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct close_opts *o = user;
    char *end;
    switch (opt) {
    case OPT_THROUGH: o->through = arg; return 0;
    case OPT_PERIOD: o->period = arg; return 0;
    case OPT_DATE: o->date = arg; return 0;
    case OPT_ACCOUNT: o->account = arg; return 0;
    case OPT_AUX: o->aux = arg; return 0;
    case OPT_YEAR:
        o->year = (int)strtol(arg, &end, 10);
        if (*end || o->year < 1900 || o->year > 2998) {
            cli_error("--year takes a fiscal year such as 2025 (the calendar year it ends in)");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_TO:
        if (o->to_count == 16) {
            cli_error("at most 16 --to");
            return EXIT_USAGE;
        }
        o->to[o->to_count++] = arg;
        return 0;
    default:
        return EXIT_USAGE;
    }
}

static const struct option close_options[] = {
    {"through", required_argument, NULL, OPT_THROUGH}, {"period", required_argument, NULL, OPT_PERIOD},
    {"year", required_argument, NULL, OPT_YEAR},       {"date", required_argument, NULL, OPT_DATE},
    {"account", required_argument, NULL, OPT_ACCOUNT}, {"aux", required_argument, NULL, OPT_AUX},
    {"to", required_argument, NULL, OPT_TO},           {0},
};

static int parse_month(const char *s, uint32_t *ym)
{
    uint32_t d;
    char buf[16];
    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    snprintf(buf, sizeof buf, "%s-01", s);
    if (!gl_date_parse(buf, 10, &d))
        return -1;
    *ym = d / 100;
    return 0;
}

/* Parse common options and connect; returns 0 or an exit code (-1: help shown). */
static int start(cli *c, int *argc, char ***argv, struct close_opts *o, const char *help, int nargs)
{
    memset(o, 0, sizeof *o);
    int rc = cli_parse(c, argc, argv, close_options, on_opt, o, help);
    if (rc)
        return rc;
    if (*argc != nargs) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(c)) || (rc = cli_connect(c)))
        return rc;
    return 0;
}

static int finish(cli *c, int rc)
{
    cli_close(c);
    return rc < 0 ? 0 : rc;
}

int cmd_lock(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, lock_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_lock_q q = {0};
    if ((!o.through) == (!o.period) || parse_month(o.through ? o.through : o.period, &q.through_ym)) {
        fputs(lock_help, stderr);
        return finish(&c, EXIT_USAGE);
    }
    q.mode = o.period ? GL_LOCK_NEXT_ONLY : GL_LOCK_THROUGH;
    gl_buf body;
    gl_buf_init(&body);
    gl_lock_q_encode(&body, &q);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_LOCK, c.tenant, body.data, body.len, &resp);
    if (rc == 0) {
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        uint32_t before = gl_get_u32(&cur), now = gl_get_u32(&cur);
        if (before)
            printf("%s: locked through %04u-%02u (was %04u-%02u)\n", c.tenant, now / 100, now % 100, before / 100, before % 100);
        else
            printf("%s: locked through %04u-%02u\n", c.tenant, now / 100, now % 100);
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return finish(&c, rc);
}

/* ---- close-year ---- */

static const char close_help[] =
    "usage: grandlivre close-year --tenant T --year YYYY\n"
    "\n"
    "Close fiscal year YYYY (named by the calendar year it ends in), all or\n"
    "nothing. Refused unless every period of the year is locked and the previous\n"
    "year is closed (a tenant's first year in the ledger is exempt). Writes:\n"
    "  1. the détermination du résultat: one entry (journal CL, last day of the\n"
    "     year, numbered last) zeroing every class 6 and 7 account into 120000\n"
    "     (surplus) or 129000 (deficit); the FEC export leaves it out;\n"
    "  2. the à-nouveaux: one entry (journal AN, first day of the next year)\n"
    "     carrying every class 1-5 balance per account and auxiliary account;\n"
    "     class 8 is not carried forward;\n"
    "  3. the year closed, for ever. The accountant only.\n";

int cmd_close_year(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, close_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.year) {
        fputs(close_help, stderr);
        return finish(&c, EXIT_USAGE);
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_close_q q = {(uint16_t)o.year};
    gl_close_q_encode(&body, &q);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_CLOSE_YEAR, c.tenant, body.data, body.len, &resp);
    if (rc == 0) {
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        uint16_t rfy = gl_get_u16(&cur);
        uint32_t rnum = gl_get_u32(&cur);
        uint16_t ofy = gl_get_u16(&cur);
        uint32_t onum = gl_get_u32(&cur);
        int64_t result = gl_get_i64(&cur);
        char m[GL_MONEY_TEXT_MAX];
        printf("%s: fiscal year %d closed; result %s (%s)\n", c.tenant, o.year,
               gl_money_format(result, GL_MONEY_PLAIN, m), result >= 0 ? "surplus, 120000" : "deficit, 129000");
        if (rnum)
            printf("  result entry   %u/%u\n", rfy, rnum);
        if (onum)
            printf("  opening entry  %u/%u\n", ofy, onum);
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return finish(&c, rc);
}

/* ---- periods ---- */

static const char periods_help[] =
    "usage: grandlivre periods --tenant T [--format F]\n"
    "\n"
    "The tenant's lock (periods locked through which month) and, per fiscal year\n"
    "holding entries: its dates, its number of entries, closed or open, its\n"
    "result and its closing and opening entries.\n";

int cmd_periods(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, periods_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_response resp;
    rc = cli_call(&c, GL_KIND_PERIODS, c.tenant, NULL, 0, &resp);
    if (rc == 0) {
        static const out_col cols[] = {{"year", OUT_INT}, {"from", OUT_TEXT}, {"to", OUT_TEXT},
                                       {"entries", OUT_INT}, {"state", OUT_TEXT}, {"result", OUT_MONEY},
                                       {"result_entry", OUT_TEXT}, {"opening_entry", OUT_TEXT}};
        out_table *t = out_new(cols, 8);
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        gl_str name = gl_get_str8(&cur, 255), siren = gl_get_str8(&cur, 255);
        uint8_t first_month = gl_get_u8(&cur);
        gl_str code = gl_get_str8(&cur, 255);
        uint32_t locked = gl_get_u32(&cur);
        uint16_t n = gl_get_u16(&cur);
        for (uint16_t i = 0; i < n && gl_cur_status(&cur) == GL_OK; i++) {
            uint16_t fy = gl_get_u16(&cur);
            uint32_t from = gl_get_u32(&cur), to = gl_get_u32(&cur), count = gl_get_u32(&cur);
            uint8_t closed = gl_get_u8(&cur);
            uint32_t rnum = gl_get_u32(&cur);
            uint16_t ofy = gl_get_u16(&cur);
            uint32_t onum = gl_get_u32(&cur);
            int64_t result = gl_get_i64(&cur);
            char d1[11], d2[11], r1[32] = "", r2[32] = "";
            if (rnum)
                snprintf(r1, sizeof r1, "%u/%u", fy, rnum);
            if (onum)
                snprintf(r2, sizeof r2, "%u/%u", ofy, onum);
            out_int(t, fy);
            out_cstr(t, gl_date_format(from, d1));
            out_cstr(t, gl_date_format(to, d2));
            out_int(t, count);
            out_cstr(t, closed ? "closed" : "open");
            out_money(t, closed ? result : 0);
            out_cstr(t, r1);
            out_cstr(t, r2);
        }
        if (c.format == OUT_TABLE || c.format == OUT_TABLE_FR) {
            printf("%s: %.*s, SIREN %.*s, fiscal years from month %u, group code %.*s\n", c.tenant, (int)name.len,
                   name.ptr, (int)siren.len, siren.ptr, first_month, (int)code.len, code.ptr);
            if (locked)
                printf("%s: periods locked through %04u-%02u\n", c.tenant, locked / 100, locked % 100);
            else
                printf("%s: no period locked\n", c.tenant);
        }
        if (gl_cur_status(&cur) != GL_OK || !t || out_render(t, c.format, stdout))
            rc = EXIT_REFUSED;
        out_free(t);
    }
    gl_response_free(&resp);
    return finish(&c, rc);
}

/* ---- entry and reverse ---- */

typedef struct fetched {
    gl_response resp;
    gl_entry entry;
    uint16_t reversed_fy;
    uint32_t reversed_num;
    const uint8_t *codes; /* line_count str8 */
    size_t codes_len;
} fetched;

static int fetch_entry(cli *c, uint16_t fy, uint32_t num, fetched *f)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_entry_ref r = {fy, num};
    gl_entry_ref_encode(&body, &r);
    int rc = cli_call(c, GL_KIND_ENTRY_GET, c->tenant, body.data, body.len, &f->resp);
    gl_buf_free(&body);
    if (rc)
        return rc;
    gl_cur cur;
    gl_cur_init(&cur, f->resp.reply.body, f->resp.reply.body_len);
    gl_get_u16(&cur);
    gl_get_u32(&cur);
    gl_get_i64(&cur);
    gl_get_bytes(&cur, 32);
    f->reversed_fy = gl_get_u16(&cur);
    f->reversed_num = gl_get_u32(&cur);
    uint32_t len = gl_get_u32(&cur);
    const uint8_t *raw = gl_get_bytes(&cur, len);
    if (!raw)
        return EXIT_REFUSED;
    gl_cur ec;
    gl_cur_init(&ec, raw, len);
    gl_entry_decode(&ec, &f->entry);
    f->codes = cur.pos;
    f->codes_len = gl_cur_left(&cur);
    return gl_cur_end(&ec) == GL_OK ? 0 : EXIT_REFUSED;
}

static const char entry_help[] =
    "usage: grandlivre entry --tenant T YYYY/N [--format F]\n"
    "\n"
    "Show entry N of fiscal year YYYY: its lines, the letter code of each, and\n"
    "the entry that reversed it, if any.\n";

int cmd_entry(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, entry_help, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint16_t fy;
    uint32_t num;
    if (parse_entry_ref(argv[0], &fy, &num)) {
        cli_error("'%s' is not an entry number such as 2025/123", argv[0]);
        return finish(&c, EXIT_USAGE);
    }
    fetched f;
    rc = fetch_entry(&c, fy, num, &f);
    if (rc == 0) {
        static const out_col cols[] = {{"line", OUT_INT}, {"account", OUT_TEXT}, {"aux", OUT_TEXT},
                                       {"label", OUT_TEXT}, {"debit", OUT_MONEY}, {"credit", OUT_MONEY},
                                       {"letter", OUT_TEXT}};
        out_table *t = out_new(cols, 7);
        gl_cur codes;
        gl_cur_init(&codes, f.codes, f.codes_len);
        gl_get_u16(&codes);
        gl_line_iter it;
        gl_line l;
        int n = 0;
        gl_line_iter_init(&it, &f.entry);
        while (gl_line_next(&it, &l)) {
            gl_str code = gl_get_str8(&codes, 255);
            out_int(t, ++n);
            out_text(t, l.account.ptr, l.account.len);
            out_text(t, l.aux.ptr, l.aux.len);
            out_text(t, l.label.len ? l.label.ptr : f.entry.label.ptr, l.label.len ? l.label.len : f.entry.label.len);
            out_money(t, l.side == GL_SIDE_DEBIT ? l.amount_cents : 0);
            out_money(t, l.side == GL_SIDE_CREDIT ? l.amount_cents : 0);
            out_text(t, code.ptr, code.len);
        }
        if (c.format == OUT_TABLE || c.format == OUT_TABLE_FR) {
            char d[11], pd[11];
            printf("%s %u/%u  %s  journal %.*s  piece %.*s (%s)  %.*s%s%s\n", c.tenant, fy, num,
                   gl_date_format(f.entry.date, d), (int)f.entry.journal.len, f.entry.journal.ptr,
                   (int)f.entry.piece_ref.len, f.entry.piece_ref.ptr, gl_date_format(f.entry.piece_date, pd),
                   (int)f.entry.label.len, f.entry.label.ptr,
                   f.entry.flags & GL_ENTRY_RESULT_CLOSING ? "  [result closing]" : "",
                   f.entry.flags & GL_ENTRY_OPENING ? "  [opening]" : "");
            if (f.entry.reverses_fy)
                printf("reverses %u/%u\n", f.entry.reverses_fy, f.entry.reverses_num);
            if (f.reversed_fy)
                printf("reversed by %u/%u\n", f.reversed_fy, f.reversed_num);
        }
        if (!t || out_render(t, c.format, stdout))
            rc = EXIT_USAGE;
        out_free(t);
    }
    gl_response_free(&f.resp);
    return finish(&c, rc);
}

static const char reverse_help[] =
    "usage: grandlivre reverse --tenant T YYYY/N [--date YYYY-MM-DD]\n"
    "\n"
    "Post the reversal (contre-passation) of entry N of fiscal year YYYY: the\n"
    "same lines with debit and credit swapped, naming the entry it reverses,\n"
    "dated --date (default today), signed by your key. An entry can be reversed\n"
    "once; a reversal dated in a locked period is refused. There is no edit and\n"
    "no delete: a correction is a reversal and a new entry.\n";

int cmd_reverse(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, reverse_help, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint16_t fy;
    uint32_t num, date = cli_today();
    if (parse_entry_ref(argv[0], &fy, &num)) {
        cli_error("'%s' is not an entry number such as 2025/123", argv[0]);
        return finish(&c, EXIT_USAGE);
    }
    if (o.date && (rc = cli_date(o.date, "--date", &date)))
        return finish(&c, rc);
    fetched f;
    rc = fetch_entry(&c, fy, num, &f);
    gl_entry_set set;
    gl_entry_set_init(&set);
    if (rc == 0) {
        gl_line_in *lines = calloc(f.entry.line_count, sizeof *lines);
        char *strings = calloc(f.entry.line_count, 4 * 256);
        char tenant[32], journal[16], piece[80], label[256];
        snprintf(tenant, sizeof tenant, "%.*s", (int)f.entry.tenant.len, f.entry.tenant.ptr);
        snprintf(journal, sizeof journal, "%.*s", (int)f.entry.journal.len, f.entry.journal.ptr);
        snprintf(piece, sizeof piece, "%.*s", (int)f.entry.piece_ref.len, f.entry.piece_ref.ptr);
        snprintf(label, sizeof label, "Contre-passation %u/%u", fy, num);
        gl_line_iter it;
        gl_line l;
        size_t n = 0;
        gl_line_iter_init(&it, &f.entry);
        while (lines && strings && gl_line_next(&it, &l)) {
            char *s = strings + n * 4 * 256;
            snprintf(s, 256, "%.*s", (int)l.account.len, l.account.ptr);
            snprintf(s + 256, 256, "%.*s", (int)l.aux.len, l.aux.ptr);
            snprintf(s + 512, 256, "%.*s", (int)l.aux_label.len, l.aux_label.ptr);
            snprintf(s + 768, 256, "%.*s", (int)l.label.len, l.label.ptr);
            lines[n++] = (gl_line_in){s, s + 256, s + 512, s + 768,
                                      l.side == GL_SIDE_DEBIT ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, l.amount_cents};
        }
        gl_entry_in e = {.tenant = tenant, .journal = journal, .piece_ref = piece, .label = label,
                         .date = date, .piece_date = date, .reverses_fy = fy, .reverses_num = num,
                         .line_count = n, .lines = lines};
        rc = lines && strings && gl_entry_set_add(&set, &e, 0) == 0 ? 0 : EXIT_USAGE;
        free(lines);
        free(strings);
    }
    gl_response_free(&f.resp);
    if (rc == 0)
        rc = post_entry_set(&c, &set, "post");
    gl_entry_set_free(&set);
    return finish(&c, rc);
}

/* ---- letter, unletter ---- */

static const char letter_help[] =
    "usage: grandlivre letter --tenant T --account A [--aux X] YYYY/N:L YYYY/N:L ...\n"
    "       grandlivre unletter --tenant T --account A CODE\n"
    "\n"
    "letter: match (lettrage) lines of one account and auxiliary account that sum\n"
    "to zero, e.g. an invoice and its payment: line L of entry YYYY/N, for each.\n"
    "They get the account's next letter code (A, B, ..., Z, AA, ...) and today's\n"
    "date. Lettering never changes an entry: it is its own signed event, allowed\n"
    "on lines of locked periods. unletter removes a lettering by its code.\n"
    "`grandlivre ledger --open` lists the lines not yet lettered.\n";

int cmd_letter(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    memset(&o, 0, sizeof o);
    int rc = cli_parse(&c, &argc, &argv, close_options, on_opt, &o, letter_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc < 2 || argc > GL_LETTER_LINES_MAX || !o.account) {
        fputs(letter_help, stderr);
        return EXIT_USAGE;
    }
    gl_line_ref *refs = calloc((size_t)argc, sizeof *refs);
    for (int i = 0; refs && i < argc; i++)
        if (parse_line_ref(argv[i], &refs[i])) {
            cli_error("'%s' is not a line such as 2025/17:1 (entry 17 of 2025, line 1)", argv[i]);
            free(refs);
            return EXIT_USAGE;
        }
    if (!refs || (rc = cli_need_tenant(&c)) || (rc = cli_connect(&c))) {
        free(refs);
        return rc ? rc : EXIT_USAGE;
    }
    char account[GL_ACCOUNT_MAX + 2], aux[GL_AUX_MAX + 2];
    snprintf(account, sizeof account, "%s", o.account);
    snprintf(aux, sizeof aux, "%s", o.aux ? o.aux : "");
    upper(account);
    gl_buf body;
    gl_buf_init(&body);
    gl_letter_q_encode(&body, (gl_str){account, strlen(account)}, (gl_str){aux, strlen(aux)}, refs, (uint16_t)argc);
    free(refs);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_LETTER, c.tenant, body.data, body.len, &resp);
    if (rc == 0) {
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        gl_str code = gl_get_str8(&cur, 255);
        uint32_t date = gl_get_u32(&cur);
        char d[11];
        printf("%.*s %s\n", (int)code.len, code.ptr, gl_date_format(date, d));
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return finish(&c, rc);
}

int cmd_unletter(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, letter_help, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.account) {
        fputs(letter_help, stderr);
        return finish(&c, EXIT_USAGE);
    }
    char account[GL_ACCOUNT_MAX + 2], code[8];
    snprintf(account, sizeof account, "%s", o.account);
    snprintf(code, sizeof code, "%s", argv[0]);
    upper(account);
    upper(code);
    gl_unletter_q q = {{account, strlen(account)}, {code, strlen(code)}};
    gl_buf body;
    gl_buf_init(&body);
    gl_unletter_q_encode(&body, &q);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_UNLETTER, c.tenant, body.data, body.len, &resp);
    if (rc == 0) {
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        printf("%s: %u line(s) unlettered\n", code, gl_get_u16(&cur));
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return finish(&c, rc);
}

/* ---- appropriate ---- */

static const char appropriate_help[] =
    "usage: grandlivre appropriate --tenant T --year YYYY --to ACCOUNT[:AMOUNT] ...\n"
    "                              [--date YYYY-MM-DD]\n"
    "\n"
    "Post the general assembly's appropriation (affectation) of fiscal year\n"
    "YYYY's result, as an ordinary entry of the next year (dated --date, default\n"
    "the first day of that year): the surplus on 120000 (or deficit on 129000),\n"
    "read from the next year's opening balance, goes to the --to\n"
    "accounts, e.g. --to 106800:5000.00 --to 110000 (the last --to without an\n"
    "amount takes the remainder; report à nouveau 110000/119000, reserves 106x).\n";

/* Balance (debit - credit) of account at date, via the daemon. */
static int balance_of(cli *c, const char *account, uint32_t at, int64_t *out)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q q = {.at = at};
    gl_balance_q_encode(&body, &q);
    gl_response resp;
    int rc = cli_call(c, GL_KIND_BALANCE, c->tenant, body.data, body.len, &resp);
    *out = 0;
    if (rc == 0) {
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        gl_get_u16(&cur);
        gl_get_u32(&cur);
        gl_get_u32(&cur);
        uint32_t n = gl_get_u32(&cur);
        for (uint32_t i = 0; i < n && gl_cur_status(&cur) == GL_OK; i++) {
            gl_str a = gl_get_str8(&cur, 255);
            gl_get_str8(&cur, 255);
            gl_get_str8(&cur, 255);
            int64_t d = gl_get_i64(&cur), cr = gl_get_i64(&cur);
            if (gl_str_eq(a, account)) {
                *out = d;
                if (!gl_money_sub(out, cr))
                    rc = EXIT_REFUSED;
            }
        }
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return rc;
}

int cmd_appropriate(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = start(&c, &argc, &argv, &o, appropriate_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.year || o.to_count == 0) {
        fputs(appropriate_help, stderr);
        return finish(&c, EXIT_USAGE);
    }
    uint32_t date = (uint32_t)(o.year + 1) * 10000 + 101, opening_at = date;
    if (o.date && (rc = cli_date(o.date, "--date", &date)))
        return finish(&c, rc);
    if (date > opening_at)
        opening_at = date;
    int64_t b120, b129;
    if ((rc = balance_of(&c, "120000", opening_at, &b120)) || (rc = balance_of(&c, "129000", opening_at, &b129)))
        return finish(&c, rc);
    bool surplus = b120 < 0;
    int64_t result = surplus ? -b120 : b129;
    if (result <= 0) {
        cli_error("no result to appropriate: 120000 and 129000 are at zero on %u-01-01 (is year %d closed?)", o.year + 1, o.year);
        return finish(&c, EXIT_USAGE);
    }
    gl_line_in lines[17];
    char accounts[16][GL_ACCOUNT_MAX + 2];
    int64_t left = result;
    size_t n = 0;
    for (int i = 0; i < o.to_count && rc == 0; i++) {
        const char *colon = strchr(o.to[i], ':');
        size_t alen = colon ? (size_t)(colon - o.to[i]) : strlen(o.to[i]);
        int64_t amount = left;
        if (alen > GL_ACCOUNT_MAX || (colon && !gl_money_parse(colon + 1, strlen(colon + 1), &amount)) ||
            amount <= 0 || amount > left || (!colon && i + 1 != o.to_count)) {
            cli_error("--to %s: expected ACCOUNT:AMOUNT (positive, within the %s left), only the last --to may omit AMOUNT",
                      o.to[i], "amount");
            rc = EXIT_USAGE;
            break;
        }
        snprintf(accounts[i], sizeof accounts[i], "%.*s", (int)alen, o.to[i]);
        upper(accounts[i]);
        left -= amount;
        lines[n++] = (gl_line_in){accounts[i], "", "", "", surplus ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, amount};
    }
    if (rc == 0 && left != 0) {
        char m[GL_MONEY_TEXT_MAX];
        cli_error("%s of the result is not appropriated; end with a --to without amount", gl_money_format(left, GL_MONEY_PLAIN, m));
        rc = EXIT_USAGE;
    }
    if (rc == 0) {
        lines[n++] = (gl_line_in){surplus ? "120000" : "129000", "", "", "", surplus ? GL_SIDE_DEBIT : GL_SIDE_CREDIT, result};
        char label[64], piece[32], tenant[32];
        snprintf(label, sizeof label, "Affectation du résultat %d", o.year);
        snprintf(piece, sizeof piece, "AG-%d", o.year);
        snprintf(tenant, sizeof tenant, "%s", c.tenant);
        gl_entry_in e = {.tenant = tenant, .journal = "OD", .piece_ref = piece, .label = label, .date = date,
                         .piece_date = date, .line_count = n, .lines = lines};
        gl_entry_set set;
        gl_entry_set_init(&set);
        rc = gl_entry_set_add(&set, &e, 0) == 0 ? post_entry_set(&c, &set, "post") : EXIT_USAGE;
        gl_entry_set_free(&set);
    }
    return finish(&c, rc);
}
