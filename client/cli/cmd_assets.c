/*
 * client/cli/cmd_assets.c — `grandlivre assets` and `grandlivre
 * depreciation` (issue 20, PROTOCOL.md §5.59-§5.61): the fixed-asset
 * register of a tenant (add, import, list, show the plan, dispose) and
 * the depreciation through a month.  The entries of a depreciation or a
 * disposal are computed here with the daemon's own code (proto/asset.h
 * gl_asset_post_plan, from the register ASSETS gives) and shown first;
 * ASSET_POST is sent only once confirmed (--yes, or "o" on a terminal):
 * the daemon then writes the same entries itself.
 */
#include "asset_link.h"
#include "cmd_grants.h"

#include "cli_replies.h"
#include "i18n.h"
#include "plural.h"

#include "proto/asset.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/status.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    N_("usage: grandlivre assets add CODE --account ACCOUNT --label TEXT --acquired DATE\n"
       "                          --cost AMOUNT --life MONTHS [--method straight|declining]\n"
       "                          [--start DATE] [--residual AMOUNT]\n"
       "                          [--grant-account 13x --grant AMOUNT] [--acquisition FY/NUM]\n"
       "       grandlivre assets import FILE.json\n"
       "       grandlivre assets list [--format F]\n"
       "       grandlivre assets show CODE [--format F]\n"
       "       grandlivre assets dispose CODE --date DATE [--proceeds AMOUNT\n"
       "                          --proceeds-account ACCOUNT] [--yes]\n"
       "\n"
       "The fixed-asset register (immobilisations) of a tenant. add registers an\n"
       "asset under its CODE (A-Z, 0-9, _ . and -, at most 16) on its class 2\n"
       "account (218300), bought on DATE for AMOUNT (excluding recoverable VAT),\n"
       "depreciated over MONTHS (straight-line, or declining balance from 3 years,\n"
       "in whole years) from --start (the acquisition date by default) down to\n"
       "--residual. An investment grant (--grant-account 131000 --grant AMOUNT) is\n"
       "taken to income (139/747, 777 before 2025) with the same plan. --acquisition\n"
       "names the purchase entry (2026/42). The same CODE again only relabels it.\n"
       "import registers every asset of a JSON file (scripts/gen-group-year's\n"
       "assets-<tenant>-<year>.json), each linked to its purchase entry when the\n"
       "file names it (entry_journal, entry_piece) and the books hold it (an entry\n"
       "of that journal and piece debiting the asset's account; else it is said\n"
       "and the asset registered without). list gives the register and what was posted;\n"
       "show CODE the plan (plan d'amortissement) year by year: gross value, charge,\n"
       "cumulated depreciation, net book value.\n"
       "dispose shows the entries of the disposal (cession or mise au rebut) on\n"
       "DATE: the depreciation to that date, then D 28x and D 652 (675) / C 2x, the\n"
       "grant's accounts closed (D 13x the grant / C 139x the part released / C 747\n"
       "the remainder), and the proceeds D ACCOUNT (512x, 462x or 467x) / C 757\n"
       "(775); they are posted once confirmed (--yes, or answer o).\n"
       "\n"
       "Examples:\n"
       "  grandlivre assets add ORDI-1 --account 218300 --label 'Ordinateurs' \\\n"
       "      --acquired 2026-03-02 --cost 3600,00 --life 36\n"
       "  grandlivre assets show ORDI-1 --format csv\n"
       "  grandlivre assets dispose ORDI-1 --date 2026-09-15 --proceeds 1000,00 \\\n"
       "      --proceeds-account 512000\n");

