/*
 * client/web/web_server.c — the HTTP glue of `grandlivre web`
 * (libmicrohttpd): the Host check against DNS rebinding, the security
 * headers on every response, login with the one-time token, sessions by
 * cookie, the CSRF check of every POST, and the routes to the pages.
 */
#include "web.h"
#include "web_form.h"

#include "client/cli/i18n.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The session cookie's name holds the port: browsers send a cookie to every
 * port of a host, so another server on 127.0.0.1 (another grandlivre web,
 * or another user's program) would otherwise receive ours; under TLS the
 * __Host- prefix also forbids a Domain and requires Secure. */
static char cookie_name[48] = "gl_session";
#define POST_MAX 65536 /* bytes of a form: far more than any has */

/* Scripts from here only (no inline script), no frame, no other origin;
 * forms post here only. */
static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/* Connections at once: a few browser tabs need a dozen; more is someone
 * holding the one serving thread's slots. */
#define WEB_CONNECTIONS_MAX 64

static int64_t now_s(void) { return (int64_t)time(NULL); }

/* Served over TLS: the cookie gains Secure and every response HSTS (set
 * once before the server's thread starts). */
static bool tls_on;
#define HSTS "max-age=31536000"

/* "app;dur=MS": the time of the page's handler (its daemon calls and its
 * rendering), for scripts/bench-web; set by serve() around its response
 * (one thread serves every request). */
static char timing[48];

static void common_headers(struct MHD_Response *resp)
{
    if (timing[0])
        MHD_add_response_header(resp, "Server-Timing", timing);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (tls_on)
        MHD_add_response_header(resp, "Strict-Transport-Security", HSTS);
}

/* The body of a POST as it arrives (one per connection's request). */
struct upload {
    gl_buf body;
    bool too_large;
};

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *type,
                               const void *data, size_t len, const char *location,
                               const char *cookie)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    common_headers(resp);
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (location)
        MHD_add_response_header(resp, "Location", location);
    if (cookie)
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* A file to save (a CSV, a FEC, an archive): its name in
 * Content-Disposition, quoted; the handler names it from [A-Za-z0-9._-]. */
static enum MHD_Result respond_file(struct MHD_Connection *conn, unsigned status, const char *type,
                                    const void *data, size_t len, const char *name)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    char disposition[160];
    size_t n = 0;
    for (const char *p = name; *p && n < 100; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '_' || *p == '-')
            disposition[n++] = *p;
    disposition[n] = '\0';
    char header[200];
    snprintf(header, sizeof header, "attachment; filename=\"%s\"", n ? disposition : "export");
    MHD_add_response_header(resp, "Content-Type", type ? type : "application/octet-stream");
    MHD_add_response_header(resp, "Content-Disposition", header);
    common_headers(resp);
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result respond_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
    return respond(conn, status, "text/plain; charset=utf-8", text, strlen(text), NULL, NULL);
}

/* A page that shows no data: the login page, a refusal. */
static enum MHD_Result respond_notice(struct MHD_Connection *conn, unsigned status,
                                      const char *title, const char *text, const char *cookie)
{
    gl_buf b;
    gl_buf_init(&b);
    web_raw(&b, i18n_french() ? "<!DOCTYPE html>\n<html lang=\"fr\">"
                              : "<!DOCTYPE html>\n<html lang=\"en\">");
    web_raw(&b, "<head><meta charset=\"utf-8\"><title>");
    web_esc(&b, title);
    web_raw(&b,
            "</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
            "<main class=\"notice\"><h1>");
    web_esc(&b, title);
    web_raw(&b, "</h1><p>");
    web_esc(&b, text);
    web_raw(&b, "</p></main></body></html>\n");
    enum MHD_Result r = gl_buf_ok(&b) ? respond(conn, status, "text/html; charset=utf-8", b.data,
                                                b.len, NULL, cookie)
                                      : respond_text(conn, 500, "out of memory\n");
    gl_buf_free(&b);
    return r;
}

static enum MHD_Result login_page(struct MHD_Connection *conn, unsigned status)
{
    return respond_notice(
        conn, status, _("Grand Livre — sign in"),
        _("Open the address that grandlivre web printed in its terminal (it works once, for 15 "
          "minutes; grandlivre web --new-token prints a new one)."),
        NULL);
}

static enum MHD_Result do_login(web_app *app, struct MHD_Connection *conn)
{
    const char *token = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
    pthread_mutex_lock(&app->lock);
    web_session *s = web_login(&app->sessions, token, now_s());
    char cookie[160];
    if (s)
        snprintf(cookie, sizeof cookie, "%s=%s; HttpOnly; SameSite=Strict; Path=/%s", cookie_name,
                 s->id, tls_on ? "; Secure" : "");
    pthread_mutex_unlock(&app->lock);
    if (!s)
        return login_page(conn, MHD_HTTP_UNAUTHORIZED);
    enum MHD_Result r =
        respond(conn, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0, "/", cookie);
    sodium_memzero(cookie, sizeof cookie);
    return r;
}

