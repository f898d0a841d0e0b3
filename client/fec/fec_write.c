/*
 * client/fec/fec_write.c — writing FEC lines; see fec_write.h.
 *
 * Every line is built from 18 UTF-8 fields, each checked (text, no
 * separator) and converted on the way into the output buffer; a failure
 * truncates the buffer back to where the line (or the entry) began, so a
 * caller never sees half a line.  ISO 8859-15 is Latin-1 with eight code
 * points replaced (€ Š š Ž ž Œ œ Ÿ take the places of ¤ ¦ ¨ ´ ¸ ¼ ½ ¾):
 * the conversion is a small table, not iconv, so it cannot depend on the
 * machine's locales.  Amounts are integer cents formatted by
 * gl_money_format; dates are integers; no floating point anywhere.
 *
 * ValidDate is computed in French time (CET/CEST, EU rule since 1996) from
 * the daemon's UTC millisecond timestamp with integer calendar arithmetic,
 * never with the machine's TZ, so the same ledger always exports the same
 * bytes.
 */
#include "fec_write.h"

#include "proto/assert.h"
#include "proto/date.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const gl_fec_columns[GL_FEC_COLUMNS] = {
    "JournalCode", "JournalLib",  "EcritureNum", "EcritureDate", "CompteNum",     "CompteLib",
    "CompAuxNum",  "CompAuxLib",  "PieceRef",    "PieceDate",    "EcritureLib",   "Debit",
    "Credit",      "EcritureLet", "DateLet",     "ValidDate",    "Montantdevise", "Idevise",
};

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

char *gl_fec_amount(int64_t cents, char out[GL_MONEY_TEXT_MAX])
{
    GL_ASSERT(cents >= 0);
    return gl_money_format(cents, GL_MONEY_COMMA, out);
}

char *gl_fec_date(uint32_t ymd, char out[9])
{
    if (ymd == 0 || ymd > 99999999u) {
        out[0] = '\0';
        return out;
    }
    /* "%08u" by hand: four of these a line, snprintf was a tenth of the
     * export's CPU */
    for (int i = 7; i >= 0; i--) {
        out[i] = (char)('0' + ymd % 10);
        ymd /= 10;
    }
    out[8] = '\0';
    return out;
}

uint32_t gl_fec_paris_date(int64_t ms) { return gl_date_paris(ms); }

const char *gl_fec_journal_label(gl_str code)
{
    static const struct {
        const char *code, *label;
    } table[] = {
        {"AN", "À-nouveaux"}, {"AC", "Achats"},
        {"VT", "Ventes"},     {"VE", "Ventes"},
        {"BQ", "Banque"},     {"OD", "Opérations diverses"},
        {"SA", "Salaires"},   {"CV", "Contributions volontaires"},
        {"CL", "Clôture"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (gl_str_eq(code, table[i].code))
            return table[i].label;
    return NULL;
}

int gl_fec_file_name(const char *siren, uint32_t closing_ymd, char *out, size_t out_len)
{
    if (out_len)
        out[0] = '\0';
    if (!siren || strlen(siren) != 9 || !gl_date_valid(closing_ymd))
        return -1;
    for (size_t i = 0; i < 9; i++)
        if (siren[i] < '0' || siren[i] > '9')
            return -1;
    int n = snprintf(out, out_len, "%sFEC%08u.txt", siren, (unsigned)closing_ymd);
    if (n < 0 || (size_t)n >= out_len) {
        if (out_len)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Character sets                                                      */
/* ------------------------------------------------------------------ */

/* Decode the UTF-8 sequence at s[*i] (valid text is assumed: the caller
 * checked it with gl_utf8_valid) and advance *i. */
static uint32_t next_code_point(const unsigned char *s, size_t *i)
{
    unsigned char c = s[*i];
    size_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : 3;
    uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1fu) : n == 2 ? (c & 0x0fu) : (c & 0x07u);
    for (size_t k = 1; k <= n; k++)
        cp = (cp << 6) | (s[*i + k] & 0x3fu);
    *i += n + 1;
    return cp;
}

/* The ISO 8859-15 byte of a code point, or -1. */
static int latin9_byte(uint32_t cp)
{
    static const struct {
        uint32_t cp;
        unsigned char byte;
    } moved[] = {
        {0x20ac, 0xa4}, {0x0160, 0xa6}, {0x0161, 0xa8}, {0x017d, 0xb4},
        {0x017e, 0xb8}, {0x0152, 0xbc}, {0x0153, 0xbd}, {0x0178, 0xbe},
    };
    for (size_t k = 0; k < sizeof moved / sizeof moved[0]; k++) {
        if (moved[k].cp == cp)
            return moved[k].byte;
        if (moved[k].byte == cp) /* the Latin-1 character whose place was taken */
            return -1;
    }
    return cp < 0x100 ? (int)cp : -1;
}

/* Is s[0..len) text under gl_utf8_valid?  `decoded`: s is known to pass
 * gl_utf8_valid_with_bidi already, being a string of a decoded reply
 * (gl_get_str8 checks every string it returns; the journal's rows are read
 * under gl_cur_init_stored, whose rule is that one), so the only rule left
 * is the bidirectional controls, which all begin with the byte 0xE2
 * (U+202A-U+202E, U+2066-U+2069): a string without that byte needs no
 * second look.  Otherwise printable ASCII, the common case, is checked
 * first. */
static bool text_ok(const char *s, size_t len, bool decoded)
{
    if (decoded)
        return !memchr(s, 0xe2, len) || gl_utf8_valid(s, len);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch >= 0x7f)
            return gl_utf8_valid(s, len);
    }
    return true;
}

static int to_latin9(gl_buf *out, const char *s, size_t len, uint32_t *bad_cp, bool decoded)
{
    *bad_cp = 0;
    if (!text_ok(s, len, decoded))
        return GL_FEC_NOT_TEXT;
    size_t before = out->len;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) { /* runs of ASCII go in as they are */
            size_t j = i;
            while (j < len && u[j] < 0x80)
                j++;
            gl_put_bytes(out, s + i, j - i);
            i = j;
            continue;
        }
        uint32_t cp = next_code_point(u, &i);
        int b = latin9_byte(cp);
        if (b < 0) {
            out->len = before;
            *bad_cp = cp;
            return GL_FEC_UNREPRESENTABLE;
        }
        gl_put_u8(out, (uint8_t)b);
    }
    return gl_buf_ok(out) ? GL_FEC_OK : GL_FEC_NOMEM;
}

