/*
 * tests/unit/test_profile.c — the client's configuration file
 * (client/cli/profile.c): where it is, reading a profile (values, lines,
 * key paths), every mistake refused at its file:line, an absent or
 * unknown profile, rewriting one profile and keeping the others; and the
 * precedence cli_parse applies (flags > environment > file), with where
 * each setting came from.
 */
#include "client/cli/cli.h"
#include "client/cli/profile.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], path[128], err[1024];

#define SK "abababababababababababababababababababababababababababababababab"

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-profile-XXXXXX");
    cr_assert(mkdtemp(dir));
    char sub[96];
    snprintf(sub, sizeof sub, "%s/grandlivre", dir);
    cr_assert(mkdir(sub, 0700) == 0);
    snprintf(path, sizeof path, "%s/grandlivre/config", dir);
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("GRANDLIVRE_PROFILE");
    unsetenv("GRANDLIVRE_ENDPOINT");
    unsetenv("GRANDLIVRE_SERVER_KEY");
    unsetenv("GRANDLIVRE_KEY");
    unsetenv("GRANDLIVRE_TENANT");
    unsetenv("GRANDLIVRE_LANG"); /* the harness sets it for the CLIs it runs */
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
}

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

TestSuite(profile, .init = setup, .fini = teardown);

Test(profile, path_xdg_then_home)
{
    char p[256];
    setenv("XDG_CONFIG_HOME", "/x/y", 1);
    setenv("HOME", "/home/t", 1);
    cr_assert(profile_path(p, sizeof p) == 0);
    cr_assert_str_eq(p, "/x/y/grandlivre/config");
    setenv("XDG_CONFIG_HOME", "relative", 1); /* ignored, as the XDG rule says */
    cr_assert(profile_path(p, sizeof p) == 0);
    cr_assert_str_eq(p, "/home/t/.config/grandlivre/config");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    cr_assert(profile_path(p, sizeof p) == -1);
}

Test(profile, reads_the_named_profile)
{
    setenv("HOME", "/home/t", 1);
    write_file(
        "; the treasurer's\n[default]\nendpoint = ipc:///a.sock\nserver_key = " SK
        "\nkey = ~/k.key\n\n"
        "[work]\nendpoint = tcp://h:5\nkey = keys/w.key\ntenant = beta\nformat = json\nlang = fr\n");
    profile p;
    cr_assert_eq(profile_load(&p, path, "work", true, err, sizeof err), GL_OK, "%s", err);
    cr_assert(p.file_found && p.found);
    cr_assert_str_eq(p.value[PF_ENDPOINT], "tcp://h:5");
    cr_assert_eq(p.line[PF_ENDPOINT], 8);
    cr_assert_eq(p.line[PF_SERVER_KEY], 0, "not in [work]: not taken from [default]");
    char want[256];
    snprintf(want, sizeof want, "%s/grandlivre/keys/w.key", dir);
    cr_assert_str_eq(p.value[PF_KEY], want, "relative to the file's directory");
    cr_assert_str_eq(p.value[PF_TENANT], "beta");
    cr_assert_str_eq(p.value[PF_FORMAT], "json");
    cr_assert_str_eq(p.value[PF_LANG], "fr");
    cr_assert_eq(profile_load(&p, path, "default", false, err, sizeof err), GL_OK, "%s", err);
    cr_assert_str_eq(p.value[PF_KEY], "/home/t/k.key");
    cr_assert_str_eq(p.value[PF_SERVER_KEY], SK);
}

Test(profile, absent_file_or_profile)
{
    profile p;
    cr_assert_eq(profile_load(&p, path, "default", false, err, sizeof err), GL_OK,
                 "no file, nothing named: fine");
    cr_assert(!p.file_found && !p.found);
    cr_assert_eq(profile_load(&p, path, "work", true, err, sizeof err), GL_ERR_NO_PROFILE);
    cr_assert(strstr(err, "does not exist"), "%s", err);
    write_file("[default]\ntenant = alpha\n[home]\ntenant = beta\n");
    cr_assert_eq(profile_load(&p, path, "default", false, err, sizeof err), GL_OK);
    cr_assert_eq(profile_load(&p, path, "work", true, err, sizeof err), GL_ERR_NO_PROFILE);
    cr_assert(strstr(err, "no profile [work]") && strstr(err, "it has: default, home"), "%s", err);
    cr_assert_eq(profile_load(&p, path, "a/b", true, err, sizeof err), GL_ERR_NO_PROFILE,
                 "not a name");
}

