/*
 * tests/support/web_http.c — the web tests' HTTP client (web_http.h): the
 * server as a subprocess whose first line of output is its login URL,
 * requests written whole on a fresh socket, answers read to the end of
 * the connection into a buffer that grows up to WEB_REPLY_MAX.
 */
#include "tests/support/web_http.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct web w;
struct web_reply rep;

static harness *web_h;

void web_suite_init(harness *h, bool with_beta)
{
    h_setup(h);
    cr_assert_eq(h_cli(h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
    if (with_beta)
        cr_assert_eq(
            h_cli(h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant beta --year 2025"), 0);
    web_h = h;
    memset(&w, 0, sizeof w);
}

void web_stop(void)
{
    if (w.pid > 0) {
        kill(w.pid, SIGTERM);
        waitpid(w.pid, NULL, 0);
        w.pid = 0;
    }
}

void web_suite_fini(harness *h)
{
    web_stop();
    h_teardown(h);
}

/* One line of fd, within 10 s. */
static void read_line(int fd, char *line, size_t cap)
{
    size_t n = 0;
    struct pollfd p = {fd, POLLIN, 0};
    while (n < cap - 1 && poll(&p, 1, 10000) == 1) {
        ssize_t got = read(fd, line + n, 1);
        if (got <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
}

void web_take_url(const char *line)
{
    snprintf(w.url, sizeof w.url, "%s", line);
    const char *host = strstr(line, "://");
    cr_assert_not_null(host, "printed: '%s'", line);
    host += 3;
    const char *slash = strchr(host, '/');
    cr_assert_not_null(slash, "printed: '%s'", line);
    snprintf(w.host, sizeof w.host, "%.*s", (int)(slash - host), host);
    const char *colon = strrchr(w.host, ':');
    cr_assert_not_null(colon, "printed: '%s'", line);
    w.port = atoi(colon + 1);
    cr_assert_eq(sscanf(slash, "/login?token=%64[0-9a-f]", w.token), 1, "printed: '%s'", line);
}

void web_start(enum h_key k, const char *args)
{
    cr_assert_not_null(web_h, "web_suite_init first");
    const harness *h = web_h;
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    char server_key[65], cmd[2048];
    gl_hex(h->server_pk, 32, server_key);
    snprintf(cmd, sizeof cmd,
             "XDG_RUNTIME_DIR='%s' XDG_CONFIG_HOME='%s' GRANDLIVRE_ENDPOINT='%s' "
             "GRANDLIVRE_KEY='%s' GRANDLIVRE_SERVER_KEY='%s' GRANDLIVRE_LANG=fr exec "
             "'%s/grandlivre' web %s </dev/null 2>>'%s/web.err'",
             h->dir, h->dir, h->endpoint, h->key_path[k], server_key, h_build_dir(), args, h->dir);
    w.pid = fork();
    cr_assert_geq(w.pid, 0);
    if (w.pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char line[512];
    read_line(fds[0], line, sizeof line);
    close(fds[0]);
    web_take_url(line);
}

int web_reply_take(char *all, size_t len)
{
    rep.status = 0;
    rep.head[0] = '\0';
    char *sep = strstr(all, "\r\n\r\n");
    const char *body = all;
    if (sep && sscanf(all, "HTTP/%*s %d", &rep.status) == 1) {
        *sep = '\0';
        snprintf(rep.head, sizeof rep.head, "%s", all);
        body = sep + 4;
    } else
        rep.status = 0;
    free(rep.body);
    rep.body_len = len - (size_t)(body - all);
    rep.body = malloc(rep.body_len + 1);
    cr_assert_not_null(rep.body);
    memcpy(rep.body, body, rep.body_len + 1);
    return rep.status;
}

/* Write all of req on s; false if the peer is gone. */
static bool write_all(int s, const char *req, size_t n)
{
    for (size_t done = 0; done < n;) {
        ssize_t put = send(s, req + done, n - done, MSG_NOSIGNAL);
        if (put <= 0)
            return false;
        done += (size_t)put;
    }
    return true;
}

/* The answer on s to its end, NUL-terminated: the caller frees it. */
static char *read_all(int s, size_t *len)
{
    size_t cap = 1 << 16;
    char *all = malloc(cap);
    cr_assert_not_null(all);
    *len = 0;
    for (;;) {
        if (*len + 1 == cap) {
            cr_assert_lt(cap, (size_t)WEB_REPLY_MAX, "an answer over %d bytes", WEB_REPLY_MAX);
            cr_assert_not_null(all = realloc(all, cap *= 2));
        }
        ssize_t got = read(s, all + *len, cap - 1 - *len);
        if (got <= 0)
            break;
        *len += (size_t)got;
    }
    all[*len] = '\0';
    return all;
}

/* One request; rcvtimeo_s > 0 gives up reading after that many seconds
 * of silence.  The status, 0 when no HTTP answer came. */
static int request(const char *method, const char *path, const char *host, const char *cookie,
                   const char *body, int rcvtimeo_s)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)w.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(s, (struct sockaddr *)&sa, sizeof sa), 0);
    if (rcvtimeo_s > 0) {
        struct timeval tv = {rcvtimeo_s, 0};
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    size_t cap = 4096 + (body ? strlen(body) : 0); /* a form of 1000 lines */
    char *req = malloc(cap);
    cr_assert_not_null(req);
    int n =
        snprintf(req, cap,
                 "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s%s%s"
                 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
                 method, path, host ? host : w.host, cookie ? "Cookie: " : "", cookie ? cookie : "",
                 cookie ? "\r\n" : "", body ? strlen(body) : 0, body ? body : "");
    cr_assert(n > 0 && (size_t)n < cap);
    bool sent = write_all(s, req, (size_t)n);
    free(req);
    cr_assert(sent || rcvtimeo_s > 0, "the server closed before the request was sent");
    size_t len;
    char *all = read_all(s, &len);
    close(s);
    int status = web_reply_take(all, len);
    free(all);
    return status;
}

int http_host(const char *method, const char *path, const char *host, const char *cookie,
              const char *body)
{
    int status = request(method, path, host, cookie, body, 0);
    cr_assert_neq(status, 0, "no HTTP head: %s", rep.body);
    return status;
}

int http(const char *method, const char *path, const char *cookie, const char *body)
{
    return http_host(method, path, NULL, cookie, body);
}

int http_get(const char *path, const char *cookie) { return http("GET", path, cookie, NULL); }

int http_try(const char *path, const char *cookie)
{
    return request("GET", path, NULL, cookie, NULL, 5);
}

void login(void)
{
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(http_get(path, NULL), 303, "%s", rep.head);
    char *c = strstr(rep.head, "Set-Cookie: gl_session_");
    cr_assert_not_null(c, "%s", rep.head);
    cr_assert_eq(sscanf(c, "Set-Cookie: %99[^;]", w.cookie), 1);
}

void page_hidden(const char *name, char *out, size_t cap)
{
    char needle[64], fmt[32];
    snprintf(needle, sizeof needle, "name=\"%s\" value=\"", name);
    const char *p = strstr(rep.body, needle);
    cr_assert_not_null(p, "no %s in %s", name, rep.body);
    snprintf(fmt, sizeof fmt, "%%%zu[^\"]", cap - 1);
    cr_assert_eq(sscanf(p + strlen(needle), fmt, out), 1, "%s is empty", name);
}

void page_csrf(char out[65]) { page_hidden("csrf", out, 65); }
