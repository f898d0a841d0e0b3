/*
 * client/cli/cmd_statements.c — `grandlivre statements`: the annual
 * accounts (bilan, compte de résultat, contributions volontaires en nature)
 * of one association or of the group, for a fiscal year, with the previous
 * year's column when that year has entries; as a table, CSV, JSON or one
 * printable HTML page.
 *
 * One association: PERIODS gives its name, SIREN, first month and the
 * fiscal years that hold entries; BALANCE per auxiliary account on the last
 * day of year N (and N-1) gives the balances — before the result-closing
 * entry, as annual accounts print them.  Debit and credit balances are
 * summed apart per account before the computation, so that a supplier paid
 * in advance stays a receivable even when the account's total is a debt.
 * The group: GROUP_BALANCE on the last day of the umbrella's fiscal year N
 * (each entity from the first day of its own fiscal year containing that
 * day), columns per entity, eliminations and combined; the previous year's
 * combined column from GROUP_BALANCE a year earlier.  Every call is a read.
 *
 * The common option parser knows neither `-o FILE` nor `--format html`
 * (html is no table format of output.h), so both are taken out of argv here
 * before it runs.
 */
#include "cli.h"
#include "cli_replies.h"
#include "outfile.h"
#include "cli_files.h"
#include "group_annexe.h"
#include "group_balance.h"
#include "cli_stmt.h"

#include "client/statements/html.h"
#include "client/statements/statements.h"
#include "proto/assert.h"
#include "proto/chart_rules.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre statements (--tenant T | --group) --year YYYY\n"
    "                             [--format table|table-fr|csv|json|html]\n"
    "                             [-o FILE [--force]]\n"
    "\n"
    "The annual accounts in the associations' models of the fiscal year: the\n"
    "balance sheet (bilan: actif, passif; classes 1-5), the income statement\n"
    "(compte de résultat: produits and charges of classes 6-7, the intermediate\n"
    "results, the excédent ou déficit) and, below the result, the contributions\n"
    "volontaires en nature (class 8: 87 contributions, 86 emplois), with a column\n"
    "for the previous fiscal year when that year has entries.\n"
    "\n"
    "Which model: a fiscal year opened before 2025-01-01 is presented in the\n"
    "models of règlement ANC 2018-06, one opened on or after that day in the 2025\n"
    "models (2018-06 as coordinated by règlement ANC 2023-03 with the PCG of\n"
    "2022-06): no transfers of charges, the release of investment grants (747)\n"
    "and the disposals of fixed assets (757, 652) in the operating result, an\n"
    "exceptional result for major and unusual events only. The previous year's\n"
    "column of a 2025 statement is in the 2025 model: a year kept in the earlier\n"
    "chart is reclassified (777000 as 747000, 791000 deducted from 649000...),\n"
    "not restated, and a note after the table (or in the HTML page) lists the\n"
    "reclassified accounts and amounts.\n"
    "\n"
    "--tenant T  one association, on the last day of its fiscal year YYYY (named\n"
    "            by the calendar year it ends in), before the result-closing\n"
    "            entry if the year is closed. The unclosed produits - charges\n"
    "            form the passif's \"Résultat de l'exercice\", so that TOTAL\n"
    "            ACTIF = TOTAL PASSIF. Balances are placed per auxiliary\n"
    "            account: a supplier paid in advance is a receivable, a bank\n"
    "            overdraft a debt. The actif of year YYYY has three amounts,\n"
    "            as ANC 2018-06's model: gross (brut), amortissements et\n"
    "            dépréciations (28, 29, 39, 49, 59) and net; the previous\n"
    "            year's column is net (csv/json: columns \"YYYY gross\" and\n"
    "            \"YYYY depreciation\" before \"YYYY\"; outside the actif the\n"
    "            gross is the amount and the depreciation 0).\n"
    "--group     the group's combined accounts (comptes combinés), on the last\n"
    "            day of the umbrella's fiscal year YYYY, each entity from the\n"
    "            first day of its own fiscal year containing that day: one\n"
    "            column per entity, the eliminations, the combined total and the\n"
    "            previous year's combined total; balances are placed per account\n"
    "            and entity (the group balance has no auxiliary detail). The\n"
    "            accountant and auditors only.\n"
    "--format F  table (default) or table-fr: the headings that have an amount;\n"
    "            csv or json: every heading and total with a stable key (JSON\n"
    "            amounts in integer cents; CSV text starting with = + - @ TAB\n"
    "            or CR gets a leading '); html: one self-contained printable\n"
    "            page (A4, UTF-8, no external asset).\n"
    "-o FILE, --output FILE\n"
    "            write to FILE instead of standard output: under a temporary\n"
    "            name beside it, then renamed. An existing FILE is refused\n"
    "            unless --force (which replaces it); a symbolic link at FILE is\n"
    "            refused even with --force (never followed nor replaced).\n"
    "\n"
    "Each column is checked: TOTAL ACTIF = TOTAL PASSIF, the result in the\n"
    "passif = produits - charges, contributions en nature = their emplois. Every\n"
    "check that fails, in every column, is reported on standard error and in the\n"
    "HTML page, the statements are written all the same, and the exit status is\n"
    "5. A balance that belongs to no statement (class 9, class 8 outside 86/87)\n"
    "is a warning.\n"
    "\n"
    "A fiscal year not closed yet (for --group: of any entity) gives provisional\n"
    "statements: « PROVISOIRE » in the table's title, in the HTML page's title and\n"
    "on every printed page; CSV and JSON say it on standard error.\n";

