/*
 * client/web/web_filters.c — the search form (web_filters.h).
 */
#include "web_filters.h"
#include "web_util.h"
#include "web_form.h"

#include "client/cli/date_range.h"
#include "client/cli/i18n.h"
#include "proto/money.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void upper(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

/* The field at fault, remembered for a form that shows it next to the
 * field (Recherche), and the banner the other pages show. */
static bool bad(web_filters *f, gl_buf *b, const char *name, const char *text)
{
    f->bad_field = name;
    snprintf(f->bad_text, sizeof f->bad_text, "%s", text);
    web_banner(b, text, true);
    return false;
}

/* One field into its buffer: absent leaves it "", too long or bad is false. */
static bool field(web_req *r, web_filters *f, const char *name, char *out, size_t cap, gl_buf *b)
{
    out[0] = '\0';
    if (web_arg(r, name, out, cap) != WEB_FORM_BAD)
        return true;
    out[0] = '\0';
    char text[160];
    snprintf(text, sizeof text, _("The field %s is too long or not text."), name);
    bad(f, b, name, text);
    snprintf(f->bad_text, sizeof f->bad_text, "%s", _("Too long, or not text."));
    return false;
}

static bool read_dates(web_filters *f, gl_buf *b)
{
    uint32_t today = cli_today(), first, last;
    (void)first, (void)last;
    char err[200];
    f->from_ymd = today / 10000 * 10000 + 101;
    f->to_ymd = today / 10000 * 10000 + 1231;
    if (f->from[0] && date_span(f->from, &f->from_ymd, &last, err, sizeof err))
        return bad(f, b, "from", err);
    if (f->to[0] && date_span(f->to, &first, &f->to_ymd, err, sizeof err))
        return bad(f, b, "to", err);
    if (f->from_ymd > f->to_ymd)
        return bad(f, b, "to", _("The start date is after the end date."));
    return true;
}

bool web_filters_read(web_req *r, web_filters *f, gl_buf *b, bool account_filter)
{
    memset(f, 0, sizeof *f);
    if (!field(r, f, "from", f->from, sizeof f->from, b) ||
        !field(r, f, "to", f->to, sizeof f->to, b) ||
        !field(r, f, "text", f->text, sizeof f->text, b) ||
        !field(r, f, "account", f->account, sizeof f->account, b) ||
        !field(r, f, "aux", f->aux, sizeof f->aux, b) ||
        !field(r, f, "amount", f->amount, sizeof f->amount, b) ||
        !field(r, f, "journal", f->journal, sizeof f->journal, b) || !read_dates(f, b))
        return false;
    gl_filter *g = &f->filter;
    upper(f->account);
    upper(f->journal);
    if (account_filter && f->account[0]) {
        g->account = (gl_str){f->account, strlen(f->account)};
        if (!gl_account_valid(g->account))
            return bad(f, b, "account",
                       _("Account: an account or its first digits (0-9 A-Z, from a class 1-9)."));
        g->fields |= GL_FILTER_ACCOUNT;
    }
    if (f->aux[0]) {
        g->aux = (gl_str){f->aux, strlen(f->aux)};
        g->fields |= GL_FILTER_AUX;
    }
    if (f->text[0]) {
        g->text = (gl_str){f->text, strlen(f->text)};
        g->fields |= GL_FILTER_TEXT;
    }
    if (f->journal[0]) {
        g->journal = (gl_str){f->journal, strlen(f->journal)};
        if (!gl_journal_valid(g->journal))
            return bad(f, b, "journal", _("Journal: a journal code (A-Z 0-9)."));
        g->fields |= GL_FILTER_JOURNAL;
    }
    if (f->amount[0]) {
        if (!gl_money_parse(f->amount, strlen(f->amount), &g->amount) || g->amount <= 0 ||
            g->amount > GL_FILTER_AMOUNT_MAX)
            return bad(f, b, "amount",
                       _("Amount: a positive amount, at most two decimals after ',' or '.'."));
        g->fields |= GL_FILTER_AMOUNT;
    }
    return true;
}

static void input(gl_buf *b, const char *label, const char *name, const char *value,
                  const char *type, const char *size)
{
    web_raw(b, "<label>");
    web_esc(b, label);
    web_raw(b, " <input type=\"");
    web_raw(b, type);
    web_raw(b, "\" name=\"");
    web_raw(b, name);
    web_raw(b, "\" size=\"");
    web_raw(b, size);
    web_raw(b, "\" value=\"");
    web_esc(b, value);
    web_raw(b, "\"></label>");
}

void web_filters_form(gl_buf *b, const web_req *r, const web_filters *f, const char *action,
                      bool with_account)
{
    web_filters_begin(b, r, action);
    input(b, _("From"), "from", f->from, "text", "10");
    input(b, _("To"), "to", f->to, "text", "10");
    if (with_account)
        input(b, _("Account"), "account", f->account, "text", "8");
    input(b, _("Aux"), "aux", f->aux, "text", "8");
    input(b, _("Text"), "text", f->text, "search", "16");
    input(b, _("Amount"), "amount", f->amount, "text", "9");
    input(b, _("Journal"), "journal", f->journal, "text", "4");
    web_raw(b, "<button>");
    web_esc(b, _("Search"));
    web_raw(b, "</button></form>\n");
}

/* name=value, the value percent-encoded (then escaped for the attribute). */
static void query_pair(gl_buf *b, bool *first, const char *name, const char *value)
{
    if (!value[0])
        return;
    if (!*first)
        web_raw(b, "&amp;");
    *first = false;
    web_raw(b, name);
    web_raw(b, "=");
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (isalnum(*p) || strchr("-._~", *p))
            gl_put_u8(b, *p);
        else
            web_escf(b, "%%%02X", *p);
    }
}

void web_filters_query(gl_buf *b, const web_filters *f)
{
    bool first = true;
    query_pair(b, &first, "from", f->from);
    query_pair(b, &first, "to", f->to);
    query_pair(b, &first, "account", f->account);
    query_pair(b, &first, "aux", f->aux);
    query_pair(b, &first, "text", f->text);
    query_pair(b, &first, "amount", f->amount);
    query_pair(b, &first, "journal", f->journal);
}

void web_query_arg(gl_buf *b, const char *name, const char *value)
{
    bool first = false; /* after the address's other arguments */
    query_pair(b, &first, name, value);
}
