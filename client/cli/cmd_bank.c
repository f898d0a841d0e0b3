/*
 * client/cli/cmd_bank.c — `grandlivre bank` (issue 18, PROTOCOL.md
 * §5.36-§5.39): register a bank account (`bank account set|list`), import
 * a statement file into it (`bank import`, the file read by the parsers
 * of client/bank/, sent by gl_client_bank_import), and list its lines
 * (`bank lines`).  `bank csv-mapping` and `bank parse` belong to the
 * parsers' side (cmd_bank.h) and are only dispatched from here.
 */
#include "cmd_bank.h"
#include "cmd_bank_match.h"

#include "cli.h"
#include "i18n.h"
#include "third_parties.h"

#include "client/bank/bank_client.h"
#include "client/bank/persons_mask.h"
#include "proto/bank.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/status.h"

#include <ctype.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] = N_(
    "usage: grandlivre bank account set --tenant T --account 512000 --iban IBAN [--bic BIC]\n"
    "                                   [--label TEXT]\n"
    "       grandlivre bank account list --tenant T\n"
    "       grandlivre bank import --tenant T --account 512000 FILE [--format F]\n"
    "                              [--mapping NAME]\n"
    "       grandlivre bank lines --tenant T --account 512000 [--from DATE] [--to DATE] [--json]\n"
    "       grandlivre bank match --tenant T --account 512000 [--at DATE] [--yes] [--no-rules]\n"
    "       grandlivre bank match --tenant T --account 512000 --bank SEQ,... --lines FY/NUM/LINE,...\n"
    "       grandlivre bank unmatch --tenant T --account 512000 --match N\n"
    "       grandlivre bank matches --tenant T --account 512000\n"
    "       grandlivre bank rules [set|delete] --tenant T --account 512000 ...\n"
    "       grandlivre bank csv-mapping ...    grandlivre bank parse FILE ...\n"
    "       grandlivre bank report --tenant T --account 512000 [--at DATE]\n"
    "                              [--format table|csv|json|html] [-o FILE]\n"
    "       grandlivre bank status --tenant T\n"
    "\n"
    "Bank accounts and their statements (rapprochement bancaire). A bank account is\n"
    "registered first on an open class 51 account, with its IBAN (checksum verified);\n"
    "setting it again replaces it (the chain keeps the history). import reads a\n"
    "statement file (CAMT.053, CFONB 120, OFX, or CSV with a saved mapping; --format\n"
    "camt053|cfonb120|ofx|csv forces the format) and stores its lines, never twice: a\n"
    "statement of another account is refused; a line already imported is skipped; an\n"
    "opening balance other than the previous statement's closing is reported. A\n"
    "natural person of the registry named in a line (counterparty, IBAN, label) is\n"
    "sent as @CODE, the person's third-party code, never by name. lines\n"
    "lists the lines with their id (account:seq) and whether they are matched.\n"
    "match proposes matches of the statement lines with the ledger lines and the\n"
    "entries of the rules, and records those confirmed (--yes: the sure ones), or one\n"
    "given by hand; unmatch undoes one; matches lists them; rules holds the rules of\n"
    "recurring lines (bank fees...). Each has its own --help.\n"
    "report prints the état de rapprochement at a date, status each bank account's\n"
    "unmatched lines (grandlivre bank report --help).\n");

enum {
    OPT_ACCOUNT = 4100,
    OPT_IBAN,
    OPT_BIC,
    OPT_LABEL,
    OPT_FROM,
    OPT_TO,
    OPT_JSON,
    OPT_FILE_FORMAT,
    OPT_MAPPING,
    OPT_COUNT_
};

typedef struct bank_opts {
    const char *v[OPT_COUNT_ - OPT_ACCOUNT];
    bool json;
} bank_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    bank_opts *o = user;
    if (opt < OPT_ACCOUNT || opt >= OPT_COUNT_)
        return EXIT_USAGE;
    if (opt == OPT_JSON)
        o->json = true;
    o->v[opt - OPT_ACCOUNT] = arg;
    return 0;
}

static const char *opt(const bank_opts *o, int which) { return o->v[which - OPT_ACCOUNT]; }

/* Upper case, spaces left out ("FR76 3000 ..." as printed on a RIB). */
static void compact_upper(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        if (*in != ' ')
            out[n++] = (char)toupper((unsigned char)*in);
    out[n] = '\0';
}

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* Send body (freed here) as a request of kind for the tenant. */
static int ask(cli *c, uint16_t kind, gl_buf *body, gl_response *resp)
{
    int rc = gl_buf_ok(body) ? cli_call(c, kind, c->tenant, body->data, body->len, resp)
                             : cli_nomem("the request");
    gl_buf_free(body);
    return rc;
}

