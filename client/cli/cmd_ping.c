/*
 * client/cli/cmd_ping.c — `grandlivre ping`: does the daemon answer, and
 * does it know this key?
 */
#include "cli.h"
#include "cli_replies.h"

#include <stdio.h>
#include <time.h>

static const char help[] =
    "usage: grandlivre ping [--endpoint URL] [--key FILE] [--server-key HEX] [--timeout SEC]\n"
    "\n"
    "Send a signed ping over the encrypted transport. Prints the daemon's version,\n"
    "then your key's fingerprint and role, the daemon's endpoint and server key\n"
    "fingerprint and its clock offset (grandlivre whoami says more), and exits 0\n"
    "when it answers and knows your key; exits 1 (unknown_key) when\n"
    "it does not know the key or it was revoked, 3 when it does not answer within\n"
    "the timeout or the secure handshake fails (e.g. --server-key is not the\n"
    "daemon's: see grandlivred --print-server-key). --format csv or json prints\n"
    "the same as one row (version, key_fingerprint, role, tenant, endpoint,\n"
    "server_key_fingerprint, clock_offset_ms, round_trip_ms).\n";

/* --format csv or json: one row of what the text says, the role by its
 * name and the clock offset and round trip in milliseconds. */
static int print_ping(const cli *c, const gl_reply_ping *p, const char *key_fp,
                      const char *server_fp, int64_t sent_ms, int64_t received_ms)
{
    static const char *const roles[] = {"unknown", "member", "accountant", "auditor"};
    static const out_col cols[] = {
        {"version", OUT_TEXT},        {"key_fingerprint", OUT_TEXT},
        {"role", OUT_TEXT},           {"tenant", OUT_TEXT},
        {"endpoint", OUT_TEXT},       {"server_key_fingerprint", OUT_TEXT},
        {"clock_offset_ms", OUT_INT}, {"round_trip_ms", OUT_INT}};
    out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    if (t) {
        out_text(t, p->version.ptr, p->version.len);
        out_cstr(t, key_fp);
        out_cstr(t, roles[p->role <= 3 ? p->role : 0]);
        out_text(t, p->tenant.ptr, p->tenant.len);
        out_cstr(t, c->endpoint);
        out_cstr(t, server_fp);
        out_int(t, p->now_ms - (sent_ms + received_ms) / 2);
        out_int(t, received_ms - sent_ms);
    }
    return cli_format_render(c, t);
}

int cmd_ping(int argc, char **argv)
{
    cli c;
    int rc = cli_parse_connect(&c, &argc, &argv, 0, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_response resp;
    struct timespec t0, t1;
    clock_gettime(CLOCK_REALTIME, &t0);
    rc = cli_call(&c, GL_KIND_PING, "", NULL, 0, &resp);
    clock_gettime(CLOCK_REALTIME, &t1);
    gl_reply_ping p;
    if (rc == 0 &&
        gl_reply_ping_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &p) == GL_OK) {
        static const char *const roles[] = {"unknown role", "member of ", "accountant", "auditor"};
        char key_fp[GL_FINGERPRINT_LEN], server_fp[GL_FINGERPRINT_LEN];
        uint8_t server_key[32];
        gl_fingerprint(c.key.pk, key_fp);
        gl_server_key_parse(c.server_key, server_key); /* checked by cli_connect */
        gl_fingerprint(server_key, server_fp);
        int64_t sent_ms = (int64_t)t0.tv_sec * 1000 + t0.tv_nsec / 1000000,
                received_ms = (int64_t)t1.tv_sec * 1000 + t1.tv_nsec / 1000000;
        if (cli_format_table(&c)) {
            printf("%.*s\n", (int)p.version.len, p.version.ptr);
            printf("key:        %s, %s%.*s\n", key_fp, roles[p.role <= 3 ? p.role : 0],
                   (int)p.tenant.len, p.tenant.ptr);
            printf("endpoint:   %s (server key %s)\n", c.endpoint, server_fp);
            cli_print_clock(p.now_ms, sent_ms, received_ms);
        } else {
            rc = print_ping(&c, &p, key_fp, server_fp, sent_ms, received_ms);
        }
    }
    gl_response_free(&resp);
    cli_close(&c);
    return rc;
}
