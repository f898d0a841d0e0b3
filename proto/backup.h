/*
 * proto/backup.h — the BACKUP request body: the name of the file the daemon
 * writes its copy to, inside the directory its configuration names
 * (`[daemon] backup_dir`).  A name, never a path: the request cannot choose
 * where on the daemon's machine the bytes go.
 *
 *   BACKUP   name str16: 1-GL_BACKUP_NAME_MAX bytes of [A-Za-z0-9._-], not
 *            starting with '.' (so no "", ".", "..", no '/', no hidden file)
 *
 * Reply body: path str16, the absolute path of the file written.
 */
#ifndef GL_BACKUP_H
#define GL_BACKUP_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_BACKUP_NAME_MAX 64

/* True if name is one plain file name (the rule above). */
bool gl_backup_name_valid(gl_str name);
/* Decode a BACKUP body.  Failures: MALFORMED, TRAILING_BYTES,
 * STRING_TOO_LONG (over GL_BACKUP_NAME_MAX), STRING_INVALID (the text rule),
 * BAD_FILE_NAME. */
int gl_backup_q_decode(const uint8_t *body, size_t len, gl_str *name);
/* The body naming name (len <= GL_BACKUP_NAME_MAX is the caller's to check:
 * the daemon refuses longer names). */
void gl_backup_q_encode(gl_buf *out, const char *name, size_t len);

#endif
