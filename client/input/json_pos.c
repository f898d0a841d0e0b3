/*
 * client/input/json_pos.c — see json_pos.h.  The document is valid JSON
 * (jansson read it first), so the scanner only tracks strings (with their
 * escapes), the nesting of containers and the key that introduced each one.
 */
#include "json_pos.h"

#include <string.h>

#define DEPTH_MAX 16 /* entries sit at depth 1 or 2, their lines 2 deeper */

typedef struct frame {
    char type;          /* '{' or '[' */
    bool entries;       /* the array of entries */
    bool entry;         /* an entry object */
    bool lines;         /* an entry's "lines" array */
    size_t objects;     /* objects seen in this array so far */
    size_t entry_index; /* entry: its number; lines: its entry's */
} frame;

typedef struct scan {
    frame st[DEPTH_MAX];
    int depth; /* frames open; beyond DEPTH_MAX only counted */
    const char *key;
    size_t key_len;
} scan;

static bool key_is(const scan *s, const char *name)
{
    return s->key && s->key_len == strlen(name) && !memcmp(s->key, name, s->key_len);
}

/* A container opens at text line ln. */
static void open_container(scan *s, char type, bool single, size_t ln, json_pos_fn fn, void *user)
{
    frame f = {.type = type};
    frame *parent = s->depth > 0 && s->depth <= DEPTH_MAX ? &s->st[s->depth - 1] : NULL;
    if (parent && parent->type == '[' && type == '{')
        parent->objects++;
    if (s->depth == 0)
        f.entries = type == '[';
    else if (s->depth == 1 && parent && parent->type == '{' && !single)
        f.entries = type == '[' && key_is(s, "entries");
    if (type == '{' && ((s->depth == 0 && single) || (parent && parent->entries))) {
        f.entry = true;
        f.entry_index = parent ? parent->objects : 1;
        fn(user, f.entry_index, 0, ln);
    }
    if (type == '[' && parent && parent->entry && key_is(s, "lines")) {
        f.lines = true;
        f.entry_index = parent->entry_index;
    }
    if (type == '{' && parent && parent->lines)
        fn(user, parent->entry_index, parent->objects, ln);
    if (s->depth < DEPTH_MAX)
        s->st[s->depth] = f;
    s->depth++;
    s->key = NULL;
}

void json_positions(const char *text, size_t len, bool single, json_pos_fn fn, void *user)
{
    scan s = {.depth = 0};
    size_t ln = 1;
    const char *str = NULL; /* the last string read, a key if ':' follows */
    size_t str_len = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '\n')
            ln++;
        else if (ch == '"') {
            size_t start = ++i;
            while (i < len && text[i] != '"')
                i += text[i] == '\\' ? 2 : 1;
            str = text + start;
            str_len = (i < len ? i : len) - start;
        } else if (ch == ':') {
            s.key = str;
            s.key_len = str_len;
        } else if (ch == '{' || ch == '[') {
            open_container(&s, ch, single, ln, fn, user);
        } else if ((ch == '}' || ch == ']') && s.depth > 0) {
            s.depth--;
            s.key = NULL;
        } else if (ch == ',') {
            s.key = NULL;
        }
    }
}