static int account_set(cli *c, const bank_opts *o)
{
    if (!opt(o, OPT_ACCOUNT) || !opt(o, OPT_IBAN)) {
        cli_error("bank account set: --account and --iban are required");
        return EXIT_USAGE;
    }
    char account[GL_ACCOUNT_MAX + 2], iban[64], bic[32];
    compact_upper(opt(o, OPT_ACCOUNT), account, sizeof account);
    compact_upper(opt(o, OPT_IBAN), iban, sizeof iban);
    compact_upper(opt(o, OPT_BIC) ? opt(o, OPT_BIC) : "", bic, sizeof bic);
    const char *label = opt(o, OPT_LABEL) ? opt(o, OPT_LABEL) : "";
    if (strlen(iban) > GL_BANK_IBAN_MAX || strlen(bic) > GL_BANK_BIC_MAX ||
        strlen(label) > GL_BANK_NAME_MAX) {
        cli_error("bank account set: --iban, --bic or --label too long");
        return EXIT_USAGE;
    }
    gl_bank_account r = {S(account), S(iban), S(bic), S(label)};
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_account_encode(&body, &r);
    gl_response resp = {0};
    int rc = ask(c, GL_KIND_BANK_ACCOUNT_SET, &body, &resp);
    if (rc == 0) {
        bool changed = resp.reply.body_len == 4 && gl_rd32(resp.reply.body) == 1;
        printf(changed ? _("%s: bank account %s registered on %s\n")
                       : _("%s: bank account %s already registered on %s: nothing changed\n"),
               c->tenant, iban, account);
    }
    gl_response_free(&resp);
    return rc;
}

static int account_list(cli *c)
{
    gl_response resp = {0};
    int rc = cli_call(c, GL_KIND_BANK_ACCOUNTS, c->tenant, NULL, 0, &resp);
    if (rc)
        return rc;
    static const out_col cols[] = {{"account", OUT_REF},      {"iban", OUT_REF},
                                   {"bic", OUT_REF},          {"label", OUT_TEXT},
                                   {"lines", OUT_INT},        {"closing", OUT_MONEY},
                                   {"closing_date", OUT_DATE}};
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    gl_cur cur;
    gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
    uint32_t n = gl_get_u32(&cur);
    for (uint32_t i = 0; t && i < n && gl_cur_status(&cur) == GL_OK; i++) {
        gl_bank_account_row r;
        if (gl_bank_account_row_get(&cur, &r) != GL_OK)
            break;
        out_text(t, r.acct.account.ptr, r.acct.account.len);
        out_text(t, r.acct.iban.ptr, r.acct.iban.len);
        out_text(t, r.acct.bic.ptr, r.acct.bic.len);
        out_text(t, r.acct.label.ptr, r.acct.label.len);
        out_int(t, r.lines);
        out_money(t, r.closing_cents);
        out_date(t, r.has_closing ? r.closing_date : 0);
    }
    if (gl_cur_end(&cur) != GL_OK) {
        out_free(t);
        gl_response_free(&resp);
        cli_error("cannot read the daemon's reply");
        return EXIT_REFUSED;
    }
    gl_response_free(&resp);
    return cli_format_render(c, t);
}

/* One page of BANK_LINES into t; *more and the cursor moved. */
static int lines_page(cli *c, gl_bank_lines_q *q, out_table *t, bool *more)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_lines_q_encode(&body, q);
    gl_response resp = {0};
    int rc = ask(c, GL_KIND_BANK_LINES, &body, &resp);
    if (rc)
        return rc;
    gl_cur cur;
    gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
    uint32_t left = gl_get_u32(&cur);
    *more = gl_get_u8(&cur) != 0 && left > 0; /* a page that holds nothing ends the walk */
    gl_bank_row r;
    for (; left > 0 && gl_bank_row_get(&cur, &r) == GL_OK; left--) {
        char id[GL_ACCOUNT_MAX + 16];
        snprintf(id, sizeof id, "%.*s:%u", (int)q->account.len, q->account.ptr, r.seq);
        out_cstr(t, id);
        out_date(t, r.line.booking);
        out_date(t, r.line.value);
        out_money(t, r.line.amount_cents);
        out_text(t, r.line.label.ptr, r.line.label.len);
        out_text(t, r.line.bank_ref.ptr, r.line.bank_ref.len);
        out_text(t, r.line.counterparty.ptr, r.line.counterparty.len);
        out_cstr(t, r.matched ? _("yes") : _("no"));
        q->after_date = r.line.booking;
        q->after_seq = r.seq;
    }
    rc = gl_cur_end(&cur) == GL_OK ? 0 : EXIT_REFUSED;
    if (rc)
        cli_error("cannot read the daemon's reply");
    gl_response_free(&resp);
    return rc;
}

