/*
 * client/bank/recon_html.c — the état de rapprochement as the page an
 * auditor prints and files: one self-contained UTF-8 HTML document
 * (inline CSS, no script, nothing fetched), A4 portrait (@page), the
 * same numbers as the table in the same order; amounts the French way
 * with narrow no-break spaces (the statements' stmt_html_money), every
 * text from outside escaped (stmt_html_escape).  A difference that is not
 * 0,00 is shown in red in a box above the numbers and on its own row.
 * Room for the visas of who prepared and who checked it at the end.
 */
#include "recon_render.h"

#include "client/cli/i18n.h"
#include "client/statements/html.h"

#include <string.h>

static const char css[] =
    "@page{size:A4 portrait;margin:14mm 14mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;font-size:9.5pt;"
    "color:#1a1a1a;margin:0 auto;max-width:190mm;padding:8mm 0;line-height:1.3}\n"
    "header{border-bottom:.6mm solid #1f3a5f;margin-bottom:4mm;padding-bottom:3mm}\n"
    "h1{font-size:1.5em;margin:0 0 1.5mm;color:#1f3a5f}\n"
    "h2{font-size:1.15em;margin:5mm 0 1.5mm;color:#1f3a5f;border-bottom:.3mm solid #9fb3c8}\n"
    "h3{font-size:1em;margin:3mm 0 1mm;color:#1f3a5f}\n"
    "p.who{font-size:1.1em;margin:0 0 1mm}p.period{margin:0;color:#444}\n"
    "ul.notes{margin:3mm 0;padding:2mm 3mm 2mm 7mm;background:#fff7e0;border-left:1mm solid #e0a800}\n"
    "li.alert{color:#a01010;font-weight:bold}\n"
    "table{width:100%;border-collapse:collapse;margin:0 0 2mm}\n"
    "th,td{padding:.8mm 1.6mm;text-align:left;vertical-align:top}\n"
    "thead th{background:#e8edf3;color:#1f3a5f;font-size:.92em}\n"
    "td.d{width:22mm;white-space:nowrap}td.r{width:34mm}\n"
    "td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;width:32mm}\n"
    "tbody tr td{border-bottom:.2mm solid #e4e8ee}\n"
    "tr.total td{font-weight:bold;border-top:.3mm solid #555;background:#f2f5f9}\n"
    "td.none{color:#666;font-style:italic}\n"
    "table.sums td{border-bottom:.2mm solid #e4e8ee}\n"
    "table.sums tr.major td{font-weight:bold;border-top:.5mm solid #1f3a5f;background:#dfe7f1}\n"
    "table.sums tr.ok td{font-weight:bold;color:#13632b}\n"
    "table.sums tr.alert td{font-weight:bold;color:#fff;background:#b01c1c}\n"
    "div.visas{display:flex;gap:8mm;margin-top:8mm}\n"
    "div.visas div{flex:1;border:.3mm solid #9fb3c8;height:24mm;padding:1.5mm;color:#555}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}\n"
    "@media print{body{padding:0;max-width:none}}\n";

typedef struct html_ctx {
    FILE *f;
    const gl_recon_report *r;
    size_t rows;
} html_ctx;

static void esc_str(FILE *f, gl_str s)
{
    char buf[GL_LABEL_MAX + 1];
    stmt_html_escape(f, recon_cstr(s, buf, sizeof buf));
}

static void money_cell(FILE *f, int64_t cents)
{
    char m[STMT_HTML_MONEY_MAX];
    fprintf(f, "<td class=\"n\">%s</td>", stmt_html_money(cents, m));
}

static void h_start(void *ctx, const gl_recon_report *r, const recon_totals *t)
{
    html_ctx *c = ctx;
    FILE *f = c->f;
    char line[320];
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
            i18n_french() ? "fr" : "en");
    stmt_html_escape(f, recon_title());
    fputs(" — ", f);
    esc_str(f, r->account);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    stmt_html_escape(f, recon_title());
    fputs("</h1>\n<p class=\"who\">", f);
    recon_subtitle(r, line, sizeof line);
    stmt_html_escape(f, line);
    fputs("</p>\n<p class=\"period\">", f);
    recon_period(r, line, sizeof line);
    stmt_html_escape(f, line);
    fputs("</p>\n</header>\n", f);
    recon_note notes[RECON_NOTES_MAX];
    size_t n = recon_notes(r, t, notes);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? "" : "<ul class=\"notes\">\n", f);
        fputs(notes[i].alert ? "<li class=\"alert\">" : "<li>", f);
        stmt_html_escape(f, notes[i].text);
        fputs(i + 1 == n ? "</li>\n</ul>\n" : "</li>\n", f);
    }
}