static const char dep_help[] =
    N_("usage: grandlivre depreciation --through YYYY-MM [--yes]\n"
       "\n"
       "The depreciation (dotations aux amortissements) of every asset of the\n"
       "register from the last month posted through YYYY-MM: one entry per asset\n"
       "and fiscal year (journal OD, piece DOT-YYYY-MM), D 6811 / C 28x, and for\n"
       "an investment grant D 139 / C 747 (777 before 2025). The entries are shown\n"
       "first and posted once confirmed (--yes, or answer o on a terminal); a month\n"
       "is never posted twice. One request writes at most 10,000 entries: for many\n"
       "assets over many years, depreciate through an earlier month first.\n"
       "\n"
       "Example:\n"
       "  grandlivre depreciation --tenant alpha --through 2026-12 --yes\n");

enum {
    AS_ACCOUNT = 5900,
    AS_LABEL,
    AS_ACQUIRED,
    AS_COST,
    AS_LIFE,
    AS_METHOD,
    AS_START,
    AS_RESIDUAL,
    AS_GRANT_ACCOUNT,
    AS_GRANT,
    AS_ACQUISITION,
    AS_DATE,
    AS_PROCEEDS,
    AS_PROCEEDS_ACCOUNT,
    AS_THROUGH,
    AS_YES,
    AS_COUNT_
};

typedef struct as_opts {
    const char *v[AS_COUNT_ - AS_ACCOUNT];
} as_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    as_opts *o = user;
    if (opt < AS_ACCOUNT || opt >= AS_COUNT_)
        return EXIT_USAGE;
    o->v[opt - AS_ACCOUNT] = arg ? arg : "1";
    return 0;
}

static const char *opt(const as_opts *o, int which) { return o->v[which - AS_ACCOUNT]; }

static gl_str S(const char *s) { return (gl_str){s, s ? strlen(s) : 0}; }

static int amount_arg(const char *name, const char *arg, int64_t *cents)
{
    if (!arg)
        return 0;
    if (gl_money_parse(arg, strlen(arg), cents) && *cents >= 0)
        return 0;
    cli_error(_("%s %s: an amount of 0 or more, as 3600,00"), name, arg);
    return EXIT_USAGE;
}

/* ---- the register, read ---- */

typedef struct reg {
    gl_an_call k;
    gl_asset_state *rows;
    size_t n;
    unsigned first_month;
} reg;

static void reg_done(reg *r)
{
    free(r->rows);
    gl_an_call_done(&r->k);
}

/* Connect, the tenant's first month, ASSETS: 0 or an exit code (r to be
 * freed with reg_done either way).  The rows point into r->k.resp. */
static int reg_load(cli *c, reg *r)
{
    memset(r, 0, sizeof *r);
    int rc = an_connect(c, &r->k);
    if (rc || (rc = cli_first_month(c, &r->first_month)))
        return rc;
    gl_buf b;
    gl_buf_init(&b);
    if ((rc = an_report(c, &r->k, gl_an_send(&r->k, GL_KIND_ASSETS, &b))))
        return rc;
    gl_assets_iter it;
    if (gl_assets_reply_begin(r->k.resp.reply.body, r->k.resp.reply.body_len, &it) != GL_OK)
        return an_report(c, &r->k, GL_ERR_BAD_REPLY);
    if (!(r->rows = calloc(it.left ? it.left : 1, sizeof *r->rows)))
        return an_report(c, &r->k, GL_ERR_NOMEM);
    int st;
    while ((st = gl_assets_reply_next(&it, &r->rows[r->n])) == GL_OK)
        r->n++;
    return st == GL_ERR_NOT_FOUND ? 0 : an_report(c, &r->k, GL_ERR_BAD_REPLY);
}

/* ---- add, import ---- */

typedef struct add_bufs {
    char code[GL_ASSET_CODE_MAX + 2], account[GL_ACCOUNT_MAX + 2], grant[GL_ACCOUNT_MAX + 2];
} add_bufs;

