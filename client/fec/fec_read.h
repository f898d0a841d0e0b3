/*
 * client/fec/fec_read.h — reading a FEC (Fichier des Écritures Comptables,
 * LPF art. A47 A-1) into entries, in bounded memory: a file of a million
 * entries is read through temporary spools (client/fec/spool.h), never
 * held whole.
 *
 * Accepted: tab or '|' separator (detected from the header line), the
 * Debit/Credit and the Montant/Sens variants, comma or dot decimals, CRLF or
 * LF, UTF-8 (with or without BOM) or ISO 8859-15 (converted to UTF-8), dates
 * AAAAMMJJ.  Lines are grouped into entries by (JournalCode, EcritureNum), in
 * order of first appearance.  Every entry is checked (it balances, its dates
 * parse, amounts exact, at least two lines); the first fault is reported as
 * "line N: reason" and nothing is returned.  Which fault, when there are
 * several: the first met in the file's order among the lines' own faults
 * and the lines that do not fit their entry (another EcritureDate, too
 * many lines); failing any, the first entry, in order of first
 * appearance, that is not valid.
 */
#ifndef GL_FEC_READ_H
#define GL_FEC_READ_H

#include "client/input/entry_set.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum gl_fec_encoding {
    GL_FEC_ENC_AUTO, /* UTF-8 if the whole file is valid UTF-8, else ISO 8859-15 */
    GL_FEC_ENC_UTF8,
    GL_FEC_ENC_LATIN9,
};

/* Parse data[0..len) for tenant into out (initialised by the caller, left
 * empty on failure).  Account numbers are upper-cased; labels are trimmed.
 * Returns 0 on success, -1 with a message "line N: ..." in err on failure. */
int gl_fec_read(const char *data, size_t len, const char *tenant, enum gl_fec_encoding enc,
                gl_entry_set *out, char *err, size_t err_len);

/* A file read and checked, its entries waiting in spools. */
typedef struct gl_fec_reader gl_fec_reader;

/* One entry of the file, valid until the next gl_fec_next. */
typedef struct gl_fec_item {
    gl_entry_in entry;        /* its tenant is the reader's */
    size_t source_line;       /* the file line of its first line */
    const char *const *let;   /* per line: EcritureLet, "" if none */
    const uint32_t *let_date; /* per line: DateLet, 0 if none */
} gl_fec_item;

/* A lettered line, valid until the next gl_fec_next_letter. */
typedef struct gl_fec_let_line {
    const char *account, *aux, *code; /* code: the file's EcritureLet */
    size_t entry;                     /* 0-based, in the order gl_fec_next gave */
    uint16_t line;                    /* 1-based line of that entry */
    uint32_t date;                    /* DateLet, 0 if none */
    uint8_t side;
    int64_t amount_cents;
    size_t source_line; /* of the entry */
} gl_fec_let_line;

/* Read f (seekable: read twice, from its start) for tenant: its digest and
 * encoding, then every line checked and every entry gathered and checked.
 * 0 with *out (gl_fec_close it), or -1 with "line N: ..." in err.  At most
 * a few spools' runs (8 MiB each) and one line are held in memory. */
int gl_fec_open(FILE *f, const char *tenant, enum gl_fec_encoding enc, gl_fec_reader **out,
                char *err, size_t err_len);
void gl_fec_close(gl_fec_reader *r);
/* The bytes each spool holds before writing a run (default 8 MiB; 0
 * restores it): tests make every spool spill with small files. */
void gl_fec_run_bytes(size_t bytes);

/* Entries in the file, all valid. */
size_t gl_fec_count(const gl_fec_reader *r);
/* BLAKE2b-256 of the file's bytes (gl_entry_set_source's). */
const uint8_t *gl_fec_digest(const gl_fec_reader *r);
/* The distinct accounts and their first CompteLib, in file order (an entry
 * set holding accounts only). */
const gl_entry_set *gl_fec_accounts(const gl_fec_reader *r);
/* The distinct auxiliary codes of the file (CompAuxNum) as a set's
 * accounts (account: the code, label: its first CompAuxLib), and the
 * account (CompteNum) of the first line naming code i. */
const gl_entry_set *gl_fec_auxes(const gl_fec_reader *r);
const char *gl_fec_aux_account(const gl_fec_reader *r, size_t i);
/* The file line where the first entry using account i (of gl_fec_accounts)
 * starts; 0 if none. */
size_t gl_fec_account_entry_line(const gl_fec_reader *r, size_t i);
/* The earliest EcritureDate of the file's entries. */
uint32_t gl_fec_first_date(const gl_fec_reader *r);

/* The next entry in order of first appearance: 1, 0 at the end, -1 on a
 * spool's failure (errno).  Lettered lines are noted as they pass. */
int gl_fec_next(gl_fec_reader *r, gl_fec_item *item);
/* After the last gl_fec_next: the lettered lines ordered by account, aux,
 * the file's code, entry and line.  1, 0 at the end, -1 (errno). */
int gl_fec_next_letter(gl_fec_reader *r, gl_fec_let_line *out);

#endif
