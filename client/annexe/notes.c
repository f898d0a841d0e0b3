/*
 * client/annexe/notes.c — the accountant's notes file: the narrative
 * sections of the annexe (annexe.h, docs/annexe-notes-template.md).
 *
 * A line whose first character is '#' is a heading (the '#' characters and
 * the spaces after them are not part of it); the lines up to the next
 * heading are its body, kept as written (blank lines at its ends dropped).
 * Lines before the first heading are the template's instructions and are
 * ignored.  The four known sections are recognised by a word of their
 * heading, with or without accents, in any ASCII case.
 */
#include "annexe.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const titles[AX_SECTIONS] = {
    [AX_RULES] = "Règles et méthodes comptables",
    [AX_EVENTS] = "Faits caractéristiques de l'exercice",
    [AX_COMMIT] = "Engagements hors bilan",
    [AX_AFTER] = "Événements postérieurs à la clôture",
};

/* Words that name a known section: lower-case ASCII, matched in the
 * heading lowered the same way (the accented letters stay as they are). */
static const char *const words[AX_SECTIONS][2] = {
    [AX_RULES] = {"gles et m", "methodes"},
    [AX_EVENTS] = {"faits caract", "faits marquants"},
    [AX_COMMIT] = {"engagements", "hors bilan"},
    [AX_AFTER] = {"post\xC3\xA9rieur", "posterieur"},
};

const char *ax_section_title(enum ax_section s) { return s < AX_SECTIONS ? titles[s] : ""; }

void ax_notes_free(ax_notes *n)
{
    for (size_t s = 0; s < AX_SECTIONS; s++)
        free(n->body[s]);
    for (size_t i = 0; i < n->extra; i++) {
        free(n->extra_title[i]);
        free(n->extra_body[i]);
    }
    memset(n, 0, sizeof *n);
}

static int known(const char *heading, size_t len)
{
    char low[256];
    size_t n = len < sizeof low - 1 ? len : sizeof low - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)heading[i]);
    low[n] = '\0';
    for (int s = 0; s < AX_SECTIONS; s++)
        for (int w = 0; w < 2; w++)
            if (strstr(low, words[s][w]))
                return s;
    return -1;
}

static char *copy(const char *p, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, p, len);
        s[len] = '\0';
    }
    return s;
}

/* The body from b to e without the blank lines at either end. */
static char *body_of(const char *b, const char *e)
{
    while (b < e && (*b == '\n' || *b == '\r' || *b == ' ' || *b == '\t'))
        b++;
    while (e > b && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        e--;
    return copy(b, (size_t)(e - b));
}

int ax_notes_parse(const char *text, size_t len, ax_notes *n, char *why, size_t why_len)
{
    memset(n, 0, sizeof *n);
    if (memchr(text, '\0', len)) {
        snprintf(why, why_len, "the notes file holds a NUL byte (not a text file?)");
        return -1;
    }
    const char *end = text + len, *p = text;
    const char *head = NULL, *body = NULL; /* the section being read */
    size_t head_len = 0;
    for (;;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        bool heading = p < end && *p == '#';
        if ((heading || p >= end) && head) {
            const char *stop = p < end ? p : end;
            int s = known(head, head_len);
            char *b = body_of(body, stop);
            if (!b) {
                snprintf(why, why_len, "out of memory");
                goto fail;
            }
            if (s >= 0 && n->body[s]) {
                free(b);
                snprintf(why, why_len, "the notes file has the section \"%s\" twice", titles[s]);
                goto fail;
            }
            if (s >= 0) {
                n->body[s] = b;
            } else if (n->extra == AX_EXTRA_MAX) {
                free(b);
                snprintf(why, why_len, "the notes file has more than %d other sections",
                         AX_EXTRA_MAX);
                goto fail;
            } else {
                n->extra_body[n->extra] = b;
                n->extra_title[n->extra] = body_of(head, head + head_len);
                if (!n->extra_title[n->extra++]) {
                    snprintf(why, why_len, "out of memory");
                    goto fail;
                }
            }
            head = NULL;
        }
        if (p >= end)
            break;
        if (heading) {
            head = p;
            while (head < next && *head == '#')
                head++;
            head_len = (size_t)((eol ? eol : end) - head);
            body = next;
        }
        p = next;
    }
    return 0;
fail:
    ax_notes_free(n);
    return -1;
}
