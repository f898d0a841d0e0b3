/*
 * client/web/page_reminders.c — Relances: the reminders `grandlivre
 * reminders --at DATE` would send (client/cli/cmd_reminders.c): each third
 * party of 411… with overdue items at the date, the level proposed (the
 * one after the last recorded, REMINDERS, else 1), its overdue items and
 * the total asked, and a link to its letter: the very page the command
 * writes (client/cli/reminder_letter.c), printable.  "Marquer comme
 * envoyée" records the reminder as `reminders --record` does
 * (REMINDER_RECORD, one third party, its level and the date), signed with
 * the request id fixed when the page was shown (web_act.c: a double submit
 * is the daemon's replay); not for the auditor nor under --read-only.
 */
#include "web_rcv.h"
#include "web_filters.h"
#include "web_form.h"
#include "web_util.h"

#include "client/cli/date_range.h"
#include "client/cli/i18n.h"
#include "client/cli/reminder_letter.h"
#include "proto/reminder.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* REMINDERS (the levels recorded) then the open items of 411…: 0 with both
 * (the caller frees them), or -1 after a banner. */
static int gather(web_req *r, gl_buf *b, uint32_t at, gl_response *rec, rcv_items *it)
{
    uint32_t count;
    if (web_call(r, b, GL_KIND_REMINDERS, NULL, 0, rec))
        return -1;
    if (gl_reminders_reply_count(rec->reply.body, rec->reply.body_len, &count) != GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(rec);
        return -1;
    }
    if (web_rcv_collect(r, b, "411", at, false, it)) {
        gl_response_free(rec);
        return -1;
    }
    return 0;
}

/* (Not the msgid "Letter": it is the lettering, Lettrage, elsewhere.) */
static void letter_link(gl_buf *b, const web_req *r, const char *aux, const char *at_text)
{
    web_raw(b, "<a href=\"/reminders/letter?aux=");
    web_aux_pct(b, aux, strlen(aux));
    web_query_arg(b, "at", at_text);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, _("Open the letter"));
    web_raw(b, "</a>");
}

static const char *const levels[] = {"", N_("1 — friendly reminder"), N_("2 — second reminder"),
                                     N_("3 — formal notice")};

/* Whether the key may record a reminder here: the auditor reads only,
 * and --read-only refuses every form. */
static bool can_record(web_req *r)
{
    return !r->app->read_only && web_role(r->app) != WEB_ROLE_AUDITOR;
}

/* "Marquer comme envoyée": a POST of aux, level and date, its request id
 * fixed now. */
static void sent_form(gl_buf *b, const web_req *r, const char *aux, unsigned level,
                      const char *at_text)
{
    web_raw(b, "<td><form method=\"post\" action=\"/reminders\">");
    web_act_hidden(b, r, gl_request_id_random());
    web_raw(b, "<input type=\"hidden\" name=\"aux\" value=\"");
    web_esc(b, aux);
    web_raw(b, "\"><input type=\"hidden\" name=\"level\" value=\"");
    web_escf(b, "%u", level);
    web_raw(b, "\"><input type=\"hidden\" name=\"at\" value=\"");
    web_esc(b, at_text);
    web_raw(b, "\"><button>");
    web_esc(b, _("Mark as sent"));
    web_raw(b, "</button></form></td>");
}

/* One third party's row (items [g, e)), if the run would remind it. */
static bool row(gl_buf *b, web_req *r, const rcv_items *it, size_t g, size_t e, uint32_t at,
                const gl_response *rec, const char *at_text, unsigned *shown)
{
    int64_t total;
    bool any;
    if (!rem_asked(it, g, e, at, &total, &any))
        return false;
    if (!any || total <= 0)
        return true;
    unsigned count = 0;
    for (size_t i = g; i < e; i++)
        count += rem_overdue(&it->v[i], at);
    const rcv_item *x = &it->v[g];
    web_raw(b, "<tr><td>");
    web_esc(b, x->aux);
    char name[256];
    if (third_party_name(x->aux, name, sizeof name)) {
        web_raw(b, " ");
        web_esc(b, name);
    }
    web_raw(b, "</td><td>");
    web_esc(b, x->account);
    web_raw(b, "</td><td>");
    unsigned level = rem_level_next(rec->reply.body, rec->reply.body_len, x->aux);
    web_esc(b, _(levels[level]));
    web_raw(b, "</td><td class=\"num\">");
    web_escf(b, "%u", count);
    web_raw(b, "</td>");
    web_money_td(b, total);
    web_raw(b, "<td>");
    letter_link(b, r, x->aux, at_text);
    web_raw(b, "</td>");
    if (can_record(r))
        sent_form(b, r, x->aux, level, at_text);
    web_raw(b, "</tr>\n");
    ++*shown;
    return true;
}

