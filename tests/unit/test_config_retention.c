/*
 * tests/unit/test_config_retention.c — `[daemon] retention_years` (issue
 * 17, FORGET): ten years by default (Code de commerce L123-22), 1-100 when
 * set, anything else reported with its line.
 */
#include "daemon/config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[128];

static void load(const char *extra, gl_config *c, int *errors)
{
    snprintf(dir, sizeof dir, "/tmp/gl-retention-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.conf", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "[daemon]\ndata_dir = d\n%s[tenant t]\nname = T\nsiren = 123456789\n", extra);
    fclose(f);
    *errors = gl_config_load(path, c);
    unlink(path);
    rmdir(dir);
}

Test(config_retention, ten_years_by_default_and_the_setting_read)
{
    gl_config c;
    int errors;
    load("", &c, &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(c.retention_years, 10);
    gl_config_free(&c);
    load("retention_years = 6\n", &c, &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(c.retention_years, 6);
    gl_config_free(&c);
}

Test(config_retention, out_of_range_is_reported_at_its_line)
{
    static const char *const bad[] = {"0", "101", "ten", "-1", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "retention_years = %s\n", bad[i]);
        gl_config c;
        int errors;
        load(line, &c, &errors);
        cr_expect_gt(errors, 0, "retention_years = %s accepted", bad[i]);
        bool found = false;
        for (size_t k = 0; k < c.error_count; k++)
            found |= strstr(c.errors[k], ":3: retention_years must be from 1 to 100") != NULL;
        cr_expect(found, "retention_years = %s: no message at line 3", bad[i]);
        gl_config_free(&c);
    }
}
