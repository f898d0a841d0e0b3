/*
 * tests/unit/test_config_conflicts.c — configurations that contradict
 * themselves (issue 11, item 7): two sections of the same name, a setting
 * given twice, key names the keyring cannot record (cut inside a UTF-8
 * character, holding a TAB, too long, empty), and lines inih would read
 * otherwise than they look (indented continuations, lines too long for its
 * buffer, section headers without ']').  Each is refused with its line, all
 * of them at once, by gl_config_load — the one function both `grandlivred
 * -n` and the daemon's start call (tests/integration/test_config_start.c
 * checks the programs agree).
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
    snprintf(dir, sizeof dir, "/tmp/gl-confl-XXXXXX");
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
#define HEAD "[daemon]\ndata_dir = d\n[tenant t]\nname = T\nsiren = 123456789\n" /* lines 1-5 */

static bool has_error(const gl_config *c, int line, const char *needle)
{
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    for (size_t i = 0; i < c->error_count; i++)
        if (!strncmp(c->errors[i], prefix, strlen(prefix)) && strstr(c->errors[i], needle))
            return true;
    return false;
}

static void dump(const gl_config *c)
{
    for (size_t i = 0; i < c->error_count; i++)
        fprintf(stderr, "  %s\n", c->errors[i]);
}

/* Load text, expect exactly `count` errors (dumped on failure). */
static void load_expect(gl_config *c, const char *text, size_t count)
{
    write_conf(text);
    int n = gl_config_load(path, c);
    if ((size_t)n != count)
        dump(c);
    cr_assert_eq((size_t)n, count, "%d errors, expected %zu", n, count);
}

Test(config_conflicts, two_adjacent_key_sections_of_one_name_are_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c,
                HEAD "[key k]\npublic = " PUB_A
                     "\nrole = accountant\n"                                     /* 6-8 */
                     "[key k]\npublic = " PUB_B "\nrole = member\ntenant = t\n", /* 9-12 */
                1);
    cr_assert(has_error(&c, 9, "key 'k' defined twice (first at line 6)"));
    gl_config_free(&c);
}

Test(config_conflicts, two_distant_key_sections_of_one_name_are_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c,
                HEAD "[key k]\npublic = " PUB_A
                     "\nrole = accountant\n"                          /* 6-8 */
                     "[group]\numbrella = t\n"                        /* 9-10 */
                     "[key k]\npublic = " PUB_B "\nrole = auditor\n", /* 11-13 */
                1);
    cr_assert(has_error(&c, 11, "key 'k' defined twice (first at line 6)"));
    gl_config_free(&c);
}

Test(config_conflicts, an_empty_key_section_repeated_is_still_seen, .fini = cleanup)
{
    /* The first header carries no setting: inih calls no handler for it. */
    gl_config c;
    load_expect(&c, HEAD "[key k]\n[key k]\npublic = " PUB_A "\nrole = auditor\n", 3);
    cr_assert(has_error(&c, 7, "key 'k' defined twice (first at line 6)"));
    cr_assert(has_error(&c, 6, "key 'k' has no public key"));
    cr_assert(has_error(&c, 6, "key 'k' has no role"));
    gl_config_free(&c);
}

Test(config_conflicts, a_repeated_role_or_tenant_is_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c,
                HEAD
                "[tenant u]\nname = U\nsiren = 223456789\n" /* 6-8 */
                "[key k]\npublic = " PUB_A
                "\nrole = member\ntenant = t\n"    /* 9-12 */
                "role = accountant\ntenant = u\n", /* 13-14 */
                2);
    cr_assert(has_error(&c, 13, "'role' is set twice in [key k] (first at line 11)"));
    cr_assert(has_error(&c, 14, "'tenant' is set twice in [key k] (first at line 12)"));
    /* Nothing decided by the later line. */
    cr_assert_eq(c.keys[0].role, GL_ROLE_MEMBER);
    cr_assert_str_eq(c.keys[0].tenant, "t");
    gl_config_free(&c);
}

Test(config_conflicts, every_single_valued_setting_is_refused_twice, .fini = cleanup)
{
    gl_config c;
    load_expect(
        &c,
        "[daemon]\ndata_dir = d\ndata_dir = e\nbatch_max = 4\nbatch_max = 4\n"        /* 1-5 */
        "[tenant t]\nname = T\nsiren = 123456789\nfirst_month = 1\nfirst_month = 7\n" /* 6-10 */
        "code = TT\ncode = TT\nname = T2\nsiren = 123456789\n"                        /* 11-14 */
        "[group]\numbrella = t\numbrella = t\n"                                       /* 15-17 */
        "[key k]\npublic = " PUB_A "\npublic = " PUB_A
        "\nrole = auditor\nrevoked = no\nrevoked = yes\n", /* 18-23 */
        9);
    cr_assert(has_error(&c, 3, "'data_dir' is set twice in [daemon] (first at line 2)"));
    cr_assert(has_error(&c, 5, "'batch_max' is set twice"));
    cr_assert(has_error(&c, 10, "'first_month' is set twice in [tenant t] (first at line 9)"));
    cr_assert(has_error(&c, 12, "'code' is set twice"));
    cr_assert(has_error(&c, 13, "'name' is set twice"));
    cr_assert(has_error(&c, 14, "'siren' is set twice"));
    cr_assert(has_error(&c, 17, "'umbrella' is set twice in [group] (first at line 16)"));
    cr_assert(has_error(&c, 20, "'public' is set twice"));
    cr_assert(has_error(&c, 23, "'revoked' is set twice"));
    cr_assert_eq(c.tenants[0].first_month, 1);
    gl_config_free(&c);
}

