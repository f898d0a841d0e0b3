/*
 * client/analytic/an_spec.h — the codes a person types for one analytic
 * axis of a line (issue 19, the "codes spec"), read into a gl_an_split
 * (proto/analytic.h) for that line's amount, and written back:
 *
 *   FSE-2026                         one code, the whole line
 *   FSE-2026:60%,VILLE:40%           percentages: up to 4 decimals after a
 *                                    '.', summing to exactly 100 %
 *   FSE-2026:1200.00,VILLE:300.00    amounts: at most 2 decimals after a
 *                                    '.', summing to exactly the line's
 *   -                                (GL_AN_SPEC_REMOVE only: ANALYTIC_ALLOC)
 *                                    the allocation of that axis removed
 *
 * ',' separates the codes (so no decimal comma), spaces around each part
 * are ignored, a code is the protocol's (gl_an_code_valid: capitals,
 * digits, '_', '.', '-').  A spec gives all its codes percentages or all
 * amounts (or, a single code, neither); a code twice, more than
 * GL_AN_SPLIT_MAX codes, a share of 0 or less are refused.  Percentages
 * become cents with gl_an_split_weights (the recharge's exact rule) over
 * the codes in byte order, so that the same distribution written in
 * another order gives the same cents.  The split's codes come out in byte
 * order (as the protocol wants them).
 *
 * A line's whole analytic text, axis=spec;axis=spec (the CSV post input's
 * "analytic" column), is read into a gl_analytic, its axes sorted.
 *
 * The gl_str of the results are views into the text given (and the axis
 * name given): keep it until the split is encoded.  Refusals say what is
 * wrong in an English msgid (reason: the CLI translates it with _()) and
 * the text at fault (detail); gl_an_spec_error_text joins them.  Pure: no
 * I/O, no allocation.  Depends on proto/ only.
 */
#ifndef GL_AN_SPEC_H
#define GL_AN_SPEC_H

#include "proto/analytic.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_AN_SPEC_DETAIL_MAX 80
/* Longest text gl_an_split_format writes: GL_AN_SPLIT_MAX codes with
 * their amounts and separators, NUL. */
#define GL_AN_SPLIT_TEXT_MAX (GL_AN_SPLIT_MAX * (GL_AN_CODE_MAX + 1 + 24 + 1) + 1)
#define GL_AN_TEXT_MAX (GL_AN_LINE_AXES_MAX * (GL_AN_AXIS_MAX + 1 + GL_AN_SPLIT_TEXT_MAX))

/* flags of gl_an_spec_parse */
#define GL_AN_SPEC_REMOVE 1u /* "-" accepted: the split of count 0 */

typedef struct gl_an_spec_error {
    const char *reason;                     /* English msgid, never NULL after a refusal */
    char detail[GL_AN_SPEC_DETAIL_MAX + 1]; /* the text at fault, or the sums ("" if none) */
} gl_an_spec_error;

/* Read spec (len bytes) for a line of amount_cents (> 0) into *out
 * (out->axis = axis, which must be a valid axis name).  GL_OK, or
 * GL_ERR_INPUT with *err filled (*out then undefined). */
int gl_an_spec_parse(gl_str axis, const char *spec, size_t len, int64_t amount_cents,
                     unsigned flags, gl_an_split *out, gl_an_spec_error *err);

/* Add to *a (naxes so far) the split of axis read from spec: as
 * gl_an_spec_parse, also refusing a (GL_AN_LINE_AXES_MAX + 1)-th axis.
 * The axes are not sorted: call gl_an_line_finish when every axis is in. */
int gl_an_line_add(gl_analytic *a, gl_str axis, const char *spec, size_t len, int64_t amount_cents,
                   unsigned flags, gl_an_spec_error *err);
/* Sort a's axes (gl_analytic_sort) and check the item fits a line's area:
 * GL_OK, or GL_ERR_INPUT with *err (an axis twice; too long). */
int gl_an_line_finish(gl_analytic *a, gl_an_spec_error *err);

/* Read "axis=spec;axis=spec" (len bytes; empty or blank: no axis, naxes
 * 0) into *out, sorted.  GL_OK or GL_ERR_INPUT with *err (the reason;
 * the detail names the axis part at fault). */
int gl_an_text_parse(const char *text, size_t len, int64_t amount_cents, unsigned flags,
                     gl_analytic *out, gl_an_spec_error *err);

/* The split as a person reads it and gl_an_spec_parse reads it back: its
 * code alone for one share ("FSE-2026"), codes and amounts otherwise
 * ("FSE-2026:60.00,VILLE:40.00"), "-" for none.  Returns out (at least
 * GL_AN_SPLIT_TEXT_MAX bytes). */
char *gl_an_split_format(const gl_an_split *s, char *out);
/* Every axis: "action=FSE-2026;financeur=A:60.00,B:40.00" ("" for none).
 * Returns out (at least GL_AN_TEXT_MAX bytes). */
char *gl_an_text_format(const gl_analytic *a, char *out);

/* "reason: detail" (or the reason alone) into out (n bytes), reason
 * being e->reason as the caller wants it printed (translated or not).
 * Returns out. */
char *gl_an_spec_error_text(const gl_an_spec_error *e, const char *reason, char *out, size_t n);

#endif
