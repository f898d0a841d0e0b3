/*
 * tests/integration/test_log.c — the daemon's log (issue 12 item 6): every
 * line the running daemon writes has the head of proto/log.h (UTC time,
 * level, component) and then, unchanged, "grandlivred: " and the message
 * that operators and tests look for; a command's answers (-n) have none.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static harness h;

static void teardown(void) { h_teardown(&h); }

/* Is line "[YYYY-MM-DDTHH:MM:SSZ LEVEL COMPONENT] grandlivred: ..."? */
static bool has_head(const char *line)
{
    unsigned y, mo, d, hh, mm, ss;
    char level[16], component[16];
    int n = 0;
    if (sscanf(line, "[%4u-%2u-%2uT%2u:%2u:%2uZ %15s %15[a-z]] %n", &y, &mo, &d, &hh, &mm, &ss,
               level, component, &n) != 8 ||
        n == 0)
        return false;
    bool known = !strcmp(level, "info") || !strcmp(level, "warning") || !strcmp(level, "error");
    return known && y >= 2024 && !strncmp(line + n, "grandlivred: ", 13);
}

Test(log, every_daemon_line_has_time_level_component, .fini = teardown)
{
    h_setup(&h);
    cr_assert(h_reload(&h), "the reload was refused");
    h_stop(&h);
    cr_assert_eq(h_log_count(&h, " info main] grandlivred: serving "), 1);
    cr_assert_eq(h_log_count(&h, " info transport] grandlivred: reload: applied ("), 1);
    cr_assert_eq(h_log_count(&h, " info transport] grandlivred: stopping"), 1);
    cr_assert_eq(h_log_count(&h, " info main] grandlivred: stopped"), 1);
    char path[400], line[2048];
    snprintf(path, sizeof path, "%s/daemon.log", h.dir);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        cr_expect(has_head(line), "a log line without its head: %s", line);
    }
    fclose(f);
    cr_assert_geq(lines, 4);
}

Test(log, configuration_check_prints_no_head, .fini = teardown)
{
    h_setup(&h);
    char cmd[1200], out[2048];
    snprintf(cmd, sizeof cmd, "%s/grandlivred -n -c %s 2>&1", getenv("GL_BUILD"), h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", out);
    char want[400];
    snprintf(want, sizeof want, "%s: configuration ok (", h.config);
    cr_assert(!strncmp(out, want, strlen(want)), "%s", out);
}
