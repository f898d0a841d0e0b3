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
    /* the key's role as the daemon's PING says it (1 member, 2 accountant,
     * 3 auditor), asked once, on the first page (web_role.c); 0 unknown yet */
    uint8_t role;
    /* TLS, --host, --new-token (cmd_web.c, web_server.c, web_state.c) */
    const char *tls_cert, *tls_key; /* PEM text of --tls-cert/--tls-key; NULL: plain HTTP */
    const char *host_name;          /* --host: the name a TLS listener answers to */
    const char *listen_arg;         /* --listen as given, or NULL */
    char state_path[512];           /* the state file of --new-token; "" if none */
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
/* Recherche (page_search.c, helper B of wave 8). */
int page_search(web_req *r, gl_buf *b);
/* Helper C: Entrée's actions (page_reverse.c, page_letter.c, web_act.c). */
int page_reverse(web_req *r, gl_buf *b);  /* GET /reverse?id=FY/N: the confirmation */
int form_reverse(web_req *r, gl_buf *b);  /* POST /reverse */
int page_letter(web_req *r, gl_buf *b);   /* GET /letter?account=A&aux=X */
int form_letter(web_req *r, gl_buf *b);   /* POST /letter */
int form_unletter(web_req *r, gl_buf *b); /* POST /unletter */
/* The hidden fields of an action form: csrf, tenant and rid, the request
 * id fixed when the form is shown (a double submit is a replay). */
void web_act_hidden(gl_buf *b, const web_req *r, uint64_t rid);
/* The form's rid (16 hex digits), 0 if absent or bad. */
uint64_t web_act_rid(const web_req *r);
/* A write signed with the request id rid fixed when its form was shown
 * (a double submit is the daemon's replay, never a second write): 0 with
 * resp filled (the caller frees it), or the refusal's status (the
 * daemon's, a gl_call error, GL_ERR_UNKNOWN_TENANT without a tenant) with
 * the reason in why, resp freed. */
int web_write(web_req *r, uint16_t kind, uint64_t rid, const void *body, size_t body_len,
              gl_response *resp, char *why, size_t why_len);
/* web_write with the reason, when refused, in a banner written to b. */
int web_act_call(web_req *r, gl_buf *b, uint16_t kind, uint64_t rid, const void *body,
                 size_t body_len, gl_response *resp);
/* s percent-encoded for a URL into out (cap bytes, cut if too small). */
void web_act_pct(char *out, size_t cap, const char *s);

/* The accountant's and the auditor's pages (helper D): page_periods.c
 * (Périodes, lock with confirmation), page_close.c (clôture),
 * page_group.c (the group's combined balance and reconciliation),
 * page_statements.c (the statements, a download), page_downloads.c (FEC
 * and archive, downloads). */
int page_periods(web_req *r, gl_buf *b);
int page_lock(web_req *r, gl_buf *b);
int form_lock(web_req *r, gl_buf *b);
int page_close(web_req *r, gl_buf *b);
int form_close(web_req *r, gl_buf *b);
int page_group(web_req *r, gl_buf *b);
int page_statements(web_req *r, gl_buf *b);
int page_statements_file(web_req *r, gl_buf *b);
int page_fec(web_req *r, gl_buf *b);
int page_archive(web_req *r, gl_buf *b);
int page_third_parties(web_req *r, gl_buf *b); /* Tiers, read-only (page_third_parties.c) */
/* web_role.c: the key's role (PING once; 0 if the daemon did not say),
 * and the navigation links of the accountant's and auditor's pages (none
 * for a member key). */
enum { WEB_ROLE_MEMBER = 1, WEB_ROLE_ACCOUNTANT = 2, WEB_ROLE_AUDITOR = 3 };
uint8_t web_role(web_app *app);
void web_role_load(web_app *app);
void web_nav_books(gl_buf *b, const web_req *r, const char *active);
/* The hidden fields csrf and tenant of a form (web_role.c). */
void web_form_hidden(gl_buf *b, const web_req *r);
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

/* Accueil's parts after the bank and cash (page_home_items.c, helper E):
 * the third-party accounts (401*, 411*) of this year's and last year's
 * balances collected (web_home_last_year adds the latter's), then their
 * open items per third party; the result of the same period a year before
 * (a card); the months not yet locked. */
#define WEB_HOME_TP_ACCOUNTS 32
typedef struct web_home_tp {
    size_t count;
    char account[WEB_HOME_TP_ACCOUNTS][GL_ACCOUNT_MAX + 1];
} web_home_tp;
void web_home_tp_add(web_home_tp *tp, gl_str account);
void web_home_open_items(web_req *r, gl_buf *b, const web_home_tp *tp, uint32_t today);
void web_home_last_year(web_req *r, gl_buf *b, uint32_t today, web_home_tp *tp);
void web_home_unlocked(web_req *r, gl_buf *b, uint32_t today);

/* web_state.c: the state file of a running server (0600, under
 * $XDG_RUNTIME_DIR/grandlivre or ~/.cache/grandlivre), written with its
 * current login URL (0, or -1: none could be written); removed on exit. */
int web_state_write(web_app *app, const char *url);
void web_state_remove(web_app *app);
/* --new-token: the running server (the one of listen, or the only one)
 * asked for a new login URL (SIGUSR1), printed on standard output.  0, or
 * EXIT_UNREACHABLE (none running, or no answer), EXIT_USAGE (several). */
int web_new_token(const char *listen);

#endif
