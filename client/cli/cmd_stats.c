/*
 * client/cli/cmd_stats.c — `grandlivre stats`: the daemon's own service
 * times per request kind (measured inside the daemon: from the handler's
 * start to its reply being ready, commit included) and its resident memory.
 */
#include "cli.h"

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
    int rc = cli_parse(&c, &argc, &argv, NULL, NULL, NULL, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_connect(&c)))
        return rc;
    gl_response resp;
    rc = cli_call(&c, GL_KIND_STATS, "", NULL, 0, &resp);
    if (rc == 0) {
        static const out_col cols[] = {{"kind", OUT_TEXT}, {"count", OUT_INT}, {"p50_us", OUT_INT},
                                       {"p99_us", OUT_INT}, {"max_us", OUT_INT}};
        out_table *t = out_new(cols, 5);
        gl_cur cur;
        gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
        uint64_t rss_kb = gl_get_u64(&cur), rss_file_kb = gl_get_u64(&cur);
        uint16_t n = gl_get_u16(&cur);
        for (uint16_t i = 0; i < n && gl_cur_status(&cur) == GL_OK && t; i++) {
            uint16_t kind = gl_get_u16(&cur);
            uint64_t count = gl_get_u64(&cur), p50 = gl_get_u64(&cur), p99 = gl_get_u64(&cur), max = gl_get_u64(&cur);
            out_cstr(t, gl_kind_name(kind));
            out_int(t, (int64_t)count);
            out_int(t, (int64_t)(p50 / 1000));
            out_int(t, (int64_t)(p99 / 1000));
            out_int(t, (int64_t)(max / 1000));
        }
        if (c.format == OUT_TABLE || c.format == OUT_TABLE_FR)
            printf("daemon resident memory: %llu KiB own + %llu KiB mapped files (LMDB pages, libraries)\n",
                   (unsigned long long)rss_kb, (unsigned long long)rss_file_kb);
        if (gl_cur_end(&cur) != GL_OK || !t || out_render(t, c.format, stdout))
            rc = EXIT_REFUSED;
        out_free(t);
    }
    gl_response_free(&resp);
    cli_close(&c);
    return rc;
}
