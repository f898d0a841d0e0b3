/*
 * client/cli/cmd_carry.c — `grandlivre accounts carry-mode --tenant T
 * ACCOUNT detailed|summarised`: how the year closes after it carry the
 * account into the à-nouveaux (CARRY_MODE_SET, PROTOCOL §5.27): one line
 * per open item with its origin (detailed, so that lettering continues in
 * the next year) or one balance per auxiliary account (summarised, the
 * default).  Accountant only.
 */
#include "carry_mode.h"

#include "i18n.h"

#include "proto/carry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int mode_of(const char *word, uint8_t *mode)
{
    if (!strcmp(word, "detailed") || !strcmp(word, "détaillé") || !strcmp(word, "detaille"))
        *mode = GL_CARRY_DETAILED;
    else if (!strcmp(word, "summarised") || !strcmp(word, "summarized") ||
             !strcmp(word, "résumé") || !strcmp(word, "resume"))
        *mode = GL_CARRY_SUMMARISED;
    else
        return GL_ERR_BAD_CARRY_MODE;
    return GL_OK;
}

int accounts_carry_mode(cli *c, const char *account, const char *word)
{
    uint8_t mode;
    if (mode_of(word, &mode) != GL_OK) {
        cli_error("error %d %s: '%s': the carry-over mode is detailed or summarised",
                  GL_ERR_BAD_CARRY_MODE, gl_status_name(GL_ERR_BAD_CARRY_MODE), word);
        return EXIT_USAGE;
    }
    char acc[GL_ACCOUNT_MAX + 2];
    snprintf(acc, sizeof acc, "%s", account);
    for (char *p = acc; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    gl_buf body;
    gl_buf_init(&body);
    gl_carry_mode_q q = {{acc, strlen(acc)}, mode};
    gl_carry_mode_q_encode(&body, &q);
    gl_response resp;
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_CARRY_MODE_SET, c->tenant, body.data, body.len, &resp)
                 : EXIT_USAGE;
    gl_buf_free(&body);
    if (rc == 0) {
        fprintf(stderr,
                mode == GL_CARRY_DETAILED
                    ? _("grandlivre: %s: account %s is carried over in detail, one line "
                        "per open item, from the next close on\n")
                    : _("grandlivre: %s: account %s is carried over summarised, one "
                        "balance per third party, from the next close on\n"),
                c->tenant, acc);
        gl_response_free(&resp);
    }
    return rc;
}

bool carry_origin_text(const uint8_t *ext, size_t ext_len, char *out, size_t len)
{
    gl_open_item o;
    out[0] = '\0';
    if (!gl_line_open_item(ext, ext_len, &o))
        return false;
    char d[11];
    snprintf(out, len, _("%.*s of %s"), (int)o.piece_ref.len, o.piece_ref.ptr,
             i18n_date(o.date, d));
    return true;
}

/* The last entry carry_line_origin read (kept until the process ends). */
static struct {
    uint16_t fy;
    uint32_t num;
    gl_response resp;
    gl_reply_entry_get reply;
    bool have;
} last;

/* The line area of line fy/num:line (ENTRY_GET, the last entry kept). */
static bool line_ext(cli *c, uint16_t fy, uint32_t num, uint16_t line, gl_line *l)
{
    if (!last.have || last.fy != fy || last.num != num) {
        if (last.have)
            gl_response_free(&last.resp);
        last.have = false;
        gl_buf body;
        gl_buf_init(&body);
        gl_entry_ref r = {fy, num};
        gl_entry_ref_encode(&body, &r);
        int rc = cli_call(c, GL_KIND_ENTRY_GET, c->tenant, body.data, body.len, &last.resp);
        gl_buf_free(&body);
        if (rc)
            return false;
        if (gl_reply_entry_get_decode(gl_reply_view(last.resp.reply.body, last.resp.reply.body_len),
                                      &last.reply) != GL_OK) {
            gl_response_free(&last.resp);
            return false;
        }
        last.have = true;
        last.fy = fy;
        last.num = num;
    }
    gl_line_iter it;
    gl_line_iter_init(&it, &last.reply.entry);
    for (uint16_t k = 0; k < line; k++)
        if (!gl_line_next(&it, l))
            return false;
    return true;
}

bool carry_line_origin(cli *c, uint16_t fy, uint32_t num, uint16_t line, char *out, size_t len)
{
    gl_line l;
    out[0] = '\0';
    return line_ext(c, fy, num, line, &l) && carry_origin_text(l.ext, l.ext_len, out, len);
}

bool carry_line_item(cli *c, uint16_t fy, uint32_t num, uint16_t line, char *piece,
                     size_t piece_len, uint32_t *date)
{
    gl_line l;
    gl_open_item o;
    if (!line_ext(c, fy, num, line, &l) || !gl_line_open_item(l.ext, l.ext_len, &o))
        return false;
    snprintf(piece, piece_len, "%.*s", (int)o.piece_ref.len, o.piece_ref.ptr);
    *date = o.date;
    return true;
}

bool entry_piece_date(cli *c, uint16_t fy, uint32_t num, uint32_t *piece_date)
{
    gl_line l;
    if (!line_ext(c, fy, num, 1, &l))
        return false;
    *piece_date = last.reply.entry.piece_date;
    return true;
}
