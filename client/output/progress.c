/*
 * client/output/progress.c — the progress bar; see progress.h.
 */
#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* n with a comma every three digits, as the benchmark prints counts. */
static const char *grouped(uint64_t n, char out[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

char *gl_progress_render(char *buf, size_t len, const char *what, const char *unit, uint64_t done,
                         uint64_t total, int64_t elapsed_ms)
{
    char d[32], t[32], r[32], bar[PROGRESS_BAR_WIDTH + 3];
    /* entries per second over the whole run, in integers; 0 until 1 ms */
    uint64_t rate = elapsed_ms > 0 ? done * 1000 / (uint64_t)elapsed_ms : 0;
    if (total) {
        uint64_t shown = done > total ? total : done;
        size_t full = (size_t)(shown * PROGRESS_BAR_WIDTH / total);
        bar[0] = '[';
        for (size_t i = 0; i < PROGRESS_BAR_WIDTH; i++)
            bar[1 + i] = i < full ? '#' : '-';
        bar[PROGRESS_BAR_WIDTH + 1] = ']';
        bar[PROGRESS_BAR_WIDTH + 2] = '\0';
        snprintf(buf, len, "%s %s %s/%s %s  %s/s", what, bar, grouped(done, d), grouped(total, t),
                 unit, grouped(rate, r));
    } else {
        snprintf(buf, len, "%s %s %s  %s/s", what, grouped(done, d), unit, grouped(rate, r));
    }
    return buf;
}

/* The bar drawn last, while it is on the screen (gl_progress_suspend). */
static gl_progress *on_screen;

static void draw(gl_progress *p, int64_t now)
{
    char line[256];
    gl_progress_render(line, sizeof line, p->what, p->unit, p->done, p->total, now - p->start_ms);
    /* \033[K clears what a longer earlier drawing left on the right */
    fprintf(p->out, "\r%s\033[K", line);
    fflush(p->out);
    p->drawn_ms = now;
    on_screen = p;
}

void gl_progress_suspend(void)
{
    if (!on_screen || !on_screen->out)
        return;
    fputs("\r\033[K", on_screen->out);
    fflush(on_screen->out);
    on_screen->drawn_ms = 0; /* drawn again at the next update */
    on_screen = NULL;
}

void gl_progress_start_on(gl_progress *p, FILE *out, int fd, const char *what, const char *unit,
                          uint64_t total)
{
    *p = (gl_progress){.out = out && isatty(fd) ? out : NULL,
                       .what = what,
                       .unit = unit,
                       .total = total,
                       .start_ms = now_ms()};
    if (p->out)
        draw(p, p->start_ms);
}

void gl_progress_start(gl_progress *p, const char *what, const char *unit, uint64_t total)
{
    gl_progress_start_on(p, stderr, STDERR_FILENO, what, unit, total);
}

void gl_progress_set(gl_progress *p, uint64_t done)
{
    if (done > p->done)
        p->done = done;
    if (!p->out)
        return;
    int64_t now = now_ms();
    if (now - p->drawn_ms >= PROGRESS_REDRAW_MS)
        draw(p, now);
}

void gl_progress_add(gl_progress *p, uint64_t n) { gl_progress_set(p, p->done + n); }

void gl_progress_finish(gl_progress *p)
{
    if (!p->out)
        return;
    draw(p, now_ms());
    fputc('\n', p->out);
    fflush(p->out);
    p->out = NULL;
    on_screen = NULL;
}
