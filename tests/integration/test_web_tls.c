/*
 * tests/integration/test_web_tls.c — `grandlivre web` over TLS and its
 * --new-token, run as a subprocess against a real daemon.
 *
 * web_tls: a self-signed certificate made here with openssl; HTTPS is
 * spoken by curl (verifying the certificate with --cacert), plain HTTP by
 * a socket.  HTTPS works and the cookie is Secure with HSTS; plain HTTP to
 * the TLS port gets no page; with --host a wrong Host is 421; a network
 * address is refused without TLS and served with it; a bad certificate or
 * key is one line and exit 2.
 * web_token: --new-token prints a URL that works once while the old one no
 * longer does; none running is exit 3 with a message; a stale state file
 * is removed and said.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;

static char cert[300], key[300];

static void setup(void)
{
    web_suite_init(&h, false);
    char drained[4096];
    h_cli_err(&h, drained, sizeof drained); /* load-chart's report */
    /* the state files of --new-token in this test's directory only */
    setenv("XDG_RUNTIME_DIR", h.dir, 1);
    snprintf(cert, sizeof cert, "%s/cert.pem", h.dir);
    snprintf(key, sizeof key, "%s/key.pem", h.dir);
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-subj /CN=compta.test -addext 'subjectAltName=DNS:compta.test,IP:127.0.0.1' "
             "-days 2 -keyout '%s' -out '%s' >/dev/null 2>&1",
             key, cert);
    cr_assert_eq(system(cmd), 0, "openssl made no certificate");
}

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_tls, .init = setup, .fini = teardown, .timeout = 120);
TestSuite(web_token, .init = setup, .fini = teardown, .timeout = 120);

/* An HTTPS request by curl to https://HOST/path, HOST resolved to
 * 127.0.0.1, the certificate checked against ours; Host sent as host if
 * not NULL.  The status, or 0 when curl failed (rep.exit). */
static int https(const char *path, const char *host, const char *cookie)
{
    char cmd[2048], name[128];
    snprintf(name, sizeof name, "%s", w.host);
    *strrchr(name, ':') = '\0';
    snprintf(cmd, sizeof cmd,
             "curl -sS --max-time 10 --cacert '%s' --resolve '%s:%d:127.0.0.1' -D - "
             "%s%s%s %s%s%s 'https://%s%s' 2>&1",
             cert, name, w.port, host ? "-H 'Host: " : "", host ? host : "", host ? "'" : "",
             cookie ? "-H 'Cookie: " : "", cookie ? cookie : "", cookie ? "'" : "", w.host, path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    static char all[1 << 17];
    size_t len = fread(all, 1, sizeof all - 1, p);
    all[len] = '\0';
    int st = pclose(p);
    rep.exit = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    int status = web_reply_take(all, len);
    return rep.exit ? (rep.status = 0) : status;
}

static void login_https(void)
{
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(https(path, NULL, NULL), 303, "%s %s", rep.head, rep.body);
    char *c = strstr(rep.head, "Set-Cookie: __Host-gl_session_");
    cr_assert_not_null(c, "%s", rep.head);
    cr_assert_eq(sscanf(c, "Set-Cookie: %99[^;]", w.cookie), 1);
}

Test(web_tls, https_works_with_the_certificate)
{
    char out[256];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece F-1 --label "
                       "'Fournitures TLS' --debit 606400=12,50 --credit 401000=12,50"),
                 0);
    char args[700];
    snprintf(args, sizeof args, "--tls-cert '%s' --tls-key '%s'", cert, key);
    web_start(K_ALPHA, args);
    cr_assert(!strncmp(w.url, "https://127.0.0.1:", 18), "printed: %s", w.url);
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(https(path, NULL, NULL), 303, "%s %s", rep.head, rep.body);
    /* the cookie is Secure, every answer carries HSTS */
    char *c = strstr(rep.head, "Set-Cookie: __Host-gl_session_");
    cr_assert_not_null(c, "%s", rep.head);
    char *eol = strstr(c, "\r\n");
    cr_assert_not_null(eol);
    *eol = '\0';
    cr_assert(strstr(c, "; Secure") && strstr(c, "HttpOnly") && strstr(c, "SameSite=Strict"), "%s",
              c);
    *eol = '\r';
    cr_assert_eq(sscanf(c, "Set-Cookie: %99[^;]", w.cookie), 1);
    cr_assert(strstr(rep.head, "Strict-Transport-Security: max-age="), "%s", rep.head);
    cr_assert_eq(https("/journal?from=2025&to=2025", NULL, w.cookie), 200, "%s", rep.body);
    cr_assert(strstr(rep.body, "Fournitures TLS") && strstr(rep.body, "12,50"), "%s", rep.body);
    cr_assert(strstr(rep.head, "Strict-Transport-Security: max-age="), "%s", rep.head);
}

