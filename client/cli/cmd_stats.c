/*
 * client/cli/cmd_stats.c — `grandlivre stats`: the daemon's own service
 * times per request kind (measured inside the daemon: from the handler's
 * start to its reply being ready, commit included) and its resident memory.
 */
#include "cli.h"

#include "proto/reply_group.h"
#include "proto/request.h"

#include <stdio.h>

static const char help[] =
    "usage: grandlivre stats [--format F]\n"
    "\n"
    "The daemon's service time per request kind since it started, measured\n"
    "inside it (handler start to reply ready, the commit included for writes):\n"
    "count, p50, p99 and max in microseconds (p50/p99 are log2 bucket upper\n"
    "bounds), and the daemon's resident memory: its own pages, and the mapped\n"
    "files (LMDB's pages, shared libraries). The accountant and auditors.\n";

int cmd_stats(int argc, char **argv)
{
    cli c;
    gl_response resp;
    int rc = cli_ask(&c, argc, argv, help, GL_KIND_STATS, &resp);
    if (rc)
        return rc < 0 ? 0 : rc;
    static const out_col cols[] = {{"kind", OUT_TEXT},
                                   {"count", OUT_INT},
                                   {"p50_us", OUT_INT},
                                   {"p99_us", OUT_INT},
                                   {"max_us", OUT_INT}};
    out_table *t = out_new(cols, 5);
    gl_reply_stats r;
    bool ok =
        gl_reply_stats_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) == GL_OK;
    gl_reply_stats_iter it;
    gl_reply_stats_row row;
    gl_reply_stats_iter_init(&it, &r);
    while (ok && t && gl_reply_stats_next(&it, &row) == 1) {
        out_cstr(t, gl_kind_name(row.kind));
        out_int(t, (int64_t)row.count);
        out_int(t, (int64_t)(row.p50_ns / 1000));
        out_int(t, (int64_t)(row.p99_ns / 1000));
        out_int(t, (int64_t)(row.max_ns / 1000));
    }
    if (c.format == OUT_TABLE || c.format == OUT_TABLE_FR)
        printf(
            "daemon resident memory: %llu KiB own + %llu KiB mapped files (LMDB pages, libraries)\n",
            (unsigned long long)r.rss_anon_kb, (unsigned long long)r.rss_file_kb);
    if (!ok || !t || out_render(t, c.format, stdout))
        rc = EXIT_REFUSED;
    out_free(t);
    gl_response_free(&resp);
    cli_close(&c);
    return rc;
}
