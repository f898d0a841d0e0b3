/*
 * client/web/web_state.c — the state file of a running `grandlivre web`
 * and `grandlivre web --new-token`.
 *
 * A server writes, in a directory only its user can enter
 * ($XDG_RUNTIME_DIR/grandlivre, else ~/.cache/grandlivre), one file
 * web-PID (mode 0600): its pid, --listen as given, the Host it answers
 * to, and its current login URL.  --new-token finds the server (the one
 * with the same --listen, or the only one), sends it SIGUSR1 and waits for
 * the URL of the file to change: the new token is then printed by the
 * command that asked, on the terminal of whoever asked, and by the server.
 * The file holds a login token, hence 0600 in a 0700 directory, written
 * under another name and renamed so that a reader never sees half of it.
 * The server also holds a lock on web-PID.lock for as long as it runs:
 * the kernel releases it when the process ends, however it ends, so a
 * file left by a killed server is known stale even once its pid has been
 * given to another process, which is then never signalled.
 */
#include "web.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STATE_BYTES_MAX 2048
#define NEW_TOKEN_WAIT_MS 5000

/* The directory, made 0700 if missing: 0, or -1 (no place: no file). */
static int state_dir(char *out, size_t cap)
{
    const char *run = getenv("XDG_RUNTIME_DIR"), *home = getenv("HOME");
    int n;
    if (run && run[0])
        n = snprintf(out, cap, "%s/grandlivre", run);
    else if (home && home[0]) {
        char cache[512];
        snprintf(cache, sizeof cache, "%s/.cache", home);
        if (mkdir(cache, 0700) && errno != EEXIST)
            return -1;
        n = snprintf(out, cap, "%s/.cache/grandlivre", home);
    } else
        return -1;
    if (n < 0 || (size_t)n >= cap)
        return -1;
    if (mkdir(out, 0700) && errno != EEXIST)
        return -1;
    /* ours alone, or not used: the files hold login tokens */
    struct stat st;
    if (lstat(out, &st) || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
        cli_warn("%s: not a directory of this user's alone (mode 0700): not used", out);
        return -1;
    }
    return 0;
}

/* The lock that says this server runs, held until the process ends. */
static int hold_lock(const char *state_path)
{
    char lock[600];
    snprintf(lock, sizeof lock, "%s.lock", state_path);
    int fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB)) {
        close(fd);
        return -1;
    }
    return 0; /* fd kept open on purpose: the lock lives as long as we do */
}