enum { OPT_YEAR = 5000, OPT_GROUP, OPT_OUTPUT, OPT_FORCE };

struct stmt_opts {
    long year;
    bool group, html, force;
    const char *output;
    FILE *to; /* write here instead of standard output (grandlivre web) */
};

int cli_stmt_year(const char *arg, long *year)
{
    char *end;
    *year = strtol(arg, &end, 10);
    if (*end || *year < 1901 || *year > 2999) {
        cli_error("--year takes a fiscal year such as 2025 (the calendar year it ends in)");
        return EXIT_USAGE;
    }
    return 0;
}

static int on_opt(int opt, const char *arg, void *user)
{
    struct stmt_opts *o = user;
    switch (opt) {
    case OPT_YEAR: return cli_stmt_year(arg, &o->year);
    case OPT_GROUP: o->group = true; return 0;
    case OPT_OUTPUT: o->output = arg; return 0;
    case OPT_FORCE: o->force = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* Is arg "--format", "--format=…" or an abbreviation of it ("--form")? */
static bool is_format_option(const char *arg, const char **value)
{
    size_t n = strcspn(arg, "=");
    if (n < 3 || n > 8 || strncmp(arg, "--format", n))
        return false;
    *value = arg[n] == '=' ? arg + n + 1 : NULL;
    return true;
}

/* Take `-o FILE`, `-oFILE` and `--format html` out of argv into o; the rest
 * is copied to out (argc + 1 slots).  Returns the new argc, or -1 on a
 * missing value. */
static int take_own_options(int argc, char **argv, char **out, struct stmt_opts *o)
{
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *value;
        if (i == 0 || !strcmp(a, "--")) {
            if (i > 0) /* everything after "--" is an operand */
                while (i < argc)
                    out[n++] = argv[i++];
            else
                out[n++] = argv[i];
            continue;
        }
        if (!strcmp(a, "-o") || (a[0] == '-' && a[1] == 'o' && a[2])) {
            if (a[2]) {
                o->output = a + 2;
            } else if (i + 1 < argc) {
                o->output = argv[++i];
            } else {
                cli_error("-o needs a file name");
                return -1;
            }
            continue;
        }
        if (is_format_option(a, &value)) {
            if (!value && i + 1 < argc)
                value = argv[i + 1];
            o->html = value && !strcmp(value, "html");
            if (o->html) {
                i += a[strcspn(a, "=")] ? 0 : 1;
                continue;
            }
        }
        out[n++] = argv[i];
    }
    out[n] = NULL;
    return n;
}

/* ---- what the daemon tells ---- */

static bool has_entries(const tenant_info *t, unsigned fy) { return cli_stmt_has_entries(t, fy); }

static bool is_closed(const tenant_info *t, unsigned fy) { return cli_stmt_is_closed(t, fy); }

/* PERIODS: name str8 | siren str8 | first_month u8 | code str8 | locked u32
 * | count u16 | per year: fy u16 | from u32 | to u32 | entries u32 |
 * closed u8 | result_num u32 | opening_fy u16 | opening_num u32 |
 * result_cents i64 | then fields this reader skips (overdue_from u32 |
 * overdue_through u32, and any added later).  Only years holding entries
 * are listed. */
bool cli_stmt_has_entries(const tenant_info *t, unsigned fy)
{
    return fy >= 1900 && fy < 1900 + YEARS_SPAN && t->with_entries[fy - 1900];
}

bool cli_stmt_is_closed(const tenant_info *t, unsigned fy)
{
    return fy >= 1900 && fy < 1900 + YEARS_SPAN && t->closed[fy - 1900];
}

int cli_stmt_periods(cli *c, const char *tenant, tenant_info *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", tenant);
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, tenant, &resp, &p);
    if (rc) {
        gl_response_free(&resp);
        return rc;
    }
    gl_str name = p.name, siren = p.siren, code = p.code;
    t->first_month = p.first_month;
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, &p);
    while (gl_reply_periods_next(&it, &row) == 1) {
        uint16_t fy = row.fy;
        uint32_t entries = row.last_num;
        uint8_t closed = row.closed;
        if (fy >= 1900 && fy < 1900 + YEARS_SPAN && entries)
            t->with_entries[fy - 1900] = true;
        if (fy >= 1900 && fy < 1900 + YEARS_SPAN && closed)
            t->closed[fy - 1900] = true;
    }
    snprintf(t->name, sizeof t->name, "%.*s", (int)name.len, name.ptr);
    snprintf(t->siren, sizeof t->siren, "%.*s", (int)siren.len, siren.ptr);
    snprintf(t->code, sizeof t->code, "%.*s", (int)code.len, code.ptr);
    gl_response_free(&resp);
    return rc;
}