static int method_arg(const char *arg, uint8_t *method)
{
    if (!arg || !strcmp(arg, "straight") || !strcmp(arg, "lineaire") || !strcmp(arg, "linéaire")) {
        *method = GL_DEP_STRAIGHT;
        return 0;
    }
    if (!strcmp(arg, "declining") || !strcmp(arg, "degressif") || !strcmp(arg, "dégressif")) {
        *method = GL_DEP_DECLINING;
        return 0;
    }
    cli_error(_("--method %s: straight or declining"), arg);
    return EXIT_USAGE;
}

static int check_asset(const gl_asset *a)
{
    const char *field;
    if (gl_asset_check(a, &field))
        return 0;
    cli_error(_("assets: asset %.*s: its %s is out of its rule (grandlivre assets --help)"),
              (int)a->code.len, a->code.ptr, field);
    return EXIT_USAGE;
}

static int add_asset(const char *code, const as_opts *o, add_bufs *b, gl_asset *a)
{
    static const struct {
        int which;
        const char *name;
    } required[] = {{AS_ACCOUNT, "--account"},
                    {AS_LABEL, "--label"},
                    {AS_ACQUIRED, "--acquired"},
                    {AS_COST, "--cost"},
                    {AS_LIFE, "--life"}};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!opt(o, required[i].which)) {
            cli_error(_("assets add: %s is required (grandlivre assets --help)"), required[i].name);
            return EXIT_USAGE;
        }
    memset(a, 0, sizeof *a);
    if (!an_upper(code, b->code, sizeof b->code) ||
        !an_upper(opt(o, AS_ACCOUNT), b->account, sizeof b->account) ||
        !an_upper(opt(o, AS_GRANT_ACCOUNT) ? opt(o, AS_GRANT_ACCOUNT) : "", b->grant,
                  sizeof b->grant)) {
        cli_error(_("assets add: a code or an account too long"));
        return EXIT_USAGE;
    }
    int rc;
    char *end;
    long life = strtol(opt(o, AS_LIFE), &end, 10);
    if (*end || life < 1 || life > 1200) {
        cli_error(_("--life %s: a number of months, 1 to 1200"), opt(o, AS_LIFE));
        return EXIT_USAGE;
    }
    a->life_months = (uint16_t)life;
    if ((rc = cli_date(opt(o, AS_ACQUIRED), "--acquired", &a->acquired)) ||
        (rc = amount_arg("--cost", opt(o, AS_COST), &a->cost_cents)) ||
        (rc = amount_arg("--residual", opt(o, AS_RESIDUAL), &a->residual_cents)) ||
        (rc = amount_arg("--grant", opt(o, AS_GRANT), &a->grant_cents)) ||
        (rc = method_arg(opt(o, AS_METHOD), &a->method)))
        return rc;
    a->start = a->acquired;
    if (opt(o, AS_START) && (rc = cli_date(opt(o, AS_START), "--start", &a->start)))
        return rc;
    if (opt(o, AS_ACQUISITION)) {
        unsigned fy, num;
        char tail;
        if (sscanf(opt(o, AS_ACQUISITION), "%u/%u%c", &fy, &num, &tail) != 2 || fy > 65535 || !fy ||
            !num) {
            cli_error(_("--acquisition %s: the entry as FY/NUM (2026/42)"), opt(o, AS_ACQUISITION));
            return EXIT_USAGE;
        }
        a->acq_fy = (uint16_t)fy;
        a->acq_num = num;
    }
    a->code = S(b->code);
    a->account = S(b->account);
    a->label = S(opt(o, AS_LABEL));
    a->grant_account = S(b->grant);
    return check_asset(a);
}

static int send_asset(cli *c, gl_an_call *k, const gl_asset *a)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_put(&b, a);
    int rc = an_report(c, k, gl_an_send(k, GL_KIND_ASSET_SET, &b));
    if (!rc)
        fprintf(stderr, _("grandlivre: %s: asset recorded: %.*s\n"), c->tenant, (int)a->code.len,
                a->code.ptr);
    return rc;
}

