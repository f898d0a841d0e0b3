/*
 * client/cli/cli_files.h — the files the CLI writes (the FEC export, the
 * verification archive, the statements' HTML page) made into a stream or a
 * buffer instead, with the connection c already open: `grandlivre web`
 * serves them as downloads, the same bytes as the command writes.
 *
 * Each returns 0 or the command's exit code; a refusal or a failure is
 * reported on standard error as the command reports it (the caller only
 * says that it failed).  c->tenant is the tenant they are about.
 */
#ifndef GL_CLI_FILES_H
#define GL_CLI_FILES_H

#include "cli.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* `fec export --year YEAR` (tab, ISO-8859-15) into f; the FEC's legal
 * file name (SIRENFECYYYYMMDD.txt) into name (cmd_export.c). */
int cli_fec_export_to(cli *c, int year, FILE *f, char *name, size_t name_cap);
/* `archive --tenant T -o FILE`: the archive's bytes into out, which must be
 * initialised (gl_buf_init) and is replaced (cmd_verify.c). */
int cli_archive_to(cli *c, gl_buf *out);
/* `statements --year YEAR --format html` of c->tenant, or with group of
 * the group (cmd_statements.c). */
int cli_statements_html(cli *c, long year, bool group, FILE *f);

#endif