typedef cli_stmt_rows rows;

void cli_stmt_rows_free(rows *r)
{
    free(r->v);
    free(r->names);
    memset(r, 0, sizeof *r);
}

/* A zeroed row for account; NULL when out of memory. */
static stmt_account *rows_add(rows *r, gl_str account)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        stmt_account *v = realloc(r->v, cap * sizeof *v);
        if (v)
            r->v = v;
        char(*names)[STMT_ACCOUNT_MAX + 1] = realloc(r->names, cap * sizeof *names);
        if (names)
            r->names = names;
        if (!v || !names)
            return NULL;
        r->cap = cap;
    }
    size_t i = r->count++;
    memset(&r->v[i], 0, sizeof r->v[i]);
    snprintf(r->names[i], sizeof r->names[i], "%.*s", (int)account.len, account.ptr);
    return &r->v[i];
}

/* Point each row at its name (once the array stops moving). */
static void rows_seal(rows *r)
{
    for (size_t i = 0; i < r->count; i++)
        r->v[i].account = r->names[i];
}

/* BALANCE per auxiliary account at `at` into column 0 of out: per account,
 * one row with the sum of its debit balances and one with the sum of its
 * credit balances (rows arrive ordered by account, then aux). */
int cli_stmt_balance_call(cli *c, const char *tenant, uint32_t at, uint8_t flags, gl_response *resp)
{
    gl_balance_q q = {.at = at, .flags = flags};
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, &q);
    int rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_BALANCE, tenant, body.data, body.len, resp)
                              : cli_nomem("the balance request");
    gl_buf_free(&body);
    return rc;
}

int cli_stmt_balance(cli *c, const char *tenant, uint32_t at, rows *out)
{
    gl_response resp;
    int rc = cli_stmt_balance_call(c, tenant, at, GL_BALANCE_AUX, &resp);
    if (rc) {
        gl_response_free(&resp);
        return rc;
    }
    gl_reply_balance r;
    bool readable =
        gl_reply_balance_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) == GL_OK;
    uint32_t n = readable ? r.count : 0;
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    gl_reply_balance_iter_init(&it, &r);
    gl_str current = {"", 0};
    int64_t debit_part = 0, credit_part = 0;
    bool ok = true;
    for (uint32_t i = 0; i <= n && ok && readable; i++) {
        gl_str account = {"", 0};
        int64_t net = 0;
        if (i < n && gl_reply_balance_next(&it, &row) == 1) {
            account = row.account;
            readable = account.len <= STMT_ACCOUNT_MAX;
            net = row.debit;
            ok = gl_money_sub(&net, row.credit);
        }
        bool same =
            i < n && account.len == current.len && !memcmp(account.ptr, current.ptr, account.len);
        if (!same && current.len) { /* flush the previous account */
            stmt_account *d = debit_part ? rows_add(out, current) : NULL;
            if (d)
                d->net[0] = debit_part;
            stmt_account *k = credit_part ? rows_add(out, current) : NULL;
            if (k)
                k->net[0] = credit_part;
            if ((debit_part && !d) || (credit_part && !k)) {
                rc = cli_nomem("the balance rows");
                ok = false;
            }
            debit_part = credit_part = 0;
        }
        current = account;
        if (ok)
            ok = gl_money_add(net > 0 ? &debit_part : &credit_part, net);
    }
    if (rc == 0 && (!ok || !readable)) {
        cli_error("cannot read the daemon's reply (balance of %s)%s", tenant,
                  ok ? "" : ": a total overflows");
        rc = EXIT_REFUSED;
    }
    gl_response_free(&resp);
    rows_seal(out);
    return rc;
}

