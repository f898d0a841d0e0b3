/*
 * client/bank/bank_client.h — sending a bank statement to the daemon
 * (issue 18, PROTOCOL.md §5.37): a gl_bank_statement (statement.h, as the
 * parsers give it) becomes BANK_IMPORT requests of at most
 * GL_BANK_IMPORT_MAX lines each, every one atomic: the first carries the
 * statement's opening balance, the last its closing.  A refusal stops
 * there: the requests accepted before it stay (each is whole, and
 * importing the same statement again adds only what is missing).
 */
#ifndef GL_BANK_CLIENT_H
#define GL_BANK_CLIENT_H

#include "client/bank/statement.h"
#include "client/lib/grandlivre.h"

#include "proto/bank.h"
#include "proto/limits.h"

#include <stdint.h>

typedef struct gl_bank_import_result {
    uint32_t added, already;      /* over every request sent */
    uint32_t requests;            /* accepted */
    gl_bank_import_reply opening; /* the reply of the request with the opening (its gap) */
    /* On a refusal: the daemon's status, detail, and the file line of the
     * statement line at fault (0: the statement's own fields). */
    int status;
    uint32_t source_line;
    char detail[GL_DETAIL_MAX + 1];
} gl_bank_import_result;

/* Import s into account's registered bank account of tenant.  format and
 * file_sha256 (32 bytes, may be NULL) describe the file.  Returns GL_OK
 * when every request was accepted, else the status of the first refused
 * (out->status, out->detail) or the library's local status (a transport
 * failure, NOMEM, INPUT for a line too long for the protocol). */
int gl_client_bank_import(gl_client *c, const char *tenant, const char *account,
                          const gl_bank_statement *s, gl_bank_format format,
                          const uint8_t *file_sha256, gl_bank_import_result *out);

/* The body of one BANK_IMPORT: lines [first, first + n) of s. */
int gl_bank_import_body(gl_buf *b, const char *account, const gl_bank_statement *s,
                        gl_bank_format format, const uint8_t *file_sha256, size_t first, size_t n);

#endif
