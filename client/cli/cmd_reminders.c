/*
 * client/cli/cmd_reminders.c — `grandlivre reminders` (issue 17): one
 * self-contained printable French HTML letter per third party of 411…
 * with overdue items at DATE (receivables.h): the association's name and
 * SIREN (PERIODS), the open items of that third party (the overdue ones,
 * and its unlettered payments and credits, which reduce what is asked),
 * the total asked, and the tone of the level: 1 relance amiable, 2 second
 * rappel, 3 mise en demeure.  Written into --out DIR (one file per third
 * party, never over an existing one); without it, only the list.
 * Each third party's level is --level, else the one after the last
 * recorded for it (REMINDERS, 26), else 1; --record records the reminders
 * listed (REMINDER_RECORD, 25: one signed request).
 */
#include "cli.h"
#include "aging.h"
#include "i18n.h"
#include "outfile.h"
#include "receivables.h"

#include "client/statements/html.h"
#include "proto/kinds.h"
#include "proto/money.h"
#include "proto/reminder.h"
#include "proto/status.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre reminders --tenant T --at DATE [--level 1|2|3] [--out DIR]\n"
    "                            [--terms DAYS] [--record]\n"
    "\n"
    "Reminder letters (relances) at DATE: one printable French HTML page per\n"
    "third party of 411… (and 416…, doubtful debts) with items overdue at DATE\n"
    "(due: date + --terms,\n"
    "default 30 days), with the association's name and SIREN, the overdue\n"
    "items, the third party's unlettered payments and credits, and the total\n"
    "asked. --level: 1 relance amiable, 2 second rappel, 3 mise en demeure;\n"
    "without it, each third party's is the one after the last recorded for it\n"
    "(1 if none, at most 3). --record records the reminders listed, their level\n"
    "and DATE (one signed request), so that the next run proposes the next\n"
    "level. --out DIR writes DIR/relance-N-AUX-DATE.html for each\n"
    "(an existing file is left as it is and refused); the list of third\n"
    "parties, their overdue total and the file is printed.\n";

enum { OPT_AT = 2000, OPT_LEVEL, OPT_OUT, OPT_TERMS, OPT_RECORD };