static void h_sum(void *ctx, recon_sum which, int64_t cents)
{
    html_ctx *c = ctx;
    FILE *f = c->f;
    char label[200];
    recon_sum_label(c->r, which, label, sizeof label);
    if (which == RECON_SUM_RECAP_STATEMENT) {
        fputs("<h2>", f);
        stmt_html_escape(f, _("Reconciliation"));
        fputs("</h2>\n", f);
    }
    if (which == RECON_SUM_STATEMENT || which == RECON_SUM_RECAP_STATEMENT)
        fputs("<table class=\"sums\">\n", f);
    const char *cls = which == RECON_SUM_RECONCILED || which == RECON_SUM_BOOKS ? " class=\"major\""
                      : which != RECON_SUM_DIFFERENCE                           ? ""
                      : cents                                                   ? " class=\"alert\""
                                                                                : " class=\"ok\"";
    fprintf(f, "<tr%s><td>%s", cls, recon_sum_op(which));
    stmt_html_escape(f, label);
    if (which == RECON_SUM_DIFFERENCE) {
        fputs(" — ", f);
        stmt_html_escape(f, recon_difference_word(cents));
    }
    fputs("</td>", f);
    money_cell(f, cents);
    fputs("</tr>\n", f);
    if (which == RECON_SUM_STATEMENT || which == RECON_SUM_DIFFERENCE)
        fputs("</table>\n", f);
}

static void h_section(void *ctx, recon_section s)
{
    html_ctx *c = ctx;
    FILE *f = c->f;
    if (s != RECON_DEBITS) {
        fputs("<h2>", f);
        stmt_html_escape(f, s == RECON_CREDITS ? recon_books_title() : recon_section_title(s));
        fputs("</h2>\n", f);
    }
    if (s != RECON_BANK_ONLY) {
        fputs("<h3>", f);
        stmt_html_escape(f, recon_section_title(s));
        fputs("</h3>\n", f);
    }
    const char *cols[4];
    recon_columns(s != RECON_BANK_ONLY, cols);
    fputs("<table>\n<thead><tr>", f);
    for (int i = 0; i < 4; i++) {
        fputs(i == 3 ? "<th class=\"n\">" : "<th>", f);
        stmt_html_escape(f, cols[i]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    c->rows = 0;
}

static void h_row(void *ctx, recon_section s, const recon_row *row)
{
    (void)s;
    html_ctx *c = ctx;
    FILE *f = c->f;
    char d[11];
    fprintf(f, "<tr><td class=\"d\">%s</td><td class=\"r\">", i18n_date(row->date, d));
    esc_str(f, row->ref);
    fputs("</td><td>", f);
    esc_str(f, row->label);
    fputs("</td>", f);
    money_cell(f, row->amount_cents);
    fputs("</tr>\n", f);
    c->rows++;
}

static void h_total(void *ctx, recon_section s, int64_t cents)
{
    (void)s;
    html_ctx *c = ctx;
    FILE *f = c->f;
    if (!c->rows) {
        fputs("<tr><td class=\"none\" colspan=\"4\">", f);
        stmt_html_escape(f, recon_none());
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n<tfoot><tr class=\"total\"><td colspan=\"3\">", f);
    stmt_html_escape(f, recon_total_label());
    fputs("</td>", f);
    money_cell(f, cents);
    fputs("</tr></tfoot>\n</table>\n", f);
}

bool recon_render_html(const gl_recon_report *r, FILE *f)
{
    html_ctx c = {f, r, 0};
    recon_walker w = {&c, h_start, h_sum, h_section, h_row, h_total};
    if (!recon_walk(r, &w))
        return false;
    fputs("<div class=\"visas\"><div>", f);
    stmt_html_escape(f, _("Prepared by (name, date, signature)"));
    fputs("</div><div>", f);
    stmt_html_escape(f, _("Checked by (name, date, signature)"));
    fputs("</div></div>\n</body>\n</html>\n", f);
    return !ferror(f);
}
