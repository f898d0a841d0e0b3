/*
 * client/cli/reversal.c — the reversal of an entry (reversal.h).
 */
#include "reversal.h"

#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>

int cli_reversal_build(cli_reversal *rv, const gl_entry *original, uint16_t fy, uint32_t num,
                       uint32_t date)
{
    const gl_entry *o = original;
    size_t count = o->line_count ? o->line_count : 1; /* calloc(0) may be NULL */
    rv->lines = calloc(count, sizeof *rv->lines);
    rv->line_texts = calloc(count, 4 * CLI_REVERSAL_TEXT);
    rv->line_ext = calloc(count, sizeof *rv->line_ext);
    rv->line_items = calloc(count, sizeof *rv->line_items);
    snprintf(rv->tenant, sizeof rv->tenant, "%.*s", (int)o->tenant.len, o->tenant.ptr);
    snprintf(rv->journal, sizeof rv->journal, "%.*s", (int)o->journal.len, o->journal.ptr);
    snprintf(rv->piece, sizeof rv->piece, "%.*s", (int)o->piece_ref.len, o->piece_ref.ptr);
    snprintf(rv->label, sizeof rv->label, "Contre-passation %u/%u", fy, num);
    gl_line_iter it;
    gl_line l;
    size_t n = 0;
    bool codes = false;
    bool ok = rv->lines && rv->line_texts && rv->line_ext && rv->line_items;
    gl_line_iter_init(&it, o);
    while (ok && gl_line_next(&it, &l)) {
        gl_analytic a;
        if (gl_line_analytic(l.ext, l.ext_len, &a)) {
            rv->line_ext[n] =
                (gl_ext_in){rv->line_items[n], gl_analytic_item_put(rv->line_items[n], &a)};
            codes = true;
        }
        char *s = rv->line_texts + n * 4 * CLI_REVERSAL_TEXT;
        enum { AUX = CLI_REVERSAL_TEXT, AUX_LABEL = 2 * AUX, LABEL = 3 * AUX };
        snprintf(s, AUX, "%.*s", (int)l.account.len, l.account.ptr);
        snprintf(s + AUX, AUX, "%.*s", (int)l.aux.len, l.aux.ptr);
        snprintf(s + AUX_LABEL, AUX, "%.*s", (int)l.aux_label.len, l.aux_label.ptr);
        snprintf(s + LABEL, AUX, "%.*s", (int)l.label.len, l.label.ptr);
        uint8_t swapped = l.side == GL_SIDE_DEBIT ? GL_SIDE_CREDIT : GL_SIDE_DEBIT;
        rv->lines[n++] =
            (gl_line_in){s, s + AUX, s + AUX_LABEL, s + LABEL, swapped, l.amount_cents};
    }
    rv->entry = (gl_entry_in){.tenant = rv->tenant,
                              .journal = rv->journal,
                              .piece_ref = rv->piece,
                              .label = rv->label,
                              .date = date,
                              .piece_date = date,
                              .reverses_fy = fy,
                              .reverses_num = num,
                              .line_count = n,
                              .lines = rv->lines,
                              .line_ext = codes ? rv->line_ext : NULL};
    return ok ? GL_OK : GL_ERR_NOMEM;
}

void cli_reversal_free(cli_reversal *rv)
{
    free(rv->lines);
    free(rv->line_texts);
    free(rv->line_ext);
    free(rv->line_items);
    rv->lines = NULL;
    rv->line_texts = NULL;
    rv->line_ext = NULL;
    rv->line_items = NULL;
}
