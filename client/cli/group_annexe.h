/*
 * client/cli/group_annexe.h — the combined annexe's skeleton as one HTML
 * page (`grandlivre group annexe`, group_annexe.c).
 */
#ifndef GL_GROUP_ANNEXE_H
#define GL_GROUP_ANNEXE_H

#include "group_balance.h"

#include "proto/limits.h"
#include "proto/reply_group.h"

#include <stdio.h>

/* What TENANTS says of a tenant (names for the scope of combination). */
typedef struct group_entity_info {
    char id[GL_TENANT_MAX + 1];
    char code[GL_AUX_MAX + 1];
    char name[256];
    char siren[16];
    unsigned first_month;
} group_entity_info;

typedef struct group_annexe_in {
    const group_balance *g;        /* every page of GROUP_BALANCE */
    const gl_reply_reconcile *rec; /* GROUP_RECONCILE at the same date */
    const group_entity_info *info; /* TENANTS' rows */
    size_t info_count;
} group_annexe_in;

/* Write the page to f: 0, or -1 on a write error. */
int group_annexe_html(FILE *f, const group_annexe_in *in);
/* `group balance --format html`: the combined trial balance alone (the
 * annexe's section 3) and its differences, as one page. */
int group_balance_html(FILE *f, const group_annexe_in *in);
/* `group statements --format html`: the combined statements r (computed
 * from in->g: entities, eliminations, adjustments, combined) as the
 * statements' printable page (client/statements/html.h), with the
 * differences' note; printed: the day it is made. */
struct stmt_result;
int group_statements_html(FILE *f, const group_annexe_in *in, const struct stmt_result *r,
                          uint32_t printed);
/* The note on the reciprocal-flow differences (French, for the statements'
 * page) into out; false when they are zero. */
bool group_gaps_note(const group_balance *g, char *out, size_t len);

#endif
