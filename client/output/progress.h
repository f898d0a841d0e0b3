/*
 * client/output/progress.h — a progress bar for the long operations of
 * `grandlivre` (FEC import and export, archive, verify, group statements).
 *
 * Drawn on standard error, and only when standard error is a terminal:
 * piped or redirected output (scripts, tests, CI logs) gets nothing at all.
 * One line redrawn in place with '\r' at most every PROGRESS_REDRAW_MS:
 *
 *   fec import [##########----------]  512,000/1,000,000 entries  41,210/s
 *
 * (without a total: the count and the rate only), finished by a last
 * drawing and a newline.  Counts and rates are integers (no floating
 * point in this program).  Not thread-safe: one bar at a time (the last
 * started is the one gl_progress_suspend clears).
 */
#ifndef GL_PROGRESS_H
#define GL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_REDRAW_MS 100
#define PROGRESS_BAR_WIDTH 20

typedef struct gl_progress {
    FILE *out;        /* NULL: silent (not a terminal) */
    const char *what; /* "fec import" */
    const char *unit; /* "entries" */
    uint64_t total;   /* 0: unknown */
    uint64_t done;
    int64_t start_ms, drawn_ms; /* monotonic clock; drawn_ms 0: never drawn */
} gl_progress;

/* Start a bar on stderr if stderr is a terminal (else a silent one). */
void gl_progress_start(gl_progress *p, const char *what, const char *unit, uint64_t total);
/* Start a bar on out if fd is a terminal (else silent): for tests. */
void gl_progress_start_on(gl_progress *p, FILE *out, int fd, const char *what, const char *unit,
                          uint64_t total);
/* n more done; redraws if PROGRESS_REDRAW_MS passed since the last one. */
void gl_progress_add(gl_progress *p, uint64_t n);
/* done is now `done` (never less than before); redraws like add. */
void gl_progress_set(gl_progress *p, uint64_t done);
/* A last drawing and a newline (nothing if silent); the bar is then silent. */
void gl_progress_finish(gl_progress *p);

/* Clear the line of the bar being drawn, if any, before another line is
 * written on stderr (cli_error, cli_warn); the bar is drawn again at its
 * next update. */
void gl_progress_suspend(void);

/* The line, without '\r' or newline, into buf (NUL-terminated, cut to
 * len): pure, for the tests.  Returns buf. */
char *gl_progress_render(char *buf, size_t len, const char *what, const char *unit, uint64_t done,
                         uint64_t total, int64_t elapsed_ms);

#endif
