/*
 * client/cli/an_postings.h — the postings of one analysed line in a journal
 * that knows no distribution (`grandlivre export hledger`): a line may
 * carry, on several axes, several codes each (60 % FSE-2026, 40 % VILLE on
 * action; all FSE on financeur), and hledger gives each posting one value
 * per tag.  The line is cut into segments, the common refinement of its
 * axes' distributions: lay each axis's shares end to end over the line's
 * amount (codes in their byte order), cut wherever any axis passes from a
 * code to the next.  Each segment has one code per axis, the segments sum
 * to the line, and for every axis the segments of each code sum exactly to
 * that code's share: `hledger bal tag:action=X` is X's analytic figure, on
 * any axis.  At most 1 + the sum over the axes of (codes - 1) segments.
 * Pure: no I/O, no allocation.
 */
#ifndef GL_AN_POSTINGS_H
#define GL_AN_POSTINGS_H

#include "proto/analytic.h"

#include <stddef.h>
#include <stdint.h>

#define AN_POSTING_AXES_MAX GL_AN_AXES_MAX
#define AN_SEGMENTS_MAX (1 + AN_POSTING_AXES_MAX * (GL_AN_SPLIT_MAX - 1))

typedef struct an_segment {
    int64_t cents;                     /* > 0 */
    uint8_t code[AN_POSTING_AXES_MAX]; /* per axis, the index of its share */
} an_segment;

/* The segments of a line of amount_cents (> 0) analysed on axes[0..n)
 * (n <= AN_POSTING_AXES_MAX, each with 1..GL_AN_SPLIT_MAX shares > 0) into
 * out: their number, or 0 when an axis's shares do not sum to the line
 * (nothing to cut) or n is 0 or too large. */
size_t an_segments(const gl_an_split *axes, size_t n, int64_t amount_cents,
                   an_segment out[AN_SEGMENTS_MAX]);

#endif