Test(profile, mistakes_named_at_their_line)
{
    static const struct {
        const char *text;
        int line;
        const char *says;
    } cases[] = {
        {"[default]\nendpont = ipc:///a\n", 2, "unknown setting 'endpont'"},
        {"tenant = alpha\n[default]\n", 1, "outside a [profile] section"},
        {"[default]\ntenant = alpha\n\ntenant = beta\n", 4,
         "given twice in this profile (first at line 2)"},
        {"[a]\n[b]\n[a]\n", 3, "profile [a] given twice (first at line 1)"},
        {"[default]\nserver_key = abcd\n", 2, "server_key must be 64 hex digits"},
        {"[default]\nformat = xml\n", 2, "format must be table"},
        {"[default]\nlang = de\n", 2, "lang must be fr, en or auto"},
        {"[default]\ntenant = Alpha!\n", 2, "not a tenant id"},
        {"[default]\nendpoint = /tmp/sock\n", 2, "not an endpoint"},
        {"[default]\ntenant = alpha\n  key = k\n", 3, "indented line"},
        {"[default]\ntenant = alpha\n   key = k\n", 3, "indented line"},
        {"\xef\xbb\xbf[default]\ntenant = alpha\n\tkey = k\n", 3, "indented line"},
        {"[default]\njust words\n", 2, "neither a [profile] header nor a setting"},
        {"[default\n", 1, "no closing ']'"},
        {"[bad name]\n", 1, "a profile name is"},
        {"[default] x\n", 1, "text after the section header"},
        {"[other]\nformat = nope\n[default]\n", 2, "format must be"}, /* every profile is checked */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(cases[i].text);
        profile p;
        int st = profile_load(&p, path, "default", false, err, sizeof err);
        cr_assert_eq(st, GL_ERR_CONFIG_INVALID, "case %zu: %d %s", i, st, err);
        char where[160];
        snprintf(where, sizeof where, "%s:%d: ", path, cases[i].line);
        cr_assert(!strncmp(err, where, strlen(where)), "case %zu: want %s, got %s", i, where, err);
        cr_assert(strstr(err, cases[i].says), "case %zu: %s", i, err);
        cr_assert(!p.found && !p.value[PF_TENANT][0], "case %zu: nothing of a bad file is used", i);
    }
}

Test(profile, long_line_refused)
{
    char text[600] = "[default]\nendpoint = ipc:///";
    memset(text + strlen(text), 'a', 400);
    strcat(text, "\n");
    write_file(text);
    profile p;
    cr_assert_eq(profile_load(&p, path, "default", false, err, sizeof err), GL_ERR_CONFIG_INVALID);
    cr_assert(strstr(err, ":2: line is longer than"), "%s", err);
}

Test(profile, render_replaces_one_profile_keeps_the_others)
{
    const char *v1[PF_COUNT] = {"ipc:///a.sock", SK, "/k.key", "alpha", NULL, ""};
    char *a = profile_render(NULL, "default", v1);
    cr_assert_str_eq(a, "[default]\nendpoint   = ipc:///a.sock\nserver_key = " SK
                        "\nkey        = /k.key\n"
                        "tenant     = alpha\n");
    const char *v2[PF_COUNT] = {"tcp://h:5", SK, "/w.key", NULL, "json", "fr"};
    char *b = profile_render(a, "work", v2);
    cr_assert(!strncmp(b, a, strlen(a)) && strstr(b, "\n\n[work]\nendpoint   = tcp://h:5\n"), "%s",
              b);
    const char *v3[PF_COUNT] = {"ipc:///new.sock", SK, "/k.key", NULL, NULL, NULL};
    char *c = profile_render(b, "default", v3);
    cr_assert(!strncmp(c, "[default]\nendpoint   = ipc:///new.sock\n", 38), "%s", c);
    cr_assert(!strstr(c, "alpha") && strstr(c, "[work]\nendpoint   = tcp://h:5"), "%s", c);
    write_file(c);
    profile p;
    cr_assert_eq(profile_load(&p, path, "work", true, err, sizeof err), GL_OK, "%s", err);
    cr_assert_str_eq(p.value[PF_LANG], "fr");
    free(a);
    free(b);
    free(c);
}

