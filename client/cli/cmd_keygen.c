/*
 * client/cli/cmd_keygen.c — `grandlivre keygen --out FILE`.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre keygen --out FILE\n"
    "\n"
    "Create a new Ed25519 key pair in FILE (mode 0600; an existing file is never\n"
    "overwritten) and print its public key (64 hex digits) on standard output.\n"
    "Give the public key to the daemon's administrator for the keyring; keep the\n"
    "file secret.\n";

enum { OPT_OUT = 2000 };

static int on_opt(int opt, const char *arg, void *user)
{
    if (opt != OPT_OUT)
        return EXIT_USAGE;
    *(const char **)user = arg;
    return 0;
}

int cmd_keygen(int argc, char **argv)
{
    static const struct option extra[] = {{"out", required_argument, NULL, OPT_OUT}, {0}};
    const char *out = NULL;
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &out, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!out || argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    uint8_t pk[32];
    char err[512], hex[65];
    if (gl_key_generate(out, pk, err, sizeof err) != GL_OK) {
        cli_error("%s", err);
        return EXIT_KEYFILE;
    }
    gl_hex(pk, 32, hex);
    printf("%s\n", hex);
    return 0;
}