/* The session of the request's cookie, its CSRF token copied into csrf. */
static web_session *session_of(web_app *app, struct MHD_Connection *conn,
                               char csrf[WEB_SECRET_HEX + 1])
{
    const char *id = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, cookie_name);
    pthread_mutex_lock(&app->lock);
    web_session *s = web_session_find(&app->sessions, id, now_s());
    if (s)
        memcpy(csrf, s->csrf, WEB_SECRET_HEX + 1);
    pthread_mutex_unlock(&app->lock);
    return s;
}

static enum MHD_Result do_logout(web_app *app, struct MHD_Connection *conn, const struct upload *u)
{
    char csrf[WEB_SECRET_HEX + 1];
    if (web_form_get((const char *)u->body.data, u->body.len, "csrf", csrf, sizeof csrf) !=
        WEB_FORM_FOUND)
        csrf[0] = '\0';
    const char *id = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, cookie_name);
    pthread_mutex_lock(&app->lock);
    web_session *s = web_session_find(&app->sessions, id, now_s());
    bool ok = s && web_csrf_ok(s, csrf);
    if (ok)
        web_logout(s);
    pthread_mutex_unlock(&app->lock);
    if (!ok)
        return respond_notice(
            conn, MHD_HTTP_FORBIDDEN, _("Refused"),
            _("This form has no valid CSRF token: reload the page and try again."), NULL);
    char gone[96];
    snprintf(gone, sizeof gone, "%s=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s", cookie_name,
             tls_on ? "; Secure" : "");
    return respond(conn, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0, "/", gone);
}

/* A page or a form: the request as the handler sees it, its answer sent. */
static enum MHD_Result serve(web_app *app, struct MHD_Connection *conn, web_handler handler,
                             const char csrf[WEB_SECRET_HEX + 1], const struct upload *u)
{
    web_req r = {.app = app, .conn = conn};
    memcpy(r.csrf, csrf, sizeof r.csrf);
    if (u) {
        r.body = (const char *)u->body.data;
        r.body_len = u->body.len;
    }
    /* a form names its tenant in its body, a page in its query */
    int t = u ? web_field(&r, "tenant", r.tenant_buf, sizeof r.tenant_buf)
              : web_arg(&r, "tenant", r.tenant_buf, sizeof r.tenant_buf);
    if (t == WEB_FORM_FOUND && !r.tenant_buf[0])
        t = WEB_FORM_ABSENT;
    /* a tenant that is none is refused, never read as the default one (a
     * tampered form must not write to another tenant than it names) */
    if (t == WEB_FORM_BAD || (t == WEB_FORM_FOUND &&
                              !gl_tenant_id_chars_ok((gl_str){r.tenant_buf, strlen(r.tenant_buf)})))
        return respond_notice(conn, MHD_HTTP_BAD_REQUEST, _("Refused"),
                              _("This tenant is not a tenant's id (1 to 16 of a-z 0-9 _ -)."),
                              NULL);
    r.tenant = t == WEB_FORM_FOUND ? r.tenant_buf : app->c->tenant ? app->c->tenant : "";
    gl_buf b;
    gl_buf_init(&b);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status = handler(&r, &b);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    snprintf(timing, sizeof timing, "app;dur=%.3f", ms);
    enum MHD_Result res;
    if (status == MHD_HTTP_SEE_OTHER)
        res = respond(conn, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0,
                      r.location[0] ? r.location : "/", NULL);
    else if (gl_buf_ok(&b) && r.download[0])
        res = respond_file(conn, (unsigned)status, r.content_type, b.data, b.len, r.download);
    else if (gl_buf_ok(&b))
        res = respond(conn, (unsigned)status,
                      r.content_type ? r.content_type : "text/html; charset=utf-8", b.data, b.len,
                      NULL, NULL);
    else
        res = respond_text(conn, 500, "out of memory\n");
    timing[0] = '\0';
    gl_buf_free(&b);
    return res;
}

/* A POST after the session: refused on a read-only server, or without the
 * session's CSRF token (compared in constant time), before any handler. */
