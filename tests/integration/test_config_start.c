/*
 * tests/integration/test_config_start.c — `grandlivred -n` and the daemon's
 * start agree exactly (issue 11, item 7): for each configuration that
 * contradicts itself or that the daemon could not run with, `-n` fails
 * naming the line, and starting the daemon on the same file fails with the
 * same `file:line: message` lines and leaves no ledger behind; a good file
 * passes both.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;

static void teardown(void) { h_teardown(&h); }

/* Run cmd (stderr into out), return its exit status (-1 if killed). */
static int run(const char *cmd, char *out, size_t out_len)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The lines of text that start with prefix, in order, into out. */
static void lines_with(const char *text, const char *prefix, char *out, size_t out_len)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *l = text; *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) + 1 : strlen(l);
        if (!strncmp(l, prefix, strlen(prefix)) && used + len < out_len) {
            memcpy(out + used, l, len);
            used += len;
            out[used] = '\0';
        }
        l += len;
    }
}

/* A configuration with the harness's keys, tenants alpha and beta, and
 * `tail` appended; written next to the harness's own.  endpoint NULL: an
 * ipc socket in the harness's directory. */
static void write_config(const char *path, const char *endpoint, const char *tail)
{
    char alpha[65], acc[65], ep[400];
    if (endpoint)
        snprintf(ep, sizeof ep, "%s", endpoint);
    else
        snprintf(ep, sizeof ep, "ipc://%s/bad.sock", h.dir);
    gl_hex(h.keys[K_ALPHA].pk, 32, alpha);
    gl_hex(h.keys[K_ACCOUNTANT].pk, 32, acc);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f,
            "[daemon]\ndata_dir = bad-data\nendpoint = %s\n"            /* 1-3 */
            "[tenant alpha]\nname = Alpha\nsiren = 111111111\n"         /* 4-6 */
            "[tenant beta]\nname = Beta\nsiren = 222222222\n"           /* 7-9 */
            "[key alpha]\npublic = %s\nrole = member\ntenant = alpha\n" /* 10-13 */
            "[key accountant]\npublic = %s\nrole = accountant\n"        /* 14-16 */
            "%s",
            ep, alpha, acc, tail);
    cr_assert(fclose(f) == 0);
}

/* -n and the daemon's start on path both fail, with the same error lines,
 * one of which names `line` and holds `needle`. */
static void both_refuse(const char *path, int line, const char *needle)
{
    char cmd[1024], out_n[8192], out_start[8192], errs_n[8192], errs_start[8192], prefix[400];
    snprintf(prefix, sizeof prefix, "%s:", path);
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -n -c '%s' 2>&1", h_build_dir(), path);
    cr_assert_eq(run(cmd, out_n, sizeof out_n), 1, "-n accepted it:\n%s", out_n);
    /* A daemon that wrongly starts is stopped by timeout (exit 124). */
    snprintf(cmd, sizeof cmd, "timeout 10 '%s/grandlivred' -c '%s' 2>&1", h_build_dir(), path);
    cr_assert_eq(run(cmd, out_start, sizeof out_start), 1,
                 "the daemon did not refuse to start:\n%s", out_start);
    lines_with(out_n, prefix, errs_n, sizeof errs_n);
    lines_with(out_start, prefix, errs_start, sizeof errs_start);
    char want[400];
    snprintf(want, sizeof want, "%s:%d: ", path, line);
    cr_assert(strstr(errs_n, want) && strstr(strstr(errs_n, want), needle),
              "-n does not report '%s' at line %d:\n%s", needle, line, out_n);
    cr_assert_str_eq(errs_start, errs_n, "the daemon's start and -n disagree.\n-n:\n%s\nstart:\n%s",
                     out_n, out_start);
    /* The refused start created no ledger. */
    char data[400];
    struct stat sb;
    snprintf(data, sizeof data, "%s/bad-data/data.mdb", h.dir);
    cr_assert(stat(data, &sb) != 0, "a refused start left %s", data);
}

static void check_case(const char *tail, int line, const char *needle)
{
    char path[400];
    snprintf(path, sizeof path, "%s/bad.conf", h.dir);
    write_config(path, NULL, tail);
    both_refuse(path, line, needle);
}

Test(config_start, a_key_name_with_a_tab_is_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    char tail[256], pub[65];
    gl_hex(h.keys[K_AUDITOR].pk, 32, pub);
    snprintf(tail, sizeof tail, "[key audi\ttor]\npublic = %s\nrole = auditor\n", pub);
    check_case(tail, 17, "without control characters");
}

Test(config_start, a_key_name_cut_inside_a_character_is_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    char tail[256], pub[65], name[80];
    gl_hex(h.keys[K_AUDITOR].pk, 32, pub);
    memset(name, 'a', 62);
    memcpy(name + 62, "\xc3\xa9", 3); /* 64 bytes: a 63-byte buffer cuts the é */
    snprintf(tail, sizeof tail, "[key %s]\npublic = %s\nrole = auditor\n", name, pub);
    check_case(tail, 17, "longer than 63 bytes");
}

Test(config_start, two_key_sections_of_one_name_are_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    char tail[256], pub[65];
    gl_hex(h.keys[K_AUDITOR].pk, 32, pub);
    snprintf(tail, sizeof tail, "[key accountant]\npublic = %s\nrole = auditor\n", pub);
    check_case(tail, 17, "key 'accountant' defined twice (first at line 14)");
}

Test(config_start, a_repeated_role_is_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    check_case("role = accountant\n", 17, "'role' is set twice in [key accountant]");
}

Test(config_start, a_repeated_tenant_line_is_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    char tail[256], pub[65];
    gl_hex(h.keys[K_BETA].pk, 32, pub);
    snprintf(tail, sizeof tail,
             "[key beta]\npublic = %s\nrole = member\ntenant = beta\ntenant = alpha\n", pub);
    check_case(tail, 21, "'tenant' is set twice in [key beta] (first at line 20)");
}

Test(config_start, a_repeated_daemon_section_is_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    check_case("[group]\numbrella = alpha\n[daemon]\n", 19,
               "[daemon] appears twice (first at line 1)");
}

Test(config_start, an_unbindable_endpoint_is_refused_by_n_and_at_start, .fini = teardown)
{
    h_setup(&h);
    char path[400], endpoint[200];
    snprintf(path, sizeof path, "%s/bad.conf", h.dir);
    memset(endpoint, 's', sizeof endpoint);
    memcpy(endpoint, "ipc:///tmp/", 11);
    endpoint[130] = '\0'; /* longer than a socket path may be */
    write_config(path, endpoint, "");
    both_refuse(path, 3, "ipc:// path is longer than");
    write_config(path, "tcp://127.0.0.1", "");
    both_refuse(path, 3, "tcp://HOST:PORT");
}

Test(config_start, a_good_configuration_passes_n_and_starts, .fini = teardown)
{
    h_setup(&h); /* the harness's own configuration: the daemon started on it */
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -n -c '%s' 2>&1", h_build_dir(), h.config);
    cr_assert_eq(run(cmd, out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "configuration ok"), "%s", out);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), 0);
}