static int cmd_add(cli *c, const char *code, const as_opts *o)
{
    add_bufs b;
    gl_asset a;
    gl_an_call k;
    int rc = add_asset(code, o, &b, &a);
    if (rc || (rc = an_connect(c, &k)))
        return rc;
    rc = send_asset(c, &k, &a);
    gl_an_call_done(&k);
    return rc;
}

/* One asset of the JSON file into a (strings into the JSON document). */
static bool json_asset(json_t *j, gl_asset *a, char *why, size_t why_len)
{
    const char *code = json_string_value(json_object_get(j, "code"));
    const char *method = json_string_value(json_object_get(j, "method"));
    const char *dates[2] = {json_string_value(json_object_get(j, "acquired")),
                            json_string_value(json_object_get(j, "start"))};
    uint32_t ymd[2] = {0, 0};
    for (int i = 0; i < 2; i++)
        if (!dates[i] || !gl_date_parse(dates[i], strlen(dates[i]), &ymd[i])) {
            snprintf(why, why_len, "%s", i ? "start" : "acquired");
            return false;
        }
    memset(a, 0, sizeof *a);
    a->code = S(code);
    a->account = S(json_string_value(json_object_get(j, "account")));
    a->label = S(json_string_value(json_object_get(j, "label")));
    a->grant_account = S(json_string_value(json_object_get(j, "grant_account")));
    a->acquired = ymd[0];
    a->start = ymd[1];
    a->cost_cents = json_integer_value(json_object_get(j, "cost_cents"));
    a->residual_cents = json_integer_value(json_object_get(j, "residual_cents"));
    a->grant_cents = json_integer_value(json_object_get(j, "grant_cents"));
    json_int_t life = json_integer_value(json_object_get(j, "life_months"));
    a->life_months = life > 0 && life <= 1200 ? (uint16_t)life : 0;
    a->method = method && !strcmp(method, "declining") ? GL_DEP_DECLINING : GL_DEP_STRAIGHT;
    const char *field;
    if (!code || !gl_asset_check(a, &field)) {
        snprintf(why, why_len, "%s", code ? field : "code");
        return false;
    }
    return true;
}

/* The asset's acquisition entry named by the file (entry_journal and
 * entry_piece, both or neither), found in the books: registered with it,
 * or, not found, without it and said so. */
static int link_entry(cli *c, const char *path, json_t *j, gl_asset *a)
{
    const char *journal = json_string_value(json_object_get(j, "entry_journal"));
    const char *piece = json_string_value(json_object_get(j, "entry_piece"));
    if (!journal || !piece || !*journal || !*piece)
        return 0;
    int rc = asset_link_acquisition(c, journal, piece, a);
    if (rc == 0 && !a->acq_num)
        fprintf(stderr,
                _("grandlivre: %s: %.*s: no entry %s %s debits %.*s: registered without its "
                  "acquisition entry\n"),
                path, (int)a->code.len, a->code.ptr, journal, piece, (int)a->account.len,
                a->account.ptr);
    return rc;
}

static int cmd_import(cli *c, const char *path)
{
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    json_t *list = doc ? json_object_get(doc, "assets") : NULL;
    if (!json_is_array(list)) {
        cli_error(_("%s: %s (a JSON object with an \"assets\" array)"), path,
                  doc ? _("no assets array") : err.text);
        json_decref(doc);
        return EXIT_REFUSED;
    }
    size_t n = json_array_size(list);
    gl_asset *all = calloc(n ? n : 1, sizeof *all);
    int rc = all ? 0 : EXIT_REFUSED;
    for (size_t i = 0; !rc && i < n; i++) {
        char why[64];
        if (!json_asset(json_array_get(list, i), &all[i], why, sizeof why)) {
            cli_error(_("%s: asset %zu: its %s is out of its rule; nothing was sent"), path, i + 1,
                      why);
            rc = EXIT_REFUSED;
        }
    }
    gl_an_call k;
    if (!rc && !(rc = an_connect(c, &k))) {
        for (size_t i = 0; !rc && i < n; i++)
            rc = link_entry(c, path, json_array_get(list, i), &all[i]);
        for (size_t i = 0; !rc && i < n; i++)
            rc = send_asset(c, &k, &all[i]);
        gl_an_call_done(&k);
    }
    free(all);
    json_decref(doc);
    return rc;
}

