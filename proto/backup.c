/*
 * proto/backup.c — the BACKUP body; see backup.h.
 */
#include "backup.h"

#include "status.h"

bool gl_backup_name_valid(gl_str name)
{
    if (name.len == 0 || name.len > GL_BACKUP_NAME_MAX || name.ptr[0] == '.')
        return false;
    for (size_t i = 0; i < name.len; i++) {
        char c = name.ptr[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

int gl_backup_q_decode(const uint8_t *body, size_t len, gl_str *name)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *name = gl_get_str16(&c, GL_BACKUP_NAME_MAX);
    int st = gl_cur_end(&c);
    if (st != GL_OK)
        return st;
    return gl_backup_name_valid(*name) ? GL_OK : GL_ERR_BAD_FILE_NAME;
}

void gl_backup_q_encode(gl_buf *out, const char *name, size_t len) { gl_put_str16(out, name, len); }
