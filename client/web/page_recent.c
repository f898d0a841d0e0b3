/*
 * client/web/page_recent.c — the last entries posted, for Accueil: the
 * journal of the current and the previous month walked page after page,
 * its last WEB_RECENT entries kept (rendered: the reply's views do not
 * outlive their page).
 */
#include "web.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "proto/query.h"
#include "proto/reply.h"

#define WEB_RECENT 10

/* The first day of the month before today's. */
static uint32_t month_before(uint32_t today)
{
    uint32_t y = today / 10000, m = today / 100 % 100;
    return m == 1 ? (y - 1) * 10000 + 1201 : y * 10000 + (m - 1) * 100 + 1;
}

void web_recent_entries(web_req *r, gl_buf *b)
{
    gl_buf ring[WEB_RECENT];
    size_t kept = 0;
    for (size_t i = 0; i < WEB_RECENT; i++)
        gl_buf_init(&ring[i]);
    gl_journal_q q = {.from = month_before(cli_today()), .to = cli_today(), .limit = GL_PAGE_MAX};
    bool more = true, ok = true;
    while (ok && more) {
        gl_buf body;
        gl_buf_init(&body);
        gl_journal_q_encode(&body, &q);
        gl_response resp;
        ok = web_call(r, b, GL_KIND_JOURNAL, body.data, body.len, &resp) == 0;
        gl_buf_free(&body);
        if (!ok)
            break;
        gl_reply_journal rep;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        ok = gl_reply_journal_page(gl_reply_view(resp.reply.body, resp.reply.body_len), &q, &rep,
                                   &it) == GL_OK;
        more = ok && rep.more;
        while (ok && gl_reply_journal_next(&it, &row) == 1) {
            gl_buf *slot = &ring[kept++ % WEB_RECENT];
            gl_buf_reset(slot);
            web_journal_rows(slot, r, &row);
        }
        gl_response_free(&resp);
    }
    if (ok) {
        web_raw(b, "<h2>");
        web_esc(b, _("Last entries"));
        web_raw(b, "</h2>\n");
        web_journal_head(b);
        size_t first = kept > WEB_RECENT ? kept - WEB_RECENT : 0;
        for (size_t i = kept; i-- > first;) { /* the last first */
            const gl_buf *slot = &ring[i % WEB_RECENT];
            gl_put_bytes(b, slot->data, slot->len);
            if (!gl_buf_ok(slot))
                b->failed = true;
        }
        web_journal_foot(b);
        if (!kept)
            web_banner(b, _("No entry in the last two months."), false);
    }
    for (size_t i = 0; i < WEB_RECENT; i++)
        gl_buf_free(&ring[i]);
}
