/*
 * client/bank/persons_mask.h — natural persons never sent in clear in a
 * bank statement (issue 18; PROTOCOL.md §5.37, the counterparties).  Before
 * `bank import` signs its requests (which the daemon keeps), each line
 * whose counterparty is a natural person of the tenant's registry (opened:
 * the person still has a key) gets the person's third-party code in the
 * form `@CODE` as counterparty, its counterparty IBAN cleared, and the
 * person's name in its label replaced by the same `@CODE`.
 *
 * A person is recognised by the name, folded (proto/textfold.h: case and
 * accents ignored), as whole words in the order written or any rotation of
 * it ("Marie Dupont" finds "DUPONT MARIE", "Jean-Pierre Martin" finds
 * "MARTIN JEAN PIERRE"; a hyphen, an apostrophe or a dot separate words as
 * a space does), or by the counterparty IBAN equal to the registry's (spaces
 * and case ignored).  A word inside another word is no match ("ROSE" is
 * not in "ROSERAIE").  Words already written `@CODE` are never matched
 * again.  Longer names are tried first.  Each text is folded once per
 * line, each name once (2,000 lines against 2,000 persons: about a quarter
 * of a second).  Pure: no I/O, no daemon.
 */
#ifndef GL_BANK_PERSONS_MASK_H
#define GL_BANK_PERSONS_MASK_H

#include "client/bank/statement.h"
#include "proto/limits.h"
#include "proto/third_party.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_PERSON_NAME_MAX 255 /* a registry name: str8 */

#define GL_PERSON_WORDS_MAX 32 /* a longer name is recognised by its IBAN only */

typedef struct gl_person_mask {
    char code[GL_AUX_MAX + 1];
    char iban[GL_TP_IBAN_MAX + 1];       /* compacted, upper case; "" if none */
    char folded[GL_PERSON_NAME_MAX + 1]; /* the name's words, folded */
    uint8_t word_at[GL_PERSON_WORDS_MAX], word_len[GL_PERSON_WORDS_MAX];
    size_t n_words; /* 0: by the IBAN only */
} gl_person_mask;

typedef struct gl_persons {
    gl_person_mask *items; /* most words first */
    size_t n, cap;
} gl_persons;

/* Add a person (code, name, iban as text; iban may be empty).  A name of
 * no word and no IBAN adds nothing.  0, or -1 when out of memory. */
int gl_persons_add(gl_persons *p, const char *code, size_t code_len, const char *name,
                   size_t name_len, const char *iban, size_t iban_len);
/* Add r if it is a natural person whose identifying block is opened (a
 * sealed record, a forgotten person's, has no name to match); others are
 * left out.  0, or -1 when out of memory. */
int gl_persons_add_record(gl_persons *p, const gl_third_party *r);
void gl_persons_free(gl_persons *p);

/* Mask line l; true if it changed. */
bool gl_persons_mask_line(const gl_persons *p, gl_bank_line *l);
/* Mask every line of s; the number of lines changed. */
size_t gl_persons_mask_statement(const gl_persons *p, gl_bank_statement *s);

#endif