static int lines(cli *c, const bank_opts *o)
{
    if (!opt(o, OPT_ACCOUNT)) {
        cli_error("bank lines: --account is required");
        return EXIT_USAGE;
    }
    char account[GL_ACCOUNT_MAX + 2];
    compact_upper(opt(o, OPT_ACCOUNT), account, sizeof account);
    gl_bank_lines_q q = {S(account), 0, 0, 0, 0};
    int rc = 0;
    if ((opt(o, OPT_FROM) && (rc = cli_date(opt(o, OPT_FROM), "--from", &q.from))) ||
        (opt(o, OPT_TO) && (rc = cli_date(opt(o, OPT_TO), "--to", &q.to))))
        return rc;
    static const out_col cols[] = {{"id", OUT_REF},
                                   {"date", OUT_DATE},
                                   {"value_date", OUT_DATE},
                                   {"amount", OUT_MONEY},
                                   {"label", OUT_TEXT},
                                   {"bank_ref", OUT_REF},
                                   {"counterparty", OUT_TEXT},
                                   {"matched", OUT_TEXT}};
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return cli_nomem("the output");
    bool more = true;
    while (!rc && more)
        rc = lines_page(c, &q, t, &more);
    if (rc) {
        out_free(t);
        return rc;
    }
    if (o->json)
        c->format = OUT_JSON;
    return cli_format_render(c, t);
}

static int report_import(cli *c, const gl_bank_import_result *r, int st, const char *path,
                         size_t statement)
{
    if (st != GL_OK && r->status) {
        cli_error(
            "%s: statement %zu line %u: refused: %d %s: %s (%s); %u lines added before "
            "it",
            path, statement, r->source_line, r->status, gl_status_name(r->status),
            _(gl_status_message(r->status)), r->detail, r->added);
        return EXIT_REFUSED;
    }
    if (st != GL_OK) {
        int t = cli_transport_error(c, st);
        if (t)
            return t;
        cli_error("%s: error %d %s", path, st, gl_status_name(st));
        return EXIT_REFUSED;
    }
    printf(_("%s: statement %zu: %u lines added, %u already there\n"), path, statement, r->added,
           r->already);
    if (r->opening.gap) {
        char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], d[11];
        cli_warn(
            "%s: statement %zu: the opening balance differs by %s from the closing "
            "balance %s of %s",
            path, statement, gl_money_format(r->opening.gap_cents, GL_MONEY_PLAIN, a),
            gl_money_format(r->opening.prev_closing_cents, GL_MONEY_PLAIN, b),
            gl_date_format(r->opening.prev_closing_date, d));
    }
    return 0;
}

/* The natural persons of the tenant's registry out of the statements
 * before anything is signed (client/bank/persons_mask.h, PROTOCOL.md
 * §5.37): 0 or an exit code (the registry could not be read: nothing is
 * sent, never a name in clear). */
static int mask_persons(cli *c, gl_bank_statements *ss, const char *path)
{
    tp_list l;
    int rc = tp_list_fetch(c, "", &l);
    gl_persons p = {0};
    gl_cur cur;
    uint8_t source;
    gl_third_party r;
    tp_list_iter(&l, &cur);
    while (!rc && tp_list_next(&l, &cur, &source, &r))
        if (source == GL_TP_FROM_REGISTRY && gl_persons_add_record(&p, &r))
            rc = cli_nomem("the natural persons");
    size_t masked = 0;
    for (size_t i = 0; !rc && i < ss->n; i++)
        masked += gl_persons_mask_statement(&p, &ss->items[i]);
    if (!rc && masked)
        printf(_("%s: %zu lines name a natural person of the registry: sent under the "
                 "person's code (@CODE)\n"),
               path, masked);
    gl_persons_free(&p);
    tp_list_free(&l);
    return rc;
}

