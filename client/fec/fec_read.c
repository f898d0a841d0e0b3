/*
 * client/fec/fec_read.c — reading a FEC into an entry set; see fec_read.h.
 *
 * The work is done in three passes over one private, mutable copy of the
 * file.  First the bytes are made UTF-8 (a UTF-8 file is copied, an ISO
 * 8859-15 one converted through a hand-written table) so that every later
 * string is NUL-terminated text inside that copy.  Then each physical line
 * is split in place into fields, checked and turned into one parsed line;
 * lines are grouped into entries by (JournalCode, EcritureNum) through an
 * open-addressing hash table, in order of first appearance, each group
 * chaining its lines by index.  Last, each group is encoded with
 * gl_entry_encode, decoded back and passed through gl_entry_check, exactly
 * as the daemon will see it, before being copied into the caller's set.
 *
 * Workload: an association's year is a few thousand lines, a large file a
 * million; every pass is linear (the hash tables keep lookups O(1)).
 * Amounts go through gl_money_parse only: no floating point anywhere.
 * Every failure is one "line N: reason" message (N is the 1-based physical
 * line) and leaves the caller's set empty.  No input may crash this code:
 * it is fuzzed by tests/fuzz/fuzz_fec.c.
 */
#include "fec_read.h"

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/hash.h"
#include "proto/limits.h"
#include "proto/money.h"
#include "proto/rules.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Columns                                                             */
/* ------------------------------------------------------------------ */

enum fec_col {
    COL_JOURNAL_CODE,
    COL_JOURNAL_LIB,
    COL_ECRITURE_NUM,
    COL_ECRITURE_DATE,
    COL_COMPTE_NUM,
    COL_COMPTE_LIB,
    COL_COMP_AUX_NUM,
    COL_COMP_AUX_LIB,
    COL_PIECE_REF,
    COL_PIECE_DATE,
    COL_ECRITURE_LIB,
    COL_ECRITURE_LET,
    COL_DATE_LET,
    COL_VALID_DATE,
    COL_MONTANT_DEVISE,
    COL_IDEVISE,
    COL_DEBIT, /* Debit/Credit variant */
    COL_CREDIT,
    COL_MONTANT, /* Montant/Sens variant */
    COL_SENS,
    COL_COUNT
};

/* Columns before COL_DEBIT are required in every file. */
#define COL_COMMON_COUNT COL_DEBIT

static const char *const col_names[COL_COUNT] = {
    "JournalCode", "JournalLib",  "EcritureNum", "EcritureDate", "CompteNum",
    "CompteLib",   "CompAuxNum",  "CompAuxLib",  "PieceRef",     "PieceDate",
    "EcritureLib", "EcritureLet", "DateLet",     "ValidDate",    "Montantdevise",
    "Idevise",     "Debit",       "Credit",      "Montant",      "Sens",
};

/* Most fields a header may have: every known column once, plus one empty
 * trailing column left by exporters that end each line with a separator. */
#define FIELDS_MAX (COL_COUNT + 1)

/* Bytes of a field value quoted in an error message. */
#define SHOW_MAX 40

/* A field of the current line: NUL-terminated inside the text copy. */
typedef struct fec_field {
    char *s;
    size_t len;
} fec_field;

/* ------------------------------------------------------------------ */
/* Parsed lines, groups and the hash table                             */
/* ------------------------------------------------------------------ */

#define NO_LINE SIZE_MAX

/* One FEC line; every string points into the text copy. */
typedef struct fec_line {
    const char *account, *aux, *aux_label, *label, *piece_ref;
    const char *let; /* EcritureLet, "" if not lettered */
    int64_t amount_cents;
    size_t file_line;
    size_t next; /* next line of the same entry, NO_LINE at the end */
    uint32_t piece_date;
    uint32_t let_date;   /* DateLet, 0 if empty */
    uint32_t valid_date; /* ValidDate, 0 if empty */
    uint8_t side;
} fec_line;

/* One entry: the lines sharing (journal, num). */
typedef struct fec_group {
    const char *journal, *num;
    size_t first, last, count;
    size_t file_line; /* file line of the first line */
    uint32_t date;
} fec_group;

/* Open addressing, linear probing, load factor <= 1/2.  A slot maps a key
 * of two strings to an index chosen by the caller; idx == SIZE_MAX is an
 * empty slot. */
