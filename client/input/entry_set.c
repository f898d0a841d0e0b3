/*
 * client/input/entry_set.c — owned entry lists; see entry_set.h.
 */
#include "entry_set.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void gl_entry_set_init(gl_entry_set *s) { memset(s, 0, sizeof *s); }

static void line_free(gl_line_in *l)
{
    free((char *)l->account);
    free((char *)l->aux);
    free((char *)l->aux_label);
    free((char *)l->label);
}

static void entry_free(gl_entry_in *e)
{
    free((char *)e->tenant);
    free((char *)e->journal);
    free((char *)e->piece_ref);
    free((char *)e->label);
    gl_line_in *lines = (gl_line_in *)e->lines;
    for (size_t i = 0; lines && i < e->line_count; i++)
        line_free(&lines[i]);
    free(lines);
    free((uint8_t *)e->ext.items);
    for (size_t i = 0; e->line_ext && i < e->line_count; i++)
        free((uint8_t *)e->line_ext[i].items);
    free((gl_ext_in *)e->line_ext);
}

/* A copy of the n areas of ext (NULL: none); false when out of memory. */
static bool areas_copy(const gl_ext_in *ext, size_t n, const gl_ext_in **out)
{
    *out = NULL;
    if (!ext)
        return true;
    gl_ext_in *c = calloc(n ? n : 1, sizeof *c);
    if (!c)
        return false;
    *out = c;
    for (size_t i = 0; i < n; i++) {
        if (!ext[i].len)
            continue;
        uint8_t *b = malloc(ext[i].len);
        if (!b)
            return false;
        memcpy(b, ext[i].items, ext[i].len);
        c[i] = (gl_ext_in){b, ext[i].len};
    }
    return true;
}

void gl_entry_set_free(gl_entry_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        entry_free(&s->entries[i]);
    free(s->entries);
    free(s->source_line);
    for (size_t i = 0; i < s->account_count; i++) {
        free(s->accounts[i].account);
        free(s->accounts[i].label);
    }
    free(s->accounts);
    for (size_t i = 0; i < s->letter_count; i++)
        free(s->letters[i].code);
    free(s->letters);
    gl_entry_set_init(s);
}

static char *dup0(const char *p) { return strdup(p ? p : ""); }

int gl_entry_set_add(gl_entry_set *s, const gl_entry_in *e, size_t source_line)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        gl_entry_in *ne = realloc(s->entries, cap * sizeof *ne);
        if (!ne)
            return -1;
        s->entries = ne;
        size_t *nl = realloc(s->source_line, cap * sizeof *nl);
        if (!nl)
            return -1;
        s->source_line = nl;
        s->cap = cap;
    }
    gl_entry_in c = *e;
    gl_line_in *lines = calloc(e->line_count ? e->line_count : 1, sizeof *lines);
    c.tenant = dup0(e->tenant);
    c.journal = dup0(e->journal);
    c.piece_ref = dup0(e->piece_ref);
    c.label = dup0(e->label);
    c.lines = lines;
    c.line_ext = NULL;
    c.ext = (gl_ext_in){NULL, 0};
    uint8_t *ext = e->ext.len ? malloc(e->ext.len) : NULL;
    if (ext) {
        memcpy(ext, e->ext.items, e->ext.len);
        c.ext = (gl_ext_in){ext, e->ext.len};
    }
    bool ok = lines && c.tenant && c.journal && c.piece_ref && c.label && (ext || !e->ext.len) &&
              areas_copy(e->line_ext, e->line_count, &c.line_ext);
    for (size_t i = 0; ok && i < e->line_count; i++) {
        lines[i] = e->lines[i];
        lines[i].account = dup0(e->lines[i].account);
        lines[i].aux = dup0(e->lines[i].aux);
        lines[i].aux_label = dup0(e->lines[i].aux_label);
        lines[i].label = dup0(e->lines[i].label);
        ok = lines[i].account && lines[i].aux && lines[i].aux_label && lines[i].label;
    }
    if (!ok) {
        entry_free(&c);
        return -1;
    }
    s->entries[s->count] = c;
    s->source_line[s->count] = source_line;
    s->count++;
    return 0;
}

const char *gl_entry_set_account_label(const gl_entry_set *s, const char *account)
{
    for (size_t i = 0; i < s->account_count; i++)
        if (strcmp(s->accounts[i].account, account) == 0)
            return s->accounts[i].label;
    return NULL;
}

int gl_entry_set_note_account(gl_entry_set *s, const char *account, const char *label)
{
    if (gl_entry_set_account_label(s, account))
        return 0;
    if (s->account_count == s->account_cap) {
        size_t cap = s->account_cap ? s->account_cap * 2 : 64;
        gl_account_label *na = realloc(s->accounts, cap * sizeof *na);
        if (!na)
            return -1;
        s->accounts = na;
        s->account_cap = cap;
    }
    char *a = dup0(account), *l = dup0(label);
    if (!a || !l) {
        free(a);
        free(l);
        return -1;
    }
    s->accounts[s->account_count++] = (gl_account_label){a, l};
    return 0;
}

int gl_entry_set_note_letter(gl_entry_set *s, size_t entry, uint16_t line, const char *code,
                             uint32_t date)
{
    if (s->letter_count == s->letter_cap) {
        size_t cap = s->letter_cap ? s->letter_cap * 2 : 64;
        gl_entry_letter *nl = realloc(s->letters, cap * sizeof *nl);
        if (!nl)
            return -1;
        s->letters = nl;
        s->letter_cap = cap;
    }
    char *c = dup0(code);
    if (!c)
        return -1;
    s->letters[s->letter_count++] = (gl_entry_letter){entry, line, c, date};
    return 0;
}

void gl_entry_set_source(gl_entry_set *s, const void *data, size_t len)
{
    crypto_generichash(s->source_digest, sizeof s->source_digest, data, len, NULL, 0);
    s->has_source_digest = true;
}
