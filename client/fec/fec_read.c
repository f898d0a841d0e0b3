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
#include "spool.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/hash.h"
#include "proto/limits.h"
#include "proto/money.h"
#include "proto/rules.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <errno.h>
#include <sodium.h>
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
/* Parsed lines, the reader and the hash table                         */
/* ------------------------------------------------------------------ */

/* One FEC line; every string points into the current line's buffer. */
typedef struct fec_line {
    const char *account, *aux, *aux_label, *label, *piece_ref;
    const char *let; /* EcritureLet, "" if not lettered */
    int64_t amount_cents;
    size_t file_line;
    uint32_t piece_date;
    uint32_t let_date;   /* DateLet, 0 if empty */
    uint32_t valid_date; /* ValidDate, 0 if empty */
    uint8_t side;
} fec_line;

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

/* Which fault is reported when there are several: the first the file's
 * order meets while reading its lines (a line's own fault, or a line that
 * does not fit its entry: another date, too many lines); failing any, the
 * first entry (in order of first appearance) that is not valid. */
enum fault_rank { FAULT_NONE, FAULT_ENTRY, FAULT_LINE, FAULT_FATAL };

typedef struct fec_ctx {
    char *err; /* where fail() writes: scratch while grouping */
    size_t err_len;
    char *best_err; /* the caller's buffer: the fault reported */
    size_t best_err_len;
    enum fault_rank best_rank;
    size_t best_order; /* file line of the fault (FAULT_LINE), of the entry (FAULT_ENTRY) */
    const char *tenant;
    char sep;
    size_t field_count;    /* fields per line, from the header */
    int col_at[COL_COUNT]; /* field index of each column, -1 if absent */
    bool montant_sens;
    gl_entry_set accounts;      /* the distinct accounts and their first labels only */
    size_t *account_entry_line; /* per account: the first line of the first entry using it */
    size_t account_line_cap;
    key_table account_keys;
    /* the distinct auxiliary codes (CompAuxNum), their first label
     * (CompAuxLib) and the account of their first line (third parties) */
    gl_entry_set auxes;
    char **aux_collective;
    size_t aux_collective_cap;
    key_table aux_keys;
    gl_spool *lines;   /* every line, keyed (journal, num, file line) */
    gl_spool *entries; /* every valid entry, keyed by its first file line */
    gl_spool *letters; /* lettered lines, keyed (account, aux, code, entry, line) */
    gl_buf kbuf, vbuf; /* a record's key and value */
    size_t entry_count;
    uint32_t first_date;
    size_t fail_line; /* the line of the last fail() */
    bool fatal;       /* fail_nomem, fail_spool: nothing more can be read */
    uint8_t digest[32];
} fec_ctx;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

__attribute__((format(printf, 3, 4))) static int fail(fec_ctx *ctx, size_t line_no, const char *fmt,
                                                      ...)
{
    ctx->fail_line = line_no;
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

/* Out of memory, or a temporary file that fails: the reading stops there. */
static int fail_nomem(fec_ctx *ctx, size_t line_no)
{
    ctx->fatal = true;
    return fail(ctx, line_no, "out of memory");
}

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

/* Any byte of w at or above 0x80. */
#define HIGH_BYTES 0x8080808080808080ull
#define ONE_BYTES 0x0101010101010101ull

/* Is s[0..len) UTF-8 in the gl_utf8_valid_with_bidi sense, ASCII control
 * bytes (tab, CR, LF...) excepted?  A multi-byte sequence holds no ASCII
 * byte, and an ASCII byte ends one (or breaks it), so validating each
 * maximal run of bytes >= 0x80 apart is exact; the ASCII between runs is
 * skipped eight bytes at a time (this runs over every byte of the file). */
static bool utf8_runs_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint64_t w;
        if (len - i >= 8 && (memcpy(&w, s + i, 8), !(w & HIGH_BYTES))) {
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t run = i;
        while (i < len && (unsigned char)s[i] >= 0x80)
            i++;
        if (!gl_utf8_valid_with_bidi(s + run, i - run)) /* the text rule comes later, per field */
            return false;
    }
    return true;
}

/* Is s[0..len) printable ASCII only (0x20-0x7e)?  Such text is valid in
 * the gl_utf8_valid sense; eight bytes at a time (a byte below 0x20 or
 * equal to 0x7f shows as a borrow into its high bit, exact for bytes below
 * 0x80). */
static bool printable_ascii(const char *s, size_t len)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t del = w ^ (0x7f * ONE_BYTES);
        if ((w & HIGH_BYTES) || ((w - 0x20 * ONE_BYTES) & ~w & HIGH_BYTES) ||
            ((del - ONE_BYTES) & ~del & HIGH_BYTES))
            return false;
    }
    for (; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch >= 0x7f)
            return false;
    }
    return true;
}