/* GROUP_BALANCE, every page (group_balance.c): per account, one net per
 * entity, the elimination and the adjustment (the combination ledger). */
typedef struct combined {
    size_t entities;
    char ids[STMT_COLS_MAX][GL_TENANT_MAX + 1];
    uint16_t fy[STMT_COLS_MAX];
    rows r;              /* columns: entities, eliminations, adjustments, combined (left 0) */
    char gaps_note[512]; /* the reciprocal-flow differences, "" when zero */
} combined;

static int query_group(cli *c, uint32_t at, combined *g)
{
    memset(g, 0, sizeof *g);
    group_balance gb;
    int rc = cli_group_balance(c, at, &gb);
    /* entities, eliminations, adjustments, combined, the previous year's combined */
    if (rc == 0 && gb.entities + 4 > STMT_COLS_MAX)
        rc = cli_local_error(GL_ERR_ANSWER_TOO_LARGE,
                             "too many entities for the statements' columns");
    if (rc == 0) {
        g->entities = gb.entities;
        for (size_t e = 0; e < gb.entities; e++) {
            memcpy(g->ids[e], gb.ids[e], sizeof g->ids[e]);
            g->fy[e] = gb.fy[e];
        }
    }
    for (size_t i = 0; rc == 0 && i < gb.count; i++) {
        stmt_account *row = rows_add(&g->r, (gl_str){gb.accounts[i], strlen(gb.accounts[i])});
        if (!row) {
            rc = cli_nomem("the group balance rows");
            break;
        }
        for (size_t e = 0; e <= GROUP_ADJ(g); e++) /* each entity, eliminations, adjustments */
            row->net[e] = gb.rows[i].net[e];
    }
    if (!group_gaps_note(&gb, g->gaps_note, sizeof g->gaps_note))
        g->gaps_note[0] = '\0';
    group_balance_free(&gb);
    rows_seal(&g->r);
    return rc;
}

/* ---- output ---- */

/* Report every check that fails, in every column, on standard error and as
 * notes of the page; balances no statement takes are a warning.  Returns
 * the number of failed checks. */
static size_t warn_checks(const stmt_result *r, stmt_doc *doc, char notes[][256], size_t *nn)
{
    size_t failed = 0;
    for (size_t c = 0; c < r->ncols; c++) {
        char why[STMT_CHECKS_MAX][STMT_WHY_MAX];
        size_t n = stmt_check_all(r, c, why, STMT_CHECKS_MAX);
        for (size_t i = 0; i < n && i < STMT_CHECKS_MAX; i++) {
            cli_error("check failed: %s", why[i]);
            if (*nn < STMT_DOC_NOTES_MAX && doc->note_count < STMT_DOC_NOTES_MAX) {
                snprintf(notes[*nn], 256, "Contrôle non vérifié — %s", why[i]);
                doc->notes[doc->note_count++] = notes[(*nn)++];
            }
        }
        failed += n;
    }
    if (r->ignored) {
        cli_warn(
            "%zu balance(s) belong to no statement (class 9, or class 8 outside 86/87), e.g. account %s",
            r->ignored, r->ignored_example);
        if (*nn < STMT_DOC_NOTES_MAX && doc->note_count < STMT_DOC_NOTES_MAX) {
            snprintf(notes[*nn], 256,
                     "%zu solde(s) hors des états (classe 9, ou classe 8 hors 86/87), par exemple "
                     "le compte %s.",
                     r->ignored, r->ignored_example);
            doc->notes[doc->note_count++] = notes[(*nn)++];
        }
    }
    return failed;
}

/* The title of a table, and a word on standard error for the formats that
 * have no room for it, when the year is not closed. */
