/*
 * tests/unit/test_config.c — the daemon's configuration: a valid file loads
 * with its tenants and keyring, relative paths are taken from the file's
 * directory, defaults apply, and each kind of mistake is reported with its
 * line (all of them, not only the first).
 */
#include "daemon/config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[128];

static void write_conf(const char *text)
{
    snprintf(dir, sizeof dir, "/tmp/gl-config-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.conf", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

#define PUB_A "aa00000000000000000000000000000000000000000000000000000000000001"
#define PUB_B "bb00000000000000000000000000000000000000000000000000000000000002"

static bool has_error(const gl_config *c, int line, const char *needle)
{
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    for (size_t i = 0; i < c->error_count; i++)
        if (!strncmp(c->errors[i], prefix, strlen(prefix)) && strstr(c->errors[i], needle))
            return true;
    return false;
}

Test(config, unknown_section_and_setting_are_reported, .fini = cleanup)
{
    write_conf("[daemon]\ndata_dir = d\ncolour = blue\n[tenants x]\nname = y\n");
    gl_config c;
    cr_assert_gt(gl_config_load(path, &c), 0);
    cr_assert(has_error(&c, 3, "unknown setting 'colour'"));
    cr_assert(has_error(&c, 4, "unknown section [tenants x]"));
    gl_config_free(&c);
}

Test(config, key_mistakes_are_each_reported, .fini = cleanup)
{
    write_conf(
        "[daemon]\ndata_dir = d\n[tenant t]\nname = T\nsiren = 123456789\n"
        "[key a]\npublic = " PUB_A
        "\nrole = member\n" /* 6-8: member without tenant */
        "[key b]\npublic = " PUB_A
        "\nrole = auditor\ntenant = t\n" /* 9-12: duplicate key, auditor with tenant */
        "[key c]\npublic = " PUB_B "\nrole = member\ntenant = nope\n"); /* 13-16 */
    gl_config c;
    cr_assert_gt(gl_config_load(path, &c), 0);
    cr_assert(has_error(&c, 6, "names no tenant"));
    cr_assert(has_error(&c, 9, "repeats the public key"));
    cr_assert(has_error(&c, 9, "only member keys name a tenant"));
    cr_assert(has_error(&c, 13, "unknown tenant 'nope'"));
    gl_config_free(&c);
}

Test(config, missing_file, .fini = cleanup)
{
    write_conf("");
    unlink(path);
    gl_config c;
    cr_assert_gt(gl_config_load(path, &c), 0);
    cr_assert(strstr(c.errors[0], "cannot open"));
    gl_config_free(&c);
}

Test(config, valid_file_loads, .fini = cleanup)
{
    write_conf(
        "# a comment\n[daemon]\ndata_dir = data\n\n"
        "[tenant gessa]\nname = GESSA — l'ombrelle\nsiren = 500000018\n\n"
        "[tenant vsm]\nname = Vital Services Mobilité\nsiren = 500000059\nfirst_month = 7\n\n"
        "[key acc]\npublic = " PUB_A
        "\nrole = accountant\n\n"
        "[key vsm]\npublic = " PUB_B "\nrole = member\ntenant = vsm\n");
    gl_config c;
    cr_assert_eq(gl_config_load(path, &c), 0, "%s", c.error_count ? c.errors[0] : "");
    char want[200];
    snprintf(want, sizeof want, "%s/data", dir);
    cr_assert_str_eq(c.data_dir, want);
    snprintf(want, sizeof want, "ipc://%s/data/grandlivred.sock", dir);
    cr_assert_str_eq(c.endpoint, want);
    cr_assert_eq(c.tenant_count, 2);
    cr_assert_eq(c.tenants[0].first_month, 1);
    cr_assert_eq(c.tenants[1].first_month, 7);
    const gl_tenant_cfg *t = gl_config_tenant(&c, "vsm", 3);
    cr_assert(t && !strcmp(t->name, "Vital Services Mobilité"));
    uint8_t pub[32] = {0xbb};
    pub[31] = 2;
    const gl_key_cfg *k = gl_config_key(&c, pub);
    cr_assert(k && k->role == GL_ROLE_MEMBER && !strcmp(k->tenant, "vsm"));
    pub[0] = 0xcc;
    cr_assert_null(gl_config_key(&c, pub));
    gl_config_free(&c);
}

/* [group] combination (issue 20): the combination ledger is a configured
 * tenant, not the umbrella, and no member key names it. */
#define GROUP_HEAD                                                      \
    "[daemon]\ndata_dir = d\n[tenant u]\nname = U\nsiren = 123456789\n" \
    "[tenant m]\nname = M\nsiren = 223456789\n[tenant c]\nname = C\nsiren = 323456789\n" /* 1-11 */

Test(config, a_combination_ledger_is_a_tenant_apart, .fini = cleanup)
{
    write_conf(GROUP_HEAD "[group]\numbrella = u\ncombination = c\n"); /* 12-14 */
    gl_config c;
    cr_assert_eq(gl_config_load(path, &c), 0, "%s", c.error_count ? c.errors[0] : "");
    cr_assert_str_eq(c.combination, "c");
    cr_assert(gl_config_is_combination(&c, "c"));
    cr_assert(!gl_config_is_combination(&c, "m") && !gl_config_is_combination(&c, "u"));
    gl_config_free(&c);
    cleanup();
    write_conf(GROUP_HEAD "[group]\numbrella = u\n");
    cr_assert_eq(gl_config_load(path, &c), 0);
    cr_assert(!gl_config_is_combination(&c, "c"));
    gl_config_free(&c);
}

Test(config, a_combination_ledger_must_be_a_tenant_not_the_umbrella, .fini = cleanup)
{
    gl_config c;
    write_conf(GROUP_HEAD "[group]\numbrella = u\ncombination = nope\n");
    cr_assert_eq(gl_config_load(path, &c), 1);
    cr_assert(has_error(&c, 12, "the combination ledger 'nope' is not a tenant"));
    gl_config_free(&c);
    cleanup();
    write_conf(GROUP_HEAD "[group]\numbrella = u\ncombination = u\n");
    cr_assert_eq(gl_config_load(path, &c), 1);
    cr_assert(has_error(&c, 12, "the combination ledger 'u' is the umbrella"));
    gl_config_free(&c);
    cleanup();
    write_conf(GROUP_HEAD "[group]\ncombination = c\n");
    cr_assert_eq(gl_config_load(path, &c), 1);
    cr_assert(has_error(&c, 12, "[group] needs umbrella"));
    gl_config_free(&c);
    cleanup();
    write_conf(GROUP_HEAD
               "[group]\numbrella = u\ncombination = c\n"
               "[key k]\npublic = " PUB_A "\nrole = member\ntenant = c\n"); /* 15-18 */
    cr_assert_eq(gl_config_load(path, &c), 1);
    cr_assert(has_error(&c, 15, "member key 'k' names the combination ledger 'c'"));
    gl_config_free(&c);
}