/* gl_utf8_valid, with the common case (printable ASCII) first. */
static bool text_valid(const char *s, size_t len)
{
    return printable_ascii(s, len) || gl_utf8_valid(s, len);
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

/* Split line[0..len) at ctx->sep into exactly `want` trimmed fields, in
 * one pass (the separators are counted only to word a refusal). */
static int split(fec_ctx *ctx, size_t line_no, char *line, size_t len, fec_field *fields,
                 size_t want)
{
    char *p = line, *end = line + len;
    size_t i = 0;
    for (;;) {
        char *s = memchr(p, ctx->sep, (size_t)(end - p));
        if (i + 1 == want && !s) {
            fields[i] = trim(p, (size_t)(end - p));
            return 0;
        }
        if (i + 1 == want || !s)
            break;
        fields[i++] = trim(p, (size_t)(s - p));
        p = s + 1;
    }
    /* p..end is untouched: the fields before it are i */
    size_t have = i + count_char(p, (size_t)(end - p), ctx->sep) + 1;
    return fail(ctx, line_no, "%zu fields where the header has %zu", have, want);
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
    if (!text_valid(f->s, f->len))
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
/* Spooled records                                                     */
/* ------------------------------------------------------------------ */

/* Bytes each spool holds in memory before it writes a run: what bounds
 * fec import's memory, whatever the file's size. */
#define FEC_RUN_BYTES (8u << 20)

static size_t run_bytes = FEC_RUN_BYTES;

void gl_fec_run_bytes(size_t bytes) { run_bytes = bytes ? bytes : FEC_RUN_BYTES; }

static const char bom[3] = {'\xef', '\xbb', '\xbf'};

/* Values are written in host order (the spool dies with the process);
 * keys big-endian, to sort as bytes. */
static void put_host(gl_buf *b, const void *p, size_t n) { gl_put_bytes(b, p, n); }
static void put_u32h(gl_buf *b, uint32_t v) { put_host(b, &v, sizeof v); }
static void put_u64h(gl_buf *b, uint64_t v) { put_host(b, &v, sizeof v); }
static void put_i64h(gl_buf *b, int64_t v) { put_host(b, &v, sizeof v); }
static void put_cstr(gl_buf *b, const char *s) { gl_put_bytes(b, s, strlen(s) + 1); }

typedef struct rd {
    const uint8_t *p, *end;
    bool bad;
} rd;

static void rd_n(rd *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}

static uint8_t rd_u8(rd *r)
{
    uint8_t v;
    rd_n(r, &v, sizeof v);
    return v;
}

static uint16_t rd_u16(rd *r)
{
    uint16_t v;
    rd_n(r, &v, sizeof v);
    return v;
}

static uint32_t rd_u32(rd *r)
{
    uint32_t v;
    rd_n(r, &v, sizeof v);
    return v;
}

static uint64_t rd_u64(rd *r)
{
    uint64_t v;
    rd_n(r, &v, sizeof v);
    return v;
}

static int64_t rd_i64(rd *r)
{
    int64_t v;
    rd_n(r, &v, sizeof v);
    return v;
}

static const char *rd_str(rd *r)
{
    const uint8_t *z = r->p < r->end ? memchr(r->p, 0, (size_t)(r->end - r->p)) : NULL;
    if (!z) {
        r->bad = true;
        return "";
    }
    const char *s = (const char *)r->p;
    r->p = z + 1;
    return s;
}

static uint64_t be_of(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* A spool that could not be written or read (disk full, $TMPDIR missing):
 * error 963, whatever line was being read. */
static int fail_spool(fec_ctx *ctx, size_t line_no)
{
    if (errno == ENOMEM)
        return fail_nomem(ctx, line_no);
    int e = errno;
    const char *dir = getenv("TMPDIR");
    ctx->fatal = true;
    return fail(ctx, 0, "error %d %s: %s — %s: %s", GL_ERR_SPOOL, gl_status_name(GL_ERR_SPOOL),
                gl_status_message(GL_ERR_SPOOL), dir && *dir ? dir : "/tmp", strerror(e));
}

/* ------------------------------------------------------------------ */
/* Reading lines                                                       */
/* ------------------------------------------------------------------ */

static size_t key_find(const key_table *t, const char *a, const char *b)
{
    return t->cap ? key_probe(t, a, b, key_hash(a, b))->idx : SIZE_MAX;
}

/* Record the account's label the first time the account is met; the
 * table's keys are the set's own copies (the line's buffer is reused). */
static int note_account(fec_ctx *ctx, size_t line_no, const char *account, const char *label)
{
    if (key_find(&ctx->account_keys, account, "") != SIZE_MAX)
        return 0;
    gl_entry_set *a = &ctx->accounts;
    size_t i = a->account_count, ai;
    if (i == ctx->account_line_cap) {
        size_t cap = i ? i * 2 : 64;
        size_t *lines = realloc(ctx->account_entry_line, cap * sizeof *lines);
        if (!lines)
            return fail_nomem(ctx, line_no);
        ctx->account_entry_line = lines;
        ctx->account_line_cap = cap;
    }
    if (gl_entry_set_note_account(a, account, label) != 0 ||
        key_find_or_add(&ctx->account_keys, a->accounts[i].account, "", i, &ai) < 0)
        return fail_nomem(ctx, line_no);
    ctx->account_entry_line[i] = SIZE_MAX;
    return 0;
}

/* Record an auxiliary code, its label and its account the first time the
 * code is met (fec import registers the third parties the file names). */
static int note_aux(fec_ctx *ctx, size_t line_no, const char *aux, const char *label,
                    const char *account)
{
    if (!aux[0] || key_find(&ctx->aux_keys, aux, "") != SIZE_MAX)
        return 0;
    gl_entry_set *a = &ctx->auxes;
    size_t i = a->account_count, ai;
    if (i == ctx->aux_collective_cap) {
        size_t cap = i ? i * 2 : 64;
        char **c = realloc(ctx->aux_collective, cap * sizeof *c);
        if (!c)
            return fail_nomem(ctx, line_no);
        ctx->aux_collective = c;
        ctx->aux_collective_cap = cap;
    }
    ctx->aux_collective[i] = strdup(account);
    if (!ctx->aux_collective[i] || gl_entry_set_note_account(a, aux, label) != 0 ||
        key_find_or_add(&ctx->aux_keys, a->accounts[i].account, "", i, &ai) < 0) {
        free(ctx->aux_collective[i]);
        return fail_nomem(ctx, line_no);
    }
    return 0;
}

/* A record whose size is known first is written with one reservation
 * (gl_buf_room) and plain copies: a gl_put_bytes call per field cost a
 * tenth of the parse's CPU. */

static uint8_t *w_bytes(uint8_t *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}

/* Values in host order, as put_u32h and the others. */
static uint8_t *w_u32h(uint8_t *p, uint32_t v) { return w_bytes(p, &v, sizeof v); }
static uint8_t *w_i64h(uint8_t *p, int64_t v) { return w_bytes(p, &v, sizeof v); }

/* One checked line into the lines spool, keyed (journal, num, file line):
 * read back in that order, each entry's lines come together whatever the
 * file's order. */
static int spool_line(fec_ctx *ctx, const fec_field *journal, const fec_field *num, uint32_t date,
                      const fec_line *l)
{
    gl_buf *k = &ctx->kbuf, *v = &ctx->vbuf;
    const char *strs[6] = {l->account, l->aux, l->aux_label, l->label, l->piece_ref, l->let};
    size_t lens[6], v_len = 4 * 4 + 1 + 8;
    for (size_t i = 0; i < 6; i++)
        v_len += (lens[i] = strlen(strs[i]) + 1);
    size_t k_len = journal->len + 1 + num->len + 1 + 8;
    gl_buf_reset(k);
    gl_buf_reset(v);
    uint8_t *kp = gl_buf_room(k, k_len), *vp = gl_buf_room(v, v_len);
    if (!kp || !vp)
        return fail_nomem(ctx, l->file_line);
    kp = w_bytes(kp, journal->s, journal->len + 1);
    kp = w_bytes(kp, num->s, num->len + 1);
    gl_be64(kp, l->file_line);
    vp = w_u32h(vp, date);
    vp = w_u32h(vp, l->piece_date);
    vp = w_u32h(vp, l->let_date);
    vp = w_u32h(vp, l->valid_date);
    *vp++ = l->side;
    vp = w_i64h(vp, l->amount_cents);
    for (size_t i = 0; i < 6; i++)
        vp = w_bytes(vp, strs[i], lens[i]);
    GL_ASSERT(vp == v->data + v_len);
    if (gl_spool_add(ctx->lines, k->data, k_len, v->data, v_len) != 0)
        return fail_spool(ctx, l->file_line);
    return 0;
}

/* One data line: split, checked, parsed and spooled.  Whether it fits its
 * entry (same date, not too many lines) is seen when the entries are
 * gathered (gather_entries). */
static int parse_line(fec_ctx *ctx, size_t line_no, char *line, size_t len)
{
    fec_field fields[FIELDS_MAX];
    if (split(ctx, line_no, line, len, fields, ctx->field_count) != 0)
        return -1;
    fec_line l = {.file_line = line_no};
    uint32_t date = 0;
    fec_field *journal = col(fields, ctx, COL_JOURNAL_CODE);
    if (check_journal(ctx, line_no, journal) != 0 ||
        parse_date(ctx, line_no, fields, COL_ECRITURE_DATE, &date) != 0 ||
        line_texts(ctx, line_no, fields, &l) != 0)
        return -1;
    l.piece_date = date;
    if (parse_date(ctx, line_no, fields, COL_PIECE_DATE, &l.piece_date) != 0 ||
        parse_date(ctx, line_no, fields, COL_DATE_LET, &l.let_date) != 0 ||
        parse_date(ctx, line_no, fields, COL_VALID_DATE, &l.valid_date) != 0)
        return -1;
    int rc = ctx->montant_sens ? amount_montant_sens(ctx, line_no, fields, &l)
                               : amount_debit_credit(ctx, line_no, fields, &l);
    if (rc != 0 || note_account(ctx, line_no, l.account, col(fields, ctx, COL_COMPTE_LIB)->s) != 0 ||
        note_aux(ctx, line_no, l.aux, l.aux_label, l.account) != 0)
        return -1;
    return spool_line(ctx, journal, col(fields, ctx, COL_ECRITURE_NUM), date, &l);
}

/* First pass over the file's bytes: their digest (request ids derive from
 * it) and, unless told, the encoding: UTF-8 if every line is, else ISO
 * 8859-15.  Multi-byte sequences never hold '\n', so line by line is
 * exact. */
static int scan_file(fec_ctx *ctx, FILE *f, enum gl_fec_encoding enc, bool *latin9)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof ctx->digest);
    char *raw = NULL;
    size_t cap = 0, line_no = 0, bad_line = 0;
    ssize_t got;
    while ((got = getline(&raw, &cap, f)) >= 0) {
        crypto_generichash_update(&st, (const unsigned char *)raw, (size_t)got);
        const char *line = raw;
        size_t n = (size_t)got;
        if (line_no++ == 0 && enc != GL_FEC_ENC_LATIN9 && n >= 3 && !memcmp(line, bom, 3)) {
            line += 3;
            n -= 3;
        }
        if (!bad_line && enc != GL_FEC_ENC_LATIN9 && !utf8_runs_valid(line, n))
            bad_line = line_no;
    }
    int err = ferror(f) ? errno : 0;
    free(raw);
    crypto_generichash_final(&st, ctx->digest, sizeof ctx->digest);
    if (err)
        return fail(ctx, 0, "cannot read the file: %s", strerror(err));
    if (enc == GL_FEC_ENC_UTF8 && bad_line)
        return fail(ctx, bad_line, "not valid UTF-8 text (is the file ISO 8859-15?)");
    *latin9 = enc == GL_FEC_ENC_LATIN9 || bad_line;
    return 0;
}

/* line[0..n) from ISO 8859-15 into *out (grown as needed, NUL-terminated);
 * returns its length, or SIZE_MAX on nomem. */
static size_t latin9_line(const char *line, size_t n, char **out, size_t *cap)
{
    if (n > (SIZE_MAX - 1) / 3)
        return SIZE_MAX;
    if (n * 3 + 1 > *cap) {
        char *grown = realloc(*out, n * 3 + 1);
        if (!grown)
            return SIZE_MAX;
        *out = grown;
        *cap = n * 3 + 1;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char u[3];
        size_t k = latin9_to_utf8((unsigned char)line[i], u);
        memcpy(*out + len, u, k);
        len += k;
    }
    (*out)[len] = '\0';
    return len;
}

/* One physical line (without its '\n'), NUL-terminated in place: the
 * header, a data line, or an empty line (only at the end). */
static int take_line(fec_ctx *ctx, size_t line_no, char *line, size_t n, size_t *blank_line_no)
{
    if (n && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    if (memchr(line, '\0', n))
        return fail(ctx, line_no, "NUL byte in the line");
    if (line_no == 1)
        return parse_header(ctx, line, n);
    if (n == 0) {
        *blank_line_no = *blank_line_no ? *blank_line_no : line_no;
        return 0;
    }
    if (*blank_line_no)
        return fail(ctx, *blank_line_no, "empty line before the end of the file");
    return parse_line(ctx, line_no, line, n);
}

/* Second pass: every line checked and spooled; stops at the first fault. */
static int read_lines(fec_ctx *ctx, FILE *f, bool latin9, bool skip_bom)
{
    char *raw = NULL, *conv = NULL;
    size_t raw_cap = 0, conv_cap = 0, line_no = 0, blank_line_no = 0;
    ssize_t got;
    int rc = 0;
    while (rc == 0 && (got = getline(&raw, &raw_cap, f)) >= 0) {
        char *line = raw;
        size_t n = (size_t)got;
        if (line_no == 0 && skip_bom && n >= 3 && !memcmp(line, bom, 3)) {
            line += 3;
            n -= 3;
        }
        if (n == 0)
            break; /* a BOM and nothing else */
        if (line[n - 1] == '\n')
            n--;
        if (latin9 && (n = latin9_line(line, n, &conv, &conv_cap)) == SIZE_MAX)
            rc = fail_nomem(ctx, line_no + 1);
        else
            rc = take_line(ctx, ++line_no, latin9 ? conv : line, n, &blank_line_no);
    }
    if (rc == 0 && ferror(f))
        rc = fail(ctx, 0, "cannot read the file: %s", strerror(errno));
    if (rc == 0 && line_no == 0)
        rc = fail(ctx, 1, "empty file: no header line");
    free(raw);
    free(conv);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Entries                                                             */
/* ------------------------------------------------------------------ */

/* Keep the message fail() just wrote (in the scratch buffer) if it is the
 * one to report; see enum fault_rank.  Returns -1. */
static int offer(fec_ctx *ctx, enum fault_rank rank, size_t order)
{
    if (rank > ctx->best_rank || (rank == ctx->best_rank && order < ctx->best_order)) {
        if (ctx->best_err && ctx->best_err_len)
            snprintf(ctx->best_err, ctx->best_err_len, "%s", ctx->err);
        ctx->best_rank = rank;
        ctx->best_order = order;
    }
    return -1;
}

/* An entry being gathered: the lines of one (journal, num), in file order. */
typedef struct fec_group {
    char journal[GL_JOURNAL_MAX + 1], num[GL_LABEL_MAX + 1];
    size_t file_line; /* of its first line */
    uint32_t date;
    size_t count;
    bool faulted;    /* a line did not fit: its fault offered, the rest ignored */
    gl_buf arena;    /* the lines' spooled values, back to back */
    size_t *at;      /* GL_LINES_MAX offsets into arena */
    fec_line *lines; /* GL_LINES_MAX, decoded when the group is complete */
    gl_line_in *in;  /* GL_LINES_MAX */
    size_t *file_lines;
} fec_group;

/* gl_entry_check's ledger-free rules, on the entry as built.  The entry
 * is not encoded and decoded back to get there (that was a third of the
 * parse's CPU): every refusal the encoding or the decoding could add was
 * met on the entry's lines first (lengths and text by check_text and
 * gl_journal_valid, dates by gl_date_parse, at most GL_LINES_MAX lines,
 * the tenant by tenant_valid, flags and reversal zero), so what is left
 * is gl_entry_check's own, in its order.  tests/fuzz/fuzz_fec.c encodes,
 * decodes and checks every entry the reader accepts, so that the two
 * cannot drift apart.  Returns GL_OK or the status, with *bad_line the
 * 1-based line at fault (0: the entry). */
static int entry_rules(const gl_entry_in *e, uint32_t *bad_line)
{
    *bad_line = 0;
    if (!gl_journal_valid((gl_str){e->journal, strlen(e->journal)}))
        return GL_ERR_BAD_JOURNAL;
    if (e->line_count < 2)
        return GL_ERR_TOO_FEW_LINES;
    int64_t debit = 0, credit = 0;
    for (size_t i = 0; i < e->line_count; i++) {
        const gl_line_in *l = &e->lines[i];
        *bad_line = (uint32_t)(i + 1);
        if (!gl_account_valid((gl_str){l->account, strlen(l->account)}))
            return GL_ERR_BAD_ACCOUNT;
        if (l->amount_cents <= 0)
            return GL_ERR_AMOUNT_NOT_POSITIVE;
        if (!gl_money_add(l->side == GL_SIDE_DEBIT ? &debit : &credit, l->amount_cents))
            return GL_ERR_OVERFLOW;
    }
    *bad_line = 0;
    return debit != credit ? GL_ERR_UNBALANCED : GL_OK;
}

/* The valid entry e of group g into the entries spool, keyed by its first
 * file line (the order of first appearance), with each line's letter. */
static int spool_entry(fec_ctx *ctx, const fec_group *g, const gl_entry_in *e)
{
    gl_buf *k = &ctx->kbuf, *v = &ctx->vbuf;
    size_t head[3] = {strlen(e->journal) + 1, strlen(e->piece_ref) + 1, strlen(e->label) + 1};
    size_t v_len = 4 + 4 + 2 + 2 + e->ext.len + head[0] + head[1] + head[2];
    for (size_t i = 0; i < e->line_count; i++) {
        const fec_line *l = &g->lines[i];
        v_len += 1 + 8 + 4 + strlen(l->account) + strlen(l->aux) + strlen(l->aux_label) +
                 strlen(l->label) + strlen(l->let) + 5;
    }
    gl_buf_reset(k);
    gl_buf_reset(v);
    uint8_t *kp = gl_buf_room(k, 8), *vp = gl_buf_room(v, v_len);
    if (!kp || !vp)
        return fail_nomem(ctx, g->file_line);
    gl_be64(kp, g->file_line);
    vp = w_u32h(vp, e->date);
    vp = w_u32h(vp, e->piece_date);
    uint16_t counts[2] = {(uint16_t)e->line_count, (uint16_t)e->ext.len};
    vp = w_bytes(vp, counts, sizeof counts);
    if (e->ext.len)
        vp = w_bytes(vp, e->ext.items, e->ext.len);
    vp = w_bytes(vp, e->journal, head[0]);
    vp = w_bytes(vp, e->piece_ref, head[1]);
    vp = w_bytes(vp, e->label, head[2]);
    for (size_t i = 0; i < e->line_count; i++) {
        const fec_line *l = &g->lines[i];
        *vp++ = l->side;
        vp = w_i64h(vp, l->amount_cents);
        vp = w_u32h(vp, l->let_date);
        vp = w_bytes(vp, l->account, strlen(l->account) + 1);
        vp = w_bytes(vp, l->aux, strlen(l->aux) + 1);
        vp = w_bytes(vp, l->aux_label, strlen(l->aux_label) + 1);
        vp = w_bytes(vp, l->label, strlen(l->label) + 1);
        vp = w_bytes(vp, l->let, strlen(l->let) + 1);
    }
    GL_ASSERT(vp == v->data + v_len);
    if (gl_spool_add(ctx->entries, k->data, 8, v->data, v_len) != 0)
        return fail_spool(ctx, g->file_line);
    return 0;
}

/* Build and verify the entry of a complete group; a valid one is spooled
 * and counted, a fault offered as the entry's. */
static int emit_group(fec_ctx *ctx, fec_group *g)
{
    char buf_num[SHOW_MAX + 4], d1[11], d2[11];
    size_t n = g->count;
    const fec_line *first = &g->lines[0];
    for (size_t i = 0; i < n; i++) {
        const fec_line *l = &g->lines[i];
        g->in[i] =
            (gl_line_in){l->account, l->aux, l->aux_label, l->label, l->side, l->amount_cents};
        g->file_lines[i] = l->file_line;
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
        .lines = g->in,
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
    int st = entry_rules(&e, &bad_line);
    if (st != GL_OK)
        return fail(ctx, bad_line && bad_line <= n ? g->file_lines[bad_line - 1] : g->file_line,
                    "entry %s/%s: %s", g->journal, show(g->num, strlen(g->num), buf_num),
                    gl_status_message(st));
    if (ctx->best_rank != FAULT_NONE)
        return 0; /* the file is refused: nothing more to keep */
    if (spool_entry(ctx, g, &e) != 0)
        return -1;
    ctx->entry_count++;
    if (!ctx->first_date || g->date < ctx->first_date)
        ctx->first_date = g->date;
    for (size_t i = 0; i < n; i++) {
        size_t ai = key_find(&ctx->account_keys, g->lines[i].account, "");
        if (ai != SIZE_MAX && g->file_line < ctx->account_entry_line[ai])
            ctx->account_entry_line[ai] = g->file_line;
    }
    return 0;
}

/* A complete group: its lines decoded from the arena, then emitted; an
 * entry's fault is offered.  -1 only when fatal. */
static int close_group(fec_ctx *ctx, fec_group *g)
{
    if (g->faulted || ctx->best_rank == FAULT_LINE)
        return 0; /* a line's fault wins over any entry's */
    for (size_t i = 0; i < g->count; i++) {
        rd r = {g->arena.data + g->at[i], g->arena.data + g->arena.len, false};
        fec_line *l = &g->lines[i];
        (void)rd_u32(&r); /* EcritureDate: the group's */
        l->piece_date = rd_u32(&r);
        l->let_date = rd_u32(&r);
        l->valid_date = rd_u32(&r);
        l->side = rd_u8(&r);
        l->amount_cents = rd_i64(&r);
        l->account = rd_str(&r);
        l->aux = rd_str(&r);
        l->aux_label = rd_str(&r);
        l->label = rd_str(&r);
        l->piece_ref = rd_str(&r);
        l->let = rd_str(&r);
        l->file_line = g->file_lines[i];
        if (r.bad) { /* never spooled so */
            errno = EIO;
            return fail_spool(ctx, 0);
        }
    }
    if (emit_group(ctx, g) != 0) {
        if (ctx->fatal)
            return -1;
        offer(ctx, FAULT_ENTRY, g->file_line);
    }
    return 0;
}

/* src into dst[0..cap), cut to fit: snprintf's "%s" without its cost
 * (once per entry). */
static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* One spooled line (key journal, num, file line) into its group. */
static int group_line(fec_ctx *ctx, fec_group *g, const char *journal, const char *num,
                      size_t file_line, const uint8_t *val, size_t val_len)
{
    char buf[SHOW_MAX + 4], dbuf[11];
    rd r = {val, val + val_len, false};
    uint32_t date = rd_u32(&r);
    if (g->count && (strcmp(g->journal, journal) || strcmp(g->num, num))) {
        if (close_group(ctx, g) != 0)
            return -1;
        g->count = 0;
    }
    if (g->count == 0) {
        copy_str(g->journal, sizeof g->journal, journal);
        copy_str(g->num, sizeof g->num, num);
        g->file_line = file_line;
        g->date = date;
        g->faulted = false;
        gl_buf_reset(&g->arena);
    } else if (g->faulted) {
        return 0;
    } else if (g->date != date) {
        g->faulted = true;
        fail(ctx, file_line, "EcritureDate differs from line %zu of entry %s/%s (%s)", g->file_line,
             journal, show(num, strlen(num), buf), gl_date_format(g->date, dbuf));
        return offer(ctx, FAULT_LINE, file_line), 0;
    } else if (g->count == GL_LINES_MAX) {
        g->faulted = true;
        fail(ctx, file_line, "entry %s/%s has more than %d lines", journal,
             show(num, strlen(num), buf), GL_LINES_MAX);
        return offer(ctx, FAULT_LINE, file_line), 0;
    }
    g->at[g->count] = g->arena.len;
    g->file_lines[g->count] = file_line;
    g->count++;
    gl_put_bytes(&g->arena, val, val_len);
    return gl_buf_ok(&g->arena) ? 0 : fail_nomem(ctx, file_line);
}

/* Third pass, over the lines spool in (journal, num, file line) order:
 * each entry's lines together, checked as a whole. */
static int gather_entries(fec_ctx *ctx)
{
    fec_group g = {.at = calloc(GL_LINES_MAX, sizeof *g.at),
                   .lines = calloc(GL_LINES_MAX, sizeof *g.lines),
                   .in = calloc(GL_LINES_MAX, sizeof *g.in),
                   .file_lines = calloc(GL_LINES_MAX, sizeof *g.file_lines)};
    gl_buf_init(&g.arena);
    int rc = g.at && g.lines && g.in && g.file_lines ? 0 : fail_nomem(ctx, 0);
    const uint8_t *k, *v;
    size_t kl, vl;
    int more = 0;
    while (rc == 0 && (more = gl_spool_next(ctx->lines, &k, &kl, &v, &vl)) == 1) {
        const char *journal = (const char *)k;
        size_t jl = strnlen(journal, kl);
        if (kl < jl + 2 + 8) { /* never spooled so */
            errno = EIO;
            more = -1;
            break;
        }
        const char *num = journal + jl + 1;
        rc = group_line(ctx, &g, journal, num, (size_t)be_of(k + kl - 8, 8), v, vl);
    }
    if (rc == 0 && more < 0)
        rc = fail_spool(ctx, 0);
    if (rc == 0 && g.count)
        rc = close_group(ctx, &g);
    gl_buf_free(&g.arena);
    free(g.at);
    free(g.lines);
    free(g.in);
    free(g.file_lines);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

struct gl_fec_reader {
    fec_ctx ctx;
    char scratch[512];
    gl_line_in *in;     /* GL_LINES_MAX: the entry returned last */
    const char **let;   /* GL_LINES_MAX */
    uint32_t *let_date; /* GL_LINES_MAX */
    size_t index;       /* entries returned */
    bool letters_sorted;
};

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

void gl_fec_close(gl_fec_reader *r)
{
    if (!r)
        return;
    fec_ctx *ctx = &r->ctx;
    gl_entry_set_free(&ctx->accounts);
    free(ctx->account_entry_line);
    free(ctx->account_keys.slots);
    for (size_t i = 0; i < ctx->auxes.account_count; i++)
        free(ctx->aux_collective[i]);
    free(ctx->aux_collective);
    gl_entry_set_free(&ctx->auxes);
    free(ctx->aux_keys.slots);
    gl_spool_free(ctx->lines);
    gl_spool_free(ctx->entries);
    gl_spool_free(ctx->letters);
    gl_buf_free(&ctx->kbuf);
    gl_buf_free(&ctx->vbuf);
    free(r->in);
    free(r->let);
    free(r->let_date);
    free(r);
}

/* The passes over f.  0; or -1 with the fault to report in best_err. */
static int open_passes(gl_fec_reader *r, FILE *f, enum gl_fec_encoding enc)
{
    fec_ctx *ctx = &r->ctx;
    bool latin9 = false;
    int rc = 0;
    if (!tenant_valid(ctx->tenant)) {
        fail(ctx, 0, "tenant must be 1-%d characters a-z 0-9 _ -", GL_TENANT_MAX);
        rc = -1;
    } else if (scan_file(ctx, f, enc, &latin9) != 0) {
        rc = -1;
    } else if (fseek(f, 0, SEEK_SET) != 0) {
        fail(ctx, 0, "cannot read the file again: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && read_lines(ctx, f, latin9, enc != GL_FEC_ENC_LATIN9) != 0) {
        if (ctx->fatal)
            rc = -1;
        else
            offer(ctx, FAULT_LINE, ctx->fail_line);
    }
    /* even after a line's fault: an earlier line may not fit its entry */
    if (rc == 0 && gather_entries(ctx) != 0)
        rc = -1;
    if (rc != 0)
        return offer(ctx, FAULT_FATAL, 0);
    return ctx->best_rank != FAULT_NONE ? -1 : 0;
}

int gl_fec_open(FILE *f, const char *tenant, enum gl_fec_encoding enc, gl_fec_reader **out,
                char *err, size_t err_len)
{
    *out = NULL;
    if (err && err_len)
        err[0] = '\0';
    gl_fec_reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (err && err_len)
            snprintf(err, err_len, "out of memory");
        return -1;
    }
    fec_ctx *ctx = &r->ctx;
    ctx->err = r->scratch;
    ctx->err_len = sizeof r->scratch;
    ctx->best_err = err;
    ctx->best_err_len = err_len;
    ctx->tenant = tenant;
    for (int c = 0; c < COL_COUNT; c++)
        ctx->col_at[c] = -1;
    gl_buf_init(&ctx->kbuf);
    gl_buf_init(&ctx->vbuf);
    ctx->lines = gl_spool_new(run_bytes);
    ctx->entries = gl_spool_new(run_bytes);
    ctx->letters = gl_spool_new(run_bytes);
    r->in = calloc(GL_LINES_MAX, sizeof *r->in);
    r->let = calloc(GL_LINES_MAX, sizeof *r->let);
    r->let_date = calloc(GL_LINES_MAX, sizeof *r->let_date);
    int rc;
    if (!ctx->lines || !ctx->entries || !ctx->letters || !r->in || !r->let || !r->let_date) {
        fail_nomem(ctx, 0);
        rc = offer(ctx, FAULT_FATAL, 0);
    } else {
        rc = open_passes(r, f, enc);
    }
    /* the lines are all in entries now: their spool's memory and file go */
    gl_spool_free(ctx->lines);
    ctx->lines = NULL;
    if (rc != 0) {
        gl_fec_close(r);
        return -1;
    }
    *out = r;
    return 0;
}

size_t gl_fec_count(const gl_fec_reader *r) { return r->ctx.entry_count; }

const uint8_t *gl_fec_digest(const gl_fec_reader *r) { return r->ctx.digest; }

const gl_entry_set *gl_fec_accounts(const gl_fec_reader *r) { return &r->ctx.accounts; }

const gl_entry_set *gl_fec_auxes(const gl_fec_reader *r) { return &r->ctx.auxes; }

const char *gl_fec_aux_account(const gl_fec_reader *r, size_t i)
{
    return i < r->ctx.auxes.account_count ? r->ctx.aux_collective[i] : NULL;
}

size_t gl_fec_account_entry_line(const gl_fec_reader *r, size_t i)
{
    return i < r->ctx.accounts.account_count && r->ctx.account_entry_line[i] != SIZE_MAX
               ? r->ctx.account_entry_line[i]
               : 0;
}

uint32_t gl_fec_first_date(const gl_fec_reader *r) { return r->ctx.first_date; }

/* The lettered lines of the entry just read, into the letters spool. */
static int spool_letters(gl_fec_reader *r, const gl_fec_item *item)
{
    fec_ctx *ctx = &r->ctx;
    for (size_t i = 0; i < item->entry.line_count; i++) {
        if (!r->let[i][0])
            continue;
        const gl_line_in *l = &r->in[i];
        gl_buf *k = &ctx->kbuf, *v = &ctx->vbuf;
        gl_buf_reset(k);
        gl_buf_reset(v);
        put_cstr(k, l->account);
        put_cstr(k, l->aux);
        put_cstr(k, r->let[i]);
        gl_put_u64(k, r->index);
        gl_put_u16(k, (uint16_t)(i + 1));
        put_u32h(v, r->let_date[i]);
        gl_put_u8(v, l->side);
        put_i64h(v, l->amount_cents);
        put_u64h(v, item->source_line);
        if (!gl_buf_ok(k) || !gl_buf_ok(v)) {
            errno = ENOMEM;
            return -1;
        }
        if (gl_spool_add(ctx->letters, k->data, k->len, v->data, v->len) != 0)
            return -1;
    }
    return 0;
}

int gl_fec_next(gl_fec_reader *r, gl_fec_item *item)
{
    const uint8_t *k, *v;
    size_t kl, vl;
    int more = gl_spool_next(r->ctx.entries, &k, &kl, &v, &vl);
    if (more <= 0)
        return more;
    rd d = {v, v + vl, false};
    gl_entry_in *e = &item->entry;
    *e = (gl_entry_in){.tenant = r->ctx.tenant};
    e->date = rd_u32(&d);
    e->piece_date = rd_u32(&d);
    e->line_count = rd_u16(&d);
    size_t ext_len = rd_u16(&d);
    e->ext = (gl_ext_in){d.p, ext_len};
    if ((size_t)(d.end - d.p) < ext_len || e->line_count > GL_LINES_MAX || kl != 8) {
        errno = EIO; /* never spooled so */
        return -1;
    }
    d.p += ext_len;
    e->journal = rd_str(&d);
    e->piece_ref = rd_str(&d);
    e->label = rd_str(&d);
    for (size_t i = 0; i < e->line_count; i++) {
        gl_line_in *l = &r->in[i];
        l->side = rd_u8(&d);
        l->amount_cents = rd_i64(&d);
        r->let_date[i] = rd_u32(&d);
        l->account = rd_str(&d);
        l->aux = rd_str(&d);
        l->aux_label = rd_str(&d);
        l->label = rd_str(&d);
        r->let[i] = rd_str(&d);
    }
    if (d.bad) {
        errno = EIO;
        return -1;
    }
    e->lines = r->in;
    item->source_line = (size_t)be_of(k, 8);
    item->let = r->let;
    item->let_date = r->let_date;
    if (spool_letters(r, item) != 0)
        return -1;
    r->index++;
    return 1;
}

int gl_fec_next_letter(gl_fec_reader *r, gl_fec_let_line *out)
{
    const uint8_t *k, *v;
    size_t kl, vl;
    int more = gl_spool_next(r->ctx.letters, &k, &kl, &v, &vl);
    if (more <= 0)
        return more;
    rd kr = {k, k + kl, false}, d = {v, v + vl, false};
    out->account = rd_str(&kr);
    out->aux = rd_str(&kr);
    out->code = rd_str(&kr);
    if (kr.bad || (size_t)(kr.end - kr.p) != 10) {
        errno = EIO;
        return -1;
    }
    out->entry = (size_t)be_of(kr.p, 8);
    out->line = (uint16_t)be_of(kr.p + 8, 2);
    out->date = rd_u32(&d);
    out->side = rd_u8(&d);
    out->amount_cents = rd_i64(&d);
    out->source_line = (size_t)rd_u64(&d);
    if (d.bad) {
        errno = EIO;
        return -1;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Everything in memory (tests, the fuzzer, small files)                */
/* ------------------------------------------------------------------ */

static int read_into(const char *data, size_t len, const char *tenant, enum gl_fec_encoding enc,
                     gl_entry_set *out, char *err, size_t err_len)
{
    if (!tenant_valid(tenant)) {
        if (err && err_len)
            snprintf(err, err_len, "tenant must be 1-%d characters a-z 0-9 _ -", GL_TENANT_MAX);
        return -1;
    }
    if (!data && len) {
        if (err && err_len)
            snprintf(err, err_len, "no input");
        return -1;
    }
    /* fmemopen of nothing: glibc refuses a size of 0 before 2.22 */
    FILE *f = len ? fmemopen((void *)data, len, "rb") : fopen("/dev/null", "rb");
    if (!f) {
        if (err && err_len)
            snprintf(err, err_len, "out of memory");
        return -1;
    }
    gl_fec_reader *r;
    int rc = gl_fec_open(f, tenant, enc, &r, err, err_len);
    fclose(f);
    if (rc != 0)
        return -1;
    const gl_entry_set *acc = gl_fec_accounts(r);
    for (size_t i = 0; rc == 0 && i < acc->account_count; i++)
        if (gl_entry_set_note_account(out, acc->accounts[i].account, acc->accounts[i].label) != 0)
            rc = -1;
    gl_fec_item item;
    int more = 0;
    while (rc == 0 && (more = gl_fec_next(r, &item)) == 1) {
        if (gl_entry_set_add(out, &item.entry, item.source_line) != 0) {
            rc = -1;
            break;
        }
        for (size_t i = 0; rc == 0 && i < item.entry.line_count; i++)
            if (item.let[i][0] && gl_entry_set_note_letter(out, out->count - 1, (uint16_t)(i + 1),
                                                           item.let[i], item.let_date[i]) != 0)
                rc = -1;
    }
    if (rc != 0 || more < 0) {
        if (err && err_len)
            snprintf(err, err_len, "out of memory");
        rc = -1;
    }
    gl_fec_close(r);
    return rc;
}

int gl_fec_read(const char *data, size_t len, const char *tenant, enum gl_fec_encoding enc,
                gl_entry_set *out, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    int rc = read_into(data, len, tenant, enc, out, err, err_len);
    if (rc != 0)
        gl_entry_set_free(out); /* left empty on failure */
    return rc;
}