static void mark_provisional(const cli *c, const struct stmt_opts *o, stmt_doc *doc, char *title,
                             size_t title_len)
{
    doc->provisional = true;
    size_t n = strlen(title);
    snprintf(title + n, title_len - n, " — PROVISOIRE (exercice non clôturé)");
    if (!o->html && c->format != OUT_TABLE && c->format != OUT_TABLE_FR)
        fprintf(stderr,
                "grandlivre: fiscal year %u is not closed: these statements are provisional\n",
                doc->fy);
}

/* The exit status once the statements are written: EXIT_CHECK if a check
 * failed (the statements are out all the same, for the person who must
 * find the error). */
static int check_status(int rc, size_t failed)
{
    if (rc == 0 && failed) {
        cli_error("%zu check(s) of the statements failed (listed above)", failed);
        return EXIT_CHECK;
    }
    return rc;
}

static int emit(const cli *c, const struct stmt_opts *o, const stmt_result *r, const stmt_doc *doc,
                const char *title)
{
    if (r->overflow) {
        cli_error("a total of the statements exceeds the 64-bit cent range");
        return EXIT_USAGE;
    }
    outfile of = {.dir_fd = -1};
    char err[PATH_MAX + 256];
    if (o->output &&
        outfile_open(&of, o->output, OUTFILE_MODE_PUBLIC, o->force, err, sizeof err) != GL_OK) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    FILE *f = o->output ? of.f : o->to ? o->to : stdout;
    int rc;
    if (o->html) {
        rc = stmt_render_html(r, doc, f);
    } else {
        if (c->format == OUT_TABLE || c->format == OUT_TABLE_FR)
            fprintf(f, "%s\n", title);
        rc = stmt_render(r, c->format, f);
    }
    int saved = errno; /* of the write that failed, if one did */
    if (rc == 0 && o->output && outfile_commit(&of, err, sizeof err) != GL_OK) {
        cli_error("%s", err);
        rc = 1; /* reported */
    } else if (rc == 0 && !o->output && fflush(f) != 0) {
        saved = errno;
        rc = -1;
    }
    outfile_abort(&of); /* removes the temporary file unless committed */
    if (rc < 0)
        cli_error("cannot write %s: %s", o->output ? o->output : "the statements", strerror(saved));
    return rc ? EXIT_USAGE : 0;
}

static char *format_date(uint32_t ymd, char out[11])
{
    snprintf(out, 11, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000);
    return out;
}

/* ---- one association ---- */

int cli_stmt_tenant_bilan(cli *c, const tenant_info *t, uint16_t fy, stmt_result *r,
                          cli_stmt_rows *now, bool *with_prev)
{
    int rc;
    stmt_result *prev = calloc(1, sizeof *prev);
    rows before = {0};
    *with_prev = false;
    if (!prev)
        return cli_nomem("the statements");
    uint32_t from = gl_fiscal_year_start(fy, t->first_month),
             to = gl_fiscal_year_end(fy, t->first_month);
    char d1[11], d2[11];
    if (!has_entries(t, fy)) {
        cli_error("%s has no entries in fiscal year %u (%s to %s)", t->id, fy,
                  gl_date_format(from, d1), gl_date_format(to, d2));
        rc = EXIT_USAGE;
        goto out;
    }
    if ((rc = cli_stmt_balance(c, t->id, to, now)))
        goto out;
    char name_now[8], name_prev[8];
    snprintf(name_now, sizeof name_now, "%u", fy);
    snprintf(name_prev, sizeof name_prev, "%u", fy - 1u);
    /* the model of year fy; the previous year's column in it too, its
     * accounts reclassified if they were kept in the earlier chart */
    enum stmt_model model = stmt_model_for_start(from);
    stmt_input in = {.model = model,
                     .ncols = 1,
                     .col_names = {name_now},
                     .accounts = now->v,
                     .count = now->count};
    stmt_compute(&in, r);
    *with_prev = has_entries(t, fy - 1u);
    if (*with_prev) {
        if ((rc = cli_stmt_balance(c, t->id, gl_fiscal_year_end((uint16_t)(fy - 1), t->first_month),
                                   &before)))
            goto out;
        stmt_input pin = {.model = model,
                          .ncols = 1,
                          .col_names = {name_prev},
                          .accounts = before.v,
                          .count = before.count};
        pin.map_2018[0] =
            gl_chart_edition(gl_fiscal_year_start((uint16_t)(fy - 1), t->first_month)) < 2025;
        stmt_compute(&pin, prev);
        int appended = stmt_append_column(r, prev, 0, name_prev);
        GL_ASSERT(appended == 0);
    }
    r->gross_detail = true; /* the actif: brut, amortissements et dépréciations, net */
out:
    cli_stmt_rows_free(&before);
    free(prev);
    return rc;
}

