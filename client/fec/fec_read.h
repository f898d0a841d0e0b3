/*
 * client/fec/fec_read.h — reading a FEC (Fichier des Écritures Comptables,
 * LPF art. A47 A-1) into entries.  Pure: bytes in, entries out, no I/O.
 *
 * Accepted: tab or '|' separator (detected from the header line), the
 * Debit/Credit and the Montant/Sens variants, comma or dot decimals, CRLF or
 * LF, UTF-8 (with or without BOM) or ISO 8859-15 (converted to UTF-8), dates
 * AAAAMMJJ.  Lines are grouped into entries by (JournalCode, EcritureNum), in
 * order of first appearance.  Every entry is checked (it balances, its dates
 * parse, amounts exact, at least two lines); the first fault is reported as
 * "line N: reason" and nothing is returned.
 */
#ifndef GL_FEC_READ_H
#define GL_FEC_READ_H

#include "client/input/entry_set.h"

#include <stddef.h>

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

#endif
