/*
 * client/cli/cmd_accounts.c — `grandlivre accounts list|open|import|load-chart`.
 */
#include "cli.h"

#include "client/input/chart.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre accounts list --tenant T [--format F]\n"
    "       grandlivre accounts open --tenant T ACCOUNT LABEL\n"
    "       grandlivre accounts import --tenant T FILE\n"
    "       grandlivre accounts load-chart --tenant T\n"
    "\n"
    "list        the tenant's chart: account, label, state\n"
    "open        open one account (refused with account_exists if it is open)\n"
    "import      open the accounts of FILE, one 'account;label' per line (';' or\n"
    "            tab separated, an optional header line); open accounts are kept\n"
    "load-chart  open the associations' standard chart (PCG + ANC 2018-06,\n"
    "            classes 1-8, built into the client); open accounts are kept\n"
    "\n"
    "Account numbers: 3-20 characters 0-9 A-Z, the first three digits, the first\n"
    "the class 1-8 (512, 512000, 411GRP; not 6A, 51, 0123); class 9 (analytic\n"
    "accounts) only where the tenant's configuration says analytic_class9 = yes.\n"
    "Accounts opened before this rule stay readable; new entries cannot use them.\n"
    "Members may only touch their own tenant; auditors may only list.\n";

/* Send account items in requests of at most GL_ACCOUNTS_MAX. */
static int open_accounts(cli *c, const char *const *accounts, const char *const *labels, size_t n,
                         uint8_t mode)
{
    uint32_t opened = 0, skipped = 0;
    for (size_t start = 0; start < n; start += GL_ACCOUNTS_MAX) {
        size_t count = n - start < GL_ACCOUNTS_MAX ? n - start : GL_ACCOUNTS_MAX;
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u8(&body, mode);
        gl_put_u32(&body, (uint32_t)count);
        for (size_t i = start; i < start + count; i++) {
            if (strlen(accounts[i]) > GL_ACCOUNT_MAX || strlen(labels[i]) > GL_LABEL_MAX) {
                cli_error("account %s: number or label too long", accounts[i]);
                gl_buf_free(&body);
                return EXIT_USAGE;
            }
            gl_put_str8(&body, accounts[i], strlen(accounts[i]));
            gl_put_str8(&body, labels[i], strlen(labels[i]));
        }
        gl_response resp;
        int rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_ACCOUNTS_OPEN, c->tenant, body.data, body.len, &resp)
                                  : EXIT_USAGE;
        gl_buf_free(&body);
        if (rc == 0) {
            gl_cur cur;
            gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
            opened += gl_get_u32(&cur);
            skipped += gl_get_u32(&cur);
        }
        gl_response_free(&resp);
        if (rc)
            return rc;
    }
    fprintf(stderr, "grandlivre: %s: %u account(s) opened, %u already open\n", c->tenant, opened, skipped);
    return 0;
}

static int accounts_list(cli *c)
{
    gl_response resp;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &resp);
    if (rc == 0) {
        static const out_col cols[] = {{"account", OUT_TEXT}, {"label", OUT_TEXT}, {"state", OUT_TEXT}};
        out_table *t = out_new(cols, 3);
        gl_cur cur;
        gl_cur_init(&cur, resp.reply.body, resp.reply.body_len);
        uint32_t n = gl_get_u32(&cur);
        for (uint32_t i = 0; i < n && gl_cur_status(&cur) == GL_OK; i++) {
            gl_str a = gl_get_str8(&cur, 255), l = gl_get_str8(&cur, 255);
            uint8_t state = gl_get_u8(&cur);
            out_text(t, a.ptr, a.len);
            out_text(t, l.ptr, l.len);
            out_cstr(t, state == 1 ? "open" : "closed");
        }
        if (gl_cur_status(&cur) != GL_OK || !t || out_render(t, c->format, stdout)) {
            cli_error("cannot read or print the daemon's reply");
            rc = EXIT_REFUSED;
        }
        out_free(t);
    }
    gl_response_free(&resp);
    return rc;
}

