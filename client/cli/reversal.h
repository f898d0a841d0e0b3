/*
 * client/cli/reversal.h — the reversal (contre-passation) of an entry,
 * built once for `grandlivre reverse` and the web's Contre-passer, so
 * that both sign the same bytes for the same entry and date (a second
 * submit is then a replay, never a second reversal).
 */
#ifndef GL_CLI_REVERSAL_H
#define GL_CLI_REVERSAL_H

#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/limits.h"

#define CLI_REVERSAL_TEXT 256 /* bytes of each text of a line, NUL included */

/* The reversal and the storage its pointers point into. */
typedef struct cli_reversal {
    char tenant[GL_TENANT_MAX + 1], journal[16], piece[80], label[256];
    gl_line_in *lines;
    char *line_texts;                          /* account, aux, aux_label, label: 4 texts a line */
    gl_ext_in *line_ext;                       /* each line's area: its analytic item */
    uint8_t (*line_items)[2 + GL_AN_ITEM_MAX]; /* the bytes line_ext points into */
    gl_entry_in entry;
} cli_reversal;

/* rv->entry = the reversal of original (entry fy/num) dated date: the
 * same tenant, journal and piece, the label "Contre-passation FY/NUM",
 * every line with its side swapped and the analytic codes it carries
 * (issue 19: the same shares, so that each code's balance nets to zero
 * and a mandatory axis is there).  GL_OK, or GL_ERR_NOMEM; free rv with
 * cli_reversal_free in both cases. */
int cli_reversal_build(cli_reversal *rv, const gl_entry *original, uint16_t fy, uint32_t num,
                       uint32_t date);
void cli_reversal_free(cli_reversal *rv);

#endif
