/*
 * tests/unit/test_progress.c — client/output/progress.c: the line it draws
 * (bar, counts, rate; the count alone without a total), and that it draws
 * only on a terminal: on a pseudo-terminal the line comes with '\r' and a
 * final newline; on a regular file or a pipe, not one byte.
 */
#include "client/output/progress.h"

#include <criterion/criterion.h>

#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Test(progress, a_known_total_draws_a_bar_the_counts_and_the_rate)
{
    char line[256];
    gl_progress_render(line, sizeof line, "fec import", "entries", 500000, 1000000, 12500);
    cr_assert_str_eq(line, "fec import [##########----------] 500,000/1,000,000 entries  40,000/s");
    gl_progress_render(line, sizeof line, "fec import", "entries", 1000000, 1000000, 25000);
    cr_assert_str_eq(line,
                     "fec import [####################] 1,000,000/1,000,000 entries  40,000/s");
    gl_progress_render(line, sizeof line, "verify", "entries", 0, 7, 0);
    cr_assert_str_eq(line, "verify [--------------------] 0/7 entries  0/s");
}

Test(progress, an_unknown_total_draws_the_count_and_the_rate_only)
{
    char line[256];
    gl_progress_render(line, sizeof line, "fec export", "entries", 1234, 0, 2000);
    cr_assert_str_eq(line, "fec export 1,234 entries  617/s");
}

Test(progress, more_done_than_the_total_keeps_the_bar_full)
{
    char line[256];
    gl_progress_render(line, sizeof line, "x", "lines", 12, 10, 1000);
    cr_assert_str_eq(line, "x [####################] 12/10 lines  12/s");
}

Test(progress, a_short_buffer_is_cut_and_terminated)
{
    char line[8];
    gl_progress_render(line, sizeof line, "fec import", "entries", 1, 2, 1);
    cr_assert_str_eq(line, "fec imp");
}

/* Everything written through a bar on out (fd its descriptor), read back
 * from `back` (the same file, or the pseudo-terminal's master side). */
static void run_bar(FILE *out, int fd)
{
    gl_progress p;
    gl_progress_start_on(&p, out, fd, "fec import", "entries", 3);
    gl_progress_add(&p, 1);
    gl_progress_add(&p, 2);
    gl_progress_finish(&p);
    gl_progress_add(&p, 1); /* after finish: silent */
    fflush(out);
}

Test(progress, nothing_at_all_when_the_output_is_not_a_terminal)
{
    FILE *f = tmpfile();
    cr_assert(f);
    run_bar(f, fileno(f));
    cr_assert_eq(ftell(f), 0, "a bar wrote %ld bytes into a regular file", ftell(f));
    fclose(f);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    FILE *w = fdopen(fds[1], "w");
    cr_assert(w);
    run_bar(w, fds[1]);
    fclose(w);
    char buf[16];
    cr_assert_eq(read(fds[0], buf, sizeof buf), 0, "a bar wrote into a pipe");
    close(fds[0]);
}

Test(progress, on_a_terminal_the_line_is_redrawn_in_place_and_ends_with_a_newline)
{
    int master, slave;
    cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
    FILE *out = fdopen(slave, "w");
    cr_assert(out);
    run_bar(out, slave);
    fclose(out);
    char buf[1024];
    size_t n = 0;
    ssize_t k;
    while (n < sizeof buf - 1 && (k = read(master, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    close(master);
    cr_assert(strstr(buf, "\rfec import [--------------------] 0/3 entries"),
              "no first drawing in %s", buf);
    cr_assert(strstr(buf, "\rfec import [####################] 3/3 entries"),
              "no last drawing in %s", buf);
    /* the terminal turns the final "\n" into "\r\n" */
    cr_assert(n >= 2 && buf[n - 1] == '\n', "no final newline in %s", buf);
}

Test(progress, a_message_meanwhile_clears_the_bar_which_is_drawn_again_next)
{
    int master, slave;
    cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
    FILE *out = fdopen(slave, "w");
    cr_assert(out);
    gl_progress p;
    gl_progress_start_on(&p, out, slave, "fec import", "entries", 4);
    gl_progress_suspend();
    fputs("grandlivre: warning: x\n", out);
    gl_progress_add(&p, 1); /* drawn again at once, whatever the time */
    gl_progress_finish(&p);
    gl_progress_suspend(); /* nothing on screen: nothing written */
    fclose(out);
    char buf[1024];
    size_t n = 0;
    ssize_t k;
    while (n < sizeof buf - 1 && (k = read(master, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    close(master);
    const char *warn = strstr(buf, "\r\033[Kgrandlivre: warning: x");
    cr_assert(warn, "the bar was not cleared before the message: %s", buf);
    cr_assert(strstr(warn, "\rfec import [#####---------------] 1/4 entries"),
              "not drawn again after the message: %s", buf);
    cr_assert(strstr(warn, "4/4 entries") == NULL, "%s", buf);
}
