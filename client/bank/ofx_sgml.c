/*
 * client/bank/ofx_sgml.c — the tokenizer of OFX 1.x bodies (SGML), of
 * our own rather than libofx (built on OpenSP, with a history of memory
 * flaws): tags are <NAME> and </NAME>; a tag followed by text is a leaf
 * (its end tag optional, and skipped when present); a tag followed by
 * another tag opens an aggregate.  Comments <!-- --> and declarations
 * <! > are skipped.  The five XML entities (&amp; &lt; &gt; &quot;
 * &apos;) and &nbsp; are decoded in values.  Feeds ofx_event
 * (parse_ofx.c), which 2.x files feed too.  Total: any bytes give events
 * or a located error.
 */
#include "bank_internal.h"

#include <string.h>

#define VALUE_MAX 1024

typedef struct {
    const char *s;
    size_t n, i;
    uint32_t line;
} cursor;

static void skip_space(cursor *c)
{
    while (c->i < c->n && (unsigned char)c->s[c->i] <= ' ') {
        c->line += c->s[c->i] == '\n';
        c->i++;
    }
}

/* Skip up to and past `end`; false if it never comes. */
static bool skip_past(cursor *c, const char *end)
{
    size_t k = strlen(end);
    for (; c->i + k <= c->n; c->i++) {
        if (!memcmp(c->s + c->i, end, k)) {
            c->i += k;
            return true;
        }
        c->line += c->s[c->i] == '\n';
    }
    c->i = c->n;
    return false;
}

static bool name_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-';
}

/* Decode the value s[0..n) (entities) into out (cut at VALUE_MAX). */
static size_t decode(const char *s, size_t n, char *out)
{
    static const struct {
        const char *ent;
        char ch;
    } ents[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
                {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", ' '}};
    size_t o = 0;
    for (size_t i = 0; i < n && o < VALUE_MAX; i++) {
        char ch = s[i];
        if (ch == '&')
            for (size_t e = 0; e < sizeof ents / sizeof ents[0]; e++) {
                size_t k = strlen(ents[e].ent);
                if (n - i >= k && !memcmp(s + i, ents[e].ent, k)) {
                    ch = ents[e].ch;
                    i += k - 1;
                    break;
                }
            }
        out[o++] = ch;
    }
    return o;
}

/* The tag at c (c->s[c->i] == '<'): its name, whether it closes. */
static int tag(ofx_walker *w, cursor *c, const char **name, size_t *len, bool *closing)
{
    size_t i = c->i + 1;
    *closing = i < c->n && c->s[i] == '/';
    i += *closing;
    size_t start = i;
    while (i < c->n && name_char(c->s[i]))
        i++;
    if (i == start || i >= c->n || c->s[i] != '>')
        return ofx_fail(w, c->line, N_("malformed OFX tag"));
    *name = c->s + start;
    *len = i - start;
    c->i = i + 1;
    return 0;
}

int ofx_sgml_walk(ofx_walker *w, const char *body, size_t n, uint32_t line_base)
{
    cursor c = {body, n, 0, line_base};
    char value[VALUE_MAX];
    for (;;) {
        skip_space(&c);
        if (c.i >= c.n)
            return 0;
        if (c.s[c.i] != '<')
            return ofx_fail(w, c.line, N_("text outside an OFX element"));
        if (c.n - c.i >= 4 && !memcmp(c.s + c.i, "<!--", 4)) {
            if (!skip_past(&c, "-->"))
                return ofx_fail(w, c.line, N_("the file ends inside an element (truncated?)"));
            continue;
        }
        if (c.n - c.i >= 2 && (c.s[c.i + 1] == '!' || c.s[c.i + 1] == '?')) {
            if (!skip_past(&c, ">"))
                return ofx_fail(w, c.line, N_("the file ends inside an element (truncated?)"));
            continue;
        }
        const char *name = NULL;
        size_t len = 0;
        bool closing = false;
        uint32_t line = c.line;
        if (tag(w, &c, &name, &len, &closing))
            return -1;
        if (closing) {
            if (ofx_event(w, OFX_CLOSE, name, len, NULL, 0, line))
                return -1;
            continue;
        }
        size_t v = c.i;
        while (c.i < c.n && c.s[c.i] != '<') {
            c.line += c.s[c.i] == '\n';
            c.i++;
        }
        size_t vend = c.i;
        while (v < vend && (unsigned char)c.s[v] <= ' ')
            v++;
        while (vend > v && (unsigned char)c.s[vend - 1] <= ' ')
            vend--;
        bool end_tag = c.n - c.i >= len + 3 && c.s[c.i + 1] == '/' &&
                       !memcmp(c.s + c.i + 2, name, len) && c.s[c.i + 2 + len] == '>';
        if (vend > v || end_tag) { /* a leaf, maybe with its optional end tag */
            size_t vn = decode(c.s + v, vend - v, value);
            if (ofx_event(w, OFX_LEAF, name, len, value, vn, line))
                return -1;
            if (end_tag)
                c.i += len + 3;
        } else if (ofx_event(w, OFX_OPEN, name, len, NULL, 0, line)) {
            return -1;
        }
    }
}
