/*
 * client/cli/funders_cli.c — what the funders' reports share in the CLI
 * (funders_cli.h).
 */
#include "funders_cli.h"

#include "i18n.h"
#include "outfile.h"

#include "client/statements/html.h"

#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

static int on_opt(int opt, const char *arg, void *user)
{
    fr_opts *o = user;
    switch (opt) {
    case FR_GRANT: o->grant = arg; return 0;
    case FR_FROM: o->from = arg; return 0;
    case FR_TO: o->to = arg; return 0;
    case FR_YEAR: o->year = arg; return 0;
    case FR_OUTPUT: o->output = arg; return 0;
    case FR_FORCE: o->force = true; return 0;
    default: return EXIT_USAGE;
    }
}

int fr_main(int argc, char **argv, const struct option *extra, const char *help,
            int (*run)(cli *c, const fr_opts *o))
{
    fr_opts o = {0};
    cli c;
    cli_short_output_option(argc, argv);
    argc = cli_take_html(argc, argv, &o.html);
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 0 || !o.grant) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    rc = run(&c, &o);
    cli_close(&c);
    return rc;
}

int fr_grant_get(cli *c, gl_an_call *k, const char *code, gl_grant_info *g)
{
    char up[GL_GRANT_CODE_MAX + 2];
    if (!an_upper(code, up, sizeof up)) {
        cli_error(_("--grant %s: not a grant code"), code);
        return EXIT_USAGE;
    }
    gl_grant_list l;
    int rc = an_report(c, k, gl_grants_get(k, &l));
    if (rc)
        return rc;
    const gl_grant_info *x = gl_grant_list_find(&l, up);
    if (x)
        *g = *x;
    else {
        cli_error(_("%s: no grant %s (grandlivre grants list)"), c->tenant, up);
        rc = EXIT_USAGE;
    }
    gl_grant_list_free(&l);
    return rc;
}

static void copy(char *dst, size_t cap, gl_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

typedef struct collect {
    fr_lines *charges, *products;
    fr_fshares *shares;
    const char *funder; /* collecting shares of this funder */
    int st;
} collect;

static int on_action_row(void *user, const gl_an_ledger_row *r)
{
    collect *c = user;
    char first = r->account.len ? r->account.ptr[0] : '\0';
    if (first != '6' && first != '7')
        return 0;
    fr_line x = {.fy = r->fy, .num = r->num, .line = r->line, .date = r->date};
    copy(x.journal, sizeof x.journal, r->journal);
    copy(x.piece, sizeof x.piece, r->piece_ref);
    copy(x.account, sizeof x.account, r->account);
    copy(x.label, sizeof x.label, r->label);
    x.amount_cents = first == '6' ? r->amount_cents : -r->amount_cents;
    c->st = fr_lines_add(first == '6' ? c->charges : c->products, &x);
    return c->st != GL_OK;
}

static int on_funder_row(void *user, const gl_an_ledger_row *r)
{
    collect *c = user;
    if (!r->account.len || r->account.ptr[0] != '7')
        return 0;
    fr_fshare x = {r->fy, r->num, r->line, "", r->amount_cents};
    snprintf(x.funder, sizeof x.funder, "%s", c->funder);
    c->st = fr_fshares_add(c->shares, &x);
    return c->st != GL_OK;
}

static int ledger(cli *c, gl_an_call *k, const char *axis, const char *code, uint32_t from,
                  uint32_t to, gl_an_ledger_fn fn, collect *col)
{
    gl_an_ledger_q q = {
        .axis = {axis, strlen(axis)}, .code = {code, strlen(code)}, .from = from, .to = to};
    int st = gl_an_ledger_each(k, &q, fn, col);
    if (col->st != GL_OK)
        return fr_compute_failed(col->st, "the analytic ledger");
    return an_report(c, k, st);
}

/* Every funder's shares of class 7 lines from..to. */
static int funder_shares(cli *c, gl_an_call *k, uint32_t from, uint32_t to, fr_fshares *s)
{
    gl_an_axes axes;
    int rc = an_report(c, k, gl_an_axes_get(k, &axes));
    if (rc)
        return rc;
    const gl_an_axis_info *x = gl_an_axes_find(&axes, "financeur");
    collect col = {.shares = s, .st = GL_OK};
    for (size_t i = 0; x && rc == 0 && i < x->ncodes; i++) {
        col.funder = x->codes[i].code;
        rc = ledger(c, k, "financeur", x->codes[i].code, from, to, on_funder_row, &col);
    }
    gl_an_axes_free(&axes);
    fr_fshares_sort(s);
    return rc;
}

/* The entry's label into label (cap bytes), by ENTRY_GET; 0 or an exit
 * code. */
static int entry_label(cli *c, uint16_t fy, uint32_t num, char *label, size_t cap)
{
    gl_buf q;
    gl_buf_init(&q);
    gl_entry_ref_encode(&q, &(gl_entry_ref){fy, num});
    gl_response resp = {0};
    int rc = gl_buf_ok(&q) ? cli_call(c, GL_KIND_ENTRY_GET, c->tenant, q.data, q.len, &resp)
                           : cli_nomem("the request");
    gl_reply_entry_get r;
    if (rc == 0 &&
        gl_reply_entry_get_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) != GL_OK)
        rc = fr_compute_failed(GL_ERR_BAD_REPLY, "ENTRY_GET");
    if (rc == 0)
        copy(label, cap, r.entry.label);
    gl_response_free(&resp);
    gl_buf_free(&q);
    return rc;
}

