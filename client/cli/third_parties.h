/*
 * client/cli/third_parties.h — the registry of third parties on the
 * client's side (cmd_third_parties.c, third_parties_csv.c), shared with
 * `fec import`, which registers the auxiliary accounts a file names.
 */
#ifndef GL_CLI_THIRD_PARTIES_H
#define GL_CLI_THIRD_PARTIES_H

#include "cli.h"

#include "proto/third_party.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A tenant's registry as THIRD_PARTIES gives it: (source u8 | record)*. */
typedef struct tp_list {
    gl_buf bytes;
    uint32_t count;
} tp_list;

/* Every page of THIRD_PARTIES (codes starting with prefix) into l; 0 or an
 * exit code (reported).  tp_list_free either way. */
int tp_list_fetch(cli *c, const char *prefix, tp_list *l);
void tp_list_free(tp_list *l);
void tp_list_iter(const tp_list *l, gl_cur *c);
bool tp_list_next(const tp_list *l, gl_cur *c, uint8_t *source, gl_third_party *r);

/* A field from text (CLI option or CSV column: code, name, kind,
 * collective, siret, address, email, iban, terms_days, natural_person);
 * 0, or -1 with an English sentence (a msgid) in *why. */
int tp_field_set(gl_third_party *r, const char *name, const char *value, char *iban_buf,
                 size_t iban_cap, const char **why);
/* The daemon's field rules (445), checked before sending: GL_OK or
 * GL_ERR_BAD_THIRD_PARTY with *field. */
int tp_check(const gl_third_party *r, const char **field);
/* THIRD_PARTY_SET of n records in requests of at most GL_TP_SET_MAX;
 * *changed the records written.  0 or an exit code (reported). */
int tp_send(cli *c, uint8_t mode, const gl_third_party *r, size_t n, uint32_t *changed);
/* r's canonical bytes into body; a natural person's identifying block
 * sealed first to the person's key (PERSON_KEY; cmd_forget.c).  0 or the
 * exit code (the refusal reported). */
int tp_seal_encode(cli *c, const gl_third_party *r, gl_buf *body);
/* `third-parties import FILE`: 0 or an exit code. */
int tp_import(cli *c, const char *path);

int cmd_third_parties(int argc, char **argv);

#endif
