/*
 * client/input/json_pos.h — where the entries and lines of an entries
 * document (entries_json.h) start in its text.  jansson keeps no positions,
 * and a treasurer looks for "line 212" in an editor, not for "entry 37": a
 * small scanner of our own reads them (issue 14: an error in an entries file
 * names the file's line).
 */
#ifndef GL_JSON_POS_H
#define GL_JSON_POS_H

#include <stdbool.h>
#include <stddef.h>

/* Called for every entry object (line 0) and every object of its "lines"
 * array (line 1, 2, ...), entry counted from 1, with the 1-based text line
 * of its '{'. */
typedef void (*json_pos_fn)(void *user, size_t entry, size_t line, size_t text_line);

/* Scan text, a document jansson accepted: an array of entries, an object
 * whose "entries" is that array, or (single) one entry object. */
void json_positions(const char *text, size_t len, bool single, json_pos_fn fn, void *user);

#endif
