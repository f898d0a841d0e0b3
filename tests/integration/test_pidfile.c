/*
 * tests/integration/test_pidfile.c — `grandlivred --pidfile FILE` (issue 11,
 * item 11): the file is locked for the daemon's life and holds its pid; a
 * second daemon on the same file refuses to start, naming the first; a
 * symlink at the path is never followed (nothing is written through it);
 * a stale file left by a daemon killed with SIGKILL is taken over.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static harness h;
static pid_t extra[2];

static void teardown(void)
{
    for (int i = 0; i < 2; i++)
        if (extra[i] > 0) {
            kill(extra[i], SIGKILL);
            waitpid(extra[i], NULL, 0);
            extra[i] = 0;
        }
    h_teardown(&h);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* grandlivred -c CONFIG --pidfile pidfile, stderr appended to log. */
static pid_t spawn_daemon(const char *pidfile, const char *log)
{
    char bin[512];
    snprintf(bin, sizeof bin, "%s/grandlivred", h_build_dir());
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *argv[] = {bin, "-c", h.config, "--pidfile", (char *)pidfile, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0);
    return pid;
}

/* The exit status of pid within 10 s (-1 if it still runs). */
static int exit_status(pid_t pid)
{
    for (int i = 0; i < 1000; i++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        sleep_ms(10);
    }
    return -1;
}

static void read_text(const char *path, char *out, size_t out_len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(out, 1, out_len - 1, f);
    out[n] = '\0';
    fclose(f);
}

/* Wait until path holds "PID\n" (the daemon serves once it is written). */
static void wait_pidfile(const char *path, pid_t pid)
{
    char want[32], got[64];
    snprintf(want, sizeof want, "%ld\n", (long)pid);
    for (int i = 0; i < 1000; i++) {
        read_text(path, got, sizeof got);
        if (!strcmp(got, want))
            return;
        cr_assert_eq(waitpid(pid, NULL, WNOHANG), 0, "the daemon exited; see %s/pid.log", h.dir);
        sleep_ms(10);
    }
    cr_assert_fail("%s never held %s", path, want);
}

/* A harness whose daemon is stopped: its configuration and keys, for
 * daemons started here with --pidfile. */
static void setup_stopped(void)
{
    h_setup(&h);
    h_stop(&h);
}

static void log_path(char *out, size_t out_len) { snprintf(out, out_len, "%s/pid.log", h.dir); }

Test(pidfile, holds_the_pid_while_serving_and_is_removed_at_stop, .fini = teardown)
{
    setup_stopped();
    char pidfile[400], log[400];
    snprintf(pidfile, sizeof pidfile, "%s/g.pid", h.dir);
    log_path(log, sizeof log);
    extra[0] = spawn_daemon(pidfile, log);
    wait_pidfile(pidfile, extra[0]);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), 0);
    struct stat sb;
    cr_assert(stat(pidfile, &sb) == 0 && S_ISREG(sb.st_mode));
    kill(extra[0], SIGTERM);
    cr_assert_eq(exit_status(extra[0]), 0);
    extra[0] = 0;
    cr_assert(stat(pidfile, &sb) != 0 && errno == ENOENT, "the pid file outlived a clean stop");
}

Test(pidfile, a_second_daemon_on_the_same_pid_file_refuses, .fini = teardown)
{
    setup_stopped();
    char pidfile[400], log[400], text[8192];
    snprintf(pidfile, sizeof pidfile, "%s/g.pid", h.dir);
    log_path(log, sizeof log);
    extra[0] = spawn_daemon(pidfile, log);
    wait_pidfile(pidfile, extra[0]);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    extra[1] = spawn_daemon(pidfile, log);
    int status = exit_status(extra[1]);
    cr_assert_eq(status, 1, "the second daemon did not refuse (status %d)", status);
    extra[1] = 0;
    read_text(log, text, sizeof text);
    char want[600];
    snprintf(want, sizeof want, "%s is locked by another grandlivred (pid %ld)", pidfile,
             (long)extra[0]);
    cr_assert(strstr(text, want), "no clear message; the log says:\n%s", text);
    /* The first is untouched: its pid file, its service, the ledger. */
    wait_pidfile(pidfile, extra[0]);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), 0);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the refused daemon changed the ledger");
}

Test(pidfile, a_symlink_at_the_pid_path_is_never_followed, .fini = teardown)
{
    setup_stopped();
    char pidfile[400], target[400], log[400], text[8192];
    snprintf(pidfile, sizeof pidfile, "%s/g.pid", h.dir);
    snprintf(target, sizeof target, "%s/victim", h.dir);
    log_path(log, sizeof log);
    FILE *f = fopen(target, "w");
    fputs("precious\n", f);
    fclose(f);
    cr_assert(symlink(target, pidfile) == 0);
    extra[0] = spawn_daemon(pidfile, log);
    cr_assert_eq(exit_status(extra[0]), 1, "the daemon started through a symlinked pid file");
    extra[0] = 0;
    read_text(target, text, sizeof text);
    cr_assert_str_eq(text, "precious\n", "written through the symlink");
    read_text(log, text, sizeof text);
    cr_assert(strstr(text, "symbolic link"), "no clear message; the log says:\n%s", text);
    /* A dangling symlink creates nothing either. */
    cr_assert(unlink(target) == 0);
    extra[0] = spawn_daemon(pidfile, log);
    cr_assert_eq(exit_status(extra[0]), 1);
    extra[0] = 0;
    struct stat sb;
    cr_assert(stat(target, &sb) != 0 && errno == ENOENT, "the daemon created the symlink's target");
}

Test(pidfile, a_stale_pid_file_after_sigkill_is_taken_over, .fini = teardown)
{
    setup_stopped();
    char pidfile[400], log[400], text[64];
    snprintf(pidfile, sizeof pidfile, "%s/g.pid", h.dir);
    log_path(log, sizeof log);
    extra[0] = spawn_daemon(pidfile, log);
    wait_pidfile(pidfile, extra[0]);
    kill(extra[0], SIGKILL);
    waitpid(extra[0], NULL, 0);
    extra[0] = 0;
    /* Left behind, and longer than the next pid: it must be truncated. */
    FILE *f = fopen(pidfile, "w");
    fputs("999999999999\n", f);
    fclose(f);
    extra[0] = spawn_daemon(pidfile, log);
    wait_pidfile(pidfile, extra[0]);
    read_text(pidfile, text, sizeof text);
    cr_assert_eq(strtol(text, NULL, 10), (long)extra[0]);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), 0);
}