static void table(gl_buf *b, web_req *r, const rcv_items *it, uint32_t at, const gl_response *rec,
                  const char *at_text)
{
    web_raw(b, "<table><thead><tr>");
    web_th(b, _("Third party"), false);
    web_th(b, _("Account"), false);
    web_th(b, _("Level proposed"), false);
    web_th(b, _("Overdue items"), true);
    web_th(b, _("Total due"), true);
    web_th(b, _("Reminder letter"), false);
    if (can_record(r))
        web_th(b, _("Sent"), false);
    web_raw(b, "</tr></thead><tbody>\n");
    unsigned shown = 0;
    bool fine = true;
    for (size_t g = 0; fine && g < it->n;) {
        size_t e = rcv_group_end(it, g);
        fine = row(b, r, it, g, e, at, rec, at_text, &shown);
        g = e;
    }
    web_raw(b, "</tbody></table>\n");
    if (!fine)
        web_banner(b, _("The totals overflow."), true);
    else if (!shown)
        web_banner(b, _("No third party to remind at that date."), false);
}

int page_reminders(web_req *r, gl_buf *b)
{
    char at_text[16] = "";
    uint32_t at;
    const char *why;
    bool ok = web_rcv_at(r, at_text, sizeof at_text, &at, &why);
    web_page_begin(b, r, _("Reminders"), "/reminders");
    web_filters_begin(b, r, "/reminders");
    web_at_field(b, at_text);
    web_filters_end(b);
    if (!ok) {
        web_banner(b, _(why), true);
        web_page_end(b);
        return 200;
    }
    char sent[GL_AUX_MAX + 1];
    if (web_arg(r, "sent", sent, sizeof sent) == WEB_FORM_FOUND) {
        char text[200];
        snprintf(text, sizeof text, _("The reminder to %s is recorded as sent."), sent);
        web_banner(b, text, false);
    }
    gl_response rec;
    rcv_items it;
    if (gather(r, b, at, &rec, &it) == 0) {
        web_raw(b, "<p>");
        web_esc(b, _("The reminders a run of grandlivre reminders would send at "));
        web_date(b, at);
        web_esc(b, _(": the third parties of 411… with overdue items (due: the item's date plus "
                     "the payment terms, 30 days if none). \"Mark as sent\" records one as "
                     "grandlivre reminders --record does, and the next level is proposed."));
        web_raw(b, "</p>\n");
        table(b, r, &it, at, &rec, at_text);
        rcv_items_free(&it);
        gl_response_free(&rec);
    }
    web_page_end(b);
    return 200;
}

/* The letter of the third party aux into b (items [g, e) of it). */
static int letter(web_req *r, gl_buf *b, const rcv_items *it, size_t g, size_t e, uint32_t at,
                  const gl_response *rec)
{
    int64_t total;
    bool any;
    if (!rem_asked(it, g, e, at, &total, &any) || !any || total <= 0)
        return -1;
    char name[256] = "", siren[64] = "";
    cli *c = r->app->c;
    const char *tenant = c->tenant;
    c->tenant = r->tenant;
    int rc = rcv_association(c, name, sizeof name, siren, sizeof siren);
    c->tenant = tenant;
    if (rc)
        return -1;
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f)
        return -1;
    rem_from from = {name, siren, at, "/static/letter.css"};
    unsigned level = rem_level_next(rec->reply.body, rec->reply.body_len, it->v[g].aux);
    rem_letter_write(f, &from, level, it, g, e, total);
    rc = fclose(f) ? -1 : 0;
    if (rc == 0)
        gl_put_bytes(b, data, len);
    free(data);
    return rc;
}

