/*
 * client/cli/cmd_ping.c — `grandlivre ping`: does the daemon answer, and
 * does it know this key?
 */
#include "cli.h"

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
    rc = cli_call(&c, GL_KIND_PING, "", NULL, 0, &resp);
    if (rc == 0) {
        gl_cur cur;
        gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
        gl_str version = gl_get_str8(&cur, 255);
        if (gl_cur_status(&cur) == GL_OK)
            printf("%.*s\n", (int)version.len, version.ptr);
    }
    gl_response_free(&resp);
    cli_close(&c);
    return rc;
}