/* A line without a label of its own shows its entry's (one ENTRY_GET per
 * entry: the lines of an entry follow each other in the ledger). */
static int fill_labels(cli *c, fr_lines *l)
{
    char label[GL_LABEL_MAX + 1] = "";
    uint16_t fy = 0;
    uint32_t num = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        fr_line *x = &l->v[i];
        if (x->label[0])
            continue;
        if (x->fy != fy || x->num != num) {
            rc = entry_label(c, x->fy, x->num, label, sizeof label);
            fy = x->fy;
            num = x->num;
        }
        memcpy(x->label, label, sizeof x->label);
    }
    return rc;
}

int fr_action_lines(cli *c, gl_an_call *k, const char *action, uint32_t from, uint32_t to,
                    fr_lines *charges, fr_lines *products)
{
    fr_lines raw = {0};
    fr_fshares shares = {0};
    collect col = {.charges = charges, .products = &raw, .st = GL_OK};
    int rc = ledger(c, k, "action", action, from, to, on_action_row, &col);
    if (rc == 0)
        rc = fill_labels(c, charges);
    if (rc == 0)
        rc = fill_labels(c, &raw);
    if (rc == 0 && raw.n)
        rc = funder_shares(c, k, from, to, &shares);
    int st = rc == 0 ? fr_split_by_funder(&raw, &shares, products) : GL_OK;
    if (st != GL_OK)
        rc = fr_compute_failed(st, "the funders");
    fr_lines_free(&raw);
    fr_fshares_free(&shares);
    return rc;
}

int fr_compute_failed(int st, const char *what)
{
    if (st == GL_ERR_NOMEM)
        return cli_nomem(what);
    cli_error("error %d %s: %s", st, gl_status_name(st), what);
    return EXIT_REFUSED;
}

static const char css[] =
    "@page{size:A4 portrait;margin:14mm 14mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;font-size:9pt;"
    "color:#1a1a1a;margin:0 auto;max-width:190mm;padding:8mm 0;line-height:1.3}\n"
    "h1{font-size:1.45em;margin:0 0 1.5mm;color:#1f3a5f}\n"
    "h2{font-size:1.1em;margin:5mm 0 1.5mm;color:#1f3a5f;border-bottom:.3mm solid #9fb3c8}\n"
    "p{margin:1mm 0}\n"
    "table{border-collapse:collapse;width:100%;margin:1mm 0 3mm}\n"
    "th,td{border-bottom:.2mm solid #c8d3df;padding:.8mm 1.5mm;vertical-align:top}\n"
    "th{background:#eef3f8;text-align:left;font-weight:600}\n"
    "td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tr.t td{font-weight:700;border-top:.4mm solid #1f3a5f}\n"
    "tr.s td{color:#444;font-size:.95em}\n"
    "tr{break-inside:avoid}\n"
    ".note{color:#444;font-size:.9em}\n"
    ".visa{margin-top:10mm;display:flex;gap:20mm}\n"
    ".visa div{flex:1;border-top:.2mm solid #999;padding-top:1mm;min-height:18mm}\n"
    "@media print{body{padding:0;max-width:none}}\n";

void fr_html_begin(FILE *f, const char *title)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
            i18n_french() ? "fr" : "en");
    stmt_html_escape(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    stmt_html_escape(f, title);
    fputs("</h1>\n", f);
}

void fr_html_end(FILE *f)
{
    fprintf(f, "<div class=\"visa\"><div>%s</div><div>%s</div></div>\n</body>\n</html>\n",
            _("Prepared by (name, date, signature)"), _("Certified by (name, date, signature)"));
}

void fr_html_row(FILE *f, const char *const *cells, const bool *num, size_t n, const char *cls,
                 bool head)
{
    const char *tag = head ? "th" : "td";
    fputs(cls ? "<tr class=\"" : "<tr", f);
    if (cls)
        fprintf(f, "%s\"", cls);
    fputc('>', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "<%s%s>", tag, num && num[i] ? " class=\"n\"" : "");
        stmt_html_escape(f, cells[i]);
        fprintf(f, "</%s>", tag);
    }
    fputs("</tr>\n", f);
}

int fr_html_write(const char *path, bool force, void (*fn)(FILE *f, const void *user),
                  const void *user)
{
    if (!path || !strcmp(path, "-")) {
        fn(stdout, user);
        return fflush(stdout) ? EXIT_USAGE : 0;
    }
    outfile o;
    char err[512];
    if (outfile_open(&o, path, OUTFILE_MODE_PUBLIC, force, err, sizeof err)) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    fn(o.f, user);
    if (outfile_commit(&o, err, sizeof err)) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, _("grandlivre: written %s\n"), path);
    return 0;
}

char *fr_ratio_text(bool has, int64_t tenths, char out[32])
{
    if (!has) {
        out[0] = '\0';
        return out;
    }
    int64_t mag = tenths < 0 ? -tenths : tenths;
    snprintf(out, 32, "%s%lld%s%lld %%", tenths < 0 ? "-" : "", (long long)(mag / 10),
             i18n_french() ? "," : ".", (long long)(mag % 10));
    return out;
}