/* ---- list, show ---- */

static const char *method_name(uint8_t m)
{
    return m == GL_DEP_DECLINING ? "declining" : "straight";
}

static int cmd_list(cli *c)
{
    static const out_col cols[] = {
        {"code", OUT_REF},          {"account", OUT_REF},   {"label", OUT_TEXT},
        {"acquired", OUT_DATE},     {"cost", OUT_MONEY},    {"method", OUT_REF},
        {"life_months", OUT_INT},   {"start", OUT_DATE},    {"residual", OUT_MONEY},
        {"grant_account", OUT_REF}, {"grant", OUT_MONEY},   {"through", OUT_INT},
        {"disposed", OUT_DATE},     {"proceeds", OUT_MONEY}};
    reg r;
    int rc = reg_load(c, &r);
    if (rc) {
        reg_done(&r);
        return rc;
    }
    if (!r.n && cli_format_table(c)) {
        printf(_("%s: no fixed asset (grandlivre assets add CODE ...)\n"), c->tenant);
        reg_done(&r);
        return 0;
    }
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < r.n; i++) {
        const gl_asset_state *s = &r.rows[i];
        const gl_asset *a = &s->asset;
        out_text(t, a->code.ptr, a->code.len);
        out_text(t, a->account.ptr, a->account.len);
        out_text(t, a->label.ptr, a->label.len);
        out_date(t, a->acquired);
        out_money(t, a->cost_cents);
        out_cstr(t, method_name(a->method));
        out_int(t, a->life_months);
        out_date(t, a->start);
        out_money(t, a->residual_cents);
        out_text(t, a->grant_account.ptr, a->grant_account.len);
        out_money(t, a->grant_cents);
        out_int(t, s->through);
        out_date(t, s->disposed);
        out_money(t, s->proceeds_cents);
    }
    if (t && cli_format_table(c))
        printf(_("Fixed assets — %s\n"), c->tenant);
    reg_done(&r);
    return cli_format_render(c, t);
}

static const gl_asset_state *find(const reg *r, const char *code)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].asset.code.len == strlen(code) &&
            !memcmp(r->rows[i].asset.code.ptr, code, r->rows[i].asset.code.len))
            return &r->rows[i];
    return NULL;
}

/* The plan year by year, from the fiscal year of its start to the one
 * where it ends (or its disposal's). */
