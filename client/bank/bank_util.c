/*
 * client/bank/bank_util.c — the small things every statement parser
 * needs: the located refusal, growing the statement and line arrays,
 * calendar dates as written, UTF-8 text cut to the sizes of statement.h,
 * Latin-1 and Windows-1252 to UTF-8 (CFONB files, OFX 1.x CHARSET:1252,
 * French banks' CSV exports), and the RIB form of a French account.
 */
#include "bank_internal.h"

#include "proto/wire.h"

#include <stdlib.h>
#include <string.h>

int bank_fail(gl_bank_error *err, gl_bank_format format, uint32_t line, const char *reason)
{
    if (err) {
        err->format = format;
        err->line = line;
        size_t n = strlen(reason);
        if (n > GL_BANK_ERROR_MAX)
            n = GL_BANK_ERROR_MAX;
        memcpy(err->reason, reason, n);
        err->reason[n] = '\0';
    }
    return -1;
}

gl_bank_statement *bank_new_statement(gl_bank_statements *s)
{
    if (s->n % 8 == 0) {
        gl_bank_statement *p = realloc(s->items, (s->n + 8) * sizeof *p);
        if (!p)
            return NULL;
        s->items = p;
    }
    gl_bank_statement *st = &s->items[s->n++];
    memset(st, 0, sizeof *st);
    return st;
}

gl_bank_line *bank_new_line(gl_bank_statement *st)
{
    size_t n = st->n_lines;
    if ((n & (n - 1)) == 0 && n >= 16) { /* grow at 16, 32, 64 ... */
        gl_bank_line *p = realloc(st->lines, 2 * n * sizeof *p);
        if (!p)
            return NULL;
        st->lines = p;
    } else if (n == 0) {
        st->lines = malloc(16 * sizeof *st->lines);
        if (!st->lines)
            return NULL;
    }
    gl_bank_line *l = &st->lines[st->n_lines++];
    memset(l, 0, sizeof *l);
    return l;
}

void bank_drop_line(gl_bank_statement *st)
{
    if (st->n_lines)
        st->n_lines--;
}

bool bank_valid_date(uint32_t ymd)
{
    static const uint8_t mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m != 2 || d < 29 || leap;
}

/* n digits at s as a number; -1 if one is not a digit. */
static long digits(const char *s, size_t n)
{
    long v = 0;
    for (const char *end = s + n; s < end; s++) {
        unsigned d = (unsigned)(unsigned char)*s - '0';
        if (d > 9)
            return -1;
        v = v * 10 + (long)d;
    }
    return v;
}

uint32_t bank_iso_date(const char *s, size_t n)
{
    if (n < 10 || s[4] != '-' || s[7] != '-' || (n > 10 && s[10] != 'T'))
        return 0;
    long y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return 0;
    uint32_t ymd = (uint32_t)(y * 10000 + m * 100 + d);
    return bank_valid_date(ymd) ? ymd : 0;
}

uint32_t bank_compact_date(const char *s, size_t n)
{
    if (n < 8)
        return 0;
    long v = digits(s, 8);
    if (v < 0 || (n > 8 && (s[8] < '0' || s[8] > '9') && s[8] != '['))
        return 0;
    return bank_valid_date((uint32_t)v) ? (uint32_t)v : 0;
}

/* Length of the UTF-8 sequence starting at s[0..n), 0 if invalid. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (!len || len > n || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3) {
        uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    }
    if (len == 4) {
        uint32_t cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12;
        if (cp < 0x10000 || cp > 0x10FFFF)
            return 0;
    }
    return len;
}

bool bank_utf8_valid(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

void bank_text_append(char *dst, size_t cap, const char *src, size_t n)
{
    const uint8_t *s = (const uint8_t *)src;
    size_t len = strlen(dst);
    bool space = true; /* a space is owed before the next word */
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        if (!k) { /* an invalid byte: dropped */
            i++;
            continue;
        }
        /* controls, C1 controls and bidi overrides (which the daemon
         * refuses in any text: proto/wire.c) are read as a space */
        if ((k == 1 && (s[i] <= ' ' || s[i] == 0x7F)) ||
            (k > 1 && !gl_utf8_valid((const char *)s + i, k))) {
            space = true;
            i++;
            continue;
        }
        size_t need = k + (space && len > 0);
        if (len + need > cap)
            break;
        if (space && len > 0)
            dst[len++] = ' ';
        memcpy(dst + len, s + i, k);
        len += k;
        space = false;
        i += k;
    }
    dst[len] = '\0';
}

void bank_text(char *dst, size_t cap, const char *src, size_t n)
{
    dst[0] = '\0';
    bank_text_append(dst, cap, src, n);
}

/* Windows-1252's 0x80-0x9F (undefined ones as in Latin-1's C1: dropped later). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char *bank_to_utf8(const uint8_t *src, size_t n, bool windows, size_t *out_len)
{
    if (n > GL_BANK_INPUT_MAX)
        return NULL;
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = src[i];
        if (cp >= 0x80 && cp < 0xA0)
            cp = windows ? cp1252_c1[cp - 0x80] : ' ';
        if (cp == 0)
            cp = src[i] ? ' ' : 0; /* an undefined cp1252 byte: a space */
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xC0 | cp >> 6);
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | cp >> 12);
            out[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* The RIB key's value of an account character (A,J=1 ... I,R,Z=9). */
static int rib_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'I')
        return ch - 'A' + 1;
    if (ch >= 'J' && ch <= 'R')
        return ch - 'J' + 1;
    if (ch >= 'S' && ch <= 'Z')
        return ch - 'S' + 2;
    return -1;
}

int bank_rib_id(char out[GL_BANK_ACCOUNT_ID_MAX + 1], const char *bank, const char *branch,
                const char *account)
{
    long b = digits(bank, 5), g = digits(branch, 5);
    int64_t c = 0;
    for (int i = 0; i < 11; i++) {
        int d = rib_digit(account[i]);
        if (d < 0)
            return -1;
        c = c * 10 + d;
    }
    if (b < 0 || g < 0)
        return -1;
    int key = 97 - (int)((89 * (int64_t)b + 15 * (int64_t)g + 3 * c) % 97);
    memcpy(out, "RIB:", 4);
    memcpy(out + 4, bank, 5);
    memcpy(out + 9, branch, 5);
    memcpy(out + 14, account, 11);
    out[25] = (char)('0' + key / 10);
    out[26] = (char)('0' + key % 10);
    out[27] = '\0';
    return 0;
}
