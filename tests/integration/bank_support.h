/*
 * tests/integration/bank_support.h — what the bank tests share (issue 18):
 * requests of kinds 36-39 built and sent through the harness, statements
 * built in memory (no parser: client/bank/statement.h filled by hand), and
 * an archive verified after one byte of a bank event was changed.
 */
#ifndef GL_TEST_BANK_SUPPORT_H
#define GL_TEST_BANK_SUPPORT_H

#include "tests/support/harness.h"

#include "client/bank/bank_client.h"
#include "client/bank/statement.h"
#include "proto/bank.h"
#include "proto/bank_rule.h"
#include "proto/bank_match.h"
#include "proto/chain.h"
#include "proto/request.h"
#include "proto/status.h"

#define IBAN_A "FR7630006000011234567890189"
#define RIB_A "RIB:30006000011234567890189"
#define IBAN_B "FR1420041010050500013M02606"
#define IBAN_BAD "FR7630006000011234567890188"

/* A body of BANK_ACCOUNT_SET, BANK_IMPORT, BANK_LINES or kinds 40-45 that decodes
 * (the suites that send every kind: member_view, authz). */
void bk_any_body(uint16_t kind, gl_buf *b);
void bk_set_body(gl_buf *b, const char *account, const char *iban, const char *bic,
                 const char *label);
/* BANK_ACCOUNT_SET; the reply's status. */
int bk_set(harness *h, enum h_key k, const char *tenant, const char *account, const char *iban,
           const char *bic, const char *label);
/* BANK_ACCOUNTS as "account:iban:bic:label;" per bank account. */
void bk_list(harness *h, enum h_key k, const char *tenant, char *out, size_t cap);
/* The events of that type in tenant's chain. */
long bk_events(harness *h, const char *tenant, uint16_t type);
void bk_unchanged(harness *h, const uint8_t before[32], const char *what);

/* A statement of n lines (malloc'd lines, zeroed: the caller fills them). */
void bk_statement(gl_bank_statement *s, const char *account_id, size_t n);
void bk_line(gl_bank_line *l, uint32_t date, int64_t cents, const char *label, const char *ref);
/* BANK_IMPORT of s through the client library as key k. */
int bk_import(harness *h, enum h_key k, const char *tenant, const char *account,
              const gl_bank_statement *s, gl_bank_import_result *r);
/* BANK_LINES (every page) as "date:amount:label:seq;" per line ("seqm;" when
 * the line is matched). */
int bk_lines(harness *h, enum h_key k, const char *tenant, const char *account, uint32_t from,
             uint32_t to, char *out, size_t cap, uint32_t *count);

/* Archive every tenant, check it verifies, then change one byte of the
 * first event of type (the byte after needle's first occurrence in its
 * body, or its last byte if needle is NULL), recompute the hashes and
 * verify again: the exit status of that verify, its output in out. */
int bk_verify_tampered(harness *h, uint16_t type, const char *needle, char *out, size_t cap);

#endif
