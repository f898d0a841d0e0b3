/*
 * client/cli/cmd_complete.c — `grandlivre __complete WHAT`, hidden: the words
 * the shell completion (completion/grandlivre.bash) offers, taken from the
 * program itself so that they cannot drift from it.
 *
 *   __complete commands             the command table of main.c, one a line
 *   __complete tenants [options]    the tenants the key may see, one a line:
 *                                   a member's own, or every tenant (TENANTS)
 *
 * A command's options and subcommands are read by the completion from the
 * command's own --help, and account numbers from `accounts list --format
 * csv`.  `tenants` asks the daemon with the common options and the profile
 * as any command would, but never waits long (2 s unless --timeout) and
 * never asks for a passphrase (a protected key gives no tenants): a
 * completion must not hang a shell.  Any failure prints nothing more than
 * the usual one line on stderr (which the completion discards).
 */
#include "complete.h"

#include "cli.h"
#include "proto/reply_group.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* How long `tenants` waits for the daemon unless --timeout says otherwise. */
#define COMPLETE_TIMEOUT_MS 2000

static const char help[] =
    "usage: grandlivre __complete commands\n"
    "       grandlivre __complete tenants [common options]\n"
    "\n"
    "The words the shell completion offers (completion/grandlivre.bash).\n";

static bool has_timeout_option(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--timeout", 9))
            return true;
    return false;
}

/* Every tenant TENANTS lists, one a line; nothing if the daemon refuses. */
static void list_all_tenants(cli *c)
{
    gl_response resp;
    gl_reply_tenants tenants;
    if (gl_call(c->client, GL_KIND_TENANTS, "", gl_request_id_random(), NULL, 0, &resp) == GL_OK &&
        resp.reply.status == GL_OK &&
        gl_reply_tenants_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &tenants) ==
            GL_OK) {
        gl_reply_tenants_iter it;
        gl_reply_tenants_row t;
        for (gl_reply_tenants_iter_init(&it, &tenants); gl_reply_tenants_next(&it, &t) == 1;)
            printf("%.*s\n", (int)t.id.len, t.id.ptr);
    }
    gl_response_free(&resp);
}

static int complete_tenants(int argc, char **argv)
{
    cli c;
    bool timeout_given = has_timeout_option(argc, argv);
    int rc = cli_parse_args(&c, &argc, &argv, 0, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!timeout_given)
        c.timeout_ms = COMPLETE_TIMEOUT_MS;
    gl_key unprotected;
    char err[256];
    if (!c.key_path || gl_key_load(c.key_path, &unprotected, err, sizeof err) != GL_OK)
        return EXIT_KEYFILE; /* no key, or one cli_connect would ask a passphrase for */
    sodium_memzero(&unprotected, sizeof unprotected);
    if ((rc = cli_connect(&c)))
        return rc;
    gl_whoami w;
    int st = gl_client_whoami(c.client, &w);
    if (st != GL_OK)
        rc = EXIT_UNREACHABLE;
    else if (w.role == 1)
        printf("%s\n", w.tenant);
    else
        list_all_tenants(&c);
    cli_close(&c);
    return rc;
}

int cmd_complete(int argc, char **argv, const char *const *commands, size_t command_count)
{
    if (argc >= 2 && !strcmp(argv[1], "commands")) {
        for (size_t i = 0; i < command_count; i++)
            if (commands[i][0] != '_') /* hidden ones, as this one */
                printf("%s\n", commands[i]);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "tenants"))
        return complete_tenants(argc - 1, argv + 1);
    fputs(help, stderr);
    return EXIT_USAGE;
}