/* cli_parse over argv (a copy: getopt permutes it). */
static int parse(cli *c, int argc, const char *const *args)
{
    static char *argv[16];
    for (int i = 0; i < argc; i++)
        argv[i] = (char *)args[i];
    char **av = argv;
    return cli_parse(c, &argc, &av, NULL, NULL, NULL, "help\n");
}

TestSuite(precedence, .init = setup, .fini = teardown);

Test(precedence, flags_then_environment_then_file)
{
    write_file("[default]\nendpoint = ipc:///file.sock\nserver_key = " SK
               "\nkey = /file.key\ntenant = alpha\n"
               "format = csv\nlang = fr\n");
    setenv("GRANDLIVRE_KEY", "/env.key", 1);
    setenv("GRANDLIVRE_TENANT", "beta", 1);
    cli c;
    const char *args[] = {"balance", "--tenant", "gamma", "--format", "json"};
    cr_assert_eq(parse(&c, 5, args), 0);
    cr_assert_str_eq(c.endpoint, "ipc:///file.sock");
    cr_assert_eq(c.source[PF_ENDPOINT], SRC_FILE);
    cr_assert_str_eq(c.key_path, "/env.key");
    cr_assert_eq(c.source[PF_KEY], SRC_ENV);
    cr_assert_str_eq(c.tenant, "gamma");
    cr_assert_eq(c.source[PF_TENANT], SRC_FLAG);
    cr_assert_eq(c.format, OUT_JSON);
    cr_assert_eq(c.source[PF_FORMAT], SRC_FLAG);
    cr_assert_str_eq(c.lang, "fr");
    const char *bare[] = {"balance"};
    cr_assert_eq(parse(&c, 1, bare), 0);
    cr_assert_str_eq(c.tenant, "beta");
    cr_assert_eq(c.source[PF_TENANT], SRC_ENV);
    cr_assert_eq(c.format, OUT_CSV, "the file's format when no flag");
    cr_assert_eq(c.source[PF_FORMAT], SRC_FILE);
}

Test(precedence, profile_flag_then_environment)
{
    write_file("[default]\ntenant = alpha\n[a]\ntenant = beta\n[b]\ntenant = gamma\n");
    cli c;
    const char *bare[] = {"balance"};
    cr_assert_eq(parse(&c, 1, bare), 0);
    cr_assert_str_eq(c.tenant, "alpha");
    setenv("GRANDLIVRE_PROFILE", "a", 1);
    cr_assert_eq(parse(&c, 1, bare), 0);
    cr_assert_str_eq(c.tenant, "beta");
    cr_assert_str_eq(c.prof.name, "a");
    const char *flag[] = {"balance", "--profile", "b"};
    cr_assert_eq(parse(&c, 3, flag), 0);
    cr_assert_str_eq(c.tenant, "gamma");
    const char *none[] = {"balance", "--profile", "c"};
    cr_assert_eq(parse(&c, 3, none), EXIT_USAGE, "a named profile the file lacks");
}

Test(precedence, bad_file_refused)
{
    write_file("[default]\ntenant = alpha\ntimeout = 5\n");
    cli c;
    const char *bare[] = {"balance"};
    cr_assert_eq(parse(&c, 1, bare), EXIT_USAGE);
    const char *help[] = {"balance", "--help"};
    cr_assert_eq(parse(&c, 2, help), -1, "--help needs no configuration");
}