Test(config_conflicts, daemon_and_group_sections_twice_are_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, HEAD "[group]\numbrella = t\n[daemon]\nbatch_max = 3\n[group]\n", 2);
    cr_assert(has_error(&c, 8, "[daemon] appears twice (first at line 1)"));
    cr_assert(has_error(&c, 10, "[group] appears twice (first at line 6)"));
    gl_config_free(&c);
}

Test(config_conflicts, a_tenant_defined_twice_names_the_first_line, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, HEAD "[tenant t]\nname = T\nsiren = 123456789\n", 1);
    cr_assert(has_error(&c, 6, "tenant 't' defined twice (first at line 3)"));
    gl_config_free(&c);
}

Test(config_conflicts, a_key_name_holding_a_tab_is_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, HEAD "[key bad\tname]\npublic = " PUB_A "\nrole = auditor\n", 1);
    cr_assert(has_error(&c, 6, "key name must be UTF-8 without control characters"));
    gl_config_free(&c);
}

Test(config_conflicts, a_key_name_with_invalid_utf8_is_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, HEAD "[key caf\xc3]\npublic = " PUB_A "\nrole = auditor\n", 1);
    cr_assert(has_error(&c, 6, "key name must be UTF-8 without control characters"));
    gl_config_free(&c);
}

Test(config_conflicts, a_key_name_inih_would_cut_inside_a_character_is_refused_or_kept_whole,
     .fini = cleanup)
{
    /* inih keeps 49 bytes of a section line: "key " + 44 ASCII + "é" is cut
     * inside the é.  The name is read whole instead (45 bytes + 1: fine). */
    char name[80], text[512];
    memset(name, 'a', 44);
    memcpy(name + 44, "\xc3\xa9", 3);
    snprintf(text, sizeof text, HEAD "[key %s]\npublic = " PUB_A "\nrole = auditor\n", name);
    gl_config c;
    load_expect(&c, text, 0);
    cr_assert_str_eq(c.keys[0].name, name);
    gl_config_free(&c);
    cleanup();
    /* 62 ASCII + "é" is 64 bytes: longer than a keyring name may be. */
    memset(name, 'b', 62);
    memcpy(name + 62, "\xc3\xa9", 3);
    snprintf(text, sizeof text, HEAD "[key %s]\npublic = " PUB_A "\nrole = auditor\n", name);
    load_expect(&c, text, 1);
    cr_assert(has_error(&c, 6, "key name is longer than 63 bytes"));
    gl_config_free(&c);
}

Test(config_conflicts, long_key_names_differing_late_stay_distinct, .fini = cleanup)
{
    char a[64], b[64], text[1024];
    memset(a, 'x', 60);
    a[60] = '\0';
    memcpy(b, a, sizeof a);
    b[59] = 'y';
    snprintf(text, sizeof text,
             HEAD "[key %s]\npublic = " PUB_A
                  "\nrole = auditor\n"
                  "[key %s]\npublic = " PUB_B "\nrole = auditor\n",
             a, b);
    gl_config c;
    load_expect(&c, text, 0);
    cr_assert_eq(c.key_count, 2);
    cr_assert_str_eq(c.keys[0].name, a);
    cr_assert_str_eq(c.keys[1].name, b);
    gl_config_free(&c);
}

Test(config_conflicts, empty_or_padded_key_names_are_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c,
                HEAD "[key ]\npublic = " PUB_A
                     "\nrole = auditor\n"                              /* 6-8 */
                     "[key  k]\npublic = " PUB_B "\nrole = auditor\n", /* 9-11 */
                2);
    cr_assert(has_error(&c, 6, "a key needs a name"));
    cr_assert(has_error(&c, 9, "key name must not begin or end with a space"));
    gl_config_free(&c);
}

Test(config_conflicts, an_indented_continuation_line_is_refused, .fini = cleanup)
{
    /* inih would hand "accountant" to the handler as a second `role`. */
    gl_config c;
    load_expect(&c, HEAD "[key k]\npublic = " PUB_A "\nrole = auditor\n  accountant\n", 1);
    cr_assert(has_error(&c, 9, "indented line"));
    cr_assert_eq(c.keys[0].role, GL_ROLE_AUDITOR);
    gl_config_free(&c);
}

