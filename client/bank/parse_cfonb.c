/*
 * client/bank/parse_cfonb.c — CFONB 120, the French banks' statement of
 * 120-character records: 01 old balance, 04 movement, 05 its complements,
 * 07 new balance; one gl_bank_statement per 01…07 block (banks write one
 * block per account and per day, several accounts in one file).
 *
 * Records are cut at LF or CRLF; a file without any line break is cut
 * every 120 bytes (its length must then be a multiple of 120); blank
 * lines are skipped.  A record of any other length (119: trailing spaces
 * lost to a mail client; 121) is refused: its fields can no longer be
 * trusted.  Text is Latin-1 (converted to UTF-8).  Dates JJMMAA: years
 * 00-79 are 2000-2079, 80-99 are 1980-1999.  The account is the RIB,
 * "RIB:" + bank + branch + account + the RIB key computed from them
 * (the 01/07 records carry no key and no 05 qualifier carries the
 * holder's own IBAN: a French IBAN is "FRkk" + these same 23
 * characters).  Decimals (position 20) and currency blank, as LCL sends
 * them, mean 2 and EUR.
 *
 * A line: booking date (35-40), value date (43-48), label 49-79 plus the
 * 05 LIB/LCC/LC2 texts, amount 91-104, numéro d'écriture 82-88 (a cheque
 * number: end_to_end_id, unless zeros) or the 05 RCN end-to-end
 * reference, bank_ref the reference zone 105-120, counterparty the 05
 * NPY (payer, on a credit) or NBE (beneficiary, on a debit), its account
 * the 05 CPY / CBE.  A movement of 0.00 is left out (notes->zero_lines).
 */
#include "bank_internal.h"

#include <stdlib.h>
#include <string.h>

#define REC 120

typedef struct {
    gl_bank_statements *out;
    gl_bank_error *err;
    gl_bank_notes *notes;
    gl_bank_statement *st; /* the open block, NULL between 07 and 01 */
    char account[11 + 1];  /* the block's account number (22-32) */
    unsigned decimals;
    int64_t sum;        /* old balance + the movements so far */
    gl_bank_line *last; /* the last 04, for its 05s; NULL if none */
    bool last_zero;     /* the last 04 was 0.00 (left out, its 05s too) */
} cfonb;

static int fail(cfonb *c, uint32_t line, const char *reason)
{
    return bank_fail(c->err, GL_BANK_FORMAT_CFONB120, line, reason);
}

/* All blanks (or zeros when zeros_too). */
static bool blank(const char *s, size_t n, bool zeros_too)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && !(zeros_too && s[i] == '0'))
            return false;
    return true;
}

/* JJMMAA at s; 0 if malformed. */
static uint32_t date6(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    uint32_t d = (uint32_t)((s[0] - '0') * 10 + s[1] - '0');
    uint32_t m = (uint32_t)((s[2] - '0') * 10 + s[3] - '0');
    uint32_t y = (uint32_t)((s[4] - '0') * 10 + s[5] - '0');
    uint32_t ymd = (y < 80 ? 2000 + y : 1900 + y) * 10000 + m * 100 + d;
    return bank_valid_date(ymd) ? ymd : 0;
}

/* Latin-1 field r[pos-1 .. pos-1+len) (1-based positions) into dst. */
static void field_text(char *dst, size_t cap, const char *r, int pos, int len, bool append)
{
    size_t n;
    char *u = bank_to_utf8((const uint8_t *)r + pos - 1, (size_t)len, false, &n);
    if (!u)
        return; /* out of memory: the text stays empty (cut, never refused) */
    if (append)
        bank_text_append(dst, cap, u, n);
    else
        bank_text(dst, cap, u, n);
    free(u);
}

/* The balance of a 01 or 07 record, with the block's decimals. */
static int balance(cfonb *c, const char *r, uint32_t line, int64_t *cents)
{
    const char *reason;
    if (bank_amount_cfonb(r + 90, c->decimals, cents, &reason))
        return fail(c, line, reason);
    return 0;
}

