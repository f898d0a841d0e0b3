/*
 * client/cli/cmd_bank_match_util.c — what `bank match`, `bank unmatch`,
 * `bank matches` and `bank rules` share (cmd_bank_match.h): the options,
 * the calls, recording matches in batches, line references, and the two
 * reads every run starts with (BANK_RECON with its lists, BANK_RULES).
 */
#include "cmd_bank_match.h"

#include "i18n.h"
#include "plural.h"

#include "proto/kinds.h"
#include "proto/request.h"
#include "proto/status.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int on_opt(int opt, const char *arg, void *user)
{
    bm_opts *o = user;
    if (opt < BM_ACCOUNT || opt >= BM_COUNT_)
        return EXIT_USAGE;
    o->yes |= opt == BM_YES;
    o->no_rules |= opt == BM_NO_RULES;
    o->json |= opt == BM_JSON;
    BM_OPT(o, opt) = arg;
    return 0;
}

/* The ledger account as the daemon knows it: upper case, no spaces. */
static int account_arg(const char *in, char out[GL_ACCOUNT_MAX + 1])
{
    size_t n = 0;
    if (!in) {
        cli_error("--account is required: the bank account's ledger account (512000)");
        return EXIT_USAGE;
    }
    for (const char *p = in; *p; p++) {
        if (*p == ' ')
            continue;
        if (n == GL_ACCOUNT_MAX) {
            cli_error("--account %s: at most %d characters", in, GL_ACCOUNT_MAX);
            return EXIT_USAGE;
        }
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    return 0;
}

int bm_parse(bm_cmd *m, int *argc, char ***argv, const struct option *extra, const char *help,
             int args_max)
{
    memset(&m->o, 0, sizeof m->o);
    int rc = cli_parse(&m->c, argc, argv, extra, on_opt, &m->o, help);
    if (rc == 0 && *argc > args_max) {
        fputs(help, stderr);
        rc = EXIT_USAGE;
    }
    return rc ? rc : account_arg(BM_OPT(&m->o, BM_ACCOUNT), m->account);
}

int bm_connect(cli *c)
{
    int rc = cli_need_tenant(c);
    return rc ? rc : cli_connect(c);
}

int bm_call(cli *c, uint16_t kind, gl_buf *body, gl_response *resp)
{
    bool was_new = c->new_id;
    c->new_id = was_new || gl_kind_writes(kind);
    int rc = gl_buf_ok(body) ? cli_call(c, kind, c->tenant, body->data, body->len, resp)
                             : cli_nomem("the request");
    c->new_id = was_new;
    gl_buf_free(body);
    return rc;
}

int bm_bad_reply(const char *what)
{
    cli_error("cannot read the daemon's reply (%s)", what);
    return EXIT_REFUSED;
}

/* One BANK_MATCH of sets [0, n), n <= GL_BANK_MATCH_BATCH_MAX. */
static int record_batch(cli *c, const char *account, const bm_set *sets, size_t n)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_match_q_head(&body, (gl_str){account, strlen(account)}, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        gl_bank_match_set_put(&body, sets[i].seq, sets[i].nbank, sets[i].ref, sets[i].nbook);
    gl_response resp = {0};
    int rc = bm_call(c, GL_KIND_BANK_MATCH, &body, &resp);
    gl_bank_match_reply r;
    if (rc == 0 && gl_bank_match_reply_decode(resp.reply.body, resp.reply.body_len, &r) != GL_OK)
        rc = bm_bad_reply("bank match");
    FILE *f = cli_format_table(c) ? stdout : stderr; /* never inside a CSV or JSON */
    if (rc == 0 && r.count == 1)
        fprintf(f, _("%s: 1 match recorded: %u\n"), account, r.first_match);
    else if (rc == 0)
        fprintf(f, _("%s: %u matches recorded: %u to %u\n"), account, r.count, r.first_match,
                r.first_match + r.count - 1);
    gl_response_free(&resp);
    return rc;
}

int bm_record(cli *c, const char *account, const bm_set *sets, size_t n)
{
    int rc = 0;
    for (size_t done = 0; rc == 0 && done < n; done += GL_BANK_MATCH_BATCH_MAX) {
        size_t k = n - done < GL_BANK_MATCH_BATCH_MAX ? n - done : GL_BANK_MATCH_BATCH_MAX;
        rc = record_batch(c, account, sets + done, k);
    }
    return rc;
}

void bm_ref_text(gl_line_ref r, char *out, size_t cap)
{
    snprintf(out, cap, "%u/%u:%u", r.fy, r.num, r.line);
}

int bm_ref_parse(const char *s, gl_line_ref *r)
{
    const char *rest;
    if (cli_entry_ref_parse(s, &r->fy, &r->num, &rest) || (*rest != '/' && *rest != ':') ||
        !isdigit((unsigned char)rest[1]))
        return -1;
    char *end;
    unsigned long line = strtoul(rest + 1, &end, 10);
    if (*end || line == 0 || line > UINT16_MAX)
        return -1;
    r->line = (uint16_t)line;
    return 0;
}

/* n rows of a list announced by the reply: at most max, and no more than
 * the bytes left could hold (min_row bytes each). */
static void *rows_alloc(gl_cur *cur, uint32_t n, size_t max, size_t min_row, size_t size)
{
    if (n > max || (size_t)n > gl_cur_left(cur) / min_row) {
        gl_cur_fail(cur, GL_ERR_MALFORMED);
        return NULL;
    }
    return calloc((size_t)n + 1, size);
}

static int recon_decode(bm_recon *r)
{
    gl_cur cur;
    gl_cur_init_stored(&cur, r->resp.reply.body, r->resp.reply.body_len);
    gl_bank_recon_head_get(&cur, &r->head);
    uint32_t n = gl_get_u32(&cur);
    r->bank = rows_alloc(&cur, n, GL_BANK_RECON_MAX, 4, sizeof *r->bank);
    for (r->nbank = 0; r->bank && r->nbank < n; r->nbank++)
        if (gl_bank_recon_bank_get(&cur, &r->bank[r->nbank].seq, &r->bank[r->nbank].line) != GL_OK)
            break;
    n = gl_get_u32(&cur);
    r->book = rows_alloc(&cur, n, GL_BANK_RECON_MAX, 8, sizeof *r->book);
    for (r->nbook = 0; r->book && r->nbook < n; r->nbook++)
        if (gl_bank_book_row_get(&cur, &r->book[r->nbook]) != GL_OK)
            break;
    r->more = gl_get_u8(&cur) != 0;
    if (!r->bank || !r->book || gl_cur_status(&cur) != GL_OK)
        return gl_cur_status(&cur) == GL_OK ? cli_nomem("the lines") : bm_bad_reply("bank recon");
    return 0;
}

int bm_recon_fetch(cli *c, const char *account, uint32_t at, bm_recon *r)
{
    memset(r, 0, sizeof *r);
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_recon_q q = {{account, strlen(account)}, at, GL_BANK_RECON_LINES};
    gl_bank_recon_q_encode(&body, &q);
    int rc = bm_call(c, GL_KIND_BANK_RECON, &body, &r->resp);
    return rc ? rc : recon_decode(r);
}

void bm_recon_free(bm_recon *r)
{
    free(r->bank);
    free(r->book);
    gl_response_free(&r->resp);
    memset(r, 0, sizeof *r);
}

int bm_rules_fetch(cli *c, const char *account, bm_rules *r)
{
    memset(r, 0, sizeof *r);
    gl_buf body;
    gl_buf_init(&body);
    gl_put_str8(&body, account, strlen(account));
    int rc = bm_call(c, GL_KIND_BANK_RULES, &body, &r->resp);
    if (rc)
        return rc;
    gl_cur cur;
    gl_cur_init_stored(&cur, r->resp.reply.body, r->resp.reply.body_len);
    uint32_t n = gl_get_u32(&cur);
    r->v = rows_alloc(&cur, n, GL_BANK_RULES_MAX, 1, sizeof *r->v);
    for (r->n = 0; r->v && r->n < n; r->n++)
        if (gl_bank_rule_get(&cur, &r->v[r->n]) != GL_OK)
            break;
    if (!r->v || gl_cur_status(&cur) != GL_OK)
        return gl_cur_status(&cur) == GL_OK ? cli_nomem("the rules") : bm_bad_reply("bank rules");
    return 0;
}

void bm_rules_free(bm_rules *r)
{
    free(r->v);
    gl_response_free(&r->resp);
    memset(r, 0, sizeof *r);
}
