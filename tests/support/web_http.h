/*
 * tests/support/web_http.h — the small HTTP client of the web tests
 * (tests/integration/test_web_*.c): `grandlivre web` started as a
 * subprocess against the harness's daemon, its login URL read, and plain
 * HTTP/1.1 requests on a socket to 127.0.0.1, one connection each
 * (Connection: close), the whole answer kept.
 *
 * One server and one answer at a time, in the file-level instances w and
 * rep that the tests read directly (w.cookie, rep.status, rep.body): a
 * test file's suite calls web_suite_init and web_suite_fini.  Every failure to reach the server is a Criterion assertion,
 * except in http_try, which says 0.
 */
#ifndef GL_WEB_HTTP_H
#define GL_WEB_HTTP_H

#include "tests/support/harness.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The server web_start started. */
struct web {
    pid_t pid;
    int port;
    char url[512]; /* the login URL printed */
    char token[65];
    char host[128];   /* HOST:PORT, as printed in the URL */
    char cookie[100]; /* "gl_session_...=..." once logged in */
};

/* The last answer.  The body is kept whole with its length (downloads are
 * binary), NUL-terminated after body_len bytes; at most WEB_REPLY_MAX. */
struct web_reply {
    int status; /* 0: no HTTP answer (http_try, or curl failed) */
    int exit;   /* curl's exit status (test_web_tls.c's https) */
    char head[4096];
    char *body;
    size_t body_len;
};
enum { WEB_REPLY_MAX = 64 << 20 };

extern struct web w;
extern struct web_reply rep;

/* A web suite's .init: h_setup, the 2025 chart loaded for alpha (and for
 * beta when with_beta), the last server forgotten (w zeroed); h is the
 * harness web_start uses. */
void web_suite_init(harness *h, bool with_beta);
/* A web suite's .fini: web_stop, then h_teardown. */
void web_suite_fini(harness *h);
/* Start `grandlivre web ARGS` with key k (French, XDG_RUNTIME_DIR and
 * XDG_CONFIG_HOME the test's directory, stderr to DIR/web.err) and read
 * the URL it prints into w; fails the test if none comes within 10 s. */
void web_start(enum h_key k, const char *args);
/* SIGTERM to the server, and wait for it; nothing if none runs. */
void web_stop(void);
/* Parse a login URL "SCHEME://HOST:PORT/login?token=T" into w. */
void web_take_url(const char *line);

/* One request (Host w.host, the cookie if not NULL, the body as a form if
 * not NULL): its status, the answer in rep. */
int http(const char *method, const char *path, const char *cookie, const char *body);
/* http with the Host header host (NULL: w.host). */
int http_host(const char *method, const char *path, const char *host, const char *cookie,
              const char *body);
/* http("GET", path, cookie, NULL). */
int http_get(const char *path, const char *cookie);
/* A GET that may get no answer (plain HTTP to a TLS port): the status, or
 * 0 when no HTTP answer came within 5 s. */
int http_try(const char *path, const char *cookie);
/* all (len bytes, NUL-terminated; cut at its head) taken as the answer
 * into rep: its status, or 0 with all in rep.body when it has no HTTP
 * head. */
int web_reply_take(char *all, size_t len);

/* GET /login with w.token, which must answer 303 and a cookie gl_session_*,
 * kept in w.cookie. */
void login(void);
/* The value of the hidden field name of the page just read (cap bytes
 * with the NUL); fails the test if the page has none or it is empty. */
void page_hidden(const char *name, char *out, size_t cap);
/* The CSRF token of the page just read (the logout form's hidden field). */
void page_csrf(char out[65]);

#endif
