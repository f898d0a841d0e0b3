/*
 * tests/integration/test_persons_guard.c — the review of issue 17's
 * personal data (after the merge): a sealed block that does not open is
 * refused, a forgotten person is never registered again, and a FORGET cut
 * off between its mark and its shredding leaves no secret key on disk nor
 * in a backup.  Each failed before its fix.
 */
#include "tests/support/harness.h"
#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"
#include "proto/third_party.h"
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static harness h;
static char backups[400];
static void setup(void)
{
    h_setup(&h);
    static const char *const chart[] = {"411000", "706000", "512000"};
    h_open_accounts(&h, "alpha", chart, 3);
    snprintf(backups, sizeof backups, "%s/backups", h.dir);
    cr_assert(mkdir(backups, 0700) == 0);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backups);
    h_write_config(&h);
    h_start(&h);
}
static void teardown(void) { h_teardown(&h); }
TestSuite(persons_guard, .init = setup, .fini = teardown, .timeout = 120);

static int code_call(enum h_key k, uint16_t kind, const char *code, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_person_code_encode(&b, (gl_str){code, strlen(code)});
    int st = h_call(&h, k, kind, "alpha", 0, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

static int tp_set(enum h_key k, const gl_third_party *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_TP_MODE_SET);
    gl_put_u16(&b, 1);
    gl_third_party_encode(&b, r);
    gl_response resp;
    int st = h_call(&h, k, GL_KIND_THIRD_PARTY_SET, "alpha", 0, b.data, b.len, &resp);
    if (st != GL_OK)
        fprintf(stderr, "tp_set: %d %.*s\n", st, (int)resp.reply.detail.len, resp.reply.detail.ptr);
    gl_response_free(&resp);
    gl_buf_free(&b);
    return st;
}

static int tp_list(enum h_key k)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_tp_list_encode(&b, &(gl_tp_list_q){{"", 0}, {"", 0}});
    gl_response resp;
    int st = h_call(&h, k, GL_KIND_THIRD_PARTIES, "alpha", 0, b.data, b.len, &resp);
    gl_response_free(&resp);
    gl_buf_free(&b);
    return st;
}

Test(persons_guard, a_sealed_block_that_does_not_open_is_refused)
{
    cr_assert_eq(tp_list(K_AUDITOR), GL_OK);
    gl_response r;
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0200", &r), GL_OK);
    gl_response_free(&r);
    uint8_t junk[60];
    randombytes_buf(junk, sizeof junk);
    gl_third_party t = {.code = {"U0200", 5},
                        .kind = GL_TP_CUSTOMER,
                        .collective = {"411000", 6},
                        .flags = GL_TP_NATURAL_PERSON | GL_TP_SEALED,
                        .ident = {(const char *)junk, sizeof junk}};
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(tp_set(K_ALPHA, &t), GL_ERR_BAD_THIRD_PARTY, "a block that does not open");
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
    int st = tp_list(K_AUDITOR);
    cr_expect_eq(st, GL_OK, "THIRD_PARTIES of the whole tenant fails with %d", st);
}

Test(persons_guard, a_forgotten_person_is_never_registered_again)
{
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\nretention_years = 1\n",
             backups);
    h_write_config(&h);
    h_start(&h);
    gl_response r;
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0300", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(code_call(K_ACCOUNTANT, GL_KIND_FORGET, "U0300", &r), GL_OK);
    gl_response_free(&r);
    gl_third_party t = {.code = {"U0300", 5},
                        .kind = GL_TP_CUSTOMER,
                        .collective = {"411000", 6},
                        .flags = 0,
                        .name = {"Jeanne Dupont", 13}};
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_expect_eq(tp_set(K_ALPHA, &t), GL_ERR_PERSON_FORGOTTEN,
                 "a forgotten person re-registered in clear by a member");
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
}

Test(persons_guard, a_forget_cut_off_leaves_no_key_on_disk_nor_in_a_backup)
{
    gl_response r;
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0400", &r), GL_OK);
    gl_response_free(&r);
    /* the state a kill -9 between persons_destroy's .gone and its shred leaves */
    char t[64], c[64], gone[700], key[700];
    sodium_bin2hex(t, sizeof t, (const unsigned char *)"alpha", 5);
    sodium_bin2hex(c, sizeof c, (const unsigned char *)"U0400", 5);
    snprintf(key, sizeof key, "%s/data/persons/%s/%s.key", h.dir, t, c);
    snprintf(gone, sizeof gone, "%s/data/persons/%s/%s.gone", h.dir, t, c);
    FILE *f = fopen(gone, "wb");
    cr_assert(f);
    fwrite("GLPG\x01\x01\x34\x56\x78", 1, 9, f);
    fclose(f);
    h_kill9(&h);
    h_start(&h);
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0400", &r), GL_ERR_PERSON_FORGOTTEN);
    gl_response_free(&r);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_str16(&b, "b1", 2);
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BACKUP, "", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    struct stat sb;
    char copy[800];
    snprintf(copy, sizeof copy, "%s/b1.persons/%s/%s.key", backups, t, c);
    cr_expect(stat(key, &sb) != 0,
              "the secret key of a forgotten person is still in DATA_DIR after restart");
    cr_expect(stat(copy, &sb) != 0, "BACKUP copied the secret key of a forgotten person");
}