static int tenant_statements(cli *c, const struct stmt_opts *o)
{
    int rc;
    tenant_info *t = calloc(1, sizeof *t);
    stmt_result *r = calloc(1, sizeof *r);
    rows now = {0};
    bool with_prev;
    if (!t || !r) {
        rc = cli_nomem("the statements");
        goto out;
    }
    if ((rc = cli_stmt_periods(c, c->tenant, t)))
        goto out;
    uint16_t fy = (uint16_t)o->year;
    uint32_t from = gl_fiscal_year_start(fy, t->first_month),
             to = gl_fiscal_year_end(fy, t->first_month);
    char d1[11], d2[11];
    if ((rc = cli_stmt_tenant_bilan(c, t, fy, r, &now, &with_prev)))
        goto out;
    enum stmt_model model = r->model;
    stmt_doc doc = {.heading = "Comptes annuels",
                    .entity = t->name,
                    .siren = t->siren,
                    .fy = fy,
                    .from = from,
                    .to = to,
                    .printed = cli_today()};
    char titles[2][32], periods[2][40], notes[STMT_DOC_NOTES_MAX][256];
    size_t nn = 0;
    for (unsigned k = 0; k < (with_prev ? 2u : 1u); k++) {
        uint16_t y = (uint16_t)(fy - k);
        char a[11], b[11];
        snprintf(titles[k], sizeof titles[k], "Exercice %u", y);
        snprintf(periods[k], sizeof periods[k], "%s – %s",
                 format_date(gl_fiscal_year_start(y, t->first_month), a),
                 format_date(gl_fiscal_year_end(y, t->first_month), b));
        doc.col_titles[k] = titles[k];
        doc.col_notes[k] = periods[k];
    }
    size_t failed = warn_checks(r, &doc, notes, &nn);
    char title[600];
    snprintf(
        title, sizeof title,
        "Statements (bilan, compte de résultat) — %s, SIREN %s — fiscal year %u, %s to %s, before the "
        "result-closing entry — %u model (%s)",
        t->name, t->siren, fy, gl_date_format(from, d1), gl_date_format(to, d2),
        stmt_model_year(model), stmt_model_name(model));
    if (!is_closed(t, fy))
        mark_provisional(c, o, &doc, title, sizeof title);
    rc = check_status(emit(c, o, r, &doc, title), failed);
out:
    cli_stmt_rows_free(&now);
    free(t);
    free(r);
    return rc;
}

/* ---- the group ---- */

/* Compute the combined statements of g in model m: entities, eliminations,
 * combined.  An entity whose own fiscal year opened before 2025 (t: the
 * entities' periods) is reclassified into the 2025 model, and so are the
 * eliminations then, which remove balances of such entities' accounts. */
static void group_compute(const combined *g, const tenant_info *t, enum stmt_model m,
                          stmt_result *r, const char *combined_name)
{
    stmt_input in = {.model = m, .ncols = g->entities + 3, .accounts = g->r.v, .count = g->r.count};
    for (size_t e = 0; e < g->entities; e++) {
        in.col_names[e] = g->ids[e];
        in.map_2018[e] = gl_chart_edition(gl_fiscal_year_start(g->fy[e], t[e].first_month)) < 2025;
        in.map_2018[g->entities] |= in.map_2018[e];
    }
    in.col_names[g->entities] = "eliminations";
    in.col_kind[g->entities] = STMT_COL_ELIMINATIONS;
    /* the combination ledger's balances, each classified by its own sign */
    in.col_names[g->entities + 1] = "adjustments";
    in.col_kind[g->entities + 1] = STMT_COL_BALANCE;
    in.map_2018[g->entities + 1] = in.map_2018[g->entities];
    in.col_names[g->entities + 2] = combined_name;
    in.col_kind[g->entities + 2] = STMT_COL_SUM;
    in.sum_from[g->entities + 2] = 0;
    stmt_compute(&in, r);
}