static int decimals_of(cfonb *c, const char *r, uint32_t line, unsigned *dec)
{
    if (r[19] == ' ')
        *dec = 2;
    else if (r[19] >= '0' && r[19] <= '9')
        *dec = (unsigned)(r[19] - '0');
    else
        return fail(c, line, N_("malformed number of decimals (position 20)"));
    return 0;
}

static int rec_01(cfonb *c, const char *r, uint32_t line)
{
    if (c->st)
        return fail(c, line,
                    N_("a 01 record before the 07 record that closes the previous account"));
    unsigned dec = 2;
    if (decimals_of(c, r, line, &dec))
        return -1;
    gl_bank_statement *st = bank_new_statement(c->out);
    if (!st)
        return fail(c, line, N_("out of memory"));
    c->st = st;
    c->decimals = dec;
    c->last = NULL;
    c->last_zero = false;
    memcpy(c->account, r + 21, 11);
    c->account[11] = '\0';
    if (bank_rib_id(st->account_id, r + 2, r + 11, r + 21))
        return fail(c, line, N_("malformed bank, branch or account number in the CFONB record"));
    if (blank(r + 16, 3, false))
        memcpy(st->currency, "EUR", 4);
    else {
        for (int i = 16; i < 19; i++)
            if (r[i] < 'A' || r[i] > 'Z')
                return fail(c, line, N_("malformed currency code"));
        memcpy(st->currency, r + 16, 3);
    }
    if (!date6(r + 34))
        return fail(c, line, N_("malformed date (JJMMAA expected)"));
    st->has_opening = 1;
    if (balance(c, r, line, &st->opening_cents))
        return -1;
    c->sum = st->opening_cents;
    return 0;
}

/* The record belongs to the open block's account. */
static int same_account(cfonb *c, const char *r, uint32_t line)
{
    if (!c->st)
        return fail(c, line, N_("a CFONB record outside a 01…07 block"));
    if (memcmp(r + 21, c->account, 11))
        return fail(c, line, N_("a record of another account inside the account's 01…07 block"));
    return 0;
}

static int rec_04(cfonb *c, const char *r, uint32_t line)
{
    if (same_account(c, r, line))
        return -1;
    const char *reason;
    int64_t cents;
    unsigned dec = 2;
    if (decimals_of(c, r, line, &dec))
        return -1;
    if (bank_amount_cfonb(r + 90, dec, &cents, &reason))
        return fail(c, line, reason);
    uint32_t booked = date6(r + 34);
    if (!booked)
        return fail(c, line, N_("malformed date (JJMMAA expected)"));
    uint32_t value = blank(r + 42, 6, true) ? 0 : date6(r + 42);
    if (!blank(r + 42, 6, true) && !value)
        return fail(c, line, N_("malformed value date (JJMMAA expected)"));
    if (bank_add_cents(&c->sum, cents))
        return fail(c, line, N_("the statement's total is too large"));
    c->last = NULL;
    c->last_zero = cents == 0;
    if (cents == 0) {
        c->notes->zero_lines++;
        return 0;
    }
    gl_bank_line *l = bank_new_line(c->st);
    if (!l)
        return fail(c, line, N_("out of memory"));
    l->booking_date = booked;
    l->value_date = value;
    l->amount_cents = cents;
    l->source_line = line;
    field_text(l->label, GL_BANK_LABEL_MAX, r, 49, 31, false);
    if (!blank(r + 81, 7, true))
        field_text(l->end_to_end_id, GL_BANK_REF_MAX, r, 82, 7, false);
    field_text(l->bank_ref, GL_BANK_REF_MAX, r, 105, 16, false);
    if (!c->st->from_date || booked < c->st->from_date)
        c->st->from_date = booked;
    c->last = l;
    return 0;
}