Test(web_tls, plain_http_to_the_tls_port_gets_no_page)
{
    char args[700];
    snprintf(args, sizeof args, "--tls-cert '%s' --tls-key '%s'", cert, key);
    web_start(K_ALPHA, args);
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(http_try(path, NULL), 0, "plain HTTP answered: %s", rep.head);
    /* and the token was not spent by it */
    login_https();
    cr_assert_eq(https("/", NULL, w.cookie), 200);
}

Test(web_tls, plain_server_has_no_secure_cookie_nor_hsts)
{
    web_start(K_ALPHA, "");
    cr_assert(!strncmp(w.url, "http://127.0.0.1:", 17), "printed: %s", w.url);
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(http_get(path, NULL), 303, "%s", rep.head);
    cr_assert_null(strstr(rep.head, "Secure"), "%s", rep.head);
    cr_assert_null(strstr(rep.head, "Strict-Transport-Security"), "%s", rep.head);
}

Test(web_tls, host_name_accepted_and_wrong_host_421)
{
    char args[700];
    snprintf(args, sizeof args, "--tls-cert '%s' --tls-key '%s' --host compta.test", cert, key);
    web_start(K_ALPHA, args);
    cr_assert(!strncmp(w.url, "https://compta.test:", 20), "printed: %s", w.url);
    char path[128], evil[80], ip[80];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    snprintf(evil, sizeof evil, "rebind.example:%d", w.port);
    snprintf(ip, sizeof ip, "127.0.0.1:%d", w.port);
    cr_assert_eq(https(path, evil, NULL), 421, "%s", rep.head);
    cr_assert_eq(https(path, ip, NULL), 421, "with --host, the address is not the name");
    cr_assert_eq(https(path, "compta.test", NULL), 421, "the port is part of it");
    login_https(); /* the refused requests did not spend the token */
    cr_assert_eq(https("/", evil, w.cookie), 421);
    cr_assert_eq(https("/", NULL, w.cookie), 200);
    char upper[80];
    snprintf(upper, sizeof upper, "COMPTA.Test:%d", w.port);
    cr_assert_eq(https("/", upper, w.cookie), 200, "a name in capitals is the same name");
}

Test(web_tls, network_address_needs_tls)
{
    char out[512], err[1024];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --listen 0.0.0.0:0"), 2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "needs TLS"), "%s", err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --host compta.test"), 2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "--host compta.test: goes with --tls-cert"), "%s", err);
    /* every address: with TLS and --host, served; reached through 127.0.0.1 */
    char args[700];
    snprintf(args, sizeof args, "--listen 0.0.0.0:0 --tls-cert '%s' --tls-key '%s'", cert, key);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web %s", args), 2, "0.0.0.0 needs --host");
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "give --host NAME"), "%s", err);
    snprintf(args, sizeof args,
             "--listen 0.0.0.0:0 --tls-cert '%s' --tls-key '%s' --host compta.test", cert, key);
    web_start(K_ALPHA, args);
    cr_assert(!strncmp(w.url, "https://compta.test:", 20), "printed: %s", w.url);
    login_https();
    cr_assert_eq(https("/", NULL, w.cookie), 200);
}

Test(web_tls, bad_certificate_or_key_is_one_line_and_exit_2)
{
    char out[512], err[2048], junk[300], other_key[300];
    snprintf(junk, sizeof junk, "%s/junk.pem", h.dir);
    FILE *f = fopen(junk, "w");
    cr_assert_not_null(f);
    fputs("not a certificate\n", f);
    fclose(f);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out, "web --tls-cert '%s' --tls-key '%s'", junk, key), 2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "--tls-cert ") && strstr(err, "not a certificate in PEM"), "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "one line: %s", err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "web --tls-cert '%s/missing.pem' --tls-key '%s'", h.dir, key),
                 2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "missing.pem: cannot read it"), "%s", err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --tls-cert '%s'", cert), 2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "go together"), "%s", err);
    /* a key that is not the certificate's: refused when starting */
    snprintf(other_key, sizeof other_key, "%s/other.pem", h.dir);
    char cmd[700];
    snprintf(cmd, sizeof cmd,
             "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
             "-out '%s' >/dev/null 2>&1",
             other_key);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out, "web --tls-cert '%s' --tls-key '%s'", cert, other_key),
        2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "cannot serve TLS"), "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "one line: %s", err);
    cr_assert_eq(out[0], '\0', "no URL printed: %s", out);
}

