/*
 * client/cli/cmd_letter_auto.c — `grandlivre letter --auto`: automatic
 * lettering.  Reads the open (unlettered) lines of the third-party accounts
 * (LEDGER with OPEN_ITEMS), finds the sets to letter (letter_match.c: same
 * piece, exact pairs, sums within a window, per third party), prints them
 * and letters them all in one signed LETTER_BATCH request (PROTOCOL
 * §5.11a), all or nothing; --dry-run prints and sends nothing.
 *
 * Accounts: --account A, or every open account of the chart whose number
 * begins with 40 (suppliers) or 41 (customers, users): the accounts of
 * third parties that are lettered (411…, 401…, 416…, 419…).  Lines without
 * an auxiliary account are left alone (nothing says whose they are).
 */
#include "cli.h"
#include "carry_mode.h"
#include "cli_replies.h"
#include "i18n.h"
#include "letter_match.h"
#include "plural.h"

#include "proto/date.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char auto_help[] =
    "usage: grandlivre letter --auto --tenant T [--account A] [--aux X] [--window DAYS]\n"
    "                         [--dry-run] [--format F]\n"
    "\n"
    "Automatic lettering: per third party (auxiliary account) of the account A,\n"
    "or of every open account 40... and 41... (suppliers, customers), among the\n"
    "lines not yet lettered: first the lines of one piece reference that sum to\n"
    "zero; then one debit and one credit of the same amount (the oldest first);\n"
    "then the smallest set of lines (up to 6, among the next 16 lines) summing\n"
    "to zero within DAYS days (default 60). Lines without an auxiliary account\n"
    "are never lettered. Prints each set (third party, account, rule, lines,\n"
    "amount, code) and letters them all in one signed request: all or nothing.\n"
    "--dry-run prints them and letters nothing.\n"
    "`grandlivre ledger --open` shows what a partly paid line still owes.\n";

enum { OPT_AUTO = 400, OPT_ACCOUNT, OPT_AUX, OPT_WINDOW, OPT_DRY_RUN };

struct auto_opts {
    const char *account, *aux, *window;
    bool dry_run;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct auto_opts *o = user;
    switch (opt) {
    case OPT_AUTO: return 0;
    case OPT_ACCOUNT: o->account = arg; return 0;
    case OPT_AUX: o->aux = arg; return 0;
    case OPT_WINDOW: o->window = arg; return 0;
    case OPT_DRY_RUN: o->dry_run = true; return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option auto_options[] = {
    {"auto", no_argument, NULL, OPT_AUTO},       {"account", required_argument, NULL, OPT_ACCOUNT},
    {"aux", required_argument, NULL, OPT_AUX},   {"window", required_argument, NULL, OPT_WINDOW},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN}, {0}};

/* The open lines gathered from the daemon. */
typedef struct lines {
    lm_line *v;
    size_t n, cap;
} lines;

static int add_line(cli *c, lines *ls, const char *account, const gl_reply_ledger_row *row)
{
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 256;
        lm_line *v = realloc(ls->v, cap * sizeof *v);
        if (!v)
            return cli_nomem("the open lines");
        ls->v = v;
        ls->cap = cap;
    }
    lm_line *l = &ls->v[ls->n++];
    memset(l, 0, sizeof *l);
    snprintf(l->account, sizeof l->account, "%s", account);
    snprintf(l->aux, sizeof l->aux, "%.*s", (int)row->aux.len, row->aux.ptr);
    snprintf(l->piece, sizeof l->piece, "%.*s", (int)row->piece_ref.len, row->piece_ref.ptr);
    l->ref = (gl_line_ref){row->fy, row->num, row->line};
    l->date = row->date;
    /* an à-nouveaux line of a detailed close is its invoice: its piece
     * (the same piece rule) and its date (the oldest first) */
    if (CARRY_AN_JOURNAL(row->journal))
        carry_line_item(c, row->fy, row->num, row->line, l->piece, sizeof l->piece, &l->date);
    l->amount = row->amount;
    return 0;
}

