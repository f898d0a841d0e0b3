/*
 * client/web/web_routes.c — every address `grandlivre web` answers: the
 * pages (GET), the forms (POST) and the embedded static files.  One table,
 * so that a new page is one line here and one file of its own.
 */
#include "web.h"
#include "web_bank.h"
#include "web_rcv.h"

#include "client/cli/reminder_letter.h"

#include <string.h>

static const web_route routes[] = {
    {false, "/", page_home},
    {false, "/journal", page_journal},
    {false, "/ledger", page_ledger},
    {false, "/balance", page_balance},
    {false, "/entry", page_entry},
    {false, "/search", page_search},
    {false, "/reverse", page_reverse},
    {true, "/reverse", form_reverse},
    {false, "/letter", page_letter},
    {true, "/letter", form_letter},
    {true, "/unletter", form_unletter},
    /* the accountant's and the auditor's pages (helper D) */
    {false, "/periods", page_periods},
    {false, "/lock", page_lock},
    {true, "/lock", form_lock},
    {false, "/close", page_close},
    {true, "/close", form_close},
    {false, "/group", page_group},
    {false, "/statements", page_statements},
    {false, "/statements/file", page_statements_file},
    {false, "/fec", page_fec},
    {false, "/archive", page_archive},
    {false, "/post", page_post},
    {true, "/post", form_post},
    {false, "/third-parties", page_third_parties},
    {false, "/receivables", page_receivables},
    {false, "/reminders", page_reminders},
    {false, "/reminders/letter", page_reminder_letter},
    {true, "/reminders", form_reminder_sent},
    /* Rapprochement bancaire (web_bank.h) */
    {false, "/bank", page_bank},
    {true, "/bank/match", form_bank_match},
    {true, "/bank/match-sure", form_bank_match_sure},
    {true, "/bank/unmatch", form_bank_unmatch},
    {false, "/bank/rule", page_bank_rule},
    {true, "/bank/rule", form_bank_rule},
    {true, "/bank/rule-entry", form_bank_rule_entry},
    {false, "/bank/report", page_bank_report},
};

static const web_static statics[] = {
    {"/static/style.css", "text/css; charset=utf-8", web_css},
    {"/static/app.js", "text/javascript; charset=utf-8", web_js},
    {"/static/letter.css", "text/css; charset=utf-8", rem_letter_css},
};

web_handler web_route_find(bool post, const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (routes[i].post == post && !strcmp(routes[i].path, path))
            return routes[i].handler;
    return NULL;
}

const web_static *web_static_find(const char *path)
{
    for (size_t i = 0; i < sizeof statics / sizeof statics[0]; i++)
        if (!strcmp(statics[i].path, path))
            return &statics[i];
    return NULL;
}