static int cmd_show(cli *c, const char *code_arg)
{
    static const out_col cols[] = {{"fiscal_year", OUT_INT},      {"gross", OUT_MONEY},
                                   {"charge", OUT_MONEY},         {"cumulated", OUT_MONEY},
                                   {"net_book_value", OUT_MONEY}, {"grant_taken", OUT_MONEY}};
    char code[GL_ASSET_CODE_MAX + 2];
    if (!an_upper(code_arg, code, sizeof code))
        code[0] = '\0';
    reg r;
    int rc = reg_load(c, &r);
    const gl_asset_state *s = rc ? NULL : find(&r, code);
    if (!rc && !s) {
        cli_error(_("%s: no fixed asset %s (grandlivre assets list)"), c->tenant, code_arg);
        rc = EXIT_REFUSED;
    }
    if (rc) {
        reg_done(&r);
        return rc;
    }
    gl_dep_asset d = gl_asset_dep(&s->asset, (uint8_t)r.first_month, s->disposed);
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    int64_t depreciable = s->asset.cost_cents - s->asset.residual_cents, before = 0, grant = 0;
    uint16_t fy = gl_fiscal_year(s->asset.start, r.first_month);
    for (unsigned guard = 0; t && guard < 1300; guard++, fy++) {
        uint32_t end = gl_fiscal_year_end(fy, r.first_month);
        int64_t cum = gl_dep_cumulated(&d, end), g = gl_dep_grant_cumulated(&d, end);
        out_int(t, fy);
        out_money(t, s->asset.cost_cents);
        out_money(t, cum - before);
        out_money(t, cum);
        out_money(t, s->asset.cost_cents - cum);
        out_money(t, g - grant);
        before = cum;
        grant = g;
        if (cum >= depreciable || (s->disposed && end >= s->disposed))
            break;
    }
    if (t && cli_format_table(c))
        printf(_("Depreciation plan — %s %.*s (%.*s, %s, %u months)\n"), c->tenant,
               (int)s->asset.code.len, s->asset.code.ptr, (int)s->asset.label.len,
               s->asset.label.ptr, method_name(s->asset.method), s->asset.life_months);
    reg_done(&r);
    return cli_format_render(c, t);
}

/* ---- depreciation, dispose: the entries shown, then posted ---- */

static int print_entry(void *user, const gl_entry_in *e, size_t asset)
{
    (void)asset;
    unsigned *count = user;
    char d[11], m[GL_MONEY_TEXT_MAX];
    printf("%s  %s  %-12s %s\n", gl_date_format(e->date, d), e->journal, e->piece_ref, e->label);
    for (size_t i = 0; i < e->line_count; i++)
        printf("    %s %-10s %16s\n", e->lines[i].side == GL_SIDE_DEBIT ? "D" : "C",
               e->lines[i].account, gl_money_format(e->lines[i].amount_cents, GL_MONEY_PLAIN, m));
    ++*count;
    return GL_OK;
}

static bool confirmed(const as_opts *o)
{
    if (opt(o, AS_YES))
        return true;
    if (!isatty(0) || !isatty(1))
        return false;
    printf(_("Post these entries? [o/N] "));
    fflush(stdout);
    char line[16];
    return fgets(line, sizeof line, stdin) &&
           (line[0] == 'o' || line[0] == 'O' || line[0] == 'y' || line[0] == 'Y');
}

