/*
 * client/web/page_downloads.c — the files an accountant or an auditor
 * takes away, as downloads: the FEC of a fiscal year (GET /fec?year=Y,
 * named as the law names it, SIRENFECYYYYMMDD.txt) and the verification
 * archive of the tenant (GET /archive), the same bytes as `grandlivre fec
 * export` and `grandlivre archive --tenant T` write: the same code writes
 * them (client/cli/cli_files.h), into memory instead of a file.
 *
 * What fails is said on a page that still loads (the command's own
 * message goes to the terminal grandlivre web runs in).
 */
#include "web.h"
#include "web_books.h"
#include "web_form.h"

#include "client/cli/cli_files.h"
#include "client/cli/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool web_download_ready(web_req *r, gl_buf *b, const char *title, uint16_t fy)
{
    web_page_begin(b, r, title, "/periods");
    gl_response resp;
    gl_reply_periods p;
    if (web_periods(r, b, &resp, &p)) {
        web_page_end(b);
        return false;
    }
    bool found = !fy;
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, &p);
    while (!found && gl_reply_periods_next(&it, &row) == 1)
        found = row.fy == fy;
    gl_response_free(&resp);
    if (!found) {
        web_banner(b, _("This fiscal year holds no entries."), true);
        web_page_end(b);
        return false;
    }
    gl_buf_reset(b);
    return true;
}

/* A download that could not be made: a page saying so. */
static int failed(web_req *r, gl_buf *b, const char *title, const char *why)
{
    web_form_refused(r, b, title, why); /* the same page, but a 200: nothing was refused */
    return 200;
}

int page_fec(web_req *r, gl_buf *b)
{
    char text[16], *end;
    if (web_arg(r, "year", text, sizeof text) != WEB_FORM_FOUND)
        text[0] = '\0';
    long year = strtol(text, &end, 10);
    if (!text[0] || *end || year < 1900 || year > 2999)
        return failed(r, b, _("FEC export"),
                      _("Year: a fiscal year such as 2025 (the calendar year it ends in)."));
    if (!web_download_ready(r, b, _("FEC export"), (uint16_t)year))
        return 200;
    char *data = NULL, name[64];
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f)
        return failed(r, b, _("FEC export"), _("Out of memory."));
    cli *c = r->app->c;
    const char *saved = c->tenant;
    c->tenant = r->tenant;
    int rc = cli_fec_export_to(c, (int)year, f, name, sizeof name);
    c->tenant = saved;
    if (fclose(f) != 0 && rc == 0)
        rc = EXIT_NOMEM;
    if (rc == 0) {
        gl_put_bytes(b, data, len);
        r->content_type = "text/plain; charset=iso-8859-15";
        snprintf(r->download, sizeof r->download, "%s", name);
    }
    free(data);
    if (rc)
        return failed(r, b, _("FEC export"),
                      _("The FEC export failed (the daemon's refusal, a year without entries or "
                        "without SIREN): the terminal of grandlivre web says why."));
    return 200;
}

int page_archive(web_req *r, gl_buf *b)
{
    if (!web_download_ready(r, b, _("Verification archive"), 0))
        return 200;
    gl_buf out;
    gl_buf_init(&out);
    cli *c = r->app->c;
    const char *saved = c->tenant;
    c->tenant = r->tenant;
    int rc = cli_archive_to(c, &out);
    c->tenant = saved;
    if (rc == 0 && gl_buf_ok(&out)) {
        gl_put_bytes(b, out.data, out.len);
        r->content_type = "application/octet-stream";
        uint32_t today = cli_today();
        snprintf(r->download, sizeof r->download, "archive-%s-%04u-%02u-%02u.glarchive", r->tenant,
                 today / 10000, today / 100 % 100, today % 100);
    }
    gl_buf_free(&out);
    if (rc)
        return failed(r, b, _("Verification archive"),
                      _("The archive could not be made: the terminal of grandlivre web says why."));
    return 200;
}
