/*
 * client/cli/third_party_terms.c — a third party's payment terms, the one
 * place the registry of third parties (issue 17, helper A) plugs into the
 * aged balance, the reminders and the impairment: until then, every third
 * party has the command's --terms (default 30 days).
 */
#include "receivables.h"

unsigned third_party_terms_days(const char *aux, unsigned default_days)
{
    (void)aux;
    return default_days;
}
