/*
 * client/bank/persons_mask.c — a natural person's name and IBAN out of a
 * statement line, the person's `@CODE` in their place (persons_mask.h).
 */
#include "persons_mask.h"

#include "proto/textfold.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS_MAX 128 /* words of at least one byte and a separator in 255 */

/* A text cut into words: each word's bytes in the text, and folded. */
typedef struct words {
    char fold[GL_PERSON_NAME_MAX + 1];
    struct {
        size_t start, end;     /* in the text */
        size_t f_start, f_len; /* in fold */
        bool code;             /* written `@CODE`: never matched */
    } w[WORDS_MAX];
    size_t n;
} words;

/* A word byte: an ASCII letter or digit, or any byte of a non-ASCII
 * character (the accented letters). */
static bool word_byte(unsigned char ch) { return ch >= 0x80 || isalnum(ch); }

static void split(const char *s, size_t len, words *out)
{
    out->n = 0;
    size_t used = 0;
    bool code = false; /* after an '@', up to the next space */
    for (size_t i = 0; i < len && out->n < WORDS_MAX;) {
        if (!word_byte((unsigned char)s[i])) {
            code = s[i] == '@' || (code && s[i] != ' ');
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && word_byte((unsigned char)s[j]))
            j++;
        if (used + (j - i) > GL_PERSON_NAME_MAX)
            break;
        size_t f = gl_text_fold(s + i, j - i, out->fold + used);
        out->w[out->n].start = i;
        out->w[out->n].end = j;
        out->w[out->n].f_start = used;
        out->w[out->n].f_len = f;
        out->w[out->n].code = code;
        out->n++;
        used += f;
        i = j;
    }
}

static bool same_word(const words *hay, size_t i, const gl_person_mask *m, size_t j)
{
    return hay->w[i].f_len == m->word_len[j] &&
           !memcmp(hay->fold + hay->w[i].f_start, m->folded + m->word_at[j], m->word_len[j]);
}

/* Whether the name's words, rotated by k, are hay's words from i. */
static bool match_at(const words *hay, size_t i, const gl_person_mask *m, size_t k)
{
    if (i + m->n_words > hay->n)
        return false;
    for (size_t j = 0; j < m->n_words; j++)
        if (hay->w[i + j].code || !same_word(hay, i + j, m, (k + j) % m->n_words))
            return false;
    return true;
}

/* The first word of hay where the name (any rotation) begins, or SIZE_MAX. */
static size_t find_name(const words *hay, const gl_person_mask *m)
{
    if (m->n_words == 0)
        return SIZE_MAX;
    for (size_t i = 0; i < hay->n; i++)
        for (size_t k = 0; k < m->n_words; k++)
            if (match_at(hay, i, m, k))
                return i;
    return SIZE_MAX;
}

/* Cut s at cap bytes at most, at a character boundary. */
static void cut_utf8(char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n <= cap)
        return;
    while (cap > 0 && ((unsigned char)s[cap] & 0xC0) == 0x80)
        cap--;
    s[cap] = '\0';
}

/* Replace every occurrence of m's name in label (GL_BANK_LABEL_MAX) by
 * @code; hay is label's words, kept so. */
static bool mask_label(char *label, words *hay, const gl_person_mask *m)
{
    bool changed = false;
    for (size_t i; (i = find_name(hay, m)) != SIZE_MAX; changed = true) {
        size_t len = strlen(label), from = hay->w[i].start, to = hay->w[i + m->n_words - 1].end,
               clen = strlen(m->code);
        char out[GL_BANK_LABEL_MAX + GL_AUX_MAX + 2];
        memcpy(out, label, from);
        out[from] = '@';
        memcpy(out + from + 1, m->code, clen);
        memcpy(out + from + 1 + clen, label + to, len - to);
        out[from + 1 + clen + len - to] = '\0';
        cut_utf8(out, GL_BANK_LABEL_MAX);
        memcpy(label, out, strlen(out) + 1);
        split(label, strlen(label), hay);
    }
    return changed;
}

/* Upper case, spaces left out, at most cap - 1 bytes. */
static void compact_iban(const char *in, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        if (in[i] != ' ')
            out[n++] = (char)toupper((unsigned char)in[i]);
    out[n] = '\0';
}

bool gl_persons_mask_line(const gl_persons *p, gl_bank_line *l)
{
    bool changed = false;
    char iban[GL_BANK_ACCOUNT_ID_MAX + 1];
    compact_iban(l->counterparty_iban, strlen(l->counterparty_iban), iban, sizeof iban);
    words party_w, label_w, *party = &party_w, *label = &label_w;
    split(l->counterparty, strlen(l->counterparty), party);
    split(l->label, strlen(l->label), label);
    for (size_t i = 0; i < p->n; i++) {
        const gl_person_mask *m = &p->items[i];
        if ((m->iban[0] && !strcmp(iban, m->iban)) || find_name(party, m) != SIZE_MAX) {
            snprintf(l->counterparty, sizeof l->counterparty, "@%s", m->code);
            l->counterparty_iban[0] = iban[0] = '\0';
            split(l->counterparty, strlen(l->counterparty), party);
            changed = true;
        }
        changed |= mask_label(l->label, label, m);
    }
    return changed;
}

size_t gl_persons_mask_statement(const gl_persons *p, gl_bank_statement *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_lines; i++)
        n += gl_persons_mask_line(p, &s->lines[i]);
    return n;
}

/* m's name folded, its words' places; the words past GL_PERSON_WORDS_MAX
 * make the name unusable (n_words 0). */
static void fold_name(gl_person_mask *m, const char *name, size_t len)
{
    words w_, *w = &w_;
    m->n_words = 0;
    split(name, len, w);
    if (w->n <= GL_PERSON_WORDS_MAX) {
        memcpy(m->folded, w->fold, sizeof m->folded);
        for (size_t i = 0; i < w->n; i++) {
            m->word_at[i] = (uint8_t)w->w[i].f_start;
            m->word_len[i] = (uint8_t)w->w[i].f_len;
        }
        m->n_words = w->n;
    }
}

int gl_persons_add(gl_persons *p, const char *code, size_t code_len, const char *name,
                   size_t name_len, const char *iban, size_t iban_len)
{
    gl_person_mask m;
    memset(&m, 0, sizeof m);
    snprintf(m.code, sizeof m.code, "%.*s", (int)code_len, code);
    compact_iban(iban, iban_len, m.iban, sizeof m.iban);
    fold_name(&m, name, name_len < GL_PERSON_NAME_MAX ? name_len : GL_PERSON_NAME_MAX);
    if (!m.code[0] || (!m.n_words && !m.iban[0]))
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        gl_person_mask *items = realloc(p->items, cap * sizeof *items);
        if (!items)
            return -1;
        p->items = items;
        p->cap = cap;
    }
    size_t at = p->n; /* most words first, in the order added among equals */
    while (at > 0 && p->items[at - 1].n_words < m.n_words)
        at--;
    memmove(&p->items[at + 1], &p->items[at], (p->n - at) * sizeof m);
    p->items[at] = m;
    p->n++;
    return 0;
}

int gl_persons_add_record(gl_persons *p, const gl_third_party *r)
{
    if (!(r->flags & GL_TP_NATURAL_PERSON) || (r->flags & GL_TP_SEALED))
        return 0;
    return gl_persons_add(p, r->code.ptr, r->code.len, r->name.ptr, r->name.len, r->iban.ptr,
                          r->iban.len);
}

void gl_persons_free(gl_persons *p)
{
    free(p->items);
    memset(p, 0, sizeof *p);
}