int page_reminder_letter(web_req *r, gl_buf *b)
{
    char at_text[16] = "", aux[GL_AUX_MAX + 1] = "";
    uint32_t at;
    const char *why = NULL;
    bool ok = web_rcv_at(r, at_text, sizeof at_text, &at, &why);
    if (ok && web_arg(r, "aux", aux, sizeof aux) != WEB_FORM_FOUND) {
        ok = false;
        why = N_("Which third party: aux=CODE.");
    }
    gl_buf page;
    gl_buf_init(&page); /* the page of a failure, kept apart from the letter */
    web_page_begin(&page, r, _("Reminders"), "/reminders");
    gl_response rec;
    rcv_items it;
    if (!ok)
        web_banner(&page, _(why), true);
    else if (gather(r, &page, at, &rec, &it) == 0) {
        size_t g = 0;
        while (g < it.n && strcmp(it.v[g].aux, aux))
            g = rcv_group_end(&it, g);
        ok = g < it.n && letter(r, b, &it, g, rcv_group_end(&it, g), at, &rec) == 0;
        if (!ok)
            web_banner(&page, _("No reminder for that third party at that date."), true);
        rcv_items_free(&it);
        gl_response_free(&rec);
    } else
        ok = false; /* gather's banner is on the page */
    if (!ok) {
        web_page_end(&page);
        gl_put_bytes(b, page.data, page.len);
    }
    gl_buf_free(&page);
    return 200;
}

/* POST /reminders: REMINDER_RECORD of one third party (aux, level 1-3, the
 * date); 303 back to Relances with a notice, or the page with the refusal
 * (422): nothing recorded. */
int form_reminder_sent(web_req *r, gl_buf *b)
{
    char aux[GL_AUX_MAX + 1] = "", level[4] = "", at_text[16] = "";
    uint32_t at = 0, first;
    char err[200];
    uint64_t rid = web_act_rid(r);
    bool ok = web_field(r, "aux", aux, sizeof aux) == WEB_FORM_FOUND &&
              web_field(r, "level", level, sizeof level) == WEB_FORM_FOUND && strlen(level) == 1 &&
              level[0] >= '1' && level[0] <= '3' &&
              web_field(r, "at", at_text, sizeof at_text) == WEB_FORM_FOUND &&
              !date_span(at_text, &first, &at, err, sizeof err);
    web_page_begin(b, r, _("Reminders"), "/reminders");
    if (!ok || !rid) {
        web_banner(b,
                   !rid ? _("This form has no request id: reload the page and try again.")
                        : _("The form is incomplete: reload Reminders and try again."),
                   true);
        web_page_end(b);
        return 422;
    }
    gl_reminder_item item = {{aux, strlen(aux)}, (uint8_t)(level[0] - '0')};
    gl_buf body;
    gl_buf_init(&body);
    gl_reminder_q_encode(&body, at, &item, 1);
    gl_response resp;
    int rc = gl_buf_ok(&body)
                 ? web_act_call(r, b, GL_KIND_REMINDER_RECORD, rid, body.data, body.len, &resp)
                 : -1;
    gl_buf_free(&body);
    if (rc) {
        web_page_end(b);
        return 422;
    }
    gl_response_free(&resp);
    char pct_aux[3 * GL_AUX_MAX + 1], pct_tenant[3 * GL_TENANT_MAX + 1], pct_at[3 * 16];
    web_act_pct(pct_aux, sizeof pct_aux, aux);
    web_act_pct(pct_tenant, sizeof pct_tenant, r->tenant);
    web_act_pct(pct_at, sizeof pct_at, at_text);
    snprintf(r->location, sizeof r->location, "/reminders?at=%s&tenant=%s&sent=%s", pct_at,
             pct_tenant, pct_aux);
    return 303;
}
