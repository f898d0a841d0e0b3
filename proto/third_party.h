/*
 * proto/third_party.h — the registry of third parties (PROTOCOL.md §5.22,
 * issue 17): one record per auxiliary code of a tenant, its codec, the
 * bodies of THIRD_PARTY_SET (22) and THIRD_PARTIES (23), and the checks of
 * its fields (SIREN/SIRET by Luhn, IBAN by ISO 13616 MOD 97-10, a light
 * e-mail syntax).
 *
 * A record's canonical bytes (the chain event's payload, the stored value):
 *   code str8 | kind u8 | collective str8 | siren str8 | terms_days u16 |
 *   flags u8 | ident_len u16 | ident[ident_len]
 * ident, the identifying block, is name str8 | address str16 | email str8 |
 * iban str8 when flags has no GL_TP_SEALED; a later version replaces it, for
 * a natural person, by its crypto_box_seal'ed form (GL_TP_SEALED) without
 * another layout: nothing outside the block identifies the person.
 * Pure: no allocation; decoded strings point into the bytes.
 */
#ifndef GL_THIRD_PARTY_H
#define GL_THIRD_PARTY_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gl_tp_kind {
    GL_TP_CUSTOMER = 1, /* user or customer (411) */
    GL_TP_SUPPLIER,     /* 401 */
    GL_TP_FUNDER,       /* 441 */
    GL_TP_EMPLOYEE,     /* 421 */
    GL_TP_GROUP,        /* another entity of the group (from the configuration) */
    GL_TP_OTHER,
    GL_TP_KIND_MAX_ = GL_TP_OTHER,
};

#define GL_TP_NATURAL_PERSON 0x01 /* a private person (RGPD) */
#define GL_TP_SEALED 0x02         /* ident is sealed to the person's key (proto/seal.h) */
#define GL_TP_FLAGS_KNOWN 0x03
/* The shortest sealed block: the empty fields' prefixes (1 + 2 + 1 + 1)
 * and crypto_box_seal's 48 bytes. */
#define GL_TP_SEALED_MIN (5 + 48)

#define GL_TP_ADDRESS_MAX 400
#define GL_TP_EMAIL_MAX 254
#define GL_TP_IBAN_MAX 34
#define GL_TP_TERMS_MAX 365
#define GL_TP_SET_MAX 1000 /* records in one THIRD_PARTY_SET */
#define GL_TP_PAGE_MAX 500 /* registry records in one THIRD_PARTIES reply */

typedef struct gl_third_party {
    gl_str code, collective, siren;
    uint8_t kind, flags;
    uint16_t terms_days;
    gl_str ident; /* the identifying block, as encoded */
    gl_str name, address, email, iban;
    const uint8_t *raw; /* the record's canonical bytes (decode only) */
    size_t raw_len;
} gl_third_party;

/* The canonical bytes of r (ident built from name/address/email/iban; a
 * sealed record's ident as it is). */
void gl_third_party_encode(gl_buf *b, const gl_third_party *r);
/* One record from c (syntax only: lengths, UTF-8, the block's own
 * layout); GL_OK or the cursor's status. */
int gl_third_party_get(gl_cur *c, gl_third_party *out);
/* The record's field rules: GL_OK, or GL_ERR_BAD_THIRD_PARTY with *field
 * the name of the field at fault ("code", "siret", "iban", ...). */
int gl_third_party_check(const gl_third_party *r, const char **field);

bool gl_siren_valid(gl_str s); /* 9 (SIREN) or 14 (SIRET) digits, Luhn */
bool gl_iban_valid(gl_str s);  /* upper case, no spaces, MOD 97-10 */
bool gl_email_valid(gl_str s); /* one @, a dot after it, no space */
/* The kind's name ("customer", ...), or NULL; and back (0 if none). */
const char *gl_tp_kind_name(uint8_t kind);
uint8_t gl_tp_kind_of(const char *name);

/* THIRD_PARTY_SET: mode u8 (0 add or replace, 1 add only) | count u16 |
 * record*count. */
#define GL_TP_MODE_SET 0
#define GL_TP_MODE_ADD 1
typedef struct gl_tp_set_q {
    uint8_t mode;
    uint16_t count;
    const uint8_t *records; /* count records, checked to decode */
    size_t records_len;
} gl_tp_set_q;
int gl_tp_set_decode(const uint8_t *body, size_t len, gl_tp_set_q *out, uint32_t *bad_item);
/* Iterate a decoded body's records (it: a cursor over records). */
void gl_tp_set_iter(const gl_tp_set_q *q, gl_cur *it);

/* THIRD_PARTIES: prefix str8 | after str8 (codes after it; "" from the
 * first). */
typedef struct gl_tp_list_q {
    gl_str prefix, after;
} gl_tp_list_q;
int gl_tp_list_decode(const uint8_t *body, size_t len, gl_tp_list_q *out);
void gl_tp_list_encode(gl_buf *b, const gl_tp_list_q *q);

/* Its reply: count u32 | more u8 | (source u8 | record)*count; source 0
 * the registry, 1 the configuration (a group entity). */
#define GL_TP_FROM_REGISTRY 0
#define GL_TP_FROM_CONFIG 1

/* A THIRD_PARTIES reply read one record at a time (the CLI's list and the
 * web's Tiers page): open reads count and more; next gives each (source,
 * record) in turn, false after the last or at the first bad one; end is
 * GL_OK only if count records were read and nothing follows them.  The
 * strings point into the reply. */
typedef struct gl_tp_reply {
    gl_cur c;
    uint32_t count, read;
    bool more;
} gl_tp_reply;
int gl_tp_reply_open(gl_tp_reply *p, const uint8_t *body, size_t len);
bool gl_tp_reply_next(gl_tp_reply *p, uint8_t *source, gl_third_party *out);
int gl_tp_reply_end(gl_tp_reply *p);

#endif
