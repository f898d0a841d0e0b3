/*
 * proto/textfold.h — case- and accent-insensitive text search, for the
 * JOURNAL and LEDGER filters (§5.6.1): "Électricité" is found by
 * "electricite", "CŒUR" by "coeur".
 *
 * Folding maps ASCII letters to lower case and the Latin letters with
 * diacritics of U+00C0–U+017F (Latin-1 Supplement and Latin Extended-A:
 * every letter of French, and of the languages around it) to their ASCII
 * base in lower case; the ligatures to two letters (Æ ae, Œ oe, ß ss,
 * Ĳ ij, Þ th).  Every other byte is kept as it is.  A folded text is never
 * longer than its source (each folded character takes at most the bytes of
 * the one it replaces), so a buffer of the source's length suffices.
 * Pure: no allocation, no locale.
 */
#ifndef GL_TEXTFOLD_H
#define GL_TEXTFOLD_H

#include <stdbool.h>
#include <stddef.h>

/* Fold len bytes of s into out (room for len bytes); returns the folded
 * length (≤ len).  Bytes that are not a folded character (other UTF-8,
 * even malformed) are copied unchanged. */
size_t gl_text_fold(const char *s, size_t len, char *out);

/* Whether needle, folded, occurs in hay, folded.  An empty needle is found
 * everywhere.  Both are at most GL_TEXT_FOLD_MAX bytes; a longer hay is
 * searched in its first GL_TEXT_FOLD_MAX bytes, a longer needle is never
 * found. */
#define GL_TEXT_FOLD_MAX 1024
bool gl_text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len);

#endif
