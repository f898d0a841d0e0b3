/*
 * client/web/web.h — what the parts of `grandlivre web` share: the
 * application (the connected client, the sessions, the listening address),
 * one request as a page sees it, the page layout and the daemon call that
 * turns a failure into a banner instead of an error page.
 *
 * One thread serves every request (libmicrohttpd's internal polling
 * thread), so the one client connection needs no lock; the sessions do
 * (SIGUSR1 renews the login token from the main thread).
 */
#ifndef GL_WEB_H
#define GL_WEB_H

#include "client/cli/cli.h"
#include "proto/limits.h"
#include "proto/wire.h"
#include "web_html.h"
#include "web_session.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define WEB_TENANTS_MAX 64

typedef struct web_app {
    cli *c; /* connected; c->tenant is the default tenant (or NULL) */
    /* the tenants an accountant's or auditor's key may switch between
     * (TENANTS, asked once at start); none for a member key */
    uint16_t tenant_count;
    struct {
        char id[GL_TENANT_MAX + 1];
        char name[128];
    } tenants[WEB_TENANTS_MAX];
    pthread_mutex_t lock; /* sessions */
    web_sessions sessions;
    bool read_only;
    char host[96]; /* the Host header every request must carry: "127.0.0.1:PORT" */
    uint16_t port;
} web_app;

struct MHD_Connection;
typedef struct web_req {
    web_app *app;
    struct MHD_Connection *conn;
    char csrf[WEB_SECRET_HEX + 1]; /* the session's, for the forms */
    const char *tenant;            /* in effect: ?tenant= or the default; "" if none */
    char tenant_buf[GL_TENANT_MAX + 1];
    /* a POST's form body (application/x-www-form-urlencoded), CSRF already
     * checked; NULL for a GET */
    const char *body;
    size_t body_len;
    /* where a handler that returns 303 sends the browser (a path of ours) */
    char location[512];
    /* what the handler wrote, if not an HTML page (e.g. "text/csv;
     * charset=utf-8"), and the file name a browser saves it under
     * (Content-Disposition: attachment); NULL and "" for a page */
    const char *content_type;
    char download[128];
} web_req;

/* One route: a page (GET) or a form (POST, its CSRF token checked and
 * --read-only refused before the handler runs).  The handler writes the
 * whole page into b and returns the HTTP status; 303 sends the browser to
 * r->location instead (b is then ignored). */
typedef int (*web_handler)(web_req *r, gl_buf *b);
typedef struct web_route {
    bool post;
    const char *path;
    web_handler handler;
} web_route;
/* web_routes.c: the handler of (post, path), or NULL. */
web_handler web_route_find(bool post, const char *path);

/* An embedded file served under /static/ (web_routes.c). */
typedef struct web_static {
    const char *path, *type, *data;
} web_static;
const web_static *web_static_find(const char *path);

/* A query argument of the request, checked (UTF-8, at most cap - 1 bytes):
 * WEB_FORM_FOUND, _ABSENT (or empty), or _BAD. */
int web_arg(const web_req *r, const char *name, char *out, size_t cap);
/* A field of a POST's form body, decoded and checked as web_form_get
 * does: WEB_FORM_FOUND, _ABSENT (a GET, or no such field) or _BAD. */
int web_field(const web_req *r, const char *name, char *out, size_t cap);

/* The page around the content: head (stylesheet), navigation with the
 * tenant form and the logout button; web_page_end closes it. */
void web_page_begin(gl_buf *b, const web_req *r, const char *title, const char *active);
void web_page_end(gl_buf *b);
/* Ask the daemon once for the tenants (web_tenants.c); a member key, or a
 * refusal, leaves none. */
void web_tenants_load(web_app *app);
/* The tenant switcher of the header: a list for the accountant and the
 * auditor, a text field if the list is unknown, nothing for a member key. */
void web_tenant_switcher(gl_buf *b, const web_req *r, const char *active);

/* A banner on the page: problem (red) or notice. */
void web_banner(gl_buf *b, const char *text, bool problem);
/* The query-string tail "tenant=T" (escaped for an attribute), with lead
 * ("?" or "&amp;") before it, or nothing when no tenant is in effect. */
void web_tenant_arg(gl_buf *b, const web_req *r, const char *lead);

/* Ask the daemon (for r->tenant).  0 with resp filled (the caller frees
 * it); otherwise a banner explaining the failure is written to b (the
 * daemon down, or its refusal: another tenant's data for a member key is
 * said so) and -1 is returned, resp already freed. */
int web_call(web_req *r, gl_buf *b, uint16_t kind, const void *body, size_t body_len,
             gl_response *resp);

/* The pages: write the whole page into b, return the HTTP status. */
int page_home(web_req *r, gl_buf *b);
int page_journal(web_req *r, gl_buf *b);
int page_ledger(web_req *r, gl_buf *b);
int page_balance(web_req *r, gl_buf *b);
int page_entry(web_req *r, gl_buf *b);
/* Accueil's "last entries" section (page_recent.c). */
void web_recent_entries(web_req *r, gl_buf *b);
/* Saisie (page_post.c): the entry form, and the form that posts it. */
int page_post(web_req *r, gl_buf *b);
int form_post(web_req *r, gl_buf *b);

/* The embedded stylesheet (screen and print). */
extern const char web_css[];
/* The one script, progressive enhancement of Saisie (web_js.c). */
extern const char web_js[];

/* Serve until SIGINT or SIGTERM (SIGUSR1 prints a new login URL).
 * listen "ADDR:PORT" or NULL (127.0.0.1, a free port).  0 or an exit code. */
int web_serve(web_app *app, const char *listen);

#endif