/* One account's open lines (of aux only, when given), every page. */
static int fetch_open(cli *c, const char *account, const char *aux, lines *ls)
{
    gl_ledger_q q = {.account = {account, strlen(account)},
                     .from = 19000101,
                     .to = 29991231,
                     .limit = GL_PAGE_MAX,
                     .flags = GL_LEDGER_OPEN_ITEMS};
    bool more = true;
    int rc = 0;
    while (rc == 0 && more) {
        gl_response resp;
        rc = cli_ledger_call(c, &q, &resp);
        if (rc)
            return rc;
        gl_reply_ledger r;
        if (gl_reply_ledger_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) !=
            GL_OK) {
            gl_response_free(&resp);
            cli_error("cannot read the daemon's reply (ledger)");
            return EXIT_REFUSED;
        }
        cli_ledger_cursor(&r, &q, &more);
        gl_reply_ledger_iter it;
        gl_reply_ledger_row row;
        gl_reply_ledger_iter_init(&it, &r);
        while (rc == 0 && gl_reply_ledger_next(&it, &row) == 1)
            if (!aux || (row.aux.len == strlen(aux) && !memcmp(row.aux.ptr, aux, row.aux.len)))
                rc = add_line(c, ls, account, &row);
        gl_response_free(&resp);
    }
    return rc;
}

/* Every open account of the chart whose number begins with 40 or 41. */
static int fetch_third_party_lines(cli *c, const char *aux, lines *ls)
{
    gl_response resp;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &resp);
    if (rc)
        return rc;
    gl_reply_accounts_list list;
    if (gl_reply_accounts_list_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &list) !=
        GL_OK) {
        gl_response_free(&resp);
        cli_error("cannot read the daemon's reply (accounts)");
        return EXIT_REFUSED;
    }
    gl_reply_accounts_list_iter it;
    gl_reply_accounts_list_row row;
    gl_reply_accounts_list_iter_init(&it, &list);
    while (rc == 0 && gl_reply_accounts_list_next(&it, &row) == 1) {
        char account[GL_ACCOUNT_MAX + 1];
        if (row.account.len < 2 || row.account.len > GL_ACCOUNT_MAX || row.state != 1 ||
            row.account.ptr[0] != '4' || (row.account.ptr[1] != '0' && row.account.ptr[1] != '1'))
            continue;
        snprintf(account, sizeof account, "%.*s", (int)row.account.len, row.account.ptr);
        rc = fetch_open(c, account, aux, ls);
    }
    gl_response_free(&resp);
    return rc;
}

/* The batch of every set (PROTOCOL §5.11a). */
static void batch_body(const lm_line *l, const lm_result *r, gl_buf *body)
{
    gl_put_u16(body, 0);
    gl_line_ref refs[GL_LETTER_LINES_MAX];
    for (size_t s = 0; s < r->set_count; s++) {
        const lm_set *set = &r->sets[s];
        const lm_line *first = &l[r->idx[set->first]];
        uint32_t last_date = 0; /* lettered as of its last line: paid then, not today */
        for (uint16_t i = 0; i < set->count; i++) {
            refs[i] = l[r->idx[set->first + i]].ref;
            if (l[r->idx[set->first + i]].date > last_date)
                last_date = l[r->idx[set->first + i]].date;
        }
        gl_buf one;
        gl_buf_init(&one);
        gl_letter_q_encode_dated(&one, (gl_str){first->account, strlen(first->account)},
                                 (gl_str){first->aux, strlen(first->aux)}, refs, set->count,
                                 last_date);
        gl_letter_batch_put(body, &one);
        gl_buf_free(&one);
    }
    gl_letter_batch_count(body, (uint16_t)r->set_count);
}

/* "2025/3:1 2025/7:2 …" */
static void set_refs_text(const lm_line *l, const lm_set *set, const size_t *idx, char *out,
                          size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (uint16_t i = 0; i < set->count && used + 1 < cap; i++) {
        gl_line_ref r = l[idx[set->first + i]].ref;
        int n = snprintf(out + used, cap - used, "%s%u/%u:%u", i ? " " : "", r.fy, r.num, r.line);
        if (n < 0)
            break;
        used += (size_t)n < cap - used ? (size_t)n : cap - used - 1;
    }
}