static int group_statements(cli *c, const struct stmt_opts *o)
{
    int rc;
    uint16_t fy = (uint16_t)o->year;
    combined *g = calloc(1, sizeof *g), *gp = calloc(1, sizeof *gp);
    tenant_info *t = NULL;
    stmt_result *r = calloc(1, sizeof *r), *prev = calloc(1, sizeof *prev);
    if (!g || !gp || !r || !prev) {
        rc = cli_nomem("the combined statements");
        goto out;
    }
    /* the entities first (the umbrella is the first), then the umbrella's
     * year end, which is the date of the combined accounts */
    uint32_t at = (uint32_t)fy * 10000 + 1231;
    if ((rc = query_group(c, at, g)))
        goto out;
    t = calloc(g->entities, sizeof *t);
    if (!t) {
        rc = cli_nomem("the entities' periods");
        goto out;
    }
    for (size_t e = 0; e < g->entities; e++)
        if ((rc = cli_stmt_periods(c, g->ids[e], &t[e])))
            goto out;
    unsigned first_month = t[0].first_month;
    uint32_t end = gl_fiscal_year_end(fy, first_month),
             from = gl_fiscal_year_start(fy, first_month);
    size_t entities = g->entities;
    if (end != at) {
        cli_stmt_rows_free(&g->r);
        at = end;
        if ((rc = query_group(c, at, g)))
            goto out;
        if (g->entities != entities) {
            cli_error("the group changed while it was read; run again");
            rc = EXIT_REFUSED;
            goto out;
        }
    }
    bool any = false;
    for (size_t e = 0; e < entities; e++)
        any |= has_entries(&t[e], gl_fiscal_year(at, t[e].first_month));
    char d1[11], d2[11];
    if (!any) {
        cli_error("no entity of the group has entries in the fiscal year containing %s",
                  gl_date_format(at, d1));
        rc = EXIT_USAGE;
        goto out;
    }
    enum stmt_model model = stmt_model_for_start(from);
    group_compute(g, t, model, r, "combined");
    /* the previous year's combined column, if any entity has entries then */
    uint32_t at_prev = gl_fiscal_year_end((uint16_t)(fy - 1), first_month);
    bool with_prev = false;
    for (size_t e = 0; e < entities; e++)
        with_prev |= has_entries(&t[e], gl_fiscal_year(at_prev, t[e].first_month));
    char name_prev[32];
    snprintf(name_prev, sizeof name_prev, "combined %u", fy - 1u);
    if (with_prev) {
        if ((rc = query_group(c, at_prev, gp)))
            goto out;
        group_compute(gp, t, model, prev, "combined");
        int appended = stmt_append_column(r, prev, prev->ncols - 1, name_prev);
        GL_ASSERT(appended == 0);
    }

    stmt_doc doc = {.heading = "Comptes combinés",
                    .siren = t[0].siren,
                    .fy = fy,
                    .from = from,
                    .to = end,
                    .printed = cli_today()};
    char entity[300], titles[4][48], col_notes[STMT_COLS_MAX][64], notes[STMT_DOC_NOTES_MAX][256];
    size_t nn = 0, detail_len = 0, detail_cap = 64 + entities * 400;
    char *detail = malloc(detail_cap);
    if (!detail) {
        rc = cli_nomem("the list of entities");
        goto out;
    }
    snprintf(entity, sizeof entity, "Groupe %s (entité combinante) et ses %zu membre(s)", t[0].name,
             entities - 1);
    doc.entity = entity;
    detail_len = (size_t)snprintf(detail, detail_cap, "Entités :");
    for (size_t e = 0; e < entities; e++) {
        char a[11], b[11];
        uint16_t efy = g->fy[e];
        uint32_t efrom = gl_fiscal_year_start(efy, t[e].first_month),
                 eend = gl_fiscal_year_end(efy, t[e].first_month);
        format_date(efrom, a);
        format_date(eend < at ? eend : at, b);
        if (t[e].first_month == first_month)
            snprintf(col_notes[e], sizeof col_notes[e], "ex. %u", efy);
        else
            snprintf(col_notes[e], sizeof col_notes[e], "ex. %u depuis le %s", efy, a);
        doc.col_titles[e] = t[e].code[0] ? t[e].code : t[e].id;
        doc.col_notes[e] = col_notes[e];
        if (detail_len < detail_cap)
            detail_len += (size_t)snprintf(detail + detail_len, detail_cap - detail_len,
                                           "%s %s = %s (SIREN %s)", e ? ";" : "", doc.col_titles[e],
                                           t[e].name, t[e].siren);
        if (t[e].first_month != first_month && nn < STMT_DOC_NOTES_MAX) {
            snprintf(
                notes[nn], sizeof notes[nn],
                "%s clôt ses exercices à une autre date que l'entité combinante : sa colonne couvre son "
                "exercice %u du %s au %s (situation à la date des comptes combinés).",
                t[e].name, efy, a, b);
            doc.notes[doc.note_count++] = notes[nn++];
        }
    }
    snprintf(titles[0], sizeof titles[0], "Éliminations");
    snprintf(titles[1], sizeof titles[1], "Combiné %u", fy);
    snprintf(titles[2], sizeof titles[2], "Combiné %u", fy - 1u);
    snprintf(titles[3], sizeof titles[3], "Ajustements");
    doc.col_titles[entities] = titles[0];
    doc.col_notes[entities] = "opérations réciproques";
    doc.col_titles[entities + 1] = titles[3];
    doc.col_notes[entities + 1] = "retraitements de combinaison";
    doc.col_titles[entities + 2] = titles[1];
    char at_note[32], prev_note[32];
    snprintf(at_note, sizeof at_note, "au %s", format_date(at, d1));
    doc.col_notes[entities + 2] = at_note;
    if (with_prev) {
        doc.col_titles[entities + 3] = titles[2];
        snprintf(prev_note, sizeof prev_note, "au %s", format_date(at_prev, d2));
        doc.col_notes[entities + 3] = prev_note;
    }
    doc.detail = detail;
    if (g->gaps_note[0] && nn < STMT_DOC_NOTES_MAX) {
        snprintf(notes[nn], sizeof notes[nn], "%s", g->gaps_note);
        doc.notes[doc.note_count++] = notes[nn++];
        group_gaps_warn();
    }
    size_t failed = warn_checks(r, &doc, notes, &nn);
    char title[600];
    snprintf(
        title, sizeof title,
        "Combined statements of the group (comptes combinés) — umbrella %s, SIREN %s — fiscal year %u, "
        "as of %s — %u model (%s)",
        t[0].name, t[0].siren, fy, gl_date_format(at, d1), stmt_model_year(model),
        stmt_model_name(model));
    /* provisional while an entity's fiscal year with entries is open */
    bool open_year = false;
    for (size_t e = 0; e < entities; e++) {
        uint16_t efy = gl_fiscal_year(at, t[e].first_month);
        open_year |= has_entries(&t[e], efy) && !is_closed(&t[e], efy);
    }
    if (open_year)
        mark_provisional(c, o, &doc, title, sizeof title);
    rc = check_status(emit(c, o, r, &doc, title), failed);
    free(detail);
out:
    if (g)
        cli_stmt_rows_free(&g->r);
    if (gp)
        cli_stmt_rows_free(&gp->r);
    free(g);
    free(gp);
    free(t);
    free(r);
    free(prev);
    return rc;
}

