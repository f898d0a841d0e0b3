/*
 * client/cli/cmd_backup.c — `grandlivre backup [NAME]`: a consistent hot
 * copy of the whole ledger, taken by the daemon while it goes on serving,
 * into the directory its configuration names (`[daemon] backup_dir`).  The
 * request names only the file; the daemon answers with its full path,
 * which is printed.
 */
#include "cli.h"

#include "proto/backup.h"
#include "proto/reply_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: grandlivre backup [NAME]\n"
    "\n"
    "Ask the daemon for a consistent copy of the whole ledger (every tenant),\n"
    "compacted, taken from one snapshot while it goes on serving writes: the\n"
    "file holds exactly what was committed when the copy began. The daemon\n"
    "writes it into its backup directory (`backup_dir` in the [daemon] section\n"
    "of its configuration; without it backups are disabled: 504) under NAME,\n"
    "one file name of 1-64 characters A-Z a-z 0-9 . _ -, not starting with a\n"
    "dot (default: grandlivre-YYYYMMDD-HHMMSS.mdb, UTC), mode 0600, never\n"
    "replacing an existing file (505). Prints the file's full path on the\n"
    "daemon's machine (--format csv or json: one row, file). The accountant only.\n"
    "Beside it, once a natural person has a key, the directory NAME.persons\n"
    "holds a copy of the key store of natural persons (docs/personal-data.md):\n"
    "keep it as safe as the ledger, and\n"
    "destroy it with the backup (it holds the keys of persons forgotten since).\n"
    "\n"
    "Restore: stop the daemon (or use a new data directory), create an empty\n"
    "data directory, copy the file into it as data.mdb (mode 0600) together with\n"
    "the old data directory's server.key (the daemon's CURVE key, which clients\n"
    "pin; the backup does not hold it), and NAME.persons as persons (cp -a),\n"
    "point data_dir at it and start grandlivred. Check it with `grandlivre\n"
    "verify` on an archive, or compare `grandlivre balance` outputs.\n";

int cmd_backup(int argc, char **argv)
{
    cli c;
    int rc = cli_parse_args(&c, &argc, &argv, 1, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    char name[GL_BACKUP_NAME_MAX + 1];
    if (argc) {
        if (strlen(argv[0]) > GL_BACKUP_NAME_MAX) {
            cli_error("backup: NAME is at most %d bytes", GL_BACKUP_NAME_MAX);
            return EXIT_USAGE;
        }
        snprintf(name, sizeof name, "%s", argv[0]);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(name, sizeof name, "grandlivre-%Y%m%d-%H%M%S.mdb", &tm);
    }
    /* The daemon alone judges the name (bad_file_name, 112): one rule, in
     * one place. */
    if ((rc = cli_connect(&c)))
        return rc;
    gl_buf body;
    gl_buf_init(&body);
    gl_backup_q_encode(&body, name, strlen(name));
    gl_response resp;
    rc = cli_call(&c, GL_KIND_BACKUP, "", body.data, body.len, &resp);
    if (rc == 0) {
        gl_reply_backup r;
        if (gl_reply_backup_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) ==
            GL_OK) {
            if (cli_format_table(&c)) {
                printf("%.*s\n", (int)r.path.len, r.path.ptr);
            } else {
                static const out_col cols[] = {{"file", OUT_TEXT}};
                out_table *t = out_new(cols, 1);
                if (t)
                    out_text(t, r.path.ptr, r.path.len);
                rc = cli_format_render(&c, t);
            }
        } else {
            cli_error("backup: written, but the daemon's reply does not say where");
            rc = EXIT_REFUSED;
        }
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    cli_close(&c);
    return rc;
}
