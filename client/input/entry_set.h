/*
 * client/input/entry_set.h — a list of entries read from a file (JSON or
 * FEC), owning all their memory, ready to be encoded with gl_entry_encode.
 * Also carries the account labels met in the file (for FEC
 * --open-accounts) and, per entry, the file line it started on (for error
 * messages).  Client-side only; depends on proto/.
 */
#ifndef GL_ENTRY_SET_H
#define GL_ENTRY_SET_H

#include "proto/entry.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gl_account_label {
    char *account;
    char *label;
} gl_account_label;

/* A line the file letters (a FEC's EcritureLet and DateLet): lines of one
 * account and aux that share a code are matched together. */
typedef struct gl_entry_letter {
    size_t entry;  /* index in entries */
    uint16_t line; /* 1-based line of that entry */
    char *code;    /* the file's code (not the daemon's) */
    uint32_t date; /* the file's lettering date, 0 if none */
} gl_entry_letter;

typedef struct gl_entry_set {
    gl_entry_in *entries; /* entries[i].lines are owned too */
    size_t *source_line;  /* 1-based file line where entry i starts (0 unknown) */
    size_t count, cap;
    gl_account_label *accounts; /* distinct accounts, first label seen */
    size_t account_count, account_cap;
    gl_entry_letter *letters; /* lettered lines, in file order */
    size_t letter_count, letter_cap;
    /* BLAKE2b of the input file the entries came from, when there is one:
     * request ids then derive from the file (and the batch number), so that
     * posting the same file again is recognised whatever the client version. */
    uint8_t source_digest[32];
    bool has_source_digest;
} gl_entry_set;

/* Record the digest of the source file's bytes. */
void gl_entry_set_source(gl_entry_set *s, const void *data, size_t len);

void gl_entry_set_init(gl_entry_set *s);
void gl_entry_set_free(gl_entry_set *s);

/* Append an entry; copies every string, the lines, the entry's extension
 * area and the lines' areas (line_ext, when not NULL: the analytic codes
 * of issue 19).  Returns 0, or -1 on allocation failure (set unchanged). */
int gl_entry_set_add(gl_entry_set *s, const gl_entry_in *e, size_t source_line);

/* Record an account label if the account is not yet known. 0 or -1 (nomem). */
int gl_entry_set_note_account(gl_entry_set *s, const char *account, const char *label);

/* Record that line `line` (1-based) of entry `entry` carries the file's
 * letter code (copied) and date.  0 or -1 (nomem, set unchanged). */
int gl_entry_set_note_letter(gl_entry_set *s, size_t entry, uint16_t line, const char *code,
                             uint32_t date);

/* Label of a recorded account, or NULL. */
const char *gl_entry_set_account_label(const gl_entry_set *s, const char *account);

#endif
