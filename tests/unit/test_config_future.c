/*
 * tests/unit/test_config_future.c — a tenant's `future_years` (how many
 * fiscal years after the current one its entries may be dated in): default
 * 1, 0 to 10 accepted, anything else reported at its line (what `-n`
 * prints).
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

static bool has_error(const gl_config *c, int line, const char *needle)
{
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    for (size_t i = 0; i < c->error_count; i++)
        if (!strncmp(c->errors[i], prefix, strlen(prefix)) && strstr(c->errors[i], needle))
            return true;
    return false;
}

Test(config_future, default_and_range, .fini = cleanup)
{
    write_conf(
        "[daemon]\ndata_dir = d\n"
        "[tenant a]\nname = A\nsiren = 123456789\n"
        "[tenant b]\nname = B\nsiren = 123456780\nfuture_years = 0\n"
        "[tenant c]\nname = C\nsiren = 123456781\nfuture_years = 10\n");
    gl_config c;
    cr_assert_eq(gl_config_load(path, &c), 0, "%s", c.error_count ? c.errors[0] : "");
    cr_assert_eq(c.tenants[0].future_years, 1);
    cr_assert_eq(c.tenants[1].future_years, 0);
    cr_assert_eq(c.tenants[2].future_years, 10);
    gl_config_free(&c);
}

Test(config_future, out_of_range_is_reported_at_its_line, .fini = cleanup)
{
    write_conf(
        "[daemon]\ndata_dir = d\n"
        "[tenant a]\nname = A\nsiren = 123456789\nfuture_years = 11\n"    /* line 6 */
        "[tenant b]\nname = B\nsiren = 123456780\nfuture_years = -1\n"    /* line 10 */
        "[tenant c]\nname = C\nsiren = 123456781\nfuture_years = two\n"); /* line 14 */
    gl_config c;
    cr_assert_gt(gl_config_load(path, &c), 0);
    cr_assert(has_error(&c, 6, "future_years must be 0 to 10"));
    cr_assert(has_error(&c, 10, "future_years must be 0 to 10"));
    cr_assert(has_error(&c, 14, "future_years must be 0 to 10"));
    gl_config_free(&c);
}