static int post(cli *c, const as_opts *o, const gl_asset_post_q *q)
{
    const char *field;
    if (!gl_asset_post_check(q, &field)) {
        cli_error(_("the request's %s is out of its rule (grandlivre assets --help)"), field);
        return EXIT_USAGE;
    }
    reg r;
    int rc = reg_load(c, &r);
    if (rc) {
        reg_done(&r);
        return rc;
    }
    unsigned count = 0;
    gl_asset_refusal why = {0};
    int st = gl_asset_post_plan(q, r.rows, r.n, (uint8_t)r.first_month, c->tenant, print_entry,
                                &count, &why);
    if (st != GL_OK) {
        cli_error("%s: %s", c->tenant, _(gl_status_message(st)));
        reg_done(&r);
        return EXIT_REFUSED;
    }
    if (!count)
        printf(_("%s: no entry to post (every asset is depreciated already)\n"), c->tenant);
    if (!confirmed(o)) {
        cli_error("%s", _(gl_status_message(GL_ERR_NOT_CONFIRMED)));
        reg_done(&r);
        return EXIT_REFUSED;
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_post_q_encode(&b, q);
    rc = an_report(c, &r.k, gl_an_send(&r.k, GL_KIND_ASSET_POST, &b));
    if (!rc)
        fprintf(stderr,
                PLURAL(count, "grandlivre: %s: %u entry posted\n",
                       "grandlivre: %s: %u entries posted\n"),
                c->tenant, count);
    reg_done(&r);
    return rc;
}

static int cmd_dispose(cli *c, const char *code_arg, const as_opts *o)
{
    char code[GL_ASSET_CODE_MAX + 2], account[GL_ACCOUNT_MAX + 2];
    gl_asset_post_q q = {.op = GL_ASSET_DISPOSE};
    int rc;
    if (!opt(o, AS_DATE)) {
        cli_error(_("assets dispose: --date is required (grandlivre assets --help)"));
        return EXIT_USAGE;
    }
    if (!an_upper(code_arg, code, sizeof code) ||
        !an_upper(opt(o, AS_PROCEEDS_ACCOUNT) ? opt(o, AS_PROCEEDS_ACCOUNT) : "", account,
                  sizeof account)) {
        cli_error(_("assets dispose: a code or an account too long"));
        return EXIT_USAGE;
    }
    if ((rc = cli_date(opt(o, AS_DATE), "--date", &q.date)) ||
        (rc = amount_arg("--proceeds", opt(o, AS_PROCEEDS), &q.proceeds_cents)))
        return rc;
    q.code = S(code);
    q.proceeds_account = S(account);
    return post(c, o, &q);
}

static const struct option extra[] = {
    {"account", required_argument, NULL, AS_ACCOUNT},
    {"label", required_argument, NULL, AS_LABEL},
    {"acquired", required_argument, NULL, AS_ACQUIRED},
    {"cost", required_argument, NULL, AS_COST},
    {"life", required_argument, NULL, AS_LIFE},
    {"method", required_argument, NULL, AS_METHOD},
    {"start", required_argument, NULL, AS_START},
    {"residual", required_argument, NULL, AS_RESIDUAL},
    {"grant-account", required_argument, NULL, AS_GRANT_ACCOUNT},
    {"grant", required_argument, NULL, AS_GRANT},
    {"acquisition", required_argument, NULL, AS_ACQUISITION},
    {"date", required_argument, NULL, AS_DATE},
    {"proceeds", required_argument, NULL, AS_PROCEEDS},
    {"proceeds-account", required_argument, NULL, AS_PROCEEDS_ACCOUNT},
    {"through", required_argument, NULL, AS_THROUGH},
    {"yes", no_argument, NULL, AS_YES},
    {0}};

int cmd_assets(int argc, char **argv)
{
    static const gr_sub subs[] = {
        {"add", 1, 1}, {"import", 1, 1}, {"list", 0, 0}, {"show", 1, 1}, {"dispose", 1, 1}};
    as_opts o = {0};
    cli c;
    size_t sub;
    int rc = gr_parse_sub(&c, &argc, &argv, extra, on_opt, &o, _(help), subs, 5, &sub);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (sub != 2 && sub != 3 && (rc = cli_format_refuse(&c, "assets")))
        return rc;
    switch (sub) {
    case 0: rc = cmd_add(&c, argv[1], &o); break;
    case 1: rc = cmd_import(&c, argv[1]); break;
    case 2: rc = cmd_list(&c); break;
    case 3: rc = cmd_show(&c, argv[1]); break;
    default: rc = cmd_dispose(&c, argv[1], &o); break;
    }
    cli_close(&c);
    return rc;
}

int cmd_depreciation(int argc, char **argv)
{
    as_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(dep_help));
    if (rc)
        return rc < 0 ? 0 : rc;
    unsigned y, m;
    char tail;
    const char *through = opt(&o, AS_THROUGH);
    if (argc != 0 || !through || sscanf(through, "%u-%u%c", &y, &m, &tail) != 2 ||
        !gl_month_valid(y * 100 + m)) {
        fputs(_(dep_help), stderr);
        cli_close(&c);
        return EXIT_USAGE;
    }
    if (!(rc = cli_format_refuse(&c, "depreciation"))) {
        gl_asset_post_q q = {.op = GL_ASSET_DEPRECIATE, .through = y * 100 + m};
        rc = post(&c, &o, &q);
    }
    cli_close(&c);
    return rc;
}
