/*
 * client/web/page_post_templates.c — the usual operations of an
 * association, as the lines Saisie fills for them: the journal, the
 * accounts of the 2025 chart (every one of them in data/chart-anc-2025.csv,
 * checked by web_post::templates_use_accounts_of_the_chart) and the side
 * each amount goes on.  The amounts are left to the user.
 */
#include "page_post.h"

#include "client/cli/i18n.h"

#include <stdio.h>
#include <string.h>

const post_template post_templates[] = {
    {"supplier-invoice",
     N_("Supplier invoice"),
     "AC",
     N_("Supplier invoice"),
     {{"606400", 'D', N_("Amount excluding VAT")},
      {"445660", 'D', N_("Deductible VAT")},
      {"401000", 'C', N_("Amount including VAT")}}},
    {"supplier-payment",
     N_("Supplier payment"),
     "BQ",
     N_("Supplier payment"),
     {{"401000", 'D', N_("Invoice paid")}, {"512000", 'C', N_("Bank")}}},
    {"customer-receipt",
     N_("Customer receipt"),
     "BQ",
     N_("Customer receipt"),
     {{"512000", 'D', N_("Bank")}, {"411000", 'C', N_("Invoice received")}}},
    {"membership-fee",
     N_("Membership fee"),
     "BQ",
     N_("Membership fee"),
     {{"512000", 'D', N_("Bank")}, {"756000", 'C', N_("Membership fee")}}},
    {"bank-fees",
     N_("Bank fees"),
     "BQ",
     N_("Bank fees"),
     {{"627000", 'D', N_("Bank fees")}, {"512000", 'C', N_("Bank")}}},
    {"payroll",
     N_("Payroll summary"),
     "OD",
     N_("Payroll summary"),
     {{"641100", 'D', N_("Gross salaries")},
      {"645100", 'D', N_("Employer contributions")},
      {"421000", 'C', N_("Net salaries due")},
      {"431000", 'C', N_("Social contributions due")}}},
};
const size_t post_template_count = sizeof post_templates / sizeof post_templates[0];

bool post_template_apply(post_form *f, const char *name)
{
    for (size_t i = 0; i < post_template_count; i++) {
        const post_template *t = &post_templates[i];
        if (strcmp(t->name, name))
            continue;
        snprintf(f->journal, sizeof f->journal, "%s", t->journal);
        snprintf(f->label, sizeof f->label, "%s", _(t->label));
        size_t n = 0;
        for (; n < sizeof t->lines / sizeof t->lines[0] && t->lines[n].account; n++) {
            post_line *l = &f->lines[n];
            memset(l, 0, sizeof *l);
            snprintf(l->account, sizeof l->account, "%s", t->lines[n].account);
            snprintf(l->label, sizeof l->label, "%s", _(t->lines[n].label));
            l->side_hint = t->lines[n].side;
        }
        f->line_count = n < POST_LINES_SHOWN ? POST_LINES_SHOWN : n;
        return true;
    }
    return false;
}
