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
#include "i18n.h"
#include "outfile.h"
#include "receivables.h"
#include "reminder_letter.h"

#include "proto/kinds.h"
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
    rem_from from;  /* the association's name and SIREN, and the date */
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
    return rem_level_next(l->rec->resp.reply.body, l->rec->resp.reply.body_len, aux);
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
        rem_letter_write(of.f, &l->from, level, it, g, e, total);
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
    if (!rem_asked(it, g, e, l->from.at, &total, &any)) {
        cli_error("the totals overflow");
        return EXIT_REFUSED;
    }
    if (!any || total <= 0)
        return 0;
    unsigned level = level_for(l, it->v[g].aux);
    int64_t count = 0;
    for (size_t i = g; i < e; i++)
        count += rem_overdue(&it->v[i], l->from.at);
    char path[PATH_MAX] = "";
    int rc = 0;
    if (o->out) {
        letter_path(path, sizeof path, o->out, level, it->v[g].aux, l->from.at);
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
        size_t e = rcv_group_end(it, g);
        rc = remind(o, l, it, g, e, t, &s);
        g = e;
    }
    if (rc == 0 && o->record)
        rc = record(c, l->from.at, &s);
    if (rc == 0 && (c->format == OUT_TABLE || c->format == OUT_TABLE_FR)) {
        char d[11];
        printf(_("Reminders — %s — at %s\n"), c->tenant, i18n_date(l->from.at, d));
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
    if ((rc = cli_date(o.at, "--at", &l.from.at)) ||
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
    l.from.name = name;
    l.from.siren = siren;
    if (rc == 0 && !o.level)
        rc = fetch_recorded(&c, &rec);
    if (rc == 0)
        rc = rcv_collect_customers(&c, l.from.at, terms, &it);
    if (rc == 0)
        rc = run(&c, &o, &l, &it);
    rcv_items_free(&it);
    if (rec.have)
        gl_response_free(&rec.resp);
    cli_close(&c);
    return rc;
}