int web_state_write(web_app *app, const char *url)
{
    char dir[400], tmp[560];
    if (!app->state_path[0]) {
        if (state_dir(dir, sizeof dir))
            return -1;
        snprintf(app->state_path, sizeof app->state_path, "%s/web-%ld", dir, (long)getpid());
        if (hold_lock(app->state_path)) {
            app->state_path[0] = '\0';
            return -1;
        }
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", app->state_path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    char text[STATE_BYTES_MAX];
    int n = snprintf(text, sizeof text, "pid %ld\nlisten %s\nhost %s\nurl %s\n", (long)getpid(),
                     app->listen_arg ? app->listen_arg : "-", app->host, url);
    bool ok = n > 0 && (size_t)n < sizeof text && fchmod(fd, 0600) == 0 &&
              write(fd, text, (size_t)n) == n;
    ok &= close(fd) == 0;
    if (!ok || rename(tmp, app->state_path)) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

void web_state_remove(web_app *app)
{
    if (!app->state_path[0])
        return;
    char lock[600];
    snprintf(lock, sizeof lock, "%s.lock", app->state_path);
    unlink(app->state_path);
    unlink(lock);
}

/* Whether the server of the state file path (named web-PID, holding pid)
 * still runs: its lock is held.  A lock that can be taken, or none, is a
 * server gone (its pid may already be another process's). */
static bool server_runs(const char *path, const char *name, long pid)
{
    if (strtol(name + 4, NULL, 10) != pid)
        return false;
    char lock[600];
    snprintf(lock, sizeof lock, "%s.lock", path);
    int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool held = flock(fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK;
    close(fd);
    return held;
}

/* One state file read: its fields. */
struct state {
    long pid;
    char listen[256], host[256], url[1024];
};

/* The value of the line "key value" of text into out ("" if none). */
static void field(const char *text, const char *key, char *out, size_t cap)
{
    size_t k = strlen(key);
    out[0] = '\0';
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > k && !strncmp(line, key, k) && line[k] == ' ') {
            snprintf(out, cap, "%.*s", (int)(len - k - 1), line + k + 1);
            return;
        }
        line = nl ? nl + 1 : NULL;
    }
}

static int state_read(const char *path, struct state *s)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char text[STATE_BYTES_MAX], pid[24];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    field(text, "pid", pid, sizeof pid);
    s->pid = strtol(pid, NULL, 10);
    field(text, "listen", s->listen, sizeof s->listen);
    field(text, "host", s->host, sizeof s->host);
    field(text, "url", s->url, sizeof s->url);
    return s->pid > 0 ? 0 : -1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Ask the server of path (pid) for a new URL: SIGUSR1, then the file
 * read until its URL changes. */
static int renew(const char *path, long pid, const char *old_url)
{
    char old[1024];
    snprintf(old, sizeof old, "%s", old_url);
    if (kill((pid_t)pid, SIGUSR1)) {
        cli_error("cannot signal grandlivre web (pid %ld): %s", pid, strerror(errno));
        return EXIT_UNREACHABLE;
    }
    for (long waited = 0; waited < NEW_TOKEN_WAIT_MS; waited += 20) {
        sleep_ms(20);
        struct state s;
        if (state_read(path, &s) == 0 && s.url[0] && strcmp(s.url, old)) {
            printf("%s\n", s.url);
            fflush(stdout);
            return 0;
        }
    }
    cli_error("grandlivre web (pid %ld) did not answer within %d s", pid, NEW_TOKEN_WAIT_MS / 1000);
    return EXIT_UNREACHABLE;
}

int web_new_token(const char *listen)
{
    char dir[400];
    if (state_dir(dir, sizeof dir)) {
        cli_error(
            "--new-token: no usable state directory, hence no grandlivre web to ask "
            "(XDG_RUNTIME_DIR/grandlivre or ~/.cache/grandlivre)");
        return EXIT_UNREACHABLE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        cli_error("--new-token: cannot read %s: %s", dir, strerror(errno));
        return EXIT_UNREACHABLE;
    }
    char found[600] = "", url[1024] = "";
    long found_pid = 0;
    int matches = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "web-", 4) || strchr(e->d_name, '.'))
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct state s;
        if (state_read(path, &s))
            continue;
        if (!server_runs(path, e->d_name, s.pid)) {
            char lock[620];
            snprintf(lock, sizeof lock, "%s.lock", path);
            unlink(path);
            unlink(lock);
            cli_warn("removed a stale state file %s (its server, pid %ld, no longer runs)", path,
                     s.pid);
            continue;
        }
        if (listen && strcmp(listen, s.listen) && strcmp(listen, s.host))
            continue;
        matches++;
        snprintf(found, sizeof found, "%s", path);
        snprintf(url, sizeof url, "%s", s.url);
        found_pid = s.pid;
    }
    closedir(d);
    if (matches == 0) {
        if (listen)
            cli_error(
                "--new-token: no grandlivre web is running for --listen %s (state files in "
                "%s)",
                listen, dir);
        else
            cli_error("--new-token: no grandlivre web is running (no state file in %s)", dir);
        return EXIT_UNREACHABLE;
    }
    if (matches > 1) {
        cli_error("--new-token: %d grandlivre web are running: name one with --listen ADDR:PORT",
                  matches);
        return EXIT_USAGE;
    }
    return renew(found, found_pid, url);
}