static int import(cli *c, const bank_opts *o, const char *path)
{
    if (!opt(o, OPT_ACCOUNT)) {
        cli_error("bank import: --account is required");
        return EXIT_USAGE;
    }
    char account[GL_ACCOUNT_MAX + 2];
    compact_upper(opt(o, OPT_ACCOUNT), account, sizeof account);
    int named = opt(o, OPT_FILE_FORMAT) ? gl_bank_format_parse(opt(o, OPT_FILE_FORMAT)) : 0;
    if (named < 0) {
        cli_error("--format %s: the formats are camt053, cfonb120, ofx and csv",
                  opt(o, OPT_FILE_FORMAT));
        return EXIT_USAGE;
    }
    gl_bank_format format = (gl_bank_format)named;
    gl_bank_csv_mapping mapping, *m = NULL;
    if (opt(o, OPT_MAPPING)) {
        int rc = bank_mapping_load(c->tenant, opt(o, OPT_MAPPING), &mapping);
        if (rc)
            return rc;
        m = &mapping;
    }
    size_t len;
    char *bytes = cli_read_file(path, &len);
    if (!bytes)
        return EXIT_USAGE;
    uint8_t sha[32];
    crypto_hash_sha256(sha, (const uint8_t *)bytes, len);
    gl_bank_statements ss = {0};
    gl_bank_error err = {0};
    int rc = 0;
    if (gl_bank_parse((const uint8_t *)bytes, len, format, m, &ss, &err)) {
        cli_error("%s: line %u: %s; nothing was imported", path, err.line, _(err.reason));
        rc = EXIT_REFUSED;
    }
    if (!rc && !format)
        format = gl_bank_detect((const uint8_t *)bytes, len);
    free(bytes);
    if (!rc)
        rc = mask_persons(c, &ss, path);
    for (size_t i = 0; !rc && i < ss.n; i++) {
        gl_bank_import_result r;
        int st =
            gl_client_bank_import(c->client, c->tenant, account, &ss.items[i], format, sha, &r);
        rc = report_import(c, &r, st, path, i + 1);
    }
    gl_bank_statements_free(&ss);
    return rc;
}

/* `--format F` names the file's format for import, not the output's
 * (cli_parse's --format): renamed before parsing. */
static void rename_format(int argc, char **argv)
{
    static char file_format[] = "--file-format";
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--format"))
            argv[i] = file_format;
}

/* The matching side (cmd_bank_match.h), called with argv[0] its name. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} matching[] = {{"match", cmd_bank_match},
                {"unmatch", cmd_bank_unmatch},
                {"matches", cmd_bank_matches},
                {"rules", cmd_bank_rules}};

int cmd_bank(int argc, char **argv)
{
    for (size_t i = 0; argc >= 2 && i < sizeof matching / sizeof matching[0]; i++)
        if (!strcmp(argv[1], matching[i].name))
            return matching[i].run(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "csv-mapping"))
        return cmd_bank_csv_mapping(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "parse"))
        return cmd_bank_parse(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "report") || !strcmp(argv[1], "status")))
        return cmd_bank_report(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "import"))
        rename_format(argc, argv);
    static const struct option extra[] = {{"account", required_argument, NULL, OPT_ACCOUNT},
                                          {"iban", required_argument, NULL, OPT_IBAN},
                                          {"bic", required_argument, NULL, OPT_BIC},
                                          {"label", required_argument, NULL, OPT_LABEL},
                                          {"from", required_argument, NULL, OPT_FROM},
                                          {"to", required_argument, NULL, OPT_TO},
                                          {"json", no_argument, NULL, OPT_JSON},
                                          {"file-format", required_argument, NULL, OPT_FILE_FORMAT},
                                          {"mapping", required_argument, NULL, OPT_MAPPING},
                                          {0}};
    bank_opts o = {{0}, false};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *sub = argc >= 1 ? argv[0] : "", *sub2 = argc >= 2 ? argv[1] : "";
    bool set = !strcmp(sub, "account") && !strcmp(sub2, "set") && argc == 2;
    bool list = !strcmp(sub, "account") && !strcmp(sub2, "list") && argc == 2;
    bool imp = !strcmp(sub, "import") && argc == 2, lin = !strcmp(sub, "lines") && argc == 1;
    if (!set && !list && !imp && !lin) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    /* the writes print a sentence, in no other format (975) */
    if ((set && (rc = cli_format_refuse(&c, "bank account set"))) ||
        (imp && (rc = cli_format_refuse(&c, "bank import"))) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    if (set)
        rc = account_set(&c, &o);
    else if (list)
        rc = account_list(&c);
    else if (imp)
        rc = import(&c, &o, argv[1]);
    else
        rc = lines(&c, &o);
    cli_close(&c);
    return rc;
}
