/*
 * client/cli/asset_link.c — the acquisition entry of a fixed asset found
 * by journal and piece (asset_link.h): one JOURNAL walk, filtered by the
 * daemon on the journal and the piece's text, the exact piece and the
 * asset's account checked here.
 */
#include "asset_link.h"

#include "cli_replies.h"

#include "proto/entry.h"
#include "proto/query.h"

#include <string.h>

typedef struct link_walk {
    const char *piece;
    gl_asset *a;
} link_walk;

static bool debits(const gl_entry *e, gl_str account)
{
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        if (l.side == GL_SIDE_DEBIT && l.account.len == account.len &&
            !memcmp(l.account.ptr, account.ptr, account.len))
            return true;
    return false;
}

static int on_row(void *user, const gl_reply_journal_row *row)
{
    link_walk *w = user;
    const gl_entry *e = &row->entry;
    if (w->a->acq_num || e->reverses_num || e->piece_ref.len != strlen(w->piece) ||
        memcmp(e->piece_ref.ptr, w->piece, e->piece_ref.len) || !debits(e, w->a->account))
        return 0;
    w->a->acq_fy = row->fy;
    w->a->acq_num = row->num;
    return 0;
}

int asset_link_acquisition(cli *c, const char *journal, const char *piece, gl_asset *a)
{
    a->acq_fy = 0;
    a->acq_num = 0;
    link_walk w = {piece, a};
    gl_journal_q q = {.from = a->acquired,
                      .to = (a->acquired / 10000 + 1) * 10000 + 1231,
                      .limit = GL_PAGE_MAX,
                      .flags = GL_JOURNAL_FILTER};
    q.filter.fields = GL_FILTER_TEXT | GL_FILTER_JOURNAL;
    q.filter.text = (gl_str){piece, strlen(piece)};
    q.filter.journal = (gl_str){journal, strlen(journal)};
    int rc = cli_journal(c, c->tenant, &q, on_row, &w);
    if (rc < 0) {
        cli_error("cannot read the daemon's reply (journal %s)", journal);
        return EXIT_REFUSED;
    }
    return rc;
}