int gl_fec_to_latin9(gl_buf *out, const char *s, size_t len, uint32_t *bad_cp)
{
    return to_latin9(out, s, len, bad_cp, false);
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

int gl_fec_put_header(gl_buf *out, const gl_fec_format *f)
{
    GL_ASSERT(f->sep == '\t' || f->sep == '|');
    for (size_t i = 0; i < GL_FEC_COLUMNS; i++) {
        if (i)
            gl_put_u8(out, (uint8_t)f->sep);
        gl_put_bytes(out, gl_fec_columns[i], strlen(gl_fec_columns[i]));
    }
    gl_put_u8(out, '\n');
    return gl_buf_ok(out) ? GL_FEC_OK : GL_FEC_NOMEM;
}

/* gl_fec_put_record; fields i with bit i of decoded set are strings of a
 * decoded reply (see text_ok).  The line's bytes are reserved at once and
 * copied (a UTF-8 line as it is; ISO 8859-15 is never longer than its
 * UTF-8), not put field by field. */
static int put_record(gl_buf *out, const gl_fec_format *f, const gl_str fields[GL_FEC_COLUMNS],
                      uint32_t decoded, size_t *bad_field, uint32_t *bad_cp)
{
    GL_ASSERT(f->sep == '\t' || f->sep == '|');
    size_t before = out->len, room = GL_FEC_COLUMNS;
    for (size_t i = 0; i < GL_FEC_COLUMNS; i++)
        room += fields[i].len;
    (void)gl_buf_room(out, room);
    int rc = gl_buf_ok(out) ? GL_FEC_OK : GL_FEC_NOMEM;
    *bad_cp = 0;
    for (size_t i = 0; i < GL_FEC_COLUMNS && rc == GL_FEC_OK; i++) {
        *bad_field = i;
        gl_str s = fields[i];
        bool dec = decoded >> i & 1u;
        if (i)
            out->data[out->len++] = (uint8_t)f->sep;
        if (s.len && memchr(s.ptr, f->sep, s.len))
            rc = GL_FEC_SEPARATOR; /* '|'; a tab is not text and fails below */
        else if (f->charset == GL_FEC_OUT_LATIN9)
            rc = to_latin9(out, s.ptr, s.len, bad_cp, dec);
        else if (!text_ok(s.ptr, s.len, dec))
            rc = GL_FEC_NOT_TEXT;
        else if (s.len) {
            memcpy(out->data + out->len, s.ptr, s.len);
            out->len += s.len;
        }
    }
    if (rc == GL_FEC_OK) {
        out->data[out->len++] = '\n';
        rc = gl_buf_ok(out) ? GL_FEC_OK : GL_FEC_NOMEM;
    }
    if (rc != GL_FEC_OK)
        out->len = before;
    return rc;
}

int gl_fec_put_record(gl_buf *out, const gl_fec_format *f, const gl_str fields[GL_FEC_COLUMNS],
                      size_t *bad_field, uint32_t *bad_cp)
{
    return put_record(out, f, fields, 0, bad_field, bad_cp);
}

static gl_str cstr(const char *s) { return (gl_str){s, strlen(s)}; }

static void record_error(char *err, size_t err_len, const gl_fec_entry_meta *m, unsigned line,
                         size_t field, int rc, uint32_t cp, char sep)
{
    char where[96];
    snprintf(where, sizeof where, "entry %u/%u, line %u, %s", m->fy, m->num, line,
             field < GL_FEC_COLUMNS ? gl_fec_columns[field] : "?");
    if (rc == GL_FEC_UNREPRESENTABLE)
        snprintf(err, err_len, "%s: character U+%04X is not in ISO 8859-15", where, (unsigned)cp);
    else if (rc == GL_FEC_SEPARATOR)
        snprintf(err, err_len, "%s: holds the separator '%c'", where, sep);
    else if (rc == GL_FEC_NOT_TEXT)
        snprintf(err, err_len, "%s: not text (invalid UTF-8 or a control character)", where);
    else
        snprintf(err, err_len, "%s: out of memory", where);
}

/* The fields of gl_fec_put_entry's records that are strings of the
 * decoded entry, or text of this file (digits, dates, amounts, journal
 * labels), valid by construction: all but CompteLib (the caller's label
 * function) and EcritureLet (the caller's letters), which are checked in
 * full. */
#define FIELDS_DECODED (((1u << GL_FEC_COLUMNS) - 1) & ~(1u << 5) & ~(1u << 13))
_Static_assert(GL_FEC_COLUMNS == 18, "FIELDS_DECODED names CompteLib 5 and EcritureLet 13");

int gl_fec_put_entry(gl_buf *out, const gl_fec_format *f, const gl_entry *e,
                     const gl_fec_entry_meta *m, gl_fec_label_fn label, void *user, char *err,
                     size_t err_len)
{
    if (err_len)
        err[0] = '\0';
    if (e->flags & GL_ENTRY_RESULT_CLOSING)
        return 0;
    size_t before = out->len;
    char num[12], date[9], piece_date[9], valid[9];
    snprintf(num, sizeof num, "%u", (unsigned)m->num);
    gl_fec_date(e->date, date);
    gl_fec_date(e->piece_date, piece_date);
    /* the validation date the entry carries (an imported FEC's ValidDate),
     * else the day the daemon recorded it */
    uint32_t valid_ymd = gl_entry_valid_date(e);
    gl_fec_date(valid_ymd ? valid_ymd : gl_fec_paris_date(m->recorded_ms), valid);
    const char *jlib = gl_fec_journal_label(e->journal);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    unsigned n = 0;
    while (gl_line_next(&it, &l)) {
        char debit[GL_MONEY_TEXT_MAX], credit[GL_MONEY_TEXT_MAX], let_date[9];
        GL_ASSERT(l.amount_cents > 0);
        const gl_fec_letter *let = m->letters ? &m->letters[n] : NULL;
        gl_str fields[GL_FEC_COLUMNS] = {
            e->journal,
            jlib ? cstr(jlib) : e->journal,
            cstr(num),
            cstr(date),
            l.account,
            label ? label(user, l.account) : cstr(""),
            l.aux,
            l.aux_label,
            e->piece_ref,
            cstr(piece_date),
            l.label.len ? l.label : e->label,
            cstr(gl_fec_amount(l.side == GL_SIDE_DEBIT ? l.amount_cents : 0, debit)),
            cstr(gl_fec_amount(l.side == GL_SIDE_CREDIT ? l.amount_cents : 0, credit)),
            let ? let->code : cstr(""),
            cstr(gl_fec_date(let && let->code.len ? let->date : 0, let_date)),
            cstr(valid),
            cstr(""),
            cstr(""),
        };
        n++;
        size_t bad_field;
        uint32_t cp;
        int rc = put_record(out, f, fields, FIELDS_DECODED, &bad_field, &cp);
        if (rc != GL_FEC_OK) {
            out->len = before;
            record_error(err, err_len, m, n, bad_field, rc, cp, f->sep);
            return rc;
        }
    }
    return (int)n;
}
