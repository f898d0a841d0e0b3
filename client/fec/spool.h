/*
 * client/fec/spool.h — an external sort of byte records, for reading very
 * large files in bounded memory (fec import: a million entries).
 *
 * Records (a key and a value, both bytes) are added in any order and read
 * back in key order (memcmp, a shorter key first when one is a prefix of
 * the other; equal keys in the order added).  While records are added,
 * at most run_bytes of them are held in memory: beyond, the held records
 * are sorted and written as one run into an unlinked temporary file in
 * $TMPDIR (default /tmp); reading merges the runs, holding one buffer per
 * run.  A spool that never exceeded run_bytes touches no file.
 *
 * Memory: run_bytes plus 24 bytes per record held, while adding; while
 * reading, SPOOL_READ_BUF per run plus the largest record.
 */
#ifndef GL_SPOOL_H
#define GL_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define SPOOL_READ_BUF (64u * 1024u)

typedef struct gl_spool gl_spool;

/* A new spool (NULL on nomem); no file is created yet. */
gl_spool *gl_spool_new(size_t run_bytes);
void gl_spool_free(gl_spool *s);

/* Add one record (copied).  0, or -1 on nomem or a write error (errno
 * set; the spool is then unusable). */
int gl_spool_add(gl_spool *s, const void *key, size_t key_len, const void *val, size_t val_len);

/* Stop adding; reading starts with the smallest key.  0 or -1 (errno). */
int gl_spool_sort(gl_spool *s);

/* The next record in key order: 1 with key and val pointing into the
 * spool (valid until the next call), 0 at the end, -1 on a read error or
 * nomem (errno). */
int gl_spool_next(gl_spool *s, const uint8_t **key, size_t *key_len, const uint8_t **val,
                  size_t *val_len);

/* Records added; runs written to the temporary file (0: all in memory). */
uint64_t gl_spool_count(const gl_spool *s);
size_t gl_spool_runs(const gl_spool *s);

/* A new unlinked temporary file in $TMPDIR (default /tmp), open for
 * reading and writing; -1 with errno on failure. */
int gl_spool_tmpfd(void);

#endif
