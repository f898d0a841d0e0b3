/*
 * client/cli/reminder_letter.c — see reminder_letter.h: the letter of
 * `grandlivre reminders` and of the web's Relances page, written once.
 */
#include "reminder_letter.h"
#include "aging.h"

#include "client/statements/html.h"
#include "proto/money.h"
#include "proto/reminder.h"

#include <string.h>

unsigned rem_level_next(const uint8_t *body, size_t len, const char *aux)
{
    if (!body)
        return 1;
    size_t pos = 4; /* after count u32 */
    gl_reminder_row row;
    while (gl_reminders_reply_next(body, len, &pos, &row))
        if (row.aux.len == strlen(aux) && !memcmp(row.aux.ptr, aux, row.aux.len))
            return row.level < GL_REMINDER_LEVEL_MAX ? row.level + 1u : GL_REMINDER_LEVEL_MAX;
    return 1;
}

const char rem_letter_css[] =
    "@page{size:A4;margin:20mm}body{font-family:serif;font-size:11pt}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 4px}"
    "td.n{text-align:right;white-space:nowrap}.t td{font-weight:bold}.to{margin-left:55%}";

static const char *const subjects[] = {"", "Relance amiable", "Second rappel", "Mise en demeure"};

const char *rem_subject(unsigned level) { return level >= 1 && level <= 3 ? subjects[level] : ""; }

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

bool rem_overdue(const rcv_item *i, uint32_t at)
{
    return i->cents > 0 && aging_days_overdue(at, i->date, i->terms_days) > 0;
}

bool rem_asked(const rcv_items *it, size_t g, size_t e, uint32_t at, int64_t *total,
               bool *any_overdue)
{
    *total = 0;
    *any_overdue = false;
    for (size_t i = g; i < e; i++) {
        const rcv_item *x = &it->v[i];
        if (x->cents < 0 || rem_overdue(x, at)) {
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

void rem_letter_write(FILE *f, const rem_from *l, unsigned level, const rcv_items *it, size_t g,
                      size_t e, int64_t total)
{
    char d[11], m[STMT_HTML_MONEY_MAX];
    fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>", f);
    fputs(subjects[level], f);
    if (l->css_href) /* the web's policy refuses an inline style */
        fprintf(f, "</title><link rel=\"stylesheet\" href=\"%s\">", l->css_href);
    else
        fprintf(f, "</title><style>%s</style>", rem_letter_css);
    fputs("</head><body>\n<p><strong>", f);
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
        if (x->cents >= 0 && !rem_overdue(x, l->at))
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
