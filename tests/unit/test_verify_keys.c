/*
 * tests/unit/test_verify_keys.c — the --keys file of `grandlivre verify`
 * (gl_trusted_keys_parse): a public key is exactly 64 hex digits, either
 * case; any other character at any place, or one digit more or less, is
 * refused, named by its line.
 */
#include "client/verify/verify.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *text, gl_trusted_key **keys, size_t *n)
{
    char err[200];
    int st = gl_trusted_keys_parse(text, strlen(text), keys, n, err, sizeof err);
    if (st != GL_OK)
        cr_assert(!strncmp(err, "line ", 5), "%s", err);
    return st;
}

Test(verify_keys, sixty_four_hex_digits_in_either_case)
{
    char hex[65], text[200];
    for (int i = 0; i < 64; i++)
        hex[i] = "0123456789abcdefABCDEF"[(i * 7) % 22];
    hex[64] = '\0';
    snprintf(text, sizeof text, "alpha %s\naccountant %s\n", hex, hex);
    gl_trusted_key *keys;
    size_t n;
    cr_assert_eq(parse(text, &keys, &n), GL_OK);
    cr_assert_eq(n, 2);
    for (int i = 0; i < 32; i++) {
        unsigned byte;
        char two[3] = {hex[2 * i], hex[2 * i + 1], '\0'};
        sscanf(two, "%x", &byte);
        cr_assert_eq(keys[0].pk[i], byte, "byte %d", i);
    }
    cr_assert_eq(keys[1].role, GL_KEY_ROLE_ACCOUNTANT);
    free(keys);
}

Test(verify_keys, any_other_character_or_length_is_refused)
{
    char hex[66], text[200];
    gl_trusted_key *keys;
    size_t n;
    for (int at = 0; at < 64; at++)
        for (const char *bad = "gG:/@`x-"; *bad; bad++) {
            memset(hex, 'a', 64);
            hex[64] = '\0';
            hex[at] = *bad;
            snprintf(text, sizeof text, "alpha %s\n", hex);
            cr_assert_eq(parse(text, &keys, &n), GL_ERR_INPUT, "%s", text);
            cr_assert_null(keys);
        }
    memset(hex, 'a', 65);
    hex[65] = '\0';
    snprintf(text, sizeof text, "alpha %s\n", hex);
    cr_assert_eq(parse(text, &keys, &n), GL_ERR_INPUT);
    hex[63] = '\0';
    snprintf(text, sizeof text, "alpha %s\n", hex);
    cr_assert_eq(parse(text, &keys, &n), GL_ERR_INPUT);
}
