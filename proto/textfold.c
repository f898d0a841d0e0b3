/*
 * proto/textfold.c — case and accent folding (see textfold.h).  The table
 * covers U+00C0–U+017F, the two-byte UTF-8 sequences C3 80 – C5 BF: one
 * entry per code point, one or two ASCII letters, "" for those kept as they
 * are (× and ÷).
 */
#include "textfold.h"

#include <string.h>

/* U+00C0 … U+00FF */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

/* U+0100 … U+017F: the base letter of each (upper and lower case alike);
 * '1' stands for the ligature Ĳ/ĳ (ij), '2' for Œ/œ (oe). */
static const char latin_ext_a[129] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii11jjkkk"
    "llllllllllnnnnnnnnnoooooo22rrrrrrssssssssttttttuuuuuuuuuuuu"
    "wwyyyzzzzzzs";

_Static_assert(sizeof latin_ext_a == 129, "one letter per code point of U+0100-U+017F");

/* The folding of the two-byte sequence at s (lead byte C3, C4 or C5), or
 * NULL if it is not one of the table's. */
static const char *fold_pair(unsigned char lead, unsigned char next, char buf[3])
{
    if ((next & 0xC0) != 0x80)
        return NULL;
    unsigned cp = ((unsigned)(lead & 0x1F) << 6) | (next & 0x3F);
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0][0] ? latin1[cp - 0xC0] : NULL;
    if (cp < 0x100 || cp > 0x17F)
        return NULL;
    char c = latin_ext_a[cp - 0x100];
    buf[0] = c == '1' ? 'i' : c == '2' ? 'o' : c;
    buf[1] = c == '1' ? 'j' : c == '2' ? 'e' : '\0';
    buf[2] = '\0';
    return buf;
}

size_t gl_text_fold(const char *s, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        char buf[3];
        const char *f = NULL;
        if (b >= 0xC3 && b <= 0xC5 && len - i >= 2)
            f = fold_pair(b, (unsigned char)s[i + 1], buf);
        if (f) {
            size_t fl = strlen(f);
            memcpy(out + n, f, fl); /* fl ≤ 2: never longer than the pair */
            n += fl;
            i++;
            continue;
        }
        out[n++] = (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
    }
    return n;
}

bool gl_text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
    if (needle_len == 0)
        return true;
    if (needle_len > GL_TEXT_FOLD_MAX)
        return false;
    if (hay_len > GL_TEXT_FOLD_MAX)
        hay_len = GL_TEXT_FOLD_MAX;
    char h[GL_TEXT_FOLD_MAX], nd[GL_TEXT_FOLD_MAX];
    size_t hl = gl_text_fold(hay, hay_len, h);
    size_t nl = gl_text_fold(needle, needle_len, nd);
    if (nl == 0 || nl > hl)
        return nl == 0;
    for (size_t i = 0; i + nl <= hl; i++)
        if (memcmp(h + i, nd, nl) == 0)
            return true;
    return false;
}
