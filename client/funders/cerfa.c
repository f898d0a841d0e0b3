/*
 * client/funders/cerfa.c — the CERFA 15059 headings and the planned and
 * actual figures under them (cerfa.h).
 */
#include "cerfa.h"

#include "client/cli/i18n.h"

#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

static const cerfa_heading headings[] = {
    {"60", N_("Purchases"), CERFA_CHARGE},
    {"61", N_("External services"), CERFA_CHARGE},
    {"62", N_("Other external services"), CERFA_CHARGE},
    {"63", N_("Taxes and duties"), CERFA_CHARGE},
    {"64", N_("Staff costs"), CERFA_CHARGE},
    {"65", N_("Other current management charges"), CERFA_CHARGE},
    {"66", N_("Financial charges"), CERFA_CHARGE},
    {"67", N_("Exceptional charges"), CERFA_CHARGE},
    {"68", N_("Depreciation, provisions and dedicated funds"), CERFA_CHARGE},
    {"6", N_("Other charges (69)"), CERFA_CHARGE},
    {"86", N_("Use of voluntary contributions in kind"), CERFA_CHARGE},
    {"70", N_("Sales of goods and services"), CERFA_PRODUCT},
    {"74", N_("Operating grants"), CERFA_PRODUCT},
    {"75", N_("Other current management income"), CERFA_PRODUCT},
    {"76", N_("Financial income"), CERFA_PRODUCT},
    {"77", N_("Exceptional income"), CERFA_PRODUCT},
    {"78", N_("Reversals of depreciation, provisions and dedicated funds"), CERFA_PRODUCT},
    {"7", N_("Other products (71-73, 79)"), CERFA_PRODUCT},
    {"87", N_("Voluntary contributions in kind"), CERFA_PRODUCT},
};
#define NHEADINGS (sizeof headings / sizeof headings[0])

const cerfa_heading *cerfa_headings(size_t *n)
{
    *n = NHEADINGS;
    return headings;
}

static int index_of(const char *code)
{
    for (size_t i = 0; i < NHEADINGS; i++)
        if (!strcmp(headings[i].code, code))
            return (int)i;
    return -1;
}

int cerfa_heading_of(const char *account)
{
    char two[3] = {account[0], account[0] ? account[1] : '\0', '\0'};
    if (account[0] == '8')
        return !strcmp(two, "86") || !strcmp(two, "87") ? index_of(two) : -1;
    if (account[0] != '6' && account[0] != '7')
        return -1;
    int i = two[1] ? index_of(two) : -1;
    return i >= 0 ? i : index_of(account[0] == '6' ? "6" : "7");
}

int cerfa_init(cerfa_report *r)
{
    memset(r, 0, sizeof *r);
    r->n = NHEADINGS;
    r->rows = calloc(NHEADINGS, sizeof *r->rows);
    return r->rows ? GL_OK : GL_ERR_NOMEM;
}

void cerfa_free(cerfa_report *r)
{
    free(r->rows);
    fr_totals_free(&r->funders);
    fr_totals_free(&r->funders_planned);
    memset(r, 0, sizeof *r);
}

int cerfa_add_planned(cerfa_report *r, const char *group, int64_t cents)
{
    int i = group[0] && !group[1] ? index_of(group) : cerfa_heading_of(group);
    if (i < 0)
        return GL_ERR_NOT_FOUND;
    return __builtin_add_overflow(r->rows[i].planned_cents, cents, &r->rows[i].planned_cents)
               ? GL_ERR_SUM_OVERFLOW
               : GL_OK;
}

int cerfa_add_actual(cerfa_report *r, const char *account, int64_t debit_cents,
                     int64_t credit_cents)
{
    int i = cerfa_heading_of(account);
    if (i < 0)
        return GL_OK;
    int64_t v;
    bool bad = headings[i].side == CERFA_CHARGE
                   ? __builtin_sub_overflow(debit_cents, credit_cents, &v)
                   : __builtin_sub_overflow(credit_cents, debit_cents, &v);
    if (bad || __builtin_add_overflow(r->rows[i].actual_cents, v, &r->rows[i].actual_cents))
        return GL_ERR_SUM_OVERFLOW;
    return GL_OK;
}

int cerfa_total(cerfa_report *r)
{
    memset(r->planned, 0, sizeof r->planned);
    memset(r->actual, 0, sizeof r->actual);
    for (size_t i = 0; i < r->n; i++) {
        int s = headings[i].side;
        if (__builtin_add_overflow(r->planned[s], r->rows[i].planned_cents, &r->planned[s]) ||
            __builtin_add_overflow(r->actual[s], r->rows[i].actual_cents, &r->actual[s]))
            return GL_ERR_SUM_OVERFLOW;
    }
    return GL_OK;
}
