/*
 * client/cli/cmd_ping.c — `grandlivre ping`: does the daemon answer, and
 * does it know this key?
 */
#include "cli.h"
#include "cli_replies.h"

#include <stdio.h>

static const char help[] =
    "usage: grandlivre ping [--endpoint URL] [--key FILE] [--server-key HEX] [--timeout SEC]\n"
    "\n"
    "Send a signed ping over the encrypted transport. Prints the daemon's version\n"
    "and exits 0 when it answers and knows your key; exits 1 (unknown_key) when\n"
    "it does not know the key or it was revoked, 3 when it does not answer within\n"
    "the timeout or the secure handshake fails (e.g. --server-key is not the\n"
    "daemon's: see grandlivred --print-server-key).\n";

int cmd_ping(int argc, char **argv)
{
    cli c;
    gl_response resp;
    int rc = cli_ask(&c, argc, argv, help, GL_KIND_PING, &resp);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_reply_ping p;
    if (gl_reply_ping_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &p) == GL_OK)
        printf("%.*s\n", (int)p.version.len, p.version.ptr);
    gl_response_free(&resp);
    cli_close(&c);
    return rc;
}