static int load_chart(cli *c)
{
    const char **a = calloc(gl_standard_chart_count, sizeof *a);
    const char **l = calloc(gl_standard_chart_count, sizeof *l);
    int rc = EXIT_USAGE;
    if (a && l) {
        for (size_t i = 0; i < gl_standard_chart_count; i++) {
            a[i] = gl_standard_chart[i].account;
            l[i] = gl_standard_chart[i].label;
        }
        rc = open_accounts(c, a, l, gl_standard_chart_count, GL_OPEN_SKIP_EXISTING);
    }
    free(a);
    free(l);
    return rc;
}

/* Split one "account;label" line in place. Returns 0, 1 (skip), -1 (bad). */
static int split_line(char *line, char **account, char **label)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#')
        return 1;
    char *sep = strpbrk(line, ";\t");
    if (!sep)
        return -1;
    *sep = '\0';
    *account = line;
    *label = sep + 1;
    for (char *p = *account; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    gl_str s = {*account, strlen(*account)};
    return gl_account_number_valid(s, true) ? 0 : -1; /* class 9: the daemon knows the tenant's setting */
}

static int accounts_import(cli *c, const char *path)
{
    size_t len;
    char *data = cli_read_file(path, &len);
    if (!data)
        return EXIT_USAGE;
    size_t cap = 1024, n = 0, lineno = 0;
    char **a = malloc(cap * sizeof *a), **l = malloc(cap * sizeof *l);
    int rc = 0;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line && a && l && rc == 0; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *acc, *lab;
        int r = split_line(line, &acc, &lab);
        if (r == 1 || (r == -1 && lineno == 1)) /* blank, comment, header */
            continue;
        if (r == -1) {
            cli_error("%s:%zu: expected 'account;label' with a valid account number", path, lineno);
            rc = EXIT_USAGE;
            break;
        }
        if (n == cap) {
            cap *= 2;
            char **na = realloc(a, cap * sizeof *a), **nl = na ? realloc(l, cap * sizeof *l) : NULL;
            if (na) a = na;
            if (nl) l = nl;
            if (!na || !nl) { rc = EXIT_USAGE; break; }
        }
        a[n] = acc;
        l[n] = lab;
        n++;
    }
    if (rc == 0 && (!a || !l))
        rc = EXIT_USAGE;
    if (rc == 0 && n == 0) {
        cli_error("%s: no accounts found", path);
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = open_accounts(c, (const char *const *)a, (const char *const *)l, n, GL_OPEN_SKIP_EXISTING);
    free(a);
    free(l);
    free(data);
    return rc;
}

int cmd_accounts(int argc, char **argv)
{
    cli c;
    int rc = cli_parse(&c, &argc, &argv, NULL, NULL, NULL, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc < 1) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[0];
    bool ok_args = (!strcmp(sub, "list") && argc == 1) || (!strcmp(sub, "open") && argc == 3) ||
                   (!strcmp(sub, "import") && argc == 2) || (!strcmp(sub, "load-chart") && argc == 1);
    if (!ok_args) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    if (!strcmp(sub, "list")) {
        rc = accounts_list(&c);
    } else if (!strcmp(sub, "open")) {
        char acc[GL_ACCOUNT_MAX + 2];
        snprintf(acc, sizeof acc, "%s", argv[1]);
        for (char *p = acc; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        const char *a = acc, *l = argv[2];
        if (!gl_account_number_valid((gl_str){acc, strlen(acc)}, true)) {
            cli_error("%s: %s", acc, GL_ACCOUNT_RULE);
            rc = EXIT_USAGE;
        } else {
            rc = open_accounts(&c, &a, &l, 1, GL_OPEN_STRICT);
        }
    } else if (!strcmp(sub, "import")) {
        rc = accounts_import(&c, argv[1]);
    } else {
        rc = load_chart(&c);
    }
    cli_close(&c);
    return rc;
}
