/*
 * client/cli/reminder_letter.h — the reminder letter (relance) of one third
 * party, shared by `grandlivre reminders` (cmd_reminders.c: one file per
 * third party) and the web's Relances page (client/web/page_reminders.c:
 * the same letter in the browser): which items it asks for, its level, and
 * the self-contained printable French HTML page (A4).
 */
#ifndef GL_CLI_REMINDER_LETTER_H
#define GL_CLI_REMINDER_LETTER_H

#include "receivables.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* An item owed and past its due date at `at`. */
bool rem_overdue(const rcv_item *i, uint32_t at);
/* The total asked of items [g, e): the overdue items less the payments and
 * credits not yet lettered; *any_overdue whether one is overdue; false on
 * overflow. */
bool rem_asked(const rcv_items *it, size_t g, size_t e, uint32_t at, int64_t *total,
               bool *any_overdue);
/* The level proposed to aux from a REMINDERS reply (body, len; NULL: none
 * recorded): the one after the last recorded, at most 3, else 1. */
unsigned rem_level_next(const uint8_t *body, size_t len, const char *aux);
/* Its subject: "Relance amiable", "Second rappel", "Mise en demeure". */
const char *rem_subject(unsigned level);

/* Who writes, and when. */
typedef struct rem_from {
    const char *name, *siren; /* the association's (PERIODS) */
    uint32_t at;
    /* the letter's stylesheet: NULL inline (a file of its own), else a
     * link to it (the web serves rem_letter_css there) */
    const char *css_href;
} rem_from;
extern const char rem_letter_css[];
/* The letter of level 1-3 for items [g, e) asking total, into f. */
void rem_letter_write(FILE *f, const rem_from *from, unsigned level, const rcv_items *it, size_t g,
                      size_t e, int64_t total);

#endif