/* --- web_token --- */

Test(web_token, new_token_prints_a_url_that_works_once)
{
    web_start(K_ALPHA, "");
    char old[65], out[600];
    snprintf(old, sizeof old, "%s", w.token);
    /* the state file is the user's alone */
    char path[400];
    snprintf(path, sizeof path, "%s/grandlivre/web-%d", h.dir, (int)w.pid);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token"), 0);
    char *nl = strchr(out, '\n');
    cr_assert_not_null(nl, "%s", out);
    *nl = '\0';
    web_take_url(out);
    cr_assert_neq(strcmp(old, w.token), 0, "a new token");
    char login_old[128], login_new[128];
    snprintf(login_old, sizeof login_old, "/login?token=%s", old);
    snprintf(login_new, sizeof login_new, "/login?token=%s", w.token);
    cr_assert_eq(http_get(login_old, NULL), 401, "the old token no longer works");
    cr_assert_eq(http_get(login_new, NULL), 303, "%s", rep.head);
    cr_assert_eq(http_get(login_new, NULL), 401, "the new one works once");
    /* with the --listen of the server, by its address */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token --listen %s", w.host), 0);
    cr_assert(strstr(out, "/login?token="), "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token --listen 127.0.0.1:1"), 3);
}

Test(web_token, none_running_is_exit_3)
{
    char out[256], err[1024];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token"), 3);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "no grandlivre web is running"), "%s", err);
    cr_assert_eq(out[0], '\0');
}

Test(web_token, stale_state_file_is_removed_and_said)
{
    char dir[400], path[460], out[256], err[1024];
    snprintf(dir, sizeof dir, "%s/grandlivre", h.dir);
    mkdir(dir, 0700);
    /* a pid that is gone: a child that has exited and been reaped */
    pid_t gone = fork();
    if (gone == 0)
        _exit(0);
    waitpid(gone, NULL, 0);
    snprintf(path, sizeof path, "%s/web-%d", dir, (int)gone);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "pid %d\nlisten -\nhost 127.0.0.1:9\nurl http://127.0.0.1:9/login?token=00\n",
            (int)gone);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token"), 3);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "removed a stale state file") && strstr(err, "no longer runs"), "%s",
              err);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0, "removed");
    /* the server removes its own file when it stops */
    web_start(K_ALPHA, "");
    snprintf(path, sizeof path, "%s/web-%d", dir, (int)w.pid);
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    web_stop();
    cr_assert_neq(stat(path, &st), 0, "removed on exit");
}

/* A killed server's pid given to another process: that process is never
 * signalled (SIGUSR1 would end it), because the server's lock is gone
 * with it (review of wave 8). */
Test(web_token, a_reused_pid_is_not_signalled)
{
    char dir[400], path[460], out[256], err[1024];
    snprintf(dir, sizeof dir, "%s/grandlivre", h.dir);
    mkdir(dir, 0700);
    pid_t other = fork();
    if (other == 0) {
        pause();
        _exit(0);
    }
    snprintf(path, sizeof path, "%s/web-%d", dir, (int)other);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "pid %d\nlisten -\nhost 127.0.0.1:9\nurl http://127.0.0.1:9/login?token=00\n",
            (int)other);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token"), 3);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "no longer runs"), "%s", err);
    int status;
    cr_assert_eq(waitpid(other, &status, WNOHANG), 0, "the other process still runs");
    kill(other, SIGKILL);
    waitpid(other, NULL, 0);
}

/* The state files hold login tokens: a directory others may enter is not
 * used (the server still serves; --new-token finds nothing). */
Test(web_token, state_directory_others_may_enter_is_not_used)
{
    char dir[400], out[600], err[2048];
    snprintf(dir, sizeof dir, "%s/grandlivre", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(chmod(dir, 0755), 0);
    web_start(K_ALPHA, "");
    char path[460];
    snprintf(path, sizeof path, "%s/web-%d", dir, (int)w.pid);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0, "no state file in a 0755 directory");
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --new-token"), 3);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "not a directory of this user's alone"), "%s", err);
    cr_assert_eq(http_get("/", NULL), 401, "the server serves all the same");
}