static enum MHD_Result serve_form(web_app *app, struct MHD_Connection *conn, const char *url,
                                  const char csrf[WEB_SECRET_HEX + 1], const struct upload *u)
{
    if (app->read_only)
        return respond_notice(conn, MHD_HTTP_FORBIDDEN, _("Refused"),
                              _("This server is read-only (--read-only)."), NULL);
    if (u->too_large)
        return respond_text(conn, MHD_HTTP_CONTENT_TOO_LARGE, "413 Content Too Large\n");
    char sent[WEB_SECRET_HEX + 1];
    bool ok = web_form_get((const char *)u->body.data, u->body.len, "csrf", sent, sizeof sent) ==
                  WEB_FORM_FOUND &&
              web_secret_eq(sent, csrf);
    sodium_memzero(sent, sizeof sent);
    if (!ok)
        return respond_notice(
            conn, MHD_HTTP_FORBIDDEN, _("Refused"),
            _("This form has no valid CSRF token: reload the page and try again."), NULL);
    web_handler form = web_route_find(true, url);
    if (!form)
        return respond_notice(conn, MHD_HTTP_NOT_FOUND, _("Not found"), _("There is no such form."),
                              NULL);
    return serve(app, conn, form, csrf, u);
}

/* Whether Host is this server's address (a DNS name is case-insensitive);
 * a browser leaves out the default port of HTTPS, 443. */
static bool host_ok(const web_app *app, const char *host)
{
    if (!host)
        return false;
    if (!strcasecmp(host, app->host))
        return true;
    size_t n = strlen(app->host), h = strlen(host);
    return tls_on && n > 4 && !strcmp(app->host + n - 4, ":443") && h == n - 4 &&
           !strncasecmp(host, app->host, h);
}

static enum MHD_Result route(web_app *app, struct MHD_Connection *conn, const char *url,
                             const char *method, const struct upload *u)
{
    /* DNS rebinding: a page of another site whose name resolves here
     * carries its own name in Host */
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host_ok(app, host))
        return respond_text(
            conn, 421, "421 Misdirected Request: this server answers to its own address only\n");
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    bool post = !strcmp(method, "POST");
    if (!get && !post)
        return respond_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
    const web_static *file = get ? web_static_find(url) : NULL;
    if (file)
        return respond(conn, MHD_HTTP_OK, file->type, file->data, strlen(file->data), NULL, NULL);
    /* a link previewer's HEAD must not spend the one-time token */
    if (get && !strcmp(url, "/login"))
        return strcmp(method, "GET") ? respond_text(conn, MHD_HTTP_OK, "") : do_login(app, conn);
    if (post && !strcmp(url, "/logout"))
        return u->too_large ? respond_text(conn, MHD_HTTP_CONTENT_TOO_LARGE, "413\n")
                            : do_logout(app, conn, u);
    char csrf[WEB_SECRET_HEX + 1];
    if (!session_of(app, conn, csrf))
        return login_page(conn, MHD_HTTP_UNAUTHORIZED);
    enum MHD_Result r;
    if (post)
        r = serve_form(app, conn, url, csrf, u);
    else {
        web_handler page = web_route_find(false, url);
        r = page ? serve(app, conn, page, csrf, NULL)
                 : respond_notice(conn, MHD_HTTP_NOT_FOUND, _("Not found"),
                                  _("There is no such page."), NULL);
    }
    sodium_memzero(csrf, sizeof csrf);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct upload *u = *con_cls;
    if (!u) {
        if (!(u = calloc(1, sizeof *u)))
            return MHD_NO;
        gl_buf_init(&u->body);
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (u->body.len + *upload_data_size > POST_MAX)
            u->too_large = true;
        else
            gl_put_bytes(&u->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!gl_buf_ok(&u->body))
        return respond_text(conn, 500, "out of memory\n");
    return route(cls, conn, url, method, u);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    struct upload *u = *con_cls;
    if (u) {
        gl_buf_free(&u->body);
        free(u);
        *con_cls = NULL;
    }
}

/* "ADDR:PORT" (IPv4) into sa; NULL is 127.0.0.1 and port 0 (any free one). */
static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!listen)
        return 0;
    const char *colon = strrchr(listen, ':');
    char addr[64];
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || (size_t)(colon - listen) >= sizeof addr || colon[1] == '\0' || *end || port < 0 ||
        port > 65535) {
        cli_error("--listen %s: ADDR:PORT, e.g. 127.0.0.1:8080 (port 0: any free one)", listen);
        return EXIT_USAGE;
    }
    memcpy(addr, listen, (size_t)(colon - listen));
    addr[colon - listen] = '\0';
    if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1) {
        cli_error("--listen %s: an IPv4 address and a port, e.g. 127.0.0.1:8080", listen);
        return EXIT_USAGE;
    }
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

/* The login URL printed on standard output and kept in the state file
 * (for --new-token). */
