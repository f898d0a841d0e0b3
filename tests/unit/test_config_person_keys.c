/*
 * tests/unit/test_config_person_keys.c — `[daemon] person_keys_max` (wave
 * 11, PERSON_KEY's cap per tenant): 100,000 by default, 1-10,000,000 when
 * set, anything else reported with its line.
 */
#include "daemon/config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void load(const char *extra, gl_config *c, int *errors)
{
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/tmp/gl-person-keys-XXXXXX");
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

Test(config_person_keys, a_hundred_thousand_by_default_and_the_setting_read)
{
    gl_config c;
    int errors;
    load("", &c, &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(c.person_keys_max, 100000);
    gl_config_free(&c);
    load("person_keys_max = 2\n", &c, &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(c.person_keys_max, 2);
    gl_config_free(&c);
}

Test(config_person_keys, out_of_range_is_reported_at_its_line)
{
    static const char *const bad[] = {"0", "10000001", "many", "-1", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "person_keys_max = %s\n", bad[i]);
        gl_config c;
        int errors;
        load(line, &c, &errors);
        cr_expect_gt(errors, 0, "person_keys_max = %s accepted", bad[i]);
        bool found = false;
        for (size_t k = 0; k < c.error_count; k++)
            found |= strstr(c.errors[k], ":3: person_keys_max must be from 1 to 10000000") != NULL;
        cr_expect(found, "person_keys_max = %s: no message at line 3", bad[i]);
        gl_config_free(&c);
    }
}
