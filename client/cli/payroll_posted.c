/*
 * client/cli/payroll_posted.c — whether a payroll month is already in the
 * books (cmd_payroll.h): JOURNAL from the month's last day on, journal SA,
 * text = the piece PAIE-YYYY-MM; the entries of that exact piece dated
 * that day that no later entry of the same piece reverses (a reversal
 * keeps its entry's piece, client/cli/reversal.c).  An entry standing with
 * the very lines the file gives is the same import signed by another key
 * ("already imported"); one with other lines is a corrected export, which
 * the user reverses first (982 payroll_month_posted).
 */
#include "cmd_payroll.h"

#include "cli_replies.h"

#include "client/payroll/payroll.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"

#include <string.h>

#define STANDING_MAX 64

typedef struct posted_walk {
    const gl_payroll_summary *s;
    uint16_t fy[STANDING_MAX];
    uint32_t num[STANDING_MAX];
    bool same[STANDING_MAX];
    size_t n;
} posted_walk;

static bool str_is(gl_str a, const char *b)
{
    return a.len == strlen(b) && !memcmp(a.ptr, b, a.len);
}

/* Whether the stored entry carries the summary's lines, in order. */
static bool same_lines(const gl_entry *e, const gl_payroll_summary *s)
{
    if (e->line_count != s->n)
        return false;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (size_t i = 0; i < s->n; i++) {
        const gl_payroll_line *p = &s->lines[i];
        uint8_t item[2 + GL_AN_ITEM_MAX];
        size_t item_len = gl_payroll_line_item(p, item);
        if (!gl_line_next(&it, &l) || !str_is(l.account, p->account) || l.side != p->side ||
            l.amount_cents != p->amount_cents || l.ext_len != item_len ||
            (item_len && memcmp(l.ext, item, item_len)))
            return false;
    }
    return true;
}

static void forget(posted_walk *w, uint16_t fy, uint32_t num)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->fy[i] == fy && w->num[i] == num) {
            w->n--;
            w->fy[i] = w->fy[w->n];
            w->num[i] = w->num[w->n];
            w->same[i] = w->same[w->n];
            return;
        }
}

static int on_row(void *user, const gl_reply_journal_row *row)
{
    posted_walk *w = user;
    const gl_entry *e = &row->entry;
    if (!str_is(e->piece_ref, w->s->piece) || !str_is(e->journal, GL_PAYROLL_JOURNAL))
        return 0;
    if (e->reverses_num)
        forget(w, e->reverses_fy, e->reverses_num);
    else if (e->date == w->s->date && w->n < STANDING_MAX) {
        w->fy[w->n] = row->fy;
        w->num[w->n] = row->num;
        w->same[w->n++] = same_lines(e, w->s);
    }
    return 0;
}

int payroll_posted(cli *c, const gl_payroll_summary *s, payroll_standing *out)
{
    memset(out, 0, sizeof *out);
    posted_walk w = {.s = s};
    gl_journal_q q = {.from = s->date,
                      .to = (s->date / 10000 + 2) * 10000 + 1231,
                      .limit = GL_PAGE_MAX,
                      .flags = GL_JOURNAL_FILTER};
    q.filter.fields = GL_FILTER_TEXT | GL_FILTER_JOURNAL;
    q.filter.text = (gl_str){s->piece, strlen(s->piece)};
    q.filter.journal = (gl_str){GL_PAYROLL_JOURNAL, strlen(GL_PAYROLL_JOURNAL)};
    int rc = cli_journal(c, c->tenant, &q, on_row, &w);
    if (rc < 0) {
        cli_error("cannot read the daemon's reply (journal %s)", GL_PAYROLL_JOURNAL);
        return EXIT_REFUSED;
    }
    for (size_t i = 0; rc == 0 && i < w.n; i++) {
        payroll_entry *slot = w.same[i] ? &out->same : &out->other;
        if (!slot->num)
            *slot = (payroll_entry){w.fy[i], w.num[i]};
    }
    return rc;
}