typedef struct key_slot {
    const char *a, *b;
    uint64_t hash;
    size_t idx;
} key_slot;

typedef struct key_table {
    key_slot *slots;
    size_t cap; /* power of two, 0 before the first insertion */
    size_t count;
} key_table;

typedef struct fec_ctx {
    char *err;
    size_t err_len;
    const char *tenant;
    gl_entry_set *out;
    char sep;
    size_t field_count;    /* fields per line, from the header */
    int col_at[COL_COUNT]; /* field index of each column, -1 if absent */
    bool montant_sens;
    fec_line *lines;
    size_t line_count, line_cap;
    fec_group *groups;
    size_t group_count, group_cap;
    key_table group_keys;
    key_table account_keys;
} fec_ctx;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

__attribute__((format(printf, 3, 4))) static int fail(fec_ctx *ctx, size_t line_no, const char *fmt,
                                                      ...)
{
    if (!ctx->err || ctx->err_len == 0)
        return -1;
    int n = 0;
    if (line_no)
        n = snprintf(ctx->err, ctx->err_len, "line %zu: ", line_no);
    if (n < 0 || (size_t)n >= ctx->err_len)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err + n, ctx->err_len - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_nomem(fec_ctx *ctx, size_t line_no) { return fail(ctx, line_no, "out of memory"); }

/* Copy s[0..len) into out for quoting in a message: at most SHOW_MAX bytes,
 * cut on a UTF-8 character boundary, control bytes shown as '?'. */
static const char *show(const char *s, size_t len, char out[SHOW_MAX + 4])
{
    size_t n = len;
    if (n > SHOW_MAX) {
        n = SHOW_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        out[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
    }
    if (n < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* Character set                                                       */
/* ------------------------------------------------------------------ */

/* Line (1-based) of the first byte sequence that is not UTF-8 in the
 * gl_utf8_valid sense, ASCII control bytes (tab, CR, LF...) excepted;
 * 0 if the whole text is valid.  Multi-byte sequences never contain ASCII
 * bytes, so checking each run between control bytes is exact; runs of pure
 * ASCII need no second look. */
static size_t first_bad_utf8_line(const char *s, size_t len)
{
    size_t line_no = 1, start = 0;
    bool high = false; /* a byte >= 0x80 since start */
    for (size_t i = 0; i <= len; i++) {
        unsigned char ch = i < len ? (unsigned char)s[i] : 0;
        if (i < len && ch >= 0x20 && ch != 0x7f) {
            high |= ch >= 0x80;
            continue;
        }
        if (high && !gl_utf8_valid_with_bidi(s + start,
                                             i - start)) /* the text rule comes later, per field */
            return line_no;
        if (ch == '\n')
            line_no++;
        start = i + 1;
        high = false;
    }
    return 0;
}

/* UTF-8 of one ISO 8859-15 byte into out (up to 3 bytes); returns the
 * length.  8859-15 is Latin-1 except for eight code points. */
static size_t latin9_to_utf8(unsigned char ch, unsigned char out[3])
{
    static const struct {
        unsigned char byte;
        uint16_t cp;
    } diff[] = {
        {0xa4, 0x20ac}, {0xa6, 0x0160}, {0xa8, 0x0161}, {0xb4, 0x017d},
        {0xb8, 0x017e}, {0xbc, 0x0152}, {0xbd, 0x0153}, {0xbe, 0x0178},
    };
    uint32_t cp = ch;
    for (size_t i = 0; i < sizeof diff / sizeof diff[0]; i++)
        if (diff[i].byte == ch)
            cp = diff[i].cp;
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xc0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    out[0] = (unsigned char)(0xe0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (unsigned char)(0x80 | (cp & 0x3f));
    return 3;
}

/* Converted copy of an ISO 8859-15 text, NUL-terminated; NULL on nomem. */
static char *latin9_copy(const char *data, size_t len, size_t *out_len)
{
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *text = malloc(len * 3 + 1);
    if (!text)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char u[3];
        size_t k = latin9_to_utf8((unsigned char)data[i], u);
        memcpy(text + n, u, k);
        n += k;
    }
    text[n] = '\0';
    *out_len = n;
    return text;
}

/* Plain NUL-terminated copy; NULL on nomem. */
static char *plain_copy(const char *data, size_t len, size_t *out_len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    if (len)
        memcpy(text, data, len);
    text[len] = '\0';
    *out_len = len;
    return text;
}

/* The file as mutable UTF-8 text (BOM removed), or NULL with err set. */
static char *utf8_text(fec_ctx *ctx, const char *data, size_t len, enum gl_fec_encoding enc,
                       size_t *text_len)
{
    if (enc != GL_FEC_ENC_LATIN9 && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t bad_line = enc == GL_FEC_ENC_LATIN9 ? 1 : first_bad_utf8_line(data, len);
    if (enc == GL_FEC_ENC_UTF8 && bad_line) {
        fail(ctx, bad_line, "not valid UTF-8 text (is the file ISO 8859-15?)");
        return NULL;
    }
    char *text = bad_line ? latin9_copy(data, len, text_len) : plain_copy(data, len, text_len);
    if (!text)
        fail_nomem(ctx, 0);
    return text;
}

/* ------------------------------------------------------------------ */
/* Hash table                                                          */
/* ------------------------------------------------------------------ */

/* FNV-1a over a, a NUL separator, then b. */
static uint64_t key_hash(const char *a, const char *b)
{
    uint64_t h = gl_fnv1a64(a, strlen(a));
    h = gl_fnv1a64_more(h, "", 1);
    return gl_fnv1a64_more(h, b, strlen(b));
}

/* Slot holding (a, b), or the empty slot where it belongs. */
static key_slot *key_probe(const key_table *t, const char *a, const char *b, uint64_t hash)
{
    size_t i = (size_t)hash & (t->cap - 1);
    for (;;) {
        key_slot *s = &t->slots[i];
        if (s->idx == SIZE_MAX || (s->hash == hash && strcmp(s->a, a) == 0 && strcmp(s->b, b) == 0))
            return s;
        i = (i + 1) & (t->cap - 1);
    }
}

/* Double the table (or create it). 0, or -1 on nomem (table unchanged). */
static int key_grow(key_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof(key_slot))
        return -1;
    key_slot *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < cap; i++)
        slots[i].idx = SIZE_MAX;
    key_table grown = {slots, cap, t->count};
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].idx != SIZE_MAX)
            *key_probe(&grown, t->slots[i].a, t->slots[i].b, t->slots[i].hash) = t->slots[i];
    free(t->slots);
    *t = grown;
    return 0;
}

/* Find (a, b); if absent, insert it with index new_idx.  Sets *idx to the
 * index found or inserted.  Returns 1 if inserted, 0 if found, -1 on nomem
 * (table unchanged). */
static int key_find_or_add(key_table *t, const char *a, const char *b, size_t new_idx, size_t *idx)
{
    if ((t->count + 1) * 2 > t->cap && key_grow(t) != 0)
        return -1;
    uint64_t hash = key_hash(a, b);
    key_slot *s = key_probe(t, a, b, hash);
    if (s->idx != SIZE_MAX) {
        *idx = s->idx;
        return 0;
    }
    *s = (key_slot){a, b, hash, new_idx};
    t->count++;
    *idx = new_idx;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

static char ascii_upper(char ch) { return (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch; }

static void upcase(fec_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        f->s[i] = ascii_upper(f->s[i]);
}

static bool name_is(const fec_field *f, const char *name)
{
    size_t n = strlen(name);
    if (f->len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_upper(f->s[i]) != ascii_upper(name[i]))
            return false;
    return true;
}

/* Strip leading and trailing spaces in place (NUL-terminating). */
static fec_field trim(char *s, size_t len)
{
    while (len && s[0] == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    s[len] = '\0';
    return (fec_field){s, len};
}

static size_t count_char(const char *s, size_t len, char ch)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == ch;
    return n;
}

/* Split line[0..len) at ctx->sep into exactly `want` trimmed fields. */
static int split(fec_ctx *ctx, size_t line_no, char *line, size_t len, fec_field *fields,
                 size_t want)
{
    size_t have = count_char(line, len, ctx->sep) + 1;
    if (have != want)
        return fail(ctx, line_no, "%zu fields where the header has %zu", have, want);
    char *p = line, *end = line + len;
    for (size_t i = 0; i < want; i++) {
        char *s = memchr(p, ctx->sep, (size_t)(end - p));
        if (!s)
            s = end;
        fields[i] = trim(p, (size_t)(s - p));
        p = s + (s < end);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Header                                                              */
/* ------------------------------------------------------------------ */

static int col_of_name(const fec_field *f)
{
    for (int c = 0; c < COL_COUNT; c++)
        if (name_is(f, col_names[c]))
            return c;
    return -1;
}

/* Map one header field to its column. */
static int header_field(fec_ctx *ctx, const fec_field *f, size_t i, size_t count)
{
    char buf[SHOW_MAX + 4];
    if (f->len == 0 && i + 1 == count && i > 0)
        return 0; /* empty column after a trailing separator: ignored */
    int c = col_of_name(f);
    if (c < 0)
        return fail(ctx, 1, "unknown column '%s'", show(f->s, f->len, buf));
    if (ctx->col_at[c] >= 0)
        return fail(ctx, 1, "column %s appears twice", col_names[c]);
    ctx->col_at[c] = (int)i;
    return 0;
}

/* Every required column present, and one amount variant only. */
static int header_complete(fec_ctx *ctx)
{
    bool dc = ctx->col_at[COL_DEBIT] >= 0 || ctx->col_at[COL_CREDIT] >= 0;
    bool ms = ctx->col_at[COL_MONTANT] >= 0 || ctx->col_at[COL_SENS] >= 0;
    if (dc && ms)
        return fail(ctx, 1, "both Debit/Credit and Montant/Sens columns");
    ctx->montant_sens = ms;
    for (int c = 0; c < COL_COUNT; c++) {
        bool wanted = c < COL_COMMON_COUNT || (ms ? c >= COL_MONTANT : c < COL_MONTANT);
        if (wanted && ctx->col_at[c] < 0)
            return fail(ctx, 1, "missing column %s", col_names[c]);
    }
    return 0;
}

/* Separator detection and column mapping from the first line. */
static int parse_header(fec_ctx *ctx, char *line, size_t len)
{
    if (memchr(line, '\t', len))
        ctx->sep = '\t';
    else if (memchr(line, '|', len))
        ctx->sep = '|';
    else
        return fail(ctx, 1, "the header line has no tab or '|' separator");
    size_t count = count_char(line, len, ctx->sep) + 1;
    if (count > FIELDS_MAX)
        return fail(ctx, 1, "%zu columns in the header, at most %d known", count, COL_COUNT);
    fec_field fields[FIELDS_MAX];
    if (split(ctx, 1, line, len, fields, count) != 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (header_field(ctx, &fields[i], i, count) != 0)
            return -1;
    ctx->field_count = count;
    return header_complete(ctx);
}

/* ------------------------------------------------------------------ */
/* Values of one line                                                  */
/* ------------------------------------------------------------------ */

static fec_field *col(fec_field *fields, const fec_ctx *ctx, enum fec_col c)
{
    return &fields[ctx->col_at[c]];
}

/* A text field: at most max_len bytes of UTF-8 without control bytes. */
static int check_text(fec_ctx *ctx, size_t line_no, enum fec_col c, const fec_field *f,
                      size_t max_len)
{
    if (f->len > max_len)
        return fail(ctx, line_no, "%s is %zu bytes long, at most %zu allowed", col_names[c], f->len,
                    max_len);
    if (!gl_utf8_valid(f->s, f->len))
        return fail(
            ctx, line_no,
            gl_utf8_valid_with_bidi(f->s, f->len)
                ? "%s holds a bidirectional control character (U+202A-U+202E, U+2066-U+2069)"
                : "%s holds a control character or invalid UTF-8",
            col_names[c]);
    return 0;
}

static int check_journal(fec_ctx *ctx, size_t line_no, fec_field *f)
{
    char buf[SHOW_MAX + 4];
    upcase(f);
    if (!gl_journal_valid((gl_str){f->s, f->len}))
        return fail(ctx, line_no, "JournalCode '%s' must be 1-%d characters A-Z 0-9",
                    show(f->s, f->len, buf), GL_JOURNAL_MAX);
    return 0;
}

/* A date column; an empty PieceDate takes the value of *ymd on entry, an
 * empty DateLet or ValidDate leaves it (0). */
static int parse_date(fec_ctx *ctx, size_t line_no, fec_field *fields, enum fec_col c,
                      uint32_t *ymd)
{
    char buf[SHOW_MAX + 4];
    const fec_field *f = col(fields, ctx, c);
    if ((c == COL_PIECE_DATE || c == COL_DATE_LET || c == COL_VALID_DATE) && f->len == 0)
        return 0;
    if (!gl_date_parse(f->s, f->len, ymd))
        return fail(ctx, line_no, "%s '%s' is not a valid date AAAAMMJJ", col_names[c],
                    show(f->s, f->len, buf));
    return 0;
}

/* Why gl_money_parse refused s: not a number, a third decimal, or a
 * value beyond int64 cents. */
static const char *amount_fault(const char *s, size_t len)
{
    size_t i = (len && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t int_digits = 0, decimals = 0;
    bool has_sep = false;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        int_digits++;
    if (i < len && (s[i] == ',' || s[i] == '.')) {
        has_sep = true;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            decimals++;
    }
    if (i != len || int_digits == 0)
        return "is not an amount (digits, then at most two decimals after ',' or '.')";
    if (has_sep && decimals == 0)
        return "is not an amount (no digit after the decimal separator)";
    if (decimals > 2)
        return "has more than two decimals";
    return "is too large";
}

/* A non-negative amount; empty means zero. */
static int parse_amount(fec_ctx *ctx, size_t line_no, enum fec_col c, const fec_field *f,
                        int64_t *cents)
{
    char buf[SHOW_MAX + 4];
    *cents = 0;
    if (f->len == 0)
        return 0;
    if (!gl_money_parse(f->s, f->len, cents))
        return fail(ctx, line_no, "%s '%s' %s", col_names[c], show(f->s, f->len, buf),
                    amount_fault(f->s, f->len));
    if (*cents < 0)
        return fail(ctx, line_no, "%s '%s' is negative", col_names[c], show(f->s, f->len, buf));
    return 0;
}

/* Side and amount from Debit/Credit. */
static int amount_debit_credit(fec_ctx *ctx, size_t line_no, fec_field *fields, fec_line *l)
{
    int64_t debit_cents, credit_cents;
    if (parse_amount(ctx, line_no, COL_DEBIT, col(fields, ctx, COL_DEBIT), &debit_cents) != 0 ||
        parse_amount(ctx, line_no, COL_CREDIT, col(fields, ctx, COL_CREDIT), &credit_cents) != 0)
        return -1;
    if (debit_cents && credit_cents)
        return fail(ctx, line_no, "both Debit and Credit are non-zero");
    if (!debit_cents && !credit_cents)
        return fail(ctx, line_no, "zero amount");
    l->side = debit_cents ? GL_SIDE_DEBIT : GL_SIDE_CREDIT;
    l->amount_cents = debit_cents ? debit_cents : credit_cents;
    return 0;
}

/* Side and amount from Montant/Sens (D, C, +1 or -1). */
static int amount_montant_sens(fec_ctx *ctx, size_t line_no, fec_field *fields, fec_line *l)
{
    char buf[SHOW_MAX + 4];
    fec_field *sens = col(fields, ctx, COL_SENS);
    if (parse_amount(ctx, line_no, COL_MONTANT, col(fields, ctx, COL_MONTANT), &l->amount_cents) !=
        0)
        return -1;
    if (name_is(sens, "D") || name_is(sens, "+1"))
        l->side = GL_SIDE_DEBIT;
    else if (name_is(sens, "C") || name_is(sens, "-1"))
        l->side = GL_SIDE_CREDIT;
    else
        return fail(ctx, line_no, "Sens '%s' must be D, C, +1 or -1",
                    show(sens->s, sens->len, buf));
    if (l->amount_cents == 0)
        return fail(ctx, line_no, "zero amount");
    return 0;
}

/* Text columns of a line, their limits checked; account upper-cased. */
static int line_texts(fec_ctx *ctx, size_t line_no, fec_field *fields, fec_line *l)
{
    static const struct {
        enum fec_col c;
        size_t max_len;
    } texts[] = {
        {COL_ECRITURE_NUM, GL_LABEL_MAX}, {COL_COMPTE_NUM, GL_ACCOUNT_MAX},
        {COL_COMPTE_LIB, GL_LABEL_MAX},   {COL_COMP_AUX_NUM, GL_AUX_MAX},
        {COL_COMP_AUX_LIB, GL_LABEL_MAX}, {COL_PIECE_REF, GL_PIECE_MAX},
        {COL_ECRITURE_LIB, GL_LABEL_MAX}, {COL_ECRITURE_LET, GL_LABEL_MAX},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (check_text(ctx, line_no, texts[i].c, col(fields, ctx, texts[i].c), texts[i].max_len) !=
            0)
            return -1;
    if (col(fields, ctx, COL_ECRITURE_NUM)->len == 0)
        return fail(ctx, line_no, "EcritureNum is empty");
    upcase(col(fields, ctx, COL_COMPTE_NUM));
    fec_field *num = col(fields, ctx, COL_COMPTE_NUM);
    char buf[SHOW_MAX + 4];
    /* class 9 is left to the daemon, which knows whether the tenant keeps
     * analytic accounts */
    if (!gl_account_number_valid((gl_str){num->s, num->len}, true))
        return fail(ctx, line_no, "CompteNum '%s' is not an account number: %s",
                    show(num->s, num->len, buf), GL_ACCOUNT_RULE);
    l->account = col(fields, ctx, COL_COMPTE_NUM)->s;
    l->aux = col(fields, ctx, COL_COMP_AUX_NUM)->s;
    l->aux_label = col(fields, ctx, COL_COMP_AUX_LIB)->s;
    l->label = col(fields, ctx, COL_ECRITURE_LIB)->s;
    l->piece_ref = col(fields, ctx, COL_PIECE_REF)->s;
    l->let = col(fields, ctx, COL_ECRITURE_LET)->s;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Grouping                                                            */
/* ------------------------------------------------------------------ */

static int lines_reserve(fec_ctx *ctx)
{
    if (ctx->line_count < ctx->line_cap)
        return 0;
    size_t cap = ctx->line_cap ? ctx->line_cap * 2 : 256;
    if (cap > SIZE_MAX / sizeof(fec_line))
        return -1;
    fec_line *lines = realloc(ctx->lines, cap * sizeof *lines);
    if (!lines)
        return -1;
    ctx->lines = lines;
    ctx->line_cap = cap;
    return 0;
}

static int groups_reserve(fec_ctx *ctx)
{
    if (ctx->group_count < ctx->group_cap)
        return 0;
    size_t cap = ctx->group_cap ? ctx->group_cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof(fec_group))
        return -1;
    fec_group *groups = realloc(ctx->groups, cap * sizeof *groups);
    if (!groups)
        return -1;
    ctx->groups = groups;
    ctx->group_cap = cap;
    return 0;
}

/* Append line l (already in ctx->lines at index li) to its entry. */
static int group_line(fec_ctx *ctx, const char *journal, const char *num, uint32_t date, size_t li)
{
    char buf[SHOW_MAX + 4], dbuf[11];
    size_t line_no = ctx->lines[li].file_line, gi;
    if (groups_reserve(ctx) != 0)
        return fail_nomem(ctx, line_no);
    int added = key_find_or_add(&ctx->group_keys, journal, num, ctx->group_count, &gi);
    if (added < 0)
        return fail_nomem(ctx, line_no);
    if (added) {
        ctx->groups[ctx->group_count++] = (fec_group){journal, num, li, li, 1, line_no, date};
        return 0;
    }
    fec_group *g = &ctx->groups[gi];
    if (g->date != date)
        return fail(ctx, line_no, "EcritureDate differs from line %zu of entry %s/%s (%s)",
                    g->file_line, journal, show(num, strlen(num), buf),
                    gl_date_format(g->date, dbuf));
    if (g->count == GL_LINES_MAX)
        return fail(ctx, line_no, "entry %s/%s has more than %d lines", journal,
                    show(num, strlen(num), buf), GL_LINES_MAX);
    ctx->lines[g->last].next = li;
    g->last = li;
    g->count++;
    return 0;
}

/* Record the account's label the first time the account is met. */
static int note_account(fec_ctx *ctx, size_t line_no, const char *account, const char *label)
{
    size_t ai;
    int added = key_find_or_add(&ctx->account_keys, account, "", ctx->account_keys.count, &ai);
    if (added < 0 || (added && gl_entry_set_note_account(ctx->out, account, label) != 0))
        return fail_nomem(ctx, line_no);
    return 0;
}

/* One data line: split, checked, parsed and grouped. */
static int parse_line(fec_ctx *ctx, size_t line_no, char *line, size_t len)
{
    fec_field fields[FIELDS_MAX];
    if (split(ctx, line_no, line, len, fields, ctx->field_count) != 0)
        return -1;
    if (lines_reserve(ctx) != 0)
        return fail_nomem(ctx, line_no);
    fec_line *l = &ctx->lines[ctx->line_count];
    *l = (fec_line){.file_line = line_no, .next = NO_LINE};
    uint32_t date = 0;
    fec_field *journal = col(fields, ctx, COL_JOURNAL_CODE);
    if (check_journal(ctx, line_no, journal) != 0 ||
        parse_date(ctx, line_no, fields, COL_ECRITURE_DATE, &date) != 0 ||
        line_texts(ctx, line_no, fields, l) != 0)
        return -1;
    l->piece_date = date;
    if (parse_date(ctx, line_no, fields, COL_PIECE_DATE, &l->piece_date) != 0 ||
        parse_date(ctx, line_no, fields, COL_DATE_LET, &l->let_date) != 0 ||
        parse_date(ctx, line_no, fields, COL_VALID_DATE, &l->valid_date) != 0)
        return -1;
    int rc = ctx->montant_sens ? amount_montant_sens(ctx, line_no, fields, l)
                               : amount_debit_credit(ctx, line_no, fields, l);
    if (rc != 0 || note_account(ctx, line_no, l->account, col(fields, ctx, COL_COMPTE_LIB)->s) != 0)
        return -1;
    ctx->line_count++;
    return group_line(ctx, journal->s, col(fields, ctx, COL_ECRITURE_NUM)->s, date,
                      ctx->line_count - 1);
}

/* Walk the text line by line: header, data lines, trailing empty lines. */
static int parse_text(fec_ctx *ctx, char *text, size_t len)
{
    size_t pos = 0, line_no = 0, blank_line_no = 0;
    if (len == 0)
        return fail(ctx, 1, "empty file: no header line");
    while (pos < len) {
        char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl != NULL);
        line_no++;
        if (n && line[n - 1] == '\r')
            n--;
        line[n] = '\0';
        if (memchr(line, '\0', n))
            return fail(ctx, line_no, "NUL byte in the line");
        if (line_no == 1) {
            if (parse_header(ctx, line, n) != 0)
                return -1;
            continue;
        }
        if (n == 0) {
            blank_line_no = blank_line_no ? blank_line_no : line_no;
            continue;
        }
        if (blank_line_no)
            return fail(ctx, blank_line_no, "empty line before the end of the file");
        if (parse_line(ctx, line_no, line, n) != 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Entries                                                             */
/* ------------------------------------------------------------------ */

/* Encode e, decode it back and apply the ledger-free rules.  Returns GL_OK
 * or the status, with *bad_line the 1-based line at fault (0: the entry). */
static int entry_verify(gl_buf *buf, const gl_entry_in *e, uint32_t *bad_line)
{
    *bad_line = 0;
    gl_buf_reset(buf);
    int st = gl_entry_encode(buf, e);
    if (st != GL_OK)
        return st;
    gl_cur c;
    gl_entry decoded;
    gl_cur_init(&c, buf->data, buf->len);
    gl_entry_decode(&c, &decoded);
    st = gl_cur_end(&c);
    if (st != GL_OK)
        return st;
    return gl_entry_check(&decoded, bad_line);
}

/* Build, verify and append the entry of group g; in_lines and file_lines
 * have room for g->count items. */
static int emit_group(fec_ctx *ctx, gl_buf *buf, const fec_group *g, gl_line_in *in_lines,
                      size_t *file_lines)
{
    char buf_num[SHOW_MAX + 4], d1[11], d2[11];
    size_t n = 0;
    const fec_line *first = &ctx->lines[g->first];
    for (size_t li = g->first; li != NO_LINE; li = ctx->lines[li].next, n++) {
        const fec_line *l = &ctx->lines[li];
        in_lines[n] =
            (gl_line_in){l->account, l->aux, l->aux_label, l->label, l->side, l->amount_cents};
        file_lines[n] = l->file_line;
        /* one validation date per entry: the entry was validated as a whole */
        if (l->valid_date != first->valid_date)
            return fail(ctx, l->file_line, "entry %s/%s: ValidDate %s differs from line %zu's (%s)",
                        g->journal, show(g->num, strlen(g->num), buf_num),
                        l->valid_date ? gl_date_format(l->valid_date, d1) : "empty",
                        first->file_line,
                        first->valid_date ? gl_date_format(first->valid_date, d2) : "empty");
    }
    /* the validation date travels in the entry's extension area (type 1) */
    uint8_t valid_item[2 + GL_EXT_VALID_DATE_LEN];
    size_t valid_len = gl_ext_valid_date_put(valid_item, first->valid_date);
    gl_entry_in e = {
        .tenant = ctx->tenant,
        .journal = g->journal,
        .piece_ref = first->piece_ref,
        .label = first->label,
        .date = g->date,
        .piece_date = first->piece_date,
        .line_count = n,
        .lines = in_lines,
        .ext = {valid_item, valid_len},
    };
    /* PieceRef and EcritureLib are mandatory (LPF art. A47 A-1); the entry
     * takes its first line's, a later line's empty EcritureLib falling back
     * to the entry's label */
    if (gl_text_blank((gl_str){first->piece_ref, strlen(first->piece_ref)}))
        return fail(ctx, first->file_line,
                    "entry %s/%s: PieceRef is empty or blank (it is mandatory)", g->journal,
                    show(g->num, strlen(g->num), buf_num));
    if (gl_text_blank((gl_str){first->label, strlen(first->label)}))
        return fail(ctx, first->file_line,
                    "entry %s/%s: EcritureLib is empty or blank (it is mandatory)", g->journal,
                    show(g->num, strlen(g->num), buf_num));
    uint32_t bad_line;
    int st = entry_verify(buf, &e, &bad_line);
    if (st == GL_ERR_NOMEM)
        return fail_nomem(ctx, g->file_line);
    if (st != GL_OK)
        return fail(ctx, bad_line && bad_line <= n ? file_lines[bad_line - 1] : g->file_line,
                    "entry %s/%s: %s", g->journal, show(g->num, strlen(g->num), buf_num),
                    gl_status_message(st));
    if (gl_entry_set_add(ctx->out, &e, g->file_line) != 0)
        return fail_nomem(ctx, g->file_line);
    /* its lettered lines (EcritureLet), for fec import to letter after posting */
    n = 0;
    for (size_t li = g->first; li != NO_LINE; li = ctx->lines[li].next, n++) {
        const fec_line *l = &ctx->lines[li];
        if (l->let[0] && gl_entry_set_note_letter(ctx->out, ctx->out->count - 1, (uint16_t)(n + 1),
                                                  l->let, l->let_date) != 0)
            return fail_nomem(ctx, l->file_line);
    }
    return 0;
}

static int emit_entries(fec_ctx *ctx)
{
    size_t max_count = 1;
    for (size_t i = 0; i < ctx->group_count; i++)
        if (ctx->groups[i].count > max_count)
            max_count = ctx->groups[i].count;
    gl_line_in *in_lines = calloc(max_count, sizeof *in_lines);
    size_t *file_lines = calloc(max_count, sizeof *file_lines);
    gl_buf buf;
    gl_buf_init(&buf);
    int rc = in_lines && file_lines ? 0 : fail_nomem(ctx, 0);
    for (size_t i = 0; rc == 0 && i < ctx->group_count; i++)
        rc = emit_group(ctx, &buf, &ctx->groups[i], in_lines, file_lines);
    gl_buf_free(&buf);
    free(in_lines);
    free(file_lines);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

static bool tenant_valid(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    if (n < 1 || n > GL_TENANT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_' ||
              t[i] == '-'))
            return false;
    return true;
}

static void ctx_free(fec_ctx *ctx)
{
    free(ctx->lines);
    free(ctx->groups);
    free(ctx->group_keys.slots);
    free(ctx->account_keys.slots);
}

int gl_fec_read(const char *data, size_t len, const char *tenant, enum gl_fec_encoding enc,
                gl_entry_set *out, char *err, size_t err_len)
{
    fec_ctx ctx = {.err = err, .err_len = err_len, .tenant = tenant, .out = out};
    for (int c = 0; c < COL_COUNT; c++)
        ctx.col_at[c] = -1;
    if (err && err_len)
        err[0] = '\0';
    size_t text_len = 0;
    char *text = NULL;
    int rc = 0;
    if (!tenant_valid(tenant))
        rc = fail(&ctx, 0, "tenant must be 1-%d characters a-z 0-9 _ -", GL_TENANT_MAX);
    else if (!data && len)
        rc = fail(&ctx, 0, "no input");
    else if (!(text = utf8_text(&ctx, data ? data : "", len, enc, &text_len)))
        rc = -1;
    if (rc == 0)
        rc = parse_text(&ctx, text, text_len);
    if (rc == 0)
        rc = emit_entries(&ctx);
    ctx_free(&ctx);
    free(text);
    if (rc != 0)
        gl_entry_set_free(out);
    return rc;
}
