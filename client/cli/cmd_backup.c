/*
 * client/cli/cmd_backup.c — `grandlivre backup -o FILE`: a consistent hot
 * copy of the whole ledger, taken by the daemon while it goes on serving.
 */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre backup -o FILE\n"
    "\n"
    "Ask the daemon for a consistent copy of the whole ledger (every tenant),\n"
    "compacted, taken from one snapshot while it goes on serving writes: FILE\n"
    "holds exactly what was committed when the copy began. FILE is a path on the\n"
    "daemon's machine (made absolute here), is created with mode 0600 and is\n"
    "never overwritten. The accountant only.\n"
    "\n"
    "Restore: stop the daemon (or use a new data directory), create an empty\n"
    "data directory, copy FILE into it as data.mdb (mode 0600) together with the\n"
    "old data directory's server.key (the daemon's CURVE key, which clients pin;\n"
    "the backup does not hold it), point data_dir at it and start grandlivred. Check it with `grandlivre verify` on an\n"
    "archive, or compare `grandlivre balance` outputs.\n";

int cmd_backup(int argc, char **argv)
{
    const char *out = NULL;
    for (int i = 1; i + 1 < argc; i++) /* -o FILE, before the common options */
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--out")) {
            out = argv[i + 1];
            memmove(&argv[i], &argv[i + 2], (size_t)(argc - i - 2) * sizeof *argv);
            argc -= 2;
            break;
        }
    cli c;
    int rc = cli_parse(&c, &argc, &argv, NULL, NULL, NULL, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc || !out) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    char path[PATH_MAX];
    if (out[0] == '/')
        snprintf(path, sizeof path, "%s", out);
    else if (!realpath(".", path) || strlen(path) + strlen(out) + 2 > sizeof path) {
        cli_error("cannot make %s absolute", out);
        return EXIT_USAGE;
    } else {
        strcat(path, "/");
        strcat(path, out);
    }
    if ((rc = cli_connect(&c)))
        return rc;
    gl_buf body;
    gl_buf_init(&body);
    gl_put_str16(&body, path, strlen(path));
    gl_response resp;
    rc = cli_call(&c, GL_KIND_BACKUP, "", body.data, body.len, &resp);
    if (rc == 0)
        printf("%s\n", path);
    gl_response_free(&resp);
    gl_buf_free(&body);
    cli_close(&c);
    return rc;
}