int cli_statements_html(cli *c, long year, bool group, FILE *f)
{
    struct stmt_opts o = {.year = year, .group = group, .html = true, .to = f};
    return group ? group_statements(c, &o) : tenant_statements(c, &o);
}

int cmd_statements(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR},
                                          {"group", no_argument, NULL, OPT_GROUP},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    struct stmt_opts o = {0};
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return cli_nomem("the arguments");
    int n = take_own_options(argc, argv, args, &o);
    if (n < 0) {
        free(args);
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    cli c;
    char **rest = args;
    int rc = cli_parse(&c, &n, &rest, extra, on_opt, &o, help);
    if (rc == 0 && (n || !o.year)) {
        fputs(help, stderr);
        rc = EXIT_USAGE;
    }
    if (rc == 0 && !o.group)
        rc = cli_need_tenant(&c);
    char err[PATH_MAX + 256];
    if (rc == 0 && o.output && outfile_check(o.output, o.force, err, sizeof err) != GL_OK) {
        cli_error("%s", err); /* before asking the daemon anything */
        rc = EXIT_USAGE;
    }
    if (rc == 0 && (rc = cli_connect(&c)) == 0) {
        rc = o.group ? group_statements(&c, &o) : tenant_statements(&c, &o);
        cli_close(&c);
    }
    free(args);
    return rc < 0 ? 0 : rc;
}
