/*
 * tests/unit/test_log.c — proto/log: the layout of a log line.  The
 * daemon's lines keep "grandlivred: " followed by the message exactly as
 * before (tests and operators read "grandlivred: stopped", "reload:
 * applied"), after a head with the UTC time, the level and the component;
 * the client's lines are its messages as they were; a line too long for
 * its buffer is cut and says how long it needed.
 */
#include "proto/date.h"
#include "proto/log.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/* 2026-12-05T03:45:17.250Z */
#define WHEN_MS 1796442317250LL

Test(log, daemon_line_has_time_level_component_then_the_old_line)
{
    char line[256];
    size_t n =
        gl_log_format(line, sizeof line, GL_LOG_FULL, "grandlivred", WHEN_MS, GL_LOG_INFO,
                      "transport", "reload: applied (%zu tenants, %zu keys)", (size_t)3, (size_t)4);
    cr_assert_str_eq(
        line,
        "[2026-12-05T03:45:17Z info transport] grandlivred: reload: applied (3 tenants, 4 keys)\n");
    cr_assert_eq(n, strlen(line));
    cr_assert(strstr(line, "grandlivred: reload: applied") != NULL);
}

Test(log, levels_are_named)
{
    char line[128];
    gl_log_format(line, sizeof line, GL_LOG_FULL, "grandlivred", WHEN_MS, GL_LOG_ERROR, "main",
                  "stopped");
    cr_assert_str_eq(line, "[2026-12-05T03:45:17Z error main] grandlivred: stopped\n");
    gl_log_format(line, sizeof line, GL_LOG_FULL, "grandlivred", WHEN_MS, GL_LOG_WARN, "zap", "x");
    cr_assert_str_eq(line, "[2026-12-05T03:45:17Z warning zap] grandlivred: x\n");
    cr_assert_str_eq(gl_log_level_name(GL_LOG_INFO), "info");
    cr_assert_str_eq(gl_log_level_name(42), "unknown");
}

Test(log, time_is_utc_to_the_second_and_absurd_times_are_counts)
{
    char line[128];
    gl_log_format(line, sizeof line, GL_LOG_FULL, "p", 0, GL_LOG_INFO, "c", "m");
    cr_assert_str_eq(line, "[1970-01-01T00:00:00Z info c] p: m\n");
    gl_log_format(line, sizeof line, GL_LOG_FULL, "p", 999, GL_LOG_INFO, "c", "m");
    cr_assert_str_eq(line, "[1970-01-01T00:00:00Z info c] p: m\n");
    gl_log_format(line, sizeof line, GL_LOG_FULL, "p", -1, GL_LOG_INFO, "c", "m");
    cr_assert_str_eq(line, "[-1 ms info c] p: m\n");
    gl_log_format(line, sizeof line, GL_LOG_FULL, "p", 253402300800000LL, GL_LOG_INFO, "c", "m");
    cr_assert_str_eq(line, "[253402300800000 ms info c] p: m\n");
    gl_log_format(line, sizeof line, GL_LOG_FULL, "p", 253402300799999LL, GL_LOG_INFO, "c", "m");
    cr_assert_str_eq(line, "[9999-12-31T23:59:59Z info c] p: m\n");
}

Test(log, bare_line_is_the_message_as_it_was)
{
    char line[128];
    gl_log_format(line, sizeof line, GL_LOG_BARE, "grandlivre", WHEN_MS, GL_LOG_ERROR, "cli",
                  "refused: %d", 7);
    cr_assert_str_eq(line, "grandlivre: refused: 7\n");
    gl_log_format(line, sizeof line, GL_LOG_BARE, "grandlivre", WHEN_MS, GL_LOG_WARN, "cli",
                  "overdue");
    cr_assert_str_eq(line, "grandlivre: warning: overdue\n");
}

Test(log, too_long_is_cut_and_says_what_it_needed)
{
    char want[128], line[16];
    size_t full = gl_log_format(want, sizeof want, GL_LOG_FULL, "grandlivred", WHEN_MS, GL_LOG_INFO,
                                "main", "serving %d tenants", 2);
    memset(line, 'x', sizeof line);
    size_t n = gl_log_format(line, sizeof line, GL_LOG_FULL, "grandlivred", WHEN_MS, GL_LOG_INFO,
                             "main", "serving %d tenants", 2);
    cr_assert_eq(n, full);
    cr_assert_eq(n, strlen(want));
    cr_assert_eq(strlen(line), sizeof line - 1);
    cr_assert(!strncmp(line, want, sizeof line - 1));
    for (size_t cut = 0; cut < full + 2; cut++) { /* every size, even none */
        char *b = malloc(cut ? cut : 1);
        cr_assert_eq(gl_log_format(cut ? b : NULL, cut, GL_LOG_FULL, "grandlivred", WHEN_MS,
                                   GL_LOG_INFO, "main", "serving %d tenants", 2),
                     full);
        if (cut)
            cr_assert_eq(strlen(b), cut - 1 < full ? cut - 1 : full);
        free(b);
    }
}

Test(log, head_is_what_comes_before_the_message)
{
    char head[128], line[128];
    size_t n =
        gl_log_head(head, sizeof head, GL_LOG_FULL, "grandlivred", WHEN_MS, GL_LOG_INFO, "main");
    cr_assert_str_eq(head, "[2026-12-05T03:45:17Z info main] grandlivred: ");
    cr_assert_eq(n, strlen(head));
    gl_log_head(head, sizeof head, GL_LOG_BARE, "grandlivre", WHEN_MS, GL_LOG_ERROR, "cli");
    cr_assert_str_eq(head, "grandlivre: ");
    gl_log_head(head, sizeof head, GL_LOG_BARE, "grandlivre", WHEN_MS, GL_LOG_WARN, "cli");
    cr_assert_str_eq(head, "grandlivre: warning: ");
    gl_log_format(line, sizeof line, GL_LOG_BARE, "grandlivre", WHEN_MS, GL_LOG_WARN, "cli", "m");
    cr_assert(!strncmp(line, head, strlen(head)));
}

/* gl_utc_text writes what gmtime_r and strftime wrote before it (the
 * verifier's key messages used them): the same text at every step of a
 * walk over 1970-9999, across leap days and the ends of days and years. */
Test(log, utc_text_is_gmtime)
{
    char got[GL_UTC_TEXT_MAX], want[32];
    int64_t ms = 0;
    for (int i = 0; i < 200000; i++) {
        time_t secs = (time_t)(ms / 1000);
        struct tm tm;
        gmtime_r(&secs, &tm);
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        gl_utc_text(ms, got);
        cr_assert_str_eq(got, want, "at %lld ms", (long long)ms);
        ms += 1262303999999LL % (i % 7 == 0 ? 86400000 : 3155760000000LL / 2000); /* uneven steps */
        if (ms >= 253402300800000LL)
            break;
    }
    gl_utc_text(951782400000LL, got); /* 2000-02-29 */
    cr_assert_str_eq(got, "2000-02-29T00:00:00Z");
    gl_utc_text(-5, got);
    cr_assert_str_eq(got, "-5 ms");
}
