/*
 * client/cli/receivables.h — what `grandlivre receivables`, `reminders`
 * and `impairment` share (issue 17): the open items of the third-party
 * accounts at a date, read through LEDGER's OPEN_AT filter (§5.7), and
 * the third party's payment terms.
 */
#ifndef GL_CLI_RECEIVABLES_H
#define GL_CLI_RECEIVABLES_H

#include "cli.h"

#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One open item: a line not lettered at the date.  cents > 0 is owed to
 * the association (receivables) or by it (payables: the sign turned). */
typedef struct rcv_item {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1];
    char piece[GL_PIECE_MAX + 1], label[GL_LABEL_MAX + 1], ref[32];
    uint32_t date, due;
    unsigned terms_days;
    int64_t cents;
    uint16_t fy, line; /* the line itself (ref), to letter it */
    uint32_t num;
} rcv_item;

typedef struct rcv_items {
    rcv_item *v;
    size_t n, cap;
} rcv_items;

/* The items open at `at` on every account starting with `prefix`, sorted
 * by account, third party, date and reference; due dates from the terms.
 * 0 or an exit code (a message printed). */
int rcv_collect(cli *c, const char *prefix, uint32_t at, bool payables, unsigned default_terms,
                rcv_items *out);
/* The same for the customers: 411… and the doubtful ones moved to 416…
 * by `impairment` (still owed: aged and reminded). */
int rcv_collect_customers(cli *c, uint32_t at, unsigned default_terms, rcv_items *out);
void rcv_items_free(rcv_items *it);
/* The end of the group of items of it->v[first]'s account and third party
 * (rcv_collect sorts them so). */
size_t rcv_group_end(const rcv_items *it, size_t first);
/* The aged balance's figures of items [first, end) at `at` (cmd_receivables.c);
 * false on overflow. */
struct aging_row;
bool rcv_group_row(const rcv_items *it, size_t first, size_t end, uint32_t at, bool by_due,
                   struct aging_row *r);
/* The tables of `receivables` (cmd_receivables.c), for the web's CSV: one
 * row per account and third party (and TOTAL when with_total), or one per
 * item (--detail). */
struct out_table;
struct out_table *rcv_aging_table(const rcv_items *it, uint32_t at, bool by_due, bool with_total);
struct out_table *rcv_detail_table(const rcv_items *it, uint32_t at, bool by_due);

/* The payment terms (days) of third party `aux`.  Until the registry of
 * third parties is merged (issue 17, helper A), every third party has the
 * default the command was given (--terms, 30 days): the registry's terms
 * plug in here, in client/cli/third_party_terms.c. */
/* Load the tenant's registry of third parties (once per process); 0 or an
 * exit code (reported). */
int third_party_registry_load(cli *c);
/* Forget the loaded registry (the web asks for one tenant's, then
 * another's, in one process): the next load asks again. */
void third_party_registry_forget(void);
unsigned third_party_terms_days(const char *aux, unsigned default_days);
/* aux's name in the registry (into buf), or NULL if it has none. */
const char *third_party_name(const char *aux, char *buf, size_t cap);

/* --format html: taken out of argv (cli_parse does not know it); true when
 * it was given. */
bool rcv_take_html_format(int *argc, char **argv);

/* The association's name and SIREN (PERIODS).  0 or an exit code. */
int rcv_association(cli *c, char *name, size_t name_len, char *siren, size_t siren_len);

/* --terms / --days / --rate: a whole number in [0, max]; 0 or EXIT_USAGE. */
int rcv_parse_uint(const char *arg, const char *what, unsigned max, unsigned *out);

/* cli_parse, then no argument may be left (the help on stderr, exit 2):
 * 0, an exit code, or < 0 after --help. */
struct option;
int rcv_parse(cli *c, int *argc, char ***argv, const struct option *extra, extra_handler on_opt,
              void *user, const char *help);

/* DD/MM/YYYY: the dates of the French pages and letters. */
char *rcv_date_fr(uint32_t ymd, char out[11]);

#endif