static void print_url(web_app *app)
{
    char url[256];
    pthread_mutex_lock(&app->lock);
    snprintf(url, sizeof url, "%s://%s/login?token=%s", tls_on ? "https" : "http", app->host,
             app->sessions.login);
    pthread_mutex_unlock(&app->lock);
    /* the file first: whoever reads the URL printed may ask for the next */
    if (web_state_write(app, url))
        cli_warn("no state file for --new-token (%s)",
                 app->state_path[0] ? app->state_path : "no XDG_RUNTIME_DIR or HOME");
    printf("%s\n", url);
    fflush(stdout);
    sodium_memzero(url, sizeof url);
}

/* libmicrohttpd's messages: kept while starting (the reason a certificate
 * is refused goes into our one line), on stderr afterwards. */
static char start_log[256];
static _Atomic bool starting;

static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    if (starting) {
        if (!start_log[0]) {
            vsnprintf(start_log, sizeof start_log, fmt, ap);
            start_log[strcspn(start_log, "\r\n")] = '\0';
        }
        return;
    }
    fputs("grandlivre web: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* Whether addr may be listened on: loopback always; another address only
 * with TLS, and 0.0.0.0 with --host (the name the browsers will use). */
static int check_listen(const web_app *app, const struct sockaddr_in *sa, const char *listen)
{
    if ((ntohl(sa->sin_addr.s_addr) >> 24) == 127)
        return 0;
    if (!app->tls_cert) {
        cli_error(
            "--listen %s: not a loopback address; listening on the network needs TLS "
            "(--tls-cert and --tls-key)",
            listen);
        return EXIT_USAGE;
    }
    if (sa->sin_addr.s_addr == htonl(INADDR_ANY) && !app->host_name) {
        cli_error("--listen %s: every address; give --host NAME, the name the browsers will use",
                  listen);
        return EXIT_USAGE;
    }
    return 0;
}

static struct MHD_Daemon *start(web_app *app, struct sockaddr_in *sa)
{
    /* poll(), not select(): no limit at FD_SETSIZE descriptors */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
    starting = true;
    start_log[0] = '\0';
    struct MHD_Daemon *d;
    if (app->tls_cert)
        d = MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL, on_request, app,
                             MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONNECTIONS_MAX,
                             MHD_OPTION_EXTERNAL_LOGGER, on_log, app, MHD_OPTION_HTTPS_MEM_CERT,
                             app->tls_cert, MHD_OPTION_HTTPS_MEM_KEY, app->tls_key, MHD_OPTION_END);
    else
        d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, app, MHD_OPTION_SOCK_ADDR,
                             (struct sockaddr *)sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONNECTIONS_MAX,
                             MHD_OPTION_EXTERNAL_LOGGER, on_log, app, MHD_OPTION_END);
    starting = false;
    return d;
}

int web_serve(web_app *app, const char *listen)
{
    struct sockaddr_in sa;
    int rc = parse_listen(listen, &sa);
    if (rc || (rc = check_listen(app, &sa, listen)))
        return rc;
    if (app->tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        cli_error("--tls-cert: this libmicrohttpd has no TLS");
        return EXIT_USAGE;
    }
    tls_on = app->tls_cert != NULL;
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGUSR1);
    sigaddset(&sigs, SIGPIPE);
    /* blocked before the server's thread starts, so that it inherits the mask */
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    web_sessions_init(&app->sessions, now_s());
    struct MHD_Daemon *d = start(app, &sa);
    if (!d) {
        if (app->tls_cert)
            cli_error(
                "--tls-cert/--tls-key: cannot serve TLS on %s: %s (a certificate and its "
                "key, in PEM, that match?)",
                listen ? listen : "127.0.0.1", start_log[0] ? start_log : "refused");
        else
            cli_error("cannot listen on %s (address in use?)", listen ? listen : "127.0.0.1");
        return EXIT_USAGE;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    app->port = info ? info->port : ntohs(sa.sin_port);
    char addr[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
    /* --host NAME:PORT as given; NAME alone gains the port listened on */
    if (app->host_name && strchr(app->host_name, ':'))
        snprintf(app->host, sizeof app->host, "%s", app->host_name);
    else
        snprintf(app->host, sizeof app->host, "%s:%u", app->host_name ? app->host_name : addr,
                 app->port);
    snprintf(cookie_name, sizeof cookie_name, "%sgl_session_%u", tls_on ? "__Host-" : "",
             app->port);
    print_url(app);
    for (;;) {
        int sig;
        if (sigwait(&sigs, &sig))
            break;
        if (sig == SIGUSR1) {
            pthread_mutex_lock(&app->lock);
            web_login_renew(&app->sessions, now_s());
            pthread_mutex_unlock(&app->lock);
            print_url(app);
        } else if (sig != SIGPIPE)
            break;
    }
    MHD_stop_daemon(d);
    web_state_remove(app);
    return 0;
}