Test(config_conflicts, an_indented_section_header_is_not_taken_as_a_value, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, HEAD "[key k]\npublic = " PUB_A "\nrole = auditor\n  [key j]\n", 1);
    cr_assert(has_error(&c, 9, "indented line"));
    gl_config_free(&c);
}

Test(config_conflicts, a_line_too_long_for_the_reader_is_refused_whole, .fini = cleanup)
{
    char text[1024], name[300];
    memset(name, 'n', 250);
    name[250] = '\0';
    /* The tail of the line would otherwise be read as a line of its own. */
    snprintf(text, sizeof text, HEAD "[tenant u]\nname = %s=x\nsiren = 223456789\n", name);
    gl_config c;
    load_expect(&c, text, 2);
    cr_assert(has_error(&c, 7, "line is longer than"));
    cr_assert(has_error(&c, 6, "tenant 'u' has no name"));
    gl_config_free(&c);
}

Test(config_conflicts, every_syntax_error_is_reported_not_only_the_first, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, HEAD "just words\n[key k\npublic = " PUB_A "\nmore words\n[daemon] junk\n", 5);
    cr_assert(has_error(&c, 6, "expected [section] or name = value"));
    cr_assert(has_error(&c, 7, "no closing ']'"));
    cr_assert(has_error(&c, 9, "expected [section] or name = value"));
    cr_assert(has_error(&c, 10, "text after ']'"));
    cr_assert(has_error(&c, 10, "[daemon] appears twice"));
    gl_config_free(&c);
}

Test(config_conflicts, settings_under_a_broken_header_go_nowhere, .fini = cleanup)
{
    /* Without its ']', "[key k" must not hand its settings to [tenant t]. */
    gl_config c;
    load_expect(&c, HEAD "[key k\nname = Other\n", 1);
    cr_assert(has_error(&c, 6, "no closing ']'"));
    cr_assert_str_eq(c.tenants[0].name, "T");
    gl_config_free(&c);
}

Test(config_conflicts, a_nul_byte_is_refused, .fini = cleanup)
{
    snprintf(dir, sizeof dir, "/tmp/gl-confl-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.conf", dir);
    static const char text[] = HEAD "[key k]\npublic = " PUB_A "\nrole = auditor\0accountant\n";
    FILE *f = fopen(path, "w");
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);
    gl_config c;
    /* The whole line is dropped: the key then has no role. */
    cr_assert_eq(gl_config_load(path, &c), 2);
    cr_assert(has_error(&c, 8, "NUL byte"));
    cr_assert(has_error(&c, 6, "key 'k' has no role"));
    gl_config_free(&c);
}

Test(config_conflicts, a_map_size_no_machine_can_map_is_refused, .fini = cleanup)
{
    gl_config c;
    load_expect(&c, "[daemon]\ndata_dir = d\nmap_size_mb = 1073741824\n", 1);
    cr_assert(has_error(&c, 3, "map_size_mb must be"));
    gl_config_free(&c);
}

Test(config_conflicts, malformed_endpoints_are_refused, .fini = cleanup)
{
    char text[1024], longpath[200];
    memset(longpath, 'p', 120);
    longpath[120] = '\0';
    snprintf(text, sizeof text,
             "[daemon]\ndata_dir = d\nendpoint = tcp://127.0.0.1\n"
             "[daemon]\nendpoint = tcp://:5555\n"
             "[daemon]\nendpoint = tcp://127.0.0.1:99999\n"
             "[daemon]\nendpoint = ipc:///tmp/%s\n",
             longpath);
    gl_config c;
    /* Three more errors for the repeated [daemon] sections. */
    load_expect(&c, text, 7);
    cr_assert(has_error(&c, 3, "tcp://HOST:PORT"));
    cr_assert(has_error(&c, 5, "tcp://HOST:PORT"));
    cr_assert(has_error(&c, 7, "tcp://HOST:PORT"));
    cr_assert(has_error(&c, 9, "ipc:// path is longer than"));
    gl_config_free(&c);
}

Test(config_conflicts, a_good_file_with_comments_and_a_bom_loads, .fini = cleanup)
{
    gl_config c;
    load_expect(&c,
                "\xef\xbb\xbf; comment\n[daemon] ; the daemon\ndata_dir = d ; here\n"
                "endpoint = tcp://127.0.0.1:5555\n\n  \n# other\n"
                "[tenant t]\nname = T\nsiren = 123456789\n"
                "[key Trésorière AGIIE]\npublic = " PUB_A "\nrole: member\ntenant = t\n",
                0);
    cr_assert_str_eq(c.keys[0].name, "Trésorière AGIIE");
    cr_assert_eq(c.keys[0].role, GL_ROLE_MEMBER);
    gl_config_free(&c);
}
