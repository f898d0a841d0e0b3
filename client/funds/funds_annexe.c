/*
 * client/funds/funds_annexe.c — the fonds dédiés as people and programs
 * read them: the per-grant table (every figure of the computation and the
 * annexe's columns; totals for people), the proposed entries as ledger
 * rows, and the annexe "tableau de variation des fonds dédiés" as one
 * self-contained HTML page that prints on A4 (the statements' look,
 * client/statements/html.c; French amounts).  Column names are the
 * English msgids output.c translates; the page's words come from the
 * caller (fd_doc), already translated.
 */
#include "funds_annexe.h"

#include "client/statements/html.h"

#include <stdio.h>
#include <string.h>

static const char *state_of(const fd_result *r)
{
    if (!r->booked)
        return "proposed";
    return r->differs ? "booked, differs" : "booked";
}

static void grant_row(out_table *t, const fd_result *r)
{
    const fd_grant *g = r->grant;
    out_cstr(t, g->code);
    out_cstr(t, g->label);
    out_cstr(t, g->funder);
    out_cstr(t, g->action);
    out_cstr(t, g->account);
    out_money(t, r->granted_cents);
    out_money(t, r->charges_cents);
    out_money(t, r->used_new_cents);
    out_money(t, r->opening_cents);
    out_money(t, fd_annexe_reports(r));
    out_money(t, fd_annexe_uses(r));
    out_money(t, r->transfers_cents);
    out_money(t, fd_annexe_closing(r));
    out_cstr(t, state_of(r));
}

out_table *fd_table(const fd_result *r, size_t n, const fd_totals *totals, bool people)
{
    static const out_col cols[] = {
        {"grant", OUT_REF},        {"label", OUT_TEXT},         {"funder", OUT_REF},
        {"action", OUT_REF},       {"account", OUT_REF},        {"granted", OUT_MONEY},
        {"charges", OUT_MONEY},    {"used_of_year", OUT_MONEY}, {"at_opening", OUT_MONEY},
        {"reports", OUT_MONEY},    {"uses", OUT_MONEY},         {"transfers", OUT_MONEY},
        {"at_closing", OUT_MONEY}, {"state", OUT_TEXT}};
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < n; i++)
        grant_row(t, &r[i]);
    if (t && people && n) {
        out_cstr(t, "TOTAL");
        for (size_t k = 0; k < 4; k++)
            out_cstr(t, "");
        out_money(t, totals->granted_cents);
        out_money(t, totals->charges_cents);
        out_money(t, totals->used_new_cents);
        out_money(t, totals->opening_cents);
        out_money(t, totals->reports_cents);
        out_money(t, totals->uses_cents);
        out_money(t, totals->transfers_cents);
        out_money(t, totals->closing_cents);
        out_cstr(t, "");
    }
    if (t && people) {
        out_hide_in_table(t, 1); /* the label: the grant's code says it */
        out_hide_in_table(t, 4);
        out_hide_in_table(t, 13); /* the state: said under the table */
    }
    return t;
}

out_table *fd_entries_table(const fd_entry *e, size_t n)
{
    static const out_col cols[] = {
        {"date", OUT_DATE},  {"journal", OUT_REF}, {"piece", OUT_REF},    {"account", OUT_REF},
        {"label", OUT_TEXT}, {"debit", OUT_MONEY}, {"credit", OUT_MONEY}, {"codes", OUT_REF}};
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < n; i++)
        for (int side = 0; side < 2; side++) {
            char codes[2 * GL_AN_CODE_MAX + 32];
            snprintf(codes, sizeof codes, "action=%s;financeur=%s", e[i].result->grant->action,
                     e[i].result->grant->funder);
            out_date(t, e[i].date);
            out_cstr(t, FD_JOURNAL);
            out_cstr(t, e[i].piece);
            out_cstr(t, side ? e[i].credit_account : e[i].debit_account);
            out_cstr(t, e[i].label);
            out_money(t, side ? 0 : e[i].amount_cents);
            out_money(t, side ? e[i].amount_cents : 0);
            out_cstr(t, codes);
        }
    return t;
}

/* ---- the HTML page ---- */