static int rec_05(cfonb *c, const char *r, uint32_t line)
{
    if (same_account(c, r, line))
        return -1;
    if (c->last_zero)
        return 0;
    gl_bank_line *l = c->last;
    if (!l)
        return fail(c, line, N_("a 05 record without the 04 record it completes"));
    const char *q = r + 45;
    bool credit = l->amount_cents > 0;
    if (!memcmp(q, "LIB", 3) || !memcmp(q, "LCC", 3) || !memcmp(q, "LC2", 3))
        field_text(l->label, GL_BANK_LABEL_MAX, r, 49, 70, true);
    else if ((!memcmp(q, "NPY", 3) && (credit || !l->counterparty[0])) ||
             (!memcmp(q, "NBE", 3) && (!credit || !l->counterparty[0])))
        field_text(l->counterparty, GL_BANK_PARTY_MAX, r, 49, 70, false);
    else if ((!memcmp(q, "CPY", 3) && credit) || (!memcmp(q, "CBE", 3) && !credit))
        field_text(l->counterparty_iban, GL_BANK_ACCOUNT_ID_MAX, r, 49, 35, false);
    else if (!memcmp(q, "RCN", 3) && memcmp(r + 48, "NOTPROVIDED", 11))
        field_text(l->end_to_end_id, GL_BANK_REF_MAX, r, 49, 35, false);
    /* other qualifiers (IPY, REF, MMO, RUM ...) are information only */
    return 0;
}

static int rec_07(cfonb *c, const char *r, uint32_t line)
{
    if (same_account(c, r, line))
        return -1;
    gl_bank_statement *st = c->st;
    uint32_t date = date6(r + 34);
    if (!date)
        return fail(c, line, N_("malformed date (JJMMAA expected)"));
    st->has_closing = 1;
    if (balance(c, r, line, &st->closing_cents))
        return -1;
    if (c->sum != st->closing_cents)
        return fail(c, line,
                    N_("the opening balance plus the lines does not equal the closing balance"));
    st->to_date = date;
    if (!st->from_date || st->from_date > date)
        st->from_date = date;
    c->st = NULL;
    c->last = NULL;
    return 0;
}

static int record(cfonb *c, const char *r, size_t len, uint32_t line)
{
    if (len != REC)
        return fail(c, line, N_("a CFONB record must be 120 characters long"));
    if (!memcmp(r, "01", 2))
        return rec_01(c, r, line);
    if (!memcmp(r, "04", 2))
        return rec_04(c, r, line);
    if (!memcmp(r, "05", 2))
        return rec_05(c, r, line);
    if (!memcmp(r, "07", 2))
        return rec_07(c, r, line);
    return fail(c, line, N_("unknown CFONB record code (01, 04, 05 or 07 expected)"));
}

int bank_parse_cfonb(const uint8_t *b, size_t n, gl_bank_statements *out, gl_bank_error *err,
                     gl_bank_notes *notes)
{
    cfonb c = {.out = out, .err = err, .notes = notes};
    const char *s = (const char *)b;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3, n -= 3;
    bool breaks = memchr(s, '\n', n) || memchr(s, '\r', n);
    if (!breaks && n % REC)
        return fail(&c, (uint32_t)(n / REC + 1), N_("a CFONB record must be 120 characters long"));
    uint32_t line = 0;
    for (size_t i = 0; i < n;) {
        size_t len;
        line++;
        if (!breaks) {
            len = REC;
        } else {
            const char *nl = memchr(s + i, '\n', n - i);
            len = nl ? (size_t)(nl - (s + i)) : n - i;
        }
        size_t next = i + len + (breaks && i + len < n);
        if (breaks && len && s[i + len - 1] == '\r')
            len--;
        if (!blank(s + i, len, false) && record(&c, s + i, len, line))
            return -1;
        i = next;
    }
    if (c.st)
        return fail(&c, line, N_("the file ends without the 07 record that closes the account"));
    return 0;
}
