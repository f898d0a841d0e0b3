/*
 * client/web/page_statements.c — États: the annual accounts (bilan,
 * compte de résultat, contributions en nature) of the tenant or of the
 * group for a fiscal year, as `grandlivre statements --format html`
 * writes them.
 *
 * That page is self-contained and printable: its CSS is inline, which the
 * site's Content-Security-Policy forbids on its own pages.  So it is
 * served as a download (GET /statements/file?year=Y[&group=1]), the same
 * bytes as the command writes, to open in the browser and print; this
 * page holds the form that asks for it.
 */
#include "web.h"
#include "web_util.h"
#include "web_books.h"
#include "web_form.h"

#include "client/cli/cli_files.h"
#include "client/cli/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool year_of(web_req *r, long *year)
{
    char text[16], *end;
    if (web_arg(r, "year", text, sizeof text) != WEB_FORM_FOUND)
        return false;
    *year = strtol(text, &end, 10);
    return !*end && *year >= 1901 && *year <= 2999;
}

static void form(gl_buf *b, const web_req *r, long year)
{
    web_filters_begin(b, r, "/statements/file");
    web_raw(b, "<label>");
    web_esc(b, _("Fiscal year"));
    web_markf(b, " <input name=\"year\" size=\"6\" inputmode=\"numeric\" value=\"%ld\">", year);
    web_raw(b, "</label><label><span><input type=\"checkbox\" name=\"group\" value=\"1\">");
    web_esc(b, _("the group's combined accounts"));
    web_raw(b, "</span></label><button>");
    web_esc(b, _("Download the statements"));
    web_raw(b, "</button></form>\n");
}

/* A link to each fiscal year's statements, the tenant's and the group's. */
static void years(web_req *r, gl_buf *b)
{
    gl_response resp;
    gl_reply_periods p;
    if (!r->tenant[0] || web_periods(r, b, &resp, &p))
        return;
    web_raw(b, "<h2>");
    web_esc(b, _("Fiscal years"));
    web_raw(b, "</h2><ul class=\"plan\">");
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, &p);
    while (gl_reply_periods_next(&it, &row) == 1) {
        web_markf(b, "<li><a href=\"/statements/file?year=%u", row.fy);
        web_tenant_arg(b, r, "&amp;");
        web_raw(b, "\">");
        web_escf(b, _("Statements %u"), row.fy);
        web_raw(b, "</a>");
        if (!row.closed) {
            web_raw(b, " (");
            web_esc(b, _("provisional: the year is not closed"));
            web_raw(b, ")");
        }
        web_markf(b, " · <a href=\"/statements/file?year=%u&amp;group=1", row.fy);
        web_tenant_arg(b, r, "&amp;");
        web_raw(b, "\">");
        web_esc(b, _("the group's combined accounts"));
        web_raw(b, "</a></li>");
    }
    web_raw(b, "</ul>\n");
    gl_response_free(&resp);
}

int page_statements(web_req *r, gl_buf *b)
{
    long year;
    if (!year_of(r, &year))
        year = (long)(cli_today() / 10000) - 1; /* last year's accounts, the usual ones */
    web_page_begin(b, r, _("Statements"), "/statements");
    web_raw(b, "<p>");
    web_esc(b, _("The balance sheet (bilan), the income statement (compte de résultat) and the "
                 "contributions in kind, in the associations' models, with the previous year's "
                 "column: one printable page (HTML) to open in the browser and print. A year not "
                 "closed gives provisional statements."));
    web_raw(b, "</p>\n");
    form(b, r, year);
    years(r, b);
    web_page_end(b);
    return 200;
}

int page_statements_file(web_req *r, gl_buf *b)
{
    long year;
    char group_text[4] = "";
    bool ok = year_of(r, &year);
    bool group = web_arg(r, "group", group_text, sizeof group_text) == WEB_FORM_FOUND &&
                 group_text[0] == '1';
    const char *why = NULL;
    if (!ok)
        why = _("Year: a fiscal year such as 2025 (the calendar year it ends in).");
    else if (!group && !r->tenant[0])
        why = _("No tenant: give one in the Tenant field above.");
    char *data = NULL;
    size_t len = 0;
    int rc = 0;
    if (!why && !group && !web_download_ready(r, b, _("Statements"), (uint16_t)year))
        return 200;
    if (!why) {
        FILE *f = open_memstream(&data, &len);
        if (!f)
            why = _("Out of memory.");
        else {
            cli *c = r->app->c;
            const char *saved = c->tenant;
            c->tenant = r->tenant;
            rc = cli_statements_html(c, year, group, f);
            c->tenant = saved;
            if (fclose(f) != 0 && rc == 0)
                rc = EXIT_NOMEM;
        }
    }
    /* EXIT_CHECK: written, a check failed: the page says which, in red */
    if (!why && (rc == 0 || rc == EXIT_CHECK)) {
        gl_put_bytes(b, data, len);
        r->content_type = "text/html; charset=utf-8";
        snprintf(r->download, sizeof r->download, "etats-%s-%ld.html", group ? "groupe" : r->tenant,
                 year);
        free(data);
        return 200;
    }
    free(data);
    web_page_begin(b, r, _("Statements"), "/statements");
    web_banner(b,
               why ? why
                   : _("The statements could not be made (the daemon's refusal, or a year without "
                       "entries): the terminal of grandlivre web says why."),
               true);
    form(b, r, ok ? year : (long)(cli_today() / 10000) - 1);
    web_page_end(b);
    return 200;
}