/* The sets, with their codes once lettered (reply NULL: a dry run). */
static int print_sets(const cli *c, const lm_line *l, const lm_result *r, const gl_response *reply)
{
    static const out_col cols[] = {{"aux", OUT_TEXT},   {"account", OUT_TEXT}, {"rule", OUT_TEXT},
                                   {"lines", OUT_TEXT}, {"amount", OUT_MONEY}, {"code", OUT_TEXT}};
    out_table *t = out_new(cols, 6);
    gl_cur cur;
    if (reply) {
        gl_cur_init(&cur, reply->reply.body, reply->reply.body_len);
        gl_get_u16(&cur);
    }
    char *refs = malloc(GL_LETTER_LINES_MAX * 24);
    if (!refs) {
        out_free(t);
        return cli_nomem("the sets");
    }
    for (size_t s = 0; t && s < r->set_count; s++) {
        const lm_set *set = &r->sets[s];
        const lm_line *first = &l[r->idx[set->first]];
        gl_str code = {"", 0};
        if (reply) {
            code = gl_get_str8(&cur, GL_LETTER_CODE_MAX);
            gl_get_u32(&cur);
        }
        set_refs_text(l, set, r->idx, refs, GL_LETTER_LINES_MAX * 24);
        out_cstr(t, first->aux);
        out_cstr(t, first->account);
        out_cstr(t, _(lm_rule_name(set->rule)));
        out_cstr(t, refs);
        out_money(t, set->amount);
        if (reply && gl_cur_status(&cur) == GL_OK)
            out_text(t, code.ptr, code.len);
        else
            out_cstr(t, "");
    }
    free(refs);
    return cli_format_render(c, t);
}

static int parse_window(const char *s, uint32_t *days)
{
    char *end;
    unsigned long v = s ? strtoul(s, &end, 10) : LM_WINDOW_DAYS;
    if (s && (!*s || *end || v > 3660 || !isdigit((unsigned char)*s))) {
        cli_error(_("--window %s: a number of days, 0 to 3660"), s);
        return EXIT_USAGE;
    }
    *days = (uint32_t)v;
    return 0;
}

/* Send the batch and print the sets with their codes. */
static int letter_all(cli *c, const lm_line *l, const lm_result *r)
{
    gl_buf body;
    gl_buf_init(&body);
    batch_body(l, r, &body);
    if (!gl_buf_ok(&body) || body.len > GL_MESSAGE_MAX / 2) {
        gl_buf_free(&body);
        cli_error(_("too many sets for one request: letter fewer at a time (--account, --aux)"));
        return EXIT_USAGE;
    }
    gl_response resp;
    int rc = cli_call(c, GL_KIND_LETTER_BATCH, c->tenant, body.data, body.len, &resp);
    gl_buf_free(&body);
    if (rc)
        return rc;
    rc = print_sets(c, l, r, &resp);
    gl_response_free(&resp);
    return rc;
}

int cmd_letter_auto(int argc, char **argv)
{
    struct auto_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, auto_options, on_opt, &o, auto_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint32_t window;
    if (argc) {
        fputs(auto_help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = parse_window(o.window, &window)) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    char account[GL_ACCOUNT_MAX + 1];
    snprintf(account, sizeof account, "%s", o.account ? o.account : "");
    for (char *p = account; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    lines ls = {0};
    rc = o.account ? fetch_open(&c, account, o.aux, &ls) : fetch_third_party_lines(&c, o.aux, &ls);
    lm_result r = {0};
    if (rc == 0 && lm_match(ls.v, ls.n, window, &r))
        rc = cli_nomem("the lettering sets");
    if (rc == 0 && r.set_count > GL_LETTER_BATCH_MAX) {
        cli_error(
            _("%zu sets: more than one request takes (%u); letter fewer at a time (--account, "
              "--aux)"),
            r.set_count, GL_LETTER_BATCH_MAX);
        rc = EXIT_USAGE;
    }
    if (rc == 0 && r.set_count == 0 && cli_format_table(&c))
        printf("%s", _("nothing to letter\n"));
    else if (rc == 0 && (o.dry_run || r.set_count == 0))
        rc = print_sets(&c, ls.v, &r, NULL);
    else if (rc == 0)
        rc = letter_all(&c, ls.v, &r);
    if (rc == 0 && r.set_count && cli_format_table(&c))
        printf(o.dry_run ? PLURAL(r.set_count, "%zu set to letter (dry run: nothing lettered)\n",
                                  "%zu sets to letter (dry run: nothing lettered)\n")
                         : PLURAL(r.set_count, "%zu set lettered\n", "%zu sets lettered\n"),
               r.set_count);
    lm_result_free(&r);
    free(ls.v);
    cli_close(&c);
    return rc;
}