struct rem_opts {
    const char *at, *level, *out, *terms;
    bool record;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct rem_opts *o = user;
    switch (opt) {
    case OPT_AT: o->at = arg; return 0;
    case OPT_LEVEL: o->level = arg; return 0;
    case OPT_OUT: o->out = arg; return 0;
    case OPT_TERMS: o->terms = arg; return 0;
    case OPT_RECORD: o->record = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* The reminders already recorded: the reply of REMINDERS, kept. */
typedef struct recorded {
    gl_response resp;
    bool have;
} recorded;

typedef struct letter_ctx {
    const char *name, *siren;
    uint32_t at;
    unsigned level; /* --level, or 0: the one after the last recorded */
    const recorded *rec;
} letter_ctx;

/* The level of the reminder to aux: --level, else the one after the last
 * recorded (at most 3), else 1. */
static unsigned level_for(const letter_ctx *l, const char *aux)
{
    if (l->level)
        return l->level;
    if (!l->rec->have)
        return 1;
    const uint8_t *body = l->rec->resp.reply.body;
    size_t len = l->rec->resp.reply.body_len, pos = 4;
    gl_reminder_row row;
    while (gl_reminders_reply_next(body, len, &pos, &row))
        if (row.aux.len == strlen(aux) && !memcmp(row.aux.ptr, aux, row.aux.len))
            return row.level < GL_REMINDER_LEVEL_MAX ? row.level + 1u : GL_REMINDER_LEVEL_MAX;
    return 1;
}

static const char *const subjects[] = {"", "Relance amiable", "Second rappel", "Mise en demeure"};

static const char *const bodies[] = {
    "",
    "Sauf erreur ou omission de notre part, les sommes ci-dessous restent impayées à ce jour. "
    "Il s'agit peut-être d'un simple oubli : nous vous remercions de bien vouloir procéder à leur "
    "règlement dans les meilleurs délais. Si votre paiement nous est parvenu entre-temps, merci "
    "de ne pas tenir compte de ce courrier.",
    "Malgré notre précédent courrier, les sommes ci-dessous restent impayées. Nous vous "
    "demandons de bien vouloir les régler sous quinze jours. En cas de difficulté, n'hésitez pas "
    "à nous contacter afin de convenir d'un échéancier.",
    "Malgré nos relances, les sommes ci-dessous restent impayées. Par la présente, nous vous "
    "mettons en demeure de nous les régler dans un délai de huit jours à compter de la réception "
    "de ce courrier. À défaut, nous nous réservons le droit d'engager une procédure de "
    "recouvrement ; les sommes dues porteront intérêts au taux légal à compter de la présente "
    "mise en demeure (article 1344-1 du Code civil)."};

static bool overdue(const rcv_item *i, uint32_t at)
{
    return i->cents > 0 && aging_days_overdue(at, i->date, i->terms_days) > 0;
}

/* The total asked of items [g, e): the overdue items less the payments
 * and credits not yet lettered; false on overflow. */
static bool asked(const rcv_items *it, size_t g, size_t e, uint32_t at, int64_t *total,
                  bool *any_overdue)
{
    *total = 0;
    *any_overdue = false;
    for (size_t i = g; i < e; i++) {
        const rcv_item *x = &it->v[i];
        if (x->cents < 0 || overdue(x, at)) {
            *any_overdue |= x->cents > 0;
            if (!gl_money_add(total, x->cents))
                return false;
        }
    }
    return true;
}

static void cell(FILE *f, const char *s, bool number)
{
    fputs(number ? "<td class=\"n\">" : "<td>", f);
    stmt_html_escape(f, s);
    fputs("</td>", f);
}

static void letter(FILE *f, const letter_ctx *l, unsigned level, const rcv_items *it, size_t g,
                   size_t e, int64_t total)
{
    char d[11], m[STMT_HTML_MONEY_MAX];
    fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>", f);
    fputs(subjects[level], f);
    fputs(
        "</title><style>@page{size:A4;margin:20mm}body{font-family:serif;font-size:11pt}"
        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 4px}"
        "td.n{text-align:right;white-space:nowrap}.t td{font-weight:bold}.to{margin-left:55%}"
        "</style></head><body>\n<p><strong>",
        f);
    stmt_html_escape(f, l->name);
    fputs("</strong>", f);
    if (l->siren && l->siren[0]) {
        fputs("<br>SIREN ", f);
        stmt_html_escape(f, l->siren);
    }
    fputs("</p>\n<p class=\"to\">", f);
    char name[256];
    if (third_party_name(it->v[g].aux, name, sizeof name)) {
        stmt_html_escape(f, name); /* the registry's (issue 17) */
        fputs("<br>", f);
    }
    fputs("Tiers ", f);
    stmt_html_escape(f, it->v[g].aux);
    fprintf(f, "</p>\n<p class=\"to\">Le %s</p>\n<p><strong>Objet : %s</strong></p>\n",
            rcv_date_fr(l->at, d), subjects[level]);
    fprintf(f, "<p>Madame, Monsieur,</p>\n<p>%s</p>\n", bodies[level]);
    fputs(
        "<table><tr><th>Pièce</th><th>Date</th><th>Échéance</th><th>Libellé</th>"
        "<th>Montant</th></tr>\n",
        f);
    for (size_t i = g; i < e; i++) {
        const rcv_item *x = &it->v[i];
        if (x->cents >= 0 && !overdue(x, l->at))
            continue;
        char d1[11], d2[11];
        fputs("<tr>", f);
        cell(f, x->piece, false);
        cell(f, rcv_date_fr(x->date, d1), false);
        cell(f, x->cents > 0 ? rcv_date_fr(x->due, d2) : "", false);
        cell(f, x->cents > 0 ? x->label : "Règlement ou avoir à déduire", false);
        cell(f, stmt_html_money(x->cents, m), true);
        fputs("</tr>\n", f);
    }
    fprintf(f,
            "<tr class=\"t\"><td colspan=\"4\">Total restant dû</td><td class=\"n\">%s</td>"
            "</tr></table>\n",
            stmt_html_money(total, m));
    fputs(
        "<p>Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
        "distinguées.</p>\n<p class=\"to\">Le trésorier</p>\n</body></html>\n",
        f);
}

/* DIR/relance-LEVEL-AUX-DATE.html, AUX with anything but A-Z a-z 0-9 - _
 * as '_' (a code never names a path). */
static void letter_path(char *out, size_t len, const char *dir, unsigned level, const char *aux,
                        uint32_t at)
{
    char safe[GL_AUX_MAX + 1];
    size_t n = 0;
    for (; aux[n] && n < GL_AUX_MAX; n++) {
        char ch = aux[n];
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        safe[n] = ok ? ch : '_';
    }
    safe[n] = '\0';
    snprintf(out, len, "%s/relance-%u-%s-%08u.html", dir, level, safe, at);
}

static int write_letter(const char *path, const letter_ctx *l, unsigned level, const rcv_items *it,
                        size_t g, size_t e, int64_t total)
{
    outfile of;
    char err[PATH_MAX + 200];
    int st = outfile_open(&of, path, OUTFILE_MODE_SECRET, false, err, sizeof err);
    if (st == GL_OK) {
        letter(of.f, l, level, it, g, e, total);
        st = outfile_commit(&of, err, sizeof err);
    }
    if (st != GL_OK) {
        cli_error("error %d %s: %s", st, gl_status_name(st), err);
        return EXIT_USAGE;
    }
    return 0;
}

/* The reminders listed, for --record. */
typedef struct sent {
    gl_reminder_item *v;
    size_t n;
} sent;

static int note_sent(sent *s, const char *aux, unsigned level)
{
    if (s->n == GL_REMINDERS_MAX) {
        cli_error(
            "more than %d third parties to remind in one run: record them with --level, "
            "in parts",
            GL_REMINDERS_MAX);
        return EXIT_USAGE;
    }
    gl_reminder_item *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return cli_nomem("the reminders");
    s->v = v;
    v[s->n++] = (gl_reminder_item){{aux, strlen(aux)}, (uint8_t)level};
    return 0;
}

/* One third party's reminder (items [g, e)), if it owes overdue items. */
static int remind(const struct rem_opts *o, const letter_ctx *l, const rcv_items *it, size_t g,
                  size_t e, out_table *t, sent *s)
{
    int64_t total;
    bool any;
    if (!asked(it, g, e, l->at, &total, &any)) {
        cli_error("the totals overflow");
        return EXIT_REFUSED;
    }
    if (!any || total <= 0)
        return 0;
    unsigned level = level_for(l, it->v[g].aux);
    int64_t count = 0;
    for (size_t i = g; i < e; i++)
        count += overdue(&it->v[i], l->at);
    char path[PATH_MAX] = "";
    int rc = 0;
    if (o->out) {
        letter_path(path, sizeof path, o->out, level, it->v[g].aux, l->at);
        rc = write_letter(path, l, level, it, g, e, total);
    }
    out_cstr(t, it->v[g].aux);
    out_int(t, level);
    out_int(t, count);
    out_money(t, total);
    out_cstr(t, path);
    return rc || !o->record ? rc : note_sent(s, it->v[g].aux, level);
}

/* REMINDER_RECORD of the reminders listed: one signed request. */
static int record(cli *c, uint32_t at, const sent *s)
{
    if (!s->n)
        return 0;
    gl_buf body;
    gl_buf_init(&body);
    gl_reminder_q_encode(&body, at, s->v, (uint16_t)s->n);
    gl_response resp;
    memset(&resp, 0, sizeof resp);
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_REMINDER_RECORD, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the request");
    if (rc == 0)
        fprintf(stderr, _("%zu reminders recorded\n"), s->n);
    gl_response_free(&resp);
    gl_buf_free(&body);
    return rc;
}

static int run(cli *c, const struct rem_opts *o, const letter_ctx *l, const rcv_items *it)
{
    static const out_col cols[] = {{"aux", OUT_TEXT},
                                   {"level", OUT_INT},
                                   {"overdue_items", OUT_INT},
                                   {"total", OUT_MONEY},
                                   {"file", OUT_TEXT}};
    out_table *t = out_new(cols, 5);
    sent s = {NULL, 0};
    int rc = t ? 0 : cli_nomem("the list");
    for (size_t g = 0; rc == 0 && g < it->n;) {
        size_t e = g + 1;
        while (e < it->n && !strcmp(it->v[e].account, it->v[g].account) &&
               !strcmp(it->v[e].aux, it->v[g].aux))
            e++;
        rc = remind(o, l, it, g, e, t, &s);
        g = e;
    }
    if (rc == 0 && o->record)
        rc = record(c, l->at, &s);
    if (rc == 0 && (c->format == OUT_TABLE || c->format == OUT_TABLE_FR)) {
        char d[11];
        printf(_("Reminders — %s — at %s\n"), c->tenant, i18n_date(l->at, d));
    }
    if (rc == 0 && out_render(t, c->format, stdout))
        rc = EXIT_USAGE;
    out_free(t);
    free(s.v);
    return rc;
}

/* REMINDERS: the reminders recorded so far (kept in r). */
static int fetch_recorded(cli *c, recorded *r)
{
    int rc = cli_call(c, GL_KIND_REMINDERS, c->tenant, NULL, 0, &r->resp);
    uint32_t count;
    if (rc == 0 &&
        gl_reminders_reply_count(r->resp.reply.body, r->resp.reply.body_len, &count) != GL_OK) {
        cli_error("cannot read the daemon's reply (reminders)");
        rc = EXIT_REFUSED;
    }
    r->have = true; /* the response is freed by the caller, whatever rc */
    return rc;
}

int cmd_reminders(int argc, char **argv)
{
    struct rem_opts o = {0};
    cli c;
    static const struct option extra[] = {
        {"at", required_argument, NULL, OPT_AT},   {"level", required_argument, NULL, OPT_LEVEL},
        {"out", required_argument, NULL, OPT_OUT}, {"terms", required_argument, NULL, OPT_TERMS},
        {"record", no_argument, NULL, OPT_RECORD}, {0}};
    int rc = rcv_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.at) {
        cli_error("--at DATE is required");
        return EXIT_USAGE;
    }
    recorded rec = {.have = false};
    letter_ctx l = {.level = 0, .rec = &rec};
    unsigned terms = 30;
    if ((rc = cli_date(o.at, "--at", &l.at)) ||
        (o.terms && (rc = rcv_parse_uint(o.terms, "--terms", 3650, &terms))))
        return rc;
    if (o.level && (strlen(o.level) != 1 || o.level[0] < '1' || o.level[0] > '3')) {
        cli_error("--level %s: 1 (relance amiable), 2 (second rappel) or 3 (mise en demeure)",
                  o.level);
        return EXIT_USAGE;
    }
    if (o.level)
        l.level = (unsigned)(o.level[0] - '0');
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    char name[256] = "", siren[64] = "";
    rcv_items it = {0};
    rc = rcv_association(&c, name, sizeof name, siren, sizeof siren);
    l.name = name;
    l.siren = siren;
    if (rc == 0 && !o.level)
        rc = fetch_recorded(&c, &rec);
    if (rc == 0)
        rc = rcv_collect_customers(&c, l.at, terms, &it);
    if (rc == 0)
        rc = run(&c, &o, &l, &it);
    rcv_items_free(&it);
    if (rec.have)
        gl_response_free(&rec.resp);
    cli_close(&c);
    return rc;
}
