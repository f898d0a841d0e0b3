/*
 * client/bank/parse_stub.c — TEMPORARY: replaced by helper L's parsers at
 * the merge (issue 18).  It defines what client/bank/statement.h and
 * client/cli/cmd_bank.h declare, so that this branch links: every parse is
 * refused with "format not supported yet", `bank csv-mapping` and `bank
 * parse` print that they are not available.  Delete this file when the
 * parsers (client/bank/parse_*.c, csv_mapping.c) are merged.
 */
#include "client/bank/statement.h"
#include "client/cli/cmd_bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gl_bank_parse(const uint8_t *bytes, size_t len, gl_bank_format format,
                  const gl_bank_csv_mapping *mapping, gl_bank_statements *out, gl_bank_error *err)
{
    (void)bytes, (void)len, (void)mapping;
    memset(out, 0, sizeof *out);
    *err = (gl_bank_error){format, 0, "format not supported yet"};
    return -1;
}

gl_bank_format gl_bank_detect(const uint8_t *bytes, size_t len)
{
    (void)bytes, (void)len;
    return GL_BANK_FORMAT_AUTO;
}

void gl_bank_statements_free(gl_bank_statements *s)
{
    for (size_t i = 0; s && s->items && i < s->n; i++)
        free(s->items[i].lines);
    if (s) {
        free(s->items);
        s->items = NULL;
        s->n = 0;
    }
}

int cmd_bank_csv_mapping(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("grandlivre: bank csv-mapping: not available\n", stderr);
    return 2;
}

int cmd_bank_parse(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("grandlivre: bank parse: not available\n", stderr);
    return 2;
}

int bank_csv_mapping_load(const char *name, gl_bank_csv_mapping *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    snprintf(err, err_len, "mapping %s: not available", name);
    return -1;
}