static const char css[] =
    "@page{size:A4 portrait;margin:14mm 12mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;font-size:9.5pt;"
    "color:#1a1a1a;margin:0 auto;max-width:186mm;padding:8mm 0;line-height:1.3}\n"
    "header{border-bottom:.6mm solid #1f3a5f;margin-bottom:5mm;padding-bottom:3mm}\n"
    "h1{font-size:1.45em;margin:0 0 1.5mm;color:#1f3a5f}\n"
    "h2{font-size:1.15em;margin:6mm 0 2mm;color:#1f3a5f;border-bottom:.3mm solid #9fb3c8;"
    "padding-bottom:1mm}\n"
    ".who{font-size:1.15em;margin:0 0 1mm}\n"
    ".period{margin:0;color:#444}\n"
    "table.fd{width:100%;border-collapse:collapse;margin:0 0 4mm}\n"
    "table.fd th,table.fd td{padding:.9mm 1.4mm;vertical-align:bottom}\n"
    "table.fd thead th{background:#1f3a5f;color:#fff;font-weight:bold;text-align:right;"
    "font-size:.9em}\n"
    "table.fd thead th.l{text-align:left;width:34%}\n"
    "table.fd td.l .sub{display:block;font-size:.85em;color:#555}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tr.item td{border-bottom:.2mm solid #e4e8ee}\n"
    "tr.total td{font-weight:bold;border-top:.5mm solid #1f3a5f;border-bottom:.5mm solid #1f3a5f;"
    "background:#dfe7f1}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "ul.notes{margin:3mm 0 0;padding:2mm 3mm 2mm 7mm;background:#fff7e0;"
    "border-left:1mm solid #e0a800}\n"
    "p.method{font-size:.88em;color:#333;margin:1.5mm 0}\n"
    "footer{margin-top:6mm;border-top:.3mm solid #9fb3c8;padding-top:2mm;font-size:.85em;"
    "color:#555}\n"
    "@media print{body{padding:0;max-width:none}}\n";

static void put_date(FILE *f, uint32_t ymd)
{
    fprintf(f, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000);
}

static void cell_money(FILE *f, int64_t cents)
{
    char m[STMT_HTML_MONEY_MAX];
    fprintf(f, "<td class=\"n\">%s</td>", stmt_html_money(cents, m));
}

static void put_amounts(FILE *f, int64_t opening, int64_t reports, int64_t uses, int64_t transfers,
                        int64_t closing)
{
    cell_money(f, opening);
    cell_money(f, reports);
    cell_money(f, uses);
    cell_money(f, transfers);
    cell_money(f, closing);
}

static void put_table(FILE *f, const fd_result *r, size_t n, const fd_totals *t, const fd_doc *doc)
{
    fputs("<table class=\"fd\"><thead><tr><th class=\"l\">", f);
    stmt_html_escape(f, doc->col_grant);
    fputs("</th>", f);
    for (size_t k = 0; k < 5; k++) {
        fputs("<th>", f);
        stmt_html_escape(f, doc->col_amounts[k]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < n; i++) {
        const fd_grant *g = r[i].grant;
        fputs("<tr class=\"item\"><td class=\"l\">", f);
        stmt_html_escape(f, g->code);
        fputs(" — ", f);
        stmt_html_escape(f, g->label);
        fputs("<span class=\"sub\">", f);
        stmt_html_escape(f, doc->funder_word);
        fputs(" ", f);
        stmt_html_escape(f, g->funder);
        fputs(" · ", f);
        stmt_html_escape(f, doc->action_word);
        fputs(" ", f);
        stmt_html_escape(f, g->action);
        fputs("</span></td>", f);
        put_amounts(f, r[i].opening_cents, fd_annexe_reports(&r[i]), fd_annexe_uses(&r[i]),
                    r[i].transfers_cents, fd_annexe_closing(&r[i]));
        fputs("</tr>\n", f);
    }
    fputs("<tr class=\"total\"><td class=\"l\">", f);
    stmt_html_escape(f, doc->total_word);
    fputs("</td>", f);
    put_amounts(f, t->opening_cents, t->reports_cents, t->uses_cents, t->transfers_cents,
                t->closing_cents);
    fputs("</tr>\n</tbody></table>\n", f);
}

int fd_render_html(const fd_result *r, size_t n, const fd_totals *t, const fd_doc *doc, FILE *f)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n<title>",
            doc->lang);
    stmt_html_escape(f, doc->title);
    fputs(" — ", f);
    stmt_html_escape(f, doc->entity);
    fprintf(f, " — %u</title>\n<style>\n%s</style></head><body>\n<header><h1>", (unsigned)doc->fy,
            css);
    stmt_html_escape(f, doc->title);
    fputs("</h1><p class=\"who\">", f);
    stmt_html_escape(f, doc->entity);
    fputs("</p><p class=\"period\">", f);
    stmt_html_escape(f, doc->period_word);
    fprintf(f, " %u, ", (unsigned)doc->fy);
    put_date(f, doc->from);
    fputs(" – ", f);
    put_date(f, doc->to);
    fputs("</p>", f);
    if (doc->note_count) {
        fputs("<ul class=\"notes\">", f);
        for (size_t k = 0; k < doc->note_count; k++) {
            fputs("<li>", f);
            stmt_html_escape(f, doc->notes[k]);
            fputs("</li>", f);
        }
        fputs("</ul>", f);
    }
    fputs("</header>\n<h2>", f);
    stmt_html_escape(f, doc->subtitle);
    fputs("</h2>\n", f);
    put_table(f, r, n, t, doc);
    for (size_t k = 0; k < FD_DOC_METHOD_MAX && doc->method[k]; k++) {
        fputs("<p class=\"method\">", f);
        stmt_html_escape(f, doc->method[k]);
        fputs("</p>\n", f);
    }
    fputs("<footer>", f);
    stmt_html_escape(f, doc->footer);
    if (doc->printed) {
        fputs(" — ", f);
        put_date(f, doc->printed);
    }
    fputs("</footer>\n</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
